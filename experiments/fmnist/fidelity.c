/* SPDX-License-Identifier: MIT */
/*
 * infnum-fmnist-fidelity — how close is each estimator's gradient to the
 * gradient it stands in for? For MLPs with 1..4 hidden layers of a jump
 * activation, trained (with train_estimator) to several checkpoints, and for
 * each noise width σ: the target is the gradient of the expected mini-batch
 * loss under Gaussian noise of width σ on every hidden pre-activation,
 * estimated by the score function, E[(L(u + σz) − L(u))·z]/σ, with
 * mc_samples samples (the noise-free loss as baseline); its standard error
 * comes from mc_groups independent groups of samples. Each estimator at σ
 * (kernel and composite σ, surrogate τ = σ·√3/π: the same standard
 * deviation; ste and ste_clipped need none) gives its gradient of the same
 * mini-batches (hidden layers' weights and biases). Results (one HDF5 file):
 *   fid/rows [N × 12]: depth, epoch, sigma, estimator index, cosine (mean
 *     over batches), relative bias ‖ḡ − ḡ_MC‖/‖ḡ_MC‖, relative variance
 *     over batches E‖g − ḡ‖²/‖ḡ‖², MC relative standard error ‖SE‖/‖g_MC‖,
 *     MC self-cosine (two halves of the samples), batches, samples, mean
 *     ‖g‖/‖g_MC‖
 *   fid/estimators: the estimator names of the index
 *   hist/rows [M × 6]: depth, epoch, sigma, bin low, bin high, fraction of
 *     first-layer pre-activations with |u − b|/σ in the bin (b the nearest
 *     breakpoint) over the training subset: how often a kernel is ~0.
 */
#include "data.h"
#include "lcx.h"

#include <infnum/nn.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lcx_param P[] = {
    {"data", LCX_STR, "\"" FM_DATA_DIR_DEFAULT "\"", "directory of the four *-ubyte.gz files"},
    {"verify", LCX_BOOL, "true", "check the files' MD5 against the published digests"},
    {"activation", LCX_STR, "\"step\"", "step | sign | round_K"},
    {"depths", LCX_INTS, "[1,2,3]", "numbers of hidden layers (1..4)"},
    {"width", LCX_INT, "64", "hidden width of every layer"},
    {"epochs", LCX_INTS, "[0,1,3]", "checkpoints: epochs of training before a measurement (ascending)"},
    {"train_estimator", LCX_STR, "\"ste\"", "estimator spec that trains the networks between checkpoints"},
    {"lr", LCX_REAL, "0.001", "learning rate (adam) of that training"},
    {"train_subset", LCX_INT, "5000", "first N training images (training and measurement)"},
    {"sigmas", LCX_REALS, "[0.1,0.25,0.5,1.0]", "noise widths σ"},
    {"estimators", LCX_STRS, "[\"ste\",\"ste_clipped\",\"surrogate\",\"kernel\",\"composite\"]",
     "estimators compared (surrogate τ, kernel/composite σ matched to the noise)"},
    {"batches", LCX_INT, "4", "mini-batches per measurement"},
    {"batch", LCX_INT, "64", "mini-batch size"},
    {"mc_samples", LCX_INT, "2000", "Monte Carlo samples per mini-batch"},
    {"mc_groups", LCX_INT, "10", "groups of samples for the standard error (divides mc_samples)"},
    {0}};

#define NCOL 12
#define NBIN 8
static const double BIN_HI[NBIN] = {0.25, 0.5, 1, 2, 3, 4, 8, INFINITY};

typedef struct growbuf {
    double *v;
    int64_t n, cap;
} growbuf;

static int push_row(growbuf *b, const double *row, int k)
{
    if (b->n + k > b->cap) {
        int64_t cap = b->cap ? 2 * b->cap : 1024;
        while (cap < b->n + k) cap *= 2;
        double *p = realloc(b->v, (size_t)cap * sizeof *p);
        if (!p) return -1;
        b->v = p, b->cap = cap;
    }
    memcpy(b->v + b->n, row, (size_t)k * sizeof *row);
    b->n += k;
    return 0;
}

