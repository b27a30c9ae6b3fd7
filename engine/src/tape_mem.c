/* SPDX-License-Identifier: MIT */
/* Tape memory: the arena of blocks that lc_tape_reset rewinds, and the
 * size-class pool behind the context the estimators' core calls use. */
#include "tape_internal.h"
#include "infnum/ext.h"

#include <string.h>

#define BLOCK_MIN ((size_t)1 << 20)

/* ----------------------------------------------------------------- arena */

void *_lc_tape_alloc(lc_tape *t, size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - 64) / size) return NULL;
    size_t bytes = (n * size + 15) & ~(size_t)15;
    if (bytes == 0) bytes = 16;
    struct lc_tape_block *b = t->cur;
    if (b && b->used + bytes <= b->size) {
        void *p = (char *)b->data + b->used;
        b->used += bytes;
        return p;
    }
    struct lc_tape_block *next = b ? b->next : t->blocks;
    if (!next || next->size < bytes) {
        size_t sz = bytes > BLOCK_MIN ? bytes : BLOCK_MIN;
        struct lc_tape_block *nb = lc_malloc(t->ctx, 1, sizeof *nb + sz);
        if (!nb) return NULL;
        nb->size = sz;
        nb->next = next;
        if (b) b->next = nb;
        else t->blocks = nb;
        next = nb;
    }
    next->used = bytes;
    t->cur = next;
    return next->data;
}

double *_lc_tape_zeros(lc_tape *t, int64_t n)
{
    double *p = _lc_tape_alloc(t, (size_t)n, sizeof *p);
    if (p) memset(p, 0, (size_t)n * sizeof *p);
    return p;
}

/* Zeroed row pointers of an adjoint with n rows. */
int64_t *_lc_tape_rowptr(lc_tape *t, int64_t n)
{
    int64_t *p = _lc_tape_alloc(t, (size_t)n + 1, sizeof *p);
    if (p) memset(p, 0, ((size_t)n + 1) * sizeof *p);
    return p;
}

/* ------------------------------------------------------------------ pool
 * Allocator of t->pool: blocks of 2^c bytes (header included) kept in bin c
 * when freed and handed out again; new blocks come from t->ctx. */

typedef union pool_hdr {
    size_t cls;
    max_align_t align;
} pool_hdr;

static void *pool_malloc(size_t size, void *user)
{
    lc_tape *t = user;
    size_t need = size + sizeof(pool_hdr);
    unsigned c = 6;
    while (c < 63 && ((size_t)1 << c) < need) c++;
    if (((size_t)1 << c) < need) return NULL;
    unsigned k = c; /* a kept block of this class or larger, else a new one */
    while (k < 64 && !t->bins[k]) k++;
    pool_hdr *h;
    if (k < 64) {
        h = t->bins[k];
        t->bins[k] = *(void **)(h + 1);
        c = k;
    } else if (!(h = lc_malloc(t->ctx, (size_t)1 << c, 1))) {
        return NULL;
    }
    h->cls = c;
    return h + 1;
}

static void pool_free(void *p, void *user)
{
    lc_tape *t = user;
    if (!p) return;
    pool_hdr *h = (pool_hdr *)p - 1;
    *(void **)p = t->bins[h->cls];
    t->bins[h->cls] = h;
}

static void *pool_realloc(void *p, size_t size, void *user)
{
    if (!p) return pool_malloc(size, user);
    pool_hdr *h = (pool_hdr *)p - 1;
    size_t have = ((size_t)1 << h->cls) - sizeof(pool_hdr);
    if (size <= have) return p;
    void *q = pool_malloc(size, user);
    if (!q) return NULL;
    memcpy(q, p, have);
    pool_free(p, user);
    return q;
}

/* t->pool with t->ctx's current settings. */
lc_ctx *_lc_tape_pool_ctx(lc_tape *t)
{
    lc_ctx *p = &t->pool, *c = t->ctx;
    p->depth = c->depth;
    p->h0 = c->h0;
    p->sign0 = c->sign0;
    p->round_tie = c->round_tie;
    p->nthreads = c->nthreads;
    p->alloc = (lc_alloc){pool_malloc, pool_realloc, pool_free, t};
    p->err[0] = '\0';
    return p;
}

/* lc_est_deriv through the pool; the message of a failure goes to t->ctx. */
lc_status _lc_tape_est_deriv(lc_tape *t, const lc_est *e, lc_prim p, int bits, const double *u, int64_t n,
                             double *d)
{
    lc_ctx *pc = _lc_tape_pool_ctx(t);
    lc_status s = bits ? lc_est_quant_deriv(pc, e, bits, u, n, d) : lc_est_deriv(pc, e, p, u, n, d);
    if (s) memcpy(t->ctx->err, pc->err, sizeof pc->err);
    return s;
}

void _lc_tape_pool_clear(lc_tape *t)
{
    lc_ctx_clear(_lc_tape_pool_ctx(t));
    for (int c = 0; c < 64; c++)
        for (pool_hdr *h = t->bins[c], *nx; h; h = nx) {
            nx = *(void **)(h + 1);
            lc_free(t->ctx, h);
        }
}
/* Gradient buffer of real node v (zeroed on first use); NULL on ENOMEM. */
double *_lc_tape_gbuf(lc_tape *t, lc_var v)
{
    struct lc_tape_node *n = N(t, v);
    if (!n->grad) n->grad = _lc_tape_zeros(t, n->rows * n->cols);
    return n->grad;
}
