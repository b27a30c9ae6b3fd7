/* SPDX-License-Identifier: MIT */
/* The expression layer (infnum/expr.h): every operation of the grammar
 * against the batch call it stands for on random batches (bit-identical
 * results, same status), the task's example against its hand-written
 * version through ngrad / decode / nderiv, several variables through
 * ngrad_vec, the conventions of the context, parse errors with their
 * columns, evaluation errors, allocation failures, and reuse of the plan's
 * buffers across calls. */
#include "infnum/expr.h"
#include "lc_test.h"

/* ---------------------------------------------- each operation vs by hand */

typedef enum { H_UN, H_BIN, H_ADDR, H_SCALE, H_POWSI, H_POWQ, H_POW, H_DIVC, H_CSUB, H_POWV } hand_t;
typedef struct op_case {
    const char *text;
    hand_t how;
    lc_status (*f1)(lc_ctx *, lc_batch *, const lc_batch *);
    lc_status (*f2)(lc_ctx *, lc_batch *, const lc_batch *, const lc_batch *);
    double s;
} op_case;

static const op_case cases[] = {
    {"sqrt(x)", H_UN, lc_sqrt, NULL, 0},        {"exp(x)", H_UN, lc_exp, NULL, 0},
    {"log(x)", H_UN, lc_log, NULL, 0},          {"sin(x)", H_UN, lc_sin, NULL, 0},
    {"cos(x)", H_UN, lc_cos, NULL, 0},          {"tanh(x)", H_UN, lc_tanh, NULL, 0},
    {"sigmoid(x)", H_UN, lc_sigmoid, NULL, 0},  {"softplus(x)", H_UN, lc_softplus, NULL, 0},
    {"abs(x)", H_UN, lc_abs, NULL, 0},          {"fabs(x)", H_UN, lc_abs, NULL, 0},
    {"relu(x)", H_UN, lc_relu, NULL, 0},        {"step(x)", H_UN, lc_step, NULL, 0},
    {"sign(x)", H_UN, lc_sign, NULL, 0},        {"floor(x)", H_UN, lc_floor, NULL, 0},
    {"ceil(x)", H_UN, lc_ceil, NULL, 0},        {"round(x)", H_UN, lc_round, NULL, 0},
    {"-x", H_UN, lc_neg, NULL, 0},              {"x + y", H_BIN, NULL, lc_add, 0},
    {"x - y", H_BIN, NULL, lc_sub, 0},          {"x*y", H_BIN, NULL, lc_mul, 0},
    {"x / y", H_BIN, NULL, lc_div, 0},          {"max(x, y)", H_BIN, NULL, lc_max, 0},
    {"fmin(x,y)", H_BIN, NULL, lc_min, 0},      {"x + 1.5", H_ADDR, NULL, NULL, 1.5},
    {"1.5 + x", H_ADDR, NULL, NULL, 1.5},       {"x - 2", H_ADDR, NULL, NULL, -2},
    {"3*x", H_SCALE, NULL, NULL, 3},            {"x*-3", H_SCALE, NULL, NULL, -3},
    {"x/4", H_SCALE, NULL, NULL, 0.25},         {"x/3", H_DIVC, NULL, NULL, 3},
    {"2 - x", H_CSUB, NULL, NULL, 2},           {"x^3", H_POWSI, NULL, NULL, 3},
    {"x ** -2", H_POWSI, NULL, NULL, -2},       {"x^0.5", H_POW, NULL, NULL, 0.5},
    {"pow(x, 1/3)", H_POWQ, NULL, NULL, 3},     {"x^(-2/6)", H_POWQ, NULL, NULL, -3},
    {"cbrt(x)", H_POWQ, NULL, NULL, 3},         {"x^y", H_POWV, NULL, NULL, 0},
};

