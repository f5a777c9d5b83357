/* export_json.c: node-link JSON in graphology's serialisation format, which
 * `Graph.import` (graphology, hence sigma.js and Gephi Lite) reads as is:
 *
 *   {"attributes": {graph attributes},
 *    "options": {"type": "undirected", "multi": false, "allowSelfLoops": false},
 *    "nodes": [{"key": "<node id>", "attributes": {"label": ..., ...}}],
 *    "edges": [{"key": "e0", "source": ..., "target": ..., "undirected": true,
 *               "attributes": {"weight": ..., "documents": ...}}]}
 *
 * Only graphology's format: no d3-style top-level "links" (d3-force users map
 * nodes[].key to id and edges to links themselves).
 *
 * Node keys are the entity keys ("n<index>" where empty or taken, as in the
 * GEXF). Node attributes: label, then the data attributes in the order of
 * the GEXF and CSV writers (category, mentions, documents, the measures,
 * roles, facts), then sigma's visual ones: size and color "#rrggbb" from
 * r/g/b. No attribute is named `type` (sigma would take it as its node or
 * edge program), and `key` is not repeated among the attributes. Positions
 * are NOT included: nergraph computes no layout, and sigma needs x and y, so
 * run a layout after import (graphology-layout's circular.assign, or
 * forceAtlas2). Only a graph read from GraphML with numeric x/y attributes
 * gets them written. Unset values (empty strings, NaN) are left out.
 * One node or edge per line; numbers in plain notation; deterministic.
 */
#include "graph_internal.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "nergraph/export.h"

/* ---- what to write: this block is the same in export_gexf.c, export_json.c
 * and export_csv.c (kept identical; a private header would hold it) ---- */

enum { KIND_GRAPH = 0, KIND_VERTEX = 1, KIND_EDGE = 2 };

typedef struct column {
    const char *name;             /* borrowed from the view's name lists */
    igraph_attribute_type_t type; /* numeric, string or boolean */
    int integer;                  /* a count whose values are all whole */
} column;

typedef struct view {
    const ng_graph *G;
    igraph_strvector_t names[3]; /* graph, vertex, edge attributes, igraph's order */
    igraph_vector_int_t types[3];
    column *col[3];
    size_t ncol[3];
    const char **id; /* per vertex: its key, or an owned fallback */
    char **fallback; /* per vertex: the owned fallback id or NULL */
    int color, size, position; /* vertices carry r/g/b, size, x/y */
    locale_t c_locale, saved_locale; /* numbers as in the C locale meanwhile */
} view;

/* Names written first, in this order; the measures follow. */
static const char *const leading_names[] = {"key", "category", "mentions", "documents"};
/* Counts: declared integer when every value is whole. */
static const char *const count_names[] = {"mentions", "documents", "degree", "community",
                                           "count"};
/* Written as first-class fields or visual properties, not as data; `id` is
 * what igraph's GraphML reader stores the file's ids in (and Gephi's own
 * column). */
static const char *const visual_names[] = {"label", "size", "r", "g", "b", "x", "y", "z", "id"};

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static igraph_error_t list_attributes(view *w)
{
    IGRAPH_STRVECTOR_INIT_FINALLY(&w->names[0], 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&w->types[0], 0);
    IGRAPH_STRVECTOR_INIT_FINALLY(&w->names[1], 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&w->types[1], 0);
    IGRAPH_STRVECTOR_INIT_FINALLY(&w->names[2], 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&w->types[2], 0);
    IGRAPH_CHECK(igraph_cattribute_list(&w->G->g, &w->names[0], &w->types[0], &w->names[1],
                                        &w->types[1], &w->names[2], &w->types[2]));
    IGRAPH_FINALLY_CLEAN(6);
    return IGRAPH_SUCCESS;
}

static igraph_integer_t find_attribute(const view *w, int kind, const char *name)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(&w->names[kind]); i++)
        if (strcmp(igraph_strvector_get(&w->names[kind], i), name) == 0)
            return i;
    return -1;
}

static int is_numeric(const view *w, int kind, const char *name)
{
    igraph_integer_t i = find_attribute(w, kind, name);
    return i >= 0 && VECTOR(w->types[kind])[i] == IGRAPH_ATTRIBUTE_NUMERIC;
}

