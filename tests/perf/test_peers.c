/* SPDX-License-Identifier: MIT */
/* The peers compute what the library computes: the dense loops against
 * closed forms, and every present peer against the dense loops, on seeded
 * reference rows (n = 1001: one full ADOL-C tape and a remainder). */
#include "peers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            failures++;                                                                           \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                       \
            fprintf(stderr, __VA_ARGS__);                                                         \
            fputc('\n', stderr);                                                                  \
        }                                                                                         \
    } while (0)

/* Largest |x - y| / (1 + |y|) over m values. */
static double maxerr(const double *x, const double *y, int64_t m)
{
    double e = 0.0;
    for (int64_t i = 0; i < m; i++) {
        double d = fabs(x[i] - y[i]) / (1.0 + fabs(y[i]));
        if (!(d <= e)) e = d; /* NaN propagates as a failure */
    }
    return e;
}

/* Closed forms at x = x0 + ε: [ε^k] f = f^(k)(x0)/k!. */
static void test_dense_closed_forms(void)
{
    enum { N = 8 };
    const double x0 = 0.7;
    double a[N] = {x0, 1.0}, c[N], d[N];
    double fact = 1.0;
    lcp_dense_exp(1, N, a, c, 1);
    lcp_dense_recip(1, N, a, d, 1);
    for (int k = 0; k < N; k++) {
        if (k) fact *= k;
        CHECK(fabs(c[k] - exp(x0) / fact) < 1e-14, "exp coefficient %d: %g", k, c[k]);
        CHECK(fabs(d[k] - (k % 2 ? -1.0 : 1.0) / pow(x0, k + 1)) < 1e-12, "recip coefficient %d", k);
    }
    lcp_dense_sin(1, N, a, c, 1);
    const double dsin[4] = {sin(x0), cos(x0), -sin(x0), -cos(x0)};
    fact = 1.0;
    for (int k = 0; k < N; k++) {
        if (k) fact *= k;
        CHECK(fabs(c[k] - dsin[k % 4] / fact) < 1e-14, "sin coefficient %d: %g", k, c[k]);
    }
    /* (1 + ε)·(1 - ε) = 1 - ε², a + b coefficient-wise. */
    double p[N] = {1.0, 1.0}, q[N] = {1.0, -1.0};
    lcp_dense_mul(1, N, p, q, c, 1);
    CHECK(c[0] == 1.0 && c[1] == 0.0 && c[2] == -1.0 && c[3] == 0.0, "mul (1+e)(1-e)");
    lcp_dense_add(1, N, p, q, c, 1);
    CHECK(c[0] == 2.0 && c[1] == 0.0, "add");
}

/* Every present peer agrees with the dense loops; absent ones say so. */
static void test_peers_agree(int N, int64_t n)
{
    int64_t m = n * N;
    double *a = malloc((size_t)m * sizeof *a), *b = malloc((size_t)m * sizeof *b),
           *ref = malloc((size_t)m * sizeof *ref), *c = malloc((size_t)m * sizeof *c);
    if (!a || !b || !ref || !c) {
        CHECK(0, "out of memory");
        goto done;
    }
    lcp_inputs(42, n, N, a);
    lcp_inputs(43, n, N, b);
    for (int op = 0; op < LCP_NOPS; op++) {
        double ns = -1.0;
        int rc = lcp_run(LCP_DENSE, op, n, N, a, b, ref, 1, 1, &ns);
        CHECK(rc == LCP_OK && ns > 0.0, "dense %s: rc %d ns %g", lcp_op_name(op), rc, ns);
        for (int p = 1; p < LCP_NPEERS; p++) {
            for (int64_t i = 0; i < m; i++) c[i] = NAN;
            rc = lcp_run(p, op, n, N, a, b, c, 1, 1, &ns);
            printf("N=%d %-6s %-5s %s\n", N, lcp_peer_name(p), lcp_op_name(op), lcp_result_str(rc));
            if (!lcp_peer_present(p)) {
                CHECK(rc == LCP_ABSENT, "absent peer %s answered %d", lcp_peer_name(p), rc);
                continue;
            }
            if (rc == LCP_UNSUPPORTED) continue;
            CHECK(rc == LCP_OK, "%s %s N=%d: rc %d", lcp_peer_name(p), lcp_op_name(op), N, rc);
            double e = maxerr(c, ref, m);
            CHECK(e < 1e-11, "%s %s N=%d differs from dense by %g", lcp_peer_name(p),
                  lcp_op_name(op), N, e);
        }
    }
done:
    free(a);
    free(b);
    free(ref);
    free(c);
}

