/* SPDX-License-Identifier: MIT */
/* Unit tests of experiments/common (lcx): parameters, CLI, HDF5 writer/reader. */
#define _POSIX_C_SOURCE 200809L
#include "lcx.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const lcx_param table[] = {
    {"n", LCX_INT, "3", "an int"},
    {"x", LCX_REAL, "0.5", "a real"},
    {"flag", LCX_BOOL, "false", "a bool"},
    {"name", LCX_STR, "\"abc\"", "a string"},
    {"sizes", LCX_INTS, "[1,2]", "ints"},
    {"ops", LCX_STRS, "[\"add\"]", "strings"},
    {0}};

static void test_params(const char *dir)
{
    lcx_params p;
    CHECK(lcx_params_init(&p, table) == 0);
    CHECK(lcx_get_int(&p, "n") == 3);
    CHECK(lcx_get_real(&p, "x") == 0.5);
    CHECK(!lcx_get_bool(&p, "flag"));
    CHECK(!strcmp(lcx_get_str(&p, "name"), "abc"));
    CHECK(lcx_get_len(&p, "sizes") == 2 && lcx_get_int_at(&p, "sizes", 1) == 2);
    CHECK(lcx_get_int(&p, "seed") == 0 && lcx_get_int(&p, "threads") == 1);
    CHECK(!strcmp(lcx_get_str(&p, "device"), "cpu"));
    /* Overrides: JSON, bare strings, comma lists, a scalar as a list of one. */
    CHECK(lcx_params_set(&p, "n=7") == 0 && lcx_get_int(&p, "n") == 7);
    CHECK(lcx_params_set(&p, "name=hello world") == 0 && !strcmp(lcx_get_str(&p, "name"), "hello world"));
    CHECK(lcx_params_set(&p, "sizes=4,8,16") == 0 && lcx_get_len(&p, "sizes") == 3 &&
          lcx_get_int_at(&p, "sizes", 2) == 16);
    CHECK(lcx_params_set(&p, "sizes=[5]") == 0 && lcx_get_int_at(&p, "sizes", 0) == 5);
    CHECK(lcx_params_set(&p, "sizes=9") == 0 && lcx_get_len(&p, "sizes") == 1);
    CHECK(lcx_params_set(&p, "ops=mul,step") == 0 && !strcmp(lcx_get_str_at(&p, "ops", 1), "step"));
    CHECK(lcx_params_set(&p, "ops=[mul,abs]") == 0 && lcx_get_len(&p, "ops") == 2 &&
          !strcmp(lcx_get_str_at(&p, "ops", 0), "mul"));
    CHECK(lcx_params_set(&p, "flag=true") == 0 && lcx_get_bool(&p, "flag"));
    /* Errors name the parameter and leave the value unchanged. */
    CHECK(lcx_params_set(&p, "nope=1") == -1 && strstr(p.err, "'nope'"));
    CHECK(lcx_params_set(&p, "n=1.5") == -1 && strstr(p.err, "'n'") && lcx_get_int(&p, "n") == 7);
    CHECK(lcx_params_set(&p, "sizes=a,b") == -1 && strstr(p.err, "'sizes'"));
    CHECK(lcx_params_set(&p, "flag=maybe") == -1);
    CHECK(lcx_params_set(&p, "=3") == -1);
    /* The JSON keeps table order and round-trips. */
    CHECK(!strncmp(lcx_params_json(&p), "{\"n\":7,", 7));
    /* File loading. */
    char path[512];
    snprintf(path, sizeof path, "%s/p.json", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("{\"x\": 2.25, \"sizes\": [10, 20]}", f);
        fclose(f);
    }
    CHECK(lcx_params_load_file(&p, path) == 0 && lcx_get_real(&p, "x") == 2.25 &&
          lcx_get_int_at(&p, "sizes", 1) == 20);
    f = fopen(path, "w");
    if (f) {
        fputs("{\"x\": 1, \"bogus\": 2}", f);
        fclose(f);
    }
    CHECK(lcx_params_load_file(&p, path) == -1 && strstr(p.err, "'bogus'"));
    f = fopen(path, "w");
    if (f) {
        fputs("[1,2", f);
        fclose(f);
    }
    CHECK(lcx_params_load_file(&p, path) == -1 && strstr(p.err, "not a JSON object"));
    CHECK(lcx_params_load_file(&p, "/nonexistent/p.json") == -1);
    lcx_params_clear(&p);
    /* A malformed table is reported, not crashed on. */
    static const lcx_param bad[] = {{"n", LCX_INT, "x", "bad default"}, {0}};
    CHECK(lcx_params_init(&p, bad) == -1 && strstr(p.err, "'n'"));
    lcx_params_clear(&p);
}

