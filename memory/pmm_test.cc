// Host tests of the physical memory manager. Physical addresses are made up:
// the PMM never touches frame contents, only the descriptor array we malloc.
#include "futura/memory/pmm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "futura/errno.h"

namespace
{

constexpr uint64_t kPage = FUT_PAGE_SIZE;
constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

fut_mem_region Usable(uint64_t base, uint64_t length)
{
    return {base, length, FUT_MEM_USABLE};
}

fut_mem_region Region(uint64_t base, uint64_t length, fut_mem_type type)
{
    return {base, length, static_cast<uint32_t>(type)};
}

// What QEMU's e820 reports for a guest with 128 MiB below 4 GiB and 32 MiB above.
const std::vector<fut_mem_region> kQemuMap = {
    Usable(0x0, 0x9fc00),                                 // low memory
    Region(0x9fc00, 0x400, FUT_MEM_RESERVED),             // EBDA
    Region(0xf0000, 0x10000, FUT_MEM_RESERVED),           // BIOS ROM
    Usable(0x100000, 0x7ee0000),                          // 1 MiB .. 127.875 MiB
    Region(0x7fe0000, 0x20000, FUT_MEM_ACPI_RECLAIMABLE), // ACPI tables
    Region(0xfeffc000, 0x4000, FUT_MEM_RESERVED),         // firmware
    Region(0xfffc0000, 0x40000, FUT_MEM_RESERVED),        // BIOS flash
    Usable(0x100000000, 32 * kMiB),                       // above the PCI hole
};
// Kernel image at 1 MiB and a boot module whose ends are not page aligned.
constexpr fut_phys_range kFirstMiB = {0, 0x100000};
constexpr fut_phys_range kKernelImage = {0x100000, 0x3f3000};
constexpr fut_phys_range kBootModule = {0x500200, 0x5812a0};

// The rule fut_pmm_init implements, one frame at a time: managed iff wholly
// inside a usable region, touching no other region or reserved range, not frame 0.
std::vector<bool> ReferenceManaged(const std::vector<fut_mem_region> &regions,
                                   const std::vector<fut_phys_range> &reserved, uint64_t npfns)
{
    std::vector<bool> managed(npfns, false);
    for (uint64_t pfn = 1; pfn < npfns; pfn++) {
        uint64_t lo = pfn * kPage, hi = lo + kPage;
        bool usable = false, touched = false;
        for (const auto &r : regions) {
            if (r.type == FUT_MEM_USABLE)
                usable |= r.base <= lo && hi <= r.base + r.length;
            else
                touched |= r.base < hi && lo < r.base + r.length;
        }
        for (const auto &r : reserved)
            touched |= r.start < hi && lo < r.end;
        managed[pfn] = usable && !touched;
    }
    return managed;
}

uint64_t CountTrue(const std::vector<bool> &v)
{
    uint64_t n = 0;
    for (bool b : v)
        n += b;
    return n;
}

// One PMM with its own descriptor storage.
class TestPmm
{
  public:
    int Init(const std::vector<fut_mem_region> &regions,
             const std::vector<fut_phys_range> &reserved = {})
    {
        size_t bytes = fut_pmm_descriptor_bytes(regions.data(), regions.size());
        storage_.assign(bytes / sizeof(fut_page) + 1, fut_page{});
        return fut_pmm_init(&pmm_, regions.data(), regions.size(), reserved.data(), reserved.size(),
                            storage_.data(), bytes);
    }

    fut_pmm *get()
    {
        return &pmm_;
    }

    fut_pmm_stats Stats()
    {
        fut_pmm_stats s;
        fut_pmm_get_stats(&pmm_, &s);
        return s;
    }

  private:
    std::vector<fut_page> storage_;
    fut_pmm pmm_{};
};

void ExpectSameFreeState(const fut_pmm_stats &a, const fut_pmm_stats &b)
{
    EXPECT_EQ(a.total_frames, b.total_frames);
    EXPECT_EQ(a.free_frames, b.free_frames);
    for (int order = 0; order <= FUT_PMM_MAX_ORDER; order++)
        EXPECT_EQ(a.free_blocks[order], b.free_blocks[order]) << "order " << order;
}

// The QEMU map with its reserved ranges, descriptors placed as the kernel would.
class QemuPmm : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        reserved_ = {kFirstMiB, kKernelImage, kBootModule};
        uint64_t phys = 0;
        ASSERT_EQ(fut_pmm_place_descriptors(kQemuMap.data(), kQemuMap.size(), reserved_.data(),
                                            reserved_.size(), 4 * kGiB, &phys),
                  0);
        size_t bytes = fut_pmm_descriptor_bytes(kQemuMap.data(), kQemuMap.size());
        descriptors_ = {phys, phys + bytes};
        reserved_.push_back(descriptors_);
        ASSERT_EQ(pmm_.Init(kQemuMap, reserved_), 0);
    }

    TestPmm pmm_;
    std::vector<fut_phys_range> reserved_;
    fut_phys_range descriptors_{};
};

