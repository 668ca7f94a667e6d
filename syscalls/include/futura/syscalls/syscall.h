/*
 * The system-call layer: Linux x86-64 numbers, names and calling convention.
 * The arch entry code hands every SYSCALL to fut_syscall_dispatch with the
 * six argument registers; handlers return a value or a negative errno.
 */
#ifndef FUTURA_SYSCALLS_SYSCALL_H
#define FUTURA_SYSCALLS_SYSCALL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fut_syscall_args {
    long nr;
    long arg[6];
    void *frame; /* the caller's saved user registers (arch trap frame), for fork/exec/signals */
};

typedef long (*fut_syscall_fn)(const struct fut_syscall_args *a);

#define FUT_NR_SYSCALLS 512

/* Runs system call a->nr. Unknown or unimplemented numbers return -ENOSYS
 * and are logged once each. */
long fut_syscall_dispatch(const struct fut_syscall_args *a);

/* Connects the SYSCALL entry to the table; once at boot. */
void fut_syscalls_init(void);

/* The name of a system call number, or NULL. */
const char *fut_syscall_name(long nr);

/* Calls made since boot, per number (for /proc and benchmarks). */
uint64_t fut_syscall_count(long nr);

#ifdef __cplusplus
}
#endif

#endif
