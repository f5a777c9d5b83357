/* nergraph/dcache.h: a cache of loaded dictionaries.
 *
 * Loading a large dictionary (200,000 aliases) parses, checks, normalises
 * and sorts for most of a second; its image maps in a few hundredths. An
 * image is a file beside the matcher's (mcache.h), one per dictionary
 * directory, holding the loaded dictionary (entities, facts, roles,
 * aliases with their normalised and cased forms, context rules, the index
 * by normalised text, where each definition is, the problems found) and
 * the key it was built for: the program build that wrote it (nergraph
 * version, image format and the program's build id, so that a rebuilt
 * program with other code never reads it), utf8proc's version, and a hash
 * of the names and bytes of every dictionary file, read again at each
 * start. An image is never trusted blindly: its size, a checksum and every
 * index and string offset are checked before use; a stale or damaged image
 * is replaced by a normal load and a new image (temporary file and rename).
 * A cache that cannot be written is skipped. `nergraph dict check` always
 * loads the files.
 */
#ifndef NERGRAPH_DCACHE_H
#define NERGRAPH_DCACHE_H

#include "nergraph/mcache.h"

/** The dictionary of `dict_dir`, as ng_dict_load_dir gives it, from its
 *  image in `cache_dir` when that is valid for the files as they are, else
 *  loaded and its image written there. `cache_dir` NULL: the default
 *  directory (ng_mcache_default_dir), written only from
 *  NG_MCACHE_MIN_PATTERNS aliases on; "": no cache. `how` (may be NULL)
 *  tells what happened. Errors: those of ng_dict_load_dir. */
ng_status ng_dcache_dict(ng_dict **out, const char *dict_dir, const char *cache_dir,
                         ng_mcache_result *how);

#endif
