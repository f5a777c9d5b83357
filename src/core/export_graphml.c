/* export_graphml.c: GraphML, the network and the two-mode network.
 *
 * The network is written byte for byte as igraph 0.10's
 * igraph_write_graph_graphml(g, out, prefixattr=1) wrote it (its layout,
 * "Created by igraph" comment, key order and number format included), so
 * files written before stay the same; but from the values the export view
 * fetched once, through a buffer: igraph looked every value up by name and
 * allocated escaped copies of names and values, some 4,800 instructions per
 * <data> element. After the view is open, nothing here calls igraph but
 * for plain reads of the igraph_t (edge count and ends). An ng_graph is
 * undirected: its measures refuse directed graphs.
 *
 * Every string attribute was sanitised when it was set (graph.c), numbers
 * are finite, attribute names are XML names, and key ids are prefixed
 * (v_label, e_weight), so the file validates against the GraphML schema and
 * Gephi reads label, size, r, g, b and weight.
 *
 * The two-mode network is written straight from the counts: it needs none of
 * igraph's measures, and building an igraph graph with string attributes
 * only to print it took longer than the network's own GraphML. Its layout is
 * that of the network's, so the two files read alike.
 */
#include "export_view.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "nergraph/export.h"

/* What igraph's writer opened with; the two-mode file opens alike. */
#define GRAPHML_OPENING                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                   \
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"                     \
    "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"             \
    "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns\n"           \
    "         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"

static void put_text(ng_jsonbuf *b, const char *s) { ng_jsonbuf_put(b, s, strlen(s)); }

/* `s` escaped as igraph escapes it: & < > " ' as entities, every other byte
 * as it is; C0 controls other than tab, LF and CR, which igraph refused and
 * XML cannot carry (graph.c sanitises what it sets), dropped. */
static void put_escaped(ng_jsonbuf *b, const char *s)
{
    size_t run = 0, i = 0; /* s[run, i) is written as it is */
    for (; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > '>') /* above every character that changes */
            continue;
        const char *entity = c == '&'    ? "&amp;"
                             : c == '<'  ? "&lt;"
                             : c == '>'  ? "&gt;"
                             : c == '"'  ? "&quot;"
                             : c == '\'' ? "&apos;"
                             : c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ""
                                                                              : NULL;
        if (entity) {
            ng_jsonbuf_put(b, s + run, i - run);
            put_text(b, entity);
            run = i + 1;
        }
    }
    ng_jsonbuf_put(b, s + run, i - run);
}

static const char *const key_prefix[3] = {"g_", "v_", "e_"};

static void put_keys(ng_jsonbuf *b, const view *w, int kind)
{
    static const char *const domain[3] = {"graph", "node", "edge"};
    for (size_t i = 0; i < w->nattribute[kind]; i++) {
        const column *c = &w->attribute[kind][i];
        put_text(b, "  <key id=\"");
        put_text(b, key_prefix[kind]);
        put_escaped(b, c->name);
        put_text(b, "\" for=\"");
        put_text(b, domain[kind]);
        put_text(b, "\" attr.name=\"");
        put_escaped(b, c->name);
        put_text(b, c->type == IGRAPH_ATTRIBUTE_NUMERIC  ? "\" attr.type=\"double\"/>\n"
                     : c->type == IGRAPH_ATTRIBUTE_STRING ? "\" attr.type=\"string\"/>\n"
                                                          : "\" attr.type=\"boolean\"/>\n");
    }
}

/* The <data> elements of the graph, a vertex or an edge (`i`), as igraph
 * wrote them: strings always (empty ones too), numbers as "%.15g" and
 * Inf/-Inf but NaN left out, booleans true/false. */
static void put_data(ng_jsonbuf *b, const view *w, int kind, size_t i)
{
    igraph_integer_t j = (igraph_integer_t)i;
    for (size_t k = 0; k < w->nattribute[kind]; k++) {
        const column *c = &w->attribute[kind][k];
        char number[32];
        const char *value = NULL;
        if (c->type == IGRAPH_ATTRIBUTE_NUMERIC) {
            double x = VECTOR(c->numbers)[j];
            if (isnan(x))
                continue;
            value = isinf(x) ? (x < 0 ? "-Inf" : "Inf")
                             : (ng_format_g15(number, sizeof number, x), number);
        } else if (c->type == IGRAPH_ATTRIBUTE_BOOLEAN) {
            value = VECTOR(c->booleans)[j] ? "true" : "false";
        }
        put_text(b, kind == KIND_GRAPH ? "    <data key=\"" : "      <data key=\"");
        put_text(b, key_prefix[kind]);
        put_escaped(b, c->name);
        put_text(b, "\">");
        if (value)
            put_text(b, value);
        else
            put_escaped(b, igraph_strvector_get(&c->strings, j));
        put_text(b, "</data>\n");
    }
}

