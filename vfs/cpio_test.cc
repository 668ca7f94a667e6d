// Host tests for the newc cpio reader. Archives come from the in-test writer
// (cpio_test_writer.h); every parse runs on an exact-size heap copy, so under
// --config=asan any read outside the archive is caught.
#include "futura/vfs/cpio.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cpio_test_writer.h"

namespace
{

using futura_test::CpioEntry;
using futura_test::CpioWriter;
using futura_test::FieldOffset;
using futura_test::SetField;

// One parsed entry, copied out of the reader's structures.
struct Parsed {
    std::string name;
    uint32_t mode, uid, gid, nlink, mtime, ino, dev_major, dev_minor, rdev_major, rdev_minor;
    size_t data_offset; // of the data in the archive
    std::string data;
    size_t offset, index;

    bool operator==(const Parsed &o) const
    {
        return name == o.name && mode == o.mode && uid == o.uid && gid == o.gid &&
               nlink == o.nlink && mtime == o.mtime && ino == o.ino && dev_major == o.dev_major &&
               dev_minor == o.dev_minor && rdev_major == o.rdev_major &&
               rdev_minor == o.rdev_minor && data_offset == o.data_offset && data == o.data &&
               offset == o.offset && index == o.index;
    }
};

struct Result {
    int rc = 0; // 0: reached the trailer, < 0: the error
    std::vector<Parsed> entries;
    std::string error;
    size_t end = 0; // fut_cpio_end once rc == 0
};

// Parses `archive` starting at `start`, checking the invariants every entry
// must satisfy whatever the input.
Result Parse(const std::string &archive, size_t start = 0)
{
    // Exactly archive.size() bytes on the heap: ASan flags any stray read.
    std::unique_ptr<uint8_t[]> buf(new uint8_t[archive.size() ? archive.size() : 1]);
    memcpy(buf.get(), archive.data(), archive.size());
    const uint8_t *base = buf.get();

    fut_cpio_reader r;
    std::unique_ptr<fut_cpio_entry> e(new fut_cpio_entry);
    fut_cpio_init_at(&r, base, archive.size(), start);
    Result res;
    size_t last_offset = 0;
    int rc;
    while ((rc = fut_cpio_next(&r, e.get())) > 0) {
        EXPECT_EQ(rc, 1);
        const uint8_t *data = static_cast<const uint8_t *>(e->data);
        EXPECT_GE(data, base);
        EXPECT_LE(e->size, archive.size());
        EXPECT_LE(static_cast<size_t>(data - base), archive.size() - e->size);
        EXPECT_EQ(e->offset % 4, 0u);
        if (!res.entries.empty()) {
            EXPECT_GT(e->offset, last_offset);
        }
        last_offset = e->offset;
        EXPECT_EQ(e->index, res.entries.size());
        // The name is absolute and normalized.
        std::string name(e->name);
        EXPECT_EQ(name.size(), e->name_len);
        EXPECT_LT(name.size(), static_cast<size_t>(FUT_CPIO_PATH_MAX));
        EXPECT_EQ(name[0], '/');
        if (name != "/") {
            EXPECT_NE(name.back(), '/') << name;
            EXPECT_EQ(name.find("//"), std::string::npos) << name;
            EXPECT_EQ((name + "/").find("/./"), std::string::npos) << name;
            EXPECT_EQ((name + "/").find("/../"), std::string::npos) << name;
        }
        res.entries.push_back(Parsed{
            name, e->mode, e->uid, e->gid, e->nlink, e->mtime, e->ino, e->dev_major, e->dev_minor,
            e->rdev_major, e->rdev_minor, static_cast<size_t>(data - base),
            std::string(reinterpret_cast<const char *>(data), e->size), e->offset, e->index});
    }
    res.rc = rc;
    res.error = fut_cpio_error(&r);
    if (rc == 0) {
        res.end = fut_cpio_end(&r);
        EXPECT_LE(res.end, archive.size());
        EXPECT_EQ(res.error, "");
    } else {
        EXPECT_NE(res.error, "");
    }
    // The outcome is sticky.
    EXPECT_EQ(fut_cpio_next(&r, e.get()), rc);
    EXPECT_EQ(fut_cpio_next(&r, e.get()), rc);
    return res;
}

std::string Names(const Result &r)
{
    std::string s;
    for (const Parsed &p : r.entries)
        s += p.name + " ";
    return s;
}

// --- Well-formed archives -------------------------------------------------

TEST(CpioRead, FilesDirsAndSymlinksInArchiveOrder)
{
    std::string a = CpioWriter()
                        .Dir("etc")
                        .File("etc/motd", "Welcome to Futura\n")
                        .Symlink("etc/issue", "motd")
                        .Dir("bin", 0700)
                        .File("bin/hello", std::string("\177ELF\0\1\2", 7), 0755)
                        .Finish(512);
    Result r = Parse(a);
    ASSERT_EQ(r.rc, 0) << r.error;
    ASSERT_EQ(r.entries.size(), 5u);
    EXPECT_EQ(Names(r), "/etc /etc/motd /etc/issue /bin /bin/hello ");
    EXPECT_EQ(r.entries[0].mode, 040755u);
    EXPECT_EQ(r.entries[1].mode, 0100644u);
    EXPECT_EQ(r.entries[1].data, "Welcome to Futura\n");
    EXPECT_EQ(r.entries[2].mode, 0120777u);
    EXPECT_EQ(r.entries[2].data, "motd");
    EXPECT_EQ(r.entries[3].mode, 040700u);
    EXPECT_EQ(r.entries[4].data, std::string("\177ELF\0\1\2", 7));
    EXPECT_EQ(r.entries[4].mode, 0100755u);
    for (size_t i = 0; i < r.entries.size(); i++) {
        EXPECT_EQ(r.entries[i].index, i);
        EXPECT_EQ(r.entries[i].ino, i + 1);
    }
}

TEST(CpioRead, ReportsEveryHeaderField)
{
    CpioEntry e;
    e.name = "dev/ttyS0";
    e.mode = 020620;
    e.ino = 0x1234abcd;
    e.uid = 1000;
    e.gid = 0xfffffffe;
    e.nlink = 3;
    e.mtime = 1700000000;
    e.dev_major = 8;
    e.dev_minor = 1;
    e.rdev_major = 4;
    e.rdev_minor = 64;
    Result r = Parse(CpioWriter().Add(e).Finish());
    ASSERT_EQ(r.rc, 0) << r.error;
    ASSERT_EQ(r.entries.size(), 1u);
    const Parsed &p = r.entries[0];
    EXPECT_EQ(p.name, "/dev/ttyS0");
    EXPECT_EQ(p.mode, 020620u);
    EXPECT_EQ(p.ino, 0x1234abcdu);
    EXPECT_EQ(p.uid, 1000u);
    EXPECT_EQ(p.gid, 0xfffffffeu);
    EXPECT_EQ(p.nlink, 3u);
    EXPECT_EQ(p.mtime, 1700000000u);
    EXPECT_EQ(p.dev_major, 8u);
    EXPECT_EQ(p.dev_minor, 1u);
    EXPECT_EQ(p.rdev_major, 4u);
    EXPECT_EQ(p.rdev_minor, 64u);
    EXPECT_EQ(p.offset, 0u);
}

TEST(CpioRead, EmptyFileHasSizeZeroAndDataInsideTheArchive)
{
    std::string a = CpioWriter().File("empty", "").File("after", "x").Finish();
    Result r = Parse(a);
    ASSERT_EQ(r.rc, 0) << r.error;
    ASSERT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.entries[0].data, "");
    // Header 110 + "empty\0" 6 = 116, already aligned: the data starts there.
    EXPECT_EQ(r.entries[0].data_offset, 116u);
    EXPECT_EQ(r.entries[1].offset, 116u);
    EXPECT_EQ(r.entries[1].data, "x");
}

