// Host tests for the initramfs unpacker: archives from the in-test cpio writer,
// file-system operations recorded by a fake as one line per call.
#include "futura/vfs/initramfs.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cpio_test_writer.h"
#include "futura/vfs/cpio.h"

namespace
{

using futura_test::CpioEntry;
using futura_test::CpioWriter;

std::string Attr(const fut_initramfs_attr *a)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%06o %u:%u t=%u", a->mode, a->uid, a->gid, a->mtime);
    return buf;
}

// Records every operation; can make the Nth call fail.
class FakeFs
{
  public:
    FakeFs()
    {
        ops_.mkdir_p = MkdirP;
        ops_.create_file = CreateFile;
        ops_.symlink = Symlink;
        ops_.link = Link;
        ops_.mknod = Mknod;
    }

    void FailCall(size_t n, int err)
    {
        fail_at_ = n;
        fail_err_ = err;
    }
    void DropMknod()
    {
        ops_.mknod = nullptr;
    }

    // Unpacks `archive` from an exact-size heap copy (ASan sees any stray read).
    int Unpack(const std::string &archive, size_t errlen = FUT_CPIO_ERR_MAX)
    {
        std::unique_ptr<char[]> buf(new char[archive.size() ? archive.size() : 1]);
        memcpy(buf.get(), archive.data(), archive.size());
        std::vector<char> err(errlen ? errlen : 1, 'x');
        int rc = fut_initramfs_unpack(buf.get(), archive.size(), &ops_, this,
                                      errlen ? err.data() : nullptr, errlen);
        error = errlen ? std::string(err.data()) : "";
        return rc;
    }

    std::vector<std::string> calls;
    std::string error;

  private:
    int Record(const std::string &call)
    {
        EXPECT_EQ(call.find(" /"), call.find(' ')) << "paths are absolute: " << call;
        calls.push_back(call);
        return calls.size() == fail_at_ ? fail_err_ : 0;
    }
    static FakeFs *Self(void *ctx)
    {
        return static_cast<FakeFs *>(ctx);
    }
    static int MkdirP(void *ctx, const char *path, const fut_initramfs_attr *a)
    {
        return Self(ctx)->Record(std::string("mkdir_p ") + path + " " + Attr(a));
    }
    static int CreateFile(void *ctx, const char *path, const fut_initramfs_attr *a,
                          const void *data, size_t size)
    {
        return Self(ctx)->Record(std::string("create_file ") + path + " " + Attr(a) + " \"" +
                                 std::string(static_cast<const char *>(data), size) + "\"");
    }
    static int Symlink(void *ctx, const char *path, const fut_initramfs_attr *a, const char *target,
                       size_t len)
    {
        return Self(ctx)->Record(std::string("symlink ") + path + " " + Attr(a) + " -> " +
                                 std::string(target, len));
    }
    static int Link(void *ctx, const char *path, const char *existing)
    {
        return Self(ctx)->Record(std::string("link ") + path + " = " + existing);
    }
    static int Mknod(void *ctx, const char *path, const fut_initramfs_attr *a, uint32_t major,
                     uint32_t minor)
    {
        return Self(ctx)->Record(std::string("mknod ") + path + " " + Attr(a) + " " +
                                 std::to_string(major) + ":" + std::to_string(minor));
    }

    fut_initramfs_ops ops_{};
    size_t fail_at_ = 0; // 1-based call number to fail, 0 = never
    int fail_err_ = 0;
};

using Calls = std::vector<std::string>;

CpioEntry Member(const std::string &name, uint32_t ino, uint32_t nlink, const std::string &data,
                 uint32_t dev_minor = 0)
{
    CpioEntry e;
    e.name = name;
    e.ino = ino;
    e.nlink = nlink;
    e.data = data;
    e.dev_minor = dev_minor;
    return e;
}

TEST(InitramfsUnpack, AppliesEveryEntryInArchiveOrder)
{
    FakeFs fs;
    std::string a = CpioWriter()
                        .Dir("etc")
                        .File("etc/motd", "Welcome to Futura\n")
                        .Symlink("etc/issue", "motd")
                        .File("bin/prog", "\177ELF", 0755)
                        .File("empty", "")
                        .Finish(512);
    EXPECT_EQ(fs.Unpack(a), 5);
    EXPECT_EQ(fs.error, "");
    EXPECT_EQ(fs.calls, (Calls{
                            "mkdir_p /etc 040755 0:0 t=0",
                            "create_file /etc/motd 100644 0:0 t=0 \"Welcome to Futura\n\"",
                            "symlink /etc/issue 120777 0:0 t=0 -> motd",
                            "create_file /bin/prog 100755 0:0 t=0 \"\177ELF\"",
                            "create_file /empty 100644 0:0 t=0 \"\"",
                        }));
}

