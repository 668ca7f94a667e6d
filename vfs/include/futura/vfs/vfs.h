/*
 * The kernel's file API: what system calls (and in-kernel users before
 * processes exist) call. Paths are resolved as POSIX says (see path
 * resolution below); every function returns 0, a count, or a negative errno
 * and never crashes on a bad name or length. Pointers are kernel pointers
 * (the syscall layer copies user strings in first); a NULL path is -EFAULT.
 *
 * `cwd` is the directory relative paths start from, NULL meaning the root.
 * Absolute paths start at the root mount (fut_vfs_mount_root).
 *
 * Path resolution: components are separated by one or more '/'; "." and
 * ".." work everywhere, ".." at a mount's root continues in the filesystem
 * below it and ".." at the root stays there; a trailing '/' requires a
 * directory (and follows a final symlink). Symlinks in the middle of a path
 * are always followed, a final one as the call says; at most 40 per lookup
 * (-ELOOP). A path of 4096 bytes or more, or a component over 255 bytes, is
 * -ENAMETOOLONG; a non-directory in the middle is -ENOTDIR; a missing
 * component -ENOENT; "" is -ENOENT.
 *
 * Permissions: everyone is root for now. Mode bits are stored and reported;
 * access() only refuses X_OK on a file without any execute bit.
 *
 * Locking: none yet (one CPU; see vnode.h).
 */
#ifndef FUTURA_VFS_VFS_H
#define FUTURA_VFS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/vfs/abi.h"
#include "futura/vfs/vnode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An open file: shared by every descriptor dup(2)/fork(2) makes of it, so
 * they share the offset. */
struct fut_file {
    struct fut_vnode *vnode; /* one reference, for the file's lifetime */
    uint64_t offset;         /* byte position; for directories, the readdir cookie */
    uint32_t flags;          /* FUT_O_* as opened, minus O_CREAT/O_EXCL/O_NOCTTY/O_TRUNC */
    uint32_t refcount;       /* holders: descriptors (dup, fork) and in-kernel users */
};

/* ---- Paths to vnodes ---- */

/* fut_vfs_lookup flags */
#define FUT_LOOKUP_FOLLOW 0x1u    /* follow a symlink in the last component */
#define FUT_LOOKUP_DIRECTORY 0x2u /* the result must be a directory (-ENOTDIR) */

/* Resolves path to a vnode with one reference for the caller (put it with
 * fut_vnode_put). */
int fut_vfs_lookup(struct fut_vnode *cwd, const char *path, uint32_t flags, struct fut_vnode **out);

/* The root directory with a reference, or NULL before fut_vfs_mount_root. */
struct fut_vnode *fut_vfs_root(void);

/* ---- Mounts ---- */

/* Makes fs the root filesystem. The mount table owns fs from now on.
 * -EBUSY if a root is mounted or fs is mounted elsewhere. */
int fut_vfs_mount_root(struct fut_fs *fs);
/* Mounts fs on the directory at path (following symlinks). The mount table
 * owns fs from now on. -ENOTDIR, -EBUSY (fs already mounted, or path is the
 * root directory). */
int fut_vfs_mount(struct fut_vnode *cwd, const char *path, struct fut_fs *fs);
/* Unmounts the filesystem whose root is at path (the root mount included)
 * and destroys it. -EINVAL if path is not a mount's root; -EBUSY while any
 * of its vnodes is referenced (open files, a cwd, a mount on top). */
int fut_vfs_umount(struct fut_vnode *cwd, const char *path);
/* Mounted filesystems in mount order, the root first (/proc/mounts):
 * fut_vfs_mount_next(NULL) is the first, fut_vfs_mount_next(fs) the one
 * mounted after fs; NULL at the end or when fs is not mounted. */
struct fut_fs *fut_vfs_mount_next(const struct fut_fs *fs);

/* ---- Open files ---- */

/* Opens (and with FUT_O_CREAT creates, with permission bits mode & 07777)
 * the file at path. Errors beyond path resolution: -EEXIST (O_CREAT|O_EXCL
 * and it exists), -EISDIR (a directory opened for writing or with O_CREAT),
 * -ENOTDIR (O_DIRECTORY on a non-directory), -ELOOP (O_NOFOLLOW on a
 * symlink), -EINVAL (access mode 3), -ENOMEM, -EPERM (filesystem cannot
 * create). O_TRUNC empties a regular file. */
int fut_vfs_open(struct fut_vnode *cwd, const char *path, uint32_t flags, uint32_t mode,
                 struct fut_file **out);
/* Opens an already resolved vnode, as fut_vfs_open does after lookup. */
int fut_vfs_open_vnode(struct fut_vnode *vn, uint32_t flags, struct fut_file **out);
/* Another holder of f (dup, fork). */
void fut_file_get(struct fut_file *f);
/* Drops one holder; the last one releases the vnode. Returns 0. */
int fut_vfs_close(struct fut_file *f);

/* read/write at the file offset and advance it. -EBADF if not opened for
 * it, -EISDIR for directories; O_APPEND writes go to the end. At most
 * 0x7ffff000 bytes move per call (as Linux). */