TEST(CpioRead, HardLinkGroupSharesInoAndDevice)
{
    // cpio writes a group's data with its last member only.
    CpioEntry a, b, c;
    a.name = "bin/a";
    b.name = "bin/b";
    c.name = "bin/c";
    a.ino = b.ino = c.ino = 42;
    a.nlink = b.nlink = c.nlink = 3;
    a.dev_minor = b.dev_minor = c.dev_minor = 5;
    c.data = "shared";
    Result r = Parse(CpioWriter().Add(a).Add(b).Add(c).Finish());
    ASSERT_EQ(r.rc, 0) << r.error;
    ASSERT_EQ(r.entries.size(), 3u);
    for (const Parsed &p : r.entries) {
        EXPECT_EQ(p.ino, 42u);
        EXPECT_EQ(p.nlink, 3u);
        EXPECT_EQ(p.dev_minor, 5u);
    }
    EXPECT_EQ(r.entries[0].data, "");
    EXPECT_EQ(r.entries[1].data, "");
    EXPECT_EQ(r.entries[2].data, "shared");
}

TEST(CpioRead, StopsAtTrailerAndReportsWhereItEnds)
{
    CpioWriter w;
    w.File("a", "1");
    std::string one = w.Finish();
    std::string a = one + std::string(12, '\0') + "garbage after the trailer";
    Result r = Parse(a);
    ASSERT_EQ(r.rc, 0) << r.error;
    EXPECT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.end, one.size());
}

