/* SPDX-License-Identifier: MIT */
/*
 * infnum — the extension interface: what code built on the field core (the
 * training engine, the CUDA backend, the experiments, a user's own
 * operations) may use besides the public API of infnum/infnum.h. Stable
 * across minor versions, like the public API.
 *
 * Allocation goes through the context's hooks (so tests can fail the k-th
 * allocation), errors are recorded with lc_fail, and the checked integer
 * helpers never wrap.
 */
#ifndef INFNUM_EXT_H
#define INFNUM_EXT_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include "infnum/infnum.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* n·size bytes through ctx->alloc (NULL if n·size is 0, overflows SIZE_MAX,
 * or the hook fails). lc_realloc resizes p (NULL p allocates); lc_free(NULL)
 * does nothing. */
void *lc_malloc(lc_ctx *ctx, size_t n, size_t size);
void *lc_realloc(lc_ctx *ctx, void *p, size_t n, size_t size);
void lc_free(lc_ctx *ctx, void *p);

/* Records "func: message" in ctx->err and returns s. Use as
 *   return lc_fail(ctx, LC_EINVAL, __func__, "row %lld: ...", (long long)r); */
lc_status lc_fail(lc_ctx *ctx, lc_status s, const char *func, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Makes ctx's scratch at least size bytes; returns it, or NULL (ENOMEM). */
void *lc_scratch(lc_ctx *ctx, size_t size);

/* Checked 64-bit integer helpers: return 0 on overflow. */
static inline int lc_add_i64(int64_t a, int64_t b, int64_t *r) { return !__builtin_add_overflow(a, b, r); }
static inline int lc_sub_i64(int64_t a, int64_t b, int64_t *r) { return !__builtin_sub_overflow(a, b, r); }
static inline int lc_mul_i64(int64_t a, int64_t b, int64_t *r) { return !__builtin_mul_overflow(a, b, r); }
/* gcd(|a|, |b|) ≥ 0 (0 for gcd(0, 0)), computed without negating INT64_MIN;
 * the one gcd that does not fit, 2^63 (a, b ∈ {0, INT64_MIN}), is returned
 * as INT64_MIN. gcd(a, d) with d ≥ 1 is always in [1, d]. */
int64_t lc_gcd_i64(int64_t a, int64_t b);
/* lcm(a, b) for a, b ≥ 1, or 0 on overflow. */
int64_t lc_lcm_i64(int64_t a, int64_t b);

/* Exponent / coefficient i of b's storage, whatever its types. */
static inline int64_t lc_get_k(const lc_batch *b, int64_t i)
{
    return b->etype == LC_I64 ? ((const int64_t *)b->exps)[i] : ((const int32_t *)b->exps)[i];
}
static inline double lc_get_c(const lc_batch *b, int64_t i)
{
    return b->ctype == LC_F64 ? ((const double *)b->coeffs)[i] : ((const float *)b->coeffs)[i];
}

/* Rows of a binary operation (one-row operands broadcast) or LC_ESHAPE. */
lc_status lc_bcast_rows(lc_ctx *ctx, const char *func, int64_t na, int64_t nb, int64_t *n);
/* lcm of two denominators, or LC_EOVERFLOW. */
lc_status lc_den_lcm(lc_ctx *ctx, const char *func, int64_t a, int64_t b, int64_t *d);
#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop
#endif
