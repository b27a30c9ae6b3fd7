/* SPDX-License-Identifier: MIT */
/* Randomised check of the decoding against one-sided limits, for programs
 * of the piecewise-linear fragment (the variable, constants, +, −, scaling,
 * abs, max, min, relu, step, sign, floor, ceil, round) that the Coq
 * development in paper/proof models.
 *
 * For every random program f (random conventions H(0), sign(0), tie rule)
 * and point x, the library evaluates f at x ± ε; the test checks that
 *   - every value is exactly a + bε (first order, exact), as the proof's
 *     model assumes;
 *   - st f(x±ε) and the ε coefficient of f(x±ε) are the constant and the
 *     slope of the germs h ↦ f(x ± h), measured numerically in double from
 *     samples at h = 2^-k (dyadic data make them exact; k grows until four
 *     samples lie on one line);
 *   - lc_ngrad_decode returns mass = f(x⁺) − f(x⁻) and regular =
 *     ½(f'(x⁻) + f'(x⁺)).
 * A deliberately wrong decoder (f(x+ε) for both sides) must be caught. */
#include "lc_test.h"

enum op { VAR, CONST, ADD, SUB, SCALE, ABS, MAX, MIN, RELU, STEP, SIGN, FLOOR, CEIL, ROUND, NOPS };
static const char *const op_name[NOPS] = {"x",   "c",    "+",    "-",     "*",    "abs",  "max",
                                          "min", "relu", "step", "sign", "floor", "ceil", "round"};

#define MAXN 64 /* nodes of a program */
typedef struct node { int op, a, b; double c; } node;
/* Nodes in post-order: children before parents, the root last. */
typedef struct prog { node n[MAXN]; int len; } prog;

static lt_rng rng = {20261201};

/* Dyadic constants and small scale factors keep every double exact. */
static double rand_const(void) { return 0.25 * (double)lt_int(&rng, -12, 12); }
static double rand_scale(void)
{
    static const double s[] = {-3, -2, -1, -0.5, 0.5, 1, 2, 3};
    return s[lt_int(&rng, 0, 7)];
}

static int gen(prog *p, int depth)
{
    node nd = {VAR, -1, -1, 0};
    if (depth == 0 || p->len > MAXN - 8 || lt_unif(&rng) < 0.2) {
        if (lt_unif(&rng) < 0.3) nd.op = CONST, nd.c = rand_const();
    } else {
        nd.op = (int)lt_int(&rng, ADD, ROUND);
        nd.a = gen(p, depth - 1);
        if (nd.op == ADD || nd.op == SUB || nd.op == MAX || nd.op == MIN) nd.b = gen(p, depth - 1);
        if (nd.op == SCALE) nd.c = rand_scale();
    }
    p->n[p->len] = nd;
    return p->len++;
}

static void print_node(const prog *p, int i)
{
    const node *n = &p->n[i];
    if (n->op == VAR) fprintf(stderr, "x");
    else if (n->op == CONST) fprintf(stderr, "%g", n->c);
    else {
        if (n->op == SCALE) fprintf(stderr, "%g*", n->c);
        else if (n->op != ADD && n->op != SUB) fprintf(stderr, "%s", op_name[n->op]);
        fprintf(stderr, "(");
        print_node(p, n->a);
        if (n->b >= 0) {
            fprintf(stderr, n->op == ADD || n->op == SUB ? " %s " : ", ", op_name[n->op]);
            print_node(p, n->b);
        }
        fprintf(stderr, ")");
    }
}

/* ------------------------------------------------------------ over the reals */

static double h0_value(const lc_ctx *ctx) { return ctx->h0 == LC_H0_HALF ? 0.5 : ctx->h0 == LC_H0_ONE ? 1.0 : 0.0; }

static double tie_value(int tie, double m)
{
    switch (tie) {
    case LC_TIE_EVEN: return fmod(m, 2.0) == 0.0 ? m : m + 1.0;
    case LC_TIE_UP: return m + 1.0;
    case LC_TIE_DOWN: return m;
    default: return m >= 0.0 ? m + 1.0 : m;
    }
}

