/* Signals: user handlers with siginfo, SIGSEGV with the faulting address,
 * masks and pending sets, SA_RESTART vs EINTR, SIGCHLD, stop/continue seen by
 * waitpid, kill to a process group, SIG_IGN, alternate stacks, pause. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t got_sig, got_code, got_pid, chld_count;
static volatile uintptr_t got_addr, handler_sp;
static sigjmp_buf jump;

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(jump, 1);
}

static void on_usr(int sig)
{
    int local;
    got_sig = sig;
    handler_sp = (uintptr_t)&local;
}

static void on_chld(int sig)
{
    (void)sig;
    chld_count++;
}

static void install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa = {0};
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void handlers_and_info(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    got_sig = 0;
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(got_sig == SIGUSR1);
    CHECK(got_pid == getpid());
    struct sigaction old;
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_sigaction == on_info);
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
}

static void segv_with_address(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    got_addr = 0;
    if (sigsetjmp(jump, 1) == 0) {
        *(volatile int *)0x12345678 = 1;
        CHECK(!"the write should have faulted");
    }
    CHECK(got_addr == 0x12345678);
    install(SIGSEGV, SIG_DFL, 0);
}

static void masks_and_pending(void)
{
    install(SIGUSR2, on_usr, 0);
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    got_sig = 0;
    raise(SIGUSR2);
    CHECK(got_sig == 0);
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR2));
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(got_sig == SIGUSR2);
    CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR2));
}

/* The parent blocks in waitpid; the child interrupts it with SIGUSR1. */
static int interrupted_wait(int flags)
{
    install(SIGUSR1, on_usr, flags);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
        kill(parent, SIGUSR1);
        nanosleep(&t, NULL);
        _exit(0);
    }
    got_sig = 0;
    errno = 0;
    int rc = waitpid(pid, NULL, 0);
    int err = errno;
    if (rc == -1)
        waitpid(pid, NULL, 0);
    CHECK(got_sig == SIGUSR1);
    errno = err;
    return rc == pid ? 0 : -err;
}

static void restart_semantics(void)
{
    CHECK(interrupted_wait(SA_RESTART) == 0);
    CHECK(interrupted_wait(0) == -EINTR);
}

static void sigchld(void)
{
    install(SIGCHLD, on_chld, 0);
    chld_count = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    CHECK(waitpid(pid, NULL, 0) == pid);
    CHECK(chld_count == 1);
    install(SIGCHLD, SIG_DFL, 0);
}

static void stop_and_continue(void)
{
    pid_t pid = fork();
    if (pid == 0)
        for (;;)
            ;
    int st;
    CHECK(kill(pid, SIGSTOP) == 0);
    CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st));
    CHECK(kill(pid, SIGTSTP) == 0);
    CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
    CHECK(kill(pid, SIGKILL) == 0); /* kills even a stopped process */
    CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void process_group_and_ignore(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        for (;;)
            pause();
    }
    CHECK(setpgid(pid, pid) == 0 || errno == EACCES);
    struct timespec t = {0, 20000000};
    nanosleep(&t, NULL);
    CHECK(getpgid(pid) == pid);
    CHECK(kill(-pid, SIGTERM) == 0);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    install(SIGTERM, SIG_IGN, 0);
    CHECK(raise(SIGTERM) == 0); /* ignored: we are still here */
    install(SIGTERM, SIG_DFL, 0);
}

static void alternate_stack(void)
{
    static char altstack[16384];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
    CHECK(sigaltstack(&ss, NULL) == 0);
    install(SIGUSR2, on_usr, SA_ONSTACK);
    handler_sp = 0;
    raise(SIGUSR2);
    CHECK(handler_sp > (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof(altstack));
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0);
}

static void pause_returns_eintr(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        install(SIGUSR1, on_usr, 0);
        int rc = pause();
        _exit(rc == -1 && errno == EINTR && got_sig == SIGUSR1 ? 7 : 1);
    }
    struct timespec t = {0, 50000000};
    nanosleep(&t, NULL);
    CHECK(kill(pid, SIGUSR1) == 0);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

int main(void)
{
    handlers_and_info();
    segv_with_address();
    masks_and_pending();
    restart_semantics();
    sigchld();
    stop_and_continue();
    process_group_and_ignore();
    alternate_stack();
    pause_returns_eintr();
    return check_summary("signals");
}
