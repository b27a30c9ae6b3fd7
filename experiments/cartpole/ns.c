/* SPDX-License-Identifier: MIT */
/* The kernel estimator's rollout: one episode in the Levi-Civita field, the P
 * parameter directions as one batch of P rows (row j carries ∂/∂θ_j in its
 * ε coefficient, everything truncated at O(ε²)). The same episode runs
 * first in first-order form (lc_fo), the rows sharing their standard part;
 * only when the rows' decisions part does it run again on the batches. */
#include "cartpole.h"

#include "infnum/raw_order.h"

#include <math.h>
#include <string.h>

/* Fixed batches of cp_ns.v; the MLP's hidden units follow V_H. */
enum { V_X, V_XD, V_TH, V_THD, V_O0, V_L0 = V_O0 + 4, V_L1, V_D, V_F, V_S, V_C, V_T1, V_T2,
       V_T3, V_TEMP, V_THACC, V_XACC, V_J, V_KX, V_KTH, V_M, V_H, NV_FIXED = V_H };

#define TRY(e)                                                                                   \
    do {                                                                                         \
        if ((st = (e)) != LC_OK) goto done;                                                      \
    } while (0)

void cp_ns_clear(lc_ctx *ctx, cp_ns *ns)
{
    for (int64_t i = 0; ns->par && i < ns->P; i++) lc_batch_clear(ctx, &ns->par[i]);
    for (int64_t i = 0; ns->v && i < ns->nv; i++) lc_batch_clear(ctx, &ns->v[i]);
    for (int64_t i = 0; ns->fo && i < ns->nv + ns->P; i++) lc_fo_clear(ctx, &ns->fo[i]);
    lc_free(ctx, ns->fo);
    lc_free(ctx, ns->par);
    lc_free(ctx, ns->v);
    lc_free(ctx, ns->buf);
    lc_free(ctx, ns->ibuf);
    lc_free(ctx, ns->sgn);
    memset(ns, 0, sizeof *ns);
}

lc_status cp_ns_init(lc_ctx *ctx, cp_ns *ns, const cp_policy *pol, lc_kernel kernel,
                     double sigma)
{
    memset(ns, 0, sizeof *ns);
    if (!pol || pol->nparams < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "no policy");
    if (!(sigma > 0.0) || !isfinite(sigma))
        return lc_fail(ctx, LC_EINVAL, __func__, "kernel width sigma = %g must be > 0", sigma);
    const int64_t P = pol->nparams;
    ns->pol = pol;
    ns->kernel = kernel;
    ns->sigma = sigma;
    ns->nv = NV_FIXED + pol->hidden;
    ns->par = lc_malloc(ctx, (size_t)P, sizeof *ns->par);
    ns->v = lc_malloc(ctx, (size_t)ns->nv, sizeof *ns->v);
    ns->buf = lc_malloc(ctx, (size_t)(14 * P), sizeof *ns->buf);
    ns->ibuf = lc_malloc(ctx, (size_t)(4 * P + 1), sizeof *ns->ibuf);
    ns->sgn = lc_malloc(ctx, (size_t)P, sizeof *ns->sgn);
    ns->fo = lc_malloc(ctx, (size_t)(ns->nv + P), sizeof *ns->fo);
    if (!ns->par || !ns->v || !ns->buf || !ns->ibuf || !ns->sgn || !ns->fo) {
        ns->nv = 0; /* no batch initialised yet: cp_ns_clear frees the blocks only */
        cp_ns_clear(ctx, ns);
        return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    }
    const double zero = 0.0; /* the step's one breakpoint and its jump, whatever d */
    lc_status st = lc_disc_jump(ctx, LC_DISC_STEP, &zero, 1, &ns->step_b, &ns->step_J);
    if (st != LC_OK) {
        ns->nv = 0;
        cp_ns_clear(ctx, ns);
        return st;
    }
    ns->P = P;
    ns->term_jump = 1;
    ns->first_order = 1;
    for (int64_t i = 0; i < P; i++) lc_batch_init(&ns->par[i], LC_F64, LC_I32);
    for (int64_t i = 0; i < ns->nv; i++) lc_batch_init(&ns->v[i], LC_F64, LC_I32);
    for (int64_t i = 0; i < ns->nv + P; i++) lc_fo_init(&ns->fo[i]);
    /* the first-order values' room, so that a rollout allocates nothing */
    for (int64_t i = 0; i < ns->nv + P; i++) {
        if ((st = lc_fo_set(ctx, &ns->fo[i], P, 0.0, NULL)) != LC_OK) {
            cp_ns_clear(ctx, ns);
            return st;
        }
    }
    return LC_OK;
}

