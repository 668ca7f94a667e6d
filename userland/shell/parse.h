/* Lexer and parser: one complete command at a time out of a text buffer.
 *
 * parse_one() parses the command starting at `start` (a list of and-or lists
 * ending at a newline or the end of the text, including any here-document
 * lines after that newline). When the text ends inside a construct it says
 * PARSE_NEED_MORE unless at_eof is set, so a caller reading lines can append
 * the next line and parse again from the same start. */
#ifndef FUTSH_PARSE_H
#define FUTSH_PARSE_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"

enum parse_status {
    PARSE_OK,        /* node (NULL for a blank or comment line), end set */
    PARSE_EOF,       /* only blanks and comments up to the end */
    PARSE_NEED_MORE, /* incomplete; quote says whether inside quotes */
    PARSE_ERROR,     /* message set (without "futsh: "); end is past the bad line */
};

struct parse_result {
    enum parse_status status;
    struct node *node;
    size_t end;       /* where the next command starts */
    int end_lineno;   /* line number at end */
    int error_lineno; /* ERROR: the line of the offending token */
    int quote;        /* NEED_MORE/ERROR: an unterminated quote or substitution */
    char message[200];
};

/* lineno is the line number of buf[start]; aliases are looked up with
 * alias_get() (vars.h) and only outside of already-expanding aliases. */
void parse_one(const char *buf, size_t len, size_t start, int at_eof, int lineno,
               struct arena *arena, struct parse_result *res);

/* Whether `word` (raw) has any quoting characters. */
int word_is_quoted(const char *word);

#endif
