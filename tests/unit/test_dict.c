/* test_dict.c: stage 5, loading and checking the entity dictionaries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a temporary dictionary directory per test ---- */

typedef struct fixture {
    char dir[256];
} fixture;

static int make_dir(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/ng_test_dict_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* Remove everything in `dir` (between the cases of one test). */
static void clear_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            clear_dir(path);
            rmdir(path);
        } else {
            unlink(path);
        }
    }
    closedir(dh);
}

static void remove_tree(const char *dir)
{
    clear_dir(dir);
    rmdir(dir);
}

static int remove_dir(void **state)
{
    fixture *f = *state;
    remove_tree(f->dir);
    free(f);
    return 0;
}

static void write_file(const char *dir, const char *name, const char *content, size_t len)
{
    char path[512];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < sizeof path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void write_str(const char *dir, const char *name, const char *content)
{
    write_file(dir, name, content, strlen(content));
}


/* 1-based line and column (in characters) of the `nth` occurrence of
 * `needle` in `text`, computed here independently of the library. */
static void position_of(const char *text, const char *needle, int nth, size_t *line,
                        size_t *col)
{
    const char *p = text;
    for (int i = 0;; i++) {
        p = strstr(p, needle);
        assert_non_null(p);
        if (i == nth)
            break;
        p++;
    }
    size_t l = 1, c = 1;
    for (const char *q = text; q < p; q++) {
        if (*q == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* ---- a valid dictionary in two files ---- */

static const char people_json[] =
    "{\n"
    "  \"nergraph_dictionary\": 1,\n"
    "  \"entities\": [\n"
    "    {\"key\": \"tokayev\", \"label\": \"Kassym-Jomart Tokayev\", \"category\": \"person\",\n"
    "     \"aliases\": [\n"
    "       {\"text\": \"Qassym-Jomart Toqayev\", \"lang\": \"en\"},\n"
    "       {\"text\": \"Тоқаев\", \"lang\": \"kk\"},\n"
    "       {\"text\": \"Токаев\", \"lang\": \"ru\"}],\n"
    "     \"roles\": [{\"title\": \"President of Kazakhstan\", \"from\": \"2019-03-20\"},\n"
    "               {\"title\": \"Chairman of the Senate\", \"from\": \"2007\", \"to\": "
    "\"2011\"},\n"
    "               {\"title\": \"Diplomat\"},\n"
    "               {\"title\": \"Prime Minister\", \"to\": \"2002\"}]},\n"
    "    {\"key\": \"un\", \"label\": \"United Nations\", \"category\": \"organization\",\n"
    "     \"aliases\": [{\"text\": \"UN\", \"lang\": \"en\"},\n"
    "                 {\"text\": \"ООН\", \"lang\": \"ru\"},\n"
    "                 {\"text\": \"United Nations\", \"lang\": \"en\"}]}\n"
    "  ]\n"
    "}\n";

static const char states_json[] =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    " {\"key\": \"kz1\", \"label\": \"Kazakhstan one\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Kazakhstan One\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"kz\", \"label\": \"Kazakhstan\", \"category\": \"state\",\n"
    "  \"aliases\": [\n"
    "   {\"text\": \"Republic of Kazakhstan\", \"lang\": \"en\"},\n"
    "   {\"text\": \"Kazakhstan\", \"lang\": \"en\"},\n"
    "   {\"text\": \"КАЗАҚСТАН\", \"lang\": \"kk\"},\n"
    "   {\"text\": \"Қазақстан\", \"lang\": \"kk\"},\n"
    "   {\"text\": \"Kazakistan’ın\", \"lang\": \"tr\"},\n"
    "   {\"text\": \"ҚР\", \"lang\": \"kk\"},\n"
    "   {\"text\": \"Kazakh\", \"lang\": \"en\", \"demonym\": true},\n"
    "   {\"text\": \"Ёлка  Республика\", \"lang\": \"ru\", \"case_sensitive\": true}],\n"
    "  \"facts\": {\"capital\": \"Astana\", \"iso_code\": \"KZ\", \"motto\": \"Бірлік\"}},\n"
    " {\"key\": \"kz-almaty\", \"label\": \"Almaty\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Almaty\", \"lang\": \"en\"}, {\"text\": \"İSTANBUL\", "
    "\"lang\": \"tr\"}]},\n"
    " {\"key\": \"cn\", \"label\": \"China\", \"category\": \"state\",\n"
    "  \"aliases\": [{\"text\": \"China\", \"lang\": \"en\"}, {\"text\": \"中国\", \"lang\": "
    "\"zh\"}]}\n"
    "]}\n";

typedef struct want_alias {
    const char *text, *lang, *norm, *cased;
    uint32_t flags;
} want_alias;

typedef struct want_entity {
    const char *key, *label;
    ng_category category;
    const char *roles;
    size_t fact_count;
    want_alias aliases[10];
} want_entity;

#define CS NG_ALIAS_CASE_SENSITIVE
#define DEM NG_ALIAS_DEMONYM

/* Ids follow the byte order of the keys ("kz-almaty" < "kz1": '-' < '1'),
 * not the order of files or entries; aliases within an entity are ordered
 * by text. */
static const want_entity want_entities[] = {
    {"cn", "China", NG_CATEGORY_STATE, NULL, 0,
     {{"China", "en", "china", "China", 0}, {"中国", "zh", "中国", "中国", 0}}},
    {"kz", "Kazakhstan", NG_CATEGORY_STATE, NULL, 3,
     {{"Kazakh", "en", "kazakh", "Kazakh", DEM},
      {"Kazakhstan", "en", "kazakhstan", "Kazakhstan", 0},
      {"Kazakistan’ın", "tr", "kazakistan'in", "Kazakistan'ın", 0},
      {"Republic of Kazakhstan", "en", "republic of kazakhstan", "Republic of Kazakhstan", 0},
      {"Ёлка  Республика", "ru", "елка республика", "Ёлка Республика", CS},
      {"КАЗАҚСТАН", "kk", "казақстан", "КАЗАҚСТАН", 0},
      {"ҚР", "kk", "қр", "ҚР", CS},
      {"Қазақстан", "kk", "қазақстан", "Қазақстан", 0}}},
    {"kz-almaty", "Almaty", NG_CATEGORY_PLACE, NULL, 0,
     {{"Almaty", "en", "almaty", "Almaty", 0}, {"İSTANBUL", "tr", "istanbul", "İSTANBUL", 0}}},
    {"kz1", "Kazakhstan one", NG_CATEGORY_PLACE, NULL, 0,
     {{"Kazakhstan One", "en", "kazakhstan one", "Kazakhstan One", 0}}},
    {"tokayev", "Kassym-Jomart Tokayev", NG_CATEGORY_PERSON,
     "President of Kazakhstan (2019-03-20); Chairman of the Senate (2007 to 2011); Diplomat; "
     "Prime Minister (to 2002)",
     0,
     {{"Qassym-Jomart Toqayev", "en", "qassym-jomart toqayev", "Qassym-Jomart Toqayev", 0},
      {"Токаев", "ru", "токаев", "Токаев", 0}, /* к (D0 BA) before қ (D2 9B) */
      {"Тоқаев", "kk", "тоқаев", "Тоқаев", 0}}},
    {"un", "United Nations", NG_CATEGORY_ORGANIZATION, NULL, 0,
     {{"UN", "en", "un", "UN", CS},
      {"United Nations", "en", "united nations", "United Nations", 0},
      {"ООН", "ru", "оон", "ООН", CS}}},
};

static void test_valid_dictionary(void **state)
{
    fixture *f = *state;
    write_str(f->dir, "b_states.json", states_json);
    write_str(f->dir, "a_people.json", people_json);
    write_str(f->dir, "README.md", "not a dictionary");
    write_str(f->dir, ".hidden.json", "not even JSON");
    write_str(f->dir, "old.json.bak", "not even JSON");
    ng_dict *d = NULL;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
    assert_non_null(d);
    size_t n = sizeof want_entities / sizeof *want_entities;
    assert_int_equal(ng_dict_entity_count(d), n);
    size_t alias_total = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; want_entities[i].aliases[a].text; a++)
            alias_total++;
    assert_int_equal(ng_dict_alias_count(d), alias_total);

    uint32_t next_alias = 0;
    for (uint32_t id = 0; id < n; id++) {
        const want_entity *w = &want_entities[id];
        const ng_entity *e = ng_dict_entity(d, id);
        assert_string_equal(e->key, w->key);
        assert_string_equal(e->label, w->label);
        assert_int_equal(e->category, w->category);
        if (w->roles)
            assert_string_equal(e->roles, w->roles);
        else
            assert_null(e->roles);
        assert_int_equal(e->fact_count, w->fact_count);
        assert_int_equal(ng_dict_find(d, w->key), id);
        for (size_t a = 0; w->aliases[a].text; a++) {
            const want_alias *wa = &w->aliases[a];
            const ng_alias *al = ng_dict_alias(d, next_alias++);
            assert_int_equal(al->entity, id);
            assert_string_equal(al->text, wa->text);
            assert_string_equal(al->lang, wa->lang);
            assert_string_equal(al->norm, wa->norm);
            assert_int_equal(al->norm_len, strlen(wa->norm));
            assert_string_equal(al->cased, wa->cased);
            assert_int_equal(al->cased_len, strlen(wa->cased));
            if (al->flags != wa->flags)
                fail_msg("alias \"%s\": flags %u, want %u", wa->text, al->flags, wa->flags);
        }
    }
    /* facts, in file order */
    const ng_entity *kz = ng_dict_entity(d, 1);
    assert_string_equal(kz->facts[0].name, "capital");
    assert_string_equal(kz->facts[0].value, "Astana");
    assert_string_equal(kz->facts[1].name, "iso_code");
    assert_string_equal(kz->facts[1].value, "KZ");
    assert_string_equal(kz->facts[2].name, "motto");
    assert_string_equal(kz->facts[2].value, "Бірлік");
    assert_int_equal(ng_dict_find(d, "kz2"), -1);
    assert_int_equal(ng_dict_find(d, ""), -1);
    assert_int_equal(ng_dict_find(d, "zz"), -1);
    assert_int_equal(ng_dict_find(d, "a"), -1);
    ng_dict_free(d);
    ng_dict_free(NULL);
}

/* Whatever the order of files and entries, the same ids. */
static void test_order_independent(void **state)
{
    fixture *f = *state;
    static const char *const keys[] = {"zeta", "alpha", "kz-b", "kz", "kz1", "0day", "kz-a"};
    enum { K = sizeof keys / sizeof *keys };
    static const char *const sorted[K] = {"0day", "alpha", "kz", "kz-a", "kz-b", "kz1", "zeta"};
    for (int layout = 0; layout < 3; layout++) {
        clear_dir(f->dir);
        char buf[4096];
        for (size_t i = 0; i < K; i++) {
            /* layout 0: one file per entity; 1: all in one file; 2: reversed names */
            char name[64];
            if (layout == 1 && i > 0)
                continue;
            snprintf(name, sizeof name, "%c_%s.json", layout == 2 ? (char)('z' - i) : 'a',
                     keys[i]);
            size_t o = (size_t)snprintf(buf, sizeof buf,
                                        "{\"nergraph_dictionary\": 1, \"entities\": [");
            for (size_t j = (layout == 1 ? 0 : i); j < (layout == 1 ? K : i + 1); j++)
                o += (size_t)snprintf(buf + o, sizeof buf - o,
                                      "%s{\"key\": \"%s\", \"label\": \"L %s\", \"category\": "
                                      "\"place\", \"aliases\": [{\"text\": \"Alias %s\", "
                                      "\"lang\": \"en\"}]}",
                                      j == (layout == 1 ? 0 : i) ? "" : ", ", keys[j], keys[j],
                                      keys[j]);
            snprintf(buf + o, sizeof buf - o, "]}\n");
            write_str(f->dir, name, buf);
        }
        ng_dict *d;
        assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
        assert_int_equal(ng_dict_entity_count(d), K);
        for (uint32_t id = 0; id < K; id++) {
            assert_string_equal(ng_dict_entity(d, id)->key, sorted[id]);
            const ng_alias *al = ng_dict_alias(d, id);
            assert_int_equal(al->entity, id);
            char want[64];
            snprintf(want, sizeof want, "Alias %s", sorted[id]);
            assert_string_equal(al->text, want);
        }
        ng_dict_free(d);
    }
}

/* ---- the acronym rule ---- */

typedef struct acronym_case {
    const char *text;
    const char *extra; /* extra members, or "" */
    int case_sensitive;
} acronym_case;

static const acronym_case acronym_cases[] = {
    {"US", "", 1},
    {"UN", "", 1},
    {"ҚР", "", 1},
    {"ШОС", "", 1},
    {"NATO", "", 1},
    {"U.S.", "", 1},
    {"ABCDE", "", 1},   /* five letters: still an acronym */
    {"ABCDEF", "", 0},  /* six: a word in capitals */
    {"UNESCO", "", 0},
    {"ҚАЗАҚСТАН", "", 0},
    {"2GIS", "", 1},    /* digits do not count as letters */
    {"G7", "", 1},
    {"Us", "", 0},      /* a lower-case letter: not an acronym */
    {"ҚРқ", "", 0},
    {"中国", "", 0},    /* no capital letters at all */
    {"2019", "", 0},
    {"US", ", \"case_sensitive\": false", 0},
    {"NATO", ", \"case_sensitive\": false", 0},
    {"Kazakhstan", ", \"case_sensitive\": true", 1},
    {"UNESCO", ", \"case_sensitive\": true", 1},
};

static void test_acronym_rule(void **state)
{
    fixture *f = *state;
    char buf[512];
    for (size_t c = 0; c < sizeof acronym_cases / sizeof *acronym_cases; c++) {
        const acronym_case *ac = &acronym_cases[c];
        snprintf(buf, sizeof buf,
                 "{\"nergraph_dictionary\": 1, \"entities\": [{\"key\": \"x\", \"label\": \"X\", "
                 "\"category\": \"organization\", \"aliases\": [{\"text\": \"%s\", \"lang\": "
                 "\"und\"%s}]}]}",
                 ac->text, ac->extra);
        write_str(f->dir, "d.json", buf);
        ng_dict *d;
        assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
        const ng_alias *al = ng_dict_alias(d, 0);
        if (!!(al->flags & NG_ALIAS_CASE_SENSITIVE) != ac->case_sensitive)
            fail_msg("\"%s\"%s: case sensitive %d, want %d", ac->text, ac->extra,
                     !!(al->flags & NG_ALIAS_CASE_SENSITIVE), ac->case_sensitive);
        assert_int_equal(al->flags & NG_ALIAS_DEMONYM, 0);
        ng_dict_free(d);
    }
}

/* ---- the hash covers file names and bytes, not the directory ---- */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void test_hash(void **state)
{
    fixture *f = *state;
    write_str(f->dir, "b_states.json", states_json);
    write_str(f->dir, "a_people.json", people_json);
    uint64_t want = 0xcbf29ce484222325ULL;
    want = fnv1a(want, "a_people.json", sizeof "a_people.json");
    want = fnv1a(want, people_json, sizeof people_json - 1);
    want = fnv1a(want, "b_states.json", sizeof "b_states.json");
    want = fnv1a(want, states_json, sizeof states_json - 1);
    ng_dict *d;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
    assert_true(ng_dict_hash(d) == want);
    ng_dict_free(d);

    /* the same files elsewhere: the same hash */
    char sub[512];
    snprintf(sub, sizeof sub, "%s/elsewhere", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_str(sub, "b_states.json", states_json);
    write_str(sub, "a_people.json", people_json);
    assert_int_equal(ng_dict_load_dir(&d, sub), NG_OK);
    assert_true(ng_dict_hash(d) == want);
    ng_dict_free(d);

    /* one byte of white space more: another hash */
    char *longer = malloc(sizeof states_json + 1);
    assert_non_null(longer);
    memcpy(longer, states_json, sizeof states_json - 1);
    longer[sizeof states_json - 1] = '\n';
    write_file(sub, "b_states.json", longer, sizeof states_json);
    free(longer);
    assert_int_equal(ng_dict_load_dir(&d, sub), NG_OK);
    assert_true(ng_dict_hash(d) != want);
    ng_dict_free(d);
}

/* ---- errors, each with its exact message ---- */

typedef struct error_case {
    const char *json;   /* written as d.json */
    ng_status status;
    const char *needle; /* where the message must point (NULL: no position) */
    int nth;            /* which occurrence of the needle */
    const char *message;
} error_case;

#define HEAD "{\"nergraph_dictionary\": 1,\n \"entities\": [\n"
#define TAIL "\n ]}\n"
#define ALIASES "\"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\"}]"

static const error_case error_cases[] = {
    /* syntax */
    {HEAD "  {\"key\": \"kz\" \"label\": \"K\"}" TAIL, NG_EPARSE, "\"label\"", 0, "invalid JSON"},
    {HEAD "  {\"key\": \"kz\"},\n ]}", NG_EPARSE, "]}", 0, "invalid JSON"},
    {HEAD "  {\"key\": \"kz\", \"label\": }" TAIL, NG_EPARSE, "}", 0, "invalid JSON"},
    {"", NG_EPARSE, NULL, 0, "1:1: invalid JSON"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES "}" TAIL
          "{\"extra\": 1}\n",
     NG_EPARSE, "{\"extra\"", 0, "invalid JSON (text after the dictionary)"},
    /* types */
    {HEAD "  {\"key\": \"kz\", \"label\": 5, \"category\": \"state\", " ALIASES "}" TAIL,
     NG_EPARSE, "5,", 0, "\"label\" must be a string"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": {\"text\": \"Kazakhstan\", \"lang\": \"en\"}}" TAIL,
     NG_EPARSE, "{\"text\"", 0, "\"aliases\" must be a non-empty array"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", \"aliases\": []}" TAIL,
     NG_EPARSE, "[]", 0, "\"aliases\" must be a non-empty array"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [\"Kazakhstan\"]}" TAIL,
     NG_EPARSE, "\"Kazakhstan\"", 0, "an alias must be an object with \"text\" and \"lang\""},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\", \"demonym\": \"yes\"}]}"
          TAIL,
     NG_EPARSE, "\"yes\"", 0, "\"demonym\" must be true or false"},
    {HEAD "  [\"kz\"]" TAIL, NG_EPARSE, "[\"kz\"]", 0, "an entity must be an object"},
    {"[1, 2]", NG_EPARSE, NULL, 0, "1:1: a dictionary must be a JSON object"},
    {"{\"nergraph_dictionary\": 2, \"entities\": []}", NG_EPARSE, "2,", 0,
     "\"nergraph_dictionary\" must be 1"},
    {"{\"entities\": []}", NG_EPARSE, NULL, 0, "1:1: \"nergraph_dictionary\" must be 1"},
    {"{\"nergraph_dictionary\": 1, \"entities\": {}}", NG_EPARSE, "{}", 0,
     "\"entities\" must be an array"},
    /* missing members */
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\"}" TAIL, NG_EPARSE,
     "{\"key\"", 0, "missing member \"aliases\""},
    {HEAD "  {\"key\": \"kz\", \"category\": \"state\", " ALIASES "}" TAIL, NG_EPARSE,
     "{\"key\"", 0, "missing member \"label\""},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"Kazakhstan\"}]}" TAIL,
     NG_EPARSE, "{\"text\"", 0, "missing member \"lang\""},
    /* values */
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\"},\n"
          "                 {\"text\": \"\", \"lang\": \"kk\"}]}" TAIL,
     NG_EPARSE, "\"\"", 0, "\"text\" is empty"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"country\", " ALIASES "}" TAIL,
     NG_EPARSE, "\"country\"", 0,
     "unknown category \"country\" (person state organization place)"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"Қазақстан\", \"lang\": \"kz\"}]}" TAIL,
     NG_EPARSE, "\"kz\"", 1, "unknown language \"kz\" (en kk ru tr ug zh und)"},
    {HEAD "  {\"key\": \"KZ\", \"label\": \"K\", \"category\": \"state\", " ALIASES "}" TAIL,
     NG_EPARSE, "\"KZ\"", 0, "key \"KZ\" must match [a-z0-9][a-z0-9-]*"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\xC3\", \"category\": \"state\", " ALIASES "}" TAIL,
     NG_EPARSE, "\"K\xC3\"", 0, "\"label\" is not valid UTF-8"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \" Kazakhstan\", \"lang\": \"en\"}]}" TAIL,
     NG_EPARSE, "\" Kazakhstan\"", 0, "alias \" Kazakhstan\" has leading or trailing spaces"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"\xC2\xAD\xE2\x80\x8B\", \"lang\": \"en\"}]}" TAIL,
     NG_EPARSE, "\"\xC2\xAD", 0, "alias \"\xC2\xAD\xE2\x80\x8B\" normalises to nothing"},
    /* members */
    {HEAD "  {\"key\": \"kz\", \"lable\": \"K\", \"category\": \"state\", " ALIASES "}" TAIL,
     NG_EPARSE, "\"K\"", 0, "unknown member \"lable\" in entity"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\", \"demonyn\": true}]}"
          TAIL,
     NG_EPARSE, "true", 0, "unknown member \"demonyn\" in alias"},
    {"{\"nergraph_dictionary\": 1, \"entities\": [], \"version\": 3}", NG_EPARSE, "3}", 0,
     "unknown member \"version\" in dictionary"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"label\": \"Kazakhstan\", " ALIASES "}" TAIL,
     NG_EPARSE, "\"Kazakhstan\"", 0, "duplicate member \"label\" in entity"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
          "   \"aliases\": [{\"text\": \"A\", \"lang\": \"en\", \"text\": \"B\"}]}" TAIL,
     NG_EPARSE, "\"B\"", 0, "duplicate member \"text\" in alias"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"facts\": {\"capital\": \"Astana\", \"capital\": \"Almaty\"}}" TAIL,
     NG_EPARSE, "\"Almaty\"", 0, "duplicate member \"capital\" in facts"},
    /* facts and roles */
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"facts\": {\"label\": \"Astana\"}}" TAIL,
     NG_EPARSE, "\"Astana\"", 0,
     "fact name \"label\" must match [a-z][a-z0-9_]* and not be a name nergraph writes itself"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"facts\": {\"Capital\": \"Astana\"}}" TAIL,
     NG_EPARSE, "\"Astana\"", 0,
     "fact name \"Capital\" must match [a-z][a-z0-9_]* and not be a name nergraph writes "
     "itself"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"facts\": {\"population\": 19000000}}" TAIL,
     NG_EPARSE, "19000000", 0, "fact \"population\" must be a non-empty string"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"facts\": {\"capital\": \"Ast\xE1na\"}}" TAIL,
     NG_EPARSE, "\"Ast", 0, "fact \"capital\" is not valid UTF-8"},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"roles\": [{\"title\": \"President\"}, {\"from\": \"1991\"}]}" TAIL,
     NG_EPARSE, "{\"from\"", 0, "missing member \"title\""},
    {HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES ",\n"
          "   \"roles\": {\"title\": \"President\"}}" TAIL,
     NG_EPARSE, "{\"title\"", 0, "\"roles\" must be an array"},
    /* context rules */
