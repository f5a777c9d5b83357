/* main.c: the nergraph command line. It parses options, calls the library
 * and maps ng_status to an exit code; nothing else happens here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nergraph.h>

#include "progress.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

static const char *const usage_main =
    "usage: nergraph <command> [options]\n"
    "\n"
    "Tag people, states, organizations and places named in documents and link\n"
    "those named together into a weighted network.\n"
    "\n"
    "commands:\n"
    "  build    tag a corpus and write the network, report and mentions into out/\n"
    "  tag      write the mentions of a corpus as JSON Lines on standard output\n"
    "  report   print the ranked table of actors of a GraphML file\n"
    "  explain  print the sentences in which two actors are named together\n"
    "  score    precision, recall and F1 of mentions against a gold sample\n"
    "  diff     what changed between two GraphML files\n"
    "  count    tag documents into a partial: counts that merge exactly\n"
    "  merge    merge partials into out/ (what build writes), or into a partial\n"
    "  dict     check the dictionaries, or their coverage of a corpus\n"
    "\n"
    "Run 'nergraph <command> --help' for the options of a command.\n"
    "exit codes: 0 ok, 1 bad input or data, 2 usage, 3 internal error\n";

static const char *const usage_build =
    "usage: nergraph build [--dict DIR] [--out DIR] [--encoding NAME] [--demonyms]\n"
    "                      [--window W] [--weight W] [--min-count N] [--min-mentions N]\n"
    "                      [--categories LIST] [--top-k K] [--backbone ALPHA] [--lcc]\n"

    "                      [--seed N] [--threads N] [--check] [--quiet] [PATH...]\n"
    "\n"
    "Tag the documents in PATH (files, directories read recursively in sorted\n"
    "order, or - for standard input; default: corpus) with the dictionaries in\n"
    "DIR (default: dictionaries) and write into the output directory (default:\n"
    "out): graph.graphml, graph.gexf, graph.json, nodes.csv, edges.csv (the\n"
    "network for Gephi, graphology, spreadsheets), graph.dot (Graphviz),\n"
    "two-mode.graphml (actors x documents), report.txt, mentions.jsonl and\n"
    "evidence.jsonl. Files are replaced only when everything succeeded.\n"
    "\n"
    "  --dict DIR       dictionary directory (*.json, *.jsonl, *.csv, *.tsv)\n"
    "  --out DIR        output directory (created if missing)\n"
    "  --encoding NAME  encoding of every input (default: BOM, else UTF-8, else a\n"
    "                   guess named in a warning)\n"
    "  --config FILE    per-document encodings and dates (default: nergraph.json\n"
    "                   if it exists; docs/configuration.md)\n"
    "  --demonyms       count derived adjectives (Chinese, Kazakh) as mentions\n"
    "\n"
    "network (the settings are written into the GraphML):\n"
    "  --window W       sentence (default), paragraph, document, or tokens:N:\n"
    "                   where two entities count as named together, once per\n"
    "                   window; tokens:N slides: from each mention, the next N\n"
    "                   tokens (words), across sentences (N at most 1000)\n"
    "  --weight W       what an edge's weight is: count (default), jaccard,\n"
    "                   association, pmi, npmi; all are written side by side;\n"
    "                   with pmi and npmi, edges below chance are left out\n"
    "  --min-count N    leave out edges shared in fewer than N windows\n"
    "  --min-mentions N leave out entities named fewer than N times\n"
    "  --categories L   keep these categories (comma-separated: person, state,\n"
    "                   organization, place)\n"
    "  --top-k K        keep an edge if it is among the K strongest of either end\n"
    "  --backbone ALPHA keep the edges significant at ALPHA for either end\n"
    "                   (disparity filter, Serrano et al. 2009; e.g. 0.05)\n"
    "  --lcc            keep only the largest connected component\n"

    "  --seed N         seed of community detection (default 42)\n"
    "  --threads N      documents tagged at once (default: one per core, at most\n"
    "                   8); the output is the same bytes for any N\n"
    "  --check          build into a temporary directory and compare with the\n"
    "                   output directory: exit 0 if identical, 1 (with a summary)\n"
    "                   if not; the output directory is not changed\n"
    "  --quiet          no progress line; warnings only counted, in one line at\n"
    "                   the end (errors are always printed). The progress line\n"
    "                   (documents, MB, MB/s) is drawn only when standard error\n"
    "                   is a terminal and CI is not set\n";

static const char *const usage_count =
    "usage: nergraph count [--dict DIR] [--out FILE|-] [--jsonl] [--window W]\n"
    "                      [--encoding NAME] [--config FILE] [--demonyms] [--threads N]\n"
    "                      [PATH...]\n"
    "\n"
    "Tag the documents in PATH (default: corpus) and write a partial to FILE\n"
    "(default: - , standard output): per document its mentions and evidence,\n"
    "per entity and pair of entities their counts, one record a line, sorted,\n"
    "first field the key (docs/partials.md). Partials of any split of a corpus\n"
    "merge ('nergraph merge') into exactly what 'nergraph build' writes.\n"
    "\n"
    "  --jsonl          PATHs are JSON Lines, a document a line:\n"
    "                   {\"doc\": NAME, \"text\": TEXT} (Hadoop Streaming, Spark)\n"
    "  --window W       sentence (default), paragraph, document or tokens:N\n"
    "  other options as for build (--quiet too)\n";

static const char *const usage_merge =
    "usage: nergraph merge [--dict DIR] [--out DIR] [network options] PARTIAL...\n"
    "       nergraph merge --partial [--out FILE|-] PARTIAL...\n"
    "\n"
    "Merge partials written by 'nergraph count' or 'nergraph merge --partial'\n"
    "(- reads standard input, e.g. the key-sorted lines of a streaming job's\n"
    "reducer). Without --partial, write into DIR (default: out) what 'nergraph\n"
    "build' writes for the same documents, byte for byte; the network options\n"
    "(--weight, --min-count, --min-mentions, --categories, --top-k, --backbone,\n"
    "--lcc, --seed) are those of build, the window is the partials'. With\n"
    "--partial, write one merged partial to FILE (default: -). Partials of other\n"
    "dictionaries or settings, damaged or truncated ones, and a document\n"
    "counted twice are errors.\n";

static const char *const usage_tag =
    "usage: nergraph tag [--dict DIR] [--encoding NAME] [--demonyms] [--quiet] [PATH...]\n"
    "\n"
    "Write one JSON object per mention on standard output: doc, start, end\n"
    "(byte offsets into the original file, end exclusive), type, entity, label,\n"
    "surface, sentence [start, end], alias, lang. See docs/mentions.md.\n"
    "--quiet: as for build (no progress line, warnings counted).\n";

static const char *const usage_report =
    "usage: nergraph report [--top N] [--sort MEASURE] [--category C]\n"
    "                       [--ego ACTOR [--depth D]]\n"
    "                       [--format text|tsv|csv|json|markdown] [--seed N]\n"
    "                       GRAPH.graphml\n"
    "\n"
    "Print the actors of a network written earlier, ranked by MEASURE: degree,\n"
    "strength, betweenness, harmonic, eigenvector, pagerank (default), kcore,\n"
    "clustering or community (grouped, then by PageRank); ties by label, then\n"
    "key. Measures are recomputed from the graph (so a graph edited in Gephi\n"
    "works) and are those of the whole network: --category C keeps the rows of\n"
    "one category, --ego ACTOR (key or label) those within D steps (default 1).\n";

static const char *const usage_explain =
    "usage: nergraph explain [--limit N] [--window W] [--dict DIR] [--encoding NAME]\n"
    "                        A B [PATH...]\n"
    "\n"
    "Print the sentences (or paragraphs, documents: --window) of the corpus\n"
    "(default: corpus) in which the entities A and B are named together, as\n"
    "doc:line: text, at most N of them (default 10, 0: all); A and B are keys,\n"
    "labels or aliases (nergraph explain Kazakhstan China).\n";

static const char *const usage_dict =
    "usage: nergraph dict check [DIR]\n"
    "       nergraph dict coverage [--dict DIR] [--top N] [PATH...]\n"
    "\n"
    "check: load the dictionaries of DIR (default: dictionaries); every format\n"
    "error is reported as file:line:column; then report aliases claimed by two\n"
    "entities and entities with only demonym aliases. Exit 1 on any problem.\n"
    "coverage: tag the corpus (default: corpus) and print how often each entity\n"
    "was found per language, then the N (default 50) most frequent near misses:\n"
    "capitalised names and acronyms no alias matched, candidates for entries.\n";

static const char *const usage_diff =
    "usage: nergraph diff [--top N] A.graphml B.graphml\n"
    "\n"
    "What changed from A to B, actors and links matched by entity key: actors\n"
    "and links added and removed, the largest changes of link weight, and the\n"
    "largest rank changes per measure, at most N lines each (default 10).\n"
    "Exit 0 when the networks are the same, 1 when they differ.\n";

static const char *const usage_score =
    "usage: nergraph score --gold GOLD.jsonl [--passages PASSAGES.jsonl] MENTIONS.jsonl\n"
    "\n"
    "Score mentions (the output of nergraph tag) against a gold sample in the\n"
    "same format: a mention is correct when document, start, end and type are\n"
    "the same. With --passages, only mentions inside the annotated passages\n"
    "({doc, start, end} per line) count. See tests/gold/README.md.\n";

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "nergraph: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return EXIT_USAGE;
}

static int exit_code(ng_status st)
{
    switch (st) {
    case NG_OK: return EXIT_OK;
    case NG_EINVAL: return EXIT_USAGE;
    case NG_EGRAPH:
    case NG_EINTERNAL: return EXIT_INTERNAL;
    default: return EXIT_DATA;
    }
}

static int fail(ng_status st)
{
    fprintf(stderr, "nergraph: %s\n", ng_error_message()[0] ? ng_error_message() : ng_strerror(st));
    return exit_code(st);
}

/* stdout is checked before reporting success, so a full disk is not silent. */
static int finish_stdout(ng_status st)
{
    if (st != NG_OK)
        return fail(st);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "nergraph: writing output failed: %s\n", strerror(errno));
        return EXIT_DATA;
    }
    return EXIT_OK;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return 0;
    *out = v;
    return 1;
}