TEST(CpioRead, TrailerOnlyArchiveHasNoEntries)
{
    Result r = Parse(CpioWriter().Finish(512));
    EXPECT_EQ(r.rc, 0) << r.error;
    EXPECT_TRUE(r.entries.empty());
    EXPECT_EQ(r.end, 124u); // 110 + "TRAILER!!!\0" 11, padded
}

TEST(CpioRead, InitAtReadsAConcatenatedArchive)
{
    std::string first = CpioWriter().File("a", "1").Finish(512);
    std::string second = CpioWriter().File("b", "22").Finish();
    Result r = Parse(first + second, first.size());
    ASSERT_EQ(r.rc, 0) << r.error;
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].name, "/b");
    EXPECT_EQ(r.entries[0].offset, first.size());
    EXPECT_EQ(r.end, first.size() + second.size());
}

TEST(CpioRead, CrcFormatAcceptsMatchingChecksums)
{
    std::string a = CpioWriter(/*crc=*/true)
                        .Dir("d")
                        .File("d/f", "\xff\xfe\x01 data")
                        .Symlink("d/l", "f")
                        .Finish();
    ASSERT_EQ(a.substr(0, 6), "070702");
    Result r = Parse(a);
    ASSERT_EQ(r.rc, 0) << r.error;
    EXPECT_EQ(Names(r), "/d /d/f /d/l ");
}

TEST(CpioRead, CrcFormatChecksOnlyRegularFiles)
{
    // GNU cpio leaves the check field 0 for symlinks; it must not matter.
    CpioWriter w(/*crc=*/true);
    w.Symlink("l", "target");
    std::string a = w.Finish();
    SetField(&a, w.offsets()[0], futura_test::kCheck, 0u);
    Result r = Parse(a);
    EXPECT_EQ(r.rc, 0) << r.error;
}

TEST(CpioRead, NewcIgnoresTheCheckField)
{
    CpioWriter w;
    w.File("f", "abc");
    std::string a = w.Finish();
    SetField(&a, w.offsets()[0], futura_test::kCheck, 0xdeadbeefu);
    EXPECT_EQ(Parse(a).rc, 0);
}

// --- Names ----------------------------------------------------------------

struct NameCase {
    const char *raw;
    const char *normalized;
};

