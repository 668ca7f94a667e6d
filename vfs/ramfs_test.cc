// Host tests for RamFS (vfs/ramfs*.c) through the kernel file API: file
// data and holes, truncate, hard links, unlinked-but-open files, rename,
// rmdir/unlink rules, readdir under concurrent unlink, attributes, and the
// page provider that file mappings use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/vfs/ramfs.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/vfs.h"

namespace
{

using fut_test::VfsTest;

constexpr uint64_t kPage = 4096;

class Ramfs : public VfsTest
{
  protected:
    fut_file *Open(const char *path, uint32_t flags, uint32_t mode = 0644)
    {
        fut_file *f = nullptr;
        EXPECT_EQ(fut_vfs_open(nullptr, path, flags, mode, &f), 0) << path;
        return f;
    }

    static std::string Pread(fut_file *f, size_t len, int64_t off)
    {
        std::string buf(len, '?');
        int64_t n = fut_vfs_pread(f, &buf[0], len, off);
        EXPECT_GE(n, 0);
        buf.resize(n < 0 ? 0 : (size_t)n);
        return buf;
    }

    bool Exists(const char *path)
    {
        fut_stat st;
        return fut_vfs_lstat(nullptr, path, &st) == 0;
    }
};

TEST_F(Ramfs, WrittenDataReadsBack)
{
    WriteFile("/f", "hello, world");
    EXPECT_EQ(ReadFile("/f"), "hello, world");
    fut_stat st = Stat("/f");
    EXPECT_EQ(st.st_size, 12);
    EXPECT_EQ(st.st_mode, FUT_S_IFREG | 0644u);
    EXPECT_EQ(st.st_nlink, 1u);
    EXPECT_EQ(st.st_blocks, 8); // one 4 KiB frame
    EXPECT_EQ(st.st_blksize, 4096);
}

TEST_F(Ramfs, DataAcrossPageBoundariesReadsBack)
{
    std::string data;
    for (int i = 0; i < 3 * 4096 + 100; i++)
        data.push_back((char)('a' + i % 26));
    WriteFile("/big", data);
    EXPECT_EQ(ReadFile("/big"), data);
    fut_file *f = Open("/big", FUT_O_RDONLY);
    EXPECT_EQ(Pread(f, 200, 4000), data.substr(4000, 200));
    EXPECT_EQ(Pread(f, 1000, (int64_t)data.size() - 10), data.substr(data.size() - 10));
    EXPECT_EQ(Pread(f, 10, (int64_t)data.size() + 5), "");
    fut_vfs_close(f);
    EXPECT_EQ(Stat("/big").st_blocks, 4 * 8);
}

TEST_F(Ramfs, HolesReadAsZerosAndCostNoFrames)
{
    uint64_t before = FreeFrames();
    fut_file *f = Open("/sparse", FUT_O_RDWR | FUT_O_CREAT);
    ASSERT_NE(f, nullptr);
    // One byte at 1 MiB: pages 0..255 are a hole.
    ASSERT_EQ(fut_vfs_pwrite(f, "x", 1, 1 << 20), 1);
    fut_stat st;
    ASSERT_EQ(fut_vfs_fstat(f, &st), 0);
    EXPECT_EQ(st.st_size, (1 << 20) + 1);
    EXPECT_EQ(st.st_blocks, 8); // only the page holding the byte
    EXPECT_EQ(Pread(f, 3, 0), std::string(3, '\0'));
    EXPECT_EQ(Pread(f, 2, (1 << 20) - 1), std::string("\0x", 2));
    // The data frame plus one radix node, whatever the heap used.
    EXPECT_LE(before - FreeFrames(), 2u + 2u);
    fut_vfs_close(f);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/sparse"), 0);
}

// A sink that records each piece and fails (with -EFAULT) from piece number
// `fail_at` on, as a user buffer that ends part way would.
struct PieceLog {
    std::string data;
    std::vector<std::pair<size_t, size_t>> pieces; // (done, n)
    size_t fail_at = SIZE_MAX;