/* b = P rows, row r = x[r] + e[r]·ε + O(ε²) (den 1; zero coefficients left out). */
static lc_status set_first_order(lc_ctx *ctx, cp_ns *ns, lc_batch *b, const double *x,
                                 const double *e)
{
    const int64_t P = ns->P;
    int64_t *rp = ns->ibuf, *k = rp + P + 1, *bound = k + 2 * P;
    double *c = ns->buf + 4 * P; /* 2·P doubles */
    int64_t n = 0;
    rp[0] = 0;
    for (int64_t r = 0; r < P; r++) {
        if (x[r] != 0.0) k[n] = 0, c[n++] = x[r];
        if (e[r] != 0.0) k[n] = 1, c[n++] = e[r];
        rp[r + 1] = n;
        bound[r] = 2;
    }
    return lc_batch_from_csr(ctx, b, P, rp, k, c, bound, 1);
}

/* out = Σ_i par[a_off + r·cols + i]·in[i] + par[c_off + r] for one output r. */
static lc_status affine_row(lc_ctx *ctx, cp_ns *ns, lc_batch *out, const lc_batch *in, int cols,
                            int64_t a_off, int64_t c_off, int r)
{
    lc_status st;
    lc_batch *t = &ns->v[V_T1];
    /* c + A₀·o₀ + A₁·o₁ + ..., left to right (cp_policy_logits' order) */
    TRY(lc_mul(ctx, out, &ns->par[a_off + (int64_t)r * cols], &in[0]));
    TRY(lc_add(ctx, out, &ns->par[c_off + r], out));
    for (int i = 1; i < cols; i++) {
        TRY(lc_mul(ctx, t, &ns->par[a_off + (int64_t)r * cols + i], &in[i]));
        TRY(lc_add(ctx, out, out, t));
    }
done:
    return st;
}

/* Logits L0, L1 of the observation batches O0..O3. */
static lc_status policy_logits(lc_ctx *ctx, cp_ns *ns)
{
    lc_status st = LC_OK;
    lc_batch *v = ns->v;
    if (ns->pol->arch == CP_LINEAR) {
        for (int r = 0; r < 2; r++) TRY(affine_row(ctx, ns, &v[V_L0 + r], &v[V_O0], 4, 0, 8, r));
        return LC_OK;
    }
    const int H = ns->pol->hidden;
    for (int r = 0; r < H; r++) {
        TRY(affine_row(ctx, ns, &v[V_H + r], &v[V_O0], 4, 0, 4 * H, r));
        TRY(lc_tanh(ctx, &v[V_H + r], &v[V_H + r]));
    }
    for (int r = 0; r < 2; r++)
        TRY(affine_row(ctx, ns, &v[V_L0 + r], &v[V_H], H, 5 * H, 7 * H, r));
done:
    return st;
}

/* The applied force F·(2a − 1) with the point mass of its jump spread by the
 * kernel in its ε part; a by the field's order on the logits. */
