/* SPDX-License-Identifier: MIT */
/* Non-standard derivatives: ngrad / nderiv / ngrad_vec against closed forms,
 * the jumps seen by ngrad, the two-sided decoding of every discontinuous
 * primitive, and bad input (NULLs, shapes, errors of f). */
#include "lc_test.h"

#define NEAR(a, b) (fabs((a) - (b)) <= 1e-12 * (1.0 + fabs(b)))

static lc_ctx ctx;

/* ---------------------------------------------------------- test functions */

static lc_status f_sq(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_mul(c, y, x, x); }
static lc_status f_sin(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_sin(c, y, x); }
static lc_status f_exp(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_exp(c, y, x); }
static lc_status f_abs(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_abs(c, y, x); }
static lc_status f_relu(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_relu(c, y, x); }
static lc_status f_log(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_log(c, y, x); }
static lc_status f_recip(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    return lc_recip(c, y, x);
}
/* data points to an lc_disc */
static lc_status f_disc(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    return lc_disc_apply(c, y, x, *(const lc_disc *)d);
}
/* x^5 */
static lc_status f_pow5(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    return lc_pow_si(c, y, x, 5);
}
/* 1/(1+x) */
static lc_status f_inv1p(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    lc_status s = lc_add_real(c, y, x, 1.0);
    return s ? s : lc_recip(c, y, y);
}
/* sin(x²)·exp(x) */
static lc_status f_comp1(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status s = lc_mul(c, &t, x, x);
    if (!s) s = lc_sin(c, &t, &t);
    if (!s) s = lc_exp(c, y, x);
    if (!s) s = lc_mul(c, y, y, &t);
    lc_batch_clear(c, &t);
    return s;
}
/* x/(1+x²) */
static lc_status f_comp2(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status s = lc_mul(c, &t, x, x);
    if (!s) s = lc_add_real(c, &t, &t, 1.0);
    if (!s) s = lc_div(c, y, x, &t);
    lc_batch_clear(c, &t);
    return s;
}
/* x + ε⁻¹: infinite at every real */
static lc_status f_inf(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status s = lc_batch_set_monomial(c, &t, 1, 1.0, -1, 1);
    if (!s) s = lc_add(c, y, x, &t);
    lc_batch_clear(c, &t);
    return s;
}
/* returns one row too many */
static lc_status f_bad_rows(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    double z[64] = {0};
    return lc_batch_set_real(c, y, x->nrows + 1, z);
}

/* ---------------------------------------------------------------- helpers */

/* ε^k coefficient of row r of b (0 when absent, NaN when beyond the bound). */
static double coef(const lc_batch *b, int64_t r, int64_t k)
{
    for (int64_t i = 0; i < lc_row_len(b, r); i++) {
        int64_t kk;
        double c;
        lc_row_term(b, r, i, &kk, &c);
        if (kk == k * b->den) return c;
    }
    return k * b->den < b->bound[r] ? 0.0 : NAN;
}

/* ---------------------------------------------------------------- tests */

static void test_ngrad(void)
{
    double x[] = {-1.3, 0.0, 0.4, 2.0};
    const int n = 4;
    double g[4];
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    struct { lc_fn f; double (*d)(double); } cases[] = {{f_sin, cos}, {f_exp, exp}};
    for (int c = 0; c < 2; c++) {
        EXPECT(lc_ngrad(&ctx, &out, cases[c].f, NULL, x, n), LC_OK);
        CHECK(out.nrows == n);
        EXPECT(lc_batch_coeff(&ctx, &out, 0, 1, g), LC_OK);
        for (int i = 0; i < n; i++) CHECK(NEAR(g[i], cases[c].d(x[i])));
    }
    EXPECT(lc_ngrad(&ctx, &out, f_sq, NULL, x, n), LC_OK);
    EXPECT(lc_batch_coeff(&ctx, &out, 0, 1, g), LC_OK);
    for (int i = 0; i < n; i++) CHECK(g[i] == 2 * x[i]);
    EXPECT(lc_batch_coeff(&ctx, &out, 1, 1, g), LC_OK); /* (x+ε)² − x² over ε = 2x + ε */
    for (int i = 0; i < n; i++) CHECK(g[i] == 1.0);
    EXPECT(lc_ngrad(&ctx, &out, f_comp1, NULL, x, n), LC_OK);
    EXPECT(lc_batch_coeff(&ctx, &out, 0, 1, g), LC_OK);
    for (int i = 0; i < n; i++) {
        double t = x[i];
        CHECK(NEAR(g[i], (2 * t * cos(t * t) + sin(t * t)) * exp(t)));
    }
    EXPECT(lc_ngrad(&ctx, &out, f_comp2, NULL, x, n), LC_OK);
    EXPECT(lc_batch_coeff(&ctx, &out, 0, 1, g), LC_OK);
    for (int i = 0; i < n; i++) {
        double t = x[i], q = 1 + t * t;
        CHECK(NEAR(g[i], (1 - t * t) / (q * q)));
    }

    /* Jumps: step at 0 has ε⁻¹ coefficient 1 (H(0) = 0), |x| at 0 is exactly 1. */
    lc_disc step = LC_DISC_STEP;
    double zero = 0.0;
    EXPECT(lc_ngrad(&ctx, &out, f_disc, &step, &zero, 1), LC_OK);
    CHECK(lc_row_len(&out, 0) == 1 && coef(&out, 0, -1) == 1.0 && coef(&out, 0, 0) == 0.0);
    ctx.h0 = LC_H0_ONE; /* then the jump is on the left: nothing to the right */
    EXPECT(lc_ngrad(&ctx, &out, f_disc, &step, &zero, 1), LC_OK);
    CHECK(lc_row_len(&out, 0) == 0);
    ctx.h0 = LC_H0_ZERO;
    EXPECT(lc_ngrad(&ctx, &out, f_abs, NULL, &zero, 1), LC_OK);
    CHECK(lc_row_len(&out, 0) == 1 && out.bound[0] == LC_EXACT && coef(&out, 0, 0) == 1.0);
    lc_batch_clear(&ctx, &out);
}

