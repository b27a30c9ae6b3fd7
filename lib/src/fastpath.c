/* SPDX-License-Identifier: MIT */
/* Fast paths of the batched arithmetic: add/sub, mul, exp, sin, cos and the
 * reciprocal, written straight into the output's storage (no wide copy, no
 * per-call allocation once out and ctx->spare have room; out is untouched
 * unless the call succeeds) and, for products and series, on
 * dense rows: a row whose exponents form an arithmetic progression
 * k0, k0 + g, ..., k0 + (n-1)g ("a small contiguous grid") is held as a
 * dense array of slots on the stack and the truncated products and series
 * are computed with the dense recurrences (Cauchy product; exp, sin/cos and
 * 1/x by their first-order ODE recurrences).
 *
 * Dispatch is per batch. A uniform batch (every row has row 0's exponents
 * and bound) plans row 0 only and runs the dense loops across rows by
 * chunks, checking each chunk against the rows before it (branch-free
 * loops) as it goes; otherwise, or if a chunk differs, pass 1 plans every
 * row (bound, slots, on its grid) into the context's scratch. Pass 2 computes blocks of 8 rows (OpenMP over
 * blocks) straight into out and checks every value is finite and fits
 * out's types; pass 3 closes the gaps of rows that came out shorter (exact
 * cancellations). When a row does not qualify the call returns "not
 * handled" and the general path (arith.c, series.c) runs instead: it
 * reports errors and handles every other case. Results agree with the
 * general path up to rounding (lib/tests/test_fastpath.c). */
#include "fastpath.h"
#include "infnum/raw_series.h"

#include <float.h>
#include <string.h>

#ifdef _OPENMP
#define LC_PRAGMA(x) _Pragma(#x)
#define LC_OMP_FOR(nt, red) LC_PRAGMA(omp parallel for schedule(static) num_threads(nt) red)
#else
#define LC_OMP_FOR(nt, red)
#endif

/* Reads row r of b (row 0 if b has one row). Returns 0 if k1 - k0
 * overflows (then the row is not on a grid we can use). */
static inline int drow_get(const lc_batch *b, int64_t r, drow *d)
{
    if (b->nrows == 1) r = 0;
    d->s = b->row_ptr[r];
    d->n = b->row_ptr[r + 1] - d->s;
    d->p = b->bound[r];
    d->k0 = d->n ? lc_get_k(b, d->s) : 0;
    d->g = 0;
    return d->n < 2 || lc_sub_i64(lc_get_k(b, d->s + 1), d->k0, &d->g);
}

/* x[ld·(k_i - base)/u] = c_i for the terms i0 ≤ i < n of a row on its grid
 * (checked when planning), zero elsewhere in x[0..S-1]; terms at slot ≥ S
 * are dropped. u divides k0 - base and g. */
static inline void drow_load(const lc_batch *b, const drow *d, int64_t i0, int64_t base, int64_t u,
                             int64_t S, double *x, int64_t ld)
{
    if (i0 >= d->n) {
        for (int64_t j = 0; j < S; j++) x[j * ld] = 0.0;
        return;
    }
    /* slot of term i0 and slots per term; no division in the common cases */
    int64_t v = d->k0 + i0 * d->g - base, j0 = v == 0 ? 0 : v == u ? 1 : v / u;
    int64_t gs = d->g == u ? 1 : d->g / u, n = d->n;
    int64_t cnt = j0 >= S ? 0 : gs == 1 ? S - j0 : gs > 0 ? (S - j0 - 1) / gs + 1 : 1; /* terms below slot S */
    if (i0 + cnt < n) n = i0 + cnt;
    if (gs == 1) { /* contiguous: zero only the slots the terms leave */
        for (int64_t j = 0; j < j0 && j < S; j++) x[j * ld] = 0.0;
        for (int64_t j = j0 + (n - i0); j < S; j++) x[j * ld] = 0.0;
    } else {
        for (int64_t j = 0; j < S; j++) x[j * ld] = 0.0;
    }
    if (n <= i0) return; /* no term below slot S (j0 may be huge) */
    double *xp = x + j0 * ld; /* slot j0 + (i - i0)·gs < S for the terms kept (no stride overflow) */
    if (b->ctype == LC_F64 && gs == 1) { /* the common case: a constant stride */
        const double *c = (const double *)b->coeffs + d->s + i0;
        for (int64_t i = 0; i < n - i0; i++) xp[i * ld] = c[i];
    } else if (b->ctype == LC_F64) {
        const double *c = (const double *)b->coeffs + d->s;
        for (int64_t i = i0; i < n; i++) xp[(i - i0) * gs * ld] = c[i];
    } else {
        const float *c = (const float *)b->coeffs + d->s;
        for (int64_t i = i0; i < n; i++) xp[(i - i0) * gs * ld] = c[i];
    }
}

