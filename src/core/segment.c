/* segment.c: sentence boundaries in decoded text.
 *
 * Two passes: the first measures the document's line widths (PDF extractions
 * wrap every line; web text puts a paragraph on one line), the second walks
 * the characters and closes a sentence at terminal punctuation or after a
 * line that is short for this document.
 */
#include "nergraph/segment.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "utf8.h"

#define WIDTH_BUCKETS 1024

/* Words after which a full stop does not end a sentence (lower case). */
static const char *const abbreviations[] = {
    /* English */
    "al", "approx", "art", "ca", "cf", "ch", "co", "col", "dept", "dr", "ed", "eds", "fig",
    "gen", "gov", "inc", "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "op", "pp", "prof", "rev",
    "sec", "sr", "st", "vol", "vols", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec",
    /* Russian */
    "гг", "им", "см", "стр", "тыс", "млн", "млрд", "проф", "акад", "вып", "изд", "др", "пр",
    /* initials of transliterated Cyrillic names: Sh.M. Mirziyoyev, K.Sh. Hafizova */
    "sh", "ch", "zh", "kh", "ts", "yu", "ya", "ye", "yo",
    /* Kazakh */
    "жж", "бб", "ғ", "проф", "доц",
    /* Turkish */
    "vb", "vd", "bkz", "yy", "doç", "yrd", "sf", "çev", "haz",
};

#define MAX_ABBREVIATION_LETTERS 6 /* the longest word in the list above */

static int is_space(int32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x85 ||
           cp == 0x2028 || cp == 0x2029 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x3000;
}

static int is_terminal(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002;
}

static int is_closer(int32_t cp)
{
    return cp == ')' || cp == ']' || cp == '}' || cp == '"' || cp == '\'' || cp == 0xBB ||
           cp == 0x201D || cp == 0x2019 || cp == 0x203A;
}

/* Can this character start a new sentence? */
static int is_opener(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_ND ||
           cp == '(' || cp == '[' || cp == '"' || cp == '\'' || cp == 0xAB || cp == 0x201C ||
           cp == 0x2018 || cp == 0x2013 || cp == 0x2014 || cp == '-';
}

static int is_letter(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int32_t cp_at(const char *text, size_t len, size_t i, size_t *k)
{
    if ((unsigned char)text[i] < 0x80) {
        *k = 1;
        return (unsigned char)text[i];
    }
    int32_t cp;
    *k = ng_utf8_decode((const unsigned char *)text + i, len - i, &cp);
    if (!*k) {
        *k = 1;
        return 0xFFFD;
    }
    return cp;
}

/* Bytes from `i` of characters that are neither white space nor a line
 * break nor terminal punctuation: ASCII, and two-byte sequences other than
 * U+0080..U+00BF (where NEL and NBSP live), so Latin, Turkish and Cyrillic
 * letters. Their count in characters goes to *chars. The segmenter's loops
 * skip such runs without decoding them. */
static size_t plain_run(const char *text, size_t len, size_t i, size_t *chars)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t j = i, n = 0;
    while (j < len) {
        unsigned char b = u[j];
        if (b < 0x80) {
            if (b <= ' ' || b == '.' || b == '!' || b == '?')
                break;
            j++;
        } else if (b >= 0xC3 && b < 0xE0 && j + 1 < len && (u[j + 1] & 0xC0) == 0x80) {
            j += 2;
        } else {
            break;
        }
        n++;
    }
    *chars = n;
    return j - i;
}

/* Is the word ending at the full stop at `dot` an initial or an abbreviation? */
static int is_abbreviation(const char *text, size_t len, size_t dot)
{
    size_t start = dot, letters = 0, k;
    while (start > 0) {
        size_t p = ng_utf8_prev(text, start);
        if (!is_letter(cp_at(text, len, p, &k)))
            break;
        start = p;
        letters++;
    }
    if (letters == 1)
        return 1; /* an initial: N.A. Nazarbayev, Н.Ә.Назарбаев, т.ғ.к. */
    if (letters == 0 || letters > MAX_ABBREVIATION_LETTERS)
        return 0;
    char word[64];
    size_t w = 0;
    for (size_t i = start; i < dot && w + 4 < sizeof word;) {
        int32_t cp = utf8proc_tolower(cp_at(text, len, i, &k));
        w += ng_utf8_encode(cp, word + w);
        i += k;
    }
    word[w] = '\0';
    for (size_t a = 0; a < sizeof abbreviations / sizeof *abbreviations; a++)
        if (strcmp(word, abbreviations[a]) == 0)
            return 1;
    return 0;
}

