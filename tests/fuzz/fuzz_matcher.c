/* fuzz_matcher.c: stage 6, differential test of the Aho-Corasick matcher.
 *
 * Input: up to 8 alias lines, ended by an empty line (or the 8th line), then
 * the text. Each line keeps only lower-case ASCII letters, spaces and a few
 * lower-case Cyrillic letters (Kazakh ones and Latin look-alikes), at most 12
 * bytes, trimmed; so no alias is an acronym (case-sensitive). Alias k becomes
 * the only alias of entity "e<k>" of a dictionary file; the text (made valid
 * UTF-8) is normalised and scanned by a matcher without endings.
 *
 * The reference: at every byte of the normalised text, every alias whose
 * normalised bytes occur there, with no letter, digit or mark (Unicode L*, M*,
 * N*) just before or just after; candidates ordered by start, longer first,
 * then alias id; taken greedily when they start at or after the end of the
 * last one taken; the alias reported for a text is the lowest id with that
 * normalised text. Both must agree exactly, and every span must be the
 * reported alias's normalised bytes.
 */
#include "fuzz_common.h"

#define MAX_ALIASES 8
#define MAX_ALIAS_BYTES 12

static char dict_dir[1100], dict_path[1200];
static ng_norm norm;
static ng_scan_scratch scan;
static ng_match_vec out, ref;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    const char *tmp = fuzz_tmpdir("matcher");
    snprintf(dict_dir, sizeof dict_dir, "%s/dict", tmp);
    snprintf(dict_path, sizeof dict_path, "%s/d.json", dict_dir);
    if (mkdir(dict_dir, 0700) != 0) {
        perror(dict_dir);
        abort();
    }
    return 0;
}

/* Lower-case Cyrillic letters an alias may hold: Kazakh, Russian, and the
 * twins of Latin letters (а е о р с у х і һ к м н т в). */
static int allowed_cyrillic(int32_t cp)
{
    static const int32_t set[] = {0x0430, 0x0431, 0x0432, 0x0435, 0x0438, 0x043A, 0x043C,
                                  0x043D, 0x043E, 0x0440, 0x0441, 0x0442, 0x0443, 0x0445,
                                  0x044B, 0x0456, 0x04BB, 0x049B, 0x04A3, 0x04D9, 0x0493,
                                  0x04AF, 0x04B1, 0x04E9, 0x044F, 0x0439, 0x0451};
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

/* Keep the allowed characters of line[0, n) in alias (at most 12 bytes). */
static size_t filter_alias(const uint8_t *line, size_t n, char *alias)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = fuzz_utf8_char(line + i, n - i, &cp);
        if (!k) {
            i++;
            continue;
        }
        int ok = (cp >= 'a' && cp <= 'z') || cp == ' ' || allowed_cyrillic(cp);
        if (ok && o + k <= MAX_ALIAS_BYTES) {
            memcpy(alias + o, line + i, k);
            o += k;
        }
        i += k;
    }
    size_t s = 0;
    while (s < o && alias[s] == ' ')
        s++;
    while (o > s && alias[o - 1] == ' ')
        o--;
    memmove(alias, alias + s, o - s);
    alias[o - s] = '\0';
    return o - s;
}

/* ---- the reference matcher (matcher.c's word rules, written plainly) ---- */

static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

static int word_after(const char *s, size_t len, size_t end)
{
    int32_t cp;
    if (end >= len)
        return 0;
    return fuzz_utf8_char((const uint8_t *)s + end, len - end, &cp) ? is_word_cp(cp) : 1;
}

static int word_before(const char *s, size_t start)
{
    if (start == 0)
        return 0;
    size_t p = start - 1;
    while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80)
        p--;
    int32_t cp;
    return fuzz_utf8_char((const uint8_t *)s + p, start - p, &cp) == start - p ? is_word_cp(cp)
                                                                            : 1;
}

static void push(ng_match_vec *v, ng_match m)
{
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        ng_match *items = realloc(v->items, cap * sizeof *items);
        CHECK(items != NULL, "out of memory");
        v->items = items;
        v->cap = cap;
    }
    v->items[v->count++] = m;
}

static void reference(const ng_dict *d, const char *s, size_t len, ng_match_vec *res)
{
    size_t na = ng_dict_alias_count(d);
    res->count = 0;
    size_t taken_end = 0;
    for (size_t start = 0; start < len; start++) {
        if (start < taken_end)
            continue;
        /* the longest alias text at `start`, lowest id among equals */
        size_t best_len = 0;
        uint32_t best = 0;
        for (uint32_t a = 0; a < na; a++) {
            const ng_alias *al = ng_dict_alias(d, a);
            size_t n = al->norm_len;
            if (n <= best_len || n > len - start || memcmp(s + start, al->norm, n) != 0)
                continue;
            if (word_before(s, start) || word_after(s, len, start + n))
                continue;
            best_len = n;
            best = a;
        }
        if (best_len) {
            uint32_t end = (uint32_t)(start + best_len);
            push(res, (ng_match){(uint32_t)start, end, best, end});
            taken_end = end;
        }
    }
}

