/* nergraph/mentions.h: the mention contract (docs/mentions.md).
 *
 * One JSON object per line: {"doc", "start", "end", "type", "entity",
 * "label", "surface", "sentence": [S, T]}, offsets in bytes of the original
 * input file, end exclusive. Read by outside evaluation: keep it stable.
 */
#ifndef NERGRAPH_MENTIONS_H
#define NERGRAPH_MENTIONS_H

#include <stdio.h>

#include "nergraph/dict.h"

typedef struct ng_mention {
    uint32_t entity;
    uint32_t alias;
    uint32_t sentence;     /* index of the sentence in the document */
    ng_span source;        /* bytes of the original file */
    ng_span sentence_span; /* likewise */
} ng_mention;

/** Write one line per mention; `source` holds the original bytes of `doc`,
 *  from which `surface` is cut. */
void ng_mentions_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *source,
                             const ng_mention *mentions, size_t count);

#endif