TEST(InitramfsUnpack, PassesOwnerModeAndTime)
{
    CpioEntry e;
    e.name = "./home/user/.profile";
    e.mode = 0104750;
    e.uid = 1000;
    e.gid = 100;
    e.mtime = 1700000000;
    e.data = "x";
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(CpioWriter().Add(e).Finish()), 1);
    EXPECT_EQ(fs.calls,
              (Calls{"create_file /home/user/.profile 104750 1000:100 t=1700000000 \"x\""}));
}

TEST(InitramfsUnpack, RootEntrySetsTheRootDirectory)
{
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(CpioWriter().Dir(".", 0700).File("./a", "").Finish()), 2);
    EXPECT_EQ(fs.calls, (Calls{"mkdir_p / 040700 0:0 t=0", "create_file /a 100644 0:0 t=0 \"\""}));
}

TEST(InitramfsUnpack, RootThatIsNotADirectoryIsRejected)
{
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(CpioWriter().File("./", "x").Finish()), -EINVAL);
    EXPECT_TRUE(fs.calls.empty());
    EXPECT_EQ(fs.error, "initramfs: entry 0 (\"/\") at offset 0x0: the archive root must be a "
                        "directory (mode 0100644)");
}

TEST(InitramfsUnpack, HardLinkGroupIsOneFileWithTheCarriedDataAndLinks)
{
    // As GNU cpio writes a group: data with the last member only.
    FakeFs fs;
    std::string a = CpioWriter()
                        .Add(Member("bin/a", 7, 3, ""))
                        .File("other", "o")
                        .Add(Member("bin/b", 7, 3, ""))
                        .Add(Member("sbin/c", 7, 3, "shared"))
                        .Finish();
    EXPECT_EQ(fs.Unpack(a), 4);
    EXPECT_EQ(fs.calls, (Calls{
                            "create_file /bin/a 100644 0:0 t=0 \"shared\"",
                            "create_file /other 100644 0:0 t=0 \"o\"",
                            "link /bin/b = /bin/a",
                            "link /sbin/c = /bin/a",
                        }));
}

TEST(InitramfsUnpack, HardLinkDataOnTheFirstMemberIsKept)
{
    FakeFs fs;
    std::string a =
        CpioWriter().Add(Member("a", 7, 2, "first")).Add(Member("b", 7, 2, "")).Finish();
    EXPECT_EQ(fs.Unpack(a), 2);
    EXPECT_EQ(fs.calls, (Calls{"create_file /a 100644 0:0 t=0 \"first\"", "link /b = /a"}));
}

TEST(InitramfsUnpack, HardLinkGroupsAreToldApartByInoAndDevice)
{
    FakeFs fs;
    std::string a = CpioWriter()
                        .Add(Member("x1", 7, 2, "", /*dev_minor=*/1))
                        .Add(Member("y1", 7, 2, "", /*dev_minor=*/2))
                        .Add(Member("x2", 7, 2, "X", 1))
                        .Add(Member("y2", 7, 2, "Y", 2))
                        .Add(Member("single", 7, 1, "S", 1)) // nlink 1: not in a group
                        .Finish();
    EXPECT_EQ(fs.Unpack(a), 5);
    EXPECT_EQ(fs.calls, (Calls{
                            "create_file /x1 100644 0:0 t=0 \"X\"",
                            "create_file /y1 100644 0:0 t=0 \"Y\"",
                            "link /x2 = /x1",
                            "link /y2 = /y1",
                            "create_file /single 100644 0:0 t=0 \"S\"",
                        }));
}

TEST(InitramfsUnpack, HardLinkDataBeyondAMalformedEntryIsNotUsed)
{
    CpioWriter w;
    w.Add(Member("a", 7, 2, "")).File("bad", "").Add(Member("b", 7, 2, "late data"));
    std::string a = w.Finish();
    a[w.offsets()[1]] = 'X'; // bad magic
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(a), -EINVAL);
    EXPECT_EQ(fs.calls, (Calls{"create_file /a 100644 0:0 t=0 \"\""}));
}

TEST(InitramfsUnpack, HardLinksDoNotReachAcrossConcatenatedArchives)
{
    std::string first = CpioWriter().Add(Member("a", 7, 2, "A")).Finish(512);
    std::string second = CpioWriter().Add(Member("b", 7, 2, "B")).Finish();
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(first + second), 2);
    EXPECT_EQ(fs.calls, (Calls{"create_file /a 100644 0:0 t=0 \"A\"",
                               "create_file /b 100644 0:0 t=0 \"B\""}));
}

