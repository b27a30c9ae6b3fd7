/* Fast paths of the batched arithmetic: add/sub, mul, exp, sin, cos and the
 * reciprocal, written straight into the output's storage (no wide copy, no
 * per-call allocation once out has room) and, for products and series, on
 * dense rows: a row whose exponents form an arithmetic progression
 * k0, k0 + g, ..., k0 + (n-1)g ("a small contiguous grid") is held as a
 * dense array of slots on the stack and the truncated products and series
 * are computed with the dense recurrences (Cauchy product; exp, sin/cos and
 * 1/x by their first-order ODE recurrences).
 *
 * Dispatch is per batch. A uniform batch (every row has row 0's exponents
 * and bound) plans row 0 only and checks the other rows against it as it
 * goes; otherwise pass 1 plans every row (bound, slots, on its grid) into
 * the context's scratch. Pass 2 computes blocks of 8 rows (OpenMP over
 * blocks) straight into out and checks every value is finite and fits
 * out's types; pass 3 closes the gaps of rows that came out shorter (exact
 * cancellations). When a row does not qualify the call returns "not
 * handled" and the general path (arith.c, series.c) runs instead: it
 * reports errors and handles every other case. Results agree with the
 * general path up to rounding (tests/lib/test_fastpath.c). */
#include "internal.h"

#include <float.h>
#include <math.h>
#include <string.h>

#ifdef _OPENMP
#define LC_PRAGMA(x) _Pragma(#x)
#define LC_OMP_FOR(nt, red) LC_PRAGMA(omp parallel for schedule(static) num_threads(nt) red)
#else
#define LC_OMP_FOR(nt, red)
#endif

enum { LC_DMAX = 128 }; /* slots of a dense row on the stack */

/* A row as (first term s, count n, bound p, first exponent k0, step g). */
typedef struct drow {
    int64_t s, n, p, k0, g;
} drow;

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
    return d->n < 2 || lc_add_i64(lc_get_k(b, d->s + 1), -d->k0, &d->g);
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
    int64_t gs = d->g == u ? 1 : d->g / u, st = gs * ld, n = d->n;
    int64_t cnt = j0 >= S ? 0 : gs == 1 ? S - j0 : gs > 0 ? (S - j0 - 1) / gs + 1 : 1; /* terms below slot S */
    if (i0 + cnt < n) n = i0 + cnt;
    if (gs == 1) { /* contiguous: zero only the slots the terms leave */
        for (int64_t j = 0; j < j0 && j < S; j++) x[j * ld] = 0.0;
        for (int64_t j = j0 + (n - i0); j < S; j++) x[j * ld] = 0.0;
    } else {
        for (int64_t j = 0; j < S; j++) x[j * ld] = 0.0;
    }
    double *xp = x + j0 * ld;
    if (b->ctype == LC_F64 && gs == 1) { /* the common case: a constant stride */
        const double *c = (const double *)b->coeffs + d->s + i0;
        for (int64_t i = 0; i < n - i0; i++) xp[i * ld] = c[i];
    } else if (b->ctype == LC_F64) {
        const double *c = (const double *)b->coeffs + d->s;
        for (int64_t i = i0; i < n; i++, xp += st) *xp = c[i];
    } else {
        const float *c = (const float *)b->coeffs + d->s;
        for (int64_t i = i0; i < n; i++, xp += st) *xp = c[i];
    }
}

/* Writes the nonzero slots v[0], v[ld], ..., v[(S-1)·ld] (clean: known
 * finite and nonzero) as terms K0 + j·u at offset o of b,
 * in b's types (float underflows dropped). Returns the count, or -1 if a
 * value is not finite or an exponent does not fit b's types. */
static inline int64_t put_slots(lc_batch *b, int64_t o, int64_t K0, int64_t u, const double *v,
                                int64_t S, int64_t ld, int clean)
{
    int64_t m = 0, last;
    if (S == 0) return 0;
    if (!lc_mul_i64(S - 1, u, &last) || !lc_add_i64(K0, last, &last)) return -1;
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
    if (!lc_add_i64(p, -base, &span)) return p > base ? full : 0;
    if (span <= 0) return 0;
    int64_t s = u == 1 ? span : (span - 1) / u + 1;
    return s < full ? s : full;
}

