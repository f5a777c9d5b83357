/* context.c: context rules applied to the matcher's results.
 *
 * Everything here works on the normalised text, where the rules' phrases
 * are normalised the same way; sentences (found on the decoded text) are
 * brought over through the normalised-to-decoded map, which only grows.
 */
#include "nergraph/context.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "utf8.h"

#define MAX_ACRONYM_LETTERS 10

/* An acronym the current document defined: its normalised text (in the
 * document's normalised buffer) and the alias of its long form. */
struct ng_acronym {
    uint32_t start, len, alias;
};


/* Is the character starting at `i` (before `end`) part of a word? */
static int word_at(const char *s, size_t end, size_t i)
{
    if (i >= end)
        return 0;
    int32_t cp;
    return ng_utf8_decode((const unsigned char *)s + i, end - i, &cp) ? ng_utf8_is_word(cp) : 0;
}

/* Start of the character after the one at `i`. */
static size_t char_after(const char *s, size_t end, size_t i)
{
    do
        i++;
    while (i < end && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static int word_before(const char *s, size_t i)
{
    return i > 0 && word_at(s, i, ng_utf8_prev(s, i));
}

/* Where the `words`-th word before `i` starts, not before `lo`. */
static size_t words_back(const char *s, size_t lo, size_t i, uint32_t words)
{
    for (uint32_t w = 0; w < words && i > lo; w++) {
        while (i > lo && !word_before(s, i))
            i = ng_utf8_prev(s, i);
        while (i > lo && word_before(s, i))
            i = ng_utf8_prev(s, i);
    }
    return i;
}

/* Where the `words`-th word after `i` ends, not after `hi`. */
static size_t words_forward(const char *s, size_t hi, size_t i, uint32_t words)
{
    for (uint32_t w = 0; w < words && i < hi; w++) {
        while (i < hi && !word_at(s, hi, i))
            i = char_after(s, hi, i);
        while (i < hi && word_at(s, hi, i))
            i = char_after(s, hi, i);
    }
    return i;
}

/* First normalised offset whose decoded offset is at least `decoded`. */
static size_t norm_offset(const ng_norm *norm, uint32_t decoded)
{
    size_t lo = 0, hi = norm->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (norm->map[mid] < decoded)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The sentence around match `x`, in normalised offsets. */
static void sentence_of(const ng_norm *norm, const ng_segments *ss, const ng_match *x,
                        size_t *lo, size_t *hi)
{
    *lo = 0;
    *hi = norm->len;
    uint32_t at = norm->map[x->start];
    size_t a = 0, b = ss->count; /* the last sentence starting at or before the match */
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (ss->spans[mid].start <= at)
            a = mid + 1;
        else
            b = mid;
    }
    if (a > 0) {
        *lo = norm_offset(norm, ss->spans[a - 1].start);
        *hi = norm_offset(norm, ss->spans[a - 1].end);
    }
    if (*lo > x->start) /* a match across a wrong boundary */
        *lo = x->start;
    if (*hi < x->end)
        *hi = x->end;
}

/* Does one of `phrases` occur in [lo, hi) of `s` (whole words, or a word's
 * start for a prefix), other than inside the match [ms, me) itself? */
static int any_phrase(const char *s, size_t len, size_t lo, size_t hi, size_t ms, size_t me,
                      const ng_phrase *phrases, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        const ng_phrase *p = &phrases[k];
        for (size_t i = lo; i + p->len <= hi; i++)
            if (s[i] == p->norm[0] && memcmp(s + i, p->norm, p->len) == 0 &&
                !(i >= ms && i + p->len <= me) && !word_before(s, i) &&
                (p->prefix || !word_at(s, len, i + p->len)))
                return 1;
    }
    return 0;
}

static int rule_holds(const ng_alias_context *c, const ng_norm *norm, const ng_segments *ss,
                      const ng_match *x)
{
    size_t lo, hi;
    sentence_of(norm, ss, x, &lo, &hi);
    /* A bounded reach even in a sentence the length of a book (an extraction
     * without full stops) keeps the cost per match small. */
    uint32_t words = c->window ? c->window : NG_MAX_CONTEXT_WINDOW;
    lo = words_back(norm->data, lo, x->start, words);
    hi = words_forward(norm->data, hi, x->end, words);
    if (c->side < 0)
        hi = x->end;
    else if (c->side > 0)
        lo = x->start;
    const char *s = norm->data;
    if (c->require_count &&
        !any_phrase(s, norm->len, lo, hi, x->start, x->end, c->require, c->require_count))
        return 0;
    return !any_phrase(s, norm->len, lo, hi, x->start, x->end, c->exclude, c->exclude_count);
}

/* Could alias `al` have matched where `x` did, letter case included? */
static ng_status fits_case(ng_context_scratch *s, const ng_alias *al, const ng_norm *norm,
                           const char *text, size_t text_len, const ng_match *x, int *ok)
{
    *ok = 1;
    if (!(al->flags & NG_ALIAS_CASE_SENSITIVE))
        return NG_OK;
    size_t from = norm->map[x->start];
    size_t to = ng_norm_source_end(norm, text, text_len, x->name_end - 1);
    ng_status st = ng_normalize(&s->cased, text + from, to - from, 0);
    *ok = st == NG_OK && s->cased.len == al->cased_len &&
          memcmp(s->cased.data, al->cased, al->cased_len) == 0;
    return st;
}

/* The alias match `x` stands for once the rules have spoken, or NG_NO_ALIAS. */
static ng_status decide(ng_context_scratch *s, const ng_dict *dict, const ng_norm *norm,
                        const char *text, size_t text_len, const ng_segments *ss,
                        const ng_match *x, uint32_t *out)
{
    uint32_t fallback = NG_NO_ALIAS;
    *out = NG_NO_ALIAS;
    for (uint32_t g = ng_dict_alias(dict, x->alias)->same_first; g != NG_NO_ALIAS;
         g = ng_dict_alias(dict, g)->same_next) {
        const ng_alias *al = ng_dict_alias(dict, g);
        int ok = 1;
        ng_status st;
        if (g != x->alias && (st = fits_case(s, al, norm, text, text_len, x, &ok)) != NG_OK)
            return st;
        if (!ok)
            continue;
        if (!al->context) {
            if (fallback == NG_NO_ALIAS)
                fallback = g;
        } else if (rule_holds(al->context, norm, ss, x)) {
            *out = g;
            return NG_OK;
        }
    }
    *out = fallback;
    return NG_OK;
}

/* ---- acronyms defined in the document ---- */

static int is_capital(int32_t cp)
{
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU &&
           (cp < 0x250 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x400 && cp <= 0x52F));
}

