/*
 * bench=mm: cost of the memory core's basic operations on the real machine
 * (or QEMU): frame alloc/free, kmalloc/kfree, map+unmap of a page, an
 * anonymous fault-in, and VMA lookup among 10,000 VMAs. Prints ns/op only.
 */
#include "futura/bench.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/uaccess.h"

#define ITERS 20000
#define FAULT_PAGES 2048
#define NR_VMAS 10000
#define LOOKUPS 200000
#define BENCH_BASE 0x20000000ull

static void bench_frames(void)
{
    struct fut_pmm *pmm = fut_pmm_global();
    uint64_t t0 = fut_bench_now_ns();
    for (int i = 0; i < ITERS; i++)
        fut_pmm_free(pmm, fut_pmm_alloc(pmm, 0), 0);
    fut_bench_report("frame_alloc_free", fut_bench_now_ns() - t0, ITERS);
}

static void bench_kmalloc(const char *op, size_t size)
{
    uint64_t t0 = fut_bench_now_ns();
    for (int i = 0; i < ITERS; i++)
        fut_kfree(fut_kmalloc(size));
    fut_bench_report(op, fut_bench_now_ns() - t0, ITERS);
}

static void bench_map_unmap(struct fut_mm *mm)
{
    uint64_t frame = fut_pmm_alloc(fut_pmm_global(), 0);
    /* First map creates the tables; time the steady state. */
    fut_pt_map(mm->root, BENCH_BASE, frame, FUT_PTE_USER | FUT_PTE_WRITE);
    fut_pt_unmap(mm->root, BENCH_BASE, 0);
    uint64_t t0 = fut_bench_now_ns();
    for (int i = 0; i < ITERS; i++) {
        fut_pt_map(mm->root, BENCH_BASE, frame, FUT_PTE_USER | FUT_PTE_WRITE);
        fut_pt_unmap(mm->root, BENCH_BASE, 0);
        fut_hal_tlb_flush_page(BENCH_BASE);
    }
    fut_bench_report("map_unmap_page", fut_bench_now_ns() - t0, ITERS);
    fut_pmm_free(fut_pmm_global(), frame, 0);
}

static void bench_fault_in(struct fut_mm *mm)
{
    struct fut_vma v = {.start = BENCH_BASE, .end = BENCH_BASE + FAULT_PAGES * FUT_PAGE_SIZE,
                        .prot = FUT_PROT_READ | FUT_PROT_WRITE,
                        .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON};
    if (fut_mm_map(mm, &v))
        return;
    char one = 1;
    uint64_t t0 = fut_bench_now_ns();
    for (uint64_t i = 0; i < FAULT_PAGES; i++)
        fut_copy_to_user((void *)(BENCH_BASE + i * FUT_PAGE_SIZE), &one, 1);
    fut_bench_report("anon_fault_in", fut_bench_now_ns() - t0, FAULT_PAGES);
    fut_mm_unmap(mm, BENCH_BASE, FAULT_PAGES * FUT_PAGE_SIZE);
}

static void bench_vma_lookup(struct fut_mm *mm)
{
    /* Alternating protections keep neighbours from merging into one VMA. */
    for (uint64_t i = 0; i < NR_VMAS; i++) {
        struct fut_vma v = {.start = BENCH_BASE + i * FUT_PAGE_SIZE,
                            .end = BENCH_BASE + (i + 1) * FUT_PAGE_SIZE,
                            .prot = (i & 1) ? FUT_PROT_READ : FUT_PROT_READ | FUT_PROT_WRITE,
                            .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON};
        if (fut_mm_map(mm, &v))
            return;
    }
    uint64_t x = 88172645463325252ull, found = 0;
    uint64_t t0 = fut_bench_now_ns();
    for (int i = 0; i < LOOKUPS; i++) {
        x ^= x << 13; /* xorshift: cheap, spreads lookups over the tree */
        x ^= x >> 7;
        x ^= x << 17;
        found += fut_vma_set_find(&mm->vmas, BENCH_BASE + (x % NR_VMAS) * FUT_PAGE_SIZE) != 0;
    }
    fut_bench_report("vma_lookup_10000", fut_bench_now_ns() - t0, LOOKUPS);
    if (found != LOOKUPS)
        fut_printk("BENCH mm: lookup found only %lu of %d\n", found, LOOKUPS);
    fut_mm_unmap(mm, BENCH_BASE, NR_VMAS * FUT_PAGE_SIZE);
}

FUT_BENCH(mm)
{
    bench_frames();
    bench_kmalloc("kmalloc_kfree_64", 64);
    bench_kmalloc("kmalloc_kfree_4096", 4096);
    struct fut_mm *mm = fut_mm_create();
    if (!mm)
        return;
    fut_mm_activate(mm);
    bench_map_unmap(mm);
    bench_fault_in(mm);
    bench_vma_lookup(mm);
    fut_mm_activate(0);
    fut_mm_put(mm);
}
