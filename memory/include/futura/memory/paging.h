/*
 * x86-64 4-level page tables (PML4 -> PDPT -> PD -> PT), manipulated through
 * the HAL: table pages come from the global PMM and are reached with
 * fut_hal_phys_to_virt, so the same code runs on the fake HAL in host tests.
 *
 * Callers own TLB maintenance for the tables they change, except where a
 * function says it flushes. Intermediate tables in the lower (user) half are
 * created user-accessible and writable; the leaf entry alone decides access.
 * Locking: none; the owner of an address space serializes changes to it.
 */
#ifndef FUTURA_MEMORY_PAGING_H
#define FUTURA_MEMORY_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FUT_PTE_PRESENT (1ull << 0)
#define FUT_PTE_WRITE (1ull << 1)
#define FUT_PTE_USER (1ull << 2)
#define FUT_PTE_PWT (1ull << 3)
#define FUT_PTE_PCD (1ull << 4)
#define FUT_PTE_ACCESSED (1ull << 5)
#define FUT_PTE_DIRTY (1ull << 6)
#define FUT_PTE_HUGE (1ull << 7) /* 2 MiB in a PD entry, 1 GiB in a PDPT entry */
#define FUT_PTE_GLOBAL (1ull << 8)
#define FUT_PTE_COW (1ull << 9) /* software bit: read-only because copy-on-write */
#define FUT_PTE_NX (1ull << 63)
#define FUT_PTE_ADDR_MASK 0x000ffffffffff000ull

#define FUT_PT_ENTRIES 512
#define FUT_USER_TOP 0x0000800000000000ull /* first non-canonical address */
#define FUT_HUGE_2M (2ull << 20)

static inline uint64_t fut_pte_addr(uint64_t pte)
{
    return pte & FUT_PTE_ADDR_MASK;
}

/* A new zeroed top-level table; returns its physical address, 0 when out of memory. */
uint64_t fut_pt_create(void);

/* Maps the 4 KiB page at va to pa with `flags` (FUT_PTE_PRESENT is implied).
 * Returns 0, -EINVAL (unaligned or non-canonical va, unaligned pa), -EEXIST
 * (already mapped), -ENOMEM (no frame for an intermediate table). */
int fut_pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);

/* Maps a 2 MiB page (both addresses 2 MiB-aligned). Same errors as fut_pt_map. */
int fut_pt_map_huge(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);

/* The entry for va at `level` (0: page table entry, 1: page directory entry,
 * 2: PDPT entry), creating the tables above it when `create`; NULL when a
 * table is missing (or out of memory) or a huge page is in the way. */
uint64_t *fut_pt_entry(uint64_t root, uint64_t va, int level, bool create);

/* Creates every intermediate table down to the one holding va's leaf entry,
 * so tables can be shared before anything is mapped (the kernel half). */
int fut_pt_prepare(uint64_t root, uint64_t va);

/* Removes the 4 KiB mapping at va; stores the old entry in *old if non-NULL.
 * Returns 0, or -ENOENT when nothing was mapped. Does not flush the TLB. */
int fut_pt_unmap(uint64_t root, uint64_t va, uint64_t *old);

/* Replaces the flags of the 4 KiB mapping at va, keeping its frame (present
 * is implied). -ENOENT when nothing is mapped. Does not flush the TLB. */
int fut_pt_protect(uint64_t root, uint64_t va, uint64_t flags);

/* The leaf entry for va, or NULL when no 4 KiB leaf table covers va
 * (huge pages are not leaves here). Never allocates. */
uint64_t *fut_pt_lookup(uint64_t root, uint64_t va);

/* Translates va to a physical address through any page size; false if
 * unmapped. *pte_out is the leaf entry with the permissions every level
 * grants together (write/user only if all levels allow, NX if any sets it). */
bool fut_pt_translate(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *pte_out);

/* Calls fn for every present 4 KiB leaf in [start, end); fn may change or
 * clear *pte. Stops early and returns fn's value when it is non-zero. */
typedef int (*fut_pt_visit_fn)(void *ctx, uint64_t va, uint64_t *pte);
int fut_pt_visit(uint64_t root, uint64_t start, uint64_t end, fut_pt_visit_fn fn, void *ctx);

/* Frees every intermediate table of the lower (user) half. The caller has
 * already released the pages the leaves pointed to. */
void fut_pt_free_user_tables(uint64_t root);

/* Frees a top-level table created by fut_pt_create after fut_pt_free_user_tables. */
void fut_pt_destroy(uint64_t root);

/* Page-table pages currently allocated by this module (all address spaces). */
uint64_t fut_pt_table_pages(void);

#ifdef __cplusplus
}
#endif

#endif
