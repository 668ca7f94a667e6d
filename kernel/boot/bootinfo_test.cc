// Host tests for the Multiboot2 and PVH boot-information parsers.
// The loader's memory is a byte buffer at a fake physical address; the map
// function refuses anything outside it, and under ASan any read past the
// buffer the parser was handed is caught.
#include "futura/boot/bootinfo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace
{

constexpr uint64_t kPhysBase = 0x10000;

constexpr uint32_t kTagEnd = 0;
constexpr uint32_t kTagCmdline = 1;
constexpr uint32_t kTagModule = 3;
constexpr uint32_t kTagMmap = 6;
constexpr uint32_t kTagAcpiOld = 14;
constexpr uint32_t kTagAcpiNew = 15;

// A physical address space holding exactly `bytes` at kPhysBase, plus the
// warnings the parser reports.
class FakePhys
{
  public:
    explicit FakePhys(const std::vector<uint8_t> &bytes)
        : size_(bytes.size()), mem_(new uint8_t[bytes.size() ? bytes.size() : 1])
    {
        if (size_)
            memcpy(mem_.get(), bytes.data(), size_);
    }

    fut_boot_env env()
    {
        return fut_boot_env{Map, Warn, this};
    }
    const std::vector<std::string> &warnings() const
    {
        return warnings_;
    }

    bool HasWarningContaining(const std::string &needle) const
    {
        for (const std::string &w : warnings_) {
            if (w.find(needle) != std::string::npos)
                return true;
        }
        return false;
    }

    std::string AllWarnings() const
    {
        std::string all;
        for (const std::string &w : warnings_)
            all += "  " + w + "\n";
        return all;
    }

  private:
    static const void *Map(uint64_t phys, size_t len, void *ctx)
    {
        FakePhys *self = static_cast<FakePhys *>(ctx);
        if (phys < kPhysBase)
            return nullptr;
        uint64_t off = phys - kPhysBase;
        if (off > self->size_ || len > self->size_ - off)
            return nullptr;
        return self->mem_.get() + off;
    }

    static void Warn(void *ctx, const char *msg)
    {
        static_cast<FakePhys *>(ctx)->warnings_.push_back(msg);
    }

    size_t size_;
    std::unique_ptr<uint8_t[]> mem_; // exactly size_ bytes, so ASan sees overruns
    std::vector<std::string> warnings_;
};

void PutU32(std::vector<uint8_t> *b, size_t off, uint32_t v)
{
    memcpy(b->data() + off, &v, sizeof(v));
}

uint32_t GetU32(const std::vector<uint8_t> &b, size_t off)
{
    uint32_t v;
    memcpy(&v, b.data() + off, sizeof(v));
    return v;
}

void AppendU32(std::vector<uint8_t> *b, uint32_t v)
{
    b->resize(b->size() + 4);
    PutU32(b, b->size() - 4, v);
}

void AppendU64(std::vector<uint8_t> *b, uint64_t v)
{
    AppendU32(b, static_cast<uint32_t>(v));
    AppendU32(b, static_cast<uint32_t>(v >> 32));
}

struct MmapEntry {
    uint64_t base, length;
    uint32_t type;
};

// Builds a Multiboot2 information block tag by tag.
class Mb2Builder
{
  public:
    Mb2Builder() : b_(8, 0) {}

    // Appends a tag with the given payload; size_override replaces the size field.
    Mb2Builder &Tag(uint32_t type, const std::vector<uint8_t> &payload, int64_t size_override = -1)
    {
        b_.resize((b_.size() + 7) & ~size_t{7}, 0);
        AppendU32(&b_, type);
        AppendU32(&b_, size_override >= 0 ? static_cast<uint32_t>(size_override)
                                          : static_cast<uint32_t>(8 + payload.size()));
        b_.insert(b_.end(), payload.begin(), payload.end());
        return *this;
    }

    Mb2Builder &Cmdline(const std::string &s)
    {
        std::vector<uint8_t> p(s.begin(), s.end());
        p.push_back(0);
        return Tag(kTagCmdline, p);
    }

    Mb2Builder &Module(uint32_t start, uint32_t end, const std::string &name)
    {
        std::vector<uint8_t> p;
        AppendU32(&p, start);
        AppendU32(&p, end);
        p.insert(p.end(), name.begin(), name.end());
        p.push_back(0);
        return Tag(kTagModule, p);
    }

    Mb2Builder &Mmap(const std::vector<MmapEntry> &entries, uint32_t entry_size = 24)
    {
        std::vector<uint8_t> p;
        AppendU32(&p, entry_size);
        AppendU32(&p, 0); // entry_version
        for (const MmapEntry &e : entries) {
            size_t start = p.size();
            AppendU64(&p, e.base);
            AppendU64(&p, e.length);
            AppendU32(&p, e.type);
            AppendU32(&p, 0);
            if (entry_size >= 24 && entry_size < 4096)
                p.resize(start + entry_size, 0xee);
        }
        return Tag(kTagMmap, p);
    }

    Mb2Builder &End()
    {
        return Tag(kTagEnd, {});
    }

    // The block with total_size set to its length.
    std::vector<uint8_t> Build() const
    {
        std::vector<uint8_t> b = b_;
        PutU32(&b, 0, static_cast<uint32_t>(b.size()));
        return b;
    }

    size_t size() const
    {
        return b_.size();
    }

  private:
    std::vector<uint8_t> b_;
};

const std::vector<MmapEntry> kTypicalMap = {
    {0x0, 0x9fc00, FUT_MEM_USABLE},
    {0x9fc00, 0x400, FUT_MEM_RESERVED},
    {0xf0000, 0x10000, FUT_MEM_RESERVED},
    {0x100000, 0x7ee0000, FUT_MEM_USABLE},
    {0x7fe0000, 0x20000, FUT_MEM_ACPI_RECLAIMABLE},
    {0xfffc0000, 0x40000, FUT_MEM_RESERVED},
};

std::vector<uint8_t> RsdpPayload()
{
    std::vector<uint8_t> rsdp = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
    rsdp.resize(20, 0);
    return rsdp;
}

std::vector<uint8_t> WellFormedMb2()
{
    return Mb2Builder()
        .Cmdline("console=ttyS0 test=all -- init")
        .Module(0x200000, 0x201000, "initrd.img")
        .Module(0x300000, 0x300800, "")
        .Mmap(kTypicalMap)
        .Tag(kTagAcpiOld, RsdpPayload())
        .Tag(21, {1, 2, 3, 4}) // an unknown tag (load base address) is skipped
        .End()
        .Build();
}

// Parses a Multiboot2 block placed at kPhysBase.
int ParseMb2(FakePhys *phys, fut_bootinfo *bi)
{
    fut_boot_env env = phys->env();
    return fut_bootinfo_parse_multiboot2(kPhysBase, &env, bi);
}

// ---- Multiboot2 ----

TEST(Multiboot2, WellFormedBlockYieldsCmdlineModulesMapAndRsdp)
{
    FakePhys phys(WellFormedMb2());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0) << phys.AllWarnings();

    EXPECT_STREQ(bi->protocol, "multiboot2");
    EXPECT_STREQ(bi->cmdline, "console=ttyS0 test=all -- init");
    EXPECT_FALSE(bi->cmdline_truncated);

    ASSERT_EQ(bi->nmodules, 2u);
    EXPECT_EQ(bi->modules[0].start, 0x200000u);
    EXPECT_EQ(bi->modules[0].end, 0x201000u);
    EXPECT_STREQ(bi->modules[0].name, "initrd.img");
    EXPECT_EQ(bi->modules[1].start, 0x300000u);
    EXPECT_STREQ(bi->modules[1].name, "");

    ASSERT_EQ(bi->nregions, kTypicalMap.size());
    for (size_t i = 0; i < kTypicalMap.size(); i++) {
        EXPECT_EQ(bi->regions[i].base, kTypicalMap[i].base) << i;
        EXPECT_EQ(bi->regions[i].length, kTypicalMap[i].length) << i;
        EXPECT_EQ(bi->regions[i].type, kTypicalMap[i].type) << i;
    }
    EXPECT_EQ(bi->regions_skipped, 0u);

    // The RSDP copy starts right after the ACPI tag's 8-byte header.
    ASSERT_NE(bi->rsdp_phys, 0u);
    const std::vector<uint8_t> block = WellFormedMb2();
    uint64_t off = bi->rsdp_phys - kPhysBase;
    ASSERT_LT(off + 8, block.size());
    EXPECT_EQ(memcmp(block.data() + off, "RSD PTR ", 8), 0);
    EXPECT_EQ(GetU32(block, off - 8), kTagAcpiOld);

    EXPECT_TRUE(phys.warnings().empty()) << phys.AllWarnings();
}

