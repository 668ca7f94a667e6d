/*
 * Process life: the calling process, ending a process, default-action kills,
 * and the checks made on every return to user mode.
 */
#include "futura/arch/thread.h"
#include "futura/arch/timer.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/mm.h"
#include "futura/futex.h"
#include "futura/proc.h"
#include "futura/signal.h"
#include "futura/uaccess.h"
#include "futura/scheduler/sched.h"
#include "futura/syscalls/files.h"
#include "names.h"

struct fut_process *fut_current_process(void)
{
    struct fut_thread *t = fut_sched_current();
    return t ? t->proc : NULL;
}

struct fut_fdtable *fut_current_fdtable(void)
{
    struct fut_process *p = fut_current_process();
    return p ? p->files : NULL;
}

uint64_t fut_proc_cpu_time_ns(bool thread)
{
    struct fut_thread *t = fut_sched_current();
    uint64_t ticks = thread || !t->proc ? t->run_ticks : t->proc->run_ticks;
    return ticks * (1000000000ull / FUT_TICK_HZ);
}

/* Releases everything a process owns except its scheduler record. */
static void release_resources(struct fut_process *p)
{
    struct fut_mm *mm = p->mm;
    struct fut_fdtable *files = p->files;
    p->mm = NULL;
    p->files = NULL;
    if (mm) {
        if (fut_mm_current() == mm)
            fut_mm_activate(NULL);
        fut_mm_put(mm);
    }
    fut_fdtable_put(files);
    fut_sigstate_free(p->signals);
    p->signals = NULL;
    fut_proc_names_release(p);
}

static int exit_code_for_host(int wait_status)
{
    if (fut_wstatus_is_exited(wait_status))
        return fut_wstatus_exit_code(wait_status);
    return 128 + fut_wstatus_term_sig(wait_status);
}

void fut_proc_exit(int wait_status)
{
    struct fut_process *p = fut_current_process();
    if (p->clear_child_tid) {
        /* CLONE_CHILD_CLEARTID / set_tid_address: zero the word and wake a waiter. */
        uint32_t zero = 0;
        if (fut_copy_to_user((void *)p->clear_child_tid, &zero, sizeof(zero)) == 0)
            fut_futex_wake(p->clear_child_tid, 1);
    }
    release_resources(p);
    if (p->pid == 1) {
        if (fut_wstatus_is_exited(wait_status))
            fut_printk("init: exited with status %d; powering off\n",
                       fut_wstatus_exit_code(wait_status));
        else
            fut_printk("init: killed by signal %d; powering off\n",
                       fut_wstatus_term_sig(wait_status));
        fut_hal_poweroff(exit_code_for_host(wait_status));
    }
    if (p->parent) {
        struct fut_sig_info info = {
            .code = fut_wstatus_is_exited(wait_status) ? 1 /* CLD_EXITED */
                    : (wait_status & 0x80) ? 3 /* CLD_DUMPED */ : 2 /* CLD_KILLED */,
            .pid = p->pid,
            .status = fut_wstatus_is_exited(wait_status) ? fut_wstatus_exit_code(wait_status)
                                                         : fut_wstatus_term_sig(wait_status),
        };
        fut_signal_send(p->parent, FUT_SIGCHLD, &info);
    }
    fut_process_exit(p, wait_status);
    fut_thread_exit_current();
    fut_panic("a dead thread was scheduled again");
}

void fut_proc_return_to_user(struct fut_trap_frame *frame)
{
    if (fut_sched_need_resched())
        fut_sched_yield();
    /* After the yield: signals may have arrived while we were switched out. */
    fut_signal_deliver(frame);
}

#define RLIM_INFINITY (~0ull)
#define RLIMIT_STACK 3
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7

void fut_rlimits_init(struct fut_process *p)
{
    for (int i = 0; i < 16; i++)
        p->rlimit_cur[i] = p->rlimit_max[i] = RLIM_INFINITY;
    p->rlimit_cur[RLIMIT_STACK] = FUT_USER_STACK_SIZE;
    p->rlimit_cur[RLIMIT_NOFILE] = p->rlimit_max[RLIMIT_NOFILE] = FUT_FD_MAX;
    p->rlimit_cur[RLIMIT_NPROC] = p->rlimit_max[RLIMIT_NPROC] = FUT_PID_MAX;
}
