/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the expression parser and its plans (infnum/expr.h).
 *
 * Input: one byte of settings, then the expression text (variables x, y).
 * Settings: bits 0-2 the series depth - 1, bit 3 H(0) = 1/2, bit 4 round
 * ties to even, bits 5-6 which allocation fails (none, the 3rd, 11th or
 * 40th). The parser must accept the text or fail with LC_EPARSE and a
 * message "lc_expr_compile: col N: ..." (N within the text), never crash,
 * leak or read out of bounds; a compiled plan is run by lc_expr_eval on
 * exact reals and on rows with ε terms and bounds, and every failure must
 * leave a message and a valid output of the right rows. */
#include "infnum/expr.h"
#include "lc_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_failure(const lc_ctx *ctx, lc_status st)
{
    if (st && !ctx->err[0]) __builtin_trap(); /* an error without a message */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    static const int64_t fail_at[4] = {0, 3, 11, 40};
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    lt_alloc al = {0, fail_at[(data[0] >> 5) & 3], 0};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lt_alloc_install(&ctx, &al);
    ctx.depth = 1 + (data[0] & 7);
    if (data[0] & 8) ctx.h0 = LC_H0_HALF;
    if (data[0] & 16) ctx.round_tie = LC_TIE_EVEN;
    lc_expr *e = (lc_expr *)&al;
    lc_status st = lc_expr_compile(&ctx, &e, text, "x, y");
    if (st) {
        long col = 0;
        if (e || (st != LC_EPARSE && st != LC_ENOMEM)) __builtin_trap();
        if (st == LC_EPARSE && (sscanf(ctx.err, "lc_expr_compile: col %ld:", &col) != 1 || col < 1 ||
                                (size_t)col > strlen(text) + 1))
            __builtin_trap(); /* the column must point into the text (or just after it) */
        check_failure(&ctx, st);
    } else {
        /* exact reals, and x + ε + O(ε^3): inexact rows keep every power
         * short (an exact (x + ε)^n has n + 1 terms: slow, not wrong) */
        static const int64_t rp[] = {0, 1, 3, 4, 4, 6}, k[] = {0, 0, 1, 1, -1, 0}, bnd[] = {LC_EXACT, 3, 3, 2, 1};
        static const double c[] = {0.5, -1.0, 1.0, 2.0, 1.0, 0.25};
        double pts[] = {0.5, -1.0, 0.0, 2.0, 3.0};
        lc_batch xy[2], y;
        lc_batch_init(&xy[0], LC_F64, LC_I32);
        lc_batch_init(&xy[1], LC_F64, LC_I32);
        lc_batch_init(&y, LC_F64, LC_I32);
        for (int pass = 0; pass < 2; pass++) {
            st = pass ? lc_batch_from_csr(&ctx, &xy[0], 5, rp, k, c, bnd, 1) : lc_batch_set_real(&ctx, &xy[0], 5, pts);
            if (!st) st = lc_batch_set_real(&ctx, &xy[1], 5, pts);
            if (!st) st = lc_expr_eval(&ctx, e, &y, xy, 2);
            check_failure(&ctx, st);
            if (lc_batch_check(&ctx, &y) || (!st && y.nrows != 5)) __builtin_trap();
        }
        lc_batch_clear(&ctx, &xy[0]);
        lc_batch_clear(&ctx, &xy[1]);
        lc_batch_clear(&ctx, &y);
        lc_expr_free(&ctx, e);
    }
    al.fail_at = 0;
    lc_ctx_clear(&ctx);
    if (al.live != 0) __builtin_trap(); /* a leak through the context's allocator */
    free(text);
    return 0;
}
