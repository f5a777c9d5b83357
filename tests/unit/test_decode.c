/* test_decode.c: stage 2, raw bytes to UTF-8 with the way back to them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* ---- warnings are captured, not printed ---- */

static char last_warning[1024];
static int warning_count;

static void capture_warning(const char *msg, void *userdata)
{
    (void)userdata;
    snprintf(last_warning, sizeof last_warning, "%s", msg);
    warning_count++;
}

static int setup(void **state)
{
    (void)state;
    last_warning[0] = '\0';
    warning_count = 0;
    ng_set_warning_handler(capture_warning, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ng_set_warning_handler(NULL, NULL);
    return 0;
}

/* ---- the invariant every decode must satisfy ---- */

/* The decoded text is `want` (`want_len` bytes); its k-th character starts
 * at source offset `offsets[k]`; every byte of a character maps to the start
 * of that character; the end maps to the source length. */
static void check_decoded(const ng_text *t, size_t source_len, const char *want,
                          size_t want_len, const uint32_t *offsets, size_t char_count)
{
    assert_int_equal(t->source_len, source_len);
    assert_int_equal(t->len, want_len);
    if (want_len)
        assert_memory_equal(t->data, want, want_len);
    assert_int_equal(ng_utf8_valid_prefix(t->data, t->len), t->len);
    size_t k = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < t->len;) {
        int32_t cp;
        size_t n = ng_utf8_decode((const unsigned char *)t->data + i, t->len - i, &cp);
        assert_true(n > 0);
        assert_true(k < char_count);
        assert_int_equal(ng_text_source_offset(t, i), offsets[k]);
        if (t->map) /* in place, offset + shift: inner bytes map to themselves */
            for (size_t j = 1; j < n; j++)
                assert_int_equal(t->map[i + j], offsets[k]);
        assert_true(offsets[k] >= prev);
        prev = offsets[k];
        i += n;
        k++;
    }
    assert_int_equal(k, char_count);
    assert_int_equal(ng_text_source_offset(t, t->len), source_len);
}

/* ---- valid UTF-8 is used in place ---- */

static void test_utf8_in_place(void **state)
{
    (void)state;
    static const char src[] = "Қазақстан мен Қытай, İstanbul’da";
    size_t len = sizeof src - 1;
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, src, len, NULL, "doc.txt"), NG_OK);
    assert_ptr_equal(t.data, src);
    assert_int_equal(t.len, len);
    assert_int_equal(t.shift, 0);
    assert_null(t.map);
    assert_int_equal(t.replaced, 0);
    assert_string_equal(t.encoding, "UTF-8");
    for (size_t i = 0; i <= len; i++)
        assert_int_equal(ng_text_source_offset(&t, i), i);
    assert_int_equal(warning_count, 0);

    /* Declared UTF-8, in either spelling, is the same thing. */
    assert_int_equal(ng_decode(&t, src, len, "utf-8", "doc.txt"), NG_OK);
    assert_ptr_equal(t.data, src);
    assert_int_equal(ng_decode(&t, src, len, "UTF8", "doc.txt"), NG_OK);
    assert_ptr_equal(t.data, src);
    assert_null(t.map);
    ng_text_destroy(&t);
}

static void test_empty_input(void **state)
{
    (void)state;
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, "", 0, NULL, "empty.txt"), NG_OK);
    assert_int_equal(t.len, 0);
    assert_int_equal(t.source_len, 0);
    assert_int_equal(ng_text_source_offset(&t, 0), 0);
    assert_int_equal(t.replaced, 0);
    ng_text_destroy(&t);
}

