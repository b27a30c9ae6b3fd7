/* SPDX-License-Identifier: MIT */
/* The field's order and the discontinuous functions decided on it.
 *
 * Every decision reads the whole number, terms and bound: the sign of a row is
 * the sign of its leading coefficient, two rows are compared term by term on
 * their common denominator, and a number whose first relevant term is hidden
 * by a bound O(ε^p) has no sign (LC_EUNDEF). See docs/semantics.md, "Order".
 */
#include "internal.h"
#include "ngrad_fast.h"
#include "infnum/raw_order.h"

#include <math.h>

/* ------------------------------------------------------------ row helpers
 * The per-row decisions are <infnum/raw_order.h>'s (shared with the CUDA
 * kernels); this file views batch rows as raw rows on a common denominator,
 * reports errors and assembles batches. */

/* k·m for an exponent or bound k (LC_EXACT stays LC_EXACT); 0 on overflow. */
static int scale_exp(int64_t k, int64_t m, int64_t *out)
{
    if (k == LC_EXACT) {
        *out = LC_EXACT;
        return 1;
    }
    return lc_mul_i64(k, m, out);
}

/* Rows of a and b (b NULL: the exact zero) seen on lcm(a->den, b->den);
 * conversion room for one row of each in ctx's scratch (valid until the
 * next use of the scratch). */
typedef struct rowpair {
    const lc_batch *a, *b;
    int64_t ma, mb, la; /* exponent multipliers; room for a's row */
    int64_t *k;
    double *c;
} rowpair;

/* Sets up e for a and b (ctx's scratch); LC_ENOMEM or LC_EOVERFLOW (the
 * common denominator) with a message. */
static lc_status rowpair_init(lc_ctx *ctx, const char *fn, const lc_batch *a, const lc_batch *b,
                              rowpair *e)
{
    int64_t d = a->den, la = lc_batch_maxlen(a);
    size_t n = (size_t)la + (size_t)(b ? lc_batch_maxlen(b) : 0) + 1;
    int64_t *k = n <= SIZE_MAX / 16 ? lc_scratch(ctx, n * 16) : NULL; /* n int64, n double */
    *e = (rowpair){a, b, 1, 1, la, k, k ? (double *)(k + n) : NULL};
    if (!k) return lc_fail(ctx, LC_ENOMEM, fn, "out of memory (scratch)");
    lc_status st = b ? lc_den_lcm(ctx, fn, a->den, b->den, &d) : LC_OK;
    e->ma = d / a->den;
    e->mb = b ? d / b->den : 1;
    return st;
}

/* Row ra of e->a (and rb of e->b) as raw rows on the common denominator;
 * 0, or -1 if an exponent or a bound overflows it. */
static int rowpair_view(const rowpair *e, int64_t ra, int64_t rb, lc_rowv *x, lc_rowv *y)
{
    *y = (lc_rowv){NULL, NULL, 0, LC_EXACT};
    if (lc_row_view(e->a, ra, e->ma, e->k, e->c, x)) return -1;
    return e->b && lc_row_view(e->b, rb, e->mb, e->k + e->la, e->c + e->la, y) ? -1 : 0;
}

/* Sign of (row ra of a) − (row rb of b) into *sg (_lc_row_cmp); LC_EUNDEF,
 * LC_EOVERFLOW (common denominator). Sets no message. */
static lc_status row_cmp(const rowpair *e, int64_t ra, int64_t rb, int *sg)
{
    lc_rowv x, y;
    if (rowpair_view(e, ra, rb, &x, &y)) return LC_EOVERFLOW;
    return _lc_row_cmp(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, sg);
}

/* Records the failure of row_cmp on row r as fn's error. */
static lc_status cmp_fail(lc_ctx *ctx, lc_status s, const char *fn, int64_t r)
{
    if (s == LC_EUNDEF)
        return lc_fail(ctx, s, fn, "row %lld: the order is undecided (the leading term of the "
                       "difference is hidden by a bound O(eps^p))", (long long)r);
    return lc_fail(ctx, s, fn, "row %lld: an exponent overflows the common denominator", (long long)r);
}

/* out[r] = sign of (a row r − b row r) for n rows (b == NULL: the zero). */
static lc_status cmp_rows(lc_ctx *ctx, const char *fn, const lc_batch *a, const lc_batch *b,
                          int64_t n, int *out)
{
    rowpair e;
    lc_status s = rowpair_init(ctx, fn, a, b, &e);
    for (int64_t r = 0; r < n && !s; r++) {
        s = row_cmp(&e, a->nrows == 1 ? 0 : r, b && b->nrows != 1 ? r : 0, &out[r]);
        if (s) s = cmp_fail(ctx, s, fn, r);
    }
    return s;
}

