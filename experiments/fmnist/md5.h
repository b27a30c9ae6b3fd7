/* SPDX-License-Identifier: MIT */
/* MD5 (RFC 1321), for checking downloaded data files. Not for security. */
#ifndef FM_MD5_H
#define FM_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct fm_md5 {
    uint32_t h[4];
    uint64_t len;      /* bytes hashed so far */
    uint8_t buf[64];   /* pending partial block */
} fm_md5;

/* Starts a new digest. */
void fm_md5_init(fm_md5 *m);
/* Hashes n bytes of p (p may be NULL when n is 0). */
void fm_md5_update(fm_md5 *m, const void *p, size_t n);
/* Finishes: writes the digest as 32 lowercase hex digits and a NUL into hex. */
void fm_md5_hex(fm_md5 *m, char hex[33]);

#endif
