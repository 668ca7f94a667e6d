/* Kernel address space construction; see futura/memory/kspace.h. */
#include "futura/memory/kspace.h"

#include "futura/errno.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"

static uint64_t kernel_root;

uint64_t fut_kspace_root(void)
{
    return kernel_root;
}

void fut_kspace_set_root(uint64_t root)
{
    kernel_root = root;
}

static bool direct_mapped_type(uint32_t type)
{
    return type == FUT_MEM_USABLE || type == FUT_MEM_ACPI_RECLAIMABLE || type == FUT_MEM_ACPI_NVS;
}

static int map_direct(uint64_t root, uint64_t base, const struct fut_mem_region *r)
{
    uint64_t start = r->base & ~(FUT_HUGE_2M - 1);
    uint64_t end = (r->base + r->length + FUT_HUGE_2M - 1) & ~(FUT_HUGE_2M - 1);
    for (uint64_t pa = start; pa < end; pa += FUT_HUGE_2M) {
        /* Rounded neighbours may share a 2 MiB page; map it once. */
        if (fut_pt_translate(root, base + pa, NULL, NULL))
            continue;
        int rc = fut_pt_map_huge(root, base + pa, pa,
                                 FUT_PTE_WRITE | FUT_PTE_NX | FUT_PTE_GLOBAL);
        if (rc)
            return rc;
    }
    return 0;
}

static int map_section(uint64_t root, const struct fut_kernel_section *s)
{
    if ((s->virt_start | s->virt_end | s->phys_start) & (FUT_PAGE_SIZE - 1))
        return -EINVAL;
    for (uint64_t va = s->virt_start; va < s->virt_end; va += FUT_PAGE_SIZE) {
        uint64_t pa = s->phys_start + (va - s->virt_start);
        int rc = fut_pt_map(root, va, pa, (s->pte_flags & (FUT_PTE_WRITE | FUT_PTE_NX)) | FUT_PTE_GLOBAL);
        if (rc)
            return rc;
    }
    return 0;
}

int fut_kspace_build(const struct fut_bootinfo *bi, const struct fut_kspace_layout *layout,
                     uint64_t *root_out)
{
    uint64_t root = fut_pt_create();
    if (!root)
        return -ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < bi->nregions && !rc; i++) {
        if (direct_mapped_type(bi->regions[i].type))
            rc = map_direct(root, layout->direct_map_base, &bi->regions[i]);
    }
    for (size_t i = 0; i < layout->nsections && !rc; i++)
        rc = map_section(root, &layout->sections[i]);
    /* The stack area's PDPT must exist before address spaces copy the kernel half. */
    if (!rc)
        rc = fut_pt_prepare(root, FUT_KSTACK_AREA);
    /* On failure the partial tables stay allocated: boot cannot continue anyway,
     * and the caller panics with rc. */
    if (!rc)
        *root_out = root;
    return rc;
}
