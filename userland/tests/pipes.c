/* Pipes between processes: ping-pong through two pipes, end of file when the
 * writers close, SIGPIPE and EPIPE, O_NONBLOCK, atomic PIPE_BUF writes from
 * competing writers, a 1 MiB transfer, signals interrupting sleeping readers,
 * poll/ppoll/select/pselect readiness and timeouts, dup2 redirection of
 * stdout, and kernel resources back at baseline after many pipes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "futura_stats.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int status_of(pid_t pid)
{
    int status = -1;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static int exited_ok(int status)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Reads until n bytes or end of file; returns the count. */
static size_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static int write_full(int fd, const void *buf, size_t n)
{
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);
        if (w <= 0)
            return -1;
        put += (size_t)w;
    }
    return 0;
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

static void install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa = {0};
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void basics(void)
{
    int p[2], q[2];
    char buf[16];
    CHECK(pipe(p) == 0);
    CHECK(p[1] > p[0]);
    struct stat st;
    CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK(fstat(p[1], &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK_ERRNO(lseek(p[0], 0, SEEK_CUR), ESPIPE);
    CHECK_ERRNO(pread(p[0], buf, 1, 0), ESPIPE);
    CHECK_ERRNO(write(p[0], "x", 1), EBADF);
    CHECK_ERRNO(read(p[1], buf, 1), EBADF);
    CHECK(write(p[1], "hello", 5) == 5);
    CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
    CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
    CHECK(fcntl(p[0], F_GETFD) == 0);
    int lowest = p[0];
    CHECK(close(p[0]) == 0 && close(p[1]) == 0);

    CHECK(pipe2(q, O_CLOEXEC) == 0);
    CHECK(fcntl(q[0], F_GETFD) == FD_CLOEXEC && fcntl(q[1], F_GETFD) == FD_CLOEXEC);
    CHECK(!(fcntl(q[0], F_GETFL) & O_NONBLOCK));
    close(q[0]);
    close(q[1]);
    CHECK_ERRNO(pipe2(q, O_APPEND), EINVAL);
    CHECK_ERRNO(pipe2(q, O_DIRECT), EINVAL);
    /* A bad array: EFAULT, and no descriptor is left behind. */
    CHECK_ERRNO(syscall(SYS_pipe, (int *)8), EFAULT);
    CHECK_ERRNO(syscall(SYS_pipe2, (int *)0xffff800000000000ull, 0), EFAULT);
    CHECK(pipe(p) == 0 && p[0] == lowest);
    close(p[0]);
    close(p[1]);
}

/* Parent and child bounce a counter through two pipes. */
static void ping_pong(void)
{
    int down[2], up[2];
    CHECK(pipe(down) == 0 && pipe(up) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        uint32_t v;
        while (read(down[0], &v, sizeof(v)) == sizeof(v)) {
            v++;
            if (write(up[1], &v, sizeof(v)) != sizeof(v))
                _exit(2);
        }
        _exit(0); /* end of file: the parent closed its end */
    }
    close(down[0]);
    close(up[1]);
    int bad = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t v = i * 2, back = 0;
        if (write(down[1], &v, sizeof(v)) != sizeof(v) || read(up[0], &back, sizeof(back)) != 4 ||
            back != v + 1)
            bad++;
    }
    CHECK(bad == 0);
    close(down[1]);
    uint32_t v;
    CHECK(read(up[0], &v, sizeof(v)) == 0); /* the child exited: no writer left */
    CHECK(exited_ok(status_of(pid)));
    close(up[0]);
}

static void end_of_file(void)
{
    int p[2];
    char buf[16];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        write(p[1], "data", 4);
        usleep(20000);
        _exit(0); /* exiting closes the last write end */
    }
    close(p[1]);
    CHECK(read_full(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "data", 4) == 0);
    CHECK(read(p[0], buf, sizeof(buf)) == 0);
    CHECK(read(p[0], buf, sizeof(buf)) == 0);
    CHECK(exited_ok(status_of(pid)));
    close(p[0]);

    /* A reader asleep on an empty pipe wakes with 0 when the last writer goes. */
    CHECK(pipe(p) == 0);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        usleep(50000);
        _exit(0);
    }
    close(p[1]);
    uint64_t t0 = now_ns();
    CHECK(read(p[0], buf, 1) == 0);
    CHECK(now_ns() - t0 >= 40000000u);
    CHECK(exited_ok(status_of(pid)));
    close(p[0]);

    /* A dup of the write end keeps the pipe open. */
    CHECK(pipe2(p, O_NONBLOCK) == 0);
    int d = dup(p[1]);
    CHECK(d >= 0 && close(p[1]) == 0);
    CHECK_ERRNO(read(p[0], buf, 1), EAGAIN);
    CHECK(close(d) == 0);
    CHECK(read(p[0], buf, 1) == 0);
    close(p[0]);
}

