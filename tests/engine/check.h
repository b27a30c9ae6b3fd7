/* Minimal assertions for the engine tests: a failed CHECK prints the
 * location and the expression and counts one failure; main returns
 * check_failures != 0. */
#ifndef ENGINE_CHECK_H
#define ENGINE_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            if (check_failures++ < 20)                                                        \
                fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                                     \
    } while (0)

/* |a − b| ≤ tol·max(1, |a|, |b|) */
#define CHECK_CLOSE(a, b, tol)                                                                \
    do {                                                                                      \
        double ca_ = (a), cb_ = (b), sc_ = fmax(1.0, fmax(fabs(ca_), fabs(cb_)));             \
        if (!(fabs(ca_ - cb_) <= (tol) * sc_)) {                                              \
            if (check_failures++ < 20)                                                        \
                fprintf(stderr, "%s:%d: CHECK_CLOSE failed: %s = %.17g vs %s = %.17g\n",      \
                        __FILE__, __LINE__, #a, ca_, #b, cb_);                                \
        }                                                                                     \
    } while (0)

#define CHECK_OK(expr, ctx)                                                                   \
    do {                                                                                      \
        lc_status cs_ = (expr);                                                               \
        if (cs_ != LC_OK) {                                                                   \
            fprintf(stderr, "%s:%d: %s returned %s: %s\n", __FILE__, __LINE__, #expr,         \
                    lc_status_str(cs_), (ctx)->err);                                          \
            check_failures++;                                                                 \
        }                                                                                     \
    } while (0)

#endif
