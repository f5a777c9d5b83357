/* test_cooc.c: stage 7, co-occurrence counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include <stdlib.h>
#include <string.h>

typedef ng_cooc_mention M;

static void check_pair(const ng_pair *p, uint32_t a, uint32_t b, uint64_t windows,
                       uint64_t documents)
{
    assert_int_equal(p->a, a);
    assert_int_equal(p->b, b);
    assert_int_equal(p->windows, windows);
    assert_int_equal(p->documents, documents);
}

static void test_one_document(void **state)
{
    (void)state;
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, 5), NG_OK);
    assert_int_equal(ng_cooc_entity_count(c), 5);
    /* window 0: 0 1 0 1 1 -> the pair {0,1} once; window 1: 2 0 0 -> {0,2};
     * window 2: 3 alone (no pair); window 3: 4 4 4 (no pair with itself) */
    static const M doc[] = {{0, 0}, {1, 0}, {0, 0}, {1, 0}, {1, 0}, {2, 1}, {0, 1},
                            {0, 1}, {3, 2}, {4, 3}, {4, 3}, {4, 3}};
    assert_int_equal(ng_cooc_add_document(c, doc, sizeof doc / sizeof *doc), NG_OK);
    static const uint64_t mentions[] = {4, 3, 1, 1, 3};
    for (uint32_t e = 0; e < 5; e++) {
        assert_int_equal(ng_cooc_entity(c, e)->mentions, mentions[e]);
        assert_int_equal(ng_cooc_entity(c, e)->documents, 1);
    }
    assert_int_equal(ng_cooc_document_total(c), 1);
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, 2);
    check_pair(&p[0], 0, 1, 1, 1);
    check_pair(&p[1], 0, 2, 1, 1);
    ng_cooc_free(c);
}

static void test_documents_accumulate(void **state)
{
    (void)state;
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, 6), NG_OK);
    /* doc 1: {5,1} in window 0, {1,0,5} in window 2 */
    static const M d1[] = {{5, 0}, {1, 0}, {1, 2}, {0, 2}, {5, 2}};
    /* doc 2: {0,1} in windows 0, 1 and 4; 3 alone */
    static const M d2[] = {{1, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {3, 3}, {0, 4}, {1, 4}};
    /* doc 3: nothing */
    /* doc 4: one mention of 2 */
    static const M d4[] = {{2, 7}};
    assert_int_equal(ng_cooc_add_document(c, d1, 5), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, d2, 8), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, NULL, 0), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, d4, 1), NG_OK);
    assert_int_equal(ng_cooc_document_total(c), 4);
    static const uint64_t mentions[] = {4, 6, 1, 1, 0, 2};
    static const uint64_t documents[] = {2, 2, 1, 1, 0, 1};
    for (uint32_t e = 0; e < 6; e++) {
        assert_int_equal(ng_cooc_entity(c, e)->mentions, mentions[e]);
        assert_int_equal(ng_cooc_entity(c, e)->documents, documents[e]);
    }
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    /* sorted by (a, b): (0,1) (0,5) (1,5) */
    assert_int_equal(n, 3);
    check_pair(&p[0], 0, 1, 4, 2); /* window 2 of doc 1, windows 0 1 4 of doc 2 */
    check_pair(&p[1], 0, 5, 1, 1);
    check_pair(&p[2], 1, 5, 2, 1); /* twice in doc 1: one document */

    /* borrowed until the next change: the same view when nothing changed */
    const ng_pair *again;
    size_t n2;
    assert_int_equal(ng_cooc_pairs(c, &again, &n2), NG_OK);
    assert_int_equal(n2, n);
    assert_memory_equal(again, p, n * sizeof *p);
    /* and a fresh one after a change */
    static const M d5[] = {{4, 0}, {2, 0}};
    assert_int_equal(ng_cooc_add_document(c, d5, 2), NG_OK);
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, 4);
    check_pair(&p[3], 2, 4, 1, 1);
    ng_cooc_free(c);
    ng_cooc_free(NULL);
}

static void test_entity_out_of_range(void **state)
{
    (void)state;
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, 3), NG_OK);
    static const M doc[] = {{0, 0}, {3, 0}};
    assert_int_equal(ng_cooc_add_document(c, doc, 2), NG_EINTERNAL);
    assert_string_equal(ng_error_message(), "cooc: entity 3 out of range");
    ng_cooc_free(c);

    /* zero entities: a valid, empty counter */
    assert_int_equal(ng_cooc_new(&c, 0), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, NULL, 0), NG_OK);
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, 0);
    ng_cooc_free(c);
}

/* ---- random documents against a naive count, and merging ---- */

static uint32_t lcg_state = 7u;

