/* SPDX-License-Identifier: MIT */
/*
 * infnum — reverse mode (a tape) and gradient estimators for discontinuous
 * primitives.
 *
 * The tape records batched operations on real tensors (row-major double
 * matrices) and on Levi-Civita batches, then returns the gradient of a real
 * scalar (a loss, or one chosen coefficient of a Levi-Civita result) with
 * respect to real parameters.
 *
 *   lc_tape t; lc_tape_init(&t, &ctx);
 *   lc_var x = lc_tape_param(&t, xval, xgrad, n, 1);
 *   lc_var y = lc_tape_add(&t, x, lc_tape_unary(&t, LC_FUN_ROUND, x)); // x + round(x)
 *   lc_var L = lc_tape_sum(&t, y);
 *   lc_tape_backward(&t, L);            // xgrad += dL/dx under t.est
 *   lc_tape_reset(&t);                  // next step: memory kept, no allocation
 *
 * Errors are sticky: a recording function that fails returns LC_VAR_NONE,
 * stores the status (lc_tape_status) and the message in ctx->err; every later
 * recording returns LC_VAR_NONE and lc_tape_backward returns that status.
 * Nothing is half-written in caller buffers. lc_tape_reset clears the error.
 *
 * Discontinuous primitives on real tensors (step, sign, floor, ceil, round,
 * the quantiser; kinks abs, relu, max, min) take their backward rule from the
 * estimator the tape held when they were recorded (t->est, see
 * lc_tape_set_est); formulas in docs/estimators.md. Under the composite
 * estimator a jump node f(u) sends u the chain-rule term g·reg plus, for
 * every entry u_i and every breakpoint b of f within the kernel's reach,
 * ΔL·κσ(u_i − b), where ΔL = st L(u_i = b+ε) − st L(u_i = b−ε) is the jump
 * of the loss: every node between u and the loss is evaluated again in the
 * field with that one entry moved to b ± ε (later jumps, ties and nested
 * jumps decided by the field's order). This replay handles elementwise ops,
 * max/min, the quantiser, sums and means on Levi-Civita values; linear,
 * matmul, argmax and cross-entropy nodes take exact real inputs there (as
 * behind piecewise-constant activations) and fail with LC_EINVAL otherwise.
 * It costs one evaluation of the downstream graph per entry and breakpoint:
 * the MLP of <infnum/nn.h> has a fast path computing the same numbers. On Levi-Civita batches every op is differentiated with
 * respect to the coefficients (see "Levi-Civita ops" below).
 *
 * Memory: the tape owns an arena of blocks; lc_tape_reset rewinds it, so
 * re-recording the same sequence of ops allocates nothing. All allocation
 * goes through the context given to lc_tape_init. A tape is used by one
 * thread at a time.
 */
#ifndef INFNUM_TAPE_H
#define INFNUM_TAPE_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include "infnum/infnum.h"
#include "infnum/estimator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------------------- tape */

/* A node of the tape; LC_VAR_NONE marks a failed recording. */
typedef int32_t lc_var;
#define LC_VAR_NONE ((lc_var)-1)

/* Elementwise functions, for lc_tape_unary (real) and lc_tape_lc_unary (LC). */
typedef enum lc_fun {
    LC_FUN_NEG = 0,
    LC_FUN_EXP,
    LC_FUN_LOG,
    LC_FUN_SIN,
    LC_FUN_COS,
    LC_FUN_TANH,
    LC_FUN_SIGMOID,
    LC_FUN_SOFTPLUS,
    LC_FUN_SQRT,
    LC_FUN_RECIP,
    LC_FUN_ABS,   /* kink: estimator (real) / branch by the order (LC)          */
    LC_FUN_RELU,  /* kink: estimator (real) / branch by the order (LC)          */
    LC_FUN_STEP,  /* jump: estimator (real) / zero gradient (LC: exact output)  */
    LC_FUN_SIGN,
    LC_FUN_FLOOR,
    LC_FUN_CEIL,
    LC_FUN_ROUND
} lc_fun;

struct lc_tape_node;
struct lc_tape_block;

/* Fields are private except est, which may be set directly (or through
 * lc_tape_set_est) between recordings. */
