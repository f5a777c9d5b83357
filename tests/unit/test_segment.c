/* test_segment.c: stage 4, sentences of the decoded text. */
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

#include <utf8proc.h>

#include "support.h"
#include "utf8.h"

static int is_space_cp(int32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x85 ||
           cp == 0x2028 || cp == 0x2029 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x3000;
}

/* Ordered, disjoint, non-empty, inside the text, on character boundaries,
 * with no white space at either end; and no non-space character of the text
 * is left outside every span. */
static void check_spans(const ng_segments *s, const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    uint32_t prev_end = 0;
    for (size_t i = 0; i < s->count; i++) {
        ng_span sp = s->spans[i];
        assert_true(sp.start < sp.end);
        assert_true(sp.end <= len);
        assert_true(sp.start >= prev_end);
        int32_t cp;
        size_t k = ng_utf8_decode(u + sp.start, len - sp.start, &cp);
        assert_true(k > 0);
        assert_false(is_space_cp(cp));
        size_t last = sp.end - 1;
        while (last > sp.start && (u[last] & 0xC0) == 0x80)
            last--;
        k = ng_utf8_decode(u + last, len - last, &cp);
        assert_int_equal(last + k, sp.end);
        assert_false(is_space_cp(cp));
        /* the gap before this span is only white space, or page furniture
         * (page numbers, rules of spaces or underscores) */
        for (size_t g = prev_end; g < sp.start;) {
            k = ng_utf8_decode(u + g, len - g, &cp);
            assert_true(k > 0);
            assert_true(is_space_cp(cp) || (cp >= '0' && cp <= '9') || cp == '_');
            g += k;
        }
        prev_end = sp.end;
    }
    for (size_t g = prev_end; g < len;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + g, len - g, &cp);
        assert_true(k > 0);
        assert_true(is_space_cp(cp) || (cp >= '0' && cp <= '9') || cp == '_');
        g += k;
    }
}

static void check_sentences(const char *text, const char *const *want)
{
    size_t len = strlen(text), n = 0;
    while (want[n])
        n++;
    ng_segments s = {0};
    assert_int_equal(ng_segment_sentences(&s, text, len), NG_OK);
    check_spans(&s, text, len);
    int ok = s.count == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = s.spans[i].end - s.spans[i].start == strlen(want[i]) &&
             memcmp(text + s.spans[i].start, want[i], strlen(want[i])) == 0;
    if (!ok) {
        for (size_t i = 0; i < s.count; i++)
            print_error("got [%u, %u) \"%.*s\"\n", s.spans[i].start, s.spans[i].end,
                        (int)(s.spans[i].end - s.spans[i].start), text + s.spans[i].start);
        for (size_t i = 0; i < n; i++)
            print_error("want \"%s\"\n", want[i]);
        size_t got = s.count;
        ng_segments_destroy(&s);
        fail_msg("%zu sentences, want %zu (or different text)", got, n);
    }
    ng_segments_destroy(&s);
}

/* ---- one-line text: punctuation decides ---- */

typedef struct seg_case {
    const char *text;
    const char *want[8];
} seg_case;

static const seg_case cases[] = {
    /* initials of two and three letters, and "No." */
    {"Thanks to the efforts of the First President of Kazakhstan, Yelbasy N.A. Nazarbayev and "
     "President of Uzbekistan Sh.M. Mirziyoyev, Nur-Sultan and Tashkent develop trade. See No. 1 "
     "in the list.",
     {"Thanks to the efforts of the First President of Kazakhstan, Yelbasy N.A. Nazarbayev and "
      "President of Uzbekistan Sh.M. Mirziyoyev, Nur-Sultan and Tashkent develop trade.",
      "See No. 1 in the list.", NULL}},
    /* "p.125": no space after the full stop; "etc." and "e.g." */
    {"They named it Xinjiang [Aldabek, 2003: p.125]. Trade, culture, etc. Were discussed. "
     "Many cities, e.g. Almaty and Astana, took part. It ended.",
     {"They named it Xinjiang [Aldabek, 2003: p.125].",
      "Trade, culture, etc. Were discussed.",
      "Many cities, e.g. Almaty and Astana, took part.", "It ended.", NULL}},
    /* Kazakh initials and degree abbreviations */
    {"Ғылыми жетекшісі: т.ғ.к., доцент Сейтказина Қ.О. ұсынды. Қазақстан мен Қытай жақын көрші.",
     {"Ғылыми жетекшісі: т.ғ.к., доцент Сейтказина Қ.О. ұсынды.",
      "Қазақстан мен Қытай жақын көрші.", NULL}},
    {"Тұңғыш Президент Н.Ә.Назарбаев келді. Ол 1991 ж. сайланды. Бәрі қуанды!",
     {"Тұңғыш Президент Н.Ә.Назарбаев келді.", "Ол 1991 ж. сайланды.", "Бәрі қуанды!",
      NULL}},
    /* Russian */
    {"Президент В.В. Путин прибыл в г. Астана. Встреча прошла в т.ч. в Ак Орде. Ёлка стояла "
     "в центре.",
     {"Президент В.В. Путин прибыл в г. Астана.", "Встреча прошла в т.ч. в Ак Орде.",
      "Ёлка стояла в центре.", NULL}},
    /* Turkish, with apostrophes and Turkish abbreviations */
    {"Dr. Ahmet Yılmaz geldi. Bkz. Tablo 1. İstanbul’da toplantı yapıldı. Kazakistan’ın "
     "heyeti geldi.",
     {"Dr. Ahmet Yılmaz geldi.", "Bkz. Tablo 1.", "İstanbul’da toplantı yapıldı.",
      "Kazakistan’ın heyeti geldi.", NULL}},
    /* question and exclamation marks, combined, and an ellipsis */
    {"Is it true? Yes! Really?! Wait… What happened? Nothing.",
     {"Is it true?", "Yes!", "Really?!", "Wait…", "What happened?", "Nothing.", NULL}},
    /* a question mark before a lower-case word does not end the sentence */
    {"He asked why? and left. Then he came back.",
     {"He asked why? and left.", "Then he came back.", NULL}},
    /* closing quotes and brackets belong to the sentence they close */
    {"He said “It is over.” Then he left. (See the map.) Next one.",
     {"He said “It is over.”", "Then he left.", "(See the map.)", "Next one.", NULL}},
    {"She asked: \"Why?\" Nobody knew! «Неге?» деді ол. ‘Quiet.’ Done.",
     {"She asked: \"Why?\"", "Nobody knew!", "«Неге?» деді ол.", "‘Quiet.’", "Done.", NULL}},
    /* a full stop inside a number or before a comma does not end a sentence */
    {"Growth was 5.5 per cent in 2019. The border is 2,350 km long.",
     {"Growth was 5.5 per cent in 2019.", "The border is 2,350 km long.", NULL}},
    /* a sentence may start with a digit, an opening quote or a dash */
    {"It was signed in 1998. 2013 brought a new treaty. “Good,” he said. – Of course.",
     {"It was signed in 1998.", "2013 brought a new treaty.", "“Good,” he said.",
      "– Of course.", NULL}},
    /* no final punctuation: the rest is one sentence */
    {"  Astana and Almaty  ", {"Astana and Almaty", NULL}},
    {"x", {"x", NULL}},
};

