/* SPDX-License-Identifier: MIT */
/* CartPole estimators: the pathwise gradients (double forward mode and the
 * kernel estimator's forward mode in the Levi-Civita field) against finite
 * differences of the shaped return on a stretch where no decision flips, the
 * field version against the double version with the same kernel, the
 * termination's jump against its independent computation, the decision-flip
 * estimator against the finite change of the return where one decision
 * flips, determinism of the learning curves for a seed, and bad settings. */
#include "cartpole.h"
#include "lc_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static double zero_density(double d, const void *data)
{
    (void)d;
    (void)data;
    return 0.0;
}

static double gauss_density(double d, const void *data)
{
    return lc_kernel_eval(LC_KERNEL_GAUSSIAN, *(const double *)data, d);
}

/* Shaped return of the greedy episode and its action sequence (packed). */
static double shaped(const cp_policy *pol, const double *theta, const double u[4], int *acts,
                     int *T)
{
    cp_env env;
    double obs[4], J = 0.0;
    int term = 0, trunc = 0;
    cp_env_reset(&env, u);
    *T = 0;
    while (!term && !trunc) {
        cp_env_obs(&env, obs);
        const int a = cp_policy_act(pol, theta, obs);
        acts[(*T)++] = a;
        cp_env_step(&env, a, &term, &trunc);
        J += cp_shaped_reward(env.s);
    }
    return J;
}

/* Central differences of J along e_j, or NAN if a decision flips at ±h. */
static double fd(const cp_policy *pol, double *theta, const double u[4], int64_t j, double h)
{
    static int a0[CP_MAX_STEPS], a1[CP_MAX_STEPS], a2[CP_MAX_STEPS];
    int T0, T1, T2;
    const double t = theta[j];
    shaped(pol, theta, u, a0, &T0);
    theta[j] = t + h;
    const double Jp = shaped(pol, theta, u, a1, &T1);
    theta[j] = t - h;
    const double Jm = shaped(pol, theta, u, a2, &T2);
    theta[j] = t;
    if (T0 != T1 || T0 != T2 || memcmp(a0, a1, sizeof(int) * T0) || memcmp(a0, a2, sizeof(int) * T0))
        return NAN;
    return (Jp - Jm) / (2 * h);
}

/* minT: the shortest episode accepted as the stretch (the linear policy starts
 * from a balancing controller so that the stretch is long). */
