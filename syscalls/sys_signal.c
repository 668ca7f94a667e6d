/*
 * Signal system calls: kill and friends, handlers and masks, sigreturn,
 * waiting for signals, alternate stacks, and process groups and sessions
 * (what job control signals are addressed to).
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/futex.h"
#include "futura/hal.h"
#include "futura/proc.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/waitq.h"
#include "futura/signal.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"

#define BIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (BIT(FUT_SIGKILL) | BIT(FUT_SIGSTOP))
#define SIGSET_SIZE 8

static bool valid_signal(long sig)
{
    return sig >= 0 && sig <= FUT_NSIG;
}

/* Sends sig (0: only check) to p as kill(2) does. */
static void deliver(struct fut_process *p, int sig)
{
    if (!sig)
        return;
    struct fut_sig_info info = {.code = 0 /* SI_USER */, .pid = fut_current_process()->pid};
    fut_signal_send(p, sig, &info);
}

long sys_kill(const struct fut_syscall_args *a)
{
    int pid = (int)a->arg[0], sig = (int)a->arg[1];
    if (!valid_signal(sig))
        return -EINVAL;
    struct fut_process *self = fut_current_process();
    if (pid > 0) {
        struct fut_process *p = fut_process_find(pid);
        if (!p || p->pid != pid)
            return -ESRCH;
        deliver(p, sig);
        return 0;
    }
    int pgid = pid == 0 ? self->pgid : -pid, found = 0;
    for (int i = 1; i <= FUT_PID_MAX; i++) {
        struct fut_process *p = fut_process_find(i);
        if (!p || p->pid != i || p->state != FUT_PROCESS_RUNNING)
            continue;
        if (pid == -1 ? (p->pid == 1 || p == self) : p->pgid != pgid)
            continue;
        found++;
        deliver(p, sig);
    }
    return found ? 0 : -ESRCH;
}

static long kill_thread(int tgid, int tid, long sig)
{
    if (!valid_signal(sig))
        return -EINVAL;
    struct fut_process *p = fut_process_find(tid);
    if (!p || p->pid != tid || (tgid >= 0 && p->pid != tgid))
        return -ESRCH;
    deliver(p, (int)sig);
    return 0;
}

long sys_tgkill(const struct fut_syscall_args *a)
{
    return kill_thread((int)a->arg[0], (int)a->arg[1], a->arg[2]);
}

long sys_tkill(const struct fut_syscall_args *a)
{
    return kill_thread(-1, (int)a->arg[0], a->arg[1]);
}

long sys_rt_sigaction(const struct fut_syscall_args *a)
{
    int sig = (int)a->arg[0];
    if (a->arg[3] != SIGSET_SIZE || sig < 1 || sig > FUT_NSIG)
        return -EINVAL;
    struct fut_process *p = fut_current_process();
    struct fut_sigstate *s = p->signals;
    struct fut_k_sigaction act, old = s->action[sig - 1];
    if (a->arg[1]) {
        if (sig == FUT_SIGKILL || sig == FUT_SIGSTOP)
            return -EINVAL;
        if (fut_copy_from_user(&act, (const void *)a->arg[1], sizeof(act)))
            return -EFAULT;
    }
    if (a->arg[2] && fut_copy_to_user((void *)a->arg[2], &old, sizeof(old)))
        return -EFAULT;
    if (a->arg[1]) {
        act.mask &= ~UNBLOCKABLE;
        s->action[sig - 1] = act;
        /* Setting SIG_IGN discards a pending instance (POSIX). */
        if (act.handler == FUT_SIG_IGN)
            p->sig_pending &= ~BIT(sig);
    }
    return 0;
}

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

