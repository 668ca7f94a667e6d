/*
 * Initramfs unpacking: walks newc archives with the cpio reader and turns each
 * entry into one call of struct fut_initramfs_ops. See futura/vfs/initramfs.h.
 *
 * The archive is checked as it is applied (no separate validation pass), so a
 * malformed entry stops the unpacking with everything before it in place -
 * the same as Linux, and the only choice that needs no second pass over a
 * possibly large archive.
 */
#include "futura/vfs/initramfs.h"

#include <stdarg.h>
#include <stdbool.h>

#include "futura/errno.h"
#include "futura/lib/format.h"
#include "futura/lib/string.h"
#include "futura/vfs/cpio.h"

#define SHOWN_NAME_MAX 64 /* bytes of a path quoted in a message */

struct unpack {
    const uint8_t *buf;
    size_t len;
    const struct fut_initramfs_ops *ops;
    void *ctx;
    char *err;
    size_t errlen;
};

/* Copies a path for a message: at most SHOWN_NAME_MAX bytes, "..." when cut,
 * anything unprintable as '?'; `out` holds SHOWN_NAME_MAX + 4 bytes. */
static const char *shown(char *out, const char *s, size_t len)
{
    size_t n = len < SHOWN_NAME_MAX ? len : SHOWN_NAME_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (len > n) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* Writes "initramfs: entry N ("path") at offset X: <what>" to the error buffer. */
__attribute__((format(printf, 4, 5))) static int
fail(const struct unpack *u, int err, const struct fut_cpio_entry *e, const char *fmt, ...)
{
    if (!u->errlen)
        return err;
    char path[SHOWN_NAME_MAX + 4];
    int n =
        fut_snprintf(u->err, u->errlen, "initramfs: entry %zu (\"%s\") at offset 0x%zx: ", e->index,
                     shown(path, e->name, e->name_len), e->offset);
    if (n >= 0 && (size_t)n < u->errlen) {
        va_list ap;
        va_start(ap, fmt);
        fut_vsnprintf(u->err + n, u->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return err;
}

static void set_error(const struct unpack *u, const char *msg)
{
    if (u->errlen)
        fut_strlcpy(u->err, msg, u->errlen);
}

static bool in_link_group(const struct fut_cpio_entry *e)
{
    return fut_cpio_is_reg(e->mode) && e->nlink >= 2;
}

static bool same_link_group(const struct fut_cpio_entry *a, const struct fut_cpio_entry *b)
{
    return in_link_group(a) && in_link_group(b) && a->ino == b->ino &&
           a->dev_major == b->dev_major && a->dev_minor == b->dev_minor;
}

/*
 * A member of a hard-link group, in the archive starting at `archive`. The
 * group's first member creates the file, with the data of the last member that
 * carries any (the reader stops at a malformed entry, so data from beyond one
 * is never used); later members link to the first. Rescanning the archive
 * costs O(entries) per member but needs no memory that could run out; only
 * hard-linked files pay it. noinline: the scratch entry is on the stack only
 * here, not in every frame of the unpack loop.
 */
__attribute__((noinline)) static int apply_link_member(const struct unpack *u, size_t archive,
                                                       const struct fut_cpio_entry *e,
                                                       const struct fut_initramfs_attr *attr)
{
    struct fut_cpio_reader scan;
    struct fut_cpio_entry other;
    const void *data = e->data;
    size_t size = e->size;

    fut_cpio_init_at(&scan, u->buf, u->len, archive);
    while (fut_cpio_next(&scan, &other) > 0) {
        if (!same_link_group(&other, e))
            continue;
        if (other.offset < e->offset) {
            if (other.name_len == e->name_len && memcmp(other.name, e->name, e->name_len) == 0)
                return 0; /* the same name again: nothing to add */
            int rc = u->ops->link(u->ctx, e->name, other.name);
            char path[SHOWN_NAME_MAX + 4];
            return rc ? fail(u, rc, e, "link to \"%s\" failed (error %d)",
                             shown(path, other.name, other.name_len), rc)
                      : 0;
        }
        if (other.size)
            data = other.data, size = other.size;
    }
    int rc = u->ops->create_file(u->ctx, e->name, attr, data, size);
    return rc ? fail(u, rc, e, "create_file failed (error %d)", rc) : 0;
}

static int apply_symlink(const struct unpack *u, const struct fut_cpio_entry *e,
                         const struct fut_initramfs_attr *attr)
{
    const char *target = e->data;
    if (e->size == 0)
        return fail(u, -EINVAL, e, "symlink has an empty target");
    if (e->size >= FUT_CPIO_PATH_MAX)
        return fail(u, -ENAMETOOLONG, e, "symlink target is 0x%zx bytes; the limit is 0x%x",
                    e->size, FUT_CPIO_PATH_MAX - 1);
    if (strnlen(target, e->size) != e->size)
        return fail(u, -EINVAL, e, "symlink target contains a NUL byte");
    int rc = u->ops->symlink(u->ctx, e->name, attr, target, e->size);
    return rc ? fail(u, rc, e, "symlink failed (error %d)", rc) : 0;
}

static int apply_entry(const struct unpack *u, size_t archive, const struct fut_cpio_entry *e)
{
    struct fut_initramfs_attr attr = {e->mode, e->uid, e->gid, e->mtime};
    int rc;

    if (e->name_len == 1 && !fut_cpio_is_dir(e->mode))
        return fail(u, -EINVAL, e, "the archive root must be a directory (mode %#o)", e->mode);
    switch (e->mode & FUT_CPIO_S_IFMT) {
    case FUT_CPIO_S_IFDIR:
        rc = u->ops->mkdir_p(u->ctx, e->name, &attr);
        return rc ? fail(u, rc, e, "mkdir_p failed (error %d)", rc) : 0;
    case FUT_CPIO_S_IFREG:
        if (in_link_group(e))
            return apply_link_member(u, archive, e, &attr);
        rc = u->ops->create_file(u->ctx, e->name, &attr, e->data, e->size);
        return rc ? fail(u, rc, e, "create_file failed (error %d)", rc) : 0;
    case FUT_CPIO_S_IFLNK: return apply_symlink(u, e, &attr);
    default: /* device node, FIFO or socket */
        if (!u->ops->mknod)
            return fail(u, -ENOSYS, e, "device nodes, FIFOs and sockets are not supported");
        rc = u->ops->mknod(u->ctx, e->name, &attr, e->rdev_major, e->rdev_minor);
        return rc ? fail(u, rc, e, "mknod failed (error %d)", rc) : 0;
    }
}

/* Applies the archive at `start`; returns its entry count or an error, and
 * where it ended in *end. */
static long unpack_archive(const struct unpack *u, size_t start, size_t *end)
{
    struct fut_cpio_reader r;
    struct fut_cpio_entry e;
    long applied = 0;
    int rc;

    fut_cpio_init_at(&r, u->buf, u->len, start);
    while ((rc = fut_cpio_next(&r, &e)) > 0) {
        int err = apply_entry(u, start, &e);
        if (err)
            return err;
        applied++;
    }
    if (rc < 0) {
        set_error(u, fut_cpio_error(&r));
        return rc;
    }
    *end = fut_cpio_end(&r);
    return applied;
}

int fut_initramfs_unpack(const void *buf, size_t len, const struct fut_initramfs_ops *ops,
                         void *ctx, char *err, size_t errlen)
{
    struct unpack u = {buf, len, ops, ctx, err, errlen};
    size_t pos = 0;
    long total = 0;

    set_error(&u, "");
    do {
        long n = unpack_archive(&u, pos, &pos);
        if (n < 0)
            return (int)n;
        total += n;
        while (pos < len && u.buf[pos] == 0)
            pos++;
    } while (pos < len);
    return total > INT32_MAX ? INT32_MAX : (int)total;
}