ng_status ng_export_graphml(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = ng_view_open(&w, G);
    if (st != NG_OK)
        return st;
    ng_jsonbuf b;
    b.out = out;
    b.n = 0;
    put_text(&b, GRAPHML_OPENING "<!-- Created by igraph -->\n");
    for (int kind = 0; kind < 3; kind++)
        put_keys(&b, &w, kind);
    put_text(&b, "  <graph id=\"G\" edgedefault=\"undirected\">\n");
    put_data(&b, &w, KIND_GRAPH, 0);
    for (size_t v = 0; v < ng_graph_vertex_count(G); v++) {
        put_text(&b, "    <node id=\"n");
        ng_jsonbuf_uint(&b, v);
        put_text(&b, "\">\n");
        put_data(&b, &w, KIND_VERTEX, v);
        put_text(&b, "    </node>\n");
    }
    for (size_t e = 0; e < ng_graph_edge_count(G); e++) {
        size_t from, to; /* the smaller end first, as igraph_edge names an undirected edge's */
        ng_graph_edge(G, e, &from, &to);
        put_text(&b, "    <edge source=\"n");
        ng_jsonbuf_uint(&b, from);
        put_text(&b, "\" target=\"n");
        ng_jsonbuf_uint(&b, to);
        put_text(&b, "\">\n");
        put_data(&b, &w, KIND_EDGE, e);
        put_text(&b, "    </edge>\n");
    }
    put_text(&b, "  </graph>\n</graphml>\n");
    ng_jsonbuf_flush(&b);
    ng_view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "GraphML: write failed") : NG_OK;
}

static void write_two_mode_vertex(FILE *out, size_t id, const char *key, const char *label,
                                  const char *category, const char *part)
{
    static const char *const names[4] = {"key", "label", "category", "part"};
    const char *values[4] = {key, label, category, part};
    fprintf(out, "    <node id=\"n%zu\">\n", id);
    for (int k = 0; k < 4; k++) {
        fprintf(out, "      <data key=\"v_%s\">", names[k]);
        ng_xml_write_text(out, values[k]);
        fputs("</data>\n", out);
    }
    fputs("    </node>\n", out);
}

ng_status ng_export_two_mode(FILE *out, const ng_dict *dict, const char *const *documents,
                             size_t document_count, const ng_incidence *incidence, size_t count)
{
    size_t entities = ng_dict_entity_count(dict), actors = 0;
    uint32_t *vertex_of = calloc(entities ? entities : 1, sizeof *vertex_of); /* vertex + 1 */
    if (!vertex_of)
        return ng_error_set(NG_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++)
        vertex_of[incidence[i].entity] = 1;
    for (size_t e = 0; e < entities; e++) /* actors in key order */
        if (vertex_of[e])
            vertex_of[e] = (uint32_t)++actors;
    fputs(GRAPHML_OPENING
          "<!-- Created by nergraph -->\n"
          "  <key id=\"g_network\" for=\"graph\" attr.name=\"network\" attr.type=\"string\"/>\n"
          "  <key id=\"v_key\" for=\"node\" attr.name=\"key\" attr.type=\"string\"/>\n"
          "  <key id=\"v_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
          "  <key id=\"v_category\" for=\"node\" attr.name=\"category\" attr.type=\"string\"/>\n"
          "  <key id=\"v_part\" for=\"node\" attr.name=\"part\" attr.type=\"string\"/>\n"
          "  <key id=\"e_weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
          "  <graph id=\"G\" edgedefault=\"undirected\">\n"
          "    <data key=\"g_network\">two-mode: actor x document</data>\n",
          out);
    for (size_t e = 0; e < entities; e++) {
        if (!vertex_of[e])
            continue;
        const ng_entity *ent = ng_dict_entity(dict, (uint32_t)e);
        write_two_mode_vertex(out, vertex_of[e] - 1, ent->key, ent->label,
                              ng_category_name(ent->category), "actor");
    }
    for (size_t d = 0; d < document_count; d++) {
        const char *slash = strrchr(documents[d], '/');
        write_two_mode_vertex(out, actors + d, documents[d], slash ? slash + 1 : documents[d],
                              "document", "document");
    }
    for (size_t i = 0; i < count; i++)
        fprintf(out,
                "    <edge source=\"n%" PRIu32 "\" target=\"n%zu\">\n"
                "      <data key=\"e_weight\">%" PRIu64 "</data>\n"
                "    </edge>\n",
                vertex_of[incidence[i].entity] - 1, actors + incidence[i].document,
                incidence[i].mentions);
    fputs("  </graph>\n</graphml>\n", out);
    free(vertex_of);
    return ferror(out) ? ng_error_set(NG_EIO, "two-mode GraphML: write failed") : NG_OK;
}
