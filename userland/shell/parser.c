/* The parser: recursive descent over the lexer's tokens, one complete
 * command at a time (see parse.h). Grammar (POSIX sh, without case and
 * functions):
 *
 *   complete  := list (NEWLINE | EOF)
 *   list      := and_or ((';' | '&') and_or)* [';' | '&']
 *   and_or    := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline  := ['!'] command ('|' newline* command)*
 *   command   := simple | compound redirect*
 *   compound  := '(' clist ')' | '{' clist '}' | if | while | until | for | case
 *   case      := 'case' WORD 'in' (['('] WORD ('|' WORD)* ')' clist? [';;'])* 'esac'
 *   funcdef   := NAME '(' ')' newline* compound redirect*
 *   clist     := newline* and_or (separator newline* and_or)* [separator]
 */
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "shell.h"
#include "str.h"
#include "vars.h"

static struct token *peek(struct parser *p)
{
    if (!p->have_tok) {
        lex_token(p);
        p->have_tok = 1;
    }
    return &p->tok;
}

static void advance(struct parser *p)
{
    peek(p);
    p->last_end = p->tok.end;
    p->have_tok = 0;
}

/* An unquoted word at command position that is the reserved word w. */
static int is_reserved(struct parser *p, const char *w)
{
    struct token *t = peek(p);
    return t->type == T_WORD && !t->quoted && strcmp(t->text, w) == 0;
}

static int at_list_end(struct parser *p)
{
    static const char *const enders[] = {"then", "else", "elif", "fi", "do", "done", "}", "esac"};
    struct token *t = peek(p);
    if (t->type == T_EOF || t->type == T_RPAREN || t->type == T_DSEMI)
        return 1;
    for (size_t i = 0; i < sizeof(enders) / sizeof(enders[0]); i++)
        if (is_reserved(p, enders[i]))
            return 1;
    return 0;
}

static _Noreturn void unexpected(struct parser *p)
{
    struct token *t = peek(p);
    if (t->type == T_EOF)
        parse_need_more(p, 0, "unexpected end of file");
    parse_fail(p, "syntax error near '%s'", tok_name(t));
}

static void expect_reserved(struct parser *p, const char *w)
{
    if (!is_reserved(p, w))
        unexpected(p);
    advance(p);
}

static void skip_newlines(struct parser *p)
{
    while (peek(p)->type == T_NEWLINE)
        advance(p);
}

static struct node *new_node(struct parser *p, enum node_kind kind)
{
    struct node *n = arena_alloc(p->arena, sizeof(*n));
    n->kind = kind;
    n->lineno = peek(p)->lineno;
    return n;
}

static void set_text(struct parser *p, struct node *n, size_t start)
{
    size_t end = p->last_end > start ? p->last_end : start;
    n->text = arena_strndup(p->arena, p->buf + start, end - start);
}

/* A growable array of pointers, copied into the arena when complete. */
struct ptrs {
    void **v;
    size_t n, cap;
};

static void ptrs_push(struct ptrs *a, void *x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->v = xrealloc(a->v, a->cap * sizeof(void *));
    }
    a->v[a->n++] = x;
}

static void *ptrs_finish(struct parser *p, struct ptrs *a)
{
    void **out = arena_alloc(p->arena, (a->n + 1) * sizeof(void *));
    if (a->n)
        memcpy(out, a->v, a->n * sizeof(void *));
    free(a->v);
    a->v = NULL;
    return out;
}

static struct node *parse_and_or(struct parser *p);
static struct node *parse_clist(struct parser *p);

static int is_redirect_op(enum tok_type t)
{
    switch (t) {
    case T_LESS:
    case T_GREAT:
    case T_DGREAT:
    case T_DLESS:
    case T_DLESSDASH:
    case T_LESSAND:
    case T_GREATAND:
    case T_LESSGREAT:
    case T_CLOBBER:
    case T_ANDGREAT: return 1;
    default: return 0;
    }
}

/* The here-document delimiter with its quotes removed. */
static const char *unquote_delim(struct parser *p, const char *w)
{
    struct str d = STR_INIT;
    for (size_t i = 0; w[i]; i++) {
        if (w[i] == '\'' || w[i] == '"')
            continue;
        if (w[i] == '\\' && w[i + 1])
            i++;
        str_addc(&d, w[i]);
    }
    const char *out = arena_strndup(p->arena, str_cstr(&d), d.len);
    str_free(&d);
    return out;
}

