/* Device memory: mapped uncached at its direct-map address (the direct map
 * itself covers only RAM), in the kernel half every address space shares. */
#include "futura/arch/layout.h"
#include "futura/arch/mmio.h"
#include "futura/hal.h"
#include "futura/memory/kspace.h"
#include "futura/memory/paging.h"

void *fut_mmio_map(uint64_t phys, size_t len)
{
    uint64_t start = phys & ~0xfffull, end = (phys + len + 0xfff) & ~0xfffull;
    for (uint64_t pa = start; pa < end; pa += 4096) {
        uint64_t va = FUT_DIRECT_MAP_BASE + pa;
        if (fut_pt_translate(fut_kspace_root(), va, 0, 0))
            continue; /* already mapped (inside a RAM huge page, or mapped before) */
        if (fut_pt_map(fut_kspace_root(), va, pa,
                       FUT_PTE_WRITE | FUT_PTE_NX | FUT_PTE_PCD | FUT_PTE_PWT | FUT_PTE_GLOBAL))
            return NULL;
        fut_hal_tlb_flush_page(va);
    }
    return (void *)(FUT_DIRECT_MAP_BASE + phys);
}
