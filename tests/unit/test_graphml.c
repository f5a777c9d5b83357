/* test_graphml.c: ng_export_graphml against igraph 0.10's
 * igraph_write_graph_graphml(g, out, prefixattr=1), which it replaced and
 * whose bytes it must write (kept here as the reference): on graphs built
 * by ng_graph_build, with attributes of every type and awkward values
 * added, on thousands of random numbers and on a graph without edges. An
 * ng_graph is never directed (its measures refuse directed graphs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nergraph.h>

#include "graph_internal.h"
#include "support.h"

static char *write_igraph(const ng_graph *G, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(igraph_write_graph_graphml(&G->g, f, /*prefixattr=*/1), IGRAPH_SUCCESS);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static char *write_ours(const ng_graph *G, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(ng_export_graphml(G, f), NG_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void assert_same_as_igraph(const ng_graph *G)
{
    size_t want_len, got_len;
    char *want = write_igraph(G, &want_len), *got = write_ours(G, &got_len);
    size_t at = 0;
    while (at < want_len && at < got_len && want[at] == got[at])
        at++;
    if (at < want_len || at < got_len) {
        size_t from = at > 60 ? at - 60 : 0;
        fail_msg("byte %zu of %zu/%zu differs:\nigraph: %.120s\nours:   %.120s", at, want_len,
                 got_len, want + from, got + from);
    }
    free(want);
    free(got);
}

/* A network of `entities` random places, `edges` random co-occurrences,
 * measures computed by ng_graph_build. */
static ng_graph *built_graph(int entities, int edges, uint32_t seed, ng_dict **dict)
{
    static const char *const syl[] = {"ka", "ba", "қа", "ан", "stan", "ов", "a", "ab"};
    char *json = ng_test_random_dict(entities, syl, 8, 7, "kk", 0, &seed);
    *dict = ng_test_load_dict(json);
    free(json);
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, (size_t)entities), NG_OK);
    for (int e = 0; e < edges; e++) {
        uint32_t a = ng_test_rand(&seed) % (uint32_t)entities;
        uint32_t b = ng_test_rand(&seed) % (uint32_t)entities;
        if (a != b)
            ng_test_add_edge(c, a, b, 1 + ng_test_rand(&seed) % 9);
    }
    ng_graph *G;
    ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
    assert_int_equal(ng_graph_build(&G, *dict, c, &o), NG_OK);
    ng_cooc_free(c);
    return G;
}

static void test_built(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *G = built_graph(200, 600, 7u, &dict);
    assert_true(ng_graph_edge_count(G) > 100);
    assert_same_as_igraph(G);
    ng_graph_free(G);
    ng_dict_free(dict);
}

static const double awkward_numbers[] = {
    NAN, INFINITY, -INFINITY, 0.0, -0.0, 4.9e-324, 2.2250738585072014e-308, 1e-300,
    1.5e-5, 0.0001, 1.0 / 3, -2.5, 42, 1e15, 999999999999999.5, 123456789012345678.0,
    1e300, 1.7976931348623157e308,
};
static const char *const awkward_strings[] = {
    "", "&<>\"'", "tab\there\nline\rreturn", "Қазақстан", "]]>&amp;", "plain",
};
enum {
    NUMBERS = sizeof awkward_numbers / sizeof *awkward_numbers,
    STRINGS = sizeof awkward_strings / sizeof *awkward_strings
};

/* Graph, vertex and edge attributes of every type, named to need escaping
 * too, with every awkward value somewhere. */
