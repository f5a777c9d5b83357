/* jsonw.c: JSON strings and numbers for the line-oriented outputs. */
#include "jsonw.h"

#include <math.h>
#include <string.h>

#include "utf8.h"

void ng_json_write_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    putc('"', out);
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            size_t run = i + 1;
            while (run < len && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
                run++;
            fwrite(s + i, 1, run - i, out);
            i = run;
            continue;
        }
        if (c < 0x80) {
            switch (c) {
            case '"': fputs("\\\"", out); break;
            case '\\': fputs("\\\\", out); break;
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            default: fprintf(out, "\\u%04x", c); break;
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, len - i, &cp);
        if (!k) {
            fputs("\xEF\xBF\xBD", out);
            i++;
        } else {
            fwrite(s + i, 1, k, out);
            i += k;
        }
    }
    putc('"', out);
}

size_t ng_format_plain(char *buf, size_t cap, double v, int digits)
{
    if (!isfinite(v) || v == 0.0)
        v = 0.0;
    int decimals = 0;
    if (v != 0.0) {
        int mag = (int)floor(log10(fabs(v)));
        decimals = digits - 1 - mag;
        if (decimals < 0)
            decimals = 0;
        if (decimals > 17)
            decimals = 17;
    }
    int n = snprintf(buf, cap, "%.*f", decimals, v);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    size_t len = (size_t)n;
    if (memchr(buf, '.', len)) {
        while (buf[len - 1] == '0')
            len--;
        if (buf[len - 1] == '.')
            len--;
    }
    buf[len] = '\0';
    if (strcmp(buf, "-0") == 0) {
        buf[0] = '0';
        buf[1] = '\0';
        len = 1;
    }
    return len;
}

void ng_json_write_number(FILE *out, double v)
{
    char buf[64];
    if (!isfinite(v)) {
        fputs("null", out);
        return;
    }
    ng_format_plain(buf, sizeof buf, v, 15);
    fputs(buf, out);
}
