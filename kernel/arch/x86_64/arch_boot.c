/*
 * First C code: bring up the console and CPU tables, translate the loader's
 * information into struct fut_bootinfo, then hand over to fut_kmain.
 */
#include "futura/arch/cpu.h"
#include "futura/arch/gdt.h"
#include "futura/arch/layout.h"
#include "futura/arch/mm_init.h"
#include "futura/arch/page_fault.h"
#include "futura/arch/percpu.h"
#include "futura/arch/thread.h"
#include "futura/arch/timer.h"
#include "futura/arch/tsc.h"
#include "futura/arch/serial.h"
#include "futura/arch/trap.h"
#include "futura/boot/bootinfo.h"
#include "futura/kmain.h"
#include "futura/lib/printk.h"

static struct fut_bootinfo boot_info;

/* Early boot maps the first FUT_EARLY_MAP_GIB of physical memory at the direct map. */
static const void *early_phys_map(uint64_t phys, size_t len, void *ctx)
{
    (void)ctx;
    const uint64_t limit = (uint64_t)FUT_EARLY_MAP_GIB << 30;
    if (phys >= limit || len > limit - phys)
        return 0;
    return (const void *)(FUT_DIRECT_MAP_BASE + phys);
}

static void boot_warning(void *ctx, const char *msg)
{
    (void)ctx;
    fut_printk("boot: warning: %s\n", msg);
}

void fut_arch_boot(uint32_t magic, uint32_t info_phys)
{
    fut_serial_init();
    fut_gdt_init();
    fut_idt_init();
    fut_pic_init();

    const struct fut_boot_env env = {.map = early_phys_map, .warn = boot_warning};
    int rc;
    if (magic == FUT_MULTIBOOT2_MAGIC)
        rc = fut_bootinfo_parse_multiboot2(info_phys, &env, &boot_info);
    else if (magic == FUT_PVH_MAGIC)
        rc = fut_bootinfo_parse_pvh(info_phys, &env, &boot_info);
    else
        fut_panic("unknown boot protocol (magic %#x)", magic);
    if (rc < 0)
        fut_panic("boot information from the loader is unusable (%d)", rc);
    fut_arch_memory_init(&boot_info);
    fut_page_fault_init();
    fut_tsc_calibrate();
    fut_rtc_init();
    fut_percpu_init();
    fut_fpu_init();
    fut_syscall_init();
    fut_kmain(&boot_info);
}
