/*
 * Self-test of the kernel's PMM (test=pmm): blocks come back aligned and
 * accounted, misuse is rejected without damage, refcounts free at zero, and
 * exhausting memory fails cleanly and recovers. Runs on fut_pmm_global(), so
 * the boot code must have initialised it; the test leaves it as it found it.
 */
#include "futura/errno.h"
#include "futura/lib/printk.h"
#include "futura/memory/pmm.h"
#include "futura/selftest.h"

/* Room for every block the exhaustion sweep takes: 32 GiB in 4 MiB blocks
 * plus fragments. Static because the PMM is what we would allocate from. */
#define EXHAUST_MAX_BLOCKS 8192
static uint64_t exhaust_phys[EXHAUST_MAX_BLOCKS];
static uint8_t exhaust_order[EXHAUST_MAX_BLOCKS];

/* The parts of the stats that describe which frames are free. */
static bool same_free_state(const struct fut_pmm_stats *a, const struct fut_pmm_stats *b)
{
    if (a->total_frames != b->total_frames || a->free_frames != b->free_frames)
        return false;
    for (unsigned int order = 0; order <= FUT_PMM_MAX_ORDER; order++) {
        if (a->free_blocks[order] != b->free_blocks[order])
            return false;
    }
    return true;
}

static void check_alloc_free(struct fut_pmm *pmm)
{
    uint64_t baseline = fut_pmm_free_frames(pmm);
    uint64_t frame = fut_pmm_alloc(pmm, 0);
    uint64_t block = fut_pmm_alloc(pmm, 3);
    FUT_CHECK(frame != 0 && frame % FUT_PAGE_SIZE == 0);
    FUT_CHECK(block != 0 && block % (8 * FUT_PAGE_SIZE) == 0);
    FUT_CHECK(fut_pmm_free_frames(pmm) == baseline - 9);
    FUT_CHECK(fut_pmm_page(pmm, frame) != NULL &&
              fut_pmm_page_phys(pmm, fut_pmm_page(pmm, frame)) == frame);
    FUT_CHECK(fut_pmm_free(pmm, frame, 0) == 0);
    FUT_CHECK(fut_pmm_free(pmm, block, 3) == 0);
    FUT_CHECK(fut_pmm_free_frames(pmm) == baseline);
}

static void check_misuse_rejected(struct fut_pmm *pmm)
{
    struct fut_pmm_stats before, after;
    uint64_t block = fut_pmm_alloc(pmm, 1);
    if (!FUT_CHECK(block != 0))
        return;
    fut_pmm_get_stats(pmm, &before);
    FUT_CHECK(fut_pmm_free(pmm, block + FUT_PAGE_SIZE, 1) == -EINVAL); /* misaligned */
    FUT_CHECK(fut_pmm_free(pmm, block + 8, 1) == -EINVAL);             /* not a frame */
    FUT_CHECK(fut_pmm_free(pmm, block, 0) == -EINVAL);                 /* wrong order */
    fut_pmm_get_stats(pmm, &after);
    FUT_CHECK(same_free_state(&before, &after));
    FUT_CHECK(after.invalid_frees == before.invalid_frees + 3);

    FUT_CHECK(fut_pmm_free(pmm, block, 1) == 0);
    FUT_CHECK(fut_pmm_free(pmm, block, 1) == -EINVAL); /* double free */
    FUT_CHECK(fut_pmm_check(pmm));
}

static void check_refcount(struct fut_pmm *pmm)
{
    uint64_t baseline = fut_pmm_free_frames(pmm);
    uint64_t frame = fut_pmm_alloc(pmm, 0);
    struct fut_page *page = fut_pmm_page(pmm, frame);
    if (!FUT_CHECK(frame != 0 && page != NULL))
        return;
    FUT_CHECK(page->refcount == 1);
    FUT_CHECK(fut_page_get(page) == 0);
    FUT_CHECK(fut_pmm_free(pmm, frame, 0) == -EBUSY);
    FUT_CHECK(!fut_page_put(pmm, page));
    FUT_CHECK(fut_pmm_free_frames(pmm) == baseline - 1);
    FUT_CHECK(fut_page_put(pmm, page));
    FUT_CHECK(fut_pmm_free_frames(pmm) == baseline);
}

/* Takes every free frame, largest blocks first so the table stays small,
 * checks that the next allocation fails, then gives everything back. */
static void check_exhaustion(struct fut_pmm *pmm)
{
    size_t n = 0;
    for (int order = FUT_PMM_MAX_ORDER; order >= 0; order--) {
        uint64_t phys;
        while (n < EXHAUST_MAX_BLOCKS && (phys = fut_pmm_alloc(pmm, (unsigned int)order)) != 0) {
            exhaust_phys[n] = phys;
            exhaust_order[n] = (uint8_t)order;
            n++;
        }
    }
    if (n == EXHAUST_MAX_BLOCKS) {
        fut_printk("pmm: more than %d free blocks; exhaustion check skipped\n", EXHAUST_MAX_BLOCKS);
    } else {
        FUT_CHECK(fut_pmm_free_frames(pmm) == 0);
        FUT_CHECK(fut_pmm_alloc(pmm, 0) == 0);
    }
    for (size_t i = 0; i < n; i++)
        FUT_CHECK(fut_pmm_free(pmm, exhaust_phys[i], exhaust_order[i]) == 0);
}

FUT_SELFTEST(pmm)
{
    struct fut_pmm *pmm = fut_pmm_global();
    struct fut_pmm_stats before, after;
    if (!FUT_CHECK(fut_pmm_total_frames(pmm) > 0))
        return FUT_TEST_FAIL; /* the boot code has not initialised the PMM */
    fut_pmm_get_stats(pmm, &before);

    check_alloc_free(pmm);
    check_misuse_rejected(pmm);
    check_refcount(pmm);
    check_exhaustion(pmm);

    fut_pmm_get_stats(pmm, &after);
    FUT_CHECK(same_free_state(&before, &after));
    FUT_CHECK(fut_pmm_check(pmm));
    return FUT_TEST_PASS;
}
