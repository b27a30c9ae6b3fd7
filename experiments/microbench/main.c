/* SPDX-License-Identifier: MIT */
/* infnum-microbench: times the core operations on batches of Levi-Civita
 * numbers, sweeping op × batch size × terms per number × coefficient type ×
 * exponent type, with repetitions and medians. Layout of the output:
 * docs/results-format.md ("microbench"). */
#include "lcx.h"
#include "microbench.h"
#include "peers.h"

#include <infnum/rng.h>

#if INFNUM_HAVE_CUDA
#include "infnum/cuda.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lcx_param params[] = {
    {"ops", LCX_STRS, "[\"add\",\"mul\",\"recip\",\"step\"]",
     "operations: add sub mul div recip exp abs step sign round floor"},
    {"batch_sizes", LCX_INTS, "[100,1000,10000]", "numbers per batch (rows)"},
    {"terms", LCX_INTS, "[1,4,16]", "terms per number"},
    {"ctypes", LCX_STRS, "[\"f64\",\"f32\"]", "coefficient types: f64 f32"},
    {"etypes", LCX_STRS, "[\"i32\",\"i64\"]", "exponent types: i32 i64"},
    {"reps", LCX_INT, "5", "timed repetitions per point (median reported)"},
    {"work", LCX_INT, "1000000", "terms processed per repetition: a repetition makes "
                                 "ceil(work / (batch·terms)) calls"},
    {"depth", LCX_INT, "8", "series depth (lc_ctx.depth)"},
    {"mode", LCX_STR, "\"sweep\"", "sweep: the grid above; peers: add mul exp recip sin of the library "
                                    "against the dense loops, the memory floor and Boost.Math/ADOL-C/Sacado "
                                    "on the same rows, and the targets (docs/performance.md): every batch "
                                    "size at 8 terms, every terms at terms_batch"},
    {"terms_batch", LCX_INT, "10000", "mode peers: the batch size of the sweep over terms"},
    {0}};

/* --------------------------------------------------------------- allocator */

/* Counts the bytes the library holds; peak since the last reset. */
typedef struct mb_mem {
    int64_t cur, peak;
} mb_mem;

typedef union mb_hdr {
    size_t size;
    max_align_t align;
} mb_hdr;

static void *mem_malloc(size_t n, void *user)
{
    mb_mem *m = user;
    mb_hdr *h = malloc(sizeof *h + n);
    if (!h) return NULL;
    h->size = n;
    m->cur += (int64_t)n;
    if (m->cur > m->peak) m->peak = m->cur;
    return h + 1;
}

static void mem_free(void *p, void *user)
{
    if (!p) return;
    mb_hdr *h = (mb_hdr *)p - 1;
    ((mb_mem *)user)->cur -= (int64_t)h->size;
    free(h);
}

static void *mem_realloc(void *p, size_t n, void *user)
{
    if (!p) return mem_malloc(n, user);
    mb_mem *m = user;
    mb_hdr *h = (mb_hdr *)p - 1;
    size_t old = h->size;
    mb_hdr *nh = realloc(h, sizeof *nh + n);
    if (!nh) return NULL;
    nh->size = n;
    m->cur += (int64_t)n - (int64_t)old;
    if (m->cur > m->peak) m->peak = m->cur;
    return nh + 1;
}

/* ------------------------------------------------------------------ inputs */

static double unif(uint64_t *s) { return (double)(lc_rng_splitmix64(s) >> 11) * 0x1p-53; }

/* n random numbers of t terms: leading term ε⁰ with |c| in [0.5, 1.5) (so
 * reciprocals exist), then exponents rising by 1/2 or 1, coefficients in
 * (-1, 1), exact. */
