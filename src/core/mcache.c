/* mcache.c: images of compiled matchers, checked before use.
 *
 * An image is a header and the matcher's arrays in a fixed order (see
 * sections()). The first six sections are the patterns: they are not loaded
 * but compared with the ones collected afresh from the dictionary and the
 * ending tables, which is cheap and makes the key exact. The rest is the
 * automaton; its structure is checked so that no index of a damaged image
 * can lead a scan out of its arrays or into a loop, and a checksum over all
 * sections catches the rest. Images are native: the byte order is part of
 * the header.
 */
#include "nergraph/mcache.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cachefile.h"
#include "matcher_internal.h"
#include "outfile.h"

#define FORMAT 3 /* bump when the automaton's layout or meaning changes */
#define SECTIONS 14
#define PATTERN_SECTIONS 6

typedef struct header {
    ng_cache_stamp stamp;
    uint64_t dict_hash;
    uint32_t classes, states, dense, patterns;
    uint64_t joined_len, payload, checksum;
} header;

typedef struct section {
    void *p;
    size_t bytes;
} section;

/* Sections start at multiples of 8 bytes, so mapped arrays are aligned. */
static size_t padded(size_t bytes) { return (bytes + 7) & ~(size_t)7; }

/* The arrays of an image, in file order, with the sizes `m`'s counts give. */
static void sections(const ng_matcher *m, section s[SECTIONS])
{
    size_t P = m->patterns, n = m->states, d = m->dense;
    s[0] = (section){(void *)m->cls, sizeof m->cls};
    s[1] = (section){m->pattern_alias, P * sizeof *m->pattern_alias};
    s[2] = (section){m->pattern_flags, P};
    s[3] = (section){m->pattern_script, P};
    s[4] = (section){m->pattern_joined, P * sizeof *m->pattern_joined};
    s[5] = (section){m->joined, m->joined_len};
    s[6] = (section){m->same, P * sizeof *m->same};
    s[7] = (section){m->delta, d * m->classes * sizeof *m->delta};
    s[8] = (section){m->first, (n + 1) * sizeof *m->first};
    s[9] = (section){m->label, n};
    s[10] = (section){m->fail, (n - d) * sizeof *m->fail};
    s[11] = (section){m->alias, n * sizeof *m->alias};
    s[12] = (section){m->out_link, n * sizeof *m->out_link};
    s[13] = (section){m->depth, n * sizeof *m->depth};
}

/* The header `m` wants; 0 if this program cannot stamp images. */
static int set_header(const ng_matcher *m, header *h)
{
    memset(h, 0, sizeof *h);
    int stamped = ng_cache_stamp_set(&h->stamp, "NGMATCH", FORMAT);
    h->dict_hash = ng_dict_hash(m->dict);
    h->classes = m->classes;
    h->states = m->states;
    h->dense = m->dense;
    h->patterns = m->patterns;
    h->joined_len = m->joined_len;
    return stamped;
}

static ng_status write_image(const ng_matcher *m, const char *path)
{
    header h;
    set_header(m, &h);
    section s[SECTIONS];
    sections(m, s);
    for (int i = 0; i < SECTIONS; i++) {
        h.payload += padded(s[i].bytes);
        h.checksum = ng_cache_hash(h.checksum, s[i].p, s[i].bytes);
    }
    ng_outfile f;
    ng_status st = ng_outfile_open(&f, path);
    if (st != NG_OK)
        return st;
    fwrite(&h, sizeof h, 1, f.fp);
    static const char zeros[8];
    for (int i = 0; i < SECTIONS; i++)
        if (s[i].bytes) {
            fwrite(s[i].p, 1, s[i].bytes, f.fp);
            fwrite(zeros, 1, padded(s[i].bytes) - s[i].bytes, f.fp);
        }
    return ng_outfile_commit(&f);
}

