/* SPDX-License-Identifier: MIT */
/* HDF5 results: the reader for the report tool and tests (lcx_h5r_*), with
 * the checks of lcx.h's "Reading untrusted files" made before libhdf5 reads
 * a file's data. */
#define _POSIX_C_SOURCE 200809L
#include "h5int.h"
#include "lcx.h"

#include <hdf5.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ reader */

static uint64_t le_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* Checks a file before libhdf5 opens it: the superblock must be version 2
 * or later (format 1.8+, the writer's: every metadata block has a checksum
 * that libhdf5 verifies) with 8-byte offsets and lengths; the global heap
 * collections (where variable-length strings live, without a checksum)
 * must be sound: every "GCOL" block of version 1 inside the file and every
 * object in it inside the block (a flipped size makes libhdf5 copy past its
 * buffers or loop). 0 or -1 (message). */
/* Walks the global heap collection at byte o of the file as libhdf5 does:
 * a "GCOL" block of version 1 inside the file; an object takes 16 + its
 * size rounded up to 8, the free-space object (index 0) its size, header
 * included; each must advance and end inside the block. Returns 0 with
 * *size of object idx (idx ≥ 1; idx 0: only the walk), 1 if there is no
 * such object, -1 if the block is corrupt. */
static int heap_object(const lcx_h5r *r, uint64_t o, unsigned idx, uint64_t *size)
{
    const unsigned char *d = r->img;
    uint64_t n = r->nimg;
    if (o > n || n - o < 16 || memcmp(d + o, "GCOL", 4) || d[o + 4] != 1) return -1;
    uint64_t bsz = le_u64(d + o + 8), end;
    if (bsz < 16 || bsz > n - o) return -1;
    end = o + bsz;
    for (uint64_t p = o + 16; p + 16 <= end;) {
        unsigned id = d[p] | (unsigned)d[p + 1] << 8;
        uint64_t osz = le_u64(d + p + 8), need = id ? 16 + ((osz + 7) & ~(uint64_t)7) : osz;
        if (osz > end - p || need < 16 || need > end - p) return -1;
        if (idx && id == idx) return *size = osz, 0;
        p += need;
    }
    return idx ? 1 : 0;
}

/* The descriptors of a variable-length string dataset (contiguous, in the
 * file's raw data, which has no checksum): each (length, heap address,
 * index) must name an object of the heap of exactly that length. 1 if
 * all do. */
static int vlen_descriptors_ok(const lcx_h5r *r, hid_t ds, size_t cnt)
{
    haddr_t off = H5Dget_offset(ds);
    if (cnt == 0) return 1;
    if (off == HADDR_UNDEF || off > r->nimg || (r->nimg - off) / 16 < cnt) return 0;
    for (size_t i = 0; i < cnt; i++) {
        const unsigned char *p = r->img + off + 16 * i;
        uint64_t len = p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24, size;
        unsigned idx = p[12] | (unsigned)p[13] << 8 | (unsigned)p[14] << 16 | (unsigned)p[15] << 24;
        if (len == 0) continue;
        if (len > LCX_H5R_MAX_STR || idx == 0 || idx > 0xffff || heap_object(r, le_u64(p + 4), idx, &size) != 0 ||
            size != len)
            return 0;
    }
    return 1;
}

static int heaps_ok(lcx_h5r *r, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return lcx_h5_err(r->err, "cannot read %s", path);
    unsigned char *d = NULL;
    size_t n = 0, cap = 0, got;
    int rc = 0;
    do { /* the whole file (result files are small) */
        if (n == cap) {
            unsigned char *t = cap < ((size_t)1 << 32) ? realloc(d, cap = cap ? 2 * cap : 1 << 16) : NULL;
            if (!t) { rc = lcx_h5_err(r->err, "%s: out of memory", path); break; }
            d = t;
        }
        got = fread(d + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    r->img = d, r->nimg = n;
    /* superblock at 0, version ≥ 2 (checksummed metadata), 8-byte offsets and lengths */
    if (rc == 0 && (n < 16 || memcmp(d, "\211HDF\r\n\032\n", 8) || d[8] < 2 || d[9] != 8 || d[10] != 8))
        rc = lcx_h5_err(r->err, "%s: not an HDF5 file with checksummed metadata (format 1.8 or later, as written here)", path);
    for (size_t o = 0; rc == 0 && n >= 16 && o <= n - 16; o++)
        if (!memcmp(d + o, "GCOL", 4) && d[o + 4] == 1 && heap_object(r, o, 0, NULL) < 0)
            rc = lcx_h5_err(r->err, "%s: corrupt global heap at byte %zu", path, o);
    return rc;
}

int lcx_h5r_open(lcx_h5r *r, const char *path)
{
    memset(r, 0, sizeof *r);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    r->file = -1;
    if (heaps_ok(r, path)) {
        lcx_h5r_close(r);
        return -1;
    }
    r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0) {
        lcx_h5r_close(r);
        return lcx_h5_err(r->err, "cannot open %s as HDF5 (or a metadata checksum fails)", path);
    }
    return 0;
}

void lcx_h5r_close(lcx_h5r *r)
{
    if (!r) return;
    if (r->file >= 0) H5Fclose(r->file);
    r->file = -1;
    free(r->img);
    r->img = NULL, r->nimg = 0;
}

int lcx_h5r_exists(lcx_h5r *r, const char *name)
{
    if (!strcmp(name, "/")) return 1;
    char buf[1024];
    if (strlen(name) >= sizeof buf) return 0;
    strcpy(buf, name);
    /* Check each prefix: H5Lexists fails if an intermediate link is missing. */
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (H5Lexists(r->file, buf, H5P_DEFAULT) <= 0) return 0;
            *p = c;
            if (!c) return 1;
        }
    }
}