static struct redir *parse_redirect(struct parser *p)
{
    struct token op = *peek(p);
    advance(p);
    struct token *w = peek(p);
    if (w->type != T_WORD)
        unexpected(p);
    struct redir *r = arena_alloc(p->arena, sizeof(*r));
    r->word = w->text;
    int in = 0;
    switch (op.type) {
    case T_LESS:
        r->kind = R_IN;
        in = 1;
        break;
    case T_GREAT:
    case T_CLOBBER: r->kind = R_OUT; break;
    case T_DGREAT: r->kind = R_APPEND; break;
    case T_LESSGREAT:
        r->kind = R_RDWR;
        in = 1;
        break;
    case T_LESSAND:
        r->kind = R_DUPIN;
        in = 1;
        break;
    case T_GREATAND: r->kind = R_DUPOUT; break;
    case T_ANDGREAT: r->kind = R_OUTERR; break;
    case T_DLESSDASH: r->strip_tabs = 1; /* fall through */
    default:
        r->kind = R_HEREDOC;
        in = 1;
        break;
    }
    r->fd = op.io_number >= 0 ? op.io_number : !in;
    if (r->kind == R_HEREDOC) {
        struct pending_heredoc *h = arena_alloc(p->arena, sizeof(*h));
        h->redir = r;
        h->delim = unquote_delim(p, w->text);
        r->body_quoted = w->quoted;
        *p->heredoc_tail = h;
        p->heredoc_tail = &h->next;
    }
    advance(p); /* after registering: the next token may be the newline */
    return r;
}

static void parse_redirects(struct parser *p, struct node *n)
{
    struct redir **tail = &n->redirs;
    while (*tail)
        tail = &(*tail)->next;
    while (is_redirect_op(peek(p)->type)) {
        *tail = parse_redirect(p);
        tail = &(*tail)->next;
    }
}

/* NAME=value: an assignment when NAME is a valid name. */
static int is_assignment(const char *w)
{
    const char *eq = strchr(w, '=');
    return eq && eq != w && var_name_valid(w, (size_t)(eq - w));
}

static struct node *parse_command(struct parser *p);

/* NAME ( ) body: the body must be a compound command. */
static struct node *parse_funcdef(struct parser *p, struct node *n, const char *name, size_t start)
{
    if (!var_name_valid(name, strlen(name)))
        parse_fail(p, "syntax error: '%s' is not a valid function name", name);
    advance(p); /* ( */
    if (peek(p)->type != T_RPAREN)
        parse_fail(p, "syntax error near '('");
    advance(p);
    skip_newlines(p);
    struct token *t = peek(p);
    int compound = t->type == T_LPAREN || is_reserved(p, "{") || is_reserved(p, "if") ||
                   is_reserved(p, "while") || is_reserved(p, "until") || is_reserved(p, "for") ||
                   is_reserved(p, "case");
    if (!compound)
        unexpected(p);
    n->kind = N_FUNCDEF;
    n->name = name;
    n->right = parse_command(p);
    set_text(p, n, start);
    return n;
}

static struct node *parse_simple(struct parser *p)
{
    struct node *n = new_node(p, N_SIMPLE);
    size_t start = peek(p)->pos;
    struct ptrs assigns = {0}, words = {0};
    struct redir **tail = &n->redirs;
    for (;;) {
        struct token *t = peek(p);
        if (is_redirect_op(t->type)) {
            *tail = parse_redirect(p);
            tail = &(*tail)->next;
        } else if (t->type == T_WORD) {
            if (words.n == 0 && is_assignment(t->text))
                ptrs_push(&assigns, (void *)t->text);
            else
                ptrs_push(&words, (void *)t->text);
            advance(p);
            if (words.n == 1 && assigns.n == 0 && !n->redirs && peek(p)->type == T_LPAREN) {
                const char *name = words.v[0];
                free(words.v);
                free(assigns.v);
                return parse_funcdef(p, n, name, start);
            }
        } else {
            break;
        }
    }
    if (assigns.n == 0 && words.n == 0 && !n->redirs) {
        free(assigns.v);
        free(words.v);
        unexpected(p);
    }
    n->nassigns = assigns.n;
    n->assigns = ptrs_finish(p, &assigns);
    n->nwords = words.n;
    n->words = ptrs_finish(p, &words);
    set_text(p, n, start);
    return n;
}

static struct node *parse_if(struct parser *p)
{
    struct node *n = new_node(p, N_IF);
    advance(p); /* if or elif */
    n->left = parse_clist(p);
    expect_reserved(p, "then");
    n->right = parse_clist(p);
    if (is_reserved(p, "elif")) {
        n->alt = parse_if(p);
        return n; /* the innermost elif consumed the fi */
    }
    if (is_reserved(p, "else")) {
        advance(p);
        n->alt = parse_clist(p);
    }
    expect_reserved(p, "fi");
    return n;
}

