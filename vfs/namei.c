/*
 * Path resolution: from a path string to a vnode, one component at a time,
 * crossing mounts and following symlinks. See vfs_internal.h for the
 * nameidata buffer and vfs.h for the rules.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/vfs.h"
#include "vfs_internal.h"

/* The rest of the path always ends at the buffer's last byte. */
#define REST_END (FUT_PATH_MAX - 1)

int nd_start(struct nameidata *nd, struct fut_vnode *cwd, const char *path)
{
    nd->buf = NULL;
    nd->pos = REST_END;
    nd->root = fut_vfs_root();
    nd->dir = NULL;
    nd->links = 0;
    nd->last_type = ND_LAST_NONE;
    nd->trailing_slash = false;
    nd->last[0] = '\0';
    if (!path)
        return -EFAULT;
    size_t len = strnlen(path, FUT_PATH_MAX);
    if (len == 0)
        return -ENOENT;
    if (len >= FUT_PATH_MAX)
        return -ENAMETOOLONG;
    nd->buf = fut_kmalloc(FUT_PATH_MAX);
    if (!nd->buf)
        return -ENOMEM;
    nd->pos = REST_END - len;
    memcpy(nd->buf + nd->pos, path, len);
    nd->buf[REST_END] = '\0';

    struct fut_vnode *start = (path[0] == '/' || !cwd) ? nd->root : cwd;
    if (!start)
        return -ENOENT;
    if (!FUT_S_ISDIR(start->mode))
        return -ENOTDIR;
    fut_vnode_get(start);
    nd->dir = start;
    return 0;
}

void nd_finish(struct nameidata *nd)
{
    fut_vnode_put(nd->dir);
    fut_vnode_put(nd->root);
    fut_kfree(nd->buf);
    nd->dir = nd->root = NULL;
    nd->buf = NULL;
}

