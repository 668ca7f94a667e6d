/*
 * Interrupt entry stubs for all 256 vectors. Each pushes a dummy error code
 * when the CPU does not, then its vector, and joins isr_common, which saves
 * the general registers into a struct fut_trap_frame and calls C.
 */
    .section .text
    .code64

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

.macro isr_stub v
    .balign 16
isr_stub_\v:
    .if HAS_ERROR(\v)
    .else
    pushq $0
    .endif
    pushq $\v
    jmp isr_common
.endm

    .global fut_isr_stub_table_start
fut_isr_stub_table_start:
.altmacro
.set vec, 0
.rept 256
    isr_stub %vec
    .set vec, vec + 1
.endr

isr_common:
    /* Frame offset of CS once vector+error are pushed: rip at 16, cs at 24. */
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:  pushq %rax
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
    cld
    mov %rsp, %rdi
    call fut_trap_dispatch
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
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  add $16, %rsp
    iretq
