/* matcher.c: Aho-Corasick over normalised alias bytes.
 *
 * The automaton is a hybrid. States are numbered breadth first, so the
 * shallow states, where a scan spends nearly all its time, form a prefix
 * [0, dense) with full transition rows over byte classes (bytes that occur
 * in no alias share class 0): one look-up per byte. The deep states, most of
 * them with one child, keep only their trie edges and a failure link: breadth
 * first numbering puts the children of a state next to each other, so a state
 * needs just the index of its first child and each child its byte class. A
 * deep state without the edge falls back along failure links until a dense
 * state answers. Memory is thus about 20 bytes per state plus the dense rows,
 * proportional to the patterns. A transition target with the high bit set has
 * an output: a pattern ends there, or at one of its dictionary-suffix states.
 *
 * Patterns are the aliases, plus, where the ending tables say a name's last
 * letter gives way to an ending (Россия → России), the alias without that
 * letter, which matches only with an ending. A name followed by more letters
 * is a mention when those letters are a chain of endings of its script.
 */
#include "nergraph/matcher.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <utf8proc.h>

#include "buf.h"
#include "matcher_internal.h"
#include "utf8.h"

/* Letters (code points) in `s`. */
static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* The patterns: every alias, then the stems of those whose last letter an
 * ending replaces. Returns the normalised text of pattern `p` in *text. */
static void pattern_text(const ng_matcher *m, uint32_t p, const char **text, size_t *len)
{
    const ng_alias *al = ng_dict_alias(m->dict, m->pattern_alias[p]);
    if (m->pattern_flags[p] & JOINED) {
        *text = m->joined + m->pattern_joined[p];
        *len = strlen(*text);
        return;
    }
    *text = al->norm;
    *len = al->norm_len;
    if (m->pattern_flags[p] & NEEDS_ENDING) {
        *len = ng_utf8_prev(al->norm, *len);
    }
}

static ng_status add_pattern(ng_matcher *m, size_t *cap, uint32_t alias, uint8_t flags,
                             int8_t script)
{
    size_t before = *cap;
    if (NG_GROW(m->pattern_alias, *cap, (size_t)m->patterns + 1) != NG_OK)
        return NG_ENOMEM;
    if (*cap != before) { /* the other arrays grow with pattern_alias, not on every call */
        uint8_t *f = realloc(m->pattern_flags, *cap);
        if (!f)
            return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
        m->pattern_flags = f;
        int8_t *sc = realloc(m->pattern_script, *cap);
        if (!sc)
            return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
        m->pattern_script = sc;
        uint32_t *j = realloc(m->pattern_joined, *cap * sizeof *j);
        if (!j)
            return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
        m->pattern_joined = j;
    }
    m->pattern_joined[m->patterns] = (uint32_t)m->joined_len;
    m->pattern_alias[m->patterns] = alias;
    m->pattern_flags[m->patterns] = flags;
    m->pattern_script[m->patterns] = script;
    m->patterns++;
    return NG_OK;
}

/* The normalised alias without the hyphens its dictionary text writes
 * before a small letter (Ынты-мақтастық -> ынтымақтастық) into m->joined;
 * 0 if it has none. Hyphens are the same in the folded and the cased form,
 * so the n-th of one is the n-th of the other. */
static ng_status add_joined_text(ng_matcher *m, const ng_alias *al, int *added)
{
    *added = 0;
    size_t hyphen = 0, drop[16], ndrop = 0;
    const unsigned char *c = (const unsigned char *)al->cased;
    for (size_t i = 0; i + 1 < al->cased_len && ndrop < 16; i++)
        if (c[i] == '-') {
            int32_t next;
            if (ng_utf8_decode(c + i + 1, al->cased_len - i - 1, &next) &&
                utf8proc_category(next) == UTF8PROC_CATEGORY_LL)
                drop[ndrop++] = hyphen;
            hyphen++;
        }
    if (!ndrop)
        return NG_OK;
    if (NG_GROW(m->joined, m->joined_cap, m->joined_len + al->norm_len + 1) != NG_OK)
        return NG_ENOMEM;
    size_t o = m->joined_len, k = 0, d = 0;
    for (size_t i = 0; i < al->norm_len; i++) {
        if (al->norm[i] == '-' && d < ndrop && drop[d] == k++) {
            d++;
            continue;
        }
        m->joined[o++] = al->norm[i];
    }
    m->joined[o++] = '\0';
    m->joined_len = o;
    *added = 1;
    return NG_OK;
}

