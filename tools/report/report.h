/* SPDX-License-Identifier: MIT */
/* infnum-report internals. Each subcommand is `int rp_<name>(int argc,
 * char **argv)` (argv[0] is the subcommand name) returning the exit status
 * (0 ok, 1 failure, 2 bad usage) — one file per experiment: microbench.c,
 * fmnist.c, cartpole.c; diff.c and html.c are generic. */
#ifndef INFNUM_REPORT_H
#define INFNUM_REPORT_H

#include "lcx.h"

#include <stdio.h>

int rp_microbench(int argc, char **argv);
int rp_peers(int argc, char **argv); /* peers.c: microbench mode peers */
int rp_fmnist(int argc, char **argv);
int rp_cartpole(int argc, char **argv);
int rp_diff(int argc, char **argv);
int rp_html(int argc, char **argv);

/* An output file written atomically: rp_open writes to "<path>.tmp" and
 * rp_close renames it to path (or removes it when ok is 0, or on a write
 * error). Returns NULL / -1 with a message on stderr. */
typedef struct rp_out {
    FILE *f;
    char *path, *tmp;
} rp_out;
FILE *rp_open(rp_out *o, const char *path);
int rp_close(rp_out *o, int ok);
/* rp_open of "<dir>/<name>". */
FILE *rp_open_in(rp_out *o, const char *dir, const char *name);

/* Checked reads: every loader reads its datasets through these, so a file
 * whose datasets disagree in shape is an error, never a read past a buffer.
 * shape[0] × shape[1] is the expected shape (a 1-D dataset is n × 1); an
 * entry RP_ANY accepts any extent there and receives it. Returns 0, or -1
 * with the reason in r->err and *data NULL (missing dataset, wrong type or
 * shape). */
#define RP_ANY (-1)
int rp_read_f64(lcx_h5r *r, const char *name, int64_t shape[2], double **data);
int rp_read_i64(lcx_h5r *r, const char *name, int64_t shape[2], int64_t **data);
/* A 1-D string dataset: *n is the expected count, or RP_ANY (then set).
 * On failure *s is NULL and *n is 0 if it was RP_ANY. */
int rp_read_strs(lcx_h5r *r, const char *name, int64_t *n, char ***s);

/* qsort comparison of int64_t values (ascending). */
int rp_cmp_i64(const void *a, const void *b);

/* Message "infnum-report <sub>: ..." on stderr; returns status. */
int rp_err(int status, const char *sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Common option parsing for experiment subcommands:
 *   <sub> --tsv-dir DIR --tex-dir DIR IN.h5...
 * On success fills the fields and returns -1; otherwise the exit status. */
typedef struct rp_args {
    const char *tsv_dir, *tex_dir;
    char **inputs;
    int ninputs;
} rp_args;
int rp_parse(rp_args *a, int argc, char **argv, const char *help);

/* Writes s to f with LaTeX specials escaped. */
void rp_tex_escape(FILE *f, const char *s);

#endif
