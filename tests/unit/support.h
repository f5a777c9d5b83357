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

/** A seeded pseudo-random number (a linear congruential generator). */
uint32_t ng_test_rand(uint32_t *seed);

/** Append `count` syllables drawn from `syl` (n of them) to out at `o`, one
 *  time in `space_every` separated by a space; returns the new length. */
size_t ng_test_random_name(char *out, size_t o, const char *const *syl, size_t n, size_t count,
                           unsigned space_every, uint32_t *seed);

/** A dictionary (JSON, malloc'd) of `entities` places g00000..., each with one
 *  alias of 1 + rand % max_syllables syllables of `syl` in language `lang`,
 *  case-sensitive one time in `case_every` (0: never). */
char *ng_test_random_dict(int entities, const char *const *syl, size_t n, size_t max_syllables,
                          const char *lang, unsigned case_every, uint32_t *seed);

/** Remove the directory `dir` and everything in it (a test's scratch). */
void ng_test_remove_tree(const char *dir);

/** Flip a bit of the byte at `offset` of the file at `path` (counted from
 *  its end if negative), or (truncate_it) cut its last 3 bytes. */
void ng_test_damage_file(const char *path, long offset, int truncate_it);

#endif
