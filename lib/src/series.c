/* SPDX-License-Identifier: MIT */
/* Series: reciprocal, rational and real powers, exp, log, sin, cos, tanh,
 * sigmoid, softplus.
 *
 * Two forms (docs/semantics.md, "Series"):
 *  - powers:   x = a ε^L (1 + δ)  ->  a^r ε^{rL} Σ C(r,j) δ^j   (recip: r = -1)
 *  - functions: x = s + δ          ->  Σ f^{(j)}(s)/j! δ^j       (log: log s + log(1 + δ/s))
 * δ is infinitesimal; the sum is truncated at T = L_res + N (N = depth·den,
 * L_res the result's leading exponent in the inner sum) with the product
 * bounds of <infnum/raw.h>, so the bound is min(T, what δ's bound allows).
 *
 * One driver: pass 1 (sequential) classifies every row, reports domain
 * errors and sizes the result; pass 2 (OpenMP) evaluates the rows into the
 * wide result (_lc_row_series_eval: exp, sin, cos, log and powers by the
 * recurrence of their differential equation, tanh, sigmoid and softplus by
 * Horner), then commits.
 */
#include "internal.h"
#include "infnum/raw_series.h"

#include <math.h>

enum { F_EXP, F_LOG, F_SIN, F_COS, F_TANH, F_SIGMOID, F_SOFTPLUS, F_POW };
static const int fser[] = {LC_SER_EXP,  LC_SER_LOG1P,   LC_SER_SIN,      LC_SER_COS,
                           LC_SER_TANH, LC_SER_SIGMOID, LC_SER_SOFTPLUS, LC_SER_BINOM};

/* A prepared row: the argument row, its plan (<infnum/raw_series.h>) and δ. */
typedef struct prep {
    lc_rowv x;        /* the argument row */
    lc_ser_plan pl;
    int64_t *dk;      /* δ */
    double *dc;
} prep;

typedef struct serenv {
    const lc_batch *a;
    int f;
    double r;          /* F_POW: exponent                                 */
    int64_t rp, rq;    /* F_POW: exact r = rp/rq when rq > 0; rq = 0: real r, L must be 0 */
    int64_t mul, N;    /* exponent multiplier to the result den; depth·den */
    int64_t work_max;  /* ctx->series_work_max                            */
    const char *func;
    lc_batch *w;
    int64_t *cnt;
    int64_t lmax, kmax, mmax, bmax; /* per-thread scratch sizes       */
    int64_t per;       /* per-thread stride: 2·lmax + mmax + bmax + kmax  */
    /* ks (int64): view, δ; cs (double): view, δ, acc, acc', coefficients */
    int64_t *ks;
    double *cs;
} serenv;

/* Views row r of e->a (in kb/cb), plans it and writes δ into dk/dc.
 * Returns LC_OK or a status (the caller writes the message via why). */
static lc_status prep_row(const serenv *e, int64_t r, int64_t *kb, double *cb, int64_t *dk,
                          double *dc, prep *P, const char **why)
{
    lc_rowv *x = &P->x;
    if (lc_row_view(e->a, r, e->mul, kb, cb, x)) { *why = "an exponent overflows"; return LC_EOVERFLOW; }
    P->dk = dk;
    P->dc = dc;
    const lc_ser_plan *pl = &P->pl;
    lc_status st = _lc_ser_plan(fser[e->f], x->k, x->c, x->n, x->p, e->r, e->rp, e->rq, e->N, &P->pl);
    *why = pl->why;
    if (st != LC_OK || pl->mode != LC_PLAN_SERIES) return st;
    _lc_ser_delta(pl, x->k, x->c, dk, dc);
    /* the cost before any work: K Horner steps over M slots, each with the
     * terms of δ below T; never refused below LC_SERIES_WORK_FLOOR (the rows
     * of the fast paths cost less, so both paths give one status) */
    int64_t nt = _lc_row_truncate(dk, pl->nd, pl->T);
    double work = (double)pl->K * (double)pl->M * (double)(nt > 1 ? nt : 1);
    if (e->work_max > 0 && work > (double)e->work_max && work > (double)LC_SERIES_WORK_FLOOR) {
        *why = "the series would cost more than ctx->series_work_max multiply-adds (denominator too fine)";
        return LC_ELIMIT;
    }
    return LC_OK;
}

