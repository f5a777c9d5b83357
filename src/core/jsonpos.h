/* jsonpos.h: where in a JSON text a value is, for error messages.
 *
 * cJSON keeps no positions, so on an error the loader walks the source again
 * along the path of the offending value. Only used when reporting. Every
 * JSON file nergraph reads is parsed by ng_json_parse, which bounds nesting.
 */
#ifndef NG_JSONPOS_H
#define NG_JSONPOS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "nergraph/common.h"

/** One step of a path: an object member (`key` non-NULL) or an array index. */
typedef struct ng_json_step {
    const char *key;
    size_t index;
} ng_json_step;

/** Byte offset of the value at `path` in `src` (the n-th member named `key`
 *  when `occurrence` > 0 at the last step, to find duplicates); the offset of
 *  the deepest value reached if the path is not found. */
size_t ng_json_locate(const char *src, size_t len, const ng_json_step *path, size_t depth,
                      size_t occurrence);

/** Parse the JSON text of file `path` (a `what`: "dictionary", ...) into
 *  *out, to be freed with cJSON_Delete. Errors name path:line:col, lines
 *  counted from `line_base` + 1 (the text may be one line of a file):
 *  NG_ELIMIT when arrays and objects nest deeper than NG_MAX_JSON_DEPTH,
 *  NG_EPARSE for invalid JSON or text after the value. */
ng_status ng_json_parse(const char *src, size_t len, const char *path, size_t line_base,
                        const char *what, cJSON **out);

/** 1-based line and column (in characters) of byte offset `off`. */
void ng_json_line_col(const char *src, size_t len, size_t off, size_t *line, size_t *col);

#endif
