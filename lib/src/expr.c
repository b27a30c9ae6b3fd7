/* SPDX-License-Identifier: MIT */
/* The expression layer: compiles the syntax tree of expr_parse.c into a plan
 * (a list of batch operations on registers, in postfix order) and runs it.
 *
 * Operands are the variables (the caller's batches), constants (one-row
 * exact batches made at compile time, broadcast by the operations) and
 * registers (batches owned by the plan and reused across calls). A register
 * is released after its single use, so the plan needs as many as the tree's
 * widest point; an operation may write over its own input register. The
 * last operation writes straight into the caller's y. A number operand of
 * +, -, *, / (by a power of two) or ^ becomes lc_add_real, lc_scale,
 * lc_pow_si, lc_pow_q (an exact rational such as 1/3) or lc_pow, as one
 * would write by hand. A subtree used twice (the argument of tan(a) =
 * sin(a)/cos(a)) is computed twice.
 */
#include "expr_parse.h"

#include "infnum/expr.h"
#include "infnum/ext.h"

#include <math.h>
#include <string.h>

typedef enum { S_VAR, S_CONST, S_REG, S_Y } slot_t;
typedef struct opnd {
    slot_t t;
    int32_t i;
} opnd;

typedef enum { I_UN, I_BIN, I_ADDR, I_SCALE, I_POWSI, I_POWQ, I_POWR, I_COPY, I_EXPAND } ins_t;
typedef struct ins {
    ins_t kind;
    lc_un_fn f1;
    lc_bin_fn f2;
    opnd dst, a, b;
    double s;
    int64_t n, q; /* I_POWSI: n; I_POWQ: n/q */
    int32_t col;
    const char *name; /* for messages: "log", "+" */
} ins;

struct lc_expr {
    int64_t nvars;
    char *names;
    ins *code;
    int32_t ncode, code_cap;
    lc_batch *consts;
    int32_t nconst, const_cap;
    lc_batch *regs;
    int32_t nreg;
    uint8_t *busy; /* busy[r]: register r holds a live value (compile time) */
    int64_t *idx;  /* zeros for broadcasting a constant result          */
    int64_t idx_cap;
};

/* Grows *p (of *cap elements of size sz) to hold n; 0 on failure. */
static int grow(lc_ctx *ctx, void **p, int32_t *cap, int32_t n, size_t sz)
{
    if (n <= *cap) return 1;
    int32_t c = *cap ? 2 * *cap : 8;
    void *q = c >= n ? lc_realloc(ctx, *p, (size_t)c, sz) : NULL;
    if (!q) return 0;
    *p = q, *cap = c;
    return 1;
}

typedef struct gen {
    lc_ctx *ctx;
    lc_expr *e;
    const lc_xast *ast;
    lc_status st;
} gen;

static opnd oom(gen *g)
{
    if (!g->st) g->st = lc_fail(g->ctx, LC_ENOMEM, "lc_expr_compile", "out of memory");
    return (opnd){S_Y, 0};
}

static void release(gen *g, opnd o)
{
    if (o.t == S_REG) g->e->busy[o.i] = 0;
}

/* The lowest free register (a new one if all are busy). */
static opnd reg_new(gen *g)
{
    lc_expr *e = g->e;
    for (int32_t r = 0; r < e->nreg; r++)
        if (!e->busy[r]) return e->busy[r] = 1, (opnd){S_REG, r};
    lc_batch *regs = lc_realloc(g->ctx, e->regs, (size_t)e->nreg + 1, sizeof *regs);
    if (regs) e->regs = regs;
    uint8_t *busy = regs ? lc_realloc(g->ctx, e->busy, (size_t)e->nreg + 1, 1) : NULL;
    if (!busy) return oom(g);
    e->busy = busy;
    lc_batch_init(&e->regs[e->nreg], LC_F64, LC_I32);
    e->busy[e->nreg] = 1;
    return (opnd){S_REG, e->nreg++};
}

