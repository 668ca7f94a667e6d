/*
 * The VMA set: an AVL tree of non-overlapping VMAs keyed by start.
 *
 * Tree invariant (AVL): for every node, the heights of its two subtrees
 * differ by at most one, and tree.height = 1 + the larger of them (a missing
 * subtree has height 0). Hence a tree of n nodes is at most ~1.44 log2(n + 2)
 * high and every descent is O(log n). Insert and erase restore it by
 * rotations on the way from the changed node up to the root.
 *
 * Because VMAs never overlap, ordering by start is also ordering by end, so a
 * descent can search on either. Shrinking or growing a VMA in place (merge,
 * split, remove_range's edge cases) moves its start or end only into space no
 * other VMA occupies, which keeps the order and needs no re-insertion.
 *
 * Nodes are the VMAs themselves and are relinked, never copied, so a
 * struct fut_vma pointer stays valid until that VMA is removed or merged away.
 */
#include "futura/memory/vma.h"

#include "futura/errno.h"

/* Deeper than any AVL tree that fits in memory; fut_vma_set_check_tree gives
 * up beyond it instead of following a corrupted (cyclic) tree forever. */
#define VMA_CHECK_MAX_DEPTH 128

/* ---- AVL tree ---------------------------------------------------------- */

static int node_height(const struct fut_vma *n)
{
    return n ? n->tree.height : 0;
}

static void update_height(struct fut_vma *n)
{
    int l = node_height(n->tree.left);
    int r = node_height(n->tree.right);
    n->tree.height = 1 + (l > r ? l : r);
}

/* Makes `new_child` take old_child's place under parent (or as the root). */
static void replace_child(struct fut_vma_set *set, struct fut_vma *parent,
                          struct fut_vma *old_child, struct fut_vma *new_child)
{
    if (!parent)
        set->root = new_child;
    else if (parent->tree.left == old_child)
        parent->tree.left = new_child;
    else
        parent->tree.right = new_child;
}

/* x's right child y becomes the subtree root; x becomes y's left child. */
static struct fut_vma *rotate_left(struct fut_vma_set *set, struct fut_vma *x)
{
    struct fut_vma *y = x->tree.right;

    x->tree.right = y->tree.left;
    if (y->tree.left)
        y->tree.left->tree.parent = x;
    y->tree.parent = x->tree.parent;
    replace_child(set, x->tree.parent, x, y);
    y->tree.left = x;
    x->tree.parent = y;
    update_height(x);
    update_height(y);
    return y;
}

/* Mirror image of rotate_left. */
static struct fut_vma *rotate_right(struct fut_vma_set *set, struct fut_vma *x)
{
    struct fut_vma *y = x->tree.left;

    x->tree.left = y->tree.right;
    if (y->tree.right)
        y->tree.right->tree.parent = x;
    y->tree.parent = x->tree.parent;
    replace_child(set, x->tree.parent, x, y);
    y->tree.right = x;
    x->tree.parent = y;
    update_height(x);
    update_height(y);
    return y;
}

/* Restores the AVL invariant at n, whose subtrees are AVL trees differing in
 * height by at most two. Returns the new root of n's subtree. */
static struct fut_vma *rebalance_node(struct fut_vma_set *set, struct fut_vma *n)
{
    struct fut_vma *l = n->tree.left, *r = n->tree.right;
    int balance = node_height(l) - node_height(r);

    update_height(n);
    if (balance > 1) {
        if (node_height(l->tree.left) < node_height(l->tree.right))
            rotate_left(set, l);
        return rotate_right(set, n);
    }
    if (balance < -1) {
        if (node_height(r->tree.right) < node_height(r->tree.left))
            rotate_right(set, r);
        return rotate_left(set, n);
    }
    return n;
}

static void rebalance_to_root(struct fut_vma_set *set, struct fut_vma *n)
{
    while (n)
        n = rebalance_node(set, n)->tree.parent;
}

static void tree_insert(struct fut_vma_set *set, struct fut_vma *node)
{
    struct fut_vma *parent = NULL;
    struct fut_vma **link = &set->root;

    while (*link) {
        parent = *link;
        link = node->start < parent->start ? &parent->tree.left : &parent->tree.right;
    }
    node->tree.left = node->tree.right = NULL;
    node->tree.parent = parent;
    node->tree.height = 1;
    *link = node;
    set->count++;
    rebalance_to_root(set, parent);
}