/* 1 if attribute or dataset space sp holds exactly one element. */
static int one_element(hid_t sp)
{
    return sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1;
}

/* 1 if type t may be read as numbers (integer or float of at most 8
 * bytes: no compound, array, reference or variable-length data). */
static int numeric_type(hid_t t)
{
    H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    size_t sz = t >= 0 ? H5Tget_size(t) : 0;
    return (c == H5T_INTEGER || c == H5T_FLOAT) && sz >= 1 && sz <= 8;
}

/* Opens dataset name and checks what can be checked before the library
 * reads it: rank 1 or 2, at most LCX_H5R_MAX_ELEMS elements, the type
 * class (strings when want_str, else numbers) and, for numbers, that the
 * file stores every element (a truncated file says less). dims[1] = 1 for
 * rank 1. */
static hid_t open_ds(lcx_h5r *r, const char *name, int64_t dims[2], size_t *count, int want_str)
{
    if (!lcx_h5r_exists(r, name)) {
        lcx_h5_err(r->err, "no dataset '%s'", name);
        return -1;
    }
    hid_t ds = H5Dopen2(r->file, name, H5P_DEFAULT);
    if (ds < 0) {
        lcx_h5_err(r->err, "cannot open dataset '%s'", name);
        return -1;
    }
    hid_t sp = H5Dget_space(ds);
    hsize_t d[2] = {1, 1};
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (rank < 1 || rank > 2 || H5Sget_simple_extent_dims(sp, d, NULL) < 0) {
        if (sp >= 0) H5Sclose(sp);
        H5Dclose(ds);
        lcx_h5_err(r->err, "dataset '%s' is not 1-D or 2-D", name);
        return -1;
    }
    H5Sclose(sp);
    if (rank == 1) d[1] = 1;
    if (d[0] > LCX_H5R_MAX_ELEMS || d[1] > LCX_H5R_MAX_ELEMS || (d[1] && d[0] > LCX_H5R_MAX_ELEMS / d[1])) {
        H5Dclose(ds);
        lcx_h5_err(r->err, "dataset '%s' is too large (%llu x %llu)", name, (unsigned long long)d[0],
             (unsigned long long)d[1]);
        return -1;
    }
    dims[0] = (int64_t)d[0];
    dims[1] = (int64_t)d[1];
    *count = (size_t)(dims[0] * dims[1]);
    hid_t ft = H5Dget_type(ds);
    int ok = want_str ? ft >= 0 && H5Tget_class(ft) == H5T_STRING
                      : numeric_type(ft) && H5Dget_storage_size(ds) >= (hsize_t)*count * H5Tget_size(ft);
    if (ft >= 0) H5Tclose(ft);
    if (!ok) {
        H5Dclose(ds);
        lcx_h5_err(r->err, "dataset '%s' is not %s", name, want_str ? "a string dataset" : "complete numeric data");
        return -1;
    }
    return ds;
}

static int read_num(lcx_h5r *r, const char *name, hid_t mtype, size_t esize, void **data,
                    int64_t dims[2])
{
    size_t n;
    *data = NULL;
    hid_t ds = open_ds(r, name, dims, &n, 0);
    if (ds < 0) return -1;
    void *buf = malloc(n ? n * esize : 1);
    int rc = buf && H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0 ? 0 : -1;
    H5Dclose(ds);
    if (rc) {
        free(buf);
        return lcx_h5_err(r->err, "cannot read dataset '%s' as numbers", name);
    }
    *data = buf;
    return 0;
}

int lcx_h5r_read_f64(lcx_h5r *r, const char *name, double **data, int64_t dims[2])
{
    return read_num(r, name, H5T_NATIVE_DOUBLE, sizeof **data, (void **)data, dims);
}

int lcx_h5r_read_i64(lcx_h5r *r, const char *name, int64_t **data, int64_t dims[2])
{
    return read_num(r, name, H5T_NATIVE_INT64, sizeof **data, (void **)data, dims);
}

