/*
 * ls [-1aACdlnR] [FILE...]: list directory contents.
 *
 *   -1  one name per line (the default when standard output is not a terminal)
 *   -C  names in columns, filled downwards (the default on a terminal), as
 *       wide as the terminal, or $COLUMNS, or 80
 *   -a  include names starting with '.', and "." and ".."
 *   -A  include names starting with '.', but not "." and ".."
 *   -d  list directories themselves, not their contents
 *   -l  long format: mode, links, owner, group, size, mtime, name [-> target]
 *   -n  like -l, with numeric owner and group
 *   -R  list subdirectories recursively
 *
 * Names are sorted bytewise. Operands that are not directories are listed
 * first, then each directory under a "name:" header when there is more than
 * one operand (or -R). Long-format times are "Mon dd HH:MM", or "Mon dd  YYYY"
 * for times more than six months away from now.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static struct {
    int columns;       /* -C, or a terminal; otherwise one name per line */
    int show_dot_dirs; /* -a */
    int show_hidden;   /* -a or -A */
    int dir_itself;    /* -d */
    int long_format;   /* -l or -n */
    int numeric_ids;   /* -n */
    int recursive;     /* -R */
} opt;

struct entry {
    char *name; /* as shown */
    char *path; /* to stat and readlink */
    struct stat st;
};

static int exit_status;
static int printed_something; /* a blank line separates later groups */

static void owner_name(uid_t uid, char *buf, size_t len)
{
    struct passwd *pw = opt.numeric_ids ? NULL : getpwuid(uid);
    if (pw != NULL)
        snprintf(buf, len, "%s", pw->pw_name);
    else
        snprintf(buf, len, "%u", (unsigned)uid);
}

static void group_name(gid_t gid, char *buf, size_t len)
{
    struct group *gr = opt.numeric_ids ? NULL : getgrgid(gid);
    if (gr != NULL)
        snprintf(buf, len, "%s", gr->gr_name);
    else
        snprintf(buf, len, "%u", (unsigned)gid);
}

static void size_string(const struct stat *st, char *buf, size_t len)
{
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        snprintf(buf, len, "%u, %u", major(st->st_rdev), minor(st->st_rdev));
    else
        snprintf(buf, len, "%lld", (long long)st->st_size);
}

static void time_string(time_t t, char *buf, size_t len)
{
    const time_t six_months = 15778476; /* 365.2425 days / 2, as GNU ls */
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    if (t > now || now - t > six_months)
        strftime(buf, len, "%b %e  %Y", &tm);
    else
        strftime(buf, len, "%b %e %H:%M", &tm);
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

static void print_long(struct entry *e, size_t n)
{
    int w_links = 1, w_owner = 1, w_group = 1, w_size = 1;
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        int w = digits(e[i].st.st_nlink);
        w_links = w > w_links ? w : w_links;
        owner_name(e[i].st.st_uid, buf, sizeof(buf));
        w = (int)strlen(buf);
        w_owner = w > w_owner ? w : w_owner;
        group_name(e[i].st.st_gid, buf, sizeof(buf));
        w = (int)strlen(buf);
        w_group = w > w_group ? w : w_group;
        size_string(&e[i].st, buf, sizeof(buf));
        w = (int)strlen(buf);
        w_size = w > w_size ? w : w_size;
    }
    for (size_t i = 0; i < n; i++) {
        const struct stat *st = &e[i].st;
        char mode[CU_MODE_STRING_SIZE], owner[64], group[64], size[64], when[64];
        cu_mode_string(st->st_mode, mode);
        owner_name(st->st_uid, owner, sizeof(owner));
        group_name(st->st_gid, group, sizeof(group));
        size_string(st, size, sizeof(size));
        time_string(st->st_mtime, when, sizeof(when));
        printf("%s %*lu %-*s %-*s %*s %s %s", mode, w_links, (unsigned long)st->st_nlink, w_owner,
               owner, w_group, group, w_size, size, when, e[i].name);
        if (S_ISLNK(st->st_mode)) {
            char target[4096];
            ssize_t len = readlink(e[i].path, target, sizeof(target) - 1);
            if (len >= 0) {
                target[len] = '\0';
                printf(" -> %s", target);
            }
        }
        putchar('\n');
    }
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    if (columns != NULL && atoi(columns) > 0)
        return atoi(columns);
    return 80;
}

/* Names in columns, filled top to bottom then left to right. */
static void print_columns(struct entry *e, size_t n)
{
    size_t widest = 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(e[i].name);
        widest = len > widest ? len : widest;
    }
    size_t col_width = widest + 2;
    size_t cols = (size_t)terminal_width() / col_width;
    if (cols == 0)
        cols = 1;
    size_t rows = (n + cols - 1) / cols;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            size_t i = c * rows + r;
            if (i >= n)
                break;
            if (i + rows >= n) { /* last in its row: no padding */
                fputs(e[i].name, stdout);
                break;
            }
            printf("%-*s", (int)col_width, e[i].name);
        }
        putchar('\n');
    }
}

