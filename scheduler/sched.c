/*
 * The run queue, the current thread and the decision of who runs next.
 *
 * Invariants (fut_sched_check verifies them):
 *  - `current` is RUNNING; no other thread is.
 *  - run_queue holds exactly the RUNNABLE threads other than the idle thread,
 *    nr_runnable of them; the idle thread is never on it.
 *  - dead_pending, if set, is a DEAD thread the CPU has switched away from
 *    (or is switching away from right now), waiting to be freed.
 */
#include "futura/lib/printk.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/sched.h"
#include "sched_internal.h"

static struct fut_list run_queue = FUT_LIST_INIT(run_queue); /* RUNNABLE threads, head runs next */
static size_t nr_runnable;                                   /* length of run_queue */
static struct fut_thread idle_thread;                        /* the boot context, later idle */
static struct fut_thread *current;                           /* the RUNNING thread */
static struct fut_thread *dead_pending; /* died and switched away from; not yet freed */
static unsigned slice_ticks = FUT_SCHED_DEFAULT_SLICE_TICKS;
static unsigned slice_left; /* ticks left in current's slice */
static struct fut_sched_stats stats;

static struct fut_thread *run_queue_thread(struct fut_list *node)
{
    return fut_container_of(node, struct fut_thread, run_link);
}

struct fut_thread *fut_sched_init(void)
{
    idle_thread = (struct fut_thread){0};
    idle_thread.tid = 0;
    idle_thread.state = FUT_THREAD_RUNNING;
    fut_list_init(&run_queue);
    nr_runnable = 0;
    current = &idle_thread;
    dead_pending = NULL;
    slice_left = slice_ticks;
    stats = (struct fut_sched_stats){0};
    return &idle_thread;
}

struct fut_thread *fut_sched_current(void)
{
    return current;
}

struct fut_thread *fut_sched_idle(void)
{
    return &idle_thread;
}

void fut_sched_make_runnable(struct fut_thread *t)
{
    t->state = FUT_THREAD_RUNNABLE;
    fut_list_add_tail(&run_queue, &t->run_link);
    nr_runnable++;
}

void fut_sched_enqueue(struct fut_thread *t)
{
    uint64_t flags = fut_irq_save();
    if (t->state != FUT_THREAD_STOPPED || t == &idle_thread)
        fut_panic("sched: enqueue of thread %d in state %d", t->tid, (int)t->state);
    fut_sched_make_runnable(t);
    fut_irq_restore(flags);
}

void fut_sched_dequeue(struct fut_thread *t)
{
    uint64_t flags = fut_irq_save();
    if (t->state != FUT_THREAD_RUNNABLE || !fut_list_linked(&t->run_link))
        fut_panic("sched: dequeue of thread %d in state %d", t->tid, (int)t->state);
    fut_list_remove(&t->run_link);
    nr_runnable--;
    t->state = FUT_THREAD_STOPPED;
    fut_irq_restore(flags);
}

struct fut_thread *fut_sched_pick_next(void)
{
    struct fut_list *node = fut_list_pop(&run_queue);
    if (!node)
        return &idle_thread;
    nr_runnable--;
    return run_queue_thread(node);
}

/* Frees the thread that died last, unless the CPU may still be on its stack. */
static void release_dead(void)
{
    struct fut_thread *t = dead_pending;
    if (!t || t == current)
        return;
    dead_pending = NULL;
    fut_thread_free(t);
}

void fut_sched_schedule(void)
{
    struct fut_thread *prev = current;
    if (prev->state == FUT_THREAD_RUNNING && prev != &idle_thread)
        fut_panic("sched: schedule while thread %d is still running", prev->tid);
    release_dead();

    struct fut_thread *next = fut_sched_pick_next();
    next->state = FUT_THREAD_RUNNING;
    slice_left = slice_ticks;
    if (next == prev)
        return;
    if (prev == &idle_thread)
        prev->state = FUT_THREAD_RUNNABLE;
    else if (prev->state == FUT_THREAD_DEAD)
        dead_pending = prev;
    current = next;
    stats.switches++;
    fut_sched_switch(prev, next);
    /* prev runs again here (or, in host tests, the fake switch returned). */
    release_dead();
}

void fut_sched_yield(void)
{
    uint64_t flags = fut_irq_save();
    if (current != &idle_thread)
        fut_sched_make_runnable(current);
    fut_sched_schedule();
    fut_irq_restore(flags);
}

static bool need_resched(void)
{
    return nr_runnable > 0 && (current == &idle_thread || slice_left == 0);
}

bool fut_sched_tick(void)
{
    uint64_t flags = fut_irq_save();
    stats.ticks++;
    if (current == &idle_thread) {
        stats.idle_ticks++;
    } else {
        current->run_ticks++;
        if (current->proc)
            current->proc->run_ticks++;
        if (slice_left > 0)
            slice_left--;
    }
    bool resched = need_resched();
    fut_irq_restore(flags);
    return resched;
}

bool fut_sched_need_resched(void)
{
    uint64_t flags = fut_irq_save();
    bool resched = need_resched();
    fut_irq_restore(flags);
    return resched;
}

void fut_sched_set_slice_ticks(unsigned ticks)
{
    slice_ticks = ticks ? ticks : 1;
}

unsigned fut_sched_slice_ticks(void)
{
    return slice_ticks;
}

size_t fut_sched_runnable_count(void)
{
    return nr_runnable;
}

size_t fut_sched_runqueue_snapshot(struct fut_thread **out, size_t max)
{
    uint64_t flags = fut_irq_save();
    size_t n = 0;
    for (struct fut_list *node = run_queue.next; node != &run_queue; node = node->next) {
        if (n < max)
            out[n] = run_queue_thread(node);
        n++;
    }
    fut_irq_restore(flags);
    return n;
}

void fut_sched_get_stats(struct fut_sched_stats *out)
{
    *out = stats;
}

bool fut_sched_check(void)
{
    uint64_t flags = fut_irq_save();
    bool ok = current && current->state == FUT_THREAD_RUNNING;
    if (current != &idle_thread && idle_thread.state != FUT_THREAD_RUNNABLE)
        ok = false;
    size_t n = 0;
    for (struct fut_list *node = run_queue.next; node != &run_queue; node = node->next) {
        struct fut_thread *t = run_queue_thread(node);
        if (t == &idle_thread || t == current || t->state != FUT_THREAD_RUNNABLE ||
            node->next->prev != node)
            ok = false;
        n++;
    }
    if (n != nr_runnable)
        ok = false;
    if (dead_pending && dead_pending->state != FUT_THREAD_DEAD)
        ok = false;
    fut_irq_restore(flags);
    return ok;
}
