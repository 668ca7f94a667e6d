/* 4-level page-table walker and editor; see futura/memory/paging.h. */
#include "futura/memory/paging.h"

#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/string.h"
#include "futura/memory/pmm.h"

#define LEVELS 4
#define TABLE_FLAGS_USER (FUT_PTE_PRESENT | FUT_PTE_WRITE | FUT_PTE_USER)
#define TABLE_FLAGS_KERNEL (FUT_PTE_PRESENT | FUT_PTE_WRITE)

/* Counts table pages this module holds; tests compare it with a baseline. */
static uint64_t table_pages;

uint64_t fut_pt_table_pages(void)
{
    return table_pages;
}

static uint64_t *table(uint64_t phys)
{
    return fut_hal_phys_to_virt(phys);
}

/* Index of va in the table at `level` (3 = PML4, 0 = PT). */
static unsigned index_of(uint64_t va, int level)
{
    return (va >> (12 + 9 * level)) & (FUT_PT_ENTRIES - 1);
}

static bool canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1ffff;
}

static uint64_t alloc_table(void)
{
    uint64_t phys = fut_pmm_alloc(fut_pmm_global(), 0);
    if (phys) {
        memset(table(phys), 0, FUT_PAGE_SIZE);
        table_pages++;
    }
    return phys;
}

static void free_table(uint64_t phys)
{
    fut_pmm_free(fut_pmm_global(), phys, 0);
    table_pages--;
}

uint64_t fut_pt_create(void)
{
    return alloc_table();
}

/* Returns the entry for va at `target` level (0 = PT entry, 1 = PD entry),
 * creating intermediate tables when `create`; NULL if absent, blocked by a
 * huge page, or out of memory (*oom set). */
static uint64_t *walk(uint64_t root, uint64_t va, int target, bool create, bool *oom)
{
    uint64_t *t = table(root);
    for (int level = LEVELS - 1; level > target; level--) {
        uint64_t *e = &t[index_of(va, level)];
        if (!(*e & FUT_PTE_PRESENT)) {
            if (!create)
                return NULL;
            uint64_t phys = alloc_table();
            if (!phys) {
                if (oom)
                    *oom = true;
                return NULL;
            }
            *e = phys | (va < FUT_USER_TOP ? TABLE_FLAGS_USER : TABLE_FLAGS_KERNEL);
        } else if (*e & FUT_PTE_HUGE) {
            return NULL;
        }
        t = table(fut_pte_addr(*e));
    }
    return &t[index_of(va, target)];
}

static int map_at_level(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags, int level,
                        uint64_t size)
{
    if (!canonical(va) || (va & (size - 1)) || (pa & (size - 1)) || (pa & ~FUT_PTE_ADDR_MASK))
        return -EINVAL;
    bool oom = false;
    uint64_t *e = walk(root, va, level, true, &oom);
    if (!e)
        return oom ? -ENOMEM : -EEXIST; /* no table: out of memory, or a huge page is in the way */
    if (*e & FUT_PTE_PRESENT)
        return -EEXIST;
    *e = pa | (flags & ~FUT_PTE_ADDR_MASK) | FUT_PTE_PRESENT | (level ? FUT_PTE_HUGE : 0);
    return 0;
}

int fut_pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    return map_at_level(root, va, pa, flags & ~FUT_PTE_HUGE, 0, FUT_PAGE_SIZE);
}

int fut_pt_map_huge(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    return map_at_level(root, va, pa, flags, 1, FUT_HUGE_2M);
}

uint64_t *fut_pt_entry(uint64_t root, uint64_t va, int level, bool create)
{
    if (!canonical(va) || level < 0 || level >= LEVELS)
        return NULL;
    return walk(root, va, level, create, NULL);
}

int fut_pt_prepare(uint64_t root, uint64_t va)
{
    if (!canonical(va))
        return -EINVAL;
    bool oom = false;
    if (walk(root, va, 0, true, &oom))
        return 0;
    return oom ? -ENOMEM : -EEXIST;
}

uint64_t *fut_pt_lookup(uint64_t root, uint64_t va)
{
    if (!canonical(va))
        return NULL;
    return walk(root, va, 0, false, NULL);
}

int fut_pt_unmap(uint64_t root, uint64_t va, uint64_t *old)
{
    uint64_t *e = fut_pt_lookup(root, va & ~(FUT_PAGE_SIZE - 1));
    if (!e || !(*e & FUT_PTE_PRESENT))
        return -ENOENT;
    if (old)
        *old = *e;
    *e = 0;
    return 0;
}