static lc_status force(lc_ctx *ctx, cp_ns *ns)
{
    const int64_t P = ns->P;
    lc_batch *v = ns->v;
    double *d = ns->buf, *dd = d + P, b = ns->step_b, J = ns->step_J;
    lc_status st;
    TRY(lc_sub(ctx, &v[V_D], &v[V_L1], &v[V_L0]));
    TRY(lc_batch_std(ctx, &v[V_D], d));
    TRY(lc_batch_coeff(ctx, &v[V_D], 1, 1, dd));
    /* argmax of (L0, L1) by the order, exact ties to action 0 (lc_argmax's
     * rule): action 1 iff L1 − L0 > 0. */
    st = lc_cmp(ctx, &v[V_L1], &v[V_L0], ns->sgn);
    if (st == LC_EUNDEF) /* L1 − L0 = O(ε²): no known term, an exact tie to first order */
        for (int64_t r = 0; r < P; r++) ns->sgn[r] = d[r] > 0.0 || (d[r] == 0.0 && dd[r] > 0.0);
    else if (st != LC_OK)
        goto done;
    for (int64_t r = 0; r < P; r++) {
        const double a = ns->sgn[r] > 0;
        if (r == 0)
            cp_gaps_note(ns->gaps, d[0], lc_kernel_eval(ns->kernel, ns->sigma, d[0] - b) /
                                             lc_kernel_eval(ns->kernel, ns->sigma, 0.0));
        dd[r] *= 2.0 * CP_FORCE_MAG * J * lc_kernel_eval(ns->kernel, ns->sigma, d[r] - b);
        d[r] = CP_FORCE_MAG * (2.0 * a - 1.0);
    }
    TRY(set_first_order(ctx, ns, &v[V_F], d, dd));
done:
    return st;
}

/* One Euler step of the dynamics in the field, Gymnasium's operations in its
 * order (as cp_env_accel), so that the standard parts are the double
 * environment's. */
static lc_status dynamics(lc_ctx *ctx, cp_ns *ns)
{
    lc_batch *v = ns->v, *t1 = &v[V_T1], *t2 = &v[V_T2], *t3 = &v[V_T3], *M = &v[V_M];
    const double pml = CP_POLEMASS_LENGTH;
    lc_status st;
    TRY(lc_sin(ctx, &v[V_S], &v[V_TH]));
    TRY(lc_cos(ctx, &v[V_C], &v[V_TH]));
    /* temp = (F + (pml·θ̇²)·sinθ)/M */
    TRY(lc_mul(ctx, t1, &v[V_THD], &v[V_THD]));
    TRY(lc_scale(ctx, t1, t1, pml));
    TRY(lc_mul(ctx, t1, t1, &v[V_S]));
    TRY(lc_add(ctx, &v[V_TEMP], &v[V_F], t1));
    TRY(lc_div(ctx, &v[V_TEMP], &v[V_TEMP], M));
    /* θacc = (g·sinθ − cosθ·temp) / (l·(4/3 − (m_p·cos²θ)/M)) */
    TRY(lc_mul(ctx, t2, &v[V_C], &v[V_C]));
    TRY(lc_scale(ctx, t2, t2, CP_MASSPOLE));
    TRY(lc_div(ctx, t2, t2, M));
    TRY(lc_neg(ctx, t2, t2));
    TRY(lc_add_real(ctx, t2, t2, 4.0 / 3.0));
    TRY(lc_scale(ctx, t2, t2, CP_LENGTH));
    TRY(lc_mul(ctx, t3, &v[V_C], &v[V_TEMP]));
    TRY(lc_scale(ctx, t1, &v[V_S], CP_GRAVITY));
    TRY(lc_sub(ctx, t1, t1, t3));
    TRY(lc_div(ctx, &v[V_THACC], t1, t2));
    /* xacc = temp − ((pml·θacc)·cosθ)/M */
    TRY(lc_scale(ctx, t1, &v[V_THACC], pml));
    TRY(lc_mul(ctx, t1, t1, &v[V_C]));
    TRY(lc_div(ctx, t1, t1, M));
    TRY(lc_sub(ctx, &v[V_XACC], &v[V_TEMP], t1));
    /* Euler from the old values */
    TRY(lc_scale(ctx, t1, &v[V_XD], CP_TAU));
    TRY(lc_add(ctx, &v[V_X], &v[V_X], t1));
    TRY(lc_scale(ctx, t1, &v[V_XACC], CP_TAU));
    TRY(lc_add(ctx, &v[V_XD], &v[V_XD], t1));
    TRY(lc_scale(ctx, t1, &v[V_THD], CP_TAU));
    TRY(lc_add(ctx, &v[V_TH], &v[V_TH], t1));
    TRY(lc_scale(ctx, t1, &v[V_THACC], CP_TAU));
    TRY(lc_add(ctx, &v[V_THD], &v[V_THD], t1));
done:
    return st;
}

