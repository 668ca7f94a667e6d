// The run queue: round-robin order, time slices and preemption, the idle
// thread, and freeing of threads that have died.
#include "futura/scheduler/sched.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "futura/fake_hal.h"
#include "futura/lib/printk.h"

#include "futura/scheduler/testing/sched_fixture.h"

namespace
{

using Threads = std::vector<fut_thread *>;

class RunQueue : public SchedTest
{
};

TEST_F(RunQueue, StartsWithTheIdleThreadRunningAndNothingQueued)
{
    EXPECT_EQ(fut_sched_current(), idle_);
    EXPECT_EQ(idle_->state, FUT_THREAD_RUNNING);
    EXPECT_EQ(idle_->tid, 0);
    EXPECT_EQ(fut_sched_runnable_count(), 0u);
    EXPECT_EQ(fut_sched_pick_next(), idle_);
}

TEST_F(RunQueue, YieldingThreadsRunRoundRobinInEnqueueOrder)
{
    fut_thread *a = StartThread(), *b = StartThread(), *c = StartThread();
    Threads ran;
    for (int i = 0; i < 7; i++) {
        fut_sched_yield();
        ran.push_back(fut_sched_current());
    }
    // The idle thread hands over to a and never re-enters the rotation.
    EXPECT_EQ(ran, (Threads{a, b, c, a, b, c, a}));
    EXPECT_EQ(Queued(), (Threads{b, c}));
    Destroy(a);
    Destroy(b);
    Destroy(c);
}

TEST_F(RunQueue, EachSwitchCallsTheArchHookOnceWithInterruptsOff)
{
    fut_thread *a = StartThread(), *b = StartThread();
    fut_sched_yield(); // idle -> a
    fut_sched_yield(); // a -> b
    fut_fake_arch_stats arch;
    fut_fake_arch_get_stats(&arch);
    EXPECT_EQ(arch.switches, 2u);
    EXPECT_EQ(arch.switches_with_irqs_on, 0u);
    EXPECT_TRUE(fut_fake_irqs_enabled());
    fut_sched_stats stats;
    fut_sched_get_stats(&stats);
    EXPECT_EQ(stats.switches, 2u);
    Destroy(a);
    Destroy(b);
}

TEST_F(RunQueue, YieldWithNothingElseRunnableKeepsRunningWithoutASwitch)
{
    fut_thread *a = StartThread();
    fut_sched_yield();
    ASSERT_EQ(fut_sched_current(), a);
    fut_sched_yield();
    EXPECT_EQ(fut_sched_current(), a);
    EXPECT_EQ(a->state, FUT_THREAD_RUNNING);
    fut_fake_arch_stats arch;
    fut_fake_arch_get_stats(&arch);
    EXPECT_EQ(arch.switches, 1u);
    Destroy(a);
}

TEST_F(RunQueue, IdleRunsWhenTheLastThreadBlocks)
{
    fut_thread *a = StartThread();
    fut_sched_yield();
    ParkCurrent();
    EXPECT_EQ(fut_sched_current(), idle_);
    EXPECT_EQ(idle_->state, FUT_THREAD_RUNNING);
    EXPECT_EQ(a->state, FUT_THREAD_BLOCKED);
    Destroy(a);
}

TEST_F(RunQueue, BlockedThreadLeavesTheRotationUntilWoken)
{
    fut_thread *a = StartThread(), *b = StartThread(), *c = StartThread();
    fut_sched_yield(); // a runs
    ParkCurrent();     // a blocks; b runs
    EXPECT_EQ(Queued(), (Threads{c}));
    fut_sched_yield(); // b -> c
    fut_sched_yield(); // c -> b: a is not in the rotation
    EXPECT_EQ(fut_sched_current(), b);
    fut_waitq_wake_one(&park_); // a joins the tail
    EXPECT_EQ(Queued(), (Threads{c, a}));
    Destroy(a);
    Destroy(b);
    Destroy(c);
}

TEST_F(RunQueue, DequeuedThreadIsSkippedAndReturnsAtTheTailWhenEnqueued)
{
    fut_thread *a = StartThread(), *b = StartThread(), *c = StartThread();
    fut_sched_dequeue(b);
    EXPECT_EQ(b->state, FUT_THREAD_STOPPED);
    EXPECT_EQ(Queued(), (Threads{a, c}));
    fut_sched_enqueue(b);
    EXPECT_EQ(Queued(), (Threads{a, c, b}));
    EXPECT_EQ(RunEachOnce(), (Threads{a, c, b}));
    fut_waitq_wake_all(&park_);
    Destroy(a);
    Destroy(b);
    Destroy(c);
}

TEST_F(RunQueue, PickNextTakesTheHeadAndFallsBackToIdle)
{
    fut_thread *a = StartThread(), *b = StartThread();
    EXPECT_EQ(fut_sched_pick_next(), a);
    EXPECT_EQ(fut_sched_pick_next(), b);
    EXPECT_EQ(fut_sched_pick_next(), idle_);
    EXPECT_EQ(fut_sched_runnable_count(), 0u);
    // Picked threads are off the queue but still RUNNABLE: put them back.
    a->state = b->state = FUT_THREAD_STOPPED;
    Destroy(a);
    Destroy(b);
}

class Preemption : public SchedTest
{
};

TEST_F(Preemption, ThreadIsPreemptedAfterExactlyItsSliceOfTicks)
{
    fut_sched_set_slice_ticks(3);
    fut_thread *a = StartThread(), *b = StartThread();
    fut_sched_yield(); // a runs with a fresh slice
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_TRUE(fut_sched_tick());
    fut_sched_yield(); // what the timer interrupt does when tick says so
    EXPECT_EQ(fut_sched_current(), b);
    EXPECT_EQ(Queued(), (Threads{a}));
    // b gets a whole slice of its own.
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_TRUE(fut_sched_tick());
    Destroy(a);
    Destroy(b);
}

TEST_F(Preemption, TickDrivenRotationGivesEveryThreadEqualTicks)
{
    fut_sched_set_slice_ticks(4);
    Threads t;
    for (int i = 0; i < 5; i++)
        t.push_back(StartThread());
    fut_sched_yield();
    Threads ran;
    for (int tick = 0; tick < 5 * 4 * 3; tick++) {
        if (fut_sched_tick()) {
            ran.push_back(fut_sched_current());
            fut_sched_yield();
        }
    }
    EXPECT_EQ(ran, (Threads{t[0], t[1], t[2], t[3], t[4], t[0], t[1], t[2], t[3], t[4], t[0], t[1],
                            t[2], t[3], t[4]}));
    for (fut_thread *x : t) {
        EXPECT_EQ(x->run_ticks, 12u);
        Destroy(x);
    }
}

TEST_F(Preemption, ExpiredSliceWithNothingElseRunnableKeepsRunningUntilSomethingIs)
{
    fut_sched_set_slice_ticks(2);
    fut_thread *a = StartThread();
    fut_sched_yield();
    for (int i = 0; i < 10; i++)
        EXPECT_FALSE(fut_sched_tick());
    EXPECT_FALSE(fut_sched_need_resched());
    fut_thread *b = StartThread();
    EXPECT_TRUE(fut_sched_need_resched()); // without waiting for another slice
    EXPECT_TRUE(fut_sched_tick());
    Destroy(a);
    Destroy(b);
}

TEST_F(Preemption, IdleThreadGivesWayAsSoonAsAThreadIsRunnable)
{
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_FALSE(fut_sched_need_resched());
    fut_thread *a = StartThread();
    EXPECT_TRUE(fut_sched_need_resched());
    EXPECT_TRUE(fut_sched_tick());
    fut_sched_stats stats;
    fut_sched_get_stats(&stats);
    EXPECT_EQ(stats.ticks, 2u);
    EXPECT_EQ(stats.idle_ticks, 2u);
    Destroy(a);
}

TEST_F(Preemption, ThreadThatBlocksMidSliceLetsTheNextStartAFullSlice)
{
    fut_sched_set_slice_ticks(3);
    fut_thread *a = StartThread(), *b = StartThread(), *c = StartThread();
    fut_sched_yield();
    fut_sched_tick();
    fut_sched_tick();
    ParkCurrent(); // a blocks with one tick left
    EXPECT_EQ(fut_sched_current(), b);
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_FALSE(fut_sched_tick());
    EXPECT_TRUE(fut_sched_tick());
    Destroy(a);
    Destroy(b);
    Destroy(c);
}

TEST_F(Preemption, TicksAreChargedToTheRunningThreadAndItsProcess)
{
    fut_process *p = NewProcess(nullptr);
    fut_thread *a = StartThread(p), *k = StartThread();
    fut_sched_yield(); // a
    fut_sched_tick();
    fut_sched_tick();
    fut_sched_yield(); // k
    fut_sched_tick();
    EXPECT_EQ(a->run_ticks, 2u);
    EXPECT_EQ(p->run_ticks, 2u);
    EXPECT_EQ(k->run_ticks, 1u);
    Destroy(k); // current: exits, a runs
    fut_process_exit(p, fut_wstatus_exited(0));
    Destroy(a); // last thread of a parentless process: freed
}

class ThreadExit : public SchedTest
{
};

TEST_F(ThreadExit, DeadThreadIsFreedOnceTheCpuHasSwitchedAway)
{
    fut_thread *a = StartThread(), *b = StartThread();
    fut_sched_yield();
    ASSERT_EQ(fut_sched_current(), a);
    fut_thread_exit_current();
    EXPECT_EQ(fut_sched_current(), b);
    fut_fake_arch_stats arch;
    fut_fake_arch_get_stats(&arch);
    EXPECT_EQ(arch.arch_frees, 1u);
    fut_task_stats tasks;
    fut_task_get_stats(&tasks);
    EXPECT_EQ(tasks.live_threads, tasks_at_start_.live_threads + 1);
    Destroy(b);
}

// While `prev` is switched out, plays the thread it switched to: that thread
// exits at once, which switches to whatever runs next.
void ExitNext(fut_thread *, fut_thread *, void *)
{
    fut_thread_exit_current();
}

TEST_F(ThreadExit, DeadThreadIsFreedByTheThreadThatResumes)
{
    fut_thread *a = StartThread(), *b = StartThread();
    fut_sched_yield(); // a
    ASSERT_EQ(Queued(), (Threads{b}));
    fut_fake_arch_set_switch_hook(ExitNext, nullptr);
    fut_sched_yield(); // a -> b, b exits -> a resumes and frees b
    EXPECT_EQ(fut_sched_current(), a);
    fut_task_stats tasks;
    fut_task_get_stats(&tasks);
    EXPECT_EQ(tasks.live_threads, tasks_at_start_.live_threads + 1);
    fut_fake_arch_set_switch_hook(nullptr, nullptr);
    Destroy(a);
}

TEST_F(ThreadExit, NeverStartedThreadIsDestroyedWithItsArchState)
{
    fut_thread *a = NewThread();
    fut_thread_destroy(a);
    fut_fake_arch_stats arch;
    fut_fake_arch_get_stats(&arch);
    EXPECT_EQ(arch.arch_frees, 1u);
}

using SchedDeathTest = SchedTest;

// A death test's child has its own fake console: copy it to stderr on exit,
// where EXPECT_EXIT matches the panic message.
void CopyConsoleToStderr()
{
    fputs(fut_fake_console_output(), stderr);
}

void IdleWaits()
{
    atexit(CopyConsoleToStderr);
    fut_waitq wq;
    fut_waitq_init(&wq);
    fut_waitq_wait(&wq);
}

TEST_F(SchedDeathTest, IdleThreadCannotBlock)
{
    EXPECT_EXIT(IdleWaits(), ::testing::ExitedWithCode(FUT_EXIT_PANIC),
                "PANIC: waitq: the idle thread cannot wait");
}

void EnqueueTwice(fut_thread *t)
{
    atexit(CopyConsoleToStderr);
    fut_sched_enqueue(t);
}

TEST_F(SchedDeathTest, EnqueueOfARunnableThreadIsAKernelBug)
{
    fut_thread *a = StartThread();
    EXPECT_EXIT(EnqueueTwice(a), ::testing::ExitedWithCode(FUT_EXIT_PANIC),
                "PANIC: sched: enqueue of thread 0 in state 1");
    Destroy(a);
}

} // namespace
