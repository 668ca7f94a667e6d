/* Private to DevFS (devfs.c, devfs_devices.c). */
#ifndef FUTURA_VFS_DEVFS_INTERNAL_H
#define FUTURA_VFS_DEVFS_INTERNAL_H

#include "futura/vfs/devfs.h"

/* Adds null, zero, full, tty and console to a new instance. */
int devfs_add_standard_devices(struct fut_fs *devfs);

#endif
