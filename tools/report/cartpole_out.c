/* SPDX-License-Identifier: MIT */
/* infnum-report cartpole's outputs (cartpole.c describes them). */
#define _POSIX_C_SOURCE 200809L
#include "cartpole_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NK (CPR_NEST * CPR_NPOL)

/* LaTeX-safe CamelCase of a name: straight_through → StraightThrough. */
static void camel(char *out, size_t n, const char *s)
{
    size_t j = 0;
    for (int up = 1; *s && j + 1 < n; s++) {
        if (*s == '_') {
            up = 1;
            continue;
        }
        out[j++] = up && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
        up = 0;
    }
    out[j] = 0;
}

static int cmp_f64(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Summary of the eval runs of (estimator, policy) k. */
typedef struct summary {
    int n, reached;
    int64_t median;
    double train_s;
    cpr_stats fin;
} summary;

static int summarise(const cpr_data *d, int k, summary *m)
{
    double x[CPR_MAX_SEEDS];
    int64_t st[CPR_MAX_SEEDS];
    memset(m, 0, sizeof *m);
    m->n = d->neval[k];
    if (!m->n) return 0;
    for (int i = 0; i < m->n; i++) {
        const cpr_run *r = &d->runs[d->eval[k][i]];
        x[i] = r->final;
        st[i] = r->solve;
        m->reached += r->solve >= 0;
        m->train_s += r->train_s / m->n;
    }
    m->median = cpr_median_steps(st, m->n);
    return cpr_stats_of(x, m->n, &m->fin);
}

static const cpr_run *first_eval(const cpr_data *d, int k)
{
    return d->neval[k] ? &d->runs[d->eval[k][0]] : NULL;
}

/* cartpole-curves.tsv / cartpole-wall.tsv: 12 blocks, policy-major ×
 * estimator: grid steps, mean, lower and upper quartile over the eval seeds,
 * mean training time; a missing combination is one NaN row. */
static int write_curves(const cpr_data *d, const char *dir, const char *name)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, name);
    if (!f) return -1;
    fprintf(f, "# infnum-cartpole eval runs (chosen setting): greedy return vs environment steps,\n"
               "# mean, lower/upper quartile over the evaluation seeds, mean training time (s).\n"
               "# 12 blocks: policy (linear, mlp) x estimator (");
    for (int e = 0; e < CPR_NEST; e++) fprintf(f, "%s%s", e ? ", " : "", CPR_ESTS[e]);
    fprintf(f, ")\n");
    for (int p = 0; p < CPR_NPOL; p++)
        for (int e = 0; e < CPR_NEST; e++) {
            const int k = e * CPR_NPOL + p, n = d->neval[k];
            const cpr_run *r0 = first_eval(d, k);
            fprintf(f, "%s\"%s\"\t\"q25\"\t\"q75\"\t\"train_s\"\n", p + e ? "\n\n" : "", CPR_ESTS[e]);
            if (!r0) {
                fprintf(f, "0\tNaN\tNaN\tNaN\n");
                continue;
            }
            for (int64_t g = 0; g < cpr_grid_n(r0); g++) {
                double v[CPR_MAX_SEEDS], mean = 0, wall = 0;
                for (int i = 0; i < n; i++) {
                    double w;
                    v[i] = cpr_at(&d->runs[d->eval[k][i]], g * r0->every, &w);
                    mean += v[i] / n, wall += w / n;
                }
                qsort(v, (size_t)n, sizeof *v, cmp_f64);
                fprintf(f, "%lld\t%.6g\t%.6g\t%.6g\t%.6g\n", (long long)(g * r0->every), mean,
                        v[(n - 1) / 4], v[n - 1 - (n - 1) / 4], wall);
            }
        }
    return rp_close(&o, 1);
}