TEST(Multiboot2, UsableBytesSumsOnlyUsableRegions)
{
    FakePhys phys(WellFormedMb2());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_EQ(fut_bootinfo_usable_bytes(bi.get()), 0x9fc00u + 0x7ee0000u);
}

TEST(Multiboot2, NewAcpiTagAlsoGivesRsdp)
{
    Mb2Builder b;
    b.Cmdline("x");
    size_t acpi_off = (b.size() + 7) & ~size_t{7};
    FakePhys phys(b.Tag(kTagAcpiNew, RsdpPayload()).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_EQ(bi->rsdp_phys, kPhysBase + acpi_off + 8);
}

TEST(Multiboot2, ParseClearsStaleOutput)
{
    FakePhys phys(Mb2Builder().End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    memset(bi.get(), 0xab, sizeof(*bi));
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_STREQ(bi->cmdline, "");
    EXPECT_EQ(bi->nregions, 0u);
    EXPECT_EQ(bi->nmodules, 0u);
    EXPECT_EQ(bi->rsdp_phys, 0u);
}

TEST(Multiboot2, UnknownMemoryTypesBecomeReserved)
{
    FakePhys phys(Mb2Builder()
                      .Mmap({{0x1000, 0x1000, 0},
                             {0x2000, 0x1000, 6},
                             {0x3000, 0x1000, 0xffffffff},
                             {0x4000, 0x1000, FUT_MEM_BAD},
                             {0x5000, 0x1000, FUT_MEM_ACPI_NVS}})
                      .End()
                      .Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nregions, 5u);
    EXPECT_EQ(bi->regions[0].type, static_cast<uint32_t>(FUT_MEM_RESERVED));
    EXPECT_EQ(bi->regions[1].type, static_cast<uint32_t>(FUT_MEM_RESERVED));
    EXPECT_EQ(bi->regions[2].type, static_cast<uint32_t>(FUT_MEM_RESERVED));
    EXPECT_EQ(bi->regions[3].type, static_cast<uint32_t>(FUT_MEM_BAD));
    EXPECT_EQ(bi->regions[4].type, static_cast<uint32_t>(FUT_MEM_ACPI_NVS));
    EXPECT_EQ(fut_bootinfo_usable_bytes(bi.get()), 0u);
}

TEST(Multiboot2, MalformedMapEntriesAreSkippedWithWarningAndCounted)
{
    FakePhys phys(Mb2Builder()
                      .Mmap({{0x0, 0x1000, FUT_MEM_USABLE},
                             {0x5000, 0, FUT_MEM_USABLE},                      // empty
                             {0xfffffffffffff000, 0x2000, FUT_MEM_USABLE},     // wraps
                             {0x8000000000000000, UINT64_MAX, FUT_MEM_USABLE}, // wraps
                             {0x100000, 0x100000, FUT_MEM_USABLE}})
                      .End()
                      .Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nregions, 2u);
    EXPECT_EQ(bi->regions[0].base, 0x0u);
    EXPECT_EQ(bi->regions[1].base, 0x100000u);
    EXPECT_EQ(bi->regions_skipped, 3u);
    EXPECT_EQ(phys.warnings().size(), 3u) << phys.AllWarnings();
    EXPECT_TRUE(phys.HasWarningContaining("malformed")) << phys.AllWarnings();
    EXPECT_EQ(fut_bootinfo_usable_bytes(bi.get()), 0x101000u);
}

TEST(Multiboot2, EntriesBeyondMaxRegionsAreSkippedAndCounted)
{
    std::vector<MmapEntry> many;
    for (uint64_t i = 0; i < FUT_MAX_MEM_REGIONS + 10; i++)
        many.push_back({i * 0x10000, 0x1000, FUT_MEM_USABLE});
    FakePhys phys(Mb2Builder().Mmap(many).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nregions, static_cast<size_t>(FUT_MAX_MEM_REGIONS));
    EXPECT_EQ(bi->regions_skipped, 10u);
    EXPECT_EQ(bi->regions[FUT_MAX_MEM_REGIONS - 1].base, (FUT_MAX_MEM_REGIONS - 1) * 0x10000u);
    EXPECT_FALSE(phys.warnings().empty());
    EXPECT_EQ(fut_bootinfo_usable_bytes(bi.get()), FUT_MAX_MEM_REGIONS * 0x1000u);
}

TEST(Multiboot2, LargerEntrySizeStepsOverVendorFields)
{
    FakePhys phys(Mb2Builder().Mmap(kTypicalMap, 32).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nregions, kTypicalMap.size());
    EXPECT_EQ(bi->regions[3].base, 0x100000u);
    EXPECT_EQ(bi->regions[3].length, 0x7ee0000u);
}

TEST(Multiboot2, BadEntrySizeIgnoresTheMapWithWarning)
{
    for (uint32_t entry_size : {0u, 8u, 16u, 20u, 25u, 28u}) {
        std::vector<uint8_t> block = Mb2Builder().Mmap(kTypicalMap).End().Build();
        PutU32(&block, 16, entry_size); // the mmap tag is first: 8-byte header + tag header
        FakePhys phys(block);
        auto bi = std::make_shared<fut_bootinfo>();
        ASSERT_EQ(ParseMb2(&phys, bi.get()), 0) << entry_size;
        EXPECT_EQ(bi->nregions, 0u) << entry_size;
        EXPECT_TRUE(phys.HasWarningContaining("entry size")) << entry_size << phys.AllWarnings();
    }
}

TEST(Multiboot2, HugeEntrySizeDoesNotWrapTheEntryOffset)
{
    // 16 + 0xfffffff0 wraps to 0 in 32 bits: an unchecked loop would read an
    // "entry" from whatever follows the tag header.
    for (uint32_t entry_size : {0xfffffff0u, 0xfffffff8u, 0x80000000u}) {
        std::vector<uint8_t> block = Mb2Builder().Mmap({kTypicalMap[0]}).End().Build();
        PutU32(&block, 16, entry_size);
        FakePhys phys(block);
        auto bi = std::make_shared<fut_bootinfo>();
        ASSERT_EQ(ParseMb2(&phys, bi.get()), 0) << entry_size;
        EXPECT_EQ(bi->nregions, 0u) << std::hex << entry_size;
    }
}

TEST(Multiboot2, HugeEntrySizeInAnEmptyMapReadsNothingPastTheBlock)
{
    // An empty map right before the end tag: a wrapped offset would read an
    // entry that runs off the end of the block (ASan reports it).
    std::vector<uint8_t> block = Mb2Builder().Mmap({}).End().Build();
    PutU32(&block, 16, 0xfffffff8u);
    FakePhys phys(block);
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_EQ(bi->nregions, 0u);
    EXPECT_EQ(bi->regions_skipped, 0u);
}

TEST(Multiboot2, TooSmallMmapAndModuleTagsAreIgnoredWithWarning)
{
    FakePhys phys(
        Mb2Builder().Tag(kTagMmap, {24, 0, 0, 0}).Tag(kTagModule, {0, 0, 1, 0}).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_EQ(bi->nregions, 0u);
    EXPECT_EQ(bi->nmodules, 0u);
    EXPECT_TRUE(phys.HasWarningContaining("memory-map tag too small")) << phys.AllWarnings();
    EXPECT_TRUE(phys.HasWarningContaining("module tag too small")) << phys.AllWarnings();
}

TEST(Multiboot2, InvertedOrEmptyModuleRangesAreIgnoredWithWarning)
{
    FakePhys phys(Mb2Builder()
                      .Module(0x5000, 0x4000, "inverted")
                      .Module(0x5000, 0x5000, "empty")
                      .Module(0x6000, 0x7000, "good")
                      .End()
                      .Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nmodules, 1u);
    EXPECT_STREQ(bi->modules[0].name, "good");
    EXPECT_EQ(phys.warnings().size(), 2u) << phys.AllWarnings();
}

TEST(Multiboot2, ModulesBeyondTheLimitAndOverlongNamesAreCut)
{
    Mb2Builder b;
    const std::string long_name(200, 'n');
    for (uint32_t i = 0; i < FUT_MAX_BOOT_MODULES + 2; i++)
        b.Module(0x100000 * (i + 1), 0x100000 * (i + 1) + 0x1000, long_name);
    FakePhys phys(b.End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nmodules, static_cast<size_t>(FUT_MAX_BOOT_MODULES));
    EXPECT_EQ(std::string(bi->modules[0].name), long_name.substr(0, FUT_MODULE_NAME_MAX - 1));
    EXPECT_TRUE(phys.HasWarningContaining("boot modules")) << phys.AllWarnings();
}

TEST(Multiboot2, OverlongCmdlineIsTruncatedWithWarning)
{
    const std::string longline(FUT_CMDLINE_MAX + 500, 'c');
    FakePhys phys(Mb2Builder().Cmdline(longline).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_TRUE(bi->cmdline_truncated);
    EXPECT_EQ(strlen(bi->cmdline), static_cast<size_t>(FUT_CMDLINE_MAX - 1));
    EXPECT_EQ(std::string(bi->cmdline), longline.substr(0, FUT_CMDLINE_MAX - 1));
    EXPECT_TRUE(phys.HasWarningContaining("truncated")) << phys.AllWarnings();
}

TEST(Multiboot2, CmdlineOfExactlyMaxMinusOneFitsWithoutWarning)
{
    const std::string line(FUT_CMDLINE_MAX - 1, 'k');
    FakePhys phys(Mb2Builder().Cmdline(line).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_FALSE(bi->cmdline_truncated);
    EXPECT_EQ(std::string(bi->cmdline), line);
    EXPECT_TRUE(phys.warnings().empty()) << phys.AllWarnings();
}

TEST(Multiboot2, CmdlineWithoutNulStopsAtTheTagEnd)
{
    // "abc" with no terminator, then the end tag: the parser must not run on.
    FakePhys phys(Mb2Builder().Tag(kTagCmdline, {'a', 'b', 'c'}).End().Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParseMb2(&phys, bi.get()), 0);
    EXPECT_STREQ(bi->cmdline, "abc");
}

TEST(Multiboot2, TagSmallerThanItsHeaderIsRejected)
{
    for (int64_t size : {0, 1, 7}) {
        FakePhys phys(Mb2Builder().Cmdline("ok").Tag(99, {}, size).End().Build());
        auto bi = std::make_shared<fut_bootinfo>();
        EXPECT_EQ(ParseMb2(&phys, bi.get()), -EINVAL) << size;
        EXPECT_TRUE(phys.HasWarningContaining("bad size")) << phys.AllWarnings();
    }
}

TEST(Multiboot2, TagRunningPastTotalSizeIsRejected)
{
    Mb2Builder b;
    b.Cmdline("ok").Tag(99, {1, 2, 3, 4, 5, 6, 7, 8}, 64).End();
    FakePhys phys(b.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParseMb2(&phys, bi.get()), -EINVAL);
    EXPECT_TRUE(phys.HasWarningContaining("bad size")) << phys.AllWarnings();
}

TEST(Multiboot2, MissingEndTagIsRejected)
{
    FakePhys phys(Mb2Builder().Cmdline("console=ttyS0").Mmap(kTypicalMap).Build());
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParseMb2(&phys, bi.get()), -EINVAL);
    EXPECT_TRUE(phys.HasWarningContaining("without an end tag")) << phys.AllWarnings();
}

TEST(Multiboot2, TotalSizeSmallerThanTheTagsIsRejected)
{
    std::vector<uint8_t> block = WellFormedMb2();
    PutU32(&block, 0, static_cast<uint32_t>(block.size() - 8)); // cuts off the end tag
    FakePhys phys(block);
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParseMb2(&phys, bi.get()), -EINVAL);
}

TEST(Multiboot2, ImplausibleTotalSizeIsRejected)
{
    for (uint32_t total : {0u, 8u, 15u, (1u << 20) + 8, 0xffffffffu}) {
        std::vector<uint8_t> block = WellFormedMb2();
        PutU32(&block, 0, total);
        FakePhys phys(block);
        auto bi = std::make_shared<fut_bootinfo>();
        EXPECT_EQ(ParseMb2(&phys, bi.get()), -EINVAL) << total;
    }
}

TEST(Multiboot2, BlockLargerThanMappedMemoryIsRejected)
{
    std::vector<uint8_t> block = WellFormedMb2();
    PutU32(&block, 0, static_cast<uint32_t>(block.size() + 64));
    FakePhys phys(block);
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParseMb2(&phys, bi.get()), -EINVAL);
}

TEST(Multiboot2, UnmappedInfoAddressIsRejected)
{
    FakePhys phys(WellFormedMb2());
    fut_boot_env env = phys.env();
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(fut_bootinfo_parse_multiboot2(kPhysBase - 0x1000, &env, bi.get()), -EINVAL);
    EXPECT_FALSE(phys.warnings().empty());
}

// ---- Multiboot2 mutation test ----

// What must hold for any block, however broken: the parser stays inside the
// block (ASan), stays inside its own arrays, and never returns garbage.
void CheckInvariants(const fut_bootinfo &bi, int rc, const std::string &what)
{
    ASSERT_TRUE(rc == 0 || rc == -EINVAL) << what << " rc " << rc;
    ASSERT_LE(bi.nregions, static_cast<size_t>(FUT_MAX_MEM_REGIONS)) << what;
    ASSERT_LE(bi.nmodules, static_cast<size_t>(FUT_MAX_BOOT_MODULES)) << what;
    ASSERT_NE(memchr(bi.cmdline, '\0', sizeof(bi.cmdline)), nullptr) << what;
    for (size_t i = 0; i < bi.nregions; i++) {
        const fut_mem_region &r = bi.regions[i];
        ASSERT_GT(r.length, 0u) << what;
        ASSERT_GE(r.base + r.length, r.base) << what;
        ASSERT_GE(r.type, static_cast<uint32_t>(FUT_MEM_USABLE)) << what;
        ASSERT_LE(r.type, static_cast<uint32_t>(FUT_MEM_BAD)) << what;
    }
    for (size_t i = 0; i < bi.nmodules; i++) {
        ASSERT_LT(bi.modules[i].start, bi.modules[i].end) << what;
        ASSERT_NE(memchr(bi.modules[i].name, '\0', sizeof(bi.modules[i].name)), nullptr) << what;
    }
}

// Values that tend to break size arithmetic.
uint32_t InterestingU32(std::mt19937_64 &rng, uint32_t total)
{
    static const uint32_t kValues[] = {
        0, 1, 7, 8, 16, 24, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffff8, 0xffffffff, 0xffffff00};
    if (rng() % 4 == 0)
        return total + static_cast<uint32_t>(rng() % 64) - 32;
    return kValues[rng() % (sizeof(kValues) / sizeof(kValues[0]))];
}

TEST(Multiboot2Mutation, RandomlyCorruptedBlocksNeverEscapeTheBufferOrTheirArrays)
{
    std::vector<MmapEntry> big_map = kTypicalMap;
    for (uint64_t i = 0; i < FUT_MAX_MEM_REGIONS; i++)
        big_map.push_back({0x100000000 + i * 0x1000, 0x1000, static_cast<uint32_t>(i % 7)});
    const std::vector<uint8_t> seeds[] = {
        WellFormedMb2(),
        Mb2Builder().Mmap(big_map).Cmdline(std::string(1100, 'x')).End().Build(),
        // Small, with tags ending near the block's end, where a bad size reads past it.
        Mb2Builder().Cmdline("x").Mmap({}).End().Build(),
    };
    const int kSeeds = sizeof(seeds) / sizeof(seeds[0]);
    const int kIterations = 9000;

    std::mt19937_64 rng(0x5eed);
    int accepted = 0;
    for (int iter = 0; iter < kIterations; iter++) {
        std::vector<uint8_t> block = seeds[iter % kSeeds];
        int kind = static_cast<int>(rng() % 4);
        int nmut = 1 + static_cast<int>(rng() % 4);
        for (int m = 0; m < nmut; m++) {
            size_t pos = rng() % block.size();
            switch (kind) {
            case 0: // random byte
                block[pos] = static_cast<uint8_t>(rng());
                break;
            case 1: // flip one bit
                block[pos] ^= static_cast<uint8_t>(1u << (rng() % 8));
                break;
            case 2: { // an aligned 32-bit field (type, size, entry_size, ...) gets a nasty value
                size_t field = (pos & ~size_t{3}) % (block.size() - 3);
                PutU32(&block, field, InterestingU32(rng, GetU32(block, 0)));
                break;
            }
            default: // a smaller total_size, with the block really ending there
                PutU32(&block, 0, static_cast<uint32_t>(rng() % (block.size() + 1)));
                break;
            }
        }
        if (kind == 3) {
            uint32_t total = GetU32(block, 0);
            if (total >= 8 && total < block.size())
                block.resize(total); // so ASan sees any read past total_size
        }
        FakePhys phys(block);
        auto bi = std::make_shared<fut_bootinfo>();
        int rc = ParseMb2(&phys, bi.get());
        CheckInvariants(*bi, rc, "iteration " + std::to_string(iter));
        if (::testing::Test::HasFatalFailure())
            break;
        accepted += rc == 0;
    }
    // The mutations must exercise both outcomes, or the test proves little.
    EXPECT_GT(accepted, kIterations / 20);
    EXPECT_LT(accepted, kIterations - kIterations / 20);
}

// ---- PVH ----

constexpr uint32_t kPvhStartInfoSize = 56;
constexpr uint64_t kPvhMemmapOff = 0x800;
constexpr uint64_t kPvhModlistOff = 0x1000;
constexpr uint64_t kPvhNamesOff = 0x1100;
constexpr size_t kPvhBufSize = 0x2000;

struct PvhModule {
    uint64_t paddr, size;
    std::string name; // empty: no cmdline_paddr
};

// A PVH start-info block at kPhysBase with its memory map, module list and strings.
struct PvhLayout {
    uint32_t magic = FUT_PVH_MAGIC;
    uint32_t version = 1;
    std::string cmdline = "console=ttyS0 quiet";
    bool has_cmdline = true;
    uint64_t rsdp = 0xe0000;
    std::vector<MmapEntry> memmap = kTypicalMap;
    std::vector<PvhModule> modules;
    bool cmdline_at_top = false; // its NUL is the last mapped byte

    std::vector<uint8_t> Build() const
    {
        // The command line goes last, followed by more memory unless cmdline_at_top.
        const size_t after = cmdline_at_top ? 0 : 4 * FUT_CMDLINE_MAX;
        std::vector<uint8_t> b(kPvhBufSize + cmdline.size() + 1 + after, 0);
        const uint64_t cmdline_off = kPvhBufSize;
        memcpy(b.data() + cmdline_off, cmdline.data(), cmdline.size());

        std::vector<uint8_t> si;
        AppendU32(&si, magic);
        AppendU32(&si, version);
        AppendU32(&si, 0); // flags
        AppendU32(&si, static_cast<uint32_t>(modules.size()));
        AppendU64(&si, modules.empty() ? 0 : kPhysBase + kPvhModlistOff);
        AppendU64(&si, has_cmdline ? kPhysBase + cmdline_off : 0);
        AppendU64(&si, rsdp);
        AppendU64(&si, kPhysBase + kPvhMemmapOff);
        AppendU32(&si, static_cast<uint32_t>(memmap.size()));
        AppendU32(&si, 0);
        EXPECT_EQ(si.size(), kPvhStartInfoSize);
        memcpy(b.data(), si.data(), si.size());

        std::vector<uint8_t> mm;
        for (const MmapEntry &e : memmap) {
            AppendU64(&mm, e.base);
            AppendU64(&mm, e.length);
            AppendU32(&mm, e.type);
            AppendU32(&mm, 0);
        }
        EXPECT_LE(kPvhMemmapOff + mm.size(), kPvhModlistOff);
        std::copy(mm.begin(), mm.end(), b.begin() + kPvhMemmapOff);

        std::vector<uint8_t> ml;
        uint64_t name_off = kPvhNamesOff;
        for (const PvhModule &m : modules) {
            AppendU64(&ml, m.paddr);
            AppendU64(&ml, m.size);
            AppendU64(&ml, m.name.empty() ? 0 : kPhysBase + name_off);
            AppendU64(&ml, 0);
            memcpy(b.data() + name_off, m.name.c_str(), m.name.size() + 1);
            name_off += m.name.size() + 1;
        }
        EXPECT_LE(kPvhModlistOff + ml.size(), kPvhNamesOff);
        EXPECT_LE(name_off, kPvhBufSize);
        std::copy(ml.begin(), ml.end(), b.begin() + kPvhModlistOff);
        return b;
    }
};

int ParsePvh(FakePhys *phys, fut_bootinfo *bi)
{
    fut_boot_env env = phys->env();
    return fut_bootinfo_parse_pvh(kPhysBase, &env, bi);
}

TEST(Pvh, WellFormedStartInfoYieldsCmdlineMapModulesAndRsdp)
{
    PvhLayout layout;
    layout.modules = {{0x400000, 0x2000, "initrd root=/dev/ram0"}, {0x500000, 0x100, ""}};
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParsePvh(&phys, bi.get()), 0) << phys.AllWarnings();

    EXPECT_STREQ(bi->protocol, "pvh");
    EXPECT_STREQ(bi->cmdline, "console=ttyS0 quiet");
    EXPECT_FALSE(bi->cmdline_truncated);
    EXPECT_EQ(bi->rsdp_phys, 0xe0000u);
    ASSERT_EQ(bi->nregions, kTypicalMap.size());
    for (size_t i = 0; i < kTypicalMap.size(); i++) {
        EXPECT_EQ(bi->regions[i].base, kTypicalMap[i].base) << i;
        EXPECT_EQ(bi->regions[i].length, kTypicalMap[i].length) << i;
        EXPECT_EQ(bi->regions[i].type, kTypicalMap[i].type) << i;
    }
    EXPECT_EQ(fut_bootinfo_usable_bytes(bi.get()), 0x9fc00u + 0x7ee0000u);

    ASSERT_EQ(bi->nmodules, 2u);
    EXPECT_EQ(bi->modules[0].start, 0x400000u);
    EXPECT_EQ(bi->modules[0].end, 0x402000u);
    EXPECT_STREQ(bi->modules[0].name, "initrd root=/dev/ram0");
    EXPECT_EQ(bi->modules[1].start, 0x500000u);
    EXPECT_EQ(bi->modules[1].end, 0x500100u);
    EXPECT_STREQ(bi->modules[1].name, "");
    EXPECT_TRUE(phys.warnings().empty()) << phys.AllWarnings();
}

TEST(Pvh, BadMagicIsRejected)
{
    PvhLayout layout;
    layout.magic = FUT_MULTIBOOT2_MAGIC;
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParsePvh(&phys, bi.get()), -EINVAL);
    EXPECT_FALSE(phys.warnings().empty());
}

