// See vfs_fixture.h.
#include "vfs_fixture.h"

#include "futura/fake_hal.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/pmm.h"
#include "futura/memory/testing/memory_fixture.h"
#include "futura/vfs/devfs.h"
#include "futura/vfs/ramfs.h"

namespace fut_test
{

void VfsTest::SetUp()
{
    fut_test_memory_setup(kRamBytes);
    fut_kmalloc_init();
    fut_fake_console_reset();
    baseline_frames_ = FreeFrames();
    fut_vfs_stats s = VfsStats();
    ASSERT_EQ(s.live_vnodes, 0u);
    ASSERT_EQ(s.open_files, 0u);
    ASSERT_EQ(s.filesystems, 0u);
    ASSERT_EQ(s.mounts, 0u);
    fut_fs *root = nullptr;
    ASSERT_EQ(fut_ramfs_create(&root), 0);
    ASSERT_EQ(fut_vfs_mount_root(root), 0);
}

void VfsTest::TearDown()
{
    if (devfs_mounted_) {
        EXPECT_EQ(fut_vfs_umount(nullptr, "/dev"), 0);
    }
    EXPECT_EQ(fut_vfs_umount(nullptr, "/"), 0);
    fut_vfs_stats s = VfsStats();
    EXPECT_EQ(s.live_vnodes, 0u);
    EXPECT_EQ(s.open_files, 0u);
    EXPECT_EQ(s.filesystems, 0u);
    EXPECT_EQ(s.mounts, 0u);
    fut_kmalloc_stats k;
    fut_kmalloc_get_stats(&k);
    EXPECT_EQ(k.live_objects, 0u);
    EXPECT_EQ(k.corruptions, 0u);
    fut_kmalloc_shrink();
    EXPECT_EQ(FreeFrames(), baseline_frames_);
    EXPECT_TRUE(fut_pmm_check(fut_pmm_global()));
    fut_kmalloc_init(); // the heap's frames vanish with the fake RAM
    fut_test_memory_teardown();
}

void VfsTest::MountDevfs()
{
    fut_fs *dev = nullptr;
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/dev", 0755), 0);
    ASSERT_EQ(fut_devfs_create(&dev), 0);
    ASSERT_EQ(fut_vfs_mount(nullptr, "/dev", dev), 0);
    devfs_mounted_ = true;
}

void VfsTest::WriteFile(const std::string &path, const std::string &data, uint32_t mode)
{
    fut_file *f = nullptr;
    int rc =
        fut_vfs_open(nullptr, path.c_str(), FUT_O_WRONLY | FUT_O_CREAT | FUT_O_TRUNC, mode, &f);
    ASSERT_EQ(rc, 0) << path;
    EXPECT_EQ(fut_vfs_write(f, data.data(), data.size()), (int64_t)data.size()) << path;
    fut_vfs_close(f);
}

std::string VfsTest::ReadFile(const std::string &path)
{
    fut_file *f = nullptr;
    int rc = fut_vfs_open(nullptr, path.c_str(), FUT_O_RDONLY, 0, &f);
    EXPECT_EQ(rc, 0) << path;
    if (rc)
        return "";
    std::string out;
    char buf[1000];
    int64_t n;
    while ((n = fut_vfs_read(f, buf, sizeof(buf))) > 0)
        out.append(buf, (size_t)n);
    EXPECT_EQ(n, 0) << path;
    fut_vfs_close(f);
    return out;
}

std::vector<std::string> VfsTest::List(const std::string &path)
{
    std::vector<std::string> names;
    fut_file *f = nullptr;
    int rc = fut_vfs_open(nullptr, path.c_str(), FUT_O_RDONLY | FUT_O_DIRECTORY, 0, &f);
    EXPECT_EQ(rc, 0) << path;
    if (rc)
        return names;
    alignas(8) char buf[512];
    int64_t n;
    while ((n = fut_vfs_getdents64(f, buf, sizeof(buf))) > 0) {
        for (int64_t off = 0; off < n;) {
            auto *d = reinterpret_cast<fut_linux_dirent64 *>(buf + off);
            names.push_back(d->d_name);
            off += d->d_reclen;
        }
    }
    EXPECT_EQ(n, 0) << path;
    fut_vfs_close(f);
    return names;
}

fut_stat VfsTest::Stat(const std::string &path)
{
    fut_stat st{};
    EXPECT_EQ(fut_vfs_stat(nullptr, path.c_str(), &st), 0) << path;
    return st;
}

fut_vfs_stats VfsTest::VfsStats()
{
    fut_vfs_stats s;
    fut_vfs_get_stats(&s);
    return s;
}

uint64_t VfsTest::FreeFrames()
{
    return fut_pmm_free_frames(fut_pmm_global());
}

} // namespace fut_test
