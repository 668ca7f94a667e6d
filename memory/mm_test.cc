// Address spaces on fake RAM: demand paging, COW fork, sole-owner reuse,
// unmap/protect of present pages, and that everything returns to baseline.
#include "futura/memory/mm.h"

#include <errno.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "futura/hal.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/memory/testing/memory_fixture.h"

namespace {

constexpr uint64_t kPage = 4096;

class Mm : public ::testing::Test {
  protected:
    void SetUp() override
    {
        fut_test_memory_setup(64 << 20);
        fut_kmalloc_init();
        free_ = fut_pmm_free_frames(fut_pmm_global());
        tables_ = fut_pt_table_pages();
        fut_mm_get_stats(&stats_);
    }
    void TearDown() override
    {
        fut_kmalloc_shrink();
        EXPECT_EQ(fut_pt_table_pages(), tables_);
        EXPECT_EQ(fut_pmm_free_frames(fut_pmm_global()), free_);
        struct fut_mm_stats now;
        fut_mm_get_stats(&now);
        EXPECT_EQ(now.live_mms, stats_.live_mms);
        fut_test_memory_teardown();
    }
    static fut_vma Anon(uint64_t start, uint64_t len, uint32_t prot,
                        uint32_t share = FUT_VMA_PRIVATE)
    {
        fut_vma v = {};
        v.start = start;
        v.end = start + len;
        v.prot = prot;
        v.flags = share | FUT_VMA_ANON;
        return v;
    }
    // Simulates a user access the way the CPU and the trap handler would:
    // fault until the page table allows it, then touch the frame.
    static uint8_t *Touch(fut_mm *mm, uint64_t va, bool write)
    {
        for (int tries = 0; tries < 3; tries++) {
            uint64_t pa = 0, pte = 0;
            if (fut_pt_translate(mm->root, va, &pa, &pte) && (pte & FUT_PTE_USER) &&
                (!write || (pte & FUT_PTE_WRITE)))
                return static_cast<uint8_t *>(fut_hal_phys_to_virt(pa));
            bool present = fut_pt_translate(mm->root, va, nullptr, nullptr);
            uint32_t access = (write ? FUT_FAULT_WRITE : 0) | (present ? FUT_FAULT_PRESENT : 0);
            if (fut_mm_handle_fault(mm, va, access) != FUT_FAULT_HANDLED)
                return nullptr;
        }
        return nullptr;
    }
    static uint64_t Frame(fut_mm *mm, uint64_t va)
    {
        uint64_t pa = 0;
        return fut_pt_translate(mm->root, va, &pa, nullptr) ? pa & ~(kPage - 1) : 0;
    }
    uint64_t free_ = 0, tables_ = 0;
    fut_mm_stats stats_ = {};
};

TEST_F(Mm, FirstTouchOfAnonymousMemoryGivesZeroedPage)
{
    fut_mm *mm = fut_mm_create();
    ASSERT_NE(mm, nullptr);
    fut_vma v = Anon(0x400000, 4 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(mm, &v), 0);
    EXPECT_EQ(mm->rss_pages, 0u);  // nothing populated up front
    uint8_t *p = Touch(mm, 0x401000, false);
    ASSERT_NE(p, nullptr);
    for (uint64_t i = 0; i < kPage; i++)
        ASSERT_EQ(p[i], 0);
    EXPECT_EQ(mm->rss_pages, 1u);
    fut_mm_put(mm);
}

TEST_F(Mm, AccessOutsideAnyMappingIsMapErr)
{
    fut_mm *mm = fut_mm_create();
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x1234000, 0), FUT_FAULT_SEGV_MAPERR);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0xffff800000001000ull, 0), FUT_FAULT_SEGV_MAPERR);
    fut_mm_put(mm);
}

TEST_F(Mm, WriteToReadOnlyOrExecToNoExecIsAccErr)
{
    fut_mm *mm = fut_mm_create();
    fut_vma ro = Anon(0x400000, kPage, FUT_PROT_READ);
    ASSERT_EQ(fut_mm_map(mm, &ro), 0);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x400000, FUT_FAULT_WRITE), FUT_FAULT_SEGV_ACCERR);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x400000, FUT_FAULT_EXEC), FUT_FAULT_SEGV_ACCERR);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x400000, 0), FUT_FAULT_HANDLED);
    uint64_t pte = 0;
    ASSERT_TRUE(fut_pt_translate(mm->root, 0x400000, nullptr, &pte));
    EXPECT_FALSE(pte & FUT_PTE_WRITE);
    EXPECT_TRUE(pte & FUT_PTE_NX);
    fut_mm_put(mm);
}

