/* SPDX-License-Identifier: MIT */
/* The parser of the expression layer: a recursive-descent reader of the
 * grammar in infnum/expr.h into a syntax tree (expr_parse.h). Arithmetic of
 * two numbers (+ - * / ^ in double) is folded, so "-2", "2*3" and "2^-1" are
 * numbers; everything else is left to the compiler. Errors name the 1-based column in characters. */
#include "expr_parse.h"

#include "infnum/expr.h"
#include "infnum/ext.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS_UTF8 "\xce\xb5" /* ε */

const lc_xfunc lc_expr_funcs[] = {
    {"sqrt", 1, lc_sqrt, NULL, NULL},   {"exp", 1, lc_exp, NULL, NULL},       {"log", 1, lc_log, NULL, NULL},
    {"sin", 1, lc_sin, NULL, NULL},     {"cos", 1, lc_cos, NULL, NULL},       {"tanh", 1, lc_tanh, NULL, NULL},
    {"sigmoid", 1, lc_sigmoid, NULL, NULL}, {"softplus", 1, lc_softplus, NULL, NULL},
    {"abs", 1, lc_abs, NULL, NULL},     {"fabs", 1, lc_abs, NULL, NULL},      {"relu", 1, lc_relu, NULL, NULL},
    {"step", 1, lc_step, NULL, NULL},   {"sign", 1, lc_sign, NULL, NULL},     {"floor", 1, lc_floor, NULL, NULL},
    {"ceil", 1, lc_ceil, NULL, NULL},   {"round", 1, lc_round, NULL, NULL},
    {"max", 2, NULL, lc_max, NULL},     {"fmax", 2, NULL, lc_max, NULL},      {"min", 2, NULL, lc_min, NULL},
    {"fmin", 2, NULL, lc_min, NULL},    {"pow", 2, NULL, NULL, NULL},
    /* the rest of <math.h>'s real functions that the field has, by their definitions */
    {"tan", 1, NULL, NULL, "sin(#1)/cos(#1)"},
    {"sinh", 1, NULL, NULL, "(exp(#1) - exp(-#1))/2"},
    {"cosh", 1, NULL, NULL, "(exp(#1) + exp(-#1))/2"},
    {"exp2", 1, NULL, NULL, "exp(#1*0.69314718055994530942)"},
    {"expm1", 1, NULL, NULL, "exp(#1) - 1"},
    {"log2", 1, NULL, NULL, "log(#1)*1.4426950408889634074"},
    {"log10", 1, NULL, NULL, "log(#1)*0.43429448190325182765"},
    {"log1p", 1, NULL, NULL, "log(1 + #1)"},
    {"cbrt", 1, NULL, NULL, "#1^(1/3)"},
    {"hypot", 2, NULL, NULL, "sqrt(#1^2 + #2^2)"},
    {"trunc", 1, NULL, NULL, "sign(#1)*floor(abs(#1))"},
    {"fmod", 2, NULL, NULL, "#1 - #2*(sign(#1/#2)*floor(abs(#1/#2)))"},
    {0}};

