// Host tests for path resolution (vfs/namei.c) and mounts (vfs/mount.c).
#include <gtest/gtest.h>

#include <string>

#include "futura/errno.h"
#include "futura/vfs/devfs.h"
#include "futura/vfs/ramfs.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/vfs.h"

namespace
{

using fut_test::VfsTest;

class PathLookup : public VfsTest
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        // /a/b/c (dirs), /a/b/file, /top
        ASSERT_EQ(fut_vfs_mkdir(nullptr, "/a", 0755), 0);
        ASSERT_EQ(fut_vfs_mkdir(nullptr, "/a/b", 0755), 0);
        ASSERT_EQ(fut_vfs_mkdir(nullptr, "/a/b/c", 0755), 0);
        WriteFile("/a/b/file", "data");
        WriteFile("/top", "top");
    }

    // Inode number of what path resolves to (following), or the negative errno.
    int64_t Ino(const char *path, fut_vnode *cwd = nullptr, uint32_t flags = FUT_LOOKUP_FOLLOW)
    {
        fut_vnode *vn = nullptr;
        int rc = fut_vfs_lookup(cwd, path, flags, &vn);
        if (rc)
            return rc;
        int64_t ino = (int64_t)vn->ino;
        fut_vnode_put(vn);
        return ino;
    }

    fut_vnode *Lookup(const char *path)
    {
        fut_vnode *vn = nullptr;
        EXPECT_EQ(fut_vfs_lookup(nullptr, path, FUT_LOOKUP_FOLLOW, &vn), 0) << path;
        return vn;
    }
};

TEST_F(PathLookup, RootResolvesToItself)
{
    int64_t root = Ino("/");
    ASSERT_GT(root, 0);
    EXPECT_EQ(Ino("///"), root);
    EXPECT_EQ(Ino("/."), root);
    EXPECT_EQ(Ino("/.."), root);
    EXPECT_EQ(Ino("/../../.."), root);
    EXPECT_EQ(Ino("/a/../.."), root);
}

TEST_F(PathLookup, DotAndDotDotAndRepeatedSlashes)
{
    int64_t c = Ino("/a/b/c");
    ASSERT_GT(c, 0);
    EXPECT_EQ(Ino("//a///b//c"), c);
    EXPECT_EQ(Ino("/a/./b/./c/."), c);
    EXPECT_EQ(Ino("/a/b/c/../c"), c);
    EXPECT_EQ(Ino("/a/b/../b/c/../../b/c"), c);
    EXPECT_EQ(Ino("/a/b/c/.."), Ino("/a/b"));
}

TEST_F(PathLookup, RelativePathsStartAtCwd)
{
    fut_vnode *b = Lookup("/a/b");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(Ino("c", b), Ino("/a/b/c"));
    EXPECT_EQ(Ino("./file", b), Ino("/a/b/file"));
    EXPECT_EQ(Ino("..", b), Ino("/a"));
    EXPECT_EQ(Ino("../../top", b), Ino("/top"));
    EXPECT_EQ(Ino("/top", b), Ino("/top")); // absolute ignores cwd
    fut_vnode_put(b);
}

TEST_F(PathLookup, CwdThatIsNotADirectoryIsENOTDIR)
{
    fut_vnode *file = Lookup("/top");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(Ino("x", file), -ENOTDIR);
    fut_vnode_put(file);
}

TEST_F(PathLookup, TrailingSlashRequiresDirectory)
{
    EXPECT_GT(Ino("/a/b/"), 0);
    EXPECT_GT(Ino("/a/b//"), 0);
    EXPECT_EQ(Ino("/top/"), -ENOTDIR);
    EXPECT_EQ(Ino("/a/b/file/"), -ENOTDIR);
    EXPECT_EQ(Ino("/a/b/file/."), -ENOTDIR);
}

TEST_F(PathLookup, MissingComponentIsENOENT)
{
    EXPECT_EQ(Ino("/nope"), -ENOENT);
    EXPECT_EQ(Ino("/a/nope/c"), -ENOENT);
    EXPECT_EQ(Ino(""), -ENOENT);
}

TEST_F(PathLookup, FileInTheMiddleIsENOTDIR)
{
    EXPECT_EQ(Ino("/top/x"), -ENOTDIR);
    EXPECT_EQ(Ino("/a/b/file/.."), -ENOTDIR);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/top/x", 0755), -ENOTDIR);
}

