/* suffix.c: ending tables, loaded from JSON and merged by script. */
#include "nergraph/suffix.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "hash.h"
#include "jsonpos.h"
#include "nergraph/normalize.h"
#include "utf8.h"

#define MAX_CHAIN_LIMIT 5

/* A string and its length: sets are searched once for every candidate
 * ending of every name found. */
typedef struct set_item {
    const char *text; /* normalised, NUL-terminated */
    size_t len;
} set_item;

typedef struct string_set {
    set_item *items;
    size_t count, cap;
} string_set;

/* Context classes, one bit each: what an ending may follow. The first six
 * are the classes of a final sound. */
enum { CLS_V = 1, CLS_R = 2, CLS_L = 4, CLS_N = 8, CLS_Z = 16, CLS_T = 32, CLS_P = 64,
       CLS_M = 128, SOUND_CLASSES = 63 };
static const char class_letters[] = "VRLNZTPM";

/* A letter's harmony, beside its sound classes. */
enum { LETTER_BACK = 256, LETTER_FRONT = 512, LETTER_LOOSE = 1024 };

enum { VOWEL_NONE = 0, VOWEL_BACK = 1, VOWEL_FRONT = 2 };

enum { NO_LETTER = -1 }; /* the code point of an empty slot */

/* An ending with what the rules say of it, worked out at load: for every
 * name found the hot path compares bytes and tests bits. */
typedef struct ending {
    set_item item;
    int own;        /* its harmony class; VOWEL_NONE: invariant, or no harmony */
    int closing;    /* nothing may follow it */
    unsigned after; /* the classes of what it may follow */
    unsigned next;  /* the classes it leaves for the ending after it */
} ending;

/* A letter the table names: its classes, and the endings that start with it,
 * so that a tail is compared with those alone. */
typedef struct letter {
    int32_t cp;
    unsigned classes;  /* sound classes CLS_V..CLS_T, LETTER_BACK/FRONT/LOOSE */
    size_t first, end; /* ends[first..end) */
} letter;

/* One language's table: its endings, and, for languages with vowel
 * harmony, the back and front vowels that an ending must agree with. */
typedef struct table {
    int script;
    string_set endings;
    size_t max_chain;
    const char *back, *front; /* vowel letters as written, NULL: no harmony */
    const char *loose;        /* a name ending in one of these takes either class */
    string_set invariant;     /* endings with one form whatever the vowels */
    string_set closing;       /* endings nothing may follow (the cases) */
    /* final sound: the class letters of the sounds an ending may follow */
    const char *sound_class[7];  /* letters of classes V R L N Z T, then unused */
    string_set possessive3, possessive12; /* endings after which P or M hold */
    string_set after_text;       /* ending -> allowed classes ("VNP"), parallel */
    string_set after_classes;
    /* compiled at load from all of the above */
    ending *ends;       /* endings.count, sorted by their bytes */
    letter *letters;    /* the letters named, open addressing from cp & letter_mask */
    size_t letter_mask;
} table;

struct ng_suffixes {
    uint64_t hash; /* of the names and bytes of the files loaded */
    ng_arena strings;
    table *tables;
    size_t table_count, table_cap;
    string_set drops[NG_SCRIPT_COUNT]; /* of all tables of a script */
    size_t min_stem;
    ng_norm scratch;
};

ng_script ng_script_of_last_letter(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = len;
    while (i > 0) {
        size_t p = ng_utf8_prev(s, i);
        int32_t cp;
        if (!ng_utf8_decode(u + p, i - p, &cp))
            return NG_SCRIPT_OTHER;
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F))
            return NG_SCRIPT_LATIN;
        if (cp >= 0x400 && cp <= 0x52F)
            return NG_SCRIPT_CYRILLIC;
        i = p;
    }
    return NG_SCRIPT_OTHER;
}

/* Add `text`, normalised as the texts are, to `set`. */
static ng_status add_string(ng_suffixes *s, string_set *set, const char *text)
{
    ng_status st = ng_normalize(&s->scratch, text, strlen(text), NG_NORM_FOLD);
    if (st != NG_OK || (st = NG_GROW(set->items, set->cap, set->count + 1)) != NG_OK)
        return st;
    const char *norm = ng_arena_strndup(&s->strings, s->scratch.data, s->scratch.len);
    if (!norm)
        return NG_ENOMEM;
    set->items[set->count++] = (set_item){norm, s->scratch.len};
    return NG_OK;
}

