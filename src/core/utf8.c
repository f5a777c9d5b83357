/* utf8.c: UTF-8 helpers. */
#include "utf8.h"

#include <string.h>

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
