/* SPDX-License-Identifier: MIT */
/* infnum-report fmnist: infnum-fmnist HDF5 runs -> TSV (plots) + booktabs.
 *
 * Runs are grouped by (network, activation, method), method being the
 * protocol's label (or the estimator with its σ / τ for unlabelled runs).
 * Within a group the setting (lr, width) is chosen ONCE, by the mean over
 * tuning seeds of the final validation accuracy (the final training accuracy
 * when the runs hold out no validation set) — the test set is never used to
 * choose, and tuning runs do not even read it. The same rule applies to
 * every method; the evaluation runs (fresh seeds) are reported.
 * Outputs (docs/results-format.md, "report outputs"):
 *   TSV/fmnist-curves.tsv  one gnuplot block per setting: epoch, mean,
 *       mean−std, mean+std, min, max of test accuracy over seeds;
 *       TSV/fmnist-curves.layout: which blocks belong to which activation
 *   TSV/fmnist-table.tsv, TEX/fmnist-table.tex  per setting: chosen lr, seeds,
 *       final test accuracy mean ± std, seconds per epoch, zero hidden
 *       gradients (%), relative change of the first hidden layer's weights
 *   TEX/fmnist-macros.tex  facts for the text (epochs, seeds, relu baseline) */
#define _POSIX_C_SOURCE 200809L
#include "report.h"
#include "fmnist.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXE 1000

typedef struct frun {
    char net[64], act[32], method[96], est[32], kernel[16], opt[16];
    double sigma, tau, ntrain, nvalid, ntest, batch, lr, sel, test, time, zero, change;
    int64_t seed, epochs;
    double *curve; /* test accuracy per epoch */
    char role[8];  /* tune | eval | run                          */
    double width;  /* the protocol's width (standard deviation)  */
    double *times; /* training seconds per epoch                 */
    char *params;  /* the run's parameter JSON                   */
} frun;

typedef struct fset {
    frun *r;
    int n, cap;
} fset;

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Fills the labels of r from the run's parameter JSON; -1 if malformed. */
static int labels(frun *r, const char *json)
{
    cJSON *o = cJSON_Parse(json);
    if (!o) return -1;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "hidden"), *x;
    int n = snprintf(r->net, sizeof r->net, "784");
    cJSON_ArrayForEach(x, h) n += snprintf(r->net + n, sizeof r->net - (size_t)n, "-%d", x->valueint);
    snprintf(r->net + n, sizeof r->net - (size_t)n, "-10");
    snprintf(r->act, sizeof r->act, "%s", jstr(o, "activation"));
    snprintf(r->est, sizeof r->est, "%s", jstr(o, "estimator"));
    if (!strcmp(r->est, "nonstandard"))
        snprintf(r->method, sizeof r->method, "nonstandard %s sigma=%g", jstr(o, "kernel"), jnum(o, "sigma"));
    else if (!strcmp(r->est, "surrogate"))
        snprintf(r->method, sizeof r->method, "surrogate tau=%g", jnum(o, "tau"));
    else
        snprintf(r->method, sizeof r->method, "%s", r->est);
    snprintf(r->kernel, sizeof r->kernel, "%s", jstr(o, "kernel"));
    r->sigma = jnum(o, "sigma"), r->tau = jnum(o, "tau"), r->batch = jnum(o, "batch");
    snprintf(r->opt, sizeof r->opt, "%s", jstr(o, "optimizer"));
    r->lr = jnum(o, "lr");
    double seed = jnum(o, "seed"); /* -1: none, or not an integer int64 holds */
    r->seed = seed >= -0x1p63 && seed < 0x1p63 && seed == floor(seed) ? (int64_t)seed : -1;
    /* the protocol's labels: method family, width, role (older runs: none) */
    snprintf(r->role, sizeof r->role, "%s", jstr(o, "role")[0] ? jstr(o, "role") : "run");
    if (jstr(o, "method")[0]) snprintf(r->method, sizeof r->method, "%s", jstr(o, "method"));
    r->width = jnum(o, "width");
    if (isnan(r->width)) r->width = 0;
    cJSON_Delete(o);
    return r->act[0] && r->est[0] ? 0 : -1;
}

