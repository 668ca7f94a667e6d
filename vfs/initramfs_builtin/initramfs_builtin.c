/* fut_initramfs_builtin (futura/vfs/initramfs.h); the bytes come from archive_data.S. */
#include "futura/vfs/initramfs.h"

extern const char fut_initramfs_builtin_start[], fut_initramfs_builtin_end[];

void fut_initramfs_builtin(const void **start, size_t *len)
{
    *start = fut_initramfs_builtin_start;
    *len = (size_t)(fut_initramfs_builtin_end - fut_initramfs_builtin_start);
}
