/* SPDX-License-Identifier: MIT */
/* Tape: real-tensor ops (leaves, elementwise, activations' jumps and kinks,
 * argmax, dense algebra, reductions, cross-entropy) and their backward rules. */
#include "tape_internal.h"
#include "infnum/ext.h"
#include "infnum/raw_order.h"

#include <math.h>
#include <string.h>

#ifdef INFNUM_HAVE_CBLAS
#include <cblas.h>
#endif

/* ------------------------------------------------------------- real leaves */

static int bad_shape(lc_tape *t, int64_t rows, int64_t cols, const void *p, const char *func)
{
    if (t->status) return 1;
    if (rows < 1 || cols < 1 || rows > INT32_MAX || cols > INT32_MAX || !p) {
        _lc_tape_fail_msg(t, LC_EINVAL, func, "NULL data or shape outside 1..2^31-1");
        return 1;
    }
    return 0;
}

lc_var lc_tape_param(lc_tape *t, double *val, double *grad, int64_t rows, int64_t cols)
{
    if (bad_shape(t, rows, cols, val, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (!grad) return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "NULL gradient buffer");
    lc_var v = _lc_tape_push(t, OP_PARAM, 0, LC_VAR_NONE, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    n->val = val;
    n->pgrad = grad;
    n->rows = rows;
    n->cols = cols;
    return v;
}

lc_var lc_tape_const(lc_tape *t, const double *val, int64_t rows, int64_t cols)
{
    if (bad_shape(t, rows, cols, val, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    lc_var v = _lc_tape_push(t, OP_CONST, 0, LC_VAR_NONE, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    n->val = (double *)val; /* never written: constants get no gradient */
    n->rows = rows;
    n->cols = cols;
    return v;
}

lc_var lc_tape_const_f32(lc_tape *t, const float *val, int64_t rows, int64_t cols)
{
    if (bad_shape(t, rows, cols, val, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    lc_var v = _lc_tape_push_real(t, OP_CONST, LC_VAR_NONE, LC_VAR_NONE, rows, cols);
    if (v == LC_VAR_NONE) return v;
    double *y = N(t, v)->val;
    for (int64_t i = 0; i < rows * cols; i++) y[i] = val[i];
    return v;
}

/* --------------------------------------------------------- elementwise ops */

/* Index of b's entry paired with entry i of a (broadcast). */
static int64_t bidx(const struct lc_tape_node *a, const struct lc_tape_node *b, int64_t i)
{
    if (b->rows == a->rows && b->cols == a->cols) return i;
    if (b->rows == 1 && b->cols == a->cols) return i % a->cols;
    return 0;
}

/* Every entry of the new node v must be finite: a value outside the
 * function's domain (log 0, 1/0, sqrt(−1), overflow) is LC_EDOMAIN. */
static lc_var finite_or_fail(lc_tape *t, lc_var v, const char *func)
{
    const struct lc_tape_node *n = N(t, v);
    for (int64_t i = 0; i < n->rows * n->cols; i++)
        if (!isfinite(n->val[i])) {
            t->nnodes--;
            lc_fail(t->ctx, LC_EDOMAIN, func, "entry %lld is %g (argument outside the domain, or overflow)",
                    (long long)i, n->val[i]);
            return _lc_tape_fail(t, LC_EDOMAIN);
        }
    return v;
}

static lc_var binary(lc_tape *t, op o, lc_var a, lc_var b, const char *func)
{
    if (_lc_tape_bad_var(t, a, 0, func) || _lc_tape_bad_var(t, b, 0, func)) return _lc_tape_fail(t, LC_EINVAL);
    const struct lc_tape_node *A = N(t, a), *B = N(t, b);
    int ok = (B->rows == A->rows && B->cols == A->cols) || (B->rows == 1 && B->cols == A->cols) ||
             (B->rows == 1 && B->cols == 1);
    if (!ok) return _lc_tape_fail_msg(t, LC_ESHAPE, func, "b must match a, be a 1×cols row or 1×1");
    lc_var v = _lc_tape_push_real(t, o, a, b, A->rows, A->cols);
    if (v == LC_VAR_NONE) return v;
    A = N(t, a);
    B = N(t, b);
    double *y = N(t, v)->val;
    int64_t n = A->rows * A->cols;
    for (int64_t i = 0; i < n; i++) {
        double x = A->val[i], z = B->val[bidx(A, B, i)];
        switch (o) {
        case OP_ADD: y[i] = x + z; break;
        case OP_SUB: y[i] = x - z; break;
        case OP_MUL: y[i] = x * z; break;
        case OP_DIV: y[i] = x / z; break;
        case OP_MAX: y[i] = x >= z ? x : z; break;
        default: y[i] = x <= z ? x : z; break;
        }
    }
    return finite_or_fail(t, v, func);
}

lc_var lc_tape_add(lc_tape *t, lc_var a, lc_var b) { return binary(t, OP_ADD, a, b, __func__); }
lc_var lc_tape_sub(lc_tape *t, lc_var a, lc_var b) { return binary(t, OP_SUB, a, b, __func__); }
lc_var lc_tape_mul(lc_tape *t, lc_var a, lc_var b) { return binary(t, OP_MUL, a, b, __func__); }
lc_var lc_tape_div(lc_tape *t, lc_var a, lc_var b) { return binary(t, OP_DIV, a, b, __func__); }
lc_var lc_tape_max(lc_tape *t, lc_var a, lc_var b) { return binary(t, OP_MAX, a, b, __func__); }
lc_var lc_tape_min(lc_tape *t, lc_var a, lc_var b) { return binary(t, OP_MIN, a, b, __func__); }

double _lc_tape_fun_value(const lc_ctx *c, lc_fun f, double x)
{
    double h0 = c->h0 == LC_H0_ONE ? 1.0 : c->h0 == LC_H0_HALF ? 0.5 : 0.0, sign0 = c->sign0;
    lc_round_tie tie = c->round_tie;
    switch (f) {
    case LC_FUN_NEG: return -x;
    case LC_FUN_EXP: return exp(x);
    case LC_FUN_LOG: return log(x);
    case LC_FUN_SIN: return sin(x);
    case LC_FUN_COS: return cos(x);
    case LC_FUN_TANH: return tanh(x);
    case LC_FUN_SIGMOID: return _lc_sigmoid_real(x);
    case LC_FUN_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    case LC_FUN_SQRT: return sqrt(x);
    case LC_FUN_RECIP: return 1.0 / x;
    case LC_FUN_ABS: return fabs(x);
    case LC_FUN_RELU: return x > 0 ? x : 0.0;
    case LC_FUN_STEP: return x > 0 ? 1.0 : x < 0 ? 0.0 : h0;
    case LC_FUN_SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : sign0;
    case LC_FUN_FLOOR: return floor(x);
    case LC_FUN_CEIL: return ceil(x);
    case LC_FUN_ROUND: { /* ties by the same rule as lc_round */
        double fl = floor(x);
        return x - fl != 0.5 ? round(x) : _lc_round_tie((int)tie, fl);
    }
    }
    return NAN;
}

static lc_var unary(lc_tape *t, op o, lc_fun f, lc_var a, double s, const char *func)
{
    if (_lc_tape_bad_var(t, a, 0, func)) return _lc_tape_fail(t, LC_EINVAL);
    if ((unsigned)f > LC_FUN_ROUND) return _lc_tape_fail_msg(t, LC_EINVAL, func, "unknown function");
    lc_var v = _lc_tape_push_real(t, o, a, LC_VAR_NONE, N(t, a)->rows, N(t, a)->cols);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    const struct lc_tape_node *A = N(t, a);
    const lc_ctx *c = t->ctx;
    n->fun = f;
    n->s = s;
    for (int64_t i = 0; i < A->rows * A->cols; i++) {
        double x = A->val[i];
        n->val[i] = o == OP_SCALE ? s * x : o == OP_ADDS ? x + s : o == OP_POW ? pow(x, s)
                  : o == OP_QUANT ? _lc_tape_quant_value(c, (int)s, x) : _lc_tape_fun_value(c, f, x);
    }
    return finite_or_fail(t, v, func);
}

lc_var lc_tape_scale(lc_tape *t, lc_var a, double s) { return unary(t, OP_SCALE, LC_FUN_NEG, a, s, __func__); }
lc_var lc_tape_add_scalar(lc_tape *t, lc_var a, double s) { return unary(t, OP_ADDS, LC_FUN_NEG, a, s, __func__); }
lc_var lc_tape_pow(lc_tape *t, lc_var a, double r) { return unary(t, OP_POW, LC_FUN_NEG, a, r, __func__); }
lc_var lc_tape_unary(lc_tape *t, lc_fun f, lc_var a) { return unary(t, OP_UNARY, f, a, 0.0, __func__); }

double _lc_tape_quant_value(const lc_ctx *c, int bits, double x)
{
    double m = (double)((1L << bits) - 1), y = x >= 0 ? x : 0.0;
    y = y <= 1 ? y : 1.0;
    return _lc_tape_fun_value(c, LC_FUN_ROUND, y * m) * (1.0 / m);
}

lc_var lc_tape_quant(lc_tape *t, lc_var a, int bits)
{
    if (t->status) return LC_VAR_NONE;
    if (bits < 1 || bits > 24) return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "bits must be in 1..24");
    return unary(t, OP_QUANT, LC_FUN_ROUND, a, (double)bits, __func__);
}

/* Row i of a (k entries): index of the first greatest and of the first
 * greatest among the others. */
static void top2(const double *a, int64_t k, int64_t *i1, int64_t *i2)
{
    int64_t b = 0, c = -1;
    for (int64_t j = 1; j < k; j++) {
        if (a[j] > a[b]) {
            c = b;
            b = j;
        } else if (c < 0 || a[j] > a[c]) {
            c = j;
        }
    }
    *i1 = b;
    *i2 = c;
}

lc_var lc_tape_argmax(lc_tape *t, lc_var a)
{
    if (_lc_tape_bad_var(t, a, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (N(t, a)->cols < 2) return _lc_tape_fail_msg(t, LC_ESHAPE, __func__, "rows need at least 2 entries");
    lc_var v = _lc_tape_push_real(t, OP_ARGMAX, a, LC_VAR_NONE, N(t, a)->rows, N(t, a)->cols);
    if (v == LC_VAR_NONE) return v;
    const struct lc_tape_node *A = N(t, a);
    double *y = N(t, v)->val;
    int64_t k = A->cols;
    for (int64_t i = 0; i < A->rows; i++) {
        int64_t i1, i2;
        top2(A->val + i * k, k, &i1, &i2);
        for (int64_t j = 0; j < k; j++) y[i * k + j] = j == i1;
    }
    return v;
}

/* Backward of lc_tape_argmax as the composition step(a_j − max_{k≠j} a_k). */
static lc_status argmax_backward(lc_tape *t, struct lc_tape_node *n, double *ga)
{
    const struct lc_tape_node *A = N(t, n->a);
    int64_t k = A->cols, cnt = A->rows * k;
    double *u = _lc_tape_alloc(t, (size_t)cnt, sizeof *u), *d = _lc_tape_alloc(t, (size_t)cnt, sizeof *d);
    int64_t *other = _lc_tape_alloc(t, (size_t)cnt, sizeof *other);
    if (!u || !d || !other) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
    for (int64_t i = 0; i < A->rows; i++) {
        const double *ai = A->val + i * k;
        int64_t i1, i2;
        top2(ai, k, &i1, &i2);
        for (int64_t j = 0; j < k; j++) {
            other[i * k + j] = i * k + (j == i1 ? i2 : i1);
            u[i * k + j] = ai[j] - A->val[other[i * k + j]];
        }
    }
    lc_status s = _lc_tape_est_deriv(t, &n->est, LC_PRIM_STEP, 0, u, cnt, d);
    if (s) return s;
    for (int64_t i = 0; i < cnt; i++) {
        ga[i] += n->grad[i] * d[i];
        ga[other[i]] -= n->grad[i] * d[i];
    }
    return LC_OK;
}

/* ------------------------------------------------------------ dense algebra */

/* C = alpha·op(A)·op(B) + beta·C, row-major; op = transpose when tX. */
void _lc_tape_gemm(int tA, int tB, int64_t m, int64_t n, int64_t k, double alpha, const double *A,
                 const double *B, double beta, double *C)
{
    int64_t lda = tA ? m : k, ldb = tB ? k : n;
#ifdef INFNUM_HAVE_CBLAS
    cblas_dgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
                (blasint)m, (blasint)n, (blasint)k, alpha, A, (blasint)lda, B, (blasint)ldb, beta,
                C, (blasint)n);
#else
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t p = 0; p < k; p++)
                s += (tA ? A[p * lda + i] : A[i * lda + p]) * (tB ? B[j * ldb + p] : B[p * ldb + j]);
            C[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * C[i * n + j]);
        }
#endif
}

lc_var lc_tape_matmul(lc_tape *t, lc_var a, lc_var b)
{
    if (_lc_tape_bad_var(t, a, 0, __func__) || _lc_tape_bad_var(t, b, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (N(t, a)->cols != N(t, b)->rows) return _lc_tape_fail_msg(t, LC_ESHAPE, __func__, "a is m×k, b must be k×n");
    lc_var v = _lc_tape_push_real(t, OP_MATMUL, a, b, N(t, a)->rows, N(t, b)->cols);
    if (v == LC_VAR_NONE) return v;
    const struct lc_tape_node *A = N(t, a), *B = N(t, b);
    _lc_tape_gemm(0, 0, A->rows, B->cols, A->cols, 1.0, A->val, B->val, 0.0, N(t, v)->val);
    return v;
}

lc_var lc_tape_linear(lc_tape *t, lc_var x, lc_var w, lc_var bias)
{
    if (_lc_tape_bad_var(t, x, 0, __func__) || _lc_tape_bad_var(t, w, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (bias != LC_VAR_NONE && _lc_tape_bad_var(t, bias, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    int64_t nout = N(t, w)->rows;
    if (N(t, x)->cols != N(t, w)->cols ||
        (bias != LC_VAR_NONE && (N(t, bias)->rows != 1 || N(t, bias)->cols != nout)))
        return _lc_tape_fail_msg(t, LC_ESHAPE, __func__, "x is n×in, w must be out×in and bias 1×out");
    lc_var v = _lc_tape_push_real(t, OP_LINEAR, x, w, N(t, x)->rows, nout);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *Y = N(t, v);
    const struct lc_tape_node *X = N(t, x), *W = N(t, w);
    Y->c = bias;
    for (int64_t i = 0; i < Y->rows; i++)
        for (int64_t j = 0; j < nout; j++) Y->val[i * nout + j] = bias == LC_VAR_NONE ? 0.0 : N(t, bias)->val[j];
    _lc_tape_gemm(0, 1, X->rows, nout, X->cols, 1.0, X->val, W->val, 1.0, Y->val);
    return v;
}

static lc_var reduce(lc_tape *t, op o, lc_var a, const char *func)
{
    if (_lc_tape_bad_var(t, a, 0, func)) return _lc_tape_fail(t, LC_EINVAL);
    lc_var v = _lc_tape_push_real(t, o, a, LC_VAR_NONE, 1, 1);
    if (v == LC_VAR_NONE) return v;
    const struct lc_tape_node *A = N(t, a);
    int64_t n = A->rows * A->cols;
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += A->val[i];
    N(t, v)->val[0] = o == OP_MEAN ? s / (double)n : s;
    return v;
}

lc_var lc_tape_sum(lc_tape *t, lc_var a) { return reduce(t, OP_SUM, a, __func__); }
lc_var lc_tape_mean(lc_tape *t, lc_var a) { return reduce(t, OP_MEAN, a, __func__); }

lc_var lc_tape_softmax_xent(lc_tape *t, lc_var logits, const int32_t *labels)
{
    if (_lc_tape_bad_var(t, logits, 0, __func__)) return _lc_tape_fail(t, LC_EINVAL);
    if (!labels) return _lc_tape_fail_msg(t, LC_EINVAL, __func__, "NULL labels");
    int64_t n = N(t, logits)->rows, k = N(t, logits)->cols;
    for (int64_t i = 0; i < n; i++)
        if (labels[i] < 0 || labels[i] >= k) {
            lc_fail(t->ctx, LC_EINVAL, __func__, "label %d of row %lld is outside 0..%lld",
                    (int)labels[i], (long long)i, (long long)(k - 1));
            return _lc_tape_fail(t, LC_EINVAL);
        }
    lc_var v = _lc_tape_push_real(t, OP_XENT, logits, LC_VAR_NONE, 1, 1);
    if (v == LC_VAR_NONE) return v;
    double *p = _lc_tape_alloc(t, (size_t)(n * k), sizeof *p);
    if (!p) {
        t->nnodes--;
        return _lc_tape_fail_msg(t, LC_ENOMEM, __func__, "out of memory");
    }
    const double *z = N(t, logits)->val;
    double loss = 0;
    for (int64_t i = 0; i < n; i++) {
        const double *zi = z + i * k;
        double mx = zi[0], s = 0;
        for (int64_t j = 1; j < k; j++) mx = zi[j] > mx ? zi[j] : mx;
        for (int64_t j = 0; j < k; j++) s += (p[i * k + j] = exp(zi[j] - mx));
        for (int64_t j = 0; j < k; j++) p[i * k + j] /= s;
        loss += mx + log(s) - zi[labels[i]];
    }
    struct lc_tape_node *Y = N(t, v);
    Y->aux = p;
    Y->labels = labels;
    Y->val[0] = loss / (double)n;
    return v;
}

/* Local derivative of a unary real op at a (y its value) into d. */
static lc_status unary_deriv(lc_tape *t, const struct lc_tape_node *n, const double *a, int64_t cnt,
                             double *d)
{
    static const lc_prim prim[] = {[LC_FUN_ABS] = LC_PRIM_ABS, [LC_FUN_RELU] = LC_PRIM_RELU,
                                   [LC_FUN_STEP] = LC_PRIM_STEP, [LC_FUN_SIGN] = LC_PRIM_SIGN,
                                   [LC_FUN_FLOOR] = LC_PRIM_FLOOR, [LC_FUN_CEIL] = LC_PRIM_CEIL,
                                   [LC_FUN_ROUND] = LC_PRIM_ROUND};
    const double *y = n->val;
    if (n->op == OP_UNARY && n->fun >= LC_FUN_ABS)
        return _lc_tape_est_deriv(t, &n->est, prim[n->fun], 0, a, cnt, d);
    if (n->op == OP_QUANT) return _lc_tape_est_deriv(t, &n->est, LC_PRIM_ROUND, (int)n->s, a, cnt, d);
    for (int64_t i = 0; i < cnt; i++) {
        double x = a[i];
        if (n->op == OP_SCALE) d[i] = n->s;
        else if (n->op == OP_ADDS) d[i] = 1.0;
        else if (n->op == OP_POW) d[i] = n->s * pow(x, n->s - 1.0);
        else switch (n->fun) {
            case LC_FUN_NEG: d[i] = -1.0; break;
            case LC_FUN_EXP: d[i] = y[i]; break;
            case LC_FUN_LOG: d[i] = 1.0 / x; break;
            case LC_FUN_SIN: d[i] = cos(x); break;
            case LC_FUN_COS: d[i] = -sin(x); break;
            case LC_FUN_TANH: d[i] = 1.0 - y[i] * y[i]; break;
            case LC_FUN_SIGMOID: d[i] = y[i] * (1.0 - y[i]); break;
            case LC_FUN_SOFTPLUS: d[i] = _lc_sigmoid_real(x); break;
            case LC_FUN_SQRT: d[i] = 0.5 / y[i]; break;
            case LC_FUN_RECIP: d[i] = -y[i] * y[i]; break;
            default: d[i] = 0.0; break;
            }
    }
    return LC_OK;
}

/* Backward of binary elementwise ops (with broadcasting of b). */
static lc_status binary_backward(lc_tape *t, struct lc_tape_node *n)
{
    const struct lc_tape_node *A = N(t, n->a), *B = N(t, n->b);
    int64_t cnt = A->rows * A->cols;
    double *ga = _lc_tape_gbuf(t, n->a), *gb = _lc_tape_gbuf(t, n->b), *d = NULL;
    if (!ga || !gb) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
    if (n->op == OP_MAX || n->op == OP_MIN) { /* d = relu'(a − b) under the estimator */
        double *u = _lc_tape_alloc(t, (size_t)cnt, sizeof *u);
        d = _lc_tape_alloc(t, (size_t)cnt, sizeof *d);
        if (!u || !d) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        for (int64_t i = 0; i < cnt; i++) u[i] = A->val[i] - B->val[bidx(A, B, i)];
        lc_status s = _lc_tape_est_deriv(t, &n->est, LC_PRIM_RELU, 0, u, cnt, d);
        if (s) return s;
    }
    const double *g = n->grad;
    for (int64_t i = 0; i < cnt; i++) {
        int64_t j = bidx(A, B, i);
        double a = A->val[i], b = B->val[j];
        switch (n->op) {
        case OP_ADD: ga[i] += g[i]; gb[j] += g[i]; break;
        case OP_SUB: ga[i] += g[i]; gb[j] -= g[i]; break;
        case OP_MUL: ga[i] += g[i] * b; gb[j] += g[i] * a; break;
        case OP_DIV: ga[i] += g[i] / b; gb[j] -= g[i] * n->val[i] / b; break;
        case OP_MAX: ga[i] += g[i] * d[i]; gb[j] += g[i] * (1.0 - d[i]); break;
        default: ga[i] += g[i] * (1.0 - d[i]); gb[j] += g[i] * d[i]; break;
        }
    }
    return LC_OK;
}

lc_status _lc_tape_real_backward(lc_tape *t, struct lc_tape_node *n)
{
    const double *g = n->grad;
    struct lc_tape_node *A = n->a >= 0 ? N(t, n->a) : NULL;
    double *ga = NULL, *gb = NULL;
    if (n->op == OP_PARAM || n->op == OP_CONST) return LC_OK;
    if (n->op == OP_LC_COEFF) { /* adjoint of one coefficient per row */
        int64_t nr = n->rows, L = lc_lcm_i64(n->den, A->lc.den), k;
        if (!L || !lc_mul_i64(n->num, L / n->den, &k))
            return lc_fail(t->ctx, LC_EOVERFLOW, "lc_tape_backward", "exponent overflow");
        adj d = {nr, L, _lc_tape_rowptr(t, nr), _lc_tape_alloc(t, (size_t)nr, sizeof(adj_term))};
        if (!d.ptr || !d.t) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        for (int64_t r = 0; r < nr; r++) {
            d.t[r] = (adj_term){k, g[r]};
            d.ptr[r + 1] = r + 1;
        }
        _lc_tape_adj_normalise(&d);
        return _lc_tape_adj_acc(t, A, &d);
    }
    if (n->op >= OP_ADD && n->op <= OP_DIV) return binary_backward(t, n);
    if (n->op == OP_MAX || n->op == OP_MIN) return binary_backward(t, n);
    if (!(ga = _lc_tape_gbuf(t, n->a))) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
    int64_t cnt = A->rows * A->cols;
    switch (n->op) {
    case OP_SUM: case OP_MEAN: {
        double s = n->op == OP_MEAN ? g[0] / (double)cnt : g[0];
        for (int64_t i = 0; i < cnt; i++) ga[i] += s;
        return LC_OK;
    }
    case OP_XENT: {
        int64_t k = A->cols;
        double s = g[0] / (double)A->rows;
        for (int64_t i = 0; i < cnt; i++) ga[i] += s * n->aux[i];
        for (int64_t i = 0; i < A->rows; i++) ga[i * k + n->labels[i]] -= s;
        return LC_OK;
    }
    case OP_ARGMAX: return argmax_backward(t, n, ga);
    case OP_MATMUL: { /* gA += g·Bᵀ, gB += Aᵀ·g */
        const struct lc_tape_node *B = N(t, n->b);
        if (!(gb = _lc_tape_gbuf(t, n->b))) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        _lc_tape_gemm(0, 1, A->rows, A->cols, B->cols, 1.0, g, B->val, 1.0, ga);
        _lc_tape_gemm(1, 0, B->rows, B->cols, A->rows, 1.0, A->val, g, 1.0, gb);
        return LC_OK;
    }
    case OP_LINEAR: { /* gX += g·W, gW += gᵀ·X, gbias += column sums of g */
        const struct lc_tape_node *W = N(t, n->b);
        if (!(gb = _lc_tape_gbuf(t, n->b))) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        if (A->op != OP_CONST) _lc_tape_gemm(0, 0, n->rows, A->cols, n->cols, 1.0, g, W->val, 1.0, ga);
        _lc_tape_gemm(1, 0, n->cols, A->cols, n->rows, 1.0, g, A->val, 1.0, gb);
        if (n->c != LC_VAR_NONE) {
            double *gc = _lc_tape_gbuf(t, n->c);
            if (!gc) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
            for (int64_t i = 0; i < n->rows; i++)
                for (int64_t j = 0; j < n->cols; j++) gc[j] += g[i * n->cols + j];
        }
        return LC_OK;
    }
    default: { /* SCALE, ADDS, POW, UNARY */
        double *d = _lc_tape_alloc(t, (size_t)cnt, sizeof *d);
        if (!d) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        int jump = n->op == OP_QUANT || (n->op == OP_UNARY && n->fun >= LC_FUN_STEP);
        if (jump && n->est.kind == LC_EST_COMPOSITE) return _lc_tape_composite(t, n, ga);
        lc_status s = unary_deriv(t, n, A->val, cnt, d);
        if (s) return s;
        for (int64_t i = 0; i < cnt; i++) ga[i] += g[i] * d[i];
        return LC_OK;
    }
    }
}
