/*
 * File and directory system calls over the VFS. Every user pointer goes
 * through the uaccess routines; data moves through a bounded kernel buffer.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/proc.h"
#include "futura/signal.h"
#include "futura/syscalls/files.h"
#include "futura/vfs/getpath.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"
#include "futura/vfs/tty.h"
#include "futura/vfs/vfs.h"

#define AT_FDCWD (-100)
#define AT_REMOVEDIR 0x200
#define AT_EMPTY_PATH 0x1000
#define IO_CHUNK 4096
#define STREAM_CHUNK 65536 /* a pipe's capacity */
#define IOV_MAX 1024
#define RW_MAX 0x7ffff000l /* Linux moves at most this much per call */

int fut_user_path(char *buf, const char *user_path)
{
    long n = fut_strncpy_from_user(buf, user_path, FUT_PATH_MAX);
    if (n < 0)
        return (int)n;
    return n == 0 ? -ENOENT : 0;
}

/* A user path in a heap buffer (4 KiB is too much for a kernel stack frame). */
static int get_path(const char *user_path, char **out)
{
    char *buf = fut_kmalloc(FUT_PATH_MAX);
    if (!buf)
        return -ENOMEM;
    int rc = fut_user_path(buf, user_path);
    if (rc) {
        fut_kfree(buf);
        return rc;
    }
    *out = buf;
    return 0;
}

static struct fut_file *fd_file(int fd)
{
    return fut_fd_lookup(fut_current_fdtable(), fd);
}

/* The directory *at() calls resolve relative paths against (borrowed). */
static int dir_of(int dirfd, struct fut_vnode **out)
{
    if (dirfd == AT_FDCWD) {
        *out = fut_current_fdtable()->cwd;
        return 0;
    }
    struct fut_file *f = fd_file(dirfd);
    if (!f)
        return -EBADF;
    *out = f->vnode;
    return 0;
}

/* ---- read and write ---- */

/*
 * The kernel buffer a read or write moves through. Seekable files go in
 * IO_CHUNK pieces. A stream (pipe, terminal) gets the whole call in one piece
 * of up to STREAM_CHUNK bytes: a pipe must see a write whole to tell an
 * atomic one (<= PIPE_BUF) from a longer one, and a read that has data must
 * not go back for a second piece that could sleep. Without a large heap
 * block a stream falls back to IO_CHUNK pieces.
 */
static char *io_buffer(bool stream, size_t len, size_t *chunk)
{
    if (stream && len > IO_CHUNK) {
        size_t want = len < STREAM_CHUNK ? len : STREAM_CHUNK;
        char *buf = fut_kmalloc(want);
        if (buf) {
            *chunk = want;
            return buf;
        }
    }
    *chunk = IO_CHUNK;
    return fut_kmalloc(IO_CHUNK);
}

static bool is_stream(struct fut_file *f)
{
    return fut_vfs_lseek(f, 0, FUT_SEEK_CUR) == -ESPIPE;
}

/* A fut_read_sink that copies each piece of a file to user memory. */
static int copy_piece_to_user(void *ubuf, size_t done, const void *src, size_t n)
{
    return fut_copy_to_user((char *)ubuf + done, src, n);
}

/* Reads into user memory. On a seekable file the data is read at an explicit
 * position and the file offset moves only past what reached the user, so a
 * bad buffer loses nothing (as Linux, which copies straight to the user).
 * A stream is read once: it returns what it has as soon as it has anything. */
static int64_t do_read(struct fut_file *f, char *ubuf, size_t len, int64_t off, bool positional)
{
    if (len > RW_MAX)
        len = RW_MAX;
    int64_t start = positional ? off : fut_vfs_lseek(f, 0, FUT_SEEK_CUR);
    bool seekable = start >= 0;
    if (seekable) {
        /* Straight from the file's pages to the user where the filesystem can. */
        int64_t done = fut_vfs_pread_to(f, len, start, copy_piece_to_user, ubuf);
        if (done != -EOPNOTSUPP) {
            if (!positional && done > 0)
                fut_vfs_lseek(f, start + done, FUT_SEEK_SET);
            return done;
        }
    }
    size_t chunk;
    char *kbuf = io_buffer(!seekable, len, &chunk);
    if (!kbuf)
        return -ENOMEM;
    int64_t done = 0;
    while ((size_t)done < len) {
        size_t want = len - (size_t)done < chunk ? len - (size_t)done : chunk;
        int64_t n = seekable ? fut_vfs_pread(f, kbuf, want, start + done)
                             : fut_vfs_read(f, kbuf, want);
        if (n < 0) {
            if (!done)
                done = n;
            break;
        }
        if (n && fut_copy_to_user(ubuf + done, kbuf, (size_t)n)) {
            if (!done)
                done = -EFAULT;
            break;
        }
        done += n;
        if ((size_t)n < want || !seekable)
            break; /* end of file, or a stream */
    }
    if (seekable && !positional && done > 0)
        fut_vfs_lseek(f, start + done, FUT_SEEK_SET);
    fut_kfree(kbuf);
    return done;
}

