/*
 * Memory system calls: brk, mmap, munmap, mprotect, over fut_mm. Linux's
 * error rules: unaligned or zero-length ranges are -EINVAL, ranges outside
 * user space or without room are -ENOMEM.
 */
#include "futura/errno.h"
#include "futura/lib/format.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/proc.h"
#include "futura/syscalls/files.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"
#include "futura/vfs/vfs.h"

#define PROT_MASK 0x7
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x100
#define MAP_DENYWRITE 0x800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | \
                   MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
                   MAP_STACK | MAP_FIXED_NOREPLACE)

/* Where mmap looks for room when not told where: bottom-up from here to just
 * below the stack, keeping one unmapped guard page between mappings. */
#define MMAP_BASE 0x00007f0000000000ull
#define MMAP_GUARD FUT_PAGE_SIZE

static uint64_t page_up(uint64_t v)
{
    return (v + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1);
}

static struct fut_mm *current_mm(void)
{
    return fut_current_process()->mm;
}

/* ---- brk ---- */

long sys_brk(const struct fut_syscall_args *a)
{
    struct fut_mm *mm = current_mm();
    uint64_t want = (uint64_t)a->arg[0];
    if (want < mm->brk_start || want > MMAP_BASE)
        return (long)mm->brk; /* Linux reports failure by returning the old break */
    uint64_t old_top = page_up(mm->brk), new_top = page_up(want);
    if (new_top > old_top) {
        struct fut_vma heap = {.start = old_top, .end = new_top,
                               .prot = FUT_PROT_READ | FUT_PROT_WRITE,
                               .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON | FUT_VMA_HEAP};
        if (fut_mm_map(mm, &heap))
            return (long)mm->brk;
    } else if (new_top < old_top) {
        fut_mm_unmap(mm, new_top, old_top - new_top);
    }
    /* Memory given back and then regrown must read as zero again: clear the
     * rest of the last page when shrinking inside it. */
    if (want < mm->brk && want < new_top) {
        static const uint8_t zeros[256];
        for (uint64_t p = want; p < new_top && p < mm->brk;) {
            size_t n = new_top - p < sizeof(zeros) ? new_top - p : sizeof(zeros);
            fut_copy_to_user((void *)p, zeros, n);
            p += n;
        }
    }
    mm->brk = want;
    return (long)want;
}

/* ---- mmap ---- */

static int pick_address(struct fut_mm *mm, uint64_t hint, uint64_t len, uint64_t *addr)
{
    uint64_t hi = FUT_USER_STACK_TOP - FUT_USER_STACK_SIZE - MMAP_GUARD;
    hint = hint & ~(FUT_PAGE_SIZE - 1);
    /* A hint is taken as given when that range is free, as Linux does. */
    if (hint >= FUT_MM_USER_MIN && hint < hi && len <= hi - hint &&
        !fut_vma_set_find_first_intersecting(&mm->vmas, hint, hint + len)) {
        *addr = hint;
        return 0;
    }
    if (fut_vma_set_find_free(&mm->vmas, len, hint >= MMAP_BASE ? hint : MMAP_BASE, MMAP_BASE, hi,
                              MMAP_GUARD, addr) == 0)
        return 0;
    return fut_vma_set_find_free(&mm->vmas, len, hint, FUT_MM_USER_MIN, hi, MMAP_GUARD, addr);
}

/* Shared anonymous memory needs one object all sharers map, so that pages
 * first touched after a fork are still shared: an unlinked RamFS file. */
static int shared_anon_object(uint64_t len, struct fut_file **out)
{
    static unsigned serial;
    char name[48];
    fut_snprintf(name, sizeof(name), "/.futura-shm-%u", serial++);
    struct fut_file *f = NULL;
    int rc = fut_vfs_open(NULL, name, FUT_O_RDWR | FUT_O_CREAT | FUT_O_EXCL, 0600, &f);
    if (rc)
        return rc;
    fut_vfs_unlink(NULL, name);
    rc = fut_vfs_ftruncate(f, (int64_t)len);
    if (rc) {
        fut_vfs_close(f);
        return rc;
    }
    *out = f;
    return 0;
}

static int check_file_access(struct fut_file *f, unsigned type, uint32_t prot)
{
    struct fut_stat st;
    int rc = fut_vfs_fstat(f, &st);
    if (rc)
        return rc;
    if (!FUT_S_ISREG(st.st_mode))
        return -ENODEV;
    uint32_t acc = f->flags & FUT_O_ACCMODE;
    if (acc == FUT_O_WRONLY)
        return -EACCES;
    if (type != MAP_PRIVATE && (prot & FUT_PROT_WRITE) && acc != FUT_O_RDWR)
        return -EACCES;
    return 0;
}

