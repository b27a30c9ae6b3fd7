/* SPDX-License-Identifier: MIT */
// Boost.Math autodiff peer: fvar<double, N-1> holds exactly the N Taylor
// coefficients of a reference row (fvar stores Taylor coefficients, not
// derivatives), so a row is copied in and out with memcpy.
#include "peers_internal.h"

#include <boost/math/differentiation/autodiff.hpp>

#include <cstring>
#include <type_traits>

namespace {

template <int N> using fv = boost::math::differentiation::detail::fvar<double, N - 1>;

template <int N> struct job {
    lcp_op op;
    int64_t n;
    const double *a, *b;
    double *c;
};

template <int N> inline fv<N> load(const double *p)
{
    static_assert(std::is_trivially_copyable<fv<N>>::value && sizeof(fv<N>) == N * sizeof(double),
                  "fvar is not a plain array of N doubles");
    fv<N> x;
    std::memcpy(static_cast<void *>(&x), p, sizeof x);
    return x;
}

template <int N> inline void store(double *p, const fv<N> &x) { std::memcpy(p, &x, sizeof x); }

template <int N> int kernel(void *arg)
{
    const job<N> &j = *static_cast<const job<N> *>(arg);
    for (int64_t r = 0; r < j.n; r++) {
        const double *a = j.a + r * N;
        double *c = j.c + r * N;
        switch (j.op) {
        case LCP_ADD: store<N>(c, load<N>(a) + load<N>(j.b + r * N)); break;
        case LCP_MUL: store<N>(c, load<N>(a) * load<N>(j.b + r * N)); break;
        case LCP_EXP: store<N>(c, exp(load<N>(a))); break;
        case LCP_RECIP: store<N>(c, 1.0 / load<N>(a)); break;
        case LCP_SIN: store<N>(c, sin(load<N>(a))); break;
        default: return LCP_EINVAL;
        }
    }
    return LCP_OK;
}

template <int N>
int run(lcp_op op, int64_t n, const double *a, const double *b, double *c, int reps, double *ns)
{
    job<N> j{op, n, a, b, c};
    return lcp_time(kernel<N>, &j, n, reps, ns);
}

} // namespace

extern "C" int lcp_boost_run(lcp_op op, int64_t n, int N, const double *a, const double *b,
                             double *c, int reps, double *ns)
{
    try {
        switch (N) {
        case 2: return run<2>(op, n, a, b, c, reps, ns);
        case 4: return run<4>(op, n, a, b, c, reps, ns);
        case 8: return run<8>(op, n, a, b, c, reps, ns);
        case 16: return run<16>(op, n, a, b, c, reps, ns);
        default: return LCP_UNSUPPORTED; // the order is a template argument
        }
    } catch (...) {
        return LCP_ENOMEM;
    }
}
