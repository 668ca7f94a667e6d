/*
 * The kernel's own address space: a direct map of RAM and the kernel image
 * mapped section by section with W^X permissions. Built once at boot; every
 * process address space shares its upper half (PML4 slots 256..511).
 */
#ifndef FUTURA_MEMORY_KSPACE_H
#define FUTURA_MEMORY_KSPACE_H

#include <stddef.h>
#include <stdint.h>

#include "futura/boot/bootinfo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One part of the kernel image: [virt_start, virt_end) backed from phys_start,
 * mapped with `pte_flags` (FUT_PTE_WRITE and/or FUT_PTE_NX; present and global
 * are added). */
struct fut_kernel_section {
    const char *name;
    uint64_t virt_start;
    uint64_t virt_end;
    uint64_t phys_start;
    uint64_t pte_flags;
};

struct fut_kspace_layout {
    uint64_t direct_map_base; /* virtual address of physical 0 */
    const struct fut_kernel_section *sections;
    size_t nsections;
};

/* Builds the kernel page tables from the memory map: usable and ACPI regions
 * are direct-mapped (2 MiB pages, writable, NX, global) and each section is
 * mapped with 4 KiB pages. Stores the new top-level table in *root_out.
 * Returns 0, -EINVAL (misaligned section), or -ENOMEM. Does not activate it. */
int fut_kspace_build(const struct fut_bootinfo *bi, const struct fut_kspace_layout *layout,
                     uint64_t *root_out);

/* Kernel stacks live in their own PML4 slot, each with an unmapped guard
 * below it so an overflow faults instead of corrupting a neighbour. */
#define FUT_KSTACK_AREA 0xffffff0000000000ull
#define FUT_KSTACK_SIZE (16u << 10)
#define FUT_KSTACK_STRIDE (32u << 10) /* stack + guard gap */
#define FUT_KSTACK_SLOTS 4096

/* Allocates a kernel stack; returns its top (highest address, exclusive), or 0. */
uint64_t fut_kstack_alloc(void);
void fut_kstack_free(uint64_t top);
/* Stacks currently allocated (tests compare with a baseline). */
unsigned fut_kstack_live(void);

/* The top-level table whose upper half every address space shares. */
uint64_t fut_kspace_root(void);
void fut_kspace_set_root(uint64_t root);

#ifdef __cplusplus
}
#endif

#endif
