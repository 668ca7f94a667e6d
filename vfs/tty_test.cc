// Host tests for terminals (vfs/tty*.c): canonical editing and echo, end of
// file, raw mode with VMIN/VTIME, CR/NL translation both ways, signal keys
// through the process layer's hook, flow control of input (a full ring
// leaves bytes in the device) and output (^S/^Q), the ioctls, and the serial
// console behind /dev/console and /dev/tty on the fake HAL's UART.
//
// Most tests drive a tty on a fake device: "typing" appends to the bytes
// the device holds and calls fut_tty_input_ready, as the device's interrupt
// would. Blocking is played with the scheduler's fake arch, as in
// pipe_test.cc: a reader that waits switches to the idle thread, the switch
// hook types (or lets time pass) while it sleeps, then yields back to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <asm/termios.h>

#include "futura/errno.h"
#include "futura/fake_hal.h"
#include "futura/hal.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/scheduler/testing/fake_arch.h"
#include "futura/scheduler/testing/sleep_player.h"
#include "futura/scheduler/timer.h"
#include "futura/scheduler/waitq.h"
#include "futura/vfs/pipe.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/tty.h"
#include "futura/vfs/vfs.h"

namespace
{

constexpr uint64_t kMs = 1000000;

// Our termios is Linux's kernel struct termios, byte for byte.
static_assert(sizeof(fut_termios) == sizeof(struct termios), "struct termios size");
static_assert(offsetof(fut_termios, c_line) == offsetof(struct termios, c_line), "c_line");
static_assert(offsetof(fut_termios, c_cc) == offsetof(struct termios, c_cc), "c_cc");
static_assert(FUT_NCCS == NCCS, "NCCS");
static_assert(FUT_ICANON == ICANON && FUT_ECHO == ECHO && FUT_ECHOE == ECHOE &&
                  FUT_ECHOK == ECHOK && FUT_ECHONL == ECHONL && FUT_ISIG == ISIG &&
                  FUT_IEXTEN == IEXTEN && FUT_ECHOCTL == ECHOCTL && FUT_ECHOKE == ECHOKE &&
                  FUT_NOFLSH == NOFLSH,
              "c_lflag bits");
static_assert(FUT_ICRNL == ICRNL && FUT_INLCR == INLCR && FUT_IGNCR == IGNCR && FUT_IXON == IXON &&
                  FUT_IXANY == IXANY && FUT_ISTRIP == ISTRIP && FUT_IUTF8 == IUTF8,
              "c_iflag bits");
static_assert(FUT_OPOST == OPOST && FUT_ONLCR == ONLCR && FUT_OCRNL == OCRNL &&
                  FUT_ONOCR == ONOCR && FUT_ONLRET == ONLRET && FUT_XTABS == XTABS,
              "c_oflag bits");
static_assert(FUT_VINTR == VINTR && FUT_VQUIT == VQUIT && FUT_VERASE == VERASE &&
                  FUT_VKILL == VKILL && FUT_VEOF == VEOF && FUT_VTIME == VTIME &&
                  FUT_VMIN == VMIN && FUT_VSTART == VSTART && FUT_VSTOP == VSTOP &&
                  FUT_VSUSP == VSUSP && FUT_VEOL == VEOL && FUT_VREPRINT == VREPRINT &&
                  FUT_VWERASE == VWERASE && FUT_VLNEXT == VLNEXT && FUT_VEOL2 == VEOL2,
              "c_cc indices");

// A terminal device: the bytes it holds for the tty, and what it was sent.
struct FakeDevice {
    std::string input;
    size_t pos = 0;
    std::string output;
};

int DeviceGetc(fut_tty *tty)
{
    auto *d = static_cast<FakeDevice *>(tty->priv);
    return d->pos < d->input.size() ? (unsigned char)d->input[d->pos++] : -1;
}

void DeviceWrite(fut_tty *tty, const char *buf, size_t n)
{
    static_cast<FakeDevice *>(tty->priv)->output.append(buf, n);
}

const fut_tty_ops kDeviceOps = {DeviceWrite, DeviceGetc, nullptr};

std::vector<std::pair<int, int>> signals_sent; // (pgrp, sig) the hook was called with

void RecordSignal(int pgrp, int sig)
{
    signals_sent.emplace_back(pgrp, sig);
}

// Copies for fut_tty_ioctl: plain memory, NULL is a bad address.
int CopyIn(void *dst, const void *src, size_t n)
{
    if (!src)
        return -EFAULT;
    memcpy(dst, src, n);
    return 0;
}

int CopyOut(void *dst, const void *src, size_t n)
{
    if (!dst)
        return -EFAULT;
    memcpy(dst, src, n);
    return 0;
}

const fut_tty_user_copy kCopy = {CopyIn, CopyOut};

class TtyTest : public fut_test::VfsTest, protected fut_test::SleepPlayer
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
        signals_sent.clear();
        fut_tty_set_signal_hook(RecordSignal);
        tty_.reset(new fut_tty());
        fut_tty_init(tty_.get(), &kDeviceOps, &dev_);
    }

    void TearDown() override
    {
        fut_fake_arch_set_switch_hook(nullptr, nullptr);
        fut_tty_set_signal_hook(nullptr);
        EXPECT_FALSE(fut_waitq_has_waiters(&tty_->readers));
        EXPECT_FALSE(fut_waitq_has_waiters(&tty_->writers));
        EXPECT_FALSE(fut_waitq_has_waiters(&fut_poll_waitq));
        EXPECT_EQ(fut_sched_current(), idle_);
        EXPECT_TRUE(fut_sched_check());
        EXPECT_EQ(fut_timers_pending_count(), 0u);
        EXPECT_TRUE(fut_fake_irqs_enabled());
        fut_fake_arch_stats arch;
        fut_fake_arch_get_stats(&arch);
        EXPECT_EQ(arch.switches_with_irqs_on, 0u);
        VfsTest::TearDown();
    }

    // Input arriving: the device gets it and interrupts.
    void Type(const std::string &s)
    {
        dev_.input += s;
        fut_tty_input_ready(tty_.get());
    }

    // A read that must not wait (O_NONBLOCK unless flags say otherwise);
    // returns the data, or "<errno N>" / "<eof>".
    std::string Read(size_t len = 8192, uint32_t fflags = FUT_O_NONBLOCK)
    {
        std::string buf(len, '\0');
        int64_t n = fut_tty_read(tty_.get(), &buf[0], len, fflags);
        if (n < 0)
            return "<errno " + std::to_string(-n) + ">";
        if (n == 0)
            return "<eof>";
        buf.resize((size_t)n);
        return buf;
    }

    std::string TakeOutput()
    {
        std::string out = std::move(dev_.output);
        dev_.output.clear();
        return out;
    }

    fut_termios Termios()
    {
        fut_termios t;
        fut_tty_get_termios(tty_.get(), &t);
        return t;
    }

    void Change(const std::function<void(fut_termios &)> &edit)
    {
        fut_termios t = Termios();
        edit(t);
        fut_tty_set_termios(tty_.get(), &t);
    }

    // cfmakeraw(), then VMIN/VTIME.
    void MakeRaw(uint8_t vmin, uint8_t vtime)
    {
        Change([&](fut_termios &t) {
            t.c_iflag &= ~(FUT_IGNBRK | FUT_BRKINT | FUT_ISTRIP | FUT_INLCR | FUT_IGNCR |
                           FUT_ICRNL | FUT_IXON);
            t.c_oflag &= ~FUT_OPOST;
            t.c_lflag &= ~(FUT_ECHO | FUT_ECHONL | FUT_ICANON | FUT_ISIG | FUT_IEXTEN);
            t.c_cc[FUT_VMIN] = vmin;
            t.c_cc[FUT_VTIME] = vtime;
        });
    }

    long Ioctl(unsigned long cmd, const void *arg)
    {
        return fut_tty_ioctl(tty_.get(), cmd, (uint64_t)(uintptr_t)arg, &kCopy);
    }

    long IoctlValue(unsigned long cmd, uint64_t value)
    {
        return fut_tty_ioctl(tty_.get(), cmd, value, &kCopy);
    }

    FakeDevice dev_;
    std::unique_ptr<fut_tty> tty_;
};

