/* The builtin commands: a table of name -> function, each function in the
 * bi_*.c file of its topic. A builtin returns its exit status and writes
 * with fd_printf (redirections are file descriptors). */
#ifndef FUTSH_BUILTINS_H
#define FUTSH_BUILTINS_H

#include <stddef.h>

enum builtin_flags {
    BI_FORK = 1,    /* runs in a child like a program, so Ctrl-C/Ctrl-Z reach it */
    BI_SPECIAL = 2, /* POSIX special builtin (listed by help as such) */
};

typedef int builtin_fn(int argc, char **argv);

struct builtin {
    const char *name;
    builtin_fn *fn;
    int flags;
    const char *usage;
    const char *summary;
};

extern const struct builtin builtin_table[];
extern const size_t builtin_count;

const struct builtin *builtin_find(const char *name);

/* bi_core.c */
builtin_fn bi_cd, bi_pwd, bi_echo, bi_true, bi_false, bi_colon, bi_exit, bi_shift, bi_eval,
    bi_source, bi_exec, bi_umask, bi_times, bi_ulimit, bi_sleep, bi_poweroff, bi_reboot, bi_break,
    bi_continue, bi_return;
/* bi_vars.c */
builtin_fn bi_export, bi_unset, bi_set, bi_env, bi_read, bi_alias, bi_unalias;
/* bi_jobs.c */
builtin_fn bi_jobs, bi_fg, bi_bg, bi_kill, bi_wait;
/* bi_test.c */
builtin_fn bi_test;
/* bi_printf.c */
builtin_fn bi_printf;
/* bi_info.c */
builtin_fn bi_help, bi_type, bi_history;

/* Builtin helpers. */
int usage_error(const char *name); /* prints the usage line, returns 2 */
/* Parses a decimal integer (whole string); 0 or -1. */
int parse_long(const char *s, long *out);

#endif
