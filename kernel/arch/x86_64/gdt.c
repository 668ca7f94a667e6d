/* GDT and TSS: flat 64-bit segments for kernel and user, IST stacks for faults. */
#include "futura/arch/gdt.h"

#include <stdint.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct gdt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define IST_STACK_SIZE 8192

static uint64_t gdt[8] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static uint8_t ist_stacks[2][IST_STACK_SIZE] __attribute__((aligned(16)));

void fut_gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull; /* kernel code, 64-bit */
    gdt[2] = 0x00cf92000000ffffull; /* kernel data */
    gdt[3] = 0x00cffa000000ffffull; /* user code, 32-bit (unused; SYSRET layout) */
    gdt[4] = 0x00cff2000000ffffull; /* user data */
    gdt[5] = 0x00affa000000ffffull; /* user code, 64-bit */

    tss.ist[FUT_IST_DOUBLE_FAULT - 1] = (uint64_t)&ist_stacks[0][IST_STACK_SIZE];
    tss.ist[FUT_IST_NMI - 1] = (uint64_t)&ist_stacks[1][IST_STACK_SIZE];
    tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */

    uint64_t base = (uint64_t)&tss;
    uint64_t limit = sizeof(tss) - 1;
    gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[7] = base >> 32;

    struct gdt_ptr ptr = {.limit = sizeof(gdt) - 1, .base = (uint64_t)gdt};
    __asm__ volatile(
        "lgdt %0\n\t"
        "mov %1, %%ds\n\t"
        "mov %1, %%es\n\t"
        "mov %1, %%ss\n\t"
        "pushq %2\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "ltr %w3"
        :
        : "m"(ptr), "r"((uint64_t)FUT_SEL_KDATA), "i"(FUT_SEL_KCODE), "r"((uint64_t)FUT_SEL_TSS)
        : "rax", "memory");
}

void fut_tss_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}
