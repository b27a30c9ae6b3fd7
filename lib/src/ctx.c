/* SPDX-License-Identifier: MIT */
/* Context: settings, allocation hooks, error messages, scratch. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void *sys_malloc(size_t size, void *user) { (void)user; return malloc(size); }
static void *sys_realloc(void *p, size_t size, void *user) { (void)user; return realloc(p, size); }
static void sys_free(void *p, void *user) { (void)user; free(p); }

void lc_ctx_init(lc_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->depth = 8;
    ctx->h0 = LC_H0_ZERO;
    ctx->sign0 = 0.0;
    ctx->round_tie = LC_TIE_AWAY;
    ctx->nthreads = 1;
    ctx->par_min_rows = 4096;
    ctx->alloc.malloc_fn = sys_malloc;
    ctx->alloc.realloc_fn = sys_realloc;
    ctx->alloc.free_fn = sys_free;
    ctx->alloc.user = NULL;
    ctx->series_work_max = LC_SERIES_WORK_DEFAULT;
}

void lc_ctx_clear(lc_ctx *ctx)
{
    if (!ctx) return;
    lc_free(ctx, ctx->scratch);
    ctx->scratch = NULL;
    ctx->scratch_size = 0;
    lc_spare *sp = ctx->spare;
    if (sp) {
        for (int i = 0; i < 4; i++) lc_batch_clear(ctx, &sp->b[i]);
        for (int i = 0; i < 3; i++) lc_batch_clear(ctx, &sp->ng[i]);
        lc_free(ctx, sp->s);
    }
    lc_free(ctx, sp);
    ctx->spare = NULL;
}

lc_spare *lc_spare_of(lc_ctx *ctx)
{
    lc_spare *sp = ctx->spare;
    if (sp) return sp;
    if ((sp = ctx->spare = lc_malloc(ctx, 1, sizeof *sp)) == NULL) return NULL;
    for (int i = 0; i < 4; i++) lc_batch_init(&sp->b[i], i & 2 ? LC_F64 : LC_F32, i & 1 ? LC_I64 : LC_I32);
    for (int i = 0; i < 3; i++) lc_batch_init(&sp->ng[i], LC_F64, LC_I32);
    sp->s = NULL, sp->scap = 0, sp->ng_busy = 0;
    return sp;
}

const char *lc_status_str(lc_status s)
{
    static const char *const names[] = {"LC_OK",      "LC_EINVAL",   "LC_ENOMEM",   "LC_EDOMAIN",
                                         "LC_EDIVZERO", "LC_EUNDEF",  "LC_EOVERFLOW", "LC_ESHAPE",
                                         "LC_EPARSE",  "LC_EDEVICE",  "LC_EIO",      "LC_ENONFINITE",
                                         "LC_ELIMIT"};
    if ((unsigned)s < sizeof names / sizeof names[0]) return names[s];
    return "LC_E?";
}

void *lc_malloc(lc_ctx *ctx, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    if (n * size == 0) return NULL;
    return ctx->alloc.malloc_fn(n * size, ctx->alloc.user);
}

void *lc_realloc(lc_ctx *ctx, void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    if (n * size == 0) return NULL;
    return ctx->alloc.realloc_fn(p, n * size, ctx->alloc.user);
}

void lc_free(lc_ctx *ctx, void *p)
{
    if (p) ctx->alloc.free_fn(p, ctx->alloc.user);
}

lc_status lc_fail(lc_ctx *ctx, lc_status s, const char *func, const char *fmt, ...)
{
    if (!ctx) return s;
    int n = snprintf(ctx->err, sizeof ctx->err, "%s: ", func);
    if (n < 0 || (size_t)n >= sizeof ctx->err) return s;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err + n, sizeof ctx->err - (size_t)n, fmt, ap);
    va_end(ap);
    return s;
}

void *lc_scratch(lc_ctx *ctx, size_t size)
{
    if (size <= ctx->scratch_size) return ctx->scratch;
    void *p = lc_realloc(ctx, ctx->scratch, size, 1);
    if (!p) return NULL;
    ctx->scratch = p;
    ctx->scratch_size = size;
    return p;
}

int64_t lc_gcd_i64(int64_t a, int64_t b)
{
    uint64_t x = a < 0 ? 0 - (uint64_t)a : (uint64_t)a, y = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x > (uint64_t)INT64_MAX ? INT64_MIN : (int64_t)x;
}

int64_t lc_lcm_i64(int64_t a, int64_t b)
{
    if (a < 1 || b < 1) return 0;
    int64_t g = lc_gcd_i64(a, b), r;
    return lc_mul_i64(a / g, b, &r) ? r : 0;
}

int lc_nthreads(const lc_ctx *ctx)
{
#ifdef _OPENMP
    return ctx->nthreads > 1 ? ctx->nthreads : 1;
#else
    (void)ctx;
    return 1;
#endif
}

int lc_nthreads_rows(const lc_ctx *ctx, int64_t rows)
{
    return rows < ctx->par_min_rows ? 1 : lc_nthreads(ctx);
}

lc_status lc_rows_run(lc_ctx *ctx, int64_t n, lc_row_fn fn, void *env, int64_t *bad)
{
    int nt = lc_nthreads_rows(ctx, n);
    int64_t bad_row = n;
    lc_status bad_st = LC_OK;
    if (nt <= 1) {
        for (int64_t r = 0; r < n; r++) {
            lc_status s = fn(env, r, 0);
            if (s != LC_OK) { *bad = r; return s; }
        }
        return LC_OK;
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 64) num_threads(nt)
    for (int64_t r = 0; r < n; r++) {
        lc_status s = fn(env, r, omp_get_thread_num());
        if (s != LC_OK) {
#pragma omp critical(lc_rows_run)
            if (r < bad_row) { bad_row = r; bad_st = s; }
        }
    }
#endif
    *bad = bad_row;
    return bad_st;
}