// ---- Canonical mode: lines, editing, echo ----

class Canonical : public TtyTest
{
};

TEST_F(Canonical, ReadWaitsForACompleteLineAndReturnsOneLinePerRead)
{
    Type("abc");
    EXPECT_FALSE(fut_tty_readable(tty_.get()));
    EXPECT_EQ(Read(), "<errno 11>"); // EAGAIN: no complete line
    Type("\ndef\n");
    EXPECT_TRUE(fut_tty_readable(tty_.get()));
    EXPECT_EQ(Read(), "abc\n");
    EXPECT_EQ(Read(), "def\n");
    EXPECT_EQ(Read(), "<errno 11>");
}

TEST_F(Canonical, EchoesTypedKeysAndEnterAsCrNl)
{
    Type("hi\r");
    EXPECT_EQ(TakeOutput(), "hi\r\n");
    EXPECT_EQ(Read(), "hi\n"); // ICRNL: QEMU's Enter is CR
}

TEST_F(Canonical, DelErasesACharacterWithBackspaceSpaceBackspace)
{
    Type("abc\x7f\x7f"
         "d\n");
    EXPECT_EQ(Read(), "ad\n");
    EXPECT_EQ(TakeOutput(), "abc\b \b\b \bd\r\n");
}

TEST_F(Canonical, BackspaceKeyErasesToo)
{
    Type("ab\bc\n");
    EXPECT_EQ(Read(), "ac\n");
}

TEST_F(Canonical, ErasingAnEmptyLineDoesNothing)
{
    Type("\x7f\x7f\b"
         "x\n");
    EXPECT_EQ(Read(), "x\n");
    EXPECT_EQ(TakeOutput(), "x\r\n");
}

TEST_F(Canonical, EraseWithoutEchoeEchoesTheEraseKey)
{
    Change([](fut_termios &t) { t.c_lflag &= ~FUT_ECHOE; });
    Type("ab\x7f\n");
    EXPECT_EQ(Read(), "a\n");
    EXPECT_EQ(TakeOutput(), "ab^?\r\n");
}

TEST_F(Canonical, CtrlUKillsTheLineAndWipesItOffTheScreen)
{
    Type("hello\x15"
         "bye\n");
    EXPECT_EQ(Read(), "bye\n");
    std::string wipe;
    for (int i = 0; i < 5; i++)
        wipe += "\b \b";
    EXPECT_EQ(TakeOutput(), "hello" + wipe + "bye\r\n");
}

TEST_F(Canonical, CtrlUWithoutEchokeEchoesTheKeyAndANewLine)
{
    Change([](fut_termios &t) { t.c_lflag &= ~FUT_ECHOKE; });
    Type("hello\x15"
         "bye\n");
    EXPECT_EQ(Read(), "bye\n");
    EXPECT_EQ(TakeOutput(), "hello^U\r\nbye\r\n");
}

TEST_F(Canonical, CtrlWErasesTheLastWordAndTheBlanksAfterIt)
{
    Type("one two  \x17three\n");
    EXPECT_EQ(Read(), "one three\n");
    Type("path/to/file\x17x\n");
    EXPECT_EQ(Read(), "path/to/x\n");
    Type("word\x17\x17\x17next\n"); // nothing left to erase is fine
    EXPECT_EQ(Read(), "next\n");
}

TEST_F(Canonical, ErasingAControlCharacterWipesBothColumnsOfItsEcho)
{
    Type("a\x01\x7f\n");
    EXPECT_EQ(Read(), "a\n");
    EXPECT_EQ(TakeOutput(), "a^A\b \b\b \b\r\n");
}

TEST_F(Canonical, ErasingATabGoesBackToWhereTheTabStarted)
{
    fut_tty_write(tty_.get(), "> ", 2, 0); // a prompt: the line starts at column 2
    TakeOutput();
    Type("ab\t\x7f"
         "c\n");
    EXPECT_EQ(Read(), "abc\n");
    // "> ab" ends at column 4; the tab went to 8: four columns back.
    EXPECT_EQ(TakeOutput(), "ab\t\b\b\b\bc\r\n");
}

TEST_F(Canonical, WithIutf8EraseRemovesAWholeMultibyteCharacter)
{
    Change([](fut_termios &t) { t.c_iflag |= FUT_IUTF8; });
    Type("caf\xc3\xa9\x7f\x7f"
         "e\n");
    EXPECT_EQ(Read(), "cae\n");
    EXPECT_EQ(TakeOutput(), "caf\xc3\xa9\b \b\b \be\r\n");
}

