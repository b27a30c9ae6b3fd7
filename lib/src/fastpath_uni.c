/* SPDX-License-Identifier: MIT */
/* Fast path, uniform batches: every row of a (and b) has row 0's
 * exponents, length and bound (fastpath.h), so row 0's plan serves every
 * row and blocks of rows run the dense loops without per-row plans. */
#include "fastpath.h"

#include <float.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) && defined(__SSE2__) && defined(_SC_LEVEL3_CACHE_SIZE)
#define LC_STREAM 1
#include <emmintrin.h>
#else
#define LC_STREAM 0
#endif

/* Nonzero if a row r0 ≤ r < r0 + m of b differs from the row before it in
 * its bound or exponents: then not every row is row 0. Flat loops over
 * contiguous memory (SIMD, no branch). Lengths need no check: b has
 * nrows·n0 terms (checked by fastpath.c's uni_setup), and a row as long as
 * n0 + 1 would repeat an exponent of the n0-periodic list, so every row has
 * n0 terms. */
LC_INLINE int64_t blk_differs(const lc_batch *b, int64_t r0, int m, int64_t n0)
{
    if (b->nrows == 1) return 0;
    int64_t d = 0, lo = r0 ? r0 : 1; /* row 0 is row 0 */
    const int64_t *bd = b->bound;
    const int32_t *k = b->exps;
    int32_t dk = 0;
    for (int64_t r = lo; r < r0 + m; r++) d |= bd[r] ^ bd[r - 1];
    for (int64_t i = lo * n0; i < (r0 + m) * n0; i++) dk |= k[i] ^ k[i - n0];
    return d | dk;
}

/* Slots of the terms lo ≤ i < hi of row 0 of b: (k_i - base)/u, kept while
 * below S (a prefix of the terms: exponents increase). Sets *hi. */
static void uni_map(const lc_batch *b, int64_t lo, int64_t n, int64_t base, int64_t u, int64_t S,
                    int32_t *map, int64_t *hi)
{
    const int32_t *k = b->exps;
    int64_t i = lo;
    for (; i < n && ((int64_t)k[i] - base) / u < S; i++) map[i] = (int32_t)(((int64_t)k[i] - base) / u);
    *hi = i;
}

/* 1 if the map places term i at slot i for every slot (0 = lo, hi = S =
 * stride): rows load as a plain transpose. */
static int uni_ident(const int32_t *map, int64_t lo, int64_t hi, int64_t stride, int64_t S)
{
    int ok = lo == 0 && hi == S && stride == S && S > 0;
    for (int64_t i = 0; ok && i < S; i++) ok = map[i] == i;
    return ok;
}

int lc_fast_uni_prepare(const fenv *e, const plan *q0, uplan *u)
{
    const lc_batch *a = e->a, *b = e->b;
    const int32_t *ka = a->exps, *kb = b ? b->exps : NULL;
    u->S = q0->S, u->P = q0->P, u->na = q0->x.n, u->nb = b ? q0->y.n : 0;
    u->sa = a->nrows == 1 ? 0 : u->na, u->sb = b && b->nrows > 1 ? u->nb : 0;
    u->lo = u->hi = u->hib = 0, u->flat = u->stream = u->ida = u->idb = 0, u->c0 = 0, u->kout = u->kbuf;
    if (e->w_ct < 0) return 0;
    if (e->kind == LC_FAST_ADD) {
        u->flat = u->na == u->nb && a->ctype == b->ctype && e->w_ct == (int)a->ctype &&
                  (u->na == 0 || !memcmp(ka, kb, (size_t)u->na * sizeof(int32_t)));
        if (u->flat) return u->kout = ka, u->hi = u->hib = u->S, 1;
        if (u->S > LC_DMAX) return 0;
        int64_t i = 0, j = 0, m = 0;
        while (m < u->S) { /* the merge of row 0 (q0->S terms below P) */
            int64_t kx = i < u->na ? ka[i] : INT64_MAX, ky = j < u->nb ? kb[j] : INT64_MAX;
            int64_t k = kx < ky ? kx : ky;
            if (kx == k) u->ma[i++] = (int32_t)m;
            if (ky == k) u->mb[j++] = (int32_t)m;
            u->kbuf[m++] = (int32_t)k;
        }
        return u->hi = i, u->hib = j, 1;
    }
    int64_t last;
    if (u->S > LC_DMAX) return 0;
    if (u->S > 0 && (!lc_mul_i64(u->S - 1, q0->u, &last) || !lc_add_i64(q0->K0, last, &last) ||
                     q0->K0 < INT32_MIN || last > INT32_MAX))
        return 0;
    for (int64_t j = 0; j < u->S; j++) u->kbuf[j] = (int32_t)(q0->K0 + j * q0->u);
    if (e->kind == LC_FAST_MUL) {
        if (u->S > 0) {
            uni_map(a, 0, u->na, q0->x.k0, q0->u, u->S, u->ma, &u->hi);
            uni_map(b, 0, u->nb, q0->y.k0, q0->u, u->S, u->mb, &u->hib);
        }
        u->ida = uni_ident(u->ma, 0, u->hi, u->sa, u->S), u->idb = uni_ident(u->mb, 0, u->hib, u->sb, u->S);
        return 1;
    }
    u->lo = q0->i0;
    u->c0 = e->kind == LC_FAST_RECIP || q0->x.k0 == 0;
    uni_map(a, q0->i0, u->na, q0->base, q0->u, u->S, u->ma, &u->hi);
    u->ida = uni_ident(u->ma, u->lo, u->hi, u->sa, u->S);
    return 1;
}