    static int Sink(void *ctx, size_t done, const void *src, size_t n)
    {
        auto *log = static_cast<PieceLog *>(ctx);
        if (log->pieces.size() >= log->fail_at)
            return -EFAULT;
        EXPECT_EQ(done, log->data.size()); // pieces arrive in order, no gaps
        log->pieces.emplace_back(done, n);
        log->data.append(static_cast<const char *>(src), n);
        return 0;
    }
};

TEST_F(Ramfs, ReadPiecesDeliversPageSizedPiecesInOrderWithHolesAsZeros)
{
    std::string data;
    for (int i = 0; i < 3 * 4096; i++)
        data.push_back((char)('A' + i % 23));
    fut_file *f = Open("/p", FUT_O_RDWR | FUT_O_CREAT);
    ASSERT_EQ(fut_vfs_pwrite(f, data.data(), data.size(), 0), (int64_t)data.size());
    ASSERT_EQ(fut_vfs_pwrite(f, "end", 3, 5 * 4096), 3); // pages 3 and 4 are a hole
    std::string whole = data + std::string(2 * 4096, '\0') + "end";

    PieceLog log;
    EXPECT_EQ(fut_vfs_pread_to(f, 1 << 20, 100, PieceLog::Sink, &log),
              (int64_t)whole.size() - 100); // stops at the end of the file
    EXPECT_EQ(log.data, whole.substr(100));
    ASSERT_EQ(log.pieces.size(), 6u);
    EXPECT_EQ(log.pieces[0], std::make_pair((size_t)0, (size_t)(4096 - 100))); // to the page end
    EXPECT_EQ(log.pieces[1].second, 4096u);
    EXPECT_EQ(log.pieces[5].second, 3u);

    PieceLog past_end;
    EXPECT_EQ(fut_vfs_pread_to(f, 10, 6 * 4096, PieceLog::Sink, &past_end), 0);
    EXPECT_TRUE(past_end.pieces.empty());
    EXPECT_EQ(fut_vfs_pread_to(f, 10, -1, PieceLog::Sink, &past_end), -EINVAL);
    fut_vfs_close(f);
}

TEST_F(Ramfs, ReadPiecesStopsAtTheFirstFailingPieceAndCountsWhatWentBefore)
{
    WriteFile("/p", std::string(3 * 4096, 'z'));
    fut_file *f = Open("/p", FUT_O_RDONLY);
    PieceLog second_fails;
    second_fails.fail_at = 1;
    EXPECT_EQ(fut_vfs_pread_to(f, 3 * 4096, 0, PieceLog::Sink, &second_fails), 4096);
    PieceLog first_fails;
    first_fails.fail_at = 0;
    EXPECT_EQ(fut_vfs_pread_to(f, 3 * 4096, 0, PieceLog::Sink, &first_fails), -EFAULT);
    fut_vfs_close(f);

    fut_file *wo = Open("/p", FUT_O_WRONLY);
    PieceLog log;
    EXPECT_EQ(fut_vfs_pread_to(wo, 10, 0, PieceLog::Sink, &log), -EBADF);
    fut_vfs_close(wo);
    fut_file *dir = Open("/", FUT_O_RDONLY | FUT_O_DIRECTORY);
    EXPECT_EQ(fut_vfs_pread_to(dir, 10, 0, PieceLog::Sink, &log), -EISDIR);
    fut_vfs_close(dir);
}

TEST_F(Ramfs, ByteAtTerabyteOffsetNeedsOnlyAFewFrames)
{
    fut_file *f = Open("/far", FUT_O_RDWR | FUT_O_CREAT);
    ASSERT_NE(f, nullptr);
    const int64_t tib = 1ll << 40;
    uint64_t before = FreeFrames();
    ASSERT_EQ(fut_vfs_pwrite(f, "z", 1, tib), 1);
    // A data frame and at most four levels of radix nodes.
    EXPECT_LE(before - FreeFrames(), 5u);
    EXPECT_EQ(Pread(f, 1, tib), "z");
    EXPECT_EQ(Pread(f, 4, tib - 3), std::string("\0\0\0z", 4));
    ASSERT_EQ(fut_vfs_ftruncate(f, 0), 0);
    EXPECT_EQ(FreeFrames(), before);
    fut_vfs_close(f);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/far"), 0);
}

TEST_F(Ramfs, WritesPastTheLargestFileAreEFBIG)
{
    fut_file *f = Open("/max", FUT_O_RDWR | FUT_O_CREAT);
    ASSERT_NE(f, nullptr);
    const int64_t max = (int64_t)FUT_RAMFS_MAX_FILE_SIZE;
    EXPECT_EQ(fut_vfs_pwrite(f, "ab", 2, max), -EFBIG);
    EXPECT_EQ(fut_vfs_pwrite(f, "ab", 2, max - 1), 1); // the part that fits
    EXPECT_EQ(fut_vfs_ftruncate(f, max + 1), -EFBIG);
    EXPECT_EQ(fut_vfs_ftruncate(f, max), 0);
    fut_vfs_close(f);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/max"), 0);
}

TEST_F(Ramfs, TruncateShrinkFreesPagesAndZeroesThePartialTail)
{
    WriteFile("/t", std::string(3 * 4096, 'x'));
    uint64_t before = FreeFrames();
    ASSERT_EQ(fut_vfs_truncate(nullptr, "/t", 5000), 0);
    EXPECT_EQ(FreeFrames(), before + 1); // page 2 freed
    EXPECT_EQ(Stat("/t").st_blocks, 2 * 8);
    EXPECT_EQ(ReadFile("/t"), std::string(5000, 'x'));
    // Growing again shows zeros where the old data was, without frames.
    ASSERT_EQ(fut_vfs_truncate(nullptr, "/t", 3 * 4096), 0);
    EXPECT_EQ(ReadFile("/t"), std::string(5000, 'x') + std::string(3 * 4096 - 5000, '\0'));
    EXPECT_EQ(FreeFrames(), before + 1);
    ASSERT_EQ(fut_vfs_truncate(nullptr, "/t", 0), 0);
    EXPECT_EQ(Stat("/t").st_blocks, 0);
    EXPECT_EQ(ReadFile("/t"), "");
    EXPECT_EQ(fut_vfs_truncate(nullptr, "/t", -1), -EINVAL);
    EXPECT_EQ(fut_vfs_truncate(nullptr, "/", 0), -EISDIR);
}

TEST_F(Ramfs, OpenWithTruncEmptiesTheFile)
{
    WriteFile("/t", "old contents");
    fut_file *f = Open("/t", FUT_O_WRONLY | FUT_O_TRUNC);
    fut_vfs_close(f);
    EXPECT_EQ(Stat("/t").st_size, 0);
}

TEST_F(Ramfs, HardLinksShareDataAndCountNames)
{
    WriteFile("/orig", "shared");
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    ASSERT_EQ(fut_vfs_link(nullptr, "/orig", nullptr, "/d/alias", 0), 0);
    fut_stat a = Stat("/orig"), b = Stat("/d/alias");
    EXPECT_EQ(a.st_ino, b.st_ino);
    EXPECT_EQ(a.st_nlink, 2u);
    WriteFile("/d/alias", "changed");
    EXPECT_EQ(ReadFile("/orig"), "changed");
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/orig"), 0);
    EXPECT_EQ(Stat("/d/alias").st_nlink, 1u);
    EXPECT_EQ(ReadFile("/d/alias"), "changed");
    EXPECT_EQ(fut_vfs_link(nullptr, "/d/alias", nullptr, "/d/alias", 0), -EEXIST);
    EXPECT_EQ(fut_vfs_link(nullptr, "/d", nullptr, "/dirlink", 0), -EPERM);
    EXPECT_EQ(fut_vfs_link(nullptr, "/nope", nullptr, "/x", 0), -ENOENT);
    EXPECT_EQ(fut_vfs_link(nullptr, "/d/alias", nullptr, "/x/", 0), -ENOENT);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/d/alias"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d"), 0);
}

