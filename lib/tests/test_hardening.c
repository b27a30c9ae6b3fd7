/* SPDX-License-Identifier: MIT */
/* Extremes and hostile inputs of the field core: grid rows longer than the
 * fast path's stack slots, exponents and bounds at INT64_MAX (= LC_EXACT)
 * and INT64_MIN, denominators at INT64_MAX, series on fine denominators,
 * float storage of terms that would vanish, and the output of a failed
 * call (unchanged). Each block names the defect it pins down. */
#include "internal.h"
#include "lc_test.h"

#include <string.h>

/* b = Σ_{i<n} c·ε^{k0 + i·g} + O(ε^p), one row, den. */
static void grid_row(lc_ctx *ctx, lc_batch *b, int64_t n, int64_t k0, int64_t g, double c, int64_t p, int64_t den)
{
    int64_t rp[2] = {0, n}, *k = malloc((size_t)(n ? n : 1) * sizeof *k);
    double *cf = malloc((size_t)(n ? n : 1) * sizeof *cf);
    for (int64_t i = 0; i < n; i++) k[i] = k0 + i * g, cf[i] = c;
    OK(ctx, lc_batch_from_csr(ctx, b, 1, rp, k, cf, &p, den));
    free(k);
    free(cf);
}

/* One term c·ε^k at den, bound p. */
static void mono(lc_ctx *ctx, lc_batch *b, double c, int64_t k, int64_t p, int64_t den)
{
    int64_t rp[2] = {0, 1};
    OK(ctx, lc_batch_from_csr(ctx, b, 1, rp, &k, &c, &p, den));
}

/* Defect 1: x = Σ_{i<n} ε^i with 65 ≤ n ≤ 128: x·x has 2n - 1 > 128 slots
 * (past the fast path's stack arrays). The product must equal the general
 * path's, term by term. */
static void test_long_grid_mul(lc_ctx *ctx)
{
    for (int64_t n = 60; n <= 130; n += 5) {
        for (int et = 0; et < 2; et++) {
            lc_batch x, y, r;
            lc_batch_init(&x, LC_F64, (lc_etype)et);
            lc_batch_init(&y, LC_F64, LC_I64);
            lc_batch_init(&r, LC_F64, LC_I64);
            grid_row(ctx, &x, n, 0, 1, 1.0, LC_EXACT, 1);
            OK(ctx, lc_mul(ctx, &y, &x, &x));
            OK(ctx, lc_general_binop(ctx, &r, &x, &x, LC_FAST_MUL, 1));
            OK(ctx, lc_batch_check(ctx, &y));
            CHECK_MSG(lc_row_len(&y, 0) == 2 * n - 1 && lc_row_len(&r, 0) == 2 * n - 1, "n %lld: %lld terms",
                      (long long)n, (long long)lc_row_len(&y, 0));
            for (int64_t i = 0; i < lc_row_len(&y, 0) && i < lc_row_len(&r, 0); i++) {
                int64_t k1, k2;
                double c1, c2;
                lc_row_term(&y, 0, i, &k1, &c1);
                lc_row_term(&r, 0, i, &k2, &c2);
                CHECK(k1 == k2 && k1 == i && c1 == c2 && c1 == (double)(i < n ? i + 1 : 2 * n - 1 - i));
            }
            lc_batch_clear(ctx, &x);
            lc_batch_clear(ctx, &y);
            lc_batch_clear(ctx, &r);
        }
    }
}