void lcx_strs_free(char **s, int64_t n)
{
    if (!s) return;
    for (int64_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

int lcx_h5r_read_strs(lcx_h5r *r, const char *name, char ***s, int64_t *n)
{
    int64_t dims[2];
    size_t cnt;
    *s = NULL;
    *n = 0;
    hid_t ds = open_ds(r, name, dims, &cnt, 1), t = -1, sp = -1, ft = -1;
    char **raw = NULL, **out = NULL, *fixed = NULL;
    int rc = -1;
    if (ds < 0) goto done;
    ft = H5Dget_type(ds);
    out = calloc(cnt ? cnt : 1, sizeof *out);
    sp = H5Dget_space(ds);
    if (ft < 0 || !out || sp < 0) goto done;
    if (H5Tis_variable_str(ft) > 0) {
        if (!vlen_descriptors_ok(r, ds, cnt)) goto done; /* before libhdf5 follows them */
        t = lcx_h5_vstr_type();
        raw = calloc(cnt ? cnt : 1, sizeof *raw);
        if (t < 0 || !raw || H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) goto done;
        rc = 0;
        for (size_t i = 0; i < cnt && rc == 0; i++)
            if (!(out[i] = lcx_h5_dupstr(raw[i] ? raw[i] : ""))) rc = -1;
        H5Dvlen_reclaim(t, sp, H5P_DEFAULT, raw);
    } else { /* fixed length: read as stored, each string cut at its size */
        size_t sz = H5Tget_size(ft);
        if (sz < 1 || sz > LCX_H5R_MAX_STR || (t = H5Tcopy(ft)) < 0 || !(fixed = malloc(cnt ? cnt * sz : 1)) ||
            H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, fixed) < 0)
            goto done;
        rc = 0;
        for (size_t i = 0; i < cnt && rc == 0; i++) {
            size_t len = strnlen(fixed + i * sz, sz);
            if (!(out[i] = malloc(len + 1))) rc = -1;
            else memcpy(out[i], fixed + i * sz, len), out[i][len] = '\0';
        }
    }
done:
    if (rc == 0) {
        *s = out;
        *n = (int64_t)cnt;
    } else {
        lcx_strs_free(out, (int64_t)cnt);
        if (ds >= 0) lcx_h5_err(r->err, "cannot read dataset '%s' as strings", name);
    }
    free(raw);
    free(fixed);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (ft >= 0) H5Tclose(ft);
    if (ds >= 0) H5Dclose(ds);
    return rc;
}

int lcx_h5r_attr_str(lcx_h5r *r, const char *obj, const char *name, char **value)
{
    *value = NULL;
    if (!lcx_h5r_exists(r, obj) || H5Aexists_by_name(r->file, obj, name, H5P_DEFAULT) <= 0)
        return lcx_h5_err(r->err, "no attribute '%s' on '%s'", name, obj);
    hid_t a = H5Aopen_by_name(r->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : -1, mt = -1, sp = a >= 0 ? H5Aget_space(a) : -1;
    int rc = -1, one = one_element(sp);
    if (sp >= 0) H5Sclose(sp);
    /* one string, not an array of them (H5Aread would write past *value) */
    if (ft < 0 || H5Tget_class(ft) != H5T_STRING || !one) goto done;
    if (H5Tis_variable_str(ft) > 0) {
        char *s = NULL;
        mt = lcx_h5_vstr_type();
        if (mt >= 0 && H5Aread(a, mt, &s) >= 0) {
            *value = lcx_h5_dupstr(s ? s : "");
            rc = *value ? 0 : -1;
            H5free_memory(s);
        }
    } else {
        size_t sz = H5Tget_size(ft);
        char *s = sz >= 1 && sz <= LCX_H5R_MAX_STR ? calloc(sz + 1, 1) : NULL;
        mt = H5Tcopy(ft);
        if (s && mt >= 0 && H5Aread(a, mt, s) >= 0) {
            *value = s;
            rc = 0;
        } else free(s);
    }
done:
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return rc ? lcx_h5_err(r->err, "cannot read string attribute '%s' on '%s'", name, obj) : 0;
}

int lcx_h5r_attr_f64(lcx_h5r *r, const char *obj, const char *name, double *value)
{
    if (!lcx_h5r_exists(r, obj) || H5Aexists_by_name(r->file, obj, name, H5P_DEFAULT) <= 0)
        return lcx_h5_err(r->err, "no attribute '%s' on '%s'", name, obj);
    hid_t a = H5Aopen_by_name(r->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : -1, sp = a >= 0 ? H5Aget_space(a) : -1;
    /* one number (an array attribute would be written past value) */
    int rc = a >= 0 && numeric_type(ft) && one_element(sp) && H5Aread(a, H5T_NATIVE_DOUBLE, value) >= 0 ? 0 : -1;
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return rc ? lcx_h5_err(r->err, "cannot read numeric attribute '%s' on '%s'", name, obj) : 0;
}
