/* dicttools.c: dict check and dict coverage. */
#include "nergraph/dicttools.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "hash.h"
#include "utf8.h"

/* ---- check ---- */

/* Do two aliases of the same normalised text still differ for the matcher?
 * Only when one keeps its case and their cased forms differ ("US", "us"). */
static int told_apart(const ng_alias *x, const ng_alias *y)
{
    return ((x->flags | y->flags) & NG_ALIAS_CASE_SENSITIVE) &&
           (x->cased_len != y->cased_len || memcmp(x->cased, y->cased, x->cased_len) != 0);
}

/* The first alias before `y` in its chain that another entity claims and
 * that nothing tells apart from `y`: neither has a context rule to decide,
 * nor does case. NG_NO_ALIAS if there is none. */
static uint32_t undecided_rival(const ng_dict *d, uint32_t y)
{
    const ng_alias *ya = ng_dict_alias(d, y);
    if (ya->context)
        return NG_NO_ALIAS;
    for (uint32_t x = ya->same_first; x != y; x = ng_dict_alias(d, x)->same_next) {
        const ng_alias *xa = ng_dict_alias(d, x);
        if (xa->entity != ya->entity && !xa->context && !told_apart(xa, ya))
            return x;
    }
    return NG_NO_ALIAS;
}

ng_status ng_dict_check(const ng_dict *d, FILE *out, size_t *problems)
{
    size_t n = ng_dict_alias_count(d), entities = ng_dict_entity_count(d);
    *problems = 0;
    unsigned char *mention = calloc(entities ? entities : 1, 1);
    if (!mention)
        return ng_error_set(NG_ENOMEM, "out of memory");
    char at[4200];
    for (size_t i = 0; i < ng_dict_problem_count(d); i++) {
        fprintf(out, "%s\n", ng_dict_problem(d, i));
        (*problems)++;
    }
    for (uint32_t a = 0; a < n; a++) {
        const ng_alias *y = ng_dict_alias(d, a);
        mention[y->entity] |= !(y->flags & NG_ALIAS_DEMONYM);
        uint32_t r = undecided_rival(d, a);
        if (r != NG_NO_ALIAS) {
            const ng_alias *x = ng_dict_alias(d, r);
            ng_dict_alias_where(d, a, at, sizeof at);
            fprintf(out, "%s: alias \"%s\" of %s is also \"%s\" of %s: %s wins every match (no "
                         "context rule decides)\n",
                    at, y->text, ng_dict_entity(d, y->entity)->key, x->text,
                    ng_dict_entity(d, x->entity)->key, ng_dict_entity(d, x->entity)->key);
            (*problems)++;
        }
    }
    for (uint32_t e = 0; e < entities; e++)
        if (!mention[e]) {
            ng_dict_entity_where(d, e, at, sizeof at);
            fprintf(out, "%s: entity %s has only demonym aliases: it is never mentioned\n", at,
                    ng_dict_entity(d, e)->key);
            (*problems)++;
        }
    free(mention);
    return NG_OK;
}

/* ---- coverage ---- */

#define MAX_NAME_BYTES 120

typedef struct miss {
    char *text;
    uint64_t count;
} miss;

typedef struct coverage {
    size_t top;
    FILE *out;
    uint64_t *found; /* per alias */
    size_t entities;
    miss *misses; /* open addressing by text */
    size_t miss_cap, miss_count;
    ng_norm scratch; /* a run, normalised, to look it up among the aliases */
} coverage;

