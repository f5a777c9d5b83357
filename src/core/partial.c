/* partial.c: writing partials, and merging sorted partials in one pass.
 *
 * The merge is a k-way merge of sorted line streams by byte order; since a
 * key ends at the first tab, lines of equal key are adjacent in that order
 * and are added up while they last. Each input is checked as it is read:
 * sorted, well formed, and in the end its lines and hashes add up to what
 * its trailers say.
 */
#include "nergraph/partial.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "buf.h"
#include "hash.h"

#define SEQ_DIGITS 10 /* fixed width, so that sorting keeps a document's lines in order */

int ng_partial_name_ok(const char *name)
{
    if (!*name)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 0;
    return 1;
}

/* ---- writing ---- */

void ng_partial_writer_init(ng_partial_writer *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

void ng_partial_writer_destroy(ng_partial_writer *w)
{
    free(w->line);
    memset(w, 0, sizeof *w);
}

static ng_status append(ng_partial_writer *w, const char *s, size_t n)
{
    ng_status st = NG_GROW(w->line, w->line_cap, w->line_len + n + 1);
    if (st != NG_OK)
        return st;
    memcpy(w->line + w->line_len, s, n);
    w->line_len += n;
    return NG_OK;
}

static ng_status appendf(ng_partial_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static ng_status appendf(ng_partial_writer *w, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        return ng_error_set(NG_EINTERNAL, "partial: field too long");
    return append(w, buf, (size_t)n);
}

/* Write the assembled line; every line but the trailer is counted and hashed. */
static ng_status emit(ng_partial_writer *w, int counted)
{
    if (counted) {
        w->lines++;
        w->checksum += ng_hash_bytes(NG_HASH_SEED, w->line, w->line_len);
    }
    w->line[w->line_len] = '\n';
    fwrite(w->line, 1, w->line_len + 1, w->out);
    w->line_len = 0;
    return NG_OK;
}

ng_status ng_partial_write_header(ng_partial_writer *w, const ng_partial_settings *s)
{
    ng_status st = appendf(w, "#\tnergraph-partial\t%d\tdictionaries=%016" PRIx64, NG_PARTIAL_VERSION,
                           s->dictionaries);
    if (st == NG_OK)
        st = s->config ? appendf(w, "\tconfig=%016" PRIx64, s->config) : appendf(w, "\tconfig=none");
    char window[NG_WINDOW_NAME_BYTES];
    if (st == NG_OK)
        st = appendf(w, "\twindow=%s\tdemonyms=%d\tencoding=%s",
                     ng_window_format(&s->window, window), s->demonyms, s->encoding);
    return st == NG_OK ? emit(w, 0) : st;
}

static ng_status append_doc_key(ng_partial_writer *w, const char *doc)
{
    if (!ng_partial_name_ok(doc))
        return ng_error_set(NG_EPARSE, "%s: a document whose name has control characters "
                                       "cannot go into a partial", doc);
    ng_status st = append(w, "d:", 2);
    return st == NG_OK ? append(w, doc, strlen(doc)) : st;
}

ng_status ng_partial_write_document(ng_partial_writer *w, const char *doc, int binary,
                                    const char *incidence)
{
    ng_status st = append_doc_key(w, doc);
    if (st == NG_OK)
        st = appendf(w, "\t0\t%s\t", binary ? "binary" : "text");
    if (st == NG_OK)
        st = append(w, incidence, strlen(incidence));
    return st == NG_OK ? emit(w, 1) : st;
}

ng_status ng_partial_write_document_line(ng_partial_writer *w, const char *doc, char kind,
                                         uint64_t seq, const char *json, size_t len)
{
    ng_status st = append_doc_key(w, doc);
    if (st == NG_OK)
        st = appendf(w, "\t%c%0*" PRIu64 "\t", kind, SEQ_DIGITS, seq);
    if (st == NG_OK)
        st = append(w, json, len);
    return st == NG_OK ? emit(w, 1) : st;
}

ng_status ng_partial_write_entity(ng_partial_writer *w, const char *key, const ng_entity_counts *c)
{
    ng_status st = appendf(w, "e:%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu32 "\t%" PRIu32,
                           key, c->mentions, c->documents, c->windows, c->first, c->last);
    return st == NG_OK ? emit(w, 1) : st;
}

ng_status ng_partial_write_pair(ng_partial_writer *w, const char *a, const char *b, const ng_pair *p)
{
    ng_status st = appendf(w, "p:%s,%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu32 "\t%" PRIu32, a, b,
                           p->windows, p->documents, p->first, p->last);
    return st == NG_OK ? emit(w, 1) : st;
}

ng_status ng_partial_write_totals(ng_partial_writer *w, uint64_t documents, uint64_t windows)
{
    ng_status st = appendf(w, "t\t%" PRIu64 "\t%" PRIu64, documents, windows);
    return st == NG_OK ? emit(w, 1) : st;
}

ng_status ng_partial_write_trailer(ng_partial_writer *w)
{
    ng_status st = appendf(w, "~\t%" PRIu64 "\t%016" PRIx64, w->lines, w->checksum);
    if (st == NG_OK)
        st = emit(w, 0);
    if (st == NG_OK && (fflush(w->out) != 0 || ferror(w->out)))
        st = ng_error_set(NG_EIO, "writing the partial failed: %s", strerror(errno));
    return st;
}

/* ---- settings ---- */

static int parse_settings(const char *header, ng_partial_settings *s, int *version)
{
    memset(s, 0, sizeof *s);
    char buf[512];
    if (strlen(header) >= sizeof buf)
        return 0;
    strcpy(buf, header);
    char *save = NULL, *f = strtok_r(buf, "\t", &save);
    if (!f || strcmp(f, "#") || !(f = strtok_r(NULL, "\t", &save)) || strcmp(f, "nergraph-partial") ||
        !(f = strtok_r(NULL, "\t", &save)))
        return 0;
    *version = atoi(f);
    unsigned seen = 0;
    while ((f = strtok_r(NULL, "\t", &save)) != NULL) {
        char *eq = strchr(f, '=');
        if (!eq)
            return 0;
        *eq++ = '\0';
        char *end = NULL;
        if (!strcmp(f, "dictionaries")) {
            s->dictionaries = strtoull(eq, &end, 16);
            seen |= *end ? 0 : 1u;
        } else if (!strcmp(f, "config")) {
            s->config = strcmp(eq, "none") ? strtoull(eq, &end, 16) : 0;
            seen |= end && *end ? 0 : 2u;
        } else if (!strcmp(f, "window")) {
            seen |= ng_window_parse(eq, &s->window) < 0 ? 0 : 4u;
        } else if (!strcmp(f, "demonyms")) {
            s->demonyms = !strcmp(eq, "1");
            seen |= strcmp(eq, "0") && strcmp(eq, "1") ? 0 : 8u;
        } else if (!strcmp(f, "encoding")) {
            snprintf(s->encoding, sizeof s->encoding, "%s", eq);
            seen |= 16u;
        } else {
            return 0;
        }
    }
    return seen == 31u;
}

/* The first setting that differs between a and b, as "window: sentence and
 * paragraph", into buf; 0 when they are the same. */
static int settings_differ(const ng_partial_settings *a, const ng_partial_settings *b, char *buf,
                           size_t cap)
{
    char wa[NG_WINDOW_NAME_BYTES], wb[NG_WINDOW_NAME_BYTES];
    if (a->dictionaries != b->dictionaries)
        snprintf(buf, cap, "dictionaries (or suffix tables): %016" PRIx64 " and %016" PRIx64,
                 a->dictionaries, b->dictionaries);
    else if (a->config != b->config)
        snprintf(buf, cap, "configuration file: %016" PRIx64 " and %016" PRIx64, a->config,
                 b->config);
    else if (a->window.unit != b->window.unit || a->window.tokens != b->window.tokens)
        snprintf(buf, cap, "window: %s and %s", ng_window_format(&a->window, wa),
                 ng_window_format(&b->window, wb));
    else if (a->demonyms != b->demonyms)
        snprintf(buf, cap, "demonyms: %d and %d", a->demonyms, b->demonyms);
    else if (strcmp(a->encoding, b->encoding))
        snprintf(buf, cap, "encoding: %s and %s", a->encoding, b->encoding);
    else
        return 0;
    return 1;
}

/* ---- reading ---- */

typedef struct input {
    const char *path; /* for messages */
    FILE *fp;
    char *line, *prev; /* current and previous line, NUL-terminated, no newline */
    size_t line_cap, prev_cap, prev_len;
    ssize_t len;       /* of line; -1 at the end */
    uint64_t offset, next_offset; /* of line, of the one after */
    uint64_t lines, checksum;           /* counted and hashed as read */
    uint64_t want_lines, want_checksum; /* summed over its trailers */
    size_t headers, trailers;
} input;

typedef struct merger {
    input *inputs;
    size_t count;
    const ng_partial_sink *sink;
    ng_partial_settings settings;
    const input *settings_from; /* the input whose header set them */
    /* the record of equal key being added up */
    char kind; /* 0: none, 'e', 'p', 't' */
    char *key;
    size_t key_cap;
    ng_entity_counts entity;
    ng_pair pair;
    uint64_t documents, windows;
    /* the document whose lines are streaming */
    char *doc;
    size_t doc_cap;
    const input *doc_from;
} merger;

static ng_status corrupt(const input *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static ng_status corrupt(const input *in, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ng_error_set(NG_EPARSE, "%s: byte %" PRIu64 ": %s", in->path, in->offset, what);
}

static ng_status check_header(merger *m, input *in)
{
    ng_partial_settings s;
    int version = 0;
    if (!parse_settings(in->line, &s, &version))
        return corrupt(in, "not a nergraph partial header");
    if (version != NG_PARTIAL_VERSION)
        return corrupt(in, "partial format version %d; this nergraph reads version %d", version,
                       NG_PARTIAL_VERSION);
    in->headers++;
    char what[256];
    if (!m->settings_from) {
        m->settings = s;
        m->settings_from = in;
        return m->sink->settings ? m->sink->settings(m->sink->userdata, &s, in->path) : NG_OK;
    }
    if (settings_differ(&m->settings, &s, what, sizeof what))
        return ng_error_set(NG_EPARSE, "%s and %s were counted with different settings, so "
                                       "they cannot be merged: %s",
                            m->settings_from->path, in->path, what);
    return NG_OK;
}

static ng_status check_trailer(input *in)
{
    char *end;
    const char *p = in->line + 2;
    errno = 0;
    uint64_t lines = strtoull(p, &end, 10);
    if (errno || end == p || *end != '\t')
        return corrupt(in, "malformed trailer");
    p = end + 1;
    uint64_t sum = strtoull(p, &end, 16);
    if (errno || end - p != 16 || *end)
        return corrupt(in, "malformed trailer");
    in->trailers++;
    in->want_lines += lines;
    in->want_checksum += sum;
    return NG_OK;
}

/* Read the next record line of `in`, handling headers and trailers. */
static ng_status advance(merger *m, input *in)
{
    for (;;) {
        char *t = in->prev;
        size_t tc = in->prev_cap;
        if (in->len >= 0) { /* keep the line for the order check */
            in->prev = in->line;
            in->prev_cap = in->line_cap;
            in->prev_len = (size_t)in->len;
            in->line = t;
            in->line_cap = tc;
        }
        in->offset = in->next_offset;
        errno = 0;
        in->len = getline(&in->line, &in->line_cap, in->fp);
        if (in->len < 0) {
            if (ferror(in->fp))
                return ng_error_set(NG_EIO, "%s: read failed: %s", in->path, strerror(errno));
            if (!in->headers)
                return corrupt(in, "no header: empty, or not a nergraph partial");
            if (!in->trailers)
                return corrupt(in, "truncated: the trailer line is missing");
            if (in->lines != in->want_lines || in->checksum != in->want_checksum)
                return corrupt(in, "damaged or truncated: %" PRIu64 " record lines where the "
                                   "trailer counts %" PRIu64 "%s",
                               in->lines, in->want_lines,
                               in->lines == in->want_lines ? ", and their checksum differs" : "");
            return NG_OK;
        }
        in->next_offset += (uint64_t)in->len;
        if (in->len == 0 || in->line[in->len - 1] != '\n')
            return corrupt(in, "truncated: the last line has no newline");
        in->line[--in->len] = '\0';
        if (strlen(in->line) != (size_t)in->len)
            return corrupt(in, "a NUL byte in a line");
        if (in->lines + in->headers + in->trailers > 0 && strcmp(in->prev, in->line) > 0)
            return corrupt(in, "out of order: a partial is sorted by byte order "
                               "(LC_ALL=C sort)");
        if (in->line[0] == '#') {
            ng_status st = check_header(m, in);
            if (st != NG_OK)
                return st;
            continue;
        }
        if (!in->headers)
            return corrupt(in, "no header: not a nergraph partial");
        if (in->line[0] == '~' && in->line[1] == '\t') {
            ng_status st = check_trailer(in);
            if (st != NG_OK)
                return st;
            continue;
        }
        if (in->trailers)
            return corrupt(in, "a record after the trailer");
        in->lines++;
        in->checksum += ng_hash_bytes(NG_HASH_SEED, in->line, (size_t)in->len);
        return NG_OK;
    }
}

/* The tab-separated fields after the key of `in`'s line: exactly `n` of
 * them, as pointers and lengths (the line is not changed: it is the next
 * line's order check). */
static ng_status split(const input *in, const char *rest, const char **f, size_t *len, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *tab = strchr(rest, '\t');
        f[i] = rest;
        len[i] = tab ? (size_t)(tab - rest) : strlen(rest);
        if (i + 1 < n && !tab)
            return corrupt(in, "a record with %zu fields where %zu are expected", i + 1, n);
        if (i + 1 == n && tab)
            return corrupt(in, "a record with more than %zu fields", n);
        rest = tab + 1;
    }
    return NG_OK;
}

static ng_status number(const input *in, const char *s, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 20)
        return corrupt(in, "'%.*s' is not a count", (int)(len > 24 ? 24 : len), s);
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return corrupt(in, "'%.*s' is not a count", (int)(len > 24 ? 24 : len), s);
        v = v * 10 + d;
    }
    if (v > max)
        return corrupt(in, "'%.*s' is out of range", (int)len, s);
    *out = v;
    return NG_OK;
}

