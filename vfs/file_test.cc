// Host tests for open files (vfs/file.c): open flags, read/write/lseek
// semantics, getdents64 and stat layouts against the host's Linux headers,
// and reference counting of files and vnodes.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "futura/errno.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/vfs.h"

namespace
{

using fut_test::VfsTest;

// ---- ABI: the host is Linux x86-64, so its headers are the reference ----

#define SAME_FIELD(field)                                                                          \
    static_assert(offsetof(struct fut_stat, field) == offsetof(struct stat, field),                \
                  #field " offset");                                                               \
    static_assert(sizeof(((struct fut_stat *)0)->field) == sizeof(((struct stat *)0)->field),      \
                  #field " size")

SAME_FIELD(st_dev);
SAME_FIELD(st_ino);
SAME_FIELD(st_nlink);
SAME_FIELD(st_mode);
SAME_FIELD(st_uid);
SAME_FIELD(st_gid);
SAME_FIELD(st_rdev);
SAME_FIELD(st_size);
SAME_FIELD(st_blksize);
SAME_FIELD(st_blocks);
SAME_FIELD(st_atim);
SAME_FIELD(st_mtim);
SAME_FIELD(st_ctim);
static_assert(sizeof(struct fut_stat) == sizeof(struct stat), "struct stat size");
static_assert(sizeof(struct fut_stat) == 144, "struct stat size");

TEST(Abi, OpenFlagsAndModesHaveLinuxValues)
{
    EXPECT_EQ(FUT_O_RDONLY, O_RDONLY);
    EXPECT_EQ(FUT_O_WRONLY, O_WRONLY);
    EXPECT_EQ(FUT_O_RDWR, O_RDWR);
    EXPECT_EQ(FUT_O_CREAT, O_CREAT);
    EXPECT_EQ(FUT_O_EXCL, O_EXCL);
    EXPECT_EQ(FUT_O_NOCTTY, O_NOCTTY);
    EXPECT_EQ(FUT_O_TRUNC, O_TRUNC);
    EXPECT_EQ(FUT_O_APPEND, O_APPEND);
    EXPECT_EQ(FUT_O_NONBLOCK, O_NONBLOCK);
    EXPECT_EQ(FUT_O_DIRECTORY, O_DIRECTORY);
    EXPECT_EQ(FUT_O_NOFOLLOW, O_NOFOLLOW);
    EXPECT_EQ(FUT_O_CLOEXEC, O_CLOEXEC);
    EXPECT_EQ(FUT_SEEK_SET, SEEK_SET);
    EXPECT_EQ(FUT_SEEK_CUR, SEEK_CUR);
    EXPECT_EQ(FUT_SEEK_END, SEEK_END);
    EXPECT_EQ(FUT_AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW);
    EXPECT_EQ(FUT_AT_SYMLINK_FOLLOW, AT_SYMLINK_FOLLOW);
    EXPECT_EQ(FUT_S_IFMT, S_IFMT);
    EXPECT_EQ(FUT_S_IFSOCK, S_IFSOCK);
    EXPECT_EQ(FUT_S_IFLNK, S_IFLNK);
    EXPECT_EQ(FUT_S_IFREG, S_IFREG);
    EXPECT_EQ(FUT_S_IFBLK, S_IFBLK);
    EXPECT_EQ(FUT_S_IFDIR, S_IFDIR);
    EXPECT_EQ(FUT_S_IFCHR, S_IFCHR);
    EXPECT_EQ(FUT_S_IFIFO, S_IFIFO);
    EXPECT_EQ(FUT_DT_DIR, DT_DIR);
    EXPECT_EQ(FUT_DT_REG, DT_REG);
    EXPECT_EQ(FUT_DT_LNK, DT_LNK);
    EXPECT_EQ(FUT_DT_CHR, DT_CHR);
    EXPECT_EQ(FUT_DT_BLK, DT_BLK);
    EXPECT_EQ(fut_mode_to_dtype(S_IFSOCK | 0777), DT_SOCK);
    EXPECT_EQ(fut_mode_to_dtype(S_IFIFO), DT_FIFO);
}

TEST(Abi, DeviceNumbersUseGlibcEncoding)
{
    const unsigned pairs[][2] = {
        {1, 3},  {5, 1}, {0, 0}, {254, 255}, {0xfff, 0xff}, {0x1000, 0x100}, {0xfffff, 0xffffff},
        {8, 300}};
    for (const auto &p : pairs) {
        EXPECT_EQ(fut_makedev(p[0], p[1]), (uint64_t)makedev(p[0], p[1])) << p[0] << ":" << p[1];
        EXPECT_EQ(fut_major(fut_makedev(p[0], p[1])), p[0]);
        EXPECT_EQ(fut_minor(fut_makedev(p[0], p[1])), p[1]);
    }
}

// ---- Open ----

class Open : public VfsTest
{
  protected:
    int OpenAt(const char *path, uint32_t flags, fut_file **f, uint32_t mode = 0644)
    {
        *f = nullptr;
        return fut_vfs_open(nullptr, path, flags, mode, f);
    }
    // The errno opening path fails with (0 if it opens; the file is closed).
    int OpenErr(const char *path, uint32_t flags, uint32_t mode = 0644)
    {
        fut_file *f;
        int rc = OpenAt(path, flags, &f, mode);
        if (rc == 0)
            fut_vfs_close(f);
        return rc;
    }
};

TEST_F(Open, CreatUsesTheModeAndExclRefusesExistingNames)
{
    EXPECT_EQ(OpenErr("/f", FUT_O_WRONLY | FUT_O_CREAT, 0640), 0);
    EXPECT_EQ(Stat("/f").st_mode, FUT_S_IFREG | 0640u);
    EXPECT_EQ(OpenErr("/f", FUT_O_WRONLY | FUT_O_CREAT | FUT_O_EXCL), -EEXIST);
    EXPECT_EQ(OpenErr("/f", FUT_O_WRONLY | FUT_O_CREAT), 0); // exists: just opens
    EXPECT_EQ(OpenErr("/g", FUT_O_RDONLY), -ENOENT);
    EXPECT_EQ(OpenErr("/missing/g", FUT_O_WRONLY | FUT_O_CREAT), -ENOENT);
    EXPECT_EQ(OpenErr("/f/g", FUT_O_WRONLY | FUT_O_CREAT), -ENOTDIR);
}

TEST_F(Open, CreatThroughADanglingSymlinkCreatesItsTargetUnlessExcl)
{
    ASSERT_EQ(fut_vfs_symlink("/target", nullptr, "/link"), 0);
    EXPECT_EQ(OpenErr("/link", FUT_O_WRONLY | FUT_O_CREAT | FUT_O_EXCL), -EEXIST);
    EXPECT_EQ(OpenErr("/link", FUT_O_WRONLY | FUT_O_CREAT | FUT_O_NOFOLLOW), -ELOOP);
    EXPECT_EQ(OpenErr("/link", FUT_O_WRONLY | FUT_O_CREAT), 0);
    EXPECT_TRUE(FUT_S_ISREG(Stat("/target").st_mode));
}

TEST_F(Open, NoFollowRefusesAFinalSymlinkOnly)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    WriteFile("/d/f", "x");
    ASSERT_EQ(fut_vfs_symlink("/d", nullptr, "/dl"), 0);
    ASSERT_EQ(fut_vfs_symlink("/d/f", nullptr, "/fl"), 0);
    EXPECT_EQ(OpenErr("/fl", FUT_O_RDONLY | FUT_O_NOFOLLOW), -ELOOP);
    EXPECT_EQ(OpenErr("/dl/f", FUT_O_RDONLY | FUT_O_NOFOLLOW), 0);
    EXPECT_EQ(OpenErr("/fl", FUT_O_RDONLY), 0);
}

TEST_F(Open, DirectoriesOpenOnlyForReading)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    WriteFile("/f", "x");
    EXPECT_EQ(OpenErr("/d", FUT_O_RDONLY), 0);
    EXPECT_EQ(OpenErr("/d", FUT_O_RDONLY | FUT_O_DIRECTORY), 0);
    EXPECT_EQ(OpenErr("/d", FUT_O_WRONLY), -EISDIR);
    EXPECT_EQ(OpenErr("/d", FUT_O_RDWR), -EISDIR);
    EXPECT_EQ(OpenErr("/d", FUT_O_RDONLY | FUT_O_CREAT), -EISDIR);
    EXPECT_EQ(OpenErr("/", FUT_O_RDONLY | FUT_O_CREAT), -EISDIR);
    EXPECT_EQ(OpenErr("/new/", FUT_O_RDWR | FUT_O_CREAT), -EISDIR);
    EXPECT_EQ(OpenErr("/f", FUT_O_RDONLY | FUT_O_DIRECTORY), -ENOTDIR);
    EXPECT_EQ(OpenErr("/f/", FUT_O_RDONLY), -ENOTDIR);
}

TEST_F(Open, AccessModeThreeIsEINVAL)
{
    WriteFile("/f", "x");
    EXPECT_EQ(OpenErr("/f", 3), -EINVAL);
}

TEST_F(Open, OpenOnlyFlagsAreDroppedAndStatusFlagsKept)
{
    fut_file *f;
    ASSERT_EQ(OpenAt("/f",
                     FUT_O_RDWR | FUT_O_CREAT | FUT_O_EXCL | FUT_O_TRUNC | FUT_O_APPEND |
                         FUT_O_NONBLOCK | FUT_O_CLOEXEC,
                     &f),
              0);
    EXPECT_EQ(f->flags, (uint32_t)(FUT_O_RDWR | FUT_O_APPEND | FUT_O_NONBLOCK | FUT_O_CLOEXEC));
    fut_vfs_close(f);
}

TEST_F(Open, ReadAndWriteNeedTheRightAccessMode)
{
    WriteFile("/f", "abc");
    fut_file *r, *w;
    ASSERT_EQ(OpenAt("/f", FUT_O_RDONLY, &r), 0);
    ASSERT_EQ(OpenAt("/f", FUT_O_WRONLY, &w), 0);
    char c;
    EXPECT_EQ(fut_vfs_write(r, "x", 1), -EBADF);
    EXPECT_EQ(fut_vfs_pwrite(r, "x", 1, 0), -EBADF);
    EXPECT_EQ(fut_vfs_ftruncate(r, 0), -EBADF);
    EXPECT_EQ(fut_vfs_read(w, &c, 1), -EBADF);
    EXPECT_EQ(fut_vfs_pread(w, &c, 1, 0), -EBADF);
    fut_vfs_close(r);
    fut_vfs_close(w);
    EXPECT_EQ(ReadFile("/f"), "abc");
}

TEST_F(Open, ReadOnADirectoryIsEISDIR)
{
    fut_file *d;
    ASSERT_EQ(OpenAt("/", FUT_O_RDONLY, &d), 0);
    char c;
    EXPECT_EQ(fut_vfs_read(d, &c, 1), -EISDIR);
    EXPECT_EQ(fut_vfs_ftruncate(d, 0), -EINVAL);
    fut_vfs_close(d);
}

TEST_F(Open, AppendWritesAlwaysGoToTheEnd)
{
    WriteFile("/log", "one\n");
    fut_file *f;
    ASSERT_EQ(OpenAt("/log", FUT_O_RDWR | FUT_O_APPEND, &f), 0);
    EXPECT_EQ(fut_vfs_lseek(f, 0, FUT_SEEK_SET), 0);
    EXPECT_EQ(fut_vfs_write(f, "two\n", 4), 4);
    EXPECT_EQ(fut_vfs_lseek(f, 0, FUT_SEEK_CUR), 8);
    WriteFile("/other-writer-check", "");
    EXPECT_EQ(fut_vfs_write(f, "three\n", 6), 6);
    fut_vfs_close(f);
    EXPECT_EQ(ReadFile("/log"), "one\ntwo\nthree\n");
}

TEST_F(Open, TruncOnAnExistingFileEmptiesItEvenReadOnly)
{
    WriteFile("/f", "contents");
    EXPECT_EQ(OpenErr("/f", FUT_O_RDONLY | FUT_O_TRUNC), 0); // as Linux
    EXPECT_EQ(Stat("/f").st_size, 0);
}

// ---- Offsets ----

class Offsets : public VfsTest
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        WriteFile("/f", "0123456789");
        ASSERT_EQ(fut_vfs_open(nullptr, "/f", FUT_O_RDWR, 0, &f_), 0);
    }
    void TearDown() override
    {
        fut_vfs_close(f_);
        VfsTest::TearDown();
    }
    fut_file *f_ = nullptr;
};