typedef struct lc_tape {
    lc_ctx *ctx;
    lc_est est;                   /* estimator for primitives recorded next */
    lc_status status;             /* first error since the last reset       */
    struct lc_tape_node *nodes;
    int32_t nnodes, node_cap;
    struct lc_tape_block *blocks; /* arena: list of blocks, kept on reset   */
    struct lc_tape_block *cur;
    lc_var loss;                  /* the loss of the running backward pass  */
    /* Context for the core calls of the estimators during backward: its
     * allocations come from size-class bins that are kept and reused, so a
     * repeated step allocates nothing through ctx. */
    lc_ctx pool;
    void *bins[64];
} lc_tape;

/* Empty tape on ctx (classical estimator). Allocates nothing. */
void lc_tape_init(lc_tape *t, lc_ctx *ctx);
/* Frees everything the tape owns (Levi-Civita values included). */
void lc_tape_clear(lc_tape *t);
/* Forgets every node and the sticky error; keeps the memory for reuse. */
void lc_tape_reset(lc_tape *t);
/* The first error since the last reset (LC_OK if none). */
lc_status lc_tape_status(const lc_tape *t);
/* t->est = *e (validated by lc_est_check; est unchanged on failure). */
lc_status lc_tape_set_est(lc_tape *t, const lc_est *e);

/* Gradient of the real 1×1 node loss (seed 1) with respect to every node
 * recorded before it. Parameter gradients are ADDED to the caller's grad
 * buffers (zero them first); the gradient of any real node can be read with
 * lc_tape_grad. May be called once per recording (LC_EINVAL on a second
 * call before lc_tape_reset). */
lc_status lc_tape_backward(lc_tape *t, lc_var loss);

/* Value and shape of a real node (NULL for a bad or LC node). */
const double *lc_tape_value(const lc_tape *t, lc_var v, int64_t *rows, int64_t *cols);
/* Gradient of a real node after lc_tape_backward (NULL before, or if no
 * gradient reached it: then it is zero). */
const double *lc_tape_grad(const lc_tape *t, lc_var v);
/* Value of a Levi-Civita node (NULL for a bad or real node). */
const lc_batch *lc_tape_lc_value(const lc_tape *t, lc_var v);

/* ---- real tensors: row-major rows×cols doubles. Shapes are checked at
 * record time (LC_ESHAPE). Binary ops take operands of the same shape, or b
 * a 1×cols row (broadcast over rows), or b 1×1 (broadcast everywhere).
 * Elementwise results must be finite: log(0), 1/0, sqrt(−1) or an overflow
 * fail with LC_EDOMAIN naming the entry. */

/* A trainable parameter: val and grad are caller-owned rows×cols arrays that
 * must outlive the recording; backward adds dL/dval into grad. */
lc_var lc_tape_param(lc_tape *t, double *val, double *grad, int64_t rows, int64_t cols);
/* A constant; val must outlive the recording (not copied). */
lc_var lc_tape_const(lc_tape *t, const double *val, int64_t rows, int64_t cols);
/* A constant copied (and widened) from float data into the arena. */
lc_var lc_tape_const_f32(lc_tape *t, const float *val, int64_t rows, int64_t cols);

