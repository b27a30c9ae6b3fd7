/* SPDX-License-Identifier: MIT */
/* infnum-cartpole: one training run of a hard-argmax CartPole policy with one
 * estimator, to the budget of environment steps; learning curve to HDF5. */
#include "cartpole.h"
#include "lcx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lcx_param PARAMS[] = {
    {"estimator", LCX_STR, "\"reinforce\"",
     "reinforce | ppo | es | straight_through | kernel | decision_flip (nonstandard: the former "
     "name of kernel, still accepted)"},
    {"policy", LCX_STR, "\"linear\"", "linear (4->2) | mlp (4->H->2, tanh)"},
    {"hidden", LCX_INT, "8", "mlp hidden units H (1..64)"},
    {"budget", LCX_INT, "100000", "environment steps of training, 1..1e12"},
    {"eval_every", LCX_INT, "5000", "environment steps between greedy evaluations (at most 1e7 of them)"},
    {"eval_episodes", LCX_INT, "100", "greedy episodes per evaluation, 1..1e6"},
    {"lr", LCX_REAL, "0.01", "Adam step size, > 0"},
    {"init_std", LCX_REAL, "0.1", "initial parameters ~ N(0, init_std^2), >= 0"},
    {"batch", LCX_INT, "8",
     "episodes per update (antithetic pairs for es; ppo: rollout steps), 1..10000"},
    {"gamma", LCX_REAL, "0.99", "reinforce: discount of the return-to-go, in (0, 1]"},
    {"sigma", LCX_REAL, "0.1",
     "> 0; es: perturbation std; straight_through: softmax temperature; kernel, "
     "decision_flip: kernel width; ppo: clip range"},
    {"sigma_scale", LCX_STR, "\"logit\"",
     "straight_through, kernel, decision_flip: logit (width = sigma x the RMS logit gap of "
     "the previous update) | fixed (width = sigma)"},
    {"kernel", LCX_STR, "\"gaussian\"", "kernel, decision_flip: gaussian | uniform"},
    {"value_hidden", LCX_INT, "16", "reinforce, ppo: hidden units of the value network (1..64)"},
    {"lam", LCX_REAL, "0.95", "ppo: GAE lambda, in [0, 1]"},
    {"epochs", LCX_INT, "10", "ppo: passes over each rollout, 1..100"},
    {"minibatch", LCX_INT, "64", "ppo: steps per minibatch, 1..batch"},
    {"max_flips", LCX_INT, "16", "decision_flip: re-simulated decisions per episode, 1..500"},
    {"phase", LCX_STR, "\"tuning\"",
     "tuning | eval | death: the run's role for infnum-report (no effect on training)"},
    {0}};

static const char SUMMARY[] =
    "Trains a CartPole-v1 policy that acts by the hard argmax of its logits with one\n"
    "gradient estimator, to a budget of environment steps, and records the mean greedy\n"
    "return over eval_episodes evaluation episodes every eval_every steps, and the\n"
    "environment steps to reach the 475 threshold (-1: not reached). docs/cartpole.md.";

typedef struct prog_state {
    lcx_progress bar;
    int64_t last;
} prog_state;

static void on_eval(void *user, int64_t steps, double ret)
{
    prog_state *p = user;
    (void)ret;
    lcx_progress_step(&p->bar, steps - p->last);
    p->last = steps;
}

/* Reads the parameters into cfg; returns 0 or the usage exit status. */
static int read_config(const lcx_cli *cli, lc_ctx *ctx, cp_config *cfg)
{
    const lcx_params *p = &cli->params;
    cp_config_default(cfg);
    int e = cp_est_from_name(lcx_get_str(p, "estimator"));
    if (e < 0)
        return lcx_usage(cli, "estimator",
                         "must be reinforce, ppo, es, straight_through, kernel or decision_flip");
    cfg->est = (cp_est)e;
    const char *pol = lcx_get_str(p, "policy");
    if (strcmp(pol, "linear") && strcmp(pol, "mlp"))
        return lcx_usage(cli, "policy", "must be linear or mlp");
    cfg->arch = strcmp(pol, "mlp") ? CP_LINEAR : CP_MLP;
    if (lc_kernel_from_name(ctx, lcx_get_str(p, "kernel"), &cfg->kernel) != LC_OK)
        return lcx_usage(cli, "kernel", "must be gaussian or uniform");
    const char *ss = lcx_get_str(p, "sigma_scale");
    if (strcmp(ss, "logit") && strcmp(ss, "fixed"))
        return lcx_usage(cli, "sigma_scale", "must be logit or fixed");
    cfg->sigma_logit = !strcmp(ss, "logit");
    const char *ph = lcx_get_str(p, "phase");
    if (strcmp(ph, "tuning") && strcmp(ph, "eval") && strcmp(ph, "death"))
        return lcx_usage(cli, "phase", "must be tuning, eval or death");
    const int64_t vh = lcx_get_int(p, "value_hidden"), ep = lcx_get_int(p, "epochs");
    const int64_t mb = lcx_get_int(p, "minibatch"), mf = lcx_get_int(p, "max_flips");
    if (vh < 1 || vh > CP_MAX_HIDDEN) return lcx_usage(cli, "value_hidden", "must be in 1..64");
    if (ep < 1 || ep > 100) return lcx_usage(cli, "epochs", "must be in 1..100");
    if (mb < 1 || mb > 10000) return lcx_usage(cli, "minibatch", "must be in 1..batch");
    if (mf < 1 || mf > CP_MAX_STEPS) return lcx_usage(cli, "max_flips", "must be in 1..500");
    cfg->value_hidden = (int)vh, cfg->epochs = (int)ep, cfg->minibatch = (int)mb;
    cfg->max_flips = (int)mf;
    cfg->lam = lcx_get_real(p, "lam");
    const int64_t hidden = lcx_get_int(p, "hidden"), batch = lcx_get_int(p, "batch");
    const int64_t eps = lcx_get_int(p, "eval_episodes");
    if (hidden < 1 || hidden > CP_MAX_HIDDEN) return lcx_usage(cli, "hidden", "must be in 1..64");
    if (batch < 1 || batch > 10000) return lcx_usage(cli, "batch", "must be in 1..10000");
    if (eps < 1 || eps > 1000000) return lcx_usage(cli, "eval_episodes", "must be in 1..1000000");
    cfg->hidden = (int)hidden;
    cfg->batch = (int)batch;
    cfg->eval_episodes = (int)eps;
    cfg->seed = (uint64_t)cli->seed;
    cfg->budget = lcx_get_int(p, "budget");
    cfg->eval_every = lcx_get_int(p, "eval_every");
    cfg->lr = lcx_get_real(p, "lr");
    cfg->init_std = lcx_get_real(p, "init_std");
    cfg->gamma = lcx_get_real(p, "gamma");
    cfg->sigma = lcx_get_real(p, "sigma");
    const char *bad = cp_config_invalid(cfg);
    return bad ? lcx_usage(cli, bad, "out of range (the range is on its line in --help)") : 0;
}

