// Building the kernel address space: direct map coverage and W^X sections.
#include "futura/memory/kspace.h"

#include <gtest/gtest.h>

#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/memory/testing/memory_fixture.h"

namespace {

constexpr uint64_t kDirect = 0xffff800000000000ull;
constexpr uint64_t kKernel = 0xffffffff80000000ull;

class Kspace : public ::testing::Test {
  protected:
    void SetUp() override
    {
        fut_test_memory_setup(32 << 20);
        bi_.nregions = 4;
        bi_.regions[0] = {0, 0x9f000, FUT_MEM_USABLE};
        bi_.regions[1] = {0xf0000, 0x10000, FUT_MEM_RESERVED};
        bi_.regions[2] = {0x100000, 0x3f00000, FUT_MEM_USABLE};
        bi_.regions[3] = {0xfd00000000ull, 0x300000000ull, FUT_MEM_RESERVED};
    }
    void TearDown() override { fut_test_memory_teardown(); }
    struct fut_bootinfo bi_ = {};
};

TEST_F(Kspace, DirectMapCoversUsableRamWritableNoExecute)
{
    struct fut_kspace_layout layout = {kDirect, nullptr, 0};
    uint64_t root = 0;
    ASSERT_EQ(fut_kspace_build(&bi_, &layout, &root), 0);
    for (uint64_t pa : {0x0ull, 0x9e000ull, 0x100000ull, 0x1234567ull, 0x3ffffffull}) {
        uint64_t got = 0, pte = 0;
        ASSERT_TRUE(fut_pt_translate(root, kDirect + pa, &got, &pte)) << std::hex << pa;
        EXPECT_EQ(got, pa);
        EXPECT_TRUE(pte & FUT_PTE_WRITE);
        EXPECT_TRUE(pte & FUT_PTE_NX);
        EXPECT_TRUE(pte & FUT_PTE_GLOBAL);
        EXPECT_FALSE(pte & FUT_PTE_USER);
    }
    // Reserved ranges (device holes) are not mapped as RAM.
    EXPECT_FALSE(fut_pt_translate(root, kDirect + 0xfd00000000ull, nullptr, nullptr));
    EXPECT_FALSE(fut_pt_translate(root, kDirect + 0x8000000ull, nullptr, nullptr));
}

TEST_F(Kspace, SectionsGetWxorXPermissions)
{
    const struct fut_kernel_section sections[] = {
        {"text", kKernel + 0x101000, kKernel + 0x104000, 0x101000, 0},
        {"rodata", kKernel + 0x104000, kKernel + 0x105000, 0x104000, FUT_PTE_NX},
        {"data", kKernel + 0x105000, kKernel + 0x108000, 0x105000, FUT_PTE_WRITE | FUT_PTE_NX},
    };
    struct fut_kspace_layout layout = {kDirect, sections, 3};
    uint64_t root = 0;
    ASSERT_EQ(fut_kspace_build(&bi_, &layout, &root), 0);
    uint64_t pa = 0, pte = 0;
    ASSERT_TRUE(fut_pt_translate(root, kKernel + 0x102010, &pa, &pte));
    EXPECT_EQ(pa, 0x102010u);
    EXPECT_FALSE(pte & FUT_PTE_WRITE);
    EXPECT_FALSE(pte & FUT_PTE_NX);
    ASSERT_TRUE(fut_pt_translate(root, kKernel + 0x104000, &pa, &pte));
    EXPECT_FALSE(pte & FUT_PTE_WRITE);
    EXPECT_TRUE(pte & FUT_PTE_NX);
    ASSERT_TRUE(fut_pt_translate(root, kKernel + 0x107fff, &pa, &pte));
    EXPECT_EQ(pa, 0x107fffu);
    EXPECT_TRUE(pte & FUT_PTE_WRITE);
    EXPECT_TRUE(pte & FUT_PTE_NX);
    EXPECT_FALSE(fut_pt_translate(root, kKernel + 0x108000, nullptr, nullptr));
}

TEST_F(Kspace, MisalignedSectionIsRejected)
{
    const struct fut_kernel_section bad = {"bad", kKernel + 0x101100, kKernel + 0x102000, 0x101100, 0};
    struct fut_kspace_layout layout = {kDirect, &bad, 1};
    uint64_t root = 0;
    EXPECT_EQ(fut_kspace_build(&bi_, &layout, &root), -22);
}

}  // namespace

namespace {

TEST_F(Kspace, KernelStacksHaveGuardGapsAndFreeCompletely)
{
    struct fut_kspace_layout layout = {kDirect, nullptr, 0};
    uint64_t root = 0;
    ASSERT_EQ(fut_kspace_build(&bi_, &layout, &root), 0);
    fut_kspace_set_root(root);
    uint64_t free0 = fut_pmm_free_frames(fut_pmm_global());
    uint64_t a = fut_kstack_alloc(), b = fut_kstack_alloc();
    ASSERT_NE(a, 0u);
    ASSERT_NE(b, 0u);
    EXPECT_EQ(fut_kstack_live(), 2u);
    EXPECT_GE(b - a, (uint64_t)FUT_KSTACK_STRIDE);
    // The whole stack is mapped writable and non-executable...
    for (uint64_t va = a - FUT_KSTACK_SIZE; va < a; va += 4096) {
        uint64_t pte = 0;
        ASSERT_TRUE(fut_pt_translate(root, va, nullptr, &pte));
        EXPECT_TRUE((pte & FUT_PTE_WRITE) && (pte & FUT_PTE_NX));
    }
    // ...and the page below it is not: an overflow faults.
    EXPECT_FALSE(fut_pt_translate(root, a - FUT_KSTACK_SIZE - 4096, nullptr, nullptr));
    fut_kstack_free(a);
    fut_kstack_free(a);  // a second free is ignored
    fut_kstack_free(b);
    EXPECT_EQ(fut_kstack_live(), 0u);
    EXPECT_EQ(fut_pmm_free_frames(fut_pmm_global()), free0);
    EXPECT_FALSE(fut_pt_translate(root, a - 4096, nullptr, nullptr));
    fut_kspace_set_root(0);
}

}  // namespace
