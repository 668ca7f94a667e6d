/* Shared between pmm.c (the buddy allocator) and pmm_init.c (building it from
 * the boot memory map). Private to memory/. */
#ifndef FUTURA_MEMORY_PMM_INTERNAL_H
#define FUTURA_MEMORY_PMM_INTERNAL_H

#include "futura/memory/pmm.h"

/* Frames in a block of the given order. */
static inline uint64_t pmm_order_frames(unsigned int order)
{
    return 1ull << order;
}

static inline uint64_t pmm_page_pfn(const struct fut_pmm *pmm, const struct fut_page *page)
{
    return pmm->base_pfn + (uint64_t)(page - pmm->pages);
}

/* Descriptor of pfn, or NULL outside the descriptor span (managed or not). */
static inline struct fut_page *pmm_pfn_page(const struct fut_pmm *pmm, uint64_t pfn)
{
    if (pfn < pmm->base_pfn || pfn - pmm->base_pfn >= pmm->npages)
        return NULL;
    return &pmm->pages[pfn - pmm->base_pfn];
}

/*
 * Puts the block of 2^order frames starting at pfn on the free lists, merging
 * it with its buddy while the buddy is a free block of the same order.
 * Caller guarantees every frame of the block is managed and belongs to no
 * other block (it was just allocated, or is being seeded at init).
 */
void fut_pmm_release_block(struct fut_pmm *pmm, uint64_t pfn, unsigned int order);

#endif
