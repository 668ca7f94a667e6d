/*
 * The kernel heap (see kmalloc.h): slab caches for small objects, whole PMM
 * blocks for large ones.
 *
 * A slab is one frame: struct slab at offset 0, then `capacity` objects of one
 * size from offset `first`, which is the header size rounded up to the object
 * size, so every object is aligned to its size and none is page-aligned. The
 * allocation state lives only in the header's bitmap, never inside objects, so
 * a stray write into a freed object cannot corrupt the allocator, and a free
 * can be checked against the bitmap before anything changes.
 *
 * Each cache keeps its slabs on three lists by fill state. Allocation takes
 * the first partial slab, else the cached empty one, else a new frame. When a
 * free empties a slab it becomes the cached empty slab, or goes back to the
 * PMM if the cache already has one.
 *
 * Large blocks are recorded in a hash table keyed by physical address; the
 * records come from an internal cache whose objects fut_kfree refuses, so only
 * blocks this heap handed out can be freed through it.
 *
 * Locking: none; single CPU, no preemption inside the heap (see kmalloc.h).
 */
#include "futura/memory/kmalloc.h"

#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/pmm.h"

#define PAGE_MASK (FUT_PAGE_SIZE - 1)
/* Marks a frame as a slab; stored XORed with the frame's physical address so
 * a copy of a header elsewhere, or a stale one, does not pass as a slab. */
#define SLAB_MAGIC 0x5ab1ca7e0b1ec75ull
#define SLAB_HEADER_BYTES 64
#define SLAB_BITMAP_WORDS 4 /* 256 bits; the 16-byte class needs 252 */

/* Cache indexes: 0..NR_CLASSES-1 serve fut_kmalloc, META holds large-block records. */
#define META_CACHE FUT_KMALLOC_NR_CLASSES
#define NR_CACHES (FUT_KMALLOC_NR_CLASSES + 1)

enum slab_state { SLAB_PARTIAL, SLAB_FULL, SLAB_EMPTY, SLAB_NR_STATES };

struct slab {
    struct slab *next; /* links on caches[cache].lists[state] */
    struct slab *prev;
    uint64_t magic;                   /* SLAB_MAGIC ^ frame phys while a slab */
    uint64_t used[SLAB_BITMAP_WORDS]; /* bit i set: object i is allocated */
    uint16_t nfree;                   /* clear bits below capacity */
    uint8_t cache;                    /* index into caches[] */
    uint8_t state;                    /* enum slab_state: the list it is on */
};
_Static_assert(sizeof(struct slab) <= SLAB_HEADER_BYTES, "slab header outgrew its slot");

/* Where a cache's objects sit in a slab frame. */
struct slab_geometry {
    uint16_t size;
    uint16_t first;    /* offset of object 0 */
    uint16_t capacity; /* objects per slab */
};

#define FIRST_OBJECT(sz) ((SLAB_HEADER_BYTES + (sz)-1) / (sz) * (sz))
#define GEOMETRY(sz)                                                                               \
    {                                                                                              \
        (sz), FIRST_OBJECT(sz), (FUT_PAGE_SIZE - FIRST_OBJECT(sz)) / (sz)                          \
    }

static const struct slab_geometry geometry[NR_CACHES] = {
    GEOMETRY(16),  GEOMETRY(32),   GEOMETRY(64),   GEOMETRY(128), GEOMETRY(256),
    GEOMETRY(512), GEOMETRY(1024), GEOMETRY(2048), GEOMETRY(32), /* META */
};
_Static_assert((FUT_PAGE_SIZE - FIRST_OBJECT(16)) / 16 <= 64 * SLAB_BITMAP_WORDS,
               "bitmap too small for the 16-byte class");

struct cache {
    struct slab *lists[SLAB_NR_STATES]; /* heads of doubly linked, NULL-terminated lists */
    uint64_t nslabs;                    /* slabs on all three lists */
};

