/* fuzz_pipeline.c: one document through every stage, to GraphML and back.
 *
 * Input: the bytes of one document (any encoding ng_decode sniffs). A fixed
 * tiny dictionary (English, Kazakh, Russian, Turkish aliases; an acronym; a
 * demonym; context rules, one deciding an alias two entities share) and Kazakh and Russian ending tables are written once at start-up.
 * Invariants:
 *  - ng_doc_run succeeds; every mention has source offsets inside the file,
 *    source.start < source.end, decoded offsets inside the text that map to
 *    those source offsets, a sentence span that contains it (in source and
 *    decoded offsets) and is that sentence's span; mentions are ordered and
 *    disjoint; an alias of the mention's entity; no demonym unless asked;
 *  - the co-occurrence counts equal a naive count of the mentions (per
 *    entity, per pair of entities sharing a sentence);
 *  - the graph has a vertex per mentioned entity and an edge per pair;
 *  - GraphML written by ng_export_graphml reads back with
 *    ng_graph_read_graphml into the same vertices (keys, labels, mentions),
 *    edges (endpoints, weights) and measures;
 *  - igraph's FINALLY stack is empty after every step.
 */
#include <math.h>

#include <igraph.h>

#include "fuzz_common.h"

static const char dict_json[] =
    "{\"nergraph_dictionary\": 1, \"entities\": [\n"
    " {\"key\": \"china\", \"label\": \"China\", \"category\": \"state\", \"aliases\": [\n"
    "  {\"text\": \"China\", \"lang\": \"en\"}, {\"text\": \"Қытай\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"Китай\", \"lang\": \"ru\"}, {\"text\": \"Çin\", \"lang\": \"tr\"},\n"
    "  {\"text\": \"Chinese\", \"lang\": \"en\", \"demonym\": true}]},\n"
    " {\"key\": \"kazakhstan\", \"label\": \"Kazakhstan\", \"category\": \"state\",\n"
    "  \"aliases\": [\n"
    "  {\"text\": \"Kazakhstan\", \"lang\": \"en\"}, {\"text\": \"Қазақстан\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"Казахстан\", \"lang\": \"ru\"}, {\"text\": \"Kazakistan\", \"lang\": \"tr\"},\n"
    "  {\"text\": \"Republic of Kazakhstan\", \"lang\": \"en\"},\n"
    "  {\"text\": \"Қазақстан Республикасы\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"ҚР\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"Kazakh\", \"lang\": \"en\", \"demonym\": true}],\n"
    "  \"facts\": {\"iso3166\": \"KZ\"}},\n"
    " {\"key\": \"russia\", \"label\": \"Russia\", \"category\": \"state\", \"aliases\": [\n"
    "  {\"text\": \"Russia\", \"lang\": \"en\"}, {\"text\": \"Ресей\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"Россия\", \"lang\": \"ru\"}, {\"text\": \"Rusya\", \"lang\": \"tr\"},\n"
    "  {\"text\": \"Russian Federation\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"xinjiang\", \"label\": \"Xinjiang\", \"category\": \"place\",\n"
    "  \"aliases\": [\n"
    "  {\"text\": \"Xinjiang\", \"lang\": \"en\"}, {\"text\": \"Шыңжаң\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"Синьцзян\", \"lang\": \"ru\"}, {\"text\": \"Sincan\", \"lang\": \"tr\"},\n"
    "  {\"text\": \"XUAR\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"tokayev\", \"label\": \"Kassym-Jomart Tokayev\", \"category\": \"person\",\n"
    "  \"aliases\": [{\"text\": \"Tokayev\", \"lang\": \"en\"},\n"
    "  {\"text\": \"Toqayev\", \"lang\": \"en\"},\n"
    "  {\"text\": \"Тоқаев\", \"lang\": \"kk\"}, {\"text\": \"Токаев\", \"lang\": \"ru\"}],\n"
    "  \"roles\": [{\"title\": \"President\", \"from\": \"2019\"}]},\n"
    " {\"key\": \"un\", \"label\": \"United Nations\", \"category\": \"organization\",\n"
    "  \"aliases\": [\n"
    "  {\"text\": \"United Nations\", \"lang\": \"en\"}, {\"text\": \"UN\", \"lang\": \"en\"},\n"
    "  {\"text\": \"ООН\", \"lang\": \"ru\"}, {\"text\": \"БҰҰ\", \"lang\": \"kk\"},\n"
    "  {\"text\": \"Birleşmiş Milletler\", \"lang\": \"tr\"}]},\n"
    " {\"key\": \"turkestan\", \"label\": \"Turkestan\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Turkestan\", \"lang\": \"en\"}]},\n"
    " {\"key\": \"turkestan-city\", \"label\": \"Turkestan (city)\", \"category\": \"place\",\n"
    "  \"aliases\": [{\"text\": \"Turkestan\", \"lang\": \"en\",\n"
    "   \"context\": {\"require\": [\"city\", \"mausoleum of\"], \"window\": 2}}]},\n"
    " {\"key\": \"almaty\", \"label\": \"Almaty\", \"category\": \"place\",\n"
    "  \"aliases\": [\n"
    "  {\"text\": \"Almaty\", \"lang\": \"en\"}, {\"text\": \"Алматы\", \"lang\": \"kk\"}]}\n"
    "]}\n";

