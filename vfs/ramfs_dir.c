/*
 * RamFS directories: a doubly linked list of entries in cookie order.
 *
 * readdir(cookie) returns the first entry whose cookie is at least the one
 * asked for and says to continue at its cookie + 1. New entries get ever
 * larger cookies and removed entries simply vanish from the list, so a
 * listing in progress never skips or repeats an entry that stays, whatever
 * is unlinked or created meanwhile. Lookups and readdir are O(entries).
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "ramfs_internal.h"

/* Largest link count; link(2) beyond it is -EMLINK. */
#define RAMFS_LINK_MAX 65000u

static struct ramfs_dirent *find_entry(struct ramfs_node *dir, const char *name)
{
    size_t len = strlen(name);
    for (struct ramfs_dirent *e = dir->dir.head; e; e = e->next) {
        if (e->namelen == len && memcmp(e->name, name, len) == 0)
            return e;
    }
    return NULL;
}

/* Removed directories (nlink 0) take no new names. */
static bool dir_alive(const struct ramfs_node *dir)
{
    return dir->nlink > 0;
}

static int add_entry(struct ramfs_node *dir, const char *name, struct ramfs_node *node)
{
    size_t len = strlen(name);
    struct ramfs_dirent *e = fut_kmalloc(sizeof(*e) + len + 1);
    if (!e)
        return -ENOMEM;
    e->node = node;
    e->cookie = dir->dir.next_cookie++;
    e->namelen = (uint16_t)len;
    memcpy(e->name, name, len + 1);
    e->next = NULL;
    e->prev = dir->dir.tail;
    if (dir->dir.tail)
        dir->dir.tail->next = e;
    else
        dir->dir.head = e;
    dir->dir.tail = e;
    dir->dir.nentries++;
    ramfs_touch(dir, RAMFS_MTIME | RAMFS_CTIME);
    return 0;
}

void ramfs_dir_remove_entry(struct ramfs_node *dir, struct ramfs_dirent *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        dir->dir.head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        dir->dir.tail = e->prev;
    dir->dir.nentries--;
    fut_kfree(e);
    ramfs_touch(dir, RAMFS_MTIME | RAMFS_CTIME);
}

static int ramfs_lookup(struct fut_vnode *dirv, const char *name, struct fut_vnode **out)
{
    struct ramfs_node *dir = ramfs_node(dirv);
    struct ramfs_node *target;
    if (strcmp(name, "..") == 0) {
        if (dirv == dirv->fs->root)
            target = dir;
        else if (!dir->dir.parent)
            return -ENOENT; /* removed */
        else
            target = dir->dir.parent;
    } else {
        struct ramfs_dirent *e = find_entry(dir, name);
        if (!e)
            return -ENOENT;
        target = e->node;
    }
    fut_vnode_get(&target->vn);
    *out = &target->vn;
    return 0;
}

/* A new node named `name` in dir with no references; its link count is
 * the caller's to set. */
static int new_child(struct ramfs_node *dir, const char *name, uint32_t mode,
                     struct ramfs_node **out)
{
    if (!dir_alive(dir))
        return -ENOENT;
    if (find_entry(dir, name))
        return -EEXIST;
    struct ramfs_node *n = ramfs_node_alloc(dir->vn.fs, mode);
    if (!n)
        return -ENOMEM;
    int rc = add_entry(dir, name, n);
    if (rc) {
        ramfs_node_free(n);
        return rc;
    }
    *out = n;
    return 0;
}

static int ramfs_create(struct fut_vnode *dirv, const char *name, uint32_t mode,
                        struct fut_vnode **out)
{
    struct ramfs_node *n;
    int rc = new_child(ramfs_node(dirv), name, FUT_S_IFREG | (mode & FUT_S_IALLUGO), &n);
    if (rc)
        return rc;
    n->nlink = 1;
    fut_vnode_get(&n->vn);
    *out = &n->vn;
    return 0;
}

static int ramfs_mkdir(struct fut_vnode *dirv, const char *name, uint32_t mode)
{
    struct ramfs_node *dir = ramfs_node(dirv), *n;
    int rc = new_child(dir, name, FUT_S_IFDIR | (mode & FUT_S_IALLUGO), &n);
    if (rc)
        return rc;
    n->nlink = 2; /* its entry and its "." */
    n->dir.parent = dir;
    dir->nlink++; /* the new ".." */
    return 0;
}

static int ramfs_symlink(struct fut_vnode *dirv, const char *name, const char *target)
{
    size_t len = strlen(target);
    char *copy = fut_kmalloc(len + 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, target, len + 1);
    struct ramfs_node *n;
    int rc = new_child(ramfs_node(dirv), name, FUT_S_IFLNK | 0777, &n);
    if (rc) {
        fut_kfree(copy);
        return rc;
    }
    n->link.target = copy;
    n->link.len = len;
    n->nlink = 1;
    return 0;
}

static int ramfs_link(struct fut_vnode *dirv, const char *name, struct fut_vnode *targetv)
{
    struct ramfs_node *dir = ramfs_node(dirv), *t = ramfs_node(targetv);
    if (!dir_alive(dir))
        return -ENOENT;
    if (find_entry(dir, name))
        return -EEXIST;
    if (t->nlink == 0)
        return -ENOENT; /* unlinked but still open: no new names */
    if (t->nlink >= RAMFS_LINK_MAX)
        return -EMLINK;
    int rc = add_entry(dir, name, t);
    if (rc)
        return rc;
    t->nlink++;
    ramfs_touch(t, RAMFS_CTIME);
    return 0;
}

