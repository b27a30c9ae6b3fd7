/* SPDX-License-Identifier: MIT */
/* Fuzz target: the arithmetic fast paths against the general paths.
 * Two batches are built from the input (valid by construction, on small
 * exponent grids so that the fast paths take them, with extremes mixed in:
 * exponents near INT64_MIN / INT64_MAX, coefficients that overflow, fine
 * denominators); then add, sub, mul, exp, sin, cos and 1/x run through
 * lc_fast_op and through the general path. Whenever the fast path handles
 * a call its status must be the general path's and its result the same
 * batch (exponents and bounds equal, coefficients within rounding), the
 * public call must give that status too, and a failed call must leave its
 * output unchanged. Coefficients are small integers times powers of 2, so
 * sums and products of like magnitudes are exact; mixed magnitudes and
 * the series round (compared relative to a row's largest coefficient, or
 * to the same operation on absolute values where that is larger: what
 * the sums' rounding scales with). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

static int64_t big_exp(src *s)
{
    static const int64_t ext[] = {INT64_MIN, INT64_MIN + 1, INT64_MAX - 1, INT64_MAX / 2, -(INT64_MAX / 2),
                                  INT32_MAX, INT32_MIN, (int64_t)1 << 40};
    unsigned t = byte(s);
    return t < 240 ? (int64_t)t - 120 : ext[t & 7];
}

/* A batch of nrows rows: each row k0 + i·g (i < n), with one optional
 * perturbation, coefficients q·2^e, bound exact or beyond the last term. */
static lc_status build(lc_ctx *ctx, src *s, lc_batch *b, int64_t nrows, int64_t den, lc_ctype ct, lc_etype et)
{
    int64_t rp[17] = {0}, bd[16], k[16 * 20];
    double c[16 * 20];
    int64_t m = 0;
    for (int64_t r = 0; r < nrows; r++) {
        unsigned h = byte(s);
        int64_t n = h % 20, k0 = (h & 0x80) ? big_exp(s) : (int64_t)(byte(s) % 9) - 4, g = 1 + byte(s) % 5;
        for (int64_t i = 0; i < n; i++) {
            int64_t kk;
            if (!lc_mul_i64(i, g, &kk) || !lc_add_i64(k0, kk, &kk)) break;
            if (m > rp[r] && kk <= k[m - 1]) break;
            unsigned q = byte(s);
            double v = (double)((int)(q % 9) - 4);
            if (v == 0) v = 1;
            if ((q & 0xf0) == 0xf0) v = ldexp(v, (int)(byte(s) % 64) * 16 - 512);
            k[m] = kk, c[m] = v, m++;
        }
        rp[r + 1] = m;
        unsigned pb = byte(s);
        bd[r] = LC_EXACT;
        if (pb & 1) {
            int64_t last = m > rp[r] ? k[m - 1] : (int64_t)(pb >> 1) - 64;
            if (!lc_add_i64(last, 1 + (pb >> 4), &bd[r]) || bd[r] == LC_EXACT) bd[r] = LC_EXACT;
        }
    }
    lc_batch_init(b, ct, et);
    return lc_batch_from_csr(ctx, b, nrows, rp, k, c, bd, den);
}

/* x and y hold the same numbers up to rounding (tol relative to the
 * larger of a row's largest coefficient and the largest of env's row, the
 * magnitude of the sums that formed it, when env is not NULL; terms only
 * one side has must be below it). */
static int same(const lc_batch *x, const lc_batch *y, const lc_batch *env, double tol)
{
    if (x->nrows != y->nrows || x->den != y->den) return 0;
    for (int64_t r = 0; r < x->nrows; r++) {
        if (x->bound[r] != y->bound[r]) return 0;
        int64_t i = x->row_ptr[r], j = y->row_ptr[r], ie = x->row_ptr[r + 1], je = y->row_ptr[r + 1];
        double big = 0;
        if (env && r < env->nrows)
            for (int64_t t = env->row_ptr[r]; t < env->row_ptr[r + 1]; t++) big = fmax(big, fabs(lc_get_c(env, t)));
        for (int64_t t = i; t < ie; t++) big = fmax(big, fabs(lc_get_c(x, t)));
        for (int64_t t = j; t < je; t++) big = fmax(big, fabs(lc_get_c(y, t)));
        while (i < ie || j < je) {
            int64_t kx = i < ie ? lc_get_k(x, i) : INT64_MAX, ky = j < je ? lc_get_k(y, j) : INT64_MAX;
            double cx = kx <= ky && i < ie ? lc_get_c(x, i) : 0, cy = ky <= kx && j < je ? lc_get_c(y, j) : 0;
            if (!(fabs(cx - cy) <= tol * big)) return 0;
            if (kx <= ky) i++;
            if (ky <= kx) j++;
        }
    }
    return 1;
}

