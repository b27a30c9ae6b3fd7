/* SPDX-License-Identifier: MIT */
/* The decision-flip estimator: the jump of the return across each decision,
 * by re-simulating the rest of the episode with that decision flipped,
 * spread by the kernel over the logit gap (cartpole.h, docs/cartpole.md). */
#include "cartpole.h"

#include <math.h>
#include <string.h>

double cp_flip_return(const cp_policy *pol, const double *theta, const cp_env *env, int action,
                      int64_t *steps)
{
    cp_env e = *env;
    double obs[4];
    int term = 0, trunc = 0;
    (void)cp_env_step(&e, action, &term, &trunc);
    while (!term && !trunc) {
        cp_env_obs(&e, obs);
        (void)cp_env_step(&e, cp_policy_act(pol, theta, obs), &term, &trunc);
    }
    *steps = e.t - env->t;
    return (double)e.t; /* +1 per step, the terminating one included */
}

void cp_flip_rollout(const cp_policy *pol, const double *theta, const double u[4],
                     lc_kernel kernel, double sigma, int max_flips, lc_rng *rng, double *work,
                     double *R, double *grad, int64_t *steps, double *jumps, cp_gaps *gaps)
{
    const int64_t P = pol->nparams;
    /* work: states s_t [4·500] | gaps d_t [500] | candidates [500] | ∇d [500 ≥ P] */
    double *st = work, *d = st + 4 * CP_MAX_STEPS, *cand = d + CP_MAX_STEPS;
    double *acc = cand + CP_MAX_STEPS;
    cp_env env;
    double o[4], l[2];
    int term = 0, trunc = 0, T = 0;
    cp_env_reset(&env, u);
    while (!term && !trunc) {
        memcpy(st + 4 * T, env.s, sizeof env.s);
        cp_env_obs(&env, o);
        cp_policy_logits(pol, theta, o, l);
        d[T] = l[1] - l[0];
        (void)cp_env_step(&env, l[1] > l[0], &term, &trunc);
        T++;
    }
    *R = (double)T;
    *steps = T;
    memset(grad, 0, (size_t)P * sizeof *grad);
    if (jumps)
        for (int t = 0; t < CP_MAX_STEPS; t++) jumps[t] = NAN;
    /* The step's breakpoint is b = 0 and its jump J = 1 (lc_disc_jump's values). */
    const double k0 = lc_kernel_eval(kernel, sigma, 0.0);
    int nc = 0;
    for (int t = 0; t < T; t++) {
        const double w = lc_kernel_eval(kernel, sigma, d[t]);
        cp_gaps_note(gaps, d[t], w / k0);
        if (w / k0 >= CP_DEAD_RATIO) cand[nc++] = t;
    }
    const int n = nc < max_flips ? nc : max_flips;
    const double weight = n ? (double)nc / n : 0.0;
    for (int i = 0; i < n; i++) { /* partial Fisher–Yates: n of the nc candidates */
        const int j = i + (int)lc_rng_below(rng, (uint64_t)(nc - i));
        const double c = cand[i];
        cand[i] = cand[j], cand[j] = c;
        const int t = (int)cand[i];
        cp_env at = {{st[4 * t], st[4 * t + 1], st[4 * t + 2], st[4 * t + 3]}, t};
        const int a = d[t] > 0.0;
        int64_t k;
        const double Rf = cp_flip_return(pol, theta, &at, !a, &k);
        *steps += k;
        const double jump = a ? *R - Rf : Rf - *R; /* R[a = 1] − R[a = 0] */
        if (jumps) jumps[t] = jump;
        if (jump == 0.0) continue;
        cp_env_obs(&at, o);
        const double g[2] = {-1.0, 1.0}, s = weight * jump * lc_kernel_eval(kernel, sigma, d[t]);
        memset(acc, 0, (size_t)P * sizeof *acc);
        cp_policy_vjp(pol, theta, o, g, acc); /* ∇θ d_t */
        for (int64_t p = 0; p < P; p++) grad[p] += s * acc[p];
    }
}
