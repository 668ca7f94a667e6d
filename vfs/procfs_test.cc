// Host tests for ProcFS (vfs/procfs*.c): processes made through the real
// scheduler API (fake arch), address spaces through the real mm on fake
// RAM, and every file read back through the VFS and parsed. The fixture
// mounts a ProcFS on /proc and checks, on top of VfsTest's vnode, file,
// heap and frame counts, that no process or thread outlives a test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/scheduler/testing/fake_arch.h"
#include "futura/scheduler/timer.h"
#include "futura/scheduler/waitq.h"
#include "futura/vfs/devfs.h"
#include "futura/vfs/procfs.h"
#include "futura/vfs/root.h"
#include "futura/vfs/testing/vfs_fixture.h"
#include "futura/vfs/vfs.h"

namespace
{

// A VMA prototype for fut_mm_map; obj (a vnode) makes it file-backed.
fut_vma Vma(uint64_t start, uint64_t end, uint32_t prot, uint32_t flags, fut_vnode *obj = nullptr,
            uint64_t file_offset = 0)
{
    fut_vma v{};
    v.start = start;
    v.end = end;
    v.prot = prot;
    v.flags = flags;
    v.obj = obj;
    v.obj_ops = obj ? &fut_vnode_backing_ops.ref : nullptr;
    v.file_offset = file_offset;
    return v;
}

class Procfs : public fut_test::VfsTest
{
  protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        fut_fake_arch_reset();
        fut_process_init();
        fut_timers_init(0);
        idle_ = fut_sched_init();
        fut_task_get_stats(&tasks_at_start_);
        fut_fs *proc = nullptr;
        ASSERT_EQ(fut_vfs_mkdir(nullptr, "/proc", 0555), 0);
        ASSERT_EQ(fut_procfs_create(&proc), 0);
        ASSERT_EQ(fut_vfs_mount(nullptr, "/proc", proc), 0);
    }

    void TearDown() override
    {
        EXPECT_EQ(fut_vfs_umount(nullptr, "/proc"), 0);
        EXPECT_EQ(fut_sched_current(), idle_);
        EXPECT_TRUE(fut_sched_check());
        fut_task_stats tasks;
        fut_task_get_stats(&tasks);
        EXPECT_EQ(tasks.live_processes, tasks_at_start_.live_processes);
        EXPECT_EQ(tasks.live_threads, tasks_at_start_.live_threads);
        VfsTest::TearDown();
    }

    static fut_process *NewProcess(fut_process *parent = nullptr, const char *comm = "")
    {
        fut_process *p = nullptr;
        EXPECT_EQ(fut_process_create(parent, &p), 0);
        if (p)
            snprintf(p->comm, sizeof(p->comm), "%s", comm);
        return p;
    }

    // A thread of p that the scheduler believes is running (the test plays it).
    static fut_thread *RunAs(fut_process *p)
    {
        fut_thread *t = nullptr;
        EXPECT_EQ(fut_thread_create(p, &t), 0);
        t->arch = malloc(32); // freed by the fake arch with the thread
        fut_sched_enqueue(t);
        fut_sched_yield();
        EXPECT_EQ(fut_sched_current(), t);
        return t;
    }

    // Ends the current thread; its process lives on without threads.
    static void StopRunning()
    {
        fut_thread_exit_current();
    }

    // Frees a process that has no threads and no children, with what the
    // process layer would have released at exit.
    static void Destroy(fut_process *p)
    {
        fut_kfree(p->cmdline);
        fut_kfree(p->exe_path);
        p->cmdline = p->exe_path = nullptr;
        if (p->mm) {
            fut_mm_put(p->mm);
            p->mm = nullptr;
        }
        fut_process_destroy(p);
    }

    static char *KStrdup(const std::string &s)
    {
        char *c = static_cast<char *>(fut_kmalloc(s.size() + 1));
        memcpy(c, s.c_str(), s.size() + 1);
        return c;
    }

    std::string Readlink(const std::string &path)
    {
        char buf[256];
        int64_t n = fut_vfs_readlink(nullptr, path.c_str(), buf, sizeof(buf));
        return n < 0 ? "error " + std::to_string(n) : std::string(buf, (size_t)n);
    }

    // Every "/proc/<pid>" name listed, in order.
    std::vector<int> ListedPids()
    {
        std::vector<int> pids;
        for (const std::string &name : List("/proc"))
            if (isdigit((unsigned char)name[0]))
                pids.push_back(atoi(name.c_str()));
        return pids;
    }

    // /proc/meminfo as name -> kB, checking every line's shape.
    std::map<std::string, uint64_t> Meminfo()
    {
        std::map<std::string, uint64_t> m;
        std::istringstream in(ReadFile("/proc/meminfo"));
        std::string line;
        while (std::getline(in, line)) {
            EXPECT_EQ(line.size(), 16u + 8u + 3u) << line; // Linux's show_val_kb columns
            EXPECT_EQ(line.substr(line.size() - 3), " kB") << line;
            size_t colon = line.find(':');
            EXPECT_NE(colon, std::string::npos) << line;
            EXPECT_LT(colon, 16u) << line;
            m[line.substr(0, colon)] = strtoull(line.c_str() + 16, nullptr, 10);
        }
        return m;
    }

    static uint64_t PmmFreeKb()
    {
        return fut_pmm_free_frames(fut_pmm_global()) * 4;
    }

    fut_thread *idle_ = nullptr;
    fut_task_stats tasks_at_start_ = {};
};

