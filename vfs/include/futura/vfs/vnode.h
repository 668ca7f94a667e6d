/*
 * Vnodes and filesystem instances: what a filesystem implements and what the
 * VFS core (path lookup, open files, the mount table) holds on to.
 *
 * A vnode is one file, directory, symlink or device of one filesystem
 * instance (struct fut_fs). The filesystem embeds it as the first member of
 * its own node, fills it with fut_vnode_init() and owns its memory.
 *
 * Two counts keep a vnode alive, and they are different things:
 *   - refcount (here): in-memory references - open files, mounts, the root,
 *     a lookup in progress, a backing-object reference from a VMA. Taken with
 *     fut_vnode_get(), dropped with fut_vnode_put(). When it reaches zero the
 *     VFS calls ops->inactive and the filesystem decides whether to free.
 *   - links (the filesystem's own count, st_nlink): names in directories.
 * RamFS frees a node when both are zero, so an unlinked file stays readable
 * while open and a linked file lives on with no one holding it.
 *
 * Every op that hands back a vnode (lookup, create) returns it with one
 * reference taken for the caller. Names passed to directory ops are one
 * NUL-terminated component of 1..FUT_NAME_MAX bytes without '/', never "."
 * and never ".." except for lookup, which resolves ".." inside the
 * filesystem (the VFS handles mount boundaries first). Ops the filesystem
 * does not support are NULL; the VFS then returns the errno documented in
 * vfs.h (mostly -EPERM for namespace changes, -EINVAL for data).
 *
 * Locking: none yet. The kernel runs the VFS on one CPU without preemption
 * inside it; a per-fs lock around every op comes with SMP.
 */
#ifndef FUTURA_VFS_VNODE_H
#define FUTURA_VFS_VNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/memory/mm.h"
#include "futura/vfs/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fut_vnode;
struct fut_fs;
struct fut_mount;

/* One directory entry as readdir reports it. */
struct fut_dirent {
    uint64_t ino;
    uint64_t next; /* cookie that continues the listing after this entry */
    uint8_t type;  /* FUT_DT_* */
    uint16_t namelen;
    char name[FUT_NAME_MAX + 1]; /* NUL-terminated */
};

/* fut_setattr.mask: which fields to apply. */
#define FUT_ATTR_MODE 0x1u /* permission bits (FUT_S_IALLUGO); the type never changes */
#define FUT_ATTR_UID 0x2u
#define FUT_ATTR_GID 0x4u
#define FUT_ATTR_ATIME 0x8u
#define FUT_ATTR_MTIME 0x10u

/*
 * Where a read_pieces read delivers its data: `n` bytes at `src`, the piece
 * that starts `done` bytes into the read. Returns 0, or a negative errno
 * that ends the read.
 */
typedef int (*fut_read_sink)(void *ctx, size_t done, const void *src, size_t n);

struct fut_setattr {
    uint32_t mask;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    struct fut_timespec atime;
    struct fut_timespec mtime;
};

struct fut_vnode_ops {
    /* Directories. */
    int (*lookup)(struct fut_vnode *dir, const char *name, struct fut_vnode **out);
    /* Creates a regular file; mode is FUT_S_IFREG | permissions. -EEXIST if the name exists. */
    int (*create)(struct fut_vnode *dir, const char *name, uint32_t mode, struct fut_vnode **out);
    int (*mkdir)(struct fut_vnode *dir, const char *name, uint32_t mode);
    int (*symlink)(struct fut_vnode *dir, const char *name, const char *target);
    /* Adds a name for target (same filesystem, not a directory). */
    int (*link)(struct fut_vnode *dir, const char *name, struct fut_vnode *target);
    /* Removes a non-directory name; -EISDIR for directories. */
    int (*unlink)(struct fut_vnode *dir, const char *name);
    /* Removes an empty directory; -ENOTDIR, -ENOTEMPTY. */
    int (*rmdir)(struct fut_vnode *dir, const char *name);
    /* Moves a name within the filesystem, replacing a target as rename(2)
     * does. The VFS has already checked: same filesystem, no mount point
     * involved, a directory is not moved into its own subtree. */
    int (*rename)(struct fut_vnode *olddir, const char *oldname, struct fut_vnode *newdir,
                  const char *newname);
    /* Fills *out with the first entry at or after `cookie` and returns 1, or
     * returns 0 at the end. Cookies 0 and 1 are "." and "..". An entry
     * removed or added during a listing never makes another entry be
     * skipped or repeated. */
    int (*readdir)(struct fut_vnode *dir, uint64_t cookie, struct fut_dirent *out);

    /* Data. `fflags` are the open file's flags (FUT_O_NONBLOCK matters to
     * devices). Return bytes transferred or a negative errno. */
    int64_t (*read)(struct fut_vnode *vn, void *buf, size_t len, uint64_t off, uint32_t fflags);
    int64_t (*write)(struct fut_vnode *vn, const void *buf, size_t len, uint64_t off,
                     uint32_t fflags);
    /* Optional: a read that hands the data to `sink` piece by piece from
     * where the file keeps it, so read(2) copies file pages straight to the
     * user with no kernel buffer in between. Returns the bytes delivered; if
     * the sink fails, those it took before, or its error if none. */
    int64_t (*read_pieces)(struct fut_vnode *vn, size_t len, uint64_t off, fut_read_sink sink,
                           void *ctx);
    int (*truncate)(struct fut_vnode *vn, uint64_t size);
    /* The page provider for file mappings (see fut_vnode_backing_ops). */
    int (*get_page)(struct fut_vnode *vn, uint64_t offset, uint64_t *phys);
    /* Copies at most `size` bytes of a symlink's target (no NUL) and returns
     * the target's full length, so callers can tell truncation apart. */
    int64_t (*readlink)(struct fut_vnode *vn, char *buf, size_t size);

