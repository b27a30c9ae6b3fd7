/* SPDX-License-Identifier: MIT */
/* The composite and kernel estimators: (1) on x + round(x) and
 * 3·step(x) − sign(x − 1) recorded on a tape, the composite gradient equals
 * the field's two-sided decoding (lc_ngrad_decode) spread by the kernel;
 * (2) on small MLPs the composite gradient of every hidden unit matches the
 * derivative of the loss smoothed in that unit alone, E_z[L(u + σz)],
 * integrated numerically (pieces found by bisection of a plain forward
 * pass), to 1e-6; (3) the MLP's fast path agrees with the tape's field
 * replay; (4) ablation: the field's J, b and reg replaced by constants give
 * bit-identical training. */
#include "lc_test.h"
#include "infnum/nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------- (1) tape vs field decoding */

static lc_status f_round(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    (void)d;
    lc_status s = lc_round(c, y, x);
    return s ? s : lc_add(c, y, y, x);
}

static lc_status f_steps(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d)
{
    (void)d;
    lc_batch a, b;
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&b, LC_F64, LC_I64);
    lc_status s = lc_step(c, &a, x);
    if (!s) s = lc_scale(c, &a, &a, 3.0);
    if (!s) s = lc_add_real(c, &b, x, -1.0);
    if (!s) s = lc_sign(c, &b, &b);
    if (!s) s = lc_sub(c, y, &a, &b);
    lc_batch_clear(c, &a);
    lc_batch_clear(c, &b);
    return s;
}

/* The composite gradient of sum(F(x)) through the tape for n points. */
static void tape_grad(lc_ctx *ctx, int which, const lc_est *e, double *x, int64_t n, double *g)
{
    static const double one = 1.0;
    lc_tape t;
    lc_tape_init(&t, ctx);
    OK(ctx, lc_tape_set_est(&t, e));
    memset(g, 0, (size_t)n * sizeof *g);
    lc_var v = lc_tape_param(&t, x, g, n, 1), y;
    if (which == 0) {
        y = lc_tape_add(&t, v, lc_tape_unary(&t, LC_FUN_ROUND, v));
    } else {
        lc_var s = lc_tape_unary(&t, LC_FUN_SIGN, lc_tape_sub(&t, v, lc_tape_const(&t, &one, 1, 1)));
        y = lc_tape_sub(&t, lc_tape_scale(&t, lc_tape_unary(&t, LC_FUN_STEP, v), 3.0), s);
    }
    OK(ctx, lc_tape_backward(&t, lc_tape_sum(&t, y)));
    lc_tape_clear(&t);
}

static void test_decoding(lc_ctx *ctx)
{
    enum { n = 41 };
    double x[n], g[n];
    for (int i = 0; i < n; i++) x[i] = -2.0 + 0.1 * i + 0.003 * (i % 7); /* near and at breakpoints */
    x[5] = 0.5, x[6] = 0.0, x[7] = 1.0; /* exactly at breakpoints */
    lc_kernel kernels[] = {LC_KERNEL_GAUSSIAN, LC_KERNEL_UNIFORM};
    double sigmas[] = {0.1, 0.3, 0.7};
    for (int which = 0; which < 2; which++)
        for (int kk = 0; kk < 2; kk++)
            for (int si = 0; si < 3; si++) {
                lc_est e;
                OK(ctx, lc_est_from_name(ctx, "composite", &e));
                e.kernel = kernels[kk];
                e.sigma = sigmas[si];
                tape_grad(ctx, which, &e, x, n, g);
                lc_fn f = which ? f_steps : f_round;
                for (int i = 0; i < n; i++) {
                    /* F's breakpoints: the half-integers (x + round x), {0, 1} (the steps) */
                    double reg, want = 0;
                    OK(ctx, lc_ngrad_decode(ctx, &reg, NULL, f, NULL, &x[i], 1));
                    want = reg;
                    for (int k = -12; k <= 12; k++) {
                        double b = which ? (k == 0 ? 0.0 : k == 1 ? 1.0 : NAN) : k + 0.5, mass;
                        if (isnan(b) || fabs(x[i] - b) > (kk ? 0.5 : 8.0) * e.sigma) continue;
                        OK(ctx, lc_ngrad_decode(ctx, NULL, &mass, f, NULL, &b, 1));
                        want += mass * lc_kernel_eval(e.kernel, e.sigma, x[i] - b);
                    }
                    CHECK_MSG(fabs(g[i] - want) <= 1e-12 * fmax(1, fabs(want)),
                              "F%d kernel %d sigma %g x=%.17g: tape %.17g field %.17g", which, kk, e.sigma, x[i],
                              g[i], want);
                }
            }
}

/* -------------------------------------------- (2) numerical integration */

