/*
 * init: PID 1 of Futura.
 *
 *   init [-v] [--rc FILE] [--shell PATH] [--respawn] [PROGRAM [ARGS...]]
 *
 * Sets a base environment, mounts /proc when the directory exists (failure
 * is reported, not fatal), runs the rc file (default /etc/rc) with the
 * shell if it exists, then:
 *   - without PROGRAM: prints /etc/motd and runs the shell (default
 *     /bin/futsh) on the console, starting a new one whenever it exits;
 *   - with PROGRAM: runs it once and exits with its status (the kernel
 *     reports init's exit status and powers off), unless --respawn.
 * All the while it reaps every orphan that is handed to it. Kernel
 * command-line arguments after "--" arrive here as PROGRAM and ARGS.
 *
 * Signals (as busybox init): SIGTERM and SIGINT (Ctrl-Alt-Del) reboot,
 * SIGUSR1 and SIGUSR2 power off: every process gets SIGTERM, two seconds,
 * then SIGKILL, sync, reboot(2). Only PID 1 does that; an init started as
 * an ordinary process (host tests) just ends its child and exits.
 * -v reports every reaped orphan.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct options {
    const char *rc;
    const char *shell;
    int respawn;
    int verbose;
    char **program; /* NULL: the shell */
};

/* Set by the handlers, acted on by the main loop. */
static volatile sig_atomic_t requested_action;

static int is_pid1;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof(buf) - 2)
        n = sizeof(buf) - 2;
    buf[n++] = '\n';
    ssize_t w = write(2, buf, (size_t)n);
    (void)w;
}

static void on_signal(int sig)
{
    requested_action = sig;
}

static void set_handler(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL); /* no SA_RESTART: waitpid returns EINTR */
}

static void install_signals(void)
{
    set_handler(SIGTERM, on_signal);
    set_handler(SIGINT, on_signal);
    set_handler(SIGUSR1, on_signal);
    set_handler(SIGUSR2, on_signal);
    set_handler(SIGHUP, SIG_IGN);
    set_handler(SIGTSTP, SIG_IGN);
    set_handler(SIGTTIN, SIG_IGN);
    set_handler(SIGTTOU, SIG_IGN);
    set_handler(SIGCHLD, SIG_DFL); /* never SIG_IGN: children must stay waitable */
}

static void base_environment(void)
{
    setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 0);
    setenv("HOME", "/", 0);
    setenv("TERM", "vt100", 0);
    setenv("SHELL", "/bin/futsh", 0);
}

static void mount_proc(void)
{
    struct stat st;
    if (stat("/proc", &st) < 0 || !S_ISDIR(st.st_mode))
        return;
    /* EBUSY: the kernel already mounted it, which is what we wanted. */
    if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
        say("init: /proc not mounted: %s (continuing)", strerror(errno));
}

