/* SPDX-License-Identifier: MIT */
/* infnum-ngrad --plot: f, the regular part of its derivative and its point
 * masses, drawn by gnuplot.
 *
 * The samples x_i = (a·(N−1−i) + b·i)/(N−1) hit the simple rationals of the
 * interval exactly (with [-2, 2] and 801 samples: every multiple of 1/200),
 * and a point mass at a sample is read off the two-sided decoding. A jump
 * between two samples u < v shows as a gap between st f(v−ε) − st f(u+ε) and
 * the trapezoid of the one-sided derivatives; such an interval is bisected
 * (following the half with the larger gap) down to a few ulps, and the gap
 * left is the weight. */
#define _POSIX_C_SOURCE 200809L
#include "ngrad.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Per point: st f(x), st f(x+ε), st f(x−ε), right and left derivatives. */
typedef struct pt {
    double x, f, fp, fm, dr, dl;
} pt;

/* The values at n points, from one batch of 3n rows (x, x+ε, x−ε). */
static lc_status eval_points(lc_ctx *ctx, lc_expr *f, pt *p, int64_t n)
{
    double *w = malloc((size_t)n * 15 * sizeof *w);
    if (!w) return LC_ENOMEM;
    double *xs = w, *v = w + 3 * n, *s = w + 6 * n, *c1 = w + 9 * n;
    for (int64_t i = 0; i < n; i++) {
        xs[i] = xs[n + i] = xs[2 * n + i] = p[i].x;
        v[i] = 0, v[n + i] = 1, v[2 * n + i] = -1;
    }
    lc_batch xb, y;
    lc_batch_init(&xb, LC_F64, LC_I32);
    lc_batch_init(&y, LC_F64, LC_I32);
    lc_status st = lc_batch_from_real(ctx, &xb, 3 * n, xs, v);
    if (!st) st = lc_expr_eval(ctx, f, &y, &xb, 1);
    if (!st) st = lc_batch_std(ctx, &y, s);
    if (!st) st = lc_batch_coeff(ctx, &y, 1, 1, c1);
    for (int64_t i = 0; i < n && !st; i++)
        p[i].f = s[i], p[i].fp = s[n + i], p[i].fm = s[2 * n + i], p[i].dr = c1[n + i], p[i].dl = -c1[2 * n + i];
    lc_batch_clear(ctx, &xb);
    lc_batch_clear(ctx, &y);
    free(w);
    return st;
}

/* The jump inside (u, v) beyond the trapezoid of the derivatives. */
static double gap(const pt *u, const pt *v) { return v->fm - u->fp - 0.5 * (u->dr + v->dl) * (v->x - u->x); }

/* Bisects (u, v) towards the jump; *at, *w: where and how large. */
static lc_status bisect(lc_ctx *ctx, lc_expr *f, pt u, pt v, double *at, double *w)
{
    for (int it = 0; it < 200 && nextafter(nextafter(u.x, v.x), v.x) < v.x; it++) {
        pt m = {0.5 * (u.x + v.x), 0, 0, 0, 0, 0};
        lc_status st = eval_points(ctx, f, &m, 1);
        if (st) return st;
        if (m.fp != m.fm) return *at = m.x, *w = m.fp - m.fm, LC_OK;
        if (fabs(gap(&u, &m)) >= fabs(gap(&m, &v))) v = m;
        else u = m;
    }
    *at = 0.5 * (u.x + v.x);
    *w = v.fm - u.fp;
    return LC_OK;
}

/* A gnuplot single-quoted string: ' doubled. */
static void gp_str(FILE *g, const char *s)
{
    fputc('\'', g);
    for (; *s; s++) {
        if (*s == '\'') fputc('\'', g);
        if (*s != '\n') fputc(*s, g);
    }
    fputc('\'', g);
}

