/* SPDX-License-Identifier: MIT */
/* infnum-report on result files whose datasets disagree in length: every
 * loader (microbench, peers, fmnist, fmnist --fidelity, cartpole) must
 * refuse the file (exit 1, a message naming the dataset, no output), never
 * read past a buffer or write tables from other memory.
 * Usage: test_report_shapes INFNUM_REPORT */
#define _POSIX_C_SOURCE 200809L
#include "lcx.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* activation and estimator: the labels the fmnist loader reads from params */
static const lcx_param table[] = {{"activation", LCX_STR, "\"step\"", "unused"},
                                  {"estimator", LCX_STR, "\"ste\"", "unused"},
                                  {NULL, 0, NULL, NULL}};
static char dir[256];

static void open_file(lcx_h5 *h, const char *name)
{
    lcx_cli c;
    char out[512];
    snprintf(out, sizeof out, "%s/%s.h5", dir, name);
    char *argv[] = {"prog", "--out", out, NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 3, argv) == -1);
    CHECK(lcx_h5_open(h, out, &c) == 0);
    lcx_cli_clear(&c);
}

static void f64(lcx_h5 *h, const char *name, int64_t n)
{
    double v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    int64_t d[1] = {n};
    CHECK(lcx_h5_write_f64(h, name, 1, d, v, "1") == 0);
}

static void f64_2d(lcx_h5 *h, const char *name, int64_t rows, int64_t cols)
{
    double v[64] = {0};
    int64_t d[2] = {rows, cols};
    CHECK(rows * cols <= 64 && lcx_h5_write_f64(h, name, 2, d, v, "1") == 0);
}

static void i64(lcx_h5 *h, const char *name, int64_t n)
{
    int64_t v[8] = {0}, d[1] = {n};
    CHECK(lcx_h5_write_i64(h, name, 1, d, v, "1") == 0);
}

static void strs(lcx_h5 *h, const char *name, int64_t n)
{
    const char *s[4] = {"add", "mul", "x", "y"};
    CHECK(lcx_h5_write_strs(h, name, n, s) == 0);
}

/* Runs `infnum-report sub` on name.h5: exit 1 and stderr naming want. */
static void expect_refused(const char *report, const char *sub, const char *name, const char *want)
{
    char cmd[2048], log[512], line[1024];
    snprintf(log, sizeof log, "%s/%s.log", dir, name);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/out-%s && %s %s --tsv-dir %s/out-%s --tex-dir %s/out-%s %s/%s.h5 2> %s",
             dir, name, report, sub, dir, name, dir, name, dir, name, log);
    int rc = system(cmd);
    CHECK_MSG(WIFEXITED(rc) && WEXITSTATUS(rc) == 1, "%s %s: status %d", sub, name, rc);
    FILE *f = fopen(log, "r");
    int found = 0;
    while (f && fgets(line, sizeof line, f)) found |= strstr(line, want) != NULL;
    if (f) fclose(f);
    CHECK_MSG(found, "%s %s: no message naming %s", sub, name, want);
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s/out-%s)\"", dir, name);
    CHECK_MSG(system(cmd) == 0, "%s %s: output written", sub, name);
}