static void test_gradients(cp_arch arch, int minT)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_policy pol;
    cp_policy_init(&ctx, &pol, arch, 4);
    const int64_t P = pol.nparams;
    double theta[64], work[8 * 64], g_pw[64], g_ns[64], g_ref[64], J_pw, J_ns;
    lc_rng rng;
    lc_rng_seed(&rng, 42);
    for (int64_t j = 0; j < P; j++) theta[j] = 0.5 * lc_rng_normal(&rng);
    if (arch == CP_LINEAR) { /* logit₁ − logit₀ ≈ 0.2x + 0.6ẋ + 8θ + 1.2θ̇ + noise */
        static const double k[4] = {0.1, 0.3, 4.0, 0.6};
        for (int i = 0; i < 4; i++) theta[i] = -k[i] + 0.05 * theta[i], theta[4 + i] = k[i];
    }
    int checked = 0;
    for (int trial = 0; trial < 40 && !checked; trial++) {
        double u[4], num[64];
        int acts[CP_MAX_STEPS], T;
        for (int i = 0; i < 4; i++) u[i] = lc_rng_uniform(&rng);
        if (shaped(&pol, theta, u, acts, &T), T < minT) continue;
        int ok = 1;
        for (int64_t j = 0; j < P && ok; j++) ok = !isnan(num[j] = fd(&pol, theta, u, j, 1e-6));
        if (!ok) continue; /* a decision flips: not a smooth stretch */
        checked = 1;
        int64_t T_pw, T_ns;
        /* σ tiny: no point mass reaches a decision with |d| ≫ σ. */
        const double tiny = 1e-12;
        cp_pathwise_rollout(&pol, theta, u, zero_density, NULL, work, &J_pw, g_pw, &T_pw, NULL);
        cp_ns ns;
        CHECK_MSG(cp_ns_init(&ctx, &ns, &pol, LC_KERNEL_GAUSSIAN, tiny) == LC_OK, "ns init: %s",
              ctx.err);
        ns.term_jump = 0; /* T held fixed, as the finite differences */
        lc_status st = cp_ns_rollout(&ctx, &ns, theta, u, &J_ns, g_ns, &T_ns);
        CHECK_MSG(st == LC_OK, "ns rollout: %s", ctx.err);
        CHECK_MSG(T_pw == T_ns && fabs(J_pw - J_ns) <= 1e-9 * fabs(J_pw), "arch %d: J %g/%g T %lld/%lld",
              arch, J_pw, J_ns, (long long)T_pw, (long long)T_ns);
        for (int64_t j = 0; j < P; j++) {
            const double tol = 1e-4 * fmax(1.0, fabs(num[j]));
            CHECK_MSG(fabs(g_pw[j] - num[j]) <= tol, "arch %d pathwise ∂J/∂θ%lld = %.10g, FD %.10g",
                  arch, (long long)j, g_pw[j], num[j]);
            CHECK_MSG(fabs(g_ns[j] - num[j]) <= tol, "arch %d kernel (field) ∂J/∂θ%lld = %.10g, FD %.10g",
                  arch, (long long)j, g_ns[j], num[j]);
        }
        /* With a kernel wide enough to reach the decisions, the field gives the
         * double forward mode's numbers with the same density. */
        double sigma = 2.0;
        cp_ns_clear(&ctx, &ns);
        CHECK_MSG(cp_ns_init(&ctx, &ns, &pol, LC_KERNEL_GAUSSIAN, sigma) == LC_OK, "ns init");
        ns.term_jump = 0;
        cp_pathwise_rollout(&pol, theta, u, gauss_density, &sigma, work, &J_pw, g_ref, &T_pw, NULL);
        st = cp_ns_rollout(&ctx, &ns, theta, u, &J_ns, g_ns, &T_ns);
        CHECK_MSG(st == LC_OK, "ns rollout: %s", ctx.err);
        double diff = 0.0, norm = 0.0, dnum = 0.0;
        for (int64_t j = 0; j < P; j++) {
            diff = fmax(diff, fabs(g_ns[j] - g_ref[j]));
            norm = fmax(norm, fabs(g_ref[j]));
            dnum = fmax(dnum, fabs(g_ref[j] - num[j]));
        }
        CHECK_MSG(diff <= 1e-8 * norm, "arch %d: field vs double with σ = 2: max diff %g of %g", arch,
              diff, norm);
        CHECK_MSG(dnum > 1e-3 * norm, "arch %d: the spread point masses change the gradient", arch);
        cp_ns_clear(&ctx, &ns);
        printf("arch %d: T = %lld, |∇J| max %g, checked against FD\n", arch, (long long)T_ns,
               norm);
    }
    CHECK_MSG(checked, "arch %d: no smooth stretch found", arch);
    lc_ctx_clear(&ctx);
}

/* The termination's jump in the field (term_jump = 1) is the field rollout
 * without it plus −C·ṁ/Δm, with C the continuation's shaped return, m the
 * violated margin, ṁ its tangent from the double forward mode and Δm its
 * last increment, all computed here independently. */
