/*
 * Operations on paths that are not open: stat, mkdir, unlink, rmdir,
 * rename, symlink, readlink, link, truncate, chmod, chown, utimens, access.
 * Each walks to the final component (nameidata), applies the POSIX rules
 * about ".", "..", trailing slashes and mount points, and hands the rest to
 * the directory's vnode ops.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/vfs/vfs.h"
#include "vfs_internal.h"

static int walk_parent(struct nameidata *nd, struct fut_vnode *cwd, const char *path)
{
    int rc = nd_start(nd, cwd, path);
    return rc ? rc : nd_walk_to_last(nd);
}

/* What a filesystem without the op says: the name exists (-EEXIST for
 * creations, -EPERM for removals) or it does not (-EPERM, -ENOENT). */
static int unsupported(struct fut_vnode *dir, const char *name, bool creating)
{
    struct fut_vnode *vn;
    int rc = vfs_lookup_raw(dir, name, &vn);
    if (rc == 0) {
        fut_vnode_put(vn);
        return creating ? -EEXIST : -EPERM;
    }
    return creating ? -EPERM : rc;
}

/* Creations (symlink, link) refuse a trailing slash: -EEXIST if the name
 * exists, else -ENOENT (what Linux reports). */
static int trailing_slash_on_create(struct nameidata *nd)
{
    struct fut_vnode *vn;
    if (vfs_lookup_raw(nd->dir, nd->last, &vn) == 0) {
        fut_vnode_put(vn);
        return -EEXIST;
    }
    return -ENOENT;
}

static int stat_path(struct fut_vnode *cwd, const char *path, uint32_t lookup_flags,
                     struct fut_stat *st)
{
    struct fut_vnode *vn;
    int rc = fut_vfs_lookup(cwd, path, lookup_flags, &vn);
    if (rc)
        return rc;
    rc = vfs_getattr(vn, st);
    fut_vnode_put(vn);
    return rc;
}

int fut_vfs_stat(struct fut_vnode *cwd, const char *path, struct fut_stat *st)
{
    return stat_path(cwd, path, FUT_LOOKUP_FOLLOW, st);
}

int fut_vfs_lstat(struct fut_vnode *cwd, const char *path, struct fut_stat *st)
{
    return stat_path(cwd, path, 0, st);
}

int fut_vfs_mkdir(struct fut_vnode *cwd, const char *path, uint32_t mode)
{
    struct nameidata nd;
    int rc = walk_parent(&nd, cwd, path);
    if (rc == 0) {
        if (nd.last_type != ND_LAST_NORM)
            rc = -EEXIST;
        else if (!nd.dir->ops->mkdir)
            rc = unsupported(nd.dir, nd.last, true);
        else
            rc = nd.dir->ops->mkdir(nd.dir, nd.last, mode & FUT_S_IALLUGO);
    }
    nd_finish(&nd);
    return rc;
}

static int unlink_last(struct nameidata *nd)
{
    if (nd->last_type != ND_LAST_NORM)
        return -EISDIR;
    if (nd->trailing_slash) {
        /* "name/" names a directory, which unlink refuses either way. */
        struct fut_vnode *vn;
        int rc = vfs_lookup_raw(nd->dir, nd->last, &vn);
        if (rc)
            return rc;
        rc = FUT_S_ISDIR(vn->mode) ? -EISDIR : -ENOTDIR;
        fut_vnode_put(vn);
        return rc;
    }
    if (!nd->dir->ops->unlink)
        return unsupported(nd->dir, nd->last, false);
    return nd->dir->ops->unlink(nd->dir, nd->last);
}

int fut_vfs_unlink(struct fut_vnode *cwd, const char *path)
{
    struct nameidata nd;
    int rc = walk_parent(&nd, cwd, path);
    if (rc == 0)
        rc = unlink_last(&nd);
    nd_finish(&nd);
    return rc;
}

static int rmdir_last(struct nameidata *nd)
{
    switch (nd->last_type) {
    case ND_LAST_NONE: return -EBUSY;
    case ND_LAST_DOT: return -EINVAL;
    case ND_LAST_DOTDOT: return -ENOTEMPTY;
    case ND_LAST_NORM: break;
    }
    struct fut_vnode *vn;
    int rc = vfs_lookup_raw(nd->dir, nd->last, &vn);
    if (rc)
        return rc;
    if (!FUT_S_ISDIR(vn->mode))
        rc = -ENOTDIR;
    else if (vn->covered_by)
        rc = -EBUSY;
    fut_vnode_put(vn);
    if (rc)
        return rc;
    if (!nd->dir->ops->rmdir)
        return -EPERM;
    return nd->dir->ops->rmdir(nd->dir, nd->last);
}