/* A plain forward pass of net on one row x with hidden unit (l, i)'s
 * pre-activation set to v (l < 0: none): the loss. */
static double plain_loss(const lc_ctx *ctx, const lc_nn *net, const float *x, int32_t y, int l, int64_t i, double v)
{
    const lc_nn_cfg *c = &net->cfg;
    double a[16], b[16];
    int64_t in = c->nin;
    for (int64_t j = 0; j < in; j++) a[j] = x[j];
    for (int m = 0; m <= c->nhidden; m++) {
        int64_t out = m == c->nhidden ? c->nout : c->hidden[m];
        const double *W = net->params + net->w_off[m], *B = net->params + net->b_off[m];
        for (int64_t j = 0; j < out; j++) {
            double s = 0;
            for (int64_t q = 0; q < in; q++) s += W[j * in + q] * a[q];
            b[j] = s + B[j];
        }
        if (m < c->nhidden) {
            if (m == l) b[i] = v;
            for (int64_t j = 0; j < out; j++) {
                double u = b[j];
                if (c->act == LC_ACT_STEP) b[j] = u > 0 ? 1 : u < 0 ? 0 : (ctx->h0 == LC_H0_HALF ? 0.5 : ctx->h0 == LC_H0_ONE);
                else if (c->act == LC_ACT_SIGN) b[j] = u > 0 ? 1 : u < 0 ? -1 : ctx->sign0;
                else {
                    double mm = (double)((1 << c->bits) - 1), q = fmin(fmax(u, 0), 1) * mm;
                    b[j] = round(q) / mm; /* ties do not occur on the grid below */
                }
            }
        }
        memcpy(a, b, (size_t)out * sizeof *a);
        in = out;
    }
    double mx = a[0], s = 0;
    for (int64_t j = 1; j < c->nout; j++) mx = fmax(mx, a[j]);
    for (int64_t j = 0; j < c->nout; j++) s += exp(a[j] - mx);
    return mx + log(s) - a[y];
}

/* S(u) = ∫ L(v) φσ(v − u) dv over [u − 12σ, u + 12σ]: L is piecewise constant
 * in v (one unit's pre-activation), its pieces located by scanning and
 * bisection; each piece integrates exactly with Φ. */
static double smoothed(const lc_ctx *ctx, const lc_nn *net, const float *x, int32_t y, int l, int64_t i, double u,
                       double sigma)
{
    const int grid = 6000;
    double lo = u - 12 * sigma, hi = u + 12 * sigma, S = 0, left = lo;
    double Lleft = plain_loss(ctx, net, x, y, l, i, lo);
    for (int k = 1; k <= grid; k++) {
        double v = lo + (hi - lo) * k / grid, Lv = plain_loss(ctx, net, x, y, l, i, v);
        if (Lv != Lleft || k == grid) {
            double a = lo + (hi - lo) * (k - 1) / grid, b = v; /* the change lies in (a, b] */
            if (k == grid && Lv == Lleft) a = b = hi;
            for (int it = 0; it < 200 && b - a > 1e-15 * fmax(1, fabs(b)); it++) {
                double m = 0.5 * (a + b);
                if (plain_loss(ctx, net, x, y, l, i, m) == Lleft) a = m;
                else b = m;
            }
            double c = 0.5 * (a + b);
            S += Lleft * 0.5 * (erfc((left - u) / (sigma * 1.4142135623730951)) - erfc((c - u) / (sigma * 1.4142135623730951)));
            left = c;
            Lleft = Lv;
        }
    }
    return S;
}

static void init_net(lc_ctx *ctx, lc_nn *net, const char *act, const char *est, int nh, int width, uint64_t seed)
{
    lc_nn_cfg cfg;
    lc_nn_cfg_init(&cfg);
    cfg.nin = 4;
    cfg.nout = 3;
    cfg.nhidden = nh;
    for (int l = 0; l < nh; l++) cfg.hidden[l] = width;
    cfg.batch = 8;
    cfg.seed = seed;
    OK(ctx, lc_act_from_name(ctx, act, &cfg.act, &cfg.bits));
    OK(ctx, lc_est_from_name(ctx, est, &cfg.est));
    OK(ctx, lc_nn_init(ctx, net, &cfg));
    lc_rng r; /* biases spread so that units sit near breakpoints of every kind */
    lc_rng_seed(&r, seed + 7);
    for (int l = 0; l < nh; l++)
        for (int64_t j = 0; j < width; j++) net->params[net->b_off[l] + j] = 0.6 * lc_rng_normal(&r) + (act[0] == 'r' ? 0.5 : 0);
}