/* An option's value: "--opt VALUE" or "--opt=VALUE"; NULL if absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || !*s || *end || !(v >= 0 && v <= 1))
        return 0;
    *out = v;
    return 1;
}

/* "person,place" -> category bits; 0 on an unknown name. */
static unsigned parse_categories(const char *list)
{
    unsigned bits = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int c = ng_category_parse(tok);
        if (c < 0)
            return 0;
        bits |= 1u << c;
    }
    return bits;
}

/* Network options of build; -1 when argv[*i] is not one. */
static int parse_network_option(int argc, char **argv, int *i, ng_pipeline_options *o)
{
    const char *v;
    uint64_t n;
    ng_graph_options *g = &o->graph;
    if ((v = option_value(argc, argv, i, "--window")) != NULL) {
        if (ng_window_parse(v, &o->window) < 0)
            return usage_error(usage_build,
                               "unknown window '%s' (sentence paragraph document tokens:N)", v);
    } else if ((v = option_value(argc, argv, i, "--weight")) != NULL) {
        int w = ng_edge_weight_parse(v);
        if (w < 0)
            return usage_error(usage_build,
                               "unknown weight '%s' (count jaccard association pmi npmi)", v);
        g->weight = (ng_edge_weight)w;
    } else if ((v = option_value(argc, argv, i, "--min-count")) != NULL) {
        if (!parse_u64(v, &g->min_count))
            return usage_error(usage_build, "--min-count needs a non-negative integer, not '%s'", v);
    } else if ((v = option_value(argc, argv, i, "--min-mentions")) != NULL) {
        if (!parse_u64(v, &g->min_mentions))
            return usage_error(usage_build, "--min-mentions needs a non-negative integer, not '%s'",
                               v);
    } else if ((v = option_value(argc, argv, i, "--top-k")) != NULL) {
        if (!parse_u64(v, &n))
            return usage_error(usage_build, "--top-k needs a non-negative integer, not '%s'", v);
        g->top_k = (size_t)n;
    } else if ((v = option_value(argc, argv, i, "--backbone")) != NULL) {
        if (!parse_double(v, &g->backbone_alpha))
            return usage_error(usage_build, "--backbone needs a number from 0 to 1, not '%s'", v);
    } else if ((v = option_value(argc, argv, i, "--categories")) != NULL) {
        if (!(g->categories = parse_categories(v)))
            return usage_error(usage_build, "--categories: unknown category in '%s'", v);
    } else if (!strcmp(argv[*i], "--lcc")) {
        g->largest_component = 1;
    } else if ((v = option_value(argc, argv, i, "--threads")) != NULL) {
        if (!parse_u64(v, &n) || n == 0 || n > 256)
            return usage_error(usage_build, "--threads needs a number from 1 to 256, not '%s'", v);
        o->threads = (size_t)n;
    } else if ((v = option_value(argc, argv, i, "--seed")) != NULL) {
        if (!parse_u64(v, &g->seed))
            return usage_error(usage_build, "--seed needs a non-negative integer, not '%s'", v);
    } else {
        return -1;
    }
    return EXIT_OK;
}

