/* Tab completion: command names (builtins, aliases, keywords, programs in
 * PATH) in command position, file paths elsewhere. */
#ifndef FUTSH_COMPLETE_H
#define FUTSH_COMPLETE_H

#include <stddef.h>

#include "str.h"

/* The word ending at `cursor` starts at *start; cands gets the sorted,
 * distinct replacements for it, quoted for the shell (directories end in
 * '/'). */
void complete_line(const char *line, size_t cursor, size_t *start, struct strv *cands);

/* The longest common prefix of all candidates (malloc'd). */
char *complete_common_prefix(const struct strv *cands);

#endif
