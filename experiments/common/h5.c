/* SPDX-License-Identifier: MIT */
/* HDF5 results: the atomic writer with provenance (the reader: h5read.c). */
#define _POSIX_C_SOURCE 200809L
#include "h5int.h"
#include "lcx.h"

#include "infnum/infnum.h"

#include <hdf5.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lcx_h5_err(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, LCX_ERRLEN, fmt, ap);
    va_end(ap);
    return -1;
}

char *lcx_h5_dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

hid_t lcx_h5_vstr_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Writes attribute name of type mtype (one element) on object obj. */
static int put_attr(hid_t file, const char *obj, const char *name, hid_t ftype, hid_t mtype,
                    const void *value, char *err)
{
    int rc = -1;
    hid_t sp = H5Screate(H5S_SCALAR), a = -1;
    if (sp < 0) goto done;
    if (H5Aexists_by_name(file, obj, name, H5P_DEFAULT) > 0) H5Adelete_by_name(file, obj, name, H5P_DEFAULT);
    a = H5Acreate_by_name(file, obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0 && H5Awrite(a, mtype, value) >= 0) rc = 0;
done:
    if (a >= 0) H5Aclose(a);
    if (sp >= 0) H5Sclose(sp);
    return rc ? lcx_h5_err(err, "cannot write attribute '%s' on '%s'", name, obj) : 0;
}

static int attr_str(hid_t file, const char *obj, const char *name, const char *value, char *err)
{
    hid_t t = lcx_h5_vstr_type();
    if (t < 0) return lcx_h5_err(err, "HDF5 string type");
    int rc = put_attr(file, obj, name, t, t, &value, err);
    H5Tclose(t);
    return rc;
}

int lcx_h5_attr_str(lcx_h5 *h, const char *obj, const char *name, const char *value)
{
    if (h->file < 0) return lcx_h5_err(h->err, "lcx_h5_attr_str: file not open");
    return attr_str(h->file, obj, name, value ? value : "", h->err);
}

int lcx_h5_attr_f64(lcx_h5 *h, const char *obj, const char *name, double value)
{
    if (h->file < 0) return lcx_h5_err(h->err, "lcx_h5_attr_f64: file not open");
    return put_attr(h->file, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, h->err);
}

int lcx_h5_attr_i64(lcx_h5 *h, const char *obj, const char *name, int64_t value)
{
    if (h->file < 0) return lcx_h5_err(h->err, "lcx_h5_attr_i64: file not open");
    return put_attr(h->file, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, h->err);
}

/* ------------------------------------------------ temp files and signals
 * The file is built in memory (HDF5's core driver: no libhdf5 write ever
 * meets the disk, so a full disk cannot leave libhdf5 with a file it fails
 * to close) and written to "<path>.tmp.<pid>" at commit with plain write()
 * calls, each checked. The temp file is created empty at open (a missing
 * or read-only directory fails before any work) and removed on every
 * failure and on SIGINT, SIGTERM and SIGHUP: the handler unlinks the temp
 * files of the open writers and re-raises the signal with its default
 * action. (SIGKILL cannot be handled: an empty or partial temp file stays,
 * never a file under the final name.) */
enum { LCX_MAX_OPEN = 8 };
static char tmp_names[LCX_MAX_OPEN][4096];
static volatile sig_atomic_t tmp_used[LCX_MAX_OPEN];

