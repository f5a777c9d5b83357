/* test_normalize.c: stage 3, the matching form of a text and its map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize_internal.h"
#include "support.h"
#include "utf8.h"

/* ---- invariants of every result ---- */

static int is_char_start(const char *text, size_t len, size_t off)
{
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        if (i == off)
            return 1;
        if (i > off)
            return 0;
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, len - i, &cp);
        i += k ? k : 1;
    }
    return off == len;
}

/* The output is valid UTF-8 with no run of two spaces; map[len] is the input
 * length; the map is non-decreasing and every entry is a character start of
 * the input; the non-space bytes that come from one input character are
 * exactly what that character normalises to on its own. */
static void check_invariants(const ng_norm *n, const char *text, size_t len, unsigned flags)
{
    assert_int_equal(ng_utf8_valid_prefix(n->data, n->len), n->len);
    assert_int_equal(n->map[n->len], len);
    for (size_t i = 0; i < n->len; i++) {
        if (i > 0)
            assert_true(n->map[i - 1] <= n->map[i]);
        assert_true(n->map[i] < len);
        assert_true(is_char_start(text, len, n->map[i]));
        if (i > 0 && n->data[i] == ' ')
            assert_true(n->data[i - 1] != ' ');
    }
    ng_norm one = {0};
    for (size_t i = 0; i < n->len;) {
        if (n->data[i] == ' ') {
            i++;
            continue;
        }
        size_t from = n->map[i], j = i;
        char got[256];
        size_t got_len = 0;
        while (j < n->len && n->map[j] == from) {
            if (n->data[j] != ' ' && got_len < sizeof got)
                got[got_len++] = n->data[j];
            j++;
        }
        int32_t cp;
        size_t k = ng_utf8_decode((const unsigned char *)text + from, len - from, &cp);
        assert_true(k > 0);
        assert_int_equal(ng_normalize(&one, text + from, k, flags), NG_OK);
        char want[256];
        size_t want_len = 0;
        for (size_t b = 0; b < one.len; b++)
            if (one.data[b] != ' ')
                want[want_len++] = one.data[b];
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        i = j;
    }
    ng_norm_destroy(&one);
}

/* ---- the fold tables ---- */

/* ng_normalize_init's tables skip utf8proc where it would give a code point
 * back as it is; built without that shortcut, every code point of the BMP
 * has the same entry, form, script, space bit, ascii[] and two[] value, and
 * the pools are the same bytes, with and without case folding. */
static void test_tables_same_as_reference(void **state)
{
    (void)state;
    ng_fold_table *fast = calloc(1, sizeof *fast), *ref = calloc(1, sizeof *ref);
    assert_non_null(fast);
    assert_non_null(ref);
    for (unsigned flags = 0; flags <= NG_NORM_FOLD; flags += NG_NORM_FOLD) {
        assert_int_equal(ng_fold_table_build(fast, flags), NG_OK);
        assert_int_equal(ng_fold_table_build(ref, flags | NG_NORM_REFERENCE), NG_OK);
        for (int32_t cp = 0; cp < NG_BMP; cp++) {
            uint32_t e = fast->entry[cp], r = ref->entry[cp];
            if (e != r || memcmp(fast->pool + (e >> 8), ref->pool + (r >> 8), e & 0xFF) != 0 ||
                fast->script[cp] != ref->script[cp])
                fail_msg("flags %u, U+%04X: \"%.*s\" at %u, script %u; reference \"%.*s\" at "
                         "%u, script %u",
                         flags, (unsigned)cp, (int)(e & 0xFF), fast->pool + (e >> 8), e >> 8,
                         fast->script[cp], (int)(r & 0xFF), ref->pool + (r >> 8), r >> 8,
                         ref->script[cp]);
        }
        assert_memory_equal(fast->space, ref->space, sizeof fast->space);
        assert_memory_equal(fast->ascii, ref->ascii, sizeof fast->ascii);
        assert_memory_equal(fast->two, ref->two, sizeof fast->two);
        assert_int_equal(fast->pool_len, ref->pool_len);
        assert_memory_equal(fast->pool, ref->pool, ref->pool_len);
        ng_fold_table_destroy(fast);
        ng_fold_table_destroy(ref);
    }
    free(fast);
    free(ref);
}

/* ---- expected outputs, folded and not ---- */

typedef struct norm_case {
    const char *in;
    const char *folded; /* NG_NORM_FOLD */
    const char *cased;  /* flags 0 */
} norm_case;

