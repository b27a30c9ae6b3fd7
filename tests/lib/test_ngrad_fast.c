/* SPDX-License-Identifier: MIT */
/* The fast paths of ngrad (lib/src/ngrad_fast.c) against references built
 * from the general paths and the semantics, on seeded random batches: exact
 * rows (lc_batch_from_real / set_real / set_monomial against
 * lc_batch_from_csr), abs (against the order's signs and lc_scale_rows),
 * step/sign/floor/ceil/round (against a naive decision per row), and ngrad's
 * final (y − st f(x))/ε (against sub and a product with ε^-1, on results of
 * random denominators, bounds and storage types). The fast paths do no
 * other arithmetic than the general ones, so everything must agree
 * exactly: terms, coefficients, exponents, bounds, denominator, storage
 * types and status. Also: aliasing, the paths that must decline (f32,
 * undecided rows), and allocation failures. */
#include "infnum/ext.h"
#include "lc_test.h"

#include <math.h>

/* Same rows bit for bit (values; storage types too). */
static int same_exact(const lc_batch *x, const lc_batch *y, const char *what)
{
    int ok = x->nrows == y->nrows && x->den == y->den && x->ctype == y->ctype && x->etype == y->etype;
    for (int64_t r = 0; ok && r < x->nrows; r++) {
        ok = lc_row_len(x, r) == lc_row_len(y, r) && x->bound[r] == y->bound[r];
        for (int64_t i = 0; ok && i < lc_row_len(x, r); i++) {
            int64_t kx, ky;
            double cx, cy;
            lc_row_term(x, r, i, &kx, &cx);
            lc_row_term(y, r, i, &ky, &cy);
            ok = kx == ky && cx == cy;
        }
        if (!ok) fprintf(stderr, "  %s: row %lld differs\n", what, (long long)r);
    }
    if (!ok && x->nrows == y->nrows)
        fprintf(stderr, "  %s: den %lld/%lld types %d%d/%d%d\n", what, (long long)x->den,
                (long long)y->den, x->ctype, x->etype, y->ctype, y->etype);
    if (!ok) lt_failures++;
    return ok;
}

static const lc_ctype CT[2] = {LC_F64, LC_F32};
static const lc_etype ET[2] = {LC_I32, LC_I64};

/* ------------------------------------------------------------ exact rows */

static void test_set_two(lt_rng *g)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (int it = 0; it < 300; it++) {
        int64_t n = lt_int(g, 1, 40), den = lt_int(g, 1, 20);
        double *x = malloc(sizeof(double) * (size_t)n), *v = malloc(sizeof(double) * (size_t)n);
        for (int64_t i = 0; i < n; i++) {
            x[i] = lt_unif(g) < 0.3 ? 0.0 : lt_coef(g);
            v[i] = lt_unif(g) < 0.3 ? 0.0 : lt_coef(g);
        }
        int64_t *rp = malloc(sizeof(int64_t) * (size_t)(n + 1)), *k = malloc(sizeof(int64_t) * (size_t)(2 * n + 1));
        double *c = malloc(sizeof(double) * (size_t)(2 * n + 1));
        lc_batch got, want;
        lc_etype et = ET[lt_int(g, 0, 1)];
        lc_ctype ct = CT[lt_unif(g) < 0.8 ? 0 : 1];
        int mode = (int)lt_int(g, 0, 2); /* from_real, set_real, set_monomial */
        int64_t mk = lt_int(g, -3, 3);
        lc_batch_init(&got, ct, et);
        lc_batch_init(&want, ct, et);
        got.den = den; /* set_real and from_real keep the batch's denominator */
        if (lt_unif(g) < 0.5) OK(&ctx, lc_batch_set_real(&ctx, &got, n < 3 ? n : 3, x)); /* reused storage */
        got.den = den;
        int64_t m = 0, kd = mode == 2 ? mk * den : mode == 0 ? den : 1;
        rp[0] = 0;
        for (int64_t i = 0; i < n; i++) {
            double a = mode == 2 ? 0.0 : x[i], d = mode == 0 ? v[i] : mode == 2 ? 1.5 : 0.0;
            if (kd > 0 && a != 0) k[m] = 0, c[m++] = a;
            if (d != 0) k[m] = kd, c[m++] = d;
            if (kd <= 0 && a != 0) k[m] = 0, c[m++] = a;
            rp[i + 1] = m;
        }
        if (mode == 0) OK(&ctx, lc_batch_from_real(&ctx, &got, n, x, v));
        if (mode == 1) OK(&ctx, lc_batch_set_real(&ctx, &got, n, x));
        if (mode == 2) OK(&ctx, lc_batch_set_monomial(&ctx, &got, n, 1.5, mk, 1));
        OK(&ctx, lc_batch_from_csr(&ctx, &want, n, rp, k, c, NULL, den));
        OK(&ctx, lc_batch_check(&ctx, &got));
        same_exact(&got, &want, "exact rows");
        lc_batch_clear(&ctx, &got);
        lc_batch_clear(&ctx, &want);
        free(x), free(v), free(rp), free(k), free(c);
    }
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------------------------------- abs */

