/* SPDX-License-Identifier: MIT */
/* infnum-report peers: the peers mode of infnum-microbench (HDF5 group
 * peers/, docs/performance.md) -> TSV + LaTeX.
 *   TSV/peers-batch.tsv    numbers per second vs batch size at 8 terms; one
 *                          gnuplot block per (op, plotted implementation),
 *                          op-major, every op with the same PLOTTED list
 *                          (a block may be empty: infnum-2t runs mul and exp)
 *   TSV/peers-terms.tsv    numbers per second vs terms at the batch size with
 *                          the most points (1e4 on a tie); the same blocks
 *   TSV/peers-targets.tsv, TEX/peers-targets.tex   the performance targets:
 *                          measured ratio, limit, met or the gap
 *   TEX/peers-table.tex    ns per number of every implementation at 8 terms,
 *                          the smallest and largest batch size measured there
 *   TEX/peers-macros.tex   \peersTargets, \peersMeasured, \peersMet,
 *                          \peersMissed (counts of the targets), \peersTermsBatch
 *                          (batch size of the terms sweep), \peersReps,
 *                          \peersBatchTerms (terms of the batch sweep and the
 *                          table), \peersTableLo, \peersTableHi (its batch sizes),
 *                          \peersVsDense (per op, the library's ns over the dense
 *                          loops' at the table's largest batch), \peersIsa (the
 *                          instruction set the library's and the dense loops ran) */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_TERMS 8 /* terms per number of the batch sweep (infnum-microbench peers) */

typedef struct pset {
    char **impl, **op, **tname;
    int64_t n, nt, reps, *batch, *terms, *at_least, *met;
    double *ns, *ratio, *limit;
    char *isa; /* the run's cpu_isa (NULL in files written before it was recorded) */
} pset;

static void pset_free(pset *s)
{
    lcx_strs_free(s->impl, s->n);
    lcx_strs_free(s->op, s->n);
    lcx_strs_free(s->tname, s->nt);
    free(s->batch), free(s->terms), free(s->at_least), free(s->met);
    free(s->ns), free(s->ratio), free(s->limit);
    free(s->isa);
}

static int load(pset *s, const char *path)
{
    lcx_h5r r;
    s->n = s->nt = RP_ANY;
    if (lcx_h5r_open(&r, path)) return s->n = s->nt = 0, rp_err(-1, "peers", "%s", r.err);
    /* points/ datasets all have impl's length, targets/ ones name's; a
     * failed read leaves the pointer NULL (pset_free frees what was read) */
    int bad = rp_read_strs(&r, "peers/points/impl", &s->n, &s->impl);
    if (bad) s->nt = 0;
    int64_t dp[2] = {s->n, 1};
    bad = bad || rp_read_strs(&r, "peers/points/op", &s->n, &s->op) ||
          rp_read_i64(&r, "peers/points/batch_size", dp, &s->batch) ||
          rp_read_i64(&r, "peers/points/terms", dp, &s->terms) ||
          rp_read_f64(&r, "peers/points/ns_per_number", dp, &s->ns);
    if (bad && s->nt == RP_ANY) s->nt = 0;
    bad = bad || rp_read_strs(&r, "peers/targets/name", &s->nt, &s->tname);
    int64_t dt[2] = {s->nt, 1};
    bad = bad || rp_read_f64(&r, "peers/targets/ratio", dt, &s->ratio) ||
          rp_read_f64(&r, "peers/targets/limit", dt, &s->limit) ||
          rp_read_i64(&r, "peers/targets/at_least", dt, &s->at_least) ||
          rp_read_i64(&r, "peers/targets/met", dt, &s->met);
    double reps = 0;
    if (!bad) bad = lcx_h5r_attr_f64(&r, "/", "reps", &reps);
    s->reps = (int64_t)reps;
    s->isa = NULL;
    if (!bad && lcx_h5r_attr_str(&r, "/", "cpu_isa", &s->isa)) s->isa = NULL; /* optional */
    if (bad) rp_err(-1, "peers", "%s: %s (not an infnum-microbench peers result?)", path, r.err);
    lcx_h5r_close(&r);
    return bad ? -1 : 0;
}

