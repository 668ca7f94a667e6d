/* Every workload's entry point; futbench.c and perf_mm.c list them in tables.
 * Each one measures, then reports through bench.h (one or more BENCH lines). */
#ifndef FUTURA_TESTING_BENCH_WORKLOADS_H
#define FUTURA_TESTING_BENCH_WORKLOADS_H

/* wl_sys.c: system-call paths without memory-management work */
void wl_getppid(void);
void wl_open_close(void);
void wl_stat(void);
void wl_nanosleep_1ms(void);

/* wl_fork.c: process creation */
void wl_fork_rss0(void);
void wl_fork_rss16m(void);
void wl_fork_rss256m(void);
void wl_fork_write16m(void);
void wl_fork_exec(void);
void wl_fork_scale(void);

/* wl_mem.c: address-space operations */
void wl_mmap_munmap_64k(void);
void wl_pagefault_64m(void);
void wl_munmap_middle(void);
void wl_brk_grow_shrink(void);
void wl_munmap_scale(void);

/* wl_pipe.c: pipes between two processes */
void wl_pipe_pingpong(void);
void wl_pipe_throughput(void);

/* wl_file.c: a 16 MiB file in /tmp */
#define BENCH_DATA_PATH "/tmp/futbench.dat"
#define BENCH_DATA_BYTES (16ul * 1024 * 1024)
/* Creates BENCH_DATA_PATH (BENCH_DATA_BYTES of a known pattern) unless it
 * exists with that size; returns the path, or NULL with errno. */
const char *bench_data_file(void);
void wl_file_read_16m(void);
void wl_file_mmap_16m(void);

#endif