int vfs_lookup_raw(struct fut_vnode *dir, const char *name, struct fut_vnode **out)
{
    if (!FUT_S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (!dir->ops->lookup)
        return -ENOENT;
    return dir->ops->lookup(dir, name, out);
}

/* ".." from nd->dir: at the root stay; at a mount's root first step down to
 * the directory it covers (repeatedly, for stacked mounts), then ask that
 * filesystem; land on top of whatever is mounted on the result. */
static int step_dotdot(struct nameidata *nd, struct fut_vnode **out)
{
    struct fut_vnode *d = nd->dir;
    for (;;) {
        if (d == nd->root) {
            fut_vnode_get(d);
            *out = d;
            return 0;
        }
        struct fut_mount *m = d->fs->mount;
        if (d != d->fs->root || !m || !m->covered)
            break;
        d = m->covered;
    }
    int rc = vfs_lookup_raw(d, "..", out);
    if (rc == 0)
        vfs_cross_mounts(out);
    return rc;
}

/* The vnode for nd's current component, seen from nd->dir, with a reference. */
static int step(struct nameidata *nd, struct fut_vnode **out)
{
    switch (nd->last_type) {
    case ND_LAST_NONE:
    case ND_LAST_DOT:
        fut_vnode_get(nd->dir);
        *out = nd->dir;
        return 0;
    case ND_LAST_DOTDOT: return step_dotdot(nd, out);
    case ND_LAST_NORM: break;
    }
    int rc = vfs_lookup_raw(nd->dir, nd->last, out);
    if (rc == 0)
        vfs_cross_mounts(out);
    return rc;
}

/* Splices the target of `link` in front of the rest of the path; an
 * absolute target restarts at the root. The rest is empty or starts with
 * '/', so target + rest is the path to continue with. */
static int splice_link(struct nameidata *nd, struct fut_vnode *link)
{
    if (nd->links++ >= FUT_SYMLOOP_MAX)
        return -ELOOP;
    if (!link->ops->readlink)
        return -EINVAL;
    int64_t len = link->ops->readlink(link, nd->buf, nd->pos);
    if (len < 0)
        return (int)len;
    if (len == 0)
        return -ENOENT;
    if ((uint64_t)len > nd->pos)
        return -ENAMETOOLONG;
    memmove(nd->buf + nd->pos - len, nd->buf, (size_t)len);
    nd->pos -= (size_t)len;
    if (nd->buf[nd->pos] == '/') {
        if (!nd->root)
            return -ENOENT;
        fut_vnode_get(nd->root);
        fut_vnode_put(nd->dir);
        nd->dir = nd->root;
    }
    return 0;
}

/* Takes the next component off the rest into nd->last. Returns 1 if it is
 * the final one, 0 if more follow, -ENAMETOOLONG, or 2 if the rest holds no
 * component at all (only slashes). */
static int next_component(struct nameidata *nd)
{
    const char *p = nd->buf + nd->pos;
    size_t i = 0;
    while (p[i] == '/')
        i++;
    if (p[i] == '\0') {
        nd->pos += i;
        nd->last_type = ND_LAST_NONE;
        nd->trailing_slash = false;
        return 2;
    }
    size_t start = i;
    while (p[i] != '\0' && p[i] != '/')
        i++;
    size_t len = i - start;
    if (len > FUT_NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(nd->last, p + start, len);
    nd->last[len] = '\0';
    if (len == 1 && p[start] == '.')
        nd->last_type = ND_LAST_DOT;
    else if (len == 2 && p[start] == '.' && p[start + 1] == '.')
        nd->last_type = ND_LAST_DOTDOT;
    else
        nd->last_type = ND_LAST_NORM;
    size_t j = i;
    while (p[j] == '/')
        j++;
    /* Leave the slashes after the component in the rest: a symlink spliced
     * in front of them then keeps the trailing-slash rule. */
    nd->pos += i;
    nd->trailing_slash = p[j] == '\0' && j > i;
    return p[j] == '\0' ? 1 : 0;
}

int nd_walk_to_last(struct nameidata *nd)
{
    for (;;) {
        int rc = next_component(nd);
        if (rc < 0)
            return rc;
        if (rc > 0)
            return 0;
        struct fut_vnode *child;
        rc = step(nd, &child);
        if (rc)
            return rc;
        if (FUT_S_ISLNK(child->mode)) {
            rc = splice_link(nd, child);
            fut_vnode_put(child);
            if (rc)
                return rc;
            continue;
        }
        if (!FUT_S_ISDIR(child->mode)) {
            fut_vnode_put(child);
            return -ENOTDIR;
        }
        fut_vnode_put(nd->dir);
        nd->dir = child;
    }
}

int nd_follow_last(struct nameidata *nd, struct fut_vnode *link)
{
    int rc = splice_link(nd, link);
    return rc ? rc : nd_walk_to_last(nd);
}

int nd_resolve_last(struct nameidata *nd, bool follow, struct fut_vnode **out)
{
    for (;;) {
        struct fut_vnode *vn;
        int rc = step(nd, &vn);
        if (rc)
            return rc;
        if (FUT_S_ISLNK(vn->mode) && (follow || nd->trailing_slash)) {
            rc = nd_follow_last(nd, vn);
            fut_vnode_put(vn);
            if (rc)
                return rc;
            continue;
        }
        if (nd->trailing_slash && !FUT_S_ISDIR(vn->mode)) {
            fut_vnode_put(vn);
            return -ENOTDIR;
        }
        *out = vn;
        return 0;
    }
}

int fut_vfs_lookup(struct fut_vnode *cwd, const char *path, uint32_t flags, struct fut_vnode **out)
{
    struct nameidata nd;
    struct fut_vnode *vn = NULL;
    int rc = nd_start(&nd, cwd, path);
    if (rc == 0)
        rc = nd_walk_to_last(&nd);
    if (rc == 0)
        rc = nd_resolve_last(&nd, flags & FUT_LOOKUP_FOLLOW, &vn);
    nd_finish(&nd);
    if (rc)
        return rc;
    if ((flags & FUT_LOOKUP_DIRECTORY) && !FUT_S_ISDIR(vn->mode)) {
        fut_vnode_put(vn);
        return -ENOTDIR;
    }
    *out = vn;
    return 0;
}
