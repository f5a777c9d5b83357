/* segment.c: sentence boundaries in decoded text.
 *
 * One walk over the characters notes where sentences end (terminal
 * punctuation, rules, footnotes) and where they may end (line breaks) while
 * it measures the document's lines: their widths (PDF extractions wrap every
 * line, web text puts a paragraph on one line) and whether a blank line
 * follows most of them. Then the line breaks after lines that are short for
 * this document end sentences too. The walk takes runs of plain characters
 * sixteen bytes at a time and decodes only what may end a sentence or a line.
 */
#include "nergraph/segment.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"
#include "utf8.h"

#define WIDTH_BUCKETS 1024

/* Words after which a full stop does not end a sentence (lower case, in
 * byte order for bsearch): English, Russian, Kazakh and Turkish
 * abbreviations, and initials of transliterated Cyrillic names (Sh.M.
 * Mirziyoyev, K.Sh. Hafizova). */
static const char *const abbreviations[] = {
    "al", "approx", "apr", "art", "aug", "bkz", "ca", "cf", "ch", "co", "col", "dec", "dept",
    "doç", "dr", "ed", "eds", "etc", "feb", "fig", "gen", "gov", "haz", "inc", "jan", "jr",
    "jul", "jun", "kh", "ltd", "mar", "mr", "mrs", "ms", "no", "nos", "nov", "oct", "op", "pp",
    "prof", "rev", "sec", "sep", "sept", "sf", "sh", "sr", "st", "ts", "vb", "vd", "vol",
    "vols", "vs", "ya", "ye", "yo", "yrd", "yu", "yy", "zh", "çev", "акад", "бб", "вып", "гг",
    "доц", "др", "жж", "изд", "им", "млн", "млрд", "пр", "проф", "см", "стр", "тыс", "ғ",
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
    if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
        return 1; /* most sentences start so: no need to ask utf8proc */
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_ND ||
           cp == '(' || cp == '[' || cp == '"' || cp == '\'' || cp == 0xAB || cp == 0x201C ||
           cp == 0x2018 || cp == 0x2013 || cp == 0x2014 || cp == '-';
}

static int is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Inline: it decodes every character outside the plain runs, and the words
 * before full stops, and GCC would not inline it on its own. */
static inline int32_t cp_at(const char *text, size_t len, size_t i, size_t *k)
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

/* ---- plain characters, sixteen bytes at a time ---- */

#define BLOCK 16 /* bytes: an SSE2 register */

/* The bytes of a block in each class, bit k for byte k. */
typedef struct block_bytes {
    unsigned space; /* ' ' */
    unsigned graph; /* ASCII above '!', but '.' and '?' */
    unsigned lead;  /* 110xxxxx from 0xC3 */
    unsigned cont;  /* 10xxxxxx */
} block_bytes;

#ifdef __SSE2__
static inline block_bytes classify(const unsigned char *p)
{
    /* signed compares: bytes from 0x80 are below every ASCII one */
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('?')));
    __m128i graph = _mm_andnot_si128(stop, _mm_cmpgt_epi8(v, _mm_set1_epi8('!')));
    __m128i lead = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC2)),
                                 _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xE0)));
    return (block_bytes){
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))),
        (unsigned)_mm_movemask_epi8(graph),
        (unsigned)_mm_movemask_epi8(lead),
        (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0))),
    };
}
#else /* the same classes, a byte at a time */
static inline block_bytes classify(const unsigned char *p)
{
    block_bytes b = {0, 0, 0, 0};
    for (unsigned k = 0; k < BLOCK; k++) {
        b.space |= (unsigned)(p[k] == ' ') << k;
        b.graph |= (unsigned)(p[k] > '!' && p[k] < 0x80 && p[k] != '.' && p[k] != '?') << k;
        b.lead |= (unsigned)(p[k] >= 0xC3 && p[k] <= 0xDF) << k;
        b.cont |= (unsigned)((p[k] & 0xC0) == 0x80) << k;
    }
    return b;
}
#endif