static ng_status collect_patterns(ng_matcher *m)
{
    size_t n = ng_dict_alias_count(m->dict), cap = 0;
    size_t min_stem = ng_suffixes_min_stem(m->suffixes);
    ng_status st = NG_OK;
    for (uint32_t a = 0; a < n && st == NG_OK; a++) {
        const ng_alias *al = ng_dict_alias(m->dict, a);
        ng_script script = ng_script_of_last_letter(al->norm, al->norm_len);
        int takes = ng_suffixes_any(m->suffixes, script) &&
                    count_chars(al->norm, al->norm_len) >= min_stem;
        st = add_pattern(m, &cap, a, 0, takes ? (int8_t)script : -1);
    }
    for (uint32_t a = 0; a < n && st == NG_OK; a++) {
        const ng_alias *al = ng_dict_alias(m->dict, a);
        ng_script script = ng_script_of_last_letter(al->norm, al->norm_len);
        size_t k = ng_utf8_prev(al->norm, al->norm_len);
        if (!(al->flags & NG_ALIAS_CASE_SENSITIVE) && ng_suffixes_any(m->suffixes, script) &&
            count_chars(al->norm, k) >= min_stem &&
            ng_suffixes_drops(m->suffixes, script, al->norm + k, al->norm_len - k))
            st = add_pattern(m, &cap, a, NEEDS_ENDING, (int8_t)script);
    }
    for (uint32_t a = 0; a < n && st == NG_OK; a++) {
        const ng_alias *al = ng_dict_alias(m->dict, a);
        int joined;
        uint32_t at = (uint32_t)m->joined_len;
        if ((st = add_joined_text(m, al, &joined)) == NG_OK && joined) {
            ng_script script = ng_script_of_last_letter(al->norm, al->norm_len);
            int takes = ng_suffixes_any(m->suffixes, script) &&
                        count_chars(al->norm, al->norm_len) >= min_stem;
            if ((st = add_pattern(m, &cap, a, JOINED, takes ? (int8_t)script : -1)) == NG_OK)
                m->pattern_joined[m->patterns - 1] = at;
        }
    }
    return st;
}

/* The pairs of byte classes that open patterns of one or two bytes: such
 * patterns end before the three-byte look-up of a walk would. */
static void collect_short_starts(ng_matcher *m)
{
    for (uint32_t p = 0; p < m->patterns; p++) {
        const char *text;
        size_t len;
        pattern_text(m, p, &text, &len);
        uint32_t c0 = len ? m->cls[(unsigned char)text[0]] : 0;
        if (len == 2) {
            uint32_t c1 = m->cls[(unsigned char)text[1]];
            m->short_starts[c0 << 5 | c1 >> 3] |= (uint8_t)(1u << (c1 & 7));
        } else if (len == 1) { /* whatever follows */
            memset(&m->short_starts[c0 << 5], 0xFF, 256 / 8);
        }
    }
}

/* Fibonacci hashing: the product's high bits depend on all of the key's. */
static inline uint32_t triple_slot(uint32_t key, uint32_t mask)
{
    return (uint32_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 40) & mask;
}

/* The state three levels deep that byte classes `key` lead to from the
 * root, with its OUT_FLAG; 0 if none. */
static inline uint32_t triple_state(const ng_matcher *m, uint32_t key)
{
    for (uint32_t h = triple_slot(key, m->triples_mask);; h = (h + 1) & m->triples_mask) {
        uint64_t e = m->triples[h];
        if ((uint32_t)(e >> 32) == key)
            return (uint32_t)e;
        if (!e)
            return 0;
    }
}

_Static_assert(DENSE_DEPTH + 2 > 4, "ng_matcher_index needs the start of level 4");

