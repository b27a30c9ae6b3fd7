/* SPDX-License-Identifier: MIT */
/* First-order forward mode over P directions (infnum/first.h): the numbers
 * a + b_j ε + O(ε²), j < P, with their shared standard part a stored once.
 *
 * Each operation computes the standard part, then one pass over the P
 * ε coefficients into out's spare array, with a finiteness probe summed
 * along (v·0 is 0 for a finite v, NaN otherwise: no branch in the loop), and
 * swaps the spare in only on success — so out may alias an input and is
 * unchanged on failure. The formulas are the first-order truncations of
 * the general path's (arith.c, series.c): (xa + x_j ε)(ya + y_j ε) =
 * xa·ya + (xa·y_j + ya·x_j) ε, f(a + b ε) = f(a) + f'(a)·b ε.
 */
#include "infnum/first.h"
#include "infnum/ext.h"

#include <math.h>
#include <string.h>

/* The loops over P: no dependence between iterations (out's spare never is
 * an input's b), and the probe's sum may be reassociated (it is 0 or NaN
 * whatever the order), so they vectorise. */
#ifdef _OPENMP
#define FO_SIMD _Pragma("omp simd reduction(+ : probe)")
#else
#define FO_SIMD
#endif

void lc_fo_init(lc_fo *x) { memset(x, 0, sizeof *x); }

void lc_fo_clear(lc_ctx *ctx, lc_fo *x)
{
    if (!x) return;
    lc_free(ctx, x->b);
    lc_free(ctx, x->spare);
    lc_fo_init(x);
}

/* Room for P directions in x (b and spare); x keeps its value on failure. */
static lc_status room(lc_ctx *ctx, lc_fo *x, int64_t P, const char *func)
{
    if (P <= x->cap) return LC_OK;
    double *b = lc_realloc(ctx, x->b, (size_t)P, sizeof *b);
    if (b) x->b = b;
    double *s = b ? lc_realloc(ctx, x->spare, (size_t)P, sizeof *s) : NULL;
    if (!s) return lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld directions)", (long long)P);
    x->spare = s;
    x->cap = P;
    return LC_OK;
}

/* Checks out and x (and y when binary) and makes room in out. */
static lc_status begin(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y, const char *func)
{
    if (!ctx) return LC_EINVAL;
    if (!out || !x) return lc_fail(ctx, LC_EINVAL, func, "NULL argument");
    if (x->P < 1) return lc_fail(ctx, LC_EINVAL, func, "empty operand (P = 0)");
    if (y && y->P != x->P)
        return lc_fail(ctx, LC_ESHAPE, func, "%lld and %lld directions", (long long)x->P, (long long)y->P);
    return room(ctx, out, x->P, func);
}

/* Swaps the computed spare in unless a or the probe (some coefficient) is
 * not finite. */
static lc_status finish(lc_ctx *ctx, lc_fo *out, int64_t P, double a, double probe, const char *func)
{
    if (!isfinite(a) || probe != 0)
        return lc_fail(ctx, LC_EOVERFLOW, func, "a coefficient is not finite");
    double *t = out->b;
    out->b = out->spare;
    out->spare = t;
    out->a = a;
    out->P = P;
    return LC_OK;
}

lc_status lc_fo_set(lc_ctx *ctx, lc_fo *x, int64_t P, double a, const double *b)
{
    if (!ctx) return LC_EINVAL;
    if (!x || P < 1) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or P < 1");
    lc_status st = room(ctx, x, P, __func__);
    if (st) return st;
    double probe = 0, *o = x->spare;
    FO_SIMD
    for (int64_t j = 0; j < P; j++) o[j] = b ? b[j] : 0.0, probe += o[j] * 0.0;
    if (!isfinite(a) || probe != 0) return lc_fail(ctx, LC_EINVAL, __func__, "a value is not finite");
    return finish(ctx, x, P, a, 0, __func__);
}

lc_status lc_fo_seed(lc_ctx *ctx, lc_fo *x, int64_t P, double a, int64_t j)
{
    if (!ctx) return LC_EINVAL;
    if (!x || P < 1 || j < 0 || j >= P || !isfinite(a))
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments (P %lld, direction %lld)", (long long)P,
                       (long long)j);
    lc_status st = room(ctx, x, P, __func__);
    if (st) return st;
    memset(x->spare, 0, (size_t)P * sizeof *x->spare);
    x->spare[j] = 1.0;
    return finish(ctx, x, P, a, 0, __func__);
}

/* out = sx·x + sy·y (y NULL: sx·x), standard part a. */
static lc_status lincomb(lc_ctx *ctx, lc_fo *out, const lc_fo *x, double sx, const lc_fo *y, double sy,
                         double a, const char *func)
{
    const int64_t P = x->P;
    const double *xb = x->b, *yb = y ? y->b : NULL;
    double *o = out->spare, probe = 0;
    if (yb)
        FO_SIMD
        for (int64_t j = 0; j < P; j++) o[j] = sx * xb[j] + sy * yb[j], probe += o[j] * 0.0;
    else
        FO_SIMD
        for (int64_t j = 0; j < P; j++) o[j] = sx * xb[j], probe += o[j] * 0.0;
    return finish(ctx, out, P, a, probe, func);
}