/* ------------------------------------------------------------------ order */

/* out[r] = sign of row r of a: −1, 0 (the exact zero only) or +1. LC_EUNDEF
 * for an unknown quantity O(ε^p). */
lc_status lc_batch_sgn(lc_ctx *ctx, const lc_batch *a, int *out)
{
    if (!ctx) return LC_EINVAL;
    if (!a || (!out && a->nrows)) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    return cmp_rows(ctx, __func__, a, NULL, a->nrows, out);
}

/* out[r] = sign of (a row r − b row r), a one-row operand broadcasting; out
 * has max(a->nrows, b->nrows) entries. Compared in the field (terms and
 * bounds): LC_EUNDEF when the difference has no known leading term. */
lc_status lc_cmp(lc_ctx *ctx, const lc_batch *a, const lc_batch *b, int *out)
{
    int64_t n = 0;
    if (!ctx) return LC_EINVAL;
    if (!a || !b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_status s = lc_bcast_rows(ctx, __func__, a->nrows, b->nrows, &n);
    if (s) return s;
    if (!out && n) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    return cmp_rows(ctx, __func__, a, b, n, out);
}

/* ------------------------------------------- abs, relu, max, min: selection */

enum { PICK_ZERO, PICK_A, PICK_NEG_A, PICK_B };

/* out row r = the exact zero, a row r, −(a row r) or b row r, by sel[r] (a
 * one-row a or b broadcasts), terms and bounds kept exactly on the common
 * denominator of a and b. out may alias a or b; untouched on failure. */
static lc_status pick_rows(lc_ctx *ctx, const char *fn, lc_batch *out, const lc_batch *a,
                           const lc_batch *b, const int *sel, int64_t n)
{
    int64_t d = a->den, nnz = 0, t = 0;
    lc_batch w;
    lc_status st = b ? lc_den_lcm(ctx, fn, a->den, b->den, &d) : LC_OK;
    for (int64_t r = 0; r < n && !st; r++) {
        const lc_batch *src = sel[r] == PICK_B ? b : a;
        nnz += sel[r] == PICK_ZERO ? 0 : lc_row_len(src, src->nrows == 1 ? 0 : r);
    }
    if (st || (st = lc_wide_alloc(ctx, &w, n, nnz, d, fn))) return st;
    int64_t *k = w.exps;
    double *c = w.coeffs;
    for (int64_t r = 0; r < n && !st; r++) {
        const lc_batch *src = sel[r] == PICK_B ? b : a;
        int64_t rs = src->nrows == 1 ? 0 : r, len = sel[r] == PICK_ZERO ? 0 : lc_row_len(src, rs);
        int64_t m = d / src->den;
        w.bound[r] = LC_EXACT;
        if (sel[r] != PICK_ZERO && !scale_exp(src->bound[rs], m, &w.bound[r])) st = LC_EOVERFLOW;
        for (int64_t i = 0; i < len && !st; i++, t++) {
            lc_row_term(src, rs, i, &k[t], &c[t]);
            if (sel[r] == PICK_NEG_A) c[t] = -c[t];
            if (!lc_mul_i64(k[t], m, &k[t])) st = LC_EOVERFLOW;
        }
        w.row_ptr[r + 1] = t;
        if (st) st = lc_fail(ctx, st, fn, "row %lld: an exponent overflows the common denominator",
                             (long long)r);
    }
    if (st) {
        lc_batch_clear(ctx, &w);
        return st;
    }
    return lc_batch_commit(ctx, out, &w, fn);
}

typedef enum { SEL_ABS, SEL_RELU, SEL_MAX, SEL_MIN } sel_op;

/* out = op(a[, b]) row by row: the sign of a (or of a − b) picks a whole row. */
static lc_status order_select(lc_ctx *ctx, const char *fn, lc_batch *out, const lc_batch *a,
                              const lc_batch *b, sel_op op)
{
    int64_t n = a ? a->nrows : 0;
    lc_status st;
    if (!ctx) return LC_EINVAL;
    if (!out || !a || (op >= SEL_MAX && !b)) return lc_fail(ctx, LC_EINVAL, fn, "NULL argument");
    if (b && (st = lc_bcast_rows(ctx, fn, a->nrows, b->nrows, &n))) return st;
    int *w = lc_malloc(ctx, (size_t)n + 1, sizeof *w);
    if (!w) return lc_fail(ctx, LC_ENOMEM, fn, "out of memory");
    st = cmp_rows(ctx, fn, a, b, n, w);
    for (int64_t r = 0; r < n && !st; r++) {
        switch (op) {
        case SEL_ABS: w[r] = w[r] < 0 ? PICK_NEG_A : PICK_A; break;
        case SEL_RELU: w[r] = w[r] > 0 ? PICK_A : PICK_ZERO; break;
        case SEL_MAX: w[r] = w[r] >= 0 ? PICK_A : PICK_B; break;
        case SEL_MIN: w[r] = w[r] <= 0 ? PICK_A : PICK_B; break;
        }
    }
    if (!st) st = pick_rows(ctx, fn, out, a, b, w, n);
    lc_free(ctx, w);
    return st;
}

/* |a| = a or −a by the order (|−ε| = ε); terms and bound kept. */
lc_status lc_abs(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    lc_status st;
    if (ctx && out && a && lc_fast_abs(ctx, out, a, &st)) return st; /* ngrad_fast.c */
    return order_select(ctx, __func__, out, a, NULL, SEL_ABS);
}

/* relu(a) = a if a > 0, the exact zero otherwise (relu(−ε) = 0, relu(ε) = ε). */
lc_status lc_relu(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return order_select(ctx, __func__, out, a, NULL, SEL_RELU);
}

/* The greater of a and b, as a whole number (max(ε, ε²) = ε); broadcasting. */
lc_status lc_max(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    return order_select(ctx, __func__, out, a, b, SEL_MAX);
}

/* The smaller of a and b, as a whole number; broadcasting. */
lc_status lc_min(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    return order_select(ctx, __func__, out, a, b, SEL_MIN);
}

/* Index of the greatest row of every group of n consecutive rows. Convention:
 * rows are compared in the field, so ties of the standard parts are broken by
 * the infinitesimal parts; exact ties go to the lowest index. */
lc_status lc_argmax(lc_ctx *ctx, const lc_batch *a, int64_t n, int64_t *out)
{
    if (!ctx) return LC_EINVAL;
    if (!a || n < 1 || (!out && a->nrows))
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or group size %lld < 1", (long long)n);
    if (a->nrows % n)
        return lc_fail(ctx, LC_ESHAPE, __func__, "%lld rows are not groups of %lld", (long long)a->nrows,
                       (long long)n);
    rowpair e;
    lc_status s = rowpair_init(ctx, __func__, a, a, &e);
    for (int64_t g = 0; g < a->nrows / n && !s; g++) {
        int64_t best = 0;
        for (int64_t i = 1; i < n && !s; i++) {
            int sg;
            s = row_cmp(&e, g * n + i, g * n + best, &sg);
            if (s) s = cmp_fail(ctx, s, __func__, g * n + i);
            else if (sg > 0) best = i;
        }
        if (!s) out[g] = best;
    }
    return s;
}

/* ---------------------------------------- step, sign, floor, ceil, round */

static const char *const disc_names[] = {"lc_step", "lc_sign", "lc_floor", "lc_ceil", "lc_round"};

/* Records the failure st of _lc_row_disc(f) on row r (raw row x) as f's error. */
static lc_status disc_fail(lc_ctx *ctx, lc_status st, lc_disc f, int64_t r, const lc_rowv *x)
{
    const char *fn = disc_names[f];
    if (st == LC_EDOMAIN)
        return lc_fail(ctx, st, fn, "row %lld: an infinite number has no integer part", (long long)r);
    if (f == LC_DISC_STEP || f == LC_DISC_SIGN) return cmp_fail(ctx, st, fn, r);
    if (x->p <= 0)
        return lc_fail(ctx, st, fn, "row %lld: the standard part is unknown (bound <= 0)", (long long)r);
    return lc_fail(ctx, st, fn, "row %lld: at the breakpoint %g the sign of the infinitesimal part "
                   "is unknown", (long long)r, x->n && x->k[0] == 0 ? x->c[0] : 0.0);
}

/* out = f(a) row by row, exact reals (see infnum.h for each primitive). */
lc_status lc_disc_apply(lc_ctx *ctx, lc_batch *out, const lc_batch *a, lc_disc f)
{
    if (!ctx) return LC_EINVAL;
    if ((unsigned)f > LC_DISC_ROUND)
        return lc_fail(ctx, LC_EINVAL, __func__, "unknown primitive %d", (int)f);
    if (!out || !a) return lc_fail(ctx, LC_EINVAL, disc_names[f], "NULL argument");
    lc_status st;
    if (lc_fast_disc(ctx, out, a, (int)f, &st)) return st; /* ngrad_fast.c */
    double *v = lc_malloc(ctx, (size_t)a->nrows + 1, sizeof *v);
    if (!v) return lc_fail(ctx, LC_ENOMEM, disc_names[f], "out of memory");
    double h0 = ctx->h0 == LC_H0_ZERO ? 0.0 : ctx->h0 == LC_H0_HALF ? 0.5 : 1.0;
    rowpair e;
    lc_rowv x, y;
    st = rowpair_init(ctx, disc_names[f], a, NULL, &e);
    for (int64_t r = 0; r < a->nrows && !st; r++) {
        rowpair_view(&e, r, 0, &x, &y); /* multiplier 1: cannot overflow */
        st = _lc_row_disc(f, x.k, x.c, x.n, x.p, ctx->sign0, h0, (int)ctx->round_tie, &v[r]);
        if (st) st = disc_fail(ctx, st, f, r, &x);
    }
    if (!st) st = lc_batch_set_real(ctx, out, a->nrows, v);
    lc_free(ctx, v);
    return st;
}

/* sign(a) ∈ {−1, +1}; sign of the exact zero = ctx->sign0 (sign(−ε²) = −1). */
lc_status lc_sign(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return lc_disc_apply(ctx, out, a, LC_DISC_SIGN);
}

/* H(a) = 1 if a > 0, 0 if a < 0, ctx->h0 at the exact zero (H(−ε) = 0). */
lc_status lc_step(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return lc_disc_apply(ctx, out, a, LC_DISC_STEP);
}

/* floor(a), an exact integer (floor(−ε) = −1). LC_EDOMAIN if a is infinite. */
lc_status lc_floor(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return lc_disc_apply(ctx, out, a, LC_DISC_FLOOR);
}

/* ceil(a), an exact integer (ceil(ε) = 1). LC_EDOMAIN if a is infinite. */
lc_status lc_ceil(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return lc_disc_apply(ctx, out, a, LC_DISC_CEIL);
}

/* round(a), an exact integer (round(½ − ε) = 0, round(½ + ε) = 1); exact
 * half-integers follow ctx->round_tie. LC_EDOMAIN if a is infinite. */
lc_status lc_round(lc_ctx *ctx, lc_batch *out, const lc_batch *a)
{
    return lc_disc_apply(ctx, out, a, LC_DISC_ROUND);
}

/* Breakpoint of f nearest to u (ties to the lower one). */
static double disc_breakpoint(lc_disc f, double u)
{
    if (f == LC_DISC_STEP || f == LC_DISC_SIGN) return 0.0;
    if (f == LC_DISC_ROUND) return ceil(u - 1.0) + 0.5;
    return ceil(u - 0.5) + 0.0;
}

/* b[i] = breakpoint of f nearest to u[i], J[i] = st f(b+ε) − st f(b−ε),
 * evaluated in the field on one batch of 2n rows. */
lc_status lc_disc_jump(lc_ctx *ctx, lc_disc f, const double *u, int64_t n, double *b, double *J)
{
    if (!ctx) return LC_EINVAL;
    if ((unsigned)f > LC_DISC_ROUND || n < 0 || (n && (!u || !b || !J)))
        return lc_fail(ctx, LC_EINVAL, __func__, "bad primitive, n < 0 or NULL argument");
    if (n == 0) return LC_OK;
    double *w = lc_malloc(ctx, (size_t)n, 6 * sizeof *w); /* x, v, st: 2n each */
    if (!w) return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    double *x = w, *v = w + 2 * n, *s = w + 4 * n;
    lc_batch xb, yb;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&yb, LC_F64, LC_I32);
    for (int64_t i = 0; i < n; i++) {
        x[i] = x[n + i] = disc_breakpoint(f, u[i]);
        v[i] = 1.0;
        v[n + i] = -1.0;
    }
    lc_status st = lc_batch_from_real(ctx, &xb, 2 * n, x, v);
    if (!st) st = lc_disc_apply(ctx, &yb, &xb, f);
    if (!st) st = lc_batch_std(ctx, &yb, s);
    for (int64_t i = 0; i < n && !st; i++) {
        b[i] = x[i];
        J[i] = s[i] - s[n + i];
    }
    lc_batch_clear(ctx, &xb);
    lc_batch_clear(ctx, &yb);
    lc_free(ctx, w);
    return st;
}