/* X[map[i]][t] = coefficient i of row r0 + t (lo ≤ i < hi), zero elsewhere;
 * ident: the map is the identity (uni_ident). */
LC_INLINE void uni_load(const lc_batch *b, const int32_t *map, int64_t lo, int64_t hi, int64_t stride,
                        int64_t r0, int m, int64_t S, int ident, lc_col *X)
{
    if (ident && b->ctype == LC_F64) { /* every slot is a term */
        const double *c = (const double *)b->coeffs + r0 * S;
        for (int t = 0; t < m; t++)
            for (int64_t j = 0; j < S; j++) X[j][t] = c[t * S + j];
        for (int t = m; t < LC_BLK; t++)
            for (int64_t j = 0; j < S; j++) X[j][t] = 0.0;
        return;
    }
    for (int64_t j = 0; j < S; j++)
        for (int t = 0; t < LC_BLK; t++) X[j][t] = 0.0;
    if (hi <= lo) return; /* nothing to place (b may have no storage) */
    if (b->ctype == LC_F64) {
        const double *c = (const double *)b->coeffs + r0 * stride;
        for (int64_t i = lo; i < hi; i++)
            for (int t = 0; t < m; t++) X[map[i]][t] = c[t * stride + i];
    } else {
        const float *c = (const float *)b->coeffs + r0 * stride;
        for (int64_t i = lo; i < hi; i++)
            for (int t = 0; t < m; t++) X[map[i]][t] = c[t * stride + i];
    }
}

/* 1 if the len values of x are finite and nonzero. On the bits of |x|
 * (SIMD, no branch): |x| + 2^52 carries into the sign bit iff |x| is inf or
 * NaN (exponent field all ones); |x| - 1 borrows into it iff x = ±0. */
static inline int f64_clean(const double *x, int64_t len)
{
    uint64_t acc = 0;
    for (int64_t i = 0; i < len; i++) {
        uint64_t u;
        memcpy(&u, &x[i], sizeof u);
        u &= 0x7fffffffffffffffu;
        acc |= (u + (UINT64_C(1) << 52)) | (u - 1);
    }
    return !(acc >> 63);
}
/* f32_clean, and every |x| at least lo, a power of two 2^e (0 < lo ≤ 1):
 * below it, the bits of |x| are below those of lo. */
static inline int f32_clean_min(const float *x, int64_t len, float lo)
{
    uint32_t acc = 0, t;
    memcpy(&t, &lo, sizeof t);
    for (int64_t i = 0; i < len; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u);
        u &= 0x7fffffffu;
        acc |= (u + (UINT32_C(1) << 23)) | (u - t);
    }
    return !(acc >> 31);
}
static inline int f32_clean(const float *x, int64_t len) { return f32_clean_min(x, len, 0x1p-149f); }