typedef struct parser {
    lc_ctx *ctx;
    const char *s;
    size_t pos;
    lc_xast *ast;
    int depth; /* recursion depth of the descent */
    lc_status st;
    const int32_t *args; /* while reading a function's definition: #1, #2 */
    int32_t args_col;    /* and the column of its call                    */
} parser;

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* 1-based column of byte offset pos: UTF-8 continuation bytes do not count. */
static int32_t col_of(const char *s, size_t pos)
{
    int32_t c = 1;
    for (size_t i = 0; i < pos && c < INT32_MAX; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Records the first error: "col N: message". Returns -1 (no node). */
static int32_t fail(parser *p, size_t pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int32_t fail(parser *p, size_t pos, const char *fmt, ...)
{
    if (p->st) return -1;
    char msg[LC_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long col = p->args ? (long)p->args_col : (long)col_of(p->s, pos); /* a definition: its call */
    p->st = lc_fail(p->ctx, LC_EPARSE, "lc_expr_compile", "col %ld: %s", col, msg);
    return -1;
}

static void skip(parser *p)
{
    while (is_space((unsigned char)p->s[p->pos])) p->pos++;
}

/* Length of the name at s (ASCII identifier or ε), 0 if none. */
static size_t name_len(const char *s)
{
    if (!strncmp(s, EPS_UTF8, 2)) return 2;
    if (!is_alpha((unsigned char)s[0])) return 0;
    size_t n = 1;
    while (is_alpha((unsigned char)s[n]) || is_digit((unsigned char)s[n])) n++;
    return n;
}

/* Fails with "unexpected <the token at pos>" (after what was expected). */
static int32_t unexpected(parser *p, const char *expected)
{
    const char *t = p->s + p->pos;
    size_t n = name_len(t);
    unsigned char c = (unsigned char)*t;
    const char *sep = expected[0] ? ", " : "";
    if (!c) return fail(p, p->pos, "%s%sunexpected end of expression", expected, sep);
    if (n) return fail(p, p->pos, "%s%sunexpected '%.*s'", expected, sep, (int)(n > 40 ? 40 : n), t);
    if (c < 0x20 || c >= 0x7f) return fail(p, p->pos, "%s%sunexpected character 0x%02x", expected, sep, c);
    return fail(p, p->pos, "%s%sunexpected '%c'", expected, sep, c);
}

static int func_find(const char *s, size_t n)
{
    for (int i = 0; lc_expr_funcs[i].name; i++)
        if (strlen(lc_expr_funcs[i].name) == n && !strncmp(lc_expr_funcs[i].name, s, n)) return i;
    return -1;
}

static int is_const_name(const char *s, size_t n)
{
    return (n == 2 && (!strncmp(s, "pi", 2) || !strncmp(s, EPS_UTF8, 2))) || (n == 3 && !strncmp(s, "eps", 3));
}

static int64_t var_find(const lc_xast *ast, const char *s, size_t n)
{
    const char *v = ast->names;
    for (int64_t i = 0; i < ast->nvars; v += strlen(v) + 1, i++)
        if (strlen(v) == n && !strncmp(v, s, n)) return i;
    return -1;
}

/* p/q of the exact rational r (q ≥ 1, |p|, q < 2^31, reduced), or q = 0. */
static void rational(int64_t p, int64_t q, int64_t *rp, int64_t *rq)
{
    if (q < 0) p = -p, q = -q;
    int64_t g = lc_gcd_i64(p < 0 ? -p : p, q);
    if (g > 1) p /= g, q /= g;
    int ok = q >= 1 && p > -((int64_t)1 << 31) && p < ((int64_t)1 << 31) && q < ((int64_t)1 << 31);
    *rp = ok ? p : 0, *rq = ok ? q : 0;
}

/* Appends a node. The arithmetic of two numbers is folded into a new number
 * (exact rationals stay rationals: 1/3 is the exponent p/q = 1/3). */
static int32_t node(parser *p, lc_xkind kind, int32_t fn, int32_t a, int32_t b, size_t pos, double v)
{
    if (p->st) return -1;
    lc_xast *t = p->ast;
    lc_xnode *A = a >= 0 ? &t->node[a] : NULL, *B = b >= 0 ? &t->node[b] : NULL;
    int64_t rp = 0, rq = 0;
    if (kind == N_NUM && v == floor(v) && fabs(v) < 0x1p31) rp = (int64_t)v, rq = 1;
    if (A && A->kind == N_NUM && (!B || B->kind == N_NUM) && kind >= N_NEG && kind <= N_POW) {
        double x = A->v, y = B ? B->v : 0.0;
        double r = kind == N_NEG ? -x : kind == N_ADD ? x + y : kind == N_SUB ? x - y : kind == N_MUL ? x * y
                                      : kind == N_DIV ? x / y : pow(x, y);
        if (isfinite(r) && (kind != N_DIV || y != 0.0)) {
            int64_t p1 = A->p, q1 = A->q, p2 = B ? B->p : 0, q2 = B ? B->q : 1;
            if (q1 && q2) { /* |p|, q < 2^31: the products fit */
                if (kind == N_NEG) rational(-p1, q1, &rp, &rq);
                else if (kind == N_ADD) rational(p1 * q2 + p2 * q1, q1 * q2, &rp, &rq);
                else if (kind == N_SUB) rational(p1 * q2 - p2 * q1, q1 * q2, &rp, &rq);
                else if (kind == N_MUL) rational(p1 * p2, q1 * q2, &rp, &rq);
                else if (kind == N_DIV) rational(p1 * q2, q1 * p2, &rp, &rq);
                else if (r == floor(r) && fabs(r) < 0x1p31) rp = (int64_t)r, rq = 1;
            }
            kind = N_NUM, v = r, a = b = -1, A = B = NULL;
        }
    }
    int32_t depth = 1 + (A ? A->depth : 0);
    if (B && B->depth >= depth) depth = B->depth + 1;
    if (depth > LC_EXPR_MAX_DEPTH)
        return fail(p, pos, "expression nested too deeply (more than %d levels)", LC_EXPR_MAX_DEPTH);
    int32_t size = 1 + (A ? A->size : 0) + (B ? B->size : 0); /* each ≤ LC_EXPR_MAX_SIZE: no overflow */
    if (size > LC_EXPR_MAX_SIZE)
        return fail(p, pos, "expression too large (more than %d operations)", LC_EXPR_MAX_SIZE);
    if (t->n == t->cap) {
        int32_t cap = t->cap ? 2 * t->cap : 16;
        lc_xnode *nn = cap > t->cap ? lc_realloc(p->ctx, t->node, (size_t)cap, sizeof *nn) : NULL;
        if (!nn) {
            p->st = lc_fail(p->ctx, LC_ENOMEM, "lc_expr_compile", "out of memory");
            return -1;
        }
        t->node = nn, t->cap = cap;
        A = a >= 0 ? &t->node[a] : NULL, B = b >= 0 ? &t->node[b] : NULL;
    }
    int32_t col = p->args ? p->args_col : col_of(p->s, pos);
    t->node[t->n] = (lc_xnode){kind, fn, a, b, col, kind == N_VAR || (A && A->var) || (B && B->var), depth, size, v, rp, rq};
    return t->n++;
}

static int32_t parse_expr(parser *p);
static int32_t parse_unary(parser *p);

/* A number: digits [. digits] [e [+-] digits], at least one digit. */
static int32_t parse_number(parser *p)
{
    const char *s = p->s;
    size_t at = p->pos, i = at, digits = 0;
    while (is_digit((unsigned char)s[i])) i++, digits++;
    if (s[i] == '.')
        for (i++; is_digit((unsigned char)s[i]); i++) digits++;
    if (digits && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1 + (s[i + 1] == '+' || s[i + 1] == '-');
        if (!is_digit((unsigned char)s[j])) digits = 0;
        while (is_digit((unsigned char)s[j])) j++;
        i = j;
    }
    char buf[64];
    if (!digits || i - at >= sizeof buf)
        return fail(p, at, "bad number '%.*s'", (int)(i - at > 40 ? 40 : i - at), s + at);
    memcpy(buf, s + at, i - at);
    buf[i - at] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v)) return fail(p, at, "number '%s' is out of range", buf);
    p->pos = i;
    return node(p, N_NUM, 0, -1, -1, at, v);
}

/* name '(' expr (',' expr)* ')' for function f. */
static int32_t parse_call(parser *p, int f, size_t at)
{
    int32_t arg[2] = {-1, -1};
    int nargs = 0;
    p->pos++; /* '(' */
    for (;;) {
        int32_t e = parse_expr(p);
        if (e < 0) return -1;
        if (nargs < 2) arg[nargs] = e;
        nargs++;
        skip(p);
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] != ')') return unexpected(p, "expected ',' or ')'");
        p->pos++;
        break;
    }
    const lc_xfunc *fn = &lc_expr_funcs[f];
    if (nargs != fn->arity)
        return fail(p, at, "'%s' takes %d argument%s, got %d", fn->name, fn->arity, fn->arity > 1 ? "s" : "", nargs);
    if (fn->def) { /* read the definition, #1 and #2 standing for the arguments */
        parser q = {p->ctx, fn->def, 0, p->ast, p->depth, LC_OK, arg, col_of(p->s, at)};
        int32_t r = parse_expr(&q);
        p->st = q.st;
        return r;
    }
    if (!fn->f1 && !fn->f2) return node(p, N_POW, 0, arg[0], arg[1], at, 0.0);
    return node(p, N_FN, f, arg[0], arg[1], at, 0.0);
}

