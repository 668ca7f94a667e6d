/* tree: copy and remove files and directory trees (see tree.h). */
#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int copy_tree_at(const char *src, const char *dst, const struct stat *st);

/* Copies the bytes of regular file src (already stat'ed) to dst. */
static int copy_regular(const char *src, const char *dst, const struct stat *st)
{
    struct stat dst_st;
    if (stat(dst, &dst_st) == 0 && dst_st.st_dev == st->st_dev && dst_st.st_ino == st->st_ino) {
        cu_errorf("'%s' and '%s' are the same file", src, dst);
        return 1;
    }
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        cu_error(src);
        return 1;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st->st_mode & 07777);
    if (out < 0) {
        cu_error(dst);
        close(in);
        return 1;
    }
    int status = 0;
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cu_error(src);
            status = 1;
            break;
        }
        if (n == 0)
            break;
        if (cu_write_all(out, buf, (size_t)n) != 0) {
            cu_error(dst);
            status = 1;
            break;
        }
    }
    /* An existing destination keeps its mode on open(); give it the source's. */
    if (status == 0 && fchmod(out, st->st_mode & 07777) != 0) {
        cu_error(dst);
        status = 1;
    }
    if (close(out) != 0 && status == 0) {
        cu_error(dst);
        status = 1;
    }
    close(in);
    return status;
}

static int copy_symlink(const char *src, const char *dst, const struct stat *st)
{
    size_t cap = st->st_size > 0 ? (size_t)st->st_size + 1 : PATH_MAX;
    char *target = cu_xmalloc(cap);
    ssize_t n = readlink(src, target, cap);
    if (n < 0 || (size_t)n >= cap) {
        if (n >= 0)
            errno = ENAMETOOLONG;
        cu_error(src);
        free(target);
        return 1;
    }
    target[n] = '\0';
    struct stat dst_st;
    if (lstat(dst, &dst_st) == 0 && !S_ISDIR(dst_st.st_mode))
        unlink(dst);
    int status = 0;
    if (symlink(target, dst) != 0) {
        cu_error(dst);
        status = 1;
    }
    free(target);
    return status;
}

static int copy_directory(const char *src, const char *dst, const struct stat *st)
{
    struct stat dst_st;
    if (lstat(dst, &dst_st) == 0) {
        if (!S_ISDIR(dst_st.st_mode)) {
            cu_errorf("%s: cannot overwrite non-directory with directory", dst);
            return 1;
        }
    } else if (mkdir(dst, (st->st_mode & 07777) | S_IRWXU) != 0) {
        /* Owner rwx while filling it in; the real mode is set afterwards. */
        cu_error(dst);
        return 1;
    }

    char **names;
    size_t count;
    if (cu_list_dir(src, &names, &count) != 0) {
        cu_error(src);
        return 1;
    }
    int status = 0;
    for (size_t i = 0; i < count; i++) {
        char *from = cu_path_join(src, names[i]);
        char *to = cu_path_join(dst, names[i]);
        struct stat child;
        if (lstat(from, &child) != 0) {
            cu_error(from);
            status = 1;
        } else {
            status |= copy_tree_at(from, to, &child);
        }
        free(from);
        free(to);
    }
    cu_free_names(names, count);
    if (chmod(dst, st->st_mode & 07777) != 0) {
        cu_error(dst);
        status = 1;
    }
    return status;
}

/* Recursive copy of an lstat'ed src. */
static int copy_tree_at(const char *src, const char *dst, const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return copy_directory(src, dst, st);
    if (S_ISLNK(st->st_mode))
        return copy_symlink(src, dst, st);
    if (S_ISREG(st->st_mode))
        return copy_regular(src, dst, st);
    /* FIFOs, devices, sockets: make a node of the same kind. */
    if (mknod(dst, st->st_mode, st->st_rdev) != 0) {
        cu_error(dst);
        return 1;
    }
    return 0;
}

int tree_copy(const char *src, const char *dst, int recursive)
{
    struct stat st;
    if ((recursive ? lstat(src, &st) : stat(src, &st)) != 0) {
        cu_error(src);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            cu_errorf("%s: is a directory (not copied; use -r)", src);
            return 1;
        }
        if (tree_is_inside(src, dst)) {
            cu_errorf("cannot copy directory '%s' into itself, '%s'", src, dst);
            return 1;
        }
    }
    if (recursive)
        return copy_tree_at(src, dst, &st);
    if (S_ISREG(st.st_mode))
        return copy_regular(src, dst, &st);
    return copy_tree_at(src, dst, &st);
}

int tree_remove(const char *path, int recursive, int force)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (force && errno == ENOENT)
            return 0;
        cu_error(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0) {
            cu_error(path);
            return 1;
        }
        return 0;
    }
    if (!recursive) {
        errno = EISDIR;
        cu_error(path);
        return 1;
    }
    char **names;
    size_t count;
    int status = 0;
    if (cu_list_dir(path, &names, &count) != 0) {
        cu_error(path);
        return 1;
    }
    for (size_t i = 0; i < count; i++) {
        char *child = cu_path_join(path, names[i]);
        status |= tree_remove(child, 1, force);
        free(child);
    }
    cu_free_names(names, count);
    if (rmdir(path) != 0) {
        cu_error(path);
        status = 1;
    }
    return status;
}

/*
 * Walks from dst's directory up through "..", comparing each directory with
 * src by device and inode. (Not realpath(): musl 1.2.3 builds it on
 * /proc/self/fd, which a young kernel may not have.)
 */
int tree_is_inside(const char *src, const char *dst)
{
    struct stat src_st, st;
    if (stat(src, &src_st) != 0)
        return 0;
    /* Start at dst itself if it is a directory, else at its parent. */
    char *path;
    if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
        path = cu_xstrdup(dst);
    } else {
        path = cu_xstrdup(dst);
        char *slash = strrchr(path, '/');
        while (slash != NULL && slash[1] == '\0' && slash > path) { /* "a/b/" */
            *slash = '\0';
            slash = strrchr(path, '/');
        }
        if (slash == NULL) {
            free(path);
            path = cu_xstrdup(".");
        } else {
            slash[slash == path] = '\0'; /* "/x" -> "/" */
        }
    }
    int inside = 0;
    dev_t prev_dev = 0;
    ino_t prev_ino = 0;
    for (int depth = 0; depth < PATH_MAX / 3 && stat(path, &st) == 0; depth++) {
        if (st.st_dev == src_st.st_dev && st.st_ino == src_st.st_ino) {
            inside = 1;
            break;
        }
        if (depth > 0 && st.st_dev == prev_dev && st.st_ino == prev_ino)
            break; /* ".." of the root is the root */
        prev_dev = st.st_dev;
        prev_ino = st.st_ino;
        char *up = cu_path_join(path, "..");
        free(path);
        path = up;
    }
    free(path);
    return inside;
}
