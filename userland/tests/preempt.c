/* Preemption: two CPU-bound children that never block or yield must both
 * make progress while the other is alive. They share two counters (a
 * MAP_SHARED page); each spins bumping its own counter until it has seen the
 * other's counter move several times. On one CPU that can only happen if the
 * kernel takes the CPU away from a spinning process; without preemption the
 * first child spins until its 5-second cap and the test fails. */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define CAP_NS 5000000000ll
#define WANT_CHANGES 5

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int spin(volatile uint64_t *mine, volatile uint64_t *other)
{
    int64_t start = now_ns();
    uint64_t seen = *other;
    int changes = 0;
    while (changes < WANT_CHANGES) {
        (*mine)++;
        if (*other != seen) {
            seen = *other;
            changes++;
        }
        if ((*mine & 0xfff) == 0 && now_ns() - start > CAP_NS)
            return 1; /* the other never ran while we did */
    }
    /* Keep running a little so the other can see us move too. */
    for (int64_t end = now_ns() + 50000000; now_ns() < end;)
        (*mine)++;
    return 0;
}

int main(void)
{
    volatile uint64_t *counters =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(counters != MAP_FAILED);
    if (counters == MAP_FAILED)
        return check_summary("preempt");
    int64_t t0 = now_ns();
    pid_t a = fork();
    if (a == 0)
        _exit(spin(&counters[0], &counters[1]));
    pid_t b = fork();
    if (b == 0)
        _exit(spin(&counters[1], &counters[0]));
    int sa = -1, sb = -1;
    CHECK(waitpid(a, &sa, 0) == a && WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    CHECK(waitpid(b, &sb, 0) == b && WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
    printf("preempt: counters %llu and %llu, %lld ms\n", (unsigned long long)counters[0],
           (unsigned long long)counters[1], (long long)((now_ns() - t0) / 1000000));
    return check_summary("preempt");
}