TEST(CpioName, NormalizedToAbsoluteCanonicalPaths)
{
    const NameCase cases[] = {
        {"a", "/a"},
        {"./a", "/a"},
        {"/a", "/a"},
        {"//a", "/a"},
        {"./././a", "/a"},
        {".//a/", "/a"},
        {"a/b/", "/a/b"},
        {"a//b", "/a/b"},
        {"a/./b", "/a/b"},
        {"a/../b", "/b"},
        {"a/b/../../c", "/c"},
        {"a/..", "/"},
        {".", "/"},
        {"./", "/"},
        {"/", "/"},
        {"...", "/..."},
        {"a/.b/..c", "/a/.b/..c"},
        {"weird name\t!", "/weird name\t!"},
    };
    for (const NameCase &c : cases) {
        Result r = Parse(CpioWriter().Dir(c.raw).Finish());
        ASSERT_EQ(r.rc, 0) << c.raw << ": " << r.error;
        ASSERT_EQ(r.entries.size(), 1u);
        EXPECT_EQ(r.entries[0].name, c.normalized) << "raw name \"" << c.raw << "\"";
    }
}

TEST(CpioName, RejectsNamesThatEscapeTheRoot)
{
    for (const char *raw :
         {"..", "../a", "/..", "./../etc/passwd", "a/../..", "a/b/../../../c", "/../../x"}) {
        Result r = Parse(CpioWriter().File(raw, "x").Finish());
        EXPECT_EQ(r.rc, -EINVAL) << raw;
        EXPECT_NE(r.error.find("escapes the archive root"), std::string::npos) << r.error;
        EXPECT_TRUE(r.entries.empty());
    }
}

TEST(CpioName, RejectsAnEmptyName)
{
    Result r = Parse(CpioWriter().File("ok", "").File("", "x").Finish());
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.error, "cpio: entry 1 at offset 0x74: empty name") << r.error;
}

TEST(CpioName, RejectsANulInsideTheName)
{
    Result r = Parse(CpioWriter().File(std::string("evil\0/etc/passwd", 16), "x").Finish());
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("contains a NUL byte"), std::string::npos) << r.error;
}

TEST(CpioName, RejectsANameWithoutTerminatingNul)
{
    CpioWriter w;
    w.File("abcd", "x");
    std::string a = w.Finish();
    a[w.offsets()[0] + futura_test::kHeaderSize + 4] = 'e'; // the NUL
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("\"abcde\" is not NUL-terminated"), std::string::npos) << r.error;
}

TEST(CpioName, LongestAcceptedNameIs4095Bytes)
{
    std::string ok = "/" + std::string(4094, 'n'); // 4095 bytes, already absolute
    Result r = Parse(CpioWriter().File(ok, "").Finish());
    ASSERT_EQ(r.rc, 0) << r.error;
    EXPECT_EQ(r.entries[0].name, ok);

    Result too_long = Parse(CpioWriter().File(ok + "n", "").Finish());
    EXPECT_EQ(too_long.rc, -ENAMETOOLONG);
    EXPECT_NE(too_long.error.find("name is 0x1000 bytes long; the limit is 0xfff"),
              std::string::npos)
        << too_long.error;

    // 4095 bytes without the leading slash are 4096 once made absolute.
    Result relative = Parse(CpioWriter().File(std::string(4095, 'n'), "").Finish());
    EXPECT_EQ(relative.rc, -ENAMETOOLONG) << relative.error;
}

TEST(CpioName, HostileNamesAreQuotedPrintablyAndShortened)
{
    std::string raw = "../" + std::string(100, '\x1b');
    Result r = Parse(CpioWriter().File(raw, "").Finish());
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("name \"../?????"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("...\" escapes"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find('\x1b'), std::string::npos);
}

// --- Malformed archives ---------------------------------------------------

TEST(CpioMalformed, BadMagic)
{
    std::string a = CpioWriter().File("a", "1").Finish();
    a[5] = '9';
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.error, "cpio: entry 0 at offset 0x0: bad magic \"070709\" (expected \"070701\" or "
                       "\"070702\")");
}