TEST_F(Ramfs, LinkToSymlinkLinksTheSymlinkUnlessFollowIsAsked)
{
    WriteFile("/target", "t");
    ASSERT_EQ(fut_vfs_symlink("/target", nullptr, "/sym"), 0);
    ASSERT_EQ(fut_vfs_link(nullptr, "/sym", nullptr, "/l1", 0), 0);
    ASSERT_EQ(fut_vfs_link(nullptr, "/sym", nullptr, "/l2", FUT_AT_SYMLINK_FOLLOW), 0);
    fut_stat st;
    ASSERT_EQ(fut_vfs_lstat(nullptr, "/l1", &st), 0);
    EXPECT_TRUE(FUT_S_ISLNK(st.st_mode));
    ASSERT_EQ(fut_vfs_lstat(nullptr, "/l2", &st), 0);
    EXPECT_TRUE(FUT_S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_nlink, 2u);
}

TEST_F(Ramfs, UnlinkedFileStaysReadableWhileOpenAndGoesAtClose)
{
    WriteFile("/ghost", std::string(8192, 'g'));
    fut_vfs_stats s0 = VfsStats();
    uint64_t frames0 = FreeFrames();
    fut_file *f = Open("/ghost", FUT_O_RDWR);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/ghost"), 0);
    EXPECT_FALSE(Exists("/ghost"));
    fut_stat st;
    ASSERT_EQ(fut_vfs_fstat(f, &st), 0);
    EXPECT_EQ(st.st_nlink, 0u);
    EXPECT_EQ(Pread(f, 4, 8000), "gggg");
    EXPECT_EQ(fut_vfs_pwrite(f, "new", 3, 0), 3);
    EXPECT_EQ(Pread(f, 4, 0), "newg");
    EXPECT_EQ(VfsStats().live_vnodes, s0.live_vnodes);
    // A name cannot be given back to it.
    EXPECT_EQ(fut_vfs_link(nullptr, "/proc-self-fd-not-yet", nullptr, "/back", 0), -ENOENT);
    fut_vfs_close(f);
    EXPECT_EQ(VfsStats().live_vnodes, s0.live_vnodes - 1);
    EXPECT_GE(FreeFrames(), frames0 + 2);
}

TEST_F(Ramfs, DupSharesTheOffset)
{
    WriteFile("/f", "abcdef");
    fut_file *f = Open("/f", FUT_O_RDONLY);
    fut_file_get(f); // as dup(2) would
    char c;
    ASSERT_EQ(fut_vfs_read(f, &c, 1), 1);
    fut_vfs_close(f);
    EXPECT_EQ(VfsStats().open_files, 1u);
    ASSERT_EQ(fut_vfs_read(f, &c, 1), 1);
    EXPECT_EQ(c, 'b');
    fut_vfs_close(f);
    EXPECT_EQ(VfsStats().open_files, 0u);
}

