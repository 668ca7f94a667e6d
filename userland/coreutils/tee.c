/*
 * tee [-a] [FILE...]: copy standard input to standard output and to each
 * FILE (truncated, or appended to with -a). A FILE that cannot be opened or
 * written is reported and dropped; the others still get everything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "util.h"

int main(int argc, char **argv)
{
    cu_init("tee", "tee [-a] [FILE...]");
    int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    while (cu_getopt(argc, argv, "a") != -1)
        flags = (flags & ~O_TRUNC) | O_APPEND;

    int n = argc - optind + 1;
    int *fds = cu_xmalloc((size_t)n * sizeof(*fds));
    const char **names = cu_xmalloc((size_t)n * sizeof(*names));
    fds[0] = STDOUT_FILENO;
    names[0] = "standard output";
    int status = 0;
    for (int i = 1; i < n; i++) {
        names[i] = argv[optind + i - 1];
        fds[i] = open(names[i], flags, 0666);
        if (fds[i] < 0) {
            cu_error(names[i]);
            status = 1;
        }
    }

    char buf[65536];
    for (;;) {
        ssize_t len = read(STDIN_FILENO, buf, sizeof(buf));
        if (len < 0 && errno == EINTR)
            continue;
        if (len < 0) {
            cu_error("standard input");
            status = 1;
            break;
        }
        if (len == 0)
            break;
        for (int i = 0; i < n; i++) {
            if (fds[i] < 0)
                continue;
            if (cu_write_all(fds[i], buf, (size_t)len) != 0) {
                cu_error(names[i]);
                status = 1;
                if (i > 0)
                    close(fds[i]);
                fds[i] = -1;
            }
        }
    }
    for (int i = 1; i < n; i++) {
        if (fds[i] >= 0 && close(fds[i]) != 0) {
            cu_error(names[i]);
            status = 1;
        }
    }
    free(fds);
    free(names);
    return status;
}
