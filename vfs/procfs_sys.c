/*
 * The system-wide files at the top of /proc: meminfo, stat, loadavg,
 * uptime, mounts, kmsg, version, cpuinfo, in the formats Linux tools parse.
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/scheduler/sched.h"
#include "futura/vfs/getpath.h"
#include "futura/vfs/vfs.h"
#include "procfs_internal.h"

#define KB_PER_PAGE (FUT_PAGE_SIZE / 1024)
#define NS_PER_SEC 1000000000ull
#define NS_PER_TICK (NS_PER_SEC / FUT_PROCFS_TICK_HZ)

/* One meminfo line: the name and colon in 16 columns, the value in 8, as
 * Linux's show_val_kb. */
static void meminfo_line(struct procfs_buf *b, const char *name, uint64_t kb)
{
    procfs_buf_printf(b, "%-16s%8llu kB\n", name, (unsigned long long)kb);
}

/*
 * Every frame is the PMM's: MemTotal is what it manages, MemFree what is
 * free. Nothing is reclaimable yet (RamFS data is the only file data and it
 * cannot be dropped), so MemAvailable is MemFree and Cached is 0. Slab is
 * every frame the kernel heap holds (slabs and large blocks).
 */
int procfs_render_meminfo(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    struct fut_pmm *pmm = fut_pmm_global();
    struct fut_kmalloc_stats k;
    fut_kmalloc_get_stats(&k);
    uint64_t free_kb = fut_pmm_free_frames(pmm) * KB_PER_PAGE;
    uint64_t slab_kb = (k.slab_pages + k.large_pages) * KB_PER_PAGE;
    meminfo_line(b, "MemTotal:", fut_pmm_total_frames(pmm) * KB_PER_PAGE);
    meminfo_line(b, "MemFree:", free_kb);
    meminfo_line(b, "MemAvailable:", free_kb);
    meminfo_line(b, "Buffers:", 0);
    meminfo_line(b, "Cached:", 0);
    meminfo_line(b, "SwapCached:", 0);
    meminfo_line(b, "SwapTotal:", 0);
    meminfo_line(b, "SwapFree:", 0);
    meminfo_line(b, "Shmem:", 0);
    meminfo_line(b, "Slab:", slab_kb);
    meminfo_line(b, "SReclaimable:", 0);
    meminfo_line(b, "SUnreclaim:", slab_kb);
    meminfo_line(b, "KernelStack:", (uint64_t)fut_kstack_live() * (FUT_KSTACK_SIZE / 1024));
    meminfo_line(b, "PageTables:", fut_pt_table_pages() * KB_PER_PAGE);
    return 0;
}

static void seconds_cc(struct procfs_buf *b, uint64_t ns)
{
    procfs_buf_printf(b, "%llu.%02llu", (unsigned long long)(ns / NS_PER_SEC),
                      (unsigned long long)(ns % NS_PER_SEC / (NS_PER_SEC / 100)));
}

/* Seconds since boot and seconds the idle thread ran, in hundredths. */
int procfs_render_uptime(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    struct fut_sched_stats s;
    fut_sched_get_stats(&s);
    seconds_cc(b, fut_hal_time_ns());
    procfs_buf_append(b, " ", 1);
    seconds_cc(b, s.idle_ticks * NS_PER_TICK);
    procfs_buf_append(b, "\n", 1);
    return 0;
}

/* Threads that are running or runnable, the idle thread not counted. */
static uint64_t threads_running(void)
{
    struct fut_thread *t = fut_sched_current();
    return fut_sched_runnable_count() + (t && t != fut_sched_idle() ? 1 : 0);
}

/*
 * CPU time in USER_HZ ticks: every tick the idle thread did not get counts
 * as user time (system time is not told apart yet). ctxt is the
 * scheduler's switch count, btime the wall-clock second of boot.
 */
int procfs_render_stat_sys(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    struct fut_sched_stats s;
    fut_sched_get_stats(&s);
    uint64_t busy = (s.ticks - s.idle_ticks) * FUT_PROCFS_USER_HZ / FUT_PROCFS_TICK_HZ;
    uint64_t idle = s.idle_ticks * FUT_PROCFS_USER_HZ / FUT_PROCFS_TICK_HZ;
    for (int line = 0; line < 2; line++)
        procfs_buf_printf(b, "%s %llu 0 0 %llu 0 0 0 0 0 0\n", line ? "cpu0" : "cpu ",
                          (unsigned long long)busy, (unsigned long long)idle);
    procfs_buf_printf(b, "intr 0\nctxt %llu\nbtime %llu\n", (unsigned long long)s.switches,
                      (unsigned long long)(fut_hal_wallclock_offset_ns() / NS_PER_SEC));
    procfs_buf_printf(b, "procs_running %llu\nprocs_blocked 0\n",
                      (unsigned long long)threads_running());
    return 0;
}

/* "0.00 0.00 0.00 running/threads lastpid". Load averages are not tracked
 * yet and read 0.00; the last field is the highest live pid. */
int procfs_render_loadavg(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    struct fut_task_stats t;
    fut_task_get_stats(&t);
    int last = 0;
    for (struct fut_process *q = fut_process_next(0); q; q = fut_process_next(q->pid))
        last = q->pid;
    procfs_buf_printf(b, "0.00 0.00 0.00 %llu/%llu %d\n", (unsigned long long)threads_running(),
                      (unsigned long long)t.live_threads, last);
    return 0;
}

/* The name Linux gives a filesystem type where ours differs. */
static const char *linux_fs_type(const char *type)
{
    return strcmp(type, "devfs") == 0 ? "devtmpfs" : type;
}

/* "source mountpoint type options 0 0", one line per mount in mount order;
 * the source is our type name (there are no block devices). */
int procfs_render_mounts(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    char *path = fut_kmalloc(FUT_PATH_MAX);
    if (!path)
        return -ENOMEM;
    for (struct fut_fs *fs = fut_vfs_mount_next(NULL); fs; fs = fut_vfs_mount_next(fs)) {
        if (fut_vfs_getpath(fs->root, path, FUT_PATH_MAX) < 0)
            continue; /* no longer reachable from the root */
        procfs_buf_printf(b, "%s %s %s rw 0 0\n", fs->type, path, linux_fs_type(fs->type));
    }
    fut_kfree(path);
    return 0;
}

/* The whole log ring, oldest byte first. Unlike Linux's kmsg, reading
 * neither blocks nor consumes. */
int procfs_render_kmsg(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    char *log = fut_kmalloc(FUT_KLOG_SIZE);
    if (!log)
        return -ENOMEM;
    size_t n = fut_klog_read(log, FUT_KLOG_SIZE);
    procfs_buf_append(b, log, n);
    fut_kfree(log);
    return 0;
}

/* Matches uname(2): sysname, release and version. */
int procfs_render_version(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    procfs_buf_printf(b, "Futura version 0.1.0 (futura) #1 Futura\n");
    return 0;
}

/* One CPU; the HAL does not describe it further yet. */
int procfs_render_cpuinfo(struct procfs_buf *b, struct fut_process *p)
{
    (void)p;
    procfs_buf_printf(b, "processor\t: 0\nvendor_id\t: unknown\nmodel name\t: x86-64\n"
                         "cpu cores\t: 1\nflags\t\t: fpu sse sse2 syscall lm\n\n");
    return 0;
}
