/* infnum-report cartpole: infnum-cartpole HDF5 files -> TSV + LaTeX.
 * Runs are grouped into settings (estimator, policy, lr, sigma) over seeds;
 * every setting's curve is put on the grid k·eval_every (the first
 * evaluation at or after each grid step) and averaged over its seeds. The
 * best setting of each (estimator, policy) is the one with the largest mean
 * return over the grid (area under the learning curve), ties to the first.
 * Outputs:
 *   TSV/cartpole-curves.tsv, cartpole-wall.tsv  (identical) 8 gnuplot blocks,
 *       policy × estimator (best setting): steps, mean, min, max over seeds,
 *       mean training time (s)
 *   TSV/cartpole-table.tsv, TEX/cartpole-table.tex  best settings
 *   TSV/cartpole-sweep.tsv, TEX/cartpole-sweep.tex  every setting
 *   TEX/cartpole-macros.tex  budget, seeds, evaluation episodes */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const ESTS[] = {"reinforce", "es", "straight_through", "nonstandard"};
static const char *const POLS[] = {"linear", "mlp"};
#define NEST 4
#define NPOL 2

typedef struct run {
    int est, pol;
    double lr, sigma, final, train_s;
    int64_t seed, budget, every, n, solve, episodes, hidden;
    int64_t *steps;
    double *ret, *wall;
} run;

typedef struct setting {
    int est, pol;
    double lr, sigma;
    int *runs; /* indices into the run array */
    int nruns;
    double auc;
} setting;

static const char help[] =
    "usage: infnum-report cartpole --tsv-dir DIR --tex-dir DIR RESULT.h5...\n\n"
    "Groups infnum-cartpole results by (estimator, policy, lr, sigma) over seeds and\n"
    "writes cartpole-curves.tsv and cartpole-wall.tsv, cartpole-table.tsv/.tex (best setting per\n"
    "estimator and policy by the area under the mean learning curve),\n"
    "cartpole-sweep.tsv/.tex (every setting) and cartpole-macros.tex.\n";

static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

static void run_free(run *r)
{
    free(r->steps);
    free(r->ret);
    free(r->wall);
}

static int load(run *r, const char *path)
{
    lcx_h5r h;
    char *est = NULL, *pol = NULL, *params = NULL;
    int64_t d[2] = {RP_ANY, 1}, one[2] = {1, 1}, *solve = NULL;
    double *fin = NULL;
    cJSON *js = NULL;
    int rc = -1;
    memset(r, 0, sizeof *r);
    if (lcx_h5r_open(&h, path)) return rp_err(-1, "cartpole", "%s", h.err);
    if (lcx_h5r_attr_str(&h, "/", "estimator", &est) || lcx_h5r_attr_str(&h, "/", "policy", &pol) ||
        lcx_h5r_attr_str(&h, "/", "params", &params) ||
        rp_read_i64(&h, "curve/env_steps", d, &r->steps) || (r->n = d[0], 0) ||
        rp_read_f64(&h, "curve/return_mean", d, &r->ret) || rp_read_f64(&h, "curve/wall_time", d, &r->wall) ||
        rp_read_i64(&h, "final/steps_to_threshold", one, &solve) || rp_read_f64(&h, "final/return", one, &fin)) {
        rp_err(-1, "cartpole", "%s: %s (not an infnum-cartpole result?)", path, h.err);
        goto done;
    }
    r->est = name_index(ESTS, NEST, est);
    r->pol = name_index(POLS, NPOL, pol);
    js = cJSON_Parse(params);
    const cJSON *lr = cJSON_GetObjectItem(js, "lr"), *sg = cJSON_GetObjectItem(js, "sigma");
    const cJSON *sd = cJSON_GetObjectItem(js, "seed"), *bu = cJSON_GetObjectItem(js, "budget");
    const cJSON *ev = cJSON_GetObjectItem(js, "eval_every");
    const cJSON *ee = cJSON_GetObjectItem(js, "eval_episodes"), *hi = cJSON_GetObjectItem(js, "hidden");
    if (r->est < 0 || r->pol < 0 || !cJSON_IsNumber(lr) || !cJSON_IsNumber(sg) ||
        !cJSON_IsNumber(sd) || !cJSON_IsNumber(bu) || !cJSON_IsNumber(ev) || !cJSON_IsNumber(ee) ||
        !cJSON_IsNumber(hi) || r->n < 1) {
        rp_err(-1, "cartpole", "%s: unexpected estimator/policy/params", path);
        goto done;
    }
    r->lr = lr->valuedouble, r->sigma = sg->valuedouble, r->seed = (int64_t)sd->valuedouble;
    r->budget = (int64_t)bu->valuedouble, r->every = (int64_t)ev->valuedouble;
    r->episodes = (int64_t)ee->valuedouble, r->hidden = (int64_t)hi->valuedouble;
    r->solve = solve[0], r->final = fin[0], r->train_s = r->wall[r->n - 1];
    rc = 0;
done:
    if (rc) run_free(r);
    cJSON_Delete(js);
    free(est), free(pol), free(params), free(solve), free(fin);
    lcx_h5r_close(&h);
    return rc;
}

