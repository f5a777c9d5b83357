/* test_export.c: the GEXF, JSON and CSV writers on the 6-vertex reference
 * graph of test_graph.c (kz-ru 12, kz-tr 5, ru-tr 9, tr-nazarbayev 3,
 * nazarbayev-astana 7, nazarbayev-att 1, astana-att 4; one document per
 * pair), with labels that need escaping or quoting, a Cyrillic label, facts
 * and roles; then on an empty graph and on a foreign GraphML (duplicate and
 * empty keys, a `type` attribute, positions, a tiny and a large weight). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <locale.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nergraph.h>

#include "support.h"
#include "jsonw.h"
#include "utf8.h"

static const char *const keys[] = {"astana", "att", "kz", "nazarbayev", "ru", "tr"};
enum { ASTANA, ATT, KZ, NAZ, RU, TR, N };

/* The label of att, as it must come back from every format. */
#define ATT_LABEL "A&T \"Ltd\" <'x'>, Inc"
#define KZ_LABEL "Қазақстан"

static const char reference_json[] =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    "{\"key\": \"astana\", \"label\": \"Astana\", \"category\": \"place\","
    " \"aliases\": [{\"text\": \"Astana\", \"lang\": \"en\"}],"
    " \"facts\": {\"founded\": \"1830\"}},\n"
    "{\"key\": \"att\", \"label\": \"A&T \\\"Ltd\\\" <'x'>, Inc\", \"category\":"
    " \"organization\", \"aliases\": [{\"text\": \"ATT\", \"lang\": \"en\"}]},\n"
    "{\"key\": \"kz\", \"label\": \"Қазақстан\", \"category\": \"state\","
    " \"aliases\": [{\"text\": \"Kazakhstan\", \"lang\": \"en\"}],"
    " \"facts\": {\"iso3166\": \"KZ\"}},\n"
    "{\"key\": \"nazarbayev\", \"label\": \"Nursultan Nazarbayev\", \"category\": \"person\","
    " \"aliases\": [{\"text\": \"Nazarbayev\", \"lang\": \"en\"}],"
    " \"roles\": [{\"title\": \"President, \\\"Elbasy\\\"\", \"from\": \"1991\","
    " \"to\": \"2019\"}]},\n"
    "{\"key\": \"ru\", \"label\": \"Россия\", \"category\": \"state\","
    " \"aliases\": [{\"text\": \"Russia\", \"lang\": \"en\"}],"
    " \"facts\": {\"iso3166\": \"RU\"}},\n"
    "{\"key\": \"tr\", \"label\": \"Türkiye\", \"category\": \"state\","
    " \"aliases\": [{\"text\": \"Turkey\", \"lang\": \"en\"}],"
    " \"facts\": {\"iso3166\": \"TR\"}}\n"
    "]}\n";

static ng_graph *reference_graph(ng_dict **dict_out, int with_edges)
{
    ng_dict *dict = ng_test_load_dict(reference_json);
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, N), NG_OK);
    if (with_edges)
        ng_test_reference_counts(c);
    ng_graph *g;
    ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
    assert_int_equal(ng_graph_build(&g, dict, c, &o), NG_OK);
    ng_cooc_free(c);
    *dict_out = dict;
    return g;
}

typedef ng_status (*writer_fn)(const ng_graph *, FILE *);

