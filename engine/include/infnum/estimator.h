/* SPDX-License-Identifier: MIT */
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
    LC_EST_CLASSICAL = 0, /* the a.e. derivative (0 for step, sign, floor, ...)        */
    LC_EST_STE,           /* identity straight-through: 1                              */
    LC_EST_STE_CLIPPED,   /* 1 on the primitive's real range (|u| ≤ 1; quantiser [0,1]) */
    LC_EST_SURROGATE,     /* derivative of a smooth stand-in (sigmoid / softplus, τ)   */
    LC_EST_KERNEL,        /* kernel surrogate: reg + J·κσ(u − b), b the nearest break  */
    LC_EST_COMPOSITE      /* Σ_b ΔL(b)·κσ(u − b): jumps of the loss, decoded on a tape */
} lc_est_kind;

typedef enum lc_kernel {
    LC_KERNEL_GAUSSIAN = 0, /* κσ(t) = exp(−t²/2σ²) / (σ√(2π))                   */
    LC_KERNEL_UNIFORM       /* κσ(t) = 1/σ for |t| ≤ σ/2, else 0 (width σ)        */
} lc_kernel;

/* The field's decoding of one jump primitive (lc_est_jump_rule): breakpoints
 * b0 + k·period (period 0: b0 alone), the jump J = st f(b+ε) − st f(b−ε) at
 * each, and the regular part reg of the derivative between breakpoints. */
typedef struct lc_jump_rule {
    double b0, period, J, reg;
} lc_jump_rule;

typedef struct lc_est {
    lc_est_kind kind;
    double tau;       /* surrogate temperature τ > 0 (default 1)                 */
    lc_kernel kernel; /* kernel / composite kernel (default gaussian)            */
    double sigma;     /* kernel / composite kernel width σ > 0 (default 1)       */
    /* NULL (default): J, b and reg are asked of the field (once per call of
     * lc_est_deriv). Otherwise rules[p] for jump primitive p (LC_PRIM_STEP ..
     * LC_PRIM_ROUND) is used as given: the ablation of the field's part. */
    const lc_jump_rule *rules;
} lc_est;

/* Sets e to kind with the defaults above. */
void lc_est_init(lc_est *e, lc_est_kind kind);
/* LC_OK if e is usable (known kind and kernel, τ and σ positive and finite,
 * rules — if given — finite with period ≥ 0); LC_EINVAL with a message
 * otherwise. */
lc_status lc_est_check(lc_ctx *ctx, const lc_est *e);
/* Parses an estimator spec: a name ("classical", "ste", "ste_clipped",
 * "surrogate", "kernel", "composite"; "nonstandard" is accepted as the
 * former name of "kernel") optionally followed by ':' and comma-separated
 * settings "tau=0.5", "sigma=0.25", "kernel=gaussian|uniform", e.g.
 * "composite:kernel=gaussian,sigma=0.5". LC_EINVAL with a message naming
 * the offending word; e is unchanged on failure. */
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

/* The field's rule for jump primitive p (LC_PRIM_STEP .. LC_PRIM_ROUND):
 * b0 and J from lc_disc_jump at one point, the period from a second, reg
 * from lc_ngrad_decode between breakpoints. LC_EINVAL for a kink; r is
 * unchanged on failure. Allocates through ctx (the core calls). */
lc_status lc_est_jump_rule(lc_ctx *ctx, lc_prim p, lc_jump_rule *r);

/* d[i] = the estimator's derivative of primitive p at u[i], i < n (d may not
 * alias u). Jump primitives, with J, b and reg from the primitive's rule
 * (e->rules, or lc_est_jump_rule once per call): classical 0; ste 1;
 * ste_clipped 1[|u| ≤ 1]; surrogate J·s'((u−b)/τ)/τ (s the logistic
 * sigmoid); kernel reg + J·κσ(u − b), b the breakpoint nearest u;
 * composite reg + Σ_b J·κσ(u − b) over every breakpoint within the kernel's
 * reach (8σ gaussian, σ/2 uniform) — the composite of the primitive alone;
 * on a tape the composite uses the jumps of the loss instead (tape.h).
 * Kinks: surrogate gives sigmoid(u/τ) (relu) or tanh(u/2τ) (abs); every
 * other estimator the a.e. derivative with the field's mean ½(f'(0⁻)+f'(0⁺))
 * at the kink. Allocates nothing itself; the rule's core calls allocate
 * through ctx (the tape routes them through its pooled context, so a
 * repeated step does not). Deterministic. On failure d's contents are
 * unspecified. */
lc_status lc_est_deriv(lc_ctx *ctx, const lc_est *e, lc_prim p, const double *u, int64_t n,
                       double *d);
/* As lc_est_deriv for the bits-bit quantiser on [0, 1] taken as one
 * primitive, q(u) = round(m·clip(u, 0, 1))/m, m = 2^bits − 1 (1 ≤ bits ≤ 24):
 * its breakpoints are round's inside [0, m] divided by m, its jump round's
 * J/m; ste_clipped passes 1 on the quantiser's real range 0 ≤ u ≤ 1. */
lc_status lc_est_quant_deriv(lc_ctx *ctx, const lc_est *e, int bits, const double *u, int64_t n, double *d);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop
#endif
