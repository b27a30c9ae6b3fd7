/* SPDX-License-Identifier: MIT */
/* infnum-report fmnist internals shared by fmnist.c and fmnist_fidelity.c. */
#ifndef INFNUM_REPORT_FMNIST_H
#define INFNUM_REPORT_FMNIST_H

/* Reads an infnum-fmnist-fidelity result and writes TSV/fmnist-fidelity.tsv
 * (gnuplot blocks per depth × estimator at the last checkpoint: sigma,
 * cosine, relative bias, relative variance, MC standard error),
 * TSV/fmnist-hist.tsv (|u − b|/σ histogram per checkpoint) and
 * TEX/fmnist-fidelity.tex (every row). 0, or -1 with a message. */
int rp_fmnist_fidelity(const char *path, const char *tsv_dir, const char *tex_dir);

/* Deterministic bootstrap: *lo, *hi = the 2.5 % and 97.5 % percentiles of
 * the mean of v[0..n-1] over 10,000 resamples with replacement (a fixed
 * xorshift stream, so the same data give the same interval); NaN for n < 1. */
void rp_boot_ci(const double *v, int n, double *lo, double *hi);

#endif
