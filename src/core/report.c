/* report.c: the ranked table of actors, as text, TSV or JSON. */
#include "nergraph/report.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "jsonw.h"
#include "utf8.h"

#define LABEL_WIDTH 32

int ng_report_format_parse(const char *name)
{
    static const char *const names[] = {"text", "tsv", "csv", "json", "markdown"};
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

typedef struct sort_ctx {
    const ng_graph *g;
    ng_measure by;
} sort_ctx;

static _Thread_local sort_ctx ctx; /* qsort has no user pointer in C11 */

static int compare_rows(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const ng_graph *g = ctx.g;
    double vx = ng_graph_measure(g, x, ctx.by), vy = ng_graph_measure(g, y, ctx.by);
    if (ctx.by == NG_MEASURE_COMMUNITY) { /* group by community, then by PageRank */
        if (vx != vy)
            return vx < vy ? -1 : 1;
        vx = ng_graph_measure(g, x, NG_MEASURE_PAGERANK);
        vy = ng_graph_measure(g, y, NG_MEASURE_PAGERANK);
    }
    if (vx != vy)
        return vx > vy ? -1 : 1;
    int c = strcmp(ng_graph_vertex_label(g, x), ng_graph_vertex_label(g, y));
    if (c)
        return c;
    c = strcmp(ng_graph_vertex_key(g, x), ng_graph_vertex_key(g, y));
    return c ? c : (x < y ? -1 : x > y);
}

/* Write `s` padded (or cut with an ellipsis) to `width` terminal columns. */
static void write_padded(FILE *out, const char *s, int width)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    int used = 0;
    while (i < n) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, n - i, &cp);
        if (!k)
            break;
        int w = utf8proc_charwidth(cp);
        if (used + w > width - 1 && i + k < n) {
            fputs("\xE2\x80\xA6", out); /* … */
            used++;
            i = n;
            break;
        }
        fwrite(s + i, 1, k, out);
        used += w;
        i += k;
    }
    for (; used < width; used++)
        putc(' ', out);
}

/* Decimals shown per measure in the text table. */
static const int text_decimals[NG_MEASURE_COUNT] = {0, 0, 1, 4, 4, 4, 0, 4, 0};

static void write_text(const ng_graph *g, const size_t *rows, size_t count, FILE *out,
                       const ng_report_options *opts)
{
    fprintf(out, "# nergraph report: %zu actors, %zu links, sorted by %s",
            ng_graph_vertex_count(g), ng_graph_edge_count(g), ng_measure_name(opts->sort));
    if (opts->category)
        fprintf(out, "; %s only", opts->category);
    if (opts->ego)
        fprintf(out, "; within %zu step%s of %s", opts->depth, opts->depth == 1 ? "" : "s",
                opts->ego);
    putc('\n', out);
    fprintf(out, "%4s  ", "rank");
    write_padded(out, "actor", LABEL_WIDTH);
    fprintf(out, "  %-12s  %8s  %9s", "category", "mentions", "documents");
    for (int m = 0; m < NG_MEASURE_COUNT; m++)
        fprintf(out, "  %11s", ng_measure_name((ng_measure)m));
    putc('\n', out);
    for (size_t r = 0; r < count; r++) {
        size_t v = rows[r];
        fprintf(out, "%4zu  ", r + 1);
        write_padded(out, ng_graph_vertex_label(g, v), LABEL_WIDTH);
        fputs("  ", out);
        write_padded(out, ng_graph_vertex_category(g, v), 12);
        fprintf(out, "  %8.0f  %9.0f", ng_graph_vertex_mentions(g, v),
                ng_graph_vertex_documents(g, v));
        for (int m = 0; m < NG_MEASURE_COUNT; m++)
            fprintf(out, "  %11.*f", text_decimals[m], ng_graph_measure(g, v, (ng_measure)m));
        putc('\n', out);
    }
}

/* A field of a TSV (tabs and line breaks become spaces) or CSV (RFC 4180
 * quoting) row. */
static void write_field(FILE *out, const char *s, char sep)
{
    if (sep == ',' && strpbrk(s, ",\"\r\n")) {
        putc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                putc('"', out);
            putc(*s, out);
        }
        putc('"', out);
        return;
    }
    for (; *s; s++)
        putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static void write_delimited(const ng_graph *g, const size_t *rows, size_t count, FILE *out,
                            char sep)
{
    fprintf(out, "rank%ckey%clabel%ccategory%cmentions%cdocuments", sep, sep, sep, sep, sep);
    for (int m = 0; m < NG_MEASURE_COUNT; m++)
        fprintf(out, "%c%s", sep, ng_measure_name((ng_measure)m));
    putc('\n', out);
    char num[64];
    for (size_t r = 0; r < count; r++) {
        size_t v = rows[r];
        fprintf(out, "%zu%c", r + 1, sep);
        write_field(out, ng_graph_vertex_key(g, v), sep);
        putc(sep, out);
        write_field(out, ng_graph_vertex_label(g, v), sep);
        putc(sep, out);
        write_field(out, ng_graph_vertex_category(g, v), sep);
        ng_format_plain(num, sizeof num, ng_graph_vertex_mentions(g, v), 15);
        fprintf(out, "%c%s", sep, num);
        ng_format_plain(num, sizeof num, ng_graph_vertex_documents(g, v), 15);
        fprintf(out, "%c%s", sep, num);
        for (int m = 0; m < NG_MEASURE_COUNT; m++) {
            ng_format_plain(num, sizeof num, ng_graph_measure(g, v, (ng_measure)m), 10);
            fprintf(out, "%c%s", sep, num);
        }
        putc('\n', out);
    }
}

