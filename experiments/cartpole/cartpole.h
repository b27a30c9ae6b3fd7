/* SPDX-License-Identifier: MIT */
/*
 * CartPole with a hard-argmax policy: environment, policies, estimators
 * (static library infnum_cartpole; prefix cp_). docs/cartpole.md has the
 * formulas; paper/sections/cartpole.tex the experiment.
 *
 * Functions returning lc_status leave a message in ctx->err on failure; they
 * allocate only through ctx's hooks and never exit. No global state.
 */
#ifndef INFNUM_CARTPOLE_H
#define INFNUM_CARTPOLE_H

#include "infnum/infnum.h"
#include "infnum/ext.h" /* lc_malloc, lc_free, lc_fail */
#include "infnum/first.h" /* lc_fo: the rollout's fast path */
#include "infnum/nn.h"  /* lc_rng, lc_opt, lc_kernel */

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ environment
 * Gymnasium's CartPoleEnv (v1) constants. */
#define CP_GRAVITY 9.8
#define CP_MASSCART 1.0
#define CP_MASSPOLE 0.1
#define CP_TOTAL_MASS (CP_MASSPOLE + CP_MASSCART)
#define CP_LENGTH 0.5 /* half the pole's length */
#define CP_POLEMASS_LENGTH (CP_MASSPOLE * CP_LENGTH)
#define CP_FORCE_MAG 10.0
#define CP_TAU 0.02
#define CP_THETA_THRESHOLD (12.0 * 2.0 * 3.14159265358979323846 / 360.0)
#define CP_X_THRESHOLD 2.4
#define CP_MAX_STEPS 500 /* TimeLimit of CartPole-v1 */
#define CP_RESET_HALF 0.05
#define CP_SOLVED 475.0 /* reward threshold of CartPole-v1 */

/* State (x, ẋ, θ, θ̇) in double and the steps taken since the reset. */
typedef struct cp_env {
    double s[4];
    int t;
} cp_env;

/* Reset: s[i] = -0.05 + 0.1·u[i] for uniforms u[i] ∈ [0, 1), t = 0. */
void cp_env_reset(cp_env *env, const double u[4]);
/* Accelerations (ẍ, θ̈) at state s under force (Gymnasium's equations). */
void cp_env_accel(const double s[4], double force, double *xacc, double *thacc);
/* 1 if s is terminal: |x| > 2.4 or |θ| > 12° (strictly beyond). */
int cp_env_terminal(const double s[4]);
/* One step: force +10 for action 1, −10 otherwise; explicit Euler with every
 * variable updated from the old values. Returns the reward (1 on every step,
 * the terminating one included); *terminated per cp_env_terminal of the new
 * state, *truncated when t reaches 500. */
double cp_env_step(cp_env *env, int action, int *terminated, int *truncated);
/* Observation: the state rounded to float32 (as Gymnasium returns it). */
void cp_env_obs(const cp_env *env, double obs[4]);

/* --------------------------------------------------------------- policies */

#define CP_MAX_HIDDEN 64

typedef enum cp_arch { CP_LINEAR = 0, CP_MLP = 1 } cp_arch;

/* linear: logits = W·o + b (10 parameters); mlp: W2·tanh(W1·o + b1) + b2
 * with H hidden units (7H + 2 parameters). */
typedef struct cp_policy {
    cp_arch arch;
    int hidden;
    int64_t nparams;
} cp_policy;

/* Sets up pol; LC_EINVAL for an unknown arch or hidden outside 1..64. */
lc_status cp_policy_init(lc_ctx *ctx, cp_policy *pol, cp_arch arch, int hidden);
/* Logits of the policy θ at observation o. */
void cp_policy_logits(const cp_policy *pol, const double *theta, const double obs[4],
                      double logit[2]);
/* Greedy action: argmax of the logits, an exact tie going to action 0 (the
 * lowest index, as lc_argmax). */
int cp_policy_act(const cp_policy *pol, const double *theta, const double obs[4]);
/* Forward-mode product: logits and their tangent along the observation
 * tangent obs_dot (NULL: zero) and the parameter direction e_j (j < 0: none).
 * logit_dot may be NULL (then obs_dot and j are ignored). */
void cp_policy_jvp(const cp_policy *pol, const double *theta, const double obs[4],
                   const double *obs_dot, int64_t j, double logit[2], double *logit_dot);
/* Reverse-mode product: grad += gᵀ·∂logits/∂θ at observation o. */
void cp_policy_vjp(const cp_policy *pol, const double *theta, const double obs[4],
                   const double g[2], double *grad);

