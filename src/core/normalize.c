/* normalize.c: the matching form of a text, one table look-up per code point.
 *
 * ng_normalize_init builds, for every BMP code point, the UTF-8 bytes it
 * normalises to (utf8proc NFKC, optionally case-folded, plus nergraph's own
 * folds), once per process; utf8proc normalises only the few thousand code
 * points that it does not give back as they are. The scan then never calls
 * utf8proc except for the rare code point above U+FFFF.
 *
 * Two fast paths do what the code point loop would do for the bulk of a
 * text: printable ASCII and single spaces 16 bytes at a time (SSE2), and
 * runs of two-byte characters (Cyrillic, Turkish) from a second table. A
 * word that mixes Latin and Cyrillic letters is read in one script where
 * it ends the output, as the scan ends it. NG_NORM_REFERENCE turns all of
 * that off (mixed words are then read by a pass over the whole output), so
 * tests can compare the two.
 */
#include "nergraph/normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "buf.h"
#include "normalize_internal.h"
#include "utf8.h"

#define MAX_EXPANSION 64 /* bytes one code point may normalise to (NFKC max is 54) */
#define BLOCK 16         /* bytes the ASCII fast path looks at at once */

static ng_fold_table tables[2]; /* [0]: keep case, [1]: fold case */
static int tables_ready;

static int is_space_cp(int32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* nergraph's folds, applied before utf8proc; returns the replacement code
 * point, 0 to drop the character, or -1 to leave it to utf8proc. */
static int32_t special_fold(int32_t cp, int fold_case)
{
    switch (cp) {
    case 0x0027: case 0x0060: case 0x00B4: case 0x02B9: case 0x02BB: case 0x02BC:
    case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0xFF07:
        return '\'';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
        return '-';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2039: case 0x203A: case 0xFF02:
        return '"';
    case 0x00AD: case 0x180E: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
    case 0xFEFF:
        return 0;
    }
    if (!fold_case)
        return -1;
    switch (cp) {
    case 0x0130: case 0x0131: /* Turkish İ and ı meet i and I */
        return 'i';
    case 0x0401: case 0x0451: /* Russian ё is written е as often as not */
        return 0x0435;
    case 0x0307: /* the dot that casefolding İ leaves behind */
        return 0;
    }
    return -1;
}

/* Normalise one code point into `out` (MAX_EXPANSION bytes); returns the
 * byte length, or -1 for white space. */
static int normalise_cp(int32_t cp, int fold_case, char *out)
{
    if (is_space_cp(cp))
        return -1;
    int32_t sp = special_fold(cp, fold_case);
    if (sp == 0)
        return 0;
    if (sp > 0)
        return (int)ng_utf8_encode(sp, out);
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return (int)ng_utf8_encode(0xFFFD, out);
    utf8proc_int32_t buf[MAX_EXPANSION];
    utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
    if (fold_case)
        opts |= UTF8PROC_CASEFOLD;
    char src[4];
    size_t src_len = ng_utf8_encode(cp, src);
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)src,
                                            (utf8proc_ssize_t)src_len, buf, MAX_EXPANSION,
                                            opts);
    if (n < 0 || n > MAX_EXPANSION)
        return (int)ng_utf8_encode(cp, out);
    n = utf8proc_reencode(buf, n, opts);
    if (n < 0 || n > MAX_EXPANSION)
        return (int)ng_utf8_encode(cp, out);
    /* Folds of the result too (NFKC of U+FF07 is ', of U+2024 is .). */
    size_t o = 0;
    const unsigned char *u = (const unsigned char *)buf;
    for (utf8proc_ssize_t i = 0; i < n;) {
        int32_t c;
        size_t k = ng_utf8_decode(u + i, (size_t)(n - i), &c);
        if (!k)
            break;
        int32_t f = special_fold(c, fold_case);
        if (f > 0)
            o += ng_utf8_encode(f, out + o);
        else if (f < 0) {
            memcpy(out + o, u + i, k);
            o += k;
        }
        i += (utf8proc_ssize_t)k;
    }
    return (int)o;
}

