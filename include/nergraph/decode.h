/* nergraph/decode.h: stage 2, raw bytes to UTF-8 with a map back to them.
 *
 * UTF-8 input (the common case) is used in place and mapped by a constant
 * shift (the BOM); anything else (a UTF-16/32 BOM, a declared legacy
 * encoding, invalid UTF-8 replaced by U+FFFD) is converted and gets a
 * per-byte map, so every offset of the decoded text leads back to the byte of
 * the original file where its character starts.
 */
#ifndef NERGRAPH_DECODE_H
#define NERGRAPH_DECODE_H

#include "nergraph/common.h"

typedef struct ng_text {
    const char *data;  /* valid UTF-8, not NUL-terminated; borrowed or `own` */
    size_t len;
    size_t source_len; /* length of the original bytes */
    uint32_t shift;    /* when map == NULL: source offset = offset + shift */
    uint32_t *map;     /* else map[i] = source offset of decoded byte i; map[len] = source_len */
    const char *encoding; /* what was used: "UTF-8", "UTF-16LE", "CP1251", ... */
    size_t replaced;   /* number of U+FFFD substitutions */
    /* owned storage, reused across documents */
    char *own;
    size_t own_cap;
    uint32_t *map_own;
    size_t map_cap;
} ng_text;

/** Decode `len` bytes of `src` (which must outlive `out` when it is valid
 *  UTF-8, as it is then used in place). `encoding` NULL means: the BOM if
 *  any; else UTF-8 if valid; else a guess, named in a warning: UTF-16 from
 *  the pattern of NUL bytes, or, when invalid sequences are not rare, the
 *  most plausible of CP1251, KOI8-R, RK1048, PT154 and CP1254 by letter
 *  frequencies; else (damaged UTF-8, or declared UTF-8) invalid bytes are
 *  replaced by U+FFFD with one warning naming `docname` and the first byte
 *  offset. Supported declared encodings:
 *  UTF-8, UTF-16LE/BE, UTF-32LE/BE, and single-byte ones glibc's iconv knows
 *  (CP1251, KOI8-R, RK1048 alias KZ-1048, PT154, ISO-8859-9, CP1254, ...).
 *  Errors: NG_EINVAL (unknown encoding), NG_ENOMEM. */
ng_status ng_decode(ng_text *out, const char *src, size_t len, const char *encoding,
                    const char *docname);

/** Does `src` look like a binary file rather than text: NUL bytes that are
 *  not the pattern of UTF-16 or UTF-32, or many control bytes, in its
 *  first 64 KiB? (Text with a few stray NULs is still text.) */
int ng_decode_is_binary(const char *src, size_t len);

/** The offset in the original bytes of decoded offset `off` (0..len). */
static inline uint32_t ng_text_source_offset(const ng_text *t, size_t off)
{
    return t->map ? t->map[off] : (uint32_t)off + t->shift;
}

void ng_text_destroy(ng_text *t);

#endif
