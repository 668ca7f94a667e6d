/* /proc from user space, as PID 1: the self link, stat/status/cmdline/comm/
 * exe of ourselves and of a forked child (also as a zombie), maps after
 * mmap, brk and fork, meminfo against the kernel's own counters, uptime
 * against CLOCK_MONOTONIC, stat, loadavg, mounts, a listing of /proc, and
 * resources back at baseline after reading everything many times. */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "futura_stats.h"

static char text[65536];

/* The whole file into `text` (NUL-terminated); its length, or -1. */
static long slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long len = 0, n;
    while ((n = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
        len += n;
    close(fd);
    if (n < 0)
        return -1;
    text[len] = '\0';
    return len;
}

/* The stat fields after "(comm) ": fields[0] is the state (field 3). */
static int stat_fields(const char *path, char *comm, size_t comm_size, char **fields, int max)
{
    if (slurp(path) <= 0)
        return -1;
    char *open_paren = strchr(text, '('), *close_paren = strrchr(text, ')');
    if (!open_paren || !close_paren || close_paren[1] != ' ')
        return -1;
    size_t n = (size_t)(close_paren - open_paren - 1);
    snprintf(comm, comm_size, "%.*s", (int)n, open_paren + 1);
    int count = 0;
    for (char *tok = strtok(close_paren + 2, " \n"); tok && count < max; tok = strtok(NULL, " \n"))
        fields[count++] = tok;
    return count;
}

/* The value of a "Key:\t..." line of a status file in `text`, or NULL. */
static const char *status_value(const char *key)
{
    static char value[128];
    size_t klen = strlen(key);
    for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':' && line[klen + 1] == '\t') {
            const char *v = line + klen + 2;
            size_t n = strcspn(v, "\n");
            snprintf(value, sizeof(value), "%.*s", (int)n, v);
            return value;
        }
        if (!strchr(line, '\n'))
            break;
    }
    return NULL;
}

/* The maps line in `text` starting at address `start`, copied; or "". */
static const char *maps_line(unsigned long start)
{
    static char line[256];
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "%08lx-", start);
    for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
        if (strncmp(l, prefix, strlen(prefix)) == 0) {
            snprintf(line, sizeof(line), "%.*s", (int)strcspn(l, "\n"), l);
            return line;
        }
        if (!strchr(l, '\n'))
            break;
    }
    return "";
}

static unsigned long long meminfo_kb(const char *key)
{
    if (slurp("/proc/meminfo") <= 0)
        return 0;
    const char *l = strstr(text, key);
    return l ? strtoull(l + 16, NULL, 10) : 0; /* the value sits in columns 16..23 */
}

static void self_and_ids(int argc, char **argv)
{
    char buf[64];
    ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
    CHECK(n > 0);
    buf[n > 0 ? n : 0] = '\0';
    CHECK(atoi(buf) == getpid());
    n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    CHECK(n == 11 && memcmp(buf, "/bin/procfs", 11) == 0);

    char comm[32], *f[64];
    int nf = stat_fields("/proc/self/stat", comm, sizeof(comm), f, 64);
    CHECK(nf == 50); /* 52 fields: pid and comm came first */
    if (nf == 50) {
        CHECK(strcmp(comm, "procfs") == 0);
        CHECK(strcmp(f[0], "R") == 0);              /* we are running */
        CHECK(atoi(f[1]) == getppid());             /* ppid: 0 for PID 1 */
        CHECK(atoi(f[2]) == getpgrp());             /* pgrp */
        CHECK(atoi(f[3]) == getsid(0));             /* session */
        CHECK(strcmp(f[17], "1") == 0);             /* num_threads */
        CHECK(strtoull(f[20], NULL, 10) > 1000000); /* vsize: at least the 8 MiB stack */
        CHECK(strtoull(f[21], NULL, 10) > 0);       /* rss in pages */
        CHECK(strcmp(f[35], "17") == 0);            /* exit_signal */
    }

    CHECK(slurp("/proc/self/status") > 0);
    const char *v;
    CHECK((v = status_value("Name")) && strcmp(v, "procfs") == 0);
    CHECK((v = status_value("State")) && strcmp(v, "R (running)") == 0);
    CHECK((v = status_value("Pid")) && atoi(v) == getpid());
    CHECK((v = status_value("PPid")) && atoi(v) == getppid());
    CHECK((v = status_value("Uid")) && strcmp(v, "0\t0\t0\t0") == 0);
    CHECK((v = status_value("VmSize")) && strtoull(v, NULL, 10) >= 8192 && strstr(v, " kB"));
    CHECK((v = status_value("VmRSS")) && strtoull(v, NULL, 10) > 0);
    CHECK((v = status_value("Threads")) && strcmp(v, "1") == 0);

    CHECK(slurp("/proc/self/comm") == 7 && strcmp(text, "procfs\n") == 0);
    long len = slurp("/proc/self/cmdline");
    long want = 0;
    for (int i = 0; i < argc; i++) {
        CHECK(want + (long)strlen(argv[i]) < len && strcmp(text + want, argv[i]) == 0);
        want += (long)strlen(argv[i]) + 1;
    }
    CHECK(len == want);
}