static ng_status count_miss(coverage *c, const char *s, size_t n)
{
    if ((c->miss_count + 1) * 2 > c->miss_cap) {
        size_t cap = c->miss_cap ? c->miss_cap * 2 : 1024;
        miss *m = calloc(cap, sizeof *m);
        if (!m)
            return ng_error_set(NG_ENOMEM, "out of memory");
        for (size_t i = 0; i < c->miss_cap; i++)
            if (c->misses[i].text) {
                size_t k = ng_hash_bytes(NG_HASH_SEED, c->misses[i].text, strlen(c->misses[i].text)) & (cap - 1);
                while (m[k].text)
                    k = (k + 1) & (cap - 1);
                m[k] = c->misses[i];
            }
        free(c->misses);
        c->misses = m;
        c->miss_cap = cap;
    }
    size_t k = ng_hash_bytes(NG_HASH_SEED, s, n) & (c->miss_cap - 1);
    while (c->misses[k].text &&
           (strlen(c->misses[k].text) != n || memcmp(c->misses[k].text, s, n) != 0))
        k = (k + 1) & (c->miss_cap - 1);
    if (!c->misses[k].text) {
        if (!(c->misses[k].text = malloc(n + 1)))
            return ng_error_set(NG_ENOMEM, "out of memory");
        memcpy(c->misses[k].text, s, n);
        c->misses[k].text[n] = '\0';
        c->miss_count++;
    }
    c->misses[k].count++;
    return NG_OK;
}

static int32_t cp_at(const char *s, size_t len, size_t i, size_t *k)
{
    int32_t cp;
    *k = ng_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    if (!*k) {
        *k = 1;
        return 0xFFFD;
    }
    return cp;
}

static int is_upper(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

static int is_word(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           c == UTF8PROC_CATEGORY_ND || cp == '-' || cp == '\'' || cp == 0x2019;
}

/* Capitalised words that are no names: function words (in titles and after
 * quotes they are capitalised anyway), months and days. */
static const char *const not_names[] = {
    "A", "According", "After", "All", "Also", "An", "And", "As", "At", "But", "By", "For", "From",
    "He", "However", "If", "In", "It", "Its", "No", "Not", "Of", "On", "One", "Or", "She",
    "So", "That", "The", "Their", "There", "These", "They", "This", "Those", "To", "We", "What",
    "When", "Which", "While", "With", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

static int is_not_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
        if (strlen(not_names[i]) == n && memcmp(not_names[i], s, n) == 0)
            return 1;
    return 0;
}

/* Near misses: runs of capitalised words (an acronym, "Kazakh National
 * University") that no mention covers. A lone capitalised word that starts
 * a sentence is left out: capitals there say nothing. */
static ng_status coverage_document(ng_doc *doc, const ng_dict *dict, void *userdata)
{
    coverage *c = userdata;
    for (size_t i = 0; i < doc->mention_count; i++) /* demonyms cover, but are not found */
        if (!(ng_dict_alias(dict, doc->mentions[i].alias)->flags & NG_ALIAS_DEMONYM))
            c->found[doc->mentions[i].alias]++;
    const char *t = doc->text.data;
    size_t len = doc->text.len, m = 0, s = 0, k;
    for (size_t i = 0; i < len;) {
        int32_t cp = cp_at(t, len, i, &k);
        if (!is_upper(cp) || (i > 0 && is_word(cp_at(t, len, i - 1, &k)))) {
            cp_at(t, len, i, &k);
            i += k;
            continue;
        }
        /* a run of capitalised words separated by single spaces */
        size_t start = i, end = i, words = 0;
        while (i < len && is_upper(cp_at(t, len, i, &k))) {
            while (i < len && is_word(cp_at(t, len, i, &k)))
                i += k;
            end = i;
            words++;
            if (i + 1 < len && t[i] == ' ' && is_upper(cp_at(t, len, i + 1, &k)))
                i++;
            else
                break;
        }
        while (m < doc->mention_count && doc->mentions[m].text.end <= start)
            m++;
        while (s < doc->sentences.count && doc->sentences.spans[s].end <= start)
            s++;
        int covered = m < doc->mention_count && doc->mentions[m].text.start < end;
        int initial = s < doc->sentences.count && doc->sentences.spans[s].start == start;
        if (!covered && !(initial && words == 1) && end - start > 1 &&
            !(words == 1 && is_not_name(t + start, end - start)) &&
            end - start <= MAX_NAME_BYTES) {
            /* An alias the dictionaries have, that its context rule or its
             * case kept from being a mention here ("Қытай тілі"), is known. */
            ng_status st = ng_normalize(&c->scratch, t + start, end - start, NG_NORM_FOLD);
            if (st == NG_OK && ng_dict_alias_by_norm(dict, c->scratch.data, c->scratch.len) ==
                                   NG_NO_ALIAS)
                st = count_miss(c, t + start, end - start);
            if (st != NG_OK)
                return st;
        }
        if (i == start)
            i += k;
    }
    return NG_OK;
}

static int by_count(const void *a, const void *b)
{
    const miss *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->text, y->text);
}