/* Is normalised [start, end) written in 2 to MAX_ACRONYM_LETTERS Latin or
 * Cyrillic capitals and nothing else? */
static int in_capitals(const ng_norm *norm, const char *text, size_t text_len, size_t start,
                       size_t end)
{
    size_t from = norm->map[start], to = ng_norm_source_end(norm, text, text_len, end - 1);
    size_t letters = 0;
    for (size_t i = from; i < to; letters++) {
        int32_t cp;
        size_t k = ng_utf8_decode((const unsigned char *)text + i, to - i, &cp);
        if (!k || !is_capital(cp))
            return 0;
        i += k;
    }
    return letters >= 2 && letters <= MAX_ACRONYM_LETTERS;
}

/* Does a match of `v` (ordered, disjoint) overlap [start, end)? */
static int overlaps(const ng_match_vec *v, size_t start, size_t end)
{
    size_t lo = 0, hi = v->count; /* the first match ending after `start` */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->items[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->count && v->items[lo].start < end;
}

/* If match `x` is a long form followed by "(TOKEN)" that defines a new
 * acronym, remember it. */
static ng_status learn(ng_context_scratch *s, const ng_dict *dict, const ng_norm *norm,
                       const char *text, size_t text_len, const ng_match *x)
{
    const char *t = norm->data;
    size_t n = norm->len, i = x->end;
    if (i < n && t[i] == ' ')
        i++;
    if (i + 1 >= n || t[i] != '(' ||
        (ng_dict_alias(dict, x->alias)->flags & NG_ALIAS_DEMONYM))
        return NG_OK;
    size_t start = i + 1, end = start;
    while (word_at(t, n, end))
        end = char_after(t, n, end);
    if (end == start || end >= n || t[end] != ')' ||
        !in_capitals(norm, text, text_len, start, end) ||
        ng_dict_alias_by_norm(dict, t + start, end - start) != NG_NO_ALIAS)
        return NG_OK;
    for (size_t a = 0; a < s->acronym_count; a++) /* the first definition holds */
        if (s->acronyms[a].len == end - start &&
            memcmp(t + s->acronyms[a].start, t + start, end - start) == 0)
            return NG_OK;
    ng_status st = NG_GROW(s->acronyms, s->acronym_cap, s->acronym_count + 1);
    if (st == NG_OK)
        s->acronyms[s->acronym_count++] =
            (struct ng_acronym){(uint32_t)start, (uint32_t)(end - start), x->alias};
    return st;
}

/* The occurrences of acronym `a` in capitals from its definition on, where
 * no other match is, into s->learned. */
static ng_status find_acronym(ng_context_scratch *s, const ng_norm *norm, const char *text,
                              size_t text_len, const ng_match_vec *matches,
                              const struct ng_acronym *a)
{
    const char *t = norm->data, *pat = t + a->start;
    size_t n = norm->len;
    for (size_t i = a->start; i + a->len <= n; i++) {
        const char *hit = memchr(t + i, pat[0], n - a->len + 1 - i);
        if (!hit)
            break;
        i = (size_t)(hit - t);
        if (memcmp(hit, pat, a->len) != 0 || word_before(t, i) || word_at(t, n, i + a->len) ||
            overlaps(matches, i, i + a->len) || !in_capitals(norm, text, text_len, i, i + a->len))
            continue;
        ng_status st = NG_GROW(s->learned.items, s->learned.cap, s->learned.count + 1);
        if (st != NG_OK)
            return st;
        uint32_t end = (uint32_t)(i + a->len);
        s->learned.items[s->learned.count++] = (ng_match){(uint32_t)i, end, a->alias, end};
    }
    return NG_OK;
}

static int by_start(const void *a, const void *b)
{
    const ng_match *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Learn the acronyms the document defines and add their matches. */
static ng_status add_acronyms(ng_context_scratch *s, const ng_dict *dict, const ng_norm *norm,
                              const char *text, size_t text_len, ng_match_vec *matches)
{
    ng_status st = NG_OK;
    s->acronym_count = 0;
    s->learned.count = 0;
    for (size_t i = 0; i < matches->count && st == NG_OK; i++)
        st = learn(s, dict, norm, text, text_len, &matches->items[i]);
    for (size_t a = 0; a < s->acronym_count && st == NG_OK; a++)
        st = find_acronym(s, norm, text, text_len, matches, &s->acronyms[a]);
    if (st != NG_OK || s->learned.count == 0)
        return st;
    /* Acronyms of different texts never overlap one another: both are whole words. */
    qsort(s->learned.items, s->learned.count, sizeof *s->learned.items, by_start);
    size_t total = matches->count + s->learned.count;
    if ((st = NG_GROW(s->merged.items, s->merged.cap, total)) != NG_OK)
        return st;
    size_t i = 0, j = 0;
    for (size_t k = 0; k < total; k++)
        s->merged.items[k] = j == s->learned.count ||
                                     (i < matches->count &&
                                      matches->items[i].start < s->learned.items[j].start)
                                 ? matches->items[i++]
                                 : s->learned.items[j++];
    s->merged.count = total;
    ng_match_vec swap = *matches;
    *matches = s->merged;
    s->merged = swap;
    return NG_OK;
}

ng_status ng_context_apply(ng_context_scratch *s, const ng_dict *dict, const ng_norm *norm,
                           const char *text, size_t text_len, const ng_segments *sentences,
                           ng_match_vec *matches)
{
    size_t kept = 0;
    for (size_t i = 0; i < matches->count; i++) {
        ng_match x = matches->items[i];
        const ng_alias *al = ng_dict_alias(dict, x.alias);
        if (al->context || al->same_first != x.alias || al->same_next != NG_NO_ALIAS) {
            uint32_t chosen;
            ng_status st = decide(s, dict, norm, text, text_len, sentences, &x, &chosen);
            if (st != NG_OK)
                return st;
            if (chosen == NG_NO_ALIAS)
                continue;
            x.alias = chosen;
        }
        matches->items[kept++] = x;
    }
    matches->count = kept;
    return add_acronyms(s, dict, norm, text, text_len, matches);
}

void ng_context_scratch_destroy(ng_context_scratch *s)
{
    ng_norm_destroy(&s->cased);
    free(s->acronyms);
    ng_match_vec_destroy(&s->learned);
    ng_match_vec_destroy(&s->merged);
    memset(s, 0, sizeof *s);
}
