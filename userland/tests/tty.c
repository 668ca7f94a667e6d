/* The console as a terminal, driven by keys fed to the serial port from boot
 * (tty_input.sh writes them): canonical lines with DEL, ^U, ^W, backspace,
 * ^V; ^D as end of file; a 64 KiB line cut at 4095 bytes; binary bytes;
 * typeahead read in raw mode, 12 KiB of it arriving only as reads make room
 * (interrupt-driven input with flow control); every byte value in raw mode;
 * VMIN/VTIME; TIOCSTI; poll; window size and SIGWINCH; the foreground
 * group and ^C, ^\, ^Z as signals that flush input and interrupt a
 * sleeping read; background groups stopped by SIGTTIN/SIGTTOU; ^S/^Q. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define FILLER_SIZE 12288
#define TTY_RING 8192 /* FUT_TTY_BUF_SIZE: input the kernel holds for a reader */

static volatile sig_atomic_t got_int, got_quit, got_tstp, got_winch;

static void on_signal(int sig)
{
    if (sig == SIGINT)
        got_int++;
    else if (sig == SIGQUIT)
        got_quit++;
    else if (sig == SIGTSTP)
        got_tstp++;
    else if (sig == SIGWINCH)
        got_winch++;
}

static void install(int sig)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL); /* no SA_RESTART: a sleeping read ends with EINTR */
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Types keys as if they came from the keyboard (TIOCSTI). */
static void type(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        CHECK(ioctl(0, TIOCSTI, &s[i]) == 0);
}

static void expect_read(const char *want, size_t n)
{
    static char buf[65536];
    ssize_t got = read(0, buf, sizeof(buf));
    CHECK(got == (ssize_t)n && memcmp(buf, want, n) == 0);
    if (got != (ssize_t)n)
        printf("read %zd bytes, want %zu\n", got, n);
}

