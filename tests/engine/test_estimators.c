/* SPDX-License-Identifier: MIT */
/* Estimators: parsing, kernels, the documented identities, and user
 * compositions differentiated through the tape without hand-written rules. */
#include "lc_test.h"
#include "infnum/tape.h"

#include <string.h>

static lc_ctx ctx;

static lc_status relu_fn(lc_ctx *c, lc_batch *y, const lc_batch *x, void *data)
{
    (void)data;
    return lc_relu(c, y, x);
}

static void test_parse(void)
{
    lc_est e;
    OK(&ctx, lc_est_from_name(&ctx, "nonstandard:kernel=uniform,sigma=0.5", &e));
    CHECK(e.kind == LC_EST_KERNEL && e.kernel == LC_KERNEL_UNIFORM && e.sigma == 0.5 && e.tau == 1.0);
    OK(&ctx, lc_est_from_name(&ctx, "surrogate:tau=0.25", &e));
    CHECK(e.kind == LC_EST_SURROGATE && e.tau == 0.25);
    OK(&ctx, lc_est_from_name(&ctx, "composite:kernel=gaussian,sigma=0.5", &e));
    CHECK(e.kind == LC_EST_COMPOSITE && e.kernel == LC_KERNEL_GAUSSIAN && e.sigma == 0.5 && !e.rules);
    OK(&ctx, lc_est_from_name(&ctx, "kernel:sigma=0.25", &e));
    CHECK(e.kind == LC_EST_KERNEL && e.sigma == 0.25);
    CHECK(!strcmp(lc_est_name(LC_EST_KERNEL), "kernel") && !strcmp(lc_est_name(LC_EST_COMPOSITE), "composite"));
    for (int k = LC_EST_CLASSICAL; k <= LC_EST_COMPOSITE; k++) {
        OK(&ctx, lc_est_from_name(&ctx, lc_est_name((lc_est_kind)k), &e));
        CHECK(e.kind == (lc_est_kind)k && e.sigma == 1.0 && e.kernel == LC_KERNEL_GAUSSIAN);
    }
    lc_est keep = e;
    const char *bad[] = {"bogus", "", "ste:", "ste:sigma=-1", "nonstandard:kernel=box", "surrogate:tau=1x",
                         "nonstandard:sigma", "STE"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(lc_est_from_name(&ctx, bad[i], &e) == LC_EINVAL);
        CHECK(strstr(ctx.err, "lc_est_from_name") != NULL);
        CHECK(e.kind == keep.kind && e.tau == keep.tau && e.kernel == keep.kernel && e.sigma == keep.sigma);
    }
    CHECK(strcmp(lc_est_name((lc_est_kind)99), "?") == 0);
    lc_kernel k;
    CHECK(lc_kernel_from_name(&ctx, "uniform", &k) == LC_OK && k == LC_KERNEL_UNIFORM);
    CHECK(lc_kernel_from_name(&ctx, "box", &k) == LC_EINVAL);
}

static void test_kernels(void)
{
    double sig[] = {0.1, 1.0, 3.0};
    for (int s = 0; s < 3; s++)
        for (int k = 0; k < 2; k++) {
            double sum = 0, h = sig[s] / 2000.0;
            for (int i = -40000; i < 40000; i++) sum += h * lc_kernel_eval((lc_kernel)k, sig[s], (i + 0.5) * h);
            CHECK_CLOSE(sum, 1.0, 1e-6);
        }
    CHECK(lc_kernel_eval(LC_KERNEL_UNIFORM, 2.0, 0.999) == 0.5);
    CHECK(lc_kernel_eval(LC_KERNEL_UNIFORM, 2.0, -1.0) == 0.5); /* width σ: |t| ≤ σ/2 */
    CHECK(lc_kernel_eval(LC_KERNEL_UNIFORM, 2.0, 1.001) == 0.0);
    CHECK_CLOSE(lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.5, 0.0), 1.0 / (0.5 * sqrt(2 * 3.14159265358979323846)), 1e-15);
    CHECK(lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.0, 0.0) == 0.0);
}

/* Points on [-3, 3] including every breakpoint of step/sign/floor/round. */
#define NPTS 241
static void grid(double *u)
{
    for (int i = 0; i < NPTS; i++) u[i] = -3.0 + 0.025 * i;
}