/* Maps after an anonymous mmap, a file mmap at an offset and brk growth,
 * and the same maps in a forked child; the child as a zombie, then gone. */
static void maps_and_fork(void)
{
    char *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    anon[0] = 1;
    CHECK(mkdir("/tmp", 0755) == 0 || errno == EEXIST);
    int fd = open("/tmp/mapped", O_CREAT | O_RDWR | O_TRUNC, 0644);
    static char page[4096];
    for (int i = 0; i < 4; i++)
        CHECK(write(fd, page, sizeof(page)) == sizeof(page));
    char *file = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
    CHECK(file != MAP_FAILED);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);

    CHECK(slurp("/proc/self/maps") > 0);
    char want[160];
    snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0 ", (unsigned long)anon,
             (unsigned long)anon + 3 * 4096);
    CHECK(strcmp(maps_line((unsigned long)anon), want) == 0);
    snprintf(want, sizeof(want), "%08lx-%08lx r--p 00001000 %02x:%02x %lu ", (unsigned long)file,
             (unsigned long)file + 2 * 4096, major(st.st_dev), minor(st.st_dev),
             (unsigned long)st.st_ino);
    CHECK(strcmp(maps_line((unsigned long)file), want) == 0);
    CHECK(strstr(text, " [stack]\n") != NULL);
    CHECK(strstr(text, " /bin/procfs\n") != NULL);
    static char parent_maps[sizeof(text)];
    memcpy(parent_maps, text, sizeof(text));

    pid_t pid = fork();
    if (pid == 0) {
        /* The child writes what it sees; the parent compares. */
        int out = open("/tmp/child_maps", O_CREAT | O_WRONLY | O_TRUNC, 0644);
        long n = slurp("/proc/self/maps");
        if (out < 0 || n <= 0 || write(out, text, (size_t)n) != n)
            _exit(2);
        close(out);
        char self[16];
        ssize_t l = readlink("/proc/self", self, sizeof(self) - 1);
        self[l > 0 ? l : 0] = '\0';
        _exit(atoi(self) == getpid() ? 0 : 3);
    }
    CHECK(pid > 0);
    char path[64], comm[32], *f[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    /* Poll until the child is a zombie: still listed, state Z. */
    int nf = -1;
    for (int i = 0; i < 2000; i++) {
        nf = stat_fields(path, comm, sizeof(comm), f, 64);
        if (nf != 50 || strcmp(f[0], "Z") == 0)
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    CHECK(nf == 50 && strcmp(f[0], "Z") == 0);
    CHECK(strcmp(comm, "procfs") == 0); /* a zombie keeps its name */
    CHECK(nf == 50 && atoi(f[1]) == getpid());
    snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    CHECK(slurp(path) == 0); /* as Linux: a zombie has no command line */
    bool listed = false;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)))
        listed = listed || atoi(e->d_name) == pid;
    closedir(d);
    CHECK(listed);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    snprintf(path, sizeof(path), "/proc/%d", pid);
    CHECK_ERRNO(stat(path, &st), ENOENT);
    CHECK(slurp("/tmp/child_maps") > 0 && strcmp(text, parent_maps) == 0);

    CHECK(munmap(file, 2 * 4096) == 0 && munmap(anon, 3 * 4096) == 0);
    CHECK(close(fd) == 0);
    CHECK(slurp("/proc/self/maps") > 0 && maps_line((unsigned long)anon)[0] == '\0');
    unlink("/tmp/mapped");
    unlink("/tmp/child_maps");
}

/* brk growth shows as [heap]. Nothing in between may malloc: musl's
 * allocator takes meta pages from brk itself. */
static void heap(void)
{
    unsigned long brk0 = (unsigned long)syscall(SYS_brk, 0);
    unsigned long top = ((brk0 + 4095) & ~4095ul) + 4 * 4096;
    CHECK(syscall(SYS_brk, top) == (long)top);
    CHECK(slurp("/proc/self/maps") > 0);
    char end[40];
    snprintf(end, sizeof(end), "-%08lx rw-p ", top);
    const char *line = strstr(text, end);
    CHECK(line != NULL && strcspn(line, "\n") > 7 &&
          strncmp(line + strcspn(line, "\n") - 7, " [heap]", 7) == 0);
    CHECK(syscall(SYS_brk, brk0) == (long)brk0);
}

