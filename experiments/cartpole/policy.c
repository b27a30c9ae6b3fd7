/* SPDX-License-Identifier: MIT */
/* Policies: logits = f_θ(obs) ∈ ℝ², action = argmax (ties → action 0).
 * Parameter layout: linear  W[2][4], b[2]                      (10)
 *                   mlp     W1[H][4], b1[H], W2[2][H], b2[2]    (7H + 2)
 * with a tanh hidden layer. */
#include "cartpole.h"

#include <math.h>

lc_status cp_policy_init(lc_ctx *ctx, cp_policy *pol, cp_arch arch, int hidden)
{
    if (arch != CP_LINEAR && arch != CP_MLP)
        return lc_fail(ctx, LC_EINVAL, __func__, "unknown architecture %d", (int)arch);
    if (arch == CP_MLP && (hidden < 1 || hidden > CP_MAX_HIDDEN))
        return lc_fail(ctx, LC_EINVAL, __func__, "hidden = %d is outside 1..%d", hidden,
                       CP_MAX_HIDDEN);
    pol->arch = arch;
    pol->hidden = arch == CP_MLP ? hidden : 0;
    pol->nparams = arch == CP_MLP ? 7 * (int64_t)hidden + 2 : 10;
    return LC_OK;
}

/* Pre-activations of the hidden layer (MLP) or the logits (linear) with one
 * tangent: z = A·o + c and ż = A·ȯ + (∂/∂θ_j)(A·o + c); j < 0: no direction. */
static void affine(const double *A, const double *c, int64_t off, int rows, int cols,
                   const double *o, const double *od, int64_t j, double *z, double *zd)
{
    for (int r = 0; r < rows; r++) {
        double v = c[r], vd = 0.0;
        for (int i = 0; i < cols; i++) {
            v += A[r * cols + i] * o[i];
            if (zd && od) vd += A[r * cols + i] * od[i];
        }
        z[r] = v;
        if (!zd) continue;
        int64_t k = j - off; /* j inside A: r·cols+i; inside c: rows·cols + r */
        if (k >= 0 && k / cols == r && k < (int64_t)rows * cols) vd += o[k % cols];
        if (k == (int64_t)rows * cols + r) vd += 1.0;
        zd[r] = vd;
    }
}

void cp_policy_jvp(const cp_policy *pol, const double *theta, const double obs[4],
                   const double *obs_dot, int64_t j, double logit[2], double *logit_dot)
{
    if (pol->arch == CP_LINEAR) {
        affine(theta, theta + 8, 0, 2, 4, obs, obs_dot, j, logit, logit_dot);
        return;
    }
    const int H = pol->hidden;
    double h[CP_MAX_HIDDEN], hd[CP_MAX_HIDDEN];
    affine(theta, theta + 4 * H, 0, H, 4, obs, obs_dot, j, h, logit_dot ? hd : NULL);
    for (int r = 0; r < H; r++) {
        h[r] = tanh(h[r]);
        hd[r] = logit_dot ? (1.0 - h[r] * h[r]) * hd[r] : 0.0;
    }
    affine(theta + 5 * H, theta + 7 * H, 5 * H, 2, H, h, hd, j, logit, logit_dot);
}

void cp_policy_logits(const cp_policy *pol, const double *theta, const double obs[4],
                      double logit[2])
{
    cp_policy_jvp(pol, theta, obs, NULL, -1, logit, NULL);
}

int cp_policy_act(const cp_policy *pol, const double *theta, const double obs[4])
{
    double l[2];
    cp_policy_logits(pol, theta, obs, l);
    return l[1] > l[0]; /* argmax, exact ties to the lowest index (as lc_argmax) */
}

void cp_policy_vjp(const cp_policy *pol, const double *theta, const double obs[4],
                   const double g[2], double *grad)
{
    if (pol->arch == CP_LINEAR) {
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 4; i++) grad[r * 4 + i] += g[r] * obs[i];
            grad[8 + r] += g[r];
        }
        return;
    }
    const int H = pol->hidden;
    const double *W1 = theta, *b1 = theta + 4 * H, *W2 = theta + 5 * H;
    double h[CP_MAX_HIDDEN];
    for (int r = 0; r < H; r++) {
        double v = b1[r];
        for (int i = 0; i < 4; i++) v += W1[r * 4 + i] * obs[i];
        h[r] = tanh(v);
    }
    for (int r = 0; r < H; r++) {
        double gh = 0.0;
        for (int k = 0; k < 2; k++) {
            grad[5 * H + k * H + r] += g[k] * h[r];
            gh += g[k] * W2[k * H + r];
        }
        gh *= 1.0 - h[r] * h[r];
        for (int i = 0; i < 4; i++) grad[r * 4 + i] += gh * obs[i];
        grad[4 * H + r] += gh;
    }
    grad[7 * H] += g[0];
    grad[7 * H + 1] += g[1];
}
