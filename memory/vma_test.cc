// Host tests for the VMA set (memory/vma.c): every operation's cases with
// file offsets, backing references and node accounting checked, and a
// randomized comparison against a page-granular model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <random>
#include <vector>

#include "futura/errno.h"
#include "futura/memory/vma.h"

namespace
{

constexpr uint64_t P = FUT_PAGE_SIZE;
constexpr uint32_t R = FUT_PROT_READ;
constexpr uint32_t RW = FUT_PROT_READ | FUT_PROT_WRITE;
constexpr uint32_t RX = FUT_PROT_READ | FUT_PROT_EXEC;
constexpr uint32_t kAnon = FUT_VMA_PRIVATE | FUT_VMA_ANON;
constexpr uint32_t kFile = FUT_VMA_PRIVATE | FUT_VMA_FILE;
constexpr uint32_t kSharedFile = FUT_VMA_SHARED | FUT_VMA_FILE;

// Unit tests place VMAs at page numbers relative to this base.
constexpr uint64_t kBase = 0x10000000;
constexpr uint64_t Pg(uint64_t page)
{
    return kBase + page * P;
}

// ---- Test doubles ---------------------------------------------------------

// A malloc-backed node allocator that counts live nodes and fails on demand.
struct CountingAllocator {
    long live = 0;
    long allocs = 0;
    long failures = 0;
    long fail_after = -1; // successful allocations left before failing; -1 = never fail

    static fut_vma *Alloc(void *ctx)
    {
        auto *a = static_cast<CountingAllocator *>(ctx);
        if (a->fail_after == 0) {
            a->failures++;
            return nullptr;
        }
        if (a->fail_after > 0)
            a->fail_after--;
        a->live++;
        a->allocs++;
        void *p = std::malloc(sizeof(fut_vma));
        std::memset(p, 0xa5, sizeof(fut_vma)); // the set must initialise every field
        return static_cast<fut_vma *>(p);
    }
    static void Free(void *ctx, fut_vma *v)
    {
        auto *a = static_cast<CountingAllocator *>(ctx);
        a->live--;
        std::free(v);
    }
    fut_vma_allocator Ops()
    {
        return fut_vma_allocator{&Alloc, &Free, this};
    }
};

// A backing object that counts references taken and dropped.
struct FakeObject {
    int id = 0;
    long refs = 0;
    long gets = 0;
    long puts = 0;

    static void Get(void *obj)
    {
        auto *o = static_cast<FakeObject *>(obj);
        o->refs++;
        o->gets++;
    }
    static void Put(void *obj)
    {
        auto *o = static_cast<FakeObject *>(obj);
        o->refs--;
        o->puts++;
    }
};

const fut_vma_obj_ops kObjOps = {&FakeObject::Get, &FakeObject::Put};

fut_vma Anon(uint64_t start_page, uint64_t end_page, uint32_t prot = RW)
{
    fut_vma v{};
    v.start = Pg(start_page);
    v.end = Pg(end_page);
    v.prot = prot;
    v.flags = kAnon;
    return v;
}

fut_vma File(FakeObject *obj, uint64_t start_page, uint64_t end_page, uint64_t offset_page,
             uint32_t prot = R, uint32_t flags = kFile)
{
    fut_vma v{};
    v.start = Pg(start_page);
    v.end = Pg(end_page);
    v.prot = prot;
    v.flags = flags;
    v.obj = obj;
    v.obj_ops = &kObjOps;
    v.file_offset = offset_page * P;
    return v;
}

// What a VMA looks like from outside, in pages relative to kBase.
struct Span {
    uint64_t start, end; // pages
    uint32_t prot;
    const void *obj;
    uint64_t offset; // pages
    bool operator==(const Span &o) const
    {
        return start == o.start && end == o.end && prot == o.prot && obj == o.obj &&
               offset == o.offset;
    }
};

std::ostream &operator<<(std::ostream &os, const Span &s)
{
    return os << "{[" << s.start << ", " << s.end << ") prot " << s.prot << " obj " << s.obj
              << " off " << s.offset << "}";
}

Span SpanOf(const fut_vma *v)
{
    return Span{(v->start - kBase) / P, (v->end - kBase) / P, v->prot, v->obj, v->file_offset / P};
}

// Records fut_vma_set_remove_range callbacks.
struct Unmapped {
    Span piece;    // the VMA as the callback saw it
    uint64_t s, e; // the sub-range being removed, pages
    bool still_in_set;
};

struct UnmapRecorder {
    const fut_vma_set *set = nullptr;
    std::vector<Unmapped> calls;

    static void Callback(void *ctx, const fut_vma *piece, uint64_t start, uint64_t end)
    {
        auto *r = static_cast<UnmapRecorder *>(ctx);
        bool in_set = fut_vma_set_find(r->set, start) == piece &&
                      fut_vma_set_find(r->set, end - 1) == piece && fut_vma_set_check(r->set) == 0;
        r->calls.push_back(Unmapped{SpanOf(piece), (start - kBase) / P, (end - kBase) / P, in_set});
    }
};

class VmaTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        ops_ = alloc_.Ops();
        fut_vma_set_init(&set_, &ops_);
        file_a_.id = 1;
        file_b_.id = 2;
        recorder_.set = &set_;
    }
    void TearDown() override
    {
        EXPECT_EQ(fut_vma_set_check(&set_), 0);
        fut_vma_set_destroy(&set_);
        EXPECT_EQ(set_.count, 0u);
        EXPECT_EQ(alloc_.live, 0);
        EXPECT_EQ(file_a_.refs, 0);
        EXPECT_EQ(file_b_.refs, 0);
        EXPECT_EQ(file_a_.gets, file_a_.puts);
        EXPECT_EQ(file_b_.gets, file_b_.puts);
    }

    int Insert(const fut_vma &proto, fut_vma **out = nullptr)
    {
        return fut_vma_set_insert(&set_, &proto, out);
    }
    int Remove(uint64_t start_page, uint64_t end_page)
    {
        return fut_vma_set_remove_range(&set_, Pg(start_page), Pg(end_page),
                                        &UnmapRecorder::Callback, &recorder_);
    }
    int Protect(uint64_t start_page, uint64_t end_page, uint32_t prot)
    {
        return fut_vma_set_protect_range(&set_, Pg(start_page), Pg(end_page), prot);
    }
    std::vector<Span> Spans() const
    {
        std::vector<Span> out;
        for (fut_vma *v = fut_vma_set_first(&set_); v; v = fut_vma_next(v))
            out.push_back(SpanOf(v));
        return out;
    }

    CountingAllocator alloc_;
    fut_vma_allocator ops_{};
    fut_vma_set set_{};
    FakeObject file_a_, file_b_;
    UnmapRecorder recorder_;
};

// ---- insert ---------------------------------------------------------------

using VmaInsert = VmaTest;

TEST_F(VmaInsert, FindReturnsContainingVmaAndNullInHoles)
{
    fut_vma *v = nullptr;
    ASSERT_EQ(Insert(Anon(10, 20), &v), 0);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(10)), v);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(15) + 123), v);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(20) - 1), v);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(20)), nullptr);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(10) - 1), nullptr);
    EXPECT_EQ(fut_vma_set_find(&set_, 0), nullptr);
    EXPECT_EQ(set_.count, 1u);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaInsert, UnalignedEmptyOrWrappingRangeReturnsEinval)
{
    fut_vma v = Anon(10, 20);
    v.start += 1;
    EXPECT_EQ(Insert(v), -EINVAL);
    v = Anon(10, 20);
    v.end -= 1;
    EXPECT_EQ(Insert(v), -EINVAL);
    EXPECT_EQ(Insert(Anon(10, 10)), -EINVAL);
    EXPECT_EQ(Insert(Anon(20, 10)), -EINVAL);
    v = Anon(0, 0);
    v.start = UINT64_MAX & ~(P - 1);
    v.end = P; // wraps around the top of the address space
    EXPECT_EQ(Insert(v), -EINVAL);
    EXPECT_EQ(set_.count, 0u);
    EXPECT_EQ(alloc_.allocs, 0);
}