static lc_status make_input(lc_ctx *ctx, lc_batch *b, int64_t n, int64_t t, uint64_t seed)
{
    int64_t nnz = n * t, *rp = malloc((size_t)(n + 1) * sizeof *rp);
    int64_t *ex = malloc((size_t)nnz * sizeof *ex);
    double *co = malloc((size_t)nnz * sizeof *co);
    lc_status s = LC_ENOMEM;
    if (!rp || !ex || !co) goto done;
    for (int64_t r = 0, i = 0; r < n; r++) {
        rp[r] = i;
        int64_t k = 0;
        for (int64_t j = 0; j < t; j++, i++) {
            double u = unif(&seed);
            ex[i] = k;
            co[i] = j == 0 ? (u < 0.5 ? -1 : 1) * (0.5 + unif(&seed)) : 2 * u - 1;
            if (co[i] == 0) co[i] = 0.25;
            k += LC_DEN_DEFAULT / (lc_rng_splitmix64(&seed) & 1 ? 1 : 2);
        }
    }
    rp[n] = nnz;
    s = lc_batch_from_csr(ctx, b, n, rp, ex, co, NULL, LC_DEN_DEFAULT);
done:
    free(rp);
    free(ex);
    free(co);
    return s;
}

/* Deterministic digest of a batch (number of terms, weighted coefficient sum). */
static void digest(const lc_batch *b, int64_t *nnz, double *sum)
{
    *nnz = b->row_ptr ? b->row_ptr[b->nrows] : 0;
    *sum = 0;
    for (int64_t r = 0; r < b->nrows; r++)
        for (int64_t i = 0, n = lc_row_len(b, r); i < n; i++) {
            int64_t k;
            double c;
            lc_row_term(b, r, i, &k, &c);
            *sum += c * (double)(1 + ((k % 7) + 7) % 7);
        }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ------------------------------------------------------------------- sweep */

typedef struct mb_point {
    const mb_op *op;
    int64_t batch, terms;
    lc_ctype ctype;
    lc_etype etype;
    int cuda; /* run on CUDA device 0 (--device cuda) */
} mb_point;

typedef struct mb_result {
    int64_t calls, out_nnz, lib_peak;
    double checksum, median, *times; /* times: reps, seconds per call */
} mb_result;

#if INFNUM_HAVE_CUDA
/* The device half of run_point: uploads a and b to CUDA device 0, one
 * untimed call (its result, downloaded into out, gives the digest), then
 * reps repetitions of res->calls calls, each ended by lc_cuda_sync before the
 * clock is read. Device memory is not counted in lib_peak. */
static lc_status time_cuda(lc_ctx *ctx, const mb_point *pt, const lc_batch *a, const lc_batch *b,
                           lc_batch *out, int64_t reps, mb_result *res)
{
    lc_cuda_handle *h = NULL;
    lc_cuda_batch da, db, dout;
    lc_cuda_batch_init(&da, pt->ctype, pt->etype);
    lc_cuda_batch_init(&db, pt->ctype, pt->etype);
    lc_cuda_batch_init(&dout, pt->ctype, pt->etype);
    int arity;
    lc_cuda_op_fn f = lc_cuda_op_find(pt->op->name, &arity);
    lc_status s = LC_EINVAL;
    if (!f) {
        snprintf(ctx->err, sizeof ctx->err, "no CUDA kernel for '%s'", pt->op->name);
        return s;
    }
    if ((s = lc_cuda_create(ctx, &h, 0)) || (s = lc_cuda_batch_to_device(ctx, h, &da, a)) ||
        (s = lc_cuda_batch_to_device(ctx, h, &db, b)) || (s = f(ctx, h, &dout, &da, &db)) ||
        (s = lc_cuda_batch_to_host(ctx, h, out, &dout)))
        goto done;
    digest(out, &res->out_nnz, &res->checksum);
    res->lib_peak = 0;
    for (int64_t r = 0; r < reps && !s; r++) {
        double t0 = lcx_now();
        for (int64_t c = 0; c < res->calls && !s; c++) s = f(ctx, h, &dout, &da, &db);
        if (!s) s = lc_cuda_sync(ctx, h);
        res->times[r] = (lcx_now() - t0) / (double)res->calls;
    }
done:
    if (h) {
        lc_cuda_batch_free(h, &da);
        lc_cuda_batch_free(h, &db);
        lc_cuda_batch_free(h, &dout);
    }
    lc_cuda_destroy(h);
    return s;
}
#endif

/* Runs one point: builds inputs, one untimed call (result digest, library
 * memory), then reps timed repetitions of `calls` calls each; on the CPU, or
 * on the GPU when pt->cuda (time_cuda). */
static lc_status run_point(const mb_point *pt, int64_t reps, int64_t work, int depth,
                           int threads, uint64_t seed, mb_result *res, char *err, size_t errlen)
{
    mb_mem mem = {0, 0};
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.depth = depth;
    ctx.nthreads = threads;
    ctx.alloc = (lc_alloc){mem_malloc, mem_realloc, mem_free, &mem};
    lc_batch a, b, out;
    lc_batch_init(&a, pt->ctype, pt->etype);
    lc_batch_init(&b, pt->ctype, pt->etype);
    lc_batch_init(&out, pt->ctype, pt->etype);
    lc_status s = make_input(&ctx, &a, pt->batch, pt->terms, seed);
    if (!s) s = make_input(&ctx, &b, pt->batch, pt->terms, seed ^ 0x5bd1e995u);
    if (s) goto done;
    int64_t per = pt->batch * pt->terms;
    res->calls = (work + per - 1) / per;
    if (res->calls < 1) res->calls = 1;
#if INFNUM_HAVE_CUDA
    if (pt->cuda) {
        if ((s = time_cuda(&ctx, pt, &a, &b, &out, reps, res))) goto done;
    } else
#endif
    {
        int64_t base = mem.cur;
        mem.peak = base;
        if ((s = pt->op->fn(&ctx, &out, &a, &b))) goto done;
        res->lib_peak = mem.peak - base;
        digest(&out, &res->out_nnz, &res->checksum);
        for (int64_t r = 0; r < reps && !s; r++) {
            double t0 = lcx_now();
            for (int64_t c = 0; c < res->calls && !s; c++) s = pt->op->fn(&ctx, &out, &a, &b);
            res->times[r] = (lcx_now() - t0) / (double)res->calls;
        }
    }
    if (!s) {
        double *sorted = malloc((size_t)reps * sizeof *sorted);
        if (!sorted) { s = LC_ENOMEM; goto done; }
        memcpy(sorted, res->times, (size_t)reps * sizeof *sorted);
        qsort(sorted, (size_t)reps, sizeof *sorted, cmp_double);
        res->median = reps % 2 ? sorted[reps / 2] : 0.5 * (sorted[reps / 2 - 1] + sorted[reps / 2]);
        free(sorted);
    }
done:
    if (s) snprintf(err, errlen, "%s (batch %lld, terms %lld): %s: %s", pt->op->name,
                    (long long)pt->batch, (long long)pt->terms, lc_status_str(s),
                    s == LC_ENOMEM && !ctx.err[0] ? "out of memory" : ctx.err);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_batch_clear(&ctx, &out);
    lc_ctx_clear(&ctx);
    return s;
}

/* Validated sweep axes. */
typedef struct mb_axes {
    int64_t nop, nb, nt, nc, ne, reps, work, depth;
} mb_axes;

static int check_axes(const lcx_cli *cli, mb_axes *ax)
{
    const lcx_params *p = &cli->params;
    ax->nop = lcx_get_len(p, "ops");
    ax->nb = lcx_get_len(p, "batch_sizes");
    ax->nt = lcx_get_len(p, "terms");
    ax->nc = lcx_get_len(p, "ctypes");
    ax->ne = lcx_get_len(p, "etypes");
    ax->reps = lcx_get_int(p, "reps");
    ax->work = lcx_get_int(p, "work");
    ax->depth = lcx_get_int(p, "depth");
    for (int64_t i = 0; i < ax->nop; i++)
        if (!mb_op_find(lcx_get_str_at(p, "ops", i))) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown operation '%.60s' (see --help)", lcx_get_str_at(p, "ops", i));
            return lcx_usage(cli, "ops", msg);
        }
    for (int64_t i = 0; i < ax->nb; i++)
        if (lcx_get_int_at(p, "batch_sizes", i) < 1 || lcx_get_int_at(p, "batch_sizes", i) > 100000000)
            return lcx_usage(cli, "batch_sizes", "each must be in 1..1e8");
    for (int64_t i = 0; i < ax->nt; i++)
        if (lcx_get_int_at(p, "terms", i) < 1 || lcx_get_int_at(p, "terms", i) > 4096)
            return lcx_usage(cli, "terms", "each must be in 1..4096");
    for (int64_t i = 0; i < ax->nc; i++) {
        const char *c = lcx_get_str_at(p, "ctypes", i);
        if (strcmp(c, "f64") && strcmp(c, "f32")) return lcx_usage(cli, "ctypes", "each must be f64 or f32");
    }
    for (int64_t i = 0; i < ax->ne; i++) {
        const char *e = lcx_get_str_at(p, "etypes", i);
        if (strcmp(e, "i32") && strcmp(e, "i64")) return lcx_usage(cli, "etypes", "each must be i32 or i64");
    }
    if (!ax->nop || !ax->nb || !ax->nt || !ax->nc || !ax->ne)
        return lcx_usage(cli, NULL, "ops, batch_sizes, terms, ctypes and etypes must be non-empty");
    if (ax->nop > 64 || ax->nc > 64 || ax->ne > 64 || ax->nb > 256 || ax->nt > 256)
        return lcx_usage(cli, NULL, "too many values in a sweep list (max 64 names, 256 sizes)");
    if (ax->reps < 1 || ax->reps > 100000) return lcx_usage(cli, "reps", "must be in 1..100000");
    if (ax->work < 1) return lcx_usage(cli, "work", "must be >= 1");
    if (ax->depth < 1 || ax->depth > 1000) return lcx_usage(cli, "depth", "must be in 1..1000");
#if !INFNUM_HAVE_CUDA
    if (cli->cuda)
        return lcx_usage(cli, "device", "infnum-microbench was built without the CUDA backend "
                                        "(configure with -DINFNUM_CUDA=ON on a machine with nvcc)");
#endif
    return 0;
}