ng_status ng_matcher_index(ng_matcher *m)
{
    uint32_t u = 0;
    for (uint32_t k = 0; k < DENSE_DEPTH + 2; k++) {
        while (u < m->states && m->depth[u] < k)
            u++;
        m->level[k] = u;
    }
    /* Paths of the states up to three levels deep: classes, one byte each. */
    uint32_t shallow = m->level[4], triples = m->level[4] - m->level[3], size = 16;
    while (size < 2 * triples)
        size *= 2;
    uint32_t *path = malloc((shallow ? shallow : 1) * sizeof *path);
    free(m->triples);
    m->triples = calloc(size, sizeof *m->triples);
    if (!path || !m->triples) {
        free(path);
        return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
    }
    m->triples_mask = size - 1;
    path[0] = 0;
    for (u = 0; u < m->level[3]; u++)
        for (uint32_t v = m->first[u] & ~OUT_FLAG; v < (m->first[u + 1] & ~OUT_FLAG); v++) {
            path[v] = path[u] << 8 | m->label[v];
            if (v < m->level[3])
                continue;
            uint32_t h = triple_slot(path[v], m->triples_mask);
            while (m->triples[h])
                h = (h + 1) & m->triples_mask;
            m->triples[h] = (uint64_t)path[v] << 32 | v | (m->first[v] & OUT_FLAG);
        }
    free(path);
    return NG_OK;
}

/* The transition from `s` on byte class `c`, with OUT_FLAG: a row look-up
 * in a dense state; in a deep state its edge, or the failure links' answer. */
static inline uint32_t step(const ng_matcher *m, uint32_t s, uint32_t c)
{
    while (s >= m->dense) {
        uint32_t lo = m->first[s] & ~OUT_FLAG, hi = m->first[s + 1] & ~OUT_FLAG;
        for (uint32_t v = lo; v < hi && m->label[v] <= c; v++)
            if (m->label[v] == c)
                return v | (m->first[v] & OUT_FLAG);
        s = m->fail[s - m->dense];
    }
    return m->delta[(size_t)s * m->classes + c];
}

/* The trie while it is built: children in sibling lists sorted by class. */
typedef struct trie {
    uint32_t *child, *sib, *alias;
    uint8_t *label;
    size_t count, cap;
} trie;

static void trie_free(trie *t)
{
    free(t->child);
    free(t->sib);
    free(t->alias);
    free(t->label);
}

static ng_status trie_add(trie *t, uint8_t label, uint32_t *out)
{
    if (t->count >= OUT_FLAG)
        return ng_error_set(NG_ELIMIT, "dictionary too large for the matcher (%zu states)",
                            t->count);
    if (t->count == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        uint32_t *c = realloc(t->child, ncap * sizeof *c);
        if (c)
            t->child = c;
        uint32_t *s = realloc(t->sib, ncap * sizeof *s);
        if (s)
            t->sib = s;
        uint32_t *a = realloc(t->alias, ncap * sizeof *a);
        if (a)
            t->alias = a;
        uint8_t *l = realloc(t->label, ncap);
        if (l)
            t->label = l;
        if (!c || !s || !a || !l)
            return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
        t->cap = ncap;
    }
    t->child[t->count] = NONE;
    t->sib[t->count] = NONE;
    t->alias[t->count] = NONE;
    t->label[t->count] = label;
    *out = (uint32_t)t->count++;
    return NG_OK;
}

static ng_status build_trie(ng_matcher *m, trie *t)
{
    uint32_t root;
    ng_status st = trie_add(t, 0, &root);
    for (uint32_t p = 0; p < m->patterns && st == NG_OK; p++) {
        const char *text;
        size_t len;
        pattern_text(m, p, &text, &len);
        uint32_t s = root;
        for (size_t i = 0; i < len && st == NG_OK; i++) {
            uint8_t c = m->cls[(uint8_t)text[i]];
            uint32_t prev = NONE, v = t->child[s];
            while (v != NONE && t->label[v] < c) {
                prev = v;
                v = t->sib[v];
            }
            if (v == NONE || t->label[v] != c) {
                uint32_t n;
                if ((st = trie_add(t, c, &n)) != NG_OK)
                    break;
                t->sib[n] = v;
                if (prev == NONE)
                    t->child[s] = n;
                else
                    t->sib[prev] = n;
                v = n;
            }
            s = v;
        }
        /* Aliases are ordered by entity: the first claim of a text wins, and
         * the later ones wait in line behind it, for when a case-sensitive
         * alias ("NATO") does not match where another ("Nato") would. */
        if (st == NG_OK) {
            m->same[p] = NONE;
            if (t->alias[s] == NONE) {
                t->alias[s] = p;
            } else {
                uint32_t last = t->alias[s];
                while (m->same[last] != NONE)
                    last = m->same[last];
                m->same[last] = p;
            }
        }
    }
    return st;
}

