/* SPDX-License-Identifier: MIT */
/* Gradient estimators for discontinuous primitives (docs/estimators.md). */
#include "est_internal.h"
#include "infnum/ext.h"
#include "infnum/raw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const est_names[] = {"classical", "ste", "ste_clipped", "surrogate", "kernel",
                                        "composite"};
#define NEST 6
static const char *const kernel_names[] = {"gaussian", "uniform"};

void lc_est_init(lc_est *e, lc_est_kind kind)
{
    e->kind = kind;
    e->tau = 1.0;
    e->kernel = LC_KERNEL_GAUSSIAN;
    e->sigma = 1.0;
    e->rules = NULL;
}

const char *lc_est_name(lc_est_kind kind)
{
    if ((unsigned)kind < sizeof est_names / sizeof est_names[0]) return est_names[kind];
    return "?";
}

/* Index of the name equal to s[0..len) in names, or -1. */
static int name_index(const char *const *names, int count, const char *s, size_t len)
{
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0) return i;
    return -1;
}

lc_status lc_kernel_from_name(lc_ctx *ctx, const char *name, lc_kernel *k)
{
    if (!name || !k) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    int i = name_index(kernel_names, 2, name, strlen(name));
    if (i < 0) return lc_fail(ctx, LC_EINVAL, __func__, "unknown kernel '%s' (gaussian, uniform)", name);
    *k = (lc_kernel)i;
    return LC_OK;
}

/* Reads a positive finite number from s[0..len). */
static int parse_positive(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v) || v <= 0) return 0;
    *out = v;
    return 1;
}

/* Applies one "key=value" setting of s[0..len) to e. */
static lc_status est_setting(lc_ctx *ctx, lc_est *e, const char *s, size_t len)
{
    const char *eq = memchr(s, '=', len);
    if (!eq) return lc_fail(ctx, LC_EINVAL, "lc_est_from_name", "setting '%.*s' is not key=value", (int)len, s);
    size_t klen = (size_t)(eq - s), vlen = len - klen - 1;
    const char *v = eq + 1;
    if (klen == 3 && !strncmp(s, "tau", 3) && parse_positive(v, vlen, &e->tau)) return LC_OK;
    if (klen == 5 && !strncmp(s, "sigma", 5) && parse_positive(v, vlen, &e->sigma)) return LC_OK;
    if (klen == 6 && !strncmp(s, "kernel", 6)) {
        int k = name_index(kernel_names, 2, v, vlen);
        if (k >= 0) {
            e->kernel = (lc_kernel)k;
            return LC_OK;
        }
    }
    return lc_fail(ctx, LC_EINVAL, "lc_est_from_name",
                   "bad setting '%.*s' (tau=<x>0>, sigma=<x>0>, kernel=gaussian|uniform)", (int)len, s);
}

lc_status lc_est_from_name(lc_ctx *ctx, const char *spec, lc_est *e)
{
    if (!spec || !e) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
    int kind = name_index(est_names, NEST, spec, nlen);
    if (kind < 0 && nlen == 11 && !strncmp(spec, "nonstandard", 11)) kind = LC_EST_KERNEL; /* former name */
    if (kind < 0)
        return lc_fail(ctx, LC_EINVAL, __func__,
                       "unknown estimator '%.*s' (classical, ste, ste_clipped, surrogate, kernel, composite)",
                       (int)nlen, spec);
    lc_est tmp;
    lc_est_init(&tmp, (lc_est_kind)kind);
    for (const char *s = colon; s; ) {
        s++;
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        lc_status st = est_setting(ctx, &tmp, s, len);
        if (st) return st;
        s = comma;
    }
    *e = tmp;
    return LC_OK;
}

double lc_kernel_eval(lc_kernel k, double sigma, double t)
{
    if (!(sigma > 0) || isnan(t)) return 0.0;
    if (k == LC_KERNEL_UNIFORM) return fabs(t) <= 0.5 * sigma ? 1.0 / sigma : 0.0;
    double z = t / sigma;
    return exp(-0.5 * z * z) / (sigma * 2.5066282746310002); /* √(2π) */
}


