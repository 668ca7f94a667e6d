// Page-table walker and editor over fake RAM.
#include "futura/memory/paging.h"

#include <errno.h>
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "futura/fake_hal.h"
#include "futura/hal.h"
#include "futura/memory/pmm.h"
#include "futura/memory/testing/memory_fixture.h"

namespace {

class Paging : public ::testing::Test {
  protected:
    void SetUp() override
    {
        fut_test_memory_setup(64 << 20);
        baseline_free_ = fut_pmm_free_frames(fut_pmm_global());
        baseline_tables_ = fut_pt_table_pages();
        root_ = fut_pt_create();
        ASSERT_NE(root_, 0u);
    }
    void TearDown() override
    {
        fut_test_memory_teardown();
    }
    uint64_t Frame()
    {
        uint64_t f = fut_pmm_alloc(fut_pmm_global(), 0);
        EXPECT_NE(f, 0u);
        return f;
    }
    void DestroyAndCheckBaseline()
    {
        fut_pt_free_user_tables(root_);
        fut_pt_destroy(root_);
        EXPECT_EQ(fut_pt_table_pages(), baseline_tables_);
        EXPECT_EQ(fut_pmm_free_frames(fut_pmm_global()), baseline_free_);
    }
    uint64_t root_ = 0;
    uint64_t baseline_free_ = 0;
    uint64_t baseline_tables_ = 0;
};

TEST_F(Paging, MapThenTranslateGivesPhysicalAddressAndFlags)
{
    uint64_t f = Frame();
    ASSERT_EQ(fut_pt_map(root_, 0x400000, f, FUT_PTE_WRITE | FUT_PTE_USER | FUT_PTE_NX), 0);
    uint64_t pa = 0, pte = 0;
    ASSERT_TRUE(fut_pt_translate(root_, 0x400123, &pa, &pte));
    EXPECT_EQ(pa, f + 0x123);
    EXPECT_TRUE(pte & FUT_PTE_PRESENT);
    EXPECT_TRUE(pte & FUT_PTE_WRITE);
    EXPECT_TRUE(pte & FUT_PTE_USER);
    EXPECT_TRUE(pte & FUT_PTE_NX);
    // Three intermediate tables (PDPT, PD, PT) were created for this address.
    EXPECT_EQ(fut_pt_table_pages(), baseline_tables_ + 4);
    ASSERT_EQ(fut_pt_unmap(root_, 0x400000, nullptr), 0);
    fut_pmm_free(fut_pmm_global(), f, 0);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, IntermediateUserTablesAreUserAccessible)
{
    uint64_t f = Frame();
    ASSERT_EQ(fut_pt_map(root_, 0x7fff0000, f, FUT_PTE_USER), 0);
    uint64_t *pml4 = static_cast<uint64_t *>(fut_hal_phys_to_virt(root_));
    EXPECT_TRUE(pml4[0] & FUT_PTE_USER);
    EXPECT_TRUE(pml4[0] & FUT_PTE_WRITE);
    fut_pt_unmap(root_, 0x7fff0000, nullptr);
    fut_pmm_free(fut_pmm_global(), f, 0);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, DoubleMapIsRejectedWithEexist)
{
    uint64_t f = Frame();
    ASSERT_EQ(fut_pt_map(root_, 0x1000, f, 0), 0);
    EXPECT_EQ(fut_pt_map(root_, 0x1000, f, 0), -EEXIST);
    fut_pt_unmap(root_, 0x1000, nullptr);
    fut_pmm_free(fut_pmm_global(), f, 0);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, UnalignedOrNonCanonicalAddressesAreRejected)
{
    EXPECT_EQ(fut_pt_map(root_, 0x1001, 0x200000, 0), -EINVAL);
    EXPECT_EQ(fut_pt_map(root_, 0x1000, 0x200001, 0), -EINVAL);
    EXPECT_EQ(fut_pt_map(root_, 0x0000800000000000ull, 0x200000, 0), -EINVAL);
    EXPECT_EQ(fut_pt_map_huge(root_, 0x201000, 0x200000, 0), -EINVAL);
    EXPECT_EQ(fut_pt_lookup(root_, 0x0000900000000000ull), nullptr);
    EXPECT_EQ(fut_pt_table_pages(), baseline_tables_ + 1);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, UnmapOfUnmappedAddressReturnsEnoent)
{
    EXPECT_EQ(fut_pt_unmap(root_, 0x5000, nullptr), -ENOENT);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, UnmapReturnsOldEntryAndTranslateFailsAfterwards)
{
    uint64_t f = Frame();
    ASSERT_EQ(fut_pt_map(root_, 0x3000, f, FUT_PTE_WRITE), 0);
    uint64_t old = 0;
    ASSERT_EQ(fut_pt_unmap(root_, 0x3000, &old), 0);
    EXPECT_EQ(fut_pte_addr(old), f);
    EXPECT_FALSE(fut_pt_translate(root_, 0x3000, nullptr, nullptr));
    fut_pmm_free(fut_pmm_global(), f, 0);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, ProtectChangesFlagsButKeepsTheFrame)
{
    uint64_t f = Frame();
    ASSERT_EQ(fut_pt_map(root_, 0x5000, f, FUT_PTE_WRITE | FUT_PTE_USER), 0);
    ASSERT_EQ(fut_pt_protect(root_, 0x5000, FUT_PTE_USER | FUT_PTE_NX), 0);
    uint64_t pa = 0, pte = 0;
    ASSERT_TRUE(fut_pt_translate(root_, 0x5000, &pa, &pte));
    EXPECT_EQ(pa, f);
    EXPECT_FALSE(pte & FUT_PTE_WRITE);
    EXPECT_TRUE(pte & FUT_PTE_NX);
    EXPECT_EQ(fut_pt_protect(root_, 0x9000, FUT_PTE_USER), -ENOENT);
    fut_pt_unmap(root_, 0x5000, nullptr);
    fut_pmm_free(fut_pmm_global(), f, 0);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, HugePageTranslatesOffsetsWithinTwoMegabytes)
{
    ASSERT_EQ(fut_pt_map_huge(root_, 0xffff800000200000ull, 0x200000, FUT_PTE_WRITE), 0);
    uint64_t pa = 0;
    ASSERT_TRUE(fut_pt_translate(root_, 0xffff8000003fffffull, &pa, nullptr));
    EXPECT_EQ(pa, 0x3fffffull);
    // A 4 KiB mapping cannot be placed inside the huge page.
    EXPECT_EQ(fut_pt_map(root_, 0xffff800000201000ull, 0x300000, 0), -EEXIST);
    EXPECT_EQ(fut_pt_lookup(root_, 0xffff800000201000ull), nullptr);
    // Kernel-half tables are not user tables: free them by hand for the count.
    uint64_t *pml4 = static_cast<uint64_t *>(fut_hal_phys_to_virt(root_));
    uint64_t pdpt = fut_pte_addr(pml4[256]);
    uint64_t pd = fut_pte_addr(static_cast<uint64_t *>(fut_hal_phys_to_virt(pdpt))[0]);
    EXPECT_FALSE(pml4[256] & FUT_PTE_USER);
    fut_pmm_free(fut_pmm_global(), pd, 0);
    fut_pmm_free(fut_pmm_global(), pdpt, 0);
    pml4[256] = 0;
    fut_pt_destroy(root_);
    EXPECT_EQ(fut_pmm_free_frames(fut_pmm_global()), baseline_free_);
}

TEST_F(Paging, VisitSeesExactlyThePresentLeavesInRange)
{
    std::map<uint64_t, uint64_t> mapped;
    for (uint64_t va : {0x1000ull, 0x2000ull, 0x200000ull, 0x40000000ull, 0x7ffffffff000ull}) {
        uint64_t f = Frame();
        ASSERT_EQ(fut_pt_map(root_, va, f, FUT_PTE_USER), 0);
        mapped[va] = f;
    }
    std::map<uint64_t, uint64_t> seen;
    auto collect = [](void *ctx, uint64_t va, uint64_t *pte) {
        (*static_cast<std::map<uint64_t, uint64_t> *>(ctx))[va] = fut_pte_addr(*pte);
        return 0;
    };
    ASSERT_EQ(fut_pt_visit(root_, 0x2000, 0x40001000, collect, &seen), 0);
    EXPECT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0x2000], mapped[0x2000]);
    EXPECT_EQ(seen[0x200000], mapped[0x200000]);
    EXPECT_EQ(seen[0x40000000], mapped[0x40000000]);
    seen.clear();
    ASSERT_EQ(fut_pt_visit(root_, 0, FUT_USER_TOP, collect, &seen), 0);
    EXPECT_EQ(seen, mapped);

    // The visitor can clear entries (what unmapping a range does).
    auto clear = [](void *, uint64_t, uint64_t *pte) {
        fut_pmm_free(fut_pmm_global(), fut_pte_addr(*pte), 0);
        *pte = 0;
        return 0;
    };
    ASSERT_EQ(fut_pt_visit(root_, 0, FUT_USER_TOP, clear, nullptr), 0);
    for (auto &m : mapped)
        EXPECT_FALSE(fut_pt_translate(root_, m.first, nullptr, nullptr));
    DestroyAndCheckBaseline();
}

