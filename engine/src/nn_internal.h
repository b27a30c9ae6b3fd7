/* SPDX-License-Identifier: MIT */
/* Private to the MLP's sources (nn.c, nn_composite.c). Not installed. */
#ifndef INFNUM_NN_INTERNAL_H
#define INFNUM_NN_INTERNAL_H

#include "infnum/nn.h"

/* The values of one recorded forward pass of n rows: the input (n × nin),
 * pre-activations u[l] and outputs h[l] of hidden layer l, the logits. */
typedef struct nn_fwd {
    int64_t n;
    const double *x, *u[LC_NN_MAX_HIDDEN], *h[LC_NN_MAX_HIDDEN], *z;
    double *scratch;   /* _lc_nn_composite_scratch(cfg, n) doubles */
    int64_t *iscratch; /* _lc_nn_composite_iscratch(cfg)  */
} nn_fwd;

/* Widest layer (hidden or output) of c. */
int64_t _lc_nn_widest(const lc_nn_cfg *c);
/* Doubles of scratch the fast path needs for n rows. */
int64_t _lc_nn_composite_scratch(const lc_nn_cfg *c, int64_t n);
/* Integers of iscratch it needs. */
int64_t _lc_nn_composite_iscratch(const lc_nn_cfg *c);
/* Composite fast path: adds dL/dθ of the batch's mean cross-entropy to
 * net->grad and writes dL/du[l] into gpre[l] (n × hidden[l] each).
 * Allocates nothing (scratch from f). */
lc_status _lc_nn_composite_grad(lc_ctx *ctx, lc_nn *net, const nn_fwd *f, const int32_t *y, double **gpre);

#endif
