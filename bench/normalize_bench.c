/* normalize_bench.c: ng_normalize alone on a corpus.
 *
 * Reads the documents of the given paths as the pipeline does (sorted,
 * decoded), then normalises all of them (case folded) RUNS times and prints
 * the best and median throughput, with a hash of every output byte and of
 * the decoded offset of every output byte, so that two builds can be
 * compared for identical results as well as for speed. Built and run by
 * bench/normalize_bench.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nergraph.h>

typedef struct doc {
    ng_bytes bytes;
    ng_text text;
} doc;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* FNV-1a over the four bytes of `v`. */
static uint64_t mix(uint64_t h, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        h = (h ^ ((v >> (8 * k)) & 0xFF)) * 0x100000001B3ull;
    return h;
}

static int fail(const char *what)
{
    fprintf(stderr, "normalize_bench: %s: %s\n", what, ng_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3 || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: %s RUNS PATH...\n", argv[0]);
        return 2;
    }
    int runs = atoi(argv[1]);
    if (ng_init() != NG_OK)
        return fail("init");
    ng_source_list list = {0};
    if (ng_input_collect(&list, (const char *const *)argv + 2, (size_t)argc - 2) != NG_OK)
        return fail("input");
    doc *docs = calloc(list.count, sizeof *docs);
    double *secs = malloc((size_t)runs * sizeof *secs);
    if (!docs || !secs)
        return 1;
    size_t total = 0;
    for (size_t i = 0; i < list.count; i++) {
        if (ng_input_read(&docs[i].bytes, list.paths[i]) != NG_OK ||
            ng_decode(&docs[i].text, docs[i].bytes.data, docs[i].bytes.len, NULL,
                      list.paths[i]) != NG_OK)
            return fail(list.paths[i]);
        total += docs[i].text.len;
    }

    ng_norm norm = {0};
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (size_t i = 0; i < list.count; i++)
            if (ng_normalize(&norm, docs[i].text.data, docs[i].text.len, NG_NORM_FOLD) != NG_OK)
                return fail(list.paths[i]);
        secs[r] = now() - t0;
    }
    uint64_t hash = 0xCBF29CE484222325ull;
    size_t out_total = 0;
    for (size_t i = 0; i < list.count; i++) {
        if (ng_normalize(&norm, docs[i].text.data, docs[i].text.len, NG_NORM_FOLD) != NG_OK)
            return fail(list.paths[i]);
        out_total += norm.len;
        for (size_t j = 0; j < norm.len; j++)
            hash = mix(hash, (uint32_t)(unsigned char)norm.data[j]);
        for (size_t j = 0; j <= norm.len; j++)
            hash = mix(hash, ng_norm_decoded(&norm, j));
    }
    qsort(secs, (size_t)runs, sizeof *secs, by_value);
    printf("%zu documents, %zu bytes in, %zu bytes out, hash %016llx\n", list.count, total,
           out_total, (unsigned long long)hash);
    printf("ng_normalize: best %.3f s (%.0f MB/s), median %.3f s (%.0f MB/s)\n", secs[0],
           (double)total / secs[0] / 1e6, secs[runs / 2], (double)total / secs[runs / 2] / 1e6);
    ng_norm_destroy(&norm);
    for (size_t i = 0; i < list.count; i++) {
        ng_text_destroy(&docs[i].text);
        ng_bytes_destroy(&docs[i].bytes);
    }
    free(docs);
    free(secs);
    ng_source_list_destroy(&list);
    return 0;
}
