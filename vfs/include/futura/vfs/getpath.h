#ifndef FUTURA_VFS_GETPATH_H
#define FUTURA_VFS_GETPATH_H

#include <stddef.h>
#include <stdint.h>

#include "futura/vfs/vfs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the absolute path of directory `dir` into buf (NUL-terminated);
 * returns its length, -ERANGE/-ENAMETOOLONG if it does not fit, or -ENOENT
 * when dir has been removed from the tree. */
int64_t fut_vfs_getpath(struct fut_vnode *dir, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
