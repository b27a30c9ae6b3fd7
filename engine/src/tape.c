/* SPDX-License-Identifier: MIT */
/* Reverse mode: bookkeeping of the tape (nodes, sticky errors, accessors)
 * and the backward driver. Forward values are computed when an op is
 * recorded (tape_real.c, tape_lc.c); lc_tape_backward walks the nodes in
 * reverse. Memory: tape_mem.c. */
#include "tape_internal.h"
#include "infnum/ext.h"

#include <string.h>

/* ------------------------------------------------------------ bookkeeping */

void lc_tape_init(lc_tape *t, lc_ctx *ctx)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    lc_ctx_init(&t->pool);
    lc_est_init(&t->est, LC_EST_CLASSICAL);
}

void lc_tape_clear(lc_tape *t)
{
    if (!t || !t->ctx) return;
    for (int32_t i = 0; i < t->node_cap; i++) lc_batch_clear(t->ctx, &t->nodes[i].lc);
    lc_free(t->ctx, t->nodes);
    _lc_tape_pool_clear(t);
    for (struct lc_tape_block *b = t->blocks, *nx; b; b = nx) {
        nx = b->next;
        lc_free(t->ctx, b);
    }
    lc_ctx *ctx = t->ctx;
    lc_tape_init(t, ctx);
}

void lc_tape_reset(lc_tape *t)
{
    t->nnodes = 0;
    t->status = LC_OK;
    t->cur = NULL;
}

lc_status lc_tape_status(const lc_tape *t) { return t ? t->status : LC_EINVAL; }

lc_status lc_tape_set_est(lc_tape *t, const lc_est *e)
{
    if (!t) return LC_EINVAL;
    lc_status s = lc_est_check(t->ctx, e);
    if (s) return s;
    t->est = *e;
    return LC_OK;
}

/* Records the first error; returns LC_VAR_NONE for the caller to pass on. */
lc_var _lc_tape_fail(lc_tape *t, lc_status s)
{
    if (t->status == LC_OK) t->status = s;
    return LC_VAR_NONE;
}

lc_var _lc_tape_fail_msg(lc_tape *t, lc_status s, const char *func, const char *msg)
{
    if (t->status == LC_OK) lc_fail(t->ctx, s, func, "%s", msg);
    return _lc_tape_fail(t, s);
}


/* Operand check: v must name a node of the wanted kind (is_lc). */
int _lc_tape_bad_var(lc_tape *t, lc_var v, int is_lc, const char *func)
{
    if (t->status) return 1;
    if (v < 0 || v >= t->nnodes || N(t, v)->is_lc != is_lc) {
        _lc_tape_fail_msg(t, LC_EINVAL, func, is_lc ? "operand is not a Levi-Civita node of this tape"
                                           : "operand is not a real node of this tape");
        return 1;
    }
    return 0;
}

/* Appends a node (operands a, b); returns its index or LC_VAR_NONE. */
lc_var _lc_tape_push(lc_tape *t, op o, int is_lc, lc_var a, lc_var b)
{
    if (t->nnodes == t->node_cap) {
        int32_t cap = t->node_cap ? 2 * t->node_cap : 64;
        struct lc_tape_node *nn = lc_realloc(t->ctx, t->nodes, (size_t)cap, sizeof *nn);
        if (!nn) return _lc_tape_fail_msg(t, LC_ENOMEM, "lc_tape", "out of memory growing the tape");
        for (int32_t i = t->node_cap; i < cap; i++) lc_batch_init(&nn[i].lc, LC_F64, LC_I64);
        t->nodes = nn;
        t->node_cap = cap;
    }
    lc_var v = t->nnodes++;
    struct lc_tape_node *n = N(t, v);
    lc_batch keep = n->lc;
    memset(n, 0, sizeof *n);
    n->lc = keep;
    n->op = o;
    n->is_lc = is_lc;
    n->a = a;
    n->b = b;
    n->c = LC_VAR_NONE;
    n->est = t->est;
    return v;
}

/* A real node of the given shape with an arena value. */
lc_var _lc_tape_push_real(lc_tape *t, op o, lc_var a, lc_var b, int64_t rows, int64_t cols)
{
    lc_var v = _lc_tape_push(t, o, 0, a, b);
    if (v == LC_VAR_NONE) return v;
    double *val = _lc_tape_alloc(t, (size_t)(rows * cols), sizeof *val);
    if (!val) {
        t->nnodes--;
        return _lc_tape_fail_msg(t, LC_ENOMEM, "lc_tape", "out of memory for a node value");
    }
    N(t, v)->val = val;
    N(t, v)->rows = rows;
    N(t, v)->cols = cols;
    return v;
}

const double *lc_tape_value(const lc_tape *t, lc_var v, int64_t *rows, int64_t *cols)
{
    if (!t || v < 0 || v >= t->nnodes || N(t, v)->is_lc) return NULL;
    if (rows) *rows = N(t, v)->rows;
    if (cols) *cols = N(t, v)->cols;
    return N(t, v)->val;
}

const double *lc_tape_grad(const lc_tape *t, lc_var v)
{
    if (!t || v < 0 || v >= t->nnodes || N(t, v)->is_lc) return NULL;
    return N(t, v)->grad;
}

const lc_batch *lc_tape_lc_value(const lc_tape *t, lc_var v)
{
    if (!t || v < 0 || v >= t->nnodes || !N(t, v)->is_lc) return NULL;
    return &N(t, v)->lc;
}

lc_status lc_tape_backward(lc_tape *t, lc_var loss)
{
    if (!t || !t->ctx) return LC_EINVAL;
    if (t->status) return t->status;
    if (loss < 0 || loss >= t->nnodes || N(t, loss)->is_lc || N(t, loss)->rows * N(t, loss)->cols != 1)
        return lc_fail(t->ctx, LC_EINVAL, __func__, "loss must be a 1×1 real node of this tape");
    for (lc_var v = 0; v < t->nnodes; v++)
        if (N(t, v)->done) return lc_fail(t->ctx, LC_EINVAL, __func__, "backward already ran on this recording");
    double *g = _lc_tape_gbuf(t, loss);
    if (!g) return lc_fail(t->ctx, LC_ENOMEM, __func__, "out of memory");
    g[0] = 1.0;
    t->loss = loss;
    lc_status s = LC_OK;
    for (lc_var v = loss; v >= 0 && !s; v--) {
        struct lc_tape_node *n = N(t, v);
        n->done = 1;
        if (n->is_lc ? !n->g.ptr : !n->grad) continue; /* no gradient reached it */
        if (n->is_lc && (n->op == OP_LC_FROM_REAL || n->op == OP_LC_SCALE_ROWS)) { /* real targets */
            if ((n->op == OP_LC_FROM_REAL && !_lc_tape_gbuf(t, n->a)) || (n->b >= 0 && !_lc_tape_gbuf(t, n->b)))
                s = lc_fail(t->ctx, LC_ENOMEM, __func__, "out of memory");
        }
        if (!s) s = n->is_lc ? _lc_tape_lc_backward(t, n) : _lc_tape_real_backward(t, n);
    }
    if (s) return s;
    for (lc_var v = 0; v <= loss; v++) { /* all done: hand parameter gradients over */
        struct lc_tape_node *n = N(t, v);
        if (n->op != OP_PARAM || !n->grad) continue;
        for (int64_t i = 0; i < n->rows * n->cols; i++) n->pgrad[i] += n->grad[i];
    }
    return LC_OK;
}
