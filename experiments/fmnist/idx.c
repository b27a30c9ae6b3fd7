/* SPDX-License-Identifier: MIT */
/* IDX reader over zlib, MD5-checked; Fashion-MNIST loader. */
#include "idx.h"

#include "md5.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static lc_status fail(lc_ctx *ctx, lc_status s, const char *func, const char *fmt, ...)
{
    int n = snprintf(ctx->err, sizeof ctx->err, "%s: ", func);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof ctx->err)
        vsnprintf(ctx->err + n, sizeof ctx->err - (size_t)n, fmt, ap);
    va_end(ap);
    return s;
}

static int md5_valid(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!isxdigit((unsigned char)s[i])) return 0;
    return i == 32;
}

/* Reads exactly n bytes (n < 2^31 per call, looped), hashing them. 0 on a
 * short read or a stream error. */
static int read_all(gzFile f, fm_md5 *m, uint8_t *p, int64_t n)
{
    while (n > 0) {
        unsigned chunk = n > (1 << 30) ? 1u << 30 : (unsigned)n;
        int got = gzread(f, p, chunk);
        if (got <= 0) return 0;
        fm_md5_update(m, p, (size_t)got);
        p += got, n -= got;
    }
    return 1;
}

/* Why the stream stopped: zlib's message, or "file is truncated". */
static const char *stream_reason(gzFile f)
{
    int code;
    const char *msg = gzerror(f, &code);
    return code != Z_OK && msg && *msg ? msg : "file is truncated";
}

void fm_idx_clear(lc_ctx *ctx, fm_idx *x)
{
    if (!x) return;
    if (x->data && ctx) ctx->alloc.free_fn(x->data, ctx->alloc.user);
    memset(x, 0, sizeof *x);
}

lc_status fm_idx_read(lc_ctx *ctx, fm_idx *x, const char *path, const char *md5)
{
    const char *F = "fm_idx_read";
    if (!ctx) return LC_EINVAL;
    if (!x || !path) return fail(ctx, LC_EINVAL, F, "NULL argument");
    memset(x, 0, sizeof *x);
    if (md5 && !md5_valid(md5)) return fail(ctx, LC_EINVAL, F, "expected MD5 '%s' is not 32 hex digits", md5);

    lc_status st = LC_OK;
    fm_md5 m;
    fm_md5_init(&m);
    uint8_t head[4 + 4 * FM_IDX_MAXDIM], extra;
    errno = 0;
    gzFile f = gzopen(path, "rb");
    if (!f) return fail(ctx, LC_EIO, F, "%s: cannot open (%s)", path, errno ? strerror(errno) : "out of memory");
    if (!read_all(f, &m, head, 4)) {
        st = fail(ctx, LC_EIO, F, "%s: no IDX header (%s)", path, stream_reason(f));
        goto done;
    }
    if (head[0] || head[1] || head[3] < 1 || head[3] > FM_IDX_MAXDIM) {
        st = fail(ctx, LC_EIO, F, "%s: bad IDX magic %02x %02x %02x %02x (want 00 00 08 ndim, ndim 1..%d)",
                  path, head[0], head[1], head[2], head[3], FM_IDX_MAXDIM);
        goto done;
    }
    if (head[2] != 0x08) {
        st = fail(ctx, LC_EIO, F, "%s: IDX type 0x%02x not supported (only 0x08, unsigned byte)", path, head[2]);
        goto done;
    }
    x->ndim = head[3];
    if (!read_all(f, &m, head + 4, 4 * (int64_t)x->ndim)) {
        st = fail(ctx, LC_EIO, F, "%s: IDX header cut short (%s)", path, stream_reason(f));
        goto done;
    }
    x->count = 1;
    for (int d = 0; d < x->ndim; d++) {
        const uint8_t *b = head + 4 + 4 * d;
        x->dims[d] = (int64_t)b[0] << 24 | (int64_t)b[1] << 16 | (int64_t)b[2] << 8 | b[3];
        if (x->dims[d] < 1 || x->dims[d] > FM_IDX_MAXBYTES / x->count) {
            st = fail(ctx, LC_EIO, F, "%s: IDX dimension %d is %lld (empty or too large)", path, d,
                      (long long)x->dims[d]);
            goto done;
        }
        x->count *= x->dims[d];
    }
    x->data = ctx->alloc.malloc_fn((size_t)x->count, ctx->alloc.user);
    if (!x->data) {
        st = fail(ctx, LC_ENOMEM, F, "%s: cannot allocate %lld bytes", path, (long long)x->count);
        goto done;
    }
    if (!read_all(f, &m, x->data, x->count)) {
        st = fail(ctx, LC_EIO, F, "%s: payload of %lld bytes cut short (%s)", path, (long long)x->count,
                  stream_reason(f));
        goto done;
    }
    int more = gzread(f, &extra, 1);
    if (more != 0) {
        st = fail(ctx, LC_EIO, F, "%s: %s after the %lld-byte payload", path,
                  more > 0 ? "trailing data" : stream_reason(f), (long long)x->count);
        goto done;
    }
    if (md5) {
        char got[33];
        fm_md5_hex(&m, got);
        int same = 1;
        for (int i = 0; i < 32; i++) same &= got[i] == tolower((unsigned char)md5[i]);
        if (!same) st = fail(ctx, LC_EIO, F, "%s: MD5 of content is %s, expected %s", path, got, md5);
    }
done:
    if (gzclose_r(f) != Z_OK && st == LC_OK) st = fail(ctx, LC_EIO, F, "%s: error closing the stream", path);
    if (st != LC_OK) fm_idx_clear(ctx, x);
    return st;
}

