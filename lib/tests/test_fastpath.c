/* SPDX-License-Identifier: MIT */
/* The fast paths (lib/src/fastpath.c) against the general path, on seeded
 * random batches built to hit them: rows on arithmetic grids (k0 + i·g),
 * single-term rows, exact and inexact bounds, zero and unknown rows, rows
 * off their grid (the fast path must decline), f32/f64 and i32/i64 storage,
 * broadcasting, aliasing and 1 or 2 threads. Where the fast path handles a
 * call, exponents and bounds must agree exactly and coefficients to TOL
 * relative to the row's largest coefficient. */
#include "internal.h"
#include "lc_test.h"

/* Long series (up to 128 slots, coefficients up to 1e30) accumulate rounding
 * differently in the recurrences and in Horner's scheme. */
#define TOL 1e-9
#define TOL_SERIES 1e-6

static const char *const kname[] = {"add", "mul", "exp", "sin", "cos", "recip"};

typedef struct grid_gen {
    int64_t maxn;    /* terms per row: 1..maxn                    */
    int64_t k0min, k0max;
    int64_t gmax;    /* steps 1..gmax (one per batch if same_g)   */
    int same_g;
    double p_exact, p_zero, p_off; /* exact rows, empty rows, rows off their grid */
} grid_gen;

/* nrows rows on arithmetic grids into b (b's storage types). */
static lc_status grid_batch(lc_ctx *ctx, lt_rng *g, lc_batch *b, int64_t nrows, int64_t den,
                            const grid_gen *o)
{
    int64_t cap = nrows * (o->maxn + 1) + 1, m = 0, gb = lt_int(g, 1, o->gmax);
    int64_t *rp = malloc(sizeof(int64_t) * (size_t)(nrows + 1));
    int64_t *k = malloc(sizeof(int64_t) * (size_t)cap), *p = malloc(sizeof(int64_t) * (size_t)nrows);
    double *c = malloc(sizeof(double) * (size_t)cap);
    rp[0] = 0;
    for (int64_t r = 0; r < nrows; r++) {
        int64_t n = lt_unif(g) < o->p_zero ? 0 : lt_int(g, 1, o->maxn);
        int64_t k0 = lt_int(g, o->k0min, o->k0max), step = o->same_g ? gb : lt_int(g, 1, o->gmax);
        int off = n > 2 && lt_unif(g) < o->p_off;
        for (int64_t i = 0; i < n; i++) {
            k[m] = k0 + i * step + (off && i == n - 1); /* the last term leaves the grid */
            c[m++] = lt_coef(g);
        }
        rp[r + 1] = m;
        int64_t top = n ? k[m - 1] : k0;
        p[r] = lt_unif(g) < o->p_exact ? LC_EXACT : top + lt_int(g, 1, 3 * step * (o->maxn + 1));
        if (n == 0 && p[r] != LC_EXACT && lt_unif(g) < 0.5) p[r] = LC_EXACT;
    }
    lc_status st = lc_batch_from_csr(ctx, b, nrows, rp, k, c, p, den);
    free(rp), free(k), free(p), free(c);
    return st;
}