static void tree_erase(struct fut_vma_set *set, struct fut_vma *n)
{
    struct fut_vma *parent = n->tree.parent;
    struct fut_vma *rebalance_from;

    if (!n->tree.left || !n->tree.right) {
        struct fut_vma *child = n->tree.left ? n->tree.left : n->tree.right;
        if (child)
            child->tree.parent = parent;
        replace_child(set, parent, n, child);
        rebalance_from = parent;
    } else {
        /* Two children: n's successor s (leftmost of the right subtree, so it
         * has no left child) takes n's place. */
        struct fut_vma *s = n->tree.right;
        while (s->tree.left)
            s = s->tree.left;
        if (s->tree.parent != n) {
            struct fut_vma *sp = s->tree.parent;
            sp->tree.left = s->tree.right;
            if (s->tree.right)
                s->tree.right->tree.parent = sp;
            s->tree.right = n->tree.right;
            n->tree.right->tree.parent = s;
            rebalance_from = sp;
        } else {
            rebalance_from = s;
        }
        s->tree.left = n->tree.left;
        n->tree.left->tree.parent = s;
        s->tree.parent = parent;
        replace_child(set, parent, n, s);
        /* s's height is recomputed on the way up: it is an ancestor of
         * rebalance_from or rebalance_from itself. */
    }
    set->count--;
    rebalance_to_root(set, rebalance_from);
}

/* The first VMA (lowest start) whose end lies above addr, or NULL. */
static struct fut_vma *first_ending_after(const struct fut_vma_set *set, uint64_t addr)
{
    struct fut_vma *n = set->root, *best = NULL;

    while (n) {
        if (n->end > addr) {
            best = n;
            n = n->tree.left;
        } else {
            n = n->tree.right;
        }
    }
    return best;
}

/* ---- VMA helpers ------------------------------------------------------- */

static bool page_aligned(uint64_t x)
{
    return (x & (FUT_PAGE_SIZE - 1)) == 0;
}

static bool valid_range(uint64_t start, uint64_t end)
{
    return start < end && page_aligned(start) && page_aligned(end);
}

static bool one_of(uint32_t flags, uint32_t a, uint32_t b)
{
    return ((flags & a) != 0) != ((flags & b) != 0);
}

/* The public fields of v describe a mapping insert would accept. */
static bool valid_mapping(const struct fut_vma *v)
{
    if (!valid_range(v->start, v->end))
        return false;
    if ((v->prot & ~FUT_PROT_MASK) || (v->flags & ~FUT_VMA_FLAGS_MASK))
        return false;
    if (!one_of(v->flags, FUT_VMA_PRIVATE, FUT_VMA_SHARED) ||
        !one_of(v->flags, FUT_VMA_ANON, FUT_VMA_FILE))
        return false;
    if (!v->obj)
        return !v->obj_ops && v->file_offset == 0 && !(v->flags & FUT_VMA_FILE);
    if (!v->obj_ops || !v->obj_ops->get || !v->obj_ops->put)
        return false;
    return page_aligned(v->file_offset) && v->end - v->start <= UINT64_MAX - v->file_offset;
}

/* a and b touch and one VMA could describe both. */
static bool mergeable(const struct fut_vma *a, const struct fut_vma *b)
{
    if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->obj != b->obj ||
        a->obj_ops != b->obj_ops)
        return false;
    return !a->obj || a->file_offset + (a->end - a->start) == b->file_offset;
}

static void copy_mapping(struct fut_vma *dst, const struct fut_vma *src)
{
    dst->start = src->start;
    dst->end = src->end;
    dst->prot = src->prot;
    dst->flags = src->flags;
    dst->obj = src->obj;
    dst->obj_ops = src->obj_ops;
    dst->file_offset = src->file_offset;
}

static void obj_get(const struct fut_vma *v)
{
    if (v->obj)
        v->obj_ops->get(v->obj);
}

static struct fut_vma *node_alloc(struct fut_vma_set *set)
{
    return set->alloc.alloc(set->alloc.ctx);
}

static void node_free(struct fut_vma_set *set, struct fut_vma *v)
{
    set->alloc.free(set->alloc.ctx, v);
}

