/*
 * The line discipline: input processing (translation, signal keys, flow
 * control, canonical editing with echo), reads (one line, or by VMIN/VTIME),
 * output processing, termios and readiness. See tty.h for the behaviour.
 *
 * Every function that touches a tty's state masks interrupts around it,
 * because input processing runs in the driver's interrupt handler; helpers
 * whose names end in _locked are called with interrupts masked.
 */
#include "futura/vfs/tty.h"

#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/timer.h"
#include "futura/vfs/abi.h"
#include "futura/vfs/pipe.h"

#define RING_MASK (FUT_TTY_BUF_SIZE - 1)
#define NS_PER_DECISECOND 100000000ull

/* slot_flags: how a byte of the input ring ends a canonical line. */
#define SLOT_DELIM 0x1 /* '\n', VEOL, VEOL2: delivered, and the line ends after it */
#define SLOT_EOF 0x2   /* VEOF: the line ends here; the byte itself is never delivered */

/* Output goes to the driver in batches of at most this many bytes. */
#define OUT_BATCH 128
/* A write posts this much at a time with interrupts masked, then lets them in. */
#define WRITE_CHUNK 64

static void (*signal_hook)(int pgrp, int sig);
static int (*job_control_hook)(int session, int fg_pgrp, int sig);

static const struct fut_termios default_termios = {
    .c_iflag = FUT_ICRNL | FUT_IXON,
    .c_oflag = FUT_OPOST | FUT_ONLCR,
    .c_cflag = FUT_B38400 | FUT_CS8 | FUT_CREAD,
    .c_lflag = FUT_ISIG | FUT_ICANON | FUT_ECHO | FUT_ECHOE | FUT_ECHOK | FUT_ECHOCTL | FUT_ECHOKE |
               FUT_IEXTEN,
    .c_cc =
        {
            [FUT_VINTR] = 0x03,    /* ^C */
            [FUT_VQUIT] = 0x1c,    /* ^\ */
            [FUT_VERASE] = 0x7f,   /* DEL */
            [FUT_VKILL] = 0x15,    /* ^U */
            [FUT_VEOF] = 0x04,     /* ^D */
            [FUT_VMIN] = 1,        /* VTIME 0 */
            [FUT_VSTART] = 0x11,   /* ^Q */
            [FUT_VSTOP] = 0x13,    /* ^S */
            [FUT_VSUSP] = 0x1a,    /* ^Z */
            [FUT_VREPRINT] = 0x12, /* ^R */
            [FUT_VDISCARD] = 0x0f, /* ^O */
            [FUT_VWERASE] = 0x17,  /* ^W */
            [FUT_VLNEXT] = 0x16,   /* ^V */
        },
};

static const struct fut_winsize default_winsize = {.ws_row = 24, .ws_col = 80};

void fut_tty_set_signal_hook(void (*hook)(int pgrp, int sig))
{
    signal_hook = hook;
}

void fut_tty_set_job_control_hook(int (*hook)(int session, int fg_pgrp, int sig))
{
    job_control_hook = hook;
}

int fut_tty_job_control(struct fut_tty *tty, int sig)
{
    if (!job_control_hook || tty->session <= 0 || tty->pgrp <= 0)
        return 0;
    return job_control_hook(tty->session, tty->pgrp, sig);
}

/* ---- Small predicates ---- */

static bool lflag(const struct fut_tty *tty, uint32_t f)
{
    return (tty->termios.c_lflag & f) != 0;
}

static bool iflag(const struct fut_tty *tty, uint32_t f)
{
    return (tty->termios.c_iflag & f) != 0;
}

/* c is the key in c_cc[index], and that key is not disabled (0). */
static bool is_key(const struct fut_tty *tty, int index, uint8_t c)
{
    return tty->termios.c_cc[index] != 0 && c == tty->termios.c_cc[index];
}

static bool is_ctrl(uint8_t c)
{
    return c < 0x20 || c == 0x7f;
}

/* A UTF-8 continuation byte takes no column when the input is UTF-8 (IUTF8). */
static bool is_continuation(const struct fut_tty *tty, uint8_t c)
{
    return iflag(tty, FUT_IUTF8) && (c & 0xc0) == 0x80;
}