static void test_nderiv(void)
{
    double x[] = {-0.6, 0.0, 0.8, 1.7}, d[4];
    const int n = 4;
    for (int k = 2; k <= 4; k++) {
        EXPECT(lc_nderiv(&ctx, d, f_exp, NULL, x, n, k), LC_OK);
        for (int i = 0; i < n; i++) CHECK(NEAR(d[i], exp(x[i])));
        EXPECT(lc_nderiv(&ctx, d, f_sin, NULL, x, n, k), LC_OK);
        for (int i = 0; i < n; i++) {
            double want = k == 2 ? -sin(x[i]) : k == 3 ? -cos(x[i]) : sin(x[i]);
            CHECK(NEAR(d[i], want));
        }
        EXPECT(lc_nderiv(&ctx, d, f_inv1p, NULL, x, n, k), LC_OK);
        for (int i = 0; i < n; i++) {
            double kf = k == 2 ? 2 : k == 3 ? 6 : 24, want = (k % 2 ? -kf : kf) / pow(1 + x[i], k + 1);
            CHECK(fabs(d[i] - want) <= 1e-10 * (1 + fabs(want)));
        }
        EXPECT(lc_nderiv(&ctx, d, f_pow5, NULL, x, n, k), LC_OK);
        for (int i = 0; i < n; i++) {
            double want = k == 2 ? 20 * pow(x[i], 3) : k == 3 ? 60 * x[i] * x[i] : 120 * x[i];
            CHECK(NEAR(d[i], want));
        }
    }
    EXPECT(lc_nderiv(&ctx, d, f_exp, NULL, x, n, (int)ctx.depth), LC_EINVAL);
    EXPECT(lc_nderiv(&ctx, d, f_exp, NULL, x, n, -1), LC_EINVAL);
    ctx.depth = 3; /* series kept to ε³: k = 2 is known, k = 3 is refused */
    EXPECT(lc_nderiv(&ctx, d, f_exp, NULL, x, n, 2), LC_OK);
    for (int i = 0; i < n; i++) CHECK(NEAR(d[i], exp(x[i])));
    EXPECT(lc_nderiv(&ctx, d, f_exp, NULL, x, n, 3), LC_EINVAL);
    ctx.depth = 8;
}

/* f(x, y, z) = x·y + sin(z); data counts the calls and their rows. */
typedef struct { int calls; int64_t rows[4]; } counter;
static lc_status f_xyz(lc_ctx *c, lc_batch *y, const lc_batch *x, int64_t nvars, void *data)
{
    counter *k = data;
    if (nvars != 3) return LC_EINVAL;
    if (k->calls < 4) k->rows[k->calls] = x[0].nrows;
    k->calls++;
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status s = lc_mul(c, y, &x[0], &x[1]);
    if (!s) s = lc_sin(c, &t, &x[2]);
    if (!s) s = lc_add(c, y, y, &t);
    lc_batch_clear(c, &t);
    return s;
}
/* g(x, y) = x·exp(y) + step(x − 1) */
static lc_status f_xy(lc_ctx *c, lc_batch *y, const lc_batch *x, int64_t nvars, void *data)
{
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status s = lc_exp(c, y, &x[1]);
    if (!s) s = lc_mul(c, y, y, &x[0]);
    if (!s) s = lc_add_real(c, &t, &x[0], -1.0);
    if (!s) s = lc_step(c, &t, &t);
    if (!s) s = lc_add(c, y, y, &t);
    lc_batch_clear(c, &t);
    return s;
}
static lc_status f_vec_fail(lc_ctx *c, lc_batch *y, const lc_batch *x, int64_t nvars, void *data)
{
    return lc_log(c, y, &x[0]);
}

