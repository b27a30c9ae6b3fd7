/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by the field core's sources. Not installed; the
 * helpers that extensions may use are in infnum/ext.h. */
#ifndef INFNUM_INTERNAL_H
#define INFNUM_INTERNAL_H

#include "infnum/ext.h"

/* ------------------------------------------------------------ batch helpers
 * (lib/src/batch.c; stable — order.c, deriv.c and others may use them). */
#include "infnum/raw.h"

/* A row seen as raw arrays (k in units 1/(b->den·mul)). */
typedef struct lc_rowv {
    const int64_t *k;
    const double *c;
    int64_t n, p;
} lc_rowv;

/* Views row r of b with exponents and bound multiplied by mul ≥ 1. Points
 * into b's storage when the types allow (LC_I64 and mul == 1, LC_F64);
 * otherwise converts into kbuf / cbuf (room for the row's length).
 * Returns 0, or -1 if an exponent or the bound overflows. */
int lc_row_view(const lc_batch *b, int64_t r, int64_t mul, int64_t *kbuf, double *cbuf, lc_rowv *v);

/* Longest row of b. */
int64_t lc_batch_maxlen(const lc_batch *b);

/* Moves the wide batch w (LC_F64, LC_I64, built by the caller) into out,
 * converted to out's storage types: exponents that do not fit int32 widen
 * out to LC_I64; a coefficient that is not finite (or overflows float) is
 * LC_EOVERFLOW, and so is one that rounds to 0 in float (a term never
 * vanishes silently: it may decide the order). Frees w's storage on every
 * path; on failure out is untouched. func names the caller in messages. */
lc_status lc_batch_commit(lc_ctx *ctx, lc_batch *out, lc_batch *w, const char *func);

/* Allocates w (wide) for nrows rows and nnz terms, row_ptr[0] = 0. */
lc_status lc_wide_alloc(lc_ctx *ctx, lc_batch *w, int64_t nrows, int64_t nnz, int64_t den,
                        const char *func);
/* Compacts w whose row r holds cnt[r] terms at offset off[r] (row_ptr is
 * rebuilt; off may alias w->row_ptr). */
void lc_wide_compact(lc_batch *w, const int64_t *off, const int64_t *cnt);

/* Runs fn(env, r, tid) for r = 0..n-1, over ctx->nthreads OpenMP threads
 * (tid < lc_nthreads(ctx)); fn returns LC_OK or a status. Returns LC_OK, or
 * the status of the lowest failing row in *bad (deterministic). */
typedef lc_status (*lc_row_fn)(void *env, int64_t r, int tid);
lc_status lc_rows_run(lc_ctx *ctx, int64_t n, lc_row_fn fn, void *env, int64_t *bad);
/* Threads a batched operation may use (≥ 1): size per-thread scratch with it. */
int lc_nthreads(const lc_ctx *ctx);
/* Threads worth starting for a batch of `rows` rows: 1 below
 * ctx->par_min_rows, else lc_nthreads(ctx). Never more than lc_nthreads(ctx),
 * so scratch sized by lc_nthreads suffices. */
int lc_nthreads_rows(const lc_ctx *ctx, int64_t rows);

/* What ctx->spare points to (allocated on first use; lc_ctx_clear frees):
 * the fast paths' result storage, one batch per storage type (fastpath.c),
 * and lc_ngrad's temporaries, kept for the next call so that a call on as
 * many points as the last allocates nothing (deriv.c; ng_busy while a call
 * runs, so that an ngrad inside f uses its own). */
typedef struct lc_spare {
    lc_batch b[4];
    lc_batch ng[3];
    double *s;
    int64_t scap;
    int ng_busy;
} lc_spare;
/* ctx->spare, allocated on first use; NULL when out of memory. */
lc_spare *lc_spare_of(lc_ctx *ctx);

/* ------------------------------------------------------------ fast paths
 * (lib/src/fastpath.c; docs/performance.md). lc_fast_op computes
 * s1·a + s2·b (LC_FAST_ADD, s1 = 1), a·b, exp, sin, cos or 1/a (b unused)
 * on dense rows (built in ctx->spare, swapped into out). Returns 1 when it
 * handled the call (*st holds the status: LC_OK, LC_ENOMEM, or the general
 * path's status for denominators it rejects), 0 when the general path must
 * run (out is then untouched; nothing is reported). */
enum { LC_FAST_ADD, LC_FAST_MUL, LC_FAST_EXP, LC_FAST_SIN, LC_FAST_COS, LC_FAST_RECIP };
int lc_fast_op(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b, int kind,
               double s2, lc_status *st, const char *func);
/* Sets the footprint (operands and result, bytes) from which a uniform
 * sum writes its result with streaming stores (around the caches); ≤ 0
 * restores the default, the last-level cache's size. The stored values
 * are the same either way; the tests lower it to run that path. */
void lc_fast_stream_from(int64_t bytes);
/* Calls that have written their result with streaming stores so far. */
int64_t lc_fast_stream_calls(void);
/* Instruction sets of the fast paths' versions (fastpath.h). lc_fast_isa:
 * the one calls run: the machine's best, capped by INFNUM_ISA (baseline,
 * avx2 or avx512; any other value means baseline), or as lc_fast_isa_set
 * chose. lc_fast_isa_set(isa): run at most isa from now on (the tests
 * compare the versions); -1 restores the default. lc_fast_isa_max: the
 * machine's best. */
enum { LC_ISA_BASE, LC_ISA_AVX2, LC_ISA_AVX512 };
int lc_fast_isa(void);
void lc_fast_isa_set(int isa);
int lc_fast_isa_max(void);
/* The general paths alone (arith.c, series.c), for the tests of the fast
 * paths: kind as above (LC_FAST_ADD with s2 = ±1). */
lc_status lc_general_binop(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b,
                           int kind, double s2);
lc_status lc_general_series(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int kind);

#endif
