/* SPDX-License-Identifier: MIT */
/* The value network (the baseline of reinforce, the critic of ppo) and PPO:
 * the clipped surrogate objective with GAE advantages (docs/cartpole.md). */
#include "cartpole.h"

#include <math.h>
#include <string.h>

int64_t cp_value_nparams(int hidden) { return 6 * (int64_t)hidden + 1; }

/* Hidden activations h[H] of V at o; returns V(o). */
static double value_fwd(int H, const double *phi, const double o[4], double *h)
{
    const double *W1 = phi, *b1 = phi + 4 * H, *w2 = phi + 5 * H;
    double v = phi[6 * H];
    for (int r = 0; r < H; r++) {
        double z = b1[r];
        for (int i = 0; i < 4; i++) z += W1[r * 4 + i] * o[i];
        h[r] = tanh(z);
        v += w2[r] * h[r];
    }
    return v;
}

double cp_value(int hidden, const double *phi, const double obs[4])
{
    double h[CP_MAX_HIDDEN];
    return value_fwd(hidden, phi, obs, h);
}

void cp_value_vjp(int hidden, const double *phi, const double obs[4], double g, double *grad)
{
    const int H = hidden;
    double h[CP_MAX_HIDDEN];
    (void)value_fwd(H, phi, obs, h);
    for (int r = 0; r < H; r++) {
        const double gz = g * phi[5 * H + r] * (1.0 - h[r] * h[r]);
        for (int i = 0; i < 4; i++) grad[r * 4 + i] += gz * obs[i];
        grad[4 * H + r] += gz;
        grad[5 * H + r] += g * h[r];
    }
    grad[6 * H] += g;
}

/* --------------------------------------------------------------------- PPO */

lc_status cp_ppo_init(lc_ctx *ctx, cp_ppo *pp, const cp_config *cfg, int64_t P, lc_rng *rng)
{
    memset(pp, 0, sizeof *pp);
    const int64_t N = cfg->batch, V = cp_value_nparams(cfg->value_hidden);
    pp->N = N;
    pp->nv = V;
    pp->phi = lc_malloc(ctx, (size_t)(2 * V + 2 * P), sizeof *pp->phi);
    pp->obs = lc_malloc(ctx, (size_t)(9 * N + 1), sizeof *pp->obs);
    pp->act = lc_malloc(ctx, (size_t)(2 * N), sizeof *pp->act);
    pp->idx = lc_malloc(ctx, (size_t)N, sizeof *pp->idx);
    if (!pp->phi || !pp->obs || !pp->act || !pp->idx) {
        cp_ppo_clear(ctx, pp);
        return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    }
    pp->vgrad = pp->phi + V;
    pp->pgrad = pp->vgrad + V;
    pp->logp = pp->obs + 4 * N;
    pp->val = pp->logp + N;
    pp->adv = pp->val + N;
    pp->ret = pp->adv + N;
    pp->term = pp->act + N;
    cp_value_init(cfg->value_hidden, pp->phi, rng);
    lc_opt_init(&pp->vopt, LC_OPT_ADAM);
    pp->vopt.lr = cfg->lr;
    pp->need_reset = 1;
    return LC_OK;
}

void cp_ppo_clear(lc_ctx *ctx, cp_ppo *pp)
{
    lc_free(ctx, pp->phi);
    lc_free(ctx, pp->obs);
    lc_free(ctx, pp->act);
    lc_free(ctx, pp->idx);
    lc_opt_clear(ctx, &pp->vopt);
    memset(pp, 0, sizeof *pp);
}

void cp_value_init(int hidden, double *phi, lc_rng *rng)
{
    const int H = hidden;
    for (int i = 0; i < 4 * H; i++) phi[i] = 0.5 * lc_rng_normal(rng); /* ~N(0, 1/fan_in) */
    for (int i = 4 * H; i <= 6 * H; i++) phi[i] = 0.0;
}

/* log π(a|o) and π₁ of the softmax over the logits. */
static double log_prob(const double l[2], int a, double *p1)
{
    const double m = fmax(l[0], l[1]);
    const double lse = m + log(exp(l[0] - m) + exp(l[1] - m));
    *p1 = exp(l[1] - lse);
    return l[a] - lse;
}

/* Scales g[0..n-1] to Euclidean norm ≤ 0.5 (PPO's gradient clipping). */
static void clip_norm(double *g, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += g[i] * g[i];
    s = sqrt(s);
    if (s > 0.5)
        for (int64_t i = 0; i < n; i++) g[i] *= 0.5 / s;
}