// A 4 MiB-aligned run of exactly 1024 frames: one order-10 block.
const std::vector<fut_mem_region> kOneMaxBlock = {Usable(4 * kMiB, 4 * kMiB)};

TEST_F(QemuPmm, ManagesExactlyTheUsableFramesOutsideReservedRanges)
{
    uint64_t span_pfns = (0x100000000 + 32 * kMiB) / kPage;
    std::vector<bool> expected = ReferenceManaged(kQemuMap, reserved_, span_pfns);
    // By hand: 1 MiB..0x7fe0000 less kernel, module (touching 0x500..0x581)
    // and the 6192-frame descriptor array, plus 8192 frames above 4 GiB.
    EXPECT_EQ(CountTrue(expected), 0x7ee0u - 0x2f3u - 0x82u - 6192u + 8192u);
    EXPECT_EQ(fut_pmm_total_frames(pmm_.get()), CountTrue(expected));
    EXPECT_EQ(fut_pmm_free_frames(pmm_.get()), fut_pmm_total_frames(pmm_.get()));
    for (uint64_t pfn = 0; pfn < span_pfns + 16; pfn++) {
        bool managed = pfn < span_pfns && expected[pfn];
        ASSERT_EQ(fut_pmm_page(pmm_.get(), pfn * kPage) != nullptr, managed) << "pfn " << pfn;
    }
    EXPECT_TRUE(fut_pmm_check(pmm_.get()));
}

TEST_F(QemuPmm, DescriptorArrayCoversLowestToHighestUsableFrame)
{
    size_t bytes = fut_pmm_descriptor_bytes(kQemuMap.data(), kQemuMap.size());
    EXPECT_EQ(bytes, (0x100000000 + 32 * kMiB) / kPage * sizeof(fut_page));
    EXPECT_EQ(pmm_.get()->npages * sizeof(fut_page), bytes);
}

TEST_F(QemuPmm, DescriptorsGoToLowestRangeClearOfEverythingReserved)
{
    // Below 0x582000 every start overlaps the first MiB, the kernel or the module.
    EXPECT_EQ(descriptors_.start, 0x582000u);
    for (uint64_t phys = descriptors_.start; phys < descriptors_.end; phys += kPage)
        ASSERT_EQ(fut_pmm_page(pmm_.get(), phys), nullptr);
}

TEST(PmmPlacement, RespectsLimitAndReportsNoFit)
{
    const std::vector<fut_mem_region> map = {Usable(1 * kMiB, 64 * kMiB), Usable(4 * kGiB, kGiB)};
    size_t frames = (fut_pmm_descriptor_bytes(map.data(), map.size()) + kPage - 1) / kPage;
    uint64_t phys = 0;
    EXPECT_EQ(fut_pmm_place_descriptors(map.data(), map.size(), nullptr, 0, 4 * kGiB, &phys), 0);
    EXPECT_EQ(phys, 1 * kMiB);
    // A limit one frame short of the first fit leaves nowhere to go.
    EXPECT_EQ(fut_pmm_place_descriptors(map.data(), map.size(), nullptr, 0,
                                        1 * kMiB + (frames - 1) * kPage, &phys),
              -ENOMEM);
    // Reserving the low region pushes the array above 4 GiB.
    const fut_phys_range low = {0, 65 * kMiB};
    EXPECT_EQ(fut_pmm_place_descriptors(map.data(), map.size(), &low, 1, UINT64_MAX, &phys), 0);
    EXPECT_EQ(phys, 4 * kGiB);
}

TEST(PmmPlacement, MapWithoutUsableMemoryIsInvalid)
{
    const fut_mem_region acpi = Region(1 * kMiB, kMiB, FUT_MEM_ACPI_NVS);
    uint64_t phys = 0;
    EXPECT_EQ(fut_pmm_place_descriptors(&acpi, 1, nullptr, 0, UINT64_MAX, &phys), -EINVAL);
}

TEST(PmmInit, PartialPagesAtRegionEdgesAreDropped)
{
    TestPmm pmm;
    // [0x10800, 0x13800) holds whole frames 0x11 and 0x12 only.
    const std::vector<fut_mem_region> map = {Usable(0x10800, 0x3000)};
    EXPECT_EQ(fut_pmm_descriptor_bytes(map.data(), map.size()), 2 * sizeof(fut_page));
    ASSERT_EQ(pmm.Init(map), 0);
    EXPECT_EQ(fut_pmm_total_frames(pmm.get()), 2u);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0x10000), nullptr);
    EXPECT_NE(fut_pmm_page(pmm.get(), 0x11000), nullptr);
    EXPECT_NE(fut_pmm_page(pmm.get(), 0x12000), nullptr);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0x13000), nullptr);
}

