/* test_dcache.c: images of loaded dictionaries, reused only when valid, and
 * then the same dictionary as a load of the files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachefile.h"

typedef struct fixture {
    char dict_dir[64], other_dir[64], cache_dir[64];
} fixture;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Every kind of member the loader keeps: facts, roles with an overlap (a
 * problem), demonyms, case, context rules (with a prefix), aliases two
 * entities share, and the JSON Lines and table formats. */
static const char main_json[] =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    " {\"key\": \"kz\", \"label\": \"Kazakhstan\", \"category\": \"state\",\n"
    "  \"facts\": {\"iso3166\": \"KZ\", \"capital\": \"Astana\"},\n"
    "  \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\"},\n"
    "              {\"text\": \"Қазақстан\", \"lang\": \"kk\"},\n"
    "              {\"text\": \"Kazakh\", \"lang\": \"en\", \"demonym\": true},\n"
    "              {\"text\": \"KZ\", \"lang\": \"und\"}]},\n"
    " {\"key\": \"georgia-us\", \"label\": \"Georgia (U.S. state)\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Georgia\", \"lang\": \"en\",\n"
    "                \"context\": {\"require\": [\"Atlanta\", \"U.S. state\"],\n"
    "                             \"exclude\": [\"Tbilisi*\"], \"window\": 5, \"side\": \"after\"}}]},\n"
    " {\"key\": \"georgia\", \"label\": \"Georgia\", \"category\": \"state\",\n"
    "  \"aliases\": [{\"text\": \"Georgia\", \"lang\": \"en\"},\n"
    "              {\"text\": \"Ынты-мақтастық\", \"lang\": \"kk\", \"case_sensitive\": true}]},\n"
    " {\"key\": \"p\", \"label\": \"P\", \"category\": \"person\",\n"
    "  \"aliases\": [{\"text\": \"P. Person\", \"lang\": \"en\"}],\n"
    "  \"roles\": [{\"title\": \"A\", \"from\": \"1991\", \"to\": \"2019\"},\n"
    "            {\"title\": \"A\", \"from\": \"2000\"}]}\n"
    "]}\n";

static const char lines_jsonl[] =
    "{\"key\": \"astana\", \"label\": \"Astana\", \"category\": \"place\", \"aliases\": "
    "[{\"text\": \"Astana\", \"lang\": \"en\"}, {\"text\": \"Астана\", \"lang\": \"kk\"}]}\n";

static const char table_csv[] = "key,label,category,language,alias\n"
                                "tr,Turkey,state,en,Turkey\n"
                                "tr,Turkey,state,tr,Türkiye\n"
                                "un,United Nations,organization,en,UN\n";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dict_dir, "/tmp/ng_dcache_dict_XXXXXX");
    strcpy(f->other_dir, "/tmp/ng_dcache_other_XXXXXX");
    strcpy(f->cache_dir, "/tmp/ng_dcache_cache_XXXXXX");
    assert_non_null(mkdtemp(f->dict_dir));
    assert_non_null(mkdtemp(f->other_dir));
    assert_non_null(mkdtemp(f->cache_dir));
    write_file(f->dict_dir, "a.json", main_json);
    write_file(f->dict_dir, "b.jsonl", lines_jsonl);
    write_file(f->dict_dir, "c.csv", table_csv);
    write_file(f->other_dir, "a.json", main_json);
    write_file(f->other_dir, "b.jsonl", lines_jsonl);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ng_test_remove_tree(f->dict_dir);
    ng_test_remove_tree(f->other_dir);
    ng_test_remove_tree(f->cache_dir);
    free(f);
    return 0;
}

static void same_string(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void same_phrases(const ng_phrase *a, const ng_phrase *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(a[i].len, b[i].len);
        assert_memory_equal(a[i].norm, b[i].norm, a[i].len + 1);
        assert_int_equal(a[i].prefix, b[i].prefix);
    }
}

/* `got` answers every question of dict.h as `want` does (`where`: the
 * positions too, which read a JSON file again for each). */
