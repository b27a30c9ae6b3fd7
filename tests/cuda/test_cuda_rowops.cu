/* SPDX-License-Identifier: MIT */
/* The CUDA backend's per-row operations (kernels/src/rowops.cuh, the code
 * each device thread runs for one row) executed on the CPU, row by row,
 * against the CPU library on seeded random batches. Runs everywhere (host
 * code only); with the shared raw.h functions underneath: same status,
 * bounds and exponents, coefficients equal up to 1e-14 relative (identical
 * today; the slack lets the CPU's fast paths reorder a sum). The device
 * driver around them (scans, compaction, cuSPARSE) is what test_cuda_kernels
 * adds on a GPU. */
#include <algorithm>
#include <vector>

#include "rowops.cuh"
#include "lc_test.h"

using namespace lc_rows;

static lc_ctx ctx;

/* b widened to (f64, i64) on denominator den, and a View of it. */
struct Wide {
    lc_batch b;
    View v;
    Wide(const lc_batch *src, int64_t den)
    {
        lc_batch_init(&b, LC_F64, LC_I64);
        OK(&ctx, lc_batch_copy(&ctx, &b, src));
        OK(&ctx, lc_batch_set_den(&ctx, &b, den));
        v = View{b.row_ptr, (const int64_t *)b.exps, b.bound, (const double *)b.coeffs, b.nrows};
    }
    ~Wide() { lc_batch_clear(&ctx, &b); }
};

/* What the device driver does, sequentially: every row into its own buffers,
 * row_finish, then the batch (first failing row's status). */
template <class Op>
static lc_status host_rows(const Op &op, int64_t n, int64_t den, lc_batch *out)
{
    std::vector<int64_t> rp(1, 0), ks, bd;
    std::vector<double> cs;
    for (int64_t r = 0; r < n; r++) {
        int64_t cap = op.cap(r), work = op.work(r), m = 0, p = LC_EXACT, o = 0;
        std::vector<int64_t> k((size_t)cap + 1), wk((size_t)work + 1);
        std::vector<double> c((size_t)cap + 1), wc((size_t)work + 1);
        int wide = 0, code = op.row(r, k.data(), c.data(), &m, &p, wk.data(), wc.data());
        CHECK(code || m <= cap);
        if (!code) code = row_finish(k.data(), c.data(), m, 0, &o, &wide);
        if (code) return (lc_status)code;
        ks.insert(ks.end(), k.begin(), k.begin() + o);
        cs.insert(cs.end(), c.begin(), c.begin() + o);
        rp.push_back((int64_t)ks.size());
        bd.push_back(p);
    }
    ks.push_back(0);
    cs.push_back(0);
    return lc_batch_from_csr(&ctx, out, n, rp.data(), ks.data(), cs.data(), bd.data(), den);
}

/* want and got agree exactly (rows, bounds, exponents, coefficients). */
static void same(const char *what, lc_status cst, const lc_batch *want, lc_status gst,
                 const lc_batch *got)
{
    if (cst != gst) fprintf(stderr, "%s: CPU %s, row ops %s\n", what, lc_status_str(cst), lc_status_str(gst));
    CHECK(cst == gst);
    if (cst || gst) return;
    lc_batch a, b;
    lc_batch_init(&a, LC_F64, LC_I64);
    lc_batch_init(&b, LC_F64, LC_I64);
    OK(&ctx, lc_batch_copy(&ctx, &a, want));
    OK(&ctx, lc_batch_copy(&ctx, &b, got));
    int ok = a.nrows == b.nrows && a.den == b.den;
    for (int64_t r = 0; ok && r < a.nrows; r++) {
        ok = a.bound[r] == b.bound[r] && lc_row_len(&a, r) == lc_row_len(&b, r);
        for (int64_t i = 0; ok && i < lc_row_len(&a, r); i++) {
            int64_t ka, kb;
            double ca, cb;
            lc_row_term(&a, r, i, &ka, &ca);
            lc_row_term(&b, r, i, &kb, &cb);
            ok = ka == kb && fabs(ca - cb) <= 1e-14 * fabs(ca);
        }
        if (!ok) {
            char x[8192], y[8192];
            lc_row_print(&ctx, &a, r, x, sizeof x);
            lc_row_print(&ctx, &b, r, y, sizeof y);
            fprintf(stderr, "%s: row %lld: CPU %s, row ops %s\n", what, (long long)r, x, y);
        }
    }
    CHECK(ok);
    lc_batch_clear(&ctx, &a);
    lc_batch_clear(&ctx, &b);
}

