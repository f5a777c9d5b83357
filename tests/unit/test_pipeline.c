/* test_pipeline.c: input enumeration and one document through every stage,
 * checking the offsets of the mention contract on UTF-8, UTF-16 and damaged
 * input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nergraph.h>

#include "support.h"

static char root[64];

static void write_file(const char *rel, const char *bytes, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    strcpy(root, "/tmp/ng_test_pipeline_XXXXXX");
    if (!mkdtemp(root))
        return -1;
    char p[256];
    snprintf(p, sizeof p, "%s/dict", root);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/docs", root);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/docs/sub", root);
    mkdir(p, 0777);
    const char *dict =
        "{\"nergraph_dictionary\": 1, \"entities\": [\n"
        " {\"key\": \"china\", \"label\": \"China\", \"category\": \"state\", \"aliases\": "
        "[{\"text\": \"China\", \"lang\": \"en\"}, {\"text\": \"Chinese\", \"lang\": \"en\", "
        "\"demonym\": true}]},\n"
        " {\"key\": \"kazakhstan\", \"label\": \"Kazakhstan\", \"category\": \"state\", \"aliases\": "
        "[{\"text\": \"Kazakhstan\", \"lang\": \"en\"}, {\"text\": \"Қазақстан\", \"lang\": \"kk\"}]}\n"
        "]}\n";
    write_file("dict/d.json", dict, strlen(dict));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ng_test_remove_tree(root);
    return 0;
}

static void test_collect_sorted(void **state)
{
    (void)state;
    write_file("docs/b.txt", "x", 1);
    write_file("docs/a.txt", "x", 1);
    write_file("docs/sub/c.txt", "x", 1);
    write_file("docs/.hidden", "x", 1);
    char docs[128], b[128];
    snprintf(docs, sizeof docs, "%s/docs", root);
    snprintf(b, sizeof b, "%s/docs/b.txt", root);
    /* one order whatever the order of the arguments; a path named twice once */
    const char *paths[] = {b, docs, "-"};
    ng_source_list list = {0};
    assert_int_equal(ng_input_collect(&list, paths, 3), NG_OK);
    assert_int_equal(list.count, 4);
    assert_string_equal(list.paths[0], "-");
    const char *want[] = {"/docs/a.txt", "/docs/b.txt", "/docs/sub/c.txt"};
    for (size_t i = 0; i < 3; i++) {
        assert_true(strncmp(list.paths[i + 1], root, strlen(root)) == 0);
        assert_string_equal(list.paths[i + 1] + strlen(root), want[i]);
    }
    ng_source_list_destroy(&list);

    const char *missing[] = {"/nonexistent/corpus"};
    assert_int_equal(ng_input_collect(&list, missing, 1), NG_EIO);
    assert_non_null(strstr(ng_error_message(), "/nonexistent/corpus"));
    ng_source_list_destroy(&list);
    /* a directory without documents is an error, not an empty corpus */
    char empty[128], only[160];
    snprintf(empty, sizeof empty, "%s/docs/sub", root);
    snprintf(only, sizeof only, "%s/c.txt", empty);
    unlink(only);
    const char *none[] = {empty};
    assert_int_equal(ng_input_collect(&list, none, 1), NG_EIO);
    assert_non_null(strstr(ng_error_message(), "no documents"));
    ng_source_list_destroy(&list);
}

/* Run one file and check every mention against its bytes. */
static void run(const char *name, const char *bytes, size_t len, const char *encoding,
                const char *const *surfaces, size_t expected)
{
    write_file(name, bytes, len);
    char path[256], dict_dir[128];
    snprintf(path, sizeof path, "%s/%s", root, name);
    snprintf(dict_dir, sizeof dict_dir, "%s/dict", root);
    ng_dict *dict;
    ng_matcher *m;
    assert_int_equal(ng_dict_load_dir(&dict, dict_dir), NG_OK);
    assert_int_equal(ng_matcher_new(&m, dict, NULL), NG_OK);
    ng_pipeline_options opts = NG_PIPELINE_OPTIONS_INIT;
    opts.encoding = encoding;
    ng_doc doc = {0};
    assert_int_equal(ng_doc_run(&doc, path, dict, m, &opts), NG_OK);
    assert_int_equal(doc.mention_count, expected);
    for (size_t i = 0; i < doc.mention_count; i++) {
        const ng_mention *x = &doc.mentions[i];
        /* the decoded surface is what the dictionary named */
        size_t n = x->text.end - x->text.start;
        assert_int_equal(n, strlen(surfaces[i]));
        assert_memory_equal(doc.text.data + x->text.start, surfaces[i], n);
        /* source offsets lie in the file and inside the sentence */
        assert_true(x->source.start < x->source.end && x->source.end <= len);
        assert_true(x->sentence_span.start <= x->source.start);
        assert_true(x->source.end <= x->sentence_span.end);
        if (!encoding && doc.text.map == NULL) /* UTF-8: the bytes themselves */
            assert_memory_equal(bytes + x->source.start, surfaces[i], n);
    }
    /* every mention counted once per sentence */
    ng_cooc *c;
    assert_int_equal(ng_cooc_new(&c, ng_dict_entity_count(dict)), NG_OK);
    assert_int_equal(ng_doc_count(&doc, c, &(ng_window_spec)NG_WINDOW_SPEC_INIT), NG_OK);
    uint64_t total = 0;
    for (uint32_t e = 0; e < ng_dict_entity_count(dict); e++)
        total += ng_cooc_entity(c, e)->mentions;
    assert_int_equal(total, expected);
    ng_cooc_free(c);
    ng_doc_destroy(&doc);
    ng_matcher_free(m);
    ng_dict_free(dict);
}

