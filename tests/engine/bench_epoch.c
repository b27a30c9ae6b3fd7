/* SPDX-License-Identifier: MIT */
/* Times one training epoch of an MLP on synthetic data of Fashion-MNIST's
 * shape (not a test: built, not run by ctest).
 *   engine_bench_epoch [--act relu|step|sign|round_K] [--est SPEC] [--n N]
 *                      [--hidden H] [--layers L] [--relax TAU] [--seed S]
 * Prints one line: act, estimator, n, wall and CPU seconds (the CPU time is
 * the machine-independent part on a shared machine), mean loss. */
#include "infnum/nn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: engine_bench_epoch [--act relu|step|sign|round_K] [--est SPEC] [--n N]\n"
               "                          [--hidden H] [--layers L] [--relax TAU] [--seed S]\n"
               "Times one epoch of nin=784, L (1) hidden layers of H (256), 10 classes, batch 128, adam,\n"
               "on N (60000) uniform random images with random labels.\n");
    return rc;
}

int main(int argc, char **argv)
{
    const char *act = "relu", *est = "classical";
    long n = 60000, hidden = 256, layers = 1;
    double relax = 0;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return usage(stdout, 0);
        if (i + 1 >= argc) return usage(stderr, 2);
        char *end = NULL;
        if (!strcmp(argv[i], "--act")) act = argv[++i];
        else if (!strcmp(argv[i], "--est")) est = argv[++i];
        else if (!strcmp(argv[i], "--n")) n = strtol(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--hidden")) hidden = strtol(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--relax")) relax = strtod(argv[++i], &end);
        else if (!strcmp(argv[i], "--layers")) layers = strtol(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[++i], &end, 10);
        else return usage(stderr, 2);
        if (end && (*end || n < 1 || n > 10000000 || hidden < 1 || hidden > 100000 || layers < 1 || layers > LC_NN_MAX_HIDDEN)) {
            fprintf(stderr, "engine_bench_epoch: bad value '%s'\n", argv[i]);
            return 2;
        }
    }
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_nn_cfg cfg;
    lc_nn_cfg_init(&cfg);
    cfg.nhidden = (int32_t)layers;
    cfg.relax = relax;
    for (long l = 0; l < layers; l++) cfg.hidden[l] = hidden;
    cfg.seed = seed;
    if (lc_act_from_name(&ctx, act, &cfg.act, &cfg.bits) || lc_est_from_name(&ctx, est, &cfg.est)) {
        fprintf(stderr, "engine_bench_epoch: %s\n", ctx.err);
        return 2;
    }
    float *x = malloc(sizeof *x * 784 * (size_t)n);
    int32_t *y = malloc(sizeof *y * (size_t)n);
    if (!x || !y) {
        fprintf(stderr, "engine_bench_epoch: out of memory\n");
        return 1;
    }
    lc_rng r;
    lc_rng_seed(&r, seed);
    for (long i = 0; i < 784 * n; i++) x[i] = (float)lc_rng_uniform(&r);
    for (long i = 0; i < n; i++) y[i] = (int32_t)lc_rng_below(&r, 10);
    lc_nn net;
    lc_nn_stats st;
    struct timespec t0, t1;
    lc_status s = lc_nn_init(&ctx, &net, &cfg);
    timespec_get(&t0, TIME_UTC);
    clock_t c0 = clock();
    if (!s) s = lc_nn_train_epoch(&ctx, &net, x, y, n, NULL, NULL, &st);
    clock_t c1 = clock();
    timespec_get(&t1, TIME_UTC);
    if (s) {
        fprintf(stderr, "engine_bench_epoch: %s: %s\n", lc_status_str(s), ctx.err);
    } else {
        double sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        printf("act=%s est=%s n=%ld hidden=%ldx%ld epoch_s=%.3f cpu_s=%.3f loss=%.4f\n", act, est, n, layers, hidden, sec,
               (double)(c1 - c0) / CLOCKS_PER_SEC, st.loss);
    }
    lc_nn_clear(&ctx, &net);
    lc_ctx_clear(&ctx);
    free(x);
    free(y);
    return s ? 1 : 0;
}