static const norm_case cases[] = {
    /* case folding: Latin, Kazakh Cyrillic, Russian */
    {"Kazakhstan", "kazakhstan", "Kazakhstan"},
    {"Қазақстан", "қазақстан", "Қазақстан"},
    {"КАЗАҚСТАН", "казақстан", "КАЗАҚСТАН"},
    {"ҚӘҒҢӨҰҮҺІ", "қәғңөұүһі", "ҚӘҒҢӨҰҮҺІ"},
    {"Шанхайская организация сотрудничества", "шанхайская организация сотрудничества",
     "Шанхайская организация сотрудничества"},
    /* Turkish dotted and dotless i meet i */
    {"İSTANBUL", "istanbul", "İSTANBUL"},
    {"istanbul", "istanbul", "istanbul"},
    {"ISTANBUL", "istanbul", "ISTANBUL"},
    {"ıstanbul", "istanbul", "ıstanbul"},
    {"Kazakistan’ın", "kazakistan'in", "Kazakistan'ın"},
    {"TÜRKİYE Cumhuriyeti", "türkiye cumhuriyeti", "TÜRKİYE Cumhuriyeti"},
    {"şğçöü ŞĞÇÖÜ", "şğçöü şğçöü", "şğçöü ŞĞÇÖÜ"},
    /* I followed by a combining dot above (a decomposed İ) */
    {"I\xCC\x87stanbul", "istanbul", "I\xCC\x87stanbul"},
    /* ё is е when folding */
    {"Ёлка", "елка", "Ёлка"},
    {"ёлка", "елка", "ёлка"},
    {"елка", "елка", "елка"},
    {"Королёв", "королев", "Королёв"},
    /* apostrophe look-alikes */
    {"a’b ʼc `d ´e ′f ‘g 'h ＇i", "a'b 'c 'd 'e 'f 'g 'h 'i", "a'b 'c 'd 'e 'f 'g 'h 'i"},
    {"Qazaqstan’nyń", "qazaqstan'nyń", "Qazaqstan'nyń"},
    /* dashes */
    {"Nur–Sultan Nur—Sultan Nur‑Sultan Nur−Sultan Nur-Sultan",
     "nur-sultan nur-sultan nur-sultan nur-sultan nur-sultan",
     "Nur-Sultan Nur-Sultan Nur-Sultan Nur-Sultan Nur-Sultan"},
    /* quotes */
    {"“political re-education camps” «Нұр Отан» „x‟", "\"political re-education camps\" \"нұр отан\" \"x\"",
     "\"political re-education camps\" \"Нұр Отан\" \"x\""},
    /* invisible characters are dropped */
    {"Қаза\xC2\xADқстан", "қазақстан", "Қазақстан"},
    {"Kazakh\xE2\x80\x8Bstan", "kazakhstan", "Kazakhstan"},
    {"\xEF\xBB\xBFKazakhstan", "kazakhstan", "Kazakhstan"},
    /* white space: NBSP, narrow NBSP, tabs, newlines, runs */
    {"Shanghai Cooperation\n\nOrganization", "shanghai cooperation organization",
     "Shanghai Cooperation Organization"},
    {"Republic\xC2\xA0of \t Kazakhstan", "republic of kazakhstan", "Republic of Kazakhstan"},
    {"10\xE2\x80\xAFkm", "10 km", "10 km"},
    {"Kazakhstan \r\n\r\n \n", "kazakhstan ", "Kazakhstan "},
    {"  leading", " leading", " leading"},
    {"\xC2\xA0 \xC2\xAD x", " x", " x"},
    /* compatibility forms (NFKC) */
    {"ﬁnance", "finance", "finance"},
    {"ＫＡＺ", "kaz", "KAZ"},
    {"Ⅻ ①", "xii 1", "XII 1"},
    {"Straße", "strasse", "Straße"},
    /* a character whose NFKC form begins with a space joins the run */
    {"a \xC2\xA8 b", "a \xCC\x88 b", "a \xCC\x88 b"},
    {"a\xC2\xA8", "a \xCC\x88", "a \xCC\x88"},
    {"", "", ""},
};

static void test_expected_outputs(void **state)
{
    (void)state;
    ng_norm n = {0};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const norm_case *nc = &cases[c];
        size_t len = strlen(nc->in);
        assert_int_equal(ng_normalize(&n, nc->in, len, NG_NORM_FOLD), NG_OK);
        if (n.len != strlen(nc->folded) || memcmp(n.data, nc->folded, n.len) != 0)
            fail_msg("fold \"%s\": got \"%.*s\", want \"%s\"", nc->in, (int)n.len, n.data,
                     nc->folded);
        check_invariants(&n, nc->in, len, NG_NORM_FOLD);
        assert_int_equal(ng_normalize(&n, nc->in, len, 0), NG_OK);
        if (n.len != strlen(nc->cased) || memcmp(n.data, nc->cased, n.len) != 0)
            fail_msg("cased \"%s\": got \"%.*s\", want \"%s\"", nc->in, (int)n.len, n.data,
                     nc->cased);
        check_invariants(&n, nc->in, len, 0);
    }
    ng_norm_destroy(&n);
}

/* ---- exact maps ---- */

typedef struct map_case {
    const char *in;
    const char *out;
    uint32_t map[48]; /* out bytes + 1 */
} map_case;

