/* mm_tests (the seed's suite, from user space): copy-on-write sharing and
 * sole-owner reuse, file mmap of an executable and of data files, partial
 * munmap in every shape, brk, mmap error semantics, shared anonymous memory,
 * and 10,000 fork/exit/wait cycles that return every frame and page table. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "futura_stats.h"

#define PAGE 4096

/* Runs fn in a child; returns its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    int st = -1;
    waitpid(pid, &st, 0);
    return st;
}

static void touch(void *p)
{
    *(volatile char *)p = 1;
}

static void cow_sharing(void)
{
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    for (int i = 0; i < 4; i++)
        memset(p + i * PAGE, 'A' + i, PAGE);
    struct futura_stats s0, s1;
    futura_stats(&s0);
    pid_t pid = fork();
    if (pid == 0) {
        int ok = p[0] == 'A' && p[3 * PAGE] == 'D'; /* the child sees the parent's data */
        memset(p, 'c', PAGE);                       /* and its write is its own */
        _exit(ok && p[0] == 'c' ? 0 : 1);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(p[0] == 'A'); /* the child's write is invisible to the parent */
    futura_stats(&s1);
    CHECK(s1.cow_copies >= s0.cow_copies + 1);
    /* The child is gone: the parent owns page 1 alone, so writing it reuses
     * the frame instead of copying. */
    futura_stats(&s0);
    p[PAGE] = 'x';
    futura_stats(&s1);
    CHECK(s1.cow_reuses == s0.cow_reuses + 1);
    CHECK(s1.cow_copies == s0.cow_copies);
    CHECK(p[PAGE] == 'x' && p[PAGE + 1] == 'B');
    munmap(p, 4 * PAGE);
}

static void file_mmap_of_executable(void)
{
    int fd = open("/bin/hello", O_RDONLY);
    CHECK(fd >= 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size > PAGE);
    char *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(m != MAP_FAILED);
    CHECK(memcmp(m, "\177ELF", 4) == 0);
    char buf[256];
    CHECK(pread(fd, buf, sizeof(buf), PAGE) == sizeof(buf));
    CHECK(memcmp(m + PAGE, buf, sizeof(buf)) == 0);
    /* Offset mapping: page 1 of the file at the start of the mapping. */
    char *m1 = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    CHECK(m1 != MAP_FAILED && memcmp(m1, buf, sizeof(buf)) == 0);
    /* Writing a read-only mapping is a SIGSEGV. */
    int wst = in_child(touch, m);
    CHECK(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGSEGV);
    munmap(m, st.st_size);
    munmap(m1, PAGE);
    close(fd);
}

static void file_mmap_shared_and_private(void)
{
    int fd = open("/tmp-mm-data", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, 8 * PAGE) == 0);
    for (int i = 0; i < 8; i++) {
        char c = (char)('a' + i);
        CHECK(pwrite(fd, &c, 1, i * PAGE) == 1);
    }
    char *sh = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *pr = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(sh != MAP_FAILED && pr != MAP_FAILED);
    CHECK(sh[2 * PAGE] == 'c' && pr[2 * PAGE] == 'c'); /* file bytes visible through mmap */
    sh[5 * PAGE] = 'S';                                /* shared writes reach the file */
    char c = 0;
    CHECK(pread(fd, &c, 1, 5 * PAGE) == 1 && c == 'S');
    pr[6 * PAGE] = 'P'; /* private writes do not */
    CHECK(pread(fd, &c, 1, 6 * PAGE) == 1 && c == 'g');
    CHECK(pwrite(fd, "W", 1, 7 * PAGE) == 1);
    CHECK(sh[7 * PAGE] == 'W'); /* file writes show through a shared mapping */
    /* Partial munmap of a file mapping keeps the offsets of what remains. */
    CHECK(munmap(sh, 3 * PAGE) == 0);
    CHECK(sh[3 * PAGE] == 'd' && sh[4 * PAGE] == 'e');
    CHECK(munmap(sh + 4 * PAGE, PAGE) == 0); /* split the middle */
    CHECK(sh[3 * PAGE] == 'd' && sh[5 * PAGE] == 'S' && sh[6 * PAGE] == 'g');
    munmap(sh + 3 * PAGE, 5 * PAGE);
    munmap(pr, 8 * PAGE);
    close(fd);
    unlink("/tmp-mm-data");
}

static void partial_munmap(void)
{
    char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    for (int i = 0; i < 8; i++)
        p[i * PAGE] = (char)('0' + i);
    CHECK(munmap(p + 3 * PAGE, 2 * PAGE) == 0); /* the middle */
    CHECK(p[2 * PAGE] == '2' && p[5 * PAGE] == '5');
    int st = in_child(touch, p + 3 * PAGE);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    CHECK(munmap(p, PAGE) == 0); /* shrink from the start */
    CHECK(p[PAGE] == '1');
    CHECK(munmap(p + 7 * PAGE, PAGE) == 0); /* shrink from the end */
    CHECK(p[6 * PAGE] == '6');
    /* Span several VMAs: make a protection hole, then unmap across it. */
    CHECK(mprotect(p + 5 * PAGE, PAGE, PROT_READ) == 0);
    CHECK(p[5 * PAGE] == '5');
    st = in_child(touch, p + 5 * PAGE);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    CHECK(munmap(p + PAGE, 6 * PAGE) == 0); /* covers a hole and three VMAs */
    st = in_child(touch, p + 6 * PAGE);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    CHECK(munmap(p, 8 * PAGE) == 0); /* nothing left: still fine */
}

