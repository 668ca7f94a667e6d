/*
 * Tasks: processes (struct fut_process) and the threads that run in them
 * (struct fut_thread), kept apart so a process can later own several threads.
 * For now a user process has at most one thread; kernel threads (the idle
 * thread, later workers) belong to no process.
 *
 * Process life cycle:
 *
 *   fut_process_create -> RUNNING --fut_process_exit--> EXITING
 *       --its last thread dies--> ZOMBIE --parent's fut_process_reap--> freed
 *
 * A process with no threads goes from fut_process_exit straight to ZOMBIE.
 * Exit re-parents the children to PID 1 (init) if it exists and is running;
 * otherwise they become orphans with no parent and are freed as soon as they
 * are zombies, since nobody can wait for them. A zombie with a parent wakes
 * the parent's child_exit queue and stays until reaped; its pid stays taken.
 *
 * Thread life cycle:
 *
 *   fut_thread_create -> STOPPED --fut_sched_enqueue--> RUNNABLE <-> RUNNING
 *       RUNNING --fut_waitq_wait...--> BLOCKED --wake--> RUNNABLE
 *       RUNNING --fut_thread_exit_current--> DEAD --switched away from--> freed
 *
 * A DEAD thread's record and arch state (kernel stack) are freed by the
 * scheduler after it has switched away from the thread, once nothing runs on
 * that stack (see sched.h); the arch layer frees its part in
 * fut_sched_free_arch.
 *
 * Ids: a pid is allocated from 1..FUT_PID_MAX, round robin from the last one
 * handed out, skipping every id still used as a pid, process group id or
 * session id by a process that is not yet freed (zombies included). A user
 * thread's tid is its process's pid; kernel threads have tid 0.
 *
 * Locking: single CPU; every function masks interrupts around its work.
 * Creation, destruction and reaping allocate or free memory, so they run in
 * thread context, never in interrupt handlers.
 */
#ifndef FUTURA_SCHEDULER_TASK_H
#define FUTURA_SCHEDULER_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/scheduler/list.h"
#include "futura/scheduler/timer.h"
#include "futura/scheduler/waitq.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Owned by the memory and file layers; the scheduler only carries the pointers. */
struct fut_mm;
struct fut_fdtable;

#define FUT_PID_MAX 32767

enum fut_process_state {
    FUT_PROCESS_RUNNING, /* alive */
    FUT_PROCESS_EXITING, /* fut_process_exit done; threads still finishing */
    FUT_PROCESS_ZOMBIE,  /* all threads gone; waiting for its parent to reap it */
};

/* Hash chains of the pid table (private to process.c). */
enum { FUT_ID_PID, FUT_ID_PGID, FUT_ID_SID, FUT_ID_KINDS };

struct fut_process {
    int pid;
    int pgid; /* process group: wait4(0 or -pgid), kill(-pgid) */
    int sid;  /* session */
    enum fut_process_state state;
    int wait_status;             /* what wait4 reports; set by fut_process_exit */
    struct fut_process *parent;  /* NULL for PID 1 and for orphans when PID 1 is gone */
    struct fut_list children;    /* child processes (sibling), oldest first, zombies included */
    struct fut_list sibling;     /* on parent->children */
    struct fut_list threads;     /* threads that have not died (proc_link) */
    unsigned nr_threads;         /* length of threads */
    struct fut_waitq child_exit; /* threads of this process in wait4; woken when a child
                                  * becomes a zombie */
    uint64_t run_ticks;          /* ticks charged to its threads, dead ones included */
    struct fut_mm *mm;           /* address space: the exit path releases it, not the scheduler */
    struct fut_fdtable *files;   /* open files: likewise */
    struct fut_process *id_hash_next[FUT_ID_KINDS]; /* pid table chains, by pid/pgid/sid */

