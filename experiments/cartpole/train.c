/* SPDX-License-Identifier: MIT */
/* Training: the six estimators under one budget of environment steps, with
 * greedy evaluations at fixed intervals. Formulas: docs/cartpole.md. */
#include "cartpole.h"
#include "lcx.h"

#include <math.h>
#include <string.h>

/* Stream of the evaluation episodes, distinct from the training stream. */
#define CP_EVAL_STREAM 0x9E3779B97F4A7C15ULL

static const char *const est_names[CP_NEST] = {"reinforce",        "ppo",
                                               "es",               "straight_through",
                                               "kernel",           "decision_flip"};

int cp_est_from_name(const char *name)
{
    for (int i = 0; name && i < CP_NEST; i++)
        if (!strcmp(name, est_names[i])) return i;
    return name && !strcmp(name, "nonstandard") ? CP_KERNEL : -1; /* the former name */
}

const char *cp_est_name(cp_est e) { return (unsigned)e < CP_NEST ? est_names[e] : "?"; }

void cp_config_default(cp_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->est = CP_REINFORCE;
    cfg->arch = CP_LINEAR;
    cfg->hidden = 8;
    cfg->seed = 1;
    cfg->budget = 100000;
    cfg->eval_every = 5000;
    cfg->eval_episodes = 100;
    cfg->lr = 0.01;
    cfg->init_std = 0.1;
    cfg->batch = 8;
    cfg->gamma = 0.99;
    cfg->sigma = 0.1;
    cfg->sigma_logit = 1;
    cfg->kernel = LC_KERNEL_GAUSSIAN;
    cfg->value_hidden = 16;
    cfg->lam = 0.95;
    cfg->epochs = 10;
    cfg->minibatch = 64;
    cfg->max_flips = 16;
}

void cp_gaps_note(cp_gaps *gaps, double d, double ratio)
{
    if (!gaps) return;
    gaps->n++;
    gaps->dead += ratio < CP_DEAD_RATIO;
    gaps->sum_d2 += d * d;
}

/* 1 for the estimators that spread a jump by a kernel over the logit gap. */
static int kernel_est(cp_est e)
{
    return e == CP_STRAIGHT_THROUGH || e == CP_KERNEL || e == CP_DECISION_FLIP;
}

/* One greedy episode from the reset uniforms u; returns its return. */
static double episode(const cp_policy *pol, const double *theta, const double u[4])
{
    cp_env env;
    double obs[4], ret = 0.0;
    int term = 0, trunc = 0;
    cp_env_reset(&env, u);
    while (!term && !trunc) {
        cp_env_obs(&env, obs);
        ret += cp_env_step(&env, cp_policy_act(pol, theta, obs), &term, &trunc);
    }
    return ret;
}

static void draw_reset(lc_rng *rng, double u[4])
{
    for (int i = 0; i < 4; i++) u[i] = lc_rng_uniform(rng);
}

void cp_evaluate(const cp_policy *pol, const double *theta, int n, uint64_t seed, double *mean,
                 double *std)
{
    lc_rng rng;
    double s = 0.0, s2 = 0.0, u[4];
    lc_rng_seed(&rng, seed);
    for (int i = 0; i < n; i++) {
        draw_reset(&rng, u);
        const double r = episode(pol, theta, u);
        s += r;
        s2 += r * r;
    }
    *mean = n > 0 ? s / n : 0.0;
    *std = n > 1 ? sqrt(fmax(0.0, (s2 - s * s / n) / (n - 1))) : 0.0;
}

/* ------------------------------------------------------------ estimators
 * Each fills grad (the ascent direction of its objective) and returns the
 * environment steps it used. */

typedef struct trainer {
    const cp_config *cfg;
    cp_policy pol;
    int64_t P;
    lc_rng rng;
    double *theta, *grad, *work; /* work: per estimator              */
    int *act;                    /* reinforce: actions of the batch */
    double *phi, *vgrad;         /* reinforce: the baseline's value network */
    lc_opt vopt;
    cp_ns ns;
    cp_ppo ppo;
    cp_gaps gaps;                /* decisions of the current update  */
    double sigma_eff;            /* kernel width of the current update */
} trainer;

