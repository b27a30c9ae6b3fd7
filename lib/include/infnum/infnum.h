/* SPDX-License-Identifier: MIT */
/*
 * infnum — non-standard derivatives with the Levi-Civita field.
 *
 * Public API of the core library (C17). One prefix for everything: `lc_`.
 * Managed layer (this header): functions allocate through the caller's
 * context, handle aliasing (out may be an input) and normalise their result.
 * The raw per-row layer lives in <infnum/raw.h>.
 *
 * A Levi-Civita number is x = Σ cᵢ ε^{qᵢ} + O(ε^p): finitely many terms with
 * real coefficients cᵢ ≠ 0 and rational exponents qᵢ = kᵢ / D, sorted by kᵢ,
 * no duplicate kᵢ, and a bound p (LC_EXACT when the number is exact). Numbers
 * are always handled in batches (CSR: exps, coeffs, row_ptr); a single number
 * is a batch of one row, and a one-row operand broadcasts against any batch.
 *
 * Semantics (bounds, series, order, decoding): docs/semantics.md.
 * Every function returns an lc_status; on failure ctx->err holds a message
 * naming the function and the reason, and the output is left unchanged
 * (when it is a separate batch; an output aliasing an input may be emptied)
 * — never half-written garbage, and nothing leaks.
 *
 * No global mutable state: every setting lives in the lc_ctx (or the batch)
 * the caller owns. Distinct contexts may be used from distinct threads at once.
 */
#ifndef INFNUM_INFNUM_H
#define INFNUM_INFNUM_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LC_VERSION_MAJOR 0
#define LC_VERSION_MINOR 1
#define LC_VERSION_PATCH 0
#define LC_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ status */

typedef enum lc_status {
    LC_OK = 0,
    LC_EINVAL,    /* malformed input: bad CSR, NaN/Inf coefficient, bad argument */
    LC_ENOMEM,    /* an allocation failed                                         */
    LC_EDOMAIN,   /* the result is not in the field: log(ε), exp(1/ε), sqrt(-ε)   */
    LC_EDIVZERO,  /* division by the exact zero                                   */
    LC_EUNDEF,    /* the order is undecided: sign of O(ε^p) with no known term    */
    LC_EOVERFLOW, /* an exponent or denominator does not fit in 64 bits           */
    LC_ESHAPE,    /* batch sizes do not match (and neither is a single row)       */
    LC_EPARSE,    /* lc_parse could not read the text                             */
    LC_EDEVICE,   /* CUDA / cuSPARSE error, or no device (kernels/ backend)       */
    LC_EIO,       /* file input/output                                            */
    LC_ENONFINITE, /* a computed value is NaN or ±Inf (a diverging optimisation)   */
    LC_ELIMIT     /* a resource limit is exceeded (ctx->series_work_max, depth)   */
} lc_status;

/* Name of a status code ("LC_EDOMAIN"). Never NULL. */
const char *lc_status_str(lc_status s);
/* The instruction set the fast paths' loops run with in this process:
 * "avx512", "avx2" or "baseline" (x86-64), the best the machine supports
 * unless the environment variable INFNUM_ISA (read at the first call)
 * caps it. Every version computes the same bits: results never depend on
 * it, timings do (the experiments record it with their results). */
const char *lc_isa_name(void);

/* ----------------------------------------------------------------- context */

/* Allocation hooks: every allocation of the library goes through these. */
typedef struct lc_alloc {
    void *(*malloc_fn)(size_t size, void *user);
    void *(*realloc_fn)(void *ptr, size_t size, void *user);
    void (*free_fn)(void *ptr, void *user);
    void *user;
} lc_alloc;

/* Convention at the jump of step (Heaviside): value of H(0). */
typedef enum lc_h0 { LC_H0_ZERO = 0, LC_H0_HALF, LC_H0_ONE } lc_h0;
/* Tie rule of round at exact half-integers. */
typedef enum lc_round_tie {
    LC_TIE_AWAY = 0, /* round(0.5) = 1, round(-0.5) = -1 (C's round)           */
    LC_TIE_EVEN,     /* round(0.5) = 0, round(1.5) = 2 (IEEE default)          */
    LC_TIE_UP,       /* round(0.5) = 1, round(-0.5) = 0 (floor(x + 1/2))       */
    LC_TIE_DOWN      /* round(0.5) = 0, round(-0.5) = -1 (ceil(x - 1/2))       */
} lc_round_tie;

