// Host tests for pipes (vfs/pipe.c): data order across the ring's wrap,
// end of file, EPIPE and the SIGPIPE hook, atomic PIPE_BUF writes,
// O_NONBLOCK, readiness for poll, and sleeping readers and writers.
//
// Blocking is played with the scheduler's fake arch: a thread that waits
// switches to the idle thread, the switch hook runs "while it sleeps" and
// plays the other side (from the idle thread, which never blocks), then
// yields back so the sleeper's wait returns and its loop re-checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "futura/errno.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/scheduler/testing/fake_arch.h"
#include "futura/scheduler/testing/sleep_player.h"
#include "futura/scheduler/timer.h"
#include "futura/scheduler/waitq.h"
#include "futura/vfs/pipe.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/vfs.h"

namespace
{

int sigpipes; // calls of the SIGPIPE hook

void CountSigpipe()
{
    sigpipes++;
}

class PipeTest : public fut_test::VfsTest, protected fut_test::SleepPlayer
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        fut_fake_arch_reset();
        fut_process_init();
        fut_timers_init(0);
        idle_ = fut_sched_init();
        fut_waitq_init(&fut_poll_waitq);
        sigpipes = 0;
        fut_pipe_set_sigpipe_hook(CountSigpipe);
        baseline_ = VfsStats();
    }

    void TearDown() override
    {
        fut_fake_arch_set_switch_hook(nullptr, nullptr);
        fut_pipe_set_sigpipe_hook(nullptr);
        EXPECT_EQ(fut_pipe_count(), 0u);
        EXPECT_EQ(fut_sched_current(), idle_);
        EXPECT_TRUE(fut_sched_check());
        EXPECT_FALSE(fut_waitq_has_waiters(&fut_poll_waitq));
        EXPECT_TRUE(fut_fake_irqs_enabled());
        fut_fake_arch_stats arch;
        fut_fake_arch_get_stats(&arch);
        EXPECT_EQ(arch.switches_with_irqs_on, 0u);
        VfsTest::TearDown(); // vnodes, files, filesystems, heap, frames at baseline
    }

    void MakePipe(uint32_t flags = 0)
    {
        ASSERT_EQ(fut_pipe_create(&rd_, &wr_, flags), 0);
    }

    void ClosePipe()
    {
        if (rd_)
            fut_vfs_close(rd_);
        if (wr_)
            fut_vfs_close(wr_);
        rd_ = wr_ = nullptr;
    }

    // Another open file on the pipe (as opening /proc/self/fd/N would give).
    static fut_file *Reopen(fut_file *f, uint32_t flags)
    {
        fut_file *g = nullptr;
        EXPECT_EQ(fut_vfs_open_vnode(f->vnode, flags, &g), 0);
        return g;
    }

    static std::string Pattern(size_t n, size_t seed)
    {
        std::string s(n, '\0');
        for (size_t i = 0; i < n; i++)
            s[i] = (char)('a' + (seed + i * 7) % 26);
        return s;
    }

    static int64_t Write(fut_file *f, const std::string &s)
    {
        return fut_vfs_write(f, s.data(), s.size());
    }

    // Reads exactly n bytes without blocking (they must be there).
    static std::string Read(fut_file *f, size_t n)
    {
        std::string s(n, '\0');
        size_t got = 0;
        while (got < n) {
            int64_t r = fut_vfs_read(f, &s[got], n - got);
            EXPECT_GT(r, 0);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        s.resize(got);
        return s;
    }

    fut_file *rd_ = nullptr;
    fut_file *wr_ = nullptr;
    fut_vfs_stats baseline_ = {};
};

// ---- the two ends ----

