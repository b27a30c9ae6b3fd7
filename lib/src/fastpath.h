/* SPDX-License-Identifier: MIT */
/* Private to the fast path (fastpath.c: per-row plans and blocks, the
 * driver; fastpath_uni.c: uniform batches, which fastpath.c calls): its
 * row, plan and block types, the dense kernels both halves run, and what
 * fastpath_uni.c defines. Not installed. */
#ifndef INFNUM_FASTPATH_H
#define INFNUM_FASTPATH_H

#include "internal.h"

#include <math.h>

enum { LC_DMAX = 128 }; /* slots of a dense row on the stack */

/* The dense loops are compiled three times, for AVX-512, AVX2 and the
 * baseline x86-64, and each call runs the version the machine supports
 * (lc_fast_isa; the environment variable INFNUM_ISA=baseline|avx2|avx512
 * caps it). Every version does the same operations in the same order (the
 * loops run across rows; no contraction into fused multiply-adds:
 * -ffp-contract=off), so the results are the same bits on every machine
 * (lib/tests/test_fastpath.c compares them). LC_VERSIONS(ret, name,
 * (params), (args)) defines name_avx512, name_avx2 and name_base around
 * the always-inlined name_body; LC_RUN(name, (args)) calls one. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(LC_NO_VERSIONS)
#define LC_VERSIONS(RET, NAME, PARAMS, ARGS)                                                 \
    __attribute__((target("avx512f"))) static RET NAME##_avx512 PARAMS { return NAME##_body ARGS; } \
    __attribute__((target("avx2"))) static RET NAME##_avx2 PARAMS { return NAME##_body ARGS; }      \
    static RET NAME##_base PARAMS { return NAME##_body ARGS; }
#define LC_RUN(NAME, ARGS) \
    (lc_fast_isa() == LC_ISA_AVX512 ? NAME##_avx512 ARGS : lc_fast_isa() == LC_ISA_AVX2 ? NAME##_avx2 ARGS : NAME##_base ARGS)
#else
#define LC_VERSIONS(RET, NAME, PARAMS, ARGS) \
    static RET NAME##_base PARAMS { return NAME##_body ARGS; }
#define LC_RUN(NAME, ARGS) NAME##_base ARGS
#endif
#define LC_INLINE static inline __attribute__((always_inline))
/* A series into float storage takes the fast path only when every slot's
 * |value| is at least this (a power of two): a value that small or zero may
 * come out as a residue below float's range in the general path's order. */
#define LC_F32_SERIES_MIN 0x1p-60

/* A row as (first term s, count n, bound p, first exponent k0, step g). */
typedef struct drow {
    int64_t s, n, p, k0, g;
} drow;

/* One call: the operation, its operands and the result being written. */
typedef struct fenv {
    int kind;
    const lc_batch *a, *b;
    double s1, s2;  /* LC_FAST_ADD: s1·a + s2·b */
    int64_t N;      /* series: truncation depth·den */
    lc_batch *w;    /* the result being written */
    int64_t *cnt;   /* terms written per row */
    int uni;        /* every row may have row 0's exponents and bound (checked as it goes) */
    int w_ct;       /* out's coefficient type if its exponents are i32, else -1 */
} fenv;

/* A row's plan: result slots S (upper bound of its terms), first result
 * exponent K0, step u, bound P; for series also the δ layout. */
typedef struct plan {
    drow x, y;
    int64_t S, K0, u, P;
    int64_t i0, base; /* series: first δ term, exponent of δ's slot 0 */
} plan;

/* ------------------------------------------------------------ row blocks
 * LC_BLK rows at a time, term-major (X[slot][row]): the inner loops run
 * across rows (SIMD across rows), whatever each row's grid. Rows of a block
 * are zero-padded to the block's longest. */
enum { LC_BLK = 8 };
typedef double lc_col[LC_BLK];