#define CTX(rule) HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n" \
    "   \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\",\n" \
    "                 \"context\": " rule "}]}" TAIL
    {CTX("[\"city\"]"), NG_EPARSE, "[\"city\"]", 0,
     "\"context\" must be an object with \"require\" or \"exclude\""},
    {CTX("{\"window\": 2}"), NG_EPARSE, "{\"window\"", 0,
     "\"context\" needs \"require\" or \"exclude\""},
    {CTX("{\"require\": [\"city\"], \"near\": 2}"), NG_EPARSE, "2}", 0,
     "unknown member \"near\" in context"},
    {CTX("{\"require\": \"city\"}"), NG_EPARSE, "\"city\"", 0,
     "\"require\" must be a non-empty array of words or phrases"},
    {CTX("{\"exclude\": []}"), NG_EPARSE, "[]", 0,
     "\"exclude\" must be a non-empty array of words or phrases"},
    {CTX("{\"require\": [\"city\", 3]}"), NG_EPARSE, "3]", 0,
     "a context phrase must be a non-empty string"},
    {CTX("{\"require\": [\"city\", \"\\u200b\"]}"), NG_EPARSE, "\"\\u200b", 0,
     "context phrase \"\xE2\x80\x8B\" normalises to nothing"},
    {CTX("{\"require\": [\"city\"], \"window\": 0}"), NG_EPARSE, "0}", 0,
     "\"window\" must be a whole number of words from 1 to 50"},
    {CTX("{\"require\": [\"city\"], \"window\": 2.5}"), NG_EPARSE, "2.5", 0,
     "\"window\" must be a whole number of words from 1 to 50"},
    {CTX("{\"require\": [\"city\"], \"side\": \"left\"}"), NG_EPARSE, "\"left\"", 0,
     "\"side\" must be \"before\" or \"after\" (omitted: both)"},
    /* no entities */
    {"{\"nergraph_dictionary\": 1, \"entities\": []}\n", NG_EPARSE, NULL, 0,
     "1:1: no entities in any dictionary file"},
    /* a byte-order mark */
    {"\xEF\xBB\xBF{\"nergraph_dictionary\": 1, \"entities\": [{\"key\": \"kz\", \"label\": "
     "\"K\", \"category\": \"state\", " ALIASES "}]}",
     NG_EPARSE, NULL, 0, "1:1: byte-order mark not allowed (save as UTF-8 without BOM)"},
};

