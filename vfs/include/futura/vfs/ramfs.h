/*
 * RamFS: a filesystem that lives entirely in memory - the root filesystem
 * until block devices exist.
 *
 * Regular files keep their data in 4 KiB PMM frames, one per page index,
 * in a radix tree; holes have no frame and read as zeros. get_page hands
 * out the very frame, so shared file mappings and read/write see the same
 * bytes. Directories keep their entries in creation order with a stable
 * cookie each, which makes readdir immune to concurrent unlinks. Nodes,
 * entries and frames are freed when a node has neither names nor
 * references left; destroying the instance frees everything.
 */
#ifndef FUTURA_VFS_RAMFS_H
#define FUTURA_VFS_RAMFS_H

#include <stdint.h>

#include "futura/vfs/vnode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest file: four levels of 512-slot radix nodes over 4 KiB pages. */
#define FUT_RAMFS_MAX_FILE_SIZE (1ull << 48)

/* A new instance with an empty root directory (mode 0755, owned by 0:0).
 * Mount it (the mount table then owns it) or fut_fs_destroy it. */
int fut_ramfs_create(struct fut_fs **out);

#ifdef __cplusplus
}
#endif

#endif