/* Drops v's backing reference and frees its node; v is already out of the tree. */
static void vma_release(struct fut_vma_set *set, struct fut_vma *v)
{
    if (v->obj)
        v->obj_ops->put(v->obj);
    node_free(set, v);
}

/* Moves v's start up to addr (inside v), keeping the file offset of every
 * remaining page. */
static void vma_trim_front(struct fut_vma *v, uint64_t addr)
{
    if (v->obj)
        v->file_offset += addr - v->start;
    v->start = addr;
}

/* Splits vma at addr into vma = [start, addr) and tail = [addr, end), using
 * the caller's node for tail. Caller checked start < addr < end. */
static void split_into(struct fut_vma_set *set, struct fut_vma *vma, uint64_t addr,
                       struct fut_vma *tail)
{
    copy_mapping(tail, vma);
    vma_trim_front(tail, addr);
    obj_get(tail);
    vma->end = addr;
    tree_insert(set, tail);
}

/* Absorbs a's successor into a if they are mergeable. */
static bool merge_with_next(struct fut_vma_set *set, struct fut_vma *a)
{
    struct fut_vma *b = fut_vma_next(a);

    if (!b || !mergeable(a, b))
        return false;
    tree_erase(set, b);
    a->end = b->end;
    vma_release(set, b);
    return true;
}

/* ---- Public operations ------------------------------------------------- */

void fut_vma_set_init(struct fut_vma_set *set, const struct fut_vma_allocator *alloc)
{
    set->root = NULL;
    set->count = 0;
    set->alloc = *alloc;
}

void fut_vma_set_destroy(struct fut_vma_set *set)
{
    /* Post-order without recursion: free leaves, climbing via parent links. */
    struct fut_vma *n = set->root;

    while (n) {
        struct fut_vma *parent;
        if (n->tree.left) {
            n = n->tree.left;
            continue;
        }
        if (n->tree.right) {
            n = n->tree.right;
            continue;
        }
        parent = n->tree.parent;
        if (parent) {
            if (parent->tree.left == n)
                parent->tree.left = NULL;
            else
                parent->tree.right = NULL;
        }
        vma_release(set, n);
        n = parent;
    }
    set->root = NULL;
    set->count = 0;
}

struct fut_vma *fut_vma_set_first(const struct fut_vma_set *set)
{
    struct fut_vma *n = set->root;

    while (n && n->tree.left)
        n = n->tree.left;
    return n;
}

struct fut_vma *fut_vma_set_last(const struct fut_vma_set *set)
{
    struct fut_vma *n = set->root;

    while (n && n->tree.right)
        n = n->tree.right;
    return n;
}

struct fut_vma *fut_vma_next(const struct fut_vma *vma)
{
    struct fut_vma *n = vma->tree.right;

    if (n) {
        while (n->tree.left)
            n = n->tree.left;
        return n;
    }
    /* Climb until we come up from a left child: that parent is next. */
    while (vma->tree.parent && vma->tree.parent->tree.right == vma)
        vma = vma->tree.parent;
    return vma->tree.parent;
}

struct fut_vma *fut_vma_prev(const struct fut_vma *vma)
{
    struct fut_vma *n = vma->tree.left;

    if (n) {
        while (n->tree.right)
            n = n->tree.right;
        return n;
    }
    while (vma->tree.parent && vma->tree.parent->tree.left == vma)
        vma = vma->tree.parent;
    return vma->tree.parent;
}

struct fut_vma *fut_vma_set_find(const struct fut_vma_set *set, uint64_t addr)
{
    struct fut_vma *v = first_ending_after(set, addr);

    return v && v->start <= addr ? v : NULL;
}

struct fut_vma *fut_vma_set_find_first_intersecting(const struct fut_vma_set *set, uint64_t start,
                                                    uint64_t end)
{
    struct fut_vma *v;

    if (start >= end)
        return NULL;
    v = first_ending_after(set, start);
    return v && v->start < end ? v : NULL;
}

int fut_vma_set_insert(struct fut_vma_set *set, const struct fut_vma *proto, struct fut_vma **out)
{
    struct fut_vma *next, *prev, *vma;

    if (!valid_mapping(proto))
        return -EINVAL;
    next = first_ending_after(set, proto->start);
    if (next && next->start < proto->end)
        return -EEXIST;
    prev = next ? fut_vma_prev(next) : fut_vma_set_last(set);

    if (prev && mergeable(prev, proto)) {
        prev->end = proto->end;
        merge_with_next(set, prev);
        vma = prev;
    } else if (next && mergeable(proto, next)) {
        next->start = proto->start;
        next->file_offset = proto->file_offset;
        vma = next;
    } else {
        vma = node_alloc(set);
        if (!vma)
            return -ENOMEM;
        copy_mapping(vma, proto);
        obj_get(vma);
        tree_insert(set, vma);
    }
    if (out)
        *out = vma;
    return 0;
}