static void test_utf8(void **state)
{
    (void)state;
    const char *text = "China and Kazakhstan. Chinese food.\n\nҚазақстан мен China.\n";
    const char *want[] = {"China", "Kazakhstan", "Қазақстан", "China"};
    run("docs/u.txt", text, strlen(text), NULL, want, 4);
}

static void test_utf16_offsets(void **state)
{
    (void)state;
    /* "\uFEFFKazakhstan и China" as UTF-16LE: 2 bytes a character after the BOM */
    const char *s = "Kazakhstan и China";
    char buf[64];
    size_t n = 0;
    buf[n++] = (char)0xFF;
    buf[n++] = (char)0xFE;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp = *p < 0x80 ? *p++ : (unsigned)(((p[0] & 0x1F) << 6) | (p[1] & 0x3F));
        if (cp >= 0x80)
            p += 2;
        buf[n++] = (char)(cp & 0xFF);
        buf[n++] = (char)(cp >> 8);
    }
    const char *want[] = {"Kazakhstan", "China"};
    write_file("docs/w.txt", buf, n);
    run("docs/w.txt", buf, n, NULL, want, 2);
    /* Kazakhstan is at bytes [2, 22), China at [2 + 13 * 2, 2 + 18 * 2) */
    char path[256], dict_dir[128];
    snprintf(path, sizeof path, "%s/docs/w.txt", root);
    snprintf(dict_dir, sizeof dict_dir, "%s/dict", root);
    ng_dict *dict;
    ng_matcher *m;
    assert_int_equal(ng_dict_load_dir(&dict, dict_dir), NG_OK);
    assert_int_equal(ng_matcher_new(&m, dict, NULL), NG_OK);
    ng_pipeline_options opts = NG_PIPELINE_OPTIONS_INIT;
    ng_doc doc = {0};
    assert_int_equal(ng_doc_run(&doc, path, dict, m, &opts), NG_OK);
    assert_int_equal(doc.mentions[0].source.start, 2);
    assert_int_equal(doc.mentions[0].source.end, 22);
    assert_int_equal(doc.mentions[1].source.start, 28);
    assert_int_equal(doc.mentions[1].source.end, 38);
    ng_doc_destroy(&doc);
    ng_matcher_free(m);
    ng_dict_free(dict);
}

static void test_invalid_bytes_keep_offsets(void **state)
{
    (void)state;
    /* A stray 0xFF before the name must not shift its offsets. */
    const char text[] = "\xFF China \xC3 Kazakhstan";
    const char *want[] = {"China", "Kazakhstan"};
    run("docs/bad.txt", text, sizeof text - 1, NULL, want, 2);
}

/* Pair windows and windows naming `china` for a sliding window of n tokens
 * over "China. Kazakhstan x y z China.": tokens 0, 1 and 5. */
static void count_window(const char *window, uint64_t want_pair, uint64_t want_china,
                         uint64_t want_total)
{
    const char *text = "China. Kazakhstan x y z China.\n";
    write_file("docs/t.txt", text, strlen(text));
    char path[256], dict_dir[128];
    snprintf(path, sizeof path, "%s/docs/t.txt", root);
    snprintf(dict_dir, sizeof dict_dir, "%s/dict", root);
    ng_dict *dict;
    ng_matcher *m;
    ng_cooc *c;
    assert_int_equal(ng_dict_load_dir(&dict, dict_dir), NG_OK);
    assert_int_equal(ng_matcher_new(&m, dict, NULL), NG_OK);
    assert_int_equal(ng_cooc_new(&c, ng_dict_entity_count(dict)), NG_OK);
    ng_pipeline_options opts = NG_PIPELINE_OPTIONS_INIT;
    assert_int_equal(ng_window_parse(window, &opts.window), 0);
    ng_doc doc = {0};
    assert_int_equal(ng_doc_run(&doc, path, dict, m, &opts), NG_OK);
    assert_int_equal(doc.mention_count, 3);
    assert_int_equal(ng_doc_count(&doc, c, &opts.window), NG_OK);
    const ng_pair *p;
    size_t n;
    assert_int_equal(ng_cooc_pairs(c, &p, &n), NG_OK);
    assert_int_equal(n, want_pair ? 1 : 0);
    if (n)
        assert_int_equal(p[0].windows, want_pair);
    assert_int_equal(ng_cooc_entity(c, 0)->windows, want_china);
    assert_int_equal(ng_cooc_window_total(c), want_total);
    ng_cooc_free(c);
    ng_doc_destroy(&doc);
    ng_matcher_free(m);
    ng_dict_free(dict);
}