/* Observations: the state with its standard part rounded to float32 (the
 * rounding's derivative taken as 1). */
static lc_status observe(lc_ctx *ctx, cp_ns *ns)
{
    const int64_t P = ns->P;
    double *s = ns->buf;
    lc_status st = LC_OK;
    for (int i = 0; i < 4; i++) {
        TRY(lc_batch_std(ctx, &ns->v[V_X + i], s));
        for (int64_t r = 0; r < P; r++) s[r] = (double)(float)s[r] - s[r];
        TRY(lc_batch_set_real(ctx, &ns->v[V_T1], P, s));
        TRY(lc_add(ctx, &ns->v[V_O0 + i], &ns->v[V_X + i], &ns->v[V_T1]));
    }
done:
    return st;
}

/* J += alive·c(s), c(s) = 1 − ½(x/2.4)² − ½(θ/θ_max)², then alive ← alive and
 * not terminal (|x| > 2.4 or |θ| > θ_max by the order). A row that
 * terminates here loses, with term_jump, the continuation's return C at its
 * violated margin m (cartpole.h): J's ε part gains −C·[ε]m/Δm. mprev[2P]
 * holds the standard parts of both margins at the previous step. */
static lc_status reward(lc_ctx *ctx, cp_ns *ns, const double *theta, int t, double *alive,
                        int *nalive, double *mprev)
{
    const int64_t P = ns->P;
    lc_batch *v = ns->v, *t1 = &v[V_T1], *t2 = &v[V_T2];
    double *m = ns->buf + 7 * P, *me = m + 2 * P, *jump = ns->buf + 11 * P;
    int *newly = ns->sgn; /* reused below: the rows that terminate at this step */
    lc_status st;
    TRY(lc_mul(ctx, t1, &v[V_X], &v[V_X]));
    TRY(lc_scale(ctx, t1, t1, -0.5 / (CP_X_THRESHOLD * CP_X_THRESHOLD)));
    TRY(lc_mul(ctx, t2, &v[V_TH], &v[V_TH]));
    TRY(lc_scale(ctx, t2, t2, -0.5 / (CP_THETA_THRESHOLD * CP_THETA_THRESHOLD)));
    TRY(lc_add(ctx, t1, t1, t2));
    TRY(lc_add_real(ctx, t1, t1, 1.0));
    TRY(lc_scale_rows(ctx, t1, t1, alive));
    TRY(lc_add(ctx, &v[V_J], &v[V_J], t1));
    *nalive = 0;
    double *term = jump; /* 1 where a margin is crossed by the order */
    for (int64_t r = 0; r < P; r++) term[r] = 0.0;
    for (int k = 0; k < 2; k++) {
        const double K = k ? CP_THETA_THRESHOLD : CP_X_THRESHOLD;
        TRY(lc_abs(ctx, t1, &v[k ? V_TH : V_X]));
        TRY(lc_batch_std(ctx, t1, m + k * P));
        TRY(lc_batch_coeff(ctx, t1, 1, 1, me + k * P));
        TRY(lc_cmp(ctx, t1, &v[k ? V_KTH : V_KX], newly));
        for (int64_t r = 0; r < P; r++) {
            if (newly[r] > 0) term[r] = 1.0;
            m[k * P + r] = m[k * P + r] / K - 1.0; /* the margin, > 0 beyond the threshold */
            me[k * P + r] /= K;
        }
    }
    int any = 0;
    for (int64_t r = 0; r < P; r++) {
        const int ends = alive[r] != 0.0 && term[r] != 0.0;
        term[r] = 0.0;
        if (ends && ns->term_jump) {
            const int k = m[P + r] > m[r]; /* the violated margin (the larger) */
            const double dm = m[k * P + r] - mprev[k * P + r];
            if (dm > 0.0) term[r] = me[k * P + r] / dm, any = 1;
        }
        if (ends) alive[r] = 0.0;
        *nalive += alive[r] != 0.0;
    }
    for (int64_t r = 0; r < 2 * P; r++) mprev[r] = m[r];
    if (any) { /* the rows share their standard parts: one continuation */
        cp_env env = {{0}, t};
        for (int i = 0; i < 4; i++) {
            TRY(lc_batch_std(ctx, &v[V_X + i], m));
            env.s[i] = m[0];
        }
        int64_t n;
        const double C = cp_continuation(ns->pol, theta, &env, &n);
        ns->extra_steps += n;
        for (int64_t r = 0; r < P; r++) jump[r] *= -C, m[r] = 0.0;
        TRY(set_first_order(ctx, ns, t1, m, jump));
        TRY(lc_add(ctx, &v[V_J], &v[V_J], t1));
    }
done:
    return st;
}

