/* SPDX-License-Identifier: MIT */
/* Private to the field core: the product of two rows on their common grid
 * (mul_grid.c), which the general product (arith.c) tries before sorting
 * the partial products. Not installed. */
#ifndef INFNUM_MUL_GRID_H
#define INFNUM_MUL_GRID_H

#include "internal.h"

/* Largest accumulator (slots) and longest operand (terms) it takes. */
enum { LC_GRID_SLOTS = 1024, LC_GRID_TERMS = 256 };

/* out = x·y truncated at the product bound (*po), as _lc_row_mul of
 * <infnum/raw.h> computes it, but with the partial products summed into a
 * dense accumulator over the grid k = base + s·g, base = k1[0] + k2[0] and
 * g the gcd of all exponent differences within x and within y, instead of
 * being sorted: the same terms and bound; each coefficient is the same m
 * products (those of its exponent) summed in another order, so it differs
 * from _lc_row_mul's by at most 2(m−1)·u·Σ|c1_i c2_j| (u = 2^-53), and an
 * exact cancellation in one order may leave a term of that size in the
 * other. ko/co need room for n1·n2 terms and must not overlap the inputs.
 * Returns the count, -1 on overflow, or -2 when the grid does not pay (more
 * than LC_GRID_SLOTS slots, more than 4·n1·n2 + 64 of them, or an operand
 * longer than LC_GRID_TERMS): then the caller sorts. */
int64_t lc_row_mul_grid(const int64_t *k1, const double *c1, int64_t n1, int64_t p1, const int64_t *k2,
                        const double *c2, int64_t n2, int64_t p2, int64_t *ko, double *co, int64_t *po);

#endif