static double dot(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static double cosine(const double *a, const double *b, int64_t n)
{
    double d = sqrt(dot(a, a, n) * dot(b, b, n));
    return d > 0 ? dot(a, b, n) / d : 0.0;
}

/* Per-row cross-entropy of logits z (n × k). */
static void row_losses(const double *z, const int32_t *y, int64_t n, int64_t k, double *L)
{
    for (int64_t r = 0; r < n; r++) {
        const double *zr = z + r * k;
        double mx = zr[0], s = 0;
        for (int64_t j = 1; j < k; j++) mx = fmax(mx, zr[j]);
        for (int64_t j = 0; j < k; j++) s += exp(zr[j] - mx);
        L[r] = mx + log(s) - zr[y[r]];
    }
}

/* Work space of one Monte Carlo gradient. */
typedef struct mc {
    lc_tape t;
    lc_rng rng;
    int64_t nh, G; /* hidden parameters; groups */
    double *g;     /* G × nh group means        */
    double *noise[LC_NN_MAX_HIDDEN], *u1, *L, *base, *a1;
} mc;

/* Records the network from pre-activation values u1 (+ noise) on t; returns
 * the logits; h[l] the hidden outputs. */
static lc_var noisy_forward(mc *m, const lc_nn *net, int64_t n, double sigma, int noisy, lc_var *h)
{
    const lc_nn_cfg *c = &net->cfg;
    lc_tape *t = &m->t;
    int64_t H = c->hidden[0];
    lc_tape_reset(t);
    for (int64_t i = 0; i < n * H; i++) m->noise[0][i] = m->u1[i] + (noisy ? sigma * m->noise[0][i] : 0.0);
    lc_var x = lc_tape_const(t, m->noise[0], n, H);
    for (int l = 0; l <= c->nhidden; l++) {
        if (l > 0) {
            int64_t in = c->hidden[l - 1], out = l == c->nhidden ? c->nout : c->hidden[l];
            lc_var w = lc_tape_const(t, net->params + net->w_off[l], out, in);
            lc_var b = lc_tape_const(t, net->params + net->b_off[l], 1, out);
            x = lc_tape_linear(t, x, w, b);
            if (l == c->nhidden) break;
            if (noisy) {
                for (int64_t i = 0; i < n * out; i++) m->noise[l][i] *= sigma;
                x = lc_tape_add(t, x, lc_tape_const(t, m->noise[l], n, out));
            }
        }
        x = lc_nn_activation(t, c->act, c->bits, x);
        h[l] = x;
    }
    return x;
}

/* The score-function gradient of the batch (x: n × nin, labels y) into g_mc
 * (nh), its relative standard error and the self-cosine of two halves. */
static int mc_gradient(lc_ctx *ctx, mc *m, const lc_nn *net, const float *x, const int32_t *y, int64_t n,
                       double sigma, int64_t S, double *g_mc, double *rel_se, double *self_cos)
{
    const lc_nn_cfg *c = &net->cfg;
    int64_t H1 = c->hidden[0], nin = c->nin, K = c->nout, per = S / m->G;
    lc_var h[LC_NN_MAX_HIDDEN + 1];
    for (int64_t r = 0; r < n; r++) /* u1 = W1·x + b1, once */
        for (int64_t i = 0; i < H1; i++) {
            const double *w = net->params + net->w_off[0] + i * nin;
            double s = net->params[net->b_off[0] + i];
            for (int64_t q = 0; q < nin; q++) s += w[q] * x[r * nin + q];
            m->u1[r * H1 + i] = s;
        }
    lc_var z = noisy_forward(m, net, n, sigma, 0, h);
    if (lc_tape_status(&m->t)) return -1;
    row_losses(lc_tape_value(&m->t, z, NULL, NULL), y, n, K, m->base);
    memset(m->g, 0, (size_t)(m->G * m->nh) * sizeof *m->g);
    for (int64_t gi = 0; gi < m->G; gi++) {
        double *g = m->g + gi * m->nh;
        memset(m->a1, 0, (size_t)(n * H1) * sizeof *m->a1);
        for (int64_t s = 0; s < per; s++) {
            for (int l = 0; l < c->nhidden; l++)
                for (int64_t i = 0; i < n * c->hidden[l]; i++) m->noise[l][i] = lc_rng_normal(&m->rng);
            double *z1 = m->a1 + n * H1; /* the first layer's noise, kept before it is scaled */
            memcpy(z1, m->noise[0], (size_t)(n * H1) * sizeof *z1);
            z = noisy_forward(m, net, n, sigma, 1, h);
            if (lc_tape_status(&m->t)) return -1;
            row_losses(lc_tape_value(&m->t, z, NULL, NULL), y, n, K, m->L);
            for (int64_t r = 0; r < n; r++) {
                double w = (m->L[r] - m->base[r]) / sigma;
                for (int64_t i = 0; i < H1; i++) m->a1[r * H1 + i] += w * z1[r * H1 + i];
                for (int l = 1; l < c->nhidden; l++) { /* z_l (scaled by σ in place) ⊗ noisy h_{l−1} */
                    int64_t in = c->hidden[l - 1], out = c->hidden[l];
                    const double *hv = lc_tape_value(&m->t, h[l - 1], NULL, NULL) + r * in;
                    double *gw = g + net->w_off[l], *gb = g + net->b_off[l];
                    for (int64_t i = 0; i < out; i++) {
                        double zi = w * m->noise[l][r * out + i] / sigma;
                        gb[i] += zi;
                        for (int64_t q = 0; q < in; q++) gw[i * in + q] += zi * hv[q];
                    }
                }
            }
        }
        for (int64_t r = 0; r < n; r++) /* layer 1: a1ᵀ·x */
            for (int64_t i = 0; i < H1; i++) {
                double a = m->a1[r * H1 + i];
                if (a == 0) continue;
                double *gw = g + net->w_off[0] + i * nin;
                for (int64_t q = 0; q < nin; q++) gw[q] += a * x[r * nin + q];
                g[net->b_off[0] + i] += a;
            }
        for (int64_t k = 0; k < m->nh; k++) g[k] /= (double)(per * n);
    }
    double se2 = 0, nrm = 0;
    double *ha = m->a1, *hb = m->a1 + m->nh; /* reuse: halves (a1 has room: n·H1·2 ≥ ... see alloc) */
    memset(ha, 0, (size_t)(2 * m->nh) * sizeof *ha);
    for (int64_t k = 0; k < m->nh; k++) {
        double s = 0, q = 0;
        for (int64_t gi = 0; gi < m->G; gi++) {
            double v = m->g[gi * m->nh + k];
            s += v, q += v * v;
            (gi < m->G / 2 ? ha : hb)[k] += v;
        }
        g_mc[k] = s / (double)m->G;
        double var = (q / (double)m->G - g_mc[k] * g_mc[k]) * (double)m->G / (double)(m->G - 1);
        se2 += fmax(var, 0) / (double)m->G;
        nrm += g_mc[k] * g_mc[k];
    }
    *rel_se = nrm > 0 ? sqrt(se2 / nrm) : NAN;
    *self_cos = cosine(ha, hb, m->nh);
    (void)ctx;
    return 0;
}

/* Estimator spec at noise width σ (matched standard deviation). */
static void est_at(lc_ctx *ctx, const char *name, double sigma, lc_est *e)
{
    lc_est_from_name(ctx, name, e);
    e->sigma = sigma;
    e->tau = sigma * sqrt(3.0) / 3.14159265358979323846;
}

/* Fractions of first-layer pre-activations by |u − b|/σ bin. */
static void dist_hist(const lc_nn *net, const fdata *d, double sigma, double *frac)
{
    const lc_nn_cfg *c = &net->cfg;
    int64_t H = c->hidden[0], nin = c->nin, cnt[NBIN] = {0}, tot = 0;
    double m = c->act == LC_ACT_ROUND ? (double)((1L << c->bits) - 1) : 1.0;
    for (int64_t r = 0; r < d->n; r++)
        for (int64_t i = 0; i < H; i++) {
            const double *w = net->params + net->w_off[0] + i * nin;
            double u = net->params[net->b_off[0] + i];
            for (int64_t q = 0; q < nin; q++) u += w[q] * d->x[r * nin + q];
            double b = 0;
            if (c->act == LC_ACT_ROUND) b = (fmin(fmax(floor(u * m), 0), m - 1) + 0.5) / m;
            double t = fabs(u - b) / sigma;
            int k = 0;
            while (t >= BIN_HI[k]) k++;
            cnt[k]++, tot++;
        }
    for (int k = 0; k < NBIN; k++) frac[k] = tot ? (double)cnt[k] / (double)tot : NAN;
}

/* Validates the parameters, trains and measures, and writes the results
 * (lcx_body). */
static int body(const lcx_cli *cli, lcx_h5 *h5, void *user)
{
    (void)user;
    int rc;
    const lcx_params *p = &cli->params;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    fm_split str = {0};
    fdata tr = {0};
    growbuf rows = {0}, hist = {0};
    double *mean = NULL, *sd = NULL;
    int64_t nd = lcx_get_len(p, "depths"), ne = lcx_get_len(p, "epochs"), ns = lcx_get_len(p, "sigmas");
    int64_t nest = lcx_get_len(p, "estimators"), W = lcx_get_int(p, "width"), NB = lcx_get_int(p, "batches");
    int64_t B = lcx_get_int(p, "batch"), S = lcx_get_int(p, "mc_samples"), G = lcx_get_int(p, "mc_groups");
    int64_t sub = lcx_get_int(p, "train_subset");
    lc_nn_cfg cfg;
    lc_nn_cfg_init(&cfg);
    rc = 2;
    if (lc_act_from_name(&ctx, lcx_get_str(p, "activation"), &cfg.act, &cfg.bits) || cfg.act == LC_ACT_RELU) {
        lcx_usage(cli, "activation", "step, sign or round_K");
        goto done;
    }
    if (lc_est_from_name(&ctx, lcx_get_str(p, "train_estimator"), &cfg.est)) {
        lcx_usage(cli, "train_estimator", ctx.err);
        goto done;
    }
    for (int64_t k = 0; k < nest; k++) {
        lc_est e;
        if (lc_est_from_name(&ctx, lcx_get_str_at(p, "estimators", k), &e)) {
            lcx_usage(cli, "estimators", ctx.err);
            goto done;
        }
    }
    for (int64_t k = 0; k < nd; k++)
        if (lcx_get_int_at(p, "depths", k) < 1 || lcx_get_int_at(p, "depths", k) > LC_NN_MAX_HIDDEN) {
            lcx_usage(cli, "depths", "each in 1..4");
            goto done;
        }
    for (int64_t k = 0; k < ne; k++)
        if (lcx_get_int_at(p, "epochs", k) < 0 || (k && lcx_get_int_at(p, "epochs", k) < lcx_get_int_at(p, "epochs", k - 1))) {
            lcx_usage(cli, "epochs", "ascending, ≥ 0");
            goto done;
        }
    for (int64_t k = 0; k < ns; k++)
        if (!(lcx_get_real_at(p, "sigmas", k) > 0)) {
            lcx_usage(cli, "sigmas", "each > 0");
            goto done;
        }
    if (nd < 1 || ne < 1 || ns < 1 || nest < 1 || W < 1 || NB < 1 || B < 1 || G < 2 || S < G || S % G ||
        sub < NB * B || !(lcx_get_real(p, "lr") > 0)) {
        lcx_usage(cli, "mc_samples", "need lists non-empty, width/batches/batch ≥ 1, mc_groups ≥ 2 dividing "
                                     "mc_samples, train_subset ≥ batches·batch, lr > 0");
        goto done;
    }
    rc = 1;
    if (fm_split_load(&ctx, &str, lcx_get_str(p, "data"), "train", lcx_get_bool(p, "verify"))) {
        lcx_fail(cli, ctx.err);
        goto done;
    }
    if (sub > str.n) sub = str.n;
    int64_t dim = str.rows * str.cols;
    mean = malloc((size_t)dim * sizeof *mean);
    sd = malloc((size_t)dim * sizeof *sd);
    if (!mean || !sd) goto oom;
    pixel_stats(&str, sub, mean, sd);
    if (fdata_make(&tr, &str, 0, sub, mean, sd)) goto oom;
    fm_split_clear(&ctx, &str);
    cfg.nin = dim;
    cfg.opt.lr = lcx_get_real(p, "lr");
    cfg.seed = (uint64_t)cli->seed;
    for (int64_t di = 0; di < nd; di++) {
        cfg.nhidden = (int32_t)lcx_get_int_at(p, "depths", di);
        for (int l = 0; l < cfg.nhidden; l++) cfg.hidden[l] = W;
        lc_nn net;
        if (lc_nn_init(&ctx, &net, &cfg)) {
            lcx_fail(cli, ctx.err);
            goto done;
        }
        mc m = {.nh = net.w_off[cfg.nhidden], .G = G};
        lc_tape_init(&m.t, &ctx);
        lc_rng_seed(&m.rng, (uint64_t)cli->seed * 7919 + (uint64_t)di);
        m.g = malloc((size_t)(G * m.nh) * sizeof *m.g);
        m.u1 = malloc((size_t)(B * W) * sizeof *m.u1);
        m.L = malloc((size_t)B * sizeof *m.L);
        m.base = malloc((size_t)B * sizeof *m.base);
        m.a1 = malloc((size_t)(2 * B * W > 2 * m.nh ? 2 * B * W : 2 * m.nh) * sizeof *m.a1);
        int ok = m.g && m.u1 && m.L && m.base && m.a1;
        for (int l = 0; l < cfg.nhidden; l++) ok = ok && (m.noise[l] = malloc((size_t)(B * W) * sizeof(double)));
        int64_t nh = m.nh;
        double *gmc = malloc((size_t)(NB * nh) * sizeof *gmc), *ge = malloc((size_t)(NB * nh) * sizeof *ge);
        double *mse = malloc((size_t)NB * sizeof *mse), *mcos = malloc((size_t)NB * sizeof *mcos);
        double *avg = malloc((size_t)(2 * nh) * sizeof *avg);
        ok = ok && gmc && ge && mse && mcos && avg;
        int64_t trained = 0;
        for (int64_t ei = 0; ok && ei < ne; ei++) {
            int64_t target = lcx_get_int_at(p, "epochs", ei);
            for (; ok && trained < target; trained++)
                ok = !lc_nn_set_est(&ctx, &net, &cfg.est) &&
                     !lc_nn_train_epoch(&ctx, &net, tr.x, tr.y, tr.n, NULL, NULL, NULL);
            for (int64_t si = 0; ok && si < ns; si++) {
                double sigma = lcx_get_real_at(p, "sigmas", si), frac[NBIN];
                dist_hist(&net, &tr, sigma, frac);
                for (int k = 0; ok && k < NBIN; k++) {
                    double hr[6] = {(double)cfg.nhidden, (double)trained, sigma, k ? BIN_HI[k - 1] : 0, BIN_HI[k], frac[k]};
                    ok = !push_row(&hist, hr, 6);
                }
                for (int64_t b = 0; ok && b < NB; b++)
                    ok = !mc_gradient(&ctx, &m, &net, tr.x + b * B * dim, tr.y + b * B, B, sigma, S, gmc + b * nh,
                                      &mse[b], &mcos[b]);
                for (int64_t k = 0; ok && k < nest; k++) {
                    lc_est e;
                    est_at(&ctx, lcx_get_str_at(p, "estimators", k), sigma, &e);
                    ok = !lc_nn_set_est(&ctx, &net, &e);
                    double cs = 0, ratio = 0;
                    for (int64_t b = 0; ok && b < NB; b++) {
                        ok = !lc_nn_gradient(&ctx, &net, tr.x + b * B * dim, tr.y + b * B, B, NULL);
                        memcpy(ge + b * nh, net.grad, (size_t)nh * sizeof *ge);
                        cs += cosine(ge + b * nh, gmc + b * nh, nh);
                        ratio += sqrt(dot(ge + b * nh, ge + b * nh, nh) / dot(gmc + b * nh, gmc + b * nh, nh));
                    }
                    if (!ok) break;
                    double *me = avg, *mm = avg + nh, var = 0, se = 0, sc = 0;
                    memset(avg, 0, (size_t)(2 * nh) * sizeof *avg);
                    for (int64_t b = 0; b < NB; b++)
                        for (int64_t q = 0; q < nh; q++) me[q] += ge[b * nh + q] / (double)NB, mm[q] += gmc[b * nh + q] / (double)NB;
                    for (int64_t b = 0; b < NB; b++)
                        for (int64_t q = 0; q < nh; q++) var += (ge[b * nh + q] - me[q]) * (ge[b * nh + q] - me[q]);
                    double bias = 0;
                    for (int64_t q = 0; q < nh; q++) bias += (me[q] - mm[q]) * (me[q] - mm[q]);
                    for (int64_t b = 0; b < NB; b++) se += mse[b] / (double)NB, sc += mcos[b] / (double)NB;
                    double row[NCOL] = {(double)cfg.nhidden, (double)trained, sigma, (double)k, cs / (double)NB,
                                        sqrt(bias / dot(mm, mm, nh)), NB > 1 ? var / (double)(NB - 1) / dot(me, me, nh) : NAN,
                                        se, sc, (double)NB, (double)S, ratio / (double)NB};
                    ok = !push_row(&rows, row, NCOL);
                    if (!cli->quiet)
                        fprintf(stderr, "%s: depth %d epoch %lld sigma %g %-12s cos %.3f bias %.3f (MC se %.3f)\n", cli->prog,
                                cfg.nhidden, (long long)trained, sigma, lcx_get_str_at(p, "estimators", k), row[4],
                                row[5], se);
                }
            }
        }
        if (!ok && !ctx.err[0]) snprintf(ctx.err, sizeof ctx.err, "out of memory");
        for (int l = 0; l < cfg.nhidden; l++) free(m.noise[l]);
        free(m.g), free(m.u1), free(m.L), free(m.base), free(m.a1), free(gmc), free(ge), free(mse), free(mcos), free(avg);
        lc_tape_clear(&m.t);
        lc_nn_clear(&ctx, &net);
        if (!ok) {
            lcx_fail(cli, ctx.err);
            goto done;
        }
    }
    const char **names = malloc((size_t)nest * sizeof *names);
    if (!names) goto oom;
    for (int64_t k = 0; k < nest; k++) names[k] = lcx_get_str_at(p, "estimators", k);
    int64_t dr[2] = {rows.n / NCOL, NCOL}, dh[2] = {hist.n / 6, 6};
    if (lcx_h5_write_f64(h5, "fid/rows", 2, dr, rows.v, "1") || lcx_h5_write_strs(h5, "fid/estimators", nest, names) ||
        lcx_h5_write_f64(h5, "hist/rows", 2, dh, hist.v, "1") || lcx_h5_attr_i64(h5, "/", "n_train", tr.n))
        rc = -1; /* lcx_run reports h5->err */
    else
        rc = 0;
    free(names);
    goto done;
oom:
    rc = lcx_fail(cli, "out of memory");
done:
    fm_split_clear(&ctx, &str);
    fdata_clear(&tr);
    free(rows.v), free(hist.v), free(mean), free(sd);
    lc_ctx_clear(&ctx);
    return rc;
}

static const lcx_exp EXP = {
    "infnum-fmnist-fidelity",
    "Gradient fidelity on Fashion-MNIST MLPs: every estimator's gradient against a "
    "Monte Carlo gradient of the loss under Gaussian noise of width sigma on the "
    "pre-activations (cosine, relative bias, variance over mini-batches, MC standard "
    "error), at several depths and points of training; histogram of |u-b|/sigma.",
    P, body, NULL, LCX_CPU_ONLY};

int main(int argc, char **argv) { return lcx_run(&EXP, argc, argv); }
