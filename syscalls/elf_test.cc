// Host tests for the ELF64 load-plan parser: the repo's own static programs
// (ET_EXEC and static PIE), synthetic images that break one rule each, and
// truncated and randomly mutated images that must be refused or planned
// safely - never read out of bounds (run under --config=asan too).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "futura/errno.h"
#include "futura/syscalls/elf.h"
#include "syscalls/testing/read_file.h"

namespace
{

constexpr uint64_t kPage = FUT_ELF_PAGE_SIZE;

uint64_t PageDown(uint64_t a)
{
    return a & ~(kPage - 1);
}
uint64_t PageUp(uint64_t a)
{
    return (a + kPage - 1) & ~(kPage - 1);
}

Elf64_Ehdr EhdrOf(const std::vector<uint8_t> &image)
{
    Elf64_Ehdr eh;
    memcpy(&eh, image.data(), sizeof(eh));
    return eh;
}

std::vector<Elf64_Phdr> PhdrsOf(const std::vector<uint8_t> &image)
{
    Elf64_Ehdr eh = EhdrOf(image);
    std::vector<Elf64_Phdr> phdrs(eh.e_phnum);
    memcpy(phdrs.data(), image.data() + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr));
    return phdrs;
}

// Reads through a callback that records any request outside the file, so the
// "reads only inside [0, file_size)" promise is checked even without ASan.
struct CheckedReader {
    const std::vector<uint8_t> *image;
    uint64_t file_size;
    int out_of_bounds;

    static int Read(void *ctx, uint64_t offset, void *buf, size_t len)
    {
        auto *r = static_cast<CheckedReader *>(ctx);
        if (offset > r->file_size || len > r->file_size - offset) {
            r->out_of_bounds++;
            return -EIO;
        }
        memcpy(buf, r->image->data() + offset, len);
        return 0;
    }
};

int ParseChecked(const std::vector<uint8_t> &image, uint64_t dyn_base, fut_elf_plan *plan)
{
    CheckedReader reader = {&image, image.size(), 0};
    int rc = fut_elf_parse(CheckedReader::Read, &reader, image.size(), dyn_base, plan);
    EXPECT_EQ(reader.out_of_bounds, 0);
    return rc;
}

// Everything exec relies on in a plan, checked from first principles: a plan
// that passes can be mapped without touching the kernel half, reading past
// the file, or starting outside executable memory.
void ExpectPlanIsSafe(const fut_elf_plan &plan, uint64_t file_size)
{
    ASSERT_GE(plan.nsegments, 1u);
    ASSERT_LE(plan.nsegments, static_cast<uint32_t>(FUT_ELF_MAX_SEGMENTS));
    EXPECT_TRUE(plan.type == ET_EXEC || plan.type == ET_DYN);
    if (plan.type == ET_EXEC) {
        EXPECT_EQ(plan.load_bias, 0u);
    }
    bool entry_ok = false, phdr_ok = plan.phdr_addr == 0;
    uint64_t phdrs_len = uint64_t{plan.phnum} * plan.phent;
    for (uint32_t i = 0; i < plan.nsegments; i++) {
        const fut_elf_segment &s = plan.segments[i];
        SCOPED_TRACE("segment " + std::to_string(i));
        EXPECT_EQ(s.start % kPage, 0u);
        EXPECT_EQ(s.end % kPage, 0u);
        EXPECT_EQ(s.file_offset % kPage, 0u);
        EXPECT_LT(s.start, s.end);
        EXPECT_GE(s.start, FUT_ELF_USER_MIN);
        EXPECT_LE(s.end, FUT_ELF_USER_END);
        EXPECT_LE(s.start, s.file_end);
        EXPECT_LE(s.file_end, s.end);
        EXPECT_EQ(s.prot & ~7u, 0u);
        if (s.file_end > s.start) {
            EXPECT_LE(s.file_offset, file_size);
            EXPECT_LE(s.file_end - s.start, file_size - s.file_offset);
        }
        if (i > 0) {
            EXPECT_LE(plan.segments[i - 1].end, s.start);
        }
        if ((s.prot & FUT_ELF_PROT_EXEC) && plan.entry >= s.start && plan.entry < s.end)
            entry_ok = true;
        if (plan.phdr_addr >= s.start && plan.phdr_addr <= s.end &&
            phdrs_len <= s.end - plan.phdr_addr)
            phdr_ok = true;
    }
    EXPECT_TRUE(entry_ok) << "entry " << std::hex << plan.entry;
    EXPECT_TRUE(phdr_ok) << "phdr " << std::hex << plan.phdr_addr;
    EXPECT_EQ(plan.image_start, plan.segments[0].start);
    EXPECT_EQ(plan.image_end, plan.segments[plan.nsegments - 1].end);
}

