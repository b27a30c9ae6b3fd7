/* SPDX-License-Identifier: MIT */
/* Statistics of infnum-report cartpole: IQM, mean, percentile-bootstrap
 * intervals and the median steps to threshold (cartpole_report.h). */
#include "cartpole_report.h"

#include <stdlib.h>
#include <string.h>

static int cmp_f64(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Mean and IQM of n values, sorted in place. */
static void mean_iqm(double *x, int n, double *mean, double *iqm)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    *mean = s / n;
    qsort(x, (size_t)n, sizeof *x, cmp_f64);
    const int cut = n / 4;
    s = 0;
    for (int i = cut; i < n - cut; i++) s += x[i];
    *iqm = s / (n - 2 * cut);
}

#define CPR_BOOT 2000

int cpr_stats_of(const double *x, int n, cpr_stats *st)
{
    if (n < 1) return -1;
    double *w = malloc(sizeof *w * (size_t)(n + 2 * CPR_BOOT));
    if (!w) return rp_err(-1, "cartpole", "out of memory");
    double *bm = w + n, *bi = bm + CPR_BOOT;
    memcpy(w, x, sizeof *w * (size_t)n);
    mean_iqm(w, n, &st->mean, &st->iqm);
    uint64_t r = 0x2545F4914F6CDD1DULL; /* xorshift64*, fixed seed */
    for (int b = 0; b < CPR_BOOT; b++) {
        for (int i = 0; i < n; i++) {
            r ^= r >> 12, r ^= r << 25, r ^= r >> 27;
            w[i] = x[(r * 0x2545F4914F6CDD1DULL >> 11) % (uint64_t)n];
        }
        mean_iqm(w, n, &bm[b], &bi[b]);
    }
    qsort(bm, CPR_BOOT, sizeof *bm, cmp_f64);
    qsort(bi, CPR_BOOT, sizeof *bi, cmp_f64);
    const int lo = (int)(0.025 * CPR_BOOT), hi = (int)(0.975 * CPR_BOOT) - 1;
    st->mean_lo = bm[lo], st->mean_hi = bm[hi];
    st->iqm_lo = bi[lo], st->iqm_hi = bi[hi];
    free(w);
    return 0;
}

int64_t cpr_median_steps(const int64_t *steps, int n)
{
    int64_t st[CPR_MAX_SEEDS];
    if (n < 1 || n > CPR_MAX_SEEDS) return -1;
    for (int i = 0; i < n; i++) st[i] = steps[i] >= 0 ? steps[i] : INT64_MAX;
    qsort(st, (size_t)n, sizeof *st, rp_cmp_i64);
    const int64_t m = st[(n - 1) / 2];
    return m == INT64_MAX ? -1 : m;
}
