/* nergraph/dict.h: stage 5, the entities and their aliases.
 *
 * Loads every *.json, *.jsonl, *.csv and *.tsv file of a directory (format:
 * docs/dictionaries.md).
 * Entities get dense ids in the byte order of their keys, so everything
 * downstream (vertices, pairs, output) is ordered the same way whatever the
 * file layout. Aliases are normalised with ng_normalize, as texts are.
 */
#ifndef NERGRAPH_DICT_H
#define NERGRAPH_DICT_H

#include "nergraph/common.h"

typedef struct ng_dict ng_dict; /* opaque */

enum {
    NG_ALIAS_DEMONYM = 1 << 0,       /* a derived adjective or ethnonym, not a mention */
    NG_ALIAS_CASE_SENSITIVE = 1 << 1 /* must match with the letter case of the alias */
};

typedef struct ng_fact {
    const char *name;  /* [a-z][a-z0-9_]*, becomes a node attribute */
    const char *value;
} ng_fact;

typedef struct ng_entity {
    const char *key;     /* stable id, [a-z0-9][a-z0-9-]* */
    const char *label;
    ng_category category;
    const ng_fact *facts;
    size_t fact_count;
    const char *roles;   /* "title (from to to); ..." or NULL */
} ng_entity;

/* A word or phrase of a context rule, normalised like texts (folded). */
typedef struct ng_phrase {
    const char *norm;
    size_t len;
    int prefix; /* written with a trailing '*': any word that starts so (тіл* = тілі, тілінің) */
} ng_phrase;

/* When an ambiguous alias is a mention (docs/dictionaries.md#context-rules):
 * one of `require` (if any) and none of `exclude` within `window` words
 * before and/or after the name (`side`), in its sentence. */
#define NG_MAX_CONTEXT_WINDOW 50 /* words: also the reach of a rule without a window */
typedef struct ng_alias_context {
    const ng_phrase *require;
    size_t require_count;
    const ng_phrase *exclude;
    size_t exclude_count;
    uint32_t window; /* words on each side; 0: the sentence, NG_MAX_CONTEXT_WINDOW at most */
    int side;        /* 0: both sides, -1: only before the name, 1: only after it */
} ng_alias_context;

#define NG_NO_ALIAS UINT32_MAX

typedef struct ng_alias {
    uint32_t entity;
    uint32_t flags;        /* NG_ALIAS_* */
    const char *text;      /* as written in the dictionary */
    const char *lang;      /* en kk ru tr ug zh und */
    const char *norm;      /* ng_normalize(text, NG_NORM_FOLD) */
    size_t norm_len;
    const char *cased;     /* ng_normalize(text, 0), for case-sensitive aliases */
    size_t cased_len;
    const ng_alias_context *context; /* NULL: a mention wherever it matches */
    uint32_t same_first;   /* the first alias (by id) with the same `norm` */
    uint32_t same_next;    /* the next one, or NG_NO_ALIAS */
    uint32_t defined;      /* its place in load order (for ng_dict_alias_where) */
} ng_alias;

/** Load all dictionary files of `dir` (sorted by name). Errors name the file
 *  and line:column: NG_EIO, NG_EPARSE (syntax, types, missing fields, duplicate
 *  keys, unknown category or language, empty alias), NG_ELIMIT, NG_ENOMEM. */
ng_status ng_dict_load_dir(ng_dict **out, const char *dir);
void ng_dict_free(ng_dict *d);

size_t ng_dict_entity_count(const ng_dict *d);
/** Borrowed; valid while `d` lives. */
const ng_entity *ng_dict_entity(const ng_dict *d, uint32_t id);
size_t ng_dict_alias_count(const ng_dict *d);
const ng_alias *ng_dict_alias(const ng_dict *d, uint32_t id);
/** The first alias (by id) whose normalised text is `norm` (`len` bytes),
 *  or NG_NO_ALIAS; the others follow through same_next. Time: O(log aliases). */
uint32_t ng_dict_alias_by_norm(const ng_dict *d, const char *norm, size_t len);
/** Entity id of `key`, or -1. */
int64_t ng_dict_find(const ng_dict *d, const char *key);
/** The entity a person means by `name`: its key, else its label or an alias
 *  (compared normalised, so case and look-alike letters do not matter).
 *  Errors: NG_EINVAL naming the entities when `name` is ambiguous or
 *  unknown. Time: O(aliases). */
ng_status ng_dict_lookup(const ng_dict *d, const char *name, uint32_t *out);
/** Where entity `id` (its key) or alias `id` (its text) was defined, as
 *  "file:line:col", into `buf` (JSON files are read again: for messages). */
void ng_dict_entity_where(const ng_dict *d, uint32_t id, char *buf, size_t cap);
void ng_dict_alias_where(const ng_dict *d, uint32_t id, char *buf, size_t cap);
/** Problems found while loading that do not stop it (role periods of one
 *  title that overlap), each "file:line:col: message", in load order. */
size_t ng_dict_problem_count(const ng_dict *d);
const char *ng_dict_problem(const ng_dict *d, size_t i);
/** 64-bit FNV-1a over the bytes of every file loaded, in load order. */
uint64_t ng_dict_hash(const ng_dict *d);

#endif
