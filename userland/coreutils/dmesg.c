/*
 * dmesg [-r]: print the kernel log from /proc/kmsg.
 *   -r  raw: keep the "<N>" priority prefix at the start of each line
 *
 * The file is opened non-blocking and read until end of file or EAGAIN, so
 * dmesg ends when the log has been printed. (On Linux /proc/kmsg is the
 * consuming syslog reader; Futura's is expected to return the whole log
 * buffer each time.) $FUTURA_PROC_DIR stands in for /proc.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The "<digits>" prefix of a log line, if it starts with one: its length. */
static size_t priority_prefix(const char *s, size_t len)
{
    if (len < 3 || s[0] != '<')
        return 0;
    size_t i = 1;
    while (i < len && isdigit((unsigned char)s[i]))
        i++;
    return i > 1 && i < len && s[i] == '>' ? i + 1 : 0;
}

int main(int argc, char **argv)
{
    cu_init("dmesg", "dmesg [-r]");
    int raw = 0;
    while (cu_getopt(argc, argv, "r") != -1)
        raw = 1;
    if (optind < argc)
        cu_usage_errorf("extra operand '%s'", argv[optind]);

    char *path = cu_path_join(cu_proc_dir(), "kmsg");
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        cu_errorf("%s: %s (no kernel log available)", path, strerror(saved));
        free(path);
        return 1;
    }
    size_t cap = 65536, len = 0;
    char *log = cu_xmalloc(cap);
    int status = 0;
    for (;;) {
        if (len == cap)
            log = cu_xrealloc(log, cap *= 2);
        ssize_t n = read(fd, log + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN) {
            cu_error(path);
            status = 1;
        }
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);

    for (size_t start = 0; start < len;) {
        const char *nl = memchr(log + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - log) + 1 : len;
        size_t skip = raw ? 0 : priority_prefix(log + start, end - start);
        fwrite(log + start + skip, 1, end - start - skip, stdout);
        start = end;
    }
    free(log);
    free(path);
    return cu_flush_stdout() | status;
}