static void test_ngrad_vec(void)
{
    double p[] = {0.7, -1.2, 0.3}, g[3];
    counter k = {0};
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    EXPECT(lc_ngrad_vec(&ctx, &out, g, f_xyz, &k, p, 3), LC_OK);
    CHECK(NEAR(g[0], p[1]) && NEAR(g[1], p[0]) && NEAR(g[2], cos(p[2])));
    CHECK(out.nrows == 3);
    CHECK(k.calls == 2 && k.rows[0] == 3 && k.rows[1] == 1); /* one batch of nvars rows */
    double q[] = {1.0, 0.5};
    EXPECT(lc_ngrad_vec(&ctx, &out, NULL, f_xy, NULL, q, 2), LC_OK);
    CHECK(coef(&out, 0, -1) == 1.0);                  /* the step jumps along x */
    CHECK(NEAR(coef(&out, 0, 0), exp(0.5)));
    CHECK(coef(&out, 1, -1) == 0.0 && NEAR(coef(&out, 1, 0), exp(0.5)));
    EXPECT(lc_ngrad_vec(&ctx, &out, g, f_xyz, &k, p, 0), LC_EINVAL);
    EXPECT(lc_ngrad_vec(&ctx, &out, g, NULL, &k, p, 3), LC_EINVAL);
    double bad[] = {-1.0};
    EXPECT(lc_ngrad_vec(&ctx, &out, g, f_vec_fail, NULL, bad, 1), LC_EDOMAIN);
    CHECK(strstr(ctx.err, "lc_ngrad_vec") && strstr(ctx.err, "lc_log"));
    lc_batch_clear(&ctx, &out);
}

/* Two-sided decoding of (regular, mass) for f at n points. */
static int decodes(lc_fn f, void *data, const double *x, int n, double reg, double mass)
{
    double r[16], m[16];
    lc_status s = lc_ngrad_decode(&ctx, r, m, f, data, x, n);
    int ok = s == LC_OK;
    for (int i = 0; i < n && ok; i++) ok = NEAR(r[i], reg) && NEAR(m[i], mass);
    if (!ok) fprintf(stderr, "  decode: %s '%s' (%g, %g)\n", lc_status_str(s), ctx.err, r[0], m[0]);
    return ok;
}

static void test_decode(void)
{
    double zero = 0.0, half = 0.5;
    lc_disc f;
    CHECK(decodes(f_abs, NULL, &zero, 1, 0, 0));
    CHECK(decodes(f_relu, NULL, &zero, 1, 0.5, 0));
    f = LC_DISC_STEP;
    CHECK(decodes(f_disc, &f, &zero, 1, 0, 1));
    f = LC_DISC_SIGN;
    CHECK(decodes(f_disc, &f, &zero, 1, 0, 2));
    f = LC_DISC_ROUND;
    CHECK(decodes(f_disc, &f, &half, 1, 0, 1));
    double hi[6], in[7], off[7]; /* half-integers and integers in [-3, 3], and off them */
    for (int i = 0; i < 7; i++) in[i] = i - 3, off[i] = i - 3 + 0.3;
    for (int i = 0; i < 6; i++) hi[i] = i - 2.5;
    for (int t = 0; t < 4; t++) { /* the decoding is convention-free */
        ctx.round_tie = (lc_round_tie)t;
        CHECK(decodes(f_disc, &f, hi, 6, 0, 1));
    }
    ctx.round_tie = LC_TIE_AWAY;
    CHECK(decodes(f_disc, &f, off, 7, 0, 0));
    for (f = LC_DISC_FLOOR; f <= LC_DISC_CEIL; f++) {
        CHECK(decodes(f_disc, &f, in, 7, 0, 1));
        CHECK(decodes(f_disc, &f, off, 7, 0, 0));
    }
    double pos[] = {0.5, 2.0}, neg[] = {-0.1, -3.0};
    CHECK(decodes(f_abs, NULL, pos, 2, 1, 0));
    CHECK(decodes(f_abs, NULL, neg, 2, -1, 0));
    CHECK(decodes(f_relu, NULL, neg, 2, 0, 0));
    double r[2], m[2];
    EXPECT(lc_ngrad_decode(&ctx, r, NULL, f_sin, NULL, pos, 2), LC_OK);
    CHECK(NEAR(r[0], cos(0.5)) && NEAR(r[1], cos(2.0)));
    EXPECT(lc_ngrad_decode(&ctx, NULL, m, f_sq, NULL, pos, 2), LC_OK);
    CHECK(m[0] == 0 && m[1] == 0);
}