static int is_help(const char *arg) { return !strcmp(arg, "--help") || !strcmp(arg, "-h"); }

/* Options shared by build and tag; returns -1 when argv[*i] is not one. */
static int parse_corpus_option(int argc, char **argv, int *i, ng_pipeline_options *o,
                               const char *usage)
{
    const char *v;
    if ((v = option_value(argc, argv, i, "--dict")) != NULL) {
        if (!*v)
            return usage_error(usage, "%s needs a directory", "--dict");
        o->dict_dir = v;
    } else if ((v = option_value(argc, argv, i, "--config")) != NULL) {
        if (!*v)
            return usage_error(usage, "%s needs a file", "--config");
        o->config_path = v;
    } else if ((v = option_value(argc, argv, i, "--encoding")) != NULL) {
        if (!*v)
            return usage_error(usage, "%s needs a name", "--encoding");
        o->encoding = v;
    } else if (!strcmp(argv[*i], "--demonyms")) {
        o->include_demonyms = 1;
    } else if (!strcmp(argv[*i], "--jsonl")) {
        o->jsonl = 1;
    } else {
        return -1;
    }
    return EXIT_OK;
}

/* Positional paths are collected in place at the front of argv. */
static int cmd_corpus(int argc, char **argv, int build)
{
    const char *usage = build ? usage_build : usage_tag;
    ng_pipeline_options o = NG_PIPELINE_OPTIONS_INIT;
    int npaths = 0, check = 0, quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
        int rc = parse_corpus_option(argc, argv, &i, &o, usage);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if (build && (v = option_value(argc, argv, &i, "--out")) != NULL) {
            if (!*v)
                return usage_error(usage, "%s needs a directory", "--out");
            o.out_dir = v;
        } else if (build && (rc = parse_network_option(argc, argv, &i, &o)) >= 0) {
            if (rc > 0)
                return rc;
        } else if (build && !strcmp(argv[i], "--check")) {
            check = 1;
        } else if (!strcmp(argv[i], "--quiet")) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage, "unknown option '%s'", argv[i]);
        } else {
            argv[npaths++] = argv[i];
        }
    }
    o.paths = (const char *const *)argv;
    o.path_count = (size_t)npaths;
    progress_start(&o, quiet);
    if (build && check) {
        size_t differs;
        ng_status st = ng_pipeline_check(&o, stdout, &differs);
        progress_stop(st == NG_OK);
        if (st == NG_OK && differs)
            printf("%s is out of date: %zu file%s differ; regenerate it with 'nergraph build'\n",
                   o.out_dir, differs, differs == 1 ? "" : "s");
        int rc = finish_stdout(st);
        return rc == EXIT_OK && differs ? EXIT_DATA : rc;
    }
    ng_status st = build ? ng_pipeline_build(&o) : ng_pipeline_tag(&o, stdout);
    progress_stop(st == NG_OK);
    if (build)
        return st == NG_OK ? EXIT_OK : fail(st);
    return finish_stdout(st);
}

