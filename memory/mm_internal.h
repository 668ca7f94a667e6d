/* Shared by the fut_mm implementation files. */
#ifndef FUTURA_MEMORY_MM_INTERNAL_H
#define FUTURA_MEMORY_MM_INTERNAL_H

#include "futura/memory/mm.h"
#include "futura/memory/paging.h"

extern struct fut_mm_stats fut_mm_counters;

/* The PTE flags a page of vma gets when it may be written (writable = true)
 * or must stay read-only. */
uint64_t mm_pte_flags(const struct fut_vma *vma, bool writable);

/* Maps frame at va with one reference already held by the caller; on failure
 * the reference is dropped. */
int mm_install_page(struct fut_mm *mm, uint64_t va, uint64_t frame, uint64_t flags);

/* Drops the mapping's reference on the frame a user PTE points to. */
void mm_release_frame(uint64_t pte);

/* Page-table sharing (mm_ptshare.c). */
bool mm_region_shareable(const struct fut_mm *src, uint64_t region);
int mm_share_table(struct fut_mm *src, struct fut_mm *dst, uint64_t region);
/* Gives mm a private, writable last-level table for va (no-op if it has one). */
int mm_unshare_table(struct fut_mm *mm, uint64_t va);
int mm_unshare_range(struct fut_mm *mm, uint64_t start, uint64_t end);
/* Teardown: detach tables other address spaces still share. */
void mm_drop_shared_tables(struct fut_mm *mm);

#endif
