/*
 * The smaller system calls programs expect from a Linux system: resource
 * limits, prctl names, robust-list registration, file times and owners,
 * file-system statistics, system information and CPU times.
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/pmm.h"
#include "futura/proc.h"
#include "futura/scheduler/sched.h"
#include "futura/syscalls/files.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"
#include "futura/vfs/devfs.h"
#include "futura/vfs/procfs.h"
#include "futura/vfs/ramfs.h"
#include "futura/vfs/vfs.h"

#define AT_FDCWD (-100)
#define AT_EMPTY_PATH 0x1000
#define RLIM_INFINITY (~0ull)
#define RLIMIT_NLIMITS 16
#define RLIMIT_STACK 3
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7

/* ---- resource limits ---- */

struct linux_rlimit {
    uint64_t cur, max;
};

static long do_prlimit(struct fut_process *p, int resource, const struct linux_rlimit *unew,
                       struct linux_rlimit *uold)
{
    if (resource < 0 || resource >= RLIMIT_NLIMITS)
        return -EINVAL;
    struct linux_rlimit old = {p->rlimit_cur[resource], p->rlimit_max[resource]}, nl;
    if (unew) {
        if (fut_copy_from_user(&nl, unew, sizeof(nl)))
            return -EFAULT;
        if (nl.cur > nl.max)
            return -EINVAL;
        if (resource == RLIMIT_NOFILE && nl.max > FUT_FD_MAX)
            return -EPERM; /* the descriptor table cannot grow past this */
    }
    if (uold && fut_copy_to_user(uold, &old, sizeof(old)))
        return -EFAULT;
    if (unew) {
        p->rlimit_cur[resource] = nl.cur;
        p->rlimit_max[resource] = nl.max;
    }
    return 0;
}

long sys_prlimit64(const struct fut_syscall_args *a)
{
    struct fut_process *p =
        a->arg[0] ? fut_process_find((int)a->arg[0]) : fut_current_process();
    if (!p)
        return -ESRCH;
    return do_prlimit(p, (int)a->arg[1], (const void *)a->arg[2], (void *)a->arg[3]);
}

long sys_getrlimit(const struct fut_syscall_args *a)
{
    return do_prlimit(fut_current_process(), (int)a->arg[0], NULL, (void *)a->arg[1]);
}

long sys_setrlimit(const struct fut_syscall_args *a)
{
    return do_prlimit(fut_current_process(), (int)a->arg[0], (const void *)a->arg[1], NULL);
}

/* ---- prctl, robust lists ---- */

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16

long sys_prctl(const struct fut_syscall_args *a)
{
    struct fut_process *p = fut_current_process();
    switch (a->arg[0]) {
    case PR_SET_NAME: {
        char name[16];
        long n = fut_strncpy_from_user(name, (const char *)a->arg[1], sizeof(name));
        if (n == -ENAMETOOLONG) { /* Linux truncates to 15 characters */
            if (fut_copy_from_user(name, (const char *)a->arg[1], sizeof(name) - 1))
                return -EFAULT;
            name[15] = '\0';
        } else if (n < 0) {
            return n;
        }
        memcpy(p->comm, name, sizeof(p->comm));
        return 0;
    }
    case PR_GET_NAME:
        return fut_copy_to_user((void *)a->arg[1], p->comm, sizeof(p->comm));
    case PR_GET_DUMPABLE:
        return 1;
    case PR_SET_DUMPABLE:
        return a->arg[1] == 0 || a->arg[1] == 1 ? 0 : -EINVAL;
    case PR_GET_PDEATHSIG: {
        int none = 0; /* parent-death signals are not delivered */
        return fut_copy_to_user((void *)a->arg[1], &none, sizeof(none));
    }
    default:
        return -EINVAL;
    }
}

long sys_set_robust_list(const struct fut_syscall_args *a)
{
    if (a->arg[1] != 24) /* sizeof(struct robust_list_head) */
        return -EINVAL;
    fut_current_process()->robust_list = (uint64_t)a->arg[0];
    return 0;
}

long sys_get_robust_list(const struct fut_syscall_args *a)
{
    struct fut_process *p = a->arg[0] ? fut_process_find((int)a->arg[0]) : fut_current_process();
    if (!p)
        return -ESRCH;
    uint64_t head = p->robust_list, len = 24;
    if (fut_copy_to_user((void *)a->arg[1], &head, sizeof(head)) ||
        fut_copy_to_user((void *)a->arg[2], &len, sizeof(len)))
        return -EFAULT;
    return 0;
}

