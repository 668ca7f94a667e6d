/*
 * test=mm: address spaces on the real page tables. The kernel reaches user
 * memory only through the uaccess routines, so every step exercises the #PF
 * path exactly as a system call would: demand-zero fault-in, COW copy on
 * write, sole-owner reuse, -EFAULT for unmapped and kernel addresses, unmap,
 * and teardown with every frame, page table and heap byte returned.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/selftest.h"
#include "futura/uaccess.h"

#define BASE 0x10000000ull
#define PAGES 16

static uint64_t pte_at(struct fut_mm *mm, uint64_t va)
{
    uint64_t pte = 0;
    return fut_pt_translate(mm->root, va, 0, &pte) ? pte : 0;
}

static struct fut_page *page_at(struct fut_mm *mm, uint64_t va)
{
    return fut_pmm_page(fut_pmm_global(), fut_pte_addr(pte_at(mm, va)));
}

static void check_cow(struct fut_mm *parent)
{
    char buf[16];
    struct fut_mm_stats s0, s1;
    struct fut_mm *child = fut_mm_clone(parent, false);
    if (!FUT_CHECK(child != NULL))
        return;
    uint64_t frame = fut_pte_addr(pte_at(parent, BASE));
    FUT_CHECK(fut_pte_addr(pte_at(child, BASE)) == frame);
    /* Shared read-only in both: one page table shared (the default), or the
     * page itself with a second reference (fork=cow). */
    FUT_CHECK(!(pte_at(parent, BASE) & FUT_PTE_WRITE) && !(pte_at(child, BASE) & FUT_PTE_WRITE));
    FUT_CHECK(page_at(parent, BASE)->refcount == (fut_mm_share_page_tables ? 1u : 2u));

    fut_mm_get_stats(&s0);
    FUT_CHECK(fut_copy_to_user((void *)BASE, "PARENT", 7) == 0); /* parent writes: copy */
    fut_mm_get_stats(&s1);
    FUT_CHECK(s1.cow_copies == s0.cow_copies + 1);
    FUT_CHECK(fut_pte_addr(pte_at(parent, BASE)) != frame);

    fut_mm_activate(child);
    FUT_CHECK(fut_copy_from_user(buf, (void *)BASE, 7) == 0 && memcmp(buf, "futura", 7) == 0);
    fut_mm_get_stats(&s0);
    FUT_CHECK(fut_copy_to_user((void *)BASE, "child", 6) == 0); /* last owner: reuse */
    fut_mm_get_stats(&s1);
    FUT_CHECK(s1.cow_reuses == s0.cow_reuses + 1 && s1.cow_copies == s0.cow_copies);
    FUT_CHECK(fut_pte_addr(pte_at(child, BASE)) == frame);

    fut_mm_activate(parent);
    FUT_CHECK(fut_copy_from_user(buf, (void *)BASE, 7) == 0 && memcmp(buf, "PARENT", 7) == 0);
    fut_mm_put(child);
}

FUT_SELFTEST(mm)
{
    struct fut_pmm *pmm = fut_pmm_global();
    struct fut_kmalloc_stats k0, k1;
    fut_kmalloc_shrink(); /* cached empty slabs would make the frame count drift */
    fut_kmalloc_get_stats(&k0);
    uint64_t free0 = fut_pmm_free_frames(pmm), tables0 = fut_pt_table_pages();
    char buf[16];

    struct fut_mm *mm = fut_mm_create();
    if (!FUT_CHECK(mm != NULL))
        return FUT_TEST_FAIL;
    struct fut_vma v = {.start = BASE, .end = BASE + PAGES * FUT_PAGE_SIZE,
                        .prot = FUT_PROT_READ | FUT_PROT_WRITE,
                        .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON};
    FUT_CHECK(fut_mm_map(mm, &v) == 0);
    fut_mm_activate(mm);

    /* Demand paging: nothing is present until the first touch. */
    FUT_CHECK(mm->rss_pages == 0);
    FUT_CHECK(fut_copy_from_user(buf, (void *)(BASE + FUT_PAGE_SIZE), 8) == 0);
    FUT_CHECK(mm->rss_pages == 1 && buf[0] == 0 && buf[7] == 0);
    FUT_CHECK(fut_copy_to_user((void *)BASE, "futura", 7) == 0);
    FUT_CHECK(mm->rss_pages == 2);

    check_cow(mm);

    /* Bad user pointers: -EFAULT, never a crash. */
    FUT_CHECK(fut_copy_from_user(buf, (void *)(BASE + PAGES * FUT_PAGE_SIZE), 1) == -EFAULT);
    FUT_CHECK(fut_copy_from_user(buf, (void *)0, 1) == -EFAULT);
    FUT_CHECK(fut_copy_from_user(buf, (void *)0xffffffff80100000ull, 1) == -EFAULT);
    FUT_CHECK(fut_copy_to_user((void *)(BASE + PAGES * FUT_PAGE_SIZE - 4), "12345678", 8) ==
              -EFAULT);
    FUT_CHECK(fut_copy_to_user((void *)0x00007ffffffffffcull, "12345678", 8) == -EFAULT);

    /* Unmapping the first page makes it fault; the rest keeps its contents. */
    FUT_CHECK(fut_copy_to_user((void *)(BASE + 2 * FUT_PAGE_SIZE), "keep", 5) == 0);
    FUT_CHECK(fut_mm_unmap(mm, BASE, FUT_PAGE_SIZE) == 0);
    FUT_CHECK(fut_copy_from_user(buf, (void *)BASE, 1) == -EFAULT);
    FUT_CHECK(fut_copy_from_user(buf, (void *)(BASE + 2 * FUT_PAGE_SIZE), 5) == 0 &&
              memcmp(buf, "keep", 5) == 0);

    fut_mm_activate(NULL);
    fut_mm_put(mm);
    fut_kmalloc_shrink();
    fut_kmalloc_get_stats(&k1);
    FUT_CHECK(fut_pmm_free_frames(pmm) == free0);
    FUT_CHECK(fut_pt_table_pages() == tables0);
    FUT_CHECK(k1.live_objects == k0.live_objects);
    return FUT_TEST_PASS;
}
