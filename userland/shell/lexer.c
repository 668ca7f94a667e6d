/* The lexer: words (kept raw, quotes included), operators, newlines, and the
 * bodies of here-documents, from the main buffer or from alias text. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse_internal.h"
#include "shell.h"
#include "str.h"

/* Where the lexer reads: the innermost alias text, or the main buffer. */
struct cursor {
    const char *s;
    size_t len;
    size_t *pos;
    int main; /* the main buffer: its end may mean "need more input" */
};

static struct cursor cursor_of(struct parser *p)
{
    struct cursor c;
    if (p->aliases) {
        c.s = p->aliases->text;
        c.len = p->aliases->len;
        c.pos = &p->aliases->pos;
        c.main = 0;
    } else {
        c.s = p->buf;
        c.len = p->len;
        c.pos = &p->pos;
        c.main = 1;
    }
    return c;
}

_Noreturn void parse_need_more(struct parser *p, int quote, const char *what)
{
    p->res->quote = quote;
    p->res->error_lineno = p->lineno;
    if (p->at_eof) {
        p->res->status = PARSE_ERROR;
        snprintf(p->res->message, sizeof(p->res->message), "syntax error: %s", what);
    } else {
        p->res->status = PARSE_NEED_MORE;
        snprintf(p->res->message, sizeof(p->res->message), "%s", what);
    }
    longjmp(p->fail, 1);
}

_Noreturn void parse_fail(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->res->message, sizeof(p->res->message), fmt, ap);
    va_end(ap);
    p->res->status = PARSE_ERROR;
    p->res->error_lineno = p->have_tok ? p->tok.lineno : p->lineno;
    longjmp(p->fail, 1);
}

/* The end of the text inside a quote or substitution. */
static _Noreturn void unterminated(struct parser *p, struct cursor *c, const char *what)
{
    if (!c->main)
        parse_fail(p, "syntax error: %s in alias", what);
    parse_need_more(p, 1, what);
}

static void count_newline(struct parser *p, struct cursor *c, char ch)
{
    if (c->main && ch == '\n')
        p->lineno++;
}

static size_t scan_dollar(struct parser *p, struct cursor *c, size_t i, struct str *w);
static size_t scan_backquote(struct parser *p, struct cursor *c, size_t i, struct str *w);

/* '...': everything literal up to the next quote. */
static size_t scan_squote(struct parser *p, struct cursor *c, size_t i, struct str *w)
{
    str_addc(w, '\'');
    for (i++; i < c->len && c->s[i] != '\''; i++) {
        count_newline(p, c, c->s[i]);
        str_addc(w, c->s[i]);
    }
    if (i >= c->len)
        unterminated(p, c, "unterminated single quote");
    str_addc(w, '\'');
    return i + 1;
}

/* A backslash outside single quotes: \<newline> disappears (line
 * continuation), anything else is kept with its backslash. */
static size_t scan_backslash(struct parser *p, struct cursor *c, size_t i, struct str *w)
{
    if (i + 1 >= c->len) {
        if (c->main && !p->at_eof)
            parse_need_more(p, 0, "line continuation");
        str_addc(w, '\\');
        return i + 1;
    }
    if (c->s[i + 1] == '\n') {
        if (i + 2 >= c->len && c->main && !p->at_eof)
            parse_need_more(p, 0, "line continuation"); /* the word goes on */
        count_newline(p, c, '\n');
        return i + 2;
    }
    str_addc(w, '\\');
    str_addc(w, c->s[i + 1]);
    return i + 2;
}

static size_t scan_dquote(struct parser *p, struct cursor *c, size_t i, struct str *w)
{
    str_addc(w, '"');
    i++;
    while (i < c->len && c->s[i] != '"') {
        char ch = c->s[i];
        if (ch == '\\') {
            if (i + 1 >= c->len)
                break;
            i = scan_backslash(p, c, i, w);
        } else if (ch == '$') {
            i = scan_dollar(p, c, i, w);
        } else if (ch == '`') {
            i = scan_backquote(p, c, i, w);
        } else {
            count_newline(p, c, ch);
            str_addc(w, ch);
            i++;
        }
    }
    if (i >= c->len)
        unterminated(p, c, "unterminated double quote");
    str_addc(w, '"');
    return i + 1;
}

static size_t scan_backquote(struct parser *p, struct cursor *c, size_t i, struct str *w)
{
    str_addc(w, '`');
    for (i++; i < c->len && c->s[i] != '`'; i++) {
        if (c->s[i] == '\\' && i + 1 < c->len) {
            str_addc(w, c->s[i++]);
        }
        count_newline(p, c, c->s[i]);
        str_addc(w, c->s[i]);
    }
    if (i >= c->len)
        unterminated(p, c, "unterminated backquote");
    str_addc(w, '`');
    return i + 1;
}

