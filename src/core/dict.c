/* dict.c: loading and checking the entity dictionaries.
 *
 * Each file is parsed with cJSON and checked field by field; every message
 * names the file and the line:column of the offending value (found again in
 * the source by jsonpos, as cJSON keeps no positions).
 */
#include "nergraph/dict.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "buf.h"
#include "cachefile.h"
#include "dict_internal.h"
#include "hash.h"
#include "jsonpos.h"
#include "nergraph/normalize.h"
#include "utf8.h"

#include <utf8proc.h>

#define FORMAT_VERSION 1
#define MAX_DEPTH 8

const char *const ng_dict_languages[NG_DICT_LANGUAGES] = {"en", "kk", "ru", "tr", "ug", "zh",
                                                          "und"};

/* Node attributes nergraph writes itself, which a fact may not shadow, and
 * names Gephi or sigma.js read as visual properties. */
static const char *const reserved_facts[] = {
    "key", "label", "category", "mentions", "documents", "roles", "size", "r", "g", "b",
    "x", "y", "z", "id", "type", "d3", "degree", "strength", "betweenness", "harmonic",
    "eigenvector", "pagerank", "community"};

/* ---- error reporting with positions ---- */

/* The columns of a table file (CSV, TSV), and where each cell of a row is. */
enum { COL_KEY, COL_LABEL, COL_CATEGORY, COL_LANGUAGE, COL_ALIAS, COLUMNS };
static const char *const column_names[COLUMNS] = {"key", "label", "category", "language",
                                                  "alias"};
/* The JSON members the cells become, by column. */
static const char *const column_members[COLUMNS] = {"key", "label", "category", "lang",
                                                    "text"};

typedef struct cell {
    const char *text;
    uint32_t line, col;
} cell;

typedef struct row {
    cell cells[COLUMNS];
    uint32_t index; /* in the file */
} row;

typedef struct loader {
    ng_dict *d;
    const char *path;
    const char *src; /* the JSON text: the file, or one line of JSON Lines */
    size_t len;
    size_t line_base; /* lines of the file before `src` */
    int lined;        /* JSON Lines or a table: entities are found by line */
    const row *const *rows; /* a table's entity: its rows, alias i in rows[i] */
    ng_json_step steps[MAX_DEPTH];
    size_t depth;
} loader;

/* Where the value at the current path is: found again in the JSON text, or
 * for a table, the cell the value came from (alias i: row i). */
static void where(const loader *L, size_t occurrence, size_t *line, size_t *col)
{
    if (L->rows) {
        size_t r = 0, c = COLUMNS;
        for (size_t k = 0; k < L->depth; k++)
            if (L->steps[k].key && strcmp(L->steps[k].key, "aliases") == 0 && k + 1 < L->depth)
                r = L->steps[k + 1].index;
            else if (L->steps[k].key)
                for (c = 0; c < COLUMNS && strcmp(column_members[c], L->steps[k].key) != 0;)
                    c++;
        const cell *at = &L->rows[r]->cells[c < COLUMNS ? c : COL_KEY];
        *line = at->line;
        *col = c < COLUMNS ? at->col : 1;
        return;
    }
    size_t off = ng_json_locate(L->src, L->len, L->steps, L->depth, occurrence);
    ng_json_line_col(L->src, L->len, off, line, col);
    *line += L->line_base;
}

static ng_status fail_at(const loader *L, size_t occurrence, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ng_status fail_at(const loader *L, size_t occurrence, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t line, col;
    where(L, occurrence, &line, &col);
    return ng_error_set(NG_EPARSE, "%s:%zu:%zu: %s", L->path, line, col, msg);
}

static void enter_key(loader *L, const char *key)
{
    L->steps[L->depth++] = (ng_json_step){key, 0};
}

static void enter_index(loader *L, size_t index)
{
    L->steps[L->depth++] = (ng_json_step){NULL, index};
}

static void leave(loader *L) { L->depth--; }

/* The position of member `key` of the current value, for an origin: known
 * now for JSON Lines and tables, found again later for a JSON file (0, 0). */
static void origin_at(loader *L, const char *key, ng_dict_origin *o)
{
    o->line = o->col = 0;
    if (!L->lined)
        return;
    size_t line, col;
    enter_key(L, key);
    where(L, 0, &line, &col);
    leave(L);
    o->line = (uint32_t)line;
    o->col = (uint32_t)col;
}

/* ---- field checks ---- */

static ng_status check_members(loader *L, const cJSON *obj, const char *const *allowed,
                               size_t allowed_count, const char *what)
{
    for (const cJSON *a = obj->child; a; a = a->next) {
        size_t seen = 0;
        for (const cJSON *b = obj->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                seen++;
        enter_key(L, a->string);
        ng_status st = NG_OK;
        if (seen)
            st = fail_at(L, seen, "duplicate member \"%s\" in %s", a->string, what);
        else {
            size_t i = 0;
            while (i < allowed_count && strcmp(allowed[i], a->string) != 0)
                i++;
            if (i == allowed_count)
                st = fail_at(L, 0, "unknown member \"%s\" in %s", a->string, what);
        }
        leave(L);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

/* The string member `key` of `obj`; NULL with an error when missing or
 * not a non-empty string of valid UTF-8 (absent and optional: NULL, NG_OK). */
static ng_status get_string(loader *L, const cJSON *obj, const char *key, int required,
                            const char **out)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            return fail_at(L, 0, "missing member \"%s\"", key);
        return NG_OK;
    }
    enter_key(L, key);
    ng_status st = NG_OK;
    if (!cJSON_IsString(v))
        st = fail_at(L, 0, "\"%s\" must be a string", key);
    else if (v->valuestring[0] == '\0')
        st = fail_at(L, 0, "\"%s\" is empty", key);
    else if (ng_utf8_valid_prefix(v->valuestring, strlen(v->valuestring)) !=
             strlen(v->valuestring))
        st = fail_at(L, 0, "\"%s\" is not valid UTF-8", key);
    leave(L);
    if (st == NG_OK)
        *out = v->valuestring;
    return st;
}

static ng_status get_bool(loader *L, const cJSON *obj, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return NG_OK;
    if (!cJSON_IsBool(v)) {
        enter_key(L, key);
        ng_status st = fail_at(L, 0, "\"%s\" must be true or false", key);
        leave(L);
        return st;
    }
    *out = cJSON_IsTrue(v);
    return NG_OK;
}

static int valid_key(const char *k)
{
    if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= '0' && k[0] <= '9')))
        return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

