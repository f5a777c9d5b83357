/* input.c: corpus enumeration and bounded reads. */
#include "nergraph/input.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

static ng_status push_path(ng_source_list *list, char *path)
{
    if (NG_GROW(list->paths, list->cap, list->count + 1) != NG_OK) {
        free(path);
        return NG_ENOMEM;
    }
    list->paths[list->count++] = path;
    return NG_OK;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] != '/';
    char *p = malloc(dl + (size_t)slash + nl + 1);
    if (!p) {
        ng_error_set(NG_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(p, dir, dl);
    if (slash)
        p[dl] = '/';
    memcpy(p + dl + (size_t)slash, name, nl + 1);
    return p;
}

/* Depth-first walk; recursion depth is bounded by the file system's. */
static ng_status walk(ng_source_list *list, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return ng_error_set(NG_EIO, "%s: cannot read directory: %s", dir, strerror(errno));
    ng_status st = NG_OK;
    struct dirent *e;
    while (st == NG_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *p = join_path(dir, e->d_name);
        if (!p) {
            st = NG_ENOMEM;
            break;
        }
        struct stat sb;
        if (stat(p, &sb) != 0) {
            st = ng_error_set(NG_EIO, "%s: %s", p, strerror(errno));
            free(p);
        } else if (S_ISDIR(sb.st_mode)) {
            st = walk(list, p);
            free(p);
        } else if (S_ISREG(sb.st_mode)) {
            st = push_path(list, p);
        } else {
            free(p);
        }
    }
    closedir(d);
    return st;
}

ng_status ng_input_collect(ng_source_list *out, const char *const *paths, size_t path_count)
{
    size_t first_new = out->count;
    for (size_t i = 0; i < path_count; i++) {
        const char *path = paths[i];
        ng_status st;
        if (strcmp(path, "-") == 0) {
            char *p = ng_strdup(path);
            if (!p || (st = push_path(out, p)) != NG_OK)
                return NG_ENOMEM;
            continue;
        }
        struct stat sb;
        if (stat(path, &sb) != 0)
            return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));
        if (S_ISDIR(sb.st_mode)) {
            size_t first = out->count;
            if ((st = walk(out, path)) != NG_OK)
                return st;
            if (out->count == first)
                return ng_error_set(NG_EIO, "%s: no documents in this directory", path);
        } else {
            char *p = ng_strdup(path);
            if (!p || (st = push_path(out, p)) != NG_OK)
                return NG_ENOMEM;
        }
    }
    /* One order for the whole list, so that shards of a corpus counted apart
     * merge into the order of one run over all of it. */
    char **p = out->paths + first_new;
    size_t n = out->count - first_new, kept = 0;
    if (n > 1)
        qsort(p, n, sizeof *p, compare_paths);
    for (size_t i = 0; i < n; i++)
        if (kept && strcmp(p[kept - 1], p[i]) == 0)
            free(p[i]); /* named twice: read once */
        else
            p[kept++] = p[i];
    out->count = first_new + kept;
    return NG_OK;
}

void ng_source_list_destroy(ng_source_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    memset(list, 0, sizeof *list);
}

ng_status ng_input_read(ng_bytes *buf, const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp)
        return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));
    ng_status st = NG_OK;
    buf->len = 0;
    struct stat sb; /* a file over the limit is refused before a byte is read */
    if (!is_stdin && fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uint64_t)sb.st_size > NG_MAX_DOCUMENT_BYTES) {
        fclose(fp);
        return ng_error_set(NG_ELIMIT, "%s: larger than the limit of %zu bytes", path,
                            NG_MAX_DOCUMENT_BYTES);
    }
    for (;;) {
        if (buf->len == buf->cap && (st = NG_GROW(buf->data, buf->cap, buf->len + 65536)) != NG_OK)
            break;
        size_t room = buf->cap - buf->len;
        size_t n = fread(buf->data + buf->len, 1, room, fp);
        buf->len += n;
        if (buf->len > NG_MAX_DOCUMENT_BYTES) {
            st = ng_error_set(NG_ELIMIT, "%s: larger than the limit of %zu bytes", path,
                              NG_MAX_DOCUMENT_BYTES);
            break;
        }
        if (n < room) {
            if (ferror(fp))
                st = ng_error_set(NG_EIO, "%s: read failed: %s", path, strerror(errno));
            break;
        }
    }
    if (!is_stdin)
        fclose(fp);
    return st;
}

void ng_bytes_destroy(ng_bytes *buf)
{
    free(buf->data);
    memset(buf, 0, sizeof *buf);
}

/* ---- JSON Lines ---- */

ng_status ng_jsonl_open(ng_jsonl_reader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    int is_stdin = strcmp(path, "-") == 0;
    r->path = is_stdin ? "standard input" : path;
    r->fp = is_stdin ? stdin : fopen(path, "rb");
    if (!r->fp)
        return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));
    return NG_OK;
}

void ng_jsonl_document_clear(ng_jsonl_document *doc)
{
    cJSON_Delete(doc->record);
    memset(doc, 0, sizeof *doc);
}

ng_status ng_jsonl_next(ng_jsonl_reader *r, ng_jsonl_document *doc, int *done)
{
    ng_jsonl_document_clear(doc);
    *done = 0;
    for (;;) {
        errno = 0;
        ssize_t n = getline(&r->line, &r->line_cap, r->fp);
        if (n < 0) {
            if (ferror(r->fp))
                return ng_error_set(NG_EIO, "%s: read failed: %s", r->path, strerror(errno));
            *done = 1;
            return NG_OK;
        }
        r->line_no++;
        if ((size_t)n > NG_MAX_DOCUMENT_BYTES)
            return ng_error_set(NG_ELIMIT, "%s:%" PRIu64 ": a document larger than the limit "
                                           "of %zu bytes", r->path, r->line_no,
                                NG_MAX_DOCUMENT_BYTES);
        size_t len = (size_t)n, lead = strspn(r->line, " \t\r\n");
        if (lead == len)
            continue; /* a blank line */
        /* cJSON ends strings at U+0000: refuse it rather than lose the rest */
        const char *nul = strstr(r->line, "\\u0000");
        if (nul || strlen(r->line) != len)
            return ng_error_set(NG_EPARSE, "%s:%" PRIu64 ":%zu: a NUL character in a document",
                                r->path, r->line_no,
                                (size_t)(nul ? nul - r->line : (ptrdiff_t)strlen(r->line)) + 1);
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithLengthOpts(r->line, len, &end, 0);
        if (!root)
            return ng_error_set(NG_EPARSE, "%s:%" PRIu64 ":%zu: invalid JSON", r->path,
                                r->line_no, (size_t)(end ? end - r->line : 0) + 1);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "doc");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "text");
        if (!cJSON_IsString(name) || !cJSON_IsString(text) || !*name->valuestring) {
            cJSON_Delete(root);
            return ng_error_set(NG_EPARSE, "%s:%" PRIu64 ":1: a document needs \"doc\" (a "
                                           "non-empty string) and \"text\" (a string)",
                                r->path, r->line_no);
        }
        *doc = (ng_jsonl_document){name->valuestring, text->valuestring,
                                   strlen(text->valuestring), root};
        return NG_OK;
    }
}

void ng_jsonl_close(ng_jsonl_reader *r)
{
    if (r->fp && r->fp != stdin)
        fclose(r->fp);
    free(r->line);
    memset(r, 0, sizeof *r);
}