static void sigpipe_and_epipe(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    close(p[0]);
    /* Default action: the writer dies of SIGPIPE. */
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(3);
    }
    int status = status_of(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
    /* SIG_IGN: the write fails with EPIPE. */
    pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        errno = 0;
        ssize_t n = write(p[1], "x", 1);
        _exit(n == -1 && errno == EPIPE ? 0 : 4);
    }
    CHECK(exited_ok(status_of(pid)));
    /* A handler runs, then the write fails with EPIPE. */
    pid = fork();
    if (pid == 0) {
        install(SIGPIPE, on_signal, 0);
        errno = 0;
        ssize_t n = write(p[1], "xyz", 3);
        _exit(n == -1 && errno == EPIPE && got_signal == SIGPIPE ? 0 : 5);
    }
    CHECK(exited_ok(status_of(pid)));
    close(p[1]);

    /* A writer asleep on a full pipe dies when the last reader closes. */
    CHECK(pipe(p) == 0);
    pid = fork();
    if (pid == 0) {
        static char big[128 * 1024];
        close(p[0]);
        write(p[1], big, sizeof(big));
        _exit(6);
    }
    close(p[1]);
    usleep(50000);
    close(p[0]);
    status = status_of(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
}

static void nonblocking(void)
{
    int p[2];
    char chunk[1000], buf[8192];
    memset(chunk, 'n', sizeof(chunk));
    CHECK(pipe2(p, O_NONBLOCK) == 0);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    CHECK_ERRNO(read(p[0], buf, 1), EAGAIN);
    size_t total = 0;
    ssize_t n;
    while ((n = write(p[1], chunk, sizeof(chunk))) > 0)
        total += (size_t)n;
    CHECK(n == -1 && errno == EAGAIN);
    CHECK(total == 65000);                /* 536 bytes are left: too few for an atomic 1000 */
    CHECK(write(p[1], buf, 5000) == 536); /* beyond PIPE_BUF: what fits */
    CHECK_ERRNO(write(p[1], "x", 1), EAGAIN);
    /* Back to blocking reads: everything comes out, then EAGAIN again. */
    CHECK(fcntl(p[0], F_SETFL, 0) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
    size_t drained = 0;
    while (drained < 65536 && (n = read(p[0], buf, sizeof(buf))) > 0)
        drained += (size_t)n;
    CHECK(drained == 65536);
    CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
    CHECK_ERRNO(read(p[0], buf, 1), EAGAIN);
    close(p[0]);
    close(p[1]);
}

/* Three writers race PIPE_BUF-sized messages through a pipe a slow reader
 * empties: every message arrives whole. */
static void atomic_writes(void)
{
    enum { WRITERS = 3, MESSAGES = 100 };
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            static char msg[PIPE_BUF];
            close(p[0]);
            memset(msg, 'A' + w, sizeof(msg));
            for (int i = 0; i < MESSAGES; i++) {
                if (write(p[1], msg, sizeof(msg)) != sizeof(msg))
                    _exit(1);
            }
            _exit(0);
        }
    }
    close(p[1]);
    usleep(50000); /* let the pipe fill so the writers sleep */
    static char msg[PIPE_BUF];
    int count[WRITERS] = {0}, torn = 0;
    while (read_full(p[0], msg, sizeof(msg)) == sizeof(msg)) {
        int w = msg[0] - 'A';
        for (size_t i = 1; i < sizeof(msg); i++)
            torn += msg[i] != msg[0];
        if (w >= 0 && w < WRITERS)
            count[w]++;
        else
            torn++;
    }
    CHECK(torn == 0);
    for (int w = 0; w < WRITERS; w++) {
        CHECK(count[w] == MESSAGES);
        CHECK(exited_ok(status_of(pids[w])));
    }
    close(p[0]);
}

/* The same byte stream on both sides whatever the chunking. */
static uint8_t next_byte(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return (uint8_t)*x;
}

