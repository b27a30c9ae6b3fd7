/* SPDX-License-Identifier: MIT */
/* The peers comparison: the library, the dense loops, the memory floor and
 * the peers on the same reference rows, and the performance targets as
 * ratios measured in the same run. See peers.h and docs/performance.md. */
#include "peers.h"

#include "infnum/infnum.h"
#include "infnum/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- inputs */

/* n reference rows of N terms (exponents 0..N-1, bound N, den 1) with the
 * coefficients c (n·N, from lcp_inputs), stored as (ct, LC_I32). */
static lc_status build_ref(lc_ctx *ctx, lc_batch *b, int64_t n, int N, const double *c, lc_ctype ct)
{
    int64_t *rp = malloc((size_t)(n + 1) * sizeof *rp), *k = malloc((size_t)(n * N) * sizeof *k);
    int64_t *p = malloc((size_t)n * sizeof *p);
    lc_status s = LC_ENOMEM;
    lc_batch_init(b, ct, LC_I32);
    if (rp && k && p) {
        for (int64_t r = 0; r <= n; r++) rp[r] = r * N;
        for (int64_t i = 0; i < n * N; i++) k[i] = i % N;
        for (int64_t r = 0; r < n; r++) p[r] = N;
        s = lc_batch_from_csr(ctx, b, n, rp, k, c, p, 1);
    }
    free(rp), free(k), free(p);
    return s;
}

/* n general rational rows: 1..2N terms (N on average), exponents k/12 in
 * [0, N) (mixed denominators 1, 2, 3, 4, 6, 12), the first at ε⁰ with a
 * coefficient in [0.5, 1.5], the others in [-1, 1]; bound N. */
static lc_status build_rational(lc_ctx *ctx, lc_batch *b, int64_t n, int N, uint64_t seed)
{
    const int D = 12, span = 12 * N;
    int64_t *rp = malloc((size_t)(n + 1) * sizeof *rp), *k = malloc((size_t)(n * 2 * N) * sizeof *k);
    int64_t *p = malloc((size_t)n * sizeof *p);
    double *c = malloc((size_t)(n * 2 * N) * sizeof *c), u[2];
    lc_status s = LC_ENOMEM;
    lc_batch_init(b, LC_F64, LC_I32);
    if (rp && k && p && c) {
        int64_t m = 0;
        rp[0] = 0;
        for (int64_t r = 0; r < n; r++) {
            lcp_inputs(seed + (uint64_t)r, 1, 2, u);
            int len = 1 + (int)((u[1] + 1.0) * 0.5 * (2 * N - 1) + 0.5); /* 1..2N */
            /* len distinct exponents: 0, then a random walk over [1, span) */
            int64_t last = 0;
            k[m] = 0, c[m++] = u[0];
            for (int i = 1; i < len; i++) {
                int64_t room = span - 1 - last - (len - 1 - i);
                if (room < 1) break;
                double v[2];
                lcp_inputs(seed ^ ((uint64_t)r << 20) ^ (uint64_t)i, 1, 2, v);
                int64_t step = 1 + (int64_t)((v[1] + 1.0) * 0.5 * (double)(room < 2 * D ? room - 1 : 2 * D - 1));
                last += step;
                k[m] = last, c[m++] = v[1] != 0 ? v[1] : 0.5;
            }
            rp[r + 1] = m;
            p[r] = span;
        }
        s = lc_batch_from_csr(ctx, b, n, rp, k, c, p, D);
    }
    free(rp), free(k), free(p), free(c);
    return s;
}

/* n random rows of N terms, as the microbenchmark's inputs (Table 1 of
 * the paper): the first term at ε⁰ with a coefficient in [0.5, 1.5], then
 * exponents rising by 1/2 or 1 at random (den 16), coefficients in
 * [-1, 1]; exact; stored as (LC_F64, LC_I64). No two rows need share
 * their exponents: the general product (on the rows' grid). */
