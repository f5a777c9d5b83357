/* buf.c: growable arrays. */
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* A whole (small) file: dictionaries, ending tables, the configuration. */
ng_status ng_read_file(const char *path, size_t max, char **out, size_t *out_len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ng_status st = NG_OK;
    struct stat sb; /* a file over the limit is refused before a byte is read */
    if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max) {
        fclose(fp);
        return ng_error_set(NG_ELIMIT, "%s: larger than %zu bytes", path, max);
    }
    for (;;) {
        if ((st = NG_GROW(buf, cap, len + 65536)) != NG_OK)
            break;
        size_t n = fread(buf + len, 1, cap - len, fp);
        len += n;
        if (len > max) {
            st = ng_error_set(NG_ELIMIT, "%s: larger than %zu bytes", path, max);
            break;
        }
        if (n == 0) {
            if (ferror(fp))
                st = ng_error_set(NG_EIO, "%s: read failed", path);
            break;
        }
    }
    fclose(fp);
    if (st != NG_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *out_len = len;
    return NG_OK;
}
