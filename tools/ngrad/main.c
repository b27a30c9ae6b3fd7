/* SPDX-License-Identifier: MIT */
/* infnum-ngrad: the non-standard derivative of an expression at points.
 *
 *   infnum-ngrad 'x + round(x)' --at 0.5,1 [--order K] [--json]
 *   infnum-ngrad 'x + round(x)' --plot f.png [--from A --to B --samples N]
 *
 * For each point x: f(x), the value f(x+ε) in the field, ngrad =
 * (f(x+ε) − st f(x))/ε with its ε⁰ (right derivative) and ε⁻¹ (jump)
 * coefficients, the two-sided decoding (regular part, point mass) and the
 * right derivatives of order 1..K, k!·[ε^k] f(x+ε). Exit status 0, 1 when
 * the field cannot evaluate f, 2 for bad usage (including a bad expression,
 * reported with its column). */
#define _POSIX_C_SOURCE 200809L
#include "ngrad.h"
#ifdef INFNUM_HAVE_LCX
#include "lcx.h" /* lcx_version: the build's provenance */
#endif

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tie_names[] = {"away", "even", "up", "down"};
static const char *const h0_names[] = {"0", "half", "1"};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: infnum-ngrad EXPR --at X[,X...] [--order K] [--json] [options]\n"
            "       infnum-ngrad EXPR --plot FILE.svg|FILE.png [--from A] [--to B] [--samples N] [options]\n"
            "Non-standard derivative of f(x) = EXPR in the Levi-Civita field at the points X:\n"
            "f(x), f(x+eps), ngrad = (f(x+eps) - st f(x))/eps (its eps^0 coefficient is the right\n"
            "derivative, its eps^-1 coefficient the jump f(x+) - f(x)), the two-sided decoding\n"
            "(regular part, point mass st f(x+eps) - st f(x-eps)) and the right derivatives of\n"
            "order 1..K (default 2). --plot draws f, the regular part of f' and the point masses\n"
            "(arrows of height = weight) with gnuplot on [A, B] (default [-2, 2], 801 samples).\n"
            "EXPR: numbers, the variable, pi, eps, + - * / ^, sqrt exp log sin cos tanh sigmoid\n"
            "softplus abs relu step sign floor ceil round max min pow (see infnum/expr.h).\n"
            "options: --var NAME (default x)  --depth N (series depth, default 8)\n"
            "         --h0 0|half|1  --sign0 V  --tie away|even|up|down (conventions at the jumps)\n"
            "         --json (one JSON object on stdout)  --version  --help\n"
            "exit status: 0 success, 1 the field cannot evaluate f, 2 bad usage\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "infnum-ngrad: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see --help)\n");
    return 2;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && !*end && !errno && isfinite(*v);
}

static int parse_int(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return end != s && !*end && !errno && *v >= lo && *v <= hi;
}

/* Appends the comma-separated numbers of s to *pts. 0 on a bad number. */
static int add_points(const char *s, double **pts, int64_t *n)
{
    char *copy = strdup(s), *save = NULL;
    int ok = copy != NULL;
    for (char *t = ok ? strtok_r(copy, ",", &save) : NULL; t && ok; t = strtok_r(NULL, ",", &save)) {
        double *p = realloc(*pts, (size_t)(*n + 1) * sizeof *p);
        ok = p && parse_double(t, &p[*n]);
        if (p) *pts = p;
        if (ok) (*n)++;
    }
    free(copy);
    return ok;
}

/* A JSON string (UTF-8 kept; quotes, backslashes and controls escaped). */
static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

/* The results at n points (each array has n entries, der has K·n). */
typedef struct results {
    int64_t n;
    int K;
    double *x, *fx, *d0, *jump, *reg, *mass, *der;
    char **f_eps, **f_at, **ng; /* 3n strings, in one array of pointers */
} results;

