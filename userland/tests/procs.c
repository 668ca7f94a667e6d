/* Processes: fork, exec of another binary, wait4 statuses (exit codes and
 * signals), getpid/getppid, kill, and 1,000 exec/exit/wait cycles that leave
 * every kernel resource count at its baseline. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "futura_stats.h"

static int run(const char *path, char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execv(path, argv);
        _exit(126);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void exit_codes(void)
{
    for (int code = 0; code < 256; code += 51) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            _exit(code);
        int status;
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == code);
    }
    CHECK_ERRNO(waitpid(-1, NULL, 0), ECHILD);
    CHECK_ERRNO(waitpid(12345, NULL, WNOHANG), ECHILD);
}

static void exec_other_binary(void)
{
    char *argv[] = {"hello", "--exit=42", NULL};
    int status = run("/bin/hello", argv);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    char *missing[] = {"nope", NULL};
    status = run("/bin/does-not-exist", missing);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 126);
    /* Executable but not an ELF program: ENOEXEC; not executable: EACCES. */
    int fd = open("/notelf", O_CREAT | O_WRONLY | O_TRUNC, 0755);
    CHECK(fd >= 0 && write(fd, "not a program\n", 14) == 14 && close(fd) == 0);
    CHECK_ERRNO(execv("/notelf", argv), ENOEXEC);
    CHECK_ERRNO(execv("/etc/motd", argv), EACCES);
    unlink("/notelf");
}

static void signals_and_ids(void)
{
    pid_t me = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        if (getppid() != me)
            _exit(3);
        for (;;)
            pause();
    }
    CHECK(pid > me);
    CHECK(kill(pid, SIGTERM) == 0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(4);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK_ERRNO(kill(99999, SIGTERM), ESRCH);
    /* A child that touches unmapped memory dies of SIGSEGV. */
    pid = fork();
    if (pid == 0) {
        *(volatile int *)16 = 1;
        _exit(5);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    /* WNOHANG with a live child returns 0. */
    pid = fork();
    if (pid == 0) {
        usleep(50000);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, WNOHANG) == 0);
    CHECK(waitpid(pid, &status, 0) == pid);
}

static void exec_cycles(int n)
{
    struct futura_stats before, after;
    char *argv[] = {"hello", "--quiet", NULL};
    /* Warm up: the first exec of a file brings its pages into the page cache. */
    run("/bin/hello", argv);
    CHECK(futura_stats(&before) == 0);
    futura_stats_print("before", &before);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        int status = run("/bin/hello", argv);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(futura_stats(&after) == 0);
    futura_stats_print("after", &after);
    CHECK(after.free_frames == before.free_frames);
    CHECK(after.page_table_pages == before.page_table_pages);
    CHECK(after.kmalloc_live_objects == before.kmalloc_live_objects);
    CHECK(after.live_processes == before.live_processes);
    CHECK(after.live_threads == before.live_threads);
    CHECK(after.open_files == before.open_files);
    CHECK(after.live_vnodes == before.live_vnodes);
    CHECK(after.kernel_stacks == before.kernel_stacks);
    printf("exec cycles: %d exec/exit/wait cycles\n", n);
}

int main(int argc, char **argv)
{
    int cycles = argc > 1 ? atoi(argv[1]) : 1000;
    exit_codes();
    exec_other_binary();
    signals_and_ids();
    exec_cycles(cycles);
    return check_summary("procs");
}
