// Processes: pid allocation, the process tree, exit, zombies and orphans, and
// wait4's selection and wait-status encodings.
#include "futura/scheduler/task.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "futura/errno.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/testing/sched_fixture.h"

namespace
{

using Processes = std::vector<fut_process *>;

class Pid : public SchedTest
{
};

TEST_F(Pid, PidsStartAtOneAndCountUp)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *a = NewProcess(init), *b = NewProcess(init);
    EXPECT_EQ(init->pid, 1);
    EXPECT_EQ(a->pid, 2);
    EXPECT_EQ(b->pid, 3);
    ExitAndReap(init, a, 0);
    // A freed pid is not handed out again until the counter comes round.
    fut_process *c = NewProcess(init);
    EXPECT_EQ(c->pid, 4);
    ExitAndReap(init, b, 0);
    ExitAndReap(init, c, 0);
    fut_process_exit(init, 0);
}

TEST_F(Pid, AllocationWrapsAfterPidMaxAndSkipsLivePids)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *keep = NewProcess(init); // pid 2 stays taken
    int last = 0;
    while (last != FUT_PID_MAX) {
        fut_process *c = NewProcess(init);
        ASSERT_NE(c, nullptr);
        ASSERT_GT(c->pid, last);
        last = c->pid;
        ExitAndReap(init, c, 0);
    }
    fut_process *wrapped = NewProcess(init);
    EXPECT_EQ(wrapped->pid, 3); // 1 and 2 are live
    ExitAndReap(init, wrapped, 0);
    ExitAndReap(init, keep, 0);
    fut_process_exit(init, 0);
}

TEST_F(Pid, ExhaustionReturnsEagainUntilAPidIsFreed)
{
    Processes all;
    for (int i = 1; i <= FUT_PID_MAX; i++) {
        fut_process *p = nullptr;
        ASSERT_EQ(fut_process_create(nullptr, &p), 0) << i;
        all.push_back(p);
    }
    fut_process *p = nullptr;
    EXPECT_EQ(fut_process_create(nullptr, &p), -EAGAIN);
    EXPECT_EQ(p, nullptr);
    fut_process_exit(all[4241], 0); // parentless, no threads: freed at once
    EXPECT_EQ(fut_process_find(4242), nullptr);
    ASSERT_EQ(fut_process_create(nullptr, &p), 0);
    EXPECT_EQ(p->pid, 4242);
    all[4241] = p;
    for (fut_process *q : all)
        fut_process_exit(q, 0);
}

TEST_F(Pid, IdStillNamingAProcessGroupOrSessionIsNotReused)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *leader = NewProcess(init); // pid 2
    fut_process *member = NewProcess(init); // pid 3
    fut_process_set_pgid(leader, leader->pid);
    fut_process_set_pgid(member, leader->pid);
    fut_process *other = NewProcess(init); // pid 4
    fut_process_set_sid(other, 4);
    fut_process_set_pgid(other, 4);
    ExitAndReap(init, leader, 0);
    ExitAndReap(init, other, 0);
    std::vector<int> seen;
    for (int i = 0; i < FUT_PID_MAX; i++) {
        fut_process *c = NewProcess(init);
        seen.push_back(c->pid);
        ExitAndReap(init, c, 0);
    }
    for (int pid : seen)
        EXPECT_NE(pid, 2) << "group 2 still has a member";
    // 4 named nothing after `other` was reaped; it comes round again.
    EXPECT_NE(std::find(seen.begin(), seen.end(), 4), seen.end());
    ExitAndReap(init, member, 0);
    fut_process_exit(init, 0);
}

TEST_F(Pid, DestroyedNeverStartedChildVanishesWithoutAZombie)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *c = NewProcess(init);
    fut_process_destroy(c); // fork failed after creating it
    EXPECT_EQ(fut_process_find(2), nullptr);
    EXPECT_EQ(fut_process_reap(init, -1, FUT_WNOHANG, nullptr), -ECHILD);
    fut_process_exit(init, 0);
}