static ng_status coverage_start(const ng_dict *dict, void *userdata)
{
    coverage *c = userdata;
    c->found = calloc(ng_dict_alias_count(dict) + 1, sizeof *c->found);
    return c->found ? NG_OK : ng_error_set(NG_ENOMEM, "out of memory");
}

/* The found counts per entity and language, in key order. */
static void write_found(const coverage *c, const ng_dict *dict)
{
    fputs("# found: entity\tlanguage\tmentions\n", c->out);
    size_t n = ng_dict_alias_count(dict);
    for (size_t a = 0; a < n;) {
        uint32_t e = ng_dict_alias(dict, (uint32_t)a)->entity;
        size_t b = a;
        while (b < n && ng_dict_alias(dict, (uint32_t)b)->entity == e)
            b++;
        /* aliases of an entity, summed per language (few languages: quadratic is fine) */
        for (size_t x = a; x < b; x++) {
            const char *lang = ng_dict_alias(dict, (uint32_t)x)->lang;
            int seen = 0;
            for (size_t y = a; y < x; y++)
                seen |= strcmp(ng_dict_alias(dict, (uint32_t)y)->lang, lang) == 0;
            if (seen)
                continue;
            uint64_t sum = 0;
            for (size_t y = x; y < b; y++)
                if (strcmp(ng_dict_alias(dict, (uint32_t)y)->lang, lang) == 0)
                    sum += c->found[y];
            if (sum)
                fprintf(c->out, "%s\t%s\t%llu\n", ng_dict_entity(dict, e)->key, lang,
                        (unsigned long long)sum);
        }
        a = b;
    }
}

static ng_status coverage_finish(const ng_dict *dict, void *userdata)
{
    coverage *c = userdata;
    write_found(c, dict);
    size_t n = 0;
    for (size_t i = 0; i < c->miss_cap; i++)
        if (c->misses[i].text)
            c->misses[n++] = c->misses[i];
    qsort(c->misses, n, sizeof *c->misses, by_count);
    fprintf(c->out, "# near misses: capitalised names no alias matched (top %zu of %zu)\n",
            c->top < n ? c->top : n, n);
    for (size_t i = 0; i < n && i < c->top; i++)
        fprintf(c->out, "%llu\t%s\n", (unsigned long long)c->misses[i].count, c->misses[i].text);
    for (size_t i = 0; i < n; i++)
        free(c->misses[i].text);
    c->miss_cap = 0; /* the texts are freed */
    return NG_OK;
}

ng_status ng_dict_coverage(const ng_pipeline_options *opts, size_t top, FILE *out)
{
    coverage c = {.top = top, .out = out};
    ng_pipeline_options with_demonyms = *opts; /* "Chinese" is known, not a miss */
    with_demonyms.include_demonyms = 1;
    ng_status st = ng_pipeline_each_document(&with_demonyms, coverage_start, coverage_document,
                                             coverage_finish, &c);
    for (size_t i = 0; i < c.miss_cap; i++)
        free(c.misses[i].text);
    free(c.misses);
    free(c.found);
    ng_norm_destroy(&c.scratch);
    return st;
}
