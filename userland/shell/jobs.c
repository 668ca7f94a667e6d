/* Jobs and job control (see jobs.h). */
#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"
#include "signames.h"

struct job *job_list;
static unsigned long job_seq;
static pid_t original_pgrp;

int status_of(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    if (WIFSTOPPED(wstatus))
        return 128 + WSTOPSIG(wstatus);
    return 0;
}

static void set_signal(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void jobctl_init(void)
{
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
    if (fd < 0 || !isatty(fd)) {
        if (fd >= 0)
            close(fd);
        return;
    }
    sh.tty_fd = fd;
    /* Wait until we are in the foreground (a shell started in the
     * background stops itself until its parent shell continues it). */
    for (int tries = 0;; tries++) {
        pid_t fg = tcgetpgrp(fd);
        if (fg <= 0 || tries > 50)
            return; /* the terminal knows no process groups */
        if (fg == getpgrp())
            break;
        kill(-getpgrp(), SIGTTIN);
    }
    original_pgrp = getpgrp();
    set_signal(SIGTSTP, SIG_IGN);
    set_signal(SIGTTIN, SIG_IGN);
    set_signal(SIGTTOU, SIG_IGN);
    if (getpgrp() != getpid() && setpgid(0, 0) < 0)
        return;
    sh.pgid = getpgrp();
    if (tcsetpgrp(fd, sh.pgid) < 0)
        return;
    sh.jobctl = 1;
}

void jobctl_exit(void)
{
    if (sh.jobctl && original_pgrp > 0 && original_pgrp != sh.pgid)
        tcsetpgrp(sh.tty_fd, original_pgrp);
}

static int lowest_free_id(void)
{
    for (int id = 1;; id++) {
        int used = 0;
        for (struct job *j = job_list; j; j = j->next)
            used |= j->id == id;
        if (!used)
            return id;
    }
}

struct job *job_new(const char *text, int background)
{
    struct job *j = xcalloc(1, sizeof(*j));
    j->id = lowest_free_id();
    j->text = xstrdup(text ? text : "");
    j->background = background;
    j->seq = ++job_seq;
    struct job **tail = &job_list;
    while (*tail)
        tail = &(*tail)->next;
    *tail = j;
    return j;
}

void job_free(struct job *j)
{
    for (struct job **pp = &job_list; *pp; pp = &(*pp)->next) {
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    }
    free(j->procs);
    free(j->text);
    free(j);
}

void job_add_proc(struct job *j, pid_t pid)
{
    if (j->nprocs == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 4;
        j->procs = xrealloc(j->procs, j->cap * sizeof(*j->procs));
    }
    j->procs[j->nprocs].pid = pid;
    j->procs[j->nprocs].status = 0;
    j->procs[j->nprocs].state = PROC_RUNNING;
    j->nprocs++;
    if (j->pgid == 0)
        j->pgid = pid;
    if (sh.jobctl)
        setpgid(pid, j->pgid); /* also done by the child: whoever runs first */
}

void child_setup(struct job *j, int foreground)
{
    int had_jobctl = sh.jobctl;
    if (had_jobctl && j) {
        pid_t pgid = j->pgid ? j->pgid : getpid();
        setpgid(0, pgid);
        if (foreground)
            tcsetpgrp(sh.tty_fd, pgid);
    }
    static const int sigs[] = {SIGINT,  SIGQUIT, SIGTERM, SIGTSTP,
                               SIGTTIN, SIGTTOU, SIGCHLD, SIGPIPE};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        set_signal(sigs[i], SIG_DFL);
    if (!had_jobctl && j && j->background) {
        /* A background command without job control must not take the
         * keyboard's signals or input. */
        set_signal(SIGINT, SIG_IGN);
        set_signal(SIGQUIT, SIG_IGN);
        int fd = open("/dev/null", O_RDONLY);
        if (fd >= 0 && fd != 0) {
            dup2(fd, 0);
            close(fd);
        }
    }
    if (sh.tty_fd > 2)
        close(sh.tty_fd);
    sh.tty_fd = -1;
    sh.jobctl = 0;
    sh.interactive = 0;
    sh.subshell = 1;
    /* The parent's jobs stay listed ("$(jobs -p)", "jobs | cat") and can be
     * signalled, but they are not our children: never waited for. */
    for (struct job *k = job_list; k; k = k->next)
        k->inherited = 1;
}

int job_done(const struct job *j)
{
    for (size_t i = 0; i < j->nprocs; i++)
        if (j->procs[i].state != PROC_DONE)
            return 0;
    return 1;
}

int job_stopped(const struct job *j)
{
    int stopped = 0;
    for (size_t i = 0; i < j->nprocs; i++) {
        if (j->procs[i].state == PROC_RUNNING)
            return 0;
        stopped |= j->procs[i].state == PROC_STOPPED;
    }
    return stopped;
}

int job_status(const struct job *j)
{
    if (j->nprocs == 0)
        return 0;
    const struct proc *last = &j->procs[j->nprocs - 1];
    if (job_stopped(j)) {
        for (size_t i = 0; i < j->nprocs; i++)
            if (j->procs[i].state == PROC_STOPPED)
                return status_of(j->procs[i].status);
    }
    return status_of(last->status);
}

/* Records a wait status for whichever job has the process. */
static void record(pid_t pid, int wstatus)
{
    for (struct job *j = job_list; j; j = j->next) {
        for (size_t i = 0; i < j->nprocs; i++) {
            struct proc *p = &j->procs[i];
            if (p->pid != pid)
                continue;
            if (WIFSTOPPED(wstatus)) {
                p->state = PROC_STOPPED;
                p->status = wstatus;
            } else if (WIFCONTINUED(wstatus)) {
                p->state = PROC_RUNNING;
            } else {
                p->state = PROC_DONE;
                p->status = wstatus;
            }
            j->notified = 0;
            return;
        }
    }
}

void jobs_reap(void)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED | WCONTINUED)) > 0)
        record(pid, st);
}

