/*
 * From 32-bit protected mode (paging off) to the higher-half 64-bit kernel.
 *
 * Both boot protocols land here with flat 32-bit segments and no stack.
 * We build early page tables that map the first 4 GiB three times:
 *   identity (so this code keeps running after paging is on),
 *   at FUT_DIRECT_MAP_BASE (the direct map), and
 *   at FUT_KERNEL_VMA (where the image is linked),
 * then enable PAE + long mode + NX and jump to fut_entry64 in the higher half.
 * Everything here lives at its physical address (.boot.* sections).
 */
#include "futura/arch/layout.h"

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PVH_MAGIC 0x336ec578

    .section .boot.text, "ax"
    .code32

    .global fut_entry_multiboot2
fut_entry_multiboot2:
    /* eax = Multiboot2 magic, ebx = physical address of the info block. */
    mov %eax, %edi
    mov %ebx, %esi
    jmp boot32_common

    .global fut_entry_pvh
fut_entry_pvh:
    /* ebx = physical address of struct hvm_start_info (it begins with its magic). */
    mov $PVH_MAGIC, %edi
    mov %ebx, %esi

boot32_common:
    cli
    cld
    mov $boot_stack32_top, %esp

    /* Zero the page-table area: some loaders leave .bss as they found it. */
    mov $boot_page_tables, %ebx
    push %edi
    mov %ebx, %edi
    xor %eax, %eax
    mov $(boot_page_tables_end - boot_page_tables) / 4, %ecx
    rep stosl
    pop %edi

    /* Page directories: 2048 entries of 2 MiB pages cover the first 4 GiB. */
    mov $boot_pd, %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $(PTE_P | PTE_W | PTE_PS), %eax
    mov %eax, (%ebx, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax
    mov %eax, 4(%ebx, %ecx, 8)
    inc %ecx
    cmp $(512 * FUT_EARLY_MAP_GIB), %ecx
    jne 1b

    /* Low PDPT: entries 0..3 -> the four page directories. */
    mov $boot_pdpt_low, %ebx
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $12, %eax
    add $boot_pd + (PTE_P | PTE_W), %eax
    mov %eax, (%ebx, %ecx, 8)
    inc %ecx
    cmp $FUT_EARLY_MAP_GIB, %ecx
    jne 2b

    /* High PDPT: slot 510 covers 0xffffffff80000000 -> physical 0..1 GiB. */
    mov $boot_pdpt_high, %ebx
    movl $boot_pd + (PTE_P | PTE_W), 510 * 8(%ebx)
    movl $boot_pd + 4096 + (PTE_P | PTE_W), 511 * 8(%ebx)

    mov $boot_pml4, %ebx
    movl $boot_pdpt_low + (PTE_P | PTE_W), 0(%ebx)
    movl $boot_pdpt_low + (PTE_P | PTE_W), 256 * 8(%ebx)
    movl $boot_pdpt_high + (PTE_P | PTE_W), 511 * 8(%ebx)

    mov %cr4, %eax
    or $(CR4_PAE | CR4_PGE), %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $(EFER_LME | EFER_NXE), %eax
    wrmsr
    mov %cr0, %eax
    or $(CR0_PE | CR0_WP | CR0_PG), %eax
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $boot64_low

    .code64
boot64_low:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    movabs $fut_entry64, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff            /* 0x08: 64-bit kernel code */
    .quad 0x00cf92000000ffff            /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_page_tables:
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4096 * FUT_EARLY_MAP_GIB
boot_page_tables_end:
    .skip 1024
boot_stack32_top:

    .global fut_boot_pml4_phys
    .set fut_boot_pml4_phys, boot_pml4
