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

#include "arena.h"
#include "buf.h"
#include "jsonpos.h"
#include "nergraph/normalize.h"
#include "utf8.h"

#include <utf8proc.h>

#define FORMAT_VERSION 1
#define MAX_DEPTH 6

struct ng_dict {
    ng_arena strings;
    ng_entity *entities;
    size_t entity_count, entity_cap;
    ng_alias *aliases;
    size_t alias_count, alias_cap;
    ng_fact *facts; /* entities point into this once loading is done */
    size_t fact_count, fact_cap;
    size_t *fact_first; /* per entity, index of its first fact, during loading */
    size_t fact_first_cap;
    struct origin { uint32_t file, index; } *origin; /* where each entity was defined */
    size_t origin_cap;
    uint32_t file_index, entity_index; /* of the entity being loaded */
    uint64_t hash;
    ng_norm scratch;
};

static const char *const languages[] = {"en", "kk", "ru", "tr", "ug", "zh", "und"};

/* Node attributes nergraph writes itself, which a fact may not shadow, and
 * names Gephi or sigma.js read as visual properties. */
static const char *const reserved_facts[] = {
    "key", "label", "category", "mentions", "documents", "roles", "size", "r", "g", "b",
    "x", "y", "z", "id", "type", "d3", "degree", "strength", "betweenness", "harmonic",
    "eigenvector", "pagerank", "community"};

/* ---- error reporting with positions ---- */

typedef struct loader {
    ng_dict *d;
    const char *path;
    const char *src;
    size_t len;
    ng_json_step steps[MAX_DEPTH];
    size_t depth;
} loader;

