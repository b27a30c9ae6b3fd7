/* SPDX-License-Identifier: MIT */
/* CartPole environment: a hand-computed step for both actions, observations,
 * termination, truncation, rewards, and the policies' derivatives. */
#include "cartpole.h"
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


static int close_to(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(1.0, fabs(b));
}

/* From s = (x, ẋ, θ, θ̇) = (0.2, −0.3, 0.1, 0.5), with Gymnasium's equations
 * (total_mass M = 1.1, polemass_length pml = 0.05, length l = 0.5):
 *   sinθ = 0.09983341664682815, cosθ = 0.9950041652780258
 *   pml·θ̇²·sinθ = 0.05·0.25·0.0998334166 = 0.00124791770808535
 *   l·(4/3 − 0.1·cos²θ/M) = 0.5·(1.3333333333 − 0.0900009090) = 0.6216651535339112
 * action 1 (F = +10):
 *   temp  = (10 + 0.0012479177)/1.1                      = 9.092043561552803
 *   θacc  = (9.8·0.0998334166 − 0.9950041653·9.0920435616)/0.6216651535
 *         = (0.9783674831 − 9.0466212060)/0.6216651535   = −12.97845582244826
 *   xacc  = 9.0920435616 − 0.05·(−12.9784558224)·0.9950041653/1.1 = 9.679026179835205
 *   x' = 0.2 + 0.02·(−0.3) = 0.194;   ẋ' = −0.3 + 0.02·9.6790261798 = −0.10641947640329588
 *   θ' = 0.1 + 0.02·0.5   = 0.11;     θ̇' = 0.5 + 0.02·(−12.9784558224) = 0.2404308835510348
 * action 0 (F = −10):
 *   temp  = (−10 + 0.0012479177)/1.1                     = −9.089774620265377
 *   θacc  = (0.9783674831 + 0.9950041653·9.0897746203)/0.6216651535 = 16.12239488535965
 *   xacc  = −9.0897746203 − 0.05·16.1223948854·0.9950041653/1.1 = −9.818949623228558
 *   x' = 0.194;  ẋ' = −0.3 + 0.02·(−9.8189496232) = −0.4963789924645712
 *   θ' = 0.11;   θ̇' = 0.5 + 0.02·16.1223948854 = 0.822447897707193 */
static void test_step(void)
{
    static const double want[2][4] = {
        {0.194, -0.4963789924645712, 0.11, 0.822447897707193},
        {0.194, -0.10641947640329588, 0.11, 0.2404308835510348}};
    for (int a = 0; a < 2; a++) {
        cp_env env = {{0.2, -0.3, 0.1, 0.5}, 7};
        int term = -1, trunc = -1;
        double r = cp_env_step(&env, a, &term, &trunc);
        for (int i = 0; i < 4; i++)
            CHECK_MSG(close_to(env.s[i], want[a][i], 1e-13), "action %d s[%d] = %.17g, want %.17g", a,
                  i, env.s[i], want[a][i]);
        CHECK_MSG(r == 1.0 && term == 0 && trunc == 0 && env.t == 8, "action %d: r %g term %d "
              "trunc %d t %d", a, r, term, trunc, env.t);
    }
    /* Accelerations alone, as hand-computed above. */
    double xa, ta;
    cp_env_accel((const double[]){0.2, -0.3, 0.1, 0.5}, CP_FORCE_MAG, &xa, &ta);
    CHECK_MSG(close_to(xa, 9.679026179835205, 1e-13) && close_to(ta, -12.97845582244826, 1e-13),
          "accel %.17g %.17g", xa, ta);
}

static void test_reset_obs(void)
{
    cp_env env;
    cp_env_reset(&env, (const double[]){0.0, 0.5, 0.25, 0.999});
    CHECK_MSG(env.t == 0, "t after reset");
    CHECK_MSG(close_to(env.s[0], -0.05, 1e-15) && close_to(env.s[1], 0.0, 1e-15) &&
              close_to(env.s[2], -0.025, 1e-15) && close_to(env.s[3], 0.0499, 1e-15),
          "reset state %g %g %g %g", env.s[0], env.s[1], env.s[2], env.s[3]);
    env.s[0] = 0.1; /* not a float */
    double o[4];
    cp_env_obs(&env, o);
    CHECK_MSG(o[0] == (double)0.1f && o[0] != 0.1, "observation is float32-rounded: %.17g", o[0]);
}

