/*
 * The mount table. A mount stacks a filesystem's root on a directory: the
 * covered vnode points at its mount (covered_by) and the filesystem points
 * at its mount (fs->mount), which is all lookups need to cross in both
 * directions, so there is no list to search. The root mount covers nothing.
 */
#include "futura/errno.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/vfs.h"
#include "vfs_internal.h"

static struct fut_mount *root_mount;
/* Every mount in mount order, for fut_vfs_mount_next; lookups never use it. */
static struct fut_mount *mounts_head, *mounts_tail;

struct fut_vnode *fut_vfs_root(void)
{
    if (!root_mount)
        return NULL;
    fut_vnode_get(root_mount->root);
    return root_mount->root;
}

void vfs_cross_mounts(struct fut_vnode **vn)
{
    while ((*vn)->covered_by) {
        struct fut_vnode *top = (*vn)->covered_by->root;
        fut_vnode_get(top);
        fut_vnode_put(*vn);
        *vn = top;
    }
}

/* Takes the references a mount holds; `covered` (may be NULL) gains one. */
static int attach(struct fut_fs *fs, struct fut_vnode *covered, struct fut_mount **out)
{
    if (fs->mount || !fs->root)
        return -EBUSY;
    struct fut_mount *m = fut_kzalloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    m->fs = fs;
    m->root = fs->root;
    fut_vnode_get(m->root);
    m->covered = covered;
    if (covered) {
        fut_vnode_get(covered);
        covered->covered_by = m;
    }
    fs->mount = m;
    if (mounts_tail)
        mounts_tail->next = m;
    else
        mounts_head = m;
    mounts_tail = m;
    vfs_stats.mounts++;
    *out = m;
    return 0;
}

static void unlink_mount(struct fut_mount *m)
{
    struct fut_mount *prev = NULL;
    for (struct fut_mount *it = mounts_head; it != m; it = it->next)
        prev = it;
    if (prev)
        prev->next = m->next;
    else
        mounts_head = m->next;
    if (mounts_tail == m)
        mounts_tail = prev;
}

struct fut_fs *fut_vfs_mount_next(const struct fut_fs *fs)
{
    struct fut_mount *m = fs ? (fs->mount ? fs->mount->next : NULL) : mounts_head;
    return m ? m->fs : NULL;
}

int fut_vfs_mount_root(struct fut_fs *fs)
{
    if (root_mount)
        return -EBUSY;
    return attach(fs, NULL, &root_mount);
}

int fut_vfs_mount(struct fut_vnode *cwd, const char *path, struct fut_fs *fs)
{
    struct fut_vnode *dir;
    int rc = fut_vfs_lookup(cwd, path, FUT_LOOKUP_FOLLOW | FUT_LOOKUP_DIRECTORY, &dir);
    if (rc)
        return rc;
    struct fut_mount *m;
    if (root_mount && dir == root_mount->root)
        rc = -EBUSY; /* the root is replaced, not covered */
    else
        rc = attach(fs, dir, &m);
    fut_vnode_put(dir);
    return rc;
}

int fut_vfs_umount(struct fut_vnode *cwd, const char *path)
{
    struct fut_vnode *vn;
    int rc = fut_vfs_lookup(cwd, path, FUT_LOOKUP_FOLLOW, &vn);
    if (rc)
        return rc;
    struct fut_fs *fs = vn->fs;
    struct fut_mount *m = fs->mount;
    bool is_mount_root = m && vn == m->root;
    fut_vnode_put(vn);
    if (!is_mount_root)
        return -EINVAL;
    /* The mount's own reference on its root is the only one allowed; any
     * other is an open file, a cwd or a mount stacked on top. */
    if (fs->vnode_refs != 1)
        return -EBUSY;
    if (m->covered) {
        m->covered->covered_by = NULL;
        fut_vnode_put(m->covered);
    } else {
        root_mount = NULL;
    }
    fut_vnode_put(m->root);
    fs->mount = NULL;
    unlink_mount(m);
    fut_kfree(m);
    vfs_stats.mounts--;
    return fut_fs_destroy(fs);
}