TEST(PmmInit, PartialPagesBetweenRegionsAreDropped)
{
    TestPmm pmm;
    // Frame 0x12 is only half usable; frame 0x13 is a hole.
    ASSERT_EQ(pmm.Init({Usable(0x14000, 0x2000), Usable(0x10000, 0x2800)}), 0);
    EXPECT_EQ(fut_pmm_total_frames(pmm.get()), 4u);
    EXPECT_NE(fut_pmm_page(pmm.get(), 0x11000), nullptr);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0x12000), nullptr);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0x13000), nullptr);
    EXPECT_NE(fut_pmm_page(pmm.get(), 0x14000), nullptr);
}

TEST(PmmInit, UnsortedOverlappingRegionsCountEachFrameOnce)
{
    const std::vector<fut_mem_region> sorted = {Usable(0x10000, 0x20000), Usable(0x40000, 0x4000)};
    const std::vector<fut_mem_region> messy = {Usable(0x40000, 0x4000), Usable(0x20000, 0x10000),
                                               Usable(0x10000, 0x18000), Usable(0x20000, 0x10000)};
    TestPmm a, b;
    ASSERT_EQ(a.Init(sorted), 0);
    ASSERT_EQ(b.Init(messy), 0);
    EXPECT_EQ(fut_pmm_total_frames(b.get()), 0x20u + 4u);
    ExpectSameFreeState(a.Stats(), b.Stats());
    EXPECT_TRUE(fut_pmm_check(b.get()));
}

TEST(PmmInit, NonUsableRegionOverlappingUsableWins)
{
    // Firmware claims part of one frame inside, and the last frame of, usable RAM.
    const std::vector<fut_mem_region> map = {Region(0x1ff800, 0x1000, FUT_MEM_ACPI_NVS),
                                             Usable(0x100000, kMiB),
                                             Region(0x150800, 0x100, FUT_MEM_RESERVED)};
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(map), 0);
    EXPECT_EQ(fut_pmm_total_frames(pmm.get()), 256u - 2u);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0x150000), nullptr);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0x1ff000), nullptr);
    EXPECT_NE(fut_pmm_page(pmm.get(), 0x151000), nullptr);
}

TEST(PmmInit, FrameZeroIsNeverManagedSoZeroMeansFailure)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init({Usable(0, 64 * kKiB)}), 0);
    EXPECT_EQ(fut_pmm_total_frames(pmm.get()), 15u);
    EXPECT_EQ(fut_pmm_page(pmm.get(), 0), nullptr);
    for (int i = 0; i < 15; i++)
        EXPECT_NE(fut_pmm_alloc(pmm.get(), 0), 0u);
    EXPECT_EQ(fut_pmm_alloc(pmm.get(), 0), 0u);
}

TEST(PmmInit, FreeMemoryStartsAsLargestAlignedBlocks)
{
    TestPmm pmm;
    // pfns 0x100..0x503: 0x100 (order 8), 0x200 (9), 0x400 (8), 0x500 (1), 0x502 (0).
    ASSERT_EQ(pmm.Init({Usable(1 * kMiB, 4 * kMiB + 12 * kKiB)}), 0);
    fut_pmm_stats s = pmm.Stats();
    EXPECT_EQ(s.total_frames, 1027u);
    for (int order = 0; order <= FUT_PMM_MAX_ORDER; order++) {
        uint64_t want = order == 8 ? 2 : (order == 9 || order == 1 || order == 0) ? 1 : 0;
        EXPECT_EQ(s.free_blocks[order], want) << "order " << order;
    }
}

// Seeding frees whole aligned blocks; the result must be the fully merged
// state that freeing every frame one at a time gives. Reference: allocate
// every frame singly, then free them all (merging rebuilds the blocks).
TEST(PmmInit, SeededBlocksEqualFreeingEveryFrameOnRandomMaps)
{
    std::mt19937_64 rng(20261207);
    for (int round = 0; round < 40; round++) {
        std::vector<fut_mem_region> map;
        std::vector<fut_phys_range> reserved;
        uint64_t at = 1 * kMiB;
        for (int r = 0; r < 4; r++) {
            at += (rng() % 64) * 4 * kKiB + (rng() % 2) * 512; // sometimes not page-aligned
            uint64_t len = (rng() % 3000 + 1) * 4 * kKiB;
            map.push_back(Usable(at, len));
            at += len;
        }
        for (int r = 0; r < 3; r++) {
            uint64_t start = 1 * kMiB + rng() % (at - 1 * kMiB);
            reserved.push_back({start, start + (rng() % 40 + 1) * 4 * kKiB});
        }
        TestPmm seeded;
        ASSERT_EQ(seeded.Init(map, reserved), 0);
        ASSERT_TRUE(fut_pmm_check(seeded.get()));
        fut_pmm_stats want = seeded.Stats();

        std::vector<uint64_t> frames;
        for (uint64_t f; (f = fut_pmm_alloc(seeded.get(), 0)) != 0;)
            frames.push_back(f);
        ASSERT_EQ(frames.size(), want.total_frames);
        std::shuffle(frames.begin(), frames.end(), rng);
        for (uint64_t f : frames)
            ASSERT_EQ(fut_pmm_free(seeded.get(), f, 0), 0);
        ExpectSameFreeState(seeded.Stats(), want);
    }
}

