/*
 * test=vfs: the kernel's own file tree (RamFS root, DevFS on /dev).
 * Builds a small tree under /vfs-selftest, checks listings, contents, a
 * symlink, a sparse file, /dev/zero, /dev/null and /dev/full, removes it all
 * and checks that vnodes, open files, heap objects and free frames are back
 * where they were. Mounts the root itself if start-up has not.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/pmm.h"
#include "futura/selftest.h"
#include "futura/vfs/root.h"
#include "futura/vfs/vfs.h"

#define TEST_DIR "/vfs-selftest"

static char buf[4096];

struct baseline {
    struct fut_vfs_stats vfs;
    uint64_t heap_objects;
    uint64_t free_frames;
};

static void take_baseline(struct baseline *b)
{
    struct fut_kmalloc_stats k;
    fut_kmalloc_shrink();
    fut_kmalloc_get_stats(&k);
    fut_vfs_get_stats(&b->vfs);
    b->heap_objects = k.live_objects;
    b->free_frames = fut_pmm_free_frames(fut_pmm_global());
}

static int64_t write_file(const char *path, const char *data, size_t len)
{
    struct fut_file *f;
    int rc = fut_vfs_open(NULL, path, FUT_O_WRONLY | FUT_O_CREAT | FUT_O_TRUNC, 0644, &f);
    if (rc)
        return rc;
    int64_t n = fut_vfs_write(f, data, len);
    fut_vfs_close(f);
    return n;
}

/* Reads the whole file into buf (NUL-terminated); returns its length. */
static int64_t read_file(const char *path)
{
    struct fut_file *f;
    int rc = fut_vfs_open(NULL, path, FUT_O_RDONLY, 0, &f);
    if (rc)
        return rc;
    int64_t n = fut_vfs_read(f, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    fut_vfs_close(f);
    return n;
}

/* Whether the listing of `path` holds every name in `want` (in any order)
 * and, when `exact`, nothing else besides "." and "..". */
static bool lists(const char *path, const char *const *want, int nwant, bool exact)
{
    struct fut_file *d;
    if (fut_vfs_open(NULL, path, FUT_O_RDONLY | FUT_O_DIRECTORY, 0, &d) != 0)
        return false;
    int found = 0, others = 0;
    int64_t n;
    while ((n = fut_vfs_getdents64(d, buf, sizeof(buf))) > 0) {
        for (int64_t off = 0; off < n;) {
            const struct fut_linux_dirent64 *e = (const void *)(buf + off);
            bool known = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
            for (int i = 0; i < nwant && !known; i++) {
                if (strcmp(e->d_name, want[i]) == 0) {
                    known = true;
                    found++;
                }
            }
            others += !known;
            off += e->d_reclen;
        }
    }
    fut_vfs_close(d);
    return n == 0 && found == nwant && (!exact || others == 0);
}

static void check_tree(void)
{
    static const char hello[] = "hello from the vfs self-test\n";
    FUT_CHECK(fut_vfs_mkdir(NULL, TEST_DIR, 0755) == 0);
    FUT_CHECK(fut_vfs_mkdir(NULL, TEST_DIR "/sub", 0700) == 0);
    FUT_CHECK(write_file(TEST_DIR "/hello.txt", hello, sizeof(hello) - 1) == sizeof(hello) - 1);
    FUT_CHECK(write_file(TEST_DIR "/sub/empty", "", 0) == 0);
    FUT_CHECK(fut_vfs_symlink("sub/../hello.txt", NULL, TEST_DIR "/link") == 0);

    static const char *const top[] = {"sub", "hello.txt", "link"};
    static const char *const sub[] = {"empty"};
    FUT_CHECK(lists(TEST_DIR, top, 3, true));
    FUT_CHECK(lists(TEST_DIR "/sub", sub, 1, true));
    FUT_CHECK(read_file(TEST_DIR "/link") == sizeof(hello) - 1 && strcmp(buf, hello) == 0);

    struct fut_stat st;
    FUT_CHECK(fut_vfs_stat(NULL, TEST_DIR "/sub", &st) == 0 && st.st_mode == (FUT_S_IFDIR | 0700));
    FUT_CHECK(fut_vfs_lstat(NULL, TEST_DIR "/link", &st) == 0 && FUT_S_ISLNK(st.st_mode));
    FUT_CHECK(fut_vfs_rename(NULL, TEST_DIR "/hello.txt", NULL, TEST_DIR "/sub/moved") == 0);
    FUT_CHECK(fut_vfs_stat(NULL, TEST_DIR "/link", &st) == -ENOENT); /* now dangling */
    FUT_CHECK(fut_vfs_rmdir(NULL, TEST_DIR "/sub") == -ENOTEMPTY);
}

static void check_sparse_file(void)
{
    struct fut_file *f;
    if (!FUT_CHECK(fut_vfs_open(NULL, TEST_DIR "/sparse", FUT_O_RDWR | FUT_O_CREAT, 0600, &f) == 0))
        return;
    FUT_CHECK(fut_vfs_pwrite(f, "end", 3, 1 << 20) == 3);
    memset(buf, 0x5a, 64);
    FUT_CHECK(fut_vfs_pread(f, buf, 64, 4096) == 64);
    bool zeros = true;
    for (int i = 0; i < 64; i++)
        zeros = zeros && buf[i] == 0;
    FUT_CHECK(zeros);
    struct fut_stat st;
    FUT_CHECK(fut_vfs_fstat(f, &st) == 0 && st.st_size == (1 << 20) + 3 && st.st_blocks == 8);
    FUT_CHECK(fut_vfs_ftruncate(f, 2) == 0);
    FUT_CHECK(fut_vfs_fstat(f, &st) == 0 && st.st_blocks == 0);
    fut_vfs_close(f);
}

static void check_devices(void)
{
    /* Drivers may have registered more. */
    static const char *const devs[] = {"null", "zero", "full", "tty", "console"};
    FUT_CHECK(lists("/dev", devs, 5, false));

    struct fut_file *f;
    if (FUT_CHECK(fut_vfs_open(NULL, "/dev/zero", FUT_O_RDWR, 0, &f) == 0)) {
        memset(buf, 0xaa, sizeof(buf));
        FUT_CHECK(fut_vfs_read(f, buf, sizeof(buf)) == sizeof(buf));
        bool zeros = true;
        for (size_t i = 0; i < sizeof(buf); i++)
            zeros = zeros && buf[i] == 0;
        FUT_CHECK(zeros);
        FUT_CHECK(fut_vfs_write(f, "x", 1) == 1);
        fut_vfs_close(f);
    }
    if (FUT_CHECK(fut_vfs_open(NULL, "/dev/null", FUT_O_RDWR, 0, &f) == 0)) {
        FUT_CHECK(fut_vfs_write(f, buf, 100) == 100);
        FUT_CHECK(fut_vfs_read(f, buf, sizeof(buf)) == 0);
        fut_vfs_close(f);
    }
    if (FUT_CHECK(fut_vfs_open(NULL, "/dev/full", FUT_O_WRONLY, 0, &f) == 0)) {
        FUT_CHECK(fut_vfs_write(f, "x", 1) == -ENOSPC);
        fut_vfs_close(f);
    }
    struct fut_stat st;
    FUT_CHECK(fut_vfs_stat(NULL, "/dev/null", &st) == 0 && FUT_S_ISCHR(st.st_mode) &&
              st.st_rdev == fut_makedev(1, 3));
    FUT_CHECK(fut_vfs_unlink(NULL, "/dev/null") == -EPERM);
}

static void remove_tree(void)
{
    FUT_CHECK(fut_vfs_unlink(NULL, TEST_DIR "/sparse") == 0);
    FUT_CHECK(fut_vfs_unlink(NULL, TEST_DIR "/link") == 0);
    FUT_CHECK(fut_vfs_unlink(NULL, TEST_DIR "/sub/moved") == 0);
    FUT_CHECK(fut_vfs_unlink(NULL, TEST_DIR "/sub/empty") == 0);
    FUT_CHECK(fut_vfs_rmdir(NULL, TEST_DIR "/sub") == 0);
    FUT_CHECK(fut_vfs_rmdir(NULL, TEST_DIR) == 0);
}

FUT_SELFTEST(vfs)
{
    if (!FUT_CHECK(fut_vfs_init_root() == 0))
        return FUT_TEST_FAIL;
    struct baseline before, after;
    take_baseline(&before);

    check_tree();
    check_sparse_file();
    check_devices();
    remove_tree();

    take_baseline(&after);
    FUT_CHECK(after.vfs.live_vnodes == before.vfs.live_vnodes);
    FUT_CHECK(after.vfs.open_files == before.vfs.open_files);
    FUT_CHECK(after.vfs.mounts == before.vfs.mounts);
    FUT_CHECK(after.heap_objects == before.heap_objects);
    FUT_CHECK(after.free_frames == before.free_frames);
    return FUT_TEST_PASS;
}
