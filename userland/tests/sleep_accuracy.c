/* nanosleep and clock_nanosleep: they sleep at least as long as asked (an
 * assertion that cannot flake) and report the overshoot (printed, not
 * asserted: timing on a shared emulator is noisy). */
#include <stdint.h>
#include <time.h>

#include "check.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(void)
{
    const long requests_us[] = {1000, 5000, 20000};
    for (unsigned i = 0; i < sizeof(requests_us) / sizeof(requests_us[0]); i++) {
        int64_t worst = 0, total = 0;
        for (int r = 0; r < 10; r++) {
            struct timespec req = {0, requests_us[i] * 1000};
            int64_t t0 = now_ns();
            CHECK(nanosleep(&req, NULL) == 0);
            int64_t slept = now_ns() - t0;
            CHECK(slept >= requests_us[i] * 1000);
            int64_t over = slept - requests_us[i] * 1000;
            total += over;
            if (over > worst)
                worst = over;
        }
        printf("nanosleep(%ld us): mean overshoot %lld us, worst %lld us\n", requests_us[i],
               (long long)(total / 10 / 1000), (long long)(worst / 1000));
    }
    /* An absolute deadline in the past returns at once. */
    struct timespec past = {0, 0};
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL) == 0);
    struct timespec bad = {0, 1000000000};
    CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL);
    struct timespec rt;
    CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1600000000);
    return check_summary("sleep_accuracy");
}
