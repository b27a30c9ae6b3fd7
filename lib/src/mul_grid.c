/* SPDX-License-Identifier: MIT */
/* The products of the general path that replace the sort of the n1·n2
 * partial products (n1·n2·log(n1·n2) unpredictable branches):
 *
 *  - on the grid: rows off one arithmetic progression (square roots,
 *    fractional powers, sums of such: "ragged" rational rows, or rows that
 *    skip grid points) still sit on the grid of the gcd g of their
 *    exponent differences; there the partial products land in at most
 *    (span / g) slots, so they are summed straight into a dense
 *    accumulator and read back in order (n1·n2 multiply-adds and one pass
 *    over the slots);
 *  - by a k-way merge, for rows on no small grid (unrelated exponents):
 *    the products of one term of the shorter operand are already sorted,
 *    and the lists are merged by a small heap.
 *
 * See mul_grid.h for the contracts and the rounding bound. */
#include "mul_grid.h"

#include <string.h>

/* gcd of a ≥ 0 and b ≥ 0 (binary). */
static inline int64_t gcd64(int64_t a, int64_t b)
{
    uint64_t x = (uint64_t)a, y = (uint64_t)b;
    if (!x) return (int64_t)y;
    if (!y) return (int64_t)x;
    int sh = __builtin_ctzll(x | y);
    x >>= __builtin_ctzll(x);
    do {
        y >>= __builtin_ctzll(y);
        if (x > y) { uint64_t t = x; x = y; y = t; }
        y -= x;
    } while (y);
    return (int64_t)(x << sh);
}

/* lc_row_step on k[0..n) (n ≥ 2, last − first known to fit int64). */
#define ROW_STEP(k, n, g)                                                                          \
    do {                                                                                           \
        int64_t bad_ = 0;                                                                          \
        g = (int64_t)k[1] - k[0];                                                                  \
        if (g == 1) break;                                                                         \
        if ((g & (g - 1)) == 0) { /* usual: a power of two that divides every difference */       \
            for (int64_t i_ = 2; i_ < n; i_++) bad_ |= ((int64_t)k[i_] - k[i_ - 1]) & (g - 1);      \
            if (!bad_) break;                                                                      \
        }                                                                                          \
        for (int64_t i_ = 2; i_ < n && g != 1; i_++) {                                             \
            int64_t d_ = (int64_t)k[i_] - k[i_ - 1];                                               \
            if (d_ % g) g = gcd64(g, d_);                                                          \
        }                                                                                          \
    } while (0)

/* lc_row_step of the row k[0..n) (int64 exponents). */
static inline int64_t step_i64(const int64_t *k, int64_t n)
{
    int64_t g = 0, span;
    if (n < 2) return 0;
    if (!lc_sub_i64(k[n - 1], k[0], &span)) return -1; /* then every difference fits */
    ROW_STEP(k, n, g);
    return g;
}

int64_t lc_row_step(const lc_batch *b, int64_t r)
{
    int64_t s = b->row_ptr[r], n = b->row_ptr[r + 1] - s, g = 0;
    if (n < 2) return 0;
    if (b->etype == LC_I32) {
        const int32_t *k = (const int32_t *)b->exps + s;
        ROW_STEP(k, n, g);
        return g;
    }
    return step_i64((const int64_t *)b->exps + s, n);
}

int64_t lc_mul_terms_bound(int64_t g1, int64_t s1, int64_t n1, int64_t m1, int64_t g2, int64_t s2,
                           int64_t n2, int64_t m2, int64_t *g)
{
    int64_t ub = n1 * n2, a, b, span, t; /* n1·n2 < 2^62 for real memory */
    *g = -1;
    if (g1 < 0 || g2 < 0 || !lc_mul_i64(g1, m1, &a) || !lc_mul_i64(g2, m2, &b)) return ub;
    *g = gcd64(a, b);
    /* the sort (operands beyond the merge's lists) needs room for every product */
    if (*g == 0 || (n1 > LC_MERGE_LISTS && n2 > LC_MERGE_LISTS) || s1 < 0 || s2 < 0) return ub;
    if (!lc_mul_i64(s1, m1, &span) || !lc_mul_i64(s2, m2, &t) || !lc_add_i64(span, t, &span)) return ub;
    t = span / *g + 1;
    return t < ub ? t : ub;
}