/* Same exponents and bounds, coefficients within TOL. */
static int same_batch(const lc_batch *x, const lc_batch *y, double tol)
{
    if (x->nrows != y->nrows || x->den != y->den) return 0;
    for (int64_t r = 0; r < x->nrows; r++) {
        int64_t n = lc_row_len(x, r);
        if (n != lc_row_len(y, r) || x->bound[r] != y->bound[r]) {
            fprintf(stderr, "  row %lld: %lld terms bound %lld vs %lld terms bound %lld\n", (long long)r,
                    (long long)n, (long long)x->bound[r], (long long)lc_row_len(y, r), (long long)y->bound[r]);
            for (int64_t i = 0; i < lc_row_len(y, r) && i < 12; i++) {
                int64_t k; double c;
                lc_row_term(y, r, i, &k, &c);
                fprintf(stderr, "    gen %lld %g", (long long)k, c);
                if (i < n) lc_row_term(x, r, i, &k, &c), fprintf(stderr, "   fast %lld %g", (long long)k, c);
                fprintf(stderr, "\n");
            }
            return 0;
        }
        double big = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t k;
            double c;
            lc_row_term(y, r, i, &k, &c);
            if (fabs(c) > big) big = fabs(c);
        }
        for (int64_t i = 0; i < n; i++) {
            int64_t kx, ky;
            double cx, cy;
            lc_row_term(x, r, i, &kx, &cx);
            lc_row_term(y, r, i, &ky, &cy);
            if (kx != ky || !(fabs(cx - cy) <= tol * big)) {
                fprintf(stderr, "  row %lld term %lld: %lld %.17g vs %lld %.17g\n", (long long)r, (long long)i,
                        (long long)kx, cx, (long long)ky, cy);
                return 0;
            }
        }
    }
    return 1;
}

static int64_t handled[6], declined[6], versions_checked;

/* 1 if x and y hold the same rows, bit for bit. */
static int same_bits(const lc_batch *x, const lc_batch *y)
{
    if (x->nrows != y->nrows || x->den != y->den || x->ctype != y->ctype || x->etype != y->etype) return 0;
    int64_t n = x->nrows, nnz = n ? x->row_ptr[n] : 0;
    size_t cs = x->ctype == LC_F32 ? sizeof(float) : sizeof(double), ks = x->etype == LC_I32 ? 4 : 8;
    return !memcmp(x->row_ptr, y->row_ptr, (size_t)(n + 1) * sizeof(int64_t)) &&
           !memcmp(x->bound, y->bound, (size_t)n * sizeof(int64_t)) &&
           (!nnz || (!memcmp(x->exps, y->exps, (size_t)nnz * ks) && !memcmp(x->coeffs, y->coeffs, (size_t)nnz * cs)));
}

/* The fast path's result f (status sf) again with every version of its
 * loops the machine has (fastpath.h), and with streaming stores forced:
 * the same status and the same bits. */
static void check_versions(lc_ctx *ctx, int kind, const lc_batch *a, const lc_batch *b, double s2,
                           const lc_batch *f, lc_status sf)
{
    for (int v = LC_ISA_BASE; v <= lc_fast_isa_max() + 1; v++) {
        lc_batch o;
        lc_batch_init(&o, f->ctype, f->etype);
        lc_fast_isa_set(v <= lc_fast_isa_max() ? v : -1);
        lc_fast_stream_from(v > lc_fast_isa_max() ? 1 : 0);
        lc_status so = LC_OK;
        int done = lc_fast_op(ctx, &o, a, b, kind, s2, &so, "test");
        CHECK(done && so == sf);
        int same = so != LC_OK || same_bits(&o, f);
        CHECK(same);
        if (!same) fprintf(stderr, "  %s: version %d differs from the default\n", kname[kind], v);
        versions_checked++;
        lc_batch_clear(ctx, &o);
    }
    lc_fast_isa_set(-1);
    lc_fast_stream_from(0);
}

/* One comparison: kind on (a, b) fast and general, out of type (ct, et). */
static void compare(lc_ctx *ctx, int kind, const lc_batch *a, const lc_batch *b, lc_ctype ct,
                    lc_etype et, double s2)
{
    lc_batch f, gen;
    lc_batch_init(&f, ct, et);
    lc_batch_init(&gen, ct, et);
    lc_status sf = LC_OK, sg;
    int done = lc_fast_op(ctx, &f, a, b, kind, s2, &sf, "test");
    sg = kind <= LC_FAST_MUL ? lc_general_binop(ctx, &gen, a, b, kind, s2)
                             : lc_general_series(ctx, &gen, a, kind);
    if (!done) {
        declined[kind]++;
        CHECK(f.nrows == 0); /* declined: out left valid and empty */
    } else {
        handled[kind]++;
        check_versions(ctx, kind, a, b, s2, &f, sf);
        CHECK(sf == sg);
        if (sf == LC_OK && sg == LC_OK) {
            OK(ctx, lc_batch_check(ctx, &f));
            double tol = ct == LC_F32 ? 1e-6 : kind <= LC_FAST_MUL ? TOL : TOL_SERIES;
            int same = same_batch(&f, &gen, tol);
            CHECK(same);
            if (!same) fprintf(stderr, "  fast %s differs from the general path\n", kname[kind]);
        }
    }
    lc_batch_clear(ctx, &f);
    lc_batch_clear(ctx, &gen);
}