static const char kk_json[] =
    "{\"nergraph_suffixes\": 1, \"language\": \"kk\", \"script\": \"cyrillic\",\n"
    " \"max_chain\": 3, \"min_stem\": 3,\n"
    " \"harmony\": {\"back\": \"аоұыя\", \"front\": \"әеіөүэи\", \"loose_in_names\": \"еиу\",\n"
    "  \"invariant\": [\"мен\", \"бен\", \"пен\"]},\n"
    " \"suffixes\": [\"лар\", \"лер\", \"ның\", \"нің\", \"дың\", \"дің\", \"тың\", \"тің\",\n"
    "  \"ны\", \"ні\", \"ды\", \"ді\", \"ға\", \"ге\", \"қа\", \"ке\", \"на\", \"не\",\n"
    "  \"а\", \"е\",\n"
    "  \"да\", \"де\", \"та\", \"те\", \"дан\", \"ден\", \"тан\", \"тен\", \"нан\", \"нен\",\n"
    "  \"мен\", \"бен\", \"пен\", \"дағы\", \"дегі\", \"ы\", \"і\", \"сы\", \"сі\",\n"
    "  \"ың\", \"ің\"]}\n";

static const char ru_json[] =
    "{\"nergraph_suffixes\": 1, \"language\": \"ru\", \"script\": \"cyrillic\",\n"
    " \"max_chain\": 1, \"min_stem\": 3, \"drop_final\": [\"а\", \"я\", \"й\", \"ь\"],\n"
    " \"suffixes\": [\"а\", \"я\", \"у\", \"ю\", \"ом\", \"ем\", \"е\", \"ы\", \"и\", \"ой\",\n"
    "  \"ей\", \"ию\", \"ии\", \"ией\"]}\n";

static char doc_path[1200], graph_path[1200];
static ng_dict *dict;
static ng_suffixes *suffixes;
static ng_matcher *matcher;
static ng_doc doc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    const char *tmp = fuzz_tmpdir("pipeline");
    char dir[1100], sdir[1200], path[1300];
    snprintf(dir, sizeof dir, "%s/dict", tmp);
    snprintf(sdir, sizeof sdir, "%s/suffixes", dir);
    if (mkdir(dir, 0700) != 0 || mkdir(sdir, 0700) != 0) {
        perror(dir);
        abort();
    }
    snprintf(path, sizeof path, "%s/d.json", dir);
    fuzz_write_file(path, dict_json, strlen(dict_json));
    snprintf(path, sizeof path, "%s/kk.json", sdir);
    fuzz_write_file(path, kk_json, strlen(kk_json));
    snprintf(path, sizeof path, "%s/ru.json", sdir);
    fuzz_write_file(path, ru_json, strlen(ru_json));
    snprintf(doc_path, sizeof doc_path, "%s/doc.txt", tmp);
    snprintf(graph_path, sizeof graph_path, "%s/graph.graphml", tmp);
    if (ng_dict_load_dir(&dict, dir) != NG_OK || ng_suffixes_load_dir(&suffixes, sdir) != NG_OK ||
        ng_matcher_new(&matcher, dict, suffixes) != NG_OK) {
        fprintf(stderr, "fuzz_pipeline: %s\n", ng_error_message());
        abort();
    }
    return 0;
}

