/* export_view.h: what the writers write, fetched and chosen once.
 *
 * A view fetches every attribute's values, in igraph's order (what GraphML
 * writes); for GEXF, JSON and CSV it lists them in a fixed order (key,
 * category, mentions, documents, the measures, then the rest in igraph's
 * order), leaves out what those formats carry as fields or visual properties
 * (label, size, r, g, b, x, y, z, id) and gives every vertex a unique id (its
 * key, or "n<index>"). It switches the thread to the C locale while it is
 * open, so numbers never print as 0,5.
 */
#ifndef NG_EXPORT_VIEW_H
#define NG_EXPORT_VIEW_H

#include <locale.h>

#include "graph_internal.h"

enum { KIND_GRAPH = 0, KIND_VERTEX = 1, KIND_EDGE = 2 };

/* An attribute and its values, fetched when the view opens: a look-up by
 * name for every cell cost more than the formatting, and the writers need
 * no igraph call afterwards. */
typedef struct column {
    const char *name;             /* borrowed from the view's name lists */
    igraph_attribute_type_t type; /* numeric, string or boolean */
    int integer;                  /* a count whose values are all whole */
    igraph_vector_t numbers;      /* per vertex or edge (one for the graph), by type */
    igraph_strvector_t strings;
    igraph_vector_bool_t booleans;
    int fetched; /* the vector of its type is initialised */
} column;

/* The vertex attributes that formats show as visual properties. */
enum { VISUAL_SIZE, VISUAL_R, VISUAL_G, VISUAL_B, VISUAL_X, VISUAL_Y, VISUAL_Z, VISUAL_COUNT };

typedef struct view {
    const ng_graph *G;
    igraph_strvector_t names[3]; /* graph, vertex, edge attributes, igraph's order */
    igraph_vector_int_t types[3];
    column *attribute[3]; /* the numeric, string and boolean ones, igraph's order */
    size_t nattribute[3];
    const column **col[3]; /* those written as data, in the view's order */
    size_t ncol[3];
    const char **id; /* per vertex: its key, or an owned fallback */
    char **fallback; /* per vertex: the owned fallback id or NULL */
    const column *visual[VISUAL_COUNT]; /* NULL where the attribute is not numeric */
    int color, size, position; /* vertices carry r/g/b, size, x/y */
    locale_t c_locale, saved_locale; /* numbers as in the C locale meanwhile */
} view;

/** Open a view of `G`. Errors: NG_EGRAPH, NG_ENOMEM. */
ng_status ng_view_open(view *w, const ng_graph *G);
/** Close it (safe after a failed open) and restore the thread's locale. */
void ng_view_close(view *w);
/** Is `name` one of the `n` names of `list`? */
int ng_view_in_list(const char *name, const char *const *list, size_t n);
/** Visual property `which` (VISUAL_*) of vertex `v`; NaN where unset. */
double ng_view_visual(const view *w, int which, size_t v);
/** A colour channel (r, g, b) as a whole number from 0 to 255. */
int ng_view_channel(double x);
/** The text of column `c` of element `i` (a vertex, an edge, or 0 for the
 *  graph) in `buf`, or NULL when unset (empty string, NaN). */
const char *ng_view_cell(const column *c, size_t i, char *buf, size_t cap);

/** What a code point is written as: NULL for itself, else a string ("" to
 *  drop it). */
typedef const char *(*ng_escape_fn)(int32_t cp);
/** Write `s` to `out` in runs, each code point as `escape` says, invalid
 *  UTF-8 bytes as U+FFFD. */
void ng_write_escaped(FILE *out, const char *s, ng_escape_fn escape);

/** `s` as XML content or attribute value, for the GEXF and two-mode writers:
 *  & < > " ' escaped; tab, line feed and carriage return as character
 *  references; other C0 controls, U+FFFE and U+FFFF dropped; invalid UTF-8
 *  as U+FFFD. */
void ng_xml_write_text(FILE *out, const char *s);

#endif
