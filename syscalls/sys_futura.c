/*
 * Futura's one system call outside Linux's table (number 500, unused on
 * Linux): resource counters for tests that prove frames, page tables, heap
 * objects, tasks and files return to their baseline after a workload.
 */
#include "futura/errno.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/scheduler/task.h"
#include "futura/syscalls/futura_stats.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"
#include "futura/vfs/vnode.h"


long sys_futura_stats(const struct fut_syscall_args *a)
{
    struct futura_stats s;
    struct fut_kmalloc_stats k;
    struct fut_task_stats t;
    struct fut_vfs_stats v;
    struct fut_mm_stats m;
    if ((size_t)a->arg[1] != sizeof(s))
        return -EINVAL;
    fut_kmalloc_get_stats(&k);
    fut_task_get_stats(&t);
    fut_vfs_get_stats(&v);
    fut_mm_get_stats(&m);
    s = (struct futura_stats){
        .free_frames = fut_pmm_free_frames(fut_pmm_global()),
        .page_table_pages = fut_pt_table_pages(),
        .kmalloc_live_objects = k.live_objects,
        .kmalloc_bytes = k.bytes_in_use,
        .live_processes = t.live_processes,
        .live_threads = t.live_threads,
        .live_vnodes = v.live_vnodes,
        .open_files = v.open_files,
        .kernel_stacks = fut_kstack_live(),
        .live_mms = m.live_mms,
        .cow_copies = m.cow_copies,
        .cow_reuses = m.cow_reuses,
        .anon_faults = m.anon_faults,
        .file_faults = m.file_faults,
    };
    return fut_copy_to_user((void *)a->arg[0], &s, sizeof(s));
}
