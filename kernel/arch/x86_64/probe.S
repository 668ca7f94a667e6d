/* Deliberately faulting probes, recovered through the exception table. */
#include "futura/arch/extable.h"

    .section .text
    .code64

/* int fut_arch_probe_read(const void *addr, uint64_t *out) */
    .global fut_arch_probe_read
fut_arch_probe_read:
1:  mov (%rdi), %rcx
    mov %rcx, (%rsi)
    xor %eax, %eax
    ret
2:  mov $-14, %eax               /* -EFAULT */
    ret
    FUT_EXTABLE_ENTRY(1b, 2b)

/* int fut_arch_probe_invalid_opcode(void) */
    .global fut_arch_probe_invalid_opcode
fut_arch_probe_invalid_opcode:
1:  ud2
    xor %eax, %eax
    ret
2:  mov $1, %eax
    ret
    FUT_EXTABLE_ENTRY(1b, 2b)

/* int fut_arch_probe_write(void *addr, uint64_t value) */
    .global fut_arch_probe_write
fut_arch_probe_write:
1:  mov %rsi, (%rdi)
    xor %eax, %eax
    ret
2:  mov $-14, %eax               /* -EFAULT */
    ret
    FUT_EXTABLE_ENTRY(1b, 2b)
