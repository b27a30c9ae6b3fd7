/* SPDX-License-Identifier: MIT */
/* The field's order and the discontinuous functions: pinned values at the
 * jumps, the conventions (H(0), sign(0), round's ties), argmax's tie-break,
 * bounds kept by abs/relu/max, errors, the jumps of lc_disc_jump, and seeded
 * random comparisons. The raw per-row layer under them: test_order_raw.c. */
#include "lc_test.h"

static lc_ctx ctx;

/* b = nrows rows (at most 15): row r has len[r] terms of k (exponents k/den)
 * and c, and the bound bound[r] (bound == NULL: exact rows). */
static void mk(lc_batch *b, int64_t nrows, const int *len, const int64_t *k, const double *c,
               const int64_t *bound, int64_t den)
{
    int64_t rp[16] = {0};
    for (int64_t r = 0; r < nrows; r++) rp[r + 1] = rp[r] + len[r];
    lc_status s = lc_batch_from_csr(&ctx, b, nrows, rp, k, c, bound, den);
    if (s) {
        fprintf(stderr, "mk: %s\n", ctx.err);
        exit(2);
    }
}

/* One row: n terms, bound (LC_EXACT for exact), den 1. */
static void one(lc_batch *b, int n, const int64_t *k, const double *c, int64_t bound)
{
    mk(b, 1, &n, k, c, &bound, 1);
}

/* Row r of b equals Σ c[i] ε^{k[i]} + O(ε^bound) exactly (den-independent). */
static int row_is(const lc_batch *b, int64_t r, int n, const int64_t *k, const double *c, int64_t bound)
{
    if (lc_row_len(b, r) != n) return 0;
    if (bound == LC_EXACT ? b->bound[r] != LC_EXACT : b->bound[r] != bound * b->den) return 0;
    for (int i = 0; i < n; i++) {
        int64_t kk;
        double cc;
        lc_row_term(b, r, i, &kk, &cc);
        if (kk != k[i] * b->den || cc != c[i]) return 0;
    }
    return 1;
}

/* Row r of b is the exact real v. */
static int is_real(const lc_batch *b, int64_t r, double v)
{
    return row_is(b, r, v != 0.0, (int64_t[]){0}, &v, LC_EXACT);
}

typedef lc_status (*unop)(lc_ctx *, lc_batch *, const lc_batch *);

/* f(c0 + c1·ε^k1) is the exact real want. */
static int val(unop f, double c0, double c1, int64_t k1, double want)
{
    lc_batch a, y;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    int n = (c0 != 0.0) + (c1 != 0.0);
    int64_t k[2] = {0, k1};
    double c[2] = {c0, c1};
    one(&a, n, c0 != 0.0 ? k : k + 1, c0 != 0.0 ? c : c + 1, LC_EXACT);
    lc_status s = f(&ctx, &y, &a);
    int ok = s == LC_OK && is_real(&y, 0, want);
    if (!ok) fprintf(stderr, "  f(%g + %g eps^%lld): status %s, err '%s'\n", c0, c1, (long long)k1,
                     lc_status_str(s), ctx.err);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &y);
    return ok;
}