TEST_F(Canonical, CtrlDAtTheStartOfALineReadsAsEndOfFileOnce)
{
    Type("\x04");
    EXPECT_TRUE(fut_tty_readable(tty_.get()));
    EXPECT_EQ(Read(), "<eof>");
    EXPECT_EQ(Read(), "<errno 11>");
    Type("x\n");
    EXPECT_EQ(Read(), "x\n");
    EXPECT_EQ(TakeOutput(), "x\r\n"); // ^D is not echoed
}

TEST_F(Canonical, CtrlDAfterTextDeliversTheTextWithoutANewline)
{
    Type("abc\x04");
    EXPECT_EQ(Read(), "abc");
    EXPECT_EQ(Read(), "<errno 11>");
}

TEST_F(Canonical, CtrlDRightAfterAFullBufferIsNotASecondEndOfFile)
{
    Type("ab\x04");
    EXPECT_EQ(Read(2), "ab");
    EXPECT_EQ(Read(), "<errno 11>");
}

TEST_F(Canonical, AShortBufferGetsTheLineInPieces)
{
    Type("abcdef\nnext\n");
    EXPECT_EQ(Read(4), "abcd");
    EXPECT_EQ(Read(), "ef\n");
    EXPECT_EQ(fut_tty_input_count(tty_.get()), 5u);
    EXPECT_EQ(Read(), "next\n");
}

TEST_F(Canonical, CtrlVQuotesTheNextKey)
{
    Type("a\x16\x15"
         "b\x16\x7f\n");
    EXPECT_EQ(Read(), "a\x15"
                      "b\x7f\n");
    EXPECT_EQ(TakeOutput(), "a^\b^Ub^\b^?\r\n");
}

TEST_F(Canonical, CtrlRRedrawsTheLine)
{
    Type("ab\x12");
    EXPECT_EQ(TakeOutput(), "ab^R\r\nab");
    Type("\n");
    EXPECT_EQ(Read(), "ab\n");
}

TEST_F(Canonical, VeolEndsALineAndIsDelivered)
{
    Change([](fut_termios &t) { t.c_cc[FUT_VEOL] = ';'; });
    Type("a;b");
    EXPECT_EQ(Read(), "a;");
    EXPECT_EQ(Read(), "<errno 11>");
}

TEST_F(Canonical, NulAndHighBytesAreDataNotLineEnds)
{
    Type(std::string("a\0b\xff\x80", 5) + "\n");
    EXPECT_EQ(Read(), std::string("a\0b\xff\x80\n", 6));
}

TEST_F(Canonical, EchoOffEchoesNothingButEchonlStillEchoesNewlines)
{
    Change([](fut_termios &t) { t.c_lflag &= ~FUT_ECHO; });
    Type("secret\n");
    EXPECT_EQ(TakeOutput(), "");
    Change([](fut_termios &t) { t.c_lflag |= FUT_ECHONL; });
    Type("x\n");
    EXPECT_EQ(TakeOutput(), "\r\n");
    EXPECT_EQ(Read(), "secret\n");
    EXPECT_EQ(Read(), "x\n");
}

TEST_F(Canonical, ALineStopsAt4095BytesAndFurtherKeysRingTheBell)
{
    Type(std::string(5000, 'x') + "\n");
    std::string line = Read(8192);
    EXPECT_EQ(line.size(), 4096u);
    EXPECT_EQ(line, std::string(4095, 'x') + "\n");
    std::string out = TakeOutput();
    EXPECT_EQ(std::count(out.begin(), out.end(), '\a'), 5000 - 4095);
    EXPECT_EQ(std::count(out.begin(), out.end(), 'x'), 4095);
    Type("ok\n"); // and the next line is fine
    EXPECT_EQ(Read(), "ok\n");
}

TEST_F(Canonical, AFullLineCanStillBeErasedAndEnded)
{
    Type(std::string(4095, 'y') + "zz\x7f\x7f\n");
    EXPECT_EQ(Read(8192), std::string(4093, 'y') + "\n");
}

// ---- Raw mode: VMIN and VTIME ----

class Raw : public TtyTest
{
};

TEST_F(Raw, BytesAreReadableAtOnceUneditedAndUnechoed)
{
    MakeRaw(1, 0);
    Type("a\x7f"
         "b\x15\r");
    EXPECT_TRUE(fut_tty_readable(tty_.get()));
    EXPECT_EQ(Read(), "a\x7f"
                      "b\x15\r");
    EXPECT_EQ(TakeOutput(), "");
}

TEST_F(Raw, EchoInRawModeEchoesEveryByte)
{
    MakeRaw(1, 0);
    Change([](fut_termios &t) { t.c_lflag |= FUT_ECHO; });
    Type("ab");
    EXPECT_EQ(TakeOutput(), "ab");
    EXPECT_EQ(Read(1), "a");
    EXPECT_EQ(Read(1), "b");
}

TEST_F(Raw, AllByteValuesPassThroughUnchanged)
{
    MakeRaw(1, 0);
    std::string all;
    for (int i = 0; i < 256; i++)
        all += (char)i;
    Type(all);
    EXPECT_EQ(Read(), all);
}

TEST_F(Raw, VminZeroVtimeZeroNeverWaitsAndReturnsZeroWhenEmpty)
{
    MakeRaw(0, 0);
    EXPECT_EQ(Read(16, 0), "<eof>"); // a blocking read returns 0 at once
    EXPECT_EQ(Read(16, FUT_O_NONBLOCK), "<eof>");
    Type("q");
    EXPECT_EQ(Read(16, 0), "q");
}

TEST_F(Raw, NonblockingReadWithNothingThereIsEagain)
{
    MakeRaw(1, 0);
    EXPECT_EQ(Read(16, FUT_O_NONBLOCK), "<errno 11>");
}

TEST_F(Raw, VminIsCappedByTheReadLength)
{
    MakeRaw(5, 0);
    Type("ab");
    EXPECT_EQ(Read(2, 0), "ab");
}

