/* SPDX-License-Identifier: MIT */
/* Field arithmetic: add, sub, neg, scale, add_real, scale_rows, mul, div,
 * pow_si. (Reciprocal and real powers are series: series.c.)
 *
 * One driver (binop) for every row-wise operation: it sizes the result once
 * (n1 + n2 terms per row for sums, n1·n2 for products), runs the raw row
 * function of <infnum/raw.h> per row (OpenMP when ctx->nthreads > 1) into a
 * wide batch, compacts it and commits it to out. Nothing is allocated per row.
 */
#include "internal.h"
#include "mul_grid.h"

#include <math.h>

enum { OP_ADD, OP_MUL, OP_SCALE };

typedef struct binenv {
    const lc_batch *a, *b; /* b is NULL for OP_SCALE                         */
    int64_t ma, mb;        /* exponent multipliers to the common denominator */
    int op;
    double s1, s2;         /* OP_ADD: s1·a + s2·b; OP_SCALE: s1 or srow[r]  */
    const double *srow;
    lc_batch *w;
    int64_t *cnt;
    int64_t *kbuf, stride; /* per-thread conversion scratch                 */
    double *cbuf;
    int64_t *g;            /* OP_MUL: the grid of row r's product (mul_grid.h) */
} binenv;

static lc_status bin_row(void *env_, int64_t r, int tid)
{
    binenv *e = env_;
    lc_rowv x, y = {0};
    int64_t *kb = e->kbuf + (int64_t)tid * e->stride, n1 = 0;
    double *cb = e->cbuf + (int64_t)tid * e->stride;
    int64_t off = e->w->row_ptr[r], *ko = e->w->exps ? (int64_t *)e->w->exps + off : NULL;
    double *co = e->w->coeffs ? (double *)e->w->coeffs + off : NULL; /* NULL: no term anywhere */
    int64_t ra = e->a->nrows == 1 ? 0 : r;
    if (lc_row_view(e->a, ra, e->ma, kb, cb, &x)) return LC_EOVERFLOW;
    n1 = x.n;
    if (e->b && lc_row_view(e->b, e->b->nrows == 1 ? 0 : r, e->mb, kb + n1, cb + n1, &y))
        return LC_EOVERFLOW;
    int64_t m;
    switch (e->op) {
    case OP_ADD:
        m = _lc_row_add(x.k, x.c, x.n, x.p, e->s1, y.k, y.c, y.n, y.p, e->s2, LC_EXACT, ko, co,
                        &e->w->bound[r]);
        break;
    case OP_MUL: /* on the rows' common grid when it pays, else merged (mul_grid.c), else sorted */
        m = lc_row_mul_grid(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, e->g[r], ko, co, &e->w->bound[r]);
        if (m == -2) m = lc_row_mul_merge(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, ko, co, &e->w->bound[r]);
        if (m == -2) m = _lc_row_mul(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, LC_EXACT, ko, co, &e->w->bound[r]);
        break;
    default:
        m = _lc_row_scale(x.k, x.c, x.n, e->srow ? e->srow[r] : e->s1, ko, co);
        e->w->bound[r] = x.p;
    }
    if (m < 0) return LC_EOVERFLOW;
    e->cnt[r] = m;
    return LC_OK;
}

/* Last minus first exponent of row r of b (0 without terms; -1 on
 * overflow, which makes lc_mul_terms_bound fall back to n1·n2). */
static int64_t row_span(const lc_batch *b, int64_t r)
{
    int64_t n = lc_row_len(b, r), s;
    if (n < 2) return 0;
    return lc_sub_i64(lc_get_k(b, b->row_ptr[r] + n - 1), lc_get_k(b, b->row_ptr[r]), &s) ? s : -1;
}