/* The episode on the P-row batches. */
static lc_status rollout_batch(lc_ctx *ctx, cp_ns *ns, const double *theta, const double u[4],
                               double *J, double *grad, int64_t *steps)
{
    const int64_t P = ns->P;
    double *x = ns->buf, *e = x + P, *alive = x + 6 * P, *mprev = x + 12 * P;
    lc_batch *v = ns->v;
    lc_status st = LC_OK;
    int t = 0;
    cp_env env;
    cp_env_reset(&env, u);
    /* Parameter j: P rows, row r = θ_j + [r = j]·ε + O(ε²). */
    for (int64_t j = 0; j < P; j++) {
        for (int64_t r = 0; r < P; r++) x[r] = theta[j], e[r] = r == j;
        TRY(set_first_order(ctx, ns, &ns->par[j], x, e));
    }
    for (int i = 0; i < 4; i++) {
        for (int64_t r = 0; r < P; r++) x[r] = env.s[i];
        TRY(lc_batch_set_real(ctx, &v[V_X + i], P, x));
    }
    for (int64_t r = 0; r < P; r++) x[r] = 0.0;
    TRY(lc_batch_set_real(ctx, &v[V_J], P, x));
    x[0] = CP_X_THRESHOLD;
    x[1] = CP_THETA_THRESHOLD;
    TRY(lc_batch_set_real(ctx, &v[V_KX], 1, &x[0]));
    TRY(lc_batch_set_real(ctx, &v[V_KTH], 1, &x[1]));
    x[2] = CP_TOTAL_MASS; /* divided by, as the double environment does */
    TRY(lc_batch_set_real(ctx, &v[V_M], 1, &x[2]));
    for (int64_t r = 0; r < P; r++) {
        alive[r] = 1.0;
        mprev[r] = fabs(env.s[0]) / CP_X_THRESHOLD - 1.0;
        mprev[P + r] = fabs(env.s[2]) / CP_THETA_THRESHOLD - 1.0;
    }
    ns->extra_steps = 0;
    int nalive = (int)P;
    while (nalive > 0 && t < CP_MAX_STEPS) {
        TRY(observe(ctx, ns));
        TRY(policy_logits(ctx, ns));
        TRY(force(ctx, ns));
        TRY(dynamics(ctx, ns));
        TRY(reward(ctx, ns, theta, t + 1, alive, &nalive, mprev));
        t++;
    }
    TRY(lc_batch_std(ctx, &v[V_J], x));
    TRY(lc_batch_coeff(ctx, &v[V_J], 1, 1, grad));
    *J = x[0];
done:
    *steps = t;
    return st;
}

/* --------------------------------------------------- first-order form
 * The same episode on lc_fo values (ns->fo, indexed as ns->v; the
 * parameters follow at ns->nv): the operations are those above in the same
 * order, each the first-order truncation of its batch counterpart (lc_scale,
 * lc_neg, lc_add_real and a real addend as lc_fo_affine), so the standard
 * parts are the same doubles. FO_SPLIT: the rows' decisions part (any
 * status but LC_OK sends the rollout to the batches). */
#define FO_SPLIT LC_EUNDEF

/* Sign of row j of x minus the real y by the field's order (the core's row
 * comparison on the row's raw terms, bound ε²); LC_EUNDEF when it is O(ε²). */
