/* SPDX-License-Identifier: MIT */
/*
 * lcx — shared support for the infnum experiment binaries (static library
 * `infnum_exp`, link target infnum_exp). Prefix `lcx_`.
 *
 * ---------------------------------------------------------------- contract
 * Every experiment binary is called
 *
 *   infnum-<exp> [--params FILE.json] [--set key=value]... --out FILE.h5
 *                [--threads N] [--device cpu|cuda] [--seed S] [--quiet] [--help]
 *                [--version]
 *
 *  - Parameters come from a table of defaults (lcx_param[] in the binary),
 *    then the JSON object in --params FILE (keys must be in the table), then
 *    every --set key=value in order (value is JSON — 3, 0.5, true, [1,2],
 *    "x" — or else a bare string; for lists "1,2,4" also works).
 *    --threads/--device/--seed are shorthands for --set threads=/device=/seed=.
 *    Every table implicitly has: seed (int, 0), threads (int, 1),
 *    device (string, "cpu").
 *  - Unknown keys and values of the wrong type are usage errors naming the
 *    key. --help prints a text generated from the table (name, type,
 *    default, help) and exits 0; --version prints the library version and
 *    the build's git commit (lcx_version) and exits 0.
 *  - Exit status: 0 success, 2 bad usage (message names the bad parameter),
 *    1 runtime failure (message on stderr). Progress goes to stderr
 *    (rate-limited; --quiet silences it); stdout is left free.
 *  - One HDF5 file per run, written to "<out>.tmp.<pid>" and renamed to
 *    <out> only when complete (lcx_h5_commit). A run that fails or is killed
 *    leaves no file named <out>. Layout and provenance: docs/results-format.md.
 *
 * Typical binary: a parameter table and a body; lcx_run does the rest.
 *
 *   static const lcx_param P[] = {
 *       {"sizes", LCX_INTS, "[1,10,100]", "batch sizes"},
 *       {"reps",  LCX_INT,  "5",          "repetitions per point"},
 *       {0}};
 *   static int body(const lcx_cli *cli, lcx_h5 *h, void *user) {
 *       if (lcx_get_int(&cli->params, "reps") < 1) return lcx_usage(cli, "reps", "must be >= 1");
 *       ... on a runtime error: return lcx_fail(cli, msg);
 *       ... write results; an lcx_h5_* failure: return -1 (lcx_run reports h->err)
 *       return lcx_h5_write_f64(h, "timing/add", 1, dims, t, "s") || lcx_h5_mark_timing(h, "timing/add") ? -1 : 0;
 *   }
 *   static const lcx_exp EXP = {"infnum-foo", "What foo measures.", P, body, NULL};
 *   int main(int argc, char **argv) { return lcx_run(&EXP, argc, argv); }
 *
 * Functions returning int return 0 on success and -1 on failure with a
 * message in the struct's err buffer (they never exit or abort).
 * lcx_h5_open and lcx_h5r_open turn off HDF5's automatic error printing
 * (process-wide HDF5 setting): errors are reported through err instead.
 * No global mutable state; each struct is owned by its caller.
 */
#ifndef INFNUM_LCX_H
#define INFNUM_LCX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LCX_ERRLEN 512

/* -------------------------------------------------------------- parameters */

typedef enum lcx_ptype {
    LCX_INT = 0, /* integer (JSON number with no fractional part), int64      */
    LCX_REAL,    /* JSON number, double                                        */
    LCX_BOOL,    /* true / false                                               */
    LCX_STR,     /* string                                                     */
    LCX_INTS,    /* array of integers                                          */
    LCX_REALS,   /* array of numbers                                           */
    LCX_STRS     /* array of strings                                           */
} lcx_ptype;

/* One row of a binary's parameter table; the table ends with {0}.
 * def is the default as JSON text ("3", "0.5", "true", "\"cpu\"", "[1,2]"). */
