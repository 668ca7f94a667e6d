/* The HAL on x86-64 PCs (and QEMU's pc machine). */
#include "futura/hal.h"

#include "futura/arch/cpu.h"
#include "futura/arch/layout.h"
#include "futura/arch/serial.h"
#include "futura/arch/timer.h"

/* QEMU's isa-debug-exit device (iobase 0xf4): writing v exits QEMU with
 * status (v << 1) | 1. Guest status s is sent as 0x40 + s, so the host sees
 * 129 + 2*s; anything else (0 or 1) came from QEMU itself. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_BASE 0x40
#define DEBUG_EXIT_MAX_STATUS 63
/* ACPI PM1a control on QEMU's pc machine: SLP_TYP=5 | SLP_EN powers off. */
#define QEMU_ACPI_PM1A_CNT 0x604
#define ACPI_POWEROFF 0x2000

void fut_hal_console_write(const char *s, size_t n)
{
    fut_serial_write(s, n);
}

void fut_hal_console_write_raw(const char *s, size_t n)
{
    fut_serial_write_raw(s, n);
}

int fut_hal_console_getc(void)
{
    return fut_serial_getc();
}

static void (*console_input_handler)(void);

static void serial_interrupt(struct fut_trap_frame *frame)
{
    (void)frame;
    if (console_input_handler)
        console_input_handler();
}

void fut_hal_console_set_input_handler(void (*fn)(void))
{
    uint64_t flags = fut_irq_save();
    console_input_handler = fn;
    if (fn)
        fut_irq_register(FUT_SERIAL_IRQ, serial_interrupt);
    fut_serial_set_rx_interrupt(fn != NULL);
    fut_irq_restore(flags);
}

void *fut_hal_phys_to_virt(uint64_t phys)
{
    return (void *)(FUT_DIRECT_MAP_BASE + phys);
}

uint64_t fut_hal_virt_to_phys(const void *virt)
{
    uint64_t va = (uint64_t)virt;
    if (va >= FUT_KERNEL_VMA)
        return va - FUT_KERNEL_VMA;
    return va - FUT_DIRECT_MAP_BASE;
}

#define CR3_ADDR_MASK 0x000ffffffffff000ull
/* Beyond this many pages a full flush is cheaper than invlpg one by one. */
#define TLB_FLUSH_RANGE_MAX_PAGES 32

uint64_t fut_hal_pt_root(void)
{
    return read_cr3() & CR3_ADDR_MASK;
}

void fut_hal_pt_activate(uint64_t root_phys)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(root_phys) : "memory");
}

void fut_hal_tlb_flush_page(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void fut_hal_tlb_flush_all(void)
{
    /* Reloading CR3 drops every non-global entry; kernel mappings are global
     * and never change under a running kernel except through flush_page. */
    __asm__ volatile("mov %%cr3, %%rax\n\tmov %%rax, %%cr3" : : : "rax", "memory");
}

void fut_hal_tlb_flush_range(uint64_t start, uint64_t end)
{
    if ((end - start) >> 12 > TLB_FLUSH_RANGE_MAX_PAGES) {
        fut_hal_tlb_flush_all();
        return;
    }
    for (uint64_t va = start & ~0xfffull; va < end; va += 4096)
        fut_hal_tlb_flush_page(va);
}

uint64_t fut_hal_cycles(void)
{
    return rdtsc();
}

void fut_hal_poweroff(int status)
{
    if (status < 0 || status > DEBUG_EXIT_MAX_STATUS)
        status = DEBUG_EXIT_MAX_STATUS;
    outl(DEBUG_EXIT_PORT, DEBUG_EXIT_BASE + (uint32_t)status);
    /* No debug-exit device (real hardware, or QEMU without it): try ACPI. */
    outw(QEMU_ACPI_PM1A_CNT, ACPI_POWEROFF);
    cpu_halt_forever();
    __builtin_unreachable();
}

uint64_t fut_hal_entropy(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (c & (1u << 30)) { /* RDRAND */
        for (int tries = 0; tries < 10; tries++) {
            uint64_t v;
            uint8_t ok;
            __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
            if (ok)
                return v;
        }
    }
    /* No hardware source: mix cycle counts taken around port I/O, whose
     * latency jitters. */
    uint64_t v = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t t = rdtsc();
        (void)inb(0x80);
        v = (v << 1 | v >> 63) ^ (rdtsc() - t) ^ t;
    }
    return v;
}