/* Return of run r at grid step g: the first evaluation at or after g. */
static double at(const run *r, int64_t g, double *wall)
{
    int64_t i = 0;
    while (i < r->n - 1 && r->steps[i] < g) i++;
    if (wall) *wall = r->wall[i];
    return r->ret[i];
}

static int64_t grid_n(const run *r) { return r->budget / r->every + 1; }

/* Per-setting summary over seeds. */
typedef struct summary {
    int reached, n;
    int64_t median; /* -1: not reached by the median seed */
    double fin_mean, fin_sd, time_mean;
} summary;

static summary summarise(const setting *s, const run *runs)
{
    summary m = {.n = s->nruns};
    int64_t st[256];
    double sum = 0, sum2 = 0, t = 0;
    for (int k = 0; k < s->nruns; k++) {
        const run *r = &runs[s->runs[k]];
        st[k] = r->solve >= 0 ? r->solve : INT64_MAX; /* not reached sorts last */
        m.reached += r->solve >= 0;
        sum += r->final, sum2 += r->final * r->final, t += r->train_s;
    }
    qsort(st, (size_t)s->nruns, sizeof *st, rp_cmp_i64);
    const int64_t med = st[(s->nruns - 1) / 2]; /* lower median */
    m.median = med == INT64_MAX ? -1 : med;
    m.fin_mean = sum / s->nruns;
    m.fin_sd = s->nruns > 1 ? sqrt(fmax(0.0, (sum2 - sum * sum / s->nruns) / (s->nruns - 1))) : 0.0;
    m.time_mean = t / s->nruns;
    return m;
}

/* cartpole-curves.tsv and cartpole-wall.tsv (the same data; one file per
 * figure): 8 blocks in a fixed order, policy-major (linear, mlp) ×
 * (reinforce, es, straight_through, nonstandard); a missing combination is a
 * block with one NaN row so the plots' block indices stay fixed. */
static int write_curves_to(const setting *set, const int *best, const run *runs, const char *dir,
                           const char *name)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, name);
    if (!f) return -1;
    fprintf(f, "# infnum-cartpole: greedy return (mean of the evaluation episodes) vs environment\n"
               "# steps, mean/min/max over the seeds of the best setting, and the mean training time.\n"
               "# 8 blocks: policy (linear, mlp) x estimator (reinforce, es, straight_through, "
               "nonstandard)\n");
    for (int p = 0; p < NPOL; p++)
        for (int e = 0; e < NEST; e++) {
            const int b = best[e * NPOL + p];
            fprintf(f, "%s\"%s\"\t\"mean\"\t\"min\"\t\"max\"\t\"train_s\"\n", p + e ? "\n\n" : "",
                    ESTS[e]);
            if (b < 0) {
                fprintf(f, "0\tNaN\tNaN\tNaN\tNaN\n");
                continue;
            }
            const setting *s = &set[b];
            const run *r0 = &runs[s->runs[0]];
            for (int64_t k = 0; k < grid_n(r0); k++) {
                const int64_t g = k * r0->every;
                double mean = 0, lo = INFINITY, hi = -INFINITY, wall = 0;
                for (int i = 0; i < s->nruns; i++) {
                    double w, v = at(&runs[s->runs[i]], g, &w);
                    mean += v, wall += w;
                    lo = fmin(lo, v), hi = fmax(hi, v);
                }
                fprintf(f, "%lld\t%.6g\t%.6g\t%.6g\t%.6g\n", (long long)g, mean / s->nruns, lo, hi,
                        wall / s->nruns);
            }
        }
    return rp_close(&o, 1);
}

