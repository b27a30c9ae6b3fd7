/* SPDX-License-Identifier: MIT */
/* Private to the field core: the fast paths of ngrad and of the small
 * operations it is made of (ngrad_fast.c) — building exact rows, abs, the
 * discontinuous primitives and ngrad's division by ε as an exponent shift.
 * Each writes straight into the output's storage (no wide copy) when the
 * types allow and returns 1 ("handled", the status in *st); 0 means the
 * general path must run (nothing was changed, nothing reported). Results
 * are exactly those of the general path: the same terms, exponents,
 * bounds, denominator and storage types (tests/lib/test_ngrad_fast.c).
 * Not installed. */
#ifndef INFNUM_NGRAD_FAST_H
#define INFNUM_NGRAD_FAST_H

#include "internal.h"

/* b = n exact rows x[i]·ε⁰ + (v ? v[i] : vdef)·ε^{kv} on the denominator den
 * (zero coefficients left out; the term of lower exponent first), as
 * lc_batch_set_real / lc_batch_from_real / lc_batch_set_monomial build
 * them. x may be NULL (all 0). The values must have been checked finite.
 * Handled when b has f64 coefficients, n ≥ 1, kv fits b's exponents and x,
 * v do not point into b. */
int lc_fast_set_two(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x, const double *v,
                    double vdef, int64_t kv, int64_t den, lc_status *st, const char *func);

/* out = |a| (a row or its negation by the sign of its leading term; terms,
 * bound and denominator kept). Handled when a and out have f64
 * coefficients, out's exponents are as wide as a's, and every row's sign is
 * known. out may alias a. */
int lc_fast_abs(lc_ctx *ctx, lc_batch *out, const lc_batch *a, lc_status *st);

/* out = f(a) for a discontinuous primitive f (lc_disc) with the context's
 * conventions; exact reals on out's denominator. Handled when a has f64
 * coefficients and every row is decided (any failure goes to the general
 * path, which reports it). out may alias a. */
int lc_fast_disc(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int f, lc_status *st);

/* out = (y − s)/ε with s[r] the reals to subtract at ε⁰ (ns = y->nrows
 * values, or one broadcast to every row) and sden the denominator of the
 * batch s came from: the result is on
 * lcm(y->den, sden), ε⁰'s coefficient minus s (dropped when it cancels, left
 * out at or beyond the bound), then every exponent and the bound shifted by
 * −1 (an exact division by ε: no multiplication). Handled when y and out
 * have f64 coefficients, out is not y, and the exponents fit out's type. */
int lc_fast_div_eps(lc_ctx *ctx, lc_batch *out, const lc_batch *y, const double *s, int64_t ns,
                    int64_t sden, lc_status *st, const char *func);

#endif