static void on_signal(int sig)
{
    for (int i = 0; i < LCX_MAX_OPEN; i++)
        if (tmp_used[i]) unlink(tmp_names[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Registers path for removal on a signal (handlers installed once, only
 * over the default disposition). */
static void track(const char *path)
{
    static int installed;
    if (!installed) {
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        installed = 1;
        for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
            struct sigaction old, sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_signal;
            sigemptyset(&sa.sa_mask);
            if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) sigaction(sigs[i], &sa, NULL);
        }
    }
    if (strlen(path) >= sizeof tmp_names[0]) return;
    for (int i = 0; i < LCX_MAX_OPEN; i++)
        if (!tmp_used[i]) {
            strcpy(tmp_names[i], path);
            tmp_used[i] = 1;
            return;
        }
}

static void untrack(const char *path)
{
    for (int i = 0; path && i < LCX_MAX_OPEN; i++)
        if (tmp_used[i] && !strcmp(tmp_names[i], path)) tmp_used[i] = 0;
}

static void clear(lcx_h5 *h)
{
    if (h->file >= 0) H5Fclose(h->file); /* in memory: cannot fail for lack of disk */
    h->file = -1;
    untrack(h->tmp);
    free(h->path);
    free(h->tmp);
    free(h->timing);
    h->path = h->tmp = h->timing = NULL;
}

void lcx_h5_abort(lcx_h5 *h)
{
    if (!h) return;
    if (h->file >= 0) H5Fclose(h->file);
    h->file = -1;
    if (h->tmp) remove(h->tmp);
    clear(h);
}

static int provenance(lcx_h5 *h, const lcx_cli *cli)
{
    char host[256] = "unknown", now[32];
    if (gethostname(host, sizeof host - 1)) snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    lcx_utc_now(now, sizeof now);
    const char *prog = cli->prog ? cli->prog : "unknown";
    const char *dev = cli->cuda ? "cuda" : "cpu";
    if (attr_str(h->file, "/", "program", prog, h->err) ||
        attr_str(h->file, "/", "infnum_version", LC_VERSION_STRING, h->err) ||
        attr_str(h->file, "/", "git_commit", lcx_git_commit(), h->err) ||
        lcx_h5_attr_i64(h, "/", "git_dirty", lcx_git_dirty()) ||
        attr_str(h->file, "/", "compiler", lcx_compiler(), h->err) ||
        attr_str(h->file, "/", "c_flags", lcx_c_flags(), h->err) ||
        attr_str(h->file, "/", "build_type", lcx_build_type(), h->err) ||
        attr_str(h->file, "/", "params", lcx_params_json(&cli->params), h->err) ||
        lcx_h5_attr_i64(h, "/", "seed", cli->seed) ||
        lcx_h5_attr_i64(h, "/", "threads", cli->threads) ||
        attr_str(h->file, "/", "device", dev, h->err) ||
        attr_str(h->file, "/", "cpu_isa", lc_isa_name(), h->err) ||
        attr_str(h->file, "/", "host", host, h->err) ||
        attr_str(h->file, "/", "start_time", now, h->err) ||
        attr_str(h->file, "/", "results_format", "infnum-results/1", h->err))
        return -1;
    return 0;
}

int lcx_h5_open(lcx_h5 *h, const char *path, const lcx_cli *cli)
{
    memset(h, 0, sizeof *h);
    h->file = -1;
    if (!path || !*path) return lcx_h5_err(h->err, "lcx_h5_open: empty path");
    size_t n = strlen(path) + 32;
    h->path = lcx_h5_dupstr(path);
    h->tmp = malloc(n);
    h->timing = lcx_h5_dupstr("");
    if (!h->path || !h->tmp || !h->timing) {
        clear(h);
        return lcx_h5_err(h->err, "lcx_h5_open: out of memory");
    }
    snprintf(h->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors are reported through h->err */
    int fd = open(h->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        lcx_h5_err(h->err, "cannot create %s: %s", h->tmp, strerror(errno));
        clear(h);
        return -1;
    }
    close(fd);
    track(h->tmp);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* format 1.8 or later: every metadata block carries a checksum that
     * libhdf5 verifies on read (the reader accepts only such files) */
    if (fapl >= 0 && H5Pset_fapl_core(fapl, (size_t)1 << 20, 0) >= 0 &&
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST) >= 0)
        h->file = H5Fcreate(h->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (fapl >= 0) H5Pclose(fapl);
    if (h->file < 0) {
        lcx_h5_err(h->err, "cannot create %s in memory (HDF5 error)", h->tmp);
        remove(h->tmp);
        clear(h);
        return -1;
    }
    if (provenance(h, cli)) {
        char msg[LCX_ERRLEN];
        memcpy(msg, h->err, sizeof msg);
        lcx_h5_abort(h);
        memcpy(h->err, msg, sizeof msg);
        return -1;
    }
    return 0;
}

/* Link-creation property list that creates missing groups (caller closes). */
static hid_t lcpl_groups(void)
{
    hid_t p = H5Pcreate(H5P_LINK_CREATE);
    if (p >= 0) H5Pset_create_intermediate_group(p, 1);
    return p;
}

static int write_ds(lcx_h5 *h, const char *name, int rank, const int64_t *dims, hid_t ftype,
                    hid_t mtype, const void *data, const char *units)
{
    if (h->file < 0) return lcx_h5_err(h->err, "write '%s': file not open", name);
    if (rank < 1 || rank > 2 || !dims) return lcx_h5_err(h->err, "write '%s': rank must be 1 or 2", name);
    hsize_t d[2];
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0) return lcx_h5_err(h->err, "write '%s': negative dimension", name);
        d[i] = (hsize_t)dims[i];
    }
    int rc = -1;
    hid_t sp = H5Screate_simple(rank, d, NULL), lp = lcpl_groups(), ds = -1;
    if (sp >= 0 && lp >= 0)
        ds = H5Dcreate2(h->file, name, ftype, sp, lp, H5P_DEFAULT, H5P_DEFAULT);
    if (ds >= 0 && H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0) rc = 0;
    if (ds >= 0) H5Dclose(ds);
    if (lp >= 0) H5Pclose(lp);
    if (sp >= 0) H5Sclose(sp);
    if (rc) return lcx_h5_err(h->err, "cannot write dataset '%s' (exists already?)", name);
    return units ? lcx_h5_attr_str(h, name, "units", units) : 0;
}

