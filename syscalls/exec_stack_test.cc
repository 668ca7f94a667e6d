// Host tests for the initial user stack. The image is read back the way
// musl's start-up does (_start_c -> __libc_start_main -> __init_libc): argc at
// rsp, argv after it, envp after argv's NULL, auxv after envp's NULL.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "futura/errno.h"
#include "futura/syscalls/exec_stack.h"

namespace
{

constexpr uint64_t kUserStackTop = 0x7ffffffff000ull;
constexpr size_t kAuxCount = 38; // musl's AUX_CNT

const uint8_t kRandom[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                             0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

// A stack image in a 16-byte aligned host buffer whose end stands for
// user address `top`.
class StackImage
{
  public:
    explicit StackImage(size_t size, uint8_t fill = 0xa5)
        : words_((size + 15) / 16 * 2), size_(size)
    {
        memset(words_.data(), fill, words_.size() * 8);
    }

    uint8_t *buf()
    {
        return reinterpret_cast<uint8_t *>(words_.data()) + words_.size() * 8 - size_;
    }
    size_t size() const
    {
        return size_;
    }

    // The host address holding user address addr of a stack ending at top.
    uint8_t *At(uint64_t top, uint64_t addr)
    {
        return buf() + size_ - (top - addr);
    }

  private:
    std::vector<uint64_t> words_; // uint64_t for alignment
    size_t size_;
};

// What musl's start-up reads from the initial stack.
struct MuslView {
    long argc;
    std::vector<std::string> argv;
    std::vector<std::string> envp;
    uint64_t aux[kAuxCount];
    std::vector<uint64_t> aux_order; // types in stack order, AT_NULL excluded
};

// Reads the stack at `rsp` as musl does, translating user addresses through
// `at` (a function from user address to host pointer).
template <typename At> MuslView ReadLikeMusl(uint64_t rsp, At at)
{
    MuslView v;
    auto word = [&](uint64_t addr) {
        uint64_t w;
        memcpy(&w, at(addr), sizeof(w));
        return w;
    };
    // _start_c: argc = p[0], argv = p + 1
    v.argc = static_cast<long>(word(rsp));
    uint64_t argv = rsp + 8;
    for (long i = 0; i < v.argc; i++)
        v.argv.push_back(reinterpret_cast<const char *>(at(word(argv + 8 * i))));
    EXPECT_EQ(word(argv + 8 * v.argc), 0u) << "argv[argc] must be NULL";
    // __libc_start_main: envp = argv + argc + 1
    uint64_t envp = argv + 8 * (v.argc + 1);
    size_t i = 0;
    for (; word(envp + 8 * i) != 0; i++)
        v.envp.push_back(reinterpret_cast<const char *>(at(word(envp + 8 * i))));
    // __init_libc: auxv = envp + i + 1; aux[type] = value for type < AUX_CNT
    uint64_t auxv = envp + 8 * (i + 1);
    memset(v.aux, 0, sizeof(v.aux));
    for (size_t j = 0; word(auxv + 8 * j) != 0; j += 2) {
        uint64_t type = word(auxv + 8 * j);
        v.aux_order.push_back(type);
        if (type < kAuxCount)
            v.aux[type] = word(auxv + 8 * j + 8);
    }
    return v;
}

class ExecStack : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        argv_ = {"/bin/hello", "a", "two words", ""};
        envp_ = {"FOO=bar", "EMPTY="};
        memset(&args_, 0, sizeof(args_));
        args_.execfn = "/bin/hello";
        args_.random = kRandom;
        args_.phdr = 0x400040;
        args_.phent = 56;
        args_.phnum = 9;
        args_.entry = 0x401000;
        args_.base = 0;
        args_.pagesz = 4096;
        args_.hwcap = 0x178bfbff;
        args_.clktck = 100;
        args_.uid = 1;
        args_.euid = 2;
        args_.gid = 3;
        args_.egid = 4;
        Point();
    }

