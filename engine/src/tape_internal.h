/* SPDX-License-Identifier: MIT */
/* Private to the tape's sources (tape.c, tape_mem.c, tape_real.c,
 * tape_lc.c): the node layout, the arena and pool, and the helpers the
 * recording and backward passes share. Not installed. */
#ifndef INFNUM_TAPE_INTERNAL_H
#define INFNUM_TAPE_INTERNAL_H

#include "infnum/tape.h"

#include <stddef.h>

#define BLOCK_MIN ((size_t)1 << 20)

typedef enum op {
    OP_PARAM, OP_CONST, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SCALE, OP_ADDS, OP_POW, OP_UNARY,
    OP_MAX, OP_MIN, OP_ARGMAX, OP_MATMUL, OP_LINEAR, OP_SUM, OP_MEAN, OP_XENT, OP_QUANT,
    OP_LC_FROM_REAL, OP_LC_CONST, OP_LC_COEFF, OP_LC_ADD, OP_LC_SUB, OP_LC_MUL, OP_LC_DIV,
    OP_LC_SCALE, OP_LC_SCALE_ROWS, OP_LC_GATHER, OP_LC_ADDS, OP_LC_POW, OP_LC_UNARY, OP_LC_MAX, OP_LC_MIN
} op;

/* One term of a coefficient adjoint: exponent k/den, adjoint c. */
typedef struct adj_term {
    int64_t k;
    double c;
} adj_term;

/* Sparse adjoint of an LC node: row r has terms ptr[r] .. ptr[r+1]-1, sorted. */
typedef struct adj {
    int64_t nrows, den;
    int64_t *ptr; /* NULL: no gradient reached the node */
    adj_term *t;
} adj;

struct lc_tape_node {
    op op;
    int is_lc, done;
    lc_fun fun;
    lc_var a, b, c;
    int64_t rows, cols;     /* real nodes                                */
    double *val, *grad;     /* real value; gradient (arena, lazily)      */
    double *pgrad;          /* caller's gradient buffer (parameters)     */
    double *aux;            /* softmax probabilities                     */
    const int32_t *labels;
    const int64_t *rowmap;  /* gather: source row of every row          */
    double s;               /* scalar argument                           */
    int64_t num, den;       /* coefficient selector                      */
    lc_est est;             /* estimator at record time                  */
    lc_batch lc;            /* LC value; storage kept across resets      */
    adj g;                  /* LC adjoint                                */
};

struct lc_tape_block {
    struct lc_tape_block *next;
    size_t size, used;
    max_align_t data[];
};

static inline struct lc_tape_node *N(const lc_tape *t, lc_var v) { return &t->nodes[v]; }

/* ---- tape_mem.c: arena (rewound by lc_tape_reset) and the pooled context */

/* n·size bytes from the arena (16-aligned); NULL on overflow or ENOMEM. */
void *_lc_tape_alloc(lc_tape *t, size_t n, size_t size);
/* n zeroed doubles from the arena. */
double *_lc_tape_zeros(lc_tape *t, int64_t n);
/* Zeroed row pointers (n + 1 entries) of an adjoint with n rows. */
int64_t *_lc_tape_rowptr(lc_tape *t, int64_t n);
/* Gradient buffer of real node v (arena, zeroed on first use); NULL on ENOMEM. */
double *_lc_tape_gbuf(lc_tape *t, lc_var v);
/* lc_est_deriv (bits = 0) or lc_est_quant_deriv (bits > 0, p ignored)
 * through the pooled context; a failure's message goes to t->ctx. */
lc_status _lc_tape_est_deriv(lc_tape *t, const lc_est *e, lc_prim p, int bits, const double *u, int64_t n,
                             double *d);
/* t->pool with t->ctx's current settings (its error message cleared). */
lc_ctx *_lc_tape_pool_ctx(lc_tape *t);
/* Frees the pool's kept blocks. */
void _lc_tape_pool_clear(lc_tape *t);

/* ---- tape.c: recording bookkeeping */

/* Records the first error; returns LC_VAR_NONE for the caller to pass on. */
lc_var _lc_tape_fail(lc_tape *t, lc_status s);
/* As _lc_tape_fail, with a message in ctx->err (first error only). */
lc_var _lc_tape_fail_msg(lc_tape *t, lc_status s, const char *func, const char *msg);
/* Operand check: 1 (error recorded) unless v names a node of the wanted kind. */
int _lc_tape_bad_var(lc_tape *t, lc_var v, int is_lc, const char *func);
/* Appends a node (operands a, b); returns its index or LC_VAR_NONE. */
lc_var _lc_tape_push(lc_tape *t, op o, int is_lc, lc_var a, lc_var b);
/* A real node of the given shape with an arena value. */
lc_var _lc_tape_push_real(lc_tape *t, op o, lc_var a, lc_var b, int64_t rows, int64_t cols);

/* ---- tape_real.c / tape_lc.c: values and backward of one node */

/* Real value of elementwise function f at x under ctx's conventions. */
double _lc_tape_fun_value(const lc_ctx *c, lc_fun f, double x);
/* The bits-bit quantiser q(x) = round(m·clip(x, 0, 1))/m (ties as lc_round). */
double _lc_tape_quant_value(const lc_ctx *c, int bits, double x);
/* C = alpha·op(A)·op(B) + beta·C, row-major; op = transpose when tX
 * (cblas_dgemm when available). */
void _lc_tape_gemm(int tA, int tB, int64_t m, int64_t n, int64_t k, double alpha, const double *A,
                   const double *B, double beta, double *C);
/* y = f(x) in the field. */
lc_status _lc_tape_apply(lc_ctx *c, lc_fun f, lc_batch *y, const lc_batch *x);
/* Composite estimator at jump node n (step .. round, or a quantiser): adds
 * g·reg + Σ_b ΔL(b)·κσ(u − b) to ga (the gradient of its input u; g that of
 * n, reg the primitive's regular part), ΔL(b) the jump of
 * the loss t->loss as one entry of u crosses b, the nodes between evaluated
 * in the field (tape_composite.c). */
lc_status _lc_tape_composite(lc_tape *t, const struct lc_tape_node *n, double *ga);

lc_status _lc_tape_real_backward(lc_tape *t, struct lc_tape_node *n);
lc_status _lc_tape_lc_backward(lc_tape *t, struct lc_tape_node *n);
/* Sorts each row of a raw adjoint by exponent, sums duplicates, drops zeros. */
void _lc_tape_adj_normalise(adj *g);
/* Adds the adjoint d (any denominator) into node x's adjoint. */
lc_status _lc_tape_adj_acc(lc_tape *t, struct lc_tape_node *x, const adj *d);

#endif
