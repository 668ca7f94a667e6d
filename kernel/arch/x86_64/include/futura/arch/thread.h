/*
 * The machine state of a thread that the scheduler carries but never reads:
 * its saved kernel stack pointer, its kernel stack, and its FPU/SSE state.
 */
#ifndef FUTURA_ARCH_THREAD_H
#define FUTURA_ARCH_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/arch/trap.h"

struct fut_arch_thread {
    uint64_t rsp;        /* saved by fut_arch_context_switch while not running */
    uint64_t kstack_top; /* from fut_kstack_alloc; 0 for the boot thread */
    uint64_t fs_base;    /* user TLS pointer (arch_prctl ARCH_SET_FS) */
    uint64_t gs_base;    /* user GS base (ARCH_SET_GS) */
    uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE image of user FPU/SSE state */
};

/* Prepares a thread that starts by returning to user mode with `frame`'s
 * registers (rip, rsp, rflags, general registers). */
void fut_arch_thread_init_user(struct fut_arch_thread *t, uint64_t kstack_top,
                               const struct fut_trap_frame *frame);
/* Prepares a kernel thread that runs fn(arg) with interrupts on. */
void fut_arch_thread_init_kernel(struct fut_arch_thread *t, uint64_t kstack_top,
                                 void (*fn)(void *), void *arg);

/* The user-mode trap frame at the top of a thread's kernel stack. */
static inline struct fut_trap_frame *fut_arch_user_frame(struct fut_arch_thread *t)
{
    return (struct fut_trap_frame *)(t->kstack_top - sizeof(struct fut_trap_frame));
}

/* Switches from prev to next: FPU state, kernel stack for user entries, then
 * the register switch. The caller has already activated next's address space. */
void fut_arch_switch(struct fut_arch_thread *prev, struct fut_arch_thread *next);

/* Leaves to user mode with the registers in frame (which must be at the top
 * of the current thread's kernel stack); never returns. */
__attribute__((noreturn)) void fut_arch_enter_user(struct fut_trap_frame *frame);

/* exec: a new program starts without TLS bases and with a clean FPU. */
void fut_arch_thread_reset_tls(struct fut_arch_thread *t);
/* arch_prctl: set the running thread's FS/GS base (takes effect at once). */
void fut_arch_set_fs_base(struct fut_arch_thread *t, uint64_t base);
void fut_arch_set_gs_base(struct fut_arch_thread *t, uint64_t base);

/* A copy of `src` for fork: the child returns from the same frame with rax 0. */
void fut_arch_thread_init_fork(struct fut_arch_thread *t, uint64_t kstack_top,
                               const struct fut_arch_thread *src, const struct fut_trap_frame *frame);

/* FPU/SSE: enabled once at boot; new threads start from a clean state. */
void fut_fpu_init(void);

/* A clean user-mode frame: rip, rsp, user selectors, interrupts on. */
void fut_arch_user_frame_init(struct fut_trap_frame *f, uint64_t rip, uint64_t rsp);

/* SYSCALL/SYSRET set-up. */
void fut_syscall_init(void);

#endif
