/* pipeline.c: the stages in order, document by document.
 *
 * A document goes through read, decode, normalise, segment and match in an
 * ng_doc whose buffers are reused, so memory follows the largest document,
 * not the corpus. Mentions are written as each document is done; counts are
 * added to one ng_cooc. Output files are written beside their targets and
 * renamed together at the end, so a failed run leaves out/ as it was.
 */
#include "nergraph/pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "memfile.h"
#include "nergraph/export.h"
#include "nergraph/graph.h"
#include "nergraph/mcache.h"
#include "nergraph/report.h"
#include "outfile.h"

ng_status ng_doc_run(ng_doc *doc, const char *path, const ng_dict *dict, const ng_matcher *m,
                     const ng_pipeline_options *opts)
{
    ng_status st;
    doc->mention_count = 0;
    doc->path = path;
    doc->skipped = 0;
    const char *encoding = ng_config_encoding(opts->config, path);
    if (!encoding)
        encoding = opts->encoding; /* a document's own setting wins */
    if ((st = ng_input_read(&doc->raw, path)) != NG_OK)
        return st;
    if (!encoding && ng_decode_is_binary(doc->raw.data, doc->raw.len)) {
        ng_warn("%s: a binary file, not text: skipped", path);
        doc->skipped = 1;
        return NG_OK;
    }
    if ((st = ng_decode(&doc->text, doc->raw.data, doc->raw.len,
                        encoding, path)) != NG_OK)
        return st;
    if (doc->raw.len == 0)
        ng_warn("%s: empty document", path);
    const char *date = ng_config_date(opts->config, path); /* YYYY-MM-DD, checked */
    doc->date = date ? (uint32_t)(atoi(date) * 10000 + atoi(date + 5) * 100 + atoi(date + 8)) : 0;
    const ng_text *t = &doc->text;
    if ((st = ng_normalize(&doc->norm, t->data, t->len, NG_NORM_FOLD)) != NG_OK ||
        (st = ng_segment_sentences(&doc->sentences, t->data, t->len)) != NG_OK ||
        (st = ng_matcher_scan(m, &doc->norm, t->data, t->len, &doc->scratch, &doc->matches)) !=
            NG_OK)
        return st;
    /* Keep the matches that are mentions, as decoded spans. */
    size_t kept = 0;
    for (size_t i = 0; i < doc->matches.count; i++) {
        ng_match x = doc->matches.items[i];
        if ((ng_dict_alias(dict, x.alias)->flags & NG_ALIAS_DEMONYM) && !opts->include_demonyms)
            continue;
        x.start = doc->norm.map[x.start];
        x.end = (uint32_t)ng_norm_source_end(&doc->norm, t->data, t->len, x.end - 1);
        doc->matches.items[kept++] = x;
    }
    doc->matches.count = kept;
    /* A name found across a sentence boundary shows the boundary was wrong:
     * merge first, so that every mention of a merged sentence sees its span. */
    ng_segments *ss = &doc->sentences;
    for (size_t i = 0, s = 0; i < kept && ss->count; i++) {
        while (s + 1 < ss->count && ss->spans[s].end <= doc->matches.items[i].start)
            s++;
        ng_segments_extend(ss, s, doc->matches.items[i].end);
    }
    if ((st = NG_GROW(doc->mentions, doc->mention_cap, kept + 1)) != NG_OK)
        return st;
    for (size_t i = 0, s = 0; i < kept; i++) {
        const ng_match *x = &doc->matches.items[i];
        while (s + 1 < ss->count && ss->spans[s].end <= x->start)
            s++;
        ng_span sentence = ss->count ? ss->spans[s] : (ng_span){x->start, x->end};
        doc->mentions[i] = (ng_mention){
            .entity = ng_dict_alias(dict, x->alias)->entity,
            .alias = x->alias,
            .sentence = (uint32_t)s,
            .source = {ng_text_source_offset(t, x->start), ng_text_source_offset(t, x->end)},
            .sentence_span = {ng_text_source_offset(t, sentence.start),
                              ng_text_source_offset(t, sentence.end)},
            .text = {x->start, x->end},
        };
    }
    doc->mention_count = kept;
    return NG_OK;
}

