/* SPDX-License-Identifier: MIT */
/* The products of the general path (lib/src/mul_grid.c: the k-way merge of
 * the partial products and the grid product) against the sorting product
 * _lc_row_mul of <infnum/raw.h>, on seeded random rows:
 *   - rows of 0..20 and 56..72 terms, ragged (n1 ≠ n2), past the merge's list limit
 *     (it must decline), exact, inexact and empty operands;
 *   - exponents by gaps from dense (many products per exponent) to far
 *     apart (unrelated exponents, no grid), bounds that cut inside the
 *     merge;
 *   - small dyadic coefficients (every sum exact in any order, so exact
 *     cancellations happen and must drop the same terms) and general ones;
 *   - through lc_mul with i32/i64 exponents and f32/f64 coefficients.
 * Terms and bounds must be equal; coefficients equal for dyadic rows, else
 * within the documented bound 2(m−1)·u·Σ|c1_i c2_j| over the m ≤ min(n1,
 * n2) products of the exponent; counts within lc_mul_terms_bound (the room
 * the general path gives a row). lc_row_step against a naive gcd. */
#include "infnum/raw.h"
#include "lc_test.h"
#include "mul_grid.h"

enum { MAXN = 72, MAXP = MAXN * MAXN };

static int64_t gcd_naive(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b, b = t;
    }
    return a;
}

/* n terms from k0 by gaps in [1, gap]; coefficients lt_coef, or small
 * dyadic ones (±1, ±2, ±0.5, ±3) when dyadic. Returns a bound: exact, or
 * a little past the last term (then the product's bound cuts the products
 * of the longer operand's last terms: inside the merge). */
static int64_t make_row(lt_rng *g, int64_t *k, double *c, int64_t n, int64_t gap, int dyadic)
{
    static const double dy[4] = {1, 2, 0.5, 3};
    int64_t kk = lt_int(g, -1000, 1000);
    for (int64_t i = 0; i < n; i++) {
        k[i] = kk;
        c[i] = dyadic ? (lt_next(g) & 1 ? 1 : -1) * dy[lt_int(g, 0, 3)] : lt_coef(g);
        kk += lt_int(g, 1, gap);
    }
    double u = lt_unif(g);
    if (u < 0.4 || (n == 0 && u < 0.7)) return LC_EXACT;
    if (n == 0) return lt_int(g, -1000, 1000);
    return k[n - 1] + lt_int(g, 1, 2 * gap);
}

/* One-row batch over raw arrays (den 1), for lc_row_step. */
static lc_batch raw_batch(int64_t *rp, int64_t *k, double *c, int64_t *p, int64_t n)
{
    rp[0] = 0, rp[1] = n;
    return (lc_batch){1, rp, k, c, p, 1, LC_F64, LC_I64, n, 1};
}

/* out (count n, bound po) against the reference (kr, cr, nr, pr) and its
 * absolute counterpart ca (same exponents before cancellation: kabs). */
static int same_product(const int64_t *ko, const double *co, int64_t n, int64_t po, const int64_t *kr,
                        const double *cr, int64_t nr, int64_t pr, const int64_t *kabs, const double *cabs,
                        int64_t nabs, int64_t mm, int exact)
{
    if (n != nr || po != pr) return 0;
    for (int64_t i = 0, q = 0; i < n; i++) {
        while (q < nabs && kabs[q] < kr[i]) q++;
        double tol = exact ? 0 : 2.0 * (double)(mm > 1 ? mm - 1 : 0) * 0x1p-53 * (q < nabs ? cabs[q] : 0) * 1.0000001;
        if (ko[i] != kr[i] || !(fabs(co[i] - cr[i]) <= tol)) return 0;
    }
    return 1;
}

/* What the rows covered: merges run, merges declined, grid products run,
 * exact cancellations, products cut by the bound inside the merge. */
static int64_t n_merge, n_decline, n_grid, n_cancel, n_cut;

