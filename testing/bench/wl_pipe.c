/* Pipes between a parent and its child: one-byte round trips (two wake-ups
 * and two context switches each) and bulk transfer in 64 KiB writes. */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "workloads.h"

#define CHUNK (64 * 1024)

static char chunk[CHUNK];

/* Two pipes; false (after reporting) when the kernel has none. */
static bool open_pipes(const char *name, int a[2], int b[2])
{
    if (pipe(a) != 0) {
        bench_fail(name, "pipe", errno);
        return false;
    }
    if (pipe(b) != 0) {
        bench_fail(name, "pipe", errno);
        close(a[0]);
        close(a[1]);
        return false;
    }
    return true;
}

static void reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

static void echo_bytes(int in, int out)
{
    char c;
    while (read(in, &c, 1) == 1)
        if (write(out, &c, 1) != 1)
            _exit(1);
    _exit(0);
}

/* One byte to the child and back; us per round trip. */
void wl_pipe_pingpong(void)
{
    struct bench b;
    int down[2], up[2];
    int samples = bench_samples(20, 5), batch = bench_batch(200, 50);
    if (!open_pipes("pipe_pingpong", down, up))
        return;
    pid_t pid = fork();
    if (pid < 0) {
        bench_fail("pipe_pingpong", "fork", errno);
        return;
    }
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        echo_bytes(down[0], up[1]);
    }
    close(down[0]);
    close(up[1]);
    bench_init(&b, "pipe_pingpong", "us");
    char c = 'x';
    for (int s = 0; s < samples; s++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < batch; i++) {
            if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1) {
                bench_fail("pipe_pingpong", "pipe write/read", errno ? errno : EIO);
                goto out;
            }
        }
        bench_add(&b, (double)(bench_now_ns() - t0) / 1e3 / batch);
    }
    bench_report(&b, "");
out:
    close(down[1]);
    close(up[0]);
    reap(pid);
}

/* Reads everything from `in`; after every `per_ack` bytes, one byte to `ack`. */
static void sink(int in, int ack, size_t per_ack)
{
    size_t got = 0;
    ssize_t r;
    while ((r = read(in, chunk, CHUNK)) > 0) {
        got += (size_t)r;
        if (got >= per_ack) {
            got -= per_ack;
            if (write(ack, "k", 1) != 1)
                _exit(1);
        }
    }
    _exit(r == 0 ? 0 : 1);
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* 16 MiB (4 MiB with --quick) through a pipe in 64 KiB writes until the
 * reader confirms it has all of it; us per 64 KiB write (MiB/s = 62500 / median). */
void wl_pipe_throughput(void)
{
    struct bench b;
    int data[2], ack[2];
    int samples = bench_samples(10, 3);
    size_t per_sample = bench_opts.quick ? 4 * MIB : 16 * MIB;
    if (!open_pipes("pipe_throughput", data, ack))
        return;
    pid_t pid = fork();
    if (pid < 0) {
        bench_fail("pipe_throughput", "fork", errno);
        return;
    }
    if (pid == 0) {
        close(data[1]);
        close(ack[0]);
        sink(data[0], ack[1], per_sample);
    }
    close(data[0]);
    close(ack[1]);
    bench_init(&b, "pipe_throughput", "us");
    for (int s = 0; s < samples; s++) {
        char k;
        uint64_t t0 = bench_now_ns();
        for (size_t sent = 0; sent < per_sample; sent += CHUNK) {
            if (write_all(data[1], chunk, CHUNK) != 0) {
                bench_fail("pipe_throughput", "pipe write", errno ? errno : EIO);
                goto out;
            }
        }
        if (read(ack[0], &k, 1) != 1) {
            bench_fail("pipe_throughput", "pipe read", errno ? errno : EIO);
            goto out;
        }
        bench_add(&b, (double)(bench_now_ns() - t0) / 1e3 / (per_sample / CHUNK));
    }
    bench_report(&b, "bytes_per_op=65536");
out:
    close(data[1]);
    close(ack[0]);
    reap(pid);
}
