/* Gradient estimators for discontinuous primitives (docs/estimators.md). */
#include "infnum/estimator.h"
#include "infnum/ext.h"
#include "infnum/raw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Elements per chunk of the field-based estimators (stack buffers). */
#define EST_CHUNK 1024

static const char *const est_names[] = {"classical", "ste", "ste_clipped", "surrogate",
                                        "nonstandard"};
static const char *const kernel_names[] = {"gaussian", "uniform"};

void lc_est_init(lc_est *e, lc_est_kind kind)
{
    e->kind = kind;
    e->tau = 1.0;
    e->kernel = LC_KERNEL_GAUSSIAN;
    e->sigma = 1.0;
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
    int kind = name_index(est_names, 5, spec, nlen);
    if (kind < 0)
        return lc_fail(ctx, LC_EINVAL, __func__,
                       "unknown estimator '%.*s' (classical, ste, ste_clipped, surrogate, nonstandard)",
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
    if ((unsigned)e->kind > LC_EST_NONSTANDARD || (unsigned)e->kernel > LC_KERNEL_UNIFORM)
        return lc_fail(ctx, LC_EINVAL, __func__, "unknown estimator kind %d or kernel %d", (int)e->kind,
                       (int)e->kernel);
    if (!(e->tau > 0) || !(e->sigma > 0) || !isfinite(e->tau) || !isfinite(e->sigma))
        return lc_fail(ctx, LC_EINVAL, __func__, "tau and sigma must be positive and finite (tau=%g, sigma=%g)",
                       e->tau, e->sigma);
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

/* Surrogate and nonstandard for jump primitives: b, J (and the regular part)
 * from the field, chunk by chunk. */
static lc_status jump_deriv(lc_ctx *ctx, const lc_est *e, lc_disc f, const double *u, int64_t n,
                            double *d)
{
    double b[EST_CHUNK], J[EST_CHUNK];
    for (int64_t i0 = 0; i0 < n; i0 += EST_CHUNK) {
        int64_t m = n - i0 < EST_CHUNK ? n - i0 : EST_CHUNK;
        lc_status st = lc_disc_jump(ctx, f, u + i0, m, b, J);
        if (st) return st;
        if (e->kind == LC_EST_NONSTANDARD) {
            st = lc_ngrad_decode(ctx, d + i0, NULL, disc_fn, &f, u + i0, m);
            if (st) return st;
            for (int64_t i = 0; i < m; i++)
                d[i0 + i] += J[i] * lc_kernel_eval(e->kernel, e->sigma, u[i0 + i] - b[i]);
        } else {
            for (int64_t i = 0; i < m; i++) {
                double s = _lc_sigmoid_real((u[i0 + i] - b[i]) / e->tau);
                d[i0 + i] = J[i] * s * (1.0 - s) / e->tau;
            }
        }
    }
    return LC_OK;
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
    switch (e->kind) {
    case LC_EST_CLASSICAL:
        for (int64_t i = 0; i < n; i++) d[i] = 0.0;
        return LC_OK;
    case LC_EST_STE:
        for (int64_t i = 0; i < n; i++) d[i] = 1.0;
        return LC_OK;
    case LC_EST_STE_CLIPPED:
        for (int64_t i = 0; i < n; i++) d[i] = fabs(u[i]) <= 1.0 ? 1.0 : 0.0;
        return LC_OK;
    default:
        return jump_deriv(ctx, e, (lc_disc)p, u, n, d);
    }
}