static void test_term_jump(cp_arch arch)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_policy pol;
    cp_policy_init(&ctx, &pol, arch, 3);
    const int64_t P = pol.nparams;
    double theta[64], work[8 * 64], g0[64], g1[64], gpw[64], J0, J1, Jpw, sigma = 0.5;
    lc_rng rng;
    lc_rng_seed(&rng, 3);
    int checked = 0;
    for (int trial = 0; trial < 20 && checked < 3; trial++) {
        double u[4];
        for (int64_t j = 0; j < P; j++) theta[j] = 0.3 * lc_rng_normal(&rng);
        for (int i = 0; i < 4; i++) u[i] = lc_rng_uniform(&rng);
        /* the double episode: its last two states */
        cp_env env, prev;
        double obs[4];
        int term = 0, trunc = 0;
        cp_env_reset(&env, u);
        prev = env;
        while (!term && !trunc) {
            prev = env;
            cp_env_obs(&env, obs);
            cp_env_step(&env, cp_policy_act(&pol, theta, obs), &term, &trunc);
        }
        if (!term) continue;
        int64_t n, T0, T1, Tpw;
        const double C = cp_continuation(&pol, theta, &env, &n);
        const double mx = fabs(env.s[0]) / CP_X_THRESHOLD - 1, mt = fabs(env.s[2]) / CP_THETA_THRESHOLD - 1;
        const int k = mt > mx ? 2 : 0;
        const double K = k ? CP_THETA_THRESHOLD : CP_X_THRESHOLD;
        const double dm = fabs(env.s[k]) / K - fabs(prev.s[k]) / K;
        cp_pathwise_rollout(&pol, theta, u, gauss_density, &sigma, work, &Jpw, gpw, &Tpw, NULL);
        cp_ns ns;
        CHECK_MSG(cp_ns_init(&ctx, &ns, &pol, LC_KERNEL_GAUSSIAN, sigma) == LC_OK, "init");
        ns.term_jump = 0;
        CHECK_MSG(cp_ns_rollout(&ctx, &ns, theta, u, &J0, g0, &T0) == LC_OK, "%s", ctx.err);
        CHECK_MSG(ns.extra_steps == 0, "no continuation without the jump");
        ns.term_jump = 1;
        CHECK_MSG(cp_ns_rollout(&ctx, &ns, theta, u, &J1, g1, &T1) == LC_OK, "%s", ctx.err);
        CHECK_MSG(T0 == env.t && T1 == env.t && Tpw == env.t && J0 == J1,
                  "the field terminates where the double environment does: %lld %lld %d",
                  (long long)T0, (long long)T1, env.t);
        CHECK_MSG(ns.extra_steps == n && n >= 1, "continuation steps %lld, want %lld",
                  (long long)ns.extra_steps, (long long)n);
        double err = 0, norm = 0;
        for (int64_t j = 0; j < P; j++) {
            const double mdot = (env.s[k] > 0 ? 1.0 : -1.0) * work[k * P + j] / K;
            const double want = g0[j] - C * mdot / dm;
            err = fmax(err, fabs(g1[j] - want));
            norm = fmax(norm, fabs(want - g0[j]));
        }
        CHECK_MSG(dm > 0 && norm > 0 && err <= 1e-8 * fmax(1.0, norm),
                  "arch %d: termination jump off by %g (size %g, C %g, dm %g)", arch, err, norm,
                  C, dm);
        cp_ns_clear(&ctx, &ns);
        checked++;
    }
    CHECK_MSG(checked == 3, "arch %d: %d terminated episodes checked", arch, checked);
    lc_ctx_clear(&ctx);
}

/* Return of the greedy episode from u. */
static double ret_of(const cp_policy *pol, const double *theta, const double u[4])
{
    cp_env env;
    double obs[4];
    int term = 0, trunc = 0;
    cp_env_reset(&env, u);
    while (!term && !trunc) {
        cp_env_obs(&env, obs);
        cp_env_step(&env, cp_policy_act(pol, theta, obs), &term, &trunc);
    }
    return env.t;
}

/* Decision flips on short episodes of the linear policy: along a random
 * direction v, the first decision t* to flip is at h* = −d(t*) / (v·∇d(t*))
 * (d is linear in θ while the trajectory is unchanged). The estimator's jump
 * for t* just before the flip equals the finite change of the return across
 * it, R(θ + h*(1+δ)v) − R(θ + h*(1−δ)v) (sign: R[a=1] − R[a=0]), and its
 * gradient is Σ_t Δ_t·κσ(d_t)·∇d_t summed here naively. */
