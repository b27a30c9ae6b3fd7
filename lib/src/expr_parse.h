/* SPDX-License-Identifier: MIT */
/* The parser of the expression layer (expr_parse.c): text -> syntax tree,
 * read by the compiler in expr.c. Private to the library. */
#ifndef INFNUM_EXPR_PARSE_H
#define INFNUM_EXPR_PARSE_H

#include "infnum/infnum.h"

#include <stdint.h>

/* Node kinds. N_FN's fn indexes lc_expr_funcs; N_VAR's fn is the variable. */
typedef enum lc_xkind { N_NUM, N_EPS, N_VAR, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_POW, N_FN } lc_xkind;

typedef lc_status (*lc_un_fn)(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
typedef lc_status (*lc_bin_fn)(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);

/* A function of the grammar: one argument (f1), two (f2), or neither: pow
 * (compiled as a^b) and the functions defined by an expression of their
 * arguments #1, #2 (def, e.g. tan: "sin(#1)/cos(#1)"). */
typedef struct lc_xfunc {
    const char *name;
    int arity;
    lc_un_fn f1;
    lc_bin_fn f2;
    const char *def;
} lc_xfunc;
extern const lc_xfunc lc_expr_funcs[]; /* ends with {0} */

typedef struct lc_xnode {
    lc_xkind kind;
    int32_t fn;   /* N_FN: function index; N_VAR: variable index */
    int32_t a, b; /* children (-1: none)                         */
    int32_t col;  /* 1-based column of the operator or name      */
    int32_t var;  /* 1 if the subtree depends on a variable      */
    int32_t depth; /* levels of the subtree (a leaf: 1)          */
    int32_t size;  /* operations of the subtree, shared ones counted each time */
    double v;     /* N_NUM: the value                            */
    int64_t p, q; /* N_NUM: v = p/q exactly when q ≥ 1 (|p|, q < 2^31) */
} lc_xnode;

/* A syntax tree and its variables (names: nvars NUL-terminated strings,
 * one after the other, in one allocation). */
typedef struct lc_xast {
    lc_xnode *node;
    int32_t n, cap, root;
    char *names;
    int64_t nvars;
} lc_xast;

/* Parses the variable list vars (NULL: "x") and text into ast (zeroed by
 * the caller). LC_EINVAL for a bad variable list, LC_EPARSE with "col N: ..."
 * for bad text, LC_ENOMEM; on failure ast holds nothing. */
lc_status lc_expr_parse(lc_ctx *ctx, lc_xast *ast, const char *text, const char *vars);
/* Frees ast's storage. */
void lc_expr_ast_clear(lc_ctx *ctx, lc_xast *ast);

#endif
