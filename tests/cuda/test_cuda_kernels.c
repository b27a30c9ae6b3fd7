/* SPDX-License-Identifier: MIT */
/* Every CUDA kernel against the CPU library on seeded random batches:
 * same status, same rows, bounds and exponent sets exactly, coefficients to a
 * stated relative tolerance (1e-13 for arithmetic, 1e-10 for series: the
 * device's libm and summation order differ by ulps). Storage types
 * f64/i32, f64/i64 and f32/i32; both add algorithms; broadcasting; mixed
 * denominators; transfers and clone round-trip exactly.
 * Without a CUDA device it prints "skipped: no CUDA device" and exits 77,
 * which CTest reports as skipped (SKIP_RETURN_CODE), never as passed. */
#include "infnum/cuda.h"
#include "lc_test.h"

#include <cuda_runtime_api.h>

typedef lc_status (*cpu_un)(lc_ctx *, lc_batch *, const lc_batch *);
typedef lc_status (*cpu_bin)(lc_ctx *, lc_batch *, const lc_batch *, const lc_batch *);
typedef lc_status (*gpu_bin)(lc_ctx *, lc_cuda_handle *, lc_cuda_batch *, const lc_cuda_batch *,
                             const lc_cuda_batch *);

static lc_ctx ctx;
static lc_cuda_handle *H;
static lc_ctype CT;
static lc_etype ET;

/* |a − b| ≤ tol·max(|a|, |b|, 1e-300): relative agreement. */
static int close_to(double a, double b, double tol)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= tol * (m > 1e-300 ? m : 1e-300);
}

/* want (CPU) and got (device, brought back) agree; names the first mismatch. */
static void same_batch(const char *what, const lc_batch *want, const lc_batch *got, double tol)
{
    CHECK(want->nrows == got->nrows);
    if (want->nrows != got->nrows) return;
    for (int64_t r = 0; r < want->nrows; r++) {
        int64_t n = lc_row_len(want, r), bw = want->bound[r], bg = got->bound[r];
        int ok = n == lc_row_len(got, r);
        /* Bounds in units 1/den: compare as fractions (dens may differ only by widening). */
        if (bw != LC_EXACT && bg != LC_EXACT) ok = ok && bw * got->den == bg * want->den;
        else ok = ok && bw == bg;
        for (int64_t i = 0; ok && i < n; i++) {
            int64_t kw, kg;
            double cw, cg;
            lc_row_term(want, r, i, &kw, &cw);
            lc_row_term(got, r, i, &kg, &cg);
            ok = kw * got->den == kg * want->den && close_to(cw, cg, tol);
        }
        if (!ok) {
            char bw_[8192], bg_[8192];
            lc_row_print(&ctx, want, r, bw_, sizeof bw_);
            lc_row_print(&ctx, got, r, bg_, sizeof bg_);
            fprintf(stderr, "%s: row %lld: CPU %s, device %s\n", what, (long long)r, bw_, bg_);
            CHECK(ok);
            return;
        }
    }
}

/* Device batch of the host batch h (in the current storage types). */
static void up(lc_cuda_batch *d, const lc_batch *h)
{
    lc_cuda_batch_init(d, CT, ET);
    OK(&ctx, lc_cuda_batch_to_device(&ctx, H, d, h));
}

/* Runs the device result back and compares with the CPU status / result. */
static void compare(const char *what, lc_status cst, const lc_batch *cpu, lc_status gst,
                    const lc_cuda_batch *dev, double tol)
{
    if (cst != gst) fprintf(stderr, "%s: CPU %s, device %s (%s)\n", what, lc_status_str(cst),
                            lc_status_str(gst), ctx.err);
    CHECK(cst == gst);
    if (cst || gst) return;
    lc_batch back;
    lc_batch_init(&back, LC_F64, LC_I64);
    OK(&ctx, lc_cuda_batch_to_host(&ctx, H, &back, dev));
    same_batch(what, cpu, &back, tol);
    lc_batch_clear(&ctx, &back);
}

