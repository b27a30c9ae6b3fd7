/* SPDX-License-Identifier: MIT */
/*
 * infnum-fmnist — MLPs on Fashion-MNIST with step / sign / k-bit
 * round hidden activations (relu as the real baseline), trained under one
 * gradient estimator of the engine (classical, ste, ste_clipped, surrogate,
 * kernel, composite), or through the sigmoid relaxation (relax_tau > 0,
 * hardened at test). One run per call; results in one HDF5 file (lcx
 * contract):
 *
 *   epoch/train_loss, epoch/train_acc   means over the epoch's mini-batches
 *   epoch/valid_acc                     held-out tail of the training file (valid > 0)
 *   epoch/test_acc, epoch/test_loss     whole test set after the epoch
 *   epoch/time                          training seconds per epoch (timing)
 *   epoch/act_zero_frac   [E × nhidden] exactly-zero dL/d(pre-activation)
 *   epoch/weight_zero_frac[E × layers]  exactly-zero dL/dW_l
 *   epoch/grad_norm_{mean,std,min,max} [E × layers] per-step ‖dL/dW_l‖₂
 *   epoch/hidden_change   [E × nhidden] ‖W_l − W_l(0)‖ / ‖W_l(0)‖
 *   final/confusion [10 × 10] (rows: true class, columns: predicted), final/…
 *   root attributes n_train, n_valid, n_test (images used), diverged (0/1)
 */
#include "data.h"
#include "idx.h"
#include "lcx.h"

#include <infnum/nn.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lcx_param P[] = {
    {"data", LCX_STR, "\"" FM_DATA_DIR_DEFAULT "\"", "directory of the four *-ubyte.gz files"},
    {"verify", LCX_BOOL, "true", "check the files' MD5 against the published digests"},
    {"hidden", LCX_INTS, "[100]", "hidden widths: [H] (784-H-10), [H,H] (784-H-H-10); up to 4 layers"},
    {"activation", LCX_STR, "\"relu\"", "relu | step | sign | round_K (K-bit quantiser on [0,1])"},
    {"estimator", LCX_STR, "\"classical\"", "classical | ste | ste_clipped | surrogate | kernel | composite"},
    {"sigma", LCX_REAL, "1.0", "kernel, composite: kernel width"},
    {"kernel", LCX_STR, "\"gaussian\"", "kernel, composite: gaussian | uniform"},
    {"tau", LCX_REAL, "1.0", "surrogate: temperature"},
    {"relax_tau", LCX_REAL, "0.0", "> 0: train the sigmoid relaxation at this temperature, test hard"},
    {"method", LCX_STR, "\"\"", "label of the protocol's method (recorded in the provenance)"},
    {"width", LCX_REAL, "0.0", "label: the method's width as a standard deviation (provenance)"},
    {"role", LCX_STR, "\"run\"", "label: tune (validation only counts) | eval | run"},
    {"optimizer", LCX_STR, "\"adam\"", "adam | sgd"},
    {"lr", LCX_REAL, "0.001", "learning rate"},
    {"momentum", LCX_REAL, "0.9", "sgd momentum"},
    {"weight_decay", LCX_REAL, "0.0", "L2 weight decay"},
    {"epochs", LCX_INT, "10", "training epochs"},
    {"batch", LCX_INT, "128", "mini-batch size"},
    {"train_subset", LCX_INT, "0", "use only the first N training images (0: all)"},
    {"valid", LCX_INT, "0", "hold out the last N training images for validation"},
    {"test_subset", LCX_INT, "0", "use only the first N test images (0: all)"},
    {0}};

#define NCLASS 10

/* Per-step gradient-norm statistics of one epoch (progress hook data). */
typedef struct hook {
    int layers;
    double sum[LC_NN_MAX_HIDDEN + 1], sq[LC_NN_MAX_HIDDEN + 1];
    double mn[LC_NN_MAX_HIDDEN + 1], mx[LC_NN_MAX_HIDDEN + 1];
    int64_t steps;
    lcx_progress prog;
} hook;

static void hook_reset(hook *h, int layers, const char *label, int64_t nsteps, int quiet)
{
    memset(h, 0, sizeof *h);
    h->layers = layers;
    for (int l = 0; l < layers; l++) h->mn[l] = INFINITY, h->mx[l] = -INFINITY;
    lcx_progress_init(&h->prog, label, nsteps, quiet);
}