static void test_token_windows(void **state)
{
    (void)state;
    /* a window from each mention: China(0) sees Kazakhstan(1) within 2 tokens */
    count_window("tokens:2", 1, 2, 3);
    /* within 5 tokens Kazakhstan(1) also sees China(5); China(0) does not */
    count_window("tokens:5", 2, 3, 3);
    count_window("tokens:6", 2, 3, 3);
    count_window("tokens:1", 0, 2, 3);
    count_window("sentence", 1, 2, 2);
    count_window("document", 1, 1, 1);
    ng_window_spec w;
    assert_int_equal(ng_window_parse("tokens:0", &w), -1);
    assert_int_equal(ng_window_parse("tokens:1001", &w), -1);
    assert_int_equal(ng_window_parse("tokens:+5", &w), -1);
    assert_int_equal(ng_window_parse("tokens", &w), -1);
    assert_int_equal(ng_window_parse("tokens:1000", &w), 0);
    char name[NG_WINDOW_NAME_BYTES];
    assert_string_equal(ng_window_format(&w, name), "tokens:1000");
}

/* ---- progress: once per document, in corpus order, skipped files too ---- */

static struct {
    size_t calls, done[8], total[8];
    uint64_t bytes[8];
} seen;

static void record(size_t done, size_t total, uint64_t bytes, void *userdata)
{
    (void)userdata;
    if (seen.calls < 8) {
        seen.done[seen.calls] = done;
        seen.total[seen.calls] = total;
        seen.bytes[seen.calls] = bytes;
    }
    seen.calls++;
}

static void check_progress(const uint64_t *want_bytes)
{
    assert_int_equal(seen.calls, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(seen.done[i], i + 1);
        assert_int_equal(seen.total[i], 3);
        assert_int_equal(seen.bytes[i], want_bytes[i]);
    }
    memset(&seen, 0, sizeof seen);
}

static void test_progress_and_binary_corpus(void **state)
{
    (void)state;
    char p[128], dict_dir[128], out_dir[128], bin[256];
    snprintf(p, sizeof p, "%s/progress", root);
    mkdir(p, 0777);
    const char a[] = "China and Kazakhstan.\n", c[] = "Қазақстан.\n";
    char b[300];
    memset(b, 0, sizeof b); /* NUL bytes only: a binary file, skipped */
    write_file("progress/a.txt", a, sizeof a - 1);
    write_file("progress/b.bin", b, sizeof b);
    write_file("progress/c.txt", c, sizeof c - 1);
    uint64_t want[] = {sizeof a - 1, sizeof a - 1 + sizeof b, sizeof a - 1 + sizeof b + sizeof c - 1};
    snprintf(dict_dir, sizeof dict_dir, "%s/dict", root);
    snprintf(out_dir, sizeof out_dir, "%s/out", root);
    const char *paths[] = {p};
    ng_pipeline_options opts = NG_PIPELINE_OPTIONS_INIT;
    opts.dict_dir = dict_dir;
    opts.out_dir = out_dir;
    opts.paths = paths;
    opts.path_count = 1;
    opts.progress = record;
    FILE *sink = fopen("/dev/null", "w");
    assert_non_null(sink);
    assert_int_equal(ng_pipeline_tag(&opts, sink), NG_OK);
    check_progress(want);
    opts.threads = 2;
    assert_int_equal(ng_pipeline_build(&opts), NG_OK);
    check_progress(want);
    /* nothing but binary files: an error, not an empty network */
    snprintf(bin, sizeof bin, "%s/b.bin", p);
    paths[0] = bin;
    assert_int_equal(ng_pipeline_tag(&opts, sink), NG_EIO);
    assert_non_null(strstr(ng_error_message(), "b.bin: no text documents: 1 binary file skipped"));
    assert_int_equal(ng_pipeline_build(&opts), NG_EIO);
    fclose(sink);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    ng_set_warning_handler(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collect_sorted),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf16_offsets),
        cmocka_unit_test(test_invalid_bytes_keep_offsets),
        cmocka_unit_test(test_token_windows),
        cmocka_unit_test(test_progress_and_binary_corpus),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
