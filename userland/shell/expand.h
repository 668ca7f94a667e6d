/* Word expansion: tilde, parameters ($x ${x} ${x:-w} ${#x} ${x%p} ...),
 * command substitution ($(...) `...`), arithmetic ($((...))), field
 * splitting on IFS, globbing (* ? [...], a pattern without matches stays
 * literal) and quote removal. */
#ifndef FUTSH_EXPAND_H
#define FUTSH_EXPAND_H

#include <stddef.h>

#include "str.h"

/* Raw words -> fields appended to out. 0, or -1 after an error message. */
int expand_words(const char *const *words, size_t n, struct strv *out);
/* One word -> one string, without splitting or globbing (assignment values,
 * redirection targets). NULL after an error message. */
char *expand_word_str(const char *word);
/* A here-document body: $-expansions, `...`, and \ before $ ` \ newline. */
char *expand_heredoc(const char *body);
/* A case pattern: expanded, with its quoted characters escaped for
 * fnmatch(). NULL after an error message. */
char *expand_pattern(const char *word);
/* Whether a word (raw) has an unquoted glob character. */
int word_has_glob(const char *word);

/* Arithmetic ($((...)), after parameter expansion): 0, or -1 with *err set. */
int arith_eval(const char *expr, long long *out, const char **err);

#endif
