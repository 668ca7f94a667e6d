/*
 * A reader for "newc" cpio archives (magic 070701, and 070702 whose regular
 * files carry a byte-sum checksum), the format of Linux initramfs images.
 *
 * The reader walks a byte buffer entry by entry and never reads outside it.
 * It does not allocate: each entry's name is normalized into the caller's
 * struct fut_cpio_entry, and its data is a pointer into the buffer.
 *
 *     struct fut_cpio_reader r;
 *     struct fut_cpio_entry e;  // about 4 KiB: keep it off small stacks
 *     fut_cpio_init(&r, buf, len);
 *     while ((rc = fut_cpio_next(&r, &e)) > 0)
 *         use(e.name, e.mode, e.data, e.size);
 *     if (rc < 0)
 *         report(fut_cpio_error(&r));
 *
 * Everything an archive says is checked before it is used; a malformed
 * archive yields a negative errno and a message naming the entry and byte
 * offset, e.g. "cpio: entry 3 at offset 0x1a0: file size 0x100000 runs past
 * the end of the archive (0x2000 bytes)". Entries are numbered from 0.
 */
#ifndef FUTURA_VFS_CPIO_H
#define FUTURA_VFS_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FUT_CPIO_HEADER_SIZE 110 /* magic + 13 eight-digit hex fields */
#define FUT_CPIO_PATH_MAX 4096   /* longest name, including its NUL */
#define FUT_CPIO_ERR_MAX 256     /* longest error message, including its NUL */
#define FUT_CPIO_TRAILER "TRAILER!!!"

/* File types in fut_cpio_entry.mode: the Linux S_IF* values. */
#define FUT_CPIO_S_IFMT 0170000u
#define FUT_CPIO_S_IFSOCK 0140000u
#define FUT_CPIO_S_IFLNK 0120000u
#define FUT_CPIO_S_IFREG 0100000u
#define FUT_CPIO_S_IFBLK 0060000u
#define FUT_CPIO_S_IFDIR 0040000u
#define FUT_CPIO_S_IFCHR 0020000u
#define FUT_CPIO_S_IFIFO 0010000u
#define FUT_CPIO_PERM_MASK 07777u /* permissions plus set-id and sticky bits */

struct fut_cpio_entry {
    /*
     * The normalized absolute path: "/" for the archive root ("." or "/" in
     * the archive), otherwise "/a/b" with no empty, "." or ".." components
     * and no trailing slash. Names are relative to the archive root even
     * when they are written "/a" or "./a"; ".." may step back only within
     * the name ("a/../b" is "/b"), never above the root.
     */
    char name[FUT_CPIO_PATH_MAX];
    size_t name_len; /* strlen(name) */
    uint32_t mode;   /* file type (one of FUT_CPIO_S_IF*) | permission bits */
    uint32_t uid;
    uint32_t gid;
    uint32_t nlink;
    uint32_t mtime; /* seconds since the epoch */
    /* ino + dev identify the file in the archive's source: entries sharing
     * them (with nlink > 1) are hard links to one file. */
    uint32_t ino;
    uint32_t dev_major;
    uint32_t dev_minor;
    uint32_t rdev_major; /* device number of a character/block device node */
    uint32_t rdev_minor;
    /* The entry's `size` bytes inside the archive buffer: a regular file's
     * contents or a symlink's target (not NUL-terminated). */
    const void *data;
    size_t size;
    size_t offset; /* of the entry's header in the archive buffer */
    size_t index;  /* position in the archive, from 0 */
};

/* Iteration state; fields are private to cpio.c. */
struct fut_cpio_reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;   /* offset of the next header */
    size_t index; /* of the next entry */
    int status;   /* 1 reading, 0 trailer reached, < 0 the error (sticky) */
    char err[FUT_CPIO_ERR_MAX];
};

/* Starts reading the archive at the beginning of buf[0..len). */
void fut_cpio_init(struct fut_cpio_reader *r, const void *buf, size_t len);

/*
 * Starts reading an archive that begins `offset` bytes into buf[0..len), for
 * archives concatenated one after another. Offsets in messages and entries
 * stay relative to buf; 4-byte alignment is relative to buf, so `offset` must
 * be a multiple of 4 (otherwise the first fut_cpio_next fails with -EINVAL).
 */
void fut_cpio_init_at(struct fut_cpio_reader *r, const void *buf, size_t len, size_t offset);

/*
 * Reads the next entry into *e. Returns 1 for an entry, 0 once the
 * "TRAILER!!!" entry is reached (it is not returned), or a negative errno:
 *   -EINVAL        malformed archive (bad magic, non-hex field, truncated
 *                  header, name, data or padding, missing trailer, unknown
 *                  file type, empty name or a NUL inside it, a name that
 *                  escapes the archive root)
 *   -ENAMETOOLONG  a name of FUT_CPIO_PATH_MAX bytes or more
 *   -EIO           a 070702 regular file whose checksum does not match
 * After 0 or an error, every further call returns the same value and leaves
 * *e untouched. On error *e may have been partly overwritten.
 */
int fut_cpio_next(struct fut_cpio_reader *r, struct fut_cpio_entry *e);

/* The message for the error fut_cpio_next returned ("" if none). */
const char *fut_cpio_error(const struct fut_cpio_reader *r);

/* Offset just past the trailer entry and its padding; meaningful once
 * fut_cpio_next has returned 0. Bytes after it belong to no entry (cpio pads
 * archives with NULs, and further archives may follow). */
size_t fut_cpio_end(const struct fut_cpio_reader *r);

/* True for the mode of a regular file, directory, symlink. */
static inline bool fut_cpio_is_reg(uint32_t mode)
{
    return (mode & FUT_CPIO_S_IFMT) == FUT_CPIO_S_IFREG;
}
static inline bool fut_cpio_is_dir(uint32_t mode)
{
    return (mode & FUT_CPIO_S_IFMT) == FUT_CPIO_S_IFDIR;
}
static inline bool fut_cpio_is_symlink(uint32_t mode)
{
    return (mode & FUT_CPIO_S_IFMT) == FUT_CPIO_S_IFLNK;
}

#ifdef __cplusplus
}
#endif

#endif