/* Number the trie's states breadth first: first[], label[], alias[], depth[]. */
static ng_status number_states(ng_matcher *m, const trie *t)
{
    size_t n = t->count;
    uint32_t *order = malloc(n * sizeof *order); /* new number -> trie node */
    m->first = malloc((n + 1) * sizeof *m->first);
    m->label = malloc(n);
    m->alias = malloc(n * sizeof *m->alias);
    m->depth = malloc(n * sizeof *m->depth);
    m->out_link = calloc(n, sizeof *m->out_link);
    if (!order || !m->first || !m->label || !m->alias || !m->depth || !m->out_link) {
        free(order);
        return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
    }
    m->states = (uint32_t)n;
    size_t tail = 1;
    order[0] = 0;
    m->label[0] = 0;
    m->depth[0] = 0;
    for (size_t u = 0; u < n; u++) {
        m->first[u] = (uint32_t)tail;
        m->alias[u] = t->alias[order[u]];
        for (uint32_t v = t->child[order[u]]; v != NONE; v = t->sib[v]) {
            order[tail] = v;
            m->label[tail] = t->label[v];
            m->depth[tail] = m->depth[u] + 1;
            tail++;
        }
    }
    m->first[n] = (uint32_t)n;
    free(order);
    return NG_OK;
}

/* Failure links breadth first; the dense rows follow them; then the flags. */
static ng_status build_links(ng_matcher *m)
{
    uint32_t C = m->classes, n = m->states;
    size_t max_dense = DENSE_BYTES / ((size_t)C * sizeof(uint32_t));
    uint32_t d = 1;
    while (d < n && d < max_dense && m->depth[d] <= DENSE_DEPTH)
        d++;
    m->dense = d;
    uint32_t *fail = malloc((size_t)n * sizeof *fail);
    m->delta = malloc((size_t)d * C * sizeof *m->delta);
    if (!fail || !m->delta) {
        free(fail);
        return ng_error_set(NG_ENOMEM, "out of memory building the matcher");
    }
    /* step() reads m->fail with deep-state indices: point it into `fail`. */
    m->fail = fail + d;
    fail[0] = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint32_t lo = m->first[u], hi = m->first[u + 1];
        if (u < d) { /* a full row: the children, else the failure state's row */
            uint32_t *row = &m->delta[(size_t)u * C];
            if (u == 0)
                memset(row, 0, C * sizeof *row);
            else
                memcpy(row, &m->delta[(size_t)fail[u] * C], C * sizeof *row);
            for (uint32_t v = lo; v < hi; v++)
                row[m->label[v]] = v;
        }
        for (uint32_t v = lo; v < hi; v++) {
            uint32_t f = u == 0 ? 0 : step(m, fail[u], m->label[v]);
            fail[v] = f;
            m->out_link[v] = m->alias[f] != NONE ? f : m->out_link[f];
        }
    }
    m->fail = NULL;
    for (uint32_t u = 0; u < n; u++)
        if (m->alias[u] != NONE || m->out_link[u] != 0)
            m->first[u] |= OUT_FLAG;
    for (size_t i = 0; i < (size_t)d * C; i++)
        m->delta[i] |= m->first[m->delta[i]] & OUT_FLAG;
    /* Only the deep states keep a failure link. */
    memmove(fail, fail + d, (size_t)(n - d) * sizeof *fail);
    uint32_t *kept = realloc(fail, (n - d ? n - d : 1) * sizeof *fail);
    m->fail = kept ? kept : fail;
    return NG_OK;
}

ng_status ng_matcher_begin(ng_matcher **out, const ng_dict *dict, const ng_suffixes *suffixes)
{
    *out = NULL;
    ng_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return ng_error_set(NG_ENOMEM, "out of memory");
    m->dict = dict;
    m->suffixes = suffixes;
    uint8_t used[256] = {0};
    size_t n = ng_dict_alias_count(dict);
    for (uint32_t a = 0; a < n; a++) {
        const ng_alias *al = ng_dict_alias(dict, a);
        for (size_t i = 0; i < al->norm_len; i++)
            used[(uint8_t)al->norm[i]] = 1;
    }
    m->classes = 1;
    for (int b = 0; b < 256; b++)
        m->cls[b] = used[b] ? (uint8_t)m->classes++ : 0;
    ng_status st = collect_patterns(m);
    if (st != NG_OK) {
        ng_matcher_free(m);
        return st;
    }
    collect_short_starts(m);
    *out = m;
    return NG_OK;
}