static void test_punctuation(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_sentences(cases[c].text, cases[c].want);
}

static void test_empty(void **state)
{
    (void)state;
    ng_segments s = {0};
    assert_int_equal(ng_segment_sentences(&s, "", 0), NG_OK);
    assert_int_equal(s.count, 0);
    assert_int_equal(ng_segment_sentences(&s, " \n\t\r\n \xC2\xA0 ", 9), NG_OK);
    assert_int_equal(s.count, 0);
    /* the same value is reused: a result, then an empty one */
    assert_int_equal(ng_segment_sentences(&s, "One. Two.", 9), NG_OK);
    assert_int_equal(s.count, 2);
    assert_int_equal(ng_segment_sentences(&s, "", 0), NG_OK);
    assert_int_equal(s.count, 0);
    ng_segments_destroy(&s);
    ng_segments_destroy(&s);
}

/* ---- lines: PDF wraps are joined, short lines end a sentence ---- */

static void test_pdf_wrapped_lines(void **state)
{
    (void)state;
    /* Lines wrapped at about 75 characters with a blank line between them, as
     * PDF extraction leaves them; two short headings. */
    static const char text[] =
        "ABSTRACT\n"
        "\n"
        "This research paper examines the positions of Russia and Central Asian countries \n"
        "\n"
        "on the Chinese policy regarding ethnic minorities in the Xinjiang Uyghur Autonomous \n"
        "\n"
        "Region and analyzes the manifestation of the Xinjiang issue in the domestic politics of \n"
        "\n"
        "these countries. Russia is decidedly supporting Chinese policy towards national \n"
        "\n"
        "minorities criticizing the West for the politization of the Xinjiang issue and for \n"
        "\n"
        "using it as a political instrument against China.\n"
        "\n"
        "Introduction\n"
        "\n"
        "Kazakhstan and Kyrgyzstan, where unlike in other neighbors in Central Asia a large \n"
        "\n"
        "number of Uyghurs live, are trying to maneuver between China and Uyghur diasporas \n";
    static const char *const want[] = {
        "ABSTRACT",
        "This research paper examines the positions of Russia and Central Asian countries \n"
        "\n"
        "on the Chinese policy regarding ethnic minorities in the Xinjiang Uyghur Autonomous \n"
        "\n"
        "Region and analyzes the manifestation of the Xinjiang issue in the domestic politics of \n"
        "\n"
        "these countries.",
        "Russia is decidedly supporting Chinese policy towards national \n"
        "\n"
        "minorities criticizing the West for the politization of the Xinjiang issue and for \n"
        "\n"
        "using it as a political instrument against China.",
        "Introduction",
        "Kazakhstan and Kyrgyzstan, where unlike in other neighbors in Central Asia a large \n"
        "\n"
        "number of Uyghurs live, are trying to maneuver between China and Uyghur diasporas",
        NULL};
    check_sentences(text, want);
}

static void test_wrap_threshold(void **state)
{
    (void)state;
    /* Line widths (non-space characters): 70 46 73 71 31 70 13. A line is
     * short below 3/5 of the 80th percentile (71): 42. The 46-character line
     * was wrapped early (before a long word) and is joined; the 31-character
     * one is a heading. */
    static const char text[] =
        "Kazakhstan and Kyrgyzstan, where unlike in other neighbors in Central Asia a large\n"
        "number of Uyghurs live, are trying to maneuver between\n"
        "China and Uyghur diasporas, and the publics of these two countries are concerned about\n"
        "the situation of ethnic Kazakhs and Kyrgyz in Xinjiang and appealed to governments.\n"
        "Methodology and sources of the study\n"
        "The study was conducted based on the resources in Russian and English languages and\n"
        "on interviews.\n";
    static const char *const want[] = {
        "Kazakhstan and Kyrgyzstan, where unlike in other neighbors in Central Asia a large\n"
        "number of Uyghurs live, are trying to maneuver between\n"
        "China and Uyghur diasporas, and the publics of these two countries are concerned about\n"
        "the situation of ethnic Kazakhs and Kyrgyz in Xinjiang and appealed to governments.",
        "Methodology and sources of the study",
        "The study was conducted based on the resources in Russian and English languages and\n"
        "on interviews.",
        NULL};
    check_sentences(text, want);
}

