/* Self-tests of the live kernel address space: W^X, the direct map, SMEP/SMAP. */
#include "futura/arch/cpu.h"
#include "futura/arch/layout.h"
#include "futura/arch/trap.h"
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/memory/kspace.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/selftest.h"

extern char fut_text_start[], fut_rodata_start[], fut_data_start[];

static uint64_t pte_of(const void *va)
{
    uint64_t pte = 0;
    if (!fut_pt_translate(fut_hal_pt_root(), (uint64_t)va, 0, &pte))
        return 0;
    return pte;
}

FUT_SELFTEST(wx)
{
    static uint64_t data_word = 7;
    static const uint64_t rodata_word = 9;
    /* Text and read-only data refuse writes; the probe recovers the #PF. */
    FUT_CHECK(fut_arch_probe_write(fut_text_start, 0) == -EFAULT);
    FUT_CHECK(fut_arch_probe_write((void *)&rodata_word, 0) == -EFAULT);
    FUT_CHECK(rodata_word == 9);
    FUT_CHECK(fut_arch_probe_write(&data_word, 8) == 0 && data_word == 8);

    uint64_t text = pte_of(fut_text_start), ro = pte_of(fut_rodata_start), rw = pte_of(&data_word);
    FUT_CHECK((text & FUT_PTE_PRESENT) && !(text & FUT_PTE_WRITE) && !(text & FUT_PTE_NX));
    FUT_CHECK((ro & FUT_PTE_PRESENT) && !(ro & FUT_PTE_WRITE) && (ro & FUT_PTE_NX));
    FUT_CHECK((rw & FUT_PTE_PRESENT) && (rw & FUT_PTE_WRITE) && (rw & FUT_PTE_NX));
    /* Nothing below the kernel image's virtual base is left from early boot. */
    FUT_CHECK(pte_of((void *)0x100000) == 0);
    FUT_CHECK(fut_hal_pt_root() == fut_kspace_root());
    return FUT_TEST_PASS;
}

FUT_SELFTEST(direct_map)
{
    /* Every managed frame is reachable through the direct map and writable. */
    struct fut_pmm *pmm = fut_pmm_global();
    uint64_t frame = fut_pmm_alloc(pmm, 0);
    if (!FUT_CHECK(frame != 0))
        return FUT_TEST_FAIL;
    volatile uint64_t *p = fut_hal_phys_to_virt(frame);
    p[0] = 0x5a5a5a5a5a5a5a5aull;
    p[511] = 0x1234;
    FUT_CHECK(p[0] == 0x5a5a5a5a5a5a5a5aull && p[511] == 0x1234);
    FUT_CHECK(fut_hal_virt_to_phys((const void *)p) == frame);
    uint64_t pte = pte_of((const void *)p);
    FUT_CHECK((pte & FUT_PTE_NX) && !(pte & FUT_PTE_USER));
    fut_pmm_free(pmm, frame, 0);
    FUT_CHECK((read_cr4() & (1ull << 20)) != 0); /* SMEP: QEMU's max CPU offers it */
    FUT_CHECK((read_cr4() & (1ull << 21)) != 0); /* SMAP */
    return FUT_TEST_PASS;
}