static void test_utf8_bom(void **state)
{
    (void)state;
    static const char src[] = "\xEF\xBB\xBF"
                              "Қазақстан";
    size_t len = sizeof src - 1;
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, src, len, NULL, "bom.txt"), NG_OK);
    assert_ptr_equal(t.data, src + 3);
    assert_int_equal(t.shift, 3);
    assert_null(t.map);
    assert_string_equal(t.encoding, "UTF-8");
    static const uint32_t offsets[] = {3, 5, 7, 9, 11, 13, 15, 17, 19};
    check_decoded(&t, len, "Қазақстан", strlen("Қазақстан"), offsets, 9);

    /* A BOM alone: nothing decoded, the end is the end of the file. */
    assert_int_equal(ng_decode(&t, src, 3, NULL, "bom.txt"), NG_OK);
    assert_int_equal(t.len, 0);
    assert_int_equal(ng_text_source_offset(&t, 0), 3);

    /* Declared UTF-8 strips the BOM too. */
    assert_int_equal(ng_decode(&t, src, len, "UTF-8", "bom.txt"), NG_OK);
    assert_int_equal(t.shift, 3);
    assert_int_equal(t.len, len - 3);
    ng_text_destroy(&t);
}

/* ---- UTF-16 and UTF-32, from a BOM or declared ---- */

/* Append `cp` to `out` as UTF-16 (big-endian if `be`); returns the new length. */
static size_t put_utf16(unsigned char *out, size_t n, uint32_t cp, int be)
{
    uint16_t units[2];
    size_t count = 1;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        units[0] = (uint16_t)(0xD800 | (cp >> 10));
        units[1] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        count = 2;
    } else {
        units[0] = (uint16_t)cp;
    }
    for (size_t i = 0; i < count; i++) {
        out[n++] = (unsigned char)(be ? units[i] >> 8 : units[i] & 0xFF);
        out[n++] = (unsigned char)(be ? units[i] & 0xFF : units[i] >> 8);
    }
    return n;
}

/* "Қ😀 Ёлка" with one character outside the BMP. */
static const uint32_t utf16_cps[] = {0x049A, 0x1F600, 0x20, 0x0401, 0x043B, 0x043A, 0x0430};
static const char utf16_utf8[] = "Қ\xF0\x9F\x98\x80 Ёлка";

static void check_utf16(int be, int bom, const char *declared, const char *want_encoding)
{
    unsigned char src[64];
    size_t n = 0;
    if (bom)
        n = put_utf16(src, n, 0xFEFF, be);
    uint32_t offsets[8];
    size_t count = sizeof utf16_cps / sizeof *utf16_cps;
    for (size_t i = 0; i < count; i++) {
        offsets[i] = (uint32_t)n;
        n = put_utf16(src, n, utf16_cps[i], be);
    }
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, (const char *)src, n, declared, "u16.txt"), NG_OK);
    assert_string_equal(t.encoding, want_encoding);
    assert_non_null(t.map);
    assert_int_equal(t.replaced, 0);
    check_decoded(&t, n, utf16_utf8, sizeof utf16_utf8 - 1, offsets, count);
    /* The emoji starts at byte 4 (after BOM and Қ) and takes 4 bytes. */
    if (bom)
        assert_int_equal(offsets[1], 4);
    assert_int_equal(offsets[2] - offsets[1], 4);
    ng_text_destroy(&t);
}

static void test_utf16le_bom(void **state)
{
    (void)state;
    check_utf16(0, 1, NULL, "UTF-16LE");
    /* Declared "UTF-16" with a BOM follows the BOM. */
    check_utf16(0, 1, "UTF-16", "UTF-16LE");
}

static void test_utf16be_bom(void **state)
{
    (void)state;
    check_utf16(1, 1, NULL, "UTF-16BE");
    check_utf16(1, 1, "UTF-16", "UTF-16BE");
}

static void test_utf16_declared_without_bom(void **state)
{
    (void)state;
    check_utf16(0, 0, "UTF-16", "UTF-16LE"); /* no BOM: little-endian */
    check_utf16(0, 0, "UTF-16LE", "UTF-16LE");
    check_utf16(1, 0, "UTF-16BE", "UTF-16BE");
}

