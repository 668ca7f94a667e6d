/* The benchmark harness shared by futbench and perf_mm: sample collection,
 * statistics, the BENCH output lines the runner parses, and the helpers every
 * workload needs (clock, anonymous memory, free-memory checks, child
 * processes). Plain Linux ABI through musl: the same binary runs on Futura,
 * on Linux, and on the build machine.
 *
 * Output lines (one write() each, so kernel messages never split them):
 *   BENCH_START
 *   BENCH_INFO key=value ...
 *   BENCH_BEGIN name=NAME
 *   BENCH name=NAME unit=U median=M p10=A p90=B min=.. max=.. n=N [more=...]
 *   BENCH name=NAME status=unsupported|skipped|error reason="..."
 *   BENCH_DONE workloads=N
 *   BENCH_END status=S
 * Every value is "lower is better" (times); rates are extra fields. */
#ifndef FUTURA_TESTING_BENCH_BENCH_H
#define FUTURA_TESTING_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_SAMPLES 2000
#define MIB (1024ul * 1024ul)
#define PAGE 4096ul

/* Options from the command line, read by workloads. */
struct bench_opts {
    int iters;  /* --iters N: samples per workload (0 = the workload's default) */
    bool quick; /* --quick: fewer samples, smaller batches and curves */
    /* Memory checks assume a fork may copy every page (perf_mm, fork=copy). */
    bool fork_may_copy;
};
extern struct bench_opts bench_opts;

/* One workload: `run` reports through bench_report()/bench_fail()/bench_skip(),
 * possibly several lines (the scaling curves emit one per point). */
struct workload {
    const char *name;
    const char *what; /* one line for --list and the README */
    void (*run)(void);
};

/* The samples of one measurement. */
struct bench {
    char name[64];
    const char *unit;
    int count;
    double v[BENCH_MAX_SAMPLES];
};

/* Samples to take: --iters if given, else `quick` or `normal`. */
int bench_samples(int normal, int quick);
/* Operations per timed sample (batching keeps clock overhead out of tiny ops). */
int bench_batch(int normal, int quick);

uint64_t bench_now_ns(void);
void bench_init(struct bench *b, const char *name, const char *unit);
void bench_add(struct bench *b, double value);
/* Prints the BENCH line: statistics plus `extra` (already "key=value ..." or ""). */
void bench_report(const struct bench *b, const char *extra);

/* A failed call: ENOSYS (and EOPNOTSUPP) mean "unsupported", anything else "error". */
void bench_fail(const char *name, const char *call, int err);
void bench_skip(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bench_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* printf to stdout with one write() per call. */
void bench_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Private anonymous read-write memory with 4 KiB pages (THP off where the
 * kernel has it, so both kernels handle the same number of pages); every
 * page written once when `touch`. NULL with errno on failure. */
void *bench_map_anon(size_t bytes, bool touch);
/* Free RAM in MiB (sysinfo on Linux, Futura's counters syscall), -1 if unknown. */
long bench_free_mib(void);
/* Page faults so far: getrusage's minor faults of this process (Linux), or
 * Futura's fault counters (system-wide; only the benchmark runs); -1 if
 * neither exists. Workloads print the faults per sample as a cause. */
long bench_minor_faults(void);
/* True when `need_mib` fits in free memory; otherwise prints a skip line for `name`. */
bool bench_fits(const char *name, long need_mib);

/* fork(); the child runs fn(arg) and _exits with its return value; the parent
 * waits. Returns 0 when the child exited 0, -errno when fork/wait failed, or
 * a positive wait status otherwise. */
int bench_fork_wait(int (*fn)(void *), void *arg);
/* Describes a non-zero wait status ("exited with 3", "killed by signal 11"). */
const char *bench_wait_status_text(int status);

/* Runs the selected workloads of `table` (see --help) and powers off when PID 1. */
int bench_main(int argc, char **argv, const char *prog, const struct workload *table, size_t n);

#endif
