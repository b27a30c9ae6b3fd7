/* SPDX-License-Identifier: MIT */
/* The raw per-row layer of the order, <infnum/raw_order.h>: _lc_row_disc
 * and _lc_row_cmp called directly on raw rows, against a reference built
 * from the definitions through the field's arithmetic (floor(x) = the
 * greatest integer m with x − m ≥ 0, ...; x − m by lc_add_real, whose sign
 * is read off its leading term), and the batch functions (lc_disc_apply,
 * lc_cmp) against the raw ones, whatever the storage. */
#include "lc_test.h"
#include "infnum/raw_order.h"

static lc_ctx ctx;

/* Sign of row 0 of d read off its leading term: −1, 0, +1, or 2 (unknown). */
static int lead_sign(const lc_batch *d)
{
    int64_t k;
    double c;
    if (!lc_row_len(d, 0)) return d->bound[0] == LC_EXACT ? 0 : 2;
    lc_row_term(d, 0, 0, &k, &c);
    return c > 0 ? 1 : -1;
}

/* Sign of x − m (row 0 of x, m real), by the field's subtraction. */
static int sign_minus(const lc_batch *x, double m)
{
    lc_batch d;
    lc_batch_init(&d, LC_F64, LC_I64);
    OK(&ctx, lc_add_real(&ctx, &d, x, -m));
    int sg = lead_sign(&d);
    lc_batch_clear(&ctx, &d);
    return sg;
}

/* f(row 0 of x) by the definitions, under ctx's conventions. */
static lc_status ref_disc(lc_disc f, const lc_batch *x, double *v)
{
    static const double h0v[] = {0.0, 0.5, 1.0};
    int64_t n = lc_row_len(x, 0), k0 = 0;
    double c0 = 0.0;
    if (n) lc_row_term(x, 0, 0, &k0, &c0);
    if (f == LC_DISC_STEP || f == LC_DISC_SIGN) {
        int t = lead_sign(x);
        if (t == 2) return LC_EUNDEF;
        *v = f == LC_DISC_SIGN ? (t ? t : ctx.sign0) : t ? (t > 0) : h0v[ctx.h0];
        return LC_OK;
    }
    if (n && k0 < 0) return LC_EDOMAIN;
    double s = n && k0 == 0 ? c0 : 0.0; /* the standard part, if known */
    double m = f == LC_DISC_CEIL ? ceil(s) : floor(s), h = m + 0.5;
    int t = sign_minus(x, f == LC_DISC_ROUND ? h : m);
    if (t == 2) return LC_EUNDEF;
    if (f == LC_DISC_FLOOR) *v = t >= 0 ? m : m - 1;
    else if (f == LC_DISC_CEIL) *v = t <= 0 ? m : m + 1;
    else if (t) *v = t > 0 ? m + 1 : m;
    else { /* x = m + ½ exactly: the tie rule, from libm */
        const double tie[] = {round(h), rint(h), floor(h + 0.5), ceil(h - 0.5)};
        *v = tie[ctx.round_tie];
    }
    return LC_OK;
}

/* Row r of b (any storage): raw f against the reference, and lc_disc_apply
 * against raw f (status and value), for every primitive. */