static void random_rounds(lc_ctx *ctx, lt_rng *g, int kind, int rounds)
{
    for (int t = 0; t < rounds; t++) {
        int series = kind >= LC_FAST_EXP;
        grid_gen o = {lt_int(g, 1, 12), series ? (kind == LC_FAST_RECIP ? -20 : 0) : -20,
                      series ? (kind == LC_FAST_EXP || kind == LC_FAST_RECIP ? 20 : 0) : 20,
                      lt_int(g, 1, 6), (int)(lt_next(g) & 1), 0.5, 0.05, 0.1};
        int64_t den = lt_int(g, 0, 1) ? 1 : 16, na = lt_int(g, 1, 40), nb = lt_int(g, 0, 3) ? na : 1;
        lc_ctype ct = lt_int(g, 0, 3) ? LC_F64 : LC_F32;
        lc_etype et = lt_int(g, 0, 1) ? LC_I32 : LC_I64;
        lc_batch a, b;
        lc_batch_init(&a, ct, et);
        lc_batch_init(&b, LC_F64, lt_int(g, 0, 1) ? LC_I32 : LC_I64);
        if (lt_int(g, 0, 3) == 0) na = 1, nb = lt_int(g, 1, 20); /* broadcast a */
        OK(ctx, grid_batch(ctx, g, &a, na, den, &o));
        OK(ctx, grid_batch(ctx, g, &b, nb, den, &o));
        ctx->nthreads = (int)lt_int(g, 1, 2);
        ctx->par_min_rows = 1;
        compare(ctx, kind, &a, &b, ct, lt_int(g, 0, 1) ? LC_I32 : LC_I64, lt_int(g, 0, 1) ? 1 : -1);
        lc_batch_clear(ctx, &a);
        lc_batch_clear(ctx, &b);
    }
}

/* ------------------------------------------------------ uniform batches
 * Every row with row 0's exponents k0 + i·step, length and bound (the
 * uniform path of fastpath.c), except possibly row prow, which differs in
 * one way only: what = 1 its last exponent (+1), 2 its bound, 3 its length
 * (one term less, or one more for a single term). The fast path must find
 * the row and still agree with the general path. */
typedef struct uni_gen {
    int64_t nrows, nt, k0, step, p; /* p: bound of the rows (LC_EXACT allowed) */
    int what;
    int64_t prow;
} uni_gen;

static lc_status uniform_batch(lc_ctx *ctx, lt_rng *g, lc_batch *b, const uni_gen *o, const lc_batch *neg)
{
    int64_t cap = o->nrows * (o->nt + 1) + 1, m = 0;
    int64_t *rp = malloc(sizeof(int64_t) * (size_t)(o->nrows + 1));
    int64_t *k = malloc(sizeof(int64_t) * (size_t)cap), *p = malloc(sizeof(int64_t) * (size_t)o->nrows);
    double *c = malloc(sizeof(double) * (size_t)cap);
    rp[0] = 0;
    for (int64_t r = 0; r < o->nrows; r++) {
        int odd = r == o->prow;
        int64_t n = o->nt + (odd && o->what == 3 ? (o->nt > 1 ? -1 : 1) : 0);
        for (int64_t i = 0; i < n; i++, m++) {
            k[m] = o->k0 + i * o->step + (odd && o->what == 1 && i == n - 1);
            c[m] = lt_coef(g);
            /* neg: the same row of neg negated (an exact cancellation in a + b) */
            if (neg && odd && neg->row_ptr[r] + i < neg->row_ptr[r + 1]) c[m] = -lc_get_c(neg, neg->row_ptr[r] + i);
        }
        rp[r + 1] = m;
        p[r] = o->p;
        if (p[r] != LC_EXACT && p[r] <= k[m - 1]) p[r] = k[m - 1] + 1;
        if (odd && o->what == 2) p[r] = p[r] == LC_EXACT ? k[m - 1] + 1 : p[r] + 1;
    }
    lc_status st = lc_batch_from_csr(ctx, b, o->nrows, rp, k, c, p, 1);
    free(rp), free(k), free(p), free(c);
    return st;
}