/* Writes the nonzero slots v[0], v[ld], ..., v[(S-1)·ld] (clean: known
 * finite and nonzero) as terms K0 + j·u at offset o of b, in b's types
 * (exact zeros dropped). Returns the count, or -1 if a value is not
 * finite, underflows float, or an exponent does not fit b's types. */
static inline int64_t put_slots(lc_batch *b, int64_t o, int64_t K0, int64_t u, const double *v,
                                int64_t S, int64_t ld, int clean)
{
    int64_t m = 0, last;
    if (S == 0) return 0;
    if (!lc_mul_i64(S - 1, u, &last) || !lc_add_i64(K0, last, &last) || last == LC_EXACT) return -1;
    if (b->etype == LC_I32 && (K0 < INT32_MIN || last > INT32_MAX)) return -1;
    if (clean && b->etype == LC_I32 && b->ctype == LC_F64) { /* finite, nonzero: copy */
        int32_t *k = (int32_t *)b->exps + o;
        double *c = (double *)b->coeffs + o;
        for (int64_t j = 0; j < S; j++) k[j] = (int32_t)(K0 + j * u), c[j] = v[j * ld];
        return S;
    }
    if (clean && b->etype == LC_I32) { /* f32: copy unless a value leaves float's range */
        int32_t *k = (int32_t *)b->exps + o;
        float *c = (float *)b->coeffs + o;
        int bad = 0;
        for (int64_t j = 0; j < S; j++) {
            float x = (float)v[j * ld];
            bad |= !(fabsf(x) <= FLT_MAX) | (x == 0);
            k[j] = (int32_t)(K0 + j * u), c[j] = x;
        }
        if (!bad) return S;
    }
    if (b->etype == LC_I32 && b->ctype == LC_F64) {
        int32_t *k = (int32_t *)b->exps + o;
        double *c = (double *)b->coeffs + o;
        int bad = 0, zero = 0;
        for (int64_t j = 0; j < S; j++) { /* every slot, then drop zeros (rare) */
            double x = v[j * ld];
            bad |= !(fabs(x) <= DBL_MAX);
            zero |= x == 0;
            k[j] = (int32_t)(K0 + j * u);
            c[j] = x;
        }
        if (bad) return -1;
        if (!zero) return S;
        for (int64_t j = 0; j < S; j++)
            if (c[j] != 0) k[m] = k[j], c[m++] = c[j];
        return m;
    }
    for (int64_t j = 0; j < S; j++) {
        double x = b->ctype == LC_F32 ? (double)(float)v[j * ld] : v[j * ld];
        if (!(fabs(x) <= (b->ctype == LC_F32 ? FLT_MAX : DBL_MAX))) return -1;
        if (x == 0 && v[j * ld] != 0) return -1; /* float underflow: the general path reports it */
        if (x == 0) continue;
        if (b->etype == LC_I32) ((int32_t *)b->exps)[o + m] = (int32_t)(K0 + j * u);
        else ((int64_t *)b->exps)[o + m] = K0 + j * u;
        if (b->ctype == LC_F32) ((float *)b->coeffs)[o + m] = (float)x;
        else ((double *)b->coeffs)[o + m] = x;
        m++;
    }
    return m;
}

/* Slots j ≥ 0 with base + j·u < p (p may be LC_EXACT: then full). */
static inline int64_t slots_below(int64_t base, int64_t u, int64_t p, int64_t full)
{
    int64_t span;
    if (p == LC_EXACT) return full;
    if (!lc_sub_i64(p, base, &span)) return p > base ? full : 0;
    if (span <= 0) return 0;
    int64_t s = u == 1 ? span : (span - 1) / u + 1;
    return s < full ? s : full;
}

