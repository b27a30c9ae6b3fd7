# SPDX-License-Identifier: MIT
"""Build script of the C extension ``infnum._lib`` (cffi, API mode).

The extension compiles the sources of the field core (``lib/src``) and of the
training engine (``engine/src``) of the surrounding source tree, so the
package needs no separately installed library. Every struct is declared with
``...;``: the C compiler, not this file, fixes their layouts. OpenMP is used
when the compiler accepts ``-fopenmp``; OpenBLAS (found by pkg-config) backs
the engine's matrix products when present.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from cffi import FFI

ROOT = Path(__file__).resolve().parents[2]

CDEF = r"""
typedef enum lc_status {
    LC_OK, LC_EINVAL, LC_ENOMEM, LC_EDOMAIN, LC_EDIVZERO, LC_EUNDEF, LC_EOVERFLOW,
    LC_ESHAPE, LC_EPARSE, LC_EDEVICE, LC_EIO, ...
} lc_status;
const char *lc_status_str(lc_status s);

typedef enum lc_h0 { LC_H0_ZERO, LC_H0_HALF, LC_H0_ONE, ... } lc_h0;
typedef enum lc_round_tie { LC_TIE_AWAY, LC_TIE_EVEN, LC_TIE_UP, LC_TIE_DOWN, ... } lc_round_tie;
typedef struct lc_ctx {
    int32_t depth;
    lc_h0 h0;
    double sign0;
    lc_round_tie round_tie;
    int32_t nthreads;
    int64_t par_min_rows;
    char err[...];
    ...;
} lc_ctx;
void lc_ctx_init(lc_ctx *ctx);
void lc_ctx_clear(lc_ctx *ctx);

typedef enum lc_ctype { LC_F32, LC_F64, ... } lc_ctype;
typedef enum lc_etype { LC_I32, LC_I64, ... } lc_etype;
#define LC_EXACT ...
#define LC_DEN_DEFAULT ...
typedef struct lc_batch {
    int64_t nrows;
    int64_t *row_ptr;
    void *exps;
    void *coeffs;
    int64_t *bound;
    int64_t den;
    lc_ctype ctype;
    lc_etype etype;
    ...;
} lc_batch;
void lc_batch_init(lc_batch *b, lc_ctype ctype, lc_etype etype);
void lc_batch_clear(lc_ctx *ctx, lc_batch *b);
lc_status lc_batch_copy(lc_ctx *ctx, lc_batch *dst, const lc_batch *src);
lc_status lc_batch_convert(lc_ctx *ctx, lc_batch *b, lc_ctype ctype, lc_etype etype);
lc_status lc_batch_from_csr(lc_ctx *ctx, lc_batch *b, int64_t nrows, const int64_t *row_ptr,
                            const int64_t *exps, const double *coeffs, const int64_t *bounds,
                            int64_t den);
lc_status lc_batch_check(lc_ctx *ctx, const lc_batch *b);
lc_status lc_batch_set_real(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x);
lc_status lc_batch_from_real(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x, const double *v);
lc_status lc_batch_set_monomial(lc_ctx *ctx, lc_batch *b, int64_t n, double c, int64_t num, int64_t den);
lc_status lc_batch_gather(lc_ctx *ctx, lc_batch *dst, const lc_batch *src, const int64_t *idx, int64_t n);
int64_t lc_batch_nnz(const lc_batch *b);
lc_status lc_batch_std(lc_ctx *ctx, const lc_batch *b, double *out);
lc_status lc_batch_coeff(lc_ctx *ctx, const lc_batch *b, int64_t num, int64_t den, double *out);
lc_status lc_row_leading(lc_ctx *ctx, const lc_batch *b, int64_t r, int64_t *num, double *coef);
lc_status lc_row_print(lc_ctx *ctx, const lc_batch *b, int64_t r, char *buf, size_t size);
lc_status lc_batch_parse(lc_ctx *ctx, lc_batch *b, int64_t n, const char *const *text);