static void same_dict(const ng_dict *want, const ng_dict *got, int where)
{
    char w[512], g[512];
    assert_true(ng_dict_hash(want) == ng_dict_hash(got));
    assert_int_equal(ng_dict_entity_count(want), ng_dict_entity_count(got));
    for (uint32_t i = 0; i < ng_dict_entity_count(want); i++) {
        const ng_entity *a = ng_dict_entity(want, i), *b = ng_dict_entity(got, i);
        assert_string_equal(a->key, b->key);
        assert_string_equal(a->label, b->label);
        assert_int_equal(a->category, b->category);
        same_string(a->roles, b->roles);
        assert_int_equal(a->fact_count, b->fact_count);
        for (size_t k = 0; k < a->fact_count; k++) {
            assert_string_equal(a->facts[k].name, b->facts[k].name);
            assert_string_equal(a->facts[k].value, b->facts[k].value);
        }
        assert_int_equal(ng_dict_find(got, a->key), i);
        if (!where)
            continue;
        ng_dict_entity_where(want, i, w, sizeof w);
        ng_dict_entity_where(got, i, g, sizeof g);
        assert_string_equal(w, g);
    }
    assert_int_equal(ng_dict_alias_count(want), ng_dict_alias_count(got));
    for (uint32_t i = 0; i < ng_dict_alias_count(want); i++) {
        const ng_alias *a = ng_dict_alias(want, i), *b = ng_dict_alias(got, i);
        assert_int_equal(a->entity, b->entity);
        assert_int_equal(a->flags, b->flags);
        assert_string_equal(a->text, b->text);
        assert_ptr_equal(a->lang, b->lang); /* the same static string */
        assert_int_equal(a->norm_len, b->norm_len);
        assert_memory_equal(a->norm, b->norm, a->norm_len + 1);
        assert_int_equal(a->cased_len, b->cased_len);
        assert_memory_equal(a->cased, b->cased, a->cased_len + 1);
        assert_int_equal(a->same_first, b->same_first);
        assert_int_equal(a->same_next, b->same_next);
        assert_int_equal(a->defined, b->defined);
        assert_int_equal(a->context == NULL, b->context == NULL);
        if (a->context) {
            const ng_alias_context *x = a->context, *y = b->context;
            assert_int_equal(x->require_count, y->require_count);
            assert_int_equal(x->exclude_count, y->exclude_count);
            assert_int_equal(x->window, y->window);
            assert_int_equal(x->side, y->side);
            same_phrases(x->require, y->require, x->require_count);
            same_phrases(x->exclude, y->exclude, x->exclude_count);
        }
        assert_int_equal(ng_dict_alias_by_norm(got, a->norm, a->norm_len), a->same_first);
        if (!where)
            continue;
        ng_dict_alias_where(want, i, w, sizeof w);
        ng_dict_alias_where(got, i, g, sizeof g);
        assert_string_equal(w, g);
    }
    assert_int_equal(ng_dict_problem_count(want), ng_dict_problem_count(got));
    for (size_t i = 0; i < ng_dict_problem_count(want); i++)
        assert_string_equal(ng_dict_problem(want, i), ng_dict_problem(got, i));
}

/* The dictionary of `dir` through the cache is the one of its files, and
 * the cache did `expected`. */
static void expect(const fixture *f, const char *dir, ng_mcache_result expected)
{
    ng_dict *fresh, *cached;
    ng_mcache_result how;
    assert_int_equal(ng_dict_load_dir(&fresh, dir), NG_OK);
    assert_int_equal(ng_dcache_dict(&cached, dir, f->cache_dir, &how), NG_OK);
    assert_int_equal(how, expected);
    same_dict(fresh, cached, 1);
    ng_dict_free(fresh);
    ng_dict_free(cached);
}

/* The image of `dir` in the cache. */
static void image_path(const fixture *f, const char *dir, char *out, size_t cap)
{
    assert_int_equal(ng_cache_slot(f->cache_dir, dir, "dict", out, cap), 0);
}

