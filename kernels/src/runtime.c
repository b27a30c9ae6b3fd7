/* SPDX-License-Identifier: MIT */
/* CUDA backend runtime: handle, errors, device memory, transfers. */
#include "cuda_internal.h"

#include <string.h>

/* "kernels/src/x.c" rather than the absolute path of the build machine. */
static const char *short_path(const char *file)
{
    const char *p = strstr(file, "kernels/");
    return p ? p : file;
}

lc_status lc_cuda_fail_rt(lc_ctx *ctx, const char *func, const char *call, const char *file,
                          int line, cudaError_t e)
{
    return lc_fail(ctx, LC_EDEVICE, func, "%s failed (%s:%d): %s: %s", call, short_path(file),
                   line, cudaGetErrorName(e), cudaGetErrorString(e));
}

lc_status lc_cuda_fail_sp(lc_ctx *ctx, const char *func, const char *call, const char *file,
                          int line, cusparseStatus_t e)
{
    return lc_fail(ctx, LC_EDEVICE, func, "%s failed (%s:%d): %s: %s", call, short_path(file),
                   line, cusparseGetErrorName(e), cusparseGetErrorString(e));
}

const char *lc_cuda_status_message(const lc_ctx *ctx, lc_status s)
{
    if (s != LC_OK && ctx && ctx->err[0]) return ctx->err;
    return lc_status_str(s);
}

int lc_cuda_device_count(void)
{
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        (void)cudaGetLastError(); /* clear the sticky-free error state */
        return 0;
    }
    return n;
}

lc_status lc_cuda_create(lc_ctx *ctx, lc_cuda_handle **out, int device)
{
    lc_status st = LC_OK;
    lc_cuda_handle *h = NULL;
    int n = 0;
    if (!ctx || !out) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    *out = NULL;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess || n == 0) {
        (void)cudaGetLastError();
        if (e == cudaSuccess) e = cudaErrorNoDevice;
        return lc_fail(ctx, LC_EDEVICE, __func__,
                       "no CUDA device: cudaGetDeviceCount failed (%s: %s)",
                       cudaGetErrorName(e), cudaGetErrorString(e));
    }
    if (device < 0 || device >= n)
        return lc_fail(ctx, LC_EDEVICE, __func__, "no CUDA device %d (%d present)", device, n);
    h = lc_malloc(ctx, 1, sizeof *h);
    if (!h) return lc_fail(ctx, LC_ENOMEM, __func__, "handle");
    memset(h, 0, sizeof *h);
    h->device = device;
    h->alloc = ctx->alloc;
    h->add_algo = LC_CUDA_ADD_MERGE;
    LC_CU(cudaSetDevice(device));
    LC_CU(cudaStreamCreateWithFlags(&h->stream, cudaStreamNonBlocking));
    /* The handle's own pool, holding its memory between calls (release
     * threshold: never), so repeated ops reuse device memory. */
    struct cudaMemPoolProps props;
    memset(&props, 0, sizeof props);
    props.allocType = cudaMemAllocationTypePinned;
    props.location.type = cudaMemLocationTypeDevice;
    props.location.id = device;
    uint64_t keep = UINT64_MAX;
    LC_CU(cudaMemPoolCreate(&h->pool, &props));
    LC_CU(cudaMemPoolSetAttribute(h->pool, cudaMemPoolAttrReleaseThreshold, &keep));
    LC_SP(cusparseCreate(&h->sparse));
    LC_SP(cusparseSetStream(h->sparse, h->stream));
    *out = h;
    h = NULL;
done:
    lc_cuda_destroy(h);
    return st;
}

void lc_cuda_destroy(lc_cuda_handle *h)
{
    if (!h) return;
    if (h->stream) (void)cudaStreamSynchronize(h->stream);
    if (h->scratch) (void)cudaFree(h->scratch);
    if (h->sparse) (void)cusparseDestroy(h->sparse);
    if (h->stream) (void)cudaStreamDestroy(h->stream);
    if (h->pool) (void)cudaMemPoolDestroy(h->pool); /* deferred while batches live */
    h->alloc.free_fn(h, h->alloc.user);
}

lc_status lc_cuda_set_add_algo(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_add_algo algo)
{
    if (!h) return lc_fail(ctx, LC_EINVAL, __func__, "NULL handle");
    if (algo != LC_CUDA_ADD_MERGE && algo != LC_CUDA_ADD_CSRGEAM2)
        return lc_fail(ctx, LC_EINVAL, __func__, "unknown algorithm %d", (int)algo);
    h->add_algo = algo;
    return LC_OK;
}