/* Stores C (S slots of rows t < m) at row r0 of w (S terms a row) in w's
 * coefficient type. */
static inline void uni_store(lc_batch *w, int64_t r0, int m, int64_t S, const lc_col *C)
{
    if (S == 0) return;
    if (w->ctype == LC_F64) {
        double *co = (double *)w->coeffs + r0 * S;
        for (int t = 0; t < m; t++)
            for (int64_t j = 0; j < S; j++) co[t * S + j] = C[j][t];
    } else {
        float *co = (float *)w->coeffs + r0 * S;
        for (int t = 0; t < m; t++)
            for (int64_t j = 0; j < S; j++) co[t * S + j] = (float)C[j][t];
    }
}

/* o = a + s2·b over len values of type T; 0 if a value is not finite or
 * vanishes. */
#define LC_FLAT_ADD(T, NAME)                                                                          \
    static int NAME(const T *restrict a, const T *restrict b, double s2, T *restrict o, int64_t len) \
    {                                                                                                 \
        for (int64_t i = 0; i < len; i++) o[i] = (T)((double)a[i] + s2 * (double)b[i]);              \
        return T##_clean_(o, len);                                                                    \
    }
#define double_clean_ f64_clean
#define float_clean_ f32_clean
LC_FLAT_ADD(double, flat_add_f64)
LC_FLAT_ADD(float, flat_add_f32)

/* ------------------------------------------------ streaming stores
 * A flat sum whose operands and result do not fit in the caches is bound
 * by memory traffic; stored the usual way, every line of the result is
 * first read into the cache (write-allocate). Streaming stores write it
 * around the caches: the same values, a third less traffic. */
#if LC_STREAM
static _Atomic int64_t stream_from; /* bytes; 0: the last-level cache's size */
static _Atomic int64_t stream_calls;

int64_t lc_fast_stream_calls(void) { return atomic_load_explicit(&stream_calls, memory_order_relaxed); }

void lc_fast_stream_from(int64_t bytes) { atomic_store_explicit(&stream_from, bytes > 0 ? bytes : 0, memory_order_relaxed); }

static int64_t llc_bytes(void)
{
    static _Atomic int64_t llc; /* read once */
    int64_t v = atomic_load_explicit(&llc, memory_order_relaxed);
    if (v > 0) return v;
    long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    v = l3 > 0 ? l3 : l2 > 0 ? 4 * (int64_t)l2 : INT64_C(32) << 20;
    atomic_store_explicit(&llc, v, memory_order_relaxed);
    return v;
}

int lc_fast_uni_stream(const lc_batch *w, const uplan *u, int64_t n)
{
    int64_t from = atomic_load_explicit(&stream_from, memory_order_relaxed);
    double bytes = 3.0 * (double)n * ((double)u->S * 12.0 + 16.0); /* a, b and w: terms, offset and bound */
    int yes = u->flat && w->ctype == LC_F64 && u->S > 0 && u->S % 4 == 0 && u->sa == u->S && u->sb == u->S &&
              !((uintptr_t)w->coeffs & 15) && !((uintptr_t)w->exps & 15) &&
              bytes >= (double)(from ? from : llc_bytes());
    if (yes) atomic_fetch_add_explicit(&stream_calls, 1, memory_order_relaxed);
    return yes;
}

/* The flat sum of rows r0 .. r0+m-1 (lc_fast_uni_stream said yes; rows
 * checked by blk_differs): offsets, bounds, exponents and coefficients
 * written with streaming stores, each value checked (finite, nonzero)
 * before it is stored: nothing is read back. The same arithmetic as
 * flat_add_f64. */