/* cartpole-seeds.tsv: the same 12 blocks, one column per eval seed. */
static int write_seeds(const cpr_data *d, const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "cartpole-seeds.tsv");
    if (!f) return -1;
    fprintf(f, "# infnum-cartpole eval runs: greedy return per evaluation seed vs environment steps;\n"
               "# 12 blocks in the order of cartpole-curves.tsv, a column per seed.\n");
    for (int p = 0; p < CPR_NPOL; p++)
        for (int e = 0; e < CPR_NEST; e++) {
            const int k = e * CPR_NPOL + p, n = d->neval[k];
            const cpr_run *r0 = first_eval(d, k);
            fprintf(f, "%s\"%s\"", p + e ? "\n\n" : "", CPR_ESTS[e]);
            for (int i = 0; i < n; i++) fprintf(f, "\t\"seed %lld\"", (long long)d->runs[d->eval[k][i]].seed);
            fprintf(f, "\n");
            if (!r0) {
                fprintf(f, "0\tNaN\n");
                continue;
            }
            for (int64_t g = 0; g < cpr_grid_n(r0); g++) {
                fprintf(f, "%lld", (long long)(g * r0->every));
                for (int i = 0; i < n; i++)
                    fprintf(f, "\t%.6g", cpr_at(&d->runs[d->eval[k][i]], g * r0->every, NULL));
                fprintf(f, "\n");
            }
        }
    return rp_close(&o, 1);
}

/* Kernel estimators, in the order of the death blocks. */
static const int KEST[3] = {3, 4, 5};

/* Mean kernel-death fraction over the death runs of (kernel estimator e,
 * scale) at evaluation i (NAN if none); *n = their number, *last = the mean
 * at each run's last point. */
static double death_at(const cpr_data *d, int e, int logit, int64_t i, int *n, double *last)
{
    double s = 0, l = 0;
    int c = 0;
    for (int r = 0; r < d->nruns; r++) {
        const cpr_run *x = &d->runs[r];
        if (x->phase != CPR_DEATH || x->est != e || x->logit != logit) continue;
        s += i < x->n ? x->dead[i] : NAN;
        l += x->dead[x->n - 1];
        c++;
    }
    *n = c;
    if (last) *last = c ? l / c : NAN;
    return c ? s / c : NAN;
}

/* cartpole-death.tsv: 6 blocks, kernel estimator × (fixed σ, σ tied to the
 * logit scale): steps, mean dead fraction over the death seeds. */
static int write_death(const cpr_data *d, const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "cartpole-death.tsv");
    if (!f) return -1;
    fprintf(f, "# infnum-cartpole death runs: fraction of the training decisions with kernel density\n"
               "# < 1e-10 of its peak since the previous point, mean over seeds. 6 blocks:\n"
               "# (straight_through, kernel, decision_flip) x (fixed sigma, sigma x RMS gap)\n");
    for (int b = 0; b < 6; b++) {
        const int e = KEST[b / 2], logit = b % 2;
        fprintf(f, "%s\"%s, %s\"\n", b ? "\n\n" : "", CPR_ESTS[e], logit ? "sigma tied to the logit scale" : "fixed sigma");
        const cpr_run *r0 = NULL;
        for (int r = 0; r < d->nruns && !r0; r++)
            if (d->runs[r].phase == CPR_DEATH && d->runs[r].est == e && d->runs[r].logit == logit)
                r0 = &d->runs[r];
        if (!r0) {
            fprintf(f, "0\tNaN\n");
            continue;
        }
        for (int64_t i = 1; i < r0->n; i++) {
            int n;
            fprintf(f, "%lld\t%.6g\n", (long long)r0->steps[i], death_at(d, e, logit, i, &n, NULL));
        }
    }
    return rp_close(&o, 1);
}

static void fmt_steps(char *buf, size_t n, int64_t m)
{
    if (m < 0) snprintf(buf, n, "not reached");
    else snprintf(buf, n, "%lld", (long long)m);
}

