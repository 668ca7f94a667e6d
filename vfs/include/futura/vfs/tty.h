/*
 * Terminals: the line discipline between a character device (the serial
 * console) and the programs that read and write it, with Linux's termios.
 *
 * Input. The driver's interrupt handler calls fut_tty_input_ready; the tty
 * then pulls bytes with ops->getc and runs each through the line discipline
 * at once - translation (ICRNL, INLCR, IGNCR), signal keys (ISIG), output
 * flow control (IXON), line editing and echo (ICANON, ECHO*) - so echo and
 * Ctrl-C happen when a key arrives, not when someone reads. Bytes wait in a
 * ring of FUT_TTY_BUF_SIZE. When it is full the tty stops pulling and
 * leaves the rest in the device (flow control: a UART keeps them, and QEMU
 * then stops reading its input); the next read that makes room pulls again.
 * So input piped into the console arrives intact, however much there is.
 *
 * Canonical mode (ICANON): input is edited a line at a time - VERASE (and
 * '\b') erases a character ("\b \b" with ECHOE), VKILL the line, VWERASE a
 * word, VLNEXT quotes the next byte, VREPRINT redraws the line - and reads
 * return at most one line, once it is complete: ended by '\n', VEOL, VEOL2
 * or VEOF. VEOF is not delivered: at the start of a line the read returns 0
 * (end of file), after some text it delivers that text without a newline.
 * A line holds at most FUT_TTY_LINE_MAX bytes; further bytes are dropped
 * with a bell ('\a' when ECHO), and the line can still be ended.
 *
 * Raw mode (ICANON off): reads return the bytes as they come, by VMIN and
 * VTIME (tenths of a second) as POSIX says: VMIN > 0, VTIME = 0 waits for
 * VMIN bytes; VMIN = 0, VTIME > 0 waits at most VTIME for the first byte;
 * both > 0 waits for the first byte, then until VMIN bytes or VTIME passes
 * without a new one; both 0 never waits. A read never returns more than
 * asked for; with O_NONBLOCK it returns -EAGAIN instead of waiting (except
 * when VMIN = VTIME = 0, which returns 0, as Linux does).
 *
 * Signals (ISIG): VINTR, VQUIT and VSUSP send SIGINT, SIGQUIT and SIGTSTP to
 * the foreground process group through the hook the process layer
 * installs, echo (as ^C with ECHOCTL) and flush the input unless NOFLSH.
 * TIOCSWINSZ that changes the size sends SIGWINCH the same way.
 *
 * Output: OPOST with ONLCR ("\n" -> "\r\n"), OCRNL, ONOCR, ONLRET and XTABS,
 * then ops->write. The tty is the only place that post-processes terminal
 * output; ops->write sends bytes as they are. VSTOP/VSTART (IXON) and
 * TCXONC stop and restart it: writers then wait (echo still goes out).
 *
 * A read or write that waits is interrupted by a signal
 * (fut_thread_interrupt): -EINTR, or the count moved so far.
 *
 * Locking: one CPU; the tty's state changes with interrupts masked, since
 * the input side runs in the driver's interrupt handler.
 */
#ifndef FUTURA_VFS_TTY_H
#define FUTURA_VFS_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/scheduler/waitq.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Linux's kernel struct termios (asm-generic/termbits.h), what TCGETS and
 * TCSETS* copy: 36 bytes. */
#define FUT_NCCS 19
struct fut_termios {
    uint32_t c_iflag;
    uint32_t c_oflag;
    uint32_t c_cflag;
    uint32_t c_lflag;
    uint8_t c_line;
    uint8_t c_cc[FUT_NCCS];
};

struct fut_winsize {
    uint16_t ws_row;
    uint16_t ws_col;
    uint16_t ws_xpixel;
    uint16_t ws_ypixel;
};

/* c_cc indices. A c_cc value of 0 disables that key (_POSIX_VDISABLE). */
#define FUT_VINTR 0
#define FUT_VQUIT 1
#define FUT_VERASE 2
#define FUT_VKILL 3
#define FUT_VEOF 4
#define FUT_VTIME 5
#define FUT_VMIN 6
#define FUT_VSWTC 7
#define FUT_VSTART 8
#define FUT_VSTOP 9
#define FUT_VSUSP 10
#define FUT_VEOL 11
#define FUT_VREPRINT 12
#define FUT_VDISCARD 13
#define FUT_VWERASE 14
#define FUT_VLNEXT 15
#define FUT_VEOL2 16

/* c_iflag */
#define FUT_IGNBRK 0000001u
#define FUT_BRKINT 0000002u
#define FUT_ISTRIP 0000040u
#define FUT_INLCR 0000100u
#define FUT_IGNCR 0000200u
#define FUT_ICRNL 0000400u
#define FUT_IXON 0002000u
#define FUT_IXANY 0004000u
#define FUT_IXOFF 0010000u
#define FUT_IMAXBEL 0020000u
#define FUT_IUTF8 0040000u

