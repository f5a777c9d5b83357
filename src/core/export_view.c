/* export_view.c: the attribute view shared by the GEXF, JSON and CSV writers. */
#include "export_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonw.h"
#include "utf8.h"

/* Names written first, in this order; the measures follow. */
static const char *const leading_names[] = {"key", "category", "mentions", "documents"};
/* Counts: declared integer when every value is whole. */
static const char *const count_names[] = {"mentions", "documents", "degree", "kcore",
                                           "community", "count"};
/* Written as first-class fields or visual properties, not as data; `id` is
 * what igraph's GraphML reader stores the file's ids in (and Gephi's own
 * column). */
static const char *const visual_names[] = {"label", "size", "r", "g", "b", "x", "y", "z", "id"};

int ng_view_in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static igraph_error_t list_attributes(view *w)
{
    IGRAPH_STRVECTOR_INIT_FINALLY(&w->names[0], 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&w->types[0], 0);
    IGRAPH_STRVECTOR_INIT_FINALLY(&w->names[1], 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&w->types[1], 0);
    IGRAPH_STRVECTOR_INIT_FINALLY(&w->names[2], 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&w->types[2], 0);
    IGRAPH_CHECK(igraph_cattribute_list(&w->G->g, &w->names[0], &w->types[0], &w->names[1],
                                        &w->types[1], &w->names[2], &w->types[2]));
    IGRAPH_FINALLY_CLEAN(6);
    return IGRAPH_SUCCESS;
}

static int whole_values(const igraph_vector_t *values)
{
    for (igraph_integer_t i = 0; i < igraph_vector_size(values); i++) {
        double x = VECTOR(*values)[i];
        if (isfinite(x) && (x != floor(x) || fabs(x) > 2147483647.0))
            return 0;
    }
    return 1;
}

/* The values of attribute `c` of the graph, or of every vertex or edge, into
 * its vector of its type. */
static igraph_error_t fetch_column(const view *w, int kind, column *c)
{
    const igraph_t *g = &w->G->g;
    igraph_vs_t vs = igraph_vss_all();
    igraph_es_t es = igraph_ess_all(IGRAPH_EDGEORDER_ID);
    IGRAPH_CHECK(c->type == IGRAPH_ATTRIBUTE_NUMERIC  ? igraph_vector_init(&c->numbers, 0)
                 : c->type == IGRAPH_ATTRIBUTE_STRING ? igraph_strvector_init(&c->strings, 0)
                                                      : igraph_vector_bool_init(&c->booleans, 0));
    c->fetched = 1;
    if (kind == KIND_GRAPH)
        return c->type == IGRAPH_ATTRIBUTE_NUMERIC
                   ? igraph_vector_push_back(&c->numbers, GAN(g, c->name))
               : c->type == IGRAPH_ATTRIBUTE_STRING
                   ? igraph_strvector_push_back(&c->strings, GAS(g, c->name))
                   : igraph_vector_bool_push_back(&c->booleans, GAB(g, c->name));
    if (c->type == IGRAPH_ATTRIBUTE_NUMERIC)
        return kind == KIND_VERTEX ? igraph_cattribute_VANV(g, c->name, vs, &c->numbers)
                                   : igraph_cattribute_EANV(g, c->name, es, &c->numbers);
    if (c->type == IGRAPH_ATTRIBUTE_STRING)
        return kind == KIND_VERTEX ? igraph_cattribute_VASV(g, c->name, vs, &c->strings)
                                   : igraph_cattribute_EASV(g, c->name, es, &c->strings);
    return kind == KIND_VERTEX ? igraph_cattribute_VABV(g, c->name, vs, &c->booleans)
                               : igraph_cattribute_EABV(g, c->name, es, &c->booleans);
}

static igraph_error_t fetch_columns(view *w)
{
    for (int kind = 0; kind < 3; kind++)
        for (igraph_integer_t i = 0; i < igraph_strvector_size(&w->names[kind]); i++) {
            igraph_attribute_type_t type = (igraph_attribute_type_t)VECTOR(w->types[kind])[i];
            if (type != IGRAPH_ATTRIBUTE_NUMERIC && type != IGRAPH_ATTRIBUTE_STRING &&
                type != IGRAPH_ATTRIBUTE_BOOLEAN)
                continue;
            column *c = &w->attribute[kind][w->nattribute[kind]++];
            c->name = igraph_strvector_get(&w->names[kind], i);
            c->type = type;
            IGRAPH_CHECK(fetch_column(w, kind, c));
            c->integer =
                type == IGRAPH_ATTRIBUTE_NUMERIC &&
                ng_view_in_list(c->name, count_names, sizeof count_names / sizeof *count_names) &&
                whole_values(&c->numbers);
        }
    return IGRAPH_SUCCESS;
}

