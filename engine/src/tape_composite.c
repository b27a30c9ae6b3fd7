/* SPDX-License-Identifier: MIT */
/* Tape: the composite estimator's jumps of the loss. For a jump node f(u),
 * every entry u_i and every breakpoint b of f within the kernel's reach, the
 * nodes from u to the loss are evaluated again in the field with u_i = b ± ε
 * (the others at their recorded values); ΔL = st L⁺ − st L⁻ weighs κσ(u_i − b). */
#include "tape_internal.h"
#include "est_internal.h"
#include "infnum/ext.h"

#include <math.h>
#include <string.h>

/* One replay: LC values of the nodes a..loss that depend on a. */
typedef struct replay {
    lc_tape *t;
    lc_ctx *c;        /* the tape's pooled context               */
    lc_var a, loss;
    char *dep;        /* dep[w − a]: node w depends on a        */
    lc_batch *R;      /* R[w − a]: its value in the field        */
    lc_batch tmp[3];
    double *x, *v;    /* a's values with one entry moved; ε part */
} replay;

static lc_status unsupported(replay *r, const char *what)
{
    return lc_fail(r->c, LC_EINVAL, "lc_tape_backward",
                   "composite estimator: %s downstream of a jump (see <infnum/tape.h>)", what);
}

/* Operand o of a dependent node, as a batch with `count` rows (a non-dependent
 * one is embedded from its real values, broadcast by bidx against `like`). */
static lc_status operand(replay *r, lc_var o, const struct lc_tape_node *like, lc_batch *tmp,
                         const lc_batch **out)
{
    const struct lc_tape_node *O = N(r->t, o);
    int64_t cnt = like->rows * like->cols;
    int same = O->rows == like->rows && O->cols == like->cols;
    if (r->dep[o - r->a] && same) {
        *out = &r->R[o - r->a];
        return LC_OK;
    }
    int64_t *idx = lc_malloc(r->c, (size_t)cnt, sizeof *idx);
    double *val = lc_malloc(r->c, (size_t)cnt, sizeof *val);
    lc_status s = idx && val ? LC_OK : lc_fail(r->c, LC_ENOMEM, "lc_tape_backward", "out of memory");
    for (int64_t i = 0; !s && i < cnt; i++) {
        idx[i] = same ? i : O->rows == 1 && O->cols == like->cols ? i % like->cols : 0;
        val[i] = O->val[idx[i]];
    }
    if (!s) s = r->dep[o - r->a] ? lc_batch_gather(r->c, tmp, &r->R[o - r->a], idx, cnt)
                                 : lc_batch_set_real(r->c, tmp, cnt, val);
    lc_free(r->c, idx);
    lc_free(r->c, val);
    *out = tmp;
    return s;
}

/* Real values of a dependent batch that must be exact reals (n rows). */
static lc_status exact_reals(replay *r, const lc_batch *b, double *out, const char *what)
{
    for (int64_t i = 0; i < b->nrows; i++) {
        int64_t len = lc_row_len(b, i), k = 0;
        double c = 0;
        if (len > 0) lc_row_term(b, i, 0, &k, &c);
        if (len > 1 || k != 0) return unsupported(r, what);
        out[i] = c;
    }
    return LC_OK;
}