static ng_status add_strings(ng_suffixes *s, string_set *set, const cJSON *arr, const char *path,
                             const char *what)
{
    if (!cJSON_IsArray(arr))
        return ng_error_set(NG_EPARSE, "%s: \"%s\" must be an array of strings", path, what);
    for (const cJSON *v = arr->child; v; v = v->next) {
        ng_status st = cJSON_IsString(v) ? add_string(s, set, v->valuestring) : NG_EPARSE;
        /* a string with nothing left once normalised (" ", a lone mark) is
         * empty too: an empty ending would match anywhere */
        if (st == NG_EPARSE || (st == NG_OK && !set->items[set->count - 1].len))
            return ng_error_set(NG_EPARSE, "%s: \"%s\" must hold non-empty strings", path, what);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

/* The slot of `cp` in t's letters: its entry, or the empty one it would take.
 * Letters of one alphabet are neighbours: `cp & mask` spreads them well. */
static letter *letter_slot(const table *t, int32_t cp)
{
    size_t i = (size_t)cp & t->letter_mask;
    while (t->letters[i].cp != cp && t->letters[i].cp != NO_LETTER)
        i = (i + 1) & t->letter_mask;
    return &t->letters[i];
}

/* The table's entry for `cp`, or NULL. */
static const letter *find_letter(const table *t, int32_t cp)
{
    const letter *l = letter_slot(t, cp);
    return l->cp == cp ? l : NULL;
}

/* The table's entry for the letter that starts the `n` bytes at `s`, or NULL. */
static const letter *letter_at(const table *t, const char *s, size_t n)
{
    int32_t cp;
    return ng_utf8_decode((const unsigned char *)s, n, &cp) ? find_letter(t, cp) : NULL;
}

/* The class letter `l` (NULL: one the table does not name) gives: -1 if it
 * is no vowel; in the last position of a name (`last`) a loose vowel allows
 * either class. */
static int letter_class(const letter *l, int last)
{
    unsigned c = l ? l->classes : 0;
    if (last && (c & LETTER_LOOSE))
        return VOWEL_NONE;
    if (c & LETTER_BACK)
        return VOWEL_BACK;
    if (c & LETTER_FRONT)
        return VOWEL_FRONT;
    return -1;
}

/* The harmony class of `text`: of its last vowel (a name; a loose vowel
 * there allows either class) or of its first (an ending; endings have one
 * class). */
static int vowel_class(const table *t, const char *text, size_t len, int last)
{
    const unsigned char *u = (const unsigned char *)text;
    int32_t cp;
    if (last && ng_utf8_valid_prefix(text, len) == len) {
        /* the last vowel decides: look from the end (a name's letters are
         * many, a candidate's name is checked every time it is found) */
        for (size_t i = len; i > 0;) {
            size_t p = ng_utf8_prev(text, i);
            int c = letter_class(letter_at(t, text + p, i - p), 1);
            if (c >= 0)
                return c;
            i = p;
        }
        return VOWEL_NONE;
    }
    int cls = VOWEL_NONE;
    for (size_t i = 0; i < len;) {
        size_t k = ng_utf8_decode(u + i, len - i, &cp);
        if (!k)
            break;
        int c = letter_class(find_letter(t, cp), last);
        if (c >= 0)
            cls = c;
        if (cls != VOWEL_NONE && !last)
            return cls;
        i += k;
    }
    return cls;
}

/* Is `e` the `n` bytes at `s`? Endings are a few bytes and most differ
 * early: a loop here costs less than a call to memcmp. */
static int is_item(const set_item *e, const char *s, size_t n)
{
    if (e->len != n)
        return 0;
    for (size_t j = 0; j < n; j++)
        if (e->text[j] != s[j])
            return 0;
    return 1;
}

static int in_set(const string_set *set, const char *s, size_t n)
{
    for (size_t i = 0; i < set->count; i++)
        if (is_item(&set->items[i], s, n))
            return 1;
    return 0;
}

/* The classes of the sound that ends `text` (a name, or an ending). */
static unsigned final_classes(const table *t, const char *text, size_t len)
{
    if (len == 0)
        return 0;
    size_t p = ng_utf8_prev(text, len);
    const letter *l = letter_at(t, text + p, len - p);
    return l ? l->classes & SOUND_CLASSES : 0;
}

/* The classes an ending `e` of `n` bytes may follow (all, when unlisted). */
static unsigned allowed_after(const table *t, const char *e, size_t n)
{
    for (size_t i = 0; i < t->after_text.count; i++)
        if (is_item(&t->after_text.items[i], e, n)) {
            unsigned cls = 0;
            for (const char *c = t->after_classes.items[i].text; *c; c++)
                cls |= 1u << (strchr(class_letters, *c) - class_letters);
            return cls;
        }
    return ~0u;
}

static int compare_endings(const void *a, const void *b)
{
    return strcmp(((const ending *)a)->item.text, ((const ending *)b)->item.text);
}

/* Add the letters of `text` (NULL: none) to t's letters, in `classes`. It is
 * as written, matched against normalised text: bytes that are no UTF-8 are
 * skipped, for no letter of normalised text is found in them. */
static void add_letters(table *t, const char *text, unsigned classes)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t len = text ? strlen(text) : 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, len - i, &cp);
        if (k) {
            letter *l = letter_slot(t, cp);
            l->cp = cp;
            l->classes |= classes;
        }
        i += k ? k : 1;
    }
}