// Memory as exec would build it from a plan: file bytes, then zeros.
struct LoadedImage {
    const fut_elf_plan *plan;
    const std::vector<uint8_t> *file;

    // The byte at user address addr, or -1 if unmapped.
    int ByteAt(uint64_t addr) const
    {
        for (uint32_t i = 0; i < plan->nsegments; i++) {
            const fut_elf_segment &s = plan->segments[i];
            if (addr < s.start || addr >= s.end)
                continue;
            if (addr >= s.file_end)
                return 0;
            return (*file)[s.file_offset + (addr - s.start)];
        }
        return -1;
    }

    bool Matches(uint64_t addr, const uint8_t *expect, size_t len) const
    {
        for (size_t i = 0; i < len; i++)
            if (ByteAt(addr + i) != expect[i])
                return false;
        return true;
    }
};

// ---------------------------------------------------------------------------
// The repo's own static programs.

class RealBinaries : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        exec_ = fut_testing::ReadFile(fut_testing::kHelloExec);
        pie_ = fut_testing::ReadFile(fut_testing::kHelloPie);
        ASSERT_GT(exec_.size(), sizeof(Elf64_Ehdr)) << fut_testing::kHelloExec;
        ASSERT_GT(pie_.size(), sizeof(Elf64_Ehdr)) << fut_testing::kHelloPie;
    }

    std::vector<uint8_t> exec_, pie_;
};

TEST_F(RealBinaries, ExecPlanFollowsItsProgramHeadersAtLinkedAddresses)
{
    fut_elf_plan plan;
    ASSERT_EQ(ParseChecked(exec_, FUT_ELF_DYN_BASE, &plan), 0) << plan.reject_reason;
    ExpectPlanIsSafe(plan, exec_.size());

    Elf64_Ehdr eh = EhdrOf(exec_);
    EXPECT_EQ(plan.type, ET_EXEC);
    EXPECT_EQ(plan.load_bias, 0u);
    EXPECT_EQ(plan.entry, eh.e_entry);
    EXPECT_EQ(plan.phnum, eh.e_phnum);
    EXPECT_EQ(plan.phent, sizeof(Elf64_Phdr));
    EXPECT_FALSE(plan.exec_stack);

    uint32_t n = 0;
    for (const Elf64_Phdr &ph : PhdrsOf(exec_)) {
        if (ph.p_type == PT_PHDR) {
            EXPECT_EQ(plan.phdr_addr, ph.p_vaddr);
        }
        if (ph.p_type != PT_LOAD)
            continue;
        ASSERT_LT(n, plan.nsegments);
        const fut_elf_segment &s = plan.segments[n++];
        EXPECT_EQ(s.start, PageDown(ph.p_vaddr));
        EXPECT_EQ(s.end, PageUp(ph.p_vaddr + ph.p_memsz));
        EXPECT_EQ(s.file_offset, PageDown(ph.p_offset));
        EXPECT_EQ(s.file_end, ph.p_vaddr + ph.p_filesz);
        uint32_t prot = ((ph.p_flags & PF_R) ? 1u : 0u) | ((ph.p_flags & PF_W) ? 2u : 0u) |
                        ((ph.p_flags & PF_X) ? 4u : 0u);
        EXPECT_EQ(s.prot, prot);
    }
    EXPECT_EQ(n, plan.nsegments);
}

TEST_F(RealBinaries, ExecLoadedPerPlanHasProgramHeadersAtPhdrAndCodeAtEntry)
{
    fut_elf_plan plan;
    ASSERT_EQ(fut_elf_parse_image(exec_.data(), exec_.size(), FUT_ELF_DYN_BASE, &plan), 0);
    LoadedImage mem{&plan, &exec_};
    Elf64_Ehdr eh = EhdrOf(exec_);
    EXPECT_TRUE(
        mem.Matches(plan.phdr_addr, exec_.data() + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr)));

    // The entry's file offset, found independently through its PT_LOAD.
    for (const Elf64_Phdr &ph : PhdrsOf(exec_)) {
        if (ph.p_type == PT_LOAD && eh.e_entry >= ph.p_vaddr &&
            eh.e_entry < ph.p_vaddr + ph.p_filesz) {
            const uint8_t *code = exec_.data() + ph.p_offset + (eh.e_entry - ph.p_vaddr);
            EXPECT_TRUE(mem.Matches(plan.entry, code, 16));
        }
    }
}