    /* Owned by the process layer (kernel/proc, syscalls/); the scheduler
     * never reads them. */
    int kill_signal;          /* a fatal signal to die of on the way to user mode */
    uint64_t sigmask;         /* blocked signals (rt_sigprocmask), bit n-1 for signal n */
    uint64_t sig_pending;     /* signals sent and not yet delivered */
    void *signals;            /* struct fut_sigstate: handlers, infos, altstack (kernel/proc) */
    int stop_signal;          /* the signal that stopped it; 0 while running */
    int wait_report;          /* stop/continue status owed to the parent's wait4, or 0 */
    uint64_t clear_child_tid; /* set_tid_address */
    uint64_t robust_list;     /* set_robust_list: the head pointer musl/glibc register */
    uint64_t rlimit_cur[16];  /* getrlimit/setrlimit by RLIMIT_*; set at init, copied by fork */
    uint64_t rlimit_max[16];
    /* What /proc shows of the program: set by exec, copied by fork. */
    char comm[16];      /* executable's basename, NUL-terminated (Linux's TASK_COMM_LEN);
                         * kept until the record is freed, so zombies keep their name */
    char *cmdline;      /* argv strings back to back, each with its NUL; kmalloc'd,
                         * freed with the process's resources at exit; NULL if none */
    size_t cmdline_len; /* bytes in cmdline */
    char *exe_path;     /* absolute path exec opened (kmalloc'd, freed at exit), or NULL */
};

enum fut_thread_state {
    FUT_THREAD_STOPPED,  /* not runnable and not waiting: new, or taken off the run queue */
    FUT_THREAD_RUNNABLE, /* on the run queue (the idle thread: whenever it is not running) */
    FUT_THREAD_RUNNING,  /* the current thread */
    FUT_THREAD_BLOCKED,  /* in a wait: on a wait queue and/or its wait timer armed */
    FUT_THREAD_DEAD,     /* exited; freed once the CPU has switched away from it */
};

struct fut_thread {
    int tid;
    enum fut_thread_state state;
    struct fut_process *proc;         /* owner; NULL for kernel threads and once DEAD */
    struct fut_list proc_link;        /* on proc->threads */
    struct fut_list run_link;         /* on the run queue while RUNNABLE */
    struct fut_waitq *waitq;          /* the queue it is BLOCKED on, or NULL */
    struct fut_list wait_link;        /* on waitq->waiters */
    struct fut_timer wait_timer;      /* armed while BLOCKED in a wait with a deadline */
    enum fut_wake_reason wake_reason; /* why its last wait ended */
    bool interrupt_pending;           /* see fut_thread_interrupt (waitq.h) */
    uint64_t run_ticks;               /* ticks it was running for */
    void *arch;                       /* the arch layer's state: saved rsp, kernel stack, FPU
                                       * area; set by the arch code, freed by fut_sched_free_arch */
};

/* --- Linux wait statuses (the int wait4 stores), built and taken apart. --- */

static inline int fut_wstatus_exited(int code)
{
    return (code & 0xff) << 8;
}
static inline int fut_wstatus_signaled(int sig, bool core_dumped)
{
    return (sig & 0x7f) | (core_dumped ? 0x80 : 0);
}
static inline int fut_wstatus_stopped(int sig)
{
    return ((sig & 0xff) << 8) | 0x7f;
}
#define FUT_WSTATUS_CONTINUED 0xffff

static inline bool fut_wstatus_is_exited(int status)
{
    return (status & 0x7f) == 0;
}
static inline int fut_wstatus_exit_code(int status)
{
    return (status >> 8) & 0xff;
}
static inline bool fut_wstatus_is_signaled(int status)
{
    return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
}
static inline int fut_wstatus_term_sig(int status)
{
    return status & 0x7f;
}
static inline bool fut_wstatus_is_stopped(int status)
{
    return (status & 0xff) == 0x7f;
}
static inline int fut_wstatus_stop_sig(int status)
{
    return (status >> 8) & 0xff;
}

/* --- Processes --- */

/* Forgets every process and restarts pid allocation at 1. Once at boot; host
 * tests call it in their set-up (after freeing what they created). */
void fut_process_init(void);

/* A new RUNNING process without threads, a child of `parent` (NULL: none, as
 * for PID 1), in the parent's process group and session (its own when
 * parentless). mm and files are NULL. Returns 0, -EAGAIN when every pid is
 * taken, -ENOMEM, or -EINVAL when the parent is no longer running. */
int fut_process_create(struct fut_process *parent, struct fut_process **out);

