/* graph.c: the co-occurrence network in igraph, and its measures.
 *
 * Inside this file igraph's own idiom holds: static functions return
 * igraph_error_t, temporaries go on the FINALLY stack (never inside loops:
 * it holds 100 entries), and the error handler records the first reason in
 * nergraph's error record and unwinds the stack. Public functions convert to
 * ng_status once.
 */
#include "graph_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char *const measure_names[NG_MEASURE_COUNT] = {
    "degree", "strength", "betweenness", "harmonic", "eigenvector", "pagerank", "kcore",
    "clustering", "community"};

const char *ng_measure_name(ng_measure m)
{
    return (unsigned)m < NG_MEASURE_COUNT ? measure_names[m] : "unknown";
}

int ng_measure_parse(const char *name)
{
    for (int i = 0; i < NG_MEASURE_COUNT; i++)
        if (strcmp(name, measure_names[i]) == 0)
            return i;
    return -1;
}

/* ---- the bridge to igraph's errors ---- */

static _Thread_local int error_pending;

static void on_igraph_error(const char *reason, const char *file, int line, igraph_error_t e)
{
    (void)file;
    (void)line;
    /* Called once per propagation level; the first call has the real reason. */
    if (reason[0] != '\0' && !error_pending) {
        ng_error_set(NG_EGRAPH, "graph: %s (%s)", reason, igraph_strerror(e));
        error_pending = 1;
    }
    IGRAPH_FINALLY_FREE();
}

static void on_igraph_warning(const char *reason, const char *file, int line)
{
    (void)file;
    (void)line;
    ng_warn("graph: %s", reason);
}

void ng_graph_init_igraph(void)
{
    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_set_error_handler(on_igraph_error);
    igraph_set_warning_handler(on_igraph_warning);
}

void ng_graph_begin(void) { error_pending = 0; }

ng_status ng_graph_failed(igraph_error_t e)
{
    if (!error_pending)
        ng_error_set(NG_EGRAPH, "graph: %s", igraph_strerror(e));
    error_pending = 0;
    return e == IGRAPH_ENOMEM ? NG_ENOMEM : NG_EGRAPH;
}

char *ng_sanitize_text(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1); /* each invalid byte may become 3 bytes */
    if (!out)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        int keep = !(cp < 0x20 && cp != '\t' && cp != '\n') && cp != 0xFFFE && cp != 0xFFFF;
        if (keep) {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    return out;
}

/* ---- measures ---- */

/* Community ids ordered by size (largest first), ties by first vertex, so
 * that the numbering says something and does not depend on igraph's. */
static igraph_error_t renumber_communities(const igraph_vector_int_t *membership,
                                           igraph_vector_t *out)
{
    igraph_integer_t n = igraph_vector_int_size(membership), k = 0;
    for (igraph_integer_t v = 0; v < n; v++)
        if (VECTOR(*membership)[v] + 1 > k)
            k = VECTOR(*membership)[v] + 1;
    igraph_vector_int_t size, first, order, rank;
    IGRAPH_VECTOR_INT_INIT_FINALLY(&size, k);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&first, k);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&order, k);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&rank, k);
    igraph_vector_int_fill(&first, n);
    for (igraph_integer_t v = 0; v < n; v++) {
        igraph_integer_t c = VECTOR(*membership)[v];
        VECTOR(size)[c]++;
        if (VECTOR(first)[c] > v)
            VECTOR(first)[c] = v;
    }
    /* Insertion sort: the number of communities is small next to the rest. */
    for (igraph_integer_t i = 0; i < k; i++) {
        igraph_integer_t c = i, j = i;
        while (j > 0) {
            igraph_integer_t p = VECTOR(order)[j - 1];
            int before = VECTOR(size)[c] > VECTOR(size)[p] ||
                         (VECTOR(size)[c] == VECTOR(size)[p] && VECTOR(first)[c] < VECTOR(first)[p]);
            if (!before)
                break;
            VECTOR(order)[j] = p;
            j--;
        }
        VECTOR(order)[j] = c;
    }
    for (igraph_integer_t i = 0; i < k; i++)
        VECTOR(rank)[VECTOR(order)[i]] = i;
    IGRAPH_CHECK(igraph_vector_resize(out, n));
    for (igraph_integer_t v = 0; v < n; v++)
        VECTOR(*out)[v] = (igraph_real_t)VECTOR(rank)[VECTOR(*membership)[v]];
    igraph_vector_int_destroy(&rank);
    igraph_vector_int_destroy(&order);
    igraph_vector_int_destroy(&first);
    igraph_vector_int_destroy(&size);
    IGRAPH_FINALLY_CLEAN(4);
    return IGRAPH_SUCCESS;
}

/* Every measure of ng_measure into G->measure and into vertex attributes.
 * Path-based measures take 1/weight as the length of an edge. */