long sys_rt_sigprocmask(const struct fut_syscall_args *a)
{
    if (a->arg[3] != SIGSET_SIZE)
        return -EINVAL;
    struct fut_process *p = fut_current_process();
    uint64_t set, old = p->sigmask;
    if (a->arg[1]) {
        if (fut_copy_from_user(&set, (const void *)a->arg[1], sizeof(set)))
            return -EFAULT;
        switch (a->arg[0]) {
        case SIG_BLOCK: p->sigmask |= set; break;
        case SIG_UNBLOCK: p->sigmask &= ~set; break;
        case SIG_SETMASK: p->sigmask = set; break;
        default: return -EINVAL;
        }
        p->sigmask &= ~UNBLOCKABLE;
        if (p->sig_pending & ~p->sigmask)
            fut_thread_interrupt(fut_sched_current()); /* now deliverable */
    }
    if (a->arg[2] && fut_copy_to_user((void *)a->arg[2], &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

long sys_rt_sigpending(const struct fut_syscall_args *a)
{
    if (a->arg[1] != SIGSET_SIZE)
        return -EINVAL;
    struct fut_process *p = fut_current_process();
    uint64_t pending = p->sig_pending & p->sigmask;
    return fut_copy_to_user((void *)a->arg[0], &pending, sizeof(pending));
}

long sys_rt_sigreturn(const struct fut_syscall_args *a)
{
    return fut_signal_return(a->frame);
}

/* Sleeps until a signal is delivered: these calls always end with -EINTR. */
static long wait_for_signal(void)
{
    while (fut_sleep_until(UINT64_MAX / 2) != FUT_WAKE_INTERRUPTED)
        ;
    return -EINTR;
}

long sys_pause(const struct fut_syscall_args *a)
{
    (void)a;
    return wait_for_signal();
}

long sys_rt_sigsuspend(const struct fut_syscall_args *a)
{
    if (a->arg[1] != SIGSET_SIZE)
        return -EINVAL;
    uint64_t mask;
    if (fut_copy_from_user(&mask, (const void *)a->arg[0], sizeof(mask)))
        return -EFAULT;
    struct fut_process *p = fut_current_process();
    fut_signal_set_temporary_mask(mask);
    do
        wait_for_signal();
    while (!(p->sig_pending & ~p->sigmask));
    return -EINTR; /* delivery restores the caller's mask (see futura/signal.h) */
}

struct linux_stack {
    uint64_t ss_sp;
    int32_t ss_flags;
    int32_t pad;
    uint64_t ss_size;
};

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

long sys_sigaltstack(const struct fut_syscall_args *a)
{
    struct fut_sigstate *s = fut_current_process()->signals;
    struct fut_trap_frame *f = a->frame;
    bool on = s->altstack_flags != SS_DISABLE && f->rsp > s->altstack_sp &&
              f->rsp <= s->altstack_sp + s->altstack_size;
    struct linux_stack old = {s->altstack_sp, on ? SS_ONSTACK : s->altstack_flags, 0,
                              s->altstack_size};
    if (a->arg[0]) {
        struct linux_stack ns;
        if (fut_copy_from_user(&ns, (const void *)a->arg[0], sizeof(ns)))
            return -EFAULT;
        if (on)
            return -EPERM;
        if (ns.ss_flags & ~SS_DISABLE)
            return -EINVAL;
        if (ns.ss_flags & SS_DISABLE) {
            s->altstack_sp = s->altstack_size = 0;
            s->altstack_flags = SS_DISABLE;
        } else {
            if (ns.ss_size < MINSIGSTKSZ)
                return -ENOMEM;
            s->altstack_sp = ns.ss_sp;
            s->altstack_size = ns.ss_size;
            s->altstack_flags = 0;
        }
    }
    if (a->arg[1] && fut_copy_to_user((void *)a->arg[1], &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

/* ---- process groups and sessions ---- */

long sys_setpgid(const struct fut_syscall_args *a)
{
    struct fut_process *self = fut_current_process();
    int pid = a->arg[0] ? (int)a->arg[0] : self->pid;
    int pgid = a->arg[1] ? (int)a->arg[1] : pid;
    if (pgid < 0)
        return -EINVAL;
    struct fut_process *p = fut_process_find(pid);
    if (!p || p->pid != pid || (p != self && p->parent != self))
        return -ESRCH;
    if (p->sid != self->sid)
        return -EPERM;
    if (p->pid == p->sid)
        return -EPERM; /* a session leader stays in its group */
    if (pgid != pid) {
        /* Joining an existing group: it must exist in the same session. */
        bool found = false;
        for (int i = 1; i <= FUT_PID_MAX && !found; i++) {
            struct fut_process *q = fut_process_find(i);
            found = q && q->pid == i && q->pgid == pgid && q->sid == self->sid;
        }
        if (!found)
            return -EPERM;
    }
    fut_process_set_pgid(p, pgid);
    return 0;
}

long sys_setsid(const struct fut_syscall_args *a)
{
    (void)a;
    struct fut_process *self = fut_current_process();
    for (int i = 1; i <= FUT_PID_MAX; i++) {
        struct fut_process *q = fut_process_find(i);
        if (q && q->pid == i && q->pgid == self->pid)
            return -EPERM; /* already a group leader (or its group is in use) */
    }
    fut_process_set_sid(self, self->pid);
    fut_process_set_pgid(self, self->pid);
    return self->pid;
}

/* ---- futex ---- */

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

struct futex_timespec {
    int64_t tv_sec, tv_nsec;
};

long sys_futex(const struct fut_syscall_args *a)
{
    uint64_t uaddr = (uint64_t)a->arg[0];
    int op = (int)a->arg[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        uint64_t deadline = 0;
        if (a->arg[3]) {
            struct futex_timespec ts;
            if (fut_copy_from_user(&ts, (const void *)a->arg[3], sizeof(ts)))
                return -EFAULT;
            if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
                return -EINVAL;
            uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
            if (op == FUTEX_WAIT) {
                deadline = fut_hal_time_ns() + ns; /* relative */
            } else if (a->arg[1] & FUTEX_CLOCK_REALTIME) {
                uint64_t off = fut_hal_wallclock_offset_ns();
                deadline = ns > off ? ns - off : 1;
            } else {
                deadline = ns ? ns : 1; /* absolute CLOCK_MONOTONIC */
            }
        }
        return fut_futex_wait(uaddr, (uint32_t)a->arg[2], deadline);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        return fut_futex_wake(uaddr, (int)a->arg[2]);
    default:
        return -ENOSYS;
    }
}