static void uniform_rounds(lc_ctx *ctx, lt_rng *g, int kind, int rounds)
{
    for (int t = 0; t < rounds; t++) {
        int binary = kind <= LC_FAST_MUL, bcast = binary && lt_int(g, 0, 4) == 0;
        int cancel = kind == LC_FAST_ADD && !bcast && lt_int(g, 0, 5) == 0;
        uni_gen oa = {lt_int(g, 1, 300), lt_int(g, 1, 10), 0, lt_int(g, 1, 3), 0, (int)lt_int(g, 0, 3), 0};
        oa.k0 = kind == LC_FAST_RECIP ? lt_int(g, -5, 5) : kind == LC_FAST_EXP ? lt_int(g, 0, 2)
              : binary ? lt_int(g, -5, 5) : 0;
        oa.p = lt_int(g, 0, 3) == 0 ? LC_EXACT : oa.k0 + lt_int(g, 1, oa.step * (oa.nt + 2));
        oa.prow = lt_int(g, 0, oa.nrows - 1);
        uni_gen ob = oa;
        if (kind == LC_FAST_ADD && lt_int(g, 0, 1) && !cancel) /* another exponent list: a merge */
            ob.k0 = lt_int(g, -5, 5), ob.step = lt_int(g, 1, 3), ob.nt = lt_int(g, 1, 10);
        if (kind == LC_FAST_MUL) ob.k0 = lt_int(g, -5, 5), ob.nt = lt_int(g, 1, 10);
        if (bcast) ob.nrows = 1, ob.what = 0;
        if (lt_int(g, 0, 1)) ob.what = 0; /* the odd row in a, or in both */
        else if (!bcast && !cancel) oa.what = 0;
        if (cancel) oa.what = ob.what = 0;
        lc_ctype ct = lt_int(g, 0, 3) ? LC_F64 : LC_F32;
        lc_batch a, b;
        lc_batch_init(&a, ct, LC_I32);
        lc_batch_init(&b, lt_int(g, 0, 3) ? ct : LC_F64, LC_I32);
        OK(ctx, uniform_batch(ctx, g, &a, &oa, NULL));
        OK(ctx, uniform_batch(ctx, g, &b, &ob, cancel ? &a : NULL));
        ctx->nthreads = (int)lt_int(g, 1, 2);
        ctx->par_min_rows = 1;
        compare(ctx, kind, &a, &b, lt_int(g, 0, 3) ? ct : LC_F64, lt_int(g, 0, 5) ? LC_I32 : LC_I64,
                cancel || lt_int(g, 0, 1) ? 1 : -1);
        lc_batch_clear(ctx, &a);
        lc_batch_clear(ctx, &b);
    }
}

/* Uniform f64 sums with one exponent list (4, 8 or 12 terms: the sums the
 * streaming stores take), some with an exact cancellation in one row (its
 * value 0 must send the call back to the per-row path). */
