/* SPDX-License-Identifier: MIT */
/* Naive reference for the field arithmetic (header-only, tests only).
 *
 * A number is a dense long double array on an exponent grid: coefficient of
 * ε^{(lo+i)/D} is c[i] (zero = no term), plus a bound p (LC_EXACT = exact).
 * Everything is the obvious slow way: convolution for products, powers of δ
 * one product at a time for series, bounds from the rules of
 * docs/semantics.md written out again here. Independent of lib/src.
 */
#ifndef LC_NAIVE_H
#define LC_NAIVE_H

#include "lc_test.h"

typedef struct ln_num {
    int64_t lo, n;  /* exponents lo .. lo+n-1 */
    long double *c;
    int64_t p;
} ln_num;

static inline ln_num ln_make(int64_t lo, int64_t n, int64_t p)
{
    ln_num x = {lo, n, (long double *)calloc((size_t)(n > 0 ? n : 1), sizeof(long double)), p};
    return x;
}
static inline void ln_free(ln_num *x) { free(x->c); x->c = NULL; }
static inline ln_num ln_const(long double v)
{
    ln_num x = ln_make(0, 1, LC_EXACT);
    x.c[0] = v;
    return x;
}
static inline int64_t ln_min(int64_t a, int64_t b) { return a < b ? a : b; }
/* bound + shift with LC_EXACT as +infinity */
static inline int64_t ln_badd(int64_t p, int64_t d) { return p == LC_EXACT || d == LC_EXACT ? LC_EXACT : p + d; }

/* Leading exponent, or the bound when there is no term. */
static inline int64_t ln_lead(const ln_num *x)
{
    for (int64_t i = 0; i < x->n; i++)
        if (x->c[i] != 0) return x->lo + i;
    return x->p;
}
static inline long double ln_coef(const ln_num *x, int64_t k)
{
    return k >= x->lo && k < x->lo + x->n ? x->c[k - x->lo] : 0;
}
/* Drops the terms at or beyond min(p, T). */
static inline void ln_trunc(ln_num *x, int64_t T)
{
    x->p = ln_min(x->p, T);
    for (int64_t i = 0; i < x->n; i++)
        if (x->lo + i >= x->p) x->c[i] = 0;
}
/* Row r of b with exponents ×mul. */
static inline ln_num ln_from_row(const lc_batch *b, int64_t r, int64_t mul)
{
    int64_t n = lc_row_len(b, r), k0, k1;
    double c;
    if (n == 0) return ln_make(0, 1, b->bound[r] == LC_EXACT ? LC_EXACT : b->bound[r] * mul);
    lc_row_term(b, r, 0, &k0, &c);
    lc_row_term(b, r, n - 1, &k1, &c);
    ln_num x = ln_make(k0 * mul, (k1 - k0) * mul + 1, b->bound[r] == LC_EXACT ? LC_EXACT : b->bound[r] * mul);
    for (int64_t i = 0; i < n; i++) {
        int64_t k;
        lc_row_term(b, r, i, &k, &c);
        x.c[k * mul - x.lo] = c;
    }
    return x;
}
static inline ln_num ln_add(const ln_num *x, const ln_num *y, long double sy)
{
    int64_t lo = ln_min(x->lo, y->lo), hi = x->lo + x->n > y->lo + y->n ? x->lo + x->n : y->lo + y->n;
    ln_num z = ln_make(lo, hi - lo, ln_min(x->p, y->p));
    for (int64_t i = 0; i < z.n; i++) z.c[i] = ln_coef(x, lo + i) + sy * ln_coef(y, lo + i);
    ln_trunc(&z, z.p);
    return z;
}
static inline int ln_is_zero(const ln_num *x) { return x->p == LC_EXACT && ln_lead(x) == LC_EXACT; }
static inline ln_num ln_mul(const ln_num *x, const ln_num *y)
{
    if (ln_is_zero(x) || ln_is_zero(y)) return ln_make(0, 1, LC_EXACT);
    int64_t p = ln_min(ln_badd(x->p, ln_lead(y)), ln_badd(y->p, ln_lead(x)));
    ln_num z = ln_make(x->lo + y->lo, x->n + y->n - 1, p);
    for (int64_t i = 0; i < x->n; i++)
        for (int64_t j = 0; j < y->n; j++) z.c[i + j] += x->c[i] * y->c[j];
    ln_trunc(&z, p);
    return z;
}
static inline void ln_scale(ln_num *x, long double s)
{
    for (int64_t i = 0; i < x->n; i++) x->c[i] *= s;
}
static inline void ln_shift(ln_num *x, int64_t d)
{
    x->lo += d;
    x->p = ln_badd(x->p, d);
}
/* Σ_j f(j) δ^j truncated at T: powers of δ one product at a time, summed
 * while δ^j still has a term below T. f(j) = 0 terms are skipped. */
