/*
 * Per-CPU data, reached through GS in kernel mode. The syscall entry stub
 * uses fixed offsets (see syscall_entry.S); keep them in sync.
 */
#ifndef FUTURA_ARCH_PERCPU_H
#define FUTURA_ARCH_PERCPU_H

#define FUT_PERCPU_KERNEL_RSP 8
#define FUT_PERCPU_USER_RSP 16

#ifndef __ASSEMBLER__
#include <stdint.h>

struct fut_cpu {
    struct fut_cpu *self; /* gs:0 */
    uint64_t kernel_rsp;  /* gs:8, top of the running thread's kernel stack */
    uint64_t user_rsp;    /* gs:16, scratch for the syscall entry */
    void *current;        /* gs:24, the running thread (scheduler's type) */
};

void fut_percpu_init(void);
struct fut_cpu *fut_this_cpu(void);

/* Makes rsp0 the stack the CPU switches to on entry from user mode, for both
 * interrupts (TSS) and syscalls (per-CPU). */
void fut_arch_set_kernel_stack(uint64_t rsp0);
#endif

#endif
