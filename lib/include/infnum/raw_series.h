/* SPDX-License-Identifier: MIT */
/*
 * infnum raw layer, series plan: how one row (k[], c[], n, p) as in
 * <infnum/raw.h> is fed to _lc_row_series (docs/semantics.md, "Series"):
 *  - powers (LC_SER_BINOM): x = a ε^L (1 + δ) → a^r ε^{rL} Σ C(r,j) δ^j;
 *  - functions: x = s + δ → Σ f^{(j)}(s)/j! δ^j (log: log s + log1p(δ/s));
 * the truncation T = k0·L'δ + N (N = depth·den; k0 the first nonzero of the
 * first three Taylor coefficients, 0 if none), K = ⌈T/L'δ⌉ coefficients and
 * M = _lc_series_cap slots. Infinite arguments: tanh → ±1 and sigmoid → 1 / 0
 * exactly, softplus → x itself (with its bound) or the exact 0, every other
 * function → LC_EDOMAIN. The CPU series (lib/src/series.c), the fast path's
 * series rows (lib/src/fastpath.c) and the CUDA kernels
 * (kernels/src/rowops.cuh) all plan rows here, so each rule is written once.
 *
 * Every function here is static inline, LC_HD (C17 and CUDA C++), does not
 * allocate and only reads the row. Errors come back as an lc_status with a
 * fixed reason in plan->why (a string literal); the managed layer adds the
 * row number and reports it.
 */
#ifndef INFNUM_RAW_SERIES_H
#define INFNUM_RAW_SERIES_H

#include "infnum/infnum.h"
#include "infnum/raw.h"

/* What a planned row computes. */
enum {
    LC_PLAN_SERIES = 0, /* the truncated series (the general case)      */
    LC_PLAN_CONST,      /* the exact real cval                          */
    LC_PLAN_COPY        /* the argument itself, with its bound          */
};

typedef struct lc_ser_plan {
    int mode;          /* LC_PLAN_*                                                */
    double s;          /* point of the Taylor coefficients                         */
    double cval;       /* LC_PLAN_CONST: the exact value                           */
    double mulc;       /* powers: a^r; 1 otherwise                                 */
    double addc;       /* log: log s added at ε⁰; 0 otherwise                      */
    double a0;         /* δ's coefficients are c[i0 + i] / a0 (a0 = 1: as they are) */
    int64_t L;         /* δ's exponents are k[i0 + i] − L                          */
    int64_t shift;     /* powers: rL; 0 otherwise                                  */
    int64_t i0, nd;    /* δ is terms i0 .. i0 + nd − 1 of the row                  */
    int64_t pd;        /* δ's bound                                                */
    int64_t T, K, M;   /* truncation, coefficients used, result capacity           */
    const char *why;   /* on an error: the reason                                  */
} lc_ser_plan;

/* Where δ starts in a row with n ≥ 1 terms, leading exponent k0 and bound p:
 * powers (pw ≠ 0): x = c0 ε^k0 (1 + δ), δ = terms 1.. shifted by −k0 and
 * divided by c0, bound p − k0; functions: x = s + δ, s = c0 when k0 = 0
 * (i0 = 1), δ = the other terms as they are, bound p. Sets P->i0, L, nd, pd;
 * returns 0, or −1 if p − k0 overflows or lands on LC_EXACT. */
LC_HD static inline int _lc_ser_split(int pw, int64_t n, int64_t k0, int64_t p, lc_ser_plan *P)
{
    P->i0 = pw ? 1 : (n > 0 && k0 == 0);
    P->L = pw ? k0 : 0;
    P->nd = n - P->i0;
    P->pd = p;
    return pw && p != LC_EXACT && (!_lc_sub_ok(p, k0, &P->pd) || P->pd == LC_EXACT) ? -1 : 0;
}

/* Plans row (k, c, n, p) for series kind (LC_SER_*); powers take r, and
 * rp/rq with r = rp/rq exact when rq > 0 (rq = 0: r real, the leading
 * exponent must be 0). Returns LC_OK with *P filled, or LC_EUNDEF (unknown
 * quantity), LC_EDIVZERO (0^r, r < 0), LC_EDOMAIN, LC_EOVERFLOW or
 * LC_ELIMIT (M does not fit) with P->why. The caller may refuse a row whose
 * cost K·M·nd exceeds a budget (the CPU series does: ctx->series_work_max). */