static lc_status by_hand(lc_ctx *c, const op_case *k, lc_batch *out, const lc_batch *x, const lc_batch *y)
{
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status st = LC_OK;
    switch (k->how) {
    case H_UN: st = k->f1(c, out, x); break;
    case H_BIN: st = k->f2(c, out, x, y); break;
    case H_ADDR: st = lc_add_real(c, out, x, k->s); break;
    case H_SCALE: st = lc_scale(c, out, x, k->s); break;
    case H_POWSI: st = lc_pow_si(c, out, x, (int64_t)k->s); break;
    case H_POWQ: st = lc_pow_q(c, out, x, k->s > 0 ? 1 : -1, k->s > 0 ? (int64_t)k->s : -(int64_t)k->s); break;
    case H_POW: st = lc_pow(c, out, x, k->s); break;
    case H_DIVC:
        st = lc_batch_set_real(c, &t, 1, &k->s);
        if (!st) st = lc_div(c, out, x, &t);
        break;
    case H_CSUB:
        st = lc_batch_set_real(c, &t, 1, &k->s);
        if (!st) st = lc_sub(c, out, &t, x);
        break;
    case H_POWV:
        st = lc_log(c, &t, x);
        if (!st) st = lc_mul(c, &t, y, &t);
        if (!st) st = lc_exp(c, out, &t);
        break;
    }
    lc_batch_clear(c, &t);
    return st;
}

static void test_ops_vs_hand(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.depth = 5;
    lt_rng g = {42};
    lt_gen gen = {4, 0, 24, 0.5, 0.05, 0};
    lt_gen pos = {4, 0, 24, 0.5, 0.0, 1}; /* positive leading terms: log, sqrt, pow */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const op_case *k = &cases[i];
        lc_expr *e;
        OK(&ctx, lc_expr_compile(&ctx, &e, k->text, "x, y"));
        for (int rep = 0; rep < 20 && e; rep++) {
            lc_batch xy[2], want, got;
            for (int v = 0; v < 2; v++) lc_batch_init(&xy[v], LC_F64, LC_I32);
            lc_batch_init(&want, LC_F64, LC_I32);
            lc_batch_init(&got, LC_F64, LC_I32);
            int64_t n = lt_int(&g, 1, 40);
            OK(&ctx, lt_random_batch(&ctx, &g, &xy[0], n, rep % 2 ? 1 : 4, rep % 3 ? &pos : &gen));
            OK(&ctx, lt_random_batch(&ctx, &g, &xy[1], n, 2, &gen));
            lc_status sw = by_hand(&ctx, k, &want, &xy[0], &xy[1]);
            lc_status sg = lc_expr_eval(&ctx, e, &got, xy, 2);
            CHECK_MSG(sw == sg, "%s: by hand %s, compiled %s (%s)", k->text, lc_status_str(sw), lc_status_str(sg),
                      ctx.err);
            if (sw == LC_OK && sg == LC_OK) CHECK_MSG(lt_same_batch(&want, &got), "%s: results differ (rep %d)", k->text, rep);
            if (sg) CHECK_MSG(strstr(ctx.err, "lc_expr_eval: col ") != NULL, "%s: message '%s'", k->text, ctx.err);
            for (int v = 0; v < 2; v++) lc_batch_clear(&ctx, &xy[v]);
            lc_batch_clear(&ctx, &want);
            lc_batch_clear(&ctx, &got);
        }
        lc_expr_free(&ctx, e);
    }
    lc_ctx_clear(&ctx);
}

/* ----------------------------------------------- the example, by hand */

/* f(x) = x·sin x + step(x−1) + round(2x)/2 written with batch calls. */
/* The task's f by hand into y, with the temporaries t and u. */
static lc_status f_hand_into(lc_ctx *c, lc_batch *y, const lc_batch *x, lc_batch *t, lc_batch *u)
{
    lc_status st = lc_sin(c, t, x);
    if (!st) st = lc_mul(c, t, x, t);
    if (!st) st = lc_add_real(c, u, x, -1.0);
    if (!st) st = lc_step(c, u, u);
    if (!st) st = lc_add(c, t, t, u);
    if (!st) st = lc_scale(c, u, x, 2.0);
    if (!st) st = lc_round(c, u, u);
    if (!st) st = lc_scale(c, u, u, 0.5);
    if (!st) st = lc_add(c, y, t, u);
    return st;
}

static lc_status f_hand(lc_ctx *c, lc_batch *y, const lc_batch *x, void *data)
{
    (void)data;
    lc_batch t, u;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_batch_init(&u, LC_F64, LC_I32);
    lc_status st = f_hand_into(c, y, x, &t, &u);
    lc_batch_clear(c, &t);
    lc_batch_clear(c, &u);
    return st;
}