template <class Op>
static void run(const char *what, lc_status cst, const lc_batch *want, const Op &op, int64_t n,
                int64_t den)
{
    lc_batch got;
    lc_batch_init(&got, LC_F64, LC_I64);
    lc_status gst = host_rows(op, n, den, &got);
    same(what, cst, want, gst, &got);
    lc_batch_clear(&ctx, &got);
}

static int64_t lc_gcd(int64_t a, int64_t b) { return b ? lc_gcd(b, a % b) : a; }

/* csrgeam2's C = A + s2·B on the exponent columns (every structural entry
 * kept, sums that cancel included), then TruncOp: must equal lc_add/lc_sub. */
static void check_trunc(const char *what, const lc_batch *a, const lc_batch *b, double s2)
{
    int64_t d = a->den * b->den / lc_gcd(a->den, b->den), kmin = INT64_MAX;
    Wide wa(a, d), wb(b, d);
    const int64_t *ka = wa.v.k, *kb = wb.v.k;
    for (int64_t i = 0; i < wa.b.row_ptr[a->nrows]; i++) kmin = ka[i] < kmin ? ka[i] : kmin;
    for (int64_t i = 0; i < wb.b.row_ptr[b->nrows]; i++) kmin = kb[i] < kmin ? kb[i] : kmin;
    std::vector<int> rp(1, 0), col;
    std::vector<double> val;
    for (int64_t r = 0; r < a->nrows; r++) {
        int64_t i = wa.b.row_ptr[r], j = wb.b.row_ptr[r], ie = wa.b.row_ptr[r + 1], je = wb.b.row_ptr[r + 1];
        while (i < ie || j < je) {
            if (j >= je || (i < ie && ka[i] < kb[j])) col.push_back((int)(ka[i] - kmin)), val.push_back(wa.v.c[i++]);
            else if (i >= ie || kb[j] < ka[i]) col.push_back((int)(kb[j] - kmin)), val.push_back(s2 * wb.v.c[j++]);
            else col.push_back((int)(ka[i] - kmin)), val.push_back(1.0 * wa.v.c[i++] + s2 * wb.v.c[j++]);
        }
        rp.push_back((int)col.size());
    }
    lc_batch want;
    lc_batch_init(&want, LC_F64, LC_I64);
    lc_status cst = s2 > 0 ? lc_add(&ctx, &want, a, b) : lc_sub(&ctx, &want, a, b);
    run(what, cst, &want, TruncOp{rp.data(), col.data(), val.data(), kmin, wa.v, wb.v}, a->nrows, d);
    lc_batch_clear(&ctx, &want);
}

/* LinearOut on a dense Y computed here (Σᵢ w[j,i]·coefficient, in input
 * order) against lc_scale + lc_add: the layout, exponent map and bounds the
 * device's SpMM path reads back. */
static void check_linear(lt_rng *g, const lc_batch *x, int64_t m, int64_t k)
{
    int64_t B = x->nrows / k;
    Wide wx(x, x->den);
    std::vector<int64_t> kexp, bmin((size_t)B, LC_EXACT), rp(1, 0), ks, bd;
    std::vector<double> w((size_t)(m * k)), cs;
    for (auto &v : w) v = lt_unif(g) < 0.15 ? 0.0 : lt_coef(g);
    const int64_t *kk = wx.v.k;
    for (int64_t t = 0; t < wx.b.row_ptr[x->nrows]; t++) kexp.push_back(kk[t]);
    std::sort(kexp.begin(), kexp.end());
    kexp.erase(std::unique(kexp.begin(), kexp.end()), kexp.end());
    int64_t E = (int64_t)kexp.size(), ld = B * E;
    std::vector<double> Y((size_t)(ld * m + 1), 0.0);
    for (int64_t s = 0; s < B; s++)
        for (int64_t i = 0; i < k; i++) {
            int64_t r = s * k + i;
            bmin[s] = wx.b.bound[r] < bmin[s] ? wx.b.bound[r] : bmin[s];
        }
    for (int64_t j = 0; j < m; j++)
        for (int64_t s = 0; s < B; s++)
            for (int64_t i = 0; i < k; i++) {
                int64_t r = s * k + i;
                for (int64_t t = wx.b.row_ptr[r]; t < wx.b.row_ptr[r + 1]; t++) {
                    int64_t e = std::lower_bound(kexp.begin(), kexp.end(), kk[t]) - kexp.begin();
                    Y[(size_t)(j * ld + s * E + e)] += w[(size_t)(j * k + i)] * wx.v.c[t];
                }
            }
    /* CPU reference, row by row. */
    lc_batch row, acc, want;
    double z = 0.0;
    lc_batch_init(&row, LC_F64, LC_I64);
    lc_batch_init(&acc, LC_F64, LC_I64);
    lc_batch_init(&want, LC_F64, LC_I64);
    for (int64_t s = 0; s < B; s++)
        for (int64_t j = 0; j < m; j++) {
            OK(&ctx, lc_batch_set_real(&ctx, &acc, 1, &z));
            for (int64_t i = 0; i < k; i++) {
                int64_t r = s * k + i;
                OK(&ctx, lc_batch_gather(&ctx, &row, x, &r, 1));
                OK(&ctx, lc_scale(&ctx, &row, &row, w[(size_t)(j * k + i)]));
                OK(&ctx, lc_add(&ctx, &acc, &acc, &row));
            }
            for (int64_t t = 0; t < lc_row_len(&acc, 0); t++) {
                int64_t e;
                double c;
                lc_row_term(&acc, 0, t, &e, &c);
                ks.push_back(e);
                cs.push_back(c);
            }
            rp.push_back((int64_t)ks.size());
            bd.push_back(acc.bound[0]);
        }
    ks.push_back(0);
    cs.push_back(0);
    OK(&ctx, lc_batch_from_csr(&ctx, &want, B * m, rp.data(), ks.data(), cs.data(), bd.data(), x->den));
    run("linear", LC_OK, &want, LinearOut{Y.data(), kexp.data(), bmin.data(), E, m, ld}, B * m, x->den);
    lc_batch_clear(&ctx, &row);
    lc_batch_clear(&ctx, &acc);
    lc_batch_clear(&ctx, &want);
}

