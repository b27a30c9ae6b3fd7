/* SPDX-License-Identifier: MIT */
/* infnum peers: names, inputs, the dense reference loops, the timer, the
 * STREAM triad and the dispatch to the C++ peers. See peers.h. */
#define _POSIX_C_SOURCE 200809L
#include "peers_internal.h"

#include <infnum/infnum.h>
#include <infnum/rng.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifdef _OPENMP
#define LCP_PRAGMA(x) _Pragma(#x)
#define LCP_OMP_FOR(nt) LCP_PRAGMA(omp parallel for num_threads(nt) schedule(static))
#else
#define LCP_OMP_FOR(nt)
#endif

static const char *const op_names[LCP_NALLOPS] = {"add", "mul", "exp", "recip", "sin", "ngrad_abs",
                                                  "ngrad_step", "ngrad_round", "rollout",
                                                  "mul_random"};
static const char *const peer_names[LCP_NPEERS] = {"dense", "boost", "adolc", "sacado"};

const char *lcp_op_name(lcp_op op) { return (unsigned)op < LCP_NALLOPS ? op_names[op] : "?"; }
const char *lcp_peer_name(lcp_peer p) { return (unsigned)p < LCP_NPEERS ? peer_names[p] : "?"; }

int lcp_op_parse(const char *name)
{
    for (int i = 0; name && i < LCP_NALLOPS; i++)
        if (!strcmp(name, op_names[i])) return i;
    return -1;
}

int lcp_peer_parse(const char *name)
{
    for (int i = 0; name && i < LCP_NPEERS; i++)
        if (!strcmp(name, peer_names[i])) return i;
    return -1;
}

int lcp_peer_present(lcp_peer p)
{
    switch (p) {
    case LCP_DENSE: return 1;
#ifdef LCP_HAVE_BOOST
    case LCP_BOOST: return 1;
#endif
#ifdef LCP_HAVE_ADOLC
    case LCP_ADOLC: return 1;
#endif
#ifdef LCP_HAVE_SACADO
    case LCP_SACADO: return 1;
#endif
    default: return 0;
    }
}

const char *lcp_result_str(int result)
{
    switch (result) {
    case LCP_OK: return "present";
    case LCP_ABSENT: return "absent";
    case LCP_UNSUPPORTED: return "unsupported";
    case LCP_ENOMEM: return "out of memory";
    default: return "invalid argument";
    }
}

/* The seeded generator of the reference inputs: splitmix64, 53-bit uniform. */
static double unit(uint64_t *s) { return (double)(lc_rng_splitmix64(s) >> 11) * 0x1.0p-53; }

void lcp_inputs(uint64_t seed, int64_t n, int N, double *a)
{
    uint64_t s = seed;
    for (int64_t r = 0; r < n; r++)
        for (int k = 0; k < N; k++)
            a[r * N + k] = k == 0 ? 0.5 + unit(&s) : 2.0 * unit(&s) - 1.0;
}

/* ------------------------------------------------------ dense kernels
 * Truncated Taylor arithmetic on blocks of up to LCP_BLOCK rows: a block is
 * transposed into term-major local arrays so the inner loops run across
 * rows (SIMD across rows), then transposed back. Written once for a runtime
 * N and block size m; the loops call them with the literals 8 and LCP_BLOCK
 * too, so the compiler emits a fixed-order copy for the reference case. */
enum { LCP_BLOCK = 8 };
#define LCP_INLINE static inline __attribute__((always_inline))

LCP_INLINE void blk_load(int N, int m, const double *a, double t[][LCP_BLOCK])
{
    for (int r = 0; r < m; r++)
        for (int k = 0; k < N; k++) t[k][r] = a[r * N + k];
}

LCP_INLINE void blk_store(int N, int m, double t[][LCP_BLOCK], double *c)
{
    for (int r = 0; r < m; r++)
        for (int k = 0; k < N; k++) c[r * N + k] = t[k][r];
}

/* c_k = Σ_{j≤k} a_j b_{k-j}. */
LCP_INLINE void blk_mul(int N, int m, const double *a, const double *b, double *c)
{
    double at[LCP_MAX_N][LCP_BLOCK], bt[LCP_MAX_N][LCP_BLOCK], ct[LCP_MAX_N][LCP_BLOCK];
    blk_load(N, m, a, at);
    blk_load(N, m, b, bt);
    for (int k = 0; k < N; k++) {
        for (int r = 0; r < m; r++) ct[k][r] = 0.0;
        for (int j = 0; j <= k; j++)
            for (int r = 0; r < m; r++) ct[k][r] += at[j][r] * bt[k - j][r];
    }
    blk_store(N, m, ct, c);
}

