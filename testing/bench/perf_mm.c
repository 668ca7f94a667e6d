/* perf_mm: the fork part of the seed's Phase 3 claim, from user space.
 *   perf_mm [--iters N] [--quick]
 * fork+exit+wait with parent RSS 0, 16 and 256 MiB (and the cost a child pays
 * later for writing 16 MiB). The runner boots Futura twice, normally
 * (copy-on-write fork) and with `fork=copy` (eager full copy), and prints the
 * reduction; this program only measures (see bench.h for its output). */
#include "bench.h"
#include "workloads.h"

static const struct workload workloads[] = {
    {"fork_rss0", "fork+exit+wait, parent RSS ~0; us", wl_fork_rss0},
    {"fork_rss16m", "fork+exit+wait, parent has 16 MiB touched; us", wl_fork_rss16m},
    {"fork_rss256m", "fork+exit+wait, parent has 256 MiB touched; us", wl_fork_rss256m},
    {"fork_write16m", "fork, child writes all 4096 pages of 16 MiB, exit, wait; us",
     wl_fork_write16m},
};

int main(int argc, char **argv)
{
    /* Under fork=copy the child needs a full copy of the parent's pages. */
    bench_opts.fork_may_copy = true;
    return bench_main(argc, argv, "perf_mm", workloads, sizeof(workloads) / sizeof(workloads[0]));
}
