/* score.c: precision, recall and F1 of mentions against a gold sample. */
#include "nergraph/score.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

typedef struct item {
    char *doc;
    uint32_t start, end;
    int type; /* category, or -1 for a type nergraph does not score */
} item;

typedef struct item_list {
    item *items;
    size_t count, cap;
} item_list;

static void list_destroy(item_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i].doc);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int get_offset(const cJSON *o, const char *name, uint32_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > UINT32_MAX ||
        v->valuedouble != (double)(uint32_t)v->valuedouble)
        return 0;
    *out = (uint32_t)v->valuedouble;
    return 1;
}

/* Read a JSON Lines file of {doc, start, end[, type]}; blank lines skipped. */
static ng_status read_items(const char *path, int want_type, item_list *out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    ng_status st = NG_OK;
    while (st == NG_OK && (n = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (n == 0 || line[strspn(line, " \t\r\n")] == '\0')
            continue;
        cJSON *o = cJSON_ParseWithLength(line, (size_t)n);
        const cJSON *doc = cJSON_GetObjectItemCaseSensitive(o, "doc");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
        item it = {0};
        if (!cJSON_IsObject(o) || !cJSON_IsString(doc) || !get_offset(o, "start", &it.start) ||
            !get_offset(o, "end", &it.end) || it.end < it.start ||
            (want_type && !cJSON_IsString(type)))
            st = ng_error_set(NG_EPARSE, "%s:%zu: expected {\"doc\", \"start\", \"end\"%s}", path,
                              lineno, want_type ? ", \"type\"" : "");
        else if ((st = NG_GROW(out->items, out->cap, out->count + 1)) == NG_OK) {
            it.type = want_type ? ng_category_parse(type->valuestring) : -1;
            if (!(it.doc = ng_strdup(doc->valuestring)))
                st = NG_ENOMEM;
            else
                out->items[out->count++] = it;
        }
        cJSON_Delete(o);
    }
    if (st == NG_OK && ferror(fp))
        st = ng_error_set(NG_EIO, "%s: read failed", path);
    free(line);
    fclose(fp);
    return st;
}

static int compare_items(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->doc, y->doc);
    if (c)
        return c;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->type - y->type;
}

static int inside(const item *m, const item_list *passages)
{
    if (!passages)
        return 1;
    for (size_t i = 0; i < passages->count; i++) {
        const item *p = &passages->items[i];
        if (strcmp(p->doc, m->doc) == 0 && m->start >= p->start && m->end <= p->end)
            return 1;
    }
    return 0;
}

/* Add one to a field (gold, predicted or correct) of the type's row and of "all". */
static void bump(ng_score *s, int type, size_t field)
{
    (*(uint64_t *)((char *)&s->rows[NG_CATEGORY_COUNT] + field))++;
    if (type >= 0)
        (*(uint64_t *)((char *)&s->rows[type] + field))++;
}

ng_status ng_score_files(ng_score *out, const char *gold, const char *predicted,
                         const char *passages)
{
    memset(out, 0, sizeof *out);
    item_list g = {0}, p = {0}, ps = {0};
    ng_status st = read_items(gold, 1, &g);
    if (st == NG_OK)
        st = read_items(predicted, 1, &p);
    if (st == NG_OK && passages)
        st = read_items(passages, 0, &ps);
    if (st == NG_OK) {
        const item_list *scope = passages ? &ps : NULL;
        if (g.count > 1)
            qsort(g.items, g.count, sizeof *g.items, compare_items);
        if (p.count > 1)
            qsort(p.items, p.count, sizeof *p.items, compare_items);
        for (size_t i = 0; i < g.count; i++)
            if (inside(&g.items[i], scope))
                bump(out, g.items[i].type, offsetof(ng_score_row, gold));
        size_t j = 0;
        for (size_t i = 0; i < p.count; i++) {
            const item *m = &p.items[i];
            if (!inside(m, scope))
                continue;
            bump(out, m->type, offsetof(ng_score_row, predicted));
            while (j < g.count && compare_items(&g.items[j], m) < 0)
                j++;
            if (j < g.count && compare_items(&g.items[j], m) == 0) {
                bump(out, m->type, offsetof(ng_score_row, correct));
                j++; /* a gold mention is matched once */
            }
        }
    }
    list_destroy(&g);
    list_destroy(&p);
    list_destroy(&ps);
    return st;
}

void ng_score_write(const ng_score *s, FILE *out)
{
    fprintf(out, "%-13s %7s %9s %7s %9s %7s %7s\n", "type", "gold", "predicted", "correct",
            "precision", "recall", "F1");
    for (int r = 0; r <= NG_CATEGORY_COUNT; r++) {
        const ng_score_row *row = &s->rows[r];
        double p = row->predicted ? (double)row->correct / (double)row->predicted : 0;
        double rc = row->gold ? (double)row->correct / (double)row->gold : 0;
        double f = p + rc > 0 ? 2 * p * rc / (p + rc) : 0;
        fprintf(out, "%-13s %7llu %9llu %7llu %9.3f %7.3f %7.3f\n",
                r < NG_CATEGORY_COUNT ? ng_category_name((ng_category)r) : "all",
                (unsigned long long)row->gold, (unsigned long long)row->predicted,
                (unsigned long long)row->correct, p, rc, f);
    }
}