ng_status ng_matcher_compile(ng_matcher *m)
{
    trie t = {0};
    ng_status st = NG_OK;
    if (!(m->same = malloc((m->patterns ? m->patterns : 1) * sizeof *m->same)))
        st = ng_error_set(NG_ENOMEM, "out of memory building the matcher");
    if (st == NG_OK)
        st = build_trie(m, &t);
    if (st == NG_OK)
        st = number_states(m, &t);
    trie_free(&t);
    if (st == NG_OK)
        st = build_links(m);
    if (st == NG_OK)
        st = ng_matcher_index(m);
    return st;
}

size_t ng_matcher_pattern_len(const ng_matcher *m, uint32_t p)
{
    const char *text;
    size_t len;
    pattern_text(m, p, &text, &len);
    return len;
}

ng_status ng_matcher_new(ng_matcher **out, const ng_dict *dict, const ng_suffixes *suffixes)
{
    ng_status st = ng_matcher_begin(out, dict, suffixes);
    if (st == NG_OK && (st = ng_matcher_compile(*out)) != NG_OK) {
        ng_matcher_free(*out);
        *out = NULL;
    }
    return st;
}

void ng_matcher_drop_automaton(ng_matcher *m)
{
    if (m->image) {
        munmap(m->image, m->image_len);
    } else {
        free(m->same);
        free(m->delta);
        free(m->first);
        free(m->label);
        free(m->fail);
        free(m->alias);
        free(m->out_link);
        free(m->depth);
    }
    free(m->triples);
    m->triples = NULL;
    m->image = NULL;
    m->same = m->delta = m->first = m->fail = m->alias = m->out_link = m->depth = NULL;
    m->label = NULL;
    m->states = m->dense = 0;
}

void ng_matcher_free(ng_matcher *m)
{
    if (!m)
        return;
    ng_matcher_drop_automaton(m);
    free(m->pattern_alias);
    free(m->pattern_flags);
    free(m->pattern_script);
    free(m->pattern_joined);
    free(m->joined);
    free(m);
}

/* ---- scanning ---- */


/* Is the character that starts at `end` part of a word? */
static int word_at(const unsigned char *s, size_t len, size_t end)
{
    if (end >= len)
        return 0;
    if (s[end] < 0x80)
        return ng_utf8_is_word(s[end]);
    int32_t cp;
    size_t k = ng_utf8_decode(s + end, len - end, &cp);
    return k ? ng_utf8_is_word(cp) : 1;
}

/* Is the character that ends just before `start` part of a word? */
static int word_before(const unsigned char *s, size_t start)
{
    if (start == 0)
        return 0;
    size_t p = start - 1;
    if (s[p] < 0x80)
        return ng_utf8_is_word(s[p]);
    while (p > 0 && start - p < 4 && (s[p] & 0xC0) == 0x80)
        p--;
    int32_t cp;
    size_t k = ng_utf8_decode(s + p, start - p, &cp);
    return k == start - p ? ng_utf8_is_word(cp) : 1;
}

/* A case-sensitive alias matches only if the decoded text of the name,
 * normalised without case folding, equals the alias normalised the same way. */
static ng_status case_matches(const ng_alias *al, const ng_norm *norm, const char *text,
                              size_t text_len, uint32_t start, uint32_t end, ng_norm *cased,
                              int *ok)
{
    size_t from = norm->map[start];
    size_t to = ng_norm_source_end(norm, text, text_len, end - 1);
    /* ASCII letters and digits normalise to themselves: "us" against "US"
     * needs no normalising (the usual case: a common word that is also an
     * acronym). */
    size_t i = from;
    while (i < to && (unsigned char)text[i] < 0x80 && ng_utf8_is_word((unsigned char)text[i]))
        i++;
    if (i == to) {
        *ok = to - from == al->cased_len && memcmp(text + from, al->cased, al->cased_len) == 0;
        return NG_OK;
    }
    ng_status st = ng_normalize(cased, text + from, to - from, 0);
    if (st != NG_OK)
        return st;
    *ok = cased->len == al->cased_len && memcmp(cased->data, al->cased, al->cased_len) == 0;
    return NG_OK;
}

/* May pattern `p` stand where its name is followed by an ending (`ending`)
 * or not? A stem needs an ending; a name takes one if its script has them. */
static int usable(const ng_matcher *m, uint32_t p, int ending)
{
    return ending ? m->pattern_script[p] >= 0 : !(m->pattern_flags[p] & NEEDS_ENDING);
}