static igraph_error_t compute_measures(ng_graph *G, igraph_integer_t seed)
{
    const igraph_t *g = &G->g;
    igraph_integer_t n = igraph_vcount(g), m = igraph_ecount(g);
    igraph_vector_t distance, node_weights;
    igraph_vector_int_t degree, membership;
    IGRAPH_VECTOR_INIT_FINALLY(&distance, m);
    IGRAPH_VECTOR_INIT_FINALLY(&node_weights, n);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&degree, n);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&membership, n);
    for (igraph_integer_t e = 0; e < m; e++)
        VECTOR(distance)[e] = 1.0 / VECTOR(G->weight)[e];

    /* Eigenvector centrality starts from a vector igraph perturbs with its RNG,
     * and Leiden is randomised: both start from the seed, so a graph gives
     * the same measures whatever ran before in the process. */
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
    IGRAPH_CHECK(igraph_degree(g, &degree, igraph_vss_all(), IGRAPH_ALL, IGRAPH_NO_LOOPS));
    IGRAPH_CHECK(igraph_vector_resize(&G->measure[NG_MEASURE_DEGREE], n));
    for (igraph_integer_t v = 0; v < n; v++)
        VECTOR(G->measure[NG_MEASURE_DEGREE])[v] = (igraph_real_t)VECTOR(degree)[v];
    IGRAPH_CHECK(igraph_strength(g, &G->measure[NG_MEASURE_STRENGTH], igraph_vss_all(),
                                 IGRAPH_ALL, IGRAPH_NO_LOOPS, &G->weight));
    IGRAPH_CHECK(igraph_betweenness(g, &G->measure[NG_MEASURE_BETWEENNESS], igraph_vss_all(),
                                    IGRAPH_UNDIRECTED, m ? &distance : NULL));
    IGRAPH_CHECK(igraph_harmonic_centrality(g, &G->measure[NG_MEASURE_HARMONIC],
                                            igraph_vss_all(), IGRAPH_ALL,
                                            m ? &distance : NULL, /*normalized=*/1));
    if (m > 0) {
        igraph_real_t value;
        IGRAPH_CHECK(igraph_eigenvector_centrality(g, &G->measure[NG_MEASURE_EIGENVECTOR], &value,
                                                   IGRAPH_UNDIRECTED, /*scale=*/1, &G->weight,
                                                   NULL));
    } else {
        IGRAPH_CHECK(igraph_vector_resize(&G->measure[NG_MEASURE_EIGENVECTOR], n));
        igraph_vector_null(&G->measure[NG_MEASURE_EIGENVECTOR]);
    }
    IGRAPH_CHECK(igraph_pagerank(g, IGRAPH_PAGERANK_ALGO_PRPACK, &G->measure[NG_MEASURE_PAGERANK],
                                 NULL, igraph_vss_all(), IGRAPH_UNDIRECTED, 0.85,
                                 m ? &G->weight : NULL, NULL));

    /* Leiden optimising modularity: node weights = strength, resolution 1/(2W). */
    igraph_real_t total = 0;
    for (igraph_integer_t e = 0; e < m; e++)
        total += VECTOR(G->weight)[e];
    if (total > 0) {
        igraph_integer_t clusters;
        igraph_real_t quality;
        igraph_vector_update(&node_weights, &G->measure[NG_MEASURE_STRENGTH]);
        igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
        IGRAPH_CHECK(igraph_community_leiden(g, &G->weight, &node_weights, 1.0 / (2.0 * total),
                                             0.01, /*start=*/0, /*n_iterations=*/-1,
                                             &membership, &clusters, &quality));
    } else {
        for (igraph_integer_t v = 0; v < n; v++)
            VECTOR(membership)[v] = v;
    }
    IGRAPH_CHECK(renumber_communities(&membership, &G->measure[NG_MEASURE_COMMUNITY]));
    IGRAPH_CHECK(igraph_coreness(g, &degree, IGRAPH_ALL));
    IGRAPH_CHECK(igraph_vector_resize(&G->measure[NG_MEASURE_KCORE], n));
    for (igraph_integer_t v = 0; v < n; v++)
        VECTOR(G->measure[NG_MEASURE_KCORE])[v] = (igraph_real_t)VECTOR(degree)[v];
    IGRAPH_CHECK(igraph_transitivity_local_undirected(g, &G->measure[NG_MEASURE_CLUSTERING],
                                                      igraph_vss_all(),
                                                      IGRAPH_TRANSITIVITY_ZERO));

    for (int k = 0; k < NG_MEASURE_COUNT; k++) {
        igraph_vector_t *vec = &G->measure[k];
        for (igraph_integer_t v = 0; v < n; v++)
            /* NaN must not reach the writers; rounding noise (-1e-17) prints as -0 */
            if (!isfinite(VECTOR(*vec)[v]) || fabs(VECTOR(*vec)[v]) < 1e-13)
                VECTOR(*vec)[v] = 0;
        IGRAPH_CHECK(igraph_cattribute_VAN_setv(&G->g, measure_names[k], vec));
    }
    igraph_vector_int_destroy(&membership);
    igraph_vector_int_destroy(&degree);
    igraph_vector_destroy(&node_weights);
    igraph_vector_destroy(&distance);
    IGRAPH_FINALLY_CLEAN(4);
    return IGRAPH_SUCCESS;
}

/* ---- the vertex table ---- */

