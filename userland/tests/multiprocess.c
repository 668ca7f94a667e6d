/* multiprocess (the seed's suite): fork trees, wait ordering, pipes between
 * processes, and dup2 redirection of a child's output into a file. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* A binary tree of processes `depth` levels deep; each node exits with the
 * number of processes in its subtree, so the root sees 2^depth - 1. */
static int tree(int depth)
{
    if (depth == 1)
        return 1;
    int total = 1;
    for (int i = 0; i < 2; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(tree(depth - 1));
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
            return 0;
        total += WEXITSTATUS(st);
    }
    return total;
}

static void fork_trees(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(tree(5));
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 31);
}

static void wait_ordering(void)
{
    /* Children finish in the reverse of their creation order; wait(-1)
     * reports them in the order they finished. */
    pid_t pids[4];
    for (int i = 0; i < 4; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct timespec t = {0, (4 - i) * 40000000L};
            nanosleep(&t, NULL);
            _exit(i);
        }
    }
    for (int k = 3; k >= 0; k--) {
        int st;
        pid_t got = waitpid(-1, &st, 0);
        CHECK(got == pids[k] && WIFEXITED(st) && WEXITSTATUS(st) == k);
    }
    CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

static void pipes_between_processes(void)
{
    int to_child[2], to_parent[2];
    CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        char buf[64];
        ssize_t n;
        /* Echo every message back upper-cased until EOF. */
        while ((n = read(to_child[0], buf, sizeof(buf))) > 0) {
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] >= 'a' && buf[i] <= 'z')
                    buf[i] -= 32;
            write(to_parent[1], buf, n);
        }
        _exit(n == 0 ? 0 : 1);
    }
    close(to_child[0]);
    close(to_parent[1]);
    const char *msgs[] = {"ping", "hello pipes", "futura"};
    for (int i = 0; i < 3; i++) {
        char buf[64] = {0};
        CHECK(write(to_child[1], msgs[i], strlen(msgs[i])) == (ssize_t)strlen(msgs[i]));
        CHECK(read(to_parent[0], buf, sizeof(buf)) == (ssize_t)strlen(msgs[i]));
        printf("multiprocess: sent %s, got %s\n", msgs[i], buf);
    }
    close(to_child[1]); /* EOF for the child */
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char c;
    CHECK(read(to_parent[0], &c, 1) == 0); /* every writer is gone: EOF */
    close(to_parent[0]);
}

static void pipeline_of_three(void)
{
    /* producer | doubler | consumer, with 64 KiB flowing through. */
    int a[2], b[2];
    CHECK(pipe(a) == 0 && pipe(b) == 0);
    if (fork() == 0) {
        close(a[0]); close(b[0]); close(b[1]);
        char block[1024];
        for (int i = 0; i < 64; i++) {
            memset(block, 'a' + i % 26, sizeof(block));
            write(a[1], block, sizeof(block));
        }
        _exit(0);
    }
    if (fork() == 0) {
        close(a[1]); close(b[0]);
        char buf[512];
        ssize_t n;
        while ((n = read(a[0], buf, sizeof(buf))) > 0) {
            write(b[1], buf, n);
            write(b[1], buf, n);
        }
        _exit(0);
    }
    close(a[0]); close(a[1]); close(b[1]);
    long total = 0;
    unsigned long sum = 0;
    char buf[4096];
    ssize_t n;
    while ((n = read(b[0], buf, sizeof(buf))) > 0) {
        total += n;
        for (ssize_t i = 0; i < n; i++)
            sum += (unsigned char)buf[i];
    }
    close(b[0]);
    while (wait(NULL) > 0)
        ;
    unsigned long want = 0;
    for (int i = 0; i < 64; i++)
        want += 2ul * 1024 * (unsigned long)('a' + i % 26);
    CHECK(total == 128 * 1024);
    CHECK(sum == want);
}

static void dup2_redirection(void)
{
    int fd = open("/tmp-mp-out", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 1);
        close(fd);
        char *argv[] = {"hello", "--argv", NULL};
        execv("/bin/hello", argv);
        _exit(127);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char buf[256] = {0};
    CHECK(pread(fd, buf, sizeof(buf) - 1, 0) > 0);
    CHECK(strstr(buf, "Hello from Futura userland") != NULL);
    CHECK(strstr(buf, "argv[1]=--argv") != NULL);
    close(fd);
    unlink("/tmp-mp-out");
}

static void sigpipe_and_epipe(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    close(p[0]);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1); /* no reader: SIGPIPE kills us */
        _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERRNO(write(p[1], "x", 1), EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
}

int main(void)
{
    fork_trees();
    wait_ordering();
    pipes_between_processes();
    pipeline_of_three();
    dup2_redirection();
    sigpipe_and_epipe();
    return check_summary("multiprocess");
}