static void test_integration(lc_ctx *ctx)
{
    const char *acts[] = {"step", "sign", "round_2"};
    int worst_checked = 0;
    double worst = 0;
    for (int a = 0; a < 3; a++)
        for (int nh = 1; nh <= 2; nh++) {
            lc_nn net;
            init_net(ctx, &net, acts[a], "composite:sigma=0.4", nh, 3, 11 + (uint64_t)a * 3 + (uint64_t)nh);
            lc_rng r;
            lc_rng_seed(&r, 99 + (uint64_t)a);
            for (int row = 0; row < 3; row++) {
                float x[4];
                for (int j = 0; j < 4; j++) x[j] = (float)(lc_rng_normal(&r) * 0.8);
                int32_t y = (int32_t)(row % 3);
                OK(ctx, lc_nn_gradient(ctx, &net, x, &y, 1, NULL));
                for (int l = 0; l < nh; l++)
                    for (int64_t i = 0; i < 3; i++) {
                        /* the unit's pre-activation; one row: dL/du = the bias gradient */
                        const double *W = net.params + net.w_off[l];
                        double u = net.params[net.b_off[l] + i], h[3];
                        if (l == 0) {
                            for (int q = 0; q < 4; q++) u += W[i * 4 + q] * x[q];
                        } else { /* layer 1 input: layer 0's outputs */
                            for (int64_t j = 0; j < 3; j++) {
                                double v = net.params[net.b_off[0] + j];
                                for (int q = 0; q < 4; q++) v += net.params[net.w_off[0] + j * 4 + q] * x[q];
                                h[j] = acts[a][0] == 's' && acts[a][1] == 't' ? (v > 0) : acts[a][1] == 'i' ? (v > 0) - (v < 0)
                                     : round(fmin(fmax(v, 0), 1) * 3) / 3;
                            }
                            for (int64_t j = 0; j < 3; j++) u += W[i * 3 + j] * h[j];
                        }
                        double d = 1e-4, sp = smoothed(ctx, &net, x, y, l, i, u + d, 0.4),
                               sm = smoothed(ctx, &net, x, y, l, i, u - d, 0.4), want = (sp - sm) / (2 * d);
                        double got = net.grad[net.b_off[l] + i];
                        worst = fmax(worst, fabs(got - want));
                        worst_checked++;
                        CHECK_MSG(fabs(got - want) <= 1e-6, "%s nh=%d row %d unit (%d,%lld): composite %.12g, smoothed %.12g",
                                  acts[a], nh, row, l, (long long)i, got, want);
                    }
            }
            lc_nn_clear(ctx, &net);
        }
    printf("composite vs numerically smoothed loss: %d units, max |diff| %.3g\n", worst_checked, worst);
}

/* ------------------------------------------ (3) fast path vs tape replay */

static void test_fast_vs_tape(lc_ctx *ctx)
{
    const char *acts[] = {"step", "sign", "round_2"};
    /* width 3: every unit near a breakpoint; width 24: the near-unit lists
     * and the output table of the fast path leave most units out */
    for (int a = 0; a < 3; a++)
        for (int nh = 1; nh <= 3; nh++)
            for (int width = 3; width <= 24; width += 21) {
                lc_nn net;
                init_net(ctx, &net, acts[a], "composite:sigma=0.5", nh, width, 5 + (uint64_t)a + (uint64_t)nh);
                enum { n = 6 };
                float x[n * 4];
                int32_t y[n];
                lc_rng r;
                lc_rng_seed(&r, 3);
                for (int i = 0; i < n * 4; i++) x[i] = (float)lc_rng_normal(&r);
                for (int i = 0; i < n; i++) y[i] = i % 3;
                OK(ctx, lc_nn_gradient(ctx, &net, x, y, n, NULL));
                double *fast = malloc((size_t)net.nparams * sizeof *fast), *slow = calloc((size_t)net.nparams, sizeof *slow);
                memcpy(fast, net.grad, (size_t)net.nparams * sizeof *fast);
                lc_tape t; /* the same network recorded op by op */
                lc_tape_init(&t, ctx);
                OK(ctx, lc_tape_set_est(&t, &net.cfg.est));
                lc_var h = lc_tape_const_f32(&t, x, n, 4);
                for (int l = 0; l <= nh; l++) {
                    int64_t in = l ? width : 4, out = l < nh ? width : 3;
                    lc_var w = lc_tape_param(&t, net.params + net.w_off[l], slow + net.w_off[l], out, in);
                    lc_var b = lc_tape_param(&t, net.params + net.b_off[l], slow + net.b_off[l], 1, out);
                    h = lc_tape_linear(&t, h, w, b);
                    if (l < nh) h = lc_nn_activation(&t, net.cfg.act, net.cfg.bits, h);
                }
                OK(ctx, lc_tape_backward(&t, lc_tape_softmax_xent(&t, h, y)));
                for (int64_t i = 0; i < net.nparams; i++)
                    CHECK_MSG(fabs(fast[i] - slow[i]) <= 1e-12 * fmax(1, fabs(slow[i])), "%s nh=%d width %d param %lld: fast %.17g tape %.17g",
                              acts[a], nh, width, (long long)i, fast[i], slow[i]);
                lc_tape_clear(&t);
                free(fast);
                free(slow);
                lc_nn_clear(ctx, &net);
            }
}

