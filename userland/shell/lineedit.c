/* The line editor (see lineedit.h).
 *
 * Input is read a byte at a time so that type-ahead meant for the next
 * command stays in the terminal's buffer; redrawing is skipped while more
 * input is already waiting (FIONREAD), so pasted text is drawn once. */
#include "lineedit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "complete.h"
#include "history.h"
#include "shell.h"

struct editor {
    int in, out;
    const char *prompt;
    size_t prompt_cols;
    struct str *buf;
    size_t cur;    /* byte offset of the cursor */
    size_t scroll; /* first column of the text shown */
    size_t width;  /* terminal columns at the last redraw */
    int stale;     /* the screen lags behind the buffer (a redraw was skipped) */
    size_t hist;   /* history entry shown; history_count() = the new line */
    char *draft;   /* the new line while browsing history */
};

/* A '\r' ended the last line: a '\n' right after it is the same Enter. */
static int skip_lf;

static size_t byte_cols(unsigned char c)
{
    if ((c & 0xc0) == 0x80)
        return 0; /* UTF-8 continuation byte */
    return c < 32 || c == 127 ? 2 : 1;
}

static size_t cols_of(const char *s, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += byte_cols((unsigned char)s[i]);
    return cols;
}

static size_t terminal_cols(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 10)
        return ws.ws_col;
    return 80;
}