static void test_utf16_exact_bytes(void **state)
{
    (void)state;
    /* Spelled out once by hand: BOM, Қ (U+049A), U+1F600 as D83D DE00, 'a'. */
    static const unsigned char le[] = {0xFF, 0xFE, 0x9A, 0x04, 0x3D, 0xD8, 0x00, 0xDE, 0x61, 0x00};
    static const unsigned char be[] = {0xFE, 0xFF, 0x04, 0x9A, 0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x61};
    static const uint32_t offsets[] = {2, 4, 8};
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, (const char *)le, sizeof le, NULL, "le.txt"), NG_OK);
    check_decoded(&t, sizeof le, "Қ\xF0\x9F\x98\x80"
                                 "a",
                  7, offsets, 3);
    /* The four bytes of the emoji all lead back to byte 4. */
    assert_int_equal(t.map[2], 4);
    assert_int_equal(t.map[5], 4);
    assert_int_equal(t.map[6], 8);
    assert_int_equal(t.map[7], 10);
    assert_int_equal(ng_decode(&t, (const char *)be, sizeof be, NULL, "be.txt"), NG_OK);
    check_decoded(&t, sizeof be, "Қ\xF0\x9F\x98\x80"
                                 "a",
                  7, offsets, 3);
    ng_text_destroy(&t);
}

static void test_utf16_invalid_units(void **state)
{
    (void)state;
    ng_text t = {0};
    /* A lone high surrogate followed by 'a': U+FFFD at byte 2, 'a' at 4. */
    static const unsigned char lone[] = {0xFF, 0xFE, 0x00, 0xD8, 0x61, 0x00};
    static const uint32_t lone_offsets[] = {2, 4};
    assert_int_equal(ng_decode(&t, (const char *)lone, sizeof lone, NULL, "s.txt"), NG_OK);
    assert_int_equal(t.replaced, 1);
    check_decoded(&t, sizeof lone, "\xEF\xBF\xBD"
                                   "a",
                  4, lone_offsets, 2);
    assert_int_equal(warning_count, 1);
    assert_string_equal(last_warning,
                        "s.txt: byte 2: invalid UTF-16LE, 1 character replaced by U+FFFD");

    /* An odd trailing byte: 'a' then U+FFFD for byte 4. */
    static const unsigned char odd[] = {0xFF, 0xFE, 0x61, 0x00, 0x62};
    static const uint32_t odd_offsets[] = {2, 4};
    assert_int_equal(ng_decode(&t, (const char *)odd, sizeof odd, NULL, "o.txt"), NG_OK);
    assert_int_equal(t.replaced, 1);
    check_decoded(&t, sizeof odd, "a\xEF\xBF\xBD", 4, odd_offsets, 2);
    ng_text_destroy(&t);
}

static void test_utf32_bom(void **state)
{
    (void)state;
    static const unsigned char le[] = {0xFF, 0xFE, 0x00, 0x00, 0x9A, 0x04, 0x00, 0x00,
                                       0x00, 0xF6, 0x01, 0x00, 0x61, 0x00, 0x00, 0x00};
    static const unsigned char be[] = {0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x04, 0x9A,
                                       0x00, 0x01, 0xF6, 0x00, 0x00, 0x00, 0x00, 0x61};
    static const uint32_t offsets[] = {4, 8, 12};
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, (const char *)le, sizeof le, NULL, "le32.txt"), NG_OK);
    assert_string_equal(t.encoding, "UTF-32LE");
    check_decoded(&t, sizeof le, "Қ\xF0\x9F\x98\x80"
                                 "a",
                  7, offsets, 3);
    assert_int_equal(ng_decode(&t, (const char *)be, sizeof be, NULL, "be32.txt"), NG_OK);
    assert_string_equal(t.encoding, "UTF-32BE");
    check_decoded(&t, sizeof be, "Қ\xF0\x9F\x98\x80"
                                 "a",
                  7, offsets, 3);

    /* U+110000 does not exist: one U+FFFD for its four bytes. */
    static const unsigned char bad[] = {0xFF, 0xFE, 0x00, 0x00, 0x00, 0x00, 0x11, 0x00,
                                        0x61, 0x00, 0x00, 0x00};
    static const uint32_t bad_offsets[] = {4, 8};
    assert_int_equal(ng_decode(&t, (const char *)bad, sizeof bad, NULL, "bad32.txt"), NG_OK);
    assert_int_equal(t.replaced, 1);
    check_decoded(&t, sizeof bad, "\xEF\xBF\xBD"
                                  "a",
                  4, bad_offsets, 2);
    ng_text_destroy(&t);
}

