/* SPDX-License-Identifier: MIT */
/* infnum-report cartpole: infnum-cartpole HDF5 files -> TSV + LaTeX.
 * Every run carries its phase (parameter `phase`): tuning, eval or death.
 *  - tuning runs are grouped into settings (estimator, policy, lr, sigma)
 *    over the tuning seeds; every curve is put on the grid k·eval_every (the
 *    first evaluation at or after each grid step); the chosen setting of
 *    each (estimator, policy) has the largest mean return over the grid and
 *    the tuning seeds (area under the learning curve), ties to the first.
 *  - eval runs (the chosen setting on the evaluation seeds) give the
 *    statistics: seeds reaching 475 (a count), the mean and the IQM (25 %
 *    trimmed mean) of the final return with percentile-bootstrap 95 %
 *    intervals (2000 resamples, a fixed stream), and the median steps to
 *    475 (the lower median, not-reached counting as infinite).
 *  - death runs give the kernel-death fraction against steps.
 * Outputs (stats.c has the statistics, cartpole_out.c the writers):
 *   TSV/cartpole-curves.tsv, cartpole-wall.tsv   12 blocks policy × estimator
 *   TSV/cartpole-seeds.tsv                        per-seed curves (12 blocks)
 *   TSV/cartpole-death.tsv                        kernel death (fixed, logit σ)
 *   TSV+TEX/cartpole-table   chosen settings and their statistics
 *   TSV+TEX/cartpole-sweep   every tuning setting
 *   TEX/cartpole-macros.tex  every number the text quotes
 * `infnum-report cartpole --choose JSON OUT.json TUNING.h5...` writes the
 * JSON object given with lr and sigma of the chosen setting (the parameters
 * of the workflow's eval runs). */
#define _POSIX_C_SOURCE 200809L
#include "cartpole_report.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const CPR_ESTS[CPR_NEST] = {"reinforce",        "ppo",         "es",
                                        "straight_through", "kernel",      "decision_flip"};
const char *const CPR_POLS[CPR_NPOL] = {"linear", "mlp"};
static const char *const PHASES[] = {"tuning", "eval", "death"};

static const char help[] =
    "usage: infnum-report cartpole --tsv-dir DIR --tex-dir DIR RESULT.h5...\n"
    "       infnum-report cartpole --choose JSON OUT.json TUNING.h5...\n\n"
    "Chooses each (estimator, policy)'s setting on its tuning runs (area under the mean\n"
    "learning curve), summarises the evaluation runs (seeds reaching 475, mean and IQM of the\n"
    "final return with bootstrap 95% intervals, median steps to 475) and the kernel-death\n"
    "runs, and writes cartpole-{curves,wall,seeds,death}.tsv, cartpole-table.tsv/.tex,\n"
    "cartpole-sweep.tsv/.tex and cartpole-macros.tex. With --choose: the JSON object given with\n"
    "lr and sigma of the chosen setting of the tuning runs given, written to OUT.json.\n";

static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

void cpr_run_free(cpr_run *r)
{
    free(r->steps);
    free(r->ret);
    free(r->wall);
    free(r->dead);
}

