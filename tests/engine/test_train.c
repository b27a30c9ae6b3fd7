/* SPDX-License-Identifier: MIT */
/* End-to-end training on a synthetic separable problem, exact zero hidden
 * gradients under the classical estimator, no allocation per step after the
 * first, and clean failure when an allocation fails. */
#include "lc_test.h"
#include "infnum/nn.h"

#include <stdlib.h>
#include <string.h>

/* ctx with lt_alloc hooks: every allocation counted, the fail_at-th failing. */
static void counting_ctx(lc_ctx *ctx, lt_alloc *cnt)
{
    lc_ctx_init(ctx);
    memset(cnt, 0, sizeof *cnt);
    lt_alloc_install(ctx, cnt);
}

/* The problem: points in [-1,1]², label (x > 0.3) XOR (y > -0.2). A step
 * network with 2 hidden units separates it; the random hidden hyperplanes at
 * initialisation (zero bias: through the origin) do not. */
#define NS 2000
static float X[NS * 2];
static int32_t Y[NS];

static void make_data(void)
{
    lc_rng r;
    lc_rng_seed(&r, 5);
    for (int i = 0; i < NS; i++) {
        double a = 2 * lc_rng_uniform(&r) - 1, b = 2 * lc_rng_uniform(&r) - 1;
        X[2 * i] = (float)a;
        X[2 * i + 1] = (float)b;
        Y[i] = (a > 0.3) != (b > -0.2);
    }
}

static void step_cfg(lc_ctx *ctx, lc_nn_cfg *cfg, const char *est)
{
    lc_nn_cfg_init(cfg);
    cfg->nin = 2;
    cfg->nout = 2;
    cfg->hidden[0] = 32;
    cfg->batch = 64;
    cfg->seed = 3;
    cfg->opt.lr = 0.05;
    OK(ctx, lc_act_from_name(ctx, "step", &cfg->act, &cfg->bits));
    OK(ctx, lc_est_from_name(ctx, est, &cfg->est));
}

/* 10 epochs of 32 steps (320 steps); returns the training accuracy. */
static double train(const char *est, int epochs)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_nn_cfg cfg;
    step_cfg(&ctx, &cfg, est);
    lc_nn net;
    OK(&ctx, lc_nn_init(&ctx, &net, &cfg));
    lc_nn_stats st;
    for (int e = 0; e < epochs; e++) OK(&ctx, lc_nn_train_epoch(&ctx, &net, X, Y, NS, NULL, NULL, &st));
    double acc = 0, loss = 0;
    OK(&ctx, lc_nn_evaluate(&ctx, &net, X, Y, NS, &acc, &loss));
    printf("%-36s %d steps: accuracy %.3f, loss %.3f\n", est, epochs * NS / 64, acc, loss);
    lc_nn_clear(&ctx, &net);
    lc_ctx_clear(&ctx);
    return acc;
}

static void test_end_to_end(void)
{
    double ns = train("nonstandard:sigma=0.5", 10), ste = train("ste", 10), cl = train("classical", 10);
    CHECK(ns >= 0.90);
    CHECK(ste >= 0.90);
    CHECK(cl <= 0.75);
    /* deterministic for a given seed */
    CHECK(train("ste", 2) == train("ste", 2));
}

/* Classical: the hidden layer's gradients are exactly zero; not the output's. */
static void test_classical_zero(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_nn_cfg cfg;
    step_cfg(&ctx, &cfg, "classical");
    cfg.nhidden = 2;
    cfg.hidden[1] = 8;
    lc_nn net;
    OK(&ctx, lc_nn_init(&ctx, &net, &cfg));
    lc_nn_stats st;
    OK(&ctx, lc_nn_train_step(&ctx, &net, X, Y, 64, &st));
    for (int64_t i = 0; i < net.w_off[2]; i++) CHECK(net.grad[i] == 0.0); /* layers 0, 1 */
    double out = 0;
    for (int64_t i = net.w_off[2]; i < net.nparams; i++) out += fabs(net.grad[i]);
    CHECK(out > 0);
    CHECK(st.zero_frac[0] == 1.0 && st.zero_frac[1] == 1.0 && st.zero_frac[2] < 1.0);
    CHECK(st.act_zero_frac[0] == 1.0 && st.act_zero_frac[1] == 1.0);
    CHECK(st.grad_norm[0] == 0.0 && st.grad_norm[2] > 0.0);
    lc_nn_clear(&ctx, &net);
    lc_ctx_clear(&ctx);
}

