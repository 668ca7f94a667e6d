/*
 * The scheduler: one CPU, preemptive round robin.
 *
 * Runnable threads wait on one FIFO run queue. The thread that stops running
 * - because it blocked, died, yielded or was preempted - is replaced by the
 * run queue's head; a thread that yields or is preempted goes to the tail.
 * When the queue is empty the idle thread runs; it is never on the queue,
 * never blocks and never dies.
 *
 * Every time a thread is picked it gets a slice of fut_sched_slice_ticks()
 * timer ticks. fut_sched_tick, called by the timer interrupt, charges the
 * tick to the running thread and reports whether it should be preempted:
 * when its slice is used up and another thread is runnable, or when the idle
 * thread runs while a thread is runnable. A thread whose slice is used up
 * while nothing else is runnable keeps running until the first tick at which
 * something is.
 *
 * The actual context switch belongs to the arch layer: fut_sched_schedule
 * decides, updates the bookkeeping (the next thread is already "current"
 * when the switch starts) and calls fut_sched_switch(prev, next), which
 * returns when prev runs again - see arch.h for its contract. A DEAD thread
 * is freed by the first of: the code after that switch returning in the
 * thread that resumes, or the next fut_sched_schedule call (a brand-new
 * thread starts in the arch code, not after the switch).
 *
 * The arch layer's duties, in one place:
 *   boot:     idle = fut_sched_init(); idle->arch = <boot thread's state>;
 *             fut_timers_init(fut_hal_time_ns());
 *   tick:     fut_timers_expire(fut_hal_time_ns());
 *             if (fut_sched_tick()) fut_sched_yield();
 *   idle:     for (;;) { cli; if (fut_sched_need_resched()) fut_sched_yield(); sti; hlt; }
 *             (sti; hlt back to back, so a wake-up between the check and the
 *             hlt is not lost)
 *   provide:  fut_sched_switch, fut_sched_free_arch, fut_irq_save/restore (arch.h)
 *
 * Interrupts: fut_sched_schedule and fut_sched_pick_next need interrupts off;
 * the other functions mask them themselves. fut_sched_yield may be called
 * from a thread or from the timer interrupt's exit path on the interrupted
 * thread's stack (that is preemption).
 */
#ifndef FUTURA_SCHEDULER_SCHED_H
#define FUTURA_SCHEDULER_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/scheduler/task.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 10 ms at the kernel's 1 kHz tick. */
#define FUT_SCHED_DEFAULT_SLICE_TICKS 10

/* Makes the calling context the idle thread (RUNNING, current, tid 0) with an
 * empty run queue, and returns its record, which the scheduler owns (it is
 * never freed). Once at boot; host tests call it in their set-up. */
struct fut_thread *fut_sched_init(void);

/* The running thread; the idle thread when nothing else runs; NULL before
 * fut_sched_init. */
struct fut_thread *fut_sched_current(void);
struct fut_thread *fut_sched_idle(void);

/* Makes a STOPPED thread RUNNABLE at the run queue's tail. */
void fut_sched_enqueue(struct fut_thread *t);
/* Takes a RUNNABLE thread (not the idle thread) off the run queue: it becomes
 * STOPPED until fut_sched_enqueue. */
void fut_sched_dequeue(struct fut_thread *t);

/* Removes and returns the run queue's head, or the idle thread when the
 * queue is empty. The scheduling policy in one place; interrupts off. Only
 * fut_sched_schedule calls it (tests may call it to look at the policy). */
struct fut_thread *fut_sched_pick_next(void);

/* Switches to the next thread. The caller has already taken the current
 * thread out of RUNNING (blocked, dead, or enqueued); interrupts off. If the
 * pick is the current thread itself (it yielded to an empty queue) nothing is
 * switched. Returns when the calling thread runs again. */
void fut_sched_schedule(void);

/* The current thread goes to the run queue's tail and the head runs; sched_yield
 * and preemption. Returns at once if nothing else is runnable. */
void fut_sched_yield(void);

/* Timer-interrupt accounting: charges one tick to the current thread and
 * returns fut_sched_need_resched(). */
bool fut_sched_tick(void);

/* True when the current thread should give way: another thread is runnable
 * and the current one is the idle thread or has used up its slice. */
bool fut_sched_need_resched(void);

void fut_sched_set_slice_ticks(unsigned ticks); /* >= 1; applies from the next pick */
unsigned fut_sched_slice_ticks(void);

size_t fut_sched_runnable_count(void);
/* Copies up to `max` run-queue entries, head first; returns the queue length.
 * For tests and debugging. */
size_t fut_sched_runqueue_snapshot(struct fut_thread **out, size_t max);

/* Counted since fut_sched_init. */
struct fut_sched_stats {
    uint64_t switches;   /* fut_sched_switch calls */
    uint64_t ticks;      /* fut_sched_tick calls */
    uint64_t idle_ticks; /* ticks that found the idle thread running */
};
void fut_sched_get_stats(struct fut_sched_stats *out);

/* Audits the run queue and the current thread; for tests. */
bool fut_sched_check(void);

#ifdef __cplusplus
}
#endif

#endif
