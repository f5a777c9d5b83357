/* segment_bench.c: ng_segment_sentences alone, on every file of a directory.
 *
 * Decodes each file as the pipeline does (ng_decode, BOM or UTF-8), then
 * segments all of them `runs` times and prints the best and median MB/s,
 * and a hash of the spans and paragraphs, so that two builds can be
 * compared for identical results as well as speed. Not a test.
 *
 *   cc -O2 -Iinclude bench/segment_bench.c build/src/libnergraph.a \
 *      $(pkg-config --libs igraph libutf8proc libcjson) -lpthread -lm \
 *      -o segment_bench
 *   ./segment_bench /work/main/bench/work/corpus-100 5
 */
#define _POSIX_C_SOURCE 200809L
#include <nergraph.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doc {
    char *raw;
    ng_text text;
} doc;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

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

int main(int argc, char **argv)
{
    if (argc < 2 || ng_init() != NG_OK) {
        fprintf(stderr, "usage: segment_bench DIR [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;
    DIR *dh = opendir(argv[1]);
    if (!dh) {
        perror(argv[1]);
        return 2;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap && !(names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names)))
            return 2;
        names[n++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, by_name);
    doc *docs = calloc(n ? n : 1, sizeof *docs);
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        if (!(docs[i].raw = read_all(path, &len)) ||
            ng_decode(&docs[i].text, docs[i].raw, len, NULL, path) != NG_OK) {
            fprintf(stderr, "%s: cannot read or decode\n", path);
            return 1;
        }
        bytes += docs[i].text.len;
    }
    ng_segments seg = {0};
    double *secs = malloc((size_t)runs * sizeof *secs);
    unsigned long long hash = 1469598103934665603ULL, sentences = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            if (ng_segment_sentences(&seg, docs[i].text.data, docs[i].text.len) != NG_OK)
                return 1;
            if (r == 0) {
                sentences += seg.count;
                for (size_t s = 0; s < seg.count; s++) {
                    uint32_t v[3] = {seg.spans[s].start, seg.spans[s].end, seg.paragraph[s]};
                    for (int j = 0; j < 3; j++)
                        hash = (hash ^ v[j]) * 1099511628211ULL;
                }
            }
        }
        secs[r] = now() - t0;
    }
    qsort(secs, (size_t)runs, sizeof *secs, by_value);
    printf("%zu files, %.1f MB, %llu sentences, hash %016llx\n", n, (double)bytes / 1e6,
           sentences, hash);
    printf("best %.3f s (%.0f MB/s), median %.3f s (%.0f MB/s)\n", secs[0],
           (double)bytes / 1e6 / secs[0], secs[runs / 2], (double)bytes / 1e6 / secs[runs / 2]);
    for (size_t i = 0; i < n; i++) {
        ng_text_destroy(&docs[i].text);
        free(docs[i].raw);
        free(names[i]);
    }
    ng_segments_destroy(&seg);
    free(docs);
    free(names);
    free(secs);
    return 0;
}