static const map_case map_cases[] = {
    /* İ is two bytes and becomes one */
    {"İSTANBUL", "istanbul", {0, 2, 3, 4, 5, 6, 7, 8, 9}},
    /* ’ (three bytes) becomes ', ı (two bytes) becomes i */
    {"Kazakistan’ın", "kazakistan'in", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 15, 16}},
    /* two-byte Cyrillic stays two bytes; both point at the character */
    {"Ёлка", "елка", {0, 0, 2, 2, 4, 4, 6, 6, 8}},
    /* a run of white space is one space at the start of the run */
    {"a \t\n\xC2\xA0 b", "a b", {0, 1, 7, 8}},
    /* the soft hyphen leaves no byte but the bytes after it keep their offsets */
    {"Қа\xC2\xADз", "қаз", {0, 0, 2, 2, 6, 6, 8}},
    /* one character, two output bytes: ﬁ */
    {"ﬁn", "fin", {0, 0, 3, 4}},
    /* full-width: three bytes in, one out */
    {"ＫＡＺ", "kaz", {0, 3, 6, 9}},
    /* the space NFKC puts before the diaeresis is the space of the run */
    {"a \xC2\xA8", "a \xCC\x88", {0, 1, 2, 2, 4}},
    {"a\xC2\xA8", "a \xCC\x88", {0, 1, 1, 1, 3}},
};

static void test_exact_maps(void **state)
{
    (void)state;
    ng_norm n = {0};
    for (size_t c = 0; c < sizeof map_cases / sizeof *map_cases; c++) {
        const map_case *mc = &map_cases[c];
        size_t len = strlen(mc->in);
        assert_int_equal(ng_normalize(&n, mc->in, len, NG_NORM_FOLD), NG_OK);
        assert_int_equal(n.len, strlen(mc->out));
        assert_memory_equal(n.data, mc->out, n.len);
        for (size_t i = 0; i <= n.len; i++)
            if (n.map[i] != mc->map[i])
                fail_msg("\"%s\": map[%zu] = %u, want %u", mc->in, i, n.map[i], mc->map[i]);
    }
    ng_norm_destroy(&n);
}

static void test_source_end(void **state)
{
    (void)state;
    ng_norm n = {0};
    static const char text[] = "Kazakistan’ın ﬁ";
    size_t len = sizeof text - 1;
    assert_int_equal(ng_normalize(&n, text, len, NG_NORM_FOLD), NG_OK);
    assert_int_equal(n.len, strlen("kazakistan'in fi"));
    assert_memory_equal(n.data, "kazakistan'in fi", n.len);
    /* 'k' ends at 1; the apostrophe (’, bytes 10..12) ends at 13; the i from ı at 15 */
    assert_int_equal(ng_norm_source_end(&n, text, len, 0), 1);
    assert_int_equal(ng_norm_source_end(&n, text, len, 10), 13);
    assert_int_equal(ng_norm_source_end(&n, text, len, 11), 15);
    assert_int_equal(ng_norm_source_end(&n, text, len, 12), 16);
    /* both bytes of "fi" end where ﬁ ends */
    assert_int_equal(ng_norm_source_end(&n, text, len, 14), len);
    assert_int_equal(ng_norm_source_end(&n, text, len, 15), len);
    /* the end of the output is the end of the input */
    assert_int_equal(ng_norm_source_end(&n, text, len, n.len), len);

    /* An alias found in normalised text leads back to its exact source bytes. */
    static const char doc[] = "the Shanghai Cooperation\n\nOrganization’s summit";
    assert_int_equal(ng_normalize(&n, doc, sizeof doc - 1, NG_NORM_FOLD), NG_OK);
    const char *hit = strstr(n.data, "shanghai cooperation organization");
    assert_non_null(hit);
    size_t s = (size_t)(hit - n.data), e = s + strlen("shanghai cooperation organization");
    size_t from = n.map[s], to = ng_norm_source_end(&n, doc, sizeof doc - 1, e - 1);
    assert_int_equal(from, 4);
    assert_int_equal(to - from, strlen("Shanghai Cooperation\n\nOrganization"));
    assert_memory_equal(doc + from, "Shanghai Cooperation\n\nOrganization", to - from);
    ng_norm_destroy(&n);
}

/* ---- idempotence ---- */

