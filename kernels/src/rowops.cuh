/* Per-row operations of the CUDA backend: what one thread does for one row
 * (capacity, workspace, result), on the shared LC_HD functions of
 * <infnum/raw.h> and <infnum/raw_order.h>. __host__ __device__, so tests/cuda/
 * test_cuda_rowops.cu runs the very same code on the CPU against the CPU
 * library (the driver in ops.cu only schedules rows and compacts). */
#ifndef INFNUM_CUDA_ROWOPS_CUH
#define INFNUM_CUDA_ROWOPS_CUH

#include <math.h>
#include <stdint.h>

#include "infnum/cuda.h"
#include "infnum/raw_order.h"

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
 * Mirrors lib/src/series.c (prep_row / ser_row) step for step, on raw.h's
 * shared _lc_series_coeffs / _lc_series_cap / _lc_row_series:
 *  - powers (recip): x = a ε^L (1+δ) → a⁻¹ ε^{−L} Σ (−δ)^j, δ = x/(aε^L) − 1;
 *  - functions: x = s + δ → Σ f_j(s) δ^j (log: log s + log1p(δ/s));
 * truncation T = k0·L'δ + N, N = depth·den, k0 the first nonzero of the
 * first three Taylor coefficients (0 if none); K = ⌈T/L'δ⌉ coefficients.
 * Infinite arguments: exp, log, sin, cos → LC_EDOMAIN; tanh → ±1 and
 * sigmoid → 1 / 0 exact; softplus → x (kept with its bound) or exact 0. */
enum { SER_RECIP = 100 };
enum { P_SERIES, P_CONST, P_COPY };

struct Plan {
    int kind, mode;
    double s, cval, mulc, addc;
    int64_t shift, i0, nd, pd, T, K, M;
};

LC_HD inline int plan_row(int fn, Row x, int64_t N, double r, Plan *pl)
{
    switch (fn) { /* lc_cuda_fn → raw.h's series kind */
    case LC_CUDA_EXP: pl->kind = LC_SER_EXP; break;
    case LC_CUDA_LOG: pl->kind = LC_SER_LOG1P; break;
    case LC_CUDA_SIN: pl->kind = LC_SER_SIN; break;
    case LC_CUDA_COS: pl->kind = LC_SER_COS; break;
    case LC_CUDA_TANH: pl->kind = LC_SER_TANH; break;
    case LC_CUDA_SIGMOID: pl->kind = LC_SER_SIGMOID; break;
    case LC_CUDA_SOFTPLUS: pl->kind = LC_SER_SOFTPLUS; break;
    default: pl->kind = LC_SER_BINOM;
    }
    pl->mode = P_SERIES;
    pl->mulc = 1.0;
    pl->addc = 0.0;
    pl->shift = 0;
    pl->nd = 0;
    pl->pd = LC_EXACT;
    pl->s = 0.0;
    int recip = fn == SER_RECIP;
    if (x.n == 0 && x.p != LC_EXACT && (recip || x.p <= 0)) return LC_EUNDEF;
    if (recip) {
        if (x.n == 0) return LC_EDIVZERO;
        double a = x.c[0];
        int64_t L = x.k[0];
        pl->mulc = pow(fabs(a), r); /* r = −1: as series.c, bit for bit */
        if (a < 0) pl->mulc = -pl->mulc;
        pl->shift = -L;
        for (int64_t i = 1; i < x.n; i++)
            if (x.k[i] - L <= 0) return LC_EOVERFLOW;
        pl->i0 = 1;
        pl->nd = x.n - 1;
        if (x.p != LC_EXACT && !_lc_add_ok(x.p, -L, &pl->pd)) return LC_EOVERFLOW;
    } else {
        if (x.n > 0 && x.k[0] < 0) { /* infinite */
            int pos = x.c[0] > 0;
            pl->mode = P_CONST;
            switch (fn) {
            case LC_CUDA_TANH: pl->cval = pos ? 1 : -1; return LC_OK;
            case LC_CUDA_SIGMOID: pl->cval = pos ? 1 : 0; return LC_OK;
            case LC_CUDA_SOFTPLUS: pl->mode = pos ? P_COPY : P_CONST; pl->cval = 0; return LC_OK;
            default: return LC_EDOMAIN;
            }
        }
        pl->i0 = x.n > 0 && x.k[0] == 0;
        pl->s = pl->i0 ? x.c[0] : 0;
        pl->nd = x.n - pl->i0;
        pl->pd = x.p;
        if (fn == LC_CUDA_LOG) {
            if (pl->s <= 0) return LC_EDOMAIN;
            pl->addc = log(pl->s);
        }
    }
    /* Truncation T = k0·L'δ + N and the coefficient count K. */
    int64_t Ld = pl->nd > 0 ? x.k[pl->i0] - (recip ? x.k[0] : 0) : pl->pd, t;
    if (Ld == LC_EXACT) { /* δ = 0: the result is f(s) exactly */
        pl->T = LC_EXACT;
        pl->K = 1;
        pl->M = 2;
        return LC_OK;
    }
    double f3[3] = {0, 0, 0};
    _lc_series_coeffs(pl->kind, pl->s, r, 3, f3);
    int64_t k0 = f3[0] != 0 ? 0 : f3[1] != 0 ? 1 : f3[2] != 0 ? 2 : 0;
    if (!_lc_mul_ok(k0, Ld, &t) || !_lc_add_ok(t, N, &pl->T) || pl->T == LC_EXACT)
        return LC_EOVERFLOW;
    pl->K = (pl->T - 1) / Ld + 1;
    /* recip: δ's exponents are shifted (not in the row); T + 2 bounds the
     * capacity for any gcd (the evaluation result is the same). */
    pl->M = recip ? pl->T + 2 : _lc_series_cap(x.k + pl->i0, pl->nd, pl->pd, pl->T);
    return pl->M < 0 ? LC_ENOMEM : LC_OK;
}

