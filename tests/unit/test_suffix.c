/* test_suffix.c: names with endings, through the bundled ending tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nergraph.h>

#include "buf.h"
#include "support.h"

static char dir[64];
static ng_dict *dict;
static ng_suffixes *suffixes;
static ng_matcher *matcher;

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/ng_test_suffix_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/d.json", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("{\"nergraph_dictionary\": 1, \"entities\": [\n"
          "{\"key\": \"china\", \"label\": \"China\", \"category\": \"state\", \"aliases\": ["
          "{\"text\": \"Қытай\", \"lang\": \"kk\"}, {\"text\": \"Китай\", \"lang\": \"ru\"},"
          "{\"text\": \"China\", \"lang\": \"en\"}]},\n"
          "{\"key\": \"kazakhstan\", \"label\": \"Kazakhstan\", \"category\": \"state\", \"aliases\": ["
          "{\"text\": \"Қазақстан\", \"lang\": \"kk\"}, {\"text\": \"ҚР\", \"lang\": \"kk\"}]},\n"
          "{\"key\": \"russia\", \"label\": \"Russia\", \"category\": \"state\", \"aliases\": ["
          "{\"text\": \"Россия\", \"lang\": \"ru\"}]},\n"
          "{\"key\": \"nazarbayev\", \"label\": \"Nazarbayev\", \"category\": \"person\", \"aliases\": ["
          "{\"text\": \"Назарбаев\", \"lang\": \"ru\"}]},\n"
          "{\"key\": \"zhanaozen\", \"label\": \"Zhanaozen\", \"category\": \"place\", \"aliases\": ["
          "{\"text\": \"Жаңа-өзен\", \"lang\": \"kk\"}]}\n"
          "]}\n", f);
    fclose(f);
    if (ng_dict_load_dir(&dict, dir) != NG_OK)
        return -1;
    unlink(path);
    rmdir(dir);
    if (ng_suffixes_load_dir(&suffixes, NG_SOURCE_DIR "/dictionaries/suffixes") != NG_OK)
        return -1;
    return ng_matcher_new(&matcher, dict, suffixes) == NG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ng_matcher_free(matcher);
    ng_suffixes_free(suffixes);
    ng_dict_free(dict);
    return 0;
}

/* The matches of `text` as "key:surface" joined by spaces. */
static void matches_of(const char *text, char *out, size_t cap)
{
    ng_norm norm = {0};
    ng_scan_scratch scratch = {0};
    ng_match_vec v = {0};
    assert_int_equal(ng_normalize(&norm, text, strlen(text), NG_NORM_FOLD), NG_OK);
    assert_int_equal(ng_matcher_scan(matcher, &norm, text, strlen(text), &scratch, &v), NG_OK);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < v.count; i++) {
        size_t from = norm.map[v.items[i].start];
        size_t to = ng_norm_source_end(&norm, text, strlen(text), v.items[i].end - 1);
        const ng_entity *e = ng_dict_entity(dict, ng_dict_alias(dict, v.items[i].alias)->entity);
        n += (size_t)snprintf(out + n, cap - n, "%s%s:%.*s", i ? " " : "", e->key,
                              (int)(to - from), text + from);
    }
    ng_norm_destroy(&norm);
    ng_scan_scratch_destroy(&scratch);
    ng_match_vec_destroy(&v);
}