TEST_F(PipeTest, EndsAreOneFifoVnodeOpenedReadOnlyAndWriteOnly)
{
    MakePipe();
    fut_stat a{}, b{};
    ASSERT_EQ(fut_vfs_fstat(rd_, &a), 0);
    ASSERT_EQ(fut_vfs_fstat(wr_, &b), 0);
    EXPECT_EQ(a.st_mode, (uint32_t)(FUT_S_IFIFO | 0600));
    EXPECT_EQ(a.st_ino, b.st_ino);
    EXPECT_EQ(a.st_dev, b.st_dev);
    EXPECT_EQ(a.st_nlink, 1u);
    EXPECT_EQ(a.st_size, 0);
    EXPECT_EQ(rd_->flags & FUT_O_ACCMODE, (uint32_t)FUT_O_RDONLY);
    EXPECT_EQ(wr_->flags & FUT_O_ACCMODE, (uint32_t)FUT_O_WRONLY);
    char c = 'x';
    EXPECT_EQ(fut_vfs_write(rd_, &c, 1), -EBADF);
    EXPECT_EQ(fut_vfs_read(wr_, &c, 1), -EBADF);
    EXPECT_EQ(fut_vfs_lseek(rd_, 0, FUT_SEEK_SET), -ESPIPE);
    EXPECT_EQ(fut_vfs_lseek(wr_, 0, FUT_SEEK_CUR), -ESPIPE);
    EXPECT_EQ(fut_vfs_pread(rd_, &c, 1, 0), -ESPIPE);
    EXPECT_EQ(fut_vfs_pwrite(wr_, &c, 1, 0), -ESPIPE);
    EXPECT_EQ(fut_vfs_ftruncate(wr_, 0), -EINVAL);
    ClosePipe();
}

TEST_F(PipeTest, SecondPipeIsAnotherInodeOfTheSameFilesystem)
{
    fut_file *r2, *w2;
    MakePipe();
    ASSERT_EQ(fut_pipe_create(&r2, &w2, 0), 0);
    fut_stat a{}, b{};
    fut_vfs_fstat(rd_, &a);
    fut_vfs_fstat(r2, &b);
    EXPECT_EQ(a.st_dev, b.st_dev);
    EXPECT_NE(a.st_ino, b.st_ino);
    fut_vfs_close(r2);
    fut_vfs_close(w2);
    ClosePipe();
}

TEST_F(PipeTest, OnlyNonblockIsAcceptedAsFlagAndBothEndsGetIt)
{
    fut_file *r = nullptr, *w = nullptr;
    EXPECT_EQ(fut_pipe_create(&r, &w, FUT_O_CLOEXEC), -EINVAL);
    EXPECT_EQ(fut_pipe_create(&r, &w, FUT_O_APPEND), -EINVAL);
    EXPECT_EQ(fut_pipe_count(), 0u);
    MakePipe(FUT_O_NONBLOCK);
    EXPECT_TRUE(rd_->flags & FUT_O_NONBLOCK);
    EXPECT_TRUE(wr_->flags & FUT_O_NONBLOCK);
    ClosePipe();
}

// ---- data ----

TEST_F(PipeTest, BytesComeOutInOrderAcrossManyRingWraparounds)
{
    MakePipe(FUT_O_NONBLOCK);
    std::deque<char> model;
    size_t seed = 0, total = 0;
    // Odd sizes so head and tail meet the ring's end at every offset.
    for (int step = 0; total < 5 * FUT_PIPE_SIZE; step++) {
        size_t wlen = 1 + (size_t)(step * 7919) % 20011;
        std::string w = Pattern(wlen, seed);
        seed += wlen;
        int64_t n = Write(wr_, w);
        size_t room = FUT_PIPE_SIZE - model.size();
        size_t fits = (wlen <= FUT_PIPE_BUF && wlen > room) ? 0 : std::min(wlen, room);
        if (fits == 0) {
            ASSERT_EQ(n, -EAGAIN) << "step " << step;
            n = 0;
        } else {
            ASSERT_EQ(n, (int64_t)fits) << "step " << step;
        }
        model.insert(model.end(), w.begin(), w.begin() + n);
        total += (size_t)n;
        size_t rlen = 1 + (size_t)(step * 104729) % 30011;
        std::string r(rlen, '\0');
        int64_t got = fut_vfs_read(rd_, &r[0], rlen);
        if (model.empty()) {
            ASSERT_EQ(got, -EAGAIN);
            continue;
        }
        ASSERT_EQ(got, (int64_t)std::min(rlen, model.size())) << "step " << step;
        ASSERT_TRUE(std::equal(r.begin(), r.begin() + got, model.begin())) << "step " << step;
        model.erase(model.begin(), model.begin() + got);
    }
    ClosePipe();
}

