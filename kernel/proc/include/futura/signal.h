/*
 * POSIX signals for Linux-ABI processes: sending (kill, faults, terminal
 * keys, child exits), per-process handlers and masks, delivery on the way
 * back to user mode through a Linux x86-64 rt_sigframe, rt_sigreturn, default
 * actions (terminate, core, stop, continue, ignore), and restarting system
 * calls a signal interrupted.
 */
#ifndef FUTURA_SIGNAL_H
#define FUTURA_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/arch/trap.h"
#include "futura/scheduler/task.h"

#define FUT_NSIG 64
#define FUT_SIGHUP 1
#define FUT_SIGINT 2
#define FUT_SIGQUIT 3
#define FUT_SIGILL 4
#define FUT_SIGTRAP 5
#define FUT_SIGABRT 6
#define FUT_SIGBUS 7
#define FUT_SIGFPE 8
#define FUT_SIGKILL 9
#define FUT_SIGUSR1 10
#define FUT_SIGSEGV 11
#define FUT_SIGUSR2 12
#define FUT_SIGPIPE 13
#define FUT_SIGALRM 14
#define FUT_SIGTERM 15
#define FUT_SIGCHLD 17
#define FUT_SIGCONT 18
#define FUT_SIGSTOP 19
#define FUT_SIGTSTP 20
#define FUT_SIGTTIN 21
#define FUT_SIGTTOU 22

/* Linux's struct sigaction as rt_sigaction passes it. */
struct fut_k_sigaction {
    uint64_t handler; /* SIG_DFL 0, SIG_IGN 1, or a user function */
    uint64_t flags;   /* SA_* */
    uint64_t restorer;
    uint64_t mask;
};

#define FUT_SIG_DFL 0
#define FUT_SIG_IGN 1
#define FUT_SA_SIGINFO 0x4
#define FUT_SA_ONSTACK 0x08000000
#define FUT_SA_RESTORER 0x04000000
#define FUT_SA_RESTART 0x10000000
#define FUT_SA_NODEFER 0x40000000
#define FUT_SA_RESETHAND 0x80000000u

/* What a signal carries to an SA_SIGINFO handler. */
struct fut_sig_info {
    int code;       /* si_code: SI_USER 0, SI_KERNEL 0x80, SEGV_MAPERR 1, CLD_EXITED 1, ... */
    int pid;        /* sender (kill) or child (SIGCHLD) */
    int status;     /* SIGCHLD: exit code or signal */
    uint64_t addr;  /* SIGSEGV/SIGBUS: the faulting address */
};

struct fut_sigstate {
    struct fut_k_sigaction action[FUT_NSIG];
    struct fut_sig_info info[FUT_NSIG]; /* for each pending signal */
    uint64_t altstack_sp;
    uint64_t altstack_size;
    int altstack_flags; /* SS_DISABLE 2 when none */
    /* sigsuspend/ppoll/pselect6 run with a temporary mask; the caller's mask
     * comes back once the signal they waited for is delivered. */
    uint64_t saved_mask;
    bool restore_mask;
};

/* Runs the caller with `mask` until the next delivery, then restores the
 * current mask (for sigsuspend, ppoll, pselect6). */
void fut_signal_set_temporary_mask(uint64_t mask);
/* Puts the caller's mask back now (no signal needs the temporary one). */
void fut_signal_restore_mask(void);

/* A fresh state: every action SIG_DFL, no alternate stack. NULL on OOM. */
struct fut_sigstate *fut_sigstate_create(void);
struct fut_sigstate *fut_sigstate_clone(const struct fut_sigstate *src);
void fut_sigstate_free(struct fut_sigstate *s);
/* exec: caught signals return to SIG_DFL; ignored ones stay ignored. */
void fut_sigstate_exec_reset(struct fut_sigstate *s);

/* Sends sig to p. Ignored signals are dropped; SIGKILL and SIGCONT act at
 * once; the rest become pending and interrupt p's waits unless blocked.
 * Safe from interrupt handlers (no allocation). */
void fut_signal_send(struct fut_process *p, int sig, const struct fut_sig_info *info);
/* To every process of a group; returns how many were signalled. */
int fut_signal_send_pgrp(int pgrp, int sig, const struct fut_sig_info *info);

/* A synchronous fault (SIGSEGV, SIGBUS, SIGILL, ...): delivered to a handler
 * if there is one and it is not blocked, otherwise the process dies. */
void fut_signal_force(int sig, const struct fut_sig_info *info);

/* On the way back to user mode: fatal signals end the process, stops wait for
 * SIGCONT, and the first caught signal gets its handler frame. */
void fut_signal_deliver(struct fut_trap_frame *frame);

/* rt_sigreturn: restores the context saved by the handler frame; returns the
 * value rax had (so the syscall path can store it back). */
long fut_signal_return(struct fut_trap_frame *frame);

#endif