static int32_t parse_name(parser *p)
{
    const char *t = p->s + p->pos;
    size_t at = p->pos, n = name_len(t), shown = n > 40 ? 40 : n;
    int f = func_find(t, n);
    int64_t v = var_find(p->ast, t, n);
    p->pos += n;
    skip(p);
    if (p->s[p->pos] == '(') {
        if (f >= 0) return parse_call(p, f, at);
        if (v >= 0 || is_const_name(t, n))
            return fail(p, at, "'%.*s' is not a function", (int)shown, t);
        return fail(p, at, "unknown function '%.*s'", (int)shown, t);
    }
    if (v >= 0) return node(p, N_VAR, (int32_t)v, -1, -1, at, 0.0);
    if (n == 2 && !strncmp(t, "pi", 2)) return node(p, N_NUM, 0, -1, -1, at, 3.14159265358979323846);
    if (is_const_name(t, n)) return node(p, N_EPS, 0, -1, -1, at, 0.0);
    if (f >= 0) return fail(p, at, "function '%s' needs its arguments: %s(...)", lc_expr_funcs[f].name, lc_expr_funcs[f].name);
    char list[128] = "";
    const char *vn = p->ast->names;
    for (int64_t i = 0; i < p->ast->nvars; vn += strlen(vn) + 1, i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", vn);
    }
    return fail(p, at, "unknown variable '%.*s' (variables: %s)", (int)shown, t, list);
}

