/* SPDX-License-Identifier: MIT */
/* First-order forward mode (infnum/first.h) against the general path: on
 * seeded random lc_fo operands (standard parts and ε coefficients zero now
 * and then), every operation's rows (lc_fo_to_batch) must equal the general
 * operation on the operands' rows, truncated at O(ε²): the same terms and
 * bounds exactly, coefficients within TOL relative. Also: aliasing, the
 * errors (out unchanged), and allocation failures. */
#include "infnum/first.h"
#include "lc_test.h"

#define TOL 1e-13

enum { ADD, SUB, MUL, DIV, AFFINE, ABS, EXP, SIN, COS, TANH, NOPS };
static const char *const names[NOPS] = {"add", "sub", "mul", "div", "affine", "abs", "exp", "sin", "cos", "tanh"};

static lc_status fo_op(lc_ctx *c, int op, lc_fo *o, const lc_fo *x, const lc_fo *y, double s, double t)
{
    switch (op) {
    case ADD: return lc_fo_add(c, o, x, y);
    case SUB: return lc_fo_sub(c, o, x, y);
    case MUL: return lc_fo_mul(c, o, x, y);
    case DIV: return lc_fo_div(c, o, x, y);
    case AFFINE: return lc_fo_affine(c, o, x, s, t);
    case ABS: return lc_fo_abs(c, o, x);
    case EXP: return lc_fo_exp(c, o, x);
    case SIN: return lc_fo_sin(c, o, x);
    case COS: return lc_fo_cos(c, o, x);
    default: return lc_fo_tanh(c, o, x);
    }
}

/* The general path on the rows, truncated at O(ε²) by adding O(ε²). */
static lc_status general_op(lc_ctx *c, int op, lc_batch *o, const lc_batch *x, const lc_batch *y, double s,
                            double t)
{
    lc_status st;
    switch (op) {
    case ADD: st = lc_add(c, o, x, y); break;
    case SUB: st = lc_sub(c, o, x, y); break;
    case MUL: st = lc_mul(c, o, x, y); break;
    case DIV: st = lc_div(c, o, x, y); break;
    case AFFINE:
        st = lc_scale(c, o, x, s);
        if (!st) st = lc_add_real(c, o, o, t);
        break;
    case ABS: st = lc_abs(c, o, x); break;
    case EXP: st = lc_exp(c, o, x); break;
    case SIN: st = lc_sin(c, o, x); break;
    case COS: st = lc_cos(c, o, x); break;
    default: st = lc_tanh(c, o, x);
    }
    if (st) return st;
    lc_batch z;
    lc_batch_init(&z, LC_F64, LC_I32);
    int64_t rp[2] = {0, 0}, p = 2;
    st = lc_batch_from_csr(c, &z, 1, rp, NULL, NULL, &p, 1);
    if (!st) st = lc_add(c, o, o, &z);
    lc_batch_clear(c, &z);
    return st;
}

/* Same terms and bounds, coefficients within TOL. */
static int close_rows(const lc_batch *got, const lc_batch *want, const char *what)
{
    int ok = got->nrows == want->nrows && got->den == want->den;
    for (int64_t r = 0; ok && r < got->nrows; r++) {
        ok = lc_row_len(got, r) == lc_row_len(want, r) && got->bound[r] == want->bound[r];
        for (int64_t i = 0; ok && i < lc_row_len(got, r); i++) {
            int64_t kg, kw;
            double cg, cw;
            lc_row_term(got, r, i, &kg, &cg);
            lc_row_term(want, r, i, &kw, &cw);
            ok = kg == kw && fabs(cg - cw) <= TOL * fmax(1.0, fabs(cw));
        }
        if (!ok) fprintf(stderr, "  %s: row %lld differs\n", what, (long long)r);
    }
    if (!ok) lt_failures++;
    return ok;
}

static void random_fo(lc_ctx *ctx, lt_rng *g, lc_fo *x, int64_t P)
{
    double *b = malloc(sizeof(double) * (size_t)P);
    for (int64_t j = 0; j < P; j++) b[j] = lt_unif(g) < 0.2 ? 0.0 : lt_coef(g);
    double a = lt_unif(g) < 0.1 ? 0.0 : lt_coef(g);
    OK(ctx, lc_fo_set(ctx, x, P, a, b));
    free(b);
}

