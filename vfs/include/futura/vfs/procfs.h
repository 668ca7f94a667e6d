/*
 * ProcFS: the kernel's state as text files, in Linux's formats, mounted at
 * /proc by fut_vfs_init_root.
 *
 *   /proc/self              symlink to the calling process's pid
 *   /proc/<pid>/            one directory per process (zombies included)
 *       stat                Linux's one-line stat (pid (comm) S ppid pgrp ...)
 *       status              "Key:\tvalue" lines: Name, State, Tgid, Pid, PPid,
 *                           Uid, Gid, VmSize, VmRSS, Threads, ...
 *       cmdline             argv, each string NUL-terminated (empty for zombies)
 *       comm                executable basename and a newline
 *       maps                one line per VMA: start-end perms offset dev inode path
 *       exe                 symlink to the program exec loaded
 *   /proc/meminfo           MemTotal, MemFree, ... in kB, Linux's columns
 *   /proc/stat              cpu times, ctxt, btime, procs_running
 *   /proc/loadavg           "0.00 0.00 0.00 running/threads lastpid"
 *   /proc/uptime            "seconds.cc idle.cc"
 *   /proc/mounts            "source mountpoint type rw 0 0" per mount
 *   /proc/kmsg              the whole kernel log ring (non-blocking)
 *   /proc/version, /proc/cpuinfo
 *
 * A file's text is rendered once, when it is opened, into a buffer that
 * lives as long as the vnode; every path lookup makes a fresh vnode, so
 * each open(2) reads one consistent snapshot, and reads at any offset or
 * in any piece size see the same bytes. Directories are listed live.
 * Everything is read-only: opening for writing is -EACCES.
 *
 * ProcFS sits above the scheduler and the memory manager: it reads process
 * records (fut_process_find/fut_process_next), address spaces and the
 * allocators' counters, and never changes them. Rendering does not sleep,
 * so on one CPU without kernel preemption a process cannot vanish midway.
 */
#ifndef FUTURA_VFS_PROCFS_H
#define FUTURA_VFS_PROCFS_H

#include "futura/vfs/vnode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel's timer rate (FUT_TICK_HZ in kernel/arch): run_ticks and the
 * scheduler's idle_ticks count at it. Linux's USER_HZ, the unit of times
 * in /proc/<pid>/stat, is 100. */
#define FUT_PROCFS_TICK_HZ 1000
#define FUT_PROCFS_USER_HZ 100

/* A new instance (type "proc"). Mount it (the mount table then owns it)
 * or fut_fs_destroy it. -ENOMEM. */
int fut_procfs_create(struct fut_fs **out);

#ifdef __cplusplus
}
#endif

#endif