/* Load `dir` holding only `name` with `content`: it must fail with `status`
 * and exactly the message `want` (case `c` of a table). */
static void expect_load_error(const char *dir, const char *name, const char *content,
                              ng_status status, const char *want, size_t c)
{
    clear_dir(dir);
    write_str(dir, name, content);
    ng_dict *d = (ng_dict *)1;
    ng_error_clear();
    ng_status st = ng_dict_load_dir(&d, dir);
    if (st != status || strcmp(ng_error_message(), want) != 0)
        fail_msg("case %zu: status %d \"%s\", want %d \"%s\"", c, st, ng_error_message(),
                 status, want);
    assert_null(d);
    assert_int_equal(ng_error_code(), status);
}

static void test_errors(void **state)
{
    fixture *f = *state;
    for (size_t c = 0; c < sizeof error_cases / sizeof *error_cases; c++) {
        const error_case *ec = &error_cases[c];
        char want[1024];
        if (ec->needle) {
            size_t line, col;
            position_of(ec->json, ec->needle, ec->nth, &line, &col);
            snprintf(want, sizeof want, "%s/d.json:%zu:%zu: %s", f->dir, line, col,
                     ec->message);
        } else {
            snprintf(want, sizeof want, "%s/d.json%s%s", f->dir,
                     ec->message[0] >= '0' && ec->message[0] <= '9' ? ":" : ": ",
                     ec->message);
        }
        expect_load_error(f->dir, "d.json", ec->json, ec->status, want, c);
    }
}