/* REINFORCE with a learned baseline: sample a ~ softmax(logits), then
 * ĝ = (1/B) Σ_episodes Σ_t Â_t ∇_θ log π(a_t|o_t), G_t = Σ_{k≥t} γ^{k−t} r_k,
 * Â_t = G_t − V(o_t) normalised over the batch (mean 0, sd 1); V (the value
 * network, in units of 1/(1−γ)) takes one Adam step on ½(V − G)² per update. */
static lc_status est_reinforce(lc_ctx *ctx, trainer *tr, int64_t *steps)
{
    const int B = tr->cfg->batch, H = tr->cfg->value_hidden;
    const double scale = 1.0 / (1.0 - fmin(tr->cfg->gamma, 0.999));
    double *obs = tr->work, *G = obs + (size_t)4 * B * CP_MAX_STEPS;
    double *A = G + (size_t)B * CP_MAX_STEPS;
    int64_t n = 0;
    for (int e = 0; e < B; e++) {
        cp_env env;
        double u[4], l[2];
        int term = 0, trunc = 0;
        int64_t first = n;
        draw_reset(&tr->rng, u);
        cp_env_reset(&env, u);
        while (!term && !trunc) {
            cp_env_obs(&env, obs + 4 * n);
            cp_policy_logits(&tr->pol, tr->theta, obs + 4 * n, l);
            const double p1 = 1.0 / (1.0 + exp(l[0] - l[1]));
            tr->act[n] = lc_rng_uniform(&tr->rng) < p1;
            G[n] = cp_env_step(&env, tr->act[n], &term, &trunc);
            n++;
        }
        for (int64_t t = n - 2; t >= first; t--) G[t] += tr->cfg->gamma * G[t + 1];
    }
    double mean = 0.0, var = 0.0;
    const int64_t nv = cp_value_nparams(H);
    memset(tr->vgrad, 0, (size_t)nv * sizeof *tr->vgrad);
    for (int64_t t = 0; t < n; t++) {
        const double v = cp_value(H, tr->phi, obs + 4 * t);
        A[t] = G[t] - scale * v;
        mean += A[t];
        cp_value_vjp(H, tr->phi, obs + 4 * t, (v - G[t] / scale) / (double)n, tr->vgrad);
    }
    mean /= (double)n;
    for (int64_t t = 0; t < n; t++) var += (A[t] - mean) * (A[t] - mean);
    const double sd = sqrt(var / (double)n) + 1e-8;
    memset(tr->grad, 0, (size_t)tr->P * sizeof *tr->grad);
    for (int64_t t = 0; t < n; t++) {
        double l[2];
        cp_policy_logits(&tr->pol, tr->theta, obs + 4 * t, l);
        const double p1 = 1.0 / (1.0 + exp(l[0] - l[1])), a = (A[t] - mean) / sd / B;
        const double g[2] = {a * ((tr->act[t] == 0) - (1.0 - p1)), a * ((tr->act[t] == 1) - p1)};
        cp_policy_vjp(&tr->pol, tr->theta, obs + 4 * t, g, tr->grad);
    }
    *steps = n;
    return lc_opt_step(ctx, &tr->vopt, tr->phi, tr->vgrad, nv);
}

/* Decision flips: the mean over B greedy episodes of cp_flip_rollout's ĝ. */
static int64_t est_flip(trainer *tr)
{
    const int64_t P = tr->P;
    double *g1 = tr->work + 7 * CP_MAX_STEPS, R, u[4];
    int64_t n = 0;
    memset(tr->grad, 0, (size_t)P * sizeof *tr->grad);
    for (int e = 0; e < tr->cfg->batch; e++) {
        int64_t k;
        draw_reset(&tr->rng, u);
        cp_flip_rollout(&tr->pol, tr->theta, u, tr->cfg->kernel, tr->sigma_eff,
                        tr->cfg->max_flips, &tr->rng, tr->work, &R, g1, &k, NULL, &tr->gaps);
        for (int64_t j = 0; j < P; j++) tr->grad[j] += g1[j] / tr->cfg->batch;
        n += k;
    }
    return n;
}

/* Antithetic ES on the hard-argmax policy: ĝ = (1/2Bσ) Σ_i (R(θ+σz_i) −
 * R(θ−σz_i)) z_i, z_i ~ N(0, I), both episodes of a pair from one reset. */