ng_status ng_doc_count(ng_doc *d, ng_cooc *cooc, ng_window window)
{
    ng_status st = NG_GROW(d->counted, d->counted_cap, d->mention_count + 1);
    if (st != NG_OK)
        return st;
    for (size_t i = 0; i < d->mention_count; i++) {
        uint32_t s = d->mentions[i].sentence;
        uint32_t w = window == NG_WINDOW_SENTENCE    ? s
                     : window == NG_WINDOW_PARAGRAPH ? d->sentences.paragraph[s]
                                                     : 0;
        d->counted[i] = (ng_cooc_mention){d->mentions[i].entity, w};
    }
    return ng_cooc_add_dated_document(cooc, d->counted, d->mention_count, d->date);
}

void ng_doc_destroy(ng_doc *doc)
{
    ng_bytes_destroy(&doc->raw);
    ng_text_destroy(&doc->text);
    ng_norm_destroy(&doc->norm);
    ng_segments_destroy(&doc->sentences);
    ng_match_vec_destroy(&doc->matches);
    ng_scan_scratch_destroy(&doc->scratch);
    free(doc->mentions);
    free(doc->counted);
    free(doc->window_entities);
    memset(doc, 0, sizeof *doc);
}

/* ---- evidence: the windows two entities share ---- */

typedef int (*evidence_fn)(const ng_evidence *ev, const ng_doc *doc, void *userdata);

/* Window of sentence `s`. */
static uint32_t window_of(const ng_doc *d, uint32_t s, ng_window window)
{
    return window == NG_WINDOW_SENTENCE    ? s
           : window == NG_WINDOW_PARAGRAPH ? d->sentences.paragraph[s]
                                           : 0;
}

