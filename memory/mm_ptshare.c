/*
 * Page tables shared copy-on-write (after On-Demand-Fork, EuroSys 2021).
 *
 * fork shares each last-level page table (512 entries, 2 MiB) of private
 * memory instead of copying its entries: both address spaces point their page
 * directory entry at the same table, write-protected at the directory level,
 * and the table's frame refcount counts the sharers. The pages under a shared
 * table are not touched: the table, not each process, owns one reference on
 * each. So fork costs O(tables), not O(pages).
 *
 * Before anything changes entries of a shared table (a fault, munmap,
 * mprotect), the changing address space "unshares" it: the last sharer simply
 * gets write access back; any other gets a private copy of the table, each
 * page under it gains a reference, and its entries become read-only
 * copy-on-write in both tables. From there the ordinary COW rules apply.
 *
 * Invariant: a user page directory entry without FUT_PTE_WRITE points at a
 * table that is (or was) shared; nothing else write-protects user PDEs.
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/pmm.h"
#include "mm_internal.h"

bool fut_mm_share_page_tables = true;

static uint64_t *pde_of(struct fut_mm *mm, uint64_t va)
{
    uint64_t *pde = fut_pt_entry(mm->root, va, 1, false);
    return pde && (*pde & FUT_PTE_PRESENT) ? pde : NULL;
}

static bool pde_shared(const uint64_t *pde)
{
    return pde && !(*pde & FUT_PTE_WRITE);
}

bool mm_region_shareable(const struct fut_mm *src, uint64_t region)
{
    const struct fut_vma *v =
        fut_vma_set_find_first_intersecting(&src->vmas, region, region + FUT_HUGE_2M);
    for (; v && v->start < region + FUT_HUGE_2M; v = fut_vma_next(v)) {
        if (v->flags & FUT_VMA_SHARED)
            return false; /* shared mappings need writable entries in both spaces */
    }
    return true;
}

int mm_share_table(struct fut_mm *src, struct fut_mm *dst, uint64_t region)
{
    uint64_t *spde = pde_of(src, region);
    if (!spde)
        return 0; /* nothing mapped in this region yet */
    uint64_t *dpde = fut_pt_entry(dst->root, region, 1, true);
    if (!dpde)
        return -ENOMEM;
    struct fut_page *table = fut_pmm_page(fut_pmm_global(), fut_pte_addr(*spde));
    if (!table || fut_page_get(table))
        return -ENOMEM;
    *spde &= ~FUT_PTE_WRITE;
    *dpde = *spde;
    fut_mm_counters.shared_tables++; /* (fut_mm_clone copies rss_pages as a whole) */
    return 0;
}

int mm_unshare_table(struct fut_mm *mm, uint64_t va)
{
    uint64_t *pde = pde_of(mm, va);
    if (!pde_shared(pde))
        return 0;
    struct fut_pmm *pmm = fut_pmm_global();
    uint64_t old = fut_pte_addr(*pde);
    struct fut_page *table = fut_pmm_page(pmm, old);
    if (table && table->refcount == 1) {
        /* The other sharers are gone: the table is ours again. Entries still
         * writable were never duplicated, so they stay exclusively ours. */
        *pde |= FUT_PTE_WRITE;
        fut_hal_tlb_flush_all();
        fut_mm_counters.reclaimed_tables++; /* the sole-owner rule, for a whole table */
        return 0;
    }
    uint64_t copy = fut_pt_create();
    if (!copy)
        return -ENOMEM;
    uint64_t *src = fut_hal_phys_to_virt(old), *dst = fut_hal_phys_to_virt(copy);
    for (unsigned i = 0; i < FUT_PT_ENTRIES; i++) {
        if (!(src[i] & FUT_PTE_PRESENT))
            continue;
        struct fut_page *page = fut_pmm_page(pmm, fut_pte_addr(src[i]));
        if (page)
            fut_page_get(page); /* mapped by the shared table and by our copy now */
        if (src[i] & FUT_PTE_USER)
            src[i] = (src[i] & ~FUT_PTE_WRITE) | FUT_PTE_COW;
        dst[i] = src[i];
    }
    *pde = copy | FUT_PTE_PRESENT | FUT_PTE_WRITE | FUT_PTE_USER;
    fut_page_put(pmm, table); /* other sharers remain: never the last reference */
    fut_mm_counters.unshared_tables++;
    fut_hal_tlb_flush_all();
    return 0;
}

int mm_unshare_range(struct fut_mm *mm, uint64_t start, uint64_t end)
{
    for (uint64_t r = start & ~(FUT_HUGE_2M - 1); r < end; r += FUT_HUGE_2M) {
        int rc = mm_unshare_table(mm, r);
        if (rc)
            return rc;
    }
    return 0;
}

void mm_drop_shared_tables(struct fut_mm *mm)
{
    uint64_t last = 1; /* not a region start */
    struct fut_pmm *pmm = fut_pmm_global();
    for (struct fut_vma *v = fut_vma_set_first(&mm->vmas); v; v = fut_vma_next(v)) {
        for (uint64_t r = v->start & ~(FUT_HUGE_2M - 1); r < v->end; r += FUT_HUGE_2M) {
            if (r == last)
                continue;
            last = r;
            uint64_t *pde = pde_of(mm, r);
            if (!pde_shared(pde))
                continue;
            struct fut_page *table = fut_pmm_page(pmm, fut_pte_addr(*pde));
            if (table && table->refcount > 1) {
                /* Others still use it: leave its entries and pages to them. */
                *pde = 0;
                fut_page_put(pmm, table);
            } else {
                *pde |= FUT_PTE_WRITE; /* ours alone: the normal teardown frees it */
            }
        }
    }
}
