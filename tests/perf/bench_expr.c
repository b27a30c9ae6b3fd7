/* SPDX-License-Identifier: MIT */
/* bench_expr: the cost of a compiled expression (infnum/expr.h) against the
 * same batch calls written by hand, on n points x + ε.
 *
 *   bench_expr [--n N] [--reps R] [--threads T]     (defaults 10000, 200, 1)
 *
 * For each function: both versions run R times, interleaved; prints the
 * median ns per point of each and their ratio (compiled / by hand; the
 * target is ≤ 1.5), and checks that the results are identical (exit 1
 * otherwise). The hand-written version keeps its temporaries across calls,
 * as the plan keeps its registers. CTest runs it with few repetitions as a
 * check of the results only; timings are never asserted. */
#define _POSIX_C_SOURCE 200809L
#include "infnum/expr.h"
#include "lc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct temps {
    lc_batch t, u;
} temps;

/* x·sin x + step(x−1) + round(2x)/2 */
static lc_status f_task(lc_ctx *c, lc_batch *y, const lc_batch *x, void *data)
{
    temps *w = data;
    lc_status st = lc_sin(c, &w->t, x);
    if (!st) st = lc_mul(c, &w->t, x, &w->t);
    if (!st) st = lc_add_real(c, &w->u, x, -1.0);
    if (!st) st = lc_step(c, &w->u, &w->u);
    if (!st) st = lc_add(c, &w->t, &w->t, &w->u);
    if (!st) st = lc_scale(c, &w->u, x, 2.0);
    if (!st) st = lc_round(c, &w->u, &w->u);
    if (!st) st = lc_scale(c, &w->u, &w->u, 0.5);
    if (!st) st = lc_add(c, y, &w->t, &w->u);
    return st;
}

/* 3·step(x) − sign(x−1) + abs(x)·x */
static lc_status f_matrix(lc_ctx *c, lc_batch *y, const lc_batch *x, void *data)
{
    temps *w = data;
    lc_status st = lc_step(c, &w->t, x);
    if (!st) st = lc_scale(c, &w->t, &w->t, 3.0);
    if (!st) st = lc_add_real(c, &w->u, x, -1.0);
    if (!st) st = lc_sign(c, &w->u, &w->u);
    if (!st) st = lc_sub(c, &w->t, &w->t, &w->u);
    if (!st) st = lc_abs(c, &w->u, x);
    if (!st) st = lc_mul(c, &w->u, &w->u, x);
    if (!st) st = lc_add(c, y, &w->t, &w->u);
    return st;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long n = 10000, reps = 200, threads = 1;
    for (int i = 1; i < argc; i++) {
        long *v = !strcmp(argv[i], "--n") ? &n : !strcmp(argv[i], "--reps") ? &reps
                                               : !strcmp(argv[i], "--threads") ? &threads : NULL;
        if (!v || i + 1 >= argc || (*v = strtol(argv[++i], NULL, 10)) < 1) {
            fprintf(stderr, "usage: bench_expr [--n N] [--reps R] [--threads T]   (each >= 1)\n");
            return 2;
        }
    }
    static const struct {
        const char *text;
        lc_fn hand;
    } cases[] = {{"x*sin(x) + step(x-1) + round(2*x)/2", f_task}, {"3*step(x) - sign(x-1) + abs(x)*x", f_matrix}};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.nthreads = (int32_t)threads;
    double *x = malloc((size_t)n * sizeof *x), *th = malloc((size_t)reps * 2 * sizeof *th), *tc = th + reps;
    lc_batch xb, y1, y2;
    temps w;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y1, LC_F64, LC_I32);
    lc_batch_init(&y2, LC_F64, LC_I32);
    lc_batch_init(&w.t, LC_F64, LC_I32);
    lc_batch_init(&w.u, LC_F64, LC_I32);
    int rc = !x || !th;
    for (long i = 0; i < n && !rc; i++) x[i] = -3.0 + 6.0 * (double)i / (double)n;
    if (!rc) rc = lc_batch_from_real(&ctx, &xb, n, x, NULL) != LC_OK;
    printf("# bench_expr: %ld points x + eps, %ld repetitions, %ld thread(s); median ns per point\n", n, reps, threads);
    printf("%-40s %12s %12s %8s\n", "f", "by hand", "compiled", "ratio");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0] && !rc; k++) {
        lc_expr *e = NULL;
        rc = lc_expr_compile(&ctx, &e, cases[k].text, "x") != LC_OK;
        /* one warm-up call each: buffers grown, results compared */
        if (!rc) rc = cases[k].hand(&ctx, &y1, &xb, &w) || lc_expr_eval(&ctx, e, &y2, &xb, 1);
        if (!rc && !lt_same_batch(&y1, &y2)) {
            fprintf(stderr, "bench_expr: '%s': the compiled result differs from the hand-written one\n", cases[k].text);
            rc = 1;
        }
        for (long r = 0; r < reps && !rc; r++) {
            double t0 = now();
            rc = cases[k].hand(&ctx, &y1, &xb, &w) != LC_OK;
            double t1 = now();
            rc = rc || lc_expr_eval(&ctx, e, &y2, &xb, 1) != LC_OK;
            th[r] = t1 - t0, tc[r] = now() - t1;
        }
        if (rc) fprintf(stderr, "bench_expr: %s\n", ctx.err);
        lc_expr_free(&ctx, e);
        if (rc) break;
        qsort(th, (size_t)reps, sizeof *th, cmp_d);
        qsort(tc, (size_t)reps, sizeof *tc, cmp_d);
        double mh = th[reps / 2] * 1e9 / (double)n, mc = tc[reps / 2] * 1e9 / (double)n;
        printf("%-40s %12.1f %12.1f %8.3f\n", cases[k].text, mh, mc, mc / mh);
    }
    lc_batch_clear(&ctx, &xb);
    lc_batch_clear(&ctx, &y1);
    lc_batch_clear(&ctx, &y2);
    lc_batch_clear(&ctx, &w.t);
    lc_batch_clear(&ctx, &w.u);
    lc_ctx_clear(&ctx);
    free(x);
    free(th);
    return rc;
}