/* The hand-counted position of one error, so position_of is checked too. */
static void test_error_position_by_hand(void **state)
{
    fixture *f = *state;
    write_str(f->dir, "d.json",
              "{\"nergraph_dictionary\": 1,\n"
              " \"entities\": [\n"
              "  {\"key\": \"kz\", \"label\": 5, \"category\": \"state\",\n"
              "   \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\"}]}\n"
              " ]}\n");
    ng_dict *d;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    char want[512];
    snprintf(want, sizeof want, "%s/d.json:3:26: \"label\" must be a string", f->dir);
    assert_string_equal(ng_error_message(), want);

    /* columns count characters, not bytes */
    write_str(f->dir, "d.json",
              "{\"nergraph_dictionary\": 1, \"entities\": [\n"
              "  {\"key\": \"kz\", \"label\": \"Қазақстан\", \"category\": \"мемлекет\",\n"
              "   \"aliases\": [{\"text\": \"Қазақстан\", \"lang\": \"kk\"}]}]}\n");
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    snprintf(want, sizeof want,
             "%s/d.json:2:51: unknown category \"мемлекет\" (person state organization place)",
             f->dir);
    assert_string_equal(ng_error_message(), want);
}

static void test_limits(void **state)
{
    fixture *f = *state;
    char buf[8192], want[1024];
    /* 100 x "Қ" is exactly 200 bytes: allowed */
    char alias[512];
    size_t n = 0;
    for (int i = 0; i < 100; i++) {
        memcpy(alias + n, "Қ", 2);
        n += 2;
    }
    alias[n] = '\0';
    snprintf(buf, sizeof buf, HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
                              "   \"aliases\": [{\"text\": \"%s\", \"lang\": \"kk\"}]}" TAIL,
             alias);
    write_str(f->dir, "d.json", buf);
    ng_dict *d;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
    assert_int_equal(ng_dict_alias(d, 0)->norm_len, 200);
    ng_dict_free(d);

    /* 201 bytes: over the bound */
    strcat(alias, "x");
    snprintf(buf, sizeof buf, HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
                              "   \"aliases\": [{\"text\": \"%s\", \"lang\": \"kk\"}]}" TAIL,
             alias);
    write_str(f->dir, "d.json", buf);
    /* docs/ARCHITECTURE.md#limits: NG_EPARSE with file:line:col */
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    assert_null(d);
    size_t line, col;
    position_of(buf, "\"ҚҚ", 0, &line, &col);
    snprintf(want, sizeof want, "%s/d.json:%zu:%zu: alias longer than 200 bytes", f->dir, line,
             col);
    assert_string_equal(ng_error_message(), want);

    /* 1001 aliases for one entity */
    size_t cap = 64 * 1024, o = 0;
    char *big = malloc(cap);
    assert_non_null(big);
    o += (size_t)snprintf(big + o, cap - o,
                          HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
                               "   \"aliases\": [");
    for (int i = 0; i <= 1000; i++)
        o += (size_t)snprintf(big + o, cap - o, "%s{\"text\": \"A%d\", \"lang\": \"en\"}",
                              i ? ", " : "", i);
    snprintf(big + o, cap - o, "]}" TAIL);
    write_str(f->dir, "d.json", big);
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    position_of(big, "[{\"text\": \"A0\"", 0, &line, &col);
    snprintf(want, sizeof want, "%s/d.json:%zu:%zu: more than 1000 aliases", f->dir, line, col);
    assert_string_equal(ng_error_message(), want);
    free(big);
}

