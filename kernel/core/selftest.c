/* The self-test registry and runner. Entries come from the fut_selftests
 * section the linker script collects, so registering needs no central list. */
#include "futura/selftest.h"

#include "futura/lib/printk.h"
#include "futura/lib/string.h"

extern const struct fut_selftest fut_selftests_start[];
extern const struct fut_selftest fut_selftests_end[];

static int current_failures;

bool fut_selftest_check(bool ok, const char *expr, const char *file, int line)
{
    if (!ok) {
        current_failures++;
        fut_printk("    check failed: %s (%s:%d)\n", expr, file, line);
    }
    return ok;
}

static void list_tests(void)
{
    fut_printk("available tests:");
    for (const struct fut_selftest *t = fut_selftests_start; t < fut_selftests_end; t++)
        fut_printk(" %s", t->name);
    fut_printk(" all\n");
}

int fut_selftest_run(const char *which)
{
    bool all = strcmp(which, "all") == 0;
    int passed = 0, failed = 0;
    for (const struct fut_selftest *t = fut_selftests_start; t < fut_selftests_end; t++) {
        /* "all" skips tests whose name starts with '_' (they end the machine on purpose). */
        if (all ? t->name[0] == '_' : strcmp(which, t->name) != 0)
            continue;
        fut_printk("SELFTEST %s: running\n", t->name);
        current_failures = 0;
        int rc = t->fn();
        bool ok = rc == FUT_TEST_PASS && current_failures == 0;
        fut_printk("SELFTEST %s: %s\n", t->name, ok ? "PASS" : "FAIL");
        if (ok)
            passed++;
        else
            failed++;
    }
    if (passed + failed == 0) {
        fut_printk("SELFTEST: no test named '%s'\n", which);
        list_tests();
        return -1;
    }
    fut_printk("SELFTEST SUMMARY: %d passed, %d failed\n", passed, failed);
    return failed;
}
