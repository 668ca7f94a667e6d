/*
 * Self-test of the kernel heap (test=kmalloc): objects of every class and a
 * few large blocks come back aligned, hold what was written, and once freed
 * leave the heap's live counts and the PMM's free frames where they were.
 * Runs on the live heap, so it compares against the counts it found (after
 * dropping cached empty slabs, which it also does at the end).
 */
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/pmm.h"
#include "futura/selftest.h"

static const size_t test_sizes[] = {0,   1,    16,   24,   64,   100,  128,  255,
                                    512, 1000, 2048, 2049, 4096, 8192, 65536};
#define NR_TEST_SIZES (sizeof(test_sizes) / sizeof(test_sizes[0]))
#define ROUNDS 8

static void *objects[ROUNDS][NR_TEST_SIZES];

static uint8_t pattern(unsigned int round, unsigned int i)
{
    return (uint8_t)(0x11 * round + i + 1);
}

/* Every object aligned to 16 (pages for large ones) and holding its own pattern. */
static void check_contents(void)
{
    for (unsigned int r = 0; r < ROUNDS; r++) {
        for (unsigned int i = 0; i < NR_TEST_SIZES; i++) {
            const uint8_t *p = objects[r][i];
            size_t size = test_sizes[i];
            if (!p)
                continue;
            FUT_CHECK((uintptr_t)p % (size > FUT_KMALLOC_MAX_SMALL ? FUT_PAGE_SIZE : 16) == 0);
            bool intact = true;
            for (size_t j = 0; j < size; j++)
                intact = intact && p[j] == pattern(r, i);
            FUT_CHECK(intact);
        }
    }
}

static void check_alloc_write_free(void)
{
    for (unsigned int r = 0; r < ROUNDS; r++) {
        for (unsigned int i = 0; i < NR_TEST_SIZES; i++) {
            objects[r][i] = fut_kmalloc(test_sizes[i]);
            if (FUT_CHECK(objects[r][i] != NULL))
                memset(objects[r][i], pattern(r, i), test_sizes[i]);
        }
    }
    check_contents();
    FUT_CHECK(fut_kmalloc_check());
    /* Free every other round first so slabs go partial, then the rest. */
    for (unsigned int start = 0; start < 2; start++) {
        for (unsigned int r = start; r < ROUNDS; r += 2) {
            for (unsigned int i = 0; i < NR_TEST_SIZES; i++) {
                fut_kfree(objects[r][i]);
                objects[r][i] = NULL;
            }
        }
        check_contents();
    }
}

static void check_zeroed_and_failures(void)
{
    uint8_t *p = fut_kzalloc(300);
    if (FUT_CHECK(p != NULL)) {
        bool zero = true;
        for (size_t i = 0; i < 300; i++)
            zero = zero && p[i] == 0;
        FUT_CHECK(zero);
    }
    fut_kfree(p);
    FUT_CHECK(fut_kmalloc((size_t)-1) == NULL);
    FUT_CHECK(fut_kmalloc(FUT_KMALLOC_MAX_SIZE + 1) == NULL);
    fut_kfree(NULL);
}

FUT_SELFTEST(kmalloc)
{
    struct fut_kmalloc_stats before, after;
    if (!FUT_CHECK(fut_pmm_total_frames(fut_pmm_global()) > 0))
        return FUT_TEST_FAIL; /* the boot code has not initialised the PMM */
    /* Without cached empty slabs, the PMM's free count is exactly comparable. */
    fut_kmalloc_shrink();
    uint64_t frames_before = fut_pmm_free_frames(fut_pmm_global());
    fut_kmalloc_get_stats(&before);

    check_alloc_write_free();
    check_zeroed_and_failures();

    fut_kmalloc_get_stats(&after);
    FUT_CHECK(after.live_objects == before.live_objects);
    FUT_CHECK(after.bytes_in_use == before.bytes_in_use);
    FUT_CHECK(after.large_pages == before.large_pages);
    FUT_CHECK(after.corruptions == before.corruptions);
    FUT_CHECK(fut_kmalloc_check());
    fut_kmalloc_shrink();
    FUT_CHECK(fut_pmm_free_frames(fut_pmm_global()) == frames_before);
    fut_printk("kmalloc: %llu live objects, %llu slab pages after the test\n",
               (unsigned long long)after.live_objects, (unsigned long long)after.slab_pages);
    return FUT_TEST_PASS;
}