static char *write_to_string(writer_fn writer, const ng_graph *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(writer(g, f), NG_OK);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    assert_int_equal(strlen(buf), len); /* no NUL inside */
    return buf;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void assert_contains(const char *s, const char *what)
{
    if (!strstr(s, what))
        fail_msg("missing: %s", what);
}

/* No exponent numbers, no C0 control other than LF, valid UTF-8 is left to
 * the parsers. */
static void assert_plain(const char *s)
{
    for (const char *p = s; *p; p++) {
        if ((p[0] == 'e' || p[0] == 'E') && (p[1] == '-' || p[1] == '+') && p > s &&
            p[-1] >= '0' && p[-1] <= '9')
            fail_msg("exponent number near: %.40s", p > s + 10 ? p - 10 : s);
        if ((unsigned char)*p < 0x20 && *p != '\n')
            fail_msg("control character 0x%02x", (unsigned char)*p);
    }
}

/* ---- GEXF ---- */

static const char *schema(void)
{
    static const char path[] = NG_SOURCE_DIR "/../shared/schemas/gexf-1.3/gexf.rng";
    return access(path, R_OK) == 0 ? path : NULL;
}

/* Validate `xml` against the GEXF 1.3 RELAX NG schema with xmllint, or say
 * visibly why not. */
static void validate_gexf(const char *xml, const char *what)
{
    if (!schema() || system("command -v xmllint >/dev/null 2>&1") != 0) {
        printf("[  SKIPPED ] %s: xmllint or %s absent, GEXF not validated\n", what,
               NG_SOURCE_DIR "/../shared/schemas/gexf-1.3/gexf.rng");
        return;
    }
    char path[] = "/tmp/ng_test_gexf_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "xmllint --noout --nonet --relaxng '%s' '%s' 2>&1", schema(), path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[512];
    while (fgets(line, sizeof line, p))
        printf("    xmllint (%s): %s", what, line);
    int status = pclose(p);
    unlink(path);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_gexf(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict, 1);
    char *xml = write_to_string(ng_export_gexf, g);
    assert_true(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<gexf xmlns=\"http://gexf.net/1.3\" "
                             "xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n"
                             "  <meta>\n    <creator>nergraph</creator>\n",
                        strlen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<gexf xmlns=\"http://gexf.net/1.3\" "
                               "xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n"
                               "  <meta>\n    <creator>nergraph</creator>\n")) == 0);
    assert_null(strstr(xml, "schemaLocation"));
    assert_null(strstr(xml, "lastmodifieddate"));
    assert_contains(xml, "<graph defaultedgetype=\"undirected\" mode=\"static\">");
    assert_contains(xml, "window=sentence");
    /* typed declarations, label and weight not among them */
#define DECL(name, type) "      <attribute id=\"" name "\" title=\"" name "\" type=\"" type "\"/>\n"
    assert_contains(xml, "<attributes class=\"node\">\n"
                         DECL("key", "string") DECL("category", "string")
                         DECL("mentions", "integer") DECL("documents", "integer")
                         DECL("degree", "integer") DECL("strength", "double"));
    assert_contains(xml, DECL("community", "integer") DECL("founded", "string")
                         DECL("iso3166", "string") DECL("roles", "string")
                         "    </attributes>\n"
                         "    <attributes class=\"edge\">\n"
                         DECL("documents", "integer"));
#undef DECL
    for (int m = 0; m < NG_MEASURE_COUNT; m++) {
        char decl[96];
        snprintf(decl, sizeof decl, "<attribute id=\"%s\" ", ng_measure_name((ng_measure)m));
        assert_int_equal(count(xml, decl), 1);
    }
    assert_null(strstr(xml, "title=\"label\""));
    assert_null(strstr(xml, "title=\"weight\""));
    assert_null(strstr(xml, "title=\"size\""));
    assert_null(strstr(xml, "title=\"r\""));
    /* nodes: id = key, escaped label, values, viz */
    assert_contains(xml, "<nodes count=\"6\">");
    assert_int_equal(count(xml, "<node "), 6);
    assert_contains(xml, "      <node id=\"att\" label=\"A&amp;T &quot;Ltd&quot; "
                         "&lt;&apos;x&apos;&gt;, Inc\">\n"
                         "        <attvalues>\n"
                         "          <attvalue for=\"key\" value=\"att\"/>\n"
                         "          <attvalue for=\"category\" value=\"organization\"/>\n"
                         "          <attvalue for=\"mentions\" value=\"5\"/>\n"
                         "          <attvalue for=\"documents\" value=\"2\"/>\n"
                         "          <attvalue for=\"degree\" value=\"2\"/>\n"
                         "          <attvalue for=\"strength\" value=\"5\"/>\n"
                         "          <attvalue for=\"betweenness\" value=\"0\"/>\n");
    assert_contains(xml, "<node id=\"kz\" label=\"" KZ_LABEL "\">");
    assert_contains(xml, "<attvalue for=\"iso3166\" value=\"KZ\"/>");
    assert_contains(xml, "<attvalue for=\"roles\" value=\"President, &quot;Elbasy&quot; "
                         "(1991 to 2019)\"/>");
    assert_int_equal(count(xml, "for=\"founded\""), 1); /* unset elsewhere: no value */
    assert_int_equal(count(xml, "<viz:color "), 6);
    assert_int_equal(count(xml, "<viz:size value=\""), 6);
    assert_contains(xml, "<viz:color r=\"77\" g=\"175\" b=\"74\"/>"); /* organization */
    assert_contains(xml, "<viz:size value=\"50\"/>"); /* ru, the most mentioned */
    assert_null(strstr(xml, "viz:position"));
    /* edges */
    assert_contains(xml, "<edges count=\"7\">");
    assert_int_equal(count(xml, "<edge "), 7);
    assert_contains(xml, "      <edge id=\"e3\" source=\"kz\" target=\"ru\" weight=\"12\">\n"
                         "        <attvalues>\n"
                         "          <attvalue for=\"documents\" value=\"1\"/>\n");
    assert_contains(xml, "<edge id=\"e2\" source=\"att\" target=\"nazarbayev\" weight=\"1\">");
    static const char tail[] = "  </graph>\n</gexf>\n";
    assert_string_equal(xml + strlen(xml) - strlen(tail), tail);
    assert_plain(xml);
    validate_gexf(xml, "reference graph");
    /* the same bytes again */
    char *again = write_to_string(ng_export_gexf, g);
    assert_string_equal(xml, again);
    free(again);
    free(xml);
    ng_graph_free(g);
    ng_dict_free(dict);
}

