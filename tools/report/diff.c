/* SPDX-License-Identifier: MIT */
/* infnum-report diff A.h5 B.h5: 0 if every dataset not listed in the root
 * attribute timing_fields is identical (same shape, same bytes / strings) in
 * both files, and the params attribute is equal; 1 otherwise (each difference
 * on stderr). Time stamps, host and other provenance are not compared. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <hdf5.h>

#include <stdlib.h>
#include <string.h>

typedef struct dctx {
    lcx_h5r *a, *b;
    const char *timing; /* ",x,y," */
    int diffs, errors, reverse;
} dctx;

static int is_timing(const dctx *c, const char *name)
{
    char key[1100];
    snprintf(key, sizeof key, ",%s,", name);
    return strstr(c->timing, key) != NULL;
}

/* Raw bytes of a numeric dataset in its native memory type. */
static void *read_raw(lcx_h5r *r, const char *name, size_t *bytes, hsize_t *npts)
{
    hid_t ds = H5Dopen2(r->file, name, H5P_DEFAULT);
    hid_t ft = ds >= 0 ? H5Dget_type(ds) : -1;
    hid_t mt = ft >= 0 ? H5Tget_native_type(ft, H5T_DIR_ASCEND) : -1;
    hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
    void *buf = NULL;
    H5T_class_t cl = ft >= 0 ? H5Tget_class(ft) : H5T_NO_CLASS;
    hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    /* numbers only, of a size the reader accepts (anything else: "differs") */
    if (mt >= 0 && np >= 0 && (hsize_t)np <= LCX_H5R_MAX_ELEMS && (cl == H5T_INTEGER || cl == H5T_FLOAT) &&
        H5Tget_size(mt) <= 8) {
        *npts = (hsize_t)np;
        *bytes = (size_t)*npts * H5Tget_size(mt);
        buf = malloc(*bytes ? *bytes : 1);
        if (buf && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        }
    }
    if (sp >= 0) H5Sclose(sp);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (ds >= 0) H5Dclose(ds);
    return buf;
}

static int is_string(lcx_h5r *r, const char *name)
{
    hid_t ds = H5Dopen2(r->file, name, H5P_DEFAULT);
    hid_t ft = ds >= 0 ? H5Dget_type(ds) : -1;
    int s = ft >= 0 && H5Tget_class(ft) == H5T_STRING;
    if (ft >= 0) H5Tclose(ft);
    if (ds >= 0) H5Dclose(ds);
    return s;
}

static int same(lcx_h5r *a, lcx_h5r *b, const char *name)
{
    if (is_string(a, name) != is_string(b, name)) return 0;
    if (is_string(a, name)) {
        char **x = NULL, **y = NULL;
        int64_t nx = RP_ANY, ny = RP_ANY;
        int eq = !rp_read_strs(a, name, &nx, &x) && !rp_read_strs(b, name, &ny, &y) && nx == ny;
        for (int64_t i = 0; eq && i < nx; i++) eq = !strcmp(x[i], y[i]);
        lcx_strs_free(x, nx);
        lcx_strs_free(y, ny);
        return eq;
    }
    size_t bx = 0, by = 0;
    hsize_t px = 0, py = 0;
    void *x = read_raw(a, name, &bx, &px), *y = read_raw(b, name, &by, &py);
    int eq = x && y && bx == by && px == py && !memcmp(x, y, bx);
    free(x);
    free(y);
    return eq;
}

static herr_t visit(hid_t obj, const char *name, const H5O_info_t *info, void *op)
{
    dctx *c = op;
    (void)obj;
    if (info->type != H5O_TYPE_DATASET || is_timing(c, name)) return 0;
    if (!lcx_h5r_exists(c->b, name)) {
        fprintf(stderr, "dataset %s only in %s file\n", name, c->reverse ? "the second" : "the first");
        c->diffs++;
    } else if (!c->reverse && !same(c->a, c->b, name)) {
        fprintf(stderr, "dataset %s differs\n", name);
        c->diffs++;
    }
    return 0;
}

static const char help[] =
    "usage: infnum-report diff A.h5 B.h5\n\n"
    "Exit 0 if the two result files hold identical datasets (except those listed\n"
    "in the root attribute timing_fields) and equal params; 1 otherwise.\n";

int rp_diff(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("%s", help);
        return 0;
    }
    if (argc != 3) return rp_err(2, "diff", "expected two files (see --help)");
    lcx_h5r a, b;
    char *ta = NULL, *tb = NULL, *pa = NULL, *pb = NULL, *timing = NULL;
    int rc = 1;
    if (lcx_h5r_open(&a, argv[1])) return rp_err(1, "diff", "%s", a.err);
    if (lcx_h5r_open(&b, argv[2])) {
        lcx_h5r_close(&a);
        return rp_err(1, "diff", "%s", b.err);
    }
    if (lcx_h5r_attr_str(&a, "/", "timing_fields", &ta) || lcx_h5r_attr_str(&b, "/", "timing_fields", &tb) ||
        lcx_h5r_attr_str(&a, "/", "params", &pa) || lcx_h5r_attr_str(&b, "/", "params", &pb)) {
        rp_err(1, "diff", "missing provenance (timing_fields, params): not an infnum result file");
        goto done;
    }
    if (strcmp(pa, pb)) fprintf(stderr, "params differ:\n  %s\n  %s\n", pa, pb);
    size_t n = strlen(ta) + strlen(tb) + 4;
    if (!(timing = malloc(n))) goto done;
    snprintf(timing, n, ",%s,%s,", ta, tb);
    dctx c = {&a, &b, timing, strcmp(pa, pb) != 0, 0, 0};
    if (H5Ovisit(a.file, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &c) < 0) c.errors++;
    c.a = &b, c.b = &a, c.reverse = 1;
    if (H5Ovisit(b.file, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &c) < 0) c.errors++;
    if (c.errors) rp_err(1, "diff", "cannot walk the files");
    else if (!c.diffs) rc = 0;
    if (c.diffs) fprintf(stderr, "%d difference(s)\n", c.diffs);
done:
    free(ta), free(tb), free(pa), free(pb), free(timing);
    lcx_h5r_close(&a);
    lcx_h5r_close(&b);
    return rc;
}
