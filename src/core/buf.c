/* buf.c: growable arrays. */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

ng_status ng_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return NG_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return ng_error_set(NG_ENOMEM, "out of memory");
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem)
        return ng_error_set(NG_ENOMEM, "out of memory");
    void *p = realloc(*ptr, ncap * elem);
    if (!p)
        return ng_error_set(NG_ENOMEM, "out of memory (%zu bytes)", ncap * elem);
    *ptr = p;
    *cap = ncap;
    return NG_OK;
}

char *ng_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) {
        ng_error_set(NG_ENOMEM, "out of memory");
        return NULL;
    }
    return memcpy(p, s, n);
}
