/* System-call paths that do no memory-management work: the null system
 * call, path lookup (open/close, stat) and timer sleeps. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "workloads.h"

/* getppid: entry, dispatch and return with no work; ns per call. */
void wl_getppid(void)
{
    struct bench b;
    int samples = bench_samples(30, 5), batch = bench_batch(2000, 500);
    bench_init(&b, "getppid", "ns");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++)
            getppid();
        bench_add(&b, (double)(bench_now_ns() - t0) / batch);
    }
    bench_report(&b, "");
}

/* open+close of an existing two-component path; ns per pair. */
void wl_open_close(void)
{
    struct bench b;
    const char *path = bench_data_file();
    if (!path) {
        bench_fail("open_close", "create " BENCH_DATA_PATH, errno);
        return;
    }
    int samples = bench_samples(30, 5), batch = bench_batch(500, 100);
    bench_init(&b, "open_close", "ns");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++) {
            int fd = open(path, O_RDONLY);
            if (fd < 0) {
                bench_fail("open_close", "open", errno);
                return;
            }
            close(fd);
        }
        bench_add(&b, (double)(bench_now_ns() - t0) / batch);
    }
    bench_report(&b, "");
}

/* stat of the same path; ns per call. */
void wl_stat(void)
{
    struct bench b;
    struct stat st;
    const char *path = bench_data_file();
    if (!path) {
        bench_fail("stat", "create " BENCH_DATA_PATH, errno);
        return;
    }
    int samples = bench_samples(30, 5), batch = bench_batch(500, 100);
    bench_init(&b, "stat", "ns");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++)
            if (stat(path, &st) != 0) {
                bench_fail("stat", "stat", errno);
                return;
            }
        bench_add(&b, (double)(bench_now_ns() - t0) / batch);
    }
    bench_report(&b, "");
}

/* nanosleep(1 ms): how much later than asked the sleeper runs again; us. */
void wl_nanosleep_1ms(void)
{
    struct bench b;
    const struct timespec ms = {0, 1000000};
    int samples = bench_samples(50, 10);
    bench_init(&b, "nanosleep_1ms", "us");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        if (nanosleep(&ms, NULL) != 0) {
            bench_fail("nanosleep_1ms", "nanosleep", errno);
            return;
        }
        bench_add(&b, ((double)(bench_now_ns() - t0) - 1e6) / 1e3);
    }
    bench_report(&b, "");
}
