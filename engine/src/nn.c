/* SPDX-License-Identifier: MIT */
/* Training engine: optimizers and an MLP recorded on the tape. */
#include "nn_internal.h"
#include "infnum/ext.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- optimizers */

void lc_opt_init(lc_opt *o, lc_opt_kind kind)
{
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->lr = kind == LC_OPT_ADAM ? 1e-3 : 0.1;
    o->momentum = 0.9;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
}

lc_status lc_opt_from_name(lc_ctx *ctx, const char *name, lc_opt *o)
{
    if (!name || !o) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (!strcmp(name, "sgd")) lc_opt_init(o, LC_OPT_SGD);
    else if (!strcmp(name, "adam")) lc_opt_init(o, LC_OPT_ADAM);
    else return lc_fail(ctx, LC_EINVAL, __func__, "unknown optimizer '%s' (sgd, adam)", name);
    return LC_OK;
}

void lc_opt_clear(lc_ctx *ctx, lc_opt *o)
{
    lc_free(ctx, o->m);
    lc_free(ctx, o->v);
    o->m = o->v = NULL;
    o->n = o->t = 0;
}

lc_status lc_opt_step(lc_ctx *ctx, lc_opt *o, double *theta, const double *g, int64_t n)
{
    if (!ctx) return LC_EINVAL;
    if (!o || n < 1 || !theta || !g) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or n < 1");
    if (!(o->lr > 0) || (unsigned)o->kind > LC_OPT_ADAM)
        return lc_fail(ctx, LC_EINVAL, __func__, "bad optimizer settings (kind, lr > 0)");
    if (o->n && o->n != n)
        return lc_fail(ctx, LC_ESHAPE, __func__, "state holds %lld parameters, got %lld", (long long)o->n,
                       (long long)n);
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(g[i])) return lc_fail(ctx, LC_ENONFINITE, __func__, "gradient %lld is not finite", (long long)i);
    if (!o->n) {
        o->m = lc_malloc(ctx, (size_t)n, sizeof *o->m);
        o->v = o->kind == LC_OPT_ADAM ? lc_malloc(ctx, (size_t)n, sizeof *o->v) : NULL;
        if (!o->m || (o->kind == LC_OPT_ADAM && !o->v)) {
            lc_opt_clear(ctx, o);
            return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory for the optimizer state");
        }
        memset(o->m, 0, (size_t)n * sizeof *o->m);
        if (o->v) memset(o->v, 0, (size_t)n * sizeof *o->v);
        o->n = n;
    }
    o->t++;
    double wd = o->weight_decay;
    if (o->kind == LC_OPT_SGD) {
        for (int64_t i = 0; i < n; i++) {
            o->m[i] = o->momentum * o->m[i] + g[i] + wd * theta[i];
            theta[i] -= o->lr * o->m[i];
        }
        return LC_OK;
    }
    /* θ ← θ − lr·m̂/(√v̂ + ε̂), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) */
    double a = o->lr / (1.0 - pow(o->beta1, (double)o->t)), b = 1.0 / (1.0 - pow(o->beta2, (double)o->t));
    double b1 = o->beta1, b2 = o->beta2, eps = o->eps;
    double *m = o->m, *v = o->v;
    for (int64_t i = 0; i < n; i++) {
        double gi = g[i] + wd * theta[i];
        m[i] = b1 * m[i] + (1.0 - b1) * gi;
        v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
        theta[i] -= a * m[i] / (sqrt(v[i] * b) + eps);
    }
    return LC_OK;
}

/* ------------------------------------------------------------- activations */

lc_status lc_act_from_name(lc_ctx *ctx, const char *name, lc_act *act, int32_t *bits)
{
    if (!name || !act || !bits) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    static const char *const names[] = {"relu", "step", "sign"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, names[i])) {
            *act = (lc_act)i;
            *bits = 0;
            return LC_OK;
        }
    if (!strncmp(name, "round_", 6)) {
        char *end;
        long k = strtol(name + 6, &end, 10);
        if (end != name + 6 && *end == '\0' && k >= 1 && k <= 24) {
            *act = LC_ACT_ROUND;
            *bits = (int32_t)k;
            return LC_OK;
        }
    }
    return lc_fail(ctx, LC_EINVAL, __func__, "unknown activation '%s' (relu, step, sign, round_K with K in 1..24)",
                   name);
}

