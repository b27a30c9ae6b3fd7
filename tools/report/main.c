/* SPDX-License-Identifier: MIT */
/* infnum-report: reads HDF5 results and writes the TSV files the gnuplot
 * scripts in plots/ plot, the booktabs tables the paper \inputs, and the
 * self-contained summary HTML. Numbers come from the HDF5 files alone. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} subs[] = {
    {"microbench", rp_microbench, "TSV + LaTeX table of infnum-microbench results"},
    {"peers", rp_peers, "TSV + LaTeX ratio table of infnum-microbench mode peers"},
    {"fmnist", rp_fmnist, "TSV + LaTeX table of infnum-fmnist results"},
    {"cartpole", rp_cartpole, "TSV + LaTeX table of infnum-cartpole results"},
    {"diff", rp_diff, "compare two result files, ignoring timings and time stamps"},
    {"html", rp_html, "the self-contained summary HTML"},
    {0, 0, 0}};

static void usage(FILE *f)
{
    fprintf(f, "usage: infnum-report <subcommand> [options] (infnum-report <subcommand> --help)\n"
               "       infnum-report --version\n\n");
    for (int i = 0; subs[i].name; i++) fprintf(f, "  %-11s %s\n", subs[i].name, subs[i].help);
    fprintf(f, "\nExit status: 0 success, 1 failure (differences for diff), 2 bad usage.\n"
               "Outputs are written to a temporary name and renamed when complete.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        lcx_version(stdout, "infnum-report");
        return 0;
    }
    for (int i = 0; subs[i].name; i++)
        if (!strcmp(argv[1], subs[i].name)) return subs[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "infnum-report: unknown subcommand '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}

int rp_err(int status, const char *sub, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "infnum-report %s: ", sub);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

FILE *rp_open(rp_out *o, const char *path)
{
    size_t n = strlen(path) + 8;
    o->f = NULL;
    o->path = malloc(n);
    o->tmp = malloc(n);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        fprintf(stderr, "infnum-report: out of memory\n");
        return NULL;
    }
    snprintf(o->path, n, "%s", path);
    snprintf(o->tmp, n, "%s.tmp", path);
    if (!(o->f = fopen(o->tmp, "w"))) {
        fprintf(stderr, "infnum-report: cannot create %s\n", o->tmp);
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
    }
    return o->f;
}

int rp_close(rp_out *o, int ok)
{
    if (!o->f) return -1;
    if (ferror(o->f)) ok = 0;
    if (fclose(o->f)) ok = 0;
    o->f = NULL;
    int rc = 0;
    if (!ok || rename(o->tmp, o->path)) {
        if (ok) fprintf(stderr, "infnum-report: cannot write %s\n", o->path);
        remove(o->tmp);
        rc = -1;
    }
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    return rc;
}

FILE *rp_open_in(rp_out *o, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) {
        o->f = NULL;
        fprintf(stderr, "infnum-report: out of memory\n");
        return NULL;
    }
    snprintf(p, n, "%s/%s", dir, name);
    FILE *f = rp_open(o, p);
    free(p);
    return f;
}

/* 1 if d matches shape (RP_ANY entries take d's extent), else 0 with a
 * message in r->err. */
static int shape_ok(lcx_h5r *r, const char *name, const int64_t d[2], int64_t shape[2])
{
    if ((shape[0] != RP_ANY && d[0] != shape[0]) || (shape[1] != RP_ANY && d[1] != shape[1])) {
        snprintf(r->err, sizeof r->err, "dataset '%s' is %lld x %lld, expected %lld x %lld", name,
                 (long long)d[0], (long long)d[1], (long long)shape[0], (long long)shape[1]);
        return 0;
    }
    shape[0] = d[0], shape[1] = d[1];
    return 1;
}

int rp_read_f64(lcx_h5r *r, const char *name, int64_t shape[2], double **data)
{
    int64_t d[2];
    if (lcx_h5r_read_f64(r, name, data, d)) return -1;
    if (shape_ok(r, name, d, shape)) return 0;
    free(*data), *data = NULL;
    return -1;
}

int rp_read_i64(lcx_h5r *r, const char *name, int64_t shape[2], int64_t **data)
{
    int64_t d[2];
    if (lcx_h5r_read_i64(r, name, data, d)) return -1;
    if (shape_ok(r, name, d, shape)) return 0;
    free(*data), *data = NULL;
    return -1;
}

int rp_read_strs(lcx_h5r *r, const char *name, int64_t *n, char ***s)
{
    int64_t cnt, d[2] = {0, 1}, shape[2] = {*n, 1};
    if (lcx_h5r_read_strs(r, name, s, &cnt)) {
        if (*n == RP_ANY) *n = 0;
        return -1;
    }
    d[0] = cnt;
    if (shape_ok(r, name, d, shape)) return *n = cnt, 0;
    lcx_strs_free(*s, cnt), *s = NULL;
    if (*n == RP_ANY) *n = 0;
    return -1;
}

int rp_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int rp_parse(rp_args *a, int argc, char **argv, const char *help)
{
    memset(a, 0, sizeof *a);
    a->inputs = argv + 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s", help);
            return 0;
        } else if (!strcmp(argv[i], "--tsv-dir") && i + 1 < argc) {
            a->tsv_dir = argv[++i];
        } else if (!strcmp(argv[i], "--tex-dir") && i + 1 < argc) {
            a->tex_dir = argv[++i];
        } else if (!strncmp(argv[i], "--", 2)) {
            return rp_err(2, argv[0], "unknown or incomplete option '%s' (see --help)", argv[i]);
        } else {
            a->inputs[a->ninputs++] = argv[i];
        }
    }
    if (!a->tsv_dir || !a->tex_dir) return rp_err(2, argv[0], "--tsv-dir and --tex-dir are required");
    if (!a->ninputs) return rp_err(2, argv[0], "no input files");
    return -1;
}

void rp_tex_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (strchr("&%$#_{}", *s)) fprintf(f, "\\%c", *s);
        else if (*s == '\\') fputs("\\textbackslash{}", f);
        else if (*s == '~' || *s == '^') fprintf(f, "\\%c{}", *s);
        else fputc(*s, f);
    }
}
