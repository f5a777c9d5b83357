/* nergraph/graph.h: stage 8, the network and its measures.
 *
 * The only public face of igraph: an opaque ng_graph whose vertices are the
 * entities with at least one mention (in entity-id order, so in key order)
 * and whose edges are the co-occurring pairs (sorted), weighted by the
 * number of shared windows. Measures are computed into per-vertex arrays
 * (and attributes) with a seeded RNG; path-based ones read 1/weight as the
 * length of an edge, as igraph takes weights as distances.
 */
#ifndef NERGRAPH_GRAPH_H
#define NERGRAPH_GRAPH_H

#include <stdio.h>

#include "nergraph/common.h"
#include "nergraph/cooc.h"
#include "nergraph/dict.h"

typedef struct ng_graph ng_graph; /* opaque */

typedef enum ng_measure {
    NG_MEASURE_DEGREE = 0,
    NG_MEASURE_STRENGTH,
    NG_MEASURE_BETWEENNESS,
    NG_MEASURE_HARMONIC,
    NG_MEASURE_EIGENVECTOR,
    NG_MEASURE_PAGERANK,
    NG_MEASURE_KCORE,      /* the largest k such that the vertex is in the k-core */
    NG_MEASURE_CLUSTERING, /* local clustering coefficient (0 below degree 2) */
    NG_MEASURE_COMMUNITY,
    NG_MEASURE_COUNT
} ng_measure;

/** Attribute name of a measure ("degree", "strength", ...). */
const char *ng_measure_name(ng_measure m);
/** Parse a measure name; -1 if unknown. */
int ng_measure_parse(const char *name);

/** What an edge's `weight` is. Every one is written as an edge attribute;
 *  with N windows, w_a windows naming a, c windows naming a and b:
 *  count = c; jaccard = c / (w_a + w_b - c); association = N c / (w_a w_b)
 *  (VOSviewer's association strength, 1 = as often as chance); pmi =
 *  log2(N c / (w_a w_b)); npmi = pmi / -log2(c / N), in [-1, 1]. */
typedef enum ng_edge_weight {
    NG_WEIGHT_COUNT = 0,
    NG_WEIGHT_JACCARD,
    NG_WEIGHT_ASSOCIATION,
    NG_WEIGHT_PMI,
    NG_WEIGHT_NPMI,
    NG_WEIGHT_COUNT_OF
} ng_edge_weight;

const char *ng_edge_weight_name(ng_edge_weight w);
int ng_edge_weight_parse(const char *name);

typedef struct ng_graph_options {
    uint64_t seed;          /* for community detection */
    const char *window;     /* recorded as a graph attribute */
    ng_edge_weight weight;  /* what `weight` is; edges whose weight is not
                               positive (PMI below chance) are left out */
    uint64_t min_count;     /* leave out edges shared in fewer windows */
    uint64_t min_mentions;  /* leave out entities named fewer times */
    unsigned categories;    /* bit (1 << ng_category) per category kept; 0: all */
    size_t top_k;           /* keep an edge if it is among the k strongest of
                               either end (0: all) */
    double backbone_alpha;  /* disparity filter (Serrano et al. 2009): keep an
                               edge significant at this level for either end
                               (0: off) */
    int largest_component;  /* keep only the largest connected component */
} ng_graph_options;
#define NG_GRAPH_OPTIONS_INIT {42, "sentence", NG_WEIGHT_COUNT, 1, 1, 0, 0, 0.0, 0}

/** Build the network of `cooc` over the entities of `dict`, filtered as
 *  `opts` says (the settings are written as graph attributes), and compute
 *  every measure. Errors: NG_EGRAPH, NG_ENOMEM. */
ng_status ng_graph_build(ng_graph **out, const ng_dict *dict, ng_cooc *cooc,
                         const ng_graph_options *opts);
/** How often a document names an entity: one edge of the two-mode network. */
typedef struct ng_incidence {
    uint32_t document; /* index into the document list */
    uint32_t entity;
    uint64_t mentions;
} ng_incidence;

/** Read a GraphML file written by nergraph (or any GraphML with `label`,
 *  `weight`) and compute every measure. Errors: NG_EIO, NG_EPARSE, NG_EGRAPH. */
ng_status ng_graph_read_graphml(ng_graph **out, const char *path, const ng_graph_options *opts);
void ng_graph_free(ng_graph *g);

size_t ng_graph_vertex_count(const ng_graph *g);
size_t ng_graph_edge_count(const ng_graph *g);
/* Vertex fields; strings are borrowed, valid while `g` lives, "" if unknown. */
const char *ng_graph_vertex_key(const ng_graph *g, size_t v);
const char *ng_graph_vertex_label(const ng_graph *g, size_t v);
const char *ng_graph_vertex_category(const ng_graph *g, size_t v);
double ng_graph_vertex_mentions(const ng_graph *g, size_t v);
double ng_graph_vertex_documents(const ng_graph *g, size_t v);
/** The value of measure `m` for vertex `v`. */
double ng_graph_measure(const ng_graph *g, size_t v, ng_measure m);
/** Mark in `in` (vertex count bytes, cleared first) the vertices at most
 *  `depth` steps from `v`. Errors: NG_EGRAPH, NG_ENOMEM. */
ng_status ng_graph_neighbourhood(const ng_graph *g, size_t v, size_t depth, unsigned char *in);
/** Endpoints (from < to) and fields of edge `e`. */
void ng_graph_edge(const ng_graph *g, size_t e, size_t *from, size_t *to);
double ng_graph_edge_weight(const ng_graph *g, size_t e);
double ng_graph_edge_documents(const ng_graph *g, size_t e);

#endif