static void test_duplicate_key_across_files(void **state)
{
    fixture *f = *state;
    static const char a[] = HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
                                 "   " ALIASES "}" TAIL;
    static const char b[] =
        HEAD "  {\"key\": \"cn\", \"label\": \"China\", \"category\": \"state\",\n"
             "   \"aliases\": [{\"text\": \"China\", \"lang\": \"en\"}]},\n"
             "  {\"key\": \"kz\", \"label\": \"Qazaqstan\", \"category\": \"state\",\n"
             "   \"aliases\": [{\"text\": \"Qazaqstan\", \"lang\": \"kk\"}]}" TAIL;
    write_str(f->dir, "a.json", a);
    write_str(f->dir, "b.json", b);
    ng_dict *d = NULL;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    assert_null(d);
    char want[512];
    snprintf(want, sizeof want, "%s/b.json:5:11: duplicate entity key \"kz\"", f->dir);
    assert_string_equal(ng_error_message(), want);

    /* Named the other way round, the definition in b.json comes first. */
    clear_dir(f->dir);
    write_str(f->dir, "a.json", b);
    write_str(f->dir, "b.json", a);
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    snprintf(want, sizeof want, "%s/b.json:3:11: duplicate entity key \"kz\"", f->dir);
    assert_string_equal(ng_error_message(), want);

    /* Twice in one file: the second one. */
    clear_dir(f->dir);
    static const char twice[] =
        HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES "},\n"
             "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES "}" TAIL;
    write_str(f->dir, "d.json", twice);
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    snprintf(want, sizeof want, "%s/d.json:4:11: duplicate entity key \"kz\"", f->dir);
    assert_string_equal(ng_error_message(), want);
}

