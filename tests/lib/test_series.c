/* SPDX-License-Identifier: MIT */
/* Elementary functions against the naive reference: f(s + δ) = Σ f_j δ^j
 * with the Taylor coefficients computed independently in long double
 * (tanh and sigmoid by power-series division, softplus by integrating the
 * sigmoid), powers of δ by repeated naive products, truncation at
 * T = k0·L'δ + N (k0 = order of the first nonzero coefficient). */
#include "lc_naive.h"
#include "infnum/raw.h"

#define TOL 1e-9
#define KMAX 4096

enum { EXP, LOG, SIN, COS, TANH, SIGMOID, SOFTPLUS, NF };
static const char *const names[] = {"exp", "log", "sin", "cos", "tanh", "sigmoid", "softplus"};

typedef struct { long double f[KMAX]; } coefs;
static long double get_coef(int64_t j, void *d) { return j < KMAX ? ((coefs *)d)->f[j] : 0; }

/* q = num / den as power series (den[0] ≠ 0). */
static void series_div(const long double *num, const long double *den, long double *q, int K)
{
    for (int j = 0; j < K; j++) {
        long double v = num[j];
        for (int i = 0; i < j; i++) v -= q[i] * den[j - i];
        q[j] = v / den[0];
    }
}

/* Taylor coefficients of f at s (log: of log(1 + u), u = δ/s). */
static void taylor(int f, long double s, coefs *c, int K)
{
    static long double a[KMAX], b[KMAX];
    long double fact = 1;
    for (int j = 0; j < K; j++) {
        if (j) fact *= j;
        int e = j % 2;
        switch (f) {
        case EXP: c->f[j] = expl(s) / fact; break;
        case LOG: c->f[j] = j == 0 ? 0 : (j % 2 ? 1.0L : -1.0L) / j; break;
        case SIN: c->f[j] = (j % 4 == 0 ? sinl(s) : j % 4 == 1 ? cosl(s) : j % 4 == 2 ? -sinl(s) : -cosl(s)) / fact; break;
        case COS: c->f[j] = (j % 4 == 0 ? cosl(s) : j % 4 == 1 ? -sinl(s) : j % 4 == 2 ? -cosl(s) : sinl(s)) / fact; break;
        case TANH: a[j] = (e ? coshl(s) : sinhl(s)) / fact; b[j] = (e ? sinhl(s) : coshl(s)) / fact; break;
        default: /* sigmoid = 1 / (1 + e^{-(s+δ)}) */
            a[j] = j == 0; b[j] = (j == 0) + expl(-s) * (j % 2 ? -1 : 1) / fact;
        }
    }
    if (f == TANH || f == SIGMOID) series_div(a, b, c->f, K);
    if (f == SOFTPLUS) {
        series_div(a, b, c->f, K); /* σ */
        for (int j = K - 1; j >= 1; j--) c->f[j] = c->f[j - 1] / j;
        c->f[0] = log1pl(expl(s));
    }
}

static ln_num ref_fun(int f, const ln_num *x, int64_t N)
{
    long double s = ln_coef(x, 0);
    ln_num d = ln_make(x->lo, x->n, x->p);
    for (int64_t i = 0; i < x->n; i++) d.c[i] = x->lo + i > 0 ? x->c[i] : 0;
    if (f == LOG) ln_scale(&d, 1 / s);
    static coefs c;
    int64_t Ld = ln_lead(&d);
    int K = Ld == LC_EXACT ? 1 : (int)((N + 2 * Ld) / Ld + 2);
    if (K > KMAX) K = KMAX;
    taylor(f, s, &c, K);
    /* the double library decides f(s) == 0 in double */
    double f0 = f == SIN ? sin((double)s) : f == TANH ? tanh((double)s) : f == LOG ? 0 : 1;
    int64_t k0 = f0 != 0 ? 0 : 1;
    int64_t T = Ld == LC_EXACT ? LC_EXACT : k0 * Ld + N;
    ln_num y = ln_series(get_coef, &c, &d, T);
    if (f == LOG && logl(s) != 0) {
        ln_num l = ln_const(logl(s)), z = ln_add(&y, &l, 1);
        ln_free(&y);
        ln_free(&l);
        y = z;
    }
    ln_free(&d);
    return y;
}