static void test_short_lines_end_sentences(void **state)
{
    (void)state;
    /* A date line and a heading without punctuation, in web text where each
     * paragraph is one long line. */
    static const char text[] =
        "Repatriates Assembly\n"
        "\n"
        "\n"
        "23.04.2019 829\n"
        "\n"
        "On April 14-15, the first state visit of the President of Kazakhstan Qassym-Jomart "
        "Toqayev to Uzbekistan took place. It coincided with the opening of the Year of "
        "Kazakhstan in Uzbekistan, and these two events will serve to further strengthen "
        "bilateral relations between the states.\n"
        "\n"
        "Beginning of the form\n"
        "\n"
        "The historical and cultural interaction between the Kazakh and Uzbek people has its "
        "roots in the depths of time, and it is backed by a shared past and rich spiritual "
        "heritage. We are united by a common language, religion, culture and traditions.\n";
    static const char *const want[] = {
        "Repatriates Assembly",
        "23.04.2019 829",
        "On April 14-15, the first state visit of the President of Kazakhstan Qassym-Jomart "
        "Toqayev to Uzbekistan took place.",
        "It coincided with the opening of the Year of Kazakhstan in Uzbekistan, and these two "
        "events will serve to further strengthen bilateral relations between the states.",
        "Beginning of the form",
        "The historical and cultural interaction between the Kazakh and Uzbek people has its "
        "roots in the depths of time, and it is backed by a shared past and rich spiritual "
        "heritage.",
        "We are united by a common language, religion, culture and traditions.",
        NULL};
    check_sentences(text, want);
}

static void test_crlf_lines(void **state)
{
    (void)state;
    /* The same rule with Windows line ends. */
    static const char text[] =
        "Қазақстан мен Қытай жақын көрші және ортақ таулармен және өзендермен байланысқан\r\n"
        "ел. Екі елдің достығы мен тату көршілігінің тамыры тереңде жатыр және бұл белгілі\r\n"
        "жайт.\r\n"
        "Кіріспе\r\n"
        "Біздің еліміз Қазақстанның тәуелсіздігін алғашқылардың бірі болып таныды.\r\n";
    static const char *const want[] = {
        "Қазақстан мен Қытай жақын көрші және ортақ таулармен және өзендермен байланысқан\r\n"
        "ел.",
        "Екі елдің достығы мен тату көршілігінің тамыры тереңде жатыр және бұл белгілі\r\n"
        "жайт.",
        "Кіріспе",
        "Біздің еліміз Қазақстанның тәуелсіздігін алғашқылардың бірі болып таныды.",
        NULL};
    check_sentences(text, want);
}

/* ---- merging spans across a boundary a name straddles ---- */

/* Page numbers vanish; footnotes below a rule are segments of their own,
 * and the interrupted text goes on after them (seed 004's layout). */
static void test_page_furniture(void **state)
{
    (void)state;
    const char *text =
        "Relations between Kazakhstan and China grew over the \n\n"
        "32 \n\n"
        "decade that followed. \n"
        "                                                 \n"
        "7 Marlene Laruelle, The Chinese Question in Central Asia, New York: Columbia \n\n"
        "University Press, 2012. \n"
        "8 Berikbol Dukuyev, Kazakhstan and China, 2018. \n"
        " The study covers Russia and China between 1990 and 2019.\n";
    ng_segments s = {0};
    assert_int_equal(ng_segment_sentences(&s, text, strlen(text)), NG_OK);
    check_spans(&s, text, strlen(text));
    const char *want[] = {
        "Relations between Kazakhstan and China grew over the \n\n32 \n\ndecade that followed.",
        "7 Marlene Laruelle, The Chinese Question in Central Asia, New York: Columbia \n\n"
        "University Press, 2012.",
        "8 Berikbol Dukuyev, Kazakhstan and China, 2018.",
        "The study covers Russia and China between 1990 and 2019.",
    };
    assert_int_equal(s.count, 4);
    for (size_t i = 0; i < 4; i++) {
        size_t n = s.spans[i].end - s.spans[i].start;
        if (n != strlen(want[i]) || memcmp(text + s.spans[i].start, want[i], n) != 0)
            fail_msg("sentence %zu: '%.*s'", i, (int)n, text + s.spans[i].start);
    }
    ng_segments_destroy(&s);
}

/* Paragraphs: a blank line starts one, except in a double-spaced PDF
 * extraction, where only a short last line ends one (seed 000's layout). */
static void test_paragraphs(void **state)
{
    (void)state;
    const char *web = "China and Kazakhstan signed it.\n\nRussia agreed. Then Turkey.\n";
    ng_segments s = {0};
    assert_int_equal(ng_segment_sentences(&s, web, strlen(web)), NG_OK);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.paragraph[0], 0);
    assert_int_equal(s.paragraph[1], 1);
    assert_int_equal(s.paragraph[2], 1);
    const char *pdf =
        "The article discusses the cultural relations of the two countries. \n\n"
        "Noting that the exchange is the basis of friendship between the two \n\n"
        "countries, it is said that contacts were further developed over time. \n\n"
        "It ends here. \n\n"
        "A new paragraph starts on this line and goes on for a while longer. \n\n"
        "And it ends with a short line. \n";
    assert_int_equal(ng_segment_sentences(&s, pdf, strlen(pdf)), NG_OK);
    assert_int_equal(s.count, 5); /* the first ends a long line: no new paragraph */
    static const uint32_t want[] = {0, 0, 0, 1, 1};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(s.paragraph[i], want[i]);
    /* Most lines one character wide: 3/5 of 1 is 0, so no line is short,
     * not even the one of a stray continuation byte (a character to the
     * segmenter, none to the paragraph test) above the second blank line. */
    const char *thin = "\x8a\n\n_____\n\n\x8a\n\n\x8a\n\n\x8a\n\n";
    assert_int_equal(ng_segment_sentences(&s, thin, strlen(thin)), NG_OK);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.paragraph[1], 0);
    ng_segments_destroy(&s);
}