static inline int script_of(int32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F &&
                                                                  cp != 0xD7 && cp != 0xF7))
        return SCRIPT_LATIN;
    if (cp >= 0x400 && cp <= 0x52F)
        return SCRIPT_CYRILLIC;
    return SCRIPT_NONE;
}

/* The script class of a normalised form (see SCRIPT_BYTES). */
static uint8_t form_script(const char *form, int n)
{
    int32_t c;
    if (n <= 0 || memchr(form, ' ', (size_t)n) ||
        ng_utf8_decode((const unsigned char *)form, (size_t)n, &c) != (size_t)n)
        return SCRIPT_BYTES;
    return (uint8_t)script_of(c);
}

/* Is `cp` its own normalised form, known without asking utf8proc to
 * normalise it? It is when none of nergraph's folds applies and the code
 * point has no decomposition and, when folding, no case folding:
 * utf8proc_decompose_char then writes it alone (Hangul syllables, decomposed
 * by rule, compose back) and composing one character changes nothing. Most
 * of the BMP (CJK, Hangul, unassigned, private use) is such. */
static int stays_as_is(int32_t cp, int fold_case)
{
    if (is_space_cp(cp) || special_fold(cp, fold_case) >= 0 || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    return p->decomp_seqindex == UINT16_MAX &&
           (!fold_case || p->casefold_seqindex == UINT16_MAX);
}

ng_status ng_fold_table_build(ng_fold_table *t, unsigned flags)
{
    const int fold_case = (flags & NG_NORM_FOLD) != 0;
    const int reference = (flags & NG_NORM_REFERENCE) != 0;
    /* most forms are three bytes: one allocation, then room for the longest */
    if (NG_GROW(t->pool, t->pool_cap, 3 * (size_t)NG_BMP) != NG_OK)
        return NG_ENOMEM;
    for (int32_t cp = 0; cp < NG_BMP; cp++) {
        if (t->pool_cap - t->pool_len < MAX_EXPANSION &&
            NG_GROW(t->pool, t->pool_cap, t->pool_len + MAX_EXPANSION) != NG_OK)
            return NG_ENOMEM;
        char *form = t->pool + t->pool_len;
        int n;
        if (!reference && stays_as_is(cp, fold_case)) {
            n = (int)ng_utf8_encode(cp, form);
            t->script[cp] = (uint8_t)script_of(cp); /* what form_script finds */
        } else if ((n = normalise_cp(cp, fold_case, form)) >= 0) {
            t->script[cp] = form_script(form, n);
        } else {
            t->space[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            continue;
        }
        t->entry[cp] = (uint32_t)(t->pool_len << 8) | (uint32_t)n;
        t->pool_len += (size_t)n;
        if (cp < 0x80 && n == 1 && form[0] != ' ' && form[0] != '-')
            t->ascii[cp] = (uint8_t)form[0];
        if (cp >= 0x80 && cp < 0x800 && (n == 1 || n == 2) && t->script[cp] != SCRIPT_BYTES &&
            form[0] != '-')
            t->two[cp] = (uint32_t)(unsigned char)form[0] |
                         (uint32_t)(n == 2 ? (unsigned char)form[1] : 0) << 8 |
                         (uint32_t)t->script[cp] << 16 | (uint32_t)n << 20;
    }
    return NG_OK;
}

void ng_fold_table_destroy(ng_fold_table *t)
{
    free(t->pool);
    memset(t, 0, sizeof *t);
}

/* The ASCII fast path (ascii_block) knows the table by heart: printable
 * ASCII other than ` is itself, or its lower case when folding (- is no
 * ascii[] byte but a form of its own), and the space is white space.
 * Checked against the table once. */
static int fast_path_agrees(const ng_fold_table *t, int fold_case)
{
    for (int b = 0x21; b < 0x7F; b++) {
        if (b == '`')
            continue;
        char want = (char)(fold_case && b >= 'A' && b <= 'Z' ? b | 0x20 : b);
        if ((t->entry[b] & 0xFF) != 1 || t->pool[t->entry[b] >> 8] != want ||
            t->ascii[b] != (b == '-' ? 0 : (uint8_t)want))
            return 0;
    }
    return t->script['-'] == SCRIPT_NONE && (t->space[' ' >> 3] & (1u << (' ' & 7)));
}

/* ---- look-alike letters ---- */

/* Cyrillic letters and the Latin ones they are mistaken for (and back). */
static const int32_t lookalikes[][2] = {
    {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x043A, 'k'},
    {0x043C, 'm'}, {0x04BB, 'h'}, {0x043D, 'h'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'},
    {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0501, 'd'}, {0x04CF, 'l'},
    {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x041A, 'K'},
    {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'},
    {0x0423, 'Y'}, {0x0425, 'X'}, {0x04BA, 'H'}, {0x0405, 'S'},
};

#define TWINS 0x530 /* the look-alikes are all below */
static int32_t twins[TWINS]; /* each letter's twin in the other script, or 0 */

/* The first pair wins (so Latin h reads as Cyrillic һ, Kazakh, not н):
 * pairs are entered last to first. */
static void build_twins(void)
{
    for (size_t i = sizeof lookalikes / sizeof *lookalikes; i-- > 0;) {
        twins[lookalikes[i][0]] = lookalikes[i][1];
        twins[lookalikes[i][1]] = lookalikes[i][0];
    }
}

/* The twin of `cp` in the other script, or 0. */
static int32_t twin(int32_t cp)
{
    return (uint32_t)cp < TWINS ? twins[cp] : 0;
}

ng_status ng_normalize_init(void)
{
    if (tables_ready)
        return NG_OK;
    for (int f = 0; f < 2; f++) {
        ng_status st = ng_fold_table_build(&tables[f], f ? NG_NORM_FOLD : 0);
        if (st != NG_OK)
            return st;
        if (!fast_path_agrees(&tables[f], f))
            return ng_error_set(NG_EINTERNAL, "normalize: the ASCII fast path disagrees with the tables");
    }
    build_twins();
    tables_ready = 1;
    return NG_OK;
}

/* The letters of a word that decide its script (target_script). */
typedef struct word_letters {
    size_t latin, cyrillic;
    int latin_twins, cyrillic_twins; /* every Latin (Cyrillic) letter has a twin */
} word_letters;

#define NO_LETTERS ((word_letters){0, 0, 1, 1})

static void count_letter(word_letters *w, int32_t cp, int script)
{
    if (script == SCRIPT_LATIN) {
        w->latin++;
        w->latin_twins &= twin(cp) != 0;
    } else if (script == SCRIPT_CYRILLIC) {
        w->cyrillic++;
        w->cyrillic_twins &= twin(cp) != 0;
    }
}

/* Which script a mixed word should be read in: the one whose letters are
 * all there or have twins; if both could be, the script of the word before
 * (`context`), else the majority. */
static int target_script(const word_letters *w, int context)
{
    int to_latin = w->cyrillic_twins, to_cyrillic = w->latin_twins;
    if (to_latin && to_cyrillic && context != SCRIPT_NONE)
        return context;
    if (to_latin && (!to_cyrillic || w->latin >= w->cyrillic))
        return SCRIPT_LATIN;
    return to_cyrillic ? SCRIPT_CYRILLIC : SCRIPT_NONE;
}

/* Where the word (a run of Latin and Cyrillic letters) that starts at `i`
 * ends; its letters are counted in *letters. */
static size_t word_end(const unsigned char *s, size_t len, size_t i, word_letters *letters)
{
    *letters = NO_LETTERS;
    while (i < len) {
        int32_t cp;
        size_t k = ng_utf8_decode(s + i, len - i, &cp);
        int sc;
        if (!k || (sc = script_of(cp)) == SCRIPT_NONE)
            break;
        count_letter(letters, cp, sc);
        i += k;
    }
    return i;
}

/* The look-alike pass as it was first written, for NG_NORM_REFERENCE (the
 * scan folds mixed words as it ends them, fold_mixed_word): the words of
 * the whole of `n` in order, the script of one the context of the next,
 * every byte starting a word or copied on its own, into new buffers. */
static ng_status fold_lookalikes(ng_norm *n)
{
    const unsigned char *s = (const unsigned char *)n->data;
    const size_t len = n->len, cap = 2 * len + 1; /* each letter may double (a → а) */
    char *data = malloc(cap);
    uint32_t *map = malloc((cap + 1) * sizeof *map);
    if (!data || !map) {
        free(data);
        free(map);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    size_t o = 0;
    int context = SCRIPT_NONE; /* script of the last word read */
    for (size_t i = 0; i < len;) {
        word_letters letters;
        size_t end = word_end(s, len, i, &letters);
        if (end == i) { /* not a letter (nor a byte of one) */
            data[o] = n->data[i];
            map[o++] = n->map[i++];
            continue;
        }
        int target = SCRIPT_NONE;
        if (!letters.cyrillic)
            context = SCRIPT_LATIN;
        else if (!letters.latin)
            context = SCRIPT_CYRILLIC;
        else if ((target = target_script(&letters, context)) != SCRIPT_NONE)
            context = target;
        while (i < end) {
            int32_t cp;
            size_t k = ng_utf8_decode(s + i, end - i, &cp);
            size_t w = ng_utf8_encode(target != SCRIPT_NONE && script_of(cp) != target ? twin(cp) : cp,
                                      data + o);
            for (size_t b = 0; b < w; b++)
                map[o + b] = n->map[i];
            o += w;
            i += k;
        }
    }
    map[o] = n->map[len];
    free(n->data);
    free(n->map);
    n->data = data;
    n->map = map;
    n->cap = cap;
    n->len = o;
    return NG_OK;
}

/* If the line starting at `i` holds only a page number (1 to 4 digits and
 * spaces) and another line follows, where that line's break is; else 0. */
static size_t page_number_line(const unsigned char *u, size_t len, size_t i)
{
    size_t digits = 0;
    for (; i < len && u[i] != '\n'; i++) {
        if (u[i] >= '0' && u[i] <= '9')
            digits++;
        else if (u[i] != ' ' && u[i] != '\t' && u[i] != '\r')
            return 0;
    }
    return i < len && digits >= 1 && digits <= 4 ? i : 0;
}

/* Is the word that ends at `i` written in capitals, two letters or more
 * (ҚР, АҚШ, UN)? */
static int capitals_before(const unsigned char *u, size_t i)
{
    size_t letters = 0;
    while (i > 0) {
        size_t p = ng_utf8_prev((const char *)u, i);
        int32_t cp;
        if (!ng_utf8_decode(u + p, i - p, &cp))
            break;
        utf8proc_category_t c = utf8proc_category(cp);
        if (c == UTF8PROC_CATEGORY_LU)
            letters++;
        else if (c >= UTF8PROC_CATEGORY_LL && c <= UTF8PROC_CATEGORY_LO)
            return 0;
        else
            break;
        i = p;
    }
    return letters >= 2;
}

/* If a line break (and nothing but white space) follows `i`, where the next
 * character starts; else 0. */
static size_t line_break_after(const unsigned char *u, size_t len, size_t i)
{
    int newline = 0;
    while (i < len && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n')) {
        newline |= u[i] == '\n';
        i++;
    }
    return newline && i < len ? i : 0;
}

/* The ASCII fast path: how many of the BLOCK bytes at `s` are printable
 * ASCII that normalises to one byte (all but `), single spaces between them
 * (`space_before`: a space is pending before s[0]), or hyphens before a
 * printable byte (before white space a hyphen may join a word across a line
 * break). Writes all BLOCK bytes normalised to `dst` (only that many count),
 * and in *letters a bit for each letter, in *spaces one for each space.
 * Without SSE2: 0, and the per-code-point loop does everything. */
static unsigned ascii_block(const unsigned char *s, int fold_case, int space_before, char *dst,
                            unsigned *letters, unsigned *spaces)
{
#if defined(__SSE2__)
    const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)s);
    /* signed compares: bytes of 0x80 and above are negative, so not printable */
    __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8(0x20)),
                                      _mm_cmplt_epi8(b, _mm_set1_epi8(0x7F)));
    __m128i out = b;
    if (fold_case) {
        __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8('A' - 1)),
                                      _mm_cmplt_epi8(b, _mm_set1_epi8('Z' + 1)));
        out = _mm_add_epi8(b, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    }
    __m128i lower = _mm_or_si128(out, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    _mm_storeu_si128((__m128i *)(void *)dst, out);
    unsigned p = (unsigned)_mm_movemask_epi8(printable);
    unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8(' ')));
    unsigned hy = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8('-')));
    unsigned bt = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8('`')));
    unsigned bad = (~(p | sp) & 0xFFFFu) | bt | (sp & ((sp << 1) | (space_before ? 1u : 0u))) |
                   (hy & ~(p >> 1));
    *letters = (unsigned)_mm_movemask_epi8(letter);
    *spaces = sp;
    return (unsigned)__builtin_ctz(bad | (1u << BLOCK));