lc_status lc_est_check(lc_ctx *ctx, const lc_est *e)
{
    if (!e) return lc_fail(ctx, LC_EINVAL, __func__, "NULL estimator");
    if ((unsigned)e->kind > LC_EST_COMPOSITE || (unsigned)e->kernel > LC_KERNEL_UNIFORM)
        return lc_fail(ctx, LC_EINVAL, __func__, "unknown estimator kind %d or kernel %d", (int)e->kind,
                       (int)e->kernel);
    if (!(e->tau > 0) || !(e->sigma > 0) || !isfinite(e->tau) || !isfinite(e->sigma))
        return lc_fail(ctx, LC_EINVAL, __func__, "tau and sigma must be positive and finite (tau=%g, sigma=%g)",
                       e->tau, e->sigma);
    for (int p = LC_PRIM_STEP; e->rules && p <= LC_PRIM_ROUND; p++) {
        const lc_jump_rule *r = &e->rules[p];
        if (!isfinite(r->b0) || !isfinite(r->J) || !isfinite(r->reg) || !isfinite(r->period) || r->period < 0)
            return lc_fail(ctx, LC_EINVAL, __func__, "rules[%d]: b0, J, reg must be finite and period ≥ 0", p);
    }
    return LC_OK;
}

/* The jump primitive p applied through the core (lc_fn for lc_ngrad_decode). */
static lc_status disc_fn(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    return lc_disc_apply(ctx, y, x, *(const lc_disc *)data);
}

/* Kinks: surrogate = derivative of τ·softplus(u/τ) (relu) or of its odd
 * version (abs); otherwise the a.e. derivative, the mean of both sides at 0. */
static void kink_deriv(const lc_est *e, lc_prim p, const double *u, int64_t n, double *d)
{
    int smooth = e->kind == LC_EST_SURROGATE;
    for (int64_t i = 0; i < n; i++) {
        double x = u[i];
        if (p == LC_PRIM_RELU)
            d[i] = smooth ? _lc_sigmoid_real(x / e->tau) : (x > 0 ? 1.0 : x < 0 ? 0.0 : 0.5);
        else
            d[i] = smooth ? tanh(0.5 * x / e->tau) : (x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0);
    }
}

lc_status lc_est_jump_rule(lc_ctx *ctx, lc_prim p, lc_jump_rule *r)
{
    if (!ctx) return LC_EINVAL;
    if (!r || (unsigned)p > LC_PRIM_ROUND)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL rule or not a jump primitive");
    lc_disc f = (lc_disc)p;
    /* two points a breakpoint's width apart: the nearest breakpoints tell b0
     * and the period (0 when both see the same one); reg midway between */
    double u[2] = {0.25, 1.25}, b[2], J[2], mid, reg;
    lc_status s = lc_disc_jump(ctx, f, u, 2, b, J);
    if (s) return s;
    double period = b[1] - b[0];
    mid = period > 0 ? b[0] + 0.5 * period : b[0] + 0.5;
    if ((s = lc_ngrad_decode(ctx, &reg, NULL, disc_fn, &f, &mid, 1))) return s;
    *r = (lc_jump_rule){b[0], period, J[0], reg};
    return LC_OK;
}

lc_status _lc_est_breaks(lc_ctx *ctx, const lc_est *e, lc_prim p, int bits, est_breaks *B)
{
    lc_prim q = bits ? LC_PRIM_ROUND : p;
    lc_jump_rule r;
    if (e->rules) r = e->rules[q];
    else {
        lc_status s = lc_est_jump_rule(ctx, q, &r);
        if (s) return s;
    }
    B->r = r;
    B->kmin = -INFINITY;
    B->kmax = INFINITY;
    B->m = 1.0;
    B->b0 = r.b0;
    B->period = r.period;
    if (bits) { /* q(u) = round(m·clip(u, 0, 1))/m: round's breaks inside [0, m], scaled by 1/m */
        double m = (double)((1L << bits) - 1);
        B->r = (lc_jump_rule){r.b0 / m, r.period / m, r.J / m, r.reg};
        B->kmin = r.period > 0 ? ceil((0 - r.b0) / r.period) : 0;
        B->kmax = r.period > 0 ? floor((m - r.b0) / r.period) : 0;
        B->m = m;
    }
    return LC_OK;
}

double _lc_est_break(const est_breaks *B, double k)
{
    double x = B->b0 + k * B->period, b = x / B->m;
    for (int i = 0; i < 8 && B->m != 1.0 && b * B->m != x; i++) b = nextafter(b, b * B->m < x ? INFINITY : -INFINITY);
    return b;
}