TEST(Pvh, VersionZeroHasNoMemoryMapAndIsRejected)
{
    PvhLayout layout;
    layout.version = 0;
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParsePvh(&phys, bi.get()), -EINVAL);
    EXPECT_TRUE(phys.HasWarningContaining("no memory map")) << phys.AllWarnings();
}

TEST(Pvh, UnmappedStartInfoIsRejected)
{
    FakePhys phys(std::vector<uint8_t>(kPvhStartInfoSize - 1, 0));
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParsePvh(&phys, bi.get()), -EINVAL);
}

TEST(Pvh, ImplausibleMemoryMapCountIsRejected)
{
    std::vector<uint8_t> b = PvhLayout().Build();
    PutU32(&b, 48, 5000); // memmap_entries
    FakePhys phys(b);
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParsePvh(&phys, bi.get()), -EINVAL);
}

TEST(Pvh, MemoryMapRunningOutOfMappedMemoryIsRejected)
{
    std::vector<uint8_t> b = PvhLayout().Build();
    PutU32(&b, 48, 4000); // 4000 * 24 bytes from 0x800 is far past the buffer
    FakePhys phys(b);
    auto bi = std::make_shared<fut_bootinfo>();
    EXPECT_EQ(ParsePvh(&phys, bi.get()), -EINVAL);
}

