/* SPDX-License-Identifier: MIT */
/* The device-side error path, runnable on every machine: asking for a CUDA
 * device that is not there gives LC_EDEVICE with a clear message, a NULL
 * handle, and no crash; functions called with no handle fail cleanly. */
#include "infnum/cuda.h"
#include "check.h"

#include <stdio.h>
#include <string.h>


int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    int n = lc_cuda_device_count();
    CHECK(n >= 0);

    /* Without a device: device 0 is missing. With one: device n is. */
    lc_cuda_handle *h = (lc_cuda_handle *)&ctx; /* must be overwritten with NULL */
    lc_status st = lc_cuda_create(&ctx, &h, n);
    printf("lc_cuda_create(device %d of %d): %s: %s\n", n, n, lc_status_str(st), ctx.err);
    CHECK(st == LC_EDEVICE);
    CHECK(h == NULL);
    CHECK(strstr(ctx.err, "lc_cuda_create: no CUDA device") == ctx.err);
    CHECK(strcmp(lc_cuda_status_message(&ctx, st), ctx.err) == 0);
    CHECK(strcmp(lc_cuda_status_message(&ctx, LC_OK), "LC_OK") == 0);
    st = lc_cuda_create(&ctx, &h, -1);
    CHECK(st == LC_EDEVICE && h == NULL);

    /* No handle: every entry point refuses with LC_EINVAL, nothing crashes. */
    lc_cuda_batch a, out;
    lc_batch hb;
    double v[1];
    lc_cuda_batch_init(&a, LC_F64, LC_I32);
    lc_cuda_batch_init(&out, LC_F64, LC_I32);
    lc_batch_init(&hb, LC_F64, LC_I32);
    CHECK(lc_cuda_sync(&ctx, NULL) == LC_EINVAL);
    CHECK(lc_cuda_set_add_algo(&ctx, NULL, LC_CUDA_ADD_MERGE) == LC_EINVAL);
    CHECK(lc_cuda_batch_to_device(&ctx, NULL, &a, &hb) == LC_EINVAL);
    CHECK(lc_cuda_batch_to_host(&ctx, NULL, &hb, &a) == LC_EINVAL);
    CHECK(lc_cuda_batch_clone(&ctx, NULL, &out, &a) == LC_EINVAL);
    CHECK(lc_cuda_add(&ctx, NULL, &out, &a, &a) == LC_EINVAL);
    CHECK(lc_cuda_mul(&ctx, NULL, &out, &a, &a) == LC_EINVAL);
    CHECK(lc_cuda_scale(&ctx, NULL, &out, &a, 2.0) == LC_EINVAL);
    CHECK(lc_cuda_recip(&ctx, NULL, &out, &a) == LC_EINVAL);
    CHECK(lc_cuda_apply(&ctx, NULL, &out, &a, LC_CUDA_EXP) == LC_EINVAL);
    CHECK(lc_cuda_std(&ctx, NULL, &a, v) == LC_EINVAL);
    CHECK(lc_cuda_linear(&ctx, NULL, &out, NULL, 1, 1, &a) == LC_EINVAL);
    CHECK(strstr(ctx.err, "lc_cuda_linear") == ctx.err);
    int arity = 0;
    lc_cuda_op_fn fn = lc_cuda_op_find("add", &arity);
    CHECK(fn == lc_cuda_add && arity == 2);
    fn = lc_cuda_op_find("exp", &arity);
    CHECK(fn != NULL && arity == 1);
    CHECK(fn && fn(&ctx, NULL, &out, &a, NULL) == LC_EINVAL);
    CHECK(lc_cuda_op_find("bogus", &arity) == NULL && lc_cuda_op_find(NULL, NULL) == NULL);
    lc_cuda_destroy(NULL);
    lc_cuda_batch_free(NULL, &a);
    lc_batch_clear(&ctx, &hb);
    lc_ctx_clear(&ctx);
    return lt_report("test_cuda_nodevice");
}