int lcx_h5_write_f64(lcx_h5 *h, const char *name, int rank, const int64_t *dims,
                     const double *data, const char *units)
{
    return write_ds(h, name, rank, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data, units);
}

int lcx_h5_write_i64(lcx_h5 *h, const char *name, int rank, const int64_t *dims,
                     const int64_t *data, const char *units)
{
    return write_ds(h, name, rank, dims, H5T_STD_I64LE, H5T_NATIVE_INT64, data, units);
}

int lcx_h5_write_strs(lcx_h5 *h, const char *name, int64_t n, const char *const *s)
{
    hid_t t = lcx_h5_vstr_type();
    if (t < 0) return lcx_h5_err(h->err, "HDF5 string type");
    int rc = write_ds(h, name, 1, &n, t, t, s, NULL);
    H5Tclose(t);
    return rc;
}

int lcx_h5_mark_timing(lcx_h5 *h, const char *name)
{
    if (h->file < 0) return lcx_h5_err(h->err, "lcx_h5_mark_timing: file not open");
    size_t a = strlen(h->timing), b = strlen(name);
    char *t = realloc(h->timing, a + b + 2);
    if (!t) return lcx_h5_err(h->err, "lcx_h5_mark_timing: out of memory");
    if (a) t[a++] = ',';
    memcpy(t + a, name, b + 1);
    h->timing = t;
    return 0;
}

/* Jenkins' lookup3 hash ("hashlittle", initial value 0): the checksum of
 * HDF5's metadata blocks. */
