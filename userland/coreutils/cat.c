/*
 * cat [-u] [FILE...]: copy each FILE ("-" or none: standard input) to
 * standard output. -u (unbuffered) is accepted; output is never buffered.
 */
#include <errno.h>
#include <unistd.h>

#include "util.h"

/* Copies in to standard output; 0, or 1 after reporting what failed. */
static int cat_fd(int in, const char *name)
{
    char buf[65536];
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
        if (cu_write_all(STDOUT_FILENO, buf, (size_t)n) != 0) {
            cu_error("write error");
            return 1;
        }
    }
}

int main(int argc, char **argv)
{
    cu_init("cat", "cat [-u] [FILE...]");
    int c;
    while ((c = cu_getopt(argc, argv, "u")) != -1) {
    }

    if (optind == argc)
        return cat_fd(STDIN_FILENO, "-");
    int status = 0;
    for (int i = optind; i < argc; i++) {
        int fd = cu_open_input(argv[i]);
        if (fd < 0) {
            cu_error(argv[i]);
            status = 1;
            continue;
        }
        status |= cat_fd(fd, argv[i]);
        cu_close_input(fd);
    }
    return status;
}
