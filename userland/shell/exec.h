/* Running syntax trees: lists, and-or lists, pipelines, compound commands,
 * simple commands (builtins in the shell, programs in children), command
 * substitution. */
#ifndef FUTSH_EXEC_H
#define FUTSH_EXEC_H

#include <stddef.h>

#include "ast.h"

enum exec_flags {
    EX_COND = 1, /* the status is being tested: set -e does not apply */
    EX_LAST = 2, /* in a forked child with nothing after it: exec directly */
};

int exec_node(struct node *n, int flags);

/* The output of a command (trailing newlines removed; malloc'd). Sets the
 * status that a command without a command word reports. */
char *command_subst(const char *text, size_t len);

/* execve()s a command by name (PATH search, scripts without #! run by the
 * shell, #! emulated when the kernel refuses it); never returns. */
_Noreturn void exec_program(char **argv);

/* Finds an executable in PATH: malloc'd path or NULL. */
char *path_lookup(const char *name);

#endif
