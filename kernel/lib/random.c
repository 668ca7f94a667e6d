/* See futura/lib/random.h. */
#include "futura/lib/random.h"

#include "futura/hal.h"
#include "futura/lib/string.h"

/*
 * The kernel's pseudo-random generator (getrandom, AT_RANDOM): xoshiro256**
 * seeded from the HAL's entropy source (RDRAND where the CPU has it, else
 * cycle-counter jitter) and reseeded every 64 KiB. Not a vetted CSPRNG; it is
 * what musl's start-up and hash seeds need.
 */
static uint64_t rng[4];
static uint64_t rng_budget;

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
    if (!rng_budget) {
        for (int i = 0; i < 4; i++)
            rng[i] ^= fut_hal_entropy() | 1;
        rng_budget = 8192;
    }
    rng_budget--;
    uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;
    rng[2] ^= rng[0];
    rng[3] ^= rng[1];
    rng[1] ^= rng[2];
    rng[0] ^= rng[3];
    rng[2] ^= t;
    rng[3] = rotl(rng[3], 45);
    return result;
}

void fut_random_bytes(void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n) {
        uint64_t v = rng_next();
        size_t k = n < 8 ? n : 8;
        memcpy(p, &v, k);
        p += k;
        n -= k;
    }
}

