// The built-in initramfs, linked into this host test exactly as into the
// kernel: the embedded bytes are :archive's (//userland/rootfs), and they
// unpack to /etc/motd, /etc/hostname and /sbin/init among the rest.
#include "futura/vfs/initramfs.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "futura/vfs/cpio.h"

namespace
{

TEST(InitramfsBuiltin, EmbeddedBytesAreTheBuiltArchive)
{
    const void *start = nullptr;
    size_t len = 0;
    fut_initramfs_builtin(&start, &len);
    std::ifstream f("userland/rootfs/rootfs.cpio", std::ios::binary);
    ASSERT_TRUE(f.good());
    std::stringstream s;
    s << f.rdbuf();
    ASSERT_EQ(len, s.str().size());
    EXPECT_EQ(std::string(static_cast<const char *>(start), len), s.str());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(start) % 16, 0u);
}

// Collects regular files; everything else is accepted and ignored.
std::map<std::string, std::string> files;

int CreateFile(void *, const char *path, const fut_initramfs_attr *, const void *data, size_t size)
{
    files[path] = std::string(static_cast<const char *>(data), size);
    return 0;
}
int MkdirP(void *, const char *, const fut_initramfs_attr *)
{
    return 0;
}
int Symlink(void *, const char *, const fut_initramfs_attr *, const char *, size_t)
{
    return 0;
}
int Link(void *, const char *, const char *)
{
    return 0;
}

TEST(InitramfsBuiltin, UnpacksToTheRootFileSystem)
{
    const void *start;
    size_t len;
    fut_initramfs_builtin(&start, &len);
    fut_initramfs_ops ops = {MkdirP, CreateFile, Symlink, Link, nullptr};
    char err[FUT_CPIO_ERR_MAX];
    files.clear();
    EXPECT_GT(fut_initramfs_unpack(start, len, &ops, nullptr, err, sizeof(err)), 3) << err;
    EXPECT_EQ(files["/etc/hostname"], "futura\n");
    EXPECT_EQ(files["/etc/motd"], "Welcome to Futura\n");
    ASSERT_TRUE(files.count("/sbin/init"));
    EXPECT_EQ(files["/sbin/init"].substr(0, 4), "\177ELF"); /* the root file system's init */
}

} // namespace