/* Work out once what the rules say of each ending and of each letter named,
 * and index the endings by their first letter: sorted by their bytes, those
 * that start with one letter are neighbours, and the letter says where. */
static ng_status compile_table(table *t)
{
    const struct {
        const char *text;
        unsigned classes;
    } named[] = {{t->back, LETTER_BACK},         {t->front, LETTER_FRONT},
                 {t->loose, LETTER_LOOSE},       {t->sound_class[0], CLS_V},
                 {t->sound_class[1], CLS_R},     {t->sound_class[2], CLS_L},
                 {t->sound_class[3], CLS_N},     {t->sound_class[4], CLS_Z},
                 {t->sound_class[5], CLS_T}};
    /* slots at most half full: for the letters named (a byte each at most)
     * and the first letter of each ending */
    size_t count = t->endings.count, most = count, size = 2;
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        most += named[i].text ? strlen(named[i].text) : 0;
    while (size < 2 * most)
        size *= 2;
    t->ends = calloc(count ? count : 1, sizeof *t->ends);
    t->letters = malloc(size * sizeof *t->letters);
    if (!t->ends || !t->letters)
        return ng_error_set(NG_ENOMEM, "out of memory");
    t->letter_mask = size - 1;
    for (size_t i = 0; i < size; i++)
        t->letters[i] = (letter){NO_LETTER, 0, 0, 0};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        add_letters(t, named[i].text, named[i].classes);
    for (size_t i = 0; i < count; i++)
        t->ends[i].item = t->endings.items[i];
    qsort(t->ends, count, sizeof *t->ends, compare_endings);
    for (size_t i = 0, j; i < count; i = j) {
        const set_item *e = &t->ends[i].item;
        int32_t cp;
        size_t k = ng_utf8_decode((const unsigned char *)e->text, e->len, &cp);
        for (j = i + 1; j < count && strncmp(t->ends[j].item.text, e->text, k) == 0; j++)
            ;
        letter *l = letter_slot(t, cp);
        *l = (letter){cp, l->classes, i, j};
    }
    for (size_t i = 0; i < count; i++) {
        ending *e = &t->ends[i];
        const char *text = e->item.text;
        size_t len = e->item.len;
        e->own = t->back && !in_set(&t->invariant, text, len) ? vowel_class(t, text, len, 0)
                                                                : VOWEL_NONE;
        e->after = allowed_after(t, text, len);
        e->closing = in_set(&t->closing, text, len);
        /* without final_sound the possessives are empty and no letter has a
         * sound class: nothing is left for the next ending to agree with */
        e->next = in_set(&t->possessive3, text, len)
                      ? CLS_P
                      : final_classes(t, text, len) |
                            (in_set(&t->possessive12, text, len) ? CLS_M : 0);
    }
    return NG_OK;
}