/* out = op(a, b) row by row (b NULL for OP_SCALE). */
static lc_status binop(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b, int op,
                       double s1, double s2, const double *srow, const char *func)
{
    if (!ctx || !out || !a || (op != OP_SCALE && !b))
        return lc_fail(ctx, LC_EINVAL, func, "NULL argument");
    int64_t n = a->nrows, d = a->den, total = 0;
    lc_status st;
    if (b) {
        if ((st = lc_bcast_rows(ctx, func, a->nrows, b->nrows, &n)) != LC_OK) return st;
        if ((st = lc_den_lcm(ctx, func, a->den, b->den, &d)) != LC_OK) return st;
    }
    binenv e = {a, b, d / a->den, b ? d / b->den : 1, op, s1, s2, srow, NULL, NULL, NULL, 0, NULL, NULL};
    /* Upper bound of every row's length: offsets into the wide result. */
    lc_batch w;
    if ((st = lc_wide_alloc(ctx, &w, n, 0, d, func)) != LC_OK) return st;
    if (op == OP_MUL && !(e.g = lc_malloc(ctx, (size_t)n + 1, sizeof(int64_t)))) {
        st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (scratch)");
        goto done;
    }
    for (int64_t r = 0; r < n; r++) {
        int64_t ra = a->nrows == 1 ? 0 : r, rb = b && b->nrows == 1 ? 0 : r;
        int64_t n1 = lc_row_len(a, ra), n2 = b ? lc_row_len(b, rb) : 0, ub = n1 + n2;
        if (op == OP_MUL) /* n1·n2, or fewer when the exponents sit on a grid (worth knowing for long rows) */
            ub = n1 * n2 <= 64 ? (e.g[r] = LC_GRID_UNKNOWN, n1 * n2)
                               : lc_mul_terms_bound(lc_row_step(a, ra), row_span(a, ra), n1, e.ma, lc_row_step(b, rb),
                                                    row_span(b, rb), n2, e.mb, &e.g[r]);
        w.row_ptr[r] = total;
        if (!lc_add_i64(total, ub, &total)) { total = INT64_MAX; break; }
    }
    int nt = lc_nthreads(ctx);
    e.stride = lc_batch_maxlen(a) + (b ? lc_batch_maxlen(b) : 0) + 1;
    e.w = &w;
    if (lc_batch_reserve(ctx, &w, n, total) != LC_OK) {
        st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld terms)", (long long)total);
        goto done;
    }
    e.cnt = lc_malloc(ctx, (size_t)n + 1, sizeof(int64_t));
    e.kbuf = lc_malloc(ctx, (size_t)(e.stride * nt), sizeof(int64_t));
    e.cbuf = lc_malloc(ctx, (size_t)(e.stride * nt), sizeof(double));
    if (!e.cnt || !e.kbuf || !e.cbuf) {
        st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (scratch)");
        goto done;
    }
    int64_t bad;
    if ((st = lc_rows_run(ctx, n, bin_row, &e, &bad)) != LC_OK) {
        st = lc_fail(ctx, st, func, "row %lld: an exponent or bound overflows int64", (long long)bad);
        goto done;
    }
    lc_wide_compact(&w, w.row_ptr, e.cnt);
    st = lc_batch_commit(ctx, out, &w, func);
done:
    lc_free(ctx, e.cnt);
    lc_free(ctx, e.kbuf);
    lc_free(ctx, e.cbuf);
    lc_free(ctx, e.g);
    lc_batch_clear(ctx, &w);
    return st;
}

/* a + s2·b or a·b: the fast path (fastpath.c) when it applies, else binop. */
static lc_status binop_fast(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b, int op,
                            double s2, const char *func)
{
    lc_status st;
    if (ctx && out && a && b &&
        lc_fast_op(ctx, out, a, b, op == OP_MUL ? LC_FAST_MUL : LC_FAST_ADD, s2, &st, func))
        return st;
    return binop(ctx, out, a, b, op, 1, s2, NULL, func);
}

lc_status lc_general_binop(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b,
                           int kind, double s2)
{
    return binop(ctx, out, a, b, kind == LC_FAST_MUL ? OP_MUL : OP_ADD, 1, s2, NULL, __func__);
}

