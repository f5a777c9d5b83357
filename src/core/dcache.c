/* dcache.c: images of loaded dictionaries, checked before use.
 *
 * An image is a header and fixed-size records in a fixed order (see
 * sizes()): the strings (each NUL-terminated), then entities, facts,
 * aliases, context rules and their phrases, which name strings by offset and
 * one another by index, then the alias index by normalised text, the
 * origins and the problems. Loading maps the file, checks its stamp, the key
 * (the files are read and hashed again), its size and checksum, and turns
 * offsets into pointers, checking each: a string offset must fall inside
 * the strings and a length must end on a NUL there, an index must be in
 * range, and an alias chain (same_first, same_next) must go forward, so
 * that no damaged or foreign image leads a reader out of bounds or into a
 * loop. The records are copied into the structures dict.h hands out (three
 * allocations in all); strings, index and origins stay in the mapping.
 */
#include "nergraph/dcache.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cachefile.h"
#include "dict_internal.h"
#include "outfile.h"

#define FORMAT 1 /* bump when the records' layout or meaning changes */
#define NONE UINT32_MAX

typedef struct header {
    ng_cache_stamp stamp;
    uint64_t key, dict_hash;
    uint32_t files, entities, aliases, facts, rules, phrases, problems, unused;
    uint64_t strings, payload, checksum;
} header;

typedef struct rec_entity {
    uint32_t key, label, roles, category, fact_first, fact_count;
} rec_entity;

typedef struct rec_fact {
    uint32_t name, value;
} rec_fact;

typedef struct rec_alias {
    uint32_t entity, flags, text, lang, norm, norm_len, cased, cased_len, context, same_first,
        same_next, defined;
} rec_alias;

typedef struct rec_rule {
    uint32_t first, require_count, exclude_count, window;
    int32_t side;
} rec_rule;

typedef struct rec_phrase {
    uint32_t norm, len, prefix;
} rec_phrase;

typedef struct rec_problem {
    uint32_t file, text; /* the message after the file's path */
} rec_problem;

enum {
    S_STRINGS,
    S_ENTITIES,
    S_FACTS,
    S_ALIASES,
    S_RULES,
    S_PHRASES,
    S_BY_NORM,
    S_ORIGINS,
    S_ALIAS_ORIGINS,
    S_PROBLEMS,
    SECTIONS
};

/* Sections start at multiples of 8 bytes, so mapped records are aligned. */
static size_t padded(size_t bytes) { return (bytes + 7) & ~(size_t)7; }

/* The bytes of each section, from the header's counts (strings: at most
 * 4 GiB, checked by the caller). */
static void sizes(const header *h, size_t bytes[SECTIONS])
{
    bytes[S_STRINGS] = (size_t)h->strings;
    bytes[S_ENTITIES] = (size_t)h->entities * sizeof(rec_entity);
    bytes[S_FACTS] = (size_t)h->facts * sizeof(rec_fact);
    bytes[S_ALIASES] = (size_t)h->aliases * sizeof(rec_alias);
    bytes[S_RULES] = (size_t)h->rules * sizeof(rec_rule);
    bytes[S_PHRASES] = (size_t)h->phrases * sizeof(rec_phrase);
    bytes[S_BY_NORM] = (size_t)h->aliases * sizeof(uint32_t);
    bytes[S_ORIGINS] = (size_t)h->entities * sizeof(ng_dict_origin);
    bytes[S_ALIAS_ORIGINS] = (size_t)h->aliases * sizeof(ng_dict_origin);
    bytes[S_PROBLEMS] = (size_t)h->problems * sizeof(rec_problem);
}

/* The checksum of the header (without its checksum) and the sections. */
static uint64_t checksum(const header *h, const void *const p[SECTIONS],
                         const size_t bytes[SECTIONS])
{
    uint64_t sum = ng_cache_hash(0, h, offsetof(header, checksum));
    for (int i = 0; i < SECTIONS; i++)
        sum = ng_cache_hash(sum, p[i], bytes[i]);
    return sum;
}

/* ---- writing ---- */

typedef struct strings {
    char *data;
    size_t len, cap;
    int full; /* past 4 GiB: offsets would not fit, no image */
} strings;

