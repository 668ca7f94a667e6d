/*
 * The root file system at boot: RamFS on /, DevFS on /dev, then the
 * initramfs archives unpacked on top in order — the one built into the image,
 * then every boot module (GRUB module2, QEMU -initrd). A malformed archive
 * stops at the bad entry with a clear message; the system still boots.
 */
#include "futura/rootfs.h"

#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/cpio.h"
#include "futura/vfs/initramfs.h"
#include "futura/vfs/root.h"
#include "futura/vfs/vfs.h"

static int fs_mkdir_p(void *ctx, const char *path, const struct fut_initramfs_attr *attr)
{
    (void)ctx;
    int rc = fut_vfs_mkdir(NULL, path, attr->mode & 07777);
    if (rc == -EEXIST) {
        struct fut_stat st;
        rc = fut_vfs_stat(NULL, path, &st);
        if (!rc && !FUT_S_ISDIR(st.st_mode))
            return -ENOTDIR;
    }
    if (rc)
        return rc;
    rc = fut_vfs_chmod(NULL, path, attr->mode & 07777);
    /* Mount points (/dev, /proc) belong to filesystems that fix their own modes. */
    return rc == -EPERM ? 0 : rc;
}

static int fs_create_file(void *ctx, const char *path, const struct fut_initramfs_attr *attr,
                          const void *data, size_t size)
{
    (void)ctx;
    struct fut_file *f = NULL;
    int rc = fut_vfs_open(NULL, path, FUT_O_WRONLY | FUT_O_CREAT | FUT_O_TRUNC,
                          attr->mode & 07777, &f);
    if (rc)
        return rc;
    int64_t n = size ? fut_vfs_write(f, data, size) : 0;
    if (n >= 0 && (size_t)n != size)
        n = -ENOSPC;
    if (n >= 0)
        rc = fut_vfs_fchmod(f, attr->mode & 07777);
    fut_vfs_close(f);
    return n < 0 ? (int)n : rc;
}

static int fs_symlink(void *ctx, const char *path, const struct fut_initramfs_attr *attr,
                      const char *target, size_t target_len)
{
    (void)ctx;
    (void)attr;
    if (target_len >= FUT_PATH_MAX)
        return -ENAMETOOLONG;
    char *buf = fut_kmalloc(target_len + 1);
    if (!buf)
        return -ENOMEM;
    memcpy(buf, target, target_len);
    buf[target_len] = '\0';
    fut_vfs_unlink(NULL, path); /* a later archive may replace an earlier entry */
    int rc = fut_vfs_symlink(buf, NULL, path);
    fut_kfree(buf);
    return rc;
}

static int fs_link(void *ctx, const char *path, const char *existing)
{
    (void)ctx;
    fut_vfs_unlink(NULL, path);
    return fut_vfs_link(NULL, existing, NULL, path, 0);
}

static const struct fut_initramfs_ops vfs_ops = {
    .mkdir_p = fs_mkdir_p,
    .create_file = fs_create_file,
    .symlink = fs_symlink,
    .link = fs_link,
    .mknod = NULL, /* device nodes come from DevFS, not from archives */
};

static void unpack(const char *what, const void *buf, size_t len)
{
    char err[FUT_CPIO_ERR_MAX];
    int n = fut_initramfs_unpack(buf, len, &vfs_ops, NULL, err, sizeof(err));
    if (n < 0)
        fut_printk("initramfs: %s: %s (error %d); entries before it were kept\n", what, err, n);
    else
        fut_printk("initramfs: %s: %d entries\n", what, n);
}

static void wall_clock(struct fut_timespec *ts)
{
    uint64_t ns = fut_hal_wallclock_ns();
    ts->tv_sec = (int64_t)(ns / 1000000000ull);
    ts->tv_nsec = (int64_t)(ns % 1000000000ull);
}

void fut_rootfs_init(const struct fut_bootinfo *bi)
{
    fut_vfs_set_clock(wall_clock); /* file times are real dates, not a counter */
    int rc = fut_vfs_init_root();
    if (rc)
        fut_panic("cannot mount the root file system (%d)", rc);
    const void *builtin = NULL;
    size_t len = 0;
    fut_initramfs_builtin(&builtin, &len);
    if (len)
        unpack("built-in archive", builtin, len);
    for (size_t i = 0; i < bi->nmodules; i++) {
        const struct fut_boot_module *m = &bi->modules[i];
        unpack(m->name[0] ? m->name : "boot module", fut_hal_phys_to_virt(m->start),
               (size_t)(m->end - m->start));
    }
}