/* cartpole-table: the chosen setting of every (policy, estimator) and the
 * statistics of its eval runs. */
static int write_table(const cpr_data *d, const char *tsv_dir, const char *tex_dir)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, tsv_dir, "cartpole-table.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, tex_dir, "cartpole-table.tex");
    if (!x) {
        rp_close(&ot, 0);
        return -1;
    }
    fprintf(t, "policy\testimator\tsettings tried\tlr\tsigma\tseeds reaching 475\teval seeds\t"
               "median steps to 475\tfinal return mean\tmean lo95\tmean hi95\tfinal return IQM\t"
               "IQM lo95\tIQM hi95\ttrain time (s)\n");
    fprintf(x, "%% generated by infnum-report cartpole from the HDF5 results\n"
               "\\begin{tabular}{llrrrrrrr}\n\\toprule\npolicy & estimator & tried & lr & $\\sigma$ & "
               "reached 475 & median steps & IQM [95\\%% CI] & mean [95\\%% CI] \\\\\n\\midrule\n");
    int rc = 0, rows = 0;
    for (int p = 0; p < CPR_NPOL && !rc; p++)
        for (int e = 0; e < CPR_NEST && !rc; e++) {
            const int k = e * CPR_NPOL + p;
            summary m;
            if (d->chosen[k] < 0 || !d->neval[k]) continue;
            if ((rc = summarise(d, k, &m))) break;
            const cpr_setting *s = &d->set[d->chosen[k]];
            char steps[32];
            fmt_steps(steps, sizeof steps, m.median);
            fprintf(t, "%s\t%s\t%d\t%g\t%g\t%d\t%d\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.3g\n",
                    CPR_POLS[p], CPR_ESTS[e], d->tried[k], s->lr, s->sigma, m.reached, m.n, steps,
                    m.fin.mean, m.fin.mean_lo, m.fin.mean_hi, m.fin.iqm, m.fin.iqm_lo,
                    m.fin.iqm_hi, m.train_s);
            if (rows++ && e == 0) fprintf(x, "\\midrule\n");
            fprintf(x, "%s & ", CPR_POLS[p]);
            rp_tex_escape(x, CPR_ESTS[e]);
            fprintf(x, " & %d & %g & %g & %d/%d & %s & %.1f [%.1f, %.1f] & %.1f [%.1f, %.1f] \\\\\n",
                    d->tried[k], s->lr, s->sigma, m.reached, m.n, steps, m.fin.iqm, m.fin.iqm_lo,
                    m.fin.iqm_hi, m.fin.mean, m.fin.mean_lo, m.fin.mean_hi);
        }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int r1 = rp_close(&ot, rc == 0);
    int r2 = rp_close(&ox, rc == 0 && r1 == 0);
    return rc || r1 || r2 ? -1 : 0;
}

/* cartpole-sweep: every tuning setting, its AUC and tuning outcome. */
static int write_sweep(const cpr_data *d, const char *tsv_dir, const char *tex_dir)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, tsv_dir, "cartpole-sweep.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, tex_dir, "cartpole-sweep.tex");
    if (!x) {
        rp_close(&ot, 0);
        return -1;
    }
    fprintf(t, "policy\testimator\tlr\tsigma\ttuning seeds\tmean return over the curve\t"
               "tuning seeds reaching 475\tfinal return (mean)\tchosen\n");
    fprintf(x, "%% generated by infnum-report cartpole from the HDF5 results\n"
               "\\begin{tabular}{llrrrrr}\n\\toprule\npolicy & estimator & lr & $\\sigma$ & "
               "AUC & reached 475 & final return \\\\\n\\midrule\n");
    for (int s = 0; s < d->nset; s++) {
        const cpr_setting *st = &d->set[s];
        int reached = 0, chosen = d->chosen[st->est * CPR_NPOL + st->pol] == s;
        double fin = 0;
        for (int i = 0; i < st->nruns; i++) {
            reached += d->runs[st->runs[i]].solve >= 0;
            fin += d->runs[st->runs[i]].final / st->nruns;
        }
        fprintf(t, "%s\t%s\t%g\t%g\t%d\t%.1f\t%d\t%.1f\t%s\n", CPR_POLS[st->pol], CPR_ESTS[st->est],
                st->lr, st->sigma, st->nruns, st->auc, reached, fin, chosen ? "yes" : "");
        if (s > 0 && d->set[s - 1].pol != st->pol) fprintf(x, "\\midrule\n");
        fprintf(x, "%s & ", CPR_POLS[st->pol]);
        rp_tex_escape(x, CPR_ESTS[st->est]);
        fprintf(x, "%s & %g & %g & %.1f & %d/%d & %.1f \\\\\n", chosen ? "$^\\ast$" : "", st->lr,
                st->sigma, st->auc, reached, st->nruns, fin);
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int r1 = rp_close(&ot, 1);
    return rp_close(&ox, r1 == 0) || r1 ? -1 : 0;
}