static int compare_candidates(const void *a, const void *b)
{
    const ng_match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->name_end != y->name_end)
        return x->name_end > y->name_end ? -1 : 1;
    return x->alias < y->alias ? -1 : x->alias > y->alias;
}

/* Where the letters that follow a name at `name_end` stop (`name_end` when
 * none do): the ending the name would have to take. */
static uint32_t ending_end(const unsigned char *s, size_t len, uint32_t name_end)
{
    uint32_t end = name_end;
    while (word_at(s, len, end))
        end += (uint32_t)(s[end] < 0xC0 ? 1 : s[end] < 0xE0 ? 2 : s[end] < 0xF0 ? 3 : 4);
    return end > len ? (uint32_t)len : end;
}

/* The candidate of state `t` (its alias's text starts at `start`, where no
 * word character precedes it), ending at `name_end` and then `end`: the
 * first of its patterns that may stand there, if the ending is one. */
static ng_status add_candidate(const ng_matcher *m, const unsigned char *s, uint32_t t,
                               uint32_t start, uint32_t name_end, uint32_t end,
                               ng_match_vec *cand)
{
    int ending = end > name_end;
    uint32_t p = m->alias[t];
    while (p != NONE && !usable(m, p, ending))
        p = m->same[p];
    if (p == NONE ||
        (ending && !ng_suffixes_accept(m->suffixes, (ng_script)m->pattern_script[p],
                                       (const char *)s + start, name_end - start,
                                       (const char *)s + name_end, end - name_end)))
        return NG_OK;
    ng_status st = NG_GROW(cand->items, cand->cap, cand->count + 1);
    if (st == NG_OK)
        cand->items[cand->count++] = (ng_match){start, end, p, name_end};
    return st;
}

/* The automaton over the whole text: every state of the scan follows the
 * failure links, so time is linear in the text whatever the patterns. */
static ng_status scan_automaton(const ng_matcher *m, const unsigned char *s, size_t len,
                                ng_match_vec *cand)
{
    const uint32_t *delta = m->delta;
    const uint8_t *cls = m->cls;
    uint32_t C = m->classes, dense = m->dense, state = 0;
    ng_status st;
    for (size_t i = 0; i < len; i++) {
        uint32_t next = state < dense ? delta[(size_t)state * C + cls[s[i]]]
                                      : step(m, state, cls[s[i]]);
        state = next & ~OUT_FLAG;
        if (!(next & OUT_FLAG))
            continue;
        uint32_t name_end = (uint32_t)i + 1, end = ending_end(s, len, name_end);
        for (uint32_t t = m->alias[state] != NONE ? state : m->out_link[state]; t;
             t = m->out_link[t]) {
            uint32_t start = name_end - m->depth[t];
            if (!word_before(s, start) &&
                (st = add_candidate(m, s, t, start, name_end, end, cand)) != NG_OK)
                return st;
        }
    }
    if (cand->count > 1)
        qsort(cand->items, cand->count, sizeof *cand->items, compare_candidates);
    return NG_OK;
}

/* The walk from `i` took byte `j` to the state in `next` (with its
 * OUT_FLAG): a candidate if a pattern ends there. */
static inline ng_status reached(const ng_matcher *m, const unsigned char *s, size_t len,
                                uint32_t next, size_t i, size_t j, ng_match_vec *cand)
{
    uint32_t state = next & ~OUT_FLAG;
    if (!(next & OUT_FLAG) || m->alias[state] == NONE)
        return NG_OK;
    uint32_t name_end = (uint32_t)j + 1;
    return add_candidate(m, s, state, (uint32_t)i, name_end, ending_end(s, len, name_end), cand);
}

/* Bytes that leave a scan inside a word, whatever comes next: ASCII letters
 * and digits, continuation bytes, and the lead bytes of blocks of letters
 * only (U+0100-017F Latin Extended-A, U+0400-047F and U+04C0-04FF Cyrillic).
 * Normalised text is valid UTF-8, so a continuation byte belongs to a
 * character whose lead was looked at already. */
static const uint8_t inside_word[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 1x */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 2x */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 3x */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 4x */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 5x */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 6x */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 7x */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 8x */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 9x */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* Ax */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* Bx */
    0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* Cx */
    1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* Dx */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* Ex */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* Fx */
};

/* Where the bytes of a text are not inside_word, one bit each, 64 bytes at
 * a time: a scan asks for the next word start over and over, and one look
 * at 64 bytes serves the several words in them. */