static int cmd_count(int argc, char **argv)
{
    ng_pipeline_options o = NG_PIPELINE_OPTIONS_INIT;
    const char *out = "-";
    int npaths = 0, quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(usage_count, stdout);
            return EXIT_OK;
        }
        int rc = parse_corpus_option(argc, argv, &i, &o, usage_count);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if ((v = option_value(argc, argv, &i, "--out")) != NULL) {
            if (!*v)
                return usage_error(usage_count, "%s needs a file", "--out");
            out = v;
        } else if (!strncmp(argv[i], "--window", 8) || !strncmp(argv[i], "--threads", 9)) {
            if ((rc = parse_network_option(argc, argv, &i, &o)) != 0)
                return rc < 0 ? usage_error(usage_count, "unknown option '%s'", argv[i]) : rc;
        } else if (!strcmp(argv[i], "--quiet")) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_count, "unknown option '%s'", argv[i]);
        } else {
            argv[npaths++] = argv[i];
        }
    }
    o.paths = (const char *const *)argv;
    o.path_count = (size_t)npaths;
    progress_start(&o, quiet);
    ng_status st = ng_pipeline_count(&o, out);
    progress_stop(st == NG_OK);
    return strcmp(out, "-") ? (st == NG_OK ? EXIT_OK : fail(st)) : finish_stdout(st);
}

