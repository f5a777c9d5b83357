/* fuzz_segment.c: stage 4, sentences of the decoded text.
 *
 * Input: arbitrary bytes, made valid UTF-8. Invariants of the spans of
 * ng_segment_sentences, and again after ng_segments_join with a name from
 * the start of span i to `end`, for a few (i, end) pairs derived from a hash
 * of the input:
 *  - ordered, disjoint and non-empty, inside [0, len);
 *  - starting and ending on character boundaries;
 *  - not starting or ending with white space (segment.c's notion of it:
 *    ASCII white space, NBSP, NEL, U+2000-200A, U+2028/2029, U+202F, U+3000);
 *  - covering the text: between and around the spans there is only white
 *    space, and lines that the segmenter drops as page furniture (a page
 *    number: at most 4 digits alone on a line; a rule: 5 or more
 *    underscores, or 20 or more spaces and underscores, alone on a line);
 *  - paragraph numbers start at 0 and grow by at most 1 from one sentence to
 *    the next;
 *  - ng_segments_join merges span i with the following spans up to the
 *    first one that reaches `end` (or the last), keeps paragraph numbers
 *    non-decreasing, and changes nothing else.
 */
#include "fuzz_common.h"

static ng_segments seg; /* reused across inputs */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static int is_space(int32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x85 ||
           cp == 0x2028 || cp == 0x2029 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x3000;
}

static int32_t cp_at(const char *t, size_t len, size_t i)
{
    int32_t cp;
    return fuzz_utf8_char((const uint8_t *)t + i, len - i, &cp) ? cp : -1;
}

static int32_t cp_before(const char *t, size_t i)
{
    size_t p = i - 1;
    while (p > 0 && ((unsigned char)t[p] & 0xC0) == 0x80)
        p--;
    return cp_at(t, i, p);
}

/* Is the line around byte i one the segmenter drops: a page number (at most
 * 4 digits) or a rule (underscores), with spaces, tabs and CRs only? */
static int furniture_line(const char *t, size_t len, size_t i)
{
    size_t s = i, e = i, spaces = 0, rules = 0, digits = 0;
    while (s > 0 && t[s - 1] != '\n')
        s--;
    while (e < len && t[e] != '\n')
        e++;
    for (size_t j = s; j < e; j++) {
        char c = t[j];
        if (c == ' ' || c == '\t' || c == '\r')
            spaces++;
        else if (c == '_')
            rules++;
        else if (c >= '0' && c <= '9')
            digits++;
        else
            return 0;
    }
    if (digits)
        return !rules && digits <= 4;
    return spaces + rules >= 20 || rules >= 5;
}

/* Only white space (or dropped lines) in t[from, to)? */
static int blank(const char *t, size_t len, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        int32_t cp;
        size_t k = fuzz_utf8_char((const uint8_t *)t + i, len - i, &cp);
        if (!k || (!is_space(cp) && !furniture_line(t, len, i)))
            return 0;
        i += k;
    }
    return 1;
}

static void check_spans(const char *what, const ng_segments *s, const char *t, size_t len)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < s->count; i++) {
        ng_span sp = s->spans[i];
        CHECK(sp.start < sp.end, "%s: span %zu [%u, %u) empty", what, i, sp.start, sp.end);
        CHECK(sp.end <= len, "%s: span %zu [%u, %u) past the text (%zu)", what, i, sp.start,
              sp.end, len);
        CHECK(sp.start >= prev_end, "%s: span %zu [%u, %u) starts before %zu", what, i,
              sp.start, sp.end, prev_end);
        CHECK(fuzz_boundary(t, len, sp.start) && fuzz_boundary(t, len, sp.end),
              "%s: span %zu [%u, %u) cuts a character", what, i, sp.start, sp.end);
        CHECK(!is_space(cp_at(t, len, sp.start)), "%s: span %zu [%u, %u) starts with U+%04X",
              what, i, sp.start, sp.end, (unsigned)cp_at(t, len, sp.start));
        CHECK(!is_space(cp_before(t, sp.end)), "%s: span %zu [%u, %u) ends with U+%04X", what,
              i, sp.start, sp.end, (unsigned)cp_before(t, sp.end));
        CHECK(blank(t, len, prev_end, sp.start), "%s: text before span %zu [%u, %u) (from %zu) "
              "is not white space", what, i, sp.start, sp.end, prev_end);
        prev_end = sp.end;
    }
    CHECK(blank(t, len, prev_end, len), "%s: text after the last span (from %zu) is not white "
          "space", what, prev_end);
    for (size_t i = 0; i < s->count; i++)
        CHECK(i == 0 ? s->paragraph[0] == 0 : s->paragraph[i] >= s->paragraph[i - 1],
              "%s: sentence %zu in paragraph %u, after %u", what, i, s->paragraph[i],
              i ? s->paragraph[i - 1] : 0);
}

