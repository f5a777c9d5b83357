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
 * runs of two-byte characters (Cyrillic, Turkish) from a second table. The
 * look-alike pass runs only on a text with a word that mixes scripts, and
 * skips ASCII. NG_NORM_REFERENCE turns all of that off, so tests can
 * compare the two.
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

/* Which script a mixed word [from, to) of `s` should be read in: the one
 * whose letters are all there or have twins; if both could be, the script
 * of the word before (`context`), else the majority. */
static int target_script(const unsigned char *s, size_t from, size_t to, int context)
{
    int to_latin = 1, to_cyrillic = 1;
    size_t latin = 0, cyrillic = 0;
    for (size_t i = from; i < to;) {
        int32_t cp;
        size_t k = ng_utf8_decode(s + i, to - i, &cp);
        int sc = script_of(cp);
        if (sc == SCRIPT_LATIN) {
            latin++;
            to_cyrillic &= twin(cp) != 0;
        } else if (sc == SCRIPT_CYRILLIC) {
            cyrillic++;
            to_latin &= twin(cp) != 0;
        }
        i += k;
    }
    if (to_latin && to_cyrillic && context != SCRIPT_NONE)
        return context;
    if (to_latin && (!to_cyrillic || latin >= cyrillic))
        return SCRIPT_LATIN;
    return to_cyrillic ? SCRIPT_CYRILLIC : SCRIPT_NONE;
}

static int ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The first byte of `s` from `i` on that is not ASCII, or `len`. */
static size_t skip_ascii(const unsigned char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
    for (; len - i >= BLOCK; i += BLOCK) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < len && s[i] < 0x80)
        i++;
    return i;
}

/* Where the word (a run of Latin and Cyrillic letters) that starts at `i`
 * ends; the scripts of its letters go to *scripts. */
static size_t word_end(const unsigned char *s, size_t len, size_t i, int reference, int *scripts)
{
    *scripts = 0;
    while (i < len) {
        if (s[i] < 0x80) { /* ASCII, without decoding */
            if (!ascii_letter(s[i]))
                break;
            *scripts |= SCRIPT_LATIN;
            i++;
            continue;
        }
        /* U+0400..U+052F, Cyrillic, without decoding (s is valid UTF-8) */
        if (!reference &&
            ((s[i] >= 0xD0 && s[i] <= 0xD3) || (s[i] == 0xD4 && i + 1 < len && s[i + 1] < 0xB0))) {
            *scripts |= SCRIPT_CYRILLIC;
            i += 2;
            continue;
        }
        int32_t cp;
        size_t k = ng_utf8_decode(s + i, len - i, &cp);
        int sc;
        if (!k || (sc = script_of(cp)) == SCRIPT_NONE)
            break;
        *scripts |= sc;
        i += k;
    }
    return i;
}

/* Rewrite the words of `n` that mix Latin and Cyrillic letters in one
 * script, keeping each byte's map entry. Every word is judged in order (the
 * script of one word is the context of the next), but ASCII, where no word
 * mixes scripts, is skipped in blocks, and Cyrillic letters are known by
 * their first byte (not for `reference`: then every byte starts a word or
 * is skipped on its own, and every letter is decoded, as the pass was first
 * written). Bytes are copied only once a word is rewritten. Output may grow
 * (a → а), so it goes to the spare buffers, which are then swapped in. */
