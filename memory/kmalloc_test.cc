// Host tests for the kernel heap (memory/kmalloc.c) on 64 MiB of fake RAM.
#include "futura/memory/kmalloc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "futura/fake_hal.h"
#include "futura/hal.h"
#include "futura/memory/pmm.h"
#include "futura/memory/testing/memory_fixture.h"

namespace
{

constexpr size_t kPage = 4096;

// What a request of `size` bytes costs, computed independently of the heap:
// the next power of two from 16 to 2048, else a power-of-two number of pages.
size_t ExpectedFootprint(size_t size)
{
    size_t bytes = 16;
    while (bytes < size && bytes < 2048)
        bytes *= 2;
    if (size <= 2048)
        return bytes;
    bytes = kPage;
    while (bytes < size)
        bytes *= 2;
    return bytes;
}

std::string PointerText(const void *p)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%p", p);
    return buf;
}

fut_kmalloc_stats Stats()
{
    fut_kmalloc_stats s;
    fut_kmalloc_get_stats(&s);
    return s;
}

uint64_t FreeFrames()
{
    return fut_pmm_free_frames(fut_pmm_global());
}

class Kmalloc : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        fut_test_memory_setup(64 << 20);
        fut_kmalloc_init();
        fut_fake_console_reset();
        baseline_frames_ = FreeFrames();
    }

    void TearDown() override
    {
        fut_kmalloc_init(); // the heap's frames vanish with the fake RAM
        fut_test_memory_teardown();
    }

    // Everything freed: nothing live, and after dropping the cached empty
    // slabs every frame is back in the PMM.
    void ExpectBackToBaseline()
    {
        fut_kmalloc_stats s = Stats();
        EXPECT_EQ(s.live_objects, 0u);
        EXPECT_EQ(s.bytes_in_use, 0u);
        EXPECT_EQ(s.large_pages, 0u);
        EXPECT_LE(s.slab_pages, FUT_KMALLOC_NR_CLASSES + 1u); // one cached per cache at most
        EXPECT_TRUE(fut_kmalloc_check());
        fut_kmalloc_shrink();
        EXPECT_EQ(Stats().slab_pages, 0u);
        EXPECT_EQ(FreeFrames(), baseline_frames_);
        EXPECT_TRUE(fut_pmm_check(fut_pmm_global()));
    }

    uint64_t baseline_frames_ = 0;
};