/* For a product into float storage: 1 if every coefficient i ∈ [s, s+n)
 * of b has 2^-37 ≤ |c| ≤ 2^59 (tested on the bits). A product of two such
 * has partial products in [2^-74, 2^118], so every sum of at most LC_DMAX
 * of them, in any order, is 0 or a multiple of 2^-126 below 2^125: float
 * holds it, and no order can turn it into an error (a coefficient under-
 * or overflowing float) where another order cancels exactly. Otherwise the
 * general path decides. */
static inline int f32_mul_coefs_ok(const lc_batch *b, int64_t s, int64_t n)
{
    if (n <= 0) return 1;
    /* the coefficients' bits, read through types that may alias them (so
     * that the loop vectorises); the sign bit of (|c| − lo) | (hi − |c|) is
     * set iff |c| lies outside [lo, hi] */
    typedef uint32_t lc_bits32 __attribute__((may_alias));
    typedef uint64_t lc_bits64 __attribute__((may_alias));
#define LC_BITS_IN(T, P, MANT, BIAS)                                                                     \
    do {                                                                                                 \
        const T *c_ = (const T *)((P)b->coeffs + s);                                                     \
        T acc_ = 0, lo_ = (T)(BIAS - 37) << MANT, hi_ = (T)(BIAS + 59) << MANT, abs_ = ~(T)0 >> 1;       \
        for (int64_t i_ = 0; i_ < n; i_++) acc_ |= ((c_[i_] & abs_) - lo_) | (hi_ - (c_[i_] & abs_));   \
        return !(acc_ >> (8 * sizeof(T) - 1));                                                           \
    } while (0)
    if (b->ctype == LC_F32) LC_BITS_IN(lc_bits32, const float *, 23, 127);
    LC_BITS_IN(lc_bits64, const double *, 52, 1023);
#undef LC_BITS_IN
}

/* C = X·Y truncated to S slots. */
static inline void blk_mul(const lc_col *X, const lc_col *Y, int64_t S, lc_col *C)
{
#pragma GCC unroll 16
    for (int64_t j = 0; j < S; j++) {
        lc_col acc = {0};
#pragma GCC unroll 16
        for (int64_t i = 0; i <= j; i++)
            for (int r = 0; r < LC_BLK; r++) acc[r] += X[i][r] * Y[j - i][r];
        for (int r = 0; r < LC_BLK; r++) C[j][r] = acc[r];
    }
}

/* C = f(s + D) in S slots, D = δ with D[0] = 0, by the first-order
 * recurrences: exp: e_k = (1/k) Σ j d_j e_{k-j}; sin/cos: s_k = (1/k)
 * Σ j d_j c_{k-j}, c_k = -(1/k) Σ j d_j s_{k-j}; 1/(1+δ): q_k = -Σ d_j
 * q_{k-j}. f0 holds f(s) per row (and T the other of sin/cos). For 1/x,
 * D holds x's terms and scale 1/c0 per row: C = scale·1/(1 + scale·D). */
static inline void blk_series(int kind, lc_col *D, int64_t S, const double *f0, const double *g0,
                              const double *scale, lc_col *C, lc_col *T)
{
    if (kind != LC_FAST_RECIP)
        for (int64_t j = 1; j < S; j++)
            for (int r = 0; r < LC_BLK; r++) D[j][r] *= (double)j;
    else
        for (int64_t j = 1; j < S; j++)
            for (int r = 0; r < LC_BLK; r++) D[j][r] *= scale[r];
    lc_col *sn = kind == LC_FAST_COS ? T : C, *cs = kind == LC_FAST_COS ? C : T;
    for (int r = 0; r < LC_BLK; r++) C[0][r] = f0[r], T[0][r] = g0[r];
    for (int64_t k = 1; k < S; k++) {
        lc_col v = {0}, t = {0};
        if (kind == LC_FAST_SIN || kind == LC_FAST_COS) {
            for (int64_t j = 1; j <= k; j++)
                for (int r = 0; r < LC_BLK; r++) v[r] += D[j][r] * cs[k - j][r], t[r] += D[j][r] * sn[k - j][r];
            for (int r = 0; r < LC_BLK; r++) sn[k][r] = v[r] / (double)k, cs[k][r] = -t[r] / (double)k;
            continue;
        }
        for (int64_t j = 1; j <= k; j++)
            for (int r = 0; r < LC_BLK; r++) v[r] += D[j][r] * C[k - j][r];
        if (kind == LC_FAST_EXP)
            for (int r = 0; r < LC_BLK; r++) C[k][r] = v[r] / (double)k;
        else
            for (int r = 0; r < LC_BLK; r++) C[k][r] = -v[r];
    }
    if (kind == LC_FAST_RECIP)
        for (int64_t j = 0; j < S; j++)
            for (int r = 0; r < LC_BLK; r++) C[j][r] *= scale[r];
}

