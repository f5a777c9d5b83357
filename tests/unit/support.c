/* support.c: helpers the unit tests share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

ng_dict *ng_test_load_dict(const char *json)
{
    char dir[] = "/tmp/ng_test_dict_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/d.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    ng_dict *d = NULL;
    ng_status st = ng_dict_load_dir(&d, dir);
    unlink(path);
    rmdir(dir);
    if (st != NG_OK)
        fail_msg("dictionary: %s", ng_error_message());
    return d;
}

void ng_test_remove_tree(const char *dir)
{
    char cmd[4200];
    assert_true(strlen(dir) < 4096 && !strchr(dir, '\''));
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

void ng_test_add_edge(ng_cooc *c, uint32_t a, uint32_t b, uint32_t windows)
{
    ng_cooc_mention *m = calloc(2 * windows, sizeof *m);
    assert_non_null(m);
    for (uint32_t i = 0; i < windows; i++) {
        m[2 * i] = (ng_cooc_mention){a, i};
        m[2 * i + 1] = (ng_cooc_mention){b, i};
    }
    assert_int_equal(ng_cooc_add_document(c, m, 2 * windows), NG_OK);
    free(m);
}

void ng_test_reference_counts(ng_cooc *c)
{
    enum { ASTANA, ATT, KZ, NAZ, RU, TR };
    ng_test_add_edge(c, KZ, RU, 12);
    ng_test_add_edge(c, KZ, TR, 5);
    ng_test_add_edge(c, RU, TR, 9);
    ng_test_add_edge(c, TR, NAZ, 3);
    ng_test_add_edge(c, NAZ, ASTANA, 7);
    ng_test_add_edge(c, NAZ, ATT, 1);
    ng_test_add_edge(c, ASTANA, ATT, 4);
}

uint32_t ng_test_rand(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return *seed >> 8;
}

size_t ng_test_random_name(char *out, size_t o, const char *const *syl, size_t n, size_t count,
                           unsigned space_every, uint32_t *seed)
{
    for (size_t k = 0; k < count; k++) {
        if (k > 0 && ng_test_rand(seed) % space_every == 0)
            out[o++] = ' ';
        const char *sy = syl[ng_test_rand(seed) % n];
        memcpy(out + o, sy, strlen(sy));
        o += strlen(sy);
    }
    return o;
}

char *ng_test_random_dict(int entities, const char *const *syl, size_t n, size_t max_syllables,
                          const char *lang, unsigned case_every, uint32_t *seed)
{
    size_t cap = (size_t)entities * (160 + 12 * max_syllables) + 64, o = 0;
    char *json = malloc(cap);
    assert_non_null(json);
    o += (size_t)snprintf(json, cap, "{\"nergraph_dictionary\": 1, \"entities\": [\n");
    for (int i = 0; i < entities; i++) {
        o += (size_t)snprintf(json + o, cap - o,
                              "%s{\"key\": \"g%05d\", \"label\": \"g\", \"category\": "
                              "\"place\", \"aliases\": [{\"text\": \"",
                              i ? ",\n" : "", i);
        o = ng_test_random_name(json, o, syl, n, 1 + ng_test_rand(seed) % max_syllables, 4,
                                seed);
        int cs = case_every && ng_test_rand(seed) % case_every == 0;
        o += (size_t)snprintf(json + o, cap - o,
                              "\", \"lang\": \"%s\", \"case_sensitive\": %s}]}", lang,
                              cs ? "true" : "false");
    }
    snprintf(json + o, cap - o, "\n]}\n");
    return json;
}

void ng_test_damage_file(const char *path, long offset, int truncate_it)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    if (truncate_it) {
        assert_int_equal(truncate(path, sb.st_size - 3), 0);
        return;
    }
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    long at = offset >= 0 ? offset : (long)sb.st_size + offset;
    assert_int_equal(fseek(fp, at, SEEK_SET), 0);
    int c = fgetc(fp);
    assert_int_not_equal(c, EOF);
    assert_int_equal(fseek(fp, at, SEEK_SET), 0);
    fputc(c ^ 0x10, fp);
    fclose(fp);
}
