/*
 * fut_pmm_check: an O(frames) audit of the allocator's invariants, for tests
 * and self-tests. Every managed frame must belong to exactly one block (free
 * or allocated), every free block must be on the right list exactly once, and
 * the counters must agree with what the walk finds.
 */
#include "pmm_internal.h"

#define HEAD_FLAGS (FUT_PAGE_FREE | FUT_PAGE_ALLOCATED)

static bool is_free_buddy(const struct fut_pmm *pmm, uint64_t pfn, unsigned int order)
{
    const struct fut_page *buddy = pmm_pfn_page(pmm, pfn ^ pmm_order_frames(order));
    return buddy && (buddy->flags & FUT_PAGE_FREE) && buddy->order == order;
}

/* One free list: links consistent, heads well formed, count as recorded. */
static bool check_free_list(const struct fut_pmm *pmm, unsigned int order, uint64_t *frames)
{
    const struct fut_page *prev = NULL;
    uint64_t count = 0;
    for (const struct fut_page *page = pmm->free_lists[order]; page; page = page->next) {
        if (++count > pmm->npages) /* a cycle */
            return false;
        if (page < pmm->pages || page >= pmm->pages + pmm->npages || page->prev != prev)
            return false;
        if ((page->flags & (HEAD_FLAGS | FUT_PAGE_RESERVED)) != FUT_PAGE_FREE ||
            page->order != order)
            return false;
        uint64_t pfn = pmm_page_pfn(pmm, page);
        if ((pfn & (pmm_order_frames(order) - 1)) != 0)
            return false;
        if (order < FUT_PMM_MAX_ORDER && is_free_buddy(pmm, pfn, order))
            return false; /* should have merged */
        *frames += pmm_order_frames(order);
        prev = page;
    }
    return count == pmm->stats.free_blocks[order];
}

/* The block headed by pages[i]: aligned, inside the span, tail frames managed and unflagged. */
static bool check_block(const struct fut_pmm *pmm, uint64_t i)
{
    const struct fut_page *head = &pmm->pages[i];
    uint64_t frames = pmm_order_frames(head->order);
    if ((head->flags & HEAD_FLAGS) == HEAD_FLAGS || head->order > FUT_PMM_MAX_ORDER)
        return false;
    if (((pmm->base_pfn + i) & (frames - 1)) != 0 || frames > pmm->npages - i)
        return false;
    if ((head->flags & FUT_PAGE_ALLOCATED) ? head->refcount == 0 : head->refcount != 0)
        return false;
    for (uint64_t j = i + 1; j < i + frames; j++) {
        if (pmm->pages[j].flags != 0 || pmm->pages[j].refcount != 0)
            return false;
    }
    return true;
}

/* Walks the span block by block; counts managed frames and free heads. */
static bool check_descriptors(const struct fut_pmm *pmm, uint64_t *managed, uint64_t *free_heads)
{
    uint64_t i = 0;
    while (i < pmm->npages) {
        const struct fut_page *page = &pmm->pages[i];
        if (page->flags & FUT_PAGE_RESERVED) {
            if (page->flags & HEAD_FLAGS)
                return false;
            i++;
            continue;
        }
        if (!(page->flags & HEAD_FLAGS) || !check_block(pmm, i))
            return false; /* a managed frame outside every block */
        if (page->flags & FUT_PAGE_FREE)
            (*free_heads)++;
        *managed += pmm_order_frames(page->order);
        i += pmm_order_frames(page->order);
    }
    return true;
}

bool fut_pmm_check(const struct fut_pmm *pmm)
{
    uint64_t free_frames = 0, free_blocks = 0, managed = 0, free_heads = 0;
    for (unsigned int order = 0; order <= FUT_PMM_MAX_ORDER; order++) {
        if (!check_free_list(pmm, order, &free_frames))
            return false;
        free_blocks += pmm->stats.free_blocks[order];
    }
    if (!check_descriptors(pmm, &managed, &free_heads))
        return false;
    return free_frames == pmm->stats.free_frames && free_heads == free_blocks &&
           managed == pmm->stats.total_frames && free_frames <= managed;
}
