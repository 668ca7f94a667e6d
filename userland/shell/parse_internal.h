/* Shared between the lexer (lexer.c) and the parser (parser.c). */
#ifndef FUTSH_PARSE_INTERNAL_H
#define FUTSH_PARSE_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>

#include "parse.h"

enum tok_type {
    T_WORD,
    T_NEWLINE,
    T_EOF,
    T_SEMI,      /* ; */
    T_AMP,       /* & */
    T_PIPE,      /* | */
    T_AND_IF,    /* && */
    T_OR_IF,     /* || */
    T_DSEMI,     /* ;; */
    T_LPAREN,    /* ( */
    T_RPAREN,    /* ) */
    T_LESS,      /* < */
    T_GREAT,     /* > */
    T_DGREAT,    /* >> */
    T_DLESS,     /* << */
    T_DLESSDASH, /* <<- */
    T_LESSAND,   /* <& */
    T_GREATAND,  /* >& */
    T_LESSGREAT, /* <> */
    T_CLOBBER,   /* >| */
    T_ANDGREAT,  /* &> */
};

struct token {
    enum tok_type type;
    const char *text; /* T_WORD: raw word (arena) */
    int quoted;       /* T_WORD: has quoting characters */
    int io_number;    /* redirection operators: the digits before them, or -1 */
    size_t pos, end;  /* span in the main buffer (alias text: the alias word's) */
    int lineno;
};

/* Text an alias expanded to, lexed before the rest of the main buffer. */
struct alias_source {
    struct alias_source *next;
    const char *name;
    const char *text;
    size_t len, pos;
    size_t word_pos, word_end; /* the alias word in the main buffer */
};

struct pending_heredoc {
    struct pending_heredoc *next;
    struct redir *redir;
    const char *delim; /* quotes removed */
};

struct parser {
    const char *buf;
    size_t len;
    size_t pos; /* next byte of the main buffer */
    int at_eof;
    int lineno; /* line of buf[pos] */
    struct arena *arena;
    struct alias_source *aliases; /* innermost first */
    struct pending_heredoc *heredocs;
    struct pending_heredoc **heredoc_tail;
    struct token tok;
    int have_tok;
    size_t last_end; /* end of the last consumed token */
    int depth;       /* nesting of commands and substitutions being parsed */
    struct parse_result *res;
    jmp_buf fail;
};

/* Deeper nesting is a syntax error: the parser and the lexer recurse, and a
 * user stack is finite. */
enum { PARSE_MAX_DEPTH = 400 };

/* Lexes the next token into p->tok. */
void lex_token(struct parser *p);
/* Ends the parse: need more input (quote: inside quotes) or a syntax error. */
_Noreturn void parse_need_more(struct parser *p, int quote, const char *what);
_Noreturn void parse_fail(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reads the here-document bodies waiting for the newline just consumed. */
void lex_read_heredocs(struct parser *p);
void lex_push_alias(struct parser *p, const char *name, const char *text);
int lex_alias_active(struct parser *p, const char *name);
const char *tok_name(const struct token *t);

#endif