/* Defect 4: INT64_MAX is LC_EXACT, never an exponent or a finite bound. */
static void test_exact_is_not_a_value(lc_ctx *ctx)
{
    const int64_t D7 = INT64_MAX / 7; /* INT64_MAX = 7·D7 */
    lc_batch a, z, o;
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&z, LC_F64, LC_I64);
    lc_batch_init(&o, LC_F64, LC_I64);
    /* set_den: ε^D7 at den 1 → den 7 would put a term at INT64_MAX */
    mono(ctx, &a, 1.0, D7, LC_EXACT, 1);
    CHECK_ST(ctx, lc_batch_set_den(ctx, &a, 7), LC_EOVERFLOW);
    OK(ctx, lc_batch_check(ctx, &a));
    CHECK(a.den == 1 && lc_row_len(&a, 0) == 1);
    /* ε⁷ at den 1 against 0 at den D7: on the common grid ε⁷ is k = INT64_MAX */
    mono(ctx, &a, 1.0, 7, LC_EXACT, 1);
    OK(ctx, lc_batch_set_real(ctx, &z, 1, (double[]){0}));
    z.den = D7;
    int cmp = 5;
    CHECK_ST(ctx, lc_max(ctx, &o, &a, &z), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_add(ctx, &o, &a, &z), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_mul(ctx, &o, &a, &a), LC_OK); /* den 1: ε^14, fine */
    CHECK_ST(ctx, lc_cmp(ctx, &a, &z, &cmp), LC_EOVERFLOW);
    CHECK(cmp == 5 || cmp == 1);
    /* a product whose exact term lands on INT64_MAX */
    lc_batch h;
    lc_batch_init(&h, LC_F64, LC_I64);
    mono(ctx, &a, 1.0, INT64_MAX / 2, LC_EXACT, 1);
    mono(ctx, &h, 1.0, INT64_MAX / 2 + 1, LC_EXACT, 1);
    CHECK_ST(ctx, lc_mul(ctx, &o, &a, &h), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_general_binop(ctx, &o, &a, &h, LC_FAST_MUL, 1), LC_EOVERFLOW);
    /* 1/(2ε^-(2^63-1) + O(ε^-1)): the result's bound does not fit; the O
     * term may not be lost (it is not an exact row) */
    mono(ctx, &a, 2.0, -INT64_MAX, -1, 1);
    lc_status st = lc_recip(ctx, &o, &a);
    CHECK_MSG(st == LC_EOVERFLOW, "%s, %lld rows", lc_status_str(st), (long long)o.nrows);
    mono(ctx, &a, 2.0, -INT64_MAX, LC_EXACT, 1); /* exact: 0.5ε^(2^63-1) would sit at LC_EXACT */
    CHECK_ST(ctx, lc_recip(ctx, &o, &a), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_general_series(ctx, &o, &a, LC_FAST_RECIP), LC_EOVERFLOW);
    /* set_monomial at INT64_MAX */
    CHECK_ST(ctx, lc_batch_set_monomial(ctx, &o, 1, 1.0, INT64_MAX, 1), LC_EOVERFLOW);
    lc_batch_clear(ctx, &h);
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &z);
    lc_batch_clear(ctx, &o);
}

/* Defect 5: the parser does not turn ε^(2^63-1) into nothing. */
static void test_parse_extremes(lc_ctx *ctx)
{
    lc_batch b;
    lc_batch_init(&b, LC_F64, LC_I64);
    b.den = 1;
    const char *t1[] = {"eps^9223372036854775807"};
    CHECK_ST(ctx, lc_batch_parse(ctx, &b, 1, t1), LC_EOVERFLOW);
    const char *t2[] = {"eps^9223372036854775806 + O(eps^9223372036854775807)"};
    CHECK_ST(ctx, lc_batch_parse(ctx, &b, 1, t2), LC_EOVERFLOW);
    const char *t3[] = {"eps^-9223372036854775808", "3eps^(-9223372036854775808/2)"};
    OK(ctx, lc_batch_parse(ctx, &b, 2, t3)); /* gcd of INT64_MIN: no UB */
    CHECK(b.nrows == 2 && lc_row_len(&b, 0) == 1 && lc_row_len(&b, 1) == 1);
    char buf[128];
    OK(ctx, lc_row_print(ctx, &b, 0, buf, sizeof buf));
    CHECK(strstr(buf, "-9223372036854775808") != NULL);
    lc_batch_clear(ctx, &b);
}

/* Defect 6: fine denominators and huge depths are refused quickly
 * (LC_ELIMIT), not run for hours. */
static void test_series_budget(lc_ctx *ctx)
{
    lc_batch b, o;
    lc_batch_init(&b, LC_F64, LC_I64);
    lc_batch_init(&o, LC_F64, LC_I64);
    b.den = 1;
    const char *t[] = {"1 + eps^(1/100000)"};
    OK(ctx, lc_batch_parse(ctx, &b, 1, t));
    CHECK_ST(ctx, lc_tanh(ctx, &o, &b), LC_ELIMIT);
    CHECK_ST(ctx, lc_softplus(ctx, &o, &b), LC_ELIMIT);
    CHECK_ST(ctx, lc_exp(ctx, &o, &b), LC_ELIMIT);
    CHECK(o.nrows == 0);
    grid_row(ctx, &b, 2, 0, 21, 1.0, LC_EXACT, 1000000); /* 1 + ε^(21/D) */
    CHECK_ST(ctx, lc_tanh(ctx, &o, &b), LC_ELIMIT);
    /* a coarse row still works; so does a fine one with the budget lifted */
    grid_row(ctx, &b, 2, 0, 1, 1.0, LC_EXACT, 16);
    OK(ctx, lc_tanh(ctx, &o, &b));
    int32_t depth = ctx->depth;
    ctx->depth = 1 << 27;
    CHECK_ST(ctx, lc_exp(ctx, &o, &b), LC_ELIMIT);
    CHECK_ST(ctx, lc_tanh(ctx, &o, &b), LC_ELIMIT);
    ctx->depth = depth;
    lc_batch_clear(ctx, &b);
    lc_batch_clear(ctx, &o);
}