/* ---- declared single-byte encodings ---- */

typedef struct legacy_case {
    const char *declared;
    const char *reported;
    const char *bytes;
    const char *utf8;
} legacy_case;

static const legacy_case legacy_cases[] = {
    /* "Казахстан" */
    {"CP1251", "CP1251", "\xCA\xE0\xE7\xE0\xF5\xF1\xF2\xE0\xED", "Казахстан"},
    {"cp1251", "cp1251", "\xCA\xE0\xE7\xE0\xF5\xF1\xF2\xE0\xED", "Казахстан"},
    {"KOI8-R", "KOI8-R", "\xEB\xC1\xDA\xC1\xC8\xD3\xD4\xC1\xCE", "Казахстан"},
    /* "Ёлка" */
    {"KOI8-R", "KOI8-R", "\xB3\xCC\xCB\xC1", "Ёлка"},
    {"CP1251", "CP1251", "\xA8\xEB\xEA\xE0", "Ёлка"},
    /* "Қазақстан": Kazakh letters in RK1048, also declared as KZ-1048, and PT154 */
    {"RK1048", "RK1048", "\x8D\xE0\xE7\xE0\x9D\xF1\xF2\xE0\xED", "Қазақстан"},
    {"KZ-1048", "RK1048", "\x8D\xE0\xE7\xE0\x9D\xF1\xF2\xE0\xED", "Қазақстан"},
    {"kz-1048", "RK1048", "\x8D\xE0\xE7\xE0\x9D\xF1\xF2\xE0\xED", "Қазақстан"},
    {"PT154", "PT154", "\x8D\xE0\xE7\xE0\x9D\xF1\xF2\xE0\xED", "Қазақстан"},
    /* all nine Kazakh letters, capital and small */
    {"KZ-1048", "RK1048",
     "\x8D\xA3\xAA\xBD\xA5\xA1\xAF\x8E\xB2\x9D\xBC\xBA\xBE\xB4\xA2\xBF\x9E\xB3",
     "ҚӘҒҢӨҰҮҺІқәғңөұүһі"},
    /* Turkish */
    {"ISO-8859-9", "ISO-8859-9",
     "\xDD\x73\x74\x61\x6E\x62\x75\x6C\x27\x64\x61\x20\xFD\xF0\xFC\xFE\xF6\xE7",
     "İstanbul'da ığüşöç"},
};

static void test_declared_legacy(void **state)
{
    (void)state;
    ng_text t = {0};
    for (size_t c = 0; c < sizeof legacy_cases / sizeof *legacy_cases; c++) {
        const legacy_case *lc = &legacy_cases[c];
        size_t n = strlen(lc->bytes);
        assert_int_equal(ng_decode(&t, lc->bytes, n, lc->declared, "legacy.txt"), NG_OK);
        assert_string_equal(t.encoding, lc->reported);
        assert_non_null(t.map);
        assert_int_equal(t.replaced, 0);
        /* One byte per character: character k starts at byte k. */
        uint32_t offsets[64];
        for (uint32_t k = 0; k < n; k++)
            offsets[k] = k;
        check_decoded(&t, n, lc->utf8, strlen(lc->utf8), offsets, n);
    }
    ng_text_destroy(&t);
}

static void test_legacy_invalid_byte(void **state)
{
    (void)state;
    /* 0x98 is unassigned in CP1251. */
    static const char src[] = "\xCA\xE0\x98\xE7";
    static const uint32_t offsets[] = {0, 1, 2, 3};
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, src, 4, "CP1251", "bad.txt"), NG_OK);
    assert_int_equal(t.replaced, 1);
    check_decoded(&t, 4, "Ка\xEF\xBF\xBDз", strlen("Ка\xEF\xBF\xBDз"), offsets, 4);
    assert_string_equal(last_warning,
                        "bad.txt: byte 2: invalid CP1251, 1 character replaced by U+FFFD");
    ng_text_destroy(&t);
}

