/* mentions.c: the mention contract, one JSON object per line. */
#include "nergraph/mentions.h"

#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "memfile.h"
#include "utf8.h"

static void put(ng_jsonbuf *b, const char *s) { ng_jsonbuf_put(b, s, strlen(s)); }

static void put_string(ng_jsonbuf *b, const char *s) { ng_jsonbuf_string(b, s, strlen(s)); }

/* `before`, then `v` in decimal: printf's format parsing costs more than the
 * rest of a mention line. */
static void put_uint(ng_jsonbuf *b, const char *before, uint32_t v)
{
    put(b, before);
    ng_jsonbuf_uint(b, v);
}

/* The parts of a mention line that depend only on its alias (type, entity,
 * label; alias, lang), escaped once per alias and kept, with the document's
 * part, in one buffer: a line is then mostly copies. */
struct ng_mention_lines {
    const ng_dict *dict;
    ng_memfile pieces; /* open for the writer's life: [len][middle][len][end] per alias */
    uint32_t *at;      /* per alias: 1 + offset of its pieces, 0 until first used */
    ng_memfile doc;    /* [len][the line's start] of the document being written */
};

void ng_mention_lines_free(ng_mention_lines *lines)
{
    if (!lines)
        return;
    ng_memfile_destroy(&lines->pieces);
    ng_memfile_destroy(&lines->doc);
    free(lines->at);
    free(lines);
}

/* Render with `render` at the end of `m` (open); returns its offset, or
 * SIZE_MAX when memory ran out. */
static size_t render_piece(ng_memfile *m, void (*render)(ng_jsonbuf *, const void *),
                           const void *arg)
{
    size_t at = m->len;
    uint32_t len = 0;
    ng_jsonbuf b;
    b.out = m->fp;
    b.n = 0;
    ng_jsonbuf_put(&b, (const char *)&len, sizeof len); /* filled in below */
    render(&b, arg);
    ng_jsonbuf_flush(&b);
    if (fflush(m->fp) != 0)
        return SIZE_MAX;
    len = (uint32_t)(m->len - at - sizeof len);
    memcpy(m->data + at, &len, sizeof len);
    return at;
}

typedef struct alias_of {
    const ng_dict *dict;
    uint32_t alias;
} alias_of;

static void render_middle(ng_jsonbuf *b, const void *arg)
{
    const alias_of *x = arg;
    const ng_alias *a = ng_dict_alias(x->dict, x->alias);
    const ng_entity *e = ng_dict_entity(x->dict, a->entity);
    put(b, ", \"type\": ");
    put_string(b, (a->flags & NG_ALIAS_DEMONYM) ? "demonym" : ng_category_name(e->category));
    put(b, ", \"entity\": ");
    put_string(b, e->key);
    put(b, ", \"label\": ");
    put_string(b, e->label);
    put(b, ", \"surface\": ");
}

static void render_end(ng_jsonbuf *b, const void *arg)
{
    const alias_of *x = arg;
    const ng_alias *a = ng_dict_alias(x->dict, x->alias);
    put(b, "], \"alias\": ");
    put_string(b, a->text);
    put(b, ", \"lang\": ");
    put_string(b, a->lang);
    put(b, "}\n");
}

static void render_doc(ng_jsonbuf *b, const void *arg)
{
    put(b, "{\"doc\": ");
    put_string(b, arg);
    put(b, ", \"start\": ");
}

/* Put the piece of `m` at `at` (from render_piece); returns the offset
 * after it. */
static size_t put_piece(ng_jsonbuf *b, const ng_memfile *m, size_t at)
{
    uint32_t len;
    memcpy(&len, m->data + at, sizeof len);
    ng_jsonbuf_put(b, m->data + at + sizeof len, len);
    return at + sizeof len + len;
}

static ng_status lines_for(ng_mention_lines **lines, const ng_dict *dict)
{
    if (*lines && (*lines)->dict == dict)
        return NG_OK;
    ng_mention_lines_free(*lines);
    ng_mention_lines *l = *lines = calloc(1, sizeof *l);
    if (l && (l->at = calloc(ng_dict_alias_count(dict) + 1, sizeof *l->at)) &&
        ng_memfile_open(&l->pieces) == NG_OK) {
        l->dict = dict;
        return NG_OK;
    }
    ng_mention_lines_free(l);
    *lines = NULL;
    return ng_error_set(NG_ENOMEM, "out of memory");
}

