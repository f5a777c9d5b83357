/* mentions.c: the mention contract, one JSON object per line. */
#include "nergraph/mentions.h"

#include <string.h>

#include "jsonw.h"

static void write_cstring(FILE *out, const char *s) { ng_json_write_string(out, s, strlen(s)); }

void ng_mentions_write_jsonl(FILE *out, const ng_dict *dict, const char *doc, const char *text,
                             const ng_mention *mentions, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const ng_mention *m = &mentions[i];
        const ng_entity *e = ng_dict_entity(dict, m->entity);
        const ng_alias *a = ng_dict_alias(dict, m->alias);
        fputs("{\"doc\": ", out);
        write_cstring(out, doc);
        fprintf(out, ", \"start\": %u, \"end\": %u, \"type\": ", m->source.start, m->source.end);
        write_cstring(out, (a->flags & NG_ALIAS_DEMONYM) ? "demonym"
                                                         : ng_category_name(e->category));
        fputs(", \"entity\": ", out);
        write_cstring(out, e->key);
        fputs(", \"label\": ", out);
        write_cstring(out, e->label);
        fputs(", \"surface\": ", out);
        ng_json_write_string(out, text + m->text.start, m->text.end - m->text.start);
        fprintf(out, ", \"sentence\": [%u, %u], \"alias\": ", m->sentence_span.start,
                m->sentence_span.end);
        write_cstring(out, a->text);
        fputs(", \"lang\": ", out);
        write_cstring(out, a->lang);
        fputs("}\n", out);
    }
}