TEST(PmmInit, RejectsBadStorageAndEmptyMapsLeavingAnEmptyAllocator)
{
    const std::vector<fut_mem_region> map = {Usable(1 * kMiB, kMiB)};
    size_t bytes = fut_pmm_descriptor_bytes(map.data(), map.size());
    std::vector<fut_page> storage(bytes / sizeof(fut_page) + 1);
    fut_pmm pmm;
    EXPECT_EQ(fut_pmm_init(&pmm, map.data(), map.size(), nullptr, 0, storage.data(), bytes - 1),
              -EINVAL);
    EXPECT_EQ(fut_pmm_init(&pmm, map.data(), map.size(), nullptr, 0, nullptr, bytes), -EINVAL);
    char *misaligned = reinterpret_cast<char *>(storage.data()) + 1;
    EXPECT_EQ(fut_pmm_init(&pmm, map.data(), map.size(), nullptr, 0, misaligned, bytes), -EINVAL);
    const fut_mem_region bad = Region(1 * kMiB, kMiB, FUT_MEM_BAD);
    EXPECT_EQ(fut_pmm_descriptor_bytes(&bad, 1), 0u);
    EXPECT_EQ(fut_pmm_init(&pmm, &bad, 1, nullptr, 0, storage.data(), bytes), -EINVAL);
    EXPECT_EQ(fut_pmm_total_frames(&pmm), 0u);
    EXPECT_EQ(fut_pmm_alloc(&pmm, 0), 0u);
}

TEST(PmmAlloc, EveryOrderIsAlignedToItsSizeAndAccounted)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init({Usable(1 * kMiB, 64 * kMiB)}), 0);
    uint64_t baseline = fut_pmm_free_frames(pmm.get());
    std::vector<uint64_t> blocks;
    uint64_t taken = 0;
    for (unsigned order = 0; order <= FUT_PMM_MAX_ORDER; order++) {
        uint64_t phys = fut_pmm_alloc(pmm.get(), order);
        ASSERT_NE(phys, 0u);
        EXPECT_EQ(phys % (kPage << order), 0u) << "order " << order;
        EXPECT_EQ(fut_pmm_page(pmm.get(), phys)->order, order);
        taken += 1ull << order;
        EXPECT_EQ(fut_pmm_free_frames(pmm.get()), baseline - taken);
        blocks.push_back(phys);
    }
    EXPECT_TRUE(fut_pmm_check(pmm.get()));
    for (unsigned order = 0; order <= FUT_PMM_MAX_ORDER; order++)
        EXPECT_EQ(fut_pmm_free(pmm.get(), blocks[order], order), 0);
    EXPECT_EQ(fut_pmm_free_frames(pmm.get()), baseline);
}

TEST(PmmAlloc, OrderAboveMaximumFailsAndChangesNothing)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init({Usable(1 * kMiB, 64 * kMiB)}), 0);
    fut_pmm_stats before = pmm.Stats();
    EXPECT_EQ(fut_pmm_alloc(pmm.get(), FUT_PMM_MAX_ORDER + 1), 0u);
    ExpectSameFreeState(before, pmm.Stats());
    EXPECT_EQ(pmm.Stats().failed_allocs, before.failed_allocs + 1);
}

TEST(PmmAlloc, SplittingAndFreeingRestoresPerOrderCounts)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t phys = fut_pmm_alloc(pmm.get(), 0);
    ASSERT_EQ(phys, 4 * kMiB); // the lower half is kept at every split
    fut_pmm_stats split = pmm.Stats();
    EXPECT_EQ(split.free_blocks[FUT_PMM_MAX_ORDER], 0u);
    for (int order = 0; order < FUT_PMM_MAX_ORDER; order++)
        EXPECT_EQ(split.free_blocks[order], 1u) << "order " << order;
    ASSERT_EQ(fut_pmm_free(pmm.get(), phys, 0), 0);
    EXPECT_EQ(pmm.Stats().free_blocks[FUT_PMM_MAX_ORDER], 1u);
    EXPECT_EQ(pmm.Stats().free_blocks[0], 0u);
}

