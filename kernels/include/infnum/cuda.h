/* SPDX-License-Identifier: MIT */
/*
 * infnum CUDA backend (libinfnum_cuda): device-resident Levi-Civita batches.
 *
 * A device batch has the CPU batch's CSR layout and semantics (exponents
 * kᵢ/den, strictly increasing per row, no zero coefficient, every term below
 * the row's bound, LC_EXACT for exact rows); only its arrays live in device
 * memory. Transfers are explicit (lc_cuda_batch_to_device / _to_host).
 *
 * Every function takes the caller's lc_ctx (host allocations go through its
 * hooks; on failure ctx->err names the function and the reason) and a handle
 * that owns the CUDA stream, the cuSPARSE handle and reusable scratch. All
 * work is queued on the handle's stream; functions that return host data
 * (to_host, std, coeff, argmax, sgn) wait for it. A CUDA or cuSPARSE failure
 * returns LC_EDEVICE with "func: call failed (file:line): library error name:
 * library message" in ctx->err; nothing exits the process. Asking for a device
 * on a machine without one returns LC_EDEVICE ("no CUDA device ...").
 *
 * Results equal lc_* on the CPU (the per-row logic is the same code: the
 * LC_HD functions of <infnum/raw.h>) up to the floating-point order of sums
 * where noted. Outputs: `out` may alias an input; it keeps its storage types
 * (as set by lc_cuda_batch_init) and its denominator is raised to the lcm of
 * the inputs'. One-row operands broadcast, as on the CPU.
 *
 * A handle is used by one host thread at a time; distinct handles may be used
 * from distinct threads. No global mutable state.
 */
#ifndef INFNUM_CUDA_H
#define INFNUM_CUDA_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include "infnum/infnum.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ handle */

typedef struct lc_cuda_handle lc_cuda_handle; /* opaque */

/* Algorithm of lc_cuda_add / lc_cuda_sub (see lc_cuda_set_add_algo). */
typedef enum lc_cuda_add_algo {
    LC_CUDA_ADD_MERGE = 0, /* one thread per row: raw.h's merge with truncation (default) */
    LC_CUDA_ADD_CSRGEAM2   /* cuSPARSE csrgeam2 on the batches seen as sparse matrices
                              (rows × exponent columns), then a truncation pass      */
} lc_cuda_add_algo;

/* Creates a handle on CUDA device `device` (0-based; made the calling
 * thread's current device): a non-blocking stream, a cuSPARSE handle bound to
 * it, a memory pool of its own for every device allocation (kept between
 * calls), empty scratch. The handle copies ctx->alloc for its own host memory. LC_EDEVICE when there is no device, the driver is
 * missing, or device is out of range (the message says which); *h = NULL then. */
lc_status lc_cuda_create(lc_ctx *ctx, lc_cuda_handle **h, int device);
/* Waits for the stream, frees scratch, destroys the cuSPARSE handle, the
 * stream and the pool, frees h. Free the handle's batches first
 * (lc_cuda_batch_free needs it). NULL is a no-op. */
void lc_cuda_destroy(lc_cuda_handle *h);
/* Number of usable CUDA devices (0 without a device or a driver). */
int lc_cuda_device_count(void);
/* Selects the add/sub algorithm (default LC_CUDA_ADD_MERGE). LC_EINVAL for
 * an unknown value. */
lc_status lc_cuda_set_add_algo(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_add_algo algo);
/* Waits until every operation queued on h has finished (for timing). */
lc_status lc_cuda_sync(lc_ctx *ctx, lc_cuda_handle *h);
/* ctx->err when s is a failure and a message was recorded, else the status
 * name; never NULL. */
const char *lc_cuda_status_message(const lc_ctx *ctx, lc_status s);

/* ------------------------------------------------------------ device batch */

typedef struct lc_cuda_batch {
    int64_t nrows;
    int64_t nnz;      /* terms in use (= row_ptr[nrows], kept on the host) */
    int64_t *row_ptr; /* device, nrows + 1                                */
    void *exps;       /* device, int32_t or int64_t by etype               */
    void *coeffs;     /* device, float or double by ctype                  */
    int64_t *bound;   /* device, nrows (LC_EXACT for exact rows)           */
    int64_t den;
    lc_ctype ctype;
    lc_etype etype;
} lc_cuda_batch;

/* An empty device batch (0 rows, den LC_DEN_DEFAULT) of the given storage
 * types. Allocates nothing. */
void lc_cuda_batch_init(lc_cuda_batch *b, lc_ctype ctype, lc_etype etype);
/* Frees b's device storage (stream-ordered on h) and leaves it empty. */
void lc_cuda_batch_free(lc_cuda_handle *h, lc_cuda_batch *b);
/* dst (device) = src (host), converted to dst's storage types (exponents
 * narrowed with an overflow check: LC_EOVERFLOW). src is checked first
 * (lc_batch_check). Waits for the copy. */
lc_status lc_cuda_batch_to_device(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *dst,
                                  const lc_batch *src);
/* dst (host) = src (device), in dst's storage types. Waits for the copy. */
lc_status lc_cuda_batch_to_host(lc_ctx *ctx, lc_cuda_handle *h, lc_batch *dst,
                                const lc_cuda_batch *src);
/* dst = deep copy of src on the device (dst takes src's storage types). */
lc_status lc_cuda_batch_clone(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *dst,
                              const lc_cuda_batch *src);
