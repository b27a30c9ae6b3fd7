/* SPDX-License-Identifier: MIT */
/* The product of two rows on their common grid. Rows off one arithmetic
 * progression (square roots, fractional powers, sums of such: "ragged"
 * rational rows, or rows that skip grid points) still sit on the grid of
 * the gcd g of their exponent differences; there the n1·n2 partial
 * products land in at most (span / g) slots, so they are summed straight
 * into a dense accumulator and read back in order, which replaces the
 * sort of the partial products (n1·n2·log(n1·n2) unpredictable branches)
 * by n1·n2 multiply-adds and one pass over the slots. See mul_grid.h for
 * the contract and the rounding bound. */
#include "mul_grid.h"

#include <string.h>

/* gcd of a ≥ 0 and b ≥ 0 (binary). */
static inline int64_t gcd64(int64_t a, int64_t b)
{
    uint64_t x = (uint64_t)a, y = (uint64_t)b;
    if (!x) return (int64_t)y;
    if (!y) return (int64_t)x;
    int sh = __builtin_ctzll(x | y);
    x >>= __builtin_ctzll(x);
    do {
        y >>= __builtin_ctzll(y);
        if (x > y) { uint64_t t = x; x = y; y = t; }
        y -= x;
    } while (y);
    return (int64_t)(x << sh);
}

/* gcd of the differences k[i] − k[0] into g; 0 on overflow. */
static int row_gcd(const int64_t *k, int64_t n, int64_t *g)
{
    for (int64_t i = 1; i < n && *g != 1; i++) {
        int64_t d;
        if (!lc_sub_i64(k[i], k[0], &d)) return 0;
        *g = gcd64(*g, d);
    }
    return 1;
}

int64_t lc_row_mul_grid(const int64_t *k1, const double *c1, int64_t n1, int64_t p1, const int64_t *k2,
                        const double *c2, int64_t n2, int64_t p2, int64_t *ko, double *co, int64_t *po)
{
    int64_t p, t, base;
    if (!_lc_mul_bound(k1, n1, p1, k2, n2, p2, &p)) return -1;
    *po = p;
    if (n1 == 0 || n2 == 0) return 0;
    if (!lc_add_i64(k1[0], k2[0], &base) || !lc_add_i64(k1[n1 - 1], k2[n2 - 1], &t)) return -1;
    if (t == LC_EXACT && p == LC_EXACT) return -1; /* a term at LC_EXACT would read as "exact" */
    if (base >= p) return 0;
    if (n1 > LC_GRID_TERMS || n2 > LC_GRID_TERMS) return -2;
    int64_t g = 0, span, lim;
    if (!row_gcd(k1, n1, &g) || !row_gcd(k2, n2, &g)) return -2;
    if (g == 0) g = 1; /* two single terms */
    /* slots: products below the bound, k = base + s·g < p ⇔ s < lim */
    if (!lc_sub_i64(t, base, &span)) return -2;
    int64_t S = span / g + 1;
    if (p != LC_EXACT) {
        int64_t room;
        if (!lc_sub_i64(p, base, &room)) return -2;
        lim = (room - 1) / g + 1; /* room ≥ 1 */
        if (lim < S) S = lim;
    }
    if (S > LC_GRID_SLOTS || S > 4 * n1 * n2 + 64) return -2;
    int64_t s1[LC_GRID_TERMS], s2[LC_GRID_TERMS]; /* slots of the terms (differences fit: above) */
    for (int64_t i = 0; i < n1; i++) s1[i] = (k1[i] - k1[0]) / g;
    for (int64_t j = 0; j < n2; j++) s2[j] = (k2[j] - k2[0]) / g;
    double acc[LC_GRID_SLOTS];
    memset(acc, 0, (size_t)S * sizeof acc[0]);
    for (int64_t i = 0; i < n1 && s1[i] < S; i++) {
        const double a = c1[i];
        const int64_t room = S - s1[i]; /* s2 increasing: the products below the bound */
        double *row = acc + s1[i];
        for (int64_t j = 0; j < n2 && s2[j] < room; j++) row[s2[j]] += a * c2[j];
    }
    int64_t m = 0;
    for (int64_t s = 0; s < S; s++)
        if (acc[s] != 0) ko[m] = base + s * g, co[m++] = acc[s];
    return m;
}