TEST_F(VmaInsert, InconsistentProtFlagsOrBackingReturnsEinval)
{
    fut_vma v = Anon(10, 20, 0x8);
    EXPECT_EQ(Insert(v), -EINVAL) << "unknown prot bit";
    v = Anon(10, 20);
    v.flags |= 0x1000;
    EXPECT_EQ(Insert(v), -EINVAL) << "unknown flag bit";
    v = Anon(10, 20);
    v.flags = FUT_VMA_PRIVATE | FUT_VMA_SHARED | FUT_VMA_ANON;
    EXPECT_EQ(Insert(v), -EINVAL) << "private and shared";
    v.flags = FUT_VMA_ANON;
    EXPECT_EQ(Insert(v), -EINVAL) << "neither private nor shared";
    v.flags = FUT_VMA_PRIVATE;
    EXPECT_EQ(Insert(v), -EINVAL) << "neither anon nor file";
    v = File(&file_a_, 10, 20, 0, R, kFile | FUT_VMA_ANON);
    EXPECT_EQ(Insert(v), -EINVAL) << "anon and file";
    v = Anon(10, 20);
    v.flags = kFile;
    EXPECT_EQ(Insert(v), -EINVAL) << "file without object";
    v = File(&file_a_, 10, 20, 0);
    v.obj_ops = nullptr;
    EXPECT_EQ(Insert(v), -EINVAL) << "object without ops";
    const fut_vma_obj_ops no_put = {&FakeObject::Get, nullptr};
    v.obj_ops = &no_put;
    EXPECT_EQ(Insert(v), -EINVAL) << "ops without put";
    v = Anon(10, 20);
    v.obj_ops = &kObjOps;
    EXPECT_EQ(Insert(v), -EINVAL) << "ops without object";
    v = Anon(10, 20);
    v.file_offset = P;
    EXPECT_EQ(Insert(v), -EINVAL) << "offset without object";
    v = File(&file_a_, 10, 20, 0);
    v.file_offset = 100;
    EXPECT_EQ(Insert(v), -EINVAL) << "unaligned offset";
    v.file_offset = UINT64_MAX & ~(P - 1);
    EXPECT_EQ(Insert(v), -EINVAL) << "offset + length overflows";
    EXPECT_EQ(set_.count, 0u);
    EXPECT_EQ(alloc_.allocs, 0);
    EXPECT_EQ(file_a_.gets, 0);
}

TEST_F(VmaInsert, OverlapReturnsEexistAndChangesNothing)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    const std::vector<Span> before = Spans();
    const long allocs = alloc_.allocs;
    EXPECT_EQ(Insert(File(&file_a_, 5, 11, 0)), -EEXIST) << "overlaps the first page";
    EXPECT_EQ(Insert(File(&file_a_, 19, 25, 9)), -EEXIST) << "overlaps the last page";
    EXPECT_EQ(Insert(Anon(12, 14)), -EEXIST) << "inside";
    EXPECT_EQ(Insert(Anon(0, 100)), -EEXIST) << "around";
    EXPECT_EQ(Insert(File(&file_a_, 10, 20, 0)), -EEXIST) << "identical";
    EXPECT_EQ(Spans(), before);
    EXPECT_EQ(alloc_.allocs, allocs);
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
}

TEST_F(VmaInsert, NewVmaTakesOneReferenceOnItsObject)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 4)), 0);
    ASSERT_EQ(Insert(File(&file_b_, 30, 40, 0)), 0);
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(file_b_.refs, 1);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, R, &file_a_, 4}, {30, 40, R, &file_b_, 0}}));
}

TEST_F(VmaInsert, CompatibleNeighbourIsExtendedWithoutAllocating)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 5)), 0);
    alloc_.fail_after = 0;
    fut_vma *v = nullptr;
    ASSERT_EQ(Insert(File(&file_a_, 20, 30, 15), &v), 0) << "extends the VMA below";
    ASSERT_EQ(fut_vma_set_check(&set_), 0);
    ASSERT_EQ(Insert(File(&file_a_, 5, 10, 0)), 0) << "extends the VMA above";
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{5, 30, R, &file_a_, 0}}));
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(5)), v);
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(alloc_.live, 1);
    EXPECT_EQ(alloc_.failures, 0);
}

TEST_F(VmaInsert, RangeJoiningTwoNeighboursLeavesOneVmaAndOneReference)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 30, 40, 20)), 0);
    ASSERT_EQ(file_a_.refs, 2);
    ASSERT_EQ(Insert(File(&file_a_, 20, 30, 10)), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 40, R, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaInsert, AnonymousNeighboursMergeInEitherOrder)
{
    ASSERT_EQ(Insert(Anon(20, 30)), 0);
    ASSERT_EQ(Insert(Anon(40, 50)), 0);
    ASSERT_EQ(Insert(Anon(10, 20)), 0);
    ASSERT_EQ(Insert(Anon(30, 40)), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 50, RW, nullptr, 0}}));
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaInsert, IncompatibleNeighboursStaySeparate)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 20, 30, 10, RW)), 0) << "different prot";
    ASSERT_EQ(Insert(File(&file_b_, 30, 40, 30, RW)), 0) << "different object";
    ASSERT_EQ(Insert(File(&file_b_, 40, 50, 99, RW)), 0) << "offsets not contiguous";
    ASSERT_EQ(Insert(File(&file_b_, 50, 60, 109, RW, kSharedFile)), 0) << "different flags";
    ASSERT_EQ(Insert(Anon(60, 70)), 0) << "anonymous after file";
    fut_vma stack = Anon(70, 80);
    stack.flags |= FUT_VMA_STACK;
    ASSERT_EQ(Insert(stack), 0) << "stack after plain anonymous";
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(set_.count, 7u);
    EXPECT_EQ(file_a_.refs, 2);
    EXPECT_EQ(file_b_.refs, 3);
}

TEST_F(VmaInsert, AllocationFailureReturnsEnomemAndChangesNothing)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    alloc_.fail_after = 0;
    EXPECT_EQ(Insert(File(&file_a_, 30, 40, 0)), -ENOMEM);
    EXPECT_EQ(Insert(File(&file_a_, 20, 30, 50)), -ENOMEM) << "touches but offsets differ";
    EXPECT_EQ(alloc_.failures, 2);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, R, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(file_a_.gets, 1);
}

// ---- tree shape and lookup ----------------------------------------------

using VmaTree = VmaTest;

// The AVL bound: a tree of n nodes is at most 1.4405 log2(n + 2) - 0.3277 high.
void ExpectAvlHeight(const fut_vma_set &set)
{
    ASSERT_NE(set.root, nullptr);
    double bound = 1.4405 * std::log2(static_cast<double>(set.count) + 2) - 0.3277;
    EXPECT_LE(set.root->tree.height, bound) << set.count << " VMAs";
}