// The fields of /proc/<pid>/stat: [0] pid, [1] comm (without parentheses),
// [2] state, ... as numbered in proc(5) minus one.
std::vector<std::string> StatFields(const std::string &text)
{
    std::vector<std::string> f;
    size_t open = text.find(" ("), close = text.rfind(") ");
    if (open == std::string::npos || close == std::string::npos || text.back() != '\n')
        return f;
    f.push_back(text.substr(0, open));
    f.push_back(text.substr(open + 2, close - open - 2));
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    while (rest >> field)
        f.push_back(field);
    return f;
}

// "Key:\tvalue" lines of /proc/<pid>/status.
std::map<std::string, std::string> StatusFields(const std::string &text)
{
    std::map<std::string, std::string> m;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        size_t colon = line.find(":\t");
        if (colon != std::string::npos)
            m[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return m;
}

std::vector<std::string> Lines(const std::string &text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        lines.push_back(line);
    return lines;
}

TEST_F(Procfs, RootListsFixedEntriesThenEveryProcessInPidOrder)
{
    fut_process *init = NewProcess();
    fut_process *a = NewProcess(init), *b = NewProcess(init);
    std::vector<std::string> want = {".",
                                     "..",
                                     "cpuinfo",
                                     "kmsg",
                                     "loadavg",
                                     "meminfo",
                                     "mounts",
                                     "self",
                                     "stat",
                                     "uptime",
                                     "version",
                                     std::to_string(init->pid),
                                     std::to_string(a->pid),
                                     std::to_string(b->pid)};
    EXPECT_EQ(List("/proc"), want);
    fut_stat st = Stat("/proc/" + std::to_string(a->pid));
    EXPECT_EQ(st.st_mode, FUT_S_IFDIR | 0555u);
    Destroy(a);
    Destroy(b);
    EXPECT_EQ(ListedPids(), std::vector<int>{init->pid});
    Destroy(init);
    EXPECT_EQ(ListedPids(), std::vector<int>{});
}

TEST_F(Procfs, ZombiesAreListedUntilReaped)
{
    fut_process *parent = NewProcess();
    fut_process *child = NewProcess(parent, "dying");
    int pid = child->pid;
    fut_process_exit(child, fut_wstatus_exited(3));
    EXPECT_EQ(ListedPids(), (std::vector<int>{parent->pid, pid}));
    std::vector<std::string> f = StatFields(ReadFile("/proc/" + std::to_string(pid) + "/stat"));
    ASSERT_EQ(f.size(), 52u);
    EXPECT_EQ(f[2], "Z");
    EXPECT_EQ(f[51], std::to_string(fut_wstatus_exited(3))); // exit_code
    EXPECT_EQ(fut_process_reap(parent, pid, 0, nullptr), pid);
    EXPECT_EQ(ListedPids(), std::vector<int>{parent->pid});
    fut_stat st;
    EXPECT_EQ(fut_vfs_stat(nullptr, ("/proc/" + std::to_string(pid)).c_str(), &st), -ENOENT);
    Destroy(parent);
}

TEST_F(Procfs, ListingStaysInPidOrderAcrossHashBucketsAndPidWrap)
{
    // 600 processes spread over every hash bucket; then free the low ones
    // and let allocation wrap so new, low pids come after high ones in time.
    std::vector<fut_process *> procs;
    for (int i = 0; i < 600; i++)
        procs.push_back(NewProcess());
    for (int i = 0; i < 300; i++)
        Destroy(procs[i]);
    procs.erase(procs.begin(), procs.begin() + 300);
    std::vector<int> want;
    for (fut_process *p : procs)
        want.push_back(p->pid);
    EXPECT_EQ(ListedPids(), want);
    EXPECT_EQ(fut_process_next(0), procs.front());
    EXPECT_EQ(fut_process_next(procs.back()->pid), nullptr);
    for (fut_process *p : procs)
        Destroy(p);
}

TEST_F(Procfs, ProcessesComingAndGoingDuringAListingAreNeitherSkippedNorRepeated)
{
    std::vector<fut_process *> procs;
    for (int i = 0; i < 10; i++)
        procs.push_back(NewProcess());
    fut_file *dir = nullptr;
    ASSERT_EQ(fut_vfs_open(nullptr, "/proc", FUT_O_RDONLY | FUT_O_DIRECTORY, 0, &dir), 0);
    // One record per call (a record is at most 32 bytes here).
    alignas(8) char buf[32];
    std::vector<std::string> seen;
    const std::string fifth = std::to_string(procs[4]->pid);
    int64_t n;
    while ((n = fut_vfs_getdents64(dir, buf, sizeof(buf))) > 0) {
        auto *d = reinterpret_cast<fut_linux_dirent64 *>(buf);
        ASSERT_EQ(n, d->d_reclen);
        seen.push_back(d->d_name);
        if (seen.back() == fifth) {
            Destroy(procs[3]); // behind the cursor
            Destroy(procs[6]); // ahead of it
            procs.erase(procs.begin() + 6);
            procs.erase(procs.begin() + 3);
        }
    }
    EXPECT_EQ(n, 0);
    fut_vfs_close(dir);
    std::vector<std::string> pids(seen.begin() + 11, seen.end()); // after ".", ".." and 9 files
    ASSERT_EQ(pids.size(), 9u); // ten, minus the one removed ahead of the cursor
    EXPECT_TRUE(
        std::is_sorted(pids.begin(), pids.end(), [](const std::string &x, const std::string &y) {
            return std::stoi(x) < std::stoi(y);
        }));
    for (fut_process *p : procs)
        Destroy(p);
}

TEST_F(Procfs, PidDirectoryListsItsFilesAndOnlyCanonicalLivePidsResolve)
{
    fut_process *p = NewProcess();
    std::string dir = "/proc/" + std::to_string(p->pid);
    EXPECT_EQ(List(dir), (std::vector<std::string>{".", "..", "cmdline", "comm", "exe", "maps",
                                                   "stat", "status"}));
    EXPECT_EQ(Stat(dir + "/stat").st_mode, FUT_S_IFREG | 0444u);
    EXPECT_EQ(Stat(dir + "/stat").st_size, 0);
    EXPECT_EQ(Stat(dir + "/..").st_ino, Stat("/proc").st_ino);
    EXPECT_EQ(Stat(dir + "/stat").st_ino, Stat(dir + "/stat").st_ino); // stable
    EXPECT_NE(Stat(dir + "/stat").st_ino, Stat(dir + "/status").st_ino);
    fut_stat st;
    std::vector<std::string> bad_names = {
        "0",     "-1",          "0" + std::to_string(p->pid), std::to_string(p->pid) + "x", "+1",
        "32768", "99999999999", std::to_string(p->pid + 1)};
    for (const std::string &bad : bad_names)
        EXPECT_EQ(fut_vfs_stat(nullptr, ("/proc/" + bad).c_str(), &st), -ENOENT) << bad;
    EXPECT_EQ(fut_vfs_stat(nullptr, (dir + "/nosuch").c_str(), &st), -ENOENT);
    Destroy(p);
}

TEST_F(Procfs, SelfLinksToTheRunningProcessAndKernelThreadsHaveNone)
{
    fut_process *p = NewProcess(nullptr, "me");
    EXPECT_EQ(Readlink("/proc/self"), "error " + std::to_string(-ENOENT)); // idle thread
    EXPECT_EQ(Stat("/proc").st_nlink, 2u);
    RunAs(p);
    EXPECT_EQ(Readlink("/proc/self"), std::to_string(p->pid));
    EXPECT_EQ(ReadFile("/proc/self/comm"), "me\n");
    EXPECT_EQ(Stat("/proc/self").st_ino, Stat("/proc/" + std::to_string(p->pid)).st_ino);
    fut_stat st;
    EXPECT_EQ(fut_vfs_lstat(nullptr, "/proc/self", &st), 0);
    EXPECT_TRUE(FUT_S_ISLNK(st.st_mode));
    StopRunning();
    EXPECT_EQ(fut_vfs_stat(nullptr, "/proc/self/comm", &st), -ENOENT);
    Destroy(p);
}

TEST_F(Procfs, StatHas52FieldsInLinuxOrder)
{
    fut_process *parent = NewProcess(nullptr, "parent");
    fut_process *p = NewProcess(parent, "a b) c"); // comm may hold spaces and ')'
    fut_process_set_pgid(p, p->pid);
    p->run_ticks = 1234; // 1.234 s at 1 kHz: 123 clock ticks
    p->sigmask = 0x1ull << 9 | 0x1ull << 40;
    p->sig_pending = 0x4;
    p->mm = fut_mm_create();
    fut_vma anon =
        Vma(0x400000, 0x410000, FUT_PROT_READ | FUT_PROT_WRITE, FUT_VMA_PRIVATE | FUT_VMA_ANON);
    ASSERT_EQ(fut_mm_map(p->mm, &anon), 0);
    ASSERT_EQ(fut_mm_handle_fault(p->mm, 0x401000, FUT_FAULT_WRITE), FUT_FAULT_HANDLED);
    ASSERT_EQ(fut_mm_handle_fault(p->mm, 0x402000, FUT_FAULT_WRITE), FUT_FAULT_HANDLED);
    p->mm->brk_start = 0x800000;
    RunAs(p);

    std::vector<std::string> f = StatFields(ReadFile("/proc/" + std::to_string(p->pid) + "/stat"));
    ASSERT_EQ(f.size(), 52u);
    EXPECT_EQ(f[0], std::to_string(p->pid));
    EXPECT_EQ(f[1], "a b) c");
    EXPECT_EQ(f[2], "R");
    EXPECT_EQ(f[3], std::to_string(parent->pid)); // ppid
    EXPECT_EQ(f[4], std::to_string(p->pid));      // pgrp
    EXPECT_EQ(f[5], std::to_string(parent->sid)); // session
    EXPECT_EQ(f[6], "0");                         // tty_nr
    EXPECT_EQ(f[7], "-1");                        // tpgid
    EXPECT_EQ(f[13], "123");                      // utime
    EXPECT_EQ(f[14], "0");                        // stime
    EXPECT_EQ(f[17], "20");                       // priority
    EXPECT_EQ(f[18], "0");                        // nice
    EXPECT_EQ(f[19], "1");                        // num_threads
    EXPECT_EQ(f[22], std::to_string(0x10000));    // vsize, bytes
    EXPECT_EQ(f[23], "2");                        // rss, pages
    EXPECT_EQ(f[24], "18446744073709551615");     // rsslim
    EXPECT_EQ(f[30], "4");                        // signal (pending)
    EXPECT_EQ(f[31], std::to_string(1u << 9));    // blocked, first 31 signals
    EXPECT_EQ(f[37], "17");                       // exit_signal SIGCHLD
    EXPECT_EQ(f[46], std::to_string(0x800000));   // start_brk
    EXPECT_EQ(f[51], "0");                        // exit_code while alive
    for (size_t i = 3; i < f.size(); i++)
        EXPECT_FALSE(f[i].empty()) << i;

    StopRunning();
    Destroy(p);
    Destroy(parent);
}

TEST_F(Procfs, StateLettersFollowTheThreadStopsAndZombies)
{
    fut_process *parent = NewProcess();
    fut_process *p = NewProcess(parent);
    std::string stat = "/proc/" + std::to_string(p->pid) + "/stat";
    std::string status = "/proc/" + std::to_string(p->pid) + "/status";
    EXPECT_EQ(StatFields(ReadFile(stat))[2], "S"); // no thread yet
    fut_thread *t = RunAs(p);
    EXPECT_EQ(StatFields(ReadFile(stat))[2], "R");
    EXPECT_EQ(StatusFields(ReadFile(status))["State"], "R (running)");
    fut_waitq wq;
    fut_waitq_init(&wq);
    fut_waitq_wait(&wq); // t blocks; the idle thread runs
    ASSERT_EQ(t->state, FUT_THREAD_BLOCKED);
    EXPECT_EQ(StatFields(ReadFile(stat))[2], "S");
    EXPECT_EQ(StatusFields(ReadFile(status))["State"], "S (sleeping)");
    p->stop_signal = 19; // SIGSTOP, as the process layer records it
    EXPECT_EQ(StatusFields(ReadFile(status))["State"], "T (stopped)");
    p->stop_signal = 0;
    fut_thread_interrupt(t); // RUNNABLE: queued behind nothing
    EXPECT_EQ(StatFields(ReadFile(stat))[2], "R");
    fut_sched_dequeue(t);
    fut_process_exit(p, fut_wstatus_signaled(9, false));
    fut_thread_destroy(t); // the last thread: p becomes a zombie
    EXPECT_EQ(StatusFields(ReadFile(status))["State"], "Z (zombie)");
    int pid = p->pid;
    EXPECT_EQ(fut_process_reap(parent, pid, 0, nullptr), pid);
    Destroy(parent);
}

TEST_F(Procfs, StatusHasLinuxKeysAndVmLinesInKb)
{
    fut_process *parent = NewProcess();
    fut_process *p = NewProcess(parent, "prog");
    p->sigmask = 0x8000000000000001ull;
    std::string path = "/proc/" + std::to_string(p->pid) + "/status";
    std::map<std::string, std::string> s = StatusFields(ReadFile(path));
    EXPECT_EQ(s.count("VmSize"), 0u); // no address space: no Vm lines, as Linux
    p->mm = fut_mm_create();
    fut_vma code =
        Vma(0x400000, 0x403000, FUT_PROT_READ | FUT_PROT_EXEC, FUT_VMA_PRIVATE | FUT_VMA_ANON);
    fut_vma stack = Vma(0x7fff0000, 0x80000000, FUT_PROT_READ | FUT_PROT_WRITE,
                        FUT_VMA_PRIVATE | FUT_VMA_ANON | FUT_VMA_STACK);
    ASSERT_EQ(fut_mm_map(p->mm, &code), 0);
    ASSERT_EQ(fut_mm_map(p->mm, &stack), 0);
    ASSERT_EQ(fut_mm_handle_fault(p->mm, 0x7ffff000, FUT_FAULT_WRITE), FUT_FAULT_HANDLED);

    std::string text = ReadFile(path);
    s = StatusFields(text);
    EXPECT_EQ(s["Name"], "prog");
    EXPECT_EQ(s["State"], "S (sleeping)");
    EXPECT_EQ(s["Tgid"], std::to_string(p->pid));
    EXPECT_EQ(s["Pid"], std::to_string(p->pid));
    EXPECT_EQ(s["PPid"], std::to_string(parent->pid));
    EXPECT_EQ(s["Uid"], "0\t0\t0\t0");
    EXPECT_EQ(s["Gid"], "0\t0\t0\t0");
    EXPECT_EQ(s["VmSize"], "      76 kB"); // 12 KiB code + 64 KiB stack, %8lu as Linux
    EXPECT_EQ(s["VmRSS"], "       4 kB");
    EXPECT_EQ(s["VmStk"], "      64 kB");
    EXPECT_EQ(s["Threads"], "0");
    EXPECT_EQ(s["SigBlk"], "8000000000000001");
    EXPECT_EQ(s["NSpgid"], std::to_string(parent->pgid));
    // Order matters to naive parsers: Name first, Vm lines before Threads.
    EXPECT_EQ(text.rfind("Name:\t", 0), 0u);
    EXPECT_LT(text.find("\nState:"), text.find("\nPid:"));
    EXPECT_LT(text.find("\nVmRSS:"), text.find("\nThreads:"));
    Destroy(p);
    Destroy(parent);
}

TEST_F(Procfs, CmdlineIsArgvWithNulsAndCommIsTheNameWithANewline)
{
    fut_process *p = NewProcess(nullptr, "sh");
    std::string dir = "/proc/" + std::to_string(p->pid);
    EXPECT_EQ(ReadFile(dir + "/cmdline"), "");         // never exec'ed
    const std::string argv("sh\0-c\0echo hi\0\0", 16); // "" as the last argument
    p->cmdline = static_cast<char *>(fut_kmalloc(argv.size()));
    memcpy(p->cmdline, argv.data(), argv.size());
    p->cmdline_len = argv.size();
    EXPECT_EQ(ReadFile(dir + "/cmdline"), argv);
    EXPECT_EQ(ReadFile(dir + "/comm"), "sh\n");
    Destroy(p);
}

TEST_F(Procfs, ExeLinksToTheProgramPath)
{
    fut_process *p = NewProcess();
    std::string exe = "/proc/" + std::to_string(p->pid) + "/exe";
    EXPECT_EQ(Readlink(exe), "error " + std::to_string(-ENOENT));
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/bin", 0755), 0);
    WriteFile("/bin/prog", "program", 0755);
    p->exe_path = KStrdup("/bin/prog");
    EXPECT_EQ(Readlink(exe), "/bin/prog");
    EXPECT_EQ(ReadFile(exe), "program"); // followed like any symlink
    Destroy(p);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/bin/prog"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/bin"), 0);
}