static void test_identities(void)
{
    double u[NPTS], d[NPTS], d2[NPTS];
    grid(u);
    lc_est ns, ste, cl, sc;
    lc_est_init(&ns, LC_EST_KERNEL);
    lc_est_init(&ste, LC_EST_STE);
    lc_est_init(&cl, LC_EST_CLASSICAL);
    lc_est_init(&sc, LC_EST_STE_CLIPPED);
    /* round, uniform kernel of width 1 == identity straight-through */
    ns.kernel = LC_KERNEL_UNIFORM;
    ns.sigma = 1.0;
    OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_ROUND, u, NPTS, d));
    OK(&ctx, lc_est_deriv(&ctx, &ste, LC_PRIM_ROUND, u, NPTS, d2));
    for (int i = 0; i < NPTS; i++) CHECK(d[i] == 1.0 && d2[i] == 1.0);
    /* ... but not with a narrower box */
    ns.sigma = 0.5;
    OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_ROUND, u, NPTS, d));
    CHECK(d[120] == 0.0 && d[100] == 2.0); /* u = 0 (integer): 0; u = -0.5 (breakpoint): J/σ */

    /* step, σ → 0: vanishes away from 0, for both kernels; mass stays 1 at 0 */
    double sig[] = {0.1, 0.01, 0.001};
    for (int k = 0; k < 2; k++) {
        ns.kernel = (lc_kernel)k;
        double prev_far = INFINITY;
        for (int s = 0; s < 3; s++) {
            ns.sigma = sig[s];
            double pts[] = {0.3, -0.3, 0.05, -1.0, 2.5};
            OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_STEP, pts, 5, d));
            double far = 0;
            for (int i = 0; i < 5; i++) far = fmax(far, d[i]);
            CHECK(far <= prev_far);
            if (s == 2) CHECK(far == 0.0);
            prev_far = far;
            double zero = 0.0;
            OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_STEP, &zero, 1, d));
            CHECK_CLOSE(d[0], lc_kernel_eval(ns.kernel, sig[s], 0.0), 1e-15); /* J = 1 from the field */
        }
    }
    /* sign: J = 2 from the field */
    ns.kernel = LC_KERNEL_GAUSSIAN;
    ns.sigma = 0.25;
    double z0 = 0.1;
    OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_SIGN, &z0, 1, d));
    CHECK_CLOSE(d[0], 2.0 * lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.25, 0.1), 1e-14);
    /* floor: nearest integer breakpoint */
    double f0 = 2.8;
    OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_FLOOR, &f0, 1, d));
    CHECK_CLOSE(d[0], lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.25, -0.2), 1e-14);

    /* classical: exactly zero for every jump primitive */
    for (int p = LC_PRIM_STEP; p <= LC_PRIM_ROUND; p++) {
        OK(&ctx, lc_est_deriv(&ctx, &cl, (lc_prim)p, u, NPTS, d));
        for (int i = 0; i < NPTS; i++) CHECK(d[i] == 0.0);
    }
    /* ste_clipped */
    double c[] = {-1.0, 1.0, 1.0001, -2.0, 0.0};
    OK(&ctx, lc_est_deriv(&ctx, &sc, LC_PRIM_SIGN, c, 5, d));
    CHECK(d[0] == 1 && d[1] == 1 && d[2] == 0 && d[3] == 0 && d[4] == 1);
    /* surrogate: derivative of sigmoid(u/τ) at 0 is 1/(4τ) */
    lc_est su;
    lc_est_init(&su, LC_EST_SURROGATE);
    su.tau = 0.5;
    double zz = 0.0;
    OK(&ctx, lc_est_deriv(&ctx, &su, LC_PRIM_STEP, &zz, 1, d));
    CHECK_CLOSE(d[0], 0.5, 1e-15);
    OK(&ctx, lc_est_deriv(&ctx, &su, LC_PRIM_RELU, &zz, 1, d));
    CHECK_CLOSE(d[0], 0.5, 1e-15);

    /* kinks: the a.e. derivative with the field's two-sided mean at 0 */
    double k[] = {-1.0, 0.0, 2.0}, reg[3];
    OK(&ctx, lc_est_deriv(&ctx, &ns, LC_PRIM_RELU, k, 3, d));
    OK(&ctx, lc_ngrad_decode(&ctx, reg, NULL, relu_fn, NULL, k, 3));
    for (int i = 0; i < 3; i++) CHECK(d[i] == reg[i]);
    CHECK(d[1] == 0.5);
    OK(&ctx, lc_est_deriv(&ctx, &ste, LC_PRIM_ABS, k, 3, d));
    CHECK(d[0] == -1.0 && d[1] == 0.0 && d[2] == 1.0);

    /* bad input */
    CHECK(lc_est_deriv(&ctx, &ns, LC_PRIM_STEP, NULL, 3, d) == LC_EINVAL);
    ns.sigma = -1;
    CHECK(lc_est_deriv(&ctx, &ns, LC_PRIM_STEP, u, 3, d) == LC_EINVAL);
    CHECK(lc_est_deriv(&ctx, &ste, (lc_prim)42, u, 3, d) == LC_EINVAL);
}

