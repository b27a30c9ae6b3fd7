/* SPDX-License-Identifier: MIT */
/* Fast path, uniform batches: every row of a (and b) has row 0's
 * exponents, length and bound (fastpath.h), so row 0's plan serves every
 * row and blocks of rows run the dense loops without per-row plans. */
#include "fastpath.h"

#include <float.h>
#include <string.h>

/* Nonzero if a row r0 ≤ r < r0 + m of b differs from the row before it in
 * its bound or exponents: then not every row is row 0. Flat loops over
 * contiguous memory (SIMD, no branch). Lengths need no check: b has
 * nrows·n0 terms (checked by fastpath.c's uni_setup), and a row as long as
 * n0 + 1 would repeat an exponent of the n0-periodic list, so every row has
 * n0 terms. */
static inline int64_t blk_differs(const lc_batch *b, int64_t r0, int m, int64_t n0)
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

int lc_fast_uni_prepare(const fenv *e, const plan *q0, uplan *u)
{
    const lc_batch *a = e->a, *b = e->b;
    const int32_t *ka = a->exps, *kb = b ? b->exps : NULL;
    u->S = q0->S, u->P = q0->P, u->na = q0->x.n, u->nb = b ? q0->y.n : 0;
    u->sa = a->nrows == 1 ? 0 : u->na, u->sb = b && b->nrows > 1 ? u->nb : 0;
    u->lo = u->hi = u->hib = 0, u->flat = 0, u->c0 = 0, u->kout = u->kbuf;
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
        return 1;
    }
    u->lo = q0->i0;
    u->c0 = e->kind == LC_FAST_RECIP || q0->x.k0 == 0;
    uni_map(a, q0->i0, u->na, q0->base, q0->u, u->S, u->ma, &u->hi);
    return 1;
}

/* X[map[i]][t] = coefficient i of row r0 + t (lo ≤ i < hi), zero elsewhere. */
static inline void uni_load(const lc_batch *b, const int32_t *map, int64_t lo, int64_t hi, int64_t stride,
                            int64_t r0, int m, int64_t S, lc_col *X)
{
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
static int f64_clean(const double *x, int64_t len)
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
static int f32_clean_min(const float *x, int64_t len, float lo)
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
static int f32_clean(const float *x, int64_t len) { return f32_clean_min(x, len, 0x1p-149f); }

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

/* Rows r0 .. r0+m-1 (m ≤ LC_BLK) of a uniform batch (not flat): loaded,
 * computed and stored; 0 if f(s) of a series row could vanish or overflow. */
static inline int uni_block_s(const fenv *e, const uplan *u, int64_t r0, int m, int64_t S)
{
    lc_col X[LC_DMAX], Y[LC_DMAX], C[LC_DMAX], T[LC_DMAX];
    uni_load(e->a, u->ma, u->lo, u->hi, u->sa, r0, m, S, X);
    if (e->b) uni_load(e->b, u->mb, 0, u->hib, u->sb, r0, m, S, Y);
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
static int uni_block(const fenv *e, const uplan *u, int64_t r0, int m)
{
    if (u->S == 8 && m == LC_BLK) return uni_block_s(e, u, r0, LC_BLK, 8);
    return uni_block_s(e, u, r0, m, u->S);
}

/* By blocks of LC_BLK rows. */
int lc_fast_uni_chunk(const fenv *e, const uplan *u, int64_t r0, int m)
{
    lc_batch *w = e->w;
    int64_t S = u->S, len = m * S;
    int ok = 1;
    if (blk_differs(e->a, r0, m, u->na) | (e->b ? blk_differs(e->b, r0, m, u->nb) : 0)) return 0;
    for (int t = 0; t < m; t++) {
        w->row_ptr[r0 + t + 1] = (r0 + t + 1) * S;
        w->bound[r0 + t] = u->P;
    }
    if (S == 0) return 1; /* rows without terms (w may have no storage) */
    int32_t *ko = (int32_t *)w->exps + r0 * S;
    memcpy(ko, u->kout, (size_t)S * sizeof(int32_t));
    for (int64_t have = 1; S > 0 && have < m; have *= 2) /* rows 0..have-1 written: double them */
        memcpy(ko + have * S, ko, (size_t)((have < m - have ? have : m - have) * S) * sizeof(int32_t));
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
