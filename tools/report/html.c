/* SPDX-License-Identifier: MIT */
/* infnum-report html: one self-contained summary page — figures (PNG inlined
 * as base64), result tables (from the report's TSV files), the configuration
 * and the provenance of every run (root attributes of the HDF5 files). */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <hdf5.h>

#include <stdlib.h>
#include <string.h>

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Reads a whole file (binary). */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    *n = 0;
    while (buf) {
        *n += fread(buf + *n, 1, cap - *n, f);
        if (*n < cap) break;
        unsigned char *nb = realloc(buf, cap *= 2);
        if (!nb) free(buf);
        buf = nb;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void base64(FILE *f, const unsigned char *d, size_t n)
{
    static const char tb[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
        fputc(tb[v >> 18 & 63], f);
        fputc(tb[v >> 12 & 63], f);
        fputc(i + 1 < n ? tb[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? tb[v & 63] : '=', f);
    }
}

/* "Caption=path" -> caption, path (caption defaults to the file name). */
static void split(char *arg, const char **cap, const char **path)
{
    char *eq = strchr(arg, '=');
    if (eq) *eq = '\0', *cap = arg, *path = eq + 1;
    else *cap = base(arg), *path = arg;
}

static int figure(FILE *f, char *arg, int i)
{
    const char *cap, *path;
    split(arg, &cap, &path);
    size_t n;
    unsigned char *d = slurp(path, &n);
    if (!d || n < 8 || memcmp(d, "\x89PNG", 4)) {
        free(d);
        return rp_err(-1, "html", "%s: not a readable PNG file", path);
    }
    fprintf(f, "<figure class=\"figure\" id=\"fig-%d\" data-src=\"", i);
    esc(f, base(path));
    fprintf(f, "\"><img alt=\"");
    esc(f, cap);
    fprintf(f, "\" src=\"data:image/png;base64,");
    base64(f, d, n);
    fprintf(f, "\"><figcaption>Figure %d. ", i);
    esc(f, cap);
    fprintf(f, "</figcaption></figure>\n");
    free(d);
    return 0;
}

/* A TSV file as a table: first line is the header; lines starting with '#'
 * are notes. */
static int table(FILE *f, char *arg, int i)
{
    const char *cap, *path;
    split(arg, &cap, &path);
    size_t n;
    char *d = (char *)slurp(path, &n);
    if (!d) return rp_err(-1, "html", "%s: cannot read", path);
    char *t = realloc(d, n + 1);
    if (!t) {
        free(d);
        return -1;
    }
    d = t;
    d[n] = '\0';
    fprintf(f, "<table class=\"results\" id=\"tab-%d\" data-src=\"", i);
    esc(f, base(path));
    fprintf(f, "\"><caption>Table %d. ", i);
    esc(f, cap);
    fprintf(f, "</caption>\n");
    int row = 0;
    for (char *save = NULL, *line = strtok_r(d, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        const char *cell = row ? "td" : "th";
        fprintf(f, "<tr>");
        for (char *c = line;;) {
            char *tab = strchr(c, '\t');
            if (tab) *tab = '\0';
            fprintf(f, "<%s>", cell);
            esc(f, c);
            fprintf(f, "</%s>", cell);
            if (!tab) break;
            c = tab + 1;
        }
        fprintf(f, "</tr>\n");
        row++;
    }
    fprintf(f, "</table>\n");
    free(d);
    return 0;
}

static herr_t attr_row(hid_t loc, const char *name, const H5A_info_t *info, void *op)
{
    (void)loc, (void)info;
    lcx_h5r *r = ((void **)op)[0];
    FILE *f = ((void **)op)[1];
    char *s = NULL;
    double v;
    fprintf(f, "<tr><th>");
    esc(f, name);
    fprintf(f, "</th><td>");
    if (!lcx_h5r_attr_str(r, "/", name, &s)) {
        if (!strcmp(name, "params")) fprintf(f, "<code>");
        esc(f, s);
        if (!strcmp(name, "params")) fprintf(f, "</code>");
    } else if (!lcx_h5r_attr_f64(r, "/", name, &v)) {
        fprintf(f, "%.17g", v);
    } else fprintf(f, "?");
    fprintf(f, "</td></tr>\n");
    free(s);
    return 0;
}

static int run(FILE *f, const char *path)
{
    lcx_h5r r;
    if (lcx_h5r_open(&r, path)) return rp_err(-1, "html", "%s", r.err);
    fprintf(f, "<details class=\"run\"><summary>");
    esc(f, path);
    fprintf(f, "</summary><table class=\"prov\">\n");
    void *op[2] = {&r, f};
    hsize_t idx = 0;
    herr_t e = H5Aiterate2(r.file, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_row, op);
    fprintf(f, "</table></details>\n");
    lcx_h5r_close(&r);
    return e < 0 ? rp_err(-1, "html", "%s: cannot read attributes", path) : 0;
}

static int config(FILE *f, const char *path)
{
    size_t n;
    char *d = (char *)slurp(path, &n);
    if (!d) return rp_err(-1, "html", "%s: cannot read", path);
    fprintf(f, "<h3>");
    esc(f, path);
    fprintf(f, "</h3><pre>");
    for (size_t i = 0; i < n; i++) {
        char s[2] = {d[i], 0};
        if (d[i]) esc(f, s);
    }
    fprintf(f, "</pre>\n");
    free(d);
    return 0;
}

static const char style[] =
    "body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.5em}h2{border-bottom:1px solid #aaa;margin-top:1.5em}"
    "figure{display:inline-block;margin:0.5em;vertical-align:top}figure img{max-width:40em;border:1px solid #ddd}"
    "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;font-size:0.9em}"
    "table.results td{text-align:right}caption{text-align:left;font-weight:bold;padding:4px 0}"
    "pre,code{background:#f5f5f5;font-size:0.85em;white-space:pre-wrap;word-break:break-all}";

/* After load: checks that every figure decoded and records the counts on
 * <body data-check>, so a headless browser dump can be verified. */
static const char script[] =
    "window.addEventListener('load',function(){var im=document.querySelectorAll('figure img'),ok=0;"
    "for(var i=0;i<im.length;i++)if(im[i].complete&&im[i].naturalWidth>0)ok++;"
    "var t=document.querySelectorAll('table.results').length;"
    "document.body.setAttribute('data-check',(ok==im.length?'ok':'broken')+' figures='+ok+'/'+im.length+' tables='+t);});";

static const char help[] =
    "usage: infnum-report html --out FILE.html [--title TEXT] [--figure CAPTION=FILE.png]...\n"
    "       [--table CAPTION=FILE.tsv]... [--config FILE]... [--run FILE.h5]...\n\n"
    "Writes one self-contained HTML page: the figures inlined (base64 PNG), the\n"
    "tables (TSV: a header line, then rows; '#' lines skipped), the configuration\n"
    "files verbatim, and the provenance attributes of every run.\n";

int rp_html(int argc, char **argv)
{
    const char *out = NULL, *title = "infnum results";
    int nfig = 0, ntab = 0, nrun = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s", help);
            return 0;
        }
        if (i + 1 >= argc || strncmp(argv[i], "--", 2))
            return rp_err(2, "html", "unexpected argument '%s' (see --help)", argv[i]);
        if (!strcmp(argv[i], "--out")) out = argv[i + 1];
        else if (!strcmp(argv[i], "--title")) title = argv[i + 1];
        else if (!strcmp(argv[i], "--figure")) nfig++;
        else if (!strcmp(argv[i], "--table")) ntab++;
        else if (!strcmp(argv[i], "--run")) nrun++;
        else if (strcmp(argv[i], "--config"))
            return rp_err(2, "html", "unknown option '%s' (see --help)", argv[i]);
        i++;
    }
    if (!out) return rp_err(2, "html", "--out FILE.html is required");
    rp_out o;
    FILE *f = rp_open(&o, out);
    if (!f) return 1;
    int ok = 1;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    esc(f, title);
    fprintf(f, "</title><style>%s</style><script>%s</script></head>\n<body>\n<h1>", style, script);
    esc(f, title);
    fprintf(f, "</h1>\n<p>Generated by infnum-report html from %d result file(s). Every number below "
               "comes from the HDF5 results.</p>\n",
            nrun);
    const char *sections[4][2] = {{"--figure", "Figures"}, {"--table", "Tables"},
                                  {"--config", "Configuration"}, {"--run", "Runs and provenance"}};
    for (int s = 0; s < 4 && ok; s++) {
        fprintf(f, "<h2>%s</h2>\n", sections[s][1]);
        int k = 0;
        for (int i = 1; i + 1 < argc && ok; i += 2) {
            if (strcmp(argv[i], sections[s][0])) continue;
            k++;
            if (s == 0) ok = !figure(f, argv[i + 1], k);
            else if (s == 1) ok = !table(f, argv[i + 1], k);
            else if (s == 2) ok = !config(f, argv[i + 1]);
            else ok = !run(f, argv[i + 1]);
        }
        if (!k) fprintf(f, "<p>(none)</p>\n");
    }
    fprintf(f, "</body></html>\n");
    (void)nfig, (void)ntab;
    return rp_close(&o, ok) ? 1 : 0;
}
