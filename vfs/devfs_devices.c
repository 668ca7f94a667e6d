/*
 * The devices every devfs instance has: null, zero, full, and the console
 * (as both /dev/console and /dev/tty): the serial console's terminal.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/vfs/tty.h"
#include "devfs_internal.h"

static int64_t read_eof(void *priv, void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)priv, (void)buf, (void)len, (void)off, (void)fflags;
    return 0;
}

static int64_t read_zeros(void *priv, void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)priv, (void)off, (void)fflags;
    memset(buf, 0, len);
    return (int64_t)len;
}

static int64_t write_discard(void *priv, const void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)priv, (void)buf, (void)off, (void)fflags;
    return (int64_t)len;
}

static int64_t write_full(void *priv, const void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)priv, (void)buf, (void)len, (void)off, (void)fflags;
    return -ENOSPC;
}

/* The console and /dev/tty: the serial console's terminal (vfs/tty.c). */
static int64_t console_read(void *priv, void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)off;
    return fut_tty_read(priv, buf, len, fflags);
}

static int64_t console_write(void *priv, const void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)off;
    return fut_tty_write(priv, buf, len, fflags);
}

static int console_open(void *priv, uint32_t fflags)
{
    (void)fflags;
    return fut_tty_open(priv);
}

static uint32_t console_poll(void *priv, uint32_t fflags)
{
    (void)fflags;
    return fut_tty_poll(priv);
}

static const struct fut_dev_ops null_ops = {.read = read_eof, .write = write_discard};
static const struct fut_dev_ops zero_ops = {.read = read_zeros, .write = write_discard};
static const struct fut_dev_ops full_ops = {.read = read_zeros, .write = write_full};
static const struct fut_dev_ops console_ops = {
    .read = console_read,
    .write = console_write,
    .open = console_open,
    .poll = console_poll,
    .stream = true,
};

static const struct {
    const char *name;
    uint32_t mode;
    uint32_t major, minor;
    const struct fut_dev_ops *ops;
} standard_devices[] = {
    {"null", FUT_S_IFCHR | 0666, 1, 3, &null_ops},
    {"zero", FUT_S_IFCHR | 0666, 1, 5, &zero_ops},
    {"full", FUT_S_IFCHR | 0666, 1, 7, &full_ops},
    {"tty", FUT_S_IFCHR | 0666, 5, 0, &console_ops},
    {"console", FUT_S_IFCHR | 0600, 5, 1, &console_ops},
};

int devfs_add_standard_devices(struct fut_fs *devfs)
{
    for (size_t i = 0; i < sizeof(standard_devices) / sizeof(standard_devices[0]); i++) {
        void *priv = standard_devices[i].ops == &console_ops ? fut_tty_console() : NULL;
        int rc = fut_devfs_add(devfs, standard_devices[i].name, standard_devices[i].mode,
                               standard_devices[i].major, standard_devices[i].minor,
                               standard_devices[i].ops, priv);
        if (rc)
            return rc;
    }
    return 0;
}
