/* SPDX-License-Identifier: MIT */
/* infnum-report microbench: infnum-microbench HDF5 files -> TSV + LaTeX.
 * Outputs (docs/results-format.md, "report outputs"):
 *   TSV/microbench-batch.tsv  ns per number vs batch size; one gnuplot block
 *                             per (op, terms), first coefficient/exponent type
 *   TSV/microbench-terms.tsv  ns per number vs terms at the largest batch; one block per op
 *   TSV/microbench-table.tsv  the table below, for the summary HTML
 *   TEX/microbench-table.tex  booktabs tabular: op × terms at the largest batch,
 *                             one column per (ctype, etype), library peak memory
 *   TEX/microbench-macros.tex \newcommand's with the sweep's facts for the text:
 *                             batch and terms ranges, reps, points, the plotted
 *                             type, the types measured (\mbTypes, \mbNumTypes)
 *                             the number of operations (\mbNumOps) and, per op,
 *                             the time at the most terms over that at the fewest
 *                             (\mbGrowth, largest batch, plotted type) */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdlib.h>
#include <string.h>

typedef struct pt {
    char op[32], ty[32]; /* ty = "f64/i32" */
    int64_t terms, batch, lib_peak;
    double ns;           /* median ns per number */
} pt;

typedef struct set {
    pt *p;
    int64_t n, cap, reps;
    char ops[64][32], tys[16][32];
    int nops, ntys;
} set;

static int intern(char names[][32], int *n, int max, const char *s)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(names[i], s)) return i;
    if (*n >= max) return -1;
    snprintf(names[*n], 32, "%s", s);
    return (*n)++;
}

/* Appends the points of one file to s. */
static int load(set *s, const char *path)
{
    lcx_h5r r;
    char **op = NULL, **ct = NULL, **et = NULL;
    int64_t nop = RP_ANY, nct = RP_ANY, net = RP_ANY, d[2] = {RP_ANY, 1};
    int64_t *iop = NULL, *ict = NULL, *iet = NULL, *terms = NULL, *batch = NULL, *mem = NULL;
    double *ns = NULL, reps = 0;
    int rc = -1;
    if (lcx_h5r_open(&r, path)) return rp_err(-1, "microbench", "%s", r.err);
    /* every points/ dataset has the length of the first (d) */
    if (rp_read_strs(&r, "axes/op", &nop, &op) || rp_read_strs(&r, "axes/ctype", &nct, &ct) ||
        rp_read_strs(&r, "axes/etype", &net, &et) || rp_read_i64(&r, "points/op", d, &iop) ||
        rp_read_i64(&r, "points/ctype", d, &ict) || rp_read_i64(&r, "points/etype", d, &iet) ||
        rp_read_i64(&r, "points/terms", d, &terms) || rp_read_i64(&r, "points/batch_size", d, &batch) ||
        rp_read_i64(&r, "memory/lib_peak_bytes", d, &mem) ||
        rp_read_f64(&r, "timing/ns_per_number", d, &ns) || lcx_h5r_attr_f64(&r, "/", "reps", &reps)) {
        rp_err(-1, "microbench", "%s: %s (not an infnum-microbench result?)", path, r.err);
        goto done;
    }
    s->reps = (int64_t)reps;
    int64_t n = d[0];
    if (s->n + n > s->cap) {
        int64_t cap = 2 * (s->n + n);
        pt *np = realloc(s->p, (size_t)cap * sizeof *np);
        if (!np) goto done;
        s->p = np;
        s->cap = cap;
    }
    for (int64_t i = 0; i < n; i++) {
        if (iop[i] < 0 || iop[i] >= nop || ict[i] < 0 || ict[i] >= nct || iet[i] < 0 || iet[i] >= net) {
            rp_err(-1, "microbench", "%s: point %lld has an index out of range", path, (long long)i);
            goto done;
        }
        pt *q = &s->p[s->n++];
        snprintf(q->op, sizeof q->op, "%s", op[iop[i]]);
        snprintf(q->ty, sizeof q->ty, "%s/%s", ct[ict[i]], et[iet[i]]);
        q->terms = terms[i], q->batch = batch[i], q->lib_peak = mem[i], q->ns = ns[i];
        if (intern(s->ops, &s->nops, 64, q->op) < 0 || intern(s->tys, &s->ntys, 16, q->ty) < 0) {
            rp_err(-1, "microbench", "too many distinct ops or types");
            goto done;
        }
    }
    rc = 0;
done:
    lcx_strs_free(op, nop);
    lcx_strs_free(ct, nct);
    lcx_strs_free(et, net);
    free(iop), free(ict), free(iet), free(terms), free(batch), free(mem), free(ns);
    lcx_h5r_close(&r);
    return rc;
}