static void check_rows(lt_rng *g, int it)
{
    static int64_t k1[MAXN], k2[MAXN], kr[MAXP], kabs[MAXP], ko[MAXP];
    static double c1[MAXN], c2[MAXN], a1[MAXN], a2[MAXN], cr[MAXP], cabs[MAXP], co[MAXP];
    static const int64_t gaps[5] = {1, 3, 40, 1000, (int64_t)1 << 40};
    int64_t n1 = it % 7 ? lt_int(g, 0, 20) : lt_int(g, 56, MAXN), n2 = it % 5 ? lt_int(g, 0, 20) : lt_int(g, 56, MAXN);
    int64_t gap = gaps[it % 5], gap2 = it % 3 ? gap : gaps[(it / 5) % 5];
    int dyadic = it % 2;
    int64_t p1 = make_row(g, k1, c1, n1, gap, dyadic), p2 = make_row(g, k2, c2, n2, gap2, dyadic);
    for (int64_t i = 0; i < n1; i++) a1[i] = fabs(c1[i]);
    for (int64_t j = 0; j < n2; j++) a2[j] = fabs(c2[j]);
    int64_t pr = 0, pabs = 0, po = 0, mm = n1 < n2 ? n1 : n2;
    int64_t nr = _lc_row_mul(k1, c1, n1, p1, k2, c2, n2, p2, LC_EXACT, kr, cr, &pr);
    int64_t nabs = _lc_row_mul(k1, a1, n1, p1, k2, a2, n2, p2, LC_EXACT, kabs, cabs, &pabs);
    CHECK_MSG(nr >= 0, "iteration %d: the reference overflows", it);

    /* the room: lc_row_step, lc_mul_terms_bound */
    int64_t rp1[2], rp2[2], st1, st2, gg, ub;
    lc_batch b1 = raw_batch(rp1, k1, c1, &p1, n1), b2 = raw_batch(rp2, k2, c2, &p2, n2);
    st1 = lc_row_step(&b1, 0), st2 = lc_row_step(&b2, 0);
    int64_t w1 = 0, w2 = 0;
    for (int64_t i = 1; i < n1; i++) w1 = gcd_naive(k1[i] - k1[0], w1);
    for (int64_t j = 1; j < n2; j++) w2 = gcd_naive(k2[j] - k2[0], w2);
    CHECK_MSG(st1 == w1 && st2 == w2, "iteration %d: lc_row_step %lld, %lld; gcd %lld, %lld", it,
              (long long)st1, (long long)st2, (long long)w1, (long long)w2);
    ub = lc_mul_terms_bound(st1, n1 ? k1[n1 - 1] - k1[0] : 0, n1, 1, st2, n2 ? k2[n2 - 1] - k2[0] : 0, n2, 1, &gg);

    int64_t n = lc_row_mul_merge(k1, c1, n1, p1, k2, c2, n2, p2, ko, co, &po);
    n_merge += n >= 0, n_decline += n == -2, n_cancel += n >= 0 && nr < nabs;
    n_cut += n > 0 && pr != LC_EXACT && k1[n1 - 1] + k2[n2 - 1] >= pr;
    if (n == -2)
        CHECK_MSG(mm > LC_MERGE_LISTS, "iteration %d: merge declined %lld x %lld", it, (long long)n1, (long long)n2);
    else
        CHECK_MSG(n <= ub && same_product(ko, co, n, po, kr, cr, nr, pr, kabs, cabs, nabs, mm, dyadic),
                  "iteration %d: merge of %lld x %lld terms (gap %lld): %lld terms, reference %lld, room %lld",
                  it, (long long)n1, (long long)n2, (long long)gap, (long long)n, (long long)nr, (long long)ub);
    n = lc_row_mul_grid(k1, c1, n1, p1, k2, c2, n2, p2, gg, ko, co, &po);
    n_grid += n >= 0;
    if (n != -2)
        CHECK_MSG(n <= ub && same_product(ko, co, n, po, kr, cr, nr, pr, kabs, cabs, nabs, mm, dyadic),
                  "iteration %d: grid product of %lld x %lld terms: %lld terms, reference %lld", it,
                  (long long)n1, (long long)n2, (long long)n, (long long)nr);
}

/* nrows rows with exponents far apart (no grid: the merge) into b. */
static void make_batch(lc_ctx *ctx, lt_rng *g, lc_batch *b, int64_t nrows, int dyadic)
{
    int64_t rp[65], k[64 * 24], p[64];
    double c[64 * 24];
    rp[0] = 0;
    for (int64_t r = 0; r < nrows; r++) {
        int64_t n = lt_int(g, 0, 24);
        p[r] = make_row(g, k + rp[r], c + rp[r], n, 5000, dyadic);
        rp[r + 1] = rp[r] + n;
    }
    OK(ctx, lc_batch_from_csr(ctx, b, nrows, rp, k, c, p, 1));
}