/* Undoes fut_process_create for a process that never ran (a fork that failed
 * half-way): it must be RUNNING with no threads and no children. It is
 * freed at once, without becoming a zombie or waking its parent. */
void fut_process_destroy(struct fut_process *p);

/* The process with this pid, zombies included, or NULL. O(1) expected. */
struct fut_process *fut_process_find(int pid);

/* The process with the smallest pid greater than `pid`, zombies included, or
 * NULL: fut_process_next(0), then the pid of each result, visits every
 * process in pid order (listing /proc). O(processes + hash buckets). */
struct fut_process *fut_process_next(int pid);

/* Records that p has exited with `wait_status` (fut_wstatus_exited(code) or
 * fut_wstatus_signaled(sig, core)), re-parents its children (see above) and
 * turns it into a zombie once it has no threads. Called by p's own thread just
 * before fut_thread_exit_current, after the caller has released p->mm and
 * p->files; later calls for the same process are ignored. */
void fut_process_exit(struct fut_process *p, int wait_status);

/* wait4 options understood by fut_process_reap/fut_process_wait (Linux values). */
#define FUT_WNOHANG 0x00000001
#define FUT_WUNTRACED 0x00000002  /* accepted; stopped children are not reported yet */
#define FUT_WCONTINUED 0x00000008 /* accepted; continued children are not reported yet */
#define FUT_WNOTHREAD 0x20000000  /* accepted, no effect (one thread per process) */
#define FUT_WALL 0x40000000       /* accepted, no effect */
#define FUT_WCLONE 0x80000000u    /* accepted, no effect */

/* One non-blocking wait4 pass over parent's children. `pid` selects as wait4
 * does: > 0 that child, -1 any child, 0 any child in parent's process group,
 * < -1 any child in process group -pid. The first selected zombie in child
 * order (oldest child first) is freed, its status stored in *wait_status (if
 * not NULL) and its pid returned. Otherwise returns 0 if some selected child
 * is still alive, -ECHILD if none is selected, -EINVAL for unknown option
 * bits, -ESRCH for pid == INT32_MIN (as Linux). Options other than
 * FUT_WNOHANG do not change the result. */
int fut_process_reap(struct fut_process *parent, int pid, int options, int *wait_status);

/* wait4: fut_process_reap, blocking on parent->child_exit until a selected
 * child becomes a zombie unless FUT_WNOHANG. Returns what fut_process_reap
 * returns (0 only with FUT_WNOHANG), or -EINTR when interrupted. Blocks, so
 * only the current thread of `parent` calls it. */
int fut_process_wait(struct fut_process *parent, int pid, int options, int *wait_status);

/* Mechanism for setpgid/setsid: moves p to process group pgid / session sid
 * (> 0). The syscalls enforce POSIX's rules (same session, leaders, ...). */
void fut_process_set_pgid(struct fut_process *p, int pgid);
void fut_process_set_sid(struct fut_process *p, int sid);

/* --- Threads --- */

/* A new STOPPED thread of process p (NULL: a kernel thread, tid 0). The
 * caller sets up t->arch (stack, entry point), then fut_sched_enqueue(t).
 * Returns 0, -ENOMEM, or -EINVAL when p is not running or already has a
 * thread (one thread per process for now). */
int fut_thread_create(struct fut_process *p, struct fut_thread **out);

/* Frees a STOPPED thread that is not going to run (a failed fork, or a
 * stopped thread being killed), its arch state included (fut_sched_free_arch).
 * If it was the last thread of an EXITING process, the process becomes a zombie. */
void fut_thread_destroy(struct fut_thread *t);

/* Ends the current thread: it leaves its process (which becomes a zombie if
 * it is EXITING and this was its last thread), becomes DEAD and the CPU
 * switches to the next thread; the record is freed after that switch. In the
 * kernel it does not return. In host tests the fake switch returns, with the
 * record already freed: the caller must not touch it again. */
void fut_thread_exit_current(void);

/* --- Accounting, for leak tests and /proc --- */

struct fut_task_stats {
    uint64_t live_processes; /* created and not yet freed (zombies included) */
    uint64_t live_threads;   /* created and not yet freed (the static idle thread excluded) */
};
void fut_task_get_stats(struct fut_task_stats *out);

#ifdef __cplusplus
}
#endif

#endif