lc_status lc_fo_add(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y)
{
    lc_status st = begin(ctx, out, x, y, __func__);
    if (st || (st = y ? LC_OK : lc_fail(ctx, LC_EINVAL, __func__, "NULL argument"))) return st;
    return lincomb(ctx, out, x, 1.0, y, 1.0, x->a + y->a, __func__); /* ±1 scales exactly */
}

lc_status lc_fo_sub(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y)
{
    lc_status st = begin(ctx, out, x, y, __func__);
    if (st || (st = y ? LC_OK : lc_fail(ctx, LC_EINVAL, __func__, "NULL argument"))) return st;
    return lincomb(ctx, out, x, 1.0, y, -1.0, x->a - y->a, __func__); /* ±1 scales exactly */
}

lc_status lc_fo_mul(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y)
{
    lc_status st = begin(ctx, out, x, y, __func__);
    if (st || (st = y ? LC_OK : lc_fail(ctx, LC_EINVAL, __func__, "NULL argument"))) return st;
    return lincomb(ctx, out, y, x->a, x, y->a, x->a * y->a, __func__);
}

lc_status lc_fo_div(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y)
{
    lc_status st = begin(ctx, out, x, y, __func__);
    if (st || (st = y ? LC_OK : lc_fail(ctx, LC_EINVAL, __func__, "NULL argument"))) return st;
    if (y->a == 0)
        return lc_fail(ctx, LC_EDIVZERO, __func__, "the divisor's standard part is 0 (not first order)");
    const double r = 1.0 / y->a, q = x->a * r; /* (x_j − q·y_j)/ya = x_j·r − q·r·y_j */
    return lincomb(ctx, out, x, r, y, -q * r, q, __func__);
}

lc_status lc_fo_affine(lc_ctx *ctx, lc_fo *out, const lc_fo *x, double s, double t)
{
    lc_status st = begin(ctx, out, x, NULL, __func__);
    if (st) return st;
    if (!isfinite(s) || !isfinite(t)) return lc_fail(ctx, LC_EINVAL, __func__, "s or t is not finite");
    return lincomb(ctx, out, x, s, NULL, 0, s * x->a + t, __func__);
}

lc_status lc_fo_abs(lc_ctx *ctx, lc_fo *out, const lc_fo *x)
{
    lc_status st = begin(ctx, out, x, NULL, __func__);
    if (st) return st;
    if (x->a != 0) return lincomb(ctx, out, x, x->a < 0 ? -1.0 : 1.0, NULL, 0, fabs(x->a), __func__);
    const int64_t P = x->P;
    const double *xb = x->b;
    double *o = out->spare, probe = 0;
    int64_t zeros = 0;
    for (int64_t j = 0; j < P; j++) o[j] = fabs(xb[j]), zeros += xb[j] == 0;
    if (zeros)
        return lc_fail(ctx, LC_EUNDEF, __func__, "%lld rows are O(ε²): their sign is unknown",
                       (long long)zeros);
    return finish(ctx, out, P, 0.0, probe, __func__);
}

/* f(a) + d·b_j ε with d = f'(a). */
static lc_status chain(lc_ctx *ctx, lc_fo *out, const lc_fo *x, double fa, double d, const char *func)
{
    lc_status st = begin(ctx, out, x, NULL, func);
    return st ? st : lincomb(ctx, out, x, d, NULL, 0, fa, func);
}

lc_status lc_fo_exp(lc_ctx *ctx, lc_fo *out, const lc_fo *x)
{
    double e = x ? exp(x->a) : 0;
    return chain(ctx, out, x, e, e, __func__);
}

lc_status lc_fo_sin(lc_ctx *ctx, lc_fo *out, const lc_fo *x)
{
    return chain(ctx, out, x, x ? sin(x->a) : 0, x ? cos(x->a) : 0, __func__);
}

lc_status lc_fo_cos(lc_ctx *ctx, lc_fo *out, const lc_fo *x)
{
    return chain(ctx, out, x, x ? cos(x->a) : 0, x ? -sin(x->a) : 0, __func__);
}

lc_status lc_fo_tanh(lc_ctx *ctx, lc_fo *out, const lc_fo *x)
{
    double t = x ? tanh(x->a) : 0;
    return chain(ctx, out, x, t, 1.0 - t * t, __func__);
}

lc_status lc_fo_to_batch(lc_ctx *ctx, lc_batch *out, const lc_fo *x)
{
    if (!ctx) return LC_EINVAL;
    if (!out || !x || x->P < 1) return lc_fail(ctx, LC_EINVAL, __func__, "NULL or empty argument");
    const int64_t P = x->P;
    int64_t *rp = lc_malloc(ctx, (size_t)(4 * P + 1), sizeof *rp), *k = rp + P + 1, *bound = k + 2 * P;
    double *c = lc_malloc(ctx, (size_t)(2 * P), sizeof *c);
    lc_status st = LC_OK;
    if (!rp || !c) st = lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    for (int64_t j = 0, m = 0; j < P && !st; j++) {
        if (j == 0) rp[0] = 0;
        if (x->a != 0) k[m] = 0, c[m++] = x->a;
        if (x->b[j] != 0) k[m] = 1, c[m++] = x->b[j];
        rp[j + 1] = m;
        bound[j] = 2;
    }
    if (!st) st = lc_batch_from_csr(ctx, out, P, rp, k, c, bound, 1);
    lc_free(ctx, rp);
    lc_free(ctx, c);
    return st;
}