/* Reads exactly n bytes (raw mode: reads return what has come). */
static size_t read_exactly(char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(0, buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static void set_raw(const struct termios *cooked, int vmin, int vtime)
{
    struct termios t = *cooked;
    cfmakeraw(&t);
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    CHECK(tcsetattr(0, TCSANOW, &t) == 0);
}

static void defaults(struct termios *t)
{
    struct winsize ws;
    CHECK(isatty(0) && isatty(1));
    CHECK(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 24 && ws.ws_col == 80);
    CHECK(tcgetattr(0, t) == 0);
    CHECK((t->c_lflag & (ICANON | ECHO | ECHOE | ISIG | IEXTEN)) ==
          (ICANON | ECHO | ECHOE | ISIG | IEXTEN));
    CHECK((t->c_iflag & ICRNL) && (t->c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
    CHECK(t->c_cc[VINTR] == 3 && t->c_cc[VERASE] == 0x7f && t->c_cc[VKILL] == 0x15);
    CHECK(t->c_cc[VEOF] == 4 && t->c_cc[VSUSP] == 0x1a && t->c_cc[VWERASE] == 0x17);
    CHECK(t->c_cc[VMIN] == 1 && t->c_cc[VTIME] == 0);
}

static void canonical_lines(void)
{
    static char big[70000];
    expect_read("hello xyz\n", 10);
    expect_read("fixed\n", 6);
    expect_read("one three\n", 10);
    expect_read("back\n", 5);
    expect_read("lit\025eral\n", 9);
    expect_read("partial", 7);
    CHECK(read(0, big, sizeof(big)) == 0); /* ^D at the start of a line */
    ssize_t n = read(0, big, sizeof(big));
    CHECK(n == 4096);
    int all_a = n == 4096 && big[4095] == '\n';
    for (ssize_t i = 0; i < 4095 && all_a; i++)
        all_a = big[i] == 'A';
    CHECK(all_a);
    expect_read("bin\0\001\200\376\377\n", 9);
}

static void raw_typeahead(const struct termios *cooked)
{
    static char buf[FILLER_SIZE];
    set_raw(cooked, 1, 0);
    char c[3];
    for (int i = 0; i < 3; i++)
        CHECK(read(0, &c[i], 1) == 1);
    CHECK(memcmp(c, "xyz", 3) == 0);
    /* Nobody reads for a while: the typeahead fills the tty's ring (8 KiB)
     * and the rest waits in QEMU, not lost, until reads make room. */
    int waiting = -1;
    for (int i = 0; i < 200 && waiting < TTY_RING; i++) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
        CHECK(ioctl(0, FIONREAD, &waiting) == 0);
    }
    CHECK(waiting == TTY_RING);
    CHECK(read_exactly(buf, FILLER_SIZE) == FILLER_SIZE);
    int same = 1;
    for (int k = 0; k < FILLER_SIZE && same; k++)
        same = buf[k] == (k % 64 == 63 ? '\n' : 'a' + (k / 64 + k % 64) % 26);
    CHECK(same);
    CHECK(read_exactly(buf, 256) == 256);
    same = 1;
    for (int k = 0; k < 256 && same; k++)
        same = (unsigned char)buf[k] == k;
    CHECK(same);
}

static void vmin_vtime(const struct termios *cooked)
{
    char buf[16];
    set_raw(cooked, 0, 0);
    CHECK(read(0, buf, sizeof(buf)) == 0); /* nothing left: never waits */
    set_raw(cooked, 1, 0);
    int fl = fcntl(0, F_GETFL);
    CHECK(fcntl(0, F_SETFL, fl | O_NONBLOCK) == 0);
    CHECK_ERRNO(read(0, buf, 1), EAGAIN);
    CHECK(fcntl(0, F_SETFL, fl) == 0);

    set_raw(cooked, 0, 2); /* 0.2 s for a first byte */
    uint64_t t0 = now_ms();
    CHECK(read(0, buf, sizeof(buf)) == 0);
    uint64_t waited = now_ms() - t0;
    CHECK(waited >= 190 && waited < 2000);

    set_raw(cooked, 2, 0);
    type("pq");
    CHECK(read(0, buf, sizeof(buf)) == 2 && memcmp(buf, "pq", 2) == 0);

    set_raw(cooked, 3, 1); /* three bytes, or 0.1 s of silence after one */
    type("ab");
    t0 = now_ms();
    CHECK(read(0, buf, sizeof(buf)) == 2 && memcmp(buf, "ab", 2) == 0);
    waited = now_ms() - t0;
    CHECK(waited >= 90 && waited < 2000);
    CHECK(tcsetattr(0, TCSANOW, cooked) == 0);
}

static void cooked_extras(void)
{
    type("sti\x7fx line\r");
    int n = -1;
    CHECK(ioctl(0, FIONREAD, &n) == 0 && n == 9);
    struct pollfd p = {.fd = 0, .events = POLLIN};
    CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLIN));
    expect_read("stx line\n", 9);
    p.revents = 0;
    CHECK(poll(&p, 1, 0) == 0);
    type("half");
    CHECK(poll(&p, 1, 50) == 0); /* no complete line */
    CHECK(tcflush(0, TCIFLUSH) == 0);
    CHECK(ioctl(0, FIONREAD, &n) == 0 && n == 0);
}

static void window_size(void)
{
    struct winsize ws = {.ws_row = 40, .ws_col = 100}, back;
    CHECK(ioctl(0, TIOCSWINSZ, &ws) == 0);
    CHECK(got_winch == 1);
    CHECK(ioctl(0, TIOCGWINSZ, &back) == 0 && back.ws_row == 40 && back.ws_col == 100);
    ws.ws_row = 24;
    ws.ws_col = 80;
    CHECK(ioctl(0, TIOCSWINSZ, &ws) == 0);
    CHECK(got_winch == 2);
}

/* A child types ^C while the parent sleeps in read: SIGINT to the
 * foreground group ends the read with EINTR. */
static void interrupt_sleeping_read(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_IGN);
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
        char c = 3;
        _exit(ioctl(0, TIOCSTI, &c) == 0 ? 0 : 1);
    }
    char buf[8];
    got_int = 0;
    CHECK_ERRNO(read(0, buf, sizeof(buf)), EINTR);
    CHECK(got_int == 1);
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void signal_keys(void)
{
    CHECK(tcgetpgrp(0) == 0); /* nobody has taken the terminal yet */
    CHECK_ERRNO(tcgetsid(0), ENOTTY);
    CHECK_ERRNO(tcsetpgrp(0, 0), EINVAL);
    CHECK(ioctl(0, TIOCSCTTY, 0) == 0);
    CHECK(tcgetpgrp(0) == getpgrp());
    CHECK(tcgetsid(0) == getsid(0));
    CHECK(tcsetpgrp(0, getpgrp()) == 0);
    install(SIGINT);
    install(SIGQUIT);
    install(SIGTSTP);
    install(SIGWINCH);
    type("abc\003");
    CHECK(got_int == 1);
    int n = -1;
    CHECK(ioctl(0, FIONREAD, &n) == 0 && n == 0); /* the line went with it */
    type("line\r\034");
    CHECK(got_quit == 1);
    CHECK(ioctl(0, FIONREAD, &n) == 0 && n == 0);
    type("\032");
    CHECK(got_tstp == 1);
    window_size();
    interrupt_sleeping_read();
    /* With ISIG off the keys are data. */
    struct termios t, noisig;
    CHECK(tcgetattr(0, &t) == 0);
    noisig = t;
    noisig.c_lflag &= ~ISIG;
    CHECK(tcsetattr(0, TCSANOW, &noisig) == 0);
    type("\003\r");
    expect_read("\003\n", 2);
    CHECK(got_int == 1);
    CHECK(tcsetattr(0, TCSAFLUSH, &t) == 0);
}

