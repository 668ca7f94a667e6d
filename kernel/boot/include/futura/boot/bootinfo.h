/*
 * What the boot loader told us, in one protocol-neutral structure.
 * Parsers for Multiboot2 (GRUB) and PVH (QEMU -kernel) fill it; they never
 * trust the loader: bad entries are skipped with a warning, oversize strings
 * are truncated with a warning, and a structurally broken block is rejected.
 */
#ifndef FUTURA_BOOT_BOOTINFO_H
#define FUTURA_BOOT_BOOTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FUT_MULTIBOOT2_MAGIC 0x36d76289u
#define FUT_PVH_MAGIC 0x336ec578u

#define FUT_CMDLINE_MAX 1024 /* including the NUL */
#define FUT_MAX_MEM_REGIONS 128
#define FUT_MAX_BOOT_MODULES 8
#define FUT_MODULE_NAME_MAX 64

enum fut_mem_type {
    FUT_MEM_USABLE = 1,
    FUT_MEM_RESERVED = 2,
    FUT_MEM_ACPI_RECLAIMABLE = 3,
    FUT_MEM_ACPI_NVS = 4,
    FUT_MEM_BAD = 5,
};

struct fut_mem_region {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* enum fut_mem_type; unknown loader types become RESERVED */
};

struct fut_boot_module {
    uint64_t start; /* physical, inclusive */
    uint64_t end;   /* physical, exclusive */
    char name[FUT_MODULE_NAME_MAX];
};

struct fut_bootinfo {
    const char *protocol; /* "multiboot2" or "pvh" */
    char cmdline[FUT_CMDLINE_MAX];
    bool cmdline_truncated;
    struct fut_mem_region regions[FUT_MAX_MEM_REGIONS];
    size_t nregions;
    size_t regions_skipped; /* malformed or beyond FUT_MAX_MEM_REGIONS */
    struct fut_boot_module modules[FUT_MAX_BOOT_MODULES];
    size_t nmodules;
    uint64_t rsdp_phys; /* 0 if unknown */
};

/* Maps a physical range for reading; returns NULL if it cannot be accessed. */
typedef const void *(*fut_phys_map_fn)(uint64_t phys, size_t len, void *ctx);
/* Receives one warning line (no trailing newline). */
typedef void (*fut_boot_warn_fn)(void *ctx, const char *msg);

struct fut_boot_env {
    fut_phys_map_fn map;
    fut_boot_warn_fn warn;
    void *ctx;
};

/* Each returns 0, or -EINVAL when the block itself is unusable (bad magic,
 * sizes that run past its end, missing pieces). */
int fut_bootinfo_parse_multiboot2(uint64_t info_phys, const struct fut_boot_env *env,
                                  struct fut_bootinfo *out);
int fut_bootinfo_parse_pvh(uint64_t start_info_phys, const struct fut_boot_env *env,
                           struct fut_bootinfo *out);

/* Total bytes of usable RAM in the map. */
uint64_t fut_bootinfo_usable_bytes(const struct fut_bootinfo *bi);

#ifdef __cplusplus
}
#endif

#endif