lc_status lc_cuda_sync(lc_ctx *ctx, lc_cuda_handle *h)
{
    lc_status st = LC_OK;
    if (!h) return lc_fail(ctx, LC_EINVAL, __func__, "NULL handle");
    LC_CU(cudaStreamSynchronize(h->stream));
done:
    return st;
}

/* ------------------------------------------------------------ device memory */

lc_status lc_cuda_dalloc(lc_ctx *ctx, lc_cuda_handle *h, void **p, size_t n, size_t size)
{
    lc_status st = LC_OK;
    *p = NULL;
    if (size && n > SIZE_MAX / size)
        return lc_fail(ctx, LC_EOVERFLOW, __func__, "%zu × %zu bytes", n, size);
    if (n * size == 0) return LC_OK;
    LC_CU(cudaMallocFromPoolAsync(p, n * size, h->pool, h->stream));
done:
    return st;
}

void lc_cuda_dfree(lc_cuda_handle *h, void *p)
{
    if (p) (void)cudaFreeAsync(p, h->stream);
}

lc_status lc_cuda_scratch(lc_ctx *ctx, lc_cuda_handle *h, void **p, size_t size)
{
    lc_status st = LC_OK;
    if (size > h->scratch_size) {
        /* cudaFree waits for the device: no queued kernel still uses it. */
        if (h->scratch) LC_CU(cudaFree(h->scratch));
        h->scratch = NULL;
        h->scratch_size = 0;
        LC_CU(cudaMalloc(&h->scratch, size));
        h->scratch_size = size;
    }
    *p = h->scratch;
done:
    return st;
}

size_t lc_cuda_esize(lc_etype e) { return e == LC_I64 ? sizeof(int64_t) : sizeof(int32_t); }
size_t lc_cuda_csize(lc_ctype c) { return c == LC_F64 ? sizeof(double) : sizeof(float); }

void lc_cuda_batch_init(lc_cuda_batch *b, lc_ctype ctype, lc_etype etype)
{
    memset(b, 0, sizeof *b);
    b->den = LC_DEN_DEFAULT;
    b->ctype = ctype;
    b->etype = etype;
}

void lc_cuda_batch_free(lc_cuda_handle *h, lc_cuda_batch *b)
{
    if (!b) return;
    if (h) {
        lc_cuda_dfree(h, b->row_ptr);
        lc_cuda_dfree(h, b->exps);
        lc_cuda_dfree(h, b->coeffs);
        lc_cuda_dfree(h, b->bound);
    }
    lc_cuda_batch_init(b, b->ctype, b->etype);
}

lc_status lc_cuda_batch_alloc(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *b, int64_t nrows,
                              int64_t nnz)
{
    lc_status st = LC_OK;
    b->row_ptr = NULL;
    b->exps = b->coeffs = NULL;
    b->bound = NULL;
    LC_TRY(lc_cuda_dalloc(ctx, h, (void **)&b->row_ptr, (size_t)nrows + 1, sizeof(int64_t)));
    LC_TRY(lc_cuda_dalloc(ctx, h, (void **)&b->bound, (size_t)nrows, sizeof(int64_t)));
    LC_TRY(lc_cuda_dalloc(ctx, h, &b->exps, (size_t)nnz, lc_cuda_esize(b->etype)));
    LC_TRY(lc_cuda_dalloc(ctx, h, &b->coeffs, (size_t)nnz, lc_cuda_csize(b->ctype)));
    b->nrows = nrows;
    b->nnz = nnz;
    return LC_OK;
done:
    lc_cuda_batch_free(h, b);
    return st;
}

void lc_cuda_batch_move(lc_cuda_handle *h, lc_cuda_batch *out, lc_cuda_batch *src)
{
    if (out == src) return;
    lc_cuda_batch_free(h, out);
    *out = *src;
    lc_cuda_batch_init(src, src->ctype, src->etype);
}

/* --------------------------------------------------------------- transfers */