typedef lc_status (*cpu_un)(lc_ctx *, lc_batch *, const lc_batch *);

static volatile double rexp = -1.0; /* a run-time −1, as lc_recip passes it */

static void check_series(const char *what, cpu_un f, int fn, const lc_batch *a)
{
    lc_batch want;
    lc_batch_init(&want, LC_F64, LC_I64);
    Wide w(a, a->den);
    lc_status cst = f(&ctx, &want, a);
    run(what, cst, &want, SeriesOp{w.v, fn, (int64_t)ctx.depth * a->den, fn == SER_RECIP ? rexp : 0.0}, a->nrows, a->den);
    lc_batch_clear(&ctx, &want);
}

int main(void)
{
    lt_rng g = {424242};
    lt_gen mixed = {5, -32, 64, 0.5, 0.1, 0}, exact = {5, -32, 64, 1.0, 0.1, 0};
    lt_gen small = {4, 1, 48, 0.5, 0.0, 0};
    lc_batch a, b, b3, one, d, x, want;
    lc_batch *all[] = {&a, &b, &b3, &one, &d, &x, &want};
    lc_ctx_init(&ctx);
    for (int i = 0; i < 7; i++) lc_batch_init(all[i], LC_F64, LC_I64);
    for (int round = 0; round < 4; round++) {
        ctx.depth = round % 2 ? 3 : 8;
        OK(&ctx, lt_random_batch(&ctx, &g, &a, 200, 16, &mixed));
        OK(&ctx, lt_random_batch(&ctx, &g, &b, 200, 16, &mixed));
        OK(&ctx, lt_random_batch(&ctx, &g, &b3, 200, 3, &mixed));
        OK(&ctx, lt_random_batch(&ctx, &g, &one, 1, 16, &mixed));
        OK(&ctx, lt_random_batch(&ctx, &g, &d, 200, 16, &small));
        {
            Wide wa(&a, 48), wb3(&b3, 48), w1(&one, 48), wa16(&a, 16);
            run("add", lc_add(&ctx, &want, &a, &b3), &want, AddOp{wa.v, wb3.v, 1.0, 1.0}, 200, 48);
            run("sub", lc_sub(&ctx, &want, &a, &b3), &want, AddOp{wa.v, wb3.v, 1.0, -1.0}, 200, 48);
            run("add bcast", lc_add(&ctx, &want, &one, &b3), &want, AddOp{w1.v, wb3.v, 1.0, 1.0}, 200, 48);
            run("mul", lc_mul(&ctx, &want, &a, &b3), &want, MulOp{wa.v, wb3.v}, 200, 48);
            run("mul bcast", lc_mul(&ctx, &want, &b3, &one), &want, MulOp{wb3.v, w1.v}, 200, 48);
            run("scale", lc_scale(&ctx, &want, &a, -1.75), &want, ScaleOp{wa16.v, -1.75, 0}, 200, 16);
            run("scale 0", lc_scale(&ctx, &want, &a, 0.0), &want, ScaleOp{wa16.v, 0.0, 0}, 200, 16);
            run("neg", lc_neg(&ctx, &want, &a), &want, ScaleOp{wa16.v, -1.0, 0}, 200, 16);
            run("add_real", lc_add_real(&ctx, &want, &a, 0.625), &want, ScaleOp{wa16.v, 0.625, 1}, 200, 16);
            lc_batch eps;
            lc_batch_init(&eps, LC_F64, LC_I64);
            OK(&ctx, lc_batch_set_monomial(&ctx, &eps, 1, 1.0, -1, 1));
            run("shift", lc_mul(&ctx, &want, &a, &eps), &want, ShiftOp{wa16.v, -16}, 200, 16);
            lc_batch_clear(&ctx, &eps);
            run("abs", lc_abs(&ctx, &want, &a), &want, SelectOp{wa16.v, 0}, 200, 16);
            run("max", lc_max(&ctx, &want, &a, &b3), &want, MaxOp{wa.v, wb3.v, 0}, 200, 48);
            run("min", lc_min(&ctx, &want, &one, &b3), &want, MaxOp{w1.v, wb3.v, 1}, 200, 48);
            run("relu", lc_relu(&ctx, &want, &a), &want, SelectOp{wa16.v, 1}, 200, 16);
        }
        check_trunc("add (csrgeam2 + truncation)", &a, &b, 1.0);
        check_trunc("sub (csrgeam2 + truncation)", &a, &b3, -1.0);
        check_trunc("sub self (csrgeam2 + truncation)", &a, &a, -1.0);
        /* Disc primitives on exact rows (decided) and mixed rows (errors). */
        OK(&ctx, lt_random_batch(&ctx, &g, &x, 200, 16, &exact));
        for (int f = LC_DISC_STEP; f <= LC_DISC_ROUND; f++) {
            const lc_batch *in[] = {&x, &a};
            for (int t = 0; t < 2; t++) {
                Wide w(in[t], 16);
                ctx.h0 = (lc_h0)(round % 3);
                ctx.round_tie = (lc_round_tie)round;
                double h0 = ctx.h0 == LC_H0_ZERO ? 0.0 : ctx.h0 == LC_H0_HALF ? 0.5 : 1.0;
                run("disc", lc_disc_apply(&ctx, &want, in[t], (lc_disc)f), &want,
                    DiscOp{w.v, f, (int)ctx.round_tie, ctx.sign0, h0}, 200, 16);
            }
        }
        /* Series: s + δ, 1.5 + δ (log), δ (s = 0), mixed rows (errors, saturation). */
        static const struct { const char *name; cpu_un f; int fn; } ser[] = {
            {"exp", lc_exp, LC_CUDA_EXP}, {"log", lc_log, LC_CUDA_LOG}, {"sin", lc_sin, LC_CUDA_SIN},
            {"cos", lc_cos, LC_CUDA_COS}, {"tanh", lc_tanh, LC_CUDA_TANH},
            {"sigmoid", lc_sigmoid, LC_CUDA_SIGMOID}, {"softplus", lc_softplus, LC_CUDA_SOFTPLUS},
            {"recip", lc_recip, SER_RECIP}};
        OK(&ctx, lc_add_real(&ctx, &x, &d, 0.3));
        OK(&ctx, lc_add_real(&ctx, &b, &d, 1.5));
        for (int i = 0; i < 8; i++) {
            check_series(ser[i].name, ser[i].f, ser[i].fn, i == 1 ? &b : &x);
            check_series(ser[i].name, ser[i].f, ser[i].fn, &d);
            check_series(ser[i].name, ser[i].f, ser[i].fn, &a);
        }
        /* Saturation: infinite rows only, no unknown ones. */
        lt_gen inf = {4, -48, -1, 0.5, 0.0, 0};
        OK(&ctx, lt_random_batch(&ctx, &g, &x, 200, 16, &inf));
        for (int i = 4; i < 8; i++) check_series(ser[i].name, ser[i].f, ser[i].fn, &x);
        /* Linear layer read-back: 6 samples × 5 inputs → 3 outputs. */
        lt_gen fin = {4, -16, 48, 0.6, 0.1, 0};
        OK(&ctx, lt_random_batch(&ctx, &g, &x, 30, 16, &fin));
        check_linear(&g, &x, 3, 5);
    }
    for (int i = 0; i < 7; i++) lc_batch_clear(&ctx, all[i]);
    lc_ctx_clear(&ctx);
    return lt_report("test_cuda_rowops");
}