static int write_results(lcx_h5 *h, const cp_config *cfg, const cp_curve *c, const double *theta,
                         int64_t P, double wall)
{
    const int64_t n = c->n;
    const double final = n ? c->ret_mean[n - 1] : 0.0;
    return lcx_h5_attr_str(h, "/", "experiment", "cartpole") ||
           lcx_h5_attr_str(h, "/", "estimator", cp_est_name(cfg->est)) ||
           lcx_h5_attr_str(h, "/", "policy", cfg->arch == CP_MLP ? "mlp" : "linear") ||
           lcx_h5_write_i64(h, "curve/env_steps", 1, &n, c->steps, "steps") ||
           lcx_h5_write_f64(h, "curve/return_mean", 1, &n, c->ret_mean, "reward") ||
           lcx_h5_write_f64(h, "curve/return_std", 1, &n, c->ret_std, "reward") ||
           lcx_h5_write_f64(h, "curve/wall_time", 1, &n, c->wall, "s") ||
           lcx_h5_mark_timing(h, "curve/wall_time") ||
           lcx_h5_write_f64(h, "curve/kernel_dead", 1, &n, c->dead, "1") ||
           lcx_h5_attr_str(h, "curve/kernel_dead", "note",
                           "fraction of the training decisions since the previous point with "
                           "kernel density < 1e-10 of its peak; NaN at 0 and for estimators "
                           "without a kernel") ||
           lcx_h5_write_f64(h, "curve/sigma_eff", 1, &n, c->sigma_eff, "logit") ||
           lcx_h5_write_f64(h, "final/params", 1, &P, theta, "1") ||
           lcx_h5_write_i64(h, "final/steps_to_threshold", 1, (const int64_t[]){1},
                            &c->steps_to_solve, "steps") ||
           lcx_h5_attr_str(h, "final/steps_to_threshold", "note",
                           "-1 = the 475 threshold was not reached") ||
           lcx_h5_attr_str(h, "final/steps_to_threshold", "reached",
                           c->steps_to_solve >= 0 ? "yes" : "not reached") ||
           lcx_h5_write_f64(h, "final/return", 1, (const int64_t[]){1}, &final, "reward") ||
           lcx_h5_write_i64(h, "final/updates", 1, (const int64_t[]){1}, &c->updates, "1") ||
           lcx_h5_write_i64(h, "final/skipped_updates", 1, (const int64_t[]){1}, &c->skipped,
                            "1") ||
           lcx_h5_write_f64(h, "final/wall_time", 1, (const int64_t[]){1}, &wall, "s") ||
           lcx_h5_mark_timing(h, "final/wall_time");
}

/* Trains one run and writes its curve (lcx_body). */
static int body(const lcx_cli *cli, lcx_h5 *h, void *user)
{
    (void)user;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_config cfg;
    cp_curve curve = {.steps_to_solve = -1};
    cp_policy pol;
    double *theta = NULL;
    int rc = read_config(cli, &ctx, &cfg);
    if (rc) goto done;
    if (cp_policy_init(&ctx, &pol, cfg.arch, cfg.hidden) != LC_OK) {
        rc = lcx_fail(cli, ctx.err);
        goto done;
    }
    theta = calloc((size_t)pol.nparams, sizeof *theta);
    if (!theta) {
        rc = lcx_fail(cli, "out of memory");
        goto done;
    }
    char label[96];
    snprintf(label, sizeof label, "cartpole %s/%s seed %lld", cp_est_name(cfg.est),
             cfg.arch == CP_MLP ? "mlp" : "linear", (long long)cli->seed);
    prog_state ps = {.last = 0};
    lcx_progress_init(&ps.bar, label, cfg.budget, cli->quiet);
    const double t0 = lcx_now();
    if (cp_train(&ctx, &cfg, &curve, theta, on_eval, &ps) != LC_OK) {
        rc = lcx_fail(cli, ctx.err);
        goto done;
    }
    lcx_progress_done(&ps.bar);
    rc = write_results(h, &cfg, &curve, theta, pol.nparams, lcx_now() - t0) ? -1 : 0;
done:
    free(theta);
    cp_curve_clear(&ctx, &curve);
    lc_ctx_clear(&ctx);
    return rc;
}

static const lcx_exp EXP = {"infnum-cartpole", SUMMARY, PARAMS, body, NULL, LCX_CPU_ONLY};

int main(int argc, char **argv) { return lcx_run(&EXP, argc, argv); }