/* ------------------------------------------------------------ kernel death
 * A decision's gap d = logit₁ − logit₀ is "dead" for a kernel estimator when
 * its density there is below 10⁻¹⁰ of its peak, g(d)/g(0) < CP_DEAD_RATIO:
 * no gradient reaches it. Training counts the visited states and the dead
 * ones, and the mean d² (the logit scale that σ may be tied to). */
#define CP_DEAD_RATIO 1e-10

typedef struct cp_gaps {
    int64_t n, dead; /* decisions seen, dead ones */
    double sum_d2;   /* Σ d²                      */
} cp_gaps;

/* Counts one decision of gap d with density ratio g(d)/g(0) (gaps may be NULL). */
void cp_gaps_note(cp_gaps *gaps, double d, double ratio);

/* ------------------------------------------------------ shaped objective
 * The pathwise estimators differentiate the shaped return of one episode
 *   J(θ) = Σ_{t=1..T} c(s_t),  c(s) = 1 − ½(x/2.4)² − ½(θ/θ_max)²,
 * with T the episode's length (the straight-through estimator holds T fixed;
 * the kernel one includes the jump of the termination, below). */
double cp_shaped_reward(const double s[4]);

/* Shaped return of the greedy policy θ continued from env (the terminal test
 * of env's own state not applied) until it terminates or reaches 500 steps;
 * *steps = the steps taken (≥ 1 unless env->t ≥ 500). */
double cp_continuation(const cp_policy *pol, const double *theta, const cp_env *env,
                       int64_t *steps);

/* Density g(d) that spreads the jump of the force F·(2·1[d>0] − 1) at d = 0,
 * d = logit₁ − logit₀: ∂force/∂d := 2F·g(d). */
typedef double (*cp_density)(double d, const void *data);

/* Pathwise forward mode in double: one episode of the hard-argmax policy
 * from the reset uniforms u, with the tangents of the state along every
 * parameter direction; the force's tangent is 2F·g(d)·ḋ. Writes the shaped
 * return *J, its gradient grad[P] and the episode length *steps; on return
 * work[i·P + j] (i < 4) holds ∂s_i/∂θ_j of the final state. work holds 8·P
 * doubles. Every decision is noted in gaps (may be NULL). */
void cp_pathwise_rollout(const cp_policy *pol, const double *theta, const double u[4],
                         cp_density g, const void *gdata, double *work, double *J, double *grad,
                         int64_t *steps, cp_gaps *gaps);

/* The kernel estimator: forward mode in the Levi-Civita field. The P
 * parameter directions are one batch of P rows (row j: θ + ε·e_j + O(ε²));
 * the state, the logits, sin/cos and the dynamics are field arithmetic in Gymnasium's
 * order (so the standard parts are the double environment's); the action of
 * every row is decided by the field's order (argmax of the two logits); the
 * force gets, in its ε part, the point mass of the jump spread by the kernel:
 * J·κσ(d − b)·[ε]d with b, J from lc_disc_jump(LC_DISC_STEP) times 2F.
 * Termination is decided per row by the order on |x| − 2.4 and |θ| − θ_max;
 * with term_jump set, its jump is included: the shaped return C that the
 * episode would collect if it went on (cp_continuation) is lost at the
 * violated margin m = |x|/2.4 − 1 or |θ|/θ_max − 1 crossing 0, spread
 * uniformly over the margin's last increment Δm (0 < m ≤ Δm), so row j's ε
 * part gains −C·[ε]m/Δm. While every row takes the same decisions (the
 * rows then share their standard parts), the episode runs in first-order
 * form (lc_fo: one standard part, P ε coefficients); a rollout where the
 * rows' decisions part (an exact tie, decided per row by its ε part) is run
 * again from the start on the P-row batches. Buffers are allocated by
 * cp_ns_init and reused (no allocation per step). sigma may be changed
 * between rollouts.
 * What the field supplies: b = 0 and J = 1, constants (lc_disc_jump, once in
 * cp_ns_init); the ε parts, which are the first-order forward-mode tangents
 * (cp_pathwise_rollout's numbers with the same density, to rounding); and
 * the decisions by the order, which are the double comparisons except at an
 * exact tie of a standard part, where each row follows the sign of its ε
 * part. C, Δm and the standard parts are double computations. */
typedef struct cp_ns {
    const cp_policy *pol;
    int64_t P;
    lc_kernel kernel;
    double sigma;
    int term_jump;        /* include the termination's jump (cp_ns_init: 1) */
    int first_order;      /* try the first-order form first (cp_ns_init: 1) */
    int ran_first_order;  /* the last rollout ran in first-order form      */
    cp_gaps *gaps;        /* decisions noted here (may be NULL)             */
    int64_t extra_steps;  /* environment steps of the last continuations    */
    lc_batch *par;  /* P batches of P rows: the parameters           */
    lc_batch *v;    /* nv batches: state, observations, temporaries  */
    int64_t nv;
    lc_fo *fo;      /* nv + P: v and par in first-order form          */
    double step_b, step_J; /* lc_disc_jump(LC_DISC_STEP): breakpoint, jump */
    double *buf;    /* 12·P doubles                                   */
    int64_t *ibuf;  /* 4·P + 1                                        */
    int *sgn;       /* P                                              */
} cp_ns;

