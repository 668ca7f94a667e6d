#ifndef FUTURA_ROOTFS_H
#define FUTURA_ROOTFS_H

#include "futura/boot/bootinfo.h"

/* Mounts the root file system and unpacks the initramfs archives into it. */
void fut_rootfs_init(const struct fut_bootinfo *bi);

#endif
