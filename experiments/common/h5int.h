/* SPDX-License-Identifier: MIT */
/* Helpers shared by the HDF5 writer (h5.c) and reader (h5read.c); not part
 * of lcx.h. */
#ifndef LCX_H5INT_H
#define LCX_H5INT_H

#include <hdf5.h>

/* Formats a message into err (LCX_ERRLEN bytes); returns -1. */
int lcx_h5_err(char *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* malloc'd copy of s, or NULL. */
char *lcx_h5_dupstr(const char *s);
/* Variable-length UTF-8 string type (caller closes), or -1. */
hid_t lcx_h5_vstr_type(void);

#endif