/* f(x) in double, with ctx's conventions (the model's evalR). */
static double eval_real(const lc_ctx *ctx, const prog *p, double x)
{
    double v[MAXN];
    for (int i = 0; i < p->len; i++) {
        const node *n = &p->n[i];
        double a = n->a >= 0 ? v[n->a] : 0, b = n->b >= 0 ? v[n->b] : 0, m;
        switch (n->op) {
        case VAR: v[i] = x; break;
        case CONST: v[i] = n->c; break;
        case ADD: v[i] = a + b; break;
        case SUB: v[i] = a - b; break;
        case SCALE: v[i] = n->c * a; break;
        case ABS: v[i] = a < 0 ? -a : a; break;
        case MAX: v[i] = a - b < 0 ? b : a; break;
        case MIN: v[i] = a - b > 0 ? b : a; break;
        case RELU: v[i] = a > 0 ? a : 0; break;
        case STEP: v[i] = a > 0 ? 1 : a < 0 ? 0 : h0_value(ctx); break;
        case SIGN: v[i] = a > 0 ? 1 : a < 0 ? -1 : ctx->sign0; break;
        case FLOOR: v[i] = floor(a); break;
        case CEIL: v[i] = ceil(a); break;
        default:
            m = floor(a);
            v[i] = a - m == 0.5 ? tie_value(ctx->round_tie, m) : a - m < 0.5 ? m : m + 1;
        }
    }
    return v[p->len - 1];
}

/* The germ h ↦ f(x + s·h) = A + B·h on (0, δ): samples at h = 2^-k·{1, 1/2,
 * 1/4, 1/8}, k = 12, 13, ... until the four lie on one line (exactly up to
 * rounding). Returns 0 if no k ≤ 40 does. */
static int germ(const lc_ctx *ctx, const prog *p, double x, double s, double *A, double *B)
{
    for (int k = 12; k <= 40; k++) {
        double h[4], g[4];
        for (int j = 0; j < 4; j++) h[j] = ldexp(1.0, -k - j), g[j] = eval_real(ctx, p, x + s * h[j]);
        double b = (g[0] - g[1]) / (h[0] - h[1]), a = g[1] - b * h[1];
        double sc = fmax(1.0, fabs(a)), ok = 1;
        for (int j = 2; j < 4; j++) ok = ok && fabs(a + b * h[j] - g[j]) <= 1e-12 * sc;
        if (ok) {
            *A = a, *B = b;
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------- the library */

#define NPTS 48
static double cbuf[2 * NPTS]; /* a constant's rows */

/* y = f(x) for a batch x (at most 2·NPTS rows), evaluated with the lc_*
 * primitives. */
static lc_status eval_lc(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    const prog *p = data;
    lc_batch v[MAXN];
    lc_status st = x->nrows <= 2 * NPTS ? LC_OK : LC_EINVAL;
    int i;
    for (i = 0; i < p->len; i++) lc_batch_init(&v[i], LC_F64, LC_I32);
    for (i = 0; i < p->len && !st; i++) {
        const node *n = &p->n[i];
        const lc_batch *a = n->a >= 0 ? &v[n->a] : NULL, *b = n->b >= 0 ? &v[n->b] : NULL;
        switch (n->op) {
        case VAR: st = lc_batch_copy(ctx, &v[i], x); break;
        case CONST:
            for (int64_t r = 0; r < x->nrows; r++) cbuf[r] = n->c;
            st = lc_batch_set_real(ctx, &v[i], x->nrows, cbuf);
            break;
        case ADD: st = lc_add(ctx, &v[i], a, b); break;
        case SUB: st = lc_sub(ctx, &v[i], a, b); break;
        case SCALE: st = lc_scale(ctx, &v[i], a, n->c); break;
        case ABS: st = lc_abs(ctx, &v[i], a); break;
        case MAX: st = lc_max(ctx, &v[i], a, b); break;
        case MIN: st = lc_min(ctx, &v[i], a, b); break;
        case RELU: st = lc_relu(ctx, &v[i], a); break;
        case STEP: st = lc_step(ctx, &v[i], a); break;
        case SIGN: st = lc_sign(ctx, &v[i], a); break;
        case FLOOR: st = lc_floor(ctx, &v[i], a); break;
        case CEIL: st = lc_ceil(ctx, &v[i], a); break;
        default: st = lc_round(ctx, &v[i], a);
        }
    }
    if (!st) st = lc_batch_copy(ctx, y, &v[p->len - 1]);
    for (i = 0; i < p->len; i++) lc_batch_clear(ctx, &v[i]);
    return st;
}

static int wrong_caught, programs, points, jumps, kinks;

static int close_to(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b))); }

