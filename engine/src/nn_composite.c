/* SPDX-License-Identifier: MIT */
/* The composite estimator's fast path for the MLP: the jumps of each row's
 * loss as one hidden unit crosses a breakpoint of its activation, later
 * layers re-evaluated with sparse updates (tape.h gives the definition; the
 * tape's field replay computes the same numbers, tests/engine). */
#include "nn_internal.h"
#include "tape_internal.h"
#include "est_internal.h"
#include "infnum/ext.h"

#include <math.h>
#include <string.h>

static int64_t width_in(const lc_nn_cfg *c, int l) { return l == 0 ? c->nin : c->hidden[l - 1]; }
static int64_t width_out(const lc_nn_cfg *c, int l) { return l == c->nhidden ? c->nout : c->hidden[l]; }

/* The activation's value at x (the tape's forward rule). */
static double act_value(const lc_ctx *ctx, const lc_nn_cfg *c, double x)
{
    switch (c->act) {
    case LC_ACT_STEP: return _lc_tape_fun_value(ctx, LC_FUN_STEP, x);
    case LC_ACT_SIGN: return _lc_tape_fun_value(ctx, LC_FUN_SIGN, x);
    case LC_ACT_ROUND: return _lc_tape_quant_value(ctx, c->bits, x);
    default: return x > 0 ? x : 0.0;
    }
}

/* Cross-entropy of one row of logits z (k) against label y. */
static double xent_row(const double *z, int64_t k, int32_t y)
{
    double mx = z[0], s = 0;
    for (int64_t j = 1; j < k; j++) mx = z[j] > mx ? z[j] : mx;
    for (int64_t j = 0; j < k; j++) s += exp(z[j] - mx);
    return mx + log(s) - z[y];
}

enum { NMAG = 8 }; /* sizes of change with their own near-unit list */

/* Scratch of the downstream re-evaluation. */
typedef struct down {
    const lc_ctx *ctx;
    const lc_nn *net;
    const nn_fwd *f;
    double *u, *d;    /* new pre-activations / output changes of a layer */
    int64_t *nz;      /* indices of the changed outputs                  */
    double *wt[LC_NN_MAX_HIDDEN + 1]; /* W_m transposed (m ≥ 1): columns contiguous */
    /* the piece of every unit of hidden layer m ≥ 1: its output cannot change
     * while its pre-activation stays strictly inside (lo, hi) */
    double *lo[LC_NN_MAX_HIDDEN], *hi[LC_NN_MAX_HIDDEN];
    /* lo − u and hi − u widened by a relative 1e-12: a one-unit change w·Δ
     * strictly inside (dlo, dhi) cannot leave the piece (a safe prefilter) */
    double *dlo[LC_NN_MAX_HIDDEN], *dhi[LC_NN_MAX_HIDDEN];
    /* Near units (the current row): the units of hidden layer m ≥ 1 that a
     * change of at most dqmax in one unit of layer m − 1 can move out of their
     * piece at all (max_i |W_m[j][i]|·dqmax reaches the nearer end); no other
     * unit can pass the prefilter, so scanning these alone gives the same
     * numbers in the same order. */
    int64_t *near[LC_NN_MAX_HIDDEN], nnear[LC_NN_MAX_HIDDEN][NMAG + 1];
    double *wabs[LC_NN_MAX_HIDDEN]; /* max_i |W_m[j][i]| per unit j         */
    double dqmax;                   /* the widest change of an activation  */
    /* One list per distinct size of change mag[k] (k < nmag, units in index
     * order, at near[m] + k·width), then the list for dqmax at k = nmag. */
    double mag[NMAG];
    int nmag;
    /* One changed unit of the last hidden layer: the loss from the row's
     * exp(z − max z) and a table of exp(W_out[:, i]·dq) per distinct change
     * dq (nd of them, the differences of the activation's levels). */
    const double *ez, *mx, *dv, *xt, *wo;
    int nd;
} down;

enum { DQ_MAX = 32 }; /* distinct changes kept in the output table */

/* The breakpoints of B around u: *lo the greatest ≤ u, *hi the least ≥ u
 * (∓∞ if none). */
