/* export_dot.c: DOT for Graphviz, written here rather than by igraph, whose
 * writer prints its version in a comment and numbers in exponent form that
 * Graphviz rejects. Node ids are the entity keys. */
#include <math.h>
#include <string.h>

#include "jsonw.h"
#include "nergraph/export.h"

static void write_quoted(FILE *out, const char *s)
{
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            putc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            putc(*s, out);
    }
    putc('"', out);
}

static void write_number(FILE *out, double v)
{
    char buf[64];
    ng_format_plain(buf, sizeof buf, v, 6);
    fputs(buf, out);
}

static const char *fill_colour(const char *category)
{
    static const char *const names[] = {"person", "state", "organization", "place"};
    static const char *const colours[] = {"#e41a1c", "#377eb8", "#4daf4a", "#984ea3"};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(category, names[i]) == 0)
            return colours[i];
    return "#808080";
}

ng_status ng_export_dot(const ng_graph *g, FILE *out)
{
    size_t n = ng_graph_vertex_count(g), m = ng_graph_edge_count(g);
    double max_mentions = 1;
    for (size_t v = 0; v < n; v++)
        if (ng_graph_vertex_mentions(g, v) > max_mentions)
            max_mentions = ng_graph_vertex_mentions(g, v);
    fputs("graph nergraph {\n"
          "  graph [layout=sfdp, overlap=prism, splines=false, outputorder=edgesfirst];\n"
          "  node [shape=circle, style=filled, fontcolor=\"#000000\", fixedsize=false];\n"
          "  edge [color=\"#00000040\"];\n",
          out);
    for (size_t v = 0; v < n; v++) {
        fputs("  ", out);
        write_quoted(out, ng_graph_vertex_key(g, v));
        fputs(" [label=", out);
        write_quoted(out, ng_graph_vertex_label(g, v));
        fputs(", category=", out);
        write_quoted(out, ng_graph_vertex_category(g, v));
        fprintf(out, ", fillcolor=\"%s\", mentions=", fill_colour(ng_graph_vertex_category(g, v)));
        write_number(out, ng_graph_vertex_mentions(g, v));
        fputs(", width=", out);
        write_number(out, 0.3 + 1.2 * sqrt(ng_graph_vertex_mentions(g, v) / max_mentions));
        fputs("];\n", out);
    }
    for (size_t e = 0; e < m; e++) {
        size_t a, b;
        ng_graph_edge(g, e, &a, &b);
        double w = ng_graph_edge_weight(g, e);
        fputs("  ", out);
        write_quoted(out, ng_graph_vertex_key(g, a));
        fputs(" -- ", out);
        write_quoted(out, ng_graph_vertex_key(g, b));
        fputs(" [weight=", out);
        write_number(out, w < 1 ? 1 : round(w)); /* dot wants whole weights */
        fputs(", count=", out);
        write_number(out, w);
        fputs(", penwidth=", out);
        write_number(out, 0.5 + log2(1 + w));
        fputs("];\n", out);
    }
    fputs("}\n", out);
    return ferror(out) ? ng_error_set(NG_EIO, "DOT: write failed") : NG_OK;
}