/* Reads one run; -1 (message printed) if it is not an infnum-fmnist result. */
static int load(fset *s, const char *path)
{
    lcx_h5r h;
    char *json = NULL;
    double *curve = NULL, *fin = NULL, *tm = NULL, *zero = NULL, *chg = NULL, *sel = NULL, *tr = NULL;
    int64_t d[2] = {RP_ANY, 1}, one[2] = {1, 1}, dz[2] = {RP_ANY, RP_ANY};
    double ntr = 0, nva = 0, nte = 0;
    int rc = -1;
    if (lcx_h5r_open(&h, path)) return rp_err(-1, "fmnist", "%s", h.err);
    /* epochs: test_acc's length, the rows of the per-layer datasets (dz) */
    if (lcx_h5r_attr_str(&h, "/", "params", &json) || rp_read_f64(&h, "epoch/test_acc", d, &curve) ||
        rp_read_f64(&h, "final/test_acc", one, &fin) || rp_read_f64(&h, "final/epoch_time", one, &tm) ||
        rp_read_f64(&h, "final/valid_acc", one, &sel) || rp_read_f64(&h, "final/train_acc", one, &tr) ||
        (dz[0] = d[0], rp_read_f64(&h, "epoch/act_zero_frac", dz, &zero)) ||
        rp_read_f64(&h, "epoch/hidden_change", dz, &chg) || dz[1] < 1 || lcx_h5r_attr_f64(&h, "/", "n_train", &ntr) ||
        lcx_h5r_attr_f64(&h, "/", "n_valid", &nva) || lcx_h5r_attr_f64(&h, "/", "n_test", &nte)) {
        rp_err(-1, "fmnist", "%s: %s (not an infnum-fmnist result?)", path, h.err);
        goto done;
    }
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 64;
        frun *p = realloc(s->r, (size_t)cap * sizeof *p);
        if (!p) goto done;
        s->r = p, s->cap = cap;
    }
    frun *r = &s->r[s->n];
    memset(r, 0, sizeof *r);
    if (labels(r, json)) {
        rp_err(-1, "fmnist", "%s: malformed params attribute", path);
        goto done;
    }
    if (d[0] < 1 || d[0] > MAXE) {
        rp_err(-1, "fmnist", "%s: %lld epochs (1..%d expected)", path, (long long)d[0], MAXE);
        goto done;
    }
    /* Last completed epoch (a diverged run has NaN after it). */
    int64_t E = d[0], last = E - 1;
    while (last > 0 && isnan(curve[last])) last--;
    r->epochs = E, r->curve = curve, curve = NULL;
    r->ntrain = ntr, r->nvalid = nva, r->ntest = nte;
    r->test = fin[0], r->time = tm[0];
    r->sel = isnan(sel[0]) ? tr[0] : sel[0];
    r->zero = zero[last * dz[1]];     /* first hidden layer */
    r->change = chg[last * dz[1]];
    int64_t dt[2] = {E, 1};
    if (rp_read_f64(&h, "epoch/time", dt, &r->times)) {
        rp_err(-1, "fmnist", "%s: %s", path, h.err);
        free(r->curve);
        goto done;
    }
    r->params = json, json = NULL;
    s->n++;
    rc = 0;
done:
    free(json), free(curve), free(fin), free(tm), free(zero), free(chg), free(sel), free(tr);
    lcx_h5r_close(&h);
    return rc;
}

static int same_setting(const frun *a, const frun *b)
{
    return !strcmp(a->net, b->net) && !strcmp(a->act, b->act) && !strcmp(a->method, b->method);
}

/* Mean and sample standard deviation of v[0..n-1] (std 0 for n = 1). */
static void mean_std(const double *v, int n, double *m, double *sd)
{
    double s = 0, q = 0;
    for (int i = 0; i < n; i++) s += v[i];
    *m = n ? s / n : NAN;
    for (int i = 0; i < n; i++) q += (v[i] - *m) * (v[i] - *m);
    *sd = n > 1 ? sqrt(q / (n - 1)) : 0.0;
}

/* One (network, activation, method) of the protocol: every setting
 * (lr, width) tried on the tuning runs with its mean validation accuracy,
 * the one chosen, and the evaluation runs at it. Runs without a role
 * (role "run") are both: the setting is chosen on them and reported. */