static struct node *parse_loop(struct parser *p, enum node_kind kind)
{
    struct node *n = new_node(p, kind);
    advance(p);
    n->left = parse_clist(p);
    expect_reserved(p, "do");
    n->right = parse_clist(p);
    expect_reserved(p, "done");
    return n;
}

static struct node *parse_for(struct parser *p)
{
    struct node *n = new_node(p, N_FOR);
    advance(p);
    struct token *t = peek(p);
    if (t->type != T_WORD || t->quoted || !var_name_valid(t->text, strlen(t->text)))
        unexpected(p);
    n->name = t->text;
    advance(p);
    skip_newlines(p);
    if (is_reserved(p, "in")) {
        advance(p);
        n->has_in = 1;
        struct ptrs words = {0};
        while (peek(p)->type == T_WORD) {
            ptrs_push(&words, (void *)peek(p)->text);
            advance(p);
        }
        n->nwords = words.n;
        n->words = ptrs_finish(p, &words);
        if (peek(p)->type != T_SEMI && peek(p)->type != T_NEWLINE)
            unexpected(p);
        advance(p);
    } else if (peek(p)->type == T_SEMI) {
        advance(p);
    }
    skip_newlines(p);
    expect_reserved(p, "do");
    n->right = parse_clist(p);
    expect_reserved(p, "done");
    return n;
}

static struct node *parse_case(struct parser *p)
{
    struct node *n = new_node(p, N_CASE);
    advance(p); /* case */
    if (peek(p)->type != T_WORD)
        unexpected(p);
    n->words = arena_alloc(p->arena, 2 * sizeof(char *));
    n->words[0] = peek(p)->text;
    n->nwords = 1;
    advance(p);
    skip_newlines(p);
    expect_reserved(p, "in");
    skip_newlines(p);
    struct ptrs items = {0};
    while (!is_reserved(p, "esac")) {
        struct node *item = new_node(p, N_CASE_ITEM);
        if (peek(p)->type == T_LPAREN)
            advance(p);
        struct ptrs patterns = {0};
        for (;;) {
            if (peek(p)->type != T_WORD) {
                free(patterns.v);
                free(items.v);
                unexpected(p);
            }
            ptrs_push(&patterns, (void *)peek(p)->text);
            advance(p);
            if (peek(p)->type != T_PIPE)
                break;
            advance(p);
        }
        item->nwords = patterns.n;
        item->words = ptrs_finish(p, &patterns);
        if (peek(p)->type != T_RPAREN) {
            free(items.v);
            unexpected(p);
        }
        advance(p);
        skip_newlines(p);
        if (peek(p)->type != T_DSEMI && !is_reserved(p, "esac"))
            item->right = parse_clist(p);
        ptrs_push(&items, item);
        if (peek(p)->type == T_DSEMI) {
            advance(p);
            skip_newlines(p);
        } else if (!is_reserved(p, "esac")) {
            free(items.v);
            unexpected(p);
        }
    }
    advance(p); /* esac */
    n->nkids = items.n;
    n->kids = ptrs_finish(p, &items);
    return n;
}

static struct node *parse_command(struct parser *p)
{
    if (++p->depth > PARSE_MAX_DEPTH)
        parse_fail(p, "syntax error: commands nested too deeply");
    /* Alias substitution of the command word. */
    for (;;) {
        struct token *t = peek(p);
        if (t->type != T_WORD || t->quoted || (p->aliases && lex_alias_active(p, t->text)))
            break;
        const char *value = alias_get(t->text);
        if (!value)
            break;
        lex_push_alias(p, arena_strndup(p->arena, t->text, strlen(t->text)), value);
        p->have_tok = 0;
    }

    struct node *n;
    size_t start = peek(p)->pos;
    if (peek(p)->type == T_LPAREN) {
        n = new_node(p, N_SUBSHELL);
        advance(p);
        n->right = parse_clist(p);
        if (peek(p)->type != T_RPAREN)
            unexpected(p);
        advance(p);
    } else if (is_reserved(p, "{")) {
        n = new_node(p, N_GROUP);
        advance(p);
        n->right = parse_clist(p);
        expect_reserved(p, "}");
    } else if (is_reserved(p, "if")) {
        n = parse_if(p);
    } else if (is_reserved(p, "while")) {
        n = parse_loop(p, N_WHILE);
    } else if (is_reserved(p, "until")) {
        n = parse_loop(p, N_UNTIL);
    } else if (is_reserved(p, "for")) {
        n = parse_for(p);
    } else if (is_reserved(p, "case")) {
        n = parse_case(p);
    } else if (at_list_end(p) || is_reserved(p, "in") || is_reserved(p, "!")) {
        unexpected(p);
    } else {
        p->depth--;
        return parse_simple(p);
    }
    parse_redirects(p, n);
    set_text(p, n, start);
    p->depth--;
    return n;
}