TEST_F(QemuPmm, ExhaustionFailsNextAllocAndFreeingAllRestoresBaseline)
{
    fut_pmm *pmm = pmm_.get();
    fut_pmm_stats baseline = pmm_.Stats();
    std::vector<uint64_t> frames;
    for (uint64_t phys; (phys = fut_pmm_alloc(pmm, 0)) != 0;)
        frames.push_back(phys);
    EXPECT_EQ(frames.size(), baseline.total_frames);
    EXPECT_EQ(fut_pmm_free_frames(pmm), 0u);
    EXPECT_EQ(fut_pmm_alloc(pmm, 0), 0u);
    EXPECT_EQ(fut_pmm_alloc(pmm, 3), 0u);
    EXPECT_EQ(pmm_.Stats().failed_allocs, baseline.failed_allocs + 3);
    EXPECT_TRUE(fut_pmm_check(pmm));

    for (uint64_t phys : frames)
        ASSERT_EQ(fut_pmm_free(pmm, phys, 0), 0);
    ExpectSameFreeState(baseline, pmm_.Stats());
    EXPECT_TRUE(fut_pmm_check(pmm));
    uint64_t big = fut_pmm_alloc(pmm, FUT_PMM_MAX_ORDER);
    EXPECT_NE(big, 0u);
    EXPECT_EQ(fut_pmm_free(pmm, big, FUT_PMM_MAX_ORDER), 0);
}

TEST(PmmExhaustion, LargeOrderFailsWhileSmallerOrdersStillFit)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t one = fut_pmm_alloc(pmm.get(), 0);
    ASSERT_NE(one, 0u);
    EXPECT_EQ(fut_pmm_alloc(pmm.get(), FUT_PMM_MAX_ORDER), 0u);
    uint64_t half = fut_pmm_alloc(pmm.get(), FUT_PMM_MAX_ORDER - 1);
    EXPECT_NE(half, 0u);
    EXPECT_EQ(fut_pmm_free(pmm.get(), half, FUT_PMM_MAX_ORDER - 1), 0);
    EXPECT_EQ(fut_pmm_free(pmm.get(), one, 0), 0);
    EXPECT_NE(fut_pmm_alloc(pmm.get(), FUT_PMM_MAX_ORDER), 0u);
}

TEST(PmmFragmentation, EveryOtherFreeFrameLeavesNoOrder1BlockUntilTheRestCoalesce)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    fut_pmm_stats baseline = pmm.Stats();
    std::vector<uint64_t> frames;
    for (uint64_t phys; (phys = fut_pmm_alloc(pmm.get(), 0)) != 0;)
        frames.push_back(phys);
    ASSERT_EQ(frames.size(), 1024u);

    for (uint64_t phys : frames) {
        if ((phys / kPage) % 2 == 0) {
            ASSERT_EQ(fut_pmm_free(pmm.get(), phys, 0), 0);
        }
    }
    EXPECT_EQ(fut_pmm_free_frames(pmm.get()), 512u);
    EXPECT_EQ(pmm.Stats().free_blocks[0], 512u);
    for (unsigned order = 1; order <= FUT_PMM_MAX_ORDER; order++)
        EXPECT_EQ(fut_pmm_alloc(pmm.get(), order), 0u) << "order " << order;
    EXPECT_TRUE(fut_pmm_check(pmm.get()));

    for (uint64_t phys : frames) {
        if ((phys / kPage) % 2 == 1) {
            ASSERT_EQ(fut_pmm_free(pmm.get(), phys, 0), 0);
        }
    }
    ExpectSameFreeState(baseline, pmm.Stats());
    EXPECT_EQ(pmm.Stats().free_blocks[FUT_PMM_MAX_ORDER], 1u);
    EXPECT_EQ(fut_pmm_alloc(pmm.get(), FUT_PMM_MAX_ORDER), 4 * kMiB);
}

TEST(PmmFree, DoubleFreeIsDetectedAndChangesNothing)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t a = fut_pmm_alloc(pmm.get(), 0);
    uint64_t b = fut_pmm_alloc(pmm.get(), 0);
    uint64_t c = fut_pmm_alloc(pmm.get(), 2);
    ASSERT_EQ(fut_pmm_free(pmm.get(), a, 0), 0);
    fut_pmm_stats before = pmm.Stats();

    EXPECT_EQ(fut_pmm_free(pmm.get(), a, 0), -EINVAL); // a is a free head
    ASSERT_EQ(fut_pmm_free(pmm.get(), b, 0), 0);       // a and b merge
    EXPECT_EQ(fut_pmm_free(pmm.get(), b, 0), -EINVAL); // b is inside a free block
    EXPECT_EQ(fut_pmm_free(pmm.get(), a, 0), -EINVAL);
    EXPECT_EQ(fut_pmm_free(pmm.get(), a, 1), -EINVAL); // even with the merged order
    fut_pmm_stats after = pmm.Stats();
    EXPECT_EQ(after.invalid_frees, before.invalid_frees + 4);
    EXPECT_EQ(after.free_frames, before.free_frames + 1);
    EXPECT_TRUE(fut_pmm_check(pmm.get()));

    // Still a working allocator: c stays owned, nothing is handed out twice.
    uint64_t d = fut_pmm_alloc(pmm.get(), 1);
    EXPECT_EQ(d, a);
    EXPECT_EQ(fut_pmm_free(pmm.get(), c, 2), 0);
    EXPECT_EQ(fut_pmm_free(pmm.get(), d, 1), 0);
    EXPECT_EQ(fut_pmm_free_frames(pmm.get()), 1024u);
}

