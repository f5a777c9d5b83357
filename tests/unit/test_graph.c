/* test_graph.c: the network, its measures and its writers, on the 6-vertex
 * reference graph of docs (libraries-and-formats §3.8): kz-ru 12, kz-tr 5,
 * ru-tr 9, tr-nazarbayev 3, nazarbayev-astana 7, nazarbayev-att 1, astana-att 4. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nergraph.h>

#include "support.h"

#define assert_close(a, b, eps)                                                               \
    do {                                                                                      \
        double a_ = (a), b_ = (b);                                                            \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                          \
            fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);                              \
    } while (0)

static const char *const keys[] = {"astana", "att", "kz", "nazarbayev", "ru", "tr"};
enum { ASTANA, ATT, KZ, NAZ, RU, TR, N };

/* The reference dictionary: labels with markup and a control character,
 * which must never reach the writers as they are. */
static ng_dict *reference_dict(void)
{
    static const char *const cats[] = {"place", "organization", "state", "person", "state", "state"};
    char json[2048];
    size_t n = (size_t)snprintf(json, sizeof json, "{\"nergraph_dictionary\": 1, \"entities\": [\n");
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(json + n, sizeof json - n,
                              "%s{\"key\": \"%s\", \"label\": \"%s<&\\u0001>\", \"category\": "
                              "\"%s\", \"aliases\": [{\"text\": \"%s\", \"lang\": \"en\"}]}\n",
                              i ? "," : "", keys[i], keys[i], cats[i], keys[i]);
    snprintf(json + n, sizeof json - n, "]}\n");
    return ng_test_load_dict(json);
}

static ng_graph *reference_graph_with(ng_dict **dict_out, const ng_graph_options *o)
{
    ng_dict *dict = reference_dict();
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, N), NG_OK);
    ng_test_reference_counts(c);
    ng_graph *g;
    assert_int_equal(ng_graph_build(&g, dict, c, o), NG_OK);
    ng_cooc_free(c);
    *dict_out = dict;
    return g;
}

static ng_graph *reference_graph(ng_dict **dict_out)
{
    ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
    return reference_graph_with(dict_out, &o);
}

/* The edges of `g` as "a-b a-b ..." by key. */
static void edge_list(const ng_graph *g, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t e = 0; e < ng_graph_edge_count(g); e++) {
        size_t a, b;
        ng_graph_edge(g, e, &a, &b);
        n += (size_t)snprintf(out + n, cap - n, "%s%s-%s", e ? " " : "",
                              ng_graph_vertex_key(g, a), ng_graph_vertex_key(g, b));
    }
}

/* The keys of the rows of a TSV report with `o`, space-separated. */
static void report_keys(const ng_graph *g, ng_report_options o, char *out, size_t cap)
{
    o.format = NG_REPORT_TSV;
    o.sort = NG_MEASURE_DEGREE;
    char *buf = NULL;
    size_t len, n = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ng_report_write(g, &o, f), NG_OK);
    fclose(f);
    out[0] = '\0';
    for (char *line = strchr(buf, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        char *key = strchr(line, '\t') + 1;
        n += (size_t)snprintf(out + n, cap - n, "%s%.*s", n ? " " : "",
                              (int)(strchr(key, '\t') - key), key);
    }
    free(buf);
}