TEST_F(Kmalloc, EverySmallSizeRoundsUpToItsClassAndIsNaturallyAligned)
{
    for (size_t size = 1; size <= 2048; size++) {
        void *p = fut_kmalloc(size);
        ASSERT_NE(p, nullptr) << size;
        size_t cls = ExpectedFootprint(size);
        auto addr = reinterpret_cast<uintptr_t>(p);
        EXPECT_EQ(addr % cls, 0u) << size;
        EXPECT_NE(addr % kPage, 0u) << size;
        fut_kmalloc_stats s = Stats();
        EXPECT_EQ(s.bytes_in_use, cls) << size;
        EXPECT_EQ(s.live_objects, 1u);
        EXPECT_EQ(s.large_pages, 0u);
        memset(p, 0xa5, size);
        fut_kfree(p);
    }
    EXPECT_EQ(Stats().corruptions, 0u);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, ClassObjectsCountsLiveObjectsPerClass)
{
    void *a = fut_kmalloc(16);
    void *b = fut_kmalloc(17);
    void *c = fut_kmalloc(2048);
    fut_kmalloc_stats s = Stats();
    EXPECT_EQ(s.class_objects[0], 1u);
    EXPECT_EQ(s.class_objects[1], 1u);
    EXPECT_EQ(s.class_objects[7], 1u);
    EXPECT_EQ(s.bytes_in_use, 16u + 32u + 2048u);
    fut_kfree(a);
    fut_kfree(b);
    fut_kfree(c);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, SizeZeroGivesUniqueMinimalObjects)
{
    void *a = fut_kmalloc(0);
    void *b = fut_kmalloc(0);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    EXPECT_EQ(Stats().bytes_in_use, 32u); // two 16-byte slots
    fut_kfree(a);
    fut_kfree(b);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, FreeOfNullIsIgnored)
{
    fut_kfree(nullptr);
    EXPECT_EQ(Stats().corruptions, 0u);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, ObjectsHoldIndependentContents)
{
    const size_t sizes[] = {8, 16, 24, 64, 100, 256, 500, 1024, 2000, 2048, 3000, 9000};
    std::vector<std::pair<uint8_t *, size_t>> objects;
    for (int round = 0; round < 40; round++) {
        for (size_t size : sizes) {
            auto *p = static_cast<uint8_t *>(fut_kmalloc(size));
            ASSERT_NE(p, nullptr);
            memset(p, static_cast<int>(objects.size() & 0xff), size);
            objects.emplace_back(p, size);
        }
    }
    for (size_t i = 0; i < objects.size(); i++) {
        uint8_t *p = objects[i].first;
        size_t size = objects[i].second;
        for (size_t j = 0; j < size; j++)
            ASSERT_EQ(p[j], static_cast<uint8_t>(i & 0xff)) << "object " << i << " byte " << j;
    }
    for (const auto &object : objects)
        fut_kfree(object.first);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, FreedObjectIsReusedBySameClass)
{
    void *keep = fut_kmalloc(100); // keeps the slab partial
    void *p = fut_kmalloc(100);
    uint64_t slabs = Stats().slab_pages;
    fut_kfree(p);
    void *q = fut_kmalloc(120);
    EXPECT_EQ(q, p);
    EXPECT_EQ(Stats().slab_pages, slabs);
    fut_kfree(q);
    fut_kfree(keep);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, KzallocZeroesReusedMemory)
{
    auto *p = static_cast<uint8_t *>(fut_kmalloc(512));
    memset(p, 0xff, 512);
    fut_kfree(p);
    auto *q = static_cast<uint8_t *>(fut_kzalloc(512));
    ASSERT_EQ(q, p);
    for (size_t i = 0; i < 512; i++)
        ASSERT_EQ(q[i], 0) << i;
    auto *big = static_cast<uint8_t *>(fut_kzalloc(3 * kPage));
    ASSERT_NE(big, nullptr);
    for (size_t i = 0; i < 3 * kPage; i++)
        ASSERT_EQ(big[i], 0) << i;
    fut_kfree(q);
    fut_kfree(big);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, EmptySlabsBeyondOnePerClassReturnToPmm)
{
    std::vector<void *> objects;
    for (int i = 0; i < 1000; i++)
        objects.push_back(fut_kmalloc(64));
    EXPECT_GE(Stats().slab_pages, 1000u / (kPage / 64));
    for (void *p : objects)
        fut_kfree(p);
    EXPECT_EQ(Stats().slab_pages, 1u); // the cached empty slab
    EXPECT_EQ(FreeFrames(), baseline_frames_ - 1);
    EXPECT_EQ(fut_kmalloc_shrink(), 1u);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, LargestClassHoldsOneObjectPerSlab)
{
    void *a = fut_kmalloc(2048);
    void *b = fut_kmalloc(2048);
    EXPECT_EQ(Stats().slab_pages, 2u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % kPage, 2048u);
    fut_kfree(a);
    fut_kfree(b);
    EXPECT_EQ(Stats().slab_pages, 1u);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, ManyAllocationsFreedInRandomOrderReturnToBaseline)
{
    std::mt19937 rng(42);
    std::uniform_int_distribution<size_t> small(0, 2048);
    std::uniform_int_distribution<size_t> large(2049, 40000);
    std::vector<void *> objects;
    uint64_t expected_bytes = 0;
    for (int i = 0; i < 6000; i++) {
        size_t size = i % 20 == 0 ? large(rng) : small(rng);
        void *p = fut_kmalloc(size);
        ASSERT_NE(p, nullptr) << size;
        objects.push_back(p);
        expected_bytes += ExpectedFootprint(size);
    }
    fut_kmalloc_stats s = Stats();
    EXPECT_EQ(s.live_objects, objects.size());
    EXPECT_EQ(s.bytes_in_use, expected_bytes);
    EXPECT_EQ(FreeFrames(), baseline_frames_ - s.slab_pages - s.large_pages);
    EXPECT_TRUE(fut_kmalloc_check());
    std::shuffle(objects.begin(), objects.end(), rng);
    for (void *p : objects)
        fut_kfree(p);
    EXPECT_EQ(Stats().corruptions, 0u);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, LargeAllocationsArePageAlignedPowerOfTwoBlocks)
{
    struct Case {
        size_t size;
        uint64_t pages;
    };
    const Case cases[] = {{2049, 1},       {4096, 1},      {4097, 2},
                          {3 * kPage, 4},  {1 << 20, 256}, {(1 << 20) + 1, 512},
                          {4u << 20, 1024}};
    for (const Case &c : cases) {
        uint64_t before = FreeFrames();
        auto *p = static_cast<uint8_t *>(fut_kmalloc(c.size));
        ASSERT_NE(p, nullptr) << c.size;
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kPage, 0u) << c.size;
        fut_kmalloc_stats s = Stats();
        EXPECT_EQ(s.large_pages, c.pages) << c.size;
        EXPECT_EQ(s.bytes_in_use, c.pages * kPage) << c.size;
        // The block plus, the first time, the frame holding the heap's record of it.
        EXPECT_EQ(before - FreeFrames(), c.pages + (before == baseline_frames_ ? 1 : 0));
        memset(p, 0x5a, c.size); // every byte is ours
        fut_kfree(p);
        EXPECT_EQ(Stats().large_pages, 0u);
    }
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, HugeRequestsFailWithoutOverflow)
{
    const size_t sizes[] = {SIZE_MAX, SIZE_MAX - kPage + 2, SIZE_MAX / 2 + 1,
                            FUT_KMALLOC_MAX_SIZE + 1, size_t{1} << 40};
    for (size_t size : sizes) {
        EXPECT_EQ(fut_kmalloc(size), nullptr) << size;
        EXPECT_EQ(fut_kzalloc(size), nullptr) << size;
    }
    fut_kmalloc_stats s = Stats();
    EXPECT_EQ(s.failed_allocs, 2 * (sizeof(sizes) / sizeof(sizes[0])));
    EXPECT_EQ(s.live_objects, 0u);
    EXPECT_EQ(s.corruptions, 0u);
    EXPECT_EQ(FreeFrames(), baseline_frames_);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, OutOfMemoryReturnsNullAndHeapRecoversAfterFrees)
{
    std::vector<void *> blocks;
    for (void *p; (p = fut_kmalloc(FUT_KMALLOC_MAX_SIZE)) != nullptr;)
        blocks.push_back(p);
    EXPECT_GE(blocks.size(), 14u);
    std::vector<void *> pages;
    for (void *p; (p = fut_kmalloc(kPage)) != nullptr;)
        pages.push_back(p);
    ASSERT_FALSE(pages.empty());
    std::vector<void *> smalls;
    for (void *p; (p = fut_kmalloc(64)) != nullptr;)
        smalls.push_back(p);

    EXPECT_EQ(FreeFrames(), 0u);
    uint64_t failed = Stats().failed_allocs;
    EXPECT_EQ(fut_kmalloc(64), nullptr);
    EXPECT_EQ(fut_kmalloc(8192), nullptr); // record allocated, block refused, record freed
    EXPECT_EQ(fut_kzalloc(16), nullptr);
    EXPECT_EQ(Stats().failed_allocs, failed + 3);
    EXPECT_TRUE(fut_kmalloc_check());

    // One frame back: small allocations work again.
    fut_kfree(pages.back());
    pages.pop_back();
    void *again = fut_kmalloc(16);
    ASSERT_NE(again, nullptr);
    memset(again, 1, 16);
    smalls.push_back(again);
    EXPECT_TRUE(fut_kmalloc_check());
    EXPECT_EQ(Stats().corruptions, 0u);

    for (void *p : smalls)
        fut_kfree(p);
    for (void *p : pages)
        fut_kfree(p);
    for (void *p : blocks)
        fut_kfree(p);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, DoubleFreeIsReportedCountedAndIgnored)
{
    void *keep = fut_kmalloc(64);
    void *p = fut_kmalloc(64);
    fut_kfree(p);
    fut_kmalloc_stats before = Stats();
    fut_kfree(p);
    fut_kmalloc_stats after = Stats();
    EXPECT_EQ(after.double_frees, 1u);
    EXPECT_EQ(after.corruptions, 1u);
    EXPECT_EQ(after.live_objects, before.live_objects);
    EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
    std::string console = fut_fake_console_output();
    EXPECT_NE(console.find("double kfree"), std::string::npos) << console;
    EXPECT_NE(console.find(PointerText(p)), std::string::npos) << console;
    EXPECT_TRUE(fut_kmalloc_check());

    // The slot is handed out once, not twice.
    void *x = fut_kmalloc(64);
    void *y = fut_kmalloc(64);
    EXPECT_NE(x, y);
    EXPECT_NE(x, keep);
    EXPECT_NE(y, keep);
    fut_kfree(x);
    fut_kfree(y);
    fut_kfree(keep);
    EXPECT_EQ(Stats().corruptions, 1u);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, DoubleFreeOfLargeBlockIsReportedAndIgnored)
{
    void *p = fut_kmalloc(3 * kPage);
    fut_kfree(p);
    uint64_t frames = FreeFrames();
    fut_kfree(p);
    EXPECT_EQ(FreeFrames(), frames);
    EXPECT_EQ(Stats().invalid_frees, 1u);
    EXPECT_EQ(Stats().corruptions, 1u);
    EXPECT_TRUE(fut_pmm_check(fut_pmm_global()));
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, FreeOfPointerInsideObjectIsReportedAndIgnored)
{
    auto *p = static_cast<uint8_t *>(fut_kmalloc(128));
    auto *big = static_cast<uint8_t *>(fut_kmalloc(2 * kPage));
    fut_kfree(p + 8);
    fut_kfree(p + 128); // the next slot's start, but that slot is free
    fut_kfree(big + 16);
    fut_kfree(big + kPage); // page-aligned, but not the block's start
    auto *slab_header = reinterpret_cast<uint8_t *>(reinterpret_cast<uintptr_t>(p) & ~(kPage - 1));
    fut_kfree(slab_header);
    fut_kfree(slab_header + 8);

    fut_kmalloc_stats s = Stats();
    EXPECT_EQ(s.invalid_frees, 5u);
    EXPECT_EQ(s.double_frees, 1u); // p + 128: a free slot
    EXPECT_EQ(s.corruptions, 6u);
    EXPECT_EQ(s.live_objects, 2u);
    std::string console = fut_fake_console_output();
    EXPECT_NE(console.find(PointerText(p + 8)), std::string::npos) << console;
    EXPECT_NE(console.find(PointerText(big + 16)), std::string::npos) << console;
    EXPECT_TRUE(fut_kmalloc_check());

    fut_kfree(p);
    fut_kfree(big);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, FreeOfMemoryNotFromKmallocIsReportedAndIgnored)
{
    uint64_t phys = fut_pmm_alloc(fut_pmm_global(), 1);
    ASSERT_NE(phys, 0u);
    auto *page = static_cast<uint8_t *>(fut_hal_phys_to_virt(phys));
    memset(page, 0, 2 * kPage);
    fut_kfree(page);              // allocated PMM block, not a kmalloc block
    fut_kfree(page + 64);         // no slab magic
    fut_kfree(page + kPage + 64); // tail frame of a block
    uint64_t free_phys = fut_pmm_alloc(fut_pmm_global(), 0);
    fut_pmm_free(fut_pmm_global(), free_phys, 0);
    fut_kfree(static_cast<uint8_t *>(fut_hal_phys_to_virt(free_phys)) + 32); // a free frame

    EXPECT_EQ(Stats().invalid_frees, 4u);
    EXPECT_EQ(Stats().corruptions, 4u);
    EXPECT_EQ(fut_pmm_free(fut_pmm_global(), phys, 1), 0);
    EXPECT_TRUE(fut_pmm_check(fut_pmm_global()));
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, FreedObjectsArePoisoned)
{
    if (!FUT_KMALLOC_DEBUG)
        GTEST_SKIP() << "FUT_KMALLOC_DEBUG is off";
    void *keep = fut_kmalloc(256);
    auto *p = static_cast<uint8_t *>(fut_kmalloc(256));
    memset(p, 0, 256);
    fut_kfree(p);
    for (size_t i = 0; i < 256; i++)
        ASSERT_EQ(p[i], FUT_KMALLOC_POISON) << i;
    fut_kfree(keep);
    ExpectBackToBaseline();
}

