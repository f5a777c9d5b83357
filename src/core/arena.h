/* arena.h: strings that live as long as their owner, freed all at once. */
#ifndef NG_ARENA_H
#define NG_ARENA_H

#include <stddef.h>

typedef struct ng_arena {
    char **blocks;
    size_t count, cap;
    char *cur;
    size_t left;
} ng_arena;

/** Copy `len` bytes of `s` plus a NUL; NULL (and NG_ENOMEM set) on failure. */
char *ng_arena_strndup(ng_arena *a, const char *s, size_t len);
void ng_arena_destroy(ng_arena *a);

#endif
