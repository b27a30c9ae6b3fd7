/* SPDX-License-Identifier: MIT */
/* Reverse mode: gradients of smooth compositions (real tensors and
 * Levi-Civita batches) against central finite differences, and against
 * forward mode (lc_ngrad_vec) on the same functions. */
#include "lc_test.h"
#include "infnum/nn.h"

#include <string.h>

static lc_ctx ctx;

/* ---------------------------------------------------------------- helpers */

/* Relative agreement of two gradient vectors: |a − b| ≤ tol·max(|b|, 1e-3·‖b‖∞). */
static void check_grad(const char *what, const double *a, const double *b, int n, double tol)
{
    double inf = 0;
    for (int i = 0; i < n; i++) inf = fmax(inf, fabs(b[i]));
    CHECK(inf > 0);
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double e = fabs(a[i] - b[i]) / fmax(fabs(b[i]), 1e-3 * inf);
        worst = fmax(worst, e);
    }
    printf("%-28s n=%3d  max rel err %.2e\n", what, n, worst);
    CHECK(worst <= tol);
}

/* A scalar objective of parameters p (n values) recorded on t. */
typedef lc_var (*objective)(lc_tape *t, double *p, double *g, int n);

/* Value of the objective at p. */
static double eval(objective f, double *p, int n)
{
    lc_tape t;
    lc_tape_init(&t, &ctx);
    double g[64];
    lc_var v = f(&t, p, g, n);
    const double *y = lc_tape_value(&t, v, NULL, NULL);
    OK(&ctx, lc_tape_status(&t));
    double r = y ? y[0] : NAN;
    lc_tape_clear(&t);
    return r;
}

/* Reverse-mode gradient vs central differences (h = 1e-5·max(1,|p|)). */
static void gradcheck(const char *what, objective f, const double *p0, int n)
{
    double p[64], g[64], fd[64];
    memcpy(p, p0, (size_t)n * sizeof *p);
    memset(g, 0, sizeof g);
    lc_tape t;
    lc_tape_init(&t, &ctx);
    OK(&ctx, lc_tape_backward(&t, f(&t, p, g, n)));
    lc_tape_clear(&t);
    for (int i = 0; i < n; i++) {
        double h = 1e-5 * fmax(1.0, fabs(p0[i]));
        p[i] = p0[i] + h;
        double fp = eval(f, p, n);
        p[i] = p0[i] - h;
        double fm = eval(f, p, n);
        p[i] = p0[i];
        fd[i] = (fp - fm) / (2 * h);
    }
    check_grad(what, g, fd, n, 1e-6);
}

/* ------------------------------------------------------------ real tensors */

static const int32_t labels[4] = {2, 0, 1, 2};
static const double X[4 * 3] = {0.5, -1.0, 0.25, 1.5, 0.3, -0.7, -0.2, 0.8, 1.1, 0.9, -1.3, 0.4};

/* p = W1 (3×3), b1 (3), W2 (3×3), b2 (3), s (3): a tiny MLP with smooth ops. */
static lc_var obj_mlp(lc_tape *t, double *p, double *g, int n)
{
    lc_var x = lc_tape_const(t, X, 4, 3);
    lc_var w1 = lc_tape_param(t, p, g, 3, 3), b1 = lc_tape_param(t, p + 9, g + 9, 1, 3);
    lc_var w2 = lc_tape_param(t, p + 12, g + 12, 3, 3), b2 = lc_tape_param(t, p + 21, g + 21, 1, 3);
    lc_var s = lc_tape_param(t, p + 24, g + 24, 1, 3);
    lc_var h = lc_tape_unary(t, LC_FUN_TANH, lc_tape_linear(t, x, w1, b1));
    lc_var h2 = lc_tape_mul(t, lc_tape_unary(t, LC_FUN_SIGMOID, h), s);      /* row broadcast */
    lc_var h3 = lc_tape_add(t, h2, lc_tape_unary(t, LC_FUN_SIN, h));
    lc_var z = lc_tape_linear(t, h3, w2, b2);
    lc_var loss = lc_tape_softmax_xent(t, z, labels);
    /* extra smooth terms: matmul, div, pow, log∘softplus, sqrt, recip, exp, cos */
    lc_var m = lc_tape_matmul(t, x, w1);                                     /* 4×3 */
    lc_var q = lc_tape_div(t, lc_tape_unary(t, LC_FUN_COS, m),
                           lc_tape_add_scalar(t, lc_tape_pow(t, lc_tape_unary(t, LC_FUN_EXP, m), 2.0), 1.0));
    lc_var r = lc_tape_unary(t, LC_FUN_LOG, lc_tape_unary(t, LC_FUN_SOFTPLUS, q));
    lc_var u = lc_tape_unary(t, LC_FUN_SQRT, lc_tape_add_scalar(t, lc_tape_mul(t, r, r), 1.0));
    lc_var v = lc_tape_unary(t, LC_FUN_RECIP, lc_tape_add_scalar(t, lc_tape_pow(t, u, 1.5), 0.5));
    lc_var extra = lc_tape_mean(t, lc_tape_sub(t, v, lc_tape_scale(t, lc_tape_unary(t, LC_FUN_NEG, u), 0.1)));
    (void)n;
    return lc_tape_add(t, loss, lc_tape_scale(t, extra, 0.3));
}

