/* cooc.c: per-entity and per-pair counts, summed document by document.
 *
 * Pairs live in an open-addressing hash map keyed by (a << 32 | b). A
 * document's pairs are first gathered in a map of their own, so that the
 * document count of a pair grows once per document; merging two ng_cooc is
 * then the same addition as adding a document.
 */
#include "nergraph/cooc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define EMPTY UINT64_MAX
#define MAP_KEEP 4096 /* slots of per-document map kept between documents */

typedef struct pair_map {
    uint64_t *keys;
    ng_pair *values; /* counts; a and b are set when a key is first added */
    size_t cap; /* a power of two, or 0 */
    size_t count;
} pair_map;

struct ng_cooc {
    size_t entity_count;
    ng_entity_counts *entities;
    uint64_t document_total;
    uint64_t window_total;  /* windows with at least one mention */
    pair_map pairs;
    /* per-document scratch */
    pair_map doc_pairs;
    uint32_t *seen_stamp; /* last document (1-based) in which an entity was counted */
    uint32_t stamp;
    uint32_t *window_entities;
    size_t window_cap;
    /* sorted view for ng_cooc_pairs */
    ng_pair *sorted;
    size_t sorted_count, sorted_cap;
    int sorted_valid;
};

static const char *const window_names[NG_WINDOW_COUNT] = {"sentence", "paragraph", "document",
                                                          "tokens"};

const char *ng_window_name(ng_window w)
{
    return (unsigned)w < NG_WINDOW_COUNT ? window_names[w] : "unknown";
}

int ng_window_parse(const char *name, ng_window_spec *out)
{
    for (int i = 0; i < NG_WINDOW_TOKENS; i++)
        if (strcmp(name, window_names[i]) == 0) {
            *out = (ng_window_spec){(ng_window)i, 0};
            return 0;
        }
    if (strncmp(name, "tokens:", 7) != 0)
        return -1;
    char *end;
    errno = 0;
    unsigned long n = name[7] >= '1' && name[7] <= '9' ? strtoul(name + 7, &end, 10) : 0;
    if (!n || errno || *end || n > NG_MAX_WINDOW_TOKENS)
        return -1;
    *out = (ng_window_spec){NG_WINDOW_TOKENS, (uint32_t)n};
    return 0;
}

const char *ng_window_format(const ng_window_spec *w, char buf[NG_WINDOW_NAME_BYTES])
{
    if (w->unit == NG_WINDOW_TOKENS)
        snprintf(buf, NG_WINDOW_NAME_BYTES, "tokens:%" PRIu32, w->tokens);
    else
        snprintf(buf, NG_WINDOW_NAME_BYTES, "%s", ng_window_name(w->unit));
    return buf;
}

/* Widen the date range [*lo, *hi] to take in [first, last]; 0 is no date. */
static void widen(uint32_t *lo, uint32_t *hi, uint32_t first, uint32_t last)
{
    if (first && (!*lo || first < *lo))
        *lo = first;
    if (last > *hi)
        *hi = last;
}

void ng_entity_counts_add(ng_entity_counts *into, const ng_entity_counts *from)
{
    into->mentions += from->mentions;
    into->documents += from->documents;
    into->windows += from->windows;
    widen(&into->first, &into->last, from->first, from->last);
}

