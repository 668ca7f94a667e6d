/*
 * Pipes and readiness: pipe, pipe2, poll, ppoll, select, pselect6.
 *
 * poll and select scan their descriptors with fut_vfs_poll and, when none is
 * ready, sleep on the global fut_poll_waitq (futura/vfs/pipe.h) that every
 * readiness change wakes, then scan again. Scanning and going to sleep happen
 * with interrupts masked, so no wake-up can fall between them. Timeouts are
 * deadlines on the monotonic clock; ppoll, select and pselect6 write the time
 * left back, as Linux does (a restarted call then waits only for the rest).
 *
 * SIGPIPE: a pipe write that finds no reader calls the hook installed here,
 * which sends SIGPIPE to the writing process. Its default action kills the
 * process; with SIG_IGN (or a handler) the write returns -EPIPE.
 *
 * Interrupted waits return -EINTR, which the signal code restarts when the
 * signal had no handler or one with SA_RESTART. Linux never restarts poll
 * and select after a handler ran (-ERESTARTNOHAND); here SA_RESTART
 * restarts them too (with the time left, except for poll's plain timeout).
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/memory/kmalloc.h"
#include "futura/proc.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/waitq.h"
#include "futura/signal.h"
#include "futura/syscalls/files.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"
#include "futura/vfs/pipe.h"
#include "futura/vfs/vfs.h"

#define NSEC 1000000000ull
#define USEC 1000000ull
#define NO_WAIT 0ull                /* deadline: scan once and return */
#define NO_DEADLINE UINT64_MAX      /* deadline: wait until ready or interrupted */
#define FAR_FUTURE (UINT64_MAX / 2) /* longest relative timeout, in ns */
#define SIGSET_SIZE 8
#define SIG_BIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (SIG_BIT(FUT_SIGKILL) | SIG_BIT(FUT_SIGSTOP))

/* ---- pipe, pipe2 ---- */

static void send_sigpipe(void)
{
    struct fut_process *self = fut_current_process();
    struct fut_sig_info info = {.code = 0 /* SI_USER */, .pid = self->pid};
    fut_signal_send(self, FUT_SIGPIPE, &info);
}

static long do_pipe2(int *ufds, long flags)
{
    if (flags & ~(long)(FUT_O_CLOEXEC | FUT_O_NONBLOCK))
        return -EINVAL;
    /* Every pipe a program can write to is made here, so the hook is in
     * place before any write can miss its reader. */
    fut_pipe_set_sigpipe_hook(send_sigpipe);
    struct fut_file *rd, *wr;
    int rc = fut_pipe_create(&rd, &wr, (uint32_t)flags & FUT_O_NONBLOCK);
    if (rc)
        return rc;
    struct fut_fdtable *files = fut_current_fdtable();
    bool cloexec = (flags & FUT_O_CLOEXEC) != 0;
    int fds[2];
    fds[0] = fut_fd_install(files, rd, 0, cloexec);
    if (fds[0] < 0) {
        rc = fds[0];
        fut_vfs_close(rd);
        goto close_wr;
    }
    fds[1] = fut_fd_install(files, wr, 0, cloexec);
    if (fds[1] < 0) {
        rc = fds[1];
        goto close_rd;
    }
    if (fut_copy_to_user(ufds, fds, sizeof(fds))) {
        fut_fd_close(files, fds[1]);
        rc = -EFAULT;
        goto close_rd;
    }
    return 0;

close_rd:
    fut_fd_close(files, fds[0]);
    return rc;
close_wr:
    fut_vfs_close(wr);
    return rc;
}

long sys_pipe(const struct fut_syscall_args *a)
{
    return do_pipe2((int *)a->arg[0], 0);
}

long sys_pipe2(const struct fut_syscall_args *a)
{
    return do_pipe2((int *)a->arg[0], a->arg[1]);
}

/* ---- waiting for readiness ---- */

/* One pass over a call's descriptors: the number ready, or a negative errno.
 * Runs with interrupts masked; must not block or touch user memory. */
typedef int (*scan_fn)(void *ctx);