static void check_bin(const char *what, cpu_bin c, gpu_bin g, const lc_batch *a, const lc_batch *b,
                      double tol)
{
    lc_batch want;
    lc_cuda_batch da, db, out;
    lc_batch_init(&want, CT, ET);
    lc_cuda_batch_init(&out, CT, ET);
    up(&da, a);
    up(&db, b);
    lc_status cst = c(&ctx, &want, a, b), gst = g(&ctx, H, &out, &da, &db);
    compare(what, cst, &want, gst, &out, tol);
    gst = g(&ctx, H, &da, &da, &db); /* out aliasing an input */
    compare(what, cst, &want, gst, &da, tol);
    lc_cuda_batch_free(H, &da);
    lc_cuda_batch_free(H, &db);
    lc_cuda_batch_free(H, &out);
    lc_batch_clear(&ctx, &want);
}

static void check_fn(const char *what, cpu_un c, lc_cuda_fn f, const lc_batch *a, double tol)
{
    lc_batch want;
    lc_cuda_batch da, out;
    lc_batch_init(&want, CT, ET);
    lc_cuda_batch_init(&out, CT, ET);
    up(&da, a);
    lc_status cst = c(&ctx, &want, a), gst = lc_cuda_apply(&ctx, H, &out, &da, f);
    compare(what, cst, &want, gst, &out, tol);
    lc_cuda_batch_free(H, &da);
    lc_cuda_batch_free(H, &out);
    lc_batch_clear(&ctx, &want);
}

/* CPU references with the signature of check_fn. */
static lc_status cpu_neg(lc_ctx *c, lc_batch *o, const lc_batch *a) { return lc_neg(c, o, a); }
static lc_status cpu_scale(lc_ctx *c, lc_batch *o, const lc_batch *a) { return lc_scale(c, o, a, -1.75); }
static lc_status cpu_addr(lc_ctx *c, lc_batch *o, const lc_batch *a) { return lc_add_real(c, o, a, 0.625); }
static lc_status cpu_recip(lc_ctx *c, lc_batch *o, const lc_batch *a) { return lc_recip(c, o, a); }
static lc_status gpu_neg(lc_ctx *c, lc_cuda_handle *h, lc_cuda_batch *o, const lc_cuda_batch *a) { return lc_cuda_neg(c, h, o, a); }
static lc_status gpu_scale(lc_ctx *c, lc_cuda_handle *h, lc_cuda_batch *o, const lc_cuda_batch *a) { return lc_cuda_scale(c, h, o, a, -1.75); }
static lc_status gpu_addr(lc_ctx *c, lc_cuda_handle *h, lc_cuda_batch *o, const lc_cuda_batch *a) { return lc_cuda_add_real(c, h, o, a, 0.625); }
static lc_status gpu_recip(lc_ctx *c, lc_cuda_handle *h, lc_cuda_batch *o, const lc_cuda_batch *a) { return lc_cuda_recip(c, h, o, a); }
static lc_status ngrad_sq(lc_ctx *c, lc_batch *y, const lc_batch *x, void *data)
{
    (void)data;
    return lc_mul(c, y, x, x);
}
typedef lc_status (*gpu_un)(lc_ctx *, lc_cuda_handle *, lc_cuda_batch *, const lc_cuda_batch *);

static void check_un(const char *what, cpu_un c, gpu_un g, const lc_batch *a, double tol)
{
    lc_batch want;
    lc_cuda_batch da, out;
    lc_batch_init(&want, CT, ET);
    lc_cuda_batch_init(&out, CT, ET);
    up(&da, a);
    lc_status cst = c(&ctx, &want, a), gst = g(&ctx, H, &out, &da);
    compare(what, cst, &want, gst, &out, tol);
    lc_cuda_batch_free(H, &da);
    lc_cuda_batch_free(H, &out);
    lc_batch_clear(&ctx, &want);
}

