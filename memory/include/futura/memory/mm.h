/*
 * Address spaces (struct fut_mm): one top-level page table whose upper half
 * is the kernel's, a VMA set describing the user half, and the policy that
 * turns page faults into pages - anonymous demand paging, copy-on-write and
 * the sole-owner reuse of a COW page.
 *
 * Page ownership: every present user PTE holds one reference on its frame
 * (struct fut_page.refcount). A private page shared by fork is read-only in
 * both address spaces (FUT_PTE_COW marks it) with refcount 2; the first write
 * copies it, or - if the writer is the last owner - just makes it writable.
 *
 * Backing objects (files, later) plug in through struct fut_mm_backing_ops,
 * whose first member is the VMA set's get/put table.
 *
 * Locking: none yet; one CPU, and callers do not run concurrently on one mm.
 */
#ifndef FUTURA_MEMORY_MM_H
#define FUTURA_MEMORY_MM_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/memory/vma.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A backing object's page provider: stores in *phys a frame holding the
 * object's bytes at `offset` (page aligned) with one reference taken for the
 * caller. Returns 0, -ENOMEM, or -EFAULT/-ENXIO for offsets past the end. */
struct fut_mm_backing_ops {
    struct fut_vma_obj_ops ref; /* must stay first: VMAs point at it */
    int (*get_page)(void *obj, uint64_t offset, uint64_t *phys);
};

struct fut_mm {
    uint64_t root;          /* top-level page table, physical */
    struct fut_vma_set vmas; /* the user half */
    uint32_t refcount;      /* holders: tasks running in it, and temporary users */
    uint64_t rss_pages;     /* user pages currently mapped (present PTEs) */
    uint64_t brk_start;     /* heap start, set by the loader */
    uint64_t brk;           /* current program break */
};

/* Lowest and highest user addresses mmap and the loader may use. */
#define FUT_MM_USER_MIN 0x10000ull
#define FUT_MM_USER_MAX 0x00007ffffffff000ull

/* A new, empty address space sharing the kernel half; NULL when out of memory. */
struct fut_mm *fut_mm_create(void);
void fut_mm_get(struct fut_mm *mm);
/* Drops a reference; the last one unmaps and frees every user page, page table
 * and VMA of mm. */
void fut_mm_put(struct fut_mm *mm);

/* Switches the CPU to mm's page tables (NULL: the kernel's alone); page faults
 * on user addresses are resolved against the active mm. */
void fut_mm_activate(struct fut_mm *mm);
struct fut_mm *fut_mm_current(void);

/* Adds a mapping described by proto (see fut_vma_set_insert) without
 * populating it: pages arrive on first touch. */
int fut_mm_map(struct fut_mm *mm, const struct fut_vma *proto);

/* Unmaps [start, start + len): pages are released (refcounts dropped), VMAs
 * shrink or split, and the TLB is flushed. -EINVAL for unaligned start, zero
 * length or a range leaving the user half. */
int fut_mm_unmap(struct fut_mm *mm, uint64_t start, uint64_t len);

/* Drops the pages of [start, start + len) but keeps the mappings
 * (madvise MADV_DONTNEED): the next touch brings zeros (anonymous memory)
 * or the file's bytes again. */
int fut_mm_discard(struct fut_mm *mm, uint64_t start, uint64_t len);

/* Changes protection of [start, start + len), as mprotect(2); present pages
 * follow (write access is only granted where the page is not shared COW). */
int fut_mm_protect(struct fut_mm *mm, uint64_t start, uint64_t len, uint32_t prot);

/* Page-fault access bits (what the CPU reported). */
#define FUT_FAULT_WRITE 0x1u   /* the access was a write */
#define FUT_FAULT_EXEC 0x2u    /* instruction fetch */
#define FUT_FAULT_PRESENT 0x4u /* a present page refused the access */

enum fut_fault_result {
    FUT_FAULT_HANDLED = 0,   /* retry the access */
    FUT_FAULT_SEGV_MAPERR,   /* no mapping at the address (SIGSEGV, SEGV_MAPERR) */
    FUT_FAULT_SEGV_ACCERR,   /* mapping forbids the access (SIGSEGV, SEGV_ACCERR) */
    FUT_FAULT_BUS,           /* the backing object has no page there (SIGBUS) */
    FUT_FAULT_OOM,           /* no memory to resolve it */
};

enum fut_fault_result fut_mm_handle_fault(struct fut_mm *mm, uint64_t addr, uint32_t access);

/* A copy of src for fork: every VMA is duplicated; shared mappings share
 * frames; private pages are shared copy-on-write (O(1) per page), or copied
 * eagerly when `eager_copy` (the full-copy fork, kept for measurement).
 * NULL when out of memory (nothing leaks). */
struct fut_mm *fut_mm_clone(struct fut_mm *src, bool eager_copy);

/* Counters since boot, for tests, benchmarks and /proc. */
struct fut_mm_stats {
    uint64_t live_mms;        /* address spaces not yet destroyed */
    uint64_t anon_faults;     /* zero pages supplied on demand */
    uint64_t file_faults;     /* pages supplied by a backing object */
    uint64_t cow_copies;      /* write faults that copied a shared page */
    uint64_t cow_reuses;      /* write faults that kept a page because the writer was its last owner */
    uint64_t segv_faults;     /* faults refused */
    uint64_t shared_tables;   /* page tables fork shared instead of copying */
    uint64_t unshared_tables; /* shared page tables copied on a later change */
    uint64_t reclaimed_tables; /* shared tables made writable again: the last sharer wrote */
};

/* fork shares last-level page tables copy-on-write (On-Demand-Fork) unless
 * this is false; then it shares pages one entry at a time. `fork=cow` on the
 * command line clears it (for measuring the difference). */
extern bool fut_mm_share_page_tables;
void fut_mm_get_stats(struct fut_mm_stats *out);

#ifdef __cplusplus
}
#endif

#endif