/* e = exp(a): e_k = (1/k) Σ_{j=1..k} j a_j e_{k-j}. */
LCP_INLINE void blk_exp(int N, int m, const double *a, double *c)
{
    double at[LCP_MAX_N][LCP_BLOCK], et[LCP_MAX_N][LCP_BLOCK];
    blk_load(N, m, a, at);
    for (int r = 0; r < m; r++) et[0][r] = exp(at[0][r]);
    for (int j = 1; j < N; j++)
        for (int r = 0; r < m; r++) at[j][r] *= j;
    for (int k = 1; k < N; k++) {
        for (int r = 0; r < m; r++) et[k][r] = 0.0;
        for (int j = 1; j <= k; j++)
            for (int r = 0; r < m; r++) et[k][r] += at[j][r] * et[k - j][r];
        for (int r = 0; r < m; r++) et[k][r] /= k;
    }
    blk_store(N, m, et, c);
}

/* q = 1/a: q_0 = 1/a_0, q_k = -q_0 Σ_{j=1..k} a_j q_{k-j}. */
LCP_INLINE void blk_recip(int N, int m, const double *a, double *c)
{
    double at[LCP_MAX_N][LCP_BLOCK], qt[LCP_MAX_N][LCP_BLOCK];
    blk_load(N, m, a, at);
    for (int r = 0; r < m; r++) qt[0][r] = 1.0 / at[0][r];
    for (int k = 1; k < N; k++) {
        for (int r = 0; r < m; r++) qt[k][r] = 0.0;
        for (int j = 1; j <= k; j++)
            for (int r = 0; r < m; r++) qt[k][r] += at[j][r] * qt[k - j][r];
        for (int r = 0; r < m; r++) qt[k][r] *= -qt[0][r];
    }
    blk_store(N, m, qt, c);
}

/* s = sin(a) with c = cos(a) alongside: s_k = (1/k) Σ j a_j c_{k-j},
 * c_k = -(1/k) Σ j a_j s_{k-j}. */
LCP_INLINE void blk_sin(int N, int m, const double *a, double *c)
{
    double at[LCP_MAX_N][LCP_BLOCK], st[LCP_MAX_N][LCP_BLOCK], ct[LCP_MAX_N][LCP_BLOCK];
    blk_load(N, m, a, at);
    for (int r = 0; r < m; r++) st[0][r] = sin(at[0][r]), ct[0][r] = cos(at[0][r]);
    for (int j = 1; j < N; j++)
        for (int r = 0; r < m; r++) at[j][r] *= j;
    for (int k = 1; k < N; k++) {
        for (int r = 0; r < m; r++) st[k][r] = 0.0, ct[k][r] = 0.0;
        for (int j = 1; j <= k; j++)
            for (int r = 0; r < m; r++) {
                st[k][r] += at[j][r] * ct[k - j][r];
                ct[k][r] += at[j][r] * st[k - j][r];
            }
        for (int r = 0; r < m; r++) st[k][r] /= k, ct[k][r] /= -k;
    }
    blk_store(N, m, st, c);
}

/* Each loop is compiled for AVX-512, AVX2 and the baseline, and runs the
 * version the library's own loops run (lc_isa_name), so the comparison is
 * between like builds. A block of 8 rows of 8 terms takes a fixed-order
 * copy. */
#if defined(__x86_64__) && defined(__GNUC__)
#define LCP_VERSIONS(OP, PARAMS, ARGS)                                                        \
    __attribute__((target("avx512f"))) static void OP##_avx512 PARAMS { OP##_fixed ARGS; } \
    __attribute__((target("avx2"))) static void OP##_avx2 PARAMS { OP##_fixed ARGS; }      \
    static void OP##_base PARAMS { OP##_fixed ARGS; }
static int isa_level(void)
{
    const char *v = lc_isa_name();
    return !strcmp(v, "avx512") ? 2 : !strcmp(v, "avx2") ? 1 : 0;
}
#define LCP_PICK(OP) (isa_level() == 2 ? OP##_avx512 : isa_level() == 1 ? OP##_avx2 : OP##_base)
#else
#define LCP_VERSIONS(OP, PARAMS, ARGS) \
    static void OP##_base PARAMS { OP##_fixed ARGS; }
#define LCP_PICK(OP) OP##_base
#endif
#define LCP_FIXED(OP, PARAMS, ...)                                                              \
    LCP_INLINE void OP##_fixed PARAMS                                                          \
    {                                                                                          \
        if (N == 8 && m == LCP_BLOCK) OP(8, LCP_BLOCK, __VA_ARGS__);                          \
        else OP(N, m, __VA_ARGS__);                                                            \
    }