static uint32_t lookup3(const unsigned char *k, size_t len)
{
#define LC_ROT(x, r) (((x) << (r)) | ((x) >> (32 - (r))))
    uint32_t a, b, c;
    a = b = c = 0xdeadbeefu + (uint32_t)len;
    for (; len > 12; len -= 12, k += 12) {
        a += k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
        b += k[4] | (uint32_t)k[5] << 8 | (uint32_t)k[6] << 16 | (uint32_t)k[7] << 24;
        c += k[8] | (uint32_t)k[9] << 8 | (uint32_t)k[10] << 16 | (uint32_t)k[11] << 24;
        a -= c, a ^= LC_ROT(c, 4), c += b;
        b -= a, b ^= LC_ROT(a, 6), a += c;
        c -= b, c ^= LC_ROT(b, 8), b += a;
        a -= c, a ^= LC_ROT(c, 16), c += b;
        b -= a, b ^= LC_ROT(a, 19), a += c;
        c -= b, c ^= LC_ROT(b, 4), b += a;
    }
    if (len == 0) return c;
    unsigned char t[12] = {0};
    memcpy(t, k, len);
    a += t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    b += t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
    c += t[8] | (uint32_t)t[9] << 8 | (uint32_t)t[10] << 16 | (uint32_t)t[11] << 24;
    c ^= b, c -= LC_ROT(b, 14);
    a ^= c, a -= LC_ROT(c, 11);
    b ^= a, b -= LC_ROT(a, 25);
    c ^= b, c -= LC_ROT(b, 16);
    a ^= c, a -= LC_ROT(c, 4);
    b ^= a, b -= LC_ROT(a, 14);
    c ^= b, c -= LC_ROT(b, 24);
    return c;
#undef LC_ROT
}

/* H5Fget_file_image (libhdf5 1.10) clears the superblock's "open for
 * writing" flag in the image without updating the superblock's checksum:
 * recompute it (superblock version 2 or 3 with 8-byte offsets: 44 bytes,
 * then the checksum). */
static void fix_superblock(unsigned char *img, size_t n)
{
    if (n < 48 || img[8] < 2 || img[8] > 3 || img[9] != 8 || img[10] != 8) return;
    img[11] = 0;
    uint32_t c = lookup3(img, 44);
    for (int i = 0; i < 4; i++) img[44 + i] = (unsigned char)(c >> (8 * i));
}

/* Writes the n bytes of buf to path (which exists), fsync'd so that the
 * rename publishes complete data. 0, or -1 with errno set. */
static int write_file(const char *path, const void *buf, size_t n)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0) return -1;
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            close(fd);
            errno = e;
            return -1;
        }
        p += w, n -= (size_t)w;
    }
    if (fsync(fd)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

int lcx_h5_commit(lcx_h5 *h)
{
    if (h->file < 0) return lcx_h5_err(h->err, "lcx_h5_commit: file not open");
    char now[32];
    lcx_utc_now(now, sizeof now);
    if (attr_str(h->file, "/", "end_time", now, h->err) ||
        attr_str(h->file, "/", "timing_fields", h->timing, h->err)) {
        char msg[LCX_ERRLEN];
        memcpy(msg, h->err, sizeof msg);
        lcx_h5_abort(h);
        memcpy(h->err, msg, sizeof msg);
        return -1;
    }
    /* the image of the in-memory file, then plain checked writes */
    void *img = NULL;
    ssize_t sz = H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0 ? -1 : H5Fget_file_image(h->file, NULL, 0);
    if (sz > 0 && (img = malloc((size_t)sz)) != NULL && H5Fget_file_image(h->file, img, (size_t)sz) != sz) sz = -1;
    if (sz > 0 && img) fix_superblock(img, (size_t)sz);
    H5Fclose(h->file);
    h->file = -1;
    int rc = 0;
    if (sz <= 0 || !img) {
        lcx_h5_err(h->err, "cannot build %s (HDF5 error or out of memory)", h->tmp);
        rc = -1;
    } else if (write_file(h->tmp, img, (size_t)sz)) {
        lcx_h5_err(h->err, "cannot write %s: %s", h->tmp, strerror(errno));
        rc = -1;
    } else if (rename(h->tmp, h->path)) {
        lcx_h5_err(h->err, "cannot rename %s to %s: %s", h->tmp, h->path, strerror(errno));
        rc = -1;
    }
    free(img);
    if (rc) remove(h->tmp);
    clear(h);
    return rc;
}