/* Bits set in each byte value (a table beats a call to libgcc's popcount,
 * which is what __builtin_popcount is without -mpopcnt). */
#define BITS2(n) n, n + 1, n + 1, n + 2
#define BITS4(n) BITS2(n), BITS2(n + 1), BITS2(n + 1), BITS2(n + 2)
#define BITS6(n) BITS4(n), BITS4(n + 1), BITS4(n + 1), BITS4(n + 2)
static const unsigned char bits_in_byte[256] = {BITS6(0), BITS6(1), BITS6(1), BITS6(2)};

static inline size_t bits_in_block(unsigned x)
{
    return (size_t)bits_in_byte[x & 0xFF] + bits_in_byte[x >> 8];
}

typedef struct plain_run {
    size_t bytes; /* its length */
    size_t chars; /* its characters other than ' ' */
    size_t first; /* where the first of those starts (from the run's start) */
    size_t end;   /* and where the last one ends */
} plain_run;

/* The run from `i` of characters that are neither a line break, nor white
 * space other than ' ', nor terminal punctuation: ASCII from ' ', and
 * two-byte sequences from U+00C0 (Latin, Turkish and Cyrillic letters; NEL
 * and NBSP are below). Everything else, and the last bytes of the text, the
 * walk decodes one character at a time. */
static plain_run plain(const char *text, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)text + i;
    plain_run r = {0, 0, 0, 0};
    while (r.bytes + BLOCK <= len - i) {
        block_bytes b = classify(u + r.bytes);
        unsigned cont = b.cont & b.lead << 1; /* a lead's own */
        unsigned ok = b.space | b.graph | b.lead | cont;
        unsigned stop = ~ok & ((1u << BLOCK) - 1);
        /* a lead byte in the last place waits for its continuation */
        unsigned n = stop ? (unsigned)__builtin_ctz(stop) : BLOCK - (b.lead >> (BLOCK - 1));
        unsigned taken = ok & ~b.space & ((1u << n) - 1);
        if (taken) {
            if (!r.chars)
                r.first = r.bytes + (size_t)__builtin_ctz(taken);
            r.end = r.bytes + (size_t)(32 - __builtin_clz(taken));
            r.chars += bits_in_block(taken & ~cont); /* bytes that start one */
        }
        r.bytes += n;
        if (stop)
            break;
    }
    return r;
}

static int compare_word(const void *word, const void *entry)
{
    return strcmp(word, *(const char *const *)entry);
}

/* Is the word ending at the full stop at `dot` an initial or an abbreviation? */
static int is_abbreviation(const char *text, size_t len, size_t dot)
{
    size_t start = dot, letters = 0, k;
    while (start > 0 && letters <= MAX_ABBREVIATION_LETTERS) {
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
        int32_t cp = cp_at(text, len, i, &k);
        if (cp >= 0x80)
            cp = utf8proc_tolower(cp);
        else if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        w += ng_utf8_encode(cp, word + w);
        i += k;
    }
    word[w] = '\0';
    return bsearch(word, abbreviations, sizeof abbreviations / sizeof *abbreviations,
                   sizeof *abbreviations, compare_word) != NULL;
}

/* How a document lays out its lines, for line and paragraph breaks. */
typedef struct layout {
    size_t short_width; /* a line with fewer characters than this is short */
    int double_spaced;  /* a blank line after most lines (seed 000's PDF) */
} layout;

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

/* Has the line that ends at `end` fewer than `width` characters (bytes that
 * start one, other than spaces and tabs)? */