static int valid_fact_name(const char *k)
{
    if (!(k[0] >= 'a' && k[0] <= 'z'))
        return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    for (size_t i = 0; i < sizeof reserved_facts / sizeof *reserved_facts; i++)
        if (strcmp(k, reserved_facts[i]) == 0)
            return 0;
    return 1;
}

/* Short aliases written without lower-case letters ("US", "UN", "ҚР") are
 * acronyms that collide with words when folded, so by default they keep case. */
static int looks_like_acronym(const char *text)
{
    size_t letters = 0;
    const unsigned char *u = (const unsigned char *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k)
            return 0;
        utf8proc_category_t c = utf8proc_category(cp);
        if (c == UTF8PROC_CATEGORY_LL)
            return 0;
        if (c == UTF8PROC_CATEGORY_LU)
            letters++;
        i += k;
    }
    return letters > 0 && letters <= 5;
}

/* Normalise `text` into the arena, trimming the spaces normalisation may leave. */
static ng_status normalise_alias(ng_dict *d, const char *text, unsigned flags, const char **out,
                                 size_t *out_len)
{
    ng_status st = ng_normalize(&d->scratch, text, strlen(text), flags);
    if (st != NG_OK)
        return st;
    const char *s = d->scratch.data;
    size_t n = d->scratch.len;
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    *out = ng_arena_strndup(&d->strings, s, n);
    *out_len = n;
    return *out ? NG_OK : NG_ENOMEM;
}

/* The phrases of member `key` ("require" or "exclude") of a context rule
 * into `out` (room for all of them), normalised; *count gets how many. */
static ng_status load_phrases(loader *L, const cJSON *rule, const char *key, ng_phrase *out,
                              size_t *count)
{
    ng_dict *d = L->d;
    *count = 0;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(rule, key);
    if (!list)
        return NG_OK;
    enter_key(L, key);
    ng_status st = NG_OK;
    if (!cJSON_IsArray(list) || !list->child)
        st = fail_at(L, 0, "\"%s\" must be a non-empty array of words or phrases", key);
    size_t i = 0;
    for (const cJSON *p = list ? list->child : NULL; st == NG_OK && p; p = p->next, i++) {
        enter_index(L, i);
        size_t n = cJSON_IsString(p) ? strlen(p->valuestring) : 0;
        int prefix = n > 1 && p->valuestring[n - 1] == '*';
        if (!cJSON_IsString(p) || n == 0)
            st = fail_at(L, 0, "a context phrase must be a non-empty string");
        else if (n > NG_MAX_ALIAS_BYTES)
            st = fail_at(L, 0, "context phrase longer than %d bytes", NG_MAX_ALIAS_BYTES);
        else if (ng_utf8_valid_prefix(p->valuestring, n) != n)
            st = fail_at(L, 0, "context phrase is not valid UTF-8");
        else if ((st = ng_normalize(&d->scratch, p->valuestring, n - (size_t)prefix,
                                    NG_NORM_FOLD)) == NG_OK) {
            const char *s = d->scratch.data;
            size_t len = d->scratch.len;
            while (len && *s == ' ')
                s++, len--;
            while (len && s[len - 1] == ' ')
                len--;
            if (len == 0)
                st = fail_at(L, 0, "context phrase \"%s\" normalises to nothing",
                             p->valuestring);
            else if (!(out[i].norm = ng_arena_strndup(&d->strings, s, len)))
                st = NG_ENOMEM;
            out[i].len = len;
            out[i].prefix = prefix;
        }
        leave(L);
    }
    leave(L);
    *count = i;
    return st;
}

/* "context": {"require": [...], "exclude": [...], "window": N, "side": S} of an alias. */
static ng_status load_context(loader *L, const cJSON *rule, const ng_alias_context **out)
{
    static const char *const members[] = {"require", "exclude", "window", "side"};
    ng_dict *d = L->d;
    if (!cJSON_IsObject(rule))
        return fail_at(L, 0, "\"context\" must be an object with \"require\" or \"exclude\"");
    ng_status st = check_members(L, rule, members, 4, "context");
    if (st != NG_OK)
        return st;
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(rule, "require");
    const cJSON *exc = cJSON_GetObjectItemCaseSensitive(rule, "exclude");
    const cJSON *win = cJSON_GetObjectItemCaseSensitive(rule, "window");
    if (!req && !exc)
        return fail_at(L, 0, "\"context\" needs \"require\" or \"exclude\"");
    if (win && (!cJSON_IsNumber(win) || !(win->valuedouble >= 1) ||
                win->valuedouble > NG_MAX_CONTEXT_WINDOW ||
                win->valuedouble != (double)win->valueint)) {
        enter_key(L, "window");
        st = fail_at(L, 0, "\"window\" must be a whole number of words from 1 to %d",
                     NG_MAX_CONTEXT_WINDOW);
        leave(L);
        return st;
    }
    const char *side = NULL;
    if ((st = get_string(L, rule, "side", 0, &side)) != NG_OK)
        return st;
    if (side && strcmp(side, "before") != 0 && strcmp(side, "after") != 0) {
        enter_key(L, "side");
        st = fail_at(L, 0, "\"side\" must be \"before\" or \"after\" (omitted: both)");
        leave(L);
        return st;
    }
    size_t n = (size_t)(cJSON_IsArray(req) ? cJSON_GetArraySize(req) : 0) +
               (size_t)(cJSON_IsArray(exc) ? cJSON_GetArraySize(exc) : 0);
    if ((st = NG_GROW(d->rules, d->rule_cap, d->rule_count + 1)) != NG_OK)
        return st;
    ng_alias_context *c = calloc(1, sizeof *c + (n ? n : 1) * sizeof(ng_phrase));
    if (!c)
        return ng_error_set(NG_ENOMEM, "out of memory");
    d->rules[d->rule_count++] = c;
    ng_phrase *phrases = (ng_phrase *)(c + 1);
    c->window = win ? (uint32_t)win->valueint : 0;
    c->side = !side ? 0 : side[0] == 'b' ? -1 : 1;
    if ((st = load_phrases(L, rule, "require", phrases, &c->require_count)) != NG_OK ||
        (st = load_phrases(L, rule, "exclude", phrases + c->require_count,
                           &c->exclude_count)) != NG_OK)
        return st;
    c->require = phrases;
    c->exclude = phrases + c->require_count;
    *out = c;
    return NG_OK;
}