#else
    (void)s, (void)fold_case, (void)space_before, (void)dst, (void)letters, (void)spaces;
    return 0;
#endif
}

/* Offsets base .. base + BLOCK - 1 into map[0 .. BLOCK). */
static void store_offsets(uint32_t *map, uint32_t base)
{
#if defined(__SSE2__)
    __m128i v = _mm_add_epi32(_mm_set1_epi32((int)base), _mm_setr_epi32(0, 1, 2, 3));
    for (int k = 0; k < BLOCK; k += 4) {
        _mm_storeu_si128((__m128i *)(void *)(map + k), v);
        v = _mm_add_epi32(v, _mm_set1_epi32(4));
    }
#else
    for (int k = 0; k < BLOCK; k++)
        map[k] = base + (uint32_t)k;
#endif
}

static ng_status reserve(ng_norm *n, size_t need)
{
    if (need <= n->cap)
        return NG_OK;
    size_t map_cap = n->cap;
    if (NG_GROW(n->data, n->cap, need) != NG_OK)
        return NG_ENOMEM;
    return NG_GROW(n->map, map_cap, n->cap + 1);
}

/* Where the character of `s` that ends at `i` (> 0) starts; it goes to *cp
 * (-1 if it is none). */
static size_t char_before(const char *s, size_t i, int32_t *cp)
{
    size_t p = ng_utf8_prev(s, i);
    ng_utf8_decode((const unsigned char *)s + p, i - p, cp);
    return p;
}

