/* SPDX-License-Identifier: MIT */
/* Batches: construction, storage conversion, denominators, accessors. */
#include "lc_test.h"

/* Row r of b equals the terms (k/den, c) and bound p (p in den units). */
static int row_is(const lc_batch *b, int64_t r, int64_t den, int64_t n, const int64_t *k,
                  const double *c, int64_t p)
{
    if (lc_row_len(b, r) != n) return 0;
    int64_t m = b->den / den;
    for (int64_t i = 0; i < n; i++) {
        int64_t kk;
        double cc;
        lc_row_term(b, r, i, &kk, &cc);
        if (kk != k[i] * m || cc != c[i]) return 0;
    }
    return p == LC_EXACT ? b->bound[r] == LC_EXACT : b->bound[r] == p * m;
}

static void test_construct(lc_ctx *ctx, lc_ctype ct, lc_etype et)
{
    lc_batch b;
    lc_batch_init(&b, ct, et);
    CHECK(b.nrows == 0 && b.den == LC_DEN_DEFAULT && lc_batch_nnz(&b) == 0);
    double x[3] = {1.5, 0, -2}, v[3] = {2, 3, 0};
    OK(ctx, lc_batch_set_real(ctx, &b, 3, x));
    CHECK(b.nrows == 3 && lc_batch_nnz(&b) == 2);
    CHECK(row_is(&b, 0, 1, 1, (int64_t[]){0}, (double[]){1.5}, LC_EXACT));
    CHECK(row_is(&b, 1, 1, 0, NULL, NULL, LC_EXACT));
    OK(ctx, lc_batch_from_real(ctx, &b, 3, x, v));
    CHECK(row_is(&b, 0, 1, 2, (int64_t[]){0, 1}, (double[]){1.5, 2}, LC_EXACT));
    CHECK(row_is(&b, 1, 1, 1, (int64_t[]){1}, (double[]){3}, LC_EXACT));
    CHECK(row_is(&b, 2, 1, 1, (int64_t[]){0}, (double[]){-2}, LC_EXACT));
    OK(ctx, lc_batch_from_real(ctx, &b, 1, x, NULL));
    CHECK(row_is(&b, 0, 1, 2, (int64_t[]){0, 1}, (double[]){1.5, 1}, LC_EXACT));
    /* ε^{2/6} = ε^{1/3}: den becomes lcm(16, 3) = 48 */
    OK(ctx, lc_batch_set_monomial(ctx, &b, 2, -0.5, 2, 6));
    CHECK(b.den == 48 && b.nrows == 2);
    CHECK(row_is(&b, 1, 3, 1, (int64_t[]){1}, (double[]){-0.5}, LC_EXACT));
    OK(ctx, lc_batch_set_monomial(ctx, &b, 1, 2, -1, 1));
    CHECK(lc_row_is_infinite(&b, 0) && !lc_row_is_infinitesimal(&b, 0));
    int64_t num;
    double c;
    OK(ctx, lc_row_leading(ctx, &b, 0, &num, &c));
    CHECK(num == -b.den && c == 2);
    lc_batch_clear(ctx, &b);
}

static void test_accessors(lc_ctx *ctx)
{
    lc_batch b;
    lc_batch_init(&b, LC_F64, LC_I32);
    /* rows: 3ε^-1 + 1 ; 2 + 5ε^(1/2) + O(ε) ; O(ε^-1) ; ε^(1/4) + O(ε^2) ; 0 */
    int64_t rp[6] = {0, 2, 4, 4, 5, 5}, k[5] = {-4, 0, 0, 2, 1}, p[5] = {LC_EXACT, 4, -4, 8, LC_EXACT};
    double cf[5] = {3, 1, 2, 5, 1}, st[5], co[5];
    OK(ctx, lc_batch_from_csr(ctx, &b, 5, rp, k, cf, p, 4));
    CHECK_ST(ctx, lc_batch_std(ctx, &b, st), LC_EDOMAIN);
    CHECK(strstr(ctx->err, "row 0") != NULL);
    CHECK(st[1] == 2 && st[3] == 0 && st[4] == 0);
    CHECK_ST(ctx, lc_batch_coeff(ctx, &b, 1, 2, co), LC_EUNDEF); /* row 2: O(ε^-1) */
    CHECK(co[1] == 5 && co[0] == 0 && co[3] == 0);
    CHECK_ST(ctx, lc_batch_coeff(ctx, &b, -1, 1, co), LC_EUNDEF); /* row 2: at its bound */
    CHECK(co[0] == 3 && co[1] == 0);
    CHECK_ST(ctx, lc_batch_coeff(ctx, &b, 1, 3, co), LC_EUNDEF); /* off grid, beyond row 1's bound */
    CHECK_ST(ctx, lc_batch_coeff(ctx, &b, 1, 5, co), LC_EUNDEF); /* row 2 only */
    CHECK(strstr(ctx->err, "row 2") != NULL);
    CHECK(lc_row_is_infinitesimal(&b, 3) && !lc_row_is_infinitesimal(&b, 4) && !lc_row_is_infinite(&b, 4));
    CHECK(!lc_row_is_infinitesimal(&b, 2) && !lc_row_is_infinite(&b, 2));
    int64_t num;
    double c;
    CHECK_ST(ctx, lc_row_leading(ctx, &b, 4, &num, &c), LC_EUNDEF);
    CHECK_ST(ctx, lc_row_leading(ctx, &b, 2, &num, &c), LC_EUNDEF);
    OK(ctx, lc_row_leading(ctx, &b, 3, &num, &c));
    CHECK(num == 1 && c == 1);
    /* gather, aliasing dst == src */
    int64_t idx[3] = {3, 3, 0};
    OK(ctx, lc_batch_gather(ctx, &b, &b, idx, 3));
    CHECK(b.nrows == 3 && row_is(&b, 1, 4, 1, (int64_t[]){1}, (double[]){1}, 8));
    CHECK(row_is(&b, 2, 4, 2, (int64_t[]){-4, 0}, (double[]){3, 1}, LC_EXACT));
    idx[0] = 3;
    CHECK_ST(ctx, lc_batch_gather(ctx, &b, &b, idx, 1), LC_EINVAL);
    lc_batch_clear(ctx, &b);
}

