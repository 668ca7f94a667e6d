/*
 * wc [-clw] [FILE...]: count newlines (-l), words (-w) and bytes (-c) of each
 * FILE ("-" or none: standard input), in that order; all three by default.
 * A word is a maximal run of bytes that are not white space. With several
 * files a "total" line follows.
 *
 * Layout: a single number on a single line is printed bare (`wc -l < f` gives
 * "3"); otherwise every number is right-aligned to the width of the largest
 * one printed, separated by single spaces, then the name if there is one.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { LINES, WORDS, BYTES, N_COUNTS };

struct result {
    const char *name; /* NULL for standard input without a name */
    unsigned long long count[N_COUNTS];
};

static int count_fd(int in, const char *name, struct result *r)
{
    char buf[65536];
    int in_word = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cu_error(name);
            return 1;
        }
        if (n == 0)
            return 0;
        r->count[BYTES] += (unsigned long long)n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n')
                r->count[LINES]++;
            if (isspace(ch)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                r->count[WORDS]++;
            }
        }
    }
}

static int digits(unsigned long long v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    cu_init("wc", "wc [-clw] [FILE...]");
    int shown[N_COUNTS] = {0};
    int c;
    while ((c = cu_getopt(argc, argv, "clw")) != -1)
        shown[c == 'l' ? LINES : c == 'w' ? WORDS : BYTES] = 1;
    if (!shown[LINES] && !shown[WORDS] && !shown[BYTES])
        shown[LINES] = shown[WORDS] = shown[BYTES] = 1;

    int n_files = argc - optind;
    struct result *results = cu_xmalloc((size_t)(n_files + 2) * sizeof(*results));
    int n = 0;
    int status = 0;
    if (n_files == 0) {
        results[0] = (struct result){.name = NULL};
        status |= count_fd(STDIN_FILENO, "-", &results[0]);
        n = 1;
    }
    for (int i = optind; i < argc; i++) {
        int fd = cu_open_input(argv[i]);
        if (fd < 0) {
            cu_error(argv[i]);
            status = 1;
            continue;
        }
        results[n] = (struct result){.name = argv[i]};
        status |= count_fd(fd, argv[i], &results[n]);
        cu_close_input(fd);
        n++;
    }
    if (n_files > 1) {
        struct result total = {.name = "total"};
        for (int i = 0; i < n; i++)
            for (int k = 0; k < N_COUNTS; k++)
                total.count[k] += results[i].count[k];
        results[n++] = total;
    }

    int columns = shown[LINES] + shown[WORDS] + shown[BYTES];
    int width = 1;
    if (columns > 1 || n > 1)
        for (int i = 0; i < n; i++)
            for (int k = 0; k < N_COUNTS; k++)
                if (shown[k] && digits(results[i].count[k]) > width)
                    width = digits(results[i].count[k]);
    for (int i = 0; i < n; i++) {
        const char *sep = "";
        for (int k = 0; k < N_COUNTS; k++) {
            if (!shown[k])
                continue;
            printf("%s%*llu", sep, width, results[i].count[k]);
            sep = " ";
        }
        if (results[i].name != NULL)
            printf(" %s", results[i].name);
        putchar('\n');
    }
    free(results);
    return cu_flush_stdout() | status;
}
