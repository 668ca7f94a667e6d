/* Futura's resource counters, read through its one non-Linux system call
 * (number 500; Linux returns ENOSYS for it). Tests use them to prove that
 * frames, heap objects, tasks and files return to their baseline. */
#ifndef FUTURA_USERLAND_TESTS_FUTURA_STATS_H
#define FUTURA_USERLAND_TESTS_FUTURA_STATS_H

#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "futura/syscalls/futura_stats.h"

#define SYS_futura_stats FUT_SYS_futura_stats

static inline int futura_stats(struct futura_stats *s)
{
    return (int)syscall(SYS_futura_stats, s, sizeof(*s));
}

static inline void futura_stats_print(const char *when, const struct futura_stats *s)
{
    printf("stats %s: free_frames=%llu pt_pages=%llu kmalloc_objects=%llu kmalloc_bytes=%llu "
           "processes=%llu threads=%llu vnodes=%llu files=%llu kstacks=%llu mms=%llu\n",
           when, (unsigned long long)s->free_frames, (unsigned long long)s->page_table_pages,
           (unsigned long long)s->kmalloc_live_objects, (unsigned long long)s->kmalloc_bytes,
           (unsigned long long)s->live_processes, (unsigned long long)s->live_threads,
           (unsigned long long)s->live_vnodes, (unsigned long long)s->open_files,
           (unsigned long long)s->kernel_stacks, (unsigned long long)s->live_mms);
}

#endif
