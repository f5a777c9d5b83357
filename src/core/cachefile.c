/* cachefile.c: the parts of an image file both caches share. */
#define _GNU_SOURCE
#include "cachefile.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "nergraph/mcache.h"

#define BYTE_ORDER_MARK 0x01020304u

typedef struct build_id {
    unsigned char bytes[32];
    size_t len;
} build_id;

/* The GNU build id note of the program (the first object listed), whose
 * code includes this library (linked statically). */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    build_id *out = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            const char *name = p + sizeof *n;
            const unsigned char *desc = (const unsigned char *)name + ((n->n_namesz + 3) & ~3u);
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
                n->n_descsz <= sizeof out->bytes && (const char *)desc + n->n_descsz <= end) {
                memcpy(out->bytes, desc, n->n_descsz);
                out->len = n->n_descsz;
                return 1;
            }
            p = (const char *)desc + ((n->n_descsz + 3) & ~3u);
        }
    }
    return 1; /* the program only */
}

int ng_cache_stamp_set(ng_cache_stamp *s, const char *magic, uint32_t format)
{
    memset(s, 0, sizeof *s);
    memcpy(s->magic, magic, strlen(magic) < sizeof s->magic ? strlen(magic) : sizeof s->magic);
    s->format = format;
    s->byte_order = BYTE_ORDER_MARK;
    snprintf(s->version, sizeof s->version, "%s", ng_version());
    snprintf(s->utf8proc, sizeof s->utf8proc, "%s", utf8proc_version());
    build_id id = {{0}, 0};
    dl_iterate_phdr(find_build_id, &id);
    memcpy(s->build_id, id.bytes, sizeof s->build_id);
    return id.len > 0;
}

/* One step of a lane: a bijection of `h` for any word, injective in the
 * word (multiply by an odd number, rotate). */
static inline uint64_t mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    return h << 27 | h >> 37;
}

static inline uint64_t word(const unsigned char *b)
{
    uint64_t w;
    memcpy(&w, b, sizeof w);
    return w;
}

uint64_t ng_cache_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    /* four scalar lanes: the multiplies overlap (vectorised 64-bit
     * multiplies are slower on SSE2) */
    uint64_t l0 = h, l1 = h + 1, l2 = h + 2, l3 = h + 3, len = n;
    for (; n >= 32; n -= 32, b += 32) {
        l0 = mix(l0, word(b));
        l1 = mix(l1, word(b + 8));
        l2 = mix(l2, word(b + 16));
        l3 = mix(l3, word(b + 24));
    }
    h = mix(mix(mix(l0, l1), l2), l3);
    for (; n >= 8; n -= 8, b += 8)
        h = mix(h, word(b));
    uint64_t tail = 0;
    if (n) /* b may be NULL for an empty section */
        memcpy(&tail, b, n);
    return mix(mix(h, tail), len);
}

const char *ng_cache_dir(const char *cache_dir, char *buf, size_t cap, int *implicit)
{
    *implicit = cache_dir == NULL;
    return cache_dir ? cache_dir : ng_mcache_default_dir(buf, cap);
}

int ng_cache_slot(const char *cache_dir, const char *dict_dir, const char *kind, char *out,
                  size_t cap)
{
    char real[PATH_MAX];
    if (!realpath(dict_dir, real))
        return -1;
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *c = real; *c; c++)
        h = (h ^ (unsigned char)*c) * 0x100000001B3ull;
    return (size_t)snprintf(out, cap, "%s/%s-%016llx.img", cache_dir, kind,
                            (unsigned long long)h) < cap
               ? 0
               : -1;
}

int ng_cache_make_dirs(const char *dir)
{
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s", dir) >= sizeof p)
        return -1;
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

void *ng_cache_map(FILE *f, size_t *len)
{
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size <= 0)
        return NULL;
    /* populated at once: one call instead of a page fault per 4 KiB */
    void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
                     fileno(f), 0);
    if (map == MAP_FAILED)
        return NULL;
    *len = (size_t)sb.st_size;
    return map;
}

void *ng_cache_alloc(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}