int fut_pt_protect(uint64_t root, uint64_t va, uint64_t flags)
{
    uint64_t *e = fut_pt_lookup(root, va & ~(FUT_PAGE_SIZE - 1));
    if (!e || !(*e & FUT_PTE_PRESENT))
        return -ENOENT;
    *e = fut_pte_addr(*e) | (flags & ~FUT_PTE_ADDR_MASK & ~FUT_PTE_HUGE) | FUT_PTE_PRESENT;
    return 0;
}

bool fut_pt_translate(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *pte_out)
{
    if (!canonical(va))
        return false;
    uint64_t *t = table(root);
    /* What the MMU enforces: writable and user only if every level says so,
     * no-execute if any level says so. */
    uint64_t all = FUT_PTE_WRITE | FUT_PTE_USER, any = 0;
    for (int level = LEVELS - 1; level >= 0; level--) {
        uint64_t e = t[index_of(va, level)];
        if (!(e & FUT_PTE_PRESENT))
            return false;
        all &= e;
        any |= e & FUT_PTE_NX;
        if (level == 0 || (e & FUT_PTE_HUGE)) {
            uint64_t size = 1ull << (12 + 9 * level);
            if (pa)
                *pa = (fut_pte_addr(e) & ~(size - 1)) | (va & (size - 1));
            if (pte_out)
                *pte_out = (e & ~(FUT_PTE_WRITE | FUT_PTE_USER)) | all | any;
            return true;
        }
        t = table(fut_pte_addr(e));
    }
    return false;
}

/* Recursive visit of one table covering [base, base + span * 512). */
static int visit_table(uint64_t phys, int level, uint64_t base, uint64_t start, uint64_t end,
                       fut_pt_visit_fn fn, void *ctx)
{
    uint64_t span = 1ull << (12 + 9 * level);
    uint64_t *t = table(phys);
    /* Only the entries the range can touch: a walk costs O(range), not
     * O(512) per level. Indexes come from 48-bit linear addresses, which
     * also undoes the sign extension of the upper half. */
    const uint64_t linear_mask = 0x0000ffffffffffffull;
    uint64_t lbase = base & linear_mask, lfirst = start & linear_mask;
    uint64_t llast = (end - 1) & linear_mask, table_last = lbase + (FUT_PT_ENTRIES * span - 1);
    unsigned first = lfirst <= lbase ? 0 : (unsigned)((lfirst - lbase) / span);
    unsigned last_index = llast >= table_last ? FUT_PT_ENTRIES - 1 : (unsigned)((llast - lbase) / span);
    if (first >= FUT_PT_ENTRIES || llast < lbase)
        return 0;
    for (unsigned i = first; i <= last_index; i++) {
        uint64_t lo = base + i * span;
        if (level == LEVELS - 1 && i >= 256)
            lo |= 0xffff000000000000ull; /* sign-extend the upper half */
        uint64_t last = lo + (span - 1); /* inclusive: lo + span wraps at the top */
        if (last < start || lo >= end)
            continue;
        if (!(t[i] & FUT_PTE_PRESENT))
            continue;
        int rc;
        if (level == 0)
            rc = fn(ctx, lo, &t[i]);
        else if (t[i] & FUT_PTE_HUGE)
            continue; /* huge pages are kernel mappings; callers visit 4 KiB leaves */
        else
            rc = visit_table(fut_pte_addr(t[i]), level - 1, lo, start, end, fn, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

int fut_pt_visit(uint64_t root, uint64_t start, uint64_t end, fut_pt_visit_fn fn, void *ctx)
{
    return visit_table(root, LEVELS - 1, 0, start, end, fn, ctx);
}

static void free_subtree(uint64_t phys, int level)
{
    if (level > 0) {
        uint64_t *t = table(phys);
        for (unsigned i = 0; i < FUT_PT_ENTRIES; i++) {
            if ((t[i] & FUT_PTE_PRESENT) && !(t[i] & FUT_PTE_HUGE))
                free_subtree(fut_pte_addr(t[i]), level - 1);
        }
    }
    free_table(phys);
}

void fut_pt_free_user_tables(uint64_t root)
{
    uint64_t *t = table(root);
    for (unsigned i = 0; i < FUT_PT_ENTRIES / 2; i++) {
        if (t[i] & FUT_PTE_PRESENT) {
            free_subtree(fut_pte_addr(t[i]), LEVELS - 2);
            t[i] = 0;
        }
    }
}

void fut_pt_destroy(uint64_t root)
{
    free_table(root);
}
