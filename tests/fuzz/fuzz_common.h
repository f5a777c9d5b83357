/* fuzz_common.h: what every fuzz target shares: the libFuzzer entry points,
 * a CHECK that aborts with a message (a crash to libFuzzer, a failed test to
 * the replay driver), UTF-8 helpers independent of the library's own (utf8proc
 * decides what is valid), and a temporary directory per process.
 */
#ifndef NG_FUZZ_COMMON_H
#define NG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include <nergraph.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(cond, ...)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: invariant broken: %s\n  ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static inline void fuzz_quiet(const char *msg, void *userdata)
{
    (void)msg;
    (void)userdata;
}

/* ng_init once, warnings silenced (a replaced byte, an empty document). */
static inline void fuzz_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    ng_set_warning_handler(fuzz_quiet, NULL);
    if (ng_init() != NG_OK) {
        fprintf(stderr, "ng_init: %s\n", ng_error_message());
        abort();
    }
}

/* Length of the valid UTF-8 character at s[0..n), or 0 (utf8proc's rules:
 * no overlongs, no surrogates, nothing above U+10FFFF). */
static inline size_t fuzz_utf8_char(const uint8_t *s, size_t n, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4), &c);
    *cp = -1;
    if (k <= 0)
        return 0;
    *cp = c;
    return (size_t)k;
}

static inline int fuzz_utf8_valid(const char *s, size_t n)
{
    const uint8_t *u = (const uint8_t *)s;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = fuzz_utf8_char(u + i, n - i, &cp);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* Is `i` (0..n) a character boundary of valid UTF-8 `s`? */
static inline int fuzz_boundary(const char *s, size_t n, size_t i)
{
    return i == 0 || i == n || (i < n && ((unsigned char)s[i] & 0xC0) != 0x80);
}

/* Copy of `data` with each byte that starts no valid character replaced by
 * U+FFFD; malloc'd, *out_len set. */
static inline char *fuzz_repair_utf8(const uint8_t *data, size_t size, size_t *out_len)
{
    char *out = malloc(size * 3 + 1);
    if (!out)
        abort();
    size_t o = 0;
    for (size_t i = 0; i < size;) {
        int32_t cp;
        size_t k = fuzz_utf8_char(data + i, size - i, &cp);
        if (k) {
            memcpy(out + o, data + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *out_len = o;
    return out;
}

/* ---- files ---- */

static inline void fuzz_write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || (len && fwrite(data, 1, len, fp) != len) || fclose(fp) != 0) {
        perror(path);
        abort();
    }
}

static inline void fuzz_remove_tree(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            continue;
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            fuzz_remove_tree(path);
        else
            unlink(path);
    }
    closedir(dh);
    rmdir(dir);
}

/* One temporary directory per process, removed at exit. */
static char fuzz_tmp[1024];

static inline void fuzz_tmp_cleanup(void)
{
    if (fuzz_tmp[0])
        fuzz_remove_tree(fuzz_tmp);
}

static inline const char *fuzz_tmpdir(const char *name)
{
    if (fuzz_tmp[0])
        return fuzz_tmp;
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_tmp, sizeof fuzz_tmp, "%s/ng_fuzz_%s_XXXXXX", tmp && *tmp ? tmp : "/tmp",
             name);
    if (!mkdtemp(fuzz_tmp)) {
        perror(fuzz_tmp);
        abort();
    }
    atexit(fuzz_tmp_cleanup);
    return fuzz_tmp;
}

#endif
