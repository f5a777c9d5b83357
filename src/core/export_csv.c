/* export_csv.c: nodes.csv and edges.csv for Gephi's spreadsheet import
 * (Data Laboratory, Import Spreadsheet).
 *
 *   nodes.csv  Id,Label,category,mentions,documents,<measures>,<facts, roles>
 *   edges.csv  Source,Target,Type,Weight,documents
 *
 * Id, Source and Target are the node ids of the GEXF and JSON writers (the
 * entity key, or "n<index>" where it is empty or taken); Type is Undirected.
 * Other columns follow the attribute order of the GEXF and JSON writers;
 * size, r, g, b (and x, y, z) are left out, as the spreadsheet importer
 * would take them as plain columns, and so are columns named like the
 * importer's own (Id, Label, Source, Target, Type, Weight, in any case).
 * Unset values are empty fields.
 *
 * RFC 4180 quoting: a field holding a comma, a double quote, CR or LF is
 * quoted, its quotes doubled. UTF-8 without BOM, invalid bytes as U+FFFD,
 * C0 controls other than tab, CR and LF dropped. Records end in LF (not
 * RFC 4180's CRLF: Gephi, spreadsheets and Python's csv read both, and LF
 * keeps the files like nergraph's other outputs). Numbers in plain notation.
 */
#include "export_view.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonw.h"
#include "nergraph/export.h"
#include "utf8.h"


/* ---- CSV ---- */

/* Quotes doubled; C0 controls other than tab, CR and LF dropped. */
static const char *csv_escape(int32_t cp)
{
    if (cp == '"')
        return "\"\"";
    return cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n' ? "" : NULL;
}

static void write_field(FILE *out, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        putc('"', out);
    ng_write_escaped(out, s, csv_escape);
    if (quote)
        putc('"', out);
}

/* Names the spreadsheet importer takes as its own columns, in any case,
 * and the key, which is the Id: not written as data columns. */
static int own_column(int kind, const char *name)
{
    static const char *const node_own[] = {"id", "label", "key"};
    static const char *const edge_own[] = {"id", "label", "source", "target", "type", "weight"};
    const char *const *own = kind == KIND_VERTEX ? node_own : edge_own;
    size_t n = kind == KIND_VERTEX ? sizeof node_own / sizeof *node_own
                                   : sizeof edge_own / sizeof *edge_own;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(name, own[i]) == 0)
            return 1;
    return 0;
}

/* The columns of `kind` for element `i`, each after a comma. */
static void write_cells(FILE *out, const view *w, int kind, size_t i)
{
    char buf[512];
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = w->col[kind][k];
        if (own_column(kind, c->name))
            continue;
        const char *value = ng_view_cell(c, i, buf, sizeof buf);
        putc(',', out);
        if (value)
            write_field(out, value);
    }
}

static void write_header(FILE *out, const view *w, int kind)
{
    for (size_t k = 0; k < w->ncol[kind]; k++) {
        const column *c = w->col[kind][k];
        if (own_column(kind, c->name))
            continue;
        putc(',', out);
        write_field(out, c->name);
    }
    putc('\n', out);
}

ng_status ng_export_csv_nodes(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = ng_view_open(&w, G);
    if (st != NG_OK)
        return st;
    fputs("Id,Label", out);
    write_header(out, &w, KIND_VERTEX);
    for (size_t v = 0, n = ng_graph_vertex_count(G); v < n; v++) {
        write_field(out, w.id[v]);
        putc(',', out);
        write_field(out, ng_graph_vertex_label(G, v));
        write_cells(out, &w, KIND_VERTEX, v);
        putc('\n', out);
    }
    ng_view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "CSV: write failed") : NG_OK;
}

ng_status ng_export_csv_edges(const ng_graph *G, FILE *out)
{
    view w;
    ng_status st = ng_view_open(&w, G);
    if (st != NG_OK)
        return st;
    fputs("Source,Target,Type,Weight", out);
    write_header(out, &w, KIND_EDGE);
    char buf[512];
    for (size_t e = 0, m = ng_graph_edge_count(G); e < m; e++) {
        size_t a, b;
        ng_graph_edge(G, e, &a, &b);
        write_field(out, w.id[a]);
        putc(',', out);
        write_field(out, w.id[b]);
        fputs(",Undirected,", out);
        ng_format_plain(buf, sizeof buf, ng_graph_edge_weight(G, e), 15);
        fputs(buf, out);
        write_cells(out, &w, KIND_EDGE, e);
        putc('\n', out);
    }
    ng_view_close(&w);
    return ferror(out) ? ng_error_set(NG_EIO, "CSV: write failed") : NG_OK;
}