static void test_hit_equals_load(void **state)
{
    fixture *f = *state;
    expect(f, f->dict_dir, NG_MCACHE_STORED);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
    /* the problem was found in a.json: its message names the path as given now */
    char spelled[96];
    snprintf(spelled, sizeof spelled, "%s/.", f->dict_dir);
    expect(f, spelled, NG_MCACHE_HIT);
    ng_dict *d;
    assert_int_equal(ng_dcache_dict(&d, spelled, f->cache_dir, NULL), NG_OK);
    assert_int_equal(ng_dict_problem_count(d), 1);
    assert_non_null(strstr(ng_dict_problem(d, 0), "/./a.json:"));
    ng_dict_free(d);
}

static void test_changed_files_rebuild(void **state)
{
    fixture *f = *state;
    expect(f, f->dict_dir, NG_MCACHE_STORED);
    /* one byte of an alias */
    char *json = strdup(main_json);
    assert_non_null(json);
    *strstr(json, "P. Person") = 'Q';
    write_file(f->dict_dir, "a.json", json);
    free(json);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
    /* a file more, a file renamed, a file less */
    write_file(f->dict_dir, "d.tsv", "key\tlabel\tcategory\tlanguage\talias\nx\tX\tplace\ten\tXville\n");
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
    char from[128], to[128];
    snprintf(from, sizeof from, "%s/d.tsv", f->dict_dir);
    snprintf(to, sizeof to, "%s/e.tsv", f->dict_dir);
    assert_int_equal(rename(from, to), 0);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    assert_int_equal(unlink(to), 0);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
    /* a dictionary that no longer loads: its error, the image untouched */
    write_file(f->dict_dir, "b.jsonl", "{\"key\": \"astana\"}\n");
    ng_dict *d;
    assert_int_equal(ng_dcache_dict(&d, f->dict_dir, f->cache_dir, NULL), NG_EPARSE);
    assert_non_null(strstr(ng_error_message(), "b.jsonl:1:"));
}

static void test_damaged_images_are_rebuilt(void **state)
{
    fixture *f = *state;
    expect(f, f->dict_dir, NG_MCACHE_STORED);
    char path[256];
    image_path(f, f->dict_dir, path, sizeof path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    /* magic, format, version, build id, key, counts, strings, records, end */
    long offsets[] = {0, 9, 16, 40, 90, 110, 200, sb.st_size / 2, -5};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
        ng_test_damage_file(path, offsets[i], 0);
        expect(f, f->dict_dir, NG_MCACHE_REBUILT);
        expect(f, f->dict_dir, NG_MCACHE_HIT);
    }
    ng_test_damage_file(path, 0, 1);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
    /* an empty file */
    assert_int_equal(truncate(path, 0), 0);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
}

/* The image of another dictionary in this one's place is not used. */
static void test_foreign_image_is_not_used(void **state)
{
    fixture *f = *state;
    expect(f, f->other_dir, NG_MCACHE_STORED);
    char mine[256], other[256], cmd[600];
    image_path(f, f->dict_dir, mine, sizeof mine);
    image_path(f, f->other_dir, other, sizeof other);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", other, mine);
    assert_int_equal(system(cmd), 0);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
}

/* An image written by another build of nergraph (its stamp differs) is not
 * used: the stamp's build id is the program's. */
static void test_other_build_is_not_used(void **state)
{
    fixture *f = *state;
    ng_cache_stamp s;
    assert_int_equal(ng_cache_stamp_set(&s, "NGDICT", 1), 1);
    expect(f, f->dict_dir, NG_MCACHE_STORED);
    char path[256];
    image_path(f, f->dict_dir, path, sizeof path);
    ng_test_damage_file(path, (long)offsetof(ng_cache_stamp, build_id), 0);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    ng_test_damage_file(path, (long)offsetof(ng_cache_stamp, utf8proc), 0);
    expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    expect(f, f->dict_dir, NG_MCACHE_HIT);
}

