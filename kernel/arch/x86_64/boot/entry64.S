/* First 64-bit code in the higher half: a real stack, then C. */
#include "futura/arch/layout.h"

    .section .text
    .code64
    .global fut_entry64
fut_entry64:
    mov $fut_boot_stack_top, %rsp
    xor %ebp, %ebp
    /* Upper halves of registers are undefined after the mode switch. */
    mov %edi, %edi
    mov %esi, %esi
    call fut_arch_boot
1:  cli
    hlt
    jmp 1b

    .section .bss
    .balign 16
    .global fut_boot_stack_bottom
fut_boot_stack_bottom:
    .skip FUT_BOOT_STACK_SIZE
    .global fut_boot_stack_top
fut_boot_stack_top:
