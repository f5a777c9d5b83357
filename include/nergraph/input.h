/* nergraph/input.h: stage 1, which documents to read and their bytes.
 *
 * Paths name files or directories (read recursively; names starting with '.'
 * skipped) or "-" for standard input. The list is sorted by byte order of the
 * path, so the corpus is read in the same order whatever the file system says
 * or the order of the arguments, and a path named twice is read once.
 */
#ifndef NERGRAPH_INPUT_H
#define NERGRAPH_INPUT_H

#include "nergraph/common.h"

typedef struct ng_source_list {
    char **paths;
    size_t count;
    size_t cap;
} ng_source_list;

/** Expand `paths` into `out` (appended, the new paths sorted, duplicates dropped).
 *  Errors: NG_EIO (missing path, unreadable directory), NG_ENOMEM. */
ng_status ng_input_collect(ng_source_list *out, const char *const *paths, size_t path_count);
void ng_source_list_destroy(ng_source_list *list);

/** A reusable byte buffer for a document's raw bytes. */
typedef struct ng_bytes {
    char *data;
    size_t len;
    size_t cap;
} ng_bytes;

/** Read all of `path` ("-" = standard input) into `buf`, replacing its
 *  contents. Errors: NG_EIO, NG_ELIMIT (over NG_MAX_DOCUMENT_BYTES), NG_ENOMEM. */
ng_status ng_input_read(ng_bytes *buf, const char *path);
void ng_bytes_destroy(ng_bytes *buf);

/** Documents given as JSON Lines, one a line: {"doc": NAME, "text": TEXT}
 *  (other members ignored; blank lines skipped), as Hadoop Streaming and
 *  Spark's RDD.pipe feed them. Mention offsets then count UTF-8 bytes of
 *  TEXT. */
typedef struct ng_jsonl_reader {
    const char *path; /* for messages; "-": standard input */
    void *fp;
    char *line;
    size_t line_cap;
    uint64_t line_no;
} ng_jsonl_reader;

/** A document read from JSON Lines; name and text owned by `record`. */
typedef struct ng_jsonl_document {
    const char *name;
    const char *text;
    size_t len;
    void *record; /* the parsed line (cJSON) */
} ng_jsonl_document;

ng_status ng_jsonl_open(ng_jsonl_reader *r, const char *path);
/** The next document into `doc` (its previous record freed); *done at the
 *  end. Errors: NG_EPARSE with path:line:column, NG_ELIMIT, NG_EIO. */
ng_status ng_jsonl_next(ng_jsonl_reader *r, ng_jsonl_document *doc, int *done);
void ng_jsonl_document_clear(ng_jsonl_document *doc);
void ng_jsonl_close(ng_jsonl_reader *r);

#endif