TEST(CpioMalformed, OldPortableFormatIsNamed)
{
    std::string a = CpioWriter().File("a", "1").Finish();
    a.replace(0, 6, "070707");
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("old portable format"), std::string::npos) << r.error;
}

TEST(CpioMalformed, NonHexDigitInAnyField)
{
    static const char *const names[] = {
        "ino",      "mode",     "uid",       "gid",       "nlink",    "mtime", "filesize",
        "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"};
    for (int f = 0; f < futura_test::kNumFields; f++) {
        for (const char *bad : {"0000000g", " 0000001", "-0000001", "0x000001"}) {
            CpioWriter w;
            w.File("a", "1").File("b", "2");
            std::string a = w.Finish();
            SetField(&a, w.offsets()[1], static_cast<futura_test::CpioField>(f), bad);
            Result r = Parse(a);
            EXPECT_EQ(r.rc, -EINVAL);
            EXPECT_EQ(r.entries.size(), 1u);
            EXPECT_EQ(r.error, std::string("cpio: entry 1 at offset 0x74: field ") + names[f] +
                                   " \"" + bad + "\" is not 8 hex digits");
        }
    }
}

TEST(CpioMalformed, UnprintableFieldBytesAreNotEchoed)
{
    CpioWriter w;
    w.File("a", "1");
    std::string a = w.Finish();
    SetField(&a, 0, futura_test::kUid, std::string("00\n\0\200000", 8));
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("field uid \"00???000\""), std::string::npos) << r.error;
}

TEST(CpioMalformed, TruncatedHeader)
{
    std::string a = CpioWriter().File("a", "1").Body();
    Result r = Parse(a + "070701000000");
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.error, "cpio: entry 1 at offset 0x74: header truncated: 0xc of 0x6e bytes before "
                       "the end of the archive");
}

TEST(CpioMalformed, NameSizeZero)
{
    CpioWriter w;
    w.File("a", "1");
    std::string a = w.Finish();
    SetField(&a, 0, futura_test::kNamesize, 0u);
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.error, "cpio: entry 0 at offset 0x0: name size is 0");
}

TEST(CpioMalformed, NameSizePastTheEnd)
{
    CpioWriter w;
    w.File("a", "1");
    std::string a = w.Finish();
    SetField(&a, 0, futura_test::kNamesize, 0xffffffffu);
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.error, "cpio: entry 0 at offset 0x0: name size 0xffffffff runs past the end of "
                       "the archive (0xf0 bytes)");
}

TEST(CpioMalformed, FileSizePastTheEnd)
{
    CpioWriter w;
    w.File("a", "1").File("b", "2").File("c", "3").File("d", "4");
    std::string a = w.Finish(0x2000);
    SetField(&a, w.offsets()[3], futura_test::kFilesize, 0x100000u);
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.entries.size(), 3u);
    EXPECT_EQ(r.error, "cpio: entry 3 at offset 0x15c: file size 0x100000 runs past the end of "
                       "the archive (0x2000 bytes)");
}

TEST(CpioMalformed, PaddingAfterTheNamePastTheEnd)
{
    // An empty file whose padded name would end 2 bytes past the archive.
    std::string a = CpioWriter().File("ab", "").Body(); // 110 + 3 -> padded to 116
    Result r = Parse(a.substr(0, 113));
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("padding after the name runs past the end"), std::string::npos)
        << r.error;
}

TEST(CpioMalformed, PaddingAfterTheDataPastTheEnd)
{
    std::string a = CpioWriter().File("abc", "x").Body(); // data at 116, 1 byte, padded to 120
    Result r = Parse(a.substr(0, 117));
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("padding after the data runs past the end"), std::string::npos)
        << r.error;
}

