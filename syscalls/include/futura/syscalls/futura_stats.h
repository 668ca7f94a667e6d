/*
 * The ABI of Futura's one system call outside Linux's table (number 500):
 * resource counters that tests read to prove frames, page tables, heap
 * objects, tasks and files return to their baseline. Shared by the kernel
 * (syscalls/sys_futura.c) and user programs (userland/tests/futura_stats.h).
 */
#ifndef FUTURA_SYSCALLS_FUTURA_STATS_H
#define FUTURA_SYSCALLS_FUTURA_STATS_H

#include <stdint.h>

#define FUT_SYS_futura_stats 500

struct futura_stats {
    uint64_t free_frames;
    uint64_t page_table_pages;
    uint64_t kmalloc_live_objects;
    uint64_t kmalloc_bytes;
    uint64_t live_processes;
    uint64_t live_threads;
    uint64_t live_vnodes;
    uint64_t open_files;
    uint64_t kernel_stacks;
    uint64_t live_mms;
    uint64_t cow_copies;  /* write faults that copied a shared page */
    uint64_t cow_reuses;  /* write faults that kept the page: the writer was its last owner */
    uint64_t anon_faults; /* zero pages supplied on first touch */
    uint64_t file_faults; /* pages supplied by a file */
};

#endif
