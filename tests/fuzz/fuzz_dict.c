/* fuzz_dict.c: stage 5, loading the entity dictionaries (and ending tables).
 *
 * Input: the bytes of one dictionary file, written as the only file of a
 * temporary directory (one per format and process, reused) as d.json,
 * d.jsonl, d.csv and d.tsv in turn, and loaded with ng_dict_load_dir. The same bytes are also loaded as the only ending table
 * of another directory with ng_suffixes_load_dir.
 * Invariants of the dictionary loader:
 *  - NG_OK, or NG_EPARSE, NG_ELIMIT or NG_EIO with a message starting with
 *    the file's path; for NG_EPARSE "path:LINE:COL: ..." with LINE >= 1,
 *    COL >= 1 and the position inside the file;
 *  - on NG_OK: entities sorted by key, keys unique and [a-z0-9][a-z0-9-]*,
 *    ng_dict_find finds each; every alias belongs to an entity, aliases are
 *    grouped by entity, `norm` and `cased` are the trimmed ng_normalize of
 *    the text (folded and not), non-empty for `norm`, valid UTF-8;
 *  - every alias finds itself: scanning the alias's own text with a matcher
 *    (no endings) gives, first, a match of exactly its normalised bytes, by
 *    an alias with the same normalised text;
 *  - never an abort, never a leak (LeakSanitizer under libFuzzer).
 * Ending tables: NG_OK, or NG_EPARSE/NG_ELIMIT (nesting)/NG_EIO with a
 * message starting with the path; nothing undefined when the table is used.
 */
#include "fuzz_common.h"

static const char *const formats[] = {"json", "jsonl", "csv", "tsv"};
#define FORMATS (sizeof formats / sizeof *formats)
static char dict_dir[FORMATS][1100], dict_path[FORMATS][1200], suffix_dir[1100],
    suffix_path[1200];
static ng_norm scratch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    const char *tmp = fuzz_tmpdir("dict");
    for (size_t f = 0; f < FORMATS; f++) {
        snprintf(dict_dir[f], sizeof dict_dir[f], "%s/dict-%s", tmp, formats[f]);
        snprintf(dict_path[f], sizeof dict_path[f], "%s/dict-%s/d.%s", tmp, formats[f],
                 formats[f]);
        if (mkdir(dict_dir[f], 0700) != 0) {
            perror(dict_dir[f]);
            abort();
        }
    }
    snprintf(suffix_dir, sizeof suffix_dir, "%s/suffixes", tmp);
    snprintf(suffix_path, sizeof suffix_path, "%s/t.json", suffix_dir);
    if (mkdir(suffix_dir, 0700) != 0) {
        perror(tmp);
        abort();
    }
    return 0;
}

/* Is LINE:COL (1-based, COL in characters) a position of src[0, len]? */
static int position_inside(const uint8_t *src, size_t len, size_t line, size_t col)
{
    size_t i = 0;
    for (size_t l = 1; l < line; l++) {
        while (i < len && src[i] != '\n')
            i++;
        if (i >= len)
            return 0;
        i++;
    }
    size_t chars = 0; /* characters on that line */
    for (; i < len && src[i] != '\n'; i++)
        chars += (src[i] & 0xC0) != 0x80;
    return col <= chars + 1;
}

static void check_error(ng_status st, const char *path, const uint8_t *src, size_t len,
                        const char *what)
{
    const char *msg = ng_error_message();
    size_t pl = strlen(path);
    CHECK(strncmp(msg, path, pl) == 0 && msg[pl] == ':',
          "%s: error %d does not start with \"%s:\": %s", what, (int)st, path, msg);
    if (st != NG_EPARSE || strcmp(what, "dictionary") != 0)
        return;
    /* path:LINE:COL: message */
    const char *p = msg + pl + 1;
    char *end;
    unsigned long line = strtoul(p, &end, 10);
    CHECK(end != p && *end == ':', "no line in \"%s\"", msg);
    p = end + 1;
    unsigned long col = strtoul(p, &end, 10);
    CHECK(end != p && end[0] == ':' && end[1] == ' ', "no column in \"%s\"", msg);
    CHECK(line >= 1 && col >= 1, "position %lu:%lu in \"%s\"", line, col, msg);
    CHECK(position_inside(src, len, line, col), "position %lu:%lu outside the file: \"%s\"",
          line, col, msg);
}

static int valid_key(const char *k)
{
    if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= '0' && k[0] <= '9')))
        return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

/* The trimmed normalisation of `text`, as the loader stores it. */
static void trimmed_norm(const char *text, unsigned flags, const char **s, size_t *n)
{
    CHECK(ng_normalize(&scratch, text, strlen(text), flags) == NG_OK, "normalize failed");
    *s = scratch.data;
    *n = scratch.len;
    while (*n && **s == ' ')
        ++*s, --*n;
    while (*n && (*s)[*n - 1] == ' ')
        --*n;
}

