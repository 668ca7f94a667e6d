/* futsh: the Futura shell. Start-up: options, variables, signals, job
 * control; then a -c string, a script file, or standard input. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "jobs.h"
#include "shell.h"
#include "vars.h"

struct shell sh;

extern char **environ;

static void usage(void)
{
    fd_puts(
        2, "usage: futsh [-eifux] [-c COMMAND [NAME [ARGS...]] | FILE [ARGS...] | -s [ARGS...]]\n");
}

static void on_sigint(int sig)
{
    (void)sig;
    sh.got_sigint = 1;
}

static void set_signal(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL); /* no SA_RESTART: ^C interrupts a read */
}

static void init_variables(void)
{
    vars_init(environ);
    if (!var_get("PATH"))
        var_set("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
    char *ppid = xasprintf("%d", (int)getppid());
    var_set("PPID", ppid, 0);
    free(ppid);
    char *cwd = getcwd(NULL, 0);
    if (cwd)
        var_set("PWD", cwd, 1);
    free(cwd);
}

static void init_interactive(void)
{
    set_signal(SIGINT, on_sigint);
    set_signal(SIGQUIT, SIG_IGN);
    set_signal(SIGTERM, SIG_IGN);
    sh.tty_fd = 0;
    jobctl_init();
    sh.have_tmodes = tcgetattr(sh.jobctl ? sh.tty_fd : 0, &sh.tmodes) == 0;
    history_init();
}

static char *read_script(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct str text = STR_INIT;
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            str_free(&text);
            errno = err;
            return NULL;
        }
        str_addn(&text, buf, (size_t)n);
    }
    close(fd);
    *len = text.len;
    return str_steal(&text);
}

static int set_flag(char c, int on)
{
    switch (c) {
    case 'e': sh.opt_errexit = on; return 0;
    case 'f': sh.opt_noglob = on; return 0;
    case 'u': sh.opt_nounset = on; return 0;
    case 'x': sh.opt_xtrace = on; return 0;
    default: return -1;
    }
}

int main(int argc, char **argv)
{
    const char *command = NULL;
    int force_interactive = 0, force_stdin = 0, have_command = 0;
    int i = 1;
    sh.pid = getpid();
    sh.tty_fd = -1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1])
            break;
        for (const char *o = a + 1; *o; o++) {
            if (*o == 'c' && a[0] == '-')
                have_command = 1;
            else if (*o == 'i' && a[0] == '-')
                force_interactive = 1;
            else if (*o == 's' && a[0] == '-')
                force_stdin = 1;
            else if (set_flag(*o, a[0] == '-') < 0) {
                sh_error("-%c: invalid option", *o);
                usage();
                return 2;
            }
        }
    }
    init_variables();

    const char *script = NULL;
    if (have_command) {
        if (i >= argc) {
            sh_error("-c: option requires an argument");
            return 2;
        }
        command = argv[i++];
        if (i < argc)
            sh.arg0 = xstrdup(argv[i++]);
    } else if (!force_stdin && i < argc) {
        script = argv[i++];
        sh.arg0 = xstrdup(script);
    }
    if (!sh.arg0)
        sh.arg0 = xstrdup(argv[0]);
    for (; i < argc; i++)
        strv_pushdup(&sh.params, argv[i]);

    sh.interactive = force_interactive || (!command && !script && isatty(0) && isatty(2));
    if (sh.interactive)
        init_interactive();

    int status;
    if (command) {
        status = run_text(command, strlen(command), NULL);
    } else if (script) {
        size_t len;
        char *text = read_script(script, &len);
        if (!text) {
            sh_error("%s: %s", script, strerror(errno));
            return errno == ENOENT ? 127 : 126;
        }
        status = run_text(text, len, script);
        free(text);
    } else {
        status = run_stdin();
    }
    sh_exit(status);
}