/* The decoded span of the window holding sentence `s`. */
static ng_span window_span(const ng_doc *d, uint32_t s, ng_window window)
{
    const ng_segments *ss = &d->sentences;
    if (window == NG_WINDOW_SENTENCE)
        return ss->spans[s];
    size_t first = s, last = s;
    if (window == NG_WINDOW_DOCUMENT) {
        first = 0;
        last = ss->count - 1;
    } else {
        while (first > 0 && ss->paragraph[first - 1] == ss->paragraph[s])
            first--;
        while (last + 1 < ss->count && ss->paragraph[last + 1] == ss->paragraph[s])
            last++;
    }
    return (ng_span){ss->spans[first].start, ss->spans[last].end};
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Call `fn` for every window of the last ng_doc_run that names two or more
 * entities, in order; stops when fn returns non-zero. Lines are counted as
 * the walk goes, so the cost is one pass. */
static ng_status each_evidence(ng_doc *d, ng_window window, evidence_fn fn, void *userdata)
{
    const ng_text *t = &d->text;
    size_t line_pos = 0;
    uint32_t line = 1;
    for (size_t i = 0; i < d->mention_count;) {
        uint32_t w = window_of(d, d->mentions[i].sentence, window);
        size_t k = 0, j = i;
        for (; j < d->mention_count && window_of(d, d->mentions[j].sentence, window) == w; j++) {
            ng_status st = NG_GROW(d->window_entities, d->window_cap, k + 1);
            if (st != NG_OK)
                return st;
            d->window_entities[k++] = d->mentions[j].entity;
        }
        uint32_t *e = d->window_entities;
        qsort(e, k, sizeof *e, compare_u32);
        size_t u = 0;
        for (size_t x = 0; x < k; x++)
            if (u == 0 || e[u - 1] != e[x])
                e[u++] = e[x];
        if (u > 1) {
            ng_span span = window_span(d, d->mentions[i].sentence, window);
            for (; line_pos < span.start; line_pos++)
                line += t->data[line_pos] == '\n';
            if (u > NG_MAX_WINDOW_ENTITIES) { /* as ng_cooc caps them */
                ng_warn("%s:%u: a %s names %zu entities; pairs are counted among the first "
                        "%d by key only",
                        d->path, line, ng_window_name(window), u, NG_MAX_WINDOW_ENTITIES);
                u = NG_MAX_WINDOW_ENTITIES;
            }
            ng_evidence ev = {.entities = e,
                              .entity_count = u,
                              .window = {ng_text_source_offset(t, span.start),
                                         ng_text_source_offset(t, span.end)},
                              .text = span,
                              .line = line};
            if (fn(&ev, d, userdata))
                return NG_OK;
        }
        i = j;
    }
    return NG_OK;
}

#define EVIDENCE_SNIPPET_BYTES 200

typedef struct evidence_sink {
    FILE *out;
    const ng_dict *dict;
    const char *path;
} evidence_sink;

static int write_evidence(const ng_evidence *ev, const ng_doc *doc, void *userdata)
{
    const evidence_sink *sink = userdata;
    ng_evidence_write_jsonl(sink->out, sink->dict, sink->path, doc->text.data, ev,
                            EVIDENCE_SNIPPET_BYTES);
    return 0;
}

/* ---- the jobs ---- */

typedef struct job {
    ng_pipeline_options opts; /* the caller's, with the loaded config */
    ng_config *config;
    ng_dict *dict;
    ng_suffixes *suffixes;
    ng_matcher *matcher;
    ng_source_list sources;
    ng_doc doc;
} job;

static ng_status job_open(job *j, const ng_pipeline_options *opts)
{
    memset(j, 0, sizeof *j);
    j->opts = *opts;
    const char *config = opts->config_path ? opts->config_path : "nergraph.json";
    ng_status cst = NG_OK;
    if (opts->config_path || access(config, F_OK) == 0)
        cst = ng_config_load(&j->config, config);
    if (cst != NG_OK)
        return cst;
    j->opts.config = j->config;
    static const char *const default_paths[] = {"corpus"};
    const char *const *paths = opts->path_count ? opts->paths : default_paths;
    size_t path_count = opts->path_count ? opts->path_count : 1;
    ng_status st;
    if ((st = ng_input_collect(&j->sources, paths, path_count)) != NG_OK ||
        (st = ng_dict_load_dir(&j->dict, opts->dict_dir)) != NG_OK)
        return st;
    char dir[4096];
    if ((size_t)snprintf(dir, sizeof dir, "%s/suffixes", opts->dict_dir) >= sizeof dir)
        return ng_error_set(NG_EINVAL, "%s: path too long", opts->dict_dir);
    if ((st = ng_suffixes_load_dir(&j->suffixes, dir)) != NG_OK ||
        (st = ng_mcache_matcher(&j->matcher, j->dict, j->suffixes, opts->dict_dir, NULL,
                                NULL)) != NG_OK)
        return st;
    return NG_OK;
}

static void job_close(job *j)
{
    ng_doc_destroy(&j->doc);
    ng_source_list_destroy(&j->sources);
    ng_matcher_free(j->matcher);
    ng_suffixes_free(j->suffixes);
    ng_dict_free(j->dict);
    ng_config_free(j->config);
}

ng_status ng_pipeline_each_document(const ng_pipeline_options *opts, ng_start_fn start,
                                    ng_document_fn fn, ng_start_fn finish, void *userdata)
{
    job j;
    ng_status st = job_open(&j, opts);
    if (st == NG_OK && start)
        st = start(j.dict, userdata);
    for (size_t i = 0; st == NG_OK && i < j.sources.count; i++)
        if ((st = ng_doc_run(&j.doc, j.sources.paths[i], j.dict, j.matcher, &j.opts)) == NG_OK &&
            !j.doc.skipped)
            st = fn(&j.doc, j.dict, userdata);
    if (st == NG_OK && finish)
        st = finish(j.dict, userdata);
    job_close(&j);
    return st;
}

static ng_status tag_document(ng_doc *doc, const ng_dict *dict, void *out)
{
    ng_mentions_write_jsonl(out, dict, doc->path, doc->text.data, doc->mentions,
                            doc->mention_count);
    return NG_OK;
}

ng_status ng_pipeline_tag(const ng_pipeline_options *opts, FILE *out)
{
    return ng_pipeline_each_document(opts, NULL, tag_document, NULL, out);
}

enum {
    OUT_MENTIONS, OUT_EVIDENCE, OUT_GRAPHML, OUT_DOT, OUT_REPORT, OUT_GEXF, OUT_JSON,
    OUT_NODES, OUT_EDGES, OUT_TWO_MODE, OUT_COUNT
};
static const char *const out_names[OUT_COUNT] = {
    "mentions.jsonl", "evidence.jsonl", "graph.graphml", "graph.dot", "report.txt",
    "graph.gexf", "graph.json", "nodes.csv", "edges.csv", "two-mode.graphml"};

/* Add how often document `doc` names each entity to `inc`. */
static ng_status add_incidence(ng_doc *d, uint32_t doc, ng_incidence **inc, size_t *count,
                               size_t *cap)
{
    uint32_t *e = NULL;
    ng_status st = NG_GROW(d->window_entities, d->window_cap, d->mention_count + 1);
    if (st != NG_OK)
        return st;
    e = d->window_entities;
    for (size_t i = 0; i < d->mention_count; i++)
        e[i] = d->mentions[i].entity;
    if (d->mention_count > 1)
        qsort(e, d->mention_count, sizeof *e, compare_u32);
    for (size_t i = 0; i < d->mention_count;) {
        size_t j = i;
        while (j < d->mention_count && e[j] == e[i])
            j++;
        if ((st = NG_GROW(*inc, *cap, *count + 1)) != NG_OK)
            return st;
        (*inc)[(*count)++] = (ng_incidence){doc, e[i], j - i};
        i = j;
    }
    return NG_OK;
}

/* The path of output file `f` in `dir`. */
static ng_status out_path(char *buf, size_t cap, const char *dir, int f)
{
    if ((size_t)snprintf(buf, cap, "%s/%s", dir, out_names[f]) >= cap)
        return ng_error_set(NG_EINVAL, "%s: output path too long", dir);
    return NG_OK;
}

/* The output directory must hold no document being read: an output could
 * replace one, and the next run would read the outputs as documents. */
static ng_status check_not_input(const job *j, const char *out_dir)
{
    char out_real[PATH_MAX], in_real[PATH_MAX];
    if (!realpath(out_dir, out_real))
        return NG_OK; /* not there yet: it holds nothing */
    size_t n = strlen(out_real);
    for (size_t i = 0; i < j->sources.count; i++)
        if (realpath(j->sources.paths[i], in_real) && strncmp(in_real, out_real, n) == 0 &&
            (in_real[n] == '/' || (n == 1 && out_real[0] == '/')))
            return ng_error_set(NG_EINVAL, "%s: the output directory %s holds this input "
                                           "document; choose another --out",
                                j->sources.paths[i], out_dir);
    return NG_OK;
}

static ng_status ensure_dir(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? NG_OK
                                   : ng_error_set(NG_EIO, "%s: not a directory", dir);
    if (mkdir(dir, 0777) != 0)
        return ng_error_set(NG_EIO, "%s: cannot create directory: %s", dir, strerror(errno));
    return NG_OK;
}

static ng_status write_outputs(const ng_graph *g, ng_outfile *files)
{
    ng_status st;
    ng_report_options ropts = NG_REPORT_OPTIONS_INIT;
    if ((st = ng_export_graphml(g, files[OUT_GRAPHML].fp)) != NG_OK ||
        (st = ng_export_dot(g, files[OUT_DOT].fp)) != NG_OK ||
        (st = ng_report_write(g, &ropts, files[OUT_REPORT].fp)) != NG_OK ||
        (st = ng_export_gexf(g, files[OUT_GEXF].fp)) != NG_OK ||
        (st = ng_export_json(g, files[OUT_JSON].fp)) != NG_OK ||
        (st = ng_export_csv_nodes(g, files[OUT_NODES].fp)) != NG_OK ||
        (st = ng_export_csv_edges(g, files[OUT_EDGES].fp)) != NG_OK)
        return st;
    return NG_OK;
}

/* ---- build, on threads ---- */

/* What one document gives the build: its lines, ready to be written in
 * corpus order, and how often it names each entity. */
typedef struct doc_result {
    ng_memfile mentions, evidence; /* buffers kept for the slot's next document */
    ng_incidence *incidence;
    size_t incidence_count, incidence_cap;
    ng_status st;
    char error[1024];
} doc_result;

/* The documents' queue: workers take documents in corpus order and leave
 * their results in a ring of `window` slots; the writer (the calling thread)
 * writes them in corpus order as they complete, so no worker waits for a
 * batch to finish. A worker takes document i only once i's slot is free
 * (i < written + window), which bounds the results waiting in memory. */
typedef struct queue {
    pthread_mutex_t lock;
    pthread_cond_t done, room;
    doc_result *results;
    unsigned char *ready; /* per slot: its document is done */
    size_t window, next, written, count;
    int stop; /* the writer gave up (an error): take no more documents */
} queue;

/* A worker: its own document buffers and counts; the counts of all workers
 * are merged at the end, exactly (sums, minima, maxima). */
typedef struct worker {
    const job *j;
    const ng_pipeline_options *opts;
    ng_doc doc;
    ng_cooc *cooc;
    queue *q;
} worker;

static void result_clear(doc_result *r)
{
    r->mentions.len = r->evidence.len = r->incidence_count = 0;
    r->st = NG_OK;
}

static ng_status run_one(worker *w, size_t i, doc_result *r)
{
    const job *j = w->j;
    const char *path = j->sources.paths[i];
    ng_status st = ng_doc_run(&w->doc, path, j->dict, j->matcher, &j->opts);
    if (st != NG_OK || w->doc.skipped)
        return st;
    if ((st = ng_memfile_open(&r->mentions)) != NG_OK ||
        (st = ng_memfile_open(&r->evidence)) != NG_OK)
        return st;
    FILE *m = r->mentions.fp, *e = r->evidence.fp;
    ng_mentions_write_jsonl(m, j->dict, path, w->doc.text.data, w->doc.mentions,
                            w->doc.mention_count);
    evidence_sink sink = {e, j->dict, path};
    st = each_evidence(&w->doc, w->opts->window, write_evidence, &sink);
    ng_status cm = ng_memfile_close(&r->mentions), ce = ng_memfile_close(&r->evidence);
    if (st == NG_OK)
        st = cm != NG_OK ? cm : ce;
    if (st == NG_OK)
        st = ng_doc_count(&w->doc, w->cooc, w->opts->window);
    if (st == NG_OK)
        st = add_incidence(&w->doc, (uint32_t)i, &r->incidence, &r->incidence_count,
                           &r->incidence_cap);
    return st;
}

static void *work(void *arg)
{
    worker *w = arg;
    queue *q = w->q;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (!q->stop && q->next < q->count && q->next >= q->written + q->window)
            pthread_cond_wait(&q->room, &q->lock);
        if (q->stop || q->next >= q->count) {
            pthread_mutex_unlock(&q->lock);
            return NULL;
        }
        size_t i = q->next++;
        pthread_mutex_unlock(&q->lock);
        doc_result *r = &q->results[i % q->window];
        if ((r->st = run_one(w, i, r)) != NG_OK)
            snprintf(r->error, sizeof r->error, "%s", ng_error_message());
        pthread_mutex_lock(&q->lock);
        q->ready[i % q->window] = 1;
        pthread_cond_signal(&q->done);
        pthread_mutex_unlock(&q->lock);
    }
}