TEST_F(Paging, VisitStopsAtFirstNonZeroResult)
{
    for (uint64_t va = 0x1000; va <= 0x5000; va += 0x1000)
        ASSERT_EQ(fut_pt_map(root_, va, Frame(), 0), 0);
    int calls = 0;
    auto stop_at_third = [](void *ctx, uint64_t, uint64_t *) {
        return ++*static_cast<int *>(ctx) == 3 ? 42 : 0;
    };
    EXPECT_EQ(fut_pt_visit(root_, 0, FUT_USER_TOP, stop_at_third, &calls), 42);
    EXPECT_EQ(calls, 3);
    auto clear = [](void *, uint64_t, uint64_t *pte) {
        fut_pmm_free(fut_pmm_global(), fut_pte_addr(*pte), 0);
        *pte = 0;
        return 0;
    };
    fut_pt_visit(root_, 0, FUT_USER_TOP, clear, nullptr);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, OutOfMemoryForTablesReturnsEnomemAndStaysUsable)
{
    // Exhaust the PMM, then ask for a mapping needing new tables.
    std::vector<uint64_t> hog;
    for (uint64_t f; (f = fut_pmm_alloc(fut_pmm_global(), 0)) != 0;)
        hog.push_back(f);
    EXPECT_EQ(fut_pt_map(root_, 0x10000000, 0x200000, 0), -ENOMEM);
    for (uint64_t f : hog)
        fut_pmm_free(fut_pmm_global(), f, 0);
    uint64_t f = Frame();
    EXPECT_EQ(fut_pt_map(root_, 0x10000000, f, 0), 0);
    fut_pt_unmap(root_, 0x10000000, nullptr);
    fut_pmm_free(fut_pmm_global(), f, 0);
    DestroyAndCheckBaseline();
}