static void test_endings(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        /* Kazakh: case endings by harmony and final sound, chains */
        {"Қазақстанның тәуелсіздігі", "kazakhstan:Қазақстанның"},
        {"Қытаймен және Қытайдың", "china:Қытаймен china:Қытайдың"},
        {"ҚАЗАҚСТАНДАҒЫ", "kazakhstan:ҚАЗАҚСТАНДАҒЫ"},
        {"Қазақстанымыздың", "kazakhstan:Қазақстанымыздың"},
        {"Назарбаевтың", "nazarbayev:Назарбаевтың"},
        /* abbreviations take a hyphen: the ending is not part of the name */
        {"ҚР-ның", "kazakhstan:ҚР"},
        /* Russian: endings, and the last letter giving way */
        {"Казахстан и Китая, Китаем", "china:Китая china:Китаем"},
        {"из России в Россию", "russia:России russia:Россию"},
        {"Назарбаева", "nazarbayev:Назарбаева"},
        /* derived adjectives and other words are not mentions */
        {"қытайлық қазақстандық", ""},
        {"Китайский", ""},
        {"Chinas Chinatown", ""},
        {"Қытайлар", "china:Қытайлар"},
        /* vowel harmony: a back-vowel name takes back-vowel endings */
        {"Қытайдың Қытайдің", "china:Қытайдың"},
        {"Қазақстаннан Қазақстаннен", "kazakhstan:Қазақстаннан"},
        {"Назарбаевтің", "nazarbayev:Назарбаевтің"},
        /* the dictionary's hyphen before a small letter survives a joined line break */
        {"Жаңа-өзен, Жаңа-\nөзенде", "zhanaozen:Жаңа-өзен zhanaozen:Жаңа-\nөзенде"},
        /* the final sound: н after м н ң and vowels, д after й у р л з ж, т after voiceless */
        {"Қазақстандың Қытайның", ""},
        {"Қытайдан Қазақстаннан Қазақстандан", "china:Қытайдан kazakhstan:Қазақстаннан"},
        {"Назарбаевқа Назарбаевға", "nazarbayev:Назарбаевқа"},
    };
    char got[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        matches_of(cases[i].text, got, sizeof got);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: got '%s', want '%s'", cases[i].text, got, cases[i].want);
    }
}

static void test_tables(void **state)
{
    (void)state;
    assert_int_equal(ng_script_of_last_letter("kazakh", 6), NG_SCRIPT_LATIN);
    assert_int_equal(ng_script_of_last_letter("қазақ", strlen("қазақ")), NG_SCRIPT_CYRILLIC);
    assert_int_equal(ng_script_of_last_letter("24", 2), NG_SCRIPT_OTHER);
    assert_true(ng_suffixes_accept(suffixes, NG_SCRIPT_CYRILLIC, "қазақстан", strlen("қазақстан"), "ның", strlen("ның")));
    assert_false(ng_suffixes_accept(suffixes, NG_SCRIPT_CYRILLIC, "қытай", strlen("қытай"), "лық", strlen("лық")));
    assert_false(ng_suffixes_accept(suffixes, NG_SCRIPT_LATIN, "china", 5, "s", 1));
    /* a missing directory: no endings at all */
    ng_suffixes *none;
    assert_int_equal(ng_suffixes_load_dir(&none, "/nonexistent/suffixes"), NG_OK);
    assert_false(ng_suffixes_any(none, NG_SCRIPT_CYRILLIC));
    ng_suffixes_free(none);
    /* an ending with nothing left once normalised would match anywhere */
    char tmp[] = "/tmp/ng_test_suffix_XXXXXX", path[64];
    assert_non_null(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/xx.json", tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"nergraph_suffixes\": 1, \"script\": \"latin\", \"max_chain\": 1, \"min_stem\": 3, "
          "\"suffixes\": [\"s\", \"\\u0307\"]}", f);
    fclose(f);
    assert_int_equal(ng_suffixes_load_dir(&none, tmp), NG_EPARSE);
    ng_test_remove_tree(tmp);
}

/* A reference for ng_suffixes_accept read straight from the rules of a
 * bundled table (written normalised): every letter is looked up in the
 * table's strings, every ending's attributes worked out where it is tried. */
typedef struct rule_table {
    cJSON *root;
    const cJSON *suffixes, *closing, *harmony, *sound;
    const cJSON *possessive3, *possessive12; /* endings after which P, M hold */
    int max_chain;
} rule_table;

/* The bit of a class of what an ending may follow. */
static unsigned rule_bit(char c)
{
    static const char classes[] = "VRLNZTPM";
    return 1u << (strchr(classes, c) - classes);
}

/* Is the `n` bytes at `s` one of the strings of `arr` (NULL: none)? */
static int rule_listed(const cJSON *arr, const char *s, size_t n)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, arr)
        if (strlen(v->valuestring) == n && memcmp(v->valuestring, s, n) == 0)
            return 1;
    return 0;
}