/* ---- file times and owners ---- */

#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)
#define NSEC 1000000000ll

/* The vnode a *at() call names: the path from dirfd, or dirfd itself for an
 * empty path with AT_EMPTY_PATH (or NULL path: futimens). One reference. */
static int vnode_at(int dirfd, const char *upath, bool follow, bool empty_ok, struct fut_vnode **out)
{
    struct fut_fdtable *fdt = fut_current_fdtable();
    struct fut_vnode *dir = fdt->cwd;
    if (dirfd != AT_FDCWD) {
        struct fut_file *f = fut_fd_lookup(fdt, dirfd);
        if (!f)
            return -EBADF;
        dir = f->vnode;
    }
    if (!upath && empty_ok) {
        if (dirfd == AT_FDCWD)
            return -EFAULT;
        fut_vnode_get(dir);
        *out = dir;
        return 0;
    }
    char *path = fut_kmalloc(FUT_PATH_MAX);
    if (!path)
        return -ENOMEM;
    int rc = fut_user_path(path, upath);
    if (rc == -ENOENT && empty_ok && dirfd != AT_FDCWD) {
        fut_vnode_get(dir);
        *out = dir;
        rc = 0;
    } else if (!rc) {
        rc = fut_vfs_lookup(dir, path, follow ? FUT_LOOKUP_FOLLOW : 0, out);
    }
    fut_kfree(path);
    return rc;
}

static long set_times(struct fut_vnode *vn, const struct fut_timespec *req)
{
    struct fut_setattr attr = {0};
    uint64_t now = fut_hal_wallclock_ns();
    struct fut_timespec t_now = {(int64_t)(now / NSEC), (int64_t)(now % NSEC)};
    for (int i = 0; i < 2; i++) {
        struct fut_timespec t = req ? req[i] : (struct fut_timespec){0, UTIME_NOW};
        if (t.tv_nsec == UTIME_OMIT)
            continue;
        if (t.tv_nsec == UTIME_NOW)
            t = t_now;
        else if (t.tv_nsec < 0 || t.tv_nsec >= NSEC)
            return -EINVAL;
        attr.mask |= i == 0 ? FUT_ATTR_ATIME : FUT_ATTR_MTIME;
        if (i == 0)
            attr.atime = t;
        else
            attr.mtime = t;
    }
    if (!attr.mask)
        return 0;
    if (!vn->ops->setattr)
        return -EPERM;
    return vn->ops->setattr(vn, &attr);
}