static void free_table(ng_graph *G)
{
    for (size_t v = 0; v < G->n; v++) {
        if (G->key)
            free(G->key[v]);
        if (G->label)
            free(G->label[v]);
        if (G->category)
            free(G->category[v]);
    }
    free(G->key);
    free(G->label);
    free(G->category);
    free(G->mentions);
    free(G->documents);
    G->key = G->label = G->category = NULL;
    G->mentions = G->documents = NULL;
}

static igraph_error_t alloc_table(ng_graph *G, size_t n)
{
    G->n = n;
    size_t k = n ? n : 1;
    G->key = calloc(k, sizeof *G->key);
    G->label = calloc(k, sizeof *G->label);
    G->category = calloc(k, sizeof *G->category);
    G->mentions = calloc(k, sizeof *G->mentions);
    G->documents = calloc(k, sizeof *G->documents);
    if (!G->key || !G->label || !G->category || !G->mentions || !G->documents)
        IGRAPH_ERROR("out of memory (vertex table)", IGRAPH_ENOMEM);
    return IGRAPH_SUCCESS;
}

static igraph_error_t set_string(ng_graph *G, char **slot, const char *attr, igraph_integer_t v,
                                 const char *value)
{
    if (!(*slot = ng_sanitize_text(value)))
        IGRAPH_ERROR("out of memory", IGRAPH_ENOMEM);
    if (attr)
        IGRAPH_CHECK(igraph_cattribute_VAS_set(&G->g, attr, v, *slot));
    return IGRAPH_SUCCESS;
}

/* Category colours (ColorBrewer Set1) and sizes, so that Gephi shows the
 * network styled: size grows with the square root of mentions. */
static const int palette[NG_CATEGORY_COUNT][3] = {
    {228, 26, 28}, {55, 126, 184}, {77, 175, 74}, {152, 78, 163}};

static igraph_error_t set_style(ng_graph *G, igraph_integer_t v, int category, double max_mentions)
{
    double size = 10.0 + 40.0 * sqrt(G->mentions[v] / (max_mentions > 0 ? max_mentions : 1));
    IGRAPH_CHECK(igraph_cattribute_VAN_set(&G->g, "size", v, round(size * 100) / 100));
    const int *rgb = category >= 0 ? palette[category] : (const int[3]){128, 128, 128};
    IGRAPH_CHECK(igraph_cattribute_VAN_set(&G->g, "r", v, rgb[0]));
    IGRAPH_CHECK(igraph_cattribute_VAN_set(&G->g, "g", v, rgb[1]));
    IGRAPH_CHECK(igraph_cattribute_VAN_set(&G->g, "b", v, rgb[2]));
    return IGRAPH_SUCCESS;
}

/* Set a date attribute ("YYYY-MM-DD", "" when unknown) of vertex or edge `i`. */
static igraph_error_t set_date(igraph_t *g, int edge, igraph_integer_t i, const char *name,
                               uint32_t date)
{
    char text[16] = "";
    if (date)
        snprintf(text, sizeof text, "%04u-%02u-%02u", date / 10000, date / 100 % 100, date % 100);
    if (edge)
        IGRAPH_CHECK(igraph_cattribute_EAS_set(g, name, i, text));
    else
        IGRAPH_CHECK(igraph_cattribute_VAS_set(g, name, i, text));
    return IGRAPH_SUCCESS;
}

/* ---- building from counts ---- */

static igraph_error_t init_objects(ng_graph *G)
{
    IGRAPH_CHECK(igraph_empty(&G->g, 0, IGRAPH_UNDIRECTED));
    IGRAPH_FINALLY(igraph_destroy, &G->g);
    IGRAPH_VECTOR_INIT_FINALLY(&G->weight, 0);
    IGRAPH_VECTOR_INIT_FINALLY(&G->edge_documents, 0);
    for (int k = 0; k < NG_MEASURE_COUNT; k++)
        IGRAPH_VECTOR_INIT_FINALLY(&G->measure[k], 0);
    return IGRAPH_SUCCESS; /* the caller cleans 3 + NG_MEASURE_COUNT entries */
}

static void destroy_objects(ng_graph *G)
{
    igraph_destroy(&G->g);
    igraph_vector_destroy(&G->weight);
    igraph_vector_destroy(&G->edge_documents);
    for (int k = 0; k < NG_MEASURE_COUNT; k++)
        igraph_vector_destroy(&G->measure[k]);
}

static const char *const weight_names[NG_WEIGHT_COUNT_OF] = {"count", "jaccard", "association",
                                                              "pmi", "npmi"};

const char *ng_edge_weight_name(ng_edge_weight w)
{
    return (unsigned)w < NG_WEIGHT_COUNT_OF ? weight_names[w] : "unknown";
}

int ng_edge_weight_parse(const char *name)
{
    for (int i = 0; i < NG_WEIGHT_COUNT_OF; i++)
        if (strcmp(name, weight_names[i]) == 0)
            return i;
    return -1;
}