/* Distinct values of v (first-seen order) into out; returns the count. */
static int distinct_str(char **v, int64_t n, const char **out, int max)
{
    int m = 0;
    for (int64_t i = 0; i < n; i++) {
        int k = 0;
        while (k < m && strcmp(out[k], v[i])) k++;
        if (k == m && m < max) out[m++] = v[i];
    }
    return m;
}

/* 1 for the swept ops (every batch size and terms), 0 for those measured
 * once (ngrad_*, rollout, mul_random: their own rows of the targets). */
static int swept(const char *op)
{
    return strncmp(op, "ngrad_", 6) && strcmp(op, "rollout") && strcmp(op, "mul_random");
}

/* The implementations of the throughput plots (peers-*.gp), with their legend. */
static const char *const PLOTTED[][2] = {{"infnum", "infnum, 1 thread"}, {"infnum-2t", "infnum, 2 threads"},
                                         {"dense", "dense loops"},       {"boost", "Boost.Math"},
                                         {"adolc", "ADOL-C"},            {"sacado", "Sacado"}};
#define NPLOTTED ((int)(sizeof PLOTTED / sizeof PLOTTED[0]))

/* One block per (op, plotted impl): x = batch (byterms 0) or terms, at the
 * other fixed. Header comments "# ops=" and "# impls=" for the scripts. */
static int write_sweep(const pset *s, const char *dir, const char *name, int byterms, int64_t fixed)
{
    rp_out o;
    FILE *f = rp_open_in(&o, dir, name);
    if (!f) return -1;
    const char *ops[16];
    int nops = distinct_str(s->op, s->n, ops, 16), blk = 0;
    for (int k = 0; k < nops; k++)
        if (!swept(ops[k])) ops[k--] = ops[--nops];
    fprintf(f, "# infnum-microbench peers: numbers per second vs %s (%s %lld)\n# ops=",
            byterms ? "terms per number" : "batch size", byterms ? "batch size" : "terms", (long long)fixed);
    for (int k = 0; k < nops; k++) fprintf(f, "%s%s", k ? " " : "", ops[k]);
    fprintf(f, "\n# impls=%d\n", NPLOTTED);
    for (int k = 0; k < nops; k++)
        for (int m = 0; m < NPLOTTED; m++) {
            const char *impl = PLOTTED[m][0];
            fprintf(f, "%s\"%s\"\t\"%s numbers per second\"\n", blk++ ? "\n\n" : "", PLOTTED[m][1], ops[k]);
            for (int64_t x = 0, last = 0; x >= 0; last = x) { /* the points by rising x */
                int64_t at = -1;
                x = -1;
                for (int64_t i = 0; i < s->n; i++) {
                    int64_t xi = byterms ? s->terms[i] : s->batch[i];
                    if (!strcmp(s->op[i], ops[k]) && !strcmp(s->impl[i], impl) &&
                        (byterms ? s->batch[i] : s->terms[i]) == fixed && s->ns[i] > 0 && xi > last &&
                        (x < 0 || xi < x))
                        x = xi, at = i;
                }
                if (at >= 0) fprintf(f, "%lld\t%.6g\n", (long long)x, 1e9 / s->ns[at]);
            }
        }
    return rp_close(&o, 1);
}

static double ns_at(const pset *s, const char *impl, const char *op, int64_t batch, int64_t terms)
{
    for (int64_t i = 0; i < s->n; i++)
        if (s->batch[i] == batch && s->terms[i] == terms && !strcmp(s->impl[i], impl) && !strcmp(s->op[i], op))
            return s->ns[i];
    return NAN;
}