int jobs_wait_one(int *interrupted)
{
    int st;
    *interrupted = 0;
    pid_t pid = waitpid(-1, &st, WUNTRACED);
    if (pid < 0) {
        *interrupted = errno == EINTR;
        return -1;
    }
    record(pid, st);
    return 0;
}

/* The job's last process was killed by a signal: say so, like a terminal
 * user expects ("Segmentation fault", "Killed"). */
static void report_signal(const struct job *j)
{
    if (j->nprocs == 0)
        return;
    int st = j->procs[j->nprocs - 1].status;
    if (!WIFSIGNALED(st))
        return;
    int sig = WTERMSIG(st);
    if (sig == SIGINT) {
        if (sh.interactive)
            fd_puts(2, "\n");
        sh.got_sigint = 1;
    } else if (sig != SIGPIPE) {
        fd_printf(2, "%s%s\n", signal_description(sig), WCOREDUMP(st) ? " (core dumped)" : "");
    }
}

int job_wait_fg(struct job *j)
{
    if (sh.jobctl && j->pgid > 0)
        tcsetpgrp(sh.tty_fd, j->pgid);
    while (!job_done(j) && !job_stopped(j)) {
        int interrupted;
        if (jobs_wait_one(&interrupted) < 0 && !interrupted) {
            /* No children left: whatever was not reaped is gone. */
            for (size_t i = 0; i < j->nprocs; i++)
                if (j->procs[i].state != PROC_DONE)
                    j->procs[i].state = PROC_DONE;
        }
    }
    if (sh.jobctl) {
        tcsetpgrp(sh.tty_fd, sh.pgid);
        if (job_stopped(j))
            j->have_tmodes = tcgetattr(sh.tty_fd, &j->tmodes) == 0;
        if (sh.have_tmodes)
            tcsetattr(sh.tty_fd, TCSADRAIN, &sh.tmodes);
    }
    int status = job_status(j);
    if (job_stopped(j)) {
        j->background = 1;
        j->seq = ++job_seq;
        fd_puts(2, "\n");
        job_print(2, j, 0);
        j->notified = 1;
    } else {
        report_signal(j);
        job_free(j);
    }
    return status;
}

void job_started_bg(struct job *j)
{
    if (j->nprocs > 0)
        sh.last_bg = j->procs[j->nprocs - 1].pid;
    if (sh.interactive)
        fd_printf(2, "[%d] %d\n", j->id, (int)sh.last_bg);
}

static void mark_running(struct job *j)
{
    for (size_t i = 0; i < j->nprocs; i++)
        if (j->procs[i].state == PROC_STOPPED)
            j->procs[i].state = PROC_RUNNING;
    j->notified = 0;
    j->seq = ++job_seq;
}

static void continue_job(struct job *j)
{
    if (sh.jobctl)
        kill(-j->pgid, SIGCONT);
    else
        for (size_t i = 0; i < j->nprocs; i++)
            if (j->procs[i].state != PROC_DONE)
                kill(j->procs[i].pid, SIGCONT);
}