/* musl's sbrk only reports the break, so talk to brk(2) directly. */
static char *brk_to(char *addr)
{
    return (char *)syscall(SYS_brk, addr);
}

static void brk_heap(void)
{
    char *base = brk_to(0);
    CHECK(brk_to(base + 3 * PAGE) == base + 3 * PAGE);
    memset(base, 0x5a, 3 * PAGE);
    CHECK(brk_to(base + PAGE) == base + PAGE); /* shrink */
    CHECK(brk_to(base + 3 * PAGE) == base + 3 * PAGE);
    int zero = 1;
    for (int i = PAGE; i < 3 * PAGE; i++)
        zero &= base[i] == 0; /* re-grown memory reads as zero */
    CHECK(zero);
    CHECK(base[0] == 0x5a);
    CHECK(brk_to(base + 100) == base + 100); /* inside the first page */
    CHECK(brk_to(base + PAGE) == base + PAGE);
    CHECK(base[99] == 0x5a && base[100] == 0); /* the part given back was cleared */
    CHECK(brk_to(base - PAGE) == base + PAGE); /* below the start: refused, break unchanged */
    CHECK(brk_to(base) == base);
    int st = in_child(touch, base);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV); /* the heap is gone */
}

static void mmap_errors(void)
{
    CHECK_ERRNO(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERRNO(mmap((void *)0x10001000 + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
    CHECK_ERRNO(mmap(NULL, (size_t)1 << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 77, 0), EBADF);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 123), EINVAL);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERRNO(mmap((void *)0xffffffff80000000ull, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
    int dfd = open("/", O_RDONLY | O_DIRECTORY);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV);
    close(dfd);
    char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_ERRNO(mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
    char *q = mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(q == p); /* MAP_FIXED replaces */
    q[0] = 9;
    CHECK_ERRNO(munmap(p + 1, PAGE), EINVAL);
    CHECK_ERRNO(munmap(p, 0), EINVAL);
    CHECK_ERRNO(mprotect((void *)0x30000000, PAGE, PROT_READ), ENOMEM);
    CHECK(munmap(p, 2 * PAGE) == 0);
    /* A hint is honoured when free. */
    void *hint = (void *)0x200000000ull;
    char *h = mmap(hint, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(h == hint);
    munmap(h, PAGE);
}

static void madvise_dontneed(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 7, 2 * PAGE);
    CHECK(madvise(p, PAGE, MADV_DONTNEED) == 0);
    CHECK(p[0] == 0 && p[PAGE - 1] == 0); /* anonymous memory comes back as zeros */
    CHECK(p[PAGE] == 7);                   /* outside the range: untouched */
    CHECK_ERRNO(madvise(p + 1, PAGE, MADV_DONTNEED), EINVAL);
    CHECK(munmap(p, 2 * PAGE) == 0);
    CHECK_ERRNO(madvise(p, PAGE, MADV_DONTNEED), ENOMEM);
}

static void shared_anonymous(void)
{
    volatile int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    pid_t pid = fork();
    if (pid == 0) {
        shared[0] = 4242; /* a page first touched after the fork is still shared */
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(shared[0] == 4242);
    munmap((void *)shared, PAGE);
}

static void fork_cycles(int n)
{
    char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 1, 16 * PAGE);
    in_child(touch, p); /* warm-up */
    struct futura_stats s0, s1;
    futura_stats(&s0);
    futura_stats_print("before fork cycles", &s0);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            p[(i % 16) * PAGE] = 2;
            _exit(0);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
            bad++;
    }
    futura_stats(&s1);
    futura_stats_print("after fork cycles", &s1);
    printf("fork cycles: %d fork/exit/wait cycles, %d failed\n", n, bad);
    CHECK(bad == 0);
    CHECK(s1.free_frames == s0.free_frames);
    CHECK(s1.page_table_pages == s0.page_table_pages);
    CHECK(s1.kmalloc_live_objects == s0.kmalloc_live_objects);
    CHECK(s1.live_processes == s0.live_processes);
    CHECK(s1.live_mms == s0.live_mms);
    CHECK(s1.kernel_stacks == s0.kernel_stacks);
    munmap(p, 16 * PAGE);
}

int main(int argc, char **argv)
{
    cow_sharing();
    file_mmap_of_executable();
    file_mmap_shared_and_private();
    partial_munmap();
    brk_heap();
    mmap_errors();
    shared_anonymous();
    madvise_dontneed();
    fork_cycles(argc > 1 ? atoi(argv[1]) : 10000);
    return check_summary("mm_tests");
}