/* Does a blank line follow most lines that have text? */
static int double_spaced(const char *text, size_t len)
{
    size_t lines = 0, followed = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n' || i == 0 || text[i - 1] == '\n')
            continue;
        lines++;
        size_t j = i + 1;
        while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
            j++;
        followed += j < len && text[j] == '\n';
    }
    return lines >= 4 && followed * 4 > lines * 3;
}

/* The width below which a line counts as short: 60% of the 80th percentile
 * of non-blank line lengths, in characters. */
static size_t short_line_width(const char *text, size_t len)
{
    size_t hist[WIDTH_BUCKETS] = {0}, lines = 0, cur = 0, k, chars;
    for (size_t i = 0; i <= len; i += k) {
        if ((k = plain_run(text, len, i, &chars)) > 0) {
            cur += chars;
            continue;
        }
        int32_t cp = i < len ? cp_at(text, len, i, &k) : '\n';
        if (i == len)
            k = 1;
        if (cp == '\n') {
            if (cur) {
                hist[cur < WIDTH_BUCKETS ? cur : WIDTH_BUCKETS - 1]++;
                lines++;
            }
            cur = 0;
        } else if (!is_space(cp)) {
            cur++;
        }
    }
    size_t want = lines - lines / 5, seen = 0;
    for (size_t w = 1; w < WIDTH_BUCKETS; w++) {
        seen += hist[w];
        if (seen >= want && seen > 0)
            return w * 3 / 5;
    }
    return 0;
}

/* Does a blank line separate [from, to) of `text`? */
static int blank_line(const char *text, size_t from, size_t to)
{
    int newlines = 0;
    for (size_t i = from; i < to; i++) {
        if (text[i] == '\n') {
            if (++newlines == 2)
                return 1;
        } else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
            newlines = 0;
        }
    }
    return 0;
}

/* How a document lays out its lines, for paragraph breaks. */
typedef struct layout {
    size_t short_width;  /* a line shorter than this is short */
    int double_spaced;   /* a blank line after most lines (seed 000's PDF) */
} layout;

/* Characters (not white space) on the line that ends at `end`. */
static size_t line_chars_before(const char *text, size_t end)
{
    size_t n = 0;
    while (end > 0 && text[end - 1] != '\n') {
        end--;
        n += ((unsigned char)text[end] & 0xC0) != 0x80 && text[end] != ' ' && text[end] != '\t';
    }
    return n;
}

/* Append a sentence. A blank line before it starts a new paragraph, unless
 * the document puts one after almost every line: there only a short last
 * line ends a paragraph, as a reader sees it. */
static ng_status push(ng_segments *out, const char *text, const layout *lay, size_t start,
                      size_t end)
{
    size_t cap = out->cap;
    if (NG_GROW(out->spans, out->cap, out->count + 1) != NG_OK ||
        NG_GROW(out->paragraph, cap, out->count + 1) != NG_OK)
        return NG_ENOMEM;
    uint32_t para = 0;
    if (out->count) {
        size_t prev = out->spans[out->count - 1].end;
        para = out->paragraph[out->count - 1];
        para += blank_line(text, prev, start) &&
                (!lay->double_spaced || line_chars_before(text, prev) < lay->short_width);
    }
    out->paragraph[out->count] = para;
    out->spans[out->count++] = (ng_span){(uint32_t)start, (uint32_t)end};
    return NG_OK;
}

/* ---- page furniture ---- */

typedef enum line_kind {
    LINE_TEXT,
    LINE_BLANK,
    LINE_PAGE_NUMBER, /* "32", " 7 ": a page number alone on its line */
    LINE_RULE         /* a run of spaces or underscores: the rule above footnotes */
} line_kind;

/* What the line starting at `start` is; *end is where it ends (its '\n'). */
static line_kind classify_line(const char *text, size_t len, size_t start, size_t *end)
{
    size_t spaces = 0, rules = 0, digits = 0, i = start;
    for (; i < len && text[i] != '\n'; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            spaces++;
        } else if (c == '_') {
            rules++;
        } else if (c >= '0' && c <= '9') {
            digits++;
        } else { /* text: most lines, known at their first letter */
            const char *nl = memchr(text + i, '\n', len - i);
            *end = nl ? (size_t)(nl - text) : len;
            return LINE_TEXT;
        }
    }
    *end = i;
    if (digits && rules)
        return LINE_TEXT;
    if (digits)
        return digits <= 4 ? LINE_PAGE_NUMBER : LINE_TEXT;
    return spaces + rules >= 20 || rules >= 5 ? LINE_RULE : LINE_BLANK;
}

