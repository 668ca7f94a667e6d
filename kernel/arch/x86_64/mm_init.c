/*
 * Memory bring-up on x86-64: hand RAM to the PMM (minus the first MiB, the
 * kernel image, boot modules and the PMM's own descriptors), build the final
 * kernel page tables with W^X sections, switch to them, and turn on SMEP/SMAP.
 */
#include "futura/arch/cpu.h"
#include "futura/arch/layout.h"
#include "futura/arch/mm_init.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/kspace.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"

extern char fut_text_start[], fut_rodata_start[], fut_data_start[], fut_kernel_end[];
extern char fut_kernel_phys_start[], fut_kernel_phys_end[];

#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define LOW_MEMORY_END 0x100000ull
#define MAX_RESERVED (3 + FUT_MAX_BOOT_MODULES)

static uint64_t page_down(uint64_t v) { return v & ~(FUT_PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t v) { return (v + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1); }

static void init_pmm(const struct fut_bootinfo *bi)
{
    struct fut_phys_range reserved[MAX_RESERVED];
    size_t n = 0;
    reserved[n++] = (struct fut_phys_range){0, LOW_MEMORY_END};
    reserved[n++] = (struct fut_phys_range){(uint64_t)fut_kernel_phys_start,
                                            (uint64_t)fut_kernel_phys_end};
    for (size_t i = 0; i < bi->nmodules; i++)
        reserved[n++] = (struct fut_phys_range){page_down(bi->modules[i].start),
                                                page_up(bi->modules[i].end)};

    size_t bytes = fut_pmm_descriptor_bytes(bi->regions, bi->nregions);
    uint64_t desc_phys = 0;
    /* The descriptors must be reachable through the early map (first 4 GiB). */
    int rc = fut_pmm_place_descriptors(bi->regions, bi->nregions, reserved, n,
                                       (uint64_t)FUT_EARLY_MAP_GIB << 30, &desc_phys);
    if (rc)
        fut_panic("no room for %zu bytes of page descriptors (%d)", bytes, rc);
    reserved[n++] = (struct fut_phys_range){desc_phys, page_up(desc_phys + bytes)};
    rc = fut_pmm_init(fut_pmm_global(), bi->regions, bi->nregions, reserved, n,
                      fut_hal_phys_to_virt(desc_phys), bytes);
    if (rc)
        fut_panic("physical memory manager failed to start (%d)", rc);
}

static void init_kernel_space(const struct fut_bootinfo *bi)
{
    const struct fut_kernel_section sections[] = {
        {"text", (uint64_t)fut_text_start, (uint64_t)fut_rodata_start,
         (uint64_t)fut_text_start - FUT_KERNEL_VMA, 0},
        {"rodata", (uint64_t)fut_rodata_start, (uint64_t)fut_data_start,
         (uint64_t)fut_rodata_start - FUT_KERNEL_VMA, FUT_PTE_NX},
        {"data", (uint64_t)fut_data_start, (uint64_t)fut_kernel_end,
         (uint64_t)fut_data_start - FUT_KERNEL_VMA, FUT_PTE_WRITE | FUT_PTE_NX},
    };
    const struct fut_kspace_layout layout = {FUT_DIRECT_MAP_BASE, sections, 3};
    uint64_t root = 0;
    int rc = fut_kspace_build(bi, &layout, &root);
    if (rc)
        fut_panic("cannot build kernel page tables (%d)", rc);
    fut_kspace_set_root(root);
    fut_hal_pt_activate(root);
}

static void enable_protection(void)
{
    uint32_t a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    if (a < 7)
        return;
    cpuid(7, 0, &a, &b, &c, &d);
    uint64_t cr4 = read_cr4();
    if (b & CPUID7_EBX_SMEP)
        cr4 |= CR4_SMEP;
    if (b & CPUID7_EBX_SMAP)
        cr4 |= CR4_SMAP;
    write_cr4(cr4);
    fut_printk("mm: SMEP %s, SMAP %s, NX on, kernel text read-only\n",
               (cr4 & CR4_SMEP) ? "on" : "unavailable", (cr4 & CR4_SMAP) ? "on" : "unavailable");
}

void fut_arch_memory_init(const struct fut_bootinfo *bi)
{
    init_pmm(bi);
    init_kernel_space(bi);
    enable_protection();
    fut_printk("mm: %lu MiB managed, %lu KiB free, %lu page-table pages\n",
               fut_pmm_total_frames(fut_pmm_global()) >> 8,
               fut_pmm_free_frames(fut_pmm_global()) * 4, fut_pt_table_pages());
}