/* cartpole-macros.tex: the settings of the study and, per (estimator,
 * policy) — names in CamelCase, e.g. \cpIQMDecisionFlipMlp — every number of
 * the table; per kernel estimator the final dead fraction (%) of the death
 * runs, \cpDead<Est>Fixed and \cpDead<Est>Logit. */
static int write_macros(const cpr_data *d, const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "cartpole-macros.tex");
    if (!f) return -1;
    int64_t budget = 0, every = 0, episodes = 0, hidden = 0;
    int tune_seeds = 0, eval_seeds = 0, tried = -1, ntried_equal = 1, nrun[3] = {0};
    for (int i = 0; i < d->nruns; i++) {
        const cpr_run *r = &d->runs[i];
        budget = r->budget > budget ? r->budget : budget;
        every = r->every, episodes = r->episodes, hidden = r->hidden;
        nrun[r->phase]++;
    }
    for (int s = 0; s < d->nset; s++) tune_seeds = d->set[s].nruns > tune_seeds ? d->set[s].nruns : tune_seeds;
    for (int k = 0; k < NK; k++) {
        eval_seeds = d->neval[k] > eval_seeds ? d->neval[k] : eval_seeds;
        if (!d->tried[k]) continue;
        if (tried >= 0 && d->tried[k] != tried) ntried_equal = 0;
        tried = d->tried[k];
    }
    fprintf(f, "%% generated by infnum-report cartpole\n");
    fprintf(f, "\\newcommand{\\cpBudget}{%lld}\n", (long long)budget);
    fprintf(f, "\\newcommand{\\cpEvalEvery}{%lld}\n", (long long)every);
    fprintf(f, "\\newcommand{\\cpSeeds}{%d}\n", eval_seeds);
    fprintf(f, "\\newcommand{\\cpEvalSeeds}{%d}\n", eval_seeds);
    fprintf(f, "\\newcommand{\\cpTuneSeeds}{%d}\n", tune_seeds);
    fprintf(f, "\\newcommand{\\cpRuns}{%d}\n", d->nruns);
    fprintf(f, "\\newcommand{\\cpTuneRuns}{%d}\n\\newcommand{\\cpEvalRuns}{%d}\n"
               "\\newcommand{\\cpDeathRuns}{%d}\n", nrun[0], nrun[1], nrun[2]);
    fprintf(f, "\\newcommand{\\cpSettings}{%d}\n", d->nset);
    if (ntried_equal && tried >= 0) fprintf(f, "\\newcommand{\\cpSettingsPerEstimator}{%d}\n", tried);
    else fprintf(f, "\\newcommand{\\cpSettingsPerEstimator}{unequal}\n");
    fprintf(f, "\\newcommand{\\cpEvalEpisodes}{%lld}\n", (long long)episodes);
    fprintf(f, "\\newcommand{\\cpHidden}{%lld}\n", (long long)hidden);
    int rc = 0;
    for (int k = 0; k < NK && !rc; k++) {
        summary m;
        if (d->chosen[k] < 0 || !d->neval[k]) continue;
        if ((rc = summarise(d, k, &m))) break;
        char name[64], ep[32], pp[16], steps[32];
        camel(ep, sizeof ep, CPR_ESTS[k / CPR_NPOL]);
        camel(pp, sizeof pp, CPR_POLS[k % CPR_NPOL]);
        snprintf(name, sizeof name, "%s%s", ep, pp);
        const cpr_setting *s = &d->set[d->chosen[k]];
        fmt_steps(steps, sizeof steps, m.median);
        fprintf(f, "\\newcommand{\\cpReached%s}{%d}\n\\newcommand{\\cpEvalN%s}{%d}\n", name,
                m.reached, name, m.n);
        fprintf(f, "\\newcommand{\\cpIQM%s}{%.1f}\n\\newcommand{\\cpIQMLo%s}{%.1f}\n"
                   "\\newcommand{\\cpIQMHi%s}{%.1f}\n", name, m.fin.iqm, name, m.fin.iqm_lo, name,
                m.fin.iqm_hi);
        fprintf(f, "\\newcommand{\\cpMean%s}{%.1f}\n\\newcommand{\\cpMeanLo%s}{%.1f}\n"
                   "\\newcommand{\\cpMeanHi%s}{%.1f}\n", name, m.fin.mean, name, m.fin.mean_lo, name,
                m.fin.mean_hi);
        fprintf(f, "\\newcommand{\\cpMedSteps%s}{%s}\n\\newcommand{\\cpLr%s}{%g}\n"
                   "\\newcommand{\\cpSigma%s}{%g}\n\\newcommand{\\cpTried%s}{%d}\n"
                   "\\newcommand{\\cpTrainTime%s}{%.3g}\n", name, steps, name, s->lr, name,
                s->sigma, name, d->tried[k], name, m.train_s);
    }
    for (int b = 0; b < 6 && !rc; b++) {
        int n;
        double last;
        char ep[32];
        camel(ep, sizeof ep, CPR_ESTS[KEST[b / 2]]);
        (void)death_at(d, KEST[b / 2], b % 2, 0, &n, &last);
        if (n) fprintf(f, "\\newcommand{\\cpDead%s%s}{%.1f}\n", ep, b % 2 ? "Logit" : "Fixed", 100 * last);
    }
    /* (estimator, policy) whose eval seeds reached 475 in at least half, and in none */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        int n = 0;
        fprintf(f, "\\newcommand{\\%s}{", pass ? "cpNeverSolved" : "cpSolved");
        for (int k = 0; k < NK; k++) {
            summary m;
            if (d->chosen[k] < 0 || !d->neval[k] || (rc = summarise(d, k, &m))) continue;
            if (pass ? m.reached > 0 : 2 * m.reached < m.n) continue;
            fprintf(f, "%s\\texttt{", n++ ? ", " : "");
            rp_tex_escape(f, CPR_ESTS[k / CPR_NPOL]);
            fprintf(f, "} (%s)", CPR_POLS[k % CPR_NPOL]);
        }
        fprintf(f, "%s}\n", n ? "" : "none");
    }
    return rp_close(&o, rc == 0) || rc ? -1 : 0;
}

int cpr_write_all(const cpr_data *d, const char *tsv_dir, const char *tex_dir)
{
    return write_curves(d, tsv_dir, "cartpole-curves.tsv") ||
           write_curves(d, tsv_dir, "cartpole-wall.tsv") || write_seeds(d, tsv_dir) ||
           write_death(d, tsv_dir) || write_table(d, tsv_dir, tex_dir) ||
           write_sweep(d, tsv_dir, tex_dir) || write_macros(d, tex_dir)
               ? -1
               : 0;
}
