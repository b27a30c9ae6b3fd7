/* SPDX-License-Identifier: MIT */
/* ngrad of |x|, step and round at their jumps, and the two-sided decoding. */
#include <infnum/infnum.h>
#include <stdio.h>
static lc_status f_abs(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_abs(c, y, x); }
static lc_status f_disc(lc_ctx *c, lc_batch *y, const lc_batch *x, void *d) { return lc_disc_apply(c, y, x, *(lc_disc *)d); }

int main(void)
{
    const char *name[] = {"abs", "step", "round"};
    lc_disc prim[] = {LC_DISC_STEP, LC_DISC_STEP, LC_DISC_ROUND};
    double at[] = {0.0, 0.0, 0.5}, reg, mass;
    char buf[128];
    lc_ctx ctx;
    lc_batch g;
    lc_ctx_init(&ctx);
    lc_batch_init(&g, LC_F64, LC_I32);
    for (int i = 0; i < 3; i++) {
        lc_fn f = i ? f_disc : f_abs;
        if (lc_ngrad(&ctx, &g, f, &prim[i], &at[i], 1) || lc_row_print(&ctx, &g, 0, buf, sizeof buf) ||
            lc_ngrad_decode(&ctx, &reg, &mass, f, &prim[i], &at[i], 1))
            return fprintf(stderr, "ngrad_jumps: %s\n", ctx.err), 1;
        printf("%-5s at %g: ngrad = %s; regular = %g, mass = %g\n", name[i], at[i], buf, reg, mass);
    }
    return lc_batch_clear(&ctx, &g), lc_ctx_clear(&ctx), 0;
}
