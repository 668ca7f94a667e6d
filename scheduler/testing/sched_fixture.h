// A gtest fixture for scheduler host tests: 64 MiB of fake RAM behind kmalloc,
// the fake arch, and fresh scheduler state (idle current, no processes, timer
// clock at 0). TearDown checks that the test left everything as it found it:
// live processes and threads, kmalloc objects, pending timers, the scheduler's
// invariants, interrupts enabled and no switch made with interrupts on.
#ifndef FUTURA_SCHEDULER_TESTING_SCHED_FIXTURE_H
#define FUTURA_SCHEDULER_TESTING_SCHED_FIXTURE_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "futura/memory/kmalloc.h"
#include "futura/memory/testing/memory_fixture.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/scheduler/testing/fake_arch.h"
#include "futura/scheduler/timer.h"
#include "futura/scheduler/waitq.h"

class SchedTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        fut_test_memory_setup(64 << 20);
        fut_kmalloc_init();
        fut_fake_arch_reset();
        fut_process_init();
        fut_timers_init(0);
        fut_sched_set_slice_ticks(FUT_SCHED_DEFAULT_SLICE_TICKS);
        idle_ = fut_sched_init();
        fut_waitq_init(&park_);
        fut_task_get_stats(&tasks_at_start_);
        kmalloc_objects_at_start_ = KmallocObjects();
    }

    void TearDown() override
    {
        fut_fake_arch_set_switch_hook(nullptr, nullptr);
        EXPECT_TRUE(fut_sched_check());
        EXPECT_TRUE(fut_timers_check());
        EXPECT_EQ(fut_timers_pending_count(), 0u);
        EXPECT_TRUE(fut_fake_irqs_enabled());
        fut_fake_arch_stats arch;
        fut_fake_arch_get_stats(&arch);
        EXPECT_EQ(arch.switches_with_irqs_on, 0u);
        fut_task_stats tasks;
        fut_task_get_stats(&tasks);
        EXPECT_EQ(tasks.live_processes, tasks_at_start_.live_processes);
        EXPECT_EQ(tasks.live_threads, tasks_at_start_.live_threads);
        EXPECT_EQ(KmallocObjects(), kmalloc_objects_at_start_);
        EXPECT_TRUE(fut_kmalloc_check());
        fut_kmalloc_shrink();
        fut_test_memory_teardown();
    }

    static uint64_t KmallocObjects()
    {
        fut_kmalloc_stats s;
        fut_kmalloc_get_stats(&s);
        return s.live_objects;
    }

    // A STOPPED thread of p (nullptr: a kernel thread) with a malloc'ed
    // stand-in for its arch state, which the fake frees with the thread.
    static fut_thread *NewThread(fut_process *p = nullptr)
    {
        fut_thread *t = nullptr;
        EXPECT_EQ(fut_thread_create(p, &t), 0);
        if (t)
            t->arch = malloc(32);
        return t;
    }

    static fut_thread *StartThread(fut_process *p = nullptr)
    {
        fut_thread *t = NewThread(p);
        fut_sched_enqueue(t);
        return t;
    }

    static fut_process *NewProcess(fut_process *parent)
    {
        fut_process *p = nullptr;
        EXPECT_EQ(fut_process_create(parent, &p), 0);
        return p;
    }

    // Plays the current thread until it gives up the CPU by waiting on the
    // fixture's parking queue; returns the thread that ran.
    fut_thread *ParkCurrent()
    {
        fut_thread *t = fut_sched_current();
        fut_waitq_wait(&park_);
        return t;
    }

    // From the idle thread: lets every runnable thread run once, in the
    // scheduler's order, each parking when its turn comes. Returns the order.
    std::vector<fut_thread *> RunEachOnce()
    {
        std::vector<fut_thread *> order;
        if (fut_sched_current() == idle_)
            fut_sched_yield();
        while (fut_sched_current() != idle_)
            order.push_back(ParkCurrent());
        return order;
    }

    // The run queue, head first.
    static std::vector<fut_thread *> Queued()
    {
        std::vector<fut_thread *> q(fut_sched_runnable_count());
        size_t n = fut_sched_runqueue_snapshot(q.data(), q.size());
        q.resize(n);
        return q;
    }

    static std::vector<fut_thread *> Waiters(const fut_waitq *wq)
    {
        std::vector<fut_thread *> v;
        for (fut_list *n = wq->waiters.next; n != &wq->waiters; n = n->next)
            v.push_back(fut_container_of(n, fut_thread, wait_link));
        return v;
    }

    // Gets rid of a thread whatever its state (the current one exits).
    void Destroy(fut_thread *t)
    {
        if (t == fut_sched_current()) {
            fut_thread_exit_current();
            return;
        }
        if (t->state == FUT_THREAD_BLOCKED)
            fut_thread_interrupt(t);
        if (t->state == FUT_THREAD_RUNNABLE)
            fut_sched_dequeue(t);
        fut_thread_destroy(t);
    }

    // Exits a thread-less child and reaps it; returns the wait status.
    static int ExitAndReap(fut_process *parent, fut_process *child, int status)
    {
        int pid = child->pid, got = -1;
        fut_process_exit(child, status);
        EXPECT_EQ(fut_process_reap(parent, pid, 0, &got), pid);
        return got;
    }

    fut_thread *idle_ = nullptr;
    fut_waitq park_;
    fut_task_stats tasks_at_start_ = {};
    uint64_t kmalloc_objects_at_start_ = 0;
};

#endif