TEST_F(Pid, FindSeesLiveAndZombieProcessesButNotReapedOnes)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *c = NewProcess(init);
    EXPECT_EQ(fut_process_find(1), init);
    EXPECT_EQ(fut_process_find(2), c);
    EXPECT_EQ(fut_process_find(0), nullptr);
    EXPECT_EQ(fut_process_find(-1), nullptr);
    EXPECT_EQ(fut_process_find(99), nullptr);
    fut_process_exit(c, 0);
    EXPECT_EQ(fut_process_find(2), c);
    EXPECT_EQ(c->state, FUT_PROCESS_ZOMBIE);
    EXPECT_EQ(fut_process_reap(init, 2, 0, nullptr), 2);
    EXPECT_EQ(fut_process_find(2), nullptr);
    fut_process_exit(init, 0);
}

TEST_F(Pid, ChildInheritsGroupAndSessionParentlessProcessLeadsItsOwn)
{
    fut_process *init = NewProcess(nullptr);
    EXPECT_EQ(init->pgid, 1);
    EXPECT_EQ(init->sid, 1);
    fut_process *c = NewProcess(init);
    EXPECT_EQ(c->pgid, 1);
    EXPECT_EQ(c->sid, 1);
    EXPECT_EQ(c->parent, init);
    ExitAndReap(init, c, 0);
    fut_process_exit(init, 0);
}

class Reap : public SchedTest
{
  protected:
    void SetUp() override
    {
        SchedTest::SetUp();
        parent_ = NewProcess(nullptr);
    }
    void TearDown() override
    {
        int status;
        while (fut_process_reap(parent_, -1, 0, &status) > 0) {
        }
        fut_process_exit(parent_, 0);
        SchedTest::TearDown();
    }
    fut_process *parent_ = nullptr;
};

TEST_F(Reap, SpecificPidReapsOnlyThatChild)
{
    fut_process *a = NewProcess(parent_), *b = NewProcess(parent_);
    fut_process_exit(b, fut_wstatus_exited(7));
    int status = -1;
    EXPECT_EQ(fut_process_reap(parent_, a->pid, FUT_WNOHANG, &status), 0); // a still runs
    EXPECT_EQ(status, -1);
    int bpid = b->pid;
    EXPECT_EQ(fut_process_reap(parent_, bpid, 0, &status), bpid);
    EXPECT_EQ(status, fut_wstatus_exited(7));
    EXPECT_EQ(fut_process_reap(parent_, bpid, 0, &status), -ECHILD); // gone
    fut_process_exit(a, 0);
}

TEST_F(Reap, AnyChildReapsZombiesOldestChildFirst)
{
    fut_process *a = NewProcess(parent_), *b = NewProcess(parent_), *c = NewProcess(parent_);
    int apid = a->pid, bpid = b->pid, cpid = c->pid;
    fut_process_exit(c, fut_wstatus_exited(3));
    fut_process_exit(a, fut_wstatus_exited(1));
    int status = 0;
    EXPECT_EQ(fut_process_reap(parent_, -1, 0, &status), apid);
    EXPECT_EQ(status, fut_wstatus_exited(1));
    EXPECT_EQ(fut_process_reap(parent_, -1, 0, &status), cpid);
    EXPECT_EQ(status, fut_wstatus_exited(3));
    EXPECT_EQ(fut_process_reap(parent_, -1, FUT_WNOHANG, &status), 0); // b runs
    fut_process_exit(b, fut_wstatus_signaled(9, false));
    EXPECT_EQ(fut_process_reap(parent_, -1, 0, &status), bpid);
    EXPECT_EQ(status, fut_wstatus_signaled(9, false));
    EXPECT_EQ(fut_process_reap(parent_, -1, 0, &status), -ECHILD);
}

TEST_F(Reap, NoChildrenOrSomeoneElsesChildIsEchild)
{
    EXPECT_EQ(fut_process_reap(parent_, -1, 0, nullptr), -ECHILD);
    EXPECT_EQ(fut_process_reap(parent_, -1, FUT_WNOHANG, nullptr), -ECHILD);
    EXPECT_EQ(fut_process_reap(parent_, 0, 0, nullptr), -ECHILD);
    fut_process *c = NewProcess(parent_);
    fut_process *grandchild = NewProcess(c);
    int gpid = grandchild->pid;
    fut_process_exit(grandchild, 0);
    EXPECT_EQ(fut_process_reap(parent_, gpid, 0, nullptr), -ECHILD);
    EXPECT_EQ(fut_process_reap(parent_, 12345, 0, nullptr), -ECHILD);
    EXPECT_EQ(fut_process_reap(c, gpid, 0, nullptr), gpid);
    fut_process_exit(c, 0);
}

