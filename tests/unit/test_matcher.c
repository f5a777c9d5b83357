/* test_matcher.c: stage 6, finding aliases in normalised text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "utf8.h"

/* ---- a dictionary in a temporary directory ---- */

typedef struct world {
    ng_dict *dict;
    ng_matcher *matcher;
} world;

/* Load `json` as a dictionary and build a matcher over it. */
static int world_open(world *w, const char *json)
{
    memset(w, 0, sizeof *w);
    w->dict = ng_test_load_dict(json);
    if (ng_matcher_new(&w->matcher, w->dict, NULL) != NG_OK) {
        ng_dict_free(w->dict);
        return -1;
    }
    return 0;
}

static void world_close(world *w)
{
    ng_matcher_free(w->matcher);
    ng_dict_free(w->dict);
    memset(w, 0, sizeof *w);
}

#define ENTITY(key, cat, aliases) \
    "{\"key\": \"" key "\", \"label\": \"" key "\", \"category\": \"" cat "\", \"aliases\": [" \
    aliases "]}"
#define A(text, lang) "{\"text\": \"" text "\", \"lang\": \"" lang "\"}"
#define A_DEM(text, lang) "{\"text\": \"" text "\", \"lang\": \"" lang "\", \"demonym\": true}"

static const char main_dict[] =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    ENTITY("apk", "organization", A("Assembly of People of Kazakhstan", "en")) ",\n"
    ENTITY("cn", "state", A("China", "en") "," A("中国", "zh") "," A_DEM("Chinese", "en")) ",\n"
    ENTITY("elka", "place", A("Ёлка", "ru")) ",\n"
    ENTITY("istanbul", "place", A("İstanbul", "tr")) ",\n"
    ENTITY("kz", "state",
           A("Kazakhstan", "en") "," A("Republic of Kazakhstan", "en") ","
           A("Kazakhstan Republic", "en") "," A("Қазақстан", "kk") "," A("Kazakistan", "tr") ","
           A("Казахстан", "ru") "," A("ҚР", "kk") "," A_DEM("Kazakh", "en")) ",\n"
    ENTITY("nato", "organization", A("NATO", "en") "," A("Nato", "en")) ",\n"
    ENTITY("nazarbayev", "person",
           A("N.A. Nazarbayev", "en") "," A("Nazarbayev", "en") "," A("Назарбаев", "ru")) ",\n"
    ENTITY("sco", "organization",
           A("Shanghai Cooperation Organization", "en") "," A("ШЫҰ", "kk")) ",\n"
    ENTITY("us", "state", A("US", "en") "," A("U.S.", "en") "," A("United States", "en")) ",\n"
    ENTITY("x-he", "person", A("he", "en")) ",\n"
    ENTITY("x-hers", "person", A("hers", "en")) ",\n"
    ENTITY("x-his", "person", A("his", "en")) ",\n"
    ENTITY("x-she", "person", A("she", "en")) "\n"
    "]}\n";

static int setup_main(void **state)
{
    world *w = malloc(sizeof *w);
    if (!w || world_open(w, main_dict) != 0) {
        free(w);
        return -1;
    }
    *state = w;
    return 0;
}

static int teardown_main(void **state)
{
    world *w = *state;
    world_close(w);
    free(w);
    return 0;
}

/* ---- scanning a text the way the pipeline does ---- */

typedef struct scan_result {
    ng_norm norm;
    ng_scan_scratch scratch;
    ng_match_vec matches;
} scan_result;

static void scan(const world *w, scan_result *r, const char *text, size_t len)
{
    assert_int_equal(ng_normalize(&r->norm, text, len, NG_NORM_FOLD), NG_OK);
    assert_int_equal(
        ng_matcher_scan(w->matcher, &r->norm, text, len, &r->scratch, &r->matches), NG_OK);
}

static void scan_result_destroy(scan_result *r)
{
    ng_norm_destroy(&r->norm);
    ng_scan_scratch_destroy(&r->scratch);
    ng_match_vec_destroy(&r->matches);
}