static void print_entries(struct entry *e, size_t n)
{
    if (opt.long_format)
        print_long(e, n);
    else if (!opt.columns)
        for (size_t i = 0; i < n; i++)
            printf("%s\n", e[i].name);
    else
        print_columns(e, n);
}

static void free_entries(struct entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].name);
        free(e[i].path);
    }
    free(e);
}

static int is_shown(const char *name)
{
    return name[0] != '.' || opt.show_hidden;
}

/* Lists the contents of directory `path`, then (with -R) its subdirectories. */
static void list_directory(const char *path, int header)
{
    char **names;
    size_t count;
    if (cu_list_dir(path, &names, &count) != 0) {
        cu_error(path);
        exit_status = 1;
        return;
    }
    struct entry *e = cu_xmalloc((count + 2) * sizeof(*e));
    size_t n = 0;
    if (opt.show_dot_dirs) {
        const char *dots[] = {".", ".."};
        for (int i = 0; i < 2; i++) {
            e[n].name = cu_xstrdup(dots[i]);
            e[n].path = cu_path_join(path, dots[i]);
            if (lstat(e[n].path, &e[n].st) == 0)
                n++;
            else {
                free(e[n].name);
                free(e[n].path);
            }
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (!is_shown(names[i]))
            continue;
        e[n].name = cu_xstrdup(names[i]);
        e[n].path = cu_path_join(path, names[i]);
        if (lstat(e[n].path, &e[n].st) != 0) {
            cu_error(e[n].path);
            exit_status = 1;
            free(e[n].name);
            free(e[n].path);
            continue;
        }
        n++;
    }
    cu_free_names(names, count);

    if (printed_something)
        putchar('\n');
    if (header)
        printf("%s:\n", path);
    if (opt.long_format) {
        unsigned long long blocks = 0;
        for (size_t i = 0; i < n; i++)
            blocks += (unsigned long long)e[i].st.st_blocks;
        printf("total %llu\n", blocks / 2);
    }
    print_entries(e, n);
    printed_something = 1;

    if (opt.recursive)
        for (size_t i = 0; i < n; i++)
            if (S_ISDIR(e[i].st.st_mode) && strcmp(e[i].name, ".") != 0 &&
                strcmp(e[i].name, "..") != 0)
                list_directory(e[i].path, 1);
    free_entries(e, n);
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

int main(int argc, char **argv)
{
    cu_init("ls", "ls [-1aACdlnR] [FILE...]");
    opt.columns = isatty(STDOUT_FILENO);
    int c;
    while ((c = cu_getopt(argc, argv, "1aACdlnR")) != -1) {
        switch (c) {
        case '1': opt.columns = 0; break;
        case 'C': opt.columns = 1; break;
        case 'a': opt.show_dot_dirs = opt.show_hidden = 1; break;
        case 'A':
            opt.show_hidden = 1;
            opt.show_dot_dirs = 0;
            break;
        case 'd': opt.dir_itself = 1; break;
        case 'n':
            opt.numeric_ids = 1;
            /* fallthrough */
        case 'l': opt.long_format = 1; break;
        case 'R': opt.recursive = 1; break;
        }
    }

    char *dot[] = {"."};
    char **operands = optind < argc ? argv + optind : dot;
    size_t n_operands = optind < argc ? (size_t)(argc - optind) : 1;

    /* Operands split into plain entries (listed together) and directories. */
    struct entry *files = cu_xmalloc(n_operands * sizeof(*files));
    struct entry *dirs = cu_xmalloc(n_operands * sizeof(*dirs));
    size_t n_files = 0, n_dirs = 0;
    for (size_t i = 0; i < n_operands; i++) {
        struct entry e = {.name = cu_xstrdup(operands[i]), .path = cu_xstrdup(operands[i])};
        /* Command-line symlinks are followed unless the link itself is wanted. */
        int follow = !opt.long_format && !opt.dir_itself;
        int r = follow ? stat(e.path, &e.st) : lstat(e.path, &e.st);
        if (r != 0 && follow && errno == ENOENT)
            r = lstat(e.path, &e.st); /* a dangling link is still listed */
        if (r != 0) {
            cu_error(e.path);
            exit_status = 1;
            free(e.name);
            free(e.path);
            continue;
        }
        if (S_ISDIR(e.st.st_mode) && !opt.dir_itself)
            dirs[n_dirs++] = e;
        else
            files[n_files++] = e;
    }
    qsort(files, n_files, sizeof(*files), compare_entries);
    qsort(dirs, n_dirs, sizeof(*dirs), compare_entries);

    if (n_files > 0) {
        print_entries(files, n_files);
        printed_something = 1;
    }
    int headers = n_operands > 1 || opt.recursive;
    for (size_t i = 0; i < n_dirs; i++)
        list_directory(dirs[i].path, headers);
    free_entries(files, n_files);
    free_entries(dirs, n_dirs);
    return cu_flush_stdout() | exit_status;
}
