/* infnum-report fmnist: infnum-fmnist HDF5 runs -> TSV (plots) + booktabs.
 *
 * Runs are grouped by setting = (network, activation, method), method being
 * the estimator with its kernel width σ (nonstandard) or temperature τ
 * (surrogate). Within a setting the learning rate is chosen ONCE, by the
 * mean over seeds of the final validation accuracy (the final training
 * accuracy when the runs hold out no validation set) — the test set is never
 * used to choose. The same rule applies to every method.
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
    r->seed = (int64_t)jnum(o, "seed");
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

/* A setting with its chosen lr: indices of the runs (the seeds) at that lr. */
typedef struct row {
    int first;   /* a run of the setting (labels) */
    double lr;
    int idx[256], n;
    int nlr;     /* learning rates tried */
} row;

/* Groups the runs into settings, chooses each setting's lr. */
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
        double best = -INFINITY;
        for (int j = 0; j < s->n; j++) {
            if (!same_setting(&s->r[i], &s->r[j])) continue;
            int first_lr = 1;
            for (int k = 0; k < j && first_lr; k++)
                first_lr = !(same_setting(&s->r[i], &s->r[k]) && s->r[k].lr == s->r[j].lr);
            if (!first_lr) continue;
            w->nlr++;
            double sum = 0;
            int n = 0;
            for (int k = 0; k < s->n; k++)
                if (same_setting(&s->r[i], &s->r[k]) && s->r[k].lr == s->r[j].lr)
                    sum += isnan(s->r[k].sel) ? 0 : s->r[k].sel, n++;
            if (sum / n > best) best = sum / n, w->lr = s->r[j].lr;
        }
        for (int k = 0; k < s->n && w->n < 256; k++)
            if (same_setting(&s->r[i], &s->r[k]) && s->r[k].lr == w->lr) w->idx[w->n++] = k;
    }
    return nrows;
}