void fm_split_clear(lc_ctx *ctx, fm_split *s)
{
    if (!s) return;
    if (ctx) {
        if (s->images) ctx->alloc.free_fn(s->images, ctx->alloc.user);
        if (s->labels) ctx->alloc.free_fn(s->labels, ctx->alloc.user);
    }
    memset(s, 0, sizeof *s);
}

/* Reads <dir>/<split>-<kind>-idx<nd>-ubyte.gz; on failure appends the hint
 * naming the package (the message keeps the file name). */
static lc_status read_part(lc_ctx *ctx, fm_idx *x, const char *dir, const char *split, int images,
                           const char *md5)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s-%s", dir, split,
                     images ? "images-idx3-ubyte.gz" : "labels-idx1-ubyte.gz");
    if (n < 0 || (size_t)n >= sizeof path) return fail(ctx, LC_EINVAL, "fm_split_load", "data directory name too long");
    lc_status st = fm_idx_read(ctx, x, path, md5);
    if (st == LC_EIO) {
        size_t len = strlen(ctx->err);
        snprintf(ctx->err + len, sizeof ctx->err - len, "; install Debian package %s (or set data=DIR)",
                 FM_DATA_PACKAGE);
    }
    return st;
}

lc_status fm_split_load(lc_ctx *ctx, fm_split *s, const char *dir, const char *split, int verify)
{
    const char *F = "fm_split_load";
    if (!ctx) return LC_EINVAL;
    if (!s || !split) return fail(ctx, LC_EINVAL, F, "NULL argument");
    memset(s, 0, sizeof *s);
    int train = strcmp(split, "train") == 0;
    if (!train && strcmp(split, "t10k") != 0) return fail(ctx, LC_EINVAL, F, "split '%s' is not train or t10k", split);
    if (!dir) dir = FM_DATA_DIR_DEFAULT;

    fm_idx img = {0}, lab = {0};
    lc_status st = read_part(ctx, &img, dir, split, 1,
                             verify ? (train ? FM_MD5_TRAIN_IMAGES : FM_MD5_TEST_IMAGES) : NULL);
    if (st == LC_OK)
        st = read_part(ctx, &lab, dir, split, 0, verify ? (train ? FM_MD5_TRAIN_LABELS : FM_MD5_TEST_LABELS) : NULL);
    if (st != LC_OK) goto done;
    if (img.ndim != 3 || lab.ndim != 1 || img.dims[0] != lab.dims[0]) {
        st = fail(ctx, LC_EIO, F, "%s/%s: images (%d-d, %lld) and labels (%d-d, %lld) do not match", dir, split,
                  img.ndim, (long long)img.dims[0], lab.ndim, (long long)lab.dims[0]);
        goto done;
    }
    for (int64_t i = 0; i < lab.count; i++)
        if (lab.data[i] > 9) {
            st = fail(ctx, LC_EIO, F, "%s/%s: label %lld is %d (not 0..9)", dir, split, (long long)i, lab.data[i]);
            goto done;
        }
    s->n = img.dims[0], s->rows = img.dims[1], s->cols = img.dims[2];
    s->images = img.data, s->labels = lab.data;
    img.data = lab.data = NULL;
done:
    fm_idx_clear(ctx, &img);
    fm_idx_clear(ctx, &lab);
    return st;
}