/* Every edge weight of one pair (see ng_edge_weight). */
static void edge_weights(const ng_pair *p, const ng_cooc *cooc, double out[NG_WEIGHT_COUNT_OF])
{
    double c = (double)p->windows, n = (double)ng_cooc_window_total(cooc);
    double wa = (double)ng_cooc_entity(cooc, p->a)->windows;
    double wb = (double)ng_cooc_entity(cooc, p->b)->windows;
    out[NG_WEIGHT_COUNT] = c;
    out[NG_WEIGHT_JACCARD] = c / (wa + wb - c);
    out[NG_WEIGHT_ASSOCIATION] = n * c / (wa * wb);
    out[NG_WEIGHT_PMI] = log2(n * c / (wa * wb));
    out[NG_WEIGHT_NPMI] = c >= n ? 1.0 : out[NG_WEIGHT_PMI] / -log2(c / n);
}

/* Union-find root with path halving. */
static igraph_integer_t find_root(igraph_vector_int_t *parent, igraph_integer_t x)
{
    while (VECTOR(*parent)[x] != x) {
        VECTOR(*parent)[x] = VECTOR(*parent)[VECTOR(*parent)[x]];
        x = VECTOR(*parent)[x];
    }
    return x;
}

/* Which entities and pairs make the network: `keep_entity[e]` and
 * `keep_pair[p]` (0/1), after every filter of `opts`, in this order: entity
 * filters, edge count and positive weight, top-k, backbone, largest
 * component. `weight[p]` receives each pair's chosen weight. */
static igraph_error_t select_network(const ng_dict *dict, const ng_pair *pairs, size_t pair_count,
                                     const ng_cooc *cooc, const ng_graph_options *opts,
                                     igraph_vector_int_t *keep_entity,
                                     igraph_vector_int_t *keep_pair, igraph_vector_t *weight)
{
    igraph_integer_t entities = (igraph_integer_t)ng_dict_entity_count(dict);
    igraph_integer_t P = (igraph_integer_t)pair_count;
    IGRAPH_CHECK(igraph_vector_int_resize(keep_entity, entities));
    IGRAPH_CHECK(igraph_vector_int_resize(keep_pair, P));
    IGRAPH_CHECK(igraph_vector_resize(weight, P));
    uint64_t min_mentions = opts->min_mentions ? opts->min_mentions : 1;
    for (igraph_integer_t e = 0; e < entities; e++) {
        unsigned cat = 1u << ng_dict_entity(dict, (uint32_t)e)->category;
        VECTOR(*keep_entity)[e] = ng_cooc_entity(cooc, (uint32_t)e)->mentions >= min_mentions &&
                                  (!opts->categories || (opts->categories & cat));
    }
    for (igraph_integer_t p = 0; p < P; p++) {
        double w[NG_WEIGHT_COUNT_OF];
        edge_weights(&pairs[p], cooc, w);
        VECTOR(*weight)[p] = w[opts->weight];
        VECTOR(*keep_pair)[p] = VECTOR(*keep_entity)[pairs[p].a] &&
                                VECTOR(*keep_entity)[pairs[p].b] &&
                                pairs[p].windows >= opts->min_count && w[opts->weight] > 0 &&
                                isfinite(w[opts->weight]);
    }
    if (opts->top_k || opts->backbone_alpha > 0) {
        /* Per entity: degree and strength over the kept edges, then each
         * edge is tested from both ends. */
        igraph_vector_t strength;
        igraph_vector_int_t degree, order, ranked;
        IGRAPH_VECTOR_INIT_FINALLY(&strength, entities);
        IGRAPH_VECTOR_INT_INIT_FINALLY(&degree, entities);
        IGRAPH_VECTOR_INT_INIT_FINALLY(&order, 0);
        IGRAPH_VECTOR_INT_INIT_FINALLY(&ranked, P);
        for (igraph_integer_t p = 0; p < P; p++)
            if (VECTOR(*keep_pair)[p]) {
                VECTOR(strength)[pairs[p].a] += VECTOR(*weight)[p];
                VECTOR(strength)[pairs[p].b] += VECTOR(*weight)[p];
                VECTOR(degree)[pairs[p].a]++;
                VECTOR(degree)[pairs[p].b]++;
            }
        if (opts->top_k) {
            /* Rank of each edge among the edges of each end: sort once by
             * weight (descending, ties by pair order), then count per end. */
            IGRAPH_CHECK(igraph_vector_qsort_ind(weight, &order, IGRAPH_DESCENDING));
            igraph_vector_int_t seen;
            IGRAPH_VECTOR_INT_INIT_FINALLY(&seen, entities);
            for (igraph_integer_t i = 0; i < P; i++) {
                igraph_integer_t p = VECTOR(order)[i];
                if (!VECTOR(*keep_pair)[p])
                    continue;
                int top = VECTOR(seen)[pairs[p].a] < (igraph_integer_t)opts->top_k ||
                          VECTOR(seen)[pairs[p].b] < (igraph_integer_t)opts->top_k;
                VECTOR(seen)[pairs[p].a]++;
                VECTOR(seen)[pairs[p].b]++;
                VECTOR(ranked)[p] = top;
            }
            igraph_vector_int_destroy(&seen);
            IGRAPH_FINALLY_CLEAN(1);
        }
        for (igraph_integer_t p = 0; p < P; p++) {
            if (!VECTOR(*keep_pair)[p])
                continue;
            int keep = opts->top_k ? VECTOR(ranked)[p] : 1;
            if (keep && opts->backbone_alpha > 0) {
                int significant = 0;
                uint32_t ends[2] = {pairs[p].a, pairs[p].b};
                for (int k = 0; k < 2; k++) {
                    double deg = (double)VECTOR(degree)[ends[k]];
                    double share = VECTOR(*weight)[p] / VECTOR(strength)[ends[k]];
                    /* a lone edge is its end's only tie: kept */
                    if (deg <= 1 || pow(1.0 - share, deg - 1) < opts->backbone_alpha)
                        significant = 1;
                }
                keep = significant;
            }
            VECTOR(*keep_pair)[p] = keep;
        }
        igraph_vector_int_destroy(&ranked);
        igraph_vector_int_destroy(&order);
        igraph_vector_int_destroy(&degree);
        igraph_vector_destroy(&strength);
        IGRAPH_FINALLY_CLEAN(4);
    }
    if (opts->largest_component) {
        igraph_vector_int_t parent, size;
        IGRAPH_VECTOR_INT_INIT_FINALLY(&parent, entities);
        IGRAPH_VECTOR_INT_INIT_FINALLY(&size, entities);
        for (igraph_integer_t e = 0; e < entities; e++)
            VECTOR(parent)[e] = e;
        for (igraph_integer_t p = 0; p < P; p++)
            if (VECTOR(*keep_pair)[p]) {
                igraph_integer_t x = find_root(&parent, pairs[p].a);
                igraph_integer_t y = find_root(&parent, pairs[p].b);
                if (x != y)
                    VECTOR(parent)[x > y ? x : y] = x < y ? x : y;
            }
        igraph_integer_t best = -1;
        for (igraph_integer_t e = 0; e < entities; e++)
            if (VECTOR(*keep_entity)[e])
                VECTOR(size)[find_root(&parent, e)]++;
        for (igraph_integer_t e = 0; e < entities; e++) /* ties: the first entity's */
            if (best < 0 || VECTOR(size)[e] > VECTOR(size)[best])
                best = e;
        for (igraph_integer_t e = 0; e < entities; e++)
            if (VECTOR(*keep_entity)[e] && find_root(&parent, e) != best)
                VECTOR(*keep_entity)[e] = 0;
        for (igraph_integer_t p = 0; p < P; p++)
            VECTOR(*keep_pair)[p] = VECTOR(*keep_pair)[p] && VECTOR(*keep_entity)[pairs[p].a];
        igraph_vector_int_destroy(&size);
        igraph_vector_int_destroy(&parent);
        IGRAPH_FINALLY_CLEAN(2);
    }
    return IGRAPH_SUCCESS;
}