/* After the first step, a step allocates nothing. */
static void test_no_alloc(const char *act, const char *est)
{
    lt_alloc cnt;
    lc_ctx ctx;
    counting_ctx(&ctx, &cnt);
    lc_nn_cfg cfg;
    step_cfg(&ctx, &cfg, est);
    OK(&ctx, lc_act_from_name(&ctx, act, &cfg.act, &cfg.bits));
    cfg.nhidden = 2;
    cfg.hidden[1] = 16;
    lc_nn net;
    OK(&ctx, lc_nn_init(&ctx, &net, &cfg));
    lc_nn_stats st;
    OK(&ctx, lc_nn_train_step(&ctx, &net, X, Y, 64, &st));
    int64_t before = cnt.count;
    for (int k = 1; k < 20; k++) {
        int64_t b0 = cnt.count;
        OK(&ctx, lc_nn_train_step(&ctx, &net, X + 128 * k, Y + 64 * k, 64, &st));
        CHECK(cnt.count == b0);
    }
    OK(&ctx, lc_nn_train_step(&ctx, &net, X, Y, 17, &st)); /* smaller batch: fits */
    printf("%-8s %-24s allocations in 20 steps after the first: %lld\n", act, est,
           (long long)(cnt.count - before));
    CHECK(cnt.count == before);
    lc_nn_clear(&ctx, &net);
    lc_ctx_clear(&ctx);
    CHECK(cnt.live == 0);
}

/* Every allocation of init + two steps made to fail in turn: an error, never
 * a crash, and nothing leaks. */
static void test_alloc_failures(void)
{
    for (long k = 1; k < 200; k++) {
        lt_alloc cnt;
        lc_ctx ctx;
        counting_ctx(&ctx, &cnt);
        cnt.fail_at = k;
        lc_nn_cfg cfg;
        step_cfg(&ctx, &cfg, "nonstandard");
        lc_nn net;
        lc_status s = lc_nn_init(&ctx, &net, &cfg);
        if (!s) s = lc_nn_train_step(&ctx, &net, X, Y, 64, NULL);
        if (!s) s = lc_nn_train_step(&ctx, &net, X, Y, 64, NULL);
        if (s) CHECK(s == LC_ENOMEM && ctx.err[0] != '\0');
        if (!s || net.params) lc_nn_clear(&ctx, &net);
        lc_ctx_clear(&ctx);
        CHECK(cnt.live == 0);
        if (cnt.count < k) break; /* every allocation has been failed once */
    }
}

static void test_bad_input(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_nn_cfg cfg;
    lc_nn_cfg_init(&cfg);
    cfg.nin = 0;
    lc_nn net;
    CHECK(lc_nn_init(&ctx, &net, &cfg) == LC_EINVAL && strstr(ctx.err, "nin"));
    step_cfg(&ctx, &cfg, "ste");
    OK(&ctx, lc_nn_init(&ctx, &net, &cfg));
    int32_t bad[64];
    memcpy(bad, Y, sizeof bad);
    bad[5] = 7;
    double before = net.params[0];
    CHECK(lc_nn_train_step(&ctx, &net, X, bad, 64, NULL) == LC_EINVAL);
    CHECK(net.params[0] == before);
    CHECK(lc_nn_train_epoch(&ctx, &net, X, bad, 64, NULL, NULL, NULL) == LC_EINVAL);
    lc_act a;
    int32_t bits;
    CHECK(lc_act_from_name(&ctx, "round_0", &a, &bits) == LC_EINVAL);
    CHECK(lc_act_from_name(&ctx, "round_4", &a, &bits) == LC_OK && a == LC_ACT_ROUND && bits == 4);
    CHECK(lc_act_from_name(&ctx, "tanh", &a, &bits) == LC_EINVAL);
    lc_opt o;
    CHECK(lc_opt_from_name(&ctx, "adam", &o) == LC_OK && o.kind == LC_OPT_ADAM);
    CHECK(lc_opt_from_name(&ctx, "rmsprop", &o) == LC_EINVAL);
    lc_nn_clear(&ctx, &net);
    lc_ctx_clear(&ctx);
}