int fut_vma_set_split(struct fut_vma_set *set, struct fut_vma *vma, uint64_t addr,
                      struct fut_vma **tail)
{
    struct fut_vma *node;

    if (!page_aligned(addr) || addr <= vma->start || addr >= vma->end)
        return -EINVAL;
    node = node_alloc(set);
    if (!node)
        return -ENOMEM;
    split_into(set, vma, addr, node);
    if (tail)
        *tail = node;
    return 0;
}

struct fut_vma *fut_vma_set_merge(struct fut_vma_set *set, struct fut_vma *vma)
{
    struct fut_vma *prev;

    merge_with_next(set, vma);
    prev = fut_vma_prev(vma);
    if (prev && merge_with_next(set, prev))
        return prev;
    return vma;
}

int fut_vma_set_remove_range(struct fut_vma_set *set, uint64_t start, uint64_t end,
                             fut_vma_unmapped_fn unmapped, void *ctx)
{
    struct fut_vma *v;

    if (!valid_range(start, end))
        return -EINVAL;
    v = fut_vma_set_find_first_intersecting(set, start, end);
    if (v && v->start < start && v->end > end) {
        /* A hole punched into one VMA: the only case that needs a node. */
        struct fut_vma *tail = node_alloc(set);
        if (!tail)
            return -ENOMEM;
        if (unmapped)
            unmapped(ctx, v, start, end);
        split_into(set, v, end, tail);
        v->end = start;
        return 0;
    }
    while (v && v->start < end) {
        struct fut_vma *next = fut_vma_next(v);
        uint64_t s = v->start > start ? v->start : start;
        uint64_t e = v->end < end ? v->end : end;

        if (unmapped)
            unmapped(ctx, v, s, e);
        if (s == v->start && e == v->end) {
            tree_erase(set, v);
            vma_release(set, v);
        } else if (s == v->start) {
            vma_trim_front(v, e);
        } else {
            v->end = s;
        }
        v = next;
    }
    return 0;
}

/* The VMA covering [start, end) last, or NULL if some page of it is unmapped.
 * first is the VMA containing start (or NULL). */
static struct fut_vma *last_if_fully_mapped(struct fut_vma *first, uint64_t start, uint64_t end)
{
    struct fut_vma *v = first;

    if (!v || v->start > start)
        return NULL;
    while (v->end < end) {
        struct fut_vma *next = fut_vma_next(v);
        if (!next || next->start != v->end)
            return NULL;
        v = next;
    }
    return v;
}

int fut_vma_set_protect_range(struct fut_vma_set *set, uint64_t start, uint64_t end, uint32_t prot)
{
    struct fut_vma *first, *last, *v;
    struct fut_vma *head_node = NULL, *tail_node = NULL;
    bool split_head, split_tail;

    if (!valid_range(start, end) || (prot & ~FUT_PROT_MASK))
        return -EINVAL;
    first = fut_vma_set_find(set, start);
    last = last_if_fully_mapped(first, start, end);
    if (!last)
        return -ENOMEM;

    /* An edge VMA that already has prot needs no split. */
    split_head = first->start < start && first->prot != prot;
    split_tail = last->end > end && last->prot != prot;
    if (split_head && !(head_node = node_alloc(set)))
        return -ENOMEM;
    if (split_tail && !(tail_node = node_alloc(set))) {
        if (head_node)
            node_free(set, head_node);
        return -ENOMEM;
    }

    if (split_head) {
        bool same = first == last;
        split_into(set, first, start, head_node);
        first = head_node;
        if (same)
            last = first;
    }
    if (split_tail)
        split_into(set, last, end, tail_node);

    for (v = first; v && v->start < end; v = fut_vma_next(v))
        if (v->start >= start && v->end <= end)
            v->prot = prot;

    /* Merge every boundary from the one below start to the one at end. */
    v = fut_vma_prev(first);
    if (!v)
        v = first;
    while (v && v->start < end)
        if (!merge_with_next(set, v))
            v = fut_vma_next(v);
    return 0;
}