TEST(Pvh, MalformedAndUnknownMapEntriesAreHandledLikeMultiboot2)
{
    PvhLayout layout;
    layout.memmap = {{0x0, 0x1000, FUT_MEM_USABLE},
                     {0x1000, 0, FUT_MEM_USABLE},
                     {UINT64_MAX - 0xfff, 0x2000, FUT_MEM_USABLE},
                     {0x2000, 0x1000, 77}};
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nregions, 2u);
    EXPECT_EQ(bi->regions_skipped, 2u);
    EXPECT_EQ(bi->regions[1].type, static_cast<uint32_t>(FUT_MEM_RESERVED));
    EXPECT_EQ(phys.warnings().size(), 2u) << phys.AllWarnings();
}

TEST(Pvh, ModuleRangesThatWrapAreIgnoredWithWarning)
{
    PvhLayout layout;
    layout.modules = {{0xfffffffffffff000, 0x2000, "wraps"},
                      {0x8000000000000000, 0x8000000000000000, "to-zero"},
                      {0x600000, 0x1000, "kept"}};
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nmodules, 1u);
    EXPECT_STREQ(bi->modules[0].name, "kept");
    EXPECT_EQ(bi->modules[0].start, 0x600000u);
    EXPECT_TRUE(phys.HasWarningContaining("wraps")) << phys.AllWarnings();
    EXPECT_EQ(phys.warnings().size(), 2u) << phys.AllWarnings();
}

