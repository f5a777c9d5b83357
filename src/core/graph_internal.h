/* graph_internal.h: what the graph module shares with the exporters (the
 * igraph graph their view reads), and the igraph start-up called by ng_init. */
#ifndef NG_GRAPH_INTERNAL_H
#define NG_GRAPH_INTERNAL_H

#include <igraph.h>

#include "nergraph/graph.h"

struct ng_graph {
    igraph_t g; /* vertices and edges carry the attributes the GraphML writer emits */
    igraph_vector_t weight;
    igraph_vector_t edge_documents;
    igraph_vector_t measure[NG_MEASURE_COUNT];
    size_t n;
    char **key, **label, **category; /* owned, sanitised */
    double *mentions, *documents;
};

/** Install igraph's error and warning handlers and the attribute table. */
void ng_graph_init_igraph(void);

/** Begin a public entry point that calls igraph: clears the pending error. */
void ng_graph_begin(void);
/** The ng_status for a failed igraph call (the message is already set). */
ng_status ng_graph_failed(igraph_error_t e);

/** Copy `s` without invalid UTF-8 (U+FFFD instead), C0 controls other than
 *  tab and newline, U+FFFE and U+FFFF: what XML 1.0 and igraph's writers
 *  accept. Returns a malloc'd string or NULL. */
char *ng_sanitize_text(const char *s);

#endif