int fut_vfs_rmdir(struct fut_vnode *cwd, const char *path)
{
    struct nameidata nd;
    int rc = walk_parent(&nd, cwd, path);
    if (rc == 0)
        rc = rmdir_last(&nd);
    nd_finish(&nd);
    return rc;
}

/* Whether `anc` is d itself or one of d's ancestors inside d's filesystem. */
static bool is_self_or_ancestor(struct fut_vnode *anc, struct fut_vnode *d)
{
    bool found = false;
    struct fut_vnode *p = d;
    fut_vnode_get(p);
    for (;;) {
        if (p == anc) {
            found = true;
            break;
        }
        struct fut_vnode *up;
        if (p == p->fs->root || vfs_lookup_raw(p, "..", &up) != 0)
            break;
        fut_vnode_put(p);
        p = up;
    }
    fut_vnode_put(p);
    return found;
}

static int rename_last(struct nameidata *on, struct nameidata *nn)
{
    struct fut_vnode *olddir = on->dir, *newdir = nn->dir;
    struct fut_vnode *src = NULL, *dst = NULL;
    if (on->last_type != ND_LAST_NORM || nn->last_type != ND_LAST_NORM)
        return -EBUSY;
    if (olddir->fs != newdir->fs)
        return -EXDEV;
    int rc = vfs_lookup_raw(olddir, on->last, &src);
    if (rc)
        return rc;
    rc = vfs_lookup_raw(newdir, nn->last, &dst);
    if (rc == -ENOENT) {
        dst = NULL;
        rc = 0;
    }
    if (rc)
        goto out;
    if (!FUT_S_ISDIR(src->mode) && (on->trailing_slash || nn->trailing_slash))
        rc = -ENOTDIR;
    else if (src->covered_by || (dst && dst->covered_by))
        rc = -EBUSY;
    else if (src == dst)
        rc = 0; /* two names of one file: nothing to do */
    else if (FUT_S_ISDIR(src->mode) && is_self_or_ancestor(src, newdir))
        rc = -EINVAL;
    else if (!olddir->ops->rename)
        rc = -EPERM;
    else
        rc = olddir->ops->rename(olddir, on->last, newdir, nn->last);
out:
    fut_vnode_put(src);
    fut_vnode_put(dst);
    return rc;
}

int fut_vfs_rename(struct fut_vnode *oldcwd, const char *oldpath, struct fut_vnode *newcwd,
                   const char *newpath)
{
    struct nameidata on, nn;
    int rc = walk_parent(&on, oldcwd, oldpath);
    int rc_new = walk_parent(&nn, newcwd, newpath);
    if (rc == 0)
        rc = rc_new;
    if (rc == 0)
        rc = rename_last(&on, &nn);
    nd_finish(&nn);
    nd_finish(&on);
    return rc;
}

static int symlink_last(struct nameidata *nd, const char *target)
{
    if (nd->last_type != ND_LAST_NORM)
        return -EEXIST;
    if (nd->trailing_slash)
        return trailing_slash_on_create(nd);
    if (!nd->dir->ops->symlink)
        return unsupported(nd->dir, nd->last, true);
    return nd->dir->ops->symlink(nd->dir, nd->last, target);
}

int fut_vfs_symlink(const char *target, struct fut_vnode *cwd, const char *linkpath)
{
    if (!target)
        return -EFAULT;
    size_t len = strnlen(target, FUT_PATH_MAX);
    if (len == 0)
        return -ENOENT;
    if (len >= FUT_PATH_MAX)
        return -ENAMETOOLONG;
    struct nameidata nd;
    int rc = walk_parent(&nd, cwd, linkpath);
    if (rc == 0)
        rc = symlink_last(&nd, target);
    nd_finish(&nd);
    return rc;
}

int64_t fut_vfs_readlink(struct fut_vnode *cwd, const char *path, char *buf, size_t size)
{
    struct fut_vnode *vn;
    int rc = fut_vfs_lookup(cwd, path, 0, &vn);
    if (rc)
        return rc;
    int64_t len;
    if (!FUT_S_ISLNK(vn->mode) || !vn->ops->readlink || size == 0)
        len = -EINVAL;
    else
        len = vn->ops->readlink(vn, buf, size);
    fut_vnode_put(vn);
    if (len > 0 && (uint64_t)len > size)
        len = (int64_t)size;
    return len;
}

