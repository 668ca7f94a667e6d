/* Builtins about jobs and processes: jobs fg bg kill wait. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "builtins.h"
#include "jobs.h"
#include "shell.h"
#include "signames.h"

int bi_jobs(int argc, char **argv)
{
    int long_format = 0, pids_only = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'l')
                long_format = 1;
            else if (*o == 'p')
                pids_only = 1;
            else
                return usage_error("jobs");
        }
    }
    jobs_reap();
    int status = 0;
    struct job *j = job_list;
    while (j) {
        struct job *next = j->next;
        int wanted = j->background;
        if (i < argc) {
            wanted = 0;
            for (int k = i; k < argc; k++) {
                struct job *m = job_lookup(argv[k], "jobs");
                wanted |= m == j;
                if (!m)
                    status = 1;
            }
        }
        if (wanted) {
            if (pids_only)
                fd_printf(1, "%d\n", (int)j->pgid);
            else
                job_print(1, j, long_format);
            if (job_done(j))
                job_free(j); /* reported: forget it */
            else
                j->notified = 1;
        }
        j = next;
        if (i < argc && status)
            break;
    }
    return status;
}

static struct job *job_arg(int argc, char **argv)
{
    if (argc > 2) {
        usage_error(argv[0]);
        return NULL;
    }
    if (argc == 2)
        return job_lookup(argv[1], argv[0]);
    struct job *j = job_current();
    if (!j)
        sh_error("%s: current: no such job", argv[0]);
    return j;
}

int bi_fg(int argc, char **argv)
{
    if (!sh.jobctl) {
        sh_error("fg: no job control");
        return 1;
    }
    jobs_reap();
    struct job *j = job_arg(argc, argv);
    if (!j)
        return 1;
    if (job_done(j)) {
        sh_error("fg: job has terminated");
        job_free(j);
        return 1;
    }
    return job_foreground(j);
}

int bi_bg(int argc, char **argv)
{
    if (!sh.jobctl) {
        sh_error("bg: no job control");
        return 1;
    }
    jobs_reap();
    struct job *j = job_arg(argc, argv);
    if (!j)
        return 1;
    if (job_done(j)) {
        sh_error("bg: job has terminated");
        return 1;
    }
    job_background(j);
    return 0;
}

static int list_signals(int argc, char **argv, int i)
{
    struct str out = STR_INIT;
    if (i < argc) {
        for (; i < argc; i++) {
            long n;
            if (parse_long(argv[i], &n) == 0) {
                const char *name = signal_name((int)(n > 128 ? n - 128 : n));
                if (!name) {
                    sh_error("kill: %s: invalid signal specification", argv[i]);
                    str_free(&out);
                    return 1;
                }
                str_printf(&out, "%s\n", name);
            } else {
                int sig = signal_number(argv[i]);
                if (sig < 0) {
                    sh_error("kill: %s: invalid signal specification", argv[i]);
                    str_free(&out);
                    return 1;
                }
                str_printf(&out, "%d\n", sig);
            }
        }
    } else {
        for (int sig = 1; sig <= 31; sig++) {
            const char *name = signal_name(sig);
            if (!name)
                continue;
            if (sig % 5 == 0 || sig == 31)
                str_printf(&out, "%2d) SIG%s\n", sig, name);
            else
                str_printf(&out, "%2d) SIG%-8s ", sig, name);
        }
    }
    write_all(1, out.s, out.len);
    str_free(&out);
    return 0;
}

static int kill_target(const char *target, int sig)
{
    if (target[0] == '%') {
        struct job *j = job_lookup(target, "kill");
        if (!j)
            return 1;
        int r;
        if (sh.jobctl) {
            r = kill(-j->pgid, sig);
        } else {
            r = 0;
            for (size_t k = 0; k < j->nprocs; k++)
                if (j->procs[k].state != PROC_DONE && kill(j->procs[k].pid, sig) < 0)
                    r = -1;
        }
        if (r < 0) {
            sh_error("kill: %s: %s", target, strerror(errno));
            return 1;
        }
        /* A stopped job would only see SIGTERM or SIGHUP when continued. */
        if ((sig == SIGTERM || sig == SIGHUP) && job_stopped(j)) {
            if (sh.jobctl)
                kill(-j->pgid, SIGCONT);
            else
                for (size_t k = 0; k < j->nprocs; k++)
                    kill(j->procs[k].pid, SIGCONT);
        }
        return 0;
    }
    long pid;
    if (parse_long(target, &pid) < 0) {
        sh_error("kill: %s: arguments must be process or job IDs", target);
        return 1;
    }
    if (kill((pid_t)pid, sig) < 0) {
        sh_error("kill: (%ld) - %s", pid, strerror(errno));
        return 1;
    }
    return 0;
}

int bi_kill(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (i < argc && !strcmp(argv[i], "-l"))
        return list_signals(argc, argv, i + 1);
    if (i < argc && (!strcmp(argv[i], "-s") || !strcmp(argv[i], "-n"))) {
        if (i + 1 >= argc)
            return usage_error("kill");
        sig = signal_number(argv[i + 1]);
        if (sig < 0) {
            sh_error("kill: %s: invalid signal specification", argv[i + 1]);
            return 1;
        }
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--")) {
        sig = signal_number(argv[i] + 1);
        if (sig < 0) {
            sh_error("kill: %s: invalid signal specification", argv[i] + 1);
            return 1;
        }
        i++;
    }
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i >= argc)
        return usage_error("kill");
    int status = 0;
    for (; i < argc; i++)
        status |= kill_target(argv[i], sig);
    return status;
}

/* Waits for one job to finish; its status. */
static int wait_job(struct job *j)
{
    if (j->inherited) {
        sh_error("wait: %d is not a child of this shell", (int)j->pgid);
        return 127;
    }
    while (!job_done(j) && !job_stopped(j)) { /* a stopped job would never end */
        int interrupted;
        if (jobs_wait_one(&interrupted) < 0) {
            if (interrupted && sh.got_sigint)
                return 128 + SIGINT;
            if (!interrupted)
                break; /* no children left */
        }
    }
    int status = job_status(j);
    if (job_done(j))
        job_free(j);
    return status;
}

int bi_wait(int argc, char **argv)
{
    if (argc == 1) {
        for (;;) {
            struct job *j = job_list;
            while (j && (job_done(j) || job_stopped(j) || j->inherited))
                j = j->next;
            if (!j)
                break;
            int interrupted;
            if (jobs_wait_one(&interrupted) < 0) {
                if (interrupted && sh.got_sigint)
                    return 128 + SIGINT;
                if (!interrupted)
                    break;
            }
        }
        /* Waited for: nothing left to report. */
        struct job *j = job_list;
        while (j) {
            struct job *next = j->next;
            if (job_done(j))
                job_free(j);
            j = next;
        }
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct job *j;
        if (argv[i][0] == '%') {
            j = job_lookup(argv[i], "wait");
            if (!j) {
                status = 127;
                continue;
            }
        } else {
            long pid;
            if (parse_long(argv[i], &pid) < 0) {
                sh_error("wait: %s: not a pid or valid job spec", argv[i]);
                status = 2;
                continue;
            }
            j = job_by_pid((pid_t)pid);
            if (!j) {
                sh_error("wait: pid %ld is not a child of this shell", pid);
                status = 127;
                continue;
            }
        }
        status = wait_job(j);
    }
    return status;
}