/* The text of row i of b into *out (malloc'd, grown until it fits). */
static lc_status row_text(lc_ctx *ctx, const lc_batch *b, int64_t i, char **out)
{
    for (size_t size = 256;; size *= 2) {
        char *t = realloc(*out, size);
        if (!t) return LC_ENOMEM;
        *out = t;
        ctx->err[0] = '\0';
        lc_status st = lc_row_print(ctx, b, i, t, size);
        if (st != LC_EINVAL || size > ((size_t)1 << 26)) return st;
    }
}

static lc_status compute(lc_ctx *ctx, lc_expr *f, results *r)
{
    lc_batch xb, y, g;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    lc_batch_init(&g, LC_F64, LC_I32);
    int64_t n = r->n;
    lc_status st = lc_batch_set_real(ctx, &xb, n, r->x);
    if (!st) st = lc_expr_eval(ctx, f, &y, &xb, 1);
    if (!st) st = lc_batch_std(ctx, &y, r->fx);
    for (int64_t i = 0; i < n && !st; i++) st = row_text(ctx, &y, i, &r->f_at[i]);
    if (!st) st = lc_batch_from_real(ctx, &xb, n, r->x, NULL);
    if (!st) st = lc_expr_eval(ctx, f, &y, &xb, 1);
    for (int64_t i = 0; i < n && !st; i++) st = row_text(ctx, &y, i, &r->f_eps[i]);
    if (!st) st = lc_ngrad(ctx, &g, lc_expr_fn, f, r->x, n);
    for (int64_t i = 0; i < n && !st; i++) st = row_text(ctx, &g, i, &r->ng[i]);
    if (!st) st = lc_batch_coeff(ctx, &g, 0, 1, r->d0);
    if (!st) st = lc_batch_coeff(ctx, &g, -1, 1, r->jump);
    if (!st) st = lc_ngrad_decode(ctx, r->reg, r->mass, lc_expr_fn, f, r->x, n);
    for (int k = 1; k <= r->K && !st; k++) st = lc_nderiv(ctx, r->der + (k - 1) * n, lc_expr_fn, f, r->x, n, k);
    lc_batch_clear(ctx, &xb);
    lc_batch_clear(ctx, &y);
    lc_batch_clear(ctx, &g);
    return st;
}

static void print_text(const lc_ctx *ctx, const char *text, const char *var, const results *r)
{
    printf("f(%s) = %s\n", var, text);
    printf("conventions: H(0) = %s, sign(0) = %.17g, round ties %s, depth %d\n", h0_names[ctx->h0], ctx->sign0,
           tie_names[ctx->round_tie], (int)ctx->depth);
    for (int64_t i = 0; i < r->n; i++) {
        printf("%s = %.17g\n", var, r->x[i]);
        printf("  f(%s)        = %s\n", var, r->f_at[i]);
        printf("  f(%s+ε)      = %s\n", var, r->f_eps[i]);
        printf("  ngrad       = %s\n", r->ng[i]);
        printf("  right deriv = %.17g   (ε^0 of ngrad)\n", r->d0[i]);
        printf("  jump        = %.17g   (ε^-1 of ngrad: f(%s+) - f(%s))\n", r->jump[i], var, var);
        printf("  regular     = %.17g   (mean of the one-sided derivatives)\n", r->reg[i]);
        printf("  point mass  = %.17g   (st f(%s+ε) - st f(%s-ε))\n", r->mass[i], var, var);
        for (int k = 1; k <= r->K; k++) printf("  d^%d f(%s+)   = %.17g\n", k, var, r->der[(k - 1) * r->n + i]);
    }
}