TEST_F(Reap, WnohangReturnsZeroWhileSelectedChildrenAreAlive)
{
    fut_process *a = NewProcess(parent_);
    EXPECT_EQ(fut_process_reap(parent_, -1, FUT_WNOHANG, nullptr), 0);
    EXPECT_EQ(fut_process_reap(parent_, a->pid, FUT_WNOHANG | FUT_WUNTRACED, nullptr), 0);
    fut_process_exit(a, 0);
}

TEST_F(Reap, UnknownOptionsAreEinvalAndIntMinIsEsrch)
{
    fut_process *a = NewProcess(parent_);
    int apid = a->pid;
    fut_process_exit(a, 0);
    EXPECT_EQ(fut_process_reap(parent_, -1, 0x4, nullptr), -EINVAL); // WSTOPPED: waitid only
    EXPECT_EQ(fut_process_reap(parent_, -1, 0x100, nullptr), -EINVAL);
    EXPECT_EQ(fut_process_reap(parent_, INT32_MIN, 0, nullptr), -ESRCH);
    EXPECT_EQ(a->state, FUT_PROCESS_ZOMBIE); // nothing reaped by the refusals
    EXPECT_EQ(fut_process_reap(parent_, -1, FUT_WALL | FUT_WNOTHREAD, nullptr), apid);
}

TEST_F(Reap, ZeroSelectsTheCallersGroupAndMinusPgidThatGroup)
{
    fut_process *same = NewProcess(parent_);
    fut_process *other = NewProcess(parent_);
    fut_process_set_pgid(other, other->pid);
    int same_pid = same->pid, other_pid = other->pid;
    fut_process_exit(other, fut_wstatus_exited(2));
    EXPECT_EQ(fut_process_reap(parent_, 0, FUT_WNOHANG, nullptr), 0); // `same` alive
    EXPECT_EQ(fut_process_reap(parent_, -999, 0, nullptr), -ECHILD);
    EXPECT_EQ(fut_process_reap(parent_, -other_pid, 0, nullptr), other_pid);
    EXPECT_EQ(fut_process_reap(parent_, -other_pid, 0, nullptr), -ECHILD);
    fut_process_exit(same, 0);
    EXPECT_EQ(fut_process_reap(parent_, -parent_->pgid, 0, nullptr), same_pid);
}

TEST_F(Reap, ZombieRecordLivesUntilReapedAndIsFreedThen)
{
    fut_task_stats before, zombie, after;
    fut_task_get_stats(&before);
    fut_process *c = NewProcess(parent_);
    fut_process_exit(c, 0);
    fut_task_get_stats(&zombie);
    EXPECT_EQ(zombie.live_processes, before.live_processes + 1);
    uint64_t objects = KmallocObjects();
    fut_process_reap(parent_, -1, 0, nullptr);
    fut_task_get_stats(&after);
    EXPECT_EQ(after.live_processes, before.live_processes);
    EXPECT_EQ(KmallocObjects(), objects - 1);
}

TEST_F(Reap, ExitIsRecordedOnceLaterExitsAreIgnored)
{
    fut_process *c = NewProcess(parent_);
    fut_process_exit(c, fut_wstatus_exited(5));
    fut_process_exit(c, fut_wstatus_exited(6));
    int status = 0;
    fut_process_reap(parent_, -1, 0, &status);
    EXPECT_EQ(status, fut_wstatus_exited(5));
}

class Exit : public SchedTest
{
};

TEST_F(Exit, ChildrenOfAnExitingProcessAreReparentedToInit)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *p = NewProcess(init);
    fut_process *live = NewProcess(p), *dead = NewProcess(p);
    fut_process_exit(dead, fut_wstatus_exited(4));
    fut_process_exit(p, 0);
    EXPECT_EQ(live->parent, init);
    EXPECT_EQ(dead->parent, init);
    EXPECT_EQ(fut_process_reap(p, -1, FUT_WNOHANG, nullptr), -ECHILD);
    // init now reaps p and the orphaned zombie, and waits for the live one.
    int status = 0, dead_pid = dead->pid, ppid = p->pid;
    EXPECT_EQ(fut_process_reap(init, ppid, 0, nullptr), ppid);
    EXPECT_EQ(fut_process_reap(init, -1, 0, &status), dead_pid);
    EXPECT_EQ(status, fut_wstatus_exited(4));
    EXPECT_EQ(fut_process_reap(init, -1, FUT_WNOHANG, nullptr), 0);
    ExitAndReap(init, live, 0);
    fut_process_exit(init, 0);
}

