/* SPDX-License-Identifier: MIT */
/* The kernel estimator's ablation: what the field supplies to it as jump and
 * breakpoint of the step (lc_disc_jump, once per run) is the constant pair
 * b = 0, J = 1 whatever the gap; training with those constants in place of
 * the field's pair (cp_config.step_jump) gives bit-identical learning curves
 * and final parameters (linear and MLP policies, Gaussian and uniform
 * kernels, fixed and logit-tied width, θ = 0 where every decision is an
 * exact tie). Controls: another J or another b changes the training, so the
 * pair is used. */
#include "cartpole.h"
#include "lc_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int same_run(const cp_curve *a, const cp_curve *b, const double *ta, const double *tb,
                    int64_t P)
{
    const size_t n = (size_t)a->n;
    return a->n == b->n && a->updates == b->updates && a->skipped == b->skipped &&
           a->steps_to_solve == b->steps_to_solve &&
           !memcmp(a->steps, b->steps, n * sizeof *a->steps) &&
           !memcmp(a->ret_mean, b->ret_mean, n * sizeof *a->ret_mean) &&
           !memcmp(a->ret_std, b->ret_std, n * sizeof *a->ret_std) &&
           !memcmp(a->dead, b->dead, n * sizeof *a->dead) &&
           !memcmp(a->sigma_eff, b->sigma_eff, n * sizeof *a->sigma_eff) &&
           !memcmp(ta, tb, (size_t)P * sizeof *ta);
}

/* Trains cfg with the step's pair from the field (jump NULL) or jump. */
static void train(lc_ctx *ctx, cp_config *cfg, const double *jump, cp_curve *c, double *theta)
{
    cfg->step_jump = jump;
    CHECK_MSG(cp_train(ctx, cfg, c, theta, NULL, NULL) == LC_OK, "train: %s", ctx->err);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    /* the field's pair: one breakpoint 0, jump 1, for any gap */
    const double u[] = {-3.0, -0.5, -1e-300, 0.0, 1e-300, 0.25, 2.0, 7.5};
    double b[8], J[8];
    CHECK_MSG(lc_disc_jump(&ctx, LC_DISC_STEP, u, 8, b, J) == LC_OK, "%s", ctx.err);
    for (int i = 0; i < 8; i++)
        CHECK_MSG(b[i] == 0.0 && J[i] == 1.0, "u = %g: the field's b = %g, J = %g", u[i], b[i], J[i]);

    static const double consts[2] = {0.0, 1.0}, twice[2] = {0.0, 2.0}, shifted[2] = {0.25, 1.0};
    int cases = 0;
    for (int k = 0; k < 5; k++) {
        cp_config cfg;
        cp_config_default(&cfg);
        cfg.est = CP_KERNEL;
        cfg.arch = k % 2 ? CP_MLP : CP_LINEAR;
        cfg.hidden = 3;
        cfg.kernel = k == 2 ? LC_KERNEL_UNIFORM : LC_KERNEL_GAUSSIAN;
        cfg.sigma = k == 2 ? 2.0 : 1.0;
        cfg.sigma_logit = k != 3;
        cfg.init_std = k == 4 ? 0.0 : 0.3; /* θ = 0: ties, the P-row batches */
        cfg.budget = k == 4 ? 60 : 1500;
        cfg.eval_every = cfg.budget / 3;
        cfg.eval_episodes = 4;
        cfg.batch = 2;
        cfg.lr = 0.05;
        cfg.seed = 3 + (uint64_t)k;
        cp_policy pol;
        CHECK_MSG(cp_policy_init(&ctx, &pol, cfg.arch, cfg.hidden) == LC_OK, "%s", ctx.err);
        const int64_t P = pol.nparams;
        cp_curve c[4];
        double th[4][64];
        train(&ctx, &cfg, NULL, &c[0], th[0]);
        train(&ctx, &cfg, consts, &c[1], th[1]);
        train(&ctx, &cfg, twice, &c[2], th[2]);
        train(&ctx, &cfg, shifted, &c[3], th[3]);
        CHECK_MSG(same_run(&c[0], &c[1], th[0], th[1], P),
                  "case %d: the field's pair and the constants train differently", k);
        CHECK_MSG(c[0].updates > 1 || k == 4, "case %d: %lld updates", k, (long long)c[0].updates);
        if (k != 4) { /* the controls: J and b reach the gradient */
            CHECK_MSG(memcmp(th[0], th[2], (size_t)P * sizeof *th[0]), "case %d: J = 2 changes nothing", k);
            CHECK_MSG(memcmp(th[0], th[3], (size_t)P * sizeof *th[0]), "case %d: b = 0.25 changes nothing", k);
        }
        for (int i = 0; i < 4; i++) cp_curve_clear(&ctx, &c[i]);
        cases++;
    }
    cp_config cfg;
    cp_config_default(&cfg);
    cfg.step_jump = (const double[]){NAN, 1.0};
    const char *bad = cp_config_invalid(&cfg);
    CHECK_MSG(bad && !strcmp(bad, "step_jump"), "a non-finite pair is refused: %s", bad ? bad : "NULL");
    printf("kernel estimator: the field's (b, J) = (0, 1) and the constants train bit for bit "
           "alike in %d cases\n", cases);
    lc_ctx_clear(&ctx);
    return lt_report("test_cartpole_ablation");
}
