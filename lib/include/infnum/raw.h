/* SPDX-License-Identifier: MIT */
/*
 * infnum raw layer: per-row Levi-Civita arithmetic on plain arrays.
 *
 * A row is (k[], c[], n, p): n terms with integer exponents k[i] (units 1/D,
 * strictly increasing), nonzero finite coefficients c[i], all k[i] < p, and
 * a bound p (LC_EXACT = exact). Every function here is static inline, does
 * not allocate, and compiles as C17 and as CUDA C++ (LC_HD marks it
 * __host__ __device__ under nvcc), so the CPU library and the CUDA kernels
 * share one implementation of the per-row logic.
 *
 * Conventions: functions that can overflow int64 return -1 on overflow
 * (never wrap); LC_EXACT acts as +infinity in bound arithmetic and is never
 * shifted as a finite number. Output arrays must not overlap inputs unless a
 * contract says so. Capacity of outputs is the caller's job (stated per
 * function). The managed layer (lib/src/) checks, sizes and allocates.
 */
#ifndef INFNUM_RAW_H
#define INFNUM_RAW_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include <math.h>
#include <stdint.h>

#ifdef __CUDACC__
#define LC_HD __host__ __device__
#else
#define LC_HD
#endif

#ifndef LC_EXACT
#define LC_EXACT INT64_MAX
#endif

/* Result of _lc_row_sign when the sign is undecided (no term, inexact). */
#define LC_SIGN_UNDEF 2

/* r = a + b for exponents; returns 0 on overflow (r untouched). */
LC_HD static inline int _lc_add_ok(int64_t a, int64_t b, int64_t *r)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return 0;
    *r = a + b;
    return 1;
}

/* r = a - b; returns 0 on overflow (r untouched). Never negates b. */
LC_HD static inline int _lc_sub_ok(int64_t a, int64_t b, int64_t *r)
{
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)) return 0;
    *r = a - b;
    return 1;
}

/* r = a * b; returns 0 on overflow. */
LC_HD static inline int _lc_mul_ok(int64_t a, int64_t b, int64_t *r)
{
    if (a == 0 || b == 0) { *r = 0; return 1; }
    if (a == -1) { if (b == INT64_MIN) return 0; *r = -b; return 1; }
    if (b == -1) { if (a == INT64_MIN) return 0; *r = -a; return 1; }
    if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
              : (b > 0 ? a < INT64_MIN / b : a < INT64_MAX / b))
        return 0;
    *r = a * b;
    return 1;
}

/* Bound arithmetic: r = p + d where p may be LC_EXACT (then r = LC_EXACT)
 * and d is a finite shift (d = INT64_MAX is the number 2^63 - 1 here, not
 * "exact"). A finite sum reaching LC_EXACT or below INT64_MIN is an
 * overflow: returns 0. */
LC_HD static inline int _lc_bound_add(int64_t p, int64_t d, int64_t *r)
{
    if (p == LC_EXACT) { *r = LC_EXACT; return 1; }
    int64_t s;
    if (!_lc_add_ok(p, d, &s) || s == LC_EXACT) return 0;
    *r = s;
    return 1;
}

LC_HD static inline int64_t _lc_min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Number of leading terms of (k, n) with k < p (binary search). */
LC_HD static inline int64_t _lc_row_truncate(const int64_t *k, int64_t n, int64_t p)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (k[mid] < p) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Leading exponent L' of a row: k[0] if it has terms, else its bound p
 * (LC_EXACT for the exact zero). This is the L' of the product bound. */
LC_HD static inline int64_t _lc_row_lead(const int64_t *k, int64_t n, int64_t p)
{
    return n > 0 ? k[0] : p;
}

/* Sign of a row: -1, 0 (exact zero only) or +1; LC_SIGN_UNDEF for an
 * unknown quantity (no term and a finite bound). */
