/*
 * The process layer: what turns the scheduler's records, an address space
 * and a descriptor table into a running Linux-ABI process. It starts PID 1,
 * runs exec, and ends processes.
 */
#ifndef FUTURA_PROC_H
#define FUTURA_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/arch/trap.h"
#include "futura/scheduler/task.h"

/* Starts PID 1 running `path` with argv/envp (NULL-terminated), makes the
 * boot thread the idle thread and never returns. Powers off if it cannot. */
__attribute__((noreturn)) void fut_proc_start_init(const char *path, const char *const *argv,
                                                   const char *const *envp);

/* Replaces the calling process's program (execve): on success `frame` is set
 * to start the new program and 0 is returned; before the point of no return
 * errors come back as negative errno; after it, the process is killed. */
int fut_proc_exec(const char *path, const char *const *argv, const char *const *envp,
                  struct fut_trap_frame *frame);

/* fork: returns the child's pid; the child returns from the same system
 * call (frame) with 0. -ENOMEM / -EAGAIN when it cannot be created. */
int fut_proc_fork(struct fut_trap_frame *frame);
/* `fork=copy` on the command line: forks copy private pages eagerly. */
extern bool fut_fork_eager_copy;

/* Ends the calling process with a Linux wait status; never returns. */
__attribute__((noreturn)) void fut_proc_exit(int wait_status);

struct fut_process *fut_current_process(void);
/* The calling process's descriptor table, working directory and umask. */
struct fut_fdtable *fut_current_fdtable(void);
/* CPU time of the calling thread (true) or its whole process (false), in ns. */
uint64_t fut_proc_cpu_time_ns(bool thread);

/* Called on every return to user mode (syscall exit, interrupt exit):
 * preemption and signal delivery happen here. */
void fut_proc_return_to_user(struct fut_trap_frame *frame);

/* Default resource limits for the first process; fork copies a parent's. */
void fut_rlimits_init(struct fut_process *p);

/* Where new user stacks end; 8 MiB of stack below it. */
#define FUT_USER_STACK_TOP 0x00007ffffffff000ull
#define FUT_USER_STACK_SIZE (8ull << 20)

#endif