/* merge_rows on int32 exponents and double coefficients in and out (the
 * usual storage): the same values in the same order, on raw arrays. */
static int64_t merge_i32_f64(const lc_batch *a, const drow *x, double s1, const lc_batch *b,
                             const drow *y, double s2, int64_t P, lc_batch *w, int64_t o)
{
    const int32_t *ka = x->n ? (const int32_t *)a->exps + x->s : NULL;
    const int32_t *kb = y->n ? (const int32_t *)b->exps + y->s : NULL;
    const double *ca = x->n ? (const double *)a->coeffs + x->s : NULL;
    const double *cb = y->n ? (const double *)b->coeffs + y->s : NULL;
    int64_t nx = x->n, ny = y->n, i = 0, j = 0, m = 0;
    while (nx > 0 && ka[nx - 1] >= P) nx--; /* the terms at or beyond P are dropped */
    while (ny > 0 && kb[ny - 1] >= P) ny--;
    if (!w) { /* count the union */
        while (i < nx && j < ny) {
            int32_t kx = ka[i], ky = kb[j];
            i += kx <= ky, j += ky <= kx, m++;
        }
        return m + (nx - i) + (ny - j);
    }
    if (nx == 0 && ny == 0) return 0; /* w may have no storage */
    int32_t *ko = (int32_t *)w->exps + o;
    double *co = (double *)w->coeffs + o;
    while (i < nx || j < ny) {
        int32_t k;
        double v = 0.0;
        if (j >= ny || (i < nx && ka[i] < kb[j])) k = ka[i], v = s1 * ca[i++];
        else if (i >= nx || kb[j] < ka[i]) k = kb[j], v += s2 * cb[j++];
        else k = ka[i], v = s1 * ca[i++], v += s2 * cb[j++];
        if (!(fabs(v) <= DBL_MAX)) return -1;
        if (v != 0) ko[m] = k, co[m++] = v;
    }
    return m;
}

/* s1·x + s2·y of two sorted rows, terms below P, exact zeros dropped:
 * writes at offset o of w in w's types, or only counts when w is NULL.
 * Returns the count, or -1 if a value is not finite or does not fit. */
static int64_t merge_rows(const lc_batch *a, const drow *x, double s1, const lc_batch *b,
                          const drow *y, double s2, int64_t P, lc_batch *w, int64_t o)
{
    int64_t i = 0, j = 0, m = 0;
    int fast = a->etype == LC_I32 && b->etype == LC_I32 && a->ctype == LC_F64 && b->ctype == LC_F64;
    if (fast && x->n == y->n && x->n > 0 && /* rows without terms may have no exps array at all */
        !memcmp((const int32_t *)a->exps + x->s, (const int32_t *)b->exps + y->s, (size_t)x->n * 4)) {
        /* the same exponents: coefficient by coefficient */
        const int32_t *k = (const int32_t *)a->exps + x->s;
        const double *ca = (const double *)a->coeffs + x->s, *cb = (const double *)b->coeffs + y->s;
        int64_t n = x->n;
        while (n > 0 && k[n - 1] >= P) n--;
        if (!w) return n;
        if (w->etype == LC_I32 && w->ctype == LC_F64) {
            int32_t *ko = (int32_t *)w->exps + o;
            double *co = (double *)w->coeffs + o;
            int bad = 0, zero = 0;
            for (i = 0; i < n; i++) { /* every term, then drop exact cancellations (rare) */
                double v = s1 * ca[i] + s2 * cb[i];
                bad |= !(fabs(v) <= DBL_MAX);
                zero |= v == 0;
                ko[i] = k[i];
                co[i] = v;
            }
            if (bad) return -1;
            if (!zero) return n;
            for (i = 0; i < n; i++)
                if (co[i] != 0) ko[m] = ko[i], co[m++] = co[i];
            return m;
        }
    }
    if (fast && (!w || (w->etype == LC_I32 && w->ctype == LC_F64)))
        return merge_i32_f64(a, x, s1, b, y, s2, P, w, o);
    while (i < x->n || j < y->n) {
        int64_t kx = i < x->n ? lc_get_k(a, x->s + i) : INT64_MAX;
        int64_t ky = j < y->n ? lc_get_k(b, y->s + j) : INT64_MAX;
        int64_t k = kx < ky ? kx : ky;
        if (k >= P) break;
        double v = 0.0;
        if (kx == k) v = s1 * lc_get_c(a, x->s + i++);
        if (ky == k) v += s2 * lc_get_c(b, y->s + j++);
        if (!w) {
            m++;
            continue;
        }
        int64_t t = put_slots(w, o + m, k, 1, &v, 1, 1, 0);
        if (t < 0) return -1;
        m += t;
    }
    return m;
}

