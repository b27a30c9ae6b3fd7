/* SPDX-License-Identifier: MIT */
/*
 * infnum peers — reference implementations the microbenchmark measures the
 * library against, on the same inputs and in the same process.
 *
 * Every implementation works on "reference rows": n numbers of N terms with
 * exponents 0..N-1 and the truncation O(ε^N), stored as a dense row-major
 * n×N array of f64 coefficients (row r, term k at [r·N + k]). This is exactly
 * the coeffs array of an lc_batch whose rows are full with exponents 0..N-1,
 * so the library and the peers read the same bytes.
 *
 *   LCP_DENSE   the project's hand-written dense fixed-order loops (C)
 *   LCP_BOOST   Boost.Math autodiff fvar<double, N-1> (N ∈ {2, 4, 8, 16})
 *   LCP_ADOLC   ADOL-C hos_forward of degree N-1 over a 1000-number tape
 *   LCP_SACADO  Trilinos Sacado::Tay::Taylor<double> of degree N-1
 *
 * A C++ peer is compiled only when its headers and library were found when
 * configuring; otherwise lcp_run answers LCP_ABSENT. Timings are the median
 * over `reps` samples of ns per number; one sample repeats the operation
 * until it lasts at least LCP_MIN_SAMPLE_NS, so tiny batches are timed too.
 * The peers library holds no mutable global state of its own (ADOL-C's tape
 * store is global in ADOL-C: do not run the ADOL-C peer from two threads).
 */
#ifndef INFNUM_PEERS_H
#define INFNUM_PEERS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The first LCP_NOPS ops are the swept ones (every impl, batch size and
 * terms); the others are measured once each, by the library (and its own
 * reference where it has one: compare.c, rollout.c): ngrad of abs/step/round
 * over standard normal points, a CartPole-like forward-mode rollout, and
 * the product of random rows (the microbenchmark's inputs: no common
 * exponent list, the general product). */
typedef enum lcp_op {
    LCP_ADD = 0, LCP_MUL, LCP_EXP, LCP_RECIP, LCP_SIN, LCP_NOPS,
    LCP_NGRAD_ABS = LCP_NOPS, LCP_NGRAD_STEP, LCP_NGRAD_ROUND, LCP_ROLLOUT, LCP_MUL_RANDOM, LCP_NALLOPS
} lcp_op;
typedef enum lcp_peer { LCP_DENSE = 0, LCP_BOOST, LCP_ADOLC, LCP_SACADO, LCP_NPEERS } lcp_peer;

/* Results of lcp_run. */
#define LCP_OK 0
#define LCP_ABSENT 1      /* the peer was not found when configuring          */
#define LCP_UNSUPPORTED 2 /* the peer cannot do this (op, N) combination      */
#define LCP_EINVAL 3      /* bad argument (n < 1, N < 1, NULL array, reps < 1) */
#define LCP_ENOMEM 4      /* an allocation failed                             */

/* A sample lasts at least this long (the operation is repeated inside it). */
#define LCP_MIN_SAMPLE_NS 2.0e6

/* "add", "mul", "exp", "recip", "sin", "ngrad_abs", "ngrad_step",
 * "ngrad_round", "rollout", "mul_random"; "?" for a bad value. */
const char *lcp_op_name(lcp_op op);
/* "dense", "boost", "adolc", "sacado"; "?" for a bad value. */
const char *lcp_peer_name(lcp_peer p);
/* Parses a name of lcp_op_name / lcp_peer_name; -1 if unknown. */
int lcp_op_parse(const char *name);
int lcp_peer_parse(const char *name);
/* 1 if the peer was compiled in, 0 if it is absent. LCP_DENSE is always 1. */
int lcp_peer_present(lcp_peer p);
/* "present", "absent" or "unsupported" (for an lcp_run result). */
const char *lcp_result_str(int result);