/* Is the automaton loaded into `m` one a scan can run on safely? States
 * are numbered by depth (never shallower than the one before), so a link to
 * an earlier state goes no deeper and a chain of them ends; children are
 * consecutive, later and one level deeper; transitions go at most one level
 * deeper; failure and output links go to earlier states; a state's pattern
 * is as long as the state is deep (a match's start is its end minus that
 * depth); the output flags agree. Every check reads the arrays in order, or
 * (output links, dense rows) a small part of them: a check per state that
 * jumped at random through 3 million states would cost more than the rest
 * of the load. */
static int well_formed(const ng_matcher *m, const uint16_t *pattern_len)
{
    uint32_t n = m->states, d = m->dense, C = m->classes, P = m->patterns;
    if (m->first[n] != n || (m->first[0] & ~OUT_FLAG) != 1 || m->depth[0] != 0)
        return 0;
    for (uint32_t p = 0; p < P; p++)
        if (m->same[p] != NONE && (m->same[p] <= p || m->same[p] >= P))
            return 0;
    uint32_t beyond = 0; /* the first state more than one level below u */
    for (uint32_t u = 0; u < n; u++) {
        uint32_t lo = m->first[u] & ~OUT_FLAG, hi = m->first[u + 1] & ~OUT_FLAG;
        if (lo <= u || lo > hi || hi > n || (u > 0 && m->depth[u] < m->depth[u - 1]))
            return 0;
        for (uint32_t v = lo; v < hi; v++)
            if (m->label[v] >= C || (v > lo && m->label[v] <= m->label[v - 1]) ||
                m->depth[v] != m->depth[u] + 1)
                return 0;
        uint32_t a = m->alias[u], o = m->out_link[u];
        if (a != NONE && (a >= P || pattern_len[a] != m->depth[u]))
            return 0;
        if (o != 0 && (o >= u || m->alias[o] == NONE))
            return 0;
        if (!(m->first[u] & OUT_FLAG) != (a == NONE && o == 0))
            return 0;
        if (u >= d) {
            if (m->fail[u - d] >= u)
                return 0;
            continue;
        }
        while (beyond < n && m->depth[beyond] <= m->depth[u] + 1)
            beyond++;
        const uint32_t *row = &m->delta[(size_t)u * C];
        for (uint32_t c = 0; c < C; c++) {
            uint32_t t = row[c] & ~OUT_FLAG;
            if (t >= beyond || (row[c] & OUT_FLAG) != (m->first[t] & OUT_FLAG))
                return 0;
        }
    }
    return 1;
}

/* well_formed with the patterns' lengths at hand, computed in pattern order
 * (which reads the dictionary's aliases in order) and small enough to stay
 * in cache while states look them up. */
static int checked(const ng_matcher *m)
{
    uint16_t *len = malloc((m->patterns ? m->patterns : 1) * sizeof *len);
    int ok = len != NULL;
    for (uint32_t p = 0; ok && p < m->patterns; p++) {
        size_t n = ng_matcher_pattern_len(m, p);
        len[p] = (uint16_t)n;
        ok = n < UINT16_MAX; /* aliases have at most 200 bytes */
    }
    ok = ok && well_formed(m, len);
    free(len);
    return ok;
}

/* Map the image in `f` and point `m`'s automaton (patterns collected) into
 * it; 1 if the image is the one `want` describes and valid for `m`, else 0
 * with nothing loaded. */