static void test_pinned(void)
{
    CHECK(val(lc_floor, 0, -1, 1, -1));
    CHECK(val(lc_floor, 0, 1, 1, 0));
    CHECK(val(lc_floor, 3, -1, 2, 2));
    CHECK(val(lc_floor, -2.5, 1, 1, -3));
    CHECK(val(lc_ceil, 0, 1, 1, 1));
    CHECK(val(lc_ceil, 0, -1, 1, 0));
    CHECK(val(lc_ceil, 2, 0, 0, 2) && val(lc_ceil, -3, 0, 0, -3));
    CHECK(val(lc_floor, 2, 0, 0, 2) && val(lc_floor, 0, 0, 0, 0) && val(lc_round, 0, 0, 0, 0));
    CHECK(val(lc_step, 0, 1, 1, 1));
    CHECK(val(lc_step, 0, -1, 1, 0));
    CHECK(val(lc_step, 0, -1, -1, 0));
    CHECK(val(lc_round, 0.5, -1, 1, 0));
    CHECK(val(lc_round, 0.5, 1, 1, 1));
    CHECK(val(lc_round, -1.5, 1, 3, -1));
    CHECK(val(lc_round, -1.5, -1, 3, -2));
    CHECK(val(lc_round, 0.7, -1, 1, 1));
    CHECK(val(lc_sign, 0, -1, 2, -1));
    CHECK(val(lc_sign, 0, 3, -2, 1));
    CHECK(val(lc_sign, -4, 0, 0, -1));

    lc_batch a, y, b;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I32);
    one(&a, 1, (int64_t[]){1}, (double[]){-1}, LC_EXACT); /* −ε */
    EXPECT(lc_abs(&ctx, &y, &a), LC_OK);
    CHECK(row_is(&y, 0, 1, (int64_t[]){1}, (double[]){1}, LC_EXACT));
    EXPECT(lc_relu(&ctx, &y, &a), LC_OK);
    CHECK(is_real(&y, 0, 0.0));
    one(&a, 1, (int64_t[]){1}, (double[]){1}, LC_EXACT); /* ε */
    EXPECT(lc_relu(&ctx, &y, &a), LC_OK);
    CHECK(row_is(&y, 0, 1, (int64_t[]){1}, (double[]){1}, LC_EXACT));
    one(&b, 1, (int64_t[]){2}, (double[]){1}, LC_EXACT); /* ε² */
    EXPECT(lc_max(&ctx, &y, &a, &b), LC_OK);
    CHECK(row_is(&y, 0, 1, (int64_t[]){1}, (double[]){1}, LC_EXACT));
    EXPECT(lc_max(&ctx, &y, &b, &a), LC_OK);
    CHECK(row_is(&y, 0, 1, (int64_t[]){1}, (double[]){1}, LC_EXACT));
    EXPECT(lc_min(&ctx, &y, &a, &b), LC_OK);
    CHECK(row_is(&y, 0, 1, (int64_t[]){2}, (double[]){1}, LC_EXACT));

    /* abs, relu and max keep the whole number, bound included. */
    one(&a, 2, (int64_t[]){0, 1}, (double[]){-1, 1}, 2); /* −1 + ε + O(ε²) */
    EXPECT(lc_abs(&ctx, &a, &a), LC_OK);                   /* aliased */
    CHECK(row_is(&a, 0, 2, (int64_t[]){0, 1}, (double[]){1, -1}, 2));
    EXPECT(lc_relu(&ctx, &y, &a), LC_OK);
    CHECK(row_is(&y, 0, 2, (int64_t[]){0, 1}, (double[]){1, -1}, 2));
    EXPECT(lc_neg(&ctx, &a, &a), LC_OK);
    EXPECT(lc_relu(&ctx, &y, &a), LC_OK);
    CHECK(is_real(&y, 0, 0.0)); /* relu(−1 + ...) is the exact zero */
    one(&b, 1, (int64_t[]){0}, (double[]){-2}, LC_EXACT);
    EXPECT(lc_max(&ctx, &y, &a, &b), LC_OK);
    CHECK(row_is(&y, 0, 2, (int64_t[]){0, 1}, (double[]){-1, 1}, 2));
    EXPECT(lc_min(&ctx, &y, &a, &b), LC_OK);
    CHECK(is_real(&y, 0, -2.0));

    /* Exact zero: relu 0, abs 0. */
    one(&a, 0, NULL, NULL, LC_EXACT);
    EXPECT(lc_relu(&ctx, &y, &a), LC_OK);
    CHECK(is_real(&y, 0, 0.0));
    EXPECT(lc_abs(&ctx, &y, &a), LC_OK);
    CHECK(is_real(&y, 0, 0.0));
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &y);
    lc_batch_clear(&ctx, &b);
}

