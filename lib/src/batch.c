/* SPDX-License-Identifier: MIT */
/* Batches: storage, conversion, validation, construction, accessors.
 *
 * Internal pattern (see internal.h): an operation builds its result in a
 * "wide" batch (LC_F64 coefficients, LC_I64 exponents) and lc_batch_commit
 * moves it into the output with the output's storage types. The output is
 * touched only on success, so aliasing and failures are handled in one place.
 */
#include "internal.h"
#include "ngrad_fast.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ basics */

void lc_batch_init(lc_batch *b, lc_ctype ctype, lc_etype etype)
{
    memset(b, 0, sizeof *b);
    b->den = LC_DEN_DEFAULT;
    b->ctype = ctype;
    b->etype = etype;
}

void lc_batch_clear(lc_ctx *ctx, lc_batch *b)
{
    if (!b) return;
    lc_free(ctx, b->row_ptr);
    lc_free(ctx, b->exps);
    lc_free(ctx, b->coeffs);
    lc_free(ctx, b->bound);
    lc_batch_init(b, b->ctype, b->etype);
}

int64_t lc_batch_nnz(const lc_batch *b) { return b->nrows > 0 ? b->row_ptr[b->nrows] : 0; }

static size_t esize(lc_etype t) { return t == LC_I64 ? sizeof(int64_t) : sizeof(int32_t); }
static size_t csize(lc_ctype t) { return t == LC_F64 ? sizeof(double) : sizeof(float); }

lc_status lc_batch_reserve(lc_ctx *ctx, lc_batch *b, int64_t nrows, int64_t nnz)
{
    if (!ctx || !b || nrows < 0 || nnz < 0 || nrows == INT64_MAX)
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments");
    if (nrows > b->rcap) {
        void *rp = lc_realloc(ctx, b->row_ptr, (size_t)nrows + 1, sizeof(int64_t));
        if (!rp) goto nomem;
        if (!b->row_ptr) ((int64_t *)rp)[0] = 0;
        b->row_ptr = rp;
        void *bd = lc_realloc(ctx, b->bound, (size_t)nrows, sizeof(int64_t));
        if (!bd) goto nomem;
        b->bound = bd;
        b->rcap = nrows;
    }
    if (nnz > b->cap) {
        void *e = lc_realloc(ctx, b->exps, (size_t)nnz, esize(b->etype));
        if (!e) goto nomem;
        b->exps = e;
        void *c = lc_realloc(ctx, b->coeffs, (size_t)nnz, csize(b->ctype));
        if (!c) goto nomem;
        b->coeffs = c;
        b->cap = nnz;
    }
    return LC_OK;
nomem:
    return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory (%lld rows, %lld terms)",
                   (long long)nrows, (long long)nnz);
}

lc_status lc_wide_alloc(lc_ctx *ctx, lc_batch *w, int64_t nrows, int64_t nnz, int64_t den,
                        const char *func)
{
    lc_batch_init(w, LC_F64, LC_I64);
    w->den = den;
    if (lc_batch_reserve(ctx, w, nrows, nnz) != LC_OK) {
        lc_batch_clear(ctx, w);
        return lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld rows, %lld terms)",
                       (long long)nrows, (long long)nnz);
    }
    if (w->row_ptr) w->row_ptr[0] = 0;
    w->nrows = nrows;
    return LC_OK;
}

void lc_wide_compact(lc_batch *w, const int64_t *off, const int64_t *cnt)
{
    int64_t *k = w->exps, pos = 0;
    double *c = w->coeffs;
    for (int64_t r = 0; r < w->nrows; r++) {
        int64_t o = off[r], n = cnt[r];
        if (o != pos && n > 0) {
            memmove(k + pos, k + o, (size_t)n * sizeof *k);
            memmove(c + pos, c + o, (size_t)n * sizeof *c);
        }
        w->row_ptr[r] = pos;
        pos += n;
    }
    if (w->row_ptr) w->row_ptr[w->nrows] = pos;
}