static int short_line_before(const char *text, size_t end, size_t width)
{
    size_t n = 0;
    while (end > 0 && text[end - 1] != '\n' && n < width) {
        end--;
        n += ((unsigned char)text[end] & 0xC0) != 0x80 && text[end] != ' ' && text[end] != '\t';
    }
    return n < width;
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
                (!lay->double_spaced || short_line_before(text, prev, lay->short_width));
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

/* What the line starting at `start` is. Unless it is text (known at its
 * first letter, mostly), *end is where it ends (its '\n') and *chars how
 * many characters it has that are not white space. */
static line_kind classify_line(const char *text, size_t len, size_t start, size_t *end,
                               size_t *chars)
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
        } else {
            return LINE_TEXT;
        }
    }
    *end = i;
    *chars = digits + rules;
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

/* ---- the walk ---- */

#define NO_START UINT32_MAX

/* A place where the sentence open there ends. */
struct ng_seg_end {
    uint32_t at;    /* the sentence's end */
    uint32_t start; /* the first character after the previous such place (NO_START: none) */
    uint32_t chars; /* 0: it ends here; else a line break, where it ends if the line, of
                       this many characters, is short */
};

typedef struct walk {
    ng_segments *out;
    size_t ends;        /* noted in out->ends */
    size_t start;       /* the first character since the last end noted (SIZE_MAX: none) */
    size_t hist[WIDTH_BUCKETS], lines; /* widths of the lines that have characters */
    size_t ended, followed; /* lines ended by '\n' and not empty; followed by a blank one */
} walk;

static ng_status note_end(walk *w, size_t at, size_t chars)
{
    ng_segments *out = w->out;
    if (w->ends == out->ends_cap && NG_GROW(out->ends, out->ends_cap, w->ends + 1) != NG_OK)
        return NG_ENOMEM;
    uint32_t start = w->start == SIZE_MAX ? NO_START : (uint32_t)w->start;
    out->ends[w->ends++] = (struct ng_seg_end){(uint32_t)at, start, (uint32_t)chars};
    w->start = SIZE_MAX;
    return NG_OK;
}

static void line_width(walk *w, size_t chars)
{
    if (chars) {
        w->hist[chars < WIDTH_BUCKETS ? chars : WIDTH_BUCKETS - 1]++;
        w->lines++;
    }
}

/* A line is short below 60% of the 80th percentile of the widths of the
 * lines that have characters (not white space). The text is double spaced
 * when a blank line follows more than 3 in 4 of its lines that are not
 * empty (and there are 4). */
static layout layout_of(const walk *w)
{
    layout lay = {0, w->ended >= 4 && w->followed * 4 > w->ended * 3};
    size_t want = w->lines - w->lines / 5, seen = 0;
    for (size_t width = 1; width < WIDTH_BUCKETS; width++) {
        seen += w->hist[width];
        if (seen >= want && seen > 0) {
            lay.short_width = width * 3 / 5;
            break;
        }
    }
    return lay;
}