TEST_F(VmaTree, SequentialInsertsAndRemovalsKeepTheTreeBalanced)
{
    constexpr uint64_t kN = 3000;
    for (uint64_t i = 0; i < kN; i++) {
        ASSERT_EQ(Insert(Anon(2 * i, 2 * i + 1)), 0);
        ASSERT_EQ(fut_vma_set_check(&set_), 0) << "after inserting " << i;
    }
    ExpectAvlHeight(set_);
    for (uint64_t i = 0; i < kN; i += 2) {
        ASSERT_EQ(Remove(2 * i, 2 * i + 1), 0);
        ASSERT_EQ(fut_vma_set_check(&set_), 0) << "after removing " << i;
    }
    EXPECT_EQ(set_.count, kN / 2);
    ExpectAvlHeight(set_);
    for (uint64_t i = kN + 2000; i-- > kN;)
        ASSERT_EQ(Insert(Anon(2 * i, 2 * i + 1)), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    ExpectAvlHeight(set_);
}

TEST_F(VmaTree, FirstIntersectingReturnsLowestOverlappingVma)
{
    fut_vma *a, *b, *c;
    ASSERT_EQ(Insert(Anon(10, 20), &a), 0);
    ASSERT_EQ(Insert(Anon(30, 40, R), &b), 0);
    ASSERT_EQ(Insert(Anon(50, 60), &c), 0);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(0), Pg(10)), nullptr);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(0), Pg(11)), a);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(15), Pg(100)), a);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(20), Pg(30)), nullptr);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(25), Pg(55)), b);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(40), Pg(51)), c);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(60), Pg(70)), nullptr);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(15), Pg(15)), nullptr);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, Pg(16), Pg(15)), nullptr);
}

TEST_F(VmaTree, NextAndPrevWalkInAddressOrder)
{
    std::vector<uint64_t> pages;
    for (uint64_t i = 0; i < 200; i++)
        pages.push_back(3 * i);
    std::mt19937_64 rng(7);
    std::shuffle(pages.begin(), pages.end(), rng);
    for (uint64_t p : pages)
        ASSERT_EQ(Insert(Anon(p, p + 1 + p % 2)), 0);
    ASSERT_EQ(fut_vma_set_check(&set_), 0);

    uint64_t expect = 0;
    fut_vma *v = fut_vma_set_first(&set_);
    EXPECT_EQ(fut_vma_prev(v), nullptr);
    for (; v; v = fut_vma_next(v), expect += 3)
        ASSERT_EQ(v->start, Pg(expect));
    EXPECT_EQ(expect, 600u);
    v = fut_vma_set_last(&set_);
    EXPECT_EQ(fut_vma_next(v), nullptr);
    for (; v; v = fut_vma_prev(v)) {
        expect -= 3;
        ASSERT_EQ(v->start, Pg(expect));
    }
    EXPECT_EQ(expect, 0u);
}

TEST_F(VmaTree, EmptySetHasNoFirstLastOrMatches)
{
    EXPECT_EQ(fut_vma_set_first(&set_), nullptr);
    EXPECT_EQ(fut_vma_set_last(&set_), nullptr);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(1)), nullptr);
    EXPECT_EQ(fut_vma_set_find_first_intersecting(&set_, 0, UINT64_MAX), nullptr);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
}

// ---- split and merge --------------------------------------------------------

using VmaSplit = VmaTest;

TEST_F(VmaSplit, TailKeepsFileOffsetAndTakesItsOwnReference)
{
    fut_vma *head = nullptr, *tail = nullptr;
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 3), &head), 0);
    ASSERT_EQ(fut_vma_set_split(&set_, head, Pg(14), &tail), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 14, R, &file_a_, 3}, {14, 20, R, &file_a_, 7}}));
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(13)), head);
    EXPECT_EQ(fut_vma_set_find(&set_, Pg(14)), tail);
    EXPECT_EQ(file_a_.refs, 2);
    EXPECT_EQ(alloc_.live, 2);
    EXPECT_EQ(fut_vma_set_check_tree(&set_), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), -EINVAL) << "the halves are mergeable until changed";

    EXPECT_EQ(fut_vma_set_merge(&set_, tail), head);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, R, &file_a_, 3}}));
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaSplit, AddressNotStrictlyInsideOrUnalignedReturnsEinval)
{
    fut_vma *v = nullptr;
    ASSERT_EQ(Insert(Anon(10, 20), &v), 0);
    EXPECT_EQ(fut_vma_set_split(&set_, v, Pg(10), nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_split(&set_, v, Pg(20), nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_split(&set_, v, Pg(25), nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_split(&set_, v, Pg(5), nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_split(&set_, v, Pg(15) + 8, nullptr), -EINVAL);
    EXPECT_EQ(alloc_.allocs, 1);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, RW, nullptr, 0}}));
}

TEST_F(VmaSplit, AllocationFailureLeavesVmaWhole)
{
    fut_vma *v = nullptr;
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0), &v), 0);
    alloc_.fail_after = 0;
    EXPECT_EQ(fut_vma_set_split(&set_, v, Pg(15), nullptr), -ENOMEM);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, R, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
}

TEST_F(VmaSplit, MergeOfMiddlePieceReturnsTheVmaThatAbsorbedIt)
{
    fut_vma *first = nullptr, *middle = nullptr, *last = nullptr;
    ASSERT_EQ(Insert(File(&file_a_, 10, 40, 0), &first), 0);
    ASSERT_EQ(fut_vma_set_split(&set_, first, Pg(20), &middle), 0);
    ASSERT_EQ(fut_vma_set_split(&set_, middle, Pg(30), &last), 0);
    ASSERT_EQ(file_a_.refs, 3);
    EXPECT_EQ(fut_vma_set_merge(&set_, middle), first);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 40, R, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaSplit, MergeLeavesIncompatibleNeighboursAlone)
{
    fut_vma *v = nullptr;
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0), &v), 0);
    ASSERT_EQ(Insert(File(&file_a_, 20, 30, 50)), 0);
    ASSERT_EQ(Insert(File(&file_b_, 5, 10, 0)), 0);
    EXPECT_EQ(fut_vma_set_merge(&set_, v), v);
    EXPECT_EQ(set_.count, 3u);
}

// ---- remove_range -----------------------------------------------------------

using VmaRemove = VmaTest;

TEST_F(VmaRemove, ShrinkStartAdvancesFileOffset)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    alloc_.fail_after = 0; // shrinking never needs a node
    ASSERT_EQ(Remove(5, 13), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{13, 20, R, &file_a_, 3}}));
    ASSERT_EQ(recorder_.calls.size(), 1u);
    EXPECT_EQ(recorder_.calls[0].piece, (Span{10, 20, R, &file_a_, 0}));
    EXPECT_EQ(recorder_.calls[0].s, 10u);
    EXPECT_EQ(recorder_.calls[0].e, 13u);
    EXPECT_EQ(file_a_.refs, 1);
}

TEST_F(VmaRemove, ShrinkEndKeepsFileOffset)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 4)), 0);
    alloc_.fail_after = 0;
    ASSERT_EQ(Remove(15, 25), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 15, R, &file_a_, 4}}));
    ASSERT_EQ(recorder_.calls.size(), 1u);
    EXPECT_EQ(recorder_.calls[0].s, 15u);
    EXPECT_EQ(recorder_.calls[0].e, 20u);
    EXPECT_EQ(file_a_.refs, 1);
}

