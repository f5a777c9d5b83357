/* nergraph/normalize.h: stage 3, the matching form of a text.
 *
 * NFKC with case folding, done per code point through a table built once by
 * ng_init() with utf8proc (not utf8proc on the hot path), plus the folds that
 * make variants meet: Turkish İ/ı to i, ё to е, apostrophe look-alikes to ',
 * dashes to -, typographic quotes to ", soft hyphens and zero-width
 * characters dropped, every run of white space to one space, and in a word
 * that mixes Latin and Cyrillic letters the look-alikes read in the word's
 * script ("Kаzаkһstаn" with Cyrillic а and һ is kazakhstan). Dictionary
 * aliases go through the same function, so both sides agree.
 *
 * Each output byte carries the decoded offset of the character it came from.
 */
#ifndef NERGRAPH_NORMALIZE_H
#define NERGRAPH_NORMALIZE_H

#include "nergraph/common.h"

enum {
    NG_NORM_FOLD = 1 << 0,     /* case folding; without it case is kept (for case-sensitive aliases) */
    NG_NORM_REFERENCE = 1 << 1 /* no fast paths: one code point at a time, and look-alikes
                                  read by a pass over the whole output, word by word; the
                                  same result, slower (for tests that compare the two) */
};

typedef struct ng_norm {
    char *data;     /* normalised UTF-8 */
    size_t len;
    uint32_t *map;  /* map[i]: decoded offset of the character that produced byte i;
                       map[len]: the end of the input */
    size_t cap;
} ng_norm;

/** Normalise `len` bytes of valid UTF-8 into `out` (contents replaced, storage
 *  reused). Time: O(len). Errors: NG_ENOMEM, NG_ELIMIT (output over 4 GiB). */
ng_status ng_normalize(ng_norm *out, const char *text, size_t len, unsigned flags);
void ng_norm_destroy(ng_norm *n);

/** Decoded offset of the character that produced normalised byte `i`
 *  (0 <= i <= len; at len, the end of the input). */
static inline uint32_t ng_norm_decoded(const ng_norm *n, size_t i)
{
    return n->map[i];
}

/** Decoded end offset of the character that produced normalised byte `i`. */
size_t ng_norm_source_end(const ng_norm *n, const char *text, size_t text_len, size_t i);

/** Build the folding tables (called by ng_init). */
ng_status ng_normalize_init(void);

#endif