static int cmd_merge(int argc, char **argv)
{
    ng_pipeline_options o = NG_PIPELINE_OPTIONS_INIT;
    const char *out = NULL;
    int npaths = 0, partial = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int rc;
        if (is_help(argv[i])) {
            fputs(usage_merge, stdout);
            return EXIT_OK;
        }
        if ((v = option_value(argc, argv, &i, "--dict")) != NULL) {
            if (!*v)
                return usage_error(usage_merge, "%s needs a directory", "--dict");
            o.dict_dir = v;
        } else if ((v = option_value(argc, argv, &i, "--out")) != NULL) {
            if (!*v)
                return usage_error(usage_merge, "%s needs a path", "--out");
            out = v;
        } else if (!strcmp(argv[i], "--partial")) {
            partial = 1;
        } else if (!strncmp(argv[i], "--window", 8) || !strncmp(argv[i], "--threads", 9)) {
            return usage_error(usage_merge, "%s: the window is chosen when counting", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            if ((rc = parse_network_option(argc, argv, &i, &o)) != 0)
                return rc < 0 ? usage_error(usage_merge, "unknown option '%s'", argv[i]) : rc;
        } else {
            argv[npaths++] = argv[i];
        }
    }
    if (npaths == 0)
        return usage_error(usage_merge, "%s", "which partials?");
    if (partial && !out)
        out = "-";
    if (!partial && out)
        o.out_dir = out;
    ng_status st = ng_pipeline_merge(&o, (const char *const *)argv, (size_t)npaths,
                                     partial ? out : NULL);
    if (partial && !strcmp(out, "-"))
        return finish_stdout(st);
    return st == NG_OK ? EXIT_OK : fail(st);
}