LC_HD static inline int _lc_row_sign(const double *c, int64_t n, int64_t p)
{
    if (n > 0) return c[0] > 0 ? 1 : -1;
    return p == LC_EXACT ? 0 : LC_SIGN_UNDEF;
}

/* (ko, co) = s·(k, c), dropping coefficients that underflow to 0. Returns
 * the count. ko == k and co == c (in place) is allowed. */
LC_HD static inline int64_t _lc_row_scale(const int64_t *k, const double *c, int64_t n, double s,
                                          int64_t *ko, double *co)
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = s * c[i];
        if (v != 0) { ko[m] = k[i]; co[m] = v; m++; }
    }
    return m;
}

/* ko = k + d for every term (exponent shift). Returns n, or -1 on
 * overflow (an exponent reaching LC_EXACT is one: no term can sit there).
 * ko == k is allowed. */
LC_HD static inline int64_t _lc_row_shift(const int64_t *k, int64_t n, int64_t d, int64_t *ko)
{
    if (n == 0) return 0;
    int64_t t;
    if (!_lc_add_ok(k[0], d, &t) || !_lc_add_ok(k[n - 1], d, &t) || t == LC_EXACT) return -1;
    for (int64_t i = 0; i < n; i++) ko[i] = k[i] + d;
    return n;
}

/* out = s1·x + s2·y, truncated at min(p1, p2, cap); *po = that bound.
 * Exact cancellations are removed. ko/co need room for n1 + n2 terms and
 * must not overlap the inputs. Returns the count. */
LC_HD static inline int64_t _lc_row_add(const int64_t *k1, const double *c1, int64_t n1, int64_t p1,
                                        double s1, const int64_t *k2, const double *c2, int64_t n2,
                                        int64_t p2, double s2, int64_t cap, int64_t *ko,
                                        double *co, int64_t *po)
{
    int64_t p = _lc_min64(_lc_min64(p1, p2), cap);
    int64_t i = 0, j = 0, m = 0;
    while (i < n1 || j < n2) {
        int64_t kk;
        double v;
        if (j >= n2 || (i < n1 && k1[i] < k2[j])) { kk = k1[i]; v = s1 * c1[i]; i++; }
        else if (i >= n1 || k2[j] < k1[i]) { kk = k2[j]; v = s2 * c2[j]; j++; }
        else { kk = k1[i]; v = s1 * c1[i] + s2 * c2[j]; i++; j++; }
        if (kk >= p) break;
        if (v != 0) { ko[m] = kk; co[m] = v; m++; }
    }
    *po = p;
    return m;
}

/* Product bound: min(p1 + L'2, p2 + L'1), L' = _lc_row_lead. Returns 0 on
 * overflow. The exact zero times anything is the exact zero. */
LC_HD static inline int _lc_mul_bound(const int64_t *k1, int64_t n1, int64_t p1, const int64_t *k2,
                                      int64_t n2, int64_t p2, int64_t *p)
{
    int64_t a, b;
    if (n1 == 0 && p1 == LC_EXACT) { *p = LC_EXACT; return 1; }
    if (n2 == 0 && p2 == LC_EXACT) { *p = LC_EXACT; return 1; }
    if (!_lc_bound_add(p1, _lc_row_lead(k2, n2, p2), &a)) return 0;
    if (!_lc_bound_add(p2, _lc_row_lead(k1, n1, p1), &b)) return 0;
    *p = _lc_min64(a, b);
    return 1;
}

/* In-place heap sort of (k, c) pairs by k (not stable; deterministic). */
LC_HD static inline void _lc_pairs_sort(int64_t *k, double *c, int64_t m)
{
    for (int64_t end = m, start = m / 2; end > 1;) {
        int64_t root;
        if (start > 0) root = --start;
        else {
            end--;
            int64_t tk = k[0]; k[0] = k[end]; k[end] = tk;
            double tc = c[0]; c[0] = c[end]; c[end] = tc;
            root = 0;
        }
        for (;;) {
            int64_t child = 2 * root + 1;
            if (child >= end) break;
            if (child + 1 < end && k[child + 1] > k[child]) child++;
            if (k[root] >= k[child]) break;
            int64_t tk = k[root]; k[root] = k[child]; k[child] = tk;
            double tc = c[root]; c[root] = c[child]; c[child] = tc;
            root = child;
        }
    }
}

