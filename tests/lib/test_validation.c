/* SPDX-License-Identifier: MIT */
/* Bad input: every malformed CSR case is LC_EINVAL with a message naming
 * the row and the term; bad arguments; corrupted batches; overflow. */
#include "lc_test.h"

typedef struct bad_csr {
    const char *what, *msg; /* msg: a substring the error must contain */
    int64_t nrows, den;
    int64_t rp[4], k[4], p[3];
    double c[4];
} bad_csr;

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    const double nan = NAN, inf = INFINITY;
    const int64_t X = LC_EXACT;
    bad_csr cases[] = {
        {"unsorted", "row 1, term 1", 2, 16, {0, 1, 3}, {0, 5, 2}, {X, X}, {1, 1, 1}},
        {"duplicate", "row 0, term 1", 1, 16, {0, 2}, {3, 3}, {X}, {1, 2}},
        {"row_ptr decreasing", "row 1", 2, 16, {0, 2, 1}, {0, 1}, {X, X}, {1, 1}},
        {"row_ptr[0] != 0", "row_ptr[0]", 1, 16, {1, 2}, {0, 1}, {X}, {1, 1}},
        {"NaN", "row 0, term 0", 1, 16, {0, 1}, {0}, {X}, {nan}},
        {"Inf", "row 1, term 0", 2, 16, {0, 1, 2}, {0, 0}, {X, X}, {1, inf}},
        {"zero coefficient", "row 0, term 1", 1, 16, {0, 2}, {0, 1}, {X}, {1, 0}},
        {"term at the bound", "row 0, term 1", 1, 16, {0, 2}, {0, 4}, {4}, {1, 1}},
        {"term beyond the bound", "row 2, term 0", 3, 16, {0, 0, 0, 1}, {9}, {X, 3, 5}, {1}},
        {"den 0", "denominator", 1, 0, {0, 1}, {0}, {X}, {1}},
        {"den < 0", "denominator", 1, -3, {0, 1}, {0}, {X}, {1}},
        {"negative rows", "negative", -1, 16, {0}, {0}, {X}, {1}},
    };
    lc_batch b;
    lc_batch_init(&b, LC_F64, LC_I32);
    OK(&ctx, lc_batch_set_real(&ctx, &b, 2, (double[]){1, 2}));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bad_csr *t = &cases[i];
        ctx.err[0] = '\0';
        lc_status st = lc_batch_from_csr(&ctx, &b, t->nrows, t->rp, t->k, t->c, t->p, t->den);
        if (st != LC_EINVAL || !strstr(ctx.err, t->msg) || strncmp(ctx.err, "lc_batch_from_csr: ", 19)) {
            fprintf(stderr, "case %s: %s \"%s\"\n", t->what, lc_status_str(st), ctx.err);
            CHECK(0);
        }
        CHECK(b.nrows == 2 && lc_row_len(&b, 1) == 1); /* untouched */
    }
    /* NULL arrays */
    CHECK_ST(&ctx, lc_batch_from_csr(&ctx, &b, 1, NULL, NULL, NULL, NULL, 16), LC_EINVAL);
    CHECK_ST(&ctx, lc_batch_from_csr(&ctx, &b, 1, (int64_t[]){0, 1}, NULL, NULL, NULL, 16), LC_EINVAL);
    OK(&ctx, lc_batch_from_csr(&ctx, &b, 0, NULL, NULL, NULL, NULL, 16)); /* empty batch is fine */
    CHECK(b.nrows == 0 && lc_batch_nnz(&b) == 0);
    /* lc_batch_check on a corrupted batch, after direct writes */
    OK(&ctx, lc_batch_parse(&ctx, &b, 1, (const char *[]){"1 + eps + eps^2"}));
    OK(&ctx, lc_batch_check(&ctx, &b));
    ((int32_t *)b.exps)[2] = ((int32_t *)b.exps)[1];
    CHECK_ST(&ctx, lc_batch_check(&ctx, &b), LC_EINVAL);
    CHECK(strstr(ctx.err, "row 0, term 2") != NULL);
    ((int32_t *)b.exps)[2] = 2 * b.den;
    b.bound[0] = 2 * b.den;
    CHECK_ST(&ctx, lc_batch_check(&ctx, &b), LC_EINVAL);
    b.bound[0] = LC_EXACT;
    ((double *)b.coeffs)[0] = 0;
    CHECK_ST(&ctx, lc_batch_check(&ctx, &b), LC_EINVAL);
    ((double *)b.coeffs)[0] = 1;
    b.den = 0;
    CHECK_ST(&ctx, lc_batch_check(&ctx, &b), LC_EINVAL);
    b.den = LC_DEN_DEFAULT;
    OK(&ctx, lc_batch_check(&ctx, &b));
    /* bad arguments of operations */
    lc_batch o;
    lc_batch_init(&o, LC_F64, LC_I32);
    CHECK_ST(&ctx, lc_add(&ctx, &o, &b, NULL), LC_EINVAL);
    CHECK_ST(&ctx, lc_scale(&ctx, &o, &b, NAN), LC_EINVAL);
    CHECK_ST(&ctx, lc_add_real(&ctx, &o, &b, INFINITY), LC_EINVAL);
    CHECK_ST(&ctx, lc_pow_q(&ctx, &o, &b, 1, 0), LC_EINVAL);
    CHECK_ST(&ctx, lc_pow(&ctx, &o, &b, NAN), LC_EINVAL);
    CHECK_ST(&ctx, lc_batch_set_real(&ctx, &o, 1, (double[]){NAN}), LC_EINVAL);
    CHECK_ST(&ctx, lc_batch_set_monomial(&ctx, &o, 1, 1, 1, 0), LC_EINVAL);
    CHECK_ST(&ctx, lc_batch_gather(&ctx, &o, &b, (int64_t[]){-1}, 1), LC_EINVAL);
    CHECK_ST(&ctx, lc_batch_coeff(&ctx, &b, 1, 0, (double[]){0}), LC_EINVAL);
    CHECK_ST(&ctx, lc_row_leading(&ctx, &b, 5, NULL, NULL), LC_EINVAL);
    ctx.depth = 0;
    CHECK_ST(&ctx, lc_exp(&ctx, &o, &b), LC_EINVAL);
    ctx.depth = 8;
    CHECK(o.nrows == 0);
    /* exponent overflow: never wraps */
    OK(&ctx, lc_batch_set_monomial(&ctx, &o, 1, 1, INT64_MAX / 16, 1));
    CHECK(o.etype == LC_I64);
    CHECK_ST(&ctx, lc_mul(&ctx, &o, &o, &o), LC_EOVERFLOW);
    CHECK(strstr(ctx.err, "lc_mul: row 0") != NULL);
    CHECK_ST(&ctx, lc_batch_refine(&ctx, &o, 3), LC_EOVERFLOW);
    CHECK_ST(&ctx, lc_pow_si(&ctx, &o, &o, 2), LC_EOVERFLOW);
    OK(&ctx, lc_batch_set_monomial(&ctx, &o, 1, 1, 1, (int64_t)1 << 61));
    CHECK_ST(&ctx, lc_batch_refine(&ctx, &o, 5), LC_EOVERFLOW);
    OK(&ctx, lc_batch_set_monomial(&ctx, &b, 1, 1, 1, 5));
    CHECK_ST(&ctx, lc_add(&ctx, &o, &o, &b), LC_EOVERFLOW); /* lcm(2^61, 80) */
    CHECK(strstr(ctx.err, "lc_add: lcm") != NULL);
    /* coefficient overflow is an error, not Inf */
    OK(&ctx, lc_batch_set_real(&ctx, &o, 1, (double[]){1e300}));
    CHECK_ST(&ctx, lc_mul(&ctx, &o, &o, &o), LC_EOVERFLOW);
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &o);
    lc_ctx_clear(&ctx);
    return lt_report("test_validation");
}