/* Documents per thread that may wait for their turn to be written. */
#define WINDOW_PER_THREAD 4

/* Tag every document on `threads` threads; write lines in corpus order. */
static ng_status run_documents(const job *j, const ng_pipeline_options *opts, size_t threads,
                               ng_outfile *files, ng_cooc *cooc, ng_incidence **incidence,
                               size_t *incidence_count, size_t *incidence_cap)
{
    queue q = {.window = threads * WINDOW_PER_THREAD, .count = j->sources.count};
    worker *workers = calloc(threads, sizeof *workers);
    q.results = calloc(q.window, sizeof *q.results);
    q.ready = calloc(q.window, 1);
    pthread_t *tids = calloc(threads, sizeof *tids);
    ng_status st = workers && q.results && q.ready && tids
                       ? NG_OK
                       : ng_error_set(NG_ENOMEM, "out of memory");
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.done, NULL);
    pthread_cond_init(&q.room, NULL);
    for (size_t t = 0; st == NG_OK && t < threads; t++) {
        workers[t] = (worker){.j = j, .opts = opts, .q = &q};
        st = ng_cooc_new(&workers[t].cooc, ng_dict_entity_count(j->dict));
    }
    size_t started = 0;
    while (st == NG_OK && started < threads &&
           pthread_create(&tids[started], NULL, work, &workers[started]) == 0)
        started++;
    if (st == NG_OK && started == 0)
        st = ng_error_set(NG_ENOMEM, "cannot start a worker thread");
    for (size_t i = 0; st == NG_OK && i < q.count; i++) {
        doc_result *r = &q.results[i % q.window];
        pthread_mutex_lock(&q.lock);
        while (!q.ready[i % q.window])
            pthread_cond_wait(&q.done, &q.lock);
        pthread_mutex_unlock(&q.lock);
        if (r->st != NG_OK)
            st = ng_error_set(r->st, "%s", r->error);
        if (st == NG_OK) {
            if (r->mentions.len) /* a skipped document wrote nothing */
                fwrite(r->mentions.data, 1, r->mentions.len, files[OUT_MENTIONS].fp);
            if (r->evidence.len)
                fwrite(r->evidence.data, 1, r->evidence.len, files[OUT_EVIDENCE].fp);
            if (NG_GROW(*incidence, *incidence_cap, *incidence_count + r->incidence_count) !=
                NG_OK)
                st = NG_ENOMEM;
            else if (r->incidence_count) {
                memcpy(*incidence + *incidence_count, r->incidence,
                       r->incidence_count * sizeof **incidence);
                *incidence_count += r->incidence_count;
            }
        }
        result_clear(r);
        pthread_mutex_lock(&q.lock);
        q.ready[i % q.window] = 0;
        q.written = i + 1;
        pthread_cond_broadcast(&q.room);
        pthread_mutex_unlock(&q.lock);
    }
    pthread_mutex_lock(&q.lock);
    q.stop = 1; /* after an error; otherwise every document was taken already */
    pthread_cond_broadcast(&q.room);
    pthread_mutex_unlock(&q.lock);
    for (size_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    for (size_t t = 0; workers && t < threads; t++) {
        if (st == NG_OK)
            st = ng_cooc_merge(cooc, workers[t].cooc);
        ng_cooc_free(workers[t].cooc);
        ng_doc_destroy(&workers[t].doc);
    }
    for (size_t i = 0; q.results && i < q.window; i++) {
        ng_memfile_destroy(&q.results[i].mentions);
        ng_memfile_destroy(&q.results[i].evidence);
        free(q.results[i].incidence);
    }
    pthread_cond_destroy(&q.room);
    pthread_cond_destroy(&q.done);
    pthread_mutex_destroy(&q.lock);
    free(q.results);
    free(q.ready);
    free(workers);
    free(tids);
    return st;
}

