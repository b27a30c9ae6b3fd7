/* SPDX-License-Identifier: MIT */
/* Private interface between peers.c and the C++ peers. Not installed. */
#ifndef INFNUM_PEERS_INTERNAL_H
#define INFNUM_PEERS_INTERNAL_H

#include "peers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest N the peers accept (local arrays of the dense loops). */
#define LCP_MAX_N 64

/* One C++ peer: same contract as lcp_run (arguments already checked). */
int lcp_boost_run(lcp_op op, int64_t n, int N, const double *a, const double *b, double *c,
                  int reps, double *ns);
int lcp_adolc_run(lcp_op op, int64_t n, int N, const double *a, const double *b, double *c,
                  int reps, double *ns);
int lcp_sacado_run(lcp_op op, int64_t n, int N, const double *a, const double *b, double *c,
                   int reps, double *ns);

#ifdef __cplusplus
}
#endif
#endif
