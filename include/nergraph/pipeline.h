/* nergraph/pipeline.h: the stages in order, one document at a time.
 *
 * ng_doc_run takes one document through decode, normalise, segment and
 * match, producing its mentions; an ng_doc holds the buffers reused from one
 * document to the next (one per thread). ng_pipeline_build does the whole
 * job: mentions, counts, network, measures, and the files of out/, each
 * written to a temporary file and renamed only when every one succeeded.
 */
#ifndef NERGRAPH_PIPELINE_H
#define NERGRAPH_PIPELINE_H

#include <stdio.h>

#include "nergraph/common.h"
#include "nergraph/config.h"
#include "nergraph/context.h"
#include "nergraph/cooc.h"
#include "nergraph/decode.h"
#include "nergraph/dict.h"
#include "nergraph/graph.h"
#include "nergraph/input.h"
#include "nergraph/matcher.h"
#include "nergraph/mentions.h"
#include "nergraph/normalize.h"
#include "nergraph/segment.h"

/** Progress: `done` of `total` documents read (text or skipped), `bytes` of
 *  input so far; called on the calling thread in corpus order. */
typedef void (*ng_progress_fn)(size_t done, size_t total, uint64_t bytes, void *userdata);

typedef struct ng_pipeline_options {
    const char *dict_dir;          /* default "dictionaries" */
    const char *out_dir;           /* default "out" */
    const char *const *paths;      /* default {"corpus"} */
    size_t path_count;
    const char *encoding;          /* NULL: BOM, else UTF-8, else a guess; a
                                      document's setting in the config wins */
    const char *config_path;       /* NULL: nergraph.json if it exists */
    const ng_config *config;       /* loaded by the jobs from config_path */
    int include_demonyms;          /* emit demonym matches as mentions of their entity */
    ng_window_spec window;         /* co-occurrence window */
    size_t threads;                /* documents tagged at once; 0: one per core (at most
                                      8); the output is the same for any number */
    ng_graph_options graph;        /* weights, filters, seed */
    int jsonl;                     /* paths are JSON Lines of documents (ng_jsonl_reader) */
    ng_progress_fn progress;       /* NULL: none; never writes into outputs */
    void *progress_userdata;
} ng_pipeline_options;
#define NG_PIPELINE_OPTIONS_INIT \
    {"dictionaries", "out", NULL, 0, NULL, NULL, NULL, 0, NG_WINDOW_SPEC_INIT, 0, \
     NG_GRAPH_OPTIONS_INIT, 0, NULL, NULL}

/** Per-thread document state. Zero-initialise; ng_doc_destroy when done. */
typedef struct ng_doc {
    ng_bytes raw;
    ng_text text;
    ng_norm norm;
    ng_segments sentences;
    ng_match_vec matches;
    ng_scan_scratch scratch;
    ng_context_scratch context;
    ng_mention *mentions;
    size_t mention_count;
    size_t mention_cap;
    ng_cooc_mention *counted;
    size_t counted_cap;
    const char *path;          /* of the last ng_doc_run (borrowed) */
    int skipped;               /* it was binary: warned, no mentions, not counted */
    uint32_t date;             /* YYYYMMDD from the configuration, 0: none */
    uint32_t *window_entities; /* scratch of the evidence walk */
    size_t window_cap;
    uint32_t *entity_mentions; /* per entity of the dictionary: 0 between documents */
    size_t entity_mentions_cap;
    uint32_t *mention_tokens;  /* per mention: tokens before it (sliding windows) */
    size_t mention_tokens_cap;
    int tokens_valid;          /* mention_tokens is of the last ng_doc_run */
    ng_mention_lines *lines;   /* kept by the mention writer */
} ng_doc;

/** Read and tag `path`; the mentions are in doc->mentions. A binary file is
 *  skipped with a warning (doc->skipped). */
ng_status ng_doc_run(ng_doc *doc, const char *path, const ng_dict *dict, const ng_matcher *m,
                     const ng_pipeline_options *opts);
