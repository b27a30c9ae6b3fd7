/* SPDX-License-Identifier: MIT */
/* Seeded random numbers: xoshiro256** with splitmix64 seeding. Caller-owned
 * state, no globals. */
#include "infnum/rng.h"

#include <math.h>

uint64_t lc_rng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void lc_rng_seed(lc_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = lc_rng_splitmix64(&seed);
}

uint64_t lc_rng_next(lc_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double lc_rng_uniform(lc_rng *r) { return (double)(lc_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t lc_rng_below(lc_rng *r, uint64_t n)
{
    if (n == 0) return 0;
    uint64_t limit = -n % n; /* 2^64 mod n: reject the short last interval */
    for (;;) {
        uint64_t x = lc_rng_next(r);
        if (x >= limit) return x % n;
    }
}

double lc_rng_normal(lc_rng *r)
{
    double u1 = 1.0 - lc_rng_uniform(r); /* (0, 1]: log is finite */
    double u2 = lc_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

void lc_rng_shuffle(lc_rng *r, int64_t *idx, int64_t n)
{
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)lc_rng_below(r, (uint64_t)i + 1);
        int64_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}