/* f(s) (and the other of sin/cos in *g) for a series row; 0 if it could
 * vanish or overflow (then the general path decides the bound). */
static inline int series_f0(int kind, double s, double *f, double *g)
{
    switch (kind) {
    case LC_FAST_EXP: *f = exp(s), *g = 0; return *f > 1e-200 && *f < 1e200;
    case LC_FAST_RECIP: *f = 1, *g = 0; return 1;
    case LC_FAST_SIN: *f = sin(s), *g = cos(s); break;
    default: *f = cos(s), *g = sin(s);
    }
    return fabs(*f) > 1e-200 && fabs(*g) > 1e-200;
}

/* ------------------------------------------------------ uniform batches
 * (fastpath_uni.c) The common case: every row of a (and b) has the
 * exponents, length and bound of its row 0 (int32 exponents, out int32).
 * Then row 0's plan is the
 * plan of every row: the result's exponents, length and bound are computed
 * once (kout, S, P), each operand's terms are placed by one map (term i →
 * slot), and a block of rows is checked (branch-free, against row 0),
 * loaded, computed and stored without per-row plans or calls. A block that
 * differs from row 0, a value that is not finite, does not fit out's types
 * or vanishes sends the call back to the per-row plans. */
typedef struct uplan {
    int64_t S, P, na, nb, sa, sb; /* result slots and bound; terms, row strides (0: broadcast) */
    int64_t lo, hi, hib;          /* terms of a placed: lo ≤ i < hi; of b: i < hib */
    int flat;                     /* add with one exponent list and one type: term by term */
    int stream;                   /* a flat sum larger than the caches: streaming stores */
    int c0;                       /* series: 1 if the rows' term 0 is the constant (or 1/x's scale) */
    int ida, idb;                 /* the map of a (b) is the identity: slot i is term i of every row */
    const int32_t *kout;          /* the result's exponents (S) */
    int32_t kbuf[LC_DMAX];
    int32_t ma[LC_DMAX], mb[LC_DMAX]; /* slot of term i of a, b */
} uplan;

/* Fills *u from row 0's plan q0 (sized, qualified, on its grid); 0 if the
 * uniform dense path cannot run. */
int lc_fast_uni_prepare(const fenv *e, const plan *q0, uplan *u);
/* 1 if the uniform sum of n rows into w (reserved) should be written with
 * streaming stores: a flat f64 sum, aligned storage, operands and result
 * at least lc_fast_stream_from's footprint. */
int lc_fast_uni_stream(const lc_batch *w, const uplan *u, int64_t n);
/* Rows r0 .. r0+m-1 (m ≤ LC_CHUNK) of a uniform batch into e->w: checked
 * against the rows before them, exponents, offsets and bounds written from
 * row 0's plan, coefficients computed and checked. 0 if the per-row path
 * must run instead. */
enum { LC_CHUNK = 64 };
int lc_fast_uni_chunk(const fenv *e, const uplan *u, int64_t r0, int m);

#endif /* INFNUM_FASTPATH_H */