/* ---- JSON ---- */

static const cJSON *member(const cJSON *o, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!m)
        fail_msg("no member \"%s\"", name);
    return m;
}

static void test_json(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict, 1);
    char *text = write_to_string(ng_export_json, g);
    assert_plain(text);
    assert_contains(text, "\n    {\"key\": \"att\", \"attributes\": {\"label\": "
                          "\"A&T \\\"Ltd\\\" <'x'>, Inc\", \"category\": \"organization\", "
                          "\"mentions\": 5, \"documents\": 2, \"degree\": 2, \"strength\": 5, "
                          "\"betweenness\": 0, ");
    assert_contains(text, "\"label\": \"" KZ_LABEL "\"");
    assert_contains(text, "\n    {\"key\": \"e3\", \"source\": \"kz\", \"target\": \"ru\", "
                          "\"undirected\": true, \"attributes\": {\"weight\": 12, "
                          "\"documents\": 1");
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *opts = member(root, "options");
    assert_string_equal(member(opts, "type")->valuestring, "undirected");
    assert_true(cJSON_IsFalse(member(opts, "multi")));
    assert_true(cJSON_IsFalse(member(opts, "allowSelfLoops")));
    const cJSON *attrs = member(root, "attributes");
    assert_string_equal(member(attrs, "window")->valuestring, "sentence");
    assert_true(cJSON_IsNumber(member(attrs, "documents_total")));
    assert_null(cJSON_GetObjectItemCaseSensitive(root, "links")); /* graphology's format only */
    const cJSON *nodes = member(root, "nodes"), *edges = member(root, "edges");
    assert_int_equal(cJSON_GetArraySize(nodes), N);
    assert_int_equal(cJSON_GetArraySize(edges), 7);
    for (int v = 0; v < N; v++) {
        const cJSON *node = cJSON_GetArrayItem(nodes, v);
        assert_string_equal(member(node, "key")->valuestring, keys[v]);
        const cJSON *a = member(node, "attributes");
        assert_true(cJSON_IsString(member(a, "label")));
        assert_true(cJSON_IsNumber(member(a, "size")));
        assert_true(cJSON_IsNumber(member(a, "pagerank")));
        assert_int_equal(strlen(member(a, "color")->valuestring), 7);
        /* sigma: no `type`; no positions; key not repeated */
        assert_null(cJSON_GetObjectItemCaseSensitive(a, "type"));
        assert_null(cJSON_GetObjectItemCaseSensitive(a, "x"));
        assert_null(cJSON_GetObjectItemCaseSensitive(a, "y"));
        assert_null(cJSON_GetObjectItemCaseSensitive(a, "key"));
        assert_null(cJSON_GetObjectItemCaseSensitive(a, "r"));
    }
    const cJSON *att = member(cJSON_GetArrayItem(nodes, ATT), "attributes");
    assert_string_equal(member(att, "label")->valuestring, ATT_LABEL);
    assert_string_equal(member(att, "color")->valuestring, "#4daf4a");
    assert_null(cJSON_GetObjectItemCaseSensitive(att, "iso3166")); /* unset: left out */
    const cJSON *kz = member(cJSON_GetArrayItem(nodes, KZ), "attributes");
    assert_string_equal(member(kz, "label")->valuestring, KZ_LABEL);
    assert_string_equal(member(kz, "iso3166")->valuestring, "KZ");
    assert_true(member(kz, "mentions")->valuedouble == 17);
    const cJSON *e3 = cJSON_GetArrayItem(edges, 3);
    assert_string_equal(member(e3, "key")->valuestring, "e3");
    assert_string_equal(member(e3, "source")->valuestring, "kz");
    assert_string_equal(member(e3, "target")->valuestring, "ru");
    assert_true(cJSON_IsTrue(member(e3, "undirected")));
    assert_true(member(member(e3, "attributes"), "weight")->valuedouble == 12);
    assert_true(member(member(e3, "attributes"), "documents")->valuedouble == 1);
    cJSON_Delete(root);
    free(text);
    ng_graph_free(g);
    ng_dict_free(dict);
}