LC_INLINE int uni_chunk_stream(const fenv *e, const uplan *u, int64_t r0, int m)
{
    lc_batch *w = e->w;
    int64_t S = u->S, len = m * S;
    const double *a = (const double *)e->a->coeffs + r0 * S, *b = (const double *)e->b->coeffs + r0 * S;
    double *o = (double *)w->coeffs + r0 * S;
    int32_t *ko = (int32_t *)w->exps + r0 * S;
    for (int t = 0; t < m; t++) {
        _mm_stream_si64((long long *)&w->row_ptr[r0 + t + 1], (long long)((r0 + t + 1) * S));
        _mm_stream_si64((long long *)&w->bound[r0 + t], (long long)u->P);
    }
    for (int t = 0; t < m; t++)
        for (int64_t j = 0; j < S; j += 4)
            _mm_stream_si128((__m128i *)(ko + t * S + j), _mm_loadu_si128((const __m128i *)(u->kout + j)));
    const __m128i absm = _mm_set1_epi64x(INT64_MAX), e52 = _mm_set1_epi64x(INT64_C(1) << 52), one = _mm_set1_epi64x(1);
    __m128i acc = _mm_setzero_si128();
    __m128d s2 = _mm_set1_pd(e->s2);
    for (int64_t i = 0; i < len; i += 2) { /* as f64_clean, two at a time */
        __m128d v = _mm_add_pd(_mm_loadu_pd(a + i), _mm_mul_pd(s2, _mm_loadu_pd(b + i)));
        __m128i x = _mm_and_si128(_mm_castpd_si128(v), absm);
        acc = _mm_or_si128(acc, _mm_or_si128(_mm_add_epi64(x, e52), _mm_sub_epi64(x, one)));
        _mm_stream_pd(o + i, v);
    }
    _mm_sfence();
    acc = _mm_or_si128(acc, _mm_unpackhi_epi64(acc, acc));
    return !((uint64_t)_mm_cvtsi128_si64(acc) >> 63);
}
#else
void lc_fast_stream_from(int64_t bytes) { (void)bytes; }
int64_t lc_fast_stream_calls(void) { return 0; }
int lc_fast_uni_stream(const lc_batch *w, const uplan *u, int64_t n) { return (void)w, (void)u, (void)n, 0; }
#endif

/* Rows r0 .. r0+m-1 (m ≤ LC_BLK) of a uniform batch (not flat): loaded,
 * computed and stored; 0 if f(s) of a series row could vanish or overflow. */
LC_INLINE int uni_block_s(const fenv *e, const uplan *u, int64_t r0, int m, int64_t S)
{
    lc_col X[LC_DMAX], Y[LC_DMAX], C[LC_DMAX], T[LC_DMAX];
    uni_load(e->a, u->ma, u->lo, u->hi, u->sa, r0, m, S, u->ida, X);
    if (e->b) uni_load(e->b, u->mb, 0, u->hib, u->sb, r0, m, S, u->idb, Y);
    if (e->kind == LC_FAST_ADD) {
        for (int64_t j = 0; j < S; j++)
            for (int t = 0; t < LC_BLK; t++) C[j][t] = X[j][t] + e->s2 * Y[j][t];
    } else if (e->kind == LC_FAST_MUL) {
        blk_mul(X, Y, S, C);
    } else {
        double f0[LC_BLK], g0[LC_BLK], scale[LC_BLK];
        int ok = 1;
        for (int t = 0; t < LC_BLK; t++) {
            double c = t < m && u->c0 ? lc_get_c(e->a, (r0 + t) * u->sa) : 0.0;
            scale[t] = 1.0;
            if (e->kind == LC_FAST_RECIP) scale[t] = t < m ? 1.0 / c : 1.0, c = 0.0;
            ok &= series_f0(e->kind, c, &f0[t], &g0[t]) | (t >= m);
        }
        if (!ok) return 0;
        if (S > 0)
            for (int t = 0; t < LC_BLK; t++) X[0][t] = 0.0;
        blk_series(e->kind, X, S, f0, g0, scale, C, T);
    }
    uni_store(e->w, r0, m, S, C);
    return 1;
}

/* uni_block_s, with the reference case (full blocks of 8 terms) compiled
 * for constant sizes: the loops unroll. */
LC_INLINE int uni_block(const fenv *e, const uplan *u, int64_t r0, int m)
{
    if (u->S == 8 && m == LC_BLK) return uni_block_s(e, u, r0, LC_BLK, 8);
    return uni_block_s(e, u, r0, m, u->S);
}