/* A real-valued op (linear, matmul, argmax, cross-entropy) on exact reals. */
static lc_status real_op(replay *r, const struct lc_tape_node *W, lc_batch *y)
{
    lc_ctx *c = r->c;
    const struct lc_tape_node *A = N(r->t, W->a), *B = W->b >= 0 ? N(r->t, W->b) : NULL;
    int64_t na = A->rows * A->cols, nb = B ? B->rows * B->cols : 0, ny = W->rows * W->cols;
    double *a = lc_malloc(c, (size_t)na, sizeof *a), *b = lc_malloc(c, (size_t)(nb ? nb : 1), sizeof *b);
    double *o = lc_malloc(c, (size_t)ny, sizeof *o);
    lc_status s = a && b && o ? LC_OK : lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
    const char *what = "a linear, matmul, argmax or cross-entropy node with an infinitesimal input";
    if (!s) s = r->dep[W->a - r->a] ? exact_reals(r, &r->R[W->a - r->a], a, what)
                                    : (memcpy(a, A->val, (size_t)na * sizeof *a), LC_OK);
    if (!s && B) s = r->dep[W->b - r->a] ? exact_reals(r, &r->R[W->b - r->a], b, what)
                                         : (memcpy(b, B->val, (size_t)nb * sizeof *b), LC_OK);
    if (!s && W->op == OP_LINEAR && W->c != LC_VAR_NONE && r->dep[W->c - r->a]) s = unsupported(r, "a bias");
    int64_t m = A->rows, k = A->cols;
    for (int64_t i = 0; !s && i < m; i++) {
        const double *ai = a + i * k;
        if (W->op == OP_LINEAR || W->op == OP_MATMUL) {
            for (int64_t j = 0; j < W->cols; j++) {
                double acc = W->op == OP_LINEAR && W->c != LC_VAR_NONE ? N(r->t, W->c)->val[j] : 0.0, p = 0;
                for (int64_t q = 0; q < k; q++) p += ai[q] * (W->op == OP_LINEAR ? b[j * k + q] : b[q * W->cols + j]);
                o[i * W->cols + j] = acc + p;
            }
        } else if (W->op == OP_ARGMAX) {
            int64_t best = 0;
            for (int64_t j = 1; j < k; j++) best = ai[j] > ai[best] ? j : best;
            for (int64_t j = 0; j < k; j++) o[i * k + j] = j == best;
        } else { /* OP_XENT: mean of log-sum-exp − the label's logit */
            double mx = ai[0], z = 0;
            for (int64_t j = 1; j < k; j++) mx = ai[j] > mx ? ai[j] : mx;
            for (int64_t j = 0; j < k; j++) z += exp(ai[j] - mx);
            if (i == 0) o[0] = 0;
            o[0] += (mx + log(z) - ai[W->labels[i]]) / (double)m;
        }
    }
    if (!s) s = lc_batch_set_real(c, y, ny, o);
    lc_free(c, a);
    lc_free(c, b);
    lc_free(c, o);
    return s;
}

/* Sum of the rows of x into y (one row). */
static lc_status sum_rows(replay *r, const lc_batch *x, lc_batch *y)
{
    int64_t z = 0;
    lc_status s = lc_batch_gather(r->c, y, x, &z, 1);
    for (int64_t i = 1; !s && i < x->nrows; i++) {
        s = lc_batch_gather(r->c, &r->tmp[2], x, &i, 1);
        if (!s) s = lc_add(r->c, y, y, &r->tmp[2]);
    }
    return s;
}

/* The quantiser in the field: round(m·min(max(x, 0), 1))/m; max and min
 * select (b ± ε stays exact, so m·b lands on round's breakpoint). */
static lc_status quant_lc(lc_ctx *c, int bits, lc_batch *y, const lc_batch *x, lc_batch *tmp)
{
    double m = (double)((1L << bits) - 1);
    lc_status s = lc_scale(c, tmp, x, 0.0);
    if (!s) s = lc_max(c, y, x, tmp);
    if (!s) s = lc_add_real(c, tmp, tmp, 1.0);
    if (!s) s = lc_min(c, y, y, tmp);
    if (!s) s = lc_scale(c, y, y, m);
    if (!s) s = lc_round(c, y, y);
    if (!s) s = lc_scale(c, y, y, 1.0 / m);
    return s;
}

/* st L with entry j of a moved to b + side·ε. */
static lc_status replay_run(replay *r, int64_t j, double b, double side, double *st)
{
    lc_ctx *c = r->c;
    const struct lc_tape_node *U = N(r->t, r->a);
    int64_t cnt = U->rows * U->cols;
    memcpy(r->x, U->val, (size_t)cnt * sizeof *r->x);
    r->x[j] = b;
    r->v[j] = side;
    lc_status s = lc_batch_from_real(c, &r->R[0], cnt, r->x, r->v);
    r->v[j] = 0.0;
    for (lc_var w = r->a + 1; !s && w <= r->loss; w++) {
        if (!r->dep[w - r->a]) continue;
        const struct lc_tape_node *W = N(r->t, w);
        lc_batch *y = &r->R[w - r->a];
        const lc_batch *A = NULL, *B = NULL;
        if (W->is_lc) return unsupported(r, "a Levi-Civita node");
        switch (W->op) {
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MAX: case OP_MIN:
            s = operand(r, W->a, W, &r->tmp[0], &A);
            if (!s) s = operand(r, W->b, W, &r->tmp[1], &B);
            if (s) break;
            s = W->op == OP_ADD ? lc_add(c, y, A, B) : W->op == OP_SUB ? lc_sub(c, y, A, B)
              : W->op == OP_MUL ? lc_mul(c, y, A, B) : W->op == OP_DIV ? lc_div(c, y, A, B)
              : W->op == OP_MAX ? lc_max(c, y, A, B) : lc_min(c, y, A, B);
            break;
        case OP_SCALE: case OP_ADDS: case OP_POW: case OP_UNARY: case OP_QUANT:
            A = &r->R[W->a - r->a];
            s = W->op == OP_SCALE ? lc_scale(c, y, A, W->s) : W->op == OP_ADDS ? lc_add_real(c, y, A, W->s)
              : W->op == OP_POW   ? lc_pow(c, y, A, W->s)   : W->op == OP_QUANT ? quant_lc(c, (int)W->s, y, A, &r->tmp[2])
                                  : _lc_tape_apply(c, W->fun, y, A);
            break;
        case OP_SUM: case OP_MEAN:
            s = sum_rows(r, &r->R[W->a - r->a], y);
            if (!s && W->op == OP_MEAN) {
                const struct lc_tape_node *X = N(r->t, W->a);
                s = lc_scale(c, y, y, 1.0 / (double)(X->rows * X->cols));
            }
            break;
        case OP_LINEAR: case OP_MATMUL: case OP_ARGMAX: case OP_XENT:
            s = real_op(r, W, y);
            break;
        default:
            return unsupported(r, "an op of this kind");
        }
    }
    return s ? s : lc_batch_std(c, &r->R[r->loss - r->a], st);
}