/* What the scan needs to read a word that mixes Latin and Cyrillic letters
 * in one script as the word ends. */
typedef struct mixed_words {
    int fold;           /* fold them as they end (not for NG_NORM_REFERENCE) */
    int context;        /* the script of the last word read before output byte context_end */
    size_t context_end; /* where the last mixed word ended */
} mixed_words;

/* Read the mixed word that ends the output, at `end`, in one script, in place:
 * what fold_lookalikes does, for one word. The word and the context (the
 * script of the last word before it) are found in the output, going back
 * from the end: no further than the last mixed word, before which
 * w->context holds. The letters that change become their twins, each byte
 * with the map entry of the letter it comes from. A Latin twin is one byte
 * and a Cyrillic one two, so a word that grows moves right by as much
 * first, and is then rewritten from the left. */
static ng_status fold_mixed_word(ng_norm *out, size_t end, mixed_words *w)
{
    word_letters letters = NO_LETTERS;
    size_t from = end;
    int32_t cp;
    for (size_t p; from > w->context_end; from = p) {
        p = char_before(out->data, from, &cp);
        int sc = script_of(cp);
        if (sc == SCRIPT_NONE)
            break;
        count_letter(&letters, cp, sc);
    }
    int context = w->context;
    for (size_t q = from, p; q > w->context_end; q = p) {
        p = char_before(out->data, q, &cp);
        if (script_of(cp) != SCRIPT_NONE) { /* of a word that is not mixed, like all its letters */
            context = script_of(cp);
            break;
        }
    }
    int target = target_script(&letters, context);
    w->context = target != SCRIPT_NONE ? target : context;
    w->context_end = end;
    if (target == SCRIPT_NONE)
        return NG_OK;
    /* The Latin letters have twins, so are ASCII: each becomes two bytes. */
    size_t grow = target == SCRIPT_CYRILLIC ? letters.latin : 0;
    if (grow) {
        ng_status st = reserve(out, end + grow + MAX_EXPANSION + BLOCK + 2);
        if (st != NG_OK)
            return st;
        memmove(out->data + from + grow, out->data + from, end - from);
        memmove(out->map + from + grow, out->map + from, (end - from) * sizeof *out->map);
    }
    size_t o2 = from;
    for (size_t i = from + grow; i < end + grow;) {
        size_t k = ng_utf8_decode((const unsigned char *)out->data + i, end + grow - i, &cp);
        uint32_t at = out->map[i];
        size_t n = ng_utf8_encode(script_of(cp) != target ? twin(cp) : cp, out->data + o2);
        for (size_t b = 0; b < n; b++)
            out->map[o2 + b] = at;
        o2 += n;
        i += k;
    }
    w->context_end = o2;
    return NG_OK;
}