static const char *const idempotence_samples[] = {
    "Kazakhstan’s President Qassym-Jomart Toqayev",
    "ҚАЗАҚСТАН МЕН ҚЫТАЙ ҚАРЫМ-ҚАТЫНАСЫ: КЕШЕ ЖӘНЕ БҮГІН",
    "Ғылыми жетекшісі: т.ғ.к., доцент  Сейтказина Қ.О.",
    "RUSYA VE ORTA ASYA ÜLKELERİ AÇISINDAN SİNCAN SORUNU",
    "Kazakistan’ın İstanbul'daki ığüşöç",
    "Ёлка, ёлка — «Нұр Отан» “x” ‘y’",
    "Shanghai Cooperation\n\nOrganization \xC2\xA0\xC2\xAD\xE2\x80\x8B end",
    "ﬁ ﬂ ＫＡＺ Ⅻ ① ㎒ ß ẞ Ǆ ǅ ǆ",
    "I\xCC\x87 i\xCC\x87 e\xCC\x81 \xCC\x88\xCC\x88",
    "a \xC2\xA8 \xC2\xA8\xC2\xA8 \xCB\x9C \xEF\xB9\x89 \xE2\x80\xBE b",
    "\xEF\xB7\xBA \xEF\xB7\xBA\xEF\xB7\xBA",
    "Teoreticheskai\xEF\xB8\xA0 a\xEF\xB8\xA1 Nat\xEF\xB8\xA0s\xEF\xB8\xA1ionalʹnoĭ",
    "\xF0\x9F\x98\x80 \xF0\x9D\x90\x80\xF0\x9D\x90\x81 \xF0\x90\x90\x80",
};

static void check_idempotent(ng_norm *a, ng_norm *b, const char *s, size_t len, unsigned flags)
{
    assert_int_equal(ng_normalize(a, s, len, flags), NG_OK);
    assert_int_equal(ng_normalize(b, a->data, a->len, flags), NG_OK);
    if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
        fail_msg("not idempotent (flags %u) on \"%.*s\": \"%.*s\" then \"%.*s\"", flags,
                 (int)len, s, (int)a->len, a->data, (int)b->len, b->data);
}

static void test_idempotent_samples(void **state)
{
    (void)state;
    ng_norm a = {0}, b = {0};
    for (size_t i = 0; i < sizeof idempotence_samples / sizeof *idempotence_samples; i++) {
        const char *s = idempotence_samples[i];
        check_idempotent(&a, &b, s, strlen(s), NG_NORM_FOLD);
        check_invariants(&a, s, strlen(s), NG_NORM_FOLD);
        check_idempotent(&a, &b, s, strlen(s), 0);
        check_invariants(&a, s, strlen(s), 0);
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_idempotent(&a, &b, cases[i].in, strlen(cases[i].in), NG_NORM_FOLD);
        check_idempotent(&a, &b, cases[i].in, strlen(cases[i].in), 0);
    }
    ng_norm_destroy(&a);
    ng_norm_destroy(&b);
}

/* Every code point, between letters and between spaces, with and without
 * folding: normalising twice is normalising once. */
static void test_idempotent_every_code_point(void **state)
{
    (void)state;
    ng_norm a = {0}, b = {0};
    for (int32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char s[8];
        size_t n = 0;
        s[n++] = 'a';
        n += ng_utf8_encode(cp, s + n);
        s[n++] = 'b';
        check_idempotent(&a, &b, s, n, NG_NORM_FOLD);
        check_idempotent(&a, &b, s, n, 0);
        s[0] = s[n - 1] = ' ';
        check_idempotent(&a, &b, s, n, NG_NORM_FOLD);
        check_idempotent(&a, &b, s, n, 0);
    }
    ng_norm_destroy(&a);
    ng_norm_destroy(&b);
}

/* ---- storage ---- */

static void test_growth_and_reuse(void **state)
{
    (void)state;
    /* U+FDFA is three bytes that NFKC turns into 33: the output outgrows the
     * first reservation many times over. */
    enum { N = 2000 };
    static const char ligature[] = "\xEF\xB7\xBA";
    char *text = malloc(3 * N);
    assert_non_null(text);
    for (size_t i = 0; i < N; i++)
        memcpy(text + 3 * i, ligature, 3);
    ng_norm one = {0}, n = {0};
    assert_int_equal(ng_normalize(&one, ligature, 3, NG_NORM_FOLD), NG_OK);
    assert_true(one.len > 20);
    assert_int_equal(ng_normalize(&n, text, 3 * N, NG_NORM_FOLD), NG_OK);
    assert_int_equal(n.len, N * one.len);
    for (size_t i = 0; i < N; i++) {
        assert_memory_equal(n.data + i * one.len, one.data, one.len);
        for (size_t j = 0; j < one.len; j++)
            assert_int_equal(n.map[i * one.len + j], 3 * i);
    }
    assert_int_equal(n.map[n.len], 3 * N);

    /* The same ng_norm, now a short text: contents replaced. */
    assert_int_equal(ng_normalize(&n, "ҚР", strlen("ҚР"), NG_NORM_FOLD), NG_OK);
    assert_int_equal(n.len, strlen("қр"));
    assert_memory_equal(n.data, "қр", n.len);
    assert_int_equal(n.map[n.len], strlen("ҚР"));
    assert_int_equal(ng_normalize(&n, "", 0, 0), NG_OK);
    assert_int_equal(n.len, 0);
    assert_int_equal(n.map[0], 0);
    ng_norm_destroy(&one);
    ng_norm_destroy(&n);
    ng_norm_destroy(&n); /* safe on a destroyed value */
    free(text);
}

