/* CUDA backend operations: one thread per row calling the shared per-row
 * functions of <infnum/raw.h> (and raw_order.h), a two-pass CSR driver
 * (capacity → scan → rows into wide scratch → scan → compact into the
 * output's storage types), cuSPARSE csrgeam2 for add/sub behind a switch and
 * cuSPARSE SpMM for the linear layer.
 *
 * On the choice of cuSPARSE routine for "add as a sparse matrix sum": the
 * candidate is csrgeam2; CUDA 13.0 (cusparse.h of 13.0.88) still ships
 * cusparse{S,D}csrgeam2 without a deprecation mark and has no generic
 * cusparseSpGEAM, so csrgeam2 is used as named (32-bit indices: columns are
 * exponents shifted by the batch minimum). */
#include <cub/device/device_reduce.cuh>
#include <cub/device/device_scan.cuh>

#include "cuda_internal.h"
#include "rowops.cuh"

namespace {
using namespace lc_rows;

constexpr int TPB = 256;
constexpr unsigned long long NO_ERR = ~0ull;
constexpr double WORK_TERMS = 64.0 * 1024 * 1024; /* workspace budget: 1 GiB of terms */

unsigned grid_for(int64_t n)
{
    int64_t b = (n + TPB - 1) / TPB;
    return (unsigned)(b < 1 ? 1 : b > (1 << 20) ? (1 << 20) : b);
}

#define LC_ROWS(r, n)                                                                      \
    for (int64_t r = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; r < (n);              \
         r += (int64_t)gridDim.x * blockDim.x)

/* First failing row wins (smallest index): deterministic messages. */
__device__ void row_fail(unsigned long long *err, int64_t r, int code)
{
    atomicMin(err, ((unsigned long long)r << 4) | (unsigned long long)code);
}

/* Device temporaries of one call, freed (stream-ordered) at its end. */
struct Job {
    lc_ctx *ctx;
    lc_cuda_handle *h;
    const char *fn;
    void *p[32];
    int n;
    unsigned long long *err; /* first failing row and its status */
};

lc_status job_alloc(Job *j, void **p, size_t n, size_t size)
{
    if (j->n == 32) return lc_fail(j->ctx, LC_ENOMEM, j->fn, "too many temporaries");
    lc_status st = lc_cuda_dalloc(j->ctx, j->h, p, n, size);
    if (st == LC_OK) j->p[j->n++] = *p;
    return st;
}

lc_status job_begin(Job *j, lc_ctx *ctx, lc_cuda_handle *h, const char *fn)
{
    lc_status st = LC_OK;
    j->ctx = ctx;
    j->h = h;
    j->fn = fn;
    j->n = 0;
    LC_TRY(job_alloc(j, (void **)&j->err, 1, sizeof *j->err));
    LC_CU(cudaMemsetAsync(j->err, 0xFF, sizeof *j->err, h->stream));
done:
    return st;
}

void job_end(Job *j)
{
    for (int i = 0; i < j->n; i++) lc_cuda_dfree(j->h, j->p[i]);
    j->n = 0;
}

const char *reason(int code)
{
    switch (code) {
    case LC_EDOMAIN: return "the result is not in the field";
    case LC_EUNDEF: return "undecided: the needed term is hidden by a bound O(eps^p)";
    case LC_EDIVZERO: return "division by the exact zero";
    case LC_EOVERFLOW: return "an exponent, bound or coefficient overflows";
    case LC_EINVAL: return "invalid value";
    default: return "failure";
    }
}

/* Waits for the stream and turns the job's error word into a status. */
lc_status job_check(Job *j, unsigned long long word)
{
    if (word == NO_ERR) return LC_OK;
    int code = (int)(word & 15u);
    return lc_fail(j->ctx, (lc_status)code, j->fn, "row %lld: %s", (long long)(word >> 4),
                   reason(code));
}

/* -------------------------------------------------------------- widening */

template <class E, class C>
__global__ void k_widen(const int64_t *rp, const E *ke, const C *ce, const int64_t *bound,
                        int64_t nrows, int64_t mul, int64_t *kw, double *cw, int64_t *bw,
                        unsigned long long *err)
{
    LC_ROWS(r, nrows)
    {
        int bad = 0;
        int64_t b = bound[r];
        if (b != LC_EXACT && (!_lc_mul_ok(b, mul, &b) || b == LC_EXACT)) bad = 1;
        bw[r] = b;
        for (int64_t i = rp[r]; i < rp[r + 1]; i++) {
            int64_t k;
            if (!_lc_mul_ok((int64_t)ke[i], mul, &k)) bad = 1;
            kw[i] = k;
            cw[i] = (double)ce[i];
        }
        if (bad) row_fail(err, r, LC_EOVERFLOW);
    }
}

template <class E, class C>
lc_status widen_as(Job *j, const lc_cuda_batch *b, int64_t mul, View *v)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    int64_t *kw, *bw;
    double *cw;
    LC_TRY(job_alloc(j, (void **)&kw, (size_t)b->nnz, sizeof *kw));
    LC_TRY(job_alloc(j, (void **)&cw, (size_t)b->nnz, sizeof *cw));
    LC_TRY(job_alloc(j, (void **)&bw, (size_t)b->nrows, sizeof *bw));
    k_widen<E, C><<<grid_for(b->nrows), TPB, 0, j->h->stream>>>(
        b->row_ptr, (const E *)b->exps, (const C *)b->coeffs, b->bound, b->nrows, mul, kw, cw, bw,
        j->err);
    LC_CU(cudaGetLastError());
    v->k = kw;
    v->c = cw;
    v->bound = bw;
done:
    return st;
}