/* The `n` numbers of an entity, pair or totals record; of entities and
 * pairs, the last two are dates. */
static ng_status numbers(const input *in, const char *rest, size_t n, int dated, uint64_t *out)
{
    const char *f[5];
    size_t len[5];
    ng_status st = split(in, rest, f, len, n);
    for (size_t i = 0; i < n && st == NG_OK; i++)
        st = number(in, f[i], len[i], dated && i + 2 >= n ? UINT32_MAX : UINT64_MAX, &out[i]);
    return st;
}

/* Hand the record being added up to the sink. */
static ng_status flush(merger *m)
{
    const ng_partial_sink *s = m->sink;
    char kind = m->kind;
    m->kind = 0;
    if (kind == 'e' && s->entity)
        return s->entity(s->userdata, m->key + 2, &m->entity);
    if (kind == 'p' && s->pair) {
        char *comma = strchr(m->key + 2, ',');
        *comma = '\0';
        ng_status st = s->pair(s->userdata, m->key + 2, comma + 1, &m->pair);
        *comma = ',';
        return st;
    }
    if (kind == 't' && s->totals)
        return s->totals(s->userdata, m->documents, m->windows);
    return NG_OK;
}

static ng_status set_text(char **buf, size_t *cap, const char *s, size_t n)
{
    ng_status st = NG_GROW(*buf, *cap, n + 1);
    if (st == NG_OK) {
        memcpy(*buf, s, n);
        (*buf)[n] = '\0';
    }
    return st;
}