static void test_termination(void)
{
    const double th = CP_THETA_THRESHOLD;
    CHECK_MSG(fabs(th - 0.20943951023931953) < 1e-16, "theta threshold %.17g", th);
    CHECK_MSG(!cp_env_terminal((const double[]){2.4, 0, 0, 0}), "x = 2.4 is not terminal");
    CHECK_MSG(!cp_env_terminal((const double[]){-2.4, 0, th, 0}), "|x| = 2.4, θ = max: not terminal");
    CHECK_MSG(cp_env_terminal((const double[]){nextafter(2.4, 3.0), 0, 0, 0}), "x > 2.4 terminal");
    CHECK_MSG(cp_env_terminal((const double[]){-2.41, 0, 0, 0}), "x < -2.4 terminal");
    CHECK_MSG(cp_env_terminal((const double[]){0, 0, nextafter(th, 1.0), 0}), "θ > max terminal");
    CHECK_MSG(cp_env_terminal((const double[]){0, 0, -0.21, 0}), "θ < -max terminal");
    /* A step that crosses x = 2.4: x' = 2.39 + 0.02·1 = 2.41; reward still 1. */
    cp_env env = {{2.39, 1.0, 0.0, 0.0}, 3};
    int term, trunc;
    double r = cp_env_step(&env, 1, &term, &trunc);
    CHECK_MSG(term == 1 && trunc == 0 && r == 1.0, "crossing x: term %d trunc %d r %g", term, trunc, r);
    /* θ' = 0.2 + 0.02·0.5 = 0.21 > 0.2094: terminal. */
    cp_env e2 = {{0.0, 0.0, 0.2, 0.5}, 0};
    r = cp_env_step(&e2, 0, &term, &trunc);
    CHECK_MSG(term == 1 && r == 1.0, "crossing θ: term %d r %g", term, r);
}

/* Truncation at 500 steps, and the return counts every step, the last one
 * included: a constant push ends by termination with return = steps. */
static void test_episode(void)
{
    cp_env env = {{0.0, 0.0, 0.0, 0.0}, 498};
    int term, trunc;
    double r = cp_env_step(&env, 1, &term, &trunc);
    CHECK_MSG(trunc == 0 && env.t == 499, "step 499 not truncated");
    r += cp_env_step(&env, 0, &term, &trunc);
    CHECK_MSG(trunc == 1 && term == 0 && r == 2.0 && env.t == 500, "step 500 truncated: trunc %d "
          "r %g", trunc, r);
    cp_env_reset(&env, (const double[]){0.5, 0.5, 0.5, 0.5});
    double ret = 0.0;
    int steps = 0;
    term = trunc = 0;
    while (!term && !trunc) {
        ret += cp_env_step(&env, 1, &term, &trunc);
        steps++;
        CHECK_MSG(!term || cp_env_terminal(env.s), "terminated flag matches the state");
    }
    CHECK_MSG(term && ret == steps && steps > 5 && steps < 100, "constant push: %d steps, return %g",
          steps, ret);
}

/* Policy products: jvp columns and vjp rows give the same Jacobian, and both
 * match central differences. */
static void test_policy(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_policy pol[2];
    CHECK_MSG(cp_policy_init(&ctx, &pol[0], CP_LINEAR, 0) == LC_OK && pol[0].nparams == 10, "linear");
    CHECK_MSG(cp_policy_init(&ctx, &pol[1], CP_MLP, 5) == LC_OK && pol[1].nparams == 37, "mlp");
    CHECK_MSG(cp_policy_init(&ctx, &pol[1], CP_MLP, 65) == LC_EINVAL && strstr(ctx.err, "hidden"),
          "hidden 65 rejected: %s", ctx.err);
    cp_policy_init(&ctx, &pol[1], CP_MLP, 5);
    double theta[37], obs[4] = {0.03, -0.2, 0.05, 0.4}, od[4] = {0.1, -0.3, 0.7, 0.2};
    for (int j = 0; j < 37; j++) theta[j] = sin(1.7 * j + 0.3);
    for (int k = 0; k < 2; k++) {
        const int64_t P = pol[k].nparams;
        double l[2], ld[2], g[37], lp[2], lm[2];
        for (int64_t j = 0; j < P; j++) {
            cp_policy_jvp(&pol[k], theta, obs, NULL, j, l, ld);
            for (int c = 0; c < 2; c++) {
                memset(g, 0, sizeof g);
                const double e[2] = {c == 0, c == 1};
                cp_policy_vjp(&pol[k], theta, obs, e, g);
                CHECK_MSG(close_to(ld[c], g[j], 1e-12), "arch %d jvp/vjp %lld/%d: %g vs %g", k,
                      (long long)j, c, ld[c], g[j]);
            }
            const double h = 1e-6, t0 = theta[j];
            theta[j] = t0 + h;
            cp_policy_logits(&pol[k], theta, obs, lp);
            theta[j] = t0 - h;
            cp_policy_logits(&pol[k], theta, obs, lm);
            theta[j] = t0;
            CHECK_MSG(close_to(ld[0], (lp[0] - lm[0]) / (2 * h), 1e-7), "arch %d FD %lld", k,
                  (long long)j);
        }
        /* Observation direction against central differences. */
        double op[4], om[4];
        for (int i = 0; i < 4; i++) op[i] = obs[i] + 1e-6 * od[i], om[i] = obs[i] - 1e-6 * od[i];
        cp_policy_jvp(&pol[k], theta, obs, od, -1, l, ld);
        cp_policy_logits(&pol[k], theta, op, lp);
        cp_policy_logits(&pol[k], theta, om, lm);
        CHECK_MSG(close_to(ld[1], (lp[1] - lm[1]) / 2e-6, 1e-7), "arch %d obs tangent", k);
    }
    /* Ties go to action 0. */
    double zero[10] = {0};
    CHECK_MSG(cp_policy_act(&pol[0], zero, obs) == 0, "exact tie → action 0");
    lc_ctx_clear(&ctx);
}

int main(void)
{
    test_step();
    test_reset_obs();
    test_termination();
    test_episode();
    test_policy();
    return lt_report("test_cartpole_env");
}