/* o = a with coefficients |c| (mode 0), the ε⁰ coefficient kept as it
 * is (mode 1), the ε⁰ term dropped (mode 2), or the first term |c| and
 * the others −|c| (mode 3); f64/i64. */
static lc_status absolute(lc_ctx *ctx, const lc_batch *a, int mode, lc_batch *o)
{
    int64_t rp[17] = {0}, bd[16], k[16 * 20];
    double c[16 * 20];
    int64_t m = 0;
    lc_batch_init(o, LC_F64, LC_I64);
    if (a->nrows > 16) return LC_EINVAL;
    for (int64_t r = 0; r < a->nrows; r++) {
        for (int64_t t = a->row_ptr[r]; t < a->row_ptr[r + 1] && m < 16 * 20; t++) {
            int64_t kk = lc_get_k(a, t);
            double v = fabs(lc_get_c(a, t));
            if (kk == 0 && mode == 1) v = lc_get_c(a, t);
            if (kk == 0 && mode == 2) continue;
            if (mode == 3 && t > a->row_ptr[r]) v = -v;
            k[m] = kk, c[m++] = v;
        }
        rp[r + 1] = m;
        bd[r] = a->bound[r];
    }
    return lc_batch_from_csr(ctx, o, a->nrows, rp, k, c, bd, a->den);
}

/* env = the operation on absolute values (absolute): a bound, slot by slot,
 * of the magnitudes summed into each coefficient, so that rounding is
 * judged against them. Returns 0 when it cannot be formed (env empty). */
static int envelope(lc_ctx *ctx, const lc_batch *a, const lc_batch *b, int kind, lc_batch *env)
{
    lc_batch x, y;
    int mode = kind <= LC_FAST_MUL ? 0 : kind == LC_FAST_EXP ? 1 : kind == LC_FAST_RECIP ? 3 : 2;
    int ok = absolute(ctx, a, mode, &x) == LC_OK;
    lc_batch_init(&y, LC_F64, LC_I64);
    lc_batch_init(env, LC_F64, LC_I64);
    if (ok && b) ok = absolute(ctx, b, 0, &y) == LC_OK;
    if (ok) {
        if (kind <= LC_FAST_MUL) ok = lc_general_binop(ctx, env, &x, &y, kind, 1) == LC_OK;
        else ok = lc_general_series(ctx, env, &x, kind == LC_FAST_RECIP ? LC_FAST_RECIP : LC_FAST_EXP) == LC_OK;
    }
    lc_batch_clear(ctx, &x);
    lc_batch_clear(ctx, &y);
    if (!ok) lc_batch_clear(ctx, env);
    return ok;
}

/* out holds 7 (a marker) at its denominator. */
static void mark(lc_ctx *ctx, lc_batch *o)
{
    double seven = 7;
    FUZZ_ASSERT(lc_batch_set_real(ctx, o, 1, &seven) == LC_OK);
}
static int marked(const lc_batch *o)
{
    return o->nrows == 1 && lc_row_len(o, 0) == 1 && lc_get_c(o, o->row_ptr[0]) == 7 && lc_get_k(o, o->row_ptr[0]) == 0;
}