TEST_F(Raw, PollWantsVminBytesWhenVtimeIsZero)
{
    MakeRaw(3, 0);
    Type("ab");
    EXPECT_FALSE(fut_tty_readable(tty_.get()));
    EXPECT_EQ(fut_tty_poll(tty_.get()), (uint32_t)(FUT_POLLOUT | FUT_POLLWRNORM));
    Type("c");
    EXPECT_EQ(fut_tty_poll(tty_.get()),
              (uint32_t)(FUT_POLLIN | FUT_POLLRDNORM | FUT_POLLOUT | FUT_POLLWRNORM));
    EXPECT_EQ(Read(), "abc");
}

TEST_F(Raw, VminWaitsUntilThatManyBytesHaveCome)
{
    MakeRaw(3, 0);
    fut_thread *reader = RunNewThread();
    WhileAsleep([&](fut_thread *t, int n) {
        EXPECT_FALSE(fut_timer_pending(&t->wait_timer)); // no VTIME: no timer
        Type(n == 1 ? "a" : "bc");
        YieldTo(t);
    });
    EXPECT_EQ(Read(16, 0), "abc");
    EXPECT_EQ(sleeps_, 2);
    (void)reader;
    ExitThread();
}

TEST_F(Raw, VtimeAloneTimesOutWithZeroBytes)
{
    MakeRaw(0, 3); // 0.3 s for the first byte
    fut_thread *reader = RunNewThread();
    WhileAsleep([&](fut_thread *t, int) {
        EXPECT_EQ(t->wait_timer.deadline_ns, 300 * kMs);
        fut_timers_expire(300 * kMs - 1);
        EXPECT_EQ(t->state, FUT_THREAD_BLOCKED); // not a nanosecond early
        fut_timers_expire(300 * kMs);
        YieldTo(t);
    });
    EXPECT_EQ(Read(16, 0), "<eof>");
    EXPECT_EQ(reader->wake_reason, FUT_WAKE_TIMEOUT);
    ExitThread();
}

TEST_F(Raw, VtimeAloneReturnsTheFirstByteAsSoonAsItComes)
{
    MakeRaw(0, 3);
    RunNewThread();
    WhileAsleep([&](fut_thread *t, int) {
        fut_timers_expire(100 * kMs);
        Type("xy");
        YieldTo(t);
    });
    EXPECT_EQ(Read(16, 0), "xy");
    EXPECT_EQ(sleeps_, 1);
    EXPECT_EQ(fut_timers_pending_count(), 0u); // the deadline went with the wait
    ExitThread();
}

TEST_F(Raw, VminWithVtimeTimesTheGapAfterEachByte)
{
    MakeRaw(10, 1); // up to 10 bytes, 0.1 s between them
    RunNewThread();
    WhileAsleep([&](fut_thread *t, int n) {
        if (n == 1) {
            EXPECT_FALSE(fut_timer_pending(&t->wait_timer)); // the first byte may take forever
            Type("ab");
        } else if (n == 2) {
            EXPECT_EQ(t->wait_timer.deadline_ns, 100 * kMs);
            fut_timers_expire(50 * kMs);
            Type("c");
        } else {
            EXPECT_EQ(t->wait_timer.deadline_ns, 150 * kMs); // restarted by "c"
            fut_timers_expire(150 * kMs);
        }
        YieldTo(t);
    });
    EXPECT_EQ(Read(16, 0), "abc");
    EXPECT_EQ(sleeps_, 3);
    ExitThread();
}

TEST_F(Raw, SwitchingToRawMakesThePartLineReadable)
{
    Type("ab\x7f"
         "cd");
    MakeRaw(1, 0);
    EXPECT_EQ(Read(), "acd");
}

TEST_F(Raw, SwitchingBackToCanonicalPushesPendingInputAsALine)
{
    MakeRaw(1, 0);
    Type("xy");
    Change([](fut_termios &t) { t.c_lflag |= FUT_ICANON; });
    EXPECT_TRUE(fut_tty_readable(tty_.get()));
    EXPECT_EQ(Read(), "xy");
    Type("z\n");
    EXPECT_EQ(Read(), "z\n");
}

// ---- Translation of input and output ----

class Translate : public TtyTest
{
};

TEST_F(Translate, InputCrNlFlags)
{
    MakeRaw(1, 0);
    Change([](fut_termios &t) { t.c_iflag |= FUT_ICRNL; });
    Type("a\rb\n");
    EXPECT_EQ(Read(), "a\nb\n");
    Change([](fut_termios &t) { t.c_iflag = FUT_IGNCR; });
    Type("a\rb");
    EXPECT_EQ(Read(), "ab");
    Change([](fut_termios &t) { t.c_iflag = FUT_INLCR; });
    Type("a\nb");
    EXPECT_EQ(Read(), "a\rb");
    Change([](fut_termios &t) { t.c_iflag = FUT_ISTRIP; });
    Type("\xc1");
    EXPECT_EQ(Read(), "A");
}

TEST_F(Translate, OutputNewlineBecomesCrNlOnlyWithOpostAndOnlcr)
{
    EXPECT_EQ(fut_tty_write(tty_.get(), "a\nb\n", 4, 0), 4);
    EXPECT_EQ(TakeOutput(), "a\r\nb\r\n");
    Change([](fut_termios &t) { t.c_oflag = FUT_OPOST; });
    fut_tty_write(tty_.get(), "a\nb", 3, 0);
    EXPECT_EQ(TakeOutput(), "a\nb");
    Change([](fut_termios &t) { t.c_oflag = FUT_ONLCR; }); // no OPOST: nothing happens
    fut_tty_write(tty_.get(), "a\nb", 3, 0);
    EXPECT_EQ(TakeOutput(), "a\nb");
}

TEST_F(Translate, OutputCrFlagsAndTabExpansion)
{
    Change([](fut_termios &t) { t.c_oflag = FUT_OPOST | FUT_OCRNL; });
    fut_tty_write(tty_.get(), "a\rb", 3, 0);
    EXPECT_EQ(TakeOutput(), "a\nb");
    Change([](fut_termios &t) { t.c_oflag = FUT_OPOST | FUT_ONOCR | FUT_ONLCR; });
    fut_tty_write(tty_.get(), "\n\rx\r", 4, 0);
    EXPECT_EQ(TakeOutput(), "\r\nx\r"); // no CR at column 0
    Change([](fut_termios &t) { t.c_oflag = FUT_OPOST | FUT_XTABS; });
    fut_tty_write(tty_.get(), "ab\tc", 4, 0);
    EXPECT_EQ(TakeOutput(), "ab      c");
}