#define MAXSET 64
typedef struct row {
    int first;                 /* a run of the group (labels)             */
    double lr, width;          /* chosen                                  */
    int nset, chosen;
    double set_lr[MAXSET], set_w[MAXSET], set_sel[MAXSET];
    int set_n[MAXSET];         /* tuning seeds per setting                */
    int idx[256], n;           /* evaluation runs                         */
    int nlr;                   /* settings tried                          */
} row;

static int is_tune(const frun *r) { return strcmp(r->role, "eval") != 0; }
static int is_eval(const frun *r) { return strcmp(r->role, "tune") != 0; }

/* Groups the runs, chooses each group's setting on validation accuracy. */
static int make_rows(const fset *s, row *rows, int max)
{
    int nrows = 0;
    for (int i = 0; i < s->n; i++) {
        int seen = 0;
        for (int k = 0; k < nrows && !seen; k++) seen = same_setting(&s->r[rows[k].first], &s->r[i]);
        if (seen) continue;
        if (nrows == max) return -1;
        row *w = &rows[nrows++];
        memset(w, 0, sizeof *w);
        w->first = i;
        for (int j = 0; j < s->n; j++) {
            const frun *r = &s->r[j];
            if (!same_setting(&s->r[i], r) || !is_tune(r)) continue;
            int k = 0;
            while (k < w->nset && !(w->set_lr[k] == r->lr && w->set_w[k] == r->width)) k++;
            if (k == w->nset) {
                if (k == MAXSET) return -1;
                w->set_lr[k] = r->lr, w->set_w[k] = r->width, w->set_sel[k] = 0, w->set_n[k] = 0, w->nset++;
            }
            w->set_sel[k] += isnan(r->sel) ? 0 : r->sel, w->set_n[k]++;
        }
        w->chosen = -1;
        for (int k = 0; k < w->nset; k++) {
            w->set_sel[k] /= w->set_n[k];
            if (w->chosen < 0 || w->set_sel[k] > w->set_sel[w->chosen]) w->chosen = k;
        }
        w->nlr = w->nset;
        if (w->chosen >= 0) w->lr = w->set_lr[w->chosen], w->width = w->set_w[w->chosen];
        for (int k = 0; k < s->n && w->n < 256; k++) {
            const frun *r = &s->r[k];
            if (!same_setting(&s->r[i], r) || !is_eval(r)) continue;
            if (!strcmp(r->role, "run") && !(r->lr == w->lr && r->width == w->width)) continue;
            if (!strcmp(r->role, "eval") && w->chosen >= 0 && !(r->lr == w->lr && r->width == w->width))
                fprintf(stderr, "infnum-report fmnist: %s %s %s: an evaluation run is not at the chosen setting\n",
                        r->net, r->act, r->method);
            w->idx[w->n++] = k;
        }
        if (w->chosen < 0 && w->n) w->lr = s->r[w->idx[0]].lr, w->width = s->r[w->idx[0]].width;
    }
    return nrows;
}

/* Paired differences (same seeds) of row w's test accuracy against row
 * base: *n pairs, mean and bootstrap interval. */
static void paired(const fset *s, const row *w, const row *base, int *n, double *m, double *lo, double *hi)
{
    double d[256];
    *n = 0;
    for (int i = 0; base && i < w->n; i++)
        for (int j = 0; j < base->n; j++)
            if (s->r[w->idx[i]].seed == s->r[base->idx[j]].seed && *n < 256)
                d[(*n)++] = s->r[w->idx[i]].test - s->r[base->idx[j]].test;
    double sd;
    mean_std(d, *n, m, &sd);
    rp_boot_ci(d, *n, lo, hi);
}

/* The row of method name on the same network and activation as w, or NULL. */
static const row *row_of(const fset *s, const row *rows, int nrows, const row *w, const char *method)
{
    const frun *a = &s->r[w->first];
    for (int k = 0; k < nrows; k++) {
        const frun *b = &s->r[rows[k].first];
        if (!strcmp(a->net, b->net) && !strcmp(a->act, b->act) && !strcmp(b->method, method)) return &rows[k];
    }
    return NULL;
}

/* Epochs of the longest evaluation run of w (the tuning runs may be shorter). */
static int64_t eval_epochs(const fset *s, const row *w)
{
    int64_t E = 0;
    for (int i = 0; i < w->n; i++) E = s->r[w->idx[i]].epochs > E ? s->r[w->idx[i]].epochs : E;
    return E;
}

/* Writes one block per setting of activation act; returns how many. */
static int curve_blocks(FILE *f, const fset *s, const row *rows, int nrows, const char *act)
{
    int nb = 0;
    for (int j = 0; j < nrows; j++) {
        const row *w = &rows[j];
        const frun *r0 = &s->r[w->first];
        if (strcmp(r0->act, act) || !w->n) continue;
        if (!strcmp(act, "relu")) fprintf(f, "\"relu baseline %s (lr %g)\"\n", r0->net, w->lr);
        else fprintf(f, "\"%s %s (lr %g)\"\n", r0->method, r0->net, w->lr);
        for (int64_t e = 0; e < eval_epochs(s, w); e++) {
            double v[256], m, sd, mn = INFINITY, mx = -INFINITY;
            int n = 0;
            for (int i = 0; i < w->n; i++)
                if (e < s->r[w->idx[i]].epochs) v[n++] = s->r[w->idx[i]].curve[e];
            mean_std(v, n, &m, &sd);
            for (int i = 0; i < n; i++) mn = fmin(mn, v[i]), mx = fmax(mx, v[i]);
            fprintf(f, "%lld\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\n", (long long)e + 1, m, m - sd, m + sd, mn, mx);
        }
        fprintf(f, "\n\n");
        nb++;
    }
    return nb;
}

/* TSV/fmnist-curves.tsv: one gnuplot block per setting (relu ones first,
 * then activation by activation) and TSV/fmnist-curves.layout, gnuplot
 * variables naming the panels: fm_nacts, fm_acts, fm_first, fm_count (block
 * ranges per activation), fm_nrelu (relu blocks 0..fm_nrelu-1). */
static int write_curves(const fset *s, const row *rows, int nrows, const char *dir)
{
    rp_out o, ol;
    FILE *f = rp_open_in(&o, dir, "fmnist-curves.tsv");
    if (!f) return -1;
    FILE *l = rp_open_in(&ol, dir, "fmnist-curves.layout");
    if (!l) return rp_close(&o, 0), -1;
    fprintf(f, "# infnum-fmnist: test accuracy per epoch over seeds at each setting's chosen lr\n"
               "# epoch mean mean-std mean+std min max\n");
    int nrelu = curve_blocks(f, s, rows, nrows, "relu"), next = nrelu, nacts = 0;
    char acts[1024] = "", first[512] = "", count[512] = "";
    for (int k = 0; k < nrows; k++) {
        const char *act = s->r[rows[k].first].act;
        int seen = !strcmp(act, "relu");
        for (int j = 0; j < k && !seen; j++) seen = !strcmp(s->r[rows[j].first].act, act);
        if (seen) continue;
        int nb = curve_blocks(f, s, rows, nrows, act);
        size_t la = strlen(acts), lf = strlen(first), lc = strlen(count);
        snprintf(acts + la, sizeof acts - la, "%s%s", nacts ? " " : "", act);
        snprintf(first + lf, sizeof first - lf, "%s%d", nacts ? " " : "", next);
        snprintf(count + lc, sizeof count - lc, "%s%d", nacts ? " " : "", nb);
        next += nb, nacts++;
    }
    fprintf(l, "# Generated by infnum-report fmnist: panels of fmnist-curves.tsv\n"
               "fm_nacts = %d\nfm_acts = \"%s\"\nfm_first = \"%s\"\nfm_count = \"%s\"\nfm_nrelu = %d\n",
            nacts, acts, first, count, nrelu);
    int rc = rp_close(&o, 1);
    return rp_close(&ol, rc == 0) || rc ? -1 : 0;
}

/* Method label for LaTeX. */
static void tex_method(FILE *x, const frun *r0)
{
    fprintf(x, "\\texttt{");
    rp_tex_escape(x, r0->method);
    fprintf(x, "}");
}

/* The result table as TSV (HTML) and booktabs (paper), from the same numbers:
 * per group the chosen setting, evaluation seeds, final test accuracy mean
 * with its bootstrap 95 % interval, the paired difference against ste. */