TEST_F(PipeTest, HoldsExactly64KiBThenNonblockingWritesFail)
{
    MakePipe(FUT_O_NONBLOCK);
    std::string big = Pattern(FUT_PIPE_SIZE + 1000, 3);
    EXPECT_EQ(Write(wr_, big), FUT_PIPE_SIZE);
    EXPECT_EQ(Write(wr_, "x"), -EAGAIN);
    EXPECT_EQ(Write(wr_, Pattern(FUT_PIPE_BUF + 1, 0)), -EAGAIN);
    EXPECT_EQ(Read(rd_, FUT_PIPE_SIZE), big.substr(0, FUT_PIPE_SIZE));
    char c;
    EXPECT_EQ(fut_vfs_read(rd_, &c, 1), -EAGAIN);
    ClosePipe();
}

TEST_F(PipeTest, ZeroLengthReadAndWriteReturnZeroAtOnce)
{
    MakePipe(); // blocking ends: neither may sleep
    char c;
    EXPECT_EQ(fut_vfs_read(rd_, &c, 0), 0);
    EXPECT_EQ(fut_vfs_write(wr_, &c, 0), 0);
    fut_vfs_close(rd_);
    rd_ = nullptr;
    EXPECT_EQ(fut_vfs_write(wr_, &c, 0), 0);
    EXPECT_EQ(sigpipes, 0);
    ClosePipe();
}

TEST_F(PipeTest, NonblockingAtomicWriteIsAllOrNothingLongerOneIsPartial)
{
    MakePipe(FUT_O_NONBLOCK);
    std::string fill = Pattern(FUT_PIPE_SIZE - 100, 1);
    ASSERT_EQ(Write(wr_, fill), (int64_t)fill.size());
    // 200 <= PIPE_BUF does not fit in the 100 free bytes: nothing is written.
    EXPECT_EQ(Write(wr_, std::string(200, 'A')), -EAGAIN);
    EXPECT_EQ(Write(wr_, std::string(FUT_PIPE_BUF, 'A')), -EAGAIN);
    // Longer than PIPE_BUF: what fits goes in.
    EXPECT_EQ(Write(wr_, std::string(FUT_PIPE_BUF + 1, 'B')), 100);
    EXPECT_EQ(Read(rd_, FUT_PIPE_SIZE), fill + std::string(100, 'B'));
    ClosePipe();
}

// ---- the end of either side ----

TEST_F(PipeTest, ReaderSeesDataThenEofOnlyAfterLastWriterCloses)
{
    MakePipe(FUT_O_NONBLOCK);
    fut_file_get(wr_);                        // a dup of the write end: the same open file
    fut_file *w2 = Reopen(wr_, FUT_O_WRONLY); // another open file
    ASSERT_EQ(Write(wr_, "hello"), 5);
    fut_vfs_close(wr_);
    char buf[16];
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), 5);
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), -EAGAIN); // wr_ is still held once
    fut_vfs_close(wr_);
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), -EAGAIN); // and w2 is open
    ASSERT_EQ(Write(w2, "bye"), 3);
    fut_vfs_close(w2);
    wr_ = nullptr;
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), 3); // data first
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), 0);
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), 0);
    ClosePipe();
}

TEST_F(PipeTest, WriteWithoutReaderFailsWithEpipeAndRunsSigpipeHook)
{
    MakePipe();
    fut_file_get(rd_);
    fut_vfs_close(rd_);
    EXPECT_EQ(Write(wr_, "x"), 1); // one holder left
    fut_vfs_close(rd_);
    rd_ = nullptr;
    EXPECT_EQ(sigpipes, 0);
    EXPECT_EQ(Write(wr_, "x"), -EPIPE);
    EXPECT_EQ(sigpipes, 1);
    EXPECT_EQ(Write(wr_, std::string(100000, 'x')), -EPIPE);
    EXPECT_EQ(sigpipes, 2);
    fut_pipe_set_sigpipe_hook(nullptr);
    EXPECT_EQ(Write(wr_, "x"), -EPIPE);
    ClosePipe();
}