/* Look-alike letters read in the script of their word (seed 000 writes
 * whole paragraphs with Cyrillic а, һ, і, С inside English words). */
static void test_lookalikes(void **state)
{
    (void)state;
    static const struct {
        const char *in, *folded, *cased;
    } lookalike_cases[] = {
        {"K\u0430z\u0430k\u04bbst\u0430n", "kazakhstan", "Kazakhstan"},
        {"\u0421\u04bb\u0456n\u0430", "china", "China"},
        {"XU\u0410R", "xuar", "XUAR"},
        {"\u0422\u043ek\u0430\u0443\u0435v", "tokayev", "Tokayev"},
        {"\u049aa\u0437a\u049b\u0441\u0442a\u043d", "\u049b\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d",
         "\u049a\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d"},
        /* unmixed words stay as they are */
        {"Kazakhstan \u049a\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d", "kazakhstan \u049b\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d",
         "Kazakhstan \u049a\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d"},
        /* a word that could be either reads like the word before it */
        {"\u0421\u0435ntr\u0430l \u0410s\u0456\u0430", "central asia", "Central Asia"},
        /* a Cyrillic letter without a Latin twin (ж) keeps the word Cyrillic */
        {"\u0436a", "\u0436\u0430", "\u0436\u0430"},
        /* ... and after a Cyrillic word, a word that could be either is Cyrillic,
         * also across a mixed word that can be neither (жq) */
        {"\u049b\u0430\u043b\u0430 \u0410s\u0456\u0430", "\u049b\u0430\u043b\u0430 \u0430\u0455\u0456\u0430",
         "\u049b\u0430\u043b\u0430 \u0410\u0455\u0456\u0430"},
        {"\u049b\u0430\u043b\u0430 \u0436q \u0410s\u0456\u0430",
         "\u049b\u0430\u043b\u0430 \u0436q \u0430\u0455\u0456\u0430",
         "\u049b\u0430\u043b\u0430 \u0436q \u0410\u0455\u0456\u0430"},
        {"Central \u0436q \u0410s\u0456\u0430", "central \u0436q asia", "Central \u0436q Asia"},
        /* mixed words between characters of other lengths, one that grows
         * (Cyrillic twins are two bytes) inside a run of Cyrillic */
        {"\u00abK\u0430z\u0430kh\u00bb K\u0430z\u0430kh\u2019s K\u0430z\u0430kh\u3002",
         "\"kazakh\" kazakh's kazakh\u3002", "\"Kazakh\" Kazakh's Kazakh\u3002"},
        {"\u0436\u0436 \u0436a \u0436\u0436 a\u0436\u00ab\u0436",
         "\u0436\u0436 \u0436\u0430 \u0436\u0436 \u0430\u0436\"\u0436",
         "\u0436\u0436 \u0436\u0430 \u0436\u0436 \u0430\u0436\"\u0436"},
    };
    ng_norm n = {0};
    for (size_t i = 0; i < sizeof lookalike_cases / sizeof *lookalike_cases; i++) {
        for (int fold = 0; fold < 2; fold++) {
            const char *in = lookalike_cases[i].in, *want = fold ? lookalike_cases[i].folded : lookalike_cases[i].cased;
            assert_int_equal(ng_normalize(&n, in, strlen(in), fold ? NG_NORM_FOLD : 0), NG_OK);
            if (n.len != strlen(want) || memcmp(n.data, want, n.len) != 0)
                fail_msg("%s (fold %d): got '%.*s', want '%s'", in, fold, (int)n.len, n.data, want);
            /* every byte still points at the start of a character of the input */
            for (size_t j = 0; j < n.len; j++) {
                assert_true(n.map[j] < strlen(in));
                assert_true(((unsigned char)in[n.map[j]] & 0xC0) != 0x80);
                if (j)
                    assert_true(n.map[j] >= n.map[j - 1]);
            }
            assert_int_equal(n.map[n.len], strlen(in));
        }
    }
    ng_norm_destroy(&n);
}