static void test_report_rows(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict);
    char got[256];
    ng_report_options o = NG_REPORT_OPTIONS_INIT;
    o.category = "state";
    report_keys(g, o, got, sizeof got);
    assert_string_equal(got, "tr kz ru");
    o = (ng_report_options)NG_REPORT_OPTIONS_INIT;
    o.ego = "nazarbayev";
    report_keys(g, o, got, sizeof got);
    assert_string_equal(got, "nazarbayev tr astana att");
    o.depth = 2;
    report_keys(g, o, got, sizeof got);
    assert_string_equal(got, "nazarbayev tr astana att kz ru");
    o.ego = "atlantis";
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(ng_report_write(g, &o, f), NG_EINVAL);
    assert_string_equal(ng_error_message(), "no actor with the key or label 'atlantis' in the graph");
    fclose(f);
    /* k-core and clustering: the triangle kz-ru-tr is a 2-core */
    assert_close(ng_graph_measure(g, KZ, NG_MEASURE_KCORE), 2, 0);
    assert_close(ng_graph_measure(g, ATT, NG_MEASURE_KCORE), 2, 0);
    assert_close(ng_graph_measure(g, KZ, NG_MEASURE_CLUSTERING), 1, 1e-12);
    assert_close(ng_graph_measure(g, TR, NG_MEASURE_CLUSTERING), 1.0 / 3, 1e-12);
    /* Markdown and CSV */
    char *buf = NULL;
    size_t len;
    o = (ng_report_options)NG_REPORT_OPTIONS_INIT;
    o.format = NG_REPORT_MARKDOWN;
    o.top = 1;
    f = open_memstream(&buf, &len);
    assert_int_equal(ng_report_write(g, &o, f), NG_OK);
    fclose(f);
    assert_non_null(strstr(buf, "| rank | actor | category | mentions | documents | degree |"));
    assert_non_null(strstr(buf, "\n|---:|---|---|---:|---:|"));
    free(buf);
    o.format = NG_REPORT_CSV;
    f = open_memstream(&buf, &len);
    assert_int_equal(ng_report_write(g, &o, f), NG_OK);
    fclose(f);
    assert_true(strncmp(buf, "rank,key,label,category,mentions,documents,degree,", 50) == 0);
    free(buf);
    ng_graph_free(g);
    ng_dict_free(dict);
}

static void test_edge_weights(void **state)
{
    (void)state;
    /* N = 41 windows; windows per entity: kz 17, ru 21, tr 17, naz 11. */
    static const struct {
        ng_edge_weight w;
        double kz_ru;
    } cases[] = {
        {NG_WEIGHT_COUNT, 12},
        {NG_WEIGHT_JACCARD, 12.0 / 26},
        {NG_WEIGHT_ASSOCIATION, 41.0 * 12 / (17 * 21)},
        {NG_WEIGHT_PMI, 0},  /* log2(41 * 12 / (17 * 21)), computed below */
        {NG_WEIGHT_NPMI, 0}, /* pmi / -log2(12 / 41) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ng_dict *dict;
        ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
        o.weight = cases[i].w;
        ng_graph *g = reference_graph_with(&dict, &o);
        double pmi = log2(41.0 * 12 / (17 * 21)), want = cases[i].kz_ru;
        if (cases[i].w == NG_WEIGHT_PMI)
            want = pmi;
        else if (cases[i].w == NG_WEIGHT_NPMI)
            want = pmi / -log2(12.0 / 41);
        int found = 0;
        for (size_t e = 0; e < ng_graph_edge_count(g); e++) {
            size_t a, b;
            ng_graph_edge(g, e, &a, &b);
            assert_true(ng_graph_edge_weight(g, e) > 0); /* below chance: left out */
            if (a == KZ && b == RU) {
                assert_close(ng_graph_edge_weight(g, e), want, 1e-12);
                found = 1;
            }
        }
        assert_true(found);
        /* count, jaccard and association are positive: no edge is lost */
        if (cases[i].w < NG_WEIGHT_PMI)
            assert_int_equal(ng_graph_edge_count(g), 7);
        ng_graph_free(g);
        ng_dict_free(dict);
    }
}

