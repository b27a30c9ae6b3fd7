/* SPDX-License-Identifier: MIT */
/* Internal declarations of the CUDA backend, shared by runtime.c (C17) and
 * the .cu files (CUDA C++). Not installed. */
#ifndef INFNUM_CUDA_INTERNAL_H
#define INFNUM_CUDA_INTERNAL_H

#include <cuda_runtime_api.h>
#include <cusparse.h>

#include "infnum/cuda.h"

#ifdef __cplusplus
extern "C" {
#endif
#include "infnum/ext.h"

struct lc_cuda_handle {
    int device;
    cudaStream_t stream;
    cusparseHandle_t sparse;
    cudaMemPool_t pool;          /* stream-ordered allocations, kept warm */
    lc_alloc alloc;              /* copy of the creating context's hooks */
    lc_cuda_add_algo add_algo;
    void *scratch;               /* device scratch, grown on demand       */
    size_t scratch_size;
};

/* Record "func: call failed (file:line): NAME: message" in ctx->err and
 * return LC_EDEVICE. */
lc_status lc_cuda_fail_rt(lc_ctx *ctx, const char *func, const char *call, const char *file,
                          int line, cudaError_t e);
lc_status lc_cuda_fail_sp(lc_ctx *ctx, const char *func, const char *call, const char *file,
                          int line, cusparseStatus_t e);

/* Checked calls: on failure set `st` and jump to the function's `done:`. */
#define LC_CU(call)                                                                        \
    do {                                                                                   \
        cudaError_t lc_e_ = (call);                                                        \
        if (lc_e_ != cudaSuccess) {                                                        \
            st = lc_cuda_fail_rt(ctx, __func__, #call, __FILE__, __LINE__, lc_e_);         \
            goto done;                                                                     \
        }                                                                                  \
    } while (0)
#define LC_SP(call)                                                                        \
    do {                                                                                   \
        cusparseStatus_t lc_e_ = (call);                                                   \
        if (lc_e_ != CUSPARSE_STATUS_SUCCESS) {                                            \
            st = lc_cuda_fail_sp(ctx, __func__, #call, __FILE__, __LINE__, lc_e_);         \
            goto done;                                                                     \
        }                                                                                  \
    } while (0)
/* An lc_status-returning call: propagate failures. */
#define LC_TRY(call)                                                                       \
    do {                                                                                   \
        st = (call);                                                                       \
        if (st != LC_OK) goto done;                                                        \
    } while (0)

/* Device memory, stream-ordered on h (cudaMallocAsync / cudaFreeAsync). */
lc_status lc_cuda_dalloc(lc_ctx *ctx, lc_cuda_handle *h, void **p, size_t n, size_t size);
void lc_cuda_dfree(lc_cuda_handle *h, void *p);
/* h's scratch grown to at least size bytes (contents not kept); *p = it. */
lc_status lc_cuda_scratch(lc_ctx *ctx, lc_cuda_handle *h, void **p, size_t size);

/* Bytes of one exponent / coefficient. */
size_t lc_cuda_esize(lc_etype e);
size_t lc_cuda_csize(lc_ctype c);
/* Allocates the four arrays of a batch of nrows rows and nnz terms into *b
 * (b's types and den are kept; old arrays are NOT freed). */
lc_status lc_cuda_batch_alloc(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *b, int64_t nrows,
                              int64_t nnz);
/* Frees out's arrays and moves src's into out (out keeps nothing of its
 * own); src is left empty. */
void lc_cuda_batch_move(lc_cuda_handle *h, lc_cuda_batch *out, lc_cuda_batch *src);

#ifdef __cplusplus
}
#endif
#endif
