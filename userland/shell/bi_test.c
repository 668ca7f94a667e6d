/* test and [: POSIX's rules by argument count (up to four arguments), and
 * a recursive-descent parser with ! -a -o ( ) beyond that. Status 0 true,
 * 1 false, 2 error. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "shell.h"

struct test {
    char **args;
    int n, pos;
    int error;
    int depth; /* of ! and ( */
};

enum { TEST_MAX_DEPTH = 400 };

static int test_error(struct test *t, const char *fmt, const char *arg)
{
    if (!t->error)
        sh_error(fmt, arg);
    t->error = 1;
    return 0;
}

static int is_unary_op(const char *s)
{
    return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghknprstuwxzLOGS", s[1]);
}

static int is_binary_op(const char *s)
{
    static const char *const ops[] = {"=",   "==",  "!=",  "<",   ">",   "-eq", "-ne",
                                      "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (!strcmp(s, ops[i]))
            return 1;
    return 0;
}

static long long to_int(struct test *t, const char *s)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    char *end;
    errno = 0;
    long long v = strtoll(p, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == p || *end || errno)
        test_error(t, "test: %s: integer expression expected", s);
    return v;
}

static int unary(struct test *t, const char *op, const char *arg)
{
    struct stat st;
    char c = op[1];
    if (c == 'z')
        return !*arg;
    if (c == 'n')
        return *arg != 0;
    if (c == 't') {
        long long fd = to_int(t, arg);
        return !t->error && isatty((int)fd);
    }
    if (c == 'h' || c == 'L')
        return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
    if (c == 'r' || c == 'w' || c == 'x')
        return access(arg, c == 'r' ? R_OK : c == 'w' ? W_OK : X_OK) == 0;
    if (stat(arg, &st) < 0)
        return 0;
    switch (c) {
    case 'b': return S_ISBLK(st.st_mode);
    case 'c': return S_ISCHR(st.st_mode);
    case 'd': return S_ISDIR(st.st_mode);
    case 'e': return 1;
    case 'f': return S_ISREG(st.st_mode);
    case 'g': return (st.st_mode & S_ISGID) != 0;
    case 'k': return (st.st_mode & S_ISVTX) != 0;
    case 'p': return S_ISFIFO(st.st_mode);
    case 's': return st.st_size > 0;
    case 'S': return S_ISSOCK(st.st_mode);
    case 'u': return (st.st_mode & S_ISUID) != 0;
    case 'O': return st.st_uid == geteuid();
    case 'G': return st.st_gid == getegid();
    default: return 0;
    }
}

static int newer(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) < 0)
        return 0;
    if (stat(b, &sb) < 0)
        return 1;
    return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
           (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
}

static int binary(struct test *t, const char *a, const char *op, const char *b)
{
    if (!strcmp(op, "=") || !strcmp(op, "=="))
        return strcmp(a, b) == 0;
    if (!strcmp(op, "!="))
        return strcmp(a, b) != 0;
    if (!strcmp(op, "<"))
        return strcmp(a, b) < 0;
    if (!strcmp(op, ">"))
        return strcmp(a, b) > 0;
    if (!strcmp(op, "-nt"))
        return newer(a, b);
    if (!strcmp(op, "-ot"))
        return newer(b, a);
    if (!strcmp(op, "-ef")) {
        struct stat sa, sb;
        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
               sa.st_ino == sb.st_ino;
    }
    long long x = to_int(t, a), y = to_int(t, b);
    if (!strcmp(op, "-eq"))
        return x == y;
    if (!strcmp(op, "-ne"))
        return x != y;
    if (!strcmp(op, "-lt"))
        return x < y;
    if (!strcmp(op, "-le"))
        return x <= y;
    if (!strcmp(op, "-gt"))
        return x > y;
    return x >= y; /* -ge */
}

/* ---- the general parser ---- */

static int expr_or(struct test *t);

static const char *next_arg(struct test *t)
{
    return t->pos < t->n ? t->args[t->pos] : NULL;
}

static int primary(struct test *t)
{
    const char *a = next_arg(t);
    if (!a)
        return test_error(t, "test: %s", "argument expected");
    if (t->depth >= TEST_MAX_DEPTH)
        return test_error(t, "test: %s", "expression nested too deeply");
    if (!strcmp(a, "!")) {
        t->pos++;
        t->depth++;
        int v = !primary(t);
        t->depth--;
        return v;
    }
    if (!strcmp(a, "(")) {
        t->pos++;
        t->depth++;
        int v = expr_or(t);
        t->depth--;
        const char *close = next_arg(t);
        if (!close || strcmp(close, ")"))
            return test_error(t, "test: %s", "missing )");
        t->pos++;
        return v;
    }
    if (t->pos + 2 < t->n && is_binary_op(t->args[t->pos + 1])) {
        int v = binary(t, a, t->args[t->pos + 1], t->args[t->pos + 2]);
        t->pos += 3;
        return v;
    }
    if (is_unary_op(a) && t->pos + 1 < t->n) {
        int v = unary(t, a, t->args[t->pos + 1]);
        t->pos += 2;
        return v;
    }
    t->pos++;
    return *a != 0;
}

static int expr_and(struct test *t)
{
    int v = primary(t);
    while (next_arg(t) && !strcmp(next_arg(t), "-a")) {
        t->pos++;
        int r = primary(t);
        v = v && r;
    }
    return v;
}

static int expr_or(struct test *t)
{
    int v = expr_and(t);
    while (next_arg(t) && !strcmp(next_arg(t), "-o")) {
        t->pos++;
        int r = expr_and(t);
        v = v || r;
    }
    return v;
}

/* POSIX's table for few arguments. Returns -1 to fall back to the parser. */
static int by_count(struct test *t, char **a, int n)
{
    switch (n) {
    case 0: return 0;
    case 1: return *a[0] != 0;
    case 2:
        if (!strcmp(a[0], "!"))
            return *a[1] == 0;
        if (is_unary_op(a[0]))
            return unary(t, a[0], a[1]);
        return test_error(t, "test: %s: unary operator expected", a[0]);
    case 3:
        if (is_binary_op(a[1]))
            return binary(t, a[0], a[1], a[2]);
        if (!strcmp(a[1], "-a"))
            return *a[0] && *a[2];
        if (!strcmp(a[1], "-o"))
            return *a[0] || *a[2];
        if (!strcmp(a[0], "!"))
            return !by_count(t, a + 1, 2);
        if (!strcmp(a[0], "(") && !strcmp(a[2], ")"))
            return *a[1] != 0;
        return test_error(t, "test: %s: binary operator expected", a[1]);
    case 4:
        if (!strcmp(a[0], "!"))
            return !by_count(t, a + 1, 3);
        if (!strcmp(a[0], "(") && !strcmp(a[3], ")"))
            return by_count(t, a + 1, 2);
        return -1;
    default: return -1;
    }
}

int bi_test(int argc, char **argv)
{
    struct test t = {argv + 1, argc - 1, 0, 0, 0};
    if (!strcmp(argv[0], "[")) {
        if (argc < 2 || strcmp(argv[argc - 1], "]")) {
            sh_error("[: missing ]");
            return 2;
        }
        t.n--;
    }
    int v = by_count(&t, t.args, t.n);
    if (v < 0) {
        v = expr_or(&t);
        if (!t.error && t.pos < t.n)
            test_error(&t, "test: %s: unexpected argument", t.args[t.pos]);
    }
    return t.error ? 2 : !v;
}
