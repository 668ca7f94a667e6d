/* Preemption: two CPU-bound children that never block or yield both make
 * progress while the other is alive. Each spins for a while, counting the
 * gaps in its own view of time (another process ran there), and reports the
 * count as its exit status; without a preemptive scheduler the first child
 * would run to completion and see no gap. */
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define SPIN_NS 300000000ll /* 0.3 s each */
#define GAP_NS 2000000ll    /* a jump of 2 ms means we were switched out */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int spin(void)
{
    int64_t start = now_ns(), last = start;
    int gaps = 0;
    volatile uint64_t work = 0;
    while (last - start < SPIN_NS) {
        for (int i = 0; i < 1000; i++)
            work += (uint64_t)i * 2654435761u;
        int64_t t = now_ns();
        if (t - last > GAP_NS)
            gaps++;
        last = t;
    }
    if (work == 42)
        gaps++; /* never true in practice; keeps the spinning from being optimized away */
    return gaps > 250 ? 250 : gaps;
}

int main(void)
{
    int64_t t0 = now_ns();
    pid_t a = fork();
    if (a == 0)
        _exit(spin());
    pid_t b = fork();
    if (b == 0)
        _exit(spin());
    int sa = 0, sb = 0;
    CHECK(waitpid(a, &sa, 0) == a && WIFEXITED(sa));
    CHECK(waitpid(b, &sb, 0) == b && WIFEXITED(sb));
    int64_t elapsed = now_ns() - t0;
    printf("preempt: child A saw %d gaps, child B saw %d gaps, %lld ms in all\n",
           WEXITSTATUS(sa), WEXITSTATUS(sb), (long long)(elapsed / 1000000));
    /* Both were switched out at least once while spinning: they interleaved. */
    CHECK(WEXITSTATUS(sa) >= 1);
    CHECK(WEXITSTATUS(sb) >= 1);
    return check_summary("preempt");
}
