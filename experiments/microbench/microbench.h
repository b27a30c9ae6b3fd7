/* SPDX-License-Identifier: MIT */
/* infnum-microbench internals: the table of timed operations. */
#ifndef INFNUM_MICROBENCH_H
#define INFNUM_MICROBENCH_H

#include "infnum/infnum.h"

/* A timed operation: out = f(a[, b]). arity 1 ignores b. */
typedef struct mb_op {
    const char *name;
    lc_status (*fn)(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
    int arity;
} mb_op;

/* All operations, ending with {0}. */
extern const mb_op mb_ops[];
/* The op called name, or NULL. */
const mb_op *mb_op_find(const char *name);

#endif
