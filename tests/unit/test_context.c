/* test_context.c: context rules decide ambiguous aliases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const rules_json =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    " {\"key\": \"georgia\", \"label\": \"Georgia\", \"category\": \"state\",\n"
    "  \"aliases\": [{\"text\": \"Georgia\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"georgia-us\", \"label\": \"Georgia (U.S. state)\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Georgia\", \"lang\": \"en\",\n"
    "    \"context\": {\"require\": [\"Atlanta\", \"U.S. state\", \"state of Georgia\"]}}]},\n"
    " {\"key\": \"turkestan\", \"label\": \"Turkestan\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Turkestan\", \"lang\": \"en\",\n"
    "    \"context\": {\"exclude\": [\"West\"], \"window\": 1, \"side\": \"before\"}}]},\n"
    " {\"key\": \"china\", \"label\": \"China\", \"category\": \"state\",\n"
    "  \"aliases\": [{\"text\": \"Қытай\", \"lang\": \"kk\",\n"
    "    \"context\": {\"exclude\": [\"тіл*\", \"лық*\"], \"window\": 1, \"side\": \"after\"}}]},\n"
    " {\"key\": \"ili\", \"label\": \"Ili\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Ili\", \"lang\": \"en\",\n"
    "    \"context\": {\"exclude\": [\"river\"], \"window\": 2}}]},\n"
    " {\"key\": \"ili-river\", \"label\": \"Ili River\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Ili\", \"lang\": \"en\",\n"
    "    \"context\": {\"require\": [\"river\", \"Balkhash\"], \"window\": 2}}]},\n"
    " {\"key\": \"nato\", \"label\": \"NATO\", \"category\": \"organization\",\n"
    "  \"aliases\": [{\"text\": \"Nato\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"nato-alliance\", \"label\": \"NATO alliance\", \"category\": \"organization\",\n"
    "  \"aliases\": [{\"text\": \"NATO\", \"lang\": \"en\", \"case_sensitive\": true,\n"
    "    \"context\": {\"require\": [\"alliance\"]}}]},\n"
    " {\"key\": \"uof\", \"label\": \"UOF\", \"category\": \"organization\",\n"
    "  \"aliases\": [{\"text\": \"Uyghurstan Organization for Freedom\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"sco\", \"label\": \"SCO\", \"category\": \"organization\",\n"
    "  \"aliases\": [{\"text\": \"Шанхай ынтымақтастық ұйымы\", \"lang\": \"kk\"}]},\n"
    " {\"key\": \"usa\", \"label\": \"United States\", \"category\": \"state\",\n"
    "  \"aliases\": [{\"text\": \"United States\", \"lang\": \"en\"},\n"
    "               {\"text\": \"US\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"uyghur\", \"label\": \"Uyghurs\", \"category\": \"organization\",\n"
    "  \"aliases\": [{\"text\": \"Uyghurs\", \"lang\": \"en\", \"demonym\": true},\n"
    "               {\"text\": \"Uyghur Nation\", \"lang\": \"en\"}]}\n"
    "]}\n";

typedef struct world {
    ng_dict *dict;
    ng_matcher *matcher;
    ng_norm norm;
    ng_segments sentences;
    ng_scan_scratch scan;
    ng_context_scratch context;
    ng_match_vec matches;
    char got[1024];
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->dict = ng_test_load_dict(rules_json);
    if (ng_matcher_new(&w->matcher, w->dict, NULL) != NG_OK)
        return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    ng_match_vec_destroy(&w->matches);
    ng_context_scratch_destroy(&w->context);
    ng_scan_scratch_destroy(&w->scan);
    ng_segments_destroy(&w->sentences);
    ng_norm_destroy(&w->norm);
    ng_matcher_free(w->matcher);
    ng_dict_free(w->dict);
    free(w);
    return 0;
}

/* The matches of `text` after the rules, as "key:surface key:surface". */
static const char *tag(world *w, const char *text)
{
    size_t len = strlen(text);
    assert_int_equal(ng_normalize(&w->norm, text, len, NG_NORM_FOLD), NG_OK);
    assert_int_equal(ng_segment_sentences(&w->sentences, text, len), NG_OK);
    assert_int_equal(ng_matcher_scan(w->matcher, &w->norm, text, len, &w->scan, &w->matches),
                     NG_OK);
    assert_int_equal(ng_context_apply(&w->context, w->dict, &w->norm, text, len, &w->sentences,
                                      &w->matches),
                     NG_OK);
    size_t n = 0;
    w->got[0] = '\0';
    for (size_t i = 0; i < w->matches.count; i++) {
        const ng_match *x = &w->matches.items[i];
        size_t from = w->norm.map[x->start];
        size_t to = ng_norm_source_end(&w->norm, text, len, x->end - 1);
        const ng_entity *e = ng_dict_entity(w->dict, ng_dict_alias(w->dict, x->alias)->entity);
        n += (size_t)snprintf(w->got + n, sizeof w->got - n, "%s%s:%.*s", i ? " " : "", e->key,
                              (int)(to - from), text + from);
    }
    return w->got;
}