/* ------------------------------------------------------------- operations */

/* 1 if the row's exponents are k0 + i·g (steps of g, overflow-safe). */
static int on_grid(const lc_batch *b, const drow *d)
{
    int64_t prev = d->k0, step;
    for (int64_t i = 1; i < d->n; i++) {
        int64_t k = lc_get_k(b, d->s + i);
        if (!lc_sub_i64(k, prev, &step) || step != d->g) return 0;
        prev = k;
    }
    return 1;
}

/* Plans row r: its layout (x, y, K0, u; i0, base), and when sizing also
 * its bound P and slots S, checking that it qualifies (returns 0 if not).
 * Pass 2 plans without sizing: S and P come from pass 1. */
static int plan_row(const fenv *e, int64_t r, plan *q, int sizing)
{
    drow *x = &q->x, *y = &q->y;
    q->S = 0;
    if (!drow_get(e->a, r, x)) return 0;
    switch (e->kind) {
    case LC_FAST_ADD:
        drow_get(e->b, r, y);
        if (!sizing) return 1;
        q->P = x->p < y->p ? x->p : y->p;
        q->S = merge_rows(e->a, x, e->s1, e->b, y, e->s2, q->P, NULL, 0);
        return 1;
    case LC_FAST_MUL: {
        if (!drow_get(e->b, r, y)) return 0;
        q->u = x->n > 1 ? x->g : y->n > 1 ? y->g : 1;
        if (!lc_add_i64(x->k0, y->k0, &q->K0)) return 0;
        if (!sizing) return 1;
        int64_t lx = x->n ? x->k0 : x->p, ly = y->n ? y->k0 : y->p, p1, p2;
        if ((x->n == 0 && x->p == LC_EXACT) || (y->n == 0 && y->p == LC_EXACT)) {
            q->P = LC_EXACT;
            return 1;
        }
        if (!_lc_bound_add(x->p, ly, &p1) || !_lc_bound_add(y->p, lx, &p2)) return 0;
        q->P = p1 < p2 ? p1 : p2;
        if (x->n == 0 || y->n == 0) return 1;
        if ((x->n > 1 && y->n > 1 && x->g != y->g) || x->n > LC_DMAX || y->n > LC_DMAX) return 0;
        if (!on_grid(e->a, x) || !on_grid(e->b, y)) return 0;
        q->S = slots_below(q->K0, q->u, q->P, x->n + y->n - 1);
        return q->S <= LC_DMAX; /* the product's slots live on the stack too */
    }
    default: { /* the series split of <infnum/raw_series.h>: 1/x = x⁻¹ of c0 ε^k0 (1 + δ); exp, sin, cos of s + δ */
        int recip = e->kind == LC_FAST_RECIP;
        lc_ser_plan sp;
        if (x->n == 0 || (recip && x->k0 == INT64_MIN) || _lc_ser_split(recip, x->n, x->k0, x->p, &sp)) return 0;
        q->i0 = sp.i0, q->base = sp.L, q->K0 = -sp.L;
        q->u = x->n == 1 ? (sp.i0 ? 1 : x->k0) : sp.i0 ? x->g : lc_gcd_i64(x->k0, x->g);
        if (!sizing) return 1;
        if ((!recip && (x->k0 < 0 || (x->k0 > 0 && e->kind != LC_FAST_EXP))) || !on_grid(e->a, x)) return 0;
        int64_t T = sp.pd < e->N ? sp.pd : e->N;
        if (sp.nd == 0) q->S = 1, T = sp.pd == LC_EXACT ? LC_EXACT : T; /* δ has no term */
        else q->S = slots_below(0, q->u, T, LC_DMAX + 1);
        return q->S <= LC_DMAX && _lc_bound_add(T, q->K0, &q->P);
    }
    }
}

