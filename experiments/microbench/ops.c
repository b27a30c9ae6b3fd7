/* The timed operations of infnum-microbench: one function per op, one table. */
#include "microbench.h"

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

const mb_op mb_ops[] = {
    {"add", op_add, 2},     {"sub", op_sub, 2},     {"mul", op_mul, 2},     {"div", op_div, 2},
    {"recip", op_recip, 1}, {"exp", op_exp, 1},     {"abs", op_abs, 1},     {"step", op_step, 1},
    {"sign", op_sign, 1},   {"round", op_round, 1}, {"floor", op_floor, 1}, {0}};

const mb_op *mb_op_find(const char *name)
{
    for (const mb_op *o = mb_ops; o->name; o++)
        if (!strcmp(o->name, name)) return o;
    return NULL;
}