/* Deterministic reference inputs for a given seed: a[0] of each row in
 * [0.5, 1.5] (so 1/x and log are defined), the other coefficients in [-1, 1].
 * Fills n·N doubles. */
void lcp_inputs(uint64_t seed, int64_t n, int N, double *a);

/* --- the dense fixed-order reference loops (the "hand-written" baseline).
 * c = op(a[, b]) truncated after ε^{N-1}, row by row, for n rows of N terms.
 * c must not alias a or b. nthreads > 1 splits the rows with OpenMP (when
 * compiled with OpenMP; otherwise ignored). */
void lcp_dense_add(int64_t n, int N, const double *a, const double *b, double *c, int nthreads);
void lcp_dense_mul(int64_t n, int N, const double *a, const double *b, double *c, int nthreads);
void lcp_dense_exp(int64_t n, int N, const double *a, double *c, int nthreads);
void lcp_dense_recip(int64_t n, int N, const double *a, double *c, int nthreads);
void lcp_dense_sin(int64_t n, int N, const double *a, double *c, int nthreads);

/* Runs op of peer p on the reference rows a (and b for add/mul), writes the
 * result to c (n·N doubles, the same layout) and stores the median ns per
 * number over reps samples in *ns. nthreads is used by LCP_DENSE only.
 * Returns LCP_OK or one of the results above (then c and *ns are untouched). */
int lcp_run(lcp_peer p, lcp_op op, int64_t n, int N, const double *a, const double *b, double *c,
            int reps, int nthreads, double *ns);

/* Generic timer used by lcp_run, for the library's own operations: calls
 * fn(arg) repeatedly (each sample at least LCP_MIN_SAMPLE_NS) and stores the
 * median over reps samples of ns per call divided by n in *ns. fn returns 0
 * on success; a non-zero return stops the timing and is returned. */
typedef int (*lcp_kernel)(void *arg);
int lcp_time(lcp_kernel fn, void *arg, int64_t n, int reps, double *ns);

/* STREAM triad a[i] = b[i] + s·c[i] on three f64 arrays whose total size is
 * `bytes` (at least 3 KiB), one thread (nthreads > 1: OpenMP over the
 * index range), timed twice: with plain stores and with streaming stores
 * (x86-64: they skip the write-allocate, faster once the arrays exceed the
 * caches). Returns the faster bandwidth in bytes/s by STREAM's convention
 * (24 bytes per element, write-allocate not counted), each from the median
 * sample of lcp_time (STREAM reports the best; the median resists a shared
 * machine's noise); 0 if bytes or reps is bad or an allocation failed. For
 * the floor of an operation on n numbers, pass its footprint
 * n·lcp_add_bytes(N). */
double lcp_stream_triad(size_t bytes, int reps, int nthreads);

/* Bytes a batched add of n reference rows moves (two inputs and one output
 * of N terms, f64 coefficients and i32 exponents): 3·N·12. With the triad
 * bandwidth bw this is the memory floor: 1e9·lcp_add_bytes(N)/bw ns/number. */
double lcp_add_bytes(int N);

/* Peak resident set size of this process in bytes (getrusage), 0 if unknown. */
int64_t lcp_peak_rss(void);

/* ------------------------------------------------------ the comparison
 * (compare.c; links the infnum library). For every op × batch size n ×
 * terms N it measures, on the same reference rows: the library ("infnum",
 * f64 coefficients, i32 exponents, den 1, bound ε^N), the library on two
 * threads ("infnum-2t", mul, exp and sin), with f32 coefficients ("infnum-f32"),
 * on general rational rows ("infnum-rational", n ≤ 1e5: ragged rows of
 * 1..2N terms at exponents k/12 in [0, N), leading term ε⁰), the dense loops
 * (and on two threads, "dense-2t", exp and sin), the memory floor ("floor",
 * add only) and every peer. Once per run, after the pairs and when they
 * include (1e4, LCP_TARGET_TERMS): the ngrad benchmark (LCP_NGRAD_*,
 * LCP_NGRAD_POINTS points, impl "infnum"), the rollout pair and the
 * random-row product (LCP_MUL_RANDOM: LCP_RANDOM_ROWS numbers of
 * LCP_RANDOM_TERMS terms, impl "infnum"). */