TEST_F(Ramfs, MkdirCountsLinksAndRefusesExistingNames)
{
    uint64_t root_links = Stat("/").st_nlink;
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0700), 0);
    fut_stat d = Stat("/d");
    EXPECT_EQ(d.st_mode, FUT_S_IFDIR | 0700u);
    EXPECT_EQ(d.st_nlink, 2u);
    EXPECT_EQ(Stat("/").st_nlink, root_links + 1);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), -EEXIST);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/", 0755), -EEXIST);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/d/.", 0755), -EEXIST);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/d/..", 0755), -EEXIST);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/d/sub/", 0755), 0); // trailing slash is fine
    EXPECT_EQ(Stat("/d").st_nlink, 3u);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/missing/sub", 0755), -ENOENT);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d/sub"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d"), 0);
    EXPECT_EQ(Stat("/").st_nlink, root_links);
}

TEST_F(Ramfs, RmdirRules)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    WriteFile("/d/f", "x");
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/d"), -ENOTEMPTY);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/d/f"), -ENOTDIR);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/d/."), -EINVAL);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/d/.."), -ENOTEMPTY);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/"), -EBUSY);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/nope"), -ENOENT);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/d/f"), 0);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/d/"), 0);
    EXPECT_FALSE(Exists("/d"));
}

TEST_F(Ramfs, UnlinkRules)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    WriteFile("/f", "x");
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/d"), -EISDIR);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/d/"), -EISDIR);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/f/"), -ENOTDIR);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/"), -EISDIR);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/nope"), -ENOENT);
    ASSERT_EQ(fut_vfs_symlink("/f", nullptr, "/s"), 0);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/s"), 0); // removes the link, not its target
    EXPECT_TRUE(Exists("/f"));
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/f"), 0);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/d"), 0);
}

TEST_F(Ramfs, RenameMovesFilesWithinAndAcrossDirectories)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    WriteFile("/a", "A");
    uint64_t ino = Stat("/a").st_ino;
    ASSERT_EQ(fut_vfs_rename(nullptr, "/a", nullptr, "/b"), 0);
    EXPECT_FALSE(Exists("/a"));
    EXPECT_EQ(Stat("/b").st_ino, ino);
    ASSERT_EQ(fut_vfs_rename(nullptr, "/b", nullptr, "/d/c"), 0);
    EXPECT_EQ(ReadFile("/d/c"), "A");
    EXPECT_EQ(fut_vfs_rename(nullptr, "/nope", nullptr, "/x"), -ENOENT);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d/c", nullptr, "/missing/x"), -ENOENT);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d/c/", nullptr, "/x"), -ENOTDIR);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d/c", nullptr, "/x/"), -ENOTDIR);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d/.", nullptr, "/x"), -EBUSY);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d/c", nullptr, "/d/.."), -EBUSY);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/d/c"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d"), 0);
}

TEST_F(Ramfs, RenameOverAFileReplacesItAndFreesTheOldOne)
{
    WriteFile("/src", "new");
    WriteFile("/dst", "old");
    uint64_t src_ino = Stat("/src").st_ino;
    uint64_t vnodes = VfsStats().live_vnodes;
    ASSERT_EQ(fut_vfs_rename(nullptr, "/src", nullptr, "/dst"), 0);
    EXPECT_EQ(Stat("/dst").st_ino, src_ino);
    EXPECT_EQ(ReadFile("/dst"), "new");
    EXPECT_FALSE(Exists("/src"));
    EXPECT_EQ(VfsStats().live_vnodes, vnodes - 1);
}

TEST_F(Ramfs, RenameOverAnOpenFileKeepsItReadable)
{
    WriteFile("/src", "new");
    WriteFile("/dst", "old");
    fut_file *old = Open("/dst", FUT_O_RDONLY);
    ASSERT_EQ(fut_vfs_rename(nullptr, "/src", nullptr, "/dst"), 0);
    EXPECT_EQ(Pread(old, 3, 0), "old");
    fut_vfs_close(old);
}

TEST_F(Ramfs, RenameTypeRules)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d1", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d2", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/full", 0755), 0);
    WriteFile("/full/f", "x");
    WriteFile("/file", "x");
    EXPECT_EQ(fut_vfs_rename(nullptr, "/file", nullptr, "/d1"), -EISDIR);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d1", nullptr, "/file"), -ENOTDIR);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/d1", nullptr, "/full"), -ENOTEMPTY);
    // A directory over an empty directory replaces it.
    uint64_t d1 = Stat("/d1").st_ino;
    uint64_t root_links = Stat("/").st_nlink;
    ASSERT_EQ(fut_vfs_rename(nullptr, "/d1", nullptr, "/d2"), 0);
    EXPECT_EQ(Stat("/d2").st_ino, d1);
    EXPECT_FALSE(Exists("/d1"));
    EXPECT_EQ(Stat("/").st_nlink, root_links - 1);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/full/f"), 0);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/file"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/full"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d2"), 0);
}

TEST_F(Ramfs, RenameOfADirectoryIntoItsOwnSubtreeIsEINVAL)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/a", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/a/b", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/a/b/c", 0755), 0);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/a", nullptr, "/a/b/c/x"), -EINVAL);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/a", nullptr, "/a/x"), -EINVAL);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/a/b", nullptr, "/a/b/c/d"), -EINVAL);
    // Over a non-empty ancestor: that ancestor is not empty.
    EXPECT_EQ(fut_vfs_rename(nullptr, "/a/b/c", nullptr, "/a"), -ENOTEMPTY);
    EXPECT_TRUE(Exists("/a/b/c"));
}