lc_status cp_ns_init(lc_ctx *ctx, cp_ns *ns, const cp_policy *pol, lc_kernel kernel,
                     double sigma);
void cp_ns_clear(lc_ctx *ctx, cp_ns *ns);
/* One episode from the reset uniforms u: *J = the shaped return (standard
 * part of row 0), grad[j] = the ε coefficient of row j, *steps = its length
 * (on failure: the steps taken before it); ns->extra_steps = the steps of the
 * termination's continuation. */
lc_status cp_ns_rollout(lc_ctx *ctx, cp_ns *ns, const double *theta, const double u[4],
                        double *J, double *grad, int64_t *steps);

/* ---------------------------------------------------- decision flips
 * The return R(θ) of the hard-argmax policy (the steps survived, ≤ 500) is
 * piecewise constant in θ: its derivative is a sum of point masses where a
 * decision flips. For decision t (state s_t, gap d_t), the jump of the
 * composite return across the step's breakpoint d_t = 0 is
 *   Δ_t = R[a_t = 1] − R[a_t = 0],
 * the other action's return evaluated by re-simulating from s_t with the
 * decision flipped and the greedy policy through the rest of the episode;
 * it is spread by the kernel over the gap:
 *   ĝ = Σ_t Δ_t·κσ(d_t)·∇θ d_t      (∇θ d_t at the fixed observation).
 * Decisions with κσ(d_t) < 10⁻¹⁰κσ(0) are left out (dead); of the
 * others at most max_flips are re-simulated, drawn without replacement from
 * rng, each weighted by (candidates / drawn). Cost: the episode plus every
 * re-simulation (counted in *steps). */

/* One episode from the reset uniforms u: *R = its return, grad[P] = ĝ
 * (overwritten), *steps = the environment steps used, jumps[t] (may be NULL;
 * CP_MAX_STEPS doubles) = Δ_t of the re-simulated decisions, NAN for the
 * others. work holds 7·CP_MAX_STEPS doubles. */
void cp_flip_rollout(const cp_policy *pol, const double *theta, const double u[4],
                     lc_kernel kernel, double sigma, int max_flips, lc_rng *rng, double *work,
                     double *R, double *grad, int64_t *steps, double *jumps, cp_gaps *gaps);
/* Return of the episode that reaches env and takes `action` there, then the
 * greedy policy (env->t steps already taken count); *steps = the steps
 * simulated from env. */
double cp_flip_return(const cp_policy *pol, const double *theta, const cp_env *env, int action,
                      int64_t *steps);

typedef struct cp_config cp_config;

/* ------------------------------------------------------- value network
 * V(o) = w₂·tanh(W₁·o + b₁) + b₂ with H hidden units (6H + 1 parameters,
 * layout W₁[H][4], b₁[H], w₂[H], b₂): the learned baseline of reinforce and
 * the critic of ppo. */
int64_t cp_value_nparams(int hidden);
double cp_value(int hidden, const double *phi, const double obs[4]);
/* grad += g·∂V(o)/∂φ. */
void cp_value_vjp(int hidden, const double *phi, const double obs[4], double g, double *grad);
/* W₁ ~ N(0, ¼) from rng (1/fan-in), the rest 0. */
void cp_value_init(int hidden, double *phi, lc_rng *rng);

/* PPO (clipped surrogate, GAE(γ, λ), a value network with its own Adam at
 * the same step size, gradients clipped to norm 0.5, advantages normalised
 * per rollout, no entropy bonus). Each update: a rollout of N = batch steps
 * with actions sampled from softmax(logits), the episode carried over
 * between rollouts; then `epochs` passes of minibatches of `minibatch`
 * steps, each an Adam step of the policy (popt) and of the value network.
 * The clip range is cfg->sigma. Values are fitted in units of 1/(1−γ). */
typedef struct cp_ppo {
    int64_t N, nv;
    double *phi, *vgrad, *pgrad;            /* value parameters, gradients   */
    double *obs, *logp, *val, *adv, *ret;   /* rollout: 4N, N, N, N, N (+1)  */
    int *act, *term;                        /* N, N                          */
    int64_t *idx;                           /* N: minibatch permutation      */
    lc_opt vopt;
    cp_env env;
    int need_reset;
} cp_ppo;

