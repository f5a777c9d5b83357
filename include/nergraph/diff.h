/* nergraph/diff.h: what changed between two networks, for a reviewer.
 *
 * `nergraph diff A.graphml B.graphml`: actors and links added and removed
 * (matched by entity key), the largest changes of link weight, and the
 * largest rank changes per measure, each list ordered so that the same two
 * files always give the same text.
 */
#ifndef NERGRAPH_DIFF_H
#define NERGRAPH_DIFF_H

#include <stdio.h>

#include "nergraph/graph.h"

/** Write the differences of `b` against `a`, at most `top` lines per list;
 *  *changes gets the number of actors and links added or removed plus the
 *  links whose weight changed (0: the same network). Errors: NG_ENOMEM. */
ng_status ng_graph_diff(const ng_graph *a, const ng_graph *b, size_t top, FILE *out,
                        size_t *changes);

#endif