// A maps line as Linux's show_map_vma prints it: the path starts after the
// header padded to 73 columns and one space; anonymous lines end in a space.
std::string MapsLine(uint64_t start, uint64_t end, const char *perms, uint64_t off, uint64_t dev,
                     uint64_t ino, const std::string &name)
{
    char buf[128];
    int n = snprintf(buf, sizeof(buf),
                     "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64 " %02x:%02x %" PRIu64 " ", start,
                     end, perms, off, fut_major(dev), fut_minor(dev), ino);
    std::string line(buf, (size_t)n);
    if (!name.empty()) {
        if (line.size() < 73)
            line.resize(73, ' ');
        line += " " + name;
    }
    return line;
}

TEST_F(Procfs, MapsShowsEveryVmaWithPermsOffsetDeviceInodeAndName)
{
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/bin", 0755), 0);
    WriteFile("/bin/prog", std::string(0x3000, 'x'), 0755);
    WriteFile("/data", std::string(0x8000, 'd'));
    fut_vnode *prog = nullptr, *data = nullptr;
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/bin/prog", FUT_LOOKUP_FOLLOW, &prog), 0);
    ASSERT_EQ(fut_vfs_lookup(nullptr, "/data", FUT_LOOKUP_FOLLOW, &data), 0);

    fut_process *p = NewProcess(nullptr, "prog");
    p->exe_path = KStrdup("/bin/prog");
    p->mm = fut_mm_create();
    const uint32_t r = FUT_PROT_READ, rw = FUT_PROT_READ | FUT_PROT_WRITE;
    fut_vma vmas[] = {
        Vma(0x400000, 0x401000, r, FUT_VMA_PRIVATE | FUT_VMA_FILE, prog),
        Vma(0x401000, 0x403000, r | FUT_PROT_EXEC, FUT_VMA_PRIVATE | FUT_VMA_FILE, prog, 0x1000),
        Vma(0x403000, 0x405000, rw, FUT_VMA_PRIVATE | FUT_VMA_ANON),
        Vma(0x600000, 0x621000, rw, FUT_VMA_PRIVATE | FUT_VMA_ANON | FUT_VMA_HEAP),
        Vma(0x7f0000000000, 0x7f0000003000, rw, FUT_VMA_SHARED | FUT_VMA_FILE, data, 0x5000),
        Vma(0x7ffffff00000, 0x7ffffffff000, rw, FUT_VMA_PRIVATE | FUT_VMA_ANON | FUT_VMA_STACK),
    };
    for (const fut_vma &v : vmas)
        ASSERT_EQ(fut_mm_map(p->mm, &v), 0);
    std::string path = "/proc/" + std::to_string(p->pid) + "/maps";
    std::vector<std::string> lines = Lines(ReadFile(path));
    std::vector<std::string> want = {
        MapsLine(0x400000, 0x401000, "r--p", 0, prog->fs->dev, prog->ino, "/bin/prog"),
        MapsLine(0x401000, 0x403000, "r-xp", 0x1000, prog->fs->dev, prog->ino, "/bin/prog"),
        MapsLine(0x403000, 0x405000, "rw-p", 0, 0, 0, ""),
        MapsLine(0x600000, 0x621000, "rw-p", 0, 0, 0, "[heap]"),
        MapsLine(0x7f0000000000, 0x7f0000003000, "rw-s", 0x5000, data->fs->dev, data->ino, ""),
        MapsLine(0x7ffffff00000, 0x7ffffffff000, "rw-p", 0, 0, 0, "[stack]"),
    };
    EXPECT_EQ(lines, want);
    // Spelled out once, independent of MapsLine: the name starts at column 74.
    EXPECT_EQ(lines[3],
              "00600000-00621000 rw-p 00000000 00:00 0" + std::string(34, ' ') + " [heap]");
    EXPECT_EQ(lines[2], "00403000-00405000 rw-p 00000000 00:00 0 ");
    // The device and inode are the file's, as stat reports them.
    fut_stat st = Stat("/bin/prog");
    unsigned long long start, end, off, ino;
    unsigned major, minor;
    char perms[5];
    ASSERT_EQ(sscanf(lines[1].c_str(), "%llx-%llx %4s %llx %x:%x %llu", &start, &end, perms, &off,
                     &major, &minor, &ino),
              7);
    EXPECT_EQ(fut_makedev(major, minor), st.st_dev);
    EXPECT_EQ(ino, st.st_ino);
    EXPECT_EQ(off, 0x1000u);

    // Once the path leads elsewhere the mapping loses its name, not its inode.
    ASSERT_EQ(fut_vfs_rename(nullptr, "/bin/prog", nullptr, "/bin/old"), 0);
    lines = Lines(ReadFile(path));
    EXPECT_EQ(lines[1], MapsLine(0x401000, 0x403000, "r-xp", 0x1000, prog->fs->dev, prog->ino, ""));

    fut_vnode_put(prog);
    fut_vnode_put(data);
    Destroy(p);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/bin/old"), 0);
    ASSERT_EQ(fut_vfs_unlink(nullptr, "/data"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/bin"), 0);
}

TEST_F(Procfs, MapsOfAProcessWithManyVmasIsComplete)
{
    fut_process *p = NewProcess();
    p->mm = fut_mm_create();
    for (uint64_t i = 0; i < 500; i++) { // 500 lines, about 20 KiB of text
        fut_vma v = Vma(0x10000000 + i * 0x2000, 0x10001000 + i * 0x2000, FUT_PROT_READ,
                        FUT_VMA_PRIVATE | FUT_VMA_ANON);
        ASSERT_EQ(fut_mm_map(p->mm, &v), 0);
    }
    std::vector<std::string> lines = Lines(ReadFile("/proc/" + std::to_string(p->pid) + "/maps"));
    ASSERT_EQ(lines.size(), 500u);
    EXPECT_EQ(lines[499],
              MapsLine(0x10000000 + 499 * 0x2000, 0x10001000 + 499 * 0x2000, "r--p", 0, 0, 0, ""));
    Destroy(p);
}

TEST_F(Procfs, MeminfoAgreesWithThePmmAndTheHeap)
{
    Meminfo(); // warm up: the heap caches what reading /proc needs
    uint64_t free_before = PmmFreeKb();
    std::map<std::string, uint64_t> m = Meminfo();
    EXPECT_EQ(PmmFreeKb(), free_before); // reading holds nothing afterwards
    std::vector<std::string> keys = {"MemTotal",    "MemFree",    "MemAvailable", "Buffers",
                                     "Cached",      "SwapCached", "SwapTotal",    "SwapFree",
                                     "Shmem",       "Slab",       "SReclaimable", "SUnreclaim",
                                     "KernelStack", "PageTables"};
    for (const std::string &k : keys)
        EXPECT_EQ(m.count(k), 1u) << k;
    EXPECT_EQ(m["MemTotal"], fut_pmm_total_frames(fut_pmm_global()) * 4);
    EXPECT_EQ(m["MemFree"], free_before);
    EXPECT_EQ(m["MemAvailable"], m["MemFree"]);
    EXPECT_EQ(m["SwapTotal"], 0u);
    EXPECT_EQ(m["Buffers"], 0u);
    fut_kmalloc_stats k;
    fut_kmalloc_get_stats(&k);
    EXPECT_EQ(m["Slab"], (k.slab_pages + k.large_pages) * 4);
    EXPECT_EQ(m["SUnreclaim"], m["Slab"]);
    EXPECT_EQ(m["PageTables"], fut_pt_table_pages() * 4);
    EXPECT_EQ(m["KernelStack"], (uint64_t)fut_kstack_live() * FUT_KSTACK_SIZE / 1024);
    EXPECT_LE(m["MemFree"] + m["Slab"] + m["PageTables"], m["MemTotal"]);

    // 100 frames taken: exactly 400 kB less free; an address space's page
    // tables show up in PageTables.
    std::vector<uint64_t> frames;
    for (int i = 0; i < 100; i++)
        frames.push_back(fut_pmm_alloc(fut_pmm_global(), 0));
    EXPECT_EQ(Meminfo()["MemFree"], m["MemFree"] - 400);
    for (uint64_t f : frames)
        EXPECT_EQ(fut_pmm_free(fut_pmm_global(), f, 0), 0);
    EXPECT_EQ(Meminfo()["MemFree"], m["MemFree"]);
    fut_mm *mm = fut_mm_create();
    fut_vma v =
        Vma(0x400000, 0x401000, FUT_PROT_READ | FUT_PROT_WRITE, FUT_VMA_PRIVATE | FUT_VMA_ANON);
    ASSERT_EQ(fut_mm_map(mm, &v), 0);
    ASSERT_EQ(fut_mm_handle_fault(mm, 0x400000, FUT_FAULT_WRITE), FUT_FAULT_HANDLED);
    EXPECT_EQ(Meminfo()["PageTables"], fut_pt_table_pages() * 4);
    EXPECT_GT(fut_pt_table_pages() * 4, m["PageTables"]);
    fut_mm_put(mm);
}

TEST_F(Procfs, UptimeIsSecondsAndHundredthsWithIdleTimeFromTheScheduler)
{
    for (int i = 0; i < 1234; i++)
        fut_sched_tick(); // the idle thread runs: 1.234 s of idle at 1 kHz
    std::string text = ReadFile("/proc/uptime");
    unsigned long long up_s, up_cc, idle_s, idle_cc;
    char nl;
    ASSERT_EQ(
        sscanf(text.c_str(), "%llu.%2llu %llu.%2llu%c", &up_s, &up_cc, &idle_s, &idle_cc, &nl), 5)
        << text;
    EXPECT_EQ(nl, '\n');
    EXPECT_EQ(text.find('.') - text.find_first_of("0123456789") + 3, text.find(' ')) << text;
    EXPECT_EQ(idle_s, 1u);
    EXPECT_EQ(idle_cc, 23u);
    uint64_t now_cs = fut_hal_time_ns() / 10000000;
    EXPECT_LE(up_s * 100 + up_cc, now_cs);
}

TEST_F(Procfs, StatHasCpuTimesSwitchesBootTimeAndRunnableCount)
{
    fut_process *p = NewProcess();
    for (int i = 0; i < 300; i++)
        fut_sched_tick(); // idle: 0.3 s
    RunAs(p);             // one switch; p's thread runs
    for (int i = 0; i < 120; i++)
        fut_sched_tick(); // busy: 0.12 s
    std::vector<std::string> lines = Lines(ReadFile("/proc/stat"));
    ASSERT_EQ(lines.size(), 7u);
    EXPECT_EQ(lines[0], "cpu  12 0 0 30 0 0 0 0 0 0"); // user nice system idle ..., USER_HZ
    EXPECT_EQ(lines[1], "cpu0 12 0 0 30 0 0 0 0 0 0");
    EXPECT_EQ(lines[2], "intr 0");
    fut_sched_stats s;
    fut_sched_get_stats(&s);
    EXPECT_EQ(lines[3], "ctxt " + std::to_string(s.switches));
    EXPECT_EQ(lines[4], "btime " + std::to_string(fut_hal_wallclock_offset_ns() / 1000000000));
    EXPECT_EQ(lines[5], "procs_running 1");
    EXPECT_EQ(lines[6], "procs_blocked 0");
    StopRunning();
    Destroy(p);
}

TEST_F(Procfs, LoadavgCountsRunnableAndAllThreads)
{
    fut_process *a = NewProcess(), *b = NewProcess();
    EXPECT_EQ(ReadFile("/proc/loadavg"), "0.00 0.00 0.00 0/0 " + std::to_string(b->pid) + "\n");
    RunAs(a);
    fut_thread *t = nullptr;
    ASSERT_EQ(fut_thread_create(b, &t), 0);
    t->arch = malloc(32);
    fut_sched_enqueue(t); // runnable behind a's running thread
    EXPECT_EQ(ReadFile("/proc/loadavg"), "0.00 0.00 0.00 2/2 " + std::to_string(b->pid) + "\n");
    StopRunning(); // b's thread runs next
    ASSERT_EQ(fut_sched_current(), t);
    StopRunning();
    Destroy(a);
    Destroy(b);
}

TEST_F(Procfs, MountsListsEveryMountInOrderWithLinuxTypes)
{
    EXPECT_EQ(ReadFile("/proc/mounts"), "ramfs / ramfs rw 0 0\nproc /proc proc rw 0 0\n");
    fut_fs *dev = nullptr;
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/dev", 0755), 0);
    ASSERT_EQ(fut_devfs_create(&dev), 0);
    ASSERT_EQ(fut_vfs_mount(nullptr, "/dev", dev), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/mnt", 0755), 0);
    ASSERT_EQ(fut_vfs_mkdir(nullptr, "/mnt/deep", 0755), 0);
    fut_fs *proc2 = nullptr;
    ASSERT_EQ(fut_procfs_create(&proc2), 0);
    ASSERT_EQ(fut_vfs_mount(nullptr, "/mnt/deep", proc2), 0);
    EXPECT_EQ(ReadFile("/proc/mounts"), "ramfs / ramfs rw 0 0\n"
                                        "proc /proc proc rw 0 0\n"
                                        "devfs /dev devtmpfs rw 0 0\n"
                                        "proc /mnt/deep proc rw 0 0\n");
    EXPECT_EQ(ReadFile("/mnt/deep/mounts"), ReadFile("/proc/mounts"));
    ASSERT_EQ(fut_vfs_umount(nullptr, "/dev"), 0);
    EXPECT_EQ(ReadFile("/proc/mounts"), "ramfs / ramfs rw 0 0\n"
                                        "proc /proc proc rw 0 0\n"
                                        "proc /mnt/deep proc rw 0 0\n");
    ASSERT_EQ(fut_vfs_umount(nullptr, "/mnt/deep"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/mnt/deep"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/mnt"), 0);
    ASSERT_EQ(fut_vfs_rmdir(nullptr, "/dev"), 0);
}

TEST_F(Procfs, KmsgReturnsTheKernelLogTail)
{
    fut_printk("procfs-test marker %d\n", 42);
    std::string log = ReadFile("/proc/kmsg");
    EXPECT_LE(log.size(), (size_t)FUT_KLOG_SIZE);
    const std::string marker = "procfs-test marker 42\n";
    ASSERT_GE(log.size(), marker.size());
    EXPECT_EQ(log.substr(log.size() - marker.size()), marker);
    EXPECT_EQ(Stat("/proc/kmsg").st_mode, FUT_S_IFREG | 0400u);
}

TEST_F(Procfs, VersionAndCpuinfoNameTheSystem)
{
    EXPECT_EQ(ReadFile("/proc/version"), "Futura version 0.1.0 (futura) #1 Futura\n");
    std::string cpu = ReadFile("/proc/cpuinfo");
    EXPECT_EQ(cpu.rfind("processor\t: 0\n", 0), 0u);
    EXPECT_EQ(cpu.substr(cpu.size() - 2), "\n\n"); // a blank line ends each CPU
}

TEST_F(Procfs, AnOpenFileReadsTheSnapshotTakenAtOpen)
{
    fut_process *p = NewProcess(nullptr, "before");
    std::string path = "/proc/" + std::to_string(p->pid) + "/status";
    fut_file *f = nullptr;
    ASSERT_EQ(fut_vfs_open(nullptr, path.c_str(), FUT_O_RDONLY, 0, &f), 0);
    snprintf(p->comm, sizeof(p->comm), "after");
    std::string whole;
    char c;
    while (fut_vfs_read(f, &c, 1) == 1) // byte by byte: the same bytes
        whole += c;
    EXPECT_EQ(whole.rfind("Name:\tbefore\n", 0), 0u);
    char piece[6] = {};
    EXPECT_EQ(fut_vfs_pread(f, piece, 5, 6), 5);
    EXPECT_STREQ(piece, "befor");
    EXPECT_EQ(fut_vfs_lseek(f, 0, FUT_SEEK_SET), 0);
    EXPECT_EQ(fut_vfs_read(f, piece, 5), 5);
    fut_vfs_close(f);
    EXPECT_EQ(ReadFile(path).rfind("Name:\tafter\n", 0), 0u); // a new open renders anew
    Destroy(p);
}

TEST_F(Procfs, FilesOfAProcessThatIsGoneVanishButOpenSnapshotsStayReadable)
{
    fut_process *p = NewProcess(nullptr, "short");
    std::string dir = "/proc/" + std::to_string(p->pid);
    fut_file *d = nullptr, *f = nullptr;
    ASSERT_EQ(fut_vfs_open(nullptr, dir.c_str(), FUT_O_RDONLY | FUT_O_DIRECTORY, 0, &d), 0);
    ASSERT_EQ(fut_vfs_open(nullptr, (dir + "/comm").c_str(), FUT_O_RDONLY, 0, &f), 0);
    Destroy(p);
    fut_vnode *vn = nullptr;
    EXPECT_EQ(fut_vfs_lookup(d->vnode, "stat", 0, &vn), -ENOENT);
    EXPECT_EQ(fut_vfs_lookup(d->vnode, "..", 0, &vn), 0); // the way out still works
    fut_vnode_put(vn);
    alignas(8) char buf[256];
    int64_t n = fut_vfs_getdents64(d, buf, sizeof(buf));
    EXPECT_EQ(n, 2 * 24); // "." and ".." only
    char text[16] = {};
    EXPECT_EQ(fut_vfs_read(f, text, sizeof(text)), 6);
    EXPECT_STREQ(text, "short\n");
    fut_vfs_close(f);
    fut_vfs_close(d);
}

TEST_F(Procfs, EverythingIsReadOnly)
{
    fut_process *p = NewProcess();
    fut_file *f = nullptr;
    std::string stat = "/proc/" + std::to_string(p->pid) + "/stat";
    EXPECT_EQ(fut_vfs_open(nullptr, "/proc/meminfo", FUT_O_WRONLY, 0, &f), -EACCES);
    EXPECT_EQ(fut_vfs_open(nullptr, stat.c_str(), FUT_O_RDWR, 0, &f), -EACCES);
    EXPECT_EQ(fut_vfs_open(nullptr, "/proc/new", FUT_O_WRONLY | FUT_O_CREAT, 0644, &f), -EPERM);
    EXPECT_EQ(fut_vfs_mkdir(nullptr, "/proc/dir", 0755), -EPERM);
    EXPECT_EQ(fut_vfs_unlink(nullptr, "/proc/meminfo"), -EPERM);
    EXPECT_EQ(fut_vfs_rmdir(nullptr, ("/proc/" + std::to_string(p->pid)).c_str()), -EPERM);
    EXPECT_EQ(fut_vfs_truncate(nullptr, "/proc/uptime", 0), -EINVAL);
    Destroy(p);
}

TEST_F(Procfs, ReadingEveryFileLeavesVnodesFilesHeapAndFramesAtBaseline)
{
    fut_process *p = NewProcess(nullptr, "x");
    p->mm = fut_mm_create();
    fut_vma v = Vma(0x400000, 0x401000, FUT_PROT_READ, FUT_VMA_PRIVATE | FUT_VMA_ANON);
    ASSERT_EQ(fut_mm_map(p->mm, &v), 0);
    RunAs(p);
    const char *files[] = {"meminfo",   "uptime",       "mounts",    "kmsg",
                           "version",   "cpuinfo",      "self/stat", "self/status",
                           "self/maps", "self/cmdline", "self/comm"};
    for (const char *name : files)
        ReadFile(std::string("/proc/") + name); // warm the heap's caches
    fut_vfs_stats vfs_before = VfsStats();
    fut_kmalloc_stats heap_before;
    fut_kmalloc_get_stats(&heap_before);
    uint64_t frames_before = FreeFrames();
    for (int round = 0; round < 3; round++) {
        for (const char *name : files)
            EXPECT_FALSE(ReadFile(std::string("/proc/") + name).empty() &&
                         strcmp(name, "self/cmdline") != 0)
                << name;
        List("/proc");
        List("/proc/self");
    }
    fut_vfs_stats vfs_after = VfsStats();
    fut_kmalloc_stats heap_after;
    fut_kmalloc_get_stats(&heap_after);
    EXPECT_EQ(vfs_after.live_vnodes, vfs_before.live_vnodes);
    EXPECT_EQ(vfs_after.open_files, vfs_before.open_files);
    EXPECT_EQ(heap_after.live_objects, heap_before.live_objects);
    EXPECT_EQ(FreeFrames(), frames_before);
    StopRunning();
    Destroy(p);
}

TEST_F(Procfs, InitRootMountsProcfsOnProc)
{
    ASSERT_EQ(fut_vfs_umount(nullptr, "/proc"), 0);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/"), 0); // the fixture's root
    ASSERT_EQ(fut_vfs_init_root(), 0);
    EXPECT_EQ(VfsStats().mounts, 3u);
    EXPECT_EQ(ReadFile("/proc/mounts"), "ramfs / ramfs rw 0 0\n"
                                        "devfs /dev devtmpfs rw 0 0\n"
                                        "proc /proc proc rw 0 0\n");
    EXPECT_EQ(Stat("/proc").st_mode, FUT_S_IFDIR | 0555u);
    EXPECT_EQ(fut_vfs_init_root(), 0); // already there: nothing new
    EXPECT_EQ(VfsStats().mounts, 3u);
    ASSERT_EQ(fut_vfs_umount(nullptr, "/dev"), 0); // TearDown unmounts /proc and the root
}

} // namespace
