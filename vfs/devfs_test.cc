// Host tests for DevFS (vfs/devfs*.c) mounted on /dev: the standard
// devices, the console on the fake HAL, the fixed namespace, driver
// registration, and fut_vfs_init_root.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "futura/errno.h"
#include "futura/fake_hal.h"
#include "futura/vfs/devfs.h"
#include "futura/vfs/root.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/tty.h"
#include "futura/vfs/vfs.h"

namespace
{

using fut_test::VfsTest;

class Devfs : public VfsTest
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        MountDevfs();
    }

    fut_file *Open(const char *path, uint32_t flags)
    {
        fut_file *f = nullptr;
        EXPECT_EQ(fut_vfs_open(nullptr, path, flags, 0, &f), 0) << path;
        return f;
    }
};

TEST_F(Devfs, ListsTheStandardDevices)
{
    EXPECT_EQ(List("/dev"),
              (std::vector<std::string>{".", "..", "null", "zero", "full", "tty", "console"}));
}

TEST_F(Devfs, StatReportsCharacterDevicesWithTheirNumbers)
{
    struct {
        const char *path;
        uint32_t major, minor, perm;
    } const devs[] = {{"/dev/null", 1, 3, 0666},
                      {"/dev/zero", 1, 5, 0666},
                      {"/dev/full", 1, 7, 0666},
                      {"/dev/tty", 5, 0, 0666},
                      {"/dev/console", 5, 1, 0600}};
    uint64_t devfs_dev = Stat("/dev").st_dev;
    EXPECT_NE(devfs_dev, Stat("/").st_dev);
    for (const auto &d : devs) {
        fut_stat st = Stat(d.path);
        EXPECT_EQ(st.st_mode, FUT_S_IFCHR | d.perm) << d.path;
        EXPECT_EQ(st.st_rdev, fut_makedev(d.major, d.minor)) << d.path;
        EXPECT_EQ(st.st_dev, devfs_dev) << d.path;
        EXPECT_EQ(st.st_size, 0) << d.path;
    }
    EXPECT_TRUE(FUT_S_ISDIR(Stat("/dev").st_mode));
    EXPECT_EQ(Stat("/dev/..").st_ino, Stat("/").st_ino);
}

TEST_F(Devfs, NullReadsEndOfFileAndSwallowsWrites)
{
    fut_file *f = Open("/dev/null", FUT_O_RDWR);
    char buf[16] = "untouched";
    EXPECT_EQ(fut_vfs_write(f, "discard me", 10), 10);
    EXPECT_EQ(fut_vfs_read(f, buf, sizeof(buf)), 0);
    EXPECT_STREQ(buf, "untouched");
    EXPECT_EQ(fut_vfs_pwrite(f, "x", 1, 1000), 1);
    EXPECT_EQ(fut_vfs_lseek(f, 0, FUT_SEEK_END), 0);
    fut_vfs_close(f);
    EXPECT_EQ(ReadFile("/dev/null"), "");
}

TEST_F(Devfs, ZeroReadsZerosAtAnyOffsetAndSwallowsWrites)
{
    fut_file *f = Open("/dev/zero", FUT_O_RDWR);
    std::vector<char> buf(10000, 'x');
    EXPECT_EQ(fut_vfs_read(f, buf.data(), buf.size()), (int64_t)buf.size());
    EXPECT_EQ(buf, std::vector<char>(10000, '\0'));
    buf.assign(100, 'x');
    EXPECT_EQ(fut_vfs_pread(f, buf.data(), 100, 123456), 100);
    EXPECT_EQ(buf, std::vector<char>(100, '\0'));
    EXPECT_EQ(fut_vfs_write(f, "ignored", 7), 7);
    fut_vfs_close(f);
}

TEST_F(Devfs, FullRefusesWritesWithENOSPCAndReadsZeros)
{
    fut_file *f = Open("/dev/full", FUT_O_RDWR);
    EXPECT_EQ(fut_vfs_write(f, "x", 1), -ENOSPC);
    char c = 'x';
    EXPECT_EQ(fut_vfs_read(f, &c, 1), 1);
    EXPECT_EQ(c, '\0');
    fut_vfs_close(f);
}

