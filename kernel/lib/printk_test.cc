// Host tests for printk, the kernel log ring and panic, on the fake HAL console.
#include "futura/lib/printk.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "futura/fake_hal.h"

namespace
{

// The last n bytes the log holds (fewer if it holds fewer).
std::string KlogTail(size_t n)
{
    std::vector<char> buf(n + 1, '\x7f');
    size_t got = fut_klog_read(buf.data(), n);
    EXPECT_LE(got, n);
    EXPECT_EQ(buf[n], '\x7f') << "fut_klog_read wrote past size";
    return std::string(buf.data(), got);
}

// Text whose every FUT_KLOG_SIZE-long window is distinct, so a misplaced wrap shows.
std::string NumberedLines(int first, int count)
{
    std::string s;
    char line[32];
    for (int i = first; i < first + count; i++) {
        snprintf(line, sizeof(line), "line %06d\n", i);
        s += line;
    }
    return s;
}

TEST(Printk, WritesFormattedTextToTheConsole)
{
    fut_fake_console_reset();
    int n = fut_printk("boot: %d MiB in %s, flags %#x\n", 512, "ram", 0x2au);
    EXPECT_STREQ(fut_fake_console_output(), "boot: 512 MiB in ram, flags 0x2a\n");
    EXPECT_EQ(n, static_cast<int>(strlen(fut_fake_console_output())));
}

TEST(Printk, SuccessiveCallsAppendToTheConsole)
{
    fut_fake_console_reset();
    fut_printk("one ");
    fut_printk("%s", "two");
    EXPECT_STREQ(fut_fake_console_output(), "one two");
}

TEST(Klog, ReadReturnsTheMostRecentBytes)
{
    fut_printk("older text; ");
    fut_printk("newest=%d", 99);
    EXPECT_EQ(KlogTail(9), "newest=99");
    EXPECT_EQ(KlogTail(21), "older text; newest=99");
}

TEST(Klog, ReadIntoSmallBufferGetsTheTailNotTheHead)
{
    fut_printk("ABCDEFGH");
    EXPECT_EQ(KlogTail(3), "FGH");
    EXPECT_EQ(KlogTail(0), "");
}

TEST(Klog, KeepsOnlyTheLastKlogSizeBytesAfterWrapping)
{
    // Several times the ring's size, in pieces that straddle the wrap point.
    const std::string text = NumberedLines(0, 3 * FUT_KLOG_SIZE / 12 + 37);
    ASSERT_GT(text.size(), 2u * FUT_KLOG_SIZE);
    for (size_t off = 0; off < text.size(); off += 1000)
        fut_printk("%s", text.substr(off, 1000).c_str());

    std::string kept = KlogTail(FUT_KLOG_SIZE + 100);
    ASSERT_EQ(kept.size(), static_cast<size_t>(FUT_KLOG_SIZE));
    EXPECT_EQ(kept, text.substr(text.size() - FUT_KLOG_SIZE));
    EXPECT_EQ(KlogTail(12), text.substr(text.size() - 12));
}

TEST(Klog, LogsEverythingThatReachesTheConsole)
{
    fut_fake_console_reset();
    fut_printk("%s|%5d|%-3c|", "x", -12, 'q');
    const std::string console = fut_fake_console_output();
    EXPECT_EQ(console, "x|  -12|q  |");
    EXPECT_EQ(KlogTail(console.size()), console);
}

// Death tests run the statement in a child; its console lives only there, so the
// child copies it to stderr on the way out, where EXPECT_EXIT can match it.
void CopyConsoleToStderr()
{
    fputs(fut_fake_console_output(), stderr);
}

void PanicWithConsoleOnStderr()
{
    atexit(CopyConsoleToStderr);
    fut_panic("page table %s at %#lx", "corrupt", 0xdead000UL);
}

TEST(PanicDeathTest, PrintsPanicMessageAndPowersOffWithPanicStatus)
{
    EXPECT_EXIT(PanicWithConsoleOnStderr(), ::testing::ExitedWithCode(FUT_EXIT_PANIC),
                "PANIC: page table corrupt at 0xdead000\n");
    EXPECT_EQ(FUT_EXIT_PANIC, 3);
}

TEST(PanicDeathTest, PanicMessageIsInTheKernelLog)
{
    struct Local {
        static void DumpKlogTail()
        {
            char buf[64];
            size_t n = fut_klog_read(buf, sizeof(buf) - 1);
            buf[n] = '\0';
            fprintf(stderr, "klog<%s>", buf);
        }
        static void Panic()
        {
            atexit(DumpKlogTail);
            fut_panic("out of %s", "frames");
        }
    };
    EXPECT_EXIT(Local::Panic(), ::testing::ExitedWithCode(3), "klog<.*PANIC: out of frames\n>");
}

} // namespace
