/* test_partial.c: stage 7b, partials written and merged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ng-partial-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ng_test_remove_tree(dir);
    return 0;
}

static const char *path_of(const char *name)
{
    static char buf[4][128];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void write_text(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *name)
{
    FILE *f = fopen(path_of(name), "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static const ng_partial_settings settings = {0x1234, 0, NG_WINDOW_SPEC_INIT, 0, "auto"};

/* A partial with entity counts e[i] for keys "k0".."k5" and the pair
 * (k0, k1) counted `pair` times, of documents named "doc-<tag>". */
static void write_partial(const char *name, const char *tag, const uint64_t *e, uint64_t pair,
                          uint32_t date)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    ng_partial_writer w;
    ng_partial_writer_init(&w, f);
    assert_int_equal(ng_partial_write_header(&w, &settings), NG_OK);
    char doc[32];
    snprintf(doc, sizeof doc, "doc-%s", tag);
    assert_int_equal(ng_partial_write_document(&w, doc, 0, "k0=1"), NG_OK);
    assert_int_equal(ng_partial_write_document_line(&w, doc, 'm', 0, "{\"a\":1}", 7), NG_OK);
    uint64_t docs = 0;
    for (int i = 0; i < 6; i++) {
        char key[8];
        snprintf(key, sizeof key, "k%d", i);
        ng_entity_counts c = {e[i], e[i] ? 1 : 0, e[i], e[i] ? date : 0, e[i] ? date : 0};
        if (e[i])
            assert_int_equal(ng_partial_write_entity(&w, key, &c), NG_OK);
        docs += c.documents;
    }
    ng_pair p = {.windows = pair, .documents = pair ? 1 : 0, .first = date, .last = date};
    if (pair)
        assert_int_equal(ng_partial_write_pair(&w, "k0", "k1", &p), NG_OK);
    assert_int_equal(ng_partial_write_totals(&w, 1, docs), NG_OK);
    assert_int_equal(ng_partial_write_trailer(&w), NG_OK);
    ng_partial_writer_destroy(&w);
    fclose(f);
}

static ng_status merge_to(const char *out, const char *const *names, size_t n)
{
    const char *paths[8];
    char copies[8][128];
    for (size_t i = 0; i < n; i++) {
        snprintf(copies[i], sizeof copies[i], "%s", path_of(names[i]));
        paths[i] = copies[i];
    }
    FILE *f = fopen(path_of(out), "wb");
    assert_non_null(f);
    ng_partial_writer w;
    ng_partial_writer_init(&w, f);
    ng_partial_sink sink = ng_partial_sink_writer(&w);
    ng_status st = ng_partial_merge(paths, n, &sink);
    if (st == NG_OK)
        st = ng_partial_write_trailer(&w);
    ng_partial_writer_destroy(&w);
    fclose(f);
    return st;
}

/* Sums over shards, in any grouping and order: the same bytes. */
static void test_merge_is_associative_and_commutative(void **state)
{
    (void)state;
    static const uint64_t a[6] = {1, 2, 0, 0, 5, 0}, b[6] = {3, 0, 0, 4, 0, 0},
                          c[6] = {0, 7, 1, 0, 0, 9};
    write_partial("a", "a", a, 2, 20190301);
    write_partial("b", "b", b, 0, 0);
    write_partial("c", "c", c, 5, 20170101);
    assert_int_equal(merge_to("ab", (const char *[]){"a", "b"}, 2), NG_OK);
    assert_int_equal(merge_to("ab_c", (const char *[]){"ab", "c"}, 2), NG_OK);
    assert_int_equal(merge_to("bc", (const char *[]){"c", "b"}, 2), NG_OK);
    assert_int_equal(merge_to("a_bc", (const char *[]){"bc", "a"}, 2), NG_OK);
    assert_int_equal(merge_to("cba", (const char *[]){"c", "b", "a"}, 3), NG_OK);
    char *want = strdup(read_text("ab_c"));
    assert_string_equal(read_text("a_bc"), want);
    assert_string_equal(read_text("cba"), want);
    /* k0: 1 + 3; k1: 2 + 7; the pair's windows 2 + 5, dates widened */
    assert_non_null(strstr(want, "\ne:k0\t4\t2\t4\t20190301\t20190301\n"));
    assert_non_null(strstr(want, "\ne:k1\t9\t2\t9\t20170101\t20190301\n"));
    assert_non_null(strstr(want, "\np:k0,k1\t7\t2\t20170101\t20190301\n"));
    assert_non_null(strstr(want, "\nt\t3\t"));
    assert_non_null(strstr(want, "d:doc-a\tm0000000000\t{\"a\":1}\n"));
    free(want);
}

