/*
 * uniq [-cdu] [INPUT [OUTPUT]]: copy INPUT (default standard input) to
 * OUTPUT (default standard output), writing each run of identical adjacent
 * lines once.
 *   -c  prefix each line with its run length ("%7llu ")
 *   -d  print only lines that were repeated
 *   -u  print only lines that were not repeated
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

static struct {
    int count, repeated_only, unique_only;
} opt;

static void emit(const char *line, size_t len, unsigned long long run, FILE *out)
{
    if ((opt.repeated_only && run < 2) || (opt.unique_only && run > 1))
        return;
    if (opt.count)
        fprintf(out, "%7llu ", run);
    fwrite(line, 1, len, out);
    fputc('\n', out);
}

int main(int argc, char **argv)
{
    cu_init("uniq", "uniq [-cdu] [INPUT [OUTPUT]]");
    int c;
    while ((c = cu_getopt(argc, argv, "cdu")) != -1) {
        switch (c) {
        case 'c': opt.count = 1; break;
        case 'd': opt.repeated_only = 1; break;
        case 'u': opt.unique_only = 1; break;
        }
    }
    if (argc - optind > 2)
        cu_usage_errorf("extra operand '%s'", argv[optind + 2]);
    const char *in_name = optind < argc ? argv[optind] : "-";
    FILE *in = strcmp(in_name, "-") == 0 ? stdin : fopen(in_name, "r");
    if (in == NULL) {
        cu_error(in_name);
        return 1;
    }
    if (argc - optind == 2 && strcmp(argv[optind + 1], "-") != 0 &&
        freopen(argv[optind + 1], "w", stdout) == NULL) {
        cu_error(argv[optind + 1]);
        return 1;
    }

    char *prev = NULL, *line = NULL;
    size_t prev_cap = 0, cap = 0, prev_len = 0;
    unsigned long long run = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            len--;
        if (run > 0 && (size_t)len == prev_len && memcmp(line, prev, prev_len) == 0) {
            run++;
            continue;
        }
        if (run > 0)
            emit(prev, prev_len, run, stdout);
        /* The current line becomes the one the next lines are compared with. */
        char *tmp = prev;
        size_t tmp_cap = prev_cap;
        prev = line;
        prev_cap = cap;
        prev_len = (size_t)len;
        line = tmp;
        cap = tmp_cap;
        run = 1;
    }
    if (run > 0)
        emit(prev, prev_len, run, stdout);
    int status = 0;
    if (ferror(in)) {
        cu_error(in_name);
        status = 1;
    }
    free(prev);
    free(line);
    return cu_flush_stdout() | status;
}
