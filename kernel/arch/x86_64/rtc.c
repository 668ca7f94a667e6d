/* Wall-clock time: the CMOS real-time clock read once at boot, then advanced
 * with the calibrated TSC. */
#include <stdbool.h>

#include "futura/arch/cpu.h"
#include "futura/arch/tsc.h"
#include "futura/hal.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

static uint64_t boot_tsc;
static uint64_t boot_epoch_ns;

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
    y -= m <= 2;
    unsigned era = y / 400;
    unsigned yoe = y - era * 400;
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)era * 146097 + doe - 719468;
}

void fut_rtc_init(void)
{
    while (cmos(0x0a) & 0x80) /* wait out an update in progress */
        ;
    uint8_t status_b = cmos(0x0b);
    bool binary = status_b & 0x04;
    unsigned sec = bcd(cmos(0x00), binary), min = bcd(cmos(0x02), binary);
    uint8_t hour_raw = cmos(0x04);
    unsigned hour = bcd(hour_raw & 0x7f, binary);
    if (!(status_b & 0x02) && (hour_raw & 0x80)) /* 12-hour clock, PM */
        hour = (hour % 12) + 12;
    unsigned day = bcd(cmos(0x07), binary), mon = bcd(cmos(0x08), binary);
    unsigned year = 2000 + bcd(cmos(0x09), binary);
    boot_tsc = rdtsc();
    boot_epoch_ns = ((days_from_civil(year, mon, day) * 24 + hour) * 60 + min) * 60 + sec;
    boot_epoch_ns *= 1000000000ull;
}

uint64_t fut_hal_time_ns(void)
{
    return fut_hal_cycles_to_ns(rdtsc() - boot_tsc);
}

uint64_t fut_hal_wallclock_ns(void)
{
    return boot_epoch_ns + fut_hal_time_ns();
}

uint64_t fut_hal_wallclock_offset_ns(void)
{
    return boot_epoch_ns;
}