// Runs the COW scenario with page tables shared by fork (the default) or
// with per-page sharing; the outcome must be the same.
static void CowScenario(bool share_tables)
{
    bool saved = fut_mm_share_page_tables;
    fut_mm_share_page_tables = share_tables;
    fut_mm *parent = fut_mm_create();
    fut_vma v = {};
    v.start = 0x400000;
    v.end = 0x400000 + 2 * kPage;
    v.prot = FUT_PROT_READ | FUT_PROT_WRITE;
    v.flags = FUT_VMA_PRIVATE | FUT_VMA_ANON;
    ASSERT_EQ(fut_mm_map(parent, &v), 0);
    uint8_t *p = nullptr;
    for (int i = 0; i < 3 && !p; i++) {
        uint64_t pa = 0, pte = 0;
        if (fut_pt_translate(parent->root, 0x400000, &pa, &pte) && (pte & FUT_PTE_WRITE))
            p = static_cast<uint8_t *>(fut_hal_phys_to_virt(pa));
        else
            fut_mm_handle_fault(parent, 0x400000, FUT_FAULT_WRITE);
    }
    ASSERT_NE(p, nullptr);
    std::memcpy(p, "parent", 7);
    uint64_t shared_frame = 0;
    fut_pt_translate(parent->root, 0x400000, &shared_frame, nullptr);
    fut_mm_stats s0, s1;
    fut_mm_get_stats(&s0);

    fut_mm *child = fut_mm_clone(parent, false);
    ASSERT_NE(child, nullptr);
    fut_mm_get_stats(&s1);
    uint64_t child_frame = 0, pte = 0;
    ASSERT_TRUE(fut_pt_translate(child->root, 0x400000, &child_frame, &pte));
    EXPECT_EQ(child_frame, shared_frame); // no copy at fork
    EXPECT_FALSE(pte & FUT_PTE_WRITE);     // read-only in the child...
    ASSERT_TRUE(fut_pt_translate(parent->root, 0x400000, nullptr, &pte));
    EXPECT_FALSE(pte & FUT_PTE_WRITE);     // ...and in the parent
    if (share_tables) {
        EXPECT_EQ(s1.shared_tables, s0.shared_tables + 1); // one table, not one entry per page
        EXPECT_EQ(fut_pmm_page(fut_pmm_global(), shared_frame)->refcount, 1u);
    } else {
        EXPECT_EQ(s1.shared_tables, s0.shared_tables);
        EXPECT_EQ(fut_pmm_page(fut_pmm_global(), shared_frame)->refcount, 2u);
        EXPECT_TRUE(pte & FUT_PTE_COW);
    }
    fut_mm_share_page_tables = saved;
    fut_mm_put(child);
    fut_mm_put(parent);
}

TEST_F(Mm, CowForkSharesWithoutCopyingInBothModes)
{
    CowScenario(true);
    CowScenario(false);
}