void ng_pair_add(ng_pair *into, const ng_pair *from)
{
    into->windows += from->windows;
    into->documents += from->documents;
    widen(&into->first, &into->last, from->first, from->last);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static void map_destroy(pair_map *m)
{
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t map_slot(const pair_map *m, uint64_t key)
{
    size_t mask = m->cap - 1, i = (size_t)mix(key) & mask;
    while (m->keys[i] != EMPTY && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

static ng_status map_rehash(pair_map *m, size_t ncap)
{
    pair_map n = {0};
    n.keys = malloc(ncap * sizeof *n.keys);
    n.values = calloc(ncap, sizeof *n.values);
    if (!n.keys || !n.values) {
        map_destroy(&n);
        return ng_error_set(NG_ENOMEM, "out of memory (co-occurrence map)");
    }
    memset(n.keys, 0xFF, ncap * sizeof *n.keys);
    n.cap = ncap;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == EMPTY)
            continue;
        size_t j = map_slot(&n, m->keys[i]);
        n.keys[j] = m->keys[i];
        n.values[j] = m->values[i];
    }
    n.count = m->count;
    map_destroy(m);
    *m = n;
    return NG_OK;
}

/* Add the counts of `p` to its pair. Load factor at most 1/2. */
static ng_status map_add(pair_map *m, const ng_pair *p)
{
    if ((m->count + 1) * 2 > m->cap) {
        ng_status st = map_rehash(m, m->cap ? m->cap * 2 : 64);
        if (st != NG_OK)
            return st;
    }
    uint64_t key = (uint64_t)p->a << 32 | p->b;
    size_t i = map_slot(m, key);
    if (m->keys[i] == EMPTY) {
        m->keys[i] = key;
        m->values[i] = (ng_pair){.a = p->a, .b = p->b};
        m->count++;
    }
    ng_pair_add(&m->values[i], p);
    return NG_OK;
}

/* Empty the map, keeping its storage when it is small enough to reuse. */
static void map_clear(pair_map *m)
{
    if (m->count == 0)
        return;
    if (m->cap > MAP_KEEP) { /* one dense document must not slow down all the others */
        map_destroy(m);
        return;
    }
    memset(m->keys, 0xFF, m->cap * sizeof *m->keys);
    m->count = 0;
}

ng_status ng_cooc_new(ng_cooc **out, size_t entity_count)
{
    *out = NULL;
    ng_cooc *c = calloc(1, sizeof *c);
    if (!c)
        return ng_error_set(NG_ENOMEM, "out of memory");
    c->entity_count = entity_count;
    size_t n = entity_count ? entity_count : 1;
    c->entities = calloc(n, sizeof *c->entities);
    c->seen_stamp = calloc(n, sizeof *c->seen_stamp);
    if (!c->entities || !c->seen_stamp) {
        ng_cooc_free(c);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    *out = c;
    return NG_OK;
}

void ng_cooc_free(ng_cooc *c)
{
    if (!c)
        return;
    free(c->entities);
    free(c->seen_stamp);
    free(c->window_entities);
    free(c->sorted);
    map_destroy(&c->pairs);
    map_destroy(&c->doc_pairs);
    free(c);
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t ng_cooc_distinct_entities(uint32_t *ids, size_t n)
{
    if (n > 16)
        qsort(ids, n, sizeof *ids, compare_u32);
    else /* most windows name a few entities: no call per comparison */
        for (size_t i = 1; i < n; i++) {
            uint32_t x = ids[i];
            size_t j = i;
            for (; j > 0 && ids[j - 1] > x; j--)
                ids[j] = ids[j - 1];
            ids[j] = x;
        }
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || ids[u - 1] != ids[i])
            ids[u++] = ids[i];
    return u;
}

/* Count the pairs among the distinct entities of one window. */
static ng_status add_window(ng_cooc *c, size_t k)
{
    uint32_t *w = c->window_entities;
    size_t u = ng_cooc_distinct_entities(w, k);
    c->window_total++;
    for (size_t i = 0; i < u; i++)
        c->entities[w[i]].windows++;
    if (u > NG_MAX_WINDOW_ENTITIES) /* 5,000 entities would be 12.5 million pairs */
        u = NG_MAX_WINDOW_ENTITIES;
    for (size_t i = 0; i < u; i++)
        for (size_t j = i + 1; j < u; j++) {
            ng_status st = map_add(&c->doc_pairs, &(ng_pair){.a = w[i], .b = w[j], .windows = 1});
            if (st != NG_OK)
                return st;
        }
    return NG_OK;
}

ng_status ng_cooc_add_document(ng_cooc *c, const ng_cooc_mention *mentions, size_t n)
{
    return ng_cooc_add_dated_document(c, mentions, n, 0);
}

ng_status ng_cooc_add_dated_document(ng_cooc *c, const ng_cooc_mention *mentions, size_t n,
                                     uint32_t date)
{
    ng_status st = NG_OK;
    c->sorted_valid = 0;
    c->document_total++;
    if (++c->stamp == 0) { /* after 2^32 documents the stamps wrap: start over */
        memset(c->seen_stamp, 0, c->entity_count * sizeof *c->seen_stamp);
        c->stamp = 1;
    }
    map_clear(&c->doc_pairs);
    size_t k = 0;
    for (size_t i = 0; i < n && st == NG_OK; i++) {
        uint32_t e = mentions[i].entity;
        if (e >= c->entity_count)
            return ng_error_set(NG_EINTERNAL, "cooc: entity %u out of range", e);
        c->entities[e].mentions++;
        if (c->seen_stamp[e] != c->stamp) {
            c->seen_stamp[e] = c->stamp;
            c->entities[e].documents++;
            widen(&c->entities[e].first, &c->entities[e].last, date, date);
        }
        if ((st = NG_GROW(c->window_entities, c->window_cap, k + 1)) != NG_OK)
            return st;
        c->window_entities[k++] = e;
        if (i + 1 == n || mentions[i + 1].window != mentions[i].window) {
            st = add_window(c, k);
            k = 0;
        }
    }
    for (size_t i = 0; c->doc_pairs.count && i < c->doc_pairs.cap && st == NG_OK; i++)
        if (c->doc_pairs.keys[i] != EMPTY) {
            ng_pair p = c->doc_pairs.values[i];
            p.documents = 1;
            p.first = p.last = date;
            st = map_add(&c->pairs, &p);
        }
    return st;
}

ng_status ng_cooc_add_entity(ng_cooc *c, uint32_t e, const ng_entity_counts *x)
{
    if (e >= c->entity_count)
        return ng_error_set(NG_EINTERNAL, "cooc: entity %u out of range", e);
    ng_entity_counts_add(&c->entities[e], x);
    return NG_OK;
}

ng_status ng_cooc_add_pair(ng_cooc *c, const ng_pair *p)
{
    if (p->a >= p->b || p->b >= c->entity_count)
        return ng_error_set(NG_EINTERNAL, "cooc: pair (%u, %u) out of range", p->a, p->b);
    c->sorted_valid = 0;
    return map_add(&c->pairs, p);
}

void ng_cooc_add_totals(ng_cooc *c, uint64_t documents, uint64_t windows)
{
    c->document_total += documents;
    c->window_total += windows;
}

ng_status ng_cooc_merge(ng_cooc *into, const ng_cooc *from)
{
    if (into->entity_count != from->entity_count)
        return ng_error_set(NG_EINVAL, "cooc: cannot merge counts over %zu and %zu entities",
                            into->entity_count, from->entity_count);
    for (size_t e = 0; e < into->entity_count; e++)
        ng_entity_counts_add(&into->entities[e], &from->entities[e]);
    ng_cooc_add_totals(into, from->document_total, from->window_total);
    for (size_t i = 0; i < from->pairs.cap; i++) {
        if (from->pairs.keys[i] == EMPTY)
            continue;
        ng_status st = ng_cooc_add_pair(into, &from->pairs.values[i]);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

size_t ng_cooc_entity_count(const ng_cooc *c) { return c->entity_count; }
const ng_entity_counts *ng_cooc_entity(const ng_cooc *c, uint32_t e) { return &c->entities[e]; }
uint64_t ng_cooc_document_total(const ng_cooc *c) { return c->document_total; }
uint64_t ng_cooc_window_total(const ng_cooc *c) { return c->window_total; }

static int compare_pairs(const void *a, const void *b)
{
    const ng_pair *x = a, *y = b;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

ng_status ng_cooc_pairs(ng_cooc *c, const ng_pair **pairs, size_t *count)
{
    if (!c->sorted_valid) {
        ng_status st = NG_GROW(c->sorted, c->sorted_cap, c->pairs.count + 1);
        if (st != NG_OK)
            return st;
        size_t n = 0;
        for (size_t i = 0; i < c->pairs.cap; i++)
            if (c->pairs.keys[i] != EMPTY)
                c->sorted[n++] = c->pairs.values[i];
        qsort(c->sorted, n, sizeof *c->sorted, compare_pairs);
        c->sorted_count = n;
        c->sorted_valid = 1;
    }
    *pairs = c->sorted;
    *count = c->sorted_count;
    return NG_OK;
}