TEST_F(Ramfs, RenameOfADirectoryUpdatesDotDotAndLinkCounts)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/p1", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/p2", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/p1/child", 0755), 0);
    ASSERT_EQ(fut_vfs_rename(nullptr, "/p1/child", nullptr, "/p2/child"), 0);
    EXPECT_EQ(Stat("/p1").st_nlink, 2u);
    EXPECT_EQ(Stat("/p2").st_nlink, 3u);
    EXPECT_EQ(Stat("/p2/child/..").st_ino, Stat("/p2").st_ino);
    std::vector<std::string> names = List("/p2/child");
    EXPECT_EQ(names, (std::vector<std::string>{".", ".."}));
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/p2/child"), 0);
}

TEST_F(Ramfs, RenameBetweenTwoNamesOfOneFileDoesNothing)
{
    WriteFile("/one", "1");
    ASSERT_EQ(fut_vfs_link(nullptr, "/one", nullptr, "/two", 0), 0);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/one", nullptr, "/two"), 0);
    EXPECT_TRUE(Exists("/one"));
    EXPECT_TRUE(Exists("/two"));
    EXPECT_EQ(Stat("/one").st_nlink, 2u);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/one", nullptr, "/one"), 0);
}

TEST_F(Ramfs, RenameIntoARemovedDirectoryIsENOENT)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/gone", 0755), 0);
    fut_vnode *gone = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/gone", FUT_LOOKUP_FOLLOW, &gone), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/gone"), 0);
    WriteFile("/f", "x");
    EXPECT_EQ(fut_vfs_rename(nullptr, "/f", gone, "f"), -ENOENT);
    fut_file *f = nullptr;
    EXPECT_EQ(fut_vfs_open(gone, "new", FUT_O_CREAT | FUT_O_WRONLY, 0644, &f), -ENOENT);
    EXPECT_EQ(List("/").size(), 3u); // ".", "..", "f"
    fut_vnode_put(gone);
}

// Lists a directory one record at a time, running `between` after each.
template <typename F> std::vector<std::string> ListSlowly(fut_file *dir, F between)
{
    std::vector<std::string> names;
    alignas(8) char buf[64 + 256];
    for (;;) {
        // A buffer of exactly one record's room for short names.
        int64_t n = fut_vfs_getdents64(dir, buf, 40);
        EXPECT_GE(n, 0);
        if (n <= 0)
            break;
        auto *d = reinterpret_cast<fut_linux_dirent64 *>(buf);
        EXPECT_EQ(d->d_reclen, n); // one record per call
        names.push_back(d->d_name);
        between(names.back());
    }
    return names;
}

TEST_F(Ramfs, ReaddirNeitherSkipsNorRepeatsWhenEntriesAreUnlinkedMeanwhile)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    const int n = 60;
    for (int i = 0; i < n; i++)
        WriteFile("/d/f" + std::to_string(i), "");
    fut_file *dir = Open("/d", FUT_O_RDONLY | FUT_O_DIRECTORY);
    std::set<std::string> removed_unseen;
    std::set<std::string> seen_so_far;
    int step = 0;
    std::vector<std::string> names = ListSlowly(dir, [&](const std::string &name) {
        seen_so_far.insert(name);
        // After each record: remove the entry just returned, and every
        // third step one that has not been returned yet.
        if (name[0] == 'f') {
            EXPECT_EQ(fut_vfs_unlink(nullptr, ("/d/" + name).c_str()), 0);
        }
        if (++step % 3 == 0) {
            for (int i = n - 1; i >= 0; i--) {
                std::string victim = "f" + std::to_string(i);
                if (!seen_so_far.count(victim) && !removed_unseen.count(victim)) {
                    EXPECT_EQ(fut_vfs_unlink(nullptr, ("/d/" + victim).c_str()), 0);
                    removed_unseen.insert(victim);
                    break;
                }
            }
        }
    });
    fut_vfs_close(dir);
    // Every entry that was never removed before its turn shows up exactly once.
    std::multiset<std::string> counted(names.begin(), names.end());
    EXPECT_EQ(counted.count("."), 1u);
    EXPECT_EQ(counted.count(".."), 1u);
    for (int i = 0; i < n; i++) {
        std::string name = "f" + std::to_string(i);
        EXPECT_EQ(counted.count(name), removed_unseen.count(name) ? 0u : 1u) << name;
    }
    EXPECT_FALSE(removed_unseen.empty());
    EXPECT_EQ(names.size(), 2 + n - removed_unseen.size());
    EXPECT_EQ(List("/d"), (std::vector<std::string>{".", ".."}));
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d"), 0);
}