TEST_F(Translate, ALongWriteGoesOutWholeAndInOrder)
{
    std::string big;
    for (int i = 0; i < 70000; i++)
        big += (char)('a' + i % 26);
    EXPECT_EQ(fut_tty_write(tty_.get(), big.data(), big.size(), 0), (int64_t)big.size());
    EXPECT_EQ(TakeOutput(), big);
}

// ---- Signal keys ----

class Signals : public TtyTest
{
};

TEST_F(Signals, CtrlCSendsSigintToTheForegroundGroupAndFlushesInput)
{
    ASSERT_EQ(fut_tty_set_pgrp(tty_.get(), 42), 0);
    Type("done\nhalf");
    Type("\x03");
    EXPECT_EQ(signals_sent, (std::vector<std::pair<int, int>>{{42, 2}}));
    EXPECT_EQ(fut_tty_input_count(tty_.get()), 0u);
    EXPECT_EQ(Read(), "<errno 11>"); // both the line and the part line are gone
    EXPECT_EQ(TakeOutput(), "done\r\nhalf^C");
    Type("after\n");
    EXPECT_EQ(Read(), "after\n");
}

TEST_F(Signals, CtrlBackslashIsSigquitAndCtrlZIsSigtstp)
{
    fut_tty_set_pgrp(tty_.get(), 7);
    Type("\x1c\x1a");
    EXPECT_EQ(signals_sent, (std::vector<std::pair<int, int>>{{7, 3}, {7, 20}}));
    EXPECT_EQ(TakeOutput(), "^\\^Z");
}

TEST_F(Signals, WithoutAForegroundGroupNothingIsSentButInputIsFlushed)
{
    Type("abc\n\x03");
    EXPECT_TRUE(signals_sent.empty());
    EXPECT_EQ(Read(), "<errno 11>");
}

TEST_F(Signals, NoflshKeepsTheInput)
{
    fut_tty_set_pgrp(tty_.get(), 5);
    Change([](fut_termios &t) { t.c_lflag |= FUT_NOFLSH; });
    Type("keep\n\x03");
    EXPECT_EQ(signals_sent.size(), 1u);
    EXPECT_EQ(Read(), "keep\n");
}

TEST_F(Signals, WithoutIsigTheKeysAreData)
{
    fut_tty_set_pgrp(tty_.get(), 5);
    MakeRaw(1, 0);
    Type("\x03\x1c\x1a");
    EXPECT_TRUE(signals_sent.empty());
    EXPECT_EQ(Read(), "\x03\x1c\x1a");
}

TEST_F(Signals, RawModeWithIsigStillSignals)
{
    fut_tty_set_pgrp(tty_.get(), 9);
    MakeRaw(1, 0);
    Change([](fut_termios &t) { t.c_lflag |= FUT_ISIG; });
    Type("x\x03");
    EXPECT_EQ(signals_sent, (std::vector<std::pair<int, int>>{{9, 2}}));
    EXPECT_EQ(Read(), "<errno 11>");
}

TEST_F(Signals, ChangedInterruptKeyIsTheOneThatSignals)
{
    fut_tty_set_pgrp(tty_.get(), 3);
    Change([](fut_termios &t) { t.c_cc[FUT_VINTR] = 'q'; });
    Type("\x03q");
    EXPECT_EQ(signals_sent, (std::vector<std::pair<int, int>>{{3, 2}}));
    Change([](fut_termios &t) { t.c_cc[FUT_VINTR] = 0; }); // disabled
    Type(std::string("q\0\n", 3));
    EXPECT_EQ(signals_sent.size(), 1u);
    EXPECT_EQ(Read(), std::string("q\0\n", 3));
}

TEST_F(Signals, ASignalWhileAReaderWaitsEndsTheReadWithEintr)
{
    RunNewThread();
    WhileAsleep([&](fut_thread *t, int) {
        fut_thread_interrupt(t); // what the process layer does for SIGINT
        YieldTo(t);
    });
    EXPECT_EQ(Read(16, 0), "<errno 4>");
    ExitThread();
}

TEST_F(Signals, ForegroundGroupMustBePositive)
{
    EXPECT_EQ(fut_tty_get_pgrp(tty_.get()), 0);
    EXPECT_EQ(fut_tty_set_pgrp(tty_.get(), 0), -EINVAL);
    EXPECT_EQ(fut_tty_set_pgrp(tty_.get(), -4), -EINVAL);
    EXPECT_EQ(fut_tty_set_pgrp(tty_.get(), 12), 0);
    EXPECT_EQ(fut_tty_get_pgrp(tty_.get()), 12);
}

TEST_F(Signals, ANewWindowSizeSendsSigwinch)
{
    fut_tty_set_pgrp(tty_.get(), 11);
    fut_winsize ws = {40, 100, 0, 0};
    fut_tty_set_winsize(tty_.get(), &ws);
    fut_tty_set_winsize(tty_.get(), &ws); // unchanged: no signal
    EXPECT_EQ(signals_sent, (std::vector<std::pair<int, int>>{{11, 28}}));
}

// ---- Job control ----

struct JobCall {
    int session, pgrp, sig;
    bool operator==(const JobCall &o) const
    {
        return session == o.session && pgrp == o.pgrp && sig == o.sig;
    }
};
std::vector<JobCall> job_calls;
int job_answer; // what the hook says

int RecordJobControl(int session, int pgrp, int sig)
{
    job_calls.push_back({session, pgrp, sig});
    return job_answer;
}

class JobControl : public TtyTest
{
  protected:
    void SetUp() override
    {
        TtyTest::SetUp();
        job_calls.clear();
        job_answer = 0;
        fut_tty_set_job_control_hook(RecordJobControl);
    }

    void TearDown() override
    {
        fut_tty_set_job_control_hook(nullptr);
        TtyTest::TearDown();
    }

    void TakeTerminal(int session, int pgrp)
    {
        ASSERT_EQ(fut_tty_set_session(tty_.get(), session), 0);
        ASSERT_EQ(fut_tty_set_pgrp(tty_.get(), pgrp), 0);
    }
};

TEST_F(JobControl, WithoutASessionNobodyIsAsked)
{
    fut_tty_set_pgrp(tty_.get(), 7);
    Type("x\n");
    EXPECT_EQ(Read(), "x\n");
    EXPECT_TRUE(job_calls.empty());
}