TEST_F(Offsets, ReadAndWriteAdvanceTheOffset)
{
    char buf[4] = {};
    EXPECT_EQ(fut_vfs_read(f_, buf, 3), 3);
    EXPECT_EQ(std::string(buf, 3), "012");
    EXPECT_EQ(fut_vfs_write(f_, "ab", 2), 2);
    EXPECT_EQ(fut_vfs_read(f_, buf, 4), 4);
    EXPECT_EQ(std::string(buf, 4), "5678");
    EXPECT_EQ(fut_vfs_read(f_, buf, 4), 1); // short read at the end
    EXPECT_EQ(fut_vfs_read(f_, buf, 4), 0);
    EXPECT_EQ(ReadFile("/f"), "012ab56789");
}

TEST_F(Offsets, PreadAndPwriteLeaveTheOffsetAlone)
{
    char buf[3];
    EXPECT_EQ(fut_vfs_pread(f_, buf, 3, 5), 3);
    EXPECT_EQ(std::string(buf, 3), "567");
    EXPECT_EQ(fut_vfs_pwrite(f_, "X", 1, 9), 1);
    EXPECT_EQ(fut_vfs_lseek(f_, 0, FUT_SEEK_CUR), 0);
    EXPECT_EQ(fut_vfs_pread(f_, buf, 1, -1), -EINVAL);
    EXPECT_EQ(fut_vfs_pwrite(f_, buf, 1, -1), -EINVAL);
    EXPECT_EQ(ReadFile("/f"), "012345678X");
}

