/* File data: read() and mmap of a 16 MiB file in /tmp (RAM-backed on both
 * kernels), created once with a known pattern. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "workloads.h"

#define CHUNK (64 * 1024)

static unsigned char buf[CHUNK];

static unsigned char pattern_byte(size_t i)
{
    return (unsigned char)(i * 131 + i / PAGE);
}

const char *bench_data_file(void)
{
    struct stat st;
    if (stat(BENCH_DATA_PATH, &st) == 0 && (size_t)st.st_size == BENCH_DATA_BYTES)
        return BENCH_DATA_PATH;
    if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
        return NULL;
    int fd = open(BENCH_DATA_PATH, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0)
        return NULL;
    for (size_t off = 0; off < BENCH_DATA_BYTES; off += CHUNK) {
        for (size_t i = 0; i < CHUNK; i++)
            buf[i] = pattern_byte(off + i);
        if (write(fd, buf, CHUNK) != CHUNK) {
            int err = errno ? errno : EIO;
            close(fd);
            errno = err;
            return NULL;
        }
    }
    if (close(fd) != 0)
        return NULL;
    return BENCH_DATA_PATH;
}

/* open, read all 16 MiB in 64 KiB reads, close; ms per pass. */
void wl_file_read_16m(void)
{
    struct bench b;
    int samples = bench_samples(10, 3);
    if (!bench_data_file()) {
        bench_fail("file_read_16m", "create " BENCH_DATA_PATH, errno);
        return;
    }
    bench_init(&b, "file_read_16m", "ms");
    long faults0 = bench_minor_faults();
    for (int s = 0; s < samples; s++) {
        size_t total = 0;
        ssize_t r;
        uint64_t t0 = bench_now_ns();
        int fd = open(BENCH_DATA_PATH, O_RDONLY);
        if (fd < 0) {
            bench_fail("file_read_16m", "open", errno);
            return;
        }
        while ((r = read(fd, buf, CHUNK)) > 0)
            total += (size_t)r;
        close(fd);
        uint64_t t1 = bench_now_ns();
        if (r < 0 || total != BENCH_DATA_BYTES) {
            bench_error("file_read_16m", "read %zu of %lu bytes (errno %d)", total,
                        BENCH_DATA_BYTES, r < 0 ? errno : 0);
            return;
        }
        bench_add(&b, (double)(t1 - t0) / 1e6);
    }
    char extra[96];
    long faults1 = bench_minor_faults();
    snprintf(extra, sizeof(extra), "bytes=16777216 faults_per_sample=%ld",
             faults0 < 0 || faults1 < 0 ? -1 : (faults1 - faults0) / samples);
    bench_report(&b, extra);
}

/* open, mmap(PROT_READ, MAP_PRIVATE), load one word per 64-byte line of all
 * 16 MiB, munmap, close; ms per pass. Checks the bytes against the pattern. */
void wl_file_mmap_16m(void)
{
    struct bench b;
    int samples = bench_samples(10, 3);
    if (!bench_data_file()) {
        bench_fail("file_mmap_16m", "create " BENCH_DATA_PATH, errno);
        return;
    }
    bench_init(&b, "file_mmap_16m", "ms");
    long faults0 = bench_minor_faults();
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        int fd = open(BENCH_DATA_PATH, O_RDONLY);
        if (fd < 0) {
            bench_fail("file_mmap_16m", "open", errno);
            return;
        }
        const volatile unsigned char *p =
            mmap(NULL, BENCH_DATA_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            bench_fail("file_mmap_16m", "mmap", errno);
            close(fd);
            return;
        }
        uint64_t sum = 0;
        for (size_t off = 0; off < BENCH_DATA_BYTES; off += 64)
            sum += *(const volatile uint64_t *)(p + off);
        bool ok = p[0] == pattern_byte(0) &&
                  p[BENCH_DATA_BYTES / 2 + 77] == pattern_byte(BENCH_DATA_BYTES / 2 + 77);
        munmap((void *)p, BENCH_DATA_BYTES);
        close(fd);
        uint64_t t1 = bench_now_ns();
        if (!ok) {
            bench_error("file_mmap_16m", "mapped bytes differ from the file (sum %llu)",
                        (unsigned long long)sum);
            return;
        }
        bench_add(&b, (double)(t1 - t0) / 1e6);
    }
    char extra[96];
    long faults1 = bench_minor_faults();
    snprintf(extra, sizeof(extra), "bytes=16777216 faults_per_sample=%ld",
             faults0 < 0 || faults1 < 0 ? -1 : (faults1 - faults0) / samples);
    bench_report(&b, extra);
}