TEST_F(RealBinaries, BssReadsAsZeroBeyondTheFileBytes)
{
    fut_elf_plan plan;
    ASSERT_EQ(fut_elf_parse_image(exec_.data(), exec_.size(), FUT_ELF_DYN_BASE, &plan), 0);
    bool saw_bss = false;
    for (const Elf64_Phdr &ph : PhdrsOf(exec_)) {
        if (ph.p_type != PT_LOAD || ph.p_memsz == ph.p_filesz)
            continue;
        saw_bss = true;
        const fut_elf_segment *seg = nullptr;
        for (uint32_t i = 0; i < plan.nsegments; i++)
            if (plan.segments[i].start == PageDown(ph.p_vaddr))
                seg = &plan.segments[i];
        ASSERT_NE(seg, nullptr);
        EXPECT_EQ(seg->file_end, ph.p_vaddr + ph.p_filesz);
        EXPECT_GE(seg->end, ph.p_vaddr + ph.p_memsz);
    }
    EXPECT_TRUE(saw_bss) << "hello has a .bss; the test needs one";
}

TEST_F(RealBinaries, StaticPieLowestPageMovesToDynBase)
{
    fut_elf_plan plan;
    ASSERT_EQ(ParseChecked(pie_, FUT_ELF_DYN_BASE, &plan), 0) << plan.reject_reason;
    ExpectPlanIsSafe(plan, pie_.size());

    Elf64_Ehdr eh = EhdrOf(pie_);
    uint64_t first_vaddr = UINT64_MAX;
    for (const Elf64_Phdr &ph : PhdrsOf(pie_))
        if (ph.p_type == PT_LOAD && ph.p_vaddr < first_vaddr)
            first_vaddr = ph.p_vaddr;
    EXPECT_EQ(plan.type, ET_DYN);
    EXPECT_EQ(plan.image_start, FUT_ELF_DYN_BASE);
    EXPECT_EQ(plan.load_bias, FUT_ELF_DYN_BASE - PageDown(first_vaddr));
    EXPECT_EQ(plan.entry, plan.load_bias + eh.e_entry);

    LoadedImage mem{&plan, &pie_};
    EXPECT_TRUE(
        mem.Matches(plan.phdr_addr, pie_.data() + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr)));
}

TEST_F(RealBinaries, StaticPieAtAnotherBaseShiftsEveryAddressAlike)
{
    fut_elf_plan a, b;
    const uint64_t other = 0x7f0000000000ull;
    ASSERT_EQ(fut_elf_parse_image(pie_.data(), pie_.size(), FUT_ELF_DYN_BASE, &a), 0);
    ASSERT_EQ(fut_elf_parse_image(pie_.data(), pie_.size(), other, &b), 0);
    const uint64_t delta = other - FUT_ELF_DYN_BASE;
    EXPECT_EQ(b.entry - a.entry, delta);
    EXPECT_EQ(b.phdr_addr - a.phdr_addr, delta);
    ASSERT_EQ(a.nsegments, b.nsegments);
    for (uint32_t i = 0; i < a.nsegments; i++) {
        EXPECT_EQ(b.segments[i].start - a.segments[i].start, delta);
        EXPECT_EQ(b.segments[i].end - a.segments[i].end, delta);
        EXPECT_EQ(b.segments[i].file_end - a.segments[i].file_end, delta);
        EXPECT_EQ(b.segments[i].file_offset, a.segments[i].file_offset);
    }
}

TEST_F(RealBinaries, StaticPieTooHighForItsSizeIsRefused)
{
    fut_elf_plan plan;
    uint64_t last_page = FUT_ELF_USER_END - kPage;
    EXPECT_EQ(fut_elf_parse_image(pie_.data(), pie_.size(), last_page, &plan), -ENOEXEC);
}

// ---------------------------------------------------------------------------
// Synthetic images: a small valid ET_EXEC, then one broken rule per test.