static void test_filters(void **state)
{
    (void)state;
    static const struct {
        uint64_t min_count, min_mentions;
        unsigned categories;
        size_t top_k;
        double alpha;
        int lcc;
        size_t vertices;
        const char *edges;
    } cases[] = {
        {1, 1, 0, 0, 0, 0, 6,
         "astana-att astana-nazarbayev att-nazarbayev kz-ru kz-tr nazarbayev-tr ru-tr"},
        {5, 1, 0, 0, 0, 0, 6, "astana-nazarbayev kz-ru kz-tr ru-tr"},
        {1, 1, 0, 1, 0, 0, 6, "astana-att astana-nazarbayev kz-ru ru-tr"},
        {1, 1, 0, 0, 0.3, 0, 6, "astana-att astana-nazarbayev kz-ru ru-tr"},
        {5, 1, 0, 0, 0, 1, 3, "kz-ru kz-tr ru-tr"},
        {1, 1, 1u << NG_CATEGORY_STATE, 0, 0, 0, 3, "kz-ru kz-tr ru-tr"},
        /* mentions: att is named 5 times, astana 11 */
        {1, 6, 0, 0, 0, 0, 5, "astana-nazarbayev kz-ru kz-tr nazarbayev-tr ru-tr"},
    };
    char got[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ng_dict *dict;
        ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
        o.min_count = cases[i].min_count;
        o.min_mentions = cases[i].min_mentions;
        o.categories = cases[i].categories;
        o.top_k = cases[i].top_k;
        o.backbone_alpha = cases[i].alpha;
        o.largest_component = cases[i].lcc;
        ng_graph *g = reference_graph_with(&dict, &o);
        edge_list(g, got, sizeof got);
        if (strcmp(got, cases[i].edges) != 0 || ng_graph_vertex_count(g) != cases[i].vertices)
            fail_msg("case %zu: %zu vertices, edges '%s'; want %zu, '%s'", i,
                     ng_graph_vertex_count(g), got, cases[i].vertices, cases[i].edges);
        assert_int_equal(IGRAPH_FINALLY_STACK_SIZE(), 0);
        ng_graph_free(g);
        ng_dict_free(dict);
    }
}

static void test_measures(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict);
    assert_int_equal(ng_graph_vertex_count(g), N);
    assert_int_equal(ng_graph_edge_count(g), 7);
    /* Vertices in key order. */
    for (int v = 0; v < N; v++)
        assert_string_equal(ng_graph_vertex_key(g, (size_t)v), keys[v]);
    static const double degree[N] = {2, 2, 2, 3, 2, 3};
    static const double strength[N] = {11, 5, 17, 11, 21, 17};
    static const double betweenness[N] = {4, 0, 0, 6, 4, 6}; /* with 1/w as lengths */
    static const double harmonic[N] = {3.2588, 2.0406, 4.3230, 3.3380, 5.2294, 4.1240};
    static const double pagerank[N] = {0.1759, 0.0920, 0.1737, 0.1633, 0.2118, 0.1834};
    static const double eigenvector[N] = {0.0687, 0.0245, 0.8947, 0.1606, 1.0, 0.7842};
    for (int v = 0; v < N; v++) {
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_DEGREE), degree[v], 1e-12);
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_STRENGTH), strength[v], 1e-12);
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_BETWEENNESS), betweenness[v],
                            1e-9);
        /* the mean of 1/distance over the other n - 1 vertices */
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_HARMONIC), harmonic[v], 1e-4);
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_PAGERANK), pagerank[v], 1e-4);
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_EIGENVECTOR), eigenvector[v],
                            1e-4);
    }
    /* Two communities of three; both the same size, so the one holding the
     * first vertex (astana) is community 0. */
    static const double community[N] = {0, 0, 1, 0, 1, 1};
    for (int v = 0; v < N; v++)
        assert_close(ng_graph_measure(g, (size_t)v, NG_MEASURE_COMMUNITY), community[v], 0);
    /* Control characters never reach the writers. */
    assert_string_equal(ng_graph_vertex_label(g, 0), "astana<&>");
    assert_int_equal(IGRAPH_FINALLY_STACK_SIZE(), 0);
    ng_graph_free(g);
    ng_dict_free(dict);
}

static char *write_to_string(ng_status (*writer)(const ng_graph *, FILE *), const ng_graph *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(writer(g, f), NG_OK);
    fclose(f);
    return buf;
}

