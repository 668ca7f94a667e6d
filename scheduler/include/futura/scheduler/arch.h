/*
 * What the scheduler needs from the machine. kernel/arch/x86_64 implements
 * these in the kernel; //scheduler/testing:fake_arch implements them for host
 * tests. The scheduler calls nothing else machine-specific.
 */
#ifndef FUTURA_SCHEDULER_ARCH_H
#define FUTURA_SCHEDULER_ARCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fut_thread;

/*
 * Saves prev's machine state in prev->arch and resumes next from next->arch;
 * returns when something switches back to prev. Called only by
 * fut_sched_schedule, with interrupts off, prev != next, and the scheduler's
 * bookkeeping already updated: fut_sched_current() is next, next is RUNNING.
 * prev may be DEAD: it is never resumed, the scheduler frees it after the
 * switch, and prev->proc is already NULL (the process may be gone).
 * The implementation activates next's address space (that of next->proc, or
 * the kernel's), points the user-entry stack at next's kernel stack, and
 * switches FPU state and registers. A new thread starts in arch code with
 * interrupts off and enables them itself (sti or iretq).
 */
void fut_sched_switch(struct fut_thread *prev, struct fut_thread *next);

/* Frees what the arch layer attached to t->arch (kernel stack, FPU area);
 * t->arch may be NULL. Called once per thread, just before its record is
 * freed, with interrupts off and never on t's own stack. */
void fut_sched_free_arch(struct fut_thread *t);

/* Masks interrupts and returns the previous state / restores it. Nesting is
 * allowed: only the outermost restore can unmask. */
uint64_t fut_irq_save(void);
void fut_irq_restore(uint64_t flags);

#ifdef __cplusplus
}
#endif

#endif