    // args_ points at argv_/envp_ (call after changing them).
    void Point()
    {
        argv_ptrs_.clear();
        envp_ptrs_.clear();
        for (const std::string &s : argv_)
            argv_ptrs_.push_back(s.c_str());
        for (const std::string &s : envp_)
            envp_ptrs_.push_back(s.c_str());
        args_.argv = argv_ptrs_.empty() ? nullptr : argv_ptrs_.data();
        args_.argc = static_cast<uint32_t>(argv_ptrs_.size());
        args_.envp = envp_ptrs_.empty() ? nullptr : envp_ptrs_.data();
        args_.envc = static_cast<uint32_t>(envp_ptrs_.size());
    }

    std::vector<std::string> argv_, envp_;
    std::vector<const char *> argv_ptrs_, envp_ptrs_;
    fut_exec_stack_args args_;
};

TEST_F(ExecStack, MuslStartupFindsArgcArgvEnvpAndAuxv)
{
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);

    auto at = [&](uint64_t addr) {
        EXPECT_GE(addr, layout.rsp);
        EXPECT_LT(addr, kUserStackTop);
        return img.At(kUserStackTop, addr);
    };
    MuslView v = ReadLikeMusl(layout.rsp, at);
    EXPECT_EQ(v.argc, 4);
    EXPECT_EQ(v.argv, argv_);
    EXPECT_EQ(v.envp, envp_);

    EXPECT_EQ(v.aux[AT_PHDR], 0x400040u);
    EXPECT_EQ(v.aux[AT_PHENT], 56u);
    EXPECT_EQ(v.aux[AT_PHNUM], 9u);
    EXPECT_EQ(v.aux[AT_PAGESZ], 4096u);
    EXPECT_EQ(v.aux[AT_BASE], 0u);
    EXPECT_EQ(v.aux[AT_FLAGS], 0u);
    EXPECT_EQ(v.aux[AT_ENTRY], 0x401000u);
    EXPECT_EQ(v.aux[AT_UID], 1u);
    EXPECT_EQ(v.aux[AT_EUID], 2u);
    EXPECT_EQ(v.aux[AT_GID], 3u);
    EXPECT_EQ(v.aux[AT_EGID], 4u);
    EXPECT_EQ(v.aux[AT_HWCAP], 0x178bfbffu);
    EXPECT_EQ(v.aux[AT_CLKTCK], 100u);
    EXPECT_EQ(v.aux[AT_SECURE], 0u);
    EXPECT_EQ(memcmp(at(v.aux[AT_RANDOM]), kRandom, 16), 0);
    EXPECT_STREQ(reinterpret_cast<const char *>(at(v.aux[AT_PLATFORM])), "x86_64");
    EXPECT_STREQ(reinterpret_cast<const char *>(at(v.aux[AT_EXECFN])), "/bin/hello");
}

TEST_F(ExecStack, AuxvHasLinuxsEntriesInLinuxsOrder)
{
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
    MuslView v = ReadLikeMusl(layout.rsp, [&](uint64_t a) { return img.At(kUserStackTop, a); });
    const std::vector<uint64_t> linux_order = {
        AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR,   AT_PHENT,   AT_PHNUM,
        AT_BASE,  AT_FLAGS,  AT_ENTRY,  AT_UID,    AT_EUID,    AT_GID,
        AT_EGID,  AT_SECURE, AT_RANDOM, AT_EXECFN, AT_PLATFORM};
    EXPECT_EQ(v.aux_order, linux_order);
    EXPECT_EQ(v.aux_order.size() + 1, static_cast<size_t>(FUT_EXEC_AUXV_ENTRIES));
}

TEST_F(ExecStack, RspIsSixteenByteAlignedAndPointsAtArgc)
{
    for (uint32_t extra = 0; extra < 24; extra++) { // every string-size residue mod 16
        argv_.push_back(std::string(extra, 'x'));
        Point();
        StackImage img(FUT_EXEC_STACK_MAX_BYTES);
        fut_exec_stack_layout layout;
        ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
        EXPECT_EQ(layout.rsp % 16, 0u);
        EXPECT_EQ(layout.size, kUserStackTop - layout.rsp);
        uint64_t argc;
        memcpy(&argc, img.At(kUserStackTop, layout.rsp), 8);
        EXPECT_EQ(argc, args_.argc);
        EXPECT_EQ(layout.argv, layout.rsp + 8);
    }
}

