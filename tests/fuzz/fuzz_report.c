/* SPDX-License-Identifier: MIT */
/* Fuzz target: the HDF5 loaders of infnum-report (microbench, peers,
 * fmnist, cartpole, html --run, diff), on the input as a result file
 * (seeds: small real result files; the fuzzer truncates and flips them).
 * Each subcommand must exit 0 or 1 (2 is a usage error: never here) and
 * read only what it allocated (ASan). */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_input.h"

static char dir[64], file[96], html[96];

static int run(int (*fn)(int, char **), const char *name, int tables)
{
    char *argv[8];
    int argc = 0;
    argv[argc++] = (char *)name;
    if (tables) {
        argv[argc++] = "--tsv-dir", argv[argc++] = dir;
        argv[argc++] = "--tex-dir", argv[argc++] = dir;
    } else if (fn == rp_html) {
        argv[argc++] = "--out", argv[argc++] = html;
        argv[argc++] = "--run";
    } else {
        argv[argc++] = file;
    }
    argv[argc++] = file;
    argv[argc] = NULL;
    return fn(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/infnum-fuzz-report.%ld", (long)getpid());
        mkdir(dir, 0700);
        snprintf(file, sizeof file, "%s/in.h5", dir);
        snprintf(html, sizeof html, "%s/out.html", dir);
    }
    FILE *f = fopen(file, "wb");
    if (!f) return 0;
    size_t w = fwrite(data, 1, size, f);
    if (fclose(f) || w != size) return 0;
    static const struct {
        int (*fn)(int, char **);
        const char *name;
        int tables;
    } subs[] = {{rp_microbench, "microbench", 1}, {rp_peers, "peers", 1}, {rp_fmnist, "fmnist", 1},
                {rp_cartpole, "cartpole", 1},     {rp_html, "html", 0},   {rp_diff, "diff", 0}};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        int rc = run(subs[i].fn, subs[i].name, subs[i].tables);
        if (rc != 0 && rc != 1) fprintf(stderr, "%s exited %d\n", subs[i].name, rc);
        FUZZ_ASSERT(rc == 0 || rc == 1);
    }
    return 0;
}