ng_status ng_segment_sentences(ng_segments *out, const char *text, size_t len)
{
    out->count = 0;
    walk *w = &(walk){.out = out, .start = SIZE_MAX};
    size_t content_end = 0, line_chars = 0, twice = 0, k;
    int line_start = 1, in_notes = 0;
    ng_status st = NG_OK;
    for (size_t i = 0; i < len && st == NG_OK; i += k) {
        if (line_start) {
            /* Page numbers vanish; a rule starts the footnotes, which are
             * segments of their own until the page's text goes on (an
             * indented line), so a citation's names stay out of the
             * sentence it interrupts. */
            line_start = 0;
            size_t end, chars;
            line_kind kind = classify_line(text, len, i, &end, &chars);
            int close = kind == LINE_RULE;
            if (kind == LINE_PAGE_NUMBER || kind == LINE_RULE) {
                line_width(w, chars);
                in_notes |= close;
                k = end - i;
                if (close)
                    st = note_end(w, content_end, 0);
                continue;
            }
            if (in_notes && kind == LINE_TEXT) {
                size_t first = i; /* a text line has more than spaces and tabs */
                while (text[first] == ' ' || text[first] == '\t')
                    first++;
                if (first > i && !footnote_start(text, len, first))
                    in_notes = 0, close = 1; /* the page's text goes on */
                else if (footnote_start(text, len, first))
                    close = 1; /* the next footnote */
            }
            if (close && (st = note_end(w, content_end, 0)) != NG_OK)
                break;
        }
        /* a run of plain characters, then the character after it */
        plain_run r = plain(text, len, i);
        if (r.chars) {
            if (w->start == SIZE_MAX)
                w->start = i + r.first;
            content_end = i + r.end;
            line_chars += r.chars;
        }
        if ((i += r.bytes) == len)
            break;
        int32_t cp = cp_at(text, len, i, &k);
        if (cp == '\n') {
            line_start = 1;
            line_width(w, line_chars - twice);
            if (i > 0 && text[i - 1] != '\n') {
                w->ended++;
                size_t j = i + 1;
                while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                    j++;
                w->followed += j < len && text[j] == '\n';
            }
            /* a line of WIDTH_BUCKETS characters is never short */
            if (line_chars > 0 && line_chars < WIDTH_BUCKETS)
                st = note_end(w, content_end, line_chars);
            line_chars = twice = 0;
            continue;
        }
        if (is_space(cp))
            continue;
        if (w->start == SIZE_MAX)
            w->start = i;
        content_end = i + k;
        line_chars++;
        if (!is_terminal(cp))
            continue;
        /* Closing marks belong to the sentence they close. */
        size_t j = i + k, kj, closers = 0;
        while (j < len && is_closer(cp_at(text, len, j, &kj))) {
            j += kj;
            closers++;
        }
        line_chars += closers;
        if (j < len && !is_space(cp_at(text, len, j, &kj))) {
            twice += closers; /* counted again as the walk goes on (the short-line rule's
                                 count, not the line's width) */
            continue;         /* "p.125", "1.Introduction", "e.g.," */
        }
        size_t m = j;
        while (m < len && is_space(cp_at(text, len, m, &kj)))
            m += kj;
        int ends = m >= len || is_opener(cp_at(text, len, m, &kj));
        if (ends && cp == '.' && is_abbreviation(text, len, i))
            ends = 0;
        if (ends)
            st = note_end(w, j, 0);
        content_end = j;
        k = j - i;
    }
    line_width(w, line_chars - twice); /* the last line, if no '\n' ends it */
    if (st != NG_OK || (st = note_end(w, content_end, 0)) != NG_OK)
        return st;
    /* The sentences: each noted end closes the one open there, a line break
     * only after a short line. */
    layout lay = layout_of(w);
    size_t start = SIZE_MAX;
    for (size_t e = 0; e < w->ends && st == NG_OK; e++) {
        struct ng_seg_end x = out->ends[e];
        if (start == SIZE_MAX && x.start != NO_START)
            start = x.start;
        if (start != SIZE_MAX && (x.chars == 0 || x.chars < lay.short_width)) {
            st = push(out, text, &lay, start, x.at);
            start = SIZE_MAX;
        }
    }
    return st;
}

void ng_segments_join(ng_segments *s, const void *names, size_t n, ng_name_span_fn span_of)
{
    /* sentences [0, w] are joined already; sentence r is next */
    size_t w = 0, k = 0;
    uint32_t reach = 0; /* the farthest end of the names that start in sentence w */
    for (size_t r = 1; r < s->count; r++) {
        for (ng_span name; k < n && (name = span_of(names, k)).start < s->spans[w].end; k++)
            if (name.end > reach)
                reach = name.end;
        if (reach > s->spans[w].end) {
            s->spans[w].end = s->spans[r].end;
            continue;
        }
        w++;
        s->spans[w] = s->spans[r];
        s->paragraph[w] = s->paragraph[r];
        reach = 0;
    }
    if (s->count)
        s->count = w + 1;
}

void ng_segments_destroy(ng_segments *s)
{
    free(s->spans);
    free(s->paragraph);
    free(s->ends);
    memset(s, 0, sizeof *s);
}
