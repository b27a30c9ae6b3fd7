/* SPDX-License-Identifier: MIT */
/* Per-row operations of the CUDA backend: what one thread does for one row
 * (capacity, workspace, result), on the shared LC_HD functions of
 * <infnum/raw.h>, <infnum/raw_order.h> and <infnum/raw_series.h>. __host__ __device__, so tests/cuda/
 * test_cuda_rowops.cu runs the very same code on the CPU against the CPU
 * library (the driver, driver.cuh, only schedules rows and compacts). */
#ifndef INFNUM_CUDA_ROWOPS_CUH
#define INFNUM_CUDA_ROWOPS_CUH

#include <math.h>
#include <stdint.h>

#include "infnum/cuda.h"
#include "infnum/raw_order.h"
#include "infnum/raw_series.h"

namespace lc_rows {

/* Output checks of a computed row (k, c, m), in place: coefficients for the
 * output type (to_float: rounded to float; non-finite → LC_EOVERFLOW, zero →
 * dropped, as the CPU's commit), *wide = 1 if an exponent needs int64.
 * *o = the kept count. */
LC_HD inline int row_finish(int64_t *k, double *c, int64_t m, int to_float, int64_t *o, int *wide)
{
    int code = 0;
    *o = 0;
    for (int64_t i = 0; i < m && !code; i++) {
        double v = to_float ? (double)(float)c[i] : c[i];
        if (!isfinite(v)) code = LC_EOVERFLOW;
        if (v == 0.0) continue;
        if (k[i] < INT32_MIN || k[i] > INT32_MAX) *wide = 1;
        k[*o] = k[i];
        c[(*o)++] = v;
    }
    return code;
}

/* ----------------------------------------------------------------- views */

struct Row {
    const int64_t *k;
    const double *c;
    int64_t n, p;
};

/* A batch as wide (int64, double) arrays; a one-row view broadcasts. */
struct View {
    const int64_t *rp, *k, *bound;
    const double *c;
    int64_t nrows;
    LC_HD Row row(int64_t r) const
    {
        int64_t q = nrows == 1 ? 0 : r, s = rp[q];
        return Row{k + s, c + s, rp[q + 1] - s, bound[q]};
    }
    LC_HD int64_t len(int64_t r) const
    {
        int64_t q = nrows == 1 ? 0 : r;
        return rp[q + 1] - rp[q];
    }
};

/* ------------------------------------------------------------- operations */

struct AddOp {
    View a, b;
    double s1, s2;
    LC_HD int64_t cap(int64_t r) const { return a.len(r) + b.len(r); }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r), y = b.row(r);
        *m = _lc_row_add(x.k, x.c, x.n, x.p, s1, y.k, y.c, y.n, y.p, s2, LC_EXACT, k, c, p);
        return LC_OK;
    }
};

struct MulOp {
    View a, b;
    LC_HD int64_t cap(int64_t r) const { return a.len(r) * b.len(r); }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r), y = b.row(r);
        *m = _lc_row_mul(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, LC_EXACT, k, c, p);
        return *m < 0 ? LC_EOVERFLOW : LC_OK;
    }
};

/* s·a (s = 0: the exact zero with a's bound kept as O), or a + s when add. */
struct ScaleOp {
    View a;
    double s;
    int add;
    LC_HD int64_t cap(int64_t r) const { return a.len(r) + add; }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r);
        if (add) {
            int64_t k0 = 0;
            *m = _lc_row_add(x.k, x.c, x.n, x.p, 1.0, &k0, &s, s != 0.0, LC_EXACT, 1.0,
                             LC_EXACT, k, c, p);
            return LC_OK;
        }
        *m = _lc_row_scale(x.k, x.c, x.n, s, k, c);
        *p = x.p;
        return LC_OK;
    }
};

