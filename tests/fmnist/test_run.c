/* SPDX-License-Identifier: MIT */
/* infnum-fmnist end to end on a generated 4×4-pixel, 10-class data set:
 * --help, usage errors (exit 2, no file), missing and unverifiable data
 * (exit 1, message naming the file and the Debian package, no file), a
 * seconds-long run whose HDF5 holds every per-epoch series, classical on
 * step (every hidden gradient exactly zero, hidden weights unchanged),
 * ste on step (hidden weights move, the problem is learnt), and the same
 * seed giving identical accuracies on re-run; and, given infnum-report,
 * its fmnist subcommand choosing each setting's lr by validation accuracy.
 * Usage: test_fmnist_run PATH/TO/infnum-fmnist [PATH/TO/infnum-report] */
#define _POSIX_C_SOURCE 200809L
#include "lcx.h"
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>


static char dir[256], cmd[4096];
static const char *bin;

static char *path(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* Writes a gzipped IDX of unsigned bytes. */
static void put_idx(const char *name, int ndim, const uint32_t *dims, const uint8_t *data)
{
    gzFile f = gzopen(path(name), "wb");
    uint8_t h[4 + 12] = {0, 0, 8, (uint8_t)ndim};
    size_t count = 1;
    for (int d = 0; d < ndim; d++) {
        for (int b = 0; b < 4; b++) h[4 + 4 * d + b] = (uint8_t)(dims[d] >> (24 - 8 * b));
        count *= dims[d];
    }
    if (!f || gzwrite(f, h, 4 + 4 * ndim) <= 0 || gzwrite(f, data, (unsigned)count) <= 0 || gzclose(f) != Z_OK)
        abort();
}

/* Split with n images: class c lights pixel c (of 16) plus noise. */
static void make_split(const char *split, uint32_t n, unsigned seed)
{
    uint8_t *img = malloc(n * 16), *lab = malloc(n);
    char name[64];
    if (!img || !lab) abort();
    for (uint32_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        lab[i] = (uint8_t)((seed >> 16) % 10);
        for (int j = 0; j < 16; j++) {
            seed = seed * 1103515245u + 12345u;
            img[i * 16 + j] = (uint8_t)((seed >> 16) % 60);
        }
        img[i * 16 + lab[i]] = 255;
    }
    const uint32_t di[3] = {n, 4, 4}, dl[1] = {n};
    snprintf(name, sizeof name, "%s-images-idx3-ubyte.gz", split);
    put_idx(name, 3, di, img);
    snprintf(name, sizeof name, "%s-labels-idx1-ubyte.gz", split);
    put_idx(name, 1, dl, lab);
    free(img);
    free(lab);
}

/* Runs the binary with args; stderr to dir/err. Returns the exit status. */
static int run(const char *args)
{
    snprintf(cmd, sizeof cmd, "%s %s 2>%s >%s", bin, args, path("err"), path("stdout"));
    int s = system(cmd);
    return s == -1 ? -1 : (s >> 8) & 0xff;
}

static int err_has(const char *s)
{
    static char buf[8192];
    FILE *f = fopen(path("err"), "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    return strstr(buf, s) != NULL;
}

static int exists(const char *p) { return access(p, F_OK) == 0; }

/* Reads dataset name of file into a malloc'd array; NULL on failure. */
static double *rd(const char *file, const char *name, int64_t dims[2])
{
    lcx_h5r r;
    double *d = NULL;
    if (lcx_h5r_open(&r, file)) return NULL;
    if (lcx_h5r_read_f64(&r, name, &d, dims)) d = NULL;
    lcx_h5r_close(&r);
    return d;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s PATH/TO/infnum-fmnist [PATH/TO/infnum-report]\n", argv[0]);
        return 2;
    }
    bin = argv[1];
    const char *report = argc == 3 ? argv[2] : NULL;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fmnist-run-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) return 1;
    make_split("train", 600, 1);
    make_split("t10k", 200, 2);
    char base[1024], a[2048];
    snprintf(base, sizeof base, "--set data=%s --set verify=false --set hidden=[16] --set epochs=3 --set batch=32 --quiet",
             dir);

    CHECK(run("--help") == 0);
    snprintf(a, sizeof a, "%s --set activation=tanhh --out %s", base, path("bad.h5"));
    CHECK(run(a) == 2 && err_has("activation") && !exists(path("bad.h5")));
    snprintf(a, sizeof a, "%s --set epochs=0 --out %s", base, path("bad.h5"));
    CHECK(run(a) == 2 && err_has("epochs") && !exists(path("bad.h5")));
    snprintf(a, sizeof a, "%s --set data=%s/nowhere --out %s", base, dir, path("bad.h5"));
    CHECK(run(a) == 1 && err_has("nowhere/train-images-idx3-ubyte.gz") && err_has("dataset-fashion-mnist"));
    snprintf(a, sizeof a, "%s --set verify=true --out %s", base, path("bad.h5"));
    CHECK(run(a) == 1 && err_has("MD5") && err_has("dataset-fashion-mnist") && !exists(path("bad.h5")));

    /* classical on step: no gradient reaches the hidden layer. */
    snprintf(a, sizeof a, "%s --set activation=step --set estimator=classical --out %s", base, path("cl.h5"));
    CHECK(run(a) == 0 && exists(path("cl.h5")));
    int64_t d[2] = {0, 0};
    double *z = rd(path("cl.h5"), "epoch/act_zero_frac", d), *c = rd(path("cl.h5"), "epoch/hidden_change", d);
    CHECK(z && c && d[0] == 3 && d[1] == 1);
    for (int e = 0; z && c && e < 3; e++) CHECK(z[e] == 1.0 && c[e] == 0.0);
    free(z), free(c);

    /* ste on step: hidden weights move, accuracy well above chance. */
    snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set lr=0.01 --seed 7 --out %s", base,
             path("ste.h5"));
    CHECK(run(a) == 0);
    double *acc = rd(path("ste.h5"), "epoch/test_acc", d);
    c = rd(path("ste.h5"), "epoch/hidden_change", d);
    z = rd(path("ste.h5"), "epoch/act_zero_frac", d);
    CHECK(acc && c && z && acc[2] > 0.8 && c[2] > 0 && z[2] < 1.0);
    int64_t dc[2];
    lcx_h5r r;
    int64_t *conf = NULL, total = 0;
    CHECK(lcx_h5r_open(&r, path("ste.h5")) == 0 && lcx_h5r_read_i64(&r, "final/confusion", &conf, dc) == 0);
    lcx_h5r_close(&r);
    CHECK(conf && dc[0] == 10 && dc[1] == 10);
    for (int i = 0; conf && i < 100; i++) total += conf[i];
    CHECK(total == 200);
    free(conf);

    /* Same seed, same threads: identical accuracies and losses. */
    snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set lr=0.01 --seed 7 --out %s", base,
             path("ste2.h5"));
    CHECK(run(a) == 0);
    double *acc2 = rd(path("ste2.h5"), "epoch/test_acc", d), *l1 = rd(path("ste.h5"), "epoch/train_loss", d),
           *l2 = rd(path("ste2.h5"), "epoch/train_loss", d);
    CHECK(acc && acc2 && l1 && l2 && !memcmp(acc, acc2, 3 * sizeof *acc) && !memcmp(l1, l2, 3 * sizeof *l1));
    free(acc), free(acc2), free(l1), free(l2), free(c), free(z);

    /* The report (when given): per setting, the lr with the best mean
     * validation accuracy is chosen, and the table and curves hold every setting. */
    if (report) {
        snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set valid=100 --set lr=0.01 --out %s", base,
                 path("v1.h5"));
        CHECK(run(a) == 0);
        snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set valid=100 --set lr=0.00001 --out %s",
                 base, path("v2.h5"));
        CHECK(run(a) == 0);
        snprintf(cmd, sizeof cmd, "%s fmnist --tsv-dir %s --tex-dir %s %s %s %s > %s 2>&1", report, dir, dir,
                 path("cl.h5"), path("v1.h5"), path("v2.h5"), path("err"));
        CHECK(system(cmd) == 0);
        static char tsv[8192];
        FILE *f = fopen(path("fmnist-table.tsv"), "r");
        size_t n = f ? fread(tsv, 1, sizeof tsv - 1, f) : 0;
        if (f) fclose(f);
        tsv[n] = '\0';
        CHECK(strstr(tsv, "784-16-10\tstep\tclassical\t0.001\t0\t1\t1\t") != NULL);
        CHECK(strstr(tsv, "784-16-10\tstep\tste\t0.01\t0\t2\t1\t") != NULL);
        CHECK(exists(path("fmnist-table.tex")) && exists(path("fmnist-macros.tex")) &&
              exists(path("fmnist-curves.tsv")) && exists(path("fmnist-curves.layout")) &&
              exists(path("fmnist-settings.tsv")) && exists(path("fmnist-settings.tex")) && exists(path("fmnist-wall.tsv")));
        /* The protocol: tuning runs (role tune) never read the test set; --choose
         * writes the parameters of the best of them for the evaluation runs. */
        snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set method=ste --set role=tune "
                 "--set valid=100 --set lr=0.01 --out %s", base, path("t1.h5"));
        CHECK(run(a) == 0);
        snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set method=ste --set role=tune "
                 "--set valid=100 --set lr=0.00001 --out %s", base, path("t2.h5"));
        CHECK(run(a) == 0);
        double *ta = rd(path("t1.h5"), "final/test_acc", d);
        CHECK(ta && isnan(ta[0]));
        free(ta);
        snprintf(a, sizeof a, "%s --set activation=step --set estimator=ste --set role=tune --out %s", base, path("t3.h5"));
        CHECK(run(a) == 2); /* a tuning run needs a validation split */
        snprintf(cmd, sizeof cmd, "%s fmnist --choose %s %s %s > %s 2>&1", report, path("chosen.json"), path("t1.h5"),
                 path("t2.h5"), path("err"));
        CHECK(system(cmd) == 0);
        static char js[4096];
        f = fopen(path("chosen.json"), "r");
        n = f ? fread(js, 1, sizeof js - 1, f) : 0;
        if (f) fclose(f);
        js[n] = '\0';
        CHECK(strstr(js, "\"lr\":0.01") && strstr(js, "\"role\":\"eval\"") && !strstr(js, "\"seed\""));
        snprintf(cmd, sizeof cmd, "%s fmnist --tsv-dir %s --tex-dir %s %s > %s 2>&1", report, dir, dir,
                 path("nothere.h5"), path("err"));
        CHECK(system(cmd) != 0 && err_has("nothere.h5"));
        const char *gen[] = {"v1.h5", "v2.h5", "t1.h5", "t2.h5", "chosen.json", "fmnist-table.tsv",
                             "fmnist-table.tex", "fmnist-macros.tex", "fmnist-curves.tsv", "fmnist-curves.layout",
                             "fmnist-settings.tsv", "fmnist-settings.tex", "fmnist-wall.tsv"};
        for (size_t i = 0; i < sizeof gen / sizeof *gen; i++) remove(path(gen[i]));
    }

    /* Every activation/estimator pair the grid uses runs (784-H-H-10 shape too). */
    const char *acts[] = {"relu", "sign", "round_2", "round_2", "step"},
               *ests[] = {"surrogate", "ste_clipped", "nonstandard", "composite", "kernel --set relax_tau=0.3"};
    for (int i = 0; i < 5; i++) {
        snprintf(a, sizeof a, "%s --set hidden=[8,8] --set epochs=1 --set activation=%s --set estimator=%s --out %s",
                 base, acts[i], ests[i], path("g.h5"));
        CHECK(run(a) == 0 && exists(path("g.h5")));
        remove(path("g.h5"));
    }

    const char *names[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                           "t10k-labels-idx1-ubyte.gz", "err", "stdout", "cl.h5", "ste.h5", "ste2.h5"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) remove(path(names[i]));
    rmdir(dir);
    if (lt_failures) fprintf(stderr, "last command: %s\n", cmd);
    return lt_report("test_fmnist_run");
}
