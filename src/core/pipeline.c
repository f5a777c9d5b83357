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
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "hash.h"
#include "memfile.h"
#include "utf8.h"
#include "nergraph/dcache.h"
#include "nergraph/export.h"
#include "nergraph/graph.h"
#include "nergraph/mcache.h"
#include "nergraph/partial.h"
#include "nergraph/report.h"
#include "outfile.h"

ng_status ng_doc_run(ng_doc *doc, const char *path, const ng_dict *dict, const ng_matcher *m,
                     const ng_pipeline_options *opts)
{
    doc->mention_count = 0;
    doc->path = path;
    doc->skipped = 0;
    ng_status st = ng_input_read(&doc->raw, path);
    if (st != NG_OK)
        return st;
    return ng_doc_run_bytes(doc, path, doc->raw.data, doc->raw.len, NULL, dict, m, opts);
}

static ng_span match_span(const void *matches, size_t i)
{
    const ng_match *m = (const ng_match *)matches + i;
    return (ng_span){m->start, m->end};
}

ng_status ng_doc_run_bytes(ng_doc *doc, const char *name, const char *data, size_t len,
                           const char *encoding, const ng_dict *dict, const ng_matcher *m,
                           const ng_pipeline_options *opts)
{
    ng_status st;
    doc->mention_count = 0;
    doc->path = name;
    doc->skipped = 0;
    doc->tokens_valid = 0;
    if (!encoding)
        encoding = ng_config_encoding(opts->config, name);
    if (!encoding)
        encoding = opts->encoding; /* a document's own setting wins */
    if (!encoding && ng_decode_is_binary(data, len)) {
        ng_warn("%s: a binary file, not text: skipped", name);
        doc->skipped = 1;
        return NG_OK;
    }
    if ((st = ng_decode(&doc->text, data, len, encoding, name)) != NG_OK)
        return st;
    if (len == 0)
        ng_warn("%s: empty document", name);
    const char *date = ng_config_date(opts->config, name); /* YYYY-MM-DD, checked */
    doc->date = date ? (uint32_t)(atoi(date) * 10000 + atoi(date + 5) * 100 + atoi(date + 8)) : 0;
    const ng_text *t = &doc->text;
    if ((st = ng_normalize(&doc->norm, t->data, t->len, NG_NORM_FOLD)) != NG_OK ||
        (st = ng_segment_sentences(&doc->sentences, t->data, t->len)) != NG_OK ||
        (st = ng_matcher_scan(m, &doc->norm, t->data, t->len, &doc->scratch, &doc->matches)) !=
            NG_OK ||
        (st = ng_context_apply(&doc->context, dict, &doc->norm, t->data, t->len,
                               &doc->sentences, &doc->matches)) != NG_OK)
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
    /* join first, so that every mention of a joined sentence sees its span */
    ng_segments *ss = &doc->sentences;
    ng_segments_join(ss, doc->matches.items, kept, match_span);
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

void ng_doc_destroy(ng_doc *doc)
{
    ng_bytes_destroy(&doc->raw);
    ng_text_destroy(&doc->text);
    ng_norm_destroy(&doc->norm);
    ng_segments_destroy(&doc->sentences);
    ng_match_vec_destroy(&doc->matches);
    ng_scan_scratch_destroy(&doc->scratch);
    ng_context_scratch_destroy(&doc->context);
    free(doc->mentions);
    free(doc->counted);
    free(doc->window_entities);
    free(doc->entity_mentions);
    free(doc->mention_tokens);
    ng_mention_lines_free(doc->lines);
    memset(doc, 0, sizeof *doc);
}

/* ---- evidence: the windows two entities share ---- */

typedef int (*evidence_fn)(const ng_evidence *ev, const ng_doc *doc, void *userdata);

/* Unit (sentence, paragraph, document) of sentence `s`. */
static uint32_t unit_of(const ng_doc *d, uint32_t s, ng_window unit)
{
    return unit == NG_WINDOW_SENTENCE    ? s
           : unit == NG_WINDOW_PARAGRAPH ? d->sentences.paragraph[s]
                                         : 0;
}

/* The decoded span of the unit holding sentence `s`. */
static ng_span unit_span(const ng_doc *d, uint32_t s, ng_window unit)
{
    const ng_segments *ss = &d->sentences;
    if (unit == NG_WINDOW_SENTENCE)
        return ss->spans[s];
    size_t first = s, last = s;
    if (unit == NG_WINDOW_DOCUMENT) {
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

/* For sliding windows: how many tokens start before each mention, in one
 * pass over the text up to the last mention. */
static ng_status count_tokens(ng_doc *d)
{
    if (d->tokens_valid)
        return NG_OK;
    ng_status st = NG_GROW(d->mention_tokens, d->mention_tokens_cap, d->mention_count + 1);
    if (st != NG_OK)
        return st;
    const unsigned char *s = (const unsigned char *)d->text.data;
    size_t len = d->text.len, p = 0;
    uint32_t tokens = 0;
    int in_word = 0;
    for (size_t i = 0; i < d->mention_count; i++) {
        for (size_t o = d->mentions[i].text.start; p < o && p < len;) {
            int32_t cp = s[p];
            size_t k = cp < 0x80 ? 1 : ng_utf8_decode(s + p, len - p, &cp);
            int word = ng_utf8_is_word(cp);
            tokens += word && !in_word;
            in_word = word;
            p += k ? k : 1;
        }
        d->mention_tokens[i] = tokens;
    }
    d->tokens_valid = 1;
    return NG_OK;
}

/* The next window of the last ng_doc_run, as the range [*first, *end) of its
 * mentions; 0 when there is none. *next starts at 0. */
static int next_window(const ng_doc *d, const ng_window_spec *w, size_t *next, size_t *first,
                       size_t *end)
{
    size_t i = *next, j = i + 1, n = d->mention_count;
    if (i >= n)
        return 0;
    if (w->unit == NG_WINDOW_TOKENS) {
        while (j < n && d->mention_tokens[j] - d->mention_tokens[i] < w->tokens)
            j++;
        *next = i + 1;
    } else {
        uint32_t u = unit_of(d, d->mentions[i].sentence, w->unit);
        while (j < n && unit_of(d, d->mentions[j].sentence, w->unit) == u)
            j++;
        *next = j;
    }
    *first = i;
    *end = j;
    return 1;
}

ng_status ng_doc_count(ng_doc *d, ng_cooc *cooc, const ng_window_spec *window)
{
    ng_status st = window->unit == NG_WINDOW_TOKENS ? count_tokens(d) : NG_OK;
    size_t k = 0, first, end;
    uint32_t index = 0;
    for (size_t next = 0; st == NG_OK && next_window(d, window, &next, &first, &end); index++) {
        if ((st = NG_GROW(d->counted, d->counted_cap, k + end - first)) != NG_OK)
            return st;
        for (size_t i = first; i < end; i++)
            d->counted[k++] = (ng_cooc_mention){d->mentions[i].entity, index};
    }
    return st == NG_OK ? ng_cooc_add_dated_document(cooc, d->counted, k, d->date) : st;
}

/* Call `fn` for every window of the last ng_doc_run that names two or more
 * entities, in order; stops when fn returns non-zero. Lines are counted as
 * the walk goes, so the cost is one pass. */
static ng_status each_evidence(ng_doc *d, const ng_window_spec *window, evidence_fn fn,
                               void *userdata)
{
    const ng_text *t = &d->text;
    size_t line_pos = 0, first, end;
    uint32_t line = 1;
    ng_status st = window->unit == NG_WINDOW_TOKENS ? count_tokens(d) : NG_OK;
    if (st == NG_OK)
        st = NG_GROW(d->window_entities, d->window_cap, d->mention_count + 1);
    for (size_t next = 0; st == NG_OK && next_window(d, window, &next, &first, &end);) {
        uint32_t *e = d->window_entities;
        size_t k = 0;
        for (size_t i = first; i < end; i++)
            e[k++] = d->mentions[i].entity;
        size_t u = ng_cooc_distinct_entities(e, k);
        if (u < 2)
            continue;
        ng_span span = window->unit == NG_WINDOW_TOKENS
                           ? (ng_span){d->mentions[first].text.start, d->mentions[end - 1].text.end}
                           : unit_span(d, d->mentions[first].sentence, window->unit);
        for (; line_pos < span.start; line_pos++)
            line += t->data[line_pos] == '\n';
        if (u > NG_MAX_WINDOW_ENTITIES) { /* as ng_cooc caps them */
            char name[40];
            if (window->unit == NG_WINDOW_TOKENS)
                snprintf(name, sizeof name, "window of %u tokens", (unsigned)window->tokens);
            else
                snprintf(name, sizeof name, "%s", ng_window_name(window->unit));
            ng_warn("%s:%u: a %s names %zu entities; pairs are counted among the first %d by "
                    "key only",
                    d->path, line, name, u, NG_MAX_WINDOW_ENTITIES);
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
    return st;
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

static ng_status load_dictionaries(job *j, const char *dict_dir)
{
    char dir[4096];
    if ((size_t)snprintf(dir, sizeof dir, "%s/suffixes", dict_dir) >= sizeof dir)
        return ng_error_set(NG_EINVAL, "%s: path too long", dict_dir);
    ng_status st = ng_dcache_dict(&j->dict, dict_dir, NULL, NULL);
    return st == NG_OK ? ng_suffixes_load_dir(&j->suffixes, dir) : st;
}

/* What partials compare to know they were counted alike: the bytes of the
 * dictionaries and suffix tables. */
static uint64_t dictionaries_hash(const job *j)
{
    uint64_t suffixes = ng_suffixes_hash(j->suffixes);
    return ng_hash_bytes(ng_dict_hash(j->dict), &suffixes, sizeof suffixes);
}

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
        (st = load_dictionaries(j, opts->dict_dir)) != NG_OK ||
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

/* Where documents come from: the files of the corpus, or the records of
 * JSON Lines files (opts.jsonl), in order. */
typedef struct doc_source {
    const job *j;
    size_t next;            /* the next path */
    ng_jsonl_reader reader; /* of the JSON Lines file being read */
    int reading;
} doc_source;

/* One document: a file named `name`, or a JSON Lines record. */
typedef struct doc_item {
    const char *name;
    ng_jsonl_document record;
} doc_item;

static ng_status source_next(doc_source *s, doc_item *item, int *done)
{
    const ng_source_list *list = &s->j->sources;
    ng_jsonl_document_clear(&item->record);
    *done = 0;
    while (s->j->opts.jsonl) {
        ng_status st;
        int end = 0;
        if (!s->reading) {
            if (s->next == list->count)
                break;
            if ((st = ng_jsonl_open(&s->reader, list->paths[s->next++])) != NG_OK)
                return st;
            s->reading = 1;
        }
        if ((st = ng_jsonl_next(&s->reader, &item->record, &end)) != NG_OK)
            return st;
        if (!end) {
            item->name = item->record.name;
            return NG_OK;
        }
        ng_jsonl_close(&s->reader);
        s->reading = 0;
    }
    if (s->j->opts.jsonl || s->next == list->count)
        *done = 1;
    else
        item->name = list->paths[s->next++];
    return NG_OK;
}

static void source_close(doc_source *s)
{
    if (s->reading)
        ng_jsonl_close(&s->reader);
}

/* Text in JSON is Unicode, so its UTF-8 bytes are the document. */
static ng_status run_item(ng_doc *doc, const doc_item *item, const job *j)
{
    if (item->record.record)
        return ng_doc_run_bytes(doc, item->name, item->record.text, item->record.len, "UTF-8",
                                j->dict, j->matcher, &j->opts);
    return ng_doc_run(doc, item->name, j->dict, j->matcher, &j->opts);
}

/* Bytes of a document read (a JSON Lines record: its text). */
static uint64_t item_bytes(const doc_item *item, const ng_doc *doc)
{
    return item->record.record ? item->record.len : doc->raw.len;
}

/* Documents given in total, for progress: 0 when unknown (JSON Lines). */
static size_t total_documents(const job *j)
{
    return j->opts.jsonl ? 0 : j->sources.count;
}

/* Every document skipped as binary: nothing was read, an error rather than
 * an empty result. */
static ng_status check_some_text(const char *where, size_t texts, size_t documents)
{
    if (texts || !documents)
        return NG_OK;
    return ng_error_set(NG_EIO, "%s: no text documents: %zu binary file%s skipped", where,
                        documents, documents == 1 ? "" : "s");
}

static const char *corpus_name(const job *j)
{
    return j->opts.path_count ? j->opts.paths[0] : "corpus";
}

ng_status ng_pipeline_each_document(const ng_pipeline_options *opts, ng_start_fn start,
                                    ng_document_fn fn, ng_start_fn finish, void *userdata)
{
    job j;
    doc_item item = {0};
    ng_status st = job_open(&j, opts);
    doc_source src = {.j = &j};
    size_t documents = 0, texts = 0;
    uint64_t bytes = 0;
    if (st == NG_OK && start)
        st = start(j.dict, userdata);
    for (int done = 0; st == NG_OK && (st = source_next(&src, &item, &done)) == NG_OK && !done;) {
        if ((st = run_item(&j.doc, &item, &j)) == NG_OK && !j.doc.skipped &&
            (st = fn(&j.doc, j.dict, userdata)) == NG_OK)
            texts++;
        bytes += item_bytes(&item, &j.doc);
        documents++;
        if (st == NG_OK && opts->progress)
            opts->progress(documents, total_documents(&j), bytes, opts->progress_userdata);
    }
    if (st == NG_OK)
        st = check_some_text(corpus_name(&j), texts, documents);
    if (st == NG_OK && finish)
        st = finish(j.dict, userdata);
    ng_jsonl_document_clear(&item.record);
    source_close(&src);
    job_close(&j);
    return st;
}

static ng_status tag_document(ng_doc *doc, const ng_dict *dict, void *out)
{
    return ng_mentions_write_jsonl(out, &doc->lines, dict, doc->path, doc->text.data,
                                   doc->mentions, doc->mention_count);
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

/* Add how often the document names each entity to `inc` (document index 0:
 * the caller numbers documents as they are written, in corpus order), in
 * entity order. Counted in a table by entity rather than by sorting the
 * mentions: a document names some hundreds of entities thousands of times. */
static ng_status add_incidence(ng_doc *d, size_t entities, ng_incidence **inc, size_t *count,
                               size_t *cap)
{
    if (d->entity_mentions_cap < entities) {
        free(d->entity_mentions);
        d->entity_mentions_cap = 0;
        if (!(d->entity_mentions = calloc(entities, sizeof *d->entity_mentions)))
            return ng_error_set(NG_ENOMEM, "out of memory");
        d->entity_mentions_cap = entities;
    }
    ng_status st = NG_GROW(d->window_entities, d->window_cap, d->mention_count + 1);
    if (st != NG_OK)
        return st;
    uint32_t *named = d->window_entities, *times = d->entity_mentions;
    size_t n = 0;
    for (size_t i = 0; i < d->mention_count; i++)
        if (times[d->mentions[i].entity]++ == 0)
            named[n++] = d->mentions[i].entity;
    ng_cooc_distinct_entities(named, n); /* distinct already: this sorts them */
    for (size_t i = 0; i < n && st == NG_OK; i++)
        if ((st = NG_GROW(*inc, *cap, *count + 1)) == NG_OK)
            (*inc)[(*count)++] = (ng_incidence){0, named[i], times[named[i]]};
    for (size_t i = 0; i < n; i++)
        times[named[i]] = 0;
    return st;
}

/* The path of output file `f` in `dir`. */
static ng_status out_path(char *buf, size_t cap, const char *dir, int f)
{
    if ((size_t)snprintf(buf, cap, "%s/%s", dir, out_names[f]) >= cap)
        return ng_error_set(NG_EINVAL, "%s: output path too long", dir);
    return NG_OK;
}

/* The first input that lies under `out`, or (`itself`) is `out`: an output
 * there could replace a document, and the next run would read outputs as
 * documents. NULL when none does. */
static const char *input_at(const ng_source_list *inputs, const char *out, int itself)
{
    char out_real[PATH_MAX], in_real[PATH_MAX];
    if (!strcmp(out, "-") || !realpath(out, out_real))
        return NULL; /* standard output, or not there yet: it holds nothing */
    size_t n = strlen(out_real);
    for (size_t i = 0; i < inputs->count; i++)
        if (realpath(inputs->paths[i], in_real) && strncmp(in_real, out_real, n) == 0 &&
            (in_real[n] == '/' || (itself && in_real[n] == '\0') ||
             (n == 1 && out_real[0] == '/')))
            return inputs->paths[i];
    return NULL;
}

static ng_status check_not_input(const ng_source_list *inputs, const char *out_dir)
{
    const char *doc = input_at(inputs, out_dir, 0);
    return doc ? ng_error_set(NG_EINVAL, "%s: the output directory %s holds this input "
                                         "document; choose another --out",
                              doc, out_dir)
               : NG_OK;
}

/* *created tells a failed build to remove the directory it made. */
static ng_status ensure_dir(const char *dir, int *created)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? NG_OK
                                   : ng_error_set(NG_EIO, "%s: not a directory", dir);
    if (mkdir(dir, 0777) != 0)
        return ng_error_set(NG_EIO, "%s: cannot create directory: %s", dir, strerror(errno));
    *created = 1;
    return NG_OK;
}

/* What a build writes, from whatever produced the mentions and counts: a
 * run over the corpus or a merge of partials. */
typedef struct build_output {
    ng_outfile files[OUT_COUNT];
    ng_source_list documents; /* names, in corpus order */
    ng_incidence *incidence;
    size_t incidence_count, incidence_cap;
    ng_cooc *cooc;
    ng_window_spec window;
    const char *dir;
    int created; /* the directory was made by this run: removed if it fails */
} build_output;

static ng_status output_open(build_output *b, const ng_source_list *inputs,
                             const ng_pipeline_options *opts, size_t entity_count)
{
    memset(b, 0, sizeof *b);
    b->window = opts->window;
    b->dir = opts->out_dir;
    ng_status st = check_not_input(inputs, opts->out_dir);
    if (st == NG_OK)
        st = ensure_dir(opts->out_dir, &b->created);
    for (int f = 0; st == NG_OK && f < OUT_COUNT; f++) {
        char path[4096];
        if ((st = out_path(path, sizeof path, opts->out_dir, f)) == NG_OK)
            st = ng_outfile_open(&b->files[f], path);
    }
    return st == NG_OK ? ng_cooc_new(&b->cooc, entity_count) : st;
}

/* A document of the corpus, numbered in the order of the calls. */
static ng_status output_document(build_output *b, const char *name, uint32_t *index)
{
    char *copy = ng_strdup(name);
    if (!copy)
        return NG_ENOMEM;
    if (NG_GROW(b->documents.paths, b->documents.cap, b->documents.count + 1) != NG_OK) {
        free(copy);
        return NG_ENOMEM;
    }
    *index = (uint32_t)b->documents.count;
    b->documents.paths[b->documents.count++] = copy;
    return NG_OK;
}

static ng_status output_incidence(build_output *b, uint32_t doc, uint32_t entity,
                                  uint64_t mentions)
{
    ng_status st = NG_GROW(b->incidence, b->incidence_cap, b->incidence_count + 1);
    if (st == NG_OK)
        b->incidence[b->incidence_count++] = (ng_incidence){doc, entity, mentions};
    return st;
}

static ng_status write_report(const ng_graph *g, FILE *out)
{
    ng_report_options ropts = NG_REPORT_OPTIONS_INIT;
    return ng_report_write(g, &ropts, out);
}

/* The files drawn from the network, OUT_GRAPHML to OUT_EDGES, in that order. */
static ng_status (*const network_writers[])(const ng_graph *, FILE *) = {
    ng_export_graphml, ng_export_dot,        write_report,       ng_export_gexf,
    ng_export_json,    ng_export_csv_nodes, ng_export_csv_edges};
_Static_assert(sizeof network_writers / sizeof *network_writers == OUT_EDGES - OUT_GRAPHML + 1,
               "a writer for every network file");

/* What a build does that the network does not need, on a thread of its own
 * while the network is computed and written: the mention and evidence files
 * reach the disk, the two-mode network (counts only, no igraph, which is not
 * thread-safe) is written, and each network file is synced as soon as it is
 * complete, so that commit need not wait for one device flush after
 * another. */
typedef struct beside_network {
    build_output *b;
    const ng_dict *dict;
    pthread_mutex_t lock;
    pthread_cond_t more; /* another network file is complete, or no more will be */
    int complete;        /* network files [OUT_GRAPHML, complete) are written */
    int ended;
    ng_status st;
    char error[1024];
} beside_network;

static void *write_beside_network(void *arg)
{
    beside_network *w = arg;
    ng_outfile *files = w->b->files;
    ng_outfile_sync(&files[OUT_MENTIONS]); /* an error stays with the file, for commit */
    ng_outfile_sync(&files[OUT_EVIDENCE]);
    w->st = ng_export_two_mode(files[OUT_TWO_MODE].fp, w->dict,
                               (const char *const *)w->b->documents.paths,
                               w->b->documents.count, w->b->incidence, w->b->incidence_count);
    if (w->st != NG_OK)
        snprintf(w->error, sizeof w->error, "%s", ng_error_message());
    else
        ng_outfile_sync(&files[OUT_TWO_MODE]);
    for (int f = OUT_GRAPHML;; f++) {
        pthread_mutex_lock(&w->lock);
        while (f >= w->complete && !w->ended)
            pthread_cond_wait(&w->more, &w->lock);
        int ready = f < w->complete;
        pthread_mutex_unlock(&w->lock);
        if (!ready)
            return NULL;
        ng_outfile_sync(&files[f]);
    }
}

/* Network files before `complete` are written; `ended`: no more will be. */
static void hand_over(beside_network *w, int complete, int ended)
{
    pthread_mutex_lock(&w->lock);
    w->complete = complete;
    w->ended = ended;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
}

/* The network and everything drawn from it, and what is written beside it;
 * then every file is renamed into place, or none. */
static ng_status output_commit(build_output *b, const ng_dict *dict, const ng_pipeline_options *opts)
{
    beside_network beside = {.b = b, .dict = dict, .complete = OUT_GRAPHML};
    pthread_mutex_init(&beside.lock, NULL);
    pthread_cond_init(&beside.more, NULL);
    pthread_t tid;
    int threaded = pthread_create(&tid, NULL, write_beside_network, &beside) == 0;
    ng_graph *g = NULL;
    ng_graph_options gopts = opts->graph;
    char window[NG_WINDOW_NAME_BYTES];
    gopts.window = ng_window_format(&b->window, window);
    ng_status st = ng_graph_build(&g, dict, b->cooc, &gopts);
    for (int f = OUT_GRAPHML; st == NG_OK && f <= OUT_EDGES; f++)
        if ((st = network_writers[f - OUT_GRAPHML](g, b->files[f].fp)) == NG_OK)
            hand_over(&beside, f + 1, 0);
    ng_graph_free(g);
    hand_over(&beside, beside.complete, 1);
    if (threaded)
        pthread_join(tid, NULL);
    else
        write_beside_network(&beside);
    pthread_cond_destroy(&beside.more);
    pthread_mutex_destroy(&beside.lock);
    if (st == NG_OK && beside.st != NG_OK)
        st = ng_error_set(beside.st, "%s", beside.error);
    for (int f = 0; st == NG_OK && f < OUT_COUNT; f++)
        st = ng_outfile_commit(&b->files[f]);
    return st;
}

/* Remove what is left of a run that ended with `st`. */
static void output_close(build_output *b, ng_status st)
{
    for (int f = 0; f < OUT_COUNT; f++)
        ng_outfile_abort(&b->files[f]);
    if (st != NG_OK && b->created)
        rmdir(b->dir);
    ng_source_list_destroy(&b->documents);
    free(b->incidence);
    ng_cooc_free(b->cooc);
}

/* ---- tagging documents on threads ---- */

/* What one document gives: its lines, ready to be written in corpus order,
 * and how often it names each entity. */
typedef struct doc_result {
    ng_memfile mentions, evidence; /* buffers kept for the slot's next document */
    ng_incidence *incidence;
    size_t incidence_count, incidence_cap;
    int binary;     /* skipped: not text */
    uint64_t bytes; /* read */
    ng_status st;
    char error[1024];
} doc_result;

/* Takes each document's result in corpus order. */
typedef ng_status (*result_fn)(void *userdata, const char *name, doc_result *r);

/* The documents' queue, a ring of `window` slots: the calling thread reads
 * documents into free slots (from files or JSON Lines); workers take them
 * in order, and the worker that completes the next document to be written
 * writes it, and any after it that are done already, in corpus order, while
 * the others go on tagging. So writing, like tagging, is done by the
 * threads asked for: one thread tags and writes everything itself, two
 * share both. A slot is free once its previous document was written (k <
 * written + window), which bounds what waits in memory, and no worker waits
 * for a batch to finish. */
typedef struct queue {
    pthread_mutex_t lock;
    pthread_cond_t work;     /* for workers: a document to take, or stop */
    pthread_cond_t progress; /* for the reader: a slot was written, or stop */
    doc_item *items;
    doc_result *results;
    unsigned char *ready; /* per slot: its document is done */
    size_t window, next, written, filled;
    int ended;   /* every document was read into a slot */
    int stop;    /* an error: take no more documents */
    int writing; /* a worker is writing results */
    /* for the writer */
    const job *j;
    result_fn fn;
    void *userdata;
    size_t texts, documents;
    uint64_t bytes;
    ng_status st; /* the first error, in corpus order, and its message */
    char error[1024];
} queue;

/* A worker: its own document buffers and counts; the counts of all workers
 * are merged at the end, exactly (sums, minima, maxima). */
typedef struct worker {
    const job *j;
    ng_doc doc;
    ng_cooc *cooc;
    queue *q;
} worker;

static void result_clear(doc_result *r)
{
    r->mentions.len = r->evidence.len = r->incidence_count = 0;
    r->binary = 0;
    r->st = NG_OK;
}

static ng_status run_one(worker *w, const doc_item *item, doc_result *r)
{
    const job *j = w->j;
    ng_status st = run_item(&w->doc, item, j);
    r->binary = w->doc.skipped;
    r->bytes = item_bytes(item, &w->doc);
    if (st != NG_OK || w->doc.skipped)
        return st;
    if ((st = ng_memfile_open(&r->mentions)) != NG_OK ||
        (st = ng_memfile_open(&r->evidence)) != NG_OK)
        return st;
    st = ng_mentions_write_jsonl(r->mentions.fp, &w->doc.lines, j->dict, item->name,
                                 w->doc.text.data, w->doc.mentions, w->doc.mention_count);
    evidence_sink sink = {r->evidence.fp, j->dict, item->name};
    if (st == NG_OK)
        st = each_evidence(&w->doc, &j->opts.window, write_evidence, &sink);
    ng_status cm = ng_memfile_close(&r->mentions), ce = ng_memfile_close(&r->evidence);
    if (st == NG_OK)
        st = cm != NG_OK ? cm : ce;
    if (st == NG_OK)
        st = ng_doc_count(&w->doc, w->cooc, &j->opts.window);
    if (st == NG_OK)
        st = add_incidence(&w->doc, ng_dict_entity_count(j->dict), &r->incidence,
                           &r->incidence_count, &r->incidence_cap);
    return st;
}

/* Write the result in `slot` (the next in corpus order); called with the
 * lock released, by one worker at a time. */
static ng_status write_result(queue *q, size_t slot)
{
    doc_result *r = &q->results[slot];
    ng_status st = r->st != NG_OK ? ng_error_set(r->st, "%s", r->error)
                                  : q->fn(q->userdata, q->items[slot].name, r);
    q->texts += !r->binary;
    q->bytes += r->bytes;
    q->documents++;
    if (st == NG_OK && q->j->opts.progress)
        q->j->opts.progress(q->documents, total_documents(q->j), q->bytes,
                            q->j->opts.progress_userdata);
    result_clear(r);
    return st;
}

/* Write, in order, every result that is ready, unless a worker does so
 * already; called with the lock held, returns with it held. */
static void write_ready(queue *q)
{
    if (q->writing)
        return;
    q->writing = 1;
    while (!q->stop && q->written < q->filled && q->ready[q->written % q->window]) {
        size_t slot = q->written % q->window;
        pthread_mutex_unlock(&q->lock);
        ng_status st = write_result(q, slot);
        if (st != NG_OK)
            snprintf(q->error, sizeof q->error, "%s", ng_error_message());
        pthread_mutex_lock(&q->lock);
        q->ready[slot] = 0;
        q->written++;
        if (st != NG_OK) {
            q->st = st;
            q->stop = 1;
            pthread_cond_broadcast(&q->work);
        }
        pthread_cond_broadcast(&q->progress);
    }
    q->writing = 0;
}

static void *work(void *arg)
{
    worker *w = arg;
    queue *q = w->q;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->stop && q->next >= q->filled && !q->ended)
            pthread_cond_wait(&q->work, &q->lock);
        if (q->stop || q->next >= q->filled)
            break;
        size_t i = q->next++;
        pthread_mutex_unlock(&q->lock);
        doc_result *r = &q->results[i % q->window];
        if ((r->st = run_one(w, &q->items[i % q->window], r)) != NG_OK)
            snprintf(r->error, sizeof r->error, "%s", ng_error_message());
        pthread_mutex_lock(&q->lock);
        q->ready[i % q->window] = 1;
        write_ready(q);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Read documents into the free slots until every document is read, then
 * wait until every one is written; the reading happens outside the lock,
 * into slots no worker may take yet. */
static ng_status read_all(queue *q, doc_source *src)
{
    ng_status st = NG_OK;
    pthread_mutex_lock(&q->lock);
    while (!q->stop && !q->ended) {
        if (q->filled >= q->written + q->window) {
            pthread_cond_wait(&q->progress, &q->lock);
            continue;
        }
        size_t slot = q->filled % q->window;
        int done = 0;
        pthread_mutex_unlock(&q->lock);
        st = source_next(src, &q->items[slot], &done);
        pthread_mutex_lock(&q->lock);
        if (st != NG_OK)
            q->stop = 1;
        else if (done)
            q->ended = 1;
        else
            q->filled++;
        pthread_cond_broadcast(&q->work);
    }
    while (!q->stop && q->written < q->filled)
        pthread_cond_wait(&q->progress, &q->lock);
    q->stop = 1; /* the workers may go */
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->lock);
    return st;
}

/* Documents per thread that may wait for their turn to be written. */
#define WINDOW_PER_THREAD 4

/* Tag every document on `threads` threads, hand each result to `fn` in
 * corpus order, and add all counts to `cooc`; *texts gets how many
 * documents were text, *documents how many there were. */
static ng_status run_documents(const job *j, size_t threads, ng_cooc *cooc, result_fn fn,
                               void *userdata, size_t *texts, size_t *documents)
{
    queue q = {.window = threads * WINDOW_PER_THREAD, .j = j, .fn = fn, .userdata = userdata};
    doc_source src = {.j = j};
    worker *workers = calloc(threads, sizeof *workers);
    q.items = calloc(q.window, sizeof *q.items);
    q.results = calloc(q.window, sizeof *q.results);
    q.ready = calloc(q.window, 1);
    pthread_t *tids = calloc(threads, sizeof *tids);
    ng_status st = workers && q.items && q.results && q.ready && tids
                       ? NG_OK
                       : ng_error_set(NG_ENOMEM, "out of memory");
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.work, NULL);
    pthread_cond_init(&q.progress, NULL);
    for (size_t t = 0; st == NG_OK && t < threads; t++) {
        workers[t] = (worker){.j = j, .q = &q};
        st = ng_cooc_new(&workers[t].cooc, ng_dict_entity_count(j->dict));
    }
    size_t started = 0;
    while (st == NG_OK && started < threads &&
           pthread_create(&tids[started], NULL, work, &workers[started]) == 0)
        started++;
    if (st == NG_OK && started == 0)
        st = ng_error_set(NG_ENOMEM, "cannot start a worker thread");
    if (st == NG_OK)
        st = read_all(&q, &src);
    else
        q.stop = 1;
    for (size_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    if (st == NG_OK && q.st != NG_OK) /* a worker's error: its message, in this thread */
        st = ng_error_set(q.st, "%s", q.error);
    *texts = q.texts;
    *documents = q.documents;
    for (size_t t = 0; workers && t < threads; t++) {
        if (st == NG_OK)
            st = ng_cooc_merge(cooc, workers[t].cooc);
        ng_cooc_free(workers[t].cooc);
        ng_doc_destroy(&workers[t].doc);
    }
    for (size_t i = 0; q.results && q.items && i < q.window; i++) {
        ng_memfile_destroy(&q.results[i].mentions);
        ng_memfile_destroy(&q.results[i].evidence);
        free(q.results[i].incidence);
        ng_jsonl_document_clear(&q.items[i].record);
    }
    source_close(&src);
    pthread_cond_destroy(&q.progress);
    pthread_cond_destroy(&q.work);
    pthread_mutex_destroy(&q.lock);
    free(q.items);
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

static size_t threads_of(const ng_pipeline_options *opts)
{
    return opts->threads ? opts->threads : ng_pipeline_default_threads();
}

/* ---- build ---- */

static ng_status build_result(void *userdata, const char *name, doc_result *r)
{
    build_output *b = userdata;
    uint32_t doc;
    ng_status st = output_document(b, name, &doc);
    ng_outfile_write(&b->files[OUT_MENTIONS], r->mentions.data, r->mentions.len);
    ng_outfile_write(&b->files[OUT_EVIDENCE], r->evidence.data, r->evidence.len);
    for (size_t i = 0; st == NG_OK && i < r->incidence_count; i++)
        st = output_incidence(b, doc, r->incidence[i].entity, r->incidence[i].mentions);
    return st;
}

ng_status ng_pipeline_build(const ng_pipeline_options *opts)
{
    job j;
    build_output b = {0};
    size_t texts, documents;
    ng_status st = job_open(&j, opts);
    if (st == NG_OK)
        st = output_open(&b, &j.sources, opts, ng_dict_entity_count(j.dict));
    if (st == NG_OK)
        st = run_documents(&j, threads_of(opts), b.cooc, build_result, &b, &texts, &documents);
    if (st == NG_OK)
        st = check_some_text(corpus_name(&j), texts, documents);
    if (st == NG_OK)
        st = output_commit(&b, j.dict, opts);
    output_close(&b, st);
    job_close(&j);
    return st;
}

/* ---- count: partials ---- */

typedef struct count_state {
    ng_partial_writer *w;
    const ng_dict *dict;
    char *text; /* incidence as text */
    size_t text_cap;
    char *last; /* name of the last document, to see that names ascend */
    size_t last_cap;
    int warned;
} count_state;

/* Each line of `lines` (JSON, one a line) as a document line of kind `kind`. */
static ng_status count_lines(count_state *c, const char *doc, char kind, const char *lines,
                             size_t len)
{
    uint64_t seq = 0;
    ng_status st = NG_OK;
    for (const char *p = lines, *end = lines + len; st == NG_OK && p < end; seq++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        st = ng_partial_write_document_line(c->w, doc, kind, seq, p, n);
        p += n + 1;
    }
    return st;
}

static ng_status count_result(void *userdata, const char *name, doc_result *r)
{
    count_state *c = userdata;
    size_t len = 0;
    ng_status st = NG_OK;
    if (!c->warned && c->last && strcmp(c->last, name) >= 0) {
        ng_warn("%s: documents are not in name order: sort the partial (LC_ALL=C sort) "
                "before merging it", name);
        c->warned = 1;
    }
    size_t nl = strlen(name);
    if ((st = NG_GROW(c->last, c->last_cap, nl + 1)) != NG_OK)
        return st;
    memcpy(c->last, name, nl + 1);
    for (size_t i = 0; st == NG_OK && i < r->incidence_count; i++) {
        const char *key = ng_dict_entity(c->dict, r->incidence[i].entity)->key;
        size_t need = len + strlen(key) + 24;
        if ((st = NG_GROW(c->text, c->text_cap, need)) == NG_OK)
            len += (size_t)snprintf(c->text + len, c->text_cap - len, "%s%s=%" PRIu64,
                                    i ? "," : "", key, r->incidence[i].mentions);
    }
    if (st == NG_OK)
        st = ng_partial_write_document(c->w, name, r->binary, len ? c->text : "");
    if (st == NG_OK)
        st = count_lines(c, name, 'm', r->mentions.data, r->mentions.len);
    if (st == NG_OK)
        st = count_lines(c, name, 'v', r->evidence.data, r->evidence.len);
    return st;
}

/* What changes counts, of this run. */
static ng_status count_settings(const job *j, ng_partial_settings *s)
{
    memset(s, 0, sizeof *s);
    s->dictionaries = dictionaries_hash(j);
    s->window = j->opts.window;
    s->demonyms = j->opts.include_demonyms;
    snprintf(s->encoding, sizeof s->encoding, "%s", j->opts.encoding ? j->opts.encoding : "auto");
    if (j->config) {
        const char *path = j->opts.config_path ? j->opts.config_path : "nergraph.json";
        char *bytes;
        size_t len;
        ng_status st = ng_read_file(path, NG_MAX_DICT_FILE_BYTES, &bytes, &len);
        if (st != NG_OK)
            return st;
        s->config = ng_hash_bytes(NG_HASH_SEED, bytes, len);
        free(bytes);
    }
    return NG_OK;
}

/* Write to `path` ("-": standard output) through `write`, atomically. */
static ng_status write_partial(const char *path, ng_status (*write)(ng_partial_writer *w, void *),
                               void *userdata)
{
    ng_outfile f = {0};
    int to_stdout = strcmp(path, "-") == 0;
    ng_status st = to_stdout ? NG_OK : ng_outfile_open(&f, path);
    ng_partial_writer w;
    ng_partial_writer_init(&w, to_stdout ? stdout : f.fp);
    if (st == NG_OK)
        st = write(&w, userdata);
    if (st == NG_OK)
        st = ng_partial_write_trailer(&w);
    if (st == NG_OK && !to_stdout)
        st = ng_outfile_commit(&f);
    if (!to_stdout)
        ng_outfile_abort(&f);
    ng_partial_writer_destroy(&w);
    return st;
}

static ng_status count_into(ng_partial_writer *w, void *userdata)
{
    job *j = userdata;
    ng_partial_settings settings;
    ng_cooc *cooc = NULL;
    count_state c = {.w = w, .dict = j->dict};
    size_t texts, documents; /* a shard of binary files only is fine: merge checks the whole */
    ng_status st = count_settings(j, &settings);
    if (st == NG_OK)
        st = ng_partial_write_header(w, &settings);
    if (st == NG_OK)
        st = ng_cooc_new(&cooc, ng_dict_entity_count(j->dict));
    if (st == NG_OK)
        st = run_documents(j, threads_of(&j->opts), cooc, count_result, &c, &texts, &documents);
    /* entity ids are in key order, so these lines come out sorted */
    for (uint32_t e = 0; st == NG_OK && e < ng_cooc_entity_count(cooc); e++)
        if (ng_cooc_entity(cooc, e)->documents)
            st = ng_partial_write_entity(w, ng_dict_entity(j->dict, e)->key,
                                         ng_cooc_entity(cooc, e));
    const ng_pair *pairs = NULL;
    size_t pair_count = 0;
    if (st == NG_OK)
        st = ng_cooc_pairs(cooc, &pairs, &pair_count);
    for (size_t i = 0; st == NG_OK && i < pair_count; i++)
        st = ng_partial_write_pair(w, ng_dict_entity(j->dict, pairs[i].a)->key,
                                   ng_dict_entity(j->dict, pairs[i].b)->key, &pairs[i]);
    if (st == NG_OK)
        st = ng_partial_write_totals(w, ng_cooc_document_total(cooc), ng_cooc_window_total(cooc));
    free(c.text);
    free(c.last);
    ng_cooc_free(cooc);
    return st;
}

ng_status ng_pipeline_count(const ng_pipeline_options *opts, const char *out_path)
{
    job j;
    ng_status st = job_open(&j, opts);
    const char *doc = st == NG_OK ? input_at(&j.sources, out_path, 1) : NULL;
    if (doc) /* the partial would replace a document it counts */
        st = ng_error_set(NG_EINVAL, "%s: the output is a document being counted; choose "
                                     "another --out", doc);
    if (st == NG_OK)
        st = write_partial(out_path, count_into, &j);
    job_close(&j);
    return st;
}

/* ---- merge ---- */

typedef struct merge_inputs {
    const char *const *paths;
    size_t count;
} merge_inputs;

static ng_status merge_into(ng_partial_writer *w, void *userdata)
{
    const merge_inputs *in = userdata;
    ng_partial_sink sink = ng_partial_sink_writer(w);
    return ng_partial_merge(in->paths, in->count, &sink);
}

/* The final merge: partials into what build writes. */
typedef struct merge_state {
    build_output *out;
    const job *j;
    const char *dict_dir;
    char *scratch; /* a document's entity counts, split in place */
    size_t scratch_cap;
    size_t texts, documents;
} merge_state;

static ng_status entity_of(const merge_state *m, const char *key, uint32_t *out)
{
    int64_t e = ng_dict_find(m->j->dict, key);
    if (e < 0)
        return ng_error_set(NG_EPARSE, "a partial names entity '%s', which is not in %s", key,
                            m->dict_dir);
    *out = (uint32_t)e;
    return NG_OK;
}

static ng_status merge_settings(void *userdata, const ng_partial_settings *s, const char *path)
{
    merge_state *m = userdata;
    if (s->dictionaries != dictionaries_hash(m->j))
        return ng_error_set(NG_EPARSE, "%s was counted with other dictionaries or suffix tables "
                                       "than those in %s (%016" PRIx64 ", not %016" PRIx64 "): "
                                       "merge with the same --dict",
                            path, m->dict_dir, s->dictionaries, dictionaries_hash(m->j));
    m->out->window = s->window;
    return NG_OK;
}

static ng_status merge_document(void *userdata, const char *doc, int binary, const char *incidence)
{
    merge_state *m = userdata;
    uint32_t index, e = 0;
    m->texts += !binary;
    m->documents++;
    size_t n = strlen(incidence);
    ng_status st = output_document(m->out, doc, &index);
    if (st == NG_OK && (st = NG_GROW(m->scratch, m->scratch_cap, n + 1)) == NG_OK)
        memcpy(m->scratch, incidence, n + 1);
    for (char *save = NULL, *item = st == NG_OK && n ? strtok_r(m->scratch, ",", &save) : NULL;
         st == NG_OK && item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '='), *end;
        if (!eq)
            return ng_error_set(NG_EPARSE, "document %s: malformed entity counts", doc);
        *eq = '\0';
        errno = 0;
        unsigned long long mentions = strtoull(eq + 1, &end, 10);
        if (errno || end == eq + 1 || *end || eq[1] == '-')
            return ng_error_set(NG_EPARSE, "document %s: malformed entity counts", doc);
        if ((st = entity_of(m, item, &e)) == NG_OK)
            st = output_incidence(m->out, index, e, mentions);
    }
    return st;
}

static ng_status merge_document_line(void *userdata, const char *doc, char kind, uint64_t seq,
                                     const char *json, size_t len)
{
    (void)doc, (void)seq;
    merge_state *m = userdata;
    ng_outfile *f = &m->out->files[kind == 'm' ? OUT_MENTIONS : OUT_EVIDENCE];
    ng_outfile_write(f, json, len);
    ng_outfile_write(f, "\n", 1);
    return NG_OK;
}

static ng_status merge_entity(void *userdata, const char *key, const ng_entity_counts *c)
{
    merge_state *m = userdata;
    uint32_t e = 0;
    ng_status st = entity_of(m, key, &e);
    return st == NG_OK ? ng_cooc_add_entity(m->out->cooc, e, c) : st;
}

static ng_status merge_pair(void *userdata, const char *a, const char *b, const ng_pair *p)
{
    merge_state *m = userdata;
    ng_pair q = *p;
    ng_status st = entity_of(m, a, &q.a);
    if (st == NG_OK)
        st = entity_of(m, b, &q.b);
    if (st == NG_OK && q.a >= q.b)
        st = ng_error_set(NG_EPARSE, "a partial has pair %s,%s out of key order", a, b);
    return st == NG_OK ? ng_cooc_add_pair(m->out->cooc, &q) : st;
}

static ng_status merge_totals(void *userdata, uint64_t documents, uint64_t windows)
{
    merge_state *m = userdata;
    ng_cooc_add_totals(m->out->cooc, documents, windows);
    return NG_OK;
}

ng_status ng_pipeline_merge(const ng_pipeline_options *opts, const char *const *partials,
                            size_t count, const char *partial_out)
{
    merge_inputs in = {partials, count};
    if (partial_out)
        return write_partial(partial_out, merge_into, &in);
    job j;
    memset(&j, 0, sizeof j);
    build_output b = {0};
    ng_source_list inputs = {(char **)partials, count, count};
    ng_status st = load_dictionaries(&j, opts->dict_dir);
    if (st == NG_OK)
        st = output_open(&b, &inputs, opts, ng_dict_entity_count(j.dict));
    merge_state m = {&b, &j, opts->dict_dir, NULL, 0, 0, 0};
    ng_partial_sink sink = {merge_settings, merge_document, merge_document_line, merge_entity,
                            merge_pair, merge_totals, &m};
    if (st == NG_OK)
        st = ng_partial_merge(partials, count, &sink);
    if (st == NG_OK)
        st = check_some_text(partials[0], m.texts, m.documents);
    if (st == NG_OK)
        st = output_commit(&b, j.dict, opts);
    free(m.scratch);
    output_close(&b, st);
    job_close(&j);
    return st;
}

/* ---- explain ---- */

typedef struct explain_state {
    const char *name_a, *name_b;
    uint32_t a, b;
    ng_window_spec window;
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
    return each_evidence(doc, &x->window, print_explanation, x);
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