// The console is the serial console's terminal (vfs/tty_test.cc tests its
// line discipline); here: it is reached through both names.
TEST_F(Devfs, ConsoleWritesReachTheHalConsole)
{
    fut_tty_reset(fut_tty_console());
    fut_file *f = Open("/dev/console", FUT_O_WRONLY);
    EXPECT_EQ(fut_vfs_write(f, "hello, serial\n", 14), 14);
    fut_vfs_close(f);
    f = Open("/dev/tty", FUT_O_WRONLY);
    EXPECT_EQ(fut_vfs_write(f, "via tty", 7), 7);
    fut_vfs_close(f);
    EXPECT_STREQ(fut_fake_console_output(), "hello, serial\r\nvia tty"); // ONLCR
}

TEST_F(Devfs, ConsoleReadsReturnTypedLines)
{
    fut_tty_reset(fut_tty_console());
    fut_file *f = Open("/dev/console", FUT_O_RDONLY | FUT_O_NONBLOCK);
    char buf[16] = {};
    EXPECT_EQ(fut_vfs_read(f, buf, sizeof(buf)), -EAGAIN);
    fut_fake_console_type("abc\r", 4);
    EXPECT_EQ(fut_vfs_read(f, buf, 2), 2);
    EXPECT_EQ(std::string(buf, 2), "ab");
    EXPECT_EQ(fut_vfs_read(f, buf, sizeof(buf)), 2);
    EXPECT_EQ(std::string(buf, 2), "c\n");
    fut_vfs_close(f);
    // A blocking reader with a line waiting returns it at once.
    f = Open("/dev/tty", FUT_O_RDONLY);
    fut_fake_console_type("xy\n", 3);
    EXPECT_EQ(fut_vfs_read(f, buf, sizeof(buf)), 3);
    EXPECT_EQ(std::string(buf, 3), "xy\n");
    fut_vfs_close(f);
}

TEST_F(Devfs, ConsoleIsAStreamWithoutPositions)
{
    fut_file *f = Open("/dev/console", FUT_O_RDWR);
    char c;
    EXPECT_EQ(fut_vfs_lseek(f, 0, FUT_SEEK_SET), -ESPIPE);
    EXPECT_EQ(fut_vfs_pread(f, &c, 1, 0), -ESPIPE);
    EXPECT_EQ(fut_vfs_pwrite(f, "x", 1, 0), -ESPIPE);
    EXPECT_EQ(fut_vfs_write(f, "ok", 2), 2);
    EXPECT_EQ(f->offset, 0u);
    fut_vfs_close(f);
}

TEST_F(Devfs, TheNamespaceCannotBeChangedFromOutside)
{
    fut_file *f = nullptr;
    EXPECT_EQ(fut_vfs_open(nullptr, "/dev/new", FUT_O_CREAT | FUT_O_WRONLY, 0644, &f), -EPERM);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/dev/dir", 0755), -EPERM);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/dev/null", 0755), -EEXIST);
    EXPECT_EQ(fut_vfs_symlink("null", nullptr, "/dev/sym"), -EPERM);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/dev/null"), -EPERM);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/dev/nothing"), -ENOENT);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/dev/null", nullptr, "/dev/void"), -EPERM);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/dev"), -EBUSY);
    EXPECT_EQ(fut_vfs_chmod(nullptr, "/dev/null", 0600), -EPERM);
    EXPECT_EQ(fut_vfs_truncate(nullptr, "/dev/null", 0), -EINVAL);
    EXPECT_EQ(List("/dev").size(), 7u);
}

struct Recorder {
    std::string written;
    int opens = 0;
};

int64_t RecorderRead(void *priv, void *buf, size_t len, uint64_t off, uint32_t)
{
    auto *r = static_cast<Recorder *>(priv);
    std::string src = r->written.substr(std::min<size_t>(off, r->written.size()));
    size_t n = std::min(len, src.size());
    memcpy(buf, src.data(), n);
    return (int64_t)n;
}

int64_t RecorderWrite(void *priv, const void *buf, size_t len, uint64_t, uint32_t)
{
    static_cast<Recorder *>(priv)->written.append(static_cast<const char *>(buf), len);
    return (int64_t)len;
}

int RecorderOpen(void *priv, uint32_t flags)
{
    auto *r = static_cast<Recorder *>(priv);
    r->opens++;
    return (flags & FUT_O_ACCMODE) == FUT_O_WRONLY && r->opens > 2 ? -EBUSY : 0;
}