TEST_F(Mm, CowChildWriteCopiesPageParentUnchanged)
{
    for (bool share_tables : {true, false}) {
        bool saved = fut_mm_share_page_tables;
        fut_mm_share_page_tables = share_tables;
        fut_mm *parent = fut_mm_create();
        fut_vma v = Anon(0x400000, 2 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
        ASSERT_EQ(fut_mm_map(parent, &v), 0);
        std::memcpy(Touch(parent, 0x400000, true), "parent", 7);
        uint64_t shared_frame = Frame(parent, 0x400000);
        fut_mm *child = fut_mm_clone(parent, false);
        ASSERT_NE(child, nullptr);
        EXPECT_EQ(Frame(child, 0x400000), shared_frame);
        uint8_t *c = Touch(child, 0x400000, true);
        ASSERT_NE(c, nullptr);
        std::memcpy(c, "child!", 7);
        EXPECT_NE(Frame(child, 0x400000), shared_frame);
        EXPECT_STREQ(reinterpret_cast<char *>(Touch(parent, 0x400000, false)), "parent");
        EXPECT_STREQ(reinterpret_cast<char *>(Touch(child, 0x400000, false)), "child!");
        // The parent's second page is still shared with the child; writing it copies.
        std::memcpy(Touch(parent, 0x401000, true), "p2", 3);
        EXPECT_NE(Frame(parent, 0x401000), Frame(child, 0x401000));
        EXPECT_EQ(fut_pmm_page(fut_pmm_global(), shared_frame)->refcount, 1u);
        fut_mm_put(child);
        fut_mm_put(parent);
        fut_mm_share_page_tables = saved;
    }
}

TEST_F(Mm, SoleOwnerWriteReusesPageWithoutCopy)
{
    for (bool share_tables : {true, false}) {
        bool saved = fut_mm_share_page_tables;
        fut_mm_share_page_tables = share_tables;
        fut_mm *parent = fut_mm_create();
        fut_vma v = Anon(0x400000, kPage, FUT_PROT_READ | FUT_PROT_WRITE);
        ASSERT_EQ(fut_mm_map(parent, &v), 0);
        std::memcpy(Touch(parent, 0x400000, true), "data", 5);
        uint64_t frame = Frame(parent, 0x400000);
        fut_mm *child = fut_mm_clone(parent, false);
        fut_mm_put(child); // the parent is now the only owner, still read-only
        fut_mm_stats before;
        fut_mm_get_stats(&before);
        uint8_t *p = Touch(parent, 0x400000, true);
        ASSERT_NE(p, nullptr);
        fut_mm_stats after;
        fut_mm_get_stats(&after);
        EXPECT_EQ(Frame(parent, 0x400000), frame); // same frame: reused, not copied
        EXPECT_EQ(after.cow_copies, before.cow_copies);
        if (share_tables)
            EXPECT_EQ(after.reclaimed_tables, before.reclaimed_tables + 1);
        else
            EXPECT_EQ(after.cow_reuses, before.cow_reuses + 1);
        EXPECT_STREQ(reinterpret_cast<char *>(p), "data");
        fut_mm_put(parent);
        fut_mm_share_page_tables = saved;
    }
}

TEST_F(Mm, SharedMappingStaysSharedAcrossClone)
{
    fut_mm *parent = fut_mm_create();
    fut_vma v = Anon(0x400000, kPage, FUT_PROT_READ | FUT_PROT_WRITE, FUT_VMA_SHARED);
    ASSERT_EQ(fut_mm_map(parent, &v), 0);
    Touch(parent, 0x400000, true)[0] = 1;
    fut_mm *child = fut_mm_clone(parent, false);
    Touch(child, 0x400000, true)[0] = 42;
    EXPECT_EQ(Touch(parent, 0x400000, false)[0], 42);
    EXPECT_EQ(Frame(parent, 0x400000), Frame(child, 0x400000));
    fut_mm_put(child);
    fut_mm_put(parent);
}

TEST_F(Mm, EagerCloneCopiesEveryPrivatePage)
{
    fut_mm *parent = fut_mm_create();
    fut_vma v = Anon(0x400000, 8 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(parent, &v), 0);
    for (int i = 0; i < 8; i++)
        Touch(parent, 0x400000 + i * kPage, true)[0] = static_cast<uint8_t>(i + 1);
    uint64_t before = fut_pmm_free_frames(fut_pmm_global());
    fut_mm *child = fut_mm_clone(parent, true);
    ASSERT_NE(child, nullptr);
    EXPECT_LE(fut_pmm_free_frames(fut_pmm_global()), before - 8);
    for (int i = 0; i < 8; i++) {
        uint64_t va = 0x400000 + i * kPage;
        EXPECT_NE(Frame(child, va), Frame(parent, va));
        EXPECT_EQ(Touch(child, va, false)[0], i + 1);
        uint64_t pte = 0;
        fut_pt_translate(parent->root, va, nullptr, &pte);
        EXPECT_TRUE(pte & FUT_PTE_WRITE);  // the parent keeps writing without faults
    }
    fut_mm_put(child);
    fut_mm_put(parent);
}

TEST_F(Mm, UnmapMiddleReleasesPagesAndKeepsContentsOfTheRest)
{
    fut_mm *mm = fut_mm_create();
    fut_vma v = Anon(0x400000, 6 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(mm, &v), 0);
    for (int i = 0; i < 6; i++)
        Touch(mm, 0x400000 + i * kPage, true)[0] = static_cast<uint8_t>(0xa0 + i);
    uint64_t free_before = fut_pmm_free_frames(fut_pmm_global());
    ASSERT_EQ(fut_mm_unmap(mm, 0x402000, 2 * kPage), 0);
    EXPECT_EQ(fut_pmm_free_frames(fut_pmm_global()), free_before + 2);
    EXPECT_EQ(mm->rss_pages, 4u);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x402000, 0), FUT_FAULT_SEGV_MAPERR);
    EXPECT_EQ(Touch(mm, 0x401000, false)[0], 0xa1);
    EXPECT_EQ(Touch(mm, 0x404000, false)[0], 0xa4);
    fut_mm_put(mm);
}