static int64_t est_es(trainer *tr)
{
    const int64_t P = tr->P;
    const double s = tr->cfg->sigma;
    double *z = tr->work, *th = z + P, u[4];
    int64_t n = 0;
    memset(tr->grad, 0, (size_t)P * sizeof *tr->grad);
    for (int i = 0; i < tr->cfg->batch; i++) {
        for (int64_t j = 0; j < P; j++) z[j] = lc_rng_normal(&tr->rng);
        draw_reset(&tr->rng, u);
        double R[2];
        for (int k = 0; k < 2; k++) {
            for (int64_t j = 0; j < P; j++) th[j] = tr->theta[j] + (k ? -s : s) * z[j];
            R[k] = episode(&tr->pol, th, u);
            n += (int64_t)R[k]; /* one reward per step */
        }
        for (int64_t j = 0; j < P; j++)
            tr->grad[j] += (R[0] - R[1]) * z[j] / (2.0 * tr->cfg->batch * s);
    }
    return n;
}

/* Straight-through: hard argmax forward, the softmax's derivative backward:
 * ∂a/∂d := σ'(d/τ)/τ, so ∂force/∂d = 2F·σ(d/τ)(1 − σ(d/τ))/τ. */
static double softmax_density(double d, const void *data)
{
    const double tau = *(const double *)data, s = 1.0 / (1.0 + exp(-d / tau));
    return s * (1.0 - s) / tau;
}

/* Pathwise estimators: the mean over B episodes of ∇J (shaped return). */
static lc_status est_pathwise(lc_ctx *ctx, trainer *tr, int64_t *steps)
{
    const int64_t P = tr->P;
    double *g1 = tr->work + 8 * P, J, u[4];
    lc_status st = LC_OK;
    *steps = 0;
    memset(tr->grad, 0, (size_t)P * sizeof *tr->grad);
    for (int e = 0; e < tr->cfg->batch; e++) {
        int64_t T;
        draw_reset(&tr->rng, u);
        if (tr->cfg->est == CP_STRAIGHT_THROUGH)
            cp_pathwise_rollout(&tr->pol, tr->theta, u, softmax_density, &tr->sigma_eff,
                                tr->work, &J, g1, &T, &tr->gaps);
        else if ((st = cp_ns_rollout(ctx, &tr->ns, tr->theta, u, &J, g1, &T)) != LC_OK) {
            *steps += T + tr->ns.extra_steps;
            if (st != LC_EINVAL && st != LC_EOVERFLOW) return st;
            /* a coefficient left the doubles (Inf/NaN) or an exponent overflowed:
             * no gradient; the update is skipped and counted like a non-finite one */
            tr->grad[0] = NAN;
            return LC_OK;
        }
        for (int64_t j = 0; j < P; j++) tr->grad[j] += g1[j] / tr->cfg->batch;
        *steps += T + (tr->cfg->est == CP_KERNEL ? tr->ns.extra_steps : 0);
    }
    return st;
}

/* ---------------------------------------------------------------- driver */

const char *cp_config_invalid(const cp_config *c)
{
    return (unsigned)c->est >= CP_NEST                   ? "estimator"
           : c->arch != CP_LINEAR && c->arch != CP_MLP   ? "policy"
           : c->budget < 1 || c->budget > CP_MAX_BUDGET  ? "budget"
           : c->eval_every < 1 || c->budget / c->eval_every > 10000000 ? "eval_every"
           : c->eval_episodes < 1 || c->eval_episodes > 1000000 ? "eval_episodes"
           : !(c->lr > 0.0) || !isfinite(c->lr)          ? "lr"
           : !(c->init_std >= 0.0) || !isfinite(c->init_std) ? "init_std"
           : c->batch < 1 || c->batch > 10000            ? "batch"
           : !(c->gamma > 0.0 && c->gamma <= 1.0)        ? "gamma"
           : !(c->sigma > 0.0) || !isfinite(c->sigma)    ? "sigma"
           : c->value_hidden < 1 || c->value_hidden > CP_MAX_HIDDEN ? "value_hidden"
           : !(c->lam >= 0.0 && c->lam <= 1.0)           ? "lam"
           : c->epochs < 1 || c->epochs > 100            ? "epochs"
           : c->minibatch < 1 || (c->est == CP_PPO && c->minibatch > c->batch) ? "minibatch"
           : c->max_flips < 1 || c->max_flips > CP_MAX_STEPS ? "max_flips"
           : c->step_jump && !(isfinite(c->step_jump[0]) && isfinite(c->step_jump[1])) ? "step_jump"
                                                         : NULL;
}

