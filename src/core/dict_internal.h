/* dict_internal.h: the loaded dictionary, shared by the loader (dict.c) and
 * the cache of its images (dcache.c). */
#ifndef NG_DICT_INTERNAL_H
#define NG_DICT_INTERNAL_H

#include "arena.h"
#include "nergraph/dict.h"
#include "nergraph/normalize.h"

#define NG_DICT_LANGUAGES 7
/* en kk ru tr ug zh und: ng_alias.lang points at one of these */
extern const char *const ng_dict_languages[NG_DICT_LANGUAGES];

/* Where an entity or alias was defined: entities[index] (and its
 * aliases[alias]) of a JSON file (line 0), else the line:col of its key or
 * text (JSON Lines, tables). */
typedef struct ng_dict_origin {
    uint32_t file, index, alias, line, col;
} ng_dict_origin;

struct ng_dict {
    ng_arena strings;
    ng_entity *entities;
    size_t entity_count, entity_cap;
    ng_alias *aliases;
    size_t alias_count, alias_cap;
    uint32_t *by_norm; /* alias ids by normalised text, then id */
    ng_alias_context **rules; /* one block each (rule and its phrases), so aliases keep
                                 pointing at them while the list grows */
    size_t rule_count, rule_cap;
    ng_fact *facts; /* entities point into this once loading is done */
    size_t fact_count, fact_cap;
    size_t *fact_first; /* per entity, index of its first fact, during loading */
    size_t fact_first_cap;
    ng_dict_origin *origin; /* by entity id */
    size_t origin_cap;
    ng_dict_origin *alias_origin; /* by ng_alias.defined */
    size_t alias_origin_cap;
    char **paths; /* of the files, in load order */
    size_t path_count;
    const char **problems; /* "file:line:col: message" found while loading (arena) */
    uint32_t *problem_file; /* per problem, the file (its message starts with the path) */
    size_t problem_count, problem_cap, problem_file_cap;
    uint32_t file_index, entity_index; /* of the entity being loaded */
    uint64_t hash; /* ng_dict_hash */
    uint64_t key;  /* ng_dict_file_key over the files, in load order: the image cache's key */
    ng_norm scratch;
    /* Loaded from an image (dcache.c): strings, by_norm and the origins point
     * into its mapping, the other arrays into one mapped block. */
    void *image, *block;
    size_t image_len, block_len;
};

/** The dictionary files of `dir` (by extension, no hidden ones), as
 *  "dir/name", sorted by name: the files ng_dict_load_dir reads, in its
 *  order. Errors: NG_EIO (none, or the directory unreadable), NG_ENOMEM. */
ng_status ng_dict_list_files(const char *dir, char ***paths, size_t *count);
void ng_dict_free_paths(char **paths, size_t count);

/** The image cache's key `h` continued over one file: its name (without
 *  the directory) and its bytes. */
uint64_t ng_dict_file_key(uint64_t h, const char *path, const void *bytes, size_t len);

#endif