/* Two entities share "Georgia": the one with a rule takes it where the rule
 * holds (in the same sentence), the other everywhere else. */
static void test_require_decides(void **state)
{
    world *w = *state;
    assert_string_equal(tag(w, "Georgia joined the CIS in 1993."), "georgia:Georgia");
    assert_string_equal(tag(w, "He flew to Atlanta, Georgia."), "georgia-us:Georgia");
    /* the phrase may hold the name itself, but the name alone is not the phrase */
    assert_string_equal(tag(w, "The state of Georgia voted."), "georgia-us:Georgia");
    /* another sentence does not count */
    assert_string_equal(tag(w, "Atlanta is far away. Georgia joined the CIS."),
                        "georgia:Georgia");
    /* nor, without a window, words beyond NG_MAX_CONTEXT_WINDOW */
    char text[1024];
    for (int gap = NG_MAX_CONTEXT_WINDOW - 1; gap <= NG_MAX_CONTEXT_WINDOW; gap++) {
        size_t n = (size_t)snprintf(text, sizeof text, "Atlanta");
        for (int i = 0; i < gap; i++)
            n += (size_t)snprintf(text + n, sizeof text - n, " w%d", i);
        snprintf(text + n, sizeof text - n, " Georgia.");
        assert_string_equal(tag(w, text), gap < NG_MAX_CONTEXT_WINDOW ? "georgia-us:Georgia"
                                                                       : "georgia:Georgia");
    }
}

static void test_exclude_side_and_window(void **state)
{
    world *w = *state;
    assert_string_equal(tag(w, "West Turkestan fell."), "");
    assert_string_equal(tag(w, "Turkestan lies West of China."), "turkestan:Turkestan");
    /* two words before is outside a window of one */
    assert_string_equal(tag(w, "West of it, Turkestan lies."), "turkestan:Turkestan");
    /* prefixes: тіл* is тілінің; only the word after counts */
    assert_string_equal(tag(w, "Қытай тілінің көпірі."), "");
    assert_string_equal(tag(w, "Қытай лықтар келді."), "");
    assert_string_equal(tag(w, "Ана тілі Қытай мен Қазақстан."), "china:Қытай");
    /* a phrase must be whole words unless it ends in '*' */
    assert_string_equal(tag(w, "West-Turkestan and Westturkestan, Westerly Turkestan."),
                        "turkestan:Turkestan");
}

/* Both claimants have rules: the first whose rule holds wins; none, no match. */
static void test_rules_on_both_sides(void **state)
{
    world *w = *state;
    assert_string_equal(tag(w, "The Ili river flows into Balkhash."), "ili-river:Ili");
    assert_string_equal(tag(w, "Ili is a prefecture."), "ili:Ili");
    assert_string_equal(tag(w, "Near the river the Ili prefecture lies."), "ili-river:Ili");
}

/* A case-sensitive claimant is a candidate only where the case fits. */
static void test_case_of_rivals(void **state)
{
    world *w = *state;
    assert_string_equal(tag(w, "The NATO alliance met."), "nato-alliance:NATO");
    assert_string_equal(tag(w, "The Nato alliance met."), "nato:Nato");
    assert_string_equal(tag(w, "NATO met."), "nato:NATO");
}