/* Forks and execs argv as a new session leader on the console. */
static pid_t spawn(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) {
        say("init: fork: %s", strerror(errno));
        return -1;
    }
    if (pid > 0)
        return pid;
    static const int sigs[] = {SIGTERM, SIGINT,  SIGUSR1, SIGUSR2,
                               SIGHUP,  SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        set_handler(sigs[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (is_pid1) {
        /* Its own session, with the console as controlling terminal, so
         * the shell can do job control. Not fatal if the console refuses. */
        setsid();
        ioctl(0, TIOCSCTTY, 0);
    }
    execv(argv[0], argv);
    say("init: cannot run %s: %s", argv[0], strerror(errno));
    _exit(127);
}

static int status_code(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return 0;
}

static void describe(char *buf, size_t n, int wstatus)
{
    if (WIFSIGNALED(wstatus))
        snprintf(buf, n, "killed by signal %d", WTERMSIG(wstatus));
    else
        snprintf(buf, n, "status %d", WEXITSTATUS(wstatus));
}

static _Noreturn void shutdown_machine(int sig, pid_t child)
{
    int how = sig == SIGUSR1 || sig == SIGUSR2 ? RB_POWER_OFF : RB_AUTOBOOT;
    if (!is_pid1) {
        /* An ordinary process never signals anything but its own child. */
        if (child > 0) {
            kill(child, SIGTERM);
            waitpid(child, NULL, 0);
        }
        exit(0);
    }
    say("init: %s: stopping all processes", how == RB_POWER_OFF ? "power off" : "reboot");
    kill(-1, SIGTERM);
    for (int i = 0; i < 20; i++) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    sync();
    reboot(how);
    say("init: reboot: %s", strerror(errno));
    for (;;)
        pause();
}

/* Waits for `child`, reaping every other process that ends meanwhile.
 * Returns its wait status. */
static int wait_for(pid_t child, const struct options *o)
{
    for (;;) {
        if (requested_action)
            shutdown_machine(requested_action, child);
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            say("init: waitpid: %s", strerror(errno));
            return 127 << 8;
        }
        if (pid == child)
            return st;
        if (o->verbose) {
            char what[64];
            describe(what, sizeof(what), st);
            say("init: reaped orphan %d (%s)", (int)pid, what);
        }
    }
}

static void run_rc(const struct options *o)
{
    if (access(o->rc, R_OK) < 0)
        return;
    char *argv[] = {(char *)o->shell, (char *)o->rc, NULL};
    pid_t pid = spawn(argv);
    if (pid < 0)
        return;
    int st = wait_for(pid, o);
    if (st != 0) {
        char what[64];
        describe(what, sizeof(what), st);
        say("init: %s: %s", o->rc, what);
    }
}

static void print_motd(void)
{
    int fd = open("/etc/motd", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[1024];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (write(1, buf, (size_t)n) < 0)
            break;
    close(fd);
}

/* Runs the program again each time it exits; a program that keeps dying
 * within a second is restarted only every ten seconds. */
static _Noreturn void respawn_loop(char **argv, const struct options *o)
{
    int quick_exits = 0;
    for (;;) {
        time_t start = time(NULL);
        pid_t pid = spawn(argv);
        if (pid > 0) {
            int st = wait_for(pid, o);
            char what[64];
            describe(what, sizeof(what), st);
            say("init: %s exited (%s); starting it again", argv[0], what);
        }
        quick_exits = time(NULL) - start < 1 ? quick_exits + 1 : 0;
        if (quick_exits >= 5) {
            say("init: %s keeps exiting; waiting 10 seconds", argv[0]);
            struct timespec ts = {10, 0};
            while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !requested_action)
                ;
            quick_exits = 0;
        }
    }
}

static int parse_options(int argc, char **argv, struct options *o)
{
    o->rc = "/etc/rc";
    o->shell = "/bin/futsh";
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "-v")) {
            o->verbose = 1;
        } else if (!strcmp(argv[i], "--respawn")) {
            o->respawn = 1;
        } else if (!strcmp(argv[i], "--rc") && i + 1 < argc) {
            o->rc = argv[++i];
        } else if (!strcmp(argv[i], "--shell") && i + 1 < argc) {
            o->shell = argv[++i];
        } else if (argv[i][0] == '-') {
            say("usage: init [-v] [--rc FILE] [--shell PATH] [--respawn] [PROGRAM [ARGS...]]");
            return -1;
        } else {
            break;
        }
    }
    o->program = i < argc ? argv + i : NULL;
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    if (parse_options(argc, argv, &o) < 0)
        return 2;
    is_pid1 = getpid() == 1;
    install_signals();
    base_environment();
    if (is_pid1) {
        umask(022);
        mount_proc();
    } else {
        prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans of our children come to us */
    }
    run_rc(&o);

    if (!o.program) {
        char *shell_argv[] = {(char *)o.shell, NULL};
        print_motd();
        respawn_loop(shell_argv, &o);
    }
    if (o.respawn)
        respawn_loop(o.program, &o);
    pid_t pid = spawn(o.program);
    if (pid < 0)
        return 127;
    return status_code(wait_for(pid, &o));
}
