/* nergraph/matcher.h: stage 6, finding aliases in normalised text.
 *
 * An Aho-Corasick automaton over the normalised bytes of every alias,
 * compiled to a dense table over byte classes. A match is accepted at word
 * boundaries (no letter or digit on either side); case-sensitive aliases are
 * checked against the decoded text; overlapping matches are resolved
 * leftmost-longest. Scanning allocates only to grow the caller's vectors.
 */
#ifndef NERGRAPH_MATCHER_H
#define NERGRAPH_MATCHER_H

#include "nergraph/common.h"
#include "nergraph/dict.h"
#include "nergraph/normalize.h"

typedef struct ng_matcher ng_matcher; /* opaque */

typedef struct ng_match {
    uint32_t start; /* normalised offsets, [start, end) */
    uint32_t end;
    uint32_t alias;
} ng_match;

typedef struct ng_match_vec {
    ng_match *items;
    size_t count;
    size_t cap;
} ng_match_vec;

/** Build a matcher for every alias of `dict`, which must outlive it.
 *  Time: O(total alias bytes x byte classes). Errors: NG_ENOMEM, NG_ELIMIT. */
ng_status ng_matcher_new(ng_matcher **out, const ng_dict *dict);
void ng_matcher_free(ng_matcher *m);

/** Per-thread scratch space for scanning; zero-initialise, destroy when done. */
typedef struct ng_scan_scratch {
    ng_match_vec candidates;
    ng_norm cased;
} ng_scan_scratch;
void ng_scan_scratch_destroy(ng_scan_scratch *s);

/** Find the matches of `norm` (the normalised form of `text`, decoded UTF-8 of
 *  `text_len` bytes) into `out` (contents replaced), ordered by start.
 *  Time: O(norm->len + candidates log candidates). Errors: NG_ENOMEM. */
ng_status ng_matcher_scan(const ng_matcher *m, const ng_norm *norm, const char *text,
                          size_t text_len, ng_scan_scratch *scratch, ng_match_vec *out);
void ng_match_vec_destroy(ng_match_vec *v);

#endif