static void meminfo(void)
{
    struct futura_stats s;
    CHECK(futura_stats(&s) == 0);
    unsigned long long total = meminfo_kb("MemTotal:"), free_kb = meminfo_kb("MemFree:");
    CHECK(total > free_kb && free_kb > 0);
    /* The kernel's free-frame count, give or take what reading takes. */
    CHECK(free_kb + 64 >= s.free_frames * 4 && free_kb <= s.free_frames * 4 + 64);
    CHECK(meminfo_kb("PageTables:") > 0);
    char swap[40];
    snprintf(swap, sizeof(swap), "\n%-16s%8d kB\n", "SwapTotal:", 0); /* Linux's columns */
    CHECK(strstr(text, swap) != NULL);
    /* 2 MiB touched: MemFree drops by at least that, and comes back. */
    size_t len = 2 << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    for (size_t i = 0; i < len; i += 4096)
        p[i] = 1;
    unsigned long long during = meminfo_kb("MemFree:");
    CHECK(during + 2048 <= free_kb + 64);
    CHECK(munmap(p, len) == 0);
    unsigned long long after = meminfo_kb("MemFree:");
    CHECK(after + 64 >= free_kb && after <= free_kb + 64);
}

static void uptime(void)
{
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    CHECK(slurp("/proc/uptime") > 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    unsigned long up_s, up_cc, idle_s, idle_cc;
    char nl;
    CHECK(sscanf(text, "%lu.%2lu %lu.%2lu%c", &up_s, &up_cc, &idle_s, &idle_cc, &nl) == 5 &&
          nl == '\n');
    unsigned long up = up_s * 100 + up_cc;
    CHECK(up + 1 >= (unsigned long)before.tv_sec * 100 + before.tv_nsec / 10000000);
    CHECK(up <= (unsigned long)after.tv_sec * 100 + after.tv_nsec / 10000000);
    CHECK(idle_s * 100 + idle_cc <= up);
}

static void system_files(void)
{
    CHECK(slurp("/proc/mounts") > 0);
    CHECK(strstr(text, "ramfs / ramfs rw 0 0\n") == text);
    CHECK(strstr(text, "\ndevfs /dev devtmpfs rw 0 0\n") != NULL);
    CHECK(strstr(text, "\nproc /proc proc rw 0 0\n") != NULL);
    unsigned long long user = 0, nice, sys, idle = 0;
    CHECK(slurp("/proc/stat") > 0 &&
          sscanf(text, "cpu  %llu %llu %llu %llu", &user, &nice, &sys, &idle) == 4);
    CHECK(user + idle > 0 && strstr(text, "\nctxt ") && strstr(text, "\nprocs_running 1\n"));
    int running = 0, threads = 0, last = 0;
    CHECK(slurp("/proc/loadavg") > 0 &&
          sscanf(text, "%*s %*s %*s %d/%d %d", &running, &threads, &last) == 3);
    CHECK(running == 1 && threads >= 1 && last >= 1);
    CHECK(slurp("/proc/version") > 0 && strncmp(text, "Futura version ", 15) == 0);
    CHECK(slurp("/proc/cpuinfo") > 0 && strncmp(text, "processor\t: 0\n", 14) == 0);
    CHECK(slurp("/proc/kmsg") > 0 && strstr(text, "initramfs") != NULL);
    CHECK_ERRNO(open("/proc/meminfo", O_WRONLY), EACCES);

    const char *want[] = {"self", "meminfo", "uptime", "mounts", "1"};
    int found = 0;
    DIR *d = opendir("/proc");
    CHECK(d != NULL);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
            found += strcmp(e->d_name, want[i]) == 0;
        if (strcmp(e->d_name, "1") == 0)
            CHECK(e->d_type == DT_DIR);
        if (strcmp(e->d_name, "self") == 0)
            CHECK(e->d_type == DT_LNK);
    }
    closedir(d);
    CHECK(found == 5);
}

/* Reading every file many times leaves the kernel's counters where they were. */
static void resources(void)
{
    static const char *const files[] = {
        "/proc/meminfo",   "/proc/uptime",       "/proc/mounts",    "/proc/kmsg",
        "/proc/version",   "/proc/cpuinfo",      "/proc/self/stat", "/proc/self/status",
        "/proc/self/maps", "/proc/self/cmdline", "/proc/self/comm", "/proc/1/stat",
        "/proc/stat",      "/proc/loadavg",
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        slurp(files[i]); /* the heap's caches settle */
    struct futura_stats before, after;
    CHECK(futura_stats(&before) == 0);
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
            CHECK(slurp(files[i]) > 0);
        /* getdents64 itself: opendir's malloc could move user frames */
        int dfd = open("/proc", O_RDONLY | O_DIRECTORY);
        while (syscall(SYS_getdents64, dfd, text, 4096) > 0)
            ;
        close(dfd);
    }
    CHECK(futura_stats(&after) == 0);
    CHECK(after.live_vnodes == before.live_vnodes);
    CHECK(after.open_files == before.open_files);
    CHECK(after.kmalloc_live_objects == before.kmalloc_live_objects);
    CHECK(after.free_frames == before.free_frames);
    if (after.free_frames != before.free_frames || after.live_vnodes != before.live_vnodes) {
        futura_stats_print("before", &before);
        futura_stats_print("after", &after);
    }
}

int main(int argc, char **argv)
{
    self_and_ids(argc, argv);
    heap();
    maps_and_fork();
    meminfo();
    uptime();
    system_files();
    resources();
    return check_summary("procfs");
}
