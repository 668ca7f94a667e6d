/* Benchmark registry and reporting; see futura/bench.h. */
#include "futura/bench.h"

#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"

extern const struct fut_bench fut_benches_start[];
extern const struct fut_bench fut_benches_end[];

static const char *current_bench = "?";

uint64_t fut_bench_now_ns(void)
{
    return fut_hal_cycles_to_ns(fut_hal_cycles());
}

void fut_bench_report(const char *op, uint64_t total_ns, uint64_t iterations)
{
    if (!iterations)
        iterations = 1;
    /* Tenths of a nanosecond without floating point (the kernel has no FPU state). */
    uint64_t tenths = total_ns * 10 / iterations;
    fut_printk("BENCH %s/%s: %lu.%lu ns/op (%lu iterations)\n", current_bench, op, tenths / 10,
               tenths % 10, iterations);
}

int fut_bench_run(const char *which)
{
    int ran = 0;
    for (const struct fut_bench *b = fut_benches_start; b < fut_benches_end; b++) {
        if (strcmp(which, "all") != 0 && strcmp(which, b->name) != 0)
            continue;
        current_bench = b->name;
        b->fn();
        ran++;
    }
    if (!ran) {
        fut_printk("BENCH: no benchmark named '%s'; available:", which);
        for (const struct fut_bench *b = fut_benches_start; b < fut_benches_end; b++)
            fut_printk(" %s", b->name);
        fut_printk(" all\n");
        return -1;
    }
    fut_printk("BENCH DONE: %d benchmark(s)\n", ran);
    return 0;
}