static void test_errors_and_floor(void)
{
    double a[8] = {1.0}, c[8], ns = 0.0;
    CHECK(lcp_run(LCP_DENSE, LCP_ADD, 1, 8, a, NULL, c, 1, 1, &ns) == LCP_EINVAL, "add needs b");
    CHECK(lcp_run(LCP_DENSE, LCP_EXP, 0, 8, a, NULL, c, 1, 1, &ns) == LCP_EINVAL, "n = 0");
    CHECK(lcp_run(LCP_DENSE, LCP_EXP, 1, 8, a, NULL, c, 0, 1, &ns) == LCP_EINVAL, "reps = 0");
    CHECK(lcp_run(LCP_NPEERS, LCP_EXP, 1, 8, a, NULL, c, 1, 1, &ns) == LCP_EINVAL, "bad peer");
    CHECK(lcp_op_parse("recip") == LCP_RECIP && lcp_op_parse("div") == -1, "op names");
    CHECK(lcp_peer_parse("adolc") == LCP_ADOLC && lcp_peer_parse(NULL) == -1, "peer names");
    CHECK(lcp_stream_triad(100, 1, 1) == 0.0, "tiny triad is refused");
    double bw = lcp_stream_triad(1 << 20, 3, 1);
    CHECK(bw > 1e8 && bw < 1e13, "triad bandwidth %g B/s", bw);
    CHECK(lcp_add_bytes(8) == 288.0, "288 bytes per reference add");
    CHECK(lcp_peak_rss() > 0, "peak RSS");
}

/* A small comparison runs end to end: every implementation has a figure
 * (or says it is absent), the targets exist and are unmeasured (NaN) at
 * sizes other than 1e4 and 1e6. */
static void test_compare(void)
{
    int64_t sizes[2] = {5, 40};
    int terms[2] = {8, 2};
    lcp_report rep;
    char err[256] = "";
    int rc = lcp_compare(sizes, 2, terms, 2, 1, 2, 7, &rep, NULL, NULL, err, sizeof err);
    CHECK(rc == 0, "lcp_compare: %s", err);
    CHECK(rep.npts > 4 * 5 * 2, "%lld points", (long long)rep.npts);
    for (int64_t i = 0; i < rep.npts; i++) {
        const lcp_point *p = &rep.pts[i];
        int lib = !strncmp(p->impl, "infnum", 6);
        if (lib || p->result == LCP_OK)
            CHECK(p->ns > 0 && p->peak_rss > 0, "%s %s: ns %g", p->impl, lcp_op_name(p->op), p->ns);
        else
            CHECK(isnan(p->ns), "%s without a figure has ns %g", p->impl, p->ns);
        if (lib) CHECK(p->bytes >= 16, "%s bytes %g", p->impl, p->bytes);
    }
    CHECK(rep.ntg >= 15, "%d targets", rep.ntg);
    for (int i = 0; i < rep.ntg; i++)
        if (!strstr(rep.tg[i].name, "bytes")) CHECK(isnan(rep.tg[i].ratio) && !rep.tg[i].met, "%s", rep.tg[i].name);
    lcp_report_clear(&rep);
    CHECK(lcp_compare(sizes, 0, terms, 1, 1, 2, 7, &rep, NULL, NULL, err, sizeof err) == -1, "no sizes");
    CHECK(rep.npts == 0 && rep.pts == NULL, "a failed comparison leaves rep empty");
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        puts("test_peers: checks the benchmark peers against the dense loops (no options)");
        return 0;
    }
    test_dense_closed_forms();
    test_peers_agree(8, 1001);
    test_peers_agree(4, 7);
    test_errors_and_floor();
    test_compare();
    if (failures) fprintf(stderr, "test_peers: %d failure(s)\n", failures);
    return failures ? 1 : 0;
}
