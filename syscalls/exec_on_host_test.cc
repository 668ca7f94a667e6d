// exec, end to end, on the build machine: a child process maps the hello
// program exactly as its load plan says (file bytes, zero fill, protections),
// builds the initial stack with fut_exec_stack_build at a chosen address,
// points rsp at it and jumps to the entry point. hello is a static Linux
// program, so the host kernel runs it; what it prints proves that musl's
// start-up accepted the stack and that the plan placed every byte - for the
// ET_EXEC build at its own addresses and for the static PIE at a load bias
// of our choosing.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "futura/syscalls/elf.h"
#include "futura/syscalls/exec_stack.h"
#include "syscalls/testing/read_file.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

namespace
{

// Far from where a test process (with or without ASan) keeps anything.
constexpr uint64_t kPieBase = 0x300000000000ull;
constexpr uint64_t kStackTop = 0x310000000000ull;
constexpr uint64_t kStackBytes = 1 << 20;

// Child exit codes for set-up failures (hello itself exits 7).
enum : int { kMapFailed = 101, kStackFailed = 102 };

const uint8_t kRandom[16] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67,
                             0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98};

// In the child: map every segment per the plan. Anonymous read-write first,
// file bytes copied in (the rest stays zero), then the plan's protection.
bool MapPlan(const fut_elf_plan &plan, const std::vector<uint8_t> &file)
{
    for (uint32_t i = 0; i < plan.nsegments; i++) {
        const fut_elf_segment &s = plan.segments[i];
        void *want = reinterpret_cast<void *>(s.start);
        void *got = mmap(want, s.end - s.start, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (got != want)
            return false;
        memcpy(want, file.data() + s.file_offset, s.file_end - s.start);
        if (mprotect(want, s.end - s.start, static_cast<int>(s.prot)) != 0)
            return false;
    }
    return true;
}

// In the child: never returns. Runs the program with stdout on out_fd.
[[noreturn]] void RunInChild(const fut_elf_plan &plan, const std::vector<uint8_t> &file, int out_fd,
                             const char *const *argv, uint32_t argc, const char *const *envp,
                             uint32_t envc)
{
    alarm(10);
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
        signal(sig, SIG_DFL);
    if (dup2(out_fd, 1) < 0 || !MapPlan(plan, file))
        _exit(kMapFailed);

    void *stack =
        mmap(reinterpret_cast<void *>(kStackTop - kStackBytes), kStackBytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (stack != reinterpret_cast<void *>(kStackTop - kStackBytes))
        _exit(kStackFailed);

    fut_exec_stack_args args;
    memset(&args, 0, sizeof(args));
    args.argv = argv;
    args.argc = argc;
    args.envp = envp;
    args.envc = envc;
    args.execfn = "/bin/hello";
    args.random = kRandom;
    args.phdr = plan.phdr_addr;
    args.phent = plan.phent;
    args.phnum = plan.phnum;
    args.entry = plan.entry;
    args.pagesz = 4096;
    args.clktck = 100;
    args.uid = args.euid = static_cast<uint32_t>(getuid());
    args.gid = args.egid = static_cast<uint32_t>(getgid());
    fut_exec_stack_layout layout;
    if (fut_exec_stack_build(&args, stack, kStackBytes, kStackTop, &layout) != 0)
        _exit(kStackFailed);

    // The user-mode entry state of Linux x86-64: rsp at argc, rdx 0 (no
    // rtld_fini), rbp 0 (outermost frame).
    __asm__ volatile("mov %%rdi, %%rsp\n\t"
                     "xor %%edx, %%edx\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "jmp *%%rsi\n\t"
                     :
                     : "D"(layout.rsp), "S"(plan.entry)
                     : "memory");
    __builtin_unreachable();
}

struct RunResult {
    int status;
    std::string output;
};

RunResult Exec(const std::vector<uint8_t> &file, uint64_t dyn_base, fut_elf_plan *plan)
{
    RunResult r = {-1, ""};
    EXPECT_EQ(fut_elf_parse_image(file.data(), file.size(), dyn_base, plan), 0)
        << plan->reject_reason;
    const char *const argv[] = {"/bin/hello", "--argv", "two words",
                                "--envp",     "--auxv", "--exit=7"};
    const char *const envp[] = {"FOO=bar", "HOME=/"};

    int fds[2];
    if (pipe(fds) != 0)
        return r;
    fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        RunInChild(*plan, file, fds[1], argv, 6, envp, 2);
    }
    close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
        r.output.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    waitpid(pid, &r.status, 0);
    return r;
}

std::string Hex(uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%#llx", static_cast<unsigned long long>(v));
    return buf;
}

bool HasLine(const std::string &output, const std::string &line)
{
    return ("\n" + output).find("\n" + line + "\n") != std::string::npos;
}

void ExpectHelloSawItsExec(const RunResult &r, const fut_elf_plan &plan)
{
    ASSERT_TRUE(WIFEXITED(r.status)) << "status " << r.status << ", output:\n" << r.output;
    ASSERT_EQ(WEXITSTATUS(r.status), 7) << r.output;
    const std::vector<std::string> lines = {
        "Hello from Futura userland",
        "argc=6",
        "argv[0]=/bin/hello",
        "argv[2]=two words",
        "argv[5]=--exit=7",
        "envp[0]=FOO=bar",
        "envp[1]=HOME=/",
        "AT_PHDR=" + Hex(plan.phdr_addr),
        "AT_PHNUM=" + Hex(plan.phnum),
        "AT_ENTRY=" + Hex(plan.entry),
        "AT_PAGESZ=0x1000",
        "AT_RANDOM=deadbeef0123456789abcdeffedcba98",
        "AT_PLATFORM=x86_64",
        "AT_EXECFN=/bin/hello",
    };
    for (const std::string &line : lines)
        EXPECT_TRUE(HasLine(r.output, line)) << line << "\nin:\n" << r.output;
}

TEST(ExecOnHost, StaticExecutableRunsFromItsPlanAndStack)
{
    std::vector<uint8_t> file = fut_testing::ReadFile(fut_testing::kHelloExec);
    ASSERT_FALSE(file.empty());
    fut_elf_plan plan;
    RunResult r = Exec(file, kPieBase, &plan);
    ExpectHelloSawItsExec(r, plan);
}

TEST(ExecOnHost, StaticPieRunsAtTheChosenLoadBias)
{
    std::vector<uint8_t> file = fut_testing::ReadFile(fut_testing::kHelloPie);
    ASSERT_FALSE(file.empty());
    fut_elf_plan plan;
    RunResult r = Exec(file, kPieBase, &plan);
    EXPECT_EQ(plan.image_start, kPieBase);
    ExpectHelloSawItsExec(r, plan);
}

} // namespace
