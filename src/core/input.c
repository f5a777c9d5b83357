/* input.c: corpus enumeration and bounded reads. */
#include "nergraph/input.h"

#include <dirent.h>
#include <errno.h>
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
            qsort(out->paths + first, out->count - first, sizeof *out->paths, compare_paths);
        } else {
            char *p = ng_strdup(path);
            if (!p || (st = push_path(out, p)) != NG_OK)
                return NG_ENOMEM;
        }
    }
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