/* Sums runs of equal k in sorted pairs and drops zero sums, in place.
 * Returns the new count. */
LC_HD static inline int64_t _lc_pairs_reduce(int64_t *k, double *c, int64_t m)
{
    int64_t o = 0;
    for (int64_t i = 0; i < m;) {
        int64_t kk = k[i];
        double v = 0;
        while (i < m && k[i] == kk) v += c[i++];
        if (v != 0) { k[o] = kk; c[o] = v; o++; }
    }
    return o;
}

/* out = x·y truncated at min(product bound, cap); *po = that bound.
 * Terms: all c1[i]c2[j] ε^{k1[i]+k2[j]} below the bound, sorted, equal
 * exponents summed (exact zeros dropped). ko/co need room for n1·n2 terms
 * and must not overlap the inputs. Returns the count, -1 on overflow (also
 * when an exact product would have a term at exponent LC_EXACT). */
LC_HD static inline int64_t _lc_row_mul(const int64_t *k1, const double *c1, int64_t n1, int64_t p1,
                                        const int64_t *k2, const double *c2, int64_t n2, int64_t p2,
                                        int64_t cap, int64_t *ko, double *co, int64_t *po)
{
    int64_t p, t, m = 0;
    if (!_lc_mul_bound(k1, n1, p1, k2, n2, p2, &p)) return -1;
    p = _lc_min64(p, cap);
    *po = p;
    if (n1 == 0 || n2 == 0) return 0;
    if (!_lc_add_ok(k1[0], k2[0], &t) || !_lc_add_ok(k1[n1 - 1], k2[n2 - 1], &t)) return -1;
    if (t == LC_EXACT && p == LC_EXACT) return -1; /* a term at LC_EXACT would read as "exact" */
    int sorted = 1;
    for (int64_t i = 0; i < n1; i++) {
        for (int64_t j = 0; j < n2; j++) {
            int64_t kk = k1[i] + k2[j];
            if (kk >= p) break; /* k2 increasing: the rest of the row is beyond too */
            double v = c1[i] * c2[j];
            if (m > 0 && kk <= ko[m - 1]) sorted = 0;
            ko[m] = kk; co[m] = v; m++;
        }
    }
    if (!sorted) _lc_pairs_sort(ko, co, m);
    return _lc_pairs_reduce(ko, co, m);
}

/* --------------------------------------------------------------- series
 * f(s + δ) = Σ_j f_j δ^j. _lc_series_coeffs gives the Taylor coefficients
 * f_0 .. f_{K-1} of the elementary functions; _lc_row_series evaluates the
 * truncated sum on a row δ (Horner with truncation), _lc_row_series_ode the
 * same sum for exp, sin, cos, log1p and powers by a recurrence. */
enum {
    LC_SER_EXP = 0,  /* e^(s+δ)                                        */
    LC_SER_LOG1P,    /* log(1+δ) (s ignored; the caller adds log s)     */
    LC_SER_SIN,      /* sin(s+δ)                                        */
    LC_SER_COS,      /* cos(s+δ)                                        */
    LC_SER_TANH,     /* tanh(s+δ)                                       */
    LC_SER_SIGMOID,  /* 1/(1+e^-(s+δ))                                  */
    LC_SER_SOFTPLUS, /* log(1+e^(s+δ))                                  */
    LC_SER_BINOM     /* (1+δ)^r (s ignored)                             */
};

LC_HD static inline double _lc_sigmoid_real(double s)
{
    return s >= 0 ? 1 / (1 + exp(-s)) : exp(s) / (1 + exp(s));
}

