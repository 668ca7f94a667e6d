/* FIFO wake-up order: several processes block until the same absolute
 * deadline, starting in a known order; each appends its number to a shared
 * file when it wakes. Ties are woken in the order the sleepers arrived. */
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define SLEEPERS 6

int main(void)
{
    int fd = open("/tmp-fifo-order", O_CREAT | O_RDWR | O_TRUNC | O_APPEND, 0644);
    CHECK(fd >= 0);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += 200000000; /* 200 ms from now: every sleeper is in bed by then */
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    pid_t pids[SLEEPERS];
    for (int i = 0; i < SLEEPERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
            char c = (char)('0' + i);
            write(fd, &c, 1);
            _exit(0);
        }
        /* Let child i reach its sleep before child i+1 is created. */
        struct timespec settle = {0, 10000000};
        nanosleep(&settle, NULL);
    }
    for (int i = 0; i < SLEEPERS; i++)
        CHECK(waitpid(pids[i], NULL, 0) == pids[i]);
    char order[SLEEPERS + 1] = {0};
    CHECK(pread(fd, order, SLEEPERS, 0) == SLEEPERS);
    printf("fifo_wake: wake order %s\n", order);
    CHECK(strcmp(order, "012345") == 0);
    close(fd);
    unlink("/tmp-fifo-order");
    return check_summary("fifo_wake");
}