lc_var lc_nn_activation(lc_tape *t, lc_act act, int32_t bits, lc_var x)
{
    switch (act) {
    case LC_ACT_RELU: return lc_tape_unary(t, LC_FUN_RELU, x);
    case LC_ACT_STEP: return lc_tape_unary(t, LC_FUN_STEP, x);
    case LC_ACT_SIGN: return lc_tape_unary(t, LC_FUN_SIGN, x);
    case LC_ACT_ROUND: return lc_tape_quant(t, x, bits);
    }
    if (t->status == LC_OK) {
        lc_fail(t->ctx, LC_EINVAL, __func__, "unknown activation %d", (int)act);
        t->status = LC_EINVAL;
    }
    return LC_VAR_NONE;
}

lc_var lc_nn_relaxed(lc_tape *t, lc_act act, int32_t bits, double tau, lc_var x)
{
    if (!(tau > 0) && t->status == LC_OK) {
        lc_fail(t->ctx, LC_EINVAL, __func__, "tau must be > 0");
        t->status = LC_EINVAL;
    }
    if (t->status) return LC_VAR_NONE;
    switch (act) {
    case LC_ACT_STEP: return lc_tape_unary(t, LC_FUN_SIGMOID, lc_tape_scale(t, x, 1.0 / tau));
    case LC_ACT_SIGN:
        return lc_tape_add_scalar(t, lc_tape_scale(t, lc_tape_unary(t, LC_FUN_SIGMOID, lc_tape_scale(t, x, 1.0 / tau)), 2.0),
                                  -1.0);
    case LC_ACT_ROUND: {
        double m = (double)((1L << bits) - 1);
        lc_var sum = LC_VAR_NONE;
        for (int64_t k = 0; k < (int64_t)m; k++) {
            lc_var s = lc_tape_unary(t, LC_FUN_SIGMOID,
                                     lc_tape_scale(t, lc_tape_add_scalar(t, x, -((double)k + 0.5) / m), 1.0 / tau));
            sum = k ? lc_tape_add(t, sum, s) : s;
        }
        return lc_tape_scale(t, sum, 1.0 / m);
    }
    default: return lc_nn_activation(t, act, bits, x);
    }
}

/* --------------------------------------------------------------------- MLP */

void lc_nn_cfg_init(lc_nn_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->nin = 784;
    cfg->nout = 10;
    cfg->nhidden = 1;
    cfg->hidden[0] = 256;
    cfg->act = LC_ACT_RELU;
    lc_est_init(&cfg->est, LC_EST_CLASSICAL);
    lc_opt_init(&cfg->opt, LC_OPT_ADAM);
    cfg->batch = 128;
    cfg->seed = 1;
}

/* Width of layer l's input and output. */
static int64_t layer_in(const lc_nn_cfg *c, int l) { return l == 0 ? c->nin : c->hidden[l - 1]; }
static int64_t layer_out(const lc_nn_cfg *c, int l) { return l == c->nhidden ? c->nout : c->hidden[l]; }