static int load(cpr_run *r, const char *path)
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
        rp_read_f64(&h, "curve/kernel_dead", d, &r->dead) ||
        rp_read_i64(&h, "final/steps_to_threshold", one, &solve) || rp_read_f64(&h, "final/return", one, &fin)) {
        rp_err(-1, "cartpole", "%s: %s (not an infnum-cartpole result?)", path, h.err);
        goto done;
    }
    r->est = name_index(CPR_ESTS, CPR_NEST, est);
    r->pol = name_index(CPR_POLS, CPR_NPOL, pol);
    js = cJSON_Parse(params);
    const cJSON *lr = cJSON_GetObjectItem(js, "lr"), *sg = cJSON_GetObjectItem(js, "sigma");
    const cJSON *sd = cJSON_GetObjectItem(js, "seed"), *bu = cJSON_GetObjectItem(js, "budget");
    const cJSON *ev = cJSON_GetObjectItem(js, "eval_every");
    const cJSON *ee = cJSON_GetObjectItem(js, "eval_episodes"), *hi = cJSON_GetObjectItem(js, "hidden");
    const cJSON *ph = cJSON_GetObjectItem(js, "phase"), *ss = cJSON_GetObjectItem(js, "sigma_scale");
    if (r->est < 0 || r->pol < 0 || !cJSON_IsNumber(lr) || !cJSON_IsNumber(sg) ||
        !cJSON_IsNumber(sd) || !cJSON_IsNumber(bu) || !cJSON_IsNumber(ev) || !cJSON_IsNumber(ee) ||
        !cJSON_IsNumber(hi) || !cJSON_IsString(ph) || !cJSON_IsString(ss) || r->n < 1 ||
        (r->phase = name_index(PHASES, 3, ph->valuestring)) < 0) {
        rp_err(-1, "cartpole", "%s: unexpected estimator/policy/params", path);
        goto done;
    }
    r->lr = lr->valuedouble, r->sigma = sg->valuedouble, r->seed = (int64_t)sd->valuedouble;
    r->budget = (int64_t)bu->valuedouble, r->every = (int64_t)ev->valuedouble;
    r->episodes = (int64_t)ee->valuedouble, r->hidden = (int64_t)hi->valuedouble;
    r->logit = !strcmp(ss->valuestring, "logit");
    r->solve = solve[0], r->final = fin[0], r->train_s = r->wall[r->n - 1];
    rc = 0;
done:
    if (rc) cpr_run_free(r);
    cJSON_Delete(js);
    free(est), free(pol), free(params), free(solve), free(fin);
    lcx_h5r_close(&h);
    return rc;
}

double cpr_at(const cpr_run *r, int64_t g, double *wall)
{
    int64_t i = 0;
    while (i < r->n - 1 && r->steps[i] < g) i++;
    if (wall) *wall = r->wall[i];
    return r->ret[i];
}

int64_t cpr_grid_n(const cpr_run *r) { return r->budget / r->every + 1; }

static int cmp_setting(const void *a, const void *b)
{
    const cpr_setting *x = a, *y = b;
    if (x->pol != y->pol) return x->pol - y->pol;
    if (x->est != y->est) return x->est - y->est;
    if (x->lr != y->lr) return x->lr < y->lr ? -1 : 1;
    return (x->sigma > y->sigma) - (x->sigma < y->sigma);
}

static int same_setting(const cpr_setting *s, const cpr_run *r)
{
    return s->est == r->est && s->pol == r->pol && s->lr == r->lr && s->sigma == r->sigma;
}

/* Groups the tuning runs into settings (sorted), their AUC, and the chosen
 * setting of each (estimator, policy) in d->chosen (−1: none). */
static int group(cpr_data *d)
{
    for (int i = 0; i < d->nruns; i++) {
        const cpr_run *r = &d->runs[i];
        if (r->phase != CPR_TUNING) continue;
        int s = 0;
        while (s < d->nset && !same_setting(&d->set[s], r)) s++;
        if (s == d->nset) d->set[d->nset++] = (cpr_setting){r->est, r->pol, r->lr, r->sigma, NULL, 0, 0.0};
    }
    qsort(d->set, (size_t)d->nset, sizeof *d->set, cmp_setting);
    int used = 0;
    for (int s = 0; s < d->nset; s++) {
        cpr_setting *st = &d->set[s];
        st->runs = d->pool + used;
        for (int i = 0; i < d->nruns; i++)
            if (d->runs[i].phase == CPR_TUNING && same_setting(st, &d->runs[i]))
                st->runs[st->nruns++] = i;
        used += st->nruns;
        double auc = 0;
        for (int k = 0; k < st->nruns; k++) {
            const cpr_run *r = &d->runs[st->runs[k]];
            double sum = 0;
            for (int64_t g = 0; g < cpr_grid_n(r); g++) sum += cpr_at(r, g * r->every, NULL);
            auc += sum / (double)cpr_grid_n(r);
        }
        st->auc = auc / st->nruns;
    }
    for (int k = 0; k < CPR_NEST * CPR_NPOL; k++) d->chosen[k] = -1, d->tried[k] = 0;
    for (int s = 0; s < d->nset; s++) {
        const int k = d->set[s].est * CPR_NPOL + d->set[s].pol;
        d->tried[k]++;
        if (d->chosen[k] < 0 || d->set[s].auc > d->set[d->chosen[k]].auc) d->chosen[k] = s;
    }
    /* the eval runs of each (estimator, policy), in input order */
    for (int k = 0; k < CPR_NEST * CPR_NPOL; k++) d->neval[k] = 0;
    for (int i = 0; i < d->nruns; i++) {
        const cpr_run *r = &d->runs[i];
        if (r->phase != CPR_EVAL) continue;
        const int k = r->est * CPR_NPOL + r->pol;
        if (d->neval[k] >= CPR_MAX_SEEDS) return rp_err(-1, "cartpole", "more than %d eval seeds", CPR_MAX_SEEDS);
        d->eval[k][d->neval[k]++] = i;
    }
    return 0;
}