int64_t lc_batch_maxlen(const lc_batch *b)
{
    int64_t m = 0;
    for (int64_t r = 0; r < b->nrows; r++)
        if (b->row_ptr[r + 1] - b->row_ptr[r] > m) m = b->row_ptr[r + 1] - b->row_ptr[r];
    return m;
}

int lc_row_view(const lc_batch *b, int64_t r, int64_t mul, int64_t *kbuf, double *cbuf, lc_rowv *v)
{
    int64_t s = b->row_ptr[r], n = b->row_ptr[r + 1] - s;
    v->n = n;
    v->p = b->bound[r];
    if (v->p != LC_EXACT && !_lc_mul_ok(v->p, mul, &v->p)) return -1;
    if (v->p == LC_EXACT && b->bound[r] != LC_EXACT) return -1;
    v->k = kbuf;
    v->c = cbuf;
    if (n == 0) return 0; /* storage may be NULL: no pointer arithmetic on it */
    if (b->ctype == LC_F64) v->c = (const double *)b->coeffs + s;
    else {
        for (int64_t i = 0; i < n; i++) cbuf[i] = ((const float *)b->coeffs)[s + i];
        v->c = cbuf;
    }
    v->k = kbuf;
    if (b->etype == LC_I64) {
        const int64_t *k = (const int64_t *)b->exps + s;
        if (mul == 1) v->k = k;
        else if (n > 0 && (k[0] < -(INT64_MAX / mul) || k[n - 1] > INT64_MAX / mul)) return -1;
        else for (int64_t i = 0; i < n; i++) kbuf[i] = k[i] * mul; /* checked above (sorted) */
        if (mul != 1 && n > 0 && kbuf[n - 1] == LC_EXACT) return -1; /* no term sits at LC_EXACT */
    } else { /* |k| < 2^31: k·mul fits when mul < 2^32 */
        const int32_t *k = (const int32_t *)b->exps + s;
        if (mul >= ((int64_t)1 << 32)) {
            for (int64_t i = 0; i < n; i++)
                if (!_lc_mul_ok(k[i], mul, &kbuf[i]) || kbuf[i] == LC_EXACT) return -1;
        } else
            for (int64_t i = 0; i < n; i++) kbuf[i] = (int64_t)k[i] * mul;
    }
    return 0;
}

lc_status lc_bcast_rows(lc_ctx *ctx, const char *func, int64_t na, int64_t nb, int64_t *n)
{
    if (na != nb && na != 1 && nb != 1)
        return lc_fail(ctx, LC_ESHAPE, func, "%lld rows against %lld rows (neither is one row)",
                       (long long)na, (long long)nb);
    *n = na == 1 ? nb : na;
    return LC_OK;
}

lc_status lc_den_lcm(lc_ctx *ctx, const char *func, int64_t a, int64_t b, int64_t *d)
{
    if (a < 1 || b < 1)
        return lc_fail(ctx, LC_EINVAL, func, "denominator %lld is < 1", (long long)(a < 1 ? a : b));
    *d = lc_lcm_i64(a, b);
    if (!*d || *d == LC_EXACT)
        return lc_fail(ctx, LC_EOVERFLOW, func, "lcm of denominators %lld and %lld overflows",
                       (long long)a, (long long)b);
    return LC_OK;
}

/* Converts the wide arrays of w to (ctype, etype) into fresh arrays.
 * widen: an int32 overflow switches to LC_I64 instead of failing. */
