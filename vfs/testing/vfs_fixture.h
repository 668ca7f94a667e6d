// A gtest fixture for VFS host tests: 16 MiB of fake RAM behind the global
// PMM, a fresh kernel heap, and a RamFS mounted as the root. TearDown
// unmounts everything and checks that live vnodes, open files,
// filesystems, mounts, heap objects and free frames are back at baseline.
#ifndef FUTURA_VFS_TESTING_VFS_FIXTURE_H
#define FUTURA_VFS_TESTING_VFS_FIXTURE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "futura/vfs/vfs.h"

namespace fut_test
{

class VfsTest : public ::testing::Test
{
  protected:
    static constexpr size_t kRamBytes = 16 << 20;

    void SetUp() override;
    void TearDown() override;

    // Mounts a DevFS on /dev (creating the directory); TearDown unmounts it.
    void MountDevfs();

    // Whole-file helpers on absolute or root-relative paths. They fail the
    // test (and return empty/false) on any error.
    void WriteFile(const std::string &path, const std::string &data, uint32_t mode = 0644);
    std::string ReadFile(const std::string &path);
    // Every name getdents64 reports for the directory, in order, "." and ".." included.
    std::vector<std::string> List(const std::string &path);

    fut_stat Stat(const std::string &path);
    fut_vfs_stats VfsStats();
    uint64_t FreeFrames();

  private:
    bool devfs_mounted_ = false;
    uint64_t baseline_frames_ = 0;
};

} // namespace fut_test

#endif