/* The inside of $( ... ), $(( ... )) or ${ ... } up to the closing
 * bracket `close`, with nested quotes and substitutions. */
static size_t scan_nested(struct parser *p, struct cursor *c, size_t i, char open, char close,
                          const char *what, struct str *w)
{
    if (++p->depth > PARSE_MAX_DEPTH)
        parse_fail(p, "syntax error: substitutions nested too deeply");
    int depth = 1;
    while (i < c->len) {
        char ch = c->s[i];
        if (ch == '\'' && close != '}') {
            i = scan_squote(p, c, i, w);
        } else if (ch == '"') {
            i = scan_dquote(p, c, i, w);
        } else if (ch == '\\') {
            if (i + 1 >= c->len)
                break;
            i = scan_backslash(p, c, i, w);
        } else if (ch == '`') {
            i = scan_backquote(p, c, i, w);
        } else if (ch == '$') {
            i = scan_dollar(p, c, i, w);
        } else {
            if (ch == open)
                depth++;
            else if (ch == close && --depth == 0) {
                str_addc(w, ch);
                p->depth--;
                return i + 1;
            }
            count_newline(p, c, ch);
            str_addc(w, ch);
            i++;
        }
    }
    unterminated(p, c, what);
}

static size_t scan_dollar(struct parser *p, struct cursor *c, size_t i, struct str *w)
{
    str_addc(w, '$');
    i++;
    if (i < c->len && c->s[i] == '(') {
        str_addc(w, '(');
        return scan_nested(p, c, i + 1, '(', ')', "unterminated $(", w);
    }
    if (i < c->len && c->s[i] == '{') {
        str_addc(w, '{');
        return scan_nested(p, c, i + 1, '{', '}', "unterminated ${", w);
    }
    return i;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static int is_word_end(char ch)
{
    return is_blank(ch) || ch == '\n' || strchr(";&|<>()", ch) != NULL;
}

int word_is_quoted(const char *word)
{
    return strpbrk(word, "'\"\\") != NULL;
}

struct op {
    const char *text;
    enum tok_type type;
};

/* Longest first. */
static const struct op ops[] = {
    {"<<-", T_DLESSDASH}, {"&&", T_AND_IF},  {"||", T_OR_IF},     {";;", T_DSEMI},
    {"<<", T_DLESS},      {"<&", T_LESSAND}, {"<>", T_LESSGREAT}, {">>", T_DGREAT},
    {">&", T_GREATAND},   {">|", T_CLOBBER}, {"&>", T_ANDGREAT},  {";", T_SEMI},
    {"&", T_AMP},         {"|", T_PIPE},     {"(", T_LPAREN},     {")", T_RPAREN},
    {"<", T_LESS},        {">", T_GREAT},    {"\n", T_NEWLINE},
};

const char *tok_name(const struct token *t)
{
    switch (t->type) {
    case T_WORD: return t->text;
    case T_NEWLINE: return "newline";
    case T_EOF: return "end of file";
    default: break;
    }
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (ops[i].type == t->type)
            return ops[i].text;
    return "?";
}

/* Skips blanks, \<newline> and a comment; pops finished alias texts.
 * Returns the cursor to lex from. */
static struct cursor skip_space(struct parser *p)
{
    for (;;) {
        struct cursor c = cursor_of(p);
        size_t i = *c.pos;
        while (i < c.len) {
            if (is_blank(c.s[i]) || c.s[i] == '\0') {
                i++;
            } else if (c.s[i] == '\\' && i + 1 < c.len && c.s[i + 1] == '\n') {
                if (i + 2 >= c.len && c.main && !p->at_eof)
                    parse_need_more(p, 0, "line continuation");
                count_newline(p, &c, '\n');
                i += 2;
            } else if (c.s[i] == '#') {
                while (i < c.len && c.s[i] != '\n')
                    i++;
            } else {
                break;
            }
        }
        *c.pos = i;
        if (i < c.len || c.main)
            return c;
        p->aliases = p->aliases->next; /* this alias's text is done */
    }
}

static int lex_operator(struct parser *p, struct cursor *c, struct token *t)
{
    size_t i = *c->pos;
    for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        size_t n = strlen(ops[k].text);
        if (c->len - i >= n && memcmp(c->s + i, ops[k].text, n) == 0) {
            t->type = ops[k].type;
            *c->pos = i + n;
            if (t->type == T_NEWLINE)
                count_newline(p, c, '\n');
            return 1;
        }
    }
    return 0;
}

