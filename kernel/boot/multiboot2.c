/*
 * Multiboot2 information block parser (the GRUB path).
 * Layout: u32 total_size, u32 reserved, then 8-byte aligned tags
 * {u32 type, u32 size, payload} ending with a type-0 tag.
 */
#include "bootinfo_internal.h"
#include "futura/errno.h"
#include "futura/lib/string.h"

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

#define MB2_MAX_TOTAL_SIZE (1u << 20) /* a sane bound; real blocks are a few KiB */

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

static uint32_t read_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t read_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static void parse_mmap(const struct fut_boot_env *env, struct fut_bootinfo *bi, const uint8_t *tag,
                       uint32_t size)
{
    if (size < 16) {
        boot_warn(env, "multiboot2: memory-map tag too small (%u bytes)", size);
        return;
    }
    uint32_t entry_size = read_u32(tag + 8);
    if (entry_size < 24 || entry_size % 8) {
        boot_warn(env, "multiboot2: memory-map entry size %u is invalid; map ignored", entry_size);
        return;
    }
    /* off <= size throughout, so size - off cannot wrap; off + entry_size could. */
    for (uint32_t off = 16; size - off >= entry_size; off += entry_size) {
        const uint8_t *e = tag + off;
        boot_add_region(env, bi, read_u64(e), read_u64(e + 8), read_u32(e + 16));
    }
}

static void parse_tag(const struct fut_boot_env *env, struct fut_bootinfo *bi, const uint8_t *tag,
                      uint32_t type, uint32_t size, uint64_t tag_phys)
{
    switch (type) {
    case MB2_TAG_CMDLINE:
        boot_set_cmdline(env, bi, (const char *)tag + 8, size - 8);
        break;
    case MB2_TAG_MODULE:
        if (size < 16) {
            boot_warn(env, "multiboot2: module tag too small (%u bytes)", size);
            break;
        }
        boot_add_module(env, bi, read_u32(tag + 8), read_u32(tag + 12), (const char *)tag + 16,
                        size - 16);
        break;
    case MB2_TAG_MMAP:
        parse_mmap(env, bi, tag, size);
        break;
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        /* The RSDP is copied into the tag; remember where it lives. */
        if (!bi->rsdp_phys && size > 8)
            bi->rsdp_phys = tag_phys + 8;
        break;
    default:
        break; /* framebuffer, ELF sections, ... are not needed */
    }
}

int fut_bootinfo_parse_multiboot2(uint64_t info_phys, const struct fut_boot_env *env,
                                  struct fut_bootinfo *bi)
{
    memset(bi, 0, sizeof(*bi));
    bi->protocol = "multiboot2";
    const uint8_t *hdr = env->map(info_phys, 8, env->ctx);
    if (!hdr) {
        boot_warn(env, "multiboot2: info block at %#lx is not accessible", (unsigned long)info_phys);
        return -EINVAL;
    }
    uint32_t total = read_u32(hdr);
    if (total < 16 || total > MB2_MAX_TOTAL_SIZE) {
        boot_warn(env, "multiboot2: implausible info size %u", total);
        return -EINVAL;
    }
    const uint8_t *info = env->map(info_phys, total, env->ctx);
    if (!info)
        return -EINVAL;

    uint32_t off = 8;
    for (;;) {
        if (off + sizeof(struct mb2_tag) > total) {
            boot_warn(env, "multiboot2: tags run past the block without an end tag");
            return -EINVAL;
        }
        uint32_t type = read_u32(info + off);
        uint32_t size = read_u32(info + off + 4);
        if (size < 8 || size > total - off) {
            boot_warn(env, "multiboot2: tag %u at offset %u has bad size %u", type, off, size);
            return -EINVAL;
        }
        if (type == MB2_TAG_END)
            break;
        parse_tag(env, bi, info + off, type, size, info_phys + off);
        off += (size + 7) & ~7u;
    }
    return 0;
}