/* The smallest (hi = 0) or largest (hi = 1) batch size measured at BATCH_TERMS. */
static int64_t table_batch(const pset *s, int hi)
{
    int64_t b = -1;
    for (int64_t i = 0; i < s->n; i++)
        if (s->terms[i] == BATCH_TERMS && (b < 0 || (hi ? s->batch[i] > b : s->batch[i] < b))) b = s->batch[i];
    return b;
}

static int write_macros(const pset *s, const char *dir, int64_t fixed, int64_t reps)
{
    rp_out o;
    FILE *x = rp_open_in(&o, dir, "peers-macros.tex");
    if (!x) return -1;
    int64_t measured = 0, met = 0;
    for (int64_t i = 0; i < s->nt; i++) measured += !isnan(s->ratio[i]), met += !isnan(s->ratio[i]) && s->met[i];
    fprintf(x, "%% Generated by infnum-report peers from HDF5 results. Do not edit.\n"
               "\\newcommand{\\peersTargets}{%lld}\n\\newcommand{\\peersMeasured}{%lld}\n"
               "\\newcommand{\\peersMet}{%lld}\n\\newcommand{\\peersMissed}{%lld}\n"
               "\\newcommand{\\peersTermsBatch}{%lld}\n\\newcommand{\\peersReps}{%lld}\n"
               "\\newcommand{\\peersBatchTerms}{%d}\n\\newcommand{\\peersTableLo}{%lld}\n"
               "\\newcommand{\\peersTableHi}{%lld}\n",
            (long long)s->nt, (long long)measured, (long long)met, (long long)(measured - met),
            (long long)fixed, (long long)reps, BATCH_TERMS, (long long)table_batch(s, 0),
            (long long)table_batch(s, 1));
    fprintf(x, "\\newcommand{\\peersIsa}{");
    rp_tex_escape(x, s->isa ? s->isa : "not recorded");
    fprintf(x, "}\n");
    /* per op, the library's ns over the dense loops' at BATCH_TERMS, largest batch */
    const char *ops[16];
    int nops = distinct_str(s->op, s->n, ops, 16);
    int64_t hi = table_batch(s, 1);
    fprintf(x, "\\newcommand{\\peersVsDense}{");
    for (int k = 0, first = 1; k < nops; k++) {
        double a = ns_at(s, "infnum", ops[k], hi, BATCH_TERMS), b = ns_at(s, "dense", ops[k], hi, BATCH_TERMS);
        if (isnan(a) || isnan(b) || b <= 0) continue;
        fprintf(x, "%s\\texttt{", first ? "" : ", ");
        rp_tex_escape(x, ops[k]);
        fprintf(x, "} %.3g", a / b);
        first = 0;
    }
    fprintf(x, "}\n");
    return rp_close(&o, 1);
}