static lc_status public_op(lc_ctx *ctx, lc_batch *o, const lc_batch *a, const lc_batch *b, int kind, double s2)
{
    switch (kind) {
    case LC_FAST_ADD: return s2 > 0 ? lc_add(ctx, o, a, b) : lc_sub(ctx, o, a, b);
    case LC_FAST_MUL: return lc_mul(ctx, o, a, b);
    case LC_FAST_EXP: return lc_exp(ctx, o, a);
    case LC_FAST_SIN: return lc_sin(ctx, o, a);
    case LC_FAST_COS: return lc_cos(ctx, o, a);
    default: return lc_recip(ctx, o, a);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > 4096) return 0;
    static const int64_t dens[] = {1, 1, 16, 16, 3, 1000, INT64_MAX / 7, INT64_MAX};
    src s = {data, size};
    unsigned h = byte(&s), h2 = byte(&s);
    int64_t na = 1 + h % 12, nb = (h & 0x10) ? 1 : na, den = dens[(h >> 5) & 7];
    lc_ctype ct = (h2 & 1) ? LC_F32 : LC_F64, oct = (h2 & 2) ? LC_F32 : LC_F64;
    lc_etype et = (h2 & 4) ? LC_I64 : LC_I32, oet = (h2 & 8) ? LC_I64 : LC_I32;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.depth = 1 + (int32_t)((h2 >> 4) % 10);
    ctx.series_work_max = (int64_t)1 << 22;
    lc_batch a, b;
    if (build(&ctx, &s, &a, na, den, ct, et) != LC_OK || build(&ctx, &s, &b, nb, den, ct, et) != LC_OK) {
        lc_batch_clear(&ctx, &a);
        lc_ctx_clear(&ctx);
        return 0;
    }
    for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++) {
        for (int sg = 0; sg < (kind == LC_FAST_ADD ? 2 : 1); sg++) {
            double s2 = sg ? -1 : 1;
            const lc_batch *y = kind <= LC_FAST_MUL ? &b : NULL;
            lc_batch f, g, o;
            lc_batch_init(&f, oct, oet);
            lc_batch_init(&g, oct, oet);
            lc_batch_init(&o, oct, oet);
            lc_status sf = LC_OK, sgen, sp;
            int done = lc_fast_op(&ctx, &f, &a, y, kind, s2, &sf, "fuzz");
            sgen = kind <= LC_FAST_MUL ? lc_general_binop(&ctx, &g, &a, y, kind, s2) : lc_general_series(&ctx, &g, &a, kind);
            mark(&ctx, &o);
            sp = public_op(&ctx, &o, &a, y, kind, s2);
            if (sp != sgen) fprintf(stderr, "kind %d: public %s, general %s (%s)\n", kind, lc_status_str(sp), lc_status_str(sgen), ctx.err);
            FUZZ_ASSERT(sp == sgen);                   /* one status whatever the path */
            if (sp != LC_OK) FUZZ_ASSERT(marked(&o));  /* failure: output unchanged */
            else FUZZ_ASSERT(lc_batch_check(&ctx, &o) == LC_OK);
            if (!done) FUZZ_ASSERT(f.nrows == 0);
            if (done && sf != LC_ENOMEM) {
                if (sf != sgen) fprintf(stderr, "kind %d: fast %s, general %s\n", kind, lc_status_str(sf), lc_status_str(sgen));
                FUZZ_ASSERT(sf == sgen);
                if (sf == LC_OK) {
                    FUZZ_ASSERT(lc_batch_check(&ctx, &f) == LC_OK);
                    double tol = oct == LC_F32 || ct == LC_F32 ? 1e-5 : kind <= LC_FAST_MUL ? 1e-12 : 1e-9;
                    lc_batch env;
                    const lc_batch *ep = envelope(&ctx, &a, y, kind, &env) ? &env : NULL;
                    if (!same(&f, &g, ep, tol)) {
                        char t1[2048], t2[2048];
                        for (int64_t r = 0; r < f.nrows && r < g.nrows; r++)
                            if (!lc_row_print(&ctx, &f, r, t1, sizeof t1) && !lc_row_print(&ctx, &g, r, t2, sizeof t2))
                                fprintf(stderr, "kind %d row %lld:\n  fast    %s\n  general %s\n", kind, (long long)r, t1, t2);
                    }
                    FUZZ_ASSERT(same(&f, &g, ep, tol));
                    FUZZ_ASSERT(same(&o, &g, ep, tol));
                    lc_batch_clear(&ctx, &env);
                }
            }
            lc_batch_clear(&ctx, &f);
            lc_batch_clear(&ctx, &g);
            lc_batch_clear(&ctx, &o);
        }
    }
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_ctx_clear(&ctx);
    return 0;
}