static void one_mib_transfer(void)
{
    enum { TOTAL = 1 << 20 };
    int p[2];
    CHECK(pipe(p) == 0);
    uint64_t t0 = now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        static uint8_t out[9000];
        close(p[0]);
        uint32_t x = 2463534242u;
        size_t sent = 0, chunk = 1;
        while (sent < TOTAL) {
            size_t n = TOTAL - sent < chunk ? TOTAL - sent : chunk;
            for (size_t i = 0; i < n; i++)
                out[i] = next_byte(&x);
            if (write_full(p[1], out, n))
                _exit(1);
            sent += n;
            chunk = chunk * 3 % 8999 + 1;
        }
        _exit(0);
    }
    close(p[1]);
    static uint8_t in[7000];
    uint32_t x = 2463534242u, sum_got = 0, sum_want = 0;
    size_t got = 0, want = 1, mismatches = 0;
    ssize_t n;
    while ((n = read(p[0], in, want)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            uint8_t b = next_byte(&x);
            mismatches += in[i] != b;
            sum_got = sum_got * 31 + in[i];
            sum_want = sum_want * 31 + b;
        }
        got += (size_t)n;
        want = want * 7 % 6999 + 1;
    }
    CHECK(n == 0);
    CHECK(got == TOTAL);
    CHECK(mismatches == 0 && sum_got == sum_want);
    CHECK(exited_ok(status_of(pid)));
    close(p[0]);
    printf("1 MiB through a pipe in %llu ms, checksum %08x\n",
           (unsigned long long)((now_ns() - t0) / 1000000), sum_got);
}

/* Signals reach a reader asleep on an empty pipe: a handler with SA_RESTART
 * resumes the read, one without makes it fail with EINTR, SIGTERM kills. */
static void interrupted_readers(void)
{
    for (int restart = 0; restart < 2; restart++) {
        int p[2], ready[2];
        CHECK(pipe(p) == 0 && pipe(ready) == 0);
        pid_t pid = fork();
        if (pid == 0) {
            char buf[8];
            install(SIGUSR1, on_signal, restart ? SA_RESTART : 0);
            close(p[1]);
            write(ready[1], "r", 1);
            errno = 0;
            ssize_t n = read(p[0], buf, sizeof(buf));
            int ok = restart ? n == 4 && memcmp(buf, "data", 4) == 0 : n == -1 && errno == EINTR;
            _exit(ok && got_signal == SIGUSR1 ? 0 : 1);
        }
        char c;
        CHECK(read(ready[0], &c, 1) == 1);
        usleep(50000); /* the child is asleep in read by now */
        CHECK(kill(pid, SIGUSR1) == 0);
        usleep(30000);
        CHECK(write(p[1], "data", 4) == 4);
        CHECK(exited_ok(status_of(pid)));
        close(p[0]);
        close(p[1]);
        close(ready[0]);
        close(ready[1]);
    }
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(p[0], &c, 1); /* never returns: the parent holds the write end */
        _exit(1);
    }
    usleep(30000);
    CHECK(kill(pid, SIGTERM) == 0);
    int status = status_of(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    close(p[0]);
    close(p[1]);
}

static void poll_readiness(void)
{
    int p[2], q[2];
    char buf[8];
    CHECK(pipe(p) == 0);
    struct pollfd fds[2] = {{p[0], POLLIN, -1}, {p[1], POLLOUT, -1}};
    CHECK(poll(fds, 2, 0) == 1);
    CHECK(fds[0].revents == 0 && fds[1].revents == POLLOUT);
    /* Nothing to read: the timeout passes, never early. */
    uint64_t t0 = now_ns();
    CHECK(poll(fds, 1, 50) == 0);
    CHECK(now_ns() - t0 >= 50000000u);
    CHECK(write(p[1], "x", 1) == 1);
    CHECK(poll(fds, 1, -1) == 1 && fds[0].revents == POLLIN);
    CHECK(read(p[0], buf, sizeof(buf)) == 1);
    /* A sleeping poll wakes when another process writes. */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(30000);
        write(p[1], "y", 1);
        _exit(0);
    }
    t0 = now_ns();
    CHECK(poll(fds, 1, 5000) == 1 && fds[0].revents == POLLIN);
    uint64_t waited = now_ns() - t0;
    CHECK(waited >= 20000000u && waited < 4000000000u);
    CHECK(exited_ok(status_of(pid)));
    CHECK(read(p[0], buf, sizeof(buf)) == 1);
    /* ... and when the last writer goes: POLLHUP, with POLLIN while data waits. */
    pid = fork();
    if (pid == 0) {
        usleep(30000);
        _exit(0);
    }
    close(p[1]);
    t0 = now_ns();
    CHECK(poll(fds, 1, -1) == 1 && fds[0].revents == POLLHUP);
    CHECK(now_ns() - t0 >= 20000000u);
    CHECK(exited_ok(status_of(pid)));
    CHECK(pipe(q) == 0 && write(q[1], "z", 1) == 1 && close(q[1]) == 0);
    struct pollfd z = {q[0], POLLIN, 0};
    CHECK(poll(&z, 1, -1) == 1 && z.revents == (POLLIN | POLLHUP));
    CHECK(read(q[0], buf, sizeof(buf)) == 1 && read(q[0], buf, sizeof(buf)) == 0);
    close(q[0]);
    /* POLLHUP and POLLERR are reported even when not asked for. */
    fds[0].events = 0;
    CHECK(poll(fds, 1, 0) == 1 && fds[0].revents == POLLHUP);
    CHECK(pipe(q) == 0);
    close(q[0]);
    struct pollfd w = {q[1], POLLOUT, 0};
    CHECK(poll(&w, 1, 0) == 1 && w.revents == (POLLOUT | POLLERR));
    close(q[1]);
    /* Closed descriptors are POLLNVAL; negative ones are skipped. */
    struct pollfd odd[2] = {{p[1], POLLIN, 0}, {-1, POLLIN, 7}};
    CHECK(poll(odd, 2, 0) == 1 && odd[0].revents == POLLNVAL && odd[1].revents == 0);
    close(p[0]);
    /* A regular file is always ready. */
    int fd = open("/etc/motd", O_RDONLY);
    struct pollfd f = {fd, POLLIN | POLLOUT, 0};
    CHECK(fd >= 0 && poll(&f, 1, -1) == 1 && f.revents == (POLLIN | POLLOUT));
    close(fd);
    /* Errors. */
    static struct pollfd many[1025];
    CHECK_ERRNO(poll(many, 1025, 0), EINVAL);
    CHECK_ERRNO(poll((struct pollfd *)8, 1, 0), EFAULT);
    CHECK(poll(NULL, 0, 20) == 0); /* a 20 ms sleep */
}