/* s1·x + s2·y of two sorted rows, terms below P, exact zeros dropped:
 * writes at offset o of w in w's types, or only counts when w is NULL.
 * Returns the count, or -1 if a value is not finite or does not fit. */
static int64_t merge_rows(const lc_batch *a, const drow *x, double s1, const lc_batch *b,
                          const drow *y, double s2, int64_t P, lc_batch *w, int64_t o)
{
    int64_t i = 0, j = 0, m = 0;
    int fast = a->etype == LC_I32 && b->etype == LC_I32 && a->ctype == LC_F64 && b->ctype == LC_F64;
    if (fast && x->n == y->n &&
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


typedef struct fenv {
    int kind;
    const lc_batch *a, *b;
    double s1, s2;  /* LC_FAST_ADD: s1·a + s2·b */
    int64_t N;      /* series: truncation depth·den */
    lc_batch *w;    /* the result being written */
    int64_t *cnt;   /* terms written per row */
    int uni;        /* every row has row 0's exponents and bound (checked as it goes) */
    int same;       /* uni add: a, b, out share one exponent list and type (1 f64, 2 f32) */
    int w_ct;       /* out's coefficient type if its exponents are i32, else -1 */
    const void *q0; /* uni: the plan of row 0 */
} fenv;

/* 1 if the row's exponents are k0 + i·g (steps of g, overflow-safe). */
static int on_grid(const lc_batch *b, const drow *d)
{
    int64_t prev = d->k0, step;
    for (int64_t i = 1; i < d->n; i++) {
        int64_t k = lc_get_k(b, d->s + i);
        if (!lc_add_i64(k, -prev, &step) || step != d->g) return 0;
        prev = k;
    }
    return 1;
}

/* A row's plan: result slots S (upper bound of its terms), first result
 * exponent K0, step u, bound P; for series also the δ layout. */
typedef struct plan {
    drow x, y;
    int64_t S, K0, u, P;
    int64_t i0, base; /* series: first δ term, exponent of δ's slot 0 */
} plan;

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
        return 1;
    }
    case LC_FAST_RECIP: {
        if (x->k0 == INT64_MIN) return 0;
        q->i0 = 1, q->base = x->k0, q->u = x->n > 1 ? x->g : 1, q->K0 = -x->k0;
        if (!sizing) return 1;
        int64_t pd = LC_EXACT, T;
        if (x->n == 0 || !on_grid(e->a, x)) return 0;
        if (x->p != LC_EXACT && !lc_add_i64(x->p, -x->k0, &pd)) return 0;
        T = pd < e->N ? pd : e->N;
        if (x->n == 1) q->S = 1, T = pd == LC_EXACT ? LC_EXACT : T; /* single term */
        else q->S = slots_below(0, q->u, T, LC_DMAX + 1);
        return q->S <= LC_DMAX && _lc_bound_add(T, q->K0, &q->P);
    }
    default: { /* exp, sin, cos of s + δ: s = c0 if k0 == 0 */
        q->K0 = 0, q->base = 0;
        if (x->k0 <= 0) q->i0 = 1, q->u = x->n > 1 ? x->g : 1;
        else q->i0 = 0, q->u = x->n > 1 ? lc_gcd_i64(x->k0, x->g) : x->k0;
        if (!sizing) return 1;
        int64_t T = x->p < e->N ? x->p : e->N;
        if (x->n == 0 || x->k0 < 0 || (x->k0 > 0 && e->kind != LC_FAST_EXP) || !on_grid(e->a, x)) return 0;
        if (x->n == q->i0) q->S = 1, T = x->p == LC_EXACT ? LC_EXACT : T; /* δ has no term */
        else q->S = slots_below(0, q->u, T, LC_DMAX + 1);
        q->P = T;
        return q->S <= LC_DMAX;
    }
    }
}

