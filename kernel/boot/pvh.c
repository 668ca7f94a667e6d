/*
 * PVH start-info parser (QEMU's -kernel fast path); structures from Xen's
 * public hvm/start_info.h: version 1 adds the memory map.
 */
#include "bootinfo_internal.h"
#include "futura/errno.h"
#include "futura/lib/string.h"

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

#define PVH_MAX_ENTRIES 4096 /* bound on loader-provided counts */

/* Maps the longest accessible window of at most `max` bytes at phys, for a
 * NUL-terminated string. A string that ends just below the top of mapped memory
 * must still be read whole, so the window shrinks to the exact accessible length
 * (binary search; accessibility is monotonic in the length). */
static const char *map_string(const struct fut_boot_env *env, uint64_t phys, size_t *max)
{
    const char *s = env->map(phys, *max, env->ctx);
    if (s)
        return s;
    size_t ok = 0, bad = *max; /* window `ok` is accessible (or empty), `bad` is not */
    while (bad - ok > 1) {
        size_t mid = ok + (bad - ok) / 2;
        if (env->map(phys, mid, env->ctx))
            ok = mid;
        else
            bad = mid;
    }
    if (!ok)
        return NULL;
    *max = ok;
    return env->map(phys, ok, env->ctx);
}

int fut_bootinfo_parse_pvh(uint64_t phys, const struct fut_boot_env *env, struct fut_bootinfo *bi)
{
    memset(bi, 0, sizeof(*bi));
    bi->protocol = "pvh";
    const struct hvm_start_info *si = env->map(phys, sizeof(*si), env->ctx);
    if (!si || si->magic != FUT_PVH_MAGIC) {
        boot_warn(env, "pvh: no start info at %#lx", (unsigned long)phys);
        return -EINVAL;
    }
    if (si->cmdline_paddr) {
        /* One byte more than we keep, so overlong lines are detected. */
        size_t max = FUT_CMDLINE_MAX * 4;
        const char *s = map_string(env, si->cmdline_paddr, &max);
        if (s)
            boot_set_cmdline(env, bi, s, max);
    }
    bi->rsdp_phys = si->rsdp_paddr;

    if (si->version < 1 || !si->memmap_paddr) {
        boot_warn(env, "pvh: start info version %u has no memory map", si->version);
        return -EINVAL;
    }
    uint32_t n = si->memmap_entries;
    if (n > PVH_MAX_ENTRIES) {
        boot_warn(env, "pvh: %u memory-map entries is implausible", n);
        return -EINVAL;
    }
    const struct hvm_memmap_entry *map = env->map(si->memmap_paddr, n * sizeof(*map), env->ctx);
    if (!map && n)
        return -EINVAL;
    for (uint32_t i = 0; i < n; i++)
        boot_add_region(env, bi, map[i].addr, map[i].size, map[i].type);

    if (si->nr_modules > PVH_MAX_ENTRIES) {
        boot_warn(env, "pvh: %u modules is implausible; ignoring modules", si->nr_modules);
        return 0;
    }
    const struct hvm_modlist_entry *mods =
        si->nr_modules ? env->map(si->modlist_paddr, si->nr_modules * sizeof(*mods), env->ctx) : NULL;
    for (uint32_t i = 0; mods && i < si->nr_modules; i++) {
        size_t max = FUT_MODULE_NAME_MAX;
        const char *name = mods[i].cmdline_paddr ? map_string(env, mods[i].cmdline_paddr, &max) : NULL;
        if (mods[i].paddr + mods[i].size < mods[i].paddr) {
            boot_warn(env, "pvh: module %u wraps the address space; ignored", i);
            continue;
        }
        boot_add_module(env, bi, mods[i].paddr, mods[i].paddr + mods[i].size, name, name ? max : 0);
    }
    return 0;
}
