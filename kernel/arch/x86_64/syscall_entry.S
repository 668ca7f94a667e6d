/*
 * SYSCALL entry (Linux x86-64 convention: number in rax, arguments in rdi,
 * rsi, rdx, r10, r8, r9; the CPU put the user rip in rcx and rflags in r11).
 * Builds a struct fut_trap_frame on the thread's kernel stack, exactly as an
 * interrupt from user mode would, so fork, exec and signals see one format.
 * Returns with SYSRET when the frame still holds a canonical user rip, and
 * through IRETQ otherwise (SYSRET with a non-canonical rip faults in ring 0).
 */
#include "futura/arch/trapframe_asm.h"
#include "futura/arch/gdt.h"
#include "futura/arch/percpu.h"

    .section .text
    .code64
    .global fut_syscall_entry
fut_syscall_entry:
    swapgs
    mov %rsp, %gs:FUT_PERCPU_USER_RSP
    mov %gs:FUT_PERCPU_KERNEL_RSP, %rsp
    pushq $FUT_SEL_UDATA              /* ss */
    pushq %gs:FUT_PERCPU_USER_RSP     /* rsp */
    pushq %r11                        /* rflags */
    pushq $FUT_SEL_UCODE              /* cs */
    pushq %rcx                        /* rip */
    pushq $0                          /* error */
    pushq $0x100                      /* vector: marks a syscall frame */
    FUT_PUSH_GPRS
    cld
    sti
    mov %rsp, %rdi
    call fut_syscall_from_user
    cli
    .global fut_syscall_return
fut_syscall_return:
    /* rsp points at a trap frame; decide how to leave. */
    mov 17*8(%rsp), %rcx              /* frame rip */
    mov %rcx, %r11
    sar $47, %r11
    jnz fut_trap_return_user_iret     /* non-canonical or kernel rip: use IRETQ */
    FUT_POP_GPRS
    add $16, %rsp                     /* vector, error */
    mov 0(%rsp), %rcx                 /* rip */
    mov 16(%rsp), %r11                /* rflags */
    mov 24(%rsp), %rsp                /* user rsp */
    swapgs
    sysretq

/* Leaves to user mode through IRETQ with rsp at a trap frame. Also the first
 * return of a new thread (see thread.c). */
    .global fut_trap_return_user_iret
fut_trap_return_user_iret:
    FUT_POP_GPRS
    add $16, %rsp
    swapgs
    iretq
