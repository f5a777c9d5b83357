/* normalize_internal.h: the fold tables of normalize.c, for the test that
 * compares the tables ng_normalize_init builds with those built without
 * shortcuts. See normalize.c for how they are used. */
#ifndef NG_NORMALIZE_INTERNAL_H
#define NG_NORMALIZE_INTERNAL_H

#include "nergraph/normalize.h"

#define NG_BMP 0x10000

/* What a code point's normalised form does to the script of a word: it is
 * one character of no script (ends the word), of Latin or Cyrillic script,
 * or anything else, for which the bytes are looked at one by one. */
enum { SCRIPT_NONE = 0, SCRIPT_LATIN = 1, SCRIPT_CYRILLIC = 2, SCRIPT_BYTES = 3 };

typedef struct ng_fold_table {
    uint32_t entry[NG_BMP]; /* pool offset << 8 | byte length */
    uint8_t script[NG_BMP]; /* SCRIPT_*; SCRIPT_BYTES also when the form holds a space */
    uint8_t space[NG_BMP / 8];
    uint8_t ascii[0x80]; /* the byte an ASCII character becomes, when it is one word or
                            punctuation byte (not a space, not a hyphen); else 0 */
    uint32_t two[0x800]; /* for a two-byte character whose form is one character of one or
                            two bytes, not white space nor a hyphen: the form's bytes |
                            script << 16 | length << 20; else 0 */
    char *pool;
    size_t pool_len, pool_cap;
} ng_fold_table;

/** Fill a zeroed table for `flags`: NG_NORM_FOLD, and NG_NORM_REFERENCE to
 *  normalise every code point with utf8proc, without shortcuts. The result
 *  is the same either way. Errors: NG_ENOMEM. */
ng_status ng_fold_table_build(ng_fold_table *t, unsigned flags);
void ng_fold_table_destroy(ng_fold_table *t);

#endif
