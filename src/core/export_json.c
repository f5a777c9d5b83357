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
#include "export_view.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "nergraph/export.h"

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
        const column *c = w->col[kind][k];
        if (ng_view_in_list(c->name, skip, nskip))
            continue;
        const char *value = ng_view_cell(c, i, buf, sizeof buf);
        if (!value)
            continue;
        write_member(out, first, c->name);
        if (c->type == IGRAPH_ATTRIBUTE_STRING)
            write_string(out, value);
        else
            fputs(value, out); /* a plain number, true or false */
    }
}

static void write_visual(FILE *out, const view *w, size_t v, int *first)
{
    double size = ng_view_visual(w, VISUAL_SIZE, v), x = ng_view_visual(w, VISUAL_X, v),
           y = ng_view_visual(w, VISUAL_Y, v), r = ng_view_visual(w, VISUAL_R, v),
           g = ng_view_visual(w, VISUAL_G, v), b = ng_view_visual(w, VISUAL_B, v);
    if (w->size && isfinite(size)) {
        write_member(out, first, "size");
        ng_json_write_number(out, size > 0 ? size : 0);
    }
    if (w->color && isfinite(r) && isfinite(g) && isfinite(b)) {
        write_member(out, first, "color");
        fprintf(out, "\"#%02x%02x%02x\"", ng_view_channel(r), ng_view_channel(g),
                ng_view_channel(b));
    }
    if (w->position && isfinite(x) && isfinite(y)) {
        write_member(out, first, "x");
        ng_json_write_number(out, x);
        write_member(out, first, "y");
        ng_json_write_number(out, y);
    }
}

static const char *const node_skip[] = {"key", "type"};
static const char *const edge_skip[] = {"type"};

ng_status ng_export_json(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = ng_view_open(&w, G);
    if (st != NG_OK)
        return st;
    igraph_bool_t multi = 0, loops = 0;
    igraph_error_t e = igraph_has_multiple(&G->g, &multi);
    if (e == IGRAPH_SUCCESS)
        e = igraph_has_loop(&G->g, &loops);
    if (e != IGRAPH_SUCCESS) {
        ng_view_close(&w);
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
    ng_view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "JSON: write failed") : NG_OK;
}