static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}

enum { E = 40, DOCS = 300, MAX_MENTIONS = 200 };

typedef struct corpus {
    M mentions[DOCS][MAX_MENTIONS];
    size_t count[DOCS];
} corpus;

static void make_corpus(corpus *k)
{
    for (size_t d = 0; d < DOCS; d++) {
        size_t n = lcg() % MAX_MENTIONS, w = 0;
        if (d % 10 == 0)
            n = 0; /* some documents mention nothing */
        for (size_t i = 0; i < n; i++) {
            if (lcg() % 4 == 0)
                w += 1 + lcg() % 3; /* windows may be skipped */
            /* a skewed choice, so some entities repeat within a window */
            uint32_t e = lcg() % 3 == 0 ? lcg() % 5 : lcg() % E;
            k->mentions[d][i] = (M){e, (uint32_t)w};
        }
        k->count[d] = n;
    }
}

typedef struct naive {
    uint64_t mentions[E], documents[E], total;
    uint64_t windows[E][E], pair_docs[E][E];
} naive;

static void naive_count(naive *r, const corpus *k, const size_t *docs, size_t ndocs)
{
    memset(r, 0, sizeof *r);
    for (size_t x = 0; x < ndocs; x++) {
        size_t d = docs[x];
        const M *m = k->mentions[d];
        size_t n = k->count[d];
        int in_doc[E] = {0}, pair_in_doc[E][E];
        memset(pair_in_doc, 0, sizeof pair_in_doc);
        r->total++;
        for (size_t i = 0; i < n; i++) {
            r->mentions[m[i].entity]++;
            in_doc[m[i].entity] = 1;
        }
        for (size_t i = 0; i < n;) {
            size_t j = i;
            int present[E] = {0};
            while (j < n && m[j].window == m[i].window)
                present[m[j++].entity] = 1;
            for (int a = 0; a < E; a++)
                for (int b = a + 1; b < E; b++)
                    if (present[a] && present[b]) {
                        r->windows[a][b]++;
                        pair_in_doc[a][b] = 1;
                    }
            i = j;
        }
        for (int a = 0; a < E; a++) {
            r->documents[a] += (uint64_t)in_doc[a];
            for (int b = a + 1; b < E; b++)
                r->pair_docs[a][b] += (uint64_t)pair_in_doc[a][b];
        }
    }
}

static void check_against_naive(ng_cooc *c, const naive *r)
{
    assert_int_equal(ng_cooc_document_total(c), r->total);
    for (uint32_t e = 0; e < E; e++) {
        assert_int_equal(ng_cooc_entity(c, e)->mentions, r->mentions[e]);
        assert_int_equal(ng_cooc_entity(c, e)->documents, r->documents[e]);
    }
    const ng_pair *p;
    size_t n, k = 0;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    for (uint32_t a = 0; a < E; a++)
        for (uint32_t b = a + 1; b < E; b++) {
            if (r->windows[a][b] == 0)
                continue;
            assert_true(k < n);
            check_pair(&p[k], a, b, r->windows[a][b], r->pair_docs[a][b]);
            k++;
        }
    assert_int_equal(k, n);
}

static void check_same(ng_cooc *x, ng_cooc *y)
{
    assert_int_equal(ng_cooc_entity_count(x), ng_cooc_entity_count(y));
    assert_int_equal(ng_cooc_document_total(x), ng_cooc_document_total(y));
    for (uint32_t e = 0; e < ng_cooc_entity_count(x); e++) {
        assert_int_equal(ng_cooc_entity(x, e)->mentions, ng_cooc_entity(y, e)->mentions);
        assert_int_equal(ng_cooc_entity(x, e)->documents, ng_cooc_entity(y, e)->documents);
    }
    const ng_pair *px, *py;
    size_t nx, ny;
    assert_int_equal(ng_cooc_pairs(x, &px, &nx), NG_OK);
    assert_int_equal(ng_cooc_pairs(y, &py, &ny), NG_OK);
    assert_int_equal(nx, ny);
    assert_memory_equal(px, py, nx * sizeof *px);
}

static void test_random_against_naive(void **state)
{
    (void)state;
    corpus *k = malloc(sizeof *k);
    naive *r = malloc(sizeof *r);
    assert_non_null(k);
    assert_non_null(r);
    make_corpus(k);
    size_t all[DOCS];
    for (size_t d = 0; d < DOCS; d++)
        all[d] = d;
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, E), NG_OK);
    for (size_t d = 0; d < DOCS; d++)
        assert_int_equal(ng_cooc_add_document(c, k->mentions[d], k->count[d]), NG_OK);
    naive_count(r, k, all, DOCS);
    check_against_naive(c, r);
    /* sorted by (a, b), a < b */
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        assert_true(p[i].a < p[i].b);
        assert_true(p[i].documents >= 1 && p[i].documents <= p[i].windows);
        if (i > 0)
            assert_true(p[i - 1].a < p[i].a || (p[i - 1].a == p[i].a && p[i - 1].b < p[i].b));
    }
    ng_cooc_free(c);
    free(r);
    free(k);
}