/* A live large allocation: 2^order frames at phys. */
struct large_block {
    struct large_block *next; /* hash chain */
    uint64_t phys;
    unsigned int order;
};
_Static_assert(sizeof(struct large_block) <= 32, "large_block outgrew the META cache");

#define LARGE_BUCKETS 256

/* All heap state; all-zero is an empty heap. */
static struct cache caches[NR_CACHES];
static struct large_block *large_table[LARGE_BUCKETS];
static struct fut_kmalloc_stats stats;

static struct fut_pmm *pmm(void)
{
    return fut_pmm_global();
}

static void report(uint64_t *kind, const char *what, const void *ptr)
{
    stats.corruptions++;
    (*kind)++;
    fut_printk("kmalloc: %s %p\n", what, ptr);
}

/* ---- slab lists ---- */

static void list_remove(struct cache *c, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        c->lists[s->state] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static void list_push(struct cache *c, struct slab *s, enum slab_state state)
{
    s->state = (uint8_t)state;
    s->prev = NULL;
    s->next = c->lists[state];
    if (s->next)
        s->next->prev = s;
    c->lists[state] = s;
}

static enum slab_state state_for(const struct slab *s)
{
    if (s->nfree == 0)
        return SLAB_FULL;
    return s->nfree == geometry[s->cache].capacity ? SLAB_EMPTY : SLAB_PARTIAL;
}

static uint8_t *slab_object(struct slab *s, unsigned int i)
{
    const struct slab_geometry *g = &geometry[s->cache];
    return (uint8_t *)s + g->first + (size_t)i * g->size;
}

static bool object_allocated(const struct slab *s, unsigned int i)
{
    return (s->used[i / 64] >> (i % 64)) & 1;
}

/* ---- slab frames ---- */

static struct slab *slab_create(unsigned int cache)
{
    const struct slab_geometry *g = &geometry[cache];
    uint64_t phys = fut_pmm_alloc(pmm(), 0);
    if (!phys)
        return NULL;
    struct slab *s = fut_hal_phys_to_virt(phys);
    memset(s, 0, sizeof(*s));
    s->magic = SLAB_MAGIC ^ phys;
    s->cache = (uint8_t)cache;
    s->nfree = g->capacity;
#if FUT_KMALLOC_DEBUG
    memset(slab_object(s, 0), FUT_KMALLOC_POISON, (size_t)g->capacity * g->size);
#endif
    list_push(&caches[cache], s, SLAB_EMPTY);
    caches[cache].nslabs++;
    stats.slab_pages++;
    return s;
}

static void slab_destroy(struct slab *s)
{
    struct cache *c = &caches[s->cache];
    uint64_t phys = fut_hal_virt_to_phys(s);
    list_remove(c, s);
    c->nslabs--;
    stats.slab_pages--;
    s->magic = 0; /* the frame is no slab any more */
    fut_pmm_free(pmm(), phys, 0);
}

/* Moves s to the list its fill state calls for. A slab that has just become
 * empty is kept as the cache's one empty slab or given back to the PMM. */
static void slab_relink(struct slab *s)
{
    struct cache *c = &caches[s->cache];
    enum slab_state state = state_for(s);
    if (state == s->state)
        return;
    if (state == SLAB_EMPTY && c->lists[SLAB_EMPTY]) {
        slab_destroy(s);
        return;
    }
    list_remove(c, s);
    list_push(c, s, state);
}

/* Reports a freed object that was written to; it is handed out regardless,
 * since the allocator's own state lives outside objects and is intact. */
static void check_poison(const uint8_t *obj, size_t size)
{
#if FUT_KMALLOC_DEBUG
    for (size_t i = 0; i < size; i++) {
        if (obj[i] != FUT_KMALLOC_POISON) {
            fut_printk("kmalloc: freed object %p modified at offset %zu\n", (const void *)obj, i);
            report(&stats.poison_errors, "use-after-free write in", obj);
            return;
        }
    }
#else
    (void)obj;
    (void)size;
#endif
}

/* ---- caches ---- */

static void *cache_alloc(unsigned int cache)
{
    struct cache *c = &caches[cache];
    struct slab *s = c->lists[SLAB_PARTIAL];
    if (!s)
        s = c->lists[SLAB_EMPTY];
    if (!s)
        s = slab_create(cache);
    if (!s)
        return NULL;

    /* nfree > 0, so the lowest clear bit is an object below capacity. */
    unsigned int i = 0;
    for (unsigned int w = 0; w < SLAB_BITMAP_WORDS; w++) {
        if (~s->used[w]) {
            i = w * 64 + (unsigned int)__builtin_ctzll(~s->used[w]);
            break;
        }
    }
    s->used[i / 64] |= 1ull << (i % 64);
    s->nfree--;
    slab_relink(s);

    uint8_t *obj = slab_object(s, i);
    check_poison(obj, geometry[cache].size);
    return obj;
}

/* Frees object i of s, which the caller has checked is allocated. */
static void cache_free(struct slab *s, unsigned int i)
{
#if FUT_KMALLOC_DEBUG
    memset(slab_object(s, i), FUT_KMALLOC_POISON, geometry[s->cache].size);
#endif
    s->used[i / 64] &= ~(1ull << (i % 64));
    s->nfree++;
    slab_relink(s);
}

/*
 * Finds the slab and object index of a pointer into a slab frame. Fails -
 * touching nothing - unless phys lies in a frame the PMM has allocated as a
 * single frame, that frame carries this frame's slab magic, and ptr is
 * exactly the start of one of its objects.
 */
static bool find_slab_object(uint64_t phys, struct slab **slab_out, unsigned int *index_out)
{
    uint64_t frame = phys & ~PAGE_MASK;
    struct fut_page *page = fut_pmm_page(pmm(), frame);
    if (!page || !(page->flags & FUT_PAGE_ALLOCATED) || page->order != 0)
        return false;
    struct slab *s = fut_hal_phys_to_virt(frame);
    if (s->magic != (SLAB_MAGIC ^ frame) || s->cache >= NR_CACHES)
        return false;
    const struct slab_geometry *g = &geometry[s->cache];
    uint64_t offset = phys - frame;
    if (offset < g->first || (offset - g->first) % g->size != 0)
        return false;
    uint64_t i = (offset - g->first) / g->size;
    if (i >= g->capacity)
        return false;
    *slab_out = s;
    *index_out = (unsigned int)i;
    return true;
}

/* Frees an internal (META) object the heap allocated for itself. */
static void meta_free(void *obj)
{
    struct slab *s;
    unsigned int i;
    if (find_slab_object(fut_hal_virt_to_phys(obj), &s, &i))
        cache_free(s, i);
}

/* ---- small objects ---- */

static unsigned int size_class(size_t size)
{
    unsigned int cls = 0;
    while ((FUT_KMALLOC_MIN_SMALL << cls) < size)
        cls++;
    return cls;
}

static void *small_alloc(size_t size)
{
    unsigned int cls = size_class(size);
    void *obj = cache_alloc(cls);
    if (!obj)
        return NULL;
    stats.live_objects++;
    stats.class_objects[cls]++;
    stats.bytes_in_use += geometry[cls].size;
    return obj;
}

static void small_free(void *ptr, uint64_t phys)
{
    struct slab *s;
    unsigned int i;
    if (!find_slab_object(phys, &s, &i) || s->cache == META_CACHE) {
        report(&stats.invalid_frees, "kfree of a pointer that is not a kmalloc object:", ptr);
        return;
    }
    if (!object_allocated(s, i)) {
        report(&stats.double_frees, "double kfree of", ptr);
        return;
    }
    stats.live_objects--;
    stats.class_objects[s->cache]--;
    stats.bytes_in_use -= geometry[s->cache].size;
    cache_free(s, i);
}

/* ---- large blocks ---- */

static struct large_block **large_bucket(uint64_t phys)
{
    uint64_t h = (phys >> FUT_PAGE_SHIFT) * 0x9e3779b97f4a7c15ull; /* Fibonacci hashing */
    return &large_table[h >> 56];
}
_Static_assert(LARGE_BUCKETS == 256, "large_bucket takes the hash's top 8 bits");

static void *large_alloc(size_t size)
{
    if (size > FUT_KMALLOC_MAX_SIZE)
        return NULL;
    uint64_t pages = (size + PAGE_MASK) >> FUT_PAGE_SHIFT;
    unsigned int order = 0;
    while ((1ull << order) < pages)
        order++;

    struct large_block *block = cache_alloc(META_CACHE);
    if (!block)
        return NULL;
    uint64_t phys = fut_pmm_alloc(pmm(), order);
    if (!phys) {
        meta_free(block);
        return NULL;
    }
    struct large_block **bucket = large_bucket(phys);
    block->phys = phys;
    block->order = order;
    block->next = *bucket;
    *bucket = block;

    stats.live_objects++;
    stats.large_pages += 1ull << order;
    stats.bytes_in_use += FUT_PAGE_SIZE << order;
    return fut_hal_phys_to_virt(phys);
}

static void large_free(void *ptr, uint64_t phys)
{
    struct large_block **link = large_bucket(phys);
    while (*link && (*link)->phys != phys)
        link = &(*link)->next;
    struct large_block *block = *link;
    if (!block) {
        report(&stats.invalid_frees, "kfree of a pointer that is not a kmalloc object:", ptr);
        return;
    }
    if (fut_pmm_free(pmm(), phys, block->order) != 0) {
        /* Someone else took a reference to the frames; keep the block live. */
        report(&stats.invalid_frees, "kfree: the PMM refused to free large block", ptr);
        return;
    }
    *link = block->next;
    stats.live_objects--;
    stats.large_pages -= 1ull << block->order;
    stats.bytes_in_use -= FUT_PAGE_SIZE << block->order;
    meta_free(block);
}

/* ---- public API ---- */

void *fut_kmalloc(size_t size)
{
    if (size == 0)
        size = 1; /* a unique minimal object; see kmalloc.h */
    void *p = size <= FUT_KMALLOC_MAX_SMALL ? small_alloc(size) : large_alloc(size);
    if (!p)
        stats.failed_allocs++;
    return p;
}

void *fut_kzalloc(size_t size)
{
    void *p = fut_kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void fut_kfree(void *ptr)
{
    if (!ptr)
        return;
    uint64_t phys = fut_hal_virt_to_phys(ptr);
    if ((phys & PAGE_MASK) == 0)
        large_free(ptr, phys); /* slab objects are never page-aligned */
    else
        small_free(ptr, phys);
}

void fut_kmalloc_init(void)
{
    memset(caches, 0, sizeof(caches));
    memset(large_table, 0, sizeof(large_table));
    memset(&stats, 0, sizeof(stats));
}

size_t fut_kmalloc_shrink(void)
{
    size_t released = 0;
    for (unsigned int c = 0; c < NR_CACHES; c++) {
        while (caches[c].lists[SLAB_EMPTY]) {
            slab_destroy(caches[c].lists[SLAB_EMPTY]);
            released++;
        }
    }
    return released;
}

void fut_kmalloc_get_stats(struct fut_kmalloc_stats *out)
{
    *out = stats;
}

/* ---- invariant audit ---- */

static unsigned int count_bits(uint64_t w)
{
    unsigned int n = 0;
    for (; w; w &= w - 1)
        n++;
    return n;
}

/* One slab: its frame is an allocated PMM frame, the header is intact, the
 * bitmap agrees with nfree and the slab is on the list its fill calls for.
 * Adds its allocated objects to *objects. */
static bool check_slab(const struct slab *s, unsigned int cache, enum slab_state state,
                       uint64_t *objects)
{
    const struct slab_geometry *g = &geometry[cache];
    uint64_t frame = fut_hal_virt_to_phys(s);
    const struct fut_page *page = fut_pmm_page(pmm(), frame);
    if ((frame & PAGE_MASK) != 0 || !page || !(page->flags & FUT_PAGE_ALLOCATED) ||
        page->order != 0)
        return false;
    if (s->magic != (SLAB_MAGIC ^ frame) || s->cache != cache || s->state != state)
        return false;
    unsigned int used = 0;
    for (unsigned int w = 0; w < SLAB_BITMAP_WORDS; w++)
        used += count_bits(s->used[w]);
    for (unsigned int i = g->capacity; i < 64 * SLAB_BITMAP_WORDS; i++) {
        if (object_allocated(s, i))
            return false;
    }
    if (used + s->nfree != g->capacity || state_for(s) != state)
        return false;
    *objects += used;
    return true;
}

/* One cache: well-linked lists, at most one empty slab, slab count as recorded. */
static bool check_cache(unsigned int cache, uint64_t *slabs, uint64_t *objects)
{
    const struct cache *c = &caches[cache];
    uint64_t n = 0;
    for (unsigned int state = 0; state < SLAB_NR_STATES; state++) {
        const struct slab *prev = NULL;
        for (const struct slab *s = c->lists[state]; s; s = s->next) {
            if (++n > c->nslabs) /* a cycle, or a slab on two lists */
                return false;
            if (s->prev != prev || !check_slab(s, cache, (enum slab_state)state, objects))
                return false;
            prev = s;
        }
    }
    if (c->lists[SLAB_EMPTY] && c->lists[SLAB_EMPTY]->next)
        return false;
    *slabs += n;
    return n == c->nslabs;
}

/* The large-block table: every record is a live META object in the right
 * bucket and describes an allocated PMM block of its order. At most
 * max_blocks records (the live META objects), so a cycle fails the walk. */
static bool check_large(uint64_t max_blocks, uint64_t *blocks, uint64_t *pages)
{
    for (unsigned int b = 0; b < LARGE_BUCKETS; b++) {
        for (const struct large_block *block = large_table[b]; block; block = block->next) {
            struct slab *s;
            unsigned int i;
            if (++*blocks > max_blocks || large_bucket(block->phys) != &large_table[b])
                return false;
            if (!find_slab_object(fut_hal_virt_to_phys(block), &s, &i) || s->cache != META_CACHE ||
                !object_allocated(s, i))
                return false;
            const struct fut_page *page = fut_pmm_page(pmm(), block->phys);
            if (!page || !(page->flags & FUT_PAGE_ALLOCATED) || page->order != block->order)
                return false;
            *pages += 1ull << block->order;
        }
    }
    return true;
}

bool fut_kmalloc_check(void)
{
    uint64_t slabs = 0, small = 0, bytes = 0;
    for (unsigned int c = 0; c < FUT_KMALLOC_NR_CLASSES; c++) {
        uint64_t objects = 0;
        if (!check_cache(c, &slabs, &objects) || objects != stats.class_objects[c])
            return false;
        small += objects;
        bytes += objects * geometry[c].size;
    }
    uint64_t records = 0, blocks = 0, pages = 0;
    if (!check_cache(META_CACHE, &slabs, &records) || !check_large(records, &blocks, &pages))
        return false;
    return blocks == records && slabs == stats.slab_pages && pages == stats.large_pages &&
           small + blocks == stats.live_objects &&
           bytes + pages * FUT_PAGE_SIZE == stats.bytes_in_use &&
           stats.corruptions == stats.double_frees + stats.invalid_frees + stats.poison_errors;
}
