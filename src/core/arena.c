/* arena.c: a bump allocator over 64 KiB blocks (bigger strings get their own). */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BLOCK 65536

char *ng_arena_strndup(ng_arena *a, const char *s, size_t len)
{
    if (len + 1 > a->left) {
        size_t size = len + 1 > BLOCK ? len + 1 : BLOCK;
        if (NG_GROW(a->blocks, a->cap, a->count + 1) != NG_OK)
            return NULL;
        char *b = malloc(size);
        if (!b) {
            ng_error_set(NG_ENOMEM, "out of memory");
            return NULL;
        }
        a->blocks[a->count++] = b;
        a->cur = b;
        a->left = size;
    }
    char *p = a->cur;
    memcpy(p, s, len);
    p[len] = '\0';
    a->cur += len + 1;
    a->left -= len + 1;
    return p;
}

void ng_arena_destroy(ng_arena *a)
{
    for (size_t i = 0; i < a->count; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof *a);
}
