/* SPDX-License-Identifier: MIT */
/* Fast paths of ngrad and of the small operations a function passed to it is
 * made of: building exact rows (x + v·ε, the reals x), abs, the
 * discontinuous primitives and the final (f(x + ε) − st f(x))/ε.
 *
 * The general paths build a wide copy (f64, i64) of every result and commit
 * it, with per-row views; on rows of one or two terms that costs ten times
 * the work itself. Here the result is written straight into the output's
 * storage, reused across calls, and ngrad's division by ε is an exponent
 * shift (k ↦ k − D) rather than a product with ε^-1. Every decision is the
 * raw layer's (<infnum/raw.h>, <infnum/raw_order.h>), so the results are
 * exactly those of the general path: the same terms, coefficients (no
 * rounding differs: the only arithmetic is c − s), exponents, bounds,
 * denominator and storage types. Anything unusual (f32 storage, an error to
 * report, an overflow, an alias) goes back to the general path.
 */
#include "ngrad_fast.h"
#include "infnum/raw_order.h"

#include <math.h>
#include <string.h>

/* Stores exponent k at term i of b (int32 or int64 storage). */
static inline void put_k(lc_batch *b, int64_t i, int64_t k)
{
    if (b->etype == LC_I64) ((int64_t *)b->exps)[i] = k;
    else ((int32_t *)b->exps)[i] = (int32_t)k;
}

/* 1 if k fits b's exponent type. */
static inline int k_fits(const lc_batch *b, int64_t k)
{
    return b->etype == LC_I64 || (k >= INT32_MIN && k <= INT32_MAX);
}

/* 1 if p (n doubles) lies inside b's coefficient storage. */
static int points_into(const lc_batch *b, const double *p)
{
    if (!p || !b->coeffs || b->ctype != LC_F64) return 0;
    const double *c = b->coeffs;
    return p >= c && p < c + b->cap;
}

/* Makes room in b for n rows and nnz terms; on failure b keeps its value
 * and *st holds func's LC_ENOMEM. */
static int room(lc_ctx *ctx, lc_batch *b, int64_t n, int64_t nnz, lc_status *st, const char *func)
{
    if (lc_batch_reserve(ctx, b, n, nnz) == LC_OK) return 1;
    *st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld rows, %lld terms)", (long long)n,
                  (long long)nnz);
    return 0;
}

/* ------------------------------------------------------------ exact rows */

int lc_fast_set_two(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x, const double *v,
                    double vdef, int64_t kv, int64_t den, lc_status *st, const char *func)
{
    if (n < 1 || n > INT64_MAX / 2 || b->ctype != LC_F64 || !k_fits(b, kv) || points_into(b, x) ||
        points_into(b, v))
        return 0;
    *st = LC_OK;
    if (!room(ctx, b, n, 2 * n, st, func)) return 1;
    int64_t m = 0, *rp = b->row_ptr, *bd = b->bound;
    double *c = b->coeffs;
    if (b->etype == LC_I32 && x && kv > 0) { /* x + v·ε and the reals x: branch-free */
        int32_t *k = b->exps, k1 = (int32_t)kv;
        if (v)
            for (int64_t i = 0; i < n; i++) {
                double a = x[i], d = v[i];
                k[m] = 0, c[m] = a, m += a != 0;
                k[m] = k1, c[m] = d, m += d != 0;
                rp[i + 1] = m;
            }
        else if (vdef == 0) /* the reals x */
            for (int64_t i = 0; i < n; i++) {
                double a = x[i];
                k[m] = 0, c[m] = a, m += a != 0;
                rp[i + 1] = m;
            }
        else
            for (int64_t i = 0; i < n; i++) {
                double a = x[i];
                k[m] = 0, c[m] = a, m += a != 0;
                k[m] = k1, c[m] = vdef, m++;
                rp[i + 1] = m;
            }
        for (int64_t i = 0; i < n; i++) bd[i] = LC_EXACT;
    } else {
        for (int64_t i = 0; i < n; i++) {
            double a = x ? x[i] : 0, d = v ? v[i] : vdef;
            if (kv > 0 && a != 0) put_k(b, m, 0), c[m++] = a;
            if (d != 0) put_k(b, m, kv), c[m++] = d;
            if (kv <= 0 && a != 0) put_k(b, m, 0), c[m++] = a;
            rp[i + 1] = m;
            bd[i] = LC_EXACT;
        }
    }
    rp[0] = 0;
    b->nrows = n;
    b->den = den;
    return 1;
}

/* ------------------------------------------------------------------- abs */