static lc_status check_cfg(lc_ctx *ctx, const lc_nn_cfg *c)
{
    const char *bad = NULL;
    if (c->nin < 1 || c->nin > (1 << 24)) bad = "nin";
    else if (c->nout < 2 || c->nout > (1 << 24)) bad = "nout";
    else if (c->nhidden < 0 || c->nhidden > LC_NN_MAX_HIDDEN) bad = "nhidden";
    else if ((unsigned)c->act > LC_ACT_ROUND || (c->act == LC_ACT_ROUND && (c->bits < 1 || c->bits > 24)))
        bad = "act/bits";
    else if (c->batch < 1 || c->batch > (1 << 20)) bad = "batch";
    else if (!(c->opt.lr > 0) || (unsigned)c->opt.kind > LC_OPT_ADAM) bad = "opt";
    else if (lc_est_check(ctx, &c->est)) bad = "est";
    else if (!(c->relax >= 0) || !isfinite(c->relax)) bad = "relax";
    for (int l = 0; !bad && l < c->nhidden; l++)
        if (c->hidden[l] < 1 || c->hidden[l] > (1 << 24)) bad = "hidden";
    if (bad) return lc_fail(ctx, LC_EINVAL, "lc_nn_init", "invalid configuration field '%s'", bad);
    return LC_OK;
}

void lc_nn_clear(lc_ctx *ctx, lc_nn *net)
{
    if (!net) return;
    lc_free(ctx, net->params);
    lc_free(ctx, net->grad);
    lc_free(ctx, net->perm);
    lc_free(ctx, net->ybuf);
    lc_free(ctx, net->xbuf);
    lc_free(ctx, net->cbuf);
    lc_free(ctx, net->cidx);
    lc_tape_clear(&net->tape);
    lc_opt_clear(ctx, &net->opt);
    memset(net, 0, sizeof *net);
}

lc_status lc_nn_init(lc_ctx *ctx, lc_nn *net, const lc_nn_cfg *cfg)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !cfg) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_status s = check_cfg(ctx, cfg);
    if (s) return s;
    memset(net, 0, sizeof *net);
    net->cfg = *cfg;
    int64_t np = 0;
    for (int l = 0; l <= cfg->nhidden; l++) {
        net->w_off[l] = np;
        np += layer_in(cfg, l) * layer_out(cfg, l);
        net->b_off[l] = np;
        np += layer_out(cfg, l);
    }
    net->nparams = np;
    net->params = lc_malloc(ctx, (size_t)np, sizeof *net->params);
    net->grad = lc_malloc(ctx, (size_t)np, sizeof *net->grad);
    net->ybuf = lc_malloc(ctx, (size_t)cfg->batch, sizeof *net->ybuf);
    net->xbuf = lc_malloc(ctx, (size_t)(cfg->batch * cfg->nin), sizeof *net->xbuf);
    if (!net->params || !net->grad || !net->ybuf || !net->xbuf) {
        lc_nn_clear(ctx, net);
        return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory for %lld parameters", (long long)np);
    }
    lc_rng init;
    lc_rng_seed(&init, cfg->seed);
    for (int l = 0; l <= cfg->nhidden; l++) { /* He: N(0, 2/fan_in), zero bias */
        double sd = sqrt(2.0 / (double)layer_in(cfg, l));
        for (int64_t i = net->w_off[l]; i < net->b_off[l]; i++) net->params[i] = sd * lc_rng_normal(&init);
        for (int64_t i = net->b_off[l]; i < net->b_off[l] + layer_out(cfg, l); i++) net->params[i] = 0.0;
    }
    lc_rng_seed(&net->rng, cfg->seed ^ 0x5eed5eed5eed5eedULL);
    lc_tape_init(&net->tape, ctx);
    net->opt = cfg->opt;
    net->opt.m = net->opt.v = NULL;
    net->opt.n = net->opt.t = 0;
    return LC_OK;
}

lc_status lc_nn_set_est(lc_ctx *ctx, lc_nn *net, const lc_est *e)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !net->params) return lc_fail(ctx, LC_EINVAL, __func__, "NULL or uninitialised net");
    lc_status s = lc_est_check(ctx, e);
    if (!s) net->cfg.est = *e;
    return s;
}

/* Records the network on x (n rows) and returns the logits; pre[l] and
 * post[l] (may be NULL) receive the pre-activation and output of hidden
 * layer l, *xin (may be NULL) the input node. */
