/*
 * Building a PMM from the boot memory map: the descriptor span, which frames
 * are managed, seeding the free lists, and where the kernel can put the
 * descriptor array. Everything works on frame numbers (pfns) so ranges that
 * reach the top of the address space cannot overflow.
 */
#include "futura/errno.h"
#include "futura/lib/string.h"
#include "pmm_internal.h"

#define PAGE_MASK (FUT_PAGE_SIZE - 1)

/* A region's end, clamped at the top of the address space. */
static uint64_t region_end(const struct fut_mem_region *r)
{
    uint64_t end = r->base + r->length;
    return end < r->base ? UINT64_MAX : end;
}

/* Frames wholly inside [start, end), as pfns [*first, *limit). Empty if *first >= *limit. */
static void pfns_inside(uint64_t start, uint64_t end, uint64_t *first, uint64_t *limit)
{
    *first = (start >> FUT_PAGE_SHIFT) + ((start & PAGE_MASK) != 0);
    *limit = end >> FUT_PAGE_SHIFT;
}

/* Frames that share at least one byte with [start, end). */
static void pfns_touching(uint64_t start, uint64_t end, uint64_t *first, uint64_t *limit)
{
    if (end <= start) {
        *first = *limit = 0;
        return;
    }
    *first = start >> FUT_PAGE_SHIFT;
    *limit = (end >> FUT_PAGE_SHIFT) + ((end & PAGE_MASK) != 0);
}

/* The span [*first, *limit) from the lowest to past the highest whole usable
 * frame; false if the map has none. */
static bool usable_span(const struct fut_mem_region *regions, size_t nregions, uint64_t *first,
                        uint64_t *limit)
{
    bool any = false;
    for (size_t i = 0; i < nregions; i++) {
        uint64_t f, l;
        if (regions[i].type != FUT_MEM_USABLE)
            continue;
        pfns_inside(regions[i].base, region_end(&regions[i]), &f, &l);
        if (f >= l)
            continue;
        if (!any || f < *first)
            *first = f;
        if (!any || l > *limit)
            *limit = l;
        any = true;
    }
    return any;
}

size_t fut_pmm_descriptor_bytes(const struct fut_mem_region *regions, size_t nregions)
{
    uint64_t first, limit;
    if (!usable_span(regions, nregions, &first, &limit))
        return 0;
    return (size_t)(limit - first) * sizeof(struct fut_page);
}

/* Sets or clears FUT_PAGE_RESERVED on the descriptors of pfns [first, limit)
 * that lie in the span. */
static void mark_reserved(struct fut_pmm *pmm, uint64_t first, uint64_t limit, bool reserved)
{
    uint64_t span_end = pmm->base_pfn + pmm->npages;
    if (first < pmm->base_pfn)
        first = pmm->base_pfn;
    if (limit > span_end)
        limit = span_end;
    for (uint64_t pfn = first; pfn < limit; pfn++) {
        struct fut_page *page = &pmm->pages[pfn - pmm->base_pfn];
        if (reserved)
            page->flags |= FUT_PAGE_RESERVED;
        else
            page->flags &= (uint16_t)~FUT_PAGE_RESERVED;
    }
}

/* Usable frames become managed; then anything another region, a reserved
 * range or frame 0 touches is taken back, whatever the order of the inputs. */
static void mark_managed_frames(struct fut_pmm *pmm, const struct fut_mem_region *regions,
                                size_t nregions, const struct fut_phys_range *reserved,
                                size_t nreserved)
{
    uint64_t first, limit;
    for (size_t i = 0; i < nregions; i++) {
        if (regions[i].type != FUT_MEM_USABLE)
            continue;
        pfns_inside(regions[i].base, region_end(&regions[i]), &first, &limit);
        mark_reserved(pmm, first, limit, false);
    }
    for (size_t i = 0; i < nregions; i++) {
        if (regions[i].type == FUT_MEM_USABLE)
            continue;
        pfns_touching(regions[i].base, region_end(&regions[i]), &first, &limit);
        mark_reserved(pmm, first, limit, true);
    }
    for (size_t i = 0; i < nreserved; i++) {
        pfns_touching(reserved[i].start, reserved[i].end, &first, &limit);
        mark_reserved(pmm, first, limit, true);
    }
    /* Frame 0 stays unmanaged so that 0 can mean "no frame". */
    mark_reserved(pmm, 0, 1, true);
}

static bool managed(const struct fut_pmm *pmm, uint64_t i)
{
    return !(pmm->pages[i].flags & FUT_PAGE_RESERVED);
}

/* Frees each run of managed frames as the largest aligned blocks it holds.
 * The free lists end up exactly as if every frame had been freed one at a
 * time (merging builds the same blocks), but with one release per block
 * instead of per frame: a 1 GiB machine seeds 512 blocks, not 262,144
 * frames, which is most of a boot's time under TCG. */
