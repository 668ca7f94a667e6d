/*
 * fork's address-space copy. Each VMA is duplicated, then its present pages:
 * where a 2 MiB region holds only private mappings, its whole page table is
 * shared copy-on-write (mm_ptshare.c: O(1) per table); elsewhere shared
 * mappings map the same frame and private pages become read-only
 * copy-on-write in both spaces (one refcount increment per page). The eager
 * mode copies every private page at once, to measure what COW saves.
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/pmm.h"
#include "mm_internal.h"

struct clone_ctx {
    struct fut_mm *dst;
    const struct fut_vma *vma;
    bool eager_copy;
};

static int clone_leaf(void *arg, uint64_t va, uint64_t *pte)
{
    struct clone_ctx *c = arg;
    struct fut_pmm *pmm = fut_pmm_global();
    uint64_t frame = fut_pte_addr(*pte);
    bool shared = (c->vma->flags & FUT_VMA_SHARED) != 0;

    if (!shared && c->eager_copy) {
        uint64_t copy = fut_pmm_alloc(pmm, 0);
        if (!copy)
            return -ENOMEM;
        memcpy(fut_hal_phys_to_virt(copy), fut_hal_phys_to_virt(frame), FUT_PAGE_SIZE);
        uint64_t flags = (*pte & ~FUT_PTE_ADDR_MASK & ~FUT_PTE_COW) | FUT_PTE_PRESENT;
        if (*pte & FUT_PTE_COW) /* the parent's page is shared; ours is not */
            flags = mm_pte_flags(c->vma, true);
        return mm_install_page(c->dst, va, copy, flags);
    }
    struct fut_page *page = fut_pmm_page(pmm, frame);
    if (!page || fut_page_get(page))
        return -ENOMEM;
    if (!shared)
        *pte = (*pte & ~FUT_PTE_WRITE) | FUT_PTE_COW;
    return mm_install_page(c->dst, va, frame, *pte & ~FUT_PTE_ADDR_MASK);
}

struct fut_mm *fut_mm_clone(struct fut_mm *src, bool eager_copy)
{
    struct fut_mm *dst = fut_mm_create();
    if (!dst)
        return NULL;
    dst->brk_start = src->brk_start;
    dst->brk = src->brk;
    int rc = 0;
    uint64_t last_shared = 1; /* not a region start */
    bool share_tables = fut_mm_share_page_tables && !eager_copy;
    for (struct fut_vma *v = fut_vma_set_first(&src->vmas); v && !rc; v = fut_vma_next(v)) {
        rc = fut_vma_set_insert(&dst->vmas, v, NULL);
        if (rc)
            break;
        struct clone_ctx c = {dst, v, eager_copy};
        for (uint64_t r = v->start & ~(FUT_HUGE_2M - 1); r < v->end && !rc; r += FUT_HUGE_2M) {
            if (r == last_shared)
                continue; /* an earlier VMA of this region shared its table */
            if (share_tables && !(v->flags & FUT_VMA_SHARED) && mm_region_shareable(src, r)) {
                rc = mm_share_table(src, dst, r);
                last_shared = r;
                continue;
            }
            uint64_t lo = r > v->start ? r : v->start;
            uint64_t hi = r + FUT_HUGE_2M < v->end ? r + FUT_HUGE_2M : v->end;
            rc = fut_pt_visit(src->root, lo, hi, clone_leaf, &c);
        }
    }
    /* The child maps exactly the parent's pages (shared tables included). */
    dst->rss_pages = src->rss_pages;
    /* Parent pages just became read-only: its TLB must forget the writable entries. */
    fut_hal_tlb_flush_all();
    if (rc) {
        fut_mm_put(dst); /* drops every reference taken so far */
        return NULL;
    }
    return dst;
}