/* c_oflag */
#define FUT_OPOST 0000001u
#define FUT_ONLCR 0000004u
#define FUT_OCRNL 0000010u
#define FUT_ONOCR 0000020u
#define FUT_ONLRET 0000040u
#define FUT_TABDLY 0014000u
#define FUT_XTABS 0014000u

/* c_cflag */
#define FUT_B38400 0000017u
#define FUT_CS8 0000060u
#define FUT_CREAD 0000200u

/* c_lflag */
#define FUT_ISIG 0000001u
#define FUT_ICANON 0000002u
#define FUT_ECHO 0000010u
#define FUT_ECHOE 0000020u
#define FUT_ECHOK 0000040u
#define FUT_ECHONL 0000100u
#define FUT_NOFLSH 0000200u
#define FUT_TOSTOP 0000400u
#define FUT_ECHOCTL 0001000u
#define FUT_ECHOKE 0004000u
#define FUT_IEXTEN 0100000u

/* The signals the tty sends (Linux numbers). */
#define FUT_TTY_SIGINT 2
#define FUT_TTY_SIGQUIT 3
#define FUT_TTY_SIGTSTP 20
#define FUT_TTY_SIGWINCH 28

#define FUT_TTY_BUF_SIZE 8192u /* input ring; a power of two, > 2 lines */
#define FUT_TTY_LINE_MAX 4095u /* canonical line, its delimiter not counted */

struct fut_tty;

/* What a terminal device provides. Both run with interrupts masked. */
struct fut_tty_ops {
    /* Sends output bytes exactly as given (post-processing is done). */
    void (*write)(struct fut_tty *tty, const char *buf, size_t len);
    /* The next input byte the device holds, or -1; never blocks. */
    int (*getc)(struct fut_tty *tty);
    /* Optional: runs on every open of the device. */
    int (*open)(struct fut_tty *tty);
};

/* One terminal. Embed or allocate it statically; fut_tty_init sets it up. */
struct fut_tty {
    const struct fut_tty_ops *ops;
    void *priv; /* the driver's */

    struct fut_termios termios;
    struct fut_winsize winsize;
    int pgrp;    /* foreground process group; 0 = none (TIOCGPGRP/TIOCSPGRP) */
    int session; /* the session it is the controlling terminal of; 0 = none */

    /* Input ring. Positions count up without wrapping (64 bits) and index
     * the ring modulo its size: [tail, head) holds received bytes, of which
     * [tail, canon_head) are ready for canonical readers and [canon_head,
     * head) is the line being edited. Raw mode keeps canon_head = head. */
    uint8_t buf[FUT_TTY_BUF_SIZE];
    uint8_t slot_flags[FUT_TTY_BUF_SIZE]; /* TTY_SLOT_* of each ring slot */
    uint64_t head, canon_head, tail;

    uint32_t column;      /* output column of the cursor, as output processing tracks it */
    uint32_t line_column; /* column where the line being edited starts (tab erasure) */
    bool lnext;           /* VLNEXT seen: the next byte is taken literally */
    bool throttled;       /* input left in the device because the ring was full */
    bool stopped;         /* output stopped (VSTOP, TCOOFF) */

    struct fut_waitq readers; /* reads waiting for input */
    struct fut_waitq writers; /* writes waiting for output to be restarted */
};

/* Sets tty up with Linux's default termios (cooked, echoing, ^C ^\ ^Z DEL
 * ^U ^D ^W ^V), an 80x24 window and no foreground process group. */
void fut_tty_init(struct fut_tty *tty, const struct fut_tty_ops *ops, void *priv);
/* Back to the state fut_tty_init gives, input and waiters aside: termios,
 * window, process group and stopped output are reset and the input is
 * flushed. Threads waiting keep waiting (re-checking). */
void fut_tty_reset(struct fut_tty *tty);

/* The driver has input: pull and process it as long as there is room.
 * Interrupt handlers call it; so does a read that makes room. */
void fut_tty_input_ready(struct fut_tty *tty);

/* Data path (a kernel buffer; fflags are the open file's: FUT_O_NONBLOCK). */
int fut_tty_open(struct fut_tty *tty);
int64_t fut_tty_read(struct fut_tty *tty, void *buf, size_t len, uint32_t fflags);
int64_t fut_tty_write(struct fut_tty *tty, const void *buf, size_t len, uint32_t fflags);

/* Readiness for poll/select: input a read would return without waiting
 * (a complete line or end of file in canonical mode; VMIN bytes, or one
 * when VTIME is set or VMIN is 0, in raw mode), and whether a write would
 * go out without waiting (output not stopped). */
bool fut_tty_readable(struct fut_tty *tty);
bool fut_tty_writable(struct fut_tty *tty);
/* The same as FUT_POLL* bits (the vnode poll op's answer). */
uint32_t fut_tty_poll(struct fut_tty *tty);

