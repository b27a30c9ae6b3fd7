/* SPDX-License-Identifier: MIT */
/* Private to the engine's sources: breakpoint sets of the jump primitives
 * (estimator.c) as the tape's composite estimator and the MLP's fast path
 * use them. Not installed. */
#ifndef INFNUM_EST_INTERNAL_H
#define INFNUM_EST_INTERNAL_H

#include "infnum/estimator.h"

/* The breakpoints b0 + k·period, kmin ≤ k ≤ kmax, of one primitive (a bare
 * jump primitive, or the k-bit quantiser q on [0, 1]), with its jump J and
 * regular part reg. */
typedef struct est_breaks {
    lc_jump_rule r;    /* the quantiser's: round's divided by m            */
    double kmin, kmax;
    double m;          /* 1, or the quantiser's m = 2^bits − 1             */
    double b0, period; /* the unscaled breakpoints (round's for quantiser)  */
} est_breaks;

/* The breaks of primitive p (bits = 0) or of the bits-bit quantiser (p
 * ignored), from e->rules or the field (lc_est_jump_rule). */
lc_status _lc_est_breaks(lc_ctx *ctx, const lc_est *e, lc_prim p, int bits, est_breaks *B);
/* How many breakpoints of B lie within the reach of e's kernel around u (8σ
 * gaussian, σ/2 uniform); they are _lc_est_break(B, *k0 + i), i = 0, 1, .... */
int64_t _lc_est_in_reach(const lc_est *e, const est_breaks *B, double u, double *k0);
/* Breakpoint k of B: (b0 + k·period)/m, the double nearest it for which m·b
 * rounds to b0 + k·period exactly (so that the field, scaling b ± ε by m,
 * lands on the breakpoint of the primitive inside). */
double _lc_est_break(const est_breaks *B, double k);

#endif