TEST_F(JobControl, AReadAsksWithSigttinAndReturnsTheRefusal)
{
    TakeTerminal(3, 7);
    Type("x\n");
    job_answer = -EINTR; // a background group: stopped, the read re-run later
    EXPECT_EQ(Read(), "<errno 4>");
    EXPECT_EQ(job_calls, (std::vector<JobCall>{{3, 7, FUT_TTY_SIGTTIN}}));
    job_answer = -EIO; // SIGTTIN ignored
    EXPECT_EQ(Read(), "<errno 5>");
    job_answer = 0;
    EXPECT_EQ(Read(), "x\n"); // the line waited
}

TEST_F(JobControl, WritesAreAskedOnlyWithTostop)
{
    TakeTerminal(3, 7);
    job_answer = -EINTR;
    EXPECT_EQ(fut_tty_write(tty_.get(), "a", 1, 0), 1);
    EXPECT_TRUE(job_calls.empty());
    Change([](fut_termios &t) { t.c_lflag |= FUT_TOSTOP; });
    job_answer = -EINTR;
    EXPECT_EQ(fut_tty_write(tty_.get(), "b", 1, 0), -EINTR);
    EXPECT_EQ(TakeOutput(), "a");
    EXPECT_EQ(job_calls.size(), 1u);
    EXPECT_EQ(job_calls[0].sig, FUT_TTY_SIGTTOU);
}

TEST_F(JobControl, ChangingSettingsAsksWithSigttouButLookingDoesNot)
{
    TakeTerminal(3, 7);
    job_answer = -EINTR;
    struct termios t = {};
    struct winsize ws = {};
    int pgrp = 9, n = 0;
    EXPECT_EQ(Ioctl(TCGETS, &t), 0);
    EXPECT_EQ(Ioctl(TIOCGWINSZ, &ws), 0);
    EXPECT_EQ(Ioctl(TIOCGPGRP, &n), 0);
    EXPECT_EQ(Ioctl(FIONREAD, &n), 0);
    EXPECT_TRUE(job_calls.empty());
    EXPECT_EQ(Ioctl(TCSETS, &t), -EINTR);
    EXPECT_EQ(Ioctl(TCSETSF, &t), -EINTR);
    EXPECT_EQ(IoctlValue(TCFLSH, TCIFLUSH), -EINTR);
    EXPECT_EQ(IoctlValue(TCXONC, TCOOFF), -EINTR);
    EXPECT_EQ(Ioctl(TIOCSPGRP, &pgrp), -EINTR);
    EXPECT_EQ(fut_tty_get_pgrp(tty_.get()), 7);
    EXPECT_EQ(job_calls.size(), 5u);
    for (const JobCall &c : job_calls)
        EXPECT_EQ(c.sig, FUT_TTY_SIGTTOU);
}

TEST_F(JobControl, TiocgsidReportsTheSessionOnceThereIsOne)
{
    int sid = -1;
    EXPECT_EQ(Ioctl(TIOCGSID, &sid), -ENOTTY);
    EXPECT_EQ(fut_tty_set_session(tty_.get(), 0), -EINVAL);
    TakeTerminal(12, 12);
    ASSERT_EQ(Ioctl(TIOCGSID, &sid), 0);
    EXPECT_EQ(sid, 12);
    fut_tty_reset(tty_.get());
    EXPECT_EQ(Ioctl(TIOCGSID, &sid), -ENOTTY);
}

// ---- Blocking and flow control ----

class Flow : public TtyTest
{
};

TEST_F(Flow, AReaderSleepsUntilItsLineIsComplete)
{
    RunNewThread();
    WhileAsleep([&](fut_thread *t, int n) {
        Type(n == 1 ? "hel" : "lo\r");
        YieldTo(t);
    });
    EXPECT_EQ(Read(64, 0), "hello\n");
    EXPECT_EQ(sleeps_, 2);
    ExitThread();
}

TEST_F(Flow, InputWakesPollersToo)
{
    fut_thread *poller = RunNewThread();
    fut_waitq_wait(&fut_poll_waitq); // as poll(2) sleeps; the fake switch returns at once
    EXPECT_EQ(poller->state, FUT_THREAD_BLOCKED);
    Type("x\n");
    EXPECT_EQ(poller->state, FUT_THREAD_RUNNABLE);
    fut_sched_yield();
    ExitThread();
}

TEST_F(Flow, AFullRingLeavesInputInTheDeviceUntilReadsMakeRoom)
{
    MakeRaw(1, 0);
    std::string in;
    for (size_t i = 0; i < 65536; i++)
        in += (char)(i * 131 % 251);
    Type(in);
    EXPECT_EQ(fut_tty_input_count(tty_.get()), (size_t)FUT_TTY_BUF_SIZE);
    EXPECT_EQ(dev_.input.size() - dev_.pos, in.size() - FUT_TTY_BUF_SIZE);
    std::string got;
    while (got.size() < in.size()) {
        std::string part = Read(3000);
        ASSERT_NE(part, "<errno 11>") << got.size();
        got += part;
    }
    EXPECT_EQ(got, in); // all of it, in order
    EXPECT_EQ(dev_.pos, dev_.input.size());
}

TEST_F(Flow, SixtyFourKilobytesOfOneLineNeverOverflow)
{
    Type(std::string(65536, 'k'));
    EXPECT_EQ(fut_tty_input_count(tty_.get()), 0u);
    Type("\r");
    EXPECT_EQ(Read(70000), std::string(4095, 'k') + "\n");
}

TEST_F(Flow, CtrlSStopsOutputAndCtrlQRestartsIt)
{
    Type("\x13");
    EXPECT_FALSE(fut_tty_writable(tty_.get()));
    EXPECT_EQ(fut_tty_write(tty_.get(), "x", 1, FUT_O_NONBLOCK), -EAGAIN);
    RunNewThread();
    WhileAsleep([&](fut_thread *t, int) {
        EXPECT_EQ(TakeOutput(), ""); // nothing went out while stopped
        Type("\x11");
        YieldTo(t);
    });
    EXPECT_EQ(fut_tty_write(tty_.get(), "go", 2, 0), 2);
    EXPECT_EQ(TakeOutput(), "go");
    ExitThread();
    EXPECT_EQ(Read(), "<errno 11>"); // ^S and ^Q are not input
}

