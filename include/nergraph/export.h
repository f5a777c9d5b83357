/* nergraph/export.h: stage 9, writing the network.
 *
 * GraphML for Gephi (igraph's writer over sanitised strings, key ids
 * prefixed, Gephi's `label`, `size`, `r`, `g`, `b` and edge `weight`) and DOT
 * for Graphviz (written here: no version comment, numbers never in exponent
 * form). Writers print to a stream; atomic files are the caller's business.
 */
#ifndef NERGRAPH_EXPORT_H
#define NERGRAPH_EXPORT_H

#include <stdio.h>

#include "nergraph/graph.h"

/** Errors: NG_EGRAPH, NG_EIO. */
ng_status ng_export_graphml(const ng_graph *g, FILE *out);
ng_status ng_export_dot(const ng_graph *g, FILE *out);

#endif