static void test_errors(void)
{
    double x[] = {1.0, -1.0}, d[2];
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    EXPECT(lc_ngrad(&ctx, NULL, f_sin, NULL, x, 2), LC_EINVAL);
    EXPECT(lc_ngrad(&ctx, &out, NULL, NULL, x, 2), LC_EINVAL);
    EXPECT(lc_ngrad(&ctx, &out, f_sin, NULL, NULL, 2), LC_EINVAL);
    EXPECT(lc_ngrad(&ctx, &out, f_sin, NULL, x, -1), LC_EINVAL);
    EXPECT(lc_nderiv(&ctx, NULL, f_sin, NULL, x, 2, 1), LC_EINVAL);
    EXPECT(lc_ngrad_decode(&ctx, d, d, NULL, NULL, x, 2), LC_EINVAL);
    double nan[] = {NAN};
    EXPECT(lc_ngrad(&ctx, &out, f_sin, NULL, nan, 1), LC_EINVAL);
    EXPECT(lc_ngrad_decode(&ctx, d, d, f_sin, NULL, nan, 1), LC_EINVAL);
    /* Errors of f propagate with f's message. */
    EXPECT(lc_ngrad(&ctx, &out, f_log, NULL, x, 2), LC_EDOMAIN);
    CHECK(strstr(ctx.err, "lc_ngrad") && strstr(ctx.err, "lc_log"));
    EXPECT(lc_nderiv(&ctx, d, f_log, NULL, x, 2, 1), LC_EDOMAIN);
    EXPECT(lc_ngrad_decode(&ctx, d, d, f_log, NULL, x, 2), LC_EDOMAIN);
    double zero = 0.0;
    EXPECT(lc_ngrad(&ctx, &out, f_recip, NULL, &zero, 1), LC_EDIVZERO); /* f(0) = 1/0 */
    EXPECT(lc_ngrad(&ctx, &out, f_inf, NULL, x, 2), LC_EDOMAIN);         /* st of an infinite f(x) */
    CHECK(strstr(ctx.err, "lc_ngrad: f(x) has no standard part") != NULL);
    EXPECT(lc_ngrad_decode(&ctx, d, d, f_recip, NULL, &zero, 1), LC_EDOMAIN); /* L± = ±1/ε */
    EXPECT(lc_ngrad(&ctx, &out, f_bad_rows, NULL, x, 2), LC_ESHAPE);
    EXPECT(lc_ngrad(&ctx, &out, f_sin, NULL, x, 0), LC_OK); /* no points */
    CHECK(out.nrows == 0);
    EXPECT(lc_ngrad_decode(&ctx, d, d, f_sin, NULL, x, 0), LC_OK);
    EXPECT(lc_nderiv(&ctx, d, f_sin, NULL, x, 0, 1), LC_OK);
    EXPECT(lc_nderiv(&ctx, d, f_bad_rows, NULL, x, 2, 1), LC_ESHAPE);
    lc_batch_clear(&ctx, &out);
}

/* For every k the k-th allocation fails (inside f too): LC_ENOMEM, nothing
 * leaks, and the right values once nothing fails. */
static lc_status alloc_run(lc_ctx *c, lt_alloc *al, int64_t k)
{
    double x[] = {0.3, -0.8}, p[] = {0.7, -1.2, 0.3}, g[3], r[2], m[2], d[2];
    counter cnt = {0};
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    lt_alloc_arm(al, k);
    lc_status s = lc_ngrad(c, &out, f_comp1, NULL, x, 2);
    if (!s) s = lc_ngrad_vec(c, &out, g, f_xyz, &cnt, p, 3);
    if (!s) s = lc_ngrad_decode(c, r, m, f_relu, NULL, x, 2);
    if (!s) s = lc_nderiv(c, d, f_sin, NULL, x, 2, 3);
    CHECK(lc_batch_check(c, &out) == LC_OK);
    if (!s) CHECK(NEAR(g[2], cos(0.3)) && r[0] == 1 && r[1] == 0 && NEAR(d[0], -cos(0.3)));
    lc_batch_clear(c, &out);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("usage: %s\nUnit tests of lc_ngrad, lc_ngrad_vec, lc_nderiv, lc_ngrad_decode"
               " (exit 1 on failure).\n", argv[0]);
        return strcmp(argv[1], "--help") != 0;
    }
    lc_ctx_init(&ctx);
    test_ngrad();
    test_nderiv();
    test_ngrad_vec();
    test_decode();
    test_errors();
    lt_alloc_sweep(300, alloc_run);
    lc_ctx_clear(&ctx);
    return lt_report("test_deriv");
}
