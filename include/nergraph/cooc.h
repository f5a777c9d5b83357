/* nergraph/cooc.h: stage 7, co-occurrence counts.
 *
 * Everything the network needs is a sum of per-document counts: per entity
 * its mentions, documents and windows, per pair of entities the windows
 * (sentences, paragraphs or documents) they share and the documents in which
 * they share one, and the number of windows with a mention. An ng_cooc holds such
 * sums; ng_cooc_add_document adds one document's, ng_cooc_merge adds another
 * ng_cooc's, so threads and shards combine exactly, in any order.
 */
#ifndef NERGRAPH_COOC_H
#define NERGRAPH_COOC_H

#include "nergraph/common.h"

typedef struct ng_cooc ng_cooc; /* opaque */

/** The unit in which two entities count as named together. */
typedef enum ng_window {
    NG_WINDOW_SENTENCE = 0,
    NG_WINDOW_PARAGRAPH,
    NG_WINDOW_DOCUMENT,
    NG_WINDOW_TOKENS, /* sliding: from each mention, the next `tokens` tokens */
    NG_WINDOW_COUNT
} ng_window;

/** A window: its unit, and for NG_WINDOW_TOKENS its length in tokens. */
typedef struct ng_window_spec {
    ng_window unit;
    uint32_t tokens;
} ng_window_spec;
#define NG_WINDOW_SPEC_INIT {NG_WINDOW_SENTENCE, 0}
#define NG_WINDOW_NAME_BYTES 24

/** The unit's name: "sentence", "paragraph", "document", "tokens". */
const char *ng_window_name(ng_window w);
/** "sentence", "paragraph", "document" or "tokens:N" (1 <= N <=
 *  NG_MAX_WINDOW_TOKENS) into *out; -1 when it is none of these. */
int ng_window_parse(const char *name, ng_window_spec *out);
/** The name ng_window_parse reads, written into buf. */
const char *ng_window_format(const ng_window_spec *w, char buf[NG_WINDOW_NAME_BYTES]);

typedef struct ng_pair {
    uint32_t a, b;       /* entity ids, a < b */
    uint64_t windows;    /* windows in which both occur */
    uint64_t documents;  /* documents with at least one such window */
    uint32_t first, last; /* dates (YYYYMMDD) of the first and last such dated
                             document; 0 when none had a date */
} ng_pair;

/** Per-entity sums. */
typedef struct ng_entity_counts {
    uint64_t mentions;   /* times named */
    uint64_t documents;  /* documents naming it */
    uint64_t windows;    /* windows naming it, each once however often named */
    uint32_t first, last; /* dates (YYYYMMDD) of its first and last dated documents; 0: none */
} ng_entity_counts;

/** The one rule by which counts combine, for threads, shards and partials
 *  alike: sums, and the widest range of dates (0 is no date). Associative and
 *  commutative. ng_pair_add leaves into->a and into->b alone. */
void ng_entity_counts_add(ng_entity_counts *into, const ng_entity_counts *from);
void ng_pair_add(ng_pair *into, const ng_pair *from);

/** One mention as the counter sees it. */
typedef struct ng_cooc_mention {
    uint32_t entity;
    uint32_t window;     /* window index within the document, non-decreasing */
} ng_cooc_mention;

ng_status ng_cooc_new(ng_cooc **out, size_t entity_count);
void ng_cooc_free(ng_cooc *c);

/** Add one document's mentions (ordered by window). A pair counts once per
 *  window, however often each side is named in it; never with itself; in a
 *  window naming more than NG_MAX_WINDOW_ENTITIES entities, only pairs among
 *  the first of them (by id, so by key) count.
 *  Time: O(n + sum over windows of k^2) for k distinct entities per window. */
ng_status ng_cooc_add_document(ng_cooc *c, const ng_cooc_mention *mentions, size_t n);
/** The same for a document dated `date` (YYYYMMDD, 0: unknown): entities
 *  and pairs keep the range of the dates of their documents, which merges
 *  like the counts (minimum and maximum). */
ng_status ng_cooc_add_dated_document(ng_cooc *c, const ng_cooc_mention *mentions, size_t n,
                                     uint32_t date);
/** Add the counts of `from` into `into` (same entity count). */
ng_status ng_cooc_merge(ng_cooc *into, const ng_cooc *from);
/** Sort the `n` entity ids of a window and drop repeats; returns how many
 *  distinct ones there are (now the first ones, in key order). */
size_t ng_cooc_distinct_entities(uint32_t *ids, size_t n);
/** Add counts read back from a partial (nergraph/partial.h): of one entity,
 *  of one pair (a < b), and the totals of documents and of windows with a
 *  mention. */
ng_status ng_cooc_add_entity(ng_cooc *c, uint32_t entity, const ng_entity_counts *counts);
ng_status ng_cooc_add_pair(ng_cooc *c, const ng_pair *pair);
void ng_cooc_add_totals(ng_cooc *c, uint64_t documents, uint64_t windows);

size_t ng_cooc_entity_count(const ng_cooc *c);
/** The sums of `entity`: mentions, documents, windows, first and last dates. */
const ng_entity_counts *ng_cooc_entity(const ng_cooc *c, uint32_t entity);
uint64_t ng_cooc_document_total(const ng_cooc *c);
/** Windows with at least one mention: N of the normalised edge weights. */
uint64_t ng_cooc_window_total(const ng_cooc *c);
/** All pairs, sorted by (a, b); borrowed until the next call that changes `c`. */
ng_status ng_cooc_pairs(ng_cooc *c, const ng_pair **pairs, size_t *count);

#endif