/* Scans until something is ready, the deadline passes (then scans once
 * more, as Linux does) or a signal arrives (-EINTR). */
static int wait_ready(scan_fn scan, void *ctx, uint64_t deadline)
{
    bool timed_out = deadline == NO_WAIT;
    uint64_t irq = fut_irq_save();
    int n;
    for (;;) {
        n = scan(ctx);
        if (n != 0 || timed_out)
            break;
        enum fut_wake_reason why = deadline == NO_DEADLINE
                                       ? fut_waitq_wait(&fut_poll_waitq)
                                       : fut_waitq_wait_timeout(&fut_poll_waitq, deadline);
        if (why == FUT_WAKE_INTERRUPTED) {
            n = -EINTR;
            break;
        }
        timed_out = why == FUT_WAKE_TIMEOUT;
    }
    fut_irq_restore(irq);
    return n;
}

static uint64_t deadline_after(uint64_t ns)
{
    return ns == 0 ? NO_WAIT : fut_hal_time_ns() + ns;
}

static uint64_t time_left(uint64_t deadline)
{
    uint64_t now = fut_hal_time_ns();
    return deadline != NO_WAIT && deadline > now ? deadline - now : 0;
}

/* Far-future timeouts saturate rather than wrap. */
static uint64_t saturating_ns(uint64_t sec, uint64_t sub_ns)
{
    if (sec >= FAR_FUTURE / NSEC)
        return FAR_FUTURE;
    return sec * NSEC + sub_ns;
}

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct linux_timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

/* A user timespec as a deadline; NULL waits forever. */
static int timespec_deadline(const void *uts, uint64_t *deadline)
{
    struct linux_timespec ts;
    if (!uts) {
        *deadline = NO_DEADLINE;
        return 0;
    }
    if (fut_copy_from_user(&ts, uts, sizeof(ts)))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC)
        return -EINVAL;
    *deadline = deadline_after(saturating_ns((uint64_t)ts.tv_sec, (uint64_t)ts.tv_nsec));
    return 0;
}

/* The time left written back; a failed write is ignored, as Linux does. */
static void put_timespec_left(void *uts, uint64_t deadline)
{
    uint64_t left = time_left(deadline);
    struct linux_timespec ts = {(int64_t)(left / NSEC), (int64_t)(left % NSEC)};
    if (uts)
        fut_copy_to_user(uts, &ts, sizeof(ts));
}

/*
 * ppoll's and pselect6's signal mask, in force while they wait. If a signal
 * the wait's mask let in is pending at the end, the temporary mask stays until
 * that signal is delivered, and delivery brings back the caller's mask (the
 * handler frame saves the caller's, as Linux does); otherwise it goes now.
 */
struct wait_sigmask {
    bool active;
    uint64_t wait; /* the mask while waiting */
};

static int sigmask_begin(struct wait_sigmask *m, const void *umask, size_t size)
{
    m->active = false;
    if (!umask)
        return 0;
    if (size != SIGSET_SIZE)
        return -EINVAL;
    if (fut_copy_from_user(&m->wait, umask, sizeof(m->wait)))
        return -EFAULT;
    struct fut_process *p = fut_current_process();
    m->active = true;
    fut_signal_set_temporary_mask(m->wait);
    /* A signal already pending that the wait's mask lets in ends the wait at
     * once (fut_signal_send interrupted nobody while it was blocked). */
    if (p->sig_pending & ~p->sigmask)
        fut_thread_interrupt(fut_sched_current());
    return 0;
}

static void sigmask_end(struct wait_sigmask *m)
{
    if (!m->active)
        return;
    struct fut_process *p = fut_current_process();
    if (!(p->sig_pending & ~p->sigmask))
        fut_signal_restore_mask();
}

/* ---- poll, ppoll ---- */

struct linux_pollfd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};

struct poll_ctx {
    struct linux_pollfd *fds;
    size_t nfds;
};