static lc_status build_random(lc_ctx *ctx, lc_batch *b, int64_t n, int N, uint64_t seed)
{
    int64_t *rp = malloc((size_t)(n + 1) * sizeof *rp), *k = malloc((size_t)(n * N) * sizeof *k);
    double *c = malloc((size_t)(n * N) * sizeof *c);
    lc_status s = LC_ENOMEM;
    lc_batch_init(b, LC_F64, LC_I64);
    if (rp && k && c) {
        lcp_inputs(seed, n, N, c);
        for (int64_t r = 0; r <= n; r++) rp[r] = r * N;
        for (int64_t r = 0; r < n; r++)
            for (int64_t j = 0, e = 0; j < N; j++) {
                k[r * N + j] = e;
                if (c[r * N + j] == 0) c[r * N + j] = 0.25;
                e += lc_rng_splitmix64(&seed) & 1 ? 16 : 8;
            }
        s = lc_batch_from_csr(ctx, b, n, rp, k, c, NULL, 16);
    }
    free(rp), free(k), free(c);
    return s;
}

/* ------------------------------------------------------------- timing */

typedef struct lib_job {
    lc_ctx *ctx;
    lc_batch *out;
    const lc_batch *a, *b;
    lcp_op op;
} lib_job;

static int lib_kernel(void *arg)
{
    lib_job *j = arg;
    switch (j->op) {
    case LCP_ADD: return lc_add(j->ctx, j->out, j->a, j->b);
    case LCP_MUL:
    case LCP_MUL_RANDOM: return lc_mul(j->ctx, j->out, j->a, j->b);
    case LCP_EXP: return lc_exp(j->ctx, j->out, j->a);
    case LCP_RECIP: return lc_recip(j->ctx, j->out, j->a);
    default: return lc_sin(j->ctx, j->out, j->a);
    }
}

static lcp_point *push(lcp_report *rep, const char *impl, lcp_op op, int64_t n, int N)
{
    if (rep->npts == rep->cap) {
        int64_t cap = rep->cap ? 2 * rep->cap : 64;
        lcp_point *p = realloc(rep->pts, (size_t)cap * sizeof *p);
        if (!p) return NULL;
        rep->pts = p, rep->cap = cap;
    }
    lcp_point *pt = &rep->pts[rep->npts++];
    memset(pt, 0, sizeof *pt);
    snprintf(pt->impl, sizeof pt->impl, "%s", impl);
    pt->op = op, pt->n = n, pt->N = N, pt->ns = NAN, pt->bytes = NAN;
    return pt;
}

/* Times the library on (a, b): one point. */
static int time_lib(lcp_report *rep, const char *impl, lcp_op op, int64_t n, int N, const lc_batch *a,
                    const lc_batch *b, int threads, int reps, char *err, size_t errlen)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    ctx.nthreads = threads;
    lc_batch out;
    lc_batch_init(&out, a->ctype, a->etype);
    lib_job j = {&ctx, &out, a, b, op};
    lcp_point *pt = push(rep, impl, op, n, N);
    int rc = pt ? lcp_time(lib_kernel, &j, n, reps, &pt->ns) : LC_ENOMEM;
    if (rc) snprintf(err, errlen, "%s %s (n %lld, N %d): %s: %s", impl, lcp_op_name(op), (long long)n, N,
                     lc_status_str((lc_status)rc), ctx.err);
    if (!rc) {
        size_t cs = a->ctype == LC_F32 ? sizeof(float) : sizeof(double);
        size_t es = a->etype == LC_I32 ? sizeof(int32_t) : sizeof(int64_t);
        int64_t nnz = out.nrows ? out.row_ptr[out.nrows] : 0;
        pt->bytes = ((double)nnz * (double)(cs + es) + (double)n * 16.0) / (double)n;
        pt->peak_rss = lcp_peak_rss();
    }
    lc_batch_clear(&ctx, &out);
    lc_ctx_clear(&ctx);
    return rc ? -1 : 0;
}

/* ------------------------------------------------------------ ngrad */

/* The seed-style benchmark: ngrad (lc_ngrad, one batch) of abs, step and
 * round over n standard-normal points; ns per point. */
typedef struct ngrad_job {
    lc_ctx *ctx;
    lc_batch *out;
    const double *x;
    int64_t n;
    int prim; /* -1: abs, else an lc_disc */
} ngrad_job;

