/* nergraph/export.h: stage 9, writing the network.
 *
 * GraphML for Gephi (the bytes igraph 0.10's writer wrote: every attribute
 * in igraph's order, key ids prefixed, numbers as "%.15g", NaN left out;
 * Gephi's `label`, `size`, `r`, `g`, `b` and edge `weight`) and DOT for
 * Graphviz (no version comment, numbers never in exponent form), all written
 * here. Writers print to a stream; atomic files are the caller's business.
 */
#ifndef NERGRAPH_EXPORT_H
#define NERGRAPH_EXPORT_H

#include <stdio.h>

#include "nergraph/graph.h"

/** Errors: NG_EGRAPH, NG_ENOMEM (fetching the attributes), NG_EIO. */
ng_status ng_export_graphml(const ng_graph *g, FILE *out);
/** Errors: NG_EGRAPH, NG_EIO. */
ng_status ng_export_dot(const ng_graph *g, FILE *out);
/** The actor x document network as GraphML: one vertex per entity named
 *  (key order), then one per document (category "document", key = its path,
 *  label = its file name); vertex attribute `part` = actor or document;
 *  edges weighted by mentions, in the order of `incidence` (by document, then
 *  entity). For analysts who project it themselves. Errors: NG_ENOMEM, NG_EIO. */
ng_status ng_export_two_mode(FILE *out, const ng_dict *dict, const char *const *documents,
                             size_t document_count, const ng_incidence *incidence, size_t count);

/* GEXF, graphology JSON and Gephi's spreadsheet CSV, written here. Common to
 * the three: a node's id is its entity key ("n<index>" where the key is empty
 * or an earlier vertex has it); edges are "e<index>" in edge order; the data
 * attributes come in one order: key, category, mentions, documents, the
 * measures (ng_measure order), then the rest (roles, facts) in the order the
 * graph created them; unset values (empty strings, NaN) are left out; numbers
 * in plain notation, never exponent form, whatever the locale; the bytes
 * depend only on the graph. Errors: NG_EGRAPH, NG_ENOMEM, NG_EIO. */

/** GEXF 1.3 (static, undirected) for Gephi: label and weight first-class,
 *  typed <attributes>, viz:size and viz:color from size and r/g/b. Valid
 *  against the GEXF 1.3 RELAX NG schema. */
ng_status ng_export_gexf(const ng_graph *g, FILE *out);
/** Node-link JSON in graphology's serialisation format (Graph.import; sigma.js,
 *  Gephi Lite): node attributes label, the data attributes, size and color
 *  "#rrggbb"; no positions (run a layout after import); no `type`. */
ng_status ng_export_json(const ng_graph *g, FILE *out);
/** nodes.csv for Gephi's spreadsheet import: Id,Label,category,mentions,
 *  documents,<measures>,<facts, roles>; RFC 4180 quoting, UTF-8, no BOM. */
ng_status ng_export_csv_nodes(const ng_graph *g, FILE *out);
/** edges.csv: Source,Target,Type (Undirected),Weight, then the edge
 *  attributes (documents...). */
ng_status ng_export_csv_edges(const ng_graph *g, FILE *out);

#endif
