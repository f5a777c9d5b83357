/* export_graphml.c: GraphML through igraph's writer.
 *
 * Every string attribute was sanitised when it was set (graph.c), numbers are
 * finite, attribute names are XML names, and key ids are prefixed (v_label,
 * e_weight), so the file validates against the GraphML schema and Gephi
 * reads label, size, r, g, b and weight.
 */
#include "graph_internal.h"
#include "nergraph/export.h"

ng_status ng_export_graphml(const ng_graph *g, FILE *out)
{
    ng_graph_begin();
    igraph_error_t e = igraph_write_graph_graphml(&g->g, out, /*prefixattr=*/1);
    if (e != IGRAPH_SUCCESS)
        return ng_graph_failed(e);
    return NG_OK;
}