/* Optimizers on f(θ) = Σ (θ_i − i)²: both converge; the state is reused. */
static void test_optimizers(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (int k = 0; k < 2; k++) {
        lc_opt o;
        lc_opt_init(&o, k ? LC_OPT_ADAM : LC_OPT_SGD);
        o.lr = k ? 0.05 : 0.02;
        double th[4] = {0}, g[4];
        for (int it = 0; it < 2000; it++) {
            for (int i = 0; i < 4; i++) g[i] = 2 * (th[i] - i);
            OK(&ctx, lc_opt_step(&ctx, &o, th, g, 4));
        }
        for (int i = 0; i < 4; i++) CHECK_CLOSE(th[i], (double)i, 1e-3);
        CHECK(lc_opt_step(&ctx, &o, th, g, 3) == LC_ESHAPE);
        g[1] = NAN;
        CHECK(lc_opt_step(&ctx, &o, th, g, 4) == LC_ENONFINITE);
        lc_opt_clear(&ctx, &o);
    }
    lc_ctx_clear(&ctx);
}

/* The smooth relaxation: at a small temperature its values are the hard
 * activation's away from breakpoints; a relaxed net trains (loss falls) and
 * predicts with the hard activation (lc_nn_predict = a net without relax). */
static void test_relaxation(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    double x[6] = {-0.7, 0.1, 0.3, 0.45, 0.8, 1.6}, g[6] = {0};
    const char *acts[] = {"step", "sign", "round_2"};
    for (int a = 0; a < 3; a++) {
        lc_act act;
        int32_t bits;
        OK(&ctx, lc_act_from_name(&ctx, acts[a], &act, &bits));
        lc_tape t;
        lc_tape_init(&t, &ctx);
        lc_var v = lc_tape_param(&t, x, g, 6, 1);
        const double *soft = lc_tape_value(&t, lc_nn_relaxed(&t, act, bits, 1e-3, v), NULL, NULL);
        const double *hard = lc_tape_value(&t, lc_nn_activation(&t, act, bits, v), NULL, NULL);
        CHECK(soft && hard);
        for (int i = 0; soft && hard && i < 6; i++) CHECK_MSG(fabs(soft[i] - hard[i]) < 1e-9, "%s at %g", acts[a], x[i]);
        lc_tape_clear(&t);
    }
    lc_nn_cfg cfg;
    step_cfg(&ctx, &cfg, "classical");
    cfg.relax = 0.2;
    lc_nn net, hard;
    OK(&ctx, lc_nn_init(&ctx, &net, &cfg));
    lc_nn_stats first, last;
    OK(&ctx, lc_nn_train_epoch(&ctx, &net, X, Y, NS, NULL, NULL, &first));
    for (int e = 0; e < 5; e++) OK(&ctx, lc_nn_train_epoch(&ctx, &net, X, Y, NS, NULL, NULL, &last));
    CHECK_MSG(last.loss < first.loss, "relaxed loss %g -> %g", first.loss, last.loss);
    cfg.relax = 0;
    OK(&ctx, lc_nn_init(&ctx, &hard, &cfg));
    memcpy(hard.params, net.params, (size_t)net.nparams * sizeof *net.params);
    int32_t *p1 = malloc(NS * sizeof *p1), *p2 = malloc(NS * sizeof *p2);
    OK(&ctx, lc_nn_predict(&ctx, &net, X, NS, p1));
    OK(&ctx, lc_nn_predict(&ctx, &hard, X, NS, p2));
    CHECK(!memcmp(p1, p2, NS * sizeof *p1));
    free(p1), free(p2);
    cfg.relax = -1;
    CHECK_ST(&ctx, lc_nn_init(&ctx, &hard, &cfg), LC_EINVAL);
    lc_nn_clear(&ctx, &net);
    lc_nn_clear(&ctx, &hard);
    lc_ctx_clear(&ctx);
}

int main(void)
{
    make_data();
    test_relaxation();
    test_optimizers();
    test_bad_input();
    test_classical_zero();
    test_no_alloc("step", "ste");
    test_no_alloc("round_2", "classical");
    test_no_alloc("sign", "surrogate");
    test_no_alloc("relu", "ste_clipped");
    test_no_alloc("step", "kernel");
    test_no_alloc("round_2", "composite");
    test_alloc_failures();
    test_end_to_end();
    return lt_report("engine_test_train");
}