static igraph_error_t build(ng_graph *G, const ng_dict *dict, const ng_pair *pairs,
                            size_t pair_count, const ng_cooc *cooc, const ng_graph_options *opts)
{
    size_t entities = ng_dict_entity_count(dict), n = 0, m = 0;
    igraph_vector_int_t vertex_of, edges, keep_pair;
    igraph_vector_t chosen;
    IGRAPH_VECTOR_INT_INIT_FINALLY(&vertex_of, (igraph_integer_t)entities);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&edges, 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&keep_pair, 0);
    IGRAPH_VECTOR_INIT_FINALLY(&chosen, 0);
    IGRAPH_CHECK(select_network(dict, pairs, pair_count, cooc, opts, &vertex_of, &keep_pair,
                                &chosen));
    double max_mentions = 0;
    for (uint32_t e = 0; e < entities; e++) {
        VECTOR(vertex_of)[e] = VECTOR(vertex_of)[e] ? (igraph_integer_t)n++ : -1;
        if (VECTOR(vertex_of)[e] >= 0 && (double)ng_cooc_entity(cooc, e)->mentions > max_mentions)
            max_mentions = (double)ng_cooc_entity(cooc, e)->mentions;
    }
    for (size_t p = 0; p < pair_count; p++)
        m += VECTOR(keep_pair)[p] != 0;
    IGRAPH_CHECK(igraph_vector_int_resize(&edges, 2 * (igraph_integer_t)m));
    IGRAPH_CHECK(igraph_vector_resize(&G->weight, (igraph_integer_t)m));
    IGRAPH_CHECK(igraph_vector_resize(&G->edge_documents, (igraph_integer_t)m));
    igraph_vector_t measures[NG_WEIGHT_COUNT_OF];
    for (int k = 0; k < NG_WEIGHT_COUNT_OF; k++)
        IGRAPH_VECTOR_INIT_FINALLY(&measures[k], (igraph_integer_t)m);
    for (size_t p = 0, i = 0; p < pair_count; p++) {
        if (!VECTOR(keep_pair)[p])
            continue;
        double w[NG_WEIGHT_COUNT_OF];
        edge_weights(&pairs[p], cooc, w);
        VECTOR(edges)[2 * i] = VECTOR(vertex_of)[pairs[p].a];
        VECTOR(edges)[2 * i + 1] = VECTOR(vertex_of)[pairs[p].b];
        VECTOR(G->weight)[i] = VECTOR(chosen)[p];
        VECTOR(G->edge_documents)[i] = (igraph_real_t)pairs[p].documents;
        for (int k = 0; k < NG_WEIGHT_COUNT_OF; k++)
            VECTOR(measures[k])[i] = w[k];
        i++;
    }
    IGRAPH_CHECK(igraph_add_vertices(&G->g, (igraph_integer_t)n, NULL));
    IGRAPH_CHECK(igraph_add_edges(&G->g, &edges, NULL));
    IGRAPH_CHECK(igraph_cattribute_EAN_setv(&G->g, "weight", &G->weight));
    IGRAPH_CHECK(igraph_cattribute_EAN_setv(&G->g, "documents", &G->edge_documents));
    for (int k = 0; k < NG_WEIGHT_COUNT_OF; k++)
        IGRAPH_CHECK(igraph_cattribute_EAN_setv(&G->g, weight_names[k], &measures[k]));
    for (int k = NG_WEIGHT_COUNT_OF - 1; k >= 0; k--)
        igraph_vector_destroy(&measures[k]);
    IGRAPH_FINALLY_CLEAN(NG_WEIGHT_COUNT_OF);

    IGRAPH_CHECK(alloc_table(G, n));
    for (uint32_t e = 0; e < entities; e++) {
        igraph_integer_t v = VECTOR(vertex_of)[e];
        if (v < 0)
            continue;
        const ng_entity *ent = ng_dict_entity(dict, e);
        G->mentions[v] = (double)ng_cooc_entity(cooc, e)->mentions;
        G->documents[v] = (double)ng_cooc_entity(cooc, e)->documents;
        IGRAPH_CHECK(set_string(G, &G->key[v], "key", v, ent->key));
        IGRAPH_CHECK(set_string(G, &G->label[v], "label", v, ent->label));
        IGRAPH_CHECK(set_string(G, &G->category[v], "category", v,
                                ng_category_name(ent->category)));
        IGRAPH_CHECK(igraph_cattribute_VAN_set(&G->g, "mentions", v, G->mentions[v]));
        IGRAPH_CHECK(igraph_cattribute_VAN_set(&G->g, "documents", v, G->documents[v]));
        IGRAPH_CHECK(set_style(G, v, (int)ent->category, max_mentions));
    }
    /* The dates of the first and last documents, when documents have dates
     * (GEXF turns them into a timeline). */
    int dated = 0;
    for (uint32_t e = 0; e < entities; e++)
        dated |= VECTOR(vertex_of)[e] >= 0 && ng_cooc_entity(cooc, e)->first != 0;
    for (uint32_t e = 0; dated && e < entities; e++) {
        igraph_integer_t v = VECTOR(vertex_of)[e];
        if (v >= 0) {
            IGRAPH_CHECK(set_date(&G->g, 0, v, "first", ng_cooc_entity(cooc, e)->first));
            IGRAPH_CHECK(set_date(&G->g, 0, v, "last", ng_cooc_entity(cooc, e)->last));
        }
    }
    for (size_t p = 0, i = 0; dated && p < pair_count; p++)
        if (VECTOR(keep_pair)[p]) {
            IGRAPH_CHECK(set_date(&G->g, 1, (igraph_integer_t)i, "first", pairs[p].first));
            IGRAPH_CHECK(set_date(&G->g, 1, (igraph_integer_t)i, "last", pairs[p].last));
            i++;
        }
    /* Facts and roles after the fixed attributes, so the key order is stable. */
    for (uint32_t e = 0; e < entities; e++) {
        igraph_integer_t v = VECTOR(vertex_of)[e];
        if (v < 0)
            continue;
        const ng_entity *ent = ng_dict_entity(dict, e);
        char *clean;
        if (ent->roles) {
            IGRAPH_CHECK(set_string(G, &clean, "roles", v, ent->roles));
            free(clean);
        }
        for (size_t f = 0; f < ent->fact_count; f++) {
            IGRAPH_CHECK(set_string(G, &clean, ent->facts[f].name, v, ent->facts[f].value));
            free(clean);
        }
    }
    IGRAPH_CHECK(igraph_cattribute_GAS_set(&G->g, "window", opts->window));
    IGRAPH_CHECK(igraph_cattribute_GAS_set(&G->g, "edge_weight", weight_names[opts->weight]));
    char text[64];
    snprintf(text, sizeof text, "%llu", (unsigned long long)opts->seed);
    IGRAPH_CHECK(igraph_cattribute_GAS_set(&G->g, "seed", text));
    IGRAPH_CHECK(igraph_cattribute_GAN_set(&G->g, "documents_total",
                                           (igraph_real_t)ng_cooc_document_total(cooc)));
    IGRAPH_CHECK(igraph_cattribute_GAN_set(&G->g, "windows_total",
                                           (igraph_real_t)ng_cooc_window_total(cooc)));
    IGRAPH_CHECK(igraph_cattribute_GAN_set(&G->g, "min_count", (igraph_real_t)opts->min_count));
    IGRAPH_CHECK(igraph_cattribute_GAN_set(&G->g, "min_mentions",
                                           (igraph_real_t)opts->min_mentions));
    size_t used = 0;
    text[0] = '\0';
    for (int c = 0; c < NG_CATEGORY_COUNT; c++)
        if (!opts->categories || (opts->categories & (1u << c)))
            used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? "," : "",
                                     ng_category_name((ng_category)c));
    IGRAPH_CHECK(igraph_cattribute_GAS_set(&G->g, "categories", text));
    IGRAPH_CHECK(igraph_cattribute_GAN_set(&G->g, "top_k", (igraph_real_t)opts->top_k));
    IGRAPH_CHECK(igraph_cattribute_GAN_set(&G->g, "backbone_alpha", opts->backbone_alpha));
    IGRAPH_CHECK(igraph_cattribute_GAB_set(&G->g, "largest_component",
                                           opts->largest_component != 0));
    IGRAPH_CHECK(compute_measures(G, (igraph_integer_t)opts->seed));
    igraph_vector_destroy(&chosen);
    igraph_vector_int_destroy(&keep_pair);
    igraph_vector_int_destroy(&edges);
    igraph_vector_int_destroy(&vertex_of);
    IGRAPH_FINALLY_CLEAN(4);
    return IGRAPH_SUCCESS;
}