TEST_F(VmaRemove, MiddleSplitKeepsFileOffsetOfTail)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 2)), 0);
    ASSERT_EQ(Remove(13, 16), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 13, R, &file_a_, 2}, {16, 20, R, &file_a_, 8}}));
    ASSERT_EQ(recorder_.calls.size(), 1u);
    EXPECT_EQ(recorder_.calls[0].piece, (Span{10, 20, R, &file_a_, 2}));
    EXPECT_EQ(recorder_.calls[0].s, 13u);
    EXPECT_EQ(recorder_.calls[0].e, 16u);
    EXPECT_EQ(file_a_.refs, 2);
    EXPECT_EQ(alloc_.live, 2);
}

TEST_F(VmaRemove, WholeVmaRemovalPutsReferenceAndFreesNode)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    ASSERT_EQ(Insert(File(&file_b_, 30, 40, 0)), 0);
    ASSERT_EQ(Remove(10, 20), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{30, 40, R, &file_b_, 0}}));
    EXPECT_EQ(file_a_.refs, 0);
    EXPECT_EQ(file_a_.puts, 1);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaRemove, RangeAcrossSeveralVmasAndHolesReportsEachPieceOnceInOrder)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    ASSERT_EQ(Insert(Anon(25, 30)), 0);
    ASSERT_EQ(Insert(File(&file_b_, 30, 40, 7, RW)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 50, 60, 100)), 0);
    alloc_.fail_after = 0;
    ASSERT_EQ(Remove(15, 55), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 15, R, &file_a_, 0}, {55, 60, R, &file_a_, 105}}));
    ASSERT_EQ(recorder_.calls.size(), 4u);
    const uint64_t want[4][4] = {
        {10, 20, 15, 20}, {25, 30, 25, 30}, {30, 40, 30, 40}, {50, 60, 50, 55}};
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(recorder_.calls[i].piece.start, want[i][0]) << i;
        EXPECT_EQ(recorder_.calls[i].piece.end, want[i][1]) << i;
        EXPECT_EQ(recorder_.calls[i].s, want[i][2]) << i;
        EXPECT_EQ(recorder_.calls[i].e, want[i][3]) << i;
    }
    EXPECT_EQ(recorder_.calls[2].piece.obj, &file_b_);
    EXPECT_EQ(recorder_.calls[2].piece.offset, 7u);
    EXPECT_EQ(file_a_.refs, 2);
    EXPECT_EQ(file_b_.refs, 0);
    EXPECT_EQ(alloc_.live, 2);
}

TEST_F(VmaRemove, CallbackRunsWhileEachPieceIsStillInTheSet)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    ASSERT_EQ(Insert(Anon(20, 30)), 0);
    ASSERT_EQ(Insert(File(&file_b_, 40, 50, 0)), 0);
    ASSERT_EQ(Remove(12, 45), 0);
    ASSERT_EQ(Remove(46, 48), 0);
    ASSERT_EQ(recorder_.calls.size(), 4u);
    for (const Unmapped &u : recorder_.calls)
        EXPECT_TRUE(u.still_in_set) << u.piece;
}

TEST_F(VmaRemove, RangeOverHolesOnlyIsANoOp)
{
    ASSERT_EQ(Insert(Anon(10, 20)), 0);
    ASSERT_EQ(Insert(Anon(30, 40, R)), 0);
    EXPECT_EQ(Remove(20, 30), 0);
    EXPECT_EQ(Remove(100, 200), 0);
    EXPECT_EQ(recorder_.calls.size(), 0u);
    EXPECT_EQ(set_.count, 2u);
}

TEST_F(VmaRemove, MiddleSplitAllocationFailureChangesNothingAndCallsNoCallback)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    alloc_.fail_after = 0;
    EXPECT_EQ(Remove(13, 16), -ENOMEM);
    EXPECT_EQ(recorder_.calls.size(), 0u);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, R, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
}

TEST_F(VmaRemove, UnalignedOrEmptyRangeReturnsEinval)
{
    ASSERT_EQ(Insert(Anon(10, 20)), 0);
    EXPECT_EQ(fut_vma_set_remove_range(&set_, Pg(12) + 1, Pg(14), nullptr, nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_remove_range(&set_, Pg(12), Pg(14) - 1, nullptr, nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_remove_range(&set_, Pg(12), Pg(12), nullptr, nullptr), -EINVAL);
    EXPECT_EQ(fut_vma_set_remove_range(&set_, Pg(14), Pg(12), nullptr, nullptr), -EINVAL);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, RW, nullptr, 0}}));
}

TEST_F(VmaRemove, WholeAddressSpaceRangeEmptiesTheSetWithoutAllocating)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0)), 0);
    ASSERT_EQ(Insert(Anon(30, 40)), 0);
    alloc_.fail_after = 0;
    EXPECT_EQ(fut_vma_set_remove_range(&set_, 0, UINT64_MAX & ~(P - 1), nullptr, nullptr), 0);
    EXPECT_EQ(set_.count, 0u);
    EXPECT_EQ(alloc_.live, 0);
    EXPECT_EQ(file_a_.refs, 0);
}

// ---- protect_range -----------------------------------------------------------

using VmaProtect = VmaTest;

TEST_F(VmaProtect, MiddleOfVmaSplitsIntoThreeWithMatchingFileOffsets)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, RW)), 0);
    ASSERT_EQ(Protect(13, 16, R), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(),
              (std::vector<Span>{
                  {10, 13, RW, &file_a_, 0}, {13, 16, R, &file_a_, 3}, {16, 20, RW, &file_a_, 6}}));
    EXPECT_EQ(file_a_.refs, 3);
    EXPECT_EQ(alloc_.live, 3);
}

TEST_F(VmaProtect, RestoringProtMergesPiecesBackIntoOne)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, RW)), 0);
    ASSERT_EQ(Protect(13, 16, R), 0);
    ASSERT_EQ(Protect(13, 16, RW), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, RW, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaProtect, RangeSpanningSeveralVmasBecomesOneVma)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, R)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 20, 30, 10, RW)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 30, 40, 20, RX)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 40, 50, 30, R)), 0);
    ASSERT_EQ(Protect(15, 45, R), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 50, R, &file_a_, 0}}));
    EXPECT_EQ(file_a_.refs, 1);
    EXPECT_EQ(alloc_.live, 1);
}

TEST_F(VmaProtect, NonContiguousFileOffsetsStaySeparate)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, R)), 0);
    ASSERT_EQ(Insert(File(&file_a_, 20, 30, 100, RW)), 0);
    ASSERT_EQ(Protect(20, 30, R), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, R, &file_a_, 0}, {20, 30, R, &file_a_, 100}}));
}

TEST_F(VmaProtect, PartlyUnmappedRangeReturnsEnomemAndChangesNothing)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, RW)), 0);
    ASSERT_EQ(Insert(Anon(21, 30)), 0);
    const std::vector<Span> before = Spans();
    EXPECT_EQ(Protect(15, 25, R), -ENOMEM) << "hole in the middle";
    EXPECT_EQ(Protect(5, 12, R), -ENOMEM) << "hole at the start";
    EXPECT_EQ(Protect(25, 35, R), -ENOMEM) << "hole at the end";
    EXPECT_EQ(Protect(40, 50, R), -ENOMEM) << "nothing mapped";
    EXPECT_EQ(Spans(), before);
    EXPECT_EQ(alloc_.allocs, 2);
}

TEST_F(VmaProtect, UnchangedProtNeedsNoSplitAndNoNode)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, RW)), 0);
    alloc_.fail_after = 0;
    ASSERT_EQ(Protect(13, 16, RW), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, RW, &file_a_, 0}}));
    EXPECT_EQ(alloc_.failures, 0);
}

