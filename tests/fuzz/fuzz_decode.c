/* fuzz_decode.c: stage 2, raw bytes to UTF-8 with a map back to them.
 *
 * Input: byte 0 selects the declared encoding (auto, UTF-8, UTF-16LE,
 * UTF-16BE, CP1251, KOI8-R, RK1048, UTF-32LE), the rest is the document.
 * Invariants on NG_OK:
 *  - the text is valid UTF-8 and source_len is the input length;
 *  - the source offset of every character start is non-decreasing, within
 *    [0, input length], and equals the input length at text.len;
 *  - valid UTF-8 input without BOM, declared UTF-8 (or auto and free of NUL
 *    bytes, which could make it BOM-less UTF-16), is used as is;
 *  - single-byte encodings give one character per input byte, character k
 *    at source offset k; UTF-16 characters start at even offsets, UTF-32 at
 *    multiples of 4 (a bad unit becomes one U+FFFD).
 * On error: only NG_EINVAL, NG_EENCODING or NG_ELIMIT, with a message.
 */
#include "fuzz_common.h"

static const char *const encodings[] = {NULL,     "UTF-8",  "UTF-16LE", "UTF-16BE",
                                        "CP1251", "KOI8-R", "RK1048",   "UTF-32LE"};
enum { ENCODING_COUNT = sizeof encodings / sizeof *encodings };

static ng_text text; /* reused across inputs, as the pipeline does */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static int single_byte(const char *enc)
{
    return enc && (strcmp(enc, "CP1251") == 0 || strcmp(enc, "KOI8-R") == 0 ||
                   strcmp(enc, "RK1048") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (size == 0)
        return 0;
    const char *enc = encodings[data[0] % ENCODING_COUNT];
    const char *src = (const char *)data + 1;
    size_t len = size - 1;
    ng_error_clear();
    ng_status st = ng_decode(&text, src, len, enc, "doc");
    if (st != NG_OK) {
        CHECK(st == NG_EINVAL || st == NG_EENCODING || st == NG_ELIMIT,
              "ng_decode(%s) returned %d: %s", enc ? enc : "auto", (int)st, ng_error_message());
        CHECK(ng_error_message()[0] != '\0', "error %d without a message", (int)st);
        return 0;
    }
    const char *name = enc ? enc : "auto";
    CHECK(text.data != NULL || text.len == 0, "%s: NULL text of length %zu", name, text.len);
    CHECK(text.source_len == len, "%s: source_len %zu, input %zu", name, text.source_len, len);
    CHECK(fuzz_utf8_valid(text.data, text.len), "%s: decoded text is not valid UTF-8", name);

    size_t chars = 0;
    uint32_t prev = 0;
    const uint8_t *u = (const uint8_t *)text.data;
    for (size_t i = 0; i < text.len;) {
        int32_t cp;
        size_t k = fuzz_utf8_char(u + i, text.len - i, &cp);
        uint32_t off = ng_text_source_offset(&text, i);
        CHECK(off <= len, "%s: char at %zu maps to %u > input length %zu", name, i, off, len);
        CHECK(off >= prev, "%s: char at %zu maps to %u, before %u", name, i, off, prev);
        if (single_byte(enc))
            CHECK(off == chars, "%s: char %zu at %zu maps to %u", name, chars, i, off);
        else if (enc && strncmp(enc, "UTF-16", 6) == 0)
            CHECK(off % 2 == 0, "%s: char at %zu maps to odd offset %u", name, i, off);
        else if (enc && strncmp(enc, "UTF-32", 6) == 0)
            CHECK(off % 4 == 0, "%s: char at %zu maps to %u", name, i, off);
        prev = off;
        chars++;
        i += k;
    }
    uint32_t end = ng_text_source_offset(&text, text.len);
    CHECK(end == len, "%s: end of text (%zu) maps to %u, not %zu", name, text.len, end, len);
    CHECK(end >= prev, "%s: end maps to %u, before %u", name, end, prev);
    if (single_byte(enc))
        CHECK(chars == len, "%s: %zu characters from %zu bytes", name, chars, len);

    /* Valid UTF-8 without a BOM comes out as it went in: declared, or
     * assumed (then NUL bytes could make it look like BOM-less UTF-16). */
    if ((enc ? strcmp(enc, "UTF-8") == 0 : memchr(src, 0, len) == NULL) &&
        fuzz_utf8_valid(src, len) && !(len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)) {
        CHECK(text.len == len && memcmp(text.data, src, len) == 0,
              "%s: valid UTF-8 changed by decoding (%zu -> %zu bytes)", name, len, text.len);
        CHECK(text.replaced == 0, "%s: %zu replacements in valid UTF-8", name, text.replaced);
    }
    /* Input with a replacement counts at least that many U+FFFD. */
    if (text.replaced) {
        size_t fffd = 0;
        for (size_t i = 0; i + 3 <= text.len; i++)
            fffd += memcmp(text.data + i, "\xEF\xBF\xBD", 3) == 0;
        CHECK(fffd >= text.replaced, "%s: replaced %zu, but %zu U+FFFD", name, text.replaced,
              fffd);
    }
    return 0;
}
