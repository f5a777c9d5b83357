/* nergraph/suffix.h: case and possessive endings that may follow a name.
 *
 * Kazakh and Russian (and other agglutinative or inflecting languages) attach
 * endings to names: Қазақстанның, Қытаймен, Казахстана, Китаем. The tables
 * are data (docs/dictionaries.md; the files in dictionaries/suffixes/), one
 * file per language: an alias whose last letter is Cyrillic accepts a chain
 * of the endings of any one Cyrillic table, in vowel harmony with the name
 * where the table says which vowels are back and front, after the final
 * sound it names, and with cases last. Derivational endings (-лық, -ский) are
 * left out on purpose: they make adjectives, not mentions.
 */
#ifndef NERGRAPH_SUFFIX_H
#define NERGRAPH_SUFFIX_H

#include "nergraph/common.h"

typedef struct ng_suffixes ng_suffixes; /* opaque */

typedef enum ng_script { NG_SCRIPT_OTHER = -1, NG_SCRIPT_LATIN = 0, NG_SCRIPT_CYRILLIC,
                         NG_SCRIPT_COUNT } ng_script;

/** Load every *.json table of `dir`; a missing directory gives empty tables.
 *  Errors (file:line:col): NG_EPARSE, NG_EIO, NG_ENOMEM. */
ng_status ng_suffixes_load_dir(ng_suffixes **out, const char *dir);
void ng_suffixes_free(ng_suffixes *s);

/** The script of the last letter of normalised text `s`. */
ng_script ng_script_of_last_letter(const char *s, size_t len);
/** Does `script` have endings? */
int ng_suffixes_any(const ng_suffixes *s, ng_script script);
/** Is `tail` (normalised) a chain of at most max_chain endings of one table
 *  of `script`, in vowel harmony with `stem` (the name it follows) where the
 *  table has harmony? */
int ng_suffixes_accept(const ng_suffixes *s, ng_script script, const char *stem,
                       size_t stem_len, const char *tail, size_t len);
/** May the last character of a name of `script` be dropped before an ending
 *  (Россия → Росси-и, Китай → Кита-я)? `c` is that character, normalised. */
int ng_suffixes_drops(const ng_suffixes *s, ng_script script, const char *c, size_t len);
/** Fewest letters a name must have to take an ending. */
size_t ng_suffixes_min_stem(const ng_suffixes *s);
/** 64-bit FNV-1a over the names and bytes of the tables loaded, in load order. */
uint64_t ng_suffixes_hash(const ng_suffixes *s);

#endif
