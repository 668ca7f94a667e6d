/* Jobs: the processes of one pipeline, their process group, and job
 * control (the terminal's foreground group, stop and continue).
 *
 * Without job control (not interactive, or the terminal refuses process
 * groups) jobs still track their processes for wait, $! and statuses, but
 * every process stays in the shell's group. */
#ifndef FUTSH_JOBS_H
#define FUTSH_JOBS_H

#include <sys/types.h>
#include <termios.h>

enum proc_state { PROC_RUNNING, PROC_STOPPED, PROC_DONE };

struct proc {
    pid_t pid;
    int status; /* wait status, valid when not running */
    enum proc_state state;
};

struct job {
    struct job *next;
    int id;     /* %id */
    pid_t pgid; /* the first process's pid (its group under job control) */
    struct proc *procs;
    size_t nprocs, cap;
    char *text;
    int background;        /* listed by jobs; reported when it ends */
    int notified;          /* its current state was reported */
    unsigned long seq;     /* last time it was started, stopped or continued */
    struct termios tmodes; /* terminal modes it stopped with */
    int have_tmodes;
    int inherited; /* a forked child's copy of its parent's job */
};

extern struct job *job_list;

/* Job control setup for an interactive shell; leaves sh.jobctl set if the
 * terminal gave us our own foreground process group. */
void jobctl_init(void);
/* Gives the terminal back to the group the shell started in. */
void jobctl_exit(void);

struct job *job_new(const char *text, int background);
/* Parent side after fork(): the process joins the job (and its group). */
void job_add_proc(struct job *j, pid_t pid);
/* Child side after fork(): joins the job's group, takes the terminal when
 * foreground, restores default signal actions, marks the parent's jobs as
 * inherited. j may be NULL (command substitution). */
void child_setup(struct job *j, int foreground);
/* Waits until the job ends or stops; returns its status (128+signal when
 * killed or stopped). A finished job is freed. */
int job_wait_fg(struct job *j);
/* Starts a job that was built in the background: [id] pid, $!. */
void job_started_bg(struct job *j);
/* fg / bg: continue a stopped or background job. */
int job_foreground(struct job *j);
void job_background(struct job *j);

int job_done(const struct job *j);
int job_stopped(const struct job *j);
/* Exit status of the job's last process (128+signal if killed). */
int job_status(const struct job *j);
void job_free(struct job *j);
/* Collects state changes of children without blocking. */
void jobs_reap(void);
/* Blocks for the next child state change; -1 when there are no children
 * (or on EINTR: *interrupted set). */
int jobs_wait_one(int *interrupted);
/* Reports finished or stopped background jobs (interactive prompt). */
void jobs_notify(void);
/* Prints "[id]+  State  text" (with pids when long_format). */
void job_print(int fd, struct job *j, int long_format);
/* %n %+ %% %- %name %?text or a pid of a job; NULL with a message. */
struct job *job_lookup(const char *spec, const char *who);
struct job *job_current(void);
struct job *job_by_pid(pid_t pid);
int jobs_any_stopped(void);

/* Wait status -> shell status (exit code, or 128+signal). */
int status_of(int wstatus);

#endif