/* x = d + s for every row (the series tests' arguments). */
static void shifted(lc_batch *x, const lc_batch *d, double s)
{
    OK(&ctx, lc_add_real(&ctx, x, d, s));
}

/* Dense weights × activations: the device's SpMM against Σᵢ w[j,i]·x row
 * s·k + i computed with lc_scale and lc_add (sums in another order: tol). */
static void check_linear(lt_rng *g, const lc_batch *x, int64_t m, int64_t k, double tol)
{
    int64_t B = x->nrows / k, cap = 1024, nnz = 0;
    double *w = malloc(sizeof(double) * (size_t)(m * k)), *dw = NULL;
    int64_t *rp = malloc(sizeof(int64_t) * (size_t)(B * m + 1)), *bd = malloc(sizeof(int64_t) * (size_t)(B * m));
    int64_t *ks = malloc(sizeof(int64_t) * (size_t)cap);
    double *cs = malloc(sizeof(double) * (size_t)cap), zero = 0.0;
    lc_batch want, row, acc;
    lc_cuda_batch dx, out;
    lc_batch_init(&want, CT, ET);
    lc_batch_init(&row, LC_F64, LC_I64);
    lc_batch_init(&acc, LC_F64, LC_I64);
    for (int64_t i = 0; i < m * k; i++) w[i] = i % 7 == 3 ? 0.0 : lt_coef(g);
    rp[0] = 0;
    for (int64_t s = 0; s < B; s++)
        for (int64_t j = 0; j < m; j++) {
            OK(&ctx, lc_batch_set_real(&ctx, &acc, 1, &zero));
            for (int64_t i = 0; i < k; i++) {
                int64_t r = s * k + i;
                OK(&ctx, lc_batch_gather(&ctx, &row, x, &r, 1));
                OK(&ctx, lc_scale(&ctx, &row, &row, w[j * k + i]));
                OK(&ctx, lc_add(&ctx, &acc, &acc, &row));
            }
            for (int64_t t = 0; t < lc_row_len(&acc, 0) && nnz < cap; t++, nnz++)
                lc_row_term(&acc, 0, t, &ks[nnz], &cs[nnz]);
            rp[s * m + j + 1] = nnz;
            bd[s * m + j] = acc.bound[0];
        }
    OK(&ctx, lc_batch_from_csr(&ctx, &want, B * m, rp, ks, cs, bd, x->den));
    CHECK(cudaMalloc((void **)&dw, sizeof(double) * (size_t)(m * k)) == cudaSuccess);
    CHECK(cudaMemcpy(dw, w, sizeof(double) * (size_t)(m * k), cudaMemcpyHostToDevice) == cudaSuccess);
    up(&dx, x);
    lc_cuda_batch_init(&out, CT, ET);
    lc_status gst = lc_cuda_linear(&ctx, H, &out, dw, m, k, &dx);
    compare("linear", LC_OK, &want, gst, &out, tol);
    CHECK(lc_cuda_linear(&ctx, H, &out, dw, m, k + 1, &dx) == LC_ESHAPE || x->nrows % (k + 1) == 0);
    cudaFree(dw);
    lc_cuda_batch_free(H, &dx);
    lc_cuda_batch_free(H, &out);
    lc_batch_clear(&ctx, &row);
    lc_batch_clear(&ctx, &acc);
    lc_batch_clear(&ctx, &want);
    free(w); free(rp); free(bd); free(ks); free(cs);
}