TEST_F(Paging, RandomMapUnmapMatchesModelAndFreesAllTables)
{
    std::mt19937_64 rng(12345);
    std::map<uint64_t, uint64_t> model;
    for (int i = 0; i < 20000; i++) {
        // Addresses clustered in a few regions so tables are shared and freed.
        uint64_t region = (rng() % 4) * 0x8000000000ull;
        uint64_t va = region + (rng() % 2048) * 0x1000;
        if (model.count(va)) {
            uint64_t old = 0;
            ASSERT_EQ(fut_pt_unmap(root_, va, &old), 0);
            ASSERT_EQ(fut_pte_addr(old), model[va]);
            fut_pmm_free(fut_pmm_global(), model[va], 0);
            model.erase(va);
        } else {
            uint64_t f = Frame();
            ASSERT_EQ(fut_pt_map(root_, va, f, FUT_PTE_USER), 0);
            model[va] = f;
        }
    }
    for (auto &m : model) {
        uint64_t pa = 0;
        ASSERT_TRUE(fut_pt_translate(root_, m.first, &pa, nullptr));
        ASSERT_EQ(pa, m.second);
        fut_pt_unmap(root_, m.first, nullptr);
        fut_pmm_free(fut_pmm_global(), m.second, 0);
    }
    DestroyAndCheckBaseline();
}

}  // namespace