/** The same for a document already in memory (`data` must outlive the
 *  next call), named `name`; `encoding` NULL: as for a file. */
ng_status ng_doc_run_bytes(ng_doc *doc, const char *name, const char *data, size_t len,
                           const char *encoding, const ng_dict *dict, const ng_matcher *m,
                           const ng_pipeline_options *opts);
/** Add the mentions of the last ng_doc_run to `cooc`, in windows of
 *  `window`: the mentions of one sentence, paragraph or document; or, for a
 *  sliding window of N tokens, one window from each mention holding the
 *  mentions that start within N tokens of it (a token: a run of letters,
 *  marks and digits), so two entities named within N tokens of each other
 *  count once for each mention that starts such a window. */
ng_status ng_doc_count(ng_doc *doc, ng_cooc *cooc, const ng_window_spec *window);
void ng_doc_destroy(ng_doc *doc);

/** Called once the dictionaries are loaded, before the first document or
 *  after the last. */
typedef ng_status (*ng_start_fn)(const ng_dict *dict, void *userdata);
/** Called for every document that is text, after ng_doc_run. */
typedef ng_status (*ng_document_fn)(ng_doc *doc, const ng_dict *dict, void *userdata);
/** Load what opts names, call `start`, run every document through `fn` in
 *  corpus order on this thread, then call `finish` (the dictionaries are
 *  still loaded); stops at the first error. `start` and `finish` may be NULL.
 *  A corpus in which every file is binary is an error (NG_EIO), here and in
 *  build. */
ng_status ng_pipeline_each_document(const ng_pipeline_options *opts, ng_start_fn start,
                                    ng_document_fn fn, ng_start_fn finish, void *userdata);

/** Threads used when opts->threads is 0: the online cores, at most 8. */
size_t ng_pipeline_default_threads(void);
/** `nergraph tag`: mention lines of every document to `out`. */
ng_status ng_pipeline_tag(const ng_pipeline_options *opts, FILE *out);
/** `nergraph build`: the whole job into opts->out_dir: graph.graphml,
 *  graph.dot, graph.gexf, graph.json, nodes.csv, edges.csv, report.txt,
 *  two-mode.graphml (actor x document), mentions.jsonl and evidence.jsonl (one line per
 *  window naming two or more entities, in corpus order, before the network's
 *  filters: the evidence of every pair among them). */
ng_status ng_pipeline_build(const ng_pipeline_options *opts);
/** `nergraph count`: run the documents and write a partial
 *  (nergraph/partial.h) to `out_path` ("-": standard output). */
ng_status ng_pipeline_count(const ng_pipeline_options *opts, const char *out_path);
/** `nergraph merge`: merge the partials; into a partial at `partial_out`
 *  ("-": standard output) when it is not NULL, else into opts->out_dir,
 *  byte for byte what ng_pipeline_build writes for the documents of the
 *  partials (dictionaries from opts->dict_dir, network options from
 *  opts->graph, the window from the partials). */
ng_status ng_pipeline_merge(const ng_pipeline_options *opts, const char *const *partials,
                            size_t count, const char *partial_out);
/** `nergraph explain A B`: the windows (opts->window) in which the entities
 *  named `a` and `b` (key, label or alias) occur together, as
 *  "doc:line: text", at most `limit` of them (0: all); *found gets how many
 *  there are. Errors: NG_EINVAL for a name that is unknown or ambiguous. */
ng_status ng_pipeline_explain(const ng_pipeline_options *opts, const char *a, const char *b,
                              size_t limit, FILE *out, size_t *found);
/** `nergraph build --check`: build into a temporary directory and compare
 *  with opts->out_dir. *differs is set to the number of files that differ
 *  or are missing; a summary of each difference goes to `report`. */
ng_status ng_pipeline_check(const ng_pipeline_options *opts, FILE *report, size_t *differs);

#endif