typedef struct lcx_param {
    const char *name;
    lcx_ptype type;
    const char *def;
    const char *help;
} lcx_param;

/* Resolved parameters: a JSON object with exactly the table's keys. */
typedef struct lcx_params {
    const lcx_param *table; /* the binary's table (not including the built-ins) */
    void *json;             /* cJSON object (owned)                          */
    char *json_text;        /* canonical compact JSON of the object (owned)  */
    char err[LCX_ERRLEN];
} lcx_params;

/* Largest --params file read (bytes). */
#define LCX_PARAMS_MAX_BYTES (1 << 20)

/* Fills p with the table's defaults (and the built-ins seed, threads,
 * device). Returns 0, or -1 if a default is malformed (a bug in the table). */
int lcx_params_init(lcx_params *p, const lcx_param *table);
/* Merges the JSON object in file path into p. Unknown keys or wrong types:
 * -1 with "FILE: unknown parameter 'k'" / "parameter 'k' must be ...". */
int lcx_params_load_file(lcx_params *p, const char *path);
/* Applies one "key=value" override (value as described in the contract). */
int lcx_params_set(lcx_params *p, const char *assignment);
/* Frees p. Safe on a zeroed or cleared struct. */
void lcx_params_clear(lcx_params *p);

/* Typed getters. The name must be in the table with that type; otherwise
 * they return 0 / 0.0 / "" (a programming error; lcx_params_init checks the
 * table itself). */
int64_t lcx_get_int(const lcx_params *p, const char *name);
double lcx_get_real(const lcx_params *p, const char *name);
int lcx_get_bool(const lcx_params *p, const char *name);
const char *lcx_get_str(const lcx_params *p, const char *name);
/* Arrays: length, and element i (0 ≤ i < length). */
int64_t lcx_get_len(const lcx_params *p, const char *name);
int64_t lcx_get_int_at(const lcx_params *p, const char *name, int64_t i);
double lcx_get_real_at(const lcx_params *p, const char *name, int64_t i);
const char *lcx_get_str_at(const lcx_params *p, const char *name, int64_t i);
/* The full resolved parameter JSON (compact, keys in table order), for
 * provenance. Valid until the next change to p. */
const char *lcx_params_json(const lcx_params *p);
/* Writes one line per parameter (name, type, default, help) to out. */
void lcx_params_help(const lcx_params *p, FILE *out);

/* --------------------------------------------------------------------- CLI */

typedef struct lcx_cli {
    const char *prog;
    lcx_params params;
    const char *out;    /* --out (required)                         */
    int64_t seed;       /* = params "seed"                          */
    int threads;        /* = params "threads" (≥ 1)                  */
    int cuda;           /* params "device" == "cuda"                */
    int quiet;          /* --quiet                                  */
} lcx_cli;

/* Parses argv by the contract above. Returns -1 when the binary should run;
 * otherwise the exit status to return at once: 0 after --help (text on
 * stdout), 2 after a usage error (message on stderr, naming the parameter).
 * summary is one paragraph printed under the usage line by --help. */
int lcx_cli_parse(lcx_cli *cli, const char *prog, const char *summary, const lcx_param *table,
                  int argc, char **argv);
/* Prints "PROG (infnum) VERSION" and a line with the git commit, build type
 * and compiler of this build to out (what --version prints). */
void lcx_version(FILE *out, const char *prog);
/* Prints "prog: msg" to stderr; returns 1 (the runtime-failure status). */
int lcx_fail(const lcx_cli *cli, const char *msg);
/* Prints "prog: bad parameter 'name': msg" to stderr; returns 2. For range
 * checks the table cannot express. */
int lcx_usage(const lcx_cli *cli, const char *name, const char *msg);
void lcx_cli_clear(lcx_cli *cli);

/* ------------------------------------------------------------ HDF5 writer */

typedef struct lcx_h5 {
    int64_t file;             /* hid_t of the open file, or -1          */
    char *path;               /* final path                             */
    char *tmp;                /* "<path>.tmp.<pid>"                      */
    char *timing;             /* comma-separated timing_fields          */
    char err[LCX_ERRLEN];
} lcx_h5;

