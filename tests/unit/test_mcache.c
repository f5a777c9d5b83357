/* test_mcache.c: images of compiled matchers, reused only when valid. */
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

static const char *const syllables[] = {"ka", "ba", "қа", "ан", "stan", "ов", "a", "ab"};
#define SYLLABLES (sizeof syllables / sizeof *syllables)

typedef struct fixture {
    char dict_dir[64], cache_dir[64], json_path[96];
    ng_dict *dict;
    ng_suffixes *suffixes;
    char *text;
    size_t text_len;
} fixture;

/* A dictionary of `n` generated aliases (Kazakh, so endings apply) in dict_dir. */
static void write_dict(fixture *f, int n, uint32_t seed)
{
    char *json = ng_test_random_dict(n, syllables, SYLLABLES, 7, "kk", 0, &seed);
    FILE *fp = fopen(f->json_path, "w");
    assert_non_null(fp);
    fputs(json, fp);
    fclose(fp);
    free(json);
    ng_dict_free(f->dict);
    assert_int_equal(ng_dict_load_dir(&f->dict, f->dict_dir), NG_OK);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dict_dir, "/tmp/ng_mcache_dict_XXXXXX");
    strcpy(f->cache_dir, "/tmp/ng_mcache_cache_XXXXXX");
    assert_non_null(mkdtemp(f->dict_dir));
    assert_non_null(mkdtemp(f->cache_dir));
    snprintf(f->json_path, sizeof f->json_path, "%s/d.json", f->dict_dir);
    write_dict(f, 3000, 77u);
    assert_int_equal(ng_suffixes_load_dir(&f->suffixes, NG_SOURCE_DIR "/dictionaries/suffixes"),
                     NG_OK);
    uint32_t seed = 5;
    f->text = malloc(200000);
    assert_non_null(f->text);
    size_t len = 0;
    static const char *const seps[] = {" ", ", ", "ның ", "ға. ", "\n", "x"};
    while (len < 190000) {
        len = ng_test_random_name(f->text, len, syllables, SYLLABLES, 1 + ng_test_rand(&seed) % 7,
                                  3, &seed);
        const char *sep = seps[ng_test_rand(&seed) % (sizeof seps / sizeof *seps)];
        memcpy(f->text + len, sep, strlen(sep));
        len += strlen(sep);
    }
    f->text_len = len;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ng_test_remove_tree(f->dict_dir);
    ng_test_remove_tree(f->cache_dir);
    ng_dict_free(f->dict);
    ng_suffixes_free(f->suffixes);
    free(f->text);
    free(f);
    return 0;
}

/* The matches of the fixture's text. */
static ng_match_vec scan(const fixture *f, const ng_matcher *m)
{
    ng_norm norm = {0};
    ng_scan_scratch scratch = {0};
    ng_match_vec out = {0};
    assert_int_equal(ng_normalize(&norm, f->text, f->text_len, NG_NORM_FOLD), NG_OK);
    assert_int_equal(ng_matcher_scan(m, &norm, f->text, f->text_len, &scratch, &out), NG_OK);
    ng_norm_destroy(&norm);
    ng_scan_scratch_destroy(&scratch);
    return out;
}

/* A matcher through the cache gives exactly the matches of a fresh one. */
static void expect(const fixture *f, const ng_suffixes *suffixes, ng_mcache_result want)
{
    ng_matcher *fresh, *cached;
    ng_mcache_result how;
    assert_int_equal(ng_matcher_new(&fresh, f->dict, suffixes), NG_OK);
    assert_int_equal(
        ng_mcache_matcher(&cached, f->dict, suffixes, f->dict_dir, f->cache_dir, &how), NG_OK);
    assert_int_equal(how, want);
    ng_match_vec a = scan(f, fresh), b = scan(f, cached);
    assert_true(a.count > 1000);
    assert_int_equal(a.count, b.count);
    assert_memory_equal(a.items, b.items, a.count * sizeof *a.items);
    ng_match_vec_destroy(&a);
    ng_match_vec_destroy(&b);
    ng_matcher_free(fresh);
    ng_matcher_free(cached);
}

/* The one image in the cache directory. */
static void image_path(const fixture *f, char *out, size_t cap)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "ls %s/matcher-*.img", f->cache_dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, (int)cap, p));
    out[strcspn(out, "\n")] = '\0';
    pclose(p);
}

static void test_hit_and_stale(void **state)
{
    fixture *f = *state;
    expect(f, f->suffixes, NG_MCACHE_STORED);
    expect(f, f->suffixes, NG_MCACHE_HIT);
    /* other ending tables give other patterns (stems): stale */
    expect(f, NULL, NG_MCACHE_REBUILT);
    expect(f, NULL, NG_MCACHE_HIT);
    expect(f, f->suffixes, NG_MCACHE_REBUILT);
    /* the dictionary changed */
    write_dict(f, 2500, 99u);
    expect(f, f->suffixes, NG_MCACHE_REBUILT);
    expect(f, f->suffixes, NG_MCACHE_HIT);
}

/* Damage the image at `offset` (from the end if negative) or truncate it. */
static void damage(const fixture *f, long offset, int truncate_it)
{
    char path[256];
    image_path(f, path, sizeof path);
    ng_test_damage_file(path, offset, truncate_it);
}

static void test_damaged_images_are_rebuilt(void **state)
{
    fixture *f = *state;
    expect(f, f->suffixes, NG_MCACHE_STORED);
    struct stat sb;
    char path[256];
    image_path(f, path, sizeof path);
    assert_int_equal(stat(path, &sb), 0);
    long offsets[] = {0, 20, 100, sb.st_size / 3, sb.st_size / 2, -5};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
        damage(f, offsets[i], 0);
        expect(f, f->suffixes, NG_MCACHE_REBUILT);
        expect(f, f->suffixes, NG_MCACHE_HIT);
    }
    damage(f, 0, 1);
    expect(f, f->suffixes, NG_MCACHE_REBUILT);
    expect(f, f->suffixes, NG_MCACHE_HIT);
}

static void test_off_and_unwritable(void **state)
{
    fixture *f = *state;
    ng_matcher *m;
    ng_mcache_result how;
    assert_int_equal(ng_mcache_matcher(&m, f->dict, f->suffixes, f->dict_dir, "", &how), NG_OK);
    assert_int_equal(how, NG_MCACHE_OFF);
    ng_matcher_free(m);
    char file_dir[128];
    snprintf(file_dir, sizeof file_dir, "%s", f->json_path); /* a file, not a directory */
    assert_int_equal(ng_mcache_matcher(&m, f->dict, f->suffixes, f->dict_dir, file_dir, &how),
                     NG_OK);
    assert_int_equal(how, NG_MCACHE_UNWRITABLE);
    ng_match_vec v = scan(f, m);
    assert_true(v.count > 1000);
    ng_match_vec_destroy(&v);
    ng_matcher_free(m);
    /* the default directory comes from the environment; empty: none */
    char buf[256];
    setenv("NERGRAPH_CACHE_DIR", "", 1);
    assert_string_equal(ng_mcache_default_dir(buf, sizeof buf), "");
    unsetenv("NERGRAPH_CACHE_DIR");
    setenv("XDG_CACHE_HOME", "/x/y", 1);
    assert_string_equal(ng_mcache_default_dir(buf, sizeof buf), "/x/y/nergraph");
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hit_and_stale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_images_are_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_off_and_unwritable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
