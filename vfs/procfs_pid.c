/*
 * /proc/<pid>/{stat,status,cmdline,comm,maps}: one process in Linux's
 * formats (fs/proc/array.c and fs/proc/task_mmu.c). Fields Futura does not
 * track yet (page-fault counts, start time, code and stack addresses,
 * ignored and caught signals) read as 0, as Linux shows them for a
 * kernel thread.
 */
#include <stdbool.h>

#include "futura/errno.h"
#include "futura/memory/mm.h"
#include "futura/memory/vma.h"
#include "futura/scheduler/task.h"
#include "futura/vfs/vfs.h"
#include "procfs_internal.h"

#define KB_PER_PAGE (FUT_PAGE_SIZE / 1024)
#define RLIM_INFINITY 0xffffffffffffffffull
#define SIGCHLD 17
/* Linux prints the signal sets of stat masked to the first 31 signals. */
#define STAT_SIGSET_MASK 0x7fffffffull
/* Where the path of a maps line starts: 25 + 6 * sizeof(void *) - 1 on
 * 64-bit Linux, then one space. */
#define MAPS_NAME_COLUMN 73

/* Linux's one-letter states: Z for a zombie, T for a process stopped by a
 * signal (stop_signal, set by the process layer), else its thread's state:
 * R when running or runnable, S when blocked in a wait or without a thread. */
static char state_letter(const struct fut_process *p)
{
    if (p->state == FUT_PROCESS_ZOMBIE)
        return 'Z';
    if (p->stop_signal)
        return 'T';
    for (const struct fut_list *l = p->threads.next; l != &p->threads; l = l->next) {
        const struct fut_thread *t = fut_container_of(l, struct fut_thread, proc_link);
        if (t->state == FUT_THREAD_RUNNING || t->state == FUT_THREAD_RUNNABLE)
            return 'R';
    }
    return 'S';
}

static const char *state_name(char letter)
{
    switch (letter) {
    case 'R': return "R (running)";
    case 'T': return "T (stopped)";
    case 'Z': return "Z (zombie)";
    default: return "S (sleeping)";
    }
}

struct vm_totals {
    uint64_t size;  /* bytes mapped */
    uint64_t stack; /* bytes of stack VMAs */
};

static void vm_totals(const struct fut_mm *mm, struct vm_totals *t)
{
    t->size = t->stack = 0;
    if (!mm)
        return;
    for (const struct fut_vma *v = fut_vma_set_first(&mm->vmas); v; v = fut_vma_next(v)) {
        t->size += v->end - v->start;
        if (v->flags & FUT_VMA_STACK)
            t->stack += v->end - v->start;
    }
}

static int ppid_of(const struct fut_process *p)
{
    return p->parent ? p->parent->pid : 0;
}

