/*
 * Open files: open (lookup or create), read/write at the file offset or an
 * explicit one, lseek, getdents64, fstat, ftruncate, poll readiness, and the
 * reference counting that dup and fork share.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/vfs.h"
#include "vfs_internal.h"

/* Largest transfer per call, as Linux's MAX_RW_COUNT. */
#define MAX_RW_COUNT 0x7ffff000u

/* Flags that only matter while opening. */
#define OPEN_ONLY_FLAGS (FUT_O_CREAT | FUT_O_EXCL | FUT_O_NOCTTY | FUT_O_TRUNC)

static bool readable(const struct fut_file *f)
{
    uint32_t acc = f->flags & FUT_O_ACCMODE;
    return acc == FUT_O_RDONLY || acc == FUT_O_RDWR;
}

static bool writable(const struct fut_file *f)
{
    uint32_t acc = f->flags & FUT_O_ACCMODE;
    return acc == FUT_O_WRONLY || acc == FUT_O_RDWR;
}

static bool is_stream(const struct fut_vnode *vn)
{
    return vn->flags & FUT_VNODE_STREAM;
}

int fut_vfs_open_vnode(struct fut_vnode *vn, uint32_t flags, struct fut_file **out)
{
    uint32_t acc = flags & FUT_O_ACCMODE;
    if (acc == FUT_O_ACCMODE)
        return -EINVAL;
    if ((flags & FUT_O_DIRECTORY) && !FUT_S_ISDIR(vn->mode))
        return -ENOTDIR;
    if (FUT_S_ISDIR(vn->mode) && acc != FUT_O_RDONLY)
        return -EISDIR;
    if (FUT_S_ISLNK(vn->mode))
        return -ELOOP;
    int rc;
    if (vn->ops->open && (rc = vn->ops->open(vn, flags)))
        return rc;
    /* From here on, failing undoes open with release. */
    if ((flags & FUT_O_TRUNC) && FUT_S_ISREG(vn->mode)) {
        rc = vn->ops->truncate ? vn->ops->truncate(vn, 0) : -EINVAL;
        if (rc)
            goto undo_open;
    }
    struct fut_file *f = fut_kmalloc(sizeof(*f));
    if (!f) {
        rc = -ENOMEM;
        goto undo_open;
    }
    fut_vnode_get(vn);
    f->vnode = vn;
    f->offset = 0;
    f->flags = flags & ~OPEN_ONLY_FLAGS;
    f->refcount = 1;
    vfs_stats.open_files++;
    *out = f;
    return 0;

undo_open:
    if (vn->ops->release)
        vn->ops->release(vn, flags & ~OPEN_ONLY_FLAGS);
    return rc;
}

/* The O_CREAT case of open: the final component is created if missing. A
 * final symlink is followed (unless O_EXCL or O_NOFOLLOW) and the file it
 * names is created if missing, as Linux does. */
static int open_create(struct nameidata *nd, uint32_t flags, uint32_t mode, struct fut_vnode **out,
                       bool *created)
{
    for (;;) {
        /* "/", ".", ".." and "name/" can only be directories (Linux: -EISDIR). */
        if (nd->last_type != ND_LAST_NORM || nd->trailing_slash)
            return -EISDIR;
        struct fut_vnode *vn;
        int rc = vfs_lookup_raw(nd->dir, nd->last, &vn);
        if (rc == -ENOENT) {
            if (!nd->dir->ops->create)
                return -EPERM;
            rc = nd->dir->ops->create(nd->dir, nd->last, FUT_S_IFREG | (mode & FUT_S_IALLUGO), out);
            *created = rc == 0;
            return rc;
        }
        if (rc)
            return rc;
        vfs_cross_mounts(&vn);
        if (flags & FUT_O_EXCL) {
            fut_vnode_put(vn);
            return -EEXIST;
        }
        if (FUT_S_ISLNK(vn->mode) && !(flags & FUT_O_NOFOLLOW)) {
            rc = nd_follow_last(nd, vn);
            fut_vnode_put(vn);
            if (rc)
                return rc;
            continue;
        }
        if (FUT_S_ISDIR(vn->mode)) {
            fut_vnode_put(vn);
            return -EISDIR;
        }
        *out = vn;
        return 0;
    }
}