TEST_F(Flow, CtrlCRestartsStoppedOutput)
{
    Type("\x13\x03");
    EXPECT_TRUE(fut_tty_writable(tty_.get()));
}

TEST_F(Flow, ResetRestoresDefaultsAndFlushes)
{
    MakeRaw(0, 0);
    fut_tty_set_pgrp(tty_.get(), 8);
    Type("zz");
    fut_tty_reset(tty_.get());
    EXPECT_EQ(Termios().c_lflag, (uint32_t)0x8a3b);
    EXPECT_EQ(fut_tty_get_pgrp(tty_.get()), 0);
    EXPECT_EQ(fut_tty_input_count(tty_.get()), 0u);
}

// ---- ioctl ----

class Ioctls : public TtyTest
{
};

TEST_F(Ioctls, TcgetsReportsLinuxDefaults)
{
    struct termios t = {};
    ASSERT_EQ(Ioctl(TCGETS, &t), 0);
    EXPECT_EQ(t.c_iflag, (tcflag_t)(ICRNL | IXON));
    EXPECT_EQ(t.c_oflag, (tcflag_t)(OPOST | ONLCR));
    EXPECT_EQ(t.c_lflag,
              (tcflag_t)(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN));
    EXPECT_EQ(t.c_cflag & CSIZE, (tcflag_t)CS8);
    EXPECT_EQ(t.c_cc[VINTR], 3);
    EXPECT_EQ(t.c_cc[VQUIT], 0x1c);
    EXPECT_EQ(t.c_cc[VERASE], 0x7f);
    EXPECT_EQ(t.c_cc[VKILL], 0x15);
    EXPECT_EQ(t.c_cc[VEOF], 4);
    EXPECT_EQ(t.c_cc[VMIN], 1);
    EXPECT_EQ(t.c_cc[VTIME], 0);
    EXPECT_EQ(t.c_cc[VSUSP], 0x1a);
    EXPECT_EQ(t.c_cc[VWERASE], 0x17);
    EXPECT_EQ(t.c_cc[VLNEXT], 0x16);
}

TEST_F(Ioctls, TcsetsVariantsApplyAndTcsetsfFlushesInput)
{
    struct termios t = {};
    ASSERT_EQ(Ioctl(TCGETS, &t), 0);
    Type("kept\n");
    t.c_lflag &= ~ECHO;
    ASSERT_EQ(Ioctl(TCSETS, &t), 0);
    EXPECT_EQ(Termios().c_lflag & FUT_ECHO, 0u);
    ASSERT_EQ(Ioctl(TCSETSW, &t), 0);
    EXPECT_EQ(fut_tty_input_count(tty_.get()), 5u);
    t.c_lflag |= ECHO;
    ASSERT_EQ(Ioctl(TCSETSF, &t), 0);
    EXPECT_EQ(fut_tty_input_count(tty_.get()), 0u);
    EXPECT_NE(Termios().c_lflag & FUT_ECHO, 0u);
    EXPECT_EQ(Ioctl(TCSETS, nullptr), -EFAULT);
    EXPECT_EQ(Ioctl(TCGETS, nullptr), -EFAULT);
}

TEST_F(Ioctls, WindowSizeDefaultsTo80x24AndCanBeSet)
{
    struct winsize ws = {};
    ASSERT_EQ(Ioctl(TIOCGWINSZ, &ws), 0);
    EXPECT_EQ(ws.ws_row, 24);
    EXPECT_EQ(ws.ws_col, 80);
    ws.ws_row = 50;
    ws.ws_col = 132;
    ASSERT_EQ(Ioctl(TIOCSWINSZ, &ws), 0);
    struct winsize back = {};
    ASSERT_EQ(Ioctl(TIOCGWINSZ, &back), 0);
    EXPECT_EQ(back.ws_row, 50);
    EXPECT_EQ(back.ws_col, 132);
    EXPECT_EQ(Ioctl(TIOCGWINSZ, nullptr), -EFAULT);
}

TEST_F(Ioctls, ForegroundGroup)
{
    int pgrp = -1;
    ASSERT_EQ(Ioctl(TIOCGPGRP, &pgrp), 0);
    EXPECT_EQ(pgrp, 0);
    int want = 77;
    ASSERT_EQ(Ioctl(TIOCSPGRP, &want), 0);
    ASSERT_EQ(Ioctl(TIOCGPGRP, &pgrp), 0);
    EXPECT_EQ(pgrp, 77);
    int bad = 0;
    EXPECT_EQ(Ioctl(TIOCSPGRP, &bad), -EINVAL);
    EXPECT_EQ(Ioctl(TIOCSPGRP, nullptr), -EFAULT);
    EXPECT_EQ(IoctlValue(TIOCSCTTY, 0), 0);
    EXPECT_EQ(IoctlValue(TIOCNOTTY, 0), 0);
}

TEST_F(Ioctls, QueueSizesFlushAndFlowControl)
{
    int n = -1;
    Type("abc");
    ASSERT_EQ(Ioctl(FIONREAD, &n), 0);
    EXPECT_EQ(n, 0); // no complete line yet
    Type("\n");
    ASSERT_EQ(Ioctl(FIONREAD, &n), 0);
    EXPECT_EQ(n, 4);
    ASSERT_EQ(Ioctl(TIOCOUTQ, &n), 0);
    EXPECT_EQ(n, 0);
    EXPECT_EQ(IoctlValue(TCFLSH, TCIFLUSH), 0);
    ASSERT_EQ(Ioctl(FIONREAD, &n), 0);
    EXPECT_EQ(n, 0);
    EXPECT_EQ(IoctlValue(TCFLSH, 7), -EINVAL);
    EXPECT_EQ(IoctlValue(TCSBRK, 1), 0); // tcdrain
    EXPECT_EQ(IoctlValue(TCXONC, TCOOFF), 0);
    EXPECT_FALSE(fut_tty_writable(tty_.get()));
    EXPECT_EQ(IoctlValue(TCXONC, TCOON), 0);
    EXPECT_TRUE(fut_tty_writable(tty_.get()));
    TakeOutput();
    EXPECT_EQ(IoctlValue(TCXONC, TCIOFF), 0);
    EXPECT_EQ(TakeOutput(), "\x13");
    EXPECT_EQ(IoctlValue(TCXONC, 9), -EINVAL);
}