class SyntheticElf : public ::testing::Test
{
  protected:
    // Layout: ELF header, 5 program headers (PHDR, LOAD R, LOAD RX, LOAD RW
    // with .bss, GNU_STACK), text at 0x1000, data at 0x2010, 0x2030 bytes.
    void SetUp() override
    {
        memset(&eh_, 0, sizeof(eh_));
        memcpy(eh_.e_ident,
               "\x7f"
               "ELF",
               4);
        eh_.e_ident[EI_CLASS] = ELFCLASS64;
        eh_.e_ident[EI_DATA] = ELFDATA2LSB;
        eh_.e_ident[6] = 1;
        eh_.e_type = ET_EXEC;
        eh_.e_machine = EM_X86_64;
        eh_.e_version = 1;
        eh_.e_entry = 0x401000;
        eh_.e_phoff = sizeof(Elf64_Ehdr);
        eh_.e_ehsize = sizeof(Elf64_Ehdr);
        eh_.e_phentsize = sizeof(Elf64_Phdr);
        ph_ = {
            Phdr(PT_PHDR, PF_R, 0x40, 0x400040, 5 * sizeof(Elf64_Phdr), 5 * sizeof(Elf64_Phdr)),
            Phdr(PT_LOAD, PF_R, 0x0, 0x400000, 0x1000, 0x1000),
            Phdr(PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100),
            Phdr(PT_LOAD, PF_R | PF_W, 0x2010, 0x403010, 0x20, 0x3000),
            Phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0),
        };
        file_size_ = 0x2030;
    }

    static Elf64_Phdr Phdr(uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                           uint64_t filesz, uint64_t memsz)
    {
        Elf64_Phdr ph{};
        ph.p_type = type;
        ph.p_flags = flags;
        ph.p_offset = offset;
        ph.p_vaddr = ph.p_paddr = vaddr;
        ph.p_filesz = filesz;
        ph.p_memsz = memsz;
        ph.p_align = kPage;
        return ph;
    }

    // The image: header, program headers at e_phoff (if they fit), zero padding.
    std::vector<uint8_t> Image()
    {
        Elf64_Ehdr eh = eh_;
        if (!phnum_override_)
            eh.e_phnum = static_cast<uint16_t>(ph_.size());
        std::vector<uint8_t> img(file_size_, 0);
        memcpy(img.data(), &eh, std::min<size_t>(sizeof(eh), img.size()));
        size_t bytes = ph_.size() * sizeof(Elf64_Phdr);
        if (eh.e_phoff <= img.size() && bytes <= img.size() - eh.e_phoff)
            memcpy(img.data() + eh.e_phoff, ph_.data(), bytes);
        return img;
    }

    int Parse(uint64_t dyn_base = FUT_ELF_DYN_BASE)
    {
        image_ = Image();
        int rc = ParseChecked(image_, dyn_base, &plan_);
        if (rc == 0)
            ExpectPlanIsSafe(plan_, image_.size());
        return rc;
    }

    // Expects -ENOEXEC with a reason mentioning `words`.
    void ExpectRejected(const char *words)
    {
        ASSERT_EQ(Parse(), -ENOEXEC);
        ASSERT_NE(plan_.reject_reason, nullptr);
        EXPECT_NE(std::string(plan_.reject_reason).find(words), std::string::npos)
            << plan_.reject_reason;
    }

    Elf64_Ehdr eh_;
    std::vector<Elf64_Phdr> ph_;
    size_t file_size_;
    bool phnum_override_ = false;
    std::vector<uint8_t> image_;
    fut_elf_plan plan_;
};

TEST_F(SyntheticElf, ValidExecPlansEverySegmentWithBssZeroFill)
{
    ASSERT_EQ(Parse(), 0) << plan_.reject_reason;
    EXPECT_EQ(plan_.entry, 0x401000u);
    EXPECT_EQ(plan_.phdr_addr, 0x400040u);
    EXPECT_EQ(plan_.phnum, 5);
    ASSERT_EQ(plan_.nsegments, 3u);
    const fut_elf_segment &data = plan_.segments[2];
    EXPECT_EQ(data.start, 0x403000u);
    EXPECT_EQ(data.file_offset, 0x2000u);
    EXPECT_EQ(data.file_end, 0x403030u); // 0x20 file bytes from 0x403010
    EXPECT_EQ(data.end, 0x407000u);      // PageUp(0x403010 + 0x3000)
    EXPECT_EQ(data.prot, FUT_ELF_PROT_READ | FUT_ELF_PROT_WRITE);
    EXPECT_EQ(plan_.segments[0].prot, FUT_ELF_PROT_READ);
    EXPECT_EQ(plan_.segments[1].prot, FUT_ELF_PROT_READ | FUT_ELF_PROT_EXEC);
    EXPECT_EQ(plan_.image_start, 0x400000u);
    EXPECT_EQ(plan_.image_end, 0x407000u);
    EXPECT_FALSE(plan_.exec_stack);
}