/* Sections of a FORMAT 1 image after its header: their record sizes. */
static const size_t record_bytes[] = {1, 24, 8, 48, 20, 12, 4, 20, 20, 8};
#define HEADER_BYTES 160
#define CHECKSUM_AT 152

/* Set the 32-bit word `index` of section `section` of the image at `path`
 * to *value (NULL: leave it) and seal it again with a right checksum: a
 * crafted image. */
static void craft(const char *path, int section, size_t index, const uint32_t *value)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct stat sb;
    assert_int_equal(fstat(fileno(fp), &sb), 0);
    unsigned char *img = malloc((size_t)sb.st_size);
    assert_non_null(img);
    assert_int_equal(fread(img, 1, (size_t)sb.st_size, fp), (size_t)sb.st_size);
    fclose(fp);
    uint32_t count[8];
    uint64_t strings;
    memcpy(count, img + 104, sizeof count); /* files, entities, aliases, facts, rules, ... */
    memcpy(&strings, img + 136, sizeof strings);
    size_t n[10] = {strings,  count[1], count[3], count[2], count[4],
                    count[5], count[2], count[1], count[2], count[6]};
    size_t at[10], o = HEADER_BYTES;
    for (int i = 0; i < 10; i++) {
        at[i] = o;
        o += (n[i] * record_bytes[i] + 7) & ~(size_t)7;
    }
    assert_int_equal(o, (size_t)sb.st_size);
    if (value)
        memcpy(img + at[section] + 4 * index, value, 4);
    uint64_t sum = ng_cache_hash(0, img, CHECKSUM_AT);
    for (int i = 0; i < 10; i++)
        sum = ng_cache_hash(sum, img + at[i], n[i] * record_bytes[i]);
    memcpy(img + CHECKSUM_AT, &sum, sizeof sum);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(img, 1, (size_t)sb.st_size, fp), (size_t)sb.st_size);
    fclose(fp);
    free(img);
}

/* An image whose checksum is right but whose indices are not (crafted, or
 * written by a bug) is refused: no read out of bounds, no loop. */
static void test_crafted_indices_are_refused(void **state)
{
    fixture *f = *state;
    expect(f, f->dict_dir, NG_MCACHE_STORED);
    char path[256];
    image_path(f, f->dict_dir, path, sizeof path);
    craft(path, 0, 0, NULL); /* sealed again unchanged: still used */
    expect(f, f->dict_dir, NG_MCACHE_HIT);
    static const struct {
        int section;
        size_t word;
        uint32_t value;
    } bad[] = {
        {6, 0, 1000},          /* by_norm[0] past the aliases */
        {3, 12 + 10, 1},       /* alias 1's same_next back to itself: a loop */
        {3, 12 + 9, 5},        /* alias 1's same_first ahead of it */
        {3, 2, 0x7fffffff},    /* alias 0's text past the strings */
        {3, 5, 0x7fffffff},    /* alias 0's norm_len past the strings */
        {3, 3, 7},             /* alias 0's language past the table */
        {3, 0, 7},             /* alias 0's entity past the entities */
        {1, 4, 500},           /* entity 0's fact_first past the facts */
        {1, 3, 4},             /* entity 0's category */
        {7, 0, 3},             /* entity 0's origin in a file past the files */
        {4, 0, 100},           /* rule 0's first phrase past the phrases */
        {9, 0, 3},             /* problem 0 in a file past the files */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        craft(path, bad[i].section, bad[i].word, &bad[i].value);
        expect(f, f->dict_dir, NG_MCACHE_REBUILT);
    }
    expect(f, f->dict_dir, NG_MCACHE_HIT);
}

