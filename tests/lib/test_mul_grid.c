/* SPDX-License-Identifier: MIT */
/* The general product on the rows' common grid (lib/src/mul_grid.c, inside
 * lc_mul's general path) against the sorting product _lc_row_mul of
 * <infnum/raw.h>, row by row, on seeded random rows the grid fast path
 * declines: ragged rational rows (random gaps, so g = 1), rows on a sparse
 * grid (gaps that are multiples of g), rows far apart (the grid does not
 * pay: sorted), long rows, exact and inexact bounds, i32/i64 storage. The
 * terms and bounds must be equal; each coefficient within the documented
 * bound 2(m−1)·u·Σ|c1_i c2_j| over the m products of its exponent (m ≤
 * min(n1, n2)). */
#include "infnum/raw.h"
#include "lc_test.h"

/* Row r of b as int64 exponents / double coefficients (room: maxn). */
static int64_t get_row(const lc_batch *b, int64_t r, int64_t *k, double *c)
{
    int64_t n = lc_row_len(b, r);
    for (int64_t i = 0; i < n; i++) lc_row_term(b, r, i, &k[i], &c[i]);
    return n;
}

/* nrows rows: exponents from k0 by gaps drawn in [1, gap]·step, bound
 * (sometimes) a little past the last. */
static void make_rows(lc_ctx *ctx, lt_rng *g, lc_batch *b, int64_t nrows, int64_t maxn, int64_t step,
                      int64_t gap, int64_t den)
{
    int64_t *rp = malloc(sizeof(int64_t) * (size_t)(nrows + 1)), *k = malloc(sizeof(int64_t) * (size_t)(nrows * maxn + 1));
    int64_t *p = malloc(sizeof(int64_t) * (size_t)nrows);
    double *c = malloc(sizeof(double) * (size_t)(nrows * maxn + 1));
    int64_t m = 0;
    rp[0] = 0;
    for (int64_t r = 0; r < nrows; r++) {
        int64_t n = lt_int(g, 0, maxn), kk = lt_int(g, -2 * den, 2 * den);
        for (int64_t i = 0; i < n; i++) {
            k[m] = kk, c[m++] = lt_coef(g);
            kk += step * lt_int(g, 1, gap);
        }
        rp[r + 1] = m;
        p[r] = lt_unif(g) < 0.4 ? LC_EXACT : kk + lt_int(g, 0, 3 * step) - (n ? step : 0);
        if (n && p[r] <= k[m - 1]) p[r] = k[m - 1] + 1;
    }
    OK(ctx, lc_batch_from_csr(ctx, b, nrows, rp, k, c, p, den));
    free(rp), free(k), free(p), free(c);
}

static void check_rows(const lc_batch *a, const lc_batch *b, const lc_batch *out, int64_t maxn)
{
    size_t big = (size_t)(maxn * maxn + 1);
    int64_t *ka = malloc(sizeof(int64_t) * (size_t)(maxn + 1)), *kb = malloc(sizeof(int64_t) * (size_t)(maxn + 1));
    double *ca = malloc(sizeof(double) * (size_t)(maxn + 1)), *cb = malloc(sizeof(double) * (size_t)(maxn + 1));
    double *aa = malloc(sizeof(double) * (size_t)(maxn + 1)), *ab = malloc(sizeof(double) * (size_t)(maxn + 1));
    int64_t *kw = malloc(sizeof(int64_t) * big), *kabs = malloc(sizeof(int64_t) * big);
    double *cw = malloc(sizeof(double) * big), *cabs = malloc(sizeof(double) * big);
    for (int64_t r = 0; r < out->nrows; r++) {
        int64_t na = get_row(a, r, ka, ca), nb = get_row(b, r, kb, cb), pw = 0, pabs = 0;
        for (int64_t i = 0; i < na; i++) aa[i] = fabs(ca[i]);
        for (int64_t j = 0; j < nb; j++) ab[j] = fabs(cb[j]);
        int64_t nw = _lc_row_mul(ka, ca, na, a->bound[r], kb, cb, nb, b->bound[r], LC_EXACT, kw, cw, &pw);
        int64_t nabs = _lc_row_mul(ka, aa, na, a->bound[r], kb, ab, nb, b->bound[r], LC_EXACT, kabs, cabs, &pabs);
        int ok = nw == lc_row_len(out, r) && pw == out->bound[r];
        int64_t mm = na < nb ? na : nb;
        for (int64_t i = 0, q = 0; ok && i < nw; i++) {
            int64_t k;
            double c;
            lc_row_term(out, r, i, &k, &c);
            while (q < nabs && kabs[q] < kw[i]) q++;
            double tol = 2.0 * (double)(mm > 1 ? mm - 1 : 0) * 0x1p-53 * (q < nabs ? cabs[q] : 0) * 1.0000001;
            ok = k == kw[i] && fabs(c - cw[i]) <= tol;
        }
        CHECK_MSG(ok, "row %lld: %lld x %lld terms", (long long)r, (long long)na, (long long)nb);
    }
    free(ka), free(kb), free(ca), free(cb), free(aa), free(ab), free(kw), free(kabs), free(cw), free(cabs);
}

int main(void)
{
    lt_rng g = {4242};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    /* maxn, step, gap: ragged (g = 1), sparse grid (g = 8), far apart, long */
    const int64_t kinds[5][3] = {{16, 1, 24}, {16, 8, 2}, {4, 997, 50}, {70, 3, 2}, {300, 1, 2}};
    for (int it = 0; it < 150; it++) {
        const int64_t *o = kinds[it % 5];
        int64_t n = lt_int(&g, 1, it % 5 == 4 ? 3 : 40), den = lt_int(&g, 1, 16);
        lc_batch a, b, out;
        lc_batch_init(&a, LC_F64, lt_unif(&g) < 0.5 ? LC_I32 : LC_I64);
        lc_batch_init(&b, LC_F64, a.etype);
        lc_batch_init(&out, LC_F64, LC_I64);
        make_rows(&ctx, &g, &a, n, o[0], o[1], o[2], den);
        make_rows(&ctx, &g, &b, n, o[0], o[1], o[2], den);
        OK(&ctx, lc_mul(&ctx, &out, &a, &b));
        check_rows(&a, &b, &out, o[0]);
        lc_batch_clear(&ctx, &a), lc_batch_clear(&ctx, &b), lc_batch_clear(&ctx, &out);
    }
    lc_ctx_clear(&ctx);
    return lt_report("test_mul_grid");
}