/* Order on rows with mixed denominators and broadcasting. */
static void test_cmp(void)
{
    lc_batch a, b;
    int out[4];
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I64);
    /* a: ε^{1/3}, 1 + ε^{2/3}, 0, −ε^{-1/3}  (den 3) */
    mk(&a, 4, (int[]){1, 2, 0, 1}, (int64_t[]){1, 0, 2, -1}, (double[]){1, 1, 1, -1}, NULL, 3);
    one(&b, 0, NULL, NULL, LC_EXACT);
    EXPECT(lc_batch_sgn(&ctx, &a, out), LC_OK);
    CHECK(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == -1);
    /* b: ε^{1/2} (den 2), broadcast against the 4 rows of a */
    mk(&b, 1, (int[]){1}, (int64_t[]){1}, (double[]){1}, NULL, 2);
    EXPECT(lc_cmp(&ctx, &a, &b, out), LC_OK);
    CHECK(out[0] == 1 && out[1] == 1 && out[2] == -1 && out[3] == -1);
    EXPECT(lc_cmp(&ctx, &b, &a, out), LC_OK);
    CHECK(out[0] == -1 && out[1] == -1 && out[2] == 1 && out[3] == 1);
    /* Bounds: 1 + O(ε) vs 1 is undecided, 1 + ε + O(ε²) vs 1 + O(ε²) is not. */
    mk(&a, 2, (int[]){1, 2}, (int64_t[]){0, 0, 1}, (double[]){1, 1, 1}, (int64_t[]){1, 2}, 1);
    mk(&b, 1, (int[]){1}, (int64_t[]){0}, (double[]){1}, (int64_t[]){2}, 1);
    EXPECT(lc_cmp(&ctx, &a, &b, out), LC_EUNDEF);
    CHECK(strstr(ctx.err, "lc_cmp") && strstr(ctx.err, "row 0"));
    one(&a, 2, (int64_t[]){0, 1}, (double[]){1, 1}, 2);
    EXPECT(lc_cmp(&ctx, &a, &b, out), LC_OK);
    CHECK(out[0] == 1);
    /* 1 + 2ε + O(ε²) vs 1 + O(ε): the difference's leading term is at the bound. */
    mk(&b, 1, (int[]){1}, (int64_t[]){0}, (double[]){1}, (int64_t[]){1}, 1);
    EXPECT(lc_cmp(&ctx, &a, &b, out), LC_EUNDEF);
    /* sign of O(ε²) is undecided, never 0. */
    one(&a, 0, NULL, NULL, 2);
    EXPECT(lc_batch_sgn(&ctx, &a, out), LC_EUNDEF);
    EXPECT(lc_sign(&ctx, &b, &a), LC_EUNDEF);
    EXPECT(lc_step(&ctx, &b, &a), LC_EUNDEF);
    EXPECT(lc_abs(&ctx, &b, &a), LC_EUNDEF);
    EXPECT(lc_relu(&ctx, &b, &a), LC_EUNDEF);
    /* Empty batches. */
    mk(&a, 0, NULL, NULL, NULL, NULL, 1);
    EXPECT(lc_abs(&ctx, &b, &a), LC_OK);
    CHECK(b.nrows == 0);
    EXPECT(lc_floor(&ctx, &b, &a), LC_OK);
    CHECK(b.nrows == 0);
    EXPECT(lc_argmax(&ctx, &a, 2, NULL), LC_OK);
    /* Shapes and NULLs. */
    mk(&a, 2, (int[]){0, 0}, NULL, NULL, NULL, 1);
    mk(&b, 3, (int[]){0, 0, 0}, NULL, NULL, NULL, 1);
    EXPECT(lc_cmp(&ctx, &a, &b, out), LC_ESHAPE);
    EXPECT(lc_max(&ctx, &b, &a, &b), LC_ESHAPE);
    CHECK(b.nrows == 3); /* output untouched */
    EXPECT(lc_cmp(&ctx, &a, NULL, out), LC_EINVAL);
    EXPECT(lc_batch_sgn(&ctx, &a, NULL), LC_EINVAL);
    EXPECT(lc_abs(&ctx, NULL, &a), LC_EINVAL);
    EXPECT(lc_min(&ctx, &a, &a, NULL), LC_EINVAL);
    EXPECT(lc_floor(&ctx, &a, NULL), LC_EINVAL);
    EXPECT(lc_disc_apply(&ctx, &a, &b, (lc_disc)9), LC_EINVAL);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
}