/* Per-point result columns, written at the end. */
typedef struct mb_table {
    int64_t n;
    int64_t *op, *batch, *terms, *ctype, *etype, *calls, *out_nnz, *lib_peak, *rss;
    double *checksum, *median, *ns_per_number, *times;
} mb_table;

static int table_alloc(mb_table *t, int64_t n, int64_t reps)
{
    int64_t **iv[] = {&t->op, &t->batch, &t->terms, &t->ctype, &t->etype, &t->calls, &t->out_nnz, &t->lib_peak, &t->rss};
    double **dv[] = {&t->checksum, &t->median, &t->ns_per_number};
    int ok = 1;
    t->n = n;
    for (size_t i = 0; i < sizeof iv / sizeof *iv; i++) ok &= !!(*iv[i] = calloc((size_t)n, sizeof(int64_t)));
    for (size_t i = 0; i < sizeof dv / sizeof *dv; i++) ok &= !!(*dv[i] = calloc((size_t)n, sizeof(double)));
    ok &= !!(t->times = calloc((size_t)(n * reps), sizeof(double)));
    return ok ? 0 : -1;
}

static void table_free(mb_table *t)
{
    int64_t *iv[] = {t->op, t->batch, t->terms, t->ctype, t->etype, t->calls, t->out_nnz, t->lib_peak, t->rss};
    double *dv[] = {t->checksum, t->median, t->ns_per_number, t->times};
    for (size_t i = 0; i < sizeof iv / sizeof *iv; i++) free(iv[i]);
    for (size_t i = 0; i < sizeof dv / sizeof *dv; i++) free(dv[i]);
}