void cpr_data_free(cpr_data *d)
{
    for (int i = 0; d->runs && i < d->nruns; i++) cpr_run_free(&d->runs[i]);
    free(d->runs), free(d->set), free(d->pool);
    memset(d, 0, sizeof *d);
}

static int load_all(cpr_data *d, char **paths, int n)
{
    memset(d, 0, sizeof *d);
    d->runs = calloc((size_t)n, sizeof *d->runs);
    d->set = calloc((size_t)n, sizeof *d->set);
    d->pool = calloc((size_t)n, sizeof *d->pool);
    if (!d->runs || !d->set || !d->pool) return rp_err(-1, "cartpole", "out of memory");
    for (int i = 0; i < n; i++, d->nruns++)
        if (load(&d->runs[i], paths[i])) return -1;
    return group(d);
}

/* --choose JSON OUT TUNING...: the JSON object with the chosen lr and sigma. */
static int choose(int argc, char **argv)
{
    if (argc < 4) return rp_err(2, "cartpole", "--choose needs JSON OUT.json TUNING.h5...");
    cpr_data d;
    cJSON *js = NULL;
    char *text = NULL;
    int rc = 1, k = -1;
    if (load_all(&d, argv + 3, argc - 3)) goto done;
    for (int i = 0; i < CPR_NEST * CPR_NPOL; i++)
        if (d.chosen[i] >= 0) {
            if (k >= 0) {
                rp_err(1, "cartpole", "--choose: tuning runs of more than one (estimator, policy)");
                goto done;
            }
            k = i;
        }
    if (k < 0) {
        rp_err(1, "cartpole", "--choose: no tuning runs");
        goto done;
    }
    if (!(js = cJSON_Parse(argv[1])) || !cJSON_IsObject(js)) {
        rp_err(2, "cartpole", "--choose: the first argument is not a JSON object");
        goto done;
    }
    const cpr_setting *s = &d.set[d.chosen[k]];
    cJSON_DeleteItemFromObject(js, "lr");
    cJSON_DeleteItemFromObject(js, "sigma");
    cJSON_AddNumberToObject(js, "lr", s->lr);
    cJSON_AddNumberToObject(js, "sigma", s->sigma);
    rp_out o;
    FILE *f = (text = cJSON_PrintUnformatted(js)) ? rp_open(&o, argv[2]) : NULL;
    if (!f) goto done;
    fprintf(f, "%s\n", text);
    rc = rp_close(&o, 1) ? 1 : 0;
done:
    free(text);
    cJSON_Delete(js);
    cpr_data_free(&d);
    return rc;
}

int rp_cartpole(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--choose")) return choose(argc - 1, argv + 1);
    rp_args a;
    int rc = rp_parse(&a, argc, argv, help);
    if (rc >= 0) return rc;
    cpr_data d;
    rc = 1;
    if (load_all(&d, a.inputs, a.ninputs) == 0 && cpr_write_all(&d, a.tsv_dir, a.tex_dir) == 0)
        rc = 0;
    cpr_data_free(&d);
    return rc;
}