TEST_F(PathLookup, NullPathIsEFAULT)
{
    EXPECT_EQ(Ino(nullptr), -EFAULT);
}

TEST_F(PathLookup, ComponentOf255BytesWorksAnd256IsENAMETOOLONG)
{
    std::string name255(255, 'n'), name256(256, 'n');
    WriteFile("/" + name255, "x");
    EXPECT_GT(Ino(("/" + name255).c_str()), 0);
    EXPECT_EQ(Ino(("/" + name256).c_str()), -ENAMETOOLONG);
    // Checked even when the component would not be found anyway.
    EXPECT_EQ(Ino(("/nope/" + name256 + "/x").c_str()), -ENOENT);
    EXPECT_EQ(Ino(("/" + name256 + "/x").c_str()), -ENAMETOOLONG);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, ("/" + name256).c_str(), 0755), -ENAMETOOLONG);
    EXPECT_EQ(fut_vfs_unlink(nullptr, ("/" + name255).c_str()), 0);
}

TEST_F(PathLookup, PathOf4095BytesWorksAnd4096IsENAMETOOLONG)
{
    // "/a" followed by "/." repeated: 4095 bytes in all resolves to /a.
    std::string path = "/a";
    while (path.size() + 2 <= 4095)
        path += "/.";
    if (path.size() < 4095)
        path += "/";
    ASSERT_EQ(path.size(), 4095u);
    EXPECT_EQ(Ino(path.c_str()), Ino("/a"));
    path += ".";
    ASSERT_EQ(path.size(), 4096u);
    EXPECT_EQ(Ino(path.c_str()), -ENAMETOOLONG);
}

TEST_F(PathLookup, SymlinksAreFollowedInTheMiddleAndOnRequestAtTheEnd)
{
    ASSERT_EQ(fut_vfs_symlink("/a/b", nullptr, "/abs"), 0);
    ASSERT_EQ(fut_vfs_symlink("b/c", nullptr, "/a/rel"), 0);
    ASSERT_EQ(fut_vfs_symlink("../top", nullptr, "/a/up"), 0);
    EXPECT_EQ(Ino("/abs/c"), Ino("/a/b/c"));
    EXPECT_EQ(Ino("/abs"), Ino("/a/b"));
    EXPECT_EQ(Ino("/a/rel"), Ino("/a/b/c"));
    EXPECT_EQ(Ino("/a/rel/.."), Ino("/a/b"));
    EXPECT_EQ(Ino("/a/up"), Ino("/top"));
    // Without FOLLOW the final symlink itself is the result...
    int64_t link = Ino("/abs", nullptr, 0);
    EXPECT_GT(link, 0);
    EXPECT_NE(link, Ino("/a/b"));
    // ...unless a slash follows it.
    EXPECT_EQ(Ino("/abs/", nullptr, 0), Ino("/a/b"));
    EXPECT_EQ(Ino("/a/up/"), -ENOTDIR);
}

TEST_F(PathLookup, DanglingSymlinkIsENOENTWhenFollowed)
{
    ASSERT_EQ(fut_vfs_symlink("/nowhere", nullptr, "/dangling"), 0);
    EXPECT_EQ(Ino("/dangling"), -ENOENT);
    EXPECT_GT(Ino("/dangling", nullptr, 0), 0);
}

TEST_F(PathLookup, SymlinkLoopIsELOOP)
{
    ASSERT_EQ(fut_vfs_symlink("/loop2", nullptr, "/loop1"), 0);
    ASSERT_EQ(fut_vfs_symlink("/loop1", nullptr, "/loop2"), 0);
    ASSERT_EQ(fut_vfs_symlink("self", nullptr, "/self"), 0);
    EXPECT_EQ(Ino("/loop1"), -ELOOP);
    EXPECT_EQ(Ino("/loop1/x"), -ELOOP);
    EXPECT_EQ(Ino("/self"), -ELOOP);
    EXPECT_GT(Ino("/self", nullptr, 0), 0); // not followed: fine
}

