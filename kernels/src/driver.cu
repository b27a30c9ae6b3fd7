/* SPDX-License-Identifier: MIT */
/* The row driver of the CUDA backend (driver.cuh): job temporaries, wide
 * views, scans, compaction and the host helpers of every operation. */
#include <cub/device/device_reduce.cuh>
#include <cub/device/device_scan.cuh>

#include "driver.cuh"

namespace lc_drv {

unsigned grid_for(int64_t n)
{
    int64_t b = (n + TPB - 1) / TPB;
    return (unsigned)(b < 1 ? 1 : b > (1 << 20) ? (1 << 20) : b);
}

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

static const char *reason(int code)
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

lc_status job_check(Job *j, unsigned long long word)
{
    if (word == NO_ERR) return LC_OK;
    int code = (int)(word & 15u);
    return lc_fail(j->ctx, (lc_status)code, j->fn, "row %lld: %s", (long long)(word >> 4),
                   reason(code));
}

/* -------------------------------------------------------------- widening */

namespace {
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

} // namespace

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

/* ------------------------------------------------------------ compaction */

namespace {
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

} // namespace

void compact(cudaStream_t s, int64_t n, const int64_t *off, const int64_t *tk, const double *tc,
             lc_cuda_batch *o)
{
    if (o->etype == LC_I64)
        o->ctype == LC_F64 ? compact_as<int64_t, double>(s, n, off, tk, tc, o)
                           : compact_as<int64_t, float>(s, n, off, tk, tc, o);
    else
        o->ctype == LC_F64 ? compact_as<int32_t, double>(s, n, off, tk, tc, o)
                           : compact_as<int32_t, float>(s, n, off, tk, tc, o);
}

/* ---------------------------------------------------------- host helpers */

lc_status binary_begin(Job *j, lc_ctx *ctx, lc_cuda_handle *h, const char *fn,
                       const lc_cuda_batch *out, const lc_cuda_batch *a, const lc_cuda_batch *b,
                       View *va, View *vb, int64_t *n, int64_t *d)
{
    lc_status st;
    j->h = h;
    j->n = 0;
    if ((st = check_args(ctx, fn, h, out, a)) || (st = check_args(ctx, fn, h, out, b))) return st;
    LC_TRY(job_begin(j, ctx, h, fn));
    LC_TRY(bcast(j, a->nrows, b->nrows, n));
    LC_TRY(den_lcm(j, a->den, b->den, d));
    LC_TRY(make_view(j, a, *d / a->den, va));
    LC_TRY(make_view(j, b, *d / b->den, vb));
done:
    return st;
}

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

} // namespace lc_drv