/* f[0..K-1] = Taylor coefficients of function `kind` at s (r: exponent of
 * LC_SER_BINOM). Returns 0, or -1 for an unknown kind or K < 1. */
LC_HD static inline int _lc_series_coeffs(int kind, double s, double r, int64_t K, double *f)
{
    if (K < 1) return -1;
    switch (kind) {
    case LC_SER_EXP:
        f[0] = exp(s);
        for (int64_t j = 1; j < K; j++) f[j] = f[j - 1] / (double)j;
        return 0;
    case LC_SER_LOG1P:
        f[0] = 0;
        for (int64_t j = 1; j < K; j++) f[j] = (j % 2 ? 1.0 : -1.0) / (double)j;
        return 0;
    case LC_SER_SIN:
    case LC_SER_COS: {
        double d[4] = {sin(s), cos(s), -sin(s), -cos(s)};
        int off = kind == LC_SER_SIN ? 0 : 1;
        double fact = 1;
        for (int64_t j = 0; j < K; j++) {
            if (j > 0) fact *= (double)j;
            f[j] = d[(j + off) % 4] / fact;
        }
        return 0;
    }
    case LC_SER_TANH:
    case LC_SER_SIGMOID:
    case LC_SER_SOFTPLUS: {
        /* Everything from the sigmoid series at a point a ≤ 0, where
         * σ' = σ - σ² has no cancellation (σ ≤ 1/2): h_{j+1} = (h_j -
         * Σ h_i h_{j-i})/(j+1). Then, with the symmetry σ(x) = 1 - σ(-x):
         *   sigmoid: a = -|s|;  tanh(x) = ±(1 - 2σ(-2|x|)): a = -2|s|;
         *   softplus: sp' = σ. Accurate also where f(s) rounds to ±1. */
        int tnh = kind == LC_SER_TANH;
        double a = tnh ? -2 * fabs(s) : -fabs(s), sg = s > 0 ? 1 : -1;
        int64_t Kh = kind == LC_SER_SOFTPLUS ? K - 1 : K;
        if (Kh < 1) Kh = 1;
        f[0] = _lc_sigmoid_real(a);
        for (int64_t j = 0; j + 1 < Kh; j++) {
            double sq = 0;
            for (int64_t i = 0; i <= j; i++) sq += f[i] * f[j - i];
            f[j + 1] = (f[j] - sq) / (double)(j + 1);
        }
        /* h_j (at a) -> coefficients at s */
        if (tnh) { /* tanh(s+δ) = sg·(1 - 2σ(a - 2·sg·δ)) */
            double m = -2 * sg;
            double pw = 1;
            f[0] = tanh(s);
            for (int64_t j = 1; j < K; j++) { pw *= m; f[j] = -2 * sg * f[j] * pw; }
        } else { /* σ(s+δ): s ≤ 0: h itself; s > 0: 1 - σ(-s-δ) */
            if (s > 0)
                for (int64_t j = 0; j < Kh; j++) f[j] = j == 0 ? _lc_sigmoid_real(s) : (j % 2 ? f[j] : -f[j]);
            if (kind == LC_SER_SOFTPLUS) {
                for (int64_t j = K - 1; j >= 1; j--) f[j] = f[j - 1] / (double)j;
                f[0] = s > 0 ? s + log1p(exp(-s)) : log1p(exp(s));
            }
        }
        return 0;
    }
    case LC_SER_BINOM:
        f[0] = 1;
        for (int64_t j = 1; j < K; j++) f[j] = f[j - 1] * (r - (double)(j - 1)) / (double)j;
        return 0;
    default:
        return -1;
    }
}

/* The grid of a series' slots: gcd of L (δ's leading exponent, > 0) and
 * δ's exponents kd[i] − off. */
