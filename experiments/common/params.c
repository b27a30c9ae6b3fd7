/* SPDX-License-Identifier: MIT */
/* Parameters: defaults table -> JSON file -> key=value overrides (cJSON). */
#define _POSIX_C_SOURCE 200809L
#include "lcx.h"

#include <cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Built-in parameters every binary has (after its own table). */
static const lcx_param builtins[] = {
    {"seed", LCX_INT, "0", "random seed (every random choice derives from it)"},
    {"threads", LCX_INT, "1", "worker threads (>= 1)"},
    {"device", LCX_STR, "\"cpu\"", "cpu or cuda"},
    {0}};

static int perr(lcx_params *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
    return -1;
}

static const lcx_param *lookup(const lcx_params *p, const char *name)
{
    for (const lcx_param *t = p->table; t && t->name; t++)
        if (!strcmp(t->name, name)) return t;
    for (const lcx_param *t = builtins; t->name; t++)
        if (!strcmp(t->name, name)) return t;
    return NULL;
}

static int is_int(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
           fabs(v->valuedouble) <= 9007199254740992.0;
}

static const char *type_name(lcx_ptype t)
{
    static const char *const names[] = {"an integer", "a number", "true or false", "a string",
                                        "a list of integers", "a list of numbers", "a list of strings"};
    return names[t];
}

/* 1 if v has type t. */
static int has_type(const cJSON *v, lcx_ptype t)
{
    const cJSON *e;
    switch (t) {
    case LCX_INT: return is_int(v);
    case LCX_REAL: return cJSON_IsNumber(v) && isfinite(v->valuedouble);
    case LCX_BOOL: return cJSON_IsBool(v);
    case LCX_STR: return cJSON_IsString(v);
    case LCX_INTS:
    case LCX_REALS:
    case LCX_STRS:
        if (!cJSON_IsArray(v)) return 0;
        cJSON_ArrayForEach(e, v) if (!has_type(e, t == LCX_INTS ? LCX_INT : t == LCX_REALS ? LCX_REAL : LCX_STR)) return 0;
        return 1;
    }
    return 0;
}

static int refresh_text(lcx_params *p)
{
    char *s = cJSON_PrintUnformatted(p->json);
    if (!s) return perr(p, "out of memory");
    cJSON_free(p->json_text);
    p->json_text = s;
    return 0;
}

/* Stores v (owned) under key after checking name and type; src names the
 * origin for messages. */
static int put(lcx_params *p, const char *src, const char *key, cJSON *v)
{
    const lcx_param *d = lookup(p, key);
    if (!d) {
        cJSON_Delete(v);
        return perr(p, "%s: unknown parameter '%s' (see --help)", src, key);
    }
    if (!has_type(v, d->type)) {
        cJSON_Delete(v);
        return perr(p, "%s: parameter '%s' must be %s", src, key, type_name(d->type));
    }
    if (cJSON_HasObjectItem(p->json, key)) {
        if (!cJSON_ReplaceItemInObjectCaseSensitive(p->json, key, v)) {
            cJSON_Delete(v);
            return perr(p, "out of memory");
        }
    } else if (!cJSON_AddItemToObject(p->json, key, v)) {
        cJSON_Delete(v);
        return perr(p, "out of memory");
    }
    return 0;
}

static int add_defaults(lcx_params *p, const lcx_param *t)
{
    for (; t && t->name; t++) {
        if (cJSON_HasObjectItem(p->json, t->name))
            return perr(p, "parameter table: '%s' defined twice", t->name);
        cJSON *v = cJSON_ParseWithOpts(t->def ? t->def : "", NULL, 1);
        if (!v) return perr(p, "parameter table: default of '%s' is not JSON", t->name);
        if (put(p, "parameter table", t->name, v)) return -1;
    }
    return 0;
}

int lcx_params_init(lcx_params *p, const lcx_param *table)
{
    memset(p, 0, sizeof *p);
    p->table = table;
    p->json = cJSON_CreateObject();
    if (!p->json) return perr(p, "out of memory");
    if (add_defaults(p, table) || add_defaults(p, builtins) || refresh_text(p)) return -1;
    return 0;
}

void lcx_params_clear(lcx_params *p)
{
    if (!p) return;
    cJSON_Delete(p->json);
    cJSON_free(p->json_text);
    p->json = NULL;
    p->json_text = NULL;
}

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
static char *slurp(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        if (cap > LCX_PARAMS_MAX_BYTES) { /* /dev/zero, a wrong file: not a parameter file */
            snprintf(err, errlen, "%s: larger than %d bytes (not a parameter file?)", path, LCX_PARAMS_MAX_BYTES);
            free(buf);
            fclose(f);
            return NULL;
        }
        char *nb = realloc(buf, cap *= 2);
        if (!nb) free(buf);
        buf = nb;
    }
    if (!buf) snprintf(err, errlen, "%s: out of memory", path);
    else if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        buf = NULL;
    } else buf[n] = '\0';
    fclose(f);
    return buf;
}

