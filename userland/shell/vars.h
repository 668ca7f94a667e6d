/* Shell variables (with the exported ones as the environment of commands),
 * aliases and functions. */
#ifndef FUTSH_VARS_H
#define FUTSH_VARS_H

#include <stddef.h>

#include "str.h"

void vars_init(char **environ);
/* NULL when unset. */
const char *var_get(const char *name);
/* export_it: 1 exports, 0 keeps the current flag. Returns 0. */
int var_set(const char *name, const char *value, int export_it);
void var_unset(const char *name);
void var_export(const char *name);
int var_is_exported(const char *name);
int var_name_valid(const char *s, size_t n);
/* Sets NAME=value from one "NAME=value" string. */
int var_assign(const char *assignment, int export_it);
/* NAME=value strings of the exported variables (for execve). */
void vars_environ(struct strv *out);
/* Every variable in name order: "NAME=value", exported flag per entry. */
void vars_list(struct strv *names);

const char *alias_get(const char *name);
void alias_set(const char *name, const char *value);
int alias_unset(const char *name);
void alias_clear(void);
void alias_list(struct strv *names); /* sorted names */

/* Functions: name -> body text (a compound command, parsed at each call). */
const char *func_get(const char *name);
void func_set(const char *name, const char *body);
int func_unset(const char *name);

/* A saved variable value, to undo "NAME=value builtin" afterwards. */
struct var_save {
    char *name;
    char *value; /* NULL: was unset */
    int exported;
};
void var_save(struct var_save *s, const char *name);
void var_restore(struct var_save *s);

#endif
