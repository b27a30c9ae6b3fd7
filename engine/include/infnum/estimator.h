/*
 * infnum — gradient estimators for discontinuous primitives (step, sign,
 * floor, ceil, round) and kinks (abs, relu): the backward rules the tape
 * (infnum/tape.h) applies, also callable on their own. Formulas in
 * docs/estimators.md.
 */
#ifndef INFNUM_ESTIMATOR_H
#define INFNUM_ESTIMATOR_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include "infnum/infnum.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------------- estimators */

typedef enum lc_est_kind {
    LC_EST_CLASSICAL = 0, /* the a.e. derivative (0 for step, sign, floor, ...)       */
    LC_EST_STE,           /* identity straight-through: 1                             */
    LC_EST_STE_CLIPPED,   /* 1[|u| ≤ 1]                                               */
    LC_EST_SURROGATE,     /* derivative of a smooth stand-in (sigmoid / softplus, τ)  */
    LC_EST_NONSTANDARD    /* regular part + J·κσ(u − b), J and b from the field       */
} lc_est_kind;

typedef enum lc_kernel {
    LC_KERNEL_GAUSSIAN = 0, /* κσ(t) = exp(−t²/2σ²) / (σ√(2π))                   */
    LC_KERNEL_UNIFORM       /* κσ(t) = 1/σ for |t| ≤ σ/2, else 0 (width σ)        */
} lc_kernel;

typedef struct lc_est {
    lc_est_kind kind;
    double tau;       /* surrogate temperature τ > 0 (default 1)           */
    lc_kernel kernel; /* nonstandard kernel (default gaussian)             */
    double sigma;     /* nonstandard kernel width σ > 0 (default 1)        */
} lc_est;

/* Sets e to kind with the defaults above. */
void lc_est_init(lc_est *e, lc_est_kind kind);
/* LC_OK if e is usable (known kind and kernel, τ and σ positive and finite);
 * LC_EINVAL with a message otherwise. */
lc_status lc_est_check(lc_ctx *ctx, const lc_est *e);
/* Parses an estimator spec: a name ("classical", "ste", "ste_clipped",
 * "surrogate", "nonstandard") optionally followed by ':' and comma-separated
 * settings "tau=0.5", "sigma=0.25", "kernel=gaussian|uniform", e.g.
 * "nonstandard:kernel=uniform,sigma=1". LC_EINVAL with a message naming the
 * offending word; e is unchanged on failure. */
lc_status lc_est_from_name(lc_ctx *ctx, const char *spec, lc_est *e);
/* Name of an estimator kind ("ste_clipped"); "?" for an unknown value. */
const char *lc_est_name(lc_est_kind kind);
/* Parses "gaussian" / "uniform". LC_EINVAL otherwise. */
lc_status lc_kernel_from_name(lc_ctx *ctx, const char *name, lc_kernel *k);
/* κσ(t) as defined above (σ > 0; returns 0 for σ ≤ 0 or NaN input). */
double lc_kernel_eval(lc_kernel k, double sigma, double t);

/* The primitives an estimator differentiates. Jump primitives share the
 * order of lc_disc; kinks are continuous with a jump in the derivative. */
typedef enum lc_prim {
    LC_PRIM_STEP = 0, /* = LC_DISC_STEP  */
    LC_PRIM_SIGN,     /* = LC_DISC_SIGN  */
    LC_PRIM_FLOOR,    /* = LC_DISC_FLOOR */
    LC_PRIM_CEIL,     /* = LC_DISC_CEIL  */
    LC_PRIM_ROUND,    /* = LC_DISC_ROUND */
    LC_PRIM_ABS,      /* kink at 0       */
    LC_PRIM_RELU      /* kink at 0       */
} lc_prim;

/* d[i] = the estimator's derivative of primitive p at u[i], i < n (d may not
 * alias u). Jump primitives: classical 0; ste 1; ste_clipped 1[|u| ≤ 1];
 * surrogate J·σ'((u−b)/τ)/τ; nonstandard reg(u) + J·κσ(u − b), where b is the
 * breakpoint nearest u and J the jump there, both from lc_disc_jump, and reg
 * the regular part from lc_ngrad_decode (the field). Kinks: surrogate gives
 * sigmoid(u/τ) (relu) or tanh(u/2τ) (abs); every other estimator the a.e.
 * derivative with the field's mean ½(f'(0⁻)+f'(0⁺)) at the kink.
 * Allocates nothing itself (chunks of 1024 on the stack); the core calls of
 * surrogate and nonstandard (two per chunk) allocate through ctx; the tape
 * routes them through its pooled context, so a repeated step does not.
 * Deterministic. On failure d's contents are unspecified. */
lc_status lc_est_deriv(lc_ctx *ctx, const lc_est *e, lc_prim p, const double *u, int64_t n,
                       double *d);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop
#endif