/* Creates "<path>.tmp.<pid>" (empty, truncating a stale one; the file is
 * built in memory and written there at commit) and writes the provenance
 * attributes on "/": infnum_version, git_commit, git_dirty, compiler,
 * c_flags, build_type, params (the JSON), seed, threads, device, host,
 * start_time (UTC ISO-8601), program. Missing directories are an error
 * (the pipeline creates them). The temp file is removed on failure and on
 * SIGINT, SIGTERM and SIGHUP (unless the program handles those itself). */
int lcx_h5_open(lcx_h5 *h, const char *path, const lcx_cli *cli);
/* Writes a dataset of rank 1 or 2 (dims[0] × dims[1]) at name; "a/b/c"
 * creates groups a and a/b as needed. units (may be NULL) becomes the
 * string attribute "units" ("s", "bytes", "1" for dimensionless). */
int lcx_h5_write_f64(lcx_h5 *h, const char *name, int rank, const int64_t *dims,
                     const double *data, const char *units);
int lcx_h5_write_i64(lcx_h5 *h, const char *name, int rank, const int64_t *dims,
                     const int64_t *data, const char *units);
/* A 1-D dataset of n variable-length strings (labels of another axis). */
int lcx_h5_write_strs(lcx_h5 *h, const char *name, int64_t n, const char *const *s);
/* Attributes on an existing object (obj = "/" for the root, a group or a
 * dataset path). */
int lcx_h5_attr_str(lcx_h5 *h, const char *obj, const char *name, const char *value);
int lcx_h5_attr_f64(lcx_h5 *h, const char *obj, const char *name, double value);
int lcx_h5_attr_i64(lcx_h5 *h, const char *obj, const char *name, int64_t value);
/* Declares dataset name as run-dependent (timings, memory): it is listed in
 * the root attribute timing_fields, which the reproducibility check skips. */
int lcx_h5_mark_timing(lcx_h5 *h, const char *name);
/* Writes end_time and timing_fields, writes the file to the temp path
 * (every write checked, fsync'd) and renames it to the final path (atomic
 * on one file system). On failure (a full disk: "No space left on device")
 * the temp file is removed and nothing is left. h is cleared either way. */
int lcx_h5_commit(lcx_h5 *h);
/* Closes and deletes the temp file; h is cleared. Safe to call twice. */
void lcx_h5_abort(lcx_h5 *h);

/* ------------------------------------------------------------------ runner */

/* A binary's body: computes its results from cli->params and writes them
 * into h (open, provenance written). Returns 0 on success (lcx_run commits
 * h); otherwise the exit status after reporting: 2 from lcx_usage, 1 from
 * lcx_fail, or -1 when an lcx_h5_* call failed (lcx_run reports h->err and
 * exits 1). It never commits or aborts h. user is lcx_exp.user. */
typedef int (*lcx_body)(const lcx_cli *cli, lcx_h5 *h, void *user);

/* What an experiment binary is: its name, --help summary, parameter table
 * and body. */
typedef struct lcx_exp {
    const char *prog;       /* "infnum-foo"                       */
    const char *summary;    /* the --help paragraph               */
    const lcx_param *params; /* the table, ended by {0}           */
    lcx_body body;
    void *user;             /* passed to body (may be NULL)       */
    unsigned flags;         /* LCX_CPU_ONLY: --device cuda is bad usage */
} lcx_exp;
enum { LCX_CPU_ONLY = 1 };

/* The whole main() of an experiment binary: parses argv (lcx_cli_parse;
 * with LCX_CPU_ONLY, --device cuda is a usage error, so a CPU run is never
 * recorded as "cuda"), opens the results file at --out (lcx_h5_open), runs exp->body, then
 * commits the file when the body returns 0 and deletes it otherwise (no file
 * named --out is left after a failure); frees everything. Returns the exit
 * status: 0 success (or --help), 1 runtime failure, 2 bad usage, each with
 * its message on stderr. */