static int ramfs_unlink(struct fut_vnode *dirv, const char *name)
{
    struct ramfs_node *dir = ramfs_node(dirv);
    struct ramfs_dirent *e = find_entry(dir, name);
    if (!e)
        return -ENOENT;
    struct ramfs_node *n = e->node;
    if (FUT_S_ISDIR(n->vn.mode))
        return -EISDIR;
    ramfs_dir_remove_entry(dir, e);
    n->nlink--;
    ramfs_touch(n, RAMFS_CTIME);
    ramfs_node_release_if_unused(n);
    return 0;
}

/* Takes a directory out of the tree: no names, no parent ("..": -ENOENT). */
static void detach_dir(struct ramfs_node *parent, struct ramfs_node *n)
{
    n->nlink = 0;
    n->dir.parent = NULL;
    parent->nlink--;
    ramfs_touch(n, RAMFS_CTIME);
}

static int ramfs_rmdir(struct fut_vnode *dirv, const char *name)
{
    struct ramfs_node *dir = ramfs_node(dirv);
    struct ramfs_dirent *e = find_entry(dir, name);
    if (!e)
        return -ENOENT;
    struct ramfs_node *n = e->node;
    if (!FUT_S_ISDIR(n->vn.mode))
        return -ENOTDIR;
    if (n->dir.nentries)
        return -ENOTEMPTY;
    ramfs_dir_remove_entry(dir, e);
    detach_dir(dir, n);
    ramfs_node_release_if_unused(n);
    return 0;
}

/* Whether src may replace dst (rename(2)'s type rules). */
static int check_replace(struct ramfs_node *src, struct ramfs_node *dst)
{
    if (FUT_S_ISDIR(src->vn.mode)) {
        if (!FUT_S_ISDIR(dst->vn.mode))
            return -ENOTDIR;
        if (dst->dir.nentries)
            return -ENOTEMPTY;
    } else if (FUT_S_ISDIR(dst->vn.mode)) {
        return -EISDIR;
    }
    return 0;
}

static int ramfs_rename(struct fut_vnode *olddirv, const char *oldname, struct fut_vnode *newdirv,
                        const char *newname)
{
    struct ramfs_node *od = ramfs_node(olddirv), *nd = ramfs_node(newdirv);
    struct ramfs_dirent *oe = find_entry(od, oldname);
    if (!oe)
        return -ENOENT;
    if (!dir_alive(nd))
        return -ENOENT;
    struct ramfs_node *src = oe->node, *dst = NULL;
    struct ramfs_dirent *ne = find_entry(nd, newname);
    if (ne) {
        dst = ne->node;
        if (dst == src)
            return 0;
        int rc = check_replace(src, dst);
        if (rc)
            return rc;
        /* The target's entry now names src (it keeps its cookie). */
        ne->node = src;
        ramfs_touch(nd, RAMFS_MTIME | RAMFS_CTIME);
        if (FUT_S_ISDIR(dst->vn.mode)) {
            detach_dir(nd, dst);
        } else {
            dst->nlink--;
            ramfs_touch(dst, RAMFS_CTIME);
        }
    } else {
        int rc = add_entry(nd, newname, src);
        if (rc)
            return rc;
    }
    ramfs_dir_remove_entry(od, oe);
    if (FUT_S_ISDIR(src->vn.mode) && od != nd) {
        od->nlink--;
        nd->nlink++;
        src->dir.parent = nd;
    }
    ramfs_touch(src, RAMFS_CTIME);
    if (dst)
        ramfs_node_release_if_unused(dst);
    return 0;
}

static void fill_dirent(struct fut_dirent *out, const struct ramfs_node *n, const char *name,
                        size_t len, uint64_t next)
{
    out->ino = n->vn.ino;
    out->next = next;
    out->type = fut_mode_to_dtype(n->vn.mode);
    out->namelen = (uint16_t)len;
    memcpy(out->name, name, len);
    out->name[len] = '\0';
}

static int ramfs_readdir(struct fut_vnode *dirv, uint64_t cookie, struct fut_dirent *out)
{
    struct ramfs_node *dir = ramfs_node(dirv);
    if (cookie == 0) {
        fill_dirent(out, dir, ".", 1, 1);
        return 1;
    }
    if (cookie == 1) {
        const struct ramfs_node *parent = dir->dir.parent ? dir->dir.parent : dir;
        fill_dirent(out, parent, "..", 2, 2);
        return 1;
    }
    for (const struct ramfs_dirent *e = dir->dir.head; e; e = e->next) {
        if (e->cookie >= cookie) {
            fill_dirent(out, e->node, e->name, e->namelen, e->cookie + 1);
            return 1;
        }
    }
    return 0;
}

const struct fut_vnode_ops ramfs_dir_ops = {
    .lookup = ramfs_lookup,
    .create = ramfs_create,
    .mkdir = ramfs_mkdir,
    .symlink = ramfs_symlink,
    .link = ramfs_link,
    .unlink = ramfs_unlink,
    .rmdir = ramfs_rmdir,
    .rename = ramfs_rename,
    .readdir = ramfs_readdir,
    .getattr = ramfs_getattr,
    .setattr = ramfs_setattr,
    .inactive = ramfs_inactive,
};