static void test_floor_errors(void)
{
    lc_batch a, y;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    one(&a, 1, (int64_t[]){-1}, (double[]){1}, LC_EXACT); /* 1/ε */
    EXPECT(lc_floor(&ctx, &y, &a), LC_EDOMAIN);
    CHECK(strstr(ctx.err, "lc_floor") != NULL);
    EXPECT(lc_ceil(&ctx, &y, &a), LC_EDOMAIN);
    EXPECT(lc_round(&ctx, &y, &a), LC_EDOMAIN);
    EXPECT(lc_step(&ctx, &y, &a), LC_OK); /* the order of an infinite number is fine */
    CHECK(is_real(&y, 0, 1.0));
    one(&a, 0, NULL, NULL, 0); /* O(1): standard part unknown */
    EXPECT(lc_floor(&ctx, &y, &a), LC_EUNDEF);
    EXPECT(lc_round(&ctx, &y, &a), LC_EUNDEF);
    CHECK(strstr(ctx.err, "standard part") != NULL);
    one(&a, 1, (int64_t[]){0}, (double[]){1}, 1); /* 1 + O(ε): breakpoint, side unknown */
    EXPECT(lc_floor(&ctx, &y, &a), LC_EUNDEF);
    EXPECT(lc_round(&ctx, &y, &a), LC_OK); /* 1 is not a breakpoint of round */
    CHECK(is_real(&y, 0, 1.0));
    one(&a, 1, (int64_t[]){0}, (double[]){1.5}, 1); /* 1.5 + O(ε) */
    EXPECT(lc_floor(&ctx, &y, &a), LC_OK);
    CHECK(is_real(&y, 0, 1.0));
    EXPECT(lc_round(&ctx, &y, &a), LC_EUNDEF);
    /* A failing row leaves the output valid (its previous contents). */
    mk(&a, 2, (int[]){1, 0}, (int64_t[]){0}, (double[]){2.5}, (int64_t[]){LC_EXACT, 1}, 1);
    one(&y, 1, (int64_t[]){0}, (double[]){7}, LC_EXACT);
    EXPECT(lc_floor(&ctx, &y, &a), LC_EUNDEF);
    CHECK(strstr(ctx.err, "row 1") != NULL);
    CHECK(y.nrows == 1 && is_real(&y, 0, 7.0));
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &y);
}

/* Each convention changes exactly the values at exact ties. */
static void test_conventions(void)
{
    const double h0v[] = {0.0, 0.5, 1.0};
    for (int h = 0; h < 3; h++) {
        ctx.h0 = (lc_h0)h;
        CHECK(val(lc_step, 0, 0, 0, h0v[h]));
        CHECK(val(lc_step, 0, 1, 1, 1) && val(lc_step, 0, -1, 1, 0) && val(lc_step, 2, 0, 0, 1));
        CHECK(val(lc_sign, 0, 0, 0, 0)); /* sign is not affected */
    }
    ctx.h0 = LC_H0_ZERO;
    ctx.sign0 = 0.25;
    CHECK(val(lc_sign, 0, 0, 0, 0.25));
    CHECK(val(lc_sign, 0, 1, 3, 1) && val(lc_sign, 0, -1, 3, -1));
    CHECK(val(lc_step, 0, 0, 0, 0)); /* step is not affected */
    ctx.sign0 = 0.0;
    CHECK(val(lc_sign, 0, 0, 0, 0));

    static const double x[] = {0.5, -0.5, 1.5, -1.5, 2.5, 0.7, -2.2};
    static const double want[4][7] = {
        {1, -1, 2, -2, 3, 1, -2}, /* away */
        {0, 0, 2, -2, 2, 1, -2},  /* even */
        {1, 0, 2, -1, 3, 1, -2},  /* up   */
        {0, -1, 1, -2, 2, 1, -2}, /* down */
    };
    for (int t = 0; t < 4; t++) {
        ctx.round_tie = (lc_round_tie)t;
        for (int i = 0; i < 7; i++) {
            CHECK(val(lc_round, x[i], 0, 0, want[t][i]));
            CHECK(val(lc_round, x[i], 1, 1, floor(x[i] + 0.5)));       /* ties decided by ε */
            CHECK(val(lc_round, x[i], -1, 2, ceil(x[i] - 0.5)));
            CHECK(val(lc_floor, x[i], 0, 0, floor(x[i])) && val(lc_ceil, x[i], 0, 0, ceil(x[i])));
        }
    }
    ctx.round_tie = LC_TIE_AWAY;
}