static const lt_gen GEN = {5, -24, 40, 0.4, 0.15, 0};

static void test_abs(lt_rng *g)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (int it = 0; it < 300; it++) {
        int64_t n = lt_int(g, 1, 50), den = lt_int(g, 1, 12);
        lc_batch a, got, want;
        lc_batch_init(&a, CT[lt_unif(g) < 0.85 ? 0 : 1], ET[lt_int(g, 0, 1)]);
        lc_batch_init(&got, CT[lt_unif(g) < 0.85 ? 0 : 1], ET[lt_int(g, 0, 1)]);
        lc_batch_init(&want, got.ctype, got.etype);
        OK(&ctx, lt_random_batch(&ctx, g, &a, n, den, &GEN));
        int *sg = malloc(sizeof(int) * (size_t)n);
        double *s = malloc(sizeof(double) * (size_t)n);
        lc_status st = lc_batch_sgn(&ctx, &a, sg), sf;
        int alias = lt_unif(g) < 0.3;
        if (alias) {
            OK(&ctx, lc_batch_copy(&ctx, &got, &a));
            sf = lc_abs(&ctx, &got, &got);
        } else
            sf = lc_abs(&ctx, &got, &a);
        CHECK(sf == st);
        if (!st) {
            for (int64_t r = 0; r < n; r++) s[r] = sg[r] < 0 ? -1.0 : 1.0;
            OK(&ctx, lc_scale_rows(&ctx, &want, &a, s));
            same_exact(&got, &want, alias ? "abs in place" : "abs");
        }
        lc_batch_clear(&ctx, &a), lc_batch_clear(&ctx, &got), lc_batch_clear(&ctx, &want);
        free(sg), free(s);
    }
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------- step, sign, floor, ceil, round */