static void ppoll_timeouts(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    struct pollfd fds = {p[0], POLLIN, 0};
    /* The raw system call writes back the time left. */
    struct timespec ts = {0, 20000000};
    uint64_t t0 = now_ns();
    CHECK(syscall(SYS_ppoll, &fds, 1, &ts, NULL, 8) == 0);
    CHECK(now_ns() - t0 >= 20000000u);
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0);
    CHECK(write(p[1], "x", 1) == 1);
    ts = (struct timespec){5, 0};
    CHECK(syscall(SYS_ppoll, &fds, 1, &ts, NULL, 8) == 1 && fds.revents == POLLIN);
    CHECK(ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0));
    sigset_t mask;
    sigemptyset(&mask);
    CHECK(ppoll(&fds, 1, NULL, &mask) == 1);
    CHECK_ERRNO(syscall(SYS_ppoll, &fds, 1, NULL, &mask, 4), EINVAL);
    ts = (struct timespec){0, 1000000000};
    CHECK_ERRNO(syscall(SYS_ppoll, &fds, 1, &ts, NULL, 8), EINVAL);
    close(p[0]);
    close(p[1]);
}

static void select_readiness(void)
{
    int p[2];
    char buf[8];
    CHECK(pipe(p) == 0);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    struct timeval tv = {0, 0};
    CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 1);
    CHECK(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
    /* Timeout: 0, the sets cleared, the time left written back (by the
     * system call: musl's select passes a copy). */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){0, 30000};
    uint64_t t0 = now_ns();
    CHECK(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv) == 0);
    CHECK(now_ns() - t0 >= 30000000u);
    CHECK(!FD_ISSET(p[0], &r) && tv.tv_sec == 0 && tv.tv_usec == 0);
    /* A sleeping select wakes when another process writes. */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(30000);
        write(p[1], "z", 1);
        _exit(0);
    }
    FD_SET(p[0], &r);
    CHECK(select(p[0] + 1, &r, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &r));
    CHECK(exited_ok(status_of(pid)));
    /* Readable and writable: each set bit counts. */
    FD_SET(p[0], &r);
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    CHECK(select(p[1] + 1, &r, &w, NULL, NULL) == 2);
    CHECK(read(p[0], buf, sizeof(buf)) == 1);
    /* Hang-up is readable for select. */
    close(p[1]);
    FD_SET(p[0], &r);
    CHECK(select(p[0] + 1, &r, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &r));
    /* Errors. */
    FD_ZERO(&r);
    FD_SET(p[1], &r); /* closed */
    CHECK_ERRNO(select(p[1] + 1, &r, NULL, NULL, NULL), EBADF);
    CHECK_ERRNO(select(-1, NULL, NULL, NULL, NULL), EINVAL);
    tv = (struct timeval){0, -1};
    CHECK_ERRNO(select(0, NULL, NULL, NULL, &tv), EINVAL);
    CHECK_ERRNO(select(p[0] + 1, (fd_set *)8, NULL, NULL, NULL), EFAULT);
    /* Bits at or above nfds are ignored, even for closed descriptors. */
    FD_ZERO(&r);
    FD_SET(p[1], &r);
    tv = (struct timeval){0, 0};
    CHECK(select(p[1], &r, NULL, NULL, &tv) == 0);
    /* Without descriptors select sleeps. */
    tv = (struct timeval){0, 20000};
    t0 = now_ns();
    CHECK(select(0, NULL, NULL, NULL, &tv) == 0 && now_ns() - t0 >= 20000000u);
    close(p[0]);
}

