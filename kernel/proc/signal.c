/* Signals; see futura/signal.h. One thread per process, one CPU: masking
 * interrupts is the lock around a process's signal state. */
#include "futura/signal.h"

#include "futura/arch/gdt.h"
#include "futura/arch/thread.h"
#include "futura/arch/timer.h"
#include "futura/errno.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/proc.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/waitq.h"
#include "futura/uaccess.h"

#define BIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (BIT(FUT_SIGKILL) | BIT(FUT_SIGSTOP))
#define STOP_SIGNALS (BIT(FUT_SIGSTOP) | BIT(FUT_SIGTSTP) | BIT(FUT_SIGTTIN) | BIT(FUT_SIGTTOU))
/* Default action "ignore": SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
#define DEFAULT_IGNORED (BIT(FUT_SIGCHLD) | BIT(FUT_SIGCONT) | BIT(23) | BIT(28))
/* Default action "terminate with core": SIGQUIT ILL TRAP ABRT BUS FPE SEGV XCPU XFSZ SYS. */
#define DEFAULT_CORE (BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(11) | BIT(24) | \
                      BIT(25) | BIT(31))
#define SS_DISABLE 2
#define SS_ONSTACK 1
#define SA_NOCLDSTOP 1
#define SYSCALL_VECTOR 0x100
#define SYSCALL_INSN_LEN 2
#define USER_TOP 0x0000800000000000ull

/* Threads of stopped processes wait here for SIGCONT. */
static struct fut_waitq stopped_wq = FUT_WAITQ_INIT(stopped_wq);

struct fut_sigstate *fut_sigstate_create(void)
{
    struct fut_sigstate *s = fut_kzalloc(sizeof(*s));
    if (s)
        s->altstack_flags = SS_DISABLE;
    return s;
}

struct fut_sigstate *fut_sigstate_clone(const struct fut_sigstate *src)
{
    struct fut_sigstate *s = fut_kmalloc(sizeof(*s));
    if (s) {
        memcpy(s, src, sizeof(*s));
        memset(s->info, 0, sizeof(s->info));
    }
    return s;
}

void fut_sigstate_free(struct fut_sigstate *s)
{
    fut_kfree(s);
}

void fut_sigstate_exec_reset(struct fut_sigstate *s)
{
    for (int i = 0; i < FUT_NSIG; i++) {
        if (s->action[i].handler != FUT_SIG_IGN)
            memset(&s->action[i], 0, sizeof(s->action[i]));
    }
    s->altstack_sp = s->altstack_size = 0;
    s->altstack_flags = SS_DISABLE;
}

static struct fut_sigstate *state_of(struct fut_process *p)
{
    return p->signals;
}

static bool ignored(struct fut_process *p, int sig)
{
    struct fut_sigstate *s = state_of(p);
    uint64_t handler = s ? s->action[sig - 1].handler : FUT_SIG_DFL;
    if (handler == FUT_SIG_IGN)
        return sig != FUT_SIGKILL && sig != FUT_SIGSTOP;
    return handler == FUT_SIG_DFL && (DEFAULT_IGNORED & BIT(sig));
}

static struct fut_thread *thread_of(struct fut_process *p)
{
    if (fut_list_empty(&p->threads))
        return NULL;
    return fut_container_of(p->threads.next, struct fut_thread, proc_link);
}

static void report_to_parent(struct fut_process *p, int status, int sig_code, int child_sig)
{
    struct fut_process *parent = p->parent;
    p->wait_report = status;
    if (!parent)
        return;
    fut_waitq_wake_all(&parent->child_exit);
    struct fut_sigstate *ps = state_of(parent);
    if (ps && (ps->action[FUT_SIGCHLD - 1].flags & SA_NOCLDSTOP))
        return;
    struct fut_sig_info info = {.code = sig_code, .pid = p->pid, .status = child_sig};
    fut_signal_send(parent, FUT_SIGCHLD, &info);
}

static void continue_process(struct fut_process *p)
{
    p->sig_pending &= ~STOP_SIGNALS;
    if (!p->stop_signal)
        return;
    p->stop_signal = 0;
    fut_waitq_wake_all(&stopped_wq);
    report_to_parent(p, FUT_WSTATUS_CONTINUED, 6 /* CLD_CONTINUED */, FUT_SIGCONT);
}

