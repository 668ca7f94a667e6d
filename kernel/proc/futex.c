/*
 * Futexes for one-thread processes: what C libraries use for locks and for
 * CLONE_CHILD_CLEARTID. Waiters sleep on one of 64 hashed wait queues keyed by
 * (address space, address); a wake wakes the bucket and each waiter re-checks
 * its own key, which is within futex's rules (waking may be spurious).
 */
#include "futura/errno.h"
#include "futura/futex.h"
#include "futura/proc.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/waitq.h"
#include "futura/uaccess.h"

#define BUCKETS 64

struct waiter_key {
    const void *mm;
    uint64_t uaddr;
};

static struct fut_waitq buckets[BUCKETS];
static bool buckets_ready;

static struct fut_waitq *bucket(const void *mm, uint64_t uaddr)
{
    if (!buckets_ready) {
        for (int i = 0; i < BUCKETS; i++)
            fut_waitq_init(&buckets[i]);
        buckets_ready = true;
    }
    uint64_t h = ((uint64_t)mm >> 6) ^ (uaddr >> 2) ^ (uaddr >> 11);
    return &buckets[h % BUCKETS];
}

long fut_futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline_ns)
{
    const void *mm = fut_current_process()->mm;
    if (uaddr & 3)
        return -EINVAL;
    uint64_t flags = fut_irq_save();
    uint32_t cur;
    long rc = 0;
    if (fut_copy_from_user(&cur, (const void *)uaddr, sizeof(cur))) {
        rc = -EFAULT;
    } else if (cur != val) {
        rc = -EAGAIN;
    } else {
        enum fut_wake_reason why = deadline_ns ? fut_waitq_wait_timeout(bucket(mm, uaddr), deadline_ns)
                                               : fut_waitq_wait(bucket(mm, uaddr));
        if (why == FUT_WAKE_INTERRUPTED)
            rc = -EINTR;
        else if (why == FUT_WAKE_TIMEOUT)
            rc = -ETIMEDOUT;
    }
    fut_irq_restore(flags);
    return rc;
}

int fut_futex_wake(uint64_t uaddr, int n)
{
    if (n <= 0)
        return 0;
    const void *mm = fut_current_process()->mm;
    /* Everyone in the bucket re-checks its word; report at most n woken. */
    size_t woken = fut_waitq_wake_all(bucket(mm, uaddr));
    return (int)(woken < (size_t)n ? woken : (size_t)n);
}
