/* nergraph/context.h: what the words around a match decide.
 *
 * Runs on the matcher's results, before they become mentions. An alias with
 * a context rule (docs/dictionaries.md#context-rules) stays a match only
 * where the words near it say so; where several entities claim one alias,
 * the first whose rule holds takes the match, else the one without a rule.
 *
 * Then acronyms a document defines: a long form that matched, followed by a
 * parenthesised token of 2 to 10 Latin or Cyrillic capitals that is no
 * alias of any entity ("Uyghurstan Organization for Freedom (UOF)"), makes
 * that token, written in capitals, a match of the long form's alias from
 * there to the end of the document. What one document learns is forgotten
 * before the next. The per-document buffers live in ng_context_scratch,
 * reused from one document to the next.
 */
#ifndef NERGRAPH_CONTEXT_H
#define NERGRAPH_CONTEXT_H

#include "nergraph/common.h"
#include "nergraph/dict.h"
#include "nergraph/matcher.h"
#include "nergraph/normalize.h"
#include "nergraph/segment.h"

/** Per-thread scratch space; zero-initialise, destroy when done. */
typedef struct ng_context_scratch {
    ng_norm cased; /* a match's name without case folding, to test case-sensitive rivals */
    struct ng_acronym *acronyms; /* learned in the current document */
    size_t acronym_count, acronym_cap;
    ng_match_vec learned; /* their matches */
    ng_match_vec merged;  /* the matches with them, swapped with the caller's */
} ng_context_scratch;
void ng_context_scratch_destroy(ng_context_scratch *s);

/** Apply the context rules of `dict` to `matches` (normalised offsets into
 *  `norm`, the normalised form of `text`, decoded UTF-8 of `text_len`
 *  bytes, cut into `sentences`): a match may change alias or be dropped;
 *  then add the matches of the acronyms the document defines. The order by
 *  start is kept, and matches do not overlap. Time: O(matches) plus the
 *  words inside the windows of aliases with rules, plus O(text x acronyms
 *  defined). Errors: NG_ENOMEM. */
ng_status ng_context_apply(ng_context_scratch *s, const ng_dict *dict, const ng_norm *norm,
                           const char *text, size_t text_len, const ng_segments *sentences,
                           ng_match_vec *matches);

#endif