TEST_F(Offsets, LseekSetCurEnd)
{
    EXPECT_EQ(fut_vfs_lseek(f_, 4, FUT_SEEK_SET), 4);
    EXPECT_EQ(fut_vfs_lseek(f_, 2, FUT_SEEK_CUR), 6);
    EXPECT_EQ(fut_vfs_lseek(f_, -1, FUT_SEEK_CUR), 5);
    EXPECT_EQ(fut_vfs_lseek(f_, -3, FUT_SEEK_END), 7);
    EXPECT_EQ(fut_vfs_lseek(f_, 0, FUT_SEEK_END), 10);
    char c;
    EXPECT_EQ(fut_vfs_lseek(f_, 2, FUT_SEEK_SET), 2);
    EXPECT_EQ(fut_vfs_read(f_, &c, 1), 1);
    EXPECT_EQ(c, '2');
}

TEST_F(Offsets, LseekToANegativeOffsetIsEINVALAndKeepsTheOldOne)
{
    EXPECT_EQ(fut_vfs_lseek(f_, 3, FUT_SEEK_SET), 3);
    EXPECT_EQ(fut_vfs_lseek(f_, -1, FUT_SEEK_SET), -EINVAL);
    EXPECT_EQ(fut_vfs_lseek(f_, -4, FUT_SEEK_CUR), -EINVAL);
    EXPECT_EQ(fut_vfs_lseek(f_, -11, FUT_SEEK_END), -EINVAL);
    EXPECT_EQ(fut_vfs_lseek(f_, INT64_MAX, FUT_SEEK_END), -EINVAL); // overflow
    EXPECT_EQ(fut_vfs_lseek(f_, 0, 3), -EINVAL);
    EXPECT_EQ(fut_vfs_lseek(f_, 0, FUT_SEEK_CUR), 3);
}