/* Writes the axes and the per-point table (layout: docs/results-format.md). */
static int write_results(lcx_h5 *h, const lcx_params *p, const mb_axes *ax, const mb_table *t)
{
    const char *names[5] = {"ops", "ctypes", "etypes", "batch_sizes", "terms"};
    const char *paths[5] = {"axes/op", "axes/ctype", "axes/etype", "axes/batch_size", "axes/terms"};
    int64_t lens[5] = {ax->nop, ax->nc, ax->ne, ax->nb, ax->nt};
    for (int k = 0; k < 3; k++) {
        const char *s[64];
        if (lens[k] > 64) return -1;
        for (int64_t i = 0; i < lens[k]; i++) s[i] = lcx_get_str_at(p, names[k], i);
        if (lcx_h5_write_strs(h, paths[k], lens[k], s)) return -1;
    }
    for (int k = 3; k < 5; k++) {
        int64_t v[256];
        if (lens[k] > 256) return -1;
        for (int64_t i = 0; i < lens[k]; i++) v[i] = lcx_get_int_at(p, names[k], i);
        if (lcx_h5_write_i64(h, paths[k], 1, &lens[k], v, "1")) return -1;
    }
    int64_t n = t->n, d2[2] = {t->n, ax->reps};
    if (lcx_h5_write_i64(h, "points/op", 1, &n, t->op, "index into axes/op") ||
        lcx_h5_write_i64(h, "points/batch_size", 1, &n, t->batch, "numbers") ||
        lcx_h5_write_i64(h, "points/terms", 1, &n, t->terms, "terms per number") ||
        lcx_h5_write_i64(h, "points/ctype", 1, &n, t->ctype, "index into axes/ctype") ||
        lcx_h5_write_i64(h, "points/etype", 1, &n, t->etype, "index into axes/etype") ||
        lcx_h5_write_i64(h, "points/calls", 1, &n, t->calls, "calls per repetition") ||
        lcx_h5_write_i64(h, "points/out_nnz", 1, &n, t->out_nnz, "terms") ||
        lcx_h5_write_f64(h, "points/checksum", 1, &n, t->checksum, "1") ||
        lcx_h5_write_i64(h, "memory/lib_peak_bytes", 1, &n, t->lib_peak, "bytes") ||
        lcx_h5_write_i64(h, "memory/peak_rss", 1, &n, t->rss, "bytes") ||
        lcx_h5_write_f64(h, "timing/seconds", 2, d2, t->times, "s") ||
        lcx_h5_write_f64(h, "timing/median", 1, &n, t->median, "s") ||
        lcx_h5_write_f64(h, "timing/ns_per_number", 1, &n, t->ns_per_number, "ns") ||
        lcx_h5_mark_timing(h, "memory/peak_rss") || lcx_h5_mark_timing(h, "timing/seconds") ||
        lcx_h5_mark_timing(h, "timing/median") || lcx_h5_mark_timing(h, "timing/ns_per_number") ||
        lcx_h5_attr_i64(h, "/", "reps", ax->reps))
        return -1;
    return 0;
}

