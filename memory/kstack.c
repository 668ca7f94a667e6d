/* Kernel stacks with guard gaps in the kernel-stack area; see futura/memory/kspace.h. */
#include "futura/hal.h"
#include "futura/memory/kspace.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"

#define PAGES (FUT_KSTACK_SIZE / FUT_PAGE_SIZE)

static uint64_t used[FUT_KSTACK_SLOTS / 64]; /* bit set: slot holds a stack */
static unsigned live;

unsigned fut_kstack_live(void)
{
    return live;
}

static uint64_t slot_top(unsigned slot)
{
    return FUT_KSTACK_AREA + (uint64_t)(slot + 1) * FUT_KSTACK_STRIDE;
}

static void unmap_stack(uint64_t top, unsigned mapped)
{
    struct fut_pmm *pmm = fut_pmm_global();
    for (unsigned i = 0; i < mapped; i++) {
        uint64_t va = top - (uint64_t)(i + 1) * FUT_PAGE_SIZE, old = 0;
        if (fut_pt_unmap(fut_kspace_root(), va, &old) == 0)
            fut_pmm_free(pmm, fut_pte_addr(old), 0);
        fut_hal_tlb_flush_page(va);
    }
}

uint64_t fut_kstack_alloc(void)
{
    for (unsigned slot = 0; slot < FUT_KSTACK_SLOTS; slot++) {
        if (used[slot / 64] & (1ull << (slot % 64)))
            continue;
        uint64_t top = slot_top(slot);
        for (unsigned i = 0; i < PAGES; i++) {
            uint64_t frame = fut_pmm_alloc(fut_pmm_global(), 0);
            uint64_t va = top - (uint64_t)(i + 1) * FUT_PAGE_SIZE;
            if (!frame || fut_pt_map(fut_kspace_root(), va, frame,
                                     FUT_PTE_WRITE | FUT_PTE_NX | FUT_PTE_GLOBAL)) {
                if (frame)
                    fut_pmm_free(fut_pmm_global(), frame, 0);
                unmap_stack(top, i);
                return 0;
            }
        }
        used[slot / 64] |= 1ull << (slot % 64);
        live++;
        return top;
    }
    return 0;
}

void fut_kstack_free(uint64_t top)
{
    if (top <= FUT_KSTACK_AREA || (top - FUT_KSTACK_AREA) % FUT_KSTACK_STRIDE)
        return;
    unsigned slot = (unsigned)((top - FUT_KSTACK_AREA) / FUT_KSTACK_STRIDE) - 1;
    if (slot >= FUT_KSTACK_SLOTS || !(used[slot / 64] & (1ull << (slot % 64))))
        return;
    unmap_stack(top, PAGES);
    used[slot / 64] &= ~(1ull << (slot % 64));
    live--;
}
