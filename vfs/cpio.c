/*
 * newc cpio reader; see futura/vfs/cpio.h for the contract.
 *
 * Layout of one entry, from a 4-byte-aligned offset:
 *   110-byte header: "070701" or "070702", then 13 fields of 8 hex digits
 *   name: namesize bytes, the last one NUL; padded with NULs to a multiple of 4
 *   data: filesize bytes; padded to a multiple of 4
 * The archive ends with an entry named "TRAILER!!!".
 *
 * Invariant: r->pos <= r->len, and every length is compared against the bytes
 * left before it is added to an offset, so no sum can wrap or leave the buffer.
 */
#include "futura/vfs/cpio.h"

#include <stdarg.h>

#include "futura/errno.h"
#include "futura/lib/format.h"
#include "futura/lib/string.h"

enum field {
    F_INO,
    F_MODE,
    F_UID,
    F_GID,
    F_NLINK,
    F_MTIME,
    F_FILESIZE,
    F_DEVMAJOR,
    F_DEVMINOR,
    F_RDEVMAJOR,
    F_RDEVMINOR,
    F_NAMESIZE,
    F_CHECK,
    NFIELDS,
};

static const char *const field_names[NFIELDS] = {
    "ino",      "mode",     "uid",       "gid",       "nlink",    "mtime", "filesize",
    "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

#define MAGIC_LEN 6
#define FIELD_LEN 8
#define SHOWN_NAME_MAX 64 /* bytes of a hostile name quoted in a message */

static size_t align4(size_t v)
{
    return (v + 3) & ~(size_t)3;
}

/* Records the error for the entry at `offset` and makes it sticky. */
__attribute__((format(printf, 4, 5))) static int fail(struct fut_cpio_reader *r, int err,
                                                      size_t offset, const char *fmt, ...)
{
    int n =
        fut_snprintf(r->err, sizeof(r->err), "cpio: entry %zu at offset 0x%zx: ", r->index, offset);
    if (n >= 0 && (size_t)n < sizeof(r->err)) {
        va_list ap;
        va_start(ap, fmt);
        fut_vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    r->status = err;
    return err;
}

/* Copies at most `max` bytes of untrusted text for a message, with anything
 * unprintable shown as '?'; `out` holds max + 4 bytes ("..." when cut). */
static const char *shown(char *out, const uint8_t *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;
    for (size_t i = 0; i < n; i++)
        out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
    if (len > max) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < FIELD_LEN; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static bool known_file_type(uint32_t mode)
{
    switch (mode & FUT_CPIO_S_IFMT) {
    case FUT_CPIO_S_IFSOCK:
    case FUT_CPIO_S_IFLNK:
    case FUT_CPIO_S_IFREG:
    case FUT_CPIO_S_IFBLK:
    case FUT_CPIO_S_IFDIR:
    case FUT_CPIO_S_IFCHR:
    case FUT_CPIO_S_IFIFO: return true;
    default: return false;
    }
}

/*
 * Writes the absolute, normalized form of raw[0..len) (no NUL inside) to
 * out[FUT_CPIO_PATH_MAX]: empty and "." components dropped, ".." removing the
 * component before it. Returns its length, -EINVAL if ".." would climb above
 * the root, or -ENAMETOOLONG if it does not fit.
 */
static long normalize_name(const uint8_t *raw, size_t len, char *out)
{
    size_t n = 1;
    out[0] = '/';
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && raw[i] != '/')
            i++;
        size_t clen = i - start;
        const uint8_t *c = raw + start;
        i++; /* past the '/' (or the end) */
        if (clen == 0 || (clen == 1 && c[0] == '.'))
            continue;
        if (clen == 2 && c[0] == '.' && c[1] == '.') {
            if (n == 1)
                return -EINVAL;
            while (out[n - 1] != '/')
                n--;
            if (n > 1)
                n--; /* the slash before the removed component */
            continue;
        }
        size_t sep = n > 1 ? 1 : 0;
        if (n + sep + clen >= FUT_CPIO_PATH_MAX)
            return -ENAMETOOLONG;
        if (sep)
            out[n++] = '/';
        memcpy(out + n, c, clen);
        n += clen;
    }
    out[n] = '\0';
    return (long)n;
}

void fut_cpio_init(struct fut_cpio_reader *r, const void *buf, size_t len)
{
    fut_cpio_init_at(r, buf, len, 0);
}

void fut_cpio_init_at(struct fut_cpio_reader *r, const void *buf, size_t len, size_t offset)
{
    r->buf = buf;
    r->len = len;
    r->pos = offset <= len ? offset : len;
    r->index = 0;
    r->status = 1;
    r->err[0] = '\0';
    if (offset > len)
        fail(r, -EINVAL, offset, "archive starts past the end of the buffer (0x%zx bytes)", len);
    else if (offset % 4)
        fail(r, -EINVAL, offset, "archive does not start at a multiple of 4 bytes");
}

const char *fut_cpio_error(const struct fut_cpio_reader *r)
{
    return r->err;
}

size_t fut_cpio_end(const struct fut_cpio_reader *r)
{
    return r->pos;
}

/* Header fields, checked for hex digits; returns 0 or the error. */
static int read_header(struct fut_cpio_reader *r, size_t off, uint32_t f[NFIELDS])
{
    const uint8_t *h = r->buf + off;
    char text[SHOWN_NAME_MAX + 4];
    if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2')) {
        if (memcmp(h, "070707", MAGIC_LEN) == 0)
            return fail(r, -EINVAL, off,
                        "magic \"070707\" is the old portable format; only newc (070701, "
                        "070702) is supported");
        return fail(r, -EINVAL, off, "bad magic \"%s\" (expected \"070701\" or \"070702\")",
                    shown(text, h, MAGIC_LEN, MAGIC_LEN));
    }
    for (int i = 0; i < NFIELDS; i++) {
        const uint8_t *p = h + MAGIC_LEN + i * FIELD_LEN;
        if (!parse_hex8(p, &f[i]))
            return fail(r, -EINVAL, off, "field %s \"%s\" is not 8 hex digits", field_names[i],
                        shown(text, p, FIELD_LEN, FIELD_LEN));
    }
    return 0;
}

