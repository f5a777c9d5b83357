/* export_csv.c: nodes.csv and edges.csv for Gephi's spreadsheet import
 * (Data Laboratory, Import Spreadsheet).
 *
 *   nodes.csv  Id,Label,category,mentions,documents,<measures>,<facts, roles>
 *   edges.csv  Source,Target,Type,Weight,documents
 *
 * Id, Source and Target are the node ids of the GEXF and JSON writers (the
 * entity key, or "n<index>" where it is empty or taken); Type is Undirected.
 * Other columns follow the attribute order of the GEXF and JSON writers;
 * size, r, g, b (and x, y, z) are left out, as the spreadsheet importer
 * would take them as plain columns, and so are columns named like the
 * importer's own (Id, Label, Source, Target, Type, Weight, in any case).
 * Unset values are empty fields.
 *
 * RFC 4180 quoting: a field holding a comma, a double quote, CR or LF is
 * quoted, its quotes doubled. UTF-8 without BOM, invalid bytes as U+FFFD,
 * C0 controls other than tab, CR and LF dropped. Records end in LF (not
 * RFC 4180's CRLF: Gephi, spreadsheets and Python's csv read both, and LF
 * keeps the files like nergraph's other outputs). Numbers in plain notation.
 */
#include "graph_internal.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonw.h"
#include "nergraph/export.h"
#include "utf8.h"

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

/* ---- CSV ---- */

static void write_field(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        putc('"', out);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k) {
            fputs("\xEF\xBF\xBD", out);
            i++;
            continue;
        }
        if (cp == '"')
            putc('"', out);
        if (cp >= 0x20 || cp == '\t' || cp == '\r' || cp == '\n')
            fwrite(s + i, 1, k, out);
        i += k;
    }
    if (quote)
        putc('"', out);
}

/* Names the spreadsheet importer takes as its own columns, in any case,
 * and the key, which is the Id: not written as data columns. */
static int own_column(int kind, const char *name)
{
    static const char *const node_own[] = {"id", "label", "key"};
    static const char *const edge_own[] = {"id", "label", "source", "target", "type", "weight"};
    const char *const *own = kind == KIND_VERTEX ? node_own : edge_own;
    size_t n = kind == KIND_VERTEX ? sizeof node_own / sizeof *node_own
                                   : sizeof edge_own / sizeof *edge_own;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(name, own[i]) == 0)
            return 1;
    return 0;
}

/* The columns of `kind` for element `i`, each after a comma. */
static void write_cells(FILE *out, const view *w, int kind, size_t i)
{
    char buf[512];
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = &w->col[kind][k];
        if (own_column(kind, c->name))
            continue;
        const char *value = cell(w, kind, c, i, buf, sizeof buf);
        putc(',', out);
        if (value)
            write_field(out, value);
    }
}

static void write_header(FILE *out, const view *w, int kind)
{
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = &w->col[kind][k];
        if (own_column(kind, c->name))
            continue;
        putc(',', out);
        write_field(out, c->name);
    }
    putc('\n', out);
}

ng_status ng_export_csv_nodes(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = view_open(&w, G);
    if (st != NG_OK)
        return st;
    fputs("Id,Label", out);
    write_header(out, &w, KIND_VERTEX);
    for (size_t v = 0, n = ng_graph_vertex_count(G); v < n; v++) {
        write_field(out, w.id[v]);
        putc(',', out);
        write_field(out, ng_graph_vertex_label(G, v));
        write_cells(out, &w, KIND_VERTEX, v);
        putc('\n', out);
    }
    view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "CSV: write failed") : NG_OK;
}

ng_status ng_export_csv_edges(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = view_open(&w, G);
    if (st != NG_OK)
        return st;
    fputs("Source,Target,Type,Weight", out);
    write_header(out, &w, KIND_EDGE);
    char buf[512];
    for (size_t e = 0, m = ng_graph_edge_count(G); e < m; e++) {
        size_t a, b;
        ng_graph_edge(G, e, &a, &b);
        write_field(out, w.id[a]);
        putc(',', out);
        write_field(out, w.id[b]);
        fputs(",Undirected,", out);
        ng_format_plain(buf, sizeof buf, ng_graph_edge_weight(G, e), 15);
        fputs(buf, out);
        write_cells(out, &w, KIND_EDGE, e);
        putc('\n', out);
    }
    view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "CSV: write failed") : NG_OK;
}