static int scan_pollfds(void *arg)
{
    struct poll_ctx *c = arg;
    struct fut_fdtable *files = fut_current_fdtable();
    int ready = 0;
    for (size_t i = 0; i < c->nfds; i++) {
        struct linux_pollfd *pfd = &c->fds[i];
        uint32_t mask = 0;
        if (pfd->fd >= 0) {
            struct fut_file *f = fut_fd_lookup(files, pfd->fd);
            uint32_t wanted = (uint16_t)pfd->events | FUT_POLLERR | FUT_POLLHUP;
            mask = f ? fut_vfs_poll(f) & wanted : FUT_POLLNVAL;
        }
        pfd->revents = (int16_t)mask;
        ready += mask != 0;
    }
    return ready;
}

static long do_poll(struct linux_pollfd *ufds, unsigned long nfds, uint64_t deadline)
{
    if (nfds > FUT_FD_MAX)
        return -EINVAL; /* Linux: more than RLIMIT_NOFILE */
    size_t bytes = nfds * sizeof(struct linux_pollfd);
    struct poll_ctx c = {.fds = fut_kmalloc(bytes), .nfds = nfds};
    if (!c.fds)
        return -ENOMEM;
    long rc = fut_copy_from_user(c.fds, ufds, bytes);
    if (rc == 0)
        rc = wait_ready(scan_pollfds, &c, deadline);
    if (rc >= 0 && fut_copy_to_user(ufds, c.fds, bytes))
        rc = -EFAULT;
    fut_kfree(c.fds);
    return rc;
}

long sys_poll(const struct fut_syscall_args *a)
{
    int timeout_ms = (int)a->arg[2];
    uint64_t deadline =
        timeout_ms < 0 ? NO_DEADLINE : deadline_after((uint64_t)timeout_ms * (NSEC / 1000));
    return do_poll((struct linux_pollfd *)a->arg[0], (unsigned int)a->arg[1], deadline);
}

long sys_ppoll(const struct fut_syscall_args *a)
{
    void *uts = (void *)a->arg[2];
    uint64_t deadline;
    int rc = timespec_deadline(uts, &deadline);
    if (rc)
        return rc;
    struct wait_sigmask m;
    if ((rc = sigmask_begin(&m, (const void *)a->arg[3], (size_t)a->arg[4])))
        return rc;
    long n = do_poll((struct linux_pollfd *)a->arg[0], (unsigned int)a->arg[1], deadline);
    sigmask_end(&m);
    if (uts && n != -EFAULT)
        put_timespec_left(uts, deadline);
    return n;
}

/* ---- select, pselect6 ---- */

#define FDSET_WORDS (FUT_FD_MAX / 64)

/* POLLIN_SET, POLLOUT_SET and POLLEX_SET of Linux's fs/select.c. */
#define SELECT_IN (FUT_POLLIN | FUT_POLLRDNORM | FUT_POLLRDBAND | FUT_POLLHUP | FUT_POLLERR)
#define SELECT_OUT (FUT_POLLOUT | FUT_POLLWRNORM | FUT_POLLWRBAND | FUT_POLLERR)
#define SELECT_EX FUT_POLLPRI

enum { SET_IN, SET_OUT, SET_EX, NR_SETS };

static const uint32_t select_events[NR_SETS] = {SELECT_IN, SELECT_OUT, SELECT_EX};

struct select_ctx {
    int nfds;
    uint64_t want[NR_SETS][FDSET_WORDS]; /* the sets as passed in */
    uint64_t got[NR_SETS][FDSET_WORDS];  /* the result of the last scan */
};

static int scan_fdsets(void *arg)
{
    struct select_ctx *c = arg;
    struct fut_fdtable *files = fut_current_fdtable();
    int ready = 0;
    for (int w = 0; w * 64 < c->nfds; w++) {
        uint64_t any = 0;
        for (int s = 0; s < NR_SETS; s++) {
            c->got[s][w] = 0;
            any |= c->want[s][w];
        }
        for (int b = 0; b < 64 && any; b++, any >>= 1) {
            if (!(any & 1))
                continue;
            struct fut_file *f = fut_fd_lookup(files, w * 64 + b);
            if (!f)
                return -EBADF;
            uint32_t mask = fut_vfs_poll(f);
            for (int s = 0; s < NR_SETS; s++) {
                if ((c->want[s][w] >> b & 1) && (mask & select_events[s])) {
                    c->got[s][w] |= 1ull << b;
                    ready++;
                }
            }
        }
    }
    return ready;
}