static ng_status fail_at(const loader *L, size_t occurrence, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ng_status fail_at(const loader *L, size_t occurrence, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t off = ng_json_locate(L->src, L->len, L->steps, L->depth, occurrence), line, col;
    ng_json_line_col(L->src, L->len, off, &line, &col);
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

static ng_status load_alias(loader *L, const cJSON *a, uint32_t entity)
{
    static const char *const members[] = {"text", "lang", "demonym", "case_sensitive"};
    ng_dict *d = L->d;
    if (!cJSON_IsObject(a))
        return fail_at(L, 0, "an alias must be an object with \"text\" and \"lang\"");
    ng_status st = check_members(L, a, members, 4, "alias");
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
    while (li < sizeof languages / sizeof *languages && strcmp(languages[li], lang) != 0)
        li++;
    if (li == sizeof languages / sizeof *languages) {
        enter_key(L, "lang");
        st = fail_at(L, 0, "unknown language \"%s\" (en kk ru tr ug zh und)", lang);
        leave(L);
        return st;
    }
    int demonym = 0, case_sensitive = looks_like_acronym(text);
    if ((st = get_bool(L, a, "demonym", &demonym)) != NG_OK ||
        (st = get_bool(L, a, "case_sensitive", &case_sensitive)) != NG_OK)
        return st;
    if ((st = NG_GROW(d->aliases, d->alias_cap, d->alias_count + 1)) != NG_OK)
        return st;
    ng_alias *al = &d->aliases[d->alias_count];
    memset(al, 0, sizeof *al);
    al->entity = entity;
    al->lang = languages[li];
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
    d->origin[id] = (struct origin){d->file_index, d->entity_index};
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

static ng_status load_json(loader *L)
{
    static const char *const members[] = {"nergraph_dictionary", "entities"};
    const char *src = L->src;
    size_t len = L->len;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        return ng_error_set(NG_EPARSE, "%s:1:1: byte-order mark not allowed (save as UTF-8 "
                                       "without BOM)", L->path);
    cJSON *root;
    ng_status st = ng_json_parse(src, len, L->path, "dictionary", &root);
    if (st != NG_OK)
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


static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
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
    d->hash = fnv1a(d->hash, base, strlen(base) + 1);
    d->hash = fnv1a(d->hash, src, L.len);
    st = load_json(&L);
    free(src);
    return st;
}

/* The error for the second definition of a key, at its position. */
static ng_status duplicate_key(const ng_dict *d, char **paths, uint32_t id)
{
    const char *path = paths[d->origin[id].file];
    loader L = {.path = path};
    char *src;
    if (ng_read_file(path, NG_MAX_DICT_FILE_BYTES, &src, &L.len) != NG_OK)
        return ng_error_set(NG_EPARSE, "%s: duplicate entity key \"%s\"", path,
                            d->entities[id].key);
    L.src = src;
    enter_key(&L, "entities");
    enter_index(&L, d->origin[id].index);
    enter_key(&L, "key");
    ng_status st = fail_at(&L, 0, "duplicate entity key \"%s\"", d->entities[id].key);
    free(src);
    return st;
}

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
    return strcmp(x->text, y->text) ? strcmp(x->text, y->text) : strcmp(x->lang, y->lang);
}

static ng_status finish(ng_dict *d, char **paths)
{
    size_t n = d->entity_count;
    if (n == 0)
        return ng_error_set(NG_EPARSE, "%s:1:1: no entities in any dictionary file", paths[0]);
    uint32_t *order = malloc(n * sizeof *order), *rank = malloc(n * sizeof *rank);
    ng_entity *sorted = malloc(n * sizeof *sorted);
    ng_status st = NG_OK;
    if (!order || !rank || !sorted) {
        st = ng_error_set(NG_ENOMEM, "out of memory");
        goto cleanup;
    }
    d->fact_first[n] = d->fact_count;
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    sort_dict = d;
    qsort(order, n, sizeof *order, compare_ids_by_key);
    sort_dict = NULL;
    for (size_t i = 0; i < n; i++) {
        ng_entity *e = &d->entities[order[i]];
        if (i > 0 && strcmp(e->key, sorted[i - 1].key) == 0) {
            /* stable order ids: the later definition is order[i] or order[i - 1] */
            st = duplicate_key(d, paths, order[i] > order[i - 1] ? order[i] : order[i - 1]);
            goto cleanup;
        }
        sorted[i] = *e;
        sorted[i].facts = d->facts ? d->facts + d->fact_first[order[i]] : NULL;
        sorted[i].fact_count = d->fact_first[order[i] + 1] - d->fact_first[order[i]];
        rank[order[i]] = (uint32_t)i;
    }
    memcpy(d->entities, sorted, n * sizeof *sorted);
    for (size_t i = 0; i < d->alias_count; i++)
        d->aliases[i].entity = rank[d->aliases[i].entity];
    qsort(d->aliases, d->alias_count, sizeof *d->aliases, compare_aliases);
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

ng_status ng_dict_load_dir(ng_dict **out, const char *dir)
{
    *out = NULL;
    ng_dict *d = calloc(1, sizeof *d);
    if (!d)
        return ng_error_set(NG_ENOMEM, "out of memory");
    d->hash = 0xcbf29ce484222325ULL;
    char **paths = NULL;
    size_t count = 0, cap = 0;
    ng_status st = NG_OK;
    DIR *dh = opendir(dir);
    if (!dh) {
        st = ng_error_set(NG_EIO, "%s: cannot read dictionary directory: %s", dir,
                          strerror(errno));
        goto cleanup;
    }
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (e->d_name[0] == '.' || nl < 6 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
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
    if (st != NG_OK)
        goto cleanup;
    if (count == 0) {
        st = ng_error_set(NG_EIO, "%s: no *.json dictionary files", dir);
        goto cleanup;
    }
    qsort(paths, count, sizeof *paths, compare_names);
    for (size_t i = 0; i < count && st == NG_OK; i++) {
        d->file_index = (uint32_t)i;
        st = load_file(d, paths[i]);
    }
    if (st == NG_OK)
        st = finish(d, paths);
cleanup:
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
    free(d->origin);
    d->origin = NULL;
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
    free(d->entities);
    free(d->aliases);
    free(d->facts);
    free(d->fact_first);
    free(d->origin);
    free(d);
}

size_t ng_dict_entity_count(const ng_dict *d) { return d->entity_count; }
const ng_entity *ng_dict_entity(const ng_dict *d, uint32_t id) { return &d->entities[id]; }
size_t ng_dict_alias_count(const ng_dict *d) { return d->alias_count; }
const ng_alias *ng_dict_alias(const ng_dict *d, uint32_t id) { return &d->aliases[id]; }
uint64_t ng_dict_hash(const ng_dict *d) { return d->hash; }

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
