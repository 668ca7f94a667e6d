/*
 * Everything the system-call handlers share: the handlers themselves (one
 * file per area: sys_fs.c, sys_proc.c, sys_time.c, ...) and what they need
 * from the process layer (kernel/proc) about the calling process.
 */
#ifndef FUTURA_SYSCALLS_SYS_H
#define FUTURA_SYSCALLS_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/syscalls/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fut_fdtable;

/* ---- Provided by the process layer ---- */
struct fut_fdtable *fut_current_fdtable(void);
/* CPU time of the calling thread (true) or its whole process (false), in ns. */
uint64_t fut_proc_cpu_time_ns(bool thread);

/* ---- Shared helpers ---- */
/* Copies a user path into buf (FUT_PATH_MAX bytes): 0, -EFAULT, -ENAMETOOLONG, -ENOENT (""). */
int fut_user_path(char *buf, const char *user_path);
/* Reads a clock by Linux clock id into *ns; -EINVAL for unknown clocks. */
int fut_clock_read(long clk, uint64_t *ns);

/* ---- Handlers ---- */
#define FUT_SYSCALL_DECL(name) long sys_##name(const struct fut_syscall_args *a);
#include "futura/syscalls/handlers.def"
#undef FUT_SYSCALL_DECL

#ifdef __cplusplus
}
#endif

#endif
