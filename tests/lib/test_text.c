/* SPDX-License-Identifier: MIT */
/* Text form: printing, parsing, exact round trips, parse errors. */
#include "lc_test.h"

/* a row ra equals b row rb as numbers (exponents compared as fractions,
 * coefficients bit for bit, bounds). */
static int same_row(const lc_batch *a, int64_t ra, const lc_batch *b, int64_t rb)
{
    if (lc_row_len(a, ra) != lc_row_len(b, rb)) return 0;
    for (int64_t i = 0; i < lc_row_len(a, ra); i++) {
        int64_t k1, k2;
        double c1, c2;
        lc_row_term(a, ra, i, &k1, &c1);
        lc_row_term(b, rb, i, &k2, &c2);
        if (k1 * b->den != k2 * a->den || c1 != c2) return 0;
    }
    int64_t p1 = a->bound[ra], p2 = b->bound[rb];
    if ((p1 == LC_EXACT) != (p2 == LC_EXACT)) return 0;
    return p1 == LC_EXACT || p1 * b->den == p2 * a->den;
}

static void check_print(lc_ctx *ctx, const char *in, const char *want)
{
    lc_batch b;
    char buf[256];
    lc_batch_init(&b, LC_F64, LC_I32);
    OK(ctx, lc_batch_parse(ctx, &b, 1, &in));
    OK(ctx, lc_row_print(ctx, &b, 0, buf, sizeof buf));
    if (strcmp(buf, want) != 0) {
        fprintf(stderr, "parse+print of \"%s\" gave \"%s\", expected \"%s\"\n", in, buf, want);
        CHECK(0);
    }
    lc_batch_clear(ctx, &b);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    check_print(&ctx, "1 + 2ε - 0.5ε^(1/2) + 3ε^-1 + O(ε^3)", "3ε^-1 + 1 - 0.5ε^(1/2) + 2ε + O(ε^3)");
    check_print(&ctx, "1 + 2eps - 0.5 eps^(1/2) + 3*eps^-1 + O(eps^3)", "3ε^-1 + 1 - 0.5ε^(1/2) + 2ε + O(ε^3)");
    check_print(&ctx, "0", "0");
    check_print(&ctx, "O(eps^2)", "O(ε^2)");
    check_print(&ctx, "O(1)", "O(1)");
    check_print(&ctx, "-eps + eps", "0");
    check_print(&ctx, "eps^(2/6) - eps^(-3/4) + eps^5 + O(eps^2)", "-ε^(-3/4) + ε^(1/3) + O(ε^2)");
    check_print(&ctx, "  -1.5e-3   ", "-0.0015");
    check_print(&ctx, "0.1", "0.10000000000000001");

    /* exact round trips of random batches with dens 1, 3, 16, 48 */
    lt_rng g = {5};
    lt_gen o = {6, -60, 60, 0.4, 0.1, 0};
    char *bufs[50];
    for (int i = 0; i < 50; i++) bufs[i] = malloc(2048);
    static const int64_t dens[] = {1, 3, 16, 48};
    for (int rep = 0; rep < 40; rep++) {
        lc_batch a, b;
        lc_batch_init(&a, LC_F64, LC_I64);
        lc_batch_init(&b, rep % 2 ? LC_F64 : LC_F64, rep % 3 ? LC_I32 : LC_I64);
        b.den = 1;
        OK(&ctx, lt_random_batch(&ctx, &g, &a, 50, dens[rep % 4], &o));
        for (int64_t r = 0; r < 50; r++) OK(&ctx, lc_row_print(&ctx, &a, r, bufs[r], 2048));
        OK(&ctx, lc_batch_parse(&ctx, &b, 50, (const char *const *)bufs));
        CHECK(b.nrows == 50 && a.den % b.den == 0);
        for (int64_t r = 0; r < 50; r++) {
            if (!same_row(&a, r, &b, r)) {
                fprintf(stderr, "round trip of \"%s\" failed\n", bufs[r]);
                CHECK(0);
            }
        }
        lc_batch_clear(&ctx, &a);
        lc_batch_clear(&ctx, &b);
    }
    for (int i = 0; i < 50; i++) free(bufs[i]);

    /* small buffer, parse errors with positions */
    lc_batch b;
    lc_batch_init(&b, LC_F64, LC_I32);
    const char *good = "1 + 2eps + O(eps^3)";
    OK(&ctx, lc_batch_parse(&ctx, &b, 1, &good));
    char small[6];
    CHECK_ST(&ctx, lc_row_print(&ctx, &b, 0, small, sizeof small), LC_EINVAL);
    CHECK(small[0] == '\0');
    static const char *const bad[] = {"", "1 +", "1 + + 2", "eps^", "eps^(1/0)", "O(eps", "1 2",
                                      "nan", "inf", "x", "1 + O(eps) + O(eps^2)", "eps^(1/2",
                                      "eps^99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_ST(&ctx, lc_batch_parse(&ctx, &b, 1, &bad[i]), LC_EPARSE);
        CHECK(strstr(ctx.err, "lc_batch_parse: text 0, column") != NULL);
    }
    CHECK(b.nrows == 1 && lc_row_len(&b, 0) == 2); /* untouched by the failures */
    const char *two[2] = {"1", "1 + "};
    CHECK_ST(&ctx, lc_batch_parse(&ctx, &b, 2, two), LC_EPARSE);
    CHECK(strstr(ctx.err, "text 1") != NULL);
    lc_batch_clear(&ctx, &b);
    lc_ctx_clear(&ctx);
    return lt_report("test_text");
}