static int load_image(ng_matcher *m, FILE *f, const header *want)
{
    size_t len;
    void *map = ng_cache_map(f, &len);
    if (!map)
        return 0;
    header h;
    if (len >= sizeof h)
        memcpy(&h, map, sizeof h);
    if (len < sizeof h || memcmp(&h.stamp, &want->stamp, sizeof h.stamp) != 0 ||
        h.dict_hash != want->dict_hash || h.classes != want->classes ||
        h.patterns != want->patterns || h.joined_len != want->joined_len || h.states == 0 ||
        h.states >= OUT_FLAG || h.dense == 0 || h.dense > h.states ||
        (size_t)h.dense * h.classes * sizeof(uint32_t) > DENSE_BYTES) {
        munmap(map, len);
        return 0;
    }
    /* sizes from the header's counts; the pointers are set below */
    m->states = h.states;
    m->dense = h.dense;
    m->image = map;
    m->image_len = len;
    section s[SECTIONS];
    sections(m, s);
    size_t payload = 0;
    for (int i = 0; i < SECTIONS; i++)
        payload += padded(s[i].bytes);
    if (h.payload != payload || len != sizeof h + payload) {
        ng_matcher_drop_automaton(m);
        return 0;
    }
    char *at = (char *)map + sizeof h;
    int ok = 1;
    uint64_t sum = 0;
    for (int i = 0; i < SECTIONS; i++) {
        sum = ng_cache_hash(sum, at, s[i].bytes);
        if (i < PATTERN_SECTIONS)
            ok &= s[i].bytes == 0 || memcmp(at, s[i].p, s[i].bytes) == 0;
        s[i].p = at;
        at += padded(s[i].bytes);
    }
    m->same = s[6].p;
    m->delta = s[7].p;
    m->first = s[8].p;
    m->label = s[9].p;
    m->fail = s[10].p;
    m->alias = s[11].p;
    m->out_link = s[12].p;
    m->depth = s[13].p;
    if (!ok || sum != h.checksum || !checked(m) || ng_matcher_index(m) != NG_OK) {
        ng_matcher_drop_automaton(m);
        return 0;
    }
    return 1;
}

const char *ng_mcache_default_dir(char *buf, size_t cap)
{
    const char *env = getenv("NERGRAPH_CACHE_DIR");
    if (env)
        return (size_t)snprintf(buf, cap, "%s", env) < cap ? buf : NULL;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && *xdg)
        n = snprintf(buf, cap, "%s/nergraph", xdg);
    else if (home && *home)
        n = snprintf(buf, cap, "%s/.cache/nergraph", home);
    else
        return NULL;
    return n >= 0 && (size_t)n < cap ? buf : NULL;
}

ng_status ng_mcache_matcher(ng_matcher **out, const ng_dict *dict, const ng_suffixes *suffixes,
                            const char *dict_dir, const char *cache_dir, ng_mcache_result *how)
{
    ng_mcache_result result = NG_MCACHE_OFF;
    char dir_buf[PATH_MAX], path[PATH_MAX + 64];
    int implicit;
    cache_dir = ng_cache_dir(cache_dir, dir_buf, sizeof dir_buf, &implicit);
    ng_status st = ng_matcher_begin(out, dict, suffixes);
    if (st != NG_OK)
        return st;
    ng_matcher *m = *out;
    header want;
    int use = set_header(m, &want) && cache_dir && *cache_dir &&
              (!implicit || m->patterns >= NG_MCACHE_MIN_PATTERNS) &&
              ng_cache_slot(cache_dir, dict_dir, "matcher", path, sizeof path) == 0;
    if (use) {
        FILE *f = fopen(path, "rb");
        result = f ? NG_MCACHE_REBUILT : NG_MCACHE_STORED;
        if (f) {
            int ok = load_image(m, f, &want);
            fclose(f);
            if (ok) {
                if (how)
                    *how = NG_MCACHE_HIT;
                return NG_OK;
            }
        }
    }
    if ((st = ng_matcher_compile(m)) != NG_OK) {
        ng_matcher_free(m);
        *out = NULL;
        return st;
    }
    /* A cache is a convenience: failing to write one is not an error. */
    if (use && (ng_cache_make_dirs(cache_dir) != 0 || write_image(m, path) != NG_OK)) {
        result = NG_MCACHE_UNWRITABLE;
        ng_error_clear();
    }
    if (how)
        *how = result;
    return NG_OK;
}
