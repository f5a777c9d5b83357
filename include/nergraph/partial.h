/* nergraph/partial.h: counts that travel between processes and machines.
 *
 * A partial holds what `nergraph count` found in a shard of a corpus:
 * per document its mention and evidence lines and how often it names each
 * entity, per entity and per pair of entities their counts, and the totals.
 * It is text, one record a line, fields separated by tabs, the first field
 * the key, sorted by byte order (LC_ALL=C sort; tab and ',' sort below
 * every character of an entity key, so key order is line order), so that a Hadoop Streaming
 * or Spark job can sort, partition and reduce it as it does any other
 * key/value lines (docs/partials.md has the format):
 *
 *   #          nergraph-partial  1  dictionaries=HEX  window=W  ...   header
 *   d:DOC      0  text|binary  KEY=N,KEY=N...                         document
 *   d:DOC      mSEQ  {mention JSON}   |  vSEQ  {evidence JSON}
 *   e:KEY      mentions  documents  windows  first  last              entity
 *   p:KEY,KEY  windows  documents  first  last                        pair
 *   t          documents  windows                                     totals
 *   ~          lines  checksum                                        trailer
 *
 * Merging adds records of equal key with ng_entity_counts_add and
 * ng_pair_add, the rule that combines threads, so it is associative and
 * commutative: any split of a corpus, counted apart and merged in any order
 * or grouping, gives the counts of one run over the whole. The trailer's
 * line count and checksum (a sum of line hashes, so it survives sorting)
 * reveal truncation and damage; the header, partials of other dictionaries
 * or settings.
 */
#ifndef NERGRAPH_PARTIAL_H
#define NERGRAPH_PARTIAL_H

#include <stdio.h>

#include "nergraph/cooc.h"

#define NG_PARTIAL_VERSION 1

/** What changes counts: partials merge only when all of it is the same. */
typedef struct ng_partial_settings {
    uint64_t dictionaries; /* hash of the dictionary and suffix files */
    uint64_t config;       /* hash of the configuration file; 0: none */
    ng_window_spec window;
    int demonyms;
    char encoding[64];     /* declared for every document; "auto": detected */
} ng_partial_settings;

/** Writes partial lines, counting them and summing their hashes. */
typedef struct ng_partial_writer {
    FILE *out;
    uint64_t lines, checksum;
    char *line; /* the line being assembled */
    size_t line_len, line_cap;
} ng_partial_writer;

void ng_partial_writer_init(ng_partial_writer *w, FILE *out);
void ng_partial_writer_destroy(ng_partial_writer *w);
ng_status ng_partial_write_header(ng_partial_writer *w, const ng_partial_settings *s);
/** A document: `incidence` is "KEY=N,KEY=N" in key order, "" for none. */
ng_status ng_partial_write_document(ng_partial_writer *w, const char *doc, int binary,
                                    const char *incidence);
/** Line `seq` of a document's mentions (kind 'm') or evidence ('v'). */
ng_status ng_partial_write_document_line(ng_partial_writer *w, const char *doc, char kind,
                                         uint64_t seq, const char *json, size_t len);
ng_status ng_partial_write_entity(ng_partial_writer *w, const char *key,
                                  const ng_entity_counts *c);
ng_status ng_partial_write_pair(ng_partial_writer *w, const char *a, const char *b,
                                const ng_pair *p);
ng_status ng_partial_write_totals(ng_partial_writer *w, uint64_t documents, uint64_t windows);
/** The trailer; then flushes. Errors: NG_EIO when writing failed. */
ng_status ng_partial_write_trailer(ng_partial_writer *w);

/** Can `name` name a document of a partial? (No control characters: they
 *  would break the line format or its sort order.) */
int ng_partial_name_ok(const char *name);

/** What a merge reports, in key order; each callback may be NULL. The
 *  strings are valid during the call. */
typedef struct ng_partial_sink {
    /* once, with the settings of the first partial (`path`; all agree) */
    ng_status (*settings)(void *userdata, const ng_partial_settings *s, const char *path);
    ng_status (*document)(void *userdata, const char *doc, int binary, const char *incidence);
    ng_status (*document_line)(void *userdata, const char *doc, char kind, uint64_t seq,
                               const char *json, size_t len);
    ng_status (*entity)(void *userdata, const char *key, const ng_entity_counts *c);
    ng_status (*pair)(void *userdata, const char *a, const char *b, const ng_pair *p);
    ng_status (*totals)(void *userdata, uint64_t documents, uint64_t windows);
    void *userdata;
} ng_partial_sink;

/** Merge the partials in `paths` ("-": standard input; each sorted, as
 *  written by ng_partial_writer or by LC_ALL=C sort of such lines) into
 *  `sink`: one pass, memory independent of the size of the partials.
 *  Errors (message names the file and byte offset): NG_EPARSE for a
 *  malformed, unsorted, truncated or damaged partial, a document counted
 *  twice, and partials of other settings (names both files and what
 *  differs); NG_EIO. */
ng_status ng_partial_merge(const char *const *paths, size_t count, const ng_partial_sink *sink);

/** The sink that writes a merged partial to `w` (header and records; the
 *  caller writes the trailer). */
ng_partial_sink ng_partial_sink_writer(ng_partial_writer *w);

#endif
