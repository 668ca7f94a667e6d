/* Error messages and unbuffered output (see shell.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs.h"
#include "shell.h"

int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int fd_printf(int fd, const char *fmt, ...)
{
    struct str b = STR_INIT;
    va_list ap;
    va_start(ap, fmt);
    str_vprintf(&b, fmt, ap);
    va_end(ap);
    int r = write_all(fd, str_cstr(&b), b.len);
    str_free(&b);
    return r;
}

int fd_puts(int fd, const char *s)
{
    return write_all(fd, s, strlen(s));
}

static void message(const char *kind, const char *fmt, va_list ap)
{
    struct str b = STR_INIT;
    str_add(&b, "futsh: ");
    if (sh.source_name && !sh.interactive)
        str_printf(&b, "%s: line %d: ", sh.source_name, sh.lineno);
    str_add(&b, kind);
    str_vprintf(&b, fmt, ap);
    str_addc(&b, '\n');
    write_all(2, b.s, b.len);
    str_free(&b);
}

void sh_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("", fmt, ap);
    va_end(ap);
}

void sh_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("warning: ", fmt, ap);
    va_end(ap);
}

_Noreturn void sh_exit(int status)
{
    if (sh.subshell)
        _exit(status);
    jobctl_exit();
    exit(status);
}
