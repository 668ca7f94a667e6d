// The initramfs() rule's output, read back with the kernel's own cpio reader:
// every entry, in order, with its mode and contents.
#include "futura/vfs/cpio.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace
{

std::string ReadFile(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    EXPECT_TRUE(f.good()) << "cannot open " << path;
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

struct Expected {
    const char *name;
    uint32_t mode;
    std::string data;
};

TEST(InitramfsRule, ArchiveHoldsEveryEntrySortedWithDefaultAndOverriddenModes)
{
    const std::string archive = ReadFile("testing/initramfs/test_archive.cpio");
    const std::string motd = ReadFile("testing/initramfs/testdata/motd");
    const std::vector<Expected> expected = {
        {"/bin", 040755, ""},
        {"/bin/greet", 0100755, "#!/bin/sh\necho greetings\n"},    // executable target
        {"/bin/hello", 0100755, ReadFile("userland/hello/hello")}, // ELF from userland_binary
        {"/bin/script", 0100755, ReadFile("testing/initramfs/testdata/script.sh")},
        {"/etc", 040755, ""},
        {"/etc/generated", 0100644, "generated\n"}, // a build output, not a program
        {"/etc/issue", 0120777, "motd"},
        {"/etc/motd", 0100644, motd},
        {"/etc/motd.copy", 0100644, motd},
        {"/etc/secret", 0100600, ReadFile("testing/initramfs/testdata/secret")},
        {"/tmp", 041777, ""},
        {"/usr", 040755, ""}, // implied by /usr/bin
        {"/usr/bin", 0120777, "../bin"},
        {"/var", 040755, ""},
        {"/var/log", 040755, ""},
    };

    fut_cpio_reader r;
    std::unique_ptr<fut_cpio_entry> e(new fut_cpio_entry);
    fut_cpio_init(&r, archive.data(), archive.size());
    size_t i = 0;
    int rc;
    while ((rc = fut_cpio_next(&r, e.get())) > 0) {
        ASSERT_LT(i, expected.size()) << "extra entry " << e->name;
        EXPECT_EQ(std::string(e->name), expected[i].name);
        EXPECT_EQ(e->mode, expected[i].mode) << e->name;
        EXPECT_EQ(std::string(static_cast<const char *>(e->data), e->size), expected[i].data)
            << e->name;
        EXPECT_EQ(e->uid, 0u);
        EXPECT_EQ(e->gid, 0u);
        EXPECT_EQ(e->mtime, 0u);
        EXPECT_EQ(e->ino, i + 1);
        i++;
    }
    EXPECT_EQ(rc, 0) << fut_cpio_error(&r);
    EXPECT_EQ(i, expected.size());
    EXPECT_EQ(archive.size() % 512, 0u);
}

} // namespace