static void test_fun(lc_ctx *ctx, lt_rng *g, int f, int64_t den)
{
    /* x = s + δ: δ random infinitesimal rows (some unknown, some inexact),
     * s random (0 with probability 1/4; > 0 for log) */
    lt_gen o = {4, 1, 3 * den, 0.5, 0.05, 0};
    lc_batch a, out, sb;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&out, LC_F64, LC_I32);
    lc_batch_init(&sb, LC_F64, LC_I64);
    OK(ctx, lt_random_batch(ctx, g, &a, 40, den, &o));
    double s[40];
    for (int r = 0; r < 40; r++) {
        s[r] = lt_unif(g) < 0.25 ? 0 : lt_coef(g);
        if (f == LOG) s[r] = fabs(s[r]) + 0.25;
    }
    OK(ctx, lc_batch_set_real(ctx, &sb, 40, s));
    OK(ctx, lc_add(ctx, &a, &a, &sb));
    lc_status st;
    switch (f) {
    case EXP: st = lc_exp(ctx, &out, &a); break;
    case LOG: st = lc_log(ctx, &out, &a); break;
    case SIN: st = lc_sin(ctx, &out, &a); break;
    case COS: st = lc_cos(ctx, &out, &a); break;
    case TANH: st = lc_tanh(ctx, &out, &a); break;
    case SIGMOID: st = lc_sigmoid(ctx, &out, &a); break;
    default: st = lc_softplus(ctx, &out, &a);
    }
    int undef = 0;
    for (int64_t r = 0; r < a.nrows; r++) undef |= lc_row_len(&a, r) == 0 && a.bound[r] <= 0;
    if (undef) { CHECK(st == LC_EUNDEF); goto done; }
    CHECK(st == LC_OK);
    if (st != LC_OK) { fprintf(stderr, "%s: %s\n", names[f], ctx->err); goto done; }
    CHECK(out.den == a.den);
    for (int64_t r = 0; r < a.nrows; r++) {
        ln_num x = ln_from_row(&a, r, 1), y = ref_fun(f, &x, ctx->depth * a.den);
        CHECK(ln_check_row(&out, r, &y, TOL, names[f]));
        ln_free(&x);
        ln_free(&y);
    }
done:
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &out);
    lc_batch_clear(ctx, &sb);
}

/* Saturation and domain errors on infinite arguments. */
static void test_infinite(lc_ctx *ctx)
{
    lc_batch a, out;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&out, LC_F64, LC_I32);
    int64_t rp[3] = {0, 2, 4}, k[4] = {-16, 0, -8, 3}, p[2] = {LC_EXACT, 20};
    double c[4] = {2, 1, -1, 5}, v[2];
    OK(ctx, lc_batch_from_csr(ctx, &a, 2, rp, k, c, p, 16)); /* 2/ε + 1 ; -1/ε^(1/2) + 5ε^(3/16) + O(ε^(20/16)) */
    OK(ctx, lc_tanh(ctx, &out, &a));
    OK(ctx, lc_batch_std(ctx, &out, v));
    CHECK(v[0] == 1 && v[1] == -1 && out.bound[0] == LC_EXACT && out.bound[1] == LC_EXACT);
    OK(ctx, lc_sigmoid(ctx, &out, &a));
    OK(ctx, lc_batch_std(ctx, &out, v));
    CHECK(v[0] == 1 && v[1] == 0 && lc_row_len(&out, 1) == 0);
    OK(ctx, lc_softplus(ctx, &out, &a));
    CHECK(lc_row_len(&out, 0) == 2 && lc_row_len(&out, 1) == 0 && out.bound[1] == LC_EXACT);
    CHECK_ST(ctx, lc_exp(ctx, &out, &a), LC_EDOMAIN);
    CHECK(strstr(ctx->err, "lc_exp: row 0") != NULL);
    CHECK_ST(ctx, lc_sin(ctx, &out, &a), LC_EDOMAIN);
    CHECK_ST(ctx, lc_cos(ctx, &out, &a), LC_EDOMAIN);
    CHECK_ST(ctx, lc_log(ctx, &out, &a), LC_EDOMAIN);
    CHECK(lc_row_len(&out, 0) == 2); /* failures leave out as it was */
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &out);
}

/* Far in the tails the derivatives are tiny but must not be rounded to 0:
 * tanh(±20 + ε), sigmoid(40 + ε), softplus(40 + ε) against closed forms. */
static void test_tails(lc_ctx *ctx)
{
    lc_batch a, out;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&out, LC_F64, LC_I32);
    double x[3] = {20, -20, 40}, c[3];
    OK(ctx, lc_batch_from_real(ctx, &a, 3, x, NULL));
    long double e40 = expl(-40.0L), sech2 = 4 * e40 / ((1 + e40) * (1 + e40));
    OK(ctx, lc_tanh(ctx, &out, &a));
    OK(ctx, lc_batch_coeff(ctx, &out, 1, 1, c));
    CHECK(fabsl(c[0] - sech2) < 1e-12L * sech2 && fabsl(c[1] - sech2) < 1e-12L * sech2);
    OK(ctx, lc_batch_coeff(ctx, &out, 2, 1, c)); /* tanh''/2 = -tanh·sech² */
    CHECK(fabsl(c[0] + sech2) < 1e-12L * sech2 && fabsl(c[1] - sech2) < 1e-12L * sech2);
    long double d1 = e40 / ((1 + e40) * (1 + e40)), d2 = d1 * ((e40 - 1) / (1 + e40)) / 2;
    OK(ctx, lc_sigmoid(ctx, &out, &a));
    OK(ctx, lc_batch_coeff(ctx, &out, 1, 1, c));
    CHECK(fabsl(c[2] - d1) < 1e-12L * d1);
    OK(ctx, lc_batch_coeff(ctx, &out, 2, 1, c));
    CHECK(fabsl(c[2] - d2) < 1e-12L * fabsl(d2));
    OK(ctx, lc_softplus(ctx, &out, &a));
    OK(ctx, lc_batch_coeff(ctx, &out, 2, 1, c)); /* sp''/2 = σ'/2 */
    CHECK(fabsl(c[2] - d1 / 2) < 1e-12L * d1);
    lc_batch_clear(ctx, &a);
    lc_batch_clear(ctx, &out);
}