/* Is the letter of `n` bytes at `s` in the string `name` of `obj`? */
static int rule_has(const cJSON *obj, const char *name, const char *s, size_t n)
{
    const cJSON *letters = cJSON_GetObjectItemCaseSensitive(obj, name);
    char letter[8] = {0};
    memcpy(letter, s, n);
    return cJSON_IsString(letters) && strstr(letters->valuestring, letter);
}

/* Where the letter that ends before offset `i` of `s` starts. */
static size_t rule_prev(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

/* The harmony of the letter of `n` bytes at `s`: 1 back, 2 front, 0 none. */
static int rule_vowel(const rule_table *t, const char *s, size_t n)
{
    return rule_has(t->harmony, "back", s, n) ? 1 : rule_has(t->harmony, "front", s, n) ? 2 : 0;
}

/* The harmony of a name: of its last vowel, either (0) if that is loose. */
static int rule_name_vowel(const rule_table *t, const char *s, size_t n)
{
    for (size_t i = n, p; i > 0; i = p) {
        p = rule_prev(s, i);
        if (rule_has(t->harmony, "loose_in_names", s + p, i - p))
            return 0;
        int v = rule_vowel(t, s + p, i - p);
        if (v)
            return v;
    }
    return 0;
}

/* The harmony of an ending: of its first vowel, none if it is invariant. */
static int rule_ending_vowel(const rule_table *t, const char *s, size_t n)
{
    if (rule_listed(cJSON_GetObjectItemCaseSensitive(t->harmony, "invariant"), s, n))
        return 0;
    int v = 0;
    for (size_t i = 0; i < n && !v; i += 2) /* the Cyrillic letters take two bytes */
        v = rule_vowel(t, s + i, 2);
    return v;
}

/* The final-sound classes of the last letter of `s`. */
static unsigned rule_sound(const rule_table *t, const char *s, size_t n)
{
    const cJSON *classes = cJSON_GetObjectItemCaseSensitive(t->sound, "classes");
    size_t p = rule_prev(s, n);
    unsigned bits = 0;
    for (const char *c = "VRLNZT"; *c; c++) {
        char name[2] = {*c, '\0'};
        if (rule_has(classes, name, s + p, n - p))
            bits |= rule_bit(*c);
    }
    return bits;
}

/* May ending `e` of `n` bytes follow a sound of classes `sound` (0: any)? */
static int rule_may_follow(const rule_table *t, const char *e, size_t n, unsigned sound)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(t->sound, "after"))
        if (strlen(a->string) == n && memcmp(a->string, e, n) == 0) {
            for (const char *c = a->valuestring; *c; c++)
                if (sound & rule_bit(*c))
                    return 1;
            return !sound;
        }
    return 1;
}

static int rule_chain(const rule_table *t, int vowel, unsigned sound, const char *tail, size_t len,
                      int depth)
{
    if (len == 0 || depth == 0)
        return len == 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, t->suffixes) {
        const char *e = v->valuestring;
        size_t n = strlen(e);
        int own = rule_ending_vowel(t, e, n);
        if (n > len || memcmp(e, tail, n) != 0 || (own && vowel && own != vowel) ||
            !rule_may_follow(t, e, n, sound) || (n < len && rule_listed(t->closing, e, n)))
            continue;
        unsigned next = rule_sound(t, e, n);
        if (rule_listed(t->possessive3, e, n))
            next = rule_bit('P');
        else if (rule_listed(t->possessive12, e, n))
            next |= rule_bit('M');
        if (rule_chain(t, own ? own : vowel, next, tail + n, len - n, depth - 1))
            return 1;
    }
    return 0;
}