/* ---- the dictionary file ---- */

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void write_dict(char aliases[][MAX_ALIAS_BYTES + 1], size_t n)
{
    FILE *fp = fopen(dict_path, "wb");
    CHECK(fp != NULL, "cannot write %s", dict_path);
    fputs("{\"nergraph_dictionary\": 1, \"entities\": [\n", fp);
    for (size_t k = 0; k < n; k++) {
        fprintf(fp, "%s{\"key\": \"e%zu\", \"label\": \"E%zu\", \"category\": \"place\", "
                    "\"aliases\": [{\"text\": ", k ? ",\n" : "", k, k);
        json_string(fp, aliases[k]);
        fputs(", \"lang\": \"und\"}]}", fp);
    }
    fputs("\n]}\n", fp);
    CHECK(fclose(fp) == 0, "cannot write %s", dict_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (!dict_dir[0])
        LLVMFuzzerInitialize(NULL, NULL);
    char aliases[MAX_ALIASES][MAX_ALIAS_BYTES + 1];
    size_t n = 0, i = 0;
    while (i < size && n < MAX_ALIASES) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t line_len = nl ? (size_t)(nl - (data + i)) : size - i;
        const uint8_t *line = data + i;
        i += line_len + (nl != NULL);
        if (line_len == 0)
            break; /* an empty line ends the list */
        if (filter_alias(line, line_len, aliases[n]))
            n++;
    }
    if (n == 0)
        return 0;
    write_dict(aliases, n);
    ng_dict *d = NULL;
    if (ng_dict_load_dir(&d, dict_dir) != NG_OK)
        return 0; /* e.g. an alias that normalises to nothing */
    for (uint32_t a = 0; a < ng_dict_alias_count(d); a++)
        CHECK(!(ng_dict_alias(d, a)->flags & NG_ALIAS_CASE_SENSITIVE),
              "alias \"%s\" is case-sensitive", ng_dict_alias(d, a)->text);
    ng_matcher *m = NULL;
    ng_status st = ng_matcher_new(&m, d, NULL);
    CHECK(st == NG_OK, "ng_matcher_new returned %d: %s", (int)st, ng_error_message());

    size_t len;
    char *text = fuzz_repair_utf8(data + i, size - i, &len);
    CHECK(ng_normalize(&norm, text, len, NG_NORM_FOLD) == NG_OK, "normalize failed");
    st = ng_matcher_scan(m, &norm, text, len, &scan, &out);
    CHECK(st == NG_OK, "ng_matcher_scan returned %d", (int)st);
    reference(d, norm.data, norm.len, &ref);

    for (size_t k = 0; k < out.count; k++) {
        const ng_match *x = &out.items[k];
        CHECK(x->start < x->end && x->end <= norm.len, "match %zu [%u, %u) outside (%zu)", k,
              x->start, x->end, norm.len);
        CHECK(x->alias < ng_dict_alias_count(d), "match %zu: alias %u", k, x->alias);
        const ng_alias *al = ng_dict_alias(d, x->alias);
        CHECK(x->end - x->start == al->norm_len &&
                  memcmp(norm.data + x->start, al->norm, al->norm_len) == 0,
              "match %zu [%u, %u) is not alias %u (\"%s\")", k, x->start, x->end, x->alias,
              al->norm);
        CHECK(x->name_end == x->end, "match %zu: name_end %u, end %u, without endings", k,
              x->name_end, x->end);
        CHECK(k == 0 || out.items[k - 1].end <= x->start, "match %zu [%u, %u) overlaps", k,
              x->start, x->end);
    }
    for (size_t k = 0; k < out.count && k < ref.count; k++) {
        const ng_match *x = &out.items[k], *y = &ref.items[k];
        CHECK(x->start == y->start && x->end == y->end && x->alias == y->alias,
              "match %zu: matcher [%u, %u) alias %u \"%s\", reference [%u, %u) alias %u \"%s\"",
              k, x->start, x->end, x->alias, ng_dict_alias(d, x->alias)->norm, y->start, y->end,
              y->alias, ng_dict_alias(d, y->alias)->norm);
    }
    CHECK(out.count == ref.count, "matcher %zu matches, reference %zu", out.count, ref.count);
    if (getenv("NG_FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_matcher: %zu aliases, %zu normalised bytes, %zu matches\n", n,
                norm.len, out.count);

    free(text);
    ng_matcher_free(m);
    ng_dict_free(d);
    return 0;
}
