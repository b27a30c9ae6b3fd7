/* Internal helpers shared by the library's sources. Not installed. */
#ifndef INFNUM_INTERNAL_H
#define INFNUM_INTERNAL_H

#include "infnum/infnum.h"

#include <stdarg.h>

/* All allocation goes through the context's hooks (tests make the k-th
 * allocation fail). Sizes are checked for overflow: n·size > SIZE_MAX → NULL. */
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
static inline int lc_mul_i64(int64_t a, int64_t b, int64_t *r) { return !__builtin_mul_overflow(a, b, r); }
int64_t lc_gcd_i64(int64_t a, int64_t b);
/* lcm(a, b) for a, b ≥ 1, or 0 on overflow. */
int64_t lc_lcm_i64(int64_t a, int64_t b);

#endif