static int rule_accept(const rule_table *tables, size_t count, const char *stem, const char *tail)
{
    size_t stem_len = strlen(stem), len = strlen(tail);
    for (size_t i = 0; i < count && len > 0; i++) {
        const rule_table *t = &tables[i];
        unsigned sound = rule_sound(t, stem, stem_len);
        const cJSON *v;
        cJSON_ArrayForEach(v, t->possessive3) {
            size_t n = strlen(v->valuestring);
            if (sound && n < stem_len && memcmp(stem + stem_len - n, v->valuestring, n) == 0)
                sound |= rule_bit('P'); /* Республикасы-на */
        }
        if (rule_chain(t, rule_name_vowel(t, stem, stem_len), sound, tail, len, t->max_chain))
            return 1;
    }
    return 0;
}

static void load_rules(rule_table *t, const char *file)
{
    char path[256], *buf;
    size_t len;
    snprintf(path, sizeof path, "%s/dictionaries/suffixes/%s", NG_SOURCE_DIR, file);
    assert_int_equal(ng_read_file(path, 1 << 20, &buf, &len), NG_OK);
    t->root = cJSON_ParseWithLength(buf, len);
    free(buf);
    assert_non_null(t->root);
    t->suffixes = cJSON_GetObjectItemCaseSensitive(t->root, "suffixes");
    t->closing = cJSON_GetObjectItemCaseSensitive(t->root, "closing");
    t->harmony = cJSON_GetObjectItemCaseSensitive(t->root, "harmony");
    t->sound = cJSON_GetObjectItemCaseSensitive(t->root, "final_sound");
    t->possessive3 = cJSON_GetObjectItemCaseSensitive(t->sound, "after_third_possessive");
    t->possessive12 = cJSON_GetObjectItemCaseSensitive(t->sound, "after_first_second_possessive");
    t->max_chain = cJSON_GetObjectItemCaseSensitive(t->root, "max_chain")->valueint;
}

/* Append a random Cyrillic letter to `s`. */
static void add_letter(char *s, uint32_t *seed)
{
    static const char letters[] = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
    strncat(s, letters + 2 * (ng_test_rand(seed) % (sizeof letters / 2)), 2);
}

/* The tables, compiled at load, agree with their rules on names of every
 * kind of final sound and last vowel followed by chains of their endings
 * and, now and then, a stray letter. */
static void test_against_rules(void **state)
{
    (void)state;
    static const char *const names[] = {
        "қазақстан", "қытай", "назарбаев", "республикасы", "университеті", "алматы",
        "ресей",     "мәскеу", "ақтөбе",   "түркия",       "конфуций",     "жаңаөзен",
        "тараз",     "орал",  "шымкент",  "өзбекстан",    "бишкек",       "росси",
    };
    rule_table rules[2]; /* the Cyrillic tables */
    load_rules(&rules[0], "kk.json");
    load_rules(&rules[1], "ru.json");
    uint32_t seed = 2024;
    int cases = 20000, accepted = 0;
    for (int c = 0; c < cases; c++) {
        char stem[64] = "", tail[160] = "";
        if (ng_test_rand(&seed) % 4)
            strcpy(stem, names[ng_test_rand(&seed) % (sizeof names / sizeof *names)]);
        else
            for (unsigned k = 3 + ng_test_rand(&seed) % 4; k > 0; k--)
                add_letter(stem, &seed);
        for (unsigned k = 1 + ng_test_rand(&seed) % 3; k > 0; k--) {
            const cJSON *endings = rules[ng_test_rand(&seed) % 4 == 0].suffixes;
            int pick = (int)(ng_test_rand(&seed) % (unsigned)cJSON_GetArraySize(endings));
            if (ng_test_rand(&seed) % 8 == 0)
                add_letter(tail, &seed);
            else
                strcat(tail, cJSON_GetArrayItem(endings, pick)->valuestring);
        }
        int want = rule_accept(rules, 2, stem, tail);
        int got = ng_suffixes_accept(suffixes, NG_SCRIPT_CYRILLIC, stem, strlen(stem), tail,
                                     strlen(tail));
        if (got != want)
            fail_msg("%s + %s: got %d, want %d", stem, tail, got, want);
        accepted += want;
    }
    print_message("%d of %d accepted\n", accepted, cases);
    assert_true(accepted > cases / 10 && accepted < cases * 9 / 10);
    cJSON_Delete(rules[0].root);
    cJSON_Delete(rules[1].root);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endings),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_against_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