LC_HD static inline int64_t _lc_series_grid(const int64_t *kd, int64_t nd, int64_t off, int64_t L)
{
    int64_t g = L;
    for (int64_t i = 0; i < nd && g > 1; i++) {
        int64_t a = g, b = kd[i] - off;
        while (b) { int64_t t = a % b; a = b; b = t; }
        g = a;
    }
    return g;
}

/* Slots of a series below T: 0 ↦ exponent 0, s ≥ 1 ↦ L + (s − 1)·g. */
LC_HD static inline int64_t _lc_series_slots(int64_t L, int64_t g, int64_t T)
{
    return T <= 0 ? 0 : T <= L ? 1 : (T - L - 1) / g + 2;
}

/* The nonzero slots acc[0..W) below the bound po as terms (ko, co), in
 * order; returns their count. */
LC_HD static inline int64_t _lc_series_emit(const double *acc, int64_t W, int64_t L, int64_t g, int64_t po,
                                            int64_t *ko, double *co)
{
    int64_t m = 0;
    for (int64_t s = 0; s < W; s++) {
        int64_t k = s == 0 ? 0 : L + (s - 1) * g;
        if (k >= po) break;
        if (acc[s] != 0) { ko[m] = k; co[m] = acc[s]; m++; }
    }
    return m;
}

/* Capacity needed by _lc_row_series per buffer: an upper bound M of the
 * number of terms of any partial Horner sum: exponents lie in {0} ∪
 * [L'δ, T) and are multiples of g = gcd of δ's exponents (g = L'δ when δ
 * has no term). δ's exponents are kd[i] − off (off = 0: kd itself), so a
 * caller can size δ before writing it. Returns M, or -1 if it does not fit. */
LC_HD static inline int64_t _lc_series_cap(const int64_t *kd, int64_t nd, int64_t off, int64_t pd,
                                           int64_t T)
{
    int64_t L = nd > 0 ? kd[0] - off : pd, g = L == LC_EXACT ? L : _lc_series_grid(kd, nd, off, L);
    if (L == LC_EXACT || T <= L) return 2;
    int64_t span = T - L; /* no overflow: 0 < L < T */
    if (span / g > INT64_MAX / 4) return -1;
    return span / g + 2;
}

/* *po = the bound of Σ_{j<K} f[j] δ^j truncated at T, δ's leading exponent
 * L and bound pd: min(T, B), B = pd + (k1 - 1)·L with k1 the first j ≥ 1
 * with f[j] ≠ 0 (B = LC_EXACT if none, or if pd is exact) — what the
 * product bounds give term by term. Returns 0, or -1 on overflow. */
LC_HD static inline int _lc_series_bound(const double *f, int64_t K, int64_t L, int64_t pd, int64_t T,
                                         int64_t *po)
{
    int64_t B = LC_EXACT, t;
    for (int64_t j = 1; j < K && pd != LC_EXACT; j++)
        if (f[j] != 0) {
            if (!_lc_mul_ok(j - 1, L, &t) || !_lc_bound_add(pd, t, &B)) return -1;
            break;
        }
    *po = _lc_min64(T, B);
    return 0;
}

/* (ko, co, *po) = Σ_{j<K} f[j] δ^j truncated at T, δ = (kd, cd, nd, pd) an
 * infinitesimal row (every kd > 0; the bound pd > 0) or the exact zero.
 * Horner, acc = f[j] + δ·acc, on a dense accumulator: every exponent of the
 * sum is 0 or L'δ + s·g (g = gcd of δ's exponents), slot s+1, so M =
 * _lc_series_cap(...) slots hold it; products go slot to slot (no sort).
 * Bound: exact when δ is the exact zero; otherwise min(T, B) with
 * B = pd + (k1 - 1)·L'δ, k1 the first j ≥ 1 with f[j] ≠ 0 (B = LC_EXACT
 * if none, or if pd is exact) — what the product bounds give term by term.
 * Buffers: ko/co, ac and bc hold mcap ≥ M entries; ak and bk are unused
 * (may be NULL; kept so callers need not change). No overlap.
 * Returns the count, -1 on overflow, -2 if mcap is too small. */
