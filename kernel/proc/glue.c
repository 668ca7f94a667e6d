/*
 * Wiring between the machine and the process layer: the scheduler's switch
 * hook, the timer tick and user-mode faults (system-call entry is
 * syscalls/entry.c). Installed
 * once by fut_proc_start_init.
 */
#include "futura/arch/page_fault.h"
#include "futura/arch/percpu.h"
#include "futura/arch/thread.h"
#include "futura/arch/timer.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/mm.h"
#include "futura/proc.h"
#include "futura/proc_glue.h"
#include "futura/signal.h"
#include "futura/vfs/tty.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/timer.h"

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11

void fut_sched_switch(struct fut_thread *prev, struct fut_thread *next)
{
    /* Kernel threads borrow whatever address space is active (lazy switch);
     * fut_mm_put never frees the active one. */
    struct fut_mm *mm = next->proc ? next->proc->mm : NULL;
    if (mm && mm != fut_mm_current())
        fut_mm_activate(mm);
    fut_this_cpu()->current = next;
    fut_arch_switch(prev->arch, next->arch);
}

void fut_sched_free_arch(struct fut_thread *t)
{
    struct fut_arch_thread *a = t->arch;
    if (!a || !a->kstack_top)
        return; /* the boot/idle thread's state is static */
    fut_kstack_free(a->kstack_top);
    fut_kfree(a);
    t->arch = NULL;
}

static void tick(struct fut_trap_frame *frame)
{
    fut_timers_expire(fut_hal_time_ns());
    /* Preempt only user code: kernel paths are not preemption-safe (no locks
     * yet), so a kernel thread's slice ends at its next return to user mode. */
    if (fut_sched_tick() && (frame->cs & 3))
        fut_sched_yield();
}

static bool user_page_fault(struct fut_trap_frame *frame, uint64_t addr, enum fut_fault_result res)
{
    struct fut_process *p = fut_current_process();
    if (res == FUT_FAULT_OOM) {
        fut_printk("pid %d: out of memory at %#lx, rip %#lx: killed\n", p->pid, addr, frame->rip);
        fut_proc_exit(fut_wstatus_signaled(SIGKILL, false));
    }
    int sig = res == FUT_FAULT_BUS ? SIGBUS : SIGSEGV;
    struct fut_sig_info info = {
        .code = res == FUT_FAULT_SEGV_ACCERR ? 2 /* SEGV_ACCERR */ : 1 /* SEGV_MAPERR, BUS_ADRALN */,
        .addr = addr,
    };
    fut_printk("pid %d: %s at %#lx, rip %#lx: signal %d\n", p->pid,
               res == FUT_FAULT_SEGV_MAPERR ? "segfault (no mapping)"
               : res == FUT_FAULT_SEGV_ACCERR ? "segfault (access denied)" : "bus error",
               addr, frame->rip, sig);
    fut_signal_force(sig, &info); /* kills unless a handler will run */
    return true;
}

static void user_exception(struct fut_trap_frame *frame)
{
    int sig;
    switch (frame->vector) {
    case 0: case 16: case 19: sig = SIGFPE; break;
    case 1: case 3: sig = SIGTRAP; break;
    case 6: sig = SIGILL; break;
    case 17: sig = SIGBUS; break;
    default: sig = SIGSEGV; break;
    }
    struct fut_process *p = fut_current_process();
    fut_printk("pid %d: %s at rip %#lx: signal %d\n", p ? p->pid : -1,
               fut_exception_name((unsigned)frame->vector), frame->rip, sig);
    struct fut_sig_info info = {.code = 0x80 /* SI_KERNEL */, .addr = frame->rip};
    fut_signal_force(sig, &info);
}

/* The one-shot timer: expire what is due and arm the next deadline. No
 * scheduler tick is charged; a woken thread runs at the next reschedule
 * point (the idle loop, or the interrupt's return to user mode). */
static void oneshot(struct fut_trap_frame *frame)
{
    (void)frame;
    fut_timers_expire(fut_hal_time_ns());
    uint64_t next;
    if (fut_timers_next_deadline(&next))
        fut_arch_timer_arm(next);
}

/* Terminal keys (Ctrl-C, Ctrl-\, Ctrl-Z) and window changes signal the
 * terminal's foreground process group. Interrupt context: no allocation. */
static void tty_signal(int pgrp, int sig)
{
    struct fut_sig_info info = {.code = 0x80 /* SI_KERNEL */};
    fut_signal_send_pgrp(pgrp, sig, &info);
}

void fut_proc_glue_init(void)
{
    fut_tty_set_signal_hook(tty_signal);
    fut_page_fault_set_user_handler(user_page_fault);
    fut_trap_set_user_exception_hook(user_exception);
    fut_trap_set_return_hook(fut_proc_return_to_user);
    fut_timer_init(tick);
    fut_arch_timer_set_oneshot_handler(oneshot);
    fut_timers_set_arm_hook(fut_arch_timer_arm);
}