static int on_step(int64_t step, int64_t nsteps, const lc_nn_stats *st, void *data)
{
    hook *h = data;
    for (int l = 0; l < h->layers; l++) {
        double g = st->grad_norm[l];
        h->sum[l] += g, h->sq[l] += g * g;
        h->mn[l] = fmin(h->mn[l], g), h->mx[l] = fmax(h->mx[l], g);
    }
    h->steps++;
    lcx_progress_step(&h->prog, 1);
    (void)step, (void)nsteps;
    return 0;
}

/* ‖W_l − W0_l‖ / ‖W0_l‖ for hidden layer l. */
static double rel_change(const lc_nn *net, const double *w0, int l)
{
    int64_t in = l ? net->cfg.hidden[l - 1] : net->cfg.nin, n = in * net->cfg.hidden[l];
    const double *w = net->params + net->w_off[l], *z = w0 + net->w_off[l];
    double d = 0, r = 0;
    for (int64_t i = 0; i < n; i++) d += (w[i] - z[i]) * (w[i] - z[i]), r += z[i] * z[i];
    return r > 0 ? sqrt(d / r) : 0.0;
}

/* Per-epoch results, [epochs] or [epochs × layers] arrays. */
typedef struct results {
    double *loss, *tacc, *vacc, *acc, *tloss, *time, *azero, *wzero, *gmean, *gstd, *gmin, *gmax, *change;
} results;

static int results_alloc(results *r, int64_t E, int layers)
{
    double **v[] = {&r->loss, &r->tacc, &r->vacc, &r->acc, &r->tloss, &r->time, &r->azero,
                    &r->wzero, &r->gmean, &r->gstd, &r->gmin, &r->gmax, &r->change};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        *v[i] = malloc((size_t)(E * layers) * sizeof(double));
        if (!*v[i]) return -1;
        for (int64_t k = 0; k < E * layers; k++) (*v[i])[k] = NAN;
    }
    return 0;
}

static void results_free(results *r)
{
    double *v[] = {r->loss, r->tacc, r->vacc, r->acc, r->tloss, r->time, r->azero,
                   r->wzero, r->gmean, r->gstd, r->gmin, r->gmax, r->change};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) free(v[i]);
}

/* Builds the engine configuration from the parameters; 2 + message on a bad one. */
static int make_cfg(const lcx_cli *cli, lc_ctx *ctx, lc_nn_cfg *cfg)
{
    const lcx_params *p = &cli->params;
    lc_nn_cfg_init(cfg);
    int64_t nh = lcx_get_len(p, "hidden");
    if (nh < 1 || nh > LC_NN_MAX_HIDDEN) return lcx_usage(cli, "hidden", "give 1 to 4 widths");
    cfg->nhidden = (int32_t)nh;
    for (int64_t l = 0; l < nh; l++) {
        cfg->hidden[l] = lcx_get_int_at(p, "hidden", l);
        if (lcx_get_int_at(p, "hidden", l) < 1 || lcx_get_int_at(p, "hidden", l) > 65536)
            return lcx_usage(cli, "hidden", "widths must be 1..65536");
    }
    if (lc_act_from_name(ctx, lcx_get_str(p, "activation"), &cfg->act, &cfg->bits))
        return lcx_usage(cli, "activation", ctx->err);
    if (strchr(lcx_get_str(p, "estimator"), ':'))
        return lcx_usage(cli, "estimator", "give a bare name; settings go in sigma, kernel, tau");
    if (lc_est_from_name(ctx, lcx_get_str(p, "estimator"), &cfg->est))
        return lcx_usage(cli, "estimator", ctx->err);
    if (lc_kernel_from_name(ctx, lcx_get_str(p, "kernel"), &cfg->est.kernel))
        return lcx_usage(cli, "kernel", ctx->err);
    cfg->est.sigma = lcx_get_real(p, "sigma");
    cfg->est.tau = lcx_get_real(p, "tau");
    cfg->relax = lcx_get_real(p, "relax_tau");
    if (!(cfg->relax >= 0)) return lcx_usage(cli, "relax_tau", "must be >= 0");
    if (!(cfg->est.sigma > 0)) return lcx_usage(cli, "sigma", "must be > 0");
    if (!(cfg->est.tau > 0)) return lcx_usage(cli, "tau", "must be > 0");
    if (lc_opt_from_name(ctx, lcx_get_str(p, "optimizer"), &cfg->opt))
        return lcx_usage(cli, "optimizer", ctx->err);
    cfg->opt.lr = lcx_get_real(p, "lr");
    cfg->opt.momentum = lcx_get_real(p, "momentum");
    cfg->opt.weight_decay = lcx_get_real(p, "weight_decay");
    if (!(cfg->opt.lr > 0)) return lcx_usage(cli, "lr", "must be > 0");
    cfg->batch = lcx_get_int(p, "batch");
    if (lcx_get_int(p, "batch") < 1 || lcx_get_int(p, "batch") > 60000)
        return lcx_usage(cli, "batch", "must be 1..60000 (the training set's size)");
    cfg->seed = (uint64_t)cli->seed;
    if (lcx_get_int(p, "epochs") < 1) return lcx_usage(cli, "epochs", "must be ≥ 1");
    const char *role = lcx_get_str(p, "role");
    if (strcmp(role, "tune") && strcmp(role, "eval") && strcmp(role, "run"))
        return lcx_usage(cli, "role", "must be tune, eval or run");
    if (!strcmp(role, "tune") && lcx_get_int(p, "valid") < 1)
        return lcx_usage(cli, "valid", "a tuning run needs a validation split");
    if (lcx_get_int(p, "train_subset") < 0) return lcx_usage(cli, "train_subset", "must be ≥ 0");
    if (lcx_get_int(p, "valid") < 0) return lcx_usage(cli, "valid", "must be ≥ 0");
    if (lcx_get_int(p, "test_subset") < 0) return lcx_usage(cli, "test_subset", "must be ≥ 0");
    return -1;
}

