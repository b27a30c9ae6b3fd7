/* SPDX-License-Identifier: MIT */
/* Private to the field core: the products of two rows that the general
 * product (arith.c) tries before sorting the partial products — on the
 * rows' common grid, or by merging the partial products (mul_grid.c). Not
 * installed. */
#ifndef INFNUM_MUL_GRID_H
#define INFNUM_MUL_GRID_H

#include "internal.h"

/* Largest accumulator (slots) and longest operand (terms) the grid product
 * takes; most lists (terms of the shorter operand) the merge takes. */
enum { LC_GRID_SLOTS = 1024, LC_GRID_TERMS = 256, LC_MERGE_LISTS = 64 };
/* The grid of a product not yet known (lc_row_mul_grid computes it). */
enum { LC_GRID_UNKNOWN = -2 };

/* gcd of the differences of consecutive exponents of row r of b, in b's
 * units: 0 for a row of fewer than two terms, -1 if a difference
 * overflows int64. */
int64_t lc_row_step(const lc_batch *b, int64_t r);

/* The grid of a product whose operands have steps g1, g2 (lc_row_step,
 * -1 unknown), exponent spans s1, s2 (last − first, -1 unknown) and n1, n2 terms, with
 * exponents multiplied by m1, m2 ≥ 1 (to the common denominator): *g =
 * gcd(g1·m1, g2·m2) (0 when both operands have at most one term, -1 when
 * unknown or on overflow) and the return value, an upper bound of the
 * product's terms and the room lc_row_mul_grid, lc_row_mul_merge and, when
 * both operands are longer than LC_MERGE_LISTS, _lc_row_mul need: n1·n2,
 * else at most (s1·m1 + s2·m2)/g + 1 since every exponent is first + s·g. */
int64_t lc_mul_terms_bound(int64_t g1, int64_t s1, int64_t n1, int64_t m1, int64_t g2, int64_t s2,
                           int64_t n2, int64_t m2, int64_t *g);

/* out = x·y truncated at the product bound (*po), as _lc_row_mul of
 * <infnum/raw.h> computes it, but with the partial products summed into a
 * dense accumulator over the grid k = base + s·g, base = k1[0] + k2[0] and
 * g the gcd of all exponent differences within x and within y (from
 * lc_mul_terms_bound, -1: none; LC_GRID_UNKNOWN: computed here), instead
 * of being sorted: the same
 * terms and bound; each coefficient is the same m products (those of its
 * exponent) summed in another order, so it differs from _lc_row_mul's by
 * at most 2(m−1)·u·Σ|c1_i c2_j| (u = 2^-53), and an exact cancellation in
 * one order may leave a term of that size in the other. ko/co need room
 * for lc_mul_terms_bound's count (n1·n2 with LC_GRID_UNKNOWN) and must not
 * overlap the inputs. Returns the count, -1
 * on overflow, or -2 when the grid does not pay (more than LC_GRID_SLOTS
 * slots, more than 4·n1·n2 + 64 of them, or an operand longer than
 * LC_GRID_TERMS): then the caller merges or sorts. */
int64_t lc_row_mul_grid(const int64_t *k1, const double *c1, int64_t n1, int64_t p1, const int64_t *k2,
                        const double *c2, int64_t n2, int64_t p2, int64_t g, int64_t *ko, double *co,
                        int64_t *po);

/* out = x·y as lc_row_mul_grid states it (the same terms and bound, the
 * same rounding bound), for rows on no useful grid: the products
 * c1_i·c2_j of one term i of the shorter operand form a list sorted by
 * exponent (exponents add monotonically), and the lists are merged by a
 * binary heap of their heads, equal exponents summed as they meet (in the
 * heap's order), each list stopped at the product's bound: about
 * n1·n2·log2(min(n1, n2)) comparisons instead of the sort's
 * n1·n2·log2(n1·n2), and no pass over the products before they are
 * summed. ko/co need room for lc_mul_terms_bound's count and must not
 * overlap the inputs.
 * Returns the count, -1 on overflow, or -2 when the shorter operand has
 * more than LC_MERGE_LISTS terms (then the caller sorts). */
int64_t lc_row_mul_merge(const int64_t *k1, const double *c1, int64_t n1, int64_t p1, const int64_t *k2,
                         const double *c2, int64_t n2, int64_t p2, int64_t *ko, double *co, int64_t *po);

#endif