#define LC_ERRMSG_LEN 256

typedef struct lc_ctx {
    /* Relative truncation depth N of every series (reciprocal, powers, exp,
     * log, sin, cos, tanh, sigmoid, softplus): a series result a·ε^L(...) is
     * kept up to, not including, ε^{L+N}. Whole powers of ε; default 8. */
    int32_t depth;
    /* Conventions at the jumps (defaults: H(0)=0, sign(0)=0, ties away). */
    lc_h0 h0;
    double sign0;            /* value of sign(0); default 0            */
    lc_round_tie round_tie;
    /* Threads used by batched operations (OpenMP); 1 = sequential. */
    int32_t nthreads;
    /* Batches of fewer rows run on one thread (starting a team costs more
     * than the work); default 4096. Results do not depend on it. */
    int64_t par_min_rows;
    lc_alloc alloc;
    /* Last error: "lc_log: log of an infinitesimal (row 3) is not in the field" */
    char err[LC_ERRMSG_LEN];
    /* Scratch reused across calls (owned by the context; lc_ctx_clear frees). */
    void *scratch;
    size_t scratch_size;
    /* Most multiply-adds one row of a series may cost (an estimate made
     * before any work: coefficients × result slots × terms of δ below the
     * truncation); a row beyond it is LC_ELIMIT instead of running for
     * hours (fine denominators, e.g. 1 + ε^(1/100000), cost ~D²). Default
     * LC_SERIES_WORK_DEFAULT; ≤ 0 means no limit; rows cheaper than
     * LC_SERIES_WORK_FLOOR are never refused. */
    int64_t series_work_max;
    /* Result storage the fast paths reuse, one per storage type (owned;
     * lc_ctx_clear frees). */
    void *spare;
} lc_ctx;

/* Default of ctx->series_work_max (about a second of work), and the cost
 * below which no row is refused (above what any fast-path row costs, so
 * the status does not depend on the path). */
#define LC_SERIES_WORK_DEFAULT ((int64_t)1 << 30)
#define LC_SERIES_WORK_FLOOR ((int64_t)1 << 22)
/* Largest ctx->depth a series accepts (LC_ELIMIT beyond). */
#define LC_DEPTH_MAX 65536

/* Initialises ctx with the defaults above and the C library allocator.
 * Allocates nothing. */
void lc_ctx_init(lc_ctx *ctx);
/* Frees the context's scratch and spare storage. ctx may be re-initialised
 * afterwards. */
void lc_ctx_clear(lc_ctx *ctx);

/* -------------------------------------------------------------------- batch */

typedef enum lc_ctype { LC_F32 = 0, LC_F64 = 1 } lc_ctype; /* coefficients */
typedef enum lc_etype { LC_I32 = 0, LC_I64 = 1 } lc_etype; /* exponents    */

/* Bound of an exact number (no O(ε^p) term). */
#define LC_EXACT INT64_MAX
/* Default exponent denominator. */
#define LC_DEN_DEFAULT 16

/*
 * A batch of nrows Levi-Civita numbers in CSR form. Row r has the terms
 * row_ptr[r] .. row_ptr[r+1]-1: exponent exps[i]/den, coefficient coeffs[i],
 * strictly increasing exps, no zero coefficient, every exps[i] < bound[r]
 * (bound in the same units 1/den; LC_EXACT = exact).
 *
 * Fields may be read freely. Write them only through the library, or call
 * lc_batch_check afterwards.
 */
typedef struct lc_batch {
    int64_t nrows;
    int64_t *row_ptr; /* nrows + 1                                  */
    void *exps;       /* int32_t[] (LC_I32) or int64_t[] (LC_I64)   */
    void *coeffs;     /* float[] (LC_F32) or double[] (LC_F64)      */
    int64_t *bound;   /* nrows; LC_EXACT for exact rows             */
    int64_t den;      /* exponent denominator D ≥ 1                 */
    lc_ctype ctype;
    lc_etype etype;
    int64_t cap;      /* terms allocated                            */
    int64_t rcap;     /* rows allocated                             */
} lc_batch;