/* Offset of a copy of `s` (`n` bytes and a NUL), NONE for NULL. */
static uint32_t put(strings *t, const char *s, size_t n)
{
    if (!s)
        return NONE;
    if (t->full || t->len + n + 1 >= NONE || NG_GROW(t->data, t->cap, t->len + n + 1) != NG_OK) {
        t->full = 1;
        return NONE;
    }
    uint32_t at = (uint32_t)t->len;
    memcpy(t->data + t->len, s, n);
    t->data[t->len + n] = '\0';
    t->len += n + 1;
    return at;
}

static uint32_t put_string(strings *t, const char *s) { return put(t, s, s ? strlen(s) : 0); }

/* put, or the offset `at` of `prev` (`prev_len` bytes) when it is the same
 * string: an alias's text, cased and folded forms are often equal. */
static uint32_t put_again(strings *t, const char *s, size_t n, const char *prev, size_t prev_len,
                          uint32_t at)
{
    return n == prev_len && memcmp(s, prev, n) == 0 ? at : put(t, s, n);
}

/* The records of `d` into the arrays of `p` (allocated here; the caller
 * frees p[S_ENTITIES..S_PHRASES] and p[S_PROBLEMS]) and the strings into
 * *t; the counts into `h`. */
static ng_status make_records(const ng_dict *d, header *h, void *p[SECTIONS], strings *t)
{
    size_t E = d->entity_count, A = d->alias_count, F = d->fact_count, Q = d->problem_count;
    size_t R = 0, P = 0;
    for (size_t i = 0; i < A; i++)
        if (d->aliases[i].context) {
            R++;
            P += d->aliases[i].context->require_count + d->aliases[i].context->exclude_count;
        }
    rec_entity *ent = malloc((E ? E : 1) * sizeof *ent);
    rec_fact *fact = malloc((F ? F : 1) * sizeof *fact);
    rec_alias *al = malloc((A ? A : 1) * sizeof *al);
    rec_rule *rule = malloc((R ? R : 1) * sizeof *rule);
    rec_phrase *phrase = malloc((P ? P : 1) * sizeof *phrase);
    rec_problem *problem = malloc((Q ? Q : 1) * sizeof *problem);
    p[S_ENTITIES] = ent, p[S_FACTS] = fact, p[S_ALIASES] = al;
    p[S_RULES] = rule, p[S_PHRASES] = phrase, p[S_PROBLEMS] = problem;
    if (!ent || !fact || !al || !rule || !phrase || !problem)
        return ng_error_set(NG_ENOMEM, "out of memory");
    for (size_t i = 0; i < E; i++) {
        const ng_entity *e = &d->entities[i];
        ent[i] = (rec_entity){put_string(t, e->key), put_string(t, e->label),
                              put_string(t, e->roles), (uint32_t)e->category,
                              e->fact_count ? (uint32_t)(e->facts - d->facts) : 0,
                              (uint32_t)e->fact_count};
    }
    for (size_t i = 0; i < F; i++)
        fact[i] = (rec_fact){put_string(t, d->facts[i].name), put_string(t, d->facts[i].value)};
    R = P = 0;
    for (size_t i = 0; i < A; i++) {
        const ng_alias *a = &d->aliases[i];
        uint32_t lang = 0;
        while (lang < NG_DICT_LANGUAGES && ng_dict_languages[lang] != a->lang)
            lang++;
        uint32_t text = put_string(t, a->text);
        uint32_t cased = put_again(t, a->cased, a->cased_len, a->text, strlen(a->text), text);
        uint32_t norm = put_again(t, a->norm, a->norm_len, a->cased, a->cased_len, cased);
        al[i] = (rec_alias){a->entity, a->flags, text, lang, norm, (uint32_t)a->norm_len,
                            cased, (uint32_t)a->cased_len, a->context ? (uint32_t)R : NONE,
                            a->same_first, a->same_next, a->defined};
        const ng_alias_context *c = a->context;
        if (!c)
            continue;
        rule[R++] = (rec_rule){(uint32_t)P, (uint32_t)c->require_count,
                               (uint32_t)c->exclude_count, c->window, c->side};
        for (size_t k = 0; k < c->require_count + c->exclude_count; k++) {
            const ng_phrase *ph = k < c->require_count ? &c->require[k]
                                                       : &c->exclude[k - c->require_count];
            phrase[P++] = (rec_phrase){put(t, ph->norm, ph->len), (uint32_t)ph->len,
                                       (uint32_t)ph->prefix};
        }
    }
    for (size_t i = 0; i < Q; i++) {
        uint32_t file = d->problem_file[i];
        problem[i] = (rec_problem){file, put_string(t, d->problems[i] + strlen(d->paths[file]))};
    }
    if (t->full)
        return ng_error_set(NG_ELIMIT, "dictionary strings past 4 GiB: no image");
    h->files = (uint32_t)d->path_count;
    h->entities = (uint32_t)E;
    h->aliases = (uint32_t)A;
    h->facts = (uint32_t)F;
    h->rules = (uint32_t)R;
    h->phrases = (uint32_t)P;
    h->problems = (uint32_t)Q;
    h->strings = t->len;
    return NG_OK;
}