TEST_F(Ioctls, TiocstiTypesAKey)
{
    fut_tty_set_pgrp(tty_.get(), 4);
    for (char c : std::string("hi\r"))
        ASSERT_EQ(Ioctl(TIOCSTI, &c), 0);
    EXPECT_EQ(Read(), "hi\n");
    char c = 3;
    ASSERT_EQ(Ioctl(TIOCSTI, &c), 0);
    EXPECT_EQ(signals_sent, (std::vector<std::pair<int, int>>{{4, 2}}));
}

TEST_F(Ioctls, LineDisciplineIsNttyAndUnknownRequestsAreEnotty)
{
    int ldisc = -1;
    ASSERT_EQ(Ioctl(TIOCGETD, &ldisc), 0);
    EXPECT_EQ(ldisc, 0);
    EXPECT_EQ(IoctlValue(0x5401 + 0x1000, 0), -ENOTTY);
}

// ---- The serial console on the fake HAL ----

class Console : public TtyTest
{
  protected:
    void SetUp() override
    {
        TtyTest::SetUp();
        MountDevfs();
        fut_hal_console_set_input_handler(nullptr); // as at boot
        fut_fake_console_feed("", 0);
        fut_tty_reset(fut_tty_console());
        fut_fake_console_reset();
    }

    fut_file *Open(const char *path, uint32_t flags)
    {
        fut_file *f = nullptr;
        EXPECT_EQ(fut_vfs_open(nullptr, path, flags, 0, &f), 0) << path;
        return f;
    }

    static std::string ReadFile(fut_file *f, size_t len = 256)
    {
        std::string buf(len, '\0');
        int64_t n = fut_vfs_read(f, &buf[0], len);
        if (n < 0)
            return "<errno " + std::to_string(-n) + ">";
        buf.resize((size_t)n);
        return buf;
    }
};

TEST_F(Console, FirstOpenTakesInInputThatArrivedBeforeAndTurnsOnInterrupts)
{
    fut_fake_console_feed("early\r", 6); // waiting in the UART since boot
    EXPECT_FALSE(fut_fake_console_input_interrupts());
    fut_file *f = Open("/dev/console", FUT_O_RDWR | FUT_O_NONBLOCK);
    EXPECT_TRUE(fut_fake_console_input_interrupts());
    EXPECT_EQ(fut_fake_console_input_waiting(), 0u);
    EXPECT_EQ(ReadFile(f), "early\n");
    EXPECT_STREQ(fut_fake_console_output(), "early\r\n"); // echoed as it came in
    fut_vfs_close(f);
}

TEST_F(Console, TtyAndConsoleAreOneTerminal)
{
    fut_file *con = Open("/dev/console", FUT_O_RDWR | FUT_O_NONBLOCK);
    fut_file *tty = Open("/dev/tty", FUT_O_RDWR | FUT_O_NONBLOCK);
    fut_stat a{}, b{};
    ASSERT_EQ(fut_vfs_fstat(con, &a), 0);
    ASSERT_EQ(fut_vfs_fstat(tty, &b), 0);
    EXPECT_EQ(fut_tty_of_rdev(a.st_rdev), fut_tty_console());
    EXPECT_EQ(fut_tty_of_rdev(b.st_rdev), fut_tty_console());
    EXPECT_EQ(fut_tty_of_rdev(fut_makedev(1, 3)), nullptr); // /dev/null is no terminal
    fut_fake_console_type("typed\r", 6);
    EXPECT_EQ(ReadFile(tty), "typed\n");
    EXPECT_EQ(fut_vfs_write(con, "out\n", 4), 4);
    EXPECT_STREQ(fut_fake_console_output(), "typed\r\nout\r\n");
    fut_vfs_close(con);
    fut_vfs_close(tty);
}

TEST_F(Console, TypingWakesABlockedReader)
{
    fut_file *f = Open("/dev/console", FUT_O_RDONLY);
    RunNewThread();
    WhileAsleep([&](fut_thread *t, int) {
        fut_fake_console_type("ls -l\r", 6); // the UART interrupt
        YieldTo(t);
    });
    EXPECT_EQ(ReadFile(f), "ls -l\n");
    EXPECT_EQ(sleeps_, 1);
    ExitThread();
    fut_vfs_close(f);
}

TEST_F(Console, PollSeesACompleteLine)
{
    fut_file *f = Open("/dev/tty", FUT_O_RDONLY);
    EXPECT_EQ(fut_vfs_poll(f), (uint32_t)(FUT_POLLOUT | FUT_POLLWRNORM));
    fut_fake_console_type("half", 4);
    EXPECT_EQ(fut_vfs_poll(f) & FUT_POLLIN, 0u);
    fut_fake_console_type("\r", 1);
    EXPECT_EQ(fut_vfs_poll(f) & FUT_POLLIN, (uint32_t)FUT_POLLIN);
    EXPECT_EQ(ReadFile(f), "half\n");
    fut_vfs_close(f);
}

TEST_F(Console, UnreadInputBeyondTheRingStaysInTheUart)
{
    fut_file *f = Open("/dev/console", FUT_O_RDONLY | FUT_O_NONBLOCK);
    struct termios t = {};
    ASSERT_EQ(fut_tty_ioctl(fut_tty_console(), TCGETS, (uint64_t)(uintptr_t)&t, &kCopy), 0);
    t.c_lflag &= ~(ICANON | ECHO);
    ASSERT_EQ(fut_tty_ioctl(fut_tty_console(), TCSETS, (uint64_t)(uintptr_t)&t, &kCopy), 0);
    std::string in(20000, '\0');
    for (size_t i = 0; i < in.size(); i++)
        in[i] = (char)('0' + i % 10);
    fut_fake_console_type(in.data(), in.size());
    EXPECT_EQ(fut_fake_console_input_waiting(), in.size() - FUT_TTY_BUF_SIZE);
    std::string got;
    while (got.size() < in.size()) {
        std::string part = ReadFile(f, 4096);
        ASSERT_NE(part, "<errno 11>");
        got += part;
    }
    EXPECT_EQ(got, in);
    EXPECT_EQ(fut_fake_console_input_waiting(), 0u);
    fut_tty_reset(fut_tty_console());
    fut_vfs_close(f);
}

} // namespace