/* Words hyphenated across a line break are joined; real hyphens stay. */
static void test_hyphenation(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } hyphen_cases[] = {
        {"Chi-\nna", "china"},
        {"Xin-\n\njiang", "xinjiang"},
        {"\u044b\u043d\u0442\u044b-\r\n\u043c\u0430\u049b", "\u044b\u043d\u0442\u044b\u043c\u0430\u049b"},
        {"Kazakh-\nChinese", "kazakh-chinese"},
        {"\u049a\u0430\u0441\u044b\u043c-\n\u0416\u043e\u043c\u0430\u0440\u0442",
         "\u049b\u0430\u0441\u044b\u043c-\u0436\u043e\u043c\u0430\u0440\u0442"},
        {"Chi\u00ad\nna", "china"},
        {"Chi\u2010\nna", "china"},
        {"a -b and a - b", "a -b and a - b"},
        {"end-\n", "end- "},
        {"1990-\n2000", "1990-2000"},
        /* a page number between the lines of a name is part of the break */
        {"Central Asian \n\n32 \n\ncountries", "central asian countries"},
        {"in 1991\n32 years", "in 1991 32 years"},
        {"\u049a\u0420-\n\u043d\u044b\u04a3", "\u049b\u0440-\u043d\u044b\u04a3"}, /* ҚР-\nның */
    };
    ng_norm n = {0};
    for (size_t i = 0; i < sizeof hyphen_cases / sizeof *hyphen_cases; i++) {
        const char *in = hyphen_cases[i].in, *want = hyphen_cases[i].want;
        assert_int_equal(ng_normalize(&n, in, strlen(in), NG_NORM_FOLD), NG_OK);
        if (n.len != strlen(want) || memcmp(n.data, want, n.len) != 0)
            fail_msg("'%s': got '%.*s', want '%s'", in, (int)n.len, n.data, want);
        for (size_t j = 1; j <= n.len; j++)
            assert_true(n.map[j] >= n.map[j - 1]);
    }
    ng_norm_destroy(&n);
}

static void test_invalid_bytes_are_safe(void **state)
{
    (void)state;
    /* Callers pass decoded text, but a stray byte must not derail the map. */
    ng_norm n = {0};
    assert_int_equal(ng_normalize(&n, "A\xFF" "B", 3, NG_NORM_FOLD), NG_OK);
    assert_int_equal(n.len, 5);
    assert_memory_equal(n.data, "a\xEF\xBF\xBD"
                                "b",
                        5);
    static const uint32_t map[] = {0, 1, 1, 1, 2, 3};
    for (size_t i = 0; i <= n.len; i++)
        assert_int_equal(n.map[i], map[i]);
    ng_norm_destroy(&n);
}

/* ---- the fast paths against the reference ---- */

/* ng_normalize with its fast paths (ASCII 16 bytes at a time, the look-alike
 * pass only for a text with a mixed word, skipping ASCII) and without them
 * (NG_NORM_REFERENCE) give the same bytes and the same offset of every byte. */
static void check_same_as_reference(ng_norm *fast, ng_norm *ref, const char *text, size_t len)
{
    for (unsigned flags = 0; flags <= NG_NORM_FOLD; flags += NG_NORM_FOLD) {
        assert_int_equal(ng_normalize(fast, text, len, flags), NG_OK);
        assert_int_equal(ng_normalize(ref, text, len, flags | NG_NORM_REFERENCE), NG_OK);
        if (fast->len != ref->len || memcmp(fast->data, ref->data, ref->len) != 0)
            fail_msg("flags %u, %zu bytes in: %zu bytes out, reference %zu (\"%.*s\")", flags, len,
                     fast->len, ref->len, (int)(len < 200 ? len : 200), text);
        for (size_t i = 0; i <= ref->len; i++)
            if (ng_norm_decoded(fast, i) != ng_norm_decoded(ref, i))
                fail_msg("flags %u, %zu bytes in: offset of byte %zu is %u, reference %u", flags,
                         len, i, ng_norm_decoded(fast, i), ng_norm_decoded(ref, i));
    }
}

/* Pieces of text where the fast paths have edges: runs of ASCII that are
 * taken 16 bytes at a time (letters of both cases, digits, punctuation,
 * single spaces, hyphens inside words) and everything that stops them. */
