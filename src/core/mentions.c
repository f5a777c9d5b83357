/* mentions.c: the mention contract, one JSON object per line. */
#include "nergraph/mentions.h"

#include <string.h>

#include "jsonw.h"

static void write_cstring(FILE *out, const char *s) { ng_json_write_string(out, s, strlen(s)); }

/* `before`, then `v` in decimal: printf's format parsing costs more than the
 * rest of a mention line. */
static void write_uint(FILE *out, const char *before, uint32_t v)
{
    char buf[16];
    size_t i = sizeof buf;
    do
        buf[--i] = (char)('0' + v % 10);
    while (v /= 10);
    fputs(before, out);
    fwrite(buf + i, 1, sizeof buf - i, out);
}

void ng_mentions_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *text,
                             const ng_mention *mentions, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const ng_mention *m = &mentions[i];
        const ng_entity *e = ng_dict_entity(dict, m->entity);
        const ng_alias *a = ng_dict_alias(dict, m->alias);
        fputs("{\"doc\": ", out);
        write_cstring(out, doc);
        write_uint(out, ", \"start\": ", m->source.start);
        write_uint(out, ", \"end\": ", m->source.end);
        fputs(", \"type\": ", out);
        write_cstring(out, (a->flags & NG_ALIAS_DEMONYM) ? "demonym"
                                                         : ng_category_name(e->category));
        fputs(", \"entity\": ", out);
        write_cstring(out, e->key);
        fputs(", \"label\": ", out);
        write_cstring(out, e->label);
        fputs(", \"surface\": ", out);
        ng_json_write_string(out, text + m->text.start, m->text.end - m->text.start);
        write_uint(out, ", \"sentence\": [", m->sentence_span.start);
        write_uint(out, ", ", m->sentence_span.end);
        fputs("], \"alias\": ", out);
        write_cstring(out, a->text);
        fputs(", \"lang\": ", out);
        write_cstring(out, a->lang);
        fputs("}\n", out);
    }
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
    fputs("{\"doc\": ", out);
    write_cstring(out, doc);
    write_uint(out, ", \"window\": [", ev->window.start);
    write_uint(out, ", ", ev->window.end);
    write_uint(out, "], \"line\": ", ev->line);
    fputs(", \"entities\": [", out);
    for (size_t i = 0; i < ev->entity_count; i++) {
        if (i)
            fputs(", ", out);
        write_cstring(out, ng_dict_entity(dict, ev->entities[i])->key);
    }
    fputs("], \"snippet\": ", out);
    ng_json_write_string(out, buf, n);
    fputs("}\n", out);
}