ng_status ng_graph_build(ng_graph **out, const ng_dict *dict, ng_cooc *cooc,
                         const ng_graph_options *opts)
{
    *out = NULL;
    const ng_pair *pairs;
    size_t pair_count;
    ng_status st = ng_cooc_pairs(cooc, &pairs, &pair_count);
    if (st != NG_OK)
        return st;
    ng_graph *G = calloc(1, sizeof *G);
    if (!G)
        return ng_error_set(NG_ENOMEM, "out of memory");
    ng_graph_begin();
    igraph_error_t e = init_objects(G);
    if (e == IGRAPH_SUCCESS) {
        e = build(G, dict, pairs, pair_count, cooc, opts);
        if (e == IGRAPH_SUCCESS)
            IGRAPH_FINALLY_CLEAN(3 + NG_MEASURE_COUNT);
    }
    if (e != IGRAPH_SUCCESS) {
        /* the handler destroyed the igraph objects */
        free_table(G);
        free(G);
        return ng_graph_failed(e);
    }
    *out = G;
    return NG_OK;
}

/* ---- reading GraphML back ---- */

static const char *vertex_string(const igraph_t *g, const char *name, igraph_integer_t v)
{
    if (!igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_VERTEX, name))
        return "";
    igraph_attribute_type_t type;
    if (igraph_cattribute_table.gettype((igraph_t *)g, &type, IGRAPH_ATTRIBUTE_VERTEX, name) ||
        type != IGRAPH_ATTRIBUTE_STRING)
        return "";
    return VAS(g, name, v);
}