ng_status ng_mentions_write_jsonl(FILE *out, ng_mention_lines **lines, const ng_dict *dict,
                                  const char *doc, const char *text, const ng_mention *mentions,
                                  size_t count)
{
    ng_status st = lines_for(lines, dict);
    if (st != NG_OK)
        return st;
    ng_mention_lines *l = *lines;
    if ((st = ng_memfile_open(&l->doc)) != NG_OK)
        return st;
    if (render_piece(&l->doc, render_doc, doc) == SIZE_MAX)
        return ng_error_set(NG_ENOMEM, "out of memory");
    ng_jsonbuf b;
    b.out = out;
    b.n = 0;
    for (size_t i = 0; i < count; i++) {
        const ng_mention *m = &mentions[i];
        if (!l->at[m->alias]) {
            alias_of x = {dict, m->alias};
            size_t at = render_piece(&l->pieces, render_middle, &x);
            if (at >= UINT32_MAX || render_piece(&l->pieces, render_end, &x) == SIZE_MAX) {
                st = ng_error_set(NG_ENOMEM, "out of memory");
                break;
            }
            l->at[m->alias] = (uint32_t)at + 1;
        }
        put_piece(&b, &l->doc, 0);
        ng_jsonbuf_uint(&b, m->source.start);
        put(&b, ", \"end\": ");
        ng_jsonbuf_uint(&b, m->source.end);
        size_t end_piece = put_piece(&b, &l->pieces, l->at[m->alias] - 1);
        ng_jsonbuf_string(&b, text + m->text.start, m->text.end - m->text.start);
        put_uint(&b, ", \"sentence\": [", m->sentence_span.start);
        put_uint(&b, ", ", m->sentence_span.end);
        put_piece(&b, &l->pieces, end_piece);
    }
    ng_jsonbuf_flush(&b);
    return st;
}

/* Fold white space runs to one space into `buf` (cap bytes), stopping at a
 * character boundary after `limit` bytes (0: no limit); returns the length
 * and sets *cut when text was left out. */
static size_t fold_snippet(const char *text, ng_span span, size_t limit, char *buf, size_t cap,
                           int *cut)
{
    size_t n = 0;
    int space = 0;
    *cut = 0;
    for (uint32_t i = span.start; i < span.end;) {
        unsigned char c = (unsigned char)text[i];
        int boundary = (c & 0xC0) != 0x80;
#ifdef __SSE2__
        /* Up to 16 bytes at a time, copied as they are while neither limit
         * is near, up to the first white space that does not stand alone
         * between two characters: a snippet is a sentence or more, for
         * every pair of every window. */
        if (span.end - i >= 16 && n + 17 + 8 < cap && (!limit || n + 17 < limit) &&
            (boundary || !space)) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + i));
            unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
            unsigned other = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')))));
            unsigned cont = (unsigned)_mm_movemask_epi8(ng_bytes_in_range(v, 0x80, 0xBF));
            /* a space that follows a word here and comes before another */
            unsigned lone = sp & ~((sp | other | cont) >> 1) & 0x7FFE;
            unsigned run = (unsigned)__builtin_ctz(other | (sp & ~lone) | 0x10000);
            if (run) {
                if (space)
                    buf[n++] = ' ';
                space = 0;
                _mm_storeu_si128((__m128i *)(void *)(buf + n), v);
                n += run;
                i += run;
                continue;
            }
        }
#endif
        i++;
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = n > 0;
            continue;
        }
        if (boundary && ((limit && n >= limit) || n + 8 >= cap)) {
            *cut = 1;
            break;
        }
        if (space && boundary) {
            buf[n++] = ' ';
            space = 0;
        }
        buf[n++] = (char)c;
    }
    return n;
}

#define SNIPPET_CAP 4096

void ng_evidence_write_snippet(FILE *out, const char *text, const ng_evidence *ev,
                               size_t snippet_bytes)
{
    char buf[SNIPPET_CAP];
    int cut;
    size_t n = fold_snippet(text, ev->text, snippet_bytes, buf, sizeof buf, &cut);
    if (n)
        fwrite(buf, 1, n, out);
    if (cut)
        fputs("\xE2\x80\xA6", out);
}

void ng_evidence_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *text,
                             const ng_evidence *ev, size_t snippet_bytes)
{
    char buf[SNIPPET_CAP + 3];
    int cut;
    size_t n = fold_snippet(text, ev->text, snippet_bytes, buf, SNIPPET_CAP, &cut);
    if (cut) {
        memcpy(buf + n, "\xE2\x80\xA6", 3);
        n += 3;
    }
    ng_jsonbuf b;
    b.out = out;
    b.n = 0;
    put(&b, "{\"doc\": ");
    put_string(&b, doc);
    put_uint(&b, ", \"window\": [", ev->window.start);
    put_uint(&b, ", ", ev->window.end);
    put_uint(&b, "], \"line\": ", ev->line);
    put(&b, ", \"entities\": [");
    for (size_t i = 0; i < ev->entity_count; i++) {
        if (i)
            put(&b, ", ");
        put_string(&b, ng_dict_entity(dict, ev->entities[i])->key);
    }
    put(&b, "], \"snippet\": ");
    ng_jsonbuf_string(&b, buf, n);
    put(&b, "}\n");
    ng_jsonbuf_flush(&b);
}