TEST(PmmFree, MisalignedOrWrongOrderFreeIsDetected)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t block = fut_pmm_alloc(pmm.get(), 2);
    ASSERT_NE(block, 0u);
    fut_pmm_stats before = pmm.Stats();
    EXPECT_EQ(fut_pmm_free(pmm.get(), block + 1, 2), -EINVAL);         // not a frame address
    EXPECT_EQ(fut_pmm_free(pmm.get(), block + kPage, 2), -EINVAL);     // not aligned to order
    EXPECT_EQ(fut_pmm_free(pmm.get(), block + 2 * kPage, 1), -EINVAL); // tail of the block
    EXPECT_EQ(fut_pmm_free(pmm.get(), block, 1), -EINVAL);             // wrong order
    EXPECT_EQ(fut_pmm_free(pmm.get(), block, FUT_PMM_MAX_ORDER + 1), -EINVAL);
    fut_pmm_stats after = pmm.Stats();
    ExpectSameFreeState(before, after);
    EXPECT_EQ(after.invalid_frees, before.invalid_frees + 5);
    EXPECT_TRUE(fut_pmm_check(pmm.get()));
    EXPECT_EQ(fut_pmm_free(pmm.get(), block, 2), 0);
}

TEST_F(QemuPmm, FreeOfUnmanagedAddressIsDetected)
{
    fut_pmm_stats before = pmm_.Stats();
    for (uint64_t phys : {uint64_t{0}, kKernelImage.start, descriptors_.start, uint64_t{2 * kGiB},
                          uint64_t{0x7fe0000}, uint64_t{64 * kGiB}})
        EXPECT_EQ(fut_pmm_free(pmm_.get(), phys, 0), -EINVAL) << std::hex << phys;
    EXPECT_EQ(pmm_.Stats().invalid_frees, before.invalid_frees + 6);
    ExpectSameFreeState(before, pmm_.Stats());
}

TEST(PmmFree, FreeOfSharedBlockIsRefused)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t phys = fut_pmm_alloc(pmm.get(), 0);
    ASSERT_EQ(fut_page_get(fut_pmm_page(pmm.get(), phys)), 0);
    EXPECT_EQ(fut_pmm_free(pmm.get(), phys, 0), -EBUSY);
    EXPECT_EQ(fut_pmm_free_frames(pmm.get()), 1023u);
    EXPECT_EQ(fut_pmm_page(pmm.get(), phys)->refcount, 2u);
}

TEST_F(QemuPmm, PhysToPageAndBackRoundTrips)
{
    fut_pmm *pmm = pmm_.get();
    const fut_page *previous = nullptr;
    uint64_t first = (descriptors_.end + kPage - 1) & ~(kPage - 1);
    for (uint64_t phys = first; phys < 0x7fe0000; phys += kPage) {
        fut_page *page = fut_pmm_page(pmm, phys);
        ASSERT_NE(page, nullptr);
        EXPECT_EQ(fut_pmm_page_phys(pmm, page), phys);
        EXPECT_EQ(fut_pmm_page(pmm, phys + kPage - 1), page); // any byte of the frame
        if (previous) {
            EXPECT_EQ(page, previous + 1);
        }
        previous = page;
    }
    fut_page *high = fut_pmm_page(pmm, 0x100000000 + 5 * kPage);
    ASSERT_NE(high, nullptr);
    EXPECT_EQ(fut_pmm_page_phys(pmm, high), 0x100000000 + 5 * kPage);
}

TEST(PmmRefcount, PutFreesTheBlockOnlyWhenTheLastReferenceGoes)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t phys = fut_pmm_alloc(pmm.get(), 2);
    fut_page *page = fut_pmm_page(pmm.get(), phys);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page->refcount, 1u);
    EXPECT_EQ(fut_page_get(page), 0);
    EXPECT_EQ(fut_page_get(page), 0);
    EXPECT_EQ(page->refcount, 3u);

    EXPECT_FALSE(fut_page_put(pmm.get(), page));
    EXPECT_FALSE(fut_page_put(pmm.get(), page));
    EXPECT_EQ(fut_pmm_free_frames(pmm.get()), 1020u);
    EXPECT_TRUE(fut_page_put(pmm.get(), page));
    EXPECT_EQ(fut_pmm_free_frames(pmm.get()), 1024u);
    EXPECT_EQ(page->refcount, 0u);
    EXPECT_TRUE(fut_pmm_check(pmm.get()));
}

