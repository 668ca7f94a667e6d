/*
 * Kernel command line: space-separated words, `key=value` or bare `flag`.
 * Words after a lone `--` are not kernel options; they are handed to init.
 */
#ifndef FUTURA_BOOT_CMDLINE_H
#define FUTURA_BOOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Copies the value of `key=` into out (NUL-terminated, truncated to outsz).
 * The last occurrence wins, as on Linux. Returns true if the key is present;
 * a bare `key` yields an empty value. */
bool fut_cmdline_get(const char *cmdline, const char *key, char *out, size_t outsz);

/* Returns the text after the first standalone `--`, or NULL if there is none. */
const char *fut_cmdline_init_args(const char *cmdline);

#ifdef __cplusplus
}
#endif

#endif