static const char *const pieces[] = {
    "the", "Kazakhstan", "SHANGHAI", "Cooperation", "of", "a", "I", "x1", "2019", "(UN)",
    "U.S.", "e.g.,", "it's", "\"quoted\"", "[1]", "#", "~", "@", "{}", "_", "Z", "z", "`",
    "\x7f", "\x01", "Nur-Sultan", "re-education", "-", "--", "- ", " -", "a-", "-b",
    " ", " ", " ", " ", "  ", "   ", "\t", " \t ", "\n", "\n\n", " \n ", "\r\n", "\v", "\f",
    "a\nb", "x.\nY", "\n(", "\n`", "\n-", "\n", "\n", "-\n", "-\n\n", "- \n ", "Chi-\nna",
    "Kazakh-\nChinese", "\u049a\u0420-\n\u043d\u044b\u04a3",
    "\n32\n", "\n 7 \n", "\n1234\n", "\n12345\n", "\n3", "\n\n12 \n\n",
    "\u049a\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d", "\u049a\u0410\u0417\u0410\u049a",
    "\u043c\u0435\u043d", "\u04d9\u0493\u04a3\u04e9\u04b1\u04af\u04bb\u0456", "\u0401\u043b\u043a\u0430",
    "\u0436", "\u0430", "\u0410", "\u0441", "\u04bb", "\u0456",
    "K\u0430z\u0430k\u04bbst\u0430n", "\u0421\u04bb\u0456n\u0430", "XU\u0410R", "\u0436a",
    "\u049aa\u0437a\u049b", "\u0421\u0435ntr\u0430l", "\u0410s\u0456\u0430", "\u0436q", "q\u0436",
    "\u0430bcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrst\u0436", "a\u0436 \u0436", "a\u0436\u00ab",
    "\u049b\u0430\u043b\u0430", "\u00c7\u0430", "\u0430\u3002",
    "\u0130STANBUL", "\u0131stanbul", "T\u00dcRK\u0130YE", "\u015f\u011f\u00e7\u00f6\u00fc",
    "I\u0307", "Stra\u00dfe", "\ufb01nance", "\uff2b\uff21\uff3a", "\u216b", "\u2460",
    "\u2019", "\u2018", "\u201c", "\u201d", "\u00ab", "\u00bb", "\u2013", "\u2014", "\u2010\n",
    "\u00ad", "\u00ad\n", "\u200b", "\ufeff", "\u00a0", "\u202f", "\u3000", "\u00a8",
    "\u00a8\u00a8", "\ufdfa", "\U0001F600", "\U0001D400", "\xff", "\xc3", "\xe2\x80", "\x80",
};

/* Text of `len` bytes or a little more, from pieces and runs of plain
 * ASCII of random length (so that every edge falls at every place of a
 * 16-byte block), with an invalid byte at the start or end now and then. */
static size_t random_text(char *out, size_t len, uint32_t *seed)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'()/\"";
    size_t o = 0;
    if (ng_test_rand(seed) % 8 == 0)
        out[o++] = (char)0xD0; /* a lead byte without its continuation */
    while (o < len) {
        if (ng_test_rand(seed) % 3 == 0) {
            size_t run = ng_test_rand(seed) % 40;
            for (size_t k = 0; k < run; k++)
                out[o++] = ng_test_rand(seed) % 6 == 0 ? ' '
                                                        : plain[ng_test_rand(seed) % (sizeof plain - 1)];
        } else {
            const char *p = pieces[ng_test_rand(seed) % (sizeof pieces / sizeof *pieces)];
            memcpy(out + o, p, strlen(p));
            o += strlen(p);
        }
    }
    if (ng_test_rand(seed) % 8 == 0)
        out[o++] = (char)0xE2; /* a truncated character at the end */
    return o;
}

static void test_fast_paths_random(void **state)
{
    (void)state;
    enum { MAX = 600 };
    char *text = malloc(MAX + 64);
    assert_non_null(text);
    ng_norm fast = {0}, ref = {0};
    uint32_t seed = 12345;
    for (int round = 0; round < 4000; round++) {
        size_t len = random_text(text, ng_test_rand(&seed) % MAX, &seed);
        check_same_as_reference(&fast, &ref, text, len);
        /* and every shift of it against the 16-byte blocks */
        if (round % 50 == 0)
            for (size_t k = 1; k < 16 && k < len; k++)
                check_same_as_reference(&fast, &ref, text + k, len - k);
    }
    ng_norm_destroy(&fast);
    ng_norm_destroy(&ref);
    free(text);
}

/* A fast path that starts close to the end of the output's room. The
 * output of a fresh ng_norm has room for a power of two of bytes; U+FDFA
 * (3 bytes, more than 30 out) fills it faster than the input is read, so
 * that 82 to 95 bytes are left when ASCII (the 16-byte path) and then a
 * long run of Cyrillic (the two-byte path) come. */
static void test_fast_paths_near_capacity(void **state)
{
    (void)state;
    enum { ROOM = 4096, CYRILLIC = 1000 };
    static const char ligature[] = "\xEF\xB7\xBA";
    ng_norm one = {0}, ref = {0};
    assert_int_equal(ng_normalize(&one, ligature, 3, NG_NORM_FOLD), NG_OK);
    size_t grown = one.len; /* bytes out for one ligature */
    char *text = malloc(ROOM);
    assert_non_null(text);
    for (size_t left = 82; left < 96; left++) {
        for (size_t m = 0; m < grown; m++) {
            if ((ROOM - left - m) % grown)
                continue;
            size_t n = (ROOM - left - m) / grown, len = 0;
            memset(text, 'b', m);
            len += m;
            for (size_t k = 0; k < n; k++, len += 3)
                memcpy(text + len, ligature, 3);
            memcpy(text + len, "abcdefghijklmn ", 15);
            len += 15;
            for (size_t k = 0; k < CYRILLIC; k++, len += 2)
                memcpy(text + len, "\xD0\xB6", 2);
            ng_norm fast = {0};
            check_same_as_reference(&fast, &ref, text, len);
            ng_norm_destroy(&fast);
        }
    }
    ng_norm_destroy(&one);
    ng_norm_destroy(&ref);
    free(text);
}