/* ------------------------------------------------------------ mode peers */

static void peers_tick(void *pr) { lcx_progress_step(pr, 1); }

/* The comparison of experiments/microbench/peers (lcp_compare_pairs) at every batch
 * size × LCP_TARGET_TERMS and terms_batch × every terms (the two throughput
 * sweeps; the targets need batch sizes 1e4 and 1e6), written under peers/
 * (layout: docs/performance.md). */
static int run_peers(const lcx_cli *cli, const mb_axes *ax, lcx_h5 *h)
{
    const lcx_params *p = &cli->params;
    int64_t sizes[512], tb = lcx_get_int(p, "terms_batch");
    int terms[512], m = 0;
    if (tb < 1 || tb > 100000000) return lcx_usage(cli, "terms_batch", "must be in 1..1e8");
    for (int64_t i = 0; i < ax->nt; i++)
        if (lcx_get_int_at(p, "terms", i) > 64) return lcx_usage(cli, "terms", "mode peers: each must be in 1..64");
    for (int64_t i = 0; i < ax->nb; i++) sizes[m] = lcx_get_int_at(p, "batch_sizes", i), terms[m++] = LCP_TARGET_TERMS;
    for (int64_t i = 0; i < ax->nt; i++) sizes[m] = tb, terms[m++] = (int)lcx_get_int_at(p, "terms", i);
    int distinct = 0;
    for (int i = 0; i < m; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) seen = sizes[j] == sizes[i] && terms[j] == terms[i];
        distinct += !seen;
    }
    lcp_report rep;
    lcx_progress pr;
    char err[LCX_ERRLEN];
    lcx_progress_init(&pr, "microbench peers", (int64_t)distinct * LCP_NOPS * (LCP_NPEERS + 1), cli->quiet);
    if (lcp_compare_pairs(sizes, terms, m, (int)ax->reps, cli->threads > 2 ? cli->threads : 2,
                          (uint64_t)cli->seed, &rep, peers_tick, &pr, err, sizeof err))
        return lcx_fail(cli, err);
    lcx_progress_done(&pr);
    int64_t n = rep.npts, nt = rep.ntg, *bs = malloc((size_t)n * sizeof *bs), *tm = malloc((size_t)n * sizeof *tm);
    int64_t *rss = malloc((size_t)n * sizeof *rss), al[32], met[32];
    double *ns = malloc((size_t)n * sizeof *ns), *by = malloc((size_t)n * sizeof *by), ra[32], li[32];
    const char **im = malloc((size_t)n * sizeof *im), **op = malloc((size_t)n * sizeof *op);
    const char **res = malloc((size_t)n * sizeof *res), *tn[32];
    int rc = -1;
    if (bs && tm && rss && ns && by && im && op && res) {
        for (int64_t i = 0; i < n; i++) {
            const lcp_point *q = &rep.pts[i];
            bs[i] = q->n, tm[i] = q->N, rss[i] = q->peak_rss, ns[i] = q->ns, by[i] = q->bytes;
            im[i] = q->impl, op[i] = lcp_op_name(q->op), res[i] = lcp_result_str(q->result);
        }
        for (int64_t i = 0; i < nt; i++) {
            const lcp_target *t = &rep.tg[i];
            tn[i] = t->name, ra[i] = t->ratio, li[i] = t->limit, al[i] = t->at_least, met[i] = t->met;
        }
        rc = lcx_h5_write_strs(h, "peers/points/impl", n, im) || lcx_h5_write_strs(h, "peers/points/op", n, op) ||
             lcx_h5_write_strs(h, "peers/points/result", n, res) ||
             lcx_h5_write_i64(h, "peers/points/batch_size", 1, &n, bs, "numbers") ||
             lcx_h5_write_i64(h, "peers/points/terms", 1, &n, tm, "terms per number") ||
             lcx_h5_write_f64(h, "peers/points/ns_per_number", 1, &n, ns, "ns") ||
             lcx_h5_write_f64(h, "peers/points/bytes_per_number", 1, &n, by, "bytes") ||
             lcx_h5_write_i64(h, "peers/points/peak_rss", 1, &n, rss, "bytes") ||
             lcx_h5_write_strs(h, "peers/targets/name", nt, tn) ||
             lcx_h5_write_f64(h, "peers/targets/ratio", 1, &nt, ra, "1") ||
             lcx_h5_write_f64(h, "peers/targets/limit", 1, &nt, li, "1") ||
             lcx_h5_write_i64(h, "peers/targets/at_least", 1, &nt, al, "1: ratio >= limit") ||
             lcx_h5_write_i64(h, "peers/targets/met", 1, &nt, met, "1 met, 0 missed") ||
             lcx_h5_mark_timing(h, "peers/points/ns_per_number") || lcx_h5_mark_timing(h, "peers/points/peak_rss") ||
             lcx_h5_mark_timing(h, "peers/targets/ratio") || lcx_h5_mark_timing(h, "peers/targets/met") ||
             lcx_h5_attr_i64(h, "/", "reps", ax->reps);
        rc = rc ? -1 : 0;
    } else {
        rc = lcx_fail(cli, "out of memory");
    }
    free(bs), free(tm), free(rss), free(ns), free(by), free(im), free(op), free(res);
    lcp_report_clear(&rep);
    return rc;
}