static void test_cli(void)
{
    lcx_cli c;
    char *ok[] = {"prog", "--set", "n=5", "--out", "x.h5", "--threads=2", "--seed", "9", "--quiet", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 9, ok) == -1);
    CHECK(c.threads == 2 && c.seed == 9 && c.quiet && !c.cuda && !strcmp(c.out, "x.h5"));
    CHECK(lcx_get_int(&c.params, "n") == 5);
    lcx_cli_clear(&c);
    char *noout[] = {"prog", "--set", "n=5", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 3, noout) == 2);
    char *unknown[] = {"prog", "--frobnicate", "--out", "x.h5", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 4, unknown) == 2);
    char *baddev[] = {"prog", "--device", "tpu", "--out", "x.h5", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 5, baddev) == 2);
    char *badthr[] = {"prog", "--threads", "0", "--out", "x.h5", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 5, badthr) == 2);
    char *missing[] = {"prog", "--out", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 2, missing) == 2);
}

static int exists(const char *p) { return access(p, F_OK) == 0; }

static void test_h5(const char *dir)
{
    lcx_cli c;
    char out[512], tmp[600];
    snprintf(out, sizeof out, "%s/r.h5", dir);
    char *argv[] = {"prog", "--out", out, "--seed", "42", NULL};
    CHECK(lcx_cli_parse(&c, "prog", "s", table, 5, argv) == -1);
    lcx_h5 h;
    CHECK(lcx_h5_open(&h, out, &c) == 0);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
    CHECK(exists(tmp) && !exists(out)); /* nothing that looks finished yet */
    double v[6] = {1, 2, 3, 4, 5, 6};
    int64_t iv[3] = {7, -8, 9}, d2[2] = {2, 3}, d1 = 3;
    const char *s[3] = {"a", "bb", ""};
    CHECK(lcx_h5_write_f64(&h, "g/sub/m", 2, d2, v, "s") == 0);
    CHECK(lcx_h5_write_i64(&h, "iv", 1, &d1, iv, NULL) == 0);
    CHECK(lcx_h5_write_strs(&h, "g/names", 3, s) == 0);
    CHECK(lcx_h5_write_i64(&h, "iv", 1, &d1, iv, NULL) == -1); /* duplicate */
    CHECK(lcx_h5_attr_f64(&h, "g", "pi", 3.5) == 0);
    CHECK(lcx_h5_mark_timing(&h, "g/sub/m") == 0 && lcx_h5_mark_timing(&h, "iv") == 0);
    CHECK(lcx_h5_commit(&h) == 0);
    CHECK(exists(out) && !exists(tmp));

    lcx_h5r r;
    CHECK(lcx_h5r_open(&r, out) == 0);
    double *dv = NULL;
    int64_t dims[2], *ip = NULL, n = 0;
    CHECK(lcx_h5r_read_f64(&r, "g/sub/m", &dv, dims) == 0 && dims[0] == 2 && dims[1] == 3 && dv && dv[5] == 6);
    CHECK(lcx_h5r_read_i64(&r, "iv", &ip, dims) == 0 && dims[0] == 3 && ip && ip[1] == -8);
    char **sv = NULL;
    CHECK(lcx_h5r_read_strs(&r, "g/names", &sv, &n) == 0 && n == 3 && !strcmp(sv[1], "bb") && !strcmp(sv[2], ""));
    CHECK(lcx_h5r_exists(&r, "g/sub") == 1 && lcx_h5r_exists(&r, "g/nope/x") == 0);
    double *none = NULL;
    CHECK(lcx_h5r_read_f64(&r, "missing", &none, dims) == -1 && none == NULL && strstr(r.err, "missing"));
    char *a = NULL;
    const char *prov[] = {"infnum_version", "git_commit", "compiler", "c_flags", "params", "host",
                          "start_time", "end_time", "device", "cpu_isa", "program"};
    for (size_t i = 0; i < sizeof prov / sizeof *prov; i++) {
        CHECK(lcx_h5r_attr_str(&r, "/", prov[i], &a) == 0 && a && *a);
        free(a);
        a = NULL;
    }
    CHECK(lcx_h5r_attr_str(&r, "/", "timing_fields", &a) == 0 && a && !strcmp(a, "g/sub/m,iv"));
    free(a);
    CHECK(lcx_h5r_attr_str(&r, "/", "params", &a) == 0 && a && strstr(a, "\"seed\":42"));
    free(a);
    CHECK(lcx_h5r_attr_str(&r, "g/sub/m", "units", &a) == 0 && a && !strcmp(a, "s"));
    free(a);
    double x = 0;
    CHECK(lcx_h5r_attr_f64(&r, "/", "seed", &x) == 0 && x == 42);
    CHECK(lcx_h5r_attr_f64(&r, "g", "pi", &x) == 0 && x == 3.5);
    CHECK(lcx_h5r_attr_str(&r, "/", "nope", &a) == -1 && a == NULL);
    free(dv);
    free(ip);
    lcx_strs_free(sv, n);
    lcx_h5r_close(&r);

    /* Abort: neither the temp file nor the final file remains. */
    char out2[512];
    snprintf(out2, sizeof out2, "%s/aborted.h5", dir);
    CHECK(lcx_h5_open(&h, out2, &c) == 0);
    CHECK(lcx_h5_write_f64(&h, "v", 1, &d1, v, "1") == 0);
    lcx_h5_abort(&h);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out2, (long)getpid());
    CHECK(!exists(out2) && !exists(tmp));
    lcx_h5_abort(&h); /* twice is harmless */
    /* A missing directory is an error with a message. */
    snprintf(out2, sizeof out2, "%s/no/such/dir.h5", dir);
    CHECK(lcx_h5_open(&h, out2, &c) == -1 && strstr(h.err, "cannot create"));
    CHECK(lcx_h5r_open(&r, out2) == -1);
    lcx_cli_clear(&c);
}