static void stream_rounds(lc_ctx *ctx, lt_rng *g, int rounds)
{
    for (int t = 0; t < rounds; t++) {
        int cancel = lt_int(g, 0, 3) == 0;
        uni_gen o = {lt_int(g, 1, 300), 4 * lt_int(g, 1, 3), lt_int(g, -5, 5), lt_int(g, 1, 3), 0, 0, 0};
        o.p = lt_int(g, 0, 1) ? LC_EXACT : o.k0 + o.step * o.nt + lt_int(g, 0, 3);
        o.prow = lt_int(g, 0, o.nrows - 1);
        lc_batch a, b;
        lc_batch_init(&a, LC_F64, LC_I32);
        lc_batch_init(&b, LC_F64, LC_I32);
        OK(ctx, uniform_batch(ctx, g, &a, &o, NULL));
        OK(ctx, uniform_batch(ctx, g, &b, &o, cancel ? &a : NULL));
        ctx->nthreads = (int)lt_int(g, 1, 2);
        ctx->par_min_rows = 1;
        compare(ctx, LC_FAST_ADD, &a, &b, LC_F64, LC_I32, cancel || lt_int(g, 0, 1) ? 1 : -1);
        lc_batch_clear(ctx, &a);
        lc_batch_clear(ctx, &b);
    }
}

/* out aliasing an input gives the same result as a separate out. */
static void test_alias(lc_ctx *ctx, lt_rng *g)
{
    grid_gen o = {8, 0, 0, 1, 1, 0.0, 0.0, 0.0};
    for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++) {
        lc_batch a, b, sep;
        lc_batch_init(&a, LC_F64, LC_I32);
        lc_batch_init(&b, LC_F64, LC_I32);
        lc_batch_init(&sep, LC_F64, LC_I32);
        OK(ctx, grid_batch(ctx, g, &a, 50, 1, &o));
        OK(ctx, grid_batch(ctx, g, &b, 50, 1, &o));
        lc_status s1 = LC_OK, s2 = LC_OK;
        int d1 = lc_fast_op(ctx, &sep, &a, &b, kind, 1, &s1, "test");
        int d2 = lc_fast_op(ctx, &a, &a, &b, kind, 1, &s2, "test");
        CHECK(d1 && d2 && s1 == LC_OK && s2 == LC_OK);
        CHECK(same_batch(&a, &sep, 0.0));
        lc_batch_clear(ctx, &a);
        lc_batch_clear(ctx, &b);
        lc_batch_clear(ctx, &sep);
    }
}

/* The reference rows of the benchmarks (8 terms, exponents 0..7, bound 8),
 * f64 and f32, take the fast path. */
static void test_reference_rows(lc_ctx *ctx, lt_rng *g)
{
    grid_gen o = {8, 0, 0, 1, 1, 0.0, 0.0, 0.0};
    for (int f32 = 0; f32 <= 1; f32++) {
        lc_ctype ct = f32 ? LC_F32 : LC_F64;
        lc_batch a, b;
        lc_batch_init(&a, ct, LC_I32);
        lc_batch_init(&b, ct, LC_I32);
        OK(ctx, grid_batch(ctx, g, &a, 100, 1, &o));
        OK(ctx, grid_batch(ctx, g, &b, 100, 1, &o));
        for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++) {
            int64_t before = handled[kind];
            compare(ctx, kind, &a, &b, ct, LC_I32, kind == LC_FAST_ADD ? -1 : 1);
            CHECK(handled[kind] == before + 1);
        }
        lc_batch_clear(ctx, &a);
        lc_batch_clear(ctx, &b);
    }
}

/* Operands without terms (the exact zero, the unknown O(ε²)) against a
 * monomial and against themselves: the result has no slot at all (regression:
 * a product with no slot read an unset term range). */