// ---- readiness ----

TEST_F(PipeTest, PollReportsDataRoomHangupAndError)
{
    const uint32_t in = FUT_POLLIN | FUT_POLLRDNORM, out = FUT_POLLOUT | FUT_POLLWRNORM;
    MakePipe(FUT_O_NONBLOCK);
    EXPECT_EQ(fut_vfs_poll(rd_), 0u);
    EXPECT_EQ(fut_vfs_poll(wr_), out);
    ASSERT_EQ(Write(wr_, "x"), 1);
    EXPECT_EQ(fut_vfs_poll(rd_), in);
    // Writable while an atomic write fits.
    ASSERT_EQ(Write(wr_, Pattern(FUT_PIPE_SIZE - FUT_PIPE_BUF - 1, 0)),
              FUT_PIPE_SIZE - FUT_PIPE_BUF - 1);
    EXPECT_EQ(fut_vfs_poll(wr_), out);
    ASSERT_EQ(Write(wr_, "y"), 1);
    EXPECT_EQ(fut_vfs_poll(wr_), 0u);
    Read(rd_, 1);
    EXPECT_EQ(fut_vfs_poll(wr_), out);
    fut_vfs_close(wr_);
    wr_ = nullptr;
    EXPECT_EQ(fut_vfs_poll(rd_), in | FUT_POLLHUP);
    Read(rd_, FUT_PIPE_SIZE - FUT_PIPE_BUF);
    EXPECT_EQ(fut_vfs_poll(rd_), (uint32_t)FUT_POLLHUP);
    ClosePipe();

    MakePipe();
    fut_vfs_close(rd_);
    rd_ = nullptr;
    EXPECT_EQ(fut_vfs_poll(wr_), out | FUT_POLLERR);
    ClosePipe();
}

TEST_F(PipeTest, FilesWithoutPollOpAreAlwaysReady)
{
    WriteFile("/f", "data");
    fut_file *f = nullptr;
    ASSERT_EQ(fut_vfs_open(nullptr, "/f", FUT_O_RDONLY, 0, &f), 0);
    EXPECT_EQ(fut_vfs_poll(f),
              (uint32_t)(FUT_POLLIN | FUT_POLLRDNORM | FUT_POLLOUT | FUT_POLLWRNORM));
    fut_vfs_close(f);
}

// ---- sleeping readers and writers ----

TEST_F(PipeTest, ReaderSleepsUntilAWriterWrites)
{
    MakePipe();
    fut_thread *reader = RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int n) {
        EXPECT_EQ(n, 1);
        EXPECT_EQ(sleeper, reader);
        EXPECT_EQ(Write(wr_, "ping"), 4); // from another thread
        YieldTo(sleeper);
    });
    char buf[16];
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), 4);
    EXPECT_EQ(std::string(buf, 4), "ping");
    EXPECT_EQ(sleeps_, 1);
    EXPECT_EQ(reader->wake_reason, FUT_WAKE_EVENT);
    ExitThread();
    ClosePipe();
}

TEST_F(PipeTest, SleepingReaderGetsEofWhenLastWriterCloses)
{
    MakePipe();
    RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int) {
        fut_vfs_close(wr_);
        wr_ = nullptr;
        YieldTo(sleeper);
    });
    char buf[16];
    EXPECT_EQ(fut_vfs_read(rd_, buf, sizeof(buf)), 0);
    EXPECT_EQ(sleeps_, 1);
    ExitThread();
    ClosePipe();
}