static int write_curves(const setting *set, const int *best, const run *runs, const char *dir)
{
    return write_curves_to(set, best, runs, dir, "cartpole-curves.tsv") ||
           write_curves_to(set, best, runs, dir, "cartpole-wall.tsv");
}

static void fmt_steps(char *buf, size_t n, const summary *m)
{
    if (m->median < 0) snprintf(buf, n, "not reached");
    else snprintf(buf, n, "%lld", (long long)m->median);
}

/* One table (TSV + booktabs) over the settings in idx[0..n-1]. */
static int write_table(const setting *set, const int *idx, int n, const run *runs,
                       const char *tsv_dir, const char *tex_dir, const char *base, int mark_best,
                       const int *best)
{
    char name[64];
    rp_out ot, ox;
    snprintf(name, sizeof name, "%s.tsv", base);
    FILE *t = rp_open_in(&ot, tsv_dir, name);
    if (!t) return -1;
    snprintf(name, sizeof name, "%s.tex", base);
    FILE *x = rp_open_in(&ox, tex_dir, name);
    if (!x) {
        rp_close(&ot, 0);
        return -1;
    }
    fprintf(t, "policy\testimator\tlr\tsigma\tseeds reaching 475\tmedian steps to 475\t"
               "final return (mean)\tfinal return (sd)\ttrain time (s)%s\n",
            mark_best ? "\tbest" : "");
    fprintf(x, "%% generated by infnum-report cartpole from the HDF5 results\n"
               "\\begin{tabular}{llrrrrrr}\n\\toprule\npolicy & estimator & lr & $\\sigma$ & "
               "reached & median steps to 475 & final return & time (s) \\\\\n\\midrule\n");
    for (int i = 0; i < n; i++) {
        const setting *s = &set[idx[i]];
        const summary m = summarise(s, runs);
        char steps[32];
        int isbest = 0;
        for (int k = 0; k < NEST * NPOL; k++) isbest |= best[k] == idx[i];
        fmt_steps(steps, sizeof steps, &m);
        fprintf(t, "%s\t%s\t%g\t%g\t%d/%d\t%s\t%.1f\t%.1f\t%.3g", POLS[s->pol], ESTS[s->est], s->lr,
                s->sigma, m.reached, m.n, steps, m.fin_mean, m.fin_sd, m.time_mean);
        if (mark_best) fprintf(t, "\t%s", isbest ? "yes" : "");
        fputc('\n', t);
        if (i > 0 && set[idx[i - 1]].pol != s->pol) fprintf(x, "\\midrule\n");
        fprintf(x, "%s & ", POLS[s->pol]);
        rp_tex_escape(x, ESTS[s->est]);
        fprintf(x, "%s & %g & %g & %d/%d & %s & $%.1f \\pm %.1f$ & %.3g \\\\\n",
                mark_best && isbest ? "$^\\ast$" : "", s->lr, s->sigma, m.reached, m.n, steps,
                m.fin_mean, m.fin_sd, m.time_mean);
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int rc = rp_close(&ot, 1);
    return rp_close(&ox, rc == 0) || rc ? -1 : 0;
}

static int write_macros(const run *runs, int nruns, const setting *set, int nset, const int *best,
                        const char *dir)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "cartpole-macros.tex");
    if (!f) return -1;
    int64_t budget = 0, every = 0, seeds = 0;
    for (int i = 0; i < nruns; i++) {
        budget = runs[i].budget > budget ? runs[i].budget : budget;
        every = runs[i].every;
    }
    for (int i = 0; i < nset; i++) seeds = set[i].nruns > seeds ? set[i].nruns : seeds;
    fprintf(f, "%% generated by infnum-report cartpole\n");
    fprintf(f, "\\newcommand{\\cpBudget}{%lld}\n", (long long)budget);
    fprintf(f, "\\newcommand{\\cpEvalEvery}{%lld}\n", (long long)every);
    fprintf(f, "\\newcommand{\\cpSeeds}{%lld}\n", (long long)seeds);
    fprintf(f, "\\newcommand{\\cpRuns}{%d}\n", nruns);
    fprintf(f, "\\newcommand{\\cpSettings}{%d}\n", nset);
    fprintf(f, "\\newcommand{\\cpEvalEpisodes}{%lld}\n", (long long)runs[0].episodes);
    fprintf(f, "\\newcommand{\\cpHidden}{%lld}\n", (long long)runs[0].hidden);
    /* Best settings whose median seed reached 475, and those where no seed did. */
    for (int pass = 0; pass < 2; pass++) {
        int n = 0;
        fprintf(f, "\\newcommand{\\%s}{", pass ? "cpNeverSolved" : "cpSolved");
        for (int k = 0; k < NEST * NPOL; k++) {
            if (best[k] < 0) continue;
            const summary m = summarise(&set[best[k]], runs);
            if (pass ? m.reached > 0 : m.median < 0) continue;
            fprintf(f, "%s\\texttt{", n++ ? ", " : "");
            rp_tex_escape(f, ESTS[k / NPOL]);
            fprintf(f, "} (%s)", POLS[k % NPOL]);
        }
        fprintf(f, "%s}\n", n ? "" : "none");
    }
    return rp_close(&o, 1);
}