static lc_status fo_cmp(const lc_fo *x, int64_t j, double y, int *sg)
{
    int64_t kx[2], ky[1] = {0}, n = 0;
    double cx[2];
    if (x->a != 0.0) kx[n] = 0, cx[n++] = x->a;
    if (x->b[j] != 0.0) kx[n] = 1, cx[n++] = x->b[j];
    return _lc_row_cmp(kx, cx, n, 2, ky, &y, y != 0.0, LC_EXACT, sg);
}

static lc_status fo_affine_row(lc_ctx *ctx, cp_ns *ns, lc_fo *out, const lc_fo *in, int cols,
                               int64_t a_off, int64_t c_off, int r)
{
    lc_status st;
    lc_fo *par = ns->fo + ns->nv, *t = &ns->fo[V_T1];
    TRY(lc_fo_mul(ctx, out, &par[a_off + (int64_t)r * cols], &in[0]));
    TRY(lc_fo_add(ctx, out, &par[c_off + r], out));
    for (int i = 1; i < cols; i++) {
        TRY(lc_fo_mul(ctx, t, &par[a_off + (int64_t)r * cols + i], &in[i]));
        TRY(lc_fo_add(ctx, out, out, t));
    }
done:
    return st;
}

static lc_status fo_logits(lc_ctx *ctx, cp_ns *ns)
{
    lc_status st = LC_OK;
    lc_fo *v = ns->fo;
    if (ns->pol->arch == CP_LINEAR) {
        for (int r = 0; r < 2; r++) TRY(fo_affine_row(ctx, ns, &v[V_L0 + r], &v[V_O0], 4, 0, 8, r));
        return LC_OK;
    }
    const int H = ns->pol->hidden;
    for (int r = 0; r < H; r++) {
        TRY(fo_affine_row(ctx, ns, &v[V_H + r], &v[V_O0], 4, 0, 4 * H, r));
        TRY(lc_fo_tanh(ctx, &v[V_H + r], &v[V_H + r]));
    }
    for (int r = 0; r < 2; r++)
        TRY(fo_affine_row(ctx, ns, &v[V_L0 + r], &v[V_H], H, 5 * H, 7 * H, r));
done:
    return st;
}

/* force(), the rows sharing d's standard part; FO_SPLIT when their actions
 * differ. */
static lc_status fo_force(lc_ctx *ctx, cp_ns *ns)
{
    const int64_t P = ns->P;
    lc_fo *v = ns->fo, *D = &v[V_D];
    double *dd = ns->buf, b = ns->step_b, Jd = ns->step_J;
    int a0 = 0;
    lc_status st;
    TRY(lc_fo_sub(ctx, D, &v[V_L1], &v[V_L0]));
    /* action 1 iff L1 − L0 > 0, O(ε²) ties to action 0; a nonzero standard
     * part decides every row as row 0 */
    for (int64_t r = 0; r < (D->a != 0.0 ? 1 : P); r++) {
        int sg;
        const int a = fo_cmp(D, r, 0.0, &sg) == LC_OK && sg > 0;
        if (r == 0) a0 = a;
        else if (a != a0) return FO_SPLIT;
    }
    const double k = lc_kernel_eval(ns->kernel, ns->sigma, D->a - b);
    cp_gaps_note(ns->gaps, D->a, k / lc_kernel_eval(ns->kernel, ns->sigma, 0.0));
    const double w = 2.0 * CP_FORCE_MAG * Jd * k;
    for (int64_t r = 0; r < P; r++) dd[r] = D->b[r] * w;
    TRY(lc_fo_set(ctx, &v[V_F], P, CP_FORCE_MAG * (2.0 * a0 - 1.0), dd));
done:
    return st;
}

