/* SPDX-License-Identifier: MIT */
/* ngrad of f(x) = x·sin x + step(x−1) + round(2x)/2, written once as an
 * expression (infnum/expr.h): compile, then use it as an lc_fn. */
#include <infnum/expr.h>
#include <stdio.h>

int main(void)
{
    double x[] = {0.25, 0.5, 1, 2};
    char buf[512];
    lc_ctx ctx;
    lc_batch g;
    lc_expr *f = NULL;
    lc_ctx_init(&ctx);
    lc_batch_init(&g, LC_F64, LC_I32);
    int rc = lc_expr_compile(&ctx, &f, "x*sin(x) + step(x-1) + round(2*x)/2", "x") ||
             lc_ngrad(&ctx, &g, lc_expr_fn, f, x, 4);
    for (int i = 0; i < 4 && !rc; i++)
        if (!(rc = lc_row_print(&ctx, &g, i, buf, sizeof buf))) printf("ngrad f(%g) = %s\n", x[i], buf);
    if (rc) fprintf(stderr, "expr_ngrad: %s\n", ctx.err);
    lc_expr_free(&ctx, f);
    lc_batch_clear(&ctx, &g);
    lc_ctx_clear(&ctx);
    return rc != 0;
}
