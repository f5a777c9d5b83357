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

/** What a writer of mention lines keeps from one document to the next (the
 *  escaped parts of each alias's lines); opaque, created by the first write. */
typedef struct ng_mention_lines ng_mention_lines;
void ng_mention_lines_free(ng_mention_lines *lines);

/** Write one line per mention of `doc`; `surface` is cut from `text`, the
 *  decoded UTF-8 text (the original bytes themselves when the file is UTF-8).
 *  *lines: NULL the first time, then what the last call left there (for one
 *  `dict`). Errors: NG_ENOMEM. */
ng_status ng_mentions_write_jsonl(FILE *out, ng_mention_lines **lines, const ng_dict *dict,
                                  const char *doc, const char *text, const ng_mention *mentions,
                                  size_t count);

/** One window naming two or more entities: the evidence for the edges
 *  between any two of them (out/evidence.jsonl, nergraph explain). */
typedef struct ng_evidence {
    const uint32_t *entities; /* ids, ascending, distinct */
    size_t entity_count;      /* at least 2 */
    ng_span window;   /* bytes of the original file */
    ng_span text;     /* the window in the decoded text */
    uint32_t line;    /* 1-based line of the window's start */
} ng_evidence;

/** One line: {"doc", "window": [S, T], "line", "entities": [keys in key
 *  order], "snippet"}: every pair of the entities is linked by this window.
 *  The snippet is the window's text with white space folded, cut after about
 *  `snippet_bytes` bytes (0: whole). */
void ng_evidence_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *text,
                             const ng_evidence *ev, size_t snippet_bytes);
/** The window's text with white space folded, cut like the JSON snippet,
 *  written raw (for a terminal). */
void ng_evidence_write_snippet(FILE *out, const char *text, const ng_evidence *ev,
                               size_t snippet_bytes);

#endif
