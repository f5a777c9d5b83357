/* nergraph/input.h: stage 1, which documents to read and their bytes.
 *
 * Paths name files or directories (read recursively; names starting with '.'
 * skipped) or "-" for standard input. The list is sorted by byte order of the
 * path, so the corpus is read in the same order whatever the file system says.
 */
#ifndef NERGRAPH_INPUT_H
#define NERGRAPH_INPUT_H

#include "nergraph/common.h"

typedef struct ng_source_list {
    char **paths;
    size_t count;
    size_t cap;
} ng_source_list;

/** Expand `paths` into `out` (appended, then sorted within each argument).
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

#endif
