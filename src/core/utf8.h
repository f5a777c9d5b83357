/* utf8.h: one strict UTF-8 decoder for the whole library (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
#ifndef NG_UTF8_H
#define NG_UTF8_H

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>

/** The bytes of `v` in [lo, hi] as 0xFF, the others 0: an unsigned range
 *  test by one signed compare of the distance from lo, shifted by 128. */
static inline __m128i ng_bytes_in_range(__m128i v, unsigned char lo, unsigned char hi)
{
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8((char)(lo + 128)));
    return _mm_cmplt_epi8(d, _mm_set1_epi8((char)(hi - lo - 127)));
}
#endif

/** Decode the character at `s` (at most `n` bytes). Returns its length in
 *  bytes and stores it in *cp, or returns 0 for an invalid or truncated
 *  sequence (then *cp = -1). `n` must be at least 1. */
static inline size_t ng_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    size_t len;
    int32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = -1;
        return 0;
    }
    if (n < len) {
        *cp = -1;
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 0;
    }
    *cp = v;
    return len;
}

/** Encode `cp` (a valid scalar value) into `out` (4 bytes); returns the length. */
static inline size_t ng_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/** Length of the longest valid UTF-8 prefix of `s`. */
size_t ng_utf8_valid_prefix(const char *s, size_t n);

/** Start of the character that ends just before offset `i` (> 0) of UTF-8 `s`. */
static inline size_t ng_utf8_prev(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

/** A letter, a combining mark or a digit (Unicode L*, M*, N*): what a word,
 *  a token, is made of. */
int ng_utf8_is_word(int32_t cp);

/** Build the table ng_utf8_is_word reads (called by ng_init; before it, the
 *  test asks utf8proc). */
void ng_utf8_init(void);

#endif