static void test_directory_errors(void **state)
{
    fixture *f = *state;
    ng_dict *d = (ng_dict *)1;
    char want[1024];
    /* no *.json at all */
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EIO);
    assert_null(d);
    snprintf(want, sizeof want, "%s: no dictionary files (*.json, *.jsonl, *.csv, *.tsv)", f->dir);
    assert_string_equal(ng_error_message(), want);
    write_str(f->dir, "notes.txt", "{}");
    write_str(f->dir, ".hidden.json", "{}");
    write_str(f->dir, "x.json.orig", "{}");
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EIO);
    assert_string_equal(ng_error_message(), want);

    /* a directory that does not exist */
    char missing[512];
    snprintf(missing, sizeof missing, "%s/missing", f->dir);
    assert_int_equal(ng_dict_load_dir(&d, missing), NG_EIO);
    snprintf(want, sizeof want, "%s: cannot read dictionary directory: No such file or directory",
             missing);
    assert_string_equal(ng_error_message(), want);

    /* a *.json that cannot be read (a directory) */
    char sub[512];
    snprintf(sub, sizeof sub, "%s/sub.json", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EIO);
    assert_null(d);
    snprintf(want, sizeof want, "%s: read failed", sub);
    assert_string_equal(ng_error_message(), want);
}

/* An error in the second file after a valid first one frees everything. */
static void test_error_after_valid_file(void **state)
{
    fixture *f = *state;
    write_str(f->dir, "a_people.json", people_json);
    write_str(f->dir, "b_states.json", states_json);
    write_str(f->dir, "c_bad.json", HEAD "  {\"key\": \"x\"" TAIL);
    ng_dict *d = (ng_dict *)1;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    assert_null(d);
    char want[512];
    snprintf(want, sizeof want, "%s/c_bad.json:4:2: invalid JSON", f->dir);
    assert_string_equal(ng_error_message(), want);
}

