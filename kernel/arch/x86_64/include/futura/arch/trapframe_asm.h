/* Assembly helpers that save and restore the general registers in the order
 * of struct fut_trap_frame (futura/arch/trap.h); shared by every entry path. */
#ifndef FUTURA_ARCH_TRAPFRAME_ASM_H
#define FUTURA_ARCH_TRAPFRAME_ASM_H

#ifdef __ASSEMBLER__
.macro FUT_PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro FUT_POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm
#endif

#endif