static void test_example(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    double x[] = {-1.25, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.5, 2.3, 3};
    enum { N = sizeof x / sizeof x[0] };
    lc_expr *f;
    OK(&ctx, lc_expr_compile(&ctx, &f, "x*sin(x) + step(x-1) + round(2*x)/2", "x"));
    lc_batch a, b;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I32);
    for (int pass = 0; pass < 2; pass++) { /* the second pass reuses the plan's buffers */
        OK(&ctx, lc_ngrad(&ctx, &a, lc_expr_fn, f, x, N));
        OK(&ctx, lc_ngrad(&ctx, &b, f_hand, NULL, x, N));
        CHECK(lt_same_batch(&a, &b));
    }
    double r1[N], m1[N], r2[N], m2[N], d1[N], d2[N];
    OK(&ctx, lc_ngrad_decode(&ctx, r1, m1, lc_expr_fn, f, x, N));
    OK(&ctx, lc_ngrad_decode(&ctx, r2, m2, f_hand, NULL, x, N));
    for (int k = 1; k < 4; k++) {
        OK(&ctx, lc_nderiv(&ctx, d1, lc_expr_fn, f, x, N, k));
        OK(&ctx, lc_nderiv(&ctx, d2, f_hand, NULL, x, N, k));
        CHECK(!memcmp(d1, d2, sizeof d1));
    }
    CHECK(!memcmp(r1, r2, sizeof r1) && !memcmp(m1, m2, sizeof m1));
    /* point masses: round(2x)/2 jumps by 1/2 at ±0.25, 0.75, -1.25; step(x-1)
     * by 1 at x = 1; none at 0 or 0.5 */
    double mass[N] = {0.5, 0.5, 0, 0.5, 0, 0.5, 1, 0, 0, 0};
    for (int i = 0; i < N; i++) CHECK_CLOSE(m1[i], mass[i], 1e-15);
    CHECK_CLOSE(r1[8], sin(2.3) + 2.3 * cos(2.3), 1e-15);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_expr_free(&ctx, f);
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------------- several variables */

static lc_status g_hand(lc_ctx *c, lc_batch *y, const lc_batch *x, int64_t nvars, void *data)
{
    (void)data, (void)nvars;
    lc_batch t;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_status st = lc_mul(c, &t, &x[0], &x[1]);
    if (!st) st = lc_max(c, y, &x[0], &x[1]);
    if (!st) st = lc_add(c, y, &t, y);
    lc_batch_clear(c, &t);
    return st;
}

static void test_vec(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_expr *g;
    OK(&ctx, lc_expr_compile(&ctx, &g, "x*y + max(x, y)", "x y"));
    CHECK(lc_expr_nvars(g) == 2 && !strcmp(lc_expr_var(g, 1), "y") && !lc_expr_var(g, 2));
    lc_batch a, b;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I32);
    double pts[][2] = {{1, 2}, {3, 3}, {-1, 0.5}}, ga[2], gb[2];
    for (int i = 0; i < 3; i++) {
        OK(&ctx, lc_ngrad_vec(&ctx, &a, ga, lc_expr_fn_vec, g, pts[i], 2));
        OK(&ctx, lc_ngrad_vec(&ctx, &b, gb, g_hand, NULL, pts[i], 2));
        CHECK(lt_same_batch(&a, &b) && ga[0] == gb[0] && ga[1] == gb[1]);
    }
    CHECK(ga[0] == 0.5 && ga[1] == -1 + 1); /* at (-1, 1/2): (y, x + 1) */
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_expr_free(&ctx, g);
    lc_ctx_clear(&ctx);
}

/* ---------------------------------- conventions, constants, broadcasting */

static double at(lc_ctx *c, const char *text, double x)
{
    lc_expr *e;
    lc_batch xb, y;
    double v = NAN;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    OK(c, lc_expr_compile(c, &e, text, NULL));
    OK(c, lc_batch_set_real(c, &xb, 1, &x));
    OK(c, lc_expr_eval(c, e, &y, &xb, 1));
    OK(c, lc_batch_std(c, &y, &v));
    lc_expr_free(c, e);
    lc_batch_clear(c, &xb);
    lc_batch_clear(c, &y);
    return v;
}