/* The sweep, or mode peers; results into h (lcx_body). */
static int body(const lcx_cli *cli, lcx_h5 *h, void *user)
{
    (void)user;
    mb_axes ax;
    mb_table t = {0};
    int rc = check_axes(cli, &ax);
    if (rc) return rc;
    const lcx_params *p = &cli->params;
    int peers = !strcmp(lcx_get_str(p, "mode"), "peers");
    if (!peers && strcmp(lcx_get_str(p, "mode"), "sweep")) return lcx_usage(cli, "mode", "must be sweep or peers");
    if (peers && cli->cuda) return lcx_usage(cli, "device", "mode peers runs on the CPU only");
    if (peers) return run_peers(cli, &ax, h);
    int64_t n = ax.nop * ax.nb * ax.nt * ax.nc * ax.ne;
    if (table_alloc(&t, n, ax.reps)) { rc = lcx_fail(cli, "out of memory"); goto out; }
    lcx_progress pr;
    lcx_progress_init(&pr, "microbench", n, cli->quiet);
    int64_t i = 0;
    char err[LCX_ERRLEN];
    for (int64_t io = 0; io < ax.nop; io++)
        for (int64_t ic = 0; ic < ax.nc; ic++)
            for (int64_t ie = 0; ie < ax.ne; ie++)
                for (int64_t it = 0; it < ax.nt; it++)
                    for (int64_t ib = 0; ib < ax.nb; ib++, i++) {
                        mb_point pt = {mb_op_find(lcx_get_str_at(p, "ops", io)),
                                       lcx_get_int_at(p, "batch_sizes", ib), lcx_get_int_at(p, "terms", it),
                                       strcmp(lcx_get_str_at(p, "ctypes", ic), "f32") ? LC_F64 : LC_F32,
                                       strcmp(lcx_get_str_at(p, "etypes", ie), "i32") ? LC_I64 : LC_I32,
                                       cli->cuda};
                        mb_result res = {.times = t.times + i * ax.reps};
                        uint64_t seed = (uint64_t)cli->seed * 0x100000001B3ull + (uint64_t)(ib * 131 + it);
                        if (run_point(&pt, ax.reps, ax.work, (int)ax.depth, cli->threads, seed, &res, err, sizeof err)) {
                            rc = lcx_fail(cli, err);
                            goto out;
                        }
                        t.op[i] = io, t.batch[i] = pt.batch, t.terms[i] = pt.terms;
                        t.ctype[i] = ic, t.etype[i] = ie, t.calls[i] = res.calls;
                        t.out_nnz[i] = res.out_nnz, t.lib_peak[i] = res.lib_peak;
                        t.rss[i] = lcx_peak_rss();
                        t.checksum[i] = res.checksum, t.median[i] = res.median;
                        t.ns_per_number[i] = 1e9 * res.median / (double)pt.batch;
                        lcx_progress_step(&pr, 1);
                    }
    lcx_progress_done(&pr);
    rc = write_results(h, p, &ax, &t) ? -1 : 0;
out:
    table_free(&t);
    return rc;
}

static const lcx_exp EXP = {
    "infnum-microbench",
    "Times Levi-Civita batch operations (add, mul, recip, a discontinuous function, ...) over a grid of "
    "batch sizes, terms per number, float/double coefficients and int32/int64 exponents. Reports per-call "
    "times of every repetition, medians, library peak memory and process peak RSS.",
    params, body, NULL, 0};

int main(int argc, char **argv) { return lcx_run(&EXP, argc, argv); }