long sys_utimensat(const struct fut_syscall_args *a)
{
    const long flags = a->arg[3];
    if (flags & ~(FUT_AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct fut_timespec times[2];
    if (a->arg[2] && fut_copy_from_user(times, (const void *)a->arg[2], sizeof(times)))
        return -EFAULT;
    struct fut_vnode *vn = NULL;
    int rc = vnode_at((int)a->arg[0], (const char *)a->arg[1], !(flags & FUT_AT_SYMLINK_NOFOLLOW),
                      true, &vn);
    if (rc)
        return rc;
    long r = set_times(vn, a->arg[2] ? times : NULL);
    fut_vnode_put(vn);
    return r;
}

struct linux_timeval {
    int64_t tv_sec, tv_usec;
};

long sys_utimes(const struct fut_syscall_args *a)
{
    struct fut_timespec times[2];
    if (a->arg[1]) {
        struct linux_timeval tv[2];
        if (fut_copy_from_user(tv, (const void *)a->arg[1], sizeof(tv)))
            return -EFAULT;
        for (int i = 0; i < 2; i++) {
            if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
                return -EINVAL;
            times[i] = (struct fut_timespec){tv[i].tv_sec, tv[i].tv_usec * 1000};
        }
    }
    struct fut_vnode *vn = NULL;
    int rc = vnode_at(AT_FDCWD, (const char *)a->arg[0], true, false, &vn);
    if (rc)
        return rc;
    long r = set_times(vn, a->arg[1] ? times : NULL);
    fut_vnode_put(vn);
    return r;
}

static long do_chown(int dirfd, const char *upath, long uid, long gid, bool follow, bool empty_ok)
{
    struct fut_vnode *vn = NULL;
    int rc = vnode_at(dirfd, upath, follow, empty_ok, &vn);
    if (rc)
        return rc;
    struct fut_setattr attr = {0};
    if ((uint32_t)uid != (uint32_t)-1) {
        attr.mask |= FUT_ATTR_UID;
        attr.uid = (uint32_t)uid;
    }
    if ((uint32_t)gid != (uint32_t)-1) {
        attr.mask |= FUT_ATTR_GID;
        attr.gid = (uint32_t)gid;
    }
    long r = !attr.mask ? 0 : vn->ops->setattr ? vn->ops->setattr(vn, &attr) : -EPERM;
    fut_vnode_put(vn);
    return r;
}

long sys_chown(const struct fut_syscall_args *a)
{
    return do_chown(AT_FDCWD, (const char *)a->arg[0], a->arg[1], a->arg[2], true, false);
}

long sys_lchown(const struct fut_syscall_args *a)
{
    return do_chown(AT_FDCWD, (const char *)a->arg[0], a->arg[1], a->arg[2], false, false);
}

long sys_fchown(const struct fut_syscall_args *a)
{
    return do_chown((int)a->arg[0], NULL, a->arg[1], a->arg[2], true, true);
}

long sys_fchownat(const struct fut_syscall_args *a)
{
    long flags = a->arg[4];
    if (flags & ~(FUT_AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    return do_chown((int)a->arg[0], (const char *)a->arg[1], a->arg[2], a->arg[3],
                    !(flags & FUT_AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) != 0);
}

long sys_fchmodat(const struct fut_syscall_args *a)
{
    struct fut_vnode *vn = NULL;
    int rc = vnode_at((int)a->arg[0], (const char *)a->arg[1], true, false, &vn);
    if (rc)
        return rc;
    struct fut_setattr attr = {.mask = FUT_ATTR_MODE, .mode = (uint32_t)a->arg[2] & 07777};
    long r = vn->ops->setattr ? vn->ops->setattr(vn, &attr) : -EPERM;
    fut_vnode_put(vn);
    return r;
}

/* ---- file-system and system information ---- */

struct linux_statfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};

#define RAMFS_MAGIC 0x858458f6

/* Every filesystem lives in RAM: its capacity is the machine's memory. */
static long put_statfs(void *ubuf)
{
    struct fut_pmm *pmm = fut_pmm_global();
    struct linux_statfs st = {
        .f_type = RAMFS_MAGIC, .f_bsize = 4096,
        .f_blocks = fut_pmm_total_frames(pmm), .f_bfree = fut_pmm_free_frames(pmm),
        .f_bavail = fut_pmm_free_frames(pmm), .f_files = fut_pmm_total_frames(pmm),
        .f_ffree = fut_pmm_free_frames(pmm), .f_namelen = FUT_NAME_MAX, .f_frsize = 4096,
    };
    return fut_copy_to_user(ubuf, &st, sizeof(st));
}

long sys_statfs(const struct fut_syscall_args *a)
{
    struct fut_vnode *vn = NULL;
    int rc = vnode_at(AT_FDCWD, (const char *)a->arg[0], true, false, &vn);
    if (rc)
        return rc;
    fut_vnode_put(vn);
    return put_statfs((void *)a->arg[1]);
}

long sys_fstatfs(const struct fut_syscall_args *a)
{
    if (!fut_fd_lookup(fut_current_fdtable(), (int)a->arg[0]))
        return -EBADF;
    return put_statfs((void *)a->arg[1]);
}

long sys_sync(const struct fut_syscall_args *a)
{
    (void)a;
    return 0; /* nothing is ever dirty on a disk: every filesystem is in memory */
}

struct linux_sysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t pad2;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char reserved[4];
};

long sys_sysinfo(const struct fut_syscall_args *a)
{
    struct fut_pmm *pmm = fut_pmm_global();
    struct fut_task_stats ts;
    fut_task_get_stats(&ts);
    struct linux_sysinfo si = {
        .uptime = (int64_t)(fut_hal_time_ns() / NSEC),
        .totalram = fut_pmm_total_frames(pmm) * 4096,
        .freeram = fut_pmm_free_frames(pmm) * 4096,
        .procs = (uint16_t)ts.live_processes,
        .mem_unit = 1,
    };
    return fut_copy_to_user((void *)a->arg[0], &si, sizeof(si));
}

#define TICKS_PER_SEC 100

struct linux_tms {
    int64_t utime, stime, cutime, cstime;
};

long sys_times(const struct fut_syscall_args *a)
{
    if (a->arg[0]) {
        /* CPU time is not split into user and system: all of it counts as user. */
        struct linux_tms t = {(int64_t)(fut_proc_cpu_time_ns(false) / (NSEC / TICKS_PER_SEC)), 0, 0, 0};
        if (fut_copy_to_user((void *)a->arg[0], &t, sizeof(t)))
            return -EFAULT;
    }
    return (long)(fut_hal_time_ns() / (NSEC / TICKS_PER_SEC));
}

long sys_getrusage(const struct fut_syscall_args *a)
{
    int who = (int)a->arg[0];
    if (who != 0 && who != -1 && who != 1) /* SELF, CHILDREN, THREAD */
        return -EINVAL;
    uint8_t ru[144] = {0};
    if (who != -1) {
        uint64_t ns = fut_proc_cpu_time_ns(who == 1);
        struct linux_timeval tv = {(int64_t)(ns / NSEC), (int64_t)(ns % NSEC / 1000)};
        memcpy(ru, &tv, sizeof(tv)); /* ru_utime */
    }
    return fut_copy_to_user((void *)a->arg[1], ru, sizeof(ru));
}

long sys_getgroups(const struct fut_syscall_args *a)
{
    (void)a;
    return 0; /* root belongs to no supplementary groups */
}

/* ---- mount, umount2 ---- */

#define MS_RDONLY 1
#define MS_REMOUNT 32
#define MNT_FORCE 1
#define MNT_DETACH 2

static int new_fs(const char *type, struct fut_fs **out)
{
    if (!strcmp(type, "proc"))
        return fut_procfs_create(out);
    if (!strcmp(type, "tmpfs") || !strcmp(type, "ramfs"))
        return fut_ramfs_create(out);
    if (!strcmp(type, "devtmpfs") || !strcmp(type, "devfs"))
        return fut_devfs_create(out);
    return -ENODEV;
}

/* Is a filesystem of this type already mounted on exactly this directory? */
static bool already_mounted(struct fut_vnode *dir, const char *type)
{
    for (struct fut_fs *fs = fut_vfs_mount_next(NULL); fs; fs = fut_vfs_mount_next(fs)) {
        if (fs->root == dir && !strcmp(fs->type, type))
            return true;
    }
    return false;
}

long sys_mount(const struct fut_syscall_args *a)
{
    unsigned long flags = (unsigned long)a->arg[3];
    if (flags & MS_REMOUNT)
        return 0; /* mount options are not kept; a remount changes nothing */
    char *target = fut_kmalloc(FUT_PATH_MAX);
    char type[32];
    if (!target)
        return -ENOMEM;
    int rc = fut_user_path(target, (const char *)a->arg[1]);
    long n = rc ? rc : fut_strncpy_from_user(type, (const char *)a->arg[2], sizeof(type));
    if (n < 0) {
        fut_kfree(target);
        return n == -ENAMETOOLONG ? -ENODEV : n;
    }
    struct fut_vnode *dir = NULL;
    rc = fut_vfs_lookup(fut_current_fdtable()->cwd, target,
                        FUT_LOOKUP_FOLLOW | FUT_LOOKUP_DIRECTORY, &dir);
    if (!rc) {
        bool busy = already_mounted(dir, !strcmp(type, "tmpfs") ? "ramfs" : type);
        fut_vnode_put(dir);
        struct fut_fs *fs = NULL;
        rc = busy ? -EBUSY : new_fs(type, &fs);
        if (!rc) {
            rc = fut_vfs_mount(fut_current_fdtable()->cwd, target, fs);
            if (rc)
                fut_fs_destroy(fs);
        }
    }
    fut_kfree(target);
    return rc;
}

long sys_umount2(const struct fut_syscall_args *a)
{
    if (a->arg[1] & ~(MNT_FORCE | MNT_DETACH))
        return -EINVAL;
    char *path = fut_kmalloc(FUT_PATH_MAX);
    if (!path)
        return -ENOMEM;
    int rc = fut_user_path(path, (const char *)a->arg[0]);
    if (!rc)
        rc = fut_vfs_umount(fut_current_fdtable()->cwd, path);
    fut_kfree(path);
    return rc;
}