static const column *find_column(const view *w, int kind, const char *name)
{
    for (size_t i = 0; i < w->nattribute[kind]; i++)
        if (strcmp(w->attribute[kind][i].name, name) == 0)
            return &w->attribute[kind][i];
    return NULL;
}

static const column *numeric_column(const view *w, int kind, const char *name)
{
    const column *c = find_column(w, kind, name);
    return c && c->type == IGRAPH_ATTRIBUTE_NUMERIC ? c : NULL;
}

static void choose(view *w, int kind, const column *c)
{
    if (c)
        w->col[kind][w->ncol[kind]++] = c;
}

static int is_leading(const char *name)
{
    return ng_view_in_list(name, leading_names, sizeof leading_names / sizeof *leading_names) ||
           ng_measure_parse(name) >= 0;
}

/* Visual properties by VISUAL_* */
static const char *const visual_attributes[VISUAL_COUNT] = {"size", "r", "g", "b", "x", "y", "z"};

static void choose_columns(view *w)
{
    for (size_t i = 0; i < w->nattribute[KIND_GRAPH]; i++)
        choose(w, KIND_GRAPH, &w->attribute[KIND_GRAPH][i]);
    for (size_t k = 0; k < sizeof leading_names / sizeof *leading_names; k++)
        choose(w, KIND_VERTEX, find_column(w, KIND_VERTEX, leading_names[k]));
    for (int m = 0; m < NG_MEASURE_COUNT; m++)
        choose(w, KIND_VERTEX, find_column(w, KIND_VERTEX, ng_measure_name((ng_measure)m)));
    for (size_t i = 0; i < w->nattribute[KIND_VERTEX]; i++) {
        const column *c = &w->attribute[KIND_VERTEX][i];
        if (!is_leading(c->name) &&
            !ng_view_in_list(c->name, visual_names, sizeof visual_names / sizeof *visual_names))
            choose(w, KIND_VERTEX, c);
    }
    for (size_t i = 0; i < w->nattribute[KIND_EDGE]; i++) {
        const column *c = &w->attribute[KIND_EDGE][i];
        if (strcmp(c->name, "weight") != 0 && strcmp(c->name, "id") != 0)
            choose(w, KIND_EDGE, c);
    }
    for (int k = 0; k < VISUAL_COUNT; k++)
        w->visual[k] = numeric_column(w, KIND_VERTEX, visual_attributes[k]);
    w->color = w->visual[VISUAL_R] && w->visual[VISUAL_G] && w->visual[VISUAL_B];
    w->size = w->visual[VISUAL_SIZE] != NULL;
    w->position = w->visual[VISUAL_X] && w->visual[VISUAL_Y];
}

double ng_view_visual(const view *w, int which, size_t v)
{
    return w->visual[which] ? VECTOR(w->visual[which]->numbers)[(igraph_integer_t)v] : NAN;
}

int ng_view_channel(double x) { return x <= 0 ? 0 : x >= 255 ? 255 : (int)lround(x); }

typedef struct keyed {
    const char *s;
    size_t v;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->v > y->v) - (x->v < y->v);
}

static int key_is(const void *s, const void *k) { return strcmp(s, ((const keyed *)k)->s); }

/* Node ids: the entity key; "n<index>" (plus '_' until no key has it) where
 * the key is empty or an earlier vertex has it. */
