/* jsonpos.c: a JSON walker that skips values and records where they start. */
#include "jsonpos.h"

#include <string.h>

#include "nergraph/error.h"

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static size_t skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < n ? i + 1 : n;
}

/* Skip one value; nesting is tracked with a counter, so depth costs nothing. */
static size_t skip_value(const char *s, size_t n, size_t i)
{
    size_t depth = 0;
    do {
        i = skip_ws(s, n, i);
        if (i >= n)
            return n;
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, n, i);
        } else if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            if (depth)
                depth--;
            i++;
        } else if (c == ',' || c == ':') {
            i++;
        } else {
            /* a scalar; strchr would find a NUL byte in its own terminator */
            size_t start = i;
            while (i < n && s[i] != '\0' && !strchr(",]} \t\r\n", s[i]))
                i++;
            if (i == start)
                i++; /* always move on, whatever the byte */
        }
    } while (depth > 0 && i < n);
    return i;
}

static int key_equals(const char *s, size_t n, size_t i, const char *key)
{
    size_t kl = strlen(key);
    return i + kl + 2 <= n && s[i] == '"' && memcmp(s + i + 1, key, kl) == 0 &&
           s[i + 1 + kl] == '"';
}

size_t ng_json_locate(const char *src, size_t len, const ng_json_step *path, size_t depth,
                      size_t occurrence)
{
    size_t i = skip_ws(src, len, 0);
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        i = skip_ws(src, len, 3);
    for (size_t d = 0; d < depth; d++) {
        const ng_json_step *step = &path[d];
        size_t want = d + 1 == depth ? occurrence : 0, seen = 0, index = 0;
        int found = 0;
        if (i >= len || src[i] != (step->key ? '{' : '['))
            return i;
        i = skip_ws(src, len, i + 1);
        while (i < len && src[i] != '}' && src[i] != ']') {
            if (step->key) {
                int match = key_equals(src, len, i, step->key);
                i = skip_ws(src, len, skip_string(src, len, i));
                if (i < len && src[i] == ':')
                    i = skip_ws(src, len, i + 1);
                if (match && seen++ == want) {
                    found = 1;
                    break;
                }
            } else if (index++ == step->index) {
                found = 1;
                break;
            }
            i = skip_ws(src, len, skip_value(src, len, i));
            if (i < len && src[i] == ',')
                i = skip_ws(src, len, i + 1);
        }
        if (!found)
            return i;
    }
    return i;
}

void ng_json_line_col(const char *src, size_t len, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (src[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)src[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Offset of the first '[' or '{' nested deeper than `max`, or `len`. */
static size_t too_deep(const char *s, size_t n, size_t max)
{
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            i = skip_string(s, n, i) - 1;
        else if (s[i] == '{' || s[i] == '[') {
            if (++depth > max)
                return i;
        } else if ((s[i] == '}' || s[i] == ']') && depth)
            depth--;
    }
    return n;
}

ng_status ng_json_parse(const char *src, size_t len, const char *path, size_t line_base,
                        const char *what, cJSON **out)
{
    size_t line, col, deep = too_deep(src, len, NG_MAX_JSON_DEPTH);
    *out = NULL;
    if (deep < len) {
        ng_json_line_col(src, len, deep, &line, &col);
        return ng_error_set(NG_ELIMIT, "%s:%zu:%zu: JSON nested deeper than %d levels", path,
                            line + line_base, col, NG_MAX_JSON_DEPTH);
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(src, len, &end, 0);
    if (!root) {
        ng_json_line_col(src, len, end ? (size_t)(end - src) : 0, &line, &col);
        return ng_error_set(NG_EPARSE, "%s:%zu:%zu: invalid JSON", path, line + line_base, col);
    }
    size_t rest = skip_ws(src, len, (size_t)(end - src));
    if (rest < len) {
        cJSON_Delete(root);
        ng_json_line_col(src, len, rest, &line, &col);
        return ng_error_set(NG_EPARSE, "%s:%zu:%zu: invalid JSON (text after the %s)", path,
                            line + line_base, col, what);
    }
    *out = root;
    return NG_OK;
}