/* "final_sound": {"classes": {"V": letters, ...}, "after_third_possessive":
 * [...], "after_first_second_possessive": [...], "after": {ending: "VNP"}}. */
static ng_status load_final_sound(ng_suffixes *s, table *t, const cJSON *sound, const char *path)
{
    const cJSON *classes = cJSON_GetObjectItemCaseSensitive(sound, "classes");
    const cJSON *after = cJSON_GetObjectItemCaseSensitive(sound, "after");
    if (!cJSON_IsObject(classes) || !cJSON_IsObject(after))
        return ng_error_set(NG_EPARSE, "%s: \"final_sound\" needs \"classes\" and \"after\"",
                            path);
    for (int c = 0; c < 6; c++) {
        char name[2] = {class_letters[c], '\0'};
        const cJSON *letters = cJSON_GetObjectItemCaseSensitive(classes, name);
        if (!cJSON_IsString(letters))
            return ng_error_set(NG_EPARSE, "%s: final_sound class %s must be a string", path,
                                name);
        if (!(t->sound_class[c] = ng_arena_strndup(&s->strings, letters->valuestring,
                                                   strlen(letters->valuestring))))
            return NG_ENOMEM;
    }
    ng_status st = add_strings(s, &t->possessive3,
                               cJSON_GetObjectItemCaseSensitive(sound, "after_third_possessive"),
                               path, "after_third_possessive");
    if (st == NG_OK)
        st = add_strings(s, &t->possessive12,
                         cJSON_GetObjectItemCaseSensitive(sound, "after_first_second_possessive"),
                         path, "after_first_second_possessive");
    for (const cJSON *a = after->child; st == NG_OK && a; a = a->next) {
        if (!cJSON_IsString(a) || strspn(a->valuestring, class_letters) != strlen(a->valuestring))
            return ng_error_set(NG_EPARSE, "%s: final_sound.after \"%s\" must be letters of %s",
                                path, a->string, class_letters);
        if ((st = add_string(s, &t->after_text, a->string)) != NG_OK ||
            (st = NG_GROW(t->after_classes.items, t->after_classes.cap,
                          t->after_classes.count + 1)) != NG_OK)
            return st;
        /* class letters are ASCII: kept as written */
        size_t n = strlen(a->valuestring);
        const char *cls = ng_arena_strndup(&s->strings, a->valuestring, n);
        if (!cls)
            return NG_ENOMEM;
        t->after_classes.items[t->after_classes.count++] = (set_item){cls, n};
    }
    return st;
}