/* Writes every result; 0 or -1 (message in h->err). */
static int write_results(lcx_h5 *h, const results *r, int64_t E, int nh, const int64_t *conf,
                         int64_t done, int have_valid)
{
    int L = nh + 1;
    int64_t d1[1] = {E}, dh[2] = {E, nh}, dl[2] = {E, L}, dc[2] = {NCLASS, NCLASS}, one[1] = {1};
    double tm = 0;
    for (int64_t e = 0; e < done; e++) tm += r->time[e];
    tm = done ? tm / (double)done : NAN;
    double fin[3] = {done ? r->acc[done - 1] : NAN, done && have_valid ? r->vacc[done - 1] : NAN,
                     done ? r->tacc[done - 1] : NAN};
    int64_t ndone = done;
    if (lcx_h5_write_f64(h, "epoch/train_loss", 1, d1, r->loss, "1") ||
        lcx_h5_write_f64(h, "epoch/train_acc", 1, d1, r->tacc, "1") ||
        lcx_h5_write_f64(h, "epoch/valid_acc", 1, d1, r->vacc, "1") ||
        lcx_h5_write_f64(h, "epoch/test_acc", 1, d1, r->acc, "1") ||
        lcx_h5_write_f64(h, "epoch/test_loss", 1, d1, r->tloss, "1") ||
        lcx_h5_write_f64(h, "epoch/time", 1, d1, r->time, "s") || lcx_h5_mark_timing(h, "epoch/time") ||
        lcx_h5_write_f64(h, "epoch/act_zero_frac", 2, dh, r->azero, "1") ||
        lcx_h5_write_f64(h, "epoch/weight_zero_frac", 2, dl, r->wzero, "1") ||
        lcx_h5_write_f64(h, "epoch/grad_norm_mean", 2, dl, r->gmean, "1") ||
        lcx_h5_write_f64(h, "epoch/grad_norm_std", 2, dl, r->gstd, "1") ||
        lcx_h5_write_f64(h, "epoch/grad_norm_min", 2, dl, r->gmin, "1") ||
        lcx_h5_write_f64(h, "epoch/grad_norm_max", 2, dl, r->gmax, "1") ||
        lcx_h5_write_f64(h, "epoch/hidden_change", 2, dh, r->change, "1") ||
        lcx_h5_write_i64(h, "final/confusion", 2, dc, conf, "1") ||
        lcx_h5_write_f64(h, "final/test_acc", 1, one, &fin[0], "1") ||
        lcx_h5_write_f64(h, "final/valid_acc", 1, one, &fin[1], "1") ||
        lcx_h5_write_f64(h, "final/train_acc", 1, one, &fin[2], "1") ||
        lcx_h5_write_f64(h, "final/epoch_time", 1, one, &tm, "s") || lcx_h5_mark_timing(h, "final/epoch_time") ||
        lcx_h5_write_i64(h, "final/epochs_done", 1, one, &ndone, "1"))
        return -1;
    return 0;
}