/* A Markdown table (GitHub's dialect): | escaped, figures as in the text table. */
static void write_markdown(const ng_graph *g, const size_t *rows, size_t count, FILE *out)
{
    fputs("| rank | actor | category | mentions | documents |", out);
    for (int m = 0; m < NG_MEASURE_COUNT; m++)
        fprintf(out, " %s |", ng_measure_name((ng_measure)m));
    fputs("\n|---:|---|---|---:|---:|", out);
    for (int m = 0; m < NG_MEASURE_COUNT; m++)
        fputs("---:|", out);
    putc('\n', out);
    for (size_t r = 0; r < count; r++) {
        size_t v = rows[r];
        fprintf(out, "| %zu | ", r + 1);
        for (const char *p = ng_graph_vertex_label(g, v); *p; p++) {
            if (*p == '|')
                putc('\\', out);
            putc(*p == '\n' ? ' ' : *p, out);
        }
        fprintf(out, " | %s | %.0f | %.0f |", ng_graph_vertex_category(g, v),
                ng_graph_vertex_mentions(g, v), ng_graph_vertex_documents(g, v));
        for (int m = 0; m < NG_MEASURE_COUNT; m++)
            fprintf(out, " %.*f |", text_decimals[m], ng_graph_measure(g, v, (ng_measure)m));
        putc('\n', out);
    }
}

static void write_json_string(FILE *out, const char *s) { ng_json_write_string(out, s, strlen(s)); }

static void write_json(const ng_graph *g, const size_t *rows, size_t count, FILE *out)
{
    fputs("[\n", out);
    for (size_t r = 0; r < count; r++) {
        size_t v = rows[r];
        fprintf(out, "  {\"rank\": %zu, \"key\": ", r + 1);
        write_json_string(out, ng_graph_vertex_key(g, v));
        fputs(", \"label\": ", out);
        write_json_string(out, ng_graph_vertex_label(g, v));
        fputs(", \"category\": ", out);
        write_json_string(out, ng_graph_vertex_category(g, v));
        fputs(", \"mentions\": ", out);
        ng_json_write_number(out, ng_graph_vertex_mentions(g, v));
        fputs(", \"documents\": ", out);
        ng_json_write_number(out, ng_graph_vertex_documents(g, v));
        for (int m = 0; m < NG_MEASURE_COUNT; m++) {
            fprintf(out, ", \"%s\": ", ng_measure_name((ng_measure)m));
            ng_json_write_number(out, ng_graph_measure(g, v, (ng_measure)m));
        }
        fputs(r + 1 < count ? "},\n" : "}\n", out);
    }
    fputs("]\n", out);
}

/* The vertex an analyst means by `name`: a key, else a label. */
static ng_status find_vertex(const ng_graph *g, const char *name, size_t *out)
{
    size_t n = ng_graph_vertex_count(g);
    for (int pass = 0; pass < 2; pass++)
        for (size_t v = 0; v < n; v++)
            if (strcmp(pass ? ng_graph_vertex_label(g, v) : ng_graph_vertex_key(g, v), name) == 0) {
                *out = v;
                return NG_OK;
            }
    return ng_error_set(NG_EINVAL, "no actor with the key or label '%s' in the graph", name);
}

ng_status ng_report_write(const ng_graph *g, const ng_report_options *opts, FILE *out)
{
    size_t n = ng_graph_vertex_count(g), count = 0, ego = 0;
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    unsigned char *near = opts->ego ? malloc(n ? n : 1) : NULL;
    ng_status st = NG_OK;
    if (!rows || (opts->ego && !near))
        st = ng_error_set(NG_ENOMEM, "out of memory");
    if (st == NG_OK && opts->ego && (st = find_vertex(g, opts->ego, &ego)) == NG_OK)
        st = ng_graph_neighbourhood(g, ego, opts->depth, near);
    for (size_t v = 0; st == NG_OK && v < n; v++)
        if ((!opts->category || strcmp(ng_graph_vertex_category(g, v), opts->category) == 0) &&
            (!near || near[v]))
            rows[count++] = v;
    if (st == NG_OK) {
        ctx = (sort_ctx){g, opts->sort};
        qsort(rows, count, sizeof *rows, compare_rows);
        if (opts->top && opts->top < count)
            count = opts->top;
        switch (opts->format) {
        case NG_REPORT_TEXT: write_text(g, rows, count, out, opts); break;
        case NG_REPORT_TSV: write_delimited(g, rows, count, out, '\t'); break;
        case NG_REPORT_CSV: write_delimited(g, rows, count, out, ','); break;
        case NG_REPORT_JSON: write_json(g, rows, count, out); break;
        case NG_REPORT_MARKDOWN: write_markdown(g, rows, count, out); break;
        }
    }
    free(rows);
    free(near);
    if (st != NG_OK)
        return st;
    return ferror(out) ? ng_error_set(NG_EIO, "report: write failed") : NG_OK;
}
