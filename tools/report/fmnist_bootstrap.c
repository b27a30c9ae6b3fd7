/* SPDX-License-Identifier: MIT */
/* Bootstrap intervals for infnum-report fmnist (fmnist.h). */
#include "fmnist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static int cmp_f64(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void rp_boot_ci(const double *v, int n, double *lo, double *hi)
{
    enum { NB = 10000 };
    static double means[NB];
    uint64_t st = 0x9e3779b97f4a7c15ULL;
    if (n < 1) {
        *lo = *hi = NAN;
        return;
    }
    for (int b = 0; b < NB; b++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            sum += v[st % (uint64_t)n];
        }
        means[b] = sum / n;
    }
    qsort(means, NB, sizeof *means, cmp_f64);
    *lo = means[(int)(0.025 * NB)], *hi = means[(int)(0.975 * NB) - 1];
}