TEST_F(Kmalloc, WriteAfterFreeIsReportedWhenObjectIsReused)
{
    if (!FUT_KMALLOC_DEBUG)
        GTEST_SKIP() << "FUT_KMALLOC_DEBUG is off";
    void *keep = fut_kmalloc(32);
    auto *p = static_cast<uint8_t *>(fut_kmalloc(32));
    fut_kfree(p);
    p[21] = 0; // use after free
    EXPECT_EQ(Stats().poison_errors, 0u);
    auto *q = static_cast<uint8_t *>(fut_kmalloc(32));
    ASSERT_EQ(q, p);
    fut_kmalloc_stats s = Stats();
    EXPECT_EQ(s.poison_errors, 1u);
    EXPECT_EQ(s.corruptions, 1u);
    std::string console = fut_fake_console_output();
    EXPECT_NE(console.find("use-after-free"), std::string::npos) << console;
    EXPECT_NE(console.find(PointerText(p)), std::string::npos) << console;
    EXPECT_NE(console.find("offset 21"), std::string::npos) << console;

    // An untouched freed object comes back without a report.
    fut_kfree(q);
    q = static_cast<uint8_t *>(fut_kmalloc(32));
    EXPECT_EQ(Stats().poison_errors, 1u);
    fut_kfree(q);
    fut_kfree(keep);
    ExpectBackToBaseline();
}