static lc_status convert_wide(lc_ctx *ctx, lc_batch *w, lc_ctype ct, lc_etype et, int widen,
                              const char *func)
{
    int64_t nnz = lc_batch_nnz(w), *k = w->exps;
    double *c = w->coeffs;
    for (int64_t r = 0; r < w->nrows; r++)
        for (int64_t i = w->row_ptr[r]; i < w->row_ptr[r + 1]; i++)
            if (!isfinite(c[i]) || (ct == LC_F32 && (fabs(c[i]) > FLT_MAX || (float)c[i] == 0)))
                return lc_fail(ctx, LC_EOVERFLOW, func,
                               "row %lld, term %lld: coefficient %g %s %s", (long long)r,
                               (long long)(i - w->row_ptr[r]), c[i],
                               isfinite(c[i]) && (float)c[i] == 0 ? "underflows" : "overflows",
                               ct == LC_F32 ? "float (a term may not vanish)" : "double");
    if (et == LC_I32)
        for (int64_t i = 0; i < nnz; i++)
            if (k[i] < INT32_MIN || k[i] > INT32_MAX) {
                if (widen) { et = LC_I64; break; }
                return lc_fail(ctx, LC_EOVERFLOW, func, "exponent %lld/%lld does not fit int32",
                               (long long)k[i], (long long)w->den);
            }
    void *ne = NULL, *nc = NULL;
    if (et == LC_I32 && nnz > 0) {
        ne = lc_malloc(ctx, (size_t)nnz, sizeof(int32_t));
        if (!ne) return lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld terms)", (long long)nnz);
        for (int64_t i = 0; i < nnz; i++) ((int32_t *)ne)[i] = (int32_t)k[i];
    }
    if (ct == LC_F32 && nnz > 0) {
        nc = lc_malloc(ctx, (size_t)nnz, sizeof(float));
        if (!nc) {
            lc_free(ctx, ne);
            return lc_fail(ctx, LC_ENOMEM, func, "out of memory (%lld terms)", (long long)nnz);
        }
        for (int64_t i = 0; i < nnz; i++) ((float *)nc)[i] = (float)c[i];
    }
    if (et == LC_I32) { lc_free(ctx, w->exps); w->exps = ne; }
    if (ct == LC_F32) { lc_free(ctx, w->coeffs); w->coeffs = nc; }
    if (et == LC_I32 || ct == LC_F32) w->cap = nnz;
    w->ctype = ct;
    w->etype = et;
    return LC_OK;
}

lc_status lc_batch_commit(lc_ctx *ctx, lc_batch *out, lc_batch *w, const char *func)
{
    lc_status st = convert_wide(ctx, w, out->ctype, out->etype, 1, func);
    if (st != LC_OK) {
        lc_batch_clear(ctx, w);
        return st;
    }
    lc_batch_clear(ctx, out);
    *out = *w;
    lc_batch_init(w, LC_F64, LC_I64);
    return LC_OK;
}

/* Wide copy of src with exponents and bounds multiplied by mul. */
static lc_status widen_copy(lc_ctx *ctx, lc_batch *w, const lc_batch *src, int64_t mul,
                            const char *func)
{
    int64_t nnz = lc_batch_nnz(src);
    lc_status st = lc_wide_alloc(ctx, w, src->nrows, nnz, src->den, func);
    if (st != LC_OK) return st;
    int64_t *k = w->exps;
    double *c = w->coeffs;
    for (int64_t r = 0; r < src->nrows; r++) {
        w->row_ptr[r + 1] = src->row_ptr[r + 1];
        w->bound[r] = src->bound[r];
        if (src->bound[r] != LC_EXACT &&
            (!_lc_mul_ok(src->bound[r], mul, &w->bound[r]) || w->bound[r] == LC_EXACT))
            goto overflow;
    }
    for (int64_t i = 0; i < nnz; i++) {
        c[i] = lc_get_c(src, i);
        if (!_lc_mul_ok(lc_get_k(src, i), mul, &k[i]) || k[i] == LC_EXACT) goto overflow;
    }
    return LC_OK;
overflow:
    lc_batch_clear(ctx, w);
    return lc_fail(ctx, LC_EOVERFLOW, func, "an exponent times %lld overflows int64", (long long)mul);
}

lc_status lc_batch_copy(lc_ctx *ctx, lc_batch *dst, const lc_batch *src)
{
    if (!ctx || !dst || !src) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (dst == src) return LC_OK;
    lc_batch w;
    lc_status st = widen_copy(ctx, &w, src, 1, __func__);
    if (st != LC_OK) return st;
    return lc_batch_commit(ctx, dst, &w, __func__);
}