/* ----------------------------------------------------- Levi-Civita batches */

/* p[0..3] = points x, p[4..7] = directions v, p[8..11] = row scales. F(y) on y = x + v·ε, objective
 * Σ coefficients ε⁰, ε¹, ε² of F: derivatives of f up to order 2. */
static lc_var obj_lc(lc_tape *t, double *p, double *g, int n)
{
    lc_var x = lc_tape_param(t, p, g, 4, 1), v = lc_tape_param(t, p + 4, g + 4, 4, 1);
    lc_var w = lc_tape_param(t, p + 8, g + 8, 1, 4);
    lc_var y = lc_tape_lc_from_real(t, x, v);
    /* F(y) = exp(sin y)·y + sqrt(y² + 3)/(y + 4) − tanh(y)·sigmoid(y) + log(softplus(y)) + cos(y)^2.5... */
    lc_var a = lc_tape_lc_mul(t, lc_tape_lc_unary(t, LC_FUN_EXP, lc_tape_lc_unary(t, LC_FUN_SIN, y)), y);
    lc_var b = lc_tape_lc_div(t, lc_tape_lc_unary(t, LC_FUN_SQRT, lc_tape_lc_add_real(t, lc_tape_lc_mul(t, y, y), 3.0)),
                              lc_tape_lc_add_real(t, y, 4.0));
    lc_var c = lc_tape_lc_mul(t, lc_tape_lc_unary(t, LC_FUN_TANH, y), lc_tape_lc_unary(t, LC_FUN_SIGMOID, y));
    lc_var d = lc_tape_lc_unary(t, LC_FUN_LOG, lc_tape_lc_unary(t, LC_FUN_SOFTPLUS, y));
    lc_var e = lc_tape_lc_pow(t, lc_tape_lc_add_real(t, lc_tape_lc_unary(t, LC_FUN_COS, y), 2.0), 2.5);
    lc_var f = lc_tape_lc_unary(t, LC_FUN_RECIP, lc_tape_lc_add_real(t, lc_tape_lc_scale(t, y, 0.5), 3.0));
    /* kinks by the order: abs(y − 0.1), max(y, 0.2·y), min with a constant batch */
    lc_var k = lc_tape_lc_add(t, lc_tape_lc_unary(t, LC_FUN_ABS, lc_tape_lc_add_real(t, y, -0.1)),
                              lc_tape_lc_max(t, y, lc_tape_lc_scale(t, y, 0.2)));
    lc_var s = lc_tape_lc_add(t, lc_tape_lc_sub(t, lc_tape_lc_add(t, a, b), c), lc_tape_lc_add(t, d, e));
    s = lc_tape_lc_add(t, lc_tape_lc_add(t, s, f), lc_tape_lc_unary(t, LC_FUN_NEG, k));
    s = lc_tape_lc_scale_rows(t, s, w);
    /* a step inside: exact output, no gradient, value only */
    s = lc_tape_lc_add(t, s, lc_tape_lc_unary(t, LC_FUN_STEP, y));
    static const int64_t pick[5] = {3, 0, 0, 2, 1}; /* row 0 twice: adjoints add up */
    s = lc_tape_lc_gather(t, s, pick, 5);
    lc_var o0 = lc_tape_sum(t, lc_tape_lc_coeff(t, s, 0, 1));
    lc_var o1 = lc_tape_sum(t, lc_tape_lc_coeff(t, s, 1, 1));  /* ε⁰ coefficient of ngrad */
    lc_var o2 = lc_tape_sum(t, lc_tape_lc_coeff(t, s, 2, 1));
    (void)n;
    return lc_tape_add(t, lc_tape_add(t, o0, lc_tape_scale(t, o1, 0.7)), lc_tape_scale(t, o2, 1.3));
}