static ng_status document_record(merger *m, input *in, const char *name, const char *rest)
{
    const ng_partial_sink *s = m->sink;
    ng_status st;
    if (rest[0] == '0' && rest[1] == '\t') {
        const char *f[2] = {NULL, NULL}; /* split fills both or fails */
        size_t len[2] = {0, 0};
        if ((st = split(in, rest + 2, f, len, 2)) != NG_OK)
            return st;
        int binary = len[0] == 6 && !memcmp(f[0], "binary", 6);
        if (!binary && !(len[0] == 4 && !memcmp(f[0], "text", 4)))
            return corrupt(in, "document %s: where text or binary is expected", name);
        if (m->doc_from && !strcmp(m->doc, name))
            return ng_error_set(NG_EPARSE, "%s: byte %" PRIu64 ": document %s is counted twice "
                                           "(also in %s): a shard was counted or merged twice",
                                in->path, in->offset, name, m->doc_from->path);
        if ((st = set_text(&m->doc, &m->doc_cap, name, strlen(name))) != NG_OK)
            return st;
        m->doc_from = in;
        return s->document ? s->document(s->userdata, name, binary, f[1]) : NG_OK;
    }
    uint64_t seq = 0;
    if ((rest[0] != 'm' && rest[0] != 'v') || strlen(rest) < SEQ_DIGITS + 2 ||
        rest[SEQ_DIGITS + 1] != '\t')
        return corrupt(in, "document %s: a malformed line", name);
    if (!m->doc_from || strcmp(m->doc, name) || m->doc_from != in)
        return corrupt(in, "document %s: a line without the document's record", name);
    if ((st = number(in, rest + 1, SEQ_DIGITS, UINT64_MAX, &seq)) != NG_OK)
        return st;
    const char *json = rest + SEQ_DIGITS + 2;
    if (json[0] != '{' || strchr(json, '\t'))
        return corrupt(in, "document %s: a line that is not JSON", name);
    return s->document_line ? s->document_line(s->userdata, name, rest[0], seq, json,
                                                strlen(json))
                            : NG_OK;
}

