/* Helpers shared by the boot-protocol parsers. */
#include "bootinfo_internal.h"

#include "futura/lib/format.h"
#include "futura/lib/string.h"

void boot_warn(const struct fut_boot_env *env, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    fut_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (env->warn)
        env->warn(env->ctx, msg);
}

void boot_set_cmdline(const struct fut_boot_env *env, struct fut_bootinfo *bi, const char *s,
                      size_t maxlen)
{
    size_t len = strnlen(s, maxlen);
    if (len >= FUT_CMDLINE_MAX) {
        boot_warn(env, "kernel command line is %zu bytes; truncated to %d", len,
                  FUT_CMDLINE_MAX - 1);
        len = FUT_CMDLINE_MAX - 1;
        bi->cmdline_truncated = true;
    }
    memcpy(bi->cmdline, s, len);
    bi->cmdline[len] = '\0';
}

void boot_add_region(const struct fut_boot_env *env, struct fut_bootinfo *bi, uint64_t base,
                     uint64_t length, uint32_t loader_type)
{
    if (length == 0 || base + length < base) {
        boot_warn(env, "memory map: skipping malformed entry base=%#lx length=%#lx",
                  (unsigned long)base, (unsigned long)length);
        bi->regions_skipped++;
        return;
    }
    if (bi->nregions == FUT_MAX_MEM_REGIONS) {
        boot_warn(env, "memory map: more than %d entries; ignoring base=%#lx",
                  FUT_MAX_MEM_REGIONS, (unsigned long)base);
        bi->regions_skipped++;
        return;
    }
    uint32_t type = loader_type;
    if (type < FUT_MEM_USABLE || type > FUT_MEM_BAD)
        type = FUT_MEM_RESERVED; /* unknown kinds of memory are never used */
    bi->regions[bi->nregions++] = (struct fut_mem_region){base, length, type};
}

void boot_add_module(const struct fut_boot_env *env, struct fut_bootinfo *bi, uint64_t start,
                     uint64_t end, const char *name, size_t name_max)
{
    if (end <= start) {
        boot_warn(env, "boot module with empty or inverted range %#lx-%#lx ignored",
                  (unsigned long)start, (unsigned long)end);
        return;
    }
    if (bi->nmodules == FUT_MAX_BOOT_MODULES) {
        boot_warn(env, "more than %d boot modules; ignoring the rest", FUT_MAX_BOOT_MODULES);
        return;
    }
    struct fut_boot_module *m = &bi->modules[bi->nmodules++];
    m->start = start;
    m->end = end;
    size_t len = name ? strnlen(name, name_max) : 0;
    if (len >= sizeof(m->name))
        len = sizeof(m->name) - 1;
    if (len)
        memcpy(m->name, name, len);
    m->name[len] = '\0';
}

uint64_t fut_bootinfo_usable_bytes(const struct fut_bootinfo *bi)
{
    uint64_t total = 0;
    for (size_t i = 0; i < bi->nregions; i++) {
        if (bi->regions[i].type == FUT_MEM_USABLE)
            total += bi->regions[i].length;
    }
    return total;
}