static ng_status fold_lookalikes(ng_norm *n, int reference)
{
    const unsigned char *s = (const unsigned char *)n->data;
    const size_t len = n->len;
    size_t o = 0, copied = 0; /* n->data[copied, i) is not yet in the spare buffers */
    int context = SCRIPT_NONE; /* script of the last word read */
    int rewritten = 0;
    for (size_t i = 0; i < len;) {
        /* Up to the next byte that is not ASCII: words of Latin letters only. */
        size_t p = reference ? i : skip_ascii(s, i, len), from = p;
        if (p == len)
            break;
        while (from > i && ascii_letter(s[from - 1]))
            from--;
        for (size_t b = from; b > i; b--) {
            if (ascii_letter(s[b - 1])) {
                context = SCRIPT_LATIN;
                break;
            }
        }
        int scripts;
        size_t end = word_end(s, len, from, reference, &scripts);
        if (end == from) { /* not a letter (nor a byte of one): skip one byte */
            i = from + 1;
            continue;
        }
        int target = scripts == (SCRIPT_LATIN | SCRIPT_CYRILLIC)
                         ? target_script(s, from, end, context)
                         : SCRIPT_NONE;
        if (target != SCRIPT_NONE || scripts != (SCRIPT_LATIN | SCRIPT_CYRILLIC))
            context = target != SCRIPT_NONE ? target : scripts;
        i = end;
        if (target == SCRIPT_NONE) /* kept as it is */
            continue;
        if (!rewritten) {
            if (NG_GROW(n->spare, n->spare_cap, len * 2 + 1) != NG_OK)
                return NG_ENOMEM;
            uint32_t *map = realloc(n->spare_map, (n->spare_cap + 1) * sizeof *map);
            if (!map)
                return ng_error_set(NG_ENOMEM, "out of memory");
            n->spare_map = map;
            rewritten = 1;
        }
        memcpy(n->spare + o, n->data + copied, from - copied);
        memcpy(n->spare_map + o, n->map + copied, (from - copied) * sizeof *n->map);
        o += from - copied;
        for (size_t j = from; j < end;) {
            int32_t cp;
            size_t k = ng_utf8_decode(s + j, end - j, &cp);
            int32_t out = script_of(cp) != target ? twin(cp) : cp;
            size_t w = ng_utf8_encode(out, n->spare + o);
            for (size_t b = 0; b < w; b++)
                n->spare_map[o + b] = n->map[j];
            o += w;
            j += k;
        }
        copied = end;
    }
    if (!rewritten)
        return NG_OK;
    memcpy(n->spare + o, n->data + copied, len - copied);
    memcpy(n->spare_map + o, n->map + copied, (len - copied + 1) * sizeof *n->map); /* and map[len] */
    o += len - copied;
    /* swap the buffers; capacities travel with them */
    char *d = n->data;
    uint32_t *m = n->map;
    size_t cap = n->cap;
    n->data = n->spare;
    n->map = n->spare_map;
    n->cap = n->spare_cap;
    n->spare = d;
    n->spare_map = m;
    n->spare_cap = cap;
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

/* A word ends: note whether it mixed Latin and Cyrillic letters. */
static inline void end_word(int *word_scripts, int *mixed)
{
    *mixed |= *word_scripts == (SCRIPT_LATIN | SCRIPT_CYRILLIC);
    *word_scripts = 0;
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
    int word_scripts = 0, mixed = 0; /* Latin and Cyrillic letters in one word? */
    for (size_t i = 0; i < len;) {
        /* room for a block, a pending space and one code point's form */
        if (out->cap - o < MAX_EXPANSION + BLOCK + 2) {
            if (o > UINT32_MAX - 2 * (MAX_EXPANSION + BLOCK))
                return ng_error_set(NG_ELIMIT, "normalised text over 4 GiB");
            if ((st = reserve(out, out->cap * 2)) != NG_OK)
                return st;
        }
        unsigned took, letters, spaces;
        if (fast && u[i] < 0x80 && len - i >= BLOCK &&
            (took = ascii_block(u + i, fold_case, space_at != SIZE_MAX,
                                out->data + o + (space_at != SIZE_MAX), &letters, &spaces))) {
            /* what the loop below would do byte by byte, for `took` bytes */
            o = put_space(out, o, &space_at);
            store_offsets(out->map + o, (uint32_t)i);
            unsigned last = 1u << (took - 1), others = ~letters & ((last << 1) - 1);
            if (others) { /* a word ends at the first of them */
                if (!(others & 1u))
                    word_scripts |= SCRIPT_LATIN;
                end_word(&word_scripts, &mixed);
                word_scripts = others & last ? 0 : SCRIPT_LATIN;
            } else {
                word_scripts |= SCRIPT_LATIN;
            }
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
                if (u[i] == ' ' && space_at == SIZE_MAX && (unsigned)(u[i + 1] - 0xC2) < 0x1E) {
                    end_word(&word_scripts, &mixed);
                    space_at = i++;
                    continue;
                }
                uint32_t e;
                if ((unsigned)(u[i] - 0xC2) >= 0x1E || (u[i + 1] & 0xC0) != 0x80 ||
                    !(e = t->two[(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F)]))
                    break;
                int sc = (int)(e >> 16 & 3);
                if (sc == SCRIPT_NONE) {
                    end_word(&word_scripts, &mixed);
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
            if ((a | 0x20) >= 'a' && (a | 0x20) <= 'z') {
                word_scripts |= SCRIPT_LATIN;
            } else {
                end_word(&word_scripts, &mixed);
            }
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
                end_word(&word_scripts, &mixed);
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
            if (sc_form == SCRIPT_NONE) {
                end_word(&word_scripts, &mixed);
            }
            word_scripts |= sc_form;
            o = put_space(out, o, &space_at);
            for (int j = 0; j < n; j++) {
                out->data[o] = bytes[j];
                out->map[o++] = (uint32_t)i;
            }
            i += k;
            continue;
        } else {
            for (int j = 0; j < n;) {
                int32_t c = (unsigned char)bytes[j];
                size_t cl = c < 0x80 ? 1 : ng_utf8_decode((const unsigned char *)bytes + j,
                                                          (size_t)(n - j), &c);
                int sc = cl ? script_of(c) : SCRIPT_NONE;
                if (sc == SCRIPT_NONE) {
                    end_word(&word_scripts, &mixed);
                }
                word_scripts |= sc;
                j += cl ? (int)cl : 1;
            }
        }
        for (int j = 0; j < n; j++) {
            /* NFKC turns some characters into a space and a combining mark
             * (U+00A8 is " \u0308"): that space joins the run like any other. */
            if (bytes[j] == ' ') {
                if (space_at == SIZE_MAX)
                    space_at = i;
                continue;
            }
            o = put_space(out, o, &space_at);
            out->data[o] = bytes[j];
            out->map[o++] = (uint32_t)i;
        }
        i += k;
    }
    o = put_space(out, o, &space_at);
    out->map[o] = (uint32_t)len;
    out->len = o;
    end_word(&word_scripts, &mixed);
    return mixed || !fast ? fold_lookalikes(out, !fast) : NG_OK;
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
    free(n->spare);
    free(n->spare_map);
    memset(n, 0, sizeof *n);
}