int64_t _lc_est_in_reach(const lc_est *e, const est_breaks *B, double u, double *kfirst)
{
    const lc_jump_rule *r = &B->r;
    double reach = e->kernel == LC_KERNEL_GAUSSIAN ? 8.0 * e->sigma : 0.5 * e->sigma;
    double k0 = 0, k1 = 0;
    if (r->period > 0) {
        k0 = fmax(ceil((u - reach - r->b0) / r->period), B->kmin);
        k1 = fmin(floor((u + reach - r->b0) / r->period), B->kmax);
    } else if (fabs(u - r->b0) > reach) {
        return 0;
    }
    *kfirst = k0;
    return k1 >= k0 ? (int64_t)(k1 - k0) + 1 : 0;
}

/* Breakpoint of B nearest u (ties to the lower one). */
static double nearest_break(const est_breaks *B, double u)
{
    const lc_jump_rule *r = &B->r;
    if (!(r->period > 0)) return r->b0;
    return _lc_est_break(B, fmin(fmax(ceil((u - r->b0) / r->period - 0.5), B->kmin), B->kmax));
}

/* Surrogate, kernel and composite for jump primitives with breaks B. */
static void jump_deriv(const lc_est *e, const est_breaks *B, const double *u, int64_t n, double *d)
{
    const lc_jump_rule *r = &B->r;
    for (int64_t i = 0; i < n; i++) {
        if (e->kind == LC_EST_SURROGATE) {
            double s = _lc_sigmoid_real((u[i] - nearest_break(B, u[i])) / e->tau);
            d[i] = r->J * s * (1.0 - s) / e->tau;
        } else if (e->kind == LC_EST_KERNEL) {
            d[i] = r->reg + r->J * lc_kernel_eval(e->kernel, e->sigma, u[i] - nearest_break(B, u[i]));
        } else {
            double k0, s = 0;
            int64_t nb = _lc_est_in_reach(e, B, u[i], &k0);
            for (int64_t k = 0; k < nb; k++) s += lc_kernel_eval(e->kernel, e->sigma, u[i] - _lc_est_break(B, k0 + (double)k));
            d[i] = r->reg + r->J * s;
        }
    }
}

/* Shared by lc_est_deriv and lc_est_quant_deriv (arguments checked). */
static lc_status deriv(lc_ctx *ctx, const lc_est *e, lc_prim p, int bits, const double *u, int64_t n,
                       double *d)
{
    switch (e->kind) {
    case LC_EST_CLASSICAL:
        for (int64_t i = 0; i < n; i++) d[i] = 0.0;
        return LC_OK;
    case LC_EST_STE:
        for (int64_t i = 0; i < n; i++) d[i] = 1.0;
        return LC_OK;
    case LC_EST_STE_CLIPPED: /* the real range: |u| ≤ 1, the quantiser's [0, 1] */
        for (int64_t i = 0; i < n; i++)
            d[i] = (bits ? u[i] >= 0.0 && u[i] <= 1.0 : fabs(u[i]) <= 1.0) ? 1.0 : 0.0;
        return LC_OK;
    default: {
        est_breaks B;
        lc_status s = _lc_est_breaks(ctx, e, p, bits, &B);
        if (s) return s;
        jump_deriv(e, &B, u, n, d);
        return LC_OK;
    }
    }
}

lc_status lc_est_quant_deriv(lc_ctx *ctx, const lc_est *e, int bits, const double *u, int64_t n, double *d)
{
    if (!ctx) return LC_EINVAL;
    if (!e || n < 0 || (n > 0 && (!u || !d)) || bits < 1 || bits > 24)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, negative n or bits outside 1..24");
    lc_status s = lc_est_check(ctx, e);
    return s ? s : deriv(ctx, e, LC_PRIM_ROUND, bits, u, n, d);
}

lc_status lc_est_deriv(lc_ctx *ctx, const lc_est *e, lc_prim p, const double *u, int64_t n,
                       double *d)
{
    if (!ctx) return LC_EINVAL;
    if (!e || n < 0 || (n > 0 && (!u || !d)) || (unsigned)p > LC_PRIM_RELU)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, negative n or unknown primitive");
    lc_status s = lc_est_check(ctx, e);
    if (s) return s;
    if (p == LC_PRIM_ABS || p == LC_PRIM_RELU) {
        kink_deriv(e, p, u, n, d);
        return LC_OK;
    }
    return deriv(ctx, e, p, 0, u, n, d);
}
