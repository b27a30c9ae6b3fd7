/* SPDX-License-Identifier: MIT */
/* Field identities on seeded random inputs, and the special cases of the
 * field: roots of ε, reciprocals of infinitesimals, domain errors. */
#include "lc_test.h"

/* Parses one number into b. */
static void num(lc_ctx *ctx, lc_batch *b, const char *s) { OK(ctx, lc_batch_parse(ctx, b, 1, &s)); }

/* Largest |coefficient| of row r (at least 1). */
static double rowmax(const lc_batch *b, int64_t r)
{
    double m = 1, c;
    for (int64_t i = 0; i < lc_row_len(b, r); i++) {
        lc_row_term(b, r, i, NULL, &c);
        if (fabs(c) > m) m = fabs(c);
    }
    return m;
}

/* Rows of x and y agree below min(their bounds) within tol·max(1, max|c| of
 * x): every term of one is matched in the other (or is below that). */
static int agree(const lc_batch *x, int64_t rx, const lc_batch *y, int64_t ry, double tol)
{
    int64_t g = x->den, h = y->den;
    while (h) { int64_t t = g % h; g = h; h = t; }
    int64_t mx_ = y->den / g, my = x->den / g; /* common grid: den·mx_ */
    int64_t px = x->bound[rx] == LC_EXACT ? LC_EXACT : x->bound[rx] * mx_;
    int64_t py = y->bound[ry] == LC_EXACT ? LC_EXACT : y->bound[ry] * my;
    int64_t p = px < py ? px : py;
    int64_t i = 0, j = 0, nx = lc_row_len(x, rx), ny = lc_row_len(y, ry);
    double mx = rowmax(x, rx);
    while (i < nx || j < ny) {
        int64_t kx = LC_EXACT, ky = LC_EXACT;
        double cx = 0, cy = 0;
        if (i < nx) { lc_row_term(x, rx, i, &kx, &cx); kx *= mx_; }
        if (j < ny) { lc_row_term(y, ry, j, &ky, &cy); ky *= my; }
        int64_t k = kx < ky ? kx : ky;
        if (k >= p) break;
        double a = kx == k ? cx : 0, b = ky == k ? cy : 0;
        if (fabs(a - b) > tol * mx) return 0;
        i += kx == k;
        j += ky == k;
    }
    return 1;
}