static struct node *parse_pipeline(struct parser *p)
{
    struct node *n = new_node(p, N_PIPELINE);
    size_t start = peek(p)->pos;
    if (is_reserved(p, "!")) {
        n->bang = 1;
        advance(p);
    }
    struct ptrs kids = {0};
    ptrs_push(&kids, parse_command(p));
    while (peek(p)->type == T_PIPE) {
        advance(p);
        skip_newlines(p);
        ptrs_push(&kids, parse_command(p));
    }
    n->nkids = kids.n;
    n->kids = ptrs_finish(p, &kids);
    set_text(p, n, start);
    return n;
}

static struct node *parse_and_or(struct parser *p)
{
    size_t start = peek(p)->pos;
    struct node *left = parse_pipeline(p);
    for (;;) {
        enum tok_type t = peek(p)->type;
        if (t != T_AND_IF && t != T_OR_IF)
            return left;
        advance(p);
        skip_newlines(p);
        struct node *n = new_node(p, t == T_AND_IF ? N_AND : N_OR);
        n->left = left;
        n->right = parse_pipeline(p);
        set_text(p, n, start);
        left = n;
    }
}

static struct node *finish_list(struct parser *p, struct ptrs *kids, struct ptrs *bg)
{
    struct node *n = new_node(p, N_LIST);
    n->nkids = kids->n;
    n->kids = ptrs_finish(p, kids);
    n->bg = arena_alloc(p->arena, n->nkids + 1);
    for (size_t i = 0; i < n->nkids; i++)
        n->bg[i] = bg->v[i] != NULL;
    free(bg->v);
    return n;
}

/* A compound list: and-or lists separated by ; & or newlines. */
static struct node *parse_clist(struct parser *p)
{
    struct ptrs kids = {0}, bg = {0};
    skip_newlines(p);
    do {
        ptrs_push(&kids, parse_and_or(p));
        enum tok_type t = peek(p)->type;
        ptrs_push(&bg, t == T_AMP ? (void *)1 : NULL);
        if (t != T_SEMI && t != T_AMP && t != T_NEWLINE)
            break;
        advance(p);
        skip_newlines(p);
    } while (!at_list_end(p));
    return finish_list(p, &kids, &bg);
}

/* The top-level list: ends at a newline or the end of the text. */
static struct node *parse_top(struct parser *p)
{
    struct ptrs kids = {0}, bg = {0};
    size_t start = peek(p)->pos;
    for (;;) {
        ptrs_push(&kids, parse_and_or(p));
        enum tok_type t = peek(p)->type;
        ptrs_push(&bg, t == T_AMP ? (void *)1 : NULL);
        if (t != T_SEMI && t != T_AMP)
            break;
        advance(p);
        t = peek(p)->type;
        if (t == T_NEWLINE || t == T_EOF)
            break;
    }
    struct token *t = peek(p);
    if (t->type != T_NEWLINE && t->type != T_EOF) {
        free(kids.v);
        free(bg.v);
        unexpected(p);
    }
    struct node *n = finish_list(p, &kids, &bg);
    set_text(p, n, start);
    advance(p); /* the newline, with its here-documents */
    return n;
}

void parse_one(const char *buf, size_t len, size_t start, int at_eof, int lineno,
               struct arena *arena, struct parse_result *res)
{
    struct parser p;
    memset(&p, 0, sizeof(p));
    memset(res, 0, sizeof(*res));
    p.buf = buf;
    p.len = len;
    p.pos = start;
    p.at_eof = at_eof;
    p.lineno = lineno;
    p.arena = arena;
    p.heredoc_tail = &p.heredocs;
    p.res = res;
    if (setjmp(p.fail)) {
        res->node = NULL;
        res->end = len;
        res->end_lineno = p.lineno;
        return;
    }
    skip_newlines(&p);
    if (peek(&p)->type == T_EOF) {
        res->status = PARSE_EOF;
        res->end = len;
        res->end_lineno = p.lineno;
        return;
    }
    res->node = parse_top(&p);
    res->status = PARSE_OK;
    res->end = p.pos;
    res->end_lineno = p.lineno;
}
