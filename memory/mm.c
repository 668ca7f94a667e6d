/* Address-space life cycle, mapping, unmapping and protection; see futura/memory/mm.h. */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/pmm.h"
#include "mm_internal.h"

struct fut_mm_stats fut_mm_counters;

/* The address space the CPU runs in (one CPU for now). */
static struct fut_mm *current_mm;

void fut_mm_get_stats(struct fut_mm_stats *out)
{
    *out = fut_mm_counters;
}

static struct fut_vma *vma_node_alloc(void *ctx)
{
    (void)ctx;
    return fut_kmalloc(sizeof(struct fut_vma));
}

static void vma_node_free(void *ctx, struct fut_vma *vma)
{
    (void)ctx;
    fut_kfree(vma);
}

static const struct fut_vma_allocator vma_allocator = {vma_node_alloc, vma_node_free, NULL};

struct fut_mm *fut_mm_create(void)
{
    struct fut_mm *mm = fut_kzalloc(sizeof(*mm));
    if (!mm)
        return NULL;
    mm->root = fut_pt_create();
    if (!mm->root) {
        fut_kfree(mm);
        return NULL;
    }
    /* Share the kernel half: its PML4 slots never change after boot. */
    uint64_t kroot = fut_kspace_root();
    if (kroot) {
        uint64_t *dst = fut_hal_phys_to_virt(mm->root);
        const uint64_t *src = fut_hal_phys_to_virt(kroot);
        memcpy(dst + FUT_PT_ENTRIES / 2, src + FUT_PT_ENTRIES / 2,
               FUT_PT_ENTRIES / 2 * sizeof(uint64_t));
    }
    fut_vma_set_init(&mm->vmas, &vma_allocator);
    mm->refcount = 1;
    fut_mm_counters.live_mms++;
    return mm;
}

void fut_mm_get(struct fut_mm *mm)
{
    mm->refcount++;
}

void mm_release_frame(uint64_t pte)
{
    struct fut_pmm *pmm = fut_pmm_global();
    struct fut_page *page = fut_pmm_page(pmm, fut_pte_addr(pte));
    if (page)
        fut_page_put(pmm, page);
}

static int release_leaf(void *ctx, uint64_t va, uint64_t *pte)
{
    struct fut_mm *mm = ctx;
    (void)va;
    mm_release_frame(*pte);
    *pte = 0;
    mm->rss_pages--;
    return 0;
}

static void unmap_pages(void *ctx, const struct fut_vma *piece, uint64_t start, uint64_t end)
{
    struct fut_mm *mm = ctx;
    (void)piece;
    /* A shared table we cannot copy (out of memory) keeps its entries: they
     * belong to the other sharers too, and this range's VMA is going away. */
    if (mm_unshare_range(mm, start, end))
        return;
    fut_pt_visit(mm->root, start, end, release_leaf, mm);
    fut_hal_tlb_flush_range(start, end);
}

void fut_mm_put(struct fut_mm *mm)
{
    if (--mm->refcount)
        return;
    if (current_mm == mm)
        fut_mm_activate(NULL); /* never keep running on tables being freed */
    mm_drop_shared_tables(mm);
    fut_vma_set_remove_range(&mm->vmas, 0, FUT_USER_TOP, unmap_pages, mm);
    fut_vma_set_destroy(&mm->vmas);
    fut_pt_free_user_tables(mm->root);
    fut_pt_destroy(mm->root);
    fut_kfree(mm);
    fut_mm_counters.live_mms--;
}

void fut_mm_activate(struct fut_mm *mm)
{
    current_mm = mm;
    fut_hal_pt_activate(mm ? mm->root : fut_kspace_root());
}

struct fut_mm *fut_mm_current(void)
{
    return current_mm;
}

static bool user_range_ok(uint64_t start, uint64_t len)
{
    return len && !(start & (FUT_PAGE_SIZE - 1)) && start < FUT_USER_TOP &&
           len <= FUT_USER_TOP - start;
}

int fut_mm_map(struct fut_mm *mm, const struct fut_vma *proto)
{
    if (proto->start >= proto->end || !user_range_ok(proto->start, proto->end - proto->start))
        return -EINVAL;
    return fut_vma_set_insert(&mm->vmas, proto, NULL);
}

int fut_mm_unmap(struct fut_mm *mm, uint64_t start, uint64_t len)
{
    if (!user_range_ok(start, len))
        return -EINVAL;
    uint64_t end = start + ((len + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1));
    return fut_vma_set_remove_range(&mm->vmas, start, end, unmap_pages, mm);
}

int fut_mm_discard(struct fut_mm *mm, uint64_t start, uint64_t len)
{
    if (!user_range_ok(start, len))
        return -EINVAL;
    uint64_t end = start + ((len + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1));
    if (mm_unshare_range(mm, start, end))
        return -ENOMEM;
    fut_pt_visit(mm->root, start, end, release_leaf, mm);
    fut_hal_tlb_flush_range(start, end);
    return 0;
}

uint64_t mm_pte_flags(const struct fut_vma *vma, bool writable)
{
    uint64_t flags = FUT_PTE_PRESENT | FUT_PTE_USER;
    if (writable && (vma->prot & FUT_PROT_WRITE))
        flags |= FUT_PTE_WRITE;
    if (!(vma->prot & FUT_PROT_EXEC))
        flags |= FUT_PTE_NX;
    return flags;
}

int mm_install_page(struct fut_mm *mm, uint64_t va, uint64_t frame, uint64_t flags)
{
    int rc = fut_pt_map(mm->root, va, frame, flags);
    if (rc) {
        mm_release_frame(frame);
        return rc;
    }
    mm->rss_pages++;
    return 0;
}

struct protect_ctx {
    struct fut_mm *mm;
};

/* After the VMAs changed, bring each present page of the range in line with
 * its VMA: write access only where the page is not shared copy-on-write. */
static int reprotect_leaf(void *ctx, uint64_t va, uint64_t *pte)
{
    struct fut_mm *mm = ctx;
    const struct fut_vma *vma = fut_vma_set_find(&mm->vmas, va);
    if (!vma)
        return 0;
    if (vma->prot == FUT_PROT_NONE) {
        /* No access at all: keep the frame, but make the entry fault. */
        *pte &= ~(FUT_PTE_WRITE | FUT_PTE_USER);
        *pte |= FUT_PTE_NX;
        return 0;
    }
    bool cow = (*pte & FUT_PTE_COW) != 0;
    uint64_t keep = *pte & (FUT_PTE_ADDR_MASK | FUT_PTE_COW | FUT_PTE_ACCESSED | FUT_PTE_DIRTY);
    *pte = keep | mm_pte_flags(vma, !cow);
    return 0;
}

int fut_mm_protect(struct fut_mm *mm, uint64_t start, uint64_t len, uint32_t prot)
{
    if (!user_range_ok(start, len))
        return -EINVAL;
    uint64_t end = start + ((len + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1));
    int rc = fut_vma_set_protect_range(&mm->vmas, start, end, prot);
    if (rc)
        return rc;
    if (mm_unshare_range(mm, start, end))
        return -ENOMEM;
    fut_pt_visit(mm->root, start, end, reprotect_leaf, mm);
    fut_hal_tlb_flush_range(start, end);
    return 0;
}