static int cmd_report(int argc, char **argv)
{
    ng_report_options o = NG_REPORT_OPTIONS_INIT;
    ng_graph_options g = NG_GRAPH_OPTIONS_INIT;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        uint64_t n;
        if (is_help(argv[i])) {
            fputs(usage_report, stdout);
            return EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--top")) != NULL) {
            if (!parse_u64(v, &n))
                return usage_error(usage_report, "--top needs a non-negative integer, not '%s'", v);
            o.top = (size_t)n;
        } else if ((v = option_value(argc, argv, &i, "--seed")) != NULL) {
            if (!parse_u64(v, &g.seed))
                return usage_error(usage_report, "--seed needs a non-negative integer, not '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--sort")) != NULL) {
            int m = ng_measure_parse(v);
            if (m < 0)
                return usage_error(usage_report, "unknown measure '%s'", v);
            o.sort = (ng_measure)m;
        } else if ((v = option_value(argc, argv, &i, "--category")) != NULL) {
            if (ng_category_parse(v) < 0)
                return usage_error(usage_report, "unknown category '%s'", v);
            o.category = v;
        } else if ((v = option_value(argc, argv, &i, "--ego")) != NULL) {
            if (!*v)
                return usage_error(usage_report, "%s needs an actor", "--ego");
            o.ego = v;
        } else if ((v = option_value(argc, argv, &i, "--depth")) != NULL) {
            if (!parse_u64(v, &n) || n == 0)
                return usage_error(usage_report, "--depth needs a positive integer, not '%s'", v);
            o.depth = (size_t)n;
        } else if ((v = option_value(argc, argv, &i, "--format")) != NULL) {
            int f = ng_report_format_parse(v);
            if (f < 0)
                return usage_error(usage_report, "unknown format '%s'", v);
            o.format = (ng_report_format)f;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_report, "unknown option '%s'", argv[i]);
        } else if (path) {
            return usage_error(usage_report, "one graph at a time ('%s')", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return usage_error(usage_report, "%s", "which GraphML file?");
    ng_graph *graph;
    ng_status st = ng_graph_read_graphml(&graph, path, &g);
    if (st == NG_OK) {
        st = ng_report_write(graph, &o, stdout);
        ng_graph_free(graph);
    }
    return finish_stdout(st);
}

static int cmd_explain(int argc, char **argv)
{
    ng_pipeline_options o = NG_PIPELINE_OPTIONS_INIT;
    const char *names[2] = {NULL, NULL};
    uint64_t limit = 10;
    int npaths = 0, nnames = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(usage_explain, stdout);
            return EXIT_OK;
        }
        int rc = parse_corpus_option(argc, argv, &i, &o, usage_explain);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if ((v = option_value(argc, argv, &i, "--limit")) != NULL) {
            if (!parse_u64(v, &limit))
                return usage_error(usage_explain, "--limit needs a non-negative integer, not '%s'",
                                   v);
        } else if ((v = option_value(argc, argv, &i, "--window")) != NULL) {
            if (ng_window_parse(v, &o.window) < 0)
                return usage_error(usage_explain, "unknown window '%s'", v);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_explain, "unknown option '%s'", argv[i]);
        } else if (nnames < 2) {
            names[nnames++] = argv[i];
        } else {
            argv[npaths++] = argv[i];
        }
    }
    if (nnames < 2)
        return usage_error(usage_explain, "%s", "which two entities?");
    o.paths = (const char *const *)argv;
    o.path_count = (size_t)npaths;
    size_t found = 0;
    ng_status st = ng_pipeline_explain(&o, names[0], names[1], (size_t)limit, stdout, &found);
    char tokens[40] = "";
    if (o.window.unit == NG_WINDOW_TOKENS)
        snprintf(tokens, sizeof tokens, " of %u tokens", (unsigned)o.window.tokens);
    if (st == NG_OK)
        printf("# %zu %s%s%s name both '%s' and '%s'%s\n", found,
               o.window.unit == NG_WINDOW_TOKENS ? "window" : ng_window_name(o.window.unit),
               found == 1 ? "" : "s", tokens, names[0], names[1],
               limit && found > limit ? " (more with --limit 0)" : "");
    return finish_stdout(st);
}

static int cmd_score(int argc, char **argv)
{
    const char *gold = NULL, *passages = NULL, *predicted = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(usage_score, stdout);
            return EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--gold")) != NULL) {
            gold = v;
        } else if ((v = option_value(argc, argv, &i, "--passages")) != NULL) {
            passages = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_score, "unknown option '%s'", argv[i]);
        } else if (predicted) {
            return usage_error(usage_score, "one mentions file at a time ('%s')", argv[i]);
        } else {
            predicted = argv[i];
        }
    }
    if (!gold || !*gold || !predicted)
        return usage_error(usage_score, "%s", "needs --gold FILE and a mentions file");
    ng_score s;
    ng_status st = ng_score_files(&s, gold, predicted, passages && *passages ? passages : NULL);
    if (st == NG_OK)
        ng_score_write(&s, stdout);
    return finish_stdout(st);
}

