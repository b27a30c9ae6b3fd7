/* SPDX-License-Identifier: MIT */
/* Timer, peak memory, UTC time stamps and progress lines. */
#define _POSIX_C_SOURCE 200809L
#include "lcx.h"

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

double lcx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int64_t lcx_peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru)) return -1;
    return (int64_t)ru.ru_maxrss * 1024; /* Linux reports KiB */
}

void lcx_utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "unknown");
}

void lcx_progress_init(lcx_progress *p, const char *label, int64_t total, int quiet)
{
    p->label = label;
    p->total = total > 0 ? total : 1;
    p->done = 0;
    p->t0 = p->last = lcx_now();
    p->quiet = quiet;
    p->tty = !quiet && isatty(fileno(stderr));
}

void lcx_progress_step(lcx_progress *p, int64_t n)
{
    p->done += n;
    double now = lcx_now();
    if (p->quiet || now - p->last < 1.0) return;
    p->last = now;
    double el = now - p->t0, frac = (double)p->done / (double)p->total;
    double eta = frac > 0 ? el * (1 - frac) / frac : 0;
    /* Terminal: carriage return, the line, erase to its end (no newline). */
    fprintf(stderr, "%s%s: %lld/%lld (%.0f%%) %.1f s elapsed, ETA %.1f s%s", p->tty ? "\r" : "",
            p->label, (long long)p->done, (long long)p->total, 100 * frac, el, eta,
            p->tty ? "\033[K" : "\n");
    if (p->tty) fflush(stderr);
}

void lcx_progress_done(lcx_progress *p)
{
    if (p->quiet) return;
    fprintf(stderr, "%s%s: %lld/%lld done in %.1f s%s\n", p->tty ? "\r" : "", p->label,
            (long long)p->done,
            (long long)p->total, lcx_now() - p->t0, p->tty ? "\033[K" : "");
}