lc_status lc_add(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_sub(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_mul(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_div(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_max(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_min(lc_ctx *ctx, lc_batch *out, const lc_batch *a, const lc_batch *b);
lc_status lc_neg(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_scale(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double s);
lc_status lc_add_real(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double s);
lc_status lc_recip(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_pow_si(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int64_t n);
lc_status lc_pow_q(lc_ctx *ctx, lc_batch *out, const lc_batch *a, int64_t p, int64_t q);
lc_status lc_pow(lc_ctx *ctx, lc_batch *out, const lc_batch *a, double r);
lc_status lc_sqrt(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_exp(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_log(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_sin(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_cos(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_tanh(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_sigmoid(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_softplus(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_abs(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_relu(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_sign(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_step(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_floor(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_ceil(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_round(lc_ctx *ctx, lc_batch *out, const lc_batch *a);
lc_status lc_cmp(lc_ctx *ctx, const lc_batch *a, const lc_batch *b, int *out);
lc_status lc_argmax(lc_ctx *ctx, const lc_batch *a, int64_t n, int64_t *out);

typedef lc_status (*lc_fn)(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data);
typedef lc_status (*lc_fn_vec)(lc_ctx *ctx, lc_batch *y, const lc_batch *x, int64_t nvars, void *data);
lc_status lc_ngrad(lc_ctx *ctx, lc_batch *out, lc_fn f, void *data, const double *x, int64_t n);
lc_status lc_ngrad_vec(lc_ctx *ctx, lc_batch *out, double *grad, lc_fn_vec f, void *data,
                       const double *x, int64_t nvars);
lc_status lc_nderiv(lc_ctx *ctx, double *out, lc_fn f, void *data, const double *x, int64_t n, int k);
lc_status lc_ngrad_decode(lc_ctx *ctx, double *regular, double *mass, lc_fn f, void *data,
                          const double *x, int64_t n);
extern "Python" lc_status _infnum_py_fn(lc_ctx *, lc_batch *, const lc_batch *, void *);
extern "Python" lc_status _infnum_py_fn_vec(lc_ctx *, lc_batch *, const lc_batch *, int64_t, void *);
/* lc_fn of one library function (data: a const char * name), for comparisons
 * of Python callables with the same computation written in C. */
lc_status pyinfnum_named_fn(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data);

typedef struct lc_est { ...; } lc_est;
typedef int... lc_est_kind;
typedef enum lc_prim {
    LC_PRIM_STEP, LC_PRIM_SIGN, LC_PRIM_FLOOR, LC_PRIM_CEIL, LC_PRIM_ROUND, LC_PRIM_ABS,
    LC_PRIM_RELU, ...
} lc_prim;
lc_status lc_est_from_name(lc_ctx *ctx, const char *spec, lc_est *e);
const char *lc_est_name(lc_est_kind kind);
lc_status lc_est_deriv(lc_ctx *ctx, const lc_est *e, lc_prim p, const double *u, int64_t n, double *d);

typedef int32_t lc_var;
#define LC_VAR_NONE ...
typedef enum lc_fun {
    LC_FUN_ABS, LC_FUN_RELU, LC_FUN_STEP, LC_FUN_SIGN, LC_FUN_FLOOR, LC_FUN_CEIL, LC_FUN_ROUND, ...
} lc_fun;
typedef struct lc_tape { ...; } lc_tape;
void lc_tape_init(lc_tape *t, lc_ctx *ctx);
void lc_tape_clear(lc_tape *t);
lc_status lc_tape_status(const lc_tape *t);
lc_status lc_tape_set_est(lc_tape *t, const lc_est *e);
lc_status lc_tape_backward(lc_tape *t, lc_var loss);
const double *lc_tape_value(const lc_tape *t, lc_var v, int64_t *rows, int64_t *cols);
lc_var lc_tape_param(lc_tape *t, double *val, double *grad, int64_t rows, int64_t cols);
lc_var lc_tape_const(lc_tape *t, const double *val, int64_t rows, int64_t cols);
lc_var lc_tape_mul(lc_tape *t, lc_var a, lc_var b);
lc_var lc_tape_sum(lc_tape *t, lc_var a);
lc_var lc_tape_unary(lc_tape *t, lc_fun f, lc_var a);
lc_var lc_tape_quant(lc_tape *t, lc_var a, int bits);
lc_var lc_tape_argmax(lc_tape *t, lc_var a);
"""

# Declared only when the engine's headers have them (newer engines).
OPTIONAL = {
    "lc_est_quant_deriv": "lc_status lc_est_quant_deriv(lc_ctx *ctx, const lc_est *e, int bits, "
                          "const double *u, int64_t n, double *d);",
}

PREAMBLE = r"""
#include "infnum/infnum.h"
#include "infnum/estimator.h"
#include "infnum/tape.h"
#include <string.h>

lc_status pyinfnum_named_fn(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    static const struct { const char *name; lc_status (*f)(lc_ctx *, lc_batch *, const lc_batch *); } fns[] = {
        {"abs", lc_abs}, {"step", lc_step}, {"round", lc_round}, {"sign", lc_sign},
        {"floor", lc_floor}, {"relu", lc_relu}, {"sin", lc_sin}, {"exp", lc_exp}};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (!strcmp(fns[i].name, (const char *)data)) return fns[i].f(ctx, y, x);
    return LC_EINVAL;
}
"""


def _flags(package: str) -> tuple[list[str], list[str], list[str]]:
    """(compile args, link args, macros) of a pkg-config package, or empties."""
    if not shutil.which("pkg-config"):
        return [], [], []
    try:
        cflags = subprocess.run(["pkg-config", "--cflags", package], check=True,
                                capture_output=True, text=True).stdout.split()
        libs = subprocess.run(["pkg-config", "--libs", package], check=True,
                              capture_output=True, text=True).stdout.split()
    except subprocess.CalledProcessError:
        return [], [], []
    return cflags, libs, ["INFNUM_HAVE_CBLAS"]


def _rel(paths: list[Path]) -> list[str]:
    """Paths relative to the setup.py directory, as setuptools requires."""
    here = Path(__file__).resolve().parents[1]
    return sorted(os.path.relpath(p, here) for p in paths)


def _headers() -> list[str]:
    """Every header the sources include: a change rebuilds the extension."""
    return _rel([p for d in ("lib", "engine") for p in (ROOT / d).rglob("*.h")])


def _sources() -> list[str]:
    if not (ROOT / "lib" / "include" / "infnum" / "infnum.h").exists():
        raise RuntimeError(f"infnum: the C sources (lib/, engine/) are not found under {ROOT}; "
                           "build the package from the source tree (pip install ./python)")
    return _rel([p for d in ("lib/src", "engine/src") for p in (ROOT / d).glob("*.c")])


def _cdef() -> str:
    headers = "".join(p.read_text() for p in (ROOT / "engine" / "include" / "infnum").glob("*.h"))
    return CDEF + "".join(decl + "\n" for name, decl in OPTIONAL.items() if name + "(" in headers)


ffibuilder = FFI()
ffibuilder.cdef(_cdef())
_cflags, _libs, _macros = _flags("openblas")
_openmp = [] if os.environ.get("INFNUM_NO_OPENMP") else ["-fopenmp"]
ffibuilder.set_source(
    "infnum._lib",
    PREAMBLE,
    sources=_sources(),
    depends=_headers(),
    include_dirs=[str(ROOT / "lib" / "include"), str(ROOT / "engine" / "include")],
    define_macros=[(m, "1") for m in _macros],
    extra_compile_args=["-std=gnu17", "-O2", "-ffp-contract=off"] + _openmp + _cflags,
    extra_link_args=_openmp + _libs + ["-lm"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
