/* SPDX-License-Identifier: MIT */
/* Arithmetic against the naive reference (tests/common/lc_naive.h):
 * add, sub, mul, div, recip, pow_si, pow_q, sqrt, pow on seeded random
 * batches with infinite, infinitesimal and unknown rows, mixed denominators
 * (3, 16, 48) and inexact bounds. Exponent sets and bounds must agree
 * exactly, coefficients to TOL relative to the row's largest coefficient. */
#include "lc_naive.h"

#define TOL 1e-9

enum { ADD, SUB, MUL, DIV };
static const char *const opname[] = {"add", "sub", "mul", "div"};

/* Reference for x = a ε^L (1+δ) ↦ a^r ε^{rL} Σ C(r,j) δ^j, on x's grid;
 * r = rp/rq, N relative truncation. */
typedef struct { long double r; } binom_data;
static long double binom_coef(int64_t j, void *d)
{
    long double r = ((binom_data *)d)->r, c = 1;
    for (int64_t i = 0; i < j; i++) c = c * (r - i) / (i + 1);
    return c;
}
static ln_num ref_pow(const ln_num *x, int64_t rp, int64_t rq, int64_t N)
{
    int64_t L = ln_lead(x);
    long double a = ln_coef(x, L);
    ln_num d = ln_make(x->lo - L, x->n, ln_badd(x->p, -L));
    for (int64_t i = 0; i < x->n; i++) d.c[i] = x->c[i] / a;
    d.c[L - x->lo] = 0; /* δ = x/(aε^L) - 1 */
    binom_data bd = {(long double)rp / rq};
    ln_num y = ln_series(binom_coef, &bd, &d, N);
    long double ar = powl(fabsl(a), bd.r);
    if (a < 0 && rp % 2) ar = -ar;
    ln_scale(&y, ar);
    CHECK((rp * L) % rq == 0);
    ln_shift(&y, rp * L / rq);
    ln_free(&d);
    return y;
}

static int64_t lcm(int64_t a, int64_t b)
{
    int64_t x = a, y = b;
    while (y) { int64_t t = x % y; x = y; y = t; }
    return a / x * b;
}

static void test_binary(lc_ctx *ctx, lt_rng *g, int op, int64_t da, int64_t db, int64_t na, int64_t nb,
                        lc_ctype ct, lc_etype et)
{
    lt_gen ga = {5, -2 * da, 3 * da, 0.5, 0.1, 0}, gb = {5, -2 * db, 3 * db, 0.5, op == DIV ? 0 : 0.1, 0};
    lc_batch a, b, out;
    lc_batch_init(&a, LC_F64, et);
    lc_batch_init(&b, LC_F64, LC_I64);
    lc_batch_init(&out, ct, et);
    OK(ctx, lt_random_batch(ctx, g, &a, na, da, &ga));
    OK(ctx, lt_random_batch(ctx, g, &b, nb, db, &gb));
    lc_status st;
    switch (op) {
    case ADD: st = lc_add(ctx, &out, &a, &b); break;
    case SUB: st = lc_sub(ctx, &out, &a, &b); break;
    case MUL: st = lc_mul(ctx, &out, &a, &b); break;
    default: st = lc_div(ctx, &out, &a, &b);
    }
    int64_t n = na > nb ? na : nb, D = lcm(da, db);
    /* div: an unknown row of b has no reciprocal */
    int undef = 0;
    for (int64_t r = 0; op == DIV && r < nb; r++) undef |= lc_row_len(&b, r) == 0;
    if (undef) {
        CHECK(st == LC_EUNDEF);
        goto done;
    }
    CHECK(st == LC_OK);
    if (st != LC_OK) { fprintf(stderr, "%s\n", ctx->err); goto done; }
    CHECK(out.nrows == n && out.den == D);
    OK(ctx, lc_batch_check(ctx, &out));
    for (int64_t r = 0; r < n; r++) {
        ln_num x = ln_from_row(&a, na == 1 ? 0 : r, D / da), y = ln_from_row(&b, nb == 1 ? 0 : r, D / db), z;
        if (op == ADD) z = ln_add(&x, &y, 1);
        else if (op == SUB) z = ln_add(&x, &y, -1);
        else if (op == MUL) z = ln_mul(&x, &y);
        else {
            ln_num iy = ref_pow(&y, -1, 1, ctx->depth * D);
            if (getenv("LT_DEBUG")) {
                lc_batch rb;
                lc_batch_init(&rb, LC_F64, LC_I64);
                OK(ctx, lc_recip(ctx, &rb, &b));
                ln_num y1 = ln_from_row(&b, nb == 1 ? 0 : r, 1);
                ln_num iy1 = ref_pow(&y1, -1, 1, ctx->depth * db);
                CHECK(ln_check_row(&rb, nb == 1 ? 0 : r, &iy1, TOL, "recip"));
                lc_batch_clear(ctx, &rb);
                ln_free(&y1); ln_free(&iy1);
            }
            z = ln_mul(&x, &iy);
            ln_free(&iy);
        }
        CHECK(ln_check_row(&out, r, &z, ct == LC_F32 ? 1e-5 : TOL, opname[op]));
        ln_free(&x);
        ln_free(&y);
        ln_free(&z);
    }
done:
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &b);
    lc_batch_clear(ctx, &out);
}