/* Evaluates prepared row r into the wide result. */
static lc_status ser_row(void *env_, int64_t r, int tid)
{
    serenv *e = env_;
    int64_t *ks = e->ks + (int64_t)tid * e->per;
    double *cs = e->cs + (int64_t)tid * e->per;
    prep P;
    const char *why;
    lc_status st = prep_row(e, r, ks, cs, ks + e->lmax, cs + e->lmax, &P, &why);
    if (st != LC_OK) return st;
    const lc_ser_plan *pl = &P.pl;
    int64_t off = e->w->row_ptr[r], *ko = e->w->exps ? (int64_t *)e->w->exps + off : NULL, m;
    double *co = e->w->coeffs ? (double *)e->w->coeffs + off : NULL; /* NULL: no term anywhere */
    if (pl->mode == LC_PLAN_CONST) {
        m = pl->cval != 0;
        if (m) { ko[0] = 0; co[0] = pl->cval; }
        e->w->bound[r] = LC_EXACT;
    } else if (pl->mode == LC_PLAN_COPY) {
        for (m = 0; m < P.x.n; m++) { ko[m] = P.x.k[m]; co[m] = P.x.c[m]; }
        e->w->bound[r] = P.x.p;
    } else {
        double *ac = cs + 2 * e->lmax, *bc = ac + e->mmax, *fk = bc + e->bmax;
        _lc_series_coeffs(fser[e->f], pl->s, e->r, pl->K, fk);
        m = _lc_row_series_eval(fser[e->f], fk, pl->K, e->r, P.dk, P.dc, pl->nd, pl->pd, pl->T, pl->M, ac, bc, ko,
                                co, &e->w->bound[r]);
        if (m < 0) return m == -1 ? LC_EOVERFLOW : LC_ENOMEM;
        if (pl->mulc != 1) m = _lc_row_scale(ko, co, m, pl->mulc, ko, co);
        if (pl->shift != 0) {
            if (_lc_row_shift(ko, m, pl->shift, ko) < 0 ||
                !_lc_bound_add(e->w->bound[r], pl->shift, &e->w->bound[r]))
                return LC_EOVERFLOW;
        }
        if (pl->addc != 0) { /* log s at ε⁰, before the (positive) terms of log(1+δ/s) */
            for (int64_t i = m; i > 0; i--) { ko[i] = ko[i - 1]; co[i] = co[i - 1]; }
            ko[0] = 0;
            co[0] = pl->addc;
            m++;
        }
    }
    e->cnt[r] = m;
    return LC_OK;
}

/* Applies f (with r, rp/rq for F_POW) to every row of a into out, on the
 * result denominator a->den·mul. */
static lc_status series_general(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int f, double r,
                                int64_t rp, int64_t rq, int64_t mul, const char *func)
{
    if (!ctx || !out || !a) return lc_fail(ctx, LC_EINVAL, func, "NULL argument");
    if (ctx->depth < 1) return lc_fail(ctx, LC_EINVAL, func, "depth %d < 1", (int)ctx->depth);
    if (ctx->depth > LC_DEPTH_MAX)
        return lc_fail(ctx, LC_ELIMIT, func, "depth %d > LC_DEPTH_MAX (%d)", (int)ctx->depth, LC_DEPTH_MAX);
    serenv e = {a, f, r, rp, rq, mul, 0, ctx->series_work_max, func, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL};
    int64_t den, total = 0, bad = 0;
    if (!lc_mul_i64(a->den, mul, &den) || !lc_mul_i64(ctx->depth, den, &e.N))
        return lc_fail(ctx, LC_EOVERFLOW, func, "denominator %lld·%lld overflows", (long long)a->den,
                       (long long)mul);
    e.lmax = lc_batch_maxlen(a) + 1;
    lc_batch w;
    lc_status st = lc_wide_alloc(ctx, &w, a->nrows, 0, den, func);
    if (st != LC_OK) return st;
    e.w = &w;
    /* Pass 1: classify (errors in row order), size. */
    int64_t *kb = lc_malloc(ctx, (size_t)(2 * e.lmax), sizeof(int64_t));
    double *cb = lc_malloc(ctx, (size_t)(2 * e.lmax), sizeof(double));
    if (!kb || !cb) { st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (scratch)"); goto done; }
    for (int64_t i = 0; i < a->nrows; i++) {
        prep P;
        const char *why = "";
        st = prep_row(&e, i, kb, cb, kb + e.lmax, cb + e.lmax, &P, &why);
        if (st != LC_OK) { st = lc_fail(ctx, st, func, "row %lld: %s", (long long)i, why); goto done; }
        int64_t m = P.pl.mode == LC_PLAN_COPY ? P.x.n : P.pl.M;
        if (P.pl.mode == LC_PLAN_SERIES) {
            if (P.pl.M > e.mmax) e.mmax = P.pl.M;
            if (P.pl.K > e.kmax) e.kmax = P.pl.K;
        }
        w.row_ptr[i] = total;
        if (!lc_add_i64(total, m, &total)) total = INT64_MAX;
    }
    e.bmax = e.mmax; /* dense Horner: two accumulators of M slots */
    e.kmax += 3;
    int nt = lc_nthreads(ctx);
    e.per = 2 * e.lmax + e.mmax + e.bmax + e.kmax;
    size_t per = (size_t)e.per;
    if (lc_batch_reserve(ctx, &w, a->nrows, total) != LC_OK) {
        st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld terms)", (long long)total);
        goto done;
    }
    e.cnt = lc_malloc(ctx, (size_t)a->nrows + 1, sizeof(int64_t));
    e.ks = lc_malloc(ctx, per * (size_t)nt, sizeof(int64_t));
    e.cs = lc_malloc(ctx, per * (size_t)nt, sizeof(double));
    if (!e.cnt || !e.ks || !e.cs) { st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (scratch)"); goto done; }
    if ((st = lc_rows_run(ctx, a->nrows, ser_row, &e, &bad)) != LC_OK) {
        st = lc_fail(ctx, st, func, "row %lld: %s", (long long)bad,
                     st == LC_EOVERFLOW ? "an exponent or bound overflows int64" : "internal capacity exceeded");
        goto done;
    }
    lc_wide_compact(&w, w.row_ptr, e.cnt);
    st = lc_batch_commit(ctx, out, &w, func);
done:
    lc_free(ctx, kb);
    lc_free(ctx, cb);
    lc_free(ctx, e.cnt);
    lc_free(ctx, e.ks);
    lc_free(ctx, e.cs);
    lc_batch_clear(ctx, &w);
    return st;
}

/* series_general, after the fast path (fastpath.c) for exp, sin, cos and 1/a. */
static lc_status series_op(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int f, double r,
                           int64_t rp, int64_t rq, int64_t mul, const char *func)
{
    int kind = f == F_EXP ? LC_FAST_EXP : f == F_SIN ? LC_FAST_SIN : f == F_COS ? LC_FAST_COS
             : f == F_POW && rp == -1 && rq == 1 && mul == 1 ? LC_FAST_RECIP : -1;
    lc_status st;
    if (kind >= 0 && ctx && out && a && lc_fast_op(ctx, out, a, NULL, kind, 1, &st, func)) return st;
    return series_general(ctx, out, a, f, r, rp, rq, mul, func);
}

lc_status lc_general_series(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int kind)
{
    static const int f[] = {[LC_FAST_EXP] = F_EXP, [LC_FAST_SIN] = F_SIN, [LC_FAST_COS] = F_COS,
                            [LC_FAST_RECIP] = F_POW};
    if (kind < LC_FAST_EXP || kind > LC_FAST_RECIP) return lc_fail(ctx, LC_EINVAL, __func__, "kind %d", kind);
    int pow = kind == LC_FAST_RECIP;
    return series_general(ctx, out, a, f[kind], pow ? -1 : 0, pow ? -1 : 0, pow, 1, __func__);
}

lc_status lc_exp(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_EXP, 0, 0, 0, 1, __func__); }
lc_status lc_log(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_LOG, 0, 0, 0, 1, __func__); }
lc_status lc_sin(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_SIN, 0, 0, 0, 1, __func__); }
lc_status lc_cos(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_COS, 0, 0, 0, 1, __func__); }
lc_status lc_tanh(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_TANH, 0, 0, 0, 1, __func__); }
lc_status lc_sigmoid(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_SIGMOID, 0, 0, 0, 1, __func__); }
lc_status lc_softplus(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return series_op(ctx, out, a, F_SOFTPLUS, 0, 0, 0, 1, __func__); }

