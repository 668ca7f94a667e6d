// Randomized model tests of RamFS file data: thousands of writes, appends,
// truncates and reads (fixed seeds) checked against a std::string that holds
// what the file must contain, and against the set of pages that must have a
// frame. A sparse variant spreads short writes over a terabyte and models
// only the bytes written.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include "futura/vfs/ramfs.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/vfs.h"

namespace
{

using fut_test::VfsTest;

constexpr uint64_t kPage = 4096;

class FileModel : public VfsTest
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        ASSERT_EQ(fut_vfs_open(nullptr, "/model", FUT_O_RDWR | FUT_O_CREAT, 0644, &file_), 0);
        ASSERT_EQ(fut_vfs_open(nullptr, "/model", FUT_O_WRONLY | FUT_O_APPEND, 0, &appender_), 0);
    }
    void TearDown() override
    {
        fut_vfs_close(appender_);
        fut_vfs_close(file_);
        EXPECT_EQ(fut_vfs_unlink(nullptr, "/model"), 0);
        VfsTest::TearDown();
    }

    fut_stat Fstat()
    {
        fut_stat st{};
        EXPECT_EQ(fut_vfs_fstat(file_, &st), 0);
        return st;
    }

    fut_file *file_ = nullptr;
    fut_file *appender_ = nullptr;
};

std::string RandomBytes(std::mt19937_64 &rng, size_t len)
{
    std::string s(len, '\0');
    for (char &c : s)
        c = (char)(rng() % 255 + 1); // never 0, so a missing byte shows
    return s;
}

// Pages [first, last] that a write of len bytes at off touches.
void MarkPages(std::set<uint64_t> &pages, uint64_t off, size_t len)
{
    if (len == 0)
        return;
    for (uint64_t p = off / kPage; p <= (off + len - 1) / kPage; p++)
        pages.insert(p);
}

TEST_F(FileModel, WriteTruncateReadMatchAStringModel)
{
    std::mt19937_64 rng(20261207);
    std::string model;
    std::set<uint64_t> frames; // pages that must hold a frame
    const uint64_t span = 6 * kPage;
    for (int step = 0; step < 4000; step++) {
        SCOPED_TRACE("step " + std::to_string(step));
        switch (rng() % 6) {
        case 0:
        case 1: { // pwrite anywhere, possibly past the end
            uint64_t off = rng() % span;
            size_t len = rng() % (2 * kPage);
            std::string data = RandomBytes(rng, len);
            ASSERT_EQ(fut_vfs_pwrite(file_, data.data(), len, (int64_t)off), (int64_t)len);
            if (len && model.size() < off + len)
                model.resize(off + len, '\0');
            model.replace(off, len, data);
            MarkPages(frames, off, len);
            break;
        }
        case 2: { // lseek + write at the file offset
            uint64_t off = rng() % span;
            size_t len = rng() % 300;
            std::string data = RandomBytes(rng, len);
            ASSERT_EQ(fut_vfs_lseek(file_, (int64_t)off, FUT_SEEK_SET), (int64_t)off);
            ASSERT_EQ(fut_vfs_write(file_, data.data(), len), (int64_t)len);
            ASSERT_EQ(fut_vfs_lseek(file_, 0, FUT_SEEK_CUR), (int64_t)(off + len));
            if (len && model.size() < off + len)
                model.resize(off + len, '\0');
            model.replace(off, len, data);
            MarkPages(frames, off, len);
            break;
        }
        case 3: { // O_APPEND from another open file
            size_t len = rng() % 500;
            std::string data = RandomBytes(rng, len);
            ASSERT_EQ(fut_vfs_write(appender_, data.data(), len), (int64_t)len);
            MarkPages(frames, model.size(), len);
            model += data;
            break;
        }
        case 4: { // truncate, shrinking more often than growing
            uint64_t size = rng() % 4 ? rng() % (model.size() + 1) : rng() % span;
            ASSERT_EQ(fut_vfs_ftruncate(file_, (int64_t)size), 0);
            model.resize(size, '\0');
            frames.erase(frames.lower_bound((size + kPage - 1) / kPage), frames.end());
            break;
        }
        case 5: { // pread a window, partly past the end at times
            uint64_t off = rng() % (span + kPage);
            size_t len = rng() % (3 * kPage);
            std::string buf(len, '?');
            int64_t n = fut_vfs_pread(file_, &buf[0], len, (int64_t)off);
            std::string want = off < model.size() ? model.substr(off, len) : "";
            ASSERT_EQ(n, (int64_t)want.size());
            buf.resize(want.size());
            ASSERT_EQ(buf, want);
            break;
        }
        }
        fut_stat st = Fstat();
        ASSERT_EQ(st.st_size, (int64_t)model.size());
        ASSERT_EQ(st.st_blocks, (int64_t)(frames.size() * kPage / 512));
        if (step % 250 == 0) {
            ASSERT_EQ(ReadFile("/model"), model);
        }
    }
    ASSERT_EQ(ReadFile("/model"), model);
}

TEST_F(FileModel, SparseWritesOverATerabyteMatchAByteModel)
{
    std::mt19937_64 rng(42);
    std::map<uint64_t, char> bytes; // every byte that is not zero
    std::set<uint64_t> frames;
    uint64_t size = 0;
    const uint64_t span = 1ull << 40;
    std::vector<uint64_t> spots; // offsets written, to read near them later
    for (int step = 0; step < 1500; step++) {
        SCOPED_TRACE("step " + std::to_string(step));
        int op = rng() % 4;
        if (op <= 1) {
            uint64_t off = rng() % 3 ? rng() % span : rng() % (8 * kPage);
            size_t len = 1 + rng() % 64;
            std::string data = RandomBytes(rng, len);
            ASSERT_EQ(fut_vfs_pwrite(file_, data.data(), len, (int64_t)off), (int64_t)len);
            for (size_t i = 0; i < len; i++)
                bytes[off + i] = data[i];
            size = std::max(size, off + len);
            MarkPages(frames, off, len);
            spots.push_back(off);
        } else if (op == 2) {
            uint64_t to = rng() % 2 ? rng() % (size + 1) : rng() % span;
            ASSERT_EQ(fut_vfs_ftruncate(file_, (int64_t)to), 0);
            bytes.erase(bytes.lower_bound(to), bytes.end());
            frames.erase(frames.lower_bound((to + kPage - 1) / kPage), frames.end());
            size = to;
        } else if (!spots.empty()) {
            uint64_t at = spots[rng() % spots.size()];
            uint64_t off = at > 100 ? at - 100 : 0;
            std::string buf(300, '?');
            int64_t n = fut_vfs_pread(file_, &buf[0], buf.size(), (int64_t)off);
            uint64_t want_len = off < size ? std::min<uint64_t>(300, size - off) : 0;
            ASSERT_EQ(n, (int64_t)want_len);
            for (uint64_t i = 0; i < want_len; i++) {
                auto it = bytes.find(off + i);
                ASSERT_EQ(buf[i], it == bytes.end() ? '\0' : it->second) << "offset " << off + i;
            }
        }
        fut_stat st = Fstat();
        ASSERT_EQ(st.st_size, (int64_t)size);
        ASSERT_EQ(st.st_blocks, (int64_t)(frames.size() * kPage / 512));
    }
}

} // namespace