static ng_status load_table(ng_suffixes *s, const char *path)
{
    char *buf;
    size_t len;
    ng_status st = ng_read_file(path, NG_MAX_DICT_FILE_BYTES, &buf, &len);
    if (st != NG_OK)
        return st;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    s->hash = ng_hash_bytes(s->hash, base, strlen(base) + 1);
    s->hash = ng_hash_bytes(s->hash, buf, len);
    cJSON *root;
    st = ng_json_parse(buf, len, path, 0, "ending table", &root);
    free(buf);
    if (st != NG_OK)
        return st;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "nergraph_suffixes");
    const cJSON *script = cJSON_GetObjectItemCaseSensitive(root, "script");
    const cJSON *chain = cJSON_GetObjectItemCaseSensitive(root, "max_chain");
    const cJSON *stem = cJSON_GetObjectItemCaseSensitive(root, "min_stem");
    int sc = -1;
    if (cJSON_IsString(script))
        sc = !strcmp(script->valuestring, "latin") ? NG_SCRIPT_LATIN
             : !strcmp(script->valuestring, "cyrillic") ? NG_SCRIPT_CYRILLIC : -1;
    if (!cJSON_IsNumber(version) || version->valuedouble != 1)
        st = ng_error_set(NG_EPARSE, "%s: \"nergraph_suffixes\" must be 1", path);
    else if (sc < 0)
        st = ng_error_set(NG_EPARSE, "%s: \"script\" must be \"latin\" or \"cyrillic\"", path);
    else if (!cJSON_IsNumber(chain) || chain->valuedouble < 1 ||
             chain->valuedouble > MAX_CHAIN_LIMIT)
        st = ng_error_set(NG_EPARSE, "%s: \"max_chain\" must be 1 to %d", path, MAX_CHAIN_LIMIT);
    else if (!cJSON_IsNumber(stem) || !(stem->valuedouble >= 1 && stem->valuedouble <= 100))
        st = ng_error_set(NG_EPARSE, "%s: \"min_stem\" must be 1 to 100", path);
    else if ((st = NG_GROW(s->tables, s->table_cap, s->table_count + 1)) == NG_OK) {
        table *t = &s->tables[s->table_count++];
        memset(t, 0, sizeof *t);
        t->script = sc;
        t->max_chain = (size_t)chain->valuedouble;
        if (!s->min_stem || (size_t)stem->valuedouble < s->min_stem)
            s->min_stem = (size_t)stem->valuedouble;
        st = add_strings(s, &t->endings, cJSON_GetObjectItemCaseSensitive(root, "suffixes"), path,
                         "suffixes");
        const cJSON *drop = cJSON_GetObjectItemCaseSensitive(root, "drop_final");
        if (st == NG_OK && drop)
            st = add_strings(s, &s->drops[sc], drop, path, "drop_final");
        const cJSON *closing = cJSON_GetObjectItemCaseSensitive(root, "closing");
        if (st == NG_OK && closing)
            st = add_strings(s, &t->closing, closing, path, "closing");
        const cJSON *harmony = cJSON_GetObjectItemCaseSensitive(root, "harmony");
        if (st == NG_OK && harmony) {
            const cJSON *back = cJSON_GetObjectItemCaseSensitive(harmony, "back");
            const cJSON *front = cJSON_GetObjectItemCaseSensitive(harmony, "front");
            if (!cJSON_IsString(back) || !cJSON_IsString(front))
                st = ng_error_set(NG_EPARSE, "%s: \"harmony\" must have \"back\" and \"front\" "
                                             "vowels (strings)", path);
            else if (!(t->back = ng_arena_strndup(&s->strings, back->valuestring,
                                                  strlen(back->valuestring))) ||
                     !(t->front = ng_arena_strndup(&s->strings, front->valuestring,
                                                   strlen(front->valuestring))))
                st = NG_ENOMEM;
            const cJSON *loose = cJSON_GetObjectItemCaseSensitive(harmony, "loose_in_names");
            if (st == NG_OK && cJSON_IsString(loose) &&
                !(t->loose = ng_arena_strndup(&s->strings, loose->valuestring,
                                              strlen(loose->valuestring))))
                st = NG_ENOMEM;
            const cJSON *inv = cJSON_GetObjectItemCaseSensitive(harmony, "invariant");
            if (st == NG_OK && inv)
                st = add_strings(s, &t->invariant, inv, path, "harmony.invariant");
        }
        const cJSON *sound = cJSON_GetObjectItemCaseSensitive(root, "final_sound");
        if (st == NG_OK && sound)
            st = load_final_sound(s, t, sound, path);
        if (st == NG_OK)
            st = compile_table(t);
    }
    cJSON_Delete(root);
    return st;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ng_status ng_suffixes_load_dir(ng_suffixes **out, const char *dir)
{
    *out = NULL;
    ng_suffixes *s = calloc(1, sizeof *s);
    if (!s)
        return ng_error_set(NG_ENOMEM, "out of memory");
    s->hash = NG_HASH_SEED;
    ng_status st = NG_OK;
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t count = 0, cap = 0;
    if (d) {
        struct dirent *e;
        while (st == NG_OK && (e = readdir(d)) != NULL) {
            size_t nl = strlen(e->d_name);
            if (e->d_name[0] == '.' || nl < 6 || strcmp(e->d_name + nl - 5, ".json") != 0)
                continue;
            if ((st = NG_GROW(names, cap, count + 1)) != NG_OK)
                break;
            size_t pl = strlen(dir) + nl + 2;
            if (!(names[count] = malloc(pl)))
                st = ng_error_set(NG_ENOMEM, "out of memory");
            else
                snprintf(names[count++], pl, "%s/%s", dir, e->d_name);
        }
        closedir(d);
    }
    if (st == NG_OK && count)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count && st == NG_OK; i++)
        st = load_table(s, names[i]);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    ng_norm_destroy(&s->scratch);
    if (st != NG_OK) {
        ng_suffixes_free(s);
        return st;
    }
    *out = s;
    return NG_OK;
}

