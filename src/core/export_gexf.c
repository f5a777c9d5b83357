/* export_gexf.c: GEXF 1.3 for Gephi, written here (no C GEXF library is
 * packaged; libxml2's writer passes C0 controls through).
 *
 * A static undirected graph: node id = entity key (or "n<index>" where the
 * key is empty or already taken), node label, edge id "e<index>" and weight
 * first-class; every other vertex and edge attribute declared under
 * <attributes> with its type; size and r/g/b as viz:size and viz:color (x/y
 * as viz:position where a graph read from GraphML has them). Graph
 * attributes go into <meta><description>. No lastmodifieddate, no
 * xsi:schemaLocation, numbers never in exponent form: the bytes depend only
 * on the graph, and the file validates against the GEXF 1.3 RELAX NG schema.
 *
 * Attribute order: key, category, mentions, documents, the measures in
 * ng_measure order, then the others (facts, roles, attributes of a foreign
 * GraphML) in igraph's order, which is the order graph.c created them in.
 * The same order is used by the JSON and CSV writers.
 */
#include "graph_internal.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- GEXF ---- */

/* Text for XML content and attribute values: & < > " ' escaped; tab, line
 * feed and carriage return as character references (attribute-value
 * normalisation would turn them into spaces); other C0 controls, U+FFFE and
 * U+FFFF dropped; invalid UTF-8 as U+FFFD. */
static void write_xml(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k) {
            fputs("\xEF\xBF\xBD", out);
            i++;
            continue;
        }
        switch (cp) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        case '\t': fputs("&#9;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\r': fputs("&#13;", out); break;
        default:
            if (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF)
                fwrite(s + i, 1, k, out);
        }
        i += k;
    }
}

static void write_number(FILE *out, double x)
{
    char buf[512]; /* the widest finite double in plain notation fits */
    ng_format_plain(buf, sizeof buf, x, 15);
    fputs(buf, out);
}

/* <meta>: the creator, and the graph attributes (window, seed...) as a
 * description, since GEXF 1.3 has no graph-level attribute values. */
static void write_meta(FILE *out, const view *w)
{
    fputs("  <meta>\n    <creator>nergraph</creator>\n", out);
    if (w->ncol[KIND_GRAPH]) {
        fputs("    <description>co-occurrence network;", out);
        char buf[512];
        for (size_t k = 0; k < w->ncol[KIND_GRAPH]; k++) {
            const column *c = &w->col[KIND_GRAPH][k];
            const char *value = cell(w, KIND_GRAPH, c, 0, buf, sizeof buf);
            fputs(k ? ", " : " ", out);
            write_xml(out, c->name);
            putc('=', out);
            write_xml(out, value ? value : "");
        }
        fputs("</description>\n", out);
    }
    fputs("  </meta>\n", out);
}

static void write_declarations(FILE *out, const view *w, int kind)
{
    if (!w->ncol[kind])
        return;
    fprintf(out, "    <attributes class=\"%s\">\n", kind == KIND_VERTEX ? "node" : "edge");
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = &w->col[kind][k];
        const char *type = c->type == IGRAPH_ATTRIBUTE_STRING    ? "string"
                           : c->type == IGRAPH_ATTRIBUTE_BOOLEAN ? "boolean"
                           : c->integer                          ? "integer"
                                                                 : "double";
        /* id = title = the attribute's name: Gephi matches on the id and
         * names the column by the title, graphology-gexf uses the title. */
        fputs("      <attribute id=\"", out);
        write_xml(out, c->name);
        fputs("\" title=\"", out);
        write_xml(out, c->name);
        fprintf(out, "\" type=\"%s\"/>\n", type);
    }
    fputs("    </attributes>\n", out);
}

static void write_attvalues(FILE *out, const view *w, int kind, size_t i, const char *indent)
{
    char buf[512];
    int open = 0;
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = &w->col[kind][k];
        const char *value = cell(w, kind, c, i, buf, sizeof buf);
        if (!value)
            continue; /* unset: no attvalue, so Gephi shows no value */
        if (!open)
            fprintf(out, "%s<attvalues>\n", indent);
        open = 1;
        fprintf(out, "%s  <attvalue for=\"", indent);
        write_xml(out, c->name);
        fputs("\" value=\"", out);
        write_xml(out, value);
        fputs("\"/>\n", out);
    }
    if (open)
        fprintf(out, "%s</attvalues>\n", indent);
}