static void test_off_small_and_unwritable(void **state)
{
    fixture *f = *state;
    ng_dict *d;
    ng_mcache_result how;
    assert_int_equal(ng_dcache_dict(&d, f->dict_dir, "", &how), NG_OK);
    assert_int_equal(how, NG_MCACHE_OFF);
    ng_dict_free(d);
    /* the default directory: only from NG_MCACHE_MIN_PATTERNS aliases on */
    setenv("NERGRAPH_CACHE_DIR", f->cache_dir, 1);
    assert_int_equal(ng_dcache_dict(&d, f->dict_dir, NULL, &how), NG_OK);
    assert_int_equal(how, NG_MCACHE_OFF);
    ng_dict_free(d);
    char path[256];
    image_path(f, f->dict_dir, path, sizeof path);
    assert_int_not_equal(access(path, F_OK), 0);
    unsetenv("NERGRAPH_CACHE_DIR");
    char file_dir[128];
    snprintf(file_dir, sizeof file_dir, "%s/a.json", f->dict_dir); /* a file, not a directory */
    assert_int_equal(ng_dcache_dict(&d, f->dict_dir, file_dir, &how), NG_OK);
    assert_int_equal(how, NG_MCACHE_UNWRITABLE);
    assert_int_equal(ng_dict_entity_count(d), 7);
    ng_dict_free(d);
}

/* A large dictionary (past the default threshold) through the default
 * directory, and the matcher built on the cached dictionary scans alike. */
static void test_large_default(void **state)
{
    fixture *f = *state;
    static const char *const syl[] = {"ka", "ba", "қа", "ан", "stan", "ов", "a", "ab"};
    uint32_t seed = 11;
    char *json = ng_test_random_dict(NG_MCACHE_MIN_PATTERNS + 10, syl, 8, 7, "kk", 5, &seed);
    write_file(f->other_dir, "a.json", json);
    free(json);
    setenv("NERGRAPH_CACHE_DIR", f->cache_dir, 1);
    ng_dict *fresh, *cached;
    ng_mcache_result how;
    assert_int_equal(ng_dcache_dict(&cached, f->other_dir, NULL, &how), NG_OK);
    assert_int_equal(how, NG_MCACHE_STORED);
    ng_dict_free(cached);
    assert_int_equal(ng_dcache_dict(&cached, f->other_dir, NULL, &how), NG_OK);
    assert_int_equal(how, NG_MCACHE_HIT);
    unsetenv("NERGRAPH_CACHE_DIR");
    assert_int_equal(ng_dict_load_dir(&fresh, f->other_dir), NG_OK);
    same_dict(fresh, cached, 0);
    ng_matcher *a, *b;
    assert_int_equal(ng_matcher_new(&a, fresh, NULL), NG_OK);
    assert_int_equal(ng_matcher_new(&b, cached, NULL), NG_OK);
    char text[4096];
    size_t len = 0;
    while (len < sizeof text - 64) {
        len = ng_test_random_name(text, len, syl, 8, 1 + ng_test_rand(&seed) % 7, 3, &seed);
        text[len++] = ' ';
    }
    ng_norm norm = {0};
    ng_scan_scratch scratch = {0};
    ng_match_vec x = {0}, y = {0};
    assert_int_equal(ng_normalize(&norm, text, len, NG_NORM_FOLD), NG_OK);
    assert_int_equal(ng_matcher_scan(a, &norm, text, len, &scratch, &x), NG_OK);
    assert_int_equal(ng_matcher_scan(b, &norm, text, len, &scratch, &y), NG_OK);
    assert_true(x.count > 10);
    assert_int_equal(x.count, y.count);
    assert_memory_equal(x.items, y.items, x.count * sizeof *x.items);
    ng_match_vec_destroy(&x);
    ng_match_vec_destroy(&y);
    ng_norm_destroy(&norm);
    ng_scan_scratch_destroy(&scratch);
    ng_matcher_free(a);
    ng_matcher_free(b);
    ng_dict_free(fresh);
    ng_dict_free(cached);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hit_equals_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_files_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_images_are_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_image_is_not_used, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_build_is_not_used, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crafted_indices_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_off_small_and_unwritable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_default, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