static void test_empty_rows(lc_ctx *ctx)
{
    static const char *const text[] = {"0", "O(eps^2)", "eps^-1", "3*eps^(1/2) + O(eps^2)"};
    for (int64_t n = 1; n <= 20; n += 19)
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                if (i >= 2 && j >= 2) continue; /* at least one operand without terms */
                lc_batch a, b;
                lc_batch_init(&a, LC_F64, LC_I32);
                lc_batch_init(&b, LC_F64, LC_I32);
                const char *ta[20], *tb[20];
                for (int64_t r = 0; r < n; r++) ta[r] = text[i], tb[r] = text[j];
                OK(ctx, lc_batch_parse(ctx, &a, n, ta));
                OK(ctx, lc_batch_parse(ctx, &b, j == 2 ? 1 : n, tb));
                for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++)
                    if (kind <= LC_FAST_MUL || i != 0) compare(ctx, kind, &a, &b, LC_F64, LC_I32, 1);
                lc_batch_clear(ctx, &a);
                lc_batch_clear(ctx, &b);
            }
}

/* Every allocation failure gives LC_ENOMEM (or a decline), no leak. */
static void test_alloc_failures(lt_rng *g)
{
    grid_gen o = {8, 0, 0, 1, 1, 0.0, 0.0, 0.0};
    for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++) {
        for (int64_t k = 1; k < 12; k++) {
            lc_ctx ctx;
            lc_ctx_init(&ctx);
            lt_alloc al = {0, 0, 0};
            lt_alloc_install(&ctx, &al);
            lc_batch a, b, out;
            lc_batch_init(&a, LC_F64, LC_I32);
            lc_batch_init(&b, LC_F64, LC_I32);
            lc_batch_init(&out, LC_F64, LC_I32);
            OK(&ctx, grid_batch(&ctx, g, &a, 20, 1, &o));
            OK(&ctx, grid_batch(&ctx, g, &b, 20, 1, &o));
            al.fail_at = al.count + k;
            lc_status st = LC_OK;
            int done = lc_fast_op(&ctx, &out, &a, &b, kind, 1, &st, "test");
            CHECK(!done || st == LC_OK || st == LC_ENOMEM);
            lc_batch_clear(&ctx, &a);
            lc_batch_clear(&ctx, &b);
            lc_batch_clear(&ctx, &out);
            lc_ctx_clear(&ctx);
            CHECK(al.live == 0);
        }
    }
}

/* ------------------------------------------------------ direct sums
 * lc_add / lc_sub on ragged rows (1-16 terms, off any grid; equal
 * denominators take the fast path's merge, mixed ones the general path)
 * against the general path (lc_general_binop): the same arithmetic in the
 * same order, so the results must be identical, storage types included,
 * with cancellation (b = a + c, then a - b), bounds, broadcasting, aliasing,
 * f32/i64 storage and exponents that overflow int32 output. */