static void test_merge_equals_adding(void **state)
{
    (void)state;
    corpus *k = malloc(sizeof *k);
    naive *r = malloc(sizeof *r);
    assert_non_null(k);
    assert_non_null(r);
    lcg_state = 99u;
    make_corpus(k);
    ng_cooc *all, *a1, *a2, *b1, *b2, *empty;
    assert_int_equal(ng_cooc_new(&all, E), NG_OK);
    assert_int_equal(ng_cooc_new(&a1, E), NG_OK);
    assert_int_equal(ng_cooc_new(&a2, E), NG_OK);
    assert_int_equal(ng_cooc_new(&b1, E), NG_OK);
    assert_int_equal(ng_cooc_new(&b2, E), NG_OK);
    assert_int_equal(ng_cooc_new(&empty, E), NG_OK);
    /* Each document goes to `all`, and to one of two shards (twice over). */
    for (size_t d = 0; d < DOCS; d++) {
        const M *m = k->mentions[d];
        size_t n = k->count[d];
        assert_int_equal(ng_cooc_add_document(all, m, n), NG_OK);
        int shard = (int)(lcg() % 2);
        assert_int_equal(ng_cooc_add_document(shard ? a1 : a2, m, n), NG_OK);
        assert_int_equal(ng_cooc_add_document(shard ? b1 : b2, m, n), NG_OK);
    }
    /* read the shards' pairs before merging: the cached view must not survive */
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(a1, &p, &n), NG_OK);
    assert_int_equal(ng_cooc_pairs(b2, &p, &n), NG_OK);
    /* a1 += a2 and b2 += b1: either order gives the same as adding all */
    assert_int_equal(ng_cooc_merge(a1, a2), NG_OK);
    assert_int_equal(ng_cooc_merge(b2, b1), NG_OK);
    check_same(a1, all);
    check_same(b2, all);
    /* merging an empty counter changes nothing */
    assert_int_equal(ng_cooc_merge(a1, empty), NG_OK);
    check_same(a1, all);
    /* and the result is the naive count */
    size_t every[DOCS];
    for (size_t d = 0; d < DOCS; d++)
        every[d] = d;
    naive_count(r, k, every, DOCS);
    check_against_naive(a1, r);
    /* the shard that was merged from is untouched: it is its own documents */
    size_t own[DOCS], own_n = 0;
    lcg_state = 99u; /* replay the corpus and the shard choices */
    make_corpus(k);
    for (size_t d = 0; d < DOCS; d++)
        if (lcg() % 2 == 0)
            own[own_n++] = d;
    naive_count(r, k, own, own_n);
    check_against_naive(a2, r);

    ng_cooc *other;
    assert_int_equal(ng_cooc_new(&other, E + 1), NG_OK);
    assert_int_equal(ng_cooc_merge(a1, other), NG_EINVAL);
    assert_string_equal(ng_error_message(), "cooc: cannot merge counts over 40 and 41 entities");
    ng_cooc_free(other);
    ng_cooc_free(all);
    ng_cooc_free(a1);
    ng_cooc_free(a2);
    ng_cooc_free(b1);
    ng_cooc_free(b2);
    ng_cooc_free(empty);
    free(r);
    free(k);
}

/* Many distinct entities in one window: the pair maps grow many times. */
static void test_dense_window(void **state)
{
    (void)state;
    enum { N = 300 };
    M *doc = malloc(2 * N * sizeof *doc);
    assert_non_null(doc);
    for (uint32_t i = 0; i < N; i++) {
        doc[i] = (M){(i * 37) % N, 0};   /* every entity once, shuffled */
        doc[N + i] = (M){(i * 11) % N, 1}; /* and again in window 1 */
    }
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, N), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, doc, 2 * N), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, doc, N), NG_OK); /* window 0 only */
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, (size_t)N * (N - 1) / 2);
    size_t k = 0;
    for (uint32_t a = 0; a < N; a++)
        for (uint32_t b = a + 1; b < N; b++, k++)
            check_pair(&p[k], a, b, 3, 2);
    for (uint32_t e = 0; e < N; e++) {
        assert_int_equal(ng_cooc_entity(c, e)->mentions, 3);
        assert_int_equal(ng_cooc_entity(c, e)->documents, 2);
    }
    /* small documents after the dense ones (whose scratch map is let go) */
    static const M small[] = {{7, 0}, {3, 0}, {3, 1}};
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ng_cooc_add_document(c, small, 3), NG_OK);
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, (size_t)N * (N - 1) / 2);
    for (k = 0; k < n && !(p[k].a == 3 && p[k].b == 7); k++)
        ;
    assert_true(k < n);
    check_pair(&p[k], 3, 7, 1003, 1002);
    check_pair(&p[k - 1], 3, 6, 3, 2);
    assert_int_equal(ng_cooc_entity(c, 3)->mentions, 2003);
    assert_int_equal(ng_cooc_entity(c, 3)->documents, 1002);
    assert_int_equal(ng_cooc_document_total(c), 1002);
    ng_cooc_free(c);
    free(doc);
}

