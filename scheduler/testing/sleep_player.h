// SleepPlayer: plays "the other side" of a blocking wait in host tests.
//
// On the host a thread that waits switches (through the fake arch) to the
// idle thread and the switch returns at once. SleepPlayer installs a switch
// hook that runs a test's `play` function "while the thread sleeps": from
// the idle thread, which never blocks, it does whatever should wake the
// sleeper, then YieldTo(sleeper) so the wait returns and its loop re-checks.
// Mixed into fixtures (pipes, ttys) that already set up the scheduler and
// store its idle thread in idle_.
#ifndef FUTURA_SCHEDULER_TESTING_SLEEP_PLAYER_H
#define FUTURA_SCHEDULER_TESTING_SLEEP_PLAYER_H

#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/scheduler/testing/fake_arch.h"

namespace fut_test
{

class SleepPlayer
{
  protected:
    // A kernel thread made current, as if it had been scheduled.
    fut_thread *RunNewThread()
    {
        fut_thread *t = nullptr;
        EXPECT_EQ(fut_thread_create(nullptr, &t), 0);
        fut_sched_enqueue(t);
        fut_sched_yield();
        EXPECT_EQ(fut_sched_current(), t);
        return t;
    }

    // Ends the current thread (clearing the hook first: its last switch is
    // not a sleep) and comes back to the idle thread.
    void ExitThread()
    {
        fut_fake_arch_set_switch_hook(nullptr, nullptr);
        fut_thread_exit_current();
        EXPECT_EQ(fut_sched_current(), idle_);
    }

    // Runs `play` every time the current thread goes to sleep; `play` gets
    // the sleeper and the number of the sleep (1, 2, ...). It must end with
    // YieldTo(sleeper) so the wait returns.
    void WhileAsleep(std::function<void(fut_thread *, int)> play)
    {
        play_ = std::move(play);
        sleeps_ = 0;
        fut_fake_arch_set_switch_hook(
            [](fut_thread *prev, fut_thread *, void *ctx) {
                auto *self = static_cast<SleepPlayer *>(ctx);
                EXPECT_EQ(prev->state, FUT_THREAD_BLOCKED);
                self->play_(prev, ++self->sleeps_);
            },
            this);
    }

    // From the idle thread inside the hook: the sleeper must have been woken
    // by what was played; run it.
    void YieldTo(fut_thread *sleeper)
    {
        EXPECT_EQ(sleeper->state, FUT_THREAD_RUNNABLE);
        fut_sched_yield();
        EXPECT_EQ(fut_sched_current(), sleeper);
    }

    fut_thread *idle_ = nullptr;
    std::function<void(fut_thread *, int)> play_;
    int sleeps_ = 0; // sleeps seen since the last WhileAsleep
};

} // namespace fut_test

#endif