/* 1/a = a⁻¹ ε^{-L} Σ (-δ)^j. */
lc_status lc_recip(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return series_op(ctx, out, a, F_POW, -1, -1, 1, 1, __func__);
}

/* a^(p/q): the denominator grows by m = q/gcd(q, every leading exponent) so
 * that rL is on the grid. Integer powers (q = 1) are exact: lc_pow_si. */
lc_status lc_pow_q(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int64_t p, int64_t q)
{
    if (!ctx || !out || !a || q < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments (q = %lld)", (long long)q);
    int64_t g = lc_gcd_i64(p, q), gl = 0;
    p /= g ? g : 1;
    q /= g ? g : 1;
    for (int64_t r = 0; r < a->nrows; r++) {
        if (lc_row_len(a, r) == 0) {
            if (a->bound[r] != LC_EXACT)
                return lc_fail(ctx, LC_EUNDEF, __func__, "row %lld: the argument is an unknown quantity O(eps^p)", (long long)r);
            if (p <= 0)
                return lc_fail(ctx, p < 0 ? LC_EDIVZERO : LC_EDOMAIN, __func__, "row %lld: 0^(%lld/%lld)",
                               (long long)r, (long long)p, (long long)q);
            continue;
        }
        gl = lc_gcd_i64(gl, lc_get_k(a, a->row_ptr[r]));
    }
    if (q == 1) return lc_pow_si(ctx, out, a, p);
    int64_t m = q / lc_gcd_i64(q, gl);
    return series_op(ctx, out, a, F_POW, (double)p / (double)q, p, q, m, __func__);
}

lc_status lc_sqrt(lc_ctx *ctx, lc_batch *out, const lc_batch *a) { return lc_pow_q(ctx, out, a, 1, 2); }

/* a^r, r real: integers and dyadic r = m/2^j (j ≤ 30) go through lc_pow_q;
 * any other r needs every leading exponent to be 0. */
lc_status lc_pow(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double r)
{
    if (!isfinite(r)) return lc_fail(ctx, LC_EINVAL, __func__, "exponent %g is not finite", r);
    for (int j = 0; j <= 30; j++) {
        double m = ldexp(r, j);
        if (m == floor(m) && fabs(m) < 0x1p62) return lc_pow_q(ctx, out, a, (int64_t)m, (int64_t)1 << j);
    }
    return series_op(ctx, out, a, F_POW, r, 0, 0, 1, __func__);
}