static void check_disc_row(const lc_batch *b, int64_t r)
{
    static const double h0v[] = {0.0, 0.5, 1.0};
    int64_t k[16], n = lc_row_len(b, r), idx = r;
    double c[16];
    lc_batch one, out;
    CHECK(n <= 16);
    for (int64_t i = 0; i < n && i < 16; i++) lc_row_term(b, r, i, &k[i], &c[i]);
    lc_batch_init(&one, b->ctype, b->etype);
    lc_batch_init(&out, LC_F64, LC_I64);
    OK(&ctx, lc_batch_gather(&ctx, &one, b, &idx, 1));
    for (int f = LC_DISC_STEP; f <= LC_DISC_ROUND; f++) {
        double v = -99.0, want = -98.0, got = 0.0;
        lc_status st = _lc_row_disc(f, k, c, n, b->bound[r], ctx.sign0, h0v[ctx.h0],
                                    (int)ctx.round_tie, &v);
        lc_status rst = ref_disc((lc_disc)f, &one, &want);
        lc_status cst = lc_disc_apply(&ctx, &out, &one, (lc_disc)f);
        CHECK(st == rst && st == cst && (st || v == want));
        if (st != rst || st != cst || (!st && v != want))
            fprintf(stderr, "  row %lld f=%d: raw %s %g, reference %s %g, lc_disc_apply %s\n",
                    (long long)r, f, lc_status_str(st), v, lc_status_str(rst), want,
                    lc_status_str(cst));
        if (st || cst) continue;
        CHECK(v != 0.0 || !signbit(v)); /* never −0 */
        if (lc_row_len(&out, 0)) {
            int64_t kk;
            lc_row_term(&out, 0, 0, &kk, &got);
            CHECK(kk == 0);
        }
        CHECK(got == v && out.bound[0] == LC_EXACT);
    }
    lc_batch_clear(&ctx, &one);
    lc_batch_clear(&ctx, &out);
}

static void test_raw_disc(void)
{
    lt_rng g = {20261124};
    lc_batch b;
    lc_batch_init(&b, LC_F64, LC_I64);
    /* Breakpoints (den 48, ε = k 48): 0, 1, -1, 0.5, -0.5, 1.5, 2.5, ε, -ε,
     * 0.5 - ε, 0.5 + ε, -0.5 + ε², 3 - ε^(1/3), 2 + O(ε), O(ε), O(ε^-1),
     * 1/ε, ε^-1 - 2, O(1), -ε² + O(ε³), 0.25, 1 + O(ε^(1/2)), -0.5. */
    const int64_t X = LC_EXACT;
    const int64_t rp[] = {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 17, 17, 17, 18, 20, 20,
                          21, 22, 23, 24};
    const int64_t ks[] = {0, 0, 0, 0, 0, 0, 48, 48, 0, 48, 0, 48, 0, 96, 0, 16, 0, -48,
                          -48, 0, 96, 0, 0, 0};
    const double cs[] = {1, -1, 0.5, -0.5, 1.5, 2.5, 1, -1, 0.5, -1, 0.5, 1, -0.5, 1, 3, -1,
                         2, 1, 1, -2, -1, 0.25, 1, -0.25};
    const int64_t bd[] = {X, X, X, X, X, X, X, X, X, X, X, X, X, 48, 48, -48, X, X, 0, 144, X,
                          24, X};
    OK(&ctx, lc_batch_from_csr(&ctx, &b, 23, rp, ks, cs, bd, 48));
    for (int conv = 0; conv < 3 * 4 * 3; conv++) {
        ctx.h0 = (lc_h0)(conv % 3);
        ctx.round_tie = (lc_round_tie)(conv / 3 % 4);
        ctx.sign0 = (double)(conv / 12) - 1.0;
        for (int64_t r = 0; r < b.nrows; r++) check_disc_row(&b, r);
    }
    ctx.sign0 = -0.0;
    check_disc_row(&b, 0); /* sign(0) = −0 comes out as +0 */
    /* Random rows around 0 on denominators 16 and 3, float / int32 storage
     * every other round. */
    lt_gen opt = {4, -8, 24, 0.5, 0.1, 0};
    for (int round = 0; round < 12; round++) {
        int64_t den = round % 2 ? 3 : 16;
        lc_batch_clear(&ctx, &b);
        lc_batch_init(&b, round % 4 < 2 ? LC_F64 : LC_F32, round % 4 < 2 ? LC_I64 : LC_I32);
        opt.kmin = -den / 2;
        opt.kmax = 2 * den;
        OK(&ctx, lt_random_batch(&ctx, &g, &b, 150, den, &opt));
        ctx.h0 = (lc_h0)(round % 3);
        ctx.round_tie = (lc_round_tie)(round % 4);
        ctx.sign0 = 0.0;
        for (int64_t r = 0; r < b.nrows; r++) check_disc_row(&b, r);
    }
    ctx.h0 = LC_H0_ZERO;
    ctx.round_tie = LC_TIE_AWAY;
    ctx.sign0 = 0.0;
    lc_batch_clear(&ctx, &b);
}