static void direct_sum_rounds(lc_ctx *ctx, lt_rng *g, int rounds)
{
    static const int64_t dens[] = {1, 2, 3, 6, 16};
    int nfast = 0;
    for (int t = 0; t < rounds; t++) {
        int big = lt_int(g, 0, 7) == 0; /* exponents near 2^30: int32 output widens */
        grid_gen o = {lt_int(g, 1, 16), big ? (int64_t)1 << 30 : -20, big ? ((int64_t)1 << 30) + 40 : 20,
                      lt_int(g, 1, 6), 0, 0.3, 0.05, 0.5};
        int64_t na = lt_int(g, 1, 60), nb = lt_int(g, 0, 3) ? na : 1;
        if (lt_int(g, 0, 4) == 0) na = 1, nb = lt_int(g, 1, 20); /* broadcast a */
        lc_ctype ct = lt_int(g, 0, 3) ? LC_F64 : LC_F32, oct = lt_int(g, 0, 2) ? ct : LC_F32;
        lc_etype oet = lt_int(g, 0, 2) ? LC_I32 : LC_I64;
        int cancel = lt_int(g, 0, 3) == 0;
        lc_batch a, b, c, x, y;
        lc_batch_init(&a, ct, lt_int(g, 0, 1) ? LC_I32 : LC_I64);
        lc_batch_init(&b, lt_int(g, 0, 1) ? LC_F64 : LC_F32, lt_int(g, 0, 1) ? LC_I32 : LC_I64);
        lc_batch_init(&c, LC_F64, LC_I64);
        lc_batch_init(&x, oct, oet);
        lc_batch_init(&y, oct, oet);
        int64_t da = dens[lt_int(g, 0, 4)], db = lt_int(g, 0, 1) ? da : dens[lt_int(g, 0, 4)];
        if (lt_int(g, 0, 1)) lc_batch_init(&b, a.ctype, a.etype), lc_batch_init(&c, a.ctype, a.etype);
        OK(ctx, grid_batch(ctx, g, &a, na, da, &o));
        OK(ctx, grid_batch(ctx, g, cancel ? &c : &b, nb, db, &o));
        if (cancel) OK(ctx, lc_general_binop(ctx, &b, &a, &c, LC_FAST_ADD, 1)); /* b = a + c */
        ctx->nthreads = (int)lt_int(g, 1, 2);
        ctx->par_min_rows = 1;
        double s2 = cancel || lt_int(g, 0, 1) ? -1 : 1;
        lc_status sx = s2 > 0 ? lc_add(ctx, &x, &a, &b) : lc_sub(ctx, &x, &a, &b);
        lc_status sy = lc_general_binop(ctx, &y, &a, &b, LC_FAST_ADD, s2), sf;
        CHECK(sx == sy);
        lc_batch f;
        lc_batch_init(&f, oct, oet);
        nfast += lc_fast_op(ctx, &f, &a, &b, LC_FAST_ADD, s2, &sf, "test");
        lc_batch_clear(ctx, &f);
        if (sx == LC_OK && sy == LC_OK) {
            OK(ctx, lc_batch_check(ctx, &x));
            CHECK(x.ctype == y.ctype && x.etype == y.etype && same_batch(&x, &y, 0.0));
            /* out aliasing a: the same result */
            if (a.ctype == oct && a.etype == oet && a.nrows == x.nrows) {
                OK(ctx, s2 > 0 ? lc_add(ctx, &a, &a, &b) : lc_sub(ctx, &a, &a, &b));
                CHECK(same_batch(&a, &x, 0.0));
            }
        }
        lc_batch_clear(ctx, &a);
        lc_batch_clear(ctx, &b);
        lc_batch_clear(ctx, &c);
        lc_batch_clear(ctx, &x);
        lc_batch_clear(ctx, &y);
    }
    printf("ragged sums: fast path %d of %d\n", nfast, rounds);
    CHECK(nfast > rounds / 4); /* the fast path's merge is reached */
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lt_rng g = {20261124};
    for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++) random_rounds(&ctx, &g, kind, 300);
    for (int kind = LC_FAST_ADD; kind <= LC_FAST_RECIP; kind++) uniform_rounds(&ctx, &g, kind, 300);
    test_alias(&ctx, &g);
    test_reference_rows(&ctx, &g);
    test_empty_rows(&ctx);
    test_alloc_failures(&g);
    direct_sum_rounds(&ctx, &g, 400);
    stream_rounds(&ctx, &g, 200);
    for (int kind = 0; kind <= LC_FAST_RECIP; kind++) {
        printf("%-5s fast %4lld declined %4lld\n", kname[kind], (long long)handled[kind],
               (long long)declined[kind]);
        CHECK(handled[kind] > 50); /* the generator does reach the fast path */
    }
    /* the versions: every one this machine runs, and the streaming sum */
    printf("versions: %s at most, %lld results recomputed bit for bit, %lld with streaming stores\n",
           lc_isa_name(), (long long)versions_checked, (long long)lc_fast_stream_calls());
    if (lc_fast_isa_max() == LC_ISA_BASE) printf("versions: only the baseline runs on this machine\n");
    CHECK(lc_fast_stream_calls() > 100);
    lc_ctx_clear(&ctx);
    return lt_report("test_fastpath");
}