TEST_F(Mm, UnmapRejectsBadRanges)
{
    fut_mm *mm = fut_mm_create();
    EXPECT_EQ(fut_mm_unmap(mm, 0x400001, kPage), -EINVAL);
    EXPECT_EQ(fut_mm_unmap(mm, 0x400000, 0), -EINVAL);
    EXPECT_EQ(fut_mm_unmap(mm, 0x7ffffffff000ull, 2 * kPage), -EINVAL);
    EXPECT_EQ(fut_mm_unmap(mm, 0xffff800000000000ull, kPage), -EINVAL);
    fut_vma wrap = Anon(0x7ffffffff000ull, 2 * kPage, FUT_PROT_READ);
    EXPECT_EQ(fut_mm_map(mm, &wrap), -EINVAL);
    fut_mm_put(mm);
}

TEST_F(Mm, ProtectReadOnlyThenBackKeepsCowPagesReadOnly)
{
    fut_mm *parent = fut_mm_create();
    fut_vma v = Anon(0x400000, 2 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(parent, &v), 0);
    Touch(parent, 0x400000, true)[0] = 1;
    Touch(parent, 0x401000, true)[0] = 2;
    ASSERT_EQ(fut_mm_protect(parent, 0x400000, 2 * kPage, FUT_PROT_READ), 0);
    EXPECT_EQ(fut_mm_handle_fault(parent, 0x400000, FUT_FAULT_WRITE | FUT_FAULT_PRESENT),
              FUT_FAULT_SEGV_ACCERR);
    fut_mm *child = fut_mm_clone(parent, false);
    ASSERT_EQ(fut_mm_protect(parent, 0x400000, 2 * kPage, FUT_PROT_READ | FUT_PROT_WRITE), 0);
    uint64_t pte = 0;
    fut_pt_translate(parent->root, 0x400000, nullptr, &pte);
    EXPECT_FALSE(pte & FUT_PTE_WRITE);  // still shared with the child
    Touch(parent, 0x400000, true)[0] = 9;
    EXPECT_EQ(Touch(child, 0x400000, false)[0], 1);
    fut_mm_put(child);
    fut_mm_put(parent);
}

TEST_F(Mm, ProtNoneMakesPresentPagesInaccessible)
{
    fut_mm *mm = fut_mm_create();
    fut_vma v = Anon(0x400000, kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(mm, &v), 0);
    Touch(mm, 0x400000, true)[0] = 7;
    ASSERT_EQ(fut_mm_protect(mm, 0x400000, kPage, FUT_PROT_NONE), 0);
    uint64_t pte = 0;
    fut_pt_translate(mm->root, 0x400000, nullptr, &pte);
    EXPECT_FALSE(pte & FUT_PTE_USER);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x400000, FUT_FAULT_PRESENT), FUT_FAULT_SEGV_ACCERR);
    ASSERT_EQ(fut_mm_protect(mm, 0x400000, kPage, FUT_PROT_READ), 0);
    EXPECT_EQ(Touch(mm, 0x400000, false)[0], 7);
    fut_mm_put(mm);
}

TEST_F(Mm, OutOfMemoryFaultReportsOomAndRecovers)
{
    fut_mm *mm = fut_mm_create();
    fut_vma v = Anon(0x400000, 16 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(mm, &v), 0);
    Touch(mm, 0x400000, true);  // tables exist now
    std::vector<uint64_t> hog;
    for (uint64_t f; (f = fut_pmm_alloc(fut_pmm_global(), 0)) != 0;)
        hog.push_back(f);
    EXPECT_EQ(fut_mm_handle_fault(mm, 0x401000, FUT_FAULT_WRITE), FUT_FAULT_OOM);
    for (uint64_t f : hog)
        fut_pmm_free(fut_pmm_global(), f, 0);
    EXPECT_NE(Touch(mm, 0x401000, true), nullptr);
    fut_mm_put(mm);
}