lc_var lc_tape_add(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_sub(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_mul(lc_tape *t, lc_var a, lc_var b); /* elementwise */
lc_var lc_tape_div(lc_tape *t, lc_var a, lc_var b); /* elementwise */
lc_var lc_tape_scale(lc_tape *t, lc_var a, double s);
lc_var lc_tape_add_scalar(lc_tape *t, lc_var a, double s);
/* a^r elementwise (r real; backward r·a^(r−1)). */
lc_var lc_tape_pow(lc_tape *t, lc_var a, double r);
/* Elementwise f(a); jumps and kinks use the estimator recorded with them. */
lc_var lc_tape_unary(lc_tape *t, lc_fun f, lc_var a);
/* max/min elementwise (kinks: max(a,b) = b + relu(a−b), min = a − relu(a−b)). */
lc_var lc_tape_max(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_min(lc_tape *t, lc_var a, lc_var b);
/* k-bit quantiser on [0, 1]: q(a) = round(m·clip(a, 0, 1)) / m, m = 2^bits − 1,
 * 1 ≤ bits ≤ 24; one jump primitive (breakpoints (k + ½)/m inside [0, 1],
 * jumps 1/m), differentiated by lc_est_quant_deriv. */
lc_var lc_tape_quant(lc_tape *t, lc_var a, int bits);
/* Hard argmax, one-hot per row: y[i][j] = 1 at the first greatest entry of
 * row i (cols ≥ 2), 0 elsewhere. Backward: the composition
 * y_j = step(u_j), u_j = a_j − max_{k≠j} a_k, under the estimator:
 * g_{a_j} += g_j·d(u_j) and g_{a_k*} −= g_j·d(u_j), k* = argmax of the others. */
lc_var lc_tape_argmax(lc_tape *t, lc_var a);
/* Matrix product a (m×k) · b (k×n), through cblas_dgemm when available. */
lc_var lc_tape_matmul(lc_tape *t, lc_var a, lc_var b);
/* Dense layer: x (n×in) · wᵀ (w: out×in) + bias (1×out, or LC_VAR_NONE). */
lc_var lc_tape_linear(lc_tape *t, lc_var x, lc_var w, lc_var bias);
/* Sum / mean of all entries (1×1). */
lc_var lc_tape_sum(lc_tape *t, lc_var a);
lc_var lc_tape_mean(lc_tape *t, lc_var a);
/* Mean softmax cross-entropy of logits (n×k) against labels[i] in [0, k)
 * (labels must outlive the recording; LC_EINVAL for a label out of range).
 * Numerically stable (log-sum-exp). 1×1. */
lc_var lc_tape_softmax_xent(lc_tape *t, lc_var logits, const int32_t *labels);

/* ---- Levi-Civita ops. A node holds an lc_batch (LC_F64, LC_I64 storage);
 * its gradient is a sparse map over exponents (coefficient adjoints). For
 * y = F(x) the adjoint is that of multiplication by F'(x) computed in the
 * field: g_x(q) = Σ_k g_y(q_k)·[ε^{q_k − q}] F'(x), evaluated for exponents
 * q from min(L_x, 0) up to (excluding) x's bound, so coefficients that are
 * absent (zero) still receive their partial derivative. Coefficients of
 * F'(x) beyond its bound are unknown and contribute nothing (raise
 * ctx->depth if that matters). abs/relu/max/min follow the branch chosen by
 * the order; sign, step, floor, ceil, round have exact real outputs that do
 * not depend on the coefficients: zero gradient (documented, not an error).
 * lc_argmax (integer output) is not differentiable and not a tape op. */

/* Rows x[i] + v[i]·ε from real nodes x and v (same number of entries, taken
 * in row-major order; v = LC_VAR_NONE means v[i] = 1). Gradients: x[i]
 * receives the adjoint of the ε⁰ coefficient, v[i] that of ε¹. */
lc_var lc_tape_lc_from_real(lc_tape *t, lc_var x, lc_var v);
/* A constant batch (copied). */
lc_var lc_tape_lc_const(lc_tape *t, const lc_batch *b);
/* Real n×1 node: coefficient of ε^{num/den} of every row (LC_EUNDEF at or
 * beyond a row's bound). Use num = den for the ε⁰ coefficient of ngrad
 * (= the ε¹ coefficient of f(x + ε)). */
lc_var lc_tape_lc_coeff(lc_tape *t, lc_var a, int64_t num, int64_t den);
lc_var lc_tape_lc_add(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_lc_sub(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_lc_mul(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_lc_div(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_lc_scale(lc_tape *t, lc_var a, double s);
lc_var lc_tape_lc_add_real(lc_tape *t, lc_var a, double s);
/* Row r times the real s[r] (s: a real node with one entry per row);
 * gradients to both (g_s[r] = Σ_q g_y(q)·a_r(q)). */
lc_var lc_tape_lc_scale_rows(lc_tape *t, lc_var a, lc_var s);
/* Rows idx[0..n-1] of a (lc_batch_gather; idx copied); gradients are
 * scattered back (added) to the rows selected. */
lc_var lc_tape_lc_gather(lc_tape *t, lc_var a, const int64_t *idx, int64_t n);
/* a^r (r real, through lc_pow: integers and dyadic rationals exactly). */
lc_var lc_tape_lc_pow(lc_tape *t, lc_var a, double r);
lc_var lc_tape_lc_unary(lc_tape *t, lc_fun f, lc_var a);
lc_var lc_tape_lc_max(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_lc_min(lc_tape *t, lc_var a, lc_var b);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif /* INFNUM_TAPE_H */