static lc_status ngrad_prim(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    int f = *(const int *)data;
    return f < 0 ? lc_abs(ctx, y, x) : lc_disc_apply(ctx, y, x, (lc_disc)f);
}

static int ngrad_kernel(void *arg)
{
    ngrad_job *j = arg;
    return lc_ngrad(j->ctx, j->out, ngrad_prim, &j->prim, j->x, j->n);
}

static int time_ngrad(lcp_report *rep, int64_t n, int reps, uint64_t seed, char *err, size_t errlen)
{
    static const int prim[3] = {-1, LC_DISC_STEP, LC_DISC_ROUND};
    double *x = malloc((size_t)n * sizeof *x);
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_batch out;
    lc_batch_init(&out, LC_F64, LC_I32);
    lc_rng g;
    lc_rng_seed(&g, seed);
    int rc = x ? 0 : LC_ENOMEM;
    for (int64_t i = 0; x && i < n; i++) x[i] = lc_rng_normal(&g);
    for (int k = 0; k < 3 && !rc; k++) {
        ngrad_job j = {&ctx, &out, x, n, prim[k]};
        lcp_point *pt = push(rep, "infnum", (lcp_op)(LCP_NGRAD_ABS + k), n, 2);
        rc = pt ? lcp_time(ngrad_kernel, &j, n, reps, &pt->ns) : LC_ENOMEM;
        if (!rc) {
            pt->peak_rss = lcp_peak_rss();
            pt->bytes = ((double)lc_batch_nnz(&out) * 12.0 + (double)n * 16.0) / (double)n;
        }
    }
    if (rc) snprintf(err, errlen, "ngrad (n %lld): %s: %s", (long long)n, lc_status_str((lc_status)rc), ctx.err);
    lc_batch_clear(&ctx, &out);
    lc_ctx_clear(&ctx);
    free(x);
    return rc ? -1 : 0;
}

/* The random-row product: impl "infnum", op LCP_MUL_RANDOM. */
static int time_random_mul(lcp_report *rep, int reps, uint64_t seed, char *err, size_t errlen)
{
    const int64_t n = LCP_RANDOM_ROWS;
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    lc_batch a, b;
    lc_status s = build_random(&ctx, &a, n, LCP_RANDOM_TERMS, seed + 4);
    lc_batch_init(&b, LC_F64, LC_I64);
    if (!s) s = build_random(&ctx, &b, n, LCP_RANDOM_TERMS, seed + 5);
    int rc = s ? -1 : time_lib(rep, "infnum", LCP_MUL_RANDOM, n, LCP_RANDOM_TERMS, &a, &b, 1, reps, err, errlen);
    if (s) snprintf(err, errlen, "random rows: %s: %s", lc_status_str(s), ctx.err);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
    lc_ctx_clear(&ctx);
    return rc;
}

/* The forward-mode pair: impl "infnum" (lc_fo) and "dual", op LCP_ROLLOUT,
 * n = P directions, N = 1 (first order); ns per step. */
static int time_rollout(lcp_report *rep, int reps, uint64_t seed, char *err, size_t errlen)
{
    const int64_t P = 6 * LCP_ROLLOUT_H + 1;
    double nf, nd, md;
    int rc = lcp_rollout(LCP_ROLLOUT_H, LCP_ROLLOUT_STEPS, reps, seed, &nf, &nd, &md);
    if (!rc && !(md < 1e-9)) {
        snprintf(err, errlen, "rollout: the field and the dual numbers differ by %g", md);
        return -1;
    }
    lcp_point *f = rc ? NULL : push(rep, "infnum", LCP_ROLLOUT, P, 1);
    lcp_point *d = f ? push(rep, "dual", LCP_ROLLOUT, P, 1) : NULL;
    if (!d) {
        snprintf(err, errlen, "rollout: %s", rc ? lcp_result_str(rc) : "out of memory");
        return -1;
    }
    f->ns = nf, d->ns = nd;
    f->bytes = d->bytes = 8.0 * (double)(P + 1) + 40.0;
    f->peak_rss = d->peak_rss = lcp_peak_rss();
    return 0;
}

/* -------------------------------------------------------------- targets */

