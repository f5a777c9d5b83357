/* mentions.c: the mention contract, one JSON object per line. */
#include "nergraph/mentions.h"

#include <string.h>

#include "jsonw.h"

static void put(ng_jsonbuf *b, const char *s) { ng_jsonbuf_put(b, s, strlen(s)); }

static void put_string(ng_jsonbuf *b, const char *s) { ng_jsonbuf_string(b, s, strlen(s)); }

/* `before`, then `v` in decimal: printf's format parsing costs more than the
 * rest of a mention line. */
static void put_uint(ng_jsonbuf *b, const char *before, uint32_t v)
{
    put(b, before);
    ng_jsonbuf_uint(b, v);
}

void ng_mentions_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *text,
                             const ng_mention *mentions, size_t count)
{
    ng_jsonbuf b;
    b.out = out;
    b.n = 0;
    for (size_t i = 0; i < count; i++) {
        const ng_mention *m = &mentions[i];
        const ng_entity *e = ng_dict_entity(dict, m->entity);
        const ng_alias *a = ng_dict_alias(dict, m->alias);
        put(&b, "{\"doc\": ");
        put_string(&b, doc);
        put_uint(&b, ", \"start\": ", m->source.start);
        put_uint(&b, ", \"end\": ", m->source.end);
        put(&b, ", \"type\": ");
        put_string(&b, (a->flags & NG_ALIAS_DEMONYM) ? "demonym" : ng_category_name(e->category));
        put(&b, ", \"entity\": ");
        put_string(&b, e->key);
        put(&b, ", \"label\": ");
        put_string(&b, e->label);
        put(&b, ", \"surface\": ");
        ng_jsonbuf_string(&b, text + m->text.start, m->text.end - m->text.start);
        put_uint(&b, ", \"sentence\": [", m->sentence_span.start);
        put_uint(&b, ", ", m->sentence_span.end);
        put(&b, "], \"alias\": ");
        put_string(&b, a->text);
        put(&b, ", \"lang\": ");
        put_string(&b, a->lang);
        put(&b, "}\n");
    }
    ng_jsonbuf_flush(&b);
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
    for (uint32_t i = span.start; i < span.end; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = n > 0;
            continue;
        }
        int boundary = (c & 0xC0) != 0x80;
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
