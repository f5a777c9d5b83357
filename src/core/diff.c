/* diff.c: two networks compared by entity key. */
#include "nergraph/diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

/* A vertex or an edge, named by keys, with a number (weight or rank). */
typedef struct item {
    const char *a, *b; /* b is NULL for a vertex */
    double value;
    size_t index;
} item;

static int by_name(const void *x, const void *y)
{
    const item *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    if (c || !p->b)
        return c;
    return strcmp(p->b, q->b);
}

static item *vertices(const ng_graph *g)
{
    size_t n = ng_graph_vertex_count(g);
    item *v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        v[i] = (item){ng_graph_vertex_key(g, i), NULL, 0, i};
    if (v && n > 1)
        qsort(v, n, sizeof *v, by_name);
    return v;
}

static item *edges(const ng_graph *g)
{
    size_t m = ng_graph_edge_count(g);
    item *e = malloc((m ? m : 1) * sizeof *e);
    for (size_t i = 0; e && i < m; i++) {
        size_t x, y;
        ng_graph_edge(g, i, &x, &y);
        const char *kx = ng_graph_vertex_key(g, x), *ky = ng_graph_vertex_key(g, y);
        int swap = strcmp(kx, ky) > 0;
        e[i] = (item){swap ? ky : kx, swap ? kx : ky, ng_graph_edge_weight(g, i), i};
    }
    if (e && m > 1)
        qsort(e, m, sizeof *e, by_name);
    return e;
}

/* Ranks of every vertex by measure `m` (1 = highest; ties by key). */
static _Thread_local const ng_graph *rank_graph; /* for qsort, which has no user pointer */
static _Thread_local ng_measure rank_measure;

static int by_measure(const void *x, const void *y)
{
    size_t p = *(const size_t *)x, q = *(const size_t *)y;
    double a = ng_graph_measure(rank_graph, p, rank_measure);
    double b = ng_graph_measure(rank_graph, q, rank_measure);
    if (a != b)
        return a > b ? -1 : 1;
    return strcmp(ng_graph_vertex_key(rank_graph, p), ng_graph_vertex_key(rank_graph, q));
}