TEST_F(PipeTest, WriterSleepsWhileFullUntilAReaderMakesRoom)
{
    MakePipe();
    std::string fill = Pattern(FUT_PIPE_SIZE, 5);
    ASSERT_EQ(Write(wr_, fill), FUT_PIPE_SIZE);
    RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int) {
        EXPECT_EQ(Read(rd_, 10), fill.substr(0, 10));
        YieldTo(sleeper);
    });
    EXPECT_EQ(Write(wr_, "0123456789"), 10);
    EXPECT_EQ(sleeps_, 1);
    ExitThread();
    EXPECT_EQ(Read(rd_, FUT_PIPE_SIZE), fill.substr(10) + "0123456789");
    ClosePipe();
}

// A PIPE_BUF write waits until all of it fits: while it sleeps another
// writer's bytes can fill the room it could not use, and its bytes arrive in
// one piece after them.
TEST_F(PipeTest, AtomicWriteSleepsUntilAllOfItFitsAndIsNeverSplit)
{
    MakePipe();
    fut_file *other = Reopen(wr_, FUT_O_WRONLY | FUT_O_NONBLOCK);
    std::string fill = Pattern(FUT_PIPE_SIZE - 1000, 9);
    ASSERT_EQ(Write(wr_, fill), (int64_t)fill.size());
    RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int n) {
        if (n == 1) {
            // The sleeper wrote nothing: all 1000 free bytes are still free.
            EXPECT_EQ(Write(other, std::string(1000, 'X')), 1000);
            EXPECT_EQ(Read(rd_, 3000), fill.substr(0, 3000)); // 3000 free: not enough
        } else {
            EXPECT_EQ(n, 2);
            EXPECT_EQ(Read(rd_, 2000), fill.substr(3000, 2000)); // now 5000 free
        }
        YieldTo(sleeper);
    });
    EXPECT_EQ(Write(wr_, std::string(FUT_PIPE_BUF, 'W')), FUT_PIPE_BUF);
    EXPECT_EQ(sleeps_, 2);
    ExitThread();
    fut_vfs_close(other);
    EXPECT_EQ(Read(rd_, FUT_PIPE_SIZE - 904),
              fill.substr(5000) + std::string(1000, 'X') + std::string(FUT_PIPE_BUF, 'W'));
    ClosePipe();
}

TEST_F(PipeTest, LongWriteFillsThePipeSleepsAndFinishes)
{
    MakePipe();
    std::string data = Pattern(100000, 11);
    RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int n) {
        EXPECT_EQ(n, 1);
        EXPECT_EQ(Read(rd_, FUT_PIPE_SIZE),
                  data.substr(0, FUT_PIPE_SIZE)); // written before sleeping
        YieldTo(sleeper);
    });
    EXPECT_EQ(Write(wr_, data), 100000);
    ExitThread();
    EXPECT_EQ(Read(rd_, 100000 - FUT_PIPE_SIZE), data.substr(FUT_PIPE_SIZE));
    ClosePipe();
}

TEST_F(PipeTest, SleepingWriterFailsWithEpipeWhenLastReaderCloses)
{
    MakePipe();
    ASSERT_EQ(Write(wr_, Pattern(FUT_PIPE_SIZE, 0)), FUT_PIPE_SIZE);
    RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int) {
        EXPECT_EQ(sigpipes, 0);
        fut_vfs_close(rd_);
        rd_ = nullptr;
        YieldTo(sleeper);
    });
    EXPECT_EQ(Write(wr_, "late"), -EPIPE);
    EXPECT_EQ(sigpipes, 1);
    ExitThread();
    ClosePipe();
}

TEST_F(PipeTest, LongWriteCutOffByLastReaderReturnsWhatWasWritten)
{
    MakePipe();
    RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int) {
        fut_vfs_close(rd_);
        rd_ = nullptr;
        YieldTo(sleeper);
    });
    EXPECT_EQ(Write(wr_, Pattern(100000, 0)), FUT_PIPE_SIZE);
    EXPECT_EQ(sigpipes, 1); // the writer is still signalled, as on Linux
    ExitThread();
    ClosePipe();
}