#define CHECK_FINALLY(step) \
    CHECK(IGRAPH_FINALLY_STACK_SIZE() == 0, "%s: igraph FINALLY stack holds %d", step, \
          IGRAPH_FINALLY_STACK_SIZE())

static int same_number(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * (1 + fabs(a) + fabs(b));
}

static void check_mentions(size_t raw_len, int demonyms)
{
    const ng_text *t = &doc.text;
    const ng_segments *ss = &doc.sentences;
    size_t ne = ng_dict_entity_count(dict), na = ng_dict_alias_count(dict);
    for (size_t i = 0; i < doc.mention_count; i++) {
        const ng_mention *x = &doc.mentions[i];
        CHECK(x->source.start < x->source.end && x->source.end <= raw_len,
              "mention %zu: source [%u, %u) in a file of %zu bytes", i, x->source.start,
              x->source.end, raw_len);
        CHECK(x->text.start < x->text.end && x->text.end <= t->len,
              "mention %zu: text [%u, %u) in a text of %zu bytes", i, x->text.start, x->text.end,
              t->len);
        CHECK(ng_text_source_offset(t, x->text.start) == x->source.start &&
                  ng_text_source_offset(t, x->text.end) == x->source.end,
              "mention %zu: text [%u, %u) does not map to source [%u, %u)", i, x->text.start,
              x->text.end, x->source.start, x->source.end);
        CHECK(x->sentence_span.start <= x->source.start && x->source.end <= x->sentence_span.end,
              "mention %zu: source [%u, %u) outside its sentence [%u, %u)", i, x->source.start,
              x->source.end, x->sentence_span.start, x->sentence_span.end);
        CHECK(x->sentence < ss->count, "mention %zu: sentence %u of %zu", i, x->sentence,
              ss->count);
        ng_span s = ss->spans[x->sentence];
        CHECK(s.start <= x->text.start && x->text.end <= s.end,
              "mention %zu: text [%u, %u) outside sentence %u [%u, %u)", i, x->text.start,
              x->text.end, x->sentence, s.start, s.end);
        CHECK(ng_text_source_offset(t, s.start) == x->sentence_span.start &&
                  ng_text_source_offset(t, s.end) == x->sentence_span.end,
              "mention %zu: sentence_span is not sentence %u", i, x->sentence);
        CHECK(x->entity < ne && x->alias < na && ng_dict_alias(dict, x->alias)->entity == x->entity,
              "mention %zu: entity %u, alias %u", i, x->entity, x->alias);
        CHECK(demonyms || !(ng_dict_alias(dict, x->alias)->flags & NG_ALIAS_DEMONYM),
              "mention %zu: a demonym", i);
        if (i > 0) {
            const ng_mention *p = &doc.mentions[i - 1];
            CHECK(p->text.end <= x->text.start, "mentions %zu [%u, %u) and %zu [%u, %u) overlap",
                  i - 1, p->text.start, p->text.end, i, x->text.start, x->text.end);
            CHECK(p->sentence <= x->sentence, "mention %zu: sentence %u after %u", i,
                  x->sentence, p->sentence);
        }
    }
}

