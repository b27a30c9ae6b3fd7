/* SPDX-License-Identifier: MIT */
/* The CUDA backend's add and subtract: the merge of rowops.cuh's AddOp by
 * default, or cuSPARSE csrgeam2 (a sparse matrix sum; columns are exponents
 * shifted by the batch minimum) behind lc_cuda_set_add_algo.
 *
 * On the choice of cuSPARSE routine: CUDA 13.0 (cusparse.h of 13.0.88)
 * still ships cusparse{S,D}csrgeam2 without a deprecation mark and has no
 * generic cusparseSpGEAM, so csrgeam2 is used (32-bit indices). */
#include "driver.cuh"

namespace lc_add_cu {
using namespace lc_drv;

__global__ void k_to_csr32(int64_t nrows, const int64_t *rp, const int64_t *k, int64_t kmin,
                           int *rp32, int *col)
{
    LC_ROWS(r, nrows)
    {
        rp32[r + 1] = (int)rp[r + 1];
        if (r == 0) rp32[0] = (int)rp[0];
        for (int64_t i = rp[r]; i < rp[r + 1]; i++) col[i] = (int)(k[i] - kmin);
    }
}

lc_status to_csr32(Job *j, const View *v, int64_t nnz, int64_t kmin, int **rp32, int **col)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    LC_TRY(job_alloc(j, (void **)rp32, (size_t)v->nrows + 1, sizeof **rp32));
    LC_TRY(job_alloc(j, (void **)col, (size_t)(nnz > 0 ? nnz : 1), sizeof **col));
    k_to_csr32<<<grid_for(v->nrows), TPB, 0, j->h->stream>>>(v->nrows, v->rp, v->k, kmin, *rp32,
                                                             *col);
    LC_CU(cudaGetLastError());
done:
    return st;
}

/* out = a + s2·b with csrgeam2 (same row counts, 32-bit indices), else 1
 * to let the caller use the merge. */
lc_status add_geam(Job *j, lc_cuda_batch *out, const lc_cuda_batch *a, const View *va,
                   const lc_cuda_batch *b, const View *vb, double s2, int64_t den, int *fallback)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    lc_cuda_handle *h = j->h;
    cusparseMatDescr_t da = NULL, db = NULL, dc = NULL;
    int64_t n = a->nrows, lo1 = 0, hi1 = 0, lo2 = 0, hi2 = 0, kmin, kmax;
    int *rpa, *ca, *rpb, *cb, *rpc, *cc = NULL, nnzc = 0, m = (int)n, ncol;
    double *vc = NULL, one = 1.0;
    size_t bytes = 0;
    void *buf;
    *fallback = 1;
    if (a->nrows != b->nrows || n > INT32_MAX || a->nnz > INT32_MAX || b->nnz > INT32_MAX ||
        a->nnz + b->nnz == 0)
        return LC_OK;
    if (a->nnz) LC_TRY(exp_range(j, va->k, a->nnz, &lo1, &hi1));
    if (b->nnz) LC_TRY(exp_range(j, vb->k, b->nnz, &lo2, &hi2));
    if (!a->nnz) lo1 = lo2, hi1 = hi2;
    if (!b->nnz) lo2 = lo1, hi2 = hi1;
    kmin = lo1 < lo2 ? lo1 : lo2;
    kmax = hi1 > hi2 ? hi1 : hi2;
    if ((uint64_t)kmax - (uint64_t)kmin >= (uint64_t)INT32_MAX) return LC_OK;
    *fallback = 0;
    ncol = (int)(kmax - kmin + 1);
    LC_TRY(to_csr32(j, va, a->nnz, kmin, &rpa, &ca));
    LC_TRY(to_csr32(j, vb, b->nnz, kmin, &rpb, &cb));
    LC_TRY(job_alloc(j, (void **)&rpc, (size_t)n + 1, sizeof *rpc));
    LC_SP(cusparseCreateMatDescr(&da));
    LC_SP(cusparseCreateMatDescr(&db));
    LC_SP(cusparseCreateMatDescr(&dc));
    LC_SP(cusparseSetPointerMode(h->sparse, CUSPARSE_POINTER_MODE_HOST));
    LC_SP(cusparseDcsrgeam2_bufferSizeExt(h->sparse, m, ncol, &one, da, (int)a->nnz, va->c, rpa,
                                          ca, &s2, db, (int)b->nnz, vb->c, rpb, cb, dc, NULL, rpc,
                                          NULL, &bytes));
    LC_TRY(lc_cuda_scratch(ctx, h, &buf, bytes > 0 ? bytes : 1));
    LC_SP(cusparseXcsrgeam2Nnz(h->sparse, m, ncol, da, (int)a->nnz, rpa, ca, db, (int)b->nnz, rpb,
                               cb, dc, rpc, &nnzc, buf));
    LC_TRY(job_alloc(j, (void **)&cc, (size_t)(nnzc > 0 ? nnzc : 1), sizeof *cc));
    LC_TRY(job_alloc(j, (void **)&vc, (size_t)(nnzc > 0 ? nnzc : 1), sizeof *vc));
    LC_SP(cusparseDcsrgeam2(h->sparse, m, ncol, &one, da, (int)a->nnz, va->c, rpa, ca, &s2, db,
                            (int)b->nnz, vb->c, rpb, cb, dc, vc, rpc, cc, buf));
    {
        TruncOp op{rpc, cc, vc, kmin, *va, *vb};
        LC_TRY(run_rows(j, out, n, den, op));
    }
done:
    if (da) cusparseDestroyMatDescr(da);
    if (db) cusparseDestroyMatDescr(db);
    if (dc) cusparseDestroyMatDescr(dc);
    return st;
}

/* out = a + s2·b: merge (default) or csrgeam2. */
lc_status add_impl(lc_ctx *ctx, lc_cuda_handle *h, const char *fn, lc_cuda_batch *out,
                   const lc_cuda_batch *a, const lc_cuda_batch *b, double s2)
{
    lc_status st;
    Job j;
    View va, vb;
    int64_t n = 0, d = 1;
    int fallback = 1;
    LC_TRY(binary_begin(&j, ctx, h, fn, out, a, b, &va, &vb, &n, &d));
    if (h->add_algo == LC_CUDA_ADD_CSRGEAM2) LC_TRY(add_geam(&j, out, a, &va, b, &vb, s2, d, &fallback));
    if (fallback) {
        AddOp op{va, vb, 1.0, s2};
        LC_TRY(run_rows(&j, out, n, d, op));
    }
done:
    job_end(&j);
    return st;
}

} // namespace lc_add_cu

using namespace lc_add_cu;

extern "C" {

lc_status lc_cuda_add(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b)
{
    return add_impl(ctx, h, __func__, out, a, b, 1.0);
}

lc_status lc_cuda_sub(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b)
{
    return add_impl(ctx, h, __func__, out, a, b, -1.0);
}

} // extern "C"