static double ns_of(const lcp_report *rep, const char *impl, lcp_op op, int64_t n, int N)
{
    for (int64_t i = 0; i < rep->npts; i++) {
        const lcp_point *p = &rep->pts[i];
        if (p->op == op && p->n == n && p->N == N && !strcmp(p->impl, impl)) return p->ns;
    }
    return NAN;
}

static double bytes_of(const lcp_report *rep, const char *impl, lcp_op op, int64_t n, int N)
{
    for (int64_t i = 0; i < rep->npts; i++) {
        const lcp_point *p = &rep->pts[i];
        if (p->op == op && p->n == n && p->N == N && !strcmp(p->impl, impl)) return p->bytes - 16.0;
    }
    return NAN;
}

static void target(lcp_report *rep, const char *name, double value, double ref, double limit, int at_least)
{
    if (rep->ntg >= (int)(sizeof rep->tg / sizeof rep->tg[0])) return;
    lcp_target *t = &rep->tg[rep->ntg++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->ratio = value / ref, t->limit = limit, t->at_least = at_least;
    t->met = at_least ? t->ratio >= limit : t->ratio <= limit;
}

static void targets(lcp_report *rep)
{
    const int64_t S = 10000, L = 1000000;
    const int N = LCP_TARGET_TERMS;
    const char *lib = "infnum";
    target(rep, "add / memory floor, n=1e6", ns_of(rep, lib, LCP_ADD, L, N), ns_of(rep, "floor", LCP_ADD, L, N), 1.3, 0);
    target(rep, "add / in-cache floor, n=1e4", ns_of(rep, lib, LCP_ADD, S, N), ns_of(rep, "floor", LCP_ADD, S, N), 3, 0);
    target(rep, "mul / dense, n=1e4", ns_of(rep, lib, LCP_MUL, S, N), ns_of(rep, "dense", LCP_MUL, S, N), 3, 0);
    target(rep, "mul / memory floor, n=1e6", ns_of(rep, lib, LCP_MUL, L, N), ns_of(rep, "floor", LCP_ADD, L, N), 1.5, 0);
    const lcp_op series[3] = {LCP_EXP, LCP_RECIP, LCP_SIN};
    for (int i = 0; i < 3; i++)
        for (int64_t n = S; n <= L; n *= 100) {
            char name[64];
            snprintf(name, sizeof name, "%s / dense, n=1e%d", lcp_op_name(series[i]), n == S ? 4 : 6);
            target(rep, name, ns_of(rep, lib, series[i], n, N), ns_of(rep, "dense", series[i], n, N), 3, 0);
        }
    target(rep, "mul 1 thread / 2 threads, n=1e6", ns_of(rep, lib, LCP_MUL, L, N), ns_of(rep, "infnum-2t", LCP_MUL, L, N), 1.7, 1);
    for (int i = 0; i < 3; i += 2) { /* exp and sin, and the dense loops beside them */
        char name[64];
        snprintf(name, sizeof name, "%s 1 thread / 2 threads, n=1e6", lcp_op_name(series[i]));
        target(rep, name, ns_of(rep, lib, series[i], L, N), ns_of(rep, "infnum-2t", series[i], L, N), 1.8, 1);
        snprintf(name, sizeof name, "%s dense 1 thread / 2 threads, n=1e6", lcp_op_name(series[i]));
        target(rep, name, ns_of(rep, "dense", series[i], L, N), ns_of(rep, "dense-2t", series[i], L, N), 1.8, 1);
    }
    target(rep, "f32 / f64 term bytes", bytes_of(rep, "infnum-f32", LCP_ADD, S, N), bytes_of(rep, lib, LCP_ADD, S, N), 8.0 / 12.0, 0);
    const lcp_op some[3] = {LCP_ADD, LCP_MUL, LCP_EXP};
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s f32 / f64 time, n=1e6", lcp_op_name(some[i]));
        target(rep, name, ns_of(rep, "infnum-f32", some[i], L, N), ns_of(rep, lib, some[i], L, N), 1.0, 0);
    }
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s rational / grid, n=1e4", lcp_op_name(some[i]));
        target(rep, name, ns_of(rep, "infnum-rational", some[i], S, N), ns_of(rep, lib, some[i], S, N),
               some[i] == LCP_EXP ? 3 : 2, 0);
    }
    const int64_t P = 6 * LCP_ROLLOUT_H + 1;
    target(rep, "rollout forward mode: field / dual, P=97", ns_of(rep, lib, LCP_ROLLOUT, P, 1),
           ns_of(rep, "dual", LCP_ROLLOUT, P, 1), 2, 0);
    for (int k = 0; k < 3; k++) { /* absolute: ns per point against 1 ns */
        char name[64];
        lcp_op op = (lcp_op)(LCP_NGRAD_ABS + k);
        snprintf(name, sizeof name, "%s: ns per point, n=5e4", lcp_op_name(op));
        target(rep, name, ns_of(rep, lib, op, LCP_NGRAD_POINTS, 2), 1.0, 30, 0);
    }
    target(rep, "random 16-term mul: ns per number, n=1e4",
           ns_of(rep, lib, LCP_MUL_RANDOM, LCP_RANDOM_ROWS, LCP_RANDOM_TERMS), 1.0, 1000, 0);
}