static void test_random(void)
{
    lt_rng g = {777};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_fo x, y, o;
    lc_fo_init(&x), lc_fo_init(&y), lc_fo_init(&o);
    lc_batch X, Y, G, W;
    lc_batch_init(&X, LC_F64, LC_I32), lc_batch_init(&Y, LC_F64, LC_I32);
    lc_batch_init(&G, LC_F64, LC_I32), lc_batch_init(&W, LC_F64, LC_I32);
    for (int it = 0; it < 2000; it++) {
        int op = (int)lt_int(&g, 0, NOPS - 1), alias = (int)lt_int(&g, 0, 2);
        int64_t P = lt_int(&g, 1, 24);
        double s = lt_unif(&g) < 0.1 ? 0.0 : lt_coef(&g), t = lt_coef(&g);
        random_fo(&ctx, &g, &x, P);
        random_fo(&ctx, &g, &y, P);
        if (lt_unif(&g) < 0.1) OK(&ctx, lc_fo_seed(&ctx, &y, P, lt_coef(&g), lt_int(&g, 0, P - 1)));
        OK(&ctx, lc_fo_to_batch(&ctx, &X, &x));
        OK(&ctx, lc_fo_to_batch(&ctx, &Y, &y));
        lc_status sw = general_op(&ctx, op, &W, &X, &Y, s, t), sg;
        lc_fo *out = alias == 1 ? &x : alias == 2 ? &y : &o;
        double ya = y.a;
        sg = fo_op(&ctx, op, out, &x, &y, s, t);
        if (op == DIV && ya == 0) {
            CHECK(sg == LC_EDIVZERO);
            continue;
        }
        if (op == ABS && sw == LC_EUNDEF) { /* a row O(ε²): no sign, on either path */
            CHECK_MSG(sg == LC_EUNDEF, "abs: %s where the general path has no sign", lc_status_str(sg));
            continue;
        }
        CHECK_MSG(sg == LC_OK && sw == LC_OK, "%s: %s / %s", names[op], lc_status_str(sg), lc_status_str(sw));
        if (sg || sw) continue;
        OK(&ctx, lc_fo_to_batch(&ctx, &G, out));
        close_rows(&G, &W, names[op]);
    }
    lc_fo_clear(&ctx, &x), lc_fo_clear(&ctx, &y), lc_fo_clear(&ctx, &o);
    lc_batch_clear(&ctx, &X), lc_batch_clear(&ctx, &Y), lc_batch_clear(&ctx, &G), lc_batch_clear(&ctx, &W);
    lc_ctx_clear(&ctx);
}

/* Errors leave out unchanged. */
static void test_errors(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_fo x, y, o;
    lc_fo_init(&x), lc_fo_init(&y), lc_fo_init(&o);
    const double b[3] = {1, 2, 3}, inf = INFINITY;
    EXPECT(lc_fo_set(&ctx, &x, 0, 1, b), LC_EINVAL);
    EXPECT(lc_fo_set(&ctx, &x, 1, inf, b), LC_EINVAL);
    EXPECT(lc_fo_seed(&ctx, &x, 3, 1, 3), LC_EINVAL);
    OK(&ctx, lc_fo_set(&ctx, &x, 3, 800, b));
    OK(&ctx, lc_fo_set(&ctx, &y, 2, 0, b));
    OK(&ctx, lc_fo_set(&ctx, &o, 3, 0.5, b));
    EXPECT(lc_fo_add(&ctx, &o, &x, &y), LC_ESHAPE);
    EXPECT(lc_fo_exp(&ctx, &o, &x), LC_EOVERFLOW);
    EXPECT(lc_fo_affine(&ctx, &o, &x, 1e308, 0), LC_EOVERFLOW);
    EXPECT(lc_fo_affine(&ctx, &o, &x, NAN, 0), LC_EINVAL);
    OK(&ctx, lc_fo_set(&ctx, &y, 3, 0, b));
    EXPECT(lc_fo_div(&ctx, &o, &x, &y), LC_EDIVZERO);
    EXPECT(lc_fo_mul(&ctx, &o, &x, NULL), LC_EINVAL);
    CHECK(o.P == 3 && o.a == 0.5 && o.b[0] == 1 && o.b[1] == 2 && o.b[2] == 3);
    lc_fo_clear(&ctx, &x), lc_fo_clear(&ctx, &y), lc_fo_clear(&ctx, &o);
    lc_ctx_clear(&ctx);
}

static lc_status run_alloc(lc_ctx *c, lt_alloc *al, int64_t k)
{
    const double b[4] = {1, -2, 0, 3};
    lc_fo x, o;
    lc_fo_init(&x), lc_fo_init(&o);
    lc_status st = lc_fo_set(c, &o, 2, 7, b);
    lt_alloc_arm(al, k);
    if (!st) st = lc_fo_set(c, &x, 4, 0.5, b);
    if (!st) st = lc_fo_sin(c, &o, &x);
    if (st) CHECK(o.P == 2 && o.a == 7 && o.b[1] == -2); /* unchanged */
    else CHECK(o.P == 4 && o.a == sin(0.5) && o.b[3] == 3 * cos(0.5));
    al->fail_at = 0;
    lc_fo_clear(c, &x), lc_fo_clear(c, &o);
    return st;
}

int main(void)
{
    test_random();
    test_errors();
    lt_alloc_sweep(20, run_alloc);
    return lt_report("test_first");
}