/* Defect 7: INT64_MIN reaches gcd, the fast path's grid checks and the
 * series' exponent differences without signed overflow (UBSan builds). */
static void test_int64_min(lc_ctx *ctx)
{
    CHECK(lc_gcd_i64(INT64_MIN, 6) == 2 && lc_gcd_i64(6, INT64_MIN) == 2);
    CHECK(lc_gcd_i64(INT64_MIN, 0) == INT64_MIN && lc_gcd_i64(0, 0) == 0);
    CHECK(lc_gcd_i64(INT64_MIN, INT64_MAX) == 1 && lc_gcd_i64(-12, 18) == 6);
    lc_batch a, o;
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&o, LC_F64, LC_I64);
    double cf[3] = {1, 2, 3};
    int64_t k[3] = {INT64_MIN, 0, 5}, rp[2] = {0, 3}, p = LC_EXACT;
    OK(ctx, lc_batch_from_csr(ctx, &a, 1, rp, k, cf, &p, 1));
    CHECK_ST(ctx, lc_mul(ctx, &o, &a, &a), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_exp(ctx, &o, &a), LC_EDOMAIN);
    CHECK_ST(ctx, lc_recip(ctx, &o, &a), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_sqrt(ctx, &o, &a), LC_EOVERFLOW);
    double c;
    OK(ctx, lc_batch_coeff(ctx, &a, INT64_MIN, 1, &c));
    CHECK(c == 1);
    o.den = 1;
    OK(ctx, lc_batch_set_monomial(ctx, &o, 1, 1.0, INT64_MIN, 2));
    CHECK(lc_row_len(&o, 0) == 1);
    char buf[128];
    OK(ctx, lc_row_print(ctx, &a, 0, buf, sizeof buf));
    k[0] = INT64_MIN + 1; /* a grid step that overflows */
    OK(ctx, lc_batch_from_csr(ctx, &a, 1, rp, k, cf, &p, 1));
    CHECK_ST(ctx, lc_add(ctx, &o, &a, &a), LC_OK);
    CHECK_ST(ctx, lc_recip(ctx, &o, &a), LC_EOVERFLOW);
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &o);
}

/* Defect 9: one status whatever the path: den = INT64_MAX. */
static void test_den_max(lc_ctx *ctx)
{
    lc_batch a, o, r;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&o, LC_F64, LC_I32);
    lc_batch_init(&r, LC_F64, LC_I32);
    grid_row(ctx, &a, 3, 0, 1, 1.0, LC_EXACT, INT64_MAX);
    lc_status s1 = lc_add(ctx, &o, &a, &a), s2 = lc_general_binop(ctx, &r, &a, &a, LC_FAST_ADD, 1);
    CHECK_MSG(s1 == s2, "fast %s, general %s", lc_status_str(s1), lc_status_str(s2));
    s1 = lc_mul(ctx, &o, &a, &a), s2 = lc_general_binop(ctx, &r, &a, &a, LC_FAST_MUL, 1);
    CHECK_MSG(s1 == s2, "fast %s, general %s", lc_status_str(s1), lc_status_str(s2));
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &o);
    lc_batch_clear(ctx, &r);
}

/* out still holds v (3 + 4ε, exact). */
static int holds_v(const lc_batch *o)
{
    int64_t k0, k1;
    double c0, c1;
    if (o->nrows != 1 || lc_row_len(o, 0) != 2 || o->bound[0] != LC_EXACT) return 0;
    lc_row_term(o, 0, 0, &k0, &c0);
    lc_row_term(o, 0, 1, &k1, &c1);
    return k0 == 0 && c0 == 3 && k1 == o->den && c1 == 4;
}

/* Defect 10: a failed call leaves a separate output unchanged, on the fast
 * path as on the general one. */
