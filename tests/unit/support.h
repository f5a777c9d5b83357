/* support.h: helpers the unit tests share (include after <cmocka.h>). */
#ifndef NG_TEST_SUPPORT_H
#define NG_TEST_SUPPORT_H

#include <nergraph.h>

/** Load a dictionary from `json`, written to a temporary directory that is
 *  removed again; fails the test if it does not load. */
ng_dict *ng_test_load_dict(const char *json);

/** Add one document in which `a` and `b` share `windows` windows. */
void ng_test_add_edge(ng_cooc *c, uint32_t a, uint32_t b, uint32_t windows);

/** The 6-vertex reference counts (libraries-and-formats.md §3.8) over
 *  entities 0..5 = astana, att, kz, nazarbayev, ru, tr. */
void ng_test_reference_counts(ng_cooc *c);

#endif
