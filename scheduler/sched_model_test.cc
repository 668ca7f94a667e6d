// The run queue, wait queues and timers driven by 200,000 random steps (fixed
// seed) and compared after every step with a reference model written the
// obvious way: std::deque queues and a linear scan for due deadlines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "futura/scheduler/sched.h"
#include "futura/scheduler/testing/sched_fixture.h"
#include "futura/scheduler/timer.h"
#include "futura/scheduler/waitq.h"

namespace
{

constexpr int kThreads = 12;
constexpr int kQueues = 3;
constexpr int kSteps = 200000;
constexpr int kIdle = -1;

struct ModelThread {
    fut_thread_state state = FUT_THREAD_STOPPED;
    int queue = -1;     // wait queue it is blocked on, or -1
    bool timed = false; // blocked with a deadline
    uint64_t deadline = 0;
    uint64_t timer_seq = 0; // order of timer arming, for FIFO ties
    fut_wake_reason reason = FUT_WAKE_NONE;
    bool interrupt = false;
};

class Model
{
  public:
    explicit Model(unsigned slice) : slice_(slice), slice_left_(slice), queues_(kQueues) {}

    std::vector<ModelThread> t = std::vector<ModelThread>(kThreads);
    int current = kIdle;
    std::deque<int> run_queue;
    uint64_t now = 0;

    const std::deque<int> &Queue(int q) const
    {
        return queues_[q];
    }

    void Enqueue(int i)
    {
        t[i].state = FUT_THREAD_RUNNABLE;
        run_queue.push_back(i);
    }

    void Dequeue(int i)
    {
        run_queue.erase(std::find(run_queue.begin(), run_queue.end(), i));
        t[i].state = FUT_THREAD_STOPPED;
    }

    // The current thread has stopped running; the queue's head takes over.
    void Schedule()
    {
        if (run_queue.empty()) {
            current = kIdle;
        } else {
            current = run_queue.front();
            run_queue.pop_front();
            t[current].state = FUT_THREAD_RUNNING;
        }
        slice_left_ = slice_;
    }

    void Yield()
    {
        if (current != kIdle)
            Enqueue(current);
        Schedule();
    }

    bool NeedResched() const
    {
        return !run_queue.empty() && (current == kIdle || slice_left_ == 0);
    }

    bool Tick()
    {
        if (current != kIdle && slice_left_ > 0)
            slice_left_--;
        return NeedResched();
    }

    // The current thread waits on queue q (-1: none), with a deadline if timed.
    fut_wake_reason Block(int q, bool timed, uint64_t deadline)
    {
        ModelThread &m = t[current];
        if (m.interrupt)
            return m.reason = FUT_WAKE_INTERRUPTED;
        if (timed && deadline <= now)
            return m.reason = FUT_WAKE_TIMEOUT;
        m.state = FUT_THREAD_BLOCKED;
        m.reason = FUT_WAKE_NONE;
        m.queue = q;
        if (q >= 0)
            queues_[q].push_back(current);
        m.timed = timed;
        m.deadline = deadline;
        m.timer_seq = next_seq_++;
        Schedule();
        return FUT_WAKE_NONE;
    }

    void EndWait(int i, fut_wake_reason reason)
    {
        ModelThread &m = t[i];
        if (m.queue >= 0) {
            std::deque<int> &q = queues_[m.queue];
            q.erase(std::find(q.begin(), q.end(), i));
        }
        m.queue = -1;
        m.timed = false;
        m.reason = reason;
        Enqueue(i);
    }

    int WakeOne(int q)
    {
        if (queues_[q].empty())
            return -1;
        int i = queues_[q].front();
        EndWait(i, FUT_WAKE_EVENT);
        return i;
    }

    size_t WakeAll(int q)
    {
        size_t n = 0;
        while (WakeOne(q) >= 0)
            n++;
        return n;
    }

    size_t Expire(uint64_t at)
    {
        now = std::max(now, at);
        std::vector<int> due;
        for (int i = 0; i < kThreads; i++)
            if (t[i].state == FUT_THREAD_BLOCKED && t[i].timed && t[i].deadline <= now)
                due.push_back(i);
        std::sort(due.begin(), due.end(), [this](int a, int b) {
            if (t[a].deadline != t[b].deadline)
                return t[a].deadline < t[b].deadline;
            return t[a].timer_seq < t[b].timer_seq;
        });
        for (int i : due)
            EndWait(i, FUT_WAKE_TIMEOUT);
        return due.size();
    }

    bool Interrupt(int i)
    {
        t[i].interrupt = true;
        if (t[i].state != FUT_THREAD_BLOCKED)
            return false;
        EndWait(i, FUT_WAKE_INTERRUPTED);
        return true;
    }

    size_t PendingTimers() const
    {
        size_t n = 0;
        for (const ModelThread &m : t)
            n += m.state == FUT_THREAD_BLOCKED && m.timed;
        return n;
    }

