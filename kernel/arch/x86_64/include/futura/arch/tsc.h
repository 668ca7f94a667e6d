#ifndef FUTURA_ARCH_TSC_H
#define FUTURA_ARCH_TSC_H

#include <stdint.h>

/* Measures the TSC frequency with the PIT (10 ms). */
void fut_tsc_calibrate(void);
uint64_t fut_tsc_khz(void);
/* Reads the CMOS clock; fut_hal_wallclock_ns counts from it. */
void fut_rtc_init(void);

#endif
