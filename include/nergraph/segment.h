/* nergraph/segment.h: stage 4, sentences of the decoded text.
 *
 * A sentence ends at . ! ? or … (closing quotes and brackets included) when
 * white space and a capital, digit or opening mark follow, unless the word
 * before the full stop is an initial ("N.A.") or a known abbreviation
 * ("etc.", "No.", "т.ғ.к."). A line break ends a sentence when the line
 * before it is short for this document (a heading, a date line): lines that
 * the PDF wrapped are joined. Spans exclude surrounding white space.
 */
#ifndef NERGRAPH_SEGMENT_H
#define NERGRAPH_SEGMENT_H

#include "nergraph/common.h"

typedef struct ng_segments {
    ng_span *spans;
    uint32_t *paragraph; /* per sentence: its paragraph, non-decreasing; a blank
                            line between two sentences starts a new one */
    size_t count;
    size_t cap;
    struct ng_seg_end *ends; /* ng_segment_sentences' notes, kept for the next call */
    size_t ends_cap;
} ng_segments;

/** Split valid UTF-8 `text` into sentences (contents of `out` replaced).
 *  Spans are ordered, disjoint, non-empty and inside [0, len).
 *  Errors: NG_ENOMEM. */
ng_status ng_segment_sentences(ng_segments *out, const char *text, size_t len);
/** The span [start, end) of name `i` of `names`, for ng_segments_join. */
typedef ng_span (*ng_name_span_fn)(const void *names, size_t i);
/** Join sentences so that none of the `n` names (ordered by start, not
 *  overlapping) crosses a boundary: a name found across one shows that the
 *  boundary was wrong. A joined sentence keeps the paragraph of its first
 *  part. One pass, however many boundaries go. */
void ng_segments_join(ng_segments *s, const void *names, size_t n, ng_name_span_fn span_of);
void ng_segments_destroy(ng_segments *s);

#endif
