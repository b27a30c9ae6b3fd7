/* SPDX-License-Identifier: MIT */
/*
 * infnum raw layer, order: the per-row decisions of the field's order and of
 * the discontinuous functions (step, sign, floor, ceil, round) on raw rows
 * (k[], c[], n, p) as in <infnum/raw.h>. The CPU library (lib/src/order.c)
 * and the CUDA kernels (kernels/src/rowops.cuh, ops.cu) both call these, so
 * each decision is written once.
 *
 * Every function here is static inline, LC_HD (C17 and CUDA C++), does not
 * allocate, only reads its input arrays and writes its scalar outputs (which
 * must not point into the inputs), and sets no message: the managed layer
 * converts rows to one denominator, reports errors and assembles batches.
 * Arrays of a row with n == 0 are not read (NULL is allowed).
 */
#ifndef INFNUM_RAW_ORDER_H
#define INFNUM_RAW_ORDER_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include "infnum/infnum.h"
#include "infnum/raw.h"

/* *sg = sign of x − y (−1, 0 or +1) for two rows on one denominator: the
 * terms are merged up to p = min(px, py) and the first nonzero difference
 * decides. Returns LC_OK, or LC_EUNDEF (*sg = 0) when no difference is found
 * below a finite p (the leading term of x − y is hidden by the bound; an
 * equal pair of inexact rows included). */
LC_HD static inline lc_status _lc_row_cmp(const int64_t *kx, const double *cx, int64_t nx,
                                          int64_t px, const int64_t *ky, const double *cy,
                                          int64_t ny, int64_t py, int *sg)
{
    int64_t p = _lc_min64(px, py), i = 0, j = 0;
    for (;;) {
        int64_t ka = i < nx ? kx[i] : LC_EXACT, kb = j < ny ? ky[j] : LC_EXACT;
        int64_t k = _lc_min64(ka, kb);
        if (k >= p) { /* both rows used up, or the next difference is unknown */
            *sg = 0;
            return p == LC_EXACT ? LC_OK : LC_EUNDEF;
        }
        double c = (ka == k ? cx[i] : 0.0) - (kb == k ? cy[j] : 0.0);
        i += ka == k;
        j += kb == k;
        if (c != 0.0) {
            *sg = c > 0.0 ? 1 : -1;
            return LC_OK;
        }
    }
}

/* round(m + ½) for an integer m by the tie rule tie (an lc_round_tie). */
LC_HD static inline double _lc_round_tie(int tie, double m)
{
    switch (tie) {
    case LC_TIE_EVEN: return fmod(m, 2.0) == 0.0 ? m : m + 1.0;
    case LC_TIE_UP: return m + 1.0;
    case LC_TIE_DOWN: return m;
    default: return m >= 0.0 ? m + 1.0 : m; /* away from zero */
    }
}

/* *v = f(x), an exact real, for f an lc_disc and x = (k, c, n, p) written
 * s + δ (s the standard part, δ infinitesimal): off a breakpoint f is the
 * real function of s; at one, the sign of δ picks the side; δ exactly 0
 * takes the conventions sign0 (sign(0)), h0 (the value H(0)) and tie (an
 * lc_round_tie). step and sign read the order of x (fine for infinite x).
 * Returns LC_OK; LC_EUNDEF when the sign of x (step, sign), the standard
 * part (p ≤ 0) or the side of a breakpoint is hidden by the bound;
 * LC_EDOMAIN for floor / ceil / round of an infinite x; *v is set on LC_OK
 * only (never −0). */
LC_HD static inline lc_status _lc_row_disc(int f, const int64_t *k, const double *c, int64_t n,
                                           int64_t p, double sign0, double h0, int tie, double *v)
{
    if (f == LC_DISC_STEP || f == LC_DISC_SIGN) {
        int sg = _lc_row_sign(c, n, p);
        if (sg == LC_SIGN_UNDEF) return LC_EUNDEF;
        if (f == LC_DISC_SIGN) *v = sg ? (double)sg : sign0;
        else *v = sg ? (sg > 0 ? 1.0 : 0.0) : h0;
        *v += 0.0; /* no −0 */
        return LC_OK;
    }
    if (n > 0 && k[0] < 0) return LC_EDOMAIN;
    if (p <= 0) return LC_EUNDEF;
    int64_t i = 0;
    double s = 0.0;
    if (n > 0 && k[0] == 0) s = c[0], i = 1;
    int dsg = i < n ? (c[i] > 0.0 ? 1 : -1) : p == LC_EXACT ? 0 : 2; /* 2: unknown */
    double m = floor(s);
    int at_break = f == LC_DISC_ROUND ? s - m == 0.5 : s == m;
    if (at_break && dsg == 2) return LC_EUNDEF;
    double r;
    if (f == LC_DISC_FLOOR) r = at_break ? s - (dsg < 0) : m;
    else if (f == LC_DISC_CEIL) r = at_break ? s + (dsg > 0) : ceil(s);
    else r = !at_break ? round(s) : dsg ? m + (dsg > 0) : _lc_round_tie(tie, m);
    *v = r + 0.0; /* no −0 */
    return LC_OK;
}

#pragma GCC visibility pop
#endif /* INFNUM_RAW_ORDER_H */