static int write_table(const fset *s, const row *rows, int nrows, const rp_args *a)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, a->tsv_dir, "fmnist-table.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, a->tex_dir, "fmnist-table.tex");
    if (!x) return rp_close(&ot, 0), -1;
    fprintf(t, "network\tactivation\tmethod\tlr\twidth\tsettings tried\tseeds\ttest acc mean\tCI95 low\tCI95 high\t"
               "test acc std\tpaired diff vs ste\tdiff CI95 low\tdiff CI95 high\ts/epoch\tzero hidden grad %%\t"
               "hidden weight change\n");
    fprintf(x, "%% Generated by infnum-report fmnist from HDF5 results. Do not edit.\n"
               "\\begin{tabular}{lllrrrrrr}\n\\toprule\n"
               "network & act. & method & lr & width & seeds & test acc. [95\\%% CI] & $\\Delta$ vs ste [95\\%% CI] & "
               "s/epoch \\\\\n\\midrule\n");
    for (int k = 0; k < nrows; k++) {
        const row *w = &rows[k];
        const frun *r0 = &s->r[w->first];
        if (!w->n) continue;
        double acc[256], tm[256], z[256], c[256], am, asd, tmm, zm, cm, unused, lo, hi, dm, dlo, dhi;
        for (int i = 0; i < w->n; i++) {
            const frun *r = &s->r[w->idx[i]];
            acc[i] = r->test, tm[i] = r->time, z[i] = r->zero, c[i] = r->change;
        }
        mean_std(acc, w->n, &am, &asd);
        mean_std(tm, w->n, &tmm, &unused);
        mean_std(z, w->n, &zm, &unused);
        mean_std(c, w->n, &cm, &unused);
        rp_boot_ci(acc, w->n, &lo, &hi);
        const row *ste = strcmp(r0->method, "ste") ? row_of(s, rows, nrows, w, "ste") : NULL;
        int np;
        paired(s, w, ste, &np, &dm, &dlo, &dhi);
        fprintf(t, "%s\t%s\t%s\t%g\t%g\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t", r0->net, r0->act, r0->method, w->lr,
                w->width, w->nlr, w->n, am, lo, hi, asd);
        if (np) fprintf(t, "%+.4f\t%+.4f\t%+.4f\t", dm, dlo, dhi);
        else fprintf(t, "\t\t\t");
        fprintf(t, "%.3f\t%.2f\t%.3g\n", tmm, 100 * zm, cm);
        fprintf(x, "%s & \\texttt{", r0->net);
        rp_tex_escape(x, r0->act);
        fprintf(x, "} & ");
        tex_method(x, r0);
        fprintf(x, " & %g & %g & %d & $%.3f$ [%.3f, %.3f] & ", w->lr, w->width, w->n, am, lo, hi);
        if (np) fprintf(x, "$%+.3f$ [%+.3f, %+.3f]", dm, dlo, dhi);
        else fprintf(x, "--");
        fprintf(x, " & %.2f \\\\\n", tmm);
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int rc = rp_close(&ot, 1);
    return rp_close(&ox, rc == 0) || rc ? -1 : 0;
}

/* Every setting tried per group, its tuning seeds and mean validation
 * accuracy, the chosen one marked (TSV and booktabs). */
static int write_settings(const fset *s, const row *rows, int nrows, const rp_args *a)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, a->tsv_dir, "fmnist-settings.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, a->tex_dir, "fmnist-settings.tex");
    if (!x) return rp_close(&ot, 0), -1;
    fprintf(t, "network\tactivation\tmethod\tlr\twidth\ttuning seeds\tvalid acc mean\tchosen\n");
    fprintf(x, "%% Generated by infnum-report fmnist from HDF5 results. Do not edit.\n"
               "\\begin{tabular}{lllrrrrl}\n\\toprule\n"
               "network & act. & method & lr & width & seeds & valid acc. & chosen \\\\\n\\midrule\n");
    for (int k = 0; k < nrows; k++) {
        const row *w = &rows[k];
        const frun *r0 = &s->r[w->first];
        for (int q = 0; q < w->nset; q++) {
            fprintf(t, "%s\t%s\t%s\t%g\t%g\t%d\t%.4f\t%s\n", r0->net, r0->act, r0->method, w->set_lr[q], w->set_w[q],
                    w->set_n[q], w->set_sel[q], q == w->chosen ? "yes" : "");
            fprintf(x, "%s & \\texttt{", r0->net);
            rp_tex_escape(x, r0->act);
            fprintf(x, "} & ");
            tex_method(x, r0);
            fprintf(x, " & %g & %g & %d & %.4f & %s \\\\\n", w->set_lr[q], w->set_w[q], w->set_n[q], w->set_sel[q],
                    q == w->chosen ? "$\\checkmark$" : "");
        }
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int rc = rp_close(&ot, 1);
    return rp_close(&ox, rc == 0) || rc ? -1 : 0;
}

