/* nergraph/score.h: mention output scored against a gold sample.
 *
 * Both files are JSON Lines in the mention contract (doc, start, end, type).
 * A predicted mention is correct when a gold mention has the same document,
 * offsets and type. With passages (doc, start, end), only mentions inside an
 * annotated passage count, so a sample can annotate parts of documents.
 */
#ifndef NERGRAPH_SCORE_H
#define NERGRAPH_SCORE_H

#include <stdio.h>

#include "nergraph/common.h"

typedef struct ng_score_row {
    uint64_t gold, predicted, correct;
} ng_score_row;

/** Rows per category (NG_CATEGORY_*) and, at NG_CATEGORY_COUNT, all together. */
typedef struct ng_score {
    ng_score_row rows[NG_CATEGORY_COUNT + 1];
} ng_score;

/** Score `predicted` against `gold` (paths of JSON Lines files); `passages`
 *  may be NULL. Errors name the file and line: NG_EIO, NG_EPARSE. */
ng_status ng_score_files(ng_score *out, const char *gold, const char *predicted,
                         const char *passages);
/** Precision, recall and F1 per type, as an aligned table. */
void ng_score_write(const ng_score *s, FILE *out);

#endif
