/* SPDX-License-Identifier: MIT */
/* The forward-mode pair: one CartPole-like rollout (Gymnasium's cart-pole
 * equations, Euler steps, a tanh MLP policy with H hidden units: P = 6H + 1
 * parameters) differentiated by forward mode over all P parameter
 * directions, twice on the same code: with the library's first-order layout
 * (infnum/first.h, lc_fo_*) and with a plain dual-number forward mode in
 * doubles (value + P tangents, one loop per operation, no checks). Both go
 * through the same table of operations, so the only difference is the
 * arithmetic behind it. See peers.h (lcp_rollout). */
#include "peers.h"

#include "infnum/first.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The operations a rollout uses, on first-order numbers. */
typedef struct ro_ops {
    lc_status (*add)(lc_ctx *, lc_fo *, const lc_fo *, const lc_fo *);
    lc_status (*sub)(lc_ctx *, lc_fo *, const lc_fo *, const lc_fo *);
    lc_status (*mul)(lc_ctx *, lc_fo *, const lc_fo *, const lc_fo *);
    lc_status (*div)(lc_ctx *, lc_fo *, const lc_fo *, const lc_fo *);
    lc_status (*affine)(lc_ctx *, lc_fo *, const lc_fo *, double, double);
    lc_status (*sin)(lc_ctx *, lc_fo *, const lc_fo *);
    lc_status (*cos)(lc_ctx *, lc_fo *, const lc_fo *);
    lc_status (*tanh)(lc_ctx *, lc_fo *, const lc_fo *);
} ro_ops;

/* --------------------------------------------- dual numbers in doubles
 * out must have room for P tangents (the rollout allocates everything
 * first); out may alias an input (element j reads element j only). */
static lc_status d_add(lc_ctx *c, lc_fo *o, const lc_fo *x, const lc_fo *y)
{
    (void)c;
    for (int64_t j = 0; j < x->P; j++) o->b[j] = x->b[j] + y->b[j];
    o->a = x->a + y->a;
    return LC_OK;
}
static lc_status d_sub(lc_ctx *c, lc_fo *o, const lc_fo *x, const lc_fo *y)
{
    (void)c;
    for (int64_t j = 0; j < x->P; j++) o->b[j] = x->b[j] - y->b[j];
    o->a = x->a - y->a;
    return LC_OK;
}
static lc_status d_mul(lc_ctx *c, lc_fo *o, const lc_fo *x, const lc_fo *y)
{
    (void)c;
    const double xa = x->a, ya = y->a;
    for (int64_t j = 0; j < x->P; j++) o->b[j] = xa * y->b[j] + ya * x->b[j];
    o->a = xa * ya;
    return LC_OK;
}
static lc_status d_div(lc_ctx *c, lc_fo *o, const lc_fo *x, const lc_fo *y)
{
    (void)c;
    const double r = 1.0 / y->a, q = x->a * r;
    for (int64_t j = 0; j < x->P; j++) o->b[j] = (x->b[j] - q * y->b[j]) * r;
    o->a = q;
    return LC_OK;
}
static lc_status d_affine(lc_ctx *c, lc_fo *o, const lc_fo *x, double s, double t)
{
    (void)c;
    for (int64_t j = 0; j < x->P; j++) o->b[j] = s * x->b[j];
    o->a = s * x->a + t;
    return LC_OK;
}
/* f(a) + d·b_j ε */
static lc_status d_chain(lc_fo *o, const lc_fo *x, double fa, double d)
{
    for (int64_t j = 0; j < x->P; j++) o->b[j] = d * x->b[j];
    o->a = fa;
    return LC_OK;
}
static lc_status d_sin(lc_ctx *c, lc_fo *o, const lc_fo *x) { (void)c; return d_chain(o, x, sin(x->a), cos(x->a)); }
static lc_status d_cos(lc_ctx *c, lc_fo *o, const lc_fo *x) { (void)c; return d_chain(o, x, cos(x->a), -sin(x->a)); }
static lc_status d_tanh(lc_ctx *c, lc_fo *o, const lc_fo *x)
{
    (void)c;
    double t = tanh(x->a);
    return d_chain(o, x, t, 1.0 - t * t);
}

