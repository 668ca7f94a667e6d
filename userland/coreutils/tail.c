/*
 * tail [-f] [-n [+]N | -c [+]N | -N] [FILE...]: the last N lines (default
 * 10), or with -c the last N bytes, of each FILE ("-" or none: standard
 * input). "+N" starts at line (byte) N instead, counting from 1. With
 * several files each is introduced by "==> FILE <==".
 *
 * -f: after the end, keep printing what is appended to regular files
 * (checked every quarter second; a file that shrinks is read again from its
 * start) until killed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util.h"

static struct {
    unsigned long long count;
    int bytes;      /* -c: count bytes, not lines */
    int from_start; /* "+N": start at line/byte N */
    int follow;     /* -f */
} opt = {.count = 10};

static int read_retry(int fd, char *buf, size_t len)
{
    ssize_t n;
    do
        n = read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return (int)n;
}

/* Copies in from its current position to its end. */
static int copy_rest(int in, const char *name)
{
    char buf[65536];
    for (;;) {
        int n = read_retry(in, buf, sizeof(buf));
        if (n < 0) {
            cu_error(name);
            return 1;
        }
        if (n == 0)
            return 0;
        if (cu_write_all(STDOUT_FILENO, buf, (size_t)n) != 0) {
            cu_error("write error");
            return 1;
        }
    }
}

/* "+N": skips N-1 lines or bytes, then copies the rest. */
static int tail_from_start(int in, const char *name)
{
    unsigned long long skip = opt.count > 0 ? opt.count - 1 : 0;
    char buf[65536];
    while (skip > 0) {
        int n = read_retry(in, buf, sizeof(buf));
        if (n < 0) {
            cu_error(name);
            return 1;
        }
        if (n == 0)
            return 0;
        size_t start = (size_t)n;
        if (opt.bytes) {
            start = skip < (unsigned long long)n ? (size_t)skip : (size_t)n;
            skip -= start;
        } else {
            for (size_t i = 0; i < (size_t)n; i++) {
                if (buf[i] == '\n' && --skip == 0) {
                    start = i + 1;
                    break;
                }
            }
        }
        if (cu_write_all(STDOUT_FILENO, buf + start, (size_t)n - start) != 0) {
            cu_error("write error");
            return 1;
        }
    }
    return copy_rest(in, name);
}

/*
 * Where the last opt.count lines of buf[0..len) begin. A final newline ends
 * the last line; it does not start another. *remaining (> 0) counts the
 * lines still to find, across calls for consecutive chunks.
 */
static size_t last_lines_start(const char *buf, size_t len, unsigned long long *remaining,
                               int at_end)
{
    size_t i = len;
    while (i > 0) {
        i--;
        if (buf[i] == '\n' && !(at_end && i == len - 1)) {
            if (--*remaining == 0)
                return i + 1;
        }
    }
    return SIZE_MAX; /* not found in this buffer */
}

/* The last lines of a seekable file: scan backwards from its end. */
static int tail_seekable(int in, const char *name, off_t size)
{
    off_t start = 0;
    if (opt.bytes) {
        start = (unsigned long long)size > opt.count ? size - (off_t)opt.count : 0;
    } else if (opt.count == 0) {
        start = size;
    } else {
        unsigned long long remaining = opt.count;
        char buf[65536];
        off_t end = size;
        while (end > 0) {
            off_t chunk_start = end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0;
            size_t len = (size_t)(end - chunk_start);
            if (lseek(in, chunk_start, SEEK_SET) < 0 || read_retry(in, buf, len) != (int)len) {
                cu_error(name);
                return 1;
            }
            size_t at = last_lines_start(buf, len, &remaining, end == size);
            if (at != SIZE_MAX) {
                start = chunk_start + (off_t)at;
                break;
            }
            end = chunk_start;
        }
    }
    if (lseek(in, start, SEEK_SET) < 0) {
        cu_error(name);
        return 1;
    }
    return copy_rest(in, name);
}

