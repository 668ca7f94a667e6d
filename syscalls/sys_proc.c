/*
 * Process system calls: execve, exit, wait4, ids, kill (default actions),
 * sleeping, yielding, TLS set-up and the signal bookkeeping musl needs.
 */
#include "futura/arch/thread.h"
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/mm.h"
#include "futura/proc.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/waitq.h"
#include "futura/syscalls/exec_stack.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"
#include "futura/vfs/abi.h"

#define NSEC 1000000000ll

/* ---- execve ---- */

/* Copies a NULL-terminated user array of strings into one kernel block:
 * the pointer array followed by the strings. */
static int copy_strings(const char *const *uarr, char ***out, size_t *budget)
{
    uint64_t n = 0;
    const char *up;
    if (uarr) {
        for (;; n++) {
            if (n >= FUT_EXEC_MAX_STRINGS)
                return -E2BIG;
            if (fut_copy_from_user(&up, uarr + n, sizeof(up)))
                return -EFAULT;
            if (!up)
                break;
        }
    }
    char **arr = fut_kmalloc((n + 1) * sizeof(char *));
    if (!arr)
        return -ENOMEM;
    memset(arr, 0, (n + 1) * sizeof(char *));
    int rc = 0;
    for (uint64_t i = 0; i < n && !rc; i++) {
        if (fut_copy_from_user(&up, uarr + i, sizeof(up))) {
            rc = -EFAULT;
            break;
        }
        size_t room = *budget < FUT_PATH_MAX * 32 ? *budget : FUT_PATH_MAX * 32;
        char *tmp = fut_kmalloc(room ? room : 1);
        long len = tmp ? fut_strncpy_from_user(tmp, up, room) : -ENOMEM;
        if (len == -ENAMETOOLONG)
            len = -E2BIG;
        if (len < 0) {
            rc = (int)len;
            fut_kfree(tmp);
            break;
        }
        *budget -= (size_t)len + 1;
        arr[i] = fut_kmalloc((size_t)len + 1);
        if (!arr[i])
            rc = -ENOMEM;
        else
            memcpy(arr[i], tmp, (size_t)len + 1);
        fut_kfree(tmp);
    }
    if (rc) {
        for (uint64_t i = 0; i < n; i++)
            fut_kfree(arr[i]);
        fut_kfree(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

static void free_strings(char **arr)
{
    for (size_t i = 0; arr && arr[i]; i++)
        fut_kfree(arr[i]);
    fut_kfree(arr);
}

long sys_execve(const struct fut_syscall_args *a)
{
    char *path = fut_kmalloc(FUT_PATH_MAX);
    if (!path)
        return -ENOMEM;
    char **argv = NULL, **envp = NULL;
    size_t budget = FUT_EXEC_ARG_MAX;
    int rc = fut_user_path(path, (const char *)a->arg[0]);
    if (!rc)
        rc = copy_strings((const char *const *)a->arg[1], &argv, &budget);
    if (!rc)
        rc = copy_strings((const char *const *)a->arg[2], &envp, &budget);
    if (!rc)
        rc = fut_proc_exec(path, (const char *const *)argv, (const char *const *)envp, a->frame);
    free_strings(argv);
    free_strings(envp);
    fut_kfree(path);
    return rc;
}

/* ---- exit and wait ---- */

long sys_exit(const struct fut_syscall_args *a)
{
    fut_proc_exit(fut_wstatus_exited((int)a->arg[0]));
}

long sys_exit_group(const struct fut_syscall_args *a)
{
    fut_proc_exit(fut_wstatus_exited((int)a->arg[0]));
}

/* Does `child` match wait4's pid selector for `parent`? */
static bool selected(const struct fut_process *parent, const struct fut_process *child, int pid)
{
    if (pid > 0)
        return child->pid == pid;
    if (pid == -1)
        return true;
    return child->pgid == (pid == 0 ? parent->pgid : -pid);
}

/* A stop or continue report of a selected child, for WUNTRACED/WCONTINUED. */
static int take_report(struct fut_process *parent, int pid, int options, int *status)
{
    for (struct fut_list *l = parent->children.next; l != &parent->children; l = l->next) {
        struct fut_process *c = fut_container_of(l, struct fut_process, sibling);
        int r = c->wait_report;
        if (!r || !selected(parent, c, pid))
            continue;
        bool stopped = fut_wstatus_is_stopped(r) && r != FUT_WSTATUS_CONTINUED;
        if ((stopped && (options & FUT_WUNTRACED)) ||
            (r == FUT_WSTATUS_CONTINUED && (options & FUT_WCONTINUED))) {
            c->wait_report = 0;
            *status = r;
            return c->pid;
        }
    }
    return 0;
}

long sys_wait4(const struct fut_syscall_args *a)
{
    struct fut_process *self = fut_current_process();
    int pid = (int)a->arg[0], options = (int)a->arg[2], status = 0;
    long rc;
    uint64_t flags = fut_irq_save();
    bool interrupted = false;
    for (;;) {
        /* Check before giving up on a signal: SIGCHLD itself interrupts the
         * wait for the child that sent it. */
        rc = fut_process_reap(self, pid, options | FUT_WNOHANG, &status);
        if (rc == 0)
            rc = take_report(self, pid, options, &status);
        if (rc != 0 || (options & FUT_WNOHANG))
            break;
        if (interrupted) {
            rc = -EINTR;
            break;
        }
        interrupted = fut_waitq_wait(&self->child_exit) == FUT_WAKE_INTERRUPTED;
    }
    fut_irq_restore(flags);
    if (rc > 0 && a->arg[1] && fut_copy_to_user((void *)a->arg[1], &status, sizeof(status)))
        return -EFAULT;
    if (rc >= 0 && a->arg[3]) {
        static const uint8_t zero_rusage[144]; /* struct rusage: no accounting yet */
        if (fut_copy_to_user((void *)a->arg[3], zero_rusage, sizeof(zero_rusage)))
            return -EFAULT;
    }
    return rc;
}

/* ---- ids ---- */

long sys_getpid(const struct fut_syscall_args *a)
{
    (void)a;
    return fut_current_process()->pid;
}

long sys_gettid(const struct fut_syscall_args *a)
{
    (void)a;
    return fut_sched_current()->tid;
}

long sys_getppid(const struct fut_syscall_args *a)
{
    (void)a;
    struct fut_process *parent = fut_current_process()->parent;
    return parent ? parent->pid : 0;
}

long sys_getuid(const struct fut_syscall_args *a)
{
    (void)a;
    return 0; /* everyone is root for now */
}

long sys_geteuid(const struct fut_syscall_args *a) { return sys_getuid(a); }
long sys_getgid(const struct fut_syscall_args *a) { return sys_getuid(a); }
long sys_getegid(const struct fut_syscall_args *a) { return sys_getuid(a); }

long sys_getpgid(const struct fut_syscall_args *a)
{
    struct fut_process *p = a->arg[0] ? fut_process_find((int)a->arg[0]) : fut_current_process();
    return p ? p->pgid : -ESRCH;
}

long sys_getpgrp(const struct fut_syscall_args *a)
{
    (void)a;
    return fut_current_process()->pgid;
}

long sys_getsid(const struct fut_syscall_args *a)
{
    struct fut_process *p = a->arg[0] ? fut_process_find((int)a->arg[0]) : fut_current_process();
    return p ? p->sid : -ESRCH;
}

/* ---- time: sleeping and yielding ---- */

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

static int get_timespec(const void *u, uint64_t *ns)
{
    struct linux_timespec ts;
    if (fut_copy_from_user(&ts, u, sizeof(ts)))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC)
        return -EINVAL;
    /* Far-future sleeps saturate rather than wrap. */
    *ns = (uint64_t)ts.tv_sec > (UINT64_MAX / 2) / NSEC ? UINT64_MAX / 2
                                                        : (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
    return 0;
}

static long sleep_until(uint64_t deadline, void *urem)
{
    if (fut_sleep_until(deadline) != FUT_WAKE_INTERRUPTED)
        return 0;
    if (urem) {
        uint64_t now = fut_hal_time_ns();
        uint64_t left = deadline > now ? deadline - now : 0;
        struct linux_timespec rem = {(int64_t)(left / NSEC), (int64_t)(left % NSEC)};
        if (fut_copy_to_user(urem, &rem, sizeof(rem)))
            return -EFAULT;
    }
    return -EINTR;
}

long sys_nanosleep(const struct fut_syscall_args *a)
{
    uint64_t ns;
    int rc = get_timespec((const void *)a->arg[0], &ns);
    if (rc)
        return rc;
    /* From the clock itself, not the last tick's time: never wake early. */
    return sleep_until(fut_hal_time_ns() + ns, (void *)a->arg[1]);
}

#define TIMER_ABSTIME 1

long sys_clock_nanosleep(const struct fut_syscall_args *a)
{
    long clk = a->arg[0];
    uint64_t ns, now_clk;
    if (a->arg[1] & ~TIMER_ABSTIME)
        return -EINVAL;
    int rc = fut_clock_read(clk, &now_clk);
    if (rc)
        return rc;
    if (clk == 2 || clk == 3)
        return -EINVAL; /* CPU-time clocks cannot be slept on (Linux: EINVAL for the thread one) */
    if ((rc = get_timespec((const void *)a->arg[2], &ns)))
        return rc;
    uint64_t deadline;
    if (!(a->arg[1] & TIMER_ABSTIME)) {
        deadline = fut_hal_time_ns() + ns;
    } else if (clk == 0 || clk == 5) {
        /* Wall-clock deadline: the wall clock is the monotonic one plus a
         * fixed offset, so the conversion is exact (equal deadlines stay equal). */
        uint64_t offset = fut_hal_wallclock_offset_ns();
        deadline = ns > offset ? ns - offset : 0;
    } else {
        deadline = ns; /* the monotonic clocks are the timers' own clock */
    }
    /* An absolute sleep reports no remaining time (as POSIX). */
    return sleep_until(deadline, (a->arg[1] & TIMER_ABSTIME) ? NULL : (void *)a->arg[3]);
}

long sys_sched_yield(const struct fut_syscall_args *a)
{
    (void)a;
    fut_sched_yield();
    return 0;
}

/* ---- thread set-up musl performs at start ---- */

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define USER_TOP 0x0000800000000000ull

long sys_arch_prctl(const struct fut_syscall_args *a)
{
    struct fut_arch_thread *t = fut_sched_current()->arch;
    uint64_t addr = (uint64_t)a->arg[1];
    switch (a->arg[0]) {
    case ARCH_SET_FS:
        if (addr >= USER_TOP)
            return -EPERM;
        fut_arch_set_fs_base(t, addr);
        return 0;
    case ARCH_SET_GS:
        if (addr >= USER_TOP)
            return -EPERM;
        fut_arch_set_gs_base(t, addr);
        return 0;
    case ARCH_GET_FS:
        return fut_copy_to_user((void *)addr, &t->fs_base, sizeof(t->fs_base));
    case ARCH_GET_GS:
        return fut_copy_to_user((void *)addr, &t->gs_base, sizeof(t->gs_base));
    default:
        return -EINVAL;
    }
}

long sys_set_tid_address(const struct fut_syscall_args *a)
{
    fut_current_process()->clear_child_tid = (uint64_t)a->arg[0];
    return fut_sched_current()->tid;
}

/* ---- power ---- */

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_MAGIC2A 85072278
#define LINUX_REBOOT_MAGIC2B 369367448
#define LINUX_REBOOT_MAGIC2C 537993216
#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_HALT 0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000

long sys_reboot(const struct fut_syscall_args *a)
{
    unsigned long m1 = (unsigned long)a->arg[0] & 0xffffffff, m2 = (unsigned long)a->arg[1];
    if (m1 != LINUX_REBOOT_MAGIC1 ||
        (m2 != LINUX_REBOOT_MAGIC2 && m2 != LINUX_REBOOT_MAGIC2A && m2 != LINUX_REBOOT_MAGIC2B &&
         m2 != LINUX_REBOOT_MAGIC2C))
        return -EINVAL;
    switch ((unsigned long)a->arg[2] & 0xffffffff) {
    case LINUX_REBOOT_CMD_POWER_OFF:
    case LINUX_REBOOT_CMD_HALT:
        fut_printk("reboot: power off\n");
        fut_hal_poweroff(0);
    case LINUX_REBOOT_CMD_RESTART:
        /* QEMU runs with -no-reboot: a restart ends the machine like Linux's would. */
        fut_printk("reboot: restart\n");
        fut_hal_poweroff(0);
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        return 0;
    default:
        return -EINVAL;
    }
}

/* ---- fork ---- */

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_VFORK 0x4000
#define CLONE_THREAD 0x10000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000
#define CSIGNAL 0xff
#define SIGCHLD 17

long sys_fork(const struct fut_syscall_args *a)
{
    return fut_proc_fork(a->frame);
}

long sys_vfork(const struct fut_syscall_args *a)
{
    /* A vfork child gets its own copy-on-write address space: the same
     * observable behaviour for programs that exec or _exit right away. */
    return fut_proc_fork(a->frame);
}

long sys_clone(const struct fut_syscall_args *a)
{
    unsigned long flags = (unsigned long)a->arg[0];
    uint64_t ptid = (uint64_t)a->arg[2], ctid = (uint64_t)a->arg[3];
    /* Only fork-like clones: no shared memory, files, handlers or threads. */
    unsigned long allowed = CSIGNAL | CLONE_VFORK | CLONE_VM | CLONE_PARENT_SETTID |
                            CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    if (flags & ~allowed)
        return -EINVAL;
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return -EINVAL; /* a thread would need shared memory; vfork is fine without it */
    if ((flags & CSIGNAL) != SIGCHLD && (flags & CSIGNAL) != 0)
        return -EINVAL;
    if (a->arg[1])
        return -EINVAL; /* a new stack means a thread-style clone */
    long pid = fut_proc_fork(a->frame);
    if (pid <= 0)
        return pid;
    int32_t v = (int32_t)pid;
    if ((flags & CLONE_PARENT_SETTID) && fut_copy_to_user((void *)ptid, &v, sizeof(v)))
        return -EFAULT;
    struct fut_process *child = fut_process_find((int)pid);
    if (child && (flags & CLONE_CHILD_CLEARTID))
        child->clear_child_tid = ctid;
    if (child && (flags & CLONE_CHILD_SETTID)) {
        /* The tid goes into the child's memory: briefly run in its address space. */
        struct fut_mm *mine = fut_current_process()->mm;
        fut_mm_activate(child->mm);
        int rc = fut_copy_to_user((void *)ctid, &v, sizeof(v));
        fut_mm_activate(mine);
        if (rc)
            return -EFAULT;
    }
    return pid;
}
