/* The read-parse-run loops: over a whole text (scripts, -c, eval, source,
 * command substitution) and over lines from standard input (the prompt). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "history.h"
#include "jobs.h"
#include "lineedit.h"
#include "parse.h"
#include "shell.h"
#include "vars.h"

static void syntax_error(const struct parse_result *res, int lineno)
{
    int saved = sh.lineno;
    sh.lineno = lineno;
    sh_error("%s", res->message);
    sh.lineno = saved;
}

static int stop_running(void)
{
    return sh.break_levels || sh.continue_levels || sh.returning ||
           (sh.got_sigint && sh.interactive);
}

int run_text(const char *text, size_t len, const char *name)
{
    /* eval and source can recurse; the C stack cannot forever. */
    static int depth;
    if (depth >= 200) {
        sh_error("eval/source nested too deeply");
        return 2;
    }
    depth++;
    const char *saved_name = sh.source_name;
    int saved_lineno = sh.lineno;
    if (name)
        sh.source_name = name;
    size_t pos = 0;
    int lineno = 1, status = 0;
    while (!stop_running()) {
        struct arena arena = ARENA_INIT;
        struct parse_result res;
        parse_one(text, len, pos, 1, lineno, &arena, &res);
        if (res.status == PARSE_EOF) {
            arena_free(&arena);
            break;
        }
        if (res.status != PARSE_OK) {
            syntax_error(&res, res.error_lineno);
            arena_free(&arena);
            status = 2;
            sh.last_status = status;
            if (!sh.interactive)
                sh_exit(status);
            break;
        }
        status = exec_node(res.node, 0);
        sh.last_status = status;
        pos = res.end;
        lineno = res.end_lineno;
        arena_free(&arena);
    }
    sh.source_name = saved_name;
    sh.lineno = saved_lineno;
    depth--;
    return status;
}

static char *prompt_text(void)
{
    char *cwd = getcwd(NULL, 0);
    char *p = xasprintf("futsh:%s [%d]$ ", cwd ? cwd : "?", sh.last_status);
    free(cwd);
    return p;
}

static int use_editor = 1;

enum read_result { READ_LINE, READ_EOF, READ_INTERRUPT };

/* A line without its newline; NUL bytes are dropped. */
static enum read_result read_plain(struct str *line)
{
    for (;;) {
        char c;
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR) {
            if (sh.got_sigint && sh.interactive)
                return READ_INTERRUPT;
            continue;
        }
        if (n <= 0)
            return line->len ? READ_LINE : READ_EOF;
        if (c == '\n')
            return READ_LINE;
        if (c != '\0')
            str_addc(line, c);
    }
}

static enum read_result read_line(int continuation, struct str *line)
{
    str_clear(line);
    if (!sh.interactive)
        return read_plain(line);
    char *prompt = continuation ? xstrdup("> ") : prompt_text();
    enum read_result r = READ_EOF;
    const char *term = var_get("TERM");
    if (use_editor && isatty(0) && !(term && !strcmp(term, "dumb"))) {
        switch (lineedit_read(0, 2, prompt, line)) {
        case LE_LINE: r = READ_LINE; break;
        case LE_EOF: r = READ_EOF; break;
        case LE_INTERRUPT: r = READ_INTERRUPT; break;
        case LE_ERROR: use_editor = 0; break;
        }
        if (use_editor) {
            free(prompt);
            /* The editor cannot drop NULs as they arrive: they are keys. */
            return r;
        }
    }
    fd_puts(2, prompt);
    free(prompt);
    r = read_plain(line);
    if (r == READ_INTERRUPT)
        fd_puts(2, "\n");
    return r;
}

/* Adds the text of commands just parsed to the history. */
static void remember(const char *text, size_t from, size_t to)
{
    while (to > from && (text[to - 1] == '\n' || text[to - 1] == ' '))
        to--;
    if (to > from) {
        char *entry = xstrndup(text + from, to - from);
        history_add(entry);
        free(entry);
    }
}

/* Lines read so far that do not yet form a complete command start at pos. */
struct pending {
    struct str buf;
    size_t pos;
    int lineno; /* of buf[pos] */
};

/* Runs every complete command in the pending text. Returns 1 after a syntax
 * error (the text is dropped), else 0. */
static int run_pending(struct pending *in, int at_eof)
{
    for (;;) {
        struct arena arena = ARENA_INIT;
        struct parse_result res;
        parse_one(str_cstr(&in->buf), in->buf.len, in->pos, at_eof, in->lineno, &arena, &res);
        if (res.status == PARSE_OK) {
            if (sh.interactive)
                remember(in->buf.s, in->pos, res.end);
            sh.last_status = exec_node(res.node, 0);
            in->pos = res.end;
            in->lineno = res.end_lineno;
            arena_free(&arena);
            continue;
        }
        arena_free(&arena);
        if (res.status == PARSE_EOF)
            in->pos = in->buf.len;
        /* An unterminated quote at the prompt is an error at once; anything
         * else incomplete waits for the next line. */
        if (res.status == PARSE_EOF ||
            (res.status == PARSE_NEED_MORE && !(sh.interactive && res.quote)))
            return 0;
        if (sh.interactive)
            remember(in->buf.s, in->pos, in->buf.len);
        if (res.status == PARSE_NEED_MORE)
            sh_error("syntax error: %s", res.message);
        else
            syntax_error(&res, res.error_lineno);
        sh.last_status = 2;
        if (!sh.interactive)
            sh_exit(2);
        in->pos = in->buf.len;
        in->lineno = res.end_lineno;
        return 1;
    }
}

int run_stdin(void)
{
    struct pending in = {STR_INIT, 0, 1};
    struct str line = STR_INIT;
    int at_eof = 0;
    while (!at_eof) {
        if (in.pos >= in.buf.len) {
            str_clear(&in.buf);
            in.pos = 0;
        }
        if (sh.interactive && in.buf.len == 0) {
            jobs_notify();
            sh.got_sigint = 0;
            sh.break_levels = sh.continue_levels = 0;
        }
        enum read_result r = read_line(in.buf.len > in.pos, &line);
        if (r == READ_INTERRUPT) {
            str_clear(&in.buf);
            in.pos = 0;
            sh.last_status = 130;
            continue;
        }
        if (r == READ_EOF) {
            at_eof = 1;
            if (sh.interactive && in.buf.len == 0)
                fd_puts(2, "exit\n");
        } else {
            str_addn(&in.buf, str_cstr(&line), line.len);
            str_addc(&in.buf, '\n');
        }
        if (run_pending(&in, at_eof) && r == READ_EOF)
            at_eof = 0; /* ^D inside a command at the prompt: drop it, keep the shell */
    }
    str_free(&in.buf);
    str_free(&line);
    return sh.last_status;
}
