/* bench/stages.c: CPU time of each stage of tagging, one at a time, over a
 * corpus held in memory (decode, normalise, segment, match). Prints MB/s
 * per stage (best of the runs, thread CPU time, so other load on the
 * machine skews it less than wall time), and a hash of each stage's results
 * (normalised bytes and offsets; sentence spans and paragraphs; matches), so
 * that two builds can be compared for the same results as well as speed.
 * Not a test.
 *
 *   ng_bench_stages DICT_DIR RUNS PATH...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "nergraph.h"

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum { DECODE, NORMALIZE, SEGMENT, MATCH, STAGES };

/* The project's FNV-1a over one 32-bit value. */
static uint64_t mix(uint64_t h, uint32_t v)
{
    return ng_hash_bytes(h, &v, sizeof v);
}
static const char *const stage_names[STAGES] = {"decode", "normalise", "segment", "match"};

static int fail(const char *what)
{
    fprintf(stderr, "ng_bench_stages: %s: %s\n", what, ng_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: ng_bench_stages DICT_DIR RUNS PATH...\n");
        return 2;
    }
    int runs = atoi(argv[2]);
    char suffix_dir[4096];
    snprintf(suffix_dir, sizeof suffix_dir, "%s/suffixes", argv[1]);
    ng_dict *dict;
    ng_suffixes *suffixes;
    ng_matcher *m;
    ng_source_list sources = {0};
    if (ng_init() != NG_OK)
        return fail("init");
    if (ng_dict_load_dir(&dict, argv[1]) != NG_OK ||
        ng_suffixes_load_dir(&suffixes, suffix_dir) != NG_OK ||
        ng_matcher_new(&m, dict, suffixes) != NG_OK)
        return fail(argv[1]);
    if (ng_input_collect(&sources, (const char *const *)argv + 3, (size_t)argc - 3) != NG_OK)
        return fail("corpus");
    ng_bytes *raw = calloc(sources.count, sizeof *raw);
    size_t bytes = 0;
    for (size_t d = 0; d < sources.count; d++) {
        if (ng_input_read(&raw[d], sources.paths[d]) != NG_OK)
            return fail(sources.paths[d]);
        bytes += raw[d].len;
    }
    ng_text text = {0};
    ng_norm norm = {0};
    ng_segments sentences = {0};
    ng_scan_scratch scratch = {0};
    ng_match_vec matches = {0};
    double best[STAGES];
    size_t found = 0;
    uint64_t hash[STAGES];
    for (int s = 0; s < STAGES; s++)
        hash[s] = NG_HASH_SEED;
    for (int s = 0; s < STAGES; s++)
        best[s] = 1e30;
    for (int r = 0; r < runs; r++) {
        double spent[STAGES] = {0};
        found = 0;
        for (size_t d = 0; d < sources.count; d++) {
            double t0 = cpu_seconds();
            if (ng_decode(&text, raw[d].data, raw[d].len, NULL, sources.paths[d]) != NG_OK)
                return fail(sources.paths[d]);
            double t1 = cpu_seconds();
            if (ng_normalize(&norm, text.data, text.len, NG_NORM_FOLD) != NG_OK)
                return fail(sources.paths[d]);
            double t2 = cpu_seconds();
            if (ng_segment_sentences(&sentences, text.data, text.len) != NG_OK)
                return fail(sources.paths[d]);
            double t3 = cpu_seconds();
            if (ng_matcher_scan(m, &norm, text.data, text.len, &scratch, &matches) != NG_OK)
                return fail(sources.paths[d]);
            double t4 = cpu_seconds();
            spent[DECODE] += t1 - t0;
            spent[NORMALIZE] += t2 - t1;
            spent[SEGMENT] += t3 - t2;
            spent[MATCH] += t4 - t3;
            found += matches.count;
            if (r > 0)
                continue;
            for (size_t i = 0; i < text.len; i++)
                hash[DECODE] = mix(hash[DECODE], (unsigned char)text.data[i]);
            for (size_t i = 0; i <= norm.len; i++)
                hash[NORMALIZE] = mix(mix(hash[NORMALIZE], i < norm.len ? (unsigned char)norm.data[i]
                                                                        : 0),
                                      ng_norm_decoded(&norm, i));
            for (size_t i = 0; i < sentences.count; i++)
                hash[SEGMENT] = mix(mix(mix(hash[SEGMENT], sentences.spans[i].start),
                                        sentences.spans[i].end),
                                    sentences.paragraph[i]);
            for (size_t i = 0; i < matches.count; i++) {
                const ng_match *x = &matches.items[i];
                hash[MATCH] = mix(mix(mix(mix(hash[MATCH], x->start), x->end), x->alias), x->name_end);
            }
        }
        for (int s = 0; s < STAGES; s++)
            if (spent[s] < best[s])
                best[s] = spent[s];
    }
    printf("%zu documents, %.1f MB, %zu matches; best of %d runs (thread CPU time)\n",
           sources.count, (double)bytes / 1e6, found, runs);
    double total = 0;
    for (int s = 0; s < STAGES; s++) {
        printf("  %-10s %7.3f s  %8.1f MB/s  results %016llx\n", stage_names[s], best[s],
               (double)bytes / 1e6 / best[s], (unsigned long long)hash[s]);
        total += best[s];
    }
    printf("  %-10s %7.3f s  %8.1f MB/s\n", "together", total, (double)bytes / 1e6 / total);
    for (size_t d = 0; d < sources.count; d++)
        ng_bytes_destroy(&raw[d]);
    free(raw);
    ng_text_destroy(&text);
    ng_norm_destroy(&norm);
    ng_segments_destroy(&sentences);
    ng_scan_scratch_destroy(&scratch);
    ng_match_vec_destroy(&matches);
    ng_source_list_destroy(&sources);
    ng_matcher_free(m);
    ng_suffixes_free(suffixes);
    ng_dict_free(dict);
    return 0;
}
