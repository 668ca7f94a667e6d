/* The benchmark harness: statistics, BENCH lines, memory helpers, and the
 * driver that runs each workload in its own process (a crashing workload
 * reports an error line; the suite goes on) and powers off when it is PID 1. */
#include "bench.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYS_futura_stats 500

struct bench_opts bench_opts;

void bench_out(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if ((size_t)len >= sizeof(line))
        len = sizeof(line) - 1;
    for (int off = 0; off < len;) {
        ssize_t w = write(1, line + off, len - off);
        if (w <= 0)
            return;
        off += (int)w;
    }
}

int bench_samples(int normal, int quick)
{
    int n = bench_opts.iters > 0 ? bench_opts.iters : bench_opts.quick ? quick : normal;
    return n > BENCH_MAX_SAMPLES ? BENCH_MAX_SAMPLES : n;
}

int bench_batch(int normal, int quick)
{
    return bench_opts.quick ? quick : normal;
}

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_init(struct bench *b, const char *name, const char *unit)
{
    snprintf(b->name, sizeof(b->name), "%s", name);
    b->unit = unit;
    b->count = 0;
}

void bench_add(struct bench *b, double value)
{
    if (b->count < BENCH_MAX_SAMPLES)
        b->v[b->count++] = value;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Linear interpolation between the two nearest ranks of sorted s[0..n). */
static double percentile(const double *s, int n, double p)
{
    double pos = p * (n - 1);
    int lo = (int)pos;
    if (lo >= n - 1)
        return s[n - 1];
    return s[lo] + (s[lo + 1] - s[lo]) * (pos - lo);
}

void bench_report(const struct bench *b, const char *extra)
{
    static double s[BENCH_MAX_SAMPLES];
    int n = b->count;
    if (n == 0) {
        bench_error(b->name, "no samples");
        return;
    }
    memcpy(s, b->v, n * sizeof(double));
    qsort(s, n, sizeof(double), cmp_double);
    bench_out("BENCH name=%s unit=%s median=%.6g p10=%.6g p90=%.6g min=%.6g max=%.6g n=%d%s%s\n",
              b->name, b->unit, percentile(s, n, 0.5), percentile(s, n, 0.1), percentile(s, n, 0.9),
              s[0], s[n - 1], n, extra && *extra ? " " : "", extra ? extra : "");
}

static void status_line(const char *name, const char *status, const char *fmt, va_list ap)
{
    char reason[400];
    vsnprintf(reason, sizeof(reason), fmt, ap);
    for (char *p = reason; *p; p++) /* keep the quoted field parseable */
        if (*p == '"' || *p == '\n')
            *p = '\'';
    bench_out("BENCH name=%s status=%s reason=\"%s\"\n", name, status, reason);
}

void bench_skip(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_line(name, "skipped", fmt, ap);
    va_end(ap);
}

void bench_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_line(name, "error", fmt, ap);
    va_end(ap);
}

static void unsupported(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_line(name, "unsupported", fmt, ap);
    va_end(ap);
}

void bench_fail(const char *name, const char *call, int err)
{
    if (err == ENOSYS)
        unsupported(name, "%s: ENOSYS (system call not implemented)", call);
    else if (err == EOPNOTSUPP)
        unsupported(name, "%s: EOPNOTSUPP", call);
    else
        bench_error(name, "%s: %s (errno %d)", call, strerror(err), err);
}

void *bench_map_anon(size_t bytes, bool touch)
{
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    /* Linux 6.1 in Debian has THP "always": without this, 2 MiB pages would make
     * its faults and fork copies 512 times fewer. Futura has no madvise (ENOSYS). */
    int saved = errno;
    madvise(p, bytes, MADV_NOHUGEPAGE);
    errno = saved;
    if (touch)
        for (size_t off = 0; off < bytes; off += PAGE)
            p[off] = 1;
    return p;
}

/* Futura's counters system call. The struct grows as counters are added and
 * the kernel insists on its exact size; returns the number of words read. */
static size_t futura_stats(uint64_t *stats, size_t max_words)
{
    static size_t words; /* the size the kernel accepted; 0 = not found yet */
    if (words && syscall(SYS_futura_stats, stats, words * sizeof(uint64_t)) == 0)
        return words;
    for (size_t w = 10; w <= max_words; w++) {
        if (syscall(SYS_futura_stats, stats, w * sizeof(uint64_t)) == 0)
            return words = w;
        if (errno == ENOSYS)
            return 0; /* not Futura */
    }
    return 0;
}

long bench_free_mib(void)
{
    struct sysinfo si;
    uint64_t stats[64];
    if (sysinfo(&si) == 0)
        return (long)((uint64_t)si.freeram * si.mem_unit / MIB);
    if (futura_stats(stats, 64))
        return (long)(stats[0] * PAGE / MIB); /* free_frames */
    return -1;
}

long bench_minor_faults(void)
{
    struct rusage ru;
    uint64_t stats[64];
    /* Futura first: it has getrusage but does not count faults there.
     * System-wide cow_copies + cow_reuses + anon_faults + file_faults. */
    if (futura_stats(stats, 64) >= 14)
        return (long)(stats[10] + stats[11] + stats[12] + stats[13]);
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        return ru.ru_minflt;
    return -1;
}