  private:
    unsigned slice_;
    unsigned slice_left_;
    std::vector<std::deque<int>> queues_;
    uint64_t next_seq_ = 0;
};

class SchedModel : public SchedTest
{
  protected:
    fut_thread *Real(int i) const
    {
        return i == kIdle ? idle_ : threads_[i];
    }
    std::vector<fut_thread *> Real(const std::deque<int> &q) const
    {
        std::vector<fut_thread *> v;
        for (int i : q)
            v.push_back(Real(i));
        return v;
    }
    // Everything observable must agree; returns false (and reports) on the first difference.
    bool Matches(const Model &m, int step)
    {
        EXPECT_EQ(fut_sched_current(), Real(m.current)) << "step " << step;
        EXPECT_EQ(Queued(), Real(m.run_queue)) << "step " << step;
        for (int q = 0; q < kQueues; q++) {
            EXPECT_EQ(Waiters(&queues_[q]), Real(m.Queue(q))) << "step " << step << " queue " << q;
            EXPECT_TRUE(fut_waitq_check(&queues_[q]));
        }
        for (int i = 0; i < kThreads; i++) {
            const ModelThread &mt = m.t[i];
            fut_thread *rt = threads_[i];
            EXPECT_EQ(rt->state, mt.state) << "step " << step << " thread " << i;
            EXPECT_EQ(rt->wake_reason, mt.reason) << "step " << step << " thread " << i;
            EXPECT_EQ(rt->interrupt_pending, mt.interrupt) << "step " << step << " thread " << i;
            EXPECT_EQ(fut_timer_pending(&rt->wait_timer),
                      mt.state == FUT_THREAD_BLOCKED && mt.timed)
                << "step " << step << " thread " << i;
        }
        EXPECT_EQ(fut_timers_pending_count(), m.PendingTimers()) << "step " << step;
        EXPECT_EQ(fut_sched_need_resched(), m.NeedResched()) << "step " << step;
        EXPECT_TRUE(fut_sched_check()) << "step " << step;
        EXPECT_TRUE(fut_timers_check()) << "step " << step;
        return !::testing::Test::HasFailure();
    }

    std::vector<fut_thread *> threads_;
    fut_waitq queues_[kQueues];
};

TEST_F(SchedModel, RandomStepsMatchTheReferenceModel)
{
    const unsigned kSlice = 3;
    fut_sched_set_slice_ticks(kSlice);
    Model m(kSlice);
    for (fut_waitq &q : queues_)
        fut_waitq_init(&q);
    for (int i = 0; i < kThreads; i++)
        threads_.push_back(NewThread());

    std::mt19937_64 rng(20261207);
    auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
    int counts[12] = {};
    for (int step = 0; step < kSteps; step++) {
        int op = pick(12);
        counts[op]++;
        int i = pick(kThreads), q = pick(kQueues);
        switch (op) {
        case 0: // the current thread waits, maybe with a deadline (sometimes already past)
        case 1: {
            if (m.current == kIdle)
                break;
            bool timed = op == 1;
            uint64_t deadline = m.now + static_cast<uint64_t>(pick(60));
            if (timed && pick(10) == 0)
                deadline = m.now - std::min<uint64_t>(m.now, static_cast<uint64_t>(pick(5)));
            fut_wake_reason want = m.Block(q, timed, deadline);
            fut_wake_reason got =
                timed ? fut_waitq_wait_timeout(&queues_[q], deadline) : fut_waitq_wait(&queues_[q]);
            EXPECT_EQ(got, want) << "step " << step;
            break;
        }
        case 2: { // nanosleep
            if (m.current == kIdle)
                break;
            uint64_t deadline = m.now + static_cast<uint64_t>(pick(40));
            fut_wake_reason want = m.Block(-1, true, deadline);
            EXPECT_EQ(fut_sleep_until(deadline), want) << "step " << step;
            break;
        }
        case 3: {
            int want = m.WakeOne(q);
            EXPECT_EQ(fut_waitq_wake_one(&queues_[q]), want < 0 ? nullptr : Real(want));
            break;
        }
        case 4: EXPECT_EQ(fut_waitq_wake_all(&queues_[q]), m.WakeAll(q)); break;
        case 5: { // a timer interrupt: expire, tick, maybe preempt
            uint64_t at = m.now + static_cast<uint64_t>(pick(20));
            EXPECT_EQ(fut_timers_expire(at), m.Expire(at)) << "step " << step;
            bool want = m.Tick();
            EXPECT_EQ(fut_sched_tick(), want) << "step " << step;
            if (want) {
                m.Yield();
                fut_sched_yield();
            }
            break;
        }
        case 6:
            m.Yield();
            fut_sched_yield();
            break;
        case 7: { // time passes without a tick (a one-shot timer)
            uint64_t at = m.now + static_cast<uint64_t>(pick(30));
            EXPECT_EQ(fut_timers_expire(at), m.Expire(at)) << "step " << step;
            break;
        }
        case 8:
            if (pick(4) == 0) {
                m.t[i].interrupt = false;
                fut_thread_clear_interrupt(threads_[i]);
            } else if (pick(3) == 0) {
                EXPECT_EQ(fut_thread_interrupt(threads_[i]), m.Interrupt(i));
            }
            break;
        case 9: // stop or start a thread
            if (m.t[i].state == FUT_THREAD_RUNNABLE) {
                m.Dequeue(i);
                fut_sched_dequeue(threads_[i]);
            } else if (m.t[i].state == FUT_THREAD_STOPPED) {
                m.Enqueue(i);
                fut_sched_enqueue(threads_[i]);
            }
            break;
        case 10: // signals are delivered now and then
            for (int k = 0; k < kThreads; k++) {
                m.t[k].interrupt = false;
                fut_thread_clear_interrupt(threads_[k]);
            }
            break;
        case 11: // the idle loop
            if (m.current == kIdle && m.NeedResched()) {
                m.Yield();
                fut_sched_yield();
            }
            break;
        }
        if (!Matches(m, step))
            break;
    }
    for (int c : counts)
        EXPECT_GT(c, kSteps / 20);
    for (fut_thread *t : threads_) {
        fut_thread_clear_interrupt(t);
        Destroy(t);
    }
}

} // namespace