static void add_awkward_attributes(ng_graph *G)
{
    igraph_t *g = &G->g;
    assert_int_equal(SETGAN(g, "nan", NAN), IGRAPH_SUCCESS);
    assert_int_equal(SETGAN(g, "tiny", 5e-324), IGRAPH_SUCCESS);
    assert_int_equal(SETGAS(g, "title", "A&B <\"Ltd\"> 'x'\ttab"), IGRAPH_SUCCESS);
    assert_int_equal(SETGAS(g, "empty", ""), IGRAPH_SUCCESS);
    assert_int_equal(SETGAB(g, "flag", 1), IGRAPH_SUCCESS);
    for (igraph_integer_t v = 0; v < igraph_vcount(g); v++) {
        assert_int_equal(SETVAN(g, "odd", v, awkward_numbers[v % NUMBERS]), IGRAPH_SUCCESS);
        assert_int_equal(SETVAS(g, "note", v, awkward_strings[v % STRINGS]), IGRAPH_SUCCESS);
        assert_int_equal(SETVAB(g, "seen", v, v % 3 == 0), IGRAPH_SUCCESS);
        assert_int_equal(SETVAN(g, "a&b<'\">", v, -(double)v / 7), IGRAPH_SUCCESS);
    }
    for (igraph_integer_t e = 0; e < igraph_ecount(g); e++) {
        assert_int_equal(SETEAN(g, "odd", e, awkward_numbers[(e + 5) % NUMBERS]), IGRAPH_SUCCESS);
        assert_int_equal(SETEAS(g, "note", e, awkward_strings[e % STRINGS]), IGRAPH_SUCCESS);
        assert_int_equal(SETEAB(g, "seen", e, e % 2), IGRAPH_SUCCESS);
    }
}

static void test_every_type(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *G = built_graph(40, 80, 11u, &dict);
    add_awkward_attributes(G);
    assert_same_as_igraph(G);
    size_t len; /* the awkward values did reach the file */
    char *xml = write_ours(G, &len);
    static const char *const seen[] = {
        "<data key=\"g_title\">A&amp;B &lt;&quot;Ltd&quot;&gt; &apos;x&apos;\ttab</data>",
        "<data key=\"g_empty\"></data>", "<data key=\"g_flag\">true</data>",
        "<data key=\"g_tiny\">4.94065645841247e-324</data>",
        "<data key=\"v_odd\">-Inf</data>", "<data key=\"v_odd\">-0</data>",
        "<data key=\"v_odd\">1e+15</data>", "<data key=\"v_odd\">1.5e-05</data>",
        "<key id=\"v_a&amp;b&lt;&apos;&quot;&gt;\" for=\"node\" "
        "attr.name=\"a&amp;b&lt;&apos;&quot;&gt;\" attr.type=\"double\"/>",
        "<data key=\"e_note\">tab\there\nline\rreturn</data>",
        "<data key=\"e_seen\">false</data>"};
    for (size_t i = 0; i < sizeof seen / sizeof *seen; i++)
        if (!strstr(xml, seen[i]))
            fail_msg("missing: %s", seen[i]);
    assert_null(strstr(xml, "<data key=\"g_nan\">")); /* NaN left out */
    free(xml);
    ng_graph_free(G);
    ng_dict_free(dict);
}

/* Numbers of every magnitude (any bit pattern; short decimals) in a
 * thousand-vertex network. */
static void test_random_numbers(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *G = built_graph(1000, 3000, 13u, &dict);
    uint32_t seed = 17u;
    for (igraph_integer_t v = 0; v < igraph_vcount(&G->g); v++) {
        uint64_t bits = (uint64_t)ng_test_rand(&seed) << 40 ^ (uint64_t)ng_test_rand(&seed) << 20 ^
                        ng_test_rand(&seed);
        double any;
        memcpy(&any, &bits, sizeof any);
        double decimal = (double)(ng_test_rand(&seed) % 100000) / pow(10, ng_test_rand(&seed) % 12);
        assert_int_equal(SETVAN(&G->g, "bits", v, any), IGRAPH_SUCCESS);
        assert_int_equal(SETVAN(&G->g, "decimal", v, decimal), IGRAPH_SUCCESS);
    }
    assert_same_as_igraph(G);
    ng_graph_free(G);
    ng_dict_free(dict);
}

static void test_empty(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *G = built_graph(5, 0, 19u, &dict);
    assert_int_equal(ng_graph_edge_count(G), 0);
    assert_same_as_igraph(G);
    ng_graph_free(G);
    ng_dict_free(dict);
}

static void test_write_error(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *G = built_graph(20, 40, 23u, &dict);
    FILE *f = fopen("/dev/null", "r"); /* every write fails */
    assert_non_null(f);
    assert_int_equal(ng_export_graphml(G, f), NG_EIO);
    assert_non_null(strstr(ng_error_message(), "write failed"));
    fclose(f);
    ng_graph_free(G);
    ng_dict_free(dict);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_built),          cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_random_numbers), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