TEST(InitramfsUnpack, RepeatedNameInAHardLinkGroupAddsNothing)
{
    FakeFs fs;
    EXPECT_EQ(
        fs.Unpack(CpioWriter().Add(Member("a", 7, 2, "")).Add(Member("./a", 7, 2, "d")).Finish()),
        2);
    EXPECT_EQ(fs.calls, (Calls{"create_file /a 100644 0:0 t=0 \"d\""}));
}

TEST(InitramfsUnpack, SymlinkTargetsMustBeNonEmptyWithoutNul)
{
    FakeFs empty;
    EXPECT_EQ(empty.Unpack(CpioWriter().Symlink("l", "").Finish()), -EINVAL);
    EXPECT_EQ(empty.error,
              "initramfs: entry 0 (\"/l\") at offset 0x0: symlink has an empty target");

    FakeFs nul;
    EXPECT_EQ(nul.Unpack(CpioWriter().Symlink("l", std::string("a\0b", 3)).Finish()), -EINVAL);
    EXPECT_NE(nul.error.find("symlink target contains a NUL byte"), std::string::npos);

    FakeFs too_long;
    EXPECT_EQ(too_long.Unpack(CpioWriter().Symlink("l", std::string(4096, 'x')).Finish()),
              -ENAMETOOLONG);
    EXPECT_NE(too_long.error.find("symlink target is 0x1000 bytes"), std::string::npos);

    FakeFs longest;
    EXPECT_EQ(longest.Unpack(CpioWriter().Symlink("l", std::string(4095, 'x')).Finish()), 1);
    EXPECT_TRUE(empty.calls.empty() && nul.calls.empty() && too_long.calls.empty());
}

TEST(InitramfsUnpack, DeviceNodesFifosAndSocketsGoToMknod)
{
    CpioEntry con, fifo;
    con.name = "dev/console";
    con.mode = 020600;
    con.rdev_major = 5;
    con.rdev_minor = 1;
    fifo.name = "run/fifo";
    fifo.mode = 010644;
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(CpioWriter().Add(con).Add(fifo).Finish()), 2);
    EXPECT_EQ(fs.calls, (Calls{"mknod /dev/console 020600 0:0 t=0 5:1",
                               "mknod /run/fifo 010644 0:0 t=0 0:0"}));
}

TEST(InitramfsUnpack, DeviceNodesWithoutMknodFail)
{
    CpioEntry con;
    con.name = "dev/console";
    con.mode = 020600;
    FakeFs fs;
    fs.DropMknod();
    EXPECT_EQ(fs.Unpack(CpioWriter().File("a", "").Add(con).File("b", "").Finish()), -ENOSYS);
    EXPECT_EQ(fs.calls, (Calls{"create_file /a 100644 0:0 t=0 \"\""}));
    EXPECT_NE(fs.error.find("device nodes, FIFOs and sockets are not supported"),
              std::string::npos);
}

TEST(InitramfsUnpack, MalformedEntryStopsUnpackingAndEarlierEntriesStay)
{
    CpioWriter w;
    w.Dir("d").File("d/a", "1").File("d/b", "2").File("d/c", "3");
    std::string a = w.Finish();
    futura_test::SetField(&a, w.offsets()[2], futura_test::kFilesize, 0x100000u);
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(a), -EINVAL);
    EXPECT_EQ(fs.calls,
              (Calls{"mkdir_p /d 040755 0:0 t=0", "create_file /d/a 100644 0:0 t=0 \"1\""}));
    EXPECT_EQ(fs.error, "cpio: entry 2 at offset 0xe8: file size 0x100000 runs past the end of "
                        "the archive (0x254 bytes)");
}

TEST(InitramfsUnpack, FailedOperationStopsUnpackingAndIsReported)
{
    FakeFs fs;
    fs.FailCall(2, -ENOSPC);
    EXPECT_EQ(fs.Unpack(CpioWriter().File("a", "1").File("b", "2").File("c", "3").Finish()),
              -ENOSPC);
    EXPECT_EQ(fs.calls.size(), 2u);
    EXPECT_EQ(fs.error,
              "initramfs: entry 1 (\"/b\") at offset 0x74: create_file failed (error -28)");
}

TEST(InitramfsUnpack, FailedLinkNamesBothPaths)
{
    FakeFs fs;
    fs.FailCall(2, -EMLINK);
    EXPECT_EQ(
        fs.Unpack(CpioWriter().Add(Member("a", 7, 2, "")).Add(Member("b", 7, 2, "d")).Finish()),
        -EMLINK);
    EXPECT_EQ(fs.error, "initramfs: entry 1 (\"/b\") at offset 0x70: link to \"/a\" failed "
                        "(error -31)");
}

