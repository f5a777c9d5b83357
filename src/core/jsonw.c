/* jsonw.c: JSON strings and numbers for the line-oriented outputs. */
#include "jsonw.h"

#include <math.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    /* two digits per look-up: five numbers on every mention line */
    static const char pairs[] =
        "0001020304050607080910111213141516171819"
        "2021222324252627282930313233343536373839"
        "4041424344454647484950515253545556575859"
        "6061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    for (; v >= 10000; v /= 10000) { /* four digits per division of v */
        uint32_t four = (uint32_t)(v % 10000);
        memcpy(end -= 2, pairs + 2 * (four % 100), 2);
        memcpy(end -= 2, pairs + 2 * (four / 100), 2);
    }
    for (; v >= 100; v /= 100)
        memcpy(end -= 2, pairs + 2 * (v % 100), 2);
    if (v >= 10)
        memcpy(end -= 2, pairs + 2 * v, 2);
    else
        *--end = (char)('0' + v);
    return end;
}

void ng_jsonbuf_uint(ng_jsonbuf *b, uint64_t v)
{
    if (sizeof b->buf - b->n < 20)
        ng_jsonbuf_flush(b);
    /* The digits go straight to the buffer, so count them first: from the
     * bit length (1233 / 4096 is just above log10 2), one too many at most. */
    static const uint64_t powers[20] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
        100000000, 1000000000, 10000000000u, 100000000000u, 1000000000000u,
        10000000000000u, 100000000000000u, 1000000000000000u, 10000000000000000u,
        100000000000000000u, 1000000000000000000u, 10000000000000000000u};
    size_t digits = ((size_t)(64 - __builtin_clzll(v | 1)) * 1233 >> 12) + 1;
    digits -= digits > 1 && v < powers[digits - 1];
    decimal_digits(b->buf + b->n + digits, v);
    b->n += digits;
}

/* Is byte `c` written as it is: ASCII from space on, but for " and \? */
static int plain_ascii(unsigned c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

/* How many of the first `n` bytes of `u` are plain ASCII, 16 at a time
 * where SSE2 is there: a mention's surface and an evidence snippet are
 * mostly such runs. */
static size_t plain_ascii_run(const unsigned char *u, size_t n)
{
    size_t run = 0;
#if defined(__SSE2__)
    /* as signed bytes, 0x20..0x7F are exactly those above 0x1F */
    const __m128i control = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'),
                  backslash = _mm_set1_epi8('\\');
    for (; run + 16 <= n; run += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(u + run));
        __m128i special = _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash));
        unsigned plain = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(special, _mm_cmpgt_epi8(x, control)));
        if (plain != 0xFFFF)
            return run + (size_t)__builtin_ctz(~plain);
    }
#endif
    while (run < n && plain_ascii(u[run]))
        run++;
    return run;
}