/* Computes the rows r0 .. r0+m-1 (m ≤ LC_BLK) into e->w at their offsets.
 * Returns 1, 2 if a row came out shorter than its slots (pass 3 must close
 * the gap), or 0 if a row does not qualify after all (it differs from row 0
 * of a uniform batch, a value is not finite or out of out's types). */
LC_INLINE int fast_block_body(const fenv *e, int64_t r0, int m)
{
    plan q[LC_BLK];
    int full = 1; /* every row as long as its slots: no gap to close */
    lc_batch *w = e->w;
    int64_t S = 0;
    for (int t = 0; t < m; t++) {
        if (!plan_row(e, r0 + t, &q[t], 0)) return 0;
        q[t].S = w->row_ptr[r0 + t + 1] - w->row_ptr[r0 + t];
        if (q[t].S > S) S = q[t].S;
        if (e->kind == LC_FAST_ADD) {
            int64_t c = merge_rows(e->a, &q[t].x, e->s1, e->b, &q[t].y, e->s2, w->bound[r0 + t], w,
                                   w->row_ptr[r0 + t]);
            if (c < 0) return 0;
            e->cnt[r0 + t] = c, full &= c == q[t].S;
        }
    }
    if (e->kind == LC_FAST_ADD) return full ? 1 : 2;
    lc_col X[LC_DMAX], Y[LC_DMAX], C[LC_DMAX], T[LC_DMAX];
    double f0[LC_BLK], g0[LC_BLK], scale[LC_BLK];
    for (int t = m; t < LC_BLK; t++)
        for (int64_t j = 0; j < S; j++) X[j][t] = Y[j][t] = 0.0;
    for (int t = 0; t < LC_BLK; t++) f0[t] = g0[t] = 0.0, scale[t] = 1.0;
    for (int t = 0; t < m; t++) {
        const drow *x = &q[t].x, *y = &q[t].y;
        if (e->kind == LC_FAST_MUL) {
            if (w->ctype == LC_F32 && !(f32_mul_coefs_ok(e->a, x->s, x->n) && f32_mul_coefs_ok(e->b, y->s, y->n)))
                return 0; /* fastpath.h says why */
            drow_load(e->a, x, 0, x->k0, q[t].u, S, &X[0][t], LC_BLK);
            drow_load(e->b, y, 0, y->k0, q[t].u, S, &Y[0][t], LC_BLK);
            continue;
        }
        double s = 0.0;
        if (e->kind == LC_FAST_RECIP) scale[t] = 1.0 / lc_get_c(e->a, x->s);
        else if (x->k0 == 0) s = lc_get_c(e->a, x->s);
        if (!series_f0(e->kind, s, &f0[t], &g0[t])) return 0;
        drow_load(e->a, x, q[t].i0, q[t].base, q[t].u, S, &X[0][t], LC_BLK);
        X[0][t] = 0.0;
    }
    if (e->kind == LC_FAST_MUL) {
        blk_mul(X, Y, S, C);
    } else {
        blk_series(e->kind, X, S, f0, g0, scale, C, T);
    }
    /* over the whole block, across rows (SIMD): x·0 is NaN iff x is not
     * finite; the least |x| is 0 iff a slot vanished */
    lc_col probe = {0}, least;
    for (int t = 0; t < LC_BLK; t++) least[t] = INFINITY;
    for (int64_t j = 0; j < S; j++)
        for (int t = 0; t < LC_BLK; t++) {
            double ax = fabs(C[j][t]);
            probe[t] += C[j][t] * 0.0;
            least[t] = ax < least[t] ? ax : least[t];
        }
    int bad = 0, zero = 0;
    for (int t = 0; t < LC_BLK; t++) bad |= probe[t] != 0, zero |= least[t] == 0;
    /* a series into float storage with a slot near float's range (or zero)
     * is left to the general path: its other order of sums could leave a
     * residue there that underflows (an error) */
    if (e->kind >= LC_FAST_EXP && w->ctype == LC_F32)
        for (int t = 0; t < m; t++)
            for (int64_t j = 0; j < q[t].S; j++) /* the row's own slots */
                if (!(fabs(C[j][t]) >= LC_F32_SERIES_MIN)) return 0;
    for (int t = 0; t < m; t++) {
        int64_t c = put_slots(w, w->row_ptr[r0 + t], q[t].K0, q[t].u, &C[0][t], q[t].S, LC_BLK, !bad && !zero);
        if (c < 0) return 0;
        e->cnt[r0 + t] = c, full &= c == q[t].S;
    }
    return full ? 1 : 2;
}
LC_VERSIONS(int, fast_block, (const fenv *e, int64_t r0, int m), (e, r0, m))

