/* SPDX-License-Identifier: MIT */
/* Pathwise forward mode in double through the Euler dynamics (the
 * straight-through estimator, and a reference for the field version). */
#include "cartpole.h"

#include <math.h>
#include <string.h>

#define CX (0.5 / (CP_X_THRESHOLD * CP_X_THRESHOLD))
#define CTH (0.5 / (CP_THETA_THRESHOLD * CP_THETA_THRESHOLD))

double cp_shaped_reward(const double s[4])
{
    return 1.0 - CX * s[0] * s[0] - CTH * s[2] * s[2];
}

double cp_continuation(const cp_policy *pol, const double *theta, const cp_env *env,
                       int64_t *steps)
{
    cp_env e = *env;
    double obs[4], C = 0.0;
    int term = 0, trunc = e.t >= CP_MAX_STEPS;
    *steps = 0;
    while (!term && !trunc) {
        cp_env_obs(&e, obs);
        (void)cp_env_step(&e, cp_policy_act(pol, theta, obs), &term, &trunc);
        C += cp_shaped_reward(e.s);
        ++*steps;
    }
    return C;
}

/* Partial derivatives of (ẍ, θ̈) with respect to θ, θ̇ and the force. */
static void accel_partials(const double s[4], double force, double dx[3], double dth[3])
{
    const double c = cos(s[2]), sn = sin(s[2]), w = s[3], M = CP_TOTAL_MASS;
    const double pml = CP_POLEMASS_LENGTH;
    const double temp = (force + pml * w * w * sn) / M;
    const double tp[3] = {pml * w * w * c / M, 2.0 * pml * w * sn / M, 1.0 / M};
    const double den = CP_LENGTH * (4.0 / 3.0 - CP_MASSPOLE * c * c / M);
    const double dden = CP_LENGTH * 2.0 * CP_MASSPOLE * c * sn / M;
    const double num = CP_GRAVITY * sn - c * temp;
    const double th = num / den;
    const double dnum[3] = {CP_GRAVITY * c + sn * temp - c * tp[0], -c * tp[1], -c * tp[2]};
    for (int k = 0; k < 3; k++) {
        dth[k] = (dnum[k] - (k == 0 ? th * dden : 0.0)) / den;
        dx[k] = tp[k] - pml / M * (dth[k] * c - (k == 0 ? th * sn : 0.0));
    }
}

void cp_pathwise_rollout(const cp_policy *pol, const double *theta, const double u[4],
                         cp_density g, const void *gdata, double *work, double *J, double *grad,
                         int64_t *steps, cp_gaps *gaps)
{
    const int64_t P = pol->nparams;
    double *sd[4] = {work, work + P, work + 2 * P, work + 3 * P}; /* state tangents */
    double *dd = work + 4 * P, *ad[2] = {work + 5 * P, work + 6 * P};
    memset(work, 0, (size_t)(4 * P) * sizeof *work);
    memset(grad, 0, (size_t)P * sizeof *grad);
    cp_env env;
    cp_env_reset(&env, u);
    double ret = 0.0;
    int term = 0, trunc = 0;
    while (!term && !trunc) {
        double obs[4], l[2], ld[2];
        cp_env_obs(&env, obs);
        for (int64_t j = 0; j < P; j++) {
            const double od[4] = {sd[0][j], sd[1][j], sd[2][j], sd[3][j]};
            cp_policy_jvp(pol, theta, obs, od, j, l, ld);
            dd[j] = ld[1] - ld[0];
        }
        const double d = l[1] - l[0];
        const int a = d > 0.0;
        const double force = a ? CP_FORCE_MAG : -CP_FORCE_MAG;
        const double gd = 2.0 * CP_FORCE_MAG * g(d, gdata);
        cp_gaps_note(gaps, d, g(d, gdata) / g(0.0, gdata));
        double px[3], pth[3];
        accel_partials(env.s, force, px, pth);
        for (int64_t j = 0; j < P; j++) {
            const double fd = gd * dd[j];
            ad[0][j] = px[0] * sd[2][j] + px[1] * sd[3][j] + px[2] * fd;
            ad[1][j] = pth[0] * sd[2][j] + pth[1] * sd[3][j] + pth[2] * fd;
        }
        (void)cp_env_step(&env, a, &term, &trunc);
        ret += cp_shaped_reward(env.s);
        for (int64_t j = 0; j < P; j++) {
            sd[0][j] += CP_TAU * sd[1][j];
            sd[1][j] += CP_TAU * ad[0][j];
            sd[2][j] += CP_TAU * sd[3][j];
            sd[3][j] += CP_TAU * ad[1][j];
            grad[j] += -2.0 * CX * env.s[0] * sd[0][j] - 2.0 * CTH * env.s[2] * sd[2][j];
        }
    }
    *J = ret;
    *steps = env.t;
}