/* ---- CSV ---- */

/* Parse the RFC 4180 record at *p into at most `cap` malloc'd fields;
 * advances *p past the record. Returns the number of fields. */
static size_t parse_record(const char **p, char **fields, size_t cap)
{
    size_t n = 0;
    const char *s = *p;
    for (;;) {
        char *f = malloc(strlen(s) + 1);
        assert_non_null(f);
        size_t len = 0;
        if (*s == '"') {
            for (s++;; s++) {
                assert_true(*s != '\0'); /* unterminated quote */
                if (*s == '"' && s[1] == '"')
                    f[len++] = *s++;
                else if (*s == '"')
                    break;
                else
                    f[len++] = *s;
            }
            s++;
            assert_true(*s == ',' || *s == '\n');
        } else {
            while (*s && *s != ',' && *s != '\n') {
                assert_true(*s != '"'); /* a quote only in a quoted field */
                f[len++] = *s++;
            }
        }
        f[len] = '\0';
        assert_true(n < cap);
        fields[n++] = f;
        if (*s != ',')
            break;
        s++;
    }
    assert_int_equal(*s, '\n'); /* every record ends in LF */
    *p = s + 1;
    return n;
}

static void free_fields(char **fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(fields[i]);
}

static void test_csv(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict, 1);
    char *nodes = write_to_string(ng_export_csv_nodes, g);
    char *edges = write_to_string(ng_export_csv_edges, g);
    assert_plain(nodes);
    assert_plain(edges);
    assert_false(strncmp(nodes, "\xEF\xBB\xBF", 3) == 0); /* no BOM */
    /* the header: fixed columns, the measures in ng_measure order, the facts
     * and roles in the order the graph created them */
    char expected[512] = "Id,Label,category,mentions,documents";
    for (int m = 0; m < NG_MEASURE_COUNT; m++) {
        strcat(expected, ",");
        strcat(expected, ng_measure_name((ng_measure)m));
    }
    strcat(expected, ",founded,iso3166,roles\n");
    assert_true(strncmp(nodes, expected, strlen(expected)) == 0);
    assert_int_equal(count(nodes, "\n"), N + 1);
    /* degree, strength, betweenness follow documents */
    assert_contains(nodes, "\natt,\"A&T \"\"Ltd\"\" <'x'>, Inc\",organization,5,2,2,5,0,");
    assert_contains(nodes, "\nkz," KZ_LABEL ",state,17,2,2,17,0,");
    assert_contains(nodes, ",\"President, \"\"Elbasy\"\" (1991 to 2019)\"\n");
    /* parse every record back */
    const char *p = nodes;
    char *f[64];
    size_t header = parse_record(&p, f, 64);
    assert_int_equal(header, 5 + NG_MEASURE_COUNT + 3);
    size_t iso = header - 2, roles = header - 1;
    assert_string_equal(f[iso], "iso3166");
    assert_string_equal(f[roles], "roles");
    free_fields(f, header);
    for (int v = 0; v < N; v++) {
        size_t k = parse_record(&p, f, 64);
        assert_int_equal(k, header);
        assert_string_equal(f[0], keys[v]);
        assert_string_equal(f[1], ng_graph_vertex_label(g, (size_t)v));
        if (v == ATT)
            assert_string_equal(f[1], ATT_LABEL);
        if (v == NAZ)
            assert_string_equal(f[roles], "President, \"Elbasy\" (1991 to 2019)");
        if (v == KZ)
            assert_string_equal(f[iso], "KZ");
        if (v == ATT)
            assert_string_equal(f[iso], ""); /* unset */
        free_fields(f, k);
    }
    assert_int_equal(*p, '\0');

    assert_true(strncmp(edges, "Source,Target,Type,Weight,documents",
                        strlen("Source,Target,Type,Weight,documents")) == 0);
    assert_int_equal(count(edges, "\n"), 7 + 1);
    assert_contains(edges, "\nkz,ru,Undirected,12,1");
    assert_contains(edges, "\nastana,att,Undirected,4,1");
    p = edges;
    size_t ecols = parse_record(&p, f, 64);
    free_fields(f, ecols);
    for (int e = 0; e < 7; e++) {
        size_t k = parse_record(&p, f, 64);
        assert_int_equal(k, ecols);
        assert_string_equal(f[2], "Undirected");
        free_fields(f, k);
    }
    free(nodes);
    free(edges);
    ng_graph_free(g);
    ng_dict_free(dict);
}