/* _lc_row_series_ode (the recurrences of the general path) against Horner
 * (_lc_row_series) on random infinitesimal rows δ: ragged exponents on
 * fine and coarse grids, every kind it takes, the same K. The same bound
 * and slots; every coefficient within 1e-11 of the larger of the two
 * sums' magnitude (Horner on |f| and |δ|, the size of what is summed) and
 * the row's largest; a term only one side has must be below it too. */
static void test_ode_vs_horner(lt_rng *g)
{
    enum { NMAX = 24, CAP = 4096 };
    static const int kinds[] = {LC_SER_EXP, LC_SER_SIN, LC_SER_COS, LC_SER_LOG1P, LC_SER_BINOM};
    static double f[CAP], fa[CAP], a1[CAP], a2[CAP], c1[CAP], c2[CAP], ce[CAP];
    static int64_t k1[CAP], k2[CAP], ke[CAP];
    int64_t cases = 0, terms = 0;
    for (int it = 0; it < 3000; it++) {
        int kind = kinds[lt_int(g, 0, 4)];
        int64_t nd = lt_int(g, 1, NMAX), kd[NMAX], step = lt_int(g, 1, 4), k = lt_int(g, 1, 12);
        double cd[NMAX], cda[NMAX], s = 4 * lt_unif(g) - 2, r = lt_unif(g) < 0.3 ? -1 : 5 * lt_unif(g) - 2.5;
        for (int64_t i = 0; i < nd; i++) { /* on a grid of step, or ragged (any step) */
            kd[i] = k;
            k += lt_unif(g) < 0.5 ? step : lt_int(g, 1, 3 * step);
            cd[i] = lt_coef(g) * (lt_unif(g) < 0.2 ? 4 : 1), cda[i] = fabs(cd[i]);
        }
        int64_t pd = lt_unif(g) < 0.3 ? LC_EXACT : k + lt_int(g, 0, 10), T = kd[0] + lt_int(g, 1, 120);
        int64_t K = (T - 1) / kd[0] + 1, M = _lc_series_cap(kd, nd, 0, pd, T);
        if (K > CAP || M < 0 || M > CAP) continue;
        _lc_series_coeffs(kind, s, r, K, f);
        for (int64_t j = 0; j < K; j++) fa[j] = fabs(f[j]);
        int64_t p1 = 0, p2 = 0, pe = 0;
        int64_t m1 = _lc_row_series_ode(kind, f, K, r, kd, cd, nd, pd, T, M, a1, a2, k1, c1, &p1);
        int64_t m2 = _lc_row_series(f, K, kd, cd, nd, pd, T, M, NULL, a1, NULL, a2, k2, c2, &p2);
        int64_t me = _lc_row_series(fa, K, kd, cda, nd, pd, T, M, NULL, a1, NULL, a2, ke, ce, &pe);
        if (K < 2) { CHECK(m1 == -3); continue; }
        CHECK(m1 >= 0 && m2 >= 0 && me >= 0 && p1 == p2);
        if (m1 < 0 || m2 < 0 || me < 0) continue;
        double big = 0;
        for (int64_t i = 0; i < me; i++) big = fmax(big, ce[i]);
        for (int64_t i = 0; i < m2; i++) big = fmax(big, fabs(c2[i]));
        int64_t i = 0, j = 0, bad = 0;
        while (i < m1 || j < m2) {
            int64_t x = i < m1 ? k1[i] : INT64_MAX, y = j < m2 ? k2[j] : INT64_MAX;
            double u = x <= y ? c1[i] : 0, v = y <= x ? c2[j] : 0;
            bad += !(fabs(u - v) <= 1e-11 * big);
            if (x <= y) i++;
            if (y <= x) j++;
        }
        CHECK(bad == 0);
        if (bad) fprintf(stderr, "  ode: kind %d nd %lld T %lld: %lld coefficients differ\n", kind, (long long)nd,
                         (long long)T, (long long)bad);
        cases++, terms += m2;
    }
    fprintf(stderr, "  ode: %lld rows, %lld terms\n", (long long)cases, (long long)terms);
    CHECK(cases > 2000 && terms > 20 * cases); /* the rows were compared, and long */
}

int main(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lt_rng g = {99};
    for (int depth = 2; depth <= 8; depth += 6) {
        ctx.depth = depth;
        for (int rep = 0; rep < (depth == 2 ? 6 : 1); rep++)
            for (int f = 0; f < NF; f++)
                for (int64_t den = 1; den <= (depth == 2 ? 16 : 4); den *= 4) {
                    test_fun(&ctx, &g, f, den == 16 ? 3 : den);
                    test_fun(&ctx, &g, f, den);
                }
    }
    test_infinite(&ctx);
    test_tails(&ctx);
    test_ode_vs_horner(&g);
    lc_ctx_clear(&ctx);
    return lt_report("test_series");
}