int lc_fast_abs(lc_ctx *ctx, lc_batch *out, const lc_batch *a, lc_status *st)
{
    const int64_t n = a->nrows;
    if (n < 1 || a->ctype != LC_F64 || out->ctype != LC_F64 ||
        (out->etype != a->etype && out->etype != LC_I64))
        return 0;
    const double *ca = a->coeffs;
    int undef = 0;
    for (int64_t r = 0; r < n; r++) /* every sign known (else the general path reports): as
                                     * _lc_row_sign, only an empty inexact row has none */
        undef |= (a->row_ptr[r + 1] == a->row_ptr[r]) & (a->bound[r] != LC_EXACT);
    if (undef) return 0;
    *st = LC_OK;
    if (out == a) { /* in place: only the signs change */
        double *c = out->coeffs;
        for (int64_t r = 0; r < n; r++) {
            int64_t s = a->row_ptr[r], e = a->row_ptr[r + 1];
            if (e > s && c[s] < 0)
                for (int64_t i = s; i < e; i++) c[i] = -c[i];
        }
        return 1;
    }
    const int64_t nnz = a->row_ptr[n];
    if (!room(ctx, out, n, nnz, st, "lc_abs")) return 1;
    double *c = out->coeffs;
    memcpy(out->row_ptr, a->row_ptr, (size_t)(n + 1) * sizeof *out->row_ptr);
    memcpy(out->bound, a->bound, (size_t)n * sizeof *out->bound);
    if (out->etype == a->etype && nnz > 0)
        memcpy(out->exps, a->exps, (size_t)nnz * (a->etype == LC_I64 ? 8 : 4));
    else
        for (int64_t i = 0; i < nnz; i++) put_k(out, i, lc_get_k(a, i));
    for (int64_t r = 0; r < n; r++) {
        int64_t s = a->row_ptr[r], e = a->row_ptr[r + 1];
        double g = e > s && ca[s] < 0 ? -1.0 : 1.0;
        for (int64_t i = s; i < e; i++) c[i] = g * ca[i];
    }
    out->nrows = n;
    out->den = a->den;
    return 1;
}

/* ------------------------------------------- step, sign, floor, ceil, round */

int lc_fast_disc(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int f, lc_status *st)
{
    const int64_t n = a->nrows;
    if (n < 1 || a->ctype != LC_F64 || (size_t)n > SIZE_MAX / sizeof(double)) return 0;
    double *v = lc_scratch(ctx, (size_t)n * sizeof *v);
    if (!v) return 0;
    const double h0 = ctx->h0 == LC_H0_ZERO ? 0.0 : ctx->h0 == LC_H0_HALF ? 0.5 : 1.0;
    const double *c = a->coeffs;
    const int64_t *rp = a->row_ptr;
    if (f == LC_DISC_STEP || f == LC_DISC_SIGN) { /* the sign of the leading term decides */
        const double pos = 1.0, neg = f == LC_DISC_STEP ? 0.0 : -1.0;
        const double zero = f == LC_DISC_STEP ? h0 : ctx->sign0 + 0.0;
        for (int64_t r = 0; r < n; r++) {
            int64_t s = rp[r];
            if (rp[r + 1] > s) v[r] = c[s] > 0 ? pos : neg;
            else if (a->bound[r] == LC_EXACT) v[r] = zero;
            else return 0; /* undecided: the general path reports it */
        }
        return lc_fast_set_two(ctx, out, n, v, NULL, 0, 1, out->den, st, f == LC_DISC_STEP ? "lc_step" : "lc_sign");
    }
    for (int64_t r = 0; r < n; r++) {
        int64_t s = rp[r], len = rp[r + 1] - s, k0 = len ? lc_get_k(a, s) : 0;
        if (f == LC_DISC_ROUND && a->bound[r] > 0 && k0 >= 0) { /* off a breakpoint: round(st) */
            double sv = len && k0 == 0 ? c[s] : 0.0;
            if (fabs(sv) < 0x1p51) { /* without a call or a branch on the point: adding and
                                      * subtracting 1.5·2^52 rounds to the nearest integer
                                      * t (exactly), and |sv − t| = 1/2 only at a tie */
                double t = (sv + 0x1.8p52) - 0x1.8p52;
                if (fabs(sv - t) != 0.5) {
                    v[r] = t + 0.0; /* no −0 */
                    continue;
                }
            } else if (fabs(sv) < 0x1p52) { /* a half-integer is possible: in integers */
                int64_t fl = (int64_t)sv;
                fl -= (double)fl > sv;
                double fr = sv - (double)fl; /* exact */
                if (fr != 0.5) {
                    v[r] = (double)(fl + (fr > 0.5)) + 0.0;
                    continue;
                }
            } else {
                v[r] = sv + 0.0; /* an integer already */
                continue;
            }
        }
        /* _lc_row_disc reads the first exponent only */
        if (_lc_row_disc(f, &k0, c ? c + s : NULL, len, a->bound[r], ctx->sign0, h0, (int)ctx->round_tie, &v[r]))
            return 0;
    }
    static const char *const names[] = {"lc_step", "lc_sign", "lc_floor", "lc_ceil", "lc_round"};
    return lc_fast_set_two(ctx, out, n, v, NULL, 0, 1, out->den, st, names[f]);
}