/* Dates widen to the first and last dated document, in any order of adding
 * or merging; undated documents leave them alone. */
static void test_dates(void **state)
{
    (void)state;
    const ng_cooc_mention doc[] = {{0, 0}, {1, 0}};
    const uint32_t dates[] = {20210322, 0, 20190423, 20200101};
    ng_cooc *all, *left, *right;
    assert_int_equal(ng_cooc_new(&all, 3), NG_OK);
    assert_int_equal(ng_cooc_new(&left, 3), NG_OK);
    assert_int_equal(ng_cooc_new(&right, 3), NG_OK);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ng_cooc_add_dated_document(all, doc, 2, dates[i]), NG_OK);
        assert_int_equal(ng_cooc_add_dated_document(i % 2 ? left : right, doc, 2, dates[i]), NG_OK);
    }
    assert_int_equal(ng_cooc_merge(right, left), NG_OK);
    ng_cooc *both[] = {all, right};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(ng_cooc_entity(both[k], 0)->first, 20190423);
        assert_int_equal(ng_cooc_entity(both[k], 1)->last, 20210322);
        assert_int_equal(ng_cooc_entity(both[k], 2)->first, 0);
        const ng_pair *p;
        size_t n;
        assert_int_equal(ng_cooc_pairs(both[k], &p, &n), NG_OK);
        assert_int_equal(n, 1);
        assert_int_equal(p[0].first, 20190423);
        assert_int_equal(p[0].last, 20210322);
    }
    ng_cooc_free(all);
    ng_cooc_free(left);
    ng_cooc_free(right);
}

/* A window naming 1,500 entities: pairs only among the first 1,000, but
 * every entity's window count. */
/* A window's distinct entities, sorted: short windows (insertion sort) and
 * long ones (qsort), with repeats and ids at both ends of the range. */
static void test_distinct_entities(void **state)
{
    (void)state;
    uint32_t seed = 7;
    for (size_t n = 0; n <= 40; n++)
        for (int round = 0; round < 50; round++) {
            uint32_t ids[40], want[40];
            int seen[8] = {0};
            static const uint32_t values[8] = {0, 1, 2, 3, 99, 1000, 0x7FFFFFFF, 0xFFFFFFFF};
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                int v = (int)(seed >> 16) % 8;
                ids[i] = values[v];
                seen[v] = 1;
            }
            size_t want_count = 0;
            for (int v = 0; v < 8; v++)
                if (seen[v])
                    want[want_count++] = values[v];
            assert_int_equal(ng_cooc_distinct_entities(ids, n), want_count);
            assert_memory_equal(ids, want, want_count * sizeof *ids);
        }
}

static void test_pair_cap(void **state)
{
    (void)state;
    enum { K = 1500 };
    ng_cooc_mention *m = calloc(K, sizeof *m);
    for (uint32_t i = 0; i < K; i++)
        m[i] = (ng_cooc_mention){K - 1 - i, 0};
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, K), NG_OK);
    assert_int_equal(ng_cooc_add_document(c, m, K), NG_OK);
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, (size_t)NG_MAX_WINDOW_ENTITIES * (NG_MAX_WINDOW_ENTITIES - 1) / 2);
    assert_int_equal(p[n - 1].b, NG_MAX_WINDOW_ENTITIES - 1);
    assert_int_equal(ng_cooc_entity(c, K - 1)->windows, 1);
    ng_cooc_free(c);
    free(m);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_pair_cap),
        cmocka_unit_test(test_distinct_entities),
        cmocka_unit_test(test_one_document),
        cmocka_unit_test(test_documents_accumulate),
        cmocka_unit_test(test_entity_out_of_range),
        cmocka_unit_test(test_random_against_naive),
        cmocka_unit_test(test_merge_equals_adding),
        cmocka_unit_test(test_dense_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