static void test_storage(lc_ctx *ctx)
{
    lt_rng g = {42};
    lt_gen o = {6, -40, 40, 0.5, 0.1, 0};
    lc_batch a, b;
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&b, LC_F32, LC_I32);
    OK(ctx, lt_random_batch(ctx, &g, &a, 50, 12, &o));
    OK(ctx, lc_batch_copy(ctx, &b, &a));
    CHECK(b.ctype == LC_F32 && b.etype == LC_I32 && b.den == 12 && b.nrows == 50);
    OK(ctx, lc_batch_check(ctx, &b));
    for (int64_t i = 0; i < lc_batch_nnz(&a); i++) {
        CHECK(((int32_t *)b.exps)[i] == ((int64_t *)a.exps)[i]);
        CHECK(((float *)b.coeffs)[i] == (float)((double *)a.coeffs)[i]);
    }
    /* denominators: 12 -> 36 (refine by 9), exponents ×3 */
    OK(ctx, lc_batch_refine(ctx, &b, 9));
    CHECK(b.den == 36);
    OK(ctx, lc_batch_check(ctx, &b));
    for (int64_t r = 0; r < 50; r++)
        CHECK(b.bound[r] == (a.bound[r] == LC_EXACT ? LC_EXACT : 3 * a.bound[r]));
    CHECK_ST(ctx, lc_batch_set_den(ctx, &b, 40), LC_EINVAL);
    /* int32 widening when an exponent leaves int32 */
    lc_batch c;
    lc_batch_init(&c, LC_F64, LC_I32);
    OK(ctx, lc_batch_set_monomial(ctx, &c, 1, 1.0, 3, 1));
    OK(ctx, lc_batch_set_den(ctx, &c, (int64_t)1 << 30));
    CHECK(c.etype == LC_I64 && lc_batch_nnz(&c) == 1 && ((int64_t *)c.exps)[0] == (int64_t)3 << 30);
    CHECK_ST(ctx, lc_batch_convert(ctx, &c, LC_F64, LC_I32), LC_EOVERFLOW);
    CHECK(c.etype == LC_I64 && ((int64_t *)c.exps)[0] == (int64_t)3 << 30); /* untouched */
    CHECK_ST(ctx, lc_batch_set_den(ctx, &c, (int64_t)1 << 62), LC_EOVERFLOW);
    OK(ctx, lc_batch_convert(ctx, &a, LC_F32, LC_I32));
    CHECK(a.ctype == LC_F32 && a.etype == LC_I32);
    OK(ctx, lc_batch_check(ctx, &a));
    /* float underflow and overflow are errors (a term never vanishes) */
    double tiny[2] = {1e-60, 1e300};
    OK(ctx, lc_batch_set_real(ctx, &b, 1, (double[]){1e-30}));
    CHECK(b.ctype == LC_F32 && b.nrows == 1 && lc_row_len(&b, 0) == 1 && b.bound[0] == LC_EXACT);
    CHECK_ST(ctx, lc_batch_set_real(ctx, &b, 1, tiny), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_batch_set_real(ctx, &b, 2, tiny), LC_EOVERFLOW);
    CHECK(b.nrows == 1 && lc_row_len(&b, 0) == 1);
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &b);
    lc_batch_clear(ctx, &c);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (int ct = 0; ct < 2; ct++)
        for (int et = 0; et < 2; et++) test_construct(&ctx, (lc_ctype)ct, (lc_etype)et);
    test_accessors(&ctx);
    test_storage(&ctx);
    lc_ctx_clear(&ctx);
    return lt_report("test_batch");
}
