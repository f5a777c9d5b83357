/* matcher_internal.h: the compiled automaton, shared by the matcher and
 * the cache of its images (mcache.c). See matcher.c for how it works. */
#ifndef NG_MATCHER_INTERNAL_H
#define NG_MATCHER_INTERNAL_H

#include "nergraph/matcher.h"

#define NONE UINT32_MAX
#define OUT_FLAG 0x80000000u
/* Dense rows: states at most this deep, within the byte budget (a few MB:
 * the hot rows stay in cache; deeper states are rare in a scan). */
#define DENSE_DEPTH 3
#define DENSE_BYTES ((size_t)8 << 20)

enum {
    NEEDS_ENDING = 1, /* a stem: matches only with an ending */
    JOINED = 2        /* the alias without a hyphen the dictionary writes before a small
                         letter: the form a PDF's line-break hyphen leaves once joined */
};

struct ng_matcher {
    const ng_dict *dict;
    const ng_suffixes *suffixes;
    uint32_t patterns;
    uint32_t *pattern_alias;   /* per pattern: its alias */
    uint8_t *pattern_flags;    /* per pattern: NEEDS_ENDING */
    int8_t *pattern_script;    /* per pattern: script whose endings it takes, or -1 */
    uint32_t *pattern_joined;  /* per JOINED pattern: offset of its text in `joined` */
    char *joined;              /* texts of the JOINED patterns, NUL-separated */
    size_t joined_len, joined_cap;
    uint8_t cls[256];
    uint32_t classes;
    uint32_t states;
    uint32_t dense;     /* states [0, dense) have rows in `delta` */
    uint32_t *delta;    /* dense x classes; next state | OUT_FLAG */
    uint32_t *first;    /* states + 1: first trie child (children are consecutive) | OUT_FLAG
                           when the state has an output */
    uint8_t *label;     /* per state: byte class of the edge into it */
    uint32_t *fail;     /* per deep state (index - dense): failure link */
    uint32_t *alias;    /* pattern ending exactly at the state, or NONE */
    uint32_t *same;     /* per pattern: the next pattern with the same normalised text, or NONE */
    uint32_t *out_link; /* nearest proper suffix state with an alias, or 0 */
    uint32_t *depth;    /* bytes from the root */
    void *image;        /* a mapped cache image the automaton's arrays (same .. depth) point
                           into (mcache.c), or NULL: they are allocated */
    size_t image_len;
    /* Derived from the automaton when it is compiled or loaded, not imaged: */
    uint32_t level[DENSE_DEPTH + 2]; /* the first state of each depth up to one below the
                                        dense rows (states are numbered by depth) */
    uint64_t *triples; /* open addressing: key c0 << 16 | c1 << 8 | c2 (never 0) << 32 |
                          the state three levels deep those classes lead to | OUT_FLAG */
    uint32_t triples_mask;
    /* The byte-class pairs that open a pattern of one or two bytes (bit c0 << 8 | c1):
     * from the patterns, at ng_matcher_begin. */
    uint8_t short_starts[(256 * 256) / 8];
};

/** A matcher with its patterns collected (from the dictionary and the ending
 *  tables) but no automaton yet. Errors: NG_ENOMEM. */
ng_status ng_matcher_begin(ng_matcher **out, const ng_dict *dict, const ng_suffixes *suffixes);
/** Build the automaton of a matcher from ng_matcher_begin. Errors: NG_ENOMEM, NG_ELIMIT. */
ng_status ng_matcher_compile(ng_matcher *m);
/** Derive `level` and `triples` from the automaton (after compiling it or
 *  loading an image). Errors: NG_ENOMEM. */
ng_status ng_matcher_index(ng_matcher *m);
/** Unmap the image, or free the automaton's arrays; leaves them NULL. */
void ng_matcher_drop_automaton(ng_matcher *m);
/** Bytes of pattern `p`: the depth of the state where it ends. */
size_t ng_matcher_pattern_len(const ng_matcher *m, uint32_t p);

#endif
