/* nergraph/dicttools.h: keeping the dictionaries right.
 *
 * `nergraph dict check` loads a dictionary directory (every format error
 * stops it with file:line:col) and then looks for what loads but is wrong:
 * an alias claimed by two entities with no context rule to decide (the
 * first key wins silently in the matcher), overlapping periods of one role
 * and entities whose every alias is a demonym, each at its file:line:col.
 * `nergraph dict coverage` tags a corpus and lists, per entity and language, how often it
 * was found, and the near misses: capitalised names and acronyms that no
 * alias matched, by frequency, as candidates for new entries.
 */
#ifndef NERGRAPH_DICTTOOLS_H
#define NERGRAPH_DICTTOOLS_H

#include <stdio.h>

#include "nergraph/pipeline.h"

/** Report the problems of `d` to `out`, one per line as "file:line:col:
 *  message"; *problems gets their number. Errors: NG_ENOMEM. */
ng_status ng_dict_check(const ng_dict *d, FILE *out, size_t *problems);

/** `nergraph dict coverage`: tag the corpus of `opts` and write the found
 *  entities and the `top` most frequent near misses to `out`. */
ng_status ng_dict_coverage(const ng_pipeline_options *opts, size_t top, FILE *out);

#endif