TEST_F(Exit, InitIsWokenWhenAnOrphanedZombieArrives)
{
    fut_process *init = NewProcess(nullptr);
    fut_thread *init_thread = StartThread(init);
    fut_process *p = NewProcess(init);
    fut_process *orphan = NewProcess(p);
    fut_process_exit(orphan, 0);
    fut_sched_yield();
    fut_waitq_wait(&init->child_exit); // init's thread in wait4
    fut_process *bystander = NewProcess(nullptr);
    ASSERT_EQ(init_thread->state, FUT_THREAD_BLOCKED);
    fut_process_exit(bystander, 0); // parentless: wakes nobody
    EXPECT_EQ(init_thread->state, FUT_THREAD_BLOCKED);
    // p's exit hands the zombie to init (and p is a zombie child of init too).
    fut_process_exit(p, 0);
    EXPECT_EQ(init_thread->state, FUT_THREAD_RUNNABLE);
    EXPECT_EQ(init_thread->wake_reason, FUT_WAKE_EVENT);
    while (fut_process_reap(init, -1, 0, nullptr) > 0) {
    }
    fut_process_exit(init, 0);
    Destroy(init_thread);
}

TEST_F(Exit, WithoutInitOrphansAreFreedAsSoonAsTheyExit)
{
    fut_process *p = NewProcess(nullptr); // pid 1, but it is the one exiting
    fut_process *c = NewProcess(p), *z = NewProcess(p);
    fut_process_exit(z, 0);
    fut_task_stats before, after;
    fut_task_get_stats(&before);
    fut_process_exit(p, 0); // p (parentless) and its zombie child are freed
    fut_task_get_stats(&after);
    EXPECT_EQ(after.live_processes, before.live_processes - 2);
    EXPECT_EQ(c->parent, nullptr);
    EXPECT_EQ(c->state, FUT_PROCESS_RUNNING);
    fut_process_exit(c, 0); // freed: nobody can wait for it
    fut_task_get_stats(&after);
    EXPECT_EQ(after.live_processes, before.live_processes - 3);
}

TEST_F(Exit, ProcessBecomesAZombieOnlyWhenItsLastThreadHasDied)
{
    fut_process *init = NewProcess(nullptr);
    fut_thread *waiter = StartThread(init);
    fut_process *c = NewProcess(init);
    fut_thread *ct = StartThread(c);
    fut_sched_yield();
    fut_waitq_wait(&init->child_exit); // init waits; c's thread runs
    ASSERT_EQ(fut_sched_current(), ct);
    EXPECT_EQ(ct->tid, c->pid);
    fut_process_exit(c, fut_wstatus_exited(9));
    EXPECT_EQ(c->state, FUT_PROCESS_EXITING);
    EXPECT_EQ(waiter->state, FUT_THREAD_BLOCKED);
    EXPECT_EQ(fut_process_reap(init, -1, FUT_WNOHANG, nullptr), 0);
    fut_thread_exit_current();
    EXPECT_EQ(c->state, FUT_PROCESS_ZOMBIE);
    EXPECT_EQ(c->nr_threads, 0u);
    EXPECT_EQ(fut_sched_current(), waiter); // woken and picked
    int status = 0, cpid = c->pid;
    EXPECT_EQ(fut_process_reap(init, -1, 0, &status), cpid);
    EXPECT_EQ(status, fut_wstatus_exited(9));
    fut_process_exit(init, 0);
    Destroy(waiter);
}

// The hook plays the child while the parent is switched out in wait4: the
// child exits, its thread dies, and the CPU comes back to the parent.
void ChildExitsWithStatus42(fut_thread *, fut_thread *next, void *)
{
    fut_process_exit(next->proc, fut_wstatus_exited(42));
    fut_thread_exit_current();
}