/* ------------------------------------------------------------ the sweep */

void lcp_report_clear(lcp_report *rep)
{
    free(rep->pts);
    memset(rep, 0, sizeof *rep);
}

/* All figures of one (n, N). */
static int one_size(lcp_report *rep, int64_t n, int N, int reps, int threads, uint64_t seed,
                    void (*tick)(void *), void *ud, char *err, size_t errlen)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    double *a = malloc((size_t)(n * N) * sizeof *a), *b = malloc((size_t)(n * N) * sizeof *b);
    double *c = malloc((size_t)(n * N) * sizeof *c);
    lc_batch A, B, A32, B32, RA, RB;
    lc_batch *all[6] = {&A, &B, &A32, &B32, &RA, &RB};
    for (int i = 0; i < 6; i++) lc_batch_init(all[i], LC_F64, LC_I32);
    int rc = -1;
    if (!a || !b || !c) {
        snprintf(err, errlen, "out of memory (n %lld, N %d)", (long long)n, N);
        goto done;
    }
    lcp_inputs(seed, n, N, a);
    lcp_inputs(seed + 1, n, N, b);
    lc_status s = build_ref(&ctx, &A, n, N, a, LC_F64);
    if (!s) s = build_ref(&ctx, &B, n, N, b, LC_F64);
    if (!s) s = build_ref(&ctx, &A32, n, N, a, LC_F32);
    if (!s) s = build_ref(&ctx, &B32, n, N, b, LC_F32);
    int rational = N <= 16 && n <= 100000; /* the general path is slow: keep the run short */
    if (!s && rational) s = build_rational(&ctx, &RA, n, N, seed + 2);
    if (!s && rational) s = build_rational(&ctx, &RB, n, N, seed + 3);
    if (s) {
        snprintf(err, errlen, "inputs (n %lld, N %d): %s: %s", (long long)n, N, lc_status_str(s), ctx.err);
        goto done;
    }
    for (int op = 0; op < LCP_NOPS; op++) {
        if (time_lib(rep, "infnum", op, n, N, &A, &B, 1, reps, err, errlen) ||
            ((op == LCP_MUL || op == LCP_EXP || op == LCP_SIN) &&
             time_lib(rep, "infnum-2t", op, n, N, &A, &B, threads, reps, err, errlen)) ||
            time_lib(rep, "infnum-f32", op, n, N, &A32, &B32, 1, reps, err, errlen) ||
            (rational && time_lib(rep, "infnum-rational", op, n, N, &RA, &RB, 1, reps, err, errlen)))
            goto done;
        if (tick) tick(ud);
        if (op == LCP_ADD) {
            lcp_point *f = push(rep, "floor", op, n, N);
            if (!f) goto nomem;
            double bw = lcp_stream_triad((size_t)((double)n * lcp_add_bytes(N)), reps, 1);
            f->ns = bw > 0 ? 1e9 * lcp_add_bytes(N) / bw : NAN;
            f->result = bw > 0 ? LCP_OK : LCP_ENOMEM;
            f->peak_rss = lcp_peak_rss();
        }
        for (int p = 0; p < LCP_NPEERS; p++) {
            lcp_point *pt = push(rep, lcp_peer_name(p), op, n, N);
            if (!pt) goto nomem;
            double ns;
            pt->result = lcp_run(p, op, n, N, a, b, c, reps, 1, &ns);
            if (pt->result == LCP_EINVAL || pt->result == LCP_ENOMEM) {
                snprintf(err, errlen, "peer %s %s (n %lld, N %d): %s", lcp_peer_name(p), lcp_op_name(op),
                         (long long)n, N, lcp_result_str(pt->result));
                goto done;
            }
            if (pt->result == LCP_OK) pt->ns = ns;
            if (p == LCP_DENSE || p == LCP_BOOST) pt->bytes = 8.0 * N;
            pt->peak_rss = lcp_peak_rss();
            if (tick) tick(ud);
        }
        if (op == LCP_EXP || op == LCP_SIN) { /* the dense loops on two threads: the scaling reference */
            lcp_point *pt = push(rep, "dense-2t", op, n, N);
            if (!pt) goto nomem;
            double ns;
            pt->result = lcp_run(LCP_DENSE, op, n, N, a, b, c, reps, threads, &ns);
            if (pt->result == LCP_OK) pt->ns = ns;
            pt->peak_rss = lcp_peak_rss();
        }
    }
    rc = 0;
    goto done;