TEST_F(Offsets, WritingPastTheEndLeavesAHoleOfZeros)
{
    EXPECT_EQ(fut_vfs_lseek(f_, 5000, FUT_SEEK_SET), 5000);
    EXPECT_EQ(fut_vfs_write(f_, "end", 3), 3);
    std::string all = ReadFile("/f");
    ASSERT_EQ(all.size(), 5003u);
    EXPECT_EQ(all.substr(0, 10), "0123456789");
    EXPECT_EQ(all.substr(10, 4990), std::string(4990, '\0'));
    EXPECT_EQ(all.substr(5000), "end");
}

TEST_F(Offsets, FilesAndVnodesAreCounted)
{
    fut_vfs_stats s = VfsStats();
    EXPECT_EQ(s.open_files, 1u);
    uint32_t refs = f_->vnode->refcount;
    fut_file *again;
    ASSERT_EQ(fut_vfs_open(nullptr, "/f", FUT_O_RDONLY, 0, &again), 0);
    EXPECT_EQ(VfsStats().open_files, 2u);
    EXPECT_EQ(again->vnode, f_->vnode);
    EXPECT_EQ(f_->vnode->refcount, refs + 1);
    fut_file_get(again);
    EXPECT_EQ(again->refcount, 2u);
    fut_vfs_close(again);
    EXPECT_EQ(VfsStats().open_files, 2u);
    fut_vfs_close(again);
    EXPECT_EQ(VfsStats().open_files, 1u);
    EXPECT_EQ(f_->vnode->refcount, refs);
}