static lc_var record_forward(lc_nn *net, const float *x, int64_t n, int train, lc_var *pre, lc_var *post,
                             lc_var *xin)
{
    lc_tape *t = &net->tape;
    const lc_nn_cfg *c = &net->cfg;
    lc_var h = lc_tape_const_f32(t, x, n, c->nin);
    if (xin) *xin = h;
    for (int l = 0; l <= c->nhidden; l++) {
        int64_t in = layer_in(c, l), out = layer_out(c, l);
        lc_var w = lc_tape_param(t, net->params + net->w_off[l], net->grad + net->w_off[l], out, in);
        lc_var b = lc_tape_param(t, net->params + net->b_off[l], net->grad + net->b_off[l], 1, out);
        h = lc_tape_linear(t, h, w, b);
        if (l == c->nhidden) break;
        pre[l] = h;
        h = train && c->relax > 0 ? lc_nn_relaxed(t, c->act, c->bits, c->relax, h) : lc_nn_activation(t, c->act, c->bits, h);
        if (post) post[l] = h;
    }
    return h;
}

/* Index of the first greatest of z[0..k-1]. */
static int64_t row_argmax(const double *z, int64_t k)
{
    int64_t best = 0;
    for (int64_t j = 1; j < k; j++)
        if (z[j] > z[best]) best = j;
    return best;
}

static double zero_fraction(const double *g, int64_t n)
{
    int64_t z = 0;
    for (int64_t i = 0; i < n; i++) z += g[i] == 0.0;
    return n ? (double)z / (double)n : 0.0;
}

/* Fills st from the gradients and the logits of the step just taken. */
static void step_stats(lc_nn *net, lc_var logits, lc_var loss, double *const *gpre, const int32_t *y,
                       int64_t n, lc_nn_stats *st)
{
    const lc_nn_cfg *c = &net->cfg;
    memset(st, 0, sizeof *st);
    st->steps = 1;
    st->loss = lc_tape_value(&net->tape, loss, NULL, NULL)[0];
    const double *z = lc_tape_value(&net->tape, logits, NULL, NULL);
    int64_t correct = 0;
    for (int64_t i = 0; i < n; i++) correct += row_argmax(z + i * c->nout, c->nout) == y[i];
    st->acc = (double)correct / (double)n;
    for (int l = 0; l <= c->nhidden; l++) {
        int64_t nw = net->b_off[l] - net->w_off[l], nb = layer_out(c, l);
        const double *g = net->grad + net->w_off[l];
        double s = 0;
        for (int64_t i = 0; i < nw + nb; i++) s += g[i] * g[i];
        st->grad_norm[l] = sqrt(s);
        st->zero_frac[l] = zero_fraction(g, nw);
    }
    for (int l = 0; l < c->nhidden; l++) {
        st->act_zero_frac[l] = gpre[l] ? zero_fraction(gpre[l], n * c->hidden[l]) : 1.0;
    }
}

/* The recorded pass of the last lc_nn_gradient: its logits, loss and the
 * gradients of the pre-activations (gpre[l], NULL if none reached them). */
typedef struct grad_pass {
    lc_var logits, loss;
    double *gpre[LC_NN_MAX_HIDDEN];
} grad_pass;

