/* Host-test controls for the fake HAL: captured console output and poweroff. */
#ifndef FUTURA_FAKE_HAL_H
#define FUTURA_FAKE_HAL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything written to the console since the last reset, NUL-terminated. */
const char *fut_fake_console_output(void);
void fut_fake_console_reset(void);
/* Bytes the next fut_hal_console_getc calls return, in order. */
void fut_fake_console_feed(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