/* Trains and evaluates; fills r and conf. Returns epochs completed (< E when
 * the training diverged: a non-finite gradient), or -1 on error (ctx->err). */
static int64_t run(lc_ctx *ctx, const lcx_cli *cli, const lc_nn_cfg *cfg, const fdata *tr, const fdata *va,
                   const fdata *te, int64_t E, results *r, int64_t *conf)
{
    int nh = cfg->nhidden, L = nh + 1;
    int tune = !strcmp(lcx_get_str(&cli->params, "role"), "tune"); /* the test set stays unread */
    lc_nn net;
    int64_t done = -1;
    double *w0 = NULL;
    int32_t *pred = NULL;
    if (lc_nn_init(ctx, &net, cfg)) return -1;
    w0 = malloc((size_t)net.nparams * sizeof *w0);
    pred = malloc((size_t)te->n * sizeof *pred);
    if (!w0 || !pred) {
        snprintf(ctx->err, sizeof ctx->err, "out of memory");
        goto done;
    }
    memcpy(w0, net.params, (size_t)net.nparams * sizeof *w0);
    int64_t nsteps = (tr->n + cfg->batch - 1) / cfg->batch;
    for (done = 0; done < E; done++) {
        char label[64];
        snprintf(label, sizeof label, "%s: epoch %lld/%lld", cli->prog, (long long)done + 1, (long long)E);
        hook h;
        hook_reset(&h, L, label, nsteps, cli->quiet);
        lc_nn_stats m;
        double t0 = lcx_now();
        lc_status st = lc_nn_train_epoch(ctx, &net, tr->x, tr->y, tr->n, on_step, &h, &m);
        double t1 = lcx_now();
        lcx_progress_done(&h.prog);
        if (st == LC_ENONFINITE) {
            if (!cli->quiet) fprintf(stderr, "%s: diverged in epoch %lld (%s)\n", cli->prog, (long long)done + 1, ctx->err);
            break;
        }
        if (st) {
            done = -1;
            goto done;
        }
        int64_t e = done;
        r->loss[e] = m.loss, r->tacc[e] = m.acc, r->time[e] = t1 - t0;
        for (int l = 0; l < L; l++) {
            double mean = h.steps ? h.sum[l] / (double)h.steps : NAN;
            r->gmean[e * L + l] = mean;
            r->gstd[e * L + l] = h.steps ? sqrt(fmax(h.sq[l] / (double)h.steps - mean * mean, 0)) : NAN;
            r->gmin[e * L + l] = h.mn[l], r->gmax[e * L + l] = h.mx[l];
            r->wzero[e * L + l] = m.zero_frac[l];
        }
        for (int l = 0; l < nh; l++) {
            r->azero[e * nh + l] = m.act_zero_frac[l];
            r->change[e * nh + l] = rel_change(&net, w0, l);
        }
        if ((va->n && lc_nn_evaluate(ctx, &net, va->x, va->y, va->n, &r->vacc[e], NULL)) ||
            (!tune && lc_nn_evaluate(ctx, &net, te->x, te->y, te->n, &r->acc[e], &r->tloss[e]))) {
            done = -1;
            goto done;
        }
        if (!cli->quiet)
            fprintf(stderr, "%s: epoch %lld/%lld loss %.4f train %.4f test %.4f zero-grad %.3f (%.2f s)\n",
                    cli->prog, (long long)e + 1, (long long)E, r->loss[e], r->tacc[e], r->acc[e],
                    r->azero[e * nh], r->time[e]);
    }
    if (!tune && lc_nn_predict(ctx, &net, te->x, te->n, pred)) {
        done = -1;
        goto done;
    }
    for (int64_t i = 0; !tune && i < te->n; i++) conf[te->y[i] * NCLASS + pred[i]]++;
done:
    free(w0);
    free(pred);
    lc_nn_clear(ctx, &net);
    return done;
}