/* Gradient of sum(f(x)) on the tape for the composition selected by which. */
static void tape_grad(const lc_est *e, int which, const double *x, int n, double *g, double *y)
{
    lc_tape t;
    lc_tape_init(&t, &ctx);
    OK(&ctx, lc_tape_set_est(&t, e));
    double xv[NPTS];
    memcpy(xv, x, (size_t)n * sizeof *x);
    memset(g, 0, (size_t)n * sizeof *g);
    lc_var v = lc_tape_param(&t, xv, g, n, 1), f;
    if (which == 0) /* x + round(x) */
        f = lc_tape_add(&t, v, lc_tape_unary(&t, LC_FUN_ROUND, v));
    else /* 3·step(x) − sign(x − 1) */
        f = lc_tape_sub(&t, lc_tape_scale(&t, lc_tape_unary(&t, LC_FUN_STEP, v), 3.0),
                        lc_tape_unary(&t, LC_FUN_SIGN, lc_tape_add_scalar(&t, v, -1.0)));
    OK(&ctx, lc_tape_backward(&t, lc_tape_sum(&t, f)));
    const double *fv = lc_tape_value(&t, f, NULL, NULL);
    CHECK(fv != NULL);
    if (fv) memcpy(y, fv, (size_t)n * sizeof *y);
    lc_tape_clear(&t);
}

static void test_compositions(void)
{
    double u[NPTS], g[NPTS], y[NPTS];
    grid(u);
    lc_est ns, cl, ste;
    lc_est_init(&ns, LC_EST_KERNEL);
    lc_est_init(&cl, LC_EST_CLASSICAL);
    lc_est_init(&ste, LC_EST_STE);
    /* x + round(x): uniform width 1 → 1 + 1 everywhere; classical → 1 */
    ns.kernel = LC_KERNEL_UNIFORM;
    ns.sigma = 1.0;
    tape_grad(&ns, 0, u, NPTS, g, y);
    for (int i = 0; i < NPTS; i++) CHECK(g[i] == 2.0 && y[i] == u[i] + round(u[i]));
    tape_grad(&cl, 0, u, NPTS, g, y);
    for (int i = 0; i < NPTS; i++) CHECK(g[i] == 1.0);
    ns.kernel = LC_KERNEL_GAUSSIAN;
    ns.sigma = 0.2;
    tape_grad(&ns, 0, u, NPTS, g, y);
    for (int i = 0; i < NPTS; i++) {
        double b = floor(u[i]) + 0.5; /* nearest half-integer */
        if (u[i] - floor(u[i]) == 0.0) b = u[i] - 0.5; /* equidistant: the lower one */
        CHECK_CLOSE(g[i], 1.0 + lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.2, u[i] - b), 1e-13);
    }
    /* 3·step(x) − sign(x − 1): 3κσ(x) − 2κσ(x − 1) */
    ns.sigma = 0.3;
    tape_grad(&ns, 1, u, NPTS, g, y);
    for (int i = 0; i < NPTS; i++)
        CHECK_CLOSE(g[i], 3.0 * lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.3, u[i]) -
                              2.0 * lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.3, u[i] - 1.0), 1e-13);
    tape_grad(&ste, 1, u, NPTS, g, y);
    for (int i = 0; i < NPTS; i++) CHECK(g[i] == 2.0);
    tape_grad(&cl, 1, u, NPTS, g, y);
    for (int i = 0; i < NPTS; i++) CHECK(g[i] == 0.0);
    CHECK(y[0] == 1.0 && y[NPTS - 1] == 2.0); /* x = -3: 0 - (-1); x = 3: 3 - 1 */
}