static void test_graphml_round_trip(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict);
    char *xml = write_to_string(ng_export_graphml, g);
    assert_non_null(strstr(xml, "<key id=\"v_label\" for=\"node\" attr.name=\"label\""));
    assert_non_null(strstr(xml, "<key id=\"e_weight\" for=\"edge\" attr.name=\"weight\""));
    assert_non_null(strstr(xml, "astana&lt;&amp;&gt;"));
    char path[] = "/tmp/ng_test_graphml_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
    close(fd);
    ng_graph *back;
    ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
    assert_int_equal(ng_graph_read_graphml(&back, path, &o), NG_OK);
    unlink(path);
    assert_int_equal(ng_graph_vertex_count(back), N);
    assert_int_equal(ng_graph_edge_count(back), 7);
    for (size_t v = 0; v < N; v++) {
        assert_string_equal(ng_graph_vertex_key(back, v), keys[v]);
        assert_string_equal(ng_graph_vertex_label(back, v), ng_graph_vertex_label(g, v));
        assert_string_equal(ng_graph_vertex_category(back, v), ng_graph_vertex_category(g, v));
        for (int m = 0; m < NG_MEASURE_COUNT; m++)
            assert_close(ng_graph_measure(back, v, (ng_measure)m),
                                ng_graph_measure(g, v, (ng_measure)m), 1e-12);
    }
    /* Writing the re-read graph gives the same report. */
    ng_report_options ro = NG_REPORT_OPTIONS_INIT;
    char *r1 = NULL, *r2 = NULL;
    size_t l1, l2;
    FILE *f1 = open_memstream(&r1, &l1), *f2 = open_memstream(&r2, &l2);
    assert_int_equal(ng_report_write(g, &ro, f1), NG_OK);
    assert_int_equal(ng_report_write(back, &ro, f2), NG_OK);
    fclose(f1);
    fclose(f2);
    assert_string_equal(r1, r2);
    free(r1);
    free(r2);
    free(xml);
    ng_graph_free(back);
    ng_graph_free(g);
    ng_dict_free(dict);
}

static void test_read_errors(void **state)
{
    (void)state;
    char path[] = "/tmp/ng_test_badgraphml_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *junk = "<graphml><graph><node id=";
    assert_int_equal(write(fd, junk, strlen(junk)), (ssize_t)strlen(junk));
    close(fd);
    ng_graph *g = NULL;
    ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
    ng_status st = ng_graph_read_graphml(&g, path, &o);
    unlink(path);
    assert_int_not_equal(st, NG_OK);
    assert_null(g);
    assert_non_null(strstr(ng_error_message(), path));
    assert_int_equal(IGRAPH_FINALLY_STACK_SIZE(), 0);
    assert_int_equal(ng_graph_read_graphml(&g, "/nonexistent/x.graphml", &o), NG_EIO);
}

static void test_dot(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict);
    char *dot = write_to_string(ng_export_dot, g);
    assert_true(strncmp(dot, "graph nergraph {\n", 17) == 0);
    assert_non_null(strstr(dot, "\"kz\" -- \"ru\" [weight=12, count=12,"));
    assert_non_null(strstr(dot, "\"astana\" [label=\"astana<&>\", category=\"place\""));
    assert_null(strstr(dot, "e-")); /* no exponent numbers: Graphviz rejects them */
    assert_null(strstr(dot, "igraph"));
    free(dot);
    ng_graph_free(g);
    ng_dict_free(dict);
}

static void test_report_order(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict);
    ng_report_options o = NG_REPORT_OPTIONS_INIT;
    o.format = NG_REPORT_TSV;
    o.sort = NG_MEASURE_DEGREE;
    o.top = 3;
    char *buf = NULL;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ng_report_write(g, &o, f), NG_OK);
    fclose(f);
    /* degree 3: nazarbayev and tr, by label; then degree 2 by label: astana */
    const char *rows[] = {"rank\tkey", "1\tnazarbayev\t", "2\ttr\t", "3\tastana\t"};
    char *line = buf;
    for (size_t i = 0; i < 4; i++) {
        assert_true(strncmp(line, rows[i], strlen(rows[i])) == 0);
        line = strchr(line, '\n') + 1;
    }
    assert_int_equal(*line, '\0');
    free(buf);
    ng_graph_free(g);
    ng_dict_free(dict);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measures),
        cmocka_unit_test(test_graphml_round_trip),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_report_order),
        cmocka_unit_test(test_report_rows),
        cmocka_unit_test(test_edge_weights),
        cmocka_unit_test(test_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
