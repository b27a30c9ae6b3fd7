/* Reverse mode: a tape of batched ops on real tensors and Levi-Civita batches.
 * Forward values are computed when an op is recorded; lc_tape_backward walks
 * the nodes in reverse. Memory comes from an arena of blocks that
 * lc_tape_reset rewinds, so re-recording the same ops allocates nothing. */
#include "infnum/tape.h"
#include "infnum/ext.h"
#include "infnum/raw_order.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifdef INFNUM_HAVE_CBLAS
#include <cblas.h>
#endif

#define BLOCK_MIN ((size_t)1 << 20)

typedef enum op {
    OP_PARAM, OP_CONST, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SCALE, OP_ADDS, OP_POW, OP_UNARY,
    OP_MAX, OP_MIN, OP_ARGMAX, OP_MATMUL, OP_LINEAR, OP_SUM, OP_MEAN, OP_XENT,
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

/* ----------------------------------------------------------------- arena */

static void *arena_alloc(lc_tape *t, size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - 64) / size) return NULL;
    size_t bytes = (n * size + 15) & ~(size_t)15;
    if (bytes == 0) bytes = 16;
    struct lc_tape_block *b = t->cur;
    if (b && b->used + bytes <= b->size) {
        void *p = (char *)b->data + b->used;
        b->used += bytes;
        return p;
    }
    struct lc_tape_block *next = b ? b->next : t->blocks;
    if (!next || next->size < bytes) {
        size_t sz = bytes > BLOCK_MIN ? bytes : BLOCK_MIN;
        struct lc_tape_block *nb = lc_malloc(t->ctx, 1, sizeof *nb + sz);
        if (!nb) return NULL;
        nb->size = sz;
        nb->next = next;
        if (b) b->next = nb;
        else t->blocks = nb;
        next = nb;
    }
    next->used = bytes;
    t->cur = next;
    return next->data;
}

static double *arena_zeros(lc_tape *t, int64_t n)
{
    double *p = arena_alloc(t, (size_t)n, sizeof *p);
    if (p) memset(p, 0, (size_t)n * sizeof *p);
    return p;
}

/* Zeroed row pointers of an adjoint with n rows. */
static int64_t *arena_rowptr(lc_tape *t, int64_t n)
{
    int64_t *p = arena_alloc(t, (size_t)n + 1, sizeof *p);
    if (p) memset(p, 0, ((size_t)n + 1) * sizeof *p);
    return p;
}

/* ------------------------------------------------------------------ pool
 * Allocator of t->pool: blocks of 2^c bytes (header included) kept in bin c
 * when freed and handed out again; new blocks come from t->ctx. */

typedef union pool_hdr {
    size_t cls;
    max_align_t align;
} pool_hdr;

static void *pool_malloc(size_t size, void *user)
{
    lc_tape *t = user;
    size_t need = size + sizeof(pool_hdr);
    unsigned c = 6;
    while (c < 63 && ((size_t)1 << c) < need) c++;
    if (((size_t)1 << c) < need) return NULL;
    unsigned k = c; /* a kept block of this class or larger, else a new one */
    while (k < 64 && !t->bins[k]) k++;
    pool_hdr *h;
    if (k < 64) {
        h = t->bins[k];
        t->bins[k] = *(void **)(h + 1);
        c = k;
    } else if (!(h = lc_malloc(t->ctx, (size_t)1 << c, 1))) {
        return NULL;
    }
    h->cls = c;
    return h + 1;
}

static void pool_free(void *p, void *user)
{
    lc_tape *t = user;
    if (!p) return;
    pool_hdr *h = (pool_hdr *)p - 1;
    *(void **)p = t->bins[h->cls];
    t->bins[h->cls] = h;
}

static void *pool_realloc(void *p, size_t size, void *user)
{
    if (!p) return pool_malloc(size, user);
    pool_hdr *h = (pool_hdr *)p - 1;
    size_t have = ((size_t)1 << h->cls) - sizeof(pool_hdr);
    if (size <= have) return p;
    void *q = pool_malloc(size, user);
    if (!q) return NULL;
    memcpy(q, p, have);
    pool_free(p, user);
    return q;
}