void lex_token(struct parser *p)
{
    struct cursor c = skip_space(p);
    struct token *t = &p->tok;
    memset(t, 0, sizeof(*t));
    t->io_number = -1;
    t->lineno = p->lineno;
    size_t start = *c.pos;

    if (start >= c.len) {
        t->type = T_EOF;
    } else if (!lex_operator(p, &c, t)) {
        struct str w = STR_INIT;
        size_t i = start;
        while (i < c.len && !is_word_end(c.s[i])) {
            char ch = c.s[i];
            if (ch == '\'')
                i = scan_squote(p, &c, i, &w);
            else if (ch == '"')
                i = scan_dquote(p, &c, i, &w);
            else if (ch == '\\')
                i = scan_backslash(p, &c, i, &w);
            else if (ch == '$')
                i = scan_dollar(p, &c, i, &w);
            else if (ch == '`')
                i = scan_backquote(p, &c, i, &w);
            else if (ch == '\0')
                i++; /* NUL bytes cannot be in C strings; drop them */
            else
                str_addc(&w, c.s[i++]);
        }
        *c.pos = i;
        t->type = T_WORD;
        t->text = arena_strndup(p->arena, str_cstr(&w), w.len);
        t->quoted = word_is_quoted(t->text);
        str_free(&w);
        /* 2>file: a number right before < or > names the descriptor. */
        size_t n = strlen(t->text);
        if (i < c.len && (c.s[i] == '<' || c.s[i] == '>') && n > 0 && n <= 4 &&
            strspn(t->text, "0123456789") == n) {
            int fd = 0;
            for (size_t k = 0; k < n; k++)
                fd = fd * 10 + (t->text[k] - '0');
            lex_operator(p, &c, t);
            t->io_number = fd;
            t->text = NULL;
        }
    }
    if (c.main) {
        t->pos = start;
        t->end = *c.pos;
    } else {
        t->pos = p->aliases->word_pos;
        t->end = p->aliases->word_end;
    }
    if (t->type == T_NEWLINE && c.main)
        lex_read_heredocs(p);
    if (t->type == T_EOF && p->heredocs) {
        if (!p->at_eof)
            parse_need_more(p, 0, "here-document");
        lex_read_heredocs(p);
    }
}

/* Reads one line of the main buffer for a here-document: [*start, *end),
 * with *next after its newline. Returns 0 at the end of the text. */
static int heredoc_line(struct parser *p, size_t *start, size_t *end, size_t *next)
{
    if (p->pos >= p->len) {
        if (!p->at_eof)
            parse_need_more(p, 0, "here-document");
        return 0;
    }
    const char *nl = memchr(p->buf + p->pos, '\n', p->len - p->pos);
    if (!nl && !p->at_eof)
        parse_need_more(p, 0, "here-document");
    *start = p->pos;
    *end = nl ? (size_t)(nl - p->buf) : p->len;
    *next = nl ? *end + 1 : p->len;
    return 1;
}

void lex_read_heredocs(struct parser *p)
{
    for (struct pending_heredoc *h = p->heredocs; h; h = h->next) {
        struct str body = STR_INIT;
        int found = 0;
        size_t start, end, next;
        while (heredoc_line(p, &start, &end, &next)) {
            if (h->redir->strip_tabs)
                while (start < end && p->buf[start] == '\t')
                    start++;
            p->pos = next;
            p->lineno++;
            if (end - start == strlen(h->delim) &&
                memcmp(p->buf + start, h->delim, end - start) == 0) {
                found = 1;
                break;
            }
            str_addn(&body, p->buf + start, end - start);
            str_addc(&body, '\n');
        }
        if (!found)
            sh_warn("here-document delimited by end of file (wanted '%s')", h->delim);
        h->redir->body = arena_strndup(p->arena, str_cstr(&body), body.len);
        str_free(&body);
    }
    p->heredocs = NULL;
    p->heredoc_tail = &p->heredocs;
}

void lex_push_alias(struct parser *p, const char *name, const char *text)
{
    struct alias_source *a = arena_alloc(p->arena, sizeof(*a));
    a->name = name;
    a->text = text;
    a->len = strlen(text);
    a->word_pos = p->tok.pos;
    a->word_end = p->tok.end;
    a->next = p->aliases;
    p->aliases = a;
}

int lex_alias_active(struct parser *p, const char *name)
{
    for (struct alias_source *a = p->aliases; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return 1;
    return 0;
}