/* TSV/fmnist-wall.tsv: test accuracy against cumulative training time, one
 * block per group (means over the evaluation seeds), in the order of
 * fmnist-curves.tsv. */
static int write_wall(const fset *s, const row *rows, int nrows, const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "fmnist-wall.tsv");
    if (!f) return -1;
    fprintf(f, "# infnum-fmnist: test accuracy against training wall-clock seconds (means over seeds)\n"
               "# seconds accuracy\n");
    for (int k = 0; k < nrows; k++) {
        const row *w = &rows[k];
        const frun *r0 = &s->r[w->first];
        if (!w->n) continue;
        fprintf(f, "\"%s %s %s\"\n", r0->method, r0->net, r0->act);
        double tsum = 0;
        for (int64_t e = 0; e < eval_epochs(s, w); e++) {
            double acc = 0, tm = 0;
            int n = 0;
            for (int i = 0; i < w->n; i++) {
                const frun *r = &s->r[w->idx[i]];
                if (e < r->epochs && !isnan(r->curve[e])) acc += r->curve[e], tm += r->times[e], n++;
            }
            if (!n) break;
            tsum += tm / n;
            fprintf(f, "%.3f\t%.6f\n", tsum, acc / n);
        }
        fprintf(f, "\n\n");
    }
    return rp_close(&o, 1);
}

/* Writes the distinct learning rates (what 0) or widths > 0 (what 1) of the
 * runs, comma-separated, in order of appearance ("--" if none). */
static void list_values(FILE *f, const fset *s, int what)
{
    int n = 0;
    for (int i = 0; i < s->n; i++) {
        double v = what ? s->r[i].width : s->r[i].lr;
        int seen = what && !(v > 0);
        for (int j = 0; j < i && !seen; j++) seen = (what ? s->r[j].width : s->r[j].lr) == v;
        if (!seen) fprintf(f, "%s%g", n++ ? ", " : "", v);
    }
    if (!n) fprintf(f, "--");
}

/* \\fmres{NET/ACT/METHOD/KEY}: every number of the table for the text. */
static void macro(FILE *f, const frun *r0, const char *key, const char *fmt, double v)
{
    fprintf(f, "\\expandafter\\def\\csname fmres@%s/%s/%s/%s\\endcsname{", r0->net, r0->act, r0->method, key);
    fprintf(f, fmt, v);
    fprintf(f, "}\n");
}

/* Macros for the text: budget and protocol facts, and per group the chosen
 * setting, settings tried, seeds, mean, interval and paired difference. */
