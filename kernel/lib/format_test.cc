// Host tests for the format engine: every supported conversion is compared with
// the host libc's snprintf, which defines the behaviour fut_snprintf promises.
#include "futura/lib/format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <sys/types.h>

namespace
{

constexpr size_t kBufSize = 1024;

// The full output of libc's snprintf (may contain NUL bytes from %c).
std::string LibcFormat(const char *fmt, ...)
{
    char buf[kBufSize];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    EXPECT_GE(n, 0) << fmt;
    EXPECT_LT(static_cast<size_t>(n), sizeof(buf)) << fmt;
    return std::string(buf, static_cast<size_t>(n));
}

std::string FutFormat(const char *fmt, ...)
{
    char buf[kBufSize];
    memset(buf, 0x7e, sizeof(buf));
    va_list ap;
    va_start(ap, fmt);
    int n = fut_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    EXPECT_GE(n, 0) << fmt;
    EXPECT_LT(static_cast<size_t>(n), sizeof(buf)) << fmt;
    EXPECT_EQ(buf[n], '\0') << fmt;
    return std::string(buf, static_cast<size_t>(n));
}

// Expands to a comparison of fut_snprintf and libc snprintf on the same arguments.
#define EXPECT_FORMAT_MATCHES_LIBC(fmt, ...)                                                       \
    EXPECT_EQ(FutFormat(fmt, __VA_ARGS__), LibcFormat(fmt, __VA_ARGS__)) << "format: " << (fmt)

void AppendToString(void *ctx, const char *s, size_t n)
{
    static_cast<std::string *>(ctx)->append(s, n);
}

// Everything fut_vformat hands its sink, and its return value.
int FormatThroughSink(std::string *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fut_vformat(AppendToString, out, fmt, ap);
    va_end(ap);
    return n;
}

TEST(Format, PlainTextIsCopiedAndPercentPercentIsOnePercent)
{
    EXPECT_EQ(FutFormat("hello, world"), "hello, world");
    EXPECT_EQ(FutFormat("100%% sure %%d"), "100% sure %d");
    EXPECT_EQ(FutFormat(""), "");
}

TEST(Format, SignedDecimalTableMatchesLibc)
{
    const int values[] = {0, 1, -1, 7, -7, 42, -42, 1000000, INT_MAX, INT_MIN};
    const char *fmts[] = {"%d",    "%i",    "%5d",     "%-5d|", "%05d",  "%+d",     "% d",
                          "%+5d",  "% 05d", "%-+6d|",  "%.3d",  "%8.3d", "%-8.3d|", "%08.3d",
                          "%.0d",  "%+.0d", "% .0d",   "%5.0d", "%0+8d", "%- 8d|",  "%+ d",
                          "%.12d", "%020d", "%-020d|", "%1d",   "%#d"};
    for (const char *f : fmts) {
        for (int v : values)
            EXPECT_FORMAT_MATCHES_LIBC(f, v);
    }
}

TEST(Format, UnsignedHexOctalTableMatchesLibc)
{
    const unsigned values[] = {0u, 1u, 7u, 8u, 9u, 0x1fu, 255u, 0x80000000u, UINT_MAX};
    const char *convs[] = {"u", "x", "X", "o"};
    const char *mods[] = {"",   "#",   "5",    "-5",  "05",  "#5",   "#05",   "-#6",
                          ".0", "#.0", ".3",   "#.3", "8.3", "#8.3", "-#8.3", "08.3",
                          "+",  " ",   "#012", ".1",  "#.1", "#.2",  "#.12",  "0#8"};
    for (const char *c : convs) {
        for (const char *m : mods) {
            std::string f = std::string("[%") + m + c + "]";
            for (unsigned v : values)
                EXPECT_FORMAT_MATCHES_LIBC(f.c_str(), v);
        }
    }
}

TEST(Format, OctalAlternateFormForcesExactlyOneLeadingZero)
{
    // C11 7.21.6.1: '#' with o raises the precision only as far as needed for a
    // leading zero, so "%#.0o" of 0 is "0" and "%#.3o" of 8 is "010".
    EXPECT_EQ(FutFormat("%#o", 0u), "0");
    EXPECT_EQ(FutFormat("%#.0o", 0u), "0");
    EXPECT_EQ(FutFormat("%#o", 8u), "010");
    EXPECT_EQ(FutFormat("%#.3o", 8u), "010");
    EXPECT_EQ(FutFormat("%#.4o", 8u), "0010");
    EXPECT_EQ(FutFormat("%#06o", 8u), "000010");
    EXPECT_EQ(FutFormat("%#-6o|", 8u), "010   |");
}

TEST(Format, LengthModifiersTakeAndTruncateArgumentsLikeLibc)
{
    EXPECT_FORMAT_MATCHES_LIBC("%hhd %hhd %hhd %hhu %hhx", 127, 128, -129, 300, 0x1ff);
    EXPECT_FORMAT_MATCHES_LIBC("%hd %hd %hu %hx %ho", 32767, 32768, 70000, 0x1ffff, 0x1ffff);
    EXPECT_FORMAT_MATCHES_LIBC("%ld %lu %lx %lo", LONG_MIN, ULONG_MAX, ULONG_MAX, ULONG_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%lld %llu %llX %llo", LLONG_MIN, ULLONG_MAX, ULLONG_MAX,
                               ULLONG_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%zu %zx %zd %zd", SIZE_MAX, SIZE_MAX, static_cast<ssize_t>(-5),
                               static_cast<ssize_t>(SSIZE_MAX));
    EXPECT_FORMAT_MATCHES_LIBC("%td %tu %tx", PTRDIFF_MIN, static_cast<ptrdiff_t>(-1), PTRDIFF_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%jd %ju %jx %jo", INTMAX_MIN, UINTMAX_MAX, UINTMAX_MAX,
                               UINTMAX_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%+025lld|%-+25lld|%.30llx", LLONG_MAX, LLONG_MIN, ULLONG_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%#llo %#llx %#llX", ULLONG_MAX, ULLONG_MAX, 1ULL << 63);
}

TEST(Format, Int64ExtremesMatchLibc)
{
    EXPECT_EQ(FutFormat("%lld", static_cast<long long>(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(FutFormat("%ld", static_cast<long>(INT64_MAX)), "9223372036854775807");
    EXPECT_EQ(FutFormat("%llu", static_cast<unsigned long long>(UINT64_MAX)),
              "18446744073709551615");
    EXPECT_EQ(FutFormat("%llo", static_cast<unsigned long long>(UINT64_MAX)),
              "1777777777777777777777");
    EXPECT_FORMAT_MATCHES_LIBC("%jd|%+jd|% jd|%030jd", INTMAX_MIN, INTMAX_MAX, INTMAX_MAX,
                               INTMAX_MIN);
}

TEST(Format, StringsWithWidthAndPrecisionMatchLibc)
{
    const char *strs[] = {"", "a", "hello", "a longer string of text"};
    const char *fmts[] = {"[%s]",     "[%10s]",    "[%-10s]", "[%.3s]", "[%.0s]",
                          "[%10.3s]", "[%-10.3s]", "[%010s]", "[%3s]",  "[%.30s]"};
    for (const char *f : fmts) {
        for (const char *s : strs)
            EXPECT_FORMAT_MATCHES_LIBC(f, s);
    }
}

TEST(Format, StringPrecisionNeverReadsPastItsBound)
{
    // Not NUL-terminated: reading a fourth byte would be caught by ASan.
    char *raw = new char[3]{'a', 'b', 'c'};
    EXPECT_EQ(FutFormat("[%.3s]", raw), "[abc]");
    EXPECT_EQ(FutFormat("[%.*s]", 2, raw), "[ab]");
    delete[] raw;
}

TEST(Format, NullStringPrintsLikeGlibc)
{
    const char *null = nullptr;
    EXPECT_EQ(FutFormat("%s", null), "(null)");
    EXPECT_EQ(FutFormat("[%8s]", null), "[  (null)]");
    EXPECT_EQ(FutFormat("[%.3s]", null), "[]"); // glibc prints nothing if "(null)" would be cut
    const char *fmts[] = {"%s", "%10s", "%-10s|", "%.6s", "%.5s", "%.0s", "%8.2s", "%.7s"};
    for (const char *f : fmts)
        EXPECT_FORMAT_MATCHES_LIBC(f, null);
}

TEST(Format, PointersMatchLibcIncludingNil)
{
    void *ptrs[] = {nullptr, reinterpret_cast<void *>(1), reinterpret_cast<void *>(0xdeadbeef),
                    reinterpret_cast<void *>(UINTPTR_MAX)};
    // '+' and ' ' with %p are undefined in C (glibc's sign on a pointer is an extension).
    const char *fmts[] = {"[%p]",    "[%20p]", "[%-20p]", "[%020p]", "[%.0p]",
                          "[%.12p]", "[%#p]",  "[%3p]",   "[%-3p]",  "[%018.12p]"};
    for (const char *f : fmts) {
        for (void *p : ptrs)
            EXPECT_FORMAT_MATCHES_LIBC(f, p);
    }
    EXPECT_EQ(FutFormat("%p", static_cast<void *>(nullptr)), "(nil)");
    EXPECT_EQ(FutFormat("%p", reinterpret_cast<void *>(0xabc)), "0xabc");
}

TEST(Format, CharactersMatchLibcIncludingNul)
{
    const int chars[] = {'a', 'Z', ' ', '%', 0, 0x1ff};
    const char *fmts[] = {"[%c]", "[%5c]", "[%-5c]", "[%05c]", "[%1c]"};
    for (const char *f : fmts) {
        for (int c : chars)
            EXPECT_FORMAT_MATCHES_LIBC(f, c);
    }
}

TEST(Format, StarWidthAndPrecisionComeFromArgumentsLikeLibc)
{
    EXPECT_EQ(FutFormat("[%*d]", 5, 42), "[   42]");
    EXPECT_EQ(FutFormat("[%*d]", -5, 42), "[42   ]"); // negative width means '-'
    EXPECT_EQ(FutFormat("[%.*d]", 4, 42), "[0042]");
    EXPECT_EQ(FutFormat("[%0.*d]", -1, 42), "[42]"); // negative precision means none
    EXPECT_EQ(FutFormat("[%0*.*d]", 6, -1, 42), "[000042]");
    EXPECT_FORMAT_MATCHES_LIBC("[%*.*s|%-*x|%*.*lld]", 7, 2, "abcdef", -6, 0xab, 20, 19, LLONG_MIN);
    EXPECT_FORMAT_MATCHES_LIBC("[%*s][%-*c][%.*u]", -8, "neg", 3, 'q', 0, 0u);
}

TEST(Format, MixedConversionsConsumeArgumentsInOrder)
{
    EXPECT_FORMAT_MATCHES_LIBC("%s=%d (%#x) at %p; %c%c %5.1s %lu%%", "x", -3, 255u,
                               reinterpret_cast<void *>(0x1000), 'o', 'k', "tail", 9UL);
}

TEST(Format, SnprintfTruncatesButReturnsFullLength)
{
    const char *fmt = "value=%d name=%s";
    const std::string full = LibcFormat(fmt, 12345, "futura");
    for (size_t size = 1; size <= full.size() + 2; size++) {
        char buf[64];
        memset(buf, 'X', sizeof(buf));
        int n = fut_snprintf(buf, size, fmt, 12345, "futura");
        EXPECT_EQ(n, static_cast<int>(full.size()));
        size_t kept = size - 1 < full.size() ? size - 1 : full.size();
        EXPECT_EQ(std::string(buf, kept), full.substr(0, kept)) << "size " << size;
        EXPECT_EQ(buf[kept], '\0') << "size " << size;
        EXPECT_EQ(buf[kept + 1], 'X') << "wrote past the terminator, size " << size;
    }
}

TEST(Format, SnprintfWithSizeZeroWritesNothing)
{
    char buf[4] = {'X', 'X', 'X', 'X'};
    EXPECT_EQ(fut_snprintf(buf, 0, "%s", "abcdef"), 6);
    EXPECT_EQ(std::string(buf, 4), "XXXX");
    EXPECT_EQ(fut_snprintf(nullptr, 0, "%d-%d", 10, 20), 5);
}

TEST(Format, SizeOneBufferHoldsOnlyTheTerminator)
{
    char buf[2] = {'X', 'X'};
    EXPECT_EQ(fut_snprintf(buf, 1, "%d", 987), 3);
    EXPECT_EQ(buf[0], '\0');
    EXPECT_EQ(buf[1], 'X');
}

TEST(Format, SinkReceivesExactlyTheCountedBytes)
{
    std::string out;
    int n = FormatThroughSink(&out, "[%-8s|%+05d|%#x|%c|%p]", "ab", 42, 0x2au, 0,
                              static_cast<void *>(nullptr));
    EXPECT_EQ(static_cast<size_t>(n), out.size());
    EXPECT_EQ(out, LibcFormat("[%-8s|%+05d|%#x|%c|%p]", "ab", 42, 0x2au, 0,
                              static_cast<void *>(nullptr)));

    std::string wide;
    n = FormatThroughSink(&wide, "%300d", 1); // padding longer than any internal chunk
    EXPECT_EQ(n, 300);
    EXPECT_EQ(wide, std::string(299, ' ') + "1");
}

// ---- Randomized differential test against libc ----

// One random conversion spec and the arguments it consumes.
struct RandomCase {
    std::string fmt;
    bool star_width = false, star_precision = false;
    int width_arg = 0, precision_arg = 0;
    char conv = 'd';
    std::string length;
};

uint64_t InterestingBits(std::mt19937_64 &rng)
{
    switch (rng() % 8) {
    case 0: return 0;
    case 1: return 1;
    case 2: return UINT64_MAX; // -1
    case 3: return rng() % 1000;
    case 4: return 0 - (rng() % 1000);
    case 5: return UINT64_C(1) << (rng() % 64);       // includes INT64_MIN
    case 6: return (UINT64_C(1) << (rng() % 64)) - 1; // includes INT64_MAX
    default: return rng();
    }
}

RandomCase MakeRandomCase(std::mt19937_64 &rng)
{
    static const char kConvs[] = "diuxXopsc";
    static const char *const kLengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
    static const char kFlags[] = "-0+ #";

    RandomCase c;
    c.conv = kConvs[rng() % (sizeof(kConvs) - 1)];
    c.fmt = "[%";
    int nflags = static_cast<int>(rng() % 4);
    for (int i = 0; i < nflags; i++) {
        char f = kFlags[rng() % (sizeof(kFlags) - 1)];
        // '+' and ' ' on %p are undefined in C; glibc's signed pointers are an extension.
        if (c.conv == 'p' && (f == '+' || f == ' '))
            continue;
        c.fmt += f;
    }
    switch (rng() % 4) {
    case 0: break;
    case 1: c.fmt += std::to_string(rng() % 10); break;
    case 2: c.fmt += std::to_string(rng() % 40); break;
    default:
        c.star_width = true;
        c.width_arg = static_cast<int>(rng() % 61) - 30;
        c.fmt += '*';
        break;
    }
    // Precision with %c is undefined in C.
    switch (c.conv == 'c' ? 0 : rng() % 5) {
    case 0: break;
    case 1: c.fmt += "."; break;
    case 2: c.fmt += "." + std::to_string(rng() % 5); break;
    case 3: c.fmt += "." + std::to_string(rng() % 30); break;
    default:
        c.star_precision = true;
        c.precision_arg = static_cast<int>(rng() % 41) - 10;
        c.fmt += ".*";
        break;
    }
    // Length modifiers on %c/%s select wide characters, on %p they are undefined.
    if (c.conv != 'c' && c.conv != 's' && c.conv != 'p')
        c.length = kLengths[rng() % 8];
    c.fmt += c.length;
    c.fmt += c.conv;
    c.fmt += ']';
    return c;
}

// Calls format(fmt, [width], [precision], value) with whatever star arguments the case has.
typedef std::string (*FormatFn)(const char *fmt, ...);

template <typename T> std::string CallWithStars(FormatFn format, const RandomCase &c, T value)
{
    const char *f = c.fmt.c_str();
    if (c.star_width && c.star_precision)
        return format(f, c.width_arg, c.precision_arg, value);
    if (c.star_width)
        return format(f, c.width_arg, value);
    if (c.star_precision)
        return format(f, c.precision_arg, value);
    return format(f, value);
}

// Formats with both engines and returns them as {fut, libc}.
template <typename T> std::pair<std::string, std::string> BothWays(const RandomCase &c, T value)
{
    return {CallWithStars(FutFormat, c, value), CallWithStars(LibcFormat, c, value)};
}

std::pair<std::string, std::string> FormatRandomCase(const RandomCase &c, uint64_t bits,
                                                     const char *str)
{
    const bool is_signed = c.conv == 'd' || c.conv == 'i';
    switch (c.conv) {
    case 'p': return BothWays(c, reinterpret_cast<void *>(static_cast<uintptr_t>(bits)));
    case 's': return BothWays(c, str);
    case 'c': return BothWays(c, static_cast<int>(bits & 0xff));
    default: break;
    }
    // Arguments are passed with the type the length modifier names (after promotion).
    if (c.length == "" || c.length == "hh" || c.length == "h") {
        if (is_signed)
            return BothWays(c, static_cast<int>(bits));
        return BothWays(c, static_cast<unsigned>(bits));
    }
    if (c.length == "l")
        return is_signed ? BothWays(c, static_cast<long>(bits))
                         : BothWays(c, static_cast<unsigned long>(bits));
    if (c.length == "ll")
        return is_signed ? BothWays(c, static_cast<long long>(bits))
                         : BothWays(c, static_cast<unsigned long long>(bits));
    if (c.length == "z")
        return is_signed ? BothWays(c, static_cast<ssize_t>(bits))
                         : BothWays(c, static_cast<size_t>(bits));
    if (c.length == "t")
        return BothWays(c, static_cast<ptrdiff_t>(bits));
    return is_signed ? BothWays(c, static_cast<intmax_t>(bits))
                     : BothWays(c, static_cast<uintmax_t>(bits));
}

TEST(FormatRandomized, TwentyThousandRandomSpecsMatchLibc)
{
    static const char *const kStrings[] = {"", "x", "futura", "a much longer string value"};
    std::mt19937_64 rng(20240601);
    int mismatches = 0;
    for (int i = 0; i < 20000; i++) {
        RandomCase c = MakeRandomCase(rng);
        uint64_t bits = InterestingBits(rng);
        const char *str = rng() % 10 == 0 ? nullptr : kStrings[rng() % 4];
        std::pair<std::string, std::string> out = FormatRandomCase(c, bits, str);
        const std::string &fut = out.first, &libc = out.second;
        if (fut != libc && ++mismatches <= 20) {
            ADD_FAILURE() << "case " << i << ": format \"" << c.fmt << "\" width_arg "
                          << c.width_arg << " precision_arg " << c.precision_arg << " bits 0x"
                          << std::hex << bits << std::dec << "\n  fut:  \"" << fut
                          << "\"\n  libc: \"" << libc << "\"";
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(FormatRandomized, TruncatedOutputIsAPrefixOfTheFullOutput)
{
    std::mt19937_64 rng(7);
    for (int i = 0; i < 2000; i++) {
        RandomCase c = MakeRandomCase(rng);
        // Keep to specs that take exactly one int.
        bool takes_int = c.length.empty() || c.length == "h" || c.length == "hh";
        if (c.conv == 's' || c.conv == 'p' || !takes_int || c.star_width || c.star_precision)
            continue;
        int value = static_cast<int>(InterestingBits(rng));
        std::string full = LibcFormat(c.fmt.c_str(), value);
        size_t size = rng() % (full.size() + 2);
        char buf[kBufSize];
        memset(buf, 'X', sizeof(buf));
        int n = fut_snprintf(buf, size, c.fmt.c_str(), value);
        ASSERT_EQ(n, static_cast<int>(full.size())) << c.fmt;
        if (size == 0) {
            EXPECT_EQ(buf[0], 'X') << c.fmt;
            continue;
        }
        size_t kept = std::min(size - 1, full.size());
        EXPECT_EQ(std::string(buf, kept), full.substr(0, kept)) << c.fmt << " size " << size;
        EXPECT_EQ(buf[kept], '\0') << c.fmt << " size " << size;
        EXPECT_EQ(buf[kept + 1], 'X') << c.fmt << " size " << size;
    }
}

} // namespace
