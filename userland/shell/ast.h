/* The syntax tree of one complete command. Words are kept raw (quotes and
 * $-expressions as typed); expand.c interprets them when the command runs.
 * Everything is allocated from the parse's arena. */
#ifndef FUTSH_AST_H
#define FUTSH_AST_H

#include <stddef.h>

enum redir_kind {
    R_IN,      /* <file */
    R_OUT,     /* >file, >|file */
    R_APPEND,  /* >>file */
    R_RDWR,    /* <>file */
    R_DUPIN,   /* <&n, <&- */
    R_DUPOUT,  /* >&n, >&- (>&file means &>file) */
    R_OUTERR,  /* &>file: stdout and stderr */
    R_HEREDOC, /* <<WORD, <<-WORD */
};

struct redir {
    struct redir *next;
    enum redir_kind kind;
    int fd;           /* the descriptor redirected */
    const char *word; /* raw target word; for here-documents the delimiter */
    const char *body; /* here-document text (raw), set when its lines are read */
    int body_quoted;  /* delimiter was quoted: the body is taken literally */
    int strip_tabs;   /* <<- */
};

enum node_kind {
    N_SIMPLE,    /* assignments, words, redirections */
    N_PIPELINE,  /* kids[0] | kids[1] | ... */
    N_AND,       /* left && right */
    N_OR,        /* left || right */
    N_LIST,      /* kids separated by ; or & (bg[i]) */
    N_SUBSHELL,  /* ( body ) */
    N_GROUP,     /* { body; } */
    N_IF,        /* if cond; then body; else alt; fi (elif: alt is an N_IF) */
    N_WHILE,     /* while cond; do body; done */
    N_UNTIL,     /* until cond; do body; done */
    N_FOR,       /* for name in words; do body; done */
    N_CASE,      /* case words[0] in kids (N_CASE_ITEM)... esac */
    N_CASE_ITEM, /* words (patterns) ) right ;; */
    N_FUNCDEF,   /* name () right: defines the function */
};

struct node {
    enum node_kind kind;
    int lineno;
    const char *text; /* source text (for job listings and set -x) */
    struct redir *redirs;

    /* N_SIMPLE; N_FOR uses words (has_in: an "in" list was given); N_CASE
     * has its subject in words[0], N_CASE_ITEM its patterns. */
    const char **assigns;
    size_t nassigns;
    const char **words;
    size_t nwords;
    int has_in;
    const char *name; /* N_FOR variable, N_FUNCDEF function name */

    /* N_PIPELINE, N_LIST */
    struct node **kids;
    unsigned char *bg; /* N_LIST: kids[i] runs in the background */
    size_t nkids;
    int bang; /* N_PIPELINE: ! pipeline */

    /* N_AND, N_OR: left/right; N_IF/N_WHILE/N_UNTIL: left = cond, right =
     * body, alt = else part; N_SUBSHELL/N_GROUP/N_FOR: right = body. */
    struct node *left;
    struct node *right;
    struct node *alt;
};

#endif
