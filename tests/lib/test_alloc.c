/* SPDX-License-Identifier: MIT */
/* Allocation failures: for every k, the k-th allocation of a sequence of
 * operations fails. The failing operation returns LC_ENOMEM, every batch
 * is still valid (lc_batch_check), and after clearing nothing is live. */
#include "lc_test.h"

#define NB 6

/* The sequence; returns the status of the first failing step. */
static lc_status sequence(lc_ctx *ctx, lc_batch *b, char *buf, size_t size)
{
    static const char *const text[3] = {"1 + 2eps - 0.5eps^(1/2) + O(eps^3)", "eps^-1 + 3", "2 - eps^(1/3)"};
    static const int64_t rp[4] = {0, 2, 3, 5}, k[5] = {0, 16, -8, 4, 20}, p[3] = {40, LC_EXACT, 44};
    static const double c[5] = {1.5, -2, 3, 0.25, 1}, x[3] = {0.5, -1, 2};
    lc_status st;
#define STEP(e) do { if ((st = (e)) != LC_OK) return st; } while (0)
    STEP(lc_batch_parse(ctx, &b[0], 3, text));
    STEP(lc_batch_from_csr(ctx, &b[1], 3, rp, k, c, p, 16));
    STEP(lc_batch_from_real(ctx, &b[2], 3, x, NULL));
    STEP(lc_add(ctx, &b[3], &b[0], &b[1]));
    STEP(lc_mul(ctx, &b[3], &b[3], &b[2]));
    STEP(lc_div(ctx, &b[4], &b[3], &b[0]));
    STEP(lc_pow_si(ctx, &b[4], &b[4], 3));
    STEP(lc_sqrt(ctx, &b[5], &b[0]));
    STEP(lc_tanh(ctx, &b[5], &b[5]));
    STEP(lc_exp(ctx, &b[5], &b[5]));
    STEP(lc_log(ctx, &b[5], &b[5]));
    STEP(lc_tanh(ctx, &b[3], &b[2]));
    STEP(lc_pow_q(ctx, &b[3], &b[3], 2, 3));
    STEP(lc_batch_copy(ctx, &b[4], &b[3]));
    STEP(lc_batch_convert(ctx, &b[4], LC_F32, LC_I64));
    STEP(lc_batch_refine(ctx, &b[4], 5));
    STEP(lc_batch_gather(ctx, &b[4], &b[4], (const int64_t[]){2, 0}, 2));
    STEP(lc_scale(ctx, &b[1], &b[1], -3));
    STEP(lc_add_real(ctx, &b[1], &b[1], 2));
    STEP(lc_row_print(ctx, &b[1], 0, buf, size));
    return LC_OK;
#undef STEP
}

static void run(int nthreads)
{
    lt_alloc A = {0, 0, 0};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.nthreads = nthreads;
    ctx.par_min_rows = 1; /* threads even on small batches */
    lt_alloc_install(&ctx, &A);
    lc_batch b[NB];
    char buf[1024];
    for (int i = 0; i < NB; i++) lc_batch_init(&b[i], LC_F64, i % 2 ? LC_I32 : LC_I64);
    OK(&ctx, sequence(&ctx, b, buf, sizeof buf));
    int64_t total = A.count;
    for (int i = 0; i < NB; i++) lc_batch_clear(&ctx, &b[i]);
    lc_ctx_clear(&ctx);
    CHECK(A.live == 0);
    CHECK(total > 30);
    for (int64_t kf = 1; kf <= total; kf++) {
        A.count = 0;
        A.fail_at = kf;
        A.live = 0;
        lc_ctx_init(&ctx);
        ctx.nthreads = nthreads;
    ctx.par_min_rows = 1; /* threads even on small batches */
        lt_alloc_install(&ctx, &A);
        for (int i = 0; i < NB; i++) lc_batch_init(&b[i], LC_F64, i % 2 ? LC_I32 : LC_I64);
        lc_status st = sequence(&ctx, b, buf, sizeof buf);
        CHECK(st == LC_ENOMEM);
        if (st != LC_ENOMEM) fprintf(stderr, "k = %lld: %s (%s)\n", (long long)kf, lc_status_str(st), ctx.err);
        CHECK(strlen(ctx.err) > 0);
        for (int i = 0; i < NB; i++) CHECK(lc_batch_check(&ctx, &b[i]) == LC_OK);
        for (int i = 0; i < NB; i++) lc_batch_clear(&ctx, &b[i]);
        lc_ctx_clear(&ctx);
        CHECK(A.live == 0);
        if (A.live) fprintf(stderr, "k = %lld: %lld blocks leaked\n", (long long)kf, (long long)A.live);
    }
    printf("test_alloc: %lld allocation points checked (nthreads %d)\n", (long long)total, nthreads);
}

int main(void)
{
    run(1);
    run(2);
    return lt_report("test_alloc");
}