TEST_F(Exit, WaitBlocksUntilAChildExitsThenReapsIt)
{
    fut_process *parent = NewProcess(nullptr);
    fut_thread *pt = StartThread(parent);
    fut_process *child = NewProcess(parent);
    int cpid = child->pid;
    fut_sched_yield();
    StartThread(child); // runs while the parent waits
    fut_fake_arch_set_switch_hook(ChildExitsWithStatus42, nullptr);
    int status = 0;
    EXPECT_EQ(fut_process_wait(parent, -1, 0, &status), cpid);
    EXPECT_EQ(status, fut_wstatus_exited(42));
    EXPECT_EQ(fut_sched_current(), pt);
    fut_fake_arch_set_switch_hook(nullptr, nullptr);
    EXPECT_EQ(fut_process_wait(parent, -1, 0, &status), -ECHILD);
    fut_process_exit(parent, 0);
    Destroy(pt);
}

// Plays a signal arriving while the parent waits, then idle yields back.
void InterruptPrev(fut_thread *prev, fut_thread *, void *)
{
    fut_thread_interrupt(prev);
    fut_sched_yield();
}

TEST_F(Exit, WaitInterruptedBySignalReturnsEintr)
{
    fut_process *parent = NewProcess(nullptr);
    fut_thread *pt = StartThread(parent);
    fut_process *child = NewProcess(parent);
    fut_sched_yield();
    fut_fake_arch_set_switch_hook(InterruptPrev, nullptr);
    EXPECT_EQ(fut_process_wait(parent, -1, 0, nullptr), -EINTR);
    EXPECT_EQ(fut_sched_current(), pt);
    EXPECT_EQ(fut_process_wait(parent, -1, FUT_WNOHANG, nullptr), 0);
    fut_fake_arch_set_switch_hook(nullptr, nullptr);
    ExitAndReap(parent, child, 0);
    fut_process_exit(parent, 0);
    Destroy(pt);
}

class Thread : public SchedTest
{
};

TEST_F(Thread, UserThreadTidIsItsPidAndOnlyOneThreadPerProcessForNow)
{
    fut_process *p = NewProcess(nullptr);
    fut_thread *t = NewThread(p), *second = nullptr;
    EXPECT_EQ(t->tid, p->pid);
    EXPECT_EQ(t->proc, p);
    EXPECT_EQ(p->nr_threads, 1u);
    EXPECT_EQ(fut_thread_create(p, &second), -EINVAL);
    fut_process_exit(p, 0);
    EXPECT_EQ(p->state, FUT_PROCESS_EXITING);
    Destroy(t); // the last thread of a parentless exiting process: both freed
}

TEST_F(Thread, ExitedProcessGetsNoThreadsOrChildren)
{
    fut_process *init = NewProcess(nullptr);
    fut_process *c = NewProcess(init);
    fut_process_exit(c, 0);
    fut_thread *t = nullptr;
    fut_process *grandchild = nullptr;
    EXPECT_EQ(fut_thread_create(c, &t), -EINVAL);
    EXPECT_EQ(fut_process_create(c, &grandchild), -EINVAL);
    fut_process_reap(init, -1, 0, nullptr);
    fut_process_exit(init, 0);
}

TEST(WaitStatus, EncodingsMatchLinuxWaitMacros)
{
    int exited = fut_wstatus_exited(3);
    EXPECT_TRUE(WIFEXITED(exited));
    EXPECT_EQ(WEXITSTATUS(exited), 3);
    EXPECT_EQ(fut_wstatus_exited(256 + 7), fut_wstatus_exited(7)); // low 8 bits, as exit(2)
    int killed = fut_wstatus_signaled(9, false);
    EXPECT_TRUE(WIFSIGNALED(killed));
    EXPECT_FALSE(WIFEXITED(killed));
    EXPECT_EQ(WTERMSIG(killed), 9);
    EXPECT_FALSE(WCOREDUMP(killed));
    int cored = fut_wstatus_signaled(11, true);
    EXPECT_TRUE(WIFSIGNALED(cored));
    EXPECT_EQ(WTERMSIG(cored), 11);
    EXPECT_TRUE(WCOREDUMP(cored));
    int stopped = fut_wstatus_stopped(19);
    EXPECT_TRUE(WIFSTOPPED(stopped));
    EXPECT_EQ(WSTOPSIG(stopped), 19);
    EXPECT_TRUE(WIFCONTINUED(FUT_WSTATUS_CONTINUED));
    EXPECT_EQ(FUT_WNOHANG, WNOHANG);
    EXPECT_EQ(FUT_WUNTRACED, WUNTRACED);
    EXPECT_EQ(FUT_WCONTINUED, WCONTINUED);
}