/* Does a footnote start here: "8 Berikbol Dukuyev, ...", "12. Ibid."? */
static int footnote_start(const char *text, size_t len, size_t i)
{
    size_t d = 0;
    while (i + d < len && text[i + d] >= '0' && text[i + d] <= '9')
        d++;
    if (d == 0 || d > 3 || i + d >= len)
        return 0;
    if (text[i + d] == '.')
        d++;
    return i + d < len && text[i + d] == ' ';
}

ng_status ng_segment_sentences(ng_segments *out, const char *text, size_t len)
{
    out->count = 0;
    size_t threshold = short_line_width(text, len);
    layout lay = {threshold, double_spaced(text, len)};
    size_t sent_start = SIZE_MAX, content_end = 0, line_chars = 0, k;
    int line_start = 1, in_notes = 0;
    ng_status st = NG_OK;
    for (size_t i = 0; i < len && st == NG_OK; i += k) {
        if (line_start) {
            /* Page numbers vanish; a rule starts the footnotes, which are
             * segments of their own until the page's text goes on (an
             * indented line), so a citation's names stay out of the
             * sentence it interrupts. */
            line_start = 0;
            size_t end;
            line_kind kind = classify_line(text, len, i, &end);
            int close = 0;
            if (kind == LINE_PAGE_NUMBER || kind == LINE_RULE) {
                close = kind == LINE_RULE;
                in_notes |= kind == LINE_RULE;
                k = end - i;
                if (close && sent_start != SIZE_MAX) {
                    st = push(out, text, &lay, sent_start, content_end);
                    sent_start = SIZE_MAX;
                }
                continue;
            }
            if (in_notes && kind == LINE_TEXT) {
                size_t first = i;
                while (first < end && (text[first] == ' ' || text[first] == '\t'))
                    first++;
                if (first > i && !footnote_start(text, len, first))
                    in_notes = 0, close = 1; /* the page's text goes on */
                else if (footnote_start(text, len, first))
                    close = 1; /* the next footnote */
            }
            if (close && sent_start != SIZE_MAX) {
                st = push(out, text, &lay, sent_start, content_end);
                sent_start = SIZE_MAX;
            }
        }
        size_t chars;
        if ((k = plain_run(text, len, i, &chars)) > 0) {
            if (sent_start == SIZE_MAX)
                sent_start = i;
            content_end = i + k;
            line_chars += chars;
            continue;
        }
        int32_t cp = cp_at(text, len, i, &k);
        if (cp == '\n') {
            line_start = 1;
            if (sent_start != SIZE_MAX && line_chars > 0 && line_chars < threshold) {
                st = push(out, text, &lay, sent_start, content_end);
                sent_start = SIZE_MAX;
            }
            line_chars = 0;
            continue;
        }
        if (is_space(cp))
            continue;
        if (sent_start == SIZE_MAX)
            sent_start = i;
        content_end = i + k;
        line_chars++;
        if (!is_terminal(cp))
            continue;
        /* Closing marks belong to the sentence they close. */
        size_t j = i + k, kj;
        while (j < len && is_closer(cp_at(text, len, j, &kj))) {
            j += kj;
            line_chars++;
        }
        if (j < len && !is_space(cp_at(text, len, j, &kj)))
            continue; /* "p.125", "1.Introduction", "e.g.," */
        size_t m = j;
        while (m < len && is_space(cp_at(text, len, m, &kj)))
            m += kj;
        int ends = m >= len || is_opener(cp_at(text, len, m, &kj));
        if (ends && cp == '.' && is_abbreviation(text, len, i))
            ends = 0;
        if (ends) {
            st = push(out, text, &lay, sent_start, j);
            sent_start = SIZE_MAX;
        }
        content_end = j;
        k = j - i;
    }
    if (st == NG_OK && sent_start != SIZE_MAX)
        st = push(out, text, &lay, sent_start, content_end);
    return st;
}

void ng_segments_extend(ng_segments *s, size_t i, uint32_t end)
{
    size_t last = i;
    while (last + 1 < s->count && s->spans[last].end < end)
        last++;
    if (last == i)
        return;
    s->spans[i].end = s->spans[last].end;
    memmove(&s->spans[i + 1], &s->spans[last + 1], (s->count - last - 1) * sizeof *s->spans);
    memmove(&s->paragraph[i + 1], &s->paragraph[last + 1],
            (s->count - last - 1) * sizeof *s->paragraph);
    /* the merged sentence stays in its first paragraph (numbers may skip one) */
    s->count -= last - i;
}

void ng_segments_destroy(ng_segments *s)
{
    free(s->spans);
    free(s->paragraph);
    memset(s, 0, sizeof *s);
}