/* ---- every writer ---- */

static writer_fn const writers[] = {ng_export_gexf, ng_export_json, ng_export_csv_nodes,
                                    ng_export_csv_edges};

static void test_empty_graph(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict, 0);
    assert_int_equal(ng_graph_vertex_count(g), 0);
    char *xml = write_to_string(ng_export_gexf, g);
    assert_contains(xml, "<nodes count=\"0\">\n    </nodes>\n    <edges count=\"0\">\n");
    validate_gexf(xml, "empty graph");
    free(xml);
    char *text = write_to_string(ng_export_json, g);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_int_equal(cJSON_GetArraySize(member(root, "nodes")), 0);
    assert_int_equal(cJSON_GetArraySize(member(root, "edges")), 0);
    cJSON_Delete(root);
    free(text);
    char *nodes = write_to_string(ng_export_csv_nodes, g);
    assert_int_equal(count(nodes, "\n"), 1);
    assert_true(strncmp(nodes, "Id,Label", 8) == 0);
    free(nodes);
    ng_graph_free(g);
    ng_dict_free(dict);
}

static void test_write_error(void **state)
{
    (void)state;
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict, 1);
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
        FILE *f = fopen("/dev/null", "r"); /* every write fails */
        assert_non_null(f);
        assert_int_equal(writers[i](g, f), NG_EIO);
        assert_true(strstr(ng_error_message(), "write failed") != NULL);
        fclose(f);
    }
    ng_graph_free(g);
    ng_dict_free(dict);
}

/* A host program's LC_NUMERIC does not reach the numbers. */
static void test_locale(void **state)
{
    (void)state;
    static const char *const comma_locales[] = {"de_DE.UTF-8", "ru_RU.UTF-8", "fr_FR.UTF-8",
                                                "de_DE.utf8", "ru_RU.utf8"};
    const char *name = NULL;
    for (size_t i = 0; i < sizeof comma_locales / sizeof *comma_locales && !name; i++)
        if (setlocale(LC_NUMERIC, comma_locales[i]))
            name = comma_locales[i];
    setlocale(LC_NUMERIC, "C");
    if (!name) {
        printf("[  SKIPPED ] locale: no locale with a decimal comma installed\n");
        return;
    }
    ng_dict *dict;
    ng_graph *g = reference_graph(&dict, 1);
    char *plain[4], *local[4];
    for (size_t i = 0; i < 4; i++)
        plain[i] = write_to_string(writers[i], g);
    setlocale(LC_NUMERIC, name);
    for (size_t i = 0; i < 4; i++)
        local[i] = write_to_string(writers[i], g);
    setlocale(LC_NUMERIC, "C");
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(plain[i], local[i]);
        free(plain[i]);
        free(local[i]);
    }
    ng_graph_free(g);
    ng_dict_free(dict);
}

/* A GraphML from elsewhere: duplicate, empty and colliding keys, a `type`
 * and a boolean attribute, positions, a tiny and a large weight. */