void ng_jsonbuf_string(ng_jsonbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    ng_jsonbuf_put(b, "\"", 1);
    size_t i = 0;
    while (i < len) {
        if (sizeof b->buf - b->n < 8)
            ng_jsonbuf_flush(b);
        char *o = b->buf + b->n;
        size_t room = sizeof b->buf - b->n;
        unsigned c = u[i];
        if (plain_ascii(c)) {
            size_t run = plain_ascii_run(u + i, len - i < room ? len - i : room);
            memcpy(o, u + i, run);
            b->n += run;
            i += run;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            o[0] = (char)c; /* two bytes (Cyrillic, Turkish letters): valid whatever they are */
            o[1] = (char)u[i + 1];
            b->n += 2;
            i += 2;
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

/* ng_format_plain where the fast ways do not reach: snprintf, whose %f is
 * exact (and slow, multi-precision), trailing zeros removed. */
static size_t format_by_snprintf(char *buf, size_t cap, double v, int decimals)
{
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

/* `scaled` / 10^decimals in plain notation, as %.*f and the removal of
 * trailing zeros would write it; "0" for zero, whatever the sign. */
static size_t format_scaled(char *buf, int negative, uint64_t scaled, int decimals)
{
    for (; decimals > 0 && scaled % 10 == 0; decimals--)
        scaled /= 10;
    if (scaled == 0)
        negative = 0;
    char digits[20]; /* up to 20 digits, or a 0 and 18 decimals */
    char *end = digits + sizeof digits;
    char *first = decimal_digits(end, scaled);
    while (end - first <= decimals) /* a 0 before the point */
        *--first = '0';
    size_t whole = (size_t)(end - first - decimals), len = 0;
    if (negative)
        buf[len++] = '-';
    memcpy(buf + len, first, whole);
    len += whole;
    if (decimals > 0) {
        buf[len++] = '.';
        memcpy(buf + len, first + whole, (size_t)decimals);
        len += (size_t)decimals;
    }
    buf[len] = '\0';
    return len;
}

/* round(a * 10^decimals) for 0 <= a, 0 <= decimals <= 27 and a * 10^decimals
 * below 2^100 into `scaled`, halves to even as glibc's exact %f and %e round
 * them in the default rounding mode; false if that is 2^64 or more.
 *
 * a = m * 2^-s with m < 2^53, so a * 10^decimals = m * 5^decimals / 2^t
 * with t = s - decimals: the product, below 2^116, shifted right by t, the
 * bits shifted out deciding which way it rounds (or left by -t). Integers,
 * not a wider floating point: exact by construction, and valgrind computes
 * long doubles with 53 bits only. */
static int scale_exactly(double a, int decimals, uint64_t *scaled)
{
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    static const uint64_t powers_of_five[28] = {
        1u,          5u,           25u,           125u,           625u,          3125u,
        15625u,      78125u,       390625u,       1953125u,       9765625u,      48828125u,
        244140625u,  1220703125u,  6103515625u,   30517578125u,   152587890625u, 762939453125u,
        3814697265625u,         19073486328125u,         95367431640625u,
        476837158203125u,       2384185791015625u,       11920928955078125u,
        59604644775390625u,     298023223876953125u,     1490116119384765625u,
        7450580596923828125u};
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int biased_exponent = (int)(bits >> 52 & 0x7FF);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    int t = 1074 - decimals; /* subnormal: a = m * 2^-1074 */
    if (biased_exponent) {
        m |= UINT64_C(1) << 52;
        t = 1075 - biased_exponent - decimals;
    }
    u128 product = (u128)m * powers_of_five[decimals], rounded;
    if (t <= 0) /* an integer */
        rounded = product << -t;
    else if (t > 117) /* below half of 2^t */
        rounded = 0;
    else {
        rounded = product >> t;
        u128 rest = product - (rounded << t), half = (u128)1 << (t - 1);
        rounded += rest + (rounded & 1) > half; /* up past the half; at it, to even */
    }
    if (rounded >> 64)
        return 0;
    *scaled = (uint64_t)rounded;
    return 1;
#else
    (void)a, (void)decimals, (void)scaled;
    return 0;
#endif
}

size_t ng_format_plain(char *buf, size_t cap, double v, int digits)
{
    if (!isfinite(v) || v == 0.0)
        v = 0.0;
    double a = fabs(v);
    /* Below 2^64, %.*f wrote at most 39 bytes (a sign, 20 digits, a point,
     * 17 decimals), never truncated in the documented 64; a smaller buffer
     * gets snprintf's truncation, as before. */
    int fast = cap >= 64 && a < 0x1p64;
    /* an integer's fraction digits are all zeros, whatever `digits` says */
    if (fast && a == (double)(uint64_t)a)
        return format_scaled(buf, v < 0, (uint64_t)a, 0);
    int decimals = 0;
    if (v != 0.0) {
        decimals = digits - 1 - (int)floor(log10(a));
        if (decimals < 0)
            decimals = 0;
        if (decimals > 17)
            decimals = 17;
    }
    uint64_t scaled;
    if (fast && scale_exactly(a, decimals, &scaled))
        return format_scaled(buf, v < 0, scaled, decimals);
    return format_by_snprintf(buf, cap, v, decimals);
}

/* The 15 significant digits of `a` as %.15g rounds them (10^14 <= *digits <
 * 10^15) and its decimal exponent after that rounding; false from 10^15 on,
 * where a 16th digit would be needed to round, and below 10^-12, where the
 * scaling passes 10^27: snprintf writes those. */
static int significant_digits(double a, uint64_t *digits, int *exponent)
{
    if (!(a >= 1e-12 && a < 1e15))
        return 0;
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int binary_exponent = (int)(bits >> 52 & 0x7FF) - 1023; /* -40 to 49 */
    /* floor(binary_exponent * log10(2)), never above the decimal exponent
     * and at most two below it (one for the log, one for a carry to 10^15) */
    int e = (binary_exponent * 78913 + 64 * (1 << 18)) / (1 << 18) - 64;
    for (int attempt = 0; attempt < 3 && e <= 14; attempt++, e++) {
        if (!scale_exactly(a, 14 - e, digits))
            return 0;
        if (*digits < UINT64_C(1000000000000000)) {
            *exponent = e;
            return 1;
        }
    }
    return 0;
}

/* `digits` (15 of them) times 10^(exponent - 14) as %.15g writes it in
 * exponent form: trailing zeros and a bare point removed, two exponent
 * digits at least. */
static size_t format_exponent_form(char *buf, int negative, uint64_t digits, int exponent)
{
    int kept = 15;
    for (; digits % 10 == 0; digits /= 10)
        kept--;
    char text[20];
    char *first = decimal_digits(text + sizeof text, digits);
    size_t len = 0;
    if (negative)
        buf[len++] = '-';
    buf[len++] = first[0];
    if (kept > 1) {
        buf[len++] = '.';
        memcpy(buf + len, first + 1, (size_t)kept - 1);
        len += (size_t)kept - 1;
    }
    buf[len++] = 'e';
    buf[len++] = exponent < 0 ? '-' : '+';
    unsigned magnitude = (unsigned)(exponent < 0 ? -exponent : exponent);
    if (magnitude < 10)
        buf[len++] = '0';
    first = decimal_digits(text + sizeof text, magnitude);
    memcpy(buf + len, first, (size_t)(text + sizeof text - first));
    len += (size_t)(text + sizeof text - first);
    buf[len] = '\0';
    return len;
}

size_t ng_format_g15(char *buf, size_t cap, double v)
{
    double a = fabs(v);
    int negative = signbit(v) != 0;
    uint64_t digits;
    int exponent;
    if (cap >= 32) {
        if (a == 0) {
            strcpy(buf, negative ? "-0" : "0");
            return negative ? 2 : 1;
        }
        if (a < 1e15 && a == (double)(uint64_t)a) /* at most 15 digits: itself */
            return format_scaled(buf, negative, (uint64_t)a, 0);
        if (significant_digits(a, &digits, &exponent)) /* %f below 10^15, %e below 10^-4 */
            return exponent >= -4 ? format_scaled(buf, negative, digits, 14 - exponent)
                                  : format_exponent_form(buf, negative, digits, exponent);
    }
    int n = snprintf(buf, cap, "%.15g", v);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
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
