/* nergraph/mcache.h: a cache of compiled matchers.
 *
 * Compiling the automaton of a large dictionary (200,000 aliases) takes
 * about a second; loading its image takes a few hundredths. An image is a
 * file in the cache directory, one per dictionary directory (named by a hash
 * of its real path), holding the automaton and the key it was built for:
 * the program build that wrote it (nergraph version, image format, the
 * program's build id, utf8proc's version), the hash of the dictionary files
 * (ng_dict_hash) and the patterns the dictionary and the ending tables give
 * (compared in full, so a change of either is seen). An image is never
 * trusted blindly: its size, checksum, patterns and the automaton's
 * structure (every index in range, every failure and output link to an
 * earlier state, states numbered by depth) are checked before use; a stale or damaged image is rebuilt and replaced atomically
 * (temporary file and rename). A cache that cannot be written is skipped.
 */
#ifndef NERGRAPH_MCACHE_H
#define NERGRAPH_MCACHE_H

#include "nergraph/matcher.h"

typedef enum ng_mcache_result {
    NG_MCACHE_OFF,     /* no cache: built */
    NG_MCACHE_HIT,     /* loaded from a valid image */
    NG_MCACHE_STORED,  /* no image yet: built and stored */
    NG_MCACHE_REBUILT, /* the image was stale or damaged: built and replaced */
    NG_MCACHE_UNWRITABLE /* built; the image could not be written */
} ng_mcache_result;

/** Patterns from which the default cache is used; smaller dictionaries
 *  compile in milliseconds. */
#define NG_MCACHE_MIN_PATTERNS 20000

/** The default cache directory: $NERGRAPH_CACHE_DIR if set (empty: no
 *  cache), else $XDG_CACHE_HOME/nergraph, else $HOME/.cache/nergraph, else
 *  none (NULL). */
const char *ng_mcache_default_dir(char *buf, size_t cap);

/** A matcher for `dict` and `suffixes` (as ng_matcher_new), loaded from the
 *  image for `dict_dir` in `cache_dir` when it is valid, else built and its
 *  image written there. `cache_dir` NULL: the default directory, used only
 *  from NG_MCACHE_MIN_PATTERNS patterns on; "": no cache. `how` (may be
 *  NULL) tells what happened. Errors: those of ng_matcher_new. */
ng_status ng_mcache_matcher(ng_matcher **out, const ng_dict *dict, const ng_suffixes *suffixes,
                            const char *dict_dir, const char *cache_dir, ng_mcache_result *how);

#endif
