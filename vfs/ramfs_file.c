/*
 * RamFS regular files: data in 4 KiB PMM frames indexed by page number in
 * a radix tree of 512-slot nodes (themselves PMM frames), grown in height
 * as the file grows. A missing slot is a hole: it reads as zeros and costs
 * nothing.
 *
 * Invariants:
 *   - no data frame exists for a page wholly at or past the end of file
 *     (truncate frees them; get_page refuses to create them);
 *   - the file holds one reference on each data frame; a mapping that got
 *     the frame from get_page holds its own, so a truncated page lives on
 *     until the mapping lets go;
 *   - bytes of the last page past the end of file are zeroed before the
 *     file grows over them (a shared mapping may have written there).
 */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/pmm.h"
#include "ramfs_internal.h"

#define RADIX_SHIFT 9
#define RADIX_SLOTS (1u << RADIX_SHIFT)
#define RADIX_MAX_HEIGHT 4

static uint64_t *node_slots(uint64_t phys)
{
    return fut_hal_phys_to_virt(phys);
}

/* Pages a tree of this height covers. */
static uint64_t capacity(unsigned int height)
{
    return 1ull << (RADIX_SHIFT * height);
}

static unsigned int slot_index(uint64_t index, unsigned int height)
{
    return (unsigned int)(index >> (RADIX_SHIFT * (height - 1))) & (RADIX_SLOTS - 1);
}

static uint64_t alloc_zeroed_frame(void)
{
    uint64_t phys = fut_pmm_alloc(fut_pmm_global(), 0);
    if (phys)
        memset(fut_hal_phys_to_virt(phys), 0, FUT_PAGE_SIZE);
    return phys;
}

static void put_data_frame(uint64_t phys)
{
    struct fut_pmm *pmm = fut_pmm_global();
    fut_page_put(pmm, fut_pmm_page(pmm, phys));
}

/* The data frame of page `index`, or 0 for a hole. */
static uint64_t page_lookup(const struct ramfs_pages *p, uint64_t index)
{
    if (index >= capacity(p->height))
        return 0;
    uint64_t cur = p->root;
    for (unsigned int h = p->height; h > 0 && cur; h--)
        cur = node_slots(cur)[slot_index(index, h)];
    return cur;
}

/* The data frame of page `index`, allocated (zeroed) if it was a hole. On
 * -ENOMEM the tree may keep empty nodes; they go with the file. */
static int page_get_or_alloc(struct ramfs_node *n, uint64_t index, uint64_t *phys)
{
    struct ramfs_pages *p = &n->file.pages;
    while (index >= capacity(p->height)) {
        if (p->height == RADIX_MAX_HEIGHT)
            return -EFBIG;
        if (p->root) {
            uint64_t node = alloc_zeroed_frame();
            if (!node)
                return -ENOMEM;
            node_slots(node)[0] = p->root;
            p->root = node;
        }
        p->height++;
    }
    uint64_t *slot = &p->root;
    for (unsigned int h = p->height; h > 0; h--) {
        if (!*slot && !(*slot = alloc_zeroed_frame()))
            return -ENOMEM;
        slot = &node_slots(*slot)[slot_index(index, h)];
    }
    if (!*slot) {
        if (!(*slot = alloc_zeroed_frame()))
            return -ENOMEM;
        n->file.nr_frames++;
    }
    *phys = *slot;
    return 0;
}

/* Frees the data frames at page `first` and beyond in the subtree at *slot
 * (height h, its pages numbered from 0), and the nodes that end up empty.
 * Returns whether the subtree is now empty. Recursion depth <= 4. */
static bool free_from(uint64_t *slot, unsigned int h, uint64_t first, uint64_t *freed)
{
    if (!*slot)
        return true;
    if (h == 0) {
        if (first > 0)
            return false;
        put_data_frame(*slot);
        *slot = 0;
        (*freed)++;
        return true;
    }
    uint64_t *slots = node_slots(*slot);
    uint64_t span = capacity(h - 1);
    bool empty = true;
    for (unsigned int i = 0; i < RADIX_SLOTS; i++) {
        uint64_t base = i * span;
        if (base + span <= first) {
            empty = empty && !slots[i];
            continue;
        }
        if (!free_from(&slots[i], h - 1, first > base ? first - base : 0, freed))
            empty = false;
    }
    if (empty) {
        fut_pmm_free(fut_pmm_global(), *slot, 0);
        *slot = 0;
    }
    return empty;
}

/* Drops root levels that only use slot 0, so a shrunk file costs what a
 * file of its size costs. */
static void shrink_height(struct ramfs_pages *p)
{
    while (p->height > 0 && p->root) {
        uint64_t *slots = node_slots(p->root);
        for (unsigned int i = 1; i < RADIX_SLOTS; i++) {
            if (slots[i])
                return;
        }
        uint64_t child = slots[0];
        fut_pmm_free(fut_pmm_global(), p->root, 0);
        p->root = child;
        p->height--;
    }
    if (!p->root)
        p->height = 0;
}

static void free_pages_from(struct ramfs_node *n, uint64_t first)
{
    uint64_t freed = 0;
    free_from(&n->file.pages.root, n->file.pages.height, first, &freed);
    n->file.nr_frames -= freed;
    shrink_height(&n->file.pages);
}