TEST_F(ExecStack, RealAddressesWorkAsPointersLikeOnAUserStack)
{
    // Let the user addresses be this buffer's own addresses, and use them as
    // plain pointers, as musl does.
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    uint64_t top = reinterpret_cast<uint64_t>(img.buf() + img.size());
    ASSERT_EQ(top % 16, 0u);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), top, &layout), 0);

    long *p = reinterpret_cast<long *>(layout.rsp);
    int argc = static_cast<int>(p[0]);
    char **argv = reinterpret_cast<char **>(p + 1);
    char **envp = argv + argc + 1;
    size_t i;
    for (i = 0; envp[i]; i++) {
    }
    size_t *auxv = reinterpret_cast<size_t *>(envp + i + 1);
    size_t aux[kAuxCount] = {0};
    for (i = 0; auxv[i]; i += 2)
        if (auxv[i] < kAuxCount)
            aux[auxv[i]] = auxv[i + 1];

    ASSERT_EQ(argc, 4);
    EXPECT_STREQ(argv[0], "/bin/hello");
    EXPECT_STREQ(argv[2], "two words");
    EXPECT_STREQ(argv[3], "");
    EXPECT_EQ(argv[4], nullptr);
    EXPECT_STREQ(envp[0], "FOO=bar");
    EXPECT_STREQ(envp[1], "EMPTY=");
    EXPECT_EQ(envp[2], nullptr);
    EXPECT_EQ(memcmp(reinterpret_cast<void *>(aux[AT_RANDOM]), kRandom, 16), 0);
    EXPECT_STREQ(reinterpret_cast<char *>(aux[AT_EXECFN]), "/bin/hello");
    EXPECT_STREQ(reinterpret_cast<char *>(aux[AT_PLATFORM]), "x86_64");
}

TEST_F(ExecStack, StringsLieEndToEndLikeProcCmdline)
{
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
    auto bytes = [&](uint64_t from, uint64_t to) {
        return std::string(reinterpret_cast<char *>(img.At(kUserStackTop, from)), to - from);
    };
    EXPECT_EQ(bytes(layout.arg_start, layout.arg_end),
              std::string("/bin/hello\0a\0two words\0\0", 24));
    EXPECT_EQ(bytes(layout.env_start, layout.env_end), std::string("FOO=bar\0EMPTY=\0", 15));
    EXPECT_EQ(layout.env_end, layout.execfn);
    EXPECT_EQ(bytes(layout.execfn, kUserStackTop), std::string("/bin/hello\0\0\0\0\0\0\0\0\0", 19));
    EXPECT_LT(layout.auxv, layout.random);
    EXPECT_LT(layout.random, layout.platform);
    EXPECT_LT(layout.platform, layout.arg_start);
}

TEST_F(ExecStack, ImageOccupiesOnlyTheBufferEndAndHasNoStaleBytes)
{
    // Built over two different fills, the images are identical (padding is
    // written, no old kernel bytes reach user space) and the bytes below
    // them keep their fill.
    StackImage a(8192, 0x00), b(8192, 0xff);
    fut_exec_stack_layout la, lb;
    ASSERT_EQ(fut_exec_stack_build(&args_, a.buf(), a.size(), kUserStackTop, &la), 0);
    ASSERT_EQ(fut_exec_stack_build(&args_, b.buf(), b.size(), kUserStackTop, &lb), 0);
    ASSERT_EQ(la.size, lb.size);
    size_t below = a.size() - la.size;
    EXPECT_EQ(memcmp(a.buf() + below, b.buf() + below, la.size), 0);
    for (size_t i = 0; i < below; i++) {
        ASSERT_EQ(a.buf()[i], 0x00) << i;
        ASSERT_EQ(b.buf()[i], 0xff) << i;
    }
}

TEST_F(ExecStack, SizeMatchesBuildAndAnExactBufferSuffices)
{
    uint64_t size;
    ASSERT_EQ(fut_exec_stack_size(&args_, &size), 0);
    EXPECT_EQ(size % 16, 0u);
    StackImage exact(size);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, exact.buf(), exact.size(), kUserStackTop, &layout), 0);
    EXPECT_EQ(layout.size, size);
    StackImage short_by_one(size - 1);
    EXPECT_EQ(fut_exec_stack_build(&args_, short_by_one.buf(), short_by_one.size(), kUserStackTop,
                                   &layout),
              -EINVAL);
}