/* The product's bound *po and the checks of _lc_row_mul. Returns 1 when
 * there are products to form, 0 when the product has no term (count 0),
 * -1 on overflow. */
static inline int mul_prelude(const int64_t *k1, int64_t n1, int64_t p1, const int64_t *k2, int64_t n2, int64_t p2,
                              int64_t *po, int64_t *base, int64_t *t)
{
    if (!_lc_mul_bound(k1, n1, p1, k2, n2, p2, po)) return -1;
    if (n1 == 0 || n2 == 0) return 0;
    if (!lc_add_i64(k1[0], k2[0], base) || !lc_add_i64(k1[n1 - 1], k2[n2 - 1], t)) return -1;
    if (*t == LC_EXACT && *po == LC_EXACT) return -1; /* a term at LC_EXACT would read as "exact" */
    return *base < *po;
}

int64_t lc_row_mul_grid(const int64_t *k1, const double *c1, int64_t n1, int64_t p1, const int64_t *k2,
                        const double *c2, int64_t n2, int64_t p2, int64_t g, int64_t *ko, double *co,
                        int64_t *po)
{
    int64_t p = 0, t = 0, base = 0;
    int pre = mul_prelude(k1, n1, p1, k2, n2, p2, &p, &base, &t);
    *po = p;
    if (pre <= 0) return pre;
    if (n1 > LC_GRID_TERMS || n2 > LC_GRID_TERMS) return -2;
    if (g == LC_GRID_UNKNOWN) {
        int64_t g1 = step_i64(k1, n1), g2 = step_i64(k2, n2);
        g = g1 < 0 || g2 < 0 ? -1 : gcd64(g1, g2);
    }
    if (g < 0) return -2;
    if (g == 0) g = 1; /* two single terms */
    int64_t span, lim;
    /* slots: products below the bound, k = base + s·g < p ⇔ s < lim */
    if (!lc_sub_i64(t, base, &span)) return -2;
    int64_t S = span / g + 1;
    if (p != LC_EXACT) {
        int64_t room;
        if (!lc_sub_i64(p, base, &room)) return -2;
        lim = (room - 1) / g + 1; /* room ≥ 1 */
        if (lim < S) S = lim;
    }
    if (S > LC_GRID_SLOTS || S > 4 * n1 * n2 + 64) return -2;
    int64_t s1[LC_GRID_TERMS], s2[LC_GRID_TERMS]; /* slots of the terms (differences fit: above) */
    int sh = (g & (g - 1)) == 0 ? __builtin_ctzll((uint64_t)g) : -1; /* a shift, not a division */
    for (int64_t i = 0; i < n1; i++) s1[i] = sh >= 0 ? (k1[i] - k1[0]) >> sh : (k1[i] - k1[0]) / g;
    for (int64_t j = 0; j < n2; j++) s2[j] = sh >= 0 ? (k2[j] - k2[0]) >> sh : (k2[j] - k2[0]) / g;
    double acc[LC_GRID_SLOTS];
    memset(acc, 0, (size_t)S * sizeof acc[0]);
    /* Terms i of x below slot S, four at a time (one load of y's term for
     * four products); jn[t]: terms of y whose products with term i + t
     * stay below slot S (non-increasing in i, as s2 increases). */
    int64_t nx = 0, jn = n2;
    while (nx < n1 && s1[nx] < S) nx++;
    for (int64_t i = 0; i < nx; i += 4) {
        int64_t q = nx - i < 4 ? nx - i : 4, end[4] = {0, 0, 0, 0};
        for (int64_t u = 0; u < q; u++) {
            while (jn > 0 && s2[jn - 1] >= S - s1[i + u]) jn--;
            end[u] = jn;
        }
        int64_t j = 0;
        if (q == 4) {
            const int64_t o0 = s1[i], o1 = s1[i + 1], o2 = s1[i + 2], o3 = s1[i + 3];
            const double a0 = c1[i], a1 = c1[i + 1], a2 = c1[i + 2], a3 = c1[i + 3];
            for (; j < end[3]; j++) { /* p[o]: one addressing mode per product */
                const double b = c2[j];
                double *pj = acc + s2[j];
                pj[o0] += a0 * b, pj[o1] += a1 * b, pj[o2] += a2 * b, pj[o3] += a3 * b;
            }
        }
        for (int64_t u = 0; u < q; u++) {
            double *r = acc + s1[i + u];
            const double a = c1[i + u];
            for (int64_t jj = j; jj < end[u]; jj++) r[s2[jj]] += a * c2[jj];
        }
    }
    int64_t m = 0;
    if (S <= n1 * n2) /* room for S terms: branch-free, exact zeros overwritten */
        for (int64_t s = 0; s < S; s++) ko[m] = base + s * g, co[m] = acc[s], m += acc[s] != 0;
    else
        for (int64_t s = 0; s < S; s++)
            if (acc[s] != 0) ko[m] = base + s * g, co[m++] = acc[s];
    return m;
}

