/*
 * RamFS instances and nodes: creation, attributes, the life-cycle rule
 * (a node goes when it has no names and no references), symlinks, and the
 * teardown of a whole instance.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "ramfs_internal.h"

/* st_size of a directory: tmpfs's 20 bytes per entry, "." and ".." included. */
#define DIR_ENTRY_SIZE 20

void ramfs_touch(struct ramfs_node *n, unsigned int which)
{
    struct fut_timespec now;
    fut_vfs_now(&now);
    if (which & RAMFS_ATIME)
        n->atime = now;
    if (which & RAMFS_MTIME)
        n->mtime = now;
    if (which & RAMFS_CTIME)
        n->ctime = now;
}

struct ramfs_node *ramfs_node_alloc(struct fut_fs *fs, uint32_t mode)
{
    struct ramfs *rfs = (struct ramfs *)fs;
    const struct fut_vnode_ops *ops;
    if (FUT_S_ISDIR(mode))
        ops = &ramfs_dir_ops;
    else if (FUT_S_ISLNK(mode))
        ops = &ramfs_symlink_ops;
    else
        ops = &ramfs_file_ops;
    struct ramfs_node *n = fut_kzalloc(sizeof(*n));
    if (!n)
        return NULL;
    fut_vnode_init(&n->vn, fs, ops, mode, rfs->next_ino++);
    if (FUT_S_ISDIR(mode))
        n->dir.next_cookie = 2; /* 0 and 1 are "." and ".." */
    ramfs_touch(n, RAMFS_ATIME | RAMFS_MTIME | RAMFS_CTIME);
    return n;
}

void ramfs_node_free(struct ramfs_node *n)
{
    if (FUT_S_ISREG(n->vn.mode))
        ramfs_file_free_pages(n);
    else if (FUT_S_ISLNK(n->vn.mode))
        fut_kfree(n->link.target);
    fut_vnode_fini(&n->vn);
    fut_kfree(n);
}

void ramfs_node_release_if_unused(struct ramfs_node *n)
{
    if (n->nlink == 0 && n->vn.refcount == 0)
        ramfs_node_free(n);
}

void ramfs_inactive(struct fut_vnode *vn)
{
    ramfs_node_release_if_unused(ramfs_node(vn));
}

int ramfs_getattr(struct fut_vnode *vn, struct fut_stat *st)
{
    struct ramfs_node *n = ramfs_node(vn);
    st->st_nlink = n->nlink;
    st->st_uid = n->uid;
    st->st_gid = n->gid;
    if (FUT_S_ISREG(vn->mode)) {
        st->st_size = (int64_t)n->file.size;
        st->st_blocks = (int64_t)(n->file.nr_frames * (FUT_PAGE_SIZE / 512));
    } else if (FUT_S_ISLNK(vn->mode)) {
        st->st_size = (int64_t)n->link.len;
    } else if (FUT_S_ISDIR(vn->mode)) {
        st->st_size = (int64_t)((n->dir.nentries + 2) * DIR_ENTRY_SIZE);
    }
    st->st_atim = n->atime;
    st->st_mtim = n->mtime;
    st->st_ctim = n->ctime;
    return 0;
}

int ramfs_setattr(struct fut_vnode *vn, const struct fut_setattr *attr)
{
    struct ramfs_node *n = ramfs_node(vn);
    if (attr->mask & FUT_ATTR_MODE)
        vn->mode = (vn->mode & FUT_S_IFMT) | (attr->mode & FUT_S_IALLUGO);
    if (attr->mask & FUT_ATTR_UID)
        n->uid = attr->uid;
    if (attr->mask & FUT_ATTR_GID)
        n->gid = attr->gid;
    if (attr->mask & FUT_ATTR_ATIME)
        n->atime = attr->atime;
    if (attr->mask & FUT_ATTR_MTIME)
        n->mtime = attr->mtime;
    ramfs_touch(n, RAMFS_CTIME);
    return 0;
}

static int64_t ramfs_readlink(struct fut_vnode *vn, char *buf, size_t size)
{
    struct ramfs_node *n = ramfs_node(vn);
    memcpy(buf, n->link.target, n->link.len < size ? n->link.len : size);
    ramfs_touch(n, RAMFS_ATIME);
    return (int64_t)n->link.len;
}

const struct fut_vnode_ops ramfs_symlink_ops = {
    .readlink = ramfs_readlink,
    .getattr = ramfs_getattr,
    .setattr = ramfs_setattr,
    .inactive = ramfs_inactive,
};

/* Removes every name depth-first without recursion: descend through the
 * first entry while it is a non-empty directory, remove leaves, climb back
 * through the parent pointer once a directory is empty (its entry is then
 * the first of its parent's). Nothing is referenced any more (see
 * fut_fs_destroy), so every node goes with its last name. */
static void ramfs_destroy(struct fut_fs *fs)
{
    struct ramfs_node *root = ramfs_node(fs->root);
    struct ramfs_node *d = root;
    for (;;) {
        struct ramfs_dirent *e = d->dir.head;
        if (!e) {
            if (d == root)
                break;
            d = d->dir.parent;
            continue;
        }
        struct ramfs_node *child = e->node;
        if (FUT_S_ISDIR(child->vn.mode) && child->dir.head) {
            d = child;
            continue;
        }
        ramfs_dir_remove_entry(d, e);
        if (FUT_S_ISDIR(child->vn.mode)) {
            child->nlink = 0;
            child->dir.parent = NULL;
            d->nlink--;
        } else {
            child->nlink--;
        }
        ramfs_node_release_if_unused(child);
    }
    ramfs_node_free(root);
    fut_kfree(fs);
}

static const struct fut_fs_ops ramfs_fs_ops = {.destroy = ramfs_destroy};

int fut_ramfs_create(struct fut_fs **out)
{
    struct ramfs *rfs = fut_kzalloc(sizeof(*rfs));
    if (!rfs)
        return -ENOMEM;
    rfs->next_ino = 1;
    struct ramfs_node *root = ramfs_node_alloc(&rfs->fs, FUT_S_IFDIR | 0755);
    if (!root) {
        fut_kfree(rfs);
        return -ENOMEM;
    }
    root->nlink = 2;
    fut_fs_init(&rfs->fs, &ramfs_fs_ops, "ramfs");
    rfs->fs.root = &root->vn;
    *out = &rfs->fs;
    return 0;
}