TEST_F(PipeTest, InterruptedReadReturnsEintr)
{
    MakePipe();
    fut_thread *t = RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int) {
        fut_thread_interrupt(sleeper); // a signal
        YieldTo(sleeper);
    });
    char c;
    EXPECT_EQ(fut_vfs_read(rd_, &c, 1), -EINTR);
    // While the interrupt is pending, a read that would sleep returns at once.
    fut_fake_arch_set_switch_hook(nullptr, nullptr);
    EXPECT_EQ(fut_vfs_read(rd_, &c, 1), -EINTR);
    fut_thread_clear_interrupt(t);
    ExitThread();
    ClosePipe();
}

TEST_F(PipeTest, InterruptedWriteReturnsThePartialCountOrEintr)
{
    MakePipe();
    fut_thread *t = RunNewThread();
    WhileAsleep([&](fut_thread *sleeper, int) {
        fut_thread_interrupt(sleeper);
        YieldTo(sleeper);
    });
    EXPECT_EQ(Write(wr_, Pattern(100000, 0)), FUT_PIPE_SIZE);
    EXPECT_EQ(Write(wr_, "x"), -EINTR);
    fut_thread_clear_interrupt(t);
    ExitThread();
    ClosePipe();
}

TEST_F(PipeTest, EveryStateChangeWakesPollers)
{
    MakePipe(FUT_O_NONBLOCK);
    // A poller sleeps on the global queue; each change must wake it.
    std::vector<std::function<void()>> changes = {
        [&] { Write(wr_, "x"); },
        [&] { Read(rd_, 1); },
        [&] {
            fut_vfs_close(wr_);
            wr_ = nullptr;
        },
    };
    for (auto &change : changes) {
        fut_thread *poller = RunNewThread();
        WhileAsleep([&](fut_thread *sleeper, int) {
            change();
            YieldTo(sleeper);
        });
        EXPECT_EQ(fut_waitq_wait(&fut_poll_waitq), FUT_WAKE_EVENT);
        EXPECT_EQ(poller->wake_reason, FUT_WAKE_EVENT);
        ExitThread();
    }
    ClosePipe();
}

// ---- resources ----

TEST_F(PipeTest, ManyPipesReleaseEverythingWhateverTheCloseOrder)
{
    const int kPipes = 40;
    std::vector<fut_file *> ends;
    for (int i = 0; i < kPipes; i++) {
        fut_file *r, *w;
        ASSERT_EQ(fut_pipe_create(&r, &w, i % 2 ? FUT_O_NONBLOCK : 0), 0);
        ASSERT_EQ(Write(w, Pattern((size_t)i * 1000, (size_t)i)), i * 1000);
        ends.push_back(r);
        ends.push_back(w);
    }
    fut_vfs_stats s = VfsStats();
    EXPECT_EQ(fut_pipe_count(), (uint64_t)kPipes);
    EXPECT_EQ(s.live_vnodes, baseline_.live_vnodes + kPipes);
    EXPECT_EQ(s.open_files, baseline_.open_files + 2 * kPipes);
    EXPECT_EQ(s.filesystems, baseline_.filesystems + 1); // one pipe filesystem
    // Readers first for even pipes, writers first for odd ones.
    for (int i = 0; i < kPipes; i++)
        fut_vfs_close(ends[2 * i + (i % 2)]);
    EXPECT_EQ(fut_pipe_count(), (uint64_t)kPipes);
    for (int i = kPipes - 1; i >= 0; i--)
        fut_vfs_close(ends[2 * i + 1 - (i % 2)]);
    s = VfsStats();
    EXPECT_EQ(fut_pipe_count(), 0u);
    EXPECT_EQ(s.live_vnodes, baseline_.live_vnodes);
    EXPECT_EQ(s.open_files, baseline_.open_files);
    EXPECT_EQ(s.filesystems, baseline_.filesystems);
}

TEST_F(PipeTest, PipeFilesystemComesBackForTheNextPipe)
{
    MakePipe();
    ClosePipe();
    EXPECT_EQ(VfsStats().filesystems, baseline_.filesystems);
    MakePipe();
    EXPECT_EQ(VfsStats().filesystems, baseline_.filesystems + 1);
    ASSERT_EQ(Write(wr_, "again"), 5);
    EXPECT_EQ(Read(rd_, 5), "again");
    ClosePipe();
}

} // namespace