/* v = b seen wide, exponents and bounds times mul. Direct for LC_I64/LC_F64
 * and mul 1, else converted into job temporaries. */
lc_status make_view(Job *j, const lc_cuda_batch *b, int64_t mul, View *v)
{
    v->rp = b->row_ptr;
    v->nrows = b->nrows;
    v->k = (const int64_t *)b->exps;
    v->c = (const double *)b->coeffs;
    v->bound = b->bound;
    if (b->nrows == 0) return LC_OK;
    if (b->etype == LC_I64 && b->ctype == LC_F64 && mul == 1) return LC_OK;
    if (b->etype == LC_I64)
        return b->ctype == LC_F64 ? widen_as<int64_t, double>(j, b, mul, v)
                                  : widen_as<int64_t, float>(j, b, mul, v);
    return b->ctype == LC_F64 ? widen_as<int32_t, double>(j, b, mul, v)
                              : widen_as<int32_t, float>(j, b, mul, v);
}

/* ------------------------------------------------------------------ scans */

/* d[0..n-1] = inclusive prefix sums, in place. */
lc_status scan_i64(Job *j, int64_t *d, int64_t n)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    size_t bytes = 0;
    void *tmp = NULL;
    if (n <= 0) return LC_OK;
    LC_CU(cub::DeviceScan::InclusiveSum(tmp, bytes, d, d, n, j->h->stream));
    LC_TRY(lc_cuda_scratch(ctx, j->h, &tmp, bytes));
    LC_CU(cub::DeviceScan::InclusiveSum(tmp, bytes, d, d, n, j->h->stream));
done:
    return st;
}

/* *mx = max of d[0..n-1] (n ≥ 1), waits for the stream. */
lc_status max_i64(Job *j, const int64_t *d, int64_t n, int64_t *mx)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    size_t bytes = 0;
    void *tmp = NULL;
    int64_t *out;
    LC_TRY(job_alloc(j, (void **)&out, 1, sizeof *out));
    LC_CU(cub::DeviceReduce::Max(tmp, bytes, d, out, n, j->h->stream));
    LC_TRY(lc_cuda_scratch(ctx, j->h, &tmp, bytes));
    LC_CU(cub::DeviceReduce::Max(tmp, bytes, d, out, n, j->h->stream));
    LC_CU(cudaMemcpyAsync(mx, out, sizeof *mx, cudaMemcpyDeviceToHost, j->h->stream));
done:
    return st;
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