static lc_status fo_dynamics(lc_ctx *ctx, cp_ns *ns)
{
    lc_fo *v = ns->fo, *t1 = &v[V_T1], *t2 = &v[V_T2], *t3 = &v[V_T3];
    const double pml = CP_POLEMASS_LENGTH, iM = 1.0 / CP_TOTAL_MASS; /* lc_div: x·(1/M) */
    lc_status st;
    TRY(lc_fo_sin(ctx, &v[V_S], &v[V_TH]));
    TRY(lc_fo_cos(ctx, &v[V_C], &v[V_TH]));
    TRY(lc_fo_mul(ctx, t1, &v[V_THD], &v[V_THD]));
    TRY(lc_fo_affine(ctx, t1, t1, pml, 0.0));
    TRY(lc_fo_mul(ctx, t1, t1, &v[V_S]));
    TRY(lc_fo_add(ctx, &v[V_TEMP], &v[V_F], t1));
    TRY(lc_fo_affine(ctx, &v[V_TEMP], &v[V_TEMP], iM, 0.0));
    TRY(lc_fo_mul(ctx, t2, &v[V_C], &v[V_C]));
    TRY(lc_fo_affine(ctx, t2, t2, CP_MASSPOLE, 0.0));
    TRY(lc_fo_affine(ctx, t2, t2, iM, 0.0));
    TRY(lc_fo_affine(ctx, t2, t2, -1.0, 0.0));
    TRY(lc_fo_affine(ctx, t2, t2, 1.0, 4.0 / 3.0));
    TRY(lc_fo_affine(ctx, t2, t2, CP_LENGTH, 0.0));
    TRY(lc_fo_mul(ctx, t3, &v[V_C], &v[V_TEMP]));
    TRY(lc_fo_affine(ctx, t1, &v[V_S], CP_GRAVITY, 0.0));
    TRY(lc_fo_sub(ctx, t1, t1, t3));
    TRY(lc_fo_div(ctx, &v[V_THACC], t1, t2));
    TRY(lc_fo_affine(ctx, t1, &v[V_THACC], pml, 0.0));
    TRY(lc_fo_mul(ctx, t1, t1, &v[V_C]));
    TRY(lc_fo_affine(ctx, t1, t1, iM, 0.0));
    TRY(lc_fo_sub(ctx, &v[V_XACC], &v[V_TEMP], t1));
    TRY(lc_fo_affine(ctx, t1, &v[V_XD], CP_TAU, 0.0));
    TRY(lc_fo_add(ctx, &v[V_X], &v[V_X], t1));
    TRY(lc_fo_affine(ctx, t1, &v[V_XACC], CP_TAU, 0.0));
    TRY(lc_fo_add(ctx, &v[V_XD], &v[V_XD], t1));
    TRY(lc_fo_affine(ctx, t1, &v[V_THD], CP_TAU, 0.0));
    TRY(lc_fo_add(ctx, &v[V_TH], &v[V_TH], t1));
    TRY(lc_fo_affine(ctx, t1, &v[V_THACC], CP_TAU, 0.0));
    TRY(lc_fo_add(ctx, &v[V_THD], &v[V_THD], t1));
done:
    return st;
}

/* reward() with every row alive: *ended when the rows terminate here,
 * FO_SPLIT when only some do. */