typedef struct lcp_point {
    char impl[24];
    lcp_op op;
    int64_t n;
    int N;
    int result;      /* LCP_OK, LCP_ABSENT or LCP_UNSUPPORTED              */
    double ns;       /* median ns per number; NaN unless result is LCP_OK */
    double bytes;    /* bytes per number of the representation; NaN unknown */
    int64_t peak_rss; /* process peak RSS after the measurement (bytes)    */
} lcp_point;

/* A performance target (docs/performance.md): ratio = value / reference, met when ratio ≤ limit
 * (or ≥ limit when at_least). NaN ratio (not measured): not met. */
typedef struct lcp_target {
    char name[64];
    double ratio, limit;
    int at_least, met;
} lcp_target;

typedef struct lcp_report {
    lcp_point *pts;
    int64_t npts, cap;
    lcp_target tg[40];
    int ntg;
} lcp_report;

/* Runs the comparison for sizes[0..nsizes-1] × terms[0..nterms-1] (N ≤ 16
 * for the rational rows: 2N ≤ 32 terms) with reps samples per figure and
 * inputs from seed; threads: the threads of "infnum-2t" (≥ 2). tick(ud)
 * is called after each figure (progress). Targets are evaluated at N = 8,
 * n = 1e4 and n = 1e6 when those are measured. rep is overwritten (not
 * freed first). Returns 0, or -1 with a message in err (out of memory, a
 * library error; rep is then empty). */
int lcp_compare(const int64_t *sizes, int nsizes, const int *terms, int nterms, int reps,
                int threads, uint64_t seed, lcp_report *rep, void (*tick)(void *), void *ud,
                char *err, size_t errlen);
/* The points of the ngrad benchmark (LCP_NGRAD_*: terms 2, x + ε). */
#define LCP_NGRAD_POINTS 50000
/* The random-row product (LCP_MUL_RANDOM): numbers and terms per number. */
#define LCP_RANDOM_ROWS 10000
#define LCP_RANDOM_TERMS 16
/* The terms per number at which the targets are evaluated. */
#define LCP_TARGET_TERMS 8
/* As lcp_compare, for the npairs points (sizes[i], terms[i]) instead of the
 * cross product (a point listed twice is measured once): the throughput
 * plots sweep batch sizes at LCP_TARGET_TERMS and terms at one batch size
 * without measuring the whole grid. */
int lcp_compare_pairs(const int64_t *sizes, const int *terms, int npairs, int reps, int threads,
                      uint64_t seed, lcp_report *rep, void (*tick)(void *), void *ud, char *err,
                      size_t errlen);
/* The forward-mode pair (rollout.c): a CartPole-like rollout of `steps`
 * Euler steps with a tanh MLP policy of H hidden units, differentiated by
 * forward mode over its P = 6H + 1 parameters, with the library's
 * first-order layout (infnum/first.h) and with plain dual numbers in
 * doubles, through the same code. Stores the median ns per step of each
 * over reps samples taken in turn (dual, field, dual, ...) and the largest
 * relative difference of their final states (values and tangents).
 * Returns LCP_OK, LCP_EINVAL or LCP_ENOMEM. */
int lcp_rollout(int H, int steps, int reps, uint64_t seed, double *ns_field, double *ns_dual,
                double *maxdiff);
/* The pair measured by the comparison: H, steps. */
#define LCP_ROLLOUT_H 16
#define LCP_ROLLOUT_STEPS 100

/* Frees rep's points. */
void lcp_report_clear(lcp_report *rep);

#ifdef __cplusplus
}
#endif
#endif /* INFNUM_PEERS_H */