static ng_status load_alias(loader *L, const cJSON *a, uint32_t entity)
{
    static const char *const members[] = {"text", "lang", "demonym", "case_sensitive",
                                          "context"};
    ng_dict *d = L->d;
    if (!cJSON_IsObject(a))
        return fail_at(L, 0, "an alias must be an object with \"text\" and \"lang\"");
    ng_status st = check_members(L, a, members, 5, "alias");
    const char *text, *lang;
    if (st != NG_OK || (st = get_string(L, a, "text", 1, &text)) != NG_OK ||
        (st = get_string(L, a, "lang", 1, &lang)) != NG_OK)
        return st;
    enter_key(L, "text");
    if (strlen(text) > NG_MAX_ALIAS_BYTES)
        st = fail_at(L, 0, "alias longer than %d bytes", NG_MAX_ALIAS_BYTES);
    else if (text[0] == ' ' || text[strlen(text) - 1] == ' ')
        st = fail_at(L, 0, "alias \"%s\" has leading or trailing spaces", text);
    leave(L);
    if (st != NG_OK)
        return st;
    size_t li = 0;
    while (li < NG_DICT_LANGUAGES && strcmp(ng_dict_languages[li], lang) != 0)
        li++;
    if (li == NG_DICT_LANGUAGES) {
        enter_key(L, "lang");
        st = fail_at(L, 0, "unknown language \"%s\" (en kk ru tr ug zh und)", lang);
        leave(L);
        return st;
    }
    int demonym = 0, case_sensitive = looks_like_acronym(text);
    if ((st = get_bool(L, a, "demonym", &demonym)) != NG_OK ||
        (st = get_bool(L, a, "case_sensitive", &case_sensitive)) != NG_OK)
        return st;
    if ((st = NG_GROW(d->aliases, d->alias_cap, d->alias_count + 1)) != NG_OK ||
        (st = NG_GROW(d->alias_origin, d->alias_origin_cap, d->alias_count + 1)) != NG_OK)
        return st;
    ng_dict_origin *o = &d->alias_origin[d->alias_count];
    *o = (ng_dict_origin){d->file_index, d->entity_index, (uint32_t)L->steps[L->depth - 1].index,
                         0, 0};
    origin_at(L, "text", o);
    ng_alias *al = &d->aliases[d->alias_count];
    memset(al, 0, sizeof *al);
    al->entity = entity;
    al->defined = (uint32_t)d->alias_count;
    al->lang = ng_dict_languages[li];
    al->flags = (demonym ? NG_ALIAS_DEMONYM : 0) | (case_sensitive ? NG_ALIAS_CASE_SENSITIVE : 0);
    if (!(al->text = ng_arena_strndup(&d->strings, text, strlen(text))))
        return NG_ENOMEM;
    if ((st = normalise_alias(d, text, NG_NORM_FOLD, &al->norm, &al->norm_len)) != NG_OK ||
        (st = normalise_alias(d, text, 0, &al->cased, &al->cased_len)) != NG_OK)
        return st;
    if (al->norm_len == 0) {
        enter_key(L, "text");
        st = fail_at(L, 0, "alias \"%s\" normalises to nothing", text);
        leave(L);
        return st;
    }
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(a, "context");
    if (rule) {
        enter_key(L, "context");
        st = load_context(L, rule, &al->context);
        leave(L);
        if (st != NG_OK)
            return st;
    }
    d->alias_count++;
    return NG_OK;
}

static ng_status load_facts(loader *L, const cJSON *facts)
{
    ng_dict *d = L->d;
    if (!cJSON_IsObject(facts))
        return fail_at(L, 0, "\"facts\" must be an object of strings");
    for (const cJSON *f = facts->child; f; f = f->next) {
        size_t seen = 0;
        for (const cJSON *g = facts->child; g != f; g = g->next)
            if (strcmp(f->string, g->string) == 0)
                seen++;
        enter_key(L, f->string);
        ng_status st = NG_OK;
        if (seen)
            st = fail_at(L, seen, "duplicate member \"%s\" in facts", f->string);
        else if (!valid_fact_name(f->string))
            st = fail_at(L, 0, "fact name \"%s\" must match [a-z][a-z0-9_]* and not be a "
                               "name nergraph writes itself", f->string);
        else if (!cJSON_IsString(f) || f->valuestring[0] == '\0')
            st = fail_at(L, 0, "fact \"%s\" must be a non-empty string", f->string);
        else if (ng_utf8_valid_prefix(f->valuestring, strlen(f->valuestring)) !=
                 strlen(f->valuestring))
            st = fail_at(L, 0, "fact \"%s\" is not valid UTF-8", f->string);
        leave(L);
        if (st != NG_OK)
            return st;
        if ((st = NG_GROW(d->facts, d->fact_cap, d->fact_count + 1)) != NG_OK)
            return st;
        ng_fact *nf = &d->facts[d->fact_count];
        nf->name = ng_arena_strndup(&d->strings, f->string, strlen(f->string));
        nf->value = ng_arena_strndup(&d->strings, f->valuestring, strlen(f->valuestring));
        if (!nf->name || !nf->value)
            return NG_ENOMEM;
        d->fact_count++;
    }
    return NG_OK;
}

/* A problem that does not stop loading, at the current path: kept for
 * dict check as "file:line:col: message". */
static ng_status add_problem(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static ng_status add_problem(loader *L, const char *fmt, ...)
{
    char msg[768];
    size_t line, col;
    where(L, 0, &line, &col);
    int n = snprintf(msg, sizeof msg, "%s:%zu:%zu: ", L->path, line, col);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    ng_dict *d = L->d;
    ng_status st = NG_GROW(d->problems, d->problem_cap, d->problem_count + 1);
    if (st != NG_OK ||
        (st = NG_GROW(d->problem_file, d->problem_file_cap, d->problem_count + 1)) != NG_OK)
        return st;
    d->problem_file[d->problem_count] = d->file_index;
    if (!(d->problems[d->problem_count] = ng_arena_strndup(&d->strings, msg, strlen(msg))))
        return NG_ENOMEM;
    d->problem_count++;
    return NG_OK;
}

/* The first (`end` 0) or last day a role date means, as YYYY-MM-DD: a
 * missing date is open ("1991-12-16" to now); 0 if it is not YYYY[-MM[-DD]]. */
static int role_day(const char *date, int end, char out[11])
{
    memcpy(out, end ? "9999-12-31" : "0000-01-01", 11);
    if (!date)
        return 1;
    size_t n = strlen(date);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i == 4 || i == 7 ? date[i] != '-' : !(date[i] >= '0' && date[i] <= '9'))
            return 0;
    memcpy(out, date, n);
    if (end && n == 4)
        memcpy(out + 4, "-12-31", 6);
    else if (end && n == 7) /* any month's last day: the 31st sorts after it */
        memcpy(out + 7, "-31", 3);
    else if (n < 10)
        memcpy(out + n, &"-01-01"[n == 7 ? 3 : 0], 10 - n);
    return 1;
}