/* Fractional and negative exponents: z = ε·(x + ε) (x > 0);
 * objective = [ε^½] sqrt z + [ε^(3/2)] sqrt z + [ε⁻¹] 1/z + 0.5·[ε⁰] 1/z. */
static lc_var obj_puiseux(lc_tape *t, double *p, double *g, int n)
{
    lc_batch e;
    lc_batch_init(&e, LC_F64, LC_I32);
    OK(t->ctx, lc_batch_set_monomial(t->ctx, &e, 1, 1.0, 1, 1));
    lc_var eps = lc_tape_lc_const(t, &e);
    lc_batch_clear(t->ctx, &e);
    lc_var x = lc_tape_param(t, p, g, n, 1);
    lc_var z = lc_tape_lc_mul(t, lc_tape_lc_from_real(t, x, LC_VAR_NONE), eps);
    lc_var r = lc_tape_lc_unary(t, LC_FUN_SQRT, z), q = lc_tape_lc_unary(t, LC_FUN_RECIP, z);
    lc_var o = lc_tape_add(t, lc_tape_sum(t, lc_tape_lc_coeff(t, r, 1, 2)), lc_tape_sum(t, lc_tape_lc_coeff(t, r, 3, 2)));
    o = lc_tape_add(t, o, lc_tape_sum(t, lc_tape_lc_coeff(t, q, -1, 1)));
    return lc_tape_add(t, o, lc_tape_scale(t, lc_tape_sum(t, lc_tape_lc_coeff(t, q, 0, 1)), 0.5));
}

/* Zero coefficients still get their partial derivative: ε¹ coefficient of
 * (x + ε)² is 2x; at x = 0 the value has no ε¹ term, the gradient is 2. */
static void test_absent_coefficient(void)
{
    lc_tape t;
    lc_tape_init(&t, &ctx);
    double x = 0.0, g = 0.0;
    lc_var v = lc_tape_param(&t, &x, &g, 1, 1);
    lc_var y = lc_tape_lc_from_real(&t, v, LC_VAR_NONE);
    lc_var o = lc_tape_sum(&t, lc_tape_lc_coeff(&t, lc_tape_lc_mul(&t, y, y), 1, 1));
    OK(&ctx, lc_tape_backward(&t, o));
    CHECK(lc_tape_value(&t, o, NULL, NULL)[0] == 0.0);
    CHECK(g == 2.0);
    /* a second backward on the same recording is refused */
    CHECK(lc_tape_backward(&t, o) == LC_EINVAL);
    lc_tape_clear(&t);
}

/* ------------------------------------------------ forward (ngrad) vs reverse */