TEST_F(Ramfs, ReaddirDoesNotRepeatEntriesWhenNamesAreAddedMeanwhile)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    for (int i = 0; i < 10; i++)
        WriteFile("/d/old" + std::to_string(i), "");
    fut_file *dir = Open("/d", FUT_O_RDONLY | FUT_O_DIRECTORY);
    int added = 0;
    std::vector<std::string> names = ListSlowly(dir, [&](const std::string &) {
        if (added < 5)
            WriteFile("/d/new" + std::to_string(added++), "");
    });
    fut_vfs_close(dir);
    std::set<std::string> unique(names.begin(), names.end());
    EXPECT_EQ(unique.size(), names.size());
    for (int i = 0; i < 10; i++) {
        EXPECT_EQ(unique.count("old" + std::to_string(i)), 1u);
    }
    for (int i = 0; i < 5; i++) {
        ASSERT_EQ(fut_vfs_unlink(nullptr, ("/d/new" + std::to_string(i)).c_str()), 0);
    }
    for (int i = 0; i < 10; i++) {
        ASSERT_EQ(fut_vfs_unlink(nullptr, ("/d/old" + std::to_string(i)).c_str()), 0);
    }
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/d"), 0);
}

TEST_F(Ramfs, ReaddirReportsInodeNumbersAndTypes)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d/sub", 0755), 0);
    WriteFile("/d/file", "");
    ASSERT_EQ(fut_vfs_symlink("file", nullptr, "/d/link"), 0);
    fut_file *dir = Open("/d", FUT_O_RDONLY | FUT_O_DIRECTORY);
    alignas(8) char buf[1024];
    int64_t n = fut_vfs_getdents64(dir, buf, sizeof(buf));
    ASSERT_GT(n, 0);
    std::map<std::string, std::pair<uint64_t, int>> seen;
    for (int64_t off = 0; off < n;) {
        auto *d = reinterpret_cast<fut_linux_dirent64 *>(buf + off);
        seen[d->d_name] = {d->d_ino, d->d_type};
        off += d->d_reclen;
    }
    EXPECT_EQ(fut_vfs_getdents64(dir, buf, sizeof(buf)), 0);
    fut_vfs_close(dir);
    ASSERT_EQ(seen.size(), 5u);
    EXPECT_EQ(seen["."], std::make_pair((uint64_t)Stat("/d").st_ino, (int)FUT_DT_DIR));
    EXPECT_EQ(seen[".."], std::make_pair((uint64_t)Stat("/").st_ino, (int)FUT_DT_DIR));
    EXPECT_EQ(seen["sub"], std::make_pair((uint64_t)Stat("/d/sub").st_ino, (int)FUT_DT_DIR));
    EXPECT_EQ(seen["file"], std::make_pair((uint64_t)Stat("/d/file").st_ino, (int)FUT_DT_REG));
    fut_stat lst;
    ASSERT_EQ(fut_vfs_lstat(nullptr, "/d/link", &lst), 0);
    EXPECT_EQ(seen["link"], std::make_pair((uint64_t)lst.st_ino, (int)FUT_DT_LNK));
}

TEST_F(Ramfs, SymlinkStoresItsTargetVerbatim)
{
    ASSERT_EQ(fut_vfs_symlink("../some//where/", nullptr, "/s"), 0);
    char buf[64];
    EXPECT_EQ(fut_vfs_readlink(nullptr, "/s", buf, sizeof(buf)), 15);
    EXPECT_EQ(std::string(buf, 15), "../some//where/");
    EXPECT_EQ(fut_vfs_readlink(nullptr, "/s", buf, 4), 4); // truncated, no NUL
    EXPECT_EQ(std::string(buf, 4), "../s");
    EXPECT_EQ(fut_vfs_readlink(nullptr, "/s", buf, 0), -EINVAL);
    EXPECT_EQ(fut_vfs_readlink(nullptr, "/", buf, sizeof(buf)), -EINVAL);
    fut_stat st;
    ASSERT_EQ(fut_vfs_lstat(nullptr, "/s", &st), 0);
    EXPECT_EQ(st.st_mode, FUT_S_IFLNK | 0777u);
    EXPECT_EQ(st.st_size, 15);
}

TEST_F(Ramfs, ChmodChownAndUtimensAreStoredAndReported)
{
    WriteFile("/f", "x", 0600);
    ASSERT_EQ(fut_vfs_chmod(nullptr, "/f", 04755), 0);
    EXPECT_EQ(Stat("/f").st_mode, FUT_S_IFREG | 04755u);
    ASSERT_EQ(fut_vfs_chown(nullptr, "/f", 1000, (uint32_t)-1, 0), 0);
    EXPECT_EQ(Stat("/f").st_uid, 1000u);
    EXPECT_EQ(Stat("/f").st_gid, 0u);
    ASSERT_EQ(fut_vfs_symlink("/f", nullptr, "/s"), 0);
    ASSERT_EQ(fut_vfs_chown(nullptr, "/s", 5, 6, FUT_AT_SYMLINK_NOFOLLOW), 0);
    fut_stat st;
    ASSERT_EQ(fut_vfs_lstat(nullptr, "/s", &st), 0);
    EXPECT_EQ(st.st_uid, 5u);
    EXPECT_EQ(st.st_gid, 6u);
    EXPECT_EQ(Stat("/f").st_uid, 1000u);
    fut_timespec times[2] = {{1000, 1}, {2000, 2}};
    ASSERT_EQ(fut_vfs_utimens(nullptr, "/f", times), 0);
    st = Stat("/f");
    EXPECT_EQ(st.st_atim.tv_sec, 1000);
    EXPECT_EQ(st.st_mtim.tv_sec, 2000);
    EXPECT_EQ(st.st_mtim.tv_nsec, 2);
    fut_timespec bad[2] = {{0, -1}, {0, 0}};
    EXPECT_EQ(fut_vfs_utimens(nullptr, "/f", bad), -EINVAL);
}