static void test_argmax(void)
{
    lc_batch a;
    int64_t out[9];
    lc_batch_init(&a, LC_F64, LC_I32);
    /* groups of 3: [1, 1+ε, 1−ε], [1+ε², 1+ε, 1+ε], [2, 2, 2] */
    mk(&a, 9, (int[]){1, 2, 2, 2, 2, 2, 1, 1, 1},
       (int64_t[]){0, 0, 1, 0, 1, 0, 2, 0, 1, 0, 1, 0, 0, 0},
       (double[]){1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 2, 2, 2}, NULL, 1);
    EXPECT(lc_argmax(&ctx, &a, 3, out), LC_OK);
    CHECK(out[0] == 1 && out[1] == 1 && out[2] == 0);
    EXPECT(lc_argmax(&ctx, &a, 1, out), LC_OK);
    EXPECT(lc_argmax(&ctx, &a, 2, out), LC_ESHAPE);
    EXPECT(lc_argmax(&ctx, &a, 0, out), LC_EINVAL);
    /* [ε^{-1}, 5 + O(ε), 5, 5 + O(ε)]: in one group every comparison is with
     * ε^{-1}, decided; in groups of 2, 5 against 5 + O(ε) is not. */
    mk(&a, 4, (int[]){1, 1, 1, 1}, (int64_t[]){-1, 0, 0, 0}, (double[]){1, 5, 5, 5},
       (int64_t[]){LC_EXACT, 1, LC_EXACT, 1}, 1);
    EXPECT(lc_argmax(&ctx, &a, 4, out), LC_OK);
    CHECK(out[0] == 0);
    EXPECT(lc_argmax(&ctx, &a, 2, out), LC_EUNDEF);
    CHECK(strstr(ctx.err, "row 3") != NULL);
    lc_batch_clear(&ctx, &a);
}

static void test_jump(void)
{
    double u[] = {0.3, 2.5, -1.6, 0.9, 1.0, -0.2}, b[6], J[6];
    EXPECT(lc_disc_jump(&ctx, LC_DISC_STEP, u, 6, b, J), LC_OK);
    for (int i = 0; i < 6; i++) CHECK(b[i] == 0 && J[i] == 1);
    EXPECT(lc_disc_jump(&ctx, LC_DISC_SIGN, u, 6, b, J), LC_OK);
    for (int i = 0; i < 6; i++) CHECK(b[i] == 0 && J[i] == 2);
    const double bf[] = {0, 2, -2, 1, 1, 0}, br[] = {0.5, 2.5, -1.5, 0.5, 0.5, -0.5};
    for (lc_disc f = LC_DISC_FLOOR; f <= LC_DISC_CEIL; f++) {
        EXPECT(lc_disc_jump(&ctx, f, u, 6, b, J), LC_OK);
        for (int i = 0; i < 6; i++) CHECK(b[i] == bf[i] && J[i] == 1);
    }
    ctx.round_tie = LC_TIE_EVEN; /* the jump is convention-free */
    EXPECT(lc_disc_jump(&ctx, LC_DISC_ROUND, u, 6, b, J), LC_OK);
    for (int i = 0; i < 6; i++) CHECK(b[i] == br[i] && J[i] == 1);
    ctx.round_tie = LC_TIE_AWAY;
    u[2] = NAN;
    EXPECT(lc_disc_jump(&ctx, LC_DISC_FLOOR, u, 6, b, J), LC_EINVAL);
    EXPECT(lc_disc_jump(&ctx, LC_DISC_FLOOR, u, 2, NULL, J), LC_EINVAL);
    EXPECT(lc_disc_jump(&ctx, (lc_disc)7, u, 2, b, J), LC_EINVAL);
}

/* float / int64 storage give the same decisions. */
static void test_storage(void)
{
    lc_batch a, y;
    lc_batch_init(&a, LC_F32, LC_I64);
    lc_batch_init(&y, LC_F32, LC_I64);
    mk(&a, 2, (int[]){2, 1}, (int64_t[]){0, 1, 1}, (double[]){-1.5, 1, -1}, NULL, 1);
    EXPECT(lc_abs(&ctx, &y, &a), LC_OK);
    CHECK(y.ctype == LC_F32 && row_is(&y, 0, 2, (int64_t[]){0, 1}, (double[]){1.5, -1}, LC_EXACT));
    EXPECT(lc_round(&ctx, &y, &a), LC_OK);
    CHECK(is_real(&y, 0, -1.0) && is_real(&y, 1, 0.0));
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &y);
}

/* Allocation failure: for every k the k-th allocation fails; LC_ENOMEM, no
 * leak, a valid output, and the right values once nothing fails. */