LCP_FIXED(blk_mul, (int N, int m, const double *a, const double *b, double *c), a, b, c)
LCP_FIXED(blk_exp, (int N, int m, const double *a, double *c), a, c)
LCP_FIXED(blk_recip, (int N, int m, const double *a, double *c), a, c)
LCP_FIXED(blk_sin, (int N, int m, const double *a, double *c), a, c)
LCP_VERSIONS(blk_mul, (int N, int m, const double *a, const double *b, double *c), (N, m, a, b, c))
LCP_VERSIONS(blk_exp, (int N, int m, const double *a, double *c), (N, m, a, c))
LCP_VERSIONS(blk_recip, (int N, int m, const double *a, double *c), (N, m, a, c))
LCP_VERSIONS(blk_sin, (int N, int m, const double *a, double *c), (N, m, a, c))

LCP_INLINE void add_fixed(int64_t m, const double *a, const double *b, double *c)
{
    for (int64_t i = 0; i < m; i++) c[i] = a[i] + b[i];
}
LCP_VERSIONS(add, (int64_t m, const double *a, const double *b, double *c), (m, a, b, c))

void lcp_dense_add(int64_t n, int N, const double *a, const double *b, double *c, int nthreads)
{
    void (*fn)(int64_t, const double *, const double *, double *) = LCP_PICK(add);
    int64_t m = n * N, part = 4096, nparts = (m + part - 1) / part;
    if (nthreads <= 1) {
        fn(m, a, b, c);
        return;
    }
    LCP_OMP_FOR(nthreads)
    for (int64_t q = 0; q < nparts; q++) fn(q < nparts - 1 ? part : m - q * part, a + q * part, b + q * part, c + q * part);
}

/* Full blocks of LCP_BLOCK rows over the threads, then the remaining rows. */
#define LCP_BLOCKS(fn, ...)                                                    \
    int64_t nblk = n / LCP_BLOCK, tail = n % LCP_BLOCK;                        \
    LCP_OMP_FOR(nthreads)                                                      \
    for (int64_t q = 0; q < nblk; q++) {                                       \
        int64_t o = q * LCP_BLOCK * N;                                         \
        fn(N, LCP_BLOCK, __VA_ARGS__);                                         \
    }                                                                          \
    if (tail) {                                                                \
        int64_t o = nblk * LCP_BLOCK * N;                                      \
        fn(N, (int)tail, __VA_ARGS__);                                         \
    }

void lcp_dense_mul(int64_t n, int N, const double *a, const double *b, double *c, int nthreads)
{
    void (*fn)(int, int, const double *, const double *, double *) = LCP_PICK(blk_mul);
    LCP_BLOCKS(fn, a + o, b + o, c + o)
}
void lcp_dense_exp(int64_t n, int N, const double *a, double *c, int nthreads)
{
    void (*fn)(int, int, const double *, double *) = LCP_PICK(blk_exp);
    LCP_BLOCKS(fn, a + o, c + o)
}
void lcp_dense_recip(int64_t n, int N, const double *a, double *c, int nthreads)
{
    void (*fn)(int, int, const double *, double *) = LCP_PICK(blk_recip);
    LCP_BLOCKS(fn, a + o, c + o)
}
void lcp_dense_sin(int64_t n, int N, const double *a, double *c, int nthreads)
{
    void (*fn)(int, int, const double *, double *) = LCP_PICK(blk_sin);
    LCP_BLOCKS(fn, a + o, c + o)
}

/* --------------------------------------------------------------- timing */

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return 1e9 * (double)t.tv_sec + (double)t.tv_nsec;
}

static int cmp_double(const void *x, const void *y)
{
    double u = *(const double *)x, v = *(const double *)y;
    return (u > v) - (u < v);
}

#define LCP_MAX_REPS 1000

int lcp_time(lcp_kernel fn, void *arg, int64_t n, int reps, double *ns)
{
    if (!fn || n < 1 || reps < 1 || reps > LCP_MAX_REPS || !ns) return LCP_EINVAL;
    double t0 = now_ns();
    int rc = fn(arg); /* warm-up, and the calibration of the inner count */
    if (rc) return rc;
    double once = now_ns() - t0;
    int64_t inner = once >= LCP_MIN_SAMPLE_NS ? 1 : (int64_t)(LCP_MIN_SAMPLE_NS / (once + 1.0)) + 1;
    double sample[LCP_MAX_REPS];
    for (int s = 0; s < reps; s++) {
        t0 = now_ns();
        for (int64_t i = 0; i < inner; i++)
            if ((rc = fn(arg))) return rc;
        sample[s] = (now_ns() - t0) / (double)inner / (double)n;
    }
    qsort(sample, (size_t)reps, sizeof sample[0], cmp_double);
    *ns = reps % 2 ? sample[reps / 2] : 0.5 * (sample[reps / 2 - 1] + sample[reps / 2]);
    return LCP_OK;
}

typedef struct dense_job {
    lcp_op op;
    int64_t n;
    int N, nthreads;
    const double *a, *b;
    double *c;
} dense_job;