int64_t fut_vfs_read(struct fut_file *f, void *buf, size_t len);
int64_t fut_vfs_write(struct fut_file *f, const void *buf, size_t len);
/* At an explicit offset; the file offset is untouched. -EINVAL for a
 * negative offset, -ESPIPE on streams (terminals). */
int64_t fut_vfs_pread(struct fut_file *f, void *buf, size_t len, int64_t off);
int64_t fut_vfs_pwrite(struct fut_file *f, const void *buf, size_t len, int64_t off);
/* pread that delivers to `sink` (see fut_read_sink) with no buffer in
 * between; -EOPNOTSUPP if the filesystem cannot (use fut_vfs_pread). */
int64_t fut_vfs_pread_to(struct fut_file *f, size_t len, int64_t off, fut_read_sink sink,
                         void *ctx);
/* Returns the new offset. -EINVAL for a bad whence or a negative result,
 * -ESPIPE on streams; directories accept SEEK_SET/SEEK_CUR to cookies. */
int64_t fut_vfs_lseek(struct fut_file *f, int64_t off, int whence);
/* Linux getdents64: as many whole records as fit in len bytes; returns the
 * bytes written, 0 at the end, -EINVAL if not even one record fits,
 * -ENOTDIR for non-directories. */
int64_t fut_vfs_getdents64(struct fut_file *f, void *buf, size_t len);
int fut_vfs_fstat(struct fut_file *f, struct fut_stat *st);
/* -EINVAL for a negative length or a non-regular file, -EBADF unless open
 * for writing, -EFBIG beyond the filesystem's largest file. */
int fut_vfs_ftruncate(struct fut_file *f, int64_t length);
int fut_vfs_fchmod(struct fut_file *f, uint32_t mode);
/* poll(2) readiness of an open file: the FUT_POLL* bits that hold now
 * (the vnode's poll op; files without one are always readable and
 * writable). Never blocks; callers mask with what they asked for. */
uint32_t fut_vfs_poll(struct fut_file *f);

/* ---- Operations on paths ---- */

int fut_vfs_stat(struct fut_vnode *cwd, const char *path, struct fut_stat *st);
int fut_vfs_lstat(struct fut_vnode *cwd, const char *path, struct fut_stat *st);
/* -EEXIST if it exists (also for "/", "." and ".."). */
int fut_vfs_mkdir(struct fut_vnode *cwd, const char *path, uint32_t mode);
/* -EISDIR for directories (and "/", ".", ".."). */
int fut_vfs_unlink(struct fut_vnode *cwd, const char *path);
/* -ENOTEMPTY, -ENOTDIR, -EBUSY for a mount point or "/", -EINVAL for ".". */
int fut_vfs_rmdir(struct fut_vnode *cwd, const char *path);
/* rename(2) within one filesystem: -EXDEV across filesystems; an existing
 * target is replaced (a directory only by a directory and only if empty:
 * -ENOTEMPTY, -EISDIR, -ENOTDIR); -EINVAL for moving a directory into its
 * own subtree; -EBUSY for mount points, ".", ".." and "/"; renaming a file
 * onto another name of itself does nothing and returns 0. */
int fut_vfs_rename(struct fut_vnode *oldcwd, const char *oldpath, struct fut_vnode *newcwd,
                   const char *newpath);
/* Creates linkpath pointing at target (stored as given; 1..4095 bytes). */
int fut_vfs_symlink(const char *target, struct fut_vnode *cwd, const char *linkpath);
/* Copies the target (no NUL) into buf; returns bytes copied, truncating to
 * size. -EINVAL for a non-symlink or size 0. */
int64_t fut_vfs_readlink(struct fut_vnode *cwd, const char *path, char *buf, size_t size);
/* A new name for an existing non-directory: -EPERM for directories, -EXDEV
 * across filesystems, -EEXIST. The old path's final symlink is followed
 * only with FUT_AT_SYMLINK_FOLLOW in flags (as linkat(2)). */
int fut_vfs_link(struct fut_vnode *oldcwd, const char *oldpath, struct fut_vnode *newcwd,
                 const char *newpath, uint32_t flags);
int fut_vfs_truncate(struct fut_vnode *cwd, const char *path, int64_t length);
/* Permission bits (mode & 07777); follows symlinks. */
int fut_vfs_chmod(struct fut_vnode *cwd, const char *path, uint32_t mode);
/* Owner and group; (uint32_t)-1 leaves one unchanged. FUT_AT_SYMLINK_NOFOLLOW
 * in flags changes a symlink itself (lchown). */
int fut_vfs_chown(struct fut_vnode *cwd, const char *path, uint32_t uid, uint32_t gid,
                  uint32_t flags);
/* Sets access and modification times (times[0], times[1]); follows symlinks. */
int fut_vfs_utimens(struct fut_vnode *cwd, const char *path, const struct fut_timespec times[2]);
/* access(2) as root: 0 if it exists, -EACCES for X_OK on a non-directory
 * with no execute bit, -EINVAL for unknown mode bits. */
int fut_vfs_access(struct fut_vnode *cwd, const char *path, int amode);

#ifdef __cplusplus
}
#endif

#endif
