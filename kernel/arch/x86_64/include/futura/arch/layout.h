/* Virtual memory layout shared by the boot assembly, the linker script and C. */
#ifndef FUTURA_ARCH_LAYOUT_H
#define FUTURA_ARCH_LAYOUT_H

/* The kernel image runs in the top 2 GiB so -mcmodel=kernel can use 32-bit
 * sign-extended addresses; physical address P of the image is at KERNEL_VMA + P. */
#define FUT_KERNEL_VMA 0xffffffff80000000
/* All of physical memory is mapped here (PML4 slot 256 upward). */
#define FUT_DIRECT_MAP_BASE 0xffff800000000000
/* The image is loaded at 1 MiB physical, above the BIOS area. */
#define FUT_KERNEL_PHYS_BASE 0x100000
/* Early boot maps the first 4 GiB with 2 MiB pages; the memory core replaces it. */
#define FUT_EARLY_MAP_GIB 4

#define FUT_BOOT_STACK_SIZE 16384

#endif