template <class E, class C>
__global__ void k_compact(int64_t n, const int64_t *off, const int64_t *tk, const double *tc,
                          const int64_t *rp, E *k, C *c)
{
    LC_ROWS(r, n)
    {
        const int64_t *sk = tk + off[r];
        const double *sc = tc + off[r];
        for (int64_t i = 0, d = rp[r]; d < rp[r + 1]; i++, d++) {
            k[d] = (E)sk[i];
            c[d] = (C)sc[i];
        }
    }
}

template <class E, class C>
void compact_as(cudaStream_t s, int64_t n, const int64_t *off, const int64_t *tk,
                const double *tc, lc_cuda_batch *o)
{
    k_compact<E, C><<<grid_for(n), TPB, 0, s>>>(n, off, tk, tc, o->row_ptr, (E *)o->exps,
                                                (C *)o->coeffs);
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
        if (tmp.etype == LC_I64)
            tmp.ctype == LC_F64 ? compact_as<int64_t, double>(s, n, off, tk, tc, &tmp)
                                : compact_as<int64_t, float>(s, n, off, tk, tc, &tmp);
        else
            tmp.ctype == LC_F64 ? compact_as<int32_t, double>(s, n, off, tk, tc, &tmp)
                                : compact_as<int32_t, float>(s, n, off, tk, tc, &tmp);
        LC_CU(cudaGetLastError());
    }
    lc_cuda_batch_move(h, out, &tmp);
done:
    lc_cuda_batch_free(h, &tmp);
    return st;
}

/* ---------------------------------------------------------- host helpers */

lc_status bcast(Job *j, int64_t na, int64_t nb, int64_t *n)
{
    if (na != nb && na != 1 && nb != 1)
        return lc_fail(j->ctx, LC_ESHAPE, j->fn, "%lld rows against %lld rows", (long long)na,
                       (long long)nb);
    *n = na == 1 ? nb : na;
    return LC_OK;
}

lc_status den_lcm(Job *j, int64_t a, int64_t b, int64_t *d)
{
    *d = lc_lcm_i64(a, b);
    if (!*d) return lc_fail(j->ctx, LC_EOVERFLOW, j->fn, "lcm of denominators %lld and %lld",
                            (long long)a, (long long)b);
    return LC_OK;
}

lc_status check_args(lc_ctx *ctx, const char *fn, lc_cuda_handle *h, const void *out,
                     const void *a)
{
    if (!h || !out || !a) return lc_fail(ctx, LC_EINVAL, fn, "NULL argument");
    return LC_OK;
}

/* kmin / kmax of a wide exponent array (n ≥ 1) into host values. */
lc_status exp_range(Job *j, const int64_t *k, int64_t n, int64_t *kmin, int64_t *kmax)
{
    lc_status st = LC_OK;
    lc_ctx *ctx = j->ctx;
    cudaStream_t s = j->h->stream;
    int64_t *mm;
    size_t b1 = 0, b2 = 0;
    void *tmp = NULL;
    LC_TRY(job_alloc(j, (void **)&mm, 2, sizeof *mm));
    LC_CU(cub::DeviceReduce::Min(tmp, b1, k, mm, n, s));
    LC_CU(cub::DeviceReduce::Max(tmp, b2, k, mm + 1, n, s));
    LC_TRY(lc_cuda_scratch(ctx, j->h, &tmp, b1 > b2 ? b1 : b2));
    LC_CU(cub::DeviceReduce::Min(tmp, b1, k, mm, n, s));
    LC_CU(cub::DeviceReduce::Max(tmp, b2, k, mm + 1, n, s));
    LC_CU(cudaMemcpyAsync(kmin, mm, sizeof *kmin, cudaMemcpyDeviceToHost, s));
    LC_CU(cudaMemcpyAsync(kmax, mm + 1, sizeof *kmax, cudaMemcpyDeviceToHost, s));
    LC_CU(cudaStreamSynchronize(s));
done:
    return st;
}

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
    if ((st = check_args(ctx, fn, h, out, a)) || (st = check_args(ctx, fn, h, out, b))) return st;
    if ((st = job_begin(&j, ctx, h, fn))) goto done;
    LC_TRY(bcast(&j, a->nrows, b->nrows, &n));
    LC_TRY(den_lcm(&j, a->den, b->den, &d));
    LC_TRY(make_view(&j, a, d / a->den, &va));
    LC_TRY(make_view(&j, b, d / b->den, &vb));
    if (h->add_algo == LC_CUDA_ADD_CSRGEAM2) LC_TRY(add_geam(&j, out, a, &va, b, &vb, s2, d, &fallback));
    if (fallback) {
        AddOp op{va, vb, 1.0, s2};
        LC_TRY(run_rows(&j, out, n, d, op));
    }
