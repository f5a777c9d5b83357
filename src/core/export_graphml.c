/* export_graphml.c: GraphML, the network through igraph's writer and the
 * two-mode network written here.
 *
 * Every string attribute was sanitised when it was set (graph.c), numbers are
 * finite, attribute names are XML names, and key ids are prefixed (v_label,
 * e_weight), so the file validates against the GraphML schema and Gephi
 * reads label, size, r, g, b and weight.
 *
 * The two-mode network is written straight from the counts: it needs none of
 * igraph's measures, and building an igraph graph with string attributes
 * only to print it took longer than the network's own GraphML. Its layout is
 * that of igraph's writer, so the two files read alike.
 */
#include "export_view.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "nergraph/export.h"

ng_status ng_export_graphml(const ng_graph *g, FILE *out)
{
    ng_graph_begin();
    igraph_error_t e = igraph_write_graph_graphml(&g->g, out, /*prefixattr=*/1);
    if (e != IGRAPH_SUCCESS)
        return ng_graph_failed(e);
    return NG_OK;
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
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
          "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns\n"
          "         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
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
