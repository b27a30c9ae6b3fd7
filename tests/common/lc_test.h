/* SPDX-License-Identifier: MIT */
/* Test helpers (header-only): the checks of check.h, status checks, a seeded
 * RNG, a failing allocator with a leak counter, and a random batch generator.
 * The naive reference lives in lc_naive.h. */
#ifndef LC_TEST_H
#define LC_TEST_H

#include "check.h"
#include "infnum/infnum.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks that expr returns status want; prints ctx->err otherwise. */
#define CHECK_ST(ctx, expr, want)                                                         \
    do {                                                                                  \
        lc_status st_ = (expr);                                                           \
        if (st_ != (want)) {                                                              \
            lt_failures++;                                                                \
            if (lt_failures < 30)                                                         \
                fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", __FILE__, __LINE__, \
                        #expr, lc_status_str(st_), lc_status_str(want), (ctx)->err);      \
        }                                                                                 \
    } while (0)

#define OK(ctx, expr) CHECK_ST(ctx, expr, LC_OK)

/* Checks that call returns status, with a message in ctx.err when it fails
 * (for tests whose context is a variable lc_ctx ctx in scope). */
#define EXPECT(call, status)                                                              \
    do {                                                                                  \
        ctx.err[0] = '\0';                                                                \
        lc_status s_ = (call);                                                            \
        if (s_ != (status) || (s_ && !ctx.err[0])) {                                      \
            fprintf(stderr, "%s:%d: %s gave %s (want %s) '%s'\n", __FILE__, __LINE__, #call, \
                    lc_status_str(s_), lc_status_str(status), ctx.err);                   \
            lt_failures++;                                                                \
        }                                                                                 \
    } while (0)

/* ---------------------------------------------------------------- RNG */
typedef struct lt_rng { uint64_t s; } lt_rng;

static inline uint64_t lt_next(lt_rng *g) /* splitmix64 */
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* Uniform in [0, 1). */
static inline double lt_unif(lt_rng *g) { return (double)(lt_next(g) >> 11) * 0x1p-53; }
/* Uniform integer in [lo, hi]. */
static inline int64_t lt_int(lt_rng *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(lt_next(g) % (uint64_t)(hi - lo + 1));
}
/* Nonzero coefficient: ±[0.5, 2). */
static inline double lt_coef(lt_rng *g)
{
    double v = 0.5 + 1.5 * lt_unif(g);
    return lt_next(g) & 1 ? v : -v;
}

/* ------------------------------------------------------ failing allocator */
typedef struct lt_alloc {
    int64_t count;   /* allocations attempted (malloc, and realloc)          */
    int64_t fail_at; /* 1-based index of the attempt that fails; 0 = never  */
    int64_t live;    /* blocks currently allocated                            */
} lt_alloc;

static void *lt_malloc_fn(size_t n, void *u)
{
    lt_alloc *a = (lt_alloc *)u;
    if (++a->count == a->fail_at) return NULL;
    void *p = malloc(n);
    if (p) a->live++;
    return p;
}
static void *lt_realloc_fn(void *p, size_t n, void *u)
{
    lt_alloc *a = (lt_alloc *)u;
    if (++a->count == a->fail_at) return NULL;
    void *q = realloc(p, n);
    if (q && !p) a->live++;
    return q;
}
static void lt_free_fn(void *p, void *u)
{
    lt_alloc *a = (lt_alloc *)u;
    if (p) a->live--;
    free(p);
}
/* Routes ctx's allocations through a (counting; failing at a->fail_at). */
static inline void lt_alloc_install(lc_ctx *ctx, lt_alloc *a)
{
    ctx->alloc.malloc_fn = lt_malloc_fn;
    ctx->alloc.realloc_fn = lt_realloc_fn;
    ctx->alloc.free_fn = lt_free_fn;
    ctx->alloc.user = a;
}

/* One run of an allocation-failure sweep: sets up its inputs, arms the
 * failure with lt_alloc_arm(al, k), makes the calls under test, checks its
 * outputs (valid whatever the status; the right values when LC_OK), frees
 * them and returns the status of the calls. */
typedef lc_status (*lt_sweep_run)(lc_ctx *c, lt_alloc *al, int64_t k);

/* From here on the k-th allocation fails (counting from 1). */
static inline void lt_alloc_arm(lt_alloc *a, int64_t k)
{
    a->count = 0;
    a->fail_at = k;
}

/* For k = 1, 2, ... below kmax, until a run succeeds, run(c, al, k) on a
 * context whose allocations go through al: each run gives LC_OK or LC_ENOMEM
 * and leaks nothing once c is cleared; some run succeeds. */
static inline void lt_alloc_sweep(int64_t kmax, lt_sweep_run run)
{
    lt_alloc al = {0, 0, 0};
    lc_ctx c;
    lc_ctx_init(&c);
    lt_alloc_install(&c, &al);
    int done = 0;
    for (int64_t k = 1; k < kmax && !done; k++) {
        al.fail_at = 0;
        lc_status s = run(&c, &al, k);
        CHECK(s == LC_OK || s == LC_ENOMEM);
        done = s == LC_OK;
        al.fail_at = 0;
        lc_ctx_clear(&c);
        CHECK(al.live == 0);
    }
    CHECK(done);
}

/* ------------------------------------------------------ comparisons */

/* a and b hold the same numbers: denominator, and term for term, bound for
 * bound. */
static inline int lt_same_batch(const lc_batch *a, const lc_batch *b)
{
    if (a->nrows != b->nrows || a->den != b->den) return 0;
    for (int64_t r = 0; r < a->nrows; r++) {
        if (lc_row_len(a, r) != lc_row_len(b, r) || a->bound[r] != b->bound[r]) return 0;
        for (int64_t i = 0; i < lc_row_len(a, r); i++) {
            int64_t ka, kb;
            double ca, cb;
            lc_row_term(a, r, i, &ka, &ca);
            lc_row_term(b, r, i, &kb, &cb);
            if (ka != kb || ca != cb) return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------ random batches */
typedef struct lt_gen {
    int64_t maxn;     /* terms per row: 0..maxn                       */
    int64_t kmin, kmax; /* exponent range (units 1/den)                */
    double p_exact;   /* probability that a row is exact               */
    double p_zero;    /* probability of an empty row                   */
    int lead_pos;     /* leading coefficients > 0                      */
} lt_gen;

/* nrows random rows with denominator den into b (b's storage types). */
static inline lc_status lt_random_batch(lc_ctx *ctx, lt_rng *g, lc_batch *b, int64_t nrows,
                                        int64_t den, const lt_gen *o)
{
    int64_t cap = nrows * (o->maxn + 1) + 1;
    int64_t *rp = (int64_t *)malloc(sizeof(int64_t) * (size_t)(nrows + 1));
    int64_t *k = (int64_t *)malloc(sizeof(int64_t) * (size_t)cap);
    int64_t *p = (int64_t *)malloc(sizeof(int64_t) * (size_t)(nrows + 1));
    double *c = (double *)malloc(sizeof(double) * (size_t)cap);
    int64_t m = 0;
    rp[0] = 0;
    for (int64_t r = 0; r < nrows; r++) {
        int64_t n = lt_unif(g) < o->p_zero ? 0 : lt_int(g, 1, o->maxn), last = o->kmin - 1;
        int64_t span = o->kmax - o->kmin + 1;
        if (n > span) n = span;
        /* n distinct sorted exponents: walk with random gaps */
        for (int64_t i = 0; i < n; i++) {
            int64_t room = o->kmax - last - (n - i) + 1; /* leave space for the rest */
            int64_t step = 1 + (room > 1 ? lt_int(g, 0, (room - 1) / 2 < 3 * den ? (room - 1) / 2 : 3 * den) : 0);
            last += step;
            k[m] = last;
            c[m] = lt_coef(g);
            if (i == 0 && o->lead_pos) c[m] = fabs(c[m]);
            m++;
        }
        rp[r + 1] = m;
        if (lt_unif(g) < o->p_exact) p[r] = LC_EXACT;
        else p[r] = (n ? last : o->kmin) + lt_int(g, 1, 4 * den);
    }
    lc_status st = lc_batch_from_csr(ctx, b, nrows, rp, k, c, p, den);
    free(rp); free(k); free(p); free(c);
    return st;
}

#endif