TEST(Pvh, EmptyModuleIsIgnoredWithWarning)
{
    PvhLayout layout;
    layout.modules = {{0x600000, 0, "empty"}};
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
    EXPECT_EQ(bi->nmodules, 0u);
    EXPECT_EQ(phys.warnings().size(), 1u) << phys.AllWarnings();
}

TEST(Pvh, LongModuleNamesAreCutToTheNameBuffer)
{
    PvhLayout layout;
    const std::string name(150, 'm');
    layout.modules = {{0x600000, 0x1000, name}};
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
    ASSERT_EQ(bi->nmodules, 1u);
    EXPECT_EQ(std::string(bi->modules[0].name), name.substr(0, FUT_MODULE_NAME_MAX - 1));
}

TEST(Pvh, MissingCmdlineLeavesItEmpty)
{
    PvhLayout layout;
    layout.has_cmdline = false;
    FakePhys phys(layout.Build());
    auto bi = std::make_shared<fut_bootinfo>();
    ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
    EXPECT_STREQ(bi->cmdline, "");
    EXPECT_FALSE(bi->cmdline_truncated);
}

TEST(Pvh, OverlongCmdlineIsTruncatedWithWarning)
{
    for (bool at_top : {false, true}) {
        PvhLayout layout;
        layout.cmdline = std::string(FUT_CMDLINE_MAX + 10, 'p');
        layout.cmdline_at_top = at_top;
        FakePhys phys(layout.Build());
        auto bi = std::make_shared<fut_bootinfo>();
        ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
        EXPECT_TRUE(bi->cmdline_truncated) << at_top;
        EXPECT_EQ(std::string(bi->cmdline), layout.cmdline.substr(0, FUT_CMDLINE_MAX - 1));
        EXPECT_TRUE(phys.HasWarningContaining("truncated")) << phys.AllWarnings();
    }
}

TEST(Pvh, CmdlineEndingNearTheTopOfMappedMemoryIsReadWhole)
{
    // Only a window that ends exactly at the NUL can be mapped: a parser that
    // tries nothing but power-of-two windows would silently cut the line short.
    for (size_t len : {1u, 100u, 600u, 1000u, 1023u}) {
        PvhLayout layout;
        layout.cmdline_at_top = true;
        layout.cmdline = std::string(len, 'q');
        layout.cmdline[len - 1] = 'Z';
        FakePhys phys(layout.Build());
        auto bi = std::make_shared<fut_bootinfo>();
        ASSERT_EQ(ParsePvh(&phys, bi.get()), 0);
        EXPECT_EQ(std::string(bi->cmdline), layout.cmdline) << len;
        EXPECT_FALSE(bi->cmdline_truncated) << len;
    }
}

} // namespace