int job_foreground(struct job *j)
{
    fd_printf(1, "%s\n", j->text);
    if (sh.jobctl) {
        tcsetpgrp(sh.tty_fd, j->pgid);
        if (j->have_tmodes)
            tcsetattr(sh.tty_fd, TCSADRAIN, &j->tmodes);
    }
    mark_running(j);
    j->background = 0;
    continue_job(j);
    return job_wait_fg(j);
}

void job_background(struct job *j)
{
    mark_running(j);
    j->background = 1;
    continue_job(j);
    fd_printf(1, "[%d]%c %s &\n", j->id, j == job_current() ? '+' : ' ', j->text);
}

/* The current job (+): the most recently stopped one, or else the most
 * recently started or continued background job. */
struct job *job_current(void)
{
    struct job *best = NULL;
    for (int want_stopped = 1; want_stopped >= 0 && !best; want_stopped--)
        for (struct job *j = job_list; j; j = j->next)
            if (j->background && !job_done(j) && job_stopped(j) == want_stopped &&
                (!best || j->seq > best->seq))
                best = j;
    if (!best)
        for (struct job *j = job_list; j; j = j->next)
            if (j->background && (!best || j->seq > best->seq))
                best = j;
    return best;
}

static struct job *job_previous(void)
{
    struct job *cur = job_current(), *best = NULL;
    for (struct job *j = job_list; j; j = j->next)
        if (j != cur && j->background && (!best || j->seq > best->seq))
            best = j;
    return best;
}

static const char *state_text(const struct job *j, char *buf, size_t n)
{
    if (job_stopped(j))
        return "Stopped";
    if (!job_done(j))
        return "Running";
    int st = j->nprocs ? j->procs[j->nprocs - 1].status : 0;
    if (WIFSIGNALED(st))
        return signal_description(WTERMSIG(st));
    if (WEXITSTATUS(st) == 0)
        return "Done";
    snprintf(buf, n, "Exit %d", WEXITSTATUS(st));
    return buf;
}

void job_print(int fd, struct job *j, int long_format)
{
    char buf[32];
    char mark = j == job_current() ? '+' : j == job_previous() ? '-' : ' ';
    struct str line = STR_INIT;
    str_printf(&line, "[%d]%c ", j->id, mark);
    if (long_format && j->nprocs)
        str_printf(&line, "%d ", (int)j->procs[0].pid);
    int running = !job_done(j) && !job_stopped(j);
    str_printf(&line, " %-22s  %s%s\n", state_text(j, buf, sizeof(buf)), j->text,
               running ? " &" : "");
    write_all(fd, line.s, line.len);
    str_free(&line);
}

void jobs_notify(void)
{
    jobs_reap();
    struct job *j = job_list;
    while (j) {
        struct job *next = j->next;
        if (j->background && !j->notified) {
            if (job_done(j)) {
                job_print(2, j, 0);
                job_free(j);
            } else if (job_stopped(j)) {
                job_print(2, j, 0);
                j->notified = 1;
            } else {
                j->notified = 1; /* running again after a continue */
            }
        }
        j = next;
    }
}

struct job *job_by_pid(pid_t pid)
{
    for (struct job *j = job_list; j; j = j->next)
        for (size_t i = 0; i < j->nprocs; i++)
            if (j->procs[i].pid == pid)
                return j;
    return NULL;
}

struct job *job_lookup(const char *spec, const char *who)
{
    struct job *found = NULL;
    if (spec[0] != '%') {
        char *end;
        long pid = strtol(spec, &end, 10);
        if (*spec && !*end)
            found = job_by_pid((pid_t)pid);
    } else if (!strcmp(spec, "%") || !strcmp(spec, "%%") || !strcmp(spec, "%+")) {
        found = job_current();
    } else if (!strcmp(spec, "%-")) {
        found = job_previous();
    } else if (spec[1] >= '0' && spec[1] <= '9') {
        int id = atoi(spec + 1);
        for (struct job *j = job_list; j; j = j->next)
            if (j->id == id && j->background)
                found = j;
    } else {
        int contains = spec[1] == '?';
        const char *text = spec + 1 + contains;
        for (struct job *j = job_list; j; j = j->next) {
            if (!j->background)
                continue;
            int match = contains ? strstr(j->text, text) != NULL
                                 : strncmp(j->text, text, strlen(text)) == 0;
            if (match) {
                if (found) {
                    sh_error("%s: %s: ambiguous job spec", who, spec);
                    return NULL;
                }
                found = j;
            }
        }
    }
    if (!found)
        sh_error("%s: %s: no such job", who, spec);
    return found;
}

int jobs_any_stopped(void)
{
    for (struct job *j = job_list; j; j = j->next)
        if (job_stopped(j))
            return 1;
    return 0;
}