void fut_signal_send(struct fut_process *p, int sig, const struct fut_sig_info *info)
{
    if (sig < 1 || sig > FUT_NSIG || p->state != FUT_PROCESS_RUNNING)
        return;
    uint64_t flags = fut_irq_save();
    struct fut_thread *t = thread_of(p);
    if (sig == FUT_SIGKILL) {
        if (!p->kill_signal)
            p->kill_signal = FUT_SIGKILL;
        continue_process(p);
        if (t)
            fut_thread_interrupt(t);
        fut_irq_restore(flags);
        return;
    }
    if (sig == FUT_SIGCONT)
        continue_process(p); /* even when SIGCONT itself is ignored or blocked */
    else if (BIT(sig) & STOP_SIGNALS)
        p->sig_pending &= ~BIT(FUT_SIGCONT);
    if (!ignored(p, sig)) {
        struct fut_sigstate *s = state_of(p);
        if (s && !(p->sig_pending & BIT(sig)))
            s->info[sig - 1] = info ? *info : (struct fut_sig_info){0};
        p->sig_pending |= BIT(sig);
        if (t && !(p->sigmask & BIT(sig) & ~UNBLOCKABLE))
            fut_thread_interrupt(t);
    }
    fut_irq_restore(flags);
}

int fut_signal_send_pgrp(int pgrp, int sig, const struct fut_sig_info *info)
{
    int n = 0;
    for (int pid = 1; pid <= FUT_PID_MAX; pid++) {
        struct fut_process *p = fut_process_find(pid);
        if (p && p->pid == pid && p->pgid == pgrp && p->state == FUT_PROCESS_RUNNING) {
            fut_signal_send(p, sig, info);
            n++;
        }
    }
    return n;
}

static int exit_status_for(int sig)
{
    return fut_wstatus_signaled(sig, (DEFAULT_CORE & BIT(sig)) != 0);
}

void fut_signal_force(int sig, const struct fut_sig_info *info)
{
    struct fut_process *p = fut_current_process();
    struct fut_sigstate *s = state_of(p);
    uint64_t handler = s ? s->action[sig - 1].handler : FUT_SIG_DFL;
    if (handler <= FUT_SIG_IGN || (p->sigmask & BIT(sig)))
        fut_proc_exit(exit_status_for(sig)); /* nothing will handle it: the fault is fatal */
    s->info[sig - 1] = *info;
    p->sig_pending |= BIT(sig);
}

/* Stops the calling process until SIGCONT (or SIGKILL). */
static void do_stop(struct fut_process *p, int sig)
{
    p->stop_signal = sig;
    report_to_parent(p, fut_wstatus_stopped(sig), 5 /* CLD_STOPPED */, sig);
    struct fut_thread *t = fut_sched_current();
    uint64_t flags = fut_irq_save();
    while (p->stop_signal && !p->kill_signal) {
        fut_thread_clear_interrupt(t);
        fut_waitq_wait(&stopped_wq);
    }
    fut_irq_restore(flags);
}

/* ---- the handler frame: Linux's struct rt_sigframe ---- */

struct linux_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* user pointer to the FXSAVE image */
    uint64_t reserved1[8];
};

struct linux_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    uint64_t ss_sp;
    int32_t ss_flags;
    int32_t pad;
    uint64_t ss_size;
    struct linux_sigcontext mc;
    uint64_t sigmask;
};

struct linux_siginfo {
    int32_t si_signo, si_errno, si_code, pad;
    union {
        struct { int32_t pid; uint32_t uid; int32_t status; } chld;
        uint64_t addr;
        uint8_t bytes[112];
    };
};

struct rt_sigframe {
    uint64_t pretcode;
    struct linux_ucontext uc;
    struct linux_siginfo info;
};

_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext layout");
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo layout");

#define FPSTATE_BYTES 512
#define RED_ZONE 128
/* What user code may set in RFLAGS through sigreturn (Linux's FIX_EFLAGS). */
#define USER_RFLAGS_MASK 0x254dd5ull
#define RFLAGS_IF 0x200ull

void fut_signal_set_temporary_mask(uint64_t mask)
{
    struct fut_process *p = fut_current_process();
    struct fut_sigstate *s = state_of(p);
    if (!s->restore_mask) {
        s->saved_mask = p->sigmask;
        s->restore_mask = true;
    }
    p->sigmask = mask & ~UNBLOCKABLE;
}

void fut_signal_restore_mask(void)
{
    struct fut_process *p = fut_current_process();
    struct fut_sigstate *s = state_of(p);
    if (s->restore_mask) {
        p->sigmask = s->saved_mask;
        s->restore_mask = false;
    }
}