/* ------------------------------------------------------------ row blocks
 * LC_BLK rows at a time, term-major (X[slot][row]): the inner loops run
 * across rows (SIMD across rows), whatever each row's grid. Rows of a block
 * are zero-padded to the block's longest. */
enum { LC_BLK = 8 };
typedef double lc_col[LC_BLK];

/* C = X·Y truncated to S slots. */
static void blk_mul(const lc_col *X, const lc_col *Y, int64_t S, lc_col *C)
{
    for (int64_t j = 0; j < S; j++) {
        lc_col acc = {0};
        for (int64_t i = 0; i <= j; i++)
            for (int r = 0; r < LC_BLK; r++) acc[r] += X[i][r] * Y[j - i][r];
        for (int r = 0; r < LC_BLK; r++) C[j][r] = acc[r];
    }
}

/* C = f(s + D) in S slots, D = δ with D[0] = 0, by the first-order
 * recurrences: exp: e_k = (1/k) Σ j d_j e_{k-j}; sin/cos: s_k = (1/k)
 * Σ j d_j c_{k-j}, c_k = -(1/k) Σ j d_j s_{k-j}; 1/(1+δ): q_k = -Σ d_j
 * q_{k-j}. f0 holds f(s) per row (and T the other of sin/cos). */
static void blk_series(int kind, lc_col *D, int64_t S, const double *f0, const double *g0,
                       lc_col *C, lc_col *T)
{
    if (kind != LC_FAST_RECIP)
        for (int64_t j = 1; j < S; j++)
            for (int r = 0; r < LC_BLK; r++) D[j][r] *= (double)j;
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
}

/* f(s) (and the other of sin/cos in *g) for a series row; 0 if it could
 * vanish or overflow (then the general path decides the bound). */
static int series_f0(int kind, double s, double *f, double *g)
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
 * The common case: every row of a (and b) has the exponents and bound of
 * its row 0 (int32 exponents). Then row 0's plan serves every row, the
 * sizes need no pass of their own, and each row is only checked against
 * row 0 as it is computed; a row that differs sends the call back to the
 * per-row plans. */

/* 1 if b's row r has the exponents and bound of its row 0 (n0 terms). */
static inline int same_as_row0(const lc_batch *b, int64_t r, int64_t n0)
{
    if (b->nrows == 1 || r == 0) return 1;
    if (b->row_ptr[r] != r * n0 || b->row_ptr[r + 1] != (r + 1) * n0 || b->bound[r] != b->bound[0]) return 0;
    const int32_t *k = (const int32_t *)b->exps, *kr = k + r * n0;
    int32_t diff = 0;
    for (int64_t i = 0; i < n0; i++) diff |= kr[i] ^ k[i];
    return diff == 0;
}

/* Plans row 0 into *q0 if a (and b) may be uniform. */
static int uni_setup(fenv *e, plan *q0)
{
    const lc_batch *a = e->a, *b = e->b;
    if (a->etype != LC_I32 || (b && b->etype != LC_I32)) return 0;
    if (a->row_ptr[a->nrows] != a->nrows * a->row_ptr[1]) return 0;
    if (b && b->row_ptr[b->nrows] != b->nrows * b->row_ptr[1]) return 0;
    if (!plan_row(e, 0, q0, 1)) return 0; /* checks that row 0 is on its grid */
    e->q0 = q0;
    /* same: a and b share one exponent list and out's coefficient type (1 f64, 2 f32) */
    e->same = e->kind == LC_FAST_ADD && q0->x.n == q0->y.n && a->ctype == b->ctype && e->w_ct == (int)a->ctype &&
              !memcmp(a->exps, b->exps, (size_t)q0->x.n * sizeof(int32_t));
    if (e->same && a->ctype == LC_F32) e->same = 2;
    return 1;
}

