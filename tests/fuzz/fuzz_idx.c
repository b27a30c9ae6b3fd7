/* SPDX-License-Identifier: MIT */
/* Fuzz target: the IDX reader of the Fashion-MNIST experiment
 * (fm_idx_read), on the input as a file (plain or gzip: zlib decides).
 * It must return LC_OK with a consistent array (dims ≥ 1, count their
 * product, data readable) or LC_EIO with a message, and leak nothing. */
#define _POSIX_C_SOURCE 200809L
#include "idx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/infnum-fuzz-idx.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t w = fwrite(data, 1, size, f);
    if (fclose(f) || w != size) return 0;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    fm_idx x;
    const char *md5 = size && (data[0] & 1) ? "0123456789abcdef0123456789ABCDEF" : NULL;
    lc_status st = fm_idx_read(&ctx, &x, path, md5);
    if (st == LC_OK) {
        int64_t n = 1;
        FUZZ_ASSERT(x.ndim >= 1 && x.ndim <= FM_IDX_MAXDIM);
        for (int i = 0; i < x.ndim; i++) {
            FUZZ_ASSERT(x.dims[i] >= 1);
            n *= x.dims[i];
        }
        FUZZ_ASSERT(n == x.count && n <= FM_IDX_MAXBYTES);
        unsigned sum = 0;
        for (int64_t i = 0; i < x.count; i++) sum += x.data[i];
        (void)sum;
    } else {
        FUZZ_ASSERT(st == LC_EIO || st == LC_ENOMEM);
        FUZZ_ASSERT(ctx.err[0] != '\0');
        FUZZ_ASSERT(x.data == NULL && x.count == 0);
    }
    fm_idx_clear(&ctx, &x);
    lc_ctx_clear(&ctx);
    remove(path);
    return 0;
}