TEST_F(PathLookup, FortySymlinksAreFollowedAndFortyOneAreELOOP)
{
    // /l1 -> /l0 -> ... chain ending at /top; resolving /lN follows N links.
    ASSERT_EQ(fut_vfs_symlink("/top", nullptr, "/l1"), 0);
    for (int i = 2; i <= 41; i++) {
        std::string target = "/l" + std::to_string(i - 1);
        ASSERT_EQ(fut_vfs_symlink(target.c_str(), nullptr, ("/l" + std::to_string(i)).c_str()), 0);
    }
    EXPECT_EQ(Ino("/l40"), Ino("/top"));
    EXPECT_EQ(Ino("/l41"), -ELOOP);
}

TEST_F(PathLookup, SymlinkExpansionPastPathMaxIsENAMETOOLONG)
{
    std::string long_target = "/a";
    while (long_target.size() + 2 < 4000)
        long_target += "/.";
    ASSERT_EQ(fut_vfs_symlink(long_target.c_str(), nullptr, "/long"), 0);
    EXPECT_EQ(Ino("/long"), Ino("/a"));
    // The link's target plus the rest of the path no longer fits.
    std::string path = "/long";
    while (path.size() < 200)
        path += "/.";
    EXPECT_EQ(Ino(path.c_str()), -ENAMETOOLONG);
}

TEST_F(PathLookup, SymlinkTargetTooLongOrEmptyIsRefused)
{
    std::string huge(4096, 'x');
    EXPECT_EQ(fut_vfs_symlink(huge.c_str(), nullptr, "/huge"), -ENAMETOOLONG);
    EXPECT_EQ(fut_vfs_symlink("", nullptr, "/empty"), -ENOENT);
    EXPECT_EQ(fut_vfs_symlink("/top", nullptr, "/top"), -EEXIST);
}

TEST_F(PathLookup, DirectoryFlagRefusesFiles)
{
    fut_vnode *vn = nullptr;
    EXPECT_EQ(fut_vfs_lookup(nullptr, "/top", FUT_LOOKUP_DIRECTORY, &vn), -ENOTDIR);
    EXPECT_EQ(fut_vfs_lookup(nullptr, "/a", FUT_LOOKUP_DIRECTORY, &vn), 0);
    fut_vnode_put(vn);
}

TEST_F(PathLookup, DotDotOfRemovedCwdIsENOENT)
{
    fut_vnode *c = Lookup("/a/b/c");
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/a/b/c"), 0);
    EXPECT_EQ(Ino(".", c), (int64_t)c->ino);
    EXPECT_EQ(Ino("..", c), -ENOENT);
    EXPECT_EQ(fut_vfs_mkdir(c, "new", 0755), -ENOENT);
    fut_vnode_put(c);
}

class Mounts : public VfsTest
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        ASSERT_EQ(fut_vfs_mkdir(nullptr, "/mnt", 0755), 0);
        WriteFile("/mnt/hidden", "under the mount");
        ASSERT_EQ(fut_ramfs_create(&fs_), 0);
    }

    fut_fs *fs_ = nullptr;
};

TEST_F(Mounts, LookupsCrossIntoTheMountedFilesystem)
{
    fut_stat before = Stat("/mnt");
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    fut_stat after = Stat("/mnt");
    EXPECT_NE(after.st_dev, before.st_dev);
    EXPECT_EQ(after.st_ino, fs_->root->ino);
    fut_stat st;
    EXPECT_EQ(fut_vfs_stat(nullptr, "/mnt/hidden", &st), -ENOENT);
    WriteFile("/mnt/inside", "new fs");
    EXPECT_EQ(ReadFile("/mnt/inside"), "new fs");
    EXPECT_EQ(Stat("/mnt/inside").st_dev, after.st_dev);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/mnt/inside"), 0);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
    EXPECT_EQ(ReadFile("/mnt/hidden"), "under the mount");
}

