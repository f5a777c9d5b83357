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
#include "export_view.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "nergraph/export.h"

/* ---- GEXF ---- */

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
            const column *c = w->col[KIND_GRAPH][k];
            const char *value = ng_view_cell(c, 0, buf, sizeof buf);
            fputs(k ? ", " : " ", out);
            ng_xml_write_text(out, c->name);
            putc('=', out);
            ng_xml_write_text(out, value ? value : "");
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
        const column *c = w->col[kind][k];
        const char *type = c->type == IGRAPH_ATTRIBUTE_STRING    ? "string"
                           : c->type == IGRAPH_ATTRIBUTE_BOOLEAN ? "boolean"
                           : c->integer                          ? "integer"
                                                                 : "double";
        /* id = title = the attribute's name: Gephi matches on the id and
         * names the column by the title, graphology-gexf uses the title. */
        fputs("      <attribute id=\"", out);
        ng_xml_write_text(out, c->name);
        fputs("\" title=\"", out);
        ng_xml_write_text(out, c->name);
        fprintf(out, "\" type=\"%s\"/>\n", type);
    }
    fputs("    </attributes>\n", out);
}

static void write_attvalues(FILE *out, const view *w, int kind, size_t i, const char *indent)
{
    char buf[512];
    int open = 0;
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = w->col[kind][k];
        const char *value = ng_view_cell(c, i, buf, sizeof buf);
        if (!value)
            continue; /* unset: no attvalue, so Gephi shows no value */
        if (!open) { /* fputs, not fprintf: a line per value of every node and edge */
            fputs(indent, out);
            fputs("<attvalues>\n", out);
        }
        open = 1;
        fputs(indent, out);
        fputs("  <attvalue for=\"", out);
        ng_xml_write_text(out, c->name);
        fputs("\" value=\"", out);
        ng_xml_write_text(out, value);
        fputs("\"/>\n", out);
    }
    if (open) {
        fputs(indent, out);
        fputs("</attvalues>\n", out);
    }
}

static void write_viz(FILE *out, const view *w, size_t v)
{
    double size = ng_view_visual(w, VISUAL_SIZE, v), x = ng_view_visual(w, VISUAL_X, v),
           y = ng_view_visual(w, VISUAL_Y, v), z = ng_view_visual(w, VISUAL_Z, v),
           r = ng_view_visual(w, VISUAL_R, v), g = ng_view_visual(w, VISUAL_G, v),
           b = ng_view_visual(w, VISUAL_B, v);
    if (w->size && isfinite(size)) {
        fputs("        <viz:size value=\"", out);
        write_number(out, size > 0 ? size : 0);
        fputs("\"/>\n", out);
    }
    if (w->position && isfinite(x) && isfinite(y)) {
        fputs("        <viz:position x=\"", out);
        write_number(out, x);
        fputs("\" y=\"", out);
        write_number(out, y);
        if (isfinite(z)) {
            fputs("\" z=\"", out);
            write_number(out, z);
        }
        fputs("\"/>\n", out);
    }
    if (w->color && isfinite(r) && isfinite(g) && isfinite(b))
        fprintf(out, "        <viz:color r=\"%d\" g=\"%d\" b=\"%d\"/>\n", ng_view_channel(r),
                ng_view_channel(g), ng_view_channel(b));
}

/* Documents with dates make the graph dynamic: a vertex or an edge lives
 * from its first dated document to its last (the "first" and "last"
 * attributes graph.c sets), which drives Gephi's timeline. */
static int dynamic(const igraph_t *g)
{
    return igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_VERTEX, "first") &&
           igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_VERTEX, "last");
}

static void write_spell(FILE *out, const igraph_t *g, int edge, igraph_integer_t i)
{
    if (!dynamic(g) || (edge && !igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_EDGE, "first")))
        return;
    const char *first = edge ? EAS(g, "first", i) : VAS(g, "first", i);
    const char *last = edge ? EAS(g, "last", i) : VAS(g, "last", i);
    if (first[0] && last[0]) {
        fputs(" start=\"", out);
        ng_xml_write_text(out, first);
        fputs("\" end=\"", out);
        ng_xml_write_text(out, last);
        fputs("\"", out);
    }
}

static void write_nodes(FILE *out, const view *w)
{
    size_t n = ng_graph_vertex_count(w->G);
    fprintf(out, "    <nodes count=\"%zu\">\n", n);
    for (size_t v = 0; v < n; v++) {
        fputs("      <node id=\"", out);
        ng_xml_write_text(out, w->id[v]);
        fputs("\" label=\"", out);
        ng_xml_write_text(out, ng_graph_vertex_label(w->G, v));
        fputs("\"", out);
        write_spell(out, &w->G->g, 0, (igraph_integer_t)v);
        fputs(">\n", out);
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
        ng_xml_write_text(out, w->id[a]);
        fputs("\" target=\"", out);
        ng_xml_write_text(out, w->id[b]);
        fputs("\" weight=\"", out);
        write_number(out, ng_graph_edge_weight(w->G, e));
        fputs("\"", out);
        write_spell(out, &w->G->g, 1, (igraph_integer_t)e);
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
    ng_status st = ng_view_open(&w, G);
    if (st != NG_OK)
        return st;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" "
          "version=\"1.3\">\n",
          out);
    write_meta(out, &w);
    fputs(dynamic(&G->g) ? "  <graph defaultedgetype=\"undirected\" mode=\"dynamic\" "
                           "timeformat=\"date\">\n"
                         : "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n",
          out);
    write_declarations(out, &w, KIND_VERTEX);
    write_declarations(out, &w, KIND_EDGE);
    write_nodes(out, &w);
    write_edges(out, &w);
    fputs("  </graph>\n</gexf>\n", out);
    ng_view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "GEXF: write failed") : NG_OK;
}