TEST_F(SyntheticElf, SegmentWithoutFileBytesIsAllZeroFill)
{
    ph_[3] = Phdr(PT_LOAD, PF_R | PF_W, 0x2010, 0x403010, 0, 0x3000);
    ASSERT_EQ(Parse(), 0) << plan_.reject_reason;
    EXPECT_EQ(plan_.segments[2].file_end, plan_.segments[2].start);
}

TEST_F(SyntheticElf, GnuStackWithExecFlagAsksForExecutableStack)
{
    ph_[4].p_flags = PF_R | PF_W | PF_X;
    ASSERT_EQ(Parse(), 0);
    EXPECT_TRUE(plan_.exec_stack);
}

TEST_F(SyntheticElf, NoGnuStackMeansNonExecutableStack)
{
    ph_.pop_back();
    ASSERT_EQ(Parse(), 0);
    EXPECT_FALSE(plan_.exec_stack);
}

TEST_F(SyntheticElf, WithoutPtPhdrTheSegmentHoldingEPhoffGivesAtPhdr)
{
    ph_.erase(ph_.begin());
    ASSERT_EQ(Parse(), 0);
    EXPECT_EQ(plan_.phdr_addr, 0x400040u);
}

TEST_F(SyntheticElf, ProgramHeadersOutsideEverySegmentGiveNoAtPhdr)
{
    ph_.erase(ph_.begin());
    ph_[0].p_filesz = 0; // the first page maps nothing from the file: no headers in memory
    ASSERT_EQ(Parse(), 0) << plan_.reject_reason;
    EXPECT_EQ(plan_.phdr_addr, 0u);
}

TEST_F(SyntheticElf, EmptyLoadSegmentIsSkipped)
{
    ph_.insert(ph_.begin() + 2, Phdr(PT_LOAD, PF_R, 0x1000, 0x401000, 0, 0));
    ASSERT_EQ(Parse(), 0) << plan_.reject_reason;
    EXPECT_EQ(plan_.nsegments, 3u);
}

TEST_F(SyntheticElf, DynImageGoesToDynBaseWhateverItsFirstAddress)
{
    eh_.e_type = ET_DYN;
    ASSERT_EQ(Parse(0x100000000ull), 0) << plan_.reject_reason;
    EXPECT_EQ(plan_.load_bias, 0x100000000ull - 0x400000u);
    EXPECT_EQ(plan_.image_start, 0x100000000ull);
    EXPECT_EQ(plan_.entry, 0x100001000ull);
    EXPECT_EQ(plan_.phdr_addr, 0x100000040ull);
}

TEST_F(SyntheticElf, ExecIgnoresDynBase)
{
    ASSERT_EQ(Parse(0x100000000ull), 0);
    EXPECT_EQ(plan_.image_start, 0x400000u);
}

TEST_F(SyntheticElf, HighestUserPageIsAccepted)
{
    ph_.pop_back();
    ph_.push_back(Phdr(PT_LOAD, PF_R | PF_W, 0x2000, FUT_ELF_USER_END - kPage, 0, kPage));
    ASSERT_EQ(Parse(), 0) << plan_.reject_reason;
    EXPECT_EQ(plan_.image_end, FUT_ELF_USER_END);
}

TEST_F(SyntheticElf, UnalignedOrKernelDynBaseIsInvalid)
{
    eh_.e_type = ET_DYN;
    EXPECT_EQ(Parse(FUT_ELF_DYN_BASE + 1), -EINVAL);
    EXPECT_EQ(Parse(0x800000000000ull), -EINVAL);
    EXPECT_EQ(Parse(0), -EINVAL);
}

TEST_F(SyntheticElf, ReadErrorIsPassedOn)
{
    std::vector<uint8_t> img = Image();
    fut_elf_plan plan;
    auto failing = [](void *, uint64_t, void *, size_t) { return -EIO; };
    EXPECT_EQ(fut_elf_parse(failing, nullptr, img.size(), FUT_ELF_DYN_BASE, &plan), -EIO);
}

