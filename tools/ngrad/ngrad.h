/* SPDX-License-Identifier: MIT */
/* infnum-ngrad internals: the picture (plot.c). */
#ifndef INFNUM_NGRAD_H
#define INFNUM_NGRAD_H

#include "infnum/expr.h"

/* What to draw: f on [from, to] with samples points, to path (.svg or .png). */
typedef struct ng_plot {
    const char *path, *text;
    double from, to;
    int64_t samples;
} ng_plot;

/* Draws f (its value at the samples, broken at the jumps), the regular part
 * of its derivative and its point masses (arrows from 0 whose height is the
 * weight) with gnuplot into p->path, written under a temporary name and
 * renamed when complete. Prints the point masses found on stdout. Returns 0,
 * or 1 with a message on stderr (nothing is left at p->path). */
int ng_plot_draw(lc_ctx *ctx, lc_expr *f, const ng_plot *p);

#endif