/* The head of list i: its next product, term j of the longer operand. */
typedef struct mhead {
    int64_t k;
    int32_t i, j;
} mhead;

/* Restores the heap h[0..L) (least k on top) after h[0] grew. Ties stay
 * where they are: the order is deterministic. */
static inline void heap_down(mhead *h, int64_t L)
{
    mhead x = h[0];
    int64_t r = 0;
    for (;;) {
        int64_t c = 2 * r + 1;
        if (c >= L) break;
        if (c + 1 < L && h[c + 1].k < h[c].k) c++;
        if (x.k <= h[c].k) break;
        h[r] = h[c];
        r = c;
    }
    h[r] = x;
}

int64_t lc_row_mul_merge(const int64_t *k1, const double *c1, int64_t n1, int64_t p1, const int64_t *k2,
                         const double *c2, int64_t n2, int64_t p2, int64_t *ko, double *co, int64_t *po)
{
    int64_t p = 0, t = 0, base = 0;
    int pre = mul_prelude(k1, n1, p1, k2, n2, p2, &p, &base, &t);
    *po = p;
    if (pre <= 0) return pre;
    if (n2 < n1) { /* lists over the shorter operand (x) */
        const int64_t *tk = k1; const double *tc = c1; int64_t tn = n1;
        k1 = k2, c1 = c2, n1 = n2, k2 = tk, c2 = tc, n2 = tn;
    }
    if (n1 > LC_MERGE_LISTS) return -2;
    /* Every sum lies between base and t (no overflow). The heads k1[i] +
     * k2[0] rise with i: sorted, hence a heap; lists starting at or beyond
     * the bound are left out. */
    mhead h[LC_MERGE_LISTS];
    int64_t L = 0, m = 0, kc = 0;
    for (; L < n1 && k1[L] + k2[0] < p; L++) h[L] = (mhead){k1[L] + k2[0], (int32_t)L, 0};
    double v = 0;
    int open = 0; /* a term (kc, v) is being summed */
    while (L > 0) {
        mhead *top = &h[0];
        const double prod = c1[top->i] * c2[top->j];
        if (open && top->k == kc) v += prod;
        else {
            if (open && v != 0) ko[m] = kc, co[m++] = v;
            kc = top->k, v = prod, open = 1;
        }
        if (++top->j < n2 && k1[top->i] + k2[top->j] < p) top->k = k1[top->i] + k2[top->j];
        else h[0] = h[--L]; /* the list is done */
        if (L > 1) heap_down(h, L);
    }
    if (open && v != 0) ko[m] = kc, co[m++] = v;
    return m;
}