typedef struct word_edges {
    const unsigned char *s;
    size_t len;
    size_t at;        /* the offset of bit 0 */
    uint64_t outside; /* bit k: s[at + k] is not inside_word, or at + k >= len */
} word_edges;

static void look_at(word_edges *w, size_t at)
{
    const unsigned char *s = w->s;
    uint64_t inside = 0;
    size_t k = 0;
#ifdef __SSE2__
    for (; k < 64 && at + k + 16 <= w->len; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + at + k));
        __m128i in = _mm_or_si128(
            _mm_or_si128(ng_bytes_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'),
                         ng_bytes_in_range(v, '0', '9')),
            _mm_or_si128(
                _mm_or_si128(ng_bytes_in_range(v, 0x80, 0xBF), ng_bytes_in_range(v, 0xC4, 0xC5)),
                _mm_or_si128(ng_bytes_in_range(v, 0xD0, 0xD1),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xD3)))));
        inside |= (uint64_t)(unsigned)_mm_movemask_epi8(in) << k;
    }
#endif
    for (; k < 64 && at + k < w->len; k++) /* the same set, by the table */
        inside |= (uint64_t)inside_word[s[at + k]] << k;
    w->at = at;
    w->outside = ~inside;
}

/* The first offset at or after `i` among the bytes looked at whose byte is
 * not inside_word (or is past the text); SIZE_MAX when there is none there,
 * or `i` is not among them. */
static inline size_t edge_looked_at(const word_edges *w, size_t i)
{
    uint64_t rest = i - w->at < 64 ? w->outside >> (i - w->at) : 0;
    return rest ? i + (size_t)__builtin_ctzll(rest) : SIZE_MAX;
}

/* The first offset at or after `i` whose byte is not inside_word, or len. */
static size_t skip_inside_word(word_edges *w, size_t i)
{
    for (;;) {
        size_t edge = edge_looked_at(w, i);
        if (edge != SIZE_MAX)
            return edge < w->len ? edge : w->len;
        if (i - w->at < 64) /* none in the rest of the bytes looked at */
            i = w->at + 64;
        if (i >= w->len)
            return w->len;
        look_at(w, i);
    }
}

/* The first offset after `i` where a name may start: just past the first
 * character at or after `i` that is not part of a word; `len` if none. */
static size_t next_start_any(word_edges *w, size_t i)
{
    const unsigned char *s = w->s;
    size_t len = w->len;
    for (;;) {
        i = skip_inside_word(w, i);
        if (i >= len)
            return len;
        if (s[i] < 0x80)
            return i + 1;
        int32_t cp;
        size_t k = ng_utf8_decode(s + i, len - i, &cp);
        if (!k) { /* a broken sequence reads as part of a word, as word_before has it */
            if (!word_before(s, ++i))
                return i;
            continue;
        }
        i += k;
        if (!ng_utf8_is_word(cp))
            return i;
    }
}

/* next_start_any, inline where the word ends at an ASCII byte (a space, a
 * comma) within the bytes looked at: most words. */
static inline size_t next_start(word_edges *w, size_t i)
{
    size_t edge = edge_looked_at(w, i);
    if (edge < w->len && w->s[edge] < 0x80)
        return edge + 1;
    return next_start_any(w, i);
}

/* Steps a scan from the word starts may take, per byte of text, before the
 * automaton takes over (patterns of many short words over text of many
 * short words would walk the same bytes again and again). */
#define WALK_BUDGET 4

/* Names start only where no word character precedes them, so the scan walks
 * the trie from each such offset and skips the rest of every word: most
 * bytes of a text are inside words that start no name. The walk follows
 * trie edges only; in a dense row a transition is an edge exactly when it
 * leads to the state's first child or beyond (breadth-first numbers: every
 * state from there on is deeper, a failure target is not). Candidates come out by start, and for
 * one start by name end, so each start's run is reversed into the order of
 * compare_candidates (longest first). Returns NG_ELIMIT past the budget. */
