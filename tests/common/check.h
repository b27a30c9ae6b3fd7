/* SPDX-License-Identifier: MIT */
/* Assertions shared by every C test (header-only, no infnum dependency):
 * a failed check prints its location and expression (the first 30 are
 * printed), counts one failure in lt_failures, and the test goes on;
 * main ends with `return lt_report("name");`. lc_test.h adds the
 * status checks (CHECK_ST, OK) and the library test helpers. */
#ifndef LC_CHECK_H
#define LC_CHECK_H

#include <math.h>
#include <stdio.h>

static int lt_failures = 0;

/* Prints the location and the failed expression; counts one failure. */
#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            lt_failures++;                                                            \
            if (lt_failures < 30) fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

/* CHECK that also prints a printf-style message (values that explain). */
#define CHECK_MSG(cond, ...)                                                          \
    do {                                                                              \
        if (!(cond)) {                                                                \
            lt_failures++;                                                            \
            if (lt_failures < 30) {                                                   \
                fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);  \
                fprintf(stderr, __VA_ARGS__);                                         \
                fprintf(stderr, "\n");                                                \
            }                                                                         \
        }                                                                             \
    } while (0)

/* |a − b| ≤ tol·max(1, |a|, |b|); prints both values otherwise. */
#define CHECK_CLOSE(a, b, tol)                                                        \
    do {                                                                              \
        double ca_ = (a), cb_ = (b), sc_ = fmax(1.0, fmax(fabs(ca_), fabs(cb_)));     \
        if (!(fabs(ca_ - cb_) <= (tol) * sc_) && ++lt_failures < 30)                  \
            fprintf(stderr, "%s:%d: CHECK_CLOSE failed: %s = %.17g vs %s = %.17g\n",  \
                    __FILE__, __LINE__, #a, ca_, #b, cb_);                            \
    } while (0)

/* Exit status of a test: 0 if every check passed, 1 otherwise. */
static inline int lt_report(const char *name)
{
    if (lt_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, lt_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif
