/*
 * Wait queues: how a thread gives up the CPU until something happens.
 *
 * A waiting thread is BLOCKED: it is off the run queue and on the wait
 * queue's list (and, for a wait with a deadline, has its wait timer armed),
 * so it costs nothing until it is woken. Wake-ups are strictly FIFO: the
 * thread that started waiting first is woken first, and woken threads join
 * the run queue's tail in the order they were woken.
 *
 * Every way a wait ends goes through one path that takes the thread off its
 * queue, cancels its wait timer and makes it runnable with a reason, so a
 * thread is woken exactly once per wait: one woken by fut_waitq_wake_one
 * before its deadline is not woken again by its timer, and one whose
 * deadline passed is no longer on the queue for the next wake_one.
 *
 * Lost wake-ups: check the condition and call fut_waitq_wait in one
 * interrupts-off section, otherwise a wake-up that lands between the check
 * and the wait is missed:
 *
 *     uint64_t flags = fut_irq_save();
 *     while (!condition) {
 *         if (fut_waitq_wait(&wq) == FUT_WAKE_INTERRUPTED) { ...; break; }
 *     }
 *     fut_irq_restore(flags);
 *
 * fut_waitq_wait masks interrupts itself and the switch keeps them masked;
 * each thread gets its own interrupt state back when it resumes.
 *
 * Who may call what: the wait functions block, so only a thread that is not
 * the idle thread may call them (never an interrupt handler). The wake
 * functions, fut_thread_interrupt and the timer callbacks may run anywhere,
 * interrupt handlers included. Single CPU: masking interrupts is the lock.
 *
 * Host tests: the context switch is a fake that returns at once, so a wait
 * that blocks returns FUT_WAKE_NONE immediately while the scheduler has moved
 * on to the next thread; the test then plays the other threads and reads
 * the waiter's wake_reason once it is woken.
 */
#ifndef FUTURA_SCHEDULER_WAITQ_H
#define FUTURA_SCHEDULER_WAITQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/scheduler/list.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fut_thread;

/* Why a wait ended: the value the wait functions return. */
enum fut_wake_reason {
    FUT_WAKE_NONE = 0,    /* not woken (yet) */
    FUT_WAKE_EVENT,       /* fut_waitq_wake_one / fut_waitq_wake_all */
    FUT_WAKE_TIMEOUT,     /* the deadline passed */
    FUT_WAKE_INTERRUPTED, /* fut_thread_interrupt (a signal): the caller returns -EINTR */
};

struct fut_waitq {
    struct fut_list waiters; /* BLOCKED threads (wait_link), in the order they will wake */
};

#define FUT_WAITQ_INIT(name)                                                                       \
    {                                                                                              \
        FUT_LIST_INIT((name).waiters)                                                              \
    }

void fut_waitq_init(struct fut_waitq *wq);
bool fut_waitq_has_waiters(const struct fut_waitq *wq);

/* Blocks the current thread on wq until a wake-up or fut_thread_interrupt.
 * Returns at once with FUT_WAKE_INTERRUPTED, without blocking, while the
 * thread has an interrupt pending. */
enum fut_wake_reason fut_waitq_wait(struct fut_waitq *wq);

/* fut_waitq_wait that also ends at deadline_ns (fut_timers_expire's clock)
 * with FUT_WAKE_TIMEOUT. A deadline that is not after fut_timers_now()
 * returns FUT_WAKE_TIMEOUT at once without blocking. */
enum fut_wake_reason fut_waitq_wait_timeout(struct fut_waitq *wq, uint64_t deadline_ns);

/* Sleeps without a queue until deadline_ns (nanosleep): returns
 * FUT_WAKE_TIMEOUT, or FUT_WAKE_INTERRUPTED if interrupted first. */
enum fut_wake_reason fut_sleep_until(uint64_t deadline_ns);

/* Wakes the longest-waiting thread of wq (FUT_WAKE_EVENT); returns it, or
 * NULL if nobody was waiting. */
struct fut_thread *fut_waitq_wake_one(struct fut_waitq *wq);

/* Wakes every thread on wq in FIFO order; returns how many. */
size_t fut_waitq_wake_all(struct fut_waitq *wq);

/* Marks t as having an interrupt pending (a signal to deliver) and, if it is
 * blocked in a wait, wakes it with FUT_WAKE_INTERRUPTED; returns whether it
 * woke it. The mark stays until fut_thread_clear_interrupt (when the signal
 * has been delivered) and makes every wait of t return FUT_WAKE_INTERRUPTED
 * at once, so a signal sent just before a wait is not lost. */
bool fut_thread_interrupt(struct fut_thread *t);
void fut_thread_clear_interrupt(struct fut_thread *t);

/* Audits wq: every waiter is BLOCKED and records wq. For tests. */
bool fut_waitq_check(const struct fut_waitq *wq);

#ifdef __cplusplus
}
#endif

#endif
