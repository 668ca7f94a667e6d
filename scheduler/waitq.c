/*
 * Blocking and waking: wait queues, timed waits, sleeps and interruption.
 *
 * A BLOCKED thread is on at most one wait queue (t->waitq, t->wait_link) and
 * has its wait timer armed iff its wait has a deadline. fut_waitq_end_wait is
 * the only way out of BLOCKED, and it undoes both, so whichever of wake-up,
 * timeout or interruption comes first ends the wait and the others find
 * nothing left to do.
 */
#include "futura/lib/printk.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/waitq.h"
#include "sched_internal.h"

static struct fut_thread *waiter_of(struct fut_list *node)
{
    return fut_container_of(node, struct fut_thread, wait_link);
}

void fut_waitq_init(struct fut_waitq *wq)
{
    fut_list_init(&wq->waiters);
}

bool fut_waitq_has_waiters(const struct fut_waitq *wq)
{
    return !fut_list_empty(&wq->waiters);
}

void fut_waitq_end_wait(struct fut_thread *t, enum fut_wake_reason reason)
{
    if (t->waitq) {
        fut_list_remove(&t->wait_link);
        t->waitq = NULL;
    }
    fut_timer_cancel(&t->wait_timer);
    t->wake_reason = reason;
    fut_sched_make_runnable(t);
}

static void wait_timer_expired(struct fut_timer *timer)
{
    struct fut_thread *t = fut_container_of(timer, struct fut_thread, wait_timer);
    if (t->state == FUT_THREAD_BLOCKED)
        fut_waitq_end_wait(t, FUT_WAKE_TIMEOUT);
}

/* Blocks the current thread on wq (may be NULL) until woken, and until
 * deadline_ns if `timed`. */
static enum fut_wake_reason block_current(struct fut_waitq *wq, bool timed, uint64_t deadline_ns)
{
    uint64_t flags = fut_irq_save();
    struct fut_thread *t = fut_sched_current();
    if (t == fut_sched_idle())
        fut_panic("waitq: the idle thread cannot wait");
    if (t->interrupt_pending) {
        t->wake_reason = FUT_WAKE_INTERRUPTED;
    } else if (timed && deadline_ns <= fut_timers_now()) {
        t->wake_reason = FUT_WAKE_TIMEOUT;
    } else {
        t->state = FUT_THREAD_BLOCKED;
        t->wake_reason = FUT_WAKE_NONE;
        t->waitq = wq;
        if (wq)
            fut_list_add_tail(&wq->waiters, &t->wait_link);
        if (timed)
            fut_timer_add(&t->wait_timer, deadline_ns, wait_timer_expired);
        fut_sched_schedule();
    }
    enum fut_wake_reason reason = t->wake_reason;
    fut_irq_restore(flags);
    return reason;
}

enum fut_wake_reason fut_waitq_wait(struct fut_waitq *wq)
{
    return block_current(wq, false, 0);
}

enum fut_wake_reason fut_waitq_wait_timeout(struct fut_waitq *wq, uint64_t deadline_ns)
{
    return block_current(wq, true, deadline_ns);
}

enum fut_wake_reason fut_sleep_until(uint64_t deadline_ns)
{
    return block_current(NULL, true, deadline_ns);
}

struct fut_thread *fut_waitq_wake_one(struct fut_waitq *wq)
{
    uint64_t flags = fut_irq_save();
    struct fut_list *node = fut_list_first(&wq->waiters);
    struct fut_thread *t = node ? waiter_of(node) : NULL;
    if (t)
        fut_waitq_end_wait(t, FUT_WAKE_EVENT);
    fut_irq_restore(flags);
    return t;
}

size_t fut_waitq_wake_all(struct fut_waitq *wq)
{
    uint64_t flags = fut_irq_save();
    size_t woken = 0;
    struct fut_list *node;
    /* Woken threads cannot wait again before this loop ends: interrupts are
     * off and they are not running. */
    while ((node = fut_list_first(&wq->waiters))) {
        fut_waitq_end_wait(waiter_of(node), FUT_WAKE_EVENT);
        woken++;
    }
    fut_irq_restore(flags);
    return woken;
}

bool fut_thread_interrupt(struct fut_thread *t)
{
    uint64_t flags = fut_irq_save();
    t->interrupt_pending = true;
    bool woke = t->state == FUT_THREAD_BLOCKED;
    if (woke)
        fut_waitq_end_wait(t, FUT_WAKE_INTERRUPTED);
    fut_irq_restore(flags);
    return woke;
}

void fut_thread_clear_interrupt(struct fut_thread *t)
{
    uint64_t flags = fut_irq_save();
    t->interrupt_pending = false;
    fut_irq_restore(flags);
}

bool fut_waitq_check(const struct fut_waitq *wq)
{
    uint64_t flags = fut_irq_save();
    bool ok = true;
    for (struct fut_list *node = wq->waiters.next; node != &wq->waiters; node = node->next) {
        struct fut_thread *t = waiter_of(node);
        if (t->state != FUT_THREAD_BLOCKED || t->waitq != wq || node->next->prev != node)
            ok = false;
    }
    fut_irq_restore(flags);
    return ok;
}