static ng_status scan_words(const ng_matcher *m, const unsigned char *s, size_t len,
                            ng_match_vec *cand)
{
    const uint32_t *delta = m->delta;
    const uint8_t *cls = m->cls;
    uint32_t C = m->classes, dense = m->dense;
    size_t budget = WALK_BUDGET * len + 4096;
    word_edges edges = {s, len, SIZE_MAX - 64, 0};
    ng_status st;
    for (size_t i = 0; i < len;) {
        uint32_t c0 = cls[s[i]], c1 = i + 1 < len ? cls[s[i + 1]] : 0;
        size_t run = cand->count, j = i;
        uint32_t state = 0;
        int in_word = 1; /* every byte walked leaves the scan inside a word */
        if (!(m->short_starts[c0 << 5 | c1 >> 3] >> (c1 & 7) & 1)) {
            /* No pattern ends within two bytes: the first three bytes lead
             * to a state three levels deep in one look-up, or nowhere. */
            uint32_t c2 = i + 2 < len ? cls[s[i + 2]] : 0,
                     next = triple_state(m, c0 << 16 | c1 << 8 | c2);
            if (!next) {
                i = next_start(&edges, i);
                continue;
            }
            state = next & ~OUT_FLAG;
            j = i + 2; /* a class is never 0 on a path: the text has the three bytes */
            in_word = inside_word[s[i]] & inside_word[s[i + 1]] & inside_word[s[j]];
            if ((st = reached(m, s, len, next, i, j++, cand)) != NG_OK)
                return st;
        }
        /* A walk only goes deeper: once past the dense rows it stays past. */
        for (; j < len && state < dense; j++) {
            uint32_t next = delta[(size_t)state * C + cls[s[j]]];
            if ((next & ~OUT_FLAG) < m->level[j - i + 1]) /* not one level deeper */
                break;
            state = next & ~OUT_FLAG;
            in_word &= inside_word[s[j]];
            if ((st = reached(m, s, len, next, i, j, cand)) != NG_OK)
                return st;
        }
        for (; j < len && state >= dense; j++) {
            uint32_t c = cls[s[j]], v = m->first[state] & ~OUT_FLAG,
                     hi = m->first[state + 1] & ~OUT_FLAG;
            while (v < hi && m->label[v] < c)
                v++;
            if (v == hi || m->label[v] != c)
                break;
            state = v;
            in_word &= inside_word[s[j]];
            if ((st = reached(m, s, len, v | (m->first[v] & OUT_FLAG), i, j, cand)) != NG_OK)
                return st;
        }
        if (j - i > budget)
            return NG_ELIMIT;
        budget -= j - i;
        for (size_t a = run, b = cand->count; b > a + 1; a++, b--) {
            ng_match x = cand->items[a];
            cand->items[a] = cand->items[b - 1];
            cand->items[b - 1] = x;
        }
        i = next_start(&edges, in_word ? j : i);
    }
    return NG_OK;
}

ng_status ng_matcher_scan(const ng_matcher *m, const ng_norm *norm, const char *text,
                          size_t text_len, ng_scan_scratch *scratch, ng_match_vec *out)
{
    ng_match_vec *cand = &scratch->candidates;
    cand->count = 0;
    out->count = 0;
    const unsigned char *s = (const unsigned char *)norm->data;
    size_t len = norm->len;
    ng_status st = scan_words(m, s, len, cand);
    if (st == NG_ELIMIT) {
        cand->count = 0;
        st = scan_automaton(m, s, len, cand);
    }
    if (st != NG_OK)
        return st;
    uint32_t taken_end = 0;
    for (size_t c = 0; c < cand->count; c++) {
        const ng_match *x = &cand->items[c];
        if (x->start < taken_end)
            continue;
        int ending = x->end > x->name_end;
        /* The first pattern with this text that fits here, case included. */
        uint32_t p = x->alias;
        for (; p != NONE; p = m->same[p]) {
            if (!usable(m, p, ending))
                continue;
            const ng_alias *al = ng_dict_alias(m->dict, m->pattern_alias[p]);
            if (!(al->flags & NG_ALIAS_CASE_SENSITIVE))
                break;
            int ok;
            if ((st = case_matches(al, norm, text, text_len, x->start, x->name_end,
                                   &scratch->cased, &ok)) != NG_OK)
                return st;
            if (ok)
                break;
        }
        if (p == NONE)
            continue;
        if ((st = NG_GROW(out->items, out->cap, out->count + 1)) != NG_OK)
            return st;
        out->items[out->count++] = (ng_match){x->start, x->end, m->pattern_alias[p], x->name_end};
        taken_end = x->end;
    }
    return NG_OK;
}

void ng_match_vec_destroy(ng_match_vec *v)
{
    free(v->items);
    memset(v, 0, sizeof *v);
}

void ng_scan_scratch_destroy(ng_scan_scratch *s)
{
    ng_match_vec_destroy(&s->candidates);
    ng_norm_destroy(&s->cased);
}