static lc_status gradient(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n, grad_pass *gp)
{
    lc_tape *t = &net->tape;
    const lc_nn_cfg *c = &net->cfg;
    lc_var pre[LC_NN_MAX_HIDDEN], post[LC_NN_MAX_HIDDEN], in;
    lc_tape_reset(t);
    lc_status s = lc_tape_set_est(t, &c->est);
    if (s) return s;
    gp->logits = record_forward(net, x, n, 1, pre, post, &in);
    gp->loss = lc_tape_softmax_xent(t, gp->logits, y);
    if ((s = lc_tape_status(t))) return s;
    memset(net->grad, 0, (size_t)net->nparams * sizeof *net->grad);
    if (c->est.kind != LC_EST_COMPOSITE || c->act == LC_ACT_RELU || c->nhidden == 0 || c->relax > 0) {
        s = lc_tape_backward(t, gp->loss);
        for (int l = 0; !s && l < c->nhidden; l++) gp->gpre[l] = (double *)lc_tape_grad(t, pre[l]);
        return s;
    }
    int64_t need = 0; /* composite fast path: buffers kept in net */
    for (int l = 0; l < c->nhidden; l++) need += n * c->hidden[l];
    int64_t off = need;
    need += _lc_nn_composite_scratch(c, n);
    if (need > net->cbuf_n) {
        double *b = lc_realloc(ctx, net->cbuf, (size_t)need, sizeof *b);
        if (!b) return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
        net->cbuf = b;
        net->cbuf_n = need;
    }
    int64_t ineed = _lc_nn_composite_iscratch(c);
    if (ineed > net->cidx_n) {
        int64_t *b = lc_realloc(ctx, net->cidx, (size_t)ineed, sizeof *b);
        if (!b) return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
        net->cidx = b;
        net->cidx_n = ineed;
    }
    nn_fwd f = {n, lc_tape_value(t, in, NULL, NULL), {0}, {0}, lc_tape_value(t, gp->logits, NULL, NULL),
                net->cbuf + off, net->cidx};
    int64_t o = 0;
    for (int l = 0; l < c->nhidden; o += n * c->hidden[l], l++) {
        f.u[l] = lc_tape_value(t, pre[l], NULL, NULL);
        f.h[l] = lc_tape_value(t, post[l], NULL, NULL);
        gp->gpre[l] = net->cbuf + o;
    }
    return _lc_nn_composite_grad(ctx, net, &f, y, gp->gpre);
}

lc_status lc_nn_gradient(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n, double *loss)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !net->params || !x || !y || n < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, uninitialised net or n < 1");
    grad_pass gp;
    lc_status s = gradient(ctx, net, x, y, n, &gp);
    if (!s && loss) *loss = lc_tape_value(&net->tape, gp.loss, NULL, NULL)[0];
    return s;
}

lc_status lc_nn_train_step(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n,
                           lc_nn_stats *st)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !net->params || !x || !y || n < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, uninitialised net or n < 1");
    grad_pass gp;
    lc_status s = gradient(ctx, net, x, y, n, &gp);
    if (s) return s;
    if (st) step_stats(net, gp.logits, gp.loss, gp.gpre, y, n, st);
    return lc_opt_step(ctx, &net->opt, net->params, net->grad, net->nparams);
}

static void stats_add(lc_nn_stats *acc, const lc_nn_stats *s)
{
    acc->loss += s->loss;
    acc->acc += s->acc;
    for (int l = 0; l <= LC_NN_MAX_HIDDEN; l++) {
        acc->grad_norm[l] += s->grad_norm[l];
        acc->zero_frac[l] += s->zero_frac[l];
        if (l < LC_NN_MAX_HIDDEN) acc->act_zero_frac[l] += s->act_zero_frac[l];
    }
    acc->steps++;
}

static void stats_mean(lc_nn_stats *acc)
{
    double k = acc->steps ? (double)acc->steps : 1.0;
    acc->loss /= k;
    acc->acc /= k;
    for (int l = 0; l <= LC_NN_MAX_HIDDEN; l++) {
        acc->grad_norm[l] /= k;
        acc->zero_frac[l] /= k;
        if (l < LC_NN_MAX_HIDDEN) acc->act_zero_frac[l] /= k;
    }
}