/* One record line of `in`, in merged order. */
static ng_status record(merger *m, input *in)
{
    char *line = in->line, *tab = strchr(line, '\t');
    if (!tab)
        return corrupt(in, "a record without fields");
    const char *rest = tab + 1;
    char kind = line[0] == 't' && line + 1 == tab ? 't'
                : (line[0] == 'd' || line[0] == 'e' || line[0] == 'p') && line[1] == ':' ? line[0]
                                                                                           : 0;
    if (!kind)
        return corrupt(in, "unknown record '%.*s'", (int)(tab - line), line);
    size_t key_len = (size_t)(tab - line);
    ng_status st = NG_OK;
    if (m->kind && (strlen(m->key) != key_len || memcmp(m->key, line, key_len)))
        st = flush(m);
    if (st != NG_OK)
        return st;
    if (kind == 'd') {
        *tab = '\0'; /* the name, for the moment of the call */
        st = document_record(m, in, line + 2, rest);
        *tab = '\t';
        return st;
    }
    int fresh = !m->kind;
    uint64_t v[5];
    if (kind == 'e') {
        if ((st = numbers(in, rest, 5, 1, v)) != NG_OK)
            return st;
        if (fresh)
            m->entity = (ng_entity_counts){0};
        ng_entity_counts_add(&m->entity,
                             &(ng_entity_counts){v[0], v[1], v[2], (uint32_t)v[3], (uint32_t)v[4]});
    } else if (kind == 'p') {
        const char *comma = memchr(line + 2, ',', key_len - 2);
        if (!comma || comma == line + 2 || comma + 1 == tab)
            return corrupt(in, "a pair key without two entities");
        if ((st = numbers(in, rest, 4, 1, v)) != NG_OK)
            return st;
        if (fresh)
            m->pair = (ng_pair){0};
        ng_pair_add(&m->pair, &(ng_pair){.windows = v[0], .documents = v[1],
                                         .first = (uint32_t)v[2], .last = (uint32_t)v[3]});
    } else {
        if ((st = numbers(in, rest, 2, 0, v)) != NG_OK)
            return st;
        if (fresh)
            m->documents = m->windows = 0;
        m->documents += v[0];
        m->windows += v[1];
    }
    if (fresh && (st = set_text(&m->key, &m->key_cap, line, key_len)) != NG_OK)
        return st;
    m->kind = kind;
    return NG_OK;
}

