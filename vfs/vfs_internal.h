/* Private to the VFS core (vnode.c, mount.c, namei.c, file.c, path_ops.c). */
#ifndef FUTURA_VFS_INTERNAL_H
#define FUTURA_VFS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/vfs/vfs.h"

/* The live-object counters behind fut_vfs_get_stats. */
extern struct fut_vfs_stats vfs_stats;

/* One mount: fs's root stacked on top of `covered`. */
struct fut_mount {
    struct fut_fs *fs;      /* owned: destroyed by umount */
    struct fut_vnode *root; /* fs->root, one reference */
    struct fut_vnode
        *covered; /* the directory underneath, one reference; NULL for the root mount */
    struct fut_mount *next; /* the mount made after this one (fut_vfs_mount_next) */
};

/*
 * Path walking. The unresolved rest of the path sits at the end of a
 * FUT_PATH_MAX buffer (buf + pos up to the NUL in its last byte), so a
 * symlink's target is spliced in front of it in place: the free space to
 * the left of pos is exactly what is left of the length limit.
 */
enum nd_last_type {
    ND_LAST_NONE,   /* the path named a directory with no final component ("/") */
    ND_LAST_DOT,    /* final component "." */
    ND_LAST_DOTDOT, /* final component ".." */
    ND_LAST_NORM,   /* final component is a name, in nd->last */
};

struct nameidata {
    char *buf;              /* FUT_PATH_MAX bytes from fut_kmalloc */
    size_t pos;             /* the rest of the path starts at buf + pos */
    struct fut_vnode *root; /* one reference (or NULL without a root mount) */
    struct fut_vnode *dir;  /* one reference: where the next component is looked up */
    unsigned int links;     /* symlinks followed so far */
    enum nd_last_type last_type;
    bool trailing_slash; /* the final component was followed by '/' */
    char last[FUT_NAME_MAX + 1];
};

/* Copies path in and picks the starting directory. On error, nd_finish
 * still has to be called. */
int nd_start(struct nameidata *nd, struct fut_vnode *cwd, const char *path);
/* Resolves every component but the last, following symlinks; afterwards
 * nd->dir is the directory holding the final component, described by
 * last_type/last/trailing_slash. */
int nd_walk_to_last(struct nameidata *nd);
/* Resolves the final component to a vnode (one reference); follows a final
 * symlink when `follow` or when a '/' trails it. */
int nd_resolve_last(struct nameidata *nd, bool follow, struct fut_vnode **out);
/* Replaces the final component by the target of `link` (a symlink found as
 * the final component) and walks to the new final component. */
int nd_follow_last(struct nameidata *nd, struct fut_vnode *link);
void nd_finish(struct nameidata *nd);

/* A name in dir without crossing mounts (the vnode underneath a mount). */
int vfs_lookup_raw(struct fut_vnode *dir, const char *name, struct fut_vnode **out);
/* Replaces *vn by the root of what is mounted on it, repeatedly. */
void vfs_cross_mounts(struct fut_vnode **vn);

/* Fills a stat buffer through the vnode's getattr. */
int vfs_getattr(struct fut_vnode *vn, struct fut_stat *st);
int vfs_setattr(struct fut_vnode *vn, const struct fut_setattr *attr);

#endif
