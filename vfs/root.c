/* fut_vfs_init_root: the RamFS root with a DevFS on /dev and a ProcFS on /proc. */
#include "futura/vfs/root.h"

#include "futura/vfs/devfs.h"
#include "futura/vfs/procfs.h"
#include "futura/vfs/ramfs.h"
#include "futura/vfs/vfs.h"

/* Creates the directory `path` in the root and mounts a new instance there. */
static int mount_on_new_dir(const char *path, int (*create)(struct fut_fs **out))
{
    struct fut_fs *fs;
    int rc = fut_vfs_mkdir(NULL, path, 0755);
    if (rc)
        return rc;
    rc = create(&fs);
    if (rc)
        return rc;
    rc = fut_vfs_mount(NULL, path, fs);
    if (rc)
        fut_fs_destroy(fs);
    return rc;
}

int fut_vfs_init_root(void)
{
    struct fut_vnode *existing = fut_vfs_root();
    if (existing) {
        fut_vnode_put(existing);
        return 0;
    }
    struct fut_fs *root;
    int rc = fut_ramfs_create(&root);
    if (rc)
        return rc;
    rc = fut_vfs_mount_root(root);
    if (rc) {
        fut_fs_destroy(root);
        return rc;
    }
    rc = mount_on_new_dir("/dev", fut_devfs_create);
    if (rc)
        goto fail;
    rc = mount_on_new_dir("/proc", fut_procfs_create);
    if (rc)
        goto fail_dev;
    return 0;
fail_dev:
    fut_vfs_umount(NULL, "/dev");
fail:
    fut_vfs_umount(NULL, "/");
    return rc;
}