/* t->pool with t->ctx's current settings. */
static lc_ctx *pool_ctx(lc_tape *t)
{
    lc_ctx *p = &t->pool, *c = t->ctx;
    p->depth = c->depth;
    p->h0 = c->h0;
    p->sign0 = c->sign0;
    p->round_tie = c->round_tie;
    p->nthreads = c->nthreads;
    p->alloc = (lc_alloc){pool_malloc, pool_realloc, pool_free, t};
    p->err[0] = '\0';
    return p;
}

/* lc_est_deriv through the pool; the message of a failure goes to t->ctx. */
static lc_status est_deriv(lc_tape *t, const lc_est *e, lc_prim p, const double *u, int64_t n, double *d)
{
    lc_ctx *pc = pool_ctx(t);
    lc_status s = lc_est_deriv(pc, e, p, u, n, d);
    if (s) memcpy(t->ctx->err, pc->err, sizeof pc->err);
    return s;
}

static void pool_clear(lc_tape *t)
{
    lc_ctx_clear(pool_ctx(t));
    for (int c = 0; c < 64; c++)
        for (pool_hdr *h = t->bins[c], *nx; h; h = nx) {
            nx = *(void **)(h + 1);
            lc_free(t->ctx, h);
        }
}

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
    pool_clear(t);
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
static lc_var tape_fail(lc_tape *t, lc_status s)
{
    if (t->status == LC_OK) t->status = s;
    return LC_VAR_NONE;
}

static lc_var fail_msg(lc_tape *t, lc_status s, const char *func, const char *msg)
{
    if (t->status == LC_OK) lc_fail(t->ctx, s, func, "%s", msg);
    return tape_fail(t, s);
}

static struct lc_tape_node *N(const lc_tape *t, lc_var v) { return &t->nodes[v]; }

/* Operand check: v must name a node of the wanted kind (is_lc). */
static int bad_var(lc_tape *t, lc_var v, int is_lc, const char *func)
{
    if (t->status) return 1;
    if (v < 0 || v >= t->nnodes || N(t, v)->is_lc != is_lc) {
        fail_msg(t, LC_EINVAL, func, is_lc ? "operand is not a Levi-Civita node of this tape"
                                           : "operand is not a real node of this tape");
        return 1;
    }
    return 0;
}

