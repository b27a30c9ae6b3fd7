/* SPDX-License-Identifier: MIT */
/* Command line of every experiment binary (contract in lcx.h). */
#define _POSIX_C_SOURCE 200809L
#include "lcx.h"

#include <infnum/infnum.h>
#include <errno.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage_line(FILE *f, const char *prog)
{
    fprintf(f,
            "usage: %s [--params FILE.json] [--set key=value]... --out FILE.h5\n"
            "       [--threads N] [--device cpu|cuda] [--seed S] [--quiet] [--help] [--version]\n",
            prog);
}

static void help(lcx_cli *cli, const char *summary)
{
    usage_line(stdout, cli->prog);
    printf("\n%s\n\n"
           "Parameters: defaults below, then the JSON object in --params FILE, then each\n"
           "--set key=value in order (value is JSON, a bare string, or a comma list).\n"
           "--threads/--device/--seed N are short for --set threads=/device=/seed=N.\n\n",
           summary ? summary : "");
    lcx_params_help(&cli->params, stdout);
    printf("\nOutput: one HDF5 file (layout: docs/results-format.md), written to\n"
           "FILE.h5.tmp.<pid> and renamed when complete. Progress goes to stderr.\n"
           "Exit status: 0 success, 1 runtime failure, 2 bad usage.\n");
}

void lcx_version(FILE *out, const char *prog)
{
    int dirty = lcx_git_dirty();
    fprintf(out, "%s (infnum) %s\ncommit %s%s, %s build, %s\n", prog, LC_VERSION_STRING,
            lcx_git_commit(), dirty > 0 ? " (modified)" : dirty < 0 ? " (state unknown)" : "",
            lcx_build_type(), lcx_compiler());
}

int lcx_usage(const lcx_cli *cli, const char *name, const char *msg)
{
    if (name) fprintf(stderr, "%s: bad parameter '%s': %s\n", cli->prog, name, msg);
    else fprintf(stderr, "%s: %s\n", cli->prog, msg);
    return 2;
}

int lcx_fail(const lcx_cli *cli, const char *msg)
{
    fprintf(stderr, "%s: %s\n", cli->prog, msg);
    return 1;
}

/* Value of option opt at argv[*i]: "--opt=value" or "--opt value".
 * Returns NULL if argv[*i] is not opt; *missing set if the value is absent. */
static const char *optval(int argc, char **argv, int *i, const char *opt, int *missing)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n)) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return "";
    }
    return argv[++*i];
}

static int bad(lcx_cli *cli, const char *msg)
{
    int rc = lcx_usage(cli, NULL, msg);
    usage_line(stderr, cli->prog);
    lcx_cli_clear(cli);
    return rc;
}

/* Applies a shorthand --key value as "key=value". */
static int shorthand(lcx_cli *cli, const char *key, const char *val)
{
    char buf[1024];
    if ((size_t)snprintf(buf, sizeof buf, "%s=%s", key, val) >= sizeof buf) return -1;
    return lcx_params_set(&cli->params, buf);
}

int lcx_cli_parse(lcx_cli *cli, const char *prog, const char *summary, const lcx_param *table,
                  int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->prog = prog;
    if (lcx_params_init(&cli->params, table)) return bad(cli, cli->params.err);
    /* Pass 1: --help, --version, and the --params files in order. */
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help(cli, summary);
            lcx_cli_clear(cli);
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            lcx_version(stdout, prog);
            lcx_cli_clear(cli);
            return 0;
        }
        if ((v = optval(argc, argv, &i, "--params", &missing))) {
            if (missing) return bad(cli, "--params needs a file name");
            if (lcx_params_load_file(&cli->params, v)) return bad(cli, cli->params.err);
        }
    }
    /* Pass 2: everything else, overrides in order. */
    for (int i = 1; i < argc; i++) {
        int missing = 0, rc = 0;
        const char *v;
        static const char *const shorts[][2] = {
            {"--threads", "threads"}, {"--device", "device"}, {"--seed", "seed"}};
        int matched = 0;
        for (size_t k = 0; k < 3 && !matched; k++)
            if ((v = optval(argc, argv, &i, shorts[k][0], &missing))) {
                matched = 1;
                rc = missing ? -1 : shorthand(cli, shorts[k][1], v);
                if (missing) snprintf(cli->params.err, sizeof cli->params.err, "%s needs a value", shorts[k][0]);
            }
        if (matched) {
            if (rc) return bad(cli, cli->params.err);
        } else if ((v = optval(argc, argv, &i, "--params", &missing))) {
            /* handled in pass 1 */
        } else if ((v = optval(argc, argv, &i, "--set", &missing))) {
            if (missing) return bad(cli, "--set needs key=value");
            if (lcx_params_set(&cli->params, v)) return bad(cli, cli->params.err);
        } else if ((v = optval(argc, argv, &i, "--out", &missing))) {
            if (missing || !*v) return bad(cli, "--out needs a file name");
            cli->out = v;
        } else if (!strcmp(argv[i], "--quiet")) {
            cli->quiet = 1;
        } else {
            char msg[300];
            snprintf(msg, sizeof msg, "unknown argument '%.200s' (see --help)", argv[i]);
            return bad(cli, msg);
        }
    }
    cli->seed = lcx_get_int(&cli->params, "seed");
    int64_t th = lcx_get_int(&cli->params, "threads");
    const char *dev = lcx_get_str(&cli->params, "device");
    if (th < 1 || th > 4096) {
        lcx_usage(cli, "threads", "must be between 1 and 4096");
        lcx_cli_clear(cli);
        return 2;
    }
    if (strcmp(dev, "cpu") && strcmp(dev, "cuda")) {
        lcx_usage(cli, "device", "must be cpu or cuda");
        lcx_cli_clear(cli);
        return 2;
    }
    cli->threads = (int)th;
    cli->cuda = !strcmp(dev, "cuda");
    if (!cli->out) return bad(cli, "--out FILE.h5 is required");
    /* the output's directory must exist and be writable now, not after the run */
    char dir[4096];
    const char *slash = strrchr(cli->out, '/');
    size_t len = slash ? (size_t)(slash - cli->out) : 1;
    if (len >= sizeof dir) return bad(cli, "--out: path too long");
    if (!slash) strcpy(dir, ".");
    else if (slash == cli->out) strcpy(dir, "/");
    else memcpy(dir, cli->out, len), dir[len] = '\0';
    if (access(dir, W_OK | X_OK)) { /* a runtime failure (status 1), found before the run */
        char msg[4200];
        snprintf(msg, sizeof msg, "--out: directory '%s' is not writable: %s", dir, strerror(errno));
        int rc = lcx_fail(cli, msg);
        lcx_cli_clear(cli);
        return rc;
    }
    return -1;
}

void lcx_cli_clear(lcx_cli *cli)
{
    if (cli) lcx_params_clear(&cli->params);
}
