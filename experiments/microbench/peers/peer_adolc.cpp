/* SPDX-License-Identifier: MIT */
// ADOL-C peer: a tape of T = 1000 numbers (y_i = op(x_i[, x_{T+i}])) is
// recorded once, then replayed with hos_forward of degree N-1 over the batch
// in chunks of T rows (a second tape for a remainder chunk). ADOL-C takes the
// base point x and the Taylor rows X[i][0..N-2] separately: X[i] points into
// the reference row (its coefficients 1..N-1 are contiguous), x is gathered.
#include "peers_internal.h"

#include <adolc/adolc.h>

#include <algorithm>
#include <vector>

namespace {

const int tape_rows = 1000;

bool binary(lcp_op op) { return op == LCP_ADD || op == LCP_MUL; }

// Records y_i = op(x_i[, x_{rows+i}]) for rows numbers on tape `tag`.
void record(short tag, lcp_op op, int rows)
{
    int nin = binary(op) ? 2 * rows : rows;
    trace_on(tag);
    std::vector<adouble> x(nin), y(rows);
    for (int i = 0; i < nin; i++) x[i] <<= 1.0;
    for (int i = 0; i < rows; i++) {
        switch (op) {
        case LCP_ADD: y[i] = x[i] + x[rows + i]; break;
        case LCP_MUL: y[i] = x[i] * x[rows + i]; break;
        case LCP_EXP: y[i] = exp(x[i]); break;
        case LCP_RECIP: y[i] = 1.0 / x[i]; break;
        default: y[i] = sin(x[i]); break;
        }
    }
    double dummy;
    for (int i = 0; i < rows; i++) y[i] >>= dummy;
    trace_off();
}

struct job {
    lcp_op op;
    int64_t n;
    int N, rows; // rows: the length of tape 1; tape 2 holds n % rows rows
    const double *a, *b;
    double *c;
    std::vector<double> x0, y0;
    std::vector<double *> X, Y;
};

// One chunk of `rows` rows starting at row r0 on tape `tag`.
int chunk(job &j, short tag, int64_t r0, int rows)
{
    int nin = binary(j.op) ? 2 * rows : rows, N = j.N;
    for (int i = 0; i < rows; i++) {
        double *a = const_cast<double *>(j.a + (r0 + i) * N);
        j.x0[i] = a[0];
        j.X[i] = a + 1;
        j.Y[i] = j.c + (r0 + i) * N + 1;
        if (binary(j.op)) {
            double *b = const_cast<double *>(j.b + (r0 + i) * N);
            j.x0[rows + i] = b[0];
            j.X[rows + i] = b + 1;
        }
    }
    if (hos_forward(tag, rows, nin, N - 1, 0, j.x0.data(), j.X.data(), j.y0.data(), j.Y.data()) < 0)
        return LCP_UNSUPPORTED;
    for (int i = 0; i < rows; i++) j.c[(r0 + i) * N] = j.y0[i];
    return LCP_OK;
}

int kernel(void *arg)
{
    job &j = *static_cast<job *>(arg);
    int64_t full = j.n / j.rows * j.rows;
    for (int64_t r = 0; r < full; r += j.rows)
        if (int rc = chunk(j, 1, r, j.rows)) return rc;
    if (full < j.n) return chunk(j, 2, full, static_cast<int>(j.n - full));
    return LCP_OK;
}

} // namespace

extern "C" int lcp_adolc_run(lcp_op op, int64_t n, int N, const double *a, const double *b,
                             double *c, int reps, double *ns)
{
    if (N < 2) return LCP_UNSUPPORTED; // hos_forward needs degree ≥ 1
    try {
        int rows = static_cast<int>(std::min<int64_t>(n, tape_rows));
        record(1, op, rows);
        if (n % rows) record(2, op, static_cast<int>(n % rows));
        job j{op, n, N, rows, a, b, c, {}, {}, {}, {}};
        j.x0.resize(2 * rows);
        j.y0.resize(rows);
        j.X.resize(2 * rows);
        j.Y.resize(rows);
        return lcp_time(kernel, &j, n, reps, ns);
    } catch (...) {
        return LCP_ENOMEM;
    }
}