/* The counts, naively: per entity, and per pair of entities in one sentence. */
static void check_counts(ng_cooc *c)
{
    size_t ne = ng_dict_entity_count(dict), m = doc.mention_count;
    CHECK(ng_cooc_document_total(c) == 1, "documents_total %llu",
          (unsigned long long)ng_cooc_document_total(c));
    for (uint32_t e = 0; e < ne; e++) {
        uint64_t n = 0;
        for (size_t i = 0; i < m; i++)
            n += doc.mentions[i].entity == e;
        CHECK(ng_cooc_entity(c, e)->mentions == n, "entity %u: %llu mentions counted, %llu expected", e,
              (unsigned long long)ng_cooc_entity(c, e)->mentions, (unsigned long long)n);
        CHECK(ng_cooc_entity(c, e)->documents == (n > 0), "entity %u: documents %llu", e,
              (unsigned long long)ng_cooc_entity(c, e)->documents);
    }
    uint64_t *windows = calloc(ne * ne, sizeof *windows);
    unsigned char *has = calloc(ne, 1);
    CHECK(windows && has, "out of memory");
    for (size_t i = 0; i < m;) { /* one sentence: mentions i..j-1 */
        size_t j = i;
        memset(has, 0, ne);
        while (j < m && doc.mentions[j].sentence == doc.mentions[i].sentence)
            has[doc.mentions[j++].entity] = 1;
        for (size_t a = 0; a < ne; a++)
            for (size_t b = a + 1; b < ne; b++)
                windows[a * ne + b] += has[a] && has[b];
        i = j;
    }
    const ng_pair *pairs;
    size_t count, expected = 0;
    CHECK(ng_cooc_pairs(c, &pairs, &count) == NG_OK, "ng_cooc_pairs failed");
    for (uint32_t a = 0; a < ne; a++) {
        for (uint32_t b = a + 1; b < ne; b++) {
            uint64_t w = windows[a * ne + b];
            if (!w)
                continue;
            CHECK(expected < count && pairs[expected].a == a && pairs[expected].b == b,
                  "pair %zu: expected (%u, %u)", expected, a, b);
            CHECK(pairs[expected].windows == w && pairs[expected].documents == 1,
                  "pair (%u, %u): %llu windows, %llu documents; expected %llu, 1", a, b,
                  (unsigned long long)pairs[expected].windows,
                  (unsigned long long)pairs[expected].documents, (unsigned long long)w);
            expected++;
        }
    }
    CHECK(count == expected, "%zu pairs, expected %zu", count, expected);
    free(windows);
    free(has);
}

