/* SPDX-License-Identifier: MIT */
/* CartPole-v1, matching Gymnasium's CartPoleEnv (classic_control/cartpole.py)
 * with the TimeLimit wrapper of 500 steps. State in double, observations
 * rounded to float32 as Gymnasium returns them. */
#include "cartpole.h"

#include <math.h>

void cp_env_reset(cp_env *env, const double u[4])
{
    for (int i = 0; i < 4; i++) env->s[i] = -CP_RESET_HALF + 2.0 * CP_RESET_HALF * u[i];
    env->t = 0;
}

void cp_env_accel(const double s[4], double force, double *xacc, double *thacc)
{
    /* Gymnasium's operations in its order: np.square first, then left to
     * right (pml·θ̇²)·sinθ and (m_p·cos²θ)/M. */
    const double c = cos(s[2]), sn = sin(s[2]);
    const double w2 = s[3] * s[3], c2 = c * c;
    const double temp = (force + CP_POLEMASS_LENGTH * w2 * sn) / CP_TOTAL_MASS;
    const double th = (CP_GRAVITY * sn - c * temp) /
                      (CP_LENGTH * (4.0 / 3.0 - CP_MASSPOLE * c2 / CP_TOTAL_MASS));
    *thacc = th;
    *xacc = temp - CP_POLEMASS_LENGTH * th * c / CP_TOTAL_MASS;
}

int cp_env_terminal(const double s[4])
{
    return s[0] < -CP_X_THRESHOLD || s[0] > CP_X_THRESHOLD || s[2] < -CP_THETA_THRESHOLD ||
           s[2] > CP_THETA_THRESHOLD;
}

double cp_env_step(cp_env *env, int action, int *terminated, int *truncated)
{
    double xacc, thacc, *s = env->s;
    cp_env_accel(s, action == 1 ? CP_FORCE_MAG : -CP_FORCE_MAG, &xacc, &thacc);
    /* Explicit Euler, every variable from the old values (Gymnasium's order). */
    s[0] += CP_TAU * s[1];
    s[1] += CP_TAU * xacc;
    s[2] += CP_TAU * s[3];
    s[3] += CP_TAU * thacc;
    env->t++;
    *terminated = cp_env_terminal(s);
    *truncated = env->t >= CP_MAX_STEPS;
    return 1.0; /* +1 on every step, the terminating one included */
}

void cp_env_obs(const cp_env *env, double obs[4])
{
    for (int i = 0; i < 4; i++) obs[i] = (double)(float)env->s[i];
}