static void test_legacy_growth(void **state)
{
    (void)state;
    /* CP1251 0x85 is U+2026 (three bytes of UTF-8 for one byte of input), so
     * the output outgrows its first estimate and the table must follow. */
    enum { N = 5000 };
    char *src = malloc(N);
    char *want = malloc(3 * N);
    uint32_t *offsets = malloc(N * sizeof *offsets);
    assert_non_null(src);
    assert_non_null(want);
    assert_non_null(offsets);
    size_t w = 0;
    for (size_t i = 0; i < N; i++) {
        int kappa = i % 7 == 3; /* К (two bytes of UTF-8) among the dots */
        src[i] = kappa ? '\xCA' : '\x85';
        memcpy(want + w, kappa ? "К" : "\xE2\x80\xA6", kappa ? 2 : 3);
        w += kappa ? 2 : 3;
        offsets[i] = (uint32_t)i;
    }
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, src, N, "CP1251", "dots.txt"), NG_OK);
    check_decoded(&t, N, want, w, offsets, N);
    ng_text_destroy(&t);
    free(src);
    free(want);
    free(offsets);
}

static void test_multibyte_legacy_refused(void **state)
{
    (void)state;
    ng_text t = {0};
    /* GBK "中国": two bytes per character, which the per-byte map cannot carry. */
    assert_int_equal(ng_decode(&t, "\xD6\xD0\xB9\xFA", 4, "GBK", "zh.txt"), NG_EINVAL);
    assert_string_equal(ng_error_message(),
                        "zh.txt: encoding 'GBK' is not supported (multi-byte)");
    ng_text_destroy(&t);
}

static void test_unknown_encoding(void **state)
{
    (void)state;
    ng_text t = {0};
    ng_error_clear();
    assert_int_equal(ng_decode(&t, "abc", 3, "NO-SUCH-CHARSET", "x.txt"), NG_EINVAL);
    assert_int_equal(ng_error_code(), NG_EINVAL);
    assert_string_equal(ng_error_message(), "x.txt: unknown encoding 'NO-SUCH-CHARSET'");
    ng_text_destroy(&t);
}

static void test_too_large(void **state)
{
    (void)state;
    /* The bound is checked before a byte is read. */
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, "x", NG_MAX_DOCUMENT_BYTES + 1, NULL, "huge.txt"),
                     NG_ELIMIT);
    assert_string_equal(ng_error_message(), "huge.txt: larger than 1073741824 bytes");
    ng_text_destroy(&t);
}

/* ---- invalid UTF-8 ---- */

typedef struct invalid_case {
    const char *src;
    size_t src_len;
    const char *want;
    size_t replaced;
    size_t first; /* byte offset named by the warning */
    uint32_t offsets[16];
    size_t chars;
} invalid_case;

#define FFFD "\xEF\xBF\xBD"