static int write_macros(const fset *s, const row *rows, int nrows, const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "fmnist-macros.tex");
    if (!f) return -1;
    int64_t emax = 0, seeds = 1 << 30, ntune = 0;
    const row *base = NULL;
    double tmax = 0;
    for (int k = 0; k < nrows; k++) {
        const frun *r0 = &s->r[rows[k].first];
        if (!rows[k].n) continue;
        emax = eval_epochs(s, &rows[k]) > emax ? eval_epochs(s, &rows[k]) : emax;
        seeds = rows[k].n < seeds ? rows[k].n : seeds;
        if (!strcmp(r0->act, "relu") && (!base || s->r[rows[k].first].ntrain > s->r[base->first].ntrain)) base = &rows[k];
        for (int i = 0; i < rows[k].n; i++) tmax = fmax(tmax, s->r[rows[k].idx[i]].time);
        ntune = rows[k].nlr > ntune ? rows[k].nlr : ntune;
    }
    fprintf(f, "%% Generated by infnum-report fmnist from HDF5 results. Do not edit.\n");
    fprintf(f, "\\newcommand{\\fmEpochs}{%lld}\n\\newcommand{\\fmMinSeeds}{%lld}\n\\newcommand{\\fmRuns}{%d}\n",
            (long long)emax, (long long)(seeds == 1 << 30 ? 0 : seeds), s->n);
    fprintf(f, "\\newcommand{\\fmSettingsPerMethod}{%lld}\n", (long long)ntune);
    fprintf(f, "\\newcommand{\\fmMaxEpochTime}{%.2f}\n", tmax);
    const frun *r = &s->r[0];
    for (int i = 0; i < s->n; i++)
        if (is_eval(&s->r[i])) r = &s->r[i];
    fprintf(f, "\\newcommand{\\fmNtrain}{%.0f}\n\\newcommand{\\fmNvalid}{%.0f}\n\\newcommand{\\fmNtest}{%.0f}\n",
            r->ntrain, r->nvalid, r->ntest);
    fprintf(f, "\\newcommand{\\fmBatch}{%.0f}\n\\newcommand{\\fmOptimizer}{%s}\n", r->batch, r->opt);
    fprintf(f, "\\newcommand{\\fmLrs}{");
    list_values(f, s, 0);
    fprintf(f, "}\n\\newcommand{\\fmSigmas}{"); /* the widths (standard deviations) */
    list_values(f, s, 1);
    fprintf(f, "}\n\\newcommand{\\fmWidths}{\\fmSigmas}\n");
    if (base) {
        double acc[256], m, sd;
        for (int i = 0; i < base->n; i++) acc[i] = s->r[base->idx[i]].test;
        mean_std(acc, base->n, &m, &sd);
        fprintf(f, "\\newcommand{\\fmReluNet}{%s}\n\\newcommand{\\fmReluAcc}{%.4f}\n", s->r[base->first].net, m);
    } else {
        fprintf(f, "\\newcommand{\\fmReluNet}{--}\n\\newcommand{\\fmReluAcc}{--}\n");
    }
    fprintf(f, "%% \\fmres{NET/ACT/METHOD/KEY}, KEY one of mean lo hi std seeds lr width settings diff difflo diffhi\n"
               "\\newcommand{\\fmres}[1]{\\csname fmres@#1\\endcsname}\n"
               "%% \\fmFindings: \\fmitem{METHOD}{NET}{ACT}{difflo}{diffhi} per paired group (the paper words it)\n"
               "\\newcommand{\\fmFindings}{}\n");
    for (int k = 0; k < nrows; k++) {
        const row *w = &rows[k];
        const frun *r0 = &s->r[w->first];
        if (!w->n) continue;
        double acc[256], m, sd, lo, hi, dm, dlo, dhi;
        int np;
        for (int i = 0; i < w->n; i++) acc[i] = s->r[w->idx[i]].test;
        mean_std(acc, w->n, &m, &sd);
        rp_boot_ci(acc, w->n, &lo, &hi);
        macro(f, r0, "mean", "%.3f", m), macro(f, r0, "lo", "%.3f", lo), macro(f, r0, "hi", "%.3f", hi);
        macro(f, r0, "std", "%.3f", sd), macro(f, r0, "seeds", "%.0f", w->n), macro(f, r0, "lr", "%g", w->lr);
        macro(f, r0, "width", "%g", w->width), macro(f, r0, "settings", "%.0f", w->nlr);
        const row *ste = strcmp(r0->method, "ste") ? row_of(s, rows, nrows, w, "ste") : NULL;
        paired(s, w, ste, &np, &dm, &dlo, &dhi);
        if (!np) continue;
        macro(f, r0, "diff", "%+.3f", dm), macro(f, r0, "difflo", "%+.3f", dlo), macro(f, r0, "diffhi", "%+.3f", dhi);
        fprintf(f, "\\expandafter\\def\\expandafter\\fmFindings\\expandafter{\\fmFindings\\fmitem{");
        rp_tex_escape(f, r0->method), fprintf(f, "}{%s}{", r0->net), rp_tex_escape(f, r0->act);
        fprintf(f, "}{%+.3f}{%+.3f}}\n", dlo, dhi);
    }
    return rp_close(&o, 1);
}

/* --choose OUT.json: the parameters of the setting chosen on the tuning
 * runs given (one group), as the evaluation runs take them: the winning
 * run's parameter JSON with role "eval" and no seed. */