static void test_foreign_graphml(void **state)
{
    (void)state;
    char path[] = "/tmp/ng_test_export_graphml_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        "<key id=\"k\" for=\"node\" attr.name=\"key\" attr.type=\"string\"/>\n"
        "<key id=\"l\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
        "<key id=\"t\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
        "<key id=\"x\" for=\"node\" attr.name=\"x\" attr.type=\"double\"/>\n"
        "<key id=\"y\" for=\"node\" attr.name=\"y\" attr.type=\"double\"/>\n"
        "<key id=\"f\" for=\"node\" attr.name=\"flag\" attr.type=\"boolean\"/>\n"
        "<key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
        "<graph edgedefault=\"undirected\">\n"
        "<node id=\"a\"><data key=\"k\">dup</data><data key=\"l\">tab\there&#13;&#10;line</data>"
        "<data key=\"t\">star</data><data key=\"x\">1.5</data><data key=\"y\">-2</data>"
        "<data key=\"f\">true</data></node>\n"
        "<node id=\"b\"><data key=\"k\">dup</data></node>\n"
        "<node id=\"c\"><data key=\"k\">n3</data></node>\n"
        "<node id=\"d\"/>\n"
        "<edge source=\"a\" target=\"b\"><data key=\"w\">0.0000001</data></edge>\n"
        "<edge source=\"c\" target=\"d\"><data key=\"w\">1e9</data></edge>\n"
        "</graph>\n</graphml>\n";
    assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
    close(fd);
    ng_graph *g;
    ng_graph_options o = NG_GRAPH_OPTIONS_INIT;
    assert_int_equal(ng_graph_read_graphml(&g, path, &o), NG_OK);
    unlink(path);
    /* ids: dup, then n1 for the second dup; c keeps n3; d (key "" read as
     * "n3") is n3 taken, and its fallback n3 taken too: n3_ */
    char *gexf = write_to_string(ng_export_gexf, g);
    assert_plain(gexf);
    /* graph.c drops the CR; tab and LF kept as character references */
    assert_contains(gexf, "<node id=\"dup\" label=\"tab&#9;here&#10;line\">");
    assert_contains(gexf, "<node id=\"n1\" ");
    assert_contains(gexf, "<node id=\"n3\" ");
    assert_contains(gexf, "<node id=\"n3_\" ");
    assert_contains(gexf, "<edge id=\"e0\" source=\"dup\" target=\"n1\" weight=\"0.0000001\"");
    assert_contains(gexf, "<edge id=\"e1\" source=\"n3\" target=\"n3_\" "
                          "weight=\"1000000000\"");
    assert_contains(gexf, "<viz:position x=\"1.5\" y=\"-2\"/>");
    assert_contains(gexf, "<attribute id=\"flag\" title=\"flag\" type=\"boolean\"/>");
    assert_contains(gexf, "<attvalue for=\"flag\" value=\"true\"/>");
    validate_gexf(gexf, "foreign GraphML");
    free(gexf);
    char *text = write_to_string(ng_export_json, g);
    assert_plain(text);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *nodes = member(root, "nodes");
    assert_int_equal(cJSON_GetArraySize(nodes), 4);
    static const char *const ids[] = {"dup", "n1", "n3", "n3_"};
    for (int v = 0; v < 4; v++) {
        const cJSON *node = cJSON_GetArrayItem(nodes, v);
        assert_string_equal(member(node, "key")->valuestring, ids[v]);
        assert_null(cJSON_GetObjectItemCaseSensitive(member(node, "attributes"), "type"));
    }
    const cJSON *a = member(cJSON_GetArrayItem(nodes, 0), "attributes");
    assert_string_equal(member(a, "label")->valuestring, "tab\there\nline");
    assert_true(member(a, "x")->valuedouble == 1.5);
    assert_true(member(a, "y")->valuedouble == -2);
    assert_true(cJSON_IsTrue(member(a, "flag")));
    const cJSON *e0 = cJSON_GetArrayItem(member(root, "edges"), 0);
    assert_true(member(member(e0, "attributes"), "weight")->valuedouble == 1e-7);
    cJSON_Delete(root);
    free(text);
    char *nodes_csv = write_to_string(ng_export_csv_nodes, g);
    assert_contains(nodes_csv, "\ndup,\"tab\there\nline\",");
    free(nodes_csv);
    ng_graph_free(g);
}

/* JSON strings go through an 8 KB buffer: escapes, multi-byte letters and
 * invalid bytes must come out the same wherever the buffer fills. */