lc_status cp_ppo_update(lc_ctx *ctx, cp_ppo *pp, const cp_config *cfg, const cp_policy *pol,
                        double *theta, lc_opt *popt, lc_rng *rng, int64_t *steps)
{
    const int64_t N = pp->N, P = pol->nparams, V = pp->nv;
    const int H = cfg->value_hidden;
    const double scale = 1.0 / (1.0 - fmin(cfg->gamma, 0.999)); /* V in units of 1/(1−γ) */
    lc_status st = LC_OK;
    /* Rollout of N steps, the episode carried over from the previous one. */
    double boot_last = 0.0;
    for (int64_t t = 0; t < N; t++) {
        if (pp->need_reset) {
            double u[4];
            for (int i = 0; i < 4; i++) u[i] = lc_rng_uniform(rng);
            cp_env_reset(&pp->env, u);
            pp->need_reset = 0;
        }
        double *o = pp->obs + 4 * t, l[2], p1;
        cp_env_obs(&pp->env, o);
        cp_policy_logits(pol, theta, o, l);
        (void)log_prob(l, 0, &p1);
        const int a = lc_rng_uniform(rng) < p1;
        pp->act[t] = a;
        pp->logp[t] = log_prob(l, a, &p1);
        pp->val[t] = scale * cp_value(H, pp->phi, o);
        int term, trunc;
        (void)cp_env_step(&pp->env, a, &term, &trunc);
        /* term[t]: 1 terminated (no bootstrap), 2 truncated (bootstrap from the
         * final observation, kept in ret[t] until the advantages are done) */
        pp->term[t] = term ? 1 : trunc ? 2 : 0;
        if (trunc && !term) {
            double of[4];
            cp_env_obs(&pp->env, of);
            pp->ret[t] = scale * cp_value(H, pp->phi, of);
        }
        if (term || trunc) pp->need_reset = 1;
    }
    if (!pp->need_reset) {
        double o[4];
        cp_env_obs(&pp->env, o);
        boot_last = scale * cp_value(H, pp->phi, o);
    }
    *steps = N;
    /* GAE(γ, λ): δ_t = 1 + γ·V(s_{t+1}) − V(s_t), A_t = δ_t + γλ·A_{t+1} within an episode. */
    double A = 0.0;
    for (int64_t t = N - 1; t >= 0; t--) {
        double next;
        if (pp->term[t] == 1) next = 0.0, A = 0.0;
        else if (pp->term[t] == 2) next = pp->ret[t], A = 0.0;
        else next = t == N - 1 ? boot_last : pp->val[t + 1];
        const double delta = 1.0 + cfg->gamma * next - pp->val[t];
        A = delta + cfg->gamma * cfg->lam * A;
        pp->adv[t] = A;
    }
    double mean = 0.0, var = 0.0;
    for (int64_t t = 0; t < N; t++) {
        pp->ret[t] = pp->adv[t] + pp->val[t];
        mean += pp->adv[t];
    }
    mean /= (double)N;
    for (int64_t t = 0; t < N; t++) var += (pp->adv[t] - mean) * (pp->adv[t] - mean);
    const double sd = sqrt(var / (double)N) + 1e-8;
    for (int64_t t = 0; t < N; t++) pp->adv[t] = (pp->adv[t] - mean) / sd;
    /* Epochs of minibatches, each epoch over a fresh permutation. */
    int64_t *idx = pp->idx;
    const int64_t B = cfg->minibatch;
    for (int ep = 0; ep < cfg->epochs; ep++) {
        for (int64_t i = 0; i < N; i++) idx[i] = i;
        lc_rng_shuffle(rng, idx, N);
        for (int64_t s0 = 0; s0 < N; s0 += B) {
            const int64_t n = s0 + B <= N ? B : N - s0;
            memset(pp->pgrad, 0, (size_t)P * sizeof *pp->pgrad);
            memset(pp->vgrad, 0, (size_t)V * sizeof *pp->vgrad);
            for (int64_t k = 0; k < n; k++) {
                const int64_t t = idx[s0 + k];
                const double *o = pp->obs + 4 * t;
                double l[2], p1;
                cp_policy_logits(pol, theta, o, l);
                const double lp = log_prob(l, pp->act[t], &p1);
                const double r = exp(lp - pp->logp[t]), a = pp->adv[t], c = cfg->sigma;
                /* −∂/∂logp of min(r·A, clip(r, 1−c, 1+c)·A): zero where the clip is active */
                const int clipped = (a > 0.0 && r > 1.0 + c) || (a < 0.0 && r < 1.0 - c);
                if (!clipped) {
                    const double gl = -r * a / (double)n;
                    const double g[2] = {gl * ((pp->act[t] == 0) - (1.0 - p1)),
                                         gl * ((pp->act[t] == 1) - p1)};
                    cp_policy_vjp(pol, theta, o, g, pp->pgrad);
                }
                /* ½(V − R)² in units of the scale */
                const double v = cp_value(H, pp->phi, o);
                cp_value_vjp(H, pp->phi, o, (v - pp->ret[t] / scale) / (double)n, pp->vgrad);
            }
            clip_norm(pp->pgrad, P);
            clip_norm(pp->vgrad, V);
            if ((st = lc_opt_step(ctx, popt, theta, pp->pgrad, P)) != LC_OK ||
                (st = lc_opt_step(ctx, &pp->vopt, pp->phi, pp->vgrad, V)) != LC_OK)
                return st;
        }
    }
    return st;
}
