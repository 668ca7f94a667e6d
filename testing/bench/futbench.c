/* futbench: the benchmark suite, one static program for Futura and Linux.
 *   futbench [--only NAME[,NAME...]] [--iters N] [--quick] [--list]
 * Prints BENCH lines (see bench.h); as PID 1 it powers the machine off. */
#include "bench.h"
#include "workloads.h"

static const struct workload workloads[] = {
    {"getppid", "null system call (getppid); ns per call", wl_getppid},
    {"fork_rss0", "fork+exit+wait, parent RSS ~0; us", wl_fork_rss0},
    {"fork_rss16m", "fork+exit+wait, parent has 16 MiB touched; us", wl_fork_rss16m},
    {"fork_rss256m", "fork+exit+wait, parent has 256 MiB touched; us", wl_fork_rss256m},
    {"fork_write16m", "fork, child writes all 4096 pages of 16 MiB, exit, wait; us",
     wl_fork_write16m},
    {"fork_exec", "fork+execve(/bin/futbench_true)+wait; us", wl_fork_exec},
    {"pipe_pingpong", "1-byte round trip through two pipes to a child; us", wl_pipe_pingpong},
    {"pipe_throughput", "64 KiB pipe writes to a reading child; us per write", wl_pipe_throughput},
    {"mmap_munmap_64k", "mmap+munmap of 64 KiB anonymous, untouched; ns", wl_mmap_munmap_64k},
    {"pagefault_64m", "first write to each page of 64 MiB anonymous; ns per fault",
     wl_pagefault_64m},
    {"munmap_middle", "munmap one middle page of 16, mmap(MAP_FIXED) it back; ns",
     wl_munmap_middle},
    {"brk_grow_shrink", "brk +1 MiB and back; ns per pair", wl_brk_grow_shrink},
    {"file_read_16m", "open+read(64 KiB)+close of a 16 MiB /tmp file; ms", wl_file_read_16m},
    {"file_mmap_16m", "open+mmap+read every line+munmap of the 16 MiB file; ms", wl_file_mmap_16m},
    {"open_close", "open+close of /tmp/futbench.dat; ns", wl_open_close},
    {"stat", "stat of /tmp/futbench.dat; ns", wl_stat},
    {"nanosleep_1ms", "nanosleep(1 ms) overshoot; us", wl_nanosleep_1ms},
    {"fork_scale", "curve: fork+exit+wait vs parent RSS 0..1024 MiB; us", wl_fork_scale},
    {"munmap_scale", "curve: munmap of a range of 1..10,000 VMAs; us", wl_munmap_scale},
};

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "futbench", workloads, sizeof(workloads) / sizeof(workloads[0]));
}
