/* The kernel's file tree at start-up. */
#ifndef FUTURA_VFS_ROOT_H
#define FUTURA_VFS_ROOT_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Mounts a fresh RamFS as the root, creates /dev and /proc (0755) and mounts
 * a DevFS and a ProcFS on them. Idempotent: returns 0 at once when a root is already mounted.
 * -ENOMEM (nothing is left mounted) if the heap runs out.
 */
int fut_vfs_init_root(void);

#ifdef __cplusplus
}
#endif

#endif