done:
    job_end(&j);
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
    if ((st = check_args(ctx, fn, h, out, a)) || (st = check_args(ctx, fn, h, out, b))) return st;
    if ((st = job_begin(&j, ctx, h, fn))) goto done;
    LC_TRY(bcast(&j, a->nrows, b->nrows, &n));
    LC_TRY(den_lcm(&j, a->den, b->den, &d));
    LC_TRY(make_view(&j, a, d / a->den, &va));
    LC_TRY(make_view(&j, b, d / b->den, &vb));
    LC_TRY(run_rows(&j, out, n, d, make(va, vb)));
done:
    job_end(&j);
    return st;
}

/* out[g] = argmax of group g (n rows), first failing row reported. */
__global__ void k_argmax(View v, int64_t G, int64_t n, int64_t *out, unsigned long long *err)
{
    LC_ROWS(g, G)
    {
        int64_t best = 0;
        for (int64_t i = 1; i < n; i++) {
            Row x = v.row(g * n + i), y = v.row(g * n + best);
            int sg = 0;
            lc_status st = _lc_row_cmp(x.k, x.c, x.n, x.p, y.k, y.c, y.n, y.p, &sg);
            if (st) {
                row_fail(err, g * n + i, st);
                break;
            }
            if (sg > 0) best = i;
        }
        out[g] = best;
    }
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

/* ------------------------------------------------------------- extraction */

/* out[r] = coefficient of ε^{K/den} (K exact) or 0 (K0 < K < K0+1) of row r;
 * std is K = 0. Fails as lc_batch_std / lc_batch_coeff. */
__global__ void k_coeff(View v, int64_t n, int64_t K0, int exact, int std, double *out,
                        unsigned long long *err)
{
    LC_ROWS(r, n)
    {
        Row x = v.row(r);
        out[r] = 0.0;
        if (std && x.n > 0 && x.k[0] < 0) {
            row_fail(err, r, LC_EDOMAIN);
            continue;
        }
        if (x.p != LC_EXACT && K0 >= x.p) {
            row_fail(err, r, LC_EUNDEF);
            continue;
        }
        int64_t i = _lc_row_truncate(x.k, x.n, K0); /* first term ≥ K0 */
        if (exact && i < x.n && x.k[i] == K0) out[r] = x.c[i];
    }
}

lc_status coeff_impl(lc_ctx *ctx, lc_cuda_handle *h, const char *fn, const lc_cuda_batch *b,
                     int64_t K0, int exact, int std, double *out)
{
    lc_status st;
    Job j;
    View v;
    double *d = NULL;
    unsigned long long word = NO_ERR;
    if ((st = check_args(ctx, fn, h, b, b))) return st;
    if (b->nrows && !out) return lc_fail(ctx, LC_EINVAL, fn, "NULL output");
    if ((st = job_begin(&j, ctx, h, fn))) goto done;
    if (b->nrows == 0) goto done;
    LC_TRY(make_view(&j, b, 1, &v));
    LC_TRY(job_alloc(&j, (void **)&d, (size_t)b->nrows, sizeof *d));
    k_coeff<<<grid_for(b->nrows), TPB, 0, h->stream>>>(v, b->nrows, K0, exact, std, d, j.err);
    LC_CU(cudaGetLastError());
    LC_CU(cudaMemcpyAsync(out, d, (size_t)b->nrows * sizeof *d, cudaMemcpyDeviceToHost, h->stream));
    LC_CU(cudaMemcpyAsync(&word, j.err, sizeof word, cudaMemcpyDeviceToHost, h->stream));
    LC_CU(cudaStreamSynchronize(h->stream));
    LC_TRY(job_check(&j, word));
done:
    job_end(&j);
    return st;
}

/* ----------------------------------------------------------- linear layer */

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

} // namespace