/* "surface=key;surface=key": what the matches cover in the decoded text. */
static void describe(const world *w, const scan_result *r, const char *text, size_t len,
                     char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->matches.count; i++) {
        const ng_match *x = &r->matches.items[i];
        const ng_alias *al = ng_dict_alias(w->dict, x->alias);
        size_t from = r->norm.map[x->start];
        size_t to = ng_norm_source_end(&r->norm, text, len, x->end - 1);
        /* the match is exactly the alias's normalised bytes, with no ending */
        assert_int_equal(x->end - x->start, al->norm_len);
        assert_int_equal(x->name_end, x->end);
        assert_memory_equal(r->norm.data + x->start, al->norm, al->norm_len);
        int n = snprintf(out + o, cap - o, "%s%.*s=%s", i ? ";" : "", (int)(to - from),
                         text + from, ng_dict_entity(w->dict, al->entity)->key);
        assert_true(n > 0 && (size_t)n < cap - o);
        o += (size_t)n;
    }
}

typedef struct match_case {
    const char *text;
    const char *want;
} match_case;

static const match_case match_cases[] = {
    /* whole words only */
    {"Chinatown is not China.", "China=cn"},
    {"Kazakhstan2050 2050Kazakhstan _Kazakhstan", "Kazakhstan=kz"},
    {"Kazakhstan's economy and Kazakhstan’s people", "Kazakhstan=kz;Kazakhstan=kz"},
    {"Kazakistan’ın başkenti", "Kazakistan=kz"},
    {"Қазақстандық және казахстанский", ""}, /* derived adjectives are other words */
    {"中国 and 中国人", "中国=cn"},
    /* punctuation on either side */
    {"(Kazakhstan) «Қазақстан» Kazakhstan—China Kazakhstan/China",
     "Kazakhstan=kz;Қазақстан=kz;Kazakhstan=kz;China=cn;Kazakhstan=kz;China=cn"},
    {"Kazakhstan•China, Kazakhstan·China; Kazakhstan\xEF\xBF\xBD",
     "Kazakhstan=kz;China=cn;Kazakhstan=kz;China=cn;Kazakhstan=kz"},
    /* a combining mark belongs to the word it follows */
    {"Kazakhstan\xCC\x81 China", "China=cn"},
    /* leftmost-longest */
    {"The Republic of Kazakhstan and the Kazakhstan Republic.",
     "Republic of Kazakhstan=kz;Kazakhstan Republic=kz"},
    {"Kazakhstan Republicans", "Kazakhstan=kz"},
    {"the Assembly of People of Kazakhstan met", "Assembly of People of Kazakhstan=apk"},
    {"Assembly of People of Kazakhstan2", ""},
    {"Kazakh-Uzbek friendship, Kazakhstan", "Kazakh=kz;Kazakhstan=kz"},
    {"N.A. Nazarbayev and Nazarbayev, Назарбаев",
     "N.A. Nazarbayev=nazarbayev;Nazarbayev=nazarbayev;Назарбаев=nazarbayev"},
    /* overlapping aliases sharing prefixes and suffixes */
    {"ushers she hers his he sheer hershe", "she=x-she;hers=x-hers;his=x-his;he=x-he"},
    /* case-sensitive acronyms */
    {"US and us and Us and U.S. and USA and u.s.", "US=us;U.S.=us"},
    {"ＵＳ", "ＵＳ=us"},
    {"ҚР Президенті, қр, Қр", "ҚР=kz"},
    /* across a line break, a soft hyphen, a no-break space */
    {"the Shanghai Cooperation\n\nOrganization summit",
     "Shanghai Cooperation\n\nOrganization=sco"},
    {"Chi\xC2\xADna and United\xC2\xA0States", "Chi\xC2\xADna=cn;United\xC2\xA0States=us"},
    /* Cyrillic and Turkish */
    {"ҚАЗАҚСТАН мен ҚЫТАЙ, Қазақстан, қазақстан", "ҚАЗАҚСТАН=kz;Қазақстан=kz;қазақстан=kz"},
    {"КАЗАҚСТАН", ""}, /* a Russian К is not a Kazakh Қ */
    {"Казахстан и Ёлка, ёлка, ЕЛКА", "Казахстан=kz;Ёлка=elka;ёлка=elka;ЕЛКА=elka"},
    {"İSTANBUL, istanbul, Istanbul, ıstanbul, İstanbul’da",
     "İSTANBUL=istanbul;istanbul=istanbul;Istanbul=istanbul;ıstanbul=istanbul;"
     "İstanbul=istanbul"},
    {"ШЫҰ саммиті", "ШЫҰ=sco"},
    /* nothing */
    {"", ""},
    {"   \n ", ""},
};