/* Room for every evaluation: one at 0, at most one per eval_every crossed
 * (an update overshoots the budget by at most 2·batch episodes), one at the end. */
static lc_status curve_alloc(lc_ctx *ctx, cp_curve *c, const cp_config *cfg)
{
    const int64_t cap = (cfg->budget + 2 * (int64_t)cfg->batch * CP_MAX_STEPS) / cfg->eval_every + 3;
    c->steps = lc_malloc(ctx, (size_t)cap, sizeof *c->steps);
    c->ret_mean = lc_malloc(ctx, (size_t)(5 * cap), sizeof *c->ret_mean);
    if (!c->steps || !c->ret_mean) return lc_fail(ctx, LC_ENOMEM, "cp_train", "out of memory (curve)");
    c->ret_std = c->ret_mean + cap;
    c->wall = c->ret_std + cap;
    c->dead = c->wall + cap;
    c->sigma_eff = c->dead + cap;
    c->cap = cap;
    return LC_OK;
}

static void curve_push(cp_curve *c, int64_t steps, double mean, double sd, double wall,
                       double dead, double sigma)
{
    c->steps[c->n] = steps;
    c->ret_mean[c->n] = mean;
    c->ret_std[c->n] = sd;
    c->dead[c->n] = dead;
    c->sigma_eff[c->n] = sigma;
    c->wall[c->n++] = wall;
    if (c->steps_to_solve < 0 && mean >= CP_SOLVED) c->steps_to_solve = steps;
}

void cp_curve_clear(lc_ctx *ctx, cp_curve *c)
{
    lc_free(ctx, c->steps);
    lc_free(ctx, c->ret_mean); /* ret_std, wall, dead and sigma_eff share its block */
    memset(c, 0, sizeof *c);
    c->steps_to_solve = -1;
}

static size_t work_size(const cp_config *cfg, int64_t P)
{
    switch (cfg->est) {
    case CP_REINFORCE: return (size_t)6 * cfg->batch * CP_MAX_STEPS;
    case CP_PPO: return 1;
    case CP_ES: return (size_t)(2 * P);
    case CP_DECISION_FLIP: return (size_t)(7 * CP_MAX_STEPS + P);
    default: return (size_t)(9 * P);
    }
}

