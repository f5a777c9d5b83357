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
    ng_span text;          /* the mention in the decoded (UTF-8) text */
} ng_mention;

/** Write one line per mention of `doc`; `surface` is cut from `text`, the
 *  decoded UTF-8 text (the original bytes themselves when the file is UTF-8). */
void ng_mentions_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *text,
                             const ng_mention *mentions, size_t count);

#endif