static lc_status alloc_run(lc_ctx *c, lt_alloc *al, int64_t k)
{
    lc_batch a, b, y;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    double x[] = {0.5, -1.0, 2.0}, bj[3], J[3];
    CHECK(!lc_batch_from_real(c, &a, 3, x, NULL) && !lc_batch_set_real(c, &b, 1, x));
    lt_alloc_arm(al, k);
    lc_status s = lc_max(c, &y, &a, &b);
    if (!s) s = lc_abs(c, &y, &y);
    if (!s) s = lc_round(c, &y, &a);
    if (!s) s = lc_disc_jump(c, LC_DISC_ROUND, x, 3, bj, J);
    CHECK(lc_batch_check(c, &y) == LC_OK);
    if (!s) CHECK(is_real(&y, 0, 1.0) && is_real(&y, 1, -1.0) && J[0] == 1);
    lc_batch_clear(c, &a);
    lc_batch_clear(c, &b);
    lc_batch_clear(c, &y);
    return s;
}

/* Row 0 of x and of y are the same number (terms and bound), whatever
 * their denominators. */
static int same_row(const lc_batch *x, const lc_batch *y)
{
    int64_t n = lc_row_len(x, 0), px = x->bound[0], py = y->bound[0];
    if (n != lc_row_len(y, 0) || (px == LC_EXACT) != (py == LC_EXACT)) return 0;
    if (px != LC_EXACT && px * y->den != py * x->den) return 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t kx, ky;
        double cx, cy;
        lc_row_term(x, 0, i, &kx, &cx);
        lc_row_term(y, 0, i, &ky, &cy);
        if (kx * y->den != ky * x->den || cx != cy) return 0;
    }
    return 1;
}

/* Seeded random pairs (denominators 3 and 16, inexact bounds, infinite and
 * infinitesimal rows): lc_cmp agrees with the sign of lc_sub's difference
 * (status included), is antisymmetric, and max/min/abs agree with it. */
static void test_random(void)
{
    lt_rng g = {20261124};
    lt_gen o = {3, -6, 12, 0.5, 0.15, 0};
    lc_batch a, b, d, m;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I64);
    lc_batch_init(&d, LC_F64, LC_I64);
    lc_batch_init(&m, LC_F64, LC_I64);
    int decided = 0;
    for (int it = 0; it < 3000; it++) {
        int c1, c2, sd;
        CHECK(!lt_random_batch(&ctx, &g, &a, 1, 3, &o));
        CHECK(!lt_random_batch(&ctx, &g, &b, 1, it % 3 ? 16 : 3, &o));
        if (it % 4 == 0) CHECK(!lc_add(&ctx, &b, &b, &a)); /* a − b then starts beyond ε⁰ */
        lc_status s1 = lc_cmp(&ctx, &a, &b, &c1), s2 = lc_cmp(&ctx, &b, &a, &c2);
        CHECK(!lc_sub(&ctx, &d, &a, &b));
        lc_status sr = lc_batch_sgn(&ctx, &d, &sd);
        CHECK(s1 == sr && s2 == sr);
        if (s1 || sr) continue;
        decided++;
        CHECK(c1 == sd && c2 == -c1);
        CHECK(!lc_max(&ctx, &m, &a, &b) && same_row(&m, c1 >= 0 ? &a : &b));
        CHECK(!lc_min(&ctx, &m, &a, &b) && same_row(&m, c1 >= 0 ? &b : &a));
        CHECK(!lc_abs(&ctx, &m, &d) && !lc_batch_sgn(&ctx, &m, &c2) && c2 == (sd != 0));
    }
    CHECK(decided > 1000 && decided < 3000); /* both kinds of case were met */
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &d);
    lc_batch_clear(&ctx, &m);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("usage: %s\nUnit tests of the order and the discontinuous functions"
               " (exit 1 on failure).\n", argv[0]);
        return strcmp(argv[1], "--help") != 0;
    }
    lc_ctx_init(&ctx);
    test_pinned();
    test_cmp();
    test_floor_errors();
    test_conventions();
    test_argmax();
    test_jump();
    test_storage();
    lt_alloc_sweep(100, alloc_run);
    test_random();
    lc_ctx_clear(&ctx);
    return lt_report("test_order");
}