static void test_match_cases(void **state)
{
    const world *w = *state;
    scan_result r = {0};
    char got[1024];
    for (size_t c = 0; c < sizeof match_cases / sizeof *match_cases; c++) {
        const match_case *mc = &match_cases[c];
        size_t len = strlen(mc->text);
        scan(w, &r, mc->text, len);
        describe(w, &r, mc->text, len, got, sizeof got);
        if (strcmp(got, mc->want) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", mc->text, got, mc->want);
    }
    scan_result_destroy(&r);
}

static const ng_alias *alias_of(const world *w, const ng_match *x)
{
    return ng_dict_alias(w->dict, x->alias);
}

static void test_offsets_and_aliases(void **state)
{
    const world *w = *state;
    scan_result r = {0};
    static const char text[] = "The Republic of Kazakhstan and US.";
    scan(w, &r, text, sizeof text - 1);
    assert_int_equal(r.matches.count, 2);
    /* normalised offsets: "the republic of kazakhstan and us." */
    assert_int_equal(r.matches.items[0].start, 4);
    assert_int_equal(r.matches.items[0].end, 26);
    assert_string_equal(alias_of(w, &r.matches.items[0])->text, "Republic of Kazakhstan");
    assert_int_equal(r.matches.items[1].start, 31);
    assert_int_equal(r.matches.items[1].end, 33);
    assert_string_equal(alias_of(w, &r.matches.items[1])->text, "US");

    /* Demonyms are found; the flag tells the pipeline what they are. */
    static const char dem[] = "Chinese and Kazakh";
    scan(w, &r, dem, sizeof dem - 1);
    assert_int_equal(r.matches.count, 2);
    assert_true(alias_of(w, &r.matches.items[0])->flags & NG_ALIAS_DEMONYM);
    assert_true(alias_of(w, &r.matches.items[1])->flags & NG_ALIAS_DEMONYM);

    /* The output vector is reused: contents replaced, never appended. */
    scan(w, &r, "China", 5);
    assert_int_equal(r.matches.count, 1);
    scan(w, &r, "nothing here", 12);
    assert_int_equal(r.matches.count, 0);
    scan_result_destroy(&r);
}

/* "NATO" is case-sensitive (an acronym), "Nato" is not; both normalise to
 * "nato". Each spelling is found, by the alias that matches it. */
static void test_same_text_case_variants(void **state)
{
    const world *w = *state;
    scan_result r = {0};
    static const char text[] = "NATO summit; a Nato summit; nato; NaTo";
    static const char *const want[] = {"NATO", "Nato", "Nato", "Nato"};
    scan(w, &r, text, sizeof text - 1);
    assert_int_equal(r.matches.count, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(alias_of(w, &r.matches.items[i])->text, want[i]);
    scan_result_destroy(&r);
}

/* ---- many aliases: the automaton grows ---- */

static void test_many_aliases(void **state)
{
    (void)state;
    enum { N = 1500 };
    size_t cap = 256 * 1024, o = 0;
    char *json = malloc(cap);
    char *text = malloc(cap);
    assert_non_null(json);
    assert_non_null(text);
    o += (size_t)snprintf(json + o, cap - o, "{\"nergraph_dictionary\": 1, \"entities\": [");
    for (int i = 0; i < N; i++)
        o += (size_t)snprintf(json + o, cap - o,
                              "%s{\"key\": \"e%04d\", \"label\": \"E\", \"category\": \"place\", "
                              "\"aliases\": [{\"text\": \"Place %d Қала\", \"lang\": \"kk\"}]}",
                              i ? ", " : "", i, i * 7919 % 100000);
    snprintf(json + o, cap - o, "]}");
    world w;
    assert_int_equal(world_open(&w, json), 0);
    /* every alias once, in reverse order, separated by commas */
    size_t t = 0;
    for (int i = N - 1; i >= 0; i--)
        t += (size_t)snprintf(text + t, cap - t, "%sPLACE %d ҚАЛА", i == N - 1 ? "" : ", ",
                              i * 7919 % 100000);
    scan_result r = {0};
    scan(&w, &r, text, t);
    assert_int_equal(r.matches.count, N);
    for (size_t k = 0; k < N; k++) {
        const ng_alias *al = alias_of(&w, &r.matches.items[k]);
        char key[16];
        snprintf(key, sizeof key, "e%04d", (int)(N - 1 - k));
        assert_string_equal(ng_dict_entity(w.dict, al->entity)->key, key);
    }
    scan_result_destroy(&r);
    world_close(&w);
    free(json);
    free(text);
}

/* ---- differential test against a naive matcher ---- */

static const char diff_dict[] =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    ENTITY("e0", "place", A("AB", "en") "," A("b'c", "en")) ",\n"
    ENTITY("e1", "place", A("ab", "en") "," A("abc", "en") "," A("c a", "en")) ",\n"
    ENTITY("e2", "place", A("b", "en") "," A("bc", "en") "," A("BC", "en")) ",\n"
    ENTITY("e3", "place", A("a-b", "en") "," A("a b c", "en") "," A("ca", "en")) ",\n"
    ENTITY("e4", "place",
           A("қа", "kk") "," A("қаз", "kk") "," A("аз", "kk") "," A("İa", "tr") ","
           A("Ia", "tr") "," A("ҚА", "kk")) "\n"
    "]}\n";

static const char *const pieces[] = {
    /* alias material, in several cases */
    "ab", "AB", "Ab", "abc", "ABC", "b", "B", "bc", "BC", "c", "C", "a", "A", "ca", "c a",
    "a b c", "a-b", "b'c", "b’c", "қа", "ҚА", "Қа", "қаз", "аз", "İa", "ıa", "Ia", "ia", "I",
    /* separators and neighbours */
    " ", " ", " ", "  ", "\n", "\n\n", ",", ".", "-", "'", "’", "«", "»", "•", "\xC2\xA0",
    "\xC2\xAD", "\xCC\x81", "x", "7", "з", "ı",
};

static uint32_t lcg_state = 20240229u;

static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}

static int ref_is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    switch (c) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* The code point of `s` that contains byte `i` (s is valid UTF-8). */
static int32_t cp_containing(const char *s, size_t len, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    int32_t cp;
    size_t k = ng_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    assert_true(k > 0);
    return cp;
}

static int cmp_ref(const void *a, const void *b)
{
    const ng_match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return x->alias < y->alias ? -1 : x->alias > y->alias;
}

/* Every alias at every position, word boundaries checked, then the longest
 * match leftmost, the case of case-sensitive aliases checked in the text. */
static size_t naive_scan(const world *w, const ng_norm *norm, const char *text, size_t text_len,
                         ng_match *out, size_t cap)
{
    size_t n_alias = ng_dict_alias_count(w->dict), cand_count = 0, cand_cap = 1024;
    ng_match *cand = malloc(cand_cap * sizeof *cand);
    assert_non_null(cand);
    for (size_t s = 0; s < norm->len; s++) {
        for (uint32_t a = 0; a < n_alias; a++) {
            const ng_alias *al = ng_dict_alias(w->dict, a);
            if (s + al->norm_len > norm->len ||
                memcmp(norm->data + s, al->norm, al->norm_len) != 0)
                continue;
            size_t e = s + al->norm_len;
            if (s > 0 && ref_is_word_cp(cp_containing(norm->data, norm->len, s - 1)))
                continue;
            if (e < norm->len && ref_is_word_cp(cp_containing(norm->data, norm->len, e)))
                continue;
            if (cand_count == cand_cap) {
                cand_cap *= 2;
                cand = realloc(cand, cand_cap * sizeof *cand);
                assert_non_null(cand);
            }
            cand[cand_count++] = (ng_match){(uint32_t)s, (uint32_t)e, a, (uint32_t)e};
        }
    }
    qsort(cand, cand_count, sizeof *cand, cmp_ref);
    size_t n = 0;
    uint32_t taken = 0;
    ng_norm cased = {0};
    for (size_t c = 0; c < cand_count; c++) {
        if (cand[c].start < taken)
            continue;
        const ng_alias *al = ng_dict_alias(w->dict, cand[c].alias);
        if (al->flags & NG_ALIAS_CASE_SENSITIVE) {
            size_t from = norm->map[cand[c].start];
            size_t to = ng_norm_source_end(norm, text, text_len, cand[c].end - 1);
            assert_int_equal(ng_normalize(&cased, text + from, to - from, 0), NG_OK);
            if (cased.len != al->cased_len || memcmp(cased.data, al->cased, cased.len) != 0)
                continue;
        }
        assert_true(n < cap);
        out[n++] = cand[c];
        taken = cand[c].end;
    }
    ng_norm_destroy(&cased);
    free(cand);
    return n;
}

static void test_differential(void **state)
{
    (void)state;
    world w;
    assert_int_equal(world_open(&w, diff_dict), 0);
    /* the dictionary is what the test thinks it is */
    assert_int_equal(ng_dict_alias_count(w.dict), 17);
    assert_true(ng_dict_alias(w.dict, 0)->flags & NG_ALIAS_CASE_SENSITIVE); /* AB */
    scan_result r = {0};
    ng_match ref[256];
    char text[512];
    size_t npieces = sizeof pieces / sizeof *pieces, total = 0, nonempty = 0;
    size_t per_alias[17] = {0};
    for (int iter = 0; iter < 6000; iter++) {
        size_t len = 0, count = 1 + lcg() % 20;
        for (size_t p = 0; p < count; p++) {
            const char *piece = pieces[lcg() % npieces];
            size_t pl = strlen(piece);
            memcpy(text + len, piece, pl);
            len += pl;
        }
        text[len] = '\0';
        scan(&w, &r, text, len);
        size_t n = naive_scan(&w, &r.norm, text, len, ref, 256);
        int same = n == r.matches.count;
        for (size_t i = 0; same && i < n; i++)
            same = ref[i].start == r.matches.items[i].start &&
                   ref[i].end == r.matches.items[i].end &&
                   ref[i].name_end == r.matches.items[i].name_end &&
                   ref[i].alias == r.matches.items[i].alias;
        if (!same) {
            for (size_t i = 0; i < r.matches.count; i++)
                print_error("matcher [%u,%u) %s\n", r.matches.items[i].start,
                            r.matches.items[i].end, alias_of(&w, &r.matches.items[i])->text);
            for (size_t i = 0; i < n; i++)
                print_error("naive   [%u,%u) %s\n", ref[i].start, ref[i].end,
                            ng_dict_alias(w.dict, ref[i].alias)->text);
            fail_msg("iteration %d: \"%s\" (normalised \"%.*s\")", iter, text, (int)r.norm.len,
                     r.norm.data);
        }
        total += n;
        nonempty += n > 0;
        for (size_t i = 0; i < n; i++)
            per_alias[ref[i].alias]++;
    }
    /* The texts were not trivial: every alias was found many times, except
     * "İa", which "Ia" (same normalised text, same entity, earlier in byte
     * order, not case-sensitive) always claims first. */
    assert_true(total > 6000);
    assert_true(nonempty > 3500);
    for (uint32_t a = 0; a < 17; a++) {
        const char *t = ng_dict_alias(w.dict, a)->text;
        if (strcmp(t, "İa") == 0)
            assert_int_equal(per_alias[a], 0);
        else if (per_alias[a] < 10)
            fail_msg("alias \"%s\" found only %zu times", t, per_alias[a]);
    }
    scan_result_destroy(&r);
    world_close(&w);
}

/* ---- the same against many generated aliases ---- */

/* Syllables that share prefixes and suffixes, so the automaton is deep (most
 * states past the dense rows) with failure links between long patterns. */
static const char *const syllables[] = {"ka", "KA", "ba", "қа", "ҚА", "an", "a", "ab", "kab"};

static void test_differential_deep(void **state)
{
    (void)state;
    size_t ns = sizeof syllables / sizeof *syllables;
    uint32_t seed = 1500;
    char *json = ng_test_random_dict(1500, syllables, ns, 9, "kk", 8, &seed);
    world w;
    assert_int_equal(world_open(&w, json), 0);
    scan_result r = {0};
    ng_match ref[256];
    char text[1024];
    static const char *const seps[] = {" ", ", ", "x", "қ", "-", "\n"};
    size_t total = 0, deep = 0;
    for (int iter = 0; iter < 600; iter++) {
        size_t len = 0, count = 1 + ng_test_rand(&seed) % 12;
        for (size_t p = 0; p < count; p++) {
            len = ng_test_random_name(text, len, syllables, ns, 1 + ng_test_rand(&seed) % 9, 4,
                                      &seed);
            const char *sep = seps[ng_test_rand(&seed) % (sizeof seps / sizeof *seps)];
            memcpy(text + len, sep, strlen(sep));
            len += strlen(sep);
        }
        text[len] = '\0';
        scan(&w, &r, text, len);
        size_t n = naive_scan(&w, &r.norm, text, len, ref, 256);
        assert_int_equal(n, r.matches.count);
        for (size_t i = 0; i < n; i++) {
            if (ref[i].start != r.matches.items[i].start ||
                ref[i].end != r.matches.items[i].end || ref[i].alias != r.matches.items[i].alias)
                fail_msg("iteration %d: \"%s\": match %zu is [%u,%u) %s, naive [%u,%u) %s", iter,
                         text, i, r.matches.items[i].start, r.matches.items[i].end,
                         alias_of(&w, &r.matches.items[i])->text, ref[i].start, ref[i].end,
                         ng_dict_alias(w.dict, ref[i].alias)->text);
            deep += ref[i].end - ref[i].start > 8;
        }
        total += n;
    }
    /* Not trivial: many matches, many of them past the dense rows' depth. */
    assert_true(total > 600);
    assert_true(deep > 200);
    scan_result_destroy(&r);
    world_close(&w);
    free(json);
}

/* ---- many words that each start a long name ---- */

/* "ка ка ка ..." against names of many "ка"s: a name starts at every word, and
 * each start's walk goes on for up to 16 words, well past the scan's budget
 * of steps per byte, so the scan hands over to the full automaton. The
 * result must be the same as the naive scan's (and every match found). */
static void test_walk_budget(void **state)
{
    (void)state;
    static const char dict_json[] =
        "{\"nergraph_dictionary\": 1, \"entities\": [\n"
        ENTITY("e0", "place", A("ка ка ка ка ка ка ка ка ка ка ка ка ка ка ка ка", "kk")) ",\n"
        ENTITY("e1", "place", A("ка ка ка б", "kk") "," A("ка", "kk")) "\n"
        "]}\n";
    world w;
    assert_int_equal(world_open(&w, dict_json), 0);
    scan_result r = {0};
    ng_match ref[256];
    static char text[5 * 600 + 64]; /* "ка " is five bytes */
    size_t len = 0;
    for (int k = 0; k < 600; k++) {
        const char *word = k % 97 == 96 ? "б " : "ка ";
        memcpy(text + len, word, strlen(word));
        len += strlen(word);
    }
    text[len] = '\0';
    scan(&w, &r, text, len);
    size_t n = naive_scan(&w, &r.norm, text, len, ref, 256);
    assert_true(n > 30);
    assert_int_equal(n, r.matches.count);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ref[i].start, r.matches.items[i].start);
        assert_int_equal(ref[i].end, r.matches.items[i].end);
        assert_int_equal(ref[i].alias, r.matches.items[i].alias);
    }
    scan_result_destroy(&r);
    world_close(&w);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_match_cases, setup_main, teardown_main),
        cmocka_unit_test_setup_teardown(test_offsets_and_aliases, setup_main, teardown_main),
        cmocka_unit_test_setup_teardown(test_same_text_case_variants, setup_main, teardown_main),
        cmocka_unit_test(test_many_aliases),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_differential_deep),
        cmocka_unit_test(test_walk_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