/* A one-row exact constant: the real v, or ε when eps is set. */
static opnd const_new(gen *g, double v, int eps)
{
    lc_expr *e = g->e;
    if (!grow(g->ctx, (void **)&e->consts, &e->const_cap, e->nconst + 1, sizeof *e->consts)) return oom(g);
    lc_batch *c = &e->consts[e->nconst];
    lc_batch_init(c, LC_F64, LC_I32);
    e->nconst++;
    lc_status st = eps ? lc_batch_set_monomial(g->ctx, c, 1, 1.0, 1, 1) : lc_batch_set_real(g->ctx, c, 1, &v);
    if (st && !g->st) g->st = st;
    return (opnd){S_CONST, e->nconst - 1};
}

/* Appends an instruction writing to dst (a new register unless to_y). */
static opnd emit(gen *g, ins in, int to_y)
{
    lc_expr *e = g->e;
    release(g, in.a);
    if (in.kind == I_BIN) release(g, in.b);
    in.dst = to_y ? (opnd){S_Y, 0} : reg_new(g);
    if (g->st) return in.dst;
    if (!grow(g->ctx, (void **)&e->code, &e->code_cap, e->ncode + 1, sizeof *e->code)) return oom(g);
    e->code[e->ncode++] = in;
    return in.dst;
}

static int is_num(const lc_xnode *n) { return n->kind == N_NUM; }

static opnd gen_node(gen *g, int32_t k, int to_y);

static opnd un(gen *g, const lc_xnode *n, lc_un_fn f, const char *name, opnd a, int to_y)
{
    return emit(g, (ins){I_UN, f, NULL, {0}, a, {S_Y, 0}, 0.0, 0, 0, n->col, name}, to_y);
}
static opnd bin(gen *g, const lc_xnode *n, lc_bin_fn f, const char *name, int to_y)
{
    opnd a = gen_node(g, n->a, 0), b = gen_node(g, n->b, 0);
    return emit(g, (ins){I_BIN, NULL, f, {0}, a, b, 0.0, 0, 0, n->col, name}, to_y);
}
/* kind(a, s): the other operand of n is the number s. */
static opnd with_num(gen *g, const lc_xnode *n, ins_t kind, int32_t a, double s, const char *name, int to_y)
{
    opnd o = gen_node(g, a, 0);
    const lc_xnode *B = n->b >= 0 ? &g->ast->node[n->b] : NULL;
    int64_t k = kind == I_POWSI ? (int64_t)s : kind == I_POWQ ? B->p : 0; /* |s| <= 2^53 there */
    return emit(g, (ins){kind, NULL, NULL, {0}, o, {S_Y, 0}, s, k, kind == I_POWQ ? B->q : 0, n->col, name}, to_y);
}