lc_status _lc_tape_composite(lc_tape *t, const struct lc_tape_node *n, double *ga)
{
    static const lc_prim prim[] = {[LC_FUN_STEP] = LC_PRIM_STEP, [LC_FUN_SIGN] = LC_PRIM_SIGN,
                                   [LC_FUN_FLOOR] = LC_PRIM_FLOOR, [LC_FUN_CEIL] = LC_PRIM_CEIL,
                                   [LC_FUN_ROUND] = LC_PRIM_ROUND};
    replay r = {t, _lc_tape_pool_ctx(t), n->a, t->loss, NULL, NULL, {{0}}, NULL, NULL};
    const struct lc_tape_node *U = N(t, n->a);
    const lc_est *e = &n->est;
    int64_t cnt = U->rows * U->cols, nn = r.loss - r.a + 1;
    int bits = n->op == OP_QUANT ? (int)n->s : 0;
    est_breaks B;
    lc_status s = _lc_est_breaks(r.c, e, bits ? LC_PRIM_ROUND : prim[n->fun], bits, &B);
    if (s) goto done;
    if (B.r.reg != 0)
        for (int64_t i = 0; i < cnt; i++) ga[i] += n->grad[i] * B.r.reg;
    r.dep = _lc_tape_alloc(t, (size_t)nn, 1);
    r.R = _lc_tape_alloc(t, (size_t)nn, sizeof *r.R);
    r.x = _lc_tape_alloc(t, (size_t)cnt, sizeof *r.x);
    r.v = _lc_tape_zeros(t, cnt);
    if (!r.dep || !r.R || !r.x || !r.v) {
        s = lc_fail(r.c, LC_ENOMEM, "lc_tape_backward", "out of memory");
        goto done;
    }
    for (int i = 0; i < 3; i++) lc_batch_init(&r.tmp[i], LC_F64, LC_I64);
    for (lc_var w = r.a; w <= r.loss; w++) {
        const struct lc_tape_node *W = N(t, w);
        lc_batch_init(&r.R[w - r.a], LC_F64, LC_I64);
        r.dep[w - r.a] = w == r.a || (W->a >= r.a && r.dep[W->a - r.a]) ||
                         (W->b >= r.a && r.dep[W->b - r.a]) || (W->c >= r.a && r.dep[W->c - r.a]);
    }
    if (r.dep[nn - 1])
        for (int64_t j = 0; !s && j < cnt; j++) {
            double k0, lp, lm;
            int64_t nb = _lc_est_in_reach(e, &B, U->val[j], &k0);
            for (int64_t k = 0; !s && k < nb; k++) {
                double b = _lc_est_break(&B, k0 + (double)k);
                s = replay_run(&r, j, b, 1.0, &lp);
                if (!s) s = replay_run(&r, j, b, -1.0, &lm);
                if (!s) ga[j] += (lp - lm) * lc_kernel_eval(e->kernel, e->sigma, U->val[j] - b);
            }
        }
    for (lc_var w = r.a; r.R && w <= r.loss; w++) lc_batch_clear(r.c, &r.R[w - r.a]);
    for (int i = 0; i < 3; i++) lc_batch_clear(r.c, &r.tmp[i]);
done:
    if (s) memcpy(t->ctx->err, r.c->err, sizeof r.c->err);
    return s;
}