long sys_mmap(const struct fut_syscall_args *a)
{
    uint64_t addr = (uint64_t)a->arg[0], len = (uint64_t)a->arg[1];
    uint32_t prot = (uint32_t)a->arg[2];
    unsigned flags = (unsigned)a->arg[3], type = flags & MAP_TYPE;
    int fd = (int)a->arg[4];
    uint64_t off = (uint64_t)a->arg[5];
    struct fut_mm *mm = current_mm();

    if (!len || (off & (FUT_PAGE_SIZE - 1)) || (prot & ~PROT_MASK))
        return -EINVAL;
    if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN))
        return -EOPNOTSUPP;
    if (type == MAP_SHARED_VALIDATE)
        type = MAP_SHARED;
    if (len > FUT_USER_TOP)
        return -ENOMEM;
    len = page_up(len);
    if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
        ((addr & (FUT_PAGE_SIZE - 1)) || addr < FUT_MM_USER_MIN))
        return (addr & (FUT_PAGE_SIZE - 1)) ? -EINVAL : -EPERM;
    if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr >= FUT_USER_TOP || len > FUT_USER_TOP - addr))
        return -ENOMEM;

    struct fut_file *file = NULL;
    bool own_file = false;
    int rc = 0;
    if (!(flags & MAP_ANONYMOUS)) {
        file = fut_fd_lookup(fut_current_fdtable(), fd);
        if (!file)
            return -EBADF;
        if ((rc = check_file_access(file, type, prot)))
            return rc;
        if (off + len < off)
            return -EOVERFLOW;
    } else if (type == MAP_SHARED) {
        if ((rc = shared_anon_object(len, &file)))
            return rc;
        own_file = true;
        off = 0;
    }

    if (flags & MAP_FIXED_NOREPLACE) {
        if (fut_vma_set_find_first_intersecting(&mm->vmas, addr, addr + len))
            rc = -EEXIST;
    } else if (flags & MAP_FIXED) {
        rc = fut_mm_unmap(mm, addr, len);
    } else {
        rc = pick_address(mm, addr, len, &addr);
    }
    if (!rc) {
        struct fut_vma v = {
            .start = addr, .end = addr + len, .prot = prot,
            .flags = (type == MAP_SHARED ? FUT_VMA_SHARED : FUT_VMA_PRIVATE) |
                     (file && !own_file ? FUT_VMA_FILE : FUT_VMA_ANON) |
                     ((flags & MAP_GROWSDOWN) ? FUT_VMA_STACK : 0),
            .obj = file ? file->vnode : NULL,
            .obj_ops = file ? &fut_vnode_backing_ops.ref : NULL,
            .file_offset = file ? off : 0,
        };
        rc = fut_mm_map(mm, &v);
        if (rc == -EEXIST || rc == -EINVAL)
            rc = rc == -EEXIST ? -ENOMEM : rc;
    }
    if (own_file)
        fut_vfs_close(file); /* the VMA holds the vnode now */
    return rc ? rc : (long)addr;
}

long sys_munmap(const struct fut_syscall_args *a)
{
    uint64_t addr = (uint64_t)a->arg[0], len = (uint64_t)a->arg[1];
    if ((addr & (FUT_PAGE_SIZE - 1)) || !len)
        return -EINVAL;
    if (addr >= FUT_USER_TOP || page_up(len) > FUT_USER_TOP - addr || page_up(len) < len)
        return -EINVAL;
    return fut_mm_unmap(current_mm(), addr, len);
}

long sys_mprotect(const struct fut_syscall_args *a)
{
    uint64_t addr = (uint64_t)a->arg[0], len = (uint64_t)a->arg[1];
    uint32_t prot = (uint32_t)a->arg[2];
    if ((addr & (FUT_PAGE_SIZE - 1)) || (prot & ~PROT_MASK))
        return -EINVAL;
    if (!len)
        return 0;
    if (page_up(len) < len || addr >= FUT_USER_TOP || page_up(len) > FUT_USER_TOP - addr)
        return -ENOMEM;
    return fut_mm_protect(current_mm(), addr, len, prot);
}

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8

long sys_madvise(const struct fut_syscall_args *a)
{
    uint64_t addr = (uint64_t)a->arg[0], len = (uint64_t)a->arg[1];
    if (addr & (FUT_PAGE_SIZE - 1))
        return -EINVAL;
    if (!len)
        return 0;
    if (page_up(len) < len || addr >= FUT_USER_TOP || page_up(len) > FUT_USER_TOP - addr)
        return -ENOMEM;
    struct fut_mm *mm = current_mm();
    /* Linux: -ENOMEM when part of the range is not mapped. */
    for (uint64_t p = addr; p < addr + page_up(len);) {
        const struct fut_vma *v = fut_vma_set_find(&mm->vmas, p);
        if (!v)
            return -ENOMEM;
        p = v->end;
    }
    switch (a->arg[2]) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
        return 0; /* hints about read-ahead: nothing is read ahead here */
    case MADV_DONTNEED:
    case MADV_FREE: /* freeing at once is a valid way to honour MADV_FREE */
        return fut_mm_discard(mm, addr, len);
    default:
        return -EINVAL;
    }
}
