/*
 * Boot protocol headers. Two ways into the same 32-bit entry code:
 *  - Multiboot2 (GRUB, the ISO): header in the first 32 KiB of the file.
 *  - PVH (QEMU -kernel, the fast path): an ELF note naming the 32-bit entry.
 */
#include "futura/arch/layout.h"

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_TAG_END 0
#define MB2_TAG_ENTRY 3
#define XEN_ELFNOTE_PHYS32_ENTRY 18

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* Entry address tag: GRUB jumps here in 32-bit protected mode. */
    .balign 8
    .word MB2_TAG_ENTRY, 0
    .long 12
    .long fut_entry_multiboot2
    .balign 8
    .word MB2_TAG_END, 0
    .long 8
mb2_header_end:

    .section .note.Xen, "a", @note
    .balign 4
    .long 4                             /* namesz: "Xen\0" */
    .long 8                             /* descsz: 64-bit physical address */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .quad fut_entry_pvh
    .balign 4