/* Writes one block per setting of activation act; returns how many. */
static int curve_blocks(FILE *f, const fset *s, const row *rows, int nrows, const char *act)
{
    int nb = 0;
    for (int j = 0; j < nrows; j++) {
        const row *w = &rows[j];
        const frun *r0 = &s->r[w->first];
        if (strcmp(r0->act, act)) continue;
        if (!strcmp(act, "relu")) fprintf(f, "\"relu baseline %s (lr %g)\"\n", r0->net, w->lr);
        else fprintf(f, "\"%s %s (lr %g)\"\n", r0->method, r0->net, w->lr);
        for (int64_t e = 0; e < r0->epochs; e++) {
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

/* The table as TSV (HTML) and booktabs (paper), from the same numbers. */
static int write_table(const fset *s, const row *rows, int nrows, const rp_args *a)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, a->tsv_dir, "fmnist-table.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, a->tex_dir, "fmnist-table.tex");
    if (!x) return rp_close(&ot, 0), -1;
    fprintf(t, "network\tactivation\tmethod\tlr\tlrs tried\tseeds\ttest acc mean\ttest acc std\ts/epoch\t"
               "zero hidden grad %%\thidden weight change\n");
    fprintf(x, "%% Generated by infnum-report fmnist from HDF5 results. Do not edit.\n"
               "\\begin{tabular}{lllrrrrrr}\n\\toprule\n"
               "network & act. & method & lr & seeds & test acc. & s/epoch & zero (\\%%) & "
               "$\\Delta W_1$ \\\\\n\\midrule\n");
    for (int k = 0; k < nrows; k++) {
        const row *w = &rows[k];
        const frun *r0 = &s->r[w->first];
        double acc[256], tm[256], z[256], c[256], am, asd, tmm, zm, cm, unused;
        for (int i = 0; i < w->n; i++) {
            const frun *r = &s->r[w->idx[i]];
            acc[i] = r->test, tm[i] = r->time, z[i] = r->zero, c[i] = r->change;
        }
        mean_std(acc, w->n, &am, &asd);
        mean_std(tm, w->n, &tmm, &unused);
        mean_std(z, w->n, &zm, &unused);
        mean_std(c, w->n, &cm, &unused);
        fprintf(t, "%s\t%s\t%s\t%g\t%d\t%d\t%.4f\t%.4f\t%.3f\t%.2f\t%.3g\n", r0->net, r0->act, r0->method, w->lr,
                w->nlr, w->n, am, asd, tmm, 100 * zm, cm);
        fprintf(x, "%s & \\texttt{", r0->net);
        rp_tex_escape(x, r0->act);
        fprintf(x, "} & ");
        if (!strcmp(r0->est, "nonstandard"))
            fprintf(x, "nonstandard %s $\\sigma{=}%g$", r0->kernel, r0->sigma);
        else if (!strcmp(r0->est, "surrogate"))
            fprintf(x, "surrogate $\\tau{=}%g$", r0->tau);
        else
            rp_tex_escape(x, r0->method);
        fprintf(x, " & %g & %d & $%.3f \\pm %.3f$ & %.2f & %.1f & %.2g \\\\\n", w->lr, w->n, am, asd, tmm, 100 * zm,
                cm);
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int rc = rp_close(&ot, 1);
    return rp_close(&ox, rc == 0) || rc ? -1 : 0;
}

/* Writes the distinct learning rates (what 0) or nonstandard σ (what 1) of
 * the runs, comma-separated, in order of appearance ("--" if none). */
static void list_values(FILE *f, const fset *s, int what)
{
    int n = 0;
    for (int i = 0; i < s->n; i++) {
        if (what && strcmp(s->r[i].est, "nonstandard")) continue;
        double v = what ? s->r[i].sigma : s->r[i].lr;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = (what ? s->r[j].sigma : s->r[j].lr) == v && (!what || !strcmp(s->r[j].est, "nonstandard"));
        if (!seen) fprintf(f, "%s%g", n++ ? ", " : "", v);
    }
    if (!n) fprintf(f, "--");
}

/* Macros for the text: epochs, seeds, relu baseline (784-100-10 if present). */
static int write_macros(const fset *s, const row *rows, int nrows, const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "fmnist-macros.tex");
    if (!f) return -1;
    int64_t emax = 0, seeds = 1 << 30;
    const row *base = NULL;
    double tmax = 0;
    for (int k = 0; k < nrows; k++) {
        const frun *r0 = &s->r[rows[k].first];
        emax = r0->epochs > emax ? r0->epochs : emax;
        seeds = rows[k].n < seeds ? rows[k].n : seeds;
        if (!strcmp(r0->act, "relu") && (!base || !strcmp(r0->net, "784-100-10"))) base = &rows[k];
        for (int i = 0; i < rows[k].n; i++) tmax = fmax(tmax, s->r[rows[k].idx[i]].time);
    }
    fprintf(f, "%% Generated by infnum-report fmnist from HDF5 results. Do not edit.\n");
    fprintf(f, "\\newcommand{\\fmEpochs}{%lld}\n\\newcommand{\\fmMinSeeds}{%lld}\n\\newcommand{\\fmRuns}{%d}\n",
            (long long)emax, (long long)seeds, s->n);
    fprintf(f, "\\newcommand{\\fmMaxEpochTime}{%.2f}\n", tmax);
    const frun *r = &s->r[0];
    fprintf(f, "\\newcommand{\\fmNtrain}{%.0f}\n\\newcommand{\\fmNvalid}{%.0f}\n\\newcommand{\\fmNtest}{%.0f}\n",
            r->ntrain, r->nvalid, r->ntest);
    fprintf(f, "\\newcommand{\\fmBatch}{%.0f}\n\\newcommand{\\fmOptimizer}{%s}\n", r->batch, r->opt);
    fprintf(f, "\\newcommand{\\fmLrs}{");
    list_values(f, s, 0);
    fprintf(f, "}\n\\newcommand{\\fmSigmas}{");
    list_values(f, s, 1);
    fprintf(f, "}\n");
    if (base) {
        double acc[256], m, sd;
        for (int i = 0; i < base->n; i++) acc[i] = s->r[base->idx[i]].test;
        mean_std(acc, base->n, &m, &sd);
        fprintf(f, "\\newcommand{\\fmReluNet}{%s}\n\\newcommand{\\fmReluAcc}{%.4f}\n", s->r[base->first].net, m);
    } else {
        fprintf(f, "\\newcommand{\\fmReluNet}{--}\n\\newcommand{\\fmReluAcc}{--}\n");
    }
    return rp_close(&o, 1);
}

static const char help[] =
    "usage: infnum-report fmnist --tsv-dir DIR --tex-dir DIR RESULT.h5...\n\n"
    "Reads infnum-fmnist runs; per (network, activation, method) chooses the learning\n"
    "rate by mean final validation accuracy over seeds (training accuracy if no\n"
    "validation set), and writes fmnist-curves.tsv, fmnist-curves.layout and\n"
    "fmnist-table.tsv (TSV dir), fmnist-table.tex and fmnist-macros.tex (TeX dir).\n";

int rp_fmnist(int argc, char **argv)
{
    rp_args a;
    int rc = rp_parse(&a, argc, argv, help);
    if (rc >= 0) return rc;
    fset s = {0};
    row *rows = NULL;
    rc = 1;
    for (int i = 0; i < a.ninputs; i++)
        if (load(&s, a.inputs[i])) goto done;
    if (!s.n) {
        rp_err(1, "fmnist", "no runs given");
        goto done;
    }
    rows = calloc((size_t)s.n, sizeof *rows);
    int nrows = rows ? make_rows(&s, rows, s.n) : -1;
    if (nrows < 0 || write_curves(&s, rows, nrows, a.tsv_dir) || write_table(&s, rows, nrows, &a) ||
        write_macros(&s, rows, nrows, a.tex_dir))
        goto done;
    rc = 0;
done:
    for (int i = 0; i < s.n; i++) free(s.r[i].curve);
    free(s.r);
    free(rows);
    return rc;
}
