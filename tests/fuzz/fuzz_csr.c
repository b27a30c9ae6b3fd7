/* SPDX-License-Identifier: MIT */
/* Fuzz target: the CSR validator (lc_batch_from_csr, lc_batch_check) and
 * what runs on a batch it accepts. The input is read as raw CSR arrays
 * (row pointers, exponents, coefficients, bounds, denominator; small
 * values and the int64 extremes both likely). A batch that is accepted
 * must pass lc_batch_check and survive conversion, rescaling, printing,
 * arithmetic, the order and the series with valid results or a status
 * (and a message). A rejected one must leave the output untouched. */
#include "infnum/infnum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

/* Small values mostly; the extremes and raw 8-byte values sometimes. */
static int64_t i64(src *s)
{
    static const int64_t ext[] = {INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1,
                                  INT32_MAX, (int64_t)INT32_MAX + 1, INT32_MIN, INT64_MAX / 7};
    unsigned t = byte(s);
    if (t < 224) return (int64_t)t - 112;
    if (t < 248) return ext[t & 7];
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | byte(s);
    return (int64_t)v;
}

static double f64(src *s)
{
    unsigned t = byte(s);
    if (t < 200) return (double)((int)t - 100) * 0.25;
    if (t < 250) return ldexp(1.0 + (t & 7), (int)byte(s) * 4 - 512);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | byte(s);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static void valid_or_status(lc_ctx *ctx, lc_status st, const lc_batch *o)
{
    if (st == LC_OK) FUZZ_ASSERT(lc_batch_check(ctx, o) == LC_OK);
    else FUZZ_ASSERT(ctx->err[0] != '\0');
    ctx->err[0] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 4096) return 0;
    src s = {data, size};
    unsigned h = byte(&s);
    int64_t nrows = h % 9, rp[10], *k = NULL, *bd = NULL;
    double *c = NULL;
    rp[0] = (h & 0x80) ? i64(&s) : 0;
    for (int64_t r = 0; r < nrows; r++) {
        unsigned t = byte(&s);
        rp[r + 1] = (t & 0x40) || rp[r] > 1000 || rp[r] < -1000 ? i64(&s) : rp[r] + t % 8;
    }
    int64_t nnz = nrows ? rp[nrows] : 0;
    if (nnz < 0 || nnz > 256) nnz = 0;
    k = malloc(sizeof *k * (size_t)(nnz + 1));
    c = malloc(sizeof *c * (size_t)(nnz + 1));
    bd = malloc(sizeof *bd * (size_t)(nrows + 1));
    for (int64_t i = 0; i < nnz; i++) {
        int64_t step = 1 + byte(&s) % 4;
        k[i] = i > 0 && (byte(&s) & 1) && k[i - 1] <= INT64_MAX - step ? k[i - 1] + step : i64(&s);
    }
    for (int64_t i = 0; i < nnz; i++) c[i] = f64(&s);
    for (int64_t r = 0; r < nrows; r++) bd[r] = (byte(&s) & 3) ? LC_EXACT : i64(&s);
    int64_t den = (h & 0x40) ? i64(&s) : 1 + byte(&s) % 16;
    /* a row pointer past the arrays would be the caller's bug, not the validator's */
    int inside = 1;
    for (int64_t r = 0; r <= nrows; r++) inside &= rp[r] >= 0 && rp[r] <= nnz;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.series_work_max = (int64_t)1 << 22;
    lc_batch b, o;
    lc_batch_init(&b, (h & 0x10) ? LC_F32 : LC_F64, (h & 0x20) ? LC_I64 : LC_I32);
    lc_batch_init(&o, LC_F64, LC_I32);
    lc_status st = inside ? lc_batch_from_csr(&ctx, &b, nrows, rp, k, c, bd, den) : LC_EINVAL;
    if (st != LC_OK) {
        FUZZ_ASSERT(b.nrows == 0 && b.row_ptr == NULL);
    } else {
        FUZZ_ASSERT(lc_batch_check(&ctx, &b) == LC_OK && b.nrows == nrows);
        char buf[8192];
        for (int64_t r = 0; r < b.nrows; r++) {
            lc_status ps = lc_row_print(&ctx, &b, r, buf, sizeof buf);
            FUZZ_ASSERT(ps == LC_OK);
        }
        valid_or_status(&ctx, lc_batch_copy(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_add(&ctx, &o, &b, &b), &o);
        valid_or_status(&ctx, lc_sub(&ctx, &o, &b, &o), &o);
        valid_or_status(&ctx, lc_mul(&ctx, &o, &b, &b), &o);
        valid_or_status(&ctx, lc_recip(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_exp(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_tanh(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_sqrt(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_abs(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_floor(&ctx, &o, &b), &o);
        valid_or_status(&ctx, lc_max(&ctx, &o, &b, &b), &o);
        int sg[9];
        int64_t am[9];
        double v[9];
        (void)lc_batch_sgn(&ctx, &b, sg);
        (void)lc_cmp(&ctx, &b, &b, sg);
        (void)lc_batch_std(&ctx, &b, v);
        (void)lc_batch_coeff(&ctx, &b, i64(&s), 1 + byte(&s) % 8, v);
        if (nrows > 0) (void)lc_argmax(&ctx, &b, nrows, am);
        int64_t m = 1 + byte(&s) % 7;
        valid_or_status(&ctx, lc_batch_set_den(&ctx, &b, b.den <= INT64_MAX / m ? b.den * m : b.den), &b);
        valid_or_status(&ctx, lc_batch_convert(&ctx, &b, LC_F32, LC_I32), &b);
        FUZZ_ASSERT(lc_batch_check(&ctx, &b) == LC_OK);
    }
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &o);
    lc_ctx_clear(&ctx);
    free(k);
    free(c);
    free(bd);
    return 0;
}
