/* Descriptor tables; see futura/syscalls/files.h. */
#include "futura/syscalls/files.h"

#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"

static void set_bit(uint64_t *bits, int i, bool on)
{
    if (on)
        bits[i / 64] |= 1ull << (i % 64);
    else
        bits[i / 64] &= ~(1ull << (i % 64));
}

struct fut_fdtable *fut_fdtable_create(void)
{
    struct fut_fdtable *files = fut_kzalloc(sizeof(*files));
    if (!files)
        return NULL;
    files->refcount = 1;
    files->cwd = fut_vfs_root();
    files->umask = 022;
    return files;
}

struct fut_fdtable *fut_fdtable_clone(const struct fut_fdtable *src)
{
    struct fut_fdtable *files = fut_kzalloc(sizeof(*files));
    if (!files)
        return NULL;
    files->refcount = 1;
    for (int i = 0; i < FUT_FD_MAX; i++) {
        if (src->fd[i]) {
            fut_file_get(src->fd[i]);
            files->fd[i] = src->fd[i];
        }
    }
    memcpy(files->cloexec, src->cloexec, sizeof(files->cloexec));
    files->cwd = src->cwd;
    if (files->cwd)
        fut_vnode_get(files->cwd);
    files->umask = src->umask;
    return files;
}

void fut_fdtable_put(struct fut_fdtable *files)
{
    if (!files || --files->refcount)
        return;
    for (int i = 0; i < FUT_FD_MAX; i++) {
        if (files->fd[i])
            fut_vfs_close(files->fd[i]);
    }
    if (files->cwd)
        fut_vnode_put(files->cwd);
    fut_kfree(files);
}

int fut_fd_install(struct fut_fdtable *files, struct fut_file *f, int min_fd, bool cloexec)
{
    if (min_fd < 0 || min_fd >= FUT_FD_MAX)
        return -EINVAL;
    for (int i = min_fd; i < FUT_FD_MAX; i++) {
        if (!files->fd[i]) {
            files->fd[i] = f;
            set_bit(files->cloexec, i, cloexec);
            return i;
        }
    }
    return -EMFILE;
}

int fut_fd_install_at(struct fut_fdtable *files, struct fut_file *f, int fd, bool cloexec)
{
    if (fd < 0 || fd >= FUT_FD_MAX)
        return -EBADF;
    struct fut_file *old = files->fd[fd];
    files->fd[fd] = f;
    set_bit(files->cloexec, fd, cloexec);
    if (old)
        fut_vfs_close(old);
    return fd;
}

struct fut_file *fut_fd_lookup(const struct fut_fdtable *files, int fd)
{
    if (fd < 0 || fd >= FUT_FD_MAX)
        return NULL;
    return files->fd[fd];
}

int fut_fd_close(struct fut_fdtable *files, int fd)
{
    struct fut_file *f = fut_fd_lookup(files, fd);
    if (!f)
        return -EBADF;
    files->fd[fd] = NULL;
    set_bit(files->cloexec, fd, false);
    fut_vfs_close(f);
    return 0;
}

bool fut_fd_cloexec(const struct fut_fdtable *files, int fd)
{
    return fd >= 0 && fd < FUT_FD_MAX && (files->cloexec[fd / 64] >> (fd % 64)) & 1;
}

void fut_fd_set_cloexec(struct fut_fdtable *files, int fd, bool on)
{
    if (fd >= 0 && fd < FUT_FD_MAX)
        set_bit(files->cloexec, fd, on);
}

void fut_fdtable_close_on_exec(struct fut_fdtable *files)
{
    for (int i = 0; i < FUT_FD_MAX; i++) {
        if (files->fd[i] && fut_fd_cloexec(files, i))
            fut_fd_close(files, i);
    }
}

int fut_fdtable_count(const struct fut_fdtable *files)
{
    int n = 0;
    for (int i = 0; i < FUT_FD_MAX; i++)
        n += files->fd[i] != NULL;
    return n;
}
