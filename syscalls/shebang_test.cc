// Host tests for "#!" line parsing: Linux's rules for the interpreter and
// its one optional argument, and refusal of lines that cannot be followed.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "futura/errno.h"
#include "futura/syscalls/shebang.h"

namespace
{

struct Parsed {
    int rc;
    std::string interp, arg;
    bool has_arg;
};

Parsed Parse(const std::string &text)
{
    fut_shebang sb;
    memset(&sb, 0x55, sizeof(sb));
    int rc = fut_shebang_parse(text.data(), text.size(), &sb);
    if (rc)
        return {rc, "", "", false};
    return {rc, sb.interp, sb.arg, sb.has_arg};
}

TEST(Shebang, InterpreterAlone)
{
    Parsed p = Parse("#!/bin/sh\necho hi\n");
    EXPECT_EQ(p.rc, 0);
    EXPECT_EQ(p.interp, "/bin/sh");
    EXPECT_FALSE(p.has_arg);
    EXPECT_EQ(p.arg, "");
}

TEST(Shebang, BlanksBeforeTheInterpreterAndAroundTheArgumentGo)
{
    Parsed p = Parse("#! \t/bin/futsh \t -e  \t\nrest");
    EXPECT_EQ(p.rc, 0);
    EXPECT_EQ(p.interp, "/bin/futsh");
    EXPECT_TRUE(p.has_arg);
    EXPECT_EQ(p.arg, "-e");
}

TEST(Shebang, EverythingAfterTheInterpreterIsOneArgument)
{
    Parsed p = Parse("#!/usr/bin/env -S a b  c\n");
    EXPECT_EQ(p.interp, "/usr/bin/env");
    EXPECT_EQ(p.arg, "-S a b  c");
}

TEST(Shebang, ALineWithoutNewlineEndsWithTheFile)
{
    Parsed p = Parse("#!/bin/sh -x");
    EXPECT_EQ(p.rc, 0);
    EXPECT_EQ(p.interp, "/bin/sh");
    EXPECT_EQ(p.arg, "-x");
}

TEST(Shebang, CarriageReturnsStayAsLinuxKeepsThem)
{
    EXPECT_EQ(Parse("#!/bin/sh\r\n").interp, "/bin/sh\r");
}

TEST(Shebang, NotAScriptOrNoInterpreterIsENOEXEC)
{
    EXPECT_EQ(Parse("").rc, -ENOEXEC);
    EXPECT_EQ(Parse("#").rc, -ENOEXEC);
    EXPECT_EQ(Parse("\x7f" "ELF").rc, -ENOEXEC);
    EXPECT_EQ(Parse("#!").rc, -ENOEXEC);
    EXPECT_EQ(Parse("#!   \t\n/bin/sh\n").rc, -ENOEXEC);
    EXPECT_EQ(Parse(std::string("#!/bin/s\0h\n", 11)).rc, -ENOEXEC);
    EXPECT_FALSE(fut_shebang_is_script("#", 1));
    EXPECT_TRUE(fut_shebang_is_script("#!x", 3));
}

TEST(Shebang, AnInterpreterNameRunningPastTheBufferIsENOEXEC)
{
    std::string longname = "#!/" + std::string(FUT_SHEBANG_MAX, 'a') + "\n";
    EXPECT_EQ(Parse(longname).rc, -ENOEXEC);
    // A long argument is cut at the buffer, as Linux does.
    std::string longarg = "#!/bin/sh " + std::string(FUT_SHEBANG_MAX, 'b') + "\n";
    Parsed p = Parse(longarg);
    EXPECT_EQ(p.rc, 0);
    EXPECT_EQ(p.interp, "/bin/sh");
    EXPECT_EQ(p.arg.size(), (size_t)FUT_SHEBANG_MAX - 10);
}

TEST(Shebang, EveryPrefixOfAScriptParsesOrIsRefusedWithinBounds)
{
    // Under --config=asan: no read past `len` for any cut of the line.
    std::string text = "#!  /bin/interp   some arg \t\nbody";
    for (size_t n = 0; n <= text.size(); n++) {
        std::string cut = text.substr(0, n);
        Parsed p = Parse(cut);
        if (n < 5)
            EXPECT_EQ(p.rc, -ENOEXEC) << n;
        else
            EXPECT_EQ(p.rc, 0) << n;
    }
}

} // namespace