/* x^(p/q) (q = 0: lc_pow_si(p); q < 0: lc_pow(p / -q as a double)). */
static void test_power(lc_ctx *ctx, lt_rng *g, int64_t da, int64_t p, int64_t q)
{
    int even = q > 0 ? q % 2 == 0 : q < 0 && (-q) % 2 == 0;
    lt_gen ga = {4, -2 * da, 2 * da, 0.5, 0, even};
    lc_batch a, out;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&out, LC_F64, LC_I32);
    OK(ctx, lt_random_batch(ctx, g, &a, 40, da, &ga));
    lc_status st = q == 0 ? lc_pow_si(ctx, &out, &a, p)
                 : q < 0 ? lc_pow(ctx, &out, &a, (double)p / (double)-q)
                 : q == 2 && p == 1 ? lc_sqrt(ctx, &out, &a) : lc_pow_q(ctx, &out, &a, p, q);
    CHECK(st == LC_OK);
    if (st != LC_OK) { fprintf(stderr, "pow %lld/%lld: %s\n", (long long)p, (long long)q, ctx->err); goto done; }
    CHECK(out.den % da == 0);
    for (int64_t r = 0; r < 40; r++) {
        int64_t m = out.den / da, qq = q < 0 ? -q : q;
        ln_num x = ln_from_row(&a, r, m), z;
        if (q == 0) { /* repeated products (reciprocal first for p < 0) */
            ln_num base = p < 0 ? ref_pow(&x, -1, 1, ctx->depth * out.den) : ln_add(&x, &x, 0);
            z = ln_const(1);
            for (int64_t i = 0; i < (p < 0 ? -p : p); i++) {
                ln_num t = ln_mul(&z, &base);
                ln_free(&z);
                z = t;
            }
            ln_free(&base);
        } else z = ref_pow(&x, p, qq, ctx->depth * out.den);
        CHECK(ln_check_row(&out, r, &z, TOL, "pow"));
        ln_free(&x);
        ln_free(&z);
    }
done:
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &out);
}