void ng_suffixes_free(ng_suffixes *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->table_count; i++) {
        free(s->tables[i].endings.items);
        free(s->tables[i].invariant.items);
        free(s->tables[i].closing.items);
        free(s->tables[i].possessive3.items);
        free(s->tables[i].possessive12.items);
        free(s->tables[i].after_text.items);
        free(s->tables[i].after_classes.items);
        free(s->tables[i].ends);
        free(s->tables[i].letters);
    }
    free(s->tables);
    for (int i = 0; i < NG_SCRIPT_COUNT; i++)
        free(s->drops[i].items);
    ng_norm_destroy(&s->scratch);
    ng_arena_destroy(&s->strings);
    free(s);
}

int ng_suffixes_any(const ng_suffixes *s, ng_script script)
{
    for (size_t i = 0; s && i < s->table_count; i++)
        if (s->tables[i].script == (int)script && s->tables[i].endings.count)
            return 1;
    return 0;
}

uint64_t ng_suffixes_hash(const ng_suffixes *s) { return s ? s->hash : NG_HASH_SEED; }

size_t ng_suffixes_min_stem(const ng_suffixes *s) { return s ? s->min_stem : 0; }

/* Is `tail` a chain of at most `depth` endings of `t` that keep harmony
 * with `cls`, the class of what precedes them? */
static int accept_chain(const table *t, int cls, unsigned sound, const char *tail, size_t len,
                        size_t depth)
{
    if (len == 0)
        return 1;
    if (depth == 0)
        return 0;
    const letter *first = letter_at(t, tail, len);
    if (!first)
        return 0; /* no ending starts with this letter */
    for (size_t i = first->first; i < first->end; i++) {
        const ending *e = &t->ends[i];
        size_t n = e->item.len;
        if (n > len || !is_item(&e->item, tail, n))
            continue;
        if (e->own != VOWEL_NONE && cls != VOWEL_NONE && e->own != cls)
            continue; /* Қытай-дың, not Қытай-дің */
        if (sound && !(e->after & sound))
            continue; /* Қазақстан-ның, not Қазақстан-дың */
        if (n < len && e->closing)
            continue; /* a case ends the word */
        if (accept_chain(t, e->own != VOWEL_NONE ? e->own : cls, e->next, tail + n, len - n,
                         depth - 1))
            return 1;
    }
    return 0;
}

int ng_suffixes_accept(const ng_suffixes *s, ng_script script, const char *stem,
                       size_t stem_len, const char *tail, size_t len)
{
    for (size_t i = 0; len > 0 && s && i < s->table_count; i++) {
        const table *t = &s->tables[i];
        if (t->script != (int)script)
            continue;
        int cls = t->back ? vowel_class(t, stem, stem_len, 1) : VOWEL_NONE;
        /* A name ending like a third-person possessive (Республикасы,
         * университеті) takes the forms that follow one (Республикасына). */
        unsigned sound = final_classes(t, stem, stem_len);
        for (size_t p = 0; sound && p < t->possessive3.count; p++) {
            const set_item *e = &t->possessive3.items[p];
            if (e->len < stem_len && is_item(e, stem + stem_len - e->len, e->len))
                sound |= CLS_P;
        }
        if (accept_chain(t, cls, sound, tail, len, t->max_chain))
            return 1;
    }
    return 0;
}

int ng_suffixes_drops(const ng_suffixes *s, ng_script script, const char *c, size_t len)
{
    if (!s || script < 0)
        return 0;
    return in_set(&s->drops[script], c, len);
}