int main(int argc, char **argv)
{
    if (argc != 2) return fprintf(stderr, "usage: test_report_shapes INFNUM_REPORT\n"), 2;
    snprintf(dir, sizeof dir, "/tmp/infnum-shapes.XXXXXX");
    if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
    lcx_h5 h;
    /* microbench: 3 points, 1 timing */
    open_file(&h, "mb");
    strs(&h, "axes/op", 1), strs(&h, "axes/ctype", 1), strs(&h, "axes/etype", 1);
    i64(&h, "points/op", 3), i64(&h, "points/ctype", 3), i64(&h, "points/etype", 3);
    i64(&h, "points/terms", 3), i64(&h, "points/batch_size", 3), i64(&h, "memory/lib_peak_bytes", 3);
    f64(&h, "timing/ns_per_number", 1);
    CHECK(lcx_h5_attr_f64(&h, "/", "reps", 3) == 0);
    CHECK(lcx_h5_commit(&h) == 0);
    expect_refused(argv[1], "microbench", "mb", "timing/ns_per_number");
    /* peers: 2 implementations, 1 op (the old loader freed op with 2 entries) */
    open_file(&h, "peers");
    strs(&h, "peers/points/impl", 2), strs(&h, "peers/points/op", 1);
    i64(&h, "peers/points/batch_size", 2), i64(&h, "peers/points/terms", 2), f64(&h, "peers/points/ns_per_number", 2);
    strs(&h, "peers/targets/name", 2), f64(&h, "peers/targets/ratio", 2), f64(&h, "peers/targets/limit", 2);
    i64(&h, "peers/targets/at_least", 2), i64(&h, "peers/targets/met", 2);
    CHECK(lcx_h5_attr_f64(&h, "/", "reps", 3) == 0);
    CHECK(lcx_h5_commit(&h) == 0);
    expect_refused(argv[1], "peers", "peers", "peers/points/op");
    /* fmnist: 3 epochs, per-layer datasets of 1 epoch */
    open_file(&h, "fm");
    f64(&h, "epoch/test_acc", 3), f64(&h, "final/test_acc", 1), f64(&h, "final/epoch_time", 1);
    f64(&h, "final/valid_acc", 1), f64(&h, "final/train_acc", 1);
    f64(&h, "epoch/act_zero_frac", 1), f64(&h, "epoch/hidden_change", 1);
    CHECK(lcx_h5_attr_f64(&h, "/", "n_train", 1) == 0 && lcx_h5_attr_f64(&h, "/", "n_valid", 1) == 0 &&
          lcx_h5_attr_f64(&h, "/", "n_test", 1) == 0);
    CHECK(lcx_h5_commit(&h) == 0);
    expect_refused(argv[1], "fmnist", "fm", "epoch/act_zero_frac");
    /* fmnist: 3 epochs everywhere but 1 epoch time (the old loader read 3) */
    open_file(&h, "fm-time");
    f64(&h, "epoch/test_acc", 3), f64(&h, "final/test_acc", 1), f64(&h, "final/epoch_time", 1);
    f64(&h, "final/valid_acc", 1), f64(&h, "final/train_acc", 1);
    f64(&h, "epoch/act_zero_frac", 3), f64(&h, "epoch/hidden_change", 3), f64(&h, "epoch/time", 1);
    CHECK(lcx_h5_attr_f64(&h, "/", "n_train", 1) == 0 && lcx_h5_attr_f64(&h, "/", "n_valid", 1) == 0 &&
          lcx_h5_attr_f64(&h, "/", "n_test", 1) == 0);
    CHECK(lcx_h5_commit(&h) == 0);
    expect_refused(argv[1], "fmnist", "fm-time", "epoch/time");
    /* fmnist --fidelity: rows of 12 columns, histogram rows of 5 (not 6);
     * the message must name the offending dataset alone */
    open_file(&h, "fid");
    f64_2d(&h, "fid/rows", 2, 12), strs(&h, "fid/estimators", 1), f64_2d(&h, "hist/rows", 2, 5);
    CHECK(lcx_h5_commit(&h) == 0);
    char sub[512];
    snprintf(sub, sizeof sub, "fmnist --fidelity %s/fid.h5", dir);
    expect_refused(argv[1], sub, "fid", "dataset 'hist/rows'");
    /* cartpole: 3 evaluations, 1 wall time; a final value of 0 elements */
    open_file(&h, "cp");
    CHECK(lcx_h5_attr_str(&h, "/", "estimator", "es") == 0 && lcx_h5_attr_str(&h, "/", "policy", "linear") == 0);
    i64(&h, "curve/env_steps", 3), f64(&h, "curve/return_mean", 3), f64(&h, "curve/wall_time", 1);
    i64(&h, "final/steps_to_threshold", 0), f64(&h, "final/return", 1);
    CHECK(lcx_h5_commit(&h) == 0);
    expect_refused(argv[1], "cartpole", "cp", "curve/wall_time");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (!lt_failures && system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lt_report("test_report_shapes");
}