/* lc_mul on (a, b) in their storage types against the reference, row by row. */
static void check_batch(lc_ctx *ctx, lt_rng *g, int it)
{
    static int64_t k1[24], k2[24], kr[576], kabs[576];
    static double c1[24], c2[24], a1[24], a2[24], cr[576], cabs[576];
    lc_ctype ct = it % 2 ? LC_F32 : LC_F64;
    lc_etype et = (it / 2) % 2 ? LC_I32 : LC_I64;
    int64_t nrows = lt_int(g, 1, 64);
    int dyadic = (it / 4) % 2;
    lc_batch a, b, out;
    lc_batch_init(&a, ct, et), lc_batch_init(&b, ct, et), lc_batch_init(&out, ct, et);
    make_batch(ctx, g, &a, nrows, dyadic);
    make_batch(ctx, g, &b, nrows, dyadic);
    OK(ctx, lc_mul(ctx, &out, &a, &b));
    for (int64_t r = 0; r < nrows && out.nrows == nrows; r++) {
        int64_t n1 = lc_row_len(&a, r), n2 = lc_row_len(&b, r), pr = 0, pabs = 0;
        for (int64_t i = 0; i < n1; i++) lc_row_term(&a, r, i, &k1[i], &c1[i]), a1[i] = fabs(c1[i]);
        for (int64_t j = 0; j < n2; j++) lc_row_term(&b, r, j, &k2[j], &c2[j]), a2[j] = fabs(c2[j]);
        int64_t nr = _lc_row_mul(k1, c1, n1, a.bound[r], k2, c2, n2, b.bound[r], LC_EXACT, kr, cr, &pr);
        int64_t nabs = _lc_row_mul(k1, a1, n1, a.bound[r], k2, a2, n2, b.bound[r], LC_EXACT, kabs, cabs, &pabs);
        int ok = nr == lc_row_len(&out, r) && pr == out.bound[r];
        int64_t mm = n1 < n2 ? n1 : n2;
        for (int64_t i = 0, q = 0; ok && i < nr; i++) {
            int64_t k;
            double c;
            lc_row_term(&out, r, i, &k, &c);
            while (q < nabs && kabs[q] < kr[i]) q++;
            double tol = dyadic ? 0 : 2.0 * (double)(mm > 1 ? mm - 1 : 0) * 0x1p-53 * (q < nabs ? cabs[q] : 0) * 1.0000001;
            if (ct == LC_F32) tol += 0x1p-23 * fabs(cr[i]); /* both rounded to float */
            ok = k == kr[i] && fabs(c - cr[i]) <= tol;
        }
        CHECK_MSG(ok, "batch %d (%s, %s), row %lld: %lld x %lld terms", it, ct == LC_F32 ? "f32" : "f64",
                  et == LC_I32 ? "i32" : "i64", (long long)r, (long long)n1, (long long)n2);
    }
    lc_batch_clear(ctx, &a), lc_batch_clear(ctx, &b), lc_batch_clear(ctx, &out);
}

int main(void)
{
    lt_rng g = {20261};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (int it = 0; it < 3000; it++) check_rows(&g, it);
    CHECK_MSG(n_merge > 1000 && n_decline > 10 && n_grid > 100 && n_cancel > 50 && n_cut > 300,
              "coverage: %lld merges, %lld declined, %lld grid, %lld cancelling, %lld cut by the bound",
              (long long)n_merge, (long long)n_decline, (long long)n_grid, (long long)n_cancel, (long long)n_cut);
    printf("rows: %lld merges, %lld declined, %lld grid, %lld cancelling, %lld cut by the bound\n",
           (long long)n_merge, (long long)n_decline, (long long)n_grid, (long long)n_cancel, (long long)n_cut);
    for (int it = 0; it < 80; it++) check_batch(&ctx, &g, it);
    lc_ctx_clear(&ctx);
    return lt_report("test_mul_merge");
}