static const pt *find(const set *s, const char *op, const char *ty, int64_t terms, int64_t batch)
{
    const pt *f = NULL;
    for (int64_t i = 0; i < s->n; i++)
        if (!strcmp(s->p[i].op, op) && !strcmp(s->p[i].ty, ty) && s->p[i].terms == terms &&
            s->p[i].batch == batch)
            f = &s->p[i];
    return f;
}

/* Sorted distinct values of a field (0: terms, 1: batch). */
static int64_t distinct(const set *s, int field, int64_t *out)
{
    int64_t n = 0;
    for (int64_t i = 0; i < s->n; i++) {
        int64_t v = field ? s->p[i].batch : s->p[i].terms, seen = 0;
        for (int64_t j = 0; j < n && !seen; j++) seen = out[j] == v;
        if (!seen) out[n++] = v;
    }
    qsort(out, (size_t)n, sizeof *out, rp_cmp_i64);
    return n;
}

static int write_batch_tsv(const set *s, const char *dir, const int64_t *terms, int64_t nt,
                           const int64_t *batch, int64_t nb)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "microbench-batch.tsv");
    if (!f) return -1;
    const char *ty = s->tys[0];
    int blocks = 0;
    fprintf(f, "# infnum-microbench: median ns per number vs batch size (%s); one block per op and terms\n"
               "# terms_per_op=%lld\n", ty, (long long)nt);
    for (int k = 0; k < s->nops; k++)
        for (int64_t t = 0; t < nt; t++) {
            fprintf(f, "%s\"%s, %lld term%s\"\t\"ns per number\"\n", blocks++ ? "\n\n" : "", s->ops[k],
                    (long long)terms[t], terms[t] == 1 ? "" : "s");
            for (int64_t b = 0; b < nb; b++) {
                const pt *q = find(s, s->ops[k], ty, terms[t], batch[b]);
                if (q) fprintf(f, "%lld\t%.6g\n", (long long)q->batch, q->ns);
            }
        }
    return rp_close(&o, 1);
}

static int write_terms_tsv(const set *s, const char *dir, const int64_t *terms, int64_t nt, int64_t big)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "microbench-terms.tsv");
    if (!f) return -1;
    const char *ty = s->tys[0];
    fprintf(f, "# infnum-microbench: median ns per number vs terms per number at batch size %lld (%s)\n",
            (long long)big, ty);
    for (int k = 0; k < s->nops; k++) {
        fprintf(f, "%s\"%s\"\t\"ns per number\"\n", k ? "\n\n" : "", s->ops[k]);
        for (int64_t t = 0; t < nt; t++) {
            const pt *q = find(s, s->ops[k], ty, terms[t], big);
            if (q) fprintf(f, "%lld\t%.6g\n", (long long)q->terms, q->ns);
        }
    }
    return rp_close(&o, 1);
}

/* The table, as TSV (HTML) and booktabs (paper), from the same cells. */
static int write_tables(const set *s, const rp_args *a, const int64_t *terms, int64_t nt, int64_t big)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, a->tsv_dir, "microbench-table.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, a->tex_dir, "microbench-table.tex");
    if (!x) {
        rp_close(&ot, 0);
        return -1;
    }
    fprintf(t, "op\tterms");
    fprintf(x, "%% Generated by infnum-report microbench from HDF5 results. Do not edit.\n"
               "\\begin{tabular}{lr");
    for (int j = 0; j < s->ntys; j++) fprintf(x, "r");
    fprintf(x, "r}\n\\toprule\n & & \\multicolumn{%d}{c}{median ns per number (coefficients/exponents)} & \\\\\n"
               "\\cmidrule(lr){3-%d}\nop & terms", s->ntys, 2 + s->ntys);
    for (int j = 0; j < s->ntys; j++) {
        fprintf(t, "\tns/number %s", s->tys[j]);
        fprintf(x, " & %s", s->tys[j]);
    }
    fprintf(t, "\tlib peak KiB (%s)\n", s->tys[0]);
    fprintf(x, " & peak KiB \\\\\n\\midrule\n");
    for (int k = 0; k < s->nops; k++)
        for (int64_t i = 0; i < nt; i++) {
            fprintf(t, "%s\t%lld", s->ops[k], (long long)terms[i]);
            fprintf(x, "\\texttt{");
            rp_tex_escape(x, s->ops[k]);
            fprintf(x, "} & %lld", (long long)terms[i]);
            for (int j = 0; j < s->ntys; j++) {
                const pt *q = find(s, s->ops[k], s->tys[j], terms[i], big);
                if (q) fprintf(t, "\t%.1f", q->ns), fprintf(x, " & %.1f", q->ns);
                else fprintf(t, "\t-"), fprintf(x, " & --");
            }
            const pt *q = find(s, s->ops[k], s->tys[0], terms[i], big);
            if (q) fprintf(t, "\t%.1f\n", (double)q->lib_peak / 1024), fprintf(x, " & %.1f \\\\\n", (double)q->lib_peak / 1024);
            else fprintf(t, "\t-\n"), fprintf(x, " & -- \\\\\n");
        }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int rc = rp_close(&ot, 1);
    return rp_close(&ox, rc == 0) || rc ? -1 : 0;
}

