/*
 * test=initramfs: the archive built into the image reads back from .rodata
 * (after the final W^X page tables) with /etc/motd and /etc/hostname intact,
 * and every boot module, read through the direct map, unpacks cleanly. The
 * operations only list what they are given, so this tests the archives and
 * the boot plumbing, not the VFS. A malformed module fails the test with the
 * unpacker's message, and the kernel carries on.
 */
#include "futura/boot/bootinfo.h"
#include "futura/hal.h"
#include "futura/kmain.h"
#include "futura/lib/format.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/selftest.h"
#include "futura/vfs/cpio.h"
#include "futura/vfs/initramfs.h"

struct listing {
    bool found_motd;     /* /etc/motd held exactly the built-in text */
    bool found_hostname; /* likewise /etc/hostname */
};

static int list_mkdir_p(void *ctx, const char *path, const struct fut_initramfs_attr *a)
{
    (void)ctx;
    fut_printk("initramfs:   dir     %s %04o\n", path, a->mode & FUT_CPIO_PERM_MASK);
    return 0;
}

static bool holds(const void *data, size_t size, const char *text)
{
    return size == strlen(text) && memcmp(data, text, size) == 0;
}

static int list_create_file(void *ctx, const char *path, const struct fut_initramfs_attr *a,
                            const void *data, size_t size)
{
    struct listing *l = ctx;
    fut_printk("initramfs:   file    %s %04o %zu bytes\n", path, a->mode & FUT_CPIO_PERM_MASK,
               size);
    if (strcmp(path, "/etc/motd") == 0)
        l->found_motd = holds(data, size, "Welcome to Futura\n");
    if (strcmp(path, "/etc/hostname") == 0)
        l->found_hostname = holds(data, size, "futura\n");
    return 0;
}

static int list_symlink(void *ctx, const char *path, const struct fut_initramfs_attr *a,
                        const char *target, size_t len)
{
    (void)ctx;
    (void)a;
    fut_printk("initramfs:   symlink %s -> %.*s\n", path, (int)len, target);
    return 0;
}

static int list_link(void *ctx, const char *path, const char *existing)
{
    (void)ctx;
    fut_printk("initramfs:   link    %s = %s\n", path, existing);
    return 0;
}

static int list_mknod(void *ctx, const char *path, const struct fut_initramfs_attr *a,
                      uint32_t major, uint32_t minor)
{
    (void)ctx;
    fut_printk("initramfs:   node    %s %06o %u:%u\n", path, a->mode, major, minor);
    return 0;
}

static const struct fut_initramfs_ops listing_ops = {
    .mkdir_p = list_mkdir_p,
    .create_file = list_create_file,
    .symlink = list_symlink,
    .link = list_link,
    .mknod = list_mknod,
};

static int list(const char *what, const void *buf, size_t len, struct listing *l)
{
    char err[FUT_CPIO_ERR_MAX];
    fut_printk("initramfs: %s, %zu bytes:\n", what, len);
    int n = fut_initramfs_unpack(buf, len, &listing_ops, l, err, sizeof(err));
    if (n < 0)
        fut_printk("initramfs: %s: %s\n", what, err);
    else
        fut_printk("initramfs: %s: %d entries\n", what, n);
    return n;
}

FUT_SELFTEST(initramfs)
{
    struct listing builtin = {false, false};
    const void *start = NULL;
    size_t len = 0;
    fut_initramfs_builtin(&start, &len);
    FUT_CHECK(len > 0 && (uintptr_t)start % 16 == 0);
    FUT_CHECK(list("built-in archive", start, len, &builtin) > 0);
    FUT_CHECK(builtin.found_motd);
    FUT_CHECK(builtin.found_hostname);

    const struct fut_bootinfo *bi = fut_boot_info();
    for (size_t i = 0; i < bi->nmodules; i++) {
        const struct fut_boot_module *m = &bi->modules[i];
        struct listing l = {false, false};
        char what[FUT_MODULE_NAME_MAX + 16];
        fut_snprintf(what, sizeof(what), "module %zu \"%s\"", i, m->name);
        FUT_CHECK(list(what, fut_hal_phys_to_virt(m->start), (size_t)(m->end - m->start), &l) >= 0);
    }
    return FUT_TEST_PASS;
}