TEST_F(VmaProtect, EdgeSplitAllocationFailureChangesNothing)
{
    ASSERT_EQ(Insert(File(&file_a_, 10, 20, 0, RW)), 0);
    const std::vector<Span> before = Spans();
    for (long ok : {0L, 1L}) {
        alloc_.fail_after = ok; // the first or the second of the two nodes fails
        EXPECT_EQ(Protect(13, 16, R), -ENOMEM) << ok;
        EXPECT_EQ(Spans(), before);
        EXPECT_EQ(alloc_.live, 1) << "a node taken before the failure is given back";
        EXPECT_EQ(file_a_.refs, 1);
    }
    alloc_.fail_after = 1; // one node suffices at an edge
    EXPECT_EQ(Protect(10, 16, R), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 16, R, &file_a_, 0}, {16, 20, RW, &file_a_, 6}}));
}

TEST_F(VmaProtect, InvalidArgumentsReturnEinval)
{
    ASSERT_EQ(Insert(Anon(10, 20)), 0);
    EXPECT_EQ(Protect(12, 14, 0x10), -EINVAL);
    EXPECT_EQ(fut_vma_set_protect_range(&set_, Pg(12) + 1, Pg(14), R), -EINVAL);
    EXPECT_EQ(fut_vma_set_protect_range(&set_, Pg(12), Pg(14) + 1, R), -EINVAL);
    EXPECT_EQ(Protect(14, 14, R), -EINVAL);
    EXPECT_EQ(Protect(14, 12, R), -EINVAL);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, RW, nullptr, 0}}));
}