/* A mixed word (ж, a run of a, ж) that grows when it is read in Cyrillic
 * (a → а: one byte to two) by more than the output has room for, ending
 * the text, or before a space or « and a long run of Cyrillic (where the
 * run of two-byte characters ends the word, and goes on after it), at
 * every distance from the end of the room. */
static void test_lookalikes_growing_past_capacity(void **state)
{
    (void)state;
    enum { LATIN = 1100, CYRILLIC = 100 };
    char *text = malloc(2 + LATIN + 2 + 2 + 2 * CYRILLIC);
    assert_non_null(text);
    ng_norm ref = {0};
    static const char *const between[] = {NULL, ".", " ", "\u00ab"};
    for (size_t b = 0; b < sizeof between / sizeof *between; b++) {
        for (size_t latin = LATIN - 140; latin <= LATIN; latin++) {
            size_t len = 0;
            memcpy(text, "\u0436", 2); /* no Latin twin: the word is read in Cyrillic */
            len += 2;
            memset(text + len, 'a', latin);
            len += latin;
            memcpy(text + len, "\u0436", 2);
            len += 2;
            if (between[b]) {
                memcpy(text + len, between[b], strlen(between[b]));
                len += strlen(between[b]);
                for (size_t k = 0; k < CYRILLIC; k++, len += 2)
                    memcpy(text + len, "\u0436", 2);
            }
            ng_norm fast = {0}; /* fresh: room for the input and little more */
            check_same_as_reference(&fast, &ref, text, len);
            ng_norm_destroy(&fast);
        }
    }
    ng_norm_destroy(&ref);
    free(text);
}

/* Every code point between letters of mixed words, in runs of ASCII and
 * of Cyrillic, and at either end of the text: the words it ends or joins
 * read as in the reference pass. */
static void test_lookalikes_every_code_point(void **state)
{
    (void)state;
    static const char *const around[][2] = {
        {"\u0430", "b"},
        {"K\u0430z\u0430kh", "\u0410s\u0456\u0430 \u0436q"},
        {"abcdefghijklmnopqrstuvw\u0430", "\u0430bcdefghijklmnopqrstuvw"},
        {"\u049b\u0430\u043b\u0430 a\u0436", "\u0436a \u049b\u0430\u043b\u0430"},
        {"", "\u0421\u04bbina"},
        {"\u0421\u04bbin\u0430", ""},
    };
    ng_norm fast = {0}, ref = {0};
    char text[64];
    for (int32_t cp = 1; cp <= 0x10FFFF; cp = cp < NG_BMP ? cp + 1 : cp + 97) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        for (size_t a = 0; a < sizeof around / sizeof *around; a++) {
            size_t len = strlen(around[a][0]);
            memcpy(text, around[a][0], len);
            len += ng_utf8_encode(cp, text + len);
            memcpy(text + len, around[a][1], strlen(around[a][1]));
            len += strlen(around[a][1]);
            check_same_as_reference(&fast, &ref, text, len);
        }
    }
    ng_norm_destroy(&fast);
    ng_norm_destroy(&ref);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* Every document of the bundled corpus, decoded as the pipeline does. */
static void test_fast_paths_corpus(void **state)
{
    (void)state;
    DIR *d = opendir(NG_SOURCE_DIR "/corpus");
    assert_non_null(d);
    ng_norm fast = {0}, ref = {0};
    ng_text t = {0};
    int documents = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/corpus/%s", NG_SOURCE_DIR, e->d_name);
        size_t len;
        char *bytes = read_file(path, &len);
        assert_int_equal(ng_decode(&t, bytes, len, NULL, path), NG_OK);
        check_same_as_reference(&fast, &ref, t.data, t.len);
        free(bytes);
        documents++;
    }
    closedir(d);
    assert_true(documents >= 5);
    ng_text_destroy(&t);
    ng_norm_destroy(&fast);
    ng_norm_destroy(&ref);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_same_as_reference),
        cmocka_unit_test(test_expected_outputs),
        cmocka_unit_test(test_exact_maps),
        cmocka_unit_test(test_source_end),
        cmocka_unit_test(test_idempotent_samples),
        cmocka_unit_test(test_idempotent_every_code_point),
        cmocka_unit_test(test_growth_and_reuse),
        cmocka_unit_test(test_lookalikes),
        cmocka_unit_test(test_hyphenation),
        cmocka_unit_test(test_invalid_bytes_are_safe),
        cmocka_unit_test(test_fast_paths_random),
        cmocka_unit_test(test_fast_paths_near_capacity),
        cmocka_unit_test(test_lookalikes_growing_past_capacity),
        cmocka_unit_test(test_lookalikes_every_code_point),
        cmocka_unit_test(test_fast_paths_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
