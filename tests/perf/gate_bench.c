/* SPDX-License-Identifier: MIT */
/* gate_bench: the fixed, deterministic workload of the instruction-count
 * regression gate (tests/perf/gate.sh runs it under callgrind).
 *
 *   gate_bench OP     OP = setup | add | mul | recip | exp | sin | step |
 *                          ngrad | mulr | fo | mulx | expr
 *
 * Every run builds the same inputs (GATE_N reference rows of GATE_TERMS terms,
 * exponents 0..7, bound ε^8, seeds 1 and 2); OP then runs GATE_REPS times.
 * ngrad: lc_ngrad of round at the GATE_N standard parts of a; mulr: the
 * product of ragged rows (exponents k/12 by random gaps: the general product
 * on the rows' grid); fo: lc_fo_mul over GATE_N directions (first order);
 * mulx: the product of random 16-term rows (exponents rising by 1/2 or 1,
 * the microbenchmark's inputs: the general product on the rows' grid);
 * expr: exp of mulr's ragged rows (the general series path).
 * "setup" runs nothing more, so Ir(OP) − Ir(setup) is the cost of the
 * operation alone. The result's checksum is printed so nothing is optimised
 * away and a wrong result is visible. One thread; no timing. */
#include "infnum/first.h"
#include "infnum/infnum.h"
#include "peers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GATE_N = 2000, GATE_TERMS = 8, GATE_REPS = 3 };

static const char *const ops[] = {"setup", "add", "mul", "recip", "exp", "sin", "step", "ngrad", "mulr", "fo", "mulx", "expr"};
enum { NOPS = sizeof ops / sizeof ops[0] };

static void usage(FILE *f)
{
    fprintf(f, "usage: gate_bench OP      (OP: setup add mul recip exp sin step ngrad mulr fo mulx expr)\n"
               "       gate_bench --compiler\n"
               "Runs OP %d times on %d numbers of %d terms (fixed seeds); prints a checksum.\n"
               "The workload of tests/perf/gate.sh; see docs/performance.md.\n",
            GATE_REPS, GATE_N, GATE_TERMS);
}

/* Reference rows from lcp_inputs: exponents 0..TERMS-1, bound TERMS. */
static lc_status build(lc_ctx *ctx, lc_batch *b, uint64_t seed)
{
    static int64_t row_ptr[GATE_N + 1], exps[GATE_N * GATE_TERMS], bounds[GATE_N];
    static double coeffs[GATE_N * GATE_TERMS];
    lcp_inputs(seed, GATE_N, GATE_TERMS, coeffs);
    for (int64_t r = 0; r <= GATE_N; r++) row_ptr[r] = r * GATE_TERMS;
    for (int64_t i = 0; i < GATE_N * GATE_TERMS; i++) exps[i] = i % GATE_TERMS;
    for (int64_t r = 0; r < GATE_N; r++) bounds[r] = GATE_TERMS;
    return lc_batch_from_csr(ctx, b, GATE_N, row_ptr, exps, coeffs, bounds, 1);
}

/* Ragged rows: 1..8 terms at exponents k/12 by gaps 1..24 (fixed LCG). */
static lc_status build_ragged(lc_ctx *ctx, lc_batch *b, uint64_t seed)
{
    static int64_t row_ptr[GATE_N + 1], exps[GATE_N * GATE_TERMS], bounds[GATE_N];
    static double coeffs[GATE_N * GATE_TERMS];
    int64_t m = 0;
    for (int64_t r = 0; r < GATE_N; r++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int64_t n = 1 + (int64_t)(seed >> 61), k = 0;
        row_ptr[r] = m;
        for (int64_t i = 0; i < n; i++, m++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            exps[m] = k, coeffs[m] = 0.5 + (double)(seed >> 40) * 0x1p-24;
            k += 1 + (int64_t)((seed >> 20) % 24);
        }
        bounds[r] = 12 * GATE_TERMS > k ? 12 * GATE_TERMS : k;
    }
    row_ptr[GATE_N] = m;
    return lc_batch_from_csr(ctx, b, GATE_N, row_ptr, exps, coeffs, bounds, 12);
}

/* Random rows: 16 terms from ε⁰, exponents rising by 1/2 or 1 (den 16;
 * fixed LCG), exact. */