static void test_conventions(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    CHECK(at(&ctx, "step(x)", 0) == 0 && at(&ctx, "sign(x)", 0) == 0 && at(&ctx, "round(x)", 2.5) == 3);
    ctx.h0 = LC_H0_HALF;
    ctx.sign0 = 1;
    ctx.round_tie = LC_TIE_EVEN;
    CHECK(at(&ctx, "step(x)", 0) == 0.5 && at(&ctx, "sign(x)", 0) == 1 && at(&ctx, "round(x)", 2.5) == 2);
    /* constants, folding, precedence, ε */
    CHECK(at(&ctx, "-x^2", 3) == -9 && at(&ctx, "2^3^2", 0) == 512 && at(&ctx, "2*3 - -1", 0) == 7);
    CHECK(at(&ctx, "x + eps/eps", 1) == 2 && at(&ctx, "floor(x + ε) - floor(x - ε)", 2) == 1);
    CHECK_CLOSE(at(&ctx, "cos(pi)", 0), -1, 1e-15);
    /* the functions defined by others */
    CHECK_CLOSE(at(&ctx, "tan(x)", 0.3), tan(0.3), 1e-15);
    CHECK_CLOSE(at(&ctx, "sinh(x) + 2*cosh(x)", 0.7), sinh(0.7) + 2 * cosh(0.7), 1e-15);
    CHECK_CLOSE(at(&ctx, "exp2(x) + log2(x) + log10(x)", 3), exp2(3) + log2(3) + log10(3), 1e-15);
    CHECK_CLOSE(at(&ctx, "expm1(x) + log1p(x)", 0.5), expm1(0.5) + log1p(0.5), 1e-15);
    CHECK(at(&ctx, "cbrt(x)", -8) == -2 && at(&ctx, "hypot(x, 4)", 3) == 5);
    CHECK(at(&ctx, "trunc(x)", -2.5) == -2 && at(&ctx, "trunc(x)", 2.5) == 2);
    CHECK(at(&ctx, "fmod(x, 3)", 7) == 1 && at(&ctx, "fmod(x, 3)", -7) == -1 && at(&ctx, "fmod(x, -3)", 7) == 1);
    CHECK(at(&ctx, "cbrt(eps^3)/eps", 0) == 1 && at(&ctx, "x^(1/3)", 27) == 3);
    CHECK(at(&ctx, "x", 1.25) == 1.25 && at(&ctx, "  ( ( x ) )\t", -4) == -4);
    /* an expression without variables has the rows of its input */
    lc_expr *e;
    lc_batch xb, y;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    double xs[3] = {1, 2, 3}, s[3];
    OK(&ctx, lc_expr_compile(&ctx, &e, "step(1) + 2*eps", "t"));
    OK(&ctx, lc_batch_set_real(&ctx, &xb, 3, xs));
    OK(&ctx, lc_expr_eval(&ctx, e, &y, &xb, 1));
    CHECK(y.nrows == 3);
    OK(&ctx, lc_batch_coeff(&ctx, &y, 1, 1, s));
    CHECK(s[0] == 2 && s[2] == 2);
    /* errors of the evaluation name the operation's column */
    lc_expr_free(&ctx, e);
    OK(&ctx, lc_expr_compile(&ctx, &e, "x + log(x - x)", NULL));
    EXPECT(lc_expr_eval(&ctx, e, &y, &xb, 1), LC_EDOMAIN);
    CHECK_MSG(strstr(ctx.err, "col 5 (log): lc_log") != NULL, "'%s'", ctx.err);
    EXPECT(lc_expr_eval(&ctx, e, &y, &xb, 2), LC_EINVAL);
    EXPECT(lc_expr_eval(&ctx, e, &xb, &xb, 1), LC_EINVAL);
    EXPECT(lc_expr_eval(&ctx, NULL, &y, &xb, 1), LC_EINVAL);
    lc_expr_free(&ctx, e);
    OK(&ctx, lc_expr_compile(&ctx, &e, "1/(x-x)", NULL));
    EXPECT(lc_ngrad(&ctx, &y, lc_expr_fn, e, xs, 3), LC_EDIVZERO);
    CHECK_MSG(strstr(ctx.err, "col 2 (/)") != NULL, "'%s'", ctx.err);
    lc_expr_free(&ctx, e);
    lc_expr_free(&ctx, NULL);
    lc_batch_clear(&ctx, &xb);
    lc_batch_clear(&ctx, &y);
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------------------- parse errors */

static void test_errors(void)
{
    static const struct { const char *text, *vars, *msg; lc_status st; } bad[] = {
        {"x*sinn(x)", NULL, "col 3: unknown function 'sinn'", LC_EPARSE},
        {"x +", NULL, "col 4: expected a number, a name or '(', unexpected end of expression", LC_EPARSE},
        {"(x + 1", NULL, "col 7: expected ')' to close the '(' of col 1", LC_EPARSE},
        {"max(x)", NULL, "col 1: 'max' takes 2 arguments, got 1", LC_EPARSE},
        {"sin(x, x)", NULL, "col 1: 'sin' takes 1 argument, got 2", LC_EPARSE},
        {"2 * hypot(x)", NULL, "col 5: 'hypot' takes 2 arguments, got 1", LC_EPARSE},
        {"x + z", NULL, "col 5: unknown variable 'z' (variables: x)", LC_EPARSE},
        {"2x", NULL, "col 2: expected an operator, unexpected 'x'", LC_EPARSE},
        {"1e+", NULL, "col 1: bad number '1e+'", LC_EPARSE},
        {"1e999", NULL, "col 1: number '1e999' is out of range", LC_EPARSE},
        {"ε + $", NULL, "col 5: expected a number, a name or '(', unexpected '$'", LC_EPARSE},
        {"x(1)", NULL, "col 1: 'x' is not a function", LC_EPARSE},
        {"sin + 1", NULL, "col 1: function 'sin' needs its arguments", LC_EPARSE},
        {"   ", NULL, "col 4: empty expression", LC_EPARSE},
        {"x\x01", NULL, "col 2: expected an operator, unexpected character 0x01", LC_EPARSE},
        {"x", "x,x", "'x' is repeated", LC_EINVAL},
        {"x", "sin", "'sin' is a function", LC_EINVAL},
        {"x", "eps", "'eps' is a constant", LC_EINVAL},
        {"x", "x-1", "'x-1' is not a name", LC_EINVAL},
        {"x", " , ", "no variable", LC_EINVAL},
    };
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_expr *e = (lc_expr *)&ctx; /* must become NULL */
        CHECK_ST(&ctx, lc_expr_compile(&ctx, &e, bad[i].text, bad[i].vars), bad[i].st);
        CHECK(e == NULL);
        CHECK_MSG(strstr(ctx.err, bad[i].msg) != NULL, "'%s': got '%s', want '%s'", bad[i].text, ctx.err, bad[i].msg);
        CHECK(!strncmp(ctx.err, "lc_expr_compile: ", 17));
    }
    /* nesting: deep parentheses and long left-deep chains stop cleanly */
    enum { DEEP = 3 * LC_EXPR_MAX_DEPTH };
    char *s = malloc(4 * DEEP + 8);
    for (int i = 0; i < DEEP; i++) s[i] = '(';
    strcpy(s + DEEP, "x");
    lc_expr *e;
    CHECK_ST(&ctx, lc_expr_compile(&ctx, &e, s, NULL), LC_EPARSE);
    CHECK(strstr(ctx.err, "nested too deeply") != NULL);
    strcpy(s, "x");
    for (int i = 0; i < DEEP; i++) strcat(s, "+x");
    CHECK_ST(&ctx, lc_expr_compile(&ctx, &e, s, NULL), LC_EPARSE);
    s[2 * (LC_EXPR_MAX_DEPTH - 1) + 1] = '\0'; /* x+x+... of exactly the limit */
    OK(&ctx, lc_expr_compile(&ctx, &e, s, NULL));
    lc_expr_free(&ctx, e);
    /* definitions use their arguments more than once: the expanded size is bounded */
    strcpy(s, "x");
    for (int i = 0; i < 12; i++) {
        memmove(s + 5, s, strlen(s) + 1);
        memcpy(s, "fmod(", 5);
        strcat(s, ", x)");
    }
    CHECK_ST(&ctx, lc_expr_compile(&ctx, &e, s, NULL), LC_EPARSE);
    CHECK_MSG(strstr(ctx.err, ": expression too large (more than 100000 operations)") != NULL, "'%s'", ctx.err);
    free(s);
    CHECK_ST(&ctx, lc_expr_compile(&ctx, NULL, "x", NULL), LC_EINVAL);
    CHECK_ST(&ctx, lc_expr_compile(&ctx, &e, NULL, NULL), LC_EINVAL);
    CHECK(e == NULL);
    CHECK(lc_expr_compile(NULL, &e, "x", NULL) == LC_EINVAL);
    lc_ctx_clear(&ctx);
}