static void piece(const est_breaks *B, double u, double *lo, double *hi)
{
    const lc_jump_rule *r = &B->r;
    *lo = -INFINITY, *hi = INFINITY;
    if (!(r->period > 0)) {
        if (r->b0 <= u) *lo = r->b0;
        if (r->b0 >= u) *hi = r->b0;
        return;
    }
    double k = fmin(floor((u - r->b0) / r->period), B->kmax);
    while (k >= B->kmin && _lc_est_break(B, k) > u) k--;
    while (k + 1 <= B->kmax && _lc_est_break(B, k + 1) <= u) k++;
    if (k >= B->kmin && k <= B->kmax) *lo = _lc_est_break(B, k);
    double k1 = k >= B->kmin ? k + 1 : B->kmin; /* the first breakpoint above the lower one */
    if (k >= B->kmin && _lc_est_break(B, k) == u) k1 = k;
    if (k1 <= B->kmax && k1 >= B->kmin) *hi = _lc_est_break(B, k1);
}

/* Loss of row r when units nz[0..nnz) of the last hidden layer change by
 * d[0..nnz), from the table (the logits' exponentials are products of its
 * entries); NaN when a change is not in it or the sum leaves the doubles
 * (the caller then recomputes the logits). acc: K doubles of scratch. */
static double table_loss(const down *D, int64_t r, const int64_t *nz, const double *d, int64_t nnz, int32_t y,
                         double *acc)
{
    const lc_nn_cfg *c = &D->net->cfg;
    int64_t K = c->nout, H = c->hidden[c->nhidden - 1];
    const double *e = D->ez + r * K;
    double lin = 0, s = 0;
    for (int64_t j = 0; j < K; j++) acc[j] = e[j];
    for (int64_t q = 0; q < nnz; q++) {
        int k = 0;
        while (k < D->nd && D->dv[k] != d[q]) k++;
        if (k == D->nd) return NAN;
        const double *X = D->xt + (nz[q] * D->nd + k) * K;
        if (X[0] != X[0]) return NAN; /* an entry that would overflow */
        for (int64_t j = 0; j < K; j++) acc[j] *= X[j];
        lin += D->wo[(int64_t)y * H + nz[q]] * d[q];
    }
    for (int64_t j = 0; j < K; j++) s += acc[j];
    if (!(s > 0 && s < INFINITY)) return NAN;
    return D->mx[r] + log(s) - D->f->z[r * K + y] - lin;
}

/* The activation's levels (its values on the pieces and at the breakpoints)
 * into lev (at most cap); returns how many, or −1 if there are more. */
static int levels(const lc_ctx *ctx, const lc_nn_cfg *c, const est_breaks *B, double gap, double *lev, int cap)
{
    double nb = B->r.period > 0 ? B->kmax - B->kmin + 1 : 1;
    if (!(nb <= cap)) return -1;
    int n = 0;
    for (double k = 0; k < nb; k++) {
        double b = B->r.period > 0 ? _lc_est_break(B, B->kmin + k) : B->r.b0;
        double v[3] = {act_value(ctx, c, b - gap), act_value(ctx, c, b), act_value(ctx, c, b + gap)};
        for (int q = 0; q < 3; q++) {
            int seen = 0;
            for (int t = 0; t < n; t++) seen |= lev[t] == v[q];
            if (!seen) {
                if (n == cap) return -1;
                lev[n++] = v[q];
            }
        }
    }
    return n;
}

/* The output table of D for the current weights: the distinct differences of
 * the levels (none if there are too many) and exp(W_out[:, i]·dq). */