TEST(CpioMalformed, MissingTrailer)
{
    std::string a = CpioWriter().File("a", "1").File("b", "2").Body();
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.error,
              "cpio: entry 2 at offset 0xe8: the archive ends without a \"TRAILER!!!\" entry");
}

TEST(CpioMalformed, EmptyBuffer)
{
    Result r = Parse("");
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("without a \"TRAILER!!!\" entry"), std::string::npos);
}

TEST(CpioMalformed, UnknownFileTypeOrModeBits)
{
    for (uint32_t mode : {0u, 0170644u, 0030644u, 0200644u, 0xffffffffu}) {
        CpioWriter w;
        w.File("a", "1");
        std::string a = w.Finish();
        SetField(&a, 0, futura_test::kMode, mode);
        Result r = Parse(a);
        EXPECT_EQ(r.rc, -EINVAL) << std::oct << mode;
        EXPECT_NE(r.error.find("is not a known file type"), std::string::npos) << r.error;
    }
}

TEST(CpioMalformed, CrcMismatchIsAnIoError)
{
    CpioWriter w(/*crc=*/true);
    w.File("f", "payload");
    std::string a = w.Finish();
    a[w.offsets()[0] + futura_test::kHeaderSize + 2] ^= 1; // the first data byte, after "f\0"
    Result r = Parse(a);
    EXPECT_EQ(r.rc, -EIO);
    EXPECT_NE(r.error.find("checksum 0x"), std::string::npos) << r.error;
}

TEST(CpioMalformed, UnalignedStartOffset)
{
    std::string a = "xx" + CpioWriter().File("a", "1").Finish();
    Result r = Parse(a, 2);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("does not start at a multiple of 4"), std::string::npos) << r.error;
}

TEST(CpioMalformed, StartOffsetPastTheEnd)
{
    Result r = Parse(CpioWriter().Finish(), 1000);
    EXPECT_EQ(r.rc, -EINVAL);
    EXPECT_NE(r.error.find("starts past the end"), std::string::npos) << r.error;
}

TEST(CpioMalformed, EveryTruncationBeforeTheTrailersEndFails)
{
    std::string a = CpioWriter()
                        .Dir("d")
                        .File("d/file", "some contents")
                        .Symlink("d/link", "file")
                        .File("d/empty", "")
                        .Finish(512);
    Result full = Parse(a);
    ASSERT_EQ(full.rc, 0) << full.error;
    for (size_t len = 0; len < a.size(); len++) {
        Result r = Parse(a.substr(0, len));
        if (len < full.end) {
            EXPECT_LT(r.rc, 0) << "truncated to " << len;
            // Entries complete before the cut are still read, and read the same.
            for (size_t i = 0; i < r.entries.size(); i++)
                EXPECT_TRUE(r.entries[i] == full.entries[i]);
        } else {
            EXPECT_EQ(r.rc, 0) << "truncated to " << len << ": " << r.error;
            EXPECT_EQ(r.entries.size(), full.entries.size());
        }
    }
}

// --- Randomized mutation against a reference model ------------------------