/* out = a + b. Bound: min of the bounds. */
lc_status lc_add(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    return binop_fast(ctx, out, a, b, OP_ADD, 1, __func__);
}

/* out = a - b. */
lc_status lc_sub(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    return binop_fast(ctx, out, a, b, OP_ADD, -1, __func__);
}

/* out = -a. */
lc_status lc_neg(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return binop(ctx, out, a, NULL, OP_SCALE, -1, 0, NULL, __func__);
}

/* out = s·a; s must be finite. */
lc_status lc_scale(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double s)
{
    if (!isfinite(s)) return lc_fail(ctx, LC_EINVAL, __func__, "scale %g is not finite", s);
    return binop(ctx, out, a, NULL, OP_SCALE, s, 0, NULL, __func__);
}

/* out row r = s[r]·a row r; a must have one row or as many as s. */
lc_status lc_scale_rows(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const double *s)
{
    if (!a || (a->nrows && !s)) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    for (int64_t r = 0; r < a->nrows; r++)
        if (!isfinite(s[r]))
            return lc_fail(ctx, LC_EINVAL, __func__, "row %lld: scale %g is not finite", (long long)r, s[r]);
    return binop(ctx, out, a, NULL, OP_SCALE, 1, 0, s, __func__);
}

/* out = a + s for every row (s real, exact). */
lc_status lc_add_real(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double s)
{
    if (!isfinite(s)) return lc_fail(ctx, LC_EINVAL, __func__, "%g is not finite", s);
    int64_t rp[2] = {0, s != 0}, k[1] = {0}, p[1] = {LC_EXACT};
    double c[1] = {s};
    lc_batch one = {1, rp, k, c, p, a ? a->den : 1, LC_F64, LC_I64, 1, 1};
    return binop_fast(ctx, out, a, &one, OP_ADD, 1, __func__);
}

/* out = a·b. Bound min(p_a + L'_b, p_b + L'_a), L' = leading exponent or,
 * for a row without terms, its bound. Each coefficient is the sum of the m
 * products c_a·c_b of its exponent, in an order that depends on the path
 * (fast path, grid, merge or sort: mul_grid.h), so paths agree within
 * 2(m−1)·2^-53·Σ|c_a·c_b|; the terms and the bound do not depend on it. */
lc_status lc_mul(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    return binop_fast(ctx, out, a, b, OP_MUL, 1, __func__);
}

/* out = a / b = a · (1/b). */
lc_status lc_div(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    if (!ctx || !out || !a || !b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_batch r;
    lc_batch_init(&r, LC_F64, LC_I64);
    lc_status st = lc_recip(ctx, &r, b);
    if (st == LC_OK) st = lc_mul(ctx, out, a, &r);
    lc_batch_clear(ctx, &r);
    return st;
}

/* out = a^n by binary powering (exact for exact a); n < 0 through 1/a. */
lc_status lc_pow_si(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int64_t n)
{
    if (!ctx || !out || !a) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (n == INT64_MIN) return lc_fail(ctx, LC_EOVERFLOW, __func__, "exponent %lld", (long long)n);
    lc_batch base, acc;
    lc_batch_init(&base, LC_F64, LC_I64);
    lc_batch_init(&acc, LC_F64, LC_I64);
    acc.den = a->den;
    lc_status st = n < 0 ? lc_recip(ctx, &base, a) : lc_batch_copy(ctx, &base, a);
    if (n < 0) n = -n;
    /* acc = 1 (exact) in every row */
    if (st == LC_OK) st = lc_batch_set_monomial(ctx, &acc, a->nrows, 1.0, 0, 1);
    for (; st == LC_OK && n > 0; n >>= 1) {
        if (n & 1) st = lc_mul(ctx, &acc, &acc, &base);
        if (st == LC_OK && n > 1) st = lc_mul(ctx, &base, &base, &base);
    }
    if (st == LC_OK) st = lc_batch_copy(ctx, out, &acc);
    lc_batch_clear(ctx, &base);
    lc_batch_clear(ctx, &acc);
    return st;
}