static void output_table(down *D, const est_breaks *B, double gap, double *dv, double *xt)
{
    const lc_nn_cfg *c = &D->net->cfg;
    int64_t K = c->nout, H = c->hidden[c->nhidden - 1];
    double lev[DQ_MAX];
    int nl = levels(D->ctx, c, B, gap, lev, DQ_MAX);
    double lo = INFINITY, hi = -INFINITY;
    D->nd = 0;
    D->dv = dv, D->xt = xt;
    D->dqmax = INFINITY; /* unknown levels: every unit is near */
    D->nmag = 0;
    if (nl < 0) return;
    for (int a = 0; a < nl; a++) lo = fmin(lo, lev[a]), hi = fmax(hi, lev[a]);
    D->dqmax = hi - lo;
    for (int a = 0; a < nl; a++)
        for (int b = 0; b < nl; b++) {
            double d = lev[a] - lev[b];
            int seen = d == 0;
            for (int t = 0; t < D->nd; t++) seen |= dv[t] == d;
            if (!seen && D->nd < DQ_MAX) dv[D->nd++] = d;
        }
    D->nmag = 0; /* the sizes |dq|, ascending; none if there are too many */
    for (int t = 0; t < D->nd && D->nmag >= 0; t++) {
        double a = fabs(dv[t]);
        int k = 0;
        while (k < D->nmag && D->mag[k] < a) k++;
        if (k < D->nmag && D->mag[k] == a) continue;
        if (D->nmag == NMAG) D->nmag = -1;
        else {
            memmove(D->mag + k + 1, D->mag + k, (size_t)(D->nmag - k) * sizeof *D->mag);
            D->mag[k] = a, D->nmag++;
        }
    }
    if (D->nmag < 0) D->nmag = 0;
    for (int64_t i = 0; i < H; i++)
        for (int k = 0; k < D->nd; k++) {
            double *X = xt + (i * D->nd + k) * K;
            for (int64_t j = 0; j < K; j++) {
                double a = D->wo[j * H + i] * dv[k];
                X[j] = exp(a);
                if (fabs(a) > 500) X[0] = NAN;
            }
        }
}

/* The near units of each hidden layer m > l for row r (see down). */
static void near_units(down *D, int l, int64_t r)
{
    const lc_nn_cfg *c = &D->net->cfg;
    for (int m = l + 1; m < c->nhidden; m++) {
        int64_t out = c->hidden[m];
        const double *dl = D->dlo[m] + r * out, *du = D->dhi[m] + r * out, *w = D->wabs[m];
        for (int k = 0; k <= D->nmag; k++) {
            double M = k < D->nmag ? D->mag[k] : D->dqmax;
            int64_t n = 0, *list = D->near[m] + k * out;
            for (int64_t j = 0; j < out; j++) {
                double lim = fmin(-dl[j], du[j]); /* ≤ 0 (or NaN) at a breakpoint: always near */
                if (!(w[j] * M < lim * (1.0 - 1e-9))) list[n++] = j;
            }
            D->nnear[m][k] = n;
        }
    }
}

/* Loss of row r with hidden unit i of layer l changed by dh (base: the
 * row's loss as recorded, returned when no later unit changes). */
static double loss_moved(down *D, int l, int64_t r, int64_t i, double dh, int32_t y, double base_loss)
{
    const lc_nn *net = D->net;
    const lc_nn_cfg *c = &net->cfg;
    const nn_fwd *f = D->f;
    int64_t nnz = 1, K = c->nout;
    D->nz[0] = i;
    D->d[0] = dh;
    for (int m = l + 1; m <= c->nhidden; m++) { /* the change through layer m */
        int64_t out = width_out(c, m);
        const double *base = m == c->nhidden ? f->z + r * K : f->u[m] + r * out;
        if (m == c->nhidden) {
            double v = table_loss(D, r, D->nz, D->d, nnz, y, D->u);
            if (v == v) return v;
        }
        if (nnz == 1 && m < c->nhidden) { /* one changed input: prefilter, then the exact test */
            const double *restrict col = D->wt[m] + D->nz[0] * out;
            const double *h = f->h[m] + r * out, *lo = D->lo[m] + r * out, *hi = D->hi[m] + r * out;
            double dq = D->d[0];
            double a = fabs(dq);
            int k = 0;
            while (k < D->nmag && D->mag[k] != a) k++;
            int use_near = a <= D->dqmax;
            int64_t nscan = use_near ? D->nnear[m][k] : out;
            const int64_t *nr = D->near[m] + k * out;
            int64_t nc = 0;
            for (int64_t jj = 0; jj < nscan; jj++) { /* branch-free: the units that leave their piece */
                int64_t j = use_near ? nr[jj] : jj;
                double uj = base[j] + col[j] * dq;
                D->nz[nc] = j, D->d[nc] = uj;
                nc += !(uj > lo[j] && uj < hi[j]);
            }
            nnz = 0;
            for (int64_t q = 0; q < nc; q++) { /* their change of output, in place */
                int64_t j = D->nz[q];
                double v = act_value(D->ctx, c, D->d[q]) - h[j];
                D->nz[nnz] = j, D->d[nnz] = v;
                nnz += v != 0;
            }
            if (!nnz) return base_loss;
            continue;
        }
        double *restrict u = D->u;
        memcpy(u, base, (size_t)out * sizeof *u);
        for (int64_t q = 0; q < nnz; q++) {
            const double *restrict col = D->wt[m] + D->nz[q] * out;
            double dq = D->d[q];
            for (int64_t j = 0; j < out; j++) u[j] += col[j] * dq;
        }
        if (m == c->nhidden) return xent_row(u, K, y);
        nnz = 0;
        const double *h = f->h[m] + r * out, *restrict lo = D->lo[m] + r * out, *restrict hi = D->hi[m] + r * out;
        int any = 0; /* branch-free scan first: most units stay inside their piece */
        for (int64_t j = 0; j < out; j++) any |= (u[j] <= lo[j]) | (u[j] >= hi[j]);
        for (int64_t j = 0; any && j < out; j++) {
            if (u[j] > lo[j] && u[j] < hi[j]) continue; /* still inside its piece */
            double v = act_value(D->ctx, c, u[j]) - h[j];
            if (v != 0) D->nz[nnz] = j, D->d[nnz++] = v;
        }
        if (!nnz) return base_loss;
    }
    return NAN; /* not reached */
}