static ng_status write_image(const ng_dict *d, const header *want, const char *path)
{
    header h = *want;
    h.key = d->key;
    h.dict_hash = d->hash;
    void *p[SECTIONS] = {0};
    strings t = {0};
    ng_status st = make_records(d, &h, p, &t);
    ng_outfile f = {0};
    if (st == NG_OK) {
        p[S_STRINGS] = t.data;
        p[S_BY_NORM] = d->by_norm;
        p[S_ORIGINS] = d->origin;
        p[S_ALIAS_ORIGINS] = d->alias_origin;
        size_t bytes[SECTIONS];
        sizes(&h, bytes);
        for (int i = 0; i < SECTIONS; i++)
            h.payload += padded(bytes[i]);
        h.checksum = checksum(&h, (const void *const *)p, bytes);
        if ((st = ng_outfile_open(&f, path)) == NG_OK) {
            static const char zeros[8];
            fwrite(&h, sizeof h, 1, f.fp);
            for (int i = 0; i < SECTIONS; i++)
                if (bytes[i]) {
                    fwrite(p[i], 1, bytes[i], f.fp);
                    fwrite(zeros, 1, padded(bytes[i]) - bytes[i], f.fp);
                }
            st = ng_outfile_commit(&f);
        }
    }
    free(t.data);
    for (int i = S_ENTITIES; i <= S_PHRASES; i++)
        free(p[i]);
    free(p[S_PROBLEMS]);
    return st;
}

/* ---- reading ---- */

/* The key of the files as they are now into *key; 0 if one cannot be read
 * (or changes size meanwhile). One buffer serves all files. */
static int files_key(char *const *paths, size_t count, uint64_t *key)
{
    char *buf = NULL;
    size_t cap = 0;
    uint64_t h = 0;
    int ok = 1;
    for (size_t i = 0; ok && i < count; i++) {
        FILE *f = fopen(paths[i], "rb");
        struct stat sb;
        ok = f && fstat(fileno(f), &sb) == 0 && sb.st_size >= 0 &&
             (uint64_t)sb.st_size <= NG_MAX_DICT_FILE_BYTES &&
             NG_GROW(buf, cap, (size_t)sb.st_size + 1) == NG_OK &&
             fread(buf, 1, (size_t)sb.st_size + 1, f) == (size_t)sb.st_size;
        if (ok)
            h = ng_dict_file_key(h, paths[i], buf, (size_t)sb.st_size);
        if (f)
            fclose(f);
    }
    free(buf);
    ng_error_clear();
    *key = h;
    return ok;
}

/* The strings of an image: offsets checked against them. */
typedef struct blob {
    const char *data;
    size_t len; /* data[len - 1] is a NUL */
} blob;

/* The string at `off`, NULL if out of range. */
static const char *str(const blob *b, uint32_t off)
{
    return off < b->len ? b->data + off : NULL;
}

/* The `n` bytes at `off`, ending on a NUL; NULL if not so. */
static const char *strn(const blob *b, uint32_t off, uint32_t n)
{
    return off < b->len && n < b->len - off && b->data[off + n] == '\0' ? b->data + off : NULL;
}

static int origins_valid(const ng_dict_origin *o, size_t n, size_t files)
{
    for (size_t i = 0; i < n; i++)
        if (o[i].file >= files)
            return 0;
    return 1;
}

/* Carve `n` elements of `size` bytes from *at. */
static void *carve(char **at, size_t n, size_t size)
{
    void *p = *at;
    *at += padded(n * size);
    return p;
}

/* Fill `d` (paths and image set) from the sections `p` of `h`, whose
 * checksum is right; 0 if any offset or index is out of range. */