static void check_program(lc_ctx *ctx, const prog *p)
{
    double x[2 * NPTS], v[2 * NPTS], s[2 * NPTS], c1[2 * NPTS], reg[NPTS], mass[NPTS];
    for (int i = 0; i < NPTS; i++) { /* 3/4 on the grid 1/8 (breakpoints), 1/4 on 1/1024 */
        x[i] = i % 4 ? (double)lt_int(&rng, -32, 32) / 8 : (double)lt_int(&rng, -4096, 4096) / 1024;
        x[NPTS + i] = x[i], v[i] = 1, v[NPTS + i] = -1;
    }
    lc_batch xb, y;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    int bad = lt_failures, wrong = 0;
    OK(ctx, lc_batch_from_real(ctx, &xb, 2 * NPTS, x, v));
    OK(ctx, eval_lc(ctx, &y, &xb, (void *)p));
    OK(ctx, lc_batch_std(ctx, &y, s));
    OK(ctx, lc_batch_coeff(ctx, &y, 1, 1, c1));
    OK(ctx, lc_ngrad_decode(ctx, reg, mass, eval_lc, (void *)p, x, NPTS));
    for (int r = 0; r < 2 * NPTS && lt_failures == bad; r++) { /* exactly a + bε */
        int first_order = y.bound[r] == LC_EXACT && lc_row_len(&y, r) <= 2;
        for (int64_t t = 0; t < lc_row_len(&y, r); t++) {
            int64_t k;
            double c;
            lc_row_term(&y, r, t, &k, &c);
            first_order = first_order && (k == 0 || k == y.den);
        }
        CHECK_MSG(first_order, "row %d of f(x%sε) is not an exact a + bε", r % NPTS, r < NPTS ? "+" : "-");
    }
    for (int i = 0; i < NPTS && lt_failures == bad; i++) {
        double Ap, Bp, Am, Bm;
        int found = germ(ctx, p, x[i], 1, &Ap, &Bp) && germ(ctx, p, x[i], -1, &Am, &Bm);
        CHECK_MSG(found, "no affine germ at x = %g", x[i]);
        if (!found) continue;
        /* the right derivative is Bp, the left one −Bm (h ↦ f(x − h)) */
        CHECK_MSG(close_to(s[i], Ap) && close_to(c1[i], Bp),
                  "x = %g: f(x+ε) = %g + %gε, right germ %g + %gh", x[i], s[i], c1[i], Ap, Bp);
        CHECK_MSG(close_to(s[NPTS + i], Am) && close_to(c1[NPTS + i], Bm),
                  "x = %g: f(x-ε) = %g + %gε, left germ %g + %gh", x[i], s[NPTS + i], c1[NPTS + i], Am, Bm);
        CHECK_MSG(close_to(mass[i], Ap - Am), "x = %g: mass %g, f(x+) - f(x-) = %g", x[i], mass[i], Ap - Am);
        CHECK_MSG(close_to(reg[i], 0.5 * (Bp - Bm)), "x = %g: regular %g, mean slope %g", x[i], reg[i],
                  0.5 * (Bp - Bm));
        /* the wrong decoder: f(x+ε) on both sides, so mass 0, regular Bp */
        wrong += !close_to(0.0, Ap - Am) || !close_to(Bp, 0.5 * (Bp - Bm));
        jumps += !close_to(Ap, Am);
        kinks += close_to(Ap, Am) && !close_to(Bp, -Bm);
        points++;
    }
    if (lt_failures > bad) {
        fprintf(stderr, "  program: ");
        print_node(p, p->len - 1);
        fprintf(stderr, "\n");
    }
    wrong_caught += wrong > 0;
    lc_batch_clear(ctx, &xb);
    lc_batch_clear(ctx, &y);
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    static const double sign0s[] = {0, 1, -1, 0.5};
    for (int t = 0; t < 1000; t++) {
        prog p = {.len = 0};
        gen(&p, (int)lt_int(&rng, 1, 5));
        ctx.h0 = (lc_h0)lt_int(&rng, 0, 2);
        ctx.sign0 = sign0s[lt_int(&rng, 0, 3)];
        ctx.round_tie = (lc_round_tie)lt_int(&rng, 0, 3);
        check_program(&ctx, &p);
        programs++;
    }
    printf("%d programs, %d points (%d at a jump, %d at a kink); the wrong decoder is caught on %d "
           "programs\n", programs, points, jumps, kinks, wrong_caught);
    CHECK(jumps > 500 && kinks > 50); /* the breakpoints are exercised */
    CHECK(wrong_caught > 50);
    lc_ctx_clear(&ctx);
    return lt_report("test_decode_pl");
}
