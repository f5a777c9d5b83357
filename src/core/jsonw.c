/* jsonw.c: JSON strings and numbers for the line-oriented outputs. */
#include "jsonw.h"

#include <math.h>
#include <string.h>

#include "utf8.h"

void ng_jsonbuf_flush(ng_jsonbuf *b)
{
    if (b->n)
        fwrite(b->buf, 1, b->n, b->out);
    b->n = 0;
}

void ng_jsonbuf_put(ng_jsonbuf *b, const char *s, size_t len)
{
    if (len > sizeof b->buf - b->n) {
        ng_jsonbuf_flush(b);
        if (len > sizeof b->buf) {
            fwrite(s, 1, len, b->out);
            return;
        }
    }
    memcpy(b->buf + b->n, s, len);
    b->n += len;
}

/* The decimal digits of `v` written backwards so that they end at `end`;
 * returns where they begin (at most 20 bytes before `end`). */
static char *decimal_digits(char *end, uint64_t v)
{
    /* two digits per division: five numbers on every mention line */
    static const char pairs[] =
        "0001020304050607080910111213141516171819"
        "2021222324252627282930313233343536373839"
        "4041424344454647484950515253545556575859"
        "6061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    for (; v >= 100; v /= 100)
        memcpy(end -= 2, pairs + 2 * (v % 100), 2);
    if (v >= 10)
        memcpy(end -= 2, pairs + 2 * v, 2);
    else
        *--end = (char)('0' + v);
    return end;
}

void ng_jsonbuf_uint(ng_jsonbuf *b, uint32_t v)
{
    char d[20];
    char *first = decimal_digits(d + sizeof d, v);
    ng_jsonbuf_put(b, first, (size_t)(d + sizeof d - first));
}

void ng_jsonbuf_string(ng_jsonbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    /* bytes written as they are: ASCII from space on, but for " and \\ */
    static const uint64_t plain[2] = {~(uint64_t)0 << 0x20 & ~((uint64_t)1 << '"'),
                                      ~((uint64_t)1 << ('\\' - 64))};
    const unsigned char *u = (const unsigned char *)s;
    ng_jsonbuf_put(b, "\"", 1);
    size_t i = 0;
    while (i < len) {
        if (sizeof b->buf - b->n < 8)
            ng_jsonbuf_flush(b);
        char *o = b->buf + b->n;
        size_t room = sizeof b->buf - b->n;
        unsigned c = u[i];
        if (c < 0x80 && (plain[c >> 6] >> (c & 63) & 1)) {
            size_t run = 0, end = len - i < room ? len - i : room;
            while (run < end && u[i + run] < 0x80 && (plain[u[i + run] >> 6] >> (u[i + run] & 63) & 1))
                o[run] = (char)u[i + run], run++;
            b->n += run;
            i += run;
            continue;
        }
        if (c < 0x80) {
            const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                            : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (e) {
                memcpy(o, e, 2);
                b->n += 2;
            } else {
                memcpy(o, "\\u00", 4);
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                b->n += 6;
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t k = ng_utf8_decode(u + i, len - i, &cp);
        if (!k) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            b->n += 3;
            i++;
        } else {
            memcpy(o, s + i, k);
            b->n += k;
            i += k;
        }
    }
    ng_jsonbuf_put(b, "\"", 1);
}

void ng_json_write_string(FILE *out, const char *s, size_t len)
{
    ng_jsonbuf b;
    b.out = out;
    b.n = 0;
    ng_jsonbuf_string(&b, s, len);
    ng_jsonbuf_flush(&b);
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
