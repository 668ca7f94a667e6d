/* The HAL on x86-64 PCs (and QEMU's pc machine). */
#include "futura/hal.h"

#include "futura/arch/cpu.h"
#include "futura/arch/serial.h"

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

int fut_hal_console_getc(void)
{
    return fut_serial_getc();
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