static int input_pending(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

/* A prompt wider than half the terminal is shown with its middle cut out
 * ("futsh:/very/lo...ng/dir [0]$ "): the line always has room. */
static void add_prompt(struct str *o, const char *prompt, size_t width, size_t *cols)
{
    size_t max = width / 2 > 20 ? width / 2 : 20;
    size_t n = strlen(prompt);
    *cols = cols_of(prompt, n);
    if (*cols <= max) {
        str_add(o, prompt);
        return;
    }
    size_t head = max / 3, tail = max - head - 3;
    size_t i = 0, c = 0;
    while (i < n && c + byte_cols((unsigned char)prompt[i]) <= head)
        c += byte_cols((unsigned char)prompt[i++]);
    while (i < n && ((unsigned char)prompt[i] & 0xc0) == 0x80)
        i++;
    str_addn(o, prompt, i);
    str_add(o, "...");
    size_t j = n;
    c = 0;
    while (j > i && c + byte_cols((unsigned char)prompt[j - 1]) <= tail)
        c += byte_cols((unsigned char)prompt[--j]);
    while (j < n && ((unsigned char)prompt[j] & 0xc0) == 0x80)
        j++;
    str_add(o, prompt + j);
    *cols = cols_of(o->s + o->len - (n - j) - 3 - i, i + 3 + (n - j));
}

static void refresh(struct editor *e)
{
    size_t width = terminal_cols(e->out);
    e->width = width;
    e->stale = 0;
    struct str o = STR_INIT;
    str_addc(&o, '\r');
    add_prompt(&o, e->prompt, width, &e->prompt_cols);
    size_t avail = width > e->prompt_cols + 2 ? width - e->prompt_cols - 1 : 1;
    size_t cur_col = cols_of(e->buf->s ? e->buf->s : "", e->cur);
    if (cur_col < e->scroll)
        e->scroll = cur_col;
    if (cur_col >= e->scroll + avail)
        e->scroll = cur_col - avail + 1;

    size_t col = 0;
    for (size_t i = 0; i < e->buf->len; i++) {
        unsigned char c = (unsigned char)e->buf->s[i];
        size_t w = byte_cols(c);
        if (col >= e->scroll && col + w <= e->scroll + avail && (w > 0 || col > e->scroll)) {
            if (c < 32 || c == 127) {
                str_addc(&o, '^');
                str_addc(&o, c == 127 ? '?' : (char)(c + 64));
            } else {
                str_addc(&o, (char)c);
            }
        }
        col += w;
        if (col > e->scroll + avail)
            break;
    }
    str_add(&o, "\x1b[K\r");
    size_t to = e->prompt_cols + cur_col - e->scroll;
    if (to > 0)
        str_printf(&o, "\x1b[%zuC", to);
    write_all(e->out, o.s, o.len);
    str_free(&o);
}

static size_t prev_char(struct editor *e, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)e->buf->s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static size_t next_char(struct editor *e, size_t i)
{
    if (i >= e->buf->len)
        return e->buf->len;
    i++;
    while (i < e->buf->len && ((unsigned char)e->buf->s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static size_t word_left(struct editor *e, size_t i)
{
    while (i > 0 && is_space(e->buf->s[i - 1]))
        i--;
    while (i > 0 && !is_space(e->buf->s[i - 1]))
        i--;
    return i;
}

static size_t word_right(struct editor *e, size_t i)
{
    while (i < e->buf->len && is_space(e->buf->s[i]))
        i++;
    while (i < e->buf->len && !is_space(e->buf->s[i]))
        i++;
    return i;
}

static void set_text(struct editor *e, const char *text)
{
    str_clear(e->buf);
    str_add(e->buf, text);
    e->cur = e->buf->len;
}

static void history_move(struct editor *e, int delta)
{
    size_t count = history_count();
    if (delta < 0 && e->hist == 0)
        return;
    if (delta > 0 && e->hist >= count)
        return;
    if (e->hist == count) {
        free(e->draft);
        e->draft = xstrdup(str_cstr(e->buf));
    }
    e->hist = delta < 0 ? e->hist - 1 : e->hist + 1;
    set_text(e, e->hist == count ? (e->draft ? e->draft : "") : history_get(e->hist));
}

/* Prints the candidates in columns below the line. */
static void list_candidates(struct editor *e, const struct strv *cands)
{
    size_t widest = 0;
    for (size_t i = 0; i < cands->n; i++)
        if (strlen(cands->v[i]) > widest)
            widest = strlen(cands->v[i]);
    size_t width = terminal_cols(e->out);
    size_t per_row = width / (widest + 2);
    if (per_row == 0)
        per_row = 1;
    size_t rows = (cands->n + per_row - 1) / per_row;
    struct str o = STR_INIT;
    str_add(&o, "\r\n");
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < per_row; c++) {
            size_t i = c * rows + r;
            if (i < cands->n)
                str_printf(&o, "%-*s", (int)(widest + 2), cands->v[i]);
        }
        str_add(&o, "\r\n");
    }
    write_all(e->out, o.s, o.len);
    str_free(&o);
}

static void complete(struct editor *e)
{
    size_t start;
    struct strv cands = STRV_INIT;
    complete_line(str_cstr(e->buf), e->cur, &start, &cands);
    if (cands.n == 0) {
        write_all(e->out, "\a", 1);
    } else {
        char *prefix = complete_common_prefix(&cands);
        size_t typed = e->cur - start;
        int unique = cands.n == 1;
        int grows = strlen(prefix) > typed || strncmp(prefix, e->buf->s + start, typed) != 0;
        if (unique || grows) {
            str_erase(e->buf, start, typed);
            str_insert(e->buf, start, prefix, strlen(prefix));
            e->cur = start + strlen(prefix);
            if (unique && prefix[0] && prefix[strlen(prefix) - 1] != '/') {
                str_insert(e->buf, e->cur, " ", 1);
                e->cur++;
            }
        } else {
            list_candidates(e, &cands);
        }
        free(prefix);
    }
    strv_free(&cands);
}

static int read_byte(int fd, unsigned char *c)
{
    for (;;) {
        ssize_t n = read(fd, c, 1);
        if (n == 1)
            return 1;
        if (n == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

enum key {
    K_NONE = 256,
    K_UP,
    K_DOWN,
    K_LEFT,
    K_RIGHT,
    K_HOME,
    K_END,
    K_DELETE,
    K_WORD_LEFT,
    K_WORD_RIGHT,
};

/* After ESC: CSI/SS3 sequences (ESC [ ... final, ESC O x) and Alt-b/f. */
static int read_escape(int fd)
{
    unsigned char c;
    if (read_byte(fd, &c) <= 0)
        return K_NONE;
    if (c == 'b')
        return K_WORD_LEFT;
    if (c == 'f')
        return K_WORD_RIGHT;
    if (c != '[' && c != 'O')
        return K_NONE;
    char params[16];
    size_t n = 0;
    unsigned char final;
    for (;;) {
        if (read_byte(fd, &final) <= 0)
            return K_NONE;
        if (final >= 0x40 && final <= 0x7e)
            break;
        if (n + 1 < sizeof(params))
            params[n++] = (char) final;
    }
    params[n] = '\0';
    switch (final) {
    case 'A': return K_UP;
    case 'B': return K_DOWN;
    case 'C': return strchr(params, ';') ? K_WORD_RIGHT : K_RIGHT;
    case 'D': return strchr(params, ';') ? K_WORD_LEFT : K_LEFT;
    case 'H': return K_HOME;
    case 'F': return K_END;
    case '~':
        if (!strcmp(params, "1") || !strcmp(params, "7"))
            return K_HOME;
        if (!strcmp(params, "4") || !strcmp(params, "8"))
            return K_END;
        if (!strcmp(params, "3"))
            return K_DELETE;
        return K_NONE;
    default: return K_NONE;
    }
}

static void delete_range(struct editor *e, size_t from, size_t to)
{
    str_erase(e->buf, from, to - from);
    e->cur = from;
}

/* Handles one key; returns an lineedit_status when the line is finished,
 * or -1 to go on. */
static int handle_key(struct editor *e, int key)
{
    switch (key) {
    case '\r':
    case '\n':
        skip_lf = key == '\r';
        if (e->stale || e->cur != e->buf->len) {
            e->cur = e->buf->len;
            refresh(e);
        }
        write_all(e->out, "\r\n", 2);
        return LE_LINE;
    case 3: /* ^C */
        e->cur = e->buf->len;
        refresh(e);
        write_all(e->out, "^C\r\n", 4);
        return LE_INTERRUPT;
    case 4: /* ^D */
        if (e->buf->len == 0) {
            write_all(e->out, "\r\n", 2);
            return LE_EOF;
        }
        delete_range(e, e->cur, next_char(e, e->cur));
        break;
    case K_DELETE: delete_range(e, e->cur, next_char(e, e->cur)); break;
    case 8:
    case 127: delete_range(e, prev_char(e, e->cur), e->cur); break;
    case 1:
    case K_HOME: e->cur = 0; break;
    case 5:
    case K_END: e->cur = e->buf->len; break;
    case 2:
    case K_LEFT: e->cur = prev_char(e, e->cur); break;
    case 6:
    case K_RIGHT: e->cur = next_char(e, e->cur); break;
    case K_WORD_LEFT: e->cur = word_left(e, e->cur); break;
    case K_WORD_RIGHT: e->cur = word_right(e, e->cur); break;
    case 11: delete_range(e, e->cur, e->buf->len); break;          /* ^K */
    case 21: delete_range(e, 0, e->cur); break;                    /* ^U */
    case 23: delete_range(e, word_left(e, e->cur), e->cur); break; /* ^W */
    case 12: write_all(e->out, "\x1b[H\x1b[2J", 7); break;         /* ^L */
    case 16:
    case K_UP: history_move(e, -1); break;
    case 14:
    case K_DOWN: history_move(e, 1); break;
    case '\t': complete(e); break;
    default:
        if (key >= 32 && key < 256 && key != 127) {
            char c = (char)key;
            str_insert(e->buf, e->cur, &c, 1);
            e->cur++;
        }
        break;
    }
    return -1;
}

/* A character typed at the end of a line that still fits is just echoed:
 * on a serial console a full redraw per key would be most of the traffic. */
static int echo_appended(struct editor *e, int key)
{
    if (e->stale || key < 32 || key >= 256 || key == 127 || e->cur != e->buf->len)
        return 0;
    size_t avail = e->width > e->prompt_cols + 2 ? e->width - e->prompt_cols - 1 : 1;
    size_t col = cols_of(e->buf->s, e->cur);
    if (col < e->scroll || col - e->scroll >= avail)
        return 0;
    char c = (char)key;
    write_all(e->out, &c, 1);
    return 1;
}

enum lineedit_status lineedit_read(int in, int out, const char *prompt, struct str *line)
{
    struct termios saved, raw;
    if (tcgetattr(in, &saved) < 0)
        return LE_ERROR;
    raw = saved;
    raw.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
    raw.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(in, TCSADRAIN, &raw) < 0)
        return LE_ERROR;

    struct editor e = {
        in, out, prompt, cols_of(prompt, strlen(prompt)), line, 0, 0, 0, 0, history_count(), NULL};
    str_clear(line);
    refresh(&e);
    int result = -1;
    while (result < 0) {
        unsigned char c;
        int r = read_byte(in, &c);
        if (r <= 0) {
            result = line->len ? LE_LINE : LE_EOF;
            write_all(out, "\r\n", 2);
            break;
        }
        if (skip_lf) {
            skip_lf = 0;
            if (c == '\n')
                continue;
        }
        int key = c == 27 ? read_escape(in) : c;
        size_t len_before = line->len;
        result = handle_key(&e, key);
        if (result >= 0)
            break;
        if (line->len == len_before + 1 && echo_appended(&e, key))
            continue;
        if (input_pending(in))
            e.stale = 1;
        else
            refresh(&e);
    }
    tcsetattr(in, TCSADRAIN, &saved);
    free(e.draft);
    return (enum lineedit_status)result;
}