/* Appends a node (operands a, b); returns its index or LC_VAR_NONE. */
static lc_var push(lc_tape *t, op o, int is_lc, lc_var a, lc_var b)
{
    if (t->nnodes == t->node_cap) {
        int32_t cap = t->node_cap ? 2 * t->node_cap : 64;
        struct lc_tape_node *nn = lc_realloc(t->ctx, t->nodes, (size_t)cap, sizeof *nn);
        if (!nn) return fail_msg(t, LC_ENOMEM, "lc_tape", "out of memory growing the tape");
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
static lc_var push_real(lc_tape *t, op o, lc_var a, lc_var b, int64_t rows, int64_t cols)
{
    lc_var v = push(t, o, 0, a, b);
    if (v == LC_VAR_NONE) return v;
    double *val = arena_alloc(t, (size_t)(rows * cols), sizeof *val);
    if (!val) {
        t->nnodes--;
        return fail_msg(t, LC_ENOMEM, "lc_tape", "out of memory for a node value");
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

/* ------------------------------------------------------------- real leaves */

static int bad_shape(lc_tape *t, int64_t rows, int64_t cols, const void *p, const char *func)
{
    if (t->status) return 1;
    if (rows < 1 || cols < 1 || rows > INT32_MAX || cols > INT32_MAX || !p) {
        fail_msg(t, LC_EINVAL, func, "NULL data or shape outside 1..2^31-1");
        return 1;
    }
    return 0;
}

lc_var lc_tape_param(lc_tape *t, double *val, double *grad, int64_t rows, int64_t cols)
{
    if (bad_shape(t, rows, cols, val, __func__)) return tape_fail(t, LC_EINVAL);
    if (!grad) return fail_msg(t, LC_EINVAL, __func__, "NULL gradient buffer");
    lc_var v = push(t, OP_PARAM, 0, LC_VAR_NONE, LC_VAR_NONE);
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
    if (bad_shape(t, rows, cols, val, __func__)) return tape_fail(t, LC_EINVAL);
    lc_var v = push(t, OP_CONST, 0, LC_VAR_NONE, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    n->val = (double *)val; /* never written: constants get no gradient */
    n->rows = rows;
    n->cols = cols;
    return v;
}

lc_var lc_tape_const_f32(lc_tape *t, const float *val, int64_t rows, int64_t cols)
{
    if (bad_shape(t, rows, cols, val, __func__)) return tape_fail(t, LC_EINVAL);
    lc_var v = push_real(t, OP_CONST, LC_VAR_NONE, LC_VAR_NONE, rows, cols);
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
            return tape_fail(t, LC_EDOMAIN);
        }
    return v;
}

static lc_var binary(lc_tape *t, op o, lc_var a, lc_var b, const char *func)
{
    if (bad_var(t, a, 0, func) || bad_var(t, b, 0, func)) return tape_fail(t, LC_EINVAL);
    const struct lc_tape_node *A = N(t, a), *B = N(t, b);
    int ok = (B->rows == A->rows && B->cols == A->cols) || (B->rows == 1 && B->cols == A->cols) ||
             (B->rows == 1 && B->cols == 1);
    if (!ok) return fail_msg(t, LC_ESHAPE, func, "b must match a, be a 1×cols row or 1×1");
    lc_var v = push_real(t, o, a, b, A->rows, A->cols);
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

static double fun_value(lc_fun f, double x, double sign0, double h0, lc_round_tie tie)
{
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
    if (bad_var(t, a, 0, func)) return tape_fail(t, LC_EINVAL);
    if ((unsigned)f > LC_FUN_ROUND) return fail_msg(t, LC_EINVAL, func, "unknown function");
    lc_var v = push_real(t, o, a, LC_VAR_NONE, N(t, a)->rows, N(t, a)->cols);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    const struct lc_tape_node *A = N(t, a);
    const lc_ctx *c = t->ctx;
    double h0 = c->h0 == LC_H0_ONE ? 1.0 : c->h0 == LC_H0_HALF ? 0.5 : 0.0;
    n->fun = f;
    n->s = s;
    for (int64_t i = 0; i < A->rows * A->cols; i++) {
        double x = A->val[i];
        n->val[i] = o == OP_SCALE ? s * x : o == OP_ADDS ? x + s : o == OP_POW ? pow(x, s)
                  : fun_value(f, x, c->sign0, h0, c->round_tie);
    }
    return finite_or_fail(t, v, func);
}

lc_var lc_tape_scale(lc_tape *t, lc_var a, double s) { return unary(t, OP_SCALE, LC_FUN_NEG, a, s, __func__); }
lc_var lc_tape_add_scalar(lc_tape *t, lc_var a, double s) { return unary(t, OP_ADDS, LC_FUN_NEG, a, s, __func__); }
lc_var lc_tape_pow(lc_tape *t, lc_var a, double r) { return unary(t, OP_POW, LC_FUN_NEG, a, r, __func__); }
lc_var lc_tape_unary(lc_tape *t, lc_fun f, lc_var a) { return unary(t, OP_UNARY, f, a, 0.0, __func__); }

lc_var lc_tape_quant(lc_tape *t, lc_var a, int bits)
{
    static const double zero = 0.0, one = 1.0;
    if (t->status) return LC_VAR_NONE;
    if (bits < 1 || bits > 24) return fail_msg(t, LC_EINVAL, __func__, "bits must be in 1..24");
    double m = (double)((1L << bits) - 1);
    lc_var c = lc_tape_min(t, lc_tape_max(t, a, lc_tape_const(t, &zero, 1, 1)),
                           lc_tape_const(t, &one, 1, 1));
    return lc_tape_scale(t, lc_tape_unary(t, LC_FUN_ROUND, lc_tape_scale(t, c, m)), 1.0 / m);
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
    if (bad_var(t, a, 0, __func__)) return tape_fail(t, LC_EINVAL);
    if (N(t, a)->cols < 2) return fail_msg(t, LC_ESHAPE, __func__, "rows need at least 2 entries");
    lc_var v = push_real(t, OP_ARGMAX, a, LC_VAR_NONE, N(t, a)->rows, N(t, a)->cols);
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
    double *u = arena_alloc(t, (size_t)cnt, sizeof *u), *d = arena_alloc(t, (size_t)cnt, sizeof *d);
    int64_t *other = arena_alloc(t, (size_t)cnt, sizeof *other);
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
    lc_status s = est_deriv(t, &n->est, LC_PRIM_STEP, u, cnt, d);
    if (s) return s;
    for (int64_t i = 0; i < cnt; i++) {
        ga[i] += n->grad[i] * d[i];
        ga[other[i]] -= n->grad[i] * d[i];
    }
    return LC_OK;
}

/* ------------------------------------------------------------ dense algebra */

/* C = alpha·op(A)·op(B) + beta·C, row-major; op = transpose when tX. */
static void gemm(int tA, int tB, int64_t m, int64_t n, int64_t k, double alpha, const double *A,
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
    if (bad_var(t, a, 0, __func__) || bad_var(t, b, 0, __func__)) return tape_fail(t, LC_EINVAL);
    if (N(t, a)->cols != N(t, b)->rows) return fail_msg(t, LC_ESHAPE, __func__, "a is m×k, b must be k×n");
    lc_var v = push_real(t, OP_MATMUL, a, b, N(t, a)->rows, N(t, b)->cols);
    if (v == LC_VAR_NONE) return v;
    const struct lc_tape_node *A = N(t, a), *B = N(t, b);
    gemm(0, 0, A->rows, B->cols, A->cols, 1.0, A->val, B->val, 0.0, N(t, v)->val);
    return v;
}

lc_var lc_tape_linear(lc_tape *t, lc_var x, lc_var w, lc_var bias)
{
    if (bad_var(t, x, 0, __func__) || bad_var(t, w, 0, __func__)) return tape_fail(t, LC_EINVAL);
    if (bias != LC_VAR_NONE && bad_var(t, bias, 0, __func__)) return tape_fail(t, LC_EINVAL);
    int64_t nout = N(t, w)->rows;
    if (N(t, x)->cols != N(t, w)->cols ||
        (bias != LC_VAR_NONE && (N(t, bias)->rows != 1 || N(t, bias)->cols != nout)))
        return fail_msg(t, LC_ESHAPE, __func__, "x is n×in, w must be out×in and bias 1×out");
    lc_var v = push_real(t, OP_LINEAR, x, w, N(t, x)->rows, nout);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *Y = N(t, v);
    const struct lc_tape_node *X = N(t, x), *W = N(t, w);
    Y->c = bias;
    for (int64_t i = 0; i < Y->rows; i++)
        for (int64_t j = 0; j < nout; j++) Y->val[i * nout + j] = bias == LC_VAR_NONE ? 0.0 : N(t, bias)->val[j];
    gemm(0, 1, X->rows, nout, X->cols, 1.0, X->val, W->val, 1.0, Y->val);
    return v;
}

static lc_var reduce(lc_tape *t, op o, lc_var a, const char *func)
{
    if (bad_var(t, a, 0, func)) return tape_fail(t, LC_EINVAL);
    lc_var v = push_real(t, o, a, LC_VAR_NONE, 1, 1);
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
    if (bad_var(t, logits, 0, __func__)) return tape_fail(t, LC_EINVAL);
    if (!labels) return fail_msg(t, LC_EINVAL, __func__, "NULL labels");
    int64_t n = N(t, logits)->rows, k = N(t, logits)->cols;
    for (int64_t i = 0; i < n; i++)
        if (labels[i] < 0 || labels[i] >= k) {
            lc_fail(t->ctx, LC_EINVAL, __func__, "label %d of row %lld is outside 0..%lld",
                    (int)labels[i], (long long)i, (long long)(k - 1));
            return tape_fail(t, LC_EINVAL);
        }
    lc_var v = push_real(t, OP_XENT, logits, LC_VAR_NONE, 1, 1);
    if (v == LC_VAR_NONE) return v;
    double *p = arena_alloc(t, (size_t)(n * k), sizeof *p);
    if (!p) {
        t->nnodes--;
        return fail_msg(t, LC_ENOMEM, __func__, "out of memory");
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

/* -------------------------------------------------------------- LC forward */

/* Outcome of the core call that filled node v (the last one). */
static lc_var lc_result(lc_tape *t, lc_var v, lc_status s)
{
    if (s == LC_OK) return v;
    t->nnodes--; /* ctx->err already names the core function */
    return tape_fail(t, s);
}

lc_var lc_tape_lc_from_real(lc_tape *t, lc_var x, lc_var dv)
{
    if (bad_var(t, x, 0, __func__)) return tape_fail(t, LC_EINVAL);
    if (dv != LC_VAR_NONE && bad_var(t, dv, 0, __func__)) return tape_fail(t, LC_EINVAL);
    int64_t n = N(t, x)->rows * N(t, x)->cols;
    if (dv != LC_VAR_NONE && N(t, dv)->rows * N(t, dv)->cols != n)
        return fail_msg(t, LC_ESHAPE, __func__, "x and v must have the same number of entries");
    lc_var v = push(t, OP_LC_FROM_REAL, 1, x, dv);
    if (v == LC_VAR_NONE) return v;
    const double *dd = dv == LC_VAR_NONE ? NULL : N(t, dv)->val;
    return lc_result(t, v, lc_batch_from_real(t->ctx, &N(t, v)->lc, n, N(t, x)->val, dd));
}

lc_var lc_tape_lc_const(lc_tape *t, const lc_batch *b)
{
    if (t->status) return LC_VAR_NONE;
    if (!b) return fail_msg(t, LC_EINVAL, __func__, "NULL batch");
    lc_var v = push(t, OP_LC_CONST, 1, LC_VAR_NONE, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    return lc_result(t, v, lc_batch_copy(t->ctx, &N(t, v)->lc, b));
}

lc_var lc_tape_lc_coeff(lc_tape *t, lc_var a, int64_t num, int64_t den)
{
    if (bad_var(t, a, 1, __func__)) return tape_fail(t, LC_EINVAL);
    if (den < 1 || N(t, a)->lc.nrows < 1) return fail_msg(t, LC_EINVAL, __func__, "den must be ≥ 1, a not empty");
    lc_var v = push_real(t, OP_LC_COEFF, a, LC_VAR_NONE, N(t, a)->lc.nrows, 1);
    if (v == LC_VAR_NONE) return v;
    N(t, v)->num = num;
    N(t, v)->den = den;
    return lc_result(t, v, lc_batch_coeff(t->ctx, &N(t, a)->lc, num, den, N(t, v)->val));
}

static lc_var lc_binary(lc_tape *t, op o, lc_var a, lc_var b, const char *func)
{
    if (bad_var(t, a, 1, func) || bad_var(t, b, 1, func)) return tape_fail(t, LC_EINVAL);
    lc_var v = push(t, o, 1, a, b);
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
    if (bad_var(t, a, 1, __func__) || bad_var(t, s, 0, __func__)) return tape_fail(t, LC_EINVAL);
    if (N(t, s)->rows * N(t, s)->cols != N(t, a)->lc.nrows)
        return fail_msg(t, LC_ESHAPE, __func__, "s needs one entry per row of a");
    lc_var v = push(t, OP_LC_SCALE_ROWS, 1, a, s);
    if (v == LC_VAR_NONE) return v;
    return lc_result(t, v, lc_scale_rows(t->ctx, &N(t, v)->lc, &N(t, a)->lc, N(t, s)->val));
}

lc_var lc_tape_lc_gather(lc_tape *t, lc_var a, const int64_t *idx, int64_t n)
{
    if (bad_var(t, a, 1, __func__)) return tape_fail(t, LC_EINVAL);
    if (!idx || n < 1) return fail_msg(t, LC_EINVAL, __func__, "NULL idx or n < 1");
    for (int64_t i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= N(t, a)->lc.nrows)
            return fail_msg(t, LC_EINVAL, __func__, "an index is outside the rows of a");
    int64_t *keep = arena_alloc(t, (size_t)n, sizeof *keep);
    if (!keep) return fail_msg(t, LC_ENOMEM, __func__, "out of memory");
    memcpy(keep, idx, (size_t)n * sizeof *keep);
    lc_var v = push(t, OP_LC_GATHER, 1, a, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    N(t, v)->rowmap = keep;
    return lc_result(t, v, lc_batch_gather(t->ctx, &N(t, v)->lc, &N(t, a)->lc, keep, n));
}

/* y = f(x) in the field. */
static lc_status lc_apply(lc_ctx *c, lc_fun f, lc_batch *y, const lc_batch *x)
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
    if (bad_var(t, a, 1, func)) return tape_fail(t, LC_EINVAL);
    if ((unsigned)f > LC_FUN_ROUND) return fail_msg(t, LC_EINVAL, func, "unknown function");
    lc_var v = push(t, o, 1, a, LC_VAR_NONE);
    if (v == LC_VAR_NONE) return v;
    struct lc_tape_node *n = N(t, v);
    const lc_batch *A = &N(t, a)->lc;
    n->fun = f;
    n->s = s;
    lc_status st = o == OP_LC_SCALE ? lc_scale(t->ctx, &n->lc, A, s)
                 : o == OP_LC_ADDS  ? lc_add_real(t->ctx, &n->lc, A, s)
                 : o == OP_LC_POW   ? lc_pow(t->ctx, &n->lc, A, s)
                                    : lc_apply(t->ctx, f, &n->lc, A);
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
static void adj_normalise(adj *g)
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
static lc_status adj_acc(lc_tape *t, struct lc_tape_node *x, const adj *d)
{
    adj *g = &x->g;
    if (!g->ptr) {
        *g = *d;
        return LC_OK;
    }
    int64_t L = lc_lcm_i64(g->den, d->den), fg = L ? L / g->den : 0, fd = L ? L / d->den : 0;
    if (!L) return lc_fail(t->ctx, LC_EOVERFLOW, "lc_tape_backward", "exponent denominator overflow");
    int64_t tot = g->ptr[g->nrows] + d->ptr[d->nrows];
    adj m = {g->nrows, L, arena_alloc(t, (size_t)g->nrows + 1, sizeof(int64_t)),
             arena_alloc(t, (size_t)(tot ? tot : 1), sizeof(adj_term))};
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
    adj_normalise(&m);
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
    adj d = {nx, L, arena_rowptr(t, nx), NULL};
    int64_t *pos = arena_rowptr(t, nx);
    if (!d.ptr || !pos) return lc_fail(c, LC_ENOMEM, "lc_tape_backward", "out of memory");
#define TARGET(r) (map ? map[r] : nx == 1 ? 0 : (r))
#define MROW(r) (m && m->nrows == 1 ? 0 : (r))
    for (int64_t r = 0; r < gy->nrows; r++) /* room per row of x */
        d.ptr[TARGET(r) + 1] += (gy->ptr[r + 1] - gy->ptr[r]) * (m ? lc_row_len(m, MROW(r)) : 1);
    for (int64_t r = 0; r < nx; r++) d.ptr[r + 1] += d.ptr[r];
    for (int64_t r = 0; r < nx; r++) pos[r] = d.ptr[r];
    d.t = arena_alloc(t, (size_t)(d.ptr[nx] ? d.ptr[nx] : 1), sizeof(adj_term));
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
    adj_normalise(&d);
    return adj_acc(t, x, &d);
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
static lc_status lc_backward(lc_tape *t, struct lc_tape_node *n)
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

/* ---------------------------------------------------------- real backward */

/* Gradient buffer of real node v (zeroed on first use); NULL on ENOMEM. */
static double *gbuf(lc_tape *t, lc_var v)
{
    struct lc_tape_node *n = N(t, v);
    if (!n->grad) n->grad = arena_zeros(t, n->rows * n->cols);
    return n->grad;
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
        return est_deriv(t, &n->est, prim[n->fun], a, cnt, d);
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
    double *ga = gbuf(t, n->a), *gb = gbuf(t, n->b), *d = NULL;
    if (!ga || !gb) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
    if (n->op == OP_MAX || n->op == OP_MIN) { /* d = relu'(a − b) under the estimator */
        double *u = arena_alloc(t, (size_t)cnt, sizeof *u);
        d = arena_alloc(t, (size_t)cnt, sizeof *d);
        if (!u || !d) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        for (int64_t i = 0; i < cnt; i++) u[i] = A->val[i] - B->val[bidx(A, B, i)];
        lc_status s = est_deriv(t, &n->est, LC_PRIM_RELU, u, cnt, d);
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

static lc_status real_backward(lc_tape *t, struct lc_tape_node *n)
{
    const double *g = n->grad;
    struct lc_tape_node *A = n->a >= 0 ? N(t, n->a) : NULL;
    double *ga = NULL, *gb = NULL;
    if (n->op == OP_PARAM || n->op == OP_CONST) return LC_OK;
    if (n->op == OP_LC_COEFF) { /* adjoint of one coefficient per row */
        int64_t nr = n->rows, L = lc_lcm_i64(n->den, A->lc.den), k;
        if (!L || !lc_mul_i64(n->num, L / n->den, &k))
            return lc_fail(t->ctx, LC_EOVERFLOW, "lc_tape_backward", "exponent overflow");
        adj d = {nr, L, arena_rowptr(t, nr), arena_alloc(t, (size_t)nr, sizeof(adj_term))};
        if (!d.ptr || !d.t) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        for (int64_t r = 0; r < nr; r++) {
            d.t[r] = (adj_term){k, g[r]};
            d.ptr[r + 1] = r + 1;
        }
        adj_normalise(&d);
        return adj_acc(t, A, &d);
    }
    if (n->op >= OP_ADD && n->op <= OP_DIV) return binary_backward(t, n);
    if (n->op == OP_MAX || n->op == OP_MIN) return binary_backward(t, n);
    if (!(ga = gbuf(t, n->a))) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
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
        if (!(gb = gbuf(t, n->b))) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        gemm(0, 1, A->rows, A->cols, B->cols, 1.0, g, B->val, 1.0, ga);
        gemm(1, 0, B->rows, B->cols, A->rows, 1.0, A->val, g, 1.0, gb);
        return LC_OK;
    }
    case OP_LINEAR: { /* gX += g·W, gW += gᵀ·X, gbias += column sums of g */
        const struct lc_tape_node *W = N(t, n->b);
        if (!(gb = gbuf(t, n->b))) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        if (A->op != OP_CONST) gemm(0, 0, n->rows, A->cols, n->cols, 1.0, g, W->val, 1.0, ga);
        gemm(1, 0, n->cols, A->cols, n->rows, 1.0, g, A->val, 1.0, gb);
        if (n->c != LC_VAR_NONE) {
            double *gc = gbuf(t, n->c);
            if (!gc) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
            for (int64_t i = 0; i < n->rows; i++)
                for (int64_t j = 0; j < n->cols; j++) gc[j] += g[i * n->cols + j];
        }
        return LC_OK;
    }
    default: { /* SCALE, ADDS, POW, UNARY */
        double *d = arena_alloc(t, (size_t)cnt, sizeof *d);
        if (!d) return lc_fail(t->ctx, LC_ENOMEM, "lc_tape_backward", "out of memory");
        lc_status s = unary_deriv(t, n, A->val, cnt, d);
        if (s) return s;
        for (int64_t i = 0; i < cnt; i++) ga[i] += g[i] * d[i];
        return LC_OK;
    }
    }
}

lc_status lc_tape_backward(lc_tape *t, lc_var loss)
{
    if (!t || !t->ctx) return LC_EINVAL;
    if (t->status) return t->status;
    if (loss < 0 || loss >= t->nnodes || N(t, loss)->is_lc || N(t, loss)->rows * N(t, loss)->cols != 1)
        return lc_fail(t->ctx, LC_EINVAL, __func__, "loss must be a 1×1 real node of this tape");
    for (lc_var v = 0; v < t->nnodes; v++)
        if (N(t, v)->done) return lc_fail(t->ctx, LC_EINVAL, __func__, "backward already ran on this recording");
    double *g = gbuf(t, loss);
    if (!g) return lc_fail(t->ctx, LC_ENOMEM, __func__, "out of memory");
    g[0] = 1.0;
    lc_status s = LC_OK;
    for (lc_var v = loss; v >= 0 && !s; v--) {
        struct lc_tape_node *n = N(t, v);
        n->done = 1;
        if (n->is_lc ? !n->g.ptr : !n->grad) continue; /* no gradient reached it */
        if (n->is_lc && (n->op == OP_LC_FROM_REAL || n->op == OP_LC_SCALE_ROWS)) { /* real targets */
            if ((n->op == OP_LC_FROM_REAL && !gbuf(t, n->a)) || (n->b >= 0 && !gbuf(t, n->b)))
                s = lc_fail(t->ctx, LC_ENOMEM, __func__, "out of memory");
        }
        if (!s) s = n->is_lc ? lc_backward(t, n) : real_backward(t, n);
    }
    if (s) return s;
    for (lc_var v = 0; v <= loss; v++) { /* all done: hand parameter gradients over */
        struct lc_tape_node *n = N(t, v);
        if (n->op != OP_PARAM || !n->grad) continue;
        for (int64_t i = 0; i < n->rows * n->cols; i++) n->pgrad[i] += n->grad[i];
    }
    return LC_OK;
}