static void test_json_string_buffered(void **state)
{
    (void)state;
    static const char *const pieces[] = {"abc ", "\"", "\\", "\n", "\r", "\t", "\x01", "\x1f",
                                         "Қазақстан", "İ", "\xFF", "\x7F", "~"};
    size_t cap = 40000, len = 0, expect_len = 0;
    char *in = malloc(cap), *expect = malloc(3 * cap);
    assert_non_null(in);
    assert_non_null(expect);
    for (unsigned i = 0; len + 32 < cap; i = i * 7 + 3) {
        const char *p = pieces[i % (sizeof pieces / sizeof *pieces)];
        memcpy(in + len, p, strlen(p));
        len += strlen(p);
        const char *e = strcmp(p, "\"") == 0    ? "\\\""
                        : strcmp(p, "\\") == 0  ? "\\\\"
                        : strcmp(p, "\n") == 0  ? "\\n"
                        : strcmp(p, "\r") == 0  ? "\\r"
                        : strcmp(p, "\t") == 0  ? "\\t"
                        : strcmp(p, "\x01") == 0 ? "\\u0001"
                        : strcmp(p, "\x1f") == 0 ? "\\u001f"
                        : strcmp(p, "\xFF") == 0 ? "\xEF\xBF\xBD"
                                                 : p;
        memcpy(expect + expect_len, e, strlen(e));
        expect_len += strlen(e);
    }
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    assert_non_null(f);
    fputs("x", f);
    ng_json_write_string(f, in, len);
    ng_jsonbuf b = {.out = f, .n = 0};
    ng_jsonbuf_put(&b, "y", 1);
    ng_jsonbuf_string(&b, in, len);
    ng_jsonbuf_uint(&b, 4294967295u);
    ng_jsonbuf_flush(&b);
    fclose(f);
    assert_int_equal(out_len, 1 + 2 * (expect_len + 2) + 1 + 10);
    for (int k = 0; k < 2; k++) {
        const char *o = out + 1 + (size_t)k * (expect_len + 3);
        assert_int_equal(o[0], '"');
        assert_memory_equal(o + 1, expect, expect_len);
        assert_int_equal(o[expect_len + 1], '"');
    }
    assert_memory_equal(out + out_len - 10, "4294967295", 10);
    free(out);
    free(in);
    free(expect);
}

/* Up to `most` (2^k - 1) random pieces, end to end, into `out`; returns the
 * length. */
static size_t random_text(char *out, const char *const *pieces, size_t count, unsigned most,
                          uint32_t *seed)
{
    size_t len = 0;
    *seed = *seed * 1103515245u + 12345u;
    for (unsigned n = *seed >> 16 & most; n > 0; n--) {
        *seed = *seed * 1103515245u + 12345u;
        const char *p = pieces[(*seed >> 16) % count];
        memcpy(out + len, p, strlen(p));
        len += strlen(p);
    }
    return len;
}

/* The escaping as the JSON contract states it, a byte or a character at a
 * time, for test_json_string_random. */
static size_t reference_json_string(const char *s, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, len - i, &cp);
        if (!k) {
            o += (size_t)sprintf(out + o, "\xEF\xBF\xBD");
            i++;
        } else if (cp == '"' || cp == '\\') {
            o += (size_t)sprintf(out + o, "\\%c", (char)cp);
            i++;
        } else if (cp < 0x20) {
            const char *e = cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : cp == '\t' ? "\\t" : NULL;
            o += e ? (size_t)sprintf(out + o, "%s", e) : (size_t)sprintf(out + o, "\\u%04x", (unsigned)cp);
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    out[o++] = '"';
    return o;
}

/* Random texts of runs that the fast paths take (plain ASCII longer and
 * shorter than 16 bytes) between everything else: escapes at every offset,
 * multi-byte characters, invalid and cut-off sequences. */
static void test_json_string_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {"a", "plain ascii text, longer than sixteen", "0123456789abcde",
                                         "\"", "\\", "\n", "\x01", "\x1f", "\x7f", " ",
                                         "Қ", "ş", "€", "\xF0\x9F\x98\x80", "\xFF", "\xC3",
                                         "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF", "\x80"};
    enum { TEXTS = 3000, MAX_PIECES = 40 };
    char in[MAX_PIECES * 40], want[sizeof in * 6 + 2];
    uint32_t seed = 12345;
    for (int t = 0; t < TEXTS; t++) {
        size_t len = random_text(in, pieces, sizeof pieces / sizeof *pieces, 31, &seed);
        size_t want_len = reference_json_string(in, len, want);
        char *out = NULL;
        size_t out_len = 0;
        FILE *f = open_memstream(&out, &out_len);
        assert_non_null(f);
        ng_jsonbuf b = {.out = f, .n = sizeof b.buf - (size_t)t % 40}; /* fills at every offset */
        memset(b.buf, 'x', b.n);
        ng_jsonbuf_string(&b, in, len);
        ng_jsonbuf_flush(&b);
        fclose(f);
        size_t skip = sizeof b.buf - (size_t)t % 40;
        assert_int_equal(out_len - skip, want_len);
        assert_memory_equal(out + skip, want, want_len);
        free(out);
    }
}