int lcx_params_load_file(lcx_params *p, const char *path)
{
    char *text = slurp(path, p->err, sizeof p->err);
    if (!text) return -1;
    cJSON *obj = cJSON_ParseWithOpts(text, NULL, 1);
    free(text);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return perr(p, "%s: not a JSON object", path);
    }
    int rc = 0;
    while (rc == 0 && obj->child) {
        cJSON *v = cJSON_DetachItemViaPointer(obj, obj->child);
        char key[128];
        snprintf(key, sizeof key, "%s", v->string ? v->string : "");
        rc = put(p, path, key, v);
    }
    cJSON_Delete(obj);
    return rc ? -1 : refresh_text(p);
}

/* "1,2,4" -> [1,2,4] for number lists; "a,b" -> ["a","b"] for string lists. */
static cJSON *parse_list(const char *s, lcx_ptype t)
{
    cJSON *arr = cJSON_CreateArray();
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') s++, n -= 2; /* [a,b] without quotes */
    char *dup = strndup(s, n);
    if (!arr || !dup) goto fail;
    for (char *save = NULL, *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        cJSON *e = t == LCX_STRS ? cJSON_CreateString(tok) : cJSON_ParseWithOpts(tok, NULL, 1);
        if (!e || !cJSON_AddItemToArray(arr, e)) {
            cJSON_Delete(e);
            goto fail;
        }
    }
    free(dup);
    return arr;
fail:
    free(dup);
    cJSON_Delete(arr);
    return NULL;
}

int lcx_params_set(lcx_params *p, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) return perr(p, "--set '%s': expected key=value", assignment);
    size_t klen = (size_t)(eq - assignment);
    char key[128];
    if (klen >= sizeof key) return perr(p, "--set: key too long");
    memcpy(key, assignment, klen);
    key[klen] = '\0';
    const char *val = eq + 1;
    const lcx_param *d = lookup(p, key);
    if (!d) return perr(p, "--set: unknown parameter '%s' (see --help)", key);
    cJSON *v = cJSON_ParseWithOpts(val, NULL, 1);
    int list = d->type >= LCX_INTS;
    if (d->type == LCX_STR && !cJSON_IsString(v)) {
        cJSON_Delete(v);
        v = cJSON_CreateString(val);
    } else if (list && v && !cJSON_IsArray(v)) { /* a scalar: a list of one */
        cJSON *arr = cJSON_CreateArray();
        if (!arr || !cJSON_AddItemToArray(arr, v)) {
            cJSON_Delete(arr);
            cJSON_Delete(v);
            return perr(p, "out of memory");
        }
        v = arr;
    } else if (list && !v) {
        v = parse_list(val, d->type);
    }
    if (!v) return perr(p, "--set: parameter '%s' must be %s (got '%s')", key, type_name(d->type), val);
    return put(p, "--set", key, v) ? -1 : refresh_text(p);
}

static const cJSON *item(const lcx_params *p, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive((const cJSON *)p->json, name);
}

int64_t lcx_get_int(const lcx_params *p, const char *name)
{
    const cJSON *v = item(p, name);
    return is_int(v) ? (int64_t)v->valuedouble : 0;
}

double lcx_get_real(const lcx_params *p, const char *name)
{
    const cJSON *v = item(p, name);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

int lcx_get_bool(const lcx_params *p, const char *name) { return cJSON_IsTrue(item(p, name)); }

const char *lcx_get_str(const lcx_params *p, const char *name)
{
    const char *s = cJSON_GetStringValue(item(p, name));
    return s ? s : "";
}

int64_t lcx_get_len(const lcx_params *p, const char *name)
{
    const cJSON *v = item(p, name);
    return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
}

static const cJSON *at(const lcx_params *p, const char *name, int64_t i)
{
    const cJSON *v = item(p, name);
    if (!cJSON_IsArray(v) || i < 0 || i >= cJSON_GetArraySize(v)) return NULL;
    return cJSON_GetArrayItem(v, (int)i);
}

int64_t lcx_get_int_at(const lcx_params *p, const char *name, int64_t i)
{
    const cJSON *v = at(p, name, i);
    return is_int(v) ? (int64_t)v->valuedouble : 0;
}

double lcx_get_real_at(const lcx_params *p, const char *name, int64_t i)
{
    const cJSON *v = at(p, name, i);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

const char *lcx_get_str_at(const lcx_params *p, const char *name, int64_t i)
{
    const char *s = cJSON_GetStringValue(at(p, name, i));
    return s ? s : "";
}

const char *lcx_params_json(const lcx_params *p) { return p->json_text ? p->json_text : "{}"; }

/* Help text: one line per parameter (the binary's, then the built-ins). */
void lcx_params_help(const lcx_params *p, FILE *out)
{
    static const char *const tn[] = {"int", "real", "bool", "string", "ints", "reals", "strings"};
    const lcx_param *tables[2] = {p->table, builtins};
    for (int k = 0; k < 2; k++)
        for (const lcx_param *t = tables[k]; t && t->name; t++)
            fprintf(out, "  %-16s %-7s default %-14s %s\n", t->name, tn[t->type], t->def,
                    t->help ? t->help : "");
}