/* Job control: a child in a group of its own - not the foreground one -
 * is stopped by SIGTTIN when it reads the terminal, fails with EIO when it
 * ignores SIGTTIN, and with TOSTOP is stopped by SIGTTOU when it writes;
 * continued in the foreground, its write goes through. */
static void background_groups(void)
{
    int status = -1;
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char c;
        _exit(read(0, &c, 1) == 1 ? 3 : 4);
    }
    CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
          WSTOPSIG(status) == SIGTTIN);
    kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));

    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTTIN, SIG_IGN);
        char c;
        errno = 0;
        _exit(read(0, &c, 1) == -1 && errno == EIO ? 0 : 1);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    struct termios t;
    CHECK(tcgetattr(0, &t) == 0);
    t.c_lflag |= TOSTOP;
    CHECK(tcsetattr(0, TCSANOW, &t) == 0);
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        _exit(write(1, "background write\n", 17) == 17 ? 5 : 6);
    }
    CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
          WSTOPSIG(status) == SIGTTOU);
    CHECK(tcsetpgrp(0, pid) == 0); /* into the foreground, as fg does */
    kill(pid, SIGCONT);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5);
    /* Now in the background ourselves: take the terminal back as shells do. */
    signal(SIGTTOU, SIG_IGN);
    CHECK(tcsetpgrp(0, getpgrp()) == 0);
    signal(SIGTTOU, SIG_DFL);
    t.c_lflag &= ~TOSTOP;
    CHECK(tcsetattr(0, TCSANOW, &t) == 0);
}

static void output_stop(void)
{
    type("\023"); /* ^S */
    int fl = fcntl(1, F_GETFL);
    CHECK(fcntl(1, F_SETFL, fl | O_NONBLOCK) == 0);
    CHECK_ERRNO(write(1, "x", 1), EAGAIN);
    type("\021"); /* ^Q */
    CHECK(write(1, "output restarted\n", 17) == 17);
    CHECK(fcntl(1, F_SETFL, fl) == 0);
}

int main(void)
{
    struct termios cooked;
    defaults(&cooked);
    canonical_lines();
    raw_typeahead(&cooked);
    vmin_vtime(&cooked);
    cooked_extras();
    signal_keys();
    background_groups();
    output_stop();
    return check_summary("tty");
}