TEST(WaitStatus, DecodersAgreeWithLibcOnEveryStatus)
{
    for (int s = 0; s <= 0xffff; s++) {
        ASSERT_EQ(fut_wstatus_is_exited(s), WIFEXITED(s)) << s;
        ASSERT_EQ(fut_wstatus_is_signaled(s), WIFSIGNALED(s)) << s;
        ASSERT_EQ(fut_wstatus_is_stopped(s), WIFSTOPPED(s) && s != 0xffff) << s;
        if (WIFEXITED(s)) {
            ASSERT_EQ(fut_wstatus_exit_code(s), WEXITSTATUS(s)) << s;
        }
        if (WIFSIGNALED(s)) {
            ASSERT_EQ(fut_wstatus_term_sig(s), WTERMSIG(s)) << s;
        }
        if (WIFSTOPPED(s)) {
            ASSERT_EQ(fut_wstatus_stop_sig(s), WSTOPSIG(s)) << s;
        }
    }
}

} // namespace

namespace
{

// The process tree and pid allocation driven by random steps (fixed seed)
// and compared with a model kept in std::map/std::vector.
class ProcessModel : public SchedTest
{
  protected:
    struct Proc {
        int parent = 0; // 0: none
        int pgid = 0, sid = 0;
        bool zombie = false;
        int status = 0;
        std::vector<int> children; // oldest first
        fut_process *real = nullptr;
    };

    bool IdInUse(int id) const
    {
        for (const auto &kv : procs_)
            if (kv.first == id || kv.second.pgid == id || kv.second.sid == id)
                return true;
        return false;
    }

    int ExpectedPid()
    {
        for (int tries = 0; tries < FUT_PID_MAX; tries++) {
            wrapped_ |= last_pid_ >= FUT_PID_MAX;
            last_pid_ = last_pid_ >= FUT_PID_MAX ? 1 : last_pid_ + 1;
            if (!IdInUse(last_pid_))
                return last_pid_;
        }
        return -EAGAIN;
    }

    void Forget(int pid)
    {
        Proc &p = procs_.at(pid);
        if (p.parent) {
            std::vector<int> &siblings = procs_.at(p.parent).children;
            siblings.erase(std::find(siblings.begin(), siblings.end(), pid));
        }
        procs_.erase(pid);
    }

    void Create(int parent)
    {
        int want = ExpectedPid();
        fut_process *real = nullptr;
        int rc = fut_process_create(parent ? procs_.at(parent).real : nullptr, &real);
        ASSERT_EQ(rc, want < 0 ? want : 0);
        ASSERT_EQ(real->pid, want);
        Proc p;
        p.parent = parent;
        p.pgid = parent ? procs_.at(parent).pgid : want;
        p.sid = parent ? procs_.at(parent).sid : want;
        p.real = real;
        procs_[want] = p;
        if (parent)
            procs_.at(parent).children.push_back(want);
    }

    void Exit(int pid, int status)
    {
        fut_process_exit(procs_.at(pid).real, status);
        Proc &p = procs_.at(pid);
        p.zombie = true;
        p.status = status;
        int init = procs_.count(1) && !procs_.at(1).zombie && pid != 1 ? 1 : 0;
        std::vector<int> orphans = p.children;
        p.children.clear();
        for (int c : orphans) {
            procs_.at(c).parent = init;
            if (init)
                procs_.at(1).children.push_back(c);
            else if (procs_.at(c).zombie)
                procs_.erase(c);
        }
        if (!p.parent)
            Forget(pid);
    }

    bool Selects(int parent, int child, int pid) const
    {
        const Proc &c = procs_.at(child);
        if (pid > 0)
            return child == pid;
        if (pid == -1)
            return true;
        if (pid == 0)
            return c.pgid == procs_.at(parent).pgid;
        return c.pgid == -pid;
    }

