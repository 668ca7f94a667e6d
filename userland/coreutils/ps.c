/*
 * ps [-eA]: list every process (-e and -A are accepted; all are always
 * listed), one line each, by increasing PID:
 *
 *     PID  PPID S     TIME CMD
 *       1     0 S 00:00:01 /bin/init
 *
 * From /proc/<pid>/stat (state, parent, utime + stime in clock ticks of
 * sysconf(_SC_CLK_TCK)) and /proc/<pid>/cmdline (NUL-separated arguments;
 * when empty, as for kernel tasks, CMD is "[comm]"). Processes that exit
 * while being read are skipped. $FUTURA_PROC_DIR stands in for /proc.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Reads a whole (small) file into buf, NUL-terminated; its length or -1. */
static ssize_t read_small_file(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t got = 0;
    while (got < len - 1) {
        ssize_t n = read(fd, buf + got, len - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    return (ssize_t)got;
}

struct proc {
    long pid, ppid;
    char state;
    unsigned long long ticks; /* utime + stime */
    char comm[64];
};

/*
 * Parses "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
 * majflt cmajflt utime stime ...". comm may hold spaces and parentheses, so
 * it ends at the last ')'.
 */
static int parse_stat(const char *text, struct proc *p)
{
    const char *open = strchr(text, '(');
    const char *close = strrchr(text, ')');
    if (open == NULL || close == NULL || close < open)
        return -1;
    size_t len = (size_t)(close - open - 1);
    if (len >= sizeof(p->comm))
        len = sizeof(p->comm) - 1;
    memcpy(p->comm, open + 1, len);
    p->comm[len] = '\0';
    unsigned long long utime, stime;
    if (sscanf(text, "%ld", &p->pid) != 1 ||
        sscanf(close + 1, " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &p->state,
               &p->ppid, &utime, &stime) != 4)
        return -1;
    p->ticks = utime + stime;
    return 0;
}

static int is_pid(const char *name)
{
    for (const char *p = name; *p != '\0'; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return *name != '\0';
}

static int compare_pids(const void *a, const void *b)
{
    long x = atol(*(char *const *)a), y = atol(*(char *const *)b);
    return x < y ? -1 : x > y;
}

/* Prints one process; 0, or -1 if it vanished or its stat is unreadable. */
static int print_process(const char *proc, const char *pid_name)
{
    char path[4096], stat_text[1024], cmdline[4096];
    snprintf(path, sizeof(path), "%s/%s/stat", proc, pid_name);
    struct proc p;
    if (read_small_file(path, stat_text, sizeof(stat_text)) <= 0 || parse_stat(stat_text, &p) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/%s/cmdline", proc, pid_name);
    ssize_t n = read_small_file(path, cmdline, sizeof(cmdline));
    if (n < 0)
        n = 0;
    while (n > 0 && cmdline[n - 1] == '\0')
        n--;
    for (ssize_t i = 0; i < n; i++)
        if (cmdline[i] == '\0' || cmdline[i] == '\n')
            cmdline[i] = ' ';
    cmdline[n] = '\0';

    long hz = sysconf(_SC_CLK_TCK);
    unsigned long long secs = p.ticks / (unsigned long long)(hz > 0 ? hz : 100);
    printf("%5ld %5ld %c %02llu:%02llu:%02llu ", p.pid, p.ppid, p.state, secs / 3600,
           secs / 60 % 60, secs % 60);
    if (n > 0)
        printf("%s\n", cmdline);
    else
        printf("[%s]\n", p.comm);
    return 0;
}

int main(int argc, char **argv)
{
    cu_init("ps", "ps [-eA]");
    while (cu_getopt(argc, argv, "eA") != -1) {
    }
    if (optind < argc)
        cu_usage_errorf("extra operand '%s'", argv[optind]);

    const char *proc = cu_proc_dir();
    char **names;
    size_t count;
    if (cu_list_dir(proc, &names, &count) != 0) {
        int saved = errno;
        cu_errorf("%s: %s (ps needs procfs mounted there)", proc, strerror(saved));
        return 1;
    }
    qsort(names, count, sizeof(*names), compare_pids);
    printf("  PID  PPID S     TIME CMD\n");
    for (size_t i = 0; i < count; i++)
        if (is_pid(names[i]))
            print_process(proc, names[i]);
    cu_free_names(names, count);
    return cu_flush_stdout();
}