/*
 * The lowest address >= from at which [addr, addr + length) fits below hi with
 * guard bytes clear of every VMA. Walks the gaps between consecutive VMAs,
 * starting with the gap that contains from.
 */
static int find_free_from(const struct fut_vma_set *set, uint64_t from, uint64_t hi,
                          uint64_t length, uint64_t guard, uint64_t *addr)
{
    struct fut_vma *next = first_ending_after(set, from);
    struct fut_vma *prev = next ? fut_vma_prev(next) : fut_vma_set_last(set);

    for (;;) {
        uint64_t lower = from, upper = hi;
        if (prev) {
            /* prev->end <= from on the first pass, >= from afterwards. */
            if (prev->end > UINT64_MAX - guard)
                return -ENOMEM;
            if (prev->end + guard > lower)
                lower = prev->end + guard;
        }
        if (next) {
            uint64_t limit = next->start >= guard ? next->start - guard : 0;
            if (limit < upper)
                upper = limit;
        }
        if (lower < upper && upper - lower >= length) {
            *addr = lower;
            return 0;
        }
        if (!next || next->start >= hi)
            return -ENOMEM;
        prev = next;
        next = fut_vma_next(next);
    }
}

int fut_vma_set_find_free(const struct fut_vma_set *set, uint64_t length, uint64_t hint,
                          uint64_t lo, uint64_t hi, uint64_t guard, uint64_t *addr)
{
    uint64_t from;

    if (length == 0 || !page_aligned(length) || !page_aligned(lo) || !page_aligned(hi) ||
        !page_aligned(guard) || lo >= hi)
        return -EINVAL;
    if (length > hi - lo)
        return -ENOMEM;
    from = hint > UINT64_MAX - (FUT_PAGE_SIZE - 1)
               ? hi
               : (hint + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1);
    if (from < lo || from >= hi)
        from = lo;
    if (find_free_from(set, from, hi, length, guard, addr) == 0)
        return 0;
    if (from == lo)
        return -ENOMEM;
    return find_free_from(set, lo, hi, length, guard, addr);
}

/* ---- Consistency check ------------------------------------------------- */

/* Parent links, order of each node against its children, AVL balance and stored
 * heights of n's subtree; adds its size to *count and returns its height, or
 * -EINVAL. */
static int check_subtree(const struct fut_vma *n, const struct fut_vma *parent, int depth,
                         size_t *count)
{
    int hl, hr;

    if (!n)
        return 0;
    if (depth > VMA_CHECK_MAX_DEPTH || n->tree.parent != parent)
        return -EINVAL;
    if ((n->tree.left && n->tree.left->start >= n->start) ||
        (n->tree.right && n->tree.right->start <= n->start))
        return -EINVAL;
    hl = check_subtree(n->tree.left, n, depth + 1, count);
    if (hl < 0)
        return hl;
    hr = check_subtree(n->tree.right, n, depth + 1, count);
    if (hr < 0)
        return hr;
    if (hl - hr > 1 || hr - hl > 1 || n->tree.height != 1 + (hl > hr ? hl : hr))
        return -EINVAL;
    (*count)++;
    return n->tree.height;
}

/* Tree shape, then an in-order walk for order, overlap and per-VMA validity;
 * with `minimal`, also no mergeable neighbours. */
static int check_set(const struct fut_vma_set *set, bool minimal)
{
    const struct fut_vma *prev = NULL, *v;
    size_t in_tree = 0, walked = 0;

    if (check_subtree(set->root, NULL, 0, &in_tree) < 0 || in_tree != set->count)
        return -EINVAL;
    for (v = fut_vma_set_first(set); v; prev = v, v = fut_vma_next(v)) {
        if (!valid_mapping(v))
            return -EINVAL;
        if (prev && prev->end > v->start)
            return -EINVAL;
        if (minimal && prev && mergeable(prev, v))
            return -EINVAL;
        walked++;
    }
    return walked == set->count ? 0 : -EINVAL;
}

int fut_vma_set_check_tree(const struct fut_vma_set *set)
{
    return check_set(set, false);
}

int fut_vma_set_check(const struct fut_vma_set *set)
{
    return check_set(set, true);
}