// ---- getdents64 ----

class Getdents : public VfsTest
{
  protected:
    struct Record {
        uint64_t ino;
        int64_t off;
        uint16_t reclen;
        uint8_t type;
        std::string name;
    };

    // Parses records, checking the invariants every record must hold.
    static std::vector<Record> Parse(const char *buf, int64_t n)
    {
        std::vector<Record> out;
        for (int64_t pos = 0; pos < n;) {
            const auto *d = reinterpret_cast<const fut_linux_dirent64 *>(buf + pos);
            size_t len = strlen(d->d_name);
            EXPECT_EQ(d->d_reclen % 8, 0);
            EXPECT_EQ(d->d_reclen, (19 + len + 1 + 7) / 8 * 8);
            for (size_t i = 19 + len; i < d->d_reclen; i++)
                EXPECT_EQ(buf[pos + i], 0) << "padding of " << d->d_name;
            out.push_back({d->d_ino, d->d_off, d->d_reclen, d->d_type, d->d_name});
            pos += d->d_reclen;
            EXPECT_LE(pos, n);
        }
        return out;
    }
};

TEST_F(Getdents, RecordsMatchLinuxLayoutByteForByte)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    WriteFile("/d/abcde", "");
    fut_file *d;
    ASSERT_EQ(fut_vfs_open(nullptr, "/d", FUT_O_RDONLY, 0, &d), 0);
    ASSERT_EQ(fut_vfs_lseek(d, 2, FUT_SEEK_SET), 2); // skip "." and ".."
    alignas(8) unsigned char buf[64];
    memset(buf, 0xee, sizeof(buf));
    ASSERT_EQ(fut_vfs_getdents64(d, buf, sizeof(buf)), 32);
    uint64_t ino = Stat("/d/abcde").st_ino;
    unsigned char want[32] = {};
    memcpy(want, &ino, 8);
    int64_t next = 3; // the cookie after the first entry
    memcpy(want + 8, &next, 8);
    want[16] = 32; // d_reclen, little-endian
    want[17] = 0;
    want[18] = DT_REG;
    memcpy(want + 19, "abcde", 6);
    EXPECT_EQ(memcmp(buf, want, 32), 0);
    EXPECT_EQ(buf[32], 0xee); // nothing written past the record
    fut_vfs_close(d);
}

