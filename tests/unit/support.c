/* support.c: helpers the unit tests share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

ng_dict *ng_test_load_dict(const char *json)
{
    char dir[] = "/tmp/ng_test_dict_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/d.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    ng_dict *d = NULL;
    ng_status st = ng_dict_load_dir(&d, dir);
    unlink(path);
    rmdir(dir);
    if (st != NG_OK)
        fail_msg("dictionary: %s", ng_error_message());
    return d;
}

void ng_test_add_edge(ng_cooc *c, uint32_t a, uint32_t b, uint32_t windows)
{
    ng_cooc_mention *m = calloc(2 * windows, sizeof *m);
    assert_non_null(m);
    for (uint32_t i = 0; i < windows; i++) {
        m[2 * i] = (ng_cooc_mention){a, i};
        m[2 * i + 1] = (ng_cooc_mention){b, i};
    }
    assert_int_equal(ng_cooc_add_document(c, m, 2 * windows), NG_OK);
    free(m);
}

void ng_test_reference_counts(ng_cooc *c)
{
    enum { ASTANA, ATT, KZ, NAZ, RU, TR };
    ng_test_add_edge(c, KZ, RU, 12);
    ng_test_add_edge(c, KZ, TR, 5);
    ng_test_add_edge(c, RU, TR, 9);
    ng_test_add_edge(c, TR, NAZ, 3);
    ng_test_add_edge(c, NAZ, ASTANA, 7);
    ng_test_add_edge(c, NAZ, ATT, 1);
    ng_test_add_edge(c, ASTANA, ATT, 4);
}