static int write_targets(const pset *s, const rp_args *a)
{
    rp_out ot, ox;
    FILE *t = rp_open_in(&ot, a->tsv_dir, "peers-targets.tsv");
    if (!t) return -1;
    FILE *x = rp_open_in(&ox, a->tex_dir, "peers-targets.tex");
    if (!x) return rp_close(&ot, 0), -1;
    fprintf(t, "target\tratio\tlimit\tmet\n");
    fprintf(x, "%% Generated by infnum-report peers from HDF5 results. Do not edit.\n"
               "\\begin{tabular}{lrrl}\n\\toprule\ntarget (ratio of ns per number) & measured & "
               "limit & \\\\\n\\midrule\n");
    for (int64_t i = 0; i < s->nt; i++) {
        const char *verdict = isnan(s->ratio[i]) ? "not measured" : s->met[i] ? "met" : "missed";
        fprintf(t, "%s\t%.3g\t%s%.3g\t%s\n", s->tname[i], s->ratio[i], s->at_least[i] ? ">=" : "<=",
                s->limit[i], verdict);
        rp_tex_escape(x, s->tname[i]);
        if (isnan(s->ratio[i])) fprintf(x, " & -- ");
        else fprintf(x, " & %.2f ", s->ratio[i]);
        fprintf(x, "& $%s %.2f$ & %s \\\\\n", s->at_least[i] ? "\\ge" : "\\le", s->limit[i], verdict);
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    int rc = rp_close(&ot, 1);
    return rp_close(&ox, rc == 0) || rc ? -1 : 0;
}

static int write_table(const pset *s, const char *dir)
{
    rp_out o;
    FILE *x = rp_open_in(&o, dir, "peers-table.tex");
    if (!x) return -1;
    const char *ops[16], *impls[32];
    int nops = distinct_str(s->op, s->n, ops, 16), nim = distinct_str(s->impl, s->n, impls, 32);
    for (int k = 0; k < nops; k++) /* the once-measured ops have no column at BATCH_TERMS */
        if (!swept(ops[k])) ops[k--] = ops[--nops];
    fprintf(x, "%% Generated by infnum-report peers from HDF5 results. Do not edit.\n"
               "\\begin{tabular}{l");
    int64_t lo = table_batch(s, 0), hi = table_batch(s, 1);
    int nb = lo == hi ? 1 : 2;
    for (int k = 0; k < nops; k++) fprintf(x, nb == 2 ? "rr" : "r");
    fprintf(x, "}\n\\toprule\n");
    for (int k = 0; k < nops; k++) fprintf(x, " & \\multicolumn{%d}{c}{\\texttt{%s}}", nb, ops[k]);
    fprintf(x, " \\\\\nns per number, %d terms", BATCH_TERMS);
    for (int k = 0; k < nops; k++) {
        fprintf(x, " & %lld", (long long)lo);
        if (nb == 2) fprintf(x, " & %lld", (long long)hi);
    }
    fprintf(x, " \\\\\n\\midrule\n");
    for (int m = 0; m < nim; m++) {
        rp_tex_escape(x, impls[m]);
        for (int k = 0; k < nops; k++)
            for (int64_t b = lo; b >= 0; b = b < hi ? hi : -1) {
                double v = ns_at(s, impls[m], ops[k], b, BATCH_TERMS);
                if (isnan(v)) fprintf(x, " & --");
                else fprintf(x, " & %.3g", v);
            }
        fprintf(x, " \\\\\n");
    }
    fprintf(x, "\\bottomrule\n\\end{tabular}\n");
    return rp_close(&o, 1);
}

static const char help[] =
    "usage: infnum-report peers --tsv-dir DIR --tex-dir DIR RESULT.h5\n\n"
    "Reads an infnum-microbench result of mode \"peers\" and writes peers-batch.tsv,\n"
    "peers-terms.tsv, peers-targets.tsv (TSV dir) and peers-targets.tex,\n"
    "peers-table.tex, peers-macros.tex (TeX dir). See docs/performance.md.\n";

int rp_peers(int argc, char **argv)
{
    rp_args a;
    int rc = rp_parse(&a, argc, argv, help);
    if (rc >= 0) return rc;
    if (a.ninputs != 1) return rp_err(2, "peers", "expected one result file, got %d", a.ninputs);
    pset s = {0};
    rc = 1;
    if (load(&s, a.inputs[0])) goto done;
    /* the terms sweep: the batch size with the most points (1e4 on a tie) */
    int64_t fixed = 0, most = 0;
    for (int64_t i = 0; i < s.n; i++) {
        int64_t cnt = 0;
        for (int64_t j = 0; j < s.n; j++) cnt += s.batch[j] == s.batch[i];
        if (cnt > most || (cnt == most && s.batch[i] == 10000)) most = cnt, fixed = s.batch[i];
    }
    if (write_sweep(&s, a.tsv_dir, "peers-batch.tsv", 0, BATCH_TERMS) ||
        write_sweep(&s, a.tsv_dir, "peers-terms.tsv", 1, fixed) || write_targets(&s, &a) ||
        write_table(&s, a.tex_dir) || write_macros(&s, a.tex_dir, fixed, s.reps))
        goto done;
    rc = 0;
done:
    pset_free(&s);
    return rc;
}