/* Role `j` of `roles` against the earlier ones of the same title: periods
 * that share a day (beyond a handover on one day) are a problem. */
static ng_status check_overlap(loader *L, const cJSON *roles, size_t j)
{
    const cJSON *b = cJSON_GetArrayItem(roles, (int)j);
    const char *title = cJSON_GetObjectItemCaseSensitive(b, "title")->valuestring;
    const char *bf = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "from"));
    const char *bt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "to"));
    char b0[11], b1[11], a0[11], a1[11];
    if (!role_day(bf, 0, b0) || !role_day(bt, 1, b1))
        return NG_OK;
    size_t i = 0;
    for (const cJSON *a = roles->child; i < j; a = a->next, i++) {
        const char *af = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "from"));
        const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "to"));
        if (strcmp(cJSON_GetObjectItemCaseSensitive(a, "title")->valuestring, title) != 0 ||
            !role_day(af, 0, a0) || !role_day(at, 1, a1) || !(strcmp(a0, b1) < 0) ||
            !(strcmp(b0, a1) < 0))
            continue;
        enter_index(L, j);
        ng_status st = add_problem(L, "role \"%s\" (%s to %s) overlaps the same role (%s to %s)",
                                   title, bf ? bf : "the start", bt ? bt : "now",
                                   af ? af : "the start", at ? at : "now");
        leave(L);
        return st;
    }
    return NG_OK;
}

static ng_status load_roles(loader *L, const cJSON *roles, const char **out)
{
    static const char *const members[] = {"title", "from", "to"};
    if (!cJSON_IsArray(roles))
        return fail_at(L, 0, "\"roles\" must be an array");
    char buf[4096];
    size_t n = 0, i = 0;
    for (const cJSON *r = roles->child; r; r = r->next, i++) {
        enter_index(L, i);
        ng_status st = NG_OK;
        const char *title, *from, *to;
        if (!cJSON_IsObject(r))
            st = fail_at(L, 0, "a role must be an object with \"title\"");
        if (st == NG_OK)
            st = check_members(L, r, members, 3, "role");
        if (st == NG_OK)
            st = get_string(L, r, "title", 1, &title);
        if (st == NG_OK)
            st = get_string(L, r, "from", 0, &from);
        if (st == NG_OK)
            st = get_string(L, r, "to", 0, &to);
        leave(L);
        if (st != NG_OK)
            return st;
        int w = snprintf(buf + n, sizeof buf - n, "%s%s%s%s%s%s%s", n ? "; " : "", title,
                         from || to ? " (" : "", from ? from : "",
                         to ? (from ? " to " : "to ") : "",
                         to ? to : "", from || to ? ")" : "");
        if (w < 0 || (size_t)w >= sizeof buf - n)
            return fail_at(L, 0, "roles longer than %zu bytes", sizeof buf);
        n += (size_t)w;
        if ((st = check_overlap(L, roles, i)) != NG_OK)
            return st;
    }
    *out = n ? ng_arena_strndup(&L->d->strings, buf, n) : NULL;
    return n && !*out ? NG_ENOMEM : NG_OK;
}

static ng_status load_entity(loader *L, const cJSON *e)
{
    static const char *const members[] = {"key", "label", "category", "aliases", "facts",
                                          "roles"};
    ng_dict *d = L->d;
    if (!cJSON_IsObject(e))
        return fail_at(L, 0, "an entity must be an object");
    ng_status st = check_members(L, e, members, 6, "entity");
    const char *key, *label, *category;
    if (st != NG_OK || (st = get_string(L, e, "key", 1, &key)) != NG_OK ||
        (st = get_string(L, e, "label", 1, &label)) != NG_OK ||
        (st = get_string(L, e, "category", 1, &category)) != NG_OK)
        return st;
    int cat = ng_category_parse(category);
    enter_key(L, cat < 0 ? "category" : "key");
    if (cat < 0)
        st = fail_at(L, 0, "unknown category \"%s\" (person state organization place)",
                     category);
    else if (!valid_key(key))
        st = fail_at(L, 0, "key \"%s\" must match [a-z0-9][a-z0-9-]*", key);
    leave(L);
    if (st != NG_OK)
        return st;

    uint32_t id = (uint32_t)d->entity_count;
    if ((st = NG_GROW(d->entities, d->entity_cap, d->entity_count + 1)) != NG_OK ||
        (st = NG_GROW(d->fact_first, d->fact_first_cap, d->entity_count + 2)) != NG_OK ||
        (st = NG_GROW(d->origin, d->origin_cap, d->entity_count + 1)) != NG_OK)
        return st;
    d->origin[id] = (ng_dict_origin){d->file_index, d->entity_index, 0, 0, 0};
    origin_at(L, "key", &d->origin[id]);
    ng_entity *ent = &d->entities[id];
    memset(ent, 0, sizeof *ent);
    ent->category = (ng_category)cat;
    ent->key = ng_arena_strndup(&d->strings, key, strlen(key));
    ent->label = ng_arena_strndup(&d->strings, label, strlen(label));
    if (!ent->key || !ent->label)
        return NG_ENOMEM;
    d->fact_first[id] = d->fact_count;

    const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(e, "aliases");
    if (!aliases)
        return fail_at(L, 0, "missing member \"aliases\"");
    enter_key(L, "aliases");
    size_t n = (size_t)cJSON_GetArraySize(aliases);
    if (!cJSON_IsArray(aliases) || n == 0)
        st = fail_at(L, 0, "\"aliases\" must be a non-empty array");
    else if (n > NG_MAX_ALIASES_PER_ENTITY)
        st = fail_at(L, 0, "more than %d aliases", NG_MAX_ALIASES_PER_ENTITY);
    size_t i = 0;
    for (const cJSON *a = aliases->child; st == NG_OK && a; a = a->next, i++) {
        enter_index(L, i);
        st = load_alias(L, a, id);
        leave(L);
    }
    leave(L);
    if (st != NG_OK)
        return st;

    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(e, "facts");
    if (facts) {
        enter_key(L, "facts");
        st = load_facts(L, facts);
        leave(L);
    }
    const cJSON *roles = cJSON_GetObjectItemCaseSensitive(e, "roles");
    if (st == NG_OK && roles) {
        enter_key(L, "roles");
        st = load_roles(L, roles, &d->entities[id].roles);
        leave(L);
    }
    if (st == NG_OK)
        d->entity_count++;
    return st;
}

