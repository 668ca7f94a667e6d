/* Private helpers of the boot-info parsers. */
#ifndef FUTURA_BOOT_BOOTINFO_INTERNAL_H
#define FUTURA_BOOT_BOOTINFO_INTERNAL_H

#include <stdarg.h>

#include "futura/boot/bootinfo.h"

void boot_warn(const struct fut_boot_env *env, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s is at most maxlen bytes (it need not be NUL-terminated within them). */
void boot_set_cmdline(const struct fut_boot_env *env, struct fut_bootinfo *bi, const char *s,
                      size_t maxlen);
void boot_add_region(const struct fut_boot_env *env, struct fut_bootinfo *bi, uint64_t base,
                     uint64_t length, uint32_t loader_type);
void boot_add_module(const struct fut_boot_env *env, struct fut_bootinfo *bi, uint64_t start,
                     uint64_t end, const char *name, size_t name_max);

#endif
