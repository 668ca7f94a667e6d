/* fut_vfs_init_root: the RamFS root with a DevFS on /dev. */
#include "futura/vfs/root.h"

#include "futura/vfs/devfs.h"
#include "futura/vfs/ramfs.h"
#include "futura/vfs/vfs.h"

int fut_vfs_init_root(void)
{
    struct fut_vnode *existing = fut_vfs_root();
    if (existing) {
        fut_vnode_put(existing);
        return 0;
    }
    struct fut_fs *root, *dev;
    int rc = fut_ramfs_create(&root);
    if (rc)
        return rc;
    rc = fut_vfs_mount_root(root);
    if (rc) {
        fut_fs_destroy(root);
        return rc;
    }
    rc = fut_vfs_mkdir(NULL, "/dev", 0755);
    if (rc)
        goto fail;
    rc = fut_devfs_create(&dev);
    if (rc)
        goto fail;
    rc = fut_vfs_mount(NULL, "/dev", dev);
    if (rc) {
        fut_fs_destroy(dev);
        goto fail;
    }
    return 0;
fail:
    fut_vfs_umount(NULL, "/");
    return rc;
}