static int32_t parse_atom(parser *p)
{
    skip(p);
    unsigned char c = (unsigned char)p->s[p->pos];
    if (is_digit(c) || c == '.') return parse_number(p);
    if (c == '#' && p->args) return p->args[p->s[(p->pos += 2) - 1] - '1'];
    if (name_len(p->s + p->pos)) return parse_name(p);
    if (c == '(') {
        size_t at = p->pos++;
        int32_t e = parse_expr(p);
        if (e < 0) return -1;
        skip(p);
        if (p->s[p->pos] != ')') {
            char what[64];
            snprintf(what, sizeof what, "expected ')' to close the '(' of col %ld", (long)col_of(p->s, at));
            return unexpected(p, what);
        }
        p->pos++;
        return e;
    }
    return unexpected(p, "expected a number, a name or '('");
}

/* atom (('^' | '**') unary)? */
static int32_t parse_power(parser *p)
{
    int32_t a = parse_atom(p);
    if (a < 0) return -1;
    skip(p);
    const char *t = p->s + p->pos;
    if (*t != '^' && strncmp(t, "**", 2)) return a;
    size_t at = p->pos;
    p->pos += *t == '^' ? 1 : 2;
    int32_t b = parse_unary(p);
    return b < 0 ? -1 : node(p, N_POW, 0, a, b, at, 0.0);
}

static int32_t parse_unary(parser *p)
{
    if (++p->depth > LC_EXPR_MAX_DEPTH) return fail(p, p->pos, "expression nested too deeply (more than %d levels)", LC_EXPR_MAX_DEPTH);
    skip(p);
    char c = p->s[p->pos];
    int32_t r;
    if (c == '-' || c == '+') {
        size_t at = p->pos++;
        r = parse_unary(p);
        if (r >= 0 && c == '-') r = node(p, N_NEG, 0, r, -1, at, 0.0);
    } else {
        r = parse_power(p);
    }
    p->depth--;
    return r;
}

