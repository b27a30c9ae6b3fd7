/* SPDX-License-Identifier: MIT */
/*
 * infnum — a seeded random number generator (xoshiro256**, seeded by
 * splitmix64): the same seed gives the same stream on every platform.
 */
#ifndef INFNUM_RNG_H
#define INFNUM_RNG_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --------------------------------------------------------------------- rng */

/* xoshiro256** (Blackman & Vigna), caller-owned state, seeded by splitmix64.
 * The same seed gives the same stream on every platform. */
typedef struct lc_rng {
    uint64_t s[4];
} lc_rng;

/* splitmix64 (Steele, Lea & Flood): advances *state by the golden-ratio
 * increment and returns the mixed 64 bits. The seeding of lc_rng, and a
 * small generator on its own for callers that keep one uint64_t of state
 * (benchmark inputs). */
uint64_t lc_rng_splitmix64(uint64_t *state);
/* Seeds r from a 64-bit seed (any value, 0 included). */
void lc_rng_seed(lc_rng *r, uint64_t seed);
/* Next 64 random bits. */
uint64_t lc_rng_next(lc_rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double lc_rng_uniform(lc_rng *r);
/* Uniform integer in [0, n) without bias (n ≥ 1; 0 for n = 0). */
uint64_t lc_rng_below(lc_rng *r, uint64_t n);
/* Standard normal N(0, 1) (Box–Muller; consumes two draws, caches nothing). */
double lc_rng_normal(lc_rng *r);
/* Uniform random permutation of idx[0..n-1] in place (Fisher–Yates). */
void lc_rng_shuffle(lc_rng *r, int64_t *idx, int64_t n);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop
#endif
