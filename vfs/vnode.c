/*
 * Vnode and filesystem-instance life cycle, the live-object counters, the
 * vnode as a mapping's backing object, and the timestamp clock.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/vfs/vnode.h"
#include "vfs_internal.h"

struct fut_vfs_stats vfs_stats;

/* Minor numbers for anonymous devices (major 0), one per instance. */
static uint32_t next_anon_minor = 1;

void fut_fs_init(struct fut_fs *fs, const struct fut_fs_ops *ops, const char *type)
{
    fs->ops = ops;
    fs->type = type;
    fs->root = NULL;
    fs->dev = fut_makedev(0, next_anon_minor++);
    fs->vnode_refs = 0;
    fs->mount = NULL;
    vfs_stats.filesystems++;
}

int fut_fs_destroy(struct fut_fs *fs)
{
    if (fs->mount || fs->vnode_refs)
        return -EBUSY;
    vfs_stats.filesystems--;
    fs->ops->destroy(fs);
    return 0;
}

void fut_vnode_init(struct fut_vnode *vn, struct fut_fs *fs, const struct fut_vnode_ops *ops,
                    uint32_t mode, uint64_t ino)
{
    vn->ops = ops;
    vn->fs = fs;
    vn->ino = ino;
    vn->mode = mode;
    vn->flags = 0;
    vn->refcount = 0;
    vn->covered_by = NULL;
    vfs_stats.live_vnodes++;
}

void fut_vnode_fini(struct fut_vnode *vn)
{
    (void)vn;
    vfs_stats.live_vnodes--;
}

void fut_vnode_get(struct fut_vnode *vn)
{
    vn->refcount++;
    vn->fs->vnode_refs++;
}

void fut_vnode_put(struct fut_vnode *vn)
{
    if (!vn)
        return;
    vn->fs->vnode_refs--;
    if (--vn->refcount == 0 && vn->ops->inactive)
        vn->ops->inactive(vn);
}

void fut_vfs_get_stats(struct fut_vfs_stats *out)
{
    *out = vfs_stats;
}

int vfs_getattr(struct fut_vnode *vn, struct fut_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = vn->fs->dev;
    st->st_ino = vn->ino;
    st->st_mode = vn->mode;
    st->st_nlink = 1;
    st->st_blksize = 4096;
    return vn->ops->getattr ? vn->ops->getattr(vn, st) : 0;
}

int vfs_setattr(struct fut_vnode *vn, const struct fut_setattr *attr)
{
    return vn->ops->setattr ? vn->ops->setattr(vn, attr) : -EPERM;
}

static void backing_get(void *obj)
{
    fut_vnode_get(obj);
}

static void backing_put(void *obj)
{
    fut_vnode_put(obj);
}

static int backing_get_page(void *obj, uint64_t offset, uint64_t *phys)
{
    struct fut_vnode *vn = obj;
    if (offset & (FUT_PAGE_SIZE - 1))
        return -EINVAL;
    if (!vn->ops->get_page)
        return -ENODEV;
    return vn->ops->get_page(vn, offset, phys);
}

const struct fut_mm_backing_ops fut_vnode_backing_ops = {
    .ref = {.get = backing_get, .put = backing_put},
    .get_page = backing_get_page,
};

static void (*clock_now)(struct fut_timespec *ts);
static uint64_t clock_ticks; /* nanoseconds handed out by the counting clock */

void fut_vfs_set_clock(void (*now)(struct fut_timespec *ts))
{
    clock_now = now;
}

void fut_vfs_now(struct fut_timespec *ts)
{
    if (clock_now) {
        clock_now(ts);
        return;
    }
    clock_ticks++;
    ts->tv_sec = (int64_t)(clock_ticks / 1000000000u);
    ts->tv_nsec = (int64_t)(clock_ticks % 1000000000u);
}
