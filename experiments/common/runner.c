/* SPDX-License-Identifier: MIT */
/* lcx_run: the main() of every experiment binary, written once. */
#include "lcx.h"

int lcx_run(const lcx_exp *exp, int argc, char **argv)
{
    lcx_cli cli;
    int rc = lcx_cli_parse(&cli, exp->prog, exp->summary, exp->params, argc, argv);
    if (rc >= 0) return rc; /* --help (0) or bad usage (2) */
    if ((exp->flags & LCX_CPU_ONLY) && cli.cuda) {
        rc = lcx_usage(&cli, "device", "runs on the CPU only");
        lcx_cli_clear(&cli);
        return rc;
    }
    lcx_h5 h = {.file = -1};
    if (lcx_h5_open(&h, cli.out, &cli)) {
        rc = lcx_fail(&cli, h.err);
    } else {
        rc = exp->body(&cli, &h, exp->user);
        if (rc < 0) rc = lcx_fail(&cli, h.err);
        if (rc == 0 && lcx_h5_commit(&h)) rc = lcx_fail(&cli, h.err);
    }
    lcx_h5_abort(&h); /* no-op after a commit */
    lcx_cli_clear(&cli);
    return rc;
}
