/* SPDX-License-Identifier: MIT */
/* Text form of Levi-Civita numbers: lc_row_print and lc_batch_parse.
 *
 * Printed form: terms in increasing exponent order, then the bound:
 *   "3ε^-1 + 1 - 0.5ε^(1/2) + 2ε + O(ε^3)",  "0",  "O(ε^2)",  "O(1)".
 * Coefficients with %.17g (round trip exact for double), coefficient ±1
 * omitted before ε, exponents as reduced fractions ("^2", "^-1", "^(1/2)",
 * "^(-3/4)"). The parser reads that form back and also accepts "eps" for ε,
 * an optional '*' between coefficient and ε, terms in any order (equal
 * exponents are summed) and whitespace anywhere between tokens.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS_UTF8 "\xce\xb5" /* ε */

/* ------------------------------------------------------------------ print */

typedef struct outbuf {
    char *p;
    size_t size, len;
    int full;
} outbuf;

static void put(outbuf *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(outbuf *o, const char *fmt, ...)
{
    if (o->full) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->size - o->len) o->full = 1;
    else o->len += (size_t)n;
}

/* "ε", "ε^3", "ε^-1", "ε^(1/2)", "ε^(-1/2)" for k/den (k ≠ 0). */
static void put_eps(outbuf *o, int64_t k, int64_t den)
{
    int64_t g = lc_gcd_i64(k, den);
    int64_t n = k / g, d = den / g;
    if (n == 1 && d == 1) put(o, EPS_UTF8);
    else if (d == 1) put(o, EPS_UTF8 "^%lld", (long long)n);
    else put(o, EPS_UTF8 "^(%lld/%lld)", (long long)n, (long long)d);
}

lc_status lc_row_print(lc_ctx *ctx, const lc_batch *b, int64_t r, char *buf, size_t size)
{
    if (!b || !buf || size == 0 || r < 0 || r >= b->nrows)
        return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments (row %lld)", (long long)r);
    outbuf o = {buf, size, 0, 0};
    int64_t n = lc_row_len(b, r), p = b->bound[r];
    buf[0] = '\0';
    for (int64_t i = 0; i < n; i++) {
        int64_t k;
        double c;
        lc_row_term(b, r, i, &k, &c);
        if (i > 0) put(&o, c < 0 ? " - " : " + ");
        else if (c < 0) put(&o, "-");
        double a = fabs(c);
        if (k == 0) put(&o, "%.17g", a);
        else {
            if (a != 1) put(&o, "%.17g", a);
            put_eps(&o, k, b->den);
        }
    }
    if (p != LC_EXACT) {
        put(&o, n ? " + O(" : "O(");
        if (p == 0) put(&o, "1");
        else put_eps(&o, p, b->den);
        put(&o, ")");
    } else if (n == 0)
        put(&o, "0");
    if (o.full) {
        buf[0] = '\0';
        return lc_fail(ctx, LC_EINVAL, __func__, "row %lld: buffer of %zu bytes is too small",
                       (long long)r, size);
    }
    return LC_OK;
}

/* ------------------------------------------------------------------ parse */

typedef struct term {
    int64_t num, den; /* exponent num/den, den ≥ 1 */
    double c;
} term;

typedef struct parser {
    const char *s, *start;
    const char *err; /* NULL when fine */
} parser;

static void skip_ws(parser *P)
{
    while (isspace((unsigned char)*P->s)) P->s++;
}

static int eat(parser *P, const char *tok)
{
    skip_ws(P);
    size_t n = strlen(tok);
    if (strncmp(P->s, tok, n) == 0) {
        P->s += n;
        return 1;
    }
    return 0;
}

static int eat_eps(parser *P)
{
    return eat(P, EPS_UTF8) || eat(P, "eps");
}

/* A signed decimal integer. */
static int read_int(parser *P, int64_t *v)
{
    skip_ws(P);
    char *end;
    if (!(isdigit((unsigned char)*P->s) || ((*P->s == '-' || *P->s == '+') && isdigit((unsigned char)P->s[1])))) {
        P->err = "expected an integer";
        return 0;
    }
    errno = 0;
    long long x = strtoll(P->s, &end, 10);
    if (errno == ERANGE) {
        P->err = "integer out of range";
        return 0;
    }
    P->s = end;
    *v = (int64_t)x;
    return 1;
}

/* Exponent after ε: none (1), "^n", "^-n", "^(n)", "^(n/d)". */
static int read_exp(parser *P, int64_t *num, int64_t *den)
{
    *num = 1;
    *den = 1;
    if (!eat(P, "^")) return 1;
    if (eat(P, "(")) {
        if (!read_int(P, num)) return 0;
        if (eat(P, "/") && !read_int(P, den)) return 0;
        if (!eat(P, ")")) { P->err = "expected ')'"; return 0; }
    } else if (!read_int(P, num)) return 0;
    if (*den < 1) { P->err = "exponent denominator must be >= 1"; return 0; }
    int64_t g = lc_gcd_i64(*num, *den);
    if (g > 1) { *num /= g; *den /= g; }
    return 1;
}

/* Parses one number. Terms go to t (room for cap; counted in *n even past
 * cap); the bound O(ε^(bn/bd)) in *bn, *bd (bd = 0: exact). */