int lcx_run(const lcx_exp *exp, int argc, char **argv);

/* ------------------------------------------------------------ HDF5 reader
 * For the report tool and tests. Read functions allocate *data with malloc
 * (caller frees) and store the dimensions (rank ≤ 2; dims[1] = 1 for rank 1). */

typedef struct lcx_h5r {
    int64_t file;
    unsigned char *img; /* the file's bytes (checked before libhdf5 reads them) */
    size_t nimg;
    char err[LCX_ERRLEN];
} lcx_h5r;

/* The reader checks what can be checked before libhdf5 reads a file's data
 * (rank, element counts up to LCX_H5R_MAX_ELEMS, type classes, string sizes
 * up to LCX_H5R_MAX_STR, that attributes read as one value hold one, that
 * numeric datasets are stored in full); the integrity of the file's own
 * structure (object headers, B-trees, heaps) is libhdf5's responsibility. */
#define LCX_H5R_MAX_ELEMS ((unsigned long long)1 << 28)
#define LCX_H5R_MAX_STR ((size_t)1 << 20)
int lcx_h5r_open(lcx_h5r *r, const char *path);
void lcx_h5r_close(lcx_h5r *r);
/* 1 if the object (group or dataset) exists, 0 if not. */
int lcx_h5r_exists(lcx_h5r *r, const char *name);
int lcx_h5r_read_f64(lcx_h5r *r, const char *name, double **data, int64_t dims[2]);
int lcx_h5r_read_i64(lcx_h5r *r, const char *name, int64_t **data, int64_t dims[2]);
/* Strings: *s is an array of n malloc'd strings (free with lcx_strs_free). */
int lcx_h5r_read_strs(lcx_h5r *r, const char *name, char ***s, int64_t *n);
void lcx_strs_free(char **s, int64_t n);
/* String attribute (malloc'd copy in *value); obj as in lcx_h5_attr_str. */
int lcx_h5r_attr_str(lcx_h5r *r, const char *obj, const char *name, char **value);
int lcx_h5r_attr_f64(lcx_h5r *r, const char *obj, const char *name, double *value);

/* ---------------------------------------------------- progress and timing */

/* Seconds on the monotonic clock. */
double lcx_now(void);
/* Peak resident set size of this process so far, bytes. */
int64_t lcx_peak_rss(void);
/* Current UTC time as ISO-8601 "2026-01-31T12:00:00Z" into buf (≥ 21 bytes). */
void lcx_utc_now(char *buf, size_t size);

typedef struct lcx_progress {
    const char *label;
    int64_t total, done;
    double t0, last;
    int quiet;
    int tty;   /* stderr is a terminal: the line redraws in place */
} lcx_progress;

/* Starts a progress line for total units of work. On a terminal (isatty of
 * stderr) the line is redrawn in place; otherwise (logs, pipes) every update
 * is a line of its own. */
void lcx_progress_init(lcx_progress *p, const char *label, int64_t total, int quiet);
/* Adds n done units; prints "label: done/total (pct%) elapsed, ETA" to
 * stderr at most once a second. */
void lcx_progress_step(lcx_progress *p, int64_t n);
/* Prints the final line ("label: total/total done in T s"), ending the line
 * that was redrawn in place on a terminal. */
void lcx_progress_done(lcx_progress *p);

/* Build information baked in by CMake (regenerated at every build). */
const char *lcx_git_commit(void); /* 40 hex digits or "unknown"      */
int lcx_git_dirty(void);          /* 1 dirty, 0 clean, -1 unknown    */
const char *lcx_compiler(void);   /* "GNU 12.2.0"                    */
const char *lcx_c_flags(void);
const char *lcx_build_type(void);

#ifdef __cplusplus
}
#endif
#endif /* INFNUM_LCX_H */