TEST(InitramfsUnpack, ConcatenatedArchivesAreAppliedInOrder)
{
    std::string first = CpioWriter().Dir("etc").File("etc/motd", "base").Finish(512);
    std::string second = CpioWriter().File("etc/motd", "override").File("extra", "e").Finish();
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(first + second + std::string(100, '\0')), 4);
    EXPECT_EQ(fs.calls, (Calls{
                            "mkdir_p /etc 040755 0:0 t=0",
                            "create_file /etc/motd 100644 0:0 t=0 \"base\"",
                            "create_file /etc/motd 100644 0:0 t=0 \"override\"",
                            "create_file /extra 100644 0:0 t=0 \"e\"",
                        }));
}

TEST(InitramfsUnpack, JunkAfterTheTrailerIsAnError)
{
    std::string a = CpioWriter().File("a", "1").Finish(512);
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(a + "junk"), -EINVAL);
    EXPECT_EQ(fs.calls.size(), 1u);
    EXPECT_EQ(fs.error, "cpio: entry 0 at offset 0x200: header truncated: 0x4 of 0x6e bytes "
                        "before the end of the archive");
}

TEST(InitramfsUnpack, SecondArchiveMustBeFourByteAligned)
{
    std::string a = CpioWriter().File("a", "1").Finish(4);
    std::string b = CpioWriter().File("b", "2").Finish(4);
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(a + std::string(5, '\0') + b), -EINVAL);
    EXPECT_NE(fs.error.find("does not start at a multiple of 4"), std::string::npos) << fs.error;
}

TEST(InitramfsUnpack, EmptyOrAllZeroBufferIsAnError)
{
    FakeFs empty;
    EXPECT_EQ(empty.Unpack(""), -EINVAL);
    EXPECT_NE(empty.error.find("TRAILER!!!"), std::string::npos);
    FakeFs zeros;
    EXPECT_EQ(zeros.Unpack(std::string(512, '\0')), -EINVAL);
    EXPECT_NE(zeros.error.find("bad magic"), std::string::npos);
}

TEST(InitramfsUnpack, ErrorBufferIsOptionalAndBounded)
{
    std::string bad = CpioWriter().File("../x", "").Finish();
    FakeFs none;
    EXPECT_EQ(none.Unpack(bad, 0), -EINVAL);
    FakeFs tiny;
    EXPECT_EQ(tiny.Unpack(bad, 10), -EINVAL);
    EXPECT_EQ(tiny.error, "cpio: ent");
    FakeFs op_tiny;
    op_tiny.FailCall(1, -EIO);
    EXPECT_EQ(op_tiny.Unpack(CpioWriter().File("a", "").Finish(), 12), -EIO);
    EXPECT_EQ(op_tiny.error, "initramfs: ");
}

TEST(InitramfsUnpack, SuccessLeavesAnEmptyMessage)
{
    FakeFs fs;
    EXPECT_EQ(fs.Unpack(CpioWriter().Finish()), 0);
    EXPECT_EQ(fs.error, "");
    EXPECT_TRUE(fs.calls.empty());
}

TEST(InitramfsUnpack, MutatedArchivesNeverCrashAndAlwaysExplainFailure)
{
    std::string seed = CpioWriter()
                           .Dir(".")
                           .Dir("etc")
                           .File("etc/motd", "Welcome to Futura\n")
                           .Symlink("etc/issue", "motd")
                           .Add(Member("bin/a", 9, 2, ""))
                           .Add(Member("bin/b", 9, 2, "ab"))
                           .Finish(512);
    seed += CpioWriter().File("etc/motd", "layered").Finish();
    std::mt19937 rng(2024);
    int ok = 0, failed = 0;
    for (int iter = 0; iter < 4000; iter++) {
        std::string a = seed;
        for (int k = 0; k < 1 + iter % 3; k++) {
            size_t at = rng() % a.size();
            switch (rng() % 3) {
            case 0: a[at] = static_cast<char>(rng()); break;
            case 1: a[at] = "0123456789abcdef/."[rng() % 18]; break;
            case 2: a.resize(at); break;
            }
            if (a.empty())
                break;
        }
        FakeFs fs;
        int rc = fs.Unpack(a);
        if (rc >= 0) {
            EXPECT_EQ(fs.error, "") << iter;
            EXPECT_LE(fs.calls.size(), static_cast<size_t>(rc)) << iter;
            ok++;
        } else {
            EXPECT_TRUE(fs.error.rfind("cpio: ", 0) == 0 || fs.error.rfind("initramfs: ", 0) == 0)
                << iter << ": " << fs.error;
            failed++;
        }
    }
    EXPECT_GT(ok, 100);
    EXPECT_GT(failed, 100);
}

} // namespace