LC_HD static inline int64_t _lc_row_series(const double *f, int64_t K, const int64_t *kd,
                                           const double *cd, int64_t nd, int64_t pd, int64_t T,
                                           int64_t mcap, int64_t *ak, double *ac, int64_t *bk,
                                           double *bc, int64_t *ko, double *co, int64_t *po)
{
    (void)ak;
    (void)bk;
    int64_t L = _lc_row_lead(kd, nd, pd), m = 0;
    if (K < 1) { *po = T; return 0; }
    if (L == LC_EXACT) { /* δ = 0: f(s) exactly */
        if (f[0] != 0) { ko[0] = 0; co[0] = f[0]; m = 1; }
        *po = LC_EXACT;
        return m;
    }
    int64_t g = _lc_series_grid(kd, nd, 0, L), W = _lc_series_slots(L, g, T);
    if (W > mcap) return -2;
    for (int64_t s = 0; s < W; s++) ac[s] = 0;
    if (W > 0) ac[0] = f[K - 1];
    for (int64_t j = K - 2; j >= 0; j--) {
        for (int64_t s = 0; s < W; s++) bc[s] = 0;
        for (int64_t s = 0; s < W; s++) {
            double v = ac[s];
            if (v == 0) continue;
            for (int64_t i = 0; i < nd; i++) {
                int64_t q = s == 0 ? (kd[i] - L) / g + 1 : kd[i] / g; /* no overflow: kd ≥ L ≥ 1 */
                if (q >= W - s) break; /* t = s + q ≥ W (kd increasing); s + q may not fit */
                int64_t t = s + q;
                bc[t] += v * cd[i];
            }
        }
        if (W > 0) bc[0] += f[j];
        double *tmp = ac;
        ac = bc;
        bc = tmp;
    }
    if (_lc_series_bound(f, K, L, pd, T, po)) return -1; /* terms at or beyond it are dropped */
    return _lc_series_emit(ac, W, L, g, *po, ko, co);
}

/* The sum _lc_row_series computes, for kind LC_SER_EXP, LC_SER_SIN,
 * LC_SER_COS, LC_SER_LOG1P or LC_SER_BINOM (f = _lc_series_coeffs(kind, s,
 * r, K), K ≥ 2), by the recurrence of the function's differential
 * equation instead of Horner: on t = ε^g (the slots of _lc_row_series),
 * with δ = Σ d_q t^q and y the series of the result,
 *   exp:   y' = δ'·y                  n·y_n = Σ q·d_q·y_{n−q}, y_0 = f[0]
 *   sin, cos: y' = δ'·w, w' = −δ'·y   y_0 = f[0], w_0 = f[1] (w = f'(s + δ))
 *   log1p: (1 + δ)·y' = δ'            n·y_n = n·d_n − Σ (n − q)·d_q·y_{n−q}
 *   binom: (1 + δ)·y' = r·δ'·y        n·y_n = Σ ((r + 1)·q − n)·d_q·y_{n−q}
 * (every sum over δ's terms with q ≤ n). Each slot costs the terms of δ
 * (twice for sin and cos), so a row costs W·nd multiply-adds instead of
 * Horner's K·W·nd: on ragged rows (a fine g, many slots, many
 * coefficients) that is the difference between one and K passes. The same
 * slots and bound (_lc_series_bound) as _lc_row_series; the coefficients
 * are the same sums rounded in another order. Buffers ac, bc: mcap ≥ W
 * entries. Returns the count, -1 on overflow, -2 if mcap is too small, -3
 * if the kind or row is not one this handles (K < 2, δ without terms):
 * then _lc_row_series. */