TEST_F(Mounts, DotDotAtMountRootGoesToTheParentFilesystem)
{
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/mnt/sub", 0755), 0);
    fut_stat root = Stat("/");
    fut_stat up = Stat("/mnt/..");
    EXPECT_EQ(up.st_ino, root.st_ino);
    EXPECT_EQ(up.st_dev, root.st_dev);
    fut_stat upup = Stat("/mnt/sub/../..");
    EXPECT_EQ(upup.st_ino, root.st_ino);
    EXPECT_EQ(upup.st_dev, root.st_dev);
    // From inside, relative.
    fut_vnode *sub = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/mnt/sub", FUT_LOOKUP_FOLLOW, &sub), 0);
    fut_stat st;
    ASSERT_EQ(fut_vfs_stat(sub, "../../mnt/sub", &st), 0);
    EXPECT_EQ(st.st_ino, sub->ino);
    fut_vnode_put(sub);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/mnt/sub"), 0);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, SymlinkIntoAMountIsFollowedAcross)
{
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    WriteFile("/mnt/f", "across");
    ASSERT_EQ(fut_vfs_symlink("/mnt/f", nullptr, "/link"), 0);
    EXPECT_EQ(ReadFile("/link"), "across");
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/mnt/f"), 0);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, MountPointCannotBeRemovedOrRenamed)
{
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/mnt"), -EBUSY);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/mnt", nullptr, "/elsewhere"), -EBUSY);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/empty", 0755), 0);
    EXPECT_EQ(fut_vfs_rename(nullptr, "/empty", nullptr, "/mnt"), -EBUSY);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, "/empty"), 0);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, CrossFilesystemRenameAndLinkAreEXDEV)
{
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    WriteFile("/root-file", "r");
    EXPECT_EQ(fut_vfs_rename(nullptr, "/root-file", nullptr, "/mnt/moved"), -EXDEV);
    EXPECT_EQ(fut_vfs_link(nullptr, "/root-file", nullptr, "/mnt/linked", 0), -EXDEV);
    EXPECT_EQ(ReadFile("/root-file"), "r");
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, UmountIsBusyWhileSomethingInsideIsReferenced)
{
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    WriteFile("/mnt/f", "x");
    fut_file *f = nullptr;
    ASSERT_EQ(fut_vfs_open(nullptr, "/mnt/f", FUT_O_RDONLY, 0, &f), 0);
    EXPECT_EQ(fut_vfs_umount(nullptr, "/mnt"), -EBUSY);
    fut_vfs_close(f);
    fut_vnode *cwd = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/mnt", FUT_LOOKUP_FOLLOW, &cwd), 0);
    EXPECT_EQ(fut_vfs_umount(nullptr, "/mnt"), -EBUSY);
    fut_vnode_put(cwd);
    // Files that are only linked (not open) do not keep it busy.
    EXPECT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, UmountOfSomethingNotMountedIsEINVAL)
{
    EXPECT_EQ(fut_vfs_umount(nullptr, "/mnt"), -EINVAL);
    EXPECT_EQ(fut_vfs_umount(nullptr, "/nope"), -ENOENT);
    EXPECT_EQ(fut_fs_destroy(fs_), 0);
}

TEST_F(Mounts, AFilesystemMountsOnceAndNotOnTheRootOrAFile)
{
    EXPECT_EQ(fut_vfs_mount(nullptr, "/", fs_), -EBUSY);
    EXPECT_EQ(fut_vfs_mount(nullptr, "/mnt/hidden", fs_), -ENOTDIR);
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/other", 0755), 0);
    EXPECT_EQ(fut_vfs_mount(nullptr, "/other", fs_), -EBUSY);
    EXPECT_EQ(fut_fs_destroy(fs_), -EBUSY); // mounted
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, RootUmountIsBusyWhileAnotherFilesystemIsMountedOnIt)
{
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    EXPECT_EQ(fut_vfs_umount(nullptr, "/"), -EBUSY);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

TEST_F(Mounts, StackedMountHidesTheLowerOneUntilUnmounted)
{
    fut_fs *upper = nullptr;
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", fs_), 0);
    WriteFile("/mnt/lower", "l");
    ASSERT_EQ(fut_ramfs_create(&upper), 0);
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt", upper), 0);
    fut_stat st;
    EXPECT_EQ(fut_vfs_stat(nullptr, "/mnt/lower", &st), -ENOENT);
    EXPECT_EQ(Stat("/mnt/..").st_ino, Stat("/").st_ino);
    EXPECT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0); // the upper one
    EXPECT_EQ(ReadFile("/mnt/lower"), "l");
    EXPECT_EQ(fut_vfs_umount(nullptr, "/mnt"), 0);
}

} // namespace