static void seed_free_lists(struct fut_pmm *pmm)
{
    uint64_t i = 0;
    while (i < pmm->npages) {
        if (!managed(pmm, i)) {
            i++;
            continue;
        }
        uint64_t pfn = pmm->base_pfn + i;
        unsigned int order = 0;
        /* Grow while the block stays aligned and its upper half is managed. */
        while (order < FUT_PMM_MAX_ORDER) {
            uint64_t size = pmm_order_frames(order);
            if ((pfn & (2 * size - 1)) != 0 || i + 2 * size > pmm->npages)
                break;
            uint64_t j = i + size;
            while (j < i + 2 * size && managed(pmm, j))
                j++;
            if (j < i + 2 * size)
                break;
            order++;
        }
        fut_pmm_release_block(pmm, pfn, order);
        pmm->stats.total_frames += pmm_order_frames(order);
        i += pmm_order_frames(order);
    }
}

int fut_pmm_init(struct fut_pmm *pmm, const struct fut_mem_region *regions, size_t nregions,
                 const struct fut_phys_range *reserved, size_t nreserved, void *storage,
                 size_t storage_bytes)
{
    uint64_t first, limit;
    memset(pmm, 0, sizeof(*pmm));
    if (!usable_span(regions, nregions, &first, &limit))
        return -EINVAL;
    if (!storage || storage_bytes < fut_pmm_descriptor_bytes(regions, nregions) ||
        (uintptr_t)storage % _Alignof(struct fut_page) != 0)
        return -EINVAL;

    pmm->pages = storage;
    pmm->base_pfn = first;
    pmm->npages = limit - first;
    memset(pmm->pages, 0, (size_t)pmm->npages * sizeof(struct fut_page));
    mark_reserved(pmm, first, limit, true);
    mark_managed_frames(pmm, regions, nregions, reserved, nreserved);
    seed_free_lists(pmm);
    return 0;
}

/* Whether pfns [first, limit) and [a, b) share a frame. */
static bool pfns_overlap(uint64_t first, uint64_t limit, uint64_t a, uint64_t b)
{
    return first < b && a < limit;
}

/* Whether pfns [first, limit) could hold the descriptor array: inside one
 * usable region's whole frames, clear of every other region, reserved range
 * and frame 0. */
static bool descriptors_fit(const struct fut_mem_region *regions, size_t nregions,
                            const struct fut_phys_range *reserved, size_t nreserved, uint64_t first,
                            uint64_t limit)
{
    bool inside_usable = false;
    uint64_t a, b;
    if (first == 0)
        return false;
    for (size_t i = 0; i < nregions; i++) {
        if (regions[i].type == FUT_MEM_USABLE) {
            pfns_inside(regions[i].base, region_end(&regions[i]), &a, &b);
            inside_usable |= a <= first && limit <= b;
        } else {
            pfns_touching(regions[i].base, region_end(&regions[i]), &a, &b);
            if (pfns_overlap(first, limit, a, b))
                return false;
        }
    }
    for (size_t i = 0; i < nreserved; i++) {
        pfns_touching(reserved[i].start, reserved[i].end, &a, &b);
        if (pfns_overlap(first, limit, a, b))
            return false;
    }
    return inside_usable;
}

/* A search for the descriptor array's home: the inputs, and the lowest fit so far. */
struct placement {
    const struct fut_mem_region *regions;
    size_t nregions;
    const struct fut_phys_range *reserved;
    size_t nreserved;
    uint64_t frames;    /* size of the array in frames */
    uint64_t limit_pfn; /* the array must end at or below this frame */
    bool found;
    uint64_t best; /* first pfn of the lowest fit, when found */
};

/* Tries the array at pfn `first` and keeps it if it fits lower than the best so far. */
static void consider_placement(struct placement *p, uint64_t first)
{
    if (first > p->limit_pfn || p->frames > p->limit_pfn - first)
        return;
    if (p->found && first >= p->best)
        return;
    if (!descriptors_fit(p->regions, p->nregions, p->reserved, p->nreserved, first,
                         first + p->frames))
        return;
    p->found = true;
    p->best = first;
}

int fut_pmm_place_descriptors(const struct fut_mem_region *regions, size_t nregions,
                              const struct fut_phys_range *reserved, size_t nreserved,
                              uint64_t limit, uint64_t *phys_out)
{
    size_t bytes = fut_pmm_descriptor_bytes(regions, nregions);
    if (bytes == 0)
        return -EINVAL;
    struct placement p = {
        .regions = regions,
        .nregions = nregions,
        .reserved = reserved,
        .nreserved = nreserved,
        .frames = (bytes + PAGE_MASK) >> FUT_PAGE_SHIFT,
        .limit_pfn = limit >> FUT_PAGE_SHIFT,
    };
    uint64_t first, end;

    /* The lowest fit starts at frame 1, at a usable region's first whole frame,
     * or right after something it must avoid; no other start can be lowest. */
    consider_placement(&p, 1);
    for (size_t i = 0; i < nregions; i++) {
        pfns_inside(regions[i].base, region_end(&regions[i]), &first, &end);
        consider_placement(&p, first);
        pfns_touching(regions[i].base, region_end(&regions[i]), &first, &end);
        consider_placement(&p, end);
    }
    for (size_t i = 0; i < nreserved; i++) {
        pfns_touching(reserved[i].start, reserved[i].end, &first, &end);
        consider_placement(&p, end);
    }
    if (!p.found)
        return -ENOMEM;
    *phys_out = p.best << FUT_PAGE_SHIFT;
    return 0;
}
