/* nergraph/common.h: types and bounds shared by every stage. */
#ifndef NERGRAPH_COMMON_H
#define NERGRAPH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "nergraph/error.h"

/* Documented bounds (docs/ARCHITECTURE.md#limits). Offsets are 32-bit, so a
 * document may not exceed 1 GiB of input; normalised text of it fits too. */
#define NG_MAX_DOCUMENT_BYTES ((size_t)1 << 30)
#define NG_MAX_DICT_FILE_BYTES ((size_t)256 << 20)
#define NG_MAX_ALIAS_BYTES 200
#define NG_MAX_ALIASES_PER_ENTITY 1000
/* Pairs are counted among at most this many distinct entities of one window
 * (the first by key): 1000 entities are 499,500 pairs. */
#define NG_MAX_WINDOW_ENTITIES 1000
/* The longest sliding window, in tokens (--window tokens:N). */
#define NG_MAX_WINDOW_TOKENS 1000
/* Arrays and objects in one JSON file (dictionaries, ending tables, the
 * configuration need 5 at most); cJSON's own limit is 1000. */
#define NG_MAX_JSON_DEPTH 32

typedef enum ng_category {
    NG_CATEGORY_PERSON = 0,
    NG_CATEGORY_STATE,
    NG_CATEGORY_ORGANIZATION,
    NG_CATEGORY_PLACE,
    NG_CATEGORY_COUNT
} ng_category;

/** "person", "state", "organization", "place". */
const char *ng_category_name(ng_category c);
/** Parse a category name; returns -1 if unknown. */
int ng_category_parse(const char *name);

/** A half-open byte range [start, end). */
typedef struct ng_span {
    uint32_t start;
    uint32_t end;
} ng_span;

/** Library version, "MAJOR.MINOR.PATCH". */
const char *ng_version(void);

/** Once per process, before any other call: installs igraph's error and
 *  warning handlers and attribute table and builds the folding tables. */
ng_status ng_init(void);

#endif
