/* SPDX-License-Identifier: MIT */
/* Non-standard derivatives: f is evaluated on Levi-Civita numbers x ± ε, as
 * one batch, and the derivative is read off the coefficients of the result.
 * Temporaries are LC_F64 / LC_I32 batches (f sees double coefficients). f may
 * use ctx and its scratch freely: nothing here lives in the scratch.
 */
#include "internal.h"
#include "ngrad_fast.h"

#include <string.h>

/* Fails as fn with "what (STATUS): " before the message already in ctx->err
 * (the error of f, or of a step on f's result). */
static lc_status wrap(lc_ctx *ctx, const char *fn, lc_status st, const char *what)
{
    char msg[LC_ERRMSG_LEN];
    memcpy(msg, ctx->err, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    return lc_fail(ctx, st, fn, "%s (%s)%s%s", what, lc_status_str(st), msg[0] ? ": " : "", msg);
}

/* Checks f's status and row count after a call (ctx->err was cleared before). */
static lc_status f_check(lc_ctx *ctx, const char *fn, lc_status st, int64_t got, int64_t want)
{
    if (st) return wrap(ctx, fn, st, "f failed");
    if (got != want)
        return lc_fail(ctx, LC_ESHAPE, fn, "f returned %lld rows for %lld inputs", (long long)got,
                       (long long)want);
    return LC_OK;
}

/* y = f(x), with f's failure and row count checked. */
static lc_status f_call(lc_ctx *ctx, const char *fn, lc_fn f, void *data, lc_batch *y, const lc_batch *x)
{
    ctx->err[0] = '\0';
    lc_status st = f(ctx, y, x, data);
    return f_check(ctx, fn, st, y->nrows, x->nrows);
}

/* Checks the common arguments: n ≥ 0 points, f and the outputs given (the
 * points' finiteness is checked where they become a batch). */
static lc_status check_points(lc_ctx *ctx, const char *fn, int ok, const double *x, int64_t n)
{
    if (!ok || n < 0 || (n && !x)) return lc_fail(ctx, LC_EINVAL, fn, "NULL argument or n < 0");
    return LC_OK;
}

/* out = (y − s)/ε with s the per-row reals in yr's standard parts (yr may be
 * one row, broadcast); yr is overwritten. */
static lc_status div_eps(lc_ctx *ctx, const char *fn, lc_batch *out, lc_batch *y, lc_batch *yr,
                         double *s)
{
    lc_status st = lc_batch_std(ctx, yr, s);
    if (st) return wrap(ctx, fn, st, "f(x) has no standard part");
    if (lc_fast_div_eps(ctx, out, y, s, yr->nrows, yr->den, &st, fn)) return st; /* a shift */
    st = lc_batch_set_real(ctx, yr, yr->nrows, s);
    if (!st) st = lc_sub(ctx, y, y, yr);
    if (!st) st = lc_batch_set_monomial(ctx, yr, 1, 1.0, -1, 1);
    if (!st) st = lc_mul(ctx, out, y, yr);
    return st;
}

/* out row i = (f(x[i] + ε) − st f(x[i])) / ε for n points: f is called once
 * on the batch x + ε and once on the exact reals x. The ε⁰ coefficient is the
 * right derivative; an ε⁻¹ coefficient c is the jump f(x⁺) − f(x). Errors of f
 * propagate; an infinite or undefined f(x) is LC_EDOMAIN / LC_EUNDEF. */
lc_status lc_ngrad(lc_ctx *ctx, lc_batch *out, lc_fn f, void *data, const double *x, int64_t n)
{
    if (!ctx) return LC_EINVAL;
    lc_status st = check_points(ctx, __func__, out && f, x, n);
    if (st) return st;
    lc_batch own[3], *t = own;
    lc_spare *sp = lc_spare_of(ctx);
    double *s = NULL;
    int kept = sp && !sp->ng_busy; /* the context's temporaries, else this call's own */
    if (kept) {
        sp->ng_busy = 1;
        t = sp->ng;
        if (sp->scap < n + 1) {
            lc_free(ctx, sp->s);
            sp->scap = (sp->s = lc_malloc(ctx, (size_t)n + 1, sizeof *s)) ? n + 1 : 0;
        }
        s = sp->s;
    } else {
        s = lc_malloc(ctx, (size_t)n + 1, sizeof *s);
    }
    for (int i = 0; i < 3; i++) /* f64/i32, whatever f left there */
        if (!kept || t[i].ctype != LC_F64 || t[i].etype != LC_I32) {
            if (kept) lc_batch_clear(ctx, &t[i]);
            lc_batch_init(&t[i], LC_F64, LC_I32);
        }
    lc_batch *xb = &t[0], *y = &t[1], *yr = &t[2];
    if (!s) st = lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    if (!st) st = lc_batch_from_real(ctx, xb, n, x, NULL);
    if (!st) st = f_call(ctx, __func__, f, data, y, xb);
    if (!st) st = lc_batch_set_real(ctx, xb, n, x);
    if (!st) st = f_call(ctx, __func__, f, data, yr, xb);
    if (!st) st = div_eps(ctx, __func__, out, y, yr, s);
    if (kept) {
        sp->ng_busy = 0;
    } else {
        lc_free(ctx, s);
        for (int i = 0; i < 3; i++) lc_batch_clear(ctx, &t[i]);
    }
    return st;
}

/* Gradient of f: ℝⁿ → ℝ at x by forward mode. Variable i is the batch of
 * nvars rows whose row j is x[i] + ε·[i == j]: f is called once on these
 * nvars directions and once on the exact point (one row each). out row j =
 * (f(x + ε e_j) − st f(x)) / ε; grad[j] (if not NULL) = its ε⁰ coefficient. */
lc_status lc_ngrad_vec(lc_ctx *ctx, lc_batch *out, double *grad, lc_fn_vec f, void *data,
                       const double *x, int64_t nvars)
{
    if (!ctx) return LC_EINVAL;
    lc_status st = check_points(ctx, __func__, out && f && nvars >= 1, x, nvars);
    if (st) return st;
    lc_batch y, yr, *xb = lc_malloc(ctx, (size_t)nvars, 2 * sizeof *xb);
    double *w = lc_malloc(ctx, (size_t)nvars, 2 * sizeof *w), *v = w ? w + nvars : NULL;
    lc_batch_init(&y, LC_F64, LC_I32);
    lc_batch_init(&yr, LC_F64, LC_I32);
    if (!xb || !w) {
        lc_free(ctx, xb);
        lc_free(ctx, w);
        return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    }
    for (int64_t i = 0; i < 2 * nvars; i++) lc_batch_init(&xb[i], LC_F64, LC_I32);
    for (int64_t i = 0; i < nvars && !st; i++) { /* xb[i]: directions, xb[nvars + i]: the point */
        for (int64_t j = 0; j < nvars; j++) w[j] = x[i], v[j] = i == j;
        st = lc_batch_from_real(ctx, &xb[i], nvars, w, v);
        if (!st) st = lc_batch_set_real(ctx, &xb[nvars + i], 1, &x[i]);
    }
    for (int pass = 0; pass < 2 && !st; pass++) { /* the directions, then the point */
        lc_batch *y_pass = pass ? &yr : &y;
        ctx->err[0] = '\0';
        st = f(ctx, y_pass, xb + pass * nvars, nvars, data);
        st = f_check(ctx, __func__, st, y_pass->nrows, pass ? 1 : nvars);
    }
    if (!st) st = div_eps(ctx, __func__, out, &y, &yr, w);
    if (!st && grad) st = lc_batch_coeff(ctx, out, 0, 1, grad);
    for (int64_t i = 0; i < 2 * nvars; i++) lc_batch_clear(ctx, &xb[i]);
    lc_batch_clear(ctx, &y);
    lc_batch_clear(ctx, &yr);
    lc_free(ctx, xb);
    lc_free(ctx, w);
    return st;
}

/* out[i] = k!·[ε^k] f(x[i] + ε), the k-th derivative of a smooth f, for n
 * points in one call of f. k < ctx->depth (LC_EINVAL otherwise); LC_EUNDEF
 * if f's result is not known to order k. */
lc_status lc_nderiv(lc_ctx *ctx, double *out, lc_fn f, void *data, const double *x, int64_t n, int k)
{
    if (!ctx) return LC_EINVAL;
    lc_status st = check_points(ctx, __func__, f && (out || !n), x, n);
    if (st) return st;
    if (k < 0 || k >= ctx->depth)
        return lc_fail(ctx, LC_EINVAL, __func__, "order k = %d needs 0 <= k < ctx->depth = %d", k,
                       (int)ctx->depth);
    lc_batch xb, y;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    st = lc_batch_from_real(ctx, &xb, n, x, NULL);
    if (!st) st = f_call(ctx, __func__, f, data, &y, &xb);
    if (!st) st = lc_batch_coeff(ctx, &y, k, 1, out);
    double kfact = 1.0;
    for (int j = 2; j <= k; j++) kfact *= j;
    for (int64_t i = 0; i < n && !st; i++) out[i] *= kfact;
    lc_batch_clear(ctx, &xb);
    lc_batch_clear(ctx, &y);
    return st;
}

/* Two-sided decoding at n points from L± = f(x ± ε), one batch of 2n rows:
 * mass[i] = st L⁺ − st L⁻ (the point mass at x), regular[i] = ε¹ coefficient
 * of (L⁺ − L⁻)/2 (the mean of the one-sided derivatives). Either output may
 * be NULL. LC_EDOMAIN / LC_EUNDEF if some L± is infinite or undefined. */
lc_status lc_ngrad_decode(lc_ctx *ctx, double *regular, double *mass, lc_fn f, void *data,
                          const double *x, int64_t n)
{
    if (!ctx) return LC_EINVAL;
    lc_status st = check_points(ctx, __func__, f != NULL, x, n);
    if (st || n == 0) return st;
    double *w = lc_malloc(ctx, (size_t)n, 8 * sizeof *w); /* x, v, st, c1: 2n each */
    if (!w) return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    double *xs = w, *v = w + 2 * n, *s = w + 4 * n, *c1 = w + 6 * n;
    lc_batch xb, y;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    for (int64_t i = 0; i < n; i++) {
        xs[i] = xs[n + i] = x[i];
        v[i] = 1.0;
        v[n + i] = -1.0;
    }
    st = lc_batch_from_real(ctx, &xb, 2 * n, xs, v);
    if (!st) st = f_call(ctx, __func__, f, data, &y, &xb);
    if (!st && (st = lc_batch_std(ctx, &y, s)))
        st = wrap(ctx, __func__, st, "f(x +- eps) has no standard part");
    if (!st) st = lc_batch_coeff(ctx, &y, 1, 1, c1);
    for (int64_t i = 0; i < n && !st; i++) {
        if (mass) mass[i] = s[i] - s[n + i];
        if (regular) regular[i] = 0.5 * (c1[i] - c1[n + i]);
    }
    lc_batch_clear(ctx, &xb);
    lc_batch_clear(ctx, &y);
    lc_free(ctx, w);
    return st;
}