int fut_vfs_open(struct fut_vnode *cwd, const char *path, uint32_t flags, uint32_t mode,
                 struct fut_file **out)
{
    struct nameidata nd;
    struct fut_vnode *vn = NULL;
    bool created = false;
    if ((flags & FUT_O_ACCMODE) == FUT_O_ACCMODE)
        return -EINVAL;
    int rc = nd_start(&nd, cwd, path);
    if (rc == 0)
        rc = nd_walk_to_last(&nd);
    if (rc == 0 && (flags & FUT_O_CREAT))
        rc = open_create(&nd, flags, mode, &vn, &created);
    else if (rc == 0)
        rc = nd_resolve_last(&nd, !(flags & FUT_O_NOFOLLOW), &vn);
    nd_finish(&nd);
    if (rc)
        return rc;
    /* A file this call created is already empty. */
    rc = fut_vfs_open_vnode(vn, created ? flags & ~FUT_O_TRUNC : flags, out);
    fut_vnode_put(vn);
    return rc;
}

void fut_file_get(struct fut_file *f)
{
    f->refcount++;
}

int fut_vfs_close(struct fut_file *f)
{
    if (--f->refcount > 0)
        return 0;
    if (f->vnode->ops->release)
        f->vnode->ops->release(f->vnode, f->flags);
    fut_vnode_put(f->vnode);
    fut_kfree(f);
    vfs_stats.open_files--;
    return 0;
}

/* What every read checks first: opened for reading, not a directory. */
static int may_read(struct fut_file *f)
{
    if (!readable(f))
        return -EBADF;
    return FUT_S_ISDIR(f->vnode->mode) ? -EISDIR : 0;
}

static int64_t do_read(struct fut_file *f, void *buf, size_t len, uint64_t off)
{
    struct fut_vnode *vn = f->vnode;
    int rc = may_read(f);
    if (rc)
        return rc;
    if (!vn->ops->read)
        return -EINVAL;
    if (len > MAX_RW_COUNT)
        len = MAX_RW_COUNT;
    return vn->ops->read(vn, buf, len, off, f->flags);
}

static int64_t do_write(struct fut_file *f, const void *buf, size_t len, uint64_t off)
{
    struct fut_vnode *vn = f->vnode;
    if (!writable(f))
        return -EBADF;
    if (!vn->ops->write)
        return -EINVAL;
    if (len > MAX_RW_COUNT)
        len = MAX_RW_COUNT;
    return vn->ops->write(vn, buf, len, off, f->flags);
}

int64_t fut_vfs_read(struct fut_file *f, void *buf, size_t len)
{
    int64_t n = do_read(f, buf, len, is_stream(f->vnode) ? 0 : f->offset);
    if (n > 0 && !is_stream(f->vnode))
        f->offset += (uint64_t)n;
    return n;
}

int64_t fut_vfs_write(struct fut_file *f, const void *buf, size_t len)
{
    struct fut_vnode *vn = f->vnode;
    uint64_t off = f->offset;
    if (is_stream(vn)) {
        off = 0;
    } else if ((f->flags & FUT_O_APPEND) && writable(f)) {
        struct fut_stat st;
        int rc = vfs_getattr(vn, &st);
        if (rc)
            return rc;
        off = (uint64_t)st.st_size;
    }
    int64_t n = do_write(f, buf, len, off);
    if (n >= 0 && !is_stream(vn))
        f->offset = off + (uint64_t)n;
    return n;
}

/* What every positional read or write checks first. */
static int may_seek_to(struct fut_file *f, int64_t off)
{
    if (off < 0)
        return -EINVAL;
    return is_stream(f->vnode) ? -ESPIPE : 0;
}

int64_t fut_vfs_pread(struct fut_file *f, void *buf, size_t len, int64_t off)
{
    int rc = may_seek_to(f, off);
    return rc ? rc : do_read(f, buf, len, (uint64_t)off);
}

int64_t fut_vfs_pread_to(struct fut_file *f, size_t len, int64_t off, fut_read_sink sink,
                         void *ctx)
{
    struct fut_vnode *vn = f->vnode;
    int rc = may_seek_to(f, off);
    if (!rc)
        rc = may_read(f);
    if (rc)
        return rc;
    if (!vn->ops->read_pieces)
        return -EOPNOTSUPP;
    if (len > MAX_RW_COUNT)
        len = MAX_RW_COUNT;
    return vn->ops->read_pieces(vn, len, (uint64_t)off, sink, ctx);
}

