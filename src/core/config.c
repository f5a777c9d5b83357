/* config.c: per-document settings, read with cJSON. */
#include "nergraph/config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "jsonpos.h"

typedef struct entry {
    char *path;
    char *encoding; /* NULL if not set */
    char *date;
} entry;

struct ng_config {
    entry *entries;
    size_t count, cap;
};

static ng_status fail(const char *path, const char *src, size_t len, const ng_json_step *steps,
                      size_t depth, const char *msg, const char *arg)
{
    size_t line, col, off = ng_json_locate(src, len, steps, depth, 0);
    ng_json_line_col(src, len, off, &line, &col);
    return ng_error_set(NG_EPARSE, "%s:%zu:%zu: %s%s", path, line, col, msg, arg ? arg : "");
}

static int valid_date(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    if (strlen(s) != 10)
        return 0;
    for (int i = 0; i < 10; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
            return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static int known_encoding(const char *name)
{
    if (strcasecmp(name, "KZ-1048") == 0)
        name = "RK1048";
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

static ng_status load_entries(ng_config *c, const char *path, const char *src, size_t len,
                              const cJSON *root)
{
    ng_json_step steps[3] = {{"documents", 0}, {NULL, 0}, {NULL, 0}};
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "nergraph_config");
    const cJSON *docs = cJSON_GetObjectItemCaseSensitive(root, "documents");
    for (const cJSON *m = root->child; m; m = m->next)
        if (strcmp(m->string, "nergraph_config") && strcmp(m->string, "documents"))
            return fail(path, src, len, (ng_json_step[]){{m->string, 0}}, 1, "unknown member ",
                        m->string);
    if (!cJSON_IsNumber(version) || version->valuedouble != 1)
        return fail(path, src, len, steps, 0, "\"nergraph_config\" must be 1", NULL);
    if (!docs)
        return NG_OK;
    if (!cJSON_IsObject(docs))
        return fail(path, src, len, steps, 1, "\"documents\" must be an object", NULL);
    for (const cJSON *d = docs->child; d; d = d->next) {
        steps[1].key = d->string;
        if (!cJSON_IsObject(d))
            return fail(path, src, len, steps, 2, "a document's settings must be an object", NULL);
        if (NG_GROW(c->entries, c->cap, c->count + 1) != NG_OK)
            return NG_ENOMEM;
        entry *e = &c->entries[c->count++];
        memset(e, 0, sizeof *e);
        if (!(e->path = ng_strdup(d->string)))
            return NG_ENOMEM;
        for (const cJSON *s = d->child; s; s = s->next) {
            steps[2].key = s->string;
            int is_enc = !strcmp(s->string, "encoding"), is_date = !strcmp(s->string, "date");
            if (!is_enc && !is_date)
                return fail(path, src, len, steps, 3, "unknown setting ", s->string);
            if (!cJSON_IsString(s))
                return fail(path, src, len, steps, 3, "must be a string: ", s->string);
            if (is_enc && !known_encoding(s->valuestring))
                return fail(path, src, len, steps, 3, "unknown encoding ", s->valuestring);
            if (is_date && !valid_date(s->valuestring))
                return fail(path, src, len, steps, 3, "a date is YYYY-MM-DD, not ",
                            s->valuestring);
            char **slot = is_enc ? &e->encoding : &e->date;
            free(*slot);
            if (!(*slot = ng_strdup(s->valuestring)))
                return NG_ENOMEM;
        }
    }
    return NG_OK;
}

ng_status ng_config_load(ng_config **out, const char *path)
{
    *out = NULL;
    char *src;
    size_t len;
    ng_status st = ng_read_file(path, NG_MAX_DICT_FILE_BYTES, &src, &len);
    if (st != NG_OK)
        return st;
    ng_config *c = calloc(1, sizeof *c);
    if (st == NG_OK && !c)
        st = ng_error_set(NG_ENOMEM, "out of memory");
    if (st == NG_OK) {
        cJSON *root;
        st = ng_json_parse(src, len, path, 0, "configuration", &root);
        if (st == NG_OK && !cJSON_IsObject(root)) {
            size_t line, col;
            ng_json_line_col(src, len, ng_json_locate(src, len, NULL, 0, 0), &line, &col);
            st = ng_error_set(NG_EPARSE, "%s:%zu:%zu: the configuration must be a JSON object",
                              path, line, col);
        } else if (st == NG_OK) {
            st = load_entries(c, path, src, len, root);
        }
        cJSON_Delete(root);
    }
    free(src);
    if (st != NG_OK) {
        ng_config_free(c);
        return st;
    }
    *out = c;
    return NG_OK;
}

void ng_config_free(ng_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        free(c->entries[i].path);
        free(c->entries[i].encoding);
        free(c->entries[i].date);
    }
    free(c->entries);
    free(c);
}

/* Does entry path `p` name `doc`: the same path, or a directory above it? */
static size_t matches(const char *p, const char *doc)
{
    size_t n = strlen(p);
    if (strcmp(p, doc) == 0)
        return n + 1; /* an exact name beats a directory of the same length */
    return n && p[n - 1] == '/' && strncmp(p, doc, n) == 0 ? n : 0;
}

static const char *lookup(const ng_config *c, const char *doc, int date)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; c && i < c->count; i++) {
        const char *v = date ? c->entries[i].date : c->entries[i].encoding;
        size_t m = v ? matches(c->entries[i].path, doc) : 0;
        if (m > best_len) {
            best = v;
            best_len = m;
        }
    }
    return best;
}

const char *ng_config_encoding(const ng_config *c, const char *doc) { return lookup(c, doc, 0); }
const char *ng_config_date(const ng_config *c, const char *doc) { return lookup(c, doc, 1); }