int64_t _lc_nn_widest(const lc_nn_cfg *c)
{
    int64_t w = c->nout;
    for (int l = 0; l < c->nhidden; l++) w = c->hidden[l] > w ? c->hidden[l] : w;
    return w;
}

int64_t _lc_nn_composite_scratch(const lc_nn_cfg *c, int64_t n)
{
    int64_t s = n * (c->nout + 1) + 2 * _lc_nn_widest(c);
    for (int m = 1; m <= c->nhidden; m++)
        s += width_in(c, m) * width_out(c, m) + (m < c->nhidden ? 4 * n * c->hidden[m] + c->hidden[m] : 0);
    /* exp(z − max z), max z, the changes and their output table */
    return s + n * (c->nout + 1) + DQ_MAX + (c->nhidden ? c->hidden[c->nhidden - 1] : 0) * DQ_MAX * c->nout;
}

int64_t _lc_nn_composite_iscratch(const lc_nn_cfg *c)
{
    int64_t s = _lc_nn_widest(c);
    for (int m = 1; m < c->nhidden; m++) s += (NMAG + 1) * c->hidden[m];
    return s;
}

lc_status _lc_nn_composite_grad(lc_ctx *ctx, lc_nn *net, const nn_fwd *f, const int32_t *y, double **gpre)
{
    const lc_nn_cfg *c = &net->cfg;
    const lc_est *e = &c->est;
    int64_t n = f->n, K = c->nout, wmax = _lc_nn_widest(c);
    est_breaks B;
    lc_ctx *pc = _lc_tape_pool_ctx(&net->tape); /* the field's rule: pooled, as on the tape */
    lc_status s = _lc_est_breaks(pc, e, c->act == LC_ACT_SIGN ? LC_PRIM_SIGN : LC_PRIM_STEP,
                                 c->act == LC_ACT_ROUND ? c->bits : 0, &B);
    if (s) {
        memcpy(ctx->err, pc->err, sizeof ctx->err);
        return s;
    }
    if (B.r.reg != 0) return lc_fail(ctx, LC_EINVAL, __func__, "the fast path needs piecewise-constant activations");
    double *gz = f->scratch, *base = gz + n * K, *sp = base + n + 2 * wmax;
    down D = {.ctx = ctx, .net = net, .f = f, .u = base + n, .d = base + n + wmax, .nz = f->iscratch};
    int64_t *isp = f->iscratch + wmax;
    for (int m = 1; m <= c->nhidden; m++) { /* transposed weights, pieces of the units */
        int64_t in = width_in(c, m), out = width_out(c, m);
        const double *W = net->params + net->w_off[m];
        D.wt[m] = sp, sp += in * out;
        for (int64_t j = 0; j < out; j++)
            for (int64_t i = 0; i < in; i++) D.wt[m][i * out + j] = W[j * in + i];
        if (m == c->nhidden) break;
        D.wabs[m] = sp, sp += out;
        D.near[m] = isp, isp += (NMAG + 1) * out;
        for (int64_t j = 0; j < out; j++) {
            double a = 0;
            for (int64_t i = 0; i < in; i++) a = fmax(a, fabs(W[j * in + i]));
            D.wabs[m][j] = a;
        }
        D.lo[m] = sp, sp += n * out;
        D.hi[m] = sp, sp += n * out;
        D.dlo[m] = sp, sp += n * out;
        D.dhi[m] = sp, sp += n * out;
        for (int64_t k = 0; k < n * out; k++) {
            double u = f->u[m][k], slack = 1e-12 * (fabs(u) + 1.0);
            piece(&B, u, &D.lo[m][k], &D.hi[m][k]);
            D.dlo[m][k] = D.lo[m][k] - u + slack;
            D.dhi[m][k] = D.hi[m][k] - u - slack;
        }
    }
    double *ez = sp, *mxr = ez + n * K, *dv = mxr + n, *xt = dv + DQ_MAX;
    for (int64_t r = 0; r < n; r++) { /* output layer: softmax − one-hot, over n */
        const double *zr = f->z + r * K;
        double mx = zr[0], sum = 0;
        for (int64_t j = 1; j < K; j++) mx = zr[j] > mx ? zr[j] : mx;
        for (int64_t j = 0; j < K; j++) sum += (ez[r * K + j] = exp(zr[j] - mx));
        for (int64_t j = 0; j < K; j++) gz[r * K + j] = ez[r * K + j] / sum / (double)n;
        gz[r * K + y[r]] -= 1.0 / (double)n;
        base[r] = mx + log(sum) - zr[y[r]];
        mxr[r] = mx;
    }
    double gap = B.r.period > 0 ? 0.5 * B.r.period : 1.0;
    D.ez = ez, D.mx = mxr, D.wo = net->params + net->w_off[c->nhidden];
    output_table(&D, &B, gap, dv, xt);
    for (int l = 0; l < c->nhidden; l++) { /* hidden layer l: Σ_b ΔL·κσ(u − b) / n */
        int64_t H = c->hidden[l];
        for (int64_t r = 0; r < n; r++) {
            near_units(&D, l, r);
            for (int64_t i = 0; i < H; i++) {
                double u = f->u[l][r * H + i], h = f->h[l][r * H + i], k0, g = 0;
                int64_t nb = _lc_est_in_reach(e, &B, u, &k0);
                double last_v = NAN, last_l = NAN; /* the piece between two breakpoints: once */
                for (int64_t k = 0; k < nb; k++) {
                    double b = _lc_est_break(&B, k0 + (double)k);
                    double vm = act_value(ctx, c, b - gap), vp = act_value(ctx, c, b + gap);
                    double lm = vm == h ? base[r] : vm == last_v ? last_l : loss_moved(&D, l, r, i, vm - h, y[r], base[r]);
                    double lp = vp == h ? base[r] : loss_moved(&D, l, r, i, vp - h, y[r], base[r]);
                    last_v = vp, last_l = lp;
                    g += (lp - lm) * lc_kernel_eval(e->kernel, e->sigma, u - b);
                }
                gpre[l][r * H + i] = g / (double)n;
            }
        }
    }
    for (int l = 0; l <= c->nhidden; l++) { /* dW_l += gᵀ·input, db_l += column sums */
        int64_t in = width_in(c, l), out = width_out(c, l);
        const double *g = l == c->nhidden ? gz : gpre[l], *x = l == 0 ? f->x : f->h[l - 1];
        _lc_tape_gemm(1, 0, out, in, n, 1.0, g, x, 1.0, net->grad + net->w_off[l]);
        double *gb = net->grad + net->b_off[l];
        for (int64_t r = 0; r < n; r++)
            for (int64_t j = 0; j < out; j++) gb[j] += g[r * out + j];
    }
    return LC_OK;
}