TEST_F(ExecStack, NoArgumentsStillGivesAWellFormedStack)
{
    argv_.clear();
    envp_.clear();
    Point();
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
    MuslView v = ReadLikeMusl(layout.rsp, [&](uint64_t a) { return img.At(kUserStackTop, a); });
    EXPECT_EQ(v.argc, 0);
    EXPECT_TRUE(v.envp.empty());
    EXPECT_EQ(v.aux[AT_PAGESZ], 4096u);
}

TEST_F(ExecStack, SecureFlagReachesAtSecure)
{
    args_.secure = true;
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    ASSERT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
    MuslView v = ReadLikeMusl(layout.rsp, [&](uint64_t a) { return img.At(kUserStackTop, a); });
    EXPECT_EQ(v.aux[AT_SECURE], 1u);
}

TEST_F(ExecStack, StringBytesUpTo128KiBAreAcceptedOneMoreIsE2big)
{
    // Two strings of FUT_EXEC_ARG_MAX bytes together, NULs included.
    size_t half = FUT_EXEC_ARG_MAX / 2;
    argv_ = {std::string(half - 1, 'a')};
    envp_ = {std::string(half - 1, 'e')};
    Point();
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
    envp_[0].push_back('e');
    Point();
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), -E2BIG);
    uint64_t size;
    EXPECT_EQ(fut_exec_stack_size(&args_, &size), -E2BIG);
}

TEST_F(ExecStack, OneHugeStringIsE2big)
{
    argv_ = {std::string(1 << 20, 'a')};
    Point();
    uint64_t size;
    EXPECT_EQ(fut_exec_stack_size(&args_, &size), -E2BIG);
}

TEST_F(ExecStack, StringCountLimitCountsArgvAndEnvpTogether)
{
    argv_.assign(FUT_EXEC_MAX_STRINGS / 2, "a");
    envp_.assign(FUT_EXEC_MAX_STRINGS / 2, "e");
    Point();
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
    envp_.push_back("e");
    Point();
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), -E2BIG);
}

TEST_F(ExecStack, WorstCaseWithinTheLimitsFitsTheMaximumBuffer)
{
    // The most strings, the most string bytes, the longest execfn.
    size_t count = FUT_EXEC_MAX_STRINGS;
    size_t each = FUT_EXEC_ARG_MAX / count; // bytes per string, NUL included
    argv_.assign(count, std::string(each - 1, 'a'));
    envp_.clear();
    Point();
    std::string execfn(FUT_EXEC_EXECFN_MAX - 1, 'f');
    args_.execfn = execfn.c_str();
    uint64_t size;
    ASSERT_EQ(fut_exec_stack_size(&args_, &size), 0);
    EXPECT_LE(size, static_cast<uint64_t>(FUT_EXEC_STACK_MAX_BYTES));
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop, &layout), 0);
}

TEST_F(ExecStack, OverlongExecfnIsE2big)
{
    std::string execfn(FUT_EXEC_EXECFN_MAX, 'f');
    args_.execfn = execfn.c_str();
    uint64_t size;
    EXPECT_EQ(fut_exec_stack_size(&args_, &size), -E2BIG);
}

TEST_F(ExecStack, MissingStringsOrRandomBytesAreInvalid)
{
    uint64_t size;
    fut_exec_stack_args bad = args_;
    bad.execfn = nullptr;
    EXPECT_EQ(fut_exec_stack_size(&bad, &size), -EINVAL);
    bad = args_;
    bad.random = nullptr;
    EXPECT_EQ(fut_exec_stack_size(&bad, &size), -EINVAL);
    bad = args_;
    bad.argv = nullptr;
    EXPECT_EQ(fut_exec_stack_size(&bad, &size), -EINVAL);
    argv_ptrs_[1] = nullptr;
    EXPECT_EQ(fut_exec_stack_size(&args_, &size), -EINVAL);
}

TEST_F(ExecStack, UnalignedOrTooLowStackTopIsInvalid)
{
    StackImage img(FUT_EXEC_STACK_MAX_BYTES);
    fut_exec_stack_layout layout;
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), kUserStackTop - 8, &layout),
              -EINVAL);
    EXPECT_EQ(fut_exec_stack_build(&args_, img.buf(), img.size(), 0x100, &layout), -EINVAL);
}

} // namespace