/* _lc_row_cmp on raw rows (one denominator) against the sign of lc_sub's
 * difference read off its leading term, antisymmetric, and lc_cmp against it;
 * empty rows may pass NULL arrays. */
static void test_raw_cmp(void)
{
    lt_rng g = {20261125};
    lc_batch a, b, d;
    int s1 = 9, s2 = 9, decided = 0;
    CHECK(_lc_row_cmp(NULL, NULL, 0, LC_EXACT, NULL, NULL, 0, LC_EXACT, &s1) == LC_OK && s1 == 0);
    CHECK(_lc_row_cmp(NULL, NULL, 0, 5, NULL, NULL, 0, LC_EXACT, &s1) == LC_EUNDEF);
    CHECK(_lc_row_cmp((int64_t[]){7}, (double[]){-1}, 1, 9, NULL, NULL, 0, 3, &s1) == LC_EUNDEF);
    CHECK(_lc_row_cmp((int64_t[]){2}, (double[]){-1}, 1, 9, NULL, NULL, 0, 3, &s1) == LC_OK &&
          s1 == -1);
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&b, LC_F32, LC_I32);
    lc_batch_init(&d, LC_F64, LC_I64);
    for (int it = 0; it < 2000; it++) {
        lt_gen o = {3, -8, 16, it % 2 ? 1.0 : 0.5, 0.2, 0};
        int64_t ka[8], kb[8], na, nb;
        double ca[8], cb[8];
        CHECK(!lt_random_batch(&ctx, &g, &a, 1, 16, &o));
        CHECK(!lt_random_batch(&ctx, &g, &b, 1, 16, &o));
        if (it % 3 == 0) CHECK(!lc_batch_convert(&ctx, &b, LC_F32, LC_I32) && !lc_batch_copy(&ctx, &b, &a));
        if (it % 5 == 0) CHECK(!lc_add(&ctx, &b, &b, &a)); /* b − a starts beyond ε⁰ */
        na = lc_row_len(&a, 0);
        nb = lc_row_len(&b, 0);
        for (int64_t i = 0; i < na; i++) lc_row_term(&a, 0, i, &ka[i], &ca[i]);
        for (int64_t i = 0; i < nb; i++) lc_row_term(&b, 0, i, &kb[i], &cb[i]);
        lc_status st = _lc_row_cmp(ka, ca, na, a.bound[0], kb, cb, nb, b.bound[0], &s1);
        lc_status rst = _lc_row_cmp(kb, cb, nb, b.bound[0], ka, ca, na, a.bound[0], &s2);
        CHECK(!lc_sub(&ctx, &d, &a, &b));
        int want = lead_sign(&d);
        CHECK(st == (want == 2 ? LC_EUNDEF : LC_OK) && rst == st);
        CHECK(st || (s1 == want && s2 == -s1));
        int out = 9;
        CHECK(lc_cmp(&ctx, &a, &b, &out) == st && (st || out == s1));
        decided += st == LC_OK;
    }
    CHECK(decided > 500 && decided < 2000); /* both kinds of case were met */
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &d);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("usage: %s\nUnit tests of the raw order layer <infnum/raw_order.h>"
               " (exit 1 on failure).\n", argv[0]);
        return strcmp(argv[1], "--help") != 0;
    }
    lc_ctx_init(&ctx);
    test_raw_disc();
    test_raw_cmp();
    lc_ctx_clear(&ctx);
    return lt_report("test_order_raw");
}