size_t ng_pipeline_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (size_t)n;
}

ng_status ng_pipeline_build(const ng_pipeline_options *opts)
{
    job j;
    ng_outfile files[OUT_COUNT] = {0};
    ng_cooc *cooc = NULL;
    ng_graph *graph = NULL;
    ng_incidence *incidence = NULL;
    size_t incidence_count = 0, incidence_cap = 0;
    size_t threads = opts->threads ? opts->threads : ng_pipeline_default_threads();
    ng_status st = job_open(&j, opts);
    if (st == NG_OK)
        st = check_not_input(&j, opts->out_dir);
    if (st == NG_OK)
        st = ensure_dir(opts->out_dir);
    for (int f = 0; st == NG_OK && f < OUT_COUNT; f++) {
        char path[4096];
        if ((st = out_path(path, sizeof path, opts->out_dir, f)) == NG_OK)
            st = ng_outfile_open(&files[f], path);
    }
    if (st == NG_OK)
        st = ng_cooc_new(&cooc, ng_dict_entity_count(j.dict));
    if (st == NG_OK)
        st = run_documents(&j, opts, threads, files, cooc, &incidence, &incidence_count,
                           &incidence_cap);
    if (st == NG_OK) {
        ng_graph_options gopts = opts->graph;
        gopts.window = ng_window_name(opts->window);
        st = ng_graph_build(&graph, j.dict, cooc, &gopts);
    }
    if (st == NG_OK)
        st = write_outputs(graph, files);
    if (st == NG_OK)
        st = ng_graph_write_two_mode(files[OUT_TWO_MODE].fp, j.dict,
                                     (const char *const *)j.sources.paths, j.sources.count,
                                     incidence, incidence_count);
    for (int f = 0; st == NG_OK && f < OUT_COUNT; f++)
        st = ng_outfile_commit(&files[f]);
    for (int f = 0; f < OUT_COUNT; f++)
        ng_outfile_abort(&files[f]);
    free(incidence);
    ng_graph_free(graph);
    ng_cooc_free(cooc);
    job_close(&j);
    return st;
}