static lc_status build_random(lc_ctx *ctx, lc_batch *b, uint64_t seed)
{
    enum { T = 16 };
    static int64_t row_ptr[GATE_N + 1], exps[GATE_N * T];
    static double coeffs[GATE_N * T];
    for (int64_t r = 0; r <= GATE_N; r++) row_ptr[r] = r * T;
    for (int64_t r = 0, m = 0; r < GATE_N; r++)
        for (int64_t i = 0, k = 0; i < T; i++, m++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            exps[m] = k, coeffs[m] = (i ? -1.0 : 0.5) + (double)(seed >> 40) * 0x1p-23;
            if (coeffs[m] == 0) coeffs[m] = 0.25;
            k += seed >> 63 ? 16 : 8;
        }
    return lc_batch_from_csr(ctx, b, GATE_N, row_ptr, exps, coeffs, NULL, 16);
}

static lc_status f_round(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    (void)data;
    return lc_round(ctx, y, x);
}

static lc_status run(lc_ctx *ctx, int op, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    static double x[GATE_N];
    switch (op) {
    case 1: return lc_add(ctx, out, a, b);
    case 2: return lc_mul(ctx, out, a, b);
    case 3: return lc_recip(ctx, out, a);
    case 4: return lc_exp(ctx, out, a);
    case 5: return lc_sin(ctx, out, a);
    case 6: return lc_step(ctx, out, b);
    case 7: {
        lc_status s = lc_batch_std(ctx, a, x);
        return s ? s : lc_ngrad(ctx, out, f_round, NULL, x, GATE_N);
    }
    case 8:
    case 10: return lc_mul(ctx, out, a, b);
    case 11: return lc_exp(ctx, out, a);
    case 9: { /* first order: x = st a + ε e_0, y = st b + (b's ε¹ coefficients) ε */
        lc_fo fx, fy;
        lc_fo_init(&fx), lc_fo_init(&fy);
        lc_status s = lc_batch_coeff(ctx, b, 1, 1, x);
        if (!s) s = lc_fo_seed(ctx, &fx, GATE_N, 0.5, 0);
        if (!s) s = lc_fo_set(ctx, &fy, GATE_N, 1.5, x);
        for (int i = 0; i < 100 && !s; i++) s = lc_fo_mul(ctx, &fy, &fx, &fy);
        if (!s) s = lc_fo_to_batch(ctx, out, &fy);
        lc_fo_clear(ctx, &fx), lc_fo_clear(ctx, &fy);
        return s;
    }
    default: return LC_OK;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc == 2 ? stdout : stderr);
        return argc == 2 ? 0 : 2;
    }
    if (!strcmp(argv[1], "--compiler")) {
#ifdef __VERSION__
        printf("%s\n", __VERSION__);
#else
        puts("unknown");
#endif
        return 0;
    }
    int op = -1;
    for (int i = 0; i < NOPS; i++)
        if (!strcmp(argv[1], ops[i])) op = i;
    if (op < 0) {
        fprintf(stderr, "gate_bench: unknown operation '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_batch a, b, out;
    lc_batch_init(&a, LC_F64, LC_I32);
    lc_batch_init(&b, LC_F64, LC_I32);
    lc_batch_init(&out, LC_F64, LC_I32);
    lc_status (*make)(lc_ctx *, lc_batch *, uint64_t) = op == 8 || op == 11 ? build_ragged : op == 10 ? build_random : build;
    lc_status s = make(&ctx, &a, 1);
    if (s == LC_OK) s = make(&ctx, &b, 2);
    if (s == LC_OK && op == 6) s = lc_add_real(&ctx, &b, &b, -1.0); /* step at a sign change */
    for (int rep = 0; s == LC_OK && rep < GATE_REPS; rep++) s = run(&ctx, op, &out, &a, &b);
    double sum = 0.0;
    if (s == LC_OK && out.nrows > 0) {
        for (int64_t r = 0; r < out.nrows; r++) {
            for (int64_t i = 0; i < lc_row_len(&out, r); i++) {
                int64_t k;
                double c;
                lc_row_term(&out, r, i, &k, &c);
                sum += c * (double)(k + 1);
            }
        }
    }
    if (s != LC_OK) fprintf(stderr, "gate_bench %s: %s (%s)\n", ops[op], lc_status_str(s), ctx.err);
    else printf("gate_bench %s: rows %lld checksum %.17g\n", ops[op], (long long)out.nrows, sum);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &out);
    lc_ctx_clear(&ctx);
    return s == LC_OK ? 0 : 1;
}
