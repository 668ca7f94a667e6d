/*
 * The absolute path of a directory vnode, for getcwd: climb with "..", and in
 * each parent find the entry whose lookup yields the child (comparing vnodes,
 * so mount points resolve to what is mounted on them).
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/getpath.h"

#define DIRENT_BUF 2048

/* Finds the name of `child` in directory `parent`; copies it into name. */
static int name_in_parent(struct fut_vnode *parent, struct fut_vnode *child, char *name)
{
    struct fut_file *dir = NULL;
    int rc = fut_vfs_open_vnode(parent, FUT_O_RDONLY | FUT_O_DIRECTORY, &dir);
    if (rc)
        return rc;
    char *buf = fut_kmalloc(DIRENT_BUF);
    rc = buf ? -ENOENT : -ENOMEM;
    while (buf) {
        int64_t n = fut_vfs_getdents64(dir, buf, DIRENT_BUF);
        if (n <= 0) {
            if (n < 0)
                rc = (int)n;
            break;
        }
        for (int64_t off = 0; off < n;) {
            struct fut_linux_dirent64 *d = (struct fut_linux_dirent64 *)(buf + off);
            off += d->d_reclen;
            if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
                continue;
            struct fut_vnode *vn = NULL;
            if (fut_vfs_lookup(parent, d->d_name, 0, &vn))
                continue;
            bool match = vn == child;
            fut_vnode_put(vn);
            if (match) {
                fut_strlcpy(name, d->d_name, FUT_NAME_MAX + 1);
                rc = 0;
                goto out;
            }
        }
    }
out:
    fut_kfree(buf);
    fut_vfs_close(dir);
    return rc;
}

int64_t fut_vfs_getpath(struct fut_vnode *dir, char *buf, size_t size)
{
    struct fut_vnode *root = fut_vfs_root();
    char name[FUT_NAME_MAX + 1];
    size_t pos = size; /* the path is built backwards from the end of buf */
    int rc = 0;
    if (size < 2) {
        fut_vnode_put(root);
        return -ERANGE;
    }
    buf[--pos] = '\0';
    struct fut_vnode *cur = dir;
    fut_vnode_get(cur);
    while (cur != root) {
        struct fut_vnode *parent = NULL;
        rc = fut_vfs_lookup(cur, "..", 0, &parent);
        if (rc)
            break;
        if (parent == cur) { /* a detached directory: no way up */
            fut_vnode_put(parent);
            rc = -ENOENT;
            break;
        }
        rc = name_in_parent(parent, cur, name);
        fut_vnode_put(cur);
        cur = parent;
        if (rc)
            break;
        size_t len = strlen(name);
        if (len + 1 > pos) {
            rc = -ENAMETOOLONG;
            break;
        }
        pos -= len;
        memcpy(buf + pos, name, len);
        buf[--pos] = '/';
    }
    fut_vnode_put(cur);
    fut_vnode_put(root);
    if (rc)
        return rc;
    if (pos == size - 1) /* the root itself */
        buf[--pos] = '/';
    size_t len = size - 1 - pos;
    memmove(buf, buf + pos, len + 1);
    return (int64_t)len;
}