static int choose(const fset *s, const char *out)
{
    row *rows = calloc((size_t)s->n, sizeof *rows);
    int nrows = rows ? make_rows(s, rows, s->n) : -1, rc = 1;
    cJSON *o = NULL;
    char *text = NULL;
    if (nrows != 1 || rows[0].chosen < 0) {
        rp_err(1, "fmnist", "--choose needs the tuning runs of one (network, activation, method)");
        goto done;
    }
    for (int i = 0; i < s->n && !o; i++) {
        const frun *r = &s->r[i];
        if (is_tune(r) && r->lr == rows[0].lr && r->width == rows[0].width) o = cJSON_Parse(r->params);
    }
    if (!o) goto done;
    cJSON_DeleteItemFromObjectCaseSensitive(o, "seed");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "role");
    cJSON_AddStringToObject(o, "role", "eval");
    text = cJSON_PrintUnformatted(o);
    rp_out f;
    FILE *fp = text ? rp_open(&f, out) : NULL;
    if (!fp) goto done;
    fprintf(fp, "%s\n", text);
    rc = rp_close(&f, 1) ? 1 : 0;
    if (!rc)
        fprintf(stderr, "infnum-report fmnist: chose lr %g width %g (valid %.4f) of %d settings\n", rows[0].lr,
                rows[0].width, rows[0].set_sel[rows[0].chosen], rows[0].nset);
done:
    free(rows);
    free(text);
    cJSON_Delete(o);
    return rc;
}

static const char help[] =
    "usage: infnum-report fmnist [--fidelity FID.h5] --tsv-dir DIR --tex-dir DIR RESULT.h5...\n"
    "       infnum-report fmnist --choose OUT.json TUNE.h5...\n\n"
    "Reads infnum-fmnist runs; per (network, activation, method) chooses the setting\n"
    "(lr, width) by mean final validation accuracy over the tuning runs (role tune;\n"
    "runs without a role serve both), reports the evaluation runs (role eval) at it:\n"
    "test accuracy mean, bootstrap 95%% interval, paired difference against ste.\n"
    "Writes fmnist-curves.tsv/.layout, fmnist-wall.tsv, fmnist-table.tsv and\n"
    "fmnist-settings.tsv (TSV dir), fmnist-table.tex, fmnist-settings.tex and\n"
    "fmnist-macros.tex (TeX dir); with --fidelity also fmnist-fidelity.tsv,\n"
    "fmnist-hist.tsv and fmnist-fidelity.tex. --choose writes the chosen setting's\n"
    "parameters (role eval, no seed) for the evaluation runs; the test set is not read.\n";

int rp_fmnist(int argc, char **argv)
{
    rp_args a;
    const char *chosen = NULL, *fid = NULL;
    int rc;
    if (argc > 2 && !strcmp(argv[1], "--choose")) { /* --choose OUT.json TUNE.h5... */
        chosen = argv[2];
        a.inputs = argv + 3, a.ninputs = argc - 3;
        if (!a.ninputs) return rp_err(2, "fmnist", "--choose OUT.json needs tuning runs");
    } else {
        if (argc > 2 && !strcmp(argv[1], "--fidelity")) { /* --fidelity FID.h5 before the other options */
            fid = argv[2];
            argv[2] = argv[0];
            argv += 2, argc -= 2;
        }
        if ((rc = rp_parse(&a, argc, argv, help)) >= 0) return rc;
    }
    fset s = {0};
    row *rows = NULL;
    rc = 1;
    if (fid && rp_fmnist_fidelity(fid, a.tsv_dir, a.tex_dir)) goto done;
    for (int i = 0; i < a.ninputs; i++)
        if (load(&s, a.inputs[i])) goto done;
    if (chosen) {
        rc = s.n ? choose(&s, chosen) : 1;
        goto done;
    }
    if (!s.n) {
        rp_err(1, "fmnist", "no runs given");
        goto done;
    }
    rows = calloc((size_t)s.n, sizeof *rows);
    int nrows = rows ? make_rows(&s, rows, s.n) : -1;
    if (nrows < 0 || write_curves(&s, rows, nrows, a.tsv_dir) || write_table(&s, rows, nrows, &a) ||
        write_settings(&s, rows, nrows, &a) || write_wall(&s, rows, nrows, a.tsv_dir) ||
        write_macros(&s, rows, nrows, a.tex_dir))
        goto done;
    rc = 0;
done:
    for (int i = 0; i < s.n; i++) free(s.r[i].curve), free(s.r[i].times), free(s.r[i].params);
    free(s.r);
    free(rows);
    return rc;
}
