/* hash.h: 64-bit FNV-1a, for fingerprints of files and lines (not for
 * tables an adversary fills: there, mix the result). */
#ifndef NG_HASH_H
#define NG_HASH_H

#include <stddef.h>
#include <stdint.h>

#define NG_HASH_SEED 0xcbf29ce484222325ULL

static inline uint64_t ng_hash_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

#endif