static int write_macros(const set *s, const char *dir, const int64_t *batch, int64_t nb,
                        const int64_t *terms, int64_t nt)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, "microbench-macros.tex");
    if (!f) return -1;
    fprintf(f, "%% Generated by infnum-report microbench from HDF5 results. Do not edit.\n");
    fprintf(f, "\\newcommand{\\mbBatchMax}{%lld}\n", (long long)batch[nb - 1]);
    fprintf(f, "\\newcommand{\\mbBatchMin}{%lld}\n", (long long)batch[0]);
    fprintf(f, "\\newcommand{\\mbTermsMax}{%lld}\n", (long long)terms[nt - 1]);
    fprintf(f, "\\newcommand{\\mbTermsMin}{%lld}\n", (long long)terms[0]);
    fprintf(f, "\\newcommand{\\mbReps}{%lld}\n", (long long)s->reps);
    fprintf(f, "\\newcommand{\\mbPoints}{%lld}\n", (long long)s->n);
    fprintf(f, "\\newcommand{\\mbPlotType}{");
    rp_tex_escape(f, s->tys[0]);
    fprintf(f, "}\n\\newcommand{\\mbNumTypes}{%d}\n\\newcommand{\\mbTypes}{", s->ntys);
    for (int j = 0; j < s->ntys; j++) {
        fprintf(f, "%s\\texttt{", j ? ", " : "");
        rp_tex_escape(f, s->tys[j]);
        fprintf(f, "}");
    }
    fprintf(f, "}\n\\newcommand{\\mbNumOps}{%d}\n", s->nops);
    /* per op, time at the most terms over time at the fewest (largest batch, plotted type) */
    fprintf(f, "\\newcommand{\\mbGrowth}{");
    for (int k = 0; k < s->nops; k++) {
        const pt *lo = find(s, s->ops[k], s->tys[0], terms[0], batch[nb - 1]);
        const pt *hi = find(s, s->ops[k], s->tys[0], terms[nt - 1], batch[nb - 1]);
        fprintf(f, "%s\\texttt{", k ? ", " : "");
        rp_tex_escape(f, s->ops[k]);
        if (lo && hi && lo->ns > 0) fprintf(f, "} %.3g", hi->ns / lo->ns);
        else fprintf(f, "} (not measured)");
    }
    fprintf(f, "}\n");
    return rp_close(&o, 1);
}

static const char help[] =
    "usage: infnum-report microbench --tsv-dir DIR --tex-dir DIR RESULT.h5...\n\n"
    "Reads infnum-microbench results and writes DIR/microbench-batch.tsv,\n"
    "microbench-terms.tsv, microbench-table.tsv (TSV dir) and microbench-table.tex,\n"
    "microbench-macros.tex (TeX dir). Layout: docs/results-format.md.\n";

int rp_microbench(int argc, char **argv)
{
    rp_args a;
    int rc = rp_parse(&a, argc, argv, help);
    if (rc >= 0) return rc;
    set s = {0};
    int64_t terms[4096], batch[4096], nt, nb;
    rc = 1;
    for (int i = 0; i < a.ninputs; i++)
        if (load(&s, a.inputs[i])) goto done;
    if (s.n == 0) {
        rp_err(1, "microbench", "the inputs hold no points");
        goto done;
    }
    if (s.n > 4096) {
        rp_err(1, "microbench", "too many points (%lld > 4096)", (long long)s.n);
        goto done;
    }
    nt = distinct(&s, 0, terms);
    nb = distinct(&s, 1, batch);
    if (write_batch_tsv(&s, a.tsv_dir, terms, nt, batch, nb) ||
        write_terms_tsv(&s, a.tsv_dir, terms, nt, batch[nb - 1]) ||
        write_tables(&s, &a, terms, nt, batch[nb - 1]) || write_macros(&s, a.tex_dir, batch, nb, terms, nt))
        goto done;
    rc = 0;
done:
    free(s.p);
    return rc;
}
