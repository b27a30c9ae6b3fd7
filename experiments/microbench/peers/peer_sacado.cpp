/* SPDX-License-Identifier: MIT */
// Trilinos Sacado peer: Sacado::Tay::Taylor<double> of degree N-1. The
// inputs are built as Taylor objects once, outside the timing (that is how a
// Sacado user holds them); the timed loop computes each result and copies
// its coefficients to the output row.
#include "peers_internal.h"

// Debian's Sacado is configured with Kokkos and Teuchos, whose headers (and
// MPI) the Taylor class does not need: read its configuration once, switch
// those integrations off, and keep Sacado_ConfigDefs.h from reading it again.
#include <Sacado_config.h>
#define TRILINOS_NO_CONFIG_H
#undef HAVE_SACADO_KOKKOSCORE
#undef HAVE_SACADO_KOKKOSCONTAINERS
#undef HAVE_SACADO_TEUCHOSCORE
#undef HAVE_SACADO_TEUCHOSCOMM
#undef HAVE_SACADO_TEUCHOSNUMERICS
#undef HAVE_SACADO_TEUCHOSKOKKOSCOMM
#include <Sacado.hpp>

#include <vector>

namespace {

using taylor = Sacado::Tay::Taylor<double>;

struct job {
    lcp_op op;
    int N;
    const std::vector<taylor> *x, *y;
    double *c;
};

int kernel(void *arg)
{
    const job &j = *static_cast<const job *>(arg);
    const std::vector<taylor> &x = *j.x, &y = *j.y;
    for (size_t r = 0; r < x.size(); r++) {
        taylor z;
        switch (j.op) {
        case LCP_ADD: z = x[r] + y[r]; break;
        case LCP_MUL: z = x[r] * y[r]; break;
        case LCP_EXP: z = exp(x[r]); break;
        case LCP_RECIP: z = 1.0 / x[r]; break;
        default: z = sin(x[r]); break;
        }
        double *c = j.c + r * j.N;
        for (int k = 0; k < j.N; k++) c[k] = z.coeff(k);
    }
    return LCP_OK;
}

void build(std::vector<taylor> &v, int64_t n, int N, const double *a)
{
    v.assign(static_cast<size_t>(n), taylor(N - 1, 0.0));
    for (int64_t r = 0; r < n; r++) {
        v[r].copyForWrite(); // assign() shares one handle between the copies
        for (int k = 0; k < N; k++) v[r].fastAccessCoeff(k) = a[r * N + k];
    }
}

} // namespace

extern "C" int lcp_sacado_run(lcp_op op, int64_t n, int N, const double *a, const double *b,
                              double *c, int reps, double *ns)
{
    try {
        std::vector<taylor> x, y;
        build(x, n, N, a);
        if (op == LCP_ADD || op == LCP_MUL) build(y, n, N, b);
        job j{op, N, &x, &y, c};
        return lcp_time(kernel, &j, n, reps, ns);
    } catch (...) {
        return LCP_ENOMEM;
    }
}
