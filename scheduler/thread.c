/* Threads: creation, death and freeing of the records. */
#include "futura/errno.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/sched.h"
#include "sched_internal.h"

int fut_thread_create(struct fut_process *p, struct fut_thread **out)
{
    struct fut_thread *t = fut_kzalloc(sizeof(*t));
    if (!t)
        return -ENOMEM;
    uint64_t flags = fut_irq_save();
    if (p && (p->state != FUT_PROCESS_RUNNING || p->nr_threads > 0)) {
        fut_irq_restore(flags);
        fut_kfree(t);
        return -EINVAL;
    }
    t->tid = p ? p->pid : 0;
    t->state = FUT_THREAD_STOPPED;
    t->proc = p;
    if (p) {
        fut_list_add_tail(&p->threads, &t->proc_link);
        p->nr_threads++;
    }
    fut_task_counts.live_threads++;
    fut_irq_restore(flags);
    *out = t;
    return 0;
}

/* t stops counting as one of its process's threads. */
static void leave_process(struct fut_thread *t)
{
    struct fut_process *p = t->proc;
    if (!p)
        return;
    fut_list_remove(&t->proc_link);
    p->nr_threads--;
    t->proc = NULL;
    fut_process_thread_left(p);
}

void fut_thread_free(struct fut_thread *t)
{
    fut_sched_free_arch(t);
    fut_task_counts.live_threads--;
    fut_kfree(t);
}

void fut_thread_destroy(struct fut_thread *t)
{
    uint64_t flags = fut_irq_save();
    if (t->state != FUT_THREAD_STOPPED || t == fut_sched_idle())
        fut_panic("thread: destroy of thread %d in state %d", t->tid, (int)t->state);
    leave_process(t);
    t->state = FUT_THREAD_DEAD;
    fut_thread_free(t);
    fut_irq_restore(flags);
}

void fut_thread_exit_current(void)
{
    uint64_t flags = fut_irq_save();
    struct fut_thread *t = fut_sched_current();
    if (t == fut_sched_idle())
        fut_panic("thread: the idle thread cannot exit");
    leave_process(t);
    t->state = FUT_THREAD_DEAD;
    fut_sched_schedule();
    /* Only in host tests, where the fake switch returns; t is gone. */
    fut_irq_restore(flags);
}