LC_HD static inline int64_t _lc_row_series_ode(int kind, const double *f, int64_t K, double r, const int64_t *kd,
                                               const double *cd, int64_t nd, int64_t pd, int64_t T,
                                               int64_t mcap, double *ac, double *bc, int64_t *ko, double *co,
                                               int64_t *po)
{
    int trig = kind == LC_SER_SIN || kind == LC_SER_COS;
    if (K < 2 || nd < 1 || (!trig && kind != LC_SER_EXP && kind != LC_SER_LOG1P && kind != LC_SER_BINOM))
        return -3;
    int64_t L = kd[0], g = _lc_series_grid(kd, nd, 0, L), W = _lc_series_slots(L, g, T), l = L / g;
    if (W > mcap) return -2;
    /* y: the result; z: w (sin, cos). Slot 0 is t^0, slot u ≥ 1 is
     * t^(u + l − 1). */
    double *y = ac, *z = bc;
    if (W > 0) y[0] = f[0], z[0] = trig ? f[1] : 0.0;
    /* δ's exponents in units of g, once (a division each) */
    int64_t qs[64];
    for (int64_t i = 0; i < nd && nd <= 64; i++) qs[i] = kd[i] / g;
    for (int64_t u = 1; u < W; u++) {
        /* the weights q/n ≤ 1 (and (n − q)/n, (r + 1)q/n − 1) are taken
         * before the products, so that nothing grows beyond the terms;
         * one loop per kind (no switch per term) */
        int64_t n = u + l - 1;
        double a1 = 0, a2 = 0, dn = 0, inv = 1.0 / (double)n;
#define LC_ODE_TERMS(BODY)                                                                         \
        for (int64_t i = 0; i < nd; i++) {                                                         \
            int64_t q = nd <= 64 ? qs[i] : kd[i] / g, mm = n - q; /* exact: g divides kd */        \
            if (mm < 0) break;                                     /* kd increasing */             \
            if (mm > 0 && mm < l) continue;                        /* y_mm = 0 */                  \
            int64_t v = mm == 0 ? 0 : u - q;                       /* the slot of t^mm */          \
            double d = cd[i];                                                                      \
            BODY;                                                                                  \
        }
        switch (kind) {
        case LC_SER_EXP: LC_ODE_TERMS(a1 += (double)q * inv * d * y[v]) y[u] = a1; break;
        case LC_SER_LOG1P:
            LC_ODE_TERMS(if (mm == 0) dn = d; else a1 += (double)mm * inv * d * y[v])
            y[u] = dn - a1;
            break;
        case LC_SER_BINOM: LC_ODE_TERMS(a1 += ((r + 1.0) * ((double)q * inv) - 1.0) * d * y[v]) y[u] = a1; break;
        default: LC_ODE_TERMS((a1 += (double)q * inv * d * z[v], a2 += (double)q * inv * d * y[v]))
            y[u] = a1, z[u] = -a2;
        }
#undef LC_ODE_TERMS
    }
    if (_lc_series_bound(f, K, L, pd, T, po)) return -1;
    return _lc_series_emit(y, W, L, g, *po, ko, co);
}

/* Σ_{j<K} f[j] δ^j truncated at T as _lc_row_series states it: by
 * _lc_row_series_ode where its recurrences apply, else by Horner. The one
 * evaluation the CPU series and the CUDA row ops call. Buffers as
 * _lc_row_series_ode. */
LC_HD static inline int64_t _lc_row_series_eval(int kind, const double *f, int64_t K, double r, const int64_t *kd,
                                                const double *cd, int64_t nd, int64_t pd, int64_t T,
                                                int64_t mcap, double *ac, double *bc, int64_t *ko, double *co,
                                                int64_t *po)
{
    int64_t m = _lc_row_series_ode(kind, f, K, r, kd, cd, nd, pd, T, mcap, ac, bc, ko, co, po);
    return m != -3 ? m : _lc_row_series(f, K, kd, cd, nd, pd, T, mcap, (int64_t *)0, ac, (int64_t *)0, bc, ko, co, po);
}

#pragma GCC visibility pop
#endif /* INFNUM_RAW_H */