static void test_flip(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_policy pol;
    cp_policy_init(&ctx, &pol, CP_LINEAR, 0);
    double theta[10], v[10], th[10], work[7 * CP_MAX_STEPS + 16], grad[10], jumps[CP_MAX_STEPS];
    lc_rng rng, r2;
    lc_rng_seed(&rng, 11);
    int nonzero = 0, cases = 0;
    for (int trial = 0; trial < 400 && nonzero < 5; trial++) {
        double u[4], R, o[4], l[2];
        for (int j = 0; j < 10; j++) theta[j] = lc_rng_normal(&rng), v[j] = lc_rng_normal(&rng);
        for (int i = 0; i < 4; i++) u[i] = lc_rng_uniform(&rng);
        if (ret_of(&pol, theta, u) > 40) continue; /* short episodes */
        /* the first crossing along v on the unchanged trajectory */
        cp_env env;
        int term = 0, trunc = 0, tstar = -1;
        double hstar = INFINITY;
        cp_env_reset(&env, u);
        while (!term && !trunc) {
            cp_env_obs(&env, o);
            cp_policy_logits(&pol, theta, o, l);
            double gd = 0; /* v·∇d at this observation */
            for (int i = 0; i < 4; i++) gd += (v[4 + i] - v[i]) * o[i];
            gd += v[9] - v[8];
            const double h = -(l[1] - l[0]) / gd;
            if (h > 0 && h < hstar) hstar = h, tstar = env.t;
            cp_env_step(&env, l[1] > l[0], &term, &trunc);
        }
        if (tstar < 0) continue;
        const double delta = 1e-9;
        for (int j = 0; j < 10; j++) th[j] = theta[j] + hstar * (1 - delta) * v[j];
        const double Rm = ret_of(&pol, th, u);
        for (int j = 0; j < 10; j++) th[j] = theta[j] + hstar * (1 + delta) * v[j];
        const double Rp = ret_of(&pol, th, u);
        for (int j = 0; j < 10; j++) th[j] = theta[j] + hstar * (1 - delta) * v[j];
        lc_rng_seed(&r2, 1);
        int64_t steps;
        const double sigma = 1e3; /* every decision a candidate */
        cp_flip_rollout(&pol, th, u, LC_KERNEL_GAUSSIAN, sigma, CP_MAX_STEPS, &r2, work, &R,
                        grad, &steps, jumps, NULL);
        /* the gap at t* grows along v iff v·∇d > 0: then a goes 0 → 1 */
        cp_env at;
        cp_env_reset(&at, u);
        for (int t = 0; t < tstar; t++) {
            cp_env_obs(&at, o);
            cp_env_step(&at, cp_policy_act(&pol, th, o), &term, &trunc);
        }
        cp_env_obs(&at, o);
        double gd = 0;
        for (int i = 0; i < 4; i++) gd += (v[4 + i] - v[i]) * o[i];
        gd += v[9] - v[8];
        const double finite = gd > 0 ? Rp - Rm : Rm - Rp;
        CHECK_MSG(R == Rm, "return %g, want %g", R, Rm);
        CHECK_MSG(jumps[tstar] == finite,
                  "decision %d: estimator's jump %g, finite change of the return %g", tstar,
                  jumps[tstar], finite);
        /* naive reference of the gradient */
        double ref[10] = {0}, err = 0, norm = 0;
        cp_env_reset(&at, u);
        for (int t = 0; t < (int)R; t++) {
            cp_env_obs(&at, o);
            cp_policy_logits(&pol, th, o, l);
            const double w = jumps[t] * lc_kernel_eval(LC_KERNEL_GAUSSIAN, sigma, l[1] - l[0]);
            for (int i = 0; i < 4; i++) ref[i] -= w * o[i], ref[4 + i] += w * o[i];
            ref[8] -= w, ref[9] += w;
            cp_env_step(&at, l[1] > l[0], &term, &trunc);
        }
        for (int j = 0; j < 10; j++) err = fmax(err, fabs(grad[j] - ref[j])), norm = fmax(norm, fabs(ref[j]));
        CHECK_MSG(err <= 1e-12 * fmax(norm, 1e-300), "gradient off the naive sum by %g of %g", err, norm);
        CHECK_MSG(steps >= (int64_t)R, "steps %lld count the re-simulations", (long long)steps);
        cases++;
        nonzero += finite != 0;
    }
    CHECK_MSG(nonzero >= 5, "%d flips with a nonzero change of the return (%d cases)", nonzero, cases);
    printf("decision flip: %d short episodes, %d with a nonzero jump, each equal to the finite "
           "change of the return\n", cases, nonzero);
    lc_ctx_clear(&ctx);
}

static int same_curve(const cp_curve *a, const cp_curve *b)
{
    return a->n == b->n && a->steps_to_solve == b->steps_to_solve &&
           !memcmp(a->steps, b->steps, sizeof *a->steps * (size_t)a->n) &&
           !memcmp(a->ret_mean, b->ret_mean, sizeof *a->ret_mean * (size_t)a->n) &&
           !memcmp(a->ret_std, b->ret_std, sizeof *a->ret_std * (size_t)a->n);
}

