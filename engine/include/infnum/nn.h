/* SPDX-License-Identifier: MIT */
/*
 * infnum — a small training engine: seeded RNG, optimizers, and an MLP with
 * discontinuous activations trained under a chosen gradient estimator.
 *
 *   lc_nn_cfg cfg; lc_nn_cfg_init(&cfg);            // 784-256-10, relu, adam
 *   lc_act_from_name(&ctx, "step", &cfg.act, &cfg.bits);
 *   lc_est_from_name(&ctx, "nonstandard:sigma=0.5", &cfg.est);
 *   lc_nn net; lc_nn_init(&ctx, &net, &cfg);         // weights from cfg.seed
 *   lc_nn_train_epoch(&ctx, &net, X, Y, 60000, progress, NULL, &stats);
 *   lc_nn_evaluate(&ctx, &net, Xt, Yt, 10000, &acc, &loss);
 *   lc_nn_clear(&ctx, &net);
 *
 * Everything is deterministic for a given seed and BLAS thread count. After
 * the first training step with a given batch size, a step allocates nothing
 * (the tape and every buffer are reused). All allocation goes through ctx.
 */
#ifndef INFNUM_NN_H
#define INFNUM_NN_H
/* Declarations below are exported by the shared library (built with hidden
 * visibility: whatever no public header declares stays internal). */
#pragma GCC visibility push(default)

#include "infnum/infnum.h"
#include "infnum/tape.h"
#include "infnum/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------------- optimizers */

typedef enum lc_opt_kind { LC_OPT_SGD = 0, LC_OPT_ADAM } lc_opt_kind;

/* Settings are public; m, v and the counters are the optimizer's state. */
typedef struct lc_opt {
    lc_opt_kind kind;
    double lr;           /* learning rate (default 0.1 SGD, 1e-3 Adam)       */
    double momentum;     /* SGD: v ← μ·v + g; θ ← θ − lr·v (default 0.9)     */
    double beta1, beta2; /* Adam moment decays (0.9, 0.999)                  */
    double eps;          /* Adam ε̂ (1e-8)                                    */
    double weight_decay; /* L2: g ← g + λθ before the update (default 0)     */
    int64_t n;           /* parameter count of the state (0 until 1st step)  */
    int64_t t;           /* steps taken                                      */
    double *m, *v;       /* state: SGD velocity in m; Adam moments m, v      */
} lc_opt;

/* Sets o to kind with the defaults above; allocates nothing. */
void lc_opt_init(lc_opt *o, lc_opt_kind kind);
/* Parses "sgd" / "adam" into o (lc_opt_init defaults). LC_EINVAL otherwise. */
lc_status lc_opt_from_name(lc_ctx *ctx, const char *name, lc_opt *o);
/* One update of theta[0..n-1] with gradient g (Adam with bias correction).
 * The first call allocates the state for n parameters (zeroed); later calls
 * allocate nothing and need the same n (LC_ESHAPE). LC_ENONFINITE for a
 * non-finite gradient (theta untouched): the training diverged. */
lc_status lc_opt_step(lc_ctx *ctx, lc_opt *o, double *theta, const double *g, int64_t n);
/* Frees the state and zeroes the counters (settings kept). */
void lc_opt_clear(lc_ctx *ctx, lc_opt *o);

/* --------------------------------------------------------------------- MLP */

/* Hidden activations. round_k is the k-bit quantiser on [0, 1]:
 * q(x) = round((2^k − 1)·clip(x, 0, 1)) / (2^k − 1) (lc_tape_quant). */
typedef enum lc_act { LC_ACT_RELU = 0, LC_ACT_STEP, LC_ACT_SIGN, LC_ACT_ROUND } lc_act;

/* Parses "relu", "step", "sign", "round_K" (K in 1..24, e.g. "round_2")
 * into act and bits (bits = 0 unless round). LC_EINVAL otherwise. */
lc_status lc_act_from_name(lc_ctx *ctx, const char *name, lc_act *act, int32_t *bits);
/* Records activation act on x (estimator: t->est). */
lc_var lc_nn_activation(lc_tape *t, lc_act act, int32_t bits, lc_var x);
/* Records the smooth relaxation of act at temperature tau > 0 on x: step →
 * s(x/τ), sign → 2·s(x/τ) − 1, round_K → (1/m)·Σ_k s((x − (k + ½)/m)/τ),
 * k < m = 2^K − 1 (s the logistic sigmoid); relu stays relu. */
lc_var lc_nn_relaxed(lc_tape *t, lc_act act, int32_t bits, double tau, lc_var x);

#define LC_NN_MAX_HIDDEN 4

typedef struct lc_nn_cfg {
    int64_t nin, nout;                /* 784, 10                            */
    int32_t nhidden;                  /* hidden layers, 0..LC_NN_MAX_HIDDEN */
    int64_t hidden[LC_NN_MAX_HIDDEN]; /* widths (256)                       */
    lc_act act;                       /* relu                               */
    int32_t bits;                     /* round_k's k                        */
    lc_est est;                       /* classical                          */
    lc_opt opt;                       /* settings only: adam, lr 1e-3       */
    int64_t batch;                    /* mini-batch size (128)              */
    uint64_t seed;                    /* init and shuffling (1)             */
    /* > 0: train through lc_nn_relaxed at this temperature, predict and
     * evaluate with the hard activation (the smooth-relaxation baseline). */
    double relax;                     /* 0                                  */
} lc_nn_cfg;

