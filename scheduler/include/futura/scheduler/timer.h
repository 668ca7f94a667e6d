/*
 * Timers: callbacks that run once the clock passes an absolute deadline.
 *
 * The clock is whatever the caller feeds fut_timers_expire (nanoseconds since
 * boot in the kernel: the timer interrupt passes fut_hal_time_ns()). The
 * module's notion of "now" is the largest value it has been fed; it never
 * goes back. A timer fires at the first fut_timers_expire(now) with
 * now >= deadline, so never early and at most one tick late.
 *
 * Pending timers sit on one list sorted by deadline; timers with equal
 * deadlines fire in the order they were added. Adding scans from the latest
 * deadline backwards (O(1) when deadlines arrive in order, O(pending)
 * otherwise); cancelling and firing are O(1). A timer wheel can replace the
 * list behind this interface when thousands of sleepers make that matter.
 *
 * Callbacks run with interrupts off, from fut_timers_expire (the timer
 * interrupt); they must not block. They may add or cancel any timer,
 * including their own: a timer re-added for a deadline that has already
 * passed fires at the next fut_timers_expire call, not in the current one.
 *
 * Every function here may be called with interrupts on or off, from threads
 * or interrupt handlers; each masks interrupts itself (single CPU).
 */
#ifndef FUTURA_SCHEDULER_TIMER_H
#define FUTURA_SCHEDULER_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/scheduler/list.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fut_timer;
typedef void (*fut_timer_fn)(struct fut_timer *timer);

/* Embed one in the object the callback works on and reach the object with
 * fut_container_of. A zero-filled timer is valid and not pending. */
struct fut_timer {
    struct fut_list link; /* on the pending list (or the batch being fired) while pending */
    uint64_t deadline_ns; /* absolute time at which it fires */
    fut_timer_fn fn;      /* runs once, interrupts off */
};

/* Arms `timer` to run fn(timer) at deadline_ns; a pending timer is first
 * cancelled, so a timer is pending at most once. */
void fut_timer_add(struct fut_timer *timer, uint64_t deadline_ns, fut_timer_fn fn);

/* Disarms `timer`. Returns true if it was pending (so its callback will now
 * never run for this arming), false if it had already fired or was never added. */
bool fut_timer_cancel(struct fut_timer *timer);

bool fut_timer_pending(const struct fut_timer *timer);

/* Advances "now" to now_ns (if later) and runs the callback of every pending
 * timer whose deadline is <= now, earliest deadline first, ties in the order
 * they were added. Returns how many callbacks ran. */
size_t fut_timers_expire(uint64_t now_ns);

/* The latest time fut_timers_expire has been fed (or fut_timers_init set). */
uint64_t fut_timers_now(void);

/* The earliest pending deadline, for programming a one-shot timer; false
 * when no timer is pending. */
bool fut_timers_next_deadline(uint64_t *deadline_ns);

/* Called (interrupts off) whenever a timer becomes the earliest pending one,
 * so the arch layer can program a one-shot interrupt for its deadline; the
 * interrupt then calls fut_timers_expire. NULL: rely on the periodic tick. */
void fut_timers_set_arm_hook(void (*hook)(uint64_t deadline_ns));

/* Number of pending timers. */
size_t fut_timers_pending_count(void);

/* Sets "now" (at boot: the clock's current value) and forgets every pending
 * timer. Once at boot; host tests call it in their set-up. */
void fut_timers_init(uint64_t now_ns);

/* Audits the pending list (sorted, counted); for tests. */
bool fut_timers_check(void);

#ifdef __cplusplus
}
#endif

#endif