static const invalid_case invalid_cases[] = {
    /* a stray continuation byte and a truncated sequence at the end */
    {"ab\x80" "c\xC3", 5, "ab" FFFD "c" FFFD, 2, 2, {0, 1, 2, 3, 4}, 5},
    /* Latin-1 "Türk" in a UTF-8 document: the ü byte is bad */
    {"T\xFCrk", 4, "T" FFFD "rk", 1, 1, {0, 1, 2, 3}, 4},
    /* a truncated three-byte sequence: each bad byte becomes one U+FFFD */
    {"\xE2\x80x", 3, FFFD FFFD "x", 2, 0, {0, 1, 2}, 3},
    /* an overlong '/' and an encoded surrogate are both rejected byte by byte */
    {"\xC0\xAFҚ", 4, FFFD FFFD "Қ", 2, 0, {0, 1, 2}, 3},
    {"\xED\xA0\x80z", 4, FFFD FFFD FFFD "z", 3, 0, {0, 1, 2, 3}, 4},
    /* valid multi-byte characters around a bad byte keep their offsets */
    {"Қа\xFFзақ", 11, "Қа" FFFD "зақ", 1, 4, {0, 2, 4, 5, 7, 9}, 6},
    /* after a BOM: offsets still count the BOM */
    {"\xEF\xBB\xBF" "a\xFF", 5, "a" FFFD, 1, 4, {3, 4}, 2},
};

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    ng_text t = {0};
    for (size_t c = 0; c < sizeof invalid_cases / sizeof *invalid_cases; c++) {
        const invalid_case *ic = &invalid_cases[c];
        warning_count = 0;
        assert_int_equal(ng_decode(&t, ic->src, ic->src_len, "UTF-8", "bad.txt"), NG_OK);
        assert_string_equal(t.encoding, "UTF-8");
        assert_non_null(t.map);
        assert_int_equal(t.replaced, ic->replaced);
        check_decoded(&t, ic->src_len, ic->want, strlen(ic->want), ic->offsets, ic->chars);
        assert_int_equal(warning_count, 1);
        char want_warning[256];
        snprintf(want_warning, sizeof want_warning,
                 "bad.txt: byte %zu: invalid UTF-8, %zu character%s replaced by U+FFFD",
                 ic->first, ic->replaced, ic->replaced == 1 ? "" : "s");
        assert_string_equal(last_warning, want_warning);
    }
    ng_text_destroy(&t);
}

/* ---- one ng_text reused across documents ---- */

static void test_reuse(void **state)
{
    (void)state;
    ng_text t = {0};
    static const char valid[] = "Kazakistan’ın";
    static const char cp1251[] = "\xCA\xE0\xE7\xE0\xF5\xF1\xF2\xE0\xED";
    static const char bom_valid[] = "\xEF\xBB\xBF"
                                    "ok";
    static const uint32_t bad_offsets[] = {0, 1, 2};
    static const uint32_t bad2_offsets[] = {0, 1, 2, 3};

    /* invalid, then valid: back to in-place, no map, nothing replaced */
    assert_int_equal(ng_decode(&t, "a\xFF" "b", 3, "UTF-8", "1.txt"), NG_OK);
    check_decoded(&t, 3, "a" FFFD "b", 5, bad_offsets, 3);
    assert_int_equal(ng_decode(&t, valid, sizeof valid - 1, NULL, "2.txt"), NG_OK);
    assert_ptr_equal(t.data, valid);
    assert_null(t.map);
    assert_int_equal(t.shift, 0);
    assert_int_equal(t.replaced, 0);
    assert_int_equal(t.source_len, sizeof valid - 1);

    /* a BOM, then a legacy encoding, then invalid again, then valid */
    assert_int_equal(ng_decode(&t, bom_valid, 5, NULL, "3.txt"), NG_OK);
    assert_int_equal(t.shift, 3);
    assert_int_equal(ng_decode(&t, cp1251, 9, "CP1251", "4.txt"), NG_OK);
    assert_int_equal(t.shift, 0);
    assert_non_null(t.map);
    assert_int_equal(t.len, strlen("Казахстан"));
    assert_memory_equal(t.data, "Казахстан", t.len);
    assert_int_equal(ng_decode(&t, "\xFFxy\xFE", 4, "UTF-8", "5.txt"), NG_OK);
    assert_int_equal(t.replaced, 2);
    check_decoded(&t, 4, FFFD "xy" FFFD, 8, bad2_offsets, 4);
    assert_int_equal(ng_decode(&t, bom_valid, 5, NULL, "6.txt"), NG_OK);
    assert_null(t.map);
    assert_int_equal(t.shift, 3);
    assert_int_equal(t.replaced, 0);
    assert_int_equal(t.len, 2);
    assert_memory_equal(t.data, "ok", 2);
    assert_int_equal(ng_text_source_offset(&t, 2), 5);
    ng_text_destroy(&t);
    /* destroy leaves a zeroed value that may be destroyed again */
    ng_text_destroy(&t);
}