static int build(ng_dict *d, const header *h, void *const p[SECTIONS])
{
    const blob b = {p[S_STRINGS], (size_t)h->strings};
    if (b.len == 0 || b.data[b.len - 1] != '\0')
        return 0;
    size_t E = h->entities, A = h->aliases, F = h->facts, R = h->rules, P = h->phrases,
           Q = h->problems;
    const rec_entity *ent = p[S_ENTITIES];
    const rec_fact *fact = p[S_FACTS];
    const rec_alias *al = p[S_ALIASES];
    const rec_rule *rule = p[S_RULES];
    const rec_phrase *phrase = p[S_PHRASES];
    const rec_problem *problem = p[S_PROBLEMS];
    d->block_len = padded(E * sizeof *d->entities) + padded(A * sizeof *d->aliases) +
                   padded(F * sizeof *d->facts) + padded(R * sizeof(ng_alias_context)) +
                   padded(P * sizeof(ng_phrase)) + padded(Q * sizeof *d->problems) + 8;
    char *at = d->block = ng_cache_alloc(d->block_len);
    if (!at)
        return 0;
    d->entities = carve(&at, E, sizeof *d->entities);
    d->aliases = carve(&at, A, sizeof *d->aliases);
    d->facts = F ? carve(&at, F, sizeof *d->facts) : NULL;
    ng_alias_context *rules = carve(&at, R, sizeof *rules);
    ng_phrase *phrases = carve(&at, P, sizeof *phrases);
    d->problems = carve(&at, Q, sizeof *d->problems);
    for (size_t i = 0; i < F; i++) {
        d->facts[i] = (ng_fact){str(&b, fact[i].name), str(&b, fact[i].value)};
        if (!d->facts[i].name || !d->facts[i].value)
            return 0;
    }
    for (size_t i = 0; i < E; i++) {
        const rec_entity *r = &ent[i];
        if (r->category >= NG_CATEGORY_COUNT || (uint64_t)r->fact_first + r->fact_count > F)
            return 0;
        ng_entity *e = &d->entities[i];
        *e = (ng_entity){str(&b, r->key), str(&b, r->label), (ng_category)r->category,
                         F ? d->facts + r->fact_first : NULL, r->fact_count,
                         r->roles == NONE ? NULL : str(&b, r->roles)};
        if (!e->key || !e->label || (r->roles != NONE && !e->roles))
            return 0;
    }
    d->entity_count = E;
    for (size_t i = 0; i < P; i++) {
        phrases[i] = (ng_phrase){strn(&b, phrase[i].norm, phrase[i].len), phrase[i].len,
                                 (int)phrase[i].prefix};
        if (!phrases[i].norm || phrase[i].prefix > 1)
            return 0;
    }
    for (size_t i = 0; i < R; i++) {
        const rec_rule *r = &rule[i];
        if ((uint64_t)r->first + r->require_count + r->exclude_count > P ||
            r->window > NG_MAX_CONTEXT_WINDOW || r->side < -1 || r->side > 1)
            return 0;
        rules[i] = (ng_alias_context){phrases + r->first, r->require_count,
                                      phrases + r->first + r->require_count, r->exclude_count,
                                      r->window, r->side};
    }
    for (size_t i = 0; i < A; i++) {
        const rec_alias *r = &al[i];
        if (r->entity >= E || r->lang >= NG_DICT_LANGUAGES ||
            (r->flags & ~(uint32_t)(NG_ALIAS_DEMONYM | NG_ALIAS_CASE_SENSITIVE)) ||
            (r->context != NONE && r->context >= R) || r->same_first > i ||
            (r->same_next != NG_NO_ALIAS && (r->same_next <= i || r->same_next >= A)) ||
            r->defined >= A)
            return 0;
        ng_alias *a = &d->aliases[i];
        *a = (ng_alias){r->entity,
                        r->flags,
                        str(&b, r->text),
                        ng_dict_languages[r->lang],
                        strn(&b, r->norm, r->norm_len),
                        r->norm_len,
                        strn(&b, r->cased, r->cased_len),
                        r->cased_len,
                        r->context == NONE ? NULL : rules + r->context,
                        r->same_first,
                        r->same_next,
                        r->defined};
        if (!a->text || !a->norm || !a->cased)
            return 0;
    }
    d->alias_count = A;
    const uint32_t *by_norm = p[S_BY_NORM];
    for (size_t i = 0; i < A; i++)
        if (by_norm[i] >= A)
            return 0;
    d->by_norm = p[S_BY_NORM];
    d->origin = p[S_ORIGINS];
    d->alias_origin = p[S_ALIAS_ORIGINS];
    if (!origins_valid(d->origin, E, d->path_count) ||
        !origins_valid(d->alias_origin, A, d->path_count))
        return 0;
    /* a problem's message names the file by the path it is loaded from now */
    for (size_t i = 0; i < Q; i++) {
        const char *rest = str(&b, problem[i].text);
        if (problem[i].file >= d->path_count || !rest)
            return 0;
        const char *path = d->paths[problem[i].file];
        size_t n = strlen(path), k = strlen(rest);
        char *joined = malloc(n + k + 1);
        if (!joined)
            return 0;
        memcpy(joined, path, n);
        memcpy(joined + n, rest, k + 1);
        const char *msg = ng_arena_strndup(&d->strings, joined, n + k);
        free(joined);
        if (!msg)
            return 0;
        d->problems[d->problem_count++] = msg;
    }
    return 1;
}