lc_status lc_cuda_batch_to_device(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *dst,
                                  const lc_batch *src)
{
    lc_status st = LC_OK;
    lc_batch conv;
    lc_cuda_batch tmp;
    if (!ctx || !h || !dst || !src) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_batch_init(&conv, dst->ctype, dst->etype);
    lc_cuda_batch_init(&tmp, dst->ctype, dst->etype);
    LC_TRY(lc_batch_check(ctx, src));
    if (src->ctype != dst->ctype || src->etype != dst->etype) {
        LC_TRY(lc_batch_copy(ctx, &conv, src)); /* converts, checks exponent overflow */
        src = &conv;
    }
    int64_t nnz = src->nrows ? src->row_ptr[src->nrows] : 0;
    LC_TRY(lc_cuda_batch_alloc(ctx, h, &tmp, src->nrows, nnz));
    tmp.den = src->den;
    if (src->nrows) {
        size_t nr = (size_t)src->nrows;
        LC_CU(cudaMemcpyAsync(tmp.row_ptr, src->row_ptr, (nr + 1) * sizeof(int64_t),
                              cudaMemcpyHostToDevice, h->stream));
        LC_CU(cudaMemcpyAsync(tmp.bound, src->bound, nr * sizeof(int64_t),
                              cudaMemcpyHostToDevice, h->stream));
    }
    if (nnz) {
        LC_CU(cudaMemcpyAsync(tmp.exps, src->exps, (size_t)nnz * lc_cuda_esize(tmp.etype),
                              cudaMemcpyHostToDevice, h->stream));
        LC_CU(cudaMemcpyAsync(tmp.coeffs, src->coeffs, (size_t)nnz * lc_cuda_csize(tmp.ctype),
                              cudaMemcpyHostToDevice, h->stream));
    }
    /* Pageable host memory: the copies must finish before conv is freed. */
    LC_CU(cudaStreamSynchronize(h->stream));
    lc_cuda_batch_move(h, dst, &tmp);
done:
    lc_cuda_batch_free(h, &tmp);
    lc_batch_clear(ctx, &conv);
    return st;
}

lc_status lc_cuda_batch_to_host(lc_ctx *ctx, lc_cuda_handle *h, lc_batch *dst,
                                const lc_cuda_batch *src)
{
    lc_status st = LC_OK;
    lc_batch tmp;
    if (!ctx || !h || !dst || !src) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_batch_init(&tmp, src->ctype, src->etype);
    LC_TRY(lc_batch_reserve(ctx, &tmp, src->nrows, src->nnz));
    if (src->nrows) {
        size_t nr = (size_t)src->nrows;
        LC_CU(cudaMemcpyAsync(tmp.row_ptr, src->row_ptr, (nr + 1) * sizeof(int64_t),
                              cudaMemcpyDeviceToHost, h->stream));
        LC_CU(cudaMemcpyAsync(tmp.bound, src->bound, nr * sizeof(int64_t),
                              cudaMemcpyDeviceToHost, h->stream));
    } else if (tmp.row_ptr) {
        tmp.row_ptr[0] = 0;
    }
    if (src->nnz) {
        LC_CU(cudaMemcpyAsync(tmp.exps, src->exps, (size_t)src->nnz * lc_cuda_esize(src->etype),
                              cudaMemcpyDeviceToHost, h->stream));
        LC_CU(cudaMemcpyAsync(tmp.coeffs, src->coeffs,
                              (size_t)src->nnz * lc_cuda_csize(src->ctype),
                              cudaMemcpyDeviceToHost, h->stream));
    }
    LC_CU(cudaStreamSynchronize(h->stream));
    tmp.nrows = src->nrows;
    tmp.den = src->den;
    LC_TRY(lc_batch_copy(ctx, dst, &tmp)); /* into dst's storage types */
done:
    lc_batch_clear(ctx, &tmp);
    return st;
}

lc_status lc_cuda_batch_clone(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *dst,
                              const lc_cuda_batch *src)
{
    lc_status st = LC_OK;
    lc_cuda_batch tmp;
    if (!ctx || !h || !dst || !src) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (dst == src) return LC_OK;
    lc_cuda_batch_init(&tmp, src->ctype, src->etype);
    LC_TRY(lc_cuda_batch_alloc(ctx, h, &tmp, src->nrows, src->nnz));
    tmp.den = src->den;
    if (src->nrows) {
        size_t nr = (size_t)src->nrows;
        LC_CU(cudaMemcpyAsync(tmp.row_ptr, src->row_ptr, (nr + 1) * sizeof(int64_t),
                              cudaMemcpyDeviceToDevice, h->stream));
        LC_CU(cudaMemcpyAsync(tmp.bound, src->bound, nr * sizeof(int64_t),
                              cudaMemcpyDeviceToDevice, h->stream));
    }
    if (src->nnz) {
        LC_CU(cudaMemcpyAsync(tmp.exps, src->exps, (size_t)src->nnz * lc_cuda_esize(src->etype),
                              cudaMemcpyDeviceToDevice, h->stream));
        LC_CU(cudaMemcpyAsync(tmp.coeffs, src->coeffs,
                              (size_t)src->nnz * lc_cuda_csize(src->ctype),
                              cudaMemcpyDeviceToDevice, h->stream));
    }
    lc_cuda_batch_move(h, dst, &tmp);
done:
    lc_cuda_batch_free(h, &tmp);
    return st;
}
