/* TSC calibration against the PIT, so cycle counts convert to nanoseconds. */
#include "futura/arch/cpu.h"
#include "futura/arch/tsc.h"
#include "futura/hal.h"

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PORT_B 0x61
#define CALIBRATE_MS 10

static uint64_t tsc_khz;

void fut_tsc_calibrate(void)
{
    /* Channel 2 counts down once with its gate on and the speaker off;
     * bit 5 of port B rises when it reaches zero. */
    uint16_t count = PIT_HZ / (1000 / CALIBRATE_MS);
    outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
    outb(PIT_MODE, 0xb0); /* channel 2, lobyte/hibyte, mode 0 */
    outb(PIT_CH2_DATA, count & 0xff);
    outb(PIT_CH2_DATA, count >> 8);
    uint64_t t0 = rdtsc();
    while (!(inb(PORT_B) & 0x20))
        ;
    uint64_t t1 = rdtsc();
    tsc_khz = (t1 - t0) / CALIBRATE_MS;
    if (!tsc_khz)
        tsc_khz = 1000000; /* nonsense from the PIT: assume 1 GHz rather than divide by 0 */
}

uint64_t fut_tsc_khz(void)
{
    return tsc_khz;
}

uint64_t fut_hal_cycles_to_ns(uint64_t cycles)
{
    /* cycles * 1e6 / khz without overflowing for the first ~5 hours at 1 GHz. */
    return cycles / tsc_khz * 1000000 + (cycles % tsc_khz) * 1000000 / tsc_khz;
}
