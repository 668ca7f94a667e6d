/*
 * The buddy allocator over struct fut_page descriptors.
 *
 * Invariants (fut_pmm_check verifies them):
 *  - A free block of order k starts at a pfn aligned to 2^k; its head carries
 *    FUT_PAGE_FREE and order k and is on free_lists[k]. Its other frames carry
 *    no FREE/ALLOCATED flag.
 *  - An allocated block's head carries FUT_PAGE_ALLOCATED, its order and a
 *    refcount >= 1; its other frames carry nothing.
 *  - No two free buddies of the same order below FUT_PMM_MAX_ORDER: freeing
 *    always merges. Hence alloc(order) fails only when no aligned 2^order run
 *    of managed frames is entirely free.
 */
#include "futura/errno.h"
#include "pmm_internal.h"

static void free_list_push(struct fut_pmm *pmm, struct fut_page *page, unsigned int order)
{
    page->flags |= FUT_PAGE_FREE;
    page->order = (uint8_t)order;
    page->prev = NULL;
    page->next = pmm->free_lists[order];
    if (page->next)
        page->next->prev = page;
    pmm->free_lists[order] = page;
    pmm->stats.free_blocks[order]++;
}

static void free_list_remove(struct fut_pmm *pmm, struct fut_page *page)
{
    unsigned int order = page->order;
    if (page->prev)
        page->prev->next = page->next;
    else
        pmm->free_lists[order] = page->next;
    if (page->next)
        page->next->prev = page->prev;
    page->next = page->prev = NULL;
    page->flags &= (uint16_t)~FUT_PAGE_FREE;
    pmm->stats.free_blocks[order]--;
}

void fut_pmm_release_block(struct fut_pmm *pmm, uint64_t pfn, unsigned int order)
{
    pmm->stats.free_frames += pmm_order_frames(order);
    while (order < FUT_PMM_MAX_ORDER) {
        struct fut_page *buddy = pmm_pfn_page(pmm, pfn ^ pmm_order_frames(order));
        if (!buddy || !(buddy->flags & FUT_PAGE_FREE) || buddy->order != order)
            break;
        free_list_remove(pmm, buddy);
        pfn &= ~pmm_order_frames(order);
        order++;
    }
    free_list_push(pmm, pmm_pfn_page(pmm, pfn), order);
}

uint64_t fut_pmm_alloc(struct fut_pmm *pmm, unsigned int order)
{
    unsigned int k = order;
    while (k <= FUT_PMM_MAX_ORDER && !pmm->free_lists[k])
        k++;
    if (k > FUT_PMM_MAX_ORDER) {
        pmm->stats.failed_allocs++;
        return 0;
    }

    struct fut_page *page = pmm->free_lists[k];
    free_list_remove(pmm, page);
    /* Split: keep the lower half, give each upper half back. */
    while (k > order) {
        k--;
        free_list_push(pmm, page + pmm_order_frames(k), k);
    }
    page->flags |= FUT_PAGE_ALLOCATED;
    page->order = (uint8_t)order;
    page->refcount = 1;
    pmm->stats.free_frames -= pmm_order_frames(order);
    return pmm_page_pfn(pmm, page) << FUT_PAGE_SHIFT;
}

/* The allocated block head at phys of this order, or NULL if phys is anything
 * else. Heads of order k are 2^k-frame aligned, so a misaligned phys never
 * names one: the flag and order test rejects it as well as a double free. */
static struct fut_page *allocated_head(struct fut_pmm *pmm, uint64_t phys, unsigned int order)
{
    if ((phys & (FUT_PAGE_SIZE - 1)) != 0)
        return NULL;
    struct fut_page *page = pmm_pfn_page(pmm, phys >> FUT_PAGE_SHIFT);
    if (!page || !(page->flags & FUT_PAGE_ALLOCATED) || page->order != order)
        return NULL;
    return page;
}

/* Returns an allocated block whose last reference is gone to the free lists. */
static void free_block(struct fut_pmm *pmm, struct fut_page *page)
{
    page->flags &= (uint16_t)~FUT_PAGE_ALLOCATED;
    page->refcount = 0;
    fut_pmm_release_block(pmm, pmm_page_pfn(pmm, page), page->order);
}

int fut_pmm_free(struct fut_pmm *pmm, uint64_t phys, unsigned int order)
{
    struct fut_page *page = allocated_head(pmm, phys, order);
    if (!page) {
        pmm->stats.invalid_frees++;
        return -EINVAL;
    }
    if (page->refcount != 1) {
        pmm->stats.invalid_frees++;
        return -EBUSY;
    }
    free_block(pmm, page);
    return 0;
}

struct fut_page *fut_pmm_page(struct fut_pmm *pmm, uint64_t phys)
{
    struct fut_page *page = pmm_pfn_page(pmm, phys >> FUT_PAGE_SHIFT);
    if (!page || (page->flags & FUT_PAGE_RESERVED))
        return NULL;
    return page;
}

uint64_t fut_pmm_page_phys(const struct fut_pmm *pmm, const struct fut_page *page)
{
    return pmm_page_pfn(pmm, page) << FUT_PAGE_SHIFT;
}

int fut_page_get(struct fut_page *page)
{
    if (!(page->flags & FUT_PAGE_ALLOCATED))
        return -EINVAL;
    if (page->refcount == UINT32_MAX)
        return -EOVERFLOW;
    page->refcount++;
    return 0;
}

bool fut_page_put(struct fut_pmm *pmm, struct fut_page *page)
{
    if (!(page->flags & FUT_PAGE_ALLOCATED) || page->refcount == 0) {
        pmm->stats.invalid_frees++;
        return false;
    }
    if (--page->refcount > 0)
        return false;
    free_block(pmm, page);
    return true;
}

uint64_t fut_pmm_free_frames(const struct fut_pmm *pmm)
{
    return pmm->stats.free_frames;
}

uint64_t fut_pmm_total_frames(const struct fut_pmm *pmm)
{
    return pmm->stats.total_frames;
}

void fut_pmm_get_stats(const struct fut_pmm *pmm, struct fut_pmm_stats *out)
{
    *out = pmm->stats;
}
