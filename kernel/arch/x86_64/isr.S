/*
 * Interrupt entry stubs for all 256 vectors. Each pushes a dummy error code
 * when the CPU does not, then its vector, and joins isr_common, which saves
 * the general registers into a struct fut_trap_frame and calls C.
 */
#include "futura/arch/trapframe_asm.h"
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
1:  FUT_PUSH_GPRS
    cld
    mov %rsp, %rdi
    call fut_trap_dispatch
    FUT_POP_GPRS
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  add $16, %rsp
    iretq
