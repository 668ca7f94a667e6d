/*
 * The VMA set: the virtual memory areas of one address space, kept in a
 * balanced search tree keyed by start address.
 *
 * A struct fut_vma describes one page-aligned range [start, end) with one
 * protection, one set of flags and, optionally, one backing object (a file,
 * a shared-memory object) mapped from byte `file_offset` of the object at
 * `start`. The set keeps its VMAs
 *   - sorted and non-overlapping,
 *   - minimal: two VMAs that touch and could be one (same prot, flags,
 *     backing object and contiguous file offsets) are always merged by
 *     insert and protect_range, so the set is the unique smallest
 *     description of the address space,
 *   - reference-counted: every VMA with a backing object holds exactly one
 *     reference on it (obj_ops->get when a VMA comes into being - insert or
 *     split - and obj_ops->put when it goes away - remove, merge, destroy).
 *
 * Memory: the set never calls a global allocator. fut_vma_set_init() is
 * given a struct fut_vma_allocator and every node comes from it and goes back
 * to it. Only these operations allocate, and only the nodes they need:
 * insert (one, unless the range merges with a neighbour), split (one),
 * remove_range (one, only when the range lies strictly inside one VMA) and
 * protect_range (at most two, for the edge splits). They allocate everything
 * before changing anything, so -ENOMEM always means "the set is unchanged".
 *
 * Errors: negative errno values. -EINVAL for unaligned addresses, empty or
 * wrapping ranges, unknown prot/flag bits and inconsistent backing; -EEXIST
 * when insert would overlap an existing VMA; -ENOMEM when the allocator fails
 * or (protect_range, as mprotect(2)) when part of the range is not mapped.
 *
 * Locking: none inside. The owner of the address space serializes every call
 * on one set (the mm layer holds its mm lock around them). Callbacks run with
 * the set in a consistent state but must not call back into the same set.
 *
 * Complexity: find, find_first_intersecting, insert, split and merge are
 * O(log n); remove_range and protect_range are O(log n + k) for k VMAs in the
 * range; fut_vma_set_find_free walks the gaps from the hint, O(n) worst case.
 */
#ifndef FUTURA_MEMORY_VMA_H
#define FUTURA_MEMORY_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same values as pmm.h; either header may come first. */
#ifndef FUT_PAGE_SHIFT
#define FUT_PAGE_SHIFT 12
#endif
#ifndef FUT_PAGE_SIZE
#define FUT_PAGE_SIZE (1ull << FUT_PAGE_SHIFT)
#endif

/* fut_vma.prot: what user code may do with the range (Linux PROT_* values). */
#define FUT_PROT_NONE 0x0u
#define FUT_PROT_READ 0x1u
#define FUT_PROT_WRITE 0x2u
#define FUT_PROT_EXEC 0x4u
#define FUT_PROT_MASK (FUT_PROT_READ | FUT_PROT_WRITE | FUT_PROT_EXEC)

/* fut_vma.flags. Exactly one of PRIVATE/SHARED and exactly one of ANON/FILE.
 * FILE requires a backing object; ANON may have one (shared anonymous memory
 * is backed by a shared-memory object) or not (plain private anonymous memory,
 * whose file_offset is always 0). */
#define FUT_VMA_PRIVATE 0x01u /* writes are copy-on-write, never reach the object */
#define FUT_VMA_SHARED 0x02u  /* writes go to the backing object, seen by all mappers */
#define FUT_VMA_ANON 0x04u    /* zero-filled memory */
#define FUT_VMA_FILE 0x08u    /* contents come from the backing object */
#define FUT_VMA_STACK 0x10u   /* a user stack; may grow down */
#define FUT_VMA_HEAP 0x20u    /* the brk heap; grows up */
#define FUT_VMA_FLAGS_MASK 0x3fu

/* How the set holds a backing object: one reference per VMA. */
struct fut_vma_obj_ops {
    void (*get)(void *obj);
    void (*put)(void *obj);
};

/*
 * One virtual memory area. Callers read the fields; only the fut_vma_set_*
 * operations change them (changing start/end/prot/flags by hand would break
 * the ordering or minimality of the set).
 */
