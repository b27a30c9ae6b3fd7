/* SPDX-License-Identifier: MIT */
/* What the libFuzzer targets share: an assertion that aborts (libFuzzer
 * saves the input) and a reader of the input's bytes. */
#ifndef INFNUM_FUZZ_INPUT_H
#define INFNUM_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(c)                                                         \
    do {                                                                       \
        if (!(c)) {                                                            \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);            \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* The input still to read. */
typedef struct src {
    const uint8_t *p;
    size_t n;
} src;

/* The next byte, or 0 once the input is used up. */
static inline unsigned byte(src *s)
{
    if (!s->n) return 0;
    s->n--;
    return *s->p++;
}

#endif
