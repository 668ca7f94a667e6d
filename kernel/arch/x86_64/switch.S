/*
 * void fut_arch_context_switch(uint64_t *save_rsp, uint64_t new_rsp)
 * Saves the callee-saved registers on the current kernel stack, stores the
 * stack pointer in *save_rsp, and resumes the thread whose stack pointer is
 * new_rsp (which was saved the same way, or prepared by thread.c).
 * Interrupts are off across the switch; FPU state is handled in C.
 */
    .section .text
    .code64
    .global fut_arch_context_switch
fut_arch_context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/* First code of a new kernel thread: r12 = function, r13 = argument. */
    .global fut_arch_kthread_trampoline
fut_arch_kthread_trampoline:
    sti
    mov %r13, %rdi
    call *%r12
1:  cli
    hlt
    jmp 1b