static opnd gen_node(gen *g, int32_t k, int to_y)
{
    if (g->st) return (opnd){S_Y, 0};
    const lc_xnode *n = &g->ast->node[k];
    const lc_xnode *A = n->a >= 0 ? &g->ast->node[n->a] : NULL, *B = n->b >= 0 ? &g->ast->node[n->b] : NULL;
    int frexp_e;
    switch (n->kind) {
    case N_VAR: return (opnd){S_VAR, n->fn};
    case N_NUM: return const_new(g, n->v, 0);
    case N_EPS: return const_new(g, 0.0, 1);
    case N_NEG: return un(g, n, lc_neg, "-", gen_node(g, n->a, 0), to_y);
    case N_ADD:
        if (is_num(B)) return with_num(g, n, I_ADDR, n->a, B->v, "+", to_y);
        if (is_num(A)) return with_num(g, n, I_ADDR, n->b, A->v, "+", to_y);
        return bin(g, n, lc_add, "+", to_y);
    case N_SUB:
        if (is_num(B)) return with_num(g, n, I_ADDR, n->a, -B->v, "-", to_y);
        return bin(g, n, lc_sub, "-", to_y);
    case N_MUL:
        if (is_num(B)) return with_num(g, n, I_SCALE, n->a, B->v, "*", to_y);
        if (is_num(A)) return with_num(g, n, I_SCALE, n->b, A->v, "*", to_y);
        return bin(g, n, lc_mul, "*", to_y);
    case N_DIV:
        if (is_num(B) && B->v != 0.0 && fabs(frexp(B->v, &frexp_e)) == 0.5 && isfinite(1.0 / B->v))
            return with_num(g, n, I_SCALE, n->a, 1.0 / B->v, "/", to_y);
        return bin(g, n, lc_div, "/", to_y);
    case N_POW:
        if (is_num(B) && B->v == floor(B->v) && fabs(B->v) <= 0x1p53)
            return with_num(g, n, I_POWSI, n->a, B->v, "^", to_y);
        if (is_num(B) && B->q > 1) return with_num(g, n, I_POWQ, n->a, B->v, "^", to_y);
        if (is_num(B)) return with_num(g, n, I_POWR, n->a, B->v, "^", to_y);
        /* a^b = exp(b·log a) */
        opnd l = un(g, n, lc_log, "^ (log of the base)", gen_node(g, n->a, 0), 0);
        opnd b = gen_node(g, n->b, 0);
        opnd m = emit(g, (ins){I_BIN, NULL, lc_mul, {0}, b, l, 0.0, 0, 0, n->col, "^"}, 0);
        return un(g, n, lc_exp, "^", m, to_y);
    case N_FN: {
        const lc_xfunc *f = &lc_expr_funcs[n->fn];
        if (f->f2) return bin(g, n, f->f2, f->name, to_y);
        return un(g, n, f->f1, f->name, gen_node(g, n->a, 0), to_y);
    }
    }
    return (opnd){S_Y, 0};
}

void lc_expr_free(lc_ctx *ctx, lc_expr *e)
{
    if (!e) return;
    for (int32_t i = 0; i < e->nconst; i++) lc_batch_clear(ctx, &e->consts[i]);
    for (int32_t i = 0; i < e->nreg; i++) lc_batch_clear(ctx, &e->regs[i]);
    lc_free(ctx, e->consts);
    lc_free(ctx, e->regs);
    lc_free(ctx, e->busy);
    lc_free(ctx, e->code);
    lc_free(ctx, e->names);
    lc_free(ctx, e->idx);
    lc_free(ctx, e);
}

lc_status lc_expr_compile(lc_ctx *ctx, lc_expr **out, const char *text, const char *vars)
{
    if (!ctx) return LC_EINVAL;
    if (!out || !text) {
        if (out) *out = NULL;
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    }
    *out = NULL;
    lc_xast ast;
    memset(&ast, 0, sizeof ast);
    lc_status st = lc_expr_parse(ctx, &ast, text, vars);
    if (st) return st;
    lc_expr *e = lc_malloc(ctx, 1, sizeof *e);
    if (!e) {
        lc_expr_ast_clear(ctx, &ast);
        return lc_fail(ctx, LC_ENOMEM, __func__, "out of memory");
    }
    memset(e, 0, sizeof *e);
    e->nvars = ast.nvars;
    e->names = ast.names;
    ast.names = NULL;
    gen g = {ctx, e, &ast, LC_OK};
    const lc_xnode *root = &ast.node[ast.root];
    if (root->kind == N_VAR) { /* y = x: a copy */
        emit(&g, (ins){I_COPY, NULL, NULL, {0}, {S_VAR, root->fn}, {S_Y, 0}, 0.0, 0, 0, root->col, "copy"}, 1);
    } else if (!root->var) { /* a constant: computed on one row, then broadcast */
        opnd c = gen_node(&g, ast.root, 0);
        emit(&g, (ins){I_EXPAND, NULL, NULL, {0}, c, {S_Y, 0}, 0.0, 0, 0, root->col, "broadcast"}, 1);
    } else {
        gen_node(&g, ast.root, 1);
    }
    lc_expr_ast_clear(ctx, &ast);
    if (g.st) {
        lc_expr_free(ctx, e);
        return g.st;
    }
    *out = e;
    return LC_OK;
}

