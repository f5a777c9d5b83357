/* nergraph/config.h: per-document settings (docs/configuration.md).
 *
 * A JSON file, by default nergraph.json in the working directory when it
 * exists, names documents (or directories, with a trailing '/') and what
 * nergraph should know of them: their encoding and their date.
 *
 *   {"nergraph_config": 1,
 *    "documents": {"corpus/legacy/": {"encoding": "CP1251"},
 *                  "corpus/001_d03401478060978b.txt": {"date": "2019-04-23"}}}
 *
 * The longest matching entry decides each setting.
 */
#ifndef NERGRAPH_CONFIG_H
#define NERGRAPH_CONFIG_H

#include "nergraph/common.h"

typedef struct ng_config ng_config; /* opaque */

/** Load `path`. Errors name the file and line:col: NG_EIO, NG_EPARSE
 *  (unknown members, a date not YYYY-MM-DD, an encoding iconv does not
 *  know). */
ng_status ng_config_load(ng_config **out, const char *path);
void ng_config_free(ng_config *c);

/** The settings for document `doc` (the path as given); NULL where none
 *  applies. `c` may be NULL. Borrowed while `c` lives. */
const char *ng_config_encoding(const ng_config *c, const char *doc);
const char *ng_config_date(const ng_config *c, const char *doc);

#endif