/* Parse the JSON text of `L` (one value, white space around it) into *root. */
static ng_status parse_json(loader *L, cJSON **root)
{
    return ng_json_parse(L->src, L->len, L->path, L->line_base,
                         L->lined ? "entity" : "dictionary", root);
}

static ng_status no_bom(const loader *L)
{
    if (L->len >= 3 && memcmp(L->src, "\xEF\xBB\xBF", 3) == 0)
        return ng_error_set(NG_EPARSE, "%s:1:1: byte-order mark not allowed (save as UTF-8 "
                                       "without BOM)", L->path);
    return NG_OK;
}

static ng_status load_json(loader *L)
{
    static const char *const members[] = {"nergraph_dictionary", "entities"};
    cJSON *root;
    ng_status st = no_bom(L);
    if (st != NG_OK || (st = parse_json(L, &root)) != NG_OK)
        return st;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "nergraph_dictionary");
    const cJSON *entities = cJSON_GetObjectItemCaseSensitive(root, "entities");
    if (!cJSON_IsObject(root))
        st = fail_at(L, 0, "a dictionary must be a JSON object");
    else if ((st = check_members(L, root, members, 2, "dictionary")) != NG_OK)
        ;
    else if (!cJSON_IsNumber(version) || version->valuedouble != FORMAT_VERSION) {
        if (version)
            enter_key(L, "nergraph_dictionary");
        st = fail_at(L, 0, "\"nergraph_dictionary\" must be %d", FORMAT_VERSION);
    } else if (!cJSON_IsArray(entities)) {
        if (entities)
            enter_key(L, "entities");
        st = fail_at(L, 0, "\"entities\" must be an array");
    } else {
        enter_key(L, "entities");
        size_t i = 0;
        for (const cJSON *e = entities->child; st == NG_OK && e; e = e->next, i++) {
            enter_index(L, i);
            L->d->entity_index = (uint32_t)i;
            st = load_entity(L, e);
            leave(L);
        }
    }
    cJSON_Delete(root);
    return st;
}

/* ---- JSON Lines: one entity object a line ---- */

static ng_status load_jsonl(loader *L)
{
    ng_status st = no_bom(L);
    const char *src = L->src;
    size_t len = L->len, line = 1;
    L->lined = 1;
    for (size_t i = 0; st == NG_OK && i < len; line++) {
        const char *nl = memchr(src + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - src) : len, n = end - i;
        size_t blank = 0;
        while (blank < n && (src[i + blank] == ' ' || src[i + blank] == '\t' ||
                             src[i + blank] == '\r'))
            blank++;
        if (blank < n) {
            loader one = *L;
            one.src = src + i;
            one.len = n;
            one.line_base = line - 1;
            cJSON *root;
            if ((st = parse_json(&one, &root)) == NG_OK) {
                L->d->entity_index = (uint32_t)(line - 1);
                st = load_entity(&one, root);
                cJSON_Delete(root);
            }
        }
        i = end + 1;
    }
    return st;
}

/* ---- tables: CSV (RFC 4180 quoting) and TSV (no quoting) ---- */

typedef struct table {
    char sep;
    int quoting;
    int header_read;
    int col[COLUMNS]; /* which field of a record each column is */
    char *text;      /* the cells, unescaped, each NUL-terminated */
    size_t text_len;
    row *rows;
    size_t row_count, row_cap;
} table;

