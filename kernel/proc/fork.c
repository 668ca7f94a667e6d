/*
 * fork: a child process with a copy-on-write clone of the address space, a
 * copy of the descriptor table (sharing the open files), the signal
 * settings, and a thread that returns from the same system call with 0.
 */
#include "futura/arch/thread.h"
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/mm.h"
#include "futura/proc.h"
#include "futura/signal.h"
#include "futura/scheduler/sched.h"
#include "futura/syscalls/files.h"
#include "names.h"

/* Set by `fork=copy` on the command line: copy every private page at fork,
 * the baseline perf_mm compares copy-on-write against. */
bool fut_fork_eager_copy;

static void undo(struct fut_process *child, struct fut_arch_thread *arch, uint64_t kstack)
{
    if (kstack)
        fut_kstack_free(kstack);
    fut_kfree(arch);
    if (!child)
        return;
    struct fut_mm *mm = child->mm;
    child->mm = NULL;
    if (mm)
        fut_mm_put(mm);
    fut_fdtable_put(child->files);
    child->files = NULL;
    fut_sigstate_free(child->signals);
    child->signals = NULL;
    fut_proc_names_release(child);
    /* A process that never ran: gone without a zombie or a SIGCHLD. */
    fut_process_destroy(child);
}

int fut_proc_fork(struct fut_trap_frame *frame)
{
    struct fut_process *parent = fut_current_process();
    struct fut_process *child = NULL;
    struct fut_thread *t = NULL;
    struct fut_arch_thread *arch = fut_kzalloc(sizeof(*arch));
    uint64_t kstack = arch ? fut_kstack_alloc() : 0;
    int rc = kstack ? fut_process_create(parent, &child) : -ENOMEM;
    if (rc) {
        child = NULL;
        goto fail;
    }
    child->mm = fut_mm_clone(parent->mm, fut_fork_eager_copy);
    child->files = fut_fdtable_clone(parent->files);
    if (!child->mm || !child->files) {
        rc = -ENOMEM;
        goto fail;
    }
    child->sigmask = parent->sigmask; /* pending signals are not inherited */
    memcpy(child->rlimit_cur, parent->rlimit_cur, sizeof(child->rlimit_cur));
    memcpy(child->rlimit_max, parent->rlimit_max, sizeof(child->rlimit_max));
    child->signals = fut_sigstate_clone(parent->signals);
    if (!child->signals) {
        rc = -ENOMEM;
        goto fail;
    }
    rc = fut_proc_names_copy(child, parent);
    if (rc)
        goto fail;
    rc = fut_thread_create(child, &t);
    if (rc)
        goto fail;
    fut_arch_thread_init_fork(arch, kstack, fut_sched_current()->arch, frame);
    t->arch = arch;
    fut_sched_enqueue(t);
    return child->pid;

fail:
    undo(child, arch, kstack);
    return rc;
}