static ng_status open_input(input *in, const char *path)
{
    memset(in, 0, sizeof *in);
    in->len = -1;
    int is_stdin = strcmp(path, "-") == 0;
    in->path = is_stdin ? "standard input" : path;
    in->fp = is_stdin ? stdin : fopen(path, "rb");
    if (!in->fp)
        return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));
    return NG_OK;
}

static void close_input(input *in)
{
    if (in->fp && in->fp != stdin)
        fclose(in->fp);
    free(in->line);
    free(in->prev);
}

ng_status ng_partial_merge(const char *const *paths, size_t count, const ng_partial_sink *sink)
{
    merger m = {.sink = sink, .count = count};
    m.inputs = calloc(count ? count : 1, sizeof *m.inputs);
    if (!m.inputs)
        return ng_error_set(NG_ENOMEM, "out of memory");
    ng_status st = NG_OK;
    size_t opened = 0;
    for (size_t i = 0; i < count && st == NG_OK; i++) {
        for (size_t j = 0; j < i; j++)
            if (!strcmp(paths[i], paths[j]))
                st = ng_error_set(NG_EINVAL, "%s: named twice; it would be counted twice",
                                  paths[i]);
        if (st == NG_OK && (st = open_input(&m.inputs[i], paths[i])) == NG_OK)
            opened = i + 1;
    }
    for (size_t i = 0; i < opened && st == NG_OK; i++)
        st = advance(&m, &m.inputs[i]);
    /* The inputs are few (shards of one reduction), so a linear scan for the
     * smallest line costs less than keeping a heap. */
    while (st == NG_OK) {
        input *min = NULL;
        for (size_t i = 0; i < opened; i++) {
            input *in = &m.inputs[i];
            if (in->len >= 0 && (!min || strcmp(in->line, min->line) < 0))
                min = in;
        }
        if (!min)
            break;
        if ((st = record(&m, min)) == NG_OK)
            st = advance(&m, min);
    }
    if (st == NG_OK && m.kind)
        st = flush(&m);
    for (size_t i = 0; i < opened; i++)
        close_input(&m.inputs[i]);
    free(m.inputs);
    free(m.key);
    free(m.doc);
    return st;
}

/* ---- the sink that writes a partial ---- */

static ng_status sink_settings(void *w, const ng_partial_settings *s, const char *path)
{
    (void)path;
    return ng_partial_write_header(w, s);
}

static ng_status sink_document(void *w, const char *doc, int binary, const char *incidence)
{
    return ng_partial_write_document(w, doc, binary, incidence);
}

static ng_status sink_document_line(void *w, const char *doc, char kind, uint64_t seq,
                                    const char *json, size_t len)
{
    return ng_partial_write_document_line(w, doc, kind, seq, json, len);
}

static ng_status sink_entity(void *w, const char *key, const ng_entity_counts *c)
{
    return ng_partial_write_entity(w, key, c);
}

static ng_status sink_pair(void *w, const char *a, const char *b, const ng_pair *p)
{
    return ng_partial_write_pair(w, a, b, p);
}

static ng_status sink_totals(void *w, uint64_t documents, uint64_t windows)
{
    return ng_partial_write_totals(w, documents, windows);
}

ng_partial_sink ng_partial_sink_writer(ng_partial_writer *w)
{
    return (ng_partial_sink){sink_settings, sink_document, sink_document_line, sink_entity,
                             sink_pair, sink_totals, w};
}