static void print_json(const lc_ctx *ctx, const char *text, const char *var, const results *r)
{
    printf("{\"tool\": \"infnum-ngrad\", \"version\": \"%s\", \"expr\": ", LC_VERSION_STRING);
    json_str(text);
    printf(", \"var\": ");
    json_str(var);
    printf(",\n \"conventions\": {\"h0\": \"%s\", \"sign0\": %.17g, \"round_tie\": \"%s\", \"depth\": %d},\n",
           h0_names[ctx->h0], ctx->sign0, tie_names[ctx->round_tie], (int)ctx->depth);
    printf(" \"points\": [");
    for (int64_t i = 0; i < r->n; i++) {
        printf("%s\n  {\"x\": %.17g, \"f\": %.17g, \"f_x\": ", i ? "," : "", r->x[i], r->fx[i]);
        json_str(r->f_at[i]);
        printf(", \"f_x_eps\": ");
        json_str(r->f_eps[i]);
        printf(", \"ngrad\": ");
        json_str(r->ng[i]);
        printf(",\n   \"right_derivative\": %.17g, \"jump\": %.17g, \"regular\": %.17g, \"mass\": %.17g, \"derivatives\": [",
               r->d0[i], r->jump[i], r->reg[i], r->mass[i]);
        for (int k = 1; k <= r->K; k++) printf("%s%.17g", k > 1 ? ", " : "", r->der[(k - 1) * r->n + i]);
        printf("]}");
    }
    printf("\n ]}\n");
}

/* Reports a bad expression with a caret under its column. */
static int bad_expr(const lc_ctx *ctx, const char *text)
{
    const char *msg = ctx->err;
    long col = 0;
    if (!strncmp(msg, "lc_expr_compile: ", 17)) msg += 17;
    fprintf(stderr, "infnum-ngrad: %s\n", msg);
    if (sscanf(msg, "col %ld:", &col) == 1 && col >= 1 && !strchr(text, '\n') && strlen(text) < 200)
        fprintf(stderr, "  %s\n  %*s^\n", text, (int)(col - 1), "");
    return 2;
}

/* "infnum-ngrad (infnum) VERSION" and the build's commit, as every binary. */
static void print_version(void)
{
#ifdef INFNUM_HAVE_LCX
    lcx_version(stdout, "infnum-ngrad");
#else
    printf("infnum-ngrad (infnum) %s\ncommit unknown (built without the experiment support)\n", LC_VERSION_STRING);
#endif
}