/* Checks the name at name_off (namesize bytes, known to be inside the buffer)
 * and normalizes it into e->name. */
static int read_name(struct fut_cpio_reader *r, size_t off, size_t name_off, uint32_t namesize,
                     struct fut_cpio_entry *e)
{
    const uint8_t *name = r->buf + name_off;
    size_t len = namesize - 1;
    char text[SHOWN_NAME_MAX + 4];
    if (name[len] != '\0')
        return fail(r, -EINVAL, off, "name \"%s\" is not NUL-terminated",
                    shown(text, name, namesize, SHOWN_NAME_MAX));
    if (strnlen((const char *)name, len) != len)
        return fail(r, -EINVAL, off, "name \"%s\" contains a NUL byte",
                    shown(text, name, len, SHOWN_NAME_MAX));
    if (len == 0)
        return fail(r, -EINVAL, off, "empty name");
    if (len >= FUT_CPIO_PATH_MAX)
        return fail(r, -ENAMETOOLONG, off, "name is 0x%zx bytes long; the limit is 0x%x", len,
                    FUT_CPIO_PATH_MAX - 1);
    long n = normalize_name(name, len, e->name);
    if (n == -EINVAL)
        return fail(r, -EINVAL, off, "name \"%s\" escapes the archive root",
                    shown(text, name, len, SHOWN_NAME_MAX));
    if (n < 0)
        return fail(r, (int)n, off, "name \"%s\" is too long once made absolute",
                    shown(text, name, len, SHOWN_NAME_MAX));
    e->name_len = (size_t)n;
    return 0;
}

static uint32_t byte_sum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    return sum;
}

int fut_cpio_next(struct fut_cpio_reader *r, struct fut_cpio_entry *e)
{
    if (r->status != 1)
        return r->status;
    size_t off = r->pos;
    size_t left = r->len - off;
    if (left == 0)
        return fail(r, -EINVAL, off, "the archive ends without a \"" FUT_CPIO_TRAILER "\" entry");
    if (left < FUT_CPIO_HEADER_SIZE)
        return fail(r, -EINVAL, off,
                    "header truncated: 0x%zx of 0x%x bytes before the end of the archive", left,
                    FUT_CPIO_HEADER_SIZE);

    uint32_t f[NFIELDS];
    int rc = read_header(r, off, f);
    if (rc)
        return rc;

    uint32_t namesize = f[F_NAMESIZE];
    size_t name_off = off + FUT_CPIO_HEADER_SIZE;
    if (namesize == 0)
        return fail(r, -EINVAL, off, "name size is 0");
    if (namesize > r->len - name_off)
        return fail(r, -EINVAL, off,
                    "name size 0x%x runs past the end of the archive (0x%zx bytes)", namesize,
                    r->len);
    size_t data_off = align4(name_off + namesize);
    if (data_off > r->len)
        return fail(r, -EINVAL, off, "padding after the name runs past the end of the archive");
    uint32_t filesize = f[F_FILESIZE];
    if (filesize > r->len - data_off)
        return fail(r, -EINVAL, off,
                    "file size 0x%x runs past the end of the archive (0x%zx bytes)", filesize,
                    r->len);
    size_t next = align4(data_off + filesize);
    if (next > r->len)
        return fail(r, -EINVAL, off, "padding after the data runs past the end of the archive");

    const uint8_t *name = r->buf + name_off;
    if (namesize == sizeof(FUT_CPIO_TRAILER) &&
        memcmp(name, FUT_CPIO_TRAILER, sizeof(FUT_CPIO_TRAILER)) == 0) {
        r->pos = next;
        r->status = 0;
        return 0;
    }

    uint32_t mode = f[F_MODE];
    if (!known_file_type(mode) || (mode & ~(FUT_CPIO_S_IFMT | FUT_CPIO_PERM_MASK)))
        return fail(r, -EINVAL, off, "mode %#o is not a known file type and permissions", mode);
    rc = read_name(r, off, name_off, namesize, e);
    if (rc)
        return rc;

    const uint8_t *data = r->buf + data_off;
    bool crc_format = r->buf[off + 5] == '2';
    if (crc_format && fut_cpio_is_reg(mode)) {
        uint32_t sum = byte_sum(data, filesize);
        if (sum != f[F_CHECK])
            return fail(r, -EIO, off, "checksum 0x%08x does not match the data's 0x%08x",
                        f[F_CHECK], sum);
    }

    e->mode = mode;
    e->uid = f[F_UID];
    e->gid = f[F_GID];
    e->nlink = f[F_NLINK];
    e->mtime = f[F_MTIME];
    e->ino = f[F_INO];
    e->dev_major = f[F_DEVMAJOR];
    e->dev_minor = f[F_DEVMINOR];
    e->rdev_major = f[F_RDEVMAJOR];
    e->rdev_minor = f[F_RDEVMINOR];
    e->data = data;
    e->size = filesize;
    e->offset = off;
    e->index = r->index;
    r->index++;
    r->pos = next;
    return 1;
}