static size_t *ranks(const ng_graph *g, ng_measure m)
{
    size_t n = ng_graph_vertex_count(g);
    size_t *order = malloc((n ? n : 1) * sizeof *order), *rank = malloc((n ? n : 1) * sizeof *rank);
    if (!order || !rank) {
        free(order);
        free(rank);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    rank_graph = g;
    rank_measure = m;
    qsort(order, n, sizeof *order, by_measure);
    for (size_t i = 0; i < n; i++)
        rank[order[i]] = i + 1;
    free(order);
    return rank;
}

static int by_change(const void *x, const void *y)
{
    const item *p = x, *q = y;
    if (fabs(p->value) != fabs(q->value))
        return fabs(p->value) > fabs(q->value) ? -1 : 1;
    return by_name(p, q);
}

static void write_name(FILE *out, const item *it)
{
    fputs(it->a, out);
    if (it->b)
        fprintf(out, " -- %s", it->b);
}

/* Walk two name-sorted lists: added, removed and, for items in both, the
 * change of value into `changed`. */
static size_t compare(const item *x, size_t nx, const item *y, size_t ny, const char *what,
                      size_t top, FILE *out, item *changed, size_t *nchanged)
{
    size_t i = 0, j = 0, added = 0, removed = 0;
    char num[64];
    for (int pass = 0; pass < 2; pass++) {
        size_t shown = 0;
        i = j = 0;
        while (i < nx || j < ny) {
            int c = i == nx ? 1 : j == ny ? -1 : by_name(&x[i], &y[j]);
            if (c == 0) {
                if (pass == 0 && changed && x[i].value != y[j].value)
                    changed[(*nchanged)++] = (item){y[j].a, y[j].b, y[j].value - x[i].value,
                                                    y[j].index};
                i++, j++;
            } else {
                int only_x = c < 0; /* only in the first: removed; else added */
                const item *it = only_x ? &x[i] : &y[j];
                if (only_x == (pass == 1)) { /* pass 0 lists the added, pass 1 the removed */
                    if (shown++ < top) {
                        fprintf(out, "%s %s ", pass ? "-" : "+", what);
                        write_name(out, it);
                        if (it->b) {
                            ng_format_plain(num, sizeof num, it->value, 6);
                            fprintf(out, " (weight %s)", num);
                        }
                        putc('\n', out);
                    }
                    if (pass)
                        removed++;
                    else
                        added++;
                }
                if (only_x)
                    i++;
                else
                    j++;
            }
        }
        if (shown > top)
            fprintf(out, "  ... %zu more %s %s\n", shown - top, what, pass ? "removed" : "added");
    }
    fprintf(out, "# %s: %zu added, %zu removed\n", what, added, removed);
    return added + removed;
}

ng_status ng_graph_diff(const ng_graph *a, const ng_graph *b, size_t top, FILE *out,
                        size_t *changes)
{
    size_t na = ng_graph_vertex_count(a), nb = ng_graph_vertex_count(b);
    size_t ma = ng_graph_edge_count(a), mb = ng_graph_edge_count(b), nchanged = 0;
    item *va = vertices(a), *vb = vertices(b), *ea = edges(a), *eb = edges(b);
    item *changed = malloc((mb + nb + 1) * sizeof *changed);
    ng_status st = va && vb && ea && eb && changed ? NG_OK
                                                   : ng_error_set(NG_ENOMEM, "out of memory");
    char num[64];
    *changes = 0;
    if (st == NG_OK) {
        fprintf(out, "# actors %zu -> %zu, links %zu -> %zu\n", na, nb, ma, mb);
        *changes += compare(va, na, vb, nb, "actor", top, out, NULL, NULL);
        *changes += compare(ea, ma, eb, mb, "link", top, out, changed, &nchanged);
        *changes += nchanged;
        qsort(changed, nchanged, sizeof *changed, by_change);
        fprintf(out, "# link weight changes: %zu\n", nchanged);
        for (size_t i = 0; i < nchanged && i < top; i++) {
            write_name(out, &changed[i]);
            ng_format_plain(num, sizeof num, changed[i].value, 6);
            fprintf(out, " %s%s\n", changed[i].value > 0 ? "+" : "", num);
        }
    }
    /* Rank changes per measure, for actors in both networks. */
    for (int m = 0; st == NG_OK && m < NG_MEASURE_COUNT; m++) {
        if (m == NG_MEASURE_COMMUNITY)
            continue; /* community numbers are labels, not ranks */
        size_t *ra = ranks(a, (ng_measure)m), *rb = ranks(b, (ng_measure)m), n = 0;
        if (!ra || !rb)
            st = ng_error_set(NG_ENOMEM, "out of memory");
        for (size_t i = 0, j = 0; st == NG_OK && i < na && j < nb;) {
            int c = by_name(&va[i], &vb[j]);
            if (c == 0) {
                double d = (double)ra[va[i].index] - (double)rb[vb[j].index];
                if (d != 0)
                    changed[n++] = (item){vb[j].a, NULL, d, rb[vb[j].index]};
                i++, j++;
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        if (st == NG_OK && n) {
            qsort(changed, n, sizeof *changed, by_change);
            fprintf(out, "# rank changes by %s: %zu\n", ng_measure_name((ng_measure)m), n);
            for (size_t i = 0; i < n && i < top; i++)
                fprintf(out, "%s %+.0f (now %zu)\n", changed[i].a, changed[i].value,
                        changed[i].index);
        }
        free(ra);
        free(rb);
    }
    free(va);
    free(vb);
    free(ea);
    free(eb);
    free(changed);
    return st;
}