/* --------------------------------------------------- (y − s)/ε, a shift */

int lc_fast_div_eps(lc_ctx *ctx, lc_batch *out, const lc_batch *y, const double *s, int64_t ns,
                    int64_t sden, lc_status *st, const char *func)
{
    const int64_t n = y->nrows;
    int64_t D = lc_lcm_i64(y->den, sden);
    if (n < 1 || out == y || y->ctype != LC_F64 || out->ctype != LC_F64 || D == 0 ||
        (ns != n && ns != 1) || points_into(out, s))
        return 0;
    const int64_t m = D / y->den, nnz = y->row_ptr[n];
    /* Pass 1: every exponent and bound fits (else the general path reports). */
    if (m == 1) { /* p − D (D ≥ 1) overflows iff p < INT64_MIN + D, and is never LC_EXACT */
        int bad = 0;
        for (int64_t r = 0; r < n; r++) bad |= (y->bound[r] != LC_EXACT) & (y->bound[r] < INT64_MIN + D);
        if (bad) return 0;
    } else
        for (int64_t r = 0; r < n; r++) {
            int64_t p = y->bound[r], t;
            if (p != LC_EXACT && (!lc_mul_i64(p, m, &t) || !lc_add_i64(t, -D, &t) || t == LC_EXACT)) return 0;
        }
    int64_t kmin = 0, kmax = 0; /* 0 included: the ε⁰ term */
    if (y->etype == LC_I32) {
        const int32_t *ky = y->exps;
        int32_t lo = 0, hi = 0;
        for (int64_t i = 0; i < nnz; i++) lo = ky[i] < lo ? ky[i] : lo, hi = ky[i] > hi ? ky[i] : hi;
        kmin = lo, kmax = hi;
    } else
        for (int64_t i = 0; i < nnz; i++) {
            int64_t k = lc_get_k(y, i);
            kmin = k < kmin ? k : kmin, kmax = k > kmax ? k : kmax;
        }
    int64_t t0, t1;
    if (!lc_mul_i64(kmin, m, &t0) || !lc_add_i64(t0, -D, &t0) || !k_fits(out, t0) ||
        !lc_mul_i64(kmax, m, &t1) || !lc_add_i64(t1, -D, &t1) || !k_fits(out, t1) || nnz > INT64_MAX - n)
        return 0;
    *st = LC_OK;
    if (!room(ctx, out, n, nnz + n, st, func)) return 1;
    const double *cy = y->coeffs;
    double *co = out->coeffs;
    int64_t o = 0, n_done = 0;
    if (y->etype == LC_I32 && out->etype == LC_I32 && m == 1) { /* the common case */
        const int32_t *ky = y->exps;
        int32_t *ko = out->exps, d = (int32_t)D;
        for (int64_t r = 0; r < n; r++) {
            int64_t i = y->row_ptr[r], e = y->row_ptr[r + 1], p = y->bound[r];
            for (; i < e && ky[i] < 0; i++) ko[o] = ky[i] - d, co[o++] = cy[i];
            int has0 = i < e && ky[i] == 0;
            double c0 = (has0 ? cy[i] : 0.0) - s[ns == 1 ? 0 : r]; /* 0 − s = −s: no term when 0 */
            i += has0;
            ko[o] = -d, co[o] = c0, o += c0 != 0 && p > 0;
            for (; i < e; i++) ko[o] = ky[i] - d, co[o++] = cy[i];
            out->row_ptr[r + 1] = o;
            out->bound[r] = p == LC_EXACT ? LC_EXACT : p - D;
        }
        n_done = n;
    }
    for (int64_t r = n_done; r < n; r++) {
        int64_t i = y->row_ptr[r], e = y->row_ptr[r + 1], p = y->bound[r];
        int64_t pm = p == LC_EXACT ? LC_EXACT : p * m;
        double sr = s[ns == 1 ? 0 : r];
        for (; i < e && lc_get_k(y, i) < 0; i++) put_k(out, o, lc_get_k(y, i) * m - D), co[o++] = cy[i];
        double c0 = i < e && lc_get_k(y, i) == 0 ? cy[i++] - sr : -sr; /* the ε⁰ term */
        if (c0 != 0 && pm > 0) put_k(out, o, -D), co[o++] = c0;
        for (; i < e; i++) put_k(out, o, lc_get_k(y, i) * m - D), co[o++] = cy[i];
        out->row_ptr[r + 1] = o;
        out->bound[r] = pm == LC_EXACT ? LC_EXACT : pm - D;
    }
    out->row_ptr[0] = 0;
    out->nrows = n;
    out->den = D;
    return 1;
}