nomem:
    snprintf(err, errlen, "out of memory");
done:
    for (int i = 0; i < 6; i++) lc_batch_clear(&ctx, all[i]);
    lc_ctx_clear(&ctx);
    free(a), free(b), free(c);
    return rc;
}

int lcp_compare_pairs(const int64_t *sizes, const int *terms, int npairs, int reps, int threads,
                      uint64_t seed, lcp_report *rep, void (*tick)(void *), void *ud, char *err,
                      size_t errlen)
{
    memset(rep, 0, sizeof *rep);
    if (!sizes || !terms || npairs < 1 || reps < 1 || threads < 1) {
        snprintf(err, errlen, "lcp_compare: bad arguments");
        return -1;
    }
    for (int i = 0; i < npairs; i++)
        if (sizes[i] < 1 || terms[i] < 1 || terms[i] > 64) {
            snprintf(err, errlen, "lcp_compare: batch size %lld or terms %d out of range",
                     (long long)sizes[i], terms[i]);
            return -1;
        }
    for (int i = 0; i < npairs; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) seen = sizes[j] == sizes[i] && terms[j] == terms[i];
        if (!seen && one_size(rep, sizes[i], terms[i], reps, threads, seed, tick, ud, err, errlen)) {
            lcp_report_clear(rep);
            return -1;
        }
    }
    int at_target = 0; /* the once-per-run benchmarks go with the targets' point */
    for (int i = 0; i < npairs; i++) at_target |= sizes[i] == 10000 && terms[i] == LCP_TARGET_TERMS;
    if (at_target && (time_ngrad(rep, LCP_NGRAD_POINTS, reps, seed, err, errlen) ||
                      time_rollout(rep, reps, seed, err, errlen) ||
                      time_random_mul(rep, reps, seed, err, errlen))) {
        lcp_report_clear(rep);
        return -1;
    }
    targets(rep);
    return 0;
}

int lcp_compare(const int64_t *sizes, int nsizes, const int *terms, int nterms, int reps,
                int threads, uint64_t seed, lcp_report *rep, void (*tick)(void *), void *ud,
                char *err, size_t errlen)
{
    memset(rep, 0, sizeof *rep);
    if (!sizes || !terms || nsizes < 1 || nterms < 1 || nsizes > 4096 / nterms) {
        snprintf(err, errlen, "lcp_compare: bad arguments");
        return -1;
    }
    int64_t ps[4096];
    int pt[4096], m = 0;
    for (int t = 0; t < nterms; t++)
        for (int i = 0; i < nsizes; i++) ps[m] = sizes[i], pt[m++] = terms[t];
    return lcp_compare_pairs(ps, pt, m, reps, threads, seed, rep, tick, ud, err, errlen);
}
