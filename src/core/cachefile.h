/* cachefile.h: what the images of loaded dictionaries (dcache.c) and of
 * compiled matchers (mcache.c) share: where an image lives, the stamp that
 * says which program wrote it, a fast checksum, and mapping one. */
#ifndef NG_CACHEFILE_H
#define NG_CACHEFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The first bytes of every image: an image is used only by the program
 * build that wrote it (its GNU build id, so that a change of any code,
 * normalisation included, is seen even when the version string is not
 * bumped), on the same byte order, with the same utf8proc. */
typedef struct ng_cache_stamp {
    char magic[8];
    uint32_t format, byte_order;
    char version[24];
    unsigned char build_id[32];
    char utf8proc[16];
} ng_cache_stamp;

/** The stamp of this program for images of kind `magic` (7 characters)
 *  in layout `format`; 0 when the program has no build id (then no image
 *  can be told apart from one of another build, and none is used). */
int ng_cache_stamp_set(ng_cache_stamp *s, const char *magic, uint32_t format);

/** A checksum of `n` bytes at `p`, continuing from `h`: four independent
 *  lanes of a bijective word step (so changing any one word always changes
 *  the result), several bytes per cycle. */
uint64_t ng_cache_hash(uint64_t h, const void *p, size_t n);

/** The cache directory to use: `cache_dir` itself, or (NULL) the default
 *  one (ng_mcache_default_dir) into `buf`; NULL or "" means no cache.
 *  *implicit tells whether the default was taken. */
const char *ng_cache_dir(const char *cache_dir, char *buf, size_t cap, int *implicit);

/** The image of kind `kind` ("dict", "matcher") for the dictionary
 *  directory `dict_dir` (one per real path) in `cache_dir`; 0 on success. */
int ng_cache_slot(const char *cache_dir, const char *dict_dir, const char *kind, char *out,
                  size_t cap);

/** mkdir -p; 0 on success. */
int ng_cache_make_dirs(const char *dir);

/** Map all of the open file `f` read-only (pages read ahead); its size in
 *  *len. NULL on failure. */
void *ng_cache_map(FILE *f, size_t *len);

/** `len` bytes of zeroed memory (munmap to free), all pages present at once:
 *  one call instead of a page fault per 4 KiB. NULL on failure. */
void *ng_cache_alloc(size_t len);

#endif