/* ---- undeclared legacy encodings are guessed ---- */

/* `utf8` converted to `enc` with iconv(3). */
static size_t encode(const char *utf8, const char *enc, char *out, size_t cap)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)utf8, *o = out;
    size_t il = strlen(utf8), ol = cap;
    assert_true(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
    iconv_close(cd);
    return (size_t)(o - out);
}

static void test_guess_encoding(void **state)
{
    (void)state;
    static const struct {
        const char *text, *enc, *guess;
    } cases[] = {
        {"Президент Казахстана встретился с руководством Китая в Алматы.", "CP1251", "CP1251"},
        {"Президент Казахстана встретился с руководством Китая в Алматы.", "KOI8-R", "KOI8-R"},
        {"Қазақстан мен Қытай жақын көрші. Назарбаев Алматыда сөйледі.", "RK1048", "RK1048"},
        {"Қазақстан мен Қытай жақын көрші. Назарбаев Алматыда сөйледі.", "PT154", "PT154"},
        {"Kazakistan ve Çin, Sincan konusunda görüştü; Türkiye'nin tutumu açık.", "ISO-8859-9",
         "CP1254"},
        {"Президент Казахстана встретился с руководством Китая.", "UTF-16LE", "UTF-16LE"},
        {"Қазақстан мен Қытай жақын көрші.", "UTF-16BE", "UTF-16BE"},
    };
    char bytes[512], want[256];
    ng_text t = {0};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = encode(cases[i].text, cases[i].enc, bytes, sizeof bytes);
        warning_count = 0;
        assert_int_equal(ng_decode(&t, bytes, n, NULL, "legacy.txt"), NG_OK);
        assert_string_equal(t.encoding, cases[i].guess);
        assert_int_equal(t.len, strlen(cases[i].text));
        assert_memory_equal(t.data, cases[i].text, t.len);
        assert_int_equal(ng_text_source_offset(&t, t.len), n);
        assert_int_equal(warning_count, 1);
        snprintf(want, sizeof want, "legacy.txt: %s; decoded as %s (a guess: declare it with "
                 "--encoding)", strncmp(cases[i].guess, "UTF-16", 6) ? "not UTF-8" :
                 "no byte-order mark", cases[i].guess);
        assert_string_equal(last_warning, want);
    }
    /* UTF-8 with a few damaged bytes is repaired, not re-read as CP1251 */
    const char damaged[] = "Қазақстан мен Қытай \xFF жақын көрші.";
    assert_int_equal(ng_decode(&t, damaged, sizeof damaged - 1, NULL, "d.txt"), NG_OK);
    assert_string_equal(t.encoding, "UTF-8");
    assert_int_equal(t.replaced, 1);
    ng_text_destroy(&t);
}

/* A stray NUL keeps a short text text (with a warning naming its byte); a
 * binary format has many; UTF-16 without BOM is not binary. */
static void test_nul_bytes(void **state)
{
    (void)state;
    const char stray[] = "Kazakhstan and China.\nNUL \0 here.\n";
    assert_false(ng_decode_is_binary(stray, sizeof stray - 1));
    const char many[] = "ab\0\0cd\0\0ef\0\0gh\0\0ij\0\0kl\0\0";
    assert_true(ng_decode_is_binary(many, sizeof many - 1));
    const char utf16[] = "K\0a\0z\0a\0k\0h\0s\0t\0a\0n\0";
    assert_false(ng_decode_is_binary(utf16, sizeof utf16 - 1));
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, stray, sizeof stray - 1, NULL, "n.txt"), NG_OK);
    assert_int_equal(t.len, sizeof stray - 1);
    assert_int_equal(warning_count, 1);
    assert_string_equal(last_warning, "n.txt: byte 26: NUL byte in the text (1 in all)");
    ng_text_destroy(&t);
}