static int64_t do_write(struct fut_file *f, const char *ubuf, size_t len, int64_t off,
                        bool positional)
{
    if (len > RW_MAX)
        len = RW_MAX;
    size_t chunk;
    char *kbuf = io_buffer(!positional && is_stream(f), len, &chunk);
    if (!kbuf)
        return -ENOMEM;
    int64_t done = 0;
    while ((size_t)done < len) {
        size_t want = len - (size_t)done < chunk ? len - (size_t)done : chunk;
        if (fut_copy_from_user(kbuf, ubuf + done, want)) {
            if (!done)
                done = -EFAULT;
            break;
        }
        int64_t n = positional ? fut_vfs_pwrite(f, kbuf, want, off + done)
                               : fut_vfs_write(f, kbuf, want);
        if (n < 0) {
            if (!done)
                done = n;
            break;
        }
        done += n;
        if ((size_t)n < want)
            break;
    }
    fut_kfree(kbuf);
    return done;
}

long sys_read(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    return do_read(f, (char *)a->arg[1], (size_t)a->arg[2], 0, false);
}

long sys_write(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    return do_write(f, (const char *)a->arg[1], (size_t)a->arg[2], 0, false);
}

long sys_pread64(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    if (a->arg[3] < 0)
        return -EINVAL;
    return do_read(f, (char *)a->arg[1], (size_t)a->arg[2], a->arg[3], true);
}

long sys_pwrite64(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    if (a->arg[3] < 0)
        return -EINVAL;
    return do_write(f, (const char *)a->arg[1], (size_t)a->arg[2], a->arg[3], true);
}

struct linux_iovec {
    uint64_t base;
    uint64_t len;
};

static long do_iov(const struct fut_syscall_args *a, bool writing)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    /* As in do_read: a stream fills the first buffer it can, not more. */
    bool stream = is_stream(f);
    long cnt = a->arg[2];
    if (cnt < 0 || cnt > IOV_MAX)
        return -EINVAL;
    int64_t total = 0;
    for (long i = 0; i < cnt; i++) {
        struct linux_iovec iov;
        if (fut_copy_from_user(&iov, (const struct linux_iovec *)a->arg[1] + i, sizeof(iov)))
            return total ? total : -EFAULT;
        if ((int64_t)iov.len < 0)
            return -EINVAL;
        if (!iov.len)
            continue;
        int64_t n = writing ? do_write(f, (const char *)iov.base, iov.len, 0, false)
                            : do_read(f, (char *)iov.base, iov.len, 0, false);
        if (n < 0)
            return total ? total : n;
        total += n;
        if ((uint64_t)n < iov.len || (stream && !writing))
            break;
    }
    return total;
}

long sys_readv(const struct fut_syscall_args *a)
{
    return do_iov(a, false);
}

long sys_writev(const struct fut_syscall_args *a)
{
    return do_iov(a, true);
}

/* ---- open, close, seek ---- */

static long do_openat(int dirfd, const char *upath, uint32_t flags, uint32_t mode)
{
    struct fut_vnode *dir;
    int rc = dir_of(dirfd, &dir);
    if (rc)
        return rc;
    char *path;
    if ((rc = get_path(upath, &path)))
        return rc;
    struct fut_fdtable *files = fut_current_fdtable();
    struct fut_file *f = NULL;
    rc = fut_vfs_open(dir, path, flags, mode & ~files->umask, &f);
    fut_kfree(path);
    if (rc)
        return rc;
    int fd = fut_fd_install(files, f, 0, (flags & FUT_O_CLOEXEC) != 0);
    if (fd < 0)
        fut_vfs_close(f);
    return fd;
}