static void compare_graphs(const ng_graph *g, const ng_graph *r)
{
    size_t n = ng_graph_vertex_count(g), m = ng_graph_edge_count(g);
    CHECK(ng_graph_vertex_count(r) == n && ng_graph_edge_count(r) == m,
          "read back %zu vertices and %zu edges, wrote %zu and %zu", ng_graph_vertex_count(r),
          ng_graph_edge_count(r), n, m);
    for (size_t v = 0; v < n; v++) {
        CHECK(strcmp(ng_graph_vertex_key(g, v), ng_graph_vertex_key(r, v)) == 0 &&
                  strcmp(ng_graph_vertex_label(g, v), ng_graph_vertex_label(r, v)) == 0 &&
                  strcmp(ng_graph_vertex_category(g, v), ng_graph_vertex_category(r, v)) == 0,
              "vertex %zu: \"%s\" read back as \"%s\"", v, ng_graph_vertex_key(g, v),
              ng_graph_vertex_key(r, v));
        CHECK(ng_graph_vertex_mentions(g, v) == ng_graph_vertex_mentions(r, v) &&
                  ng_graph_vertex_documents(g, v) == ng_graph_vertex_documents(r, v),
              "vertex %zu: counts differ after reading back", v);
        for (int k = 0; k < NG_MEASURE_COUNT; k++)
            CHECK(same_number(ng_graph_measure(g, v, (ng_measure)k),
                              ng_graph_measure(r, v, (ng_measure)k)),
                  "vertex %zu: %s %.17g, read back %.17g", v, ng_measure_name((ng_measure)k),
                  ng_graph_measure(g, v, (ng_measure)k), ng_graph_measure(r, v, (ng_measure)k));
    }
    for (size_t e = 0; e < m; e++) {
        size_t a, b, c, d;
        ng_graph_edge(g, e, &a, &b);
        ng_graph_edge(r, e, &c, &d);
        CHECK(a == c && b == d && ng_graph_edge_weight(g, e) == ng_graph_edge_weight(r, e) &&
                  ng_graph_edge_documents(g, e) == ng_graph_edge_documents(r, e),
              "edge %zu differs after reading back", e);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (!dict)
        LLVMFuzzerInitialize(NULL, NULL);
    fuzz_write_file(doc_path, data, size);
    ng_pipeline_options opts = NG_PIPELINE_OPTIONS_INIT;
    opts.include_demonyms = (int)(size & 1);
    ng_status st = ng_doc_run(&doc, doc_path, dict, matcher, &opts);
    CHECK(st == NG_OK, "ng_doc_run returned %d: %s", (int)st, ng_error_message());
    check_mentions(size, opts.include_demonyms);

    ng_cooc *cooc = NULL;
    CHECK(ng_cooc_new(&cooc, ng_dict_entity_count(dict)) == NG_OK, "ng_cooc_new failed");
    CHECK(ng_doc_count(&doc, cooc, &(ng_window_spec)NG_WINDOW_SPEC_INIT) == NG_OK, "ng_doc_count failed: %s",
          ng_error_message());
    check_counts(cooc);

    ng_graph_options gopts = NG_GRAPH_OPTIONS_INIT;
    ng_graph *g = NULL;
    /* graph.c seeds the RNG before every measure (found/pipeline-eigenvector-rng,
     * now corpus/pipeline/eigenvector-rng): a scrambled RNG must not matter. */
    igraph_rng_seed(igraph_rng_default(), 12345);
    st = ng_graph_build(&g, dict, cooc, &gopts);
    CHECK_FINALLY("ng_graph_build");
    CHECK(st == NG_OK, "ng_graph_build returned %d: %s", (int)st, ng_error_message());
    size_t vertices = 0, pair_count;
    const ng_pair *pairs;
    for (uint32_t e = 0; e < ng_dict_entity_count(dict); e++)
        vertices += ng_cooc_entity(cooc, e)->mentions > 0;
    CHECK(ng_cooc_pairs(cooc, &pairs, &pair_count) == NG_OK, "ng_cooc_pairs failed");
    CHECK(ng_graph_vertex_count(g) == vertices && ng_graph_edge_count(g) == pair_count,
          "graph of %zu vertices and %zu edges; %zu entities mentioned, %zu pairs",
          ng_graph_vertex_count(g), ng_graph_edge_count(g), vertices, pair_count);

    FILE *fp = fopen(graph_path, "wb");
    CHECK(fp != NULL, "cannot write %s", graph_path);
    st = ng_export_graphml(g, fp);
    CHECK(fclose(fp) == 0, "cannot write %s", graph_path);
    CHECK_FINALLY("ng_export_graphml");
    CHECK(st == NG_OK, "ng_export_graphml returned %d: %s", (int)st, ng_error_message());

    ng_graph *r = NULL;
    igraph_rng_seed(igraph_rng_default(), 777);
    st = ng_graph_read_graphml(&r, graph_path, &gopts);
    CHECK_FINALLY("ng_graph_read_graphml");
    CHECK(st == NG_OK, "ng_graph_read_graphml returned %d: %s", (int)st, ng_error_message());
    compare_graphs(g, r);
    if (getenv("NG_FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_pipeline: %zu mentions, %zu sentences, %zu vertices, %zu edges\n",
                doc.mention_count, doc.sentences.count, ng_graph_vertex_count(g),
                ng_graph_edge_count(g));

    ng_graph_free(r);
    ng_graph_free(g);
    CHECK_FINALLY("ng_graph_free");
    ng_cooc_free(cooc);
    return 0;
}
