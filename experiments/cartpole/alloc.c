/* Allocation and error messages through the caller's lc_ctx, with the public
 * API only (the library's lc_malloc/lc_fail are private to it). */
#include "cartpole.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

void *cp_malloc(lc_ctx *ctx, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    if (n * size == 0) return NULL;
    return ctx->alloc.malloc_fn(n * size, ctx->alloc.user);
}

void cp_free(lc_ctx *ctx, void *p)
{
    if (p) ctx->alloc.free_fn(p, ctx->alloc.user);
}

lc_status cp_fail(lc_ctx *ctx, lc_status s, const char *func, const char *fmt, ...)
{
    if (!ctx) return s;
    char msg[LC_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (snprintf(ctx->err, sizeof ctx->err, "%s: %s", func, msg) < 0) ctx->err[0] = '\0'; /* truncated to fit */
    return s;
}
