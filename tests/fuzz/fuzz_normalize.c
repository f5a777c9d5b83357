/* fuzz_normalize.c: stage 3, the matching form of a text.
 *
 * Input: arbitrary bytes, made valid UTF-8 (each byte that starts no valid
 * character becomes U+FFFD). For both flag values (case kept, case folded):
 *  - NG_OK, and the output is valid UTF-8;
 *  - idempotent: normalising the output again gives the same bytes;
 *  - white space is folded: no two spaces in a row, no tab, CR, LF, VT, FF;
 *  - what is always folded is gone: soft hyphen, zero-width characters,
 *    typographic apostrophes, dashes and quotes (and, with case folding,
 *    Turkish dotted/dotless i, ё/Ё and a stray U+0307);
 *  - the map is non-decreasing, every map[i] (i < len) is a character start
 *    of the input below its length, map[len] is the input length, and
 *    ng_norm_source_end(i) is a character boundary in (map[i], input length];
 *  - differential: with NG_NORM_REFERENCE (no fast paths) the same bytes and
 *    the same offset of every byte.
 */
#include "fuzz_common.h"

static ng_norm norm, again, reference; /* reused across inputs */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

/* Code points that no normalised text contains, whatever the flags. */
static int always_folded(int32_t cp)
{
    switch (cp) {
    /* apostrophe look-alikes (become ') */
    case 0x0060: case 0x00B4: case 0x02B9: case 0x02BB: case 0x02BC: case 0x2018:
    case 0x2019: case 0x201B: case 0x2032: case 0xFF07:
    /* dashes (become -) */
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
    /* quotes (become ") */
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2039: case 0x203A: case 0xFF02:
    /* dropped */
    case 0x00AD: case 0x180E: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
    case 0xFEFF:
    /* white space other than ' ' */
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return 1;
    }
    return cp >= 0x2000 && cp <= 0x200A;
}

static int folded_away(int32_t cp)
{
    return cp == 0x0130 || cp == 0x0131 || cp == 0x0401 || cp == 0x0451 || cp == 0x0307;
}

static void check_flags(const char *in, size_t in_len, unsigned flags)
{
    const char *how = flags & NG_NORM_FOLD ? "fold" : "keep case";
    ng_status st = ng_normalize(&norm, in, in_len, flags);
    CHECK(st == NG_OK, "%s: ng_normalize returned %d: %s", how, (int)st, ng_error_message());
    CHECK(fuzz_utf8_valid(norm.data, norm.len), "%s: output is not valid UTF-8", how);

    const uint8_t *u = (const uint8_t *)norm.data;
    int32_t prev_cp = -1;
    for (size_t i = 0; i < norm.len;) {
        int32_t cp;
        size_t k = fuzz_utf8_char(u + i, norm.len - i, &cp);
        CHECK(!always_folded(cp), "%s: U+%04X at output byte %zu", how, (unsigned)cp, i);
        CHECK(!(flags & NG_NORM_FOLD) || !folded_away(cp), "%s: U+%04X at output byte %zu", how,
              (unsigned)cp, i);
        CHECK(!(cp == ' ' && prev_cp == ' '), "%s: two spaces at output byte %zu", how, i);
        prev_cp = cp;
        i += k;
    }

    for (size_t i = 0; i <= norm.len; i++) {
        uint32_t m = norm.map[i];
        if (i > 0)
            CHECK(m >= norm.map[i - 1], "%s: map[%zu] = %u < map[%zu] = %u", how, i, m, i - 1,
                  norm.map[i - 1]);
        if (i == norm.len) {
            CHECK(m == in_len, "%s: map[len] = %u, input length %zu", how, m, in_len);
            break;
        }
        CHECK(m < in_len, "%s: map[%zu] = %u, input length %zu", how, i, m, in_len);
        CHECK(fuzz_boundary(in, in_len, m), "%s: map[%zu] = %u inside a character", how, i, m);
        size_t e = ng_norm_source_end(&norm, in, in_len, i);
        CHECK(e > m && e <= in_len && fuzz_boundary(in, in_len, e),
              "%s: source end of byte %zu is %zu (map %u, input %zu)", how, i, e, m, in_len);
    }

    st = ng_normalize(&reference, in, in_len, flags | NG_NORM_REFERENCE);
    CHECK(st == NG_OK, "%s: reference ng_normalize returned %d", how, (int)st);
    CHECK(reference.len == norm.len && memcmp(reference.data, norm.data, norm.len) == 0,
          "%s: %zu bytes, without fast paths %zu bytes", how, norm.len, reference.len);
    for (size_t i = 0; i <= norm.len; i++)
        CHECK(ng_norm_decoded(&norm, i) == ng_norm_decoded(&reference, i),
              "%s: offset of byte %zu is %u, without fast paths %u", how, i,
              ng_norm_decoded(&norm, i), ng_norm_decoded(&reference, i));

    st = ng_normalize(&again, norm.data, norm.len, flags);
    CHECK(st == NG_OK, "%s: second ng_normalize returned %d", how, (int)st);
    CHECK(again.len == norm.len && memcmp(again.data, norm.data, norm.len) == 0,
          "%s: not idempotent: %zu bytes, then %zu bytes", how, norm.len, again.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    size_t len;
    char *text = fuzz_repair_utf8(data, size, &len);
    check_flags(text, len, 0);
    check_flags(text, len, NG_NORM_FOLD);
    free(text);
    return 0;
}