static bool Later(const fut_timespec &a, const fut_timespec &b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

TEST_F(Ramfs, WritesReadsAndNewNamesMoveTimestamps)
{
    WriteFile("/f", "x");
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    fut_stat f0 = Stat("/f"), d0 = Stat("/d");
    WriteFile("/f", "y");
    fut_stat f1 = Stat("/f");
    EXPECT_TRUE(Later(f1.st_mtim, f0.st_mtim));
    EXPECT_TRUE(Later(f1.st_ctim, f0.st_ctim));
    ReadFile("/f");
    EXPECT_TRUE(Later(Stat("/f").st_atim, f1.st_atim));
    WriteFile("/d/new", "");
    EXPECT_TRUE(Later(Stat("/d").st_mtim, d0.st_mtim));
}

TEST_F(Ramfs, AccessAsRootOnlyRefusesExecutingNonExecutables)
{
    WriteFile("/plain", "", 0644);
    WriteFile("/tool", "", 0700);
    EXPECT_EQ(fut_vfs_access(nullptr, "/plain", FUT_R_OK | FUT_W_OK), 0);
    EXPECT_EQ(fut_vfs_access(nullptr, "/plain", FUT_X_OK), -EACCES);
    EXPECT_EQ(fut_vfs_access(nullptr, "/tool", FUT_X_OK), 0);
    EXPECT_EQ(fut_vfs_access(nullptr, "/", FUT_X_OK), 0);
    EXPECT_EQ(fut_vfs_access(nullptr, "/nope", FUT_F_OK), -ENOENT);
    EXPECT_EQ(fut_vfs_access(nullptr, "/plain", 8), -EINVAL);
}

TEST_F(Ramfs, DestroyingTheFilesystemFreesADeepTree)
{
    // Deep enough that recursion per level would show; umount in TearDown
    // must free it all (the fixture checks the counts).
    std::string path;
    for (int i = 0; i < 300; i++) {
        path += "/d";
        ASSERT_EQ(fut_vfs_mkdir(nullptr, path.c_str(), 0755), 0);
        WriteFile(path + "/f", "data");
    }
    ASSERT_EQ(fut_vfs_link(nullptr, "/d/f", nullptr, "/d/d/hard", 0), 0);
    ASSERT_EQ(fut_vfs_symlink("/d", nullptr, "/d/d/d/sym"), 0);
    EXPECT_GT(VfsStats().live_vnodes, 600u);
}

// ---- The page provider for file mappings ----

class FileMapping : public Ramfs
{
  protected:
    static constexpr uint64_t kBase = 0x40000000;

    // A mapping of /m's first `pages` pages into a new address space.
    fut_mm *Map(fut_vnode *vn, uint64_t pages, uint32_t share)
    {
        fut_mm *mm = fut_mm_create();
        EXPECT_NE(mm, nullptr);
        fut_vma v = {};
        v.start = kBase;
        v.end = kBase + pages * kPage;
        v.prot = FUT_PROT_READ | FUT_PROT_WRITE;
        v.flags = share | FUT_VMA_FILE;
        v.obj = vn;
        v.obj_ops = &fut_vnode_backing_ops.ref;
        v.file_offset = 0;
        EXPECT_EQ(fut_mm_map(mm, &v), 0);
        return mm;
    }

    // The bytes a user access at va would reach, faulting as the CPU would.
    static char *Touch(fut_mm *mm, uint64_t va, bool write)
    {
        for (int tries = 0; tries < 3; tries++) {
            uint64_t pa = 0, pte = 0;
            if (fut_pt_translate(mm->root, va, &pa, &pte) && (!write || (pte & FUT_PTE_WRITE)))
                return static_cast<char *>(fut_hal_phys_to_virt(pa));
            bool present = fut_pt_translate(mm->root, va, nullptr, nullptr);
            uint32_t access = (write ? FUT_FAULT_WRITE : 0) | (present ? FUT_FAULT_PRESENT : 0);
            if (fut_mm_handle_fault(mm, va, access) != FUT_FAULT_HANDLED)
                return nullptr;
        }
        return nullptr;
    }
};

TEST_F(FileMapping, GetPageHandsOutTheFilesOwnFrameWithAReference)
{
    WriteFile("/m", std::string(5000, 'm'));
    fut_vnode *vn = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/m", FUT_LOOKUP_FOLLOW, &vn), 0);
    const fut_mm_backing_ops *ops = &fut_vnode_backing_ops;
    uint64_t phys = 0;
    ASSERT_EQ(ops->get_page(vn, kPage, &phys), 0);
    fut_page *page = fut_pmm_page(fut_pmm_global(), phys);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page->refcount, 2u); // the file's and ours
    char *bytes = static_cast<char *>(fut_hal_phys_to_virt(phys));
    EXPECT_EQ(bytes[0], 'm');
    EXPECT_EQ(bytes[5000 - 4096 - 1], 'm');
    EXPECT_EQ(bytes[5000 - 4096], '\0'); // past the end of file
    EXPECT_EQ(ops->get_page(vn, 2 * kPage, &phys), -ENXIO);
    EXPECT_EQ(ops->get_page(vn, 100, &phys), -EINVAL);
    // Dropping the file's pages leaves ours alive until we put it.
    ASSERT_EQ(fut_vfs_truncate(nullptr, "/m", 0), 0);
    EXPECT_EQ(page->refcount, 1u);
    fut_page_put(fut_pmm_global(), page);
    fut_vnode_put(vn);
}