static ng_status choose_ids(view *w)
{
    size_t n = ng_graph_vertex_count(w->G);
    keyed *sorted = malloc((n ? n : 1) * sizeof *sorted);
    w->id = calloc(n ? n : 1, sizeof *w->id);
    w->fallback = calloc(n ? n : 1, sizeof *w->fallback);
    if (!sorted || !w->id || !w->fallback) {
        free(sorted);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    for (size_t v = 0; v < n; v++)
        sorted[v] = (keyed){ng_graph_vertex_key(w->G, v), v};
    if (n > 1)
        qsort(sorted, n, sizeof *sorted, by_key);
    for (size_t i = 0; i < n; i++)
        if (sorted[i].s[0] && (i == 0 || strcmp(sorted[i].s, sorted[i - 1].s) != 0))
            w->id[sorted[i].v] = sorted[i].s;
    ng_status st = NG_OK;
    for (size_t v = 0; v < n && st == NG_OK; v++) {
        if (w->id[v])
            continue;
        char buf[64];
        size_t len = (size_t)snprintf(buf, sizeof buf, "n%zu", v);
        while (len + 1 < sizeof buf && bsearch(buf, sorted, n, sizeof *sorted, key_is)) {
            buf[len++] = '_';
            buf[len] = '\0';
        }
        if (!(w->fallback[v] = strdup(buf)))
            st = ng_error_set(NG_ENOMEM, "out of memory");
        w->id[v] = w->fallback[v];
    }
    free(sorted);
    return st;
}

void ng_view_close(view *w)
{
    if (w->c_locale) {
        uselocale(w->saved_locale);
        freelocale(w->c_locale);
    }
    for (size_t v = 0; w->fallback && v < ng_graph_vertex_count(w->G); v++)
        free(w->fallback[v]);
    free(w->fallback);
    free(w->id);
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; w->attribute[k] && i < w->nattribute[k]; i++) {
            column *c = &w->attribute[k][i];
            if (!c->fetched)
                continue;
            if (c->type == IGRAPH_ATTRIBUTE_NUMERIC)
                igraph_vector_destroy(&c->numbers);
            else if (c->type == IGRAPH_ATTRIBUTE_STRING)
                igraph_strvector_destroy(&c->strings);
            else
                igraph_vector_bool_destroy(&c->booleans);
        }
        free(w->attribute[k]);
        free(w->col[k]);
        igraph_strvector_destroy(&w->names[k]);
        igraph_vector_int_destroy(&w->types[k]);
    }
}

ng_status ng_view_open(view *w, const ng_graph *G)
{
    memset(w, 0, sizeof *w);
    w->G = G;
    /* snprintf follows LC_NUMERIC, which a host program may have set: write
     * in the C locale on this thread, whatever it is. */
    if (!(w->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
        return ng_error_set(NG_ENOMEM, "out of memory (locale)");
    w->saved_locale = uselocale(w->c_locale);
    ng_graph_begin();
    igraph_error_t e = list_attributes(w);
    if (e != IGRAPH_SUCCESS) {
        uselocale(w->saved_locale);
        freelocale(w->c_locale);
        return ng_graph_failed(e); /* the error handler destroyed the lists */
    }
    for (int k = 0; k < 3; k++) {
        size_t n = (size_t)igraph_strvector_size(&w->names[k]) + 1;
        if (!(w->attribute[k] = calloc(n, sizeof *w->attribute[k])) ||
            !(w->col[k] = calloc(n, sizeof *w->col[k]))) {
            ng_view_close(w);
            return ng_error_set(NG_ENOMEM, "out of memory");
        }
    }
    if ((e = fetch_columns(w)) != IGRAPH_SUCCESS) {
        ng_view_close(w);
        return ng_graph_failed(e);
    }
    choose_columns(w);
    ng_status st = choose_ids(w);
    if (st != NG_OK)
        ng_view_close(w);
    return st;
}

/* The value of column `c` for element `i` as text: strings borrowed, numbers
 * formatted into `buf` (plain notation, 15 significant digits), booleans
 * "true"/"false"; NULL where unset (an empty string or a NaN). */
const char *ng_view_cell(const column *c, size_t i, char *buf, size_t cap)
{
    igraph_integer_t j = (igraph_integer_t)i;
    if (c->type == IGRAPH_ATTRIBUTE_STRING) {
        const char *s = igraph_strvector_get(&c->strings, j);
        return s[0] ? s : NULL;
    }
    if (c->type == IGRAPH_ATTRIBUTE_BOOLEAN)
        return VECTOR(c->booleans)[j] ? "true" : "false";
    double x = VECTOR(c->numbers)[j];
    if (!isfinite(x))
        return NULL;
    ng_format_plain(buf, cap, x, 15);
    return buf;
}

void ng_write_escaped(FILE *out, const char *s, ng_escape_fn escape)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), run = 0; /* s[run, i) is written as it is */
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        const char *replacement = k ? escape(cp) : "\xEF\xBF\xBD";
        if (replacement) {
            fwrite(s + run, 1, i - run, out);
            fputs(replacement, out);
            run = i + (k ? k : 1);
        }
        i += k ? k : 1;
    }
    fwrite(s + run, 1, n - run, out);
}

/* Tab, line feed and carriage return as references because attribute-value
 * normalisation would turn them into spaces. */
static const char *xml_escape(int32_t cp)
{
    switch (cp) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
    }
    return cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF ? "" : NULL;
}

void ng_xml_write_text(FILE *out, const char *s) { ng_write_escaped(out, s, xml_escape); }