static int link_last(struct nameidata *nd, struct fut_vnode *target)
{
    if (nd->last_type != ND_LAST_NORM)
        return -EEXIST;
    if (nd->trailing_slash)
        return trailing_slash_on_create(nd);
    if (nd->dir->fs != target->fs)
        return -EXDEV;
    if (!nd->dir->ops->link)
        return unsupported(nd->dir, nd->last, true);
    return nd->dir->ops->link(nd->dir, nd->last, target);
}

int fut_vfs_link(struct fut_vnode *oldcwd, const char *oldpath, struct fut_vnode *newcwd,
                 const char *newpath, uint32_t flags)
{
    struct fut_vnode *target;
    uint32_t follow = (flags & FUT_AT_SYMLINK_FOLLOW) ? FUT_LOOKUP_FOLLOW : 0;
    int rc = fut_vfs_lookup(oldcwd, oldpath, follow, &target);
    if (rc)
        return rc;
    if (FUT_S_ISDIR(target->mode)) {
        fut_vnode_put(target);
        return -EPERM;
    }
    struct nameidata nd;
    rc = walk_parent(&nd, newcwd, newpath);
    if (rc == 0)
        rc = link_last(&nd, target);
    nd_finish(&nd);
    fut_vnode_put(target);
    return rc;
}

int fut_vfs_truncate(struct fut_vnode *cwd, const char *path, int64_t length)
{
    if (length < 0)
        return -EINVAL;
    struct fut_vnode *vn;
    int rc = fut_vfs_lookup(cwd, path, FUT_LOOKUP_FOLLOW, &vn);
    if (rc)
        return rc;
    if (FUT_S_ISDIR(vn->mode))
        rc = -EISDIR;
    else if (!FUT_S_ISREG(vn->mode) || !vn->ops->truncate)
        rc = -EINVAL;
    else
        rc = vn->ops->truncate(vn, (uint64_t)length);
    fut_vnode_put(vn);
    return rc;
}

static int setattr_path(struct fut_vnode *cwd, const char *path, uint32_t lookup_flags,
                        const struct fut_setattr *attr)
{
    struct fut_vnode *vn;
    int rc = fut_vfs_lookup(cwd, path, lookup_flags, &vn);
    if (rc)
        return rc;
    rc = vfs_setattr(vn, attr);
    fut_vnode_put(vn);
    return rc;
}

int fut_vfs_chmod(struct fut_vnode *cwd, const char *path, uint32_t mode)
{
    struct fut_setattr attr = {.mask = FUT_ATTR_MODE, .mode = mode & FUT_S_IALLUGO};
    return setattr_path(cwd, path, FUT_LOOKUP_FOLLOW, &attr);
}

int fut_vfs_chown(struct fut_vnode *cwd, const char *path, uint32_t uid, uint32_t gid,
                  uint32_t flags)
{
    struct fut_setattr attr = {.uid = uid, .gid = gid};
    if (uid != (uint32_t)-1)
        attr.mask |= FUT_ATTR_UID;
    if (gid != (uint32_t)-1)
        attr.mask |= FUT_ATTR_GID;
    uint32_t follow = (flags & FUT_AT_SYMLINK_NOFOLLOW) ? 0 : FUT_LOOKUP_FOLLOW;
    return setattr_path(cwd, path, follow, &attr);
}

int fut_vfs_utimens(struct fut_vnode *cwd, const char *path, const struct fut_timespec times[2])
{
    for (int i = 0; i < 2; i++) {
        if (times[i].tv_nsec < 0 || times[i].tv_nsec >= 1000000000)
            return -EINVAL;
    }
    struct fut_setattr attr = {
        .mask = FUT_ATTR_ATIME | FUT_ATTR_MTIME,
        .atime = times[0],
        .mtime = times[1],
    };
    return setattr_path(cwd, path, FUT_LOOKUP_FOLLOW, &attr);
}

int fut_vfs_access(struct fut_vnode *cwd, const char *path, int amode)
{
    if (amode & ~(FUT_R_OK | FUT_W_OK | FUT_X_OK))
        return -EINVAL;
    struct fut_vnode *vn;
    int rc = fut_vfs_lookup(cwd, path, FUT_LOOKUP_FOLLOW, &vn);
    if (rc)
        return rc;
    /* Root may do anything, except run a file nobody may run. */
    if ((amode & FUT_X_OK) && !FUT_S_ISDIR(vn->mode) && !(vn->mode & 0111))
        rc = -EACCES;
    fut_vnode_put(vn);
    return rc;
}