/* ---- spreadsheets (CSV, TSV) and JSON Lines ---- */

static void test_tables_and_lines(void **state)
{
    fixture *f = *state;
    /* CRLF, a BOM, quoted cells with commas, doubled quotes and a line break,
     * rows of one key apart from each other, columns in any order */
    write_str(f->dir, "a.csv",
              "\xEF\xBB\xBFkey,label,category,language,alias\r\n"
              "kz,Kazakhstan,state,en,Kazakhstan\r\n"
              "uof,\"Uyghurstan Organization for Freedom, the\",organization,en,"
              "\"The \"\"Uyghurstan\"\" Organization\nfor Freedom\"\r\n"
              "\r\n"
              "kz,Kazakhstan,state,kk,Қазақстан\r\n");
    write_str(f->dir, "b.tsv",
              "alias\tkey\tlabel\tcategory\tlanguage\n"
              "Китай\tcn\tChina\tstate\tru\n"
              "\"Chi\"\tcn\tChina\tstate\ten\n");
    write_str(f->dir, "c.jsonl",
              "{\"key\": \"ru\", \"label\": \"Russia\", \"category\": \"state\", "
              "\"aliases\": [{\"text\": \"Russia\", \"lang\": \"en\"}], \"facts\": {\"iso3166\": \"RU\"}}\n"
              "\n"
              "{\"key\": \"tr\", \"label\": \"Turkey\", \"category\": \"state\", "
              "\"aliases\": [{\"text\": \"Türkiye\", \"lang\": \"tr\"}]}");
    write_str(f->dir, "notes.txt", "not a dictionary");
    ng_dict *d;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
    assert_int_equal(ng_dict_entity_count(d), 5);
    static const char *const want[][3] = {
        /* entity, alias, lang, in id order (entities by key, aliases by text) */
        {"cn", "\"Chi\"", "en"},
        {"cn", "Китай", "ru"},
        {"kz", "Kazakhstan", "en"},
        {"kz", "Қазақстан", "kk"},
        {"ru", "Russia", "en"},
        {"tr", "Türkiye", "tr"},
        {"uof", "The \"Uyghurstan\" Organization\nfor Freedom", "en"},
    };
    assert_int_equal(ng_dict_alias_count(d), 7);
    for (uint32_t a = 0; a < 7; a++) {
        const ng_alias *al = ng_dict_alias(d, a);
        assert_string_equal(ng_dict_entity(d, al->entity)->key, want[a][0]);
        assert_string_equal(al->text, want[a][1]);
        assert_string_equal(al->lang, want[a][2]);
    }
    const ng_entity *uof = ng_dict_entity(d, (uint32_t)ng_dict_find(d, "uof"));
    assert_string_equal(uof->label, "Uyghurstan Organization for Freedom, the");
    assert_int_equal(uof->category, NG_CATEGORY_ORGANIZATION);
    const ng_entity *ru = ng_dict_entity(d, (uint32_t)ng_dict_find(d, "ru"));
    assert_int_equal(ru->fact_count, 1);
    assert_string_equal(ru->facts[0].value, "RU");
    ng_dict_free(d);
}

typedef struct file_error_case {
    const char *name;
    const char *content;
    const char *message; /* after "DIR/" */
} file_error_case;

#define CSV_HEAD "key,label,category,language,alias\n"
#define JSONL_KZ "{\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\", " ALIASES "}\n"

static const file_error_case file_error_cases[] = {
    /* CSV: the header */
    {"d.csv", "", "d.csv:1:1: no header row (key,label,category,language,alias)"},
    {"d.csv", "key,label,kind,language,alias\n",
     "d.csv:1:11: unknown column \"kind\" (key label category language alias)"},
    {"d.csv", "key,label,category,language,alias,key\n",
     "d.csv:1:35: duplicate column \"key\" (key label category language alias)"},
    {"d.csv", "key,label,category,language\n",
     "d.csv:1:1: missing column \"alias\" (key label category language alias)"},
    /* CSV: quoting and shape */
    {"d.csv", CSV_HEAD "kz,K,state,en,\"Kazakhstan\n", "d.csv:2:15: quote not closed"},
    {"d.csv", CSV_HEAD "kz,K,state,en,\"Kaz\"akh\n", "d.csv:2:20: text after a closing quote"},
    {"d.csv", CSV_HEAD "kz,K,state,en,Ka\"z\n",
     "d.csv:2:17: quote inside a field that does not start with one (quote the whole field, "
     "doubling its quotes)"},
    {"d.csv", CSV_HEAD "kz,K,state,en\n", "d.csv:2:1: 4 fields, the header has 5"},
    {"d.csv", CSV_HEAD "kz,,state,en,Kazakhstan\n", "d.csv:2:4: empty cell in column \"label\""},
    /* CSV: one entity over several rows */
    {"d.csv", CSV_HEAD "kz,K,state,en,Kazakhstan\ncn,China,state,en,China\nkz,Kaz,state,kk,Қазақстан\n",
     "d.csv:4:4: label \"Kaz\" of key \"kz\" differs from \"K\" on line 2"},
    {"d.csv", CSV_HEAD "kz,K,state,en,Kazakhstan\nkz,K,place,kk,Қазақстан\n",
     "d.csv:3:6: category \"place\" of key \"kz\" differs from \"state\" on line 2"},
    /* CSV: the checks of JSON entities, at the cell */
    {"d.csv", CSV_HEAD "kz,K,state,kz,Kazakhstan\n",
     "d.csv:2:12: unknown language \"kz\" (en kk ru tr ug zh und)"},
    {"d.csv", CSV_HEAD "kz,K,country,en,Kazakhstan\n",
     "d.csv:2:6: unknown category \"country\" (person state organization place)"},
    {"d.csv", CSV_HEAD "KZ,K,state,en,Kazakhstan\n",
     "d.csv:2:1: key \"KZ\" must match [a-z0-9][a-z0-9-]*"},
    {"d.csv", CSV_HEAD "kz,K,state,en,Kazakhstan\nkz,K,state,en,\xE2\x80\x8B\n",
     "d.csv:3:15: alias \"\xE2\x80\x8B\" normalises to nothing"},
    {"d.csv", CSV_HEAD "kz,K,state,en,\"Kazakh\nstan\"\nkz,K,state,xx,Qazaqstan\n",
     "d.csv:4:12: unknown language \"xx\" (en kk ru tr ug zh und)"},
    /* TSV: quotes are letters; columns count characters */
    {"d.tsv", "key\tlabel\tcategory\tlanguage\talias\nkz\tҚазақстан\tstate\tkz\t\"K\"\n",
     "d.tsv:2:20: unknown language \"kz\" (en kk ru tr ug zh und)"},
    /* JSON Lines */
    {"d.jsonl", JSONL_KZ "\n{\"key\": \"cn\",, }\n", "d.jsonl:3:15: invalid JSON"},
    {"d.jsonl", JSONL_KZ "{\"key\": \"cn\", \"label\": \"C\", \"category\": \"state\"}\n",
     "d.jsonl:2:1: missing member \"aliases\""},
    {"d.jsonl", JSONL_KZ JSONL_KZ, "d.jsonl:2:9: duplicate entity key \"kz\""},
    {"d.jsonl", "{\"key\": \"kz\"} {\"key\": \"cn\"}\n",
     "d.jsonl:1:15: invalid JSON (text after the entity)"},
    {"d.jsonl", "\xEF\xBB\xBF" JSONL_KZ,
     "d.jsonl:1:1: byte-order mark not allowed (save as UTF-8 without BOM)"},
    {"d.jsonl", "\n\n", "d.jsonl:1:1: no entities in any dictionary file"},
};