/* An empty batch (0 rows, den = LC_DEN_DEFAULT) of the given storage types.
 * Allocates nothing. Defaults used by the experiments: LC_F64, LC_I32. */
void lc_batch_init(lc_batch *b, lc_ctype ctype, lc_etype etype);
/* Frees b's storage and leaves it empty (same types). */
void lc_batch_clear(lc_ctx *ctx, lc_batch *b);
/* Ensures room for nrows rows and nnz terms. Contents are kept. */
lc_status lc_batch_reserve(lc_ctx *ctx, lc_batch *b, int64_t nrows, int64_t nnz);
/* Deep copy of src into dst (dst keeps its own storage types; values are
 * converted, exponents widened/narrowed with an overflow check). */
lc_status lc_batch_copy(lc_ctx *ctx, lc_batch *dst, const lc_batch *src);
/* Changes the storage types of b in place. */
lc_status lc_batch_convert(lc_ctx *ctx, lc_batch *b, lc_ctype ctype, lc_etype etype);
/* Rescales b's exponents and bounds to the denominator den (a multiple of
 * b->den). LC_EOVERFLOW if an exponent would not fit. */
lc_status lc_batch_set_den(lc_ctx *ctx, lc_batch *b, int64_t den);
/* Raises b's denominator to lcm(b->den, den). */
lc_status lc_batch_refine(lc_ctx *ctx, lc_batch *b, int64_t den);

/* Builds b from caller CSR arrays (exponents kᵢ/den; bounds may be NULL for
 * exact rows). Validates everything; LC_EINVAL with a message naming the row
 * for unsorted or duplicate exponents, non-monotone row_ptr, NaN/Inf or zero
 * coefficients, terms at or beyond a row's bound, den < 1. */
lc_status lc_batch_from_csr(lc_ctx *ctx, lc_batch *b, int64_t nrows, const int64_t *row_ptr,
                            const int64_t *exps, const double *coeffs, const int64_t *bounds,
                            int64_t den);
/* Checks the invariants of b (as lc_batch_from_csr). */
lc_status lc_batch_check(lc_ctx *ctx, const lc_batch *b);

/* n exact reals x[i] (x[i] = 0 gives the empty row). */
lc_status lc_batch_set_real(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x);
/* n numbers x[i] + v[i]·ε (v == NULL: v[i] = 1), exact. */
lc_status lc_batch_from_real(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x,
                             const double *v);
/* n copies of c·ε^{num/den}, exact. */
lc_status lc_batch_set_monomial(lc_ctx *ctx, lc_batch *b, int64_t n, double c, int64_t num,
                                int64_t den);
/* Selects rows: dst row i = src row idx[i]. */
lc_status lc_batch_gather(lc_ctx *ctx, lc_batch *dst, const lc_batch *src, const int64_t *idx,
                          int64_t n);

/* Number of terms of b (0 for a batch without rows; row_ptr may then be
 * NULL). Added by core. */
int64_t lc_batch_nnz(const lc_batch *b);

/* Terms of row r: count, and term i as (k, den) and coefficient. */
int64_t lc_row_len(const lc_batch *b, int64_t r);
void lc_row_term(const lc_batch *b, int64_t r, int64_t i, int64_t *k, double *c);

/* Standard part of each row (coefficient of ε⁰). LC_EDOMAIN for an infinite
 * row, LC_EUNDEF where the bound is ≤ 0 (the standard part is unknown). */
lc_status lc_batch_std(lc_ctx *ctx, const lc_batch *b, double *out);
/* Coefficient of ε^{num/den} of every row. LC_EUNDEF where num/den is at or
 * beyond the row's bound (the coefficient is not known). */
lc_status lc_batch_coeff(lc_ctx *ctx, const lc_batch *b, int64_t num, int64_t den, double *out);
/* Leading term of row r: exponent num/den (in b's denominator) and coefficient.
 * LC_EUNDEF if the row has no term (zero, or unknown). */
lc_status lc_row_leading(lc_ctx *ctx, const lc_batch *b, int64_t r, int64_t *num, double *coef);
/* Classification of row r by its leading exponent (0 for the exact zero). */
int lc_row_is_infinite(const lc_batch *b, int64_t r);
int lc_row_is_infinitesimal(const lc_batch *b, int64_t r);

