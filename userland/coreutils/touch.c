/*
 * touch [-acm] [-d DATE | -t STAMP | -r FILE] FILE...: set access and
 * modification times (to now by default), creating missing files.
 *   -a        change only the access time;  -m  only the modification time
 *   -c        do not create missing files
 *   -d DATE   "@SECONDS", "YYYY-MM-DD", or "YYYY-MM-DD[ T]HH:MM[:SS]" (local time)
 *   -t STAMP  POSIX [[CC]YY]MMDDhhmm[.ss] (local time)
 *   -r FILE   the times of FILE
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util.h"

/* mktime() of the fields, rejecting fields it would have to normalize. */
static int make_time(int year, int mon, int day, int hour, int min, int sec, time_t *out)
{
    struct tm tm = {
        .tm_year = year - 1900,
        .tm_mon = mon - 1,
        .tm_mday = day,
        .tm_hour = hour,
        .tm_min = min,
        .tm_sec = sec,
        .tm_isdst = -1,
    };
    time_t t = mktime(&tm);
    if (t == (time_t)-1 || tm.tm_year != year - 1900 || tm.tm_mon != mon - 1 || tm.tm_mday != day ||
        tm.tm_hour != hour || tm.tm_min != min || tm.tm_sec != sec)
        return -1;
    *out = t;
    return 0;
}

/* The value of the n decimal digits at s. */
static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int parse_stamp(const char *s, time_t *out)
{
    const char *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    int sec = 0;
    if (dot != NULL) {
        if (strlen(dot + 1) != 2 || !all_digits(dot + 1, 2))
            return -1;
        sec = digits_at(dot + 1, 2);
    }
    if (!all_digits(s, len) || (len != 8 && len != 10 && len != 12))
        return -1;
    int year;
    const char *rest = s;
    if (len == 12) {
        year = digits_at(s, 4);
        rest += 4;
    } else if (len == 10) {
        int yy = digits_at(s, 2);
        year = yy >= 69 ? 1900 + yy : 2000 + yy;
        rest += 2;
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        year = tm.tm_year + 1900;
    }
    return make_time(year, digits_at(rest, 2), digits_at(rest + 2, 2), digits_at(rest + 4, 2),
                     digits_at(rest + 6, 2), sec, out);
}

static int parse_date(const char *s, time_t *out)
{
    if (s[0] == '@') {
        char *end;
        errno = 0;
        long long v = strtoll(s + 1, &end, 10);
        if (s[1] == '\0' || *end != '\0' || errno != 0)
            return -1;
        *out = (time_t)v;
        return 0;
    }
    int year, mon, day, hour = 0, min = 0, sec = 0, used = 0;
    size_t len = strlen(s);
    if (sscanf(s, "%4d-%2d-%2d%n", &year, &mon, &day, &used) != 3)
        return -1;
    if ((size_t)used != len) {
        char sep = s[used];
        int used2 = 0;
        if (sep != ' ' && sep != 'T')
            return -1;
        if (sscanf(s + used + 1, "%2d:%2d%n:%2d%n", &hour, &min, &used2, &sec, &used2) < 2 ||
            (size_t)(used + 1 + used2) != len)
            return -1;
    }
    return make_time(year, mon, day, hour, min, sec, out);
}

/*
 * As GNU touch: create by opening (so a missing file is made even where times
 * cannot be set), set times through the descriptor, and fall back to the path
 * for what cannot be opened for writing (directories, FIFOs without readers).
 */
static int touch_one(const char *path, const struct timespec times[2], int no_create)
{
    int fd = -1, open_errno = 0;
    if (!no_create) {
        fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
        open_errno = errno;
    }
    int r = fd >= 0 ? futimens(fd, times) : utimensat(AT_FDCWD, path, times, 0);
    if (r != 0 && fd < 0 && errno == ENOENT) {
        if (no_create)
            return 0;
        errno = open_errno; /* why the file could not be created */
    }
    if (r != 0)
        cu_error(path);
    if (fd >= 0 && close(fd) != 0 && r == 0) {
        cu_error(path);
        r = -1;
    }
    return r != 0;
}

int main(int argc, char **argv)
{
    cu_init("touch", "touch [-acm] [-d DATE | -t [[CC]YY]MMDDhhmm[.ss] | -r FILE] FILE...");
    int access_only = 0, modify_only = 0, no_create = 0;
    struct timespec times[2] = {{.tv_nsec = UTIME_NOW}, {.tv_nsec = UTIME_NOW}};
    int c;
    while ((c = cu_getopt(argc, argv, "acmd:t:r:")) != -1) {
        time_t t;
        struct stat st;
        switch (c) {
        case 'a': access_only = 1; break;
        case 'm': modify_only = 1; break;
        case 'c': no_create = 1; break;
        case 'd':
        case 't':
            if ((c == 'd' ? parse_date(optarg, &t) : parse_stamp(optarg, &t)) != 0)
                cu_usage_errorf("invalid date format '%s'", optarg);
            times[0] = times[1] = (struct timespec){.tv_sec = t};
            break;
        case 'r':
            if (stat(optarg, &st) != 0) {
                cu_error(optarg);
                return 1;
            }
            times[0] = st.st_atim;
            times[1] = st.st_mtim;
            break;
        }
    }
    if (optind == argc)
        cu_usage_errorf("missing file operand");
    /* -a and -m together mean both, as neither. */
    if (access_only && !modify_only)
        times[1].tv_nsec = UTIME_OMIT;
    if (modify_only && !access_only)
        times[0].tv_nsec = UTIME_OMIT;

    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= touch_one(argv[i], times, no_create);
    return status;
}