int64_t fut_vfs_pwrite(struct fut_file *f, const void *buf, size_t len, int64_t off)
{
    int rc = may_seek_to(f, off);
    return rc ? rc : do_write(f, buf, len, (uint64_t)off);
}

int64_t fut_vfs_lseek(struct fut_file *f, int64_t off, int whence)
{
    struct fut_vnode *vn = f->vnode;
    int64_t base;
    if (is_stream(vn))
        return -ESPIPE;
    switch (whence) {
    case FUT_SEEK_SET: base = 0; break;
    case FUT_SEEK_CUR: base = (int64_t)f->offset; break;
    case FUT_SEEK_END: {
        if (FUT_S_ISDIR(vn->mode))
            return -EINVAL;
        struct fut_stat st;
        int rc = vfs_getattr(vn, &st);
        if (rc)
            return rc;
        base = st.st_size;
        break;
    }
    default: return -EINVAL;
    }
    int64_t pos;
    if (__builtin_add_overflow(base, off, &pos) || pos < 0)
        return -EINVAL;
    f->offset = (uint64_t)pos;
    return pos;
}

static size_t dirent_reclen(size_t namelen)
{
    return (FUT_DIRENT64_NAME_OFFSET + namelen + 1 + 7) & ~(size_t)7;
}

int64_t fut_vfs_getdents64(struct fut_file *f, void *buf, size_t len)
{
    struct fut_vnode *vn = f->vnode;
    if (!FUT_S_ISDIR(vn->mode))
        return -ENOTDIR;
    if (!vn->ops->readdir)
        return -ENOTDIR;
    char *out = buf;
    size_t used = 0;
    struct fut_dirent ent;
    for (;;) {
        int rc = vn->ops->readdir(vn, f->offset, &ent);
        if (rc < 0)
            return used ? (int64_t)used : rc;
        if (rc == 0)
            break;
        size_t reclen = dirent_reclen(ent.namelen);
        if (reclen > len - used) {
            if (used == 0)
                return -EINVAL;
            break;
        }
        struct fut_linux_dirent64 head = {
            .d_ino = ent.ino,
            .d_off = (int64_t)ent.next,
            .d_reclen = (uint16_t)reclen,
            .d_type = ent.type,
        };
        char *rec = out + used;
        memcpy(rec, &head, FUT_DIRENT64_NAME_OFFSET);
        memcpy(rec + FUT_DIRENT64_NAME_OFFSET, ent.name, ent.namelen);
        memset(rec + FUT_DIRENT64_NAME_OFFSET + ent.namelen, 0,
               reclen - FUT_DIRENT64_NAME_OFFSET - ent.namelen);
        used += reclen;
        f->offset = ent.next;
    }
    return (int64_t)used;
}

int fut_vfs_fstat(struct fut_file *f, struct fut_stat *st)
{
    return vfs_getattr(f->vnode, st);
}

int fut_vfs_ftruncate(struct fut_file *f, int64_t length)
{
    struct fut_vnode *vn = f->vnode;
    if (length < 0 || !FUT_S_ISREG(vn->mode))
        return -EINVAL;
    if (!writable(f))
        return -EBADF;
    if (!vn->ops->truncate)
        return -EINVAL;
    return vn->ops->truncate(vn, (uint64_t)length);
}

uint32_t fut_vfs_poll(struct fut_file *f)
{
    struct fut_vnode *vn = f->vnode;
    if (!vn->ops->poll) /* Linux's DEFAULT_POLLMASK */
        return FUT_POLLIN | FUT_POLLRDNORM | FUT_POLLOUT | FUT_POLLWRNORM;
    return vn->ops->poll(vn, f->flags);
}

int fut_vfs_fchmod(struct fut_file *f, uint32_t mode)
{
    struct fut_setattr attr = {.mask = FUT_ATTR_MODE, .mode = mode & FUT_S_IALLUGO};
    return vfs_setattr(f->vnode, &attr);
}