int main(int argc, char **argv)
{
    lc_ctx ctx;
    lc_ctx_init(&ctx);
    const char *text = NULL, *var = "x";
    double *pts = NULL;
    int64_t npts = 0;
    long order = 2, lv;
    int json = 0, rc = 0;
    ng_plot plot = {NULL, NULL, -2.0, 2.0, 801};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), free(pts), 0;
        if (!strcmp(a, "--version")) return print_version(), free(pts), 0;
        if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        }
        if (strncmp(a, "--", 2) || !strcmp(a, "--")) {
            if (!strcmp(a, "--")) a = v, i++;
            if (!a) break;
            if (text) return free(pts), bad_usage("one expression only: unexpected '%s'", a);
            text = a;
            continue;
        }
        if (!v) return free(pts), bad_usage("%s needs a value", a);
        i++;
        double d;
        if (!strcmp(a, "--at")) {
            if (!add_points(v, &pts, &npts)) return free(pts), bad_usage("--at: '%s' is not a list of numbers", v);
        } else if (!strcmp(a, "--order")) {
            if (!parse_int(v, 0, 64, &order)) return free(pts), bad_usage("--order: '%s' is not in 0..64", v);
        } else if (!strcmp(a, "--var")) {
            var = v;
        } else if (!strcmp(a, "--depth")) {
            if (!parse_int(v, 1, 1000, &lv)) return free(pts), bad_usage("--depth: '%s' is not in 1..1000", v);
            ctx.depth = (int32_t)lv;
        } else if (!strcmp(a, "--h0")) {
            int k = !strcmp(v, "0") ? 0 : !strcmp(v, "half") || !strcmp(v, "0.5") ? 1 : !strcmp(v, "1") ? 2 : -1;
            if (k < 0) return free(pts), bad_usage("--h0: '%s' is not 0, half or 1", v);
            ctx.h0 = (lc_h0)k;
        } else if (!strcmp(a, "--sign0")) {
            if (!parse_double(v, &ctx.sign0)) return free(pts), bad_usage("--sign0: '%s' is not a number", v);
        } else if (!strcmp(a, "--tie")) {
            int k = -1;
            for (int t = 0; t < 4; t++)
                if (!strcmp(v, tie_names[t])) k = t;
            if (k < 0) return free(pts), bad_usage("--tie: '%s' is not away, even, up or down", v);
            ctx.round_tie = (lc_round_tie)k;
        } else if (!strcmp(a, "--plot")) {
            size_t len = strlen(v);
            if (len < 5 || (strcmp(v + len - 4, ".svg") && strcmp(v + len - 4, ".png")))
                return free(pts), bad_usage("--plot: '%s' must end in .svg or .png", v);
            plot.path = v;
        } else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
            if (!parse_double(v, &d)) return free(pts), bad_usage("%s needs a number", a);
            *(a[2] == 'f' ? &plot.from : &plot.to) = d;
        } else if (!strcmp(a, "--samples")) {
            if (!parse_int(v, 2, 1000000, &lv)) return free(pts), bad_usage("--samples: '%s' is not in 2..1000000", v);
            plot.samples = lv;
        } else {
            return free(pts), bad_usage("unknown option '%s'", a);
        }
    }
    if (!text) return free(pts), bad_usage("%s", "no expression given");
    if (!npts && !plot.path) return free(pts), bad_usage("%s", "give points (--at) or a picture (--plot)");
    if (order >= ctx.depth) {
        char m[32];
        snprintf(m, sizeof m, "%d", (int)ctx.depth);
        return free(pts), bad_usage("--order must be below the depth (%s)", m);
    }
    if (plot.path && !(plot.from < plot.to)) return free(pts), bad_usage("%s", "--from must be below --to");
    if (plot.path && json) return free(pts), bad_usage("%s", "--json prints points; --plot draws a picture: one at a time");
    lc_expr *f = NULL;
    if (lc_expr_compile(&ctx, &f, text, var)) {
        free(pts);
        rc = ctx.err[0] && strstr(ctx.err, "variable list") ? bad_usage("--var: %s", ctx.err) : bad_expr(&ctx, text);
        lc_ctx_clear(&ctx);
        return rc;
    }
    if (lc_expr_nvars(f) != 1) {
        lc_expr_free(&ctx, f);
        lc_ctx_clear(&ctx);
        return free(pts), bad_usage("--var '%s': infnum-ngrad takes one variable", var);
    }
    if (npts) {
        results r = {npts, (int)order, pts, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
        double *w = malloc((size_t)npts * (6 + (size_t)order) * sizeof *w);
        char **text3 = calloc((size_t)npts * 3, sizeof *text3);
        r.f_eps = text3, r.f_at = text3 ? text3 + npts : NULL, r.ng = text3 ? text3 + 2 * npts : NULL;
        if (!w || !text3) {
            fprintf(stderr, "infnum-ngrad: out of memory\n");
            rc = 1;
        } else {
            r.fx = w, r.d0 = w + npts, r.jump = w + 2 * npts, r.reg = w + 3 * npts, r.mass = w + 4 * npts;
            r.der = w + 5 * npts;
            if (compute(&ctx, f, &r)) {
                fprintf(stderr, "infnum-ngrad: %s\n", ctx.err);
                rc = 1;
            } else if (json) {
                print_json(&ctx, text, lc_expr_var(f, 0), &r);
            } else {
                print_text(&ctx, text, lc_expr_var(f, 0), &r);
            }
        }
        for (int64_t i = 0; text3 && i < 3 * npts; i++) free(text3[i]);
        free(text3);
        free(w);
    }
    if (!rc && plot.path) {
        plot.text = text;
        rc = ng_plot_draw(&ctx, f, &plot);
    }
    free(pts);
    lc_expr_free(&ctx, f);
    lc_ctx_clear(&ctx);
    return rc;
}