/* Text form, e.g. "1 + 2ε - 0.5ε^(1/2) + 3ε^-1 + O(ε^3)"; "0" for the exact
 * zero, "O(ε^2)" for an unknown quantity. Coefficients with %.17g (round-trip
 * exact for double), exponents as reduced fractions. Writes at most size bytes
 * (NUL included); LC_EINVAL if the buffer is too small. 'eps' may be "ε" or
 * "eps" (the parser reads both). */
lc_status lc_row_print(lc_ctx *ctx, const lc_batch *b, int64_t r, char *buf, size_t size);
/* Parses one number per string into the rows of b (b's storage types kept;
 * den raised to the lcm of the denominators read). */
lc_status lc_batch_parse(lc_ctx *ctx, lc_batch *b, int64_t n, const char *const *text);

/* --------------------------------------------------------------- arithmetic
 * out = op(a[, b]), row by row. A one-row operand broadcasts. out may alias
 * a or b. Denominators are raised to the lcm. Bounds per docs/semantics.md.
 */
lc_status lc_add(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_sub(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_neg(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
/* out = s·a (s real; s = 0 gives exact zeros with the bound kept as O). */
lc_status lc_scale(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double s);
/* out = a + s (s real, added to every row). */
lc_status lc_add_real(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double s);
/* out row r = s[r]·a row r (per-row scale). */
lc_status lc_scale_rows(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const double *s);
lc_status lc_mul(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
/* 1/a. LC_EDIVZERO for the exact zero, LC_EUNDEF for an unknown quantity. */
lc_status lc_recip(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_div(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
/* a^n, n integer (n < 0 through the reciprocal; 0^0 = 1). */
lc_status lc_pow_si(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int64_t n);
/* a^(p/q), q ≥ 1: a·ε^L(1+δ) ↦ a^r ε^{rL} (1+δ)^r. LC_EDOMAIN when a < 0
 * and q is even (sqrt(-ε)), or a is 0 and r ≤ 0. */
lc_status lc_pow_q(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int64_t p, int64_t q);
/* a^r, r real: exact dyadic rationals go through lc_pow_q; otherwise every
 * row must have leading exponent 0 (LC_EDOMAIN: ε^r leaves the field). */
lc_status lc_pow(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double r);
lc_status lc_sqrt(lc_ctx *ctx, lc_batch *out, const lc_batch *a);

/* Elementary functions (finite arguments; see docs/semantics.md). */
lc_status lc_exp(lc_ctx *ctx, lc_batch *out, const lc_batch *a);  /* EDOMAIN if infinite  */
lc_status lc_log(lc_ctx *ctx, lc_batch *out, const lc_batch *a);  /* EDOMAIN if st ≤ 0, infinite or infinitesimal */
lc_status lc_sin(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_cos(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
/* Saturating: an infinite argument gives the limit (tanh(±1/ε) = ±1,
 * sigmoid(1/ε) = 1, sigmoid(-1/ε) = 0, softplus(x) = x for x positive infinite,
 * 0 for negative infinite). The dropped remainder (e^{-1/ε} and the like)
 * is smaller than every power of ε, so ±1 and 0 are exact even when the
 * argument is not; softplus(x) = x keeps x's bound. */
lc_status lc_tanh(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_sigmoid(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_softplus(lc_ctx *ctx, lc_batch *out, const lc_batch *a);

/* ------------------------------------------------------------------- order
 * The field's total order: x > 0 iff its leading coefficient is > 0. The
 * exact zero is the only zero. An unknown quantity O(ε^p) has no sign
 * (LC_EUNDEF), nor does a difference whose leading term is beyond a bound.
 */
/* out[r] = sign of row r: -1, 0 or +1. */
lc_status lc_batch_sgn(lc_ctx *ctx, const lc_batch *a, int *out);
/* out[r] = sign of (a row r - b row r) (broadcasting). */
lc_status lc_cmp(lc_ctx *ctx, const lc_batch *a, const lc_batch *b, int *out);

/* Discontinuous functions, decided on the whole number:
 * abs(x) = ±x, relu(x) = max(x, 0), max/min by the order (results keep
 * their ε parts); sign, step, floor, ceil, round give exact reals (an
 * infinite argument to floor/ceil/round is LC_EDOMAIN). */
lc_status lc_abs(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_relu(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_sign(lc_ctx *ctx, lc_batch *out, const lc_batch *a);  /* sign(0) = ctx->sign0     */
lc_status lc_step(lc_ctx *ctx, lc_batch *out, const lc_batch *a);  /* H(0) = ctx->h0           */
lc_status lc_floor(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_ceil(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_round(lc_ctx *ctx, lc_batch *out, const lc_batch *a); /* ties: ctx->round_tie    */
lc_status lc_max(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_min(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
/* a has m·n rows: groups of n consecutive rows. out[g] = index (0..n-1) of
 * the greatest row of group g by the field's order; exact ties go to the
 * lowest index. */
lc_status lc_argmax(lc_ctx *ctx, const lc_batch *a, int64_t n, int64_t *out);

/* The discontinuous primitives, for estimators that need their jump points. */
typedef enum lc_disc {
    LC_DISC_STEP = 0, /* breakpoint 0                 */
    LC_DISC_SIGN,     /* breakpoint 0                 */
    LC_DISC_FLOOR,    /* breakpoints: the integers    */
    LC_DISC_CEIL,     /* breakpoints: the integers    */
    LC_DISC_ROUND     /* breakpoints: the half-integers */
} lc_disc;
/* Applies primitive f (as lc_step, lc_sign, ...) to a. */
lc_status lc_disc_apply(lc_ctx *ctx, lc_batch *out, const lc_batch *a, lc_disc f);
/* For n reals u[i]: b[i] = the breakpoint of f nearest to u[i] (ties to the
 * lower one), and J[i] = st f(b+ε) − st f(b−ε), the jump there, computed in
 * the field by evaluating f at b ± ε (not from a table). */
lc_status lc_disc_jump(lc_ctx *ctx, lc_disc f, const double *u, int64_t n, double *b, double *J);

/* ------------------------------------------------------------- derivatives */

/* f: ℝ → ℝ written against this API. y and x have the same number of rows;
 * f must not keep pointers to them. */
typedef lc_status (*lc_fn)(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data);
/* f: ℝⁿ → ℝ: x[0..nvars-1] are batches of equal row count. */
typedef lc_status (*lc_fn_vec)(lc_ctx *ctx, lc_batch *y, const lc_batch *x, int64_t nvars,
                               void *data);

/* out row i = ngrad(f, x[i]) = (f(x[i]+ε) − st f(x[i])) / ε, for n points,
 * evaluated as one batch. Its ε⁰ coefficient is the right derivative; an
 * ε⁻¹ coefficient c is a jump f(x⁺) − f(x) = c. The temporaries stay in
 * ctx for the next call (a call on no more points than the last allocates
 * nothing; lc_ctx_clear frees them). */
lc_status lc_ngrad(lc_ctx *ctx, lc_batch *out, lc_fn f, void *data, const double *x, int64_t n);
/* Gradient of f: ℝⁿ → ℝ at x (nvars values) by forward mode: the nvars
 * directions x + ε·e_j are one batch of nvars rows. out row j =
 * (f(x + ε e_j) − st f(x)) / ε; grad[j] (may be NULL) = its ε⁰ coefficient. */
lc_status lc_ngrad_vec(lc_ctx *ctx, lc_batch *out, double *grad, lc_fn_vec f, void *data,
                       const double *x, int64_t nvars);
/* k-th derivatives of a smooth f at n points: out[i] = k!·[ε^k] f(x[i]+ε).
 * Needs k < ctx->depth (LC_EINVAL otherwise). */
lc_status lc_nderiv(lc_ctx *ctx, double *out, lc_fn f, void *data, const double *x, int64_t n,
                    int k);
/* Two-sided decoding of the distributional derivative at n points:
 * mass[i] = st f(x+ε) − st f(x−ε) (the weight of the point mass at x),
 * regular[i] = ε¹ coefficient of (f(x+ε) − f(x−ε))/2 (mean of the one-sided
 * derivatives). Either output may be NULL. */
lc_status lc_ngrad_decode(lc_ctx *ctx, double *regular, double *mass, lc_fn f, void *data,
                          const double *x, int64_t n);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif /* INFNUM_INFNUM_H */
