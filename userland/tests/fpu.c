/* FPU/SSE state is per process: two children accumulate different floating-
 * point values for a while, across many preemptions, and each result must
 * be exact. If the kernel let one process see the other's XMM registers or
 * x87 state, the sums would be wrong. */
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Sums `step` n times in double (exact below 2^53) and in long double (x87). */
static int accumulate(double step)
{
    volatile double sum = 0.0;
    volatile long double xsum = 0.0L;
    uint64_t n = 0;
    int64_t end = now_ns() + 300000000; /* 0.3 s: hundreds of timer ticks */
    while (now_ns() < end) {
        for (int i = 0; i < 10000; i++) {
            sum += step;
            xsum += (long double)step;
        }
        n += 10000;
    }
    return (sum == step * (double)n && xsum == (long double)step * (long double)n) ? 0 : 1;
}

int main(void)
{
    pid_t a = fork();
    if (a == 0)
        _exit(accumulate(1.5));
    pid_t b = fork();
    if (b == 0)
        _exit(accumulate(2.25));
    int rc = accumulate(0.125); /* the parent joins in */
    int sa = -1, sb = -1;
    CHECK(rc == 0);
    CHECK(waitpid(a, &sa, 0) == a && WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    CHECK(waitpid(b, &sb, 0) == b && WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
    char buf[64];
    snprintf(buf, sizeof(buf), "%.3f", 3.14159); /* musl's printf uses SSE */
    CHECK(strcmp(buf, "3.142") == 0);
    return check_summary("fpu");
}