TEST_F(SyntheticElf, ShorterThanElfHeader)
{
    file_size_ = sizeof(Elf64_Ehdr) - 1;
    ExpectRejected("shorter than an ELF header");
}

TEST_F(SyntheticElf, BadMagic)
{
    eh_.e_ident[1] = 'X';
    ExpectRejected("bad magic");
}

TEST_F(SyntheticElf, NotElfClass64)
{
    eh_.e_ident[EI_CLASS] = 1;
    ExpectRejected("64-bit");
}

TEST_F(SyntheticElf, NotLittleEndian)
{
    eh_.e_ident[EI_DATA] = 2;
    ExpectRejected("little-endian");
}

TEST_F(SyntheticElf, NotX86_64)
{
    eh_.e_machine = 3; // EM_386
    ExpectRejected("x86-64");
}

TEST_F(SyntheticElf, RelocatableObjectIsNotAnExecutable)
{
    eh_.e_type = 1; // ET_REL
    ExpectRejected("e_type");
}

TEST_F(SyntheticElf, WrongProgramHeaderEntrySize)
{
    eh_.e_phentsize = 32;
    ExpectRejected("e_phentsize");
}

TEST_F(SyntheticElf, NoProgramHeaders)
{
    phnum_override_ = true;
    eh_.e_phnum = 0;
    ExpectRejected("no program headers");
}

TEST_F(SyntheticElf, MoreThan64ProgramHeaders)
{
    while (ph_.size() < 65)
        ph_.push_back(Phdr(PT_NOTE, PF_R, 0, 0, 0, 0));
    ExpectRejected("more than 64 program headers");
}

TEST_F(SyntheticElf, ProgramHeadersPastTheEnd)
{
    eh_.e_phoff = file_size_ - sizeof(Elf64_Phdr);
    ExpectRejected("program headers extend past the end");
}

TEST_F(SyntheticElf, ProgramHeaderOffsetThatWouldWrap)
{
    eh_.e_phoff = UINT64_MAX - 8;
    ExpectRejected("program headers extend past the end");
}

TEST_F(SyntheticElf, SegmentFileBytesPastTheEnd)
{
    ph_[3].p_filesz = 0x21;
    ExpectRejected("past the end of the file");
}

TEST_F(SyntheticElf, SegmentFileOffsetThatWouldWrap)
{
    ph_[3].p_offset = UINT64_MAX - 0xf; // p_offset + p_filesz wraps
    ExpectRejected("past the end of the file");
}

TEST_F(SyntheticElf, FileSizeLargerThanMemorySize)
{
    ph_[3].p_memsz = 0x1f;
    ExpectRejected("p_filesz > p_memsz");
}

TEST_F(SyntheticElf, OverlappingSegments)
{
    ph_[2].p_vaddr = 0x400800; // the code moves into the first segment's page
    ph_[2].p_offset = 0x800;
    eh_.e_entry = 0x400800;
    ExpectRejected("overlap or are not in address order");
}

TEST_F(SyntheticElf, SegmentsSharingAPageOverlap)
{
    ph_[3].p_vaddr = 0x401110; // in the code's page, though past its bytes
    ph_[3].p_offset = 0x1110;
    ph_[3].p_filesz = 0;
    ExpectRejected("overlap or are not in address order");
}

TEST_F(SyntheticElf, UnsortedSegments)
{
    std::swap(ph_[2], ph_[3]);
    ExpectRejected("overlap or are not in address order");
}

TEST_F(SyntheticElf, SegmentBelowFirstSegmentOfDynImage)
{
    eh_.e_type = ET_DYN;
    ph_[3].p_vaddr = 0x3ff010; // below the first PT_LOAD: relocating it would underflow
    ExpectRejected("overlap or are not in address order");
}

TEST_F(SyntheticElf, AddressNotCongruentToOffset)
{
    ph_[3].p_vaddr = 0x403020;
    ExpectRejected("differ modulo the page size");
}

TEST_F(SyntheticElf, SegmentWrappingTheAddressSpace)
{
    ph_[3].p_vaddr = UINT64_MAX - 0xfef; // ...f010, congruent to offset 0x2010
    ph_[3].p_memsz = 0x2000;
    ExpectRejected("wraps");
}

TEST_F(SyntheticElf, SegmentReachingTheKernelHalf)
{
    ph_[3].p_vaddr = 0x7ffffffff010;
    ExpectRejected("beyond user space");
}