static double vertex_number(const igraph_t *g, const char *name, igraph_integer_t v)
{
    if (!igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_VERTEX, name))
        return 0;
    igraph_attribute_type_t type;
    if (igraph_cattribute_table.gettype((igraph_t *)g, &type, IGRAPH_ATTRIBUTE_VERTEX, name) ||
        type != IGRAPH_ATTRIBUTE_NUMERIC)
        return 0;
    double x = VAN(g, name, v);
    return isfinite(x) ? x : 0;
}

static igraph_error_t adopt(ng_graph *G, igraph_integer_t seed)
{
    const igraph_t *g = &G->g;
    igraph_integer_t n = igraph_vcount(g), m = igraph_ecount(g);
    IGRAPH_CHECK(alloc_table(G, (size_t)n));
    for (igraph_integer_t v = 0; v < n; v++) {
        char fallback[32];
        snprintf(fallback, sizeof fallback, "n%" IGRAPH_PRId, v);
        const char *key = vertex_string(g, "key", v), *label = vertex_string(g, "label", v);
        IGRAPH_CHECK(set_string(G, &G->key[v], NULL, v, key[0] ? key : fallback));
        IGRAPH_CHECK(set_string(G, &G->label[v], NULL, v, label[0] ? label : G->key[v]));
        IGRAPH_CHECK(set_string(G, &G->category[v], NULL, v, vertex_string(g, "category", v)));
        G->mentions[v] = vertex_number(g, "mentions", v);
        G->documents[v] = vertex_number(g, "documents", v);
    }
    int weighted = igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_EDGE, "weight");
    int documented = igraph_cattribute_has_attr(g, IGRAPH_ATTRIBUTE_EDGE, "documents");
    IGRAPH_CHECK(igraph_vector_resize(&G->weight, m));
    IGRAPH_CHECK(igraph_vector_resize(&G->edge_documents, m));
    for (igraph_integer_t e = 0; e < m; e++) {
        double w = weighted ? EAN(g, "weight", e) : 1.0;
        if (!isfinite(w) || w <= 0)
            IGRAPH_ERRORF("edge %" IGRAPH_PRId " has weight %g; weights must be positive",
                          IGRAPH_EINVAL, e, w);
        VECTOR(G->weight)[e] = w;
        VECTOR(G->edge_documents)[e] = documented ? EAN(g, "documents", e) : 0;
    }
    IGRAPH_CHECK(compute_measures(G, seed));
    return IGRAPH_SUCCESS;
}