struct fut_vma {
    uint64_t start; /* first byte, page aligned */
    uint64_t end;   /* one past the last byte, page aligned, > start */
    uint32_t prot;  /* FUT_PROT_* */
    uint32_t flags; /* FUT_VMA_* */
    void *obj;      /* backing object, or NULL; the VMA holds one reference on it */
    const struct fut_vma_obj_ops *obj_ops; /* non-NULL iff obj is non-NULL */
    uint64_t file_offset; /* byte offset of `start` in obj, page aligned; 0 without obj */

    /* Private to vma.c: AVL tree links. */
    struct {
        struct fut_vma *left, *right, *parent;
        int height; /* of the subtree rooted here; a leaf has height 1 */
    } tree;
};

/* Where the set's nodes come from. alloc returns uninitialised memory for one
 * struct fut_vma or NULL; free takes back a node alloc returned. */
struct fut_vma_allocator {
    struct fut_vma *(*alloc)(void *ctx);
    void (*free)(void *ctx, struct fut_vma *vma);
    void *ctx;
};

struct fut_vma_set {
    struct fut_vma *root;           /* AVL tree of VMAs keyed by start */
    size_t count;                   /* VMAs in the tree */
    struct fut_vma_allocator alloc; /* source of every node in the tree */
};

/* Called by fut_vma_set_remove_range() for each sub-range [start, end) of
 * `piece` that is about to be unmapped, in address order, while `piece` is
 * still in the set and unchanged. */
typedef void (*fut_vma_unmapped_fn)(void *ctx, const struct fut_vma *piece, uint64_t start,
                                    uint64_t end);

/* An empty set drawing nodes from *alloc (copied). */
void fut_vma_set_init(struct fut_vma_set *set, const struct fut_vma_allocator *alloc);

/* Removes every VMA, puts their backing references and frees their nodes.
 * No callbacks: a caller that must unmap pages first calls
 * fut_vma_set_remove_range(set, 0, UINT64_MAX & ~(FUT_PAGE_SIZE - 1), ...),
 * which never allocates when it covers every VMA. The set is empty afterwards
 * and may be reused. */
void fut_vma_set_destroy(struct fut_vma_set *set);

/*
 * Maps a new range described by proto's public fields (start, end, prot,
 * flags, obj, obj_ops, file_offset; proto->tree is ignored). The range is
 * merged with compatible neighbours - without allocating - so the VMA that
 * ends up covering it may be larger; *out (if out is non-NULL) is set to it.
 *
 * References follow the one-per-VMA rule: obj_ops->get is called once if the
 * range becomes a VMA of its own; not at all if it extends a neighbour (which
 * already holds one); and if it joins two neighbours into one VMA, the
 * reference of the absorbed one is put. The caller keeps its own reference.
 *
 * -EINVAL: unaligned or empty range, unknown prot/flag bits, flags not exactly
 *          one of PRIVATE/SHARED and one of ANON/FILE, FILE without obj, obj
 *          without obj_ops (or ops without get/put), a non-zero or unaligned
 *          file_offset without/with obj, or file_offset + length overflowing.
 * -EEXIST: some byte of [start, end) is already mapped. Unlike mmap(2) with
 *          MAP_FIXED, insert never replaces; the caller removes first.
 * -ENOMEM: no node for a range that merges with neither neighbour.
 * On error the set and the object's refcount are unchanged.
 */
int fut_vma_set_insert(struct fut_vma_set *set, const struct fut_vma *proto, struct fut_vma **out);

/* The VMA containing addr, or NULL. */
struct fut_vma *fut_vma_set_find(const struct fut_vma_set *set, uint64_t addr);

/* The lowest VMA overlapping [start, end), or NULL (also for start >= end). */
struct fut_vma *fut_vma_set_find_first_intersecting(const struct fut_vma_set *set, uint64_t start,
                                                    uint64_t end);

/* In-order iteration: lowest/highest VMA, and a VMA's neighbours (NULL past
 * either end). Removing the current VMA invalidates it; take next first. */
struct fut_vma *fut_vma_set_first(const struct fut_vma_set *set);
struct fut_vma *fut_vma_set_last(const struct fut_vma_set *set);
struct fut_vma *fut_vma_next(const struct fut_vma *vma);
struct fut_vma *fut_vma_prev(const struct fut_vma *vma);

