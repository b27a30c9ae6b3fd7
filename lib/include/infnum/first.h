/* SPDX-License-Identifier: MIT */
/*
 * infnum — first-order forward mode over P directions (lib/src/first.c).
 *
 * Forward mode at one point x over P directions v_j evaluates f on the P
 * numbers x + v_j·ε + O(ε²): rows a + b_j·ε + O(ε²) that share their
 * standard part a. An lc_fo holds them in that layout — a once, b_0..b_{P-1}
 * contiguous — so an operation is one pass over P doubles (no exponents,
 * no row offsets, no per-row bound). Row j of an lc_fo is the Levi-Civita
 * number a + b_j ε + O(ε²) (den 1, bound 2; a zero coefficient is no
 * term), and every operation gives the general path's result on those rows
 * truncated at O(ε²) (lc_fo_to_batch, tests/lib/test_first.c): the same
 * terms and bounds, and ε⁰ and ε¹ coefficients within 1e-13 relative (the
 * same formulas, rounded in another order), for ctx->depth ≥ 2 (the series
 * keep ε¹; the default depth is 8).
 *
 * Memory goes through the context's hooks; out may alias an input; on
 * failure out is unchanged (each op writes into out's spare array and swaps
 * it in only when every value is finite).
 */
#ifndef INFNUM_FIRST_H
#define INFNUM_FIRST_H

#include "infnum/infnum.h"

#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lc_fo {
    int64_t P;     /* directions                          */
    double a;      /* the shared standard part            */
    double *b;     /* P ε coefficients, one per direction */
    double *spare; /* P doubles: the next result          */
    int64_t cap;   /* doubles allocated in b and spare    */
} lc_fo;

/* An empty lc_fo (P = 0). Allocates nothing. */
void lc_fo_init(lc_fo *x);
/* Frees x's storage and leaves it empty. */
void lc_fo_clear(lc_ctx *ctx, lc_fo *x);
/* x = a + b_j ε over P ≥ 1 directions (b == NULL: every b_j = 0, a
 * constant). LC_EINVAL for P < 1 or a value that is not finite. */
lc_status lc_fo_set(lc_ctx *ctx, lc_fo *x, int64_t P, double a, const double *b);
/* x = a + ε in direction j only (b_j = 1, the others 0): an independent
 * variable. LC_EINVAL unless 0 ≤ j < P and a is finite. */
lc_status lc_fo_seed(lc_ctx *ctx, lc_fo *x, int64_t P, double a, int64_t j);

/* Binary operations: x and y have the same P (LC_ESHAPE otherwise). Every
 * operation fails with LC_EOVERFLOW when a result is not finite. */
lc_status lc_fo_add(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y);
lc_status lc_fo_sub(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y);
lc_status lc_fo_mul(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y);
/* x / y; LC_EDIVZERO when y's standard part is 0 (1/y is then infinite or
 * undefined, not first order). */
lc_status lc_fo_div(lc_ctx *ctx, lc_fo *out, const lc_fo *x, const lc_fo *y);
/* out = s·x + t (s, t real). */
lc_status lc_fo_affine(lc_ctx *ctx, lc_fo *out, const lc_fo *x, double s, double t);
/* |x| by the field's order, row by row x or −x by its sign (a, then b_j):
 * s·x with s = sign(a) when a ≠ 0, |b_j| ε when a = 0. LC_EUNDEF (as lc_abs)
 * when a = 0 and some b_j = 0: that row is O(ε²), its sign unknown. */
lc_status lc_fo_abs(lc_ctx *ctx, lc_fo *out, const lc_fo *x);
/* Elementary functions: f(a) + f'(a)·b_j ε. */
lc_status lc_fo_exp(lc_ctx *ctx, lc_fo *out, const lc_fo *x);
lc_status lc_fo_sin(lc_ctx *ctx, lc_fo *out, const lc_fo *x);
lc_status lc_fo_cos(lc_ctx *ctx, lc_fo *out, const lc_fo *x);
lc_status lc_fo_tanh(lc_ctx *ctx, lc_fo *out, const lc_fo *x);

/* The P rows a + b_j ε + O(ε²) as a batch (out's storage types kept, den
 * 1, bound 2). */
lc_status lc_fo_to_batch(lc_ctx *ctx, lc_batch *out, const lc_fo *x);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif /* INFNUM_FIRST_H */
