/* Tiny assertion helpers for Futura's user-space test programs: each failed
 * check prints its line and expression; main ends with check_summary(). */
#ifndef FUTURA_USERLAND_TESTS_CHECK_H
#define FUTURA_USERLAND_TESTS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(expr)                                                                         \
    do {                                                                                    \
        check_count++;                                                                      \
        if (!(expr)) {                                                                      \
            check_failures++;                                                               \
            printf("CHECK FAILED %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, #expr, errno, \
                   strerror(errno));                                                        \
        }                                                                                   \
    } while (0)

/* A call that must fail with a given errno (musl's wrappers return -1). */
#define CHECK_ERRNO(call, err)                                                              \
    do {                                                                                    \
        errno = 0;                                                                          \
        long check_rc_ = (long)(call);                                                      \
        check_count++;                                                                      \
        if (check_rc_ != -1 || errno != (err)) {                                            \
            check_failures++;                                                               \
            printf("CHECK FAILED %s:%d: %s returned %ld errno %d, want -1 errno %d\n",     \
                   __FILE__, __LINE__, #call, check_rc_, errno, (err));                     \
        }                                                                                   \
    } while (0)

static inline int check_summary(const char *name)
{
    printf("%s: %d checks, %d failed: %s\n", name, check_count, check_failures,
           check_failures ? "FAIL" : "PASS");
    fflush(stdout);
    return check_failures ? 1 : 0;
}

#endif