static ng_span span_at(const void *names, size_t i) { return ((const ng_span *)names)[i]; }

static void test_join(void **state)
{
    (void)state;
    static const char text[] = "One two. Three. Four five. Six.";
    ng_segments s = {0};
    static const ng_span four[] = {{0, 8}, {9, 15}, {16, 26}, {27, 31}};
    /* names inside one sentence, or between two: nothing to join */
    static const ng_span inside[] = {{0, 3}, {9, 12}, {12, 15}, {15, 16}, {27, 31}};
    assert_int_equal(ng_segment_sentences(&s, text, sizeof text - 1), NG_OK);
    ng_segments_join(&s, inside, 5, span_at);
    assert_int_equal(s.count, 4);
    assert_memory_equal(s.spans, four, sizeof four);
    /* a name from sentence 1 into 2: they become one */
    static const ng_span across[] = {{4, 7}, {10, 20}, {29, 30}};
    ng_segments_join(&s, across, 3, span_at);
    static const ng_span three[] = {{0, 8}, {9, 26}, {27, 31}};
    assert_int_equal(s.count, 3);
    assert_memory_equal(s.spans, three, sizeof three);
    check_spans(&s, text, sizeof text - 1);
    /* a name past the end of the last sentence has nothing to join */
    static const ng_span past[] = {{28, 40}};
    ng_segments_join(&s, past, 1, span_at);
    assert_int_equal(s.count, 3);
    /* names that each cross the next boundary: all of them, in one pass */
    static const ng_span chain[] = {{5, 10}, {12, 28}};
    ng_segments_join(&s, chain, 2, span_at);
    static const ng_span one[] = {{0, 31}};
    assert_int_equal(s.count, 1);
    assert_memory_equal(s.spans, one, sizeof one);
    check_spans(&s, text, sizeof text - 1);
    ng_segments_destroy(&s);
}

/* Joining against joining one name at a time (each name grows the sentence
 * it starts in until that reaches the name's end), on random sentences and
 * names; and a million names each crossing a boundary, which joining one at
 * a time, moving the rest of the array each time, would take hours for. */
static void test_join_random(void **state)
{
    (void)state;
    uint32_t seed = 99;
    for (int round = 0; round < 2000; round++) {
        ng_segments s = {0}, want = {0};
        size_t count = (size_t)(round % 12) + 1;
        s.spans = calloc(count, sizeof *s.spans);
        s.paragraph = calloc(count, sizeof *s.paragraph);
        want.spans = calloc(count, sizeof *want.spans);
        want.paragraph = calloc(count, sizeof *want.paragraph);
        assert_true(s.spans && s.paragraph && want.spans && want.paragraph);
        uint32_t at = 0;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            at += 1 + (seed >> 16) % 3; /* a gap */
            s.spans[i].start = at;
            at += 1 + (seed >> 20) % 6;
            s.spans[i].end = at;
            s.paragraph[i] = (uint32_t)i / 3;
        }
        s.count = want.count = count;
        memcpy(want.spans, s.spans, count * sizeof *s.spans);
        memcpy(want.paragraph, s.paragraph, count * sizeof *s.paragraph);
        ng_span names[16];
        size_t n = 0;
        for (uint32_t p = 0; p < at && n < 16;) {
            seed = seed * 1103515245u + 12345u;
            p += (seed >> 16) % 5;
            uint32_t len = 1 + (seed >> 20) % 9;
            names[n++] = (ng_span){p, p + len};
            p += len;
        }
        for (size_t k = 0, i = 0; k < n; k++) { /* one name at a time */
            while (i + 1 < want.count && want.spans[i].end <= names[k].start)
                i++;
            size_t last = i;
            while (last + 1 < want.count && want.spans[last].end < names[k].end)
                last++;
            want.spans[i].end = want.spans[last].end;
            memmove(&want.spans[i + 1], &want.spans[last + 1],
                    (want.count - last - 1) * sizeof *want.spans);
            memmove(&want.paragraph[i + 1], &want.paragraph[last + 1],
                    (want.count - last - 1) * sizeof *want.paragraph);
            want.count -= last - i;
        }
        ng_segments_join(&s, names, n, span_at);
        assert_int_equal(s.count, want.count);
        assert_memory_equal(s.spans, want.spans, want.count * sizeof *s.spans);
        assert_memory_equal(s.paragraph, want.paragraph, want.count * sizeof *s.paragraph);
        free(s.spans);
        free(s.paragraph);
        free(want.spans);
        free(want.paragraph);
    }
    enum { MANY = 1000000 };
    ng_segments big = {.spans = malloc(MANY * sizeof(ng_span)),
                       .paragraph = calloc(MANY, sizeof(uint32_t)), .count = MANY};
    ng_span *names = malloc(MANY * sizeof *names);
    assert_true(big.spans && big.paragraph && names);
    for (uint32_t i = 0; i < MANY; i++) {
        big.spans[i] = (ng_span){10 * i, 10 * i + 8};
        names[i] = (ng_span){10 * i + 6, 10 * i + 12}; /* across every boundary */
    }
    ng_segments_join(&big, names, MANY, span_at);
    assert_int_equal(big.count, 1);
    assert_int_equal(big.spans[0].end, 10 * (MANY - 1) + 8);
    free(names);
    free(big.spans);
    free(big.paragraph);
}

