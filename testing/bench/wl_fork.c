/* Process creation: fork+exit+wait against the parent's resident memory,
 * copy-on-write breaks in the child, fork+execve+wait, and the fork-time
 * curve over parent RSS. Every sample times fork() to waitpid() returning. */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "workloads.h"

#define TRUE_PATH "/bin/futbench_true"

/* Extra memory a fork of `mib` MiB needs besides the parent's pages: page
 * tables, the child, slack for the kernel; twice the pages when the kernel
 * may copy them all at fork (perf_mm boots Futura with fork=copy). */
static long fork_need_mib(long mib)
{
    return mib * (bench_opts.fork_may_copy ? 2 : 1) + mib / 16 + 48;
}

/* Times `samples` fork+exit+wait cycles of a parent with `mib` MiB touched;
 * the child runs child_fn(region) first. Prints one BENCH line. */
static void fork_cycles(const char *name, long mib, int samples, int (*child_fn)(void *),
                        const char *extra)
{
    struct bench b;
    char *region = NULL;
    size_t bytes = (size_t)mib * MIB;
    if (!bench_fits(name, fork_need_mib(mib)))
        return;
    if (mib && !(region = bench_map_anon(bytes, true))) {
        bench_fail(name, "mmap", errno);
        return;
    }
    bench_init(&b, name, "us");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        int rc = bench_fork_wait(child_fn, region);
        uint64_t t1 = bench_now_ns();
        if (rc < 0) {
            bench_fail(name, "fork", -rc);
            goto out;
        }
        if (rc > 0) {
            bench_error(name, "%s", bench_wait_status_text(rc));
            goto out;
        }
        bench_add(&b, (double)(t1 - t0) / 1e3);
    }
    bench_report(&b, extra);
out:
    if (region)
        munmap(region, bytes);
}

void wl_fork_rss0(void)
{
    fork_cycles("fork_rss0", 0, bench_samples(30, 5), NULL, "rss_mib=0");
}

void wl_fork_rss16m(void)
{
    fork_cycles("fork_rss16m", 16, bench_samples(30, 5), NULL, "rss_mib=16");
}

void wl_fork_rss256m(void)
{
    fork_cycles("fork_rss256m", 256, bench_samples(10, 3), NULL, "rss_mib=256");
}

/* The child writes every page of the parent's 16 MiB: 4096 copy-on-write
 * breaks (or, with an eager-copy fork, 4096 writes to pages it already owns). */
static int write_every_page(void *region)
{
    char *p = region;
    for (size_t off = 0; off < 16 * MIB; off += PAGE)
        p[off] = 2;
    return 0;
}

void wl_fork_write16m(void)
{
    fork_cycles("fork_write16m", 16, bench_samples(20, 3), write_every_page,
                "rss_mib=16 pages_written=4096");
}

static int exec_true(void *unused)
{
    (void)unused;
    char *argv[] = {"futbench_true", NULL}, *envp[] = {NULL};
    execve(TRUE_PATH, argv, envp);
    return 127;
}

void wl_fork_exec(void)
{
    if (access(TRUE_PATH, X_OK) != 0) {
        bench_error("fork_exec", "%s: %s", TRUE_PATH, "missing or not executable");
        return;
    }
    fork_cycles("fork_exec", 0, bench_samples(30, 5), exec_true, "exec=" TRUE_PATH);
}

/* Fork time against parent RSS, 0 to 1 GiB; sizes that do not fit the guest
 * are skipped with a note. */
void wl_fork_scale(void)
{
    static const long full[] = {0, 16, 64, 128, 256, 512, 768, 1024};
    static const long quick[] = {0, 16, 64, 256};
    const long *sizes = bench_opts.quick ? quick : full;
    size_t n = bench_opts.quick ? sizeof(quick) / sizeof(quick[0]) : sizeof(full) / sizeof(full[0]);
    for (size_t i = 0; i < n; i++) {
        char name[48], extra[96];
        snprintf(name, sizeof(name), "fork_scale_rss%ldm", sizes[i]);
        snprintf(extra, sizeof(extra), "curve=fork_vs_rss x=%ld xunit=MiB", sizes[i]);
        fork_cycles(name, sizes[i], bench_samples(5, 3), NULL, extra);
    }
}