    /* Attributes. The VFS fills st_dev, st_ino, st_mode and st_blksize
     * before calling getattr; the filesystem fills the rest. */
    int (*getattr)(struct fut_vnode *vn, struct fut_stat *st);
    int (*setattr)(struct fut_vnode *vn, const struct fut_setattr *attr);

    /* Life cycle. open (optional) may refuse an open; release (optional)
     * runs once for every open that open accepted, when that open file goes
     * away (its last holder closed it, or the open failed after open
     * accepted it), with the file's flags - so a filesystem can count its
     * readers and writers (pipes). inactive (optional) runs when refcount
     * drops to zero and may free the vnode. */
    int (*open)(struct fut_vnode *vn, uint32_t fflags);
    void (*release)(struct fut_vnode *vn, uint32_t fflags);
    void (*inactive)(struct fut_vnode *vn);

    /* Readiness (optional): the FUT_POLL* bits that hold now for an open
     * file with these flags (input waiting, room to write, hang-up, error).
     * Never blocks. Without it a file is always ready for both. Whatever
     * changes a vnode's readiness wakes sleeping pollers with
     * fut_poll_notify (futura/vfs/pipe.h). */
    uint32_t (*poll)(struct fut_vnode *vn, uint32_t fflags);
};

/* fut_vnode.flags */
#define FUT_VNODE_STREAM 0x1u /* no file position: lseek, pread, pwrite fail with -ESPIPE */

struct fut_vnode {
    const struct fut_vnode_ops *ops;
    struct fut_fs *fs;
    uint64_t ino;
    uint32_t mode;                /* FUT_S_IF* type (fixed) | permission bits (follow setattr) */
    uint32_t flags;               /* FUT_VNODE_* */
    uint32_t refcount;            /* counts in-memory holders (see above); names are not counted */
    struct fut_mount *covered_by; /* the mount stacked on this directory, or NULL */
};

struct fut_fs_ops {
    /* Frees every vnode and the instance. Called only when no vnode of the
     * filesystem is referenced and it is not mounted. */
    void (*destroy)(struct fut_fs *fs);
};

/* One filesystem instance. The filesystem embeds it in its own struct. */
struct fut_fs {
    const struct fut_fs_ops *ops;
    const char *type;        /* "ramfs", "devfs" */
    struct fut_vnode *root;  /* set by the filesystem; lives as long as the instance */
    uint64_t dev;            /* st_dev of every vnode (an anonymous device number) */
    uint64_t vnode_refs;     /* sum of refcount over this instance's vnodes */
    struct fut_mount *mount; /* where it is mounted, or NULL */
};

/* Sets up fs with a fresh anonymous device number; counts it as live. */
void fut_fs_init(struct fut_fs *fs, const struct fut_fs_ops *ops, const char *type);
/* Destroys an instance that is not mounted: -EBUSY while mounted or while
 * any of its vnodes is referenced, else 0. */
int fut_fs_destroy(struct fut_fs *fs);

/* Sets up a vnode with refcount 0 and counts it as live; fut_vnode_fini
 * uncounts it (the filesystem calls it just before freeing the memory). */
void fut_vnode_init(struct fut_vnode *vn, struct fut_fs *fs, const struct fut_vnode_ops *ops,
                    uint32_t mode, uint64_t ino);
void fut_vnode_fini(struct fut_vnode *vn);

void fut_vnode_get(struct fut_vnode *vn);
/* Drops a reference (NULL is ignored); at zero calls ops->inactive, after
 * which vn may be gone. */
void fut_vnode_put(struct fut_vnode *vn);

/*
 * Vnodes as backing objects of file mappings (memory/include/futura/memory/mm.h):
 * a VMA stores obj = the vnode and obj_ops = &fut_vnode_backing_ops.ref; the
 * VMA's reference is a vnode reference. get_page hands out the filesystem's
 * own frame for a page-aligned offset with one frame reference taken for the
 * caller (RamFS: the frame that holds the file's data, so shared mappings
 * and read/write see the same bytes). -ENODEV when the vnode cannot be
 * mapped, -EINVAL for unaligned offsets, -ENXIO past the end of the file.
 */
extern const struct fut_mm_backing_ops fut_vnode_backing_ops;

/* Timestamps. Without a clock the VFS counts: every call returns a strictly
 * later time (1 ns apart). The kernel installs a real clock when it has one. */
void fut_vfs_set_clock(void (*now)(struct fut_timespec *ts));
void fut_vfs_now(struct fut_timespec *ts);

/* Live objects, for tests and /proc. */
struct fut_vfs_stats {
    uint64_t live_vnodes; /* vnodes set up and not yet freed, all filesystems */
    uint64_t open_files;  /* struct fut_file objects alive */
    uint64_t filesystems; /* instances created and not yet destroyed */
    uint64_t mounts;      /* entries in the mount table, the root included */
};
void fut_vfs_get_stats(struct fut_vfs_stats *out);

#ifdef __cplusplus
}
#endif

#endif