int64_t lc_expr_nvars(const lc_expr *e) { return e ? e->nvars : 0; }

const char *lc_expr_var(const lc_expr *e, int64_t i)
{
    if (!e || i < 0 || i >= e->nvars) return NULL;
    const char *v = e->names;
    while (i--) v += strlen(v) + 1;
    return v;
}

static const lc_batch *get(const lc_expr *e, const lc_batch *x, lc_batch *y, opnd o)
{
    return o.t == S_VAR ? &x[o.i] : o.t == S_CONST ? &e->consts[o.i] : o.t == S_REG ? &e->regs[o.i] : y;
}

/* One instruction; d is its destination. */
static lc_status run(lc_ctx *ctx, lc_expr *e, const ins *in, lc_batch *d, const lc_batch *a, const lc_batch *b,
                     int64_t nrows)
{
    switch (in->kind) {
    case I_UN: return in->f1(ctx, d, a);
    case I_BIN: return in->f2(ctx, d, a, b);
    case I_ADDR: return lc_add_real(ctx, d, a, in->s);
    case I_SCALE: return lc_scale(ctx, d, a, in->s);
    case I_POWSI: return lc_pow_si(ctx, d, a, in->n);
    case I_POWQ: return lc_pow_q(ctx, d, a, in->n, in->q);
    case I_POWR: return lc_pow(ctx, d, a, in->s);
    case I_COPY: return lc_batch_copy(ctx, d, a);
    case I_EXPAND:
        if (nrows > e->idx_cap) {
            int64_t *idx = lc_realloc(ctx, e->idx, (size_t)nrows, sizeof *idx);
            if (!idx) return lc_fail(ctx, LC_ENOMEM, "lc_expr_eval", "out of memory");
            memset(idx, 0, (size_t)nrows * sizeof *idx);
            e->idx = idx, e->idx_cap = nrows;
        }
        return lc_batch_gather(ctx, d, a, e->idx, nrows);
    }
    return LC_OK;
}

lc_status lc_expr_eval(lc_ctx *ctx, lc_expr *e, lc_batch *y, const lc_batch *x, int64_t nvars)
{
    if (!ctx) return LC_EINVAL;
    if (!e || !y || !x) return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    if (nvars != e->nvars)
        return lc_fail(ctx, LC_EINVAL, __func__, "%lld variables given, the expression has %lld", (long long)nvars,
                       (long long)e->nvars);
    for (int64_t i = 0; i < nvars; i++) {
        if (&x[i] == y) return lc_fail(ctx, LC_EINVAL, __func__, "y is the input of variable %lld", (long long)i);
        if (x[i].nrows != x[0].nrows)
            return lc_fail(ctx, LC_ESHAPE, __func__, "variable %lld has %lld rows, variable 0 %lld", (long long)i,
                           (long long)x[i].nrows, (long long)x[0].nrows);
    }
    for (int32_t k = 0; k < e->ncode; k++) {
        const ins *in = &e->code[k];
        lc_batch *d = in->dst.t == S_Y ? y : &e->regs[in->dst.i];
        ctx->err[0] = '\0';
        lc_status st = run(ctx, e, in, d, get(e, x, y, in->a), get(e, x, y, in->b), x[0].nrows);
        if (st) {
            char msg[LC_ERRMSG_LEN];
            memcpy(msg, ctx->err, sizeof msg);
            msg[sizeof msg - 1] = '\0';
            return lc_fail(ctx, st, __func__, "col %ld (%s): %s", (long)in->col, in->name, msg[0] ? msg : lc_status_str(st));
        }
    }
    return LC_OK;
}

lc_status lc_expr_fn(lc_ctx *ctx, lc_batch *y, const lc_batch *x, void *data)
{
    return lc_expr_eval(ctx, data, y, x, 1);
}

lc_status lc_expr_fn_vec(lc_ctx *ctx, lc_batch *y, const lc_batch *x, int64_t nvars, void *data)
{
    return lc_expr_eval(ctx, data, y, x, nvars);
}