/* ---- a seed document, and every corpus file ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n + 65536 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, fp);
        n += r;
    } while (r > 0);
    fclose(fp);
    *len = n;
    return buf;
}

static void test_seed_excerpt(void **state)
{
    (void)state;
    size_t len;
    char *text = read_all(NG_TEST_DATA "/unit/pdf_en.txt", &len);
    assert_non_null(text);
    char *z = malloc(len + 1);
    assert_non_null(z);
    memcpy(z, text, len);
    z[len] = '\0';
    static const char *const want[] = {
        "Abstract.",
        "The article discusses the cultural and humanitarian relationships \n\nbetween the "
        "Xinjiang-Uygur Autonomous Region and The Republic of \n\nKazakhstan.",
        "Speaking of historical ties with this region, they will mention the \n\nintercultural "
        "dialogue between Kazakhstan and Xinjiang, which dates back to \n\nthe 1980s and "
        "continues deep-rooted relations between the two countries.",
        "Noting that cultural exchange is the basis of friendship in relations between \n\nthe "
        "two countries, it is mentioned that after the establishment of diplomatic "
        "\n\nrelations, cultural contacts were further developed.",
        "Cooperation in the field of \n\neducation, science, literature, and culture has been "
        "carried out on the basis of \n\ninterstate, intergovernmental, and interdepartmental "
        "agreements and new \n\nforms of bilateral cooperation have emerged.",
        "It features a chronology of \n\nevents, the most important cultural events, and "
        "educational programs between \n\nthe two countries.",
        "The effectiveness of cultural contacts in coordinating \n\nregional cooperation is "
        "reviewed.",
        "The study emphasizes that the main issue is \n\nto strengthen spiritual and cultural "
        "relations between the two countries on the \n\nbasis of partnership, to find ways to "
        "bring the common history and culture to \n\na higher level.",
        "The article analyzes the process of development of various cultural links \n\nof "
        "Kazakhstan with XUAR today and gives scientific conclusions.",
        "1.Introduction",
        NULL};
    check_sentences(z, want);
    free(z);
    free(text);
}

/* ---- the reference: the same rules, one decoded character at a time ----
 *
 * segment.c skips runs of plain characters in bulk. This restates its rules
 * over an array of decoded characters, in the plainest form, so that the two
 * can be compared on generated text and on the corpus. */

typedef struct ref_text {
    const char *s; /* the bytes */
    size_t len;
    int32_t *cp;   /* the characters (a byte that starts no valid one: U+FFFD) */
    size_t *off;   /* where each starts, and len after the last */
    size_t n;
} ref_text;

static void ref_decode(ref_text *t, const char *s, size_t len)
{
    t->s = s;
    t->len = len;
    t->cp = malloc((len + 1) * sizeof *t->cp);
    t->off = malloc((len + 1) * sizeof *t->off);
    assert_true(t->cp && t->off);
    t->n = 0;
    for (size_t i = 0; i < len;) {
        int32_t c;
        size_t k = ng_utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (!k)
            k = 1, c = 0xFFFD;
        t->cp[t->n] = c;
        t->off[t->n++] = i;
        i += k;
    }
    t->off[t->n] = len;
}

static int ref_terminal(int32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x3002;
}

static int ref_closer(int32_t c)
{
    return c > 0 && c < 0x80 ? strchr(")]}\"'", c) != NULL : c == 0xBB || c == 0x201D || c == 0x2019 || c == 0x203A;
}

static int ref_opener(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_ND)
        return 1;
    return c > 0 && c < 0x80 ? strchr("([\"'-", c) != NULL
                             : c == 0xAB || c == 0x201C || c == 0x2018 || c == 0x2013 ||
                                   c == 0x2014;
}