static uint64_t fnv1a(const uint8_t *d, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ d[i]) * 0x100000001b3ULL;
    return h;
}

static ng_span name_at(const void *names, size_t i) { return ((const ng_span *)names)[i]; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    size_t len;
    char *text = fuzz_repair_utf8(data, size, &len);
    ng_status st = ng_segment_sentences(&seg, text, len);
    CHECK(st == NG_OK, "ng_segment_sentences returned %d", (int)st);
    check_spans("segment", &seg, text, len);

    for (size_t i = 1; i < seg.count; i++)
        CHECK(seg.paragraph[i] <= seg.paragraph[i - 1] + 1, "sentence %zu: paragraph %u after %u",
              i, seg.paragraph[i], seg.paragraph[i - 1]);

    size_t n = seg.count, sz = n ? n : 1;
    ng_span *orig = malloc(sz * sizeof *orig), *want = malloc(sz * sizeof *want);
    uint32_t *opara = malloc(sz * sizeof *opara), *wpara = malloc(sz * sizeof *wpara);
    CHECK(orig && want && opara && wpara, "out of memory");
    if (n) {
        memcpy(orig, seg.spans, n * sizeof *orig);
        memcpy(opara, seg.paragraph, n * sizeof *opara);
    }
    uint64_t h = fnv1a(data, size);
    for (int round = 0; round < 4 && n > 0; round++, h = h * 6364136223846793005ULL + 1) {
        size_t i = (size_t)(h >> 33) % n;
        uint32_t end = (uint32_t)((h >> 8) % (len + 2));
        /* a name from the start of span i to `end`; expected: span i reaches
         * the first span from i whose end is >= end */
        size_t last = i;
        while (last + 1 < n && orig[last].end < end)
            last++;
        size_t wn = 0;
        for (size_t j = 0; j < n; j++) {
            if (j > i && j <= last)
                continue;
            want[wn] = orig[j];
            wpara[wn] = opara[j];
            if (j == i)
                want[wn].end = orig[last].end;
            wn++;
        }
        memcpy(seg.spans, orig, n * sizeof *orig); /* n > 0 here */
        memcpy(seg.paragraph, opara, n * sizeof *opara);
        seg.count = n;
        ng_span name = {orig[i].start, end};
        ng_segments_join(&seg, &name, 1, name_at);
        CHECK(seg.count == wn, "join(%zu, %u): %zu spans, expected %zu", i, end, seg.count, wn);
        for (size_t j = 0; j < wn; j++)
            CHECK(seg.spans[j].start == want[j].start && seg.spans[j].end == want[j].end &&
                      seg.paragraph[j] == wpara[j],
                  "join(%zu, %u): span %zu is [%u, %u) in paragraph %u, expected [%u, %u) in "
                  "%u", i, end, j, seg.spans[j].start, seg.spans[j].end, seg.paragraph[j],
                  want[j].start, want[j].end, wpara[j]);
        check_spans("join", &seg, text, len);
    }
    free(opara);
    free(wpara);
    free(orig);
    free(want);
    free(text);
    return 0;
}