lc_status lc_batch_convert(lc_ctx *ctx, lc_batch *b, lc_ctype ctype, lc_etype etype)
{
    if (!ctx || !b || (ctype != LC_F32 && ctype != LC_F64) || (etype != LC_I32 && etype != LC_I64))
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments");
    lc_batch w;
    lc_status st = widen_copy(ctx, &w, b, 1, __func__);
    if (st != LC_OK) return st;
    st = convert_wide(ctx, &w, ctype, etype, 0, __func__);
    if (st != LC_OK) {
        lc_batch_clear(ctx, &w);
        return st;
    }
    lc_batch_clear(ctx, b);
    *b = w;
    return LC_OK;
}

lc_status lc_batch_set_den(lc_ctx *ctx, lc_batch *b, int64_t den)
{
    if (!ctx || !b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (den < 1 || den % b->den)
        return lc_fail(ctx, LC_EINVAL, __func__, "%lld is not a positive multiple of the denominator %lld",
                       (long long)den, (long long)b->den);
    if (den == b->den) return LC_OK;
    lc_batch w;
    lc_status st = widen_copy(ctx, &w, b, den / b->den, __func__);
    if (st != LC_OK) return st;
    w.den = den;
    return lc_batch_commit(ctx, b, &w, __func__);
}

lc_status lc_batch_refine(lc_ctx *ctx, lc_batch *b, int64_t den)
{
    if (!ctx || !b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    int64_t d;
    lc_status st = lc_den_lcm(ctx, __func__, b->den, den, &d);
    if (st != LC_OK) return st;
    return lc_batch_set_den(ctx, b, d);
}

/* ------------------------------------------------------------ validation */

/* Checks CSR arrays: b's storage if b, else the caller's exps/coeffs. */
static lc_status check_csr(lc_ctx *ctx, const char *func, int64_t nrows, const int64_t *row_ptr,
                           const lc_batch *b, const int64_t *exps, const double *coeffs,
                           const int64_t *bounds, int64_t den)
{
    if (den < 1) return lc_fail(ctx, LC_EINVAL, func, "denominator %lld is < 1", (long long)den);
    if (nrows < 0) return lc_fail(ctx, LC_EINVAL, func, "negative row count %lld", (long long)nrows);
    if (nrows == 0) return LC_OK;
    if (!row_ptr) return lc_fail(ctx, LC_EINVAL, func, "row_ptr is NULL");
    if (row_ptr[0] != 0)
        return lc_fail(ctx, LC_EINVAL, func, "row_ptr[0] = %lld, expected 0", (long long)row_ptr[0]);
    for (int64_t r = 0; r < nrows; r++)
        if (row_ptr[r + 1] < row_ptr[r])
            return lc_fail(ctx, LC_EINVAL, func, "row %lld: row_ptr decreases (%lld then %lld)",
                           (long long)r, (long long)row_ptr[r], (long long)row_ptr[r + 1]);
    if (b && row_ptr[nrows] > b->cap)
        return lc_fail(ctx, LC_EINVAL, func, "%lld terms but capacity %lld",
                       (long long)row_ptr[nrows], (long long)b->cap);
    if (row_ptr[nrows] > 0 && !b && (!exps || !coeffs))
        return lc_fail(ctx, LC_EINVAL, func, "exps or coeffs is NULL");
    for (int64_t r = 0; r < nrows; r++) {
        int64_t p = bounds ? bounds[r] : LC_EXACT;
        for (int64_t i = row_ptr[r]; i < row_ptr[r + 1]; i++) {
            int64_t k = b ? lc_get_k(b, i) : exps[i], t = i - row_ptr[r];
            double c = b ? lc_get_c(b, i) : coeffs[i];
            if (!isfinite(c) || c == 0)
                return lc_fail(ctx, LC_EINVAL, func, "row %lld, term %lld: coefficient %g is %s",
                               (long long)r, (long long)t, c, c == 0 ? "zero" : "not finite");
            if (i > row_ptr[r]) {
                int64_t kp = b ? lc_get_k(b, i - 1) : exps[i - 1];
                if (k <= kp)
                    return lc_fail(ctx, LC_EINVAL, func,
                                   "row %lld, term %lld: exponent %lld/%lld %s the previous one",
                                   (long long)r, (long long)t, (long long)k, (long long)den,
                                   k == kp ? "duplicates" : "is below");
            }
            if (k >= p)
                return lc_fail(ctx, LC_EINVAL, func,
                               "row %lld, term %lld: exponent %lld/%lld is at or beyond the bound %lld/%lld",
                               (long long)r, (long long)t, (long long)k, (long long)den,
                               (long long)p, (long long)den);
        }
    }
    return LC_OK;
}

lc_status lc_batch_check(lc_ctx *ctx, const lc_batch *b)
{
    if (!b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL batch");
    if (b->nrows > b->rcap)
        return lc_fail(ctx, LC_EINVAL, __func__, "%lld rows but room for %lld", (long long)b->nrows,
                       (long long)b->rcap);
    if (b->nrows > 0 && !b->bound) return lc_fail(ctx, LC_EINVAL, __func__, "bound is NULL");
    return check_csr(ctx, __func__, b->nrows, b->row_ptr, b, NULL, NULL, b->bound, b->den);
}

lc_status lc_batch_from_csr(lc_ctx *ctx, lc_batch *b, int64_t nrows, const int64_t *row_ptr,
                            const int64_t *exps, const double *coeffs, const int64_t *bounds,
                            int64_t den)
{
    if (!ctx || !b) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_status st = check_csr(ctx, __func__, nrows, row_ptr, NULL, exps, coeffs, bounds, den);
    if (st != LC_OK) return st;
    int64_t nnz = nrows ? row_ptr[nrows] : 0;
    lc_batch w;
    if ((st = lc_wide_alloc(ctx, &w, nrows, nnz, den, __func__)) != LC_OK) return st;
    if (nrows) memcpy(w.row_ptr, row_ptr, ((size_t)nrows + 1) * sizeof *row_ptr);
    for (int64_t r = 0; r < nrows; r++) w.bound[r] = bounds ? bounds[r] : LC_EXACT;
    if (nnz) {
        memcpy(w.exps, exps, (size_t)nnz * sizeof *exps);
        memcpy(w.coeffs, coeffs, (size_t)nnz * sizeof *coeffs);
    }
    return lc_batch_commit(ctx, b, &w, __func__);
}

/* ------------------------------------------------------------ construction */

/* n exact rows: x[i]·ε⁰ + v[i]·ε^{kv} (zero coefficients omitted). */
static lc_status set_two(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x, const double *v,
                         double vdef, int64_t kv, int64_t den, const char *func)
{
    if (!ctx || !b || n < 0) return lc_fail(ctx, LC_EINVAL, func, "bad arguments");
    for (int64_t i = 0; i < n; i++) {
        double a = x ? x[i] : 0, c = v ? v[i] : vdef;
        if (!isfinite(a) || !isfinite(c))
            return lc_fail(ctx, LC_EINVAL, func, "row %lld: value is not finite", (long long)i);
    }
    lc_status st = LC_OK;
    if (lc_fast_set_two(ctx, b, n, x, v, vdef, kv, den, &st, func)) return st; /* ngrad_fast.c */
    lc_batch w;
    st = lc_wide_alloc(ctx, &w, n, n > INT64_MAX / 2 ? INT64_MAX : 2 * n, den, func);
    if (st != LC_OK) return st;
    int64_t m = 0, *k = w.exps;
    double *c = w.coeffs;
    for (int64_t i = 0; i < n; i++) {
        double a = x ? x[i] : 0, d = v ? v[i] : vdef;
        if (kv > 0 && a != 0) { k[m] = 0; c[m++] = a; }
        if (d != 0) { k[m] = kv; c[m++] = d; }
        if (kv <= 0 && a != 0) { k[m] = 0; c[m++] = a; }
        w.row_ptr[i + 1] = m;
        w.bound[i] = LC_EXACT;
    }
    return lc_batch_commit(ctx, b, &w, func);
}

lc_status lc_batch_set_real(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x)
{
    if (n > 0 && !x) return lc_fail(ctx, LC_EINVAL, __func__, "x is NULL");
    return set_two(ctx, b, n, x, NULL, 0, 1, b ? b->den : 1, __func__);
}

lc_status lc_batch_from_real(lc_ctx *ctx, lc_batch *b, int64_t n, const double *x, const double *v)
{
    if (n > 0 && !x) return lc_fail(ctx, LC_EINVAL, __func__, "x is NULL");
    return set_two(ctx, b, n, x, v, 1, b ? b->den : 1, b ? b->den : 1, __func__);
}

lc_status lc_batch_set_monomial(lc_ctx *ctx, lc_batch *b, int64_t n, double c, int64_t num,
                                int64_t den)
{
    if (!b || den < 1) return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments (den %lld)", (long long)den);
    int64_t g = lc_gcd_i64(num, den), d, k;
    if (g == 0) g = 1;
    lc_status st = lc_den_lcm(ctx, __func__, b->den, den / g, &d);
    if (st != LC_OK) return st;
    if (!_lc_mul_ok(num / g, d / (den / g), &k) || k == LC_EXACT)
        return lc_fail(ctx, LC_EOVERFLOW, __func__, "exponent %lld/%lld overflows", (long long)num,
                       (long long)den);
    return set_two(ctx, b, n, NULL, NULL, c, k, d, __func__);
}

lc_status lc_batch_gather(lc_ctx *ctx, lc_batch *dst, const lc_batch *src, const int64_t *idx,
                          int64_t n)
{
    if (!ctx || !dst || !src || n < 0 || (n > 0 && !idx))
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments");
    int64_t nnz = 0;
    for (int64_t i = 0; i < n; i++) {
        if (idx[i] < 0 || idx[i] >= src->nrows)
            return lc_fail(ctx, LC_EINVAL, __func__, "idx[%lld] = %lld is not a row of %lld",
                           (long long)i, (long long)idx[i], (long long)src->nrows);
        nnz += lc_row_len(src, idx[i]);
    }
    lc_batch w;
    lc_status st = lc_wide_alloc(ctx, &w, n, nnz, src->den, __func__);
    if (st != LC_OK) return st;
    int64_t m = 0, *k = w.exps;
    double *c = w.coeffs;
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = src->row_ptr[idx[i]]; j < src->row_ptr[idx[i] + 1]; j++) {
            k[m] = lc_get_k(src, j);
            c[m++] = lc_get_c(src, j);
        }
        w.row_ptr[i + 1] = m;
        w.bound[i] = src->bound[idx[i]];
    }
    return lc_batch_commit(ctx, dst, &w, __func__);
}

/* ------------------------------------------------------------ accessors */

int64_t lc_row_len(const lc_batch *b, int64_t r) { return b->row_ptr[r + 1] - b->row_ptr[r]; }

void lc_row_term(const lc_batch *b, int64_t r, int64_t i, int64_t *k, double *c)
{
    int64_t j = b->row_ptr[r] + i;
    if (k) *k = lc_get_k(b, j);
    if (c) *c = lc_get_c(b, j);
}

lc_status lc_batch_std(lc_ctx *ctx, const lc_batch *b, double *out)
{
    if (!b || (b->nrows && !out)) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_status st = LC_OK;
    const int64_t nnz = b->nrows ? b->row_ptr[b->nrows] : 0;
    if (b->etype == LC_I32 && b->ctype == LC_F64 && nnz > 0) { /* the usual storage: branch-free */
        const int32_t *k = b->exps;
        const double *c = b->coeffs;
        int bad = 0;
        for (int64_t r = 0; r < b->nrows; r++) {
            int64_t s = b->row_ptr[r], has = b->row_ptr[r + 1] > s, i = s < nnz ? s : nnz - 1;
            bad |= (has & (k[i] < 0)) | (!has & (b->bound[r] <= 0));
            out[r] = has & (k[i] == 0) ? c[i] : 0.0;
        }
        if (!bad) return LC_OK; /* else the loop below finds the lowest bad row */
    }
    for (int64_t r = b->nrows - 1; r >= 0; r--) {
        int64_t s = b->row_ptr[r], n = b->row_ptr[r + 1] - s;
        out[r] = 0;
        if (n > 0 && lc_get_k(b, s) < 0)
            st = lc_fail(ctx, LC_EDOMAIN, __func__, "row %lld: infinite number has no standard part",
                         (long long)r);
        else if (n == 0 && b->bound[r] <= 0)
            st = lc_fail(ctx, LC_EUNDEF, __func__,
                         "row %lld: standard part unknown (O(eps^p) with p <= 0)", (long long)r);
        else if (n > 0 && lc_get_k(b, s) == 0)
            out[r] = lc_get_c(b, s);
    }
    return st;
}

lc_status lc_batch_coeff(lc_ctx *ctx, const lc_batch *b, int64_t num, int64_t den, double *out)
{
    if (!b || den < 1 || (b->nrows && !out))
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments (den %lld)", (long long)den);
    int64_t g = lc_gcd_i64(num, den);
    if (g == 0) g = 1;
    num /= g;
    den /= g;
    /* On b's grid when den | b->den: k = num·(b->den/den). Else compare with
     * the bound only (no term can sit there). */
    int on_grid = b->den % den == 0;
    int64_t k = 0, lhs = 0;
    if (on_grid && !_lc_mul_ok(num, b->den / den, &k))
        return lc_fail(ctx, LC_EOVERFLOW, __func__, "exponent %lld/%lld overflows", (long long)num,
                       (long long)den);
    if (!on_grid && !_lc_mul_ok(num, b->den, &lhs))
        return lc_fail(ctx, LC_EOVERFLOW, __func__, "exponent %lld/%lld overflows", (long long)num,
                       (long long)den);
    lc_status st = LC_OK;
    for (int64_t r = b->nrows - 1; r >= 0; r--) {
        int64_t p = b->bound[r], rhs;
        int beyond;
        out[r] = 0;
        if (on_grid) beyond = p != LC_EXACT && k >= p;
        else beyond = p != LC_EXACT && (!_lc_mul_ok(p, den, &rhs) ? p > 0 ? 0 : 1 : lhs >= rhs);
        if (beyond) {
            st = lc_fail(ctx, LC_EUNDEF, __func__, "row %lld: eps^(%lld/%lld) is at or beyond the bound",
                         (long long)r, (long long)num, (long long)den);
            continue;
        }
        if (!on_grid) continue;
        int64_t s = b->row_ptr[r], e = b->row_ptr[r + 1];
        for (int64_t i = s; i < e; i++) {
            int64_t ki = lc_get_k(b, i);
            if (ki == k) out[r] = lc_get_c(b, i);
            if (ki >= k) break;
        }
    }
    return st;
}

lc_status lc_row_leading(lc_ctx *ctx, const lc_batch *b, int64_t r, int64_t *num, double *coef)
{
    if (!b || r < 0 || r >= b->nrows)
        return lc_fail(ctx, LC_EINVAL, __func__, "row %lld is not in the batch", (long long)r);
    if (lc_row_len(b, r) == 0)
        return lc_fail(ctx, LC_EUNDEF, __func__, "row %lld has no term (%s)", (long long)r,
                       b->bound[r] == LC_EXACT ? "exact zero" : "unknown quantity");
    lc_row_term(b, r, 0, num, coef);
    return LC_OK;
}

int lc_row_is_infinite(const lc_batch *b, int64_t r)
{
    return lc_row_len(b, r) > 0 && lc_get_k(b, b->row_ptr[r]) < 0;
}

int lc_row_is_infinitesimal(const lc_batch *b, int64_t r)
{
    if (lc_row_len(b, r) > 0) return lc_get_k(b, b->row_ptr[r]) > 0;
    return b->bound[r] != LC_EXACT && b->bound[r] > 0;
}