static lc_status fo_reward(lc_ctx *ctx, cp_ns *ns, const double *theta, int t, int *ended,
                           double *mprev)
{
    const int64_t P = ns->P;
    lc_fo *v = ns->fo, *t1 = &v[V_T1], *t2 = &v[V_T2];
    double *me = ns->buf + 7 * P, m[2];
    lc_status st;
    TRY(lc_fo_mul(ctx, t1, &v[V_X], &v[V_X]));
    TRY(lc_fo_affine(ctx, t1, t1, -0.5 / (CP_X_THRESHOLD * CP_X_THRESHOLD), 0.0));
    TRY(lc_fo_mul(ctx, t2, &v[V_TH], &v[V_TH]));
    TRY(lc_fo_affine(ctx, t2, t2, -0.5 / (CP_THETA_THRESHOLD * CP_THETA_THRESHOLD), 0.0));
    TRY(lc_fo_add(ctx, t1, t1, t2));
    TRY(lc_fo_affine(ctx, t1, t1, 1.0, 1.0));
    TRY(lc_fo_add(ctx, &v[V_J], &v[V_J], t1));
    int term = 0;
    for (int k = 0; k < 2; k++) {
        const double K = k ? CP_THETA_THRESHOLD : CP_X_THRESHOLD;
        if (lc_fo_abs(ctx, t1, &v[k ? V_TH : V_X]) != LC_OK) return FO_SPLIT; /* a row O(ε²) */
        int v0 = 0; /* |y| − K ≠ 0 in the standard part decides every row as row 0 */
        for (int64_t r = 0; r < (t1->a != K ? 1 : P); r++) {
            int sg = 0;
            if (fo_cmp(t1, r, K, &sg) != LC_OK) return FO_SPLIT;
            if (r == 0) v0 = sg > 0;
            else if ((sg > 0) != v0) return FO_SPLIT; /* some rows terminate, others not */
        }
        for (int64_t r = 0; r < P; r++) me[k * P + r] = t1->b[r] / K;
        term |= v0;
        m[k] = t1->a / K - 1.0;
    }
    *ended = term;
    if (term && ns->term_jump) {
        const int k = m[1] > m[0];
        const double dm = m[k] - mprev[k];
        if (dm > 0.0) {
            cp_env env = {{v[V_X].a, v[V_XD].a, v[V_TH].a, v[V_THD].a}, t};
            int64_t n;
            const double C = cp_continuation(ns->pol, theta, &env, &n);
            double *jump = ns->buf + 11 * P;
            ns->extra_steps += n;
            for (int64_t r = 0; r < P; r++) jump[r] = me[k * P + r] / dm * -C;
            TRY(lc_fo_set(ctx, t1, P, 0.0, jump));
            TRY(lc_fo_add(ctx, &v[V_J], &v[V_J], t1));
        }
    }
    mprev[0] = m[0], mprev[1] = m[1];
done:
    return st;
}

/* The episode in first-order form; FO_SPLIT when the rows' decisions part. */
static lc_status rollout_fo(lc_ctx *ctx, cp_ns *ns, const double *theta, const double u[4],
                            double *J, double *grad, int64_t *steps)
{
    const int64_t P = ns->P;
    lc_fo *v = ns->fo, *par = v + ns->nv;
    lc_status st = LC_OK;
    int t = 0, ended = 0;
    cp_env env;
    cp_env_reset(&env, u);
    for (int64_t j = 0; j < P; j++) TRY(lc_fo_seed(ctx, &par[j], P, theta[j], j));
    for (int i = 0; i < 4; i++) TRY(lc_fo_set(ctx, &v[V_X + i], P, env.s[i], NULL));
    TRY(lc_fo_set(ctx, &v[V_J], P, 0.0, NULL));
    double mprev[2] = {fabs(env.s[0]) / CP_X_THRESHOLD - 1.0,
                       fabs(env.s[2]) / CP_THETA_THRESHOLD - 1.0};
    ns->extra_steps = 0;
    while (!ended && t < CP_MAX_STEPS) {
        for (int i = 0; i < 4; i++) { /* observe(): the standard part rounded to float32 */
            const double a = v[V_X + i].a;
            TRY(lc_fo_affine(ctx, &v[V_O0 + i], &v[V_X + i], 1.0, (double)(float)a - a));
        }
        TRY(fo_logits(ctx, ns));
        TRY(fo_force(ctx, ns));
        TRY(fo_dynamics(ctx, ns));
        TRY(fo_reward(ctx, ns, theta, t + 1, &ended, mprev));
        t++;
    }
    *J = v[V_J].a;
    memcpy(grad, v[V_J].b, (size_t)P * sizeof *grad);
done:
    *steps = t;
    return st;
}

lc_status cp_ns_rollout(lc_ctx *ctx, cp_ns *ns, const double *theta, const double u[4],
                        double *J, double *grad, int64_t *steps)
{
    if (!ns || !ns->par || !theta || !u || !J || !grad || !steps)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or uninitialised workspace");
    const cp_gaps g0 = ns->gaps ? *ns->gaps : (cp_gaps){0};
    ns->ran_first_order = ns->first_order && rollout_fo(ctx, ns, theta, u, J, grad, steps) == LC_OK;
    if (ns->ran_first_order) return LC_OK;
    if (ns->gaps) *ns->gaps = g0; /* the batches note the decisions again */
    return rollout_batch(ctx, ns, theta, u, J, grad, steps);
}
