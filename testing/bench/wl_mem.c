/* Address-space operations: map/unmap, anonymous page faults, splitting a
 * mapping by unmapping one page and filling the hole again, brk, and the
 * munmap-time curve over the number of VMAs. */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "workloads.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* mmap+munmap of 64 KiB that is never touched: VMA work only; ns per pair. */
void wl_mmap_munmap_64k(void)
{
    struct bench b;
    int samples = bench_samples(30, 5), batch = bench_batch(500, 100);
    bench_init(&b, "mmap_munmap_64k", "ns");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++) {
            void *p = mmap(NULL, 64 * 1024, RW, ANON, -1, 0);
            if (p == MAP_FAILED) {
                bench_fail("mmap_munmap_64k", "mmap", errno);
                return;
            }
            if (munmap(p, 64 * 1024) != 0) {
                bench_fail("mmap_munmap_64k", "munmap", errno);
                return;
            }
        }
        bench_add(&b, (double)(bench_now_ns() - t0) / batch);
    }
    bench_report(&b, "");
}

/* First writes to 64 MiB of fresh anonymous memory: one fault, one zeroed
 * frame and one PTE per 4 KiB page; ns per fault (faults/s = 1e9 / median). */
void wl_pagefault_64m(void)
{
    struct bench b;
    const size_t bytes = 64 * MIB;
    int samples = bench_samples(10, 3);
    if (!bench_fits("pagefault_64m", 64 + 32))
        return;
    bench_init(&b, "pagefault_64m", "ns");
    long faults0 = bench_minor_faults();
    for (int s = 0; s < samples; s++) {
        volatile char *p = bench_map_anon(bytes, false);
        if (!p) {
            bench_fail("pagefault_64m", "mmap", errno);
            return;
        }
        uint64_t t0 = bench_now_ns();
        for (size_t off = 0; off < bytes; off += PAGE)
            p[off] = 1;
        bench_add(&b, (double)(bench_now_ns() - t0) / (bytes / PAGE));
        munmap((void *)p, bytes);
    }
    char extra[64];
    long faults1 = bench_minor_faults();
    snprintf(extra, sizeof(extra), "pages=16384 faults_per_sample=%ld",
             faults0 < 0 || faults1 < 0 ? -1 : (faults1 - faults0) / samples);
    bench_report(&b, extra);
}

/* munmap of the middle page of a touched 16-page mapping (a VMA split), then
 * mmap(MAP_FIXED) of that page (which may merge again); ns per pair. */
void wl_munmap_middle(void)
{
    struct bench b;
    int samples = bench_samples(30, 5), batch = bench_batch(500, 100);
    char *p = bench_map_anon(16 * PAGE, true);
    if (!p) {
        bench_fail("munmap_middle", "mmap", errno);
        return;
    }
    char *hole = p + 8 * PAGE;
    bench_init(&b, "munmap_middle", "ns");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++) {
            if (munmap(hole, PAGE) != 0) {
                bench_fail("munmap_middle", "munmap", errno);
                goto out;
            }
            if (mmap(hole, PAGE, RW, ANON | MAP_FIXED, -1, 0) != hole) {
                bench_fail("munmap_middle", "mmap(MAP_FIXED)", errno);
                goto out;
            }
        }
        bench_add(&b, (double)(bench_now_ns() - t0) / batch);
    }
    bench_report(&b, "");
out:
    munmap(p, 16 * PAGE);
}

/* brk up by 1 MiB and back down, never touched; ns per pair. */
void wl_brk_grow_shrink(void)
{
    struct bench b;
    int samples = bench_samples(30, 5), batch = bench_batch(500, 100);
    long cur = syscall(SYS_brk, 0);
    if (cur == -1) {
        bench_fail("brk_grow_shrink", "brk", errno);
        return;
    }
    bench_init(&b, "brk_grow_shrink", "ns");
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++) {
            long up = syscall(SYS_brk, cur + (long)MIB);
            if (up != cur + (long)MIB) {
                bench_error("brk_grow_shrink", "brk(+1 MiB) returned %#lx, not %#lx (errno %d)", up,
                            cur + (long)MIB, errno);
                return;
            }
            syscall(SYS_brk, cur);
        }
        bench_add(&b, (double)(bench_now_ns() - t0) / batch);
    }
    bench_report(&b, "");
}

/* A touched mapping of `n` pages whose odd pages are read-only: n VMAs
 * that cannot merge. NULL (after reporting) on failure. */
static char *map_vmas(const char *name, long n)
{
    char *p = bench_map_anon((size_t)n * PAGE, true);
    if (!p) {
        bench_fail(name, "mmap", errno);
        return NULL;
    }
    for (long i = 1; i < n; i += 2) {
        if (mprotect(p + i * PAGE, PAGE, PROT_READ) != 0) {
            bench_fail(name, "mprotect", errno);
            munmap(p, (size_t)n * PAGE);
            return NULL;
        }
    }
    return p;
}

/* munmap of one range covering 1 to 10,000 VMAs (one touched page each). */
void wl_munmap_scale(void)
{
    static const long counts[] = {1, 10, 100, 1000, 10000};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        long n = counts[i];
        char name[48], extra[96];
        struct bench b;
        snprintf(name, sizeof(name), "munmap_scale_vmas%ld", n);
        snprintf(extra, sizeof(extra), "curve=munmap_vs_vmas x=%ld xunit=VMAs", n);
        bench_init(&b, name, "us");
        int samples = bench_samples(n >= 10000 ? 5 : 10, 3);
        for (int s = 0; s < samples; s++) {
            char *p = map_vmas(name, n);
            if (!p)
                return;
            uint64_t t0 = bench_now_ns();
            int rc = munmap(p, (size_t)n * PAGE);
            uint64_t t1 = bench_now_ns();
            if (rc != 0) {
                bench_fail(name, "munmap", errno);
                return;
            }
            bench_add(&b, (double)(t1 - t0) / 1e3);
        }
        bench_report(&b, extra);
    }
}
