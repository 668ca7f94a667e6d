/* System-call dispatch through the table in table.c. */
#include "futura/errno.h"
#include "futura/lib/printk.h"
#include "futura/syscalls/syscall.h"
#include "table.h"

static uint64_t counts[FUT_NR_SYSCALLS];
/* One bit per number: an unknown call is reported once, not on every retry. */
static uint64_t reported[FUT_NR_SYSCALLS / 64];
static uint64_t reported_out_of_range;

const char *fut_syscall_name(long nr)
{
    if (nr < 0 || nr >= FUT_NR_SYSCALLS)
        return 0;
    return fut_syscall_names[nr];
}

uint64_t fut_syscall_count(long nr)
{
    return (nr < 0 || nr >= FUT_NR_SYSCALLS) ? 0 : counts[nr];
}

static long unknown(long nr)
{
    if (nr < 0 || nr >= FUT_NR_SYSCALLS) {
        if (!reported_out_of_range++)
            fut_printk("syscall: number %ld is out of range: -ENOSYS\n", nr);
        return -ENOSYS;
    }
    if (!(reported[nr / 64] & (1ull << (nr % 64)))) {
        reported[nr / 64] |= 1ull << (nr % 64);
        const char *name = fut_syscall_names[nr];
        fut_printk("syscall: %ld (%s) is not implemented: -ENOSYS\n", nr, name ? name : "unknown");
    }
    return -ENOSYS;
}

long fut_syscall_dispatch(const struct fut_syscall_args *a)
{
    long nr = a->nr;
    if (nr < 0 || nr >= FUT_NR_SYSCALLS || !fut_syscall_handlers[nr])
        return unknown(nr);
    counts[nr]++;
    return fut_syscall_handlers[nr](a);
}
