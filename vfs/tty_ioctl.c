/*
 * Terminal ioctls: Linux's request numbers and argument layouts, decoded
 * into the line discipline's calls. The caller supplies how to reach its
 * memory (user space for system calls, plain memory in host tests).
 */
#include "futura/errno.h"
#include "futura/vfs/tty.h"

/* asm-generic/ioctls.h */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCSBRK 0x5409
#define TCXONC 0x540a
#define TCFLSH 0x540b
#define TIOCSCTTY 0x540e
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411
#define TIOCSTI 0x5412
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541b
#define TIOCNOTTY 0x5422
#define TIOCGETD 0x5424
#define TIOCGSID 0x5429

/* TCXONC arguments */
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3

/* TCFLSH arguments */
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

#define N_TTY 0 /* the only line discipline */

static void *user_ptr(uint64_t arg)
{
    return (void *)(uintptr_t)arg;
}

static int put_int(const struct fut_tty_user_copy *uc, uint64_t arg, int value)
{
    return uc->to(user_ptr(arg), &value, sizeof(value));
}

static long set_termios(struct fut_tty *tty, unsigned long cmd, uint64_t arg,
                        const struct fut_tty_user_copy *uc)
{
    struct fut_termios t;
    if (uc->from(&t, user_ptr(arg), sizeof(t)))
        return -EFAULT;
    /* TCSETSW would wait for output to drain: output is never queued. */
    if (cmd == TCSETSF)
        fut_tty_flush_input(tty);
    fut_tty_set_termios(tty, &t);
    return 0;
}

static long flow_control(struct fut_tty *tty, uint64_t arg)
{
    struct fut_termios t;
    switch (arg) {
    case TCOOFF: fut_tty_stop_output(tty, true); return 0;
    case TCOON: fut_tty_stop_output(tty, false); return 0;
    case TCIOFF:
    case TCION: {
        fut_tty_get_termios(tty, &t);
        uint8_t key = t.c_cc[arg == TCIOFF ? FUT_VSTOP : FUT_VSTART];
        if (key)
            fut_tty_send_output(tty, &key, 1);
        return 0;
    }
    default: return -EINVAL;
    }
}

static long flush(struct fut_tty *tty, uint64_t arg)
{
    switch (arg) {
    case TCIFLUSH:
    case TCIOFLUSH: fut_tty_flush_input(tty); return 0;
    case TCOFLUSH: return 0; /* output is never queued */
    default: return -EINVAL;
    }
}

static long set_pgrp(struct fut_tty *tty, uint64_t arg, const struct fut_tty_user_copy *uc)
{
    int pgrp;
    if (uc->from(&pgrp, user_ptr(arg), sizeof(pgrp)))
        return -EFAULT;
    return fut_tty_set_pgrp(tty, pgrp);
}

static long winsize_ioctl(struct fut_tty *tty, unsigned long cmd, uint64_t arg,
                          const struct fut_tty_user_copy *uc)
{
    struct fut_winsize ws;
    if (cmd == TIOCGWINSZ) {
        fut_tty_get_winsize(tty, &ws);
        return uc->to(user_ptr(arg), &ws, sizeof(ws)) ? -EFAULT : 0;
    }
    if (uc->from(&ws, user_ptr(arg), sizeof(ws)))
        return -EFAULT;
    fut_tty_set_winsize(tty, &ws);
    return 0;
}

static long simulate_input(struct fut_tty *tty, uint64_t arg, const struct fut_tty_user_copy *uc)
{
    uint8_t c;
    if (uc->from(&c, user_ptr(arg), 1))
        return -EFAULT;
    return fut_tty_simulate_input(tty, c);
}

/* Requests that change the terminal: a background group is stopped first. */
static bool changes_settings(unsigned long cmd)
{
    return cmd == TCSETS || cmd == TCSETSW || cmd == TCSETSF || cmd == TCFLSH || cmd == TCXONC ||
           cmd == TIOCSPGRP;
}

static long get_session(struct fut_tty *tty, uint64_t arg, const struct fut_tty_user_copy *uc)
{
    int sid = fut_tty_get_session(tty);
    if (sid <= 0)
        return -ENOTTY;
    return put_int(uc, arg, sid) ? -EFAULT : 0;
}

long fut_tty_ioctl(struct fut_tty *tty, unsigned long cmd, uint64_t arg,
                   const struct fut_tty_user_copy *uc)
{
    struct fut_termios t;
    if (changes_settings(cmd)) {
        int rc = fut_tty_job_control(tty, FUT_TTY_SIGTTOU);
        if (rc)
            return rc;
    }
    switch (cmd) {
    case TCGETS:
        fut_tty_get_termios(tty, &t);
        return uc->to(user_ptr(arg), &t, sizeof(t)) ? -EFAULT : 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF: return set_termios(tty, cmd, arg, uc);
    case TCSBRK: return 0; /* tcdrain and tcsendbreak: nothing is queued, no break to send */
    case TCXONC: return flow_control(tty, arg);
    case TCFLSH: return flush(tty, arg);
    case TIOCGWINSZ:
    case TIOCSWINSZ: return winsize_ioctl(tty, cmd, arg, uc);
    case TIOCGPGRP: return put_int(uc, arg, fut_tty_get_pgrp(tty)) ? -EFAULT : 0;
    case TIOCSPGRP: return set_pgrp(tty, arg, uc);
    case TIOCGSID: return get_session(tty, arg, uc);
    case TIOCSCTTY:
    case TIOCNOTTY: return 0; /* see tty.h */
    case FIONREAD: return put_int(uc, arg, (int)fut_tty_input_count(tty)) ? -EFAULT : 0;
    case TIOCOUTQ: return put_int(uc, arg, 0) ? -EFAULT : 0;
    case TIOCSTI: return simulate_input(tty, arg, uc);
    case TIOCGETD: return put_int(uc, arg, N_TTY) ? -EFAULT : 0;
    default: return -ENOTTY;
    }
}