static int cmd_diff(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    uint64_t top = 10;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(usage_diff, stdout);
            return EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--top")) != NULL) {
            if (!parse_u64(v, &top))
                return usage_error(usage_diff, "--top needs a non-negative integer, not '%s'", v);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_diff, "unknown option '%s'", argv[i]);
        } else if (nfiles < 2) {
            files[nfiles++] = argv[i];
        } else {
            return usage_error(usage_diff, "%s", "two GraphML files, no more");
        }
    }
    if (nfiles < 2)
        return usage_error(usage_diff, "%s", "which two GraphML files?");
    ng_graph_options g = NG_GRAPH_OPTIONS_INIT;
    ng_graph *a = NULL, *b = NULL;
    size_t changes = 0;
    ng_status st = ng_graph_read_graphml(&a, files[0], &g);
    if (st == NG_OK)
        st = ng_graph_read_graphml(&b, files[1], &g);
    if (st == NG_OK)
        st = ng_graph_diff(a, b, (size_t)top, stdout, &changes);
    ng_graph_free(a);
    ng_graph_free(b);
    int rc = finish_stdout(st);
    return rc == EXIT_OK && changes ? EXIT_DATA : rc;
}

static int cmd_dict(int argc, char **argv)
{
    if (argc < 2 || is_help(argv[1])) {
        fputs(usage_dict, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "check")) {
        if (argc > 3 || (argc == 3 && argv[2][0] == '-'))
            return usage_error(usage_dict, "%s", "dict check takes one directory");
        const char *dir = argc == 3 ? argv[2] : "dictionaries";
        ng_dict *d;
        size_t problems = 0;
        ng_status st = ng_dict_load_dir(&d, dir);
        if (st == NG_OK) {
            st = ng_dict_check(d, stdout, &problems);
            if (st == NG_OK)
                printf("%s: %zu entities, %zu aliases, %zu problem%s\n", dir,
                       ng_dict_entity_count(d), ng_dict_alias_count(d), problems,
                       problems == 1 ? "" : "s");
            ng_dict_free(d);
        }
        int rc = finish_stdout(st);
        return rc == EXIT_OK && problems ? EXIT_DATA : rc;
    }
    if (strcmp(argv[1], "coverage"))
        return usage_error(usage_dict, "unknown dict command '%s'", argv[1]);
    ng_pipeline_options o = NG_PIPELINE_OPTIONS_INIT;
    uint64_t top = 50;
    int npaths = 0;
    for (int i = 2; i < argc; i++) {
        const char *v;
        int rc = parse_corpus_option(argc, argv, &i, &o, usage_dict);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if ((v = option_value(argc, argv, &i, "--top")) != NULL) {
            if (!parse_u64(v, &top))
                return usage_error(usage_dict, "--top needs a non-negative integer, not '%s'", v);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_dict, "unknown option '%s'", argv[i]);
        } else {
            argv[npaths++] = argv[i];
        }
    }
    o.paths = (const char *const *)argv;
    o.path_count = (size_t)npaths;
    return finish_stdout(ng_dict_coverage(&o, (size_t)top, stdout));
}

int main(int argc, char **argv)
{
    /* Mention lines and partials run to hundreds of MB: stdio's 4 KB would
     * be a write(2) per 4 KB. A terminal keeps its line buffering. */
    static char out_buffer[1 << 20];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    if (argc < 2)
        return usage_error(usage_main, "%s", "which command?");
    const char *cmd = argv[1];
    if (is_help(cmd)) {
        fputs(usage_main, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("nergraph %s\n", ng_version());
        return EXIT_OK;
    }
    ng_status st = ng_init();
    if (st != NG_OK)
        return fail(st);
    if (!strcmp(cmd, "build"))
        return cmd_corpus(argc - 1, argv + 1, 1);
    if (!strcmp(cmd, "tag"))
        return cmd_corpus(argc - 1, argv + 1, 0);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "score"))
        return cmd_score(argc - 1, argv + 1);
    if (!strcmp(cmd, "explain"))
        return cmd_explain(argc - 1, argv + 1);
    if (!strcmp(cmd, "dict"))
        return cmd_dict(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "count"))
        return cmd_count(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return cmd_merge(argc - 1, argv + 1);
    return usage_error(usage_main, "unknown command '%s'", cmd);
}