// An independent, deliberately plain reading of the newc format (same checks,
// same order), used to judge what the reader makes of mutated archives.
Result ReferenceParse(const std::string &a, size_t start = 0)
{
    Result res;
    size_t pos = start;
    auto hex = [](const std::string &s, uint32_t *v) {
        *v = 0;
        for (char c : s) {
            if (!isxdigit(static_cast<unsigned char>(c)))
                return false;
            *v = *v * 16 + static_cast<uint32_t>(isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0'
                                                     : tolower(c) - 'a' + 10);
        }
        return true;
    };
    auto pad = [](size_t v) { return (v + 3) / 4 * 4; };
    for (;;) {
        res.rc = -EINVAL;
        if (pos == a.size() || a.size() - pos < 110)
            return res;
        std::string magic = a.substr(pos, 6);
        if (magic != "070701" && magic != "070702")
            return res;
        uint32_t f[13];
        for (int i = 0; i < 13; i++) {
            if (!hex(a.substr(pos + 6 + 8 * i, 8), &f[i]))
                return res;
        }
        uint64_t namesize = f[11], filesize = f[6];
        uint64_t name_off = pos + 110;
        if (namesize == 0 || name_off + namesize > a.size())
            return res;
        uint64_t data_off = pad(name_off + namesize);
        if (data_off > a.size() || data_off + filesize > a.size() ||
            pad(data_off + filesize) > a.size())
            return res;
        std::string raw = a.substr(name_off, namesize);
        if (raw == std::string("TRAILER!!!", 11)) {
            res.rc = 0;
            res.end = pad(data_off + filesize);
            return res;
        }
        uint32_t type = f[1] & 0170000;
        bool known = type == 0140000 || type == 0120000 || type == 0100000 || type == 0060000 ||
                     type == 0040000 || type == 0020000 || type == 0010000;
        if (!known || (f[1] & ~0177777u))
            return res;
        if (raw.back() != '\0')
            return res;
        raw.pop_back();
        if (raw.find('\0') != std::string::npos || raw.empty())
            return res;
        if (raw.size() >= 4096) {
            res.rc = -ENAMETOOLONG;
            return res;
        }
        std::vector<std::string> parts;
        size_t i = 0;
        while (i <= raw.size()) {
            size_t j = raw.find('/', i);
            if (j == std::string::npos)
                j = raw.size();
            std::string c = raw.substr(i, j - i);
            i = j + 1;
            if (c.empty() || c == ".")
                continue;
            if (c == "..") {
                if (parts.empty())
                    return res;
                parts.pop_back();
            } else {
                parts.push_back(c);
            }
        }
        std::string name;
        for (const std::string &p : parts)
            name += "/" + p;
        if (name.empty())
            name = "/";
        if (name.size() >= 4096) {
            res.rc = -ENAMETOOLONG;
            return res;
        }
        std::string data = a.substr(data_off, filesize);
        if (magic == "070702" && type == 0100000) {
            uint32_t sum = 0;
            for (unsigned char c : data)
                sum += c;
            if (sum != f[12]) {
                res.rc = -EIO;
                return res;
            }
        }
        res.entries.push_back(Parsed{name, f[1], f[2], f[3], f[4], f[5], f[0], f[7], f[8], f[9],
                                     f[10], static_cast<size_t>(data_off), data, pos,
                                     res.entries.size()});
        pos = pad(data_off + filesize);
    }
}

std::vector<std::string> SeedArchives()
{
    CpioEntry l1, l2;
    l1.name = "bin/a";
    l2.name = "bin/b";
    l1.ino = l2.ino = 77;
    l1.nlink = l2.nlink = 2;
    l2.data = "linked";
    CpioEntry dev;
    dev.name = "dev/null";
    dev.mode = 020666;
    dev.rdev_major = 1;
    dev.rdev_minor = 3;
    return {
        CpioWriter()
            .Dir(".")
            .Dir("etc")
            .File("etc/motd", "Welcome to Futura\n")
            .File("./etc/hostname", "futura")
            .Symlink("etc/issue", "motd")
            .File("etc/empty", "")
            .Finish(512),
        CpioWriter().Dir("bin").Add(l1).Add(l2).Add(dev).File("a/../b", "b").Finish(),
        CpioWriter(/*crc=*/true)
            .File("x", std::string(300, '\xab'))
            .Symlink("y", "x")
            .File("z/w", "zw")
            .Finish(),
    };
}