const fut_dev_ops kRecorderOps = {RecorderRead, RecorderWrite, RecorderOpen, false, nullptr};

TEST_F(Devfs, RegisteredDriversAppearAndGetTheirPrivateData)
{
    Recorder rec;
    ASSERT_EQ(fut_devfs_register("rec0", 0640, 240, 7, &kRecorderOps, &rec), 0);
    EXPECT_EQ(List("/dev").back(), "rec0");
    fut_stat st = Stat("/dev/rec0");
    EXPECT_EQ(st.st_mode, FUT_S_IFCHR | 0640u);
    EXPECT_EQ(st.st_rdev, fut_makedev(240, 7));
    WriteFile("/dev/rec0", "to the driver"); // O_TRUNC means nothing to a device
    EXPECT_EQ(rec.written, "to the driver");
    EXPECT_EQ(ReadFile("/dev/rec0"), "to the driver");
    EXPECT_EQ(rec.opens, 2);
    fut_file *f = nullptr;
    EXPECT_EQ(fut_vfs_open(nullptr, "/dev/rec0", FUT_O_WRONLY, 0, &f), -EBUSY);
    EXPECT_EQ(VfsStats().open_files, 0u);
}

TEST_F(Devfs, RegistrationRefusesBadNamesTypesAndDuplicates)
{
    Recorder rec;
    EXPECT_EQ(fut_devfs_register("null", 0666, 1, 3, &kRecorderOps, &rec), -EEXIST);
    EXPECT_EQ(fut_devfs_register("", 0666, 9, 9, &kRecorderOps, &rec), -EINVAL);
    EXPECT_EQ(fut_devfs_register("a/b", 0666, 9, 9, &kRecorderOps, &rec), -EINVAL);
    EXPECT_EQ(fut_devfs_register(".", 0666, 9, 9, &kRecorderOps, &rec), -EINVAL);
    EXPECT_EQ(fut_devfs_register("..", 0666, 9, 9, &kRecorderOps, &rec), -EINVAL);
    EXPECT_EQ(fut_devfs_register(std::string(256, 'd').c_str(), 0666, 9, 9, &kRecorderOps, &rec),
              -EINVAL);
    EXPECT_EQ(fut_devfs_register("reg", FUT_S_IFREG | 0666, 9, 9, &kRecorderOps, &rec), -EINVAL);
    EXPECT_EQ(fut_devfs_register("noops", 0666, 9, 9, nullptr, &rec), -EINVAL);
    EXPECT_EQ(fut_devfs_register(std::string(255, 'd').c_str(), 0666, 9, 9, &kRecorderOps, &rec),
              0);
    ASSERT_EQ(fut_devfs_register("sda", FUT_S_IFBLK | 0660, 8, 0, &kRecorderOps, &rec), 0);
    EXPECT_EQ(Stat("/dev/sda").st_mode, FUT_S_IFBLK | 0660u);
}

TEST_F(VfsTest, RegisterWithoutADevfsOnDevIsENODEV)
{
    static const fut_dev_ops ops = {};
    EXPECT_EQ(fut_devfs_register("x", 0666, 1, 1, &ops, nullptr), -ENODEV);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/dev", 0755), 0); // a plain directory
    EXPECT_EQ(fut_devfs_register("x", 0666, 1, 1, &ops, nullptr), -ENODEV);
}

TEST_F(VfsTest, InitRootMountsRamfsWithDevfsOnDevOnce)
{
    ASSERT_EQ(fut_vfs_umount(nullptr, "/"), 0); // the fixture's root
    ASSERT_EQ(fut_vfs_init_root(), 0);
    fut_vfs_stats s = VfsStats();
    EXPECT_EQ(s.mounts, 3u); // and ProcFS on /proc (procfs_test)
    EXPECT_EQ(Stat("/dev/null").st_rdev, fut_makedev(1, 3));
    EXPECT_EQ(Stat("/dev").st_mode, FUT_S_IFDIR | 0755u);
    EXPECT_EQ(fut_vfs_init_root(), 0); // already there: nothing new
    EXPECT_EQ(VfsStats().mounts, 3u);
    EXPECT_EQ(VfsStats().live_vnodes, s.live_vnodes);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/proc"), 0);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/dev"), 0); // TearDown unmounts the root
}

} // namespace
