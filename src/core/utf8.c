/* utf8.c: UTF-8 helpers. */
#include "utf8.h"

#include <string.h>
#include <utf8proc.h>

#ifdef __SSE2__
/* How many bytes from `u` (16 readable) are whole ASCII characters and
 * two-byte sequences (English, Cyrillic, Turkish): 16; 15 when the last is
 * a lead byte; fewer where something else starts, valid or not. */
static size_t ascii_and_pairs(const unsigned char *u)
{
    __m128i v = _mm_loadu_si128((const __m128i *)u);
    unsigned high = (unsigned)_mm_movemask_epi8(v);
    if (!high)
        return 16;
    unsigned lead = (unsigned)_mm_movemask_epi8(ng_bytes_in_range(v, 0xC2, 0xDF));
    unsigned cont = (unsigned)_mm_movemask_epi8(ng_bytes_in_range(v, 0x80, 0xBF));
    unsigned bad =
        (high & ~(lead | cont)) | (cont & ~(lead << 1)) | (lead & ~(cont >> 1) & 0x7FFF);
    return bad ? (size_t)__builtin_ctz(bad) : 16 - (lead >> 15);
}
#endif

size_t ng_utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        for (size_t k = 1; k && i + 16 <= n; i += k)
            k = ascii_and_pairs(u + i);
#else
        uint64_t w; /* ASCII runs eight bytes at a time */
        while (i + 8 <= n && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080ull)))
            i += 8;
#endif
        if (i >= n)
            break;
        int32_t cp;
        size_t len = ng_utf8_decode(u + i, n - i, &cp);
        if (!len)
            break;
        i += len;
    }
    return i;
}

static int is_word_category(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO; /* L*, M*, N* */
}

/* Word characters of the BMP, one bit each (8 KB), built by ng_utf8_init:
 * the matcher and the tokens ask for every character of a text, and
 * utf8proc's category look-up costs more than the rest of the test. */
static uint8_t bmp_word[0x10000 / 8];
static int bmp_word_ready;

void ng_utf8_init(void)
{
    if (bmp_word_ready)
        return;
    for (int32_t cp = 0; cp < 0x10000; cp++)
        if (is_word_category(cp))
            bmp_word[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    bmp_word_ready = 1;
}

int ng_utf8_is_word(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp < 0x10000 && bmp_word_ready)
        return bmp_word[cp >> 3] >> (cp & 7) & 1;
    return is_word_category(cp);
}
