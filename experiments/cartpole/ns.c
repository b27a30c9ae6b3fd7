/* Nonstandard forward mode: one episode in the Levi-Civita field, the P
 * parameter directions as one batch of P rows (row j carries ∂/∂θ_j in its
 * ε coefficient, everything truncated at O(ε²)). */
#include "cartpole.h"

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
    if (!ns->par || !ns->v || !ns->buf || !ns->ibuf || !ns->sgn) {
        ns->nv = 0; /* no batch initialised yet: cp_ns_clear frees the blocks only */
        cp_ns_clear(ctx, ns);
        return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    }
    ns->P = P;
    ns->term_jump = 1;
    for (int64_t i = 0; i < P; i++) lc_batch_init(&ns->par[i], LC_F64, LC_I32);
    for (int64_t i = 0; i < ns->nv; i++) lc_batch_init(&ns->v[i], LC_F64, LC_I32);
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
    double *d = ns->buf, *dd = d + P, *b = dd + P, *J = b + P;
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
    TRY(lc_disc_jump(ctx, LC_DISC_STEP, d, P, b, J));
    for (int64_t r = 0; r < P; r++) {
        const double a = ns->sgn[r] > 0;
        if (r == 0)
            cp_gaps_note(ns->gaps, d[0], lc_kernel_eval(ns->kernel, ns->sigma, d[0] - b[0]) /
                                             lc_kernel_eval(ns->kernel, ns->sigma, 0.0));
        dd[r] *= 2.0 * CP_FORCE_MAG * J[r] * lc_kernel_eval(ns->kernel, ns->sigma, d[r] - b[r]);
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

lc_status cp_ns_rollout(lc_ctx *ctx, cp_ns *ns, const double *theta, const double u[4],
                        double *J, double *grad, int64_t *steps)
{
    if (!ns || !ns->par || !theta || !u || !J || !grad || !steps)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or uninitialised workspace");
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