/* f(row r of a) by the semantics (docs/semantics.md), naively. */
static lc_status naive_disc(const lc_ctx *ctx, const lc_batch *a, int64_t r, lc_disc f, double *v)
{
    int64_t n = lc_row_len(a, r), p = a->bound[r], k0 = 0;
    double c0 = 0, c1 = 0;
    if (n > 0) lc_row_term(a, r, 0, &k0, &c0);
    if (f == LC_DISC_STEP || f == LC_DISC_SIGN) {
        if (n == 0 && p != LC_EXACT) return LC_EUNDEF;
        int sg = n == 0 ? 0 : c0 > 0 ? 1 : -1;
        double h0 = ctx->h0 == LC_H0_ZERO ? 0 : ctx->h0 == LC_H0_HALF ? 0.5 : 1;
        *v = f == LC_DISC_SIGN ? (sg ? sg : ctx->sign0) : (sg ? (sg > 0) : h0);
        return LC_OK;
    }
    if (n > 0 && k0 < 0) return LC_EDOMAIN;
    if (p <= 0) return LC_EUNDEF;
    double s = n > 0 && k0 == 0 ? c0 : 0;
    int64_t i = n > 0 && k0 == 0 ? 1 : 0;
    if (i < n) lc_row_term(a, r, i, NULL, &c1);
    int dsg = i < n ? (c1 > 0 ? 1 : -1) : p == LC_EXACT ? 0 : 2;
    double fl = floor(s);
    int brk = f == LC_DISC_ROUND ? s - fl == 0.5 : s == fl;
    if (brk && dsg == 2) return LC_EUNDEF;
    if (f == LC_DISC_FLOOR) *v = brk && dsg < 0 ? s - 1 : fl;
    else if (f == LC_DISC_CEIL) *v = brk ? s + (dsg > 0) : ceil(s);
    else if (!brk) *v = round(s);
    else if (dsg) *v = fl + (dsg > 0);
    else
        switch (ctx->round_tie) {
        case LC_TIE_EVEN: *v = fmod(fl, 2) == 0 ? fl : fl + 1; break;
        case LC_TIE_UP: *v = fl + 1; break;
        case LC_TIE_DOWN: *v = fl; break;
        default: *v = fl >= 0 ? fl + 1 : fl;
        }
    *v += 0.0;
    return LC_OK;
}

static void test_disc(lt_rng *g)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    /* mostly finite rows (an infinite one sends floor/ceil/round to the
     * general path, which reports it) */
    const lt_gen gd = {4, -8, 40, 0.4, 0.1, 0}, gf = {4, 0, 40, 0.6, 0.1, 0};
    for (int it = 0; it < 2000; it++) {
        int64_t n = lt_int(g, 1, 12), den = lt_int(g, 1, 8); /* short: most batches decided */
        lc_disc f = (lc_disc)lt_int(g, 0, 4);
        ctx.h0 = (lc_h0)lt_int(g, 0, 2);
        ctx.round_tie = (lc_round_tie)lt_int(g, 0, 3);
        ctx.sign0 = lt_unif(g) < 0.5 ? 0 : 1;
        lc_batch a, got, want;
        lc_batch_init(&a, CT[lt_unif(g) < 0.85 ? 0 : 1], ET[lt_int(g, 0, 1)]);
        lc_batch_init(&got, CT[lt_unif(g) < 0.85 ? 0 : 1], ET[lt_int(g, 0, 1)]);
        lc_batch_init(&want, got.ctype, got.etype);
        got.den = lt_int(g, 1, 5);
        OK(&ctx, lt_random_batch(&ctx, g, &a, n, den, lt_unif(g) < 0.25 ? &gd : &gf));
        /* standard parts at and near the breakpoints */
        if (a.ctype == LC_F64)
            for (int64_t r = 0; r < n; r++)
                if (lc_row_len(&a, r) && lc_get_k(&a, a.row_ptr[r]) == 0 && lt_unif(g) < 0.3) {
                    double *c0 = &((double *)a.coeffs)[a.row_ptr[r]];
                    *c0 = 0.5 * (double)lt_int(g, -6, 6);
                    if (*c0 == 0) *c0 = 0.25;
                    if (lt_unif(g) < 0.2) *c0 = nextafter(*c0, lt_unif(g) < 0.5 ? -INFINITY : INFINITY); /* beside a tie */
                    if (lt_unif(g) < 0.05) *c0 = ldexp(1.0, 51) + 0.5 * (double)lt_int(g, -3, 3); /* halves at 2^51 */
                    if (lt_unif(g) < 0.1) *c0 = ldexp(lt_coef(g), (int)lt_int(g, 50, 60)); /* ≥ 2^49 */
                    if (lt_unif(g) < 0.1) *c0 = lt_coef(g) * 1e-300;
                }
        double *v = malloc(sizeof(double) * (size_t)n);
        lc_status st = LC_OK;
        for (int64_t r = 0; r < n && !st; r++) st = naive_disc(&ctx, &a, r, f, &v[r]);
        int alias = lt_unif(g) < 0.3;
        /* a float copy of a term that underflows float is an error (no term
         * may vanish): such a batch is not aliased */
        if (alias && lc_batch_copy(&ctx, &got, &a) != LC_OK) alias = 0;
        int64_t oden = alias ? a.den : got.den;
        lc_status sf = lc_disc_apply(&ctx, &got, alias ? &got : &a, f);
        CHECK(sf == st);
        if (!st) {
            want.den = oden; /* the result keeps out's denominator */
            OK(&ctx, lc_batch_set_real(&ctx, &want, n, v));
            OK(&ctx, lc_batch_check(&ctx, &got));
            same_exact(&got, &want, "disc");
        }
        lc_batch_clear(&ctx, &a), lc_batch_clear(&ctx, &got), lc_batch_clear(&ctx, &want);
        free(v);
    }
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------------------ ngrad's (y − s)/ε */

