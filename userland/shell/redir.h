/* Redirections: applied to the shell itself (saved and restored around a
 * builtin or compound command) or for good (in a child, or by exec). */
#ifndef FUTSH_REDIR_H
#define FUTSH_REDIR_H

#include "ast.h"

struct fd_save {
    int *fds;    /* descriptors changed */
    int *copies; /* their previous open file, or -1 if they were closed */
    int n, cap;
};

#define FD_SAVE_INIT                                                                               \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/* 0, or -1 after an error message (the ones applied stay applied: restore
 * them). save NULL: permanent. */
int redirs_apply(const struct redir *r, struct fd_save *save);
void redirs_restore(struct fd_save *save);

/* An unlinked temporary file open for reading and writing, or -1. */
int open_tmpfile(void);

#endif
