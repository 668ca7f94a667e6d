/*
 * Architecture-independent kernel start: report what the loader gave us,
 * then either run self-tests (test=...) and power off, or start the console.
 */
#include "futura/kmain.h"

#include "futura/bench.h"
#include "futura/boot/cmdline.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/monitor.h"
#include "futura/selftest.h"

static const char *const mem_type_names[] = {"?", "usable", "reserved", "ACPI reclaimable",
                                             "ACPI NVS", "bad"};

static const struct fut_bootinfo *boot_info;

const struct fut_bootinfo *fut_boot_info(void)
{
    return boot_info;
}

static void print_boot_info(const struct fut_bootinfo *bi)
{
    fut_printk("boot: protocol %s, command line \"%s\"\n", bi->protocol, bi->cmdline);
    for (size_t i = 0; i < bi->nregions; i++) {
        const struct fut_mem_region *r = &bi->regions[i];
        fut_printk("  mem %016lx-%016lx %s\n", r->base, r->base + r->length - 1,
                   mem_type_names[r->type <= FUT_MEM_BAD ? r->type : 0]);
    }
    for (size_t i = 0; i < bi->nmodules; i++) {
        fut_printk("  module %016lx-%016lx \"%s\"\n", bi->modules[i].start, bi->modules[i].end,
                   bi->modules[i].name);
    }
    fut_printk("boot: %lu MiB usable RAM in %zu regions\n",
               fut_bootinfo_usable_bytes(bi) >> 20, bi->nregions);
}

void fut_kmain(const struct fut_bootinfo *bi)
{
    boot_info = bi;
    fut_printk("Futura kernel starting\n");
    print_boot_info(bi);

    char which[64];
    if (fut_cmdline_get(bi->cmdline, "test", which, sizeof(which))) {
        int failed = fut_selftest_run(which);
        fut_hal_poweroff(failed == 0 ? 0 : 1);
    }
    if (fut_cmdline_get(bi->cmdline, "bench", which, sizeof(which)))
        fut_hal_poweroff(fut_bench_run(which) == 0 ? 0 : 1);
    fut_monitor_run();
}