TEST_F(FileMapping, SharedMappingAndReadWriteSeeTheSameBytes)
{
    WriteFile("/m", std::string(2 * kPage, 'a'));
    fut_vnode *vn = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/m", FUT_LOOKUP_FOLLOW, &vn), 0);
    fut_mm *mm = Map(vn, 2, FUT_VMA_SHARED);
    char *p = Touch(mm, kBase + kPage + 10, true);
    ASSERT_NE(p, nullptr);
    *p = 'S';
    EXPECT_EQ(ReadFile("/m")[kPage + 10], 'S');
    fut_file *f = Open("/m", FUT_O_WRONLY);
    ASSERT_EQ(fut_vfs_pwrite(f, "W", 1, 11), 1);
    fut_vfs_close(f);
    char *q = Touch(mm, kBase + 11, false);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(*q, 'W');
    fut_mm_put(mm); // the VMA's vnode reference goes with it
    fut_vnode_put(vn);
}

TEST_F(FileMapping, PrivateMappingWritesNeverReachTheFile)
{
    WriteFile("/m", std::string(kPage, 'a'));
    fut_vnode *vn = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/m", FUT_LOOKUP_FOLLOW, &vn), 0);
    fut_mm *mm = Map(vn, 1, FUT_VMA_PRIVATE);
    char *p = Touch(mm, kBase, true);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 'a');
    *p = 'P';
    EXPECT_EQ(ReadFile("/m"), std::string(kPage, 'a'));
    fut_mm_put(mm);
    fut_vnode_put(vn);
}

TEST_F(FileMapping, MappedHoleBecomesAZeroedPageOfTheFile)
{
    fut_file *f = Open("/m", FUT_O_RDWR | FUT_O_CREAT);
    ASSERT_EQ(fut_vfs_ftruncate(f, 2 * kPage), 0);
    fut_stat st;
    ASSERT_EQ(fut_vfs_fstat(f, &st), 0);
    EXPECT_EQ(st.st_blocks, 0);
    fut_mm *mm = Map(f->vnode, 2, FUT_VMA_SHARED);
    char *p = Touch(mm, kBase + kPage, true);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p[0], 0);
    p[0] = 'h';
    EXPECT_EQ(Pread(f, 1, kPage), "h");
    ASSERT_EQ(fut_vfs_fstat(f, &st), 0);
    EXPECT_EQ(st.st_blocks, 8);
    fut_mm_put(mm);
    fut_vfs_close(f);
}

TEST_F(FileMapping, BytesStoredPastEndOfFileAreZeroedWhenTheFileGrows)
{
    WriteFile("/m", "abc");
    fut_vnode *vn = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/m", FUT_LOOKUP_FOLLOW, &vn), 0);
    fut_mm *mm = Map(vn, 1, FUT_VMA_SHARED);
    char *p = Touch(mm, kBase, true);
    ASSERT_NE(p, nullptr);
    p[100] = 'X'; // beyond the 3-byte file, inside its page
    fut_mm_put(mm);
    fut_vnode_put(vn);
    ASSERT_EQ(fut_vfs_truncate(nullptr, "/m", 200), 0);
    EXPECT_EQ(ReadFile("/m"), std::string("abc") + std::string(197, '\0'));
}

TEST_F(FileMapping, BytesStoredPastEndOfFileAreZeroedWhenAWriteExtendsTheFile)
{
    WriteFile("/m", "abc");
    fut_vnode *vn = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/m", FUT_LOOKUP_FOLLOW, &vn), 0);
    fut_mm *mm = Map(vn, 1, FUT_VMA_SHARED);
    char *p = Touch(mm, kBase, true);
    ASSERT_NE(p, nullptr);
    p[10] = 'X';
    p[100] = 'Y';
    fut_mm_put(mm);
    fut_vnode_put(vn);
    fut_file *f = Open("/m", FUT_O_WRONLY);
    ASSERT_EQ(fut_vfs_pwrite(f, "end", 3, 50), 3); // grows over offset 10, leaves 100 past the end
    ASSERT_EQ(fut_vfs_pwrite(f, "!", 1, 199), 1);  // and now over 100 too
    fut_vfs_close(f);
    std::string want =
        std::string("abc") + std::string(47, '\0') + "end" + std::string(146, '\0') + "!";
    EXPECT_EQ(ReadFile("/m"), want);
}

} // namespace
