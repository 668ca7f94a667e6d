/* Fake physical memory, page-table root and TLB for host tests. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "futura/fake_hal.h"
#include "futura/hal.h"

static uint8_t *arena;
static uint64_t arena_base;
static size_t arena_size;
static uint64_t pt_root;
static struct fut_fake_tlb_stats tlb;

void fut_fake_phys_init(uint64_t base, size_t size)
{
    fut_fake_phys_release();
    arena = aligned_alloc(4096, size);
    if (!arena)
        abort();
    memset(arena, 0, size);
    arena_base = base;
    arena_size = size;
}

void fut_fake_phys_release(void)
{
    free(arena);
    arena = NULL;
    arena_size = 0;
}

void *fut_hal_phys_to_virt(uint64_t phys)
{
    if (!arena || phys < arena_base || phys - arena_base >= arena_size) {
        fprintf(stderr, "fake_hal: physical address %#llx is outside fake RAM\n",
                (unsigned long long)phys);
        abort();
    }
    return arena + (phys - arena_base);
}

uint64_t fut_hal_virt_to_phys(const void *virt)
{
    const uint8_t *p = virt;
    if (!arena || p < arena || p >= arena + arena_size) {
        fprintf(stderr, "fake_hal: %p is not in fake RAM\n", virt);
        abort();
    }
    return arena_base + (uint64_t)(p - arena);
}

uint64_t fut_hal_pt_root(void)
{
    return pt_root;
}

void fut_hal_pt_activate(uint64_t root_phys)
{
    pt_root = root_phys;
}

void fut_hal_tlb_flush_page(uint64_t va)
{
    (void)va;
    tlb.pages++;
}

void fut_hal_tlb_flush_range(uint64_t start, uint64_t end)
{
    (void)start;
    (void)end;
    tlb.ranges++;
}

void fut_hal_tlb_flush_all(void)
{
    tlb.all++;
}

void fut_fake_tlb_stats(struct fut_fake_tlb_stats *out)
{
    *out = tlb;
}

void fut_fake_tlb_reset(void)
{
    memset(&tlb, 0, sizeof(tlb));
}

uint64_t fut_hal_cycles(void)
{
    static uint64_t t;
    return ++t;
}

uint64_t fut_hal_cycles_to_ns(uint64_t cycles)
{
    return cycles;
}

static uint64_t fake_time;

uint64_t fut_hal_time_ns(void)
{
    return fake_time += 1000;
}

uint64_t fut_hal_wallclock_offset_ns(void)
{
    return 1700000000ull * 1000000000ull;
}

uint64_t fut_hal_wallclock_ns(void)
{
    return fut_hal_wallclock_offset_ns() + fut_hal_time_ns();
}

uint64_t fut_hal_entropy(void)
{
    static uint64_t x = 0x9e3779b97f4a7c15ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}