/* termios. fut_tty_set_termios applies at once; TCSETSW and TCSETSF wait for
 * output to drain first (nothing is ever queued: it goes out in write) and
 * TCSETSF also flushes the input (fut_tty_ioctl does that). Switching ICANON
 * makes everything received so far readable, as Linux does. */
void fut_tty_get_termios(struct fut_tty *tty, struct fut_termios *out);
void fut_tty_set_termios(struct fut_tty *tty, const struct fut_termios *t);

/* Discards input received and not yet read, and the line being edited. */
void fut_tty_flush_input(struct fut_tty *tty);
/* Bytes a read could return now (FIONREAD): the complete lines in canonical
 * mode, everything in raw mode. */
size_t fut_tty_input_count(struct fut_tty *tty);

/* Foreground process group: -EINVAL unless pgrp > 0. */
int fut_tty_set_pgrp(struct fut_tty *tty, int pgrp);
int fut_tty_get_pgrp(struct fut_tty *tty);
/* The session it is the controlling terminal of (TIOCSCTTY makes it the
 * caller's; TIOCGSID reads it): -EINVAL unless sid > 0. */
int fut_tty_set_session(struct fut_tty *tty, int sid);
int fut_tty_get_session(struct fut_tty *tty);

/* Window size; a change sends SIGWINCH to the foreground process group. */
void fut_tty_set_winsize(struct fut_tty *tty, const struct fut_winsize *ws);
void fut_tty_get_winsize(struct fut_tty *tty, struct fut_winsize *out);

/* Stops output (writers wait) or restarts it, as VSTOP/VSTART do (TCXONC). */
void fut_tty_stop_output(struct fut_tty *tty, bool stop);
/* Processes c as if it had been typed (TIOCSTI); -EAGAIN if the input
 * ring is full. */
int fut_tty_simulate_input(struct fut_tty *tty, uint8_t c);
/* Sends bytes to the device as they are, bypassing output processing and
 * output stop (TCIOFF/TCION send VSTOP/VSTART this way). */
void fut_tty_send_output(struct fut_tty *tty, const void *buf, size_t len);

/*
 * Signalling a process group is the process layer's business: it installs
 * this hook, and the tty calls it with the foreground group and a Linux
 * signal number (SIGINT, SIGQUIT, SIGTSTP from ISIG keys; SIGWINCH) when it
 * has one (pgrp > 0). It runs in interrupt context, interrupts masked: it
 * must not block. NULL (the default) sends nothing.
 */
void fut_tty_set_signal_hook(void (*hook)(int pgrp, int sig));

/*
 * Job control is the process layer's business too: with this hook, the tty
 * asks before a read (sig = SIGTTIN), before a write when TOSTOP is set and
 * before a change of its settings (TCSETS*, TCFLSH, TCXONC, TIOCSPGRP; sig =
 * SIGTTOU) - whenever it is some session's controlling terminal and has a
 * foreground group. The hook answers 0 to go ahead or a negative errno that
 * the call returns: a caller of that session outside the foreground group
 * gets sig sent to its group and -EINTR (the call runs again once the group
 * is continued), or -EIO when SIGTTIN would not stop it. Thread context.
 * NULL (the default): everyone goes ahead.
 */
#define FUT_TTY_SIGTTIN 21
#define FUT_TTY_SIGTTOU 22
void fut_tty_set_job_control_hook(int (*hook)(int session, int fg_pgrp, int sig));
/* What the hook says for the caller, or 0 without a hook, session or group. */
int fut_tty_job_control(struct fut_tty *tty, int sig);

/*
 * ioctl(2) on a terminal: TCGETS, TCSETS, TCSETSW, TCSETSF, TCFLSH, TCXONC,
 * TCSBRK, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCGSID,
 * TIOCSCTTY, TIOCNOTTY, FIONREAD, TIOCOUTQ, TIOCSTI, TIOCGETD. TIOCSCTTY
 * and TIOCNOTTY are accepted and change nothing here: taking the terminal
 * needs the caller's session and group, which the system-call layer sets. `arg` is the caller's
 * argument (a user pointer or a value); `uc` moves data in and out of the
 * caller's memory (returning 0 or -EFAULT). -ENOTTY for anything else.
 */
struct fut_tty_user_copy {
    int (*from)(void *dst, const void *user_src, size_t n);
    int (*to)(void *user_dst, const void *src, size_t n);
};
long fut_tty_ioctl(struct fut_tty *tty, unsigned long cmd, uint64_t arg,
                   const struct fut_tty_user_copy *uc);

/*
 * The serial console, /dev/console and /dev/tty alike: one tty on the HAL's
 * console. Opening it installs its input handler and takes in the bytes
 * that arrived before (they wait in the UART and the HAL).
 */
struct fut_tty *fut_tty_console(void);
/* The tty behind a device number, or NULL: 5:0 (/dev/tty) and 5:1
 * (/dev/console) are the console. */
struct fut_tty *fut_tty_of_rdev(uint64_t rdev);

#ifdef __cplusplus
}
#endif

#endif
