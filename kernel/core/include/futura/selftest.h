/*
 * In-kernel self-tests. Any kernel-only source registers one with
 *     FUT_SELFTEST(name) { ...; return FUT_TEST_PASS; }
 * and `test=<name>` or `test=all` on the command line runs them (see selftest.c).
 * FUT_CHECK records a failure with file:line and the failing expression, and
 * keeps going so one run shows every broken check.
 */
#ifndef FUTURA_SELFTEST_H
#define FUTURA_SELFTEST_H

#include <stdbool.h>

#define FUT_TEST_PASS 0
#define FUT_TEST_FAIL 1

struct fut_selftest {
    const char *name;
    int (*fn)(void);
};

#define FUT_SELFTEST(tname)                                                               \
    static int fut_selftest_fn_##tname(void);                                             \
    static const struct fut_selftest fut_selftest_##tname                                 \
        __attribute__((used, section("fut_selftests"), aligned(16))) = {#tname,          \
                                                                        fut_selftest_fn_##tname}; \
    static int fut_selftest_fn_##tname(void)

/* Records a failed check; returns false so callers can bail out early. */
bool fut_selftest_check(bool ok, const char *expr, const char *file, int line);
#define FUT_CHECK(expr) fut_selftest_check((expr), #expr, __FILE__, __LINE__)

/* Runs the tests named by `which` ("all" or one name); returns the number failed,
 * or -1 when no test has that name (the available names are listed). */
int fut_selftest_run(const char *which);

#endif
