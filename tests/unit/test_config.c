/* test_config.c: per-document settings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nergraph.h>

static char path[64];

static ng_status load(const char *json, ng_config **c)
{
    strcpy(path, "/tmp/ng_test_config_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    ng_status st = ng_config_load(c, path);
    unlink(path);
    return st;
}

static void test_lookup(void **state)
{
    (void)state;
    ng_config *c;
    assert_int_equal(load("{\"nergraph_config\": 1, \"documents\": {\n"
                          "  \"corpus/\": {\"encoding\": \"CP1251\"},\n"
                          "  \"corpus/kk/\": {\"encoding\": \"KZ-1048\", \"date\": \"2020-01-02\"},\n"
                          "  \"corpus/kk/a.txt\": {\"encoding\": \"PT154\"}}}\n",
                          &c),
                     NG_OK);
    assert_string_equal(ng_config_encoding(c, "corpus/x.txt"), "CP1251");
    assert_string_equal(ng_config_encoding(c, "corpus/kk/b.txt"), "KZ-1048");
    assert_string_equal(ng_config_encoding(c, "corpus/kk/a.txt"), "PT154");
    assert_string_equal(ng_config_date(c, "corpus/kk/a.txt"), "2020-01-02");
    assert_null(ng_config_date(c, "corpus/x.txt"));
    assert_null(ng_config_encoding(c, "other/x.txt"));
    assert_null(ng_config_encoding(c, "corpusx/y.txt")); /* "corpus/" is a directory */
    assert_null(ng_config_encoding(NULL, "corpus/x.txt"));
    ng_config_free(c);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"{\"nergraph_config\": 1, \"documents\": {\"a\": {\"date\": \"2019-13-01\"}}}",
         ":1:52: a date is YYYY-MM-DD, not 2019-13-01"},
        {"{\"nergraph_config\": 1, \"documents\": {\"a\": {\"encoding\": \"NO-SUCH\"}}}",
         ":1:56: unknown encoding NO-SUCH"},
        {"{\"nergraph_config\": 1,\n \"docs\": {}}", ":2:10: unknown member docs"},
        {"{\"nergraph_config\": 2}", ":1:1: \"nergraph_config\" must be 1"},
        {"{\"nergraph_config\": 1, \"documents\": {\"a\": {\"lang\": \"kk\"}}}",
         ":1:52: unknown setting lang"},
        {"[1, 2", ":1:5: invalid JSON"},
        {"\n [1, 2]", ":2:2: the configuration must be a JSON object"},
        {"{} {}", ":1:4: invalid JSON (text after the configuration)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ng_config *c = (ng_config *)1;
        assert_int_equal(load(cases[i].json, &c), NG_EPARSE);
        assert_null(c);
        const char *msg = ng_error_message();
        if (strncmp(msg, path, strlen(path)) != 0 || strcmp(msg + strlen(path), cases[i].message))
            fail_msg("case %zu: %s", i, msg);
    }
    ng_config *c;
    assert_int_equal(ng_config_load(&c, "/nonexistent/nergraph.json"), NG_EIO);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
