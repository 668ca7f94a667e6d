/*
 * The kernel heap: fut_kmalloc/fut_kfree over frames from the global PMM.
 *
 * Small requests (up to FUT_KMALLOC_MAX_SMALL bytes) come from slabs: one
 * 4 KiB frame per slab, a header at the start of the frame, objects of one
 * size class after it. Every object is aligned to its class size (16 ... 2048
 * bytes), so at least 16, and is never page-aligned. Larger requests take a
 * whole PMM block of 2^order frames (order = ceil(log2(pages))), page-aligned,
 * at most FUT_KMALLOC_MAX_SIZE bytes. fut_kfree tells the two apart by
 * alignment: page-aligned pointers are looked up in the table of live large
 * blocks, others must fall inside a slab frame carrying the slab magic.
 *
 * Errors: allocation failure (out of memory, size above FUT_KMALLOC_MAX_SIZE,
 * SIZE_MAX) returns NULL and leaves the heap usable. fut_kmalloc(0) returns a
 * unique minimal object (one 16-byte slot) that must be freed like any other,
 * so NULL always means failure.
 *
 * Misuse is detected, reported with fut_printk (with the pointer) and counted
 * in stats.corruptions; the offending free is ignored and changes no state.
 * Always on: double free (each slab keeps an allocation bitmap), freeing a
 * pointer that is not the start of a live object, or not from kmalloc at all
 * (it must still be a pointer into RAM: fut_hal_virt_to_phys must accept it).
 * A double free is caught while the object's frame is still a slab of its
 * class; once an emptied slab has gone back to the PMM and the frame has been
 * reused, a stale pointer may name someone else's live object.
 * With FUT_KMALLOC_DEBUG: freed objects are filled with FUT_KMALLOC_POISON and
 * the fill is verified when the object is handed out again, which catches
 * writes after free.
 *
 * Locking: none. The kernel runs single-CPU without preemption in the heap;
 * a lock around every entry point comes with SMP.
 */
#ifndef FUTURA_MEMORY_KMALLOC_H
#define FUTURA_MEMORY_KMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Poisoning and use-after-free checks. On by default in host tests and in the
 * kernel for now; build with -DFUT_KMALLOC_DEBUG=0 to drop them. */
#ifndef FUT_KMALLOC_DEBUG
#define FUT_KMALLOC_DEBUG 1
#endif

/* Byte that fills freed slab objects when FUT_KMALLOC_DEBUG is on. */
#define FUT_KMALLOC_POISON 0x6b

/* Size classes: 16, 32, ..., 2048 bytes. */
#define FUT_KMALLOC_MIN_SMALL 16u
#define FUT_KMALLOC_MAX_SMALL 2048u
#define FUT_KMALLOC_NR_CLASSES 8
/* Largest request: one PMM block of the maximum order (4 MiB). */
#define FUT_KMALLOC_MAX_SIZE ((size_t)4096 << 10)

struct fut_kmalloc_stats {
    uint64_t bytes_in_use;  /* live allocations, each counted as its class size
                             * (slab) or its whole block (large) */
    uint64_t live_objects;  /* live allocations, small and large */
    uint64_t slab_pages;    /* frames held as slabs, cached empty ones and the
                             * heap's own bookkeeping included */
    uint64_t large_pages;   /* frames held by live large allocations */
    uint64_t failed_allocs; /* requests refused: out of memory or too large */
    uint64_t corruptions;   /* every misuse detected; the sum of the next three */
    uint64_t double_frees;  /* frees of a slab object that is already free (a large
                             * block freed twice counts as invalid: its record is gone) */
    uint64_t invalid_frees; /* pointers that are not a live object's start */
    uint64_t poison_errors; /* freed objects found written to when reused */
    uint64_t class_objects[FUT_KMALLOC_NR_CLASSES]; /* live small objects per class */
};

/* Returns size bytes aligned to min(class size, 4096), or NULL. Contents are
 * unspecified (poison bytes when debugging). */
void *fut_kmalloc(size_t size);
/* fut_kmalloc, zero-filled. */
void *fut_kzalloc(size_t size);
/* Frees what fut_kmalloc/fut_kzalloc returned. NULL is ignored; misuse is
 * reported and ignored (see above). */
void fut_kfree(void *ptr);

/* Forgets every slab and large block and starts an empty heap on
 * fut_pmm_global(). The zero-initialised heap is already valid, so the kernel
 * need not call it; host tests call it after each fresh PMM set-up, because
 * what the heap held belonged to the previous fake RAM. */
void fut_kmalloc_init(void);

/* Returns the cached empty slabs (one per class at most) to the PMM; returns
 * the number of frames released. */
size_t fut_kmalloc_shrink(void);

void fut_kmalloc_get_stats(struct fut_kmalloc_stats *out);

/* Walks every slab and the large-block table and checks the heap's invariants
 * (list membership, bitmap counts, counters). O(heap); for tests and self-tests. */
bool fut_kmalloc_check(void);

#ifdef __cplusplus
}
#endif

#endif