/* f returns the prepared batches: call 0 gets Y (f(x + ε)), call 1 YR (f(x)). */
typedef struct canned {
    lc_batch Y, YR;
    int calls;
} canned;

static lc_status f_canned(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    canned *c = data;
    (void)x;
    return lc_batch_copy(ctx, y, c->calls++ ? &c->YR : &c->Y);
}

static lc_status fv_canned(lc_ctx *ctx, lc_batch *y, const lc_batch *x, int64_t nv, void *data)
{
    (void)nv;
    return f_canned(ctx, y, x, data);
}

/* The general computation of (Y − st YR)/ε: sub, then a product with ε^-1. */
static lc_status ref_div_eps(lc_ctx *ctx, lc_batch *out, const lc_batch *Y, const lc_batch *YR)
{
    lc_batch y, yr;
    lc_batch_init(&y, LC_F64, LC_I32);
    lc_batch_init(&yr, LC_F64, LC_I32);
    double *s = malloc(sizeof(double) * (size_t)(YR->nrows + 1));
    lc_status st = lc_batch_copy(ctx, &y, Y);
    if (!st) st = lc_batch_copy(ctx, &yr, YR);
    if (!st) st = lc_batch_std(ctx, &yr, s);
    if (!st) st = lc_batch_set_real(ctx, &yr, yr.nrows, s);
    if (!st) st = lc_sub(ctx, &y, &y, &yr);
    if (!st) st = lc_batch_set_monomial(ctx, &yr, 1, 1.0, -1, 1);
    if (!st) st = lc_mul(ctx, out, &y, &yr);
    lc_batch_clear(ctx, &y), lc_batch_clear(ctx, &yr);
    free(s);
    return st;
}

static void test_div_eps(lt_rng *g)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    /* y with terms below ε⁰ and without (the shift's two loops) */
    const lt_gen gy = {5, -20, 40, 0.4, 0.15, 0}, gy0 = {5, 0, 40, 0.4, 0.15, 0}, gr = {3, 0, 30, 0.5, 0.2, 0};
    const int64_t dens[5] = {1, 2, 3, 12, 16};
    for (int it = 0; it < 1000; it++) {
        int vec = lt_unif(g) < 0.3;
        int64_t n = lt_int(g, 1, lt_unif(g) < 0.5 ? 3 : 40); /* few rows: often none below ε⁰ */
        canned c = {.calls = 0};
        lc_batch_init(&c.Y, CT[lt_unif(g) < 0.85 ? 0 : 1], ET[lt_int(g, 0, 1)]);
        lc_batch_init(&c.YR, LC_F64, ET[lt_int(g, 0, 1)]);
        OK(&ctx, lt_random_batch(&ctx, g, &c.Y, n, dens[lt_int(g, 0, 4)], lt_unif(g) < 0.5 ? &gy : &gy0));
        OK(&ctx, lt_random_batch(&ctx, g, &c.YR, vec ? 1 : n, dens[lt_int(g, 0, 4)], &gr));
        lc_batch got, want;
        lc_batch_init(&got, CT[lt_unif(g) < 0.85 ? 0 : 1], ET[lt_int(g, 0, 1)]);
        lc_batch_init(&want, got.ctype, got.etype);
        double *x = calloc((size_t)n, sizeof(double));
        lc_status st = ref_div_eps(&ctx, &want, &c.Y, &c.YR), sf;
        if (vec) {
            sf = lc_ngrad_vec(&ctx, &got, NULL, fv_canned, &c, x, n);
        } else
            sf = lc_ngrad(&ctx, &got, f_canned, &c, x, n);
        CHECK(sf == st);
        if (!st && !sf) same_exact(&got, &want, vec ? "ngrad_vec" : "ngrad");
        lc_batch_clear(&ctx, &c.Y), lc_batch_clear(&ctx, &c.YR);
        lc_batch_clear(&ctx, &got), lc_batch_clear(&ctx, &want);
        free(x);
    }
    lc_ctx_clear(&ctx);
}

