// Host tests for kernel command-line lookup.
#include "futura/boot/cmdline.h"

#include <gtest/gtest.h>

#include <string>

namespace
{

// The value of key, or "<absent>" if fut_cmdline_get reports it missing.
std::string Get(const char *cmdline, const char *key)
{
    char out[64] = "<untouched>";
    if (!fut_cmdline_get(cmdline, key, out, sizeof(out)))
        return "<absent>";
    return out;
}

std::string InitArgs(const char *cmdline)
{
    const char *args = fut_cmdline_init_args(cmdline);
    return args ? args : "<none>";
}

TEST(Cmdline, KeyValueReturnsTheValue)
{
    EXPECT_EQ(Get("console=ttyS0 root=/dev/vda quiet", "root"), "/dev/vda");
    EXPECT_EQ(Get("console=ttyS0 root=/dev/vda quiet", "console"), "ttyS0");
}

TEST(Cmdline, ValueKeepsEverythingAfterTheFirstEquals)
{
    EXPECT_EQ(Get("root=LABEL=boot", "root"), "LABEL=boot");
    EXPECT_EQ(Get("opt==x", "opt"), "=x");
}

TEST(Cmdline, BareFlagIsPresentWithEmptyValue)
{
    EXPECT_EQ(Get("console=ttyS0 quiet", "quiet"), "");
    EXPECT_EQ(Get("quiet", "quiet"), "");
    EXPECT_EQ(Get("empty=", "empty"), "");
}

TEST(Cmdline, MissingKeyIsAbsentAndLeavesOutputUntouched)
{
    char out[16] = "untouched";
    EXPECT_FALSE(fut_cmdline_get("console=ttyS0 quiet", "root", out, sizeof(out)));
    EXPECT_STREQ(out, "untouched");
    EXPECT_FALSE(fut_cmdline_get("", "root", out, sizeof(out)));
    EXPECT_FALSE(fut_cmdline_get("   \t ", "root", out, sizeof(out)));
    EXPECT_STREQ(out, "untouched");
}

TEST(Cmdline, LastOccurrenceWins)
{
    EXPECT_EQ(Get("test=first other=1 test=second", "test"), "second");
    EXPECT_EQ(Get("test=value test", "test"), ""); // a later bare flag overrides too
    EXPECT_EQ(Get("test test=value", "test"), "value");
}

TEST(Cmdline, KeyDoesNotMatchWordsThatMerelyShareAPrefix)
{
    EXPECT_EQ(Get("testing=1", "test"), "<absent>");
    EXPECT_EQ(Get("tests", "test"), "<absent>");
    EXPECT_EQ(Get("tes=1", "test"), "<absent>");
    EXPECT_EQ(Get("xtest=1", "test"), "<absent>");
    EXPECT_EQ(Get("testing=1 test=mm testx=2", "test"), "mm");
}

TEST(Cmdline, KeyIsNotFoundInsideAnotherOptionsValue)
{
    EXPECT_EQ(Get("init=test=1", "test"), "<absent>");
    EXPECT_EQ(Get("init=/bin/test", "test"), "<absent>");
}

TEST(Cmdline, ValueIsTruncatedToOutputSize)
{
    char out[5];
    EXPECT_TRUE(fut_cmdline_get("name=abcdefgh", "name", out, sizeof(out)));
    EXPECT_STREQ(out, "abcd");

    char one[1] = {'x'};
    EXPECT_TRUE(fut_cmdline_get("name=abcdefgh", "name", one, sizeof(one)));
    EXPECT_EQ(one[0], '\0');
}

TEST(Cmdline, ZeroOutputSizeReportsPresenceWithoutWriting)
{
    char out[4] = {'x', 'y', 'z', '\0'};
    EXPECT_TRUE(fut_cmdline_get("name=abc", "name", out, 0));
    EXPECT_STREQ(out, "xyz");
}

TEST(Cmdline, TabsNewlinesAndRepeatedSpacesSeparateWords)
{
    const char *cmdline = "  \tconsole=ttyS0 \t  mem=512M\n\nquiet\t ";
    EXPECT_EQ(Get(cmdline, "console"), "ttyS0");
    EXPECT_EQ(Get(cmdline, "mem"), "512M");
    EXPECT_EQ(Get(cmdline, "quiet"), "");
}

TEST(Cmdline, WordsAfterLoneDoubleDashAreNotKernelOptions)
{
    const char *cmdline = "quiet test=boot -- test=init single";
    EXPECT_EQ(Get(cmdline, "test"), "boot");
    EXPECT_EQ(Get(cmdline, "single"), "<absent>");
    EXPECT_EQ(Get("-- quiet", "quiet"), "<absent>");
}

TEST(Cmdline, DashDashInsideAWordIsNotTheSeparator)
{
    EXPECT_EQ(Get("--verbose x=1", "x"), "1");
    EXPECT_EQ(Get("a=-- x=1", "x"), "1");
    EXPECT_EQ(Get("--- x=1", "x"), "1");
}

TEST(Cmdline, InitArgsAreTheTextAfterTheFirstLoneDoubleDash)
{
    EXPECT_EQ(InitArgs("quiet -- sh -c 'echo hi'"), "sh -c 'echo hi'");
    EXPECT_EQ(InitArgs("quiet --\t \tsingle"), "single");
    EXPECT_EQ(InitArgs("a -- b -- c"), "b -- c");
    EXPECT_EQ(InitArgs("-- init"), "init");
    EXPECT_EQ(InitArgs("quiet --"), "");
}

TEST(Cmdline, InitArgsAreNullWithoutALoneDoubleDash)
{
    EXPECT_EQ(InitArgs(""), "<none>");
    EXPECT_EQ(InitArgs("quiet console=ttyS0"), "<none>");
    EXPECT_EQ(InitArgs("--verbose a=-- ---"), "<none>");
    EXPECT_EQ(InitArgs("quiet  "), "<none>");
}

} // namespace
