/* SPDX-License-Identifier: MIT */
/* Fuzz target: the text parser and printer (lc_batch_parse, lc_row_print).
 * Input: up to 4 texts separated by newlines; byte 0 picks the storage
 * types and the starting denominator. A parsed batch must pass
 * lc_batch_check and print, and what it prints must parse back to a batch
 * that prints the same. */
#include "infnum/infnum.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

enum { NTEXT = 4, PBUF = 4096 };

/* Prints every row of b into bufs (one buffer per row); 0 if one is too long. */
static int print_all(lc_ctx *ctx, const lc_batch *b, char (*bufs)[PBUF])
{
    for (int64_t r = 0; r < b->nrows; r++)
        if (lc_row_print(ctx, b, r, bufs[r], PBUF) != LC_OK) return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 2048) return 0;
    static const int64_t dens[] = {1, 2, 16, 3, 1000000, INT64_MAX / 7, INT64_MAX, 1 << 30};
    uint8_t sel = data[0];
    char *s = malloc(size);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    const char *text[NTEXT];
    int n = 0;
    for (char *p = s; n < NTEXT;) {
        text[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.series_work_max = (int64_t)1 << 22;
    lc_batch b, c;
    lc_batch_init(&b, (lc_ctype)(sel & 1), (lc_etype)((sel >> 1) & 1));
    lc_batch_init(&c, b.ctype, b.etype);
    b.den = dens[(sel >> 2) & 7];
    lc_status st = lc_batch_parse(&ctx, &b, n, text);
    if (st == LC_OK) {
        FUZZ_ASSERT(lc_batch_check(&ctx, &b) == LC_OK);
        FUZZ_ASSERT(b.nrows == n);
        static char p1[NTEXT][PBUF], p2[NTEXT][PBUF];
        if (print_all(&ctx, &b, p1)) {
            const char *back[NTEXT];
            for (int i = 0; i < n; i++) back[i] = p1[i];
            c.den = b.den;
            lc_status s2 = lc_batch_parse(&ctx, &c, n, back);
            /* float storage may not hold what double printed: then the reparse may fail */
            FUZZ_ASSERT(s2 == LC_OK || b.ctype == LC_F32);
            if (s2 == LC_OK && b.ctype == LC_F64) {
                FUZZ_ASSERT(print_all(&ctx, &c, p2));
                for (int i = 0; i < n; i++) FUZZ_ASSERT(!strcmp(p1[i], p2[i]));
            }
        }
        /* a few operations on what was parsed: valid results or a status */
        lc_batch o;
        lc_batch_init(&o, LC_F64, LC_I64);
        if (lc_mul(&ctx, &o, &b, &b) == LC_OK) FUZZ_ASSERT(lc_batch_check(&ctx, &o) == LC_OK);
        if (lc_add(&ctx, &o, &b, &b) == LC_OK) FUZZ_ASSERT(lc_batch_check(&ctx, &o) == LC_OK);
        if (lc_exp(&ctx, &o, &b) == LC_OK) FUZZ_ASSERT(lc_batch_check(&ctx, &o) == LC_OK);
        if (lc_recip(&ctx, &o, &b) == LC_OK) FUZZ_ASSERT(lc_batch_check(&ctx, &o) == LC_OK);
        int sg[NTEXT];
        (void)lc_batch_sgn(&ctx, &b, sg);
        lc_batch_clear(&ctx, &o);
    } else {
        FUZZ_ASSERT(ctx.err[0] != '\0');
        FUZZ_ASSERT(st == LC_EPARSE || st == LC_EOVERFLOW || st == LC_EINVAL || st == LC_ENOMEM);
    }
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &c);
    lc_ctx_clear(&ctx);
    free(s);
    return 0;
}