/* ---- explain ---- */

typedef struct explain_state {
    const char *name_a, *name_b;
    uint32_t a, b;
    ng_window window;
    size_t limit, found;
    FILE *out;
} explain_state;

/* Is entity `id` among the sorted ids of `ev`? */
static int names(const ng_evidence *ev, uint32_t id)
{
    size_t lo = 0, hi = ev->entity_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ev->entities[mid] == id)
            return 1;
        if (ev->entities[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int print_explanation(const ng_evidence *ev, const ng_doc *doc, void *userdata)
{
    explain_state *x = userdata;
    if (!names(ev, x->a) || !names(ev, x->b))
        return 0;
    if (!x->limit || x->found < x->limit) {
        fprintf(x->out, "%s:%u: ", doc->path, ev->line);
        ng_evidence_write_snippet(x->out, doc->text.data, ev, 0);
        putc('\n', x->out);
    }
    x->found++;
    return 0;
}

static ng_status explain_start(const ng_dict *dict, void *userdata)
{
    explain_state *x = userdata;
    uint32_t ea, eb;
    ng_status st;
    if ((st = ng_dict_lookup(dict, x->name_a, &ea)) != NG_OK ||
        (st = ng_dict_lookup(dict, x->name_b, &eb)) != NG_OK)
        return st;
    if (ea == eb)
        return ng_error_set(NG_EINVAL, "'%s' and '%s' are the same entity (%s)", x->name_a,
                            x->name_b, ng_dict_entity(dict, ea)->key);
    x->a = ea < eb ? ea : eb;
    x->b = ea < eb ? eb : ea;
    return NG_OK;
}

static ng_status explain_document(ng_doc *doc, const ng_dict *dict, void *userdata)
{
    (void)dict;
    explain_state *x = userdata;
    return each_evidence(doc, x->window, print_explanation, x);
}

ng_status ng_pipeline_explain(const ng_pipeline_options *opts, const char *a, const char *b,
                              size_t limit, FILE *out, size_t *found)
{
    explain_state x = {.name_a = a, .name_b = b, .window = opts->window, .limit = limit,
                       .out = out};
    ng_status st = ng_pipeline_each_document(opts, explain_start, explain_document, NULL, &x);
    *found = x.found;
    return st;
}

/* ---- build --check ---- */

typedef struct lines {
    char *data;
    size_t len;
    char **items;
    size_t count, cap;
} lines;

static void lines_destroy(lines *l)
{
    free(l->data);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read `path` and split it into sorted lines; a missing file has none. */
static ng_status read_lines(const char *path, lines *l, int *missing)
{
    ng_bytes b = {0};
    ng_status st = ng_input_read(&b, path);
    *missing = st != NG_OK;
    if (st != NG_OK) {
        ng_bytes_destroy(&b);
        return NG_OK;
    }
    if ((st = NG_GROW(b.data, b.cap, b.len + 1)) != NG_OK) {
        ng_bytes_destroy(&b);
        return st;
    }
    b.data[b.len] = '\0';
    l->data = b.data;
    l->len = b.len;
    for (char *p = l->data; st == NG_OK && p < l->data + l->len;) {
        char *nl = memchr(p, '\n', (size_t)(l->data + l->len - p));
        if (nl)
            *nl = '\0';
        if ((st = NG_GROW(l->items, l->cap, l->count + 1)) == NG_OK)
            l->items[l->count++] = p;
        p = nl ? nl + 1 : l->data + l->len;
    }
    if (l->count)
        qsort(l->items, l->count, sizeof *l->items, compare_lines);
    return st;
}

/* Compare one output file; prints a line to `report` when it differs. */
static ng_status compare_output(const char *name, const char *want_path, const char *got_path,
                                FILE *report, size_t *differs)
{
    lines want = {0}, got = {0};
    int want_missing, got_missing;
    ng_status st = read_lines(want_path, &want, &want_missing);
    if (st == NG_OK)
        st = read_lines(got_path, &got, &got_missing);
    if (st == NG_OK && want_missing) {
        fprintf(report, "%s: missing (run nergraph build)\n", want_path);
        (*differs)++;
    } else if (st == NG_OK && (want.len != got.len || memcmp(want.data, got.data, want.len))) {
        size_t i = 0, j = 0, removed = 0, added = 0;
        while (i < want.count || j < got.count) {
            int c = i == want.count ? 1 : j == got.count ? -1 : strcmp(want.items[i], got.items[j]);
            if (c == 0)
                i++, j++;
            else if (c < 0)
                i++, removed++;
            else
                j++, added++;
        }
        fprintf(report, "%s: differs: %zu line%s added, %zu removed%s\n", name, added,
                added == 1 ? "" : "s", removed, added || removed ? "" : " (order changed)");
        (*differs)++;
    }
    lines_destroy(&want);
    lines_destroy(&got);
    return st;
}

ng_status ng_pipeline_check(const ng_pipeline_options *opts, FILE *report, size_t *differs)
{
    *differs = 0;
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    if ((size_t)snprintf(dir, sizeof dir, "%s/nergraph-check-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
        sizeof dir)
        return ng_error_set(NG_EINVAL, "TMPDIR too long");
    if (!mkdtemp(dir))
        return ng_error_set(NG_EIO, "%s: cannot create: %s", dir, strerror(errno));
    ng_pipeline_options fresh = *opts;
    fresh.out_dir = dir;
    ng_status st = ng_pipeline_build(&fresh);
    for (int f = 0; f < OUT_COUNT; f++) {
        char want[4096], got[4096];
        if (out_path(got, sizeof got, dir, f) != NG_OK)
            continue;
        if (st == NG_OK && (st = out_path(want, sizeof want, opts->out_dir, f)) == NG_OK)
            st = compare_output(out_names[f], want, got, report, differs);
        unlink(got);
    }
    rmdir(dir);
    return st;
}
