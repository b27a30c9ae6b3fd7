/* SPDX-License-Identifier: MIT */
/* Fashion-MNIST splits as the engine wants them: standardised floats and
 * int labels (data.c), shared by infnum-fmnist and infnum-fmnist-fidelity. */
#ifndef INFNUM_FMNIST_DATA_H
#define INFNUM_FMNIST_DATA_H

#include "idx.h"

#include <stdint.h>

typedef struct fdata {
    int64_t n;
    float *x;
    int32_t *y;
} fdata;

void fdata_clear(fdata *d);
/* Rows [from, from+n) of s into d, standardised per pixel with mean/sd;
 * -1 when out of memory. */
int fdata_make(fdata *d, const fm_split *s, int64_t from, int64_t n, const double *mean, const double *sd);
/* Per-pixel mean and standard deviation of rows [0, n) (sd 1 where constant). */
void pixel_stats(const fm_split *s, int64_t n, double *mean, double *sd);

#endif
