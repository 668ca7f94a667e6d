/* Clocks: clock_gettime, clock_getres, gettimeofday, time. */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define NSEC 1000000000ull

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct linux_timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

/* Reads clock `clk` in nanoseconds; -EINVAL for clocks we do not have. */
int fut_clock_read(long clk, uint64_t *ns)
{
    switch (clk) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *ns = fut_hal_wallclock_ns();
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = fut_hal_time_ns();
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
        *ns = fut_proc_cpu_time_ns(false);
        return 0;
    case CLOCK_THREAD_CPUTIME_ID:
        *ns = fut_proc_cpu_time_ns(true);
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_clock_gettime(const struct fut_syscall_args *a)
{
    uint64_t ns;
    int rc = fut_clock_read(a->arg[0], &ns);
    if (rc)
        return rc;
    struct linux_timespec ts = {(int64_t)(ns / NSEC), (int64_t)(ns % NSEC)};
    return fut_copy_to_user((void *)a->arg[1], &ts, sizeof(ts));
}

long sys_clock_getres(const struct fut_syscall_args *a)
{
    uint64_t ns;
    int rc = fut_clock_read(a->arg[0], &ns);
    if (rc)
        return rc;
    if (!a->arg[1])
        return 0;
    struct linux_timespec ts = {0, 1}; /* TSC-based: nanosecond resolution */
    return fut_copy_to_user((void *)a->arg[1], &ts, sizeof(ts));
}

long sys_gettimeofday(const struct fut_syscall_args *a)
{
    if (a->arg[0]) {
        uint64_t ns = fut_hal_wallclock_ns();
        struct linux_timeval tv = {(int64_t)(ns / NSEC), (int64_t)(ns % NSEC / 1000)};
        if (fut_copy_to_user((void *)a->arg[0], &tv, sizeof(tv)))
            return -EFAULT;
    }
    if (a->arg[1]) {
        const int32_t tz[2] = {0, 0}; /* UTC, no DST */
        if (fut_copy_to_user((void *)a->arg[1], tz, sizeof(tz)))
            return -EFAULT;
    }
    return 0;
}

long sys_time(const struct fut_syscall_args *a)
{
    int64_t t = (int64_t)(fut_hal_wallclock_ns() / NSEC);
    if (a->arg[0] && fut_copy_to_user((void *)a->arg[0], &t, sizeof(t)))
        return -EFAULT;
    return t;
}