static void test_table_and_line_errors(void **state)
{
    fixture *f = *state;
    for (size_t c = 0; c < sizeof file_error_cases / sizeof *file_error_cases; c++) {
        const file_error_case *ec = &file_error_cases[c];
        char want[1024];
        snprintf(want, sizeof want, "%s/%s", f->dir, ec->message);
        expect_load_error(f->dir, ec->name, ec->content, NG_EPARSE, want, c);
    }
}

/* A key defined in a table and in JSON: the later file's position. */
static void test_duplicate_key_in_table(void **state)
{
    fixture *f = *state;
    write_str(f->dir, "a.json", HEAD "  {\"key\": \"kz\", \"label\": \"K\", \"category\": \"state\",\n"
                                "   " ALIASES "}" TAIL);
    write_str(f->dir, "b.csv", CSV_HEAD "cn,China,state,en,China\n\"kz\",K,state,kk,Қазақстан\n");
    ng_dict *d;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_EPARSE);
    char want[512];
    snprintf(want, sizeof want, "%s/b.csv:3:1: duplicate entity key \"kz\"", f->dir);
    assert_string_equal(ng_error_message(), want);
}

/* ---- problems that do not stop loading: overlapping role periods ---- */

static void test_role_overlaps(void **state)
{
    fixture *f = *state;
    write_str(f->dir, "d.json",
              HEAD "  {\"key\": \"p\", \"label\": \"P\", \"category\": \"person\", "
                   "\"aliases\": [{\"text\": \"P\", \"lang\": \"en\"}],\n"
                   "   \"roles\": [{\"title\": \"A\", \"from\": \"1991-12-16\", \"to\": \"2019-03-20\"},\n"
                   "             {\"title\": \"A\", \"from\": \"2019-03-20\", \"to\": \"2019-06\"},\n"
                   "             {\"title\": \"B\", \"from\": \"2000\"},\n"
                   "             {\"title\": \"A\", \"from\": \"2019-06\"},\n"
                   "             {\"title\": \"B\", \"to\": \"1999\"},\n"
                   "             {\"title\": \"B\", \"from\": \"spring 2000\"},\n"
                   "             {\"title\": \"A\", \"from\": \"1995\", \"to\": \"1995\"}]}" TAIL);
    ng_dict *d;
    assert_int_equal(ng_dict_load_dir(&d, f->dir), NG_OK);
    /* a handover on one day is no overlap, a month shared is; an open end
     * runs on; dates that are not YYYY[-MM[-DD]] are not compared */
    assert_int_equal(ng_dict_problem_count(d), 2);
    char want[512];
    snprintf(want, sizeof want,
             "%s/d.json:7:14: role \"A\" (2019-06 to now) overlaps the same role (2019-03-20 to "
             "2019-06)", f->dir);
    assert_string_equal(ng_dict_problem(d, 0), want);
    snprintf(want, sizeof want,
             "%s/d.json:10:14: role \"A\" (1995 to 1995) overlaps the same role (1991-12-16 to "
             "2019-03-20)", f->dir);
    assert_string_equal(ng_dict_problem(d, 1), want);
    ng_dict_free(d);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, make_dir, remove_dir)

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        T(test_valid_dictionary),
        T(test_order_independent),
        T(test_acronym_rule),
        T(test_hash),
        T(test_errors),
        T(test_error_position_by_hand),
        T(test_limits),
        T(test_duplicate_key_across_files),
        T(test_directory_errors),
        T(test_error_after_valid_file),
        T(test_tables_and_lines),
        T(test_table_and_line_errors),
        T(test_duplicate_key_in_table),
        T(test_role_overlaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
