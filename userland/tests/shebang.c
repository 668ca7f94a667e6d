/*
 * shebang: execve of "#!" scripts, as Linux runs them.
 *
 * The interpreter in every script is this program: started with
 * SHEBANG_REPORT in its environment it prints what it was given (argv joined
 * with '|', AT_EXECFN, /proc/self/comm) and exits. The test writes scripts to
 * /tmp, runs each in a child with stdout on a pipe and compares the report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static int report(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        printf("%s%s", i ? "|" : "", argv[i]);
    char comm[32] = "?";
    int fd = open("/proc/self/comm", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, comm, sizeof(comm) - 1);
        comm[n > 0 ? n : 0] = '\0';
        comm[strcspn(comm, "\n")] = '\0';
        close(fd);
    }
    printf(" execfn=%s comm=%s\n", (const char *)getauxval(AT_EXECFN), comm);
    return 0;
}

static void write_script(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    CHECK(fd >= 0);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    CHECK(close(fd) == 0);
    CHECK(chmod(path, mode) == 0);
}

/* Runs execve(path, argv) in a child: the report it printed, or "errno=N"
 * when execve failed. */
static const char *run(const char *path, char *const argv[])
{
    static char out[1024];
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        char *envp[] = {"SHEBANG_REPORT=1", NULL};
        execve(path, argv, envp);
        printf("errno=%d\n", errno);
        fflush(stdout);
        _exit(0);
    }
    close(p[1]);
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(out) - 1 && (n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    out[strcspn(out, "\n")] = '\0';
    close(p[0]);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return out;
}

#define EXPECT_RUN(path, want, ...)                                                 \
    do {                                                                            \
        char *argv_[] = {__VA_ARGS__, NULL};                                        \
        const char *got_ = run(path, argv_);                                        \
        check_count++;                                                              \
        if (strcmp(got_, want) != 0) {                                              \
            check_failures++;                                                       \
            printf("CHECK FAILED %s:%d: %s\n  got  %s\n  want %s\n", __FILE__, __LINE__, \
                   path, got_, want);                                               \
        }                                                                           \
    } while (0)

int main(int argc, char **argv)
{
    if (getenv("SHEBANG_REPORT"))
        return report(argc, argv);

    write_script("/tmp/witharg", "#!/bin/shebang --opt  with space \t\necho never\n", 0755);
    write_script("/tmp/plain", "#!  /bin/shebang\n", 0755);
    write_script("/tmp/nested", "#!/tmp/witharg extra\n", 0755);
    write_script("/tmp/loop", "#!/tmp/loop\n", 0755);
    write_script("/tmp/missing", "#!/bin/no-such-interpreter\n", 0755);
    write_script("/tmp/empty", "#!\n", 0755);
    write_script("/tmp/noexec", "#!/bin/shebang\n", 0644);
    write_script("/tmp/text", "just text\n", 0755);

    /* The interpreter, its one argument (blanks inside kept), the script as
     * named, then argv[1]...; argv[0] is dropped. */
    EXPECT_RUN("/tmp/witharg",
               "/bin/shebang|--opt  with space|/tmp/witharg|x|y execfn=/tmp/witharg comm=witharg",
               "name0", "x", "y");
    EXPECT_RUN("/tmp/plain", "/bin/shebang|/tmp/plain execfn=/tmp/plain comm=plain", "p");
    /* A script as interpreter: both lines apply, innermost first. */
    EXPECT_RUN("/tmp/nested",
               "/bin/shebang|--opt  with space|/tmp/witharg|extra|/tmp/nested|z "
               "execfn=/tmp/nested comm=nested",
               "n", "z");
    /* No argv at all still passes the script. */
    {
        char *none[] = {NULL};
        const char *got = run("/tmp/plain", none);
        CHECK(strcmp(got, "/bin/shebang|/tmp/plain execfn=/tmp/plain comm=plain") == 0);
    }

    char buf[32];
    snprintf(buf, sizeof(buf), "errno=%d", ELOOP);
    EXPECT_RUN("/tmp/loop", buf, "loop");
    snprintf(buf, sizeof(buf), "errno=%d", ENOENT);
    EXPECT_RUN("/tmp/missing", buf, "missing");
    snprintf(buf, sizeof(buf), "errno=%d", ENOEXEC);
    EXPECT_RUN("/tmp/empty", buf, "empty");
    EXPECT_RUN("/tmp/text", buf, "text");
    snprintf(buf, sizeof(buf), "errno=%d", EACCES);
    EXPECT_RUN("/tmp/noexec", buf, "noexec");

    /* The failed execs left this process and the scripts as they were. */
    CHECK(access("/tmp/witharg", X_OK) == 0);
    EXPECT_RUN("/tmp/witharg",
               "/bin/shebang|--opt  with space|/tmp/witharg execfn=/tmp/witharg comm=witharg",
               "again");
    return check_summary("shebang");
}