/* The bytes of an fd_set select reads and writes: whole longs up to nfds. */
static size_t fdset_bytes(int nfds)
{
    return (size_t)(nfds + 63) / 64 * sizeof(uint64_t);
}

static long do_select(int nfds, uint64_t *const usets[NR_SETS], uint64_t deadline)
{
    if (nfds < 0)
        return -EINVAL;
    if (nfds > FUT_FD_MAX)
        nfds = FUT_FD_MAX; /* Linux: the descriptor table's size */
    struct select_ctx *c = fut_kzalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->nfds = nfds;
    size_t bytes = fdset_bytes(nfds);
    long rc = 0;
    for (int s = 0; s < NR_SETS && rc == 0; s++) {
        if (usets[s] && fut_copy_from_user(c->want[s], usets[s], bytes))
            rc = -EFAULT;
        if (nfds % 64) /* bits at and above nfds are not looked at */
            c->want[s][nfds / 64] &= (1ull << (nfds % 64)) - 1;
    }
    if (rc == 0)
        rc = wait_ready(scan_fdsets, c, deadline);
    for (int s = 0; s < NR_SETS && rc >= 0; s++) {
        if (usets[s] && fut_copy_to_user(usets[s], c->got[s], bytes))
            rc = -EFAULT;
    }
    fut_kfree(c);
    return rc;
}

static void select_sets(const struct fut_syscall_args *a, uint64_t *sets[NR_SETS])
{
    for (int s = 0; s < NR_SETS; s++)
        sets[s] = (uint64_t *)a->arg[1 + s];
}

long sys_select(const struct fut_syscall_args *a)
{
    uint64_t *sets[NR_SETS];
    select_sets(a, sets);
    void *utv = (void *)a->arg[4];
    uint64_t deadline = NO_DEADLINE;
    if (utv) {
        struct linux_timeval tv;
        if (fut_copy_from_user(&tv, utv, sizeof(tv)))
            return -EFAULT;
        if (tv.tv_sec < 0 || tv.tv_usec < 0)
            return -EINVAL;
        /* Linux carries whole seconds out of tv_usec rather than refusing it. */
        uint64_t sec = (uint64_t)tv.tv_sec + (uint64_t)tv.tv_usec / USEC;
        deadline = deadline_after(saturating_ns(sec, (uint64_t)tv.tv_usec % USEC * 1000));
    }
    long n = do_select((int)a->arg[0], sets, deadline);
    if (utv && n != -EFAULT && n != -EINVAL && n != -EBADF) {
        uint64_t left = time_left(deadline);
        struct linux_timeval tv = {(int64_t)(left / NSEC), (int64_t)(left % NSEC / 1000)};
        fut_copy_to_user(utv, &tv, sizeof(tv));
    }
    return n;
}

/* pselect6's sixth argument: the signal mask and its size, by reference. */
struct pselect_sigmask {
    uint64_t set; /* const sigset_t * */
    uint64_t size;
};

long sys_pselect6(const struct fut_syscall_args *a)
{
    uint64_t *sets[NR_SETS];
    select_sets(a, sets);
    void *uts = (void *)a->arg[4];
    uint64_t deadline;
    int rc = timespec_deadline(uts, &deadline);
    if (rc)
        return rc;
    struct pselect_sigmask sm = {0, 0};
    if (a->arg[5] && fut_copy_from_user(&sm, (const void *)a->arg[5], sizeof(sm)))
        return -EFAULT;
    struct wait_sigmask m;
    if ((rc = sigmask_begin(&m, (const void *)sm.set, (size_t)sm.size)))
        return rc;
    long n = do_select((int)a->arg[0], sets, deadline);
    sigmask_end(&m);
    if (uts && n != -EFAULT && n != -EINVAL && n != -EBADF)
        put_timespec_left(uts, deadline);
    return n;
}