void Mutate(std::string *a, std::mt19937 *rng)
{
    auto pick = [rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(*rng); };
    static const char kHex[] = "0123456789abcdefABCDEF";
    int kinds = 1 + static_cast<int>(pick(3));
    for (int k = 0; k < kinds && !a->empty(); k++) {
        switch (pick(7)) {
        case 0: // any byte to any value
            (*a)[pick(a->size())] = static_cast<char>(pick(256));
            break;
        case 1: // one bit
            (*a)[pick(a->size())] ^= static_cast<char>(1 << pick(8));
            break;
        case 2: // one hex digit of a header field in the first header
            if (a->size() >= 110)
                (*a)[6 + pick(104)] = kHex[pick(sizeof(kHex) - 1)];
            break;
        case 3: { // a hex digit anywhere that looks like a header field
            size_t at = pick(a->size());
            if (isxdigit(static_cast<unsigned char>((*a)[at])))
                (*a)[at] = kHex[pick(sizeof(kHex) - 1)];
            break;
        }
        case 4: // truncate
            a->resize(pick(a->size() + 1));
            break;
        case 5: // delete a few bytes
        {
            size_t at = pick(a->size());
            a->erase(at, 1 + pick(8));
            break;
        }
        case 6: // insert a few bytes
            a->insert(pick(a->size() + 1), std::string(1 + pick(8), kHex[pick(16)]));
            break;
        }
    }
}

TEST(CpioMutation, MatchesReferenceModelAndNeverReadsOutside)
{
    std::vector<std::string> seeds = SeedArchives();
    for (const std::string &s : seeds) {
        Result r = Parse(s);
        ASSERT_EQ(r.rc, 0) << r.error;
        Result ref = ReferenceParse(s);
        ASSERT_EQ(ref.rc, 0);
        ASSERT_EQ(ref.entries.size(), r.entries.size());
    }
    int accepted = 0, rejected = 0;
    for (uint32_t seed : {1u, 2u, 3u, 0xf00du}) {
        std::mt19937 rng(seed);
        for (int iter = 0; iter < 3000; iter++) {
            std::string a = seeds[iter % seeds.size()];
            Mutate(&a, &rng);
            Result r = Parse(a);
            Result ref = ReferenceParse(a);
            ASSERT_EQ(r.rc, ref.rc) << "seed " << seed << " iteration " << iter << ": " << r.error;
            ASSERT_EQ(r.entries.size(), ref.entries.size()) << "seed " << seed << " it " << iter;
            for (size_t i = 0; i < r.entries.size(); i++)
                ASSERT_TRUE(r.entries[i] == ref.entries[i])
                    << "seed " << seed << " iteration " << iter << " entry " << i << " "
                    << r.entries[i].name << " vs " << ref.entries[i].name;
            if (r.rc == 0) {
                EXPECT_EQ(r.end, ref.end);
            }
            (r.rc == 0 ? accepted : rejected)++;
        }
    }
    // Both outcomes are exercised, or the test proves little.
    EXPECT_GT(accepted, 500);
    EXPECT_GT(rejected, 500);
}

TEST(CpioMutation, RandomBytesAfterAValidHeaderPrefix)
{
    // Headers that look right followed by noise: names, sizes and padding
    // from random hex values.
    std::mt19937 rng(99);
    for (int iter = 0; iter < 3000; iter++) {
        std::string a = "07070" + std::string(1, "12"[iter % 2]);
        for (int f = 0; f < 13; f++) {
            uint32_t v = rng();
            if (f == futura_test::kNamesize || f == futura_test::kFilesize)
                v %= 64;
            if (f == futura_test::kMode)
                v = (iter % 2 ? 0100644u : 0040755u);
            a += futura_test::Hex8(v, false);
        }
        size_t tail = rng() % 200;
        for (size_t i = 0; i < tail; i++)
            a.push_back(static_cast<char>(rng() % 4 == 0 ? 0 : "ab./"[rng() % 4]));
        Result r = Parse(a);
        Result ref = ReferenceParse(a);
        ASSERT_EQ(r.rc, ref.rc) << iter << ": " << r.error;
        ASSERT_EQ(r.entries.size(), ref.entries.size()) << iter;
    }
}

} // namespace