/* By blocks of LC_BLK rows. */
LC_INLINE int uni_chunk_body(const fenv *e, const uplan *u, int64_t r0, int m)
{
    lc_batch *w = e->w;
    int64_t S = u->S, len = m * S;
    int ok = 1;
    if (blk_differs(e->a, r0, m, u->na) | (e->b ? blk_differs(e->b, r0, m, u->nb) : 0)) return 0;
#if LC_STREAM
    if (u->stream) return uni_chunk_stream(e, u, r0, m);
#endif
    for (int t = 0; t < m; t++) {
        w->row_ptr[r0 + t + 1] = (r0 + t + 1) * S;
        w->bound[r0 + t] = u->P;
    }
    if (S == 0) return 1; /* rows without terms (w may have no storage) */
    int32_t *ko = (int32_t *)w->exps + r0 * S;
    if (S == 8) /* the reference rows: a constant-size copy per row */
        for (int t = 0; t < m; t++) memcpy(ko + 8 * t, u->kout, 8 * sizeof(int32_t));
    else
        for (int t = 0; t < m; t++) memcpy(ko + t * S, u->kout, (size_t)S * sizeof(int32_t));
    if (u->flat) { /* all at once when the rows are contiguous, else row by row */
        int whole = u->sa == S && u->sb == S;
        for (int t = 0; t < (whole ? 1 : m); t++) {
            int64_t oa = (r0 + t) * u->sa, ob = (r0 + t) * u->sb, oo = (r0 + t) * S, l = whole ? len : S;
            if (w->ctype == LC_F64)
                ok &= flat_add_f64((const double *)e->a->coeffs + oa, (const double *)e->b->coeffs + ob, e->s2,
                                   (double *)w->coeffs + oo, l);
            else
                ok &= flat_add_f32((const float *)e->a->coeffs + oa, (const float *)e->b->coeffs + ob, e->s2,
                                   (float *)w->coeffs + oo, l);
        }
        return ok;
    }
    if (e->kind == LC_FAST_MUL && w->ctype == LC_F32 && /* the chunk's operands (fastpath.h says why) */
        !(f32_mul_coefs_ok(e->a, r0 * u->sa, (m - 1) * u->sa + u->na) &&
          f32_mul_coefs_ok(e->b, r0 * u->sb, (m - 1) * u->sb + u->nb)))
        return 0;
    for (int t = 0; t < m; t += LC_BLK) ok &= uni_block(e, u, r0 + t, m - t < LC_BLK ? m - t : LC_BLK);
    if (!ok) return 0;
    if (w->ctype == LC_F64) return f64_clean((const double *)w->coeffs + r0 * S, len);
    /* a series: no slot near float's range (fast_block says why) */
    return f32_clean_min((const float *)w->coeffs + r0 * S, len, e->kind >= LC_FAST_EXP ? LC_F32_SERIES_MIN : 0x1p-149f);
}
LC_VERSIONS(int, uni_chunk, (const fenv *e, const uplan *u, int64_t r0, int m), (e, u, r0, m))

int lc_fast_uni_chunk(const fenv *e, const uplan *u, int64_t r0, int m) { return LC_RUN(uni_chunk, (e, u, r0, m)); }

/* ------------------------------------------------------------ versions */
static _Atomic int isa_now = -1; /* -1: not chosen yet */

int lc_fast_isa_max(void)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(LC_NO_VERSIONS)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return LC_ISA_AVX512;
    if (__builtin_cpu_supports("avx2")) return LC_ISA_AVX2;
#endif
    return LC_ISA_BASE;
}

void lc_fast_isa_set(int isa)
{
    int best = lc_fast_isa_max();
    if (isa < 0) {
        const char *v = getenv("INFNUM_ISA");
        isa = !v ? best : !strcmp(v, "avx512") ? LC_ISA_AVX512 : !strcmp(v, "avx2") ? LC_ISA_AVX2 : LC_ISA_BASE;
    }
    atomic_store_explicit(&isa_now, isa < best ? isa : best, memory_order_relaxed);
}

int lc_fast_isa(void)
{
    int v = atomic_load_explicit(&isa_now, memory_order_relaxed);
    if (v < 0) lc_fast_isa_set(-1), v = atomic_load_explicit(&isa_now, memory_order_relaxed);
    return v;
}

const char *lc_isa_name(void)
{
    static const char *const name[] = {"baseline", "avx2", "avx512"};
    return name[lc_fast_isa()];
}
