/* SPDX-License-Identifier: MIT */
/* The progress line of the experiment binaries (lcx_progress_*): on a
 * terminal (a pseudo-terminal here) every update redraws the line in place
 * (carriage return, erase to end of line, no newline) and the final line
 * ends it; elsewhere (a pipe, as in logs) every update is a line of its own
 * with no control characters. */
#define _XOPEN_SOURCE 700
#include "check.h"
#include "lcx.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Everything rd delivers until it stays silent for a while (a
 * pseudo-terminal hands written bytes to its master side asynchronously, so
 * one read may see only part of them), NUL-terminated in buf. */
static void drain(int rd, char *buf, size_t size)
{
    size_t got = 0;
    struct pollfd pf = {rd, POLLIN, 0};
    for (int wait_ms = 2000; got + 1 < size && poll(&pf, 1, wait_ms) > 0; wait_ms = 200) {
        ssize_t n = read(rd, buf + got, size - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    buf[got] = '\0';
}

/* Runs two forced updates and the final line with stderr on fd; returns what
 * was read back from rd (NUL-terminated, in buf) after the updates
 * (*mid) and after the final line (all). */
static void capture(int fd, int rd, char *mid, char *all, size_t size)
{
    int saved = dup(STDERR_FILENO);
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    lcx_progress p;
    lcx_progress_init(&p, "work", 10, 0);
    for (int i = 0; i < 2; i++) {
        p.last = lcx_now() - 2.0; /* past the once-a-second limit */
        lcx_progress_step(&p, 3);
    }
    fflush(stderr);
    drain(rd, mid, size);
    lcx_progress_done(&p);
    fflush(stderr);
    drain(rd, all, size);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static int count(const char *s, char c)
{
    int n = 0;
    for (; *s; s++) n += *s == c;
    return n;
}

int main(void)
{
    char mid[4096], end[4096];

    /* A pipe: one line per update, plain text. */
    int pp[2];
    CHECK(pipe(pp) == 0);
    capture(pp[1], pp[0], mid, end, sizeof mid);
    CHECK_MSG(count(mid, '\n') == 2, "pipe: updates '%s'\n", mid);
    CHECK_MSG(!strchr(mid, '\r') && !strchr(mid, '\033'), "pipe: control characters in '%s'\n", mid);
    CHECK_MSG(strstr(mid, "work: 3/10 (30%)") && strstr(mid, "work: 6/10 (60%)"), "pipe: '%s'\n", mid);
    CHECK_MSG(count(end, '\n') == 1 && strstr(end, "work: 6/10 done in"), "pipe: final '%s'\n", end);
    close(pp[0]);
    close(pp[1]);

    /* A pseudo-terminal: redrawn in place, ended by the final line. */
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0);
    if (m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0) {
        int s = open(ptsname(m), O_RDWR | O_NOCTTY);
        CHECK(s >= 0);
        if (s >= 0) {
            capture(s, m, mid, end, sizeof mid);
            CHECK_MSG(count(mid, '\n') == 0, "tty: updates end lines: '%s'\n", mid);
            CHECK_MSG(count(mid, '\r') == 2 && strstr(mid, "\r" "work: 6/10 (60%)"), "tty: '%s'\n", mid);
            CHECK_MSG(strstr(mid, "\033[K") != NULL, "tty: no erase to end of line in '%s'\n", mid);
            CHECK_MSG(end[0] == '\r' && strstr(end, "work: 6/10 done in") && strchr(end, '\n'),
                      "tty: final '%s'\n", end);
            close(s);
        }
    }
    if (m >= 0) close(m);

    /* --quiet: nothing at all. */
    CHECK(pipe(pp) == 0);
    fcntl(pp[0], F_SETFL, O_NONBLOCK);
    int saved = dup(STDERR_FILENO);
    dup2(pp[1], STDERR_FILENO);
    lcx_progress q;
    lcx_progress_init(&q, "quiet", 10, 1);
    q.last = lcx_now() - 2.0;
    lcx_progress_step(&q, 5);
    lcx_progress_done(&q);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    CHECK(read(pp[0], mid, sizeof mid) <= 0);
    close(pp[0]);
    close(pp[1]);
    return lt_report("test_progress");
}