/* Hard argmax: one-hot values (ties to the lowest index) and the chain rule
 * of step(a_j − max_{k≠j} a_k) under the estimator. */
static void test_argmax(void)
{
    double a[6] = {0.1, 0.5, 0.3, 1.0, 1.0, -2.0}, ga[6], w[6] = {1, 2, 3, -1, 0.5, 2};
    int other[6] = {1, 2, 1, 1, 0, 0};
    lc_est e;
    for (int kind = 0; kind < 2; kind++) {
        lc_est_init(&e, kind ? LC_EST_KERNEL : LC_EST_CLASSICAL);
        e.sigma = 0.3;
        lc_tape t;
        lc_tape_init(&t, &ctx);
        OK(&ctx, lc_tape_set_est(&t, &e));
        memset(ga, 0, sizeof ga);
        lc_var x = lc_tape_param(&t, a, ga, 2, 3);
        lc_var y = lc_tape_argmax(&t, x);
        OK(&ctx, lc_tape_backward(&t, lc_tape_sum(&t, lc_tape_mul(&t, y, lc_tape_const(&t, w, 2, 3)))));
        const double *yv = lc_tape_value(&t, y, NULL, NULL);
        CHECK(yv && yv[0] == 0 && yv[1] == 1 && yv[2] == 0 && yv[3] == 1 && yv[4] == 0 && yv[5] == 0);
        double want[6] = {0};
        for (int i = 0; i < 6; i++) {
            int o = (i / 3) * 3 + other[i];
            double d = kind ? lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.3, a[i] - a[o]) : 0.0;
            want[i] += w[i] * d;
            want[o] -= w[i] * d;
        }
        for (int i = 0; i < 6; i++) CHECK_CLOSE(ga[i], want[i], 1e-14);
        if (kind) CHECK(ga[1] != 0.0);
        lc_tape_clear(&t);
    }
}

/* The quantiser as one primitive; the composite of a primitive alone. */
static void test_quant_and_composite(void)
{
    double u[7] = {-0.5, 0.0, 0.1, 1.0 / 6, 0.5, 1.0, 1.4}, d[7];
    lc_est e;
    OK(&ctx, lc_est_from_name(&ctx, "ste_clipped", &e));
    OK(&ctx, lc_est_quant_deriv(&ctx, &e, 2, u, 7, d));
    for (int i = 0; i < 7; i++) CHECK(d[i] == (u[i] >= 0 && u[i] <= 1 ? 1.0 : 0.0)); /* the real range [0, 1] */
    OK(&ctx, lc_est_from_name(&ctx, "kernel:sigma=0.1", &e));
    OK(&ctx, lc_est_quant_deriv(&ctx, &e, 2, u, 7, d));
    for (int i = 0; i < 7; i++) { /* J = 1/3 at the nearest of 1/6, 1/2, 5/6 */
        double b = u[i] < 1.0 / 3 ? 1.0 / 6 : u[i] < 2.0 / 3 ? 0.5 : 5.0 / 6;
        CHECK_CLOSE(d[i], lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.1, u[i] - b) / 3, 1e-12);
    }
    CHECK(lc_est_quant_deriv(&ctx, &e, 0, u, 7, d) == LC_EINVAL);
    OK(&ctx, lc_est_from_name(&ctx, "composite:sigma=0.4", &e));
    OK(&ctx, lc_est_deriv(&ctx, &e, LC_PRIM_ROUND, u, 7, d));
    for (int i = 0; i < 7; i++) { /* every half-integer within 8σ */
        double want = 0;
        for (int k = -5; k <= 5; k++)
            if (fabs(u[i] - (k + 0.5)) <= 3.2) want += lc_kernel_eval(LC_KERNEL_GAUSSIAN, 0.4, u[i] - (k + 0.5));
        CHECK_CLOSE(d[i], want, 1e-12);
    }
}

int main(void)
{
    lc_ctx_init(&ctx);
    test_parse();
    test_quant_and_composite();
    test_kernels();
    test_identities();
    test_compositions();
    test_argmax();
    lc_ctx_clear(&ctx);
    return lt_report("engine_test_estimators");
}