/* pselect's mask lets in a signal the caller blocks: the handler runs and
 * pselect fails with EINTR. */
static void pselect_with_mask(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    struct timespec ts = {0, 20000000};
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t block, open;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigprocmask(SIG_BLOCK, &block, NULL);
        install(SIGUSR1, on_signal, 0);
        write(p[1], "r", 1); /* ready */
        sigemptyset(&open);
        fd_set none;
        FD_ZERO(&none);
        errno = 0;
        int n = pselect(0, &none, NULL, NULL, NULL, &open);
        _exit(n == -1 && errno == EINTR && got_signal == SIGUSR1 ? 0 : 1);
    }
    char c;
    CHECK(read(p[0], &c, 1) == 1);
    usleep(50000);
    CHECK(kill(pid, SIGUSR1) == 0);
    CHECK(exited_ok(status_of(pid)));
    close(p[0]);
    close(p[1]);
}

static void dup2_redirection(void)
{
    int p[2];
    static char buf[4096];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        if (dup2(p[1], 1) != 1)
            _exit(2);
        close(p[1]);
        execl("/bin/hello", "hello", "--exit=7", NULL);
        _exit(127);
    }
    close(p[1]);
    size_t n = read_full(p[0], buf, sizeof(buf) - 1);
    buf[n] = '\0';
    CHECK(strcmp(buf, "Hello from Futura userland\n") == 0);
    int status = status_of(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    close(p[0]);

    /* Our own stdout through a pipe and back. */
    fflush(stdout);
    int saved = dup(1);
    CHECK(pipe(p) == 0 && saved >= 0);
    CHECK(dup2(p[1], 1) == 1);
    printf("through the pipe %d\n", 42);
    fflush(stdout);
    CHECK(dup2(saved, 1) == 1);
    close(saved);
    close(p[1]);
    n = read_full(p[0], buf, sizeof(buf) - 1);
    buf[n] = '\0';
    CHECK(strcmp(buf, "through the pipe 42\n") == 0);
    close(p[0]);
}

/* One round of everything a pipe owns: both ends, a writer process, data. */
static int pipe_round(void)
{
    int p[2];
    char buf[4096];
    if (pipe(p))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        memset(buf, 'r', sizeof(buf));
        for (int i = 0; i < 20; i++)
            write(p[1], buf, sizeof(buf));
        _exit(0);
    }
    close(p[1]);
    struct pollfd fds = {p[0], POLLIN, 0};
    size_t total = 0;
    ssize_t n;
    while (poll(&fds, 1, -1) == 1 && (n = read(p[0], buf, sizeof(buf))) > 0)
        total += (size_t)n;
    close(p[0]);
    return exited_ok(status_of(pid)) && total == 20 * sizeof(buf) ? 0 : -1;
}

static void resources_at_baseline(void)
{
    struct futura_stats before, after;
    pipe_round(); /* warm-up */
    CHECK(futura_stats(&before) == 0);
    int bad = 0;
    for (int i = 0; i < 200; i++)
        bad += pipe_round() != 0;
    CHECK(bad == 0);
    CHECK(futura_stats(&after) == 0);
    futura_stats_print("before", &before);
    futura_stats_print("after", &after);
    CHECK(after.free_frames == before.free_frames);
    CHECK(after.kmalloc_live_objects == before.kmalloc_live_objects);
    CHECK(after.live_processes == before.live_processes);
    CHECK(after.live_vnodes == before.live_vnodes);
    CHECK(after.open_files == before.open_files);
}

int main(void)
{
    basics();
    ping_pong();
    end_of_file();
    sigpipe_and_epipe();
    nonblocking();
    atomic_writes();
    one_mib_transfer();
    interrupted_readers();
    poll_readiness();
    ppoll_timeouts();
    select_readiness();
    pselect_with_mask();
    dup2_redirection();
    resources_at_baseline();
    return check_summary("pipes");
}