/* A body that returns what parameter n asks for, after writing one dataset. */
static int body_rc(const lcx_cli *cli, lcx_h5 *h, void *user)
{
    int64_t n = lcx_get_int(&cli->params, "n"), d = 1;
    double v = 1.0;
    ++*(int *)user;
    if (lcx_h5_write_f64(h, "v", 1, &d, &v, "1")) return -1;
    if (n == 2) return lcx_usage(cli, "n", "asked for a usage error");
    if (n == 1) return lcx_fail(cli, "asked for a failure");
    if (n == -1) return lcx_h5_write_f64(h, "v", 1, &d, &v, "1") ? -1 : 0; /* duplicate: -1 */
    return 0;
}

/* lcx_run: a usage error in argv never runs the body; the file exists
 * exactly when the body succeeded; the exit status is the body's (1 for -1). */
static void test_run(const char *dir)
{
    char out[512], arg[32];
    snprintf(out, sizeof out, "%s/run.h5", dir);
    int calls = 0;
    const lcx_exp exp = {"prog", "s", table, body_rc, &calls, 0};
    char *bad[] = {"prog", "--set", "nope=1", "--out", out, "--quiet"};
    CHECK(lcx_run(&exp, 6, bad) == 2 && calls == 0 && !exists(out));
    const int want[][2] = {{2, 2}, {1, 1}, {-1, 1}, {0, 0}};
    for (int i = 0; i < 4; i++) {
        snprintf(arg, sizeof arg, "n=%d", want[i][0]);
        char *argv[] = {"prog", "--set", arg, "--out", out, "--quiet"};
        CHECK(lcx_run(&exp, 6, argv) == want[i][1] && calls == i + 1);
        CHECK(exists(out) == (want[i][1] == 0));
    }
    char nodir[600];
    snprintf(nodir, sizeof nodir, "%s/no/such/dir/x.h5", dir);
    char *unwritable[] = {"prog", "--out", nodir, "--quiet"};
    CHECK(lcx_run(&exp, 4, unwritable) == 1 && calls == 4);
    CHECK(remove(out) == 0);
}

int main(void)
{
    char dir[] = "/tmp/test_lcx.XXXXXX";
    if (!mkdtemp(dir)) return 1;
    test_params(dir);
    test_cli();
    test_h5(dir);
    test_run(dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lt_report("test_lcx");
}