/* Is the image mapped into `d` (paths listed) the one `want` describes,
 * for the files as they are now, and valid? Then `d` is filled from it. */
static int valid(ng_dict *d, const header *want)
{
    header h;
    uint64_t key;
    size_t len = d->image_len;
    if (len < sizeof h)
        return 0;
    memcpy(&h, d->image, sizeof h);
    if (memcmp(&h.stamp, &want->stamp, sizeof h.stamp) != 0 || h.files != d->path_count ||
        h.strings > len || !files_key(d->paths, d->path_count, &key) || key != h.key)
        return 0;
    size_t bytes[SECTIONS], payload = 0;
    sizes(&h, bytes);
    void *p[SECTIONS];
    char *at = (char *)d->image + sizeof h;
    for (int i = 0; i < SECTIONS; i++) {
        payload += padded(bytes[i]);
        p[i] = at;
        at += padded(bytes[i]);
    }
    if (h.payload != payload || len != sizeof h + payload ||
        checksum(&h, (const void *const *)p, bytes) != h.checksum || !build(d, &h, p))
        return 0;
    d->hash = h.dict_hash;
    d->key = key;
    return 1;
}

/* The dictionary from the image at `path`: 1 if it is valid, 0 if not,
 * -1 if there is none. */
static int load(ng_dict **out, const char *path, const char *dict_dir, const header *want)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    ng_dict *d = calloc(1, sizeof *d);
    if (d && (d->image = ng_cache_map(f, &d->image_len)) != NULL &&
        ng_dict_list_files(dict_dir, &d->paths, &d->path_count) == NG_OK && valid(d, want)) {
        fclose(f);
        *out = d;
        return 1;
    }
    fclose(f);
    ng_error_clear();
    ng_dict_free(d);
    return 0;
}

ng_status ng_dcache_dict(ng_dict **out, const char *dict_dir, const char *cache_dir,
                         ng_mcache_result *how)
{
    ng_mcache_result result = NG_MCACHE_OFF;
    char dir_buf[PATH_MAX], path[PATH_MAX + 64];
    int implicit;
    cache_dir = ng_cache_dir(cache_dir, dir_buf, sizeof dir_buf, &implicit);
    header want;
    memset(&want, 0, sizeof want);
    int use = ng_cache_stamp_set(&want.stamp, "NGDICT", FORMAT) && cache_dir && *cache_dir &&
              ng_cache_slot(cache_dir, dict_dir, "dict", path, sizeof path) == 0;
    if (use) {
        int got = load(out, path, dict_dir, &want);
        if (got > 0) {
            if (how)
                *how = NG_MCACHE_HIT;
            return NG_OK;
        }
        result = got < 0 ? NG_MCACHE_STORED : NG_MCACHE_REBUILT;
    }
    ng_status st = ng_dict_load_dir(out, dict_dir);
    if (st != NG_OK)
        return st;
    if (use && implicit && ng_dict_alias_count(*out) < NG_MCACHE_MIN_PATTERNS) {
        /* too small to be worth an image: drop a stale one, not to read it each time */
        if (result == NG_MCACHE_REBUILT)
            remove(path);
        use = 0;
        result = NG_MCACHE_OFF;
    }
    /* A cache is a convenience: failing to write one is not an error. */
    if (use && (ng_cache_make_dirs(cache_dir) != 0 || write_image(*out, &want, path) != NG_OK)) {
        result = NG_MCACHE_UNWRITABLE;
        ng_error_clear();
    }
    if (how)
        *how = result;
    return NG_OK;
}