TEST(PmmRefcount, GetOrPutOnUnallocatedFrameIsRejected)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t phys = fut_pmm_alloc(pmm.get(), 1);
    fut_page *head = fut_pmm_page(pmm.get(), phys);
    fut_page *tail = fut_pmm_page(pmm.get(), phys + kPage);
    EXPECT_EQ(fut_page_get(tail), -EINVAL);
    EXPECT_FALSE(fut_page_put(pmm.get(), tail));
    ASSERT_TRUE(fut_page_put(pmm.get(), head));

    fut_pmm_stats before = pmm.Stats();
    EXPECT_EQ(fut_page_get(head), -EINVAL);
    EXPECT_FALSE(fut_page_put(pmm.get(), head)); // a second put is a double free
    fut_pmm_stats after = pmm.Stats();
    ExpectSameFreeState(before, after);
    EXPECT_EQ(after.invalid_frees, before.invalid_frees + 1);
    EXPECT_TRUE(fut_pmm_check(pmm.get()));
}

TEST(PmmInstances, TwoAllocatorsKeepSeparateState)
{
    TestPmm a, b;
    ASSERT_EQ(a.Init(kOneMaxBlock), 0);
    ASSERT_EQ(b.Init(kOneMaxBlock), 0);
    uint64_t phys = fut_pmm_alloc(a.get(), 3);
    EXPECT_EQ(fut_pmm_free_frames(a.get()), 1016u);
    EXPECT_EQ(fut_pmm_free_frames(b.get()), 1024u);
    EXPECT_EQ(fut_pmm_alloc(b.get(), 3), phys); // same made-up address, other allocator
    EXPECT_EQ(fut_pmm_free(a.get(), phys, 3), 0);
    EXPECT_EQ(fut_pmm_free_frames(b.get()), 1016u);
}

TEST(PmmCheck, DetectsCorruptedCountersFlagsAndLinks)
{
    TestPmm pmm;
    ASSERT_EQ(pmm.Init(kOneMaxBlock), 0);
    uint64_t phys = fut_pmm_alloc(pmm.get(), 2); // frees one block of each order 2..9
    fut_pmm *p = pmm.get();
    fut_page *head = fut_pmm_page(p, phys);
    fut_page *tail = fut_pmm_page(p, phys + kPage);
    ASSERT_TRUE(fut_pmm_check(p));

    p->stats.free_frames++;
    EXPECT_FALSE(fut_pmm_check(p));
    p->stats.free_frames--;

    tail->flags = FUT_PAGE_FREE;
    EXPECT_FALSE(fut_pmm_check(p));
    tail->flags = 0;

    head->refcount = 0;
    EXPECT_FALSE(fut_pmm_check(p));
    head->refcount = 1;

    fut_page *free_head = p->free_lists[2];
    fut_page *saved = free_head->prev;
    free_head->prev = free_head;
    EXPECT_FALSE(fut_pmm_check(p));
    free_head->prev = saved;

    EXPECT_TRUE(fut_pmm_check(p));
}

// The reference model: a state per frame, and the live blocks.
class ModelTest
{
  public:
    ModelTest(const std::vector<fut_mem_region> &regions,
              const std::vector<fut_phys_range> &reserved, uint64_t span_pfns)
        : managed_(ReferenceManaged(regions, reserved, span_pfns)), used_(span_pfns, false)
    {
        EXPECT_EQ(pmm_.Init(regions, reserved), 0);
        baseline_ = pmm_.Stats();
        free_ = CountTrue(managed_);
        EXPECT_EQ(baseline_.total_frames, free_);
    }

    void Alloc(unsigned order)
    {
        uint64_t phys = fut_pmm_alloc(pmm_.get(), order);
        if (phys == 0) {
            // Buddy coalescing guarantees success whenever an aligned free run exists.
            ASSERT_FALSE(HasFreeAlignedRun(order)) << "order " << order;
            failed_++;
            return;
        }
        ASSERT_EQ(phys % (kPage << order), 0u);
        uint64_t pfn = phys / kPage;
        ASSERT_LE(pfn + (1ull << order), used_.size());
        for (uint64_t f = pfn; f < pfn + (1ull << order); f++) {
            ASSERT_TRUE(managed_[f]) << "handed out unmanaged frame " << f;
            ASSERT_FALSE(used_[f]) << "frame " << f << " handed out twice";
            used_[f] = true;
        }
        live_.push_back({phys, order});
        free_ -= 1ull << order;
    }