/* ================================================================== API */

extern "C" {

lc_status lc_cuda_recip(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a)
{
    int64_t N;
    if (!ctx) return LC_EINVAL;
    if (!a) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (ctx->depth < 1 || !lc_mul_i64(ctx->depth, a->den, &N))
        return lc_fail(ctx, LC_EINVAL, __func__, "bad depth %d", (int)ctx->depth);
    return unary(ctx, h, __func__, out, a, a->den, [N](View v) { return SeriesOp{v, SER_RECIP, N, -1.0}; });
}

lc_status lc_cuda_div(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b)
{
    lc_status st;
    lc_cuda_batch t;
    if (!b || !a) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_cuda_batch_init(&t, LC_F64, LC_I64);
    st = lc_cuda_recip(ctx, h, &t, b);
    if (!st) st = lc_cuda_mul(ctx, h, out, a, &t);
    lc_cuda_batch_free(h, &t);
    return st;
}

static lc_status lc_cuda_series(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                                const lc_cuda_batch *a, lc_cuda_fn f)
{
    int64_t N;
    if ((unsigned)f > LC_CUDA_SOFTPLUS)
        return lc_fail(ctx, LC_EINVAL, "lc_cuda_apply", "unknown function %d", (int)f);
    if (!a) return lc_fail(ctx, LC_EINVAL, "lc_cuda_apply", "NULL argument");
    if (ctx->depth < 1 || !lc_mul_i64(ctx->depth, a->den, &N))
        return lc_fail(ctx, LC_EINVAL, "lc_cuda_apply", "bad depth %d", (int)ctx->depth);
    int fn = (int)f;
    return unary(ctx, h, "lc_cuda_apply", out, a, a->den, [fn, N](View v) { return SeriesOp{v, fn, N, 0.0}; });
}

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

lc_status lc_cuda_mul(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b)
{
    return binary(ctx, h, __func__, out, a, b, [](View x, View y) { return MulOp{x, y}; });
}

lc_status lc_cuda_max(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b)
{
    return binary(ctx, h, __func__, out, a, b, [](View x, View y) { return MaxOp{x, y, 0}; });
}

lc_status lc_cuda_min(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b)
{
    return binary(ctx, h, __func__, out, a, b, [](View x, View y) { return MaxOp{x, y, 1}; });
}

lc_status lc_cuda_argmax(lc_ctx *ctx, lc_cuda_handle *h, const lc_cuda_batch *a, int64_t n,
                         int64_t *out)
{
    lc_status st;
    Job j;
    View v;
    int64_t *d = NULL, G;
    unsigned long long word = NO_ERR;
    if (!ctx) return LC_EINVAL;
    if (!h || !a || n < 1 || (!out && a->nrows))
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument or group size %lld < 1", (long long)n);
    if (a->nrows % n)
        return lc_fail(ctx, LC_ESHAPE, __func__, "%lld rows are not groups of %lld",
                       (long long)a->nrows, (long long)n);
    G = a->nrows / n;
    if ((st = job_begin(&j, ctx, h, __func__))) goto done;
    if (G == 0) goto done;
    LC_TRY(make_view(&j, a, 1, &v));
    LC_TRY(job_alloc(&j, (void **)&d, (size_t)G, sizeof *d));
    k_argmax<<<grid_for(G), TPB, 0, h->stream>>>(v, G, n, d, j.err);
    LC_CU(cudaGetLastError());
    LC_CU(cudaMemcpyAsync(out, d, (size_t)G * sizeof *d, cudaMemcpyDeviceToHost, h->stream));
    LC_CU(cudaMemcpyAsync(&word, j.err, sizeof word, cudaMemcpyDeviceToHost, h->stream));
    LC_CU(cudaStreamSynchronize(h->stream));
    LC_TRY(job_check(&j, word));
done:
    job_end(&j);
    return st;
}

lc_status lc_cuda_scale(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, double s)
{
    if (!isfinite(s)) return lc_fail(ctx, LC_EINVAL, __func__, "scale factor %g is not finite", s);
    return unary(ctx, h, __func__, out, a, a ? a->den : 1, [s](View v) { return ScaleOp{v, s, 0}; });
}

lc_status lc_cuda_neg(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a)
{
    return unary(ctx, h, __func__, out, a, a ? a->den : 1, [](View v) { return ScaleOp{v, -1.0, 0}; });
}

lc_status lc_cuda_add_real(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                           const lc_cuda_batch *a, double s)
{
    if (!isfinite(s)) return lc_fail(ctx, LC_EINVAL, __func__, "real %g is not finite", s);
    return unary(ctx, h, __func__, out, a, a ? a->den : 1, [s](View v) { return ScaleOp{v, s, 1}; });
}

lc_status lc_cuda_shift(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, int64_t num, int64_t den)
{
    int64_t d, sh;
    if (den < 1) return lc_fail(ctx, LC_EINVAL, __func__, "denominator %lld < 1", (long long)den);
    if (!a) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    d = lc_lcm_i64(a->den, den);
    if (!d || !lc_mul_i64(num, d / den, &sh))
        return lc_fail(ctx, LC_EOVERFLOW, __func__, "shift %lld/%lld", (long long)num,
                       (long long)den);
    return unary(ctx, h, __func__, out, a, d, [sh](View v) { return ShiftOp{v, sh}; });
}

lc_status lc_cuda_apply(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, lc_cuda_fn f)
{
    static const int disc[] = {LC_DISC_SIGN, LC_DISC_STEP, LC_DISC_FLOOR, LC_DISC_CEIL,
                               LC_DISC_ROUND};
    if (!ctx) return LC_EINVAL;
    int64_t den = a ? a->den : 1;
    if (f == LC_CUDA_ABS || f == LC_CUDA_RELU) {
        int relu = f == LC_CUDA_RELU;
        return unary(ctx, h, "lc_cuda_apply", out, a, den, [relu](View v) { return SelectOp{v, relu}; });
    }
    if (f >= LC_CUDA_SIGN && f <= LC_CUDA_ROUND) {
        double h0 = ctx->h0 == LC_H0_ZERO ? 0.0 : ctx->h0 == LC_H0_HALF ? 0.5 : 1.0;
        DiscOp proto{View{}, disc[f - LC_CUDA_SIGN], (int)ctx->round_tie, ctx->sign0, h0};
        return unary(ctx, h, "lc_cuda_apply", out, a, den, [proto](View v) {
            DiscOp op = proto;
            op.a = v;
            return op;
        });
    }
    return lc_cuda_series(ctx, h, out, a, f);
}

lc_status lc_cuda_std(lc_ctx *ctx, lc_cuda_handle *h, const lc_cuda_batch *b, double *out)
{
    return coeff_impl(ctx, h, __func__, b, 0, 1, 1, out);
}

lc_status lc_cuda_coeff(lc_ctx *ctx, lc_cuda_handle *h, const lc_cuda_batch *b, int64_t num,
                        int64_t den, double *out)
{
    int64_t t, K0;
    if (!b || den < 1) return lc_fail(ctx, LC_EINVAL, __func__, "NULL batch or denominator < 1");
    /* num/den = (num·D/den)/D: K0 = ⌊num·D/den⌋, exact when den divides num·D. */
    if (!lc_mul_i64(num, b->den, &t))
        return lc_fail(ctx, LC_EOVERFLOW, __func__, "exponent %lld/%lld", (long long)num,
                       (long long)den);
    K0 = t / den - (t % den != 0 && t < 0);
    return coeff_impl(ctx, h, __func__, b, K0, t % den == 0, 0, out);
}

lc_status lc_cuda_batch_from_real(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *b, int64_t n,
                                  const double *x, const double *v)
{
    lc_status st;
    lc_batch hb;
    if (!ctx) return LC_EINVAL;
    if (!h || !b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_batch_init(&hb, b->ctype, b->etype);
    st = lc_batch_from_real(ctx, &hb, n, x, v);
    if (!st) st = lc_cuda_batch_to_device(ctx, h, b, &hb);
    lc_batch_clear(ctx, &hb);
    return st;
}

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