static const ro_ops DUAL = {d_add, d_sub, d_mul, d_div, d_affine, d_sin, d_cos, d_tanh};
static const ro_ops FIELD = {lc_fo_add, lc_fo_sub, lc_fo_mul, lc_fo_div, lc_fo_affine, lc_fo_sin, lc_fo_cos, lc_fo_tanh};

/* --------------------------------------------------------------- the rollout */

enum { S_X, S_XD, S_TH, S_THD, T_S, T_C, T_1, T_2, T_3, T_F, T_ACC, NFIX };

typedef struct ro_state {
    int H, steps;
    int64_t P;
    lc_fo *v;   /* NFIX fixed numbers, then H hidden units */
    lc_fo *par; /* P parameters: W1 (H×4), b1 (H), w2 (H), b2 */
    double s0[4];
} ro_state;

/* Runs the rollout with ops; the final state's 4 numbers stay in r->v. */
static lc_status rollout(lc_ctx *ctx, ro_state *r, const ro_ops *op)
{
    const double g = 9.8, mp = 0.1, M = 1.1, l = 0.5, pml = 0.05, F = 10.0, tau = 0.02;
    const int H = r->H;
    lc_fo *v = r->v, *h = r->v + NFIX, *W1 = r->par, *b1 = W1 + 4 * H, *w2 = b1 + H, *b2 = w2 + H;
    lc_status st = LC_OK;
    for (int k = 0; k < 4 && !st; k++) st = lc_fo_set(ctx, &v[S_X + k], r->P, r->s0[k], NULL);
#define T(x) if (!st) st = (x)
    for (int t = 0; t < r->steps && !st; t++) {
        for (int i = 0; i < H; i++) { /* h_i = tanh(W1_i · s + b1_i) */
            T(op->mul(ctx, &h[i], &W1[4 * i], &v[S_X]));
            for (int k = 1; k < 4; k++) {
                T(op->mul(ctx, &v[T_1], &W1[4 * i + k], &v[S_X + k]));
                T(op->add(ctx, &h[i], &h[i], &v[T_1]));
            }
            T(op->add(ctx, &h[i], &h[i], &b1[i]));
            T(op->tanh(ctx, &h[i], &h[i]));
        }
        T(op->mul(ctx, &v[T_F], &w2[0], &h[0])); /* F·tanh(w2 · h + b2) */
        for (int i = 1; i < H; i++) {
            T(op->mul(ctx, &v[T_1], &w2[i], &h[i]));
            T(op->add(ctx, &v[T_F], &v[T_F], &v[T_1]));
        }
        T(op->add(ctx, &v[T_F], &v[T_F], b2));
        T(op->tanh(ctx, &v[T_F], &v[T_F]));
        T(op->affine(ctx, &v[T_F], &v[T_F], F, 0));
        T(op->sin(ctx, &v[T_S], &v[S_TH])); /* Gymnasium's cart-pole */
        T(op->cos(ctx, &v[T_C], &v[S_TH]));
        T(op->mul(ctx, &v[T_1], &v[S_THD], &v[S_THD]));
        T(op->mul(ctx, &v[T_1], &v[T_1], &v[T_S]));
        T(op->affine(ctx, &v[T_1], &v[T_1], pml, 0));
        T(op->add(ctx, &v[T_1], &v[T_F], &v[T_1]));
        T(op->affine(ctx, &v[T_1], &v[T_1], 1.0 / M, 0)); /* temp */
        T(op->mul(ctx, &v[T_2], &v[T_C], &v[T_C]));
        T(op->affine(ctx, &v[T_2], &v[T_2], -l * mp / M, l * 4.0 / 3.0));
        T(op->mul(ctx, &v[T_3], &v[T_C], &v[T_1]));
        T(op->affine(ctx, &v[T_ACC], &v[T_S], g, 0));
        T(op->sub(ctx, &v[T_3], &v[T_ACC], &v[T_3]));
        T(op->div(ctx, &v[T_3], &v[T_3], &v[T_2])); /* θacc */
        T(op->mul(ctx, &v[T_2], &v[T_3], &v[T_C]));
        T(op->affine(ctx, &v[T_2], &v[T_2], -pml / M, 0));
        T(op->add(ctx, &v[T_ACC], &v[T_1], &v[T_2])); /* xacc */
        T(op->affine(ctx, &v[T_2], &v[S_XD], tau, 0));
        T(op->add(ctx, &v[S_X], &v[S_X], &v[T_2]));
        T(op->affine(ctx, &v[T_2], &v[T_ACC], tau, 0));
        T(op->add(ctx, &v[S_XD], &v[S_XD], &v[T_2]));
        T(op->affine(ctx, &v[T_2], &v[S_THD], tau, 0));
        T(op->add(ctx, &v[S_TH], &v[S_TH], &v[T_2]));
        T(op->affine(ctx, &v[T_2], &v[T_3], tau, 0));
        T(op->add(ctx, &v[S_THD], &v[S_THD], &v[T_2]));
    }
#undef T
    return st;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n-1] (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

typedef struct ro_job {
    lc_ctx *ctx;
    ro_state *r;
    const ro_ops *op;
} ro_job;

static int ro_kernel(void *arg)
{
    ro_job *j = arg;
    return rollout(j->ctx, j->r, j->op);
}

int lcp_rollout(int H, int steps, int reps, uint64_t seed, double *ns_field, double *ns_dual,
                double *maxdiff)
{
    if (H < 1 || H > 1024 || steps < 1 || reps < 1 || !ns_field || !ns_dual || !maxdiff) return LCP_EINVAL;
    ro_state r = {H, steps, 6 * (int64_t)H + 1, NULL, NULL, {0}};
    const int64_t nv = NFIX + H;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    r.v = calloc((size_t)nv, sizeof *r.v);
    r.par = calloc((size_t)r.P, sizeof *r.par);
    double *keep = malloc((size_t)(4 * (r.P + 1)) * sizeof *keep);
    int rc = r.v && r.par && keep ? LCP_OK : LCP_ENOMEM;
    double u[2];
    for (int k = 0; k < 4; k++) lcp_inputs(seed + (uint64_t)k, 1, 2, u), r.s0[k] = 0.05 * u[1];
    for (int64_t p = 0; p < r.P && !rc; p++) { /* θ_p + ε in direction p */
        lcp_inputs(seed ^ (0x9e37u + (uint64_t)p), 1, 2, u);
        rc = lc_fo_seed(&ctx, &r.par[p], r.P, 0.6 * u[1], p) ? LCP_ENOMEM : LCP_OK;
    }
    for (int64_t i = 0; i < nv && !rc; i++) /* room for every temporary (the dual ops need it) */
        rc = lc_fo_set(&ctx, &r.v[i], r.P, 0, NULL) ? LCP_ENOMEM : LCP_OK;
    ro_job jf = {&ctx, &r, &FIELD}, jd = {&ctx, &r, &DUAL};
    /* one sample of each in turn, so a shared machine's load drifts over
     * both alike; the median of each */
    double *sd = malloc((size_t)(2 * reps) * sizeof *sd), *sf = sd ? sd + reps : NULL;
    if (!rc && !sd) rc = LCP_ENOMEM;
    for (int s = 0; s < reps && !rc; s++) {
        rc = lcp_time(ro_kernel, &jd, steps, 1, &sd[s]);
        for (int k = 0; k < 4 && !rc; k++) { /* the dual result, then the field's on top */
            keep[k * (r.P + 1)] = r.v[S_X + k].a;
            memcpy(keep + k * (r.P + 1) + 1, r.v[S_X + k].b, (size_t)r.P * sizeof *keep);
        }
        if (!rc) rc = lcp_time(ro_kernel, &jf, steps, 1, &sf[s]);
    }
    if (!rc) *ns_dual = median(sd, reps), *ns_field = median(sf, reps);
    free(sd);
    double md = 0;
    for (int k = 0; k < 4 && !rc; k++)
        for (int64_t j = 0; j <= r.P; j++) {
            double a = keep[k * (r.P + 1) + j], b = j ? r.v[S_X + k].b[j - 1] : r.v[S_X + k].a;
            double d = fabs(a - b) / fmax(1.0, fabs(a));
            md = d > md || isnan(d) ? d : md;
        }
    *maxdiff = md;
    for (int64_t i = 0; r.v && i < nv; i++) lc_fo_clear(&ctx, &r.v[i]);
    for (int64_t p = 0; r.par && p < r.P; p++) lc_fo_clear(&ctx, &r.par[p]);
    free(r.v), free(r.par), free(keep);
    lc_ctx_clear(&ctx);
    return rc == LCP_OK || rc == LCP_ENOMEM ? rc : LCP_EINVAL;
}
