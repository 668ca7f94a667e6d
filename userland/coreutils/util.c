/* util: messages, option parsing and small I/O helpers shared by coreutils. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog_name = "coreutils";
static const char *usage_text = "";

void cu_init(const char *name, const char *usage)
{
    prog_name = name;
    usage_text = usage;
}

void cu_error(const char *path)
{
    int saved = errno;
    fflush(stdout);
    fprintf(stderr, "%s: %s: %s\n", prog_name, path, strerror(saved));
    errno = saved;
}

static void verrorf(const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cu_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(fmt, ap);
    va_end(ap);
}

_Noreturn void cu_usage(void)
{
    fprintf(stderr, "usage: %s\n", usage_text);
    exit(EXIT_USAGE);
}

_Noreturn void cu_usage_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(fmt, ap);
    va_end(ap);
    cu_usage();
}

int cu_getopt(int argc, char **argv, const char *optstring)
{
    static const struct option no_long_options[] = {{0, 0, 0, 0}};

    /* A leading ':' makes getopt report a missing argument as ':' and stay quiet. */
    char spec[64];
    snprintf(spec, sizeof(spec), ":%s", optstring);
    opterr = 0;
    int c = getopt_long(argc, argv, spec, no_long_options, NULL);
    if (c == '?') {
        if (optopt != 0)
            cu_usage_errorf("invalid option -- '%c'", optopt);
        cu_usage_errorf("unrecognized option '%s'", argv[optind - 1]);
    }
    if (c == ':')
        cu_usage_errorf("option requires an argument -- '%c'", optopt);
    return c;
}

int cu_parse_number(const char *s, unsigned long long *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int cu_open_input(const char *path)
{
    if (strcmp(path, "-") == 0)
        return STDIN_FILENO;
    return open(path, O_RDONLY | O_CLOEXEC);
}

void cu_close_input(int fd)
{
    if (fd != STDIN_FILENO)
        close(fd);
}

int cu_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

const char *cu_proc_dir(void)
{
    const char *dir = getenv("FUTURA_PROC_DIR");
    return dir != NULL && *dir != '\0' ? dir : "/proc";
}

void *cu_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        cu_errorf("out of memory");
        exit(1);
    }
    return p;
}

void *cu_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        cu_errorf("out of memory");
        exit(1);
    }
    return p;
}

char *cu_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(cu_xmalloc(n), s, n);
}

char *cu_path_join(const char *dir, const char *name)
{
    size_t dlen = strlen(dir);
    size_t nlen = strlen(name);
    int slash = dlen > 0 && dir[dlen - 1] != '/';
    char *p = cu_xmalloc(dlen + slash + nlen + 1);
    memcpy(p, dir, dlen);
    if (slash)
        p[dlen] = '/';
    memcpy(p + dlen + slash, name, nlen + 1);
    return p;
}

int cu_for_each_source(char **operands, int n, const char *missing_dest,
                       int (*op)(const char *src, const char *dst, void *ctx), void *ctx)
{
    if (n < 2)
        cu_usage_errorf("%s", n == 0 ? "missing file operand" : missing_dest);
    const char *dest = operands[n - 1];
    struct stat st;
    int into_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
    if (n > 2 && !into_dir) {
        cu_errorf("target '%s' is not a directory", dest);
        return 1;
    }
    if (!into_dir)
        return op(operands[0], dest, ctx);
    int status = 0;
    for (int i = 0; i < n - 1; i++) {
        char *base = cu_basename(operands[i]);
        char *target = cu_path_join(dest, base);
        status |= op(operands[i], target, ctx);
        free(target);
        free(base);
    }
    return status;
}

int cu_flush_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cu_error("write error");
        return 1;
    }
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cu_list_dir(const char *path, char ***names, size_t *count)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    char **list = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    errno = 0;
    while ((ent = readdir(dir)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            list = cu_xrealloc(list, cap * sizeof(*list));
        }
        list[n++] = cu_xstrdup(ent->d_name);
    }
    int saved = errno;
    closedir(dir);
    if (saved != 0) {
        cu_free_names(list, n);
        errno = saved;
        return -1;
    }
    qsort(list, n, sizeof(*list), compare_names);
    *names = list;
    *count = n;
    return 0;
}

void cu_free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

char *cu_basename(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (end == 1 && path[0] == '/')
        start = 0;
    char *p = cu_xmalloc(end - start + 1);
    memcpy(p, path + start, end - start);
    p[end - start] = '\0';
    return p;
}

void cu_mode_string(mode_t mode, char out[CU_MODE_STRING_SIZE])
{
    static const char rwx[] = "rwxrwxrwx";
    char type = '?';
    if (S_ISREG(mode))
        type = '-';
    else if (S_ISDIR(mode))
        type = 'd';
    else if (S_ISLNK(mode))
        type = 'l';
    else if (S_ISCHR(mode))
        type = 'c';
    else if (S_ISBLK(mode))
        type = 'b';
    else if (S_ISFIFO(mode))
        type = 'p';
    else if (S_ISSOCK(mode))
        type = 's';
    out[0] = type;
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
    if (mode & S_ISUID)
        out[3] = (mode & S_IXUSR) ? 's' : 'S';
    if (mode & S_ISGID)
        out[6] = (mode & S_IXGRP) ? 's' : 'S';
    if (mode & S_ISVTX)
        out[9] = (mode & S_IXOTH) ? 't' : 'T';
    out[10] = '\0';
}

void cu_inputs_init(struct cu_inputs *in, char **paths, int count)
{
    static char *stdin_only[] = {"-"};
    *in = (struct cu_inputs){
        .paths = count > 0 ? paths : stdin_only,
        .count = count > 0 ? count : 1,
        .fd = -1,
    };
}

/* Opens the next operand that can be opened; 0, or -1 when none is left. */
static int open_next_input(struct cu_inputs *in)
{
    while (in->next < in->count) {
        in->name = in->paths[in->next++];
        in->fd = cu_open_input(in->name);
        if (in->fd >= 0)
            return 0;
        cu_error(in->name);
        in->status = 1;
    }
    return -1;
}

size_t cu_inputs_read(struct cu_inputs *in, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        if (in->fd < 0 && open_next_input(in) != 0)
            break;
        ssize_t n = read(in->fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0) {
            got += (size_t)n;
            continue;
        }
        if (n < 0) {
            cu_error(in->name);
            in->status = 1;
        }
        cu_close_input(in->fd);
        in->fd = -1;
    }
    return got;
}