lc_status lc_nn_train_epoch(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n,
                            lc_nn_progress progress, void *data, lc_nn_stats *mean)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !net->params || !x || !y || n < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, uninitialised net or n < 1");
    const lc_nn_cfg *c = &net->cfg;
    for (int64_t i = 0; i < n; i++)
        if (y[i] < 0 || y[i] >= c->nout)
            return lc_fail(ctx, LC_EINVAL, __func__, "label %d of sample %lld is outside 0..%lld", (int)y[i],
                           (long long)i, (long long)(c->nout - 1));
    if (net->perm_n != n) {
        int64_t *p = lc_realloc(ctx, net->perm, (size_t)n, sizeof *p);
        if (!p) return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
        net->perm = p;
        net->perm_n = n;
    }
    for (int64_t i = 0; i < n; i++) net->perm[i] = i;
    lc_rng_shuffle(&net->rng, net->perm, n);
    lc_nn_stats acc, st;
    memset(&acc, 0, sizeof acc);
    int64_t nsteps = (n + c->batch - 1) / c->batch;
    for (int64_t k = 0; k < nsteps; k++) {
        int64_t i0 = k * c->batch, m = n - i0 < c->batch ? n - i0 : c->batch;
        for (int64_t i = 0; i < m; i++) {
            int64_t src = net->perm[i0 + i];
            memcpy(net->xbuf + i * c->nin, x + src * c->nin, (size_t)c->nin * sizeof *x);
            net->ybuf[i] = y[src];
        }
        lc_status s = lc_nn_train_step(ctx, net, net->xbuf, net->ybuf, m, &st);
        if (s) return s;
        stats_add(&acc, &st);
        if (progress && progress(k, nsteps, &st, data)) break;
    }
    stats_mean(&acc);
    if (mean) *mean = acc;
    return LC_OK;
}

/* Forward pass over x in chunks of cfg.batch; per chunk, fn gets the logits. */
static lc_status forward_chunks(lc_nn *net, const float *x, int64_t n,
                                void (*fn)(const double *z, int64_t i0, int64_t m, int64_t k, void *d),
                                void *data)
{
    lc_var pre[LC_NN_MAX_HIDDEN];
    const lc_nn_cfg *c = &net->cfg;
    for (int64_t i0 = 0; i0 < n; i0 += c->batch) {
        int64_t m = n - i0 < c->batch ? n - i0 : c->batch;
        lc_tape_reset(&net->tape);
        lc_var z = record_forward(net, x + i0 * c->nin, m, 0, pre, NULL, NULL);
        lc_status s = lc_tape_status(&net->tape);
        if (s) return s;
        fn(lc_tape_value(&net->tape, z, NULL, NULL), i0, m, c->nout, data);
    }
    return LC_OK;
}

typedef struct eval_acc {
    const int32_t *y;
    int32_t *pred;
    int64_t correct;
    double loss;
} eval_acc;

static void eval_chunk(const double *z, int64_t i0, int64_t m, int64_t k, void *d)
{
    eval_acc *e = d;
    for (int64_t i = 0; i < m; i++) {
        const double *zi = z + i * k;
        int64_t best = row_argmax(zi, k);
        if (e->pred) e->pred[i0 + i] = (int32_t)best;
        if (!e->y) continue;
        double mx = zi[best], s = 0;
        for (int64_t j = 0; j < k; j++) s += exp(zi[j] - mx);
        e->correct += best == e->y[i0 + i];
        e->loss += mx + log(s) - zi[e->y[i0 + i]];
    }
}

lc_status lc_nn_predict(lc_ctx *ctx, lc_nn *net, const float *x, int64_t n, int32_t *pred)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !net->params || !x || !pred || n < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, uninitialised net or n < 1");
    eval_acc e = {NULL, pred, 0, 0};
    return forward_chunks(net, x, n, eval_chunk, &e);
}

lc_status lc_nn_evaluate(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n,
                         double *acc, double *loss)
{
    if (!ctx) return LC_EINVAL;
    if (!net || !net->params || !x || !y || n < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument, uninitialised net or n < 1");
    for (int64_t i = 0; i < n; i++)
        if (y[i] < 0 || y[i] >= net->cfg.nout)
            return lc_fail(ctx, LC_EINVAL, __func__, "label %d of sample %lld is out of range", (int)y[i],
                           (long long)i);
    eval_acc e = {y, NULL, 0, 0};
    lc_status s = forward_chunks(net, x, n, eval_chunk, &e);
    if (s) return s;
    if (acc) *acc = (double)e.correct / (double)n;
    if (loss) *loss = e.loss / (double)n;
    return LC_OK;
}