void ramfs_file_free_pages(struct ramfs_node *n)
{
    free_pages_from(n, 0);
}

/* Zeroes the last page's bytes from `from` to the page's end. */
static void zero_tail(struct ramfs_node *n, uint64_t from)
{
    uint64_t in_page = from & (FUT_PAGE_SIZE - 1);
    if (!in_page)
        return;
    uint64_t phys = page_lookup(&n->file.pages, from >> FUT_PAGE_SHIFT);
    if (phys)
        memset((char *)fut_hal_phys_to_virt(phys) + in_page, 0, FUT_PAGE_SIZE - in_page);
}

/* What a hole reads as. */
static const char zero_page[FUT_PAGE_SIZE];

static int64_t ramfs_read_pieces(struct fut_vnode *vn, size_t len, uint64_t off,
                                 fut_read_sink sink, void *ctx)
{
    struct ramfs_node *n = ramfs_node(vn);
    if (off >= n->file.size)
        return 0;
    if (len > n->file.size - off)
        len = (size_t)(n->file.size - off);
    size_t done = 0;
    while (done < len) {
        uint64_t pos = off + done;
        size_t in_page = (size_t)(pos & (FUT_PAGE_SIZE - 1));
        size_t chunk = FUT_PAGE_SIZE - in_page;
        if (chunk > len - done)
            chunk = len - done;
        uint64_t phys = page_lookup(&n->file.pages, pos >> FUT_PAGE_SHIFT);
        const char *src = phys ? (const char *)fut_hal_phys_to_virt(phys) + in_page : zero_page;
        int rc = sink(ctx, done, src, chunk);
        if (rc) {
            if (!done)
                return rc;
            break;
        }
        done += chunk;
    }
    ramfs_touch(n, RAMFS_ATIME);
    return (int64_t)done;
}

static int copy_to_buffer(void *buf, size_t done, const void *src, size_t n)
{
    memcpy((char *)buf + done, src, n);
    return 0;
}

static int64_t ramfs_read(struct fut_vnode *vn, void *buf, size_t len, uint64_t off,
                          uint32_t fflags)
{
    (void)fflags;
    return ramfs_read_pieces(vn, len, off, copy_to_buffer, buf);
}

static int64_t ramfs_write(struct fut_vnode *vn, const void *buf, size_t len, uint64_t off,
                           uint32_t fflags)
{
    (void)fflags;
    struct ramfs_node *n = ramfs_node(vn);
    if (len == 0)
        return 0;
    if (off >= FUT_RAMFS_MAX_FILE_SIZE)
        return -EFBIG;
    if (len > FUT_RAMFS_MAX_FILE_SIZE - off)
        len = (size_t)(FUT_RAMFS_MAX_FILE_SIZE - off);
    if (off + len > n->file.size)
        zero_tail(n, n->file.size);
    const char *in = buf;
    size_t done = 0;
    while (done < len) {
        uint64_t pos = off + done;
        size_t in_page = (size_t)(pos & (FUT_PAGE_SIZE - 1));
        size_t chunk = FUT_PAGE_SIZE - in_page;
        if (chunk > len - done)
            chunk = len - done;
        uint64_t phys;
        int rc = page_get_or_alloc(n, pos >> FUT_PAGE_SHIFT, &phys);
        if (rc) {
            if (done == 0)
                return rc;
            break;
        }
        memcpy((char *)fut_hal_phys_to_virt(phys) + in_page, in + done, chunk);
        done += chunk;
    }
    if (off + done > n->file.size)
        n->file.size = off + done;
    ramfs_touch(n, RAMFS_MTIME | RAMFS_CTIME);
    return (int64_t)done;
}

static int ramfs_truncate(struct fut_vnode *vn, uint64_t size)
{
    struct ramfs_node *n = ramfs_node(vn);
    if (size > FUT_RAMFS_MAX_FILE_SIZE)
        return -EFBIG;
    uint64_t old = n->file.size;
    zero_tail(n, size < old ? size : old);
    if (size < old)
        free_pages_from(n, (size + FUT_PAGE_SIZE - 1) >> FUT_PAGE_SHIFT);
    n->file.size = size;
    ramfs_touch(n, RAMFS_MTIME | RAMFS_CTIME);
    return 0;
}

static int ramfs_get_page(struct fut_vnode *vn, uint64_t offset, uint64_t *phys)
{
    struct ramfs_node *n = ramfs_node(vn);
    uint64_t pages = (n->file.size + FUT_PAGE_SIZE - 1) >> FUT_PAGE_SHIFT;
    uint64_t index = offset >> FUT_PAGE_SHIFT;
    if (index >= pages)
        return -ENXIO;
    int rc = page_get_or_alloc(n, index, phys);
    if (rc)
        return rc;
    struct fut_pmm *pmm = fut_pmm_global();
    return fut_page_get(fut_pmm_page(pmm, *phys));
}

const struct fut_vnode_ops ramfs_file_ops = {
    .read = ramfs_read,
    .read_pieces = ramfs_read_pieces,
    .write = ramfs_write,
    .truncate = ramfs_truncate,
    .get_page = ramfs_get_page,
    .getattr = ramfs_getattr,
    .setattr = ramfs_setattr,
    .inactive = ramfs_inactive,
};