static void check_dict(const ng_dict *d)
{
    size_t ne = ng_dict_entity_count(d), na = ng_dict_alias_count(d);
    CHECK(ne > 0, "a dictionary without entities loaded");
    for (uint32_t e = 0; e < ne; e++) {
        const ng_entity *ent = ng_dict_entity(d, e);
        CHECK(valid_key(ent->key), "entity %u: key \"%s\"", e, ent->key);
        CHECK(e == 0 || strcmp(ng_dict_entity(d, e - 1)->key, ent->key) < 0,
              "entity %u: key \"%s\" not after \"%s\"", e, ent->key, ng_dict_entity(d, e - 1)->key);
        CHECK(ng_dict_find(d, ent->key) == (int64_t)e, "ng_dict_find(\"%s\") != %u", ent->key, e);
        CHECK(ent->label && ent->label[0], "entity %u: empty label", e);
        CHECK((unsigned)ent->category < NG_CATEGORY_COUNT, "entity %u: category %d", e,
              (int)ent->category);
        for (size_t f = 0; f < ent->fact_count; f++)
            CHECK(ent->facts[f].name[0] && ent->facts[f].value[0], "entity %u: empty fact", e);
    }
    for (uint32_t a = 0; a < na; a++) {
        const ng_alias *al = ng_dict_alias(d, a);
        CHECK(al->entity < ne, "alias %u: entity %u of %zu", a, al->entity, ne);
        CHECK(a == 0 || ng_dict_alias(d, a - 1)->entity <= al->entity,
              "alias %u: not grouped by entity", a);
        CHECK(al->norm_len > 0, "alias %u (\"%s\"): empty normalised text", a, al->text);
        CHECK(strlen(al->text) <= NG_MAX_ALIAS_BYTES, "alias %u: longer than the limit", a);
        CHECK(fuzz_utf8_valid(al->text, strlen(al->text)), "alias %u: text not UTF-8", a);
        const char *s;
        size_t n;
        trimmed_norm(al->text, NG_NORM_FOLD, &s, &n);
        CHECK(n == al->norm_len && memcmp(s, al->norm, n) == 0,
              "alias %u (\"%s\"): norm is not the trimmed normalisation", a, al->text);
        trimmed_norm(al->text, 0, &s, &n);
        CHECK(n == al->cased_len && memcmp(s, al->cased, n) == 0,
              "alias %u (\"%s\"): cased is not the trimmed normalisation", a, al->text);
    }
}

/* Every alias, scanned in its own text, is found there. */
static void check_self_match(const ng_dict *d)
{
    ng_matcher *m = NULL;
    ng_status st = ng_matcher_new(&m, d, NULL);
    CHECK(st == NG_OK, "ng_matcher_new returned %d: %s", (int)st, ng_error_message());
    ng_norm norm = {0};
    ng_scan_scratch scan = {0};
    ng_match_vec out = {0};
    size_t na = ng_dict_alias_count(d);
    for (uint32_t a = 0; a < na; a++) {
        const ng_alias *al = ng_dict_alias(d, a);
        size_t tl = strlen(al->text);
        CHECK(ng_normalize(&norm, al->text, tl, NG_NORM_FOLD) == NG_OK, "normalize failed");
        size_t lead = norm.len && norm.data[0] == ' ';
        st = ng_matcher_scan(m, &norm, al->text, tl, &scan, &out);
        CHECK(st == NG_OK, "ng_matcher_scan returned %d", (int)st);
        CHECK(out.count > 0, "alias %u (\"%s\") not found in its own text", a, al->text);
        const ng_match *x = &out.items[0];
        CHECK(x->start == lead && x->end == lead + al->norm_len && x->name_end == x->end,
              "alias %u (\"%s\", %zu bytes normalised): first match [%u, %u)", a, al->text,
              al->norm_len, x->start, x->end);
        const ng_alias *found = ng_dict_alias(d, x->alias);
        CHECK(found->norm_len == al->norm_len && memcmp(found->norm, al->norm, al->norm_len) == 0,
              "alias %u (\"%s\") found as alias %u (\"%s\")", a, al->text, x->alias, found->text);
    }
    ng_match_vec_destroy(&out);
    ng_scan_scratch_destroy(&scan);
    ng_norm_destroy(&norm);
    ng_matcher_free(m);
}

static void check_suffixes(const uint8_t *data, size_t size)
{
    fuzz_write_file(suffix_path, data, size);
    ng_suffixes *s = NULL;
    ng_error_clear();
    ng_status st = ng_suffixes_load_dir(&s, suffix_dir);
    if (st != NG_OK) {
        CHECK(st == NG_EPARSE || st == NG_ELIMIT || st == NG_EIO,
              "ng_suffixes_load_dir returned %d: %s", (int)st, ng_error_message());
        CHECK(s == NULL, "suffixes returned with an error");
        check_error(st, suffix_path, data, size, "suffixes");
        return;
    }
    static const char *const tails[] = {"ның", "дан", "а", "ыңыз", "мен", "'ın", "nin", ""};
    static const char *const stems[] = {"қазақстан", "ресей", "назарбаев", "kazakh", "ы", ""};
    for (int sc = NG_SCRIPT_LATIN; sc < NG_SCRIPT_COUNT; sc++) {
        (void)ng_suffixes_any(s, (ng_script)sc);
        for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
            for (size_t k = 0; k < sizeof stems / sizeof *stems; k++)
                (void)ng_suffixes_accept(s, (ng_script)sc, stems[k], strlen(stems[k]), tails[t],
                                         strlen(tails[t]));
            (void)ng_suffixes_drops(s, (ng_script)sc, tails[t], strlen(tails[t]));
        }
    }
    (void)ng_suffixes_min_stem(s);
    ng_suffixes_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (!dict_dir[0][0])
        LLVMFuzzerInitialize(NULL, NULL);
    for (size_t f = 0; f < FORMATS; f++) {
        fuzz_write_file(dict_path[f], data, size);
        ng_dict *d = NULL;
        ng_error_clear();
        ng_status st = ng_dict_load_dir(&d, dict_dir[f]);
        if (st == NG_OK) {
            check_dict(d);
            check_self_match(d);
            ng_dict_free(d);
        } else {
            CHECK(st == NG_EPARSE || st == NG_ELIMIT || st == NG_EIO,
                  "ng_dict_load_dir (%s) returned %d: %s", formats[f], (int)st,
                  ng_error_message());
            CHECK(d == NULL, "a dictionary returned with an error");
            check_error(st, dict_path[f], data, size, "dictionary");
        }
    }
    check_suffixes(data, size);
    return 0;
}