static igraph_error_t read_into(ng_graph *G, FILE *fp)
{
    IGRAPH_CHECK(igraph_read_graph_graphml(&G->g, fp, 0));
    IGRAPH_FINALLY(igraph_destroy, &G->g);
    IGRAPH_VECTOR_INIT_FINALLY(&G->weight, 0);
    IGRAPH_VECTOR_INIT_FINALLY(&G->edge_documents, 0);
    for (int k = 0; k < NG_MEASURE_COUNT; k++)
        IGRAPH_VECTOR_INIT_FINALLY(&G->measure[k], 0);
    return IGRAPH_SUCCESS;
}

ng_status ng_graph_read_graphml(ng_graph **out, const char *path, const ng_graph_options *opts)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ng_error_set(NG_EIO, "%s: cannot open: %s", path, strerror(errno));
    ng_graph *G = calloc(1, sizeof *G);
    if (!G) {
        fclose(fp);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    ng_graph_begin();
    igraph_error_t e = read_into(G, fp);
    fclose(fp);
    if (e == IGRAPH_SUCCESS) {
        e = adopt(G, (igraph_integer_t)opts->seed);
        if (e == IGRAPH_SUCCESS)
            IGRAPH_FINALLY_CLEAN(3 + NG_MEASURE_COUNT);
    }
    if (e != IGRAPH_SUCCESS) {
        free_table(G);
        free(G);
        ng_status st = ng_graph_failed(e);
        return ng_error_set(e == IGRAPH_PARSEERROR ? NG_EPARSE : st, "%s: %s", path,
                            ng_error_message());
    }
    *out = G;
    return NG_OK;
}

void ng_graph_free(ng_graph *G)
{
    if (!G)
        return;
    destroy_objects(G);
    free_table(G);
    free(G);
}

ng_status ng_graph_neighbourhood(const ng_graph *G, size_t v, size_t depth, unsigned char *in)
{
    memset(in, 0, G->n);
    ng_graph_begin();
    igraph_error_t e;
    /* breadth first, bounded by depth */
    size_t *queue = malloc((G->n ? G->n : 1) * sizeof *queue);
    size_t *dist = malloc((G->n ? G->n : 1) * sizeof *dist);
    igraph_vector_int_t nbr;
    if (!queue || !dist || igraph_vector_int_init(&nbr, 0) != IGRAPH_SUCCESS) {
        free(queue);
        free(dist);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    size_t head = 0, tail = 0;
    ng_status st = NG_OK;
    queue[tail++] = v;
    dist[v] = 0;
    in[v] = 1;
    while (head < tail && st == NG_OK) {
        size_t u = queue[head++];
        if (dist[u] >= depth)
            continue;
        if ((e = igraph_neighbors(&G->g, &nbr, (igraph_integer_t)u, IGRAPH_ALL)) !=
            IGRAPH_SUCCESS) {
            st = ng_graph_failed(e);
            break;
        }
        for (igraph_integer_t i = 0; i < igraph_vector_int_size(&nbr); i++) {
            size_t w = (size_t)VECTOR(nbr)[i];
            if (!in[w]) {
                in[w] = 1;
                dist[w] = dist[u] + 1;
                queue[tail++] = w;
            }
        }
    }
    igraph_vector_int_destroy(&nbr);
    free(queue);
    free(dist);
    return st;
}

/* ---- accessors ---- */

size_t ng_graph_vertex_count(const ng_graph *G) { return G->n; }
size_t ng_graph_edge_count(const ng_graph *G) { return (size_t)igraph_ecount(&G->g); }
const char *ng_graph_vertex_key(const ng_graph *G, size_t v) { return G->key[v]; }
const char *ng_graph_vertex_label(const ng_graph *G, size_t v) { return G->label[v]; }
const char *ng_graph_vertex_category(const ng_graph *G, size_t v) { return G->category[v]; }
double ng_graph_vertex_mentions(const ng_graph *G, size_t v) { return G->mentions[v]; }
double ng_graph_vertex_documents(const ng_graph *G, size_t v) { return G->documents[v]; }

double ng_graph_measure(const ng_graph *G, size_t v, ng_measure m)
{
    return VECTOR(G->measure[m])[(igraph_integer_t)v];
}

void ng_graph_edge(const ng_graph *G, size_t e, size_t *from, size_t *to)
{
    igraph_integer_t a = IGRAPH_FROM(&G->g, (igraph_integer_t)e);
    igraph_integer_t b = IGRAPH_TO(&G->g, (igraph_integer_t)e);
    *from = (size_t)(a < b ? a : b);
    *to = (size_t)(a < b ? b : a);
}

double ng_graph_edge_weight(const ng_graph *G, size_t e)
{
    return VECTOR(G->weight)[(igraph_integer_t)e];
}

double ng_graph_edge_documents(const ng_graph *G, size_t e)
{
    return VECTOR(G->edge_documents)[(igraph_integer_t)e];
}