lc_status cp_train(lc_ctx *ctx, const cp_config *cfg, cp_curve *curve, double *theta_out,
                   cp_progress_fn progress, void *user)
{
    if (!cfg || !curve) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    memset(curve, 0, sizeof *curve);
    curve->steps_to_solve = -1;
    const char *bad = cp_config_invalid(cfg);
    if (bad) return lc_fail(ctx, LC_EINVAL, __func__, "invalid setting '%s'", bad);
    lc_status st;
    trainer tr = {.cfg = cfg, .sigma_eff = cfg->sigma};
    lc_opt opt;
    lc_opt_init(&opt, LC_OPT_ADAM);
    lc_opt_init(&tr.vopt, LC_OPT_ADAM);
    opt.lr = tr.vopt.lr = cfg->lr;
    if ((st = cp_policy_init(ctx, &tr.pol, cfg->arch, cfg->hidden)) != LC_OK) return st;
    const int64_t P = tr.P = tr.pol.nparams, NV = cp_value_nparams(cfg->value_hidden);
    const int reinforce = cfg->est == CP_REINFORCE;
    tr.theta = lc_malloc(ctx, (size_t)(2 * P), sizeof *tr.theta);
    tr.work = lc_malloc(ctx, work_size(cfg, P), sizeof *tr.work);
    tr.act = reinforce ? lc_malloc(ctx, (size_t)cfg->batch * CP_MAX_STEPS, sizeof *tr.act) : NULL;
    tr.phi = reinforce ? lc_malloc(ctx, (size_t)(2 * NV), sizeof *tr.phi) : NULL;
    if (!tr.theta || !tr.work || (reinforce && (!tr.act || !tr.phi))) {
        st = lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
        goto done;
    }
    if ((st = curve_alloc(ctx, curve, cfg)) != LC_OK) goto done;
    tr.grad = tr.theta + P;
    if (cfg->est == CP_KERNEL) {
        if ((st = cp_ns_init(ctx, &tr.ns, &tr.pol, cfg->kernel, cfg->sigma)) != LC_OK) goto done;
        if (cfg->step_jump) tr.ns.step_b = cfg->step_jump[0], tr.ns.step_J = cfg->step_jump[1];
    }
    lc_rng_seed(&tr.rng, cfg->seed);
    for (int64_t j = 0; j < P; j++) tr.theta[j] = cfg->init_std * lc_rng_normal(&tr.rng);
    if (reinforce) {
        tr.vgrad = tr.phi + NV;
        cp_value_init(cfg->value_hidden, tr.phi, &tr.rng);
    }
    if (cfg->est == CP_PPO && (st = cp_ppo_init(ctx, &tr.ppo, cfg, P, &tr.rng)) != LC_OK)
        goto done;
    tr.ns.gaps = &tr.gaps;

    int64_t steps = 0, next_eval = 0, iv_n = 0, iv_dead = 0;
    double train_s = 0.0;
    const int kern = kernel_est(cfg->est);
    for (;;) {
        if (steps >= next_eval || steps >= cfg->budget) {
            double mean, sd;
            cp_evaluate(&tr.pol, tr.theta, cfg->eval_episodes, cfg->seed ^ CP_EVAL_STREAM, &mean,
                        &sd);
            curve_push(curve, steps, mean, sd, train_s,
                       kern && iv_n ? (double)iv_dead / (double)iv_n : NAN,
                       kern ? tr.sigma_eff : NAN);
            iv_n = iv_dead = 0;
            if (progress) progress(user, steps, mean);
            next_eval = (steps / cfg->eval_every + 1) * cfg->eval_every;
        }
        if (steps >= cfg->budget) break;
        const double t0 = lcx_now();
        int64_t n = 0;
        memset(&tr.gaps, 0, sizeof tr.gaps);
        tr.ns.sigma = tr.sigma_eff;
        switch (cfg->est) {
        case CP_REINFORCE: st = est_reinforce(ctx, &tr, &n); break;
        case CP_PPO: st = cp_ppo_update(ctx, &tr.ppo, cfg, &tr.pol, tr.theta, &opt, &tr.rng, &n); break;
        case CP_ES: n = est_es(&tr); break;
        case CP_DECISION_FLIP: n = est_flip(&tr); break;
        default: st = est_pathwise(ctx, &tr, &n); break;
        }
        if (st == LC_EINVAL && cfg->est == CP_REINFORCE) { /* the baseline's gradient was not finite */
            tr.grad[0] = NAN;
            st = LC_OK;
        }
        if (st != LC_OK) goto done;
        steps += n;
        iv_n += tr.gaps.n;
        iv_dead += tr.gaps.dead;
        if (cfg->est != CP_PPO) { /* ppo took its own optimizer steps */
            int finite = 1;
            for (int64_t j = 0; j < P; j++) {
                finite &= isfinite(tr.grad[j]);
                tr.grad[j] = -tr.grad[j]; /* the optimizer descends; we ascend */
            }
            if (!finite) curve->skipped++;
            else if ((st = lc_opt_step(ctx, &opt, tr.theta, tr.grad, P)) != LC_OK) goto done;
        }
        curve->updates++;
        /* σ tied to the logit scale: the RMS gap of this update's decisions. */
        if (kern && cfg->sigma_logit && tr.gaps.n > 0 && tr.gaps.sum_d2 > 0.0 &&
            isfinite(tr.gaps.sum_d2))
            tr.sigma_eff = cfg->sigma * sqrt(tr.gaps.sum_d2 / (double)tr.gaps.n);
        train_s += lcx_now() - t0;
    }
    if (theta_out) memcpy(theta_out, tr.theta, (size_t)P * sizeof *theta_out);
done:
    if (st != LC_OK) cp_curve_clear(ctx, curve);
    if (cfg->est == CP_KERNEL) cp_ns_clear(ctx, &tr.ns);
    if (cfg->est == CP_PPO) cp_ppo_clear(ctx, &tr.ppo);
    lc_opt_clear(ctx, &opt);
    lc_opt_clear(ctx, &tr.vopt);
    lc_free(ctx, tr.theta);
    lc_free(ctx, tr.work);
    lc_free(ctx, tr.act);
    lc_free(ctx, tr.phi);
    return st;
}