/* ------------------------------------------ allocation failure, reuse */

static lc_status sweep_run(lc_ctx *c, lt_alloc *al, int64_t k)
{
    double x[] = {0.5, 1, 2};
    lc_batch y;
    lc_batch_init(&y, LC_F64, LC_I32);
    lc_expr *e = NULL;
    lt_alloc_arm(al, k);
    lc_status st = lc_expr_compile(c, &e, "x*sin(x) + step(x-1) + round(2*x)/2 + x^x + 3", NULL);
    CHECK((st == LC_OK) == (e != NULL));
    if (!st) st = lc_ngrad(c, &y, lc_expr_fn, e, x, 3);
    CHECK(lc_batch_check(c, &y) == LC_OK);
    al->fail_at = 0;
    lc_expr_free(c, e);
    lc_batch_clear(c, &y);
    return st;
}

static void test_alloc(void)
{
    lt_alloc_sweep(400, sweep_run);
    /* once the registers have grown, an evaluation allocates no more than
     * the same batch calls by hand into temporaries that are kept (each
     * measured in its steady state, after a run that sized everything) */
    lt_alloc al = {0, 0, 0};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lt_alloc_install(&ctx, &al);
    lc_expr *e;
    OK(&ctx, lc_expr_compile(&ctx, &e, "x*sin(x) + step(x-1) + round(2*x)/2", NULL));
    lc_batch xb, y;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    double x[64];
    for (int i = 0; i < 64; i++) x[i] = 0.1 * i - 3;
    OK(&ctx, lc_batch_from_real(&ctx, &xb, 64, x, NULL));
    OK(&ctx, lc_expr_eval(&ctx, e, &y, &xb, 1));
    OK(&ctx, lc_expr_eval(&ctx, e, &y, &xb, 1)); /* the context's spares settle */
    int64_t before = al.count;
    OK(&ctx, lc_expr_eval(&ctx, e, &y, &xb, 1));
    int64_t plan = al.count - before;
    lc_batch t, u;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_batch_init(&u, LC_F64, LC_I32);
    OK(&ctx, f_hand_into(&ctx, &y, &xb, &t, &u));
    OK(&ctx, f_hand_into(&ctx, &y, &xb, &t, &u));
    before = al.count;
    OK(&ctx, f_hand_into(&ctx, &y, &xb, &t, &u));
    int64_t hand = al.count - before;
    lc_batch_clear(&ctx, &t);
    lc_batch_clear(&ctx, &u);
    CHECK_MSG(plan <= hand, "allocations of a second evaluation: %lld, by hand %lld", (long long)plan,
              (long long)hand);
    lc_batch_clear(&ctx, &xb);
    lc_batch_clear(&ctx, &y);
    lc_expr_free(&ctx, e);
    lc_ctx_clear(&ctx);
    CHECK(al.live == 0);
}

/* test_expr --hand X...: prints "ngrad f(X) = ..." for the hand-written f, as
 * lib/examples/expr_ngrad.c does with the expression (check_example.cmake
 * compares the two). */
static int print_hand(int n, char **arg)
{
    lc_ctx ctx;
    lc_batch g;
    char buf[512];
    double x[16];
    lc_ctx_init(&ctx);
    lc_batch_init(&g, LC_F64, LC_I32);
    n = n < 16 ? n : 16;
    for (int i = 0; i < n; i++) x[i] = strtod(arg[i], NULL);
    int rc = lc_ngrad(&ctx, &g, f_hand, NULL, x, n) != LC_OK;
    for (int i = 0; i < n && !rc; i++)
        if (!(rc = lc_row_print(&ctx, &g, i, buf, sizeof buf) != LC_OK)) printf("ngrad f(%g) = %s\n", x[i], buf);
    lc_batch_clear(&ctx, &g);
    lc_ctx_clear(&ctx);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--hand")) return print_hand(argc - 2, argv + 2);
    test_ops_vs_hand();
    test_example();
    test_vec();
    test_conventions();
    test_errors();
    test_alloc();
    return lt_report("test_expr");
}