static void test_determinism(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    for (int e = 0; e < CP_NEST; e++) {
        cp_config cfg;
        cp_config_default(&cfg);
        cfg.est = (cp_est)e;
        cfg.arch = e % 2 ? CP_MLP : CP_LINEAR;
        cfg.hidden = 3;
        cfg.budget = e == CP_KERNEL ? 600 : 3000;
        cfg.eval_every = cfg.budget / 3;
        cfg.eval_episodes = 5;
        cfg.batch = 2;
        if (e == CP_PPO) cfg.batch = 256, cfg.minibatch = 64, cfg.epochs = 2;
        cfg.seed = 7;
        cp_curve c[3];
        double th[3][64];
        CHECK_MSG(cp_train(&ctx, &cfg, &c[0], th[0], NULL, NULL) == LC_OK, "%s: %s",
              cp_est_name(cfg.est), ctx.err);
        CHECK_MSG(cp_train(&ctx, &cfg, &c[1], th[1], NULL, NULL) == LC_OK, "%s", ctx.err);
        cfg.seed = 8;
        CHECK_MSG(cp_train(&ctx, &cfg, &c[2], th[2], NULL, NULL) == LC_OK, "%s", ctx.err);
        CHECK_MSG(same_curve(&c[0], &c[1]) && !memcmp(th[0], th[1], sizeof(double) * 10),
              "%s: same seed, same curve", cp_est_name(cfg.est));
        CHECK_MSG(c[0].n >= 4 && c[0].steps[0] == 0 && c[0].steps[c[0].n - 1] >= cfg.budget,
              "%s: %lld points, ends at %lld", cp_est_name(cfg.est), (long long)c[0].n,
              (long long)c[0].steps[c[0].n - 1]);
        CHECK_MSG(memcmp(th[0], th[2], sizeof(double) * 10) != 0, "%s: another seed, another run",
              cp_est_name(cfg.est));
        for (int k = 0; k < 3; k++) cp_curve_clear(&ctx, &c[k]);
    }
    lc_ctx_clear(&ctx);
}

/* The first-order form against the P-row batches (randomised): the same
 * episode length, continuation steps and decisions noted, the return and
 * gradient to rounding; θ = 0 ties every decision exactly (L1 − L0 = 0, its
 * ε part of either sign by direction), so the rows part and the batches
 * give the rollout. */
static void test_first_order(cp_arch arch)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_policy pol;
    cp_policy_init(&ctx, &pol, arch, 4);
    const int64_t P = pol.nparams;
    double theta[64], g[2][64], J[2];
    lc_rng rng;
    lc_rng_seed(&rng, 11);
    cp_ns ns;
    CHECK_MSG(cp_ns_init(&ctx, &ns, &pol, LC_KERNEL_GAUSSIAN, 0.5) == LC_OK, "init: %s", ctx.err);
    int fast = 0;
    for (int trial = 0; trial < 24; trial++) {
        double u[4];
        const double s = trial == 0 ? 0.0 : 0.2 + 0.1 * (trial % 5);
        for (int64_t j = 0; j < P; j++) theta[j] = s * lc_rng_normal(&rng);
        for (int i = 0; i < 4; i++) u[i] = lc_rng_uniform(&rng);
        ns.sigma = 0.05 + lc_rng_uniform(&rng);
        int64_t T[2], extra[2];
        cp_gaps gp[2] = {{0}};
        for (int b = 0; b < 2; b++) {
            ns.first_order = !b;
            ns.gaps = &gp[b];
            CHECK_MSG(cp_ns_rollout(&ctx, &ns, theta, u, &J[b], g[b], &T[b]) == LC_OK, "%s", ctx.err);
            extra[b] = ns.extra_steps;
            if (b == 0) fast += ns.ran_first_order;
            if (b == 0 && trial == 0)
                CHECK_MSG(!ns.ran_first_order, "arch %d: θ = 0 parts the rows", arch);
        }
        double err = fabs(J[0] - J[1]), norm = fabs(J[1]);
        for (int64_t j = 0; j < P; j++)
            err = fmax(err, fabs(g[0][j] - g[1][j])), norm = fmax(norm, fabs(g[1][j]));
        CHECK_MSG(T[0] == T[1] && extra[0] == extra[1] && gp[0].n == gp[1].n &&
                      gp[0].dead == gp[1].dead && err <= 1e-9 * fmax(1.0, norm),
                  "arch %d trial %d: first order vs batches: T %lld/%lld, extra %lld/%lld, "
                  "decisions %lld/%lld, max diff %g of %g",
                  arch, trial, (long long)T[0], (long long)T[1], (long long)extra[0],
                  (long long)extra[1], (long long)gp[0].n, (long long)gp[1].n, err, norm);
    }
    CHECK_MSG(fast == 23, "arch %d: %d of 23 untied rollouts in first-order form", arch, fast);
    cp_ns_clear(&ctx, &ns);
    lc_ctx_clear(&ctx);
}

