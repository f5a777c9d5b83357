/* utf8.c: UTF-8 helpers. */
#include "utf8.h"

#include <string.h>
#include <utf8proc.h>

size_t ng_utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            /* ASCII runs eight bytes at a time */
            uint64_t w;
            while (i + 8 <= n && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080ull)))
                i += 8;
            while (i < n && u[i] < 0x80)
                i++;
            continue;
        }
        if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            i += 2; /* two bytes (Cyrillic, Turkish letters): valid whatever they are */
            continue;
        }
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k)
            break;
        i += k;
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