long sys_open(const struct fut_syscall_args *a)
{
    return do_openat(AT_FDCWD, (const char *)a->arg[0], (uint32_t)a->arg[1], (uint32_t)a->arg[2]);
}

long sys_openat(const struct fut_syscall_args *a)
{
    return do_openat((int)a->arg[0], (const char *)a->arg[1], (uint32_t)a->arg[2],
                     (uint32_t)a->arg[3]);
}

long sys_creat(const struct fut_syscall_args *a)
{
    return do_openat(AT_FDCWD, (const char *)a->arg[0],
                     FUT_O_CREAT | FUT_O_WRONLY | FUT_O_TRUNC, (uint32_t)a->arg[1]);
}

long sys_close(const struct fut_syscall_args *a)
{
    return fut_fd_close(fut_current_fdtable(), (int)a->arg[0]);
}

long sys_lseek(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    return fut_vfs_lseek(f, a->arg[1], (int)a->arg[2]);
}

/* ---- stat ---- */

static long put_stat(long rc, const struct fut_stat *st, void *ubuf)
{
    if (rc)
        return rc;
    return fut_copy_to_user(ubuf, st, sizeof(*st));
}

static long do_fstatat(int dirfd, const char *upath, void *ubuf, int flags)
{
    struct fut_stat st;
    if (flags & ~(FUT_AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    char *path;
    int rc = get_path(upath, &path);
    if (rc == -ENOENT && (flags & AT_EMPTY_PATH)) {
        struct fut_file *f = dirfd == AT_FDCWD ? NULL : fd_file(dirfd);
        if (dirfd != AT_FDCWD && !f)
            return -EBADF;
        if (!f) {
            struct fut_vnode *cwd = fut_current_fdtable()->cwd;
            return put_stat(fut_vfs_stat(cwd, ".", &st), &st, ubuf);
        }
        return put_stat(fut_vfs_fstat(f, &st), &st, ubuf);
    }
    if (rc)
        return rc;
    struct fut_vnode *dir;
    rc = dir_of(dirfd, &dir);
    if (!rc)
        rc = (flags & FUT_AT_SYMLINK_NOFOLLOW) ? fut_vfs_lstat(dir, path, &st)
                                               : fut_vfs_stat(dir, path, &st);
    fut_kfree(path);
    return put_stat(rc, &st, ubuf);
}

long sys_stat(const struct fut_syscall_args *a)
{
    return do_fstatat(AT_FDCWD, (const char *)a->arg[0], (void *)a->arg[1], 0);
}

long sys_lstat(const struct fut_syscall_args *a)
{
    return do_fstatat(AT_FDCWD, (const char *)a->arg[0], (void *)a->arg[1],
                      FUT_AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(const struct fut_syscall_args *a)
{
    return do_fstatat((int)a->arg[0], (const char *)a->arg[1], (void *)a->arg[2],
                      (int)a->arg[3]);
}

long sys_fstat(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    struct fut_stat st;
    return put_stat(fut_vfs_fstat(f, &st), &st, (void *)a->arg[1]);
}

long sys_getdents64(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    size_t len = (size_t)a->arg[2];
    if (len > 65536)
        len = 65536;
    char *kbuf = fut_kmalloc(len ? len : 1);
    if (!kbuf)
        return -ENOMEM;
    int64_t pos = fut_vfs_lseek(f, 0, FUT_SEEK_CUR);
    int64_t n = fut_vfs_getdents64(f, kbuf, len);
    if (n > 0 && fut_copy_to_user((void *)a->arg[1], kbuf, (size_t)n)) {
        fut_vfs_lseek(f, pos, FUT_SEEK_SET); /* the entries were not delivered */
        n = -EFAULT;
    }
    fut_kfree(kbuf);
    return n;
}

/* ---- operations on paths ---- */

typedef int (*path_op_fn)(struct fut_vnode *dir, const char *path, long arg);

static long with_path(int dirfd, const char *upath, path_op_fn op, long arg)
{
    struct fut_vnode *dir;
    int rc = dir_of(dirfd, &dir);
    if (rc)
        return rc;
    char *path;
    if ((rc = get_path(upath, &path)))
        return rc;
    rc = op(dir, path, arg);
    fut_kfree(path);
    return rc;
}

static int op_mkdir(struct fut_vnode *dir, const char *path, long mode)
{
    return fut_vfs_mkdir(dir, path, (uint32_t)mode & ~fut_current_fdtable()->umask & 07777);
}

static int op_rmdir(struct fut_vnode *dir, const char *path, long unused)
{
    (void)unused;
    return fut_vfs_rmdir(dir, path);
}

static int op_unlink(struct fut_vnode *dir, const char *path, long flags)
{
    return (flags & AT_REMOVEDIR) ? fut_vfs_rmdir(dir, path) : fut_vfs_unlink(dir, path);
}

static int op_truncate(struct fut_vnode *dir, const char *path, long length)
{
    return fut_vfs_truncate(dir, path, length);
}

static int op_chmod(struct fut_vnode *dir, const char *path, long mode)
{
    return fut_vfs_chmod(dir, path, (uint32_t)mode);
}

static int op_access(struct fut_vnode *dir, const char *path, long mode)
{
    return fut_vfs_access(dir, path, (int)mode);
}

long sys_mkdir(const struct fut_syscall_args *a)
{
    return with_path(AT_FDCWD, (const char *)a->arg[0], op_mkdir, a->arg[1]);
}

long sys_mkdirat(const struct fut_syscall_args *a)
{
    return with_path((int)a->arg[0], (const char *)a->arg[1], op_mkdir, a->arg[2]);
}

long sys_rmdir(const struct fut_syscall_args *a)
{
    return with_path(AT_FDCWD, (const char *)a->arg[0], op_rmdir, 0);
}

long sys_unlink(const struct fut_syscall_args *a)
{
    return with_path(AT_FDCWD, (const char *)a->arg[0], op_unlink, 0);
}

long sys_unlinkat(const struct fut_syscall_args *a)
{
    if (a->arg[2] & ~AT_REMOVEDIR)
        return -EINVAL;
    return with_path((int)a->arg[0], (const char *)a->arg[1], op_unlink, a->arg[2]);
}

long sys_truncate(const struct fut_syscall_args *a)
{
    return with_path(AT_FDCWD, (const char *)a->arg[0], op_truncate, a->arg[1]);
}

long sys_chmod(const struct fut_syscall_args *a)
{
    return with_path(AT_FDCWD, (const char *)a->arg[0], op_chmod, a->arg[1]);
}

long sys_access(const struct fut_syscall_args *a)
{
    return with_path(AT_FDCWD, (const char *)a->arg[0], op_access, a->arg[1]);
}

long sys_faccessat(const struct fut_syscall_args *a)
{
    return with_path((int)a->arg[0], (const char *)a->arg[1], op_access, a->arg[2]);
}

long sys_faccessat2(const struct fut_syscall_args *a)
{
    if (a->arg[3] & ~(FUT_AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x200 /* AT_EACCESS */))
        return -EINVAL;
    return with_path((int)a->arg[0], (const char *)a->arg[1], op_access, a->arg[2]);
}

/* Two-path calls: rename, link, symlink. */
static long two_paths(int olddir, const char *uold, int newdir, const char *unew, int which,
                      long flags)
{
    struct fut_vnode *od = NULL, *nd;
    int rc = which == 2 ? 0 : dir_of(olddir, &od);
    if (rc || (rc = dir_of(newdir, &nd)))
        return rc;
    char *oldp, *newp;
    if ((rc = get_path(uold, &oldp)))
        return rc;
    if ((rc = get_path(unew, &newp))) {
        fut_kfree(oldp);
        return rc;
    }
    if (which == 0)
        rc = fut_vfs_rename(od, oldp, nd, newp);
    else if (which == 1)
        rc = fut_vfs_link(od, oldp, nd, newp, (uint32_t)flags);
    else
        rc = fut_vfs_symlink(oldp, nd, newp);
    fut_kfree(oldp);
    fut_kfree(newp);
    return rc;
}

long sys_rename(const struct fut_syscall_args *a)
{
    return two_paths(AT_FDCWD, (const char *)a->arg[0], AT_FDCWD, (const char *)a->arg[1], 0, 0);
}

long sys_renameat(const struct fut_syscall_args *a)
{
    return two_paths((int)a->arg[0], (const char *)a->arg[1], (int)a->arg[2],
                     (const char *)a->arg[3], 0, 0);
}

long sys_renameat2(const struct fut_syscall_args *a)
{
    if (a->arg[4])
        return -EINVAL; /* RENAME_NOREPLACE/EXCHANGE/WHITEOUT are not supported */
    return sys_renameat(a);
}

long sys_link(const struct fut_syscall_args *a)
{
    return two_paths(AT_FDCWD, (const char *)a->arg[0], AT_FDCWD, (const char *)a->arg[1], 1, 0);
}

long sys_linkat(const struct fut_syscall_args *a)
{
    if (a->arg[4] & ~(FUT_AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    return two_paths((int)a->arg[0], (const char *)a->arg[1], (int)a->arg[2],
                     (const char *)a->arg[3], 1, a->arg[4]);
}

long sys_symlink(const struct fut_syscall_args *a)
{
    return two_paths(AT_FDCWD, (const char *)a->arg[0], AT_FDCWD, (const char *)a->arg[1], 2, 0);
}

long sys_symlinkat(const struct fut_syscall_args *a)
{
    return two_paths(AT_FDCWD, (const char *)a->arg[0], (int)a->arg[1],
                     (const char *)a->arg[2], 2, 0);
}

static long do_readlinkat(int dirfd, const char *upath, char *ubuf, long size)
{
    if (size <= 0)
        return -EINVAL;
    struct fut_vnode *dir;
    int rc = dir_of(dirfd, &dir);
    if (rc)
        return rc;
    char *path, *target;
    if ((rc = get_path(upath, &path)))
        return rc;
    size_t max = size < FUT_PATH_MAX ? (size_t)size : FUT_PATH_MAX;
    target = fut_kmalloc(FUT_PATH_MAX);
    int64_t n = target ? fut_vfs_readlink(dir, path, target, max) : -ENOMEM;
    if (n > 0 && fut_copy_to_user(ubuf, target, (size_t)n))
        n = -EFAULT;
    fut_kfree(target);
    fut_kfree(path);
    return n;
}

long sys_readlink(const struct fut_syscall_args *a)
{
    return do_readlinkat(AT_FDCWD, (const char *)a->arg[0], (char *)a->arg[1], a->arg[2]);
}

long sys_readlinkat(const struct fut_syscall_args *a)
{
    return do_readlinkat((int)a->arg[0], (const char *)a->arg[1], (char *)a->arg[2], a->arg[3]);
}

/* ---- working directory ---- */

static long set_cwd(struct fut_vnode *vn)
{
    struct fut_stat st;
    struct fut_file *probe = NULL;
    int rc = fut_vfs_open_vnode(vn, FUT_O_RDONLY | FUT_O_DIRECTORY, &probe);
    if (rc)
        return rc;
    rc = fut_vfs_fstat(probe, &st);
    fut_vfs_close(probe);
    if (rc)
        return rc;
    struct fut_fdtable *files = fut_current_fdtable();
    fut_vnode_get(vn);
    if (files->cwd)
        fut_vnode_put(files->cwd);
    files->cwd = vn;
    return 0;
}

long sys_chdir(const struct fut_syscall_args *a)
{
    char *path;
    int rc = get_path((const char *)a->arg[0], &path);
    if (rc)
        return rc;
    struct fut_vnode *vn = NULL;
    rc = fut_vfs_lookup(fut_current_fdtable()->cwd, path,
                        FUT_LOOKUP_FOLLOW | FUT_LOOKUP_DIRECTORY, &vn);
    fut_kfree(path);
    if (rc)
        return rc;
    long r = set_cwd(vn);
    fut_vnode_put(vn);
    return r;
}

long sys_fchdir(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    return set_cwd(f->vnode);
}

long sys_getcwd(const struct fut_syscall_args *a)
{
    size_t size = (size_t)a->arg[1];
    char *buf = fut_kmalloc(FUT_PATH_MAX);
    if (!buf)
        return -ENOMEM;
    int64_t n = fut_vfs_getpath(fut_current_fdtable()->cwd, buf, FUT_PATH_MAX);
    if (n >= 0 && (size_t)n + 1 > size)
        n = -ERANGE;
    if (n >= 0 && fut_copy_to_user((void *)a->arg[0], buf, (size_t)n + 1))
        n = -EFAULT;
    if (n >= 0)
        n += 1; /* the Linux system call returns the length including the NUL */
    fut_kfree(buf);
    return n;
}

/* ---- descriptors ---- */

long sys_dup(const struct fut_syscall_args *a)
{
    struct fut_fdtable *files = fut_current_fdtable();
    struct fut_file *f = fut_fd_lookup(files, (int)a->arg[0]);
    if (!f)
        return -EBADF;
    fut_file_get(f);
    int fd = fut_fd_install(files, f, 0, false);
    if (fd < 0)
        fut_vfs_close(f);
    return fd;
}

static long do_dup3(int oldfd, int newfd, long flags)
{
    struct fut_fdtable *files = fut_current_fdtable();
    struct fut_file *f = fut_fd_lookup(files, oldfd);
    if (!f)
        return -EBADF;
    if (newfd < 0 || newfd >= FUT_FD_MAX)
        return -EBADF;
    fut_file_get(f);
    return fut_fd_install_at(files, f, newfd, (flags & FUT_O_CLOEXEC) != 0);
}

long sys_dup2(const struct fut_syscall_args *a)
{
    int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];
    if (oldfd == newfd)
        return fut_fd_lookup(fut_current_fdtable(), oldfd) ? newfd : -EBADF;
    return do_dup3(oldfd, newfd, 0);
}

long sys_dup3(const struct fut_syscall_args *a)
{
    if (a->arg[0] == a->arg[1] || (a->arg[2] & ~FUT_O_CLOEXEC))
        return -EINVAL;
    return do_dup3((int)a->arg[0], (int)a->arg[1], a->arg[2]);
}

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

long sys_fcntl(const struct fut_syscall_args *a)
{
    struct fut_fdtable *files = fut_current_fdtable();
    int fd = (int)a->arg[0];
    struct fut_file *f = fut_fd_lookup(files, fd);
    if (!f)
        return -EBADF;
    switch (a->arg[1]) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if (a->arg[2] < 0 || a->arg[2] >= FUT_FD_MAX)
            return -EINVAL;
        fut_file_get(f);
        int nfd = fut_fd_install(files, f, (int)a->arg[2], a->arg[1] == F_DUPFD_CLOEXEC);
        if (nfd < 0)
            fut_vfs_close(f);
        return nfd;
    }
    case F_GETFD:
        return fut_fd_cloexec(files, fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
        fut_fd_set_cloexec(files, fd, a->arg[2] & FD_CLOEXEC);
        return 0;
    case F_GETFL:
        return f->flags;
    case F_SETFL: {
        const uint32_t changeable = FUT_O_APPEND | FUT_O_NONBLOCK;
        f->flags = (f->flags & ~changeable) | ((uint32_t)a->arg[2] & changeable);
        return 0;
    }
    default:
        return -EINVAL;
    }
}

/* ---- terminals ---- */

#define FIONBIO 0x5421
#define TIOCSCTTY 0x540e
#define SI_KERNEL 0x80

/* Terminal ioctls are the tty layer's (vfs/tty_ioctl.c); it reaches the
 * caller's memory through these. */
static const struct fut_tty_user_copy user_copy = {
    .from = fut_copy_from_user,
    .to = fut_copy_to_user,
};

/* The tty's signal hook: ^C, ^\, ^Z and window changes signal its
 * foreground group. Runs in the UART's interrupt handler. */
static void signal_foreground_group(int pgrp, int sig)
{
    struct fut_sig_info info = {.code = SI_KERNEL};
    fut_signal_send_pgrp(pgrp, sig, &info);
}

/* The tty's job-control hook (see tty.h): a process of the terminal's
 * session outside its foreground group that reads it (SIGTTIN), or changes
 * its settings or writes with TOSTOP (SIGTTOU), stops its group; with no
 * handler run, the call is re-run once the group continues. A SIGTTIN that
 * would not stop it (ignored or blocked) fails the read with -EIO; such a
 * SIGTTOU lets the call go ahead. Other sessions are not asked. */
static int stop_background_group(int session, int fg_pgrp, int sig)
{
    struct fut_process *p = fut_current_process();
    if (!p || p->sid != session || p->pgid == fg_pgrp)
        return 0;
    const struct fut_sigstate *s = p->signals;
    bool ignored = s && s->action[sig - 1].handler == FUT_SIG_IGN;
    bool blocked = (p->sigmask >> (sig - 1)) & 1;
    if (ignored || blocked)
        return sig == FUT_SIGTTIN ? -EIO : 0;
    struct fut_sig_info info = {.code = SI_KERNEL};
    fut_signal_send_pgrp(p->pgid, sig, &info);
    return -EINTR;
}

/* TIOCSCTTY: the terminal becomes the caller's session's, with the caller's
 * group in the foreground (Linux lets root take it from another session). */
static long take_terminal(struct fut_tty *tty)
{
    struct fut_process *p = fut_current_process();
    int rc = fut_tty_set_session(tty, p->sid);
    return rc ? rc : fut_tty_set_pgrp(tty, p->pgid);
}

/* The terminal an open file is, or NULL. */
static struct fut_tty *file_tty(struct fut_file *f)
{
    struct fut_stat st;
    if (fut_vfs_fstat(f, &st) || !FUT_S_ISCHR(st.st_mode))
        return NULL;
    return fut_tty_of_rdev(st.st_rdev);
}

long sys_ioctl(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    void *arg = (void *)a->arg[2];
    if (a->arg[1] == FIONBIO) {
        int on;
        if (fut_copy_from_user(&on, arg, sizeof(on)))
            return -EFAULT;
        f->flags = on ? f->flags | FUT_O_NONBLOCK : f->flags & ~FUT_O_NONBLOCK;
        return 0;
    }
    struct fut_tty *tty = file_tty(f);
    if (!tty)
        return -ENOTTY;
    /* A foreground group and a session, without which no key signals
     * anyone and no job is stopped, are only ever set here, so the hooks
     * are in place before they can be needed. */
    fut_tty_set_signal_hook(signal_foreground_group);
    fut_tty_set_job_control_hook(stop_background_group);
    if (a->arg[1] == TIOCSCTTY)
        return take_terminal(tty);
    return fut_tty_ioctl(tty, a->arg[1], a->arg[2], &user_copy);
}

/* ---- the rest ---- */

long sys_ftruncate(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    return fut_vfs_ftruncate(f, a->arg[1]);
}

long sys_fchmod(const struct fut_syscall_args *a)
{
    struct fut_file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    return fut_vfs_fchmod(f, (uint32_t)a->arg[1]);
}

long sys_umask(const struct fut_syscall_args *a)
{
    struct fut_fdtable *files = fut_current_fdtable();
    uint32_t old = files->umask;
    files->umask = (uint32_t)a->arg[0] & 0777;
    return old;
}

long sys_fsync(const struct fut_syscall_args *a)
{
    /* Every filesystem is in memory: data is as durable as it will ever be. */
    return fd_file((int)a->arg[0]) ? 0 : -EBADF;
}

long sys_fdatasync(const struct fut_syscall_args *a)
{
    return sys_fsync(a);
}

/* sendfile: copy between two files inside the kernel (no user buffer). */
long sys_sendfile(const struct fut_syscall_args *a)
{
    struct fut_fdtable *fdt = fut_current_fdtable();
    struct fut_file *out = fut_fd_lookup(fdt, (int)a->arg[0]);
    struct fut_file *in = fut_fd_lookup(fdt, (int)a->arg[1]);
    if (!out || !in)
        return -EBADF;
    int64_t off = 0;
    bool at_offset = a->arg[2] != 0;
    if (at_offset) {
        if (fut_copy_from_user(&off, (const void *)a->arg[2], sizeof(off)))
            return -EFAULT;
        if (off < 0)
            return -EINVAL;
    }
    size_t count = (size_t)a->arg[3] > RW_MAX ? RW_MAX : (size_t)a->arg[3];
    char *kbuf = fut_kmalloc(IO_CHUNK);
    if (!kbuf)
        return -ENOMEM;
    int64_t done = 0;
    while ((size_t)done < count) {
        size_t want = count - (size_t)done < IO_CHUNK ? count - (size_t)done : IO_CHUNK;
        int64_t n = at_offset ? fut_vfs_pread(in, kbuf, want, off + done) : fut_vfs_read(in, kbuf, want);
        if (n <= 0) {
            if (n < 0 && !done)
                done = n;
            break;
        }
        int64_t w = fut_vfs_write(out, kbuf, (size_t)n);
        if (w < 0) {
            if (!done)
                done = w;
            break;
        }
        done += w;
        if (w < n || (size_t)n < want)
            break;
    }
    fut_kfree(kbuf);
    if (at_offset && done > 0) {
        int64_t end = off + done;
        if (fut_copy_to_user((void *)a->arg[2], &end, sizeof(end)))
            return -EFAULT;
    }
    return done;
}