/* ----------------------------------------------- ngrad of abs, step, round */

static lc_status f_prim(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    int f = *(const int *)data;
    return f < 0 ? lc_abs(ctx, y, x) : lc_disc_apply(ctx, y, x, (lc_disc)f);
}

/* ngrad of the seed-style primitives at points on and off their jumps:
 * abs gives sign(x) (1 at 0), step ε^-1 at 0 and 0 elsewhere, round ε^-1
 * where it jumps on the right (ties away: at -1.5, not at 0.5). */
static void test_ngrad_values(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    const double x[6] = {-1.5, -0.25, 0.0, 0.5, 0.75, 2.0};
    const int prim[3] = {-1, LC_DISC_STEP, LC_DISC_ROUND};
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    for (int j = 0; j < 3; j++) {
        OK(&ctx, lc_ngrad(&ctx, &out, f_prim, (void *)&prim[j], x, 6));
        for (int64_t i = 0; i < 6; i++) {
            double c0 = 0, cm = 0, c;
            int64_t k, other = 0;
            for (int64_t t = 0; t < lc_row_len(&out, i); t++) {
                lc_row_term(&out, i, t, &k, &c);
                if (k == 0) c0 = c;
                else if (k == -out.den) cm = c;
                else other++;
            }
            double want0 = j == 0 ? (x[i] < 0 ? -1 : 1) : 0;
            double wantm = j == 1 ? (x[i] == 0) : j == 2 ? (x[i] == -1.5) : 0; /* round(0.5) = 1: ties away */
            CHECK(c0 == want0 && cm == wantm && other == 0 && out.bound[i] == LC_EXACT);
        }
    }
    lc_batch_clear(&ctx, &out);
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------------------ allocation failures */

static lc_status run_alloc(lc_ctx *c, lt_alloc *al, int64_t k)
{
    const double x[5] = {-1, 0, 0.5, 1.5, 3};
    const int prim[2] = {-1, LC_DISC_ROUND};
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    lc_status st = lc_batch_set_real(c, &out, 2, x); /* a previous value */
    lt_alloc_arm(al, k);
    for (int j = 0; j < 2 && !st; j++) {
        st = lc_ngrad(c, &out, f_prim, (void *)&prim[j], x, 5);
        CHECK(lc_batch_check(c, &out) == LC_OK); /* valid whatever the status */
        if (st) CHECK(out.nrows == 2 || out.nrows == 5);
    }
    al->fail_at = 0;
    lc_batch_clear(c, &out);
    return st;
}

int main(void)
{
    lt_rng g = {20261201};
    test_set_two(&g);
    test_abs(&g);
    test_disc(&g);
    test_div_eps(&g);
    test_ngrad_values();
    lt_alloc_sweep(200, run_alloc);
    return lt_report("test_ngrad_fast");
}