TEST_F(Getdents, NamesOfEveryLengthPadTo8AndOffsetsResume)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/d", 0755), 0);
    for (size_t len = 1; len <= 30; len++)
        WriteFile("/d/" + std::string(len, 'a' + (char)(len % 26)), "");
    WriteFile("/d/" + std::string(255, 'z'), "");
    fut_file *d;
    ASSERT_EQ(fut_vfs_open(nullptr, "/d", FUT_O_RDONLY | FUT_O_DIRECTORY, 0, &d), 0);
    alignas(8) char buf[8192];
    int64_t n = fut_vfs_getdents64(d, buf, sizeof(buf));
    ASSERT_GT(n, 0);
    std::vector<Record> all = Parse(buf, n);
    ASSERT_EQ(all.size(), 2u + 31u);
    EXPECT_EQ(fut_vfs_getdents64(d, buf, sizeof(buf)), 0);
    // Seeking to any record's d_off continues with the record after it.
    for (size_t i = 0; i + 1 < all.size(); i++) {
        ASSERT_EQ(fut_vfs_lseek(d, all[i].off, FUT_SEEK_SET), all[i].off);
        int64_t m = fut_vfs_getdents64(d, buf, 300);
        ASSERT_GT(m, 0);
        EXPECT_EQ(Parse(buf, m)[0].name, all[i + 1].name);
    }
    // Rewinding starts over.
    ASSERT_EQ(fut_vfs_lseek(d, 0, FUT_SEEK_SET), 0);
    n = fut_vfs_getdents64(d, buf, sizeof(buf));
    EXPECT_EQ(Parse(buf, n).size(), all.size());
    EXPECT_EQ(fut_vfs_lseek(d, 0, FUT_SEEK_END), -EINVAL);
    fut_vfs_close(d);
}

TEST_F(Getdents, ABufferTooSmallForOneRecordIsEINVAL)
{
    fut_file *d;
    ASSERT_EQ(fut_vfs_open(nullptr, "/", FUT_O_RDONLY, 0, &d), 0);
    alignas(8) char buf[64];
    EXPECT_EQ(fut_vfs_getdents64(d, buf, 23), -EINVAL); // "." needs 24
    EXPECT_EQ(fut_vfs_getdents64(d, buf, 0), -EINVAL);
    EXPECT_EQ(fut_vfs_getdents64(d, buf, 24), 24);
    EXPECT_EQ(Parse(buf, 24)[0].name, ".");
    EXPECT_EQ(fut_vfs_getdents64(d, buf, 47), 24); // only ".." fits
    EXPECT_EQ(Parse(buf, 24)[0].name, "..");
    EXPECT_EQ(fut_vfs_getdents64(d, buf, 64), 0);
    fut_vfs_close(d);
}

TEST_F(Getdents, OnAFileIsENOTDIR)
{
    WriteFile("/f", "");
    fut_file *f;
    ASSERT_EQ(fut_vfs_open(nullptr, "/f", FUT_O_RDONLY, 0, &f), 0);
    alignas(8) char buf[64];
    EXPECT_EQ(fut_vfs_getdents64(f, buf, sizeof(buf)), -ENOTDIR);
    fut_vfs_close(f);
}

// ---- stat ----

TEST_F(VfsTest, StatFollowsSymlinksAndLstatDoesNot)
{
    WriteFile("/f", "12345");
    ASSERT_EQ(fut_vfs_symlink("f", nullptr, "/s"), 0);
    fut_stat st, lst;
    ASSERT_EQ(fut_vfs_stat(nullptr, "/s", &st), 0);
    ASSERT_EQ(fut_vfs_lstat(nullptr, "/s", &lst), 0);
    EXPECT_EQ(st.st_ino, Stat("/f").st_ino);
    EXPECT_EQ(st.st_size, 5);
    EXPECT_NE(lst.st_ino, st.st_ino);
    EXPECT_EQ(lst.st_size, 1);
    EXPECT_EQ(st.st_dev, lst.st_dev);
    EXPECT_EQ(st.__pad0, 0);
    fut_file *f;
    ASSERT_EQ(fut_vfs_open(nullptr, "/f", FUT_O_RDONLY, 0, &f), 0);
    fut_stat fst;
    ASSERT_EQ(fut_vfs_fstat(f, &fst), 0);
    EXPECT_EQ(memcmp(&fst, &st, sizeof(st)), 0);
    fut_vfs_close(f);
}

} // namespace