/* Numbers of every length, each power of ten and its neighbours included
 * (the digit count comes from the bit length), against printf, written at
 * every offset near the end of the buffer. */
static void test_json_uint(void **state)
{
    (void)state;
    uint64_t values[4 * 20 + 200];
    size_t n = 0;
    values[n++] = 0;
    values[n++] = UINT64_MAX;
    for (uint64_t p = 1, i = 0; i < 20; i++, p *= 10) {
        values[n++] = p;
        values[n++] = p - 1;
        values[n++] = p + 1;
    }
    uint64_t seed = 88172645463325252u;
    while (n < sizeof values / sizeof *values) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        values[n++] = seed >> (seed % 64); /* lengths spread evenly */
    }
    for (size_t i = 0; i < n; i++) {
        char want[32], *out = NULL;
        size_t out_len = 0, want_len = (size_t)sprintf(want, "%" PRIu64, values[i]);
        FILE *f = open_memstream(&out, &out_len);
        assert_non_null(f);
        ng_jsonbuf b = {.out = f, .n = sizeof b.buf - i % 24};
        memset(b.buf, 'x', b.n);
        ng_jsonbuf_uint(&b, values[i]);
        ng_jsonbuf_flush(&b);
        fclose(f);
        size_t skip = sizeof b.buf - i % 24;
        assert_int_equal(out_len - skip, want_len);
        assert_memory_equal(out + skip, want, want_len);
        free(out);
    }
}

/* The snippet rule a byte at a time: white space runs fold to one space
 * (none at the start or the end), and the text stops at the first
 * character that starts at or after `limit` bytes (0: none), with an
 * ellipsis. (The buffer's own cap is far above these texts.) */
static size_t reference_snippet(const char *s, size_t len, size_t limit, char *out)
{
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = n > 0;
            continue;
        }
        int boundary = (c & 0xC0) != 0x80;
        if (boundary && limit && n >= limit) {
            memcpy(out + n, "\xE2\x80\xA6", 3);
            return n + 3;
        }
        if (space && boundary)
            out[n++] = ' ';
        space = space && !boundary;
        out[n++] = (char)c;
    }
    return n;
}

/* Snippets of random texts (words longer and shorter than 16 bytes, runs
 * of every kind of white space, multi-byte letters, a stray continuation
 * byte after a space), with limits near where the 16-byte steps fall,
 * against the rule a byte at a time. */
static void test_snippet_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {"a", "word", "sixteen-byte-run", "a-much-longer-word-than-16",
                                         " ", "  ", "\n", "\r\n", "\t", " \n\t ", "Қазақстан",
                                         "ş", "€", "\xF0\x9F\x98\x80", "\x80", ".", ","};
    uint32_t seed = 7;
    char text[2048], want[4096];
    for (int t = 0; t < 4000; t++) {
        size_t len = random_text(text, pieces, sizeof pieces / sizeof *pieces, 63, &seed);
        seed = seed * 1103515245u + 12345u;
        size_t limit = t % 3 == 0 ? 0 : (seed >> 16) % 80;
        size_t want_len = reference_snippet(text, len, limit, want);
        ng_evidence ev = {.text = {0, (uint32_t)len}};
        char *out = NULL;
        size_t out_len = 0;
        FILE *f = open_memstream(&out, &out_len);
        assert_non_null(f);
        ng_evidence_write_snippet(f, text, &ev, limit);
        fclose(f);
        if (out_len != want_len || memcmp(out, want, want_len) != 0)
            fail_msg("text %d, limit %zu: \"%.*s\", want \"%.*s\"", t, limit, (int)out_len, out,
                     (int)want_len, want);
        free(out);
    }
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gexf),        cmocka_unit_test(test_json),
        cmocka_unit_test(test_csv),         cmocka_unit_test(test_empty_graph),
        cmocka_unit_test(test_write_error), cmocka_unit_test(test_locale),
        cmocka_unit_test(test_json_string_buffered), cmocka_unit_test(test_json_string_random),
        cmocka_unit_test(test_foreign_graphml), cmocka_unit_test(test_json_uint),
        cmocka_unit_test(test_snippet_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
