/*
 * DevFS: a flat directory of character (and later block) devices, mounted
 * at /dev. A driver registers a device with a name, a mode, a device number
 * and a small ops table; opening /dev/<name> then reaches the driver's
 * read/write with its private pointer.
 *
 * Every instance starts with the standard devices:
 *   null (1:3)    reads end-of-file, swallows writes
 *   zero (1:5)    reads zeros, swallows writes
 *   full (1:7)    reads zeros, writes fail with -ENOSPC
 *   tty (5:0), console (5:1)
 *                 the serial console's terminal: the line discipline of
 *                 futura/vfs/tty.h on the HAL console. Streams: no seeking.
 */
#ifndef FUTURA_VFS_DEVFS_H
#define FUTURA_VFS_DEVFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/vfs/vnode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A driver's entry points. `off` is the file position (0 for streams),
 * `fflags` the open file's flags (FUT_O_NONBLOCK). NULL read or write
 * fails with -EINVAL. */
struct fut_dev_ops {
    int64_t (*read)(void *priv, void *buf, size_t len, uint64_t off, uint32_t fflags);
    int64_t (*write)(void *priv, const void *buf, size_t len, uint64_t off, uint32_t fflags);
    /* Optional: may refuse an open (e.g. -EBUSY, -ENXIO). */
    int (*open)(void *priv, uint32_t fflags);
    bool stream; /* no file position: lseek/pread/pwrite fail with -ESPIPE */
    /* Optional: poll readiness, FUT_POLL* bits (see the vnode poll op);
     * without it the device is always readable and writable. */
    uint32_t (*poll)(void *priv, uint32_t fflags);
};

/* A new instance holding the standard devices. Mount it (the mount table
 * then owns it) or fut_fs_destroy it. */
int fut_devfs_create(struct fut_fs **out);

/* Adds a device to a devfs instance. mode: FUT_S_IFCHR or FUT_S_IFBLK plus
 * permission bits (no type means a character device). -EINVAL for a name
 * that is empty, too long, contains '/', is "." or "..", or a bad type;
 * -EEXIST if taken; -ENOMEM. */
int fut_devfs_add(struct fut_fs *devfs, const char *name, uint32_t mode, uint32_t major,
                  uint32_t minor, const struct fut_dev_ops *ops, void *priv);

/* fut_devfs_add on the devfs mounted at /dev. -ENODEV if /dev is not a devfs. */
int fut_devfs_register(const char *name, uint32_t mode, uint32_t major, uint32_t minor,
                       const struct fut_dev_ops *ops, void *priv);

#ifdef __cplusplus
}
#endif

#endif