LC_HD static inline lc_status _lc_ser_plan(int kind, const int64_t *k, const double *c, int64_t n,
                                           int64_t p, double r, int64_t rp, int64_t rq, int64_t N,
                                           lc_ser_plan *P)
{
    int pw = kind == LC_SER_BINOM;
    P->mode = LC_PLAN_SERIES;
    P->s = 0;
    P->cval = 0;
    P->mulc = 1;
    P->addc = 0;
    P->a0 = 1;
    P->L = P->shift = P->i0 = P->nd = 0;
    P->pd = LC_EXACT;
    P->T = LC_EXACT;
    P->K = 1;
    P->M = 2;
    P->why = "";
    if (n == 0 && p != LC_EXACT && (pw || p <= 0)) {
        P->why = "the argument is an unknown quantity O(eps^p)";
        return LC_EUNDEF;
    }
    if (pw) {
        if (n == 0) { /* exact zero */
            if (r <= 0) {
                P->why = r < 0 ? "division by zero" : "0^0 is undefined here";
                return r < 0 ? LC_EDIVZERO : LC_EDOMAIN;
            }
            P->mode = LC_PLAN_CONST;
            return LC_OK;
        }
        double a = c[0];
        int64_t L = k[0];
        if (a < 0 && !(rq > 0 && rq % 2 == 1)) {
            P->why = "negative leading coefficient and an even root";
            return LC_EDOMAIN;
        }
        if (rq == 0 && L != 0) {
            P->why = "leading exponent is not 0 and r has no small rational form";
            return LC_EDOMAIN;
        }
        P->mulc = pow(fabs(a), r);
        if (a < 0 && (rp % 2 != 0)) P->mulc = -P->mulc;
        if (rq > 0 && !_lc_mul_ok(L / rq, rp, &P->shift)) {
            P->why = "the exponent r·L overflows";
            return LC_EOVERFLOW;
        }
        for (int64_t i = 1; i < n; i++) {
            int64_t d;
            if (!_lc_sub_ok(k[i], L, &d) || d <= 0) { /* the span k[i] − L may exceed 2^63 */
                P->why = "an exponent overflows";
                return LC_EOVERFLOW;
            }
        }
        if (_lc_ser_split(1, n, L, p, P)) {
            P->why = "the bound overflows";
            return LC_EOVERFLOW;
        }
        P->a0 = a;
    } else {
        if (n > 0 && k[0] < 0) { /* infinite */
            int pos = c[0] > 0;
            P->mode = LC_PLAN_CONST;
            switch (kind) {
            case LC_SER_TANH: P->cval = pos ? 1 : -1; return LC_OK;
            case LC_SER_SIGMOID: P->cval = pos ? 1 : 0; return LC_OK;
            case LC_SER_SOFTPLUS: P->mode = pos ? LC_PLAN_COPY : LC_PLAN_CONST; return LC_OK;
            default: P->why = "the argument is infinite (the result is not in the field)"; return LC_EDOMAIN;
            }
        }
        _lc_ser_split(0, n, n > 0 ? k[0] : 0, p, P);
        P->s = P->i0 ? c[0] : 0;
        if (kind == LC_SER_LOG1P) {
            if (P->s <= 0) {
                P->why = P->s == 0 ? (n == 0 && p == LC_EXACT ? "log of zero is not in the field"
                                                              : "log of an infinitesimal is not in the field")
                                   : "log of a negative number";
                return LC_EDOMAIN;
            }
            P->a0 = P->s;
            P->addc = log(P->s);
        }
    }
    /* Truncation T = k0·L'δ + N and the coefficient count K. */
    int64_t Ld = P->nd > 0 ? k[P->i0] - P->L : P->pd, t;
    if (Ld == LC_EXACT) { /* δ = 0: the result is f(s) exactly */
        P->T = LC_EXACT;
        P->K = 1;
        P->M = 2;
        return LC_OK;
    }
    double f3[3] = {0, 0, 0};
    _lc_series_coeffs(kind, P->s, r, 3, f3);
    int64_t k0 = f3[0] != 0 ? 0 : f3[1] != 0 ? 1 : f3[2] != 0 ? 2 : 0;
    int tok = _lc_mul_ok(k0, Ld, &t) && _lc_add_ok(t, N, &P->T) && P->T != LC_EXACT;
    /* terms at or beyond δ's bound B = pd + (k1 − 1)·L'δ (k1: the first j ≥ 1
     * with f_j ≠ 0) are dropped anyway: truncate there (less work, and the
     * cost is what the result needs); B also stands in for a T that does
     * not fit (then the result's bound is B whatever T is) */
    int64_t k1 = f3[1] != 0 ? 1 : f3[2] != 0 ? 2 : 0, B;
    int bok = P->pd != LC_EXACT && k1 && _lc_mul_ok(k1 - 1, Ld, &t) && _lc_bound_add(P->pd, t, &B);
    if (bok && (!tok || B < P->T)) {
        P->T = B;
    } else if (!tok) {
        P->why = "the truncation exponent overflows";
        return LC_EOVERFLOW;
    }
    P->K = (P->T - 1) / Ld + 1;
    P->M = _lc_series_cap(k + P->i0, P->nd, P->L, P->pd, P->T);
    if (P->M < 0) {
        P->why = "too many terms";
        return LC_ELIMIT;
    }
    return LC_OK;
}

/* δ of a planned series row into (dk, dc) (P->nd entries each; no overlap
 * with the row). */
LC_HD static inline void _lc_ser_delta(const lc_ser_plan *P, const int64_t *k, const double *c,
                                       int64_t *dk, double *dc)
{
    for (int64_t i = 0; i < P->nd; i++) {
        dk[i] = k[P->i0 + i] - P->L;
        dc[i] = P->a0 != 1.0 ? c[P->i0 + i] / P->a0 : c[P->i0 + i];
    }
}

#endif /* INFNUM_RAW_SERIES_H */
