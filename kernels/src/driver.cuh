/* SPDX-License-Identifier: MIT */
/* The row driver of the CUDA backend, shared by its .cu files: a call's
 * device temporaries (Job), batches seen wide (View), scans, and run_rows, the
 * two-pass CSR driver (capacity → scan → rows into wide scratch → scan →
 * compact into the output's storage types) that runs one per-row operation
 * of rowops.cuh on every row, one thread a row. The templates and kernels
 * are per translation unit (no separable compilation); driver.cu defines
 * the rest. Not installed. */
#ifndef INFNUM_CUDA_DRIVER_CUH
#define INFNUM_CUDA_DRIVER_CUH

#include "cuda_internal.h"
#include "rowops.cuh"

namespace lc_drv {
using namespace lc_rows;

constexpr int TPB = 256;
constexpr unsigned long long NO_ERR = ~0ull;
constexpr double WORK_TERMS = 64.0 * 1024 * 1024; /* workspace budget: 1 GiB of terms */

/* Blocks for n rows of TPB threads (at least 1, at most 2^20). */
unsigned grid_for(int64_t n);

#define LC_ROWS(r, n)                                                                      \
    for (int64_t r = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; r < (n);              \
         r += (int64_t)gridDim.x * blockDim.x)

/* Device temporaries of one call, freed (stream-ordered) at its end. */
struct Job {
    lc_ctx *ctx;
    lc_cuda_handle *h;
    const char *fn;
    void *p[32];
    int n;
    unsigned long long *err; /* first failing row and its status */
};

/* Allocates a device temporary of j (freed by job_end). */
lc_status job_alloc(Job *j, void **p, size_t n, size_t size);
/* Starts a call: j's error word on the device, set to NO_ERR. */
lc_status job_begin(Job *j, lc_ctx *ctx, lc_cuda_handle *h, const char *fn);
/* Frees j's temporaries (stream-ordered). */
void job_end(Job *j);
/* Turns the job's error word (copied to the host) into a status. */
lc_status job_check(Job *j, unsigned long long word);
/* v = b seen wide, exponents and bounds times mul. Direct for LC_I64/LC_F64
 * and mul 1, else converted into job temporaries. */
lc_status make_view(Job *j, const lc_cuda_batch *b, int64_t mul, View *v);
/* d[0..n-1] = inclusive prefix sums, in place. */
lc_status scan_i64(Job *j, int64_t *d, int64_t n);
/* *mx = max of d[0..n-1] (n ≥ 1), waits for the stream. */
lc_status max_i64(Job *j, const int64_t *d, int64_t n, int64_t *mx);
/* Rows (tk, tc) at off[r] into o's storage (o's row_ptr is set). */
void compact(cudaStream_t s, int64_t n, const int64_t *off, const int64_t *tk, const double *tc,
             lc_cuda_batch *o);
/* *n = the row count of a na-row and a nb-row operand (a one-row one broadcasts). */
lc_status bcast(Job *j, int64_t na, int64_t nb, int64_t *n);
/* *d = lcm of two denominators. */
lc_status den_lcm(Job *j, int64_t a, int64_t b, int64_t *d);
/* LC_EINVAL for a NULL handle, output or operand. */
lc_status check_args(lc_ctx *ctx, const char *fn, lc_cuda_handle *h, const void *out,
                     const void *a);
/* The start of a two-operand call: arguments checked, *j begun (job_end is
 * safe on it whatever this returns), the row count *n (a one-row operand
 * broadcasts), the common denominator *d and both operands' views on it. */
lc_status binary_begin(Job *j, lc_ctx *ctx, lc_cuda_handle *h, const char *fn,
                       const lc_cuda_batch *out, const lc_cuda_batch *a, const lc_cuda_batch *b,
                       View *va, View *vb, int64_t *n, int64_t *d);
/* kmin / kmax of a wide exponent array (n ≥ 1) into host values. */
lc_status exp_range(Job *j, const int64_t *k, int64_t n, int64_t *kmin, int64_t *kmax);

namespace { /* per translation unit */

/* First failing row wins (smallest index): deterministic messages. */
__device__ inline void row_fail(unsigned long long *err, int64_t r, int code)
{
    atomicMin(err, ((unsigned long long)r << 4) | (unsigned long long)code);
}

/* ----------------------------------------------------------------- driver */

/* off[r+1] = room for row r's result, work[r] = its workspace (terms). */
template <class Op> __global__ void k_cap(Op op, int64_t n, int64_t *off, int64_t *work)
{
    LC_ROWS(r, n)
    {
        off[r + 1] = op.cap(r);
        work[r] = op.work(r);
    }
}

/* Row r into (k, c) at off[r]; checks exponents (int32 or widen) and
 * coefficients (finite; float underflow drops the term) for the output. */
template <class Op>
__global__ void k_row(Op op, int64_t n, const int64_t *off, int64_t *tk, double *tc,
                      int64_t *cnt, int64_t *bound, int64_t W, int64_t *wk, double *wc,
                      int to_float, int *wide, unsigned long long *err)
{
    int64_t tid = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    wk += tid * W; /* this thread's workspace, reused row after row */
    wc += tid * W;
    LC_ROWS(r, n)
    {
        int64_t *k = tk + off[r], m = 0, p = LC_EXACT;
        double *c = tc + off[r];
        int code = op.row(r, k, c, &m, &p, wk, wc), w = 0;
        int64_t o = 0;
        if (!code) code = row_finish(k, c, m, to_float, &o, &w);
        if (w) *wide = 1;
        if (code) {
            row_fail(err, r, code);
            o = 0;
            p = LC_EXACT;
        }
        cnt[r + 1] = o;
        bound[r] = p;
    }
}

/* out = n rows computed by op (den: the result's denominator). The caller's
 * job holds the inputs' views; out is replaced only on success. */
template <class Op>
lc_status run_rows(Job *j, lc_cuda_batch *out, int64_t n, int64_t den, const Op &op)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    lc_cuda_handle *h = j->h;
    cudaStream_t s = h->stream;
    lc_cuda_batch tmp;
    int64_t *off, *tk, *cnt, *work, *wk = NULL, total = 0, W = 0;
    double *tc, *wc = NULL;
    int *wide;
    unsigned grid = grid_for(n);
    struct {
        int64_t nnz;
        unsigned long long err;
        int wide;
    } hs = {0, NO_ERR, 0};
    lc_cuda_batch_init(&tmp, out->ctype, out->etype);
    tmp.den = den;
    LC_TRY(job_alloc(j, (void **)&off, (size_t)n + 1, sizeof *off));
    LC_TRY(job_alloc(j, (void **)&cnt, (size_t)n + 1, sizeof *cnt));
    LC_TRY(job_alloc(j, (void **)&wide, 1, sizeof *wide));
    LC_TRY(job_alloc(j, (void **)&work, (size_t)n + 1, sizeof *work));
    LC_CU(cudaMemsetAsync(off, 0, sizeof *off, s));
    LC_CU(cudaMemsetAsync(cnt, 0, sizeof *cnt, s));
    LC_CU(cudaMemsetAsync(wide, 0, sizeof *wide, s));
    if (n > 0) {
        k_cap<Op><<<grid, TPB, 0, s>>>(op, n, off, work);
        LC_CU(cudaGetLastError());
        LC_TRY(scan_i64(j, off + 1, n));
        LC_TRY(max_i64(j, work, n, &W));
        LC_CU(cudaMemcpyAsync(&total, off + n, sizeof total, cudaMemcpyDeviceToHost, s));
        LC_CU(cudaStreamSynchronize(s));
        /* Workspace per thread: fewer threads when rows need much of it. */
        while (W > 0 && grid > 1 && (double)grid * TPB * (double)W > WORK_TERMS) grid /= 2;
        LC_TRY(job_alloc(j, (void **)&wk, (size_t)grid * TPB * (size_t)W, sizeof *wk));
        LC_TRY(job_alloc(j, (void **)&wc, (size_t)grid * TPB * (size_t)W, sizeof *wc));
    }
    LC_TRY(job_alloc(j, (void **)&tk, (size_t)total, sizeof *tk));
    LC_TRY(job_alloc(j, (void **)&tc, (size_t)total, sizeof *tc));
    LC_TRY(lc_cuda_batch_alloc(ctx, h, &tmp, n, 0)); /* row_ptr and bound */
    tmp.den = den;
    LC_CU(cudaMemsetAsync(tmp.row_ptr, 0, sizeof *tmp.row_ptr, s));
    if (n > 0) {
        k_row<Op><<<grid, TPB, 0, s>>>(op, n, off, tk, tc, cnt, tmp.bound, W, wk, wc,
                                       out->ctype == LC_F32, wide, j->err);
        LC_CU(cudaGetLastError());
        LC_TRY(scan_i64(j, cnt + 1, n));
        LC_CU(cudaMemcpyAsync(tmp.row_ptr + 1, cnt + 1, (size_t)n * sizeof *cnt,
                              cudaMemcpyDeviceToDevice, s));
        LC_CU(cudaMemcpyAsync(&hs.nnz, cnt + n, sizeof hs.nnz, cudaMemcpyDeviceToHost, s));
    }
    LC_CU(cudaMemcpyAsync(&hs.err, j->err, sizeof hs.err, cudaMemcpyDeviceToHost, s));
    LC_CU(cudaMemcpyAsync(&hs.wide, wide, sizeof hs.wide, cudaMemcpyDeviceToHost, s));
    LC_CU(cudaStreamSynchronize(s));
    LC_TRY(job_check(j, hs.err));
    if (hs.wide) tmp.etype = LC_I64; /* as the CPU: int32 exponents widen */
    LC_TRY(lc_cuda_dalloc(ctx, h, &tmp.exps, (size_t)hs.nnz, lc_cuda_esize(tmp.etype)));
    LC_TRY(lc_cuda_dalloc(ctx, h, &tmp.coeffs, (size_t)hs.nnz, lc_cuda_csize(tmp.ctype)));
    tmp.nnz = hs.nnz;
    if (n > 0 && hs.nnz > 0) {
        compact(s, n, off, tk, tc, &tmp);
        LC_CU(cudaGetLastError());
    }
    lc_cuda_batch_move(h, out, &tmp);
done:
    lc_cuda_batch_free(h, &tmp);
    return st;
}

/* out = op(a, b) for a two-operand op built from the views (common
 * denominator, a one-row operand broadcasts) by make. */
template <class Make>
lc_status binary(lc_ctx *ctx, lc_cuda_handle *h, const char *fn, lc_cuda_batch *out,
                 const lc_cuda_batch *a, const lc_cuda_batch *b, Make make)
{
    lc_status st;
    Job j;
    View va, vb;
    int64_t n = 0, d = 1;
    LC_TRY(binary_begin(&j, ctx, h, fn, out, a, b, &va, &vb, &n, &d));
    LC_TRY(run_rows(&j, out, n, d, make(va, vb)));
done:
    job_end(&j);
    return st;
}

/* out = op(a) for a one-operand op built from a's view by make. */
template <class Make>
lc_status unary(lc_ctx *ctx, lc_cuda_handle *h, const char *fn, lc_cuda_batch *out,
                const lc_cuda_batch *a, int64_t den, Make make)
{
    lc_status st;
    Job j;
    View va;
    if ((st = check_args(ctx, fn, h, out, a))) return st;
    if ((st = job_begin(&j, ctx, h, fn))) goto done;
    LC_TRY(make_view(&j, a, den / a->den, &va));
    LC_TRY(run_rows(&j, out, a->nrows, den, make(va)));
done:
    job_end(&j);
    return st;
}

} // namespace
} // namespace lc_drv

#endif
