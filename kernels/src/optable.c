/* SPDX-License-Identifier: MIT */
/* Device operations by name, for benchmarks (infnum-microbench --device cuda)
 * and tools: one signature for every op, as the microbench's CPU table. */
#include "infnum/cuda.h"
#include "infnum/ext.h"

#include <string.h>

#define LC_CUDA_FN(name, f)                                                                \
    static lc_status op_##name(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,         \
                               const lc_cuda_batch *a, const lc_cuda_batch *b)             \
    {                                                                                      \
        (void)b;                                                                           \
        return lc_cuda_apply(ctx, h, out, a, f);                                           \
    }
LC_CUDA_FN(exp, LC_CUDA_EXP)
LC_CUDA_FN(log, LC_CUDA_LOG)
LC_CUDA_FN(sin, LC_CUDA_SIN)
LC_CUDA_FN(cos, LC_CUDA_COS)
LC_CUDA_FN(tanh, LC_CUDA_TANH)
LC_CUDA_FN(sigmoid, LC_CUDA_SIGMOID)
LC_CUDA_FN(softplus, LC_CUDA_SOFTPLUS)
LC_CUDA_FN(abs, LC_CUDA_ABS)
LC_CUDA_FN(relu, LC_CUDA_RELU)
LC_CUDA_FN(sign, LC_CUDA_SIGN)
LC_CUDA_FN(step, LC_CUDA_STEP)
LC_CUDA_FN(floor, LC_CUDA_FLOOR)
LC_CUDA_FN(ceil, LC_CUDA_CEIL)
LC_CUDA_FN(round, LC_CUDA_ROUND)

static lc_status op_neg(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                        const lc_cuda_batch *a, const lc_cuda_batch *b)
{
    (void)b;
    return lc_cuda_neg(ctx, h, out, a);
}

static lc_status op_recip(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                          const lc_cuda_batch *a, const lc_cuda_batch *b)
{
    (void)b;
    return lc_cuda_recip(ctx, h, out, a);
}

static const struct {
    const char *name;
    lc_cuda_op_fn fn;
    int arity;
} ops[] = {{"add", lc_cuda_add, 2},   {"sub", lc_cuda_sub, 2},     {"mul", lc_cuda_mul, 2},
           {"div", lc_cuda_div, 2},   {"neg", op_neg, 1},          {"recip", op_recip, 1},
           {"exp", op_exp, 1},        {"log", op_log, 1},          {"sin", op_sin, 1},
           {"cos", op_cos, 1},        {"tanh", op_tanh, 1},        {"sigmoid", op_sigmoid, 1},
           {"softplus", op_softplus, 1}, {"abs", op_abs, 1},       {"relu", op_relu, 1},
           {"sign", op_sign, 1},      {"step", op_step, 1},        {"floor", op_floor, 1},
           {"ceil", op_ceil, 1},      {"round", op_round, 1},      {"max", lc_cuda_max, 2},
           {"min", lc_cuda_min, 2}};

lc_status lc_cuda_ngrad_finish(lc_ctx *ctx, lc_cuda_handle *h, lc_cuda_batch *out,
                               const lc_cuda_batch *y, const double *fx)
{
    lc_status st;
    lc_batch hs;
    lc_cuda_batch ds;
    if (!ctx) return LC_EINVAL;
    if (!h || !out || !y || (y->nrows && !fx))
        return lc_fail(ctx, LC_EINVAL, __func__, "NULL argument");
    lc_batch_init(&hs, LC_F64, LC_I64);
    lc_cuda_batch_init(&ds, LC_F64, LC_I64);
    st = lc_batch_set_real(ctx, &hs, y->nrows, fx);
    if (!st) st = lc_cuda_batch_to_device(ctx, h, &ds, &hs);
    if (!st) st = lc_cuda_sub(ctx, h, out, y, &ds);
    if (!st) st = lc_cuda_shift(ctx, h, out, out, -1, 1);
    lc_cuda_batch_free(h, &ds);
    lc_batch_clear(ctx, &hs);
    return st;
}

lc_cuda_op_fn lc_cuda_op_find(const char *name, int *arity)
{
    for (size_t i = 0; name && i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, name) == 0) {
            if (arity) *arity = ops[i].arity;
            return ops[i].fn;
        }
    return NULL;
}