struct SeriesOp {
    View a;
    int fn;
    int64_t N;
    double rexp; /* SER_RECIP: the power, −1 (a run-time value, as in series.c) */
    LC_HD int64_t cap(int64_t r) const
    {
        Plan pl;
        Row x = a.row(r);
        if (plan_row(fn, x, N, rexp, &pl)) return 0;
        return pl.mode == P_COPY ? x.n : pl.mode == P_CONST ? 1 : pl.M;
    }
    LC_HD int64_t work(int64_t r) const
    {
        Plan pl;
        if (plan_row(fn, a.row(r), N, rexp, &pl) || pl.mode != P_SERIES) return 0;
        int64_t nd1 = pl.nd > 1 ? pl.nd : 1;
        return pl.M * (1 + nd1) + pl.K + pl.nd; /* acc, product, f, δ */
    }
    LC_HD int row(int64_t r, int64_t *k, double *c, int64_t *m, int64_t *p, int64_t *wk,
                       double *wc) const
    {
        Row x = a.row(r);
        Plan pl;
        int code = plan_row(fn, x, N, rexp, &pl);
        if (code) return code;
        if (pl.mode == P_CONST) {
            *m = pl.cval != 0;
            k[0] = 0;
            c[0] = pl.cval;
            *p = LC_EXACT;
            return LC_OK;
        }
        if (pl.mode == P_COPY) {
            for (int64_t i = 0; i < x.n; i++) k[i] = x.k[i], c[i] = x.c[i];
            *m = x.n;
            *p = x.p;
            return LC_OK;
        }
        int64_t M = pl.M, nd1 = pl.nd > 1 ? pl.nd : 1, n;
        int64_t *ak = wk, *bk = wk + M, *kd = wk + M * (1 + nd1);
        double *ac = wc, *bc = wc + M, *f = wc + M * (1 + nd1), *cd = f + pl.K;
        int64_t L = fn == SER_RECIP ? x.k[0] : 0;
        double a0 = fn == SER_RECIP ? x.c[0] : fn == LC_CUDA_LOG ? pl.s : 1.0;
        for (int64_t i = 0; i < pl.nd; i++) { /* δ (relative for recip and log) */
            kd[i] = x.k[pl.i0 + i] - L;
            cd[i] = a0 != 1.0 ? x.c[pl.i0 + i] / a0 : x.c[pl.i0 + i];
        }
        _lc_series_coeffs(pl.kind, pl.s, rexp, pl.K, f);
        n = _lc_row_series(f, pl.K, kd, cd, pl.nd, pl.pd, pl.T, M, ak, ac, bk, bc, k, c, p);
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