/* f(x) = Σ_j sin(x_j)·x_{j+1} + exp(x_0·x_1)/(1 + x_2²) + log(2 + x_3²)·sqrt(1 + x_0²) */
static lc_status f_lc(lc_ctx *c, lc_batch *y, const lc_batch *x, int64_t nv, void *data)
{
    (void)data;
    lc_batch t1, t2, t3;
    lc_batch_init(&t1, LC_F64, LC_I32);
    lc_batch_init(&t2, LC_F64, LC_I32);
    lc_batch_init(&t3, LC_F64, LC_I32);
    lc_status s = lc_scale(c, y, &x[0], 0.0); /* exact zeros */
    for (int64_t j = 0; !s && j + 1 < nv; j++) {
        s = lc_sin(c, &t1, &x[j]);
        if (!s) s = lc_mul(c, &t1, &t1, &x[j + 1]);
        if (!s) s = lc_add(c, y, y, &t1);
    }
    if (!s) s = lc_mul(c, &t1, &x[0], &x[1]);
    if (!s) s = lc_exp(c, &t1, &t1);
    if (!s) s = lc_mul(c, &t2, &x[2], &x[2]);
    if (!s) s = lc_add_real(c, &t2, &t2, 1.0);
    if (!s) s = lc_div(c, &t1, &t1, &t2);
    if (!s) s = lc_add(c, y, y, &t1);
    if (!s) s = lc_mul(c, &t1, &x[3], &x[3]);
    if (!s) s = lc_add_real(c, &t1, &t1, 2.0);
    if (!s) s = lc_log(c, &t1, &t1);
    if (!s) s = lc_mul(c, &t3, &x[0], &x[0]);
    if (!s) s = lc_add_real(c, &t3, &t3, 1.0);
    if (!s) s = lc_sqrt(c, &t3, &t3);
    if (!s) s = lc_mul(c, &t1, &t1, &t3);
    if (!s) s = lc_add(c, y, y, &t1);
    lc_batch_clear(c, &t1);
    lc_batch_clear(c, &t2);
    lc_batch_clear(c, &t3);
    return s;
}

static lc_var f_tape(lc_tape *t, double *p, double *g, int n)
{
    lc_var x[8];
    for (int j = 0; j < n; j++) x[j] = lc_tape_param(t, p + j, g + j, 1, 1);
    static const double zero = 0.0;
    lc_var y = lc_tape_const(t, &zero, 1, 1);
    for (int j = 0; j + 1 < n; j++)
        y = lc_tape_add(t, y, lc_tape_mul(t, lc_tape_unary(t, LC_FUN_SIN, x[j]), x[j + 1]));
    lc_var a = lc_tape_div(t, lc_tape_unary(t, LC_FUN_EXP, lc_tape_mul(t, x[0], x[1])),
                           lc_tape_add_scalar(t, lc_tape_mul(t, x[2], x[2]), 1.0));
    lc_var b = lc_tape_mul(t, lc_tape_unary(t, LC_FUN_LOG, lc_tape_add_scalar(t, lc_tape_mul(t, x[3], x[3]), 2.0)),
                           lc_tape_unary(t, LC_FUN_SQRT, lc_tape_add_scalar(t, lc_tape_mul(t, x[0], x[0]), 1.0)));
    return lc_tape_add(t, lc_tape_add(t, y, a), b);
}

static void test_forward_vs_reverse(void)
{
    double p[5] = {0.3, -0.7, 1.1, 0.4, -1.2}, g[5] = {0}, gf[5];
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    OK(&ctx, lc_ngrad_vec(&ctx, &out, gf, f_lc, NULL, p, 5));
    lc_batch_clear(&ctx, &out);
    lc_tape t;
    lc_tape_init(&t, &ctx);
    OK(&ctx, lc_tape_backward(&t, f_tape(&t, p, g, 5)));
    lc_tape_clear(&t);
    check_grad("forward ngrad vs reverse", g, gf, 5, 1e-12);
    gradcheck("reverse vs finite diff (same f)", f_tape, p, 5);
}

/* g(y) = exp(sin y)·y, in the field (for lc_nderiv) and on the tape. */
static lc_status g_lc(lc_ctx *c, lc_batch *y, const lc_batch *x, void *data)
{
    (void)data;
    lc_status s = lc_sin(c, y, x);
    if (!s) s = lc_exp(c, y, y);
    return s ? s : lc_mul(c, y, y, x);
}

/* Reverse mode through the ε⁰ coefficient of ngrad (= g'(x)) gives g''(x):
 * the same number forward mode reads from 2·[ε²] g(x + ε). */