static int dense_kernel(void *arg)
{
    const dense_job *j = arg;
    switch (j->op) {
    case LCP_ADD: lcp_dense_add(j->n, j->N, j->a, j->b, j->c, j->nthreads); break;
    case LCP_MUL: lcp_dense_mul(j->n, j->N, j->a, j->b, j->c, j->nthreads); break;
    case LCP_EXP: lcp_dense_exp(j->n, j->N, j->a, j->c, j->nthreads); break;
    case LCP_RECIP: lcp_dense_recip(j->n, j->N, j->a, j->c, j->nthreads); break;
    case LCP_SIN: lcp_dense_sin(j->n, j->N, j->a, j->c, j->nthreads); break;
    default: return LCP_EINVAL;
    }
    return LCP_OK;
}

int lcp_run(lcp_peer p, lcp_op op, int64_t n, int N, const double *a, const double *b, double *c,
            int reps, int nthreads, double *ns)
{
    if ((unsigned)p >= LCP_NPEERS || (unsigned)op >= LCP_NOPS || n < 1 || N < 1 || N > LCP_MAX_N ||
        !a || !c || !ns || reps < 1 || reps > LCP_MAX_REPS || nthreads < 1)
        return LCP_EINVAL;
    if ((op == LCP_ADD || op == LCP_MUL) && !b) return LCP_EINVAL;
    if (!lcp_peer_present(p)) return LCP_ABSENT;
    switch (p) {
    case LCP_DENSE: {
        dense_job j = {op, n, N, nthreads, a, b, c};
        return lcp_time(dense_kernel, &j, n, reps, ns);
    }
#ifdef LCP_HAVE_BOOST
    case LCP_BOOST: return lcp_boost_run(op, n, N, a, b, c, reps, ns);
#endif
#ifdef LCP_HAVE_ADOLC
    case LCP_ADOLC: return lcp_adolc_run(op, n, N, a, b, c, reps, ns);
#endif
#ifdef LCP_HAVE_SACADO
    case LCP_SACADO: return lcp_sacado_run(op, n, N, a, b, c, reps, ns);
#endif
    default: return LCP_ABSENT;
    }
}

/* ---------------------------------------------------------- memory floor */

typedef struct triad_job {
    double *x;
    const double *y, *z;
    int64_t len; /* even */
    int nthreads, stream;
} triad_job;

static int triad_kernel(void *arg)
{
    const triad_job *t = arg;
    double *x = t->x;
    const double *y = t->y, *z = t->z;
    const double s = 3.0;
#if defined(__x86_64__) && defined(__SSE2__)
    if (t->stream) { /* x 16-byte aligned (malloc) */
        const __m128d sv = _mm_set1_pd(s);
        LCP_OMP_FOR(t->nthreads)
        for (int64_t i = 0; i < t->len; i += 2)
            _mm_stream_pd(x + i, _mm_add_pd(_mm_loadu_pd(y + i), _mm_mul_pd(sv, _mm_loadu_pd(z + i))));
        _mm_sfence();
        return LCP_OK;
    }
#endif
    LCP_OMP_FOR(t->nthreads)
    for (int64_t i = 0; i < t->len; i++) x[i] = y[i] + s * z[i];
    return LCP_OK;
}

double lcp_stream_triad(size_t bytes, int reps, int nthreads)
{
    if (bytes < 3072 || reps < 1 || reps > LCP_MAX_REPS || nthreads < 1) return 0.0;
    int64_t len = (int64_t)(bytes / (3 * sizeof(double))) & ~(int64_t)1;
    double *x = malloc((size_t)len * sizeof *x), *y = malloc((size_t)len * sizeof *y),
           *z = malloc((size_t)len * sizeof *z);
    double bw = 0.0;
    if (x && y && z && !((uintptr_t)x & 15)) {
        for (int64_t i = 0; i < len; i++) x[i] = 0.0, y[i] = 1.0, z[i] = 2.0;
        for (int stream = 0; stream < 2; stream++) { /* plain stores, then streaming stores */
            triad_job t = {x, y, z, len, nthreads, stream};
            double ns = 0.0;
            if (lcp_time(triad_kernel, &t, len, reps, &ns) == LCP_OK && ns > 0.0 &&
                3.0 * sizeof(double) / (ns * 1e-9) > bw)
                bw = 3.0 * sizeof(double) / (ns * 1e-9);
        }
    }
    free(x);
    free(y);
    free(z);
    return bw;
}

double lcp_add_bytes(int N) { return 3.0 * N * (sizeof(double) + sizeof(int32_t)); }

int64_t lcp_peak_rss(void)
{
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
    return (int64_t)u.ru_maxrss * 1024; /* Linux: kilobytes */
}