static int ref_letter(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
           cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
           cat == UTF8PROC_CATEGORY_LO;
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Short below 3/5 of the 80th percentile of the widths (non-space
 * characters, at most 1023) of the lines that have any. */
static size_t ref_short_width(const ref_text *t)
{
    size_t *w = malloc((t->n + 1) * sizeof *w), lines = 0, cur = 0;
    assert_non_null(w);
    for (size_t c = 0; c <= t->n; c++) {
        if (c == t->n || t->cp[c] == '\n') {
            if (cur)
                w[lines++] = cur < 1023 ? cur : 1023;
            cur = 0;
        } else {
            cur += !is_space_cp(t->cp[c]);
        }
    }
    qsort(w, lines, sizeof *w, by_size);
    size_t r = lines ? w[lines - lines / 5 - 1] * 3 / 5 : 0;
    free(w);
    return r;
}

/* Of the lines ended by '\n' that are not empty, are more than 3 in 4
 * followed by a line of only spaces, tabs and CRs that is ended by '\n'
 * (and at least 4 of them)? */
static int ref_double_spaced(const char *s, size_t len)
{
    size_t lines = 0, followed = 0, start = 0;
    const char *nl;
    while ((nl = memchr(s + start, '\n', len - start)) != NULL) {
        size_t end = (size_t)(nl - s), next = end + 1;
        if (end > start) {
            lines++;
            size_t span = strspn(s + next, " \t\r"); /* s is NUL-terminated */
            followed += next + span < len && s[next + span] == '\n';
        }
        start = end + 1;
    }
    return lines >= 4 && followed * 4 > lines * 3;
}

static const char *const ref_abbreviations[] = {
    "al", "approx", "art", "ca", "cf", "ch", "co", "col", "dept", "dr", "ed", "eds", "fig",
    "gen", "gov", "inc", "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "op", "pp", "prof", "rev",
    "sec", "sr", "st", "vol", "vols", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "гг", "им", "см", "стр", "тыс", "млн", "млрд",
    "проф", "акад", "вып", "изд", "др", "пр", "sh", "zh", "kh", "ts", "yu", "ya", "ye", "yo",
    "жж", "бб", "ғ", "доц", "vb", "vd", "bkz", "yy", "doç", "yrd", "sf", "çev", "haz", NULL};

/* Is the word before character `dot` one letter, or a known abbreviation? */
static int ref_abbreviation(const ref_text *t, size_t dot)
{
    size_t start = dot;
    while (start > 0 && ref_letter(t->cp[start - 1]))
        start--;
    if (dot - start == 1)
        return 1;
    if (dot - start == 0 || dot - start > 6)
        return 0;
    char word[32];
    size_t w = 0;
    for (size_t c = start; c < dot; c++)
        w += ng_utf8_encode(utf8proc_tolower(t->cp[c]), word + w);
    word[w] = '\0';
    for (size_t a = 0; ref_abbreviations[a]; a++)
        if (strcmp(word, ref_abbreviations[a]) == 0)
            return 1;
    return 0;
}

/* Lines dropped (page numbers: 1 to 4 digits; rules: 5 underscores, or 20
 * spaces and underscores) or left as text, and where they end. */
enum { REF_TEXT, REF_BLANK, REF_PAGE, REF_RULE };

static int ref_line(const ref_text *t, size_t c, size_t *end)
{
    size_t spaces = 0, rules = 0, digits = 0, other = 0;
    for (; c < t->n && t->cp[c] != '\n'; c++) {
        int32_t x = t->cp[c];
        spaces += x == ' ' || x == '\t' || x == '\r';
        rules += x == '_';
        digits += x >= '0' && x <= '9';
        other += !(x == ' ' || x == '\t' || x == '\r' || x == '_' || (x >= '0' && x <= '9'));
    }
    *end = c;
    if (other || (digits && rules) || digits > 4)
        return REF_TEXT;
    if (digits)
        return REF_PAGE;
    return spaces + rules >= 20 || rules >= 5 ? REF_RULE : REF_BLANK;
}

/* "8 Name", "12. Ibid.": 1 to 3 digits, maybe a full stop, a space. */
static int ref_footnote(const ref_text *t, size_t c)
{
    size_t d = 0;
    while (c + d < t->n && t->cp[c + d] >= '0' && t->cp[c + d] <= '9')
        d++;
    if (d == 0 || d > 3)
        return 0;
    if (c + d < t->n && t->cp[c + d] == '.')
        d++;
    return c + d < t->n && t->cp[c + d] == ' ';
}

/* Two '\n' in [from, to) with only spaces, tabs and CRs between them? */
static int ref_blank_between(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (s[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < to && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
            j++;
        if (j < to && s[j] == '\n')
            return 1;
    }
    return 0;
}

static void ref_push(ng_segments *out, size_t start, size_t end)
{
    if (out->count == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->spans = realloc(out->spans, out->cap * sizeof *out->spans);
        out->paragraph = realloc(out->paragraph, out->cap * sizeof *out->paragraph);
        assert_true(out->spans && out->paragraph);
    }
    out->spans[out->count++] = (ng_span){(uint32_t)start, (uint32_t)end};
}

/* Paragraphs: a blank line between two sentences starts one, unless the text
 * is double spaced; then only after a line (bytes that start a character,
 * other than spaces and tabs) that is short. */
static void ref_paragraphs(ng_segments *out, const char *s, int dbl, size_t short_width)
{
    for (size_t i = 0; i < out->count; i++) {
        if (i == 0) {
            out->paragraph[0] = 0;
            continue;
        }
        size_t prev = out->spans[i - 1].end, line = prev, chars = 0;
        while (line > 0 && s[line - 1] != '\n')
            line--;
        for (size_t b = line; b < prev; b++)
            chars += ((unsigned char)s[b] & 0xC0) != 0x80 && s[b] != ' ' && s[b] != '\t';
        out->paragraph[i] = out->paragraph[i - 1] +
                            (ref_blank_between(s, prev, out->spans[i].start) &&
                             (!dbl || chars < short_width));
    }
}

static void ref_segment(ng_segments *out, const char *s, size_t len)
{
    ref_text t;
    ref_decode(&t, s, len);
    size_t threshold = ref_short_width(&t), open = 0, sent_start = 0, content_end = 0;
    size_t line_chars = 0, end;
    int line_start = 1, in_notes = 0;
    out->count = 0;
    for (size_t c = 0; c < t.n;) {
        if (line_start) {
            line_start = 0;
            int kind = ref_line(&t, c, &end), close = kind == REF_RULE;
            if (kind == REF_PAGE || kind == REF_RULE) {
                in_notes |= kind == REF_RULE;
                if (close && open)
                    ref_push(out, sent_start, content_end), open = 0;
                c = end;
                continue;
            }
            if (in_notes && kind == REF_TEXT) {
                size_t first = c;
                while (t.cp[first] == ' ' || t.cp[first] == '\t')
                    first++;
                if (ref_footnote(&t, first))
                    close = 1;
                else if (first > c)
                    close = 1, in_notes = 0;
            }
            if (close && open)
                ref_push(out, sent_start, content_end), open = 0;
        }
        int32_t x = t.cp[c];
        if (x == '\n') {
            if (open && line_chars > 0 && line_chars < threshold)
                ref_push(out, sent_start, content_end), open = 0;
            line_start = 1, line_chars = 0, c++;
            continue;
        }
        if (is_space_cp(x)) {
            c++;
            continue;
        }
        if (!open)
            open = 1, sent_start = t.off[c];
        content_end = t.off[c + 1];
        line_chars++;
        if (!ref_terminal(x)) {
            c++;
            continue;
        }
        size_t j = c + 1;
        for (; j < t.n && ref_closer(t.cp[j]); j++)
            line_chars++; /* counted again below when no space follows them */
        if (j < t.n && !is_space_cp(t.cp[j])) {
            c++;
            continue;
        }
        size_t m = j;
        while (m < t.n && is_space_cp(t.cp[m]))
            m++;
        if ((m == t.n || ref_opener(t.cp[m])) && !(x == '.' && ref_abbreviation(&t, c)))
            ref_push(out, sent_start, t.off[j]), open = 0;
        content_end = t.off[j];
        c = j;
    }
    if (open)
        ref_push(out, sent_start, content_end);
    ref_paragraphs(out, s, ref_double_spaced(s, len), threshold);
    free(t.cp);
    free(t.off);
}

/* ---- generated text: the library against the reference ---- */

/* Pieces of text that exercise every rule: words in three scripts, initials
 * and abbreviations, terminal punctuation with closers and openers, every
 * kind of white space, and line-level furniture. */
static const char *const gen_words[] = {
    "the", "Kazakhstan", "and", "policy", "of", "Xinjiang", "2019", "5.5", "p.125", "e.g.",
    "Қазақстан", "мен", "Қытай", "көрші", "әлем", "Ғылыми", "ұсынды", "Президент", "İstanbul’da",
    "Yılmaz", "toplantı", "ÇEV", "şehir", "Ğ", "doğu", "Üç", "x", "A", "ж", "学院", "𝐀bc",
    "N.A.", "Sh.M.", "Н.Ә.Назарбаев", "т.ғ.к.", "Dr.", "dr.", "etc.", "No.", "Vol.", "Bkz.",
    "doç.", "Doç.", "проф.", "ПРОФ.", "млрд.", "Sept.", "approx.", "approxi.", "ғ.", "çev.",
    "Ibid.", "U.S.", "Jr.", "MRS.", "al.", "fig.", "Fig.", "ca.", "abc\x01", "x\x7f", "Ⅻ.",
};
static const char *const gen_marks[] = {
    ".", ".", ".", "!", "?", "?!", "…", "。", ",", ";", ":", ")", "]", "}", "\"", "'", "»",
    "”", "’", "›", "(", "[", "\"", "'", "«", "“", "‘", "–", "—", "-", ".)", ".”", ".\"", "!»",
    "?’", ".’x", ".)a", "…»", ". ", ".  ", "._", ".\xC2\xA0",
};
static const char *const gen_spaces[] = {
    " ", " ", " ", " ", " ", " ", "  ", "\t", "\r", "\v", "\f", "\xC2\xA0", "\xC2\x85",
    "\u2000", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u3000", "\u200b", "\u00ad",
};
static const char *const gen_lines[] = {
    "\n", "\n", "\n", "\n", "\r\n", "\n\n", "\n \n", "\n\t\r\n", " \n", "\n 32 \n", "\n7\n",
    "\n12345\n", "\n_____\n", "\n                         \n", "\n__ 12\n", "\n____\n",
    "\n8 Berikbol Dukuyev, op. cit.", "\n12. Ibid.", "\n  The page goes on", "\n\t123 x",
    "\n1234 ", "\n 1. ", "\n  \n",
};

static size_t gen_put(char *out, size_t o, size_t cap, const char *piece)
{
    size_t n = strlen(piece);
    if (o + n < cap) {
        memcpy(out + o, piece, n);
        o += n;
    }
    return o;
}

#define GEN_PICK(list, seed) list[ng_test_rand(seed) % (sizeof list / sizeof *list)]

/* A document of up to `cap` - 1 bytes (NUL-terminated): lines wrapped at a
 * width of its own, maybe double spaced, with furniture and odd characters. */
static size_t gen_document(char *out, size_t cap, uint32_t *seed)
{
    size_t o = 0, line = 0, width = 10 + ng_test_rand(seed) % 120;
    size_t target = ng_test_rand(seed) % cap;
    unsigned dense = ng_test_rand(seed) % 4 == 0; /* pieces without words between them */
    unsigned double_spaced = ng_test_rand(seed) % 3 == 0;
    while (o + 64 < cap && o < target) {
        size_t before = o;
        unsigned r = ng_test_rand(seed) % 100;
        if (r < (dense ? 10u : 55u))
            o = gen_put(out, o, cap, GEN_PICK(gen_words, seed));
        else if (r < 70)
            o = gen_put(out, o, cap, GEN_PICK(gen_marks, seed));
        else if (r < (dense ? 85u : 95u))
            o = gen_put(out, o, cap, GEN_PICK(gen_spaces, seed));
        else if (ng_test_rand(seed) % 3 == 0)
            o = gen_put(out, o, cap, GEN_PICK(gen_lines, seed));
        line += o - before;
        if (line > width || ng_test_rand(seed) % 200 == 0) {
            o = gen_put(out, o, cap, double_spaced ? " \n\n" : "\n");
            line = 0;
        }
    }
    out[o] = '\0';
    return o;
}

static void check_against_reference(const char *text, size_t len, const char *what)
{
    ng_segments got = {0}, want = {0};
    assert_int_equal(ng_segment_sentences(&got, text, len), NG_OK);
    ref_segment(&want, text, len);
    size_t i = 0;
    while (i < got.count && i < want.count && got.spans[i].start == want.spans[i].start &&
           got.spans[i].end == want.spans[i].end && got.paragraph[i] == want.paragraph[i])
        i++;
    if (i < got.count || i < want.count) {
        print_error("%s (%zu bytes): sentence %zu of %zu differs from the reference (%zu)\n",
                    what, len, i, got.count, want.count);
        if (i < got.count)
            print_error("got  [%u, %u) para %u \"%.*s\"\n", got.spans[i].start,
                        got.spans[i].end, got.paragraph[i],
                        (int)(got.spans[i].end - got.spans[i].start), text + got.spans[i].start);
        if (i < want.count)
            print_error("want [%u, %u) para %u \"%.*s\"\n", want.spans[i].start,
                        want.spans[i].end, want.paragraph[i],
                        (int)(want.spans[i].end - want.spans[i].start),
                        text + want.spans[i].start);
        fail_msg("%s: the library and the reference disagree", what);
    }
    ng_segments_destroy(&got);
    ng_segments_destroy(&want);
}

static void test_generated_against_reference(void **state)
{
    (void)state;
    enum { DOCS = 4000, CAP = 4096 };
    char *text = malloc(CAP);
    assert_non_null(text);
    uint32_t seed = 7;
    for (int d = 0; d < DOCS; d++) {
        char what[32];
        snprintf(what, sizeof what, "document %d", d);
        size_t len = gen_document(text, CAP, &seed);
        assert_int_equal(ng_utf8_valid_prefix(text, len), len);
        check_against_reference(text, len, what);
    }
    free(text);
}

/* Every kind of character the library's 16-byte blocks tell apart: ASCII
 * (DEL too), ' ', terminal punctuation, other white space, two-byte letters
 * (from 0xC3) and the two-byte characters below them, three- and four-byte
 * ones, and stray bytes (a lead without its continuation, a continuation
 * without its lead). Letters most, so that runs cross blocks. */
static const char *const run_letters[] = {"a", "Z", "7", "é", "Қ", "ş", "ә", "ß"};
static const char *const run_others[] = {
    " ", " ", " ", ",", "\x7f", ".", "?", "!", "\t", "\xC2\xA0", "«", "»", "“", "”", "—", "学",
    "𝐀", " \xC3 ", " \x80 ", "\xC3\xC3\xA9",
};

/* Lines of random characters, some around 16 and 32 bytes long, from every
 * offset below 16 (so that each block boundary falls in every kind of run),
 * against the reference: where runs start and end, and how many characters
 * the short-line rule counts. */
static void test_runs_against_reference(void **state)
{
    (void)state;
    enum { DOCS = 400, CAP = 1536 };
    char text[CAP];
    uint32_t seed = 11;
    for (int d = 0; d < DOCS; d++) {
        size_t o = 0;
        while (o + 200 < CAP) {
            for (size_t c = 1 + ng_test_rand(&seed) % 40; c > 0; c--)
                o = gen_put(text, o, CAP,
                            ng_test_rand(&seed) % 4 ? GEN_PICK(run_letters, &seed)
                                                    : GEN_PICK(run_others, &seed));
            o = gen_put(text, o, CAP, "\n");
        }
        for (size_t from = 0; from < 16; from++) {
            char what[48];
            snprintf(what, sizeof what, "document %d from %zu", d, from);
            check_against_reference(text + from, o - from, what);
        }
    }
}

/* Each abbreviation, in upper, title and lower case, before a capital. */
static void test_abbreviations_against_reference(void **state)
{
    (void)state;
    for (size_t a = 0; ref_abbreviations[a]; a++) {
        for (int c = 0; c < 3; c++) {
            char text[64], word[32];
            size_t w = 0;
            ref_text t;
            ref_decode(&t, ref_abbreviations[a], strlen(ref_abbreviations[a]));
            for (size_t i = 0; i < t.n; i++) {
                int32_t x = c == 2 || (c == 1 && i > 0) ? t.cp[i] : utf8proc_toupper(t.cp[i]);
                w += ng_utf8_encode(x, word + w);
            }
            word[w] = '\0';
            free(t.cp);
            free(t.off);
            int n = snprintf(text, sizeof text, "See the %s. Next one.", word);
            check_against_reference(text, (size_t)n, text);
            const char *const one[] = {text, NULL};
            check_sentences(text, one);
        }
    }
}

/* Every corpus file: the invariants, and the reference's sentences. */
static void test_corpus(void **state)
{
    (void)state;
    const char *dir = NG_TEST_DATA "/../../corpus";
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *e;
    size_t files = 0;
    ng_segments s = {0};
    while ((e = readdir(dh)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = read_all(path, &len);
        assert_non_null(text);
        assert_int_equal(ng_utf8_valid_prefix(text, len), len);
        assert_int_equal(ng_segment_sentences(&s, text, len), NG_OK);
        assert_true(s.count > 10);
        check_spans(&s, text, len);
        /* the same as the reference, from every offset below 16 (so that
         * the library's 8-byte steps meet each byte at every position) */
        char *z = malloc(len + 1);
        assert_non_null(z);
        memcpy(z, text, len);
        z[len] = '\0';
        for (size_t from = 0; from < 16 && from < len; from++)
            if (ng_utf8_valid_prefix(z + from, len - from) == len - from)
                check_against_reference(z + from, len - from, e->d_name);
        free(z);
        free(text);
        files++;
    }
    closedir(dh);
    assert_true(files >= 5);
    ng_segments_destroy(&s);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_punctuation),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_pdf_wrapped_lines),
        cmocka_unit_test(test_wrap_threshold),
        cmocka_unit_test(test_short_lines_end_sentences),
        cmocka_unit_test(test_crlf_lines),
        cmocka_unit_test(test_page_furniture),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_join), cmocka_unit_test(test_join_random),
        cmocka_unit_test(test_seed_excerpt),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_abbreviations_against_reference),
        cmocka_unit_test(test_generated_against_reference),
        cmocka_unit_test(test_runs_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
