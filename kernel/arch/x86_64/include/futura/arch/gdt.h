#ifndef FUTURA_ARCH_GDT_H
#define FUTURA_ARCH_GDT_H

/* Selector order follows what SYSCALL/SYSRET require (as Linux does):
 * kernel CS, kernel SS, then user CS32, user SS, user CS64. */
#define FUT_SEL_KCODE 0x08
#define FUT_SEL_KDATA 0x10
#define FUT_SEL_UCODE32 0x18
#define FUT_SEL_UDATA 0x23
#define FUT_SEL_UCODE 0x2b
#define FUT_SEL_TSS 0x30

/* IST slots for exceptions that must not run on a possibly broken stack. */
#define FUT_IST_DOUBLE_FAULT 1
#define FUT_IST_NMI 2

#ifndef __ASSEMBLER__
#include <stdint.h>

void fut_gdt_init(void);
/* Stack the CPU switches to when an interrupt arrives in user mode. */
void fut_tss_set_kernel_stack(uint64_t rsp0);
#endif

#endif