static int32_t parse_term(parser *p)
{
    int32_t a = parse_unary(p);
    for (;;) {
        if (a < 0) return -1;
        skip(p);
        const char *t = p->s + p->pos;
        if ((*t != '*' && *t != '/') || !strncmp(t, "**", 2)) return a;
        size_t at = p->pos++;
        int32_t b = parse_unary(p);
        a = b < 0 ? -1 : node(p, *t == '*' ? N_MUL : N_DIV, 0, a, b, at, 0.0);
    }
}

static int32_t parse_expr(parser *p)
{
    if (++p->depth > LC_EXPR_MAX_DEPTH) return fail(p, p->pos, "expression nested too deeply (more than %d levels)", LC_EXPR_MAX_DEPTH);
    int32_t a = parse_term(p);
    for (;;) {
        if (a < 0) break;
        skip(p);
        char c = p->s[p->pos];
        if (c != '+' && c != '-') break;
        size_t at = p->pos++;
        int32_t b = parse_term(p);
        a = b < 0 ? -1 : node(p, c == '+' ? N_ADD : N_SUB, 0, a, b, at, 0.0);
    }
    p->depth--;
    return a;
}

/* The variable list: names separated by commas or spaces, into ast->names. */
static lc_status parse_vars(lc_ctx *ctx, lc_xast *ast, const char *vars)
{
    size_t len = strlen(vars);
    char *names = lc_malloc(ctx, len + 1, 1);
    if (!names) return lc_fail(ctx, LC_ENOMEM, "lc_expr_compile", "out of memory");
    ast->names = names;
    size_t out = 0;
    for (size_t i = 0; vars[i];) {
        if (vars[i] == ',' || is_space((unsigned char)vars[i])) {
            i++;
            continue;
        }
        size_t n = name_len(vars + i);
        int bad = !n || (vars[i + n] && vars[i + n] != ',' && !is_space((unsigned char)vars[i + n]));
        const char *why = bad ? "is not a name" : func_find(vars + i, n) >= 0 ? "is a function"
                          : is_const_name(vars + i, n)                      ? "is a constant"
                          : var_find(ast, vars + i, n) >= 0                 ? "is repeated"
                                                                            : NULL;
        if (why) {
            size_t m = 0; /* the whole entry, up to its separator */
            while (vars[i + m] && vars[i + m] != ',' && !is_space((unsigned char)vars[i + m])) m++;
            return lc_fail(ctx, LC_EINVAL, "lc_expr_compile", "variable list \"%.60s\": '%.*s' %s", vars,
                           (int)(m > 40 ? 40 : m), vars + i, why);
        }
        memcpy(names + out, vars + i, n);
        names[out + n] = '\0';
        out += n + 1;
        ast->nvars++;
        i += n;
    }
    if (!ast->nvars) return lc_fail(ctx, LC_EINVAL, "lc_expr_compile", "no variable in the list \"%.60s\"", vars);
    return LC_OK;
}

void lc_expr_ast_clear(lc_ctx *ctx, lc_xast *ast)
{
    lc_free(ctx, ast->node);
    lc_free(ctx, ast->names);
    memset(ast, 0, sizeof *ast);
}

lc_status lc_expr_parse(lc_ctx *ctx, lc_xast *ast, const char *text, const char *vars)
{
    lc_status st = parse_vars(ctx, ast, vars ? vars : "x");
    parser p = {ctx, text, 0, ast, 0, st, NULL, 0};
    if (!st) {
        skip(&p);
        if (!text[p.pos]) fail(&p, p.pos, "empty expression");
        ast->root = parse_expr(&p);
        skip(&p);
        if (!p.st && text[p.pos]) unexpected(&p, "expected an operator");
    }
    if (p.st) lc_expr_ast_clear(ctx, ast);
    return p.st;
}