int procfs_render_stat(struct procfs_buf *b, struct fut_process *p)
{
    struct vm_totals vm;
    vm_totals(p->mm, &vm);
    uint64_t rss = p->mm ? p->mm->rss_pages : 0;
    uint64_t start_brk = p->mm ? p->mm->brk_start : 0;
    uint64_t utime = p->run_ticks * FUT_PROCFS_USER_HZ / FUT_PROCFS_TICK_HZ;
    int exit_code = p->state == FUT_PROCESS_RUNNING ? 0 : p->wait_status;
    /* pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
     * majflt cmajflt utime stime cutime cstime priority nice num_threads
     * itrealvalue starttime vsize rss rsslim */
    procfs_buf_printf(
        b, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %llu 0 0 0 20 0 %u 0 0 %llu %llu %llu ", p->pid,
        p->comm, state_letter(p), ppid_of(p), p->pgid, p->sid, (unsigned long long)utime,
        p->nr_threads, (unsigned long long)vm.size, (unsigned long long)rss, RLIM_INFINITY);
    /* startcode endcode startstack kstkesp kstkeip signal blocked sigignore
     * sigcatch wchan nswap cnswap exit_signal processor rt_priority policy
     * delayacct_blkio_ticks guest_time cguest_time */
    procfs_buf_printf(b, "0 0 0 0 0 %llu %llu 0 0 0 0 0 %d 0 0 0 0 0 0 ",
                      (unsigned long long)(p->sig_pending & STAT_SIGSET_MASK),
                      (unsigned long long)(p->sigmask & STAT_SIGSET_MASK), SIGCHLD);
    /* start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
    procfs_buf_printf(b, "0 0 %llu 0 0 0 0 %d\n", (unsigned long long)start_brk, exit_code);
    return 0;
}

int procfs_render_status(struct procfs_buf *b, struct fut_process *p)
{
    char letter = state_letter(p);
    procfs_buf_printf(b, "Name:\t%s\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n",
                      p->comm, state_name(letter), p->pid, p->pid, ppid_of(p));
    procfs_buf_printf(b, "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t\n");
    procfs_buf_printf(b, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, p->pid,
                      p->pgid, p->sid);
    if (p->mm) { /* Linux leaves the Vm lines out when there is no address space */
        struct vm_totals vm;
        vm_totals(p->mm, &vm);
        procfs_buf_printf(b, "VmSize:\t%8llu kB\nVmRSS:\t%8llu kB\nVmStk:\t%8llu kB\n",
                          (unsigned long long)(vm.size / 1024),
                          (unsigned long long)(p->mm->rss_pages * KB_PER_PAGE),
                          (unsigned long long)(vm.stack / 1024));
    }
    procfs_buf_printf(b, "Threads:\t%u\n", p->nr_threads);
    procfs_buf_printf(b, "SigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n",
                      (unsigned long long)p->sig_pending, 0ull, (unsigned long long)p->sigmask);
    procfs_buf_printf(b, "SigIgn:\t%016llx\nSigCgt:\t%016llx\n", 0ull, 0ull);
    return 0;
}

int procfs_render_cmdline(struct procfs_buf *b, struct fut_process *p)
{
    if (p->cmdline && p->state == FUT_PROCESS_RUNNING)
        procfs_buf_append(b, p->cmdline, p->cmdline_len);
    return 0;
}

int procfs_render_comm(struct procfs_buf *b, struct fut_process *p)
{
    procfs_buf_printf(b, "%s\n", p->comm);
    return 0;
}

/* The vnode a VMA maps, or NULL for anonymous memory and other objects. */
static struct fut_vnode *vma_vnode(const struct fut_vma *v)
{
    return v->obj && v->obj_ops == &fut_vnode_backing_ops.ref ? v->obj : NULL;
}

/* start-end perms offset major:minor inode [padding path] */
static void maps_line(struct procfs_buf *b, const struct fut_vma *v, const struct fut_vnode *exe,
                      const char *exe_path)
{
    const struct fut_vnode *vn = vma_vnode(v);
    uint64_t dev = vn ? vn->fs->dev : 0;
    size_t line_start = b->len;
    procfs_buf_printf(b, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
                      (unsigned long long)v->start, (unsigned long long)v->end,
                      v->prot & FUT_PROT_READ ? 'r' : '-', v->prot & FUT_PROT_WRITE ? 'w' : '-',
                      v->prot & FUT_PROT_EXEC ? 'x' : '-', v->flags & FUT_VMA_SHARED ? 's' : 'p',
                      (unsigned long long)v->file_offset, fut_major(dev), fut_minor(dev),
                      (unsigned long long)(vn ? vn->ino : 0));
    const char *name = NULL;
    if (v->flags & FUT_VMA_HEAP)
        name = "[heap]";
    else if (v->flags & FUT_VMA_STACK)
        name = "[stack]";
    else if (vn && vn == exe)
        name = exe_path;
    if (name) {
        procfs_buf_pad(b, line_start, MAPS_NAME_COLUMN);
        procfs_buf_printf(b, " %s", name);
    }
    procfs_buf_append(b, "\n", 1);
}

int procfs_render_maps(struct procfs_buf *b, struct fut_process *p)
{
    if (!p->mm)
        return 0;
    /* File mappings of the program exec loaded are named by its path, as
     * long as that path still leads to the same file. */
    struct fut_vnode *exe = NULL;
    if (p->exe_path && fut_vfs_lookup(NULL, p->exe_path, FUT_LOOKUP_FOLLOW, &exe) != 0)
        exe = NULL;
    for (const struct fut_vma *v = fut_vma_set_first(&p->mm->vmas); v; v = fut_vma_next(v))
        maps_line(b, v, exe, p->exe_path);
    fut_vnode_put(exe);
    return 0;
}