typedef long double (*ln_coef_fn)(int64_t j, void *data);
static inline ln_num ln_series(ln_coef_fn f, void *data, const ln_num *d, int64_t T)
{
    ln_num acc = ln_make(0, 1, LC_EXACT), pw = ln_const(1);
    for (int64_t j = 0;; j++) {
        long double fj = f(j, data);
        if (fj != 0) {
            ln_num t = ln_make(pw.lo, pw.n, pw.p);
            for (int64_t i = 0; i < pw.n; i++) t.c[i] = fj * pw.c[i];
            ln_num s = ln_add(&acc, &t, 1);
            ln_free(&acc);
            ln_free(&t);
            acc = s;
        }
        if (ln_lead(&pw) >= T || ln_is_zero(&pw)) break;
        ln_num q = ln_mul(&pw, d);
        if (ln_is_zero(&q)) { ln_free(&q); break; } /* δ = 0: the sum is exact */
        ln_trunc(&q, T);
        ln_free(&pw);
        pw = q;
        if (j > 100000) break;
    }
    ln_free(&pw);
    if (!ln_is_zero(d)) ln_trunc(&acc, T);
    return acc;
}

/* Row r of b (on b's grid) against x. Bounds must agree exactly, and so
 * must the sets of significant exponents (|c| > 1e-13·max: long double
 * round-off leaves ~1e-20 where an exact cancellation gives no term);
 * coefficients agree within tol·max(1, max|c|). Prints the first mismatch. */
static inline int ln_check_row(const lc_batch *b, int64_t r, const ln_num *x, double tol, const char *what)
{
    int64_t n = lc_row_len(b, r), cnt = 0, cnt_lib = 0;
    long double mx = 1;
    for (int64_t i = 0; i < x->n; i++)
        if (fabsl(x->c[i]) > mx) mx = fabsl(x->c[i]);
    long double noise = 1e-13L * mx;
    for (int64_t i = 0; i < x->n; i++)
        if (fabsl(x->c[i]) > noise) cnt++;
    int ok = b->bound[r] == x->p;
    for (int64_t i = 0; ok && i < n; i++) {
        int64_t k;
        double c;
        lc_row_term(b, r, i, &k, &c);
        long double e = ln_coef(x, k);
        if (fabsl(c) > noise) cnt_lib++;
        if ((fabsl(c) > noise && e == 0) || fabsl((long double)c - e) > tol * mx) ok = 0;
    }
    ok = ok && cnt == cnt_lib;
    if (!ok && lt_failures < 30) {
        fprintf(stderr, "%s row %lld: %lld terms, bound %lld; reference %lld terms, bound %lld\n", what,
                (long long)r, (long long)n, (long long)b->bound[r], (long long)cnt, (long long)x->p);
        for (int64_t i = 0; i < n && i < 12; i++) {
            int64_t k;
            double c;
            lc_row_term(b, r, i, &k, &c);
            fprintf(stderr, "   lib %lld: %.17g  ref %.17Lg\n", (long long)k, c, ln_coef(x, k));
        }
        for (int64_t i = 0; i < x->n && i < 64; i++)
            if (x->c[i] != 0) fprintf(stderr, "   ref %lld: %.17Lg\n", (long long)(x->lo + i), x->c[i]);
    }
    return ok;
}

#endif
