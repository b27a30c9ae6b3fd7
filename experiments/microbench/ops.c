/* SPDX-License-Identifier: MIT */
/* The timed operations of infnum-microbench: one function per op, one table. */
#include "microbench.h"

#include "infnum/expr.h"

#include <string.h>

static lc_status op_add(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { return lc_add(c, o, a, b); }
static lc_status op_sub(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { return lc_sub(c, o, a, b); }
static lc_status op_mul(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { return lc_mul(c, o, a, b); }
static lc_status op_div(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { return lc_div(c, o, a, b); }
static lc_status op_recip(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_recip(c, o, a); }
static lc_status op_exp(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_exp(c, o, a); }
static lc_status op_abs(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_abs(c, o, a); }
static lc_status op_step(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_step(c, o, a); }
static lc_status op_sign(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_sign(c, o, a); }
static lc_status op_round(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_round(c, o, a); }
static lc_status op_floor(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b) { (void)b; return lc_floor(c, o, a); }

/* The task's f(x) = x·sin x + step(x−1) + round(2x)/2, by hand (temporaries
 * of its own) and as an expression compiled in the call (infnum/expr.h): the
 * ratio task_expr / task_hand is the layer's cost, compilation included. */
static lc_status op_task_hand(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b)
{
    (void)b;
    lc_batch t, u;
    lc_batch_init(&t, LC_F64, LC_I32);
    lc_batch_init(&u, LC_F64, LC_I32);
    lc_status st = lc_sin(c, &t, a);
    if (!st) st = lc_mul(c, &t, a, &t);
    if (!st) st = lc_add_real(c, &u, a, -1.0);
    if (!st) st = lc_step(c, &u, &u);
    if (!st) st = lc_add(c, &t, &t, &u);
    if (!st) st = lc_scale(c, &u, a, 2.0);
    if (!st) st = lc_round(c, &u, &u);
    if (!st) st = lc_scale(c, &u, &u, 0.5);
    if (!st) st = lc_add(c, o, &t, &u);
    lc_batch_clear(c, &t);
    lc_batch_clear(c, &u);
    return st;
}
static lc_status op_task_expr(lc_ctx *c, lc_batch *o, const lc_batch *a, const lc_batch *b)
{
    (void)b;
    lc_expr *f;
    lc_status st = lc_expr_compile(c, &f, "x*sin(x) + step(x-1) + round(2*x)/2", "x");
    if (!st) st = lc_expr_eval(c, f, o, a, 1);
    lc_expr_free(c, f);
    return st;
}

const mb_op mb_ops[] = {
    {"add", op_add, 2},     {"sub", op_sub, 2},     {"mul", op_mul, 2},     {"div", op_div, 2},
    {"recip", op_recip, 1}, {"exp", op_exp, 1},     {"abs", op_abs, 1},     {"step", op_step, 1},
    {"sign", op_sign, 1},   {"round", op_round, 1}, {"floor", op_floor, 1}, {"task_hand", op_task_hand, 1},
    {"task_expr", op_task_expr, 1}, {0}};

const mb_op *mb_op_find(const char *name)
{
    for (const mb_op *o = mb_ops; o->name; o++)
        if (!strcmp(o->name, name)) return o;
    return NULL;
}
