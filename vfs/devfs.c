/*
 * DevFS instances: one directory (the root) listing device vnodes in
 * registration order, each forwarding read/write/open to its driver. The
 * namespace is fixed from user space - no create, mkdir, unlink or rename -
 * and devices live as long as the instance.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/vfs.h"
#include "devfs_internal.h"

struct devfs_node {
    struct fut_vnode vn; /* must stay first */
    struct devfs_node *next;
    uint64_t cookie; /* readdir position; registration order from 2 */
    uint64_t rdev;
    const struct fut_dev_ops *ops;
    void *priv;
    struct fut_timespec time; /* registration time: atime = mtime = ctime */
    uint16_t namelen;
    char name[FUT_NAME_MAX + 1];
};

struct devfs {
    struct fut_fs fs;               /* must stay first */
    struct devfs_node root;         /* the directory; not on the device list */
    struct devfs_node *head, *tail; /* devices in cookie order */
    uint64_t ndevices;
    uint64_t next_ino;
    uint64_t next_cookie;
};

static struct devfs_node *devfs_node(struct fut_vnode *vn)
{
    return (struct devfs_node *)vn;
}

static struct devfs *devfs_of(struct fut_vnode *vn)
{
    return (struct devfs *)vn->fs;
}

static struct devfs_node *find_device(struct devfs *d, const char *name)
{
    for (struct devfs_node *n = d->head; n; n = n->next) {
        if (strcmp(n->name, name) == 0)
            return n;
    }
    return NULL;
}

static int devfs_lookup(struct fut_vnode *dir, const char *name, struct fut_vnode **out)
{
    struct devfs_node *n;
    if (strcmp(name, "..") == 0) {
        n = devfs_node(dir);
    } else {
        n = find_device(devfs_of(dir), name);
        if (!n)
            return -ENOENT;
    }
    fut_vnode_get(&n->vn);
    *out = &n->vn;
    return 0;
}

static void fill_dirent(struct fut_dirent *out, const struct devfs_node *n, const char *name,
                        uint64_t next)
{
    size_t len = strlen(name);
    out->ino = n->vn.ino;
    out->next = next;
    out->type = fut_mode_to_dtype(n->vn.mode);
    out->namelen = (uint16_t)len;
    memcpy(out->name, name, len + 1);
}

static int devfs_readdir(struct fut_vnode *dir, uint64_t cookie, struct fut_dirent *out)
{
    struct devfs *d = devfs_of(dir);
    if (cookie <= 1) {
        fill_dirent(out, &d->root, cookie == 0 ? "." : "..", cookie + 1);
        return 1;
    }
    for (const struct devfs_node *n = d->head; n; n = n->next) {
        if (n->cookie >= cookie) {
            fill_dirent(out, n, n->name, n->cookie + 1);
            return 1;
        }
    }
    return 0;
}

static int devfs_getattr(struct fut_vnode *vn, struct fut_stat *st)
{
    struct devfs_node *n = devfs_node(vn);
    if (FUT_S_ISDIR(vn->mode)) {
        st->st_nlink = 2;
        st->st_size = (int64_t)((devfs_of(vn)->ndevices + 2) * 20);
    } else {
        st->st_rdev = n->rdev;
    }
    st->st_atim = st->st_mtim = st->st_ctim = n->time;
    return 0;
}

static int64_t devfs_read(struct fut_vnode *vn, void *buf, size_t len, uint64_t off,
                          uint32_t fflags)
{
    struct devfs_node *n = devfs_node(vn);
    if (!n->ops->read)
        return -EINVAL;
    return n->ops->read(n->priv, buf, len, off, fflags);
}

static int64_t devfs_write(struct fut_vnode *vn, const void *buf, size_t len, uint64_t off,
                           uint32_t fflags)
{
    struct devfs_node *n = devfs_node(vn);
    if (!n->ops->write)
        return -EINVAL;
    return n->ops->write(n->priv, buf, len, off, fflags);
}

static int devfs_open(struct fut_vnode *vn, uint32_t fflags)
{
    struct devfs_node *n = devfs_node(vn);
    return n->ops->open ? n->ops->open(n->priv, fflags) : 0;
}

