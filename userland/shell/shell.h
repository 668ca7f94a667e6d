/* The shell's global state and its error/output helpers.
 *
 * Output goes straight to file descriptors with write(2) (no stdio
 * buffers), so redirections of builtins and fork() never duplicate or lose
 * output. */
#ifndef FUTSH_SHELL_H
#define FUTSH_SHELL_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <termios.h>

#include "str.h"

struct shell {
    pid_t pid;             /* $$: the top-level shell, also in subshells */
    int interactive;       /* prompts, job notifications, errors do not exit */
    int jobctl;            /* job control: process groups and the terminal */
    int tty_fd;            /* the terminal (job control and the line editor) */
    pid_t pgid;            /* the shell's own process group */
    struct termios tmodes; /* the terminal's modes for the shell */
    int have_tmodes;
    int subshell;            /* a forked child: exit, never return to a prompt */
    int last_status;         /* $? */
    pid_t last_bg;           /* $! (0: none yet) */
    char *arg0;              /* $0 */
    struct strv params;      /* $1 ... */
    const char *source_name; /* script name for error messages, or NULL */
    int lineno;              /* line of the command being run */

    int opt_errexit; /* set -e */
    int opt_xtrace;  /* set -x */
    int opt_nounset; /* set -u */
    int opt_noglob;  /* set -f */

    int loop_depth;      /* enclosing while/until/for loops */
    int func_depth;      /* enclosing function calls */
    int source_depth;    /* enclosing source/. files */
    int returning;       /* return was run: unwind to the function or source */
    int break_levels;    /* pending break n */
    int continue_levels; /* pending continue n */

    volatile sig_atomic_t got_sigint; /* interactive: Ctrl-C at the prompt */
};

extern struct shell sh;

/* "futsh: ..." (with the script and line when running one) on stderr. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes everything (retrying short writes and EINTR); -1 on error. */
int write_all(int fd, const void *p, size_t n);
int fd_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fd_puts(int fd, const char *s);

/* Ends the shell (saves nothing: history is appended as it is entered). */
_Noreturn void sh_exit(int status);

/* Runs `text` (a script, -c string, eval or source text) to its end or
 * until exit; returns the last status. name is for error messages. */
int run_text(const char *text, size_t len, const char *name);
/* Reads and runs commands from fd 0 (prompting and editing when
 * interactive) until end of input. */
int run_stdin(void);

#endif
