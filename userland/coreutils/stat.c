/*
 * stat [-L] [-c FORMAT] FILE...: show file status.
 *   -L         follow symbolic links
 *   -c FORMAT  print FORMAT (and a newline) instead of the default report
 *
 * FORMAT directives take printf-style flags and width ("%-10s", "%04a"):
 *   %n name            %N name [-> link target]   %F file type
 *   %s size            %b blocks   %B block unit (512)   %o I/O block size
 *   %a octal mode      %A "-rw-r--r--"            %f raw mode (hex)
 *   %u uid  %U user    %g gid  %G group           %h links   %i inode
 *   %d device (dec)    %D device (hex)            %t %T major/minor of a device file (hex)
 *   %x %y %z  access, modify, change time "YYYY-MM-DD hh:mm:ss.nnnnnnnnn +zzzz"
 *   %X %Y %Z  the same as seconds since the Epoch   %%  a percent sign
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "util.h"

static const char default_format[] = "  File: %N\n"
                                     "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
                                     "Device: %Dh/%dd\tInode: %-11i Links: %h\n"
                                     "Access: (%04a/%A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
                                     "Access: %x\n"
                                     "Modify: %y\n"
                                     "Change: %z";

static const char *file_type(const struct stat *st)
{
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: return st->st_size == 0 ? "regular empty file" : "regular file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symbolic link";
    case S_IFCHR: return "character special file";
    case S_IFBLK: return "block special file";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    }
    return "weird file";
}

static void format_time(const struct timespec *ts, char *buf, size_t len)
{
    struct tm tm;
    char date[32], zone[8];
    localtime_r(&ts->tv_sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    strftime(zone, sizeof(zone), "%z", &tm);
    snprintf(buf, len, "%s.%09ld %s", date, ts->tv_nsec, zone);
}

/* Prints one directive; spec is "%<flags><width>" without the conversion. */
static void print_directive(char conv, const char *spec, const char *path, const struct stat *st)
{
    char fmt[32], text[4096];
    unsigned long long num = 0;
    long long snum = 0;
    int is_num = 1, is_signed = 0, hex = 0, octal = 0;
    switch (conv) {
    case 's': num = (unsigned long long)st->st_size; break;
    case 'b': num = (unsigned long long)st->st_blocks; break;
    case 'B': num = 512; break;
    case 'o': num = (unsigned long long)st->st_blksize; break;
    case 'a':
        num = st->st_mode & 07777;
        octal = 1;
        break;
    case 'f':
        num = st->st_mode;
        hex = 1;
        break;
    case 'u': num = st->st_uid; break;
    case 'g': num = st->st_gid; break;
    case 'h': num = st->st_nlink; break;
    case 'i': num = st->st_ino; break;
    case 'd': num = st->st_dev; break;
    case 'D':
        num = st->st_dev;
        hex = 1;
        break;
    case 't':
        num = major(st->st_rdev);
        hex = 1;
        break;
    case 'T':
        num = minor(st->st_rdev);
        hex = 1;
        break;
    case 'X':
        snum = st->st_atim.tv_sec;
        is_signed = 1;
        break;
    case 'Y':
        snum = st->st_mtim.tv_sec;
        is_signed = 1;
        break;
    case 'Z':
        snum = st->st_ctim.tv_sec;
        is_signed = 1;
        break;
    default: is_num = 0; break;
    }
    if (is_signed) {
        snprintf(fmt, sizeof(fmt), "%slld", spec);
        printf(fmt, snum);
        return;
    }
    if (is_num) {
        snprintf(fmt, sizeof(fmt), "%sll%c", spec, hex ? 'x' : octal ? 'o' : 'u');
        printf(fmt, num);
        return;
    }
    struct passwd *pw;
    struct group *gr;
    switch (conv) {
    case 'n': snprintf(text, sizeof(text), "%s", path); break;
    case 'N': {
        ssize_t n = S_ISLNK(st->st_mode) ? readlink(path, text, sizeof(text) / 2) : -1;
        if (n >= 0) {
            char target[sizeof(text) / 2 + 1];
            memcpy(target, text, (size_t)n);
            target[n] = '\0';
            snprintf(text, sizeof(text), "%s -> %s", path, target);
        } else {
            snprintf(text, sizeof(text), "%s", path);
        }
        break;
    }
    case 'F': snprintf(text, sizeof(text), "%s", file_type(st)); break;
    case 'A': cu_mode_string(st->st_mode, text); break;
    case 'U':
        pw = getpwuid(st->st_uid);
        snprintf(text, sizeof(text), pw ? "%s" : "UNKNOWN", pw ? pw->pw_name : "");
        break;
    case 'G':
        gr = getgrgid(st->st_gid);
        snprintf(text, sizeof(text), gr ? "%s" : "UNKNOWN", gr ? gr->gr_name : "");
        break;
    case 'x': format_time(&st->st_atim, text, sizeof(text)); break;
    case 'y': format_time(&st->st_mtim, text, sizeof(text)); break;
    case 'z': format_time(&st->st_ctim, text, sizeof(text)); break;
    default: /* unknown: print it as written, like GNU stat */ printf("%s%c", spec, conv); return;
    }
    snprintf(fmt, sizeof(fmt), "%ss", spec);
    printf(fmt, text);
}

static void print_format(const char *format, const char *path, const struct stat *st)
{
    for (const char *p = format; *p != '\0'; p++) {
        if (*p != '%') {
            putchar(*p);
            continue;
        }
        if (p[1] == '%') {
            putchar('%');
            p++;
            continue;
        }
        char spec[16] = "%";
        size_t n = 1;
        for (p++; *p != '\0' && strchr("-0123456789", *p) != NULL; p++)
            if (n < sizeof(spec) - 1)
                spec[n++] = *p;
        spec[n] = '\0';
        if (*p == '\0') {
            fputs(spec, stdout);
            break;
        }
        print_directive(*p, spec, path, st);
    }
    putchar('\n');
}

int main(int argc, char **argv)
{
    cu_init("stat", "stat [-L] [-c FORMAT] FILE...");
    int follow = 0;
    const char *format = default_format;
    int c;
    while ((c = cu_getopt(argc, argv, "Lc:")) != -1) {
        if (c == 'L')
            follow = 1;
        else
            format = optarg;
    }
    if (optind == argc)
        cu_usage_errorf("missing operand");

    int status = 0;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if ((follow ? stat(argv[i], &st) : lstat(argv[i], &st)) != 0) {
            cu_error(argv[i]);
            status = 1;
            continue;
        }
        print_format(format, argv[i], &st);
    }
    return cu_flush_stdout() | status;
}