int ng_plot_draw(lc_ctx *ctx, lc_expr *f, const ng_plot *p)
{
    int64_t n = p->samples, nm = 0;
    pt *s = malloc((size_t)n * sizeof *s);
    double *mx = malloc((size_t)n * 2 * sizeof *mx), *mw = mx + n; /* at most one mass per sample and gap */
    char *tmp = malloc(strlen(p->path) + 32);
    if (!s || !mx || !tmp) return free(s), free(mx), free(tmp), fprintf(stderr, "infnum-ngrad: out of memory\n"), 1;
    for (int64_t i = 0; i < n; i++) s[i].x = (p->from * (double)(n - 1 - i) + p->to * (double)i) / (double)(n - 1);
    lc_status st = eval_points(ctx, f, s, n);
    double scale = 1.0;
    for (int64_t i = 0; i < n && !st; i++) scale = fmax(scale, fmax(fabs(s[i].fp), fabs(s[i].fm)));
    char *brk = calloc((size_t)n, 1); /* brk[i]: a jump at or after sample i */
    for (int64_t i = 0; i < n && !st && brk; i++) {
        if (s[i].fp != s[i].fm) mx[nm] = s[i].x, mw[nm++] = s[i].fp - s[i].fm, brk[i] = 1;
        if (i + 1 < n && fabs(gap(&s[i], &s[i + 1])) > 1e-6 * scale) {
            st = bisect(ctx, f, s[i], s[i + 1], &mx[nm], &mw[nm]);
            if (!st && fabs(mw[nm]) > 1e-9 * scale) nm++, brk[i] = 1;
        }
    }
    if (st || !brk) {
        fprintf(stderr, "infnum-ngrad: %s\n", st ? ctx->err : "out of memory");
        return free(s), free(mx), free(tmp), free(brk), 1;
    }
    for (int64_t i = 0; i < nm; i++) printf("point mass at %.17g: weight %.17g\n", mx[i], mw[i]);
    snprintf(tmp, strlen(p->path) + 32, "%s.tmp.%ld", p->path, (long)getpid());
    int png = !strcmp(p->path + strlen(p->path) - 4, ".png");
    FILE *g = popen("gnuplot", "w");
    if (!g) return free(s), free(mx), free(tmp), free(brk), fprintf(stderr, "infnum-ngrad: cannot run gnuplot\n"), 1;
    fprintf(g, "set terminal %s size 900,600 font ',12'\nset output ", png ? "pngcairo" : "svg");
    gp_str(g, tmp);
    fprintf(g, "\nset title ");
    gp_str(g, p->text);
    fprintf(g, " noenhanced\nset xlabel 'x'\nset grid\nset key top left box opaque\nset xzeroaxis lt -1\n"
               "set xrange [%.17g:%.17g]\n", p->from, p->to);
    /* f and the regular part, each broken at the jumps (a blank line) */
    for (int c = 0; c < 2; c++) {
        fprintf(g, "$%s << EOD\n", c ? "reg" : "f");
        for (int64_t i = 0; i < n; i++) {
            int here = s[i].fp != s[i].fm;
            if (here) fprintf(g, "\n"); /* the value at a jump stands alone */
            fprintf(g, "%.17g %.17g\n", s[i].x, c ? 0.5 * (s[i].dr + s[i].dl) : s[i].f);
            if (brk[i]) fprintf(g, "\n");
        }
        fprintf(g, "EOD\n");
    }
    fprintf(g, "$m << EOD\n");
    for (int64_t i = 0; i < nm; i++) fprintf(g, "%.17g 0 0 %.17g\n", mx[i], mw[i]);
    fprintf(g, "EOD\n$at << EOD\n");
    int64_t nat = 0; /* the samples at a jump */
    for (int64_t i = 0; i < n; i++)
        if (s[i].fp != s[i].fm) fprintf(g, "%.17g %.17g\n", s[i].x, s[i].f), nat++;
    fprintf(g, "EOD\nplot $f using 1:2 with lines lw 2 lc rgb '#1f4e9c' title 'f(x)', "
               "$reg using 1:2 with lines dt 2 lw 2 lc rgb '#2a9d3a' title 'regular part of f'''");
    if (nat)
        fprintf(g, ", $at using 1:2 with points pt 7 ps 1.2 lc rgb '#1f4e9c' title 'f at a jump (the conventions)'");
    if (nm)
        fprintf(g, ", $m using 1:2:3:4 with vectors head filled size screen 0.015,20 lw 3 lc rgb '#c0392b' "
                   "title 'point masses (height = weight)', $m using 1:4:(sprintf('%%g', $4)) with labels "
                   "offset 1.5,0.6 tc rgb '#c0392b' notitle");
    fprintf(g, "\nset output\n");
    int status = pclose(g);
    free(s), free(mx), free(brk);
    if (status != 0 || rename(tmp, p->path)) {
        fprintf(stderr, "infnum-ngrad: gnuplot could not write %s (status %d)\n", p->path, status);
        remove(tmp);
        return free(tmp), 1;
    }
    free(tmp);
    return 0;
}