/* Every allocation of a short kernel-estimator run may fail: the run reports
 * LC_ENOMEM with a message, frees everything and leaves an empty curve, or
 * (a fast path in the core declining) succeeds with the clean run's curve.
 * The first run (k = 0) counts the allocations of a clean run; with
 * init_std = 0 (θ = 0: the rows part, the batches run the episode) at least
 * min_nomem of them are fatal. */
static void test_alloc_failure(double init_std, int min_nomem)
{
    cp_config cfg;
    cp_config_default(&cfg);
    cfg.init_std = init_std;
    cfg.est = CP_KERNEL;
    cfg.arch = CP_MLP;
    cfg.hidden = 2;
    cfg.budget = 1; /* one update: one episode */
    cfg.eval_every = 1;
    cfg.eval_episodes = 1;
    cfg.batch = 1;
    int fails = 0, nomem = 0;
    int64_t total = 0, n0 = 0;
    double ret0 = 0;
    /* Every k up to 400 (set-up and the first steps), then every 61st. */
    for (long k = 0; k <= total; k += k < 400 ? 1 : 61) {
        lt_alloc f = {0, k, 0};
        lc_ctx ctx;
        lc_ctx_init(&ctx);
        lt_alloc_install(&ctx, &f);
        cp_curve c;
        lc_status st = cp_train(&ctx, &cfg, &c, NULL, NULL, NULL);
        if (k == 0) {
            CHECK_MSG(st == LC_OK, "clean run: %s", ctx.err);
            total = f.count;
            if (st == LC_OK) n0 = c.n, ret0 = c.ret_mean[c.n - 1];
        }
        if (st == LC_OK) {
            fails += c.n != n0 || c.ret_mean[c.n - 1] != ret0;
            cp_curve_clear(&ctx, &c);
        } else {
            fails += st != LC_ENOMEM || c.n != 0 || !ctx.err[0];
            nomem++;
        }
        lc_ctx_clear(&ctx);
        if (f.live != 0) {
            fails++;
            printf("allocation %ld failing: %lld blocks leaked\n", k, (long long)f.live);
        }
    }
    CHECK_MSG(fails == 0 && nomem > min_nomem,
              "allocation failures (init_std %g): %d bad outcomes, %d fatal (%lld allocations)", init_std, fails,
              nomem, (long long)total);
}

static void test_bad_config(void)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    cp_config cfg;
    cp_curve c;
    cp_config_default(&cfg);
    cfg.sigma = -1.0;
    CHECK_MSG(cp_train(&ctx, &cfg, &c, NULL, NULL, NULL) == LC_EINVAL && strstr(ctx.err, "sigma"),
          "negative sigma: %s", ctx.err);
    CHECK_MSG(c.n == 0 && c.steps == NULL, "no curve after failure");
    cp_config_default(&cfg);
    cfg.budget = 0;
    CHECK_MSG(cp_config_invalid(&cfg) && !strcmp(cp_config_invalid(&cfg), "budget"), "budget 0");
    CHECK_MSG(cp_est_from_name("es") == CP_ES && cp_est_from_name("ES") < 0, "names");
    CHECK_MSG(cp_est_from_name("kernel") == CP_KERNEL && cp_est_from_name("nonstandard") == CP_KERNEL &&
                  !strcmp(cp_est_name(CP_KERNEL), "kernel"),
              "kernel, and its former name nonstandard on input");
    lc_ctx_clear(&ctx);
}

int main(void)
{
    test_gradients(CP_LINEAR, 60);
    test_gradients(CP_MLP, 10);
    test_term_jump(CP_LINEAR);
    test_term_jump(CP_MLP);
    test_first_order(CP_LINEAR);
    test_first_order(CP_MLP);
    test_flip();
    test_determinism();
    test_alloc_failure(0.1, 80);
    test_alloc_failure(0.0, 400);
    test_bad_config();
    return lt_report("test_cartpole_train");
}