/* A declared 8-bit encoding of bytes that are UTF-8 is decoded as declared,
 * with a warning naming the first byte beyond ASCII; ASCII is not warned. */
static void test_declared_legacy_is_utf8(void **state)
{
    (void)state;
    const char src[] = "Astana, \xd0\x90\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xb0";
    ng_text t = {0};
    assert_int_equal(ng_decode(&t, src, sizeof src - 1, "CP1251", "d.txt"), NG_OK);
    assert_string_equal(t.encoding, "CP1251");
    assert_int_equal(warning_count, 1);
    assert_string_equal(last_warning, "d.txt: byte 8: declared CP1251, but the bytes are UTF-8: "
                                      "check the encoding declared for it");
    assert_int_equal(ng_decode(&t, "Astana", 6, "CP1251", "a.txt"), NG_OK);
    assert_int_equal(warning_count, 1);
    ng_text_destroy(&t);
}

/* The longest valid prefix, around the two-byte shortcut: overlong leads
 * (C0, C1), a lead without its continuation, a continuation alone. */
static void test_valid_prefix(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t valid;
    } cases[] = {
        {"ab\xC2\x80z", 5},       {"\xDF\xBF", 2},        {"a\xC1\xBFz", 1},
        {"\xC0\x80", 0},          {"\xD0\xB0\xD0", 2},     {"\xD0\x41", 0},
        {"x\x80", 1},              {"\xD2\x9B\xE2\x80\x9C", 5}, {"\xE2\x80", 0},
        {"\xF0\x9F\x98\x80\xC3", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(ng_utf8_valid_prefix(cases[i].s, strlen(cases[i].s)), cases[i].valid);
}

/* The valid prefix one character at a time, by the decoder. */
static size_t valid_prefix_by_decoding(const char *s, size_t n)
{
    size_t i = 0, k;
    int32_t cp;
    while (i < n && (k = ng_utf8_decode((const unsigned char *)s + i, n - i, &cp)) > 0)
        i += k;
    return i;
}

/* Random texts of ASCII, two-, three- and four-byte characters and broken
 * pieces, every length up to 80 (blocks of 16 and their ends at every
 * offset), against decoding one character at a time. */
static void test_valid_prefix_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "Z", " ", ".", "\n", "\xC3\xA7", "\xD0\xB0", "\xD2\x9B", "\xDF\xBF", "\xC2\x80",
        "\xE2\x80\x9C", "\xF0\x9F\x98\x80", "\xC0\x80", "\xC1", "\x80", "\xBF", "\xD0",
        "\xE2\x80", "\xED\xA0\x80", "\xF5\x80\x80\x80", "\xFF"};
    uint32_t seed = 20261207u;
    char text[96];
    size_t invalid = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t len = 0, want;
        seed = seed * 1664525u + 1013904223u;
        size_t target = seed >> 8 & 63 ? (seed >> 16) % 81 : 0;
        while (len < target) {
            seed = seed * 1664525u + 1013904223u;
            /* mostly valid text, so that the broken piece comes late */
            size_t pick = (seed >> 8) % 100 < 97 ? (seed >> 16) % 12 : (seed >> 16) % 21;
            size_t pl = strlen(pieces[pick]);
            if (len + pl > target)
                break;
            memcpy(text + len, pieces[pick], pl);
            len += pl;
        }
        want = valid_prefix_by_decoding(text, len);
        invalid += want < len;
        if (ng_utf8_valid_prefix(text, len) != want)
            fail_msg("iteration %d: length %zu, valid prefix %zu, decoding gives %zu", iter, len,
                     ng_utf8_valid_prefix(text, len), want);
    }
    assert_true(invalid > 10000 && invalid < 190000); /* both kinds were tried */
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_utf8_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16le_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16be_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_declared_without_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_exact_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_invalid_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf32_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declared_legacy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_invalid_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multibyte_legacy_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guess_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declared_legacy_is_utf8, setup, teardown),
        cmocka_unit_test(test_valid_prefix),
        cmocka_unit_test(test_valid_prefix_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
