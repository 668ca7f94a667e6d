/* Shared between the scheduler's source files; not part of its API. Every
 * function here expects interrupts off. */
#ifndef FUTURA_SCHEDULER_SCHED_INTERNAL_H
#define FUTURA_SCHEDULER_SCHED_INTERNAL_H

#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/scheduler/waitq.h"

/* Live records, for fut_task_get_stats (counted by process.c and thread.c). */
extern struct fut_task_stats fut_task_counts;

/* sched.c: a thread that is neither running, queued nor waiting joins the
 * run queue's tail as RUNNABLE. */
void fut_sched_make_runnable(struct fut_thread *t);

/* waitq.c: ends t's wait (t is BLOCKED): off its queue, wait timer cancelled,
 * wake_reason set, runnable. The only way a wait ends. */
void fut_waitq_end_wait(struct fut_thread *t, enum fut_wake_reason reason);

/* thread.c: frees a DEAD thread that no CPU runs on, arch state included. */
void fut_thread_free(struct fut_thread *t);

/* process.c: one of p's threads has died or been destroyed and already left
 * p->threads; turns an EXITING p into a zombie when it was the last. */
void fut_process_thread_left(struct fut_process *p);

#endif