static int cmp_setting(const void *a, const void *b)
{
    const setting *x = a, *y = b;
    if (x->pol != y->pol) return x->pol - y->pol;
    if (x->est != y->est) return x->est - y->est;
    if (x->lr != y->lr) return x->lr < y->lr ? -1 : 1;
    return (x->sigma > y->sigma) - (x->sigma < y->sigma);
}

int rp_cartpole(int argc, char **argv)
{
    rp_args a;
    int rc = rp_parse(&a, argc, argv, help);
    if (rc >= 0) return rc;
    rc = 1;
    run *runs = calloc((size_t)a.ninputs, sizeof *runs);
    setting *set = calloc((size_t)a.ninputs, sizeof *set);
    int *pool = calloc((size_t)a.ninputs, sizeof *pool), *idx = calloc((size_t)a.ninputs, sizeof *idx);
    int nruns = 0, nset = 0, best[NEST * NPOL];
    if (!runs || !set || !pool || !idx) {
        rp_err(1, "cartpole", "out of memory");
        goto done;
    }
    for (int i = 0; i < a.ninputs; i++, nruns++)
        if (load(&runs[i], a.inputs[i])) goto done;
    /* Group into settings. */
    for (int i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        int s = 0;
        while (s < nset && !(set[s].est == r->est && set[s].pol == r->pol && set[s].lr == r->lr &&
                             set[s].sigma == r->sigma))
            s++;
        if (s == nset) set[nset++] = (setting){r->est, r->pol, r->lr, r->sigma, NULL, 0, 0.0};
        set[s].nruns++;
    }
    qsort(set, (size_t)nset, sizeof *set, cmp_setting);
    int used = 0;
    for (int s = 0; s < nset; s++) {
        set[s].runs = pool + used;
        set[s].nruns = 0;
        for (int i = 0; i < nruns; i++) {
            const run *r = &runs[i];
            if (r->est == set[s].est && r->pol == set[s].pol && r->lr == set[s].lr &&
                r->sigma == set[s].sigma)
                set[s].runs[set[s].nruns++] = i;
        }
        used += set[s].nruns;
        if (set[s].nruns > 256) {
            rp_err(1, "cartpole", "more than 256 seeds in one setting");
            goto done;
        }
        double auc = 0;
        for (int k = 0; k < set[s].nruns; k++) {
            const run *r = &runs[set[s].runs[k]];
            double sum = 0;
            for (int64_t g = 0; g < grid_n(r); g++) sum += at(r, g * r->every, NULL);
            auc += sum / grid_n(r);
        }
        set[s].auc = auc / set[s].nruns;
        idx[s] = s;
    }
    for (int k = 0; k < NEST * NPOL; k++) best[k] = -1;
    for (int s = 0; s < nset; s++) {
        int *b = &best[set[s].est * NPOL + set[s].pol];
        if (*b < 0 || set[s].auc > set[*b].auc) *b = s;
    }
    int nb = 0, bidx[NEST * NPOL];
    for (int s = 0; s < nset; s++)
        for (int k = 0; k < NEST * NPOL; k++)
            if (best[k] == s) bidx[nb++] = s;
    if (write_curves(set, best, runs, a.tsv_dir) ||
        write_table(set, bidx, nb, runs, a.tsv_dir, a.tex_dir, "cartpole-table", 0, best) ||
        write_table(set, idx, nset, runs, a.tsv_dir, a.tex_dir, "cartpole-sweep", 1, best) ||
        write_macros(runs, nruns, set, nset, best, a.tex_dir))
        goto done;
    rc = 0;
done:
    for (int i = 0; runs && i < nruns; i++) run_free(&runs[i]);
    free(runs), free(set), free(pool), free(idx);
    return rc;
}
