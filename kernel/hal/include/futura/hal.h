/*
 * The hardware abstraction layer: the only way subsystems reach hardware.
 * kernel/arch/x86_64 implements it for real machines; testing/fake_hal
 * implements it for host tests. Keep it thin: mechanisms, not policy.
 */
#ifndef FUTURA_HAL_H
#define FUTURA_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Console output (the serial port on x86-64). Never fails, may be slow. */
void fut_hal_console_write(const char *s, size_t n);

/* Next byte of console input, or -1 if none is waiting. Does not block. */
int fut_hal_console_getc(void);

/* Ends the machine. status 0 means success; under QEMU it becomes the exit code
 * (see testing/qemu/README.md for the mapping). */
__attribute__((noreturn)) void fut_hal_poweroff(int status);

#ifdef __cplusplus
}
#endif

#endif
