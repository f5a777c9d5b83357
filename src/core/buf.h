/* buf.h: growable arrays, and whole small files. Capacity doubles, so appends are amortised O(1)
 * and buffers reused across documents stop allocating once warm. */
#ifndef NG_BUF_H
#define NG_BUF_H

#include <stddef.h>

#include "nergraph/error.h"

/** Make room for `need` elements of `elem` bytes in *ptr (capacity *cap).
 *  Errors: NG_ENOMEM (message set). */
ng_status ng_grow(void **ptr, size_t *cap, size_t need, size_t elem);

#define NG_GROW(ptr, cap, need) ng_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

/** strdup that records NG_ENOMEM. */
char *ng_strdup(const char *s);

/** Read all of `path` (at most `max` bytes) into a malloc'd buffer.
 *  Errors: NG_EIO, NG_ELIMIT, NG_ENOMEM (message names the path). */
ng_status ng_read_file(const char *path, size_t max, char **out, size_t *out_len);

#endif
