/* SPDX-License-Identifier: MIT */
/* The CUDA backend's linear layer: W·x for a real weight matrix and a batch
 * of Levi-Civita activations, as one cuSPARSE SpMM of the activations'
 * coefficients (a column per distinct exponent and sample) by the weights,
 * then rowops.cuh's LinearOut reads the terms back. */
#include "driver.cuh"

namespace lc_linear_cu {
using namespace lc_drv;

/* flags[k − kmin] = 1 for every exponent present. */
__global__ void k_mark(const int64_t *k, int64_t nnz, int64_t kmin, int64_t *flag)
{
    LC_ROWS(i, nnz) flag[k[i] - kmin] = 1;
}

/* colmap (inclusive scan of the flags) → kexp[e] = e-th exponent present. */
__global__ void k_kexp(const int64_t *scan, int64_t range, int64_t kmin, int64_t *kexp)
{
    LC_ROWS(t, range)
    {
        if (scan[t] != (t ? scan[t - 1] : 0)) kexp[scan[t] - 1] = t + kmin;
    }
}

/* CSR of the activations with rows (s, i) and columns (s, e) = s·E + e. */
__global__ void k_act_csr(const View v, int64_t nrows, int64_t k, int64_t E, int64_t kmin,
                          const int64_t *scan, int *rp32, int *col)
{
    LC_ROWS(r, nrows)
    {
        int64_t s = r / k;
        rp32[r + 1] = (int)v.rp[r + 1];
        if (r == 0) rp32[0] = 0;
        for (int64_t t = v.rp[r]; t < v.rp[r + 1]; t++)
            col[t] = (int)(s * E + scan[v.k[t] - kmin] - 1);
    }
}

/* CSC row indices (s, i) = s·k + i → i: the columns of Zᵀ (rows (s, e)). */
__global__ void k_mod(int *idx, int64_t nnz, int k)
{
    LC_ROWS(t, nnz) idx[t] %= k;
}

/* bmin[s] = min over i of x's bound of row s·k + i. */
__global__ void k_bmin(const int64_t *bound, int64_t B, int64_t k, int64_t *bmin)
{
    LC_ROWS(s, B)
    {
        int64_t b = LC_EXACT;
        for (int64_t i = 0; i < k; i++) b = _lc_min64(b, bound[s * k + i]);
        bmin[s] = b;
    }
}

lc_status linear_impl(Job *j, lc_cuda_batch *out, const double *w, int64_t m, int64_t k,
                      const lc_cuda_batch *x)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    lc_cuda_handle *h = j->h;
    cudaStream_t s = h->stream;
    cusparseSpMatDescr_t A = NULL;
    cusparseDnMatDescr_t Bm = NULL, Cm = NULL;
    View v;
    int64_t B = x->nrows / k, nnz = x->nnz, kmin = 0, kmax = 0, range = 1, E = 0, *flag, *kexp,
            *bmin;
    int *rp32, *col, *cp, *ri;
    double *cv, *Y, one = 1.0, zero = 0.0;
    size_t bytes = 0;
    void *buf;
    if (B == 0) { /* no sample: no row */
        LinearOut op{NULL, NULL, NULL, 0, m, 0};
        return run_rows(j, out, 0, x->den, op);
    }
    LC_TRY(make_view(j, x, 1, &v));
    if (nnz > 0) LC_TRY(exp_range(j, v.k, nnz, &kmin, &kmax));
    if ((uint64_t)kmax - (uint64_t)kmin >= (1u << 24))
        return lc_fail(ctx, LC_EOVERFLOW, j->fn, "more than 2^24 distinct exponents");
    range = kmax - kmin + 1;
    LC_TRY(job_alloc(j, (void **)&flag, (size_t)range, sizeof *flag));
    LC_TRY(job_alloc(j, (void **)&kexp, (size_t)range, sizeof *kexp));
    LC_TRY(job_alloc(j, (void **)&bmin, (size_t)B, sizeof *bmin));
    LC_CU(cudaMemsetAsync(flag, 0, (size_t)range * sizeof *flag, s));
    if (nnz > 0) k_mark<<<grid_for(nnz), TPB, 0, s>>>(v.k, nnz, kmin, flag);
    LC_TRY(scan_i64(j, flag, range));
    k_kexp<<<grid_for(range), TPB, 0, s>>>(flag, range, kmin, kexp);
    k_bmin<<<grid_for(B), TPB, 0, s>>>(v.bound, B, k, bmin);
    LC_CU(cudaGetLastError());
    LC_CU(cudaMemcpyAsync(&E, flag + range - 1, sizeof E, cudaMemcpyDeviceToHost, s));
    LC_CU(cudaStreamSynchronize(s));
    if (E == 0) E = 1; /* no term at all: one empty column keeps the shapes valid */
    if (nnz > INT32_MAX || x->nrows >= INT32_MAX || B * E >= INT32_MAX || m > ((int64_t)1 << 40) / (B * E))
        return lc_fail(ctx, LC_EOVERFLOW, j->fn,
                       "%lld samples × %lld exponents exceed cuSPARSE's 32-bit indices",
                       (long long)B, (long long)E);
    LC_TRY(job_alloc(j, (void **)&rp32, (size_t)x->nrows + 1, sizeof *rp32));
    LC_TRY(job_alloc(j, (void **)&col, (size_t)nnz + 1, sizeof *col));
    LC_TRY(job_alloc(j, (void **)&cp, (size_t)(B * E) + 1, sizeof *cp));
    LC_TRY(job_alloc(j, (void **)&ri, (size_t)nnz + 1, sizeof *ri));
    LC_TRY(job_alloc(j, (void **)&cv, (size_t)nnz + 1, sizeof *cv));
    LC_TRY(job_alloc(j, (void **)&Y, (size_t)(B * E * m), sizeof *Y));
    if (nnz == 0) { /* every activation is 0 + O(ε^p): rows without terms */
        LinearOut op{Y, kexp, bmin, 0, m, 0};
        return run_rows(j, out, B * m, x->den, op);
    }
    k_act_csr<<<grid_for(x->nrows), TPB, 0, s>>>(v, x->nrows, k, E, kmin, flag, rp32, col);
    LC_CU(cudaGetLastError());
    /* CSR (rows (s,i), cols (s,e)) → CSC = CSR of Zᵀ with rows (s,e). */
    LC_SP(cusparseCsr2cscEx2_bufferSize(h->sparse, (int)x->nrows, (int)(B * E), (int)nnz, v.c,
                                        rp32, col, cv, cp, ri, CUDA_R_64F,
                                        CUSPARSE_ACTION_NUMERIC, CUSPARSE_INDEX_BASE_ZERO,
                                        CUSPARSE_CSR2CSC_ALG1, &bytes));
    LC_TRY(lc_cuda_scratch(ctx, h, &buf, bytes > 0 ? bytes : 1));
    LC_SP(cusparseCsr2cscEx2(h->sparse, (int)x->nrows, (int)(B * E), (int)nnz, v.c, rp32, col, cv,
                             cp, ri, CUDA_R_64F, CUSPARSE_ACTION_NUMERIC,
                             CUSPARSE_INDEX_BASE_ZERO, CUSPARSE_CSR2CSC_ALG1, buf));
    k_mod<<<grid_for(nnz), TPB, 0, s>>>(ri, nnz, (int)k);
    LC_CU(cudaGetLastError());
    /* Y ((B·E) × m) = Zᵀ ((B·E) × k, CSR) · wᵀ (k × m: w row-major = wᵀ column-major). */
    LC_SP(cusparseCreateCsr(&A, B * E, k, nnz, cp, ri, cv, CUSPARSE_INDEX_32I, CUSPARSE_INDEX_32I,
                            CUSPARSE_INDEX_BASE_ZERO, CUDA_R_64F));
    LC_SP(cusparseCreateDnMat(&Bm, k, m, k, (void *)w, CUDA_R_64F, CUSPARSE_ORDER_COL));
    /* B and C in the same (column-major) layout, as every SpMM algorithm takes. */
    LC_SP(cusparseCreateDnMat(&Cm, B * E, m, B * E, Y, CUDA_R_64F, CUSPARSE_ORDER_COL));
    LC_SP(cusparseSpMM_bufferSize(h->sparse, CUSPARSE_OPERATION_NON_TRANSPOSE,
                                  CUSPARSE_OPERATION_NON_TRANSPOSE, &one, A, Bm, &zero, Cm,
                                  CUDA_R_64F, CUSPARSE_SPMM_ALG_DEFAULT, &bytes));
    LC_TRY(lc_cuda_scratch(ctx, h, &buf, bytes > 0 ? bytes : 1));
    LC_SP(cusparseSpMM(h->sparse, CUSPARSE_OPERATION_NON_TRANSPOSE,
                       CUSPARSE_OPERATION_NON_TRANSPOSE, &one, A, Bm, &zero, Cm, CUDA_R_64F,
                       CUSPARSE_SPMM_ALG_DEFAULT, buf));
    {
        LinearOut op{Y, kexp, bmin, E, m, B * E};
        LC_TRY(run_rows(j, out, B * m, x->den, op));
    }
done:
    if (A) cusparseDestroySpMat(A);
    if (Bm) cusparseDestroyDnMat(Bm);
    if (Cm) cusparseDestroyDnMat(Cm);
    return st;
}

} // namespace lc_linear_cu

using namespace lc_linear_cu;

extern "C" {

lc_status lc_cuda_linear(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const double *w,
                         int64_t m, int64_t k, const lc_cuda_batch *x)
{
    lc_status st;
    Job j;
    if (!ctx) return LC_EINVAL;
    if (!h || !out || !w || !x || m < 1 || k < 1)
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or empty weights (%lld × %lld)",
                       (long long)m, (long long)k);
    if (x->nrows % k)
        return lc_fail(ctx, LC_ESHAPE, __func__, "%lld activation rows are not samples of %lld",
                       (long long)x->nrows, (long long)k);
    if ((st = job_begin(&j, ctx, h, __func__))) goto done;
    st = linear_impl(&j, out, w, m, k, x);
done:
    job_end(&j);
    return st;
}

} // extern "C"
