/*
 * Unpacking initramfs archives (newc cpio, see futura/vfs/cpio.h) into a file
 * system through a small table of operations, so this code knows nothing of
 * vnodes: the kernel plugs in the VFS, host tests plug in a recorder.
 *
 * At boot the kernel unpacks, into the empty root file system and in this
 * order: the archive built into the image (fut_initramfs_builtin, below), then
 * each boot module (GRUB module2, or QEMU -initrd) in the order the loader
 * lists them. A later archive layers on top of earlier ones: its files replace
 * files of the same name, its directories merge with existing ones.
 */
#ifndef FUTURA_VFS_INITRAMFS_H
#define FUTURA_VFS_INITRAMFS_H

#include <stddef.h>
#include <stdint.h>

#include "futura/vfs/cpio.h" /* FUT_CPIO_S_IF*, FUT_CPIO_PATH_MAX, FUT_CPIO_ERR_MAX */

#ifdef __cplusplus
extern "C" {
#endif

/* Attributes of an archive entry, as the archive states them. */
struct fut_initramfs_attr {
    uint32_t mode; /* file type (FUT_CPIO_S_IF*) | permission bits (07777) */
    uint32_t uid;
    uint32_t gid;
    uint32_t mtime; /* seconds since the epoch */
};

/*
 * What the unpacker asks of the file system. Paths are absolute and
 * normalized ("/", "/etc", "/etc/motd": no "." or ".." components, no empty
 * ones, no trailing slash, shorter than FUT_CPIO_PATH_MAX) and are relative to
 * wherever ctx says the archive is being unpacked. Every operation returns 0 or
 * a negative errno; a failure stops the unpacking.
 *
 * Every operation first creates the missing ancestors of `path` as
 * directories (mode 0755, owner 0:0), like `install -D`: archives need not
 * list parent directories. An existing directory in the way of a non-directory
 * is an error (-EISDIR); an existing non-directory at `path` is replaced by any
 * operation but mkdir_p, which fails with -ENOTDIR (also when a non-directory
 * is in the way as an ancestor).
 */
struct fut_initramfs_ops {
    /* Makes `path` a directory with `attr` (type bits are S_IFDIR). If it
     * already is one (e.g. "/" or a directory of an earlier archive), its
     * contents stay and its mode and owner become attr's. */
    int (*mkdir_p)(void *ctx, const char *path, const struct fut_initramfs_attr *attr);
    /* Makes `path` a regular file holding `size` bytes copied from `data`
     * (which stays valid only during the call). */
    int (*create_file)(void *ctx, const char *path, const struct fut_initramfs_attr *attr,
                       const void *data, size_t size);
    /* Makes `path` a symbolic link to target[0..target_len); the target is not
     * NUL-terminated, is not empty and contains no NUL. */
    int (*symlink)(void *ctx, const char *path, const struct fut_initramfs_attr *attr,
                   const char *target, size_t target_len);
    /* Makes `path` another name (hard link) of the regular file `existing`,
     * which an earlier operation of the same archive created. */
    int (*link)(void *ctx, const char *path, const char *existing);
    /* Makes `path` a device node, FIFO or socket (attr->mode says which) with
     * device number major:minor. May be NULL: such entries then fail the
     * unpacking with -ENOSYS. */
    int (*mknod)(void *ctx, const char *path, const struct fut_initramfs_attr *attr, uint32_t major,
                 uint32_t minor);
};

/*
 * Unpacks the archive(s) in buf[0..len) through ops, entry by entry in archive
 * order. Several archives may follow one another (as `cat a.cpio b.cpio`
 * makes): after each trailer, NUL padding is skipped and, if anything is left,
 * it must be another archive starting at a multiple of 4 bytes. Hard-link
 * groups (regular entries of one archive sharing ino and device, nlink > 1)
 * become one create_file, with the data of the member that carries it (cpio
 * writes it with the last member), and a link for every other member.
 *
 * Returns the number of entries applied, or a negative errno. The archive is
 * checked as it is unpacked, so on error the entries before the bad one (or
 * before the one whose operation failed) have been applied and stay; nothing
 * after it is. The message for an error (else "") goes to err[0..errlen), which
 * may be NULL if errlen is 0; FUT_CPIO_ERR_MAX bytes hold any message.
 *
 * Stack: about 4.5 KiB, and 4.2 KiB more while a hard link is resolved (for
 * an earlier member's name). No allocation.
 */
int fut_initramfs_unpack(const void *buf, size_t len, const struct fut_initramfs_ops *ops,
                         void *ctx, char *err, size_t errlen);

/*
 * The archive built into the kernel image: *len bytes at *start, read-only,
 * valid forever. Defined by //vfs/initramfs_builtin (which the kernel image
 * links; its contents are that package's :archive target), not by :initramfs.
 */
void fut_initramfs_builtin(const void **start, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