TEST_F(SyntheticElf, SegmentInTheKernelHalf)
{
    ph_[3].p_vaddr = 0xffff800000003010ull;
    ExpectRejected("beyond user space");
}

TEST_F(SyntheticElf, ExecBelowTheLowestUserAddress)
{
    for (Elf64_Phdr &ph : ph_)
        if (ph.p_vaddr)
            ph.p_vaddr -= 0x400000 - 0x1000;
    eh_.e_entry = 0x2000;
    ExpectRejected("below the lowest user address");
}

TEST_F(SyntheticElf, ExecStartingInTheKernelHalf)
{
    for (Elf64_Phdr &ph : ph_)
        if (ph.p_vaddr)
            ph.p_vaddr += 0xffff800000000000ull;
    eh_.e_entry += 0xffff800000000000ull;
    ExpectRejected("outside user space");
}

TEST_F(SyntheticElf, EntryInDataSegment)
{
    eh_.e_entry = 0x403010;
    ExpectRejected("entry point");
}

TEST_F(SyntheticElf, EntryJustPastTheCode)
{
    eh_.e_entry = 0x401100;
    ExpectRejected("entry point");
}

TEST_F(SyntheticElf, EntryZero)
{
    eh_.e_entry = 0;
    ExpectRejected("entry point");
}

TEST_F(SyntheticElf, DynamicallyLinkedProgramIsRefusedSayingSo)
{
    ph_.insert(ph_.begin() + 1, Phdr(PT_INTERP, PF_R, 0x200, 0x400200, 28, 28));
    ExpectRejected("dynamically linked (PT_INTERP)");
}

TEST_F(SyntheticElf, NoLoadSegment)
{
    ph_ = {Phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0)};
    ExpectRejected("no PT_LOAD");
}

TEST_F(SyntheticElf, MoreThan16LoadSegments)
{
    ph_.pop_back();
    for (uint64_t i = 0; ph_.size() < 4 + 16; i++)
        ph_.push_back(Phdr(PT_LOAD, PF_R, 0, 0x500000 + i * kPage, 0, kPage));
    ExpectRejected("more than 16 PT_LOAD");
}

TEST_F(SyntheticElf, PtPhdrOutsideEverySegment)
{
    ph_[0].p_vaddr = 0x300040;
    ExpectRejected("PT_PHDR is not inside");
}

TEST_F(SyntheticElf, PtPhdrAfterALoadSegment)
{
    std::swap(ph_[0], ph_[1]);
    ExpectRejected("PT_PHDR after a PT_LOAD");
}

// ---------------------------------------------------------------------------
// Truncated and mutated images: refused or planned safely, never a read
// outside the file (CheckedReader; ASan on an exactly sized copy).

class HostileImages : public RealBinaries
{
  protected:
    // Bytes covering the ELF header and every program header.
    static size_t HeaderBytes(const std::vector<uint8_t> &image)
    {
        Elf64_Ehdr eh = EhdrOf(image);
        return eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr);
    }

    // The shortest prefix that still holds every header and segment byte.
    static size_t LoadableBytes(const std::vector<uint8_t> &image)
    {
        size_t need = HeaderBytes(image);
        for (const Elf64_Phdr &ph : PhdrsOf(image))
            if (ph.p_type == PT_LOAD)
                need = std::max<size_t>(need, ph.p_offset + ph.p_filesz);
        return need;
    }

    static void ExpectRefusedOrSafe(const std::vector<uint8_t> &image, uint64_t dyn_base,
                                    int *accepted)
    {
        fut_elf_plan plan;
        int rc = ParseChecked(image, dyn_base, &plan);
        if (rc == 0) {
            ++*accepted;
            ExpectPlanIsSafe(plan, image.size());
        } else {
            ASSERT_EQ(rc, -ENOEXEC);
            ASSERT_NE(plan.reject_reason, nullptr);
        }
    }
};

TEST_F(HostileImages, EveryTruncationIsRefusedUntilTheLoadableBytesArePresent)
{
    for (const std::vector<uint8_t> *full : {&exec_, &pie_}) {
        const size_t loadable = LoadableBytes(*full);
        ASSERT_LT(loadable, full->size());
        for (size_t len = 0; len <= full->size(); len++) {
            // An exactly sized heap copy, so ASan sees any read past its end.
            std::vector<uint8_t> cut(full->begin(), full->begin() + len);
            fut_elf_plan plan;
            int rc = fut_elf_parse_image(cut.data(), cut.size(), FUT_ELF_DYN_BASE, &plan);
            if (len < loadable) {
                ASSERT_EQ(rc, -ENOEXEC) << "length " << len;
            } else {
                ASSERT_EQ(rc, 0) << "length " << len << ": " << plan.reject_reason;
            }
        }
    }
}