lc_status cp_ppo_init(lc_ctx *ctx, cp_ppo *pp, const cp_config *cfg, int64_t P, lc_rng *rng);
void cp_ppo_clear(lc_ctx *ctx, cp_ppo *pp);
/* One rollout and its epochs; theta and popt updated in place; *steps = N. */
lc_status cp_ppo_update(lc_ctx *ctx, cp_ppo *pp, const cp_config *cfg, const cp_policy *pol,
                        double *theta, lc_opt *popt, lc_rng *rng, int64_t *steps);

/* --------------------------------------------------------------- training */

typedef enum cp_est {
    CP_REINFORCE = 0,
    CP_PPO,
    CP_ES,
    CP_STRAIGHT_THROUGH,
    CP_KERNEL,
    CP_DECISION_FLIP,
    CP_NEST
} cp_est;

/* "reinforce", "ppo", "es", "straight_through", "kernel", "decision_flip"
 * → estimator ("nonstandard", the kernel estimator's former name, → kernel);
 * -1 if unknown. */
int cp_est_from_name(const char *name);
const char *cp_est_name(cp_est e);

#define CP_MAX_BUDGET 1000000000000LL /* environment steps */

struct cp_config {
    cp_est est;
    cp_arch arch;
    int hidden;
    uint64_t seed;
    int64_t budget;        /* environment steps of training              */
    int64_t eval_every;    /* environment steps between evaluations      */
    int eval_episodes;     /* greedy episodes per evaluation (100)       */
    double lr;             /* Adam step size                             */
    double init_std;       /* initial parameters ~ N(0, init_std²)       */
    int batch;             /* episodes (reinforce, pathwise) or antithetic pairs (es) per update */
    double gamma;          /* reinforce: discount of the return-to-go    */
    double sigma;          /* es: perturbation std; straight_through: softmax temperature;
                              kernel, decision_flip: kernel width; ppo: clip range */
    int sigma_logit;       /* kernel estimators: width = sigma × the RMS logit gap of the
                              previous update's decisions (1 for the first update) */
    lc_kernel kernel;      /* kernel, decision_flip: kernel              */
    int value_hidden;      /* reinforce, ppo: hidden units of the value network */
    double lam;            /* ppo: GAE λ                                 */
    int epochs;            /* ppo: passes over each rollout              */
    int minibatch;         /* ppo: steps per minibatch                   */
    int max_flips;         /* decision_flip: re-simulated decisions per episode */
    const double *step_jump; /* kernel: {b, J} in place of the field's lc_disc_jump
                                (NULL: the field's; for the ablation test) */
};

/* Learning curve: n evaluation points. */
typedef struct cp_curve {
    int64_t n, cap;
    int64_t *steps;     /* environment steps of training at the point */
    double *ret_mean;   /* mean greedy return over the evaluation episodes */
    double *ret_std;
    double *wall;       /* training seconds so far (evaluations excluded) */
    double *dead;       /* kernel estimators: dead fraction of the decisions since the
                           previous point (NAN at 0 and for the other estimators) */
    double *sigma_eff;  /* kernel width used by the last update (NAN: none) */
    int64_t steps_to_solve; /* first point with mean ≥ 475; -1 = not reached */
    int64_t updates;
    int64_t skipped;    /* updates skipped for a non-finite gradient */
} cp_curve;

typedef void (*cp_progress_fn)(void *user, int64_t steps, double ret);

/* Defaults for every field (est = reinforce, linear policy). For ppo,
 * batch is the rollout length in steps. */
void cp_config_default(cp_config *cfg);
/* NULL if cfg is valid, else the name of the first invalid setting (the
 * parameter name of infnum-cartpole). Limits: budget ≤ 10¹², at most 10⁷
 * evaluations, batch ≤ 10⁴, sigma > 0, 0 < gamma ≤ 1, lr > 0, value_hidden in
 * 1..64, 0 ≤ lam ≤ 1, epochs in 1..100, minibatch in 1..batch (ppo),
 * max_flips in 1..500, step_jump (if set) finite. */
const char *cp_config_invalid(const cp_config *cfg);
/* Trains from cfg.seed to the budget; fills the curve (caller frees with
 * cp_curve_clear) and the final parameters in theta_out (may be NULL; P
 * doubles). progress (may be NULL) is called after every evaluation. */
lc_status cp_train(lc_ctx *ctx, const cp_config *cfg, cp_curve *curve, double *theta_out,
                   cp_progress_fn progress, void *user);
void cp_curve_clear(lc_ctx *ctx, cp_curve *curve);

/* Mean and std of the greedy return over n episodes from rng stream `seed`. */
void cp_evaluate(const cp_policy *pol, const double *theta, int n, uint64_t seed, double *mean,
                 double *std);

#endif