/* Each damage: NG_EPARSE and a message naming the file and what is wrong. */
static void test_damaged_partials(void **state)
{
    (void)state;
    static const uint64_t a[6] = {1, 2, 0, 0, 0, 0};
    write_partial("good", "g", a, 1, 0);
    const char *good = read_text("good");
    static const struct {
        const char *from, *to, *message;
    } cases[] = {
        {"nergraph-partial\t1", "nergraph-partial\t2", "format version 2"},
        {"t\t1\t", "x\t1\t", "unknown record 'x'"},
        {"e:k0\t1\t1\t1\t0\t0", "e:k0\t1\t1\t1\t0", "with 4 fields where 5 are expected"},
        {"e:k1\t2\t1\t2\t0\t0", "e:k1\t2\t1\t2\t0\t0\t9", "more than 5 fields"},
        {"e:k0\t1\t1\t1\t0\t0", "e:k0\t1\t1\t1\t99999999999\t0", "out of range"},
        {"p:k0,k1", "p:k0", "a pair key without two entities"},
        {"d:doc-g\tm0000000000\t{", "d:doc-g\tm00000000x0\t{", "is not a count"},
        {"d:doc-g\t0\ttext", "d:doc-g\t0\tpdf", "where text or binary is expected"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = malloc(strlen(good) + 64);
        const char *at = strstr(good, cases[i].from);
        assert_non_null(at);
        sprintf(text, "%.*s%s%s", (int)(at - good), good, cases[i].to,
                at + strlen(cases[i].from));
        write_text("bad", text);
        free(text);
        ng_partial_sink sink = {0};
        const char *p = path_of("bad");
        assert_int_equal(ng_partial_merge(&p, 1, &sink), NG_EPARSE);
        if (!strstr(ng_error_message(), cases[i].message) || !strstr(ng_error_message(), "bad: byte "))
            fail_msg("case %zu: %s", i, ng_error_message());
    }
}

typedef struct recorded {
    uint64_t mentions, windows, documents;
    char doc[32], incidence[32];
    int lines;
} recorded;

static ng_status on_entity(void *u, const char *key, const ng_entity_counts *c)
{
    recorded *r = u;
    if (!strcmp(key, "k1"))
        r->mentions = c->mentions;
    return NG_OK;
}

static ng_status on_document(void *u, const char *doc, int binary, const char *incidence)
{
    recorded *r = u;
    assert_false(binary);
    snprintf(r->doc, sizeof r->doc, "%s", doc);
    snprintf(r->incidence, sizeof r->incidence, "%s", incidence);
    return NG_OK;
}

static ng_status on_line(void *u, const char *doc, char kind, uint64_t seq, const char *json,
                         size_t len)
{
    recorded *r = u;
    assert_string_equal(doc, "doc-r");
    assert_int_equal(kind, 'm');
    assert_int_equal(seq, 0);
    assert_int_equal(len, 7);
    assert_memory_equal(json, "{\"a\":1}", 7);
    r->lines++;
    return NG_OK;
}

static ng_status on_totals(void *u, uint64_t documents, uint64_t windows)
{
    recorded *r = u;
    r->documents = documents;
    r->windows = windows;
    return NG_OK;
}

/* The sink sees every record, parsed. */
static void test_sink_gets_records(void **state)
{
    (void)state;
    static const uint64_t a[6] = {0, 6, 0, 0, 0, 2};
    write_partial("r", "r", a, 0, 0);
    recorded r = {0};
    ng_partial_sink sink = {NULL, on_document, on_line, on_entity, NULL, on_totals, &r};
    const char *p = path_of("r");
    assert_int_equal(ng_partial_merge(&p, 1, &sink), NG_OK);
    assert_string_equal(r.doc, "doc-r");
    assert_string_equal(r.incidence, "k0=1");
    assert_int_equal(r.lines, 1);
    assert_int_equal(r.mentions, 6);
    assert_int_equal(r.documents, 1);
    assert_int_equal(r.windows, 2);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(ng_partial_name_ok("corpus/a b, é.txt"));
    assert_false(ng_partial_name_ok(""));
    assert_false(ng_partial_name_ok("a\tb"));
    assert_false(ng_partial_name_ok("a\nb"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_is_associative_and_commutative),
        cmocka_unit_test(test_damaged_partials),
        cmocka_unit_test(test_sink_gets_records),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
