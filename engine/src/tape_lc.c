/* SPDX-License-Identifier: MIT */
/* Tape: Levi-Civita ops (recorded through the core) and their coefficient
 * adjoints. */
#include "tape_internal.h"
#include "infnum/ext.h"

#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- LC forward */

/* Outcome of the core call that filled node v (the last one). */
static lc_var lc_result(lc_tape *t, lc_var v, lc_status s)
{
    if (s == LC_OK) return v;
    t->nnodes--; /* ctx->err already names the core function */
    return _lc_tape_fail(t, s);
}

lc_var lc_tape_lc_from_real(lc_tape *t, lc_var x, lc_var dv)
{
    if (_lc_tape_bad_var(t, x, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (dv != LC_VAR_NONE && _lc_tape_bad_var(t, dv, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    int64_t n = N(t, x)->rows * N(t, x)->cols;
    if (dv != LC_VAR_NONE && N(t, dv)->rows * N(t, dv)->cols != n)
        return _lc_tape_fail_msg(t, LC_ESHAPE, __func__, "x and v must have the same number of entries");
    lc_var v = _lc_tape_push(t, OP_LC_FROM_REAL, 1, x, dv);
    if (v == LC_VAR_NONE) return v;
    const double *dd = dv == LC_VAR_NONE ? NULL : N(t, dv)->val;
    return lc_result(t, v, lc_batch_from_real(t->ctx, &N(t, v)->lc, n, N(t, x)->val, dd));
}

lc_var lc_tape_lc_const(lc_tape *t, const lc_batch *b)
{
    if (t->status) return LC_VAR_NONE;
    if (!b) return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "NULL batch");
    lc_var v = _lc_tape_push(t, OP_LC_CONST, 1, LC_VAR_NONE, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    return lc_result(t, v, lc_batch_copy(t->ctx, &N(t, v)->lc, b));
}

lc_var lc_tape_lc_coeff(lc_tape *t, lc_var a, int64_t num, int64_t den)
{
    if (_lc_tape_bad_var(t, a, 1, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (den < 1 || N(t, a)->lc.nrows < 1) return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "den must be ≥ 1, a not empty");
    lc_var v = _lc_tape_push_real(t, OP_LC_COEFF, a, LC_VAR_NONE, N(t, a)->lc.nrows, 1);
    if (v == LC_VAR_NONE) return v;
    N(t, v)->num = num;
    N(t, v)->den = den;
    return lc_result(t, v, lc_batch_coeff(t->ctx, &N(t, a)->lc, num, den, N(t, v)->val));
}

static lc_var lc_binary(lc_tape *t, op o, lc_var a, lc_var b, const char *func)
{
    if (_lc_tape_bad_var(t, a, 1, func) || _lc_tape_bad_var(t, b, 1, func)) return _lc_tape_fail(t, LC_EINVAL);
    lc_var v = _lc_tape_push(t, o, 1, a, b);
    if (v == LC_VAR_NONE) return v;
    lc_ctx *c = t->ctx;
    lc_batch *y = &N(t, v)->lc;
    const lc_batch *A = &N(t, a)->lc, *B = &N(t, b)->lc;
    lc_status s;
    switch (o) {
    case OP_LC_ADD: s = lc_add(c, y, A, B); break;
    case OP_LC_SUB: s = lc_sub(c, y, A, B); break;
    case OP_LC_MUL: s = lc_mul(c, y, A, B); break;
    case OP_LC_DIV: s = lc_div(c, y, A, B); break;
    case OP_LC_MAX: s = lc_max(c, y, A, B); break;
    default: s = lc_min(c, y, A, B); break;
    }
    return lc_result(t, v, s);
}

lc_var lc_tape_lc_add(lc_tape *t, lc_var a, lc_var b) { return lc_binary(t, OP_LC_ADD, a, b, __func__); }
lc_var lc_tape_lc_sub(lc_tape *t, lc_var a, lc_var b) { return lc_binary(t, OP_LC_SUB, a, b, __func__); }
lc_var lc_tape_lc_mul(lc_tape *t, lc_var a, lc_var b) { return lc_binary(t, OP_LC_MUL, a, b, __func__); }
lc_var lc_tape_lc_div(lc_tape *t, lc_var a, lc_var b) { return lc_binary(t, OP_LC_DIV, a, b, __func__); }
lc_var lc_tape_lc_max(lc_tape *t, lc_var a, lc_var b) { return lc_binary(t, OP_LC_MAX, a, b, __func__); }
lc_var lc_tape_lc_min(lc_tape *t, lc_var a, lc_var b) { return lc_binary(t, OP_LC_MIN, a, b, __func__); }

lc_var lc_tape_lc_scale_rows(lc_tape *t, lc_var a, lc_var s)
{
    if (_lc_tape_bad_var(t, a, 1, __func__) || _lc_tape_bad_var(t, s, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (N(t, s)->rows * N(t, s)->cols != N(t, a)->lc.nrows)
        return _lc_tape_fail_msg(t, LC_ESHAPE, __func__, "s needs one entry per row of a");
    lc_var v = _lc_tape_push(t, OP_LC_SCALE_ROWS, 1, a, s);
    if (v == LC_VAR_NONE) return v;
    return lc_result(t, v, lc_scale_rows(t->ctx, &N(t, v)->lc, &N(t, a)->lc, N(t, s)->val));
}

lc_var lc_tape_lc_gather(lc_tape *t, lc_var a, const int64_t *idx, int64_t n)
{
    if (_lc_tape_bad_var(t, a, 1, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (!idx || n < 1) return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "NULL idx or n < 1");
    for (int64_t i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= N(t, a)->lc.nrows)
            return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "an index is outside the rows of a");
    int64_t *keep = _lc_tape_alloc(t, (size_t)n, sizeof *keep);
    if (!keep) return _lc_tape_fail_msg(t, LC_ENOMEM, __func__, "out of memory");
    memcpy(keep, idx, (size_t)n * sizeof *keep);
    lc_var v = _lc_tape_push(t, OP_LC_GATHER, 1, a, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    N(t, v)->rowmap = keep;
    return lc_result(t, v, lc_batch_gather(t->ctx, &N(t, v)->lc, &N(t, a)->lc, keep, n));
}

/* y = f(x) in the field. */
lc_status _lc_tape_apply(lc_ctx *c, lc_fun f, lc_batch *y, const lc_batch *x)
{
    switch (f) {
    case LC_FUN_NEG: return lc_neg(c, y, x);
    case LC_FUN_EXP: return lc_exp(c, y, x);
    case LC_FUN_LOG: return lc_log(c, y, x);
    case LC_FUN_SIN: return lc_sin(c, y, x);
    case LC_FUN_COS: return lc_cos(c, y, x);
    case LC_FUN_TANH: return lc_tanh(c, y, x);
    case LC_FUN_SIGMOID: return lc_sigmoid(c, y, x);
    case LC_FUN_SOFTPLUS: return lc_softplus(c, y, x);
    case LC_FUN_SQRT: return lc_sqrt(c, y, x);
    case LC_FUN_RECIP: return lc_recip(c, y, x);
    case LC_FUN_ABS: return lc_abs(c, y, x);
    case LC_FUN_RELU: return lc_relu(c, y, x);
    case LC_FUN_STEP: return lc_step(c, y, x);
    case LC_FUN_SIGN: return lc_sign(c, y, x);
    case LC_FUN_FLOOR: return lc_floor(c, y, x);
    case LC_FUN_CEIL: return lc_ceil(c, y, x);
    case LC_FUN_ROUND: return lc_round(c, y, x);
    }
    return lc_fail(c, LC_EINVAL, "lc_tape_lc_unary", "unknown function");
}

static lc_var lc_unary_op(lc_tape *t, op o, lc_fun f, lc_var a, double s, const char *func)
{
    if (_lc_tape_bad_var(t, a, 1, func)) return _lc_tape_fail(t, LC_EINVAL);
    if ((unsigned)f > LC_FUN_ROUND) return _lc_tape_fail_msg(t, LC_EINVAL, func, "unknown function");
    lc_var v = _lc_tape_push(t, o, 1, a, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    const lc_batch *A = &N(t, a)->lc;
    n->fun = f;
    n->s = s;
    lc_status st = o == OP_LC_SCALE ? lc_scale(t->ctx, &n->lc, A, s)
                 : o == OP_LC_ADDS  ? lc_add_real(t->ctx, &n->lc, A, s)
                 : o == OP_LC_POW   ? lc_pow(t->ctx, &n->lc, A, s)
                                    : _lc_tape_apply(t->ctx, f, &n->lc, A);
    return lc_result(t, v, st);
}

lc_var lc_tape_lc_scale(lc_tape *t, lc_var a, double s) { return lc_unary_op(t, OP_LC_SCALE, LC_FUN_NEG, a, s, __func__); }
lc_var lc_tape_lc_add_real(lc_tape *t, lc_var a, double s) { return lc_unary_op(t, OP_LC_ADDS, LC_FUN_NEG, a, s, __func__); }
lc_var lc_tape_lc_pow(lc_tape *t, lc_var a, double r) { return lc_unary_op(t, OP_LC_POW, LC_FUN_NEG, a, r, __func__); }
lc_var lc_tape_lc_unary(lc_tape *t, lc_fun f, lc_var a) { return lc_unary_op(t, OP_LC_UNARY, f, a, 0.0, __func__); }

/* ---------------------------------------------------------- LC adjoints */

static int cmp_term(const void *x, const void *y)
{
    int64_t a = ((const adj_term *)x)->k, b = ((const adj_term *)y)->k;
    return (a > b) - (a < b);
}

/* Sorts each row of a raw adjoint (pairs) by exponent, sums duplicates and
 * drops zeros, in place. */
void _lc_tape_adj_normalise(adj *g)
{
    int64_t w = 0;
    for (int64_t r = 0; r < g->nrows; r++) {
        int64_t lo = g->ptr[r], hi = g->ptr[r + 1];
        qsort(g->t + lo, (size_t)(hi - lo), sizeof *g->t, cmp_term);
        g->ptr[r] = w;
        for (int64_t i = lo; i < hi;) {
            adj_term s = g->t[i++];
            while (i < hi && g->t[i].k == s.k) s.c += g->t[i++].c;
            if (s.c != 0) g->t[w++] = s;
        }
    }
    g->ptr[g->nrows] = w;
}

/* Adds the adjoint d (any denominator) into node x's adjoint. */
lc_status _lc_tape_adj_acc(lc_tape *t, struct lc_tape_node *x, const adj *d)
{
    adj *g = &x->g;
    if (!g->ptr) {
        *g = *d;
        return LC_OK;
    }
    int64_t L = lc_lcm_i64(g->den, d->den), fg = L ? L / g->den : 0, fd = L ? L / d->den : 0;
    if (!L) return lc_fail(t->ctx, LC_EOVERFLOW, "lc_tape_backward", "exponent denominator overflow");
    int64_t tot = g->ptr[g->nrows] + d->ptr[d->nrows];
    adj m = {g->nrows, L, _lc_tape_alloc(t, (size_t)g->nrows + 1, sizeof(int64_t)),
             _lc_tape_alloc(t, (size_t)(tot ? tot : 1), sizeof(adj_term))};
    if (!m.ptr || !m.t) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
    int64_t w = 0;
    for (int64_t r = 0; r < g->nrows; r++) {
        m.ptr[r] = w;
        for (int64_t i = g->ptr[r]; i < g->ptr[r + 1]; i++) {
            m.t[w] = g->t[i];
            if (!lc_mul_i64(g->t[i].k, fg, &m.t[w++].k)) goto overflow;
        }
        for (int64_t i = d->ptr[r]; i < d->ptr[r + 1]; i++) {
            m.t[w] = d->t[i];
            if (!lc_mul_i64(d->t[i].k, fd, &m.t[w++].k)) goto overflow;
        }
    }
    m.ptr[g->nrows] = w;
    _lc_tape_adj_normalise(&m);
    *g = m;
    return LC_OK;
overflow:
    return lc_fail(t->ctx, LC_EOVERFLOW, "lc_tape_backward", "exponent overflow in an adjoint");
}

/* Scales exponent k by f with overflow check (LC_EXACT stays). */
static int scale_k(int64_t k, int64_t f, int64_t *out)
{
    if (k == LC_EXACT) {
        *out = LC_EXACT;
        return 1;
    }
    return lc_mul_i64(k, f, out);
}

/* Node x's adjoint += the adjoint of multiplication by m:
 * d(q) = Σ_k gy(q_k)·[ε^{q_k − q}] m, for q in [min(L_x, 0), bound_x), where m
 * is an LC batch (row r, or row 0 if it has one row), or, if m is NULL, the
 * real srow[r] (srow NULL: the real s). Row r of gy goes to row map[r] of x
 * (map NULL: row r, or row 0 when x has one row). */
static lc_status adj_mul(lc_tape *t, struct lc_tape_node *x, const adj *gy, const lc_batch *m,
                         const double *srow, double s, const int64_t *map)
{
    lc_ctx *c = t->ctx;
    const lc_batch *X = &x->lc;
    int64_t L = lc_lcm_i64(gy->den, X->den);
    if (L && m) L = lc_lcm_i64(L, m->den);
    if (!L) return lc_fail(c, LC_EOVERFLOW, "lc_tape_backward", "exponent denominator overflow");
    int64_t fy = L / gy->den, fx = L / X->den, fm = m ? L / m->den : 1, nx = X->nrows;
    adj d = {nx, L, _lc_tape_rowptr(t, nx), NULL};
    int64_t *pos = _lc_tape_rowptr(t, nx);
    if (!d.ptr || !pos) return lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
#define TARGET(r) (map ? map[r] : nx == 1 ? 0 : (r))
#define MROW(r) (m && m->nrows == 1 ? 0 : (r))
    for (int64_t r = 0; r < gy->nrows; r++) /* room per row of x */
        d.ptr[TARGET(r) + 1] += (gy->ptr[r + 1] - gy->ptr[r]) * (m ? lc_row_len(m, MROW(r)) : 1);
    for (int64_t r = 0; r < nx; r++) d.ptr[r + 1] += d.ptr[r];
    for (int64_t r = 0; r < nx; r++) pos[r] = d.ptr[r];
    d.t = _lc_tape_alloc(t, (size_t)(d.ptr[nx] ? d.ptr[nx] : 1), sizeof(adj_term));
    if (!d.t) return lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
    for (int64_t r = 0; r < gy->nrows; r++) {
        int64_t rx = TARGET(r), mr = MROW(r), nm = m ? lc_row_len(m, mr) : 1, k0, lo = 0, hi;
        double c0, sr = srow ? srow[r] : s;
        if (lc_row_len(X, rx) > 0) {
            lc_row_term(X, rx, 0, &k0, &c0);
            if (!lc_mul_i64(k0, fx, &k0)) goto overflow;
            lo = k0 < 0 ? k0 : 0;
        }
        if (!scale_k(X->bound[rx], fx, &hi)) goto overflow;
        for (int64_t i = gy->ptr[r]; i < gy->ptr[r + 1]; i++) {
            int64_t qk;
            if (!lc_mul_i64(gy->t[i].k, fy, &qk)) goto overflow;
            for (int64_t j = 0; j < nm; j++) {
                int64_t e = 0, q;
                double cm = sr;
                if (m) {
                    lc_row_term(m, mr, j, &e, &cm);
                    if (!lc_mul_i64(e, fm, &e)) goto overflow;
                }
                if (__builtin_sub_overflow(qk, e, &q)) goto overflow;
                if (q >= lo && q < hi) d.t[pos[rx]++] = (adj_term){q, gy->t[i].c * cm};
            }
        }
    }
#undef TARGET
#undef MROW
    int64_t w = 0; /* close the gaps left by the terms out of range */
    for (int64_t r = 0; r < nx; r++) {
        int64_t from = d.ptr[r];
        d.ptr[r] = w;
        for (int64_t i = from; i < pos[r]; i++) d.t[w++] = d.t[i];
    }
    d.ptr[nx] = w;
    _lc_tape_adj_normalise(&d);
    return _lc_tape_adj_acc(t, x, &d);
overflow:
    return lc_fail(c, LC_EOVERFLOW, "lc_tape_backward", "exponent overflow in an adjoint");
}

/* Adjoint of row r at exponent num/den (0 if absent). */
static double adj_at(const adj *g, int64_t r, int64_t num, int64_t den)
{
    if (!g->ptr) return 0.0;
    /* k/g->den == num/den  ⟺  k·den == num·g->den */
    for (int64_t i = g->ptr[r]; i < g->ptr[r + 1]; i++) {
        int64_t a, b;
        if (lc_mul_i64(g->t[i].k, den, &a) && lc_mul_i64(num, g->den, &b) && a == b) return g->t[i].c;
    }
    return 0.0;
}

/* F'(x) for y = f(x) in the field. *kind: 0 F' in m; 1 per-row reals in
 * srow (kinks); 2 zero (exact outputs); 3 the constant −1 (neg). */
static lc_status lc_fun_deriv(lc_tape *t, const struct lc_tape_node *n, lc_batch *m, lc_batch *tmp,
                              double *srow, int *kind)
{
    lc_ctx *c = t->ctx;
    const lc_batch *x = &N(t, n->a)->lc, *y = &n->lc;
    lc_status s = LC_OK;
    *kind = 0; /* 0: m, 1: srow, 2: zero, 3: scalar n->s */
    if (n->op == OP_LC_POW) {
        s = lc_pow(c, m, x, n->s - 1.0);
        return s ? s : lc_scale(c, m, m, n->s);
    }
    switch (n->fun) {
    case LC_FUN_NEG: *kind = 3; return LC_OK;
    case LC_FUN_EXP: return lc_batch_copy(c, m, y);
    case LC_FUN_LOG: return lc_recip(c, m, x);
    case LC_FUN_SIN: return lc_cos(c, m, x);
    case LC_FUN_COS: return (s = lc_sin(c, m, x)) ? s : lc_neg(c, m, m);
    case LC_FUN_TANH:
        if ((s = lc_mul(c, tmp, y, y))) return s;
        if ((s = lc_neg(c, m, tmp))) return s;
        return lc_add_real(c, m, m, 1.0);
    case LC_FUN_SIGMOID:
        if ((s = lc_mul(c, tmp, y, y))) return s;
        return lc_sub(c, m, y, tmp);
    case LC_FUN_SOFTPLUS: return lc_sigmoid(c, m, x);
    case LC_FUN_SQRT:
        if ((s = lc_recip(c, m, y))) return s;
        return lc_scale(c, m, m, 0.5);
    case LC_FUN_RECIP:
        if ((s = lc_mul(c, tmp, y, y))) return s;
        return lc_neg(c, m, tmp);
    case LC_FUN_ABS:
    case LC_FUN_RELU: {
        int *sg = lc_malloc(c, (size_t)(x->nrows ? x->nrows : 1), sizeof *sg);
        if (!sg) return lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
        s = lc_batch_sgn(c, x, sg);
        for (int64_t r = 0; !s && r < x->nrows; r++)
            srow[r] = n->fun == LC_FUN_ABS ? sg[r] : sg[r] > 0;
        lc_free(c, sg);
        *kind = 1;
        return s;
    }
    default: *kind = 2; return LC_OK; /* step, sign, floor, ceil, round */
    }
}

/* Backward of one LC-valued node n (adjoint n->g set). */
lc_status _lc_tape_lc_backward(lc_tape *t, struct lc_tape_node *n)
{
    lc_ctx *c = t->ctx;
    struct lc_tape_node *A = n->a >= 0 ? N(t, n->a) : NULL, *B = n->b >= 0 ? N(t, n->b) : NULL;
    const adj *g = &n->g;
    lc_status s = LC_OK;
    switch (n->op) {
    case OP_LC_CONST: return LC_OK;
    case OP_LC_FROM_REAL: {
        double *ga = A->grad, *gb = B ? B->grad : NULL;
        for (int64_t r = 0; r < n->lc.nrows; r++) {
            ga[r] += adj_at(g, r, 0, 1);
            if (gb) gb[r] += adj_at(g, r, 1, 1);
        }
        return LC_OK;
    }
    case OP_LC_ADD: case OP_LC_SUB:
        if ((s = adj_mul(t, A, g, NULL, NULL, 1.0, NULL))) return s;
        return adj_mul(t, B, g, NULL, NULL, n->op == OP_LC_ADD ? 1.0 : -1.0, NULL);
    case OP_LC_SCALE: return adj_mul(t, A, g, NULL, NULL, n->s, NULL);
    case OP_LC_SCALE_ROWS: /* g_s[r] = Σ_q g(q)·a_r(q) */
        for (int64_t r = 0; r < n->lc.nrows; r++)
            for (int64_t i = 0; i < lc_row_len(&A->lc, r); i++) {
                int64_t k;
                double ca;
                lc_row_term(&A->lc, r, i, &k, &ca);
                B->grad[r] += ca * adj_at(g, r, k, A->lc.den);
            }
        return adj_mul(t, A, g, NULL, B->val, 0, NULL);
    case OP_LC_ADDS: return adj_mul(t, A, g, NULL, NULL, 1.0, NULL);
    case OP_LC_GATHER: return adj_mul(t, A, g, NULL, NULL, 1.0, n->rowmap);
    case OP_LC_MUL:
        if ((s = adj_mul(t, A, g, &B->lc, NULL, 0, NULL))) return s;
        return adj_mul(t, B, g, &A->lc, NULL, 0, NULL);
    case OP_LC_MAX: case OP_LC_MIN: {
        int64_t nr = n->lc.nrows;
        int *cm = lc_malloc(c, (size_t)nr, sizeof *cm);
        double *sa = lc_malloc(c, (size_t)nr, sizeof *sa), *sb = lc_malloc(c, (size_t)nr, sizeof *sb);
        if (!cm || !sa || !sb) s = lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
        if (!s) s = lc_cmp(c, &A->lc, &B->lc, cm);
        for (int64_t r = 0; !s && r < nr; r++) {
            int pick_a = n->op == OP_LC_MAX ? cm[r] >= 0 : cm[r] <= 0; /* ties: a, as lc_max */
            sa[r] = pick_a;
            sb[r] = !pick_a;
        }
        if (!s) s = adj_mul(t, A, g, NULL, sa, 0, NULL);
        if (!s) s = adj_mul(t, B, g, NULL, sb, 0, NULL);
        lc_free(c, cm);
        lc_free(c, sa);
        lc_free(c, sb);
        return s;
    }
    default: break; /* DIV, POW, UNARY */
    }
    lc_batch m, tmp;
    lc_batch_init(&m, LC_F64, LC_I64);
    lc_batch_init(&tmp, LC_F64, LC_I64);
    if (n->op == OP_LC_DIV) { /* d/da = 1/b, d/db = −y/b */
        s = lc_recip(c, &tmp, &B->lc);
        if (!s) s = adj_mul(t, A, g, &tmp, NULL, 0, NULL);
        if (!s) s = lc_div(c, &m, &n->lc, &B->lc);
        if (!s) s = lc_neg(c, &m, &m);
        if (!s) s = adj_mul(t, B, g, &m, NULL, 0, NULL);
    } else {
        int kind = 2;
        int64_t nr = A->lc.nrows;
        double *srow = lc_malloc(c, (size_t)(nr ? nr : 1), sizeof *srow);
        s = srow ? lc_fun_deriv(t, n, &m, &tmp, srow, &kind)
                 : lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
        if (!s && kind == 0) s = adj_mul(t, A, g, &m, NULL, 0, NULL);
        if (!s && kind == 1) s = adj_mul(t, A, g, NULL, srow, 0, NULL);
        if (!s && kind == 3) s = adj_mul(t, A, g, NULL, NULL, -1.0, NULL);
        lc_free(c, srow);
    }
    lc_batch_clear(c, &m);
    lc_batch_clear(c, &tmp);
    return s;
}

