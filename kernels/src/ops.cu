/* SPDX-License-Identifier: MIT */
/* CUDA backend operations run by the row driver (driver.cuh), one thread a
 * row on the shared per-row functions of <infnum/raw.h>, raw_order.h and
 * raw_series.h: mul, max/min, argmax, scale, shift, the discontinuous
 * functions, the series, and coefficient extraction. add/sub are in add.cu,
 * the linear layer in linear.cu. */
#include "driver.cuh"

namespace lc_ops_cu {
using namespace lc_drv;

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

} // namespace lc_ops_cu

using namespace lc_ops_cu;

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

} // extern "C"