/* Characters from `from` to `to`: the column, less one, of `to`. */
static size_t chars_between(const char *s, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

typedef struct field {
    const char *text;
    size_t line, col;
} field;

static ng_status add_record(loader *L, table *t, const field *fields, size_t count,
                            size_t line);

/* Split the file into records of fields (the header first), unescaping the
 * cells into t->text, and add each. */
static ng_status split_records(loader *L, table *t)
{
    const char *s = L->src;
    size_t len = L->len, i = 0, line = 1, line_start = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) /* spreadsheets write one */
        i = line_start = 3;
    field fields[COLUMNS + 1];
    while (i < len) {
        size_t count = 0, record_line = line;
        for (;;) {
            size_t fline = line, fcol = chars_between(s, line_start, i) + 1;
            char *out = t->text + t->text_len;
            size_t n = 0;
            if (t->quoting && s[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len)
                        return ng_error_set(NG_EPARSE, "%s:%zu:%zu: quote not closed", L->path,
                                            fline, fcol);
                    if (s[i] == '"' && i + 1 < len && s[i + 1] == '"') {
                        out[n++] = '"';
                        i += 2;
                    } else if (s[i] == '"') {
                        i++;
                        break;
                    } else {
                        if (s[i] == '\n') {
                            line++;
                            line_start = i + 1;
                        }
                        out[n++] = s[i++];
                    }
                }
                if (i < len && s[i] != t->sep && s[i] != '\n' &&
                    !(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
                    return ng_error_set(NG_EPARSE, "%s:%zu:%zu: text after a closing quote",
                                        L->path, line, chars_between(s, line_start, i) + 1);
            } else {
                while (i < len && s[i] != t->sep && s[i] != '\n' &&
                       !(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')) {
                    if ((t->quoting && s[i] == '"') || s[i] == '\0')
                        return ng_error_set(
                            NG_EPARSE, "%s:%zu:%zu: %s", L->path, line,
                            chars_between(s, line_start, i) + 1,
                            s[i] ? "quote inside a field that does not start with one (quote "
                                   "the whole field, doubling its quotes)"
                                 : "NUL byte in a dictionary file");
                    out[n++] = s[i++];
                }
            }
            if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
                i++; /* CR of CRLF */
            out[n] = '\0';
            t->text_len += n + 1;
            if (count < COLUMNS + 1)
                fields[count] = (field){out, fline, fcol};
            count++;
            if (i < len && s[i] == t->sep) {
                i++;
                continue;
            }
            if (i < len) { /* the line feed */
                i++;
                line++;
                line_start = i;
            }
            break;
        }
        if (count == 1 && fields[0].text[0] == '\0')
            continue; /* an empty line */
        ng_status st = add_record(L, t, fields, count, record_line);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

/* The header names the columns, in any order: where each one is. */
static ng_status read_header(loader *L, const field *fields, size_t count, int *where_col)
{
    for (int c = 0; c < COLUMNS; c++)
        where_col[c] = -1;
    for (size_t f = 0; f < count && f < COLUMNS + 1; f++) {
        int c = 0;
        while (c < COLUMNS && strcmp(column_names[c], fields[f].text) != 0)
            c++;
        if (c == COLUMNS || where_col[c] >= 0)
            return ng_error_set(NG_EPARSE, "%s:%zu:%zu: %s column \"%s\" (key label category "
                                           "language alias)",
                                L->path, fields[f].line, fields[f].col,
                                c == COLUMNS ? "unknown" : "duplicate", fields[f].text);
        where_col[c] = (int)f;
    }
    for (int c = 0; c < COLUMNS; c++)
        if (where_col[c] < 0)
            return ng_error_set(NG_EPARSE, "%s:1:1: missing column \"%s\" (key label category "
                                           "language alias)", L->path, column_names[c]);
    return NG_OK;
}

static ng_status add_record(loader *L, table *t, const field *fields, size_t count,
                            size_t line)
{
    if (!t->header_read) {
        t->header_read = 1;
        return read_header(L, fields, count, t->col);
    }
    if (count != COLUMNS)
        return ng_error_set(NG_EPARSE, "%s:%zu:1: %zu fields, the header has %d", L->path, line,
                            count, COLUMNS);
    ng_status st = NG_GROW(t->rows, t->row_cap, t->row_count + 1);
    if (st != NG_OK)
        return st;
    row *rw = &t->rows[t->row_count];
    rw->index = (uint32_t)t->row_count;
    for (int c = 0; c < COLUMNS; c++) {
        const field *f = &fields[t->col[c]];
        if (f->text[0] == '\0')
            return ng_error_set(NG_EPARSE, "%s:%zu:%zu: empty cell in column \"%s\"", L->path,
                                f->line, f->col, column_names[c]);
        rw->cells[c] = (cell){f->text, (uint32_t)f->line, (uint32_t)f->col};
    }
    t->row_count++;
    return NG_OK;
}

static int compare_rows(const void *a, const void *b)
{
    const row *x = *(const row *const *)a, *y = *(const row *const *)b;
    int c = strcmp(x->cells[COL_KEY].text, y->cells[COL_KEY].text);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

/* The entity of rows[0..n) (one key), as the JSON object it stands for. */
static ng_status load_rows(loader *L, const row *const *rows, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (int c = COL_LABEL; c <= COL_CATEGORY; c++)
            if (strcmp(rows[i]->cells[c].text, rows[0]->cells[c].text) != 0)
                return ng_error_set(NG_EPARSE, "%s:%u:%u: %s \"%s\" of key \"%s\" differs from "
                                               "\"%s\" on line %u",
                                    L->path, rows[i]->cells[c].line, rows[i]->cells[c].col,
                                    column_names[c], rows[i]->cells[c].text,
                                    rows[0]->cells[COL_KEY].text, rows[0]->cells[c].text,
                                    rows[0]->cells[c].line);
    cJSON *e = cJSON_CreateObject(), *aliases = cJSON_CreateArray();
    int ok = e && aliases && cJSON_AddItemToObject(e, "aliases", aliases);
    if (!ok)
        cJSON_Delete(aliases);
    for (int c = COL_KEY; ok && c <= COL_CATEGORY; c++)
        ok = cJSON_AddStringToObject(e, column_members[c], rows[0]->cells[c].text) != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *a = cJSON_CreateObject();
        ok = a && cJSON_AddItemToArray(aliases, a) &&
             cJSON_AddStringToObject(a, "text", rows[i]->cells[COL_ALIAS].text) &&
             cJSON_AddStringToObject(a, "lang", rows[i]->cells[COL_LANGUAGE].text);
    }
    ng_status st = ok ? NG_OK : ng_error_set(NG_ENOMEM, "out of memory");
    if (st == NG_OK) {
        L->rows = rows;
        L->d->entity_index = rows[0]->index;
        st = load_entity(L, e);
        L->rows = NULL;
    }
    cJSON_Delete(e);
    return st;
}

static ng_status load_table(loader *L, char sep)
{
    table t = {.sep = sep, .quoting = sep == ','};
    const row **order = NULL;
    /* every cell ends in a NUL where a separator or line break was, or the file ends */
    ng_status st = (t.text = malloc(L->len + 1)) ? NG_OK : ng_error_set(NG_ENOMEM, "out of memory");
    L->lined = 1;
    if (st == NG_OK)
        st = split_records(L, &t);
    if (st == NG_OK && !t.header_read)
        st = ng_error_set(NG_EPARSE, "%s:1:1: no header row (key,label,category,language,alias)",
                          L->path);
    if (st == NG_OK && t.row_count &&
        !(order = malloc(t.row_count * sizeof *order)))
        st = ng_error_set(NG_ENOMEM, "out of memory");
    if (st == NG_OK && t.row_count) {
        for (size_t i = 0; i < t.row_count; i++)
            order[i] = &t.rows[i];
        qsort(order, t.row_count, sizeof *order, compare_rows);
        for (size_t i = 0, j; st == NG_OK && i < t.row_count; i = j) {
            for (j = i + 1; j < t.row_count &&
                            strcmp(order[j]->cells[COL_KEY].text, order[i]->cells[COL_KEY].text) == 0;)
                j++;
            st = load_rows(L, order + i, j - i);
        }
    }
    free(order);
    free(t.rows);
    free(t.text);
    return st;
}


static ng_status load_file(ng_dict *d, const char *path)
{
    loader L = {.d = d, .path = path};
    char *src;
    ng_status st = ng_read_file(path, NG_MAX_DICT_FILE_BYTES, &src, &L.len);
    if (st != NG_OK)
        return st;
    L.src = src;
    /* The hash covers names and contents, not the directory the files are in. */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    d->hash = ng_hash_bytes(d->hash, base, strlen(base) + 1);
    d->hash = ng_hash_bytes(d->hash, src, L.len);
    d->key = ng_dict_file_key(d->key, path, src, L.len);
    size_t n = strlen(base);
    if (n > 6 && strcmp(base + n - 6, ".jsonl") == 0)
        st = load_jsonl(&L);
    else if (n > 4 && (strcmp(base + n - 4, ".csv") == 0 || strcmp(base + n - 4, ".tsv") == 0))
        st = load_table(&L, base[n - 3] == 'c' ? ',' : '\t');
    else
        st = load_json(&L);
    free(src);
    return st;
}

/* "file:line:col" of a definition into buf: of its key (`alias` 0) or of
 * its text. A JSON file is read again and walked to entities[index] (and
 * its aliases[o->alias]); the other formats kept the position while loading. */
static void describe(const ng_dict *d, const ng_dict_origin *o, int alias, char *buf, size_t cap)
{
    const char *path = d->paths[o->file];
    size_t line = o->line, col = o->col;
    char *src;
    size_t len;
    if (!line && ng_read_file(path, NG_MAX_DICT_FILE_BYTES, &src, &len) == NG_OK) {
        ng_json_step steps[5] = {{"entities", 0}, {NULL, o->index}, {"key", 0}};
        if (alias) {
            steps[2] = (ng_json_step){"aliases", 0};
            steps[3] = (ng_json_step){NULL, o->alias};
            steps[4] = (ng_json_step){"text", 0};
        }
        ng_json_line_col(src, len, ng_json_locate(src, len, steps, alias ? 5 : 3, 0), &line,
                         &col);
        free(src);
    }
    snprintf(buf, cap, "%s:%zu:%zu", path, line, col);
}

/* The error for the second definition of a key (load id `id`), at its position. */
static ng_status duplicate_key(const ng_dict *d, uint32_t id)
{
    char at[4200];
    describe(d, &d->origin[id], 0, at, sizeof at);
    return ng_error_set(NG_EPARSE, "%s: duplicate entity key \"%s\"", at, d->entities[id].key);
}

void ng_dict_entity_where(const ng_dict *d, uint32_t id, char *buf, size_t cap)
{
    describe(d, &d->origin[id], 0, buf, cap);
}

void ng_dict_alias_where(const ng_dict *d, uint32_t id, char *buf, size_t cap)
{
    describe(d, &d->alias_origin[d->aliases[id].defined], 1, buf, cap);
}

size_t ng_dict_problem_count(const ng_dict *d) { return d->problem_count; }
const char *ng_dict_problem(const ng_dict *d, size_t i) { return d->problems[i]; }

/* ---- ordering entities by key ---- */

static _Thread_local const ng_dict *sort_dict; /* qsort has no user pointer in C11 */

static int compare_ids_by_key(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = strcmp(sort_dict->entities[x].key, sort_dict->entities[y].key);
    return c ? c : (x < y ? -1 : x > y);
}

static int compare_aliases(const void *a, const void *b)
{
    const ng_alias *x = a, *y = b;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    int c = strcmp(x->text, y->text);
    if (!c)
        c = strcmp(x->lang, y->lang);
    return c ? c : (x->defined < y->defined ? -1 : x->defined > y->defined);
}

/* Alias ids by normalised text, then id. */
static int compare_ids_by_norm(const void *a, const void *b)
{
    const ng_alias *x = &sort_dict->aliases[*(const uint32_t *)a];
    const ng_alias *y = &sort_dict->aliases[*(const uint32_t *)b];
    size_t n = x->norm_len < y->norm_len ? x->norm_len : y->norm_len;
    int c = memcmp(x->norm, y->norm, n);
    if (c || x->norm_len != y->norm_len)
        return c ? c : (x->norm_len < y->norm_len ? -1 : 1);
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Ids 0..n-1 in the order of `compare` (malloc'd; NULL with NG_ENOMEM set). */
static uint32_t *sorted_ids(const ng_dict *d, size_t n, int (*compare)(const void *, const void *))
{
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) {
        ng_error_set(NG_ENOMEM, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    sort_dict = d;
    qsort(order, n, sizeof *order, compare);
    sort_dict = NULL;
    return order;
}

/* Chain the aliases that share a normalised text (same_first, same_next):
 * the context rules and dict check decide among them. */
static ng_status link_same(ng_dict *d)
{
    size_t n = d->alias_count;
    uint32_t *order = d->by_norm = sorted_ids(d, n, compare_ids_by_norm);
    if (!order)
        return NG_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        ng_alias *al = &d->aliases[order[i]];
        int same = i > 0 && d->aliases[order[i - 1]].norm_len == al->norm_len &&
                   memcmp(d->aliases[order[i - 1]].norm, al->norm, al->norm_len) == 0;
        al->same_first = same ? d->aliases[order[i - 1]].same_first : order[i];
        al->same_next = NG_NO_ALIAS;
        if (same)
            d->aliases[order[i - 1]].same_next = order[i];
    }
    return NG_OK;
}

static ng_status finish(ng_dict *d)
{
    size_t n = d->entity_count;
    if (n == 0)
        return ng_error_set(NG_EPARSE, "%s:1:1: no entities in any dictionary file",
                            d->paths[0]);
    uint32_t *order = sorted_ids(d, n, compare_ids_by_key), *rank = malloc(n * sizeof *rank);
    ng_entity *sorted = malloc(n * sizeof *sorted);
    ng_status st = NG_OK;
    if (!order || !rank || !sorted) {
        st = ng_error_set(NG_ENOMEM, "out of memory");
        goto cleanup;
    }
    d->fact_first[n] = d->fact_count;
    for (size_t i = 0; i < n; i++) {
        ng_entity *e = &d->entities[order[i]];
        if (i > 0 && strcmp(e->key, sorted[i - 1].key) == 0) {
            /* stable order ids: the later definition is order[i] or order[i - 1] */
            st = duplicate_key(d, order[i] > order[i - 1] ? order[i] : order[i - 1]);
            goto cleanup;
        }
        sorted[i] = *e;
        sorted[i].facts = d->facts ? d->facts + d->fact_first[order[i]] : NULL;
        sorted[i].fact_count = d->fact_first[order[i] + 1] - d->fact_first[order[i]];
        rank[order[i]] = (uint32_t)i;
    }
    memcpy(d->entities, sorted, n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) /* origins by the new ids: rank is spare now */
        rank[i] = order[i];
    ng_dict_origin *by_id = malloc(n * sizeof *by_id);
    if (!by_id) {
        st = ng_error_set(NG_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        by_id[i] = d->origin[order[i]];
    free(d->origin);
    d->origin = by_id;
    for (size_t i = 0; i < n; i++)
        rank[order[i]] = (uint32_t)i;
    for (size_t i = 0; i < d->alias_count; i++)
        d->aliases[i].entity = rank[d->aliases[i].entity];
    qsort(d->aliases, d->alias_count, sizeof *d->aliases, compare_aliases);
    st = link_same(d);
cleanup:
    free(order);
    free(rank);
    free(sorted);
    return st;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is `name` a dictionary file, by its extension? */
static int dictionary_file(const char *name)
{
    static const char *const extensions[] = {".json", ".jsonl", ".csv", ".tsv"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
        size_t k = strlen(extensions[i]);
        if (n > k && strcmp(name + n - k, extensions[i]) == 0)
            return 1;
    }
    return 0;
}

ng_status ng_dict_list_files(const char *dir, char ***out, size_t *out_count)
{
    char **paths = NULL;
    size_t count = 0, cap = 0;
    ng_status st = NG_OK;
    DIR *dh = opendir(dir);
    if (!dh)
        return ng_error_set(NG_EIO, "%s: cannot read dictionary directory: %s", dir,
                            strerror(errno));
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.' || !dictionary_file(e->d_name))
            continue;
        size_t nl = strlen(e->d_name);
        if ((st = NG_GROW(paths, cap, count + 1)) != NG_OK)
            break;
        size_t pl = strlen(dir) + nl + 2;
        if (!(paths[count] = malloc(pl))) {
            st = ng_error_set(NG_ENOMEM, "out of memory");
            break;
        }
        snprintf(paths[count++], pl, "%s/%s", dir, e->d_name);
    }
    closedir(dh);
    if (st == NG_OK && count == 0)
        st = ng_error_set(NG_EIO, "%s: no dictionary files (*.json, *.jsonl, *.csv, *.tsv)", dir);
    if (st != NG_OK) {
        ng_dict_free_paths(paths, count);
        return st;
    }
    qsort(paths, count, sizeof *paths, compare_names);
    *out = paths;
    *out_count = count;
    return NG_OK;
}

void ng_dict_free_paths(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

uint64_t ng_dict_file_key(uint64_t h, const char *path, const void *bytes, size_t len)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    h = ng_cache_hash(h, base, strlen(base) + 1);
    return ng_cache_hash(h, bytes, len);
}

ng_status ng_dict_load_dir(ng_dict **out, const char *dir)
{
    *out = NULL;
    ng_dict *d = calloc(1, sizeof *d);
    if (!d)
        return ng_error_set(NG_ENOMEM, "out of memory");
    d->hash = NG_HASH_SEED;
    ng_status st = ng_dict_list_files(dir, &d->paths, &d->path_count); /* kept for messages */
    for (size_t i = 0; i < d->path_count && st == NG_OK; i++) {
        d->file_index = (uint32_t)i;
        st = load_file(d, d->paths[i]);
    }
    if (st == NG_OK)
        st = finish(d);
    ng_norm_destroy(&d->scratch);
    if (st != NG_OK) {
        ng_dict_free(d);
        return st;
    }
    *out = d;
    return NG_OK;
}

void ng_dict_free(ng_dict *d)
{
    if (!d)
        return;
    ng_arena_destroy(&d->strings);
    ng_norm_destroy(&d->scratch);
    if (d->image) {
        if (d->block)
            munmap(d->block, d->block_len);
        munmap(d->image, d->image_len);
    } else {
        free(d->entities);
        free(d->aliases);
        for (size_t i = 0; i < d->rule_count; i++)
            free(d->rules[i]);
        free(d->rules);
        free(d->facts);
        free(d->by_norm);
        free(d->origin);
        free(d->alias_origin);
        free(d->problems);
    }
    free(d->fact_first);
    free(d->problem_file);
    ng_dict_free_paths(d->paths, d->path_count);
    free(d);
}

size_t ng_dict_entity_count(const ng_dict *d) { return d->entity_count; }
const ng_entity *ng_dict_entity(const ng_dict *d, uint32_t id) { return &d->entities[id]; }
size_t ng_dict_alias_count(const ng_dict *d) { return d->alias_count; }
const ng_alias *ng_dict_alias(const ng_dict *d, uint32_t id) { return &d->aliases[id]; }
uint64_t ng_dict_hash(const ng_dict *d) { return d->hash; }

uint32_t ng_dict_alias_by_norm(const ng_dict *d, const char *norm, size_t len)
{
    size_t lo = 0, hi = d->alias_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ng_alias *al = &d->aliases[d->by_norm[mid]];
        size_t n = al->norm_len < len ? al->norm_len : len;
        int c = memcmp(al->norm, norm, n);
        if (c == 0)
            c = al->norm_len < len ? -1 : al->norm_len > len;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->alias_count) {
        const ng_alias *al = &d->aliases[d->by_norm[lo]];
        if (al->norm_len == len && memcmp(al->norm, norm, len) == 0)
            return d->by_norm[lo];
    }
    return NG_NO_ALIAS;
}

int64_t ng_dict_find(const ng_dict *d, const char *key)
{
    size_t lo = 0, hi = d->entity_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(d->entities[mid].key, key);
        if (c == 0)
            return (int64_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Is `text` normalised equal to `norm` (trimmed, as aliases are)? */
static int same_name(ng_norm *scratch, const char *text, const char *norm, size_t norm_len)
{
    if (ng_normalize(scratch, text, strlen(text), NG_NORM_FOLD) != NG_OK)
        return 0;
    const char *s = scratch->data;
    size_t n = scratch->len;
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    return n == norm_len && memcmp(s, norm, n) == 0;
}

ng_status ng_dict_lookup(const ng_dict *d, const char *name, uint32_t *out)
{
    int64_t id = ng_dict_find(d, name);
    if (id >= 0) {
        *out = (uint32_t)id;
        return NG_OK;
    }
    ng_norm key = {0}, scratch = {0};
    ng_status st = ng_normalize(&key, name, strlen(name), NG_NORM_FOLD);
    const char *k = key.data;
    size_t kn = key.len;
    while (kn && *k == ' ')
        k++, kn--;
    while (kn && k[kn - 1] == ' ')
        kn--;
    int64_t found = -1, other = -1;
    for (size_t e = 0; st == NG_OK && e < d->entity_count; e++)
        if (same_name(&scratch, d->entities[e].label, k, kn)) {
            if (found < 0)
                found = (int64_t)e;
            else if (other < 0)
                other = (int64_t)e;
        }
    /* A label names its entity; only without one do aliases decide. */
    for (size_t a = 0; st == NG_OK && found < 0 && a < d->alias_count; a++)
        if (d->aliases[a].norm_len == kn && memcmp(d->aliases[a].norm, k, kn) == 0)
            found = d->aliases[a].entity;
    for (size_t a = 0; st == NG_OK && other < 0 && a < d->alias_count; a++)
        if (d->aliases[a].norm_len == kn && memcmp(d->aliases[a].norm, k, kn) == 0 &&
            (int64_t)d->aliases[a].entity != found && other < 0 &&
            !same_name(&scratch, d->entities[found].label, k, kn))
            other = d->aliases[a].entity;
    ng_norm_destroy(&key);
    ng_norm_destroy(&scratch);
    if (st != NG_OK)
        return st;
    if (found < 0)
        return ng_error_set(NG_EINVAL, "'%s' names no entity (try a key, label or alias)", name);
    if (other >= 0)
        return ng_error_set(NG_EINVAL, "'%s' is ambiguous: %s or %s (use the key)", name,
                            d->entities[found].key, d->entities[other].key);
    *out = (uint32_t)found;
    return NG_OK;
}
