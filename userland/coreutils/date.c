/*
 * date [-u] [-d @SECONDS] [+FORMAT]: print the date and time.
 *   -u           in UTC rather than the local time zone (TZ)
 *   -d @SECONDS  that moment instead of now
 *   +FORMAT      strftime(3) conversions (default "%a %b %e %H:%M:%S %Z %Y")
 * Setting the clock is not supported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

int main(int argc, char **argv)
{
    cu_init("date", "date [-u] [-d @SECONDS] [+FORMAT]");
    int utc = 0;
    time_t t = time(NULL);
    int c;
    while ((c = cu_getopt(argc, argv, "ud:")) != -1) {
        if (c == 'u') {
            utc = 1;
            continue;
        }
        char *end;
        errno = 0;
        long long v = optarg[0] == '@' ? strtoll(optarg + 1, &end, 10) : 0;
        if (optarg[0] != '@' || optarg[1] == '\0' || *end != '\0' || errno != 0)
            cu_usage_errorf("invalid date '%s' (only @SECONDS is understood)", optarg);
        t = (time_t)v;
    }
    const char *format = "%a %b %e %H:%M:%S %Z %Y";
    if (optind < argc) {
        if (argv[optind][0] != '+')
            cu_usage_errorf("setting the date is not supported: '%s'", argv[optind]);
        if (optind + 1 < argc)
            cu_usage_errorf("extra operand '%s'", argv[optind + 1]);
        format = argv[optind] + 1;
    }

    struct tm tm;
    if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL) {
        cu_errorf("time %lld is out of range", (long long)t);
        return 1;
    }
    if (*format == '\0') {
        putchar('\n');
        return cu_flush_stdout();
    }
    /* strftime() returns 0 both for "too small" and for empty output: grow until it fits. */
    size_t cap = 256;
    char *buf = cu_xmalloc(cap);
    size_t n;
    while ((n = strftime(buf, cap, format, &tm)) == 0 && cap < 65536)
        buf = cu_xrealloc(buf, cap *= 2);
    fwrite(buf, 1, n, stdout);
    putchar('\n');
    free(buf);
    return cu_flush_stdout();
}