TEST_F(VmaProtect, ProtectAfterBareSplitRestoresMinimality)
{
    fut_vma *v = nullptr, *tail = nullptr;
    ASSERT_EQ(Insert(Anon(10, 20), &v), 0);
    ASSERT_EQ(fut_vma_set_split(&set_, v, Pg(15), &tail), 0);
    ASSERT_EQ(fut_vma_set_check(&set_), -EINVAL);
    alloc_.fail_after = 0;
    ASSERT_EQ(Protect(15, 20, RW), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
    EXPECT_EQ(Spans(), (std::vector<Span>{{10, 20, RW, nullptr, 0}}));
}

// ---- find_free ----------------------------------------------------------------

using VmaFindFree = VmaTest;

TEST_F(VmaFindFree, EmptySetReturnsHintRoundedUpToAPage)
{
    uint64_t addr = 0;
    ASSERT_EQ(fut_vma_set_find_free(&set_, 4 * P, Pg(7) + 5, Pg(0), Pg(100), 0, &addr), 0);
    EXPECT_EQ(addr, Pg(8));
}

TEST_F(VmaFindFree, KeepsGuardGapToNeighbours)
{
    ASSERT_EQ(Insert(Anon(10, 20)), 0);
    ASSERT_EQ(Insert(Anon(30, 40, R)), 0);
    uint64_t addr = 0;
    ASSERT_EQ(fut_vma_set_find_free(&set_, 6 * P, Pg(18), Pg(0), Pg(100), 2 * P, &addr), 0);
    EXPECT_EQ(addr, Pg(22)) << "gap [20, 30) minus two guard pages each side";
    ASSERT_EQ(fut_vma_set_find_free(&set_, 7 * P, Pg(18), Pg(0), Pg(100), 2 * P, &addr), 0);
    EXPECT_EQ(addr, Pg(42)) << "too big for the gap, goes above the second VMA";
    ASSERT_EQ(fut_vma_set_find_free(&set_, 8 * P, Pg(0), Pg(0), Pg(100), 2 * P, &addr), 0);
    EXPECT_EQ(addr, Pg(0)) << "no guard against lo";
    EXPECT_EQ(fut_vma_set_find_free(&set_, 9 * P, Pg(0), Pg(0), Pg(49), 2 * P, &addr), -ENOMEM);
}

TEST_F(VmaFindFree, FallsBackBelowHintWhenNothingFitsAbove)
{
    ASSERT_EQ(Insert(Anon(85, 100)), 0);
    ASSERT_EQ(Insert(Anon(0, 10)), 0);
    uint64_t addr = 0;
    ASSERT_EQ(fut_vma_set_find_free(&set_, 5 * P, Pg(90), Pg(0), Pg(100), P, &addr), 0);
    EXPECT_EQ(addr, Pg(11));
}

TEST_F(VmaFindFree, HintOutsideBoundsMeansLo)
{
    uint64_t addr = 0;
    ASSERT_EQ(fut_vma_set_find_free(&set_, P, Pg(500), Pg(10), Pg(100), 0, &addr), 0);
    EXPECT_EQ(addr, Pg(10));
    ASSERT_EQ(fut_vma_set_find_free(&set_, P, Pg(1), Pg(10), Pg(100), 0, &addr), 0);
    EXPECT_EQ(addr, Pg(10));
    ASSERT_EQ(fut_vma_set_find_free(&set_, P, UINT64_MAX, Pg(10), Pg(100), 0, &addr), 0);
    EXPECT_EQ(addr, Pg(10));
}

TEST_F(VmaFindFree, ResultEndsAtOrBelowHi)
{
    ASSERT_EQ(Insert(Anon(0, 10)), 0);
    uint64_t addr = 0;
    ASSERT_EQ(fut_vma_set_find_free(&set_, 5 * P, Pg(14), Pg(0), Pg(20), 0, &addr), 0);
    EXPECT_EQ(addr, Pg(14));
    ASSERT_EQ(fut_vma_set_find_free(&set_, 5 * P, Pg(16), Pg(0), Pg(20), 0, &addr), 0);
    EXPECT_EQ(addr, Pg(10));
    EXPECT_EQ(fut_vma_set_find_free(&set_, 11 * P, Pg(0), Pg(0), Pg(20), 0, &addr), -ENOMEM);
}

TEST_F(VmaFindFree, FullRangeReturnsEnomem)
{
    ASSERT_EQ(Insert(Anon(0, 100)), 0);
    uint64_t addr = 0;
    EXPECT_EQ(fut_vma_set_find_free(&set_, P, Pg(0), Pg(0), Pg(100), 0, &addr), -ENOMEM);
    EXPECT_EQ(fut_vma_set_find_free(&set_, 200 * P, Pg(0), Pg(100), Pg(200), 0, &addr), -ENOMEM);
}

TEST_F(VmaFindFree, InvalidArgumentsReturnEinval)
{
    uint64_t addr = 0;
    EXPECT_EQ(fut_vma_set_find_free(&set_, 0, 0, Pg(0), Pg(10), 0, &addr), -EINVAL);
    EXPECT_EQ(fut_vma_set_find_free(&set_, 100, 0, Pg(0), Pg(10), 0, &addr), -EINVAL);
    EXPECT_EQ(fut_vma_set_find_free(&set_, P, 0, Pg(0) + 1, Pg(10), 0, &addr), -EINVAL);
    EXPECT_EQ(fut_vma_set_find_free(&set_, P, 0, Pg(0), Pg(10) + 1, 0, &addr), -EINVAL);
    EXPECT_EQ(fut_vma_set_find_free(&set_, P, 0, Pg(0), Pg(10), 1, &addr), -EINVAL);
    EXPECT_EQ(fut_vma_set_find_free(&set_, P, 0, Pg(10), Pg(10), 0, &addr), -EINVAL);
    EXPECT_EQ(fut_vma_set_find_free(&set_, P, 0, Pg(10), Pg(5), 0, &addr), -EINVAL);
}

// ---- destroy and check ------------------------------------------------------

using VmaDestroy = VmaTest;

TEST_F(VmaDestroy, FreesEveryNodeAndPutsEveryReference)
{
    for (uint64_t i = 0; i < 500; i++) {
        FakeObject *obj = i % 3 ? &file_a_ : &file_b_;
        ASSERT_EQ(Insert(i % 5 ? File(obj, 3 * i, 3 * i + 2, i) : Anon(3 * i, 3 * i + 1)), 0);
    }
    ASSERT_EQ(alloc_.live, 500);
    ASSERT_GT(file_a_.refs, 0);
    fut_vma_set_destroy(&set_);
    EXPECT_EQ(set_.count, 0u);
    EXPECT_EQ(fut_vma_set_first(&set_), nullptr);
    EXPECT_EQ(alloc_.live, 0);
    EXPECT_EQ(file_a_.refs, 0);
    EXPECT_EQ(file_b_.refs, 0);
    ASSERT_EQ(Insert(Anon(1, 2)), 0) << "the set is reusable";
}

using VmaCheck = VmaTest;

TEST_F(VmaCheck, DetectsOverlappingNeighbours)
{
    fut_vma *a = nullptr;
    ASSERT_EQ(Insert(Anon(10, 20), &a), 0);
    ASSERT_EQ(Insert(Anon(30, 40, R)), 0);
    a->end = Pg(31);
    EXPECT_EQ(fut_vma_set_check_tree(&set_), -EINVAL);
    a->end = Pg(20);
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
}

TEST_F(VmaCheck, DetectsMergeableNeighbours)
{
    fut_vma *a = nullptr;
    ASSERT_EQ(Insert(Anon(10, 20), &a), 0);
    ASSERT_EQ(Insert(Anon(20, 30, R)), 0);
    a->prot = R;
    EXPECT_EQ(fut_vma_set_check_tree(&set_), 0);
    EXPECT_EQ(fut_vma_set_check(&set_), -EINVAL);
    a->prot = RW;
}

TEST_F(VmaCheck, DetectsWrongHeightOrCountOrInvalidVma)
{
    for (uint64_t i = 0; i < 10; i++)
        ASSERT_EQ(Insert(Anon(2 * i, 2 * i + 1)), 0);
    set_.root->tree.height++;
    EXPECT_EQ(fut_vma_set_check_tree(&set_), -EINVAL);
    set_.root->tree.height--;
    set_.count++;
    EXPECT_EQ(fut_vma_set_check_tree(&set_), -EINVAL);
    set_.count--;
    set_.root->prot = 0x40;
    EXPECT_EQ(fut_vma_set_check_tree(&set_), -EINVAL);
    set_.root->prot = RW;
    EXPECT_EQ(fut_vma_set_check(&set_), 0);
}

// ---- randomized model test ---------------------------------------------------

// Reference model: one entry per page of a small window of the address space.
struct PageState {
    bool mapped = false;
    uint32_t prot = 0;
    uint32_t flags = 0;
    int obj = 0;         // 0 = no backing object, else index into objects (1-based)
    uint64_t offset = 0; // page offset within obj; 0 without one
};

constexpr uint64_t kWindow = 0x7f0000000000ull; // page 0 of the model

struct ModelParams {
    uint64_t seed;
    int pages; // window size
    int ops;
};

void PrintTo(const ModelParams &p, std::ostream *os)
{
    *os << "seed " << p.seed << ", " << p.pages << " pages, " << p.ops << " ops";
}

class VmaModel : public ::testing::TestWithParam<ModelParams>
{
  protected:
    static constexpr int kObjects = 3;

    void SetUp() override
    {
        pages_.assign(GetParam().pages, PageState{});
        rng_.seed(GetParam().seed);
        ops_ = alloc_.Ops();
        fut_vma_set_init(&set_, &ops_);
        for (int i = 0; i < kObjects; i++)
            objects_[i].id = i + 1;
    }

    uint64_t Rand(uint64_t n)
    {
        return rng_() % n;
    }
    static uint64_t Addr(int64_t page)
    {
        return kWindow + static_cast<uint64_t>(page) * P;
    }
    int N() const
    {
        return static_cast<int>(pages_.size());
    }
    const PageState &At(int64_t page) const
    {
        static const PageState kUnmapped;
        return page >= 0 && page < N() ? pages_[page] : kUnmapped;
    }
    // Pages i and i + 1 can be described by one VMA.
    bool Joins(int64_t i) const
    {
        const PageState &a = At(i), &b = At(i + 1);
        return a.mapped && b.mapped && a.prot == b.prot && a.flags == b.flags && a.obj == b.obj &&
               (a.obj == 0 || b.offset == a.offset + 1);
    }
    // Pages i..j (i <= j) lie in one VMA of a minimal set.
    bool SameVma(int64_t i, int64_t j) const
    {
        for (int64_t k = i; k < j; k++)
            if (!Joins(k))
                return false;
        return At(i).mapped;
    }
    size_t Runs() const
    {
        size_t n = 0;
        for (int i = 0; i < N(); i++)
            if (pages_[i].mapped && !Joins(i - 1))
                n++;
        return n;
    }
    bool VmaMatchesPage(const fut_vma *v, int64_t page) const
    {
        const PageState &s = At(page);
        if (!s.mapped || v->prot != s.prot || v->flags != s.flags)
            return false;
        if (s.obj == 0)
            return v->obj == nullptr && v->file_offset == 0;
        return v->obj == &objects_[s.obj - 1] &&
               v->file_offset / P + static_cast<uint64_t>(page) - (v->start - kWindow) / P ==
                   s.offset;
    }
    void ExpectVmaMatchesPage(const fut_vma *v, int64_t page) const
    {
        if (VmaMatchesPage(v, page))
            return;
        const PageState &s = At(page);
        FAIL() << "page " << page << ": VMA " << SpanOf(v) << " flags " << v->flags
               << "; model mapped " << s.mapped << " prot " << s.prot << " flags " << s.flags
               << " obj " << s.obj << " offset " << s.offset;
    }
    int64_t PageOf(uint64_t addr) const
    {
        return static_cast<int64_t>((addr - kWindow) / P);
    }

    // The whole set against the model: same pages, attributes, VMA boundaries,
    // references and nodes.
    void CompareAll()
    {
        ASSERT_EQ(fut_vma_set_check(&set_), 0);
        // Plain loops and one assertion per mismatch: this runs after every
        // operation over every page, in an unoptimized build.
        covered_.assign(pages_.size(), 0);
        for (fut_vma *v = fut_vma_set_first(&set_); v; v = fut_vma_next(v)) {
            ASSERT_GE(v->start, kWindow);
            ASSERT_LE(v->end, Addr(N()));
            for (int64_t p = PageOf(v->start); p < PageOf(v->end); p++) {
                if (!VmaMatchesPage(v, p)) {
                    ExpectVmaMatchesPage(v, p);
                    return;
                }
                covered_[p] = 1;
            }
        }
        size_t runs = 0;
        long runs_of[kObjects + 1] = {};
        for (int i = 0; i < N(); i++) {
            if (covered_[i] != pages_[i].mapped)
                FAIL() << "page " << i << " mapped in the model: " << pages_[i].mapped;
            if (pages_[i].mapped && !Joins(i - 1)) {
                runs++;
                runs_of[pages_[i].obj]++;
            }
        }
        ASSERT_EQ(set_.count, runs);
        ASSERT_EQ(alloc_.live, static_cast<long>(set_.count));
        for (int i = 0; i < kObjects; i++)
            ASSERT_EQ(objects_[i].refs, runs_of[i + 1]) << "object " << i + 1;
    }

    // With probability 1/8, lets 0 or 1 allocations succeed and fails the rest.
    void MaybeInjectFailure()
    {
        alloc_.fail_after = Rand(8) == 0 ? static_cast<long>(Rand(2)) : -1;
    }
    // Call before the operation: allocations count fail_after down.
    bool AllocWouldFail(int nodes) const
    {
        return alloc_.fail_after >= 0 && nodes > alloc_.fail_after;
    }

    void DoInsert()
    {
        int64_t start = Rand(N());
        int64_t end = std::min<int64_t>(N(), start + 1 + Rand(8));
        PageState s;
        s.mapped = true;
        s.prot = Rand(6) == 0 ? RX : (Rand(2) ? R : RW);
        switch (Rand(5)) {
        case 0:
        case 1: s.flags = kAnon; break;
        case 2: s.flags = kSharedFile; break;
        default: s.flags = kFile; break;
        }
        fut_vma proto{};
        proto.start = Addr(start);
        proto.end = Addr(end);
        proto.prot = s.prot;
        proto.flags = s.flags;
        if (s.flags != kAnon) {
            s.obj = 1 + static_cast<int>(Rand(kObjects));
            // Mostly a fixed page->offset relation, so neighbours often continue.
            s.offset = Rand(4) ? 1000 * s.obj + start : Rand(200);
            proto.obj = &objects_[s.obj - 1];
            proto.obj_ops = &kObjOps;
            proto.file_offset = s.offset * P;
        }

        bool overlap = false;
        for (int64_t p = start; p < end; p++)
            overlap |= pages_[p].mapped;
        // Map the pages in the model first; a node is needed unless the new
        // range continues a neighbour.
        if (!overlap) {
            for (int64_t p = start; p < end; p++) {
                pages_[p] = s;
                pages_[p].offset = s.obj ? s.offset + (p - start) : 0;
            }
        }
        bool needs_node = !overlap && !Joins(start - 1) && !Joins(end - 1);

        MaybeInjectFailure();
        bool no_node = needs_node && AllocWouldFail(1);
        fut_vma *out = nullptr;
        int rc = fut_vma_set_insert(&set_, &proto, &out);
        if (overlap) {
            ASSERT_EQ(rc, -EEXIST);
        } else if (no_node) {
            ASSERT_EQ(rc, -ENOMEM);
            for (int64_t p = start; p < end; p++)
                pages_[p] = PageState{};
        } else {
            ASSERT_EQ(rc, 0);
            succeeded_++;
            ASSERT_TRUE(out && out->start <= proto.start && out->end >= proto.end);
        }
    }

    void DoRemove()
    {
        int64_t start = static_cast<int64_t>(Rand(N() + 4)) - 2;
        int64_t end = start + 1 + static_cast<int64_t>(Rand(12));
        bool needs_node = start > 0 && SameVma(start - 1, end);
        MaybeInjectFailure();
        bool no_node = needs_node && AllocWouldFail(1);
        recorder_.calls.clear();
        int rc = fut_vma_set_remove_range(&set_, Addr(start), Addr(end), &RecordModelUnmap, this);
        if (no_node) {
            ASSERT_EQ(rc, -ENOMEM);
            ASSERT_TRUE(recorder_.calls.empty());
            return;
        }
        ASSERT_EQ(rc, 0);
        succeeded_++;
        // The callbacks cover exactly the mapped pages of the range, once each,
        // in order, each naming the whole VMA (run) its pages belonged to.
        int64_t next = start;
        for (const ModelUnmap &u : recorder_.calls) {
            ASSERT_GE(u.s, next);
            for (int64_t p = next; p < u.s; p++)
                ASSERT_FALSE(At(p).mapped) << "page " << p << " not reported";
            ASSERT_LT(u.s, u.e);
            ASSERT_LE(u.e, end);
            ASSERT_EQ(u.s, std::max(start, u.piece_start));
            ASSERT_EQ(u.e, std::min(end, u.piece_end));
            ASSERT_FALSE(Joins(u.piece_start - 1));
            ASSERT_FALSE(Joins(u.piece_end - 1));
            ASSERT_TRUE(SameVma(u.piece_start, u.piece_end - 1));
            next = u.e;
        }
        for (int64_t p = next; p < end; p++)
            ASSERT_FALSE(At(p).mapped) << "page " << p << " not reported";
        for (int64_t p = std::max<int64_t>(start, 0); p < std::min<int64_t>(end, N()); p++)
            pages_[p] = PageState{};
    }

    struct ModelUnmap {
        int64_t piece_start, piece_end, s, e;
    };
    struct ModelRecorder {
        std::vector<ModelUnmap> calls;
    } recorder_;

    static void RecordModelUnmap(void *ctx, const fut_vma *piece, uint64_t start, uint64_t end)
    {
        auto *self = static_cast<VmaModel *>(ctx);
        ASSERT_EQ(fut_vma_set_find(&self->set_, start), piece) << "piece still in the set";
        for (int64_t p = self->PageOf(start); p < self->PageOf(end); p++)
            ASSERT_NO_FATAL_FAILURE(self->ExpectVmaMatchesPage(piece, p));
        self->recorder_.calls.push_back(ModelUnmap{self->PageOf(piece->start),
                                                   self->PageOf(piece->end), self->PageOf(start),
                                                   self->PageOf(end)});
    }

    void DoProtect()
    {
        // Mostly a range inside mapped memory (often across several VMAs),
        // sometimes anywhere, to exercise -ENOMEM for holes.
        int64_t start = static_cast<int64_t>(Rand(N() + 4)) - 2;
        for (int tries = 0; tries < 16 && !At(start).mapped; tries++)
            start = Rand(N());
        int64_t end = start + 1 + static_cast<int64_t>(Rand(12));
        if (At(start).mapped && Rand(4)) {
            int64_t lo = start, hi = start + 1;
            while (At(lo - 1).mapped)
                lo--;
            while (At(hi).mapped)
                hi++;
            start = lo + Rand(start - lo + 1);
            end = start + 1 + Rand(hi - start);
        }
        uint32_t prot = Rand(6) == 0 ? RX : (Rand(2) ? R : RW);
        bool mapped = true;
        for (int64_t p = start; p < end; p++)
            mapped &= At(p).mapped;
        int nodes = 0;
        if (mapped) {
            nodes += SameVma(start - 1, start) && At(start).prot != prot;
            nodes += SameVma(end - 1, end) && At(end - 1).prot != prot;
        }
        MaybeInjectFailure();
        bool no_node = AllocWouldFail(nodes);
        int rc = fut_vma_set_protect_range(&set_, Addr(start), Addr(end), prot);
        if (!mapped || no_node) {
            ASSERT_EQ(rc, -ENOMEM);
            return;
        }
        ASSERT_EQ(rc, 0);
        succeeded_++;
        for (int64_t p = start; p < end; p++)
            pages_[p].prot = prot;
    }

    // A bare split, checked while the set is not minimal, then one of the
    // ways a caller finishes it.
    void DoSplit()
    {
        int64_t page = 0;
        for (int tries = 0; tries < 8 && page == 0; tries++) {
            int64_t p = 1 + Rand(N() - 1);
            if (SameVma(p - 1, p))
                page = p;
        }
        if (page == 0)
            return;
        fut_vma *v = fut_vma_set_find(&set_, Addr(page));
        ASSERT_NE(v, nullptr);
        MaybeInjectFailure();
        bool no_node = AllocWouldFail(1);
        fut_vma *tail = nullptr;
        int rc = fut_vma_set_split(&set_, v, Addr(page), &tail);
        if (no_node) {
            ASSERT_EQ(rc, -ENOMEM);
            return;
        }
        ASSERT_EQ(rc, 0);
        succeeded_++;
        alloc_.fail_after = -1;
        ASSERT_EQ(fut_vma_set_check_tree(&set_), 0);
        ASSERT_EQ(fut_vma_set_check(&set_), -EINVAL);
        ASSERT_EQ(set_.count, Runs() + 1);
        ASSERT_EQ(v->end, Addr(page));
        ASSERT_EQ(tail->start, Addr(page));
        ASSERT_NO_FATAL_FAILURE(ExpectVmaMatchesPage(tail, page));
        ASSERT_NO_FATAL_FAILURE(ExpectVmaMatchesPage(v, page - 1));
        int64_t tail_end = PageOf(tail->end);
        fut_vma *merged;
        switch (Rand(4)) {
        case 0:
            merged = fut_vma_set_merge(&set_, tail);
            ASSERT_EQ(merged, v);
            ASSERT_EQ(fut_vma_set_find(&set_, Addr(page)), v);
            break;
        case 1:
            merged = fut_vma_set_merge(&set_, v);
            ASSERT_EQ(merged, v);
            ASSERT_EQ(fut_vma_set_find(&set_, Addr(page)), v);
            break;
        case 2: {
            uint32_t prot = Rand(2) ? R : RW;
            ASSERT_EQ(fut_vma_set_protect_range(&set_, Addr(page), Addr(tail_end), prot), 0);
            for (int64_t p = page; p < tail_end; p++)
                pages_[p].prot = prot;
            break;
        }
        default:
            ASSERT_EQ(fut_vma_set_remove_range(&set_, Addr(page), Addr(tail_end), nullptr, nullptr),
                      0);
            for (int64_t p = page; p < tail_end; p++)
                pages_[p] = PageState{};
            break;
        }
    }

    void DoFind()
    {
        int64_t page = static_cast<int64_t>(Rand(N() + 4)) - 2;
        uint64_t addr = Addr(page) + Rand(P);
        fut_vma *v = fut_vma_set_find(&set_, addr);
        succeeded_ += v != nullptr;
        if (!At(page).mapped) {
            ASSERT_EQ(v, nullptr) << "page " << page;
        } else {
            ASSERT_NE(v, nullptr) << "page " << page;
            ASSERT_TRUE(v->start <= addr && addr < v->end);
            ASSERT_NO_FATAL_FAILURE(ExpectVmaMatchesPage(v, page));
        }
        int64_t end = page + 1 + static_cast<int64_t>(Rand(10));
        int64_t first = page;
        while (first < end && !At(first).mapped)
            first++;
        v = fut_vma_set_find_first_intersecting(&set_, Addr(page), Addr(end));
        if (first == end) {
            ASSERT_EQ(v, nullptr);
        } else {
            ASSERT_NE(v, nullptr);
            ASSERT_EQ(v, fut_vma_set_find(&set_, Addr(first)));
        }
    }

    void DoFindFree()
    {
        int64_t lo = Rand(N() / 2);
        int64_t hi = lo + 1 + Rand(N() - lo);
        int64_t length = 1 + Rand(6);
        int64_t guard = Rand(3);
        int64_t hint_bytes = (static_cast<int64_t>(Rand(N() + 8)) - 4) * static_cast<int64_t>(P) +
                             static_cast<int64_t>(Rand(2) ? 0 : Rand(P));
        uint64_t hint = kWindow + static_cast<uint64_t>(hint_bytes);

        auto fits = [&](int64_t a) {
            if (a < lo || a + length > hi)
                return false;
            for (int64_t p = a - guard; p < a + length + guard; p++)
                if (At(p).mapped)
                    return false;
            return true;
        };
        int64_t hint_page = (hint_bytes + static_cast<int64_t>(P) - 1) / static_cast<int64_t>(P);
        if (hint_bytes < 0)
            hint_page = -((-hint_bytes) / static_cast<int64_t>(P));
        int64_t from = hint_page >= lo && hint_page < hi ? hint_page : lo;
        int64_t want = -1;
        for (int64_t a = from; a < hi && want < 0; a++)
            if (fits(a))
                want = a;
        for (int64_t a = lo; a < hi && want < 0; a++)
            if (fits(a))
                want = a;

        uint64_t addr = 0;
        int rc =
            fut_vma_set_find_free(&set_, length * P, hint, Addr(lo), Addr(hi), guard * P, &addr);
        if (want < 0) {
            ASSERT_EQ(rc, -ENOMEM);
        } else {
            ASSERT_EQ(rc, 0);
            succeeded_++;
            ASSERT_EQ(addr, Addr(want));
        }
    }

    std::vector<PageState> pages_;
    std::vector<char> covered_; // CompareAll's scratch: pages some VMA covers
    int succeeded_ = 0;         // operations that returned 0 (changed or found something)
    std::mt19937_64 rng_;
    CountingAllocator alloc_;
    fut_vma_allocator ops_{};
    fut_vma_set set_{};
    FakeObject objects_[kObjects];
};

TEST_P(VmaModel, RandomOperationsMatchPageModel)
{
    const ModelParams &params = GetParam();
    const char *names[] = {"insert", "remove", "protect", "split", "find", "find_free"};
    int counts[6] = {}, ok[6] = {};
    size_t max_vmas = 0;
    for (int i = 0; i < params.ops; i++) {
        uint64_t r = Rand(100);
        int kind = r < 30 ? 0 : r < 50 ? 1 : r < 70 ? 2 : r < 80 ? 3 : r < 95 ? 4 : 5;
        counts[kind]++;
        int before = succeeded_;
        switch (kind) {
        case 0: DoInsert(); break;
        case 1: DoRemove(); break;
        case 2: DoProtect(); break;
        case 3: DoSplit(); break;
        case 4: DoFind(); break;
        default: DoFindFree(); break;
        }
        ok[kind] += succeeded_ != before;
        alloc_.fail_after = -1;
        max_vmas = std::max(max_vmas, set_.count);
        if (!HasFatalFailure())
            CompareAll();
        if (HasFatalFailure()) {
            ADD_FAILURE() << "operation " << i << " (" << names[kind] << ")";
            break;
        }
    }
    for (int k = 0; k < 6; k++) {
        RecordProperty(names[k], counts[k]);
        RecordProperty(std::string(names[k]) + "_ok", ok[k]);
    }
    RecordProperty("max_vmas", static_cast<int>(max_vmas));
    EXPECT_GT(Runs(), 0u) << "the window should be partly mapped at the end";

    fut_vma_set_destroy(&set_);
    EXPECT_EQ(alloc_.live, 0);
    for (const FakeObject &o : objects_) {
        EXPECT_EQ(o.refs, 0) << "object " << o.id;
        EXPECT_EQ(o.gets, o.puts) << "object " << o.id;
        EXPECT_GT(o.gets, 0) << "object " << o.id;
    }
    EXPECT_GT(alloc_.failures, 0) << "failure injection should have fired";
}

// 4 x 30,000 operations in a small window (dense, many merges) and 40,000 in a
// wide one (a deeper tree): 160,000 operations in all.
INSTANTIATE_TEST_SUITE_P(Seeds, VmaModel,
                         ::testing::Values(ModelParams{1, 64, 30000}, ModelParams{2, 64, 30000},
                                           ModelParams{3, 128, 30000}, ModelParams{4, 128, 30000},
                                           ModelParams{5, 2048, 40000}));

} // namespace