/*
 * Splits vma at addr (page aligned, vma->start < addr < vma->end) into
 * [start, addr), which stays `vma`, and a new tail [addr, end) with the same
 * prot, flags and backing, file_offset = vma->file_offset + (addr - start),
 * and its own reference on the backing object. *tail (if non-NULL) is set to
 * the new VMA.
 *
 * The two halves are mergeable, so the set is not minimal until the caller
 * changes one of them (protect_range) or calls fut_vma_set_merge();
 * fut_vma_set_check() reports the set as broken in between and
 * fut_vma_set_check_tree() does not. Insert, remove_range and protect_range
 * split internally and never leave the set in that state.
 *
 * -EINVAL: addr unaligned or not strictly inside vma. -ENOMEM: no node; vma
 * is unchanged.
 */
int fut_vma_set_split(struct fut_vma_set *set, struct fut_vma *vma, uint64_t addr,
                      struct fut_vma **tail);

/* Merges vma with its neighbours where compatible (touching, same prot, flags,
 * obj and obj_ops, and - with an object - file offsets that continue). Each
 * absorbed VMA's backing reference is put and its node freed. Returns the VMA
 * that now covers vma's range (vma itself or its predecessor). Never fails. */
struct fut_vma *fut_vma_set_merge(struct fut_vma_set *set, struct fut_vma *vma);

/*
 * Unmaps [start, end): every VMA inside is removed, VMAs crossing an edge are
 * shrunk (the file_offset of a VMA shrunk at its start advances with it), and
 * a VMA containing the whole range with room on both sides is split, the tail
 * keeping file_offset + (end - vma->start) and taking a reference. Holes are
 * skipped; a range with nothing mapped is not an error (as munmap(2)).
 *
 * unmapped (may be NULL) is called with ctx once per affected VMA, in address
 * order, for the part of it being removed, before the set changes that VMA.
 * Removed VMAs have their backing reference put and their node freed.
 *
 * -EINVAL: unaligned or empty range. -ENOMEM: the range lies strictly inside
 * one VMA and no node is available for the split; no callback was called and
 * the set is unchanged.
 */
int fut_vma_set_remove_range(struct fut_vma_set *set, uint64_t start, uint64_t end,
                             fut_vma_unmapped_fn unmapped, void *ctx);

/*
 * Sets the protection of [start, end) to prot (as mprotect(2)): VMAs crossing
 * an edge are split there unless they already have prot, then the range and
 * its neighbours are merged where compatible.
 *
 * -EINVAL: unaligned or empty range, unknown prot bits. -ENOMEM: some page of
 * the range is not mapped, or no node for an edge split. On error nothing has
 * changed.
 */
int fut_vma_set_protect_range(struct fut_vma_set *set, uint64_t start, uint64_t end, uint32_t prot);

/*
 * Finds a free range of `length` bytes inside [lo, hi) that keeps at least
 * `guard` unmapped bytes between itself and every VMA (lo and hi are bounds,
 * not neighbours: no guard is kept against them). Prefers the lowest such
 * address >= hint (rounded up to a page; a hint outside [lo, hi) means lo);
 * if there is none, the lowest one >= lo. Stores it in *addr.
 *
 * -EINVAL: length zero or unaligned; lo, hi or guard unaligned; lo >= hi.
 * -ENOMEM: no such range.
 */
int fut_vma_set_find_free(const struct fut_vma_set *set, uint64_t length, uint64_t hint,
                          uint64_t lo, uint64_t hi, uint64_t guard, uint64_t *addr);

/* The tree invariants: BST order by start, parent links, AVL balance and
 * stored heights, count; and for every VMA a valid, aligned, non-wrapping
 * range, known prot/flags, consistent backing, and no overlap with its
 * successor. 0 if they hold, -EINVAL if not. */
int fut_vma_set_check_tree(const struct fut_vma_set *set);

/* fut_vma_set_check_tree() plus minimality: no two neighbours mergeable.
 * Holds after every operation except a bare fut_vma_set_split(). */
int fut_vma_set_check(const struct fut_vma_set *set);

#ifdef __cplusplus
}
#endif

#endif
