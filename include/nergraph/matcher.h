/* nergraph/matcher.h: stage 6, finding aliases in normalised text.
 *
 * An Aho-Corasick automaton over the normalised bytes of every alias: full
 * rows over byte classes for the shallow states, trie edges and failure links
 * for the deep ones (memory proportional to the alias bytes). A match is accepted at word
 * boundaries (no letter or digit on either side), or followed by a chain of
 * endings of its script (nergraph/suffix.h); case-sensitive aliases are
 * checked against the decoded text; overlapping matches are resolved
 * leftmost-longest. Scanning allocates only to grow the caller's vectors.
 */
#ifndef NERGRAPH_MATCHER_H
#define NERGRAPH_MATCHER_H

#include "nergraph/common.h"
#include "nergraph/dict.h"
#include "nergraph/normalize.h"
#include "nergraph/suffix.h"

typedef struct ng_matcher ng_matcher; /* opaque */

typedef struct ng_match {
    uint32_t start;    /* normalised offsets, [start, end), ending included */
    uint32_t end;
    uint32_t alias;
    uint32_t name_end; /* where the name stops and an ending (Қазақстан|ның) begins */
} ng_match;

typedef struct ng_match_vec {
    ng_match *items;
    size_t count;
    size_t cap;
} ng_match_vec;

/** Build a matcher for every alias of `dict`; `suffixes` (may be NULL: no
 *  endings) are the ending tables. Both must outlive the matcher.
 *  Time: O(total alias bytes + dense rows x byte classes). Errors: NG_ENOMEM, NG_ELIMIT. */
ng_status ng_matcher_new(ng_matcher **out, const ng_dict *dict, const ng_suffixes *suffixes);
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