TEST_F(Mm, ThousandsOfForkCyclesReturnToBaseline)
{
    fut_mm *parent = fut_mm_create();
    fut_vma v = Anon(0x400000, 64 * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(parent, &v), 0);
    for (int i = 0; i < 64; i++)
        Touch(parent, 0x400000 + i * kPage, true)[0] = static_cast<uint8_t>(i);
    uint64_t free_after_setup = fut_pmm_free_frames(fut_pmm_global());
    std::mt19937 rng(7);
    for (int cycle = 0; cycle < 2000; cycle++) {
        fut_mm *child = fut_mm_clone(parent, false);
        ASSERT_NE(child, nullptr);
        uint64_t va = 0x400000 + (rng() % 64) * kPage;
        Touch(child, va, true)[1] = 1;       // child writes: copy
        Touch(parent, 0x400000 + (rng() % 64) * kPage, true)[2] = 2;
        fut_mm_put(child);
    }
    // The parent may now own pages exclusively that it did not before, but no frame leaked.
    EXPECT_EQ(fut_pmm_free_frames(fut_pmm_global()), free_after_setup);
    for (int i = 0; i < 64; i++)
        EXPECT_EQ(Touch(parent, 0x400000 + i * kPage, false)[0], i);
    fut_mm_put(parent);
}

// Random forks, writes, reads, unmaps and exits across a family of address
// spaces sharing page tables, checked page by page against a model.
TEST_F(Mm, RandomForkFamilyMatchesModelAndFreesEverything)
{
    constexpr int kPages = 1024; // two page tables' worth
    constexpr uint64_t kBase = 0x400000;
    struct Space {
        fut_mm *mm;
        std::vector<int> page; // byte value per page, -1 when unmapped
    };
    std::vector<Space> family;
    Space first{fut_mm_create(), std::vector<int>(kPages, 0)};
    fut_vma v = Anon(kBase, kPages * kPage, FUT_PROT_READ | FUT_PROT_WRITE);
    ASSERT_EQ(fut_mm_map(first.mm, &v), 0);
    for (int i = 0; i < kPages; i += 3) {
        Touch(first.mm, kBase + i * kPage, true)[0] = static_cast<uint8_t>(i);
        first.page[i] = static_cast<uint8_t>(i);
    }
    family.push_back(first);
    std::mt19937 rng(2021);
    for (int step = 0; step < 3000; step++) {
        size_t who = rng() % family.size();
        int page = rng() % kPages;
        uint64_t va = kBase + page * kPage;
        switch (rng() % 6) {
        case 0:
            if (family.size() < 6) {
                fut_mm *c = fut_mm_clone(family[who].mm, false);
                ASSERT_NE(c, nullptr);
                family.push_back(Space{c, family[who].page});
            }
            break;
        case 1:
        case 2: {
            if (family[who].page[page] < 0)
                break;
            uint8_t val = static_cast<uint8_t>(rng());
            uint8_t *p = Touch(family[who].mm, va, true);
            ASSERT_NE(p, nullptr);
            p[0] = val;
            family[who].page[page] = val;
            break;
        }
        case 3: {
            if (family[who].page[page] < 0)
                break;
            uint8_t *p = Touch(family[who].mm, va, false);
            ASSERT_NE(p, nullptr);
            ASSERT_EQ(p[0], family[who].page[page]) << "step " << step << " page " << page;
            break;
        }
        case 4:
            ASSERT_EQ(fut_mm_unmap(family[who].mm, va, kPage), 0);
            family[who].page[page] = -1;
            break;
        case 5:
            if (family.size() > 1) {
                fut_mm_put(family[who].mm);
                family.erase(family.begin() + who);
            }
            break;
        }
    }
    // Every surviving space still reads exactly its own history.
    for (auto &sp : family) {
        for (int i = 0; i < kPages; i++) {
            if (sp.page[i] < 0)
                continue;
            uint8_t *p = Touch(sp.mm, kBase + i * kPage, false);
            ASSERT_NE(p, nullptr);
            ASSERT_EQ(p[0], sp.page[i]);
        }
        fut_mm_put(sp.mm);
    }
}

}  // namespace