/* n exact reals x[i] + v[i]·ε (v == NULL: v[i] = 1; host arrays): the
 * batched directions of ngrad (lc_batch_from_real on the device). */
lc_status lc_cuda_batch_from_real(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *b, int64_t n,
                                  const double *x, const double *v);

/* -------------------------------------------------------------- arithmetic
 * As lc_add, lc_sub, lc_neg, lc_scale, lc_add_real, lc_mul, lc_recip, lc_div
 * (bounds per docs/semantics.md; series truncated at ctx->depth).
 */
lc_status lc_cuda_add(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b);
lc_status lc_cuda_sub(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b);
lc_status lc_cuda_neg(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a);
lc_status lc_cuda_scale(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, double s);
lc_status lc_cuda_add_real(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                           const lc_cuda_batch *a, double s);
lc_status lc_cuda_mul(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b);
lc_status lc_cuda_recip(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a);
lc_status lc_cuda_div(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b);
/* out = a · ε^{num/den} (exact shift of every exponent and bound): with
 * lc_cuda_add_real it turns f(x+ε) into ngrad's (f(x+ε) − st f(x)) / ε. */
lc_status lc_cuda_shift(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, int64_t num, int64_t den);

/* ngrad's last step: out row i = (y row i − fx[i]) · ε⁻¹, fx (host, y->nrows
 * reals) = st f(x[i]); with y = f(x + ε) from lc_cuda_batch_from_real's
 * directions this is lc_ngrad's result. */
lc_status lc_cuda_ngrad_finish(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                               const lc_cuda_batch *y, const double *fx);

/* ---------------------------------------------------------------- functions
 * Elementary (as lc_exp ... lc_softplus) and discontinuous (as lc_abs ...
 * lc_round, with ctx's conventions sign0, h0, round_tie). The first failing
 * row (LC_EDOMAIN, LC_EUNDEF, LC_EDIVZERO) is named in ctx->err; out is then
 * left empty.
 */
typedef enum lc_cuda_fn {
    LC_CUDA_EXP = 0, LC_CUDA_LOG, LC_CUDA_SIN, LC_CUDA_COS, LC_CUDA_TANH, LC_CUDA_SIGMOID,
    LC_CUDA_SOFTPLUS,
    LC_CUDA_ABS, LC_CUDA_RELU, LC_CUDA_SIGN, LC_CUDA_STEP, LC_CUDA_FLOOR, LC_CUDA_CEIL,
    LC_CUDA_ROUND
} lc_cuda_fn;
/* out = f(a), row by row. */
lc_status lc_cuda_apply(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, lc_cuda_fn f);

/* out = max(a, b) / min(a, b) by the field's order, whole rows (as lc_max,
 * lc_min; broadcasting; LC_EUNDEF where the order is undecided). */
lc_status lc_cuda_max(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b);
lc_status lc_cuda_min(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const lc_cuda_batch *a,
                      const lc_cuda_batch *b);
/* out[g] (host, a->nrows / n entries) = index of the greatest row of group g
 * of n consecutive rows, exact ties to the lowest index (as lc_argmax). */
lc_status lc_cuda_argmax(lc_ctx *ctx, lc_cuda_handle *h, const lc_cuda_batch *a, int64_t n,
                         int64_t *out);

/* --------------------------------------------------------------- extraction */

/* out[r] (host, nrows) = standard part of row r, as lc_batch_std. */
lc_status lc_cuda_std(lc_ctx *ctx, lc_cuda_handle *h, const lc_cuda_batch *b, double *out);
/* out[r] (host) = coefficient of ε^{num/den} of row r, as lc_batch_coeff. */
lc_status lc_cuda_coeff(lc_ctx *ctx, lc_cuda_handle *h, const lc_cuda_batch *b, int64_t num,
                        int64_t den, double *out);

/* ------------------------------------------------------------ linear layer */

/* Dense weights × Levi-Civita activations with cuSPARSE SpMM.
 * w: device, m × k doubles, row-major (w[j·k + i]). x: B·k rows (sample s,
 * input i is row s·k + i). out: B·m rows, out row s·m + j = Σᵢ w[j,i]·x row
 * s·k + i, bound min over i of x's bounds (a zero weight keeps its O term, as
 * lc_scale). The activations become a CSR matrix (rows = (sample, exponent),
 * columns = inputs; built with cusparseCsr2cscEx2), multiplied by wᵀ with
 * cusparseSpMM; terms that sum to exactly 0 are dropped. Sums are in cuSPARSE's
 * order: equal to the CPU result up to rounding. LC_EOVERFLOW when the batch
 * exceeds cuSPARSE's 32-bit indices or 2^24 distinct exponents. */
lc_status lc_cuda_linear(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out, const double *w,
                         int64_t m, int64_t k, const lc_cuda_batch *x);

/* --------------------------------------------------------------- benchmarks */

/* One signature for every device operation: out = op(a[, b]). */
typedef lc_status (*lc_cuda_op_fn)(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                                   const lc_cuda_batch *a, const lc_cuda_batch *b);
/* The device operation called name — add sub mul div neg recip exp log sin
 * cos tanh sigmoid softplus abs relu sign step floor ceil round max min (the
 * microbench's op names) — with its arity (1: b is ignored), or NULL.
 * Each call waits for its own row counts but queues its last kernels and
 * frees on the handle's stream: a timed loop is upload, N calls, then
 * lc_cuda_sync before reading the clock. */
lc_cuda_op_fn lc_cuda_op_find(const char *name, int *arity);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif /* INFNUM_CUDA_H */