/* Same results for every storage type (float to float tolerance). */
static void test_types(lc_ctx *ctx, lt_rng *g)
{
    lt_gen o = {5, -16, 48, 0.5, 0.1, 0};
    lc_batch a, b, ref, out, a2, b2;
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&b, LC_F64, LC_I64);
    lc_batch_init(&ref, LC_F64, LC_I64);
    OK(ctx, lt_random_batch(ctx, g, &a, 30, 16, &o));
    OK(ctx, lt_random_batch(ctx, g, &b, 30, 16, &o));
    /* float inputs: round a and b to float first so both paths see the same numbers */
    lc_batch_init(&a2, LC_F32, LC_I32);
    lc_batch_init(&b2, LC_F32, LC_I32);
    OK(ctx, lc_batch_copy(ctx, &a2, &a));
    OK(ctx, lc_batch_copy(ctx, &b2, &b));
    OK(ctx, lc_batch_copy(ctx, &a, &a2));
    OK(ctx, lc_batch_copy(ctx, &b, &b2));
    lc_batch_clear(ctx, &a2);
    lc_batch_clear(ctx, &b2);
    OK(ctx, lc_mul(ctx, &ref, &a, &b));
    OK(ctx, lc_add(ctx, &ref, &ref, &a));
    for (int ct = 0; ct < 2; ct++)
        for (int et = 0; et < 2; et++) {
            lc_batch_init(&out, (lc_ctype)ct, (lc_etype)et);
            lc_batch_init(&a2, (lc_ctype)ct, (lc_etype)et);
            OK(ctx, lc_batch_copy(ctx, &a2, &a));
            OK(ctx, lc_mul(ctx, &out, &a2, &b));
            OK(ctx, lc_add(ctx, &out, &out, &a2));
            CHECK(out.ctype == (lc_ctype)ct && out.etype == (lc_etype)et);
            CHECK(lc_batch_nnz(&out) == lc_batch_nnz(&ref));
            for (int64_t r = 0; r < ref.nrows; r++) {
                CHECK(out.bound[r] == ref.bound[r] && lc_row_len(&out, r) == lc_row_len(&ref, r));
                for (int64_t i = 0; i < lc_row_len(&ref, r) && i < lc_row_len(&out, r); i++) {
                    int64_t k1, k2;
                    double c1, c2;
                    lc_row_term(&ref, r, i, &k1, &c1);
                    lc_row_term(&out, r, i, &k2, &c2);
                    CHECK(k1 == k2 && fabs(c1 - c2) <= (ct == LC_F32 ? 1e-6 : 0) * (fabs(c1) + 1));
                }
            }
            lc_batch_clear(ctx, &out);
            lc_batch_clear(ctx, &a2);
        }
    /* int32 exponents widen to int64 when a result leaves int32 */
    lc_batch_init(&out, LC_F64, LC_I32);
    OK(ctx, lc_batch_set_monomial(ctx, &a, 1, 1.0, 1, 1));
    OK(ctx, lc_batch_set_den(ctx, &a, (int64_t)1 << 30)); /* ε = ε^(2^30 / 2^30) */
    OK(ctx, lc_batch_convert(ctx, &a, LC_F64, LC_I32));
    OK(ctx, lc_mul(ctx, &out, &a, &a)); /* ε²: k = 2^31 */
    CHECK(out.etype == LC_I64 && lc_row_len(&out, 0) == 1 && ((int64_t *)out.exps)[0] == (int64_t)1 << 31);
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &b);
    lc_batch_clear(ctx, &ref);
    lc_batch_clear(ctx, &out);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.depth = 3;
    lt_rng g = {20261124};
    static const int64_t dens[][2] = {{16, 16}, {3, 16}, {1, 3}, {48, 2}};
    for (int rep = 0; rep < 6; rep++)
        for (int d = 0; d < 4; d++)
            for (int op = ADD; op <= DIV; op++) {
                test_binary(&ctx, &g, op, dens[d][0], dens[d][1], 60, 60, LC_F64, LC_I32);
                test_binary(&ctx, &g, op, dens[d][0], dens[d][1], 1, 30, LC_F64, LC_I64);
                test_binary(&ctx, &g, op, dens[d][1], dens[d][0], 30, 1, LC_F32, LC_I32);
            }
    for (int rep = 0; rep < 4; rep++)
        for (int64_t da = 1; da <= 16; da *= 4) {
            test_power(&ctx, &g, da, 3, 0);
            test_power(&ctx, &g, da, -2, 0);
            test_power(&ctx, &g, da, 0, 0);
            test_power(&ctx, &g, da, 1, 2);
            test_power(&ctx, &g, da, 1, 3);
            test_power(&ctx, &g, da, -2, 3);
            test_power(&ctx, &g, da, 5, 4);
            test_power(&ctx, &g, da, -1, 1);
            test_power(&ctx, &g, da, 3, -4); /* lc_pow(0.75) */
        }
    test_types(&ctx, &g);
    ctx.nthreads = 2; /* threaded results are identical */
    ctx.par_min_rows = 1;
    lt_rng g2 = {7};
    test_binary(&ctx, &g2, MUL, 3, 16, 300, 300, LC_F64, LC_I32);
    lc_ctx_clear(&ctx);
    return lt_report("test_arith");
}