static void test_failure_keeps_output(lc_ctx *ctx)
{
    for (int ct = 0; ct < 2; ct++) {
        lc_batch x, o;
        lc_batch_init(&x, (lc_ctype)ct, LC_I32);
        lc_batch_init(&o, (lc_ctype)ct, LC_I32);
        double big = ct == LC_F64 ? 1e200 : 1e30;
        OK(ctx, lc_batch_from_real(ctx, &o, 1, (double[]){3}, (double[]){4}));
        OK(ctx, lc_batch_from_real(ctx, &x, 1, (double[]){0}, (double[]){big})); /* big·ε */
        CHECK_ST(ctx, lc_mul(ctx, &o, &x, &x), LC_EOVERFLOW);
        CHECK(holds_v(&o));
        OK(ctx, lc_batch_from_real(ctx, &x, 1, (double[]){1000}, NULL)); /* 1000 + ε */
        CHECK_ST(ctx, lc_exp(ctx, &o, &x), LC_EOVERFLOW);
        CHECK(holds_v(&o));
        /* 8 rows (the uniform path) */
        double xs[8] = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
        OK(ctx, lc_batch_from_real(ctx, &x, 8, xs, NULL));
        CHECK_ST(ctx, lc_exp(ctx, &o, &x), LC_EOVERFLOW);
        CHECK(holds_v(&o));
        OK(ctx, lc_batch_from_real(ctx, &x, 1, (double[]){2}, NULL));
        OK(ctx, lc_exp(ctx, &o, &x)); /* and a success after failures */
        CHECK(o.nrows == 1 && lc_row_len(&o, 0) == 8);
        lc_batch_clear(ctx, &x);
        lc_batch_clear(ctx, &o);
    }
}

/* Defect 11: float storage never drops a term silently: 1 + 1e-50ε in
 * LC_F32 is LC_EOVERFLOW (the term would decide the order), everywhere. */
static void test_f32_no_vanishing(lc_ctx *ctx)
{
    lc_batch x, o, d;
    lc_batch_init(&x, LC_F64, LC_I32);
    lc_batch_init(&o, LC_F32, LC_I32);
    lc_batch_init(&d, LC_F64, LC_I32);
    OK(ctx, lc_batch_from_real(ctx, &x, 1, (double[]){1}, (double[]){1e-50}));
    CHECK_ST(ctx, lc_batch_copy(ctx, &o, &x), LC_EOVERFLOW);
    CHECK(o.nrows == 0);
    CHECK_ST(ctx, lc_batch_convert(ctx, &x, LC_F32, LC_I32), LC_EOVERFLOW);
    CHECK(x.ctype == LC_F64 && lc_row_len(&x, 0) == 2);
    /* computed results too, on the fast path (uniform and per row) */
    lc_batch y;
    lc_batch_init(&y, LC_F32, LC_I32);
    OK(ctx, lc_batch_from_real(ctx, &y, 1, (double[]){1}, (double[]){1e-30}));
    CHECK_ST(ctx, lc_mul(ctx, &o, &y, &y), LC_EOVERFLOW); /* 1 + 2e-30ε + 1e-60ε² */
    double s[8] = {1, 1, 1, 1, 1, 1, 1, 1}, v[8] = {1e-30, 1e-30, 1e-30, 1e-30, 1e-30, 1e-30, 1e-30, 1e-30};
    OK(ctx, lc_batch_from_real(ctx, &y, 8, s, v));
    CHECK_ST(ctx, lc_mul(ctx, &o, &y, &y), LC_EOVERFLOW);
    CHECK_ST(ctx, lc_sub(ctx, &o, &y, &y), LC_OK); /* exact cancellation is not underflow */
    CHECK(lc_batch_nnz(&o) == 0);
    /* the order stays decided: sign of 1e-50ε through f32 storage */
    OK(ctx, lc_batch_from_real(ctx, &x, 1, (double[]){0}, (double[]){1e-50}));
    CHECK_ST(ctx, lc_step(ctx, &o, &x), LC_OK); /* out f32: step's result (1) fits */
    double st;
    OK(ctx, lc_batch_std(ctx, &o, &st));
    CHECK(st == 1);
    lc_batch_clear(ctx, &x);
    lc_batch_clear(ctx, &y);
    lc_batch_clear(ctx, &o);
    lc_batch_clear(ctx, &d);
}

/* Runs one block; names it when it failed. */
#define RUN(fn)                                                                        \
    do {                                                                               \
        int before_ = lt_failures;                                                     \
        fn(&ctx);                                                                      \
        if (lt_failures > before_) fprintf(stderr, "%s: %d failure(s)\n", #fn, lt_failures - before_); \
    } while (0)

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    RUN(test_long_grid_mul);
    RUN(test_exact_is_not_a_value);
    RUN(test_parse_extremes);
    RUN(test_series_budget);
    RUN(test_int64_min);
    RUN(test_den_max);
    RUN(test_failure_keeps_output);
    RUN(test_f32_no_vanishing);
    lc_ctx_clear(&ctx);
    return lt_report("test_hardening");
}