/* 1 if a (and b) may be uniform: int32 exponents, rows of one length, row 0
 * qualifies (planned into *q0) and the dense path can run (*u). */
static int uni_setup(fenv *e, plan *q0, uplan *u)
{
    const lc_batch *a = e->a, *b = e->b;
    if (a->etype != LC_I32 || (b && b->etype != LC_I32)) return 0;
    if (a->row_ptr[a->nrows] != a->nrows * a->row_ptr[1]) return 0;
    if (b && b->row_ptr[b->nrows] != b->nrows * b->row_ptr[1]) return 0;
    return plan_row(e, 0, q0, 1) && lc_fast_uni_prepare(e, q0, u); /* row 0 is on its grid */
}

/* The context's spare storage of b's types: one batch per storage type,
 * so that results of alternating types each keep their own. */
static lc_batch *spare_of(lc_ctx *ctx, const lc_batch *b)
{
    lc_spare *sp = lc_spare_of(ctx);
    return sp ? &sp->b[(b->ctype == LC_F64 ? 2 : 0) + (b->etype == LC_I64 ? 1 : 0)] : NULL;
}

/* Takes the spare of out's types as an empty batch w (0 if the spares
 * cannot be allocated), so that the result is built beside out. */
static int spare_take(lc_ctx *ctx, const lc_batch *out, lc_batch *w)
{
    lc_batch *sp = spare_of(ctx, out);
    if (!sp) return 0;
    *w = *sp;
    lc_batch_init(sp, out->ctype, out->etype);
    w->nrows = 0;
    return 1;
}

/* Gives the storage of b back to the context as the spare of its types
 * (after a spare_take: the spares exist). */
static void spare_give(lc_ctx *ctx, lc_batch *b)
{
    lc_batch *sp = spare_of(ctx, b);
    lc_batch_clear(ctx, sp);
    *sp = *b;
    lc_batch_init(b, b->ctype, b->etype);
}

/* Runs kind over the rows into out. Returns 1 when handled (*st is the
 * result), 0 when the general path must run. The result is built in the
 * context's spare storage and swapped into out on success (out's old
 * storage becomes the spare: no allocation once both have room), so out
 * is untouched unless the call succeeds. */