/* The last lines of a pipe or terminal: keep it all in memory. */
static int tail_stream(int in, const char *name)
{
    size_t cap = 65536, len = 0;
    char *buf = cu_xmalloc(cap);
    for (;;) {
        if (len == cap)
            buf = cu_xrealloc(buf, cap *= 2);
        int n = read_retry(in, buf + len, cap - len);
        if (n < 0) {
            cu_error(name);
            free(buf);
            return 1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    size_t start = 0;
    if (opt.bytes) {
        start = len > opt.count ? len - (size_t)opt.count : 0;
    } else if (opt.count == 0) {
        start = len;
    } else {
        unsigned long long remaining = opt.count;
        size_t at = last_lines_start(buf, len, &remaining, 1);
        start = at == SIZE_MAX ? 0 : at;
    }
    int status = 0;
    if (cu_write_all(STDOUT_FILENO, buf + start, len - start) != 0) {
        cu_error("write error");
        status = 1;
    }
    free(buf);
    return status;
}

static int tail_fd(int in, const char *name)
{
    if (opt.from_start)
        return tail_from_start(in, name);
    struct stat st;
    if (fstat(in, &st) == 0 && S_ISREG(st.st_mode) && lseek(in, 0, SEEK_CUR) == 0)
        return tail_seekable(in, name, st.st_size);
    return tail_stream(in, name);
}

struct followed {
    int fd;
    const char *name;
};

static void print_header(const char *name, int *printed)
{
    dprintf(STDOUT_FILENO, "%s==> %s <==\n", *printed ? "\n" : "",
            strcmp(name, "-") == 0 ? "standard input" : name);
    *printed = 1;
}

/* -f: never returns while a followed file remains open. */
static void follow(struct followed *files, int n, int headers, int printed)
{
    const char *last_shown = n > 0 ? files[n - 1].name : NULL;
    for (;;) {
        struct timespec quarter = {.tv_nsec = 250 * 1000 * 1000};
        nanosleep(&quarter, NULL);
        for (int i = 0; i < n; i++) {
            struct stat st;
            off_t pos = lseek(files[i].fd, 0, SEEK_CUR);
            if (fstat(files[i].fd, &st) != 0 || pos < 0)
                continue;
            if (st.st_size < pos) {
                cu_errorf("%s: file truncated", files[i].name);
                lseek(files[i].fd, 0, SEEK_SET);
            } else if (st.st_size == pos) {
                continue;
            }
            if (headers && last_shown != files[i].name) {
                print_header(files[i].name, &printed);
                last_shown = files[i].name;
            }
            copy_rest(files[i].fd, files[i].name);
        }
    }
}

static void parse_count(int c, const char *arg)
{
    opt.bytes = c == 'c';
    opt.from_start = arg[0] == '+';
    if (arg[0] == '+' || arg[0] == '-')
        arg++;
    if (cu_parse_number(arg, &opt.count) != 0)
        cu_usage_errorf("invalid number of %s: '%s'", opt.bytes ? "bytes" : "lines", arg);
}

int main(int argc, char **argv)
{
    cu_init("tail", "tail [-f] [-n [+]LINES | -c [+]BYTES] [FILE...]");
    /* Historical "tail -5" means "tail -n 5". */
    char *rewritten[argc + 2];
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
        rewritten[0] = argv[0];
        rewritten[1] = "-n";
        rewritten[2] = argv[1] + 1;
        memcpy(rewritten + 3, argv + 2, (size_t)(argc - 1) * sizeof(*argv));
        argv = rewritten;
        argc++;
    }
    int c;
    while ((c = cu_getopt(argc, argv, "fn:c:")) != -1) {
        if (c == 'f')
            opt.follow = 1;
        else
            parse_count(c, optarg);
    }

    char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int n_files = optind < argc ? argc - optind : 1;
    struct followed followed[n_files];
    int n_followed = 0;
    int headers = n_files > 1;
    int printed = 0;
    int status = 0;
    for (int i = 0; i < n_files; i++) {
        int fd = cu_open_input(files[i]);
        if (fd < 0) {
            cu_error(files[i]);
            status = 1;
            continue;
        }
        if (headers)
            print_header(files[i], &printed);
        status |= tail_fd(fd, files[i]);
        struct stat st;
        if (opt.follow && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
            followed[n_followed++] = (struct followed){fd, files[i]};
        else
            cu_close_input(fd);
    }
    if (n_followed > 0)
        follow(followed, n_followed, headers, printed);
    return status;
}