struct ShiftOp {
    View a;
    int64_t d;
    LC_HD int64_t cap(int64_t r) const { return a.len(r); }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r);
        *m = _lc_row_shift(x.k, x.n, d, k);
        if (*m < 0 || !_lc_bound_add(x.p, d, p)) return LC_EOVERFLOW;
        for (int64_t i = 0; i < x.n; i++) c[i] = x.c[i];
        return LC_OK;
    }
};

/* step / sign / floor / ceil / round: an exact real per row. */
struct DiscOp {
    View a;
    int f, tie;
    double sign0, h0;
    LC_HD int64_t cap(int64_t) const { return 1; }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r);
        double v = 0.0;
        lc_status st = _lc_row_disc(f, x.k, x.c, x.n, x.p, sign0, h0, tie, &v);
        k[0] = 0;
        c[0] = v;
        *m = v != 0.0;
        *p = LC_EXACT;
        return st;
    }
};

/* abs (±a by the order) and relu (a or the exact zero). */
struct SelectOp {
    View a;
    int relu;
    LC_HD int64_t cap(int64_t r) const { return a.len(r); }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r);
        int sg = _lc_row_sign(x.c, x.n, x.p);
        if (sg == LC_SIGN_UNDEF) return LC_EUNDEF;
        if (relu && sg <= 0) {
            *m = 0;
            *p = LC_EXACT;
            return LC_OK;
        }
        *m = _lc_row_scale(x.k, x.c, x.n, sg < 0 ? -1.0 : 1.0, k, c);
        *p = x.p;
        return LC_OK;
    }
};

/* max (min) of a and b by the order: the whole row of the greater (smaller)
 * one, ties to a (lc_max / lc_min). */
struct MaxOp {
    View a, b;
    int min;
    LC_HD int64_t cap(int64_t r) const { return a.len(r) > b.len(r) ? a.len(r) : b.len(r); }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        Row x = a.row(r), y = b.row(r);
        int sg = 0;
        lc_status st = _lc_row_cmp(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, &sg);
        if (st) return st;
        Row z = (min ? sg <= 0 : sg >= 0) ? x : y;
        for (int64_t i = 0; i < z.n; i++) k[i] = z.k[i], c[i] = z.c[i];
        *m = z.n;
        *p = z.p;
        return LC_OK;
    }
};

/* The csrgeam2 sum C (32-bit CSR, columns = exponents − kmin) truncated at
 * min(bound a, bound b); cancellations dropped (the merge's semantics). */
struct TruncOp {
    const int *rp, *col;
    const double *val;
    int64_t kmin;
    View a, b;
    LC_HD int64_t cap(int64_t r) const { return rp[r + 1] - rp[r]; }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *, double *) const
    {
        int64_t q = _lc_min64(a.row(r).p, b.row(r).p), o = 0;
        for (int64_t i = rp[r]; i < rp[r + 1]; i++) {
            int64_t kk = col[i] + kmin;
            if (kk >= q) break;
            if (val[i] != 0.0) k[o] = kk, c[o++] = val[i];
        }
        *m = o;
        *p = q;
        return LC_OK;
    }
};

/* ----------------------------------------------------------------- series
 * The plan of <infnum/raw_series.h> (as lib/src/series.c), then raw.h's
 * _lc_series_coeffs and _lc_row_series_eval (recurrences for exp, sin,
 * cos, log and powers, Horner for the others); recip is the power r = −1. */
enum { SER_RECIP = 100 };

/* lc_cuda_fn → raw.h's series kind. */
LC_HD inline int ser_kind(int fn)
{
    switch (fn) {
    case LC_CUDA_EXP: return LC_SER_EXP;
    case LC_CUDA_LOG: return LC_SER_LOG1P;
    case LC_CUDA_SIN: return LC_SER_SIN;
    case LC_CUDA_COS: return LC_SER_COS;
    case LC_CUDA_TANH: return LC_SER_TANH;
    case LC_CUDA_SIGMOID: return LC_SER_SIGMOID;
    case LC_CUDA_SOFTPLUS: return LC_SER_SOFTPLUS;
    default: return LC_SER_BINOM;
    }
}