/* Transfers and clone give back exactly what went up. */
static void check_roundtrip(const lc_batch *a)
{
    lc_cuda_batch d, e;
    lc_batch back;
    lc_batch_init(&back, CT, ET);
    up(&d, a);
    lc_cuda_batch_init(&e, LC_F64, LC_I64);
    OK(&ctx, lc_cuda_batch_clone(&ctx, H, &e, &d));
    CHECK(e.ctype == CT && e.etype == ET && e.nnz == d.nnz && e.den == a->den);
    OK(&ctx, lc_cuda_batch_to_host(&ctx, H, &back, &e));
    same_batch("roundtrip", a, &back, 0.0);
    lc_cuda_batch_free(H, &d);
    lc_cuda_batch_free(H, &e);
    lc_batch_clear(&ctx, &back);
}

/* Standard part and coefficient extraction: same values, same failures. */
static void check_extract(const lc_batch *a)
{
    int64_t n = a->nrows;
    double *w = malloc(sizeof(double) * (size_t)(n + 1)), *g = malloc(sizeof(double) * (size_t)(n + 1));
    const int64_t nd[][2] = {{0, 1}, {1, 1}, {1, 3}, {-1, 2}, {5, 16}};
    lc_cuda_batch d;
    up(&d, a);
    lc_status cst = lc_batch_std(&ctx, a, w), gst = lc_cuda_std(&ctx, H, &d, g);
    CHECK(cst == gst);
    for (int64_t r = 0; !cst && !gst && r < n; r++) CHECK(w[r] == g[r]);
    for (int t = 0; t < 5; t++) {
        cst = lc_batch_coeff(&ctx, a, nd[t][0], nd[t][1], w);
        gst = lc_cuda_coeff(&ctx, H, &d, nd[t][0], nd[t][1], g);
        CHECK(cst == gst);
        for (int64_t r = 0; !cst && !gst && r < n; r++) CHECK(w[r] == g[r]);
    }
    lc_cuda_batch_free(H, &d);
    free(w);
    free(g);
}

static const struct {
    const char *name;
    cpu_un cpu;
    lc_cuda_fn f;
} fns[] = {{"exp", lc_exp, LC_CUDA_EXP},       {"log", lc_log, LC_CUDA_LOG},
           {"sin", lc_sin, LC_CUDA_SIN},       {"cos", lc_cos, LC_CUDA_COS},
           {"tanh", lc_tanh, LC_CUDA_TANH},    {"sigmoid", lc_sigmoid, LC_CUDA_SIGMOID},
           {"softplus", lc_softplus, LC_CUDA_SOFTPLUS}, {"abs", lc_abs, LC_CUDA_ABS},
           {"relu", lc_relu, LC_CUDA_RELU},    {"sign", lc_sign, LC_CUDA_SIGN},
           {"step", lc_step, LC_CUDA_STEP},    {"floor", lc_floor, LC_CUDA_FLOOR},
           {"ceil", lc_ceil, LC_CUDA_CEIL},    {"round", lc_round, LC_CUDA_ROUND}};