/* Loads the data, trains, evaluates and writes the results (lcx_body). */
static int body(const lcx_cli *cli, lcx_h5 *h, void *user)
{
    (void)user;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.nthreads = cli->threads;
    lc_nn_cfg cfg;
    fm_split str = {0}, ste = {0};
    fdata tr = {0}, va = {0}, te = {0};
    results r = {0};
    double *mean = NULL, *sd = NULL;
    int64_t conf[NCLASS * NCLASS] = {0};
    const lcx_params *p = &cli->params;
    int64_t E = lcx_get_int(p, "epochs");
    int rc = make_cfg(cli, &ctx, &cfg);
    if (rc >= 0) goto done;
    rc = 1;
    const char *dir = lcx_get_str(p, "data");
    int verify = lcx_get_bool(p, "verify");
    if (fm_split_load(&ctx, &str, dir, "train", verify) || fm_split_load(&ctx, &ste, dir, "t10k", verify)) {
        lcx_fail(cli, ctx.err);
        goto done;
    }
    int64_t nv = lcx_get_int(p, "valid"), ntr = str.n - nv, sub = lcx_get_int(p, "train_subset");
    int64_t nte = lcx_get_int(p, "test_subset");
    if (ntr < 1) {
        rc = lcx_usage(cli, "valid", "leaves no training images");
        goto done;
    }
    if (sub && sub < ntr) ntr = sub;
    if (!nte || nte > ste.n) nte = ste.n;
    int64_t dim = str.rows * str.cols;
    cfg.nin = dim, cfg.nout = NCLASS;
    mean = malloc((size_t)dim * sizeof *mean);
    sd = malloc((size_t)dim * sizeof *sd);
    if (!mean || !sd || results_alloc(&r, E, cfg.nhidden + 1)) {
        lcx_fail(cli, "out of memory");
        goto done;
    }
    pixel_stats(&str, ntr, mean, sd);
    if (fdata_make(&tr, &str, 0, ntr, mean, sd) || fdata_make(&va, &str, str.n - nv, nv, mean, sd) ||
        fdata_make(&te, &ste, 0, nte, mean, sd)) {
        lcx_fail(cli, "out of memory");
        goto done;
    }
    fm_split_clear(&ctx, &str);
    fm_split_clear(&ctx, &ste);
    if (!cli->quiet)
        fprintf(stderr, "%s: %lld train / %lld valid / %lld test images, %lld epochs\n", cli->prog,
                (long long)tr.n, (long long)va.n, (long long)te.n, (long long)E);
    int64_t done = run(&ctx, cli, &cfg, &tr, &va, &te, E, &r, conf);
    if (done < 0) {
        lcx_fail(cli, ctx.err);
        goto done;
    }
    rc = write_results(h, &r, E, cfg.nhidden, conf, done, va.n > 0) ||
                 lcx_h5_attr_i64(h, "/", "diverged", done < E) || lcx_h5_attr_i64(h, "/", "n_train", tr.n) ||
                 lcx_h5_attr_i64(h, "/", "n_valid", va.n) || lcx_h5_attr_i64(h, "/", "n_test", te.n)
             ? -1
             : 0;
done:
    fm_split_clear(&ctx, &str);
    fm_split_clear(&ctx, &ste);
    fdata_clear(&tr);
    fdata_clear(&va);
    fdata_clear(&te);
    results_free(&r);
    free(mean);
    free(sd);
    lc_ctx_clear(&ctx);
    return rc;
}

static const lcx_exp EXP = {
    "infnum-fmnist",
    "Fashion-MNIST MLP (784-H-10, 784-H-H-10) with relu / step / sign / round_K hidden activations, "
    "trained under one gradient estimator; per-epoch loss, accuracies, zero-gradient fractions, gradient "
    "norms and timing, final confusion matrix. BLAS threads follow OPENBLAS_NUM_THREADS (the pipeline sets "
    "it to --threads); results are identical for the same seed and thread count.",
    P, body, NULL, LCX_CPU_ONLY};

int main(int argc, char **argv) { return lcx_run(&EXP, argc, argv); }
