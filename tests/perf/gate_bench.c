/* gate_bench: the fixed, deterministic workload of the instruction-count
 * regression gate (tests/perf/gate.sh runs it under callgrind).
 *
 *   gate_bench OP     OP = setup | add | mul | recip | exp | sin | step
 *
 * Every run builds the same inputs (GATE_N reference rows of GATE_TERMS terms,
 * exponents 0..7, bound ε^8, seeds 1 and 2); OP then runs GATE_REPS times.
 * "setup" runs nothing more, so Ir(OP) − Ir(setup) is the cost of the
 * operation alone. The result's checksum is printed so nothing is optimised
 * away and a wrong result is visible. One thread; no timing. */
#include "infnum/infnum.h"
#include "peers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GATE_N = 2000, GATE_TERMS = 8, GATE_REPS = 3 };

static const char *const ops[] = {"setup", "add", "mul", "recip", "exp", "sin", "step"};
enum { NOPS = sizeof ops / sizeof ops[0] };

static void usage(FILE *f)
{
    fprintf(f, "usage: gate_bench OP      (OP: setup add mul recip exp sin step)\n"
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

static lc_status run(lc_ctx *ctx, int op, lc_batch *out, const lc_batch *a, const lc_batch *b)
{
    switch (op) {
    case 1: return lc_add(ctx, out, a, b);
    case 2: return lc_mul(ctx, out, a, b);
    case 3: return lc_recip(ctx, out, a);
    case 4: return lc_exp(ctx, out, a);
    case 5: return lc_sin(ctx, out, a);
    case 6: return lc_step(ctx, out, b);
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
    lc_status s = build(&ctx, &a, 1);
    if (s == LC_OK) s = build(&ctx, &b, 2);
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