/* The chains of shared aliases, and a dictionary check that accepts them. */
static void test_shared_alias_checked(void **state)
{
    world *w = *state;
    uint32_t first = NG_NO_ALIAS, count = 0;
    for (uint32_t a = 0; a < ng_dict_alias_count(w->dict); a++) {
        const ng_alias *al = ng_dict_alias(w->dict, a);
        if (strcmp(al->text, "Georgia") == 0 && al->same_first == a) {
            first = a;
            for (uint32_t g = a; g != NG_NO_ALIAS; g = ng_dict_alias(w->dict, g)->same_next)
                count++;
        }
    }
    assert_int_not_equal(first, NG_NO_ALIAS);
    assert_int_equal(count, 2);
    char buf[512] = "";
    FILE *out = fmemopen(buf, sizeof buf, "w");
    assert_non_null(out);
    size_t problems = 99;
    assert_int_equal(ng_dict_check(w->dict, out, &problems), NG_OK);
    fclose(out);
    assert_string_equal(buf, "");
    assert_int_equal(problems, 0);
}

/* "Long form (ACRONYM)" teaches the acronym for the rest of the document. */
static void test_acronyms_learned(void **state)
{
    world *w = *state;
    assert_string_equal(
        tag(w, "UOF first. The Uyghurstan Organization for Freedom (UOF) met. Later the UOF "
               "split; Uof and uof are words, UOFS another, UOF-тың an ending."),
        "uof:Uyghurstan Organization for Freedom uof:UOF uof:UOF uof:UOF");
    /* the alias of a learned mention is its long form's */
    assert_string_equal(ng_dict_alias(w->dict, w->matches.items[1].alias)->text,
                        "Uyghurstan Organization for Freedom");
    assert_int_equal(w->matches.items[1].end - w->matches.items[1].start, 3);
    /* Cyrillic, and a space is optional */
    assert_string_equal(tag(w, "Шанхай ынтымақтастық ұйымы(ШЫҰ) құрылды. ШЫҰ мүшелері."),
                        "sco:Шанхай ынтымақтастық ұйымы sco:ШЫҰ sco:ШЫҰ");
    /* forgotten before the next document */
    assert_string_equal(tag(w, "The UOF met."), "");
}

static void test_acronyms_not_learned(void **state)
{
    world *w = *state;
    /* the token is another entity's alias: it stays that entity's */
    assert_string_equal(tag(w, "Uyghurstan Organization for Freedom (US) met. US troops."),
                        "uof:Uyghurstan Organization for Freedom usa:US usa:US");
    /* not capitals, too long, mixed with digits, not right after the name, a demonym */
    assert_string_equal(tag(w, "Uyghurstan Organization for Freedom (Uof). Uof."),
                        "uof:Uyghurstan Organization for Freedom");
    assert_string_equal(tag(w, "Uyghurstan Organization for Freedom (UOFUOFUOFUO). UOFUOFUOFUO."),
                        "uof:Uyghurstan Organization for Freedom");
    assert_string_equal(tag(w, "Uyghurstan Organization for Freedom (UOF2). UOF2."),
                        "uof:Uyghurstan Organization for Freedom");
    assert_string_equal(tag(w, "Uyghurstan Organization for Freedom, (UOF). UOF."),
                        "uof:Uyghurstan Organization for Freedom");
    assert_string_equal(tag(w, "Uyghurs (UY). UY."), "uyghur:Uyghurs");
    /* the first definition holds */
    assert_string_equal(tag(w, "United States (UOF). Uyghurstan Organization for Freedom (UOF)."),
                        "usa:United States usa:UOF uof:Uyghurstan Organization for Freedom "
                        "usa:UOF");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        T(test_require_decides),
        T(test_exclude_side_and_window),
        T(test_rules_on_both_sides),
        T(test_case_of_rivals),
        T(test_shared_alias_checked),
        T(test_acronyms_learned),
        T(test_acronyms_not_learned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