/* Row r's plan from row 0's; 0 if row r differs from row 0. */
static inline int uni_row(const fenv *e, int64_t r, plan *q)
{
    const plan *q0 = e->q0;
    int64_t na = q0->x.n, nb = e->b ? q0->y.n : 0;
    if (!same_as_row0(e->a, r, na) || (e->b && !same_as_row0(e->b, r, nb))) return 0;
    *q = *q0;
    q->x.s = e->a->nrows == 1 ? 0 : r * na;
    if (e->b) q->y.s = e->b->nrows == 1 ? 0 : r * nb;
    return 1;
}

/* Computes the rows r0 .. r0+m-1 (m ≤ LC_BLK) into e->w at their offsets.
 * Returns 1, 2 if a row came out shorter than its slots (pass 3 must close
 * the gap), or 0 if a row does not qualify after all (it differs from row 0
 * of a uniform batch, a value is not finite or out of out's types). */
static int fast_block(const fenv *e, int64_t r0, int m)
{
    plan q[LC_BLK];
    int full = 1; /* every row as long as its slots: no gap to close */
    lc_batch *w = e->w;
    int64_t S = 0;
    for (int t = 0; t < m; t++) {
        if (!(e->uni ? uni_row(e, r0 + t, &q[t]) : plan_row(e, r0 + t, &q[t], 0))) return 0;
        q[t].S = w->row_ptr[r0 + t + 1] - w->row_ptr[r0 + t];
        if (q[t].S > S) S = q[t].S;
        if (e->kind == LC_FAST_ADD && e->same == 2) { /* as below, all f32 */
            const float *ca = (const float *)e->a->coeffs + q[t].x.s, *cb = (const float *)e->b->coeffs + q[t].y.s;
            int32_t *ko = (int32_t *)w->exps + w->row_ptr[r0 + t];
            float *co = (float *)w->coeffs + w->row_ptr[r0 + t];
            const int32_t *kp = e->a->exps;
            int bad = 0, zero = 0;
            int64_t S1 = q[t].S;
            for (int64_t i = 0; i < S1; i++) {
                float v = (float)((double)ca[i] + e->s2 * (double)cb[i]);
                bad |= !(fabsf(v) <= FLT_MAX), zero |= v == 0;
                ko[i] = kp[i], co[i] = v;
            }
            if (bad) return 0;
            int64_t c = S1;
            if (zero) {
                c = 0;
                for (int64_t i = 0; i < S1; i++)
                    if (co[i] != 0) ko[c] = ko[i], co[c++] = co[i];
            }
            e->cnt[r0 + t] = c, full &= c == q[t].S;
        } else if (e->kind == LC_FAST_ADD && e->same) { /* uniform, one exponent list: by coefficient */
            const double *ca = (const double *)e->a->coeffs + q[t].x.s, *cb = (const double *)e->b->coeffs + q[t].y.s;
            int32_t *ko = (int32_t *)w->exps + w->row_ptr[r0 + t];
            double *co = (double *)w->coeffs + w->row_ptr[r0 + t];
            const int32_t *kp = e->a->exps;
            int bad = 0, zero = 0;
            int64_t S1 = q[t].S;
            for (int64_t i = 0; i < S1; i++) {
                double v = ca[i] + e->s2 * cb[i];
                bad |= !(fabs(v) <= DBL_MAX), zero |= v == 0;
                ko[i] = kp[i], co[i] = v;
            }
            if (bad) return 0;
            int64_t c = S1;
            if (zero) {
                c = 0;
                for (int64_t i = 0; i < S1; i++)
                    if (co[i] != 0) ko[c] = ko[i], co[c++] = co[i];
            }
            e->cnt[r0 + t] = c, full &= c == q[t].S;
        } else if (e->kind == LC_FAST_ADD) {
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
        if (e->kind == LC_FAST_RECIP)
            for (int64_t j = 1; j < S; j++)
                for (int t = 0; t < LC_BLK; t++) X[j][t] *= scale[t];
        blk_series(e->kind, X, S, f0, g0, C, T);
        if (e->kind == LC_FAST_RECIP)
            for (int64_t j = 0; j < S; j++)
                for (int t = 0; t < LC_BLK; t++) C[j][t] *= scale[t];
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
    for (int t = 0; t < m; t++) {
        int64_t c = put_slots(w, w->row_ptr[r0 + t], q[t].K0, q[t].u, &C[0][t], q[t].S, LC_BLK, !bad && !zero);
        if (c < 0) return 0;
        e->cnt[r0 + t] = c, full &= c == q[t].S;
    }
    return full ? 1 : 2;
}

/* Runs kind over the rows into out. Returns 1 when handled (*st is the
 * result), 0 when the general path must run. out is untouched unless pass 2
 * declines (a value not finite or out of out's types, or a batch that looked
 * uniform and is not; rare): then it is left valid and empty. */
static int fast_run(lc_ctx *ctx, lc_batch *out, fenv *e, int64_t n, int64_t den, lc_status *st,
                    const char *func)
{
    lc_batch tmp, *w = out;
    int nt = lc_nthreads(ctx), ok = 1;
    int64_t total, *sz = NULL, *bd = NULL;
    plan q0;
    if (n == 0) return 0;
    e->w_ct = out->etype == LC_I32 ? (int)out->ctype : -1;
    e->uni = uni_setup(e, &q0);
again:
    /* Pass 1 (per-row plans): bounds and sizes into the scratch. */
    e->cnt = lc_scratch(ctx, (size_t)n * (e->uni ? 1 : 3) * sizeof(int64_t));
    if (!e->cnt) return *st = lc_fail(ctx, LC_ENOMEM, func, "out of memory (scratch)"), 1;
    if (e->uni) {
        total = n * q0.S;
    } else {
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
    if (out == e->a || out == e->b) {
        lc_batch_init(&tmp, out->ctype, out->etype);
        w = &tmp;
    }
    if ((*st = lc_batch_reserve(ctx, w, n, total)) != LC_OK) {
        if (w == &tmp) lc_batch_clear(ctx, &tmp);
        return 1;
    }
    w->nrows = n;
    w->den = den;
    e->w = w;
    int64_t *rp = w->row_ptr;
    rp[0] = 0;
    for (int64_t r = 0; r < n; r++) {
        rp[r + 1] = rp[r] + (e->uni ? q0.S : sz[r]);
        w->bound[r] = e->uni ? q0.P : bd[r];
    }
    /* Pass 2: the rows, by blocks. */
    int64_t nblk = (n + LC_BLK - 1) / LC_BLK;
    int gaps = 0;
    LC_OMP_FOR(nt, reduction(&& : ok) reduction(|| : gaps))
    for (int64_t q = 0; q < nblk; q++) {
        int rc = fast_block(e, q * LC_BLK, (int)(n - q * LC_BLK < LC_BLK ? n - q * LC_BLK : LC_BLK));
        ok = rc && ok;
        gaps = rc == 2 || gaps;
    }
    if (!ok && e->uni) { /* a row differs from row 0: plan row by row */
        if (w == &tmp) lc_batch_clear(ctx, &tmp);
        else w->nrows = 0; /* half written: valid and empty from here on */
        w = out, e->uni = e->same = 0, ok = 1;
        goto again;
    }
    if (!ok) {
        w->nrows = 0;
        if (w == &tmp) lc_batch_clear(ctx, &tmp);
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
done:
    if (w == &tmp) {
        lc_batch_clear(ctx, out);
        *out = tmp;
    }
    return 1;
}

int lc_fast_op(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b, int kind,
               double s2, lc_status *st, const char *func)
{
    int64_t n = a->nrows, N = 0;
    if (kind <= LC_FAST_MUL) {
        if (a->den != b->den || (a->nrows != b->nrows && a->nrows != 1 && b->nrows != 1)) return 0;
        n = a->nrows == 1 ? b->nrows : a->nrows;
    } else if (ctx->depth < 1 || !lc_mul_i64(ctx->depth, a->den, &N)) {
        return 0;
    }
    fenv e = {kind, a, kind <= LC_FAST_MUL ? b : NULL, 1, s2, N, NULL, NULL, 0, 0, 0, NULL};
    return fast_run(ctx, out, &e, n, a->den, st, func);
}
