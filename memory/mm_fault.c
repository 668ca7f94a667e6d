/*
 * Page-fault resolution, named by situation as in Linux:
 *   do_anonymous_page  first touch of anonymous memory: a zeroed frame
 *   do_file_page       first touch of object-backed memory: the object's frame
 *   do_wp_page         write to a present read-only page of a writable mapping:
 *                      copy it, or keep it when the writer is its last owner
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/pmm.h"
#include "mm_internal.h"

static bool access_allowed(const struct fut_vma *vma, uint32_t access)
{
    if ((access & FUT_FAULT_WRITE) && !(vma->prot & FUT_PROT_WRITE))
        return false;
    if ((access & FUT_FAULT_EXEC) && !(vma->prot & FUT_PROT_EXEC))
        return false;
    return vma->prot != FUT_PROT_NONE;
}

static uint64_t alloc_frame(void)
{
    return fut_pmm_alloc(fut_pmm_global(), 0);
}

static enum fut_fault_result result_of(int rc)
{
    if (rc == 0)
        return FUT_FAULT_HANDLED;
    return rc == -ENOMEM ? FUT_FAULT_OOM : FUT_FAULT_BUS;
}

static enum fut_fault_result do_anonymous_page(struct fut_mm *mm, const struct fut_vma *vma,
                                               uint64_t va)
{
    uint64_t frame = alloc_frame();
    if (!frame)
        return FUT_FAULT_OOM;
    memset(fut_hal_phys_to_virt(frame), 0, FUT_PAGE_SIZE);
    fut_mm_counters.anon_faults++;
    return result_of(mm_install_page(mm, va, frame, mm_pte_flags(vma, true)));
}

/* Pages of a file mapping mapped around a read fault, as one aligned window:
 * sequential readers of a mapped file take one fault per 64 KiB instead of
 * one per page (exceptions are the expensive part, under emulation most). */
#define FAULT_AROUND_PAGES 16

static void fault_around(struct fut_mm *mm, const struct fut_vma *vma, uint64_t va)
{
    const struct fut_mm_backing_ops *ops = (const struct fut_mm_backing_ops *)vma->obj_ops;
    uint64_t window = FAULT_AROUND_PAGES * FUT_PAGE_SIZE;
    uint64_t lo = va & ~(window - 1), hi = lo + window;
    if (lo < vma->start)
        lo = vma->start;
    if (hi > vma->end)
        hi = vma->end;
    bool shared = (vma->flags & FUT_VMA_SHARED) != 0;
    for (uint64_t a = lo; a < hi; a += FUT_PAGE_SIZE) {
        uint64_t *pte = fut_pt_lookup(mm->root, a);
        if (a == va || !pte || (*pte & FUT_PTE_PRESENT))
            continue; /* only within the faulting page's (private) table */
        uint64_t frame = 0;
        if (ops->get_page(vma->obj, vma->file_offset + (a - vma->start), &frame))
            break; /* past the end of the file */
        uint64_t flags = shared ? mm_pte_flags(vma, true) : mm_pte_flags(vma, false) | FUT_PTE_COW;
        if (mm_install_page(mm, a, frame, flags))
            break;
    }
}

static enum fut_fault_result do_file_page(struct fut_mm *mm, const struct fut_vma *vma,
                                          uint64_t va, uint32_t access)
{
    const struct fut_mm_backing_ops *ops = (const struct fut_mm_backing_ops *)vma->obj_ops;
    uint64_t frame = 0;
    int rc = ops->get_page(vma->obj, vma->file_offset + (va - vma->start), &frame);
    if (rc)
        return rc == -ENOMEM ? FUT_FAULT_OOM : FUT_FAULT_BUS;
    fut_mm_counters.file_faults++;
    if ((vma->flags & FUT_VMA_SHARED) || !(access & FUT_FAULT_WRITE)) {
        /* Shared: the object's frame itself. Private and only read so far:
         * share the object's frame until a write. */
        uint64_t flags = (vma->flags & FUT_VMA_SHARED) ? mm_pte_flags(vma, true)
                                                        : mm_pte_flags(vma, false) | FUT_PTE_COW;
        enum fut_fault_result res = result_of(mm_install_page(mm, va, frame, flags));
        if (res == FUT_FAULT_HANDLED && !(access & FUT_FAULT_WRITE))
            fault_around(mm, vma, va);
        return res;
    }
    uint64_t copy = alloc_frame();
    if (!copy) {
        mm_release_frame(frame);
        return FUT_FAULT_OOM;
    }
    memcpy(fut_hal_phys_to_virt(copy), fut_hal_phys_to_virt(frame), FUT_PAGE_SIZE);
    mm_release_frame(frame);
    fut_mm_counters.cow_copies++;
    return result_of(mm_install_page(mm, va, copy, mm_pte_flags(vma, true)));
}

static enum fut_fault_result do_wp_page(const struct fut_vma *vma, uint64_t va, uint64_t *pte)
{
    struct fut_pmm *pmm = fut_pmm_global();
    uint64_t old = fut_pte_addr(*pte);
    struct fut_page *page = fut_pmm_page(pmm, old);
    uint64_t keep = *pte & (FUT_PTE_ACCESSED | FUT_PTE_DIRTY);

    if ((vma->flags & FUT_VMA_SHARED) || (page && page->refcount == 1)) {
        /* Sole owner (or a shared mapping): no copy, just allow the write. */
        *pte = old | keep | mm_pte_flags(vma, true);
        fut_hal_tlb_flush_page(va);
        fut_mm_counters.cow_reuses++;
        return FUT_FAULT_HANDLED;
    }
    uint64_t copy = alloc_frame();
    if (!copy)
        return FUT_FAULT_OOM;
    memcpy(fut_hal_phys_to_virt(copy), fut_hal_phys_to_virt(old), FUT_PAGE_SIZE);
    *pte = copy | mm_pte_flags(vma, true);
    fut_hal_tlb_flush_page(va);
    if (page)
        fut_page_put(pmm, page);
    fut_mm_counters.cow_copies++;
    return FUT_FAULT_HANDLED;
}

enum fut_fault_result fut_mm_handle_fault(struct fut_mm *mm, uint64_t addr, uint32_t access)
{
    uint64_t va = addr & ~(FUT_PAGE_SIZE - 1);
    const struct fut_vma *vma = addr < FUT_USER_TOP ? fut_vma_set_find(&mm->vmas, addr) : NULL;
    if (!vma) {
        fut_mm_counters.segv_faults++;
        return FUT_FAULT_SEGV_MAPERR;
    }
    if (!access_allowed(vma, access)) {
        fut_mm_counters.segv_faults++;
        return FUT_FAULT_SEGV_ACCERR;
    }
    /* Any change below needs this space's own copy of a shared page table. */
    if (mm_unshare_table(mm, va))
        return FUT_FAULT_OOM;
    uint64_t *pte = fut_pt_lookup(mm->root, va);
    if (!pte || !(*pte & FUT_PTE_PRESENT)) {
        if (vma->obj && ((const struct fut_mm_backing_ops *)vma->obj_ops)->get_page)
            return do_file_page(mm, vma, va, access);
        return do_anonymous_page(mm, vma, va);
    }
    if ((access & FUT_FAULT_WRITE) && !(*pte & FUT_PTE_WRITE))
        return do_wp_page(vma, va, pte);
    /* Already resolved (a stale TLB entry, or a racing fault): retry. */
    fut_hal_tlb_flush_page(va);
    return FUT_FAULT_HANDLED;
}