/* A word, whose letters' scripts are *scripts, ends at the end of the
 * output, at `o` (what follows it is not written yet); a mixed one is
 * folded (see mixed_words.fold). Returns where the output ends then, or
 * SIZE_MAX when out of memory. */
static inline size_t end_word(ng_norm *out, size_t o, int *scripts, mixed_words *w)
{
    int mixed = *scripts == (SCRIPT_LATIN | SCRIPT_CYRILLIC);
    *scripts = 0;
    if (!mixed || !w->fold)
        return o;
    return fold_mixed_word(out, o, w) == NG_OK ? w->context_end : SIZE_MAX;
}

/* Write the pending space of a run of white space, if any; returns the new
 * output length. */
static inline size_t put_space(ng_norm *out, size_t o, size_t *space_at)
{
    if (*space_at != SIZE_MAX) {
        out->data[o] = ' ';
        out->map[o++] = (uint32_t)*space_at;
        *space_at = SIZE_MAX;
    }
    return o;
}

ng_status ng_normalize(ng_norm *out, const char *text, size_t len, unsigned flags)
{
    if (!tables_ready)
        return ng_error_set(NG_EINTERNAL, "normalize: ng_init() was not called");
    const int fold_case = (flags & NG_NORM_FOLD) != 0;
    const ng_fold_table *t = &tables[fold_case];
    const int fast = !(flags & NG_NORM_REFERENCE);
    const unsigned char *u = (const unsigned char *)text;
    ng_status st = reserve(out, len + MAX_EXPANSION + BLOCK + 2);
    if (st != NG_OK)
        return st;
    size_t o = 0;
    size_t space_at = SIZE_MAX; /* start of a pending run of white space */
    char big[MAX_EXPANSION];
    int word_scripts = 0; /* SCRIPT_LATIN | SCRIPT_CYRILLIC: of the letters of the word so far */
    mixed_words mixed = {.fold = fast};
    for (size_t i = 0; i < len;) {
        /* room for a block, a pending space and one code point's form */
        if (out->cap - o < MAX_EXPANSION + BLOCK + 2) {
            if (o > UINT32_MAX - 2 * (MAX_EXPANSION + BLOCK))
                return ng_error_set(NG_ELIMIT, "normalised text over 4 GiB");
            if ((st = reserve(out, out->cap * 2)) != NG_OK)
                return st;
        }
        /* Not in a word with Cyrillic letters: the word that ends in the block
         * is then not mixed, and no fold moves the bytes the block wrote. */
        unsigned took, letters, spaces;
        if (fast && u[i] < 0x80 && len - i >= BLOCK && !(word_scripts & SCRIPT_CYRILLIC) &&
            (took = ascii_block(u + i, fold_case, space_at != SIZE_MAX,
                                out->data + o + (space_at != SIZE_MAX), &letters, &spaces))) {
            /* what the loop below would do byte by byte, for `took` bytes */
            o = put_space(out, o, &space_at);
            store_offsets(out->map + o, (uint32_t)i);
            unsigned last = 1u << (took - 1), others = ~letters & ((last << 1) - 1);
            /* a word that ends at the first of them is not mixed (see above);
             * one goes on after the block if it ends in a letter */
            word_scripts = others & last ? 0 : SCRIPT_LATIN;
            o += took;
            i += took;
            if (spaces & last) { /* a space at the end is pending, as below */
                space_at = i - 1;
                o--;
            }
            if (took == BLOCK)
                continue;
        }
        /* A run of two-byte characters (Cyrillic, Turkish) that have
         * entries in two[], and single spaces between them: what the code
         * point loop below does, with less decoding and checking. Output
         * grows by at most what is read, plus a space, so reading at most
         * `room` bytes keeps MAX_EXPANSION - 3 bytes free. (The ASCII path
         * may have taken up to BLOCK bytes of the room checked above.) */
        size_t run_from = i;
        if (fast && (unsigned)(u[i] - 0xC2) < 0x1E && out->cap - o > MAX_EXPANSION) {
            size_t end = len - 1, room = out->cap - o - MAX_EXPANSION;
            if (end - i > room)
                end = i + room;
            while (i < end) {
                size_t before = o;
                if (u[i] == ' ' && space_at == SIZE_MAX && (unsigned)(u[i + 1] - 0xC2) < 0x1E) {
                    if ((o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
                        return NG_ENOMEM;
                    if (o > before) /* a word grew: the room counted on is gone */
                        break;
                    space_at = i++;
                    continue;
                }
                uint32_t e;
                if ((unsigned)(u[i] - 0xC2) >= 0x1E || (u[i + 1] & 0xC0) != 0x80 ||
                    !(e = t->two[(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F)]))
                    break;
                int sc = (int)(e >> 16 & 3);
                if (sc == SCRIPT_NONE) {
                    if ((o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
                        return NG_ENOMEM;
                    if (o > before)
                        break;
                }
                word_scripts |= sc;
                o = put_space(out, o, &space_at);
                out->data[o] = (char)e; /* both bytes; only the length counts */
                out->data[o + 1] = (char)(e >> 8);
                out->map[o] = out->map[o + 1] = (uint32_t)i;
                o += e >> 20;
                i += 2;
            }
        }
        if (i != run_from)
            continue;
        uint8_t a = u[i] < 0x80 ? t->ascii[u[i]] : 0;
        if (a) { /* the common case: one byte in, one byte out */
            if ((a | 0x20) >= 'a' && (a | 0x20) <= 'z')
                word_scripts |= SCRIPT_LATIN;
            else if ((o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
                return NG_ENOMEM;
            o = put_space(out, o, &space_at);
            out->data[o] = (char)a;
            out->map[o++] = (uint32_t)i++;
            continue;
        }
        int32_t cp;
        size_t k;
        int sc_form = SCRIPT_BYTES;
        if (u[i] < 0x80) {
            cp = u[i];
            k = 1;
        } else if ((k = ng_utf8_decode(u + i, len - i, &cp)) == 0) {
            cp = 0xFFFD; /* callers pass decoded text; be safe anyway */
            k = 1;
        }
        const char *bytes;
        int n;
        if (cp < NG_BMP) {
            if (t->space[cp >> 3] & (1u << (cp & 7))) {
                if ((o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
                    return NG_ENOMEM;
                if (space_at == SIZE_MAX)
                    space_at = i;
                /* A page number alone on its line is part of the break, so a
                 * name that runs across a page ("Central Asian\n32\ncountries")
                 * stays one name. */
                size_t page = cp == '\n' ? page_number_line(u, len, i + 1) : 0;
                i = page ? page : i + k;
                continue;
            }
            uint32_t e = t->entry[cp];
            bytes = t->pool + (e >> 8);
            n = (int)(e & 0xFF);
            sc_form = t->script[cp];
        } else {
            n = normalise_cp(cp, (flags & NG_NORM_FOLD) != 0, big);
            bytes = big;
        }
        if ((n == 1 && bytes[0] == '-') || cp == 0x00AD) {
            size_t next = line_break_after(u, len, i + k);
            if (next) {
                /* "Chi-\nna", "ынты-\nмақтастығы": a word the line broke; before
                 * a capital ("Kazakh-\nChinese") the hyphen is real, and after
                 * an abbreviation it sets off an ending ("ҚР-\nның"). */
                int32_t c2;
                size_t k2 = ng_utf8_decode(u + next, len - next, &c2);
                if (cp == 0x00AD || (k2 && utf8proc_category(c2) == UTF8PROC_CATEGORY_LL &&
                                     !capitals_before(u, i)))
                    n = 0, sc_form = SCRIPT_BYTES;
                k = next - i; /* the line break is gone either way */
            }
        }
        /* Words are judged by what they normalise to (U+1C80 becomes в). */
        if (sc_form != SCRIPT_BYTES) { /* one character, no space: copied as is */
            if (sc_form == SCRIPT_NONE && (o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
                return NG_ENOMEM;
            word_scripts |= sc_form;
            o = put_space(out, o, &space_at);
            for (int j = 0; j < n; j++) {
                out->data[o] = bytes[j];
                out->map[o++] = (uint32_t)i;
            }
            i += k;
            continue;
        }
        for (int j = 0; j < n;) {
            int32_t c = (unsigned char)bytes[j];
            size_t cl = c < 0x80 ? 1 : ng_utf8_decode((const unsigned char *)bytes + j,
                                                      (size_t)(n - j), &c);
            int sc = cl ? script_of(c) : SCRIPT_NONE;
            if (sc == SCRIPT_NONE && (o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
                return NG_ENOMEM;
            word_scripts |= sc;
            if (c == ' ') {
                /* NFKC turns some characters into a space and a combining mark
                 * (U+00A8 is " \u0308"): that space joins the run like any other. */
                if (space_at == SIZE_MAX)
                    space_at = i;
                j++;
                continue;
            }
            o = put_space(out, o, &space_at);
            for (int end = j + (cl ? (int)cl : 1); j < end; j++) {
                out->data[o] = bytes[j];
                out->map[o++] = (uint32_t)i;
            }
        }
        i += k;
    }
    if ((o = end_word(out, o, &word_scripts, &mixed)) == SIZE_MAX)
        return NG_ENOMEM;
    o = put_space(out, o, &space_at);
    out->map[o] = (uint32_t)len;
    out->len = o;
    return fast ? NG_OK : fold_lookalikes(out);
}

size_t ng_norm_source_end(const ng_norm *n, const char *text, size_t text_len, size_t i)
{
    size_t s = n->map[i];
    if (s >= text_len)
        return text_len;
    int32_t cp;
    size_t k = ng_utf8_decode((const unsigned char *)text + s, text_len - s, &cp);
    return s + (k ? k : 1);
}

void ng_norm_destroy(ng_norm *n)
{
    free(n->data);
    free(n->map);
    memset(n, 0, sizeof *n);
}
