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
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k)
            break;
        i += k;
    }
    return i;
}

int ng_utf8_is_word(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO; /* L*, M*, N* */
}