static void save_context(struct linux_ucontext *uc, const struct fut_trap_frame *f, uint64_t mask,
                         uint64_t fpstate, const struct fut_sigstate *s)
{
    memset(uc, 0, sizeof(*uc));
    uc->ss_sp = s->altstack_sp;
    uc->ss_flags = s->altstack_flags;
    uc->ss_size = s->altstack_size;
    struct linux_sigcontext *mc = &uc->mc;
    mc->r8 = f->r8; mc->r9 = f->r9; mc->r10 = f->r10; mc->r11 = f->r11;
    mc->r12 = f->r12; mc->r13 = f->r13; mc->r14 = f->r14; mc->r15 = f->r15;
    mc->rdi = f->rdi; mc->rsi = f->rsi; mc->rbp = f->rbp; mc->rbx = f->rbx;
    mc->rdx = f->rdx; mc->rax = f->rax; mc->rcx = f->rcx; mc->rsp = f->rsp;
    mc->rip = f->rip; mc->eflags = f->rflags;
    mc->cs = (uint16_t)f->cs; mc->ss = (uint16_t)f->ss;
    mc->err = f->vector < 32 ? f->error : 0;
    mc->trapno = f->vector < 32 ? f->vector : 0;
    mc->oldmask = mask;
    mc->fpstate = fpstate;
    uc->sigmask = mask;
}

static bool setup_frame(struct fut_trap_frame *f, int sig, const struct fut_k_sigaction *act,
                        const struct fut_sig_info *info, struct fut_process *p)
{
    struct fut_sigstate *s = state_of(p);
    uint64_t sp = f->rsp;
    bool on_alt = s->altstack_flags != SS_DISABLE && s->altstack_size &&
                  !(sp > s->altstack_sp && sp <= s->altstack_sp + s->altstack_size);
    if ((act->flags & FUT_SA_ONSTACK) && on_alt)
        sp = s->altstack_sp + s->altstack_size;
    else
        sp -= RED_ZONE;
    sp = (sp - FPSTATE_BYTES) & ~63ull;
    uint64_t fpstate = sp;
    sp -= sizeof(struct rt_sigframe);
    sp = (sp & ~15ull) - 8; /* at the handler's first instruction, rsp + 8 is 16-aligned */

    static uint8_t fx[FPSTATE_BYTES] __attribute__((aligned(16)));
    __asm__ volatile("fxsave64 %0" : "=m"(fx)); /* the live FPU holds the user's state */
    if (fut_copy_to_user((void *)fpstate, fx, sizeof(fx)))
        return false;

    struct rt_sigframe frame;
    memset(&frame, 0, sizeof(frame));
    frame.pretcode = act->restorer;
    /* The mask sigreturn restores: the caller's, not a sigsuspend's temporary one. */
    save_context(&frame.uc, f, s->restore_mask ? s->saved_mask : p->sigmask, fpstate, s);
    frame.info.si_signo = sig;
    frame.info.si_code = info->code;
    if (sig == FUT_SIGSEGV || sig == FUT_SIGBUS || sig == FUT_SIGILL || sig == FUT_SIGFPE) {
        frame.info.addr = info->addr;
    } else {
        frame.info.chld.pid = info->pid;
        frame.info.chld.status = info->status;
    }
    if (fut_copy_to_user((void *)sp, &frame, sizeof(frame)))
        return false;

    f->rsp = sp;
    f->rip = act->handler;
    f->rdi = (uint64_t)sig;
    f->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
    f->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
    f->rax = 0;
    f->rflags &= ~(1ull << 10); /* DF clear, as the ABI promises at function entry */
    f->cs = FUT_SEL_UCODE;
    f->ss = FUT_SEL_UDATA;
    return true;
}

/* A system call a signal interrupted is re-run if the signal did not need a
 * handler, or its handler asked for SA_RESTART. */
static bool interrupted_syscall(const struct fut_trap_frame *f)
{
    return f->vector == SYSCALL_VECTOR && (int64_t)f->rax == -EINTR;
}

static void restart_syscall(struct fut_trap_frame *f)
{
    f->rax = f->error; /* the entry path saved the original number there */
    f->rip -= SYSCALL_INSN_LEN;
    f->vector = SYSCALL_VECTOR + 1; /* restart only once per entry */
}