static size_t element_count(const view *w, int kind)
{
    return kind == KIND_GRAPH ? 1
           : kind == KIND_VERTEX ? ng_graph_vertex_count(w->G)
                                 : ng_graph_edge_count(w->G);
}

static double number_of(const view *w, int kind, const char *name, size_t i)
{
    const igraph_t *g = &w->G->g;
    return kind == KIND_GRAPH    ? GAN(g, name)
           : kind == KIND_VERTEX ? VAN(g, name, (igraph_integer_t)i)
                                 : EAN(g, name, (igraph_integer_t)i);
}

static int whole_values(const view *w, int kind, const char *name)
{
    for (size_t i = 0, n = element_count(w, kind); i < n; i++) {
        double x = number_of(w, kind, name, i);
        if (isfinite(x) && (x != floor(x) || fabs(x) > 2147483647.0))
            return 0;
    }
    return 1;
}

static void add_column(view *w, int kind, igraph_integer_t i)
{
    igraph_attribute_type_t type = (igraph_attribute_type_t)VECTOR(w->types[kind])[i];
    if (type != IGRAPH_ATTRIBUTE_NUMERIC && type != IGRAPH_ATTRIBUTE_STRING &&
        type != IGRAPH_ATTRIBUTE_BOOLEAN)
        return;
    column *c = &w->col[kind][w->ncol[kind]++];
    c->name = igraph_strvector_get(&w->names[kind], i);
    c->type = type;
    c->integer = type == IGRAPH_ATTRIBUTE_NUMERIC && kind != KIND_GRAPH &&
                 in_list(c->name, count_names, sizeof count_names / sizeof *count_names) &&
                 whole_values(w, kind, c->name);
}

static int is_leading(const char *name)
{
    return in_list(name, leading_names, sizeof leading_names / sizeof *leading_names) ||
           ng_measure_parse(name) >= 0;
}

static void choose_columns(view *w)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(&w->names[KIND_GRAPH]); i++)
        add_column(w, KIND_GRAPH, i);
    for (size_t k = 0; k < sizeof leading_names / sizeof *leading_names; k++) {
        igraph_integer_t i = find_attribute(w, KIND_VERTEX, leading_names[k]);
        if (i >= 0)
            add_column(w, KIND_VERTEX, i);
    }
    for (int m = 0; m < NG_MEASURE_COUNT; m++) {
        igraph_integer_t i = find_attribute(w, KIND_VERTEX, ng_measure_name((ng_measure)m));
        if (i >= 0)
            add_column(w, KIND_VERTEX, i);
    }
    for (igraph_integer_t i = 0; i < igraph_strvector_size(&w->names[KIND_VERTEX]); i++) {
        const char *name = igraph_strvector_get(&w->names[KIND_VERTEX], i);
        if (!is_leading(name) &&
            !in_list(name, visual_names, sizeof visual_names / sizeof *visual_names))
            add_column(w, KIND_VERTEX, i);
    }
    for (igraph_integer_t i = 0; i < igraph_strvector_size(&w->names[KIND_EDGE]); i++) {
        const char *name = igraph_strvector_get(&w->names[KIND_EDGE], i);
        if (strcmp(name, "weight") != 0 && strcmp(name, "id") != 0)
            add_column(w, KIND_EDGE, i);
    }
    w->color = is_numeric(w, KIND_VERTEX, "r") && is_numeric(w, KIND_VERTEX, "g") &&
               is_numeric(w, KIND_VERTEX, "b");
    w->size = is_numeric(w, KIND_VERTEX, "size");
    w->position = is_numeric(w, KIND_VERTEX, "x") && is_numeric(w, KIND_VERTEX, "y");
}

typedef struct keyed {
    const char *s;
    size_t v;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->v > y->v) - (x->v < y->v);
}

static int key_is(const void *s, const void *k) { return strcmp(s, ((const keyed *)k)->s); }

/* Node ids: the entity key; "n<index>" (plus '_' until no key has it) where
 * the key is empty or an earlier vertex has it. */
