/*
 * Timers on one list sorted by deadline.
 *
 * Invariants (fut_timers_check verifies them):
 *  - `pending` is sorted by deadline, and timers with equal deadlines are in
 *    the order they were added (an add goes after every equal deadline).
 *  - A timer is pending iff its link is on a list: `pending`, or the batch
 *    fut_timers_expire is firing; nr_pending counts both.
 */
#include "futura/scheduler/arch.h"
#include "futura/scheduler/timer.h"

static struct fut_list pending = FUT_LIST_INIT(pending);
static size_t nr_pending;
static uint64_t now; /* the latest time fut_timers_expire was fed */

static struct fut_timer *timer_of(struct fut_list *node)
{
    return fut_container_of(node, struct fut_timer, link);
}

/* Removes a pending timer; interrupts off. */
static void timer_remove(struct fut_timer *timer)
{
    fut_list_remove(&timer->link);
    nr_pending--;
}

static void (*arm_hook)(uint64_t deadline_ns);

void fut_timers_set_arm_hook(void (*hook)(uint64_t deadline_ns))
{
    arm_hook = hook;
}

void fut_timer_add(struct fut_timer *timer, uint64_t deadline_ns, fut_timer_fn fn)
{
    uint64_t flags = fut_irq_save();
    if (fut_timer_pending(timer))
        timer_remove(timer);
    timer->deadline_ns = deadline_ns;
    timer->fn = fn;
    /* After the last timer that is due no later: equal deadlines stay FIFO. */
    struct fut_list *pos = pending.prev;
    while (pos != &pending && timer_of(pos)->deadline_ns > deadline_ns)
        pos = pos->prev;
    fut_list_insert_after(pos, &timer->link);
    nr_pending++;
    /* A new earliest deadline: let the machine fire a one-shot interrupt for
     * it rather than wait for the next periodic tick. */
    if (arm_hook && pos == &pending)
        arm_hook(deadline_ns);
    fut_irq_restore(flags);
}

bool fut_timer_cancel(struct fut_timer *timer)
{
    uint64_t flags = fut_irq_save();
    bool was_pending = fut_timer_pending(timer);
    if (was_pending)
        timer_remove(timer);
    fut_irq_restore(flags);
    return was_pending;
}

bool fut_timer_pending(const struct fut_timer *timer)
{
    return fut_list_linked(&timer->link);
}

size_t fut_timers_expire(uint64_t now_ns)
{
    uint64_t flags = fut_irq_save();
    if (now_ns > now)
        now = now_ns;
    /* Detach everything due first, so a callback that re-adds a timer for a
     * past deadline cannot keep this loop going. */
    struct fut_list due;
    fut_list_init(&due);
    while (!fut_list_empty(&pending) && timer_of(pending.next)->deadline_ns <= now) {
        struct fut_list *node = fut_list_pop(&pending);
        fut_list_add_tail(&due, node);
    }
    size_t fired = 0;
    struct fut_list *node;
    while ((node = fut_list_first(&due))) {
        struct fut_timer *timer = timer_of(node);
        timer_remove(timer); /* not pending while its callback runs */
        timer->fn(timer);
        fired++;
    }
    fut_irq_restore(flags);
    return fired;
}

uint64_t fut_timers_now(void)
{
    return now;
}

bool fut_timers_next_deadline(uint64_t *deadline_ns)
{
    uint64_t flags = fut_irq_save();
    bool any = !fut_list_empty(&pending);
    if (any)
        *deadline_ns = timer_of(pending.next)->deadline_ns;
    fut_irq_restore(flags);
    return any;
}

size_t fut_timers_pending_count(void)
{
    return nr_pending;
}

void fut_timers_init(uint64_t now_ns)
{
    uint64_t flags = fut_irq_save();
    while (!fut_list_empty(&pending))
        fut_list_remove(pending.next);
    nr_pending = 0;
    now = now_ns;
    fut_irq_restore(flags);
}

bool fut_timers_check(void)
{
    uint64_t flags = fut_irq_save();
    bool ok = true;
    size_t n = 0;
    uint64_t last = 0;
    for (struct fut_list *node = pending.next; node != &pending; node = node->next) {
        struct fut_timer *timer = timer_of(node);
        if (timer->deadline_ns < last || node->next->prev != node)
            ok = false;
        last = timer->deadline_ns;
        n++;
    }
    /* Outside fut_timers_expire nothing is in a firing batch. */
    if (n != nr_pending)
        ok = false;
    fut_irq_restore(flags);
    return ok;
}