static uint32_t devfs_poll(struct fut_vnode *vn, uint32_t fflags)
{
    struct devfs_node *n = devfs_node(vn);
    if (!n->ops->poll)
        return FUT_POLLIN | FUT_POLLRDNORM | FUT_POLLOUT | FUT_POLLWRNORM;
    return n->ops->poll(n->priv, fflags);
}

static const struct fut_vnode_ops devfs_dir_ops = {
    .lookup = devfs_lookup,
    .readdir = devfs_readdir,
    .getattr = devfs_getattr,
};

static const struct fut_vnode_ops devfs_device_ops = {
    .read = devfs_read,
    .write = devfs_write,
    .getattr = devfs_getattr,
    .open = devfs_open,
    .poll = devfs_poll,
};

static void devfs_destroy(struct fut_fs *fs)
{
    struct devfs *d = (struct devfs *)fs;
    struct devfs_node *n = d->head;
    while (n) {
        struct devfs_node *next = n->next;
        fut_vnode_fini(&n->vn);
        fut_kfree(n);
        n = next;
    }
    fut_vnode_fini(&d->root.vn);
    fut_kfree(d);
}

static const struct fut_fs_ops devfs_fs_ops = {.destroy = devfs_destroy};

static bool valid_name(const char *name)
{
    size_t len = strnlen(name, FUT_NAME_MAX + 1);
    if (len == 0 || len > FUT_NAME_MAX || strchr(name, '/'))
        return false;
    return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int fut_devfs_add(struct fut_fs *fs, const char *name, uint32_t mode, uint32_t major,
                  uint32_t minor, const struct fut_dev_ops *ops, void *priv)
{
    if (fs->ops != &devfs_fs_ops)
        return -EINVAL;
    if (!name || !ops || !valid_name(name))
        return -EINVAL;
    if (!(mode & FUT_S_IFMT))
        mode |= FUT_S_IFCHR;
    if (!FUT_S_ISCHR(mode) && !FUT_S_ISBLK(mode))
        return -EINVAL;
    struct devfs *d = (struct devfs *)fs;
    if (find_device(d, name))
        return -EEXIST;
    struct devfs_node *n = fut_kzalloc(sizeof(*n));
    if (!n)
        return -ENOMEM;
    fut_vnode_init(&n->vn, fs, &devfs_device_ops, mode & (FUT_S_IFMT | FUT_S_IALLUGO),
                   d->next_ino++);
    if (ops->stream)
        n->vn.flags |= FUT_VNODE_STREAM;
    n->cookie = d->next_cookie++;
    n->rdev = fut_makedev(major, minor);
    n->ops = ops;
    n->priv = priv;
    fut_vfs_now(&n->time);
    n->namelen = (uint16_t)strlen(name);
    memcpy(n->name, name, n->namelen + 1u);
    if (d->tail)
        d->tail->next = n;
    else
        d->head = n;
    d->tail = n;
    d->ndevices++;
    fut_vfs_now(&d->root.time);
    return 0;
}

int fut_devfs_create(struct fut_fs **out)
{
    struct devfs *d = fut_kzalloc(sizeof(*d));
    if (!d)
        return -ENOMEM;
    d->next_ino = 2;
    d->next_cookie = 2; /* 0 and 1 are "." and ".." */
    fut_vnode_init(&d->root.vn, &d->fs, &devfs_dir_ops, FUT_S_IFDIR | 0755, 1);
    fut_vfs_now(&d->root.time);
    fut_fs_init(&d->fs, &devfs_fs_ops, "devfs");
    d->fs.root = &d->root.vn;
    int rc = devfs_add_standard_devices(&d->fs);
    if (rc) {
        fut_fs_destroy(&d->fs);
        return rc;
    }
    *out = &d->fs;
    return 0;
}

int fut_devfs_register(const char *name, uint32_t mode, uint32_t major, uint32_t minor,
                       const struct fut_dev_ops *ops, void *priv)
{
    struct fut_vnode *dev;
    int rc = fut_vfs_lookup(NULL, "/dev", FUT_LOOKUP_FOLLOW, &dev);
    if (rc)
        return rc == -ENOENT ? -ENODEV : rc;
    struct fut_fs *fs = dev->fs;
    bool is_devfs = fs->ops == &devfs_fs_ops && dev == fs->root;
    fut_vnode_put(dev);
    return is_devfs ? fut_devfs_add(fs, name, mode, major, minor, ops, priv) : -ENODEV;
}