static bool is_word_char(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool canonical(const struct fut_tty *tty)
{
    return lflag(tty, FUT_ICANON);
}

static uint64_t ring_used(const struct fut_tty *tty)
{
    return tty->head - tty->tail;
}

/* ---- Output ---- */

/* Output being gathered for the driver. */
struct out_batch {
    char buf[OUT_BATCH];
    size_t len;
};

static void out_flush(struct fut_tty *tty, struct out_batch *b)
{
    if (b->len)
        tty->ops->write(tty, b->buf, b->len);
    b->len = 0;
}

static void out_put(struct fut_tty *tty, struct out_batch *b, char c)
{
    if (b->len == sizeof(b->buf))
        out_flush(tty, b);
    b->buf[b->len++] = c;
}

/* Where the cursor goes after c is shown, as Linux's n_tty counts it. */
static void advance_column(struct fut_tty *tty, uint8_t c)
{
    if (c == '\t')
        tty->column = (tty->column | 7) + 1;
    else if (c == '\b' && tty->column > 0)
        tty->column--;
    else if (c == '\r')
        tty->column = 0;
    else if (!is_ctrl(c) && !is_continuation(tty, c))
        tty->column++;
}

/* One byte of output through OPOST processing. */
static void out_post(struct fut_tty *tty, struct out_batch *b, uint8_t c)
{
    uint32_t oflag = tty->termios.c_oflag;
    if (!(oflag & FUT_OPOST)) {
        advance_column(tty, c);
        out_put(tty, b, (char)c);
        return;
    }
    switch (c) {
    case '\n':
        if (oflag & (FUT_ONLCR | FUT_ONLRET))
            tty->column = 0;
        if (oflag & FUT_ONLCR)
            out_put(tty, b, '\r');
        break;
    case '\r':
        if ((oflag & FUT_ONOCR) && tty->column == 0)
            return;
        if (oflag & FUT_OCRNL) {
            c = '\n';
            if (oflag & FUT_ONLRET)
                tty->column = 0;
            out_put(tty, b, (char)c);
            return;
        }
        break;
    case '\t':
        if ((oflag & FUT_TABDLY) == FUT_XTABS) {
            do {
                out_put(tty, b, ' ');
                tty->column++;
            } while (tty->column & 7);
            return;
        }
        break;
    default: break;
    }
    advance_column(tty, c);
    out_put(tty, b, (char)c);
}

static void output_locked(struct fut_tty *tty, const uint8_t *s, size_t n)
{
    struct out_batch b;
    b.len = 0;
    for (size_t i = 0; i < n; i++)
        out_post(tty, &b, s[i]);
    out_flush(tty, &b);
}

static void output_str_locked(struct fut_tty *tty, const char *s)
{
    output_locked(tty, (const uint8_t *)s, strlen(s));
}

/* ---- Echo ---- */

/* Echoes a received byte: control characters as ^X with ECHOCTL (tab and
 * newline as themselves). */
static void echo_locked(struct fut_tty *tty, uint8_t c)
{
    if (c != '\n' && c != '\t' && is_ctrl(c) && lflag(tty, FUT_ECHOCTL)) {
        uint8_t pair[2] = {'^', (uint8_t)(c ^ 0x40)};
        output_locked(tty, pair, 2);
        return;
    }
    output_locked(tty, &c, 1);
}

static void echo_if_on_locked(struct fut_tty *tty, uint8_t c)
{
    if (lflag(tty, FUT_ECHO))
        echo_locked(tty, c);
}

static void bell_locked(struct fut_tty *tty)
{
    if (lflag(tty, FUT_ECHO))
        output_str_locked(tty, "\a");
}

/* The column at which the line being edited ends on screen, recomputed
 * from where it started (to erase a tab, whose width depends on that). */
static uint32_t line_end_column(const struct fut_tty *tty)
{
    uint32_t col = tty->line_column;
    for (uint64_t pos = tty->canon_head; pos != tty->head; pos++) {
        uint8_t c = tty->buf[pos & RING_MASK];
        if (c == '\t')
            col = (col | 7) + 1;
        else if (is_ctrl(c))
            col += lflag(tty, FUT_ECHOCTL) ? 2 : 0;
        else if (!is_continuation(tty, c))
            col++;
    }
    return col;
}

/* Takes an erased character c off the screen (ECHOE style). The line no
 * longer holds it. */
static void echo_erase_locked(struct fut_tty *tty, uint8_t c)
{
    if (c == '\t') {
        uint32_t to = line_end_column(tty);
        while (tty->column > to)
            output_str_locked(tty, "\b");
        return;
    }
    if (is_ctrl(c)) {
        if (lflag(tty, FUT_ECHOCTL))
            output_str_locked(tty, "\b \b\b \b");
        return;
    }
    output_str_locked(tty, "\b \b");
}

/* ---- Input: the line being edited ---- */

static void put_locked(struct fut_tty *tty, uint8_t c, uint8_t slot)
{
    /* The caller checked for room (fut_tty_input_ready pulls a byte only
     * when a slot is free, and each byte stores at most one). */
    if (ring_used(tty) >= FUT_TTY_BUF_SIZE)
        return;
    tty->buf[tty->head & RING_MASK] = c;
    tty->slot_flags[tty->head & RING_MASK] = slot;
    tty->head++;
}

/* Ends the line being edited: everything up to head becomes readable. */
static void end_line_locked(struct fut_tty *tty)
{
    tty->canon_head = tty->head;
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* Removes the last character of the line (a whole UTF-8 sequence with
 * IUTF8) and returns its first byte; the line must not be empty. */
static uint8_t pop_char_locked(struct fut_tty *tty)
{
    uint8_t c;
    do {
        c = tty->buf[--tty->head & RING_MASK];
    } while (is_continuation(tty, c) && tty->head != tty->canon_head);
    return c;
}

/* VERASE, VWERASE, VKILL: erase a character, a word (trailing non-word
 * characters, then word characters), or the whole line. */
static void erase_locked(struct fut_tty *tty, enum erase_kind kind, uint8_t key)
{
    if (tty->head == tty->canon_head)
        return;
    bool echo = lflag(tty, FUT_ECHO);
    bool visual = lflag(tty, FUT_ECHOE) && (kind != ERASE_LINE || lflag(tty, FUT_ECHOKE));
    if (kind == ERASE_LINE && (!echo || !visual)) {
        tty->head = tty->canon_head;
        if (echo) {
            echo_locked(tty, key);
            if (lflag(tty, FUT_ECHOK))
                output_str_locked(tty, "\n");
        }
        return;
    }
    if (kind == ERASE_CHAR && echo && !lflag(tty, FUT_ECHOE)) {
        pop_char_locked(tty);
        echo_locked(tty, key);
        return;
    }
    bool seen_word = false;
    while (tty->head != tty->canon_head) {
        uint64_t before = tty->head;
        uint8_t c = pop_char_locked(tty);
        if (kind == ERASE_WORD) {
            if (is_word_char(c)) {
                seen_word = true;
            } else if (seen_word) {
                tty->head = before; /* the word ended: keep this one */
                break;
            }
        }
        if (echo)
            echo_erase_locked(tty, c);
        if (kind == ERASE_CHAR)
            break;
    }
}

/* VREPRINT: the key, a new line, and the line being edited again. */
static void reprint_locked(struct fut_tty *tty, uint8_t key)
{
    if (!lflag(tty, FUT_ECHO))
        return;
    echo_locked(tty, key);
    output_str_locked(tty, "\n");
    tty->line_column = tty->column;
    for (uint64_t pos = tty->canon_head; pos != tty->head; pos++)
        echo_locked(tty, tty->buf[pos & RING_MASK]);
}

/* An ordinary byte into the line being edited (or straight to readers in
 * raw mode), echoed. */
static void receive_data_locked(struct fut_tty *tty, uint8_t c)
{
    if (canonical(tty) && tty->head - tty->canon_head >= FUT_TTY_LINE_MAX) {
        bell_locked(tty);
        return;
    }
    if (lflag(tty, FUT_ECHO)) {
        if (tty->head == tty->canon_head)
            tty->line_column = tty->column;
        echo_locked(tty, c);
    }
    put_locked(tty, c, 0);
    if (!canonical(tty))
        end_line_locked(tty);
}

/* ---- Input: keys with a meaning ---- */

static void start_output_locked(struct fut_tty *tty)
{
    if (tty->stopped) {
        tty->stopped = false;
        fut_waitq_wake_all(&tty->writers);
        fut_poll_notify();
    }
}

static void flush_input_locked(struct fut_tty *tty)
{
    tty->tail = tty->canon_head = tty->head;
    tty->lnext = false;
}

/* VINTR, VQUIT, VSUSP with ISIG. */
static void signal_key_locked(struct fut_tty *tty, int sig, uint8_t key)
{
    if (signal_hook && tty->pgrp > 0)
        signal_hook(tty->pgrp, sig);
    if (!lflag(tty, FUT_NOFLSH))
        flush_input_locked(tty);
    if (iflag(tty, FUT_IXON))
        start_output_locked(tty);
    echo_if_on_locked(tty, key);
}

/* Returns true if c was a flow-control or signal key and is used up. */
static bool receive_control_key_locked(struct fut_tty *tty, uint8_t c)
{
    if (iflag(tty, FUT_IXON)) {
        if (is_key(tty, FUT_VSTOP, c)) {
            tty->stopped = true;
            return true;
        }
        if (is_key(tty, FUT_VSTART, c)) {
            start_output_locked(tty);
            return true;
        }
    }
    if (lflag(tty, FUT_ISIG)) {
        int sig = is_key(tty, FUT_VINTR, c)   ? FUT_TTY_SIGINT
                  : is_key(tty, FUT_VQUIT, c) ? FUT_TTY_SIGQUIT
                  : is_key(tty, FUT_VSUSP, c) ? FUT_TTY_SIGTSTP
                                              : 0;
        if (sig) {
            signal_key_locked(tty, sig, c);
            return true;
        }
    }
    if (tty->stopped && iflag(tty, FUT_IXON) && iflag(tty, FUT_IXANY))
        start_output_locked(tty);
    return false;
}

/* Returns true if c was a canonical-mode editing or line-ending key. */
static bool receive_canonical_key_locked(struct fut_tty *tty, uint8_t c)
{
    bool iexten = lflag(tty, FUT_IEXTEN);
    if (is_key(tty, FUT_VERASE, c) || c == '\b') {
        erase_locked(tty, ERASE_CHAR, c);
    } else if (is_key(tty, FUT_VKILL, c)) {
        erase_locked(tty, ERASE_LINE, c);
    } else if (iexten && is_key(tty, FUT_VWERASE, c)) {
        erase_locked(tty, ERASE_WORD, c);
    } else if (iexten && is_key(tty, FUT_VLNEXT, c)) {
        tty->lnext = true;
        if (lflag(tty, FUT_ECHO) && lflag(tty, FUT_ECHOCTL))
            output_str_locked(tty, "^\b");
    } else if (iexten && is_key(tty, FUT_VREPRINT, c)) {
        reprint_locked(tty, c);
    } else if (c == '\n') {
        if (lflag(tty, FUT_ECHO) || lflag(tty, FUT_ECHONL))
            output_str_locked(tty, "\n");
        put_locked(tty, c, SLOT_DELIM);
        end_line_locked(tty);
    } else if (is_key(tty, FUT_VEOF, c)) {
        put_locked(tty, 0, SLOT_EOF);
        end_line_locked(tty);
    } else if (is_key(tty, FUT_VEOL, c) || (iexten && is_key(tty, FUT_VEOL2, c))) {
        echo_if_on_locked(tty, c);
        put_locked(tty, c, SLOT_DELIM);
        end_line_locked(tty);
    } else {
        return false;
    }
    return true;
}

/* One input byte through the line discipline, in Linux's order: strip,
 * quoting, flow control and signals, CR/NL translation, editing. */
static void receive_locked(struct fut_tty *tty, uint8_t c)
{
    if (iflag(tty, FUT_ISTRIP))
        c &= 0x7f;
    if (tty->lnext) {
        tty->lnext = false;
        receive_data_locked(tty, c);
        return;
    }
    if (receive_control_key_locked(tty, c))
        return;
    if (c == '\r') {
        if (iflag(tty, FUT_IGNCR))
            return;
        if (iflag(tty, FUT_ICRNL))
            c = '\n';
    } else if (c == '\n' && iflag(tty, FUT_INLCR)) {
        c = '\r';
    }
    if (canonical(tty) && receive_canonical_key_locked(tty, c))
        return;
    receive_data_locked(tty, c);
}

/* Pulls input from the driver while there is room; returns whether any came. */
static bool pull_input_locked(struct fut_tty *tty)
{
    bool got = false;
    tty->throttled = false;
    for (;;) {
        if (ring_used(tty) >= FUT_TTY_BUF_SIZE) {
            tty->throttled = true;
            break;
        }
        int c = tty->ops->getc(tty);
        if (c < 0)
            break;
        receive_locked(tty, (uint8_t)c);
        got = true;
    }
    return got;
}

static void wake_readers_locked(struct fut_tty *tty)
{
    fut_waitq_wake_all(&tty->readers);
    fut_poll_notify();
}

void fut_tty_input_ready(struct fut_tty *tty)
{
    uint64_t flags = fut_irq_save();
    if (pull_input_locked(tty))
        wake_readers_locked(tty);
    fut_irq_restore(flags);
}

/* Input was consumed: if the device was left holding some, take it now. */
static void made_room_locked(struct fut_tty *tty)
{
    if (tty->throttled && pull_input_locked(tty))
        wake_readers_locked(tty);
}

/* ---- Set-up ---- */

void fut_tty_init(struct fut_tty *tty, const struct fut_tty_ops *ops, void *priv)
{
    memset(tty, 0, sizeof(*tty));
    tty->ops = ops;
    tty->priv = priv;
    tty->termios = default_termios;
    tty->winsize = default_winsize;
    fut_waitq_init(&tty->readers);
    fut_waitq_init(&tty->writers);
}

void fut_tty_reset(struct fut_tty *tty)
{
    uint64_t flags = fut_irq_save();
    tty->termios = default_termios;
    tty->winsize = default_winsize;
    tty->pgrp = 0;
    tty->session = 0;
    tty->column = tty->line_column = 0;
    flush_input_locked(tty);
    start_output_locked(tty);
    made_room_locked(tty);
    wake_readers_locked(tty);
    fut_irq_restore(flags);
}

int fut_tty_open(struct fut_tty *tty)
{
    return tty->ops->open ? tty->ops->open(tty) : 0;
}

/* ---- Reading ---- */

/* Copies at most one line (canonical mode): up to and including its
 * delimiter, or up to an end-of-file mark, which is consumed but not
 * copied. When len runs out first, an end-of-file mark right behind the
 * copied text is consumed too, so it does not read as a separate EOF. */
static size_t copy_line_locked(struct fut_tty *tty, uint8_t *out, size_t len)
{
    size_t n = 0;
    while (tty->tail != tty->canon_head && n < len) {
        size_t i = tty->tail++ & RING_MASK;
        if (tty->slot_flags[i] & SLOT_EOF)
            return n;
        out[n++] = tty->buf[i];
        if (tty->slot_flags[i] & SLOT_DELIM)
            return n;
    }
    if (tty->tail != tty->canon_head && (tty->slot_flags[tty->tail & RING_MASK] & SLOT_EOF))
        tty->tail++;
    return n;
}

/* Copies what raw mode may read (end-of-file marks left from canonical
 * mode are dropped). */
static size_t copy_raw_locked(struct fut_tty *tty, uint8_t *out, size_t len)
{
    size_t n = 0;
    while (tty->tail != tty->head && n < len) {
        size_t i = tty->tail++ & RING_MASK;
        if (!(tty->slot_flags[i] & SLOT_EOF))
            out[n++] = tty->buf[i];
    }
    return n;
}

/* How a read waits: for good, until a deadline, or not at all. */
struct read_wait {
    bool timed;
    uint64_t deadline;
};

/* One attempt of a raw-mode read: copies what is there into out[*done..]
 * and says whether the read is complete (VMIN/VTIME rules). */
static bool read_raw_step_locked(struct fut_tty *tty, uint8_t *out, size_t len, size_t *done,
                                 struct read_wait *w)
{
    unsigned vmin = tty->termios.c_cc[FUT_VMIN];
    uint64_t vtime_ns = tty->termios.c_cc[FUT_VTIME] * NS_PER_DECISECOND;
    size_t got = copy_raw_locked(tty, out + *done, len - *done);
    *done += got;
    if (*done >= len || *done >= (vmin ? vmin : 1))
        return true;
    if (vmin == 0 && vtime_ns == 0)
        return true;
    if (vmin == 0 && !w->timed) {
        /* VTIME bounds the whole read. */
        w->timed = true;
        w->deadline = fut_timers_now() + vtime_ns;
    } else if (vmin > 0 && vtime_ns && got) {
        /* VTIME runs between bytes, from the latest one. */
        w->timed = true;
        w->deadline = fut_timers_now() + vtime_ns;
    }
    return false;
}

int64_t fut_tty_read(struct fut_tty *tty, void *buf, size_t len, uint32_t fflags)
{
    int rc = fut_tty_job_control(tty, FUT_TTY_SIGTTIN);
    if (rc)
        return rc;
    if (len == 0)
        return 0;
    uint8_t *out = buf;
    size_t done = 0;
    int64_t err = 0;
    struct read_wait w = {false, 0};
    uint64_t flags = fut_irq_save();
    for (;;) {
        if (canonical(tty)) {
            w.timed = false;
            if (tty->tail != tty->canon_head) {
                done = copy_line_locked(tty, out, len);
                break;
            }
        } else if (read_raw_step_locked(tty, out, len, &done, &w)) {
            break;
        }
        if (fflags & FUT_O_NONBLOCK) {
            err = -EAGAIN;
            break;
        }
        enum fut_wake_reason why = w.timed ? fut_waitq_wait_timeout(&tty->readers, w.deadline)
                                           : fut_waitq_wait(&tty->readers);
        if (why == FUT_WAKE_INTERRUPTED) {
            err = -EINTR;
            break;
        }
        if (why == FUT_WAKE_TIMEOUT) {
            if (!canonical(tty))
                done += copy_raw_locked(tty, out + done, len - done);
            break;
        }
    }
    made_room_locked(tty);
    fut_irq_restore(flags);
    return done ? (int64_t)done : err;
}

/* ---- Writing ---- */

int64_t fut_tty_write(struct fut_tty *tty, const void *buf, size_t len, uint32_t fflags)
{
    if (lflag(tty, FUT_TOSTOP)) {
        int rc = fut_tty_job_control(tty, FUT_TTY_SIGTTOU);
        if (rc)
            return rc;
    }
    const uint8_t *p = buf;
    size_t done = 0;
    int64_t err = 0;
    uint64_t flags = fut_irq_save();
    while (done < len) {
        if (tty->stopped) {
            if (fflags & FUT_O_NONBLOCK) {
                err = -EAGAIN;
                break;
            }
            if (fut_waitq_wait(&tty->writers) == FUT_WAKE_INTERRUPTED) {
                err = -EINTR;
                break;
            }
            continue;
        }
        size_t n = len - done < WRITE_CHUNK ? len - done : WRITE_CHUNK;
        output_locked(tty, p + done, n);
        done += n;
        /* Let input (and its echo) in between chunks of a long write. */
        fut_irq_restore(flags);
        flags = fut_irq_save();
    }
    fut_irq_restore(flags);
    return done || len == 0 ? (int64_t)done : err;
}

/* ---- State ---- */

bool fut_tty_readable(struct fut_tty *tty)
{
    uint64_t flags = fut_irq_save();
    bool ready;
    if (canonical(tty)) {
        ready = tty->tail != tty->canon_head;
    } else {
        unsigned vmin = tty->termios.c_cc[FUT_VMIN];
        bool vtime = tty->termios.c_cc[FUT_VTIME] != 0;
        ready = ring_used(tty) >= (vmin && !vtime ? vmin : 1);
    }
    fut_irq_restore(flags);
    return ready;
}

bool fut_tty_writable(struct fut_tty *tty)
{
    return !tty->stopped;
}

uint32_t fut_tty_poll(struct fut_tty *tty)
{
    uint32_t ready = 0;
    if (fut_tty_readable(tty))
        ready |= FUT_POLLIN | FUT_POLLRDNORM;
    if (fut_tty_writable(tty))
        ready |= FUT_POLLOUT | FUT_POLLWRNORM;
    return ready;
}

void fut_tty_get_termios(struct fut_tty *tty, struct fut_termios *out)
{
    uint64_t flags = fut_irq_save();
    *out = tty->termios;
    fut_irq_restore(flags);
}

void fut_tty_set_termios(struct fut_tty *tty, const struct fut_termios *t)
{
    uint64_t flags = fut_irq_save();
    struct fut_termios old = tty->termios;
    tty->termios = *t;
    if ((old.c_lflag ^ t->c_lflag) & FUT_ICANON) {
        /* Linux: all input so far becomes readable (pushed as one line). */
        tty->canon_head = tty->head;
        tty->lnext = false;
    }
    if ((old.c_iflag & FUT_IXON) && !(t->c_iflag & FUT_IXON))
        start_output_locked(tty);
    /* New VMIN/VTIME or mode: waiting readers check again. */
    wake_readers_locked(tty);
    fut_irq_restore(flags);
}

void fut_tty_flush_input(struct fut_tty *tty)
{
    uint64_t flags = fut_irq_save();
    flush_input_locked(tty);
    made_room_locked(tty);
    fut_irq_restore(flags);
}

size_t fut_tty_input_count(struct fut_tty *tty)
{
    uint64_t flags = fut_irq_save();
    size_t n = (size_t)((canonical(tty) ? tty->canon_head : tty->head) - tty->tail);
    fut_irq_restore(flags);
    return n;
}

int fut_tty_set_pgrp(struct fut_tty *tty, int pgrp)
{
    if (pgrp <= 0)
        return -EINVAL;
    tty->pgrp = pgrp;
    return 0;
}

int fut_tty_get_pgrp(struct fut_tty *tty)
{
    return tty->pgrp;
}

int fut_tty_set_session(struct fut_tty *tty, int sid)
{
    if (sid <= 0)
        return -EINVAL;
    tty->session = sid;
    return 0;
}

int fut_tty_get_session(struct fut_tty *tty)
{
    return tty->session;
}

void fut_tty_set_winsize(struct fut_tty *tty, const struct fut_winsize *ws)
{
    uint64_t flags = fut_irq_save();
    bool changed = memcmp(&tty->winsize, ws, sizeof(*ws)) != 0;
    tty->winsize = *ws;
    if (changed && signal_hook && tty->pgrp > 0)
        signal_hook(tty->pgrp, FUT_TTY_SIGWINCH);
    fut_irq_restore(flags);
}

void fut_tty_get_winsize(struct fut_tty *tty, struct fut_winsize *out)
{
    *out = tty->winsize;
}

void fut_tty_stop_output(struct fut_tty *tty, bool stop)
{
    uint64_t flags = fut_irq_save();
    if (stop)
        tty->stopped = true;
    else
        start_output_locked(tty);
    fut_irq_restore(flags);
}

int fut_tty_simulate_input(struct fut_tty *tty, uint8_t c)
{
    uint64_t flags = fut_irq_save();
    int rc = -EAGAIN;
    if (ring_used(tty) < FUT_TTY_BUF_SIZE) {
        receive_locked(tty, c);
        wake_readers_locked(tty);
        rc = 0;
    }
    fut_irq_restore(flags);
    return rc;
}

void fut_tty_send_output(struct fut_tty *tty, const void *buf, size_t len)
{
    uint64_t flags = fut_irq_save();
    tty->ops->write(tty, buf, len);
    fut_irq_restore(flags);
}