struct SeriesOp {
    View a;
    int fn;
    int64_t N;
    double rexp; /* SER_RECIP: the power, −1 (a run-time value, as in series.c) */
    LC_HD int plan(Row x, lc_ser_plan *pl) const
    {
        int recip = fn == SER_RECIP;
        return _lc_ser_plan(ser_kind(fn), x.k, x.c, x.n, x.p, rexp, recip ? -1 : 0, recip, N, pl);
    }
    LC_HD int64_t cap(int64_t r) const
    {
        lc_ser_plan pl;
        Row x = a.row(r);
        if (plan(x, &pl)) return 0;
        return pl.mode == LC_PLAN_COPY ? x.n : pl.mode == LC_PLAN_CONST ? 1 : pl.M;
    }
    LC_HD int64_t work(int64_t r) const
    {
        lc_ser_plan pl;
        if (plan(a.row(r), &pl) || pl.mode != LC_PLAN_SERIES) return 0;
        int64_t nd1 = pl.nd > 1 ? pl.nd : 1;
        return pl.M * (1 + nd1) + pl.K + pl.nd; /* acc, product, f, δ */
    }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *wk,
                       double *wc) const
    {
        Row x = a.row(r);
        lc_ser_plan pl;
        int code = plan(x, &pl);
        if (code) return code;
        if (pl.mode == LC_PLAN_CONST) {
            *m = pl.cval != 0;
            k[0] = 0;
            c[0] = pl.cval;
            *p = LC_EXACT;
            return LC_OK;
        }
        if (pl.mode == LC_PLAN_COPY) {
            for (int64_t i = 0; i < x.n; i++) k[i] = x.k[i], c[i] = x.c[i];
            *m = x.n;
            *p = x.p;
            return LC_OK;
        }
        int64_t M = pl.M, nd1 = pl.nd > 1 ? pl.nd : 1, n;
        int64_t *kd = wk + M * (1 + nd1);
        double *ac = wc, *bc = wc + M, *f = wc + M * (1 + nd1), *cd = f + pl.K;
        _lc_ser_delta(&pl, x.k, x.c, kd, cd);
        _lc_series_coeffs(ser_kind(fn), pl.s, rexp, pl.K, f);
        n = _lc_row_series_eval(ser_kind(fn), f, pl.K, rexp, kd, cd, pl.nd, pl.pd, pl.T, M, ac, bc, k, c, p);
        if (n < 0) return n == -1 ? LC_EOVERFLOW : LC_ENOMEM;
        if (pl.mulc != 1) n = _lc_row_scale(k, c, n, pl.mulc, k, c);
        if (pl.shift != 0 && (_lc_row_shift(k, n, pl.shift, k) < 0 ||
                              !_lc_bound_add(*p, pl.shift, p)))
            return LC_EOVERFLOW;
        if (pl.addc != 0) { /* log s at ε⁰, before the (positive) terms of log(1+δ/s) */
            for (int64_t i = n; i > 0; i--) k[i] = k[i - 1], c[i] = c[i - 1];
            k[0] = 0;
            c[0] = pl.addc;
            n++;
        }
        *m = n;
        return LC_OK;
    }
};

/* Output row (s, j): the E dense products Y[(s, e), j] as terms. */
struct LinearOut {
    const double *Y; /* (B·E) × m, column-major: Y[j·ld + s·E + e] */
    const int64_t *kexp, *bmin;
    int64_t E, m, ld;
    LC_HD int64_t cap(int64_t) const { return E; }
    LC_HD int64_t work(int64_t) const { return 0; }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *n, int64_t *p, int64_t *,
                       double *) const
    {
        int64_t s = r / m, j = r % m, o = 0;
        *p = bmin[s];
        for (int64_t e = 0; e < E; e++) {
            double v = Y[j * ld + s * E + e];
            if (kexp[e] >= *p) break;
            if (v != 0.0) k[o] = kexp[e], c[o++] = v;
        }
        *n = o;
        return LC_OK;
    }
};


} // namespace lc_rows

#endif