static long channel(const ng_graph *G, const char *name, size_t v)
{
    double x = VAN(&G->g, name, (igraph_integer_t)v);
    return x <= 0 ? 0 : x >= 255 ? 255 : lround(x);
}

static void write_viz(FILE *out, const view *w, size_t v)
{
    const igraph_t *g = &w->G->g;
    igraph_integer_t j = (igraph_integer_t)v;
    if (w->size && isfinite(VAN(g, "size", j))) {
        fputs("        <viz:size value=\"", out);
        write_number(out, VAN(g, "size", j) > 0 ? VAN(g, "size", j) : 0);
        fputs("\"/>\n", out);
    }
    if (w->position && isfinite(VAN(g, "x", j)) && isfinite(VAN(g, "y", j))) {
        fputs("        <viz:position x=\"", out);
        write_number(out, VAN(g, "x", j));
        fputs("\" y=\"", out);
        write_number(out, VAN(g, "y", j));
        if (is_numeric(w, KIND_VERTEX, "z") && isfinite(VAN(g, "z", j))) {
            fputs("\" z=\"", out);
            write_number(out, VAN(g, "z", j));
        }
        fputs("\"/>\n", out);
    }
    if (w->color && isfinite(VAN(g, "r", j)) && isfinite(VAN(g, "g", j)) &&
        isfinite(VAN(g, "b", j)))
        fprintf(out, "        <viz:color r=\"%ld\" g=\"%ld\" b=\"%ld\"/>\n",
                channel(w->G, "r", v), channel(w->G, "g", v), channel(w->G, "b", v));
}

static void write_nodes(FILE *out, const view *w)
{
    size_t n = ng_graph_vertex_count(w->G);
    fprintf(out, "    <nodes count=\"%zu\">\n", n);
    for (size_t v = 0; v < n; v++) {
        fputs("      <node id=\"", out);
        write_xml(out, w->id[v]);
        fputs("\" label=\"", out);
        write_xml(out, ng_graph_vertex_label(w->G, v));
        /* A dynamic graph (dated documents) adds start="..." end="..." here,
         * from the first and last mention, and timeformat/mode on <graph>. */
        fputs("\">\n", out);
        write_attvalues(out, w, KIND_VERTEX, v, "        ");
        write_viz(out, w, v);
        fputs("      </node>\n", out);
    }
    fputs("    </nodes>\n", out);
}

static void write_edges(FILE *out, const view *w)
{
    size_t m = ng_graph_edge_count(w->G);
    fprintf(out, "    <edges count=\"%zu\">\n", m);
    for (size_t e = 0; e < m; e++) {
        size_t a, b;
        ng_graph_edge(w->G, e, &a, &b);
        fprintf(out, "      <edge id=\"e%zu\" source=\"", e);
        write_xml(out, w->id[a]);
        fputs("\" target=\"", out);
        write_xml(out, w->id[b]);
        fputs("\" weight=\"", out);
        write_number(out, ng_graph_edge_weight(w->G, e));
        /* A dynamic graph adds start/end (or <spells>) here, and weight per
         * period as an attvalue of the reserved title "weight". */
        fputs("\"", out);
        if (w->ncol[KIND_EDGE]) {
            fputs(">\n", out);
            write_attvalues(out, w, KIND_EDGE, e, "        ");
            fputs("      </edge>\n", out);
        } else {
            fputs("/>\n", out);
        }
    }
    fputs("    </edges>\n", out);
}

ng_status ng_export_gexf(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = view_open(&w, G);
    if (st != NG_OK)
        return st;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" "
          "version=\"1.3\">\n",
          out);
    write_meta(out, &w);
    fputs("  <graph defaultedgetype=\"undirected\" mode=\"static\">\n", out);
    write_declarations(out, &w, KIND_VERTEX);
    write_declarations(out, &w, KIND_EDGE);
    write_nodes(out, &w);
    write_edges(out, &w);
    fputs("  </graph>\n</gexf>\n", out);
    view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "GEXF: write failed") : NG_OK;
}
