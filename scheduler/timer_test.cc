// Timers: deadline order, FIFO ties, cancel, re-arming, and callbacks that
// add or cancel timers while a batch fires.
#include "futura/scheduler/timer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <utility>
#include <vector>

#include "futura/scheduler/testing/sched_fixture.h"

namespace
{

// A timer that records its id in a shared log when it fires.
struct Probe {
    fut_timer timer = {};
    int id = 0;
    std::vector<int> *log = nullptr;
};

void ProbeFired(fut_timer *t)
{
    Probe *p = fut_container_of(t, Probe, timer);
    p->log->push_back(p->id);
}

class Timer : public SchedTest
{
  protected:
    Probe *Add(int id, uint64_t deadline)
    {
        probes_.emplace_back();
        Probe *p = &probes_.back();
        p->id = id;
        p->log = &log_;
        fut_timer_add(&p->timer, deadline, ProbeFired);
        return p;
    }
    std::list<Probe> probes_; // stable addresses
    std::vector<int> log_;
};

TEST_F(Timer, FiresInDeadlineOrderWithTiesInTheOrderAdded)
{
    Add(1, 300);
    Add(2, 100);
    Add(3, 200);
    Add(4, 100);
    Add(5, 300);
    Add(6, 100);
    EXPECT_TRUE(fut_timers_check());
    EXPECT_EQ(fut_timers_expire(1000), 6u);
    EXPECT_EQ(log_, (std::vector<int>{2, 4, 6, 3, 1, 5}));
}

TEST_F(Timer, FiresAtTheFirstExpireAtOrAfterItsDeadlineNeverBefore)
{
    Add(1, 100);
    EXPECT_EQ(fut_timers_expire(99), 0u);
    EXPECT_TRUE(log_.empty());
    EXPECT_EQ(fut_timers_expire(100), 1u);
    EXPECT_EQ(log_, (std::vector<int>{1}));
    EXPECT_EQ(fut_timers_expire(500), 0u); // fires once
}

TEST_F(Timer, OnlyDueTimersFireAndTheRestStayPending)
{
    Add(1, 10);
    Add(2, 20);
    Add(3, 30);
    EXPECT_EQ(fut_timers_expire(20), 2u);
    EXPECT_EQ(log_, (std::vector<int>{1, 2}));
    EXPECT_EQ(fut_timers_pending_count(), 1u);
    uint64_t next = 0;
    ASSERT_TRUE(fut_timers_next_deadline(&next));
    EXPECT_EQ(next, 30u);
    fut_timers_expire(30);
    EXPECT_FALSE(fut_timers_next_deadline(&next));
}

TEST_F(Timer, CancelledTimerNeverFires)
{
    Probe *a = Add(1, 10);
    Add(2, 10);
    EXPECT_TRUE(fut_timer_cancel(&a->timer));
    EXPECT_FALSE(fut_timer_pending(&a->timer));
    EXPECT_FALSE(fut_timer_cancel(&a->timer)); // already cancelled
    fut_timers_expire(100);
    EXPECT_EQ(log_, (std::vector<int>{2}));
}

TEST_F(Timer, CancelAfterFiringReportsNotPending)
{
    Probe *a = Add(1, 10);
    fut_timers_expire(10);
    EXPECT_FALSE(fut_timer_cancel(&a->timer));
}

TEST_F(Timer, ZeroFilledTimerIsNotPendingAndCancelsHarmlessly)
{
    fut_timer t = {};
    EXPECT_FALSE(fut_timer_pending(&t));
    EXPECT_FALSE(fut_timer_cancel(&t));
}

TEST_F(Timer, AddingAPendingTimerMovesItsDeadline)
{
    Probe *a = Add(1, 10);
    Add(2, 20);
    fut_timer_add(&a->timer, 30, ProbeFired);
    EXPECT_EQ(fut_timers_pending_count(), 2u);
    fut_timers_expire(25);
    EXPECT_EQ(log_, (std::vector<int>{2}));
    fut_timers_expire(30);
    EXPECT_EQ(log_, (std::vector<int>{2, 1}));
}

TEST_F(Timer, ReArmedTimerGoesBehindEqualDeadlines)
{
    Probe *a = Add(1, 10);
    Add(2, 10);
    fut_timer_add(&a->timer, 10, ProbeFired);
    fut_timers_expire(10);
    EXPECT_EQ(log_, (std::vector<int>{2, 1}));
}

// A periodic timer: re-adds itself for a deadline that has already passed.
struct Periodic {
    fut_timer timer = {};
    int fired = 0;
};

void PeriodicFired(fut_timer *t)
{
    Periodic *p = fut_container_of(t, Periodic, timer);
    p->fired++;
    fut_timer_add(t, fut_timers_now(), PeriodicFired);
}

TEST_F(Timer, CallbackReAddingForAPassedDeadlineFiresAtTheNextExpireNotInALoop)
{
    Periodic p;
    fut_timer_add(&p.timer, 5, PeriodicFired);
    EXPECT_EQ(fut_timers_expire(10), 1u);
    EXPECT_EQ(p.fired, 1);
    EXPECT_TRUE(fut_timer_pending(&p.timer));
    EXPECT_EQ(fut_timers_expire(10), 1u);
    EXPECT_EQ(p.fired, 2);
    fut_timer_cancel(&p.timer);
}

// Fires, then cancels its victim, which is due in the same batch.
struct Canceller {
    fut_timer timer = {};
    fut_timer *victim = nullptr;
    bool cancelled = false;
};

void CancellerFired(fut_timer *t)
{
    Canceller *c = fut_container_of(t, Canceller, timer);
    c->cancelled = fut_timer_cancel(c->victim);
}

TEST_F(Timer, CallbackCancellingATimerDueInTheSameBatchStopsIt)
{
    Canceller c;
    Probe *victim = Add(2, 20);
    c.victim = &victim->timer;
    fut_timer_add(&c.timer, 10, CancellerFired);
    EXPECT_EQ(fut_timers_expire(50), 1u);
    EXPECT_TRUE(c.cancelled);
    EXPECT_TRUE(log_.empty());
    EXPECT_EQ(fut_timers_pending_count(), 0u);
}

TEST_F(Timer, NowNeverGoesBackwards)
{
    fut_timers_expire(100);
    fut_timers_expire(50);
    EXPECT_EQ(fut_timers_now(), 100u);
    Add(1, 80); // already due by the module's clock
    EXPECT_EQ(fut_timers_expire(60), 1u);
}

TEST_F(Timer, InitSetsTheClockAndDropsPendingTimers)
{
    Add(1, 10);
    fut_timers_init(5000);
    EXPECT_EQ(fut_timers_now(), 5000u);
    EXPECT_EQ(fut_timers_pending_count(), 0u);
    EXPECT_EQ(fut_timers_expire(6000), 0u);
    EXPECT_TRUE(log_.empty());
}

TEST_F(Timer, ManyTimersWithRandomDeadlinesFireSortedAndStable)
{
    std::vector<std::pair<uint64_t, int>> expected;
    uint64_t x = 12345;
    for (int i = 0; i < 2000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t deadline = (x >> 33) % 200; // many ties
        Add(i, deadline);
        expected.push_back({deadline, i});
    }
    typedef std::pair<uint64_t, int> Entry;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Entry &a, const Entry &b) { return a.first < b.first; });
    EXPECT_TRUE(fut_timers_check());
    fut_timers_expire(1000);
    ASSERT_EQ(log_.size(), expected.size());
    for (size_t i = 0; i < expected.size(); i++)
        EXPECT_EQ(log_[i], expected[i].second) << "at " << i;
}

} // namespace
