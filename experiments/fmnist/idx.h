/* SPDX-License-Identifier: MIT */
/*
 * IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or plain,
 * read through zlib, with an optional MD5 check of the decompressed content,
 * and the Fashion-MNIST loader built on them.
 *
 * Errors follow the library: an lc_status, a message in ctx->err naming the
 * function and the file, the output left empty, nothing leaked. Every
 * allocation goes through ctx->alloc.
 */
#ifndef FM_IDX_H
#define FM_IDX_H

#include <infnum/infnum.h>

#include <stdint.h>

#define FM_IDX_MAXDIM 4
/* Largest payload accepted (bytes): guards against absurd headers. */
#define FM_IDX_MAXBYTES ((int64_t)1 << 31)

/* An IDX array of unsigned bytes (type code 0x08). */
typedef struct fm_idx {
    int ndim;
    int64_t dims[FM_IDX_MAXDIM];
    int64_t count; /* product of dims       */
    uint8_t *data; /* count bytes, row-major */
} fm_idx;

/* Expected MD5 of the decompressed Fashion-MNIST files (Debian's
 * dataset-fashion-mnist ships them gzipped). */
#define FM_MD5_TRAIN_IMAGES "f4a8712d7a061bf5bd6d2ca38dc4d50a"
#define FM_MD5_TRAIN_LABELS "9018921c3c673c538a1fc5bad174d6f9"
#define FM_MD5_TEST_IMAGES "8181f5470baa50b63fa0f6fddb340f0a"
#define FM_MD5_TEST_LABELS "15d484375f8d13e6eb1aabb0c3f46965"
#define FM_DATA_DIR_DEFAULT "/usr/share/datasets/fashion-mnist"
#define FM_DATA_PACKAGE "dataset-fashion-mnist"

/* Reads the IDX file at path into x (x need not be initialised; on failure
 * it is left empty). The header must be 0x00 0x00 0x08 ndim (1 ≤ ndim ≤ 4)
 * followed by ndim big-endian dimensions ≥ 1, then exactly the payload: a
 * short or over-long file, a corrupt gzip stream or an unsupported type code
 * is LC_EIO with a message naming path. md5 (32 hex digits, any case) is the
 * expected MD5 of the whole decompressed content, header included; NULL skips
 * the check. LC_EINVAL for a NULL argument or a malformed md5 string. */
lc_status fm_idx_read(lc_ctx *ctx, fm_idx *x, const char *path, const char *md5);
/* Frees x's data and leaves it empty. */
void fm_idx_clear(lc_ctx *ctx, fm_idx *x);

/* One split of Fashion-MNIST: n images of rows×cols bytes and n labels 0..9. */
typedef struct fm_split {
    int64_t n, rows, cols;
    uint8_t *images; /* n·rows·cols */
    uint8_t *labels; /* n           */
} fm_split;

/* Loads split "train" or "t10k" from dir (NULL: FM_DATA_DIR_DEFAULT):
 * <dir>/<split>-images-idx3-ubyte.gz and <dir>/<split>-labels-idx1-ubyte.gz.
 * verify != 0 checks both files against the published MD5 (only meaningful
 * for the real files). Checks images are n×rows×cols, labels n, labels < 10.
 * A missing or corrupt file is LC_EIO naming the file and the Debian package
 * to install. s is left empty on failure. */
lc_status fm_split_load(lc_ctx *ctx, fm_split *s, const char *dir, const char *split, int verify);
/* Frees s and leaves it empty. */
void fm_split_clear(lc_ctx *ctx, fm_split *s);

#endif