static void random_identities(lc_ctx *ctx)
{
    lt_rng g = {1234};
    lt_gen o = {5, -32, 48, 0.5, 0.05, 0}, on = {5, -32, 48, 0.5, 0, 0};
    lc_batch a, b, c, t, u, v;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I32);
    lc_batch_init(&c, LC_F64, LC_I32);
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_batch_init(&u, LC_F64, LC_I32);
    lc_batch_init(&v, LC_F64, LC_I32);
    for (int rep = 0; rep < 10; rep++) {
        OK(ctx, lt_random_batch(ctx, &g, &a, 100, 16, &on));
        OK(ctx, lt_random_batch(ctx, &g, &b, 100, rep % 2 ? 3 : 16, &o));
        OK(ctx, lt_random_batch(ctx, &g, &c, 100, 16, &o));
        /* (a + b) - b = a below the bounds */
        OK(ctx, lc_add(ctx, &t, &a, &b));
        OK(ctx, lc_sub(ctx, &t, &t, &b));
        OK(ctx, lc_batch_refine(ctx, &a, t.den));
        for (int64_t r = 0; r < 100; r++) {
            int64_t pb = b.bound[r] == LC_EXACT ? LC_EXACT : b.bound[r] * (t.den / b.den);
            int64_t pa = a.bound[r];
            CHECK(t.bound[r] == (pa < pb ? pa : pb));
            CHECK(agree(&t, r, &a, r, 1e-14));
        }
        /* a · (1/a) = 1 up to the bound, and the bound is > 0 */
        OK(ctx, lc_recip(ctx, &v, &a));
        OK(ctx, lc_mul(ctx, &t, &v, &a));
        OK(ctx, lc_batch_set_real(ctx, &u, 1, (double[]){1}));
        OK(ctx, lc_batch_refine(ctx, &u, t.den));
        for (int64_t r = 0; r < 100; r++) {
            CHECK(t.bound[r] > 0);
            CHECK(agree(&t, r, &u, 0, 1e-13 * rowmax(&v, r) * rowmax(&a, r)));
        }
        /* a·(b + c) = a·b + a·c below both bounds */
        OK(ctx, lc_add(ctx, &t, &b, &c));
        OK(ctx, lc_mul(ctx, &t, &a, &t));
        OK(ctx, lc_mul(ctx, &u, &a, &b));
        OK(ctx, lc_mul(ctx, &v, &a, &c));
        OK(ctx, lc_add(ctx, &u, &u, &v));
        for (int64_t r = 0; r < 100; r++) CHECK(agree(&t, r, &u, r, 1e-12));
        /* sin² + cos² = 1 and exp(log x) = x on finite x with positive st */
        lt_gen of = {4, 1, 40, 0.5, 0.05, 0};
        double s[100];
        for (int r = 0; r < 100; r++) s[r] = 0.5 + lt_unif(&g);
        OK(ctx, lt_random_batch(ctx, &g, &a, 100, 8, &of));
        OK(ctx, lc_batch_set_real(ctx, &v, 100, s));
        OK(ctx, lc_add(ctx, &a, &a, &v));
        OK(ctx, lc_sin(ctx, &t, &a));
        OK(ctx, lc_mul(ctx, &t, &t, &t));
        OK(ctx, lc_cos(ctx, &u, &a));
        OK(ctx, lc_mul(ctx, &u, &u, &u));
        OK(ctx, lc_add(ctx, &t, &t, &u));
        OK(ctx, lc_batch_set_real(ctx, &u, 1, (double[]){1}));
        OK(ctx, lc_batch_refine(ctx, &u, t.den));
        for (int64_t r = 0; r < 100; r++) CHECK(agree(&t, r, &u, 0, 1e-12));
        /* (round-off grows with the powers of log x's coefficients: tolerance
         * 1e-12·max|c|² — a wrong coefficient is off by O(1)) */
        OK(ctx, lc_log(ctx, &v, &a));
        OK(ctx, lc_exp(ctx, &t, &v));
        for (int64_t r = 0; r < 100; r++) {
            int ok = t.bound[r] <= a.bound[r] && agree(&t, r, &a, r, 1e-12 * rowmax(&v, r) * rowmax(&v, r));
            CHECK(ok);
            if (!ok) {
                char buf[4096];
                lc_row_print(ctx, &a, r, buf, sizeof buf); fprintf(stderr, " x: %s\n", buf);
                lc_row_print(ctx, &v, r, buf, sizeof buf); fprintf(stderr, " log x: %s\n", buf);
                lc_row_print(ctx, &t, r, buf, sizeof buf); fprintf(stderr, " exp log x: %s\n", buf);
            }
        }
    }
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &b);
    lc_batch_clear(ctx, &c);
    lc_batch_clear(ctx, &t);
    lc_batch_clear(ctx, &u);
    lc_batch_clear(ctx, &v);
}