// Values that sit on the edges of the parser's checks.
constexpr uint64_t kInteresting[] = {
    0,
    1,
    7,
    0x38,
    0x40,
    0xfff,
    0x1000,
    0x1001,
    0x10000,
    0x200000,
    0x7fff,
    0xffff,
    0xffffffff,
    0x7ffffffff000ull,
    0x7fffffffffffull,
    0x800000000000ull,
    0xffff800000000000ull,
    UINT64_MAX - 0x1000,
    UINT64_MAX - 1,
    UINT64_MAX,
};

template <typename T, size_t N> constexpr size_t ArraySize(const T (&)[N])
{
    return N;
}

// Overwrites `width` bytes at `offset` with value's low bytes.
void Poke(std::vector<uint8_t> *img, size_t offset, uint64_t value, size_t width)
{
    if (offset + width <= img->size())
        memcpy(img->data() + offset, &value, width);
}

TEST_F(HostileImages, RandomByteMutationsOfTheHeadersAreRefusedOrPlannedSafely)
{
    for (const std::vector<uint8_t> *original : {&exec_, &pie_}) {
        const size_t header_bytes = HeaderBytes(*original);
        std::mt19937_64 rng(0xf07u + original->size());
        int accepted = 0;
        std::vector<uint8_t> img = *original;
        for (int iter = 0; iter < 20000; iter++) {
            // Flip 1..8 random header bytes, parse, restore.
            int flips = 1 + static_cast<int>(rng() % 8);
            std::vector<std::pair<size_t, uint8_t>> undo;
            for (int f = 0; f < flips; f++) {
                size_t at = rng() % header_bytes;
                undo.emplace_back(at, img[at]);
                img[at] = static_cast<uint8_t>(rng());
            }
            ExpectRefusedOrSafe(img, FUT_ELF_DYN_BASE, &accepted);
            if (HasFatalFailure())
                return;
            for (auto it = undo.rbegin(); it != undo.rend(); ++it)
                img[it->first] = it->second;
        }
        // Most flips land in bytes the parser ignores (p_paddr, p_align, e_shoff ...).
        EXPECT_GT(accepted, 1000);
        EXPECT_LT(accepted, 20000);
    }
}

TEST_F(HostileImages, FieldsSetToEdgeValuesAreRefusedOrPlannedSafely)
{
    // Offsets and widths of the fields the parser reads.
    struct Field {
        size_t offset, width;
    };
    const Field ehdr_fields[] = {{16, 2}, {18, 2}, {24, 8}, {32, 8}, {54, 2}, {56, 2}};
    const Field phdr_fields[] = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}};

    for (const std::vector<uint8_t> *original : {&exec_, &pie_}) {
        std::mt19937_64 rng(42);
        const Elf64_Ehdr eh = EhdrOf(*original);
        int accepted = 0;
        for (int iter = 0; iter < 20000; iter++) {
            std::vector<uint8_t> img = *original;
            int pokes = 1 + static_cast<int>(rng() % 3);
            for (int p = 0; p < pokes; p++) {
                uint64_t value = kInteresting[rng() % ArraySize(kInteresting)];
                if (rng() % 2)
                    value += rng() % 0x2000; // near the edge, not just on it
                if (rng() % 4 == 0) {
                    const Field &f = ehdr_fields[rng() % ArraySize(ehdr_fields)];
                    Poke(&img, f.offset, value, f.width);
                } else {
                    const Field &f = phdr_fields[rng() % ArraySize(phdr_fields)];
                    size_t ph = eh.e_phoff + (rng() % eh.e_phnum) * sizeof(Elf64_Phdr);
                    Poke(&img, ph + f.offset, value, f.width);
                }
            }
            if (rng() % 8 == 0)
                img.resize(rng() % img.size());
            img.shrink_to_fit();
            ExpectRefusedOrSafe(img, rng() % 2 ? FUT_ELF_DYN_BASE : FUT_ELF_USER_MIN, &accepted);
            if (HasFatalFailure())
                return;
        }
        EXPECT_GT(accepted, 100);
    }
}

} // namespace