// Random mix of sizes and frees with a fixed seed: no two live allocations
// overlap, contents survive, and the stats track the model throughout.
TEST_F(Kmalloc, RandomizedStressKeepsAllocationsDisjointAndStatsExact)
{
    struct Live {
        size_t size;
        uint8_t fill;
    };
    std::mt19937_64 rng(0xf07a2a);
    std::map<uintptr_t, Live> live; // by address, for overlap checks
    std::vector<uintptr_t> order;   // for picking a random victim
    uint64_t expected_bytes = 0;
    const int kOps = 200000;

    auto pick_size = [&rng]() -> size_t {
        uint64_t r = rng() % 1000;
        if (r < 900)
            return rng() % (size_t{1} << (rng() % 12 + 1)); // 0 .. 2047, small-biased
        if (r < 995)
            return 2049 + rng() % 30000;
        return 40000 + rng() % (1 << 20);
    };
    // Fills (and checks) the whole of small objects, the ends of large ones.
    auto span = [](size_t size, size_t *head, size_t *tail) {
        *head = std::min<size_t>(size, 256);
        *tail = size > 512 ? 256 : 0;
    };

    for (int op = 0; op < kOps; op++) {
        bool allocate = live.empty() || (live.size() < 3000 && rng() % 100 < 55);
        if (allocate) {
            size_t size = pick_size();
            auto *p = static_cast<uint8_t *>(fut_kmalloc(size));
            ASSERT_NE(p, nullptr) << "op " << op << " size " << size;
            auto addr = reinterpret_cast<uintptr_t>(p);
            size_t footprint = ExpectedFootprint(size);
            auto next = live.lower_bound(addr);
            if (next != live.end()) {
                ASSERT_LE(addr + footprint, next->first) << "op " << op;
            }
            if (next != live.begin()) {
                auto prev = std::prev(next);
                ASSERT_LE(prev->first + ExpectedFootprint(prev->second.size), addr) << "op " << op;
            }
            auto fill = static_cast<uint8_t>(rng());
            size_t head, tail;
            span(size, &head, &tail);
            memset(p, fill, head);
            memset(p + size - tail, fill, tail);
            live[addr] = {size, fill};
            order.push_back(addr);
            expected_bytes += footprint;
        } else {
            size_t i = rng() % order.size();
            uintptr_t addr = order[i];
            order[i] = order.back();
            order.pop_back();
            Live obj = live[addr];
            live.erase(addr);
            auto *p = reinterpret_cast<uint8_t *>(addr);
            size_t head, tail;
            span(obj.size, &head, &tail);
            for (size_t j = 0; j < head; j++)
                ASSERT_EQ(p[j], obj.fill) << "op " << op;
            for (size_t j = obj.size - tail; j < obj.size; j++)
                ASSERT_EQ(p[j], obj.fill) << "op " << op;
            fut_kfree(p);
            expected_bytes -= ExpectedFootprint(obj.size);
        }
        fut_kmalloc_stats s = Stats();
        ASSERT_EQ(s.live_objects, live.size()) << "op " << op;
        ASSERT_EQ(s.bytes_in_use, expected_bytes) << "op " << op;
        ASSERT_EQ(s.corruptions, 0u) << "op " << op;
        if (op % 10000 == 0) {
            ASSERT_TRUE(fut_kmalloc_check()) << "op " << op;
        }
    }
    EXPECT_TRUE(fut_kmalloc_check());
    for (const auto &entry : live)
        fut_kfree(reinterpret_cast<void *>(entry.first));
    EXPECT_EQ(Stats().corruptions, 0u);
    ExpectBackToBaseline();
}

} // namespace
