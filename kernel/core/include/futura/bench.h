/*
 * In-kernel micro-benchmarks. Register with FUT_BENCH(name) { ... } and run
 * with `bench=<name>` or `bench=all` on the command line. A benchmark times
 * its loops with fut_bench_now_ns() and reports each with fut_bench_report();
 * numbers are printed, never asserted (see README: benchmarks vs. tests).
 */
#ifndef FUTURA_BENCH_H
#define FUTURA_BENCH_H

#include <stdint.h>

struct fut_bench {
    const char *name;
    void (*fn)(void);
};

#define FUT_BENCH(bname)                                                                      \
    static void fut_bench_fn_##bname(void);                                                   \
    static const struct fut_bench fut_bench_##bname                                           \
        __attribute__((used, section("fut_benches"), aligned(16))) = {#bname,                \
                                                                      fut_bench_fn_##bname}; \
    static void fut_bench_fn_##bname(void)

/* Nanoseconds since an arbitrary point (calibrated cycle counter). */
uint64_t fut_bench_now_ns(void);

/* Prints "BENCH <bench>/<op>: <ns/op> ns/op (<iters> iterations)". */
void fut_bench_report(const char *op, uint64_t total_ns, uint64_t iterations);

/* Runs "all" or one benchmark; returns -1 when none has that name. */
int fut_bench_run(const char *which);

#endif