    void Reap(int parent, int pid, int options)
    {
        int want = -ECHILD, want_status = -1;
        for (int c : procs_.at(parent).children) {
            if (!Selects(parent, c, pid))
                continue;
            if (!procs_.at(c).zombie) {
                want = 0;
                continue;
            }
            want = c;
            want_status = procs_.at(c).status;
            break;
        }
        int status = -1;
        ASSERT_EQ(fut_process_reap(procs_.at(parent).real, pid, options, &status), want);
        ASSERT_EQ(status, want_status);
        if (want > 0)
            Forget(want);
    }

    void Compare()
    {
        fut_task_stats s;
        fut_task_get_stats(&s);
        ASSERT_EQ(s.live_processes, tasks_at_start_.live_processes + procs_.size());
        for (const auto &kv : procs_) {
            fut_process *r = kv.second.real;
            ASSERT_EQ(fut_process_find(kv.first), r);
            ASSERT_EQ(r->pgid, kv.second.pgid);
            ASSERT_EQ(r->state, kv.second.zombie ? FUT_PROCESS_ZOMBIE : FUT_PROCESS_RUNNING);
            ASSERT_EQ(r->parent, kv.second.parent ? procs_.at(kv.second.parent).real : nullptr);
            std::vector<fut_process *> children;
            for (fut_list *n = r->children.next; n != &r->children; n = n->next)
                children.push_back(fut_container_of(n, fut_process, sibling));
            ASSERT_EQ(children.size(), kv.second.children.size());
            for (size_t i = 0; i < children.size(); i++)
                ASSERT_EQ(children[i], procs_.at(kv.second.children[i]).real);
        }
    }

    std::vector<int> Running() const
    {
        std::vector<int> v;
        for (const auto &kv : procs_)
            if (!kv.second.zombie)
                v.push_back(kv.first);
        return v;
    }

    std::map<int, Proc> procs_;
    int last_pid_ = 0;
    bool wrapped_ = false;
};

TEST_F(ProcessModel, RandomTreeOperationsMatchTheModelAcrossPidWrap)
{
    std::mt19937_64 rng(7);
    auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
    const int kSteps = 120000;
    for (int step = 0; step < kSteps; step++) {
        std::vector<int> running = Running();
        int op = static_cast<int>(pick(10));
        if (running.empty())
            op = 0;
        else if (op <= 3 && procs_.size() >= 48) // keep the tree small: exit instead
            op = 4;
        int who = running.empty() ? 0 : running[pick(running.size())];
        if (op <= 3) {
            Create(op == 0 || running.empty() ? 0 : who);
        } else if (op <= 5) {
            Exit(who, fut_wstatus_exited(static_cast<int>(pick(256))));
        } else if (op <= 8) {
            const std::vector<int> &kids = procs_.at(who).children;
            int pid = -1;
            switch (pick(5)) {
            case 0: pid = 0; break;
            case 1: pid = kids.empty() ? 5 : kids[pick(kids.size())]; break;
            case 2: pid = kids.empty() ? -5 : -procs_.at(kids[pick(kids.size())]).pgid; break;
            case 3: pid = static_cast<int>(pick(FUT_PID_MAX)) + 1; break;
            }
            Reap(who, pid, pick(2) ? FUT_WNOHANG : 0);
        } else {
            // setpgid to its own pid or to a group that exists.
            int pgid = pick(2) ? who : procs_.at(running[pick(running.size())]).pgid;
            fut_process_set_pgid(procs_.at(who).real, pgid);
            procs_.at(who).pgid = pgid;
        }
        Compare();
        if (HasFatalFailure()) {
            ADD_FAILURE() << "at step " << step;
            break;
        }
    }
    EXPECT_TRUE(wrapped_) << "the pid counter should have come round";
    // Tear everything down: running processes exit (children go to 1 or away),
    // parents reap.
    while (!procs_.empty()) {
        std::vector<int> running = Running();
        for (int pid : running)
            if (procs_.count(pid) && !procs_.at(pid).zombie && pid != 1)
                Exit(pid, 0);
        for (const auto &kv : std::map<int, Proc>(procs_))
            if (procs_.count(kv.first) && !kv.second.zombie)
                while (procs_.count(kv.first) && !procs_.at(kv.first).children.empty())
                    Reap(kv.first, -1, 0);
        if (procs_.count(1) && !procs_.at(1).zombie && procs_.at(1).children.empty())
            Exit(1, 0);
        ASSERT_NO_FATAL_FAILURE(Compare());
    }
}

} // namespace
