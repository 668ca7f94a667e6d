// Wait queues: blocking leaves the run queue, wake-ups are FIFO, deadlines
// fire in order, and whichever of wake-up, timeout and interruption comes
// first ends a wait exactly once.
#include "futura/scheduler/waitq.h"

#include <gtest/gtest.h>

#include <vector>

#include "futura/scheduler/sched.h"
#include "futura/scheduler/testing/sched_fixture.h"

namespace
{

using Threads = std::vector<fut_thread *>;

class WaitQueue : public SchedTest
{
  protected:
    void SetUp() override
    {
        SchedTest::SetUp();
        fut_waitq_init(&wq_);
    }
    // Starts n threads and lets each run and wait on wq_ (with `deadlines[i]`
    // when given), in start order.
    Threads StartWaiters(size_t n, const std::vector<uint64_t> &deadlines = {})
    {
        Threads t;
        for (size_t i = 0; i < n; i++)
            t.push_back(StartThread());
        fut_sched_yield();
        for (size_t i = 0; i < n; i++) {
            EXPECT_EQ(fut_sched_current(), t[i]);
            if (deadlines.empty())
                fut_waitq_wait(&wq_);
            else
                fut_waitq_wait_timeout(&wq_, deadlines[i]);
        }
        EXPECT_EQ(fut_sched_current(), idle_);
        return t;
    }
    void DestroyAll(const Threads &t)
    {
        for (fut_thread *x : t)
            Destroy(x);
    }
    fut_waitq wq_;
};

TEST_F(WaitQueue, WaitingThreadIsBlockedOffTheRunQueueAndNextThreadRuns)
{
    fut_thread *a = StartThread(), *b = StartThread();
    fut_sched_yield();
    EXPECT_EQ(fut_waitq_wait(&wq_), FUT_WAKE_NONE); // blocked: the fake switch returned
    EXPECT_EQ(a->state, FUT_THREAD_BLOCKED);
    EXPECT_EQ(a->waitq, &wq_);
    EXPECT_EQ(fut_sched_current(), b);
    EXPECT_TRUE(Queued().empty());
    EXPECT_EQ(Waiters(&wq_), (Threads{a}));
    EXPECT_TRUE(fut_waitq_check(&wq_));
    Destroy(a);
    Destroy(b);
}

TEST_F(WaitQueue, WakeOneWakesManyWaitersInTheOrderTheyStartedWaiting)
{
    Threads t = StartWaiters(64);
    for (size_t i = 0; i < t.size(); i++) {
        EXPECT_EQ(fut_waitq_wake_one(&wq_), t[i]) << i;
        EXPECT_EQ(t[i]->state, FUT_THREAD_RUNNABLE);
        EXPECT_EQ(t[i]->wake_reason, FUT_WAKE_EVENT);
        EXPECT_EQ(t[i]->waitq, nullptr);
    }
    EXPECT_EQ(fut_waitq_wake_one(&wq_), nullptr);
    EXPECT_EQ(Queued(), t);
    EXPECT_EQ(RunEachOnce(), t);
    fut_waitq_wake_all(&park_);
    DestroyAll(t);
}

TEST_F(WaitQueue, WakeOrderFollowsWaitOrderNotStartOrder)
{
    fut_thread *a = StartThread(), *b = StartThread(), *c = StartThread();
    fut_sched_yield();
    fut_sched_yield(); // a -> b: b waits first
    fut_waitq_wait(&wq_);
    fut_sched_yield();    // c -> a
    fut_waitq_wait(&wq_); // a second, c runs
    fut_waitq_wait(&wq_); // c third
    EXPECT_EQ(Waiters(&wq_), (Threads{b, a, c}));
    EXPECT_EQ(fut_waitq_wake_one(&wq_), b);
    EXPECT_EQ(fut_waitq_wake_one(&wq_), a);
    EXPECT_EQ(fut_waitq_wake_one(&wq_), c);
    DestroyAll({a, b, c});
}

TEST_F(WaitQueue, WakeAllWakesEveryWaiterInFifoOrderBehindRunnableThreads)
{
    Threads t = StartWaiters(10);
    fut_thread *r = StartThread(); // runnable before the wake-up
    EXPECT_EQ(fut_waitq_wake_all(&wq_), 10u);
    EXPECT_FALSE(fut_waitq_has_waiters(&wq_));
    Threads expected = {r};
    expected.insert(expected.end(), t.begin(), t.end());
    EXPECT_EQ(Queued(), expected);
    for (fut_thread *x : t)
        EXPECT_EQ(x->wake_reason, FUT_WAKE_EVENT);
    EXPECT_EQ(fut_waitq_wake_all(&wq_), 0u);
    DestroyAll(t);
    Destroy(r);
}

TEST_F(WaitQueue, WokenThreadWaitsAgainAtTheBackOfTheQueue)
{
    Threads t = StartWaiters(3);
    fut_waitq_wake_one(&wq_); // t0
    fut_sched_yield();
    ASSERT_EQ(fut_sched_current(), t[0]);
    fut_waitq_wait(&wq_);
    EXPECT_EQ(Waiters(&wq_), (Threads{t[1], t[2], t[0]}));
    DestroyAll(t);
}

// While the waiter is switched out, plays the rest of the system: a wake-up,
// then the idle thread yields back to the waiter.
void WakeAndSwitchBack(fut_thread *, fut_thread *, void *wq)
{
    fut_waitq_wake_one(static_cast<fut_waitq *>(wq));
    fut_sched_yield();
}

TEST_F(WaitQueue, WaitReturnsTheWakeReasonWhenTheWaiterRunsAgain)
{
    fut_thread *a = StartThread();
    fut_sched_yield();
    fut_fake_arch_set_switch_hook(WakeAndSwitchBack, &wq_);
    EXPECT_EQ(fut_waitq_wait(&wq_), FUT_WAKE_EVENT);
    EXPECT_EQ(fut_sched_current(), a);
    EXPECT_EQ(fut_waitq_wait_timeout(&wq_, 1000), FUT_WAKE_EVENT);
    EXPECT_FALSE(fut_timer_pending(&a->wait_timer));
    fut_fake_arch_set_switch_hook(nullptr, nullptr);
    Destroy(a);
}

class Timeout : public WaitQueue
{
};

TEST_F(Timeout, WaitersTimeOutInDeadlineOrderWithTiesInWaitOrder)
{
    Threads t = StartWaiters(6, {30, 10, 20, 10, 30, 20});
    EXPECT_EQ(fut_timers_expire(9), 0u);
    EXPECT_EQ(fut_timers_expire(15), 2u);
    EXPECT_EQ(Queued(), (Threads{t[1], t[3]}));
    EXPECT_EQ(fut_timers_expire(29), 2u);
    EXPECT_EQ(fut_timers_expire(30), 2u);
    EXPECT_EQ(Queued(), (Threads{t[1], t[3], t[2], t[5], t[0], t[4]}));
    for (fut_thread *x : t) {
        EXPECT_EQ(x->wake_reason, FUT_WAKE_TIMEOUT);
        EXPECT_EQ(x->waitq, nullptr);
    }
    EXPECT_FALSE(fut_waitq_has_waiters(&wq_));
    DestroyAll(t);
}

TEST_F(Timeout, ThreadWokenBeforeItsDeadlineIsNotWokenAgainByTheTimer)
{
    Threads t = StartWaiters(2, {100, 200});
    EXPECT_EQ(fut_waitq_wake_one(&wq_), t[0]);
    EXPECT_FALSE(fut_timer_pending(&t[0]->wait_timer));
    EXPECT_EQ(fut_timers_expire(150), 0u);
    EXPECT_EQ(t[0]->wake_reason, FUT_WAKE_EVENT);
    EXPECT_EQ(Queued(), (Threads{t[0]}));
    // Even once it waits again without a deadline, the old one is gone.
    fut_sched_yield();
    fut_waitq_wait(&wq_);
    EXPECT_EQ(fut_timers_expire(1000), 1u); // only t[1]'s
    EXPECT_EQ(t[0]->state, FUT_THREAD_BLOCKED);
    EXPECT_EQ(t[1]->wake_reason, FUT_WAKE_TIMEOUT);
    DestroyAll(t);
}

TEST_F(Timeout, TimedOutWaiterIsOffTheQueueSoWakeOneTakesTheNext)
{
    fut_thread *a = StartThread(), *b = StartThread();
    fut_sched_yield();
    fut_waitq_wait_timeout(&wq_, 10); // a
    fut_waitq_wait(&wq_);             // b
    fut_timers_expire(10);
    EXPECT_EQ(a->wake_reason, FUT_WAKE_TIMEOUT);
    EXPECT_EQ(fut_waitq_wake_one(&wq_), b);
    EXPECT_EQ(Queued(), (Threads{a, b}));
    Destroy(a);
    Destroy(b);
}

TEST_F(Timeout, DeadlineNotAfterNowReturnsTimeoutWithoutBlocking)
{
    fut_timers_expire(50);
    fut_thread *a = StartThread();
    fut_sched_yield();
    EXPECT_EQ(fut_waitq_wait_timeout(&wq_, 50), FUT_WAKE_TIMEOUT);
    EXPECT_EQ(fut_waitq_wait_timeout(&wq_, 7), FUT_WAKE_TIMEOUT);
    EXPECT_EQ(fut_sleep_until(0), FUT_WAKE_TIMEOUT);
    EXPECT_EQ(fut_sched_current(), a);
    EXPECT_FALSE(fut_waitq_has_waiters(&wq_));
    EXPECT_EQ(fut_timers_pending_count(), 0u);
    Destroy(a);
}

TEST_F(Timeout, SleepUntilBlocksOnNoQueueAndWakesAtTheDeadline)
{
    fut_thread *a = StartThread();
    fut_sched_yield();
    fut_sleep_until(1000);
    EXPECT_EQ(a->state, FUT_THREAD_BLOCKED);
    EXPECT_EQ(a->waitq, nullptr);
    EXPECT_EQ(fut_sched_current(), idle_);
    EXPECT_EQ(fut_timers_expire(999), 0u);
    EXPECT_EQ(a->state, FUT_THREAD_BLOCKED);
    EXPECT_EQ(fut_timers_expire(1000), 1u);
    EXPECT_EQ(a->state, FUT_THREAD_RUNNABLE);
    EXPECT_EQ(a->wake_reason, FUT_WAKE_TIMEOUT);
    EXPECT_TRUE(fut_sched_need_resched());
    Destroy(a);
}

TEST_F(Timeout, SleepersWakeInDeadlineOrder)
{
    Threads t;
    for (int i = 0; i < 5; i++)
        t.push_back(StartThread());
    fut_sched_yield();
    const uint64_t deadlines[] = {500, 100, 400, 100, 200};
    for (uint64_t d : deadlines)
        fut_sleep_until(d);
    fut_timers_expire(10000);
    EXPECT_EQ(Queued(), (Threads{t[1], t[3], t[4], t[2], t[0]}));
    DestroyAll(t);
}

class Interrupt : public WaitQueue
{
};

TEST_F(Interrupt, InterruptEndsAWaitWithInterruptedAndCancelsItsDeadline)
{
    Threads t = StartWaiters(3, {100, 100, 100});
    EXPECT_TRUE(fut_thread_interrupt(t[1]));
    EXPECT_EQ(t[1]->state, FUT_THREAD_RUNNABLE);
    EXPECT_EQ(t[1]->wake_reason, FUT_WAKE_INTERRUPTED);
    EXPECT_FALSE(fut_timer_pending(&t[1]->wait_timer));
    EXPECT_EQ(Waiters(&wq_), (Threads{t[0], t[2]}));
    EXPECT_EQ(fut_timers_expire(100), 2u);
    EXPECT_EQ(t[1]->wake_reason, FUT_WAKE_INTERRUPTED);
    EXPECT_FALSE(fut_thread_interrupt(t[1])); // runnable: nothing to wake
    DestroyAll(t);
}

TEST_F(Interrupt, PendingInterruptMakesWaitsReturnAtOnceUntilCleared)
{
    fut_thread *a = StartThread();
    fut_sched_yield();
    EXPECT_FALSE(fut_thread_interrupt(a)); // running, not waiting
    EXPECT_EQ(fut_waitq_wait(&wq_), FUT_WAKE_INTERRUPTED);
    EXPECT_EQ(fut_sleep_until(500), FUT_WAKE_INTERRUPTED);
    EXPECT_EQ(fut_sched_current(), a);
    EXPECT_FALSE(fut_waitq_has_waiters(&wq_));
    fut_thread_clear_interrupt(a);
    fut_waitq_wait(&wq_);
    EXPECT_EQ(a->state, FUT_THREAD_BLOCKED);
    Destroy(a);
}

TEST_F(Interrupt, StoppedThreadIsMarkedButNotStarted)
{
    fut_thread *a = NewThread();
    EXPECT_FALSE(fut_thread_interrupt(a));
    EXPECT_EQ(a->state, FUT_THREAD_STOPPED);
    EXPECT_TRUE(a->interrupt_pending);
    Destroy(a);
}

} // namespace
