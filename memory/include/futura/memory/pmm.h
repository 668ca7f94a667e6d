/*
 * The physical memory manager: a buddy allocator of 4 KiB frames in blocks of
 * 2^order frames (order 0..FUT_PMM_MAX_ORDER), plus one descriptor
 * (struct fut_page) per frame for refcounts and O(1) phys <-> page lookup.
 *
 * The PMM manages descriptors only; it never reads or writes frame contents,
 * so host tests can hand it made-up physical addresses.
 *
 * Descriptor storage: one array covering [lowest usable, highest usable) frame
 * of the boot memory map. The caller provides it (fut_pmm_descriptor_bytes()
 * says how much): the kernel carves it out of RAM at boot (see
 * fut_pmm_place_descriptors()), host tests malloc it. Nothing here allocates
 * after fut_pmm_init(), so the fault path may use every function below.
 *
 * Locking: none inside. Callers serialize all calls on one struct fut_pmm
 * (the kernel's global instance is used single-threaded until SMP brings a lock).
 *
 * Errors: allocation failure returns 0 (physical frame 0 is never managed, so
 * 0 is never a valid block). Misuse - double free, freeing an address that is
 * not an allocated block head, a misaligned address or the wrong order - is
 * detected, rejected with -EINVAL without touching any state, and counted in
 * stats.invalid_frees.
 */
#ifndef FUTURA_MEMORY_PMM_H
#define FUTURA_MEMORY_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "futura/boot/bootinfo.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FUT_PAGE_SHIFT 12
#define FUT_PAGE_SIZE (1ull << FUT_PAGE_SHIFT)
/* Largest block: 2^10 frames = 4 MiB. */
#define FUT_PMM_MAX_ORDER 10
#define FUT_PMM_NR_ORDERS (FUT_PMM_MAX_ORDER + 1)

/* struct fut_page.flags. Only the first frame (the head) of a block carries
 * FREE or ALLOCATED; the other frames of a block carry neither. */
#define FUT_PAGE_RESERVED 0x1u  /* not managed: hole, firmware, or a reserved range */
#define FUT_PAGE_FREE 0x2u      /* heads a free block, linked on free_lists[order] */
#define FUT_PAGE_ALLOCATED 0x4u /* heads an allocated block of 2^order frames */

/* One per physical frame in the descriptor span. */
struct fut_page {
    struct fut_page *next; /* free-list links; valid only while FUT_PAGE_FREE */
    struct fut_page *prev;
    uint32_t refcount; /* owners of an ALLOCATED head (mappings, COW sharers); else 0 */
    uint16_t flags;    /* FUT_PAGE_* */
    uint8_t order;     /* block order; meaningful on FREE or ALLOCATED heads */
};

/* A physical address range [start, end). */
struct fut_phys_range {
    uint64_t start;
    uint64_t end;
};

struct fut_pmm_stats {
    uint64_t total_frames;                   /* managed frames, free or allocated */
    uint64_t free_frames;                    /* frames in free blocks */
    uint64_t free_blocks[FUT_PMM_NR_ORDERS]; /* free blocks of each order */
    uint64_t failed_allocs;                  /* allocations refused: no block, or order too big */
    uint64_t invalid_frees;                  /* frees/gets/puts rejected as misuse (see above) */
};

/* One allocator. Fields are private to memory/pmm*.c; the struct is public
 * only so callers can embed or declare an instance. */
struct fut_pmm {
    struct fut_page *pages; /* pages[i] describes frame base_pfn + i */
    uint64_t base_pfn;
    uint64_t npages;
    struct fut_page *free_lists[FUT_PMM_NR_ORDERS]; /* heads of doubly linked, NULL-terminated */
    struct fut_pmm_stats stats;
};

/* Bytes of descriptor storage fut_pmm_init() needs for this map; 0 if the map
 * has no whole usable frame. */
size_t fut_pmm_descriptor_bytes(const struct fut_mem_region *regions, size_t nregions);

/*
 * Picks a page-aligned physical home for the descriptor array: the lowest
 * range of fut_pmm_descriptor_bytes() rounded up to whole pages that lies in
 * one FUT_MEM_USABLE region, overlaps no other region or reserved range, and
 * ends at or below `limit` (e.g. what the early page tables map). Stores its
 * start in *phys_out. The caller must add that range to the reserved list it
 * passes to fut_pmm_init(). Returns 0, -EINVAL for a map without usable
 * memory, or -ENOMEM when nothing fits.
 */
int fut_pmm_place_descriptors(const struct fut_mem_region *regions, size_t nregions,
                              const struct fut_phys_range *reserved, size_t nreserved,
                              uint64_t limit, uint64_t *phys_out);

/*
 * Builds `pmm` from the boot memory map. A frame is managed when it lies
 * wholly inside a FUT_MEM_USABLE region, touches no other region and no
 * reserved range, and is not frame 0; partial frames at region edges are
 * dropped. Regions may be unsorted and may overlap. `storage` (aligned for
 * struct fut_page, at least fut_pmm_descriptor_bytes() long) becomes the
 * descriptor array and must outlive `pmm`. Returns 0, or -EINVAL (no usable
 * memory, storage too small or misaligned).
 */
int fut_pmm_init(struct fut_pmm *pmm, const struct fut_mem_region *regions, size_t nregions,
                 const struct fut_phys_range *reserved, size_t nreserved, void *storage,
                 size_t storage_bytes);

/* Allocates 2^order contiguous frames aligned to 2^order frames, with
 * refcount 1 on the head. Returns the physical address, or 0 on failure
 * (out of memory or order > FUT_PMM_MAX_ORDER); the allocator stays usable. */
uint64_t fut_pmm_alloc(struct fut_pmm *pmm, unsigned int order);

/* Frees a block fut_pmm_alloc(order) returned and merges it with free buddies.
 * Returns 0; -EINVAL when phys is not the head of an allocated block of this
 * order (double free, misaligned, unmanaged, wrong order); -EBUSY when other
 * references remain (refcount > 1; use fut_page_put). Rejections change nothing
 * but stats.invalid_frees. */
int fut_pmm_free(struct fut_pmm *pmm, uint64_t phys, unsigned int order);

/* Descriptor of the managed frame containing phys, or NULL if unmanaged. O(1). */
struct fut_page *fut_pmm_page(struct fut_pmm *pmm, uint64_t phys);
/* Physical address of the frame `page` describes. O(1). */
uint64_t fut_pmm_page_phys(const struct fut_pmm *pmm, const struct fut_page *page);

/* Adds a reference to an allocated block (its head page). Returns 0, -EINVAL
 * if page is not an allocated head, -EOVERFLOW if the count is saturated. */
int fut_page_get(struct fut_page *page);
/* Drops a reference; at zero frees the block. Returns true exactly when this
 * call freed it. A put on a page that is not an allocated head returns false
 * and counts in stats.invalid_frees. */
bool fut_page_put(struct fut_pmm *pmm, struct fut_page *page);

uint64_t fut_pmm_free_frames(const struct fut_pmm *pmm);
uint64_t fut_pmm_total_frames(const struct fut_pmm *pmm);
void fut_pmm_get_stats(const struct fut_pmm *pmm, struct fut_pmm_stats *out);

/* Walks every descriptor and free list and checks the allocator's invariants
 * (list membership, flags, alignment, counters, no unmerged free buddies).
 * O(frames); for tests and self-tests. */
bool fut_pmm_check(const struct fut_pmm *pmm);

/* The kernel's instance; zero (no frames) until the boot code runs fut_pmm_init on it. */
struct fut_pmm *fut_pmm_global(void);

#ifdef __cplusplus
}
#endif

#endif
