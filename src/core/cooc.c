/* cooc.c: per-entity and per-pair counts, summed document by document.
 *
 * Pairs live in an open-addressing hash map keyed by (a << 32 | b). A
 * document's pairs are first gathered in a map of their own, so that the
 * document count of a pair grows once per document; merging two ng_cooc is
 * then the same addition as adding a document.
 */
#include "nergraph/cooc.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define EMPTY UINT64_MAX
#define MAP_KEEP 4096 /* slots of per-document map kept between documents */

typedef struct pair_map {
    uint64_t *keys;
    uint64_t *windows;
    uint64_t *documents;
    uint32_t *first, *last; /* dates (YYYYMMDD) of the documents, 0: none known */
    size_t cap; /* a power of two, or 0 */
    size_t count;
} pair_map;

struct ng_cooc {
    size_t entity_count;
    uint64_t *mentions;
    uint64_t *documents;
    uint64_t *windows;      /* per entity: windows that name it */
    uint32_t *first, *last; /* per entity: dates of its first and last documents */
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

static const char *const window_names[NG_WINDOW_COUNT] = {"sentence", "paragraph", "document"};

const char *ng_window_name(ng_window w)
{
    return (unsigned)w < NG_WINDOW_COUNT ? window_names[w] : "unknown";
}

int ng_window_parse(const char *name)
{
    for (int i = 0; i < NG_WINDOW_COUNT; i++)
        if (strcmp(name, window_names[i]) == 0)
            return i;
    return -1;
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
    free(m->windows);
    free(m->documents);
    free(m->first);
    free(m->last);
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
    n.windows = calloc(ncap, sizeof *n.windows);
    n.documents = calloc(ncap, sizeof *n.documents);
    n.first = calloc(ncap, sizeof *n.first);
    n.last = calloc(ncap, sizeof *n.last);
    if (!n.keys || !n.windows || !n.documents || !n.first || !n.last) {
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
        n.windows[j] = m->windows[i];
        n.documents[j] = m->documents[i];
        n.first[j] = m->first[i];
        n.last[j] = m->last[i];
    }
    n.count = m->count;
    map_destroy(m);
    *m = n;
    return NG_OK;
}

/* Widen the date range [*first, *last] to [first, last]; 0 is no date. */
static void widen(uint32_t *lo, uint32_t *hi, uint32_t first, uint32_t last)
{
    if (first && (!*lo || first < *lo))
        *lo = first;
    if (last > *hi)
        *hi = last;
}

/* Add (windows, documents, dates) to `key`. Load factor at most 1/2. */
static ng_status map_add(pair_map *m, uint64_t key, uint64_t windows, uint64_t documents,
                         uint32_t first, uint32_t last)
{
    if ((m->count + 1) * 2 > m->cap) {
        ng_status st = map_rehash(m, m->cap ? m->cap * 2 : 64);
        if (st != NG_OK)
            return st;
    }
    size_t i = map_slot(m, key);
    if (m->keys[i] == EMPTY) {
        m->keys[i] = key;
        m->count++;
    }
    m->windows[i] += windows;
    m->documents[i] += documents;
    widen(&m->first[i], &m->last[i], first, last);
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
    memset(m->windows, 0, m->cap * sizeof *m->windows);
    memset(m->documents, 0, m->cap * sizeof *m->documents);
    memset(m->first, 0, m->cap * sizeof *m->first);
    memset(m->last, 0, m->cap * sizeof *m->last);
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
    c->mentions = calloc(n, sizeof *c->mentions);
    c->documents = calloc(n, sizeof *c->documents);
    c->windows = calloc(n, sizeof *c->windows);
    c->first = calloc(n, sizeof *c->first);
    c->last = calloc(n, sizeof *c->last);
    c->seen_stamp = calloc(n, sizeof *c->seen_stamp);
    if (!c->mentions || !c->documents || !c->windows || !c->first || !c->last ||
        !c->seen_stamp) {
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
    free(c->mentions);
    free(c->documents);
    free(c->windows);
    free(c->first);
    free(c->last);
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

/* Count the pairs among the distinct entities of one window. */
static ng_status add_window(ng_cooc *c, size_t k)
{
    uint32_t *w = c->window_entities;
    qsort(w, k, sizeof *w, compare_u32);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || w[u - 1] != w[i])
            w[u++] = w[i];
    c->window_total++;
    for (size_t i = 0; i < u; i++)
        c->windows[w[i]]++;
    if (u > NG_MAX_WINDOW_ENTITIES) /* 5,000 entities would be 12.5 million pairs */
        u = NG_MAX_WINDOW_ENTITIES;
    for (size_t i = 0; i < u; i++)
        for (size_t j = i + 1; j < u; j++) {
            ng_status st = map_add(&c->doc_pairs, (uint64_t)w[i] << 32 | w[j], 1, 0, 0, 0);
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
        c->mentions[e]++;
        if (c->seen_stamp[e] != c->stamp) {
            c->seen_stamp[e] = c->stamp;
            c->documents[e]++;
            widen(&c->first[e], &c->last[e], date, date);
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
        if (c->doc_pairs.keys[i] != EMPTY)
            st = map_add(&c->pairs, c->doc_pairs.keys[i], c->doc_pairs.windows[i], 1, date,
                         date);
    return st;
}

ng_status ng_cooc_merge(ng_cooc *into, const ng_cooc *from)
{
    if (into->entity_count != from->entity_count)
        return ng_error_set(NG_EINVAL, "cooc: cannot merge counts over %zu and %zu entities",
                            into->entity_count, from->entity_count);
    into->sorted_valid = 0;
    for (size_t e = 0; e < into->entity_count; e++) {
        into->mentions[e] += from->mentions[e];
        into->documents[e] += from->documents[e];
        into->windows[e] += from->windows[e];
        widen(&into->first[e], &into->last[e], from->first[e], from->last[e]);
    }
    into->document_total += from->document_total;
    into->window_total += from->window_total;
    for (size_t i = 0; i < from->pairs.cap; i++) {
        if (from->pairs.keys[i] == EMPTY)
            continue;
        ng_status st = map_add(&into->pairs, from->pairs.keys[i], from->pairs.windows[i],
                               from->pairs.documents[i], from->pairs.first[i],
                               from->pairs.last[i]);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

size_t ng_cooc_entity_count(const ng_cooc *c) { return c->entity_count; }
uint64_t ng_cooc_mentions(const ng_cooc *c, uint32_t e) { return c->mentions[e]; }
uint64_t ng_cooc_documents(const ng_cooc *c, uint32_t e) { return c->documents[e]; }
uint64_t ng_cooc_windows(const ng_cooc *c, uint32_t e) { return c->windows[e]; }
uint32_t ng_cooc_first(const ng_cooc *c, uint32_t e) { return c->first[e]; }
uint32_t ng_cooc_last(const ng_cooc *c, uint32_t e) { return c->last[e]; }
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
        for (size_t i = 0; i < c->pairs.cap; i++) {
            uint64_t k = c->pairs.keys[i];
            if (k == EMPTY)
                continue;
            c->sorted[n++] = (ng_pair){(uint32_t)(k >> 32), (uint32_t)k, c->pairs.windows[i],
                                       c->pairs.documents[i], c->pairs.first[i],
                                       c->pairs.last[i]};
        }
        qsort(c->sorted, n, sizeof *c->sorted, compare_pairs);
        c->sorted_count = n;
        c->sorted_valid = 1;
    }
    *pairs = c->sorted;
    *count = c->sorted_count;
    return NG_OK;
}