bool bench_fits(const char *name, long need_mib)
{
    long free_mib = bench_free_mib();
    if (free_mib < 0) {
        if (need_mib <= 300)
            return true;
        bench_skip(name, "needs %ld MiB; free memory unknown", need_mib);
        return false;
    }
    if (need_mib <= free_mib)
        return true;
    bench_skip(name, "needs %ld MiB, guest has %ld MiB free", need_mib, free_mib);
    return false;
}

int bench_fork_wait(int (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0)
        _exit(fn ? fn(arg) : 0);
    int status;
    while (waitpid(pid, &status, 0) != pid)
        if (errno != EINTR)
            return -errno;
    return status;
}

const char *bench_wait_status_text(int status)
{
    static char text[64];
    if (WIFEXITED(status))
        snprintf(text, sizeof(text), "child exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof(text), "child killed by signal %d", WTERMSIG(status));
    else
        snprintf(text, sizeof(text), "child wait status 0x%x", status);
    return text;
}

/* ---- the driver ---- */

static void usage(const char *prog, const struct workload *table, size_t n)
{
    bench_out("usage: %s [--only NAME[,NAME...]] [--iters N] [--quick] [--inline] [--list]\n"
              "  --only   run these workloads (a trailing * matches a prefix)\n"
              "  --iters  samples per workload (default: each workload's own)\n"
              "  --quick  few samples, small batches, short curves (smoke tests)\n"
              "  --inline run workloads in this process instead of one child each\n"
              "workloads:\n",
              prog);
    for (size_t i = 0; i < n; i++)
        bench_out("  %-18s %s\n", table[i].name, table[i].what);
}

static bool name_matches(const char *pattern, size_t plen, const char *name)
{
    if (plen > 0 && pattern[plen - 1] == '*')
        return strncmp(pattern, name, plen - 1) == 0;
    return strlen(name) == plen && strncmp(pattern, name, plen) == 0;
}

/* Marks selected[i] for every workload named in the comma-separated `list`;
 * false (after printing the name) when a name matches nothing. */
static bool select_workloads(const char *list, const struct workload *table, size_t n,
                             bool *selected)
{
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        bool any = false;
        for (size_t i = 0; i < n; i++)
            if (name_matches(p, len, table[i].name))
                selected[i] = any = true;
        if (!any && len) {
            bench_out("BENCH_ERROR unknown workload '%.*s' (--list shows them)\n", (int)len, p);
            return false;
        }
        p += len + (p[len] == ',');
    }
    return true;
}

/* Runs one workload in a child process so that a crash or a kernel bug that
 * kills it costs one error line, not the suite. */
static void run_isolated(const struct workload *w, bool isolate)
{
    bench_out("BENCH_BEGIN name=%s\n", w->name);
    if (!isolate) {
        w->run();
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        w->run(); /* no fork: run it here */
        return;
    }
    if (pid == 0) {
        w->run();
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) != pid) {
        if (errno != EINTR) {
            bench_error(w->name, "waitpid: %s", strerror(errno));
            return;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        bench_error(w->name, "workload process: %s", bench_wait_status_text(status));
}

static int finish(int rc)
{
    bench_out("BENCH_END status=%d\n", rc);
    if (getpid() == 1) {
        /* Linux panics when init exits; Futura powers off either way. */
        sync();
        reboot(RB_POWER_OFF);
        bench_out("BENCH_WARN reboot(RB_POWER_OFF): %s\n", strerror(errno));
    }
    return rc;
}

int bench_main(int argc, char **argv, const char *prog, const struct workload *table, size_t n)
{
    static const char start[] = "BENCH_START\n";
    /* The first thing the program does: the runner times boot up to this line. */
    if (write(1, start, sizeof(start) - 1) < 0)
        return 1;

    bool selected[64] = {false}, any_only = false, isolate = true;
    if (n > 64)
        return finish(2);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--only") == 0 && i + 1 < argc) {
            if (!select_workloads(argv[++i], table, n, selected))
                return finish(2);
            any_only = true;
        } else if (strncmp(a, "--only=", 7) == 0) {
            if (!select_workloads(a + 7, table, n, selected))
                return finish(2);
            any_only = true;
        } else if (strcmp(a, "--iters") == 0 && i + 1 < argc) {
            bench_opts.iters = atoi(argv[++i]);
        } else if (strcmp(a, "--quick") == 0) {
            bench_opts.quick = true;
        } else if (strcmp(a, "--inline") == 0) {
            isolate = false;
        } else if (strcmp(a, "--list") == 0 || strcmp(a, "--help") == 0) {
            usage(prog, table, n);
            return finish(0);
        } else {
            bench_out("BENCH_ERROR unknown argument '%s'\n", a);
            usage(prog, table, n);
            return finish(2);
        }
    }

    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof(u));
    bench_out("BENCH_INFO prog=%s sysname=%s release=%s pid=%d mem_free_mib=%ld quick=%d "
              "iters=%d\n",
              prog, u.sysname, u.release, (int)getpid(), bench_free_mib(), bench_opts.quick,
              bench_opts.iters);
    int ran = 0;
    for (size_t i = 0; i < n; i++) {
        if (any_only && !selected[i])
            continue;
        run_isolated(&table[i], isolate);
        ran++;
    }
    bench_out("BENCH_DONE workloads=%d\n", ran);
    return finish(0);
}