static void test_second_derivative(void)
{
    double x[3] = {0.3, -1.1, 2.4}, gx[3] = {0}, d2[3];
    OK(&ctx, lc_nderiv(&ctx, d2, g_lc, NULL, x, 3, 2));
    lc_tape t;
    lc_tape_init(&t, &ctx);
    lc_var y = lc_tape_lc_from_real(&t, lc_tape_param(&t, x, gx, 3, 1), LC_VAR_NONE);
    lc_var f = lc_tape_lc_mul(&t, lc_tape_lc_unary(&t, LC_FUN_EXP, lc_tape_lc_unary(&t, LC_FUN_SIN, y)), y);
    OK(&ctx, lc_tape_backward(&t, lc_tape_sum(&t, lc_tape_lc_coeff(&t, f, 1, 1))));
    lc_tape_clear(&t);
    check_grad("reverse(ngrad) vs nderiv k=2", gx, d2, 3, 1e-12);
}

/* ------------------------------------------------------------- errors */

static void test_errors(void)
{
    lc_tape t;
    lc_tape_init(&t, &ctx);
    double a[6] = {1, 2, 3, 4, 5, 6}, ga[6] = {0};
    lc_var x = lc_tape_param(&t, a, ga, 2, 3), y = lc_tape_param(&t, a, ga, 3, 2);
    CHECK(lc_tape_add(&t, x, y) == LC_VAR_NONE);           /* shape */
    CHECK(lc_tape_status(&t) == LC_ESHAPE);
    CHECK(lc_tape_sum(&t, x) == LC_VAR_NONE);               /* sticky */
    CHECK(lc_tape_backward(&t, 0) == LC_ESHAPE);
    lc_tape_reset(&t);
    x = lc_tape_param(&t, a, ga, 2, 3);
    CHECK(lc_tape_backward(&t, x) == LC_EINVAL);            /* not 1×1 */
    int32_t bad[2] = {0, 3};
    CHECK(lc_tape_softmax_xent(&t, x, bad) == LC_VAR_NONE && lc_tape_status(&t) == LC_EINVAL);
    CHECK(strstr(ctx.err, "label 3") != NULL);
    lc_tape_reset(&t);
    CHECK(lc_tape_lc_unary(&t, LC_FUN_EXP, lc_tape_param(&t, a, ga, 1, 1)) == LC_VAR_NONE); /* real as LC */
    lc_tape_reset(&t);
    /* log of an infinitesimal is not in the field: the core's error comes through */
    double z = 0.0, zd = 1.0, gz = 0;
    lc_var v = lc_tape_lc_from_real(&t, lc_tape_param(&t, &z, &gz, 1, 1), lc_tape_const(&t, &zd, 1, 1));
    CHECK(lc_tape_lc_unary(&t, LC_FUN_LOG, v) == LC_VAR_NONE && lc_tape_status(&t) == LC_EDOMAIN);
    lc_tape_reset(&t);
    double neg = -1.0;
    CHECK(lc_tape_unary(&t, LC_FUN_LOG, lc_tape_const(&t, &neg, 1, 1)) == LC_VAR_NONE);
    CHECK(lc_tape_status(&t) == LC_EDOMAIN && strstr(ctx.err, "lc_tape_unary") != NULL);
    for (int i = 0; i < 6; i++) CHECK(ga[i] == 0.0);
    lc_tape_clear(&t);
}

int main(void)
{
    lc_ctx_init(&ctx);
    lc_rng r;
    lc_rng_seed(&r, 2024);
    double p[27];
    for (int i = 0; i < 27; i++) p[i] = 0.7 * lc_rng_normal(&r);
    gradcheck("real MLP + smooth ops", obj_mlp, p, 27);
    double q[12] = {0.4, -0.8, 1.3, 0.15, 1.0, 0.5, -1.2, 2.0, 0.9, -1.1, 0.6, 1.4};
    gradcheck("LC batch coefficients", obj_lc, q, 12);
    double z[3] = {0.7, 1.9, 3.2};
    gradcheck("LC Puiseux / infinite terms", obj_puiseux, z, 3);
    test_absent_coefficient();
    test_forward_vs_reverse();
    test_second_derivative();
    test_errors();
    lc_ctx_clear(&ctx);
    return lt_report("engine_test_tape_grad");
}