static int fast_run(lc_ctx *ctx, lc_batch *out, fenv *e, int64_t n, int64_t den, lc_status *st,
                    const char *func)
{
    lc_batch tmp, *w = &tmp;
    int nt = lc_nthreads_rows(ctx, n), ok = 1;
    int64_t total, *sz = NULL, *bd = NULL, nblk = (n + LC_BLK - 1) / LC_BLK;
    plan q0;
    uplan u;
    if (n == 0) return 0;
    e->w_ct = out->etype == LC_I32 ? (int)out->ctype : -1;
    e->uni = uni_setup(e, &q0, &u) && lc_mul_i64(n, u.S, &total);
again:
    if (!e->uni) { /* Pass 1 (per-row plans): bounds and sizes into the scratch. */
        e->cnt = lc_scratch(ctx, (size_t)n * 3 * sizeof(int64_t));
        if (!e->cnt) return *st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (scratch)"), 1;
        sz = e->cnt + n, bd = e->cnt + 2 * n;
        LC_OMP_FOR(nt, reduction(&& : ok))
        for (int64_t r = 0; r < n; r++) {
            plan q;
            ok = plan_row(e, r, &q, 1) && ok;
            sz[r] = q.S;
            bd[r] = q.P;
        }
        total = 0;
        for (int64_t r = 0; ok && r < n; r++) ok = lc_add_i64(total, sz[r], &total);
        if (!ok) return 0;
    }
    if (!spare_take(ctx, out, w)) return *st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (spare)"), 1;
    if ((*st = lc_batch_reserve(ctx, w, n, total)) != LC_OK) {
        spare_give(ctx, w);
        return 1;
    }
    w->nrows = n;
    w->den = den;
    e->w = w;
    int64_t *rp = w->row_ptr;
    rp[0] = 0;
    if (e->uni) { /* Uniform: check, compute and store block by block. */
        u.stream = lc_fast_uni_stream(w, &u, n);
        int64_t nch = (n + LC_CHUNK - 1) / LC_CHUNK;
        LC_OMP_FOR(nt, reduction(&& : ok))
        for (int64_t q = 0; q < nch; q++)
            ok = lc_fast_uni_chunk(e, &u, q * LC_CHUNK, (int)(n - q * LC_CHUNK < LC_CHUNK ? n - q * LC_CHUNK : LC_CHUNK)) && ok;
        if (ok) goto done;
        /* a row differs from row 0 (or a value needs the per-row checks) */
        w->nrows = 0;
        spare_give(ctx, w);
        e->uni = 0, ok = 1;
        goto again;
    }
    for (int64_t r = 0; r < n; r++) {
        rp[r + 1] = rp[r] + sz[r];
        w->bound[r] = bd[r];
    }
    /* Pass 2: the rows, by blocks. */
    int gaps = 0;
    LC_OMP_FOR(nt, reduction(&& : ok) reduction(|| : gaps))
    for (int64_t q = 0; q < nblk; q++) {
        int rc = LC_RUN(fast_block, (e, q * LC_BLK, (int)(n - q * LC_BLK < LC_BLK ? n - q * LC_BLK : LC_BLK)));
        ok = rc && ok;
        gaps = rc == 2 || gaps;
    }
    if (!ok) {
        w->nrows = 0;
        spare_give(ctx, w);
        return 0;
    }
    /* Pass 3: close the gaps left by exact cancellations and short rows. */
    if (!gaps) goto done;
    size_t ks = w->etype == LC_I32 ? sizeof(int32_t) : sizeof(int64_t);
    size_t cs = w->ctype == LC_F32 ? sizeof(float) : sizeof(double);
    int64_t pos = 0;
    for (int64_t r = 0; r < n; r++) {
        int64_t o = rp[r];
        if (o != pos && e->cnt[r] > 0) {
            memmove((char *)w->exps + (size_t)pos * ks, (char *)w->exps + (size_t)o * ks, (size_t)e->cnt[r] * ks);
            memmove((char *)w->coeffs + (size_t)pos * cs, (char *)w->coeffs + (size_t)o * cs, (size_t)e->cnt[r] * cs);
        }
        rp[r] = pos;
        pos += e->cnt[r];
    }
    rp[n] = pos;
done:;
    lc_batch old = *out;
    *out = tmp;
    old.nrows = 0;
    spare_give(ctx, &old);
    return 1;
}

int lc_fast_op(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b, int kind,
               double s2, lc_status *st, const char *func)
{
    int64_t n = a->nrows, N = 0;
    if (kind <= LC_FAST_MUL) {
        if (a->den != b->den || (a->nrows != b->nrows && a->nrows != 1 && b->nrows != 1)) return 0;
        n = a->nrows == 1 ? b->nrows : a->nrows;
        int64_t d;
        if ((*st = lc_den_lcm(ctx, func, a->den, b->den, &d)) != LC_OK) return 1; /* as the general path */
    } else if (ctx->depth < 1 || ctx->depth > LC_DEPTH_MAX || !lc_mul_i64(ctx->depth, a->den, &N)) {
        return 0;
    }
    fenv e = {kind, a, kind <= LC_FAST_MUL ? b : NULL, 1, s2, N, NULL, NULL, 0, 0};
    return fast_run(ctx, out, &e, n, a->den, st, func);
}