static void run_types(lt_rng *g)
{
    double tol = CT == LC_F32 ? 1e-6 : 1e-13, stol = CT == LC_F32 ? 1e-6 : 1e-10;
    lt_gen mixed = {5, -32, 64, 0.5, 0.1, 0};   /* infinite, finite, inexact rows     */
    lt_gen exact = {5, -32, 64, 1.0, 0.1, 0};   /* every sign decided                  */
    lt_gen small = {4, 1, 48, 0.5, 0.0, 0};     /* infinitesimals δ                    */
    lt_gen fin = {4, 0, 48, 1.0, 0.1, 0};       /* finite, exact                       */
    lc_batch a, b, b3, one, d, x, xl;
    lc_batch *all[] = {&a, &b, &b3, &one, &d, &x, &xl};
    for (int i = 0; i < 7; i++) lc_batch_init(all[i], CT, ET);
    OK(&ctx, lt_random_batch(&ctx, g, &a, 300, 16, &mixed));
    OK(&ctx, lt_random_batch(&ctx, g, &b, 300, 16, &mixed));
    OK(&ctx, lt_random_batch(&ctx, g, &b3, 300, 3, &mixed)); /* lcm(16, 3) = 48 */
    OK(&ctx, lt_random_batch(&ctx, g, &one, 1, 16, &mixed));
    OK(&ctx, lt_random_batch(&ctx, g, &d, 300, 16, &small));
    for (int algo = 0; algo < 2; algo++) {
        OK(&ctx, lc_cuda_set_add_algo(&ctx, H, algo ? LC_CUDA_ADD_CSRGEAM2 : LC_CUDA_ADD_MERGE));
        check_bin(algo ? "add (csrgeam2)" : "add", lc_add, lc_cuda_add, &a, &b, tol);
        check_bin(algo ? "sub (csrgeam2)" : "sub", lc_sub, lc_cuda_sub, &a, &b3, tol);
        check_bin("sub self", lc_sub, lc_cuda_sub, &a, &a, tol);
        check_bin("add broadcast", lc_add, lc_cuda_add, &one, &b3, tol);
    }
    OK(&ctx, lc_cuda_set_add_algo(&ctx, H, LC_CUDA_ADD_MERGE));
    check_bin("mul", lc_mul, lc_cuda_mul, &a, &b3, tol);
    check_bin("mul broadcast", lc_mul, lc_cuda_mul, &a, &one, tol);
    check_bin("max", lc_max, lc_cuda_max, &a, &b3, 0.0);
    check_bin("min", lc_min, lc_cuda_min, &one, &b, 0.0);
    {
        lt_gen ex = {3, -8, 16, 1.0, 0.2, 0};
        int64_t w[100], gd[100];
        lc_cuda_batch dx;
        OK(&ctx, lt_random_batch(&ctx, g, &x, 300, 16, &ex));
        up(&dx, &x);
        lc_status cst = lc_argmax(&ctx, &x, 3, w), gst = lc_cuda_argmax(&ctx, H, &dx, 3, gd);
        CHECK(cst == gst);
        for (int i = 0; !cst && !gst && i < 100; i++) CHECK(w[i] == gd[i]);
        cst = lc_argmax(&ctx, &a, 3, w);  /* mixed rows: undecided somewhere */
        lc_cuda_batch_free(H, &dx);
        up(&dx, &a);
        CHECK(cst == lc_cuda_argmax(&ctx, H, &dx, 3, gd));
        CHECK(lc_cuda_argmax(&ctx, H, &dx, 7, gd) == LC_ESHAPE);
        lc_cuda_batch_free(H, &dx);
    }
    check_un("neg", cpu_neg, gpu_neg, &a, 0.0);
    check_un("scale", cpu_scale, gpu_scale, &b3, 0.0);
    check_un("add_real", cpu_addr, gpu_addr, &a, 0.0);
    check_un("recip", cpu_recip, gpu_recip, &a, stol); /* zero rows: errors */
    {
        lt_gen nz = {5, -32, 64, 0.5, 0.0, 0}; /* no empty row: every recip defined */
        OK(&ctx, lt_random_batch(&ctx, g, &x, 300, 16, &nz));
        check_un("recip", cpu_recip, gpu_recip, &x, stol);
        check_bin("div", lc_div, lc_cuda_div, &b3, &x, stol);
    }
    check_roundtrip(&b3);
    check_extract(&a);
    /* Elementary functions on s + δ; log on 1.5 + δ; errors on mixed rows. */
    shifted(&x, &d, 0.3);
    shifted(&xl, &d, 1.5);
    for (int i = 0; i < 7; i++) {
        check_fn(fns[i].name, fns[i].cpu, fns[i].f, i == 1 ? &xl : &x, stol);
        check_fn(fns[i].name, fns[i].cpu, fns[i].f, &d, stol);  /* s = 0 */
        check_fn(fns[i].name, fns[i].cpu, fns[i].f, &a, stol);  /* errors / saturation */
    }
    OK(&ctx, lt_random_batch(&ctx, g, &x, 300, 16, &exact));
    for (int i = 7; i < 14; i++) {
        check_fn(fns[i].name, fns[i].cpu, fns[i].f, &x, 0.0);
        check_fn(fns[i].name, fns[i].cpu, fns[i].f, &a, 0.0); /* undecided rows */
    }
    OK(&ctx, lt_random_batch(&ctx, g, &x, 300, 16, &fin));
    for (int i = 11; i < 14; i++) check_fn(fns[i].name, fns[i].cpu, fns[i].f, &x, 0.0);
    check_extract(&x); /* finite rows: values */
    /* ngrad's directions x + v·ε, and (f − st f)/ε by add_real and shift. */
    {
        double xs[5] = {0.0, -1.5, 2.0, 0.25, 3.0}, vs[5] = {1, 1, -2, 0, 0.5};
        lc_batch want, back, eps;
        lc_cuda_batch db, dsh;
        lc_batch_init(&want, CT, ET);
        lc_batch_init(&back, CT, ET);
        lc_batch_init(&eps, LC_F64, LC_I64);
        lc_cuda_batch_init(&db, CT, ET);
        lc_cuda_batch_init(&dsh, CT, ET);
        OK(&ctx, lc_batch_from_real(&ctx, &want, 5, xs, vs));
        OK(&ctx, lc_cuda_batch_from_real(&ctx, H, &db, 5, xs, vs));
        compare("from_real", LC_OK, &want, LC_OK, &db, 0.0);
        OK(&ctx, lc_batch_set_monomial(&ctx, &eps, 1, 1.0, -1, 1));
        OK(&ctx, lc_mul(&ctx, &want, &a, &eps));
        up(&db, &a);
        compare("shift", LC_OK, &want, lc_cuda_shift(&ctx, H, &dsh, &db, -1, 1), &dsh, 0.0);
        /* ngrad of x² ((x + ε)² − x²)/ε = 2x + ε, exact on both paths. */
        double fx[5];
        for (int i = 0; i < 5; i++) fx[i] = xs[i] * xs[i];
        OK(&ctx, lc_cuda_batch_from_real(&ctx, H, &db, 5, xs, NULL));
        OK(&ctx, lc_cuda_mul(&ctx, H, &db, &db, &db));
        OK(&ctx, lc_ngrad(&ctx, &want, ngrad_sq, NULL, xs, 5));
        compare("ngrad", LC_OK, &want, lc_cuda_ngrad_finish(&ctx, H, &dsh, &db, fx), &dsh, 0.0);
        lc_cuda_batch_free(H, &db);
        lc_cuda_batch_free(H, &dsh);
        lc_batch_clear(&ctx, &want);
        lc_batch_clear(&ctx, &back);
        lc_batch_clear(&ctx, &eps);
    }
    OK(&ctx, lt_random_batch(&ctx, g, &x, 4 * 5, 16, &fin));
    check_linear(g, &x, 3, 5, 1e-9);
    for (int i = 0; i < 7; i++) lc_batch_clear(&ctx, all[i]);
}

int main(void)
{
    lc_ctx_init(&ctx);
    lc_status st = lc_cuda_create(&ctx, &H, 0);
    if (st == LC_EDEVICE) {
        printf("skipped: no CUDA device (%s)\n", ctx.err);
        return 77;
    }
    OK(&ctx, st);
    if (st) return 1;
    static const lc_ctype cts[] = {LC_F64, LC_F64, LC_F32};
    static const lc_etype ets[] = {LC_I32, LC_I64, LC_I32};
    for (int t = 0; t < 3; t++) {
        lt_rng g = {7 + (uint64_t)t};
        CT = cts[t];
        ET = ets[t];
        printf("storage %s/%s\n", CT == LC_F64 ? "f64" : "f32", ET == LC_I64 ? "i64" : "i32");
        run_types(&g);
    }
    lc_cuda_destroy(H);
    lc_ctx_clear(&ctx);
    return lt_report("test_cuda_kernels");
}