static void special_cases(lc_ctx *ctx)
{
    lc_batch e, x, y;
    lc_batch_init(&e, LC_F64, LC_I32);
    lc_batch_init(&x, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    char buf[256];
    /* ε^{1/3}·ε^{2/3} = ε exactly */
    OK(ctx, lc_batch_set_monomial(ctx, &e, 1, 1.0, 1, 1));
    OK(ctx, lc_pow_q(ctx, &x, &e, 1, 3));
    OK(ctx, lc_pow_q(ctx, &y, &e, 2, 3));
    OK(ctx, lc_mul(ctx, &x, &x, &y));
    OK(ctx, lc_row_print(ctx, &x, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "ε") == 0 && x.bound[0] == LC_EXACT);
    /* 1/(ε + ε²) = ε⁻¹ - 1 + ε - ... with leading term ε⁻¹ */
    num(ctx, &x, "eps + eps^2");
    OK(ctx, lc_recip(ctx, &y, &x));
    int64_t k;
    double c;
    OK(ctx, lc_row_leading(ctx, &y, 0, &k, &c));
    CHECK(k == -y.den && c == 1);
    CHECK(y.bound[0] == (int64_t)(ctx->depth - 1) * y.den);
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strncmp(buf, "ε^-1 - 1 + ε - ε^2", strlen("ε^-1 - 1 + ε - ε^2")) == 0);
    /* sqrt(-ε) leaves the field; (-ε)^{1/3} = -ε^{1/3} */
    num(ctx, &x, "-eps");
    CHECK_ST(ctx, lc_sqrt(ctx, &y, &x), LC_EDOMAIN);
    OK(ctx, lc_pow_q(ctx, &y, &x, 1, 3));
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "-ε^(1/3)") == 0 && y.bound[0] == LC_EXACT);
    /* sqrt(4 + ε) = 2 + ε/4 - ε²/64 ... ; sqrt(ε²) = ε exactly */
    num(ctx, &x, "4 + eps");
    OK(ctx, lc_sqrt(ctx, &y, &x));
    double co[1];
    OK(ctx, lc_batch_coeff(ctx, &y, 1, 1, co));
    CHECK(fabs(co[0] - 0.25) < 1e-15);
    OK(ctx, lc_batch_coeff(ctx, &y, 2, 1, co));
    CHECK(fabs(co[0] + 1.0 / 64) < 1e-15);
    num(ctx, &x, "eps^2");
    OK(ctx, lc_sqrt(ctx, &y, &x));
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "ε") == 0);
    /* log(ε), exp(1/ε), 1/0, log(0), log(-1), 1/O(ε) */
    num(ctx, &x, "eps");
    CHECK_ST(ctx, lc_log(ctx, &y, &x), LC_EDOMAIN);
    CHECK(strcmp(ctx->err, "lc_log: row 0: log of an infinitesimal is not in the field") == 0);
    num(ctx, &x, "eps^-1");
    CHECK_ST(ctx, lc_exp(ctx, &y, &x), LC_EDOMAIN);
    num(ctx, &x, "0");
    CHECK_ST(ctx, lc_recip(ctx, &y, &x), LC_EDIVZERO);
    CHECK_ST(ctx, lc_div(ctx, &y, &e, &x), LC_EDIVZERO);
    CHECK_ST(ctx, lc_log(ctx, &y, &x), LC_EDOMAIN);
    CHECK_ST(ctx, lc_pow_q(ctx, &y, &x, -1, 2), LC_EDIVZERO);
    CHECK_ST(ctx, lc_pow_q(ctx, &y, &x, 0, 1), LC_EDOMAIN);
    OK(ctx, lc_pow_si(ctx, &y, &x, 0)); /* 0^0 = 1 for integer powers */
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "1") == 0);
    num(ctx, &x, "-1 + eps");
    CHECK_ST(ctx, lc_log(ctx, &y, &x), LC_EDOMAIN);
    num(ctx, &x, "O(eps)");
    CHECK_ST(ctx, lc_recip(ctx, &y, &x), LC_EUNDEF);
    num(ctx, &x, "O(eps^-1)");
    CHECK_ST(ctx, lc_exp(ctx, &y, &x), LC_EUNDEF);
    /* exp(O(ε)) = 1 + O(ε); exp(0) = 1 exactly; sin(ε) = ε - ε³/6 + ... */
    num(ctx, &x, "O(eps)");
    OK(ctx, lc_exp(ctx, &y, &x));
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "1 + O(ε)") == 0);
    num(ctx, &x, "0");
    OK(ctx, lc_exp(ctx, &y, &x));
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "1") == 0);
    num(ctx, &x, "eps + O(eps^5)");
    OK(ctx, lc_sin(ctx, &y, &x));
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "ε - 0.16666666666666666ε^3 + O(ε^5)") == 0);
    /* a real exponent needs leading exponent 0: (1+ε)^0.1 fine, ε^0.1 not */
    num(ctx, &x, "1 + eps");
    OK(ctx, lc_pow(ctx, &y, &x, 0.1));
    OK(ctx, lc_batch_coeff(ctx, &y, 1, 1, co));
    CHECK(fabs(co[0] - 0.1) < 1e-15);
    CHECK_ST(ctx, lc_pow(ctx, &y, &e, 0.1), LC_EDOMAIN);
    OK(ctx, lc_pow(ctx, &y, &e, 0.5)); /* dyadic: ε^(1/2) */
    OK(ctx, lc_row_print(ctx, &y, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "ε^(1/2)") == 0);
    /* shape errors */
    OK(ctx, lc_batch_set_real(ctx, &x, 2, (double[]){1, 2}));
    OK(ctx, lc_batch_set_real(ctx, &y, 3, (double[]){1, 2, 3}));
    CHECK_ST(ctx, lc_add(ctx, &x, &x, &y), LC_ESHAPE);
    CHECK(x.nrows == 2);
    lc_batch_clear(ctx, &e);
    lc_batch_clear(ctx, &x);
    lc_batch_clear(ctx, &y);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    special_cases(&ctx);
    ctx.depth = 4;
    random_identities(&ctx);
    ctx.nthreads = 2;
    ctx.par_min_rows = 1;
    random_identities(&ctx);
    lc_ctx_clear(&ctx);
    return lt_report("test_identities");
}
