/* SPDX-License-Identifier: MIT */
/*
 * infnum — the expression layer: write f once as text, get a compiled plan
 * that runs on whole batches and plugs in wherever an lc_fn / lc_fn_vec is
 * expected (lc_ngrad, lc_ngrad_vec, lc_nderiv, lc_ngrad_decode).
 *
 *   lc_expr *f;
 *   lc_expr_compile(&ctx, &f, "x*sin(x) + step(x-1) + round(2*x)/2", "x");
 *   lc_ngrad(&ctx, &g, lc_expr_fn, f, x, n);
 *
 * Grammar (whitespace anywhere between tokens):
 *   expr  := term (('+' | '-') term)*
 *   term  := unary (('*' | '/') unary)*
 *   unary := ('-' | '+') unary | power
 *   power := atom (('^' | '**') unary)?        right-associative; -x^2 = -(x^2)
 *   atom  := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 * Numbers are decimal (1, 0.5, .5, 2e-3). Names: the variables given to
 * lc_expr_compile, the constants pi and eps (also ε, the infinitesimal), and
 * the functions
 *   sqrt exp log sin cos tanh sigmoid softplus          (series, ctx->depth)
 *   abs (fabs) relu step sign floor ceil round          (ctx->h0, sign0, round_tie)
 *   max (fmax) min (fmin) pow(a, b)                     (two arguments)
 * and, by their definitions in those, tan sinh cosh exp2 expm1 log2 log10
 * log1p cbrt trunc (sign(a)·floor(|a|)), hypot(a, b) and fmod(a, b)
 * (a − b·trunc(a/b)). a^b with b a number is lc_pow_si (an integer),
 * lc_pow_q (an exact rational such as 1/3) or lc_pow; otherwise
 * exp(b·log a). Each operation is the library's batch operation of the same
 * name, so the values and the conventions (H(0), sign(0), round's ties, the
 * series depth) are those of the context the plan runs with, and a compiled
 * expression gives exactly what the same batch calls written by hand give.
 *
 * A plan owns its registers (batches) and reuses them across calls: after
 * the first call on a batch size, an evaluation allocates only what the
 * batch operations themselves need. One plan must not be evaluated from two
 * threads at once (compile one per thread).
 */
#ifndef INFNUM_EXPR_H
#define INFNUM_EXPR_H

#include "infnum/infnum.h"

#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

/* A compiled expression (opaque). */
typedef struct lc_expr lc_expr;

/* Most nested levels of an expression (parentheses, operators, calls), and
 * most operations of its plan (the definitions of tan, fmod, ... expanded). */
#define LC_EXPR_MAX_DEPTH 1000
#define LC_EXPR_MAX_SIZE 100000

/* Compiles text into *out, a plan of the batch operations above.
 * vars names the variables in order, separated by commas or spaces ("x",
 * "x, y"); NULL means "x". Inputs are checked first: LC_EINVAL for NULL
 * arguments or a bad variable list (not a name, repeated, or the name of a
 * function or constant); LC_EPARSE for text that is not an expression, with
 * the 1-based column (in characters) in ctx->err, e.g.
 *   "lc_expr_compile: col 7: unknown function 'sinn'".
 * LC_ENOMEM if an allocation fails. On failure *out is NULL and nothing
 * leaks. The plan is freed with lc_expr_free (through the same allocator). */
lc_status lc_expr_compile(lc_ctx *ctx, lc_expr **out, const char *text, const char *vars);

/* Frees e (NULL does nothing); ctx provides the allocator e was made with. */
void lc_expr_free(lc_ctx *ctx, lc_expr *e);

/* Number of variables of e, and the name of variable i (NULL if out of
 * range). */
int64_t lc_expr_nvars(const lc_expr *e);
const char *lc_expr_var(const lc_expr *e, int64_t i);

/* y = e(x[0], ..., x[nvars-1]), row by row, as one run of batch operations.
 * nvars must be lc_expr_nvars(e) and the x[i] must have equal row counts
 * (LC_EINVAL / LC_ESHAPE otherwise); y gets that many rows (an expression
 * without variables is broadcast). y must not be one of the x[i]. An error
 * of an operation is returned with its column in the message, e.g.
 *   "lc_expr_eval: col 1 (log): lc_log: ... not in the field";
 * y is then left valid (possibly emptied) and nothing leaks. */
lc_status lc_expr_eval(lc_ctx *ctx, lc_expr *e, lc_batch *y, const lc_batch *x, int64_t nvars);

/* The plan as an lc_fn (data = the lc_expr of one variable) and as an
 * lc_fn_vec (data = the lc_expr; nvars as in lc_expr_eval). */
lc_status lc_expr_fn(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data);
lc_status lc_expr_fn_vec(lc_ctx *ctx, lc_batch *y, const lc_batch *x, int64_t nvars, void *data);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif /* INFNUM_EXPR_H */
