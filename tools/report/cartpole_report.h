/* SPDX-License-Identifier: MIT */
/* infnum-report cartpole internals: the runs and settings of cartpole.c,
 * the statistics of cartpole_stats.c and the writers of cartpole_out.c. */
#ifndef INFNUM_CARTPOLE_REPORT_H
#define INFNUM_CARTPOLE_REPORT_H

#include "report.h"

#include <stdint.h>

#define CPR_NEST 6
#define CPR_NPOL 2
#define CPR_MAX_SEEDS 256
extern const char *const CPR_ESTS[CPR_NEST]; /* infnum-cartpole's estimator names */
extern const char *const CPR_POLS[CPR_NPOL];

enum { CPR_TUNING = 0, CPR_EVAL = 1, CPR_DEATH = 2 };

typedef struct cpr_run {
    int est, pol, phase, logit; /* logit: sigma_scale = logit */
    double lr, sigma, final, train_s;
    int64_t seed, budget, every, n, solve, episodes, hidden;
    int64_t *steps;
    double *ret, *wall, *dead;
} cpr_run;

typedef struct cpr_setting {
    int est, pol;
    double lr, sigma;
    int *runs; /* indices of its tuning runs */
    int nruns;
    double auc;
} cpr_setting;

typedef struct cpr_data {
    cpr_run *runs;
    int nruns;
    cpr_setting *set; /* tuning settings, sorted by policy, estimator, lr, sigma */
    int nset;
    int *pool;
    int chosen[CPR_NEST * CPR_NPOL]; /* index est·NPOL + pol → setting, −1: none */
    int tried[CPR_NEST * CPR_NPOL];  /* settings tried */
    int eval[CPR_NEST * CPR_NPOL][CPR_MAX_SEEDS], neval[CPR_NEST * CPR_NPOL];
} cpr_data;

void cpr_run_free(cpr_run *r);
void cpr_data_free(cpr_data *d);
/* Return of run r at grid step g: the first evaluation at or after g (its
 * training time in *wall, may be NULL). */
double cpr_at(const cpr_run *r, int64_t g, double *wall);
/* Points of r's grid 0, every, ..., budget. */
int64_t cpr_grid_n(const cpr_run *r);

/* Statistics of n values x (n ≥ 1): *mean, the IQM (mean of the middle half
 * after dropping ⌊n/4⌋ from each end) and their percentile-bootstrap 95 %
 * intervals (2000 resamples from a fixed xorshift stream: deterministic). */
typedef struct cpr_stats {
    double mean, mean_lo, mean_hi, iqm, iqm_lo, iqm_hi;
} cpr_stats;
int cpr_stats_of(const double *x, int n, cpr_stats *s);
/* The lower median of n step counts, −1 (not reached) counting as infinite;
 * −1 when the median seed did not reach. */
int64_t cpr_median_steps(const int64_t *steps, int n);

/* Every output of `infnum-report cartpole`. */
int cpr_write_all(const cpr_data *d, const char *tsv_dir, const char *tex_dir);

#endif