/* ------------------------------------------------------- (4) ablation */

static void train(lc_ctx *ctx, const char *act, const char *est, const lc_jump_rule *rules, double *out, int64_t np)
{
    lc_nn_cfg cfg;
    lc_nn_cfg_init(&cfg);
    cfg.nin = 6;
    cfg.nout = 3;
    cfg.nhidden = 2;
    cfg.hidden[0] = 8;
    cfg.hidden[1] = 5;
    cfg.batch = 16;
    OK(ctx, lc_act_from_name(ctx, act, &cfg.act, &cfg.bits));
    OK(ctx, lc_est_from_name(ctx, est, &cfg.est));
    cfg.est.rules = rules;
    lc_nn net;
    OK(ctx, lc_nn_init(ctx, &net, &cfg));
    enum { n = 96 };
    float x[n * 6];
    int32_t y[n];
    lc_rng r;
    lc_rng_seed(&r, 17);
    for (int i = 0; i < n * 6; i++) x[i] = (float)lc_rng_normal(&r);
    for (int i = 0; i < n; i++) y[i] = (x[6 * i] > 0) + (x[6 * i + 1] > 0.5f);
    for (int ep = 0; ep < 3; ep++) OK(ctx, lc_nn_train_epoch(ctx, &net, x, y, n, NULL, NULL, NULL));
    CHECK(net.nparams == np);
    memcpy(out, net.params, (size_t)np * sizeof *out);
    lc_nn_clear(ctx, &net);
}

static void test_ablation(lc_ctx *ctx)
{
    /* constants by hand: b0, period, J, reg for step, sign, floor, ceil, round */
    static const lc_jump_rule consts[] = {{0, 0, 1, 0}, {0, 0, 2, 0}, {0, 1, 1, 0}, {0, 1, 1, 0}, {0.5, 1, 1, 0}};
    for (int p = LC_PRIM_STEP; p <= LC_PRIM_ROUND; p++) { /* what the field says, once per primitive */
        lc_jump_rule r;
        OK(ctx, lc_est_jump_rule(ctx, (lc_prim)p, &r));
        CHECK_MSG(!memcmp(&r, &consts[p], sizeof r), "prim %d: field b0=%g period=%g J=%g reg=%g", p, r.b0, r.period,
                  r.J, r.reg);
    }
    const char *acts[] = {"step", "sign", "round_2"};
    const char *ests[] = {"kernel:sigma=0.5", "surrogate:tau=0.3", "composite:sigma=0.5", "kernel:kernel=uniform,sigma=1"};
    int64_t np = 6 * 8 + 8 + 8 * 5 + 5 + 5 * 3 + 3;
    double *a = malloc((size_t)np * sizeof *a), *b = malloc((size_t)np * sizeof *b);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            train(ctx, acts[i], ests[j], NULL, a, np);
            train(ctx, acts[i], ests[j], consts, b, np);
            CHECK_MSG(!memcmp(a, b, (size_t)np * sizeof *a), "%s under %s: field and constants differ", acts[i], ests[j]);
        }
    lc_est bad; /* rules are checked */
    lc_jump_rule broken[5];
    memcpy(broken, consts, sizeof broken);
    broken[LC_PRIM_ROUND].period = -1;
    OK(ctx, lc_est_from_name(ctx, "kernel", &bad));
    bad.rules = broken;
    CHECK_ST(ctx, lc_est_check(ctx, &bad), LC_EINVAL);
    broken[LC_PRIM_ROUND].period = 1, broken[LC_PRIM_STEP].J = NAN;
    CHECK_ST(ctx, lc_est_check(ctx, &bad), LC_EINVAL);
    /* and the test can fail: a different jump changes the training */
    lc_jump_rule other[5];
    memcpy(other, consts, sizeof other);
    other[LC_PRIM_STEP].J = 1.5;
    train(ctx, "step", "kernel:sigma=0.5", NULL, a, np);
    train(ctx, "step", "kernel:sigma=0.5", other, b, np);
    CHECK(memcmp(a, b, (size_t)np * sizeof *a) != 0);
    free(a);
    free(b);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    test_decoding(&ctx);
    test_integration(&ctx);
    test_fast_vs_tape(&ctx);
    test_ablation(&ctx);
    lc_ctx_clear(&ctx);
    return lt_report("test_composite");
}