static int parse_number(parser *P, term *t, int64_t cap, int64_t *n, int64_t *bn, int64_t *bd)
{
    *n = 0;
    *bd = 0;
    *bn = 0;
    int first = 1;
    for (;;) {
        skip_ws(P);
        double sign = 1;
        if (!first) {
            if (*P->s == '\0') break;
            if (eat(P, "+")) sign = 1;
            else if (eat(P, "-")) sign = -1;
            else { P->err = "expected '+' or '-'"; return 0; }
        } else if (eat(P, "-")) sign = -1;
        else eat(P, "+");
        first = 0;
        skip_ws(P);
        if (*P->s == 'O' && (eat(P, "O(") || eat(P, "O ("))) {
            if (*bd) { P->err = "two O() terms"; return 0; }
            /* -O(x) = O(x): the sign is ignored */
            int64_t num = 0, den = 1;
            if (eat_eps(P)) { if (!read_exp(P, &num, &den)) return 0; }
            else if (!eat(P, "1")) { P->err = "expected eps or 1 inside O()"; return 0; }
            if (!eat(P, ")")) { P->err = "expected ')'"; return 0; }
            *bn = num;
            *bd = den;
            continue;
        }
        double c = 1;
        int have_c = 0;
        if (isdigit((unsigned char)*P->s) || *P->s == '.') {
            char *end;
            c = strtod(P->s, &end);
            if (end == P->s || !isfinite(c)) { P->err = "bad coefficient"; return 0; }
            P->s = end;
            have_c = 1;
        }
        int64_t num = 0, den = 1;
        if (have_c) eat(P, "*");
        if (eat_eps(P)) { if (!read_exp(P, &num, &den)) return 0; }
        else if (!have_c) { P->err = "expected a coefficient, eps or O()"; return 0; }
        if (*n < cap) { t[*n].num = num; t[*n].den = den; t[*n].c = sign * c; }
        (*n)++;
    }
    if (first) { P->err = "empty text"; return 0; }
    return 1;
}

lc_status lc_batch_parse(lc_ctx *ctx, lc_batch *b, int64_t n, const char *const *text)
{
    if (!ctx || !b || n < 0 || (n > 0 && !text)) return lc_fail(ctx, LC_EINVAL, __func__, "bad arguments");
    /* Pass 1: syntax, term counts, common denominator. */
    int64_t D = b->den, total = 0, maxn = 0;
    for (int64_t i = 0; i < n; i++) {
        parser P = {text[i], text[i], NULL};
        int64_t cnt, bn, bd;
        if (!text[i]) return lc_fail(ctx, LC_EINVAL, __func__, "text %lld is NULL", (long long)i);
        if (!parse_number(&P, NULL, 0, &cnt, &bn, &bd))
            return lc_fail(ctx, LC_EPARSE, __func__, "text %lld, column %lld: %s", (long long)i,
                           (long long)(P.s - P.start + 1), P.err);
        total += cnt;
        if (cnt > maxn) maxn = cnt;
        if (bd && !(D = lc_lcm_i64(D, bd))) goto overflow;
    }
    lc_batch w;
    lc_status st = lc_wide_alloc(ctx, &w, n, total, 1, __func__);
    if (st != LC_OK) return st;
    term *t = maxn ? lc_malloc(ctx, (size_t)maxn, sizeof *t) : NULL;
    if (maxn && !t) { lc_batch_clear(ctx, &w); return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory"); }
    /* Pass 2a: the lcm of every exponent denominator. */
    for (int64_t i = 0; i < n; i++) {
        parser P = {text[i], text[i], NULL};
        int64_t cnt, bn, bd;
        parse_number(&P, t, maxn, &cnt, &bn, &bd);
        for (int64_t j = 0; j < cnt; j++)
            if (!(D = lc_lcm_i64(D, t[j].den))) { lc_free(ctx, t); lc_batch_clear(ctx, &w); goto overflow; }
    }
    w.den = D;
    /* Pass 2b: terms on the grid D, sorted, summed, truncated at the bound. */
    int64_t m = 0, *k = w.exps;
    double *c = w.coeffs;
    for (int64_t i = 0; i < n; i++) {
        parser P = {text[i], text[i], NULL};
        int64_t cnt, bn, bd, p = LC_EXACT, s = m;
        parse_number(&P, t, maxn, &cnt, &bn, &bd);
        if (bd && (!_lc_mul_ok(bn, D / bd, &p) || p == LC_EXACT)) { m = -1; }
        for (int64_t j = 0; m >= 0 && j < cnt; j++) {
            if (!_lc_mul_ok(t[j].num, D / t[j].den, &k[m]) || k[m] == LC_EXACT) { m = -1; break; }
            c[m++] = t[j].c;
        }
        if (m < 0) { lc_free(ctx, t); lc_batch_clear(ctx, &w); goto overflow; }
        /* terms in any order: sort, sum equal exponents, drop those beyond O() */
        if (m > s) {
            _lc_pairs_sort(k + s, c + s, m - s);
            m = s + _lc_row_truncate(k + s, _lc_pairs_reduce(k + s, c + s, m - s), p);
        }
        w.row_ptr[i + 1] = m;
        w.bound[i] = p;
    }
    lc_free(ctx, t);
    return lc_batch_commit(ctx, b, &w, __func__);
overflow:
    return lc_fail(ctx, LC_EOVERFLOW, __func__, "the common exponent denominator overflows int64");
}