static ng_status choose_ids(view *w)
{
    size_t n = ng_graph_vertex_count(w->G);
    keyed *sorted = malloc((n ? n : 1) * sizeof *sorted);
    w->id = calloc(n ? n : 1, sizeof *w->id);
    w->fallback = calloc(n ? n : 1, sizeof *w->fallback);
    if (!sorted || !w->id || !w->fallback) {
        free(sorted);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    for (size_t v = 0; v < n; v++)
        sorted[v] = (keyed){ng_graph_vertex_key(w->G, v), v};
    if (n > 1)
        qsort(sorted, n, sizeof *sorted, by_key);
    for (size_t i = 0; i < n; i++)
        if (sorted[i].s[0] && (i == 0 || strcmp(sorted[i].s, sorted[i - 1].s) != 0))
            w->id[sorted[i].v] = sorted[i].s;
    ng_status st = NG_OK;
    for (size_t v = 0; v < n && st == NG_OK; v++) {
        if (w->id[v])
            continue;
        char buf[64];
        size_t len = (size_t)snprintf(buf, sizeof buf, "n%zu", v);
        while (len + 1 < sizeof buf && bsearch(buf, sorted, n, sizeof *sorted, key_is)) {
            buf[len++] = '_';
            buf[len] = '\0';
        }
        if (!(w->fallback[v] = strdup(buf)))
            st = ng_error_set(NG_ENOMEM, "out of memory");
        w->id[v] = w->fallback[v];
    }
    free(sorted);
    return st;
}

static void view_close(view *w)
{
    if (w->c_locale) {
        uselocale(w->saved_locale);
        freelocale(w->c_locale);
    }
    for (size_t v = 0; w->fallback && v < ng_graph_vertex_count(w->G); v++)
        free(w->fallback[v]);
    free(w->fallback);
    free(w->id);
    for (int k = 0; k < 3; k++) {
        free(w->col[k]);
        igraph_strvector_destroy(&w->names[k]);
        igraph_vector_int_destroy(&w->types[k]);
    }
}

static ng_status view_open(view *w, const ng_graph *G)
{
    memset(w, 0, sizeof *w);
    w->G = G;
    /* snprintf follows LC_NUMERIC, which a host program may have set: write
     * in the C locale on this thread, whatever it is. */
    if (!(w->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
        return ng_error_set(NG_ENOMEM, "out of memory (locale)");
    w->saved_locale = uselocale(w->c_locale);
    ng_graph_begin();
    igraph_error_t e = list_attributes(w);
    if (e != IGRAPH_SUCCESS) {
        uselocale(w->saved_locale);
        freelocale(w->c_locale);
        return ng_graph_failed(e); /* the error handler destroyed the lists */
    }
    for (int k = 0; k < 3; k++)
        if (!(w->col[k] = calloc((size_t)igraph_strvector_size(&w->names[k]) + 1,
                                 sizeof *w->col[k]))) {
            view_close(w);
            return ng_error_set(NG_ENOMEM, "out of memory");
        }
    choose_columns(w);
    ng_status st = choose_ids(w);
    if (st != NG_OK)
        view_close(w);
    return st;
}

/* The value of column `c` for element `i` as text: strings borrowed, numbers
 * formatted into `buf` (plain notation, 15 significant digits), booleans
 * "true"/"false"; NULL where unset (an empty string or a NaN). */
static const char *cell(const view *w, int kind, const column *c, size_t i, char *buf,
                        size_t cap)
{
    const igraph_t *g = &w->G->g;
    igraph_integer_t j = (igraph_integer_t)i;
    if (c->type == IGRAPH_ATTRIBUTE_STRING) {
        const char *s = kind == KIND_GRAPH    ? GAS(g, c->name)
                        : kind == KIND_VERTEX ? VAS(g, c->name, j)
                                              : EAS(g, c->name, j);
        return s && s[0] ? s : NULL;
    }
    if (c->type == IGRAPH_ATTRIBUTE_BOOLEAN) {
        igraph_bool_t b = kind == KIND_GRAPH    ? GAB(g, c->name)
                          : kind == KIND_VERTEX ? VAB(g, c->name, j)
                                                : EAB(g, c->name, j);
        return b ? "true" : "false";
    }
    double x = number_of(w, kind, c->name, i);
    if (!isfinite(x))
        return NULL;
    ng_format_plain(buf, cap, x, 15);
    return buf;
}

/* ---- JSON ---- */

static void write_string(FILE *out, const char *s) { ng_json_write_string(out, s, strlen(s)); }

/* Write ", " unless this is the first member of an object, then the name. */
static void write_member(FILE *out, int *first, const char *name)
{
    if (!*first)
        fputs(", ", out);
    *first = 0;
    write_string(out, name);
    fputs(": ", out);
}

/* The columns of `kind` for element `i` as members of an open object,
 * leaving out unset values and the names in `skip`. */
static void write_values(FILE *out, const view *w, int kind, size_t i, int *first,
                         const char *const *skip, size_t nskip)
{
    char buf[512];
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = &w->col[kind][k];
        if (in_list(c->name, skip, nskip))
            continue;
        const char *value = cell(w, kind, c, i, buf, sizeof buf);
        if (!value)
            continue;
        write_member(out, first, c->name);
        if (c->type == IGRAPH_ATTRIBUTE_STRING)
            write_string(out, value);
        else
            fputs(value, out); /* a plain number, true or false */
    }
}

static int channel(double x) { return x <= 0 ? 0 : x >= 255 ? 255 : (int)lround(x); }

static void write_visual(FILE *out, const view *w, size_t v, int *first)
{
    const igraph_t *g = &w->G->g;
    igraph_integer_t j = (igraph_integer_t)v;
    if (w->size && isfinite(VAN(g, "size", j))) {
        write_member(out, first, "size");
        ng_json_write_number(out, VAN(g, "size", j) > 0 ? VAN(g, "size", j) : 0);
    }
    if (w->color && isfinite(VAN(g, "r", j)) && isfinite(VAN(g, "g", j)) &&
        isfinite(VAN(g, "b", j))) {
        write_member(out, first, "color");
        fprintf(out, "\"#%02x%02x%02x\"", channel(VAN(g, "r", j)), channel(VAN(g, "g", j)),
                channel(VAN(g, "b", j)));
    }
    if (w->position && isfinite(VAN(g, "x", j)) && isfinite(VAN(g, "y", j))) {
        write_member(out, first, "x");
        ng_json_write_number(out, VAN(g, "x", j));
        write_member(out, first, "y");
        ng_json_write_number(out, VAN(g, "y", j));
    }
}

static const char *const node_skip[] = {"key", "type"};
static const char *const edge_skip[] = {"type"};

ng_status ng_export_json(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = view_open(&w, G);
    if (st != NG_OK)
        return st;
    igraph_bool_t multi = 0, loops = 0;
    igraph_error_t e = igraph_has_multiple(&G->g, &multi);
    if (e == IGRAPH_SUCCESS)
        e = igraph_has_loop(&G->g, &loops);
    if (e != IGRAPH_SUCCESS) {
        view_close(&w);
        return ng_graph_failed(e);
    }
    int first = 1;
    fputs("{\n  \"attributes\": {", out);
    write_values(out, &w, KIND_GRAPH, 0, &first, NULL, 0);
    fprintf(out, "},\n  \"options\": {\"type\": \"undirected\", \"multi\": %s, "
                 "\"allowSelfLoops\": %s},\n  \"nodes\": [",
            multi ? "true" : "false", loops ? "true" : "false");
    size_t n = ng_graph_vertex_count(G), m = ng_graph_edge_count(G);
    for (size_t v = 0; v < n; v++) {
        fputs(v ? ",\n    {\"key\": " : "\n    {\"key\": ", out);
        write_string(out, w.id[v]);
        fputs(", \"attributes\": {\"label\": ", out);
        write_string(out, ng_graph_vertex_label(G, v));
        first = 0;
        write_values(out, &w, KIND_VERTEX, v, &first, node_skip,
                     sizeof node_skip / sizeof *node_skip);
        write_visual(out, &w, v, &first);
        fputs("}}", out);
    }
    fputs(n ? "\n  ],\n  \"edges\": [" : "],\n  \"edges\": [", out);
    for (size_t i = 0; i < m; i++) {
        size_t a, b;
        ng_graph_edge(G, i, &a, &b);
        fprintf(out, "%s    {\"key\": \"e%zu\", \"source\": ", i ? ",\n" : "\n", i);
        write_string(out, w.id[a]);
        fputs(", \"target\": ", out);
        write_string(out, w.id[b]);
        fputs(", \"undirected\": true, \"attributes\": {\"weight\": ", out);
        ng_json_write_number(out, ng_graph_edge_weight(G, i));
        first = 0;
        write_values(out, &w, KIND_EDGE, i, &first, edge_skip,
                     sizeof edge_skip / sizeof *edge_skip);
        fputs("}}", out);
    }
    fputs(m ? "\n  ]\n}\n" : "]\n}\n", out);
    view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "JSON: write failed") : NG_OK;
}
