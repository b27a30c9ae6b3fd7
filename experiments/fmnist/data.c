/* SPDX-License-Identifier: MIT */
/* Fashion-MNIST splits for the engine (data.h). */
#include "data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fdata_clear(fdata *d)
{
    free(d->x);
    free(d->y);
    memset(d, 0, sizeof *d);
}

/* Rows [from, from+n) of s into d, standardised per pixel with mean/sd. */
int fdata_make(fdata *d, const fm_split *s, int64_t from, int64_t n, const double *mean,
                      const double *sd)
{
    int64_t dim = s->rows * s->cols;
    d->n = n;
    d->x = malloc((size_t)(n * dim) * sizeof *d->x);
    d->y = malloc((size_t)n * sizeof *d->y);
    if (!d->x || !d->y) return -1;
    for (int64_t i = 0; i < n; i++) {
        const uint8_t *p = s->images + (from + i) * dim;
        for (int64_t j = 0; j < dim; j++) d->x[i * dim + j] = (float)((p[j] - mean[j]) / sd[j]);
        d->y[i] = s->labels[from + i];
    }
    return 0;
}

/* Per-pixel mean and standard deviation of rows [0, n) (sd 1 where constant). */
void pixel_stats(const fm_split *s, int64_t n, double *mean, double *sd)
{
    int64_t dim = s->rows * s->cols;
    for (int64_t j = 0; j < dim; j++) {
        double m = 0, q = 0;
        for (int64_t i = 0; i < n; i++) m += s->images[i * dim + j];
        m /= (double)n;
        for (int64_t i = 0; i < n; i++) {
            double t = s->images[i * dim + j] - m;
            q += t * t;
        }
        q = sqrt(q / (double)n);
        mean[j] = m, sd[j] = q > 1e-6 ? q : 1.0;
    }
}

