/* progress.c: the progress line and the warnings of `build` and `tag`.
 * Both come from worker threads (the one writing results draws the line),
 * so both write under one lock. */
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_NS 100000000L /* at most ten lines a second */

static struct {
    pthread_mutex_t lock;
    int quiet, drawn;       /* a line is on the screen, without a newline */
    size_t warnings;        /* counted under --quiet */
    size_t done, total;
    uint64_t bytes;
    struct timespec start, last;
} state = {.lock = PTHREAD_MUTEX_INITIALIZER};

static double seconds_since(const struct timespec *t, const struct timespec *now)
{
    return (double)(now->tv_sec - t->tv_sec) + (double)(now->tv_nsec - t->tv_nsec) / 1e9;
}

/* Called with the lock held. */
static void draw(const struct timespec *now, int final)
{
    double secs = seconds_since(&state.start, now), mb = (double)state.bytes / 1e6;
    if (state.total)
        fprintf(stderr, "\r\033[Knergraph: %zu/%zu documents, %.1f MB", state.done, state.total, mb);
    else /* JSON Lines: the total is not known in advance */
        fprintf(stderr, "\r\033[Knergraph: %zu documents, %.1f MB", state.done, mb);
    if (final)
        fprintf(stderr, " in %.1f s (%.1f MB/s)\n", secs, secs > 0 ? mb / secs : 0.0);
    else if (secs > 0)
        fprintf(stderr, ", %.1f MB/s", mb / secs);
    fflush(stderr);
    state.drawn = !final;
    state.last = *now;
}

static void on_progress(size_t done, size_t total, uint64_t bytes, void *userdata)
{
    (void)userdata;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&state.lock);
    state.done = done;
    state.total = total;
    state.bytes = bytes;
    if (seconds_since(&state.last, &now) * 1e9 >= REDRAW_NS)
        draw(&now, 0);
    pthread_mutex_unlock(&state.lock);
}

static void on_warning(const char *msg, void *userdata)
{
    (void)userdata;
    pthread_mutex_lock(&state.lock);
    if (state.quiet) {
        state.warnings++;
    } else {
        fprintf(stderr, "%snergraph: warning: %s\n", state.drawn ? "\r\033[K" : "", msg);
        state.drawn = 0;
    }
    pthread_mutex_unlock(&state.lock);
}

void progress_start(ng_pipeline_options *o, int quiet)
{
    state.quiet = quiet;
    ng_set_warning_handler(on_warning, NULL);
    const char *ci = getenv("CI"), *term = getenv("TERM");
    if (quiet || !isatty(STDERR_FILENO) || (ci && *ci) || (term && !strcmp(term, "dumb")))
        return;
    clock_gettime(CLOCK_MONOTONIC, &state.start);
    state.last = state.start;
    o->progress = on_progress;
}

void progress_stop(int ok)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&state.lock);
    if (state.done && ok)
        draw(&now, 1);
    else if (state.drawn)
        fputs("\r\033[K", stderr);
    state.drawn = 0;
    if (state.warnings)
        fprintf(stderr, "nergraph: %zu warning%s (run without --quiet to see them)\n",
                state.warnings, state.warnings == 1 ? "" : "s");
    pthread_mutex_unlock(&state.lock);
    ng_set_warning_handler(NULL, NULL);
}