void fut_signal_deliver(struct fut_trap_frame *f)
{
    struct fut_process *p = fut_current_process();
    if (!p)
        return;
    for (;;) {
        if (p->kill_signal)
            fut_proc_exit(exit_status_for(p->kill_signal));
        uint64_t flags = fut_irq_save();
        uint64_t ready = p->sig_pending & (~p->sigmask | UNBLOCKABLE);
        if (!ready) {
            struct fut_sigstate *st = state_of(p);
            if (st && st->restore_mask) {
                p->sigmask = st->saved_mask;
                st->restore_mask = false;
            }
            fut_thread_clear_interrupt(fut_sched_current());
            fut_irq_restore(flags);
            if (interrupted_syscall(f))
                restart_syscall(f);
            return;
        }
        int sig = __builtin_ctzll(ready) + 1;
        p->sig_pending &= ~BIT(sig);
        struct fut_sigstate *s = state_of(p);
        struct fut_k_sigaction act = s ? s->action[sig - 1] : (struct fut_k_sigaction){0};
        struct fut_sig_info info = s ? s->info[sig - 1] : (struct fut_sig_info){0};
        fut_irq_restore(flags);

        if (act.handler == FUT_SIG_IGN && sig != FUT_SIGKILL && sig != FUT_SIGSTOP)
            continue;
        if (act.handler == FUT_SIG_DFL || sig == FUT_SIGKILL || sig == FUT_SIGSTOP) {
            if (DEFAULT_IGNORED & BIT(sig))
                continue;
            if (STOP_SIGNALS & BIT(sig)) {
                do_stop(p, sig);
                continue;
            }
            fut_proc_exit(exit_status_for(sig));
        }
        if (interrupted_syscall(f)) {
            if (act.flags & FUT_SA_RESTART)
                restart_syscall(f);
        }
        if (!setup_frame(f, sig, &act, &info, p)) {
            fut_printk("pid %d: cannot build the frame for signal %d: killed by SIGSEGV\n",
                       p->pid, sig);
            fut_proc_exit(exit_status_for(FUT_SIGSEGV));
        }
        if (s->restore_mask) {
            p->sigmask = s->saved_mask;
            s->restore_mask = false;
        }
        p->sigmask |= act.mask & ~UNBLOCKABLE;
        if (!(act.flags & FUT_SA_NODEFER))
            p->sigmask |= BIT(sig) & ~UNBLOCKABLE;
        if (act.flags & FUT_SA_RESETHAND)
            memset(&s->action[sig - 1], 0, sizeof(s->action[sig - 1]));
        /* Other pending signals wait for the handler's sigreturn. */
        if (!(p->sig_pending & ~p->sigmask))
            fut_thread_clear_interrupt(fut_sched_current());
        return;
    }
}

long fut_signal_return(struct fut_trap_frame *f)
{
    struct fut_process *p = fut_current_process();
    /* The handler's `ret` popped pretcode: rsp points at the ucontext. */
    uint64_t frame_addr = f->rsp - 8;
    struct rt_sigframe frame;
    static uint8_t fx[FPSTATE_BYTES] __attribute__((aligned(16)));
    if (fut_copy_from_user(&frame, (const void *)frame_addr, sizeof(frame)))
        goto bad;
    const struct linux_sigcontext *mc = &frame.uc.mc;
    if (mc->rip >= USER_TOP || mc->rsp >= USER_TOP)
        goto bad;
    if (mc->fpstate) {
        if (fut_copy_from_user(fx, (const void *)mc->fpstate, sizeof(fx)))
            goto bad;
        uint32_t *mxcsr = (uint32_t *)(fx + 24);
        *mxcsr &= 0xffbf; /* reserved MXCSR bits would make fxrstor fault in the kernel */
        __asm__ volatile("fxrstor64 %0" : : "m"(fx));
    }
    f->r8 = mc->r8; f->r9 = mc->r9; f->r10 = mc->r10; f->r11 = mc->r11;
    f->r12 = mc->r12; f->r13 = mc->r13; f->r14 = mc->r14; f->r15 = mc->r15;
    f->rdi = mc->rdi; f->rsi = mc->rsi; f->rbp = mc->rbp; f->rbx = mc->rbx;
    f->rdx = mc->rdx; f->rcx = mc->rcx; f->rsp = mc->rsp; f->rip = mc->rip;
    f->rflags = (f->rflags & ~USER_RFLAGS_MASK) | (mc->eflags & USER_RFLAGS_MASK) | RFLAGS_IF;
    f->cs = FUT_SEL_UCODE;
    f->ss = FUT_SEL_UDATA;
    f->vector = SYSCALL_VECTOR + 1; /* a restored context is never restarted again */
    p->sigmask = frame.uc.sigmask & ~UNBLOCKABLE;
    if (p->sig_pending & ~p->sigmask)
        fut_thread_interrupt(fut_sched_current()); /* deliver what the handler's mask held back */
    return (long)mc->rax;
bad:
    fut_printk("pid %d: bad signal frame at %#lx: killed by SIGSEGV\n", p->pid, f->rsp);
    fut_proc_exit(exit_status_for(FUT_SIGSEGV));
}
