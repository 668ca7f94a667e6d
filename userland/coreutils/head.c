/*
 * head [-n N | -c N | -N] [FILE...]: the first N lines (default 10), or with
 * -c the first N bytes, of each FILE ("-" or none: standard input). With
 * several files each is introduced by "==> FILE <==".
 */
#include <errno.h>
#include <string.h>

#include "util.h"

/* Copies the first `limit` lines (or bytes) of in to standard output. */
static int head_fd(int in, const char *name, unsigned long long limit, int bytes)
{
    char buf[65536];
    while (limit > 0) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cu_error(name);
            return 1;
        }
        if (n == 0)
            break;
        size_t take = (size_t)n;
        if (bytes) {
            if (take > limit)
                take = (size_t)limit;
            limit -= take;
        } else {
            for (size_t i = 0; i < (size_t)n; i++) {
                if (buf[i] == '\n' && --limit == 0) {
                    take = i + 1;
                    break;
                }
            }
        }
        if (cu_write_all(STDOUT_FILENO, buf, take) != 0) {
            cu_error("write error");
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    cu_init("head", "head [-n LINES | -c BYTES] [FILE...]");
    /* Historical "head -5" means "head -n 5". */
    char *rewritten[argc + 2];
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
        rewritten[0] = argv[0];
        rewritten[1] = "-n";
        rewritten[2] = argv[1] + 1;
        memcpy(rewritten + 3, argv + 2, (size_t)(argc - 1) * sizeof(*argv));
        argv = rewritten;
        argc++;
    }

    unsigned long long limit = 10;
    int bytes = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "n:c:")) != -1) {
        if (cu_parse_number(optarg, &limit) != 0)
            cu_usage_errorf("invalid number of %s: '%s'", c == 'c' ? "bytes" : "lines", optarg);
        bytes = c == 'c';
    }

    if (optind == argc)
        return head_fd(STDIN_FILENO, "-", limit, bytes);
    int status = 0;
    int headers = argc - optind > 1;
    int printed = 0; /* a header was printed: the next one follows a blank line */
    for (int i = optind; i < argc; i++) {
        int fd = cu_open_input(argv[i]);
        if (fd < 0) {
            cu_error(argv[i]);
            status = 1;
            continue;
        }
        if (headers) {
            dprintf(STDOUT_FILENO, "%s==> %s <==\n", printed ? "\n" : "",
                    strcmp(argv[i], "-") == 0 ? "standard input" : argv[i]);
            printed = 1;
        }
        status |= head_fd(fd, argv[i], limit, bytes);
        cu_close_input(fd);
    }
    return status;
}