    void FreeRandom(std::mt19937_64 &rng, bool try_misuse)
    {
        size_t i = rng() % live_.size();
        Block b = live_[i];
        live_[i] = live_.back();
        live_.pop_back();
        if (try_misuse && b.order > 0) // the upper half is no block of its own
            ExpectRejected(b.phys + (kPage << (b.order - 1)), b.order - 1);
        ASSERT_EQ(fut_pmm_free(pmm_.get(), b.phys, b.order), 0);
        for (uint64_t f = b.phys / kPage; f < b.phys / kPage + (1ull << b.order); f++)
            used_[f] = false;
        free_ += 1ull << b.order;
        if (try_misuse)
            ExpectRejected(b.phys, b.order); // double free
    }

    void CheckCounters()
    {
        fut_pmm_stats s = pmm_.Stats();
        ASSERT_EQ(s.free_frames, free_);
        ASSERT_EQ(s.total_frames, baseline_.total_frames);
        ASSERT_EQ(s.failed_allocs, failed_);
        ASSERT_EQ(s.invalid_frees, rejected_);
        uint64_t from_blocks = 0;
        for (int order = 0; order <= FUT_PMM_MAX_ORDER; order++)
            from_blocks += s.free_blocks[order] << order;
        ASSERT_EQ(from_blocks, free_);
    }

    void FreeAllAndCheckBaseline()
    {
        std::mt19937_64 rng(1);
        while (!live_.empty())
            FreeRandom(rng, false);
        ExpectSameFreeState(baseline_, pmm_.Stats());
        EXPECT_TRUE(fut_pmm_check(pmm_.get()));
    }

    fut_pmm *pmm()
    {
        return pmm_.get();
    }

    size_t live() const
    {
        return live_.size();
    }

  private:
    struct Block {
        uint64_t phys;
        unsigned order;
    };

    bool HasFreeAlignedRun(unsigned order) const
    {
        uint64_t n = 1ull << order;
        for (uint64_t start = 0; start + n <= used_.size(); start += n) {
            uint64_t f = start;
            while (f < start + n && managed_[f] && !used_[f])
                f++;
            if (f == start + n)
                return true;
        }
        return false;
    }

    void ExpectRejected(uint64_t phys, unsigned order)
    {
        ASSERT_EQ(fut_pmm_free(pmm_.get(), phys, order), -EINVAL);
        rejected_++;
    }

    TestPmm pmm_;
    std::vector<bool> managed_;
    std::vector<bool> used_;
    std::vector<Block> live_;
    fut_pmm_stats baseline_{};
    uint64_t free_ = 0;
    uint64_t failed_ = 0;
    uint64_t rejected_ = 0;
};

// Mostly small orders, sometimes up to the maximum.
unsigned RandomOrder(std::mt19937_64 &rng)
{
    unsigned r = rng() % 16;
    if (r < 8)
        return 0;
    if (r < 12)
        return 1;
    if (r < 14)
        return 2;
    if (r < 15)
        return 3 + rng() % 4;
    return 7 + rng() % (FUT_PMM_MAX_ORDER - 6);
}

TEST(PmmModel, RandomAllocFreeMatchesReferenceModel)
{
    // 14 MiB with a hole, a reserved range and a firmware frame inside usable RAM.
    const std::vector<fut_mem_region> map = {Usable(12 * kMiB, 2 * kMiB),
                                             Usable(1 * kMiB, 8 * kMiB),
                                             Region(5 * kMiB, 0x800, FUT_MEM_RESERVED)};
    const std::vector<fut_phys_range> reserved = {{3 * kMiB + 4 * kKiB, 3 * kMiB + 12 * kKiB}};
    ModelTest model(map, reserved, 14 * kMiB / kPage);
    std::mt19937_64 rng(0x5eed);

    constexpr int kOps = 200000;
    for (int op = 0; op < kOps; op++) {
        // Alternate filling and draining phases so both empty and full are visited.
        bool filling = (op / 10000) % 2 == 0;
        bool alloc = model.live() == 0 || rng() % 100 < (filling ? 70u : 30u);
        if (alloc) {
            ASSERT_NO_FATAL_FAILURE(model.Alloc(RandomOrder(rng)));
        } else {
            ASSERT_NO_FATAL_FAILURE(model.FreeRandom(rng, rng() % 20 == 0));
        }
        ASSERT_NO_FATAL_FAILURE(model.CheckCounters());
        if (op % 5000 == 0) {
            ASSERT_TRUE(fut_pmm_check(model.pmm())) << "op " << op;
        }
    }
    model.FreeAllAndCheckBaseline();
}

} // namespace