/* Defaults in the comments above. */
void lc_nn_cfg_init(lc_nn_cfg *cfg);

/* Per-step statistics. Layer l = 0..nhidden (the last is the output layer). */
typedef struct lc_nn_stats {
    double loss;                            /* mean cross-entropy of the batch    */
    double acc;                             /* batch accuracy                     */
    double grad_norm[LC_NN_MAX_HIDDEN + 1]; /* ‖dL/dW_l‖₂ (weights and bias)      */
    /* fraction of exactly-zero entries of dL/dW_l (weights only)               */
    double zero_frac[LC_NN_MAX_HIDDEN + 1];
    /* fraction of exactly-zero entries of dL/d(pre-activation) of hidden l     */
    double act_zero_frac[LC_NN_MAX_HIDDEN];
    int64_t steps;                          /* steps averaged (epoch stats)       */
} lc_nn_stats;

/* Progress hook of lc_nn_train_epoch, after every step; nonzero stops. */
typedef int (*lc_nn_progress)(int64_t step, int64_t nsteps, const lc_nn_stats *st, void *data);

/* The network; fields are read-only for the caller. Parameters are one
 * contiguous array: layer l has W_l (out×in, row-major) at params + w_off[l]
 * and b_l (out) at params + b_off[l]. */
typedef struct lc_nn {
    lc_nn_cfg cfg;
    int64_t nparams;
    double *params, *grad;
    int64_t w_off[LC_NN_MAX_HIDDEN + 1], b_off[LC_NN_MAX_HIDDEN + 1];
    lc_tape tape;
    lc_opt opt;
    lc_rng rng;      /* shuffling stream (seeded from cfg.seed)           */
    int64_t *perm;   /* sample order of the current epoch                 */
    int64_t perm_n;
    int32_t *ybuf;   /* labels of the current mini-batch                  */
    float *xbuf;     /* inputs of the current mini-batch (batch × nin)    */
    double *cbuf;    /* composite: dL/d(pre-activations) and scratch       */
    int64_t cbuf_n;
    int64_t *cidx;   /* composite: indices of changed units (widest layer) */
    int64_t cidx_n;
} lc_nn;

/* Validates cfg (LC_EINVAL naming the field), allocates the parameters and
 * initialises them from cfg.seed: W_l ~ N(0, 2/fan_in) (He), b_l = 0. */
lc_status lc_nn_init(lc_ctx *ctx, lc_nn *net, const lc_nn_cfg *cfg);
void lc_nn_clear(lc_ctx *ctx, lc_nn *net);
/* net->cfg.est = *e (validated by lc_est_check; unchanged on failure): the
 * estimator of the next gradients, e.g. to compare estimators on one net. */
lc_status lc_nn_set_est(lc_ctx *ctx, lc_nn *net, const lc_est *e);
/* net->grad = dL/dθ of the mean cross-entropy of a mini-batch x (n × nin),
 * labels y, under cfg.est; *loss (may be NULL) its value. Under the
 * composite estimator with a jump activation this takes the fast path
 * (engine/src/nn_composite.c): for every hidden unit of every row, the loss
 * of that row with the unit's output moved to each side of each breakpoint
 * within the kernel's reach, later layers re-evaluated (their own jumps and
 * ties as the field decides them for exact reals); the same numbers as the
 * tape's field replay (tested). The parameters are not changed. */
lc_status lc_nn_gradient(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n, double *loss);
/* One step on a mini-batch x (n × nin floats, row-major), labels y (n, in
 * [0, nout)): forward (dgemm), backward under cfg.est, optimizer update.
 * st (may be NULL) receives the step's statistics. On error the parameters
 * are unchanged. Allocates nothing after the first call with n ≤ a previous n. */
lc_status lc_nn_train_step(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n,
                           lc_nn_stats *st);
/* One epoch over X (n × nin) in a fresh random order from net->rng, in
 * mini-batches of cfg.batch (the last one may be smaller). mean (may be
 * NULL) receives the statistics averaged over the steps. progress may be
 * NULL. */
lc_status lc_nn_train_epoch(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n,
                            lc_nn_progress progress, void *data, lc_nn_stats *mean);
/* Class predictions (argmax of the logits; ties to the lowest class). */
lc_status lc_nn_predict(lc_ctx *ctx, lc_nn *net, const float *x, int64_t n, int32_t *pred);
/* Accuracy and mean cross-entropy over a data set (either output may be NULL). */
lc_status lc_nn_evaluate(lc_ctx *ctx, lc_nn *net, const float *x, const int32_t *y, int64_t n,
                         double *acc, double *loss);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif /* INFNUM_NN_H */
